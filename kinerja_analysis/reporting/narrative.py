"""The evaluation document, written for one period from the numbers (Bahasa Indonesia / English).

The report follows the sections of the seed document (``seed/evaluasi_kinerja_asn_kotalama.txt``):
Pendahuluan, Tujuan Evaluasi, Metode Evaluasi, Hasil dan Temuan, Tantangan, Rekomendasi,
Kesimpulan, plus a Lampiran (methods in plain words, data quality, assumptions,
provenance). Nothing is asserted that the data did not show:

* every number in the text comes from the :class:`PeriodFacts` given, formatted by
  :mod:`kinerja_analysis.fmt`;
* a part that is missing (``None``) is reported as not available ("belum tersedia");
* the wording of an effect is graded by its evidence (:func:`evidence_grade`) and by the
  design that estimated it — causal verbs ("meningkatkan", "menurunkan") only for a causal
  design with clear evidence, "berkaitan dengan" for associations;
* recommendations are triggered by findings only (:func:`write_report`, Notes);
* any count describing fewer than ``min_sel`` employees is suppressed
  (:func:`kinerja_analysis.reporting.privacy.suppress_small_cells`).

The wording lives in Jinja2 templates, one set per language:
``templates/narasi/{id,en}/*.md.j2``. Python chooses *what* is said (which OPDs, which
evidence grade); the templates say it.

Typical use::

    facts = PeriodFacts(periode="2025Q1", bahasa="id", report_date="2026-11-28",
                        n_pegawai=6012, n_opd=24, predikat_distribution=dist, effects=(...))
    report = write_report(facts)
    md = report.markdown()
"""

from __future__ import annotations

import datetime as _dt
import html as _html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from kinerja_analysis.analyses.notes import Note, note_list
from kinerja_analysis.analyses.rollout import MIN_CLUSTERS, MIN_CLUSTERS_PER_SIDE
from kinerja_analysis.analyses.training import NOT_ESTIMABLE_REASONS
from kinerja_analysis.core.checks import is_missing
from kinerja_analysis.core.config import DEFAULTS
from kinerja_analysis.core.deprecation import renamed_attributes, renamed_columns, renamed_keywords
from kinerja_analysis.core.periods import parse_period, period_label
from kinerja_analysis.core.profile import AgencyProfile
from kinerja_analysis.core.text import LANGUAGES
from kinerja_analysis.data.contract import BERAKHLAK
from kinerja_analysis.domain.predikat import PREDIKAT_ORDER
from kinerja_analysis.reporting import fmt
from kinerja_analysis.reporting.markup import Markdown, escape_markdown
from kinerja_analysis.reporting.notes import effect_outcomes, note_lines
from kinerja_analysis.reporting.privacy import suppress_small_cells
from kinerja_analysis.reporting.text import (
    DIMENSIONS,
    CatalogError,
    catalog_pairs,
    column_label,
    dimension_label,
    flag_label,
    format_value,
    label_values,
    load_catalog,
    method_label,
    parameter_label,
    rule_label,
    series_kind,
    value_label,
)

Design = Literal["kausal_did", "kausal_fe", "asosiasi"]
EvidenceGrade = Literal["jelas", "indikatif", "belum_ada_bukti"]
_DESAIN = ("kausal_did", "kausal_fe", "asosiasi")

#: Effect keys the narrative recognises (others are reported in *Hasil* only).
EFFECT_KEYS: dict[str, str] = {
    "pelatihan": "training, any source (overall ATT)",
    "pelatihan_difasilitasi": "training arranged by the government",
    "pelatihan_mandiri": "training sought by the employee",
    "pelatihan_relevan": "training relevant to the job",
    "pelatihan_tidak_sesuai": "self-sought training that does not fit the job",
    "umpan_balik_baik": "good-quality feedback (dose)",
    "umpan_balik_buruk": "poor-quality feedback (dose)",
    "penerapan_ikm": "structured evaluation rollout -> IKM",
    "penerapan_tepat_waktu": "structured evaluation rollout -> timeliness",
    "penerapan_pengaduan": "structured evaluation rollout -> complaints",
    "pelatihan_komunikasi": "communication training -> confidence (survey)",
}

#: Section keys and headings: the executive summary, then the seed document's sections,
#: then the two appendices (methods and data; detailed tables by OPD).
SECTION_TITLES: dict[str, dict[str, str]] = {
    b: {k: pair[i] for k, pair in catalog_pairs("narrative", "sections").items()}
    for i, b in enumerate(LANGUAGES)
}

#: Heading of the table of contents.
CONTENTS_TITLE: dict[str, str] = dict(
    zip(LANGUAGES, catalog_pairs("narrative", "headings", ("contents",))["contents"], strict=True)
)
#: Sections that start a new page when printed (the rest flow on).
_NEW_PAGE = ("pendahuluan", "lampiran", "lampiran_tabel")

_PREDIKAT_URUT = PREDIKAT_ORDER[::-1]  # best first
assert set(BERAKHLAK) <= set(DIMENSIONS)

_TEMPLATE_DIR = Path(__file__).parent / "templates" / "narasi"

#: Why an effect could not be estimated, in words (``catalog/narrative.toml``), and the
#: effect it is said of.
_NOT_ESTIMABLE_WORDS: dict[str, tuple[str, str]] = catalog_pairs(
    "narrative", "not_estimable", NOT_ESTIMABLE_REASONS
)
_NOT_ESTIMABLE_EFFECTS: dict[str, tuple[str, str]] = catalog_pairs(
    "narrative", "not_estimable_effects"
)

# ----------------------------------------------------------------------------- inputs


@renamed_keywords(kunci="key", desain="design", metode="method", arah_baik="good_direction", desimal="decimals", catatan="flags", satuan_id="unit_id", satuan_en="unit_en")  # fmt: skip
@dataclass(frozen=True, kw_only=True)
class Effect:
    """One estimated effect, as the narrative needs it.

    Parameters
    ----------
    key
        Identifier; the keys in :data:`EFFECT_KEYS` drive the Tantangan/Rekomendasi logic.
    label_id, label_en
        The cause, as a sentence subject: ``"Pelatihan yang relevan"`` /
        ``"Relevant training"``.
    hasil_id, hasil_en
        The outcome: ``"capaian SKP"`` / ``"SKP achievement"``.
    estimate, ci_low, ci_high
        Effect and its 95 % confidence interval, in natural units.
    p_value
        Two-sided p-value (optional; used for the "indikatif" grade).
    n_obs
        Observations used.
    unit_id, unit_en
        Natural unit: ``"poin"`` / ``"points"``, ``"poin persentase"`` / ...
    estimate_sd
        The effect in standard deviations of the outcome (optional).
    design
        ``"kausal_did"`` (difference-in-differences / Callaway–Sant'Anna),
        ``"kausal_fe"`` (within-employee fixed effects) or ``"asosiasi"`` (no causal
        identification claimed).
    pretrend_p
        p-value of the pre-trend test (DiD). Missing for a DiD means the parallel-trend
        assumption was not checked, which caps the grade at "indikatif".
    method
        Estimator, in words (shown in the appendix).
    good_direction
        ``"naik"`` if a higher outcome is better (capaian, IKM), ``"turun"`` if lower is
        better (complaints).
    decimals
        Decimals of the estimate in text.
    p_adjusted
        The p-value adjusted for the family of effects the document states (Holm;
        :func:`kinerja_analysis.reporting.facts.effect_list`). A "jelas" grade needs it
        below ``alpha``.
    flags
        Estimation flags of the estimate (keys of
        :data:`kinerja_analysis.methods.did.attgt.FLAGS`, e.g. ``ps_separation``): shown in
        the appendix; an unresolved one (:data:`UNRESOLVED_FLAGS`) caps the grade at
        "indikatif".
    std_error
        The estimate's standard error as its estimator reports it (None when the
        estimator gives an interval only).
    breakdown_rm, breakdown_rm_censored, breakdown_sd
        Rambachan & Roth (2023) breakdown values: the largest post-programme violation of
        parallel trends, relative to the largest pre-programme one (relative magnitudes),
        or the largest change in slope per period (smoothness), at which the conclusion
        still holds; ``breakdown_rm_censored`` when it holds over the whole range searched.
    program_id, program_en
        The programme, as it is named in the sensitivity sentence (``"pelatihan"``).
    expected_direction
        The direction the programme was expected to move the outcome (the hypothesis):
        ``"naik"``/``"turun"``; ``None`` = ``good_direction`` (a programme meant to
        help). Poor-quality feedback is expected to lower performance: its harm is the
        expected direction, not a surprise to investigate.
    comparison
        The comparison group of a staggered DiD (``"never_treated"``,
        ``"not_yet_treated"``; empty when not applicable): not-yet-treated is said in
        the effect's sentence.
    n_clusters, n_treated_clusters, n_untreated_clusters
        Clusters (OPDs) of a cluster-level estimate: in all, adopting, not adopting.
        Stated in the few-clusters sentence (flag ``few_clusters``).
    pretrend_reason
        Why the pre-trend test is missing (``no_pre_period``, ``saturated``,
        ``not_estimable``; :data:`kinerja_analysis.analyses.rollout.PRETREND_REASONS`).

    The old field names (``kunci``, ``desain``, ``metode``, ``arah_baik``, ``desimal``,
    ``catatan``, ``satuan_id``, ``satuan_en``) still work for one release (constructor
    keywords and attribute reads, with a ``DeprecationWarning``); ``effects.csv`` keeps
    its column names.
    """

    key: str
    label_id: str
    label_en: str
    hasil_id: str
    hasil_en: str
    estimate: float
    ci_low: float
    ci_high: float
    design: Design
    p_value: float | None = None
    n_obs: int | None = None
    unit_id: str = "poin"
    unit_en: str = "points"
    estimate_sd: float | None = None
    pretrend_p: float | None = None
    method: str = ""
    good_direction: Literal["naik", "turun"] = "naik"
    decimals: int = 2
    p_adjusted: float | None = None
    flags: tuple[str, ...] = ()
    std_error: float | None = None
    breakdown_rm: float | None = None
    breakdown_rm_censored: bool = False
    breakdown_sd: float | None = None
    program_id: str = ""
    program_en: str = ""
    expected_direction: Literal["naik", "turun"] | None = None
    comparison: str = ""
    n_clusters: int | None = None
    n_treated_clusters: int | None = None
    n_untreated_clusters: int | None = None
    pretrend_reason: str = ""

    def __post_init__(self) -> None:
        if self.design not in _DESAIN:
            raise ValueError(
                f"Effect {self.key!r}: design must be one of {_DESAIN}, not {self.design!r}"
            )
        if self.good_direction not in ("naik", "turun"):
            raise ValueError(f"Effect {self.key!r}: good_direction must be 'naik' or 'turun'")
        if self.expected_direction not in (None, "naik", "turun"):
            raise ValueError(
                f"Effect {self.key!r}: expected_direction must be 'naik', 'turun' or None"
            )
        if (
            not is_missing(self.ci_low)
            and not is_missing(self.ci_high)
            and float(self.ci_low) > float(self.ci_high)
        ):
            raise ValueError(
                f"Effect {self.key!r}: ci_low ({self.ci_low}) is greater than ci_high ({self.ci_high})"
            )
        object.__setattr__(self, "flags", tuple(self.flags))
        for nama in ("p_value", "pretrend_p", "p_adjusted"):
            v = getattr(self, nama)
            if not is_missing(v) and not 0.0 <= float(v) <= 1.0:
                raise ValueError(f"Effect {self.key!r}: {nama} must be between 0 and 1, not {v}")

    def tidy(self) -> pd.DataFrame:
        """One row: ``term, estimate, std_error, ci_low, ci_high, p_value, n_obs, method,
        desain, pretrend_p, p_adjusted, estimate_sd, breakdown_rm, breakdown_sd, flags,
        tingkat_bukti``."""

        def num(x: object) -> float:
            return np.nan if is_missing(x) else float(x)  # type: ignore[arg-type]

        return pd.DataFrame(
            [
                {
                    "term": self.key,
                    "estimate": self.estimate,
                    "std_error": num(self.std_error),
                    "ci_low": self.ci_low,
                    "ci_high": self.ci_high,
                    "p_value": num(self.p_value),
                    "n_obs": self.n_obs,
                    "method": self.method,
                    "desain": self.design,
                    "pretrend_p": num(self.pretrend_p),
                    "p_adjusted": num(self.p_adjusted),
                    "estimate_sd": num(self.estimate_sd),
                    "breakdown_rm": num(self.breakdown_rm),
                    "breakdown_sd": num(self.breakdown_sd),
                    "flags": ",".join(self.flags),
                    "tingkat_bukti": evidence_grade(self),
                }
            ]
        )


