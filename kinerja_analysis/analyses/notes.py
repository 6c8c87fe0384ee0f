"""What the shared analyses say about themselves: notes as data, not sentences.

A :class:`Note` is a key and its fields — what could not be estimated and why, which
rows or units an estimator left out, which comparison it used — made where the fact
arises (the panel, the training, feedback and rollout analyses,
:func:`kinerja_analysis.analyses.shared.compute_shared`). The words are the reporting
layer's: :func:`kinerja_analysis.reporting.notes.note_text` writes a note in the
document's language from the catalogue (``reporting/catalog/narrative.toml``,
``[notes]``, ``[note_analyses]``, ``[note_reasons]``), with its numbers formatted for
that language. A note holds counts, period codes and keys — a subgroup's levels when
they are keys of the data contract (a jenis jabatan), their number when they are OPDs
(:data:`kinerja_analysis.analyses.training.COUNTED_SUBGROUPS`); never a NIP or a name.

:data:`NOTES` lists every key with the fields it carries; ``tidak_diestimasi`` (an
analysis could not be estimated) also carries the facts of the
:class:`~kinerja_analysis.core.errors.NotEstimable` that said why (its ``reason`` under
``sebab``, its ``facts`` under their own names). :data:`ANALYSES` lists the analyses a
note may name.

>>> n = Note("panel_seimbang", {"analisis": "pelatihan", "n_asn": 237, "n_baris": 1612})
>>> n.to_json()
{'kunci': 'panel_seimbang', 'isian': {'analisis': 'pelatihan', 'n_asn': 237, 'n_baris': 1612}}
>>> Note.from_json(n.to_json()) == n
True
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kinerja_analysis.core.errors import NotEstimable

__all__ = ["NOTES", "REASONS", "ANALYSES", "LEGACY", "Note", "not_estimated_note", "note_list"]

#: Every note key → the fields it carries (``tidak_diestimasi`` adds its reason's facts).
#: Field names say how a document writes them: ``n_asn…`` a number of ASN (a small one
#: is shown as "fewer than min_sel"), other ``n_…``/``min_…`` numbers, ``periode…``
#: period codes, ``analisis`` a key of :data:`ANALYSES`, ``hasil``/``subkelompok``/
#: ``kovariat`` column keys, ``tingkat`` a subgroup's levels, ``tanda`` an estimation
#: flag, ``tabel`` a table of the data contract.
NOTES: dict[str, tuple[str, ...]] = {
    # an analysis could not be estimated: which, why (sebab) and the numbers behind it
    "tidak_diestimasi": ("analisis", "sebab"),
    # one subgroup level's estimate could not be made (subkelompok, tingkat, sebab…)
    "subkelompok_tidak_diestimasi": ("analisis", "subkelompok", "tingkat", "sebab"),
    # the predikat of these periods are the official e-Kinerja ones (no 360° numbers)
    "predikat_resmi": ("periode",),
    # … and these periods have no numeric SKP achievement either
    "skp_tidak_ada": ("periode",),
    # a table the analysis needs is not in the data
    "tabel_tidak_ada": ("tabel", "analisis"),
    # ASN trained before the window's first period: not in the training DiD
    "dilatih_sebelum_jendela": ("analisis", "n_asn"),
    # too few never-trained ASN: compared with the not-yet-trained
    "pembanding_belum_dilatih": ("analisis", "n_asn", "min_n"),
    # the balanced panel: ASN without the outcome in every period of the window left out
    "panel_seimbang": ("analisis", "n_asn", "n_baris"),
    # ASN trained in the window's first period: no period before it, left out
    "dilatih_periode_pertama": ("analisis", "n_asn"),
    # covariates dropped as redundant (constant, or a combination of others)
    "kovariat_redundan": ("analisis", "kovariat"),
    # cohorts smaller than the estimator's size rule (covariates + 5 ASN)
    "kohort_kecil": ("analisis", "n_kohort", "min_n"),
    # the never-trained comparison group smaller than that rule
    "pembanding_kecil": ("analisis", "min_n"),
    # group-time cells the estimator flagged (flag key, number of cells)
    "sel_ditandai": ("analisis", "tanda", "n_sel"),
    # subgroup levels with fewer trained ASN than min_n: not estimated
    "subkelompok_kecil": ("analisis", "subkelompok", "tingkat", "min_n"),
    # the same for levels that are OPDs: counted, not named (a hidden OPD stays hidden)
    "subkelompok_kecil_jumlah": ("analisis", "subkelompok", "n_tingkat", "min_n"),
    # n_tingkat OPD levels not estimable, for one reason (and its facts)
    "subkelompok_tidak_diestimasi_jumlah": ("analisis", "subkelompok", "n_tingkat", "sebab"),
    # communication training: too few took it after a first training
    "komunikasi_sedikit": ("n_asn", "min_n"),
    # communication training: the sample the estimate is for
    "sampel_komunikasi": ("n_asn", "n_asn_peserta"),
    # no OPD had adopted the structured evaluation system by the window's end
    "penerapan_belum_ada": (),
    # OPDs adopting in the window's first period: no period before it, left out
    "opd_sejak_awal": ("n_opd",),
    # a feedback quality class (good, fair, poor) the same for everyone: no estimate
    "umpan_balik_kelas_tetap": ("kelas",),
    # a note stored as a sentence by an earlier version (see LEGACY)
    "teks_lama": ("teks",),
}

#: The key of a note read from a store written before notes were data: its sentence is
#: kept whole under ``teks`` (such stores are never reused by a batch or a notebook,
#: whose store key holds the code's fingerprint; only a direct ``load_shared`` reads them).
LEGACY = "teks_lama"

#: Why something could not be estimated (``sebab`` of ``tidak_diestimasi``): the
#: ``reason`` keys of :class:`~kinerja_analysis.core.errors.NotEstimable` raised on the
#: way of :func:`~kinerja_analysis.analyses.shared.compute_shared`, and the facts each
#: carries. A document writes an unknown reason as ``other`` (never its key).
REASONS: dict[str, tuple[str, ...]] = {
    # the training effect (analyses.training.NOT_ESTIMABLE_REASONS)
    "one_period": (),
    "no_training": (),
    "no_cohort": (),
    "no_comparison": (),
    "other": (),
    # the DiD engine (methods.did)
    "no_rows": (),
    "no_never_treated": (),
    "few_periods_before_last_cohort": (),
    "never_treated_too_small": ("n_units", "n_min"),
    "no_post_att": ("flags",),
    "no_att": ("flags",),
    "no_event_times": (),
    # the sensitivity analysis (methods.did.sensitivity)
    "singular_vcov": ("rank", "size"),
    # the wild cluster bootstrap (methods.wildboot)
    "saturated": ("n_obs", "n_params"),
    "one_cluster": ("n_clusters",),
    # fixed-effects models (methods.fixest)
    "few_observations": ("n_obs", "variables"),
    "single_fixed_effect_level": ("fixed_effect", "variables"),
    "no_variation": ("variables",),
    "collinear": ("variables",),
    # rater reliability (methods.reliability)
    "few_targets": ("n_targets", "n_ratings"),
    # feedback (analyses.feedback)
    "few_lag_periods": ("n_periods",),
    "constant_lag": ("n_sessions",),
    # the ordinal logit (analyses.ordinal)
    "one_category": ("n_obs", "n_categories"),
    # communication training and the survey (analyses.survey_panel)
    "no_scores": ("construct",),
    "survey_periods": ("n_periods", "n_post"),
    # the rollout, one outcome (analyses.rollout)
    "no_adopting_opd": ("n_opd", "min_n"),
    "few_opd": ("n_opd", "min_n"),
    # a singular design (numpy's LinAlgError)
    "singular": (),
}

#: What a note may be about (``analisis``).
ANALYSES = (
    "pelatihan",  # training → SKP achievement (staggered DiD)
    "pelatihan_subkelompok",  # the same for one subgroup level (subkelompok, tingkat)
    "pelatihan_sensitivitas",  # its Rambachan–Roth sensitivity
    "komunikasi_perilaku",  # communication training → service-orientation rating
    "komunikasi_perilaku_subkelompok",  # … for one subgroup level
    "komunikasi_perilaku_sensitivitas",  # … its sensitivity analysis
    "komunikasi",  # communication training → survey self-confidence
    "umpan_balik",  # feedback → SKP achievement (fixed effects)
    "umpan_balik_kualitas",  # the feedback-quality model
    "umpan_balik_kontras",  # good minus poor feedback
    "umpan_balik_lead",  # the timing (lead) test of feedback
    "penerapan",  # the rollout → service outcomes (all outcomes)
    "penerapan_hasil",  # the rollout → one outcome (hasil)
    "penerapan_studi_peristiwa",  # the rollout's event study for one outcome (hasil)
    "ordinal",  # ordinal logit of the predikat
    "reliabilitas",  # rater reliability
)


def _plain(v: Any) -> Any:
    """A field value as JSON holds it: numpy scalars → Python, tuples → lists."""
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_plain(x) for x in v]
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and v.is_integer() and not math.isinf(v):
        return int(v)
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    raise TypeError(f"a note field must be a number, text or a list of them, not {v!r}")


@dataclass(frozen=True)
class Note:
    """One note: a key of :data:`NOTES` and its fields (numbers, texts, lists of them).

    Raises
    ------
    ValueError
        An unknown key, or an ``analisis`` not in :data:`ANALYSES`.
    TypeError
        A field that is not a number, a text or a list of them.
    """

    key: str
    fields: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.key not in NOTES:
            raise ValueError(f"unknown note key {self.key!r} (known: {sorted(NOTES)})")
        plain = {str(k): _plain(v) for k, v in dict(self.fields).items()}
        a = plain.get("analisis")
        if a is not None and a not in ANALYSES:
            raise ValueError(f"unknown analysis {a!r} in note {self.key!r} (known: {ANALYSES})")
        object.__setattr__(self, "fields", plain)

    def __hash__(self) -> int:
        return hash((self.key, json.dumps(self.fields, sort_keys=True)))

    def __str__(self) -> str:  # for a programmer's eyes (logs, a REPL), not a document
        return f"{self.key}: {json.dumps(self.fields, ensure_ascii=False, sort_keys=True)}"

    def to_json(self) -> dict[str, Any]:
        """``{"kunci": key, "isian": fields}``: how :func:`save_shared` stores it."""
        return {"kunci": self.key, "isian": dict(self.fields)}

    @classmethod
    def from_json(cls, obj: object) -> Note:
        """The note :meth:`to_json` wrote; a plain string (a store written by an earlier
        version, when notes were Indonesian sentences) becomes a :data:`LEGACY` note."""
        if isinstance(obj, str):
            return cls(LEGACY, {"teks": obj})
        if isinstance(obj, Mapping) and "kunci" in obj:
            return cls(str(obj["kunci"]), dict(obj.get("isian") or {}))
        raise ValueError(f"not a stored note: {obj!r}")


def not_estimated_note(
    analysis: str, exc: BaseException, *, key: str = "tidak_diestimasi", **fields: Any
) -> Note:
    """The ``tidak_diestimasi`` note (or ``key``) of ``analysis`` for the error ``exc``.

    ``sebab`` is the error's reason key (:class:`~kinerja_analysis.core.errors.NotEstimable`
    ``reason``; ``"singular"`` for a singular design, ``"other"`` for an error without
    one) and the error's ``facts`` go in as fields, after ``fields`` (an outcome, a
    subgroup) which they never replace. The error's message does not: it is for logs.

    >>> e = NotEstimable("saturated", reason="saturated", facts={"n_obs": 4, "n_params": 4})
    >>> not_estimated_note("penerapan_studi_peristiwa", e, hasil="ikm").fields["sebab"]
    'saturated'
    """
    if isinstance(exc, NotEstimable):
        reason, facts = exc.reason, exc.facts
    elif isinstance(exc, np.linalg.LinAlgError):
        reason, facts = "singular", {}
    else:
        reason, facts = "other", {}
    extra = {k: v for k, v in facts.items() if k not in fields and k not in ("analisis", "sebab")}
    return Note(key, {"analisis": analysis, "sebab": reason, **fields, **extra})


def note_list(notes: object) -> tuple[Note, ...]:
    """``notes`` (Notes, stored dicts or old sentences) as a tuple of :class:`Note`."""
    if notes is None:
        return ()
    return tuple(n if isinstance(n, Note) else Note.from_json(n) for n in notes)  # type: ignore[union-attr]