@renamed_keywords(tidak_sesuai_tinggi="mismatched_training_share", umpan_balik_buruk_tinggi="poor_umpan_balik_share", tanpa_umpan_balik_tinggi="without_umpan_balik_share", skp_kosong_tinggi="empty_skp_share", n_sebut="n_named")  # fmt: skip
@dataclass(frozen=True)
class Thresholds:
    """Thresholds that turn a finding into a recommendation (policy choices; shown in the appendix).

    Attributes
    ----------
    jp_substansial
        Share of ASN below 20 JP/year from which the shortfall counts as substantial.
    mismatched_training_share
        Share of self-sought training not fitting the job counted as high.
    poor_umpan_balik_share
        Share of poor-quality feedback (in an OPD) counted as high.
    without_umpan_balik_share
        Share of ASN without any feedback session (in an OPD) counted as high.
    empty_skp_share
        Share of ASN with an empty SKP (in an OPD) read as a sign of resistance.
    n_named
        How many OPDs/rows to name in a sentence.

    The old field names (``tidak_sesuai_tinggi``, ``umpan_balik_buruk_tinggi``,
    ``tanpa_umpan_balik_tinggi``, ``skp_kosong_tinggi``, ``n_sebut``) still work for one
    release (constructor keywords and attribute reads, with a ``DeprecationWarning``).
    """

    jp_substansial: float = 0.25
    mismatched_training_share: float = 0.25
    poor_umpan_balik_share: float = 0.20
    without_umpan_balik_share: float = 0.25
    empty_skp_share: float = 0.10
    n_named: int = 3


_KOLOM = {
    "predikat_distribution": ("predikat", "n"),
    "previous_distribution": ("predikat", "n"),
    "distribution_compliance": ("opd", "aturan", "patuh", "selisih"),  # + disembunyikan
    "berakhlak_profile": ("dimensi", "skor"),
    "reliability": ("dimensi", "icc1", "icc1k"),
    "resistensi": ("opd", "penerimaan", "pct_skp_kosong", "pct_tanpa_umpan_balik", "n"),
    "prioritas_pelatihan": ("opd", "dimensi", "kesenjangan", "n_asn"),
    "umpan_balik_needed": ("opd", "pct_tanpa_umpan_balik", "pct_kualitas_buruk", "n"),
    "kandidat_penghargaan": ("kriteria", "n"),
}


@renamed_keywords(tanggal_laporan="report_date", distribusi_predikat="predikat_distribution", distribusi_sebelumnya="previous_distribution", periode_sebelumnya="previous_periode", kepatuhan_distribusi="distribution_compliance", profil_berakhlak="berakhlak_profile", reliabilitas="reliability", efek="effects", provenans="provenance", nama_daerah="region_name", instansi="government", ambang="thresholds", sumber_predikat="predikat_source", umpan_balik_perlu="umpan_balik_needed")  # fmt: skip
@dataclass(frozen=True, kw_only=True, eq=False)
class PeriodFacts:
    """Everything the narrative of one period may say. Any part may be ``None`` (not available).

    Shares are fractions (0–1) throughout; scores are in their own scale.

    Parameters
    ----------
    periode
        Period code (``2025Q1``).
    bahasa
        ``"id"`` or ``"en"``.
    report_date
        Report date (date or ISO string).
    n_pegawai, n_opd
        Employees and OPDs covered.
    predikat_distribution, previous_distribution
        ``predikat, n`` (+ optional ``persen``, a fraction; computed from ``n`` if absent),
        the current and the previous period.
    previous_periode
        Code of the previous period (for the comparison sentence).
    distribution_compliance
        :func:`kinerja_analysis.domain.predikat.check_distribution`: ``opd, aturan, patuh, selisih``
        (``selisih`` as a fraction).
    berakhlak_profile
        ``dimensi, skor`` (+ optional ``perubahan`` vs previous period).
    reliability
        ``dimensi, icc1, icc1k`` (+ optional ``alpha_k``, Krippendorff's α).
    effects
        The estimated effects.
    resistensi
        ``opd, penerimaan`` (acceptance score of the new system, e.g. survey mean 1–5),
        ``pct_skp_kosong``, ``pct_tanpa_umpan_balik``, ``n`` (+ optional
        ``skp_kosong_disembunyikan``, ``tanpa_umpan_balik_disembunyikan``: the share is
        missing because it is withheld as a small group, not because it cannot be
        assessed).
    pelatihan
        Mapping with any of ``pct_di_bawah_20jp`` (fraction of ASN below 20 JP in 12
        months), ``jp_by_asn`` (mean JP), ``jp_per_opd`` (DataFrame ``opd, jp_per_asn``
        [+ ``n``]), ``pct_mandiri`` (share of trainings self-sought),
        ``pct_mandiri_tidak_sesuai`` (share of self-sought trainings not fitting the job);
        ``<share>_disembunyikan`` (true: that share is missing because it is withheld as
        a small group).
    prioritas_pelatihan
        ``opd, dimensi, kesenjangan, n_asn``: competency gaps (larger = more urgent).
    umpan_balik_needed
        ``opd, pct_tanpa_umpan_balik, pct_kualitas_buruk, n``.
    kandidat_penghargaan
        ``kriteria, n``: reward pool by criterion.
    kualitas_data
        Any small table of data-quality counts (shown as is, numbers formatted).
    kekuatan
        Power for the next round: ``{"pelatihan": {mde, mde_sd, n_per_period,
        n_periods_recent, n_control, n_needed, target_sd, per_id, per_en}, "umpan_balik":
        {mde, mde_sd}}`` (any part may be absent; ``mde`` NaN when no one began training
        in the recent year or that pace leaves no comparison group;
        :func:`kinerja_analysis.analyses.training.training_power`,
        :func:`kinerja_analysis.reporting.facts.period_facts`).
    provenance
        ``checksum``, ``parameter`` (mapping), ``versi``, ``tanggal``.
    periode_data
        The periods of the data the document was computed from (its window: the first
        period of the data up to ``periode``); stated in the executive summary and the
        appendix. Empty: not stated.
    region_name
        Name of the city/regency.
    government
        The government as printed (``"Pemerintah Kota Kotalama"``); default the
        ``kota`` of ``region_name`` (:class:`kinerja_analysis.core.profile.AgencyProfile`).
    min_sel
        Counts below this are not shown (privacy).
    thresholds
        Recommendation thresholds.
    predikat_source
        ``"angka"``: predikat computed from SKP and 360° scores; ``"resmi"``: the official
        e-Kinerja predikat (no numeric data: the methods section says so);
        ``"resmi_skp"``: the official predikat beside numeric SKP achievement.
    predikat_sources
        The source of every period of the window (``{periode: source}``, values as
        ``predikat_source``; empty: not known). When the previous period's source differs
        from this one's, the distributions are not compared (different measurements) and
        the text says why; the appendix names each period's source.
    not_estimated
        Effects that could not be estimated on this window → the reason's key
        (``{"pelatihan": "no_comparison"}``;
        :data:`kinerja_analysis.analyses.training.NOT_ESTIMABLE_REASONS`): the document
        says which and why, in Hasil, Kesimpulan and the executive summary.
    notes
        The shared results' notes (:class:`kinerja_analysis.analyses.notes.Note`: what
        could not be estimated or was left out, as keys and numbers): the appendix's
        "Asumsi dan keterbatasan" says each in the document's language
        (:func:`kinerja_analysis.reporting.notes.note_lines`), except what the document
        already says beside an estimate (an effect's reason for not being estimated,
        its missing pre-trend test, comparison group or flags).

    The old field names (``tanggal_laporan``, ``distribusi_predikat``,
    ``distribusi_sebelumnya``, ``periode_sebelumnya``, ``kepatuhan_distribusi``,
    ``profil_berakhlak``, ``reliabilitas``, ``efek``, ``provenans``, ``nama_daerah``,
    ``instansi``, ``ambang``, ``sumber_predikat``, ``umpan_balik_perlu``) still work for
    one release (constructor keywords and attribute reads, with a
    ``DeprecationWarning``).
    """

    periode: str
    bahasa: fmt.Bahasa = "id"
    report_date: _dt.date | str
    n_pegawai: int
    n_opd: int
    predikat_distribution: pd.DataFrame | None = None
    previous_distribution: pd.DataFrame | None = None
    previous_periode: str | None = None
    distribution_compliance: pd.DataFrame | None = None
    berakhlak_profile: pd.DataFrame | None = None
    reliability: pd.DataFrame | None = None
    effects: tuple[Effect, ...] = ()
    resistensi: pd.DataFrame | None = None
    pelatihan: Mapping[str, Any] | None = None
    prioritas_pelatihan: pd.DataFrame | None = None
    umpan_balik_needed: pd.DataFrame | None = None
    kandidat_penghargaan: pd.DataFrame | None = None
    kualitas_data: pd.DataFrame | None = None
    kekuatan: Mapping[str, Any] | None = None
    provenance: Mapping[str, Any] | None = None
    periode_data: tuple[str, ...] = ()
    region_name: str = "Kotalama"
    government: str | None = None
    min_sel: int = DEFAULTS.min_sel
    thresholds: Thresholds = field(default_factory=Thresholds)
    predikat_source: str = "angka"
    withheld: frozenset[str] = frozenset()
    predikat_sources: Mapping[str, str] = field(default_factory=dict)
    not_estimated: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[Note, ...] = ()

    def __post_init__(self) -> None:
        if self.bahasa not in ("id", "en"):
            raise ValueError(f"bahasa must be 'id' or 'en', not {self.bahasa!r}")
        object.__setattr__(self, "periode", parse_period(self.periode).code)
        if self.government is None:
            gov = AgencyProfile(name=self.region_name, kind="kota").government(self.bahasa)
            object.__setattr__(self, "government", gov)
        if self.previous_periode is not None:
            object.__setattr__(self, "previous_periode", parse_period(self.previous_periode).code)
        object.__setattr__(self, "effects", tuple(self.effects))
        object.__setattr__(self, "withheld", frozenset(self.withheld))
        object.__setattr__(self, "not_estimated", dict(self.not_estimated))
        object.__setattr__(self, "notes", note_list(self.notes))
        unknown = set(self.not_estimated.values()) - set(_NOT_ESTIMABLE_WORDS)
        if unknown:
            raise ValueError(
                f"not_estimated: unknown reason(s) {sorted(unknown)} "
                f"(known: {sorted(_NOT_ESTIMABLE_WORDS)})"
            )
        object.__setattr__(
            self, "periode_data", tuple(parse_period(p).code for p in self.periode_data)
        )
        for e in self.effects:
            if not isinstance(e, Effect):
                raise ValueError(f"effects must hold Effect objects, not {type(e).__name__}")
        for nama, kolom in _KOLOM.items():
            df = getattr(self, nama)
            if df is None:
                continue
            if not isinstance(df, pd.DataFrame):
                raise ValueError(f"{nama} must be a DataFrame or None, not {type(df).__name__}")
            kurang = [c for c in kolom if c not in df.columns]
            if kurang:
                raise ValueError(
                    f"{nama}: missing column(s) {kurang} (present: {list(df.columns)})"
                )
        for nama in ("predikat_distribution", "previous_distribution"):
            df = getattr(self, nama)
            if df is not None and "persen" in df.columns:
                v = pd.to_numeric(df["persen"], errors="coerce")
                if (v > 1 + 1e-9).any() or (v < 0).any():
                    raise ValueError(
                        f"{nama}: column 'persen' must hold fractions 0–1 (0.125 = 12.5%), "
                        f"not {v.max()}"
                    )
        if self.n_pegawai < 0 or self.n_opd < 0:
            raise ValueError("n_pegawai and n_opd must not be negative")


# ----------------------------------------------------------------------------- evidence


#: Estimation flags that leave part of an estimate undefined (cells not estimable): they
#: cap the grade at "indikatif". Flags resolved by a stated rule (the propensity-score
#: rule of the DiD engine) are reported but do not change the grade.
UNRESOLVED_FLAGS: frozenset[str] = frozenset({"no_controls"})

#: Flag of an estimate resting on too few clusters for its bootstrap inference
#: (:mod:`kinerja_analysis.analyses.rollout`): caps the grade at "indikatif".
FEW_CLUSTERS = "few_clusters"

#: Rambachan–Roth breakdown value (relative magnitudes) below which a "jelas" grade is
#: capped at "indikatif": the conclusion is overturned by a post-programme violation of
#: parallel trends smaller than the largest one already seen before the programme.
BREAKDOWN_MIN = 1.0


def _fragile(efek: Effect) -> bool:
    """The conclusion does not survive a violation of parallel trends as large as the
    largest pre-programme one (breakdown M̄ < :data:`BREAKDOWN_MIN`)."""
    if is_missing(efek.breakdown_rm) or efek.breakdown_rm_censored:
        return False
    return float(efek.breakdown_rm) < BREAKDOWN_MIN  # type: ignore[arg-type]


def _ci_excludes_zero(efek: Effect) -> bool:
    lo, hi = efek.ci_low, efek.ci_high
    if is_missing(lo) or is_missing(hi) or is_missing(efek.estimate):
        return False
    return float(lo) > 0 or float(hi) < 0  # type: ignore[arg-type]


def _pretrend_ok(efek: Effect, alpha: float) -> bool:
    if is_missing(efek.pretrend_p):
        return efek.design != "kausal_did"
    return float(efek.pretrend_p) >= alpha  # type: ignore[arg-type]


def _multiplicity_ok(efek: Effect, alpha: float) -> bool:
    p = efek.p_adjusted if not is_missing(efek.p_adjusted) else efek.p_value
    return is_missing(p) or float(p) < alpha  # type: ignore[arg-type]


@renamed_keywords(efek="effect", alpha_indikatif="alpha_indicative")
def evidence_grade(
    effect: Effect,
    *,
    alpha: float = DEFAULTS.alpha,
    alpha_indicative: float = DEFAULTS.alpha_indicative,
) -> EvidenceGrade:
    """Grade the evidence for an effect.

    Returns
    -------
    str
        ``"jelas"`` (clear), ``"indikatif"`` (indicative) or ``"belum_ada_bukti"``.

    Notes
    -----
    Rule (documented in the report's appendix, too):

    * **jelas** — all of: the 95 % confidence interval excludes zero (strictly: a bound
      at exactly 0 does not exclude it); the p-value adjusted for the family of effects
      the document states (Holm; ``p_adjusted``, else the raw ``p_value``) is below
      ``alpha``; the pre-trend test does not reject parallel trends
      (``pretrend_p >= alpha``; for ``kausal_did`` a missing pre-trend test counts as
      *not passed*, for other designs it is only checked when given); no
      unresolved estimation flag (:data:`UNRESOLVED_FLAGS`); the estimate does not rest
      on too few clusters (flag :data:`FEW_CLUSTERS`); and, where a Rambachan & Roth
      sensitivity analysis is given, its breakdown value M̄ is at least
      :data:`BREAKDOWN_MIN` (the conclusion survives a post-programme violation of
      parallel trends as large as the largest pre-programme one).
    * **indikatif** — not *jelas*, but the interval excludes zero or the raw
      ``p_value < alpha_indicative`` (0.10).
    * **belum_ada_bukti** — otherwise (including a missing estimate or interval).

    The interval decides, not the raw p-value, because bootstrap intervals and p-values
    can disagree slightly; the p-values add the multiplicity condition and the
    "indikatif" grade.
    """
    ci_lepas = _ci_excludes_zero(effect)
    clear = (
        ci_lepas
        and _pretrend_ok(effect, alpha)
        and _multiplicity_ok(effect, alpha)
        and not (set(effect.flags) & UNRESOLVED_FLAGS)
        and FEW_CLUSTERS not in effect.flags
        and not _fragile(effect)
    )
    if clear:
        return "jelas"
    p = effect.p_value
    if ci_lepas or (
        not is_missing(p) and not is_missing(effect.estimate) and float(p) < alpha_indicative  # type: ignore[arg-type]
    ):
        return "indikatif"
    return "belum_ada_bukti"


def _direction(efek: Effect) -> Literal["naik", "turun", "nol"]:
    if is_missing(efek.estimate):
        return "nol"
    lo, hi = efek.ci_low, efek.ci_high
    if not is_missing(lo) and float(lo) > 0:
        return "naik"
    if not is_missing(hi) and float(hi) < 0:
        return "turun"
    e = float(efek.estimate)
    return "naik" if e > 0 else "turun" if e < 0 else "nol"


#: The Koo & Li (2016) categories, lowest first; their words are in ``catalog/narrative.toml``.
_ICC_CATEGORIES = ("rendah", "sedang", "baik", "sangat_baik")
_ICC_WORDS: dict[str, tuple[str, str]] = catalog_pairs(
    "narrative", "icc_categories", _ICC_CATEGORIES
)


def icc_category(icc: float, bahasa: fmt.Bahasa = "id") -> str:
    """Koo & Li (2016) reliability category of an ICC.

    ``< 0.5`` rendah/poor, ``0.5–0.75`` sedang/moderate, ``0.75–0.9`` baik/good,
    ``> 0.9`` sangat baik/excellent. Boundaries belong to the higher class except 0.9
    (``0.5`` is sedang, ``0.75`` is baik, ``0.9`` is baik). Missing gives :data:`fmt.EMPTY`.

    Reference: Koo, T. K., & Li, M. Y. (2016). A guideline of selecting and reporting
    intraclass correlation coefficients for reliability research. *Journal of
    Chiropractic Medicine*, 15(2), 155–163.
    """
    if is_missing(icc):
        return fmt.EMPTY
    v = float(icc)
    i = 0 if v < 0.5 else 1 if v < 0.75 else 2 if v <= 0.9 else 3
    return _ICC_WORDS[_ICC_CATEGORIES[i]][0 if bahasa == "id" else 1]


# ----------------------------------------------------------------------------- formatting


class _TemplateFormat:
    """Number formatting for templates (all through :mod:`fmt`)."""

    def __init__(self, bahasa: fmt.Bahasa):
        self.b = bahasa

    def n(self, x: object) -> str:
        """A count."""
        if is_missing(x):
            return fmt.EMPTY
        return fmt.number(int(round(float(x))), 0, self.b)  # type: ignore[arg-type]

    def angka(self, x: object, d: int = 2) -> str:
        return fmt.number(x, d, self.b)

    def abs(self, x: object, d: int = 2) -> str:
        return fmt.EMPTY if is_missing(x) else fmt.number(abs(float(x)), d, self.b)  # type: ignore[arg-type]

    def pct(self, x: object, d: int = 1) -> str:
        return fmt.percent(x, d, self.b)

    def pp(self, x: object) -> str:
        """Percentage points, already in points, absolute value."""
        return self.abs(x, 1)

    def p(self, x: object) -> str:
        """``p = 0,032`` or ``p < 0,001``."""
        if is_missing(x):
            return "p " + fmt.EMPTY
        v = float(x)  # type: ignore[arg-type]
        return (
            "p < " + fmt.number(0.001, 3, self.b)
            if v < 0.001
            else "p = " + fmt.number(v, 3, self.b)
        )

    def p_cell(self, x: object) -> str:
        """A p-value in a table cell: ``<0,001`` or ``0,032`` (``–`` when missing)."""
        if is_missing(x):
            return fmt.EMPTY
        v = float(x)  # type: ignore[arg-type]
        return "<" + fmt.number(0.001, 3, self.b) if v < 0.001 else fmt.number(v, 3, self.b)

    def periode(self, kode: str) -> str:
        return period_label(kode, self.b)

    def tanggal(self, d: object) -> str:
        return fmt.date(d, self.b)  # type: ignore[arg-type]


def _lowercase_first(s: str) -> str:
    """Lower-case the first letter unless the first word looks like an acronym (IKM, SKP)."""
    if len(s) >= 2 and s[0].isupper() and s[1].islower():
        return s[0].lower() + s[1:]
    return s


def _capitalise(s: str) -> str:
    return s[:1].upper() + s[1:]


def _dimension_label(d: object, bahasa: fmt.Bahasa) -> str:
    return dimension_label(d, bahasa)


def _predikat_label(p: object, bahasa: fmt.Bahasa) -> str:
    return value_label(p, bahasa)


def _md_cell(x: object) -> str:
    return escape_markdown(x)


def _table_md(df: pd.DataFrame, f: _TemplateFormat) -> Markdown:
    """A pipe table as a person reads it: headers and categorical values from the label
    registry, numbers by each column's kind (counts, decimals, shares as percentages)."""
    if df is None or len(df) == 0:
        return ""
    shown = label_values(df, f.b)
    heads = [column_label(str(c), f.b) for c in df.columns]
    head = "| " + " | ".join(_md_cell(h) for h in heads) + " |"
    sep = (
        "|"
        + "|".join(
            "---:"
            if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
            else ":---"
            for c in df.columns
        )
        + "|"
    )
    kinds = [series_kind(str(c), df[c]) for c in df.columns]  # once per column
    rows = []
    for i in range(len(df)):
        cells = [
            _md_cell(format_value(shown[c].iloc[i], jenis, d, f.b))
            for c, (jenis, d) in zip(df.columns, kinds, strict=True)
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return Markdown("\n".join([head, sep, *rows]))


# ----------------------------------------------------------------------------- templates


def bytecode_cache():
    """Jinja's own cache of compiled templates (per user, in the system's temporary
    folder, which Jinja creates private and checks) or ``None`` where that folder is not
    safe or not writable. Compiling the narrative's templates costs about 0,1 s in
    every fresh kernel; the cache is keyed by each template's source, so an edited
    template is compiled again."""
    import jinja2  # lazy: only when rendering

    class _Cache(jinja2.FileSystemBytecodeCache):
        def dump_bytecode(self, bucket) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError:  # a full or read-only disk: the template is simply compiled
                pass

    try:
        return _Cache()
    except (RuntimeError, OSError):
        return None


@lru_cache(maxsize=2)
def _env(bahasa: str):
    import jinja2  # lazy: only when rendering

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATE_DIR / bahasa)),
        bytecode_cache=bytecode_cache(),
        autoescape=False,  # HTML escaping is markdown_to_html's; Markdown's is finalize's
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        undefined=jinja2.StrictUndefined,
    )


def _finalize(value: object) -> object:
    """Every ``{{ … }}`` of a template: text is escaped as Markdown (a data value shows
    its characters, :func:`~kinerja_analysis.reporting.markup.escape_markdown`) unless
    it is :class:`~kinerja_analysis.reporting.markup.Markdown` the project wrote
    (tables, rendered sentences); numbers and other values as they are."""
    return escape_markdown(value) if isinstance(value, str) else value


def _render(bahasa: str, nama: str, **ctx: Any) -> str:
    teks = _env(bahasa).get_template(f"{nama}.md.j2").render(**ctx)
    teks = re.sub(r"[ \t]+\n", "\n", teks)
    teks = re.sub(r"\n{3,}", "\n\n", teks)
    # numbered items always separated by one blank line (a consistent "loose" list)
    teks = re.sub(r"\n+(?=\d+\. \*\*)", "\n\n", teks)
    return Markdown(teks.strip())


# ----------------------------------------------------------------------------- effects


def _effect_context(e: Effect, bahasa: fmt.Bahasa, f: _TemplateFormat) -> dict[str, Any]:
    t = evidence_grade(e)
    arah = _direction(e)
    label = e.label_id if bahasa == "id" else e.label_en
    lo, hi = e.ci_low, e.ci_high
    ci_lepas = _ci_excludes_zero(e)
    alasan = None
    if t == "indikatif":
        if not ci_lepas:
            alasan = "ci"
        elif not _pretrend_ok(e, DEFAULTS.alpha):
            alasan = "pretrend_gagal" if not is_missing(e.pretrend_p) else "pretrend_tidak_ada"
        elif FEW_CLUSTERS in e.flags:
            alasan = "klaster"
        elif _fragile(e):
            alasan = "sensitivitas"
        elif set(e.flags) & UNRESOLVED_FLAGS:
            alasan = "estimasi"
        else:
            alasan = "multiplisitas"
    baik = None if arah == "nol" else arah == e.good_direction
    expected = e.expected_direction or e.good_direction
    return {
        "ringkas": False,  # the executive summary renders it with True
        "kunci": e.key,
        "tingkat": t,
        "kausal": e.design.startswith("kausal"),
        "desain": e.design,
        "arah": arah,
        "baik": baik,
        "alasan": alasan,
        "Label": _capitalise(label),
        "label": _lowercase_first(label),
        "hasil": e.hasil_id if bahasa == "id" else e.hasil_en,
        "satuan": e.unit_id if bahasa == "id" else e.unit_en,
        "ada_estimasi": not is_missing(e.estimate),
        "besar": f.abs(e.estimate, e.decimals),
        "est": f.angka(e.estimate, e.decimals),
        "sd": None if is_missing(e.estimate_sd) else f.abs(e.estimate_sd, 2),
        "sd_bertanda": None if is_missing(e.estimate_sd) else f.angka(e.estimate_sd, 2),
        "lo": f.angka(lo, e.decimals),
        "hi": f.angka(hi, e.decimals),
        "p": None if is_missing(e.p_value) else f.p(e.p_value),
        "p_holm": None if is_missing(e.p_adjusted) else f.p(e.p_adjusted),
        "pretrend": None if is_missing(e.pretrend_p) else f.p(e.pretrend_p),
        "n_obs": None if e.n_obs is None or is_missing(e.n_obs) else f.n(e.n_obs),
        "metode": e.method,
        "estimate": None if is_missing(e.estimate) else float(e.estimate),
        "catatan": list(e.flags),
        "sensitivitas": _sensitivity_context(e, t, ci_lepas, bahasa, f),
        # the direction the programme was expected to move the outcome (hypothesis)
        "sesuai_dugaan": None if arah == "nol" else arah == expected,
        "pretrend_alasan": e.pretrend_reason or None,
        "pembanding_belum_dilatih": e.comparison == "not_yet_treated",
        "klaster": None
        if FEW_CLUSTERS not in e.flags or e.n_clusters is None
        else {
            "n": f.n(e.n_clusters),
            "n_terap": None if e.n_treated_clusters is None else f.n(e.n_treated_clusters),
            "n_tidak": None if e.n_untreated_clusters is None else f.n(e.n_untreated_clusters),
            "min": f.n(MIN_CLUSTERS),
            "min_sisi": f.n(MIN_CLUSTERS_PER_SIDE),
        },
    }


def _sensitivity_context(
    e: Effect, tingkat: str, ci_lepas: bool, bahasa: fmt.Bahasa, f: _TemplateFormat
) -> dict[str, Any] | None:
    """What the sensitivity sentence needs: the breakdown value of a significant effect."""
    program = e.program_id if bahasa == "id" else e.program_en
    if is_missing(e.breakdown_rm) or not program or not ci_lepas or tingkat == "belum_ada_bukti":
        return None
    m = float(e.breakdown_rm)  # type: ignore[arg-type]
    return {
        "program": program,
        "mbar": f.angka(m, 2),
        "nol": m < 0.005,
        "batas_atas": bool(e.breakdown_rm_censored),
    }


@renamed_keywords(efek="effect")
def effect_sentence(effect: Effect, bahasa: fmt.Bahasa = "id") -> str:
    """The sentence that reports one effect, graded by evidence and design.

    Returns
    -------
    str
        E.g. ``"Pelatihan yang relevan meningkatkan capaian SKP sebesar 2,41 poin
        (0,21 SD; IK 95%: 1,10 sampai 3,72)."``

    Notes
    -----
    Causal verbs ("meningkatkan"/"menurunkan", "raised"/"lowered") only for a
    ``kausal_*`` design with evidence "jelas"; "ada indikasi … cenderung" for
    "indikatif"; "belum terdapat bukti bahwa …" otherwise; an ``asosiasi`` design says
    "berkaitan dengan" and never uses a causal verb.
    """
    if bahasa not in ("id", "en"):
        raise ValueError(f"bahasa must be 'id' or 'en', not {bahasa!r}")
    f = _TemplateFormat(bahasa)
    return _render(bahasa, "efek", e=_effect_context(effect, bahasa, f))


# ----------------------------------------------------------------------------- section data


def _int_or_nan(x: object) -> float:
    return np.nan if is_missing(x) else float(x)  # type: ignore[arg-type]


def _sort_predikat(df: pd.DataFrame) -> pd.DataFrame:
    rank = {p: i for i, p in enumerate(_PREDIKAT_URUT)}
    d = df.copy()
    d["_r"] = [rank.get(str(p), len(rank)) for p in d["predikat"]]
    return d.sort_values(["_r"], kind="stable").drop(columns="_r").reset_index(drop=True)


def _shares(df: pd.DataFrame) -> pd.Series:
    if "persen" in df.columns:
        return pd.to_numeric(df["persen"], errors="coerce").astype(float)
    n = pd.to_numeric(df["n"], errors="coerce").astype(float)
    tot = n.sum()
    return n / tot if tot > 0 else n * np.nan


def _r1(x: float) -> float:
    """Round a share to the 1-decimal percent that the text prints."""
    return float(f"{x * 100:.1f}")


def _distribution_context(fk: PeriodFacts) -> dict[str, Any] | None:
    """The predikat distribution of the period for the text; ``None`` when nobody has a
    predikat in it (the text then says the data are not available, never "0 ASN")."""
    if fk.predikat_distribution is None:
        return None
    if not (pd.to_numeric(fk.predikat_distribution["n"], errors="coerce") > 0).any():
        return None
    cur = _sort_predikat(fk.predikat_distribution)
    cur = cur.assign(prop=_shares(cur).to_numpy())
    prev = None
    src_now = fk.predikat_sources.get(fk.periode)
    src_prev = fk.predikat_sources.get(fk.previous_periode) if fk.previous_periode else None
    # an official predikat and a computed one are different measurements: no change
    # between them is stated
    sumber_beda = (
        {
            "sebelumnya": value_label(src_prev, fk.bahasa),
            "sekarang": value_label(src_now, fk.bahasa),
        }
        if src_now is not None and src_prev is not None and src_now != src_prev
        else None
    )
    mixed = len(set(fk.predikat_sources.values())) > 1
    if fk.previous_distribution is not None and sumber_beda is None:
        prev = fk.previous_distribution.copy()
        prev = prev.assign(prop=_shares(prev).to_numpy())
        prev_s = suppress_small_cells(prev[["predikat", "n", "prop"]], "n", fk.min_sel)
        prev_map = {
            str(r.predikat): (None if r.disembunyikan else r.prop)
            for r in prev_s.itertuples(index=False)
        }
    if "disembunyikan" in cur.columns:
        # an OPD's document: the OPD's row of the city's table, hidden cells as the city
        # hides them (suppressed over every OPD), never a pattern of its own
        sup = cur.assign(disembunyikan=cur["disembunyikan"].astype("boolean").fillna(True))
    else:
        sup = suppress_small_cells(cur[["predikat", "n", "prop"]], "n", fk.min_sel)
    n_total: int | None = int(pd.to_numeric(cur["n"]).sum())
    shown = ~sup["disembunyikan"].astype(bool).to_numpy()
    if "disembunyikan" in cur.columns and not (pd.to_numeric(cur["n"])[shown] > 0).any():
        # the city's row hides every cell of this OPD: its total is not given away by
        # the city's table (n / share of a shown cell), so this document withholds it too
        n_total = None
    # the number with a predikat, beside the public head-count, gives the ASN without
    # one: not stated when that group is a hidden cell (facts: ``total_disembunyikan``)
    total_sisa = "total_disembunyikan" in cur.columns and bool(cur["total_disembunyikan"].any())
    if total_sisa:
        n_total = None
    rows = []
    for r_raw, r in zip(cur.itertuples(index=False), sup.itertuples(index=False), strict=True):
        row: dict[str, Any] = {
            "predikat": _predikat_label(r_raw.predikat, fk.bahasa),
            "kecil": bool(r.disembunyikan),
            "n": None if r.disembunyikan else int(r_raw.n),
            # a share of the number with a predikat gives that number back
            "prop": None if r.disembunyikan or total_sisa else float(r_raw.prop),
            "beda": None,
        }
        if prev is not None and not r.disembunyikan and not total_sisa:
            pv = prev_map.get(str(r_raw.predikat), 0.0)
            if pv is not None and not is_missing(pv) and not is_missing(r_raw.prop):
                row["beda"] = round(_r1(float(r_raw.prop)) - _r1(float(pv)), 1)
        rows.append(row)
    terbanyak = _most_common(rows, n_total)
    return {
        "n_total": n_total,
        "total_sisa": total_sisa,
        "baris": rows,
        "ada_sebelumnya": prev is not None,
        # the previous period's distribution withheld in an OPD's document (differencing)
        "sebelumnya_ditahan": prev is None
        and fk.previous_periode is not None
        and ("predikat" in fk.withheld or f"predikat:{fk.previous_periode}" in fk.withheld),
        "periode_sebelumnya": fk.previous_periode,
        "terbanyak": terbanyak,
        "ada_kecil": any(r["kecil"] for r in rows),
        "sumber_beda": sumber_beda,
        # the window holds periods of both sources: this period's is named
        "sumber_kata": value_label(src_now, fk.bahasa) if mixed and src_now else None,
    }


def _most_common(rows: list[dict[str, Any]], n_total: int | None) -> dict[str, Any] | None:
    """The most frequent predikat, from the counts the document shows: the largest shown,
    non-zero count, and only when no hidden cell can exceed it — no cell is hidden, or
    the hidden cells together (the shown total minus the shown counts, which a reader can
    compute as well) are fewer. ``None`` when the shown counts cannot say it."""
    shown = [r for r in rows if r["n"] is not None]
    top = max(shown, key=lambda r: r["n"], default=None)
    if top is None or top["n"] <= 0:
        return None
    if any(r["kecil"] for r in rows):
        if n_total is None:
            return None
        hidden = n_total - sum(r["n"] for r in shown)
        if hidden >= top["n"]:
            return None
    if sum(r["n"] == top["n"] for r in shown) > 1:
        return None  # a tie: no single most frequent predikat
    return top


def _compliance_context(fk: PeriodFacts) -> dict[str, Any] | None:
    k = fk.distribution_compliance
    if k is None:
        return None
    d = k.copy()
    # a rule that reads a cell the predikat table hides is not judged (facts._shown_compliance)
    hid = (
        d["disembunyikan"].astype(bool) if "disembunyikan" in d else pd.Series(False, index=d.index)
    )
    patuh = d["patuh"].astype("boolean").mask(hid.to_numpy())
    opd_semua = pd.unique(d["opd"])
    tidak = d.loc[(patuh == False).fillna(False).to_numpy()]  # noqa: E712
    opd_tidak = list(pd.unique(tidak["opd"]))
    tanpa_data = [o for o in opd_semua if d.loc[d["opd"] == o, "patuh"].isna().all()]
    # OPDs whose every judged rule holds but some rule reads a hidden cell: not assessed
    ditahan = [
        o
        for o in opd_semua
        if o not in opd_tidak and o not in tanpa_data and hid[d["opd"] == o].any()
    ]
    terbesar = None
    if len(tidak):
        sel = pd.to_numeric(tidak["selisih"], errors="coerce")
        r = tidak.loc[sel.idxmax()]
        terbesar = {
            "opd": str(r["opd"]),
            "aturan": rule_label(r["aturan"], fk.bahasa),
            "selisih": float(sel.max()) * 100,
        }
    return {
        "n_opd": len(opd_semua),
        "n_tidak": len(opd_tidak),
        "opd_tidak": [str(o) for o in opd_tidak],
        "n_tanpa_data": len(tanpa_data),
        "n_ditahan": len(ditahan),
        "n_dinilai": len(opd_semua) - len(tanpa_data) - len(ditahan),
        "terbesar": terbesar,
    }


def _berakhlak_context(fk: PeriodFacts) -> dict[str, Any] | None:
    p = fk.berakhlak_profile
    if p is None or len(p) == 0:
        return None
    d = p.copy()
    d["skor"] = pd.to_numeric(d["skor"], errors="coerce")
    d = d.dropna(subset=["skor"])
    if len(d) == 0:
        return None
    ada_perubahan = "perubahan" in d.columns and d["perubahan"].notna().any()

    def baris(r: pd.Series) -> dict[str, Any]:
        ch = r["perubahan"] if "perubahan" in r.index else None
        return {
            "dimensi": _dimension_label(r["dimensi"], fk.bahasa),
            "skor": float(r["skor"]),
            # rounded as printed, so a change that prints as 0,00 reads "tetap"
            "perubahan": None if is_missing(ch) else round(float(ch), 2),
        }

    hi = d.loc[d["skor"].idxmax()]
    lo = d.loc[d["skor"].idxmin()]
    return {
        "terkuat": baris(hi),
        "terlemah": baris(lo),
        "sama": bool(d["skor"].max() == d["skor"].min()),
        "ada_perubahan": bool(ada_perubahan),
        "n_dimensi": len(d),
    }


def _range(s: pd.Series, bahasa: fmt.Bahasa) -> dict[str, Any] | None:
    v = pd.to_numeric(s, errors="coerce").dropna()
    if len(v) == 0:
        return None
    a, b = float(v.min()), float(v.max())
    ka, kb = icc_category(a, bahasa), icc_category(b, bahasa)
    return {"min": a, "max": b, "kat_min": ka, "kat_max": kb, "satu": len(v) == 1 or a == b}


def _reliability_context(fk: PeriodFacts) -> dict[str, Any] | None:
    r = fk.reliability
    if r is None or len(r) == 0:
        return None
    out = {
        "icc1": _range(r["icc1"], fk.bahasa),
        "icc1k": _range(r["icc1k"], fk.bahasa),
        "alpha": None,
        "terendah": None,
    }
    if "alpha_k" in r.columns:
        a = pd.to_numeric(r["alpha_k"], errors="coerce").dropna()
        if len(a):
            out["alpha"] = {
                "min": float(a.min()),
                "max": float(a.max()),
                "satu": a.min() == a.max(),
            }
    k = pd.to_numeric(r["icc1k"], errors="coerce")
    if k.notna().any() and len(r) > 1:
        out["terendah"] = _dimension_label(r.loc[k.idxmin(), "dimensi"], fk.bahasa)
    return out


def _safe_rows(df: pd.DataFrame, n_col: str, fk: PeriodFacts) -> pd.DataFrame:
    """Rows describing at least ``min_sel`` employees (no totals shown: primary only)."""
    s = suppress_small_cells(df, n_col, fk.min_sel, totals_shown=False, hide_count=False)
    return df.loc[~s["disembunyikan"].to_numpy()].copy()


def _compares(per_opd: pd.DataFrame) -> bool:
    """Whether a per-OPD table can rank OPDs ("lowest in …", "most often in …"): it
    holds at least two OPDs. A document of one OPD never compares the OPD with itself."""
    return "opd" in per_opd.columns and per_opd["opd"].nunique() >= 2


def _resistance_context(fk: PeriodFacts) -> dict[str, Any] | None:
    r = fk.resistensi
    if r is None:
        return None
    aman = _safe_rows(r, "n", fk)
    n_kecil = len(r) - len(aman)
    aman["penerimaan"] = pd.to_numeric(aman["penerimaan"], errors="coerce")
    terendah = aman.dropna(subset=["penerimaan"]).sort_values("penerimaan", kind="stable")
    terendah = terendah.head(fk.thresholds.n_named) if _compares(terendah) else terendah.iloc[0:0]
    a = fk.thresholds

    def hidden(col: str) -> pd.Series:
        # a share withheld as a small group (or its complement), not one not assessable
        if col not in aman.columns:
            return pd.Series(False, index=aman.index)
        return aman[col].fillna(False).astype(bool)

    tanda = (pd.to_numeric(aman["pct_skp_kosong"], errors="coerce") >= a.empty_skp_share) | (
        pd.to_numeric(aman["pct_tanpa_umpan_balik"], errors="coerce") >= a.without_umpan_balik_share
    )
    sinyal = aman[tanda]
    # an OPD whose shown shares are under the thresholds but one of whose shares is
    # withheld is not judged (its withheld share might be over): counted, never named
    tak_dinilai = ~tanda & (
        hidden("skp_kosong_disembunyikan") | hidden("tanpa_umpan_balik_disembunyikan")
    )
    return {
        "terendah": [
            {
                "opd": str(x.opd),
                "penerimaan": float(x.penerimaan),
                "skp_kosong": _int_or_nan(x.pct_skp_kosong),
                "tanpa_ub": _int_or_nan(x.pct_tanpa_umpan_balik),
                "skp_kosong_disembunyikan": bool(getattr(x, "skp_kosong_disembunyikan", False)),
                "tanpa_ub_disembunyikan": bool(
                    getattr(x, "tanpa_umpan_balik_disembunyikan", False)
                ),
            }
            for x in terendah.itertuples(index=False)
        ],
        "n_opd": len(aman),
        "n_kecil": n_kecil,
        "sinyal": [str(o) for o in sinyal["opd"]],
        # OPDs not judged because a share of theirs is withheld as a small group
        "n_disembunyikan": int(tak_dinilai.sum()),
        # "skp" / "penilaian_resmi" / "umpan_balik": absence not assessable this period
        "tak_dinilai": list(r.attrs.get("tak_dinilai", [])),
        # tables without any row up to this period (they start later): not available
        "tidak_tersedia": list(r.attrs.get("tidak_tersedia", [])),
    }


def _training_context(fk: PeriodFacts, efek: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    p = fk.pelatihan
    if p is None:
        return None

    def ambil(k: str) -> float | None:
        v = p.get(k)
        return None if is_missing(v) else float(v)

    jp_opd = None
    tabel = p.get("jp_per_opd")
    if isinstance(tabel, pd.DataFrame) and len(tabel) and "jp_per_asn" in tabel.columns:
        t = _safe_rows(tabel, "n", fk) if "n" in tabel.columns else tabel
        t = t.assign(jp_per_asn=pd.to_numeric(t["jp_per_asn"], errors="coerce"))
        t = t.dropna(subset=["jp_per_asn"]).sort_values("jp_per_asn", kind="stable")
        jp_opd = (
            [
                {"opd": str(x.opd), "jp": float(x.jp_per_asn)}
                for x in t.head(fk.thresholds.n_named).itertuples(index=False)
            ]
            if _compares(t)
            else None
        )
    ts = efek.get("pelatihan_tidak_sesuai")
    pembanding = efek.get("pelatihan_relevan") or efek.get("pelatihan_difasilitasi")
    lebih_lemah = (
        ts is not None
        and pembanding is not None
        and ts["estimate"] is not None
        and pembanding["estimate"] is not None
        and ts["estimate"] < pembanding["estimate"]
    )
    return {
        "pct_di_bawah_20jp": ambil("pct_di_bawah_20jp"),
        "jp_per_asn": ambil("jp_per_asn"),
        "pct_mandiri": ambil("pct_mandiri"),
        "pct_mandiri_tidak_sesuai": ambil("pct_mandiri_tidak_sesuai"),
        # a share withheld because it would give back a small group (said, not shown)
        "pct_di_bawah_20jp_disembunyikan": bool(p.get("pct_di_bawah_20jp_disembunyikan")),
        "pct_mandiri_disembunyikan": bool(p.get("pct_mandiri_disembunyikan")),
        "pct_mandiri_tidak_sesuai_disembunyikan": bool(
            p.get("pct_mandiri_tidak_sesuai_disembunyikan")
        ),
        "jp_tidak_tersedia_sejak": p.get("jp_tidak_tersedia_sejak"),
        "jp_disembunyikan": bool(p.get("jp_disembunyikan", False)),
        "jp_opd": jp_opd,
        "efek_tidak_sesuai": ts,
        "pembanding": pembanding,
        "lebih_lemah": lebih_lemah,
    }


def _is_clear(e: dict[str, Any] | None) -> bool:
    """At least indicative evidence, in the beneficial direction."""
    return e is not None and e["tingkat"] != "belum_ada_bukti" and e["baik"] is True


def _is_harmful(e: dict[str, Any] | None) -> bool:
    return e is not None and e["tingkat"] != "belum_ada_bukti" and e["baik"] is False


@dataclass(frozen=True)
class _Contexts:
    """The section contexts the recommendations and findings are chosen from: the
    effects by key, and each section's context (``None`` when its data are absent)."""

    efek: dict[str, dict[str, Any]]
    distribusi: dict[str, Any] | None
    kepatuhan: dict[str, Any] | None
    resistensi: dict[str, Any] | None
    pelatihan: dict[str, Any] | None
    reliabilitas: dict[str, Any] | None


def _recommendation_context(fk: PeriodFacts, c: _Contexts) -> list[dict[str, Any]]:
    efek, kepatuhan, pelatihan, resistensi = c.efek, c.kepatuhan, c.pelatihan, c.resistensi
    a = fk.thresholds
    out: list[dict[str, Any]] = []

    # 1. more facilitated, relevant training
    alasan_efek = [
        efek[k] for k in ("pelatihan_difasilitasi", "pelatihan_relevan") if _is_clear(efek.get(k))
    ]
    pct20 = pelatihan["pct_di_bawah_20jp"] if pelatihan else None
    jp_kurang = pct20 is not None and pct20 >= a.jp_substansial
    if alasan_efek or jp_kurang:
        out.append(
            {
                "kunci": "pelatihan_difasilitasi",
                "efek": alasan_efek,
                "pct_di_bawah_20jp": pct20 if jp_kurang else None,
            }
        )

    # 2. self-sought training that does not fit the job
    pts = pelatihan["pct_mandiri_tidak_sesuai"] if pelatihan else None
    if pts is not None and pts >= a.mismatched_training_share:
        out.append(
            {
                "kunci": "pelatihan_sesuai_kebutuhan",
                "pct": pts,
                "lebih_lemah": bool(pelatihan and pelatihan["lebih_lemah"]),
            }
        )

    # 3. priority competency gaps
    if fk.prioritas_pelatihan is not None and len(fk.prioritas_pelatihan):
        t = _safe_rows(fk.prioritas_pelatihan, "n_asn", fk)
        t = t.assign(kesenjangan=pd.to_numeric(t["kesenjangan"], errors="coerce"))
        t = t[t["kesenjangan"] > 0].sort_values("kesenjangan", ascending=False, kind="stable")
        if len(t):
            out.append(
                {
                    "kunci": "prioritas",
                    "baris": [
                        {
                            "opd": str(x.opd),
                            "dimensi": _dimension_label(x.dimensi, fk.bahasa),
                            "kesenjangan": float(x.kesenjangan),
                            "n_asn": int(x.n_asn),
                        }
                        for x in t.head(a.n_named).itertuples(index=False)
                    ],
                }
            )

    # 4. feedback quality and coverage
    ub_buruk = efek.get("umpan_balik_buruk")
    ub_baik = efek.get("umpan_balik_baik")
    opd_buruk: list[dict[str, Any]] = []
    opd_tanpa: list[dict[str, Any]] = []
    sesi: dict[str, int] | None = None
    if fk.umpan_balik_needed is not None and _compares(fk.umpan_balik_needed):
        at = fk.umpan_balik_needed.attrs
        if at.get("n_sesi_tanpa_kualitas"):
            sesi = {"n": int(at["n_sesi"]), "tanpa_kualitas": int(at["n_sesi_tanpa_kualitas"])}
        t = _safe_rows(fk.umpan_balik_needed, "n", fk)
        kb = pd.to_numeric(t["pct_kualitas_buruk"], errors="coerce")
        tu = pd.to_numeric(t["pct_tanpa_umpan_balik"], errors="coerce")
        tb = t.assign(nilai=kb)[kb >= a.poor_umpan_balik_share].sort_values(
            "nilai", ascending=False
        )
        tt = t.assign(nilai=tu)[tu >= a.without_umpan_balik_share].sort_values(
            "nilai", ascending=False
        )
        opd_buruk = [
            {"opd": str(x.opd), "pct": float(x.nilai)}
            for x in tb.head(a.n_named).itertuples(index=False)
        ]
        opd_tanpa = [
            {"opd": str(x.opd), "pct": float(x.nilai)}
            for x in tt.head(a.n_named).itertuples(index=False)
        ]
    if opd_buruk or opd_tanpa or _is_harmful(ub_buruk) or _is_clear(ub_baik):
        out.append(
            {
                "kunci": "umpan_balik",
                "opd_buruk": opd_buruk,
                "opd_tanpa": opd_tanpa,
                # sessions without a quality rating (the shares are of rated sessions)
                "sesi": sesi,
                "efek_buruk": ub_buruk if _is_harmful(ub_buruk) else None,
                "efek_baik": ub_baik if _is_clear(ub_baik) else None,
            }
        )

    # 5. communication training
    kom = efek.get("pelatihan_komunikasi")
    if _is_clear(kom):
        out.append({"kunci": "komunikasi", "efek": kom})

    # 6. calibrate predikat where the distribution does not conform
    if kepatuhan and kepatuhan["n_tidak"] > 0:
        out.append(
            {
                "kunci": "kalibrasi",
                "n_tidak": kepatuhan["n_tidak"],
                "opd": kepatuhan["opd_tidak"][: a.n_named],
            }
        )

    # 7. support OPDs with signs of resistance
    if resistensi and resistensi["sinyal"]:
        out.append(
            {
                "kunci": "pendampingan",
                "opd": resistensi["sinyal"][: a.n_named],
                "n": len(resistensi["sinyal"]),
            }
        )

    # 8. structured evaluation rollout
    rollout = [
        efek[k]
        for k in ("penerapan_ikm", "penerapan_tepat_waktu", "penerapan_pengaduan")
        if k in efek
    ]
    if rollout:
        out.append(
            {
                "kunci": "penerapan",
                "terbukti": [e for e in rollout if e["tingkat"] == "jelas" and e["baik"] is True],
                "merugikan": [e for e in rollout if _is_harmful(e)],
            }
        )

    # 9. power for the next round (minimum detectable effects)
    kekuatan = dict(fk.kekuatan or {})
    if kekuatan.get("pelatihan") or kekuatan.get("umpan_balik"):
        pel = kekuatan.get("pelatihan")
        out.append(
            {
                "kunci": "kekuatan",
                "pelatihan": None
                if not pel
                else {
                    **pel,
                    "per": pel["per_id"] if fk.bahasa == "id" else pel["per_en"],
                    "tercapai": bool(np.isfinite(pel["n_needed"])),
                    "mde_ada": bool(np.isfinite(pel["mde"])),
                    "tanpa_peserta": not pel["n_per_period"] > 0,
                },
                "umpan_balik": kekuatan.get("umpan_balik"),
            }
        )

    # 10. reward pool
    if fk.kandidat_penghargaan is not None and len(fk.kandidat_penghargaan):
        kp = fk.kandidat_penghargaan
        # ``ditahan``: withheld in an OPD's document (differencing against the city's
        # count, facts._opd_recognition_candidates); said with its reason
        ditahan = kp["ditahan"].astype(bool) if "ditahan" in kp else pd.Series(False, kp.index)
        s = suppress_small_cells(
            kp.assign(n=kp["n"].fillna(0)), "n", fk.min_sel, totals_shown=False
        )
        out.append(
            {
                "kunci": "penghargaan",
                "baris": [
                    {
                        "kriteria": value_label(r0.kriteria, fk.bahasa),
                        "n": None if r1.disembunyikan or d else int(r0.n),
                        "ditahan": bool(d),
                    }
                    for r0, r1, d in zip(
                        kp.itertuples(index=False),
                        s.itertuples(index=False),
                        ditahan.to_numpy(),
                        strict=True,
                    )
                ],
            }
        )
    return out


def _conclusion_context(
    efek_list: list[dict[str, Any]], dist: dict[str, Any] | None
) -> dict[str, Any]:
    return {
        "n_efek": len(efek_list),
        "jelas_baik": [e for e in efek_list if e["tingkat"] == "jelas" and e["baik"] is True],
        # harm the hypothesis expected (poor feedback lowering performance) is a finding,
        # not a surprise; harm against the hypothesis is to be investigated
        "jelas_buruk_diduga": [
            e
            for e in efek_list
            if e["tingkat"] == "jelas" and e["baik"] is not True and e["sesuai_dugaan"] is True
        ],
        "jelas_buruk": [
            e
            for e in efek_list
            if e["tingkat"] == "jelas" and e["baik"] is not True and e["sesuai_dugaan"] is not True
        ],
        "indikatif": [e for e in efek_list if e["tingkat"] == "indikatif"],
        "belum": [e for e in efek_list if e["tingkat"] == "belum_ada_bukti"],
        # non-zero counts only, in this order: "5 clear and 6 without evidence", never "0 …"
        "hitungan": [
            (jenis, n)
            for jenis, n in (
                ("jelas", sum(e["tingkat"] == "jelas" for e in efek_list)),
                ("indikatif", sum(e["tingkat"] == "indikatif" for e in efek_list)),
                ("belum", sum(e["tingkat"] == "belum_ada_bukti" for e in efek_list)),
            )
            if n
        ],
        "terbanyak": dist["terbanyak"] if dist else None,
        "n_total": dist["n_total"] if dist else None,
    }


#: The cells of an effect in the appendix's tables (:func:`_effect_cells`).
_EFFECT_CELLS = (
    "pengaruh",
    "hasil",
    "perkiraan",
    "ik",
    "sd",
    "p",
    "p_holm",
    "pretrend",
    "batas",
    "n",
    "desain",
    "tingkat",
)


def _effect_cells(e: Effect, f: _TemplateFormat) -> dict[str, str]:
    id_ = f.b == "id"
    sep = " sampai " if id_ else " to "
    return {
        "pengaruh": e.label_id if id_ else e.label_en,
        "hasil": e.hasil_id if id_ else e.hasil_en,
        "perkiraan": f"{f.angka(e.estimate, e.decimals)} {e.unit_id if id_ else e.unit_en}",
        "ik": f"{f.angka(e.ci_low, e.decimals)}{sep}{f.angka(e.ci_high, e.decimals)}",
        "sd": f.angka(e.estimate_sd, 2),
        "p": f.p_cell(e.p_value),
        "p_holm": f.p_cell(e.p_adjusted),
        "pretrend": f.p_cell(e.pretrend_p),
        "batas": (
            ("≥ " if e.breakdown_rm_censored else "") + f.angka(e.breakdown_rm, 2)
            if not is_missing(e.breakdown_rm)
            else fmt.EMPTY
        ),
        "n": f.n(e.n_obs),
        "desain": value_label(e.design, f.b),
        "tingkat": value_label(evidence_grade(e), f.b),
    }


def _effect_tables() -> tuple[tuple[tuple[str, str, str], ...], ...]:
    """The appendix's effect tables from ``catalog/narrative.toml``: per column ``(cell,
    Indonesian header, English header)``, the cells among :data:`_EFFECT_CELLS`."""
    tables = load_catalog("narrative")["effect_tables"]
    unknown = {c["cell"] for t in tables for c in t["columns"]} - set(_EFFECT_CELLS)
    if unknown:
        raise CatalogError(
            f"narrative.toml [[effect_tables]]: unknown cell {', '.join(sorted(unknown))} "
            f"(known: {', '.join(_EFFECT_CELLS)})"
        )
    return tuple(tuple((c["cell"], c["id"], c["en"]) for c in t["columns"]) for t in tables)


#: The appendix's effect tables: ``(cell, header id, header en)`` per column. Two tables
#: of at most six columns each, so they fit a portrait A4 page and a phone screen.
_EFFECT_TABLES = _effect_tables()


def _effects_table_md(efek: tuple[Effect, ...], f: _TemplateFormat) -> Markdown:
    """The effects of the appendix as two pipe tables (estimates; tests and design)."""
    if not efek:
        return ""
    i = 0 if f.b == "id" else 1
    cells = [_effect_cells(e, f) for e in efek]
    text_cols = ("pengaruh", "hasil", "tingkat", "desain")
    out = []
    for spec in _EFFECT_TABLES:
        head = "| " + " | ".join(col[1 + i] for col in spec) + " |"
        sep_row = "|" + "|".join(":---" if c[0] in text_cols else "---:" for c in spec) + "|"
        rows = ["| " + " | ".join(_md_cell(c[col[0]]) for col in spec) + " |" for c in cells]
        out.append("\n".join([head, sep_row, *rows]))
    return Markdown("\n\n".join(out))


def _effect_notes(efek: tuple[Effect, ...], bahasa: fmt.Bahasa) -> list[dict[str, Any]]:
    """Effects with estimation flags: the label and the flags in words (:data:`FLAGS`)."""
    return [
        {
            "label": e.label_id if bahasa == "id" else e.label_en,
            "catatan": [flag_label(k, bahasa) for k in e.flags],
        }
        for e in efek
        if e.flags
    ]


def _sources_by_period(sources: object, bahasa: fmt.Bahasa) -> str | None:
    """The predikat source of each period in words, consecutive periods of one source
    as a range (``"Triwulan III 2024–Triwulan IV 2024: Predikat resmi e-Kinerja; Triwulan
    I 2025: Dihitung …"``); ``None`` when every period has the same source."""
    if not isinstance(sources, Mapping) or len(set(map(str, sources.values()))) < 2:
        return None
    runs: list[list[str]] = []
    for p, src in sources.items():
        if runs and runs[-1][0] == str(src):
            runs[-1][2] = str(p)
        else:
            runs.append([str(src), str(p), str(p)])
    parts = []
    for src, first, last in runs:
        span = period_label(first, bahasa)
        if last != first:
            span += "–" + period_label(last, bahasa)
        parts.append(f"{span}: {value_label(src, bahasa)}")
    return "; ".join(parts)


#: The effect a note's ``analisis`` is about, where the document shows that effect's
#: flags and comparison beside it (``effects.csv`` keys).
_EFFECT_OF_ANALYSIS = {
    "pelatihan": "pelatihan",
    "komunikasi_perilaku": "pelatihan_komunikasi_perilaku",
}


def _shown_topics(fk: PeriodFacts, efek: list[dict[str, Any]]) -> set[tuple[str, ...]]:
    """What this document already says beside its estimates, as note topics
    (:func:`kinerja_analysis.reporting.notes.note_topic`): why an effect was not
    estimated (Hasil, Kesimpulan), why a rollout outcome has no pre-trend test (the
    effect's sentence, when it gives the reason), an effect's not-yet-trained comparison
    (its sentence) and its flags (the appendix's estimation notes)."""
    out = {("tidak_diestimasi", k, r) for k, r in fk.not_estimated.items()}
    outcome = effect_outcomes()
    for e in efek:
        reason = e.get("pretrend_alasan")
        stated = e["tingkat"] == "indikatif" and e["alasan"] == "pretrend_tidak_ada"
        if stated and reason in ("saturated", "no_pre_period") and e["kunci"] in outcome:
            out.add(("pretrend", outcome[e["kunci"]][1], reason))
    by_key = {e.key: e for e in fk.effects}
    for analysis, key in _EFFECT_OF_ANALYSIS.items():
        eff = by_key.get(key)
        if eff is None:
            continue
        out |= {("sel_ditandai", analysis, f) for f in eff.flags}
        if eff.comparison == "not_yet_treated" and not is_missing(eff.estimate):
            out.add(("pembanding_belum_dilatih", analysis))
    return out


def _not_estimated_context(fk: PeriodFacts) -> list[dict[str, str]]:
    """The effects that could not be estimated, each with its reason in words."""
    i = 0 if fk.bahasa == "id" else 1
    return [
        {
            "kunci": k,
            "Apa": _NOT_ESTIMABLE_EFFECTS[k][i] if k in _NOT_ESTIMABLE_EFFECTS else k,
            "alasan": _NOT_ESTIMABLE_WORDS[r][i],
            "sebab": r,
        }
        for k, r in fk.not_estimated.items()
        if k in _NOT_ESTIMABLE_EFFECTS
    ]


def not_estimated_sentence(key: str, reason: str, bahasa: fmt.Bahasa = "id") -> str:
    """The sentence saying an effect could not be estimated, and why.

    ``key``: an effect of ``SharedResults.not_estimated`` (``"pelatihan"``); ``reason``:
    one of :data:`kinerja_analysis.analyses.training.NOT_ESTIMABLE_REASONS`.

    >>> not_estimated_sentence("pelatihan", "one_period", "en")[:58]
    'The effect of training on SKP achievement could not be est'
    """
    i = 0 if bahasa == "id" else 1
    apa, alasan = _NOT_ESTIMABLE_EFFECTS[key][i], _NOT_ESTIMABLE_WORDS[reason][i]
    if bahasa == "id":
        return f"{apa} tidak dapat diperkirakan pada periode ini: {alasan}."
    return f"{apa} could not be estimated for this period: {alasan}."


def _provenance_context(fk: PeriodFacts) -> dict[str, Any] | None:
    p = fk.provenance
    if p is None:
        return None
    param = dict(p.get("parameter") or {})
    tgl = p.get("tanggal")
    try:
        tgl_teks = fmt.date(tgl, fk.bahasa) if tgl is not None else None
    except ValueError:
        tgl_teks = str(tgl)
    rows = []
    for k, v in param.items():
        if k == "sampai":
            continue  # the window line of the appendix states it, with its periods
        if k == "periode":
            try:
                v = period_label(str(v), fk.bahasa)
            except ValueError:
                pass
        elif k == "bahasa":
            v = (
                {"id": "Indonesia", "en": "English"}.get(str(v), v)
                if fk.bahasa == "en"
                else {
                    "id": "Indonesia",
                    "en": "Inggris",
                }.get(str(v), v)
            )
        elif k == "sumber_predikat":
            v = value_label(str(v), fk.bahasa)
        elif k == "sumber_predikat_periode":
            v = _sources_by_period(v, fk.bahasa)
            if v is None:
                continue  # one source for every period: the row above says it
        elif k == "opd" and str(v) in ("semua", "all", "None"):
            v = "seluruh OPD" if fk.bahasa == "id" else "all units"
        rows.append((parameter_label(str(k), fk.bahasa), str(v)))
    return {
        "checksum": p.get("checksum"),
        "versi": p.get("versi"),
        "tanggal": tgl_teks,
        "parameter": rows,
    }


def _window_text(fk: PeriodFacts, f: _TemplateFormat) -> str:
    """``"sampai dengan Triwulan I 2024 (Triwulan I 2024 – …)"``: the document's data window."""
    akhir = f.periode(fk.periode)
    periods = [p for p in fk.periode_data if p]
    if len(periods) > 1:
        awal = f.periode(periods[0])
        n = f.n(len(periods))
        if f.b == "id":
            return f"sampai dengan {akhir} ({n} periode: {awal} – {akhir})"
        return f"up to and including {akhir} ({n} periods: {awal} – {akhir})"
    return f"sampai dengan {akhir}" if f.b == "id" else f"up to and including {akhir}"


# ----------------------------------------------------------------------------- report


@renamed_keywords(kunci="key", judul="title", teks="text")
@dataclass(frozen=True)
class Section:
    """One section: ``key`` (``hasil``), ``title`` (heading), ``text`` (markdown body).

    The old field names ``kunci``, ``judul`` and ``teks`` still work for one release
    (constructor keywords and attribute reads, with a ``DeprecationWarning``)."""

    key: str
    title: str
    text: str

    @property
    def anchor(self) -> str:
        """The heading's id in HTML (``bagian-hasil``): the table of contents links to it."""
        return f"bagian-{self.key.replace('_', '-')}"


@renamed_attributes(bagian_markdown="section_markdown")
@renamed_keywords(judul="title", bagian="sections", rekomendasi="recommendations", temuan="findings")  # fmt: skip
@dataclass(frozen=True)
class Report:
    """The written report of one period.

    Attributes
    ----------
    periode, bahasa, title
        Period code, language, document title.
    sections
        The sections in order (:data:`SECTION_TITLES`): the executive summary, the seed
        document's sections, the appendices.
    recommendations
        Keys of the recommendations the findings triggered (for tests and logs).
    findings
        Keys of the findings of the executive summary, in order.

    The old field names ``judul``, ``bagian``, ``rekomendasi`` and ``temuan`` still work
    for one release (constructor keywords and attribute reads, with a
    ``DeprecationWarning``).
    """

    periode: str
    bahasa: fmt.Bahasa
    title: str
    sections: tuple[Section, ...]
    recommendations: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()

    def _section(self, key: str) -> Section:
        for b in self.sections:
            if b.key == key:
                return b
        raise KeyError(f"no section {key!r} (sections: {[b.key for b in self.sections]})")

    def __getitem__(self, key: str) -> str:
        return self._section(key).text

    def markdown(self) -> str:
        """The whole document: ``# title``, then ``## heading`` + body per section, with
        the table of contents after the executive summary."""
        parts = [f"# {self.title}"]
        for b in self.sections:
            parts.append(f"## {b.title}\n\n{b.text}")
            if b.key == "ringkasan":
                parts.append(self.contents_markdown())
        return "\n\n".join(parts) + "\n"

    @renamed_keywords(kunci="key")
    def section_markdown(self, key: str) -> str:
        """One section as Markdown with its ``##`` heading."""
        b = self._section(key)
        return f"## {b.title}\n\n{b.text}"

    @renamed_keywords(kunci="key")
    def heading_html(self, key: str) -> str:
        """The section's heading as HTML: an escaped ``<h2>`` with the section's id (the
        table of contents links to it) and, for sections that open a page when printed,
        the class ``halaman-baru``. Shown apart from the section's Markdown body, so no
        Markdown renderer has to let HTML through."""
        b = self._section(key)
        kelas = ' class="halaman-baru"' if key in _NEW_PAGE else ""
        return f'<h2 id="{b.anchor}"{kelas}>{_html.escape(b.title)}</h2>'

    def contents_markdown(self) -> str:
        """The table of contents as a Markdown list of links (``## Daftar Isi`` excluded)."""
        return "\n".join(
            f"{i}. [{b.title}](#{b.anchor})" for i, b in enumerate(self.sections, start=1)
        )

    def contents_html(self) -> str:
        """The table of contents as HTML, for the document (printed with page numbers).

        A ``<nav class="daftar-isi">`` with its own heading and one link per section;
        the print style adds each section's page number (``target-counter``).
        """
        items = "".join(
            f'<li><a href="#{b.anchor}">{_html.escape(b.title)}</a></li>' for b in self.sections
        )
        return (
            f'<nav class="daftar-isi"><h2 id="daftar-isi" class="halaman-baru">'
            f"{_html.escape(CONTENTS_TITLE[self.bahasa])}</h2><ol>{items}</ol></nav>"
        )

    def tidy(self) -> pd.DataFrame:
        """``key, title, text``, one row per section (the old names ``kunci, judul,
        teks`` still read, with a ``DeprecationWarning``, until the next release)."""
        frame = pd.DataFrame(
            [(b.key, b.title, b.text) for b in self.sections], columns=["key", "title", "text"]
        )
        return renamed_columns(
            frame, {"kunci": "key", "judul": "title", "teks": "text"}, "Report.tidy()"
        )


@renamed_keywords(fakta="facts")
def write_report(facts: PeriodFacts) -> Report:
    """Write the evaluation document of one period.

    Parameters
    ----------
    facts
        The numbers of the period (:class:`PeriodFacts`). Missing parts give a
        "belum tersedia" / "not available" sentence, never an error.

    Returns
    -------
    Report
        Sections Ringkasan Eksekutif, Pendahuluan … Kesimpulan, Lampiran A and B as
        markdown; ``Report.markdown()`` joins them.

    Notes
    -----
    Recommendations are triggered only by findings (thresholds in :class:`Thresholds`):

    * more facilitated, job-relevant training — the ``pelatihan_difasilitasi`` or
      ``pelatihan_relevan`` effect is at least indicative and beneficial, or the share of
      ASN below 20 JP is at least ``jp_substansial``;
    * align self-sought training with job needs — ``pct_mandiri_tidak_sesuai`` at least
      ``mismatched_training_share``;
    * priority competency gaps — rows of ``prioritas_pelatihan`` with a positive gap;
    * feedback quality/coverage — OPDs above ``poor_umpan_balik_share`` /
      ``without_umpan_balik_share``, or a harmful poor-feedback effect, or a beneficial
      good-feedback effect (at least indicative);
    * communication training — its effect at least indicative and beneficial;
    * calibrating predikat — OPDs not conforming to SE MenPAN-RB 3/2023;
    * support for OPDs with signs of resistance — empty SKPs or no feedback above the
      thresholds;
    * the rollout — continue/extend if an outcome improved with clear evidence, otherwise
      keep monitoring (never "it worked" without evidence);
    * power for the next round — the minimum detectable effect of training and feedback
      and the trained employees per period needed for a 0.1 SD effect, whenever the
      period's data give them;
    * the reward pool — described by criteria and counts; its effect is not claimed.

    The executive summary gives at most five findings (:func:`_findings`), each with its
    level of evidence and the recommendation it supports.
    """
    if not isinstance(facts, PeriodFacts):
        raise ValueError(f"write_report needs PeriodFacts, not {type(facts).__name__}")
    b = facts.bahasa
    f = _TemplateFormat(b)
    efek_list = [_effect_context(e, b, f) for e in facts.effects]
    for ctx in efek_list:
        ctx["kalimat"] = _render(b, "efek", e=ctx)
        # the executive summary's version: the few-cluster caveat stays in Hasil (the
        # grade beside it already says "indikatif"), so the summary keeps to one page
        ctx["kalimat_ringkas"] = _render(b, "efek", e={**ctx, "ringkas": True})
        ctx["kalimat_sensitivitas"] = (
            _render(b, "sensitivitas", e=ctx) if ctx["sensitivitas"] else ""
        )
    efek_map = {c["kunci"]: c for c in efek_list}
    parts = _Contexts(
        efek=efek_map,
        distribusi=_distribution_context(facts),
        kepatuhan=_compliance_context(facts),
        resistensi=_resistance_context(facts),
        pelatihan=_training_context(facts, efek_map),
        reliabilitas=_reliability_context(facts),
    )
    dist, kep, res = parts.distribusi, parts.kepatuhan, parts.resistensi
    pel, rel = parts.pelatihan, parts.reliabilitas
    rek = _recommendation_context(facts, parts)
    for i, r in enumerate(rek, start=1):
        r["nomor"] = i
    tidak_diestimasi = _not_estimated_context(facts)
    temuan = _findings(facts, parts, rek, tidak_diestimasi)
    ctx: dict[str, Any] = {
        "f": f,
        "fk": facts,
        "periode_kata": f.periode(facts.periode),
        "tanggal": f.tanggal(facts.report_date),
        "jendela": _window_text(facts, f),
        "n_periode": len(facts.periode_data),
        "distribusi": dist,
        "kepatuhan": kep,
        "berakhlak": _berakhlak_context(facts),
        "reliabilitas": rel,
        "efek": efek_list,
        "resistensi": res,
        "pelatihan": pel,
        "rekomendasi": rek,
        "temuan": temuan,
        "kesimpulan": _conclusion_context(efek_list, dist),
        "tidak_diestimasi": tidak_diestimasi,
        "min_klaster": MIN_CLUSTERS,
        "min_klaster_sisi": MIN_CLUSTERS_PER_SIDE,
        "batas_sensitivitas": BREAKDOWN_MIN,
        "tabel_efek": _effects_table_md(facts.effects, f),
        "catatan_efek": _effect_notes(facts.effects, b),
        "catatan_perhitungan": note_lines(
            facts.notes,
            b,
            shown=_shown_topics(facts, efek_list),
            min_sel=facts.min_sel,
        ),
        "panel_seimbang_dicatat": any(n.key == "panel_seimbang" for n in facts.notes),
        "tabel_kualitas": _table_md(facts.kualitas_data, f)
        if facts.kualitas_data is not None
        else None,
        "provenans": _provenance_context(facts),
        "ambang": facts.thresholds,
        "min_sel": facts.min_sel,
        "metode_efek": sorted({method_label(e.method, b) for e in facts.effects if e.method}),
        "desain_efek": sorted({e.design for e in facts.effects}),
        "sumber_predikat": facts.predikat_source,
        # in an OPD's document: the compliance check withheld because the city's predikat
        # table hides some of this OPD's cells (its deviations would give them back)
        "kepatuhan_ditahan": kep is None and "predikat" in facts.withheld,
    }
    if facts.previous_periode is not None:
        ctx["periode_sebelumnya_kata"] = f.periode(facts.previous_periode)
    else:
        ctx["periode_sebelumnya_kata"] = None
    bagian = tuple(
        Section(k, judul, _render(b, k, **ctx)) for k, judul in SECTION_TITLES[b].items()
    )
    judul = (
        f"Evaluasi Pengelolaan Kinerja ASN {facts.region_name} — {ctx['periode_kata']}"
        if b == "id"
        else f"Evaluation of ASN Performance Management, {facts.region_name} — {ctx['periode_kata']}"
    )
    return Report(
        facts.periode,
        b,
        judul,
        bagian,
        tuple(r["kunci"] for r in rek),
        tuple(t["kunci"] for t in temuan),
    )


#: The findings of the executive summary in order of importance: the seed document's
#: claims about effects first (service, training, feedback, communication), then what
#: is measured directly (conformity of ratings, training hours, self-sought training,
#: readiness, the distribution itself, reliability).
_FINDING_ORDER = (
    "penerapan",
    "pelatihan",
    "kepatuhan",
    "umpan_balik",
    "jp",
    "mandiri",
    "resistensi",
    "komunikasi",
    "predikat",
    "keandalan",
)
_GRADE_RANK = {"jelas": 0, "indikatif": 1, "belum_ada_bukti": 2}


def _strongest(efek: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The effect to report for a group: clear beneficial first, then by grade."""
    if not efek:
        return None
    return min(
        efek,
        key=lambda e: (_GRADE_RANK.get(e["tingkat"], 3), e["baik"] is not True, e["kunci"]),
    )


def _findings(
    fk: PeriodFacts,
    c: _Contexts,
    rek: list[dict[str, Any]],
    tidak_diestimasi: list[dict[str, str]] = (),  # type: ignore[assignment]
    n: int = 5,
) -> list[dict[str, Any]]:
    """The (at most ``n``) findings of the executive summary.

    Every available finding is a candidate: effects (with their evidence grade) and
    facts measured directly (grade ``"terukur"``). Findings that support a
    recommendation come first, then :data:`_FINDING_ORDER`; the chosen ones are shown in
    that order. Each carries ``rekomendasi``: the recommendation it supports (with its
    number in the Rekomendasi section) or ``None``.
    """
    efek, dist, kep, res = c.efek, c.distribusi, c.kepatuhan, c.resistensi
    pel, rel = c.pelatihan, c.reliabilitas
    by_key = {r["kunci"]: r for r in rek}
    cand: dict[str, dict[str, Any]] = {}

    def effect(kunci: str, keys: tuple[str, ...], rec: str | None) -> None:
        e = _strongest([efek[k] for k in keys if k in efek])
        if e is not None:
            cand[kunci] = {"efek": e, "tingkat": e["tingkat"], "rekomendasi": by_key.get(rec)}

    effect(
        "penerapan", ("penerapan_ikm", "penerapan_tepat_waktu", "penerapan_pengaduan"), "penerapan"
    )
    effect("pelatihan", ("pelatihan",), "pelatihan_difasilitasi")
    for x in tidak_diestimasi:
        if x["kunci"] == "pelatihan" and "pelatihan" not in cand:
            # an effect the document would lead with, gone: said, with its reason
            cand["pelatihan"] = {
                "tidak_diestimasi": x,
                "tingkat": "tidak_diestimasi",
                "rekomendasi": None,
            }
    effect("umpan_balik", ("umpan_balik_baik", "umpan_balik_buruk"), "umpan_balik")
    effect("komunikasi", ("pelatihan_komunikasi", "pelatihan_komunikasi_perilaku"), "komunikasi")
    if kep is not None and kep["n_dinilai"] > 0:
        cand["kepatuhan"] = {**kep, "tingkat": "terukur", "rekomendasi": by_key.get("kalibrasi")}
    if pel is not None and pel["pct_di_bawah_20jp"] is not None:
        r = by_key.get("pelatihan_difasilitasi")
        cand["jp"] = {
            "pct": pel["pct_di_bawah_20jp"],
            "tingkat": "terukur",
            "rekomendasi": r if r is not None and r.get("pct_di_bawah_20jp") is not None else None,
        }
    if pel is not None and pel["pct_mandiri_tidak_sesuai"] is not None:
        cand["mandiri"] = {
            "pct": pel["pct_mandiri_tidak_sesuai"],
            "tingkat": "terukur",
            "rekomendasi": by_key.get("pelatihan_sesuai_kebutuhan"),
        }
    if res is not None and res["sinyal"]:
        cand["resistensi"] = {
            "n": len(res["sinyal"]),
            "opd": res["sinyal"],
            "tingkat": "terukur",
            "rekomendasi": by_key.get("pendampingan"),
        }
    if dist is not None and dist["terbanyak"] is not None:
        cand["predikat"] = {
            "n_total": dist["n_total"],
            "predikat": dist["terbanyak"]["predikat"],
            "prop": dist["terbanyak"]["prop"],
            "tingkat": "terukur",
            "rekomendasi": by_key.get("penghargaan"),
        }
    if rel is not None and rel.get("icc1k"):
        k = rel["icc1k"]
        cand["keandalan"] = {
            "kategori": k["kat_min"]
            if k["kat_min"] == k["kat_max"]
            else (
                f"{k['kat_min']} hingga {k['kat_max']}"
                if fk.bahasa == "id"
                else f"{k['kat_min']} to {k['kat_max']}"
            ),
            "tingkat": "terukur",
            "rekomendasi": None,
        }
    order = {k: i for i, k in enumerate(_FINDING_ORDER)}
    chosen = sorted(cand, key=lambda k: (cand[k]["rekomendasi"] is None, order[k]))[:n]
    out = []
    for k in sorted(chosen, key=lambda k: order[k]):
        item = {"kunci": k, "efek": None, "tidak_diestimasi": None, **cand[k]}
        out.append(item)
    return out


# ----------------------------------------------------------------------------- numbers

_ANGKA_RE = {
    "id": re.compile(
        r"(?<![\w,.])-?\d{1,3}(?:\.\d{3})+(?:,\d+)?(?!\w)|(?<![\w,.])-?\d+(?:,\d+)?(?!\w)"
    ),
    "en": re.compile(
        r"(?<![\w,.])-?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\w)|(?<![\w,.])-?\d+(?:\.\d+)?(?!\w)"
    ),
}


@renamed_keywords(laporan="report", bagian="section")
def numbers_in_text(
    report: Report | str, section: str | None = None, bahasa: fmt.Bahasa | None = None
) -> list[str]:
    """Every number written in the report (or one section), as printed.

    Parameters
    ----------
    report
        A :class:`Report`, or a markdown string (then give ``bahasa``).
    section
        A section key (``"hasil"``); ``None``: the whole document.

    Returns
    -------
    list of str
        Numbers in order of appearance, e.g. ``["6.012", "12,5", "0,21", "-1,10"]``
        (Indonesian: point groups thousands, comma is the decimal mark; ``%`` is not
        included). A trailing sentence point is not part of a number.
    """
    if isinstance(report, Report):
        teks = report.markdown() if section is None else report[section]
        bahasa = report.bahasa
    else:
        teks = report
        if bahasa is None:
            raise ValueError("numbers_in_text: give bahasa for plain text")
    hasil = []
    for m in _ANGKA_RE[bahasa].finditer(teks):
        s = m.group(0)
        hasil.append(s)
    return hasil
