"""The cross-period analyses behind a period's documents, computed *as of* that period.

A period's document may only use data up to and including its period (a report for
2024Q1 cannot know what happened in 2025). So the shared work is done per **data
window** — every row up to the end of one period (:func:`data_through`):

1. :func:`compute_shared` — the heavy cross-period work on one window: scores for every
   period of the window (hasil kerja, 360° behaviour with rater leniency estimated on the
   window, predikat), the employee × period panel, the training / feedback / rollout
   estimates, the ordinal robustness check, the survey scores and the
   communication-training effect.
2. :func:`compute_windows` — :func:`compute_shared` for several windows, doing once what
   does not depend on the window: rater reliability and survey construct scores are
   computed per period from that period's rows alone, so they are computed once on the
   largest window and each window takes its periods' rows.
3. :func:`prepare_shared` / :func:`load_or_compute_shared` — a store of results keyed by
   what they are computed from (:func:`shared_key`: data checksum, window end, seed,
   bootstrap draws, subgroup minimum and the source of the layers that compute them),
   not by where the documents go: a second batch into another report folder, in another
   language or for per-OPD documents reuses every window already computed.
   :func:`save_shared` / :func:`load_shared` write one window (Parquet + JSON) — in a
   private cache, never in ``reports/``: it holds employee-level rows.

The facts of one period (aggregates only) are then
:func:`kinerja_analysis.reporting.facts.period_facts`.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from kinerja_analysis.analyses.notes import Note, not_estimated_note, note_list
from kinerja_analysis.analyses.panel import (
    EmployeeFrames,
    aggregate_per_employee,
    decode_small_tables,
)
from kinerja_analysis.core.compat import TEXT_DTYPE, read_parquet
from kinerja_analysis.core.config import DEFAULTS
from kinerja_analysis.core.deprecation import renamed_keywords
from kinerja_analysis.core.errors import NotEstimable, PeriodError
from kinerja_analysis.core.io import PACKAGE_ROOT, atomic_write, code_fingerprint, hash_bytes
from kinerja_analysis.core.keys import in_values
from kinerja_analysis.core.parallel import available_cpus, fork_call
from kinerja_analysis.core.periods import parse_period, period_bounds, sort_periods


@renamed_keywords(pelatihan_dinamis="pelatihan_dynamic", penerapan_dinamis="penerapan_dynamic", reliabilitas="reliability", kesesuaian_resmi="resmi_agreement", catatan="notes")  # fmt: skip
@dataclass(frozen=True)
class SharedResults:
    """Cross-period results (tidy DataFrames; ``None`` when the input table is absent).

    ``pelatihan_dynamic`` and ``penerapan_dynamic`` are the event-study estimates of
    training and of the rollout, ``reliability`` the rater reliability per period,
    ``resmi_agreement`` the agreement of the official predikat with the computed one per
    OPD, ``notes`` what could not be estimated or was left out, as
    :class:`~kinerja_analysis.analyses.notes.Note` (a key and its numbers; a document
    writes them in its language, :func:`kinerja_analysis.reporting.notes.note_lines`). The old field names
    (``pelatihan_dinamis``, ``penerapan_dinamis``, ``reliabilitas``,
    ``kesesuaian_resmi``, ``catatan``) still work for one release (constructor keywords
    and attribute reads, with a ``DeprecationWarning``). On disk (:func:`save_shared`)
    the tables and keys keep their stored names (:data:`_STORED_AS`), so results saved
    by an earlier version load unchanged.
    """

    evaluasi: pd.DataFrame
    skor_dimensi: pd.DataFrame
    panel: pd.DataFrame
    pelatihan: pd.DataFrame | None = None
    pelatihan_dynamic: pd.DataFrame | None = None
    pelatihan_pretrend: pd.DataFrame | None = None
    pelatihan_heterogen: pd.DataFrame | None = None
    pelatihan_sensitivitas: pd.DataFrame | None = None
    umpan_balik: pd.DataFrame | None = None
    penerapan: pd.DataFrame | None = None
    penerapan_dynamic: pd.DataFrame | None = None
    penerapan_pretrend: pd.DataFrame | None = None
    penerapan_sensitivitas: pd.DataFrame | None = None
    ordinal: pd.DataFrame | None = None
    komunikasi: pd.DataFrame | None = None
    komunikasi_perilaku: pd.DataFrame | None = None
    survei_skor: pd.DataFrame | None = None
    reliability: pd.DataFrame | None = None
    evaluasi_resmi: pd.DataFrame | None = None
    resmi_agreement: pd.DataFrame | None = None
    notes: tuple[Note, ...] = ()
    parameter: Mapping[str, Any] = field(default_factory=dict)
    periode_akhir: str | None = None  # the window's last period (None: not recorded)
    #: effect tables that could not be estimated on this window → the reason's key
    #: (``{"pelatihan": "no_comparison"}``; :data:`~kinerja_analysis.analyses.training.NOT_ESTIMABLE_REASONS`)
    not_estimated: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # notes as Note objects whatever they were given as (stored dicts, old sentences)
        object.__setattr__(self, "notes", note_list(self.notes))


#: The tables of :class:`SharedResults` (every DataFrame field), derived from the class so
#: that a new result is stored and reloaded without a second list.
_NOT_FRAMES = ("notes", "parameter", "periode_akhir", "not_estimated")
_FRAMES: tuple[str, ...] = tuple(f.name for f in fields(SharedResults) if f.name not in _NOT_FRAMES)

#: Field → the name it is stored under (a Parquet file's stem, a ``meta.json`` key) when
#: the two differ: the names results were first saved under, kept so that a store written
#: by an earlier version reads back (a file format does not change with field names).
_STORED_AS: dict[str, str] = {
    "pelatihan_dynamic": "pelatihan_dinamis",
    "penerapan_dynamic": "penerapan_dinamis",
    "reliability": "reliabilitas",
    "resmi_agreement": "kesesuaian_resmi",
    "notes": "catatan",
}
_FIELD_OF: dict[str, str] = {stored: f for f, stored in _STORED_AS.items()}


# --------------------------------------------------------------------------- data windows


def data_through(ds, periode: str):
    """The dataset as it stood at the end of ``periode``: every later row left out.

    Parameters
    ----------
    ds
        A validated :class:`kinerja_analysis.Dataset`.
    periode
        The window's last period; must be one of ``ds.periods``.

    Returns
    -------
    Dataset
        The same dataset (same ``checksum`` and validation report) whose tables hold only
        what was known at the end of ``periode``:

        - tables with a ``periode`` column (``skp``, ``perilaku``, ``umpan_balik``,
          ``layanan``, ``survei``): rows of periods ending on or before the end of
          ``periode``;
        - ``pelatihan``: trainings that started on or before that day
          (``tanggal_mulai``, as the report's 12-month training window counts them);
        - ``penerapan``: OPDs whose structured evaluation started by then, and those
          listed without a start (an OPD that starts later is not yet treated in this
          window);
        - ``pegawai``: the employees who were ASN at some time in the window, from the
          start of the data's first period to the end of ``periode``: an ASN whose
          ``tmt_cpns`` — TMT CPNS, or TMT PPPK — falls after the period's end is not yet
          an ASN of this window, nor one whose ``tmt_keluar`` is on or before the data's
          first day, unless a row of the window names them (the rule of
          :func:`pegawai_through`, over the window). Those who left during the window
          stay, with their rows of the periods they worked: the register of *one*
          period, the one its head-counts count, is :func:`pegawai_through`'s;
        - ``survei_instrumen`` unchanged (a register, not events);

        and ``periods`` those of ``ds.periods`` up to ``periode``.

    Raises
    ------
    PeriodError
        ``periode`` is not a period of the data.

    Examples
    --------
    A report for 2024Q1 computes on ``data_through(ds, "2024Q1")``: its estimates are
    exactly those of a dataset whose files end in 2024Q1.
    """
    kode = parse_period(periode).code
    if kode not in ds.periods:
        raise PeriodError(
            f"periode {kode} tidak ada dalam data (tersedia: {', '.join(ds.periods)})"
        )
    akhir = period_bounds(kode)[1]
    ends: dict[str, pd.Timestamp] = {}

    def within(codes: pd.Series) -> pd.Series | None:
        """Rows whose period ends by ``akhir``; ``None`` when that is every row (the
        common case of a table already cut, checked on its distinct codes only)."""
        inside = set()
        n_codes = 0
        for c in pd.unique(codes):
            if pd.isna(c):
                continue
            n_codes += 1
            if c not in ends:
                ends[c] = period_bounds(str(c))[1]
            if ends[c] <= akhir:
                inside.add(c)
        if len(inside) == n_codes and not codes.isna().any():
            return None
        return codes.isin(inside).fillna(False).astype(bool)

    tables = {}
    for name, df in ds.tables.items():
        if name == "pelatihan" and "tanggal_mulai" in df:
            keep = (df["tanggal_mulai"] <= akhir).fillna(False).astype(bool)
        elif name == "penerapan" and "periode_mulai" in df:
            start = df["periode_mulai"].map(
                lambda c: period_bounds(str(c))[0] if pd.notna(c) else pd.NaT
            )
            # an OPD listed without a start has not adopted the system: kept as it was
            keep = (start.isna() | (start <= akhir)).astype(bool)
        elif "periode" in df.columns:
            keep = within(df["periode"])
            if keep is None:
                tables[name] = df
                continue
        else:
            tables[name] = df
            continue
        cut = df if bool(keep.all()) else df.loc[keep.to_numpy()].reset_index(drop=True)
        if cut is not df and isinstance(cut.get("periode", pd.Series()).dtype, pd.CategoricalDtype):
            # a dictionary-encoded period column lists only the window's periods
            cut = cut.assign(periode=cut["periode"].cat.remove_unused_categories())
        tables[name] = cut
    if "pegawai" in tables:
        # everyone who was an ASN at some time in the window: those who left are kept for
        # the periods they worked (each period's own count is pegawai_through's)
        tables["pegawai"] = _employed(tables, period_bounds(ds.periods[0])[0], akhir)
    periods = tuple(p for p in ds.periods if period_bounds(p)[1] <= akhir)
    return dataclasses.replace(ds, tables=tables, periods=periods)


def pegawai_through(tables: Mapping[str, pd.DataFrame], periode: str) -> pd.DataFrame:
    """The employees of ``tables["pegawai"]`` who were ASN of the agency during ``periode``.

    The register is a list of everyone employed when it was exported, and of those who
    left with the date they left (``tmt_keluar``, optional); a document of a period
    counts only those employed in it, so that the same period's numbers do not change
    when a later export adds the people hired since, and those who left are counted in
    the periods they worked and in no later one. An employee is left out when

    * their ``tmt_cpns`` (TMT CPNS for a PNS, TMT PPPK for a PPPK; data contract) is
      after the last day of ``periode`` — not yet appointed — unless a row of another
      table up to that day names them (an SKP, official rating, 360° rating received,
      feedback session or survey answer of a period ending by then, a training started
      by then): the data then say they worked;
    * their ``tmt_keluar`` is on or before the first day of ``periode`` — they left
      before it began — unless a row of ``periode`` itself names them (a row of a
      period ending inside it, a training started inside it): the data then say they
      still worked in it (validation warns about that row, ``periode_sesudah_keluar``).

    The boundary follows what a TMT is: *terhitung mulai tanggal*, the day from which a
    decision takes effect. ``tmt_keluar`` is the first day the employee is no longer an
    ASN of the agency — the TMT of a retirement (the first day of the month after the
    one in which the retirement age is reached; the PNS is discharged at that month's
    end), of a transfer out (the day they start in the new agency) or of a discharge —
    so the last day worked is the day before. Someone who left *during* a period worked
    part of it and is counted in it (a TMT pensiun of 1 May counts in the second quarter,
    whose first month they worked); a TMT of 1 April, the first day of that quarter,
    means the last day worked was 31 March: counted in the first quarter, not in the
    second. A rule that left out everyone gone by a period's *end* would drop, from the
    period they last worked in, the SKP, rating and predikat they were evaluated on
    (PermenPAN-RB 6/2022 evaluates the work of each period). A missing date keeps the
    employee; their rows of other periods are never dropped.

    Parameters
    ----------
    tables
        Canonical tables with ``pegawai`` (``nip``, ``tmt_cpns``, optionally
        ``tmt_keluar``); the other tables may hold later rows too (only rows up to
        ``periode`` count).
    periode
        A period code.

    Returns
    -------
    DataFrame
        ``tables["pegawai"]`` itself when nobody is left out (nothing copied), otherwise
        its kept rows with a fresh index.

    Examples
    --------
    ``b`` and ``d`` are appointed in 2025Q4 (``d`` has an SKP of 2025Q3); ``e`` retired
    with TMT 1 October 2025 and ``f`` moved out on 15 August 2025:

    >>> peg = pd.DataFrame({"nip": ["a", "b", "c", "d", "e", "f"], "tmt_cpns": pd.to_datetime(
    ...     ["2020-01-01", "2025-10-01", None, "2025-10-01", "2000-01-01", "2010-01-01"]),
    ...     "tmt_keluar": pd.to_datetime([None, None, None, None, "2025-10-01", "2025-08-15"])})
    >>> skp = pd.DataFrame({"nip": ["b", "d"], "periode": ["2025Q4", "2025Q3"]})
    >>> pegawai_through({"pegawai": peg, "skp": skp}, "2025Q3")["nip"].tolist()
    ['a', 'c', 'd', 'e', 'f']
    >>> pegawai_through({"pegawai": peg, "skp": skp}, "2025Q4")["nip"].tolist()
    ['a', 'b', 'c', 'd']
    >>> staying = peg.iloc[:3]
    >>> pegawai_through({"pegawai": staying, "skp": skp}, "2025Q4") is staying
    True
    """
    awal, akhir = period_bounds(parse_period(periode).code)
    return _employed(tables, awal, akhir)


def _employed(tables: Mapping[str, pd.DataFrame], awal, akhir) -> pd.DataFrame:
    """The employees of ``tables["pegawai"]`` who were ASN at some time from ``awal`` to
    ``akhir`` (:func:`pegawai_through`'s rule, over a span of periods: appointed by
    ``akhir`` and not gone by ``awal``, or named by a row that says so)."""
    peg = tables["pegawai"]
    if peg.empty:
        return peg
    n = len(peg)
    late = (
        (pd.to_datetime(peg["tmt_cpns"]) > akhir).fillna(False).to_numpy(bool)
        if "tmt_cpns" in peg.columns
        else np.zeros(n, dtype=bool)
    )
    gone = (
        (pd.to_datetime(peg["tmt_keluar"]) <= awal).fillna(False).to_numpy(bool)
        if "tmt_keluar" in peg.columns
        else np.zeros(n, dtype=bool)
    )
    if not (late | gone).any():
        return peg
    candidates = set(peg.loc[late | gone, "nip"].dropna().tolist())
    named_by: set = set()  # a row up to akhir: they were appointed by then
    named_in: set = set()  # a row from awal to akhir: they still worked then
    for name, df in tables.items():
        if name == "pegawai" or "nip" not in df.columns or df.empty:
            continue
        if "periode" in df.columns:
            column = "periode"
        elif "tanggal_mulai" in df.columns:
            column = "tanggal_mulai"
        else:
            continue
        mine = in_values(df["nip"], candidates)
        if not mine.any():
            continue
        # only the two columns of the candidates' rows (a few percent of the rows), and
        # each distinct period's end looked up once
        nip = np.asarray(df["nip"].array[mine], dtype=object)
        if column == "periode":
            codes, uniq = pd.factorize(np.asarray(df["periode"].array[mine], dtype=object))
            ends = np.array(
                [period_bounds(str(c))[1].to_datetime64() for c in uniq] + [np.datetime64("NaT")],
                dtype="datetime64[ns]",
            )
            when = ends[codes]  # code -1 (no period) → NaT
        else:
            when = np.asarray(df["tanggal_mulai"].array[mine], dtype="datetime64[ns]")
        upto = when <= np.datetime64(akhir)  # NaT compares False
        named_by.update(nip[upto].tolist())
        named_in.update(nip[upto & (when >= np.datetime64(awal))].tolist())
    named_by.discard(None)
    named_in.discard(None)
    keep = (~late | in_values(peg["nip"], named_by)) & (~gone | in_values(peg["nip"], named_in))
    return peg if keep.all() else peg.loc[keep].reset_index(drop=True)


def _safe(notes: list[Note], what: str, fn, *args, **kwargs):
    """Run one analysis step; if it cannot be estimated on these data, note why.

    Only :class:`~kinerja_analysis.core.errors.NotEstimable` becomes a note (too few
    units, no variation, no comparison group…: ``tidak_diestimasi`` with ``analisis =
    what`` and the error's reason and facts, :func:`~kinerja_analysis.analyses.notes.not_estimated_note`),
    as does a singular design (``LinAlgError``: collinear data, reason ``singular``);
    any other exception is a programming error and propagates.
    """
    try:
        return fn(*args, **kwargs)
    except (NotEstimable, np.linalg.LinAlgError) as exc:
        notes.append(not_estimated_note(what, exc))
        return None


#: Where an effect result's frames go in :class:`SharedResults`: ``<prefix><suffix>``
#: (``pelatihan_dynamic`` is the training result's ``dynamic``, ``penerapan_dynamic`` the
#: rollout result's ``event``).
_EFFECT_SUFFIX = {
    "overall": "",
    "dynamic": "_dynamic",
    "event": "_dynamic",
    "pretrend": "_pretrend",
    "heterogeneity": "_heterogen",
    "sensitivity": "_sensitivitas",
}


def _keep(out: dict[str, Any], notes: list[Note], prefix: str, result: Any) -> None:
    """Put the frames of an effect result into ``out`` under their SharedResults names
    (:data:`_EFFECT_SUFFIX`) and its notes into ``notes``."""
    for attr, suffix in _EFFECT_SUFFIX.items():
        if hasattr(result, attr):
            out[prefix + suffix] = getattr(result, attr)
    notes.extend(result.notes)


@threadpool_limits.wrap(limits=1, user_api="blas")
@renamed_keywords(reliabilitas="reliability")
def compute_shared(
    ds,
    *,
    through: str | None = None,
    seed: int = DEFAULTS.seed,
    n_boot: int = DEFAULTS.n_boot,
    min_n: int = DEFAULTS.min_n_subgroup,
    reliability: bool = True,
    per_period: SharedResults | None = None,
    aggregate: Callable[..., EmployeeFrames] = aggregate_per_employee,
) -> SharedResults:
    """Compute everything that uses several periods at once, on one data window.

    Runs with one BLAS thread (threadpoolctl): its matrix products are tall and thin,
    where OpenBLAS's threads cost more than they give (a fifth of the CPU time at
    100,000 ASN on 2 cores); the numbers do not depend on it.

    Parameters
    ----------
    ds
        A validated :class:`kinerja_analysis.Dataset`.
    through
        The window's last period: only data up to and including it is used
        (:func:`data_through`). ``None``: every period of ``ds``.
    seed, n_boot
        Bootstrap seed and draws (multiplier bootstrap bands, wild cluster bootstrap).
    min_n
        Minimum trained employees for a subgroup estimate.
    reliability
        Also estimate rater reliability (ICC, Krippendorff's α, Cronbach's α).
    per_period
        Results of a larger window of the same data: its per-period results (rater
        reliability, survey construct scores — each period computed from its own rows
        only) are taken for this window's periods instead of being computed again.
    aggregate
        The per-employee aggregation (:func:`~kinerja_analysis.analyses.panel.aggregate_per_employee`
        by default; a distributed implementation with the same signature replaces it for
        data larger than one machine, ``docs/scaling.md``).

    Returns
    -------
    SharedResults
        With ``periode_akhir`` the window's last period and ``parameter`` the seed,
        draws, subgroup minimum, window (``sampai``), the source of the last period's
        predikat (``sumber_predikat``: ``"angka"``, ``"resmi"`` or ``"resmi_skp"``) and
        that of every period of the window (``sumber_predikat_periode``,
        :func:`kinerja_analysis.domain.official.evaluation_by_period`).
    """
    # The estimators (scipy.stats, statsmodels, pyfixest) are needed to compute the shared
    # results, not to load them: a report run only calls load_shared.
    from kinerja_analysis.analyses.feedback import estimate_feedback_effects  # lazy: as said
    from kinerja_analysis.analyses.ordinal import fit_ordinal_predikat  # lazy: as said
    from kinerja_analysis.analyses.rater_reliability import rating_reliability  # lazy: as said
    from kinerja_analysis.analyses.rollout import (  # lazy: as said
        estimate_rollout_effects,
        prepare_layanan,
    )
    from kinerja_analysis.analyses.survey_panel import (  # lazy: as said
        estimate_communication_training_effect,
    )
    from kinerja_analysis.domain.official import agreement_by_opd  # lazy: as said
    from kinerja_analysis.domain.survey import construct_scores  # lazy: as said

    akhir = parse_period(through).code if through is not None else ds.periods[-1]
    if through is not None:
        ds = data_through(ds, akhir)
    t = decode_small_tables(ds.tables)
    notes: list[Note] = []
    frames = aggregate(t, ds.periods)
    evaluasi, skor_dimensi, panel = frames.evaluasi, frames.skor_dimensi, frames.panel
    resmi, sumber = frames.resmi, frames.predikat_source
    # each period's predikat source (computed where the numbers exist, official where
    # only the official result does); the document's own is its window's last period
    by_period = {p: frames.predikat_sources.get(p, sumber) for p in ds.periods}
    sumber = by_period.get(akhir, sumber)
    computed = [p for p, s in by_period.items() if s == "angka"]
    notes.extend(frames.notes)
    # the rater reliability reads only the ratings: on a second CPU it runs in a forked
    # child beside the estimators below, and is collected (a failure raised) where it
    # always was
    rel = _periods_of(per_period, "reliability", ds.periods) if reliability else None
    job = None
    if reliability and "perilaku" in t and rel is None and available_cpus() > 1:
        job = fork_call(functools.partial(rating_reliability, t["perilaku"]))
    try:
        out: dict[str, Any] = {}
        if resmi is not None and computed:
            # agreement where both exist: the periods whose predikat are computed
            official = resmi.loc[resmi["periode"].astype(TEXT_DTYPE).isin(computed).to_numpy()]
            if len(official):
                out["evaluasi_resmi"] = resmi
                ev_computed = evaluasi.loc[
                    evaluasi["periode"].astype(TEXT_DTYPE).isin(computed).to_numpy()
                ]
                out["resmi_agreement"] = agreement_by_opd(official, ev_computed, t["pegawai"])
        not_estimated: dict[str, str] = {}
        if "pelatihan" in t and "skp" in t and not panel["g"].notna().any():
            not_estimated["pelatihan"] = "no_training"
        if "pelatihan" in t and panel["g"].notna().any() and "skp" in t:
            tr = _training_step(panel, notes, not_estimated, min_n=min_n, n_boot=n_boot, seed=seed)
            if tr is not None:
                _keep(out, notes, "pelatihan", tr)
            pel = _communication_on_service(
                panel, skor_dimensi, notes, n_boot=n_boot, seed=seed, min_n=min_n
            )
            if pel is not None:
                out["komunikasi_perilaku"] = pel
        # feedback recorded only from a later period: none in this window, nothing to estimate
        feedback = "umpan_balik" in t and len(t["umpan_balik"]) > 0
        if feedback and "skp" in t:
            fb = _safe(notes, "umpan_balik", estimate_feedback_effects, panel, "capaian")
            if fb is not None:
                out["umpan_balik"] = fb.tidy()
                notes.extend(fb.notes)
        if "layanan" in t and "penerapan" in t and len(t["penerapan"]) == 0:
            notes.append(Note("penerapan_belum_ada"))
        elif "layanan" in t and "penerapan" in t:
            lay = prepare_layanan(t["layanan"], t["penerapan"], ds.periods)
            ro = _safe(
                notes,
                "penerapan",
                estimate_rollout_effects,
                lay,
                n_boot=max(n_boot, DEFAULTS.n_boot_wild),
                seed=seed,
            )
            if ro is not None:
                _keep(out, notes, "penerapan", ro)
        if feedback and "predikat" in panel:
            # one kind of predikat: those of the periods sharing the last period's source
            same = [p for p, s in by_period.items() if s == sumber]
            ordinal_panel = (
                panel
                if len(same) == len(by_period)
                else panel.loc[panel["periode"].astype(TEXT_DTYPE).isin(same).to_numpy()]
            )
            out["ordinal"] = _safe(notes, "ordinal", fit_ordinal_predikat, ordinal_panel)
        if "survei" in t:
            skor = _periods_of(per_period, "survei_skor", ds.periods)
            if skor is None:
                skor = construct_scores(t["survei"], t["survei_instrumen"])
            out["survei_skor"] = skor
            if "pelatihan" in t and (skor["konstruk"] == "percaya_diri").any():
                out["komunikasi"] = _safe(
                    notes,
                    "komunikasi",
                    estimate_communication_training_effect,
                    skor,
                    t["pelatihan"],
                )
        if reliability and "perilaku" in t:
            if rel is None:
                make = (
                    (lambda: job.result()[0])
                    if job is not None
                    else functools.partial(rating_reliability, t["perilaku"])
                )
                rel = _safe(notes, "reliabilitas", make)
            out["reliability"] = rel
    finally:
        if job is not None:
            job.cancel()  # an error above: the child is not waited for
    return SharedResults(
        evaluasi=evaluasi,
        skor_dimensi=skor_dimensi,
        panel=panel,
        notes=tuple(notes),
        parameter={
            "seed": seed,
            "n_boot": n_boot,
            "min_n": min_n,
            "sumber_predikat": sumber,
            "sumber_predikat_periode": by_period,
            "sampai": akhir,
        },
        periode_akhir=akhir,
        not_estimated=not_estimated,
        **out,
    )


def _training_step(panel, notes, not_estimated, *, min_n, n_boot, seed):
    """The training effect on capaian (never-treated controls, else not-yet-treated:
    :func:`~kinerja_analysis.analyses.training.estimate_training_effects`). When it cannot
    be estimated, the reason's key goes to ``not_estimated["pelatihan"]`` (the documents
    say it in words beside the effect) and a ``tidak_diestimasi`` note to ``notes``
    whose ``sebab`` is that reason or, for ``"other"``, the estimator's own
    (``facts["cause"]``), which the documents then add."""
    from kinerja_analysis.analyses.training import (  # lazy: computing, not loading
        TrainingNotEstimable,
        estimate_training_effects,
    )

    try:
        return estimate_training_effects(
            panel,
            "capaian",
            subgroups=("sumber_pertama", "relevansi", "jenis_jabatan", "opd"),
            min_n=min_n,
            n_boot=n_boot,
            seed=seed,
        )
    except (NotEstimable, np.linalg.LinAlgError) as exc:
        reason = exc.reason if isinstance(exc, TrainingNotEstimable) else "other"
        not_estimated["pelatihan"] = reason
        notes.append(_training_note("pelatihan", exc))
        return None


def _training_note(analysis: str, exc: BaseException) -> Note:
    """The note of a training estimate that could not be made: the training reason, or
    for ``"other"`` the estimator's own (``facts["cause"]``) with its facts."""
    note = not_estimated_note(analysis, exc)
    f = dict(note.fields)
    cause = f.pop("cause", None)
    if f["sebab"] == "other" and cause:
        f["sebab"] = cause
    return Note(note.key, f)


def _periods_of(h: SharedResults | None, name: str, periods: Iterable[str]) -> pd.DataFrame | None:
    """Rows of ``h.<name>`` (a per-period result) for ``periods``; None when not available."""
    if h is None or h.periode_akhir is None:
        return None
    df = getattr(h, name)
    if df is None or "periode" not in df.columns:
        return None
    periods = list(periods)
    if not periods or period_bounds(periods[-1])[1] > period_bounds(h.periode_akhir)[1]:
        return None  # h's window does not cover this one
    return df.loc[df["periode"].astype("string[pyarrow]").isin(periods).to_numpy()].reset_index(
        drop=True
    )


@renamed_keywords(reliabilitas="reliability")
def compute_windows(
    ds,
    periods: Iterable[str],
    *,
    seed: int = DEFAULTS.seed,
    n_boot: int = DEFAULTS.n_boot,
    min_n: int = DEFAULTS.min_n_subgroup,
    reliability: bool = True,
) -> dict[str, SharedResults]:
    """:func:`compute_shared` for the window of each period in ``periods``.

    The largest window is computed first; the per-period results it holds (rater
    reliability, survey construct scores) are reused by the smaller windows, which
    compute only what depends on the window (scores with rater leniency, the panel and
    every estimate).

    Returns
    -------
    dict
        ``{periode: SharedResults}`` in period order.
    """
    order = sort_periods(periods)
    settings = {"seed": seed, "n_boot": n_boot, "min_n": min_n, "reliability": reliability}
    out = dict(_largest_first(ds, order, settings))
    return {p: out[p] for p in order}


def _largest_first(
    ds,
    periods: Iterable[str],
    settings: Mapping[str, Any],
    largest: SharedResults | None = None,
) -> Iterator[tuple[str, SharedResults]]:
    """``(periode, compute_shared(ds, through=periode, **settings))``, largest window first.

    Every window takes its per-period results from ``largest`` (a window of the same
    data at least as large as all of them) or, without it, from the first window
    computed — the largest.
    """
    for p in reversed(sort_periods(periods)):
        h = compute_shared(ds, through=p, per_period=largest, **settings)
        largest = largest or h
        yield p, h


def communication_sample(panel: pd.DataFrame) -> pd.DataFrame:
    """The employees whose change in first-training status cannot be mistaken for the
    effect of communication training (:func:`_communication_on_service`).

    ``panel`` has ``nip``, ``g`` (period index of the first training of any kind; 0 =
    before the window, NaN = never) and ``g_komunikasi`` (first communication training).
    Kept: communication trainees whose first training of any kind came at least two
    periods before the communication training (``g <= g_komunikasi - 2``, or before the
    window), and, as comparison, ASN never trained in communication whose first-training
    status does not change within the window (never trained, or trained before it).
    Rows of the others are left out whole.

    >>> p = pd.DataFrame({"nip": list("abcdef"), "g": [2, 2, 3, 0, None, 4],
    ...                   "g_komunikasi": [2, 4, 4, 3, None, None]})
    >>> communication_sample(p)["nip"].tolist()
    ['b', 'd', 'e']
    """
    g = panel["g"].astype("float64")
    gk = panel["g_komunikasi"].astype("float64")
    treated = gk.notna() & g.notna() & (g <= gk - 2)
    stable = gk.isna() & (g.isna() | (g == 0))
    return panel[(treated | stable).to_numpy()]


def _communication_on_service(panel, skor_dimensi, notes, *, n_boot, seed, min_n):
    """Communication training → the service-orientation rating (berorientasi_pelayanan).

    Staggered DiD (Callaway & Sant'Anna 2021) with the first communication training as
    treatment, on :func:`communication_sample`. Many ASN take communication training as,
    or together with, their *first* training, and a first training has effects of its
    own on the rating (on its target competency, often this one, and during the period
    it is taken only in part). Comparing those trainees with never-trained-in-
    communication ASN credits the first training's effect to communication training
    (an estimate 40% above the planted effect in the synthetic city). Following
    de Chaisemartin & D'Haultfœuille (2023, "Two-way fixed effects and
    differences-in-differences estimators with several treatments", *Journal of
    Econometrics* 236(2):105480), the comparison uses only units whose *other* treatment
    does not change over the periods compared: treated ASN whose first training was at
    least two periods earlier (so the base period, the one before the communication
    training, already has the first training in full) and comparison ASN whose
    first-training status is constant (never trained, or trained before the window).
    The estimand is the effect of communication training for ASN already trained
    before it; the trainees left out are counted in a note.
    """
    from kinerja_analysis.analyses.training import (  # lazy: computing, not loading
        estimate_training_effects,
    )

    if "g_komunikasi" not in panel or panel["g_komunikasi"].notna().sum() == 0:
        return None
    pel = skor_dimensi.loc[
        skor_dimensi["dimensi"] == "berorientasi_pelayanan", ["nip", "periode", "skor"]
    ].rename(columns={"skor": "skor_pelayanan"})
    d = communication_sample(panel).merge(pel, on=["nip", "periode"], how="left")
    n_all = int(panel.loc[panel["g_komunikasi"] > 0, "nip"].nunique())
    n_tr = int(d.loc[d["g_komunikasi"] > 0, "nip"].nunique())
    if n_tr < min_n:
        notes.append(Note("komunikasi_sedikit", {"n_asn": n_tr, "min_n": min_n}))
        return None
    try:
        r = estimate_training_effects(
            d,
            "skor_pelayanan",
            g_col="g_komunikasi",
            subgroups=(),
            n_boot=n_boot,
            seed=seed,
            sensitivity=False,
            analysis="komunikasi_perilaku",
        )
    except (NotEstimable, np.linalg.LinAlgError) as exc:
        notes.append(_training_note("komunikasi_perilaku", exc))
        return None
    notes.append(Note("sampel_komunikasi", {"n_asn": n_tr, "n_asn_peserta": n_all}))
    return r.overall.assign(pretrend_p=float(r.pretrend["p_value"].iloc[0]))


def save_shared(h: SharedResults, folder: str | Path) -> Path:
    """Write :class:`SharedResults` to ``folder`` (Parquet per table + ``meta.json``).

    ``meta.json`` holds the notes as data, each ``{"kunci": key, "isian": fields}``
    (:meth:`~kinerja_analysis.analyses.notes.Note.to_json`) under ``catatan``, the
    parameters, the window's last period and ``not_estimated``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    present = []
    for name in _FRAMES:
        df = getattr(h, name)
        if df is None:
            continue
        df = df.copy()
        for c in df.columns:
            if df[c].dtype == object or isinstance(df[c].dtype, pd.CategoricalDtype):
                df[c] = df[c].astype("string[pyarrow]")
        stored = _STORED_AS.get(name, name)
        atomic_write(
            folder / f"{stored}.parquet",
            lambda tmp, df=df: df.to_parquet(tmp, index=False),
            private=True,  # per-employee rows (NIPs)
        )
        present.append(stored)
    meta = {
        "tables": present,
        _STORED_AS["notes"]: [n.to_json() for n in note_list(h.notes)],
        "parameter": dict(h.parameter),
        "periode_akhir": h.periode_akhir,
        "not_estimated": dict(h.not_estimated),
    }
    atomic_write(folder / "meta.json", json.dumps(meta, ensure_ascii=False, indent=1), private=True)
    return folder


def load_shared(folder: str | Path) -> SharedResults:
    """Read what :func:`save_shared` wrote (tables and keys under their stored names,
    :data:`_STORED_AS`; a field's own name is read too).

    Notes stored as sentences by an earlier version (a list of strings) load as
    :data:`~kinerja_analysis.analyses.notes.LEGACY` notes holding the sentence as it
    was, shown as it is. The batch and the notebooks never read such a store: its key
    (:func:`shared_key`) holds :func:`analysis_fingerprint`, the source of the
    computing layers, so any window stored before notes became data is computed again.
    """
    folder = Path(folder)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    frames = {_FIELD_OF.get(n, n): read_parquet(folder / f"{n}.parquet") for n in meta["tables"]}
    known = {f.name for f in fields(SharedResults)}
    notes = meta.get(_STORED_AS["notes"], meta.get("notes", ()))
    return SharedResults(
        **{k: v for k, v in frames.items() if k in known},
        notes=note_list(notes),
        parameter=meta.get("parameter", {}),
        periode_akhir=meta.get("periode_akhir"),
        not_estimated=meta.get("not_estimated", {}),
    )


# --------------------------------------------------------------------------- the store

#: The layers whose source the shared results are computed by; editing the wording of a
#: document (reporting) or the batch (pipeline) does not make them stale.
_COMPUTING_LAYERS = ("core", "data", "methods", "domain", "analyses")


def analysis_fingerprint() -> str:
    """Hash of the source of the layers that compute the shared results (16 hex)."""
    return hash_bytes(
        *(code_fingerprint(PACKAGE_ROOT / layer).encode() for layer in _COMPUTING_LAYERS)
    )[:16]


#: The parameters of :func:`compute_shared` besides the window that change its numbers.
KEY_PARAMETERS = ("seed", "n_boot", "min_n", "reliability")
_KEY_DEFAULTS = {k: inspect.signature(compute_shared).parameters[k].default for k in KEY_PARAMETERS}


@renamed_keywords(reliabilitas="reliability")
def shared_key(ds, *, through: str | None = None, **params: Any) -> dict[str, Any]:
    """What one window's shared results are computed from — and nothing else.

    Parameters
    ----------
    ds, through
        As in :func:`compute_shared`.
    params
        Any of :data:`KEY_PARAMETERS` as given to :func:`compute_shared`; the others
        take :func:`compute_shared`'s own defaults (read from its signature, so the key
        and the computation cannot disagree).

    Returns
    -------
    dict
        ``checksum`` (the data), ``sampai`` (the window's last period), ``seed``,
        ``n_boot``, ``min_n``, ``reliability`` and ``kode``
        (:func:`analysis_fingerprint`). The report folder, the language, the OPD of a
        per-OPD document and ``min_sel`` are not in it: documents that differ only in
        those share one computation.

    Raises
    ------
    TypeError
        A parameter outside :data:`KEY_PARAMETERS`.
    """
    unknown = sorted(set(params) - set(KEY_PARAMETERS))
    if unknown:
        raise TypeError(f"shared_key: unknown parameter(s) {unknown}; allowed: {KEY_PARAMETERS}")
    seed, n_boot, min_n, reliability = ({**_KEY_DEFAULTS, **params}[k] for k in KEY_PARAMETERS)
    akhir = parse_period(through).code if through is not None else ds.periods[-1]
    return {
        "checksum": ds.checksum,
        "sampai": akhir,
        "seed": int(seed),
        "n_boot": int(n_boot),
        "min_n": int(min_n),
        "reliability": bool(reliability),
        "kode": analysis_fingerprint(),
    }


@renamed_keywords(kunci="key")
def window_dir(root: str | Path, key: Mapping[str, Any]) -> Path:
    """The store folder of one key: ``<root>/<sampai>-<hash of the key>``."""
    h = hash_bytes(json.dumps(dict(key), sort_keys=True).encode())[:16]
    return Path(root) / f"{key['sampai']}-{h}"


def _stored(folder: Path, kunci: Mapping[str, Any]) -> bool:
    meta = folder / "meta.json"
    if not meta.is_file():
        return False
    try:
        return json.loads(meta.read_text(encoding="utf-8")).get("kunci") == dict(kunci)
    except (OSError, json.JSONDecodeError):
        return False


def _store(h: SharedResults, folder: Path, kunci: Mapping[str, Any]) -> Path:
    """Save one window under ``folder``: written aside, then renamed into place."""
    tmp = folder.with_name(f".{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    save_shared(h, tmp)
    m = json.loads((tmp / "meta.json").read_text(encoding="utf-8"))
    m["kunci"] = dict(kunci)
    atomic_write(tmp / "meta.json", json.dumps(m, ensure_ascii=False, indent=1), private=True)
    if folder.exists():
        shutil.rmtree(folder, ignore_errors=True)
    try:
        os.replace(tmp, folder)
    except OSError:  # another process stored the same window first: same key, same numbers
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


# --------------------------------------------------------------------------- batch & notebooks


def prepare_shared(
    ds,
    folder: str | Path,
    *,
    periods: Iterable[str] | None = None,
    seed: int = DEFAULTS.seed,
    n_boot: int = DEFAULTS.n_boot,
    min_n: int = DEFAULTS.min_n_subgroup,
    on_error: Callable[[str, Exception], None] | None = None,
) -> Path:
    """Batch hook: compute the window of every period in ``periods`` into the store.

    Parameters
    ----------
    ds
        The validated dataset.
    folder
        The store root (the batch's ``<cache>/shared``); each window goes to
        :func:`window_dir`. A window whose key (:func:`shared_key`) is already stored is
        not computed again.
    periods
        The periods whose documents will be written; default every period of ``ds``.
    on_error
        ``on_error(periode, exc)`` for a window whose computation raised ``exc`` (an
        unexpected error: what cannot be estimated is a note, not an error); that
        window is not stored and the other windows are still computed. ``None``: the
        error propagates (and stops the windows not yet computed).

    Returns
    -------
    Path
        ``folder``.
    """
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    settings = {"seed": seed, "n_boot": n_boot, "min_n": min_n}
    wanted = sort_periods(periods) if periods is not None else list(ds.periods)
    keys = {p: shared_key(ds, through=p, **settings) for p in wanted}
    todo = [p for p in wanted if not _stored(window_dir(root, keys[p]), keys[p])]
    if not todo:
        return root
    # the largest window's per-period results (reliability, survey scores) serve the rest
    largest = None if wanted[-1] in todo else load_shared(window_dir(root, keys[wanted[-1]]))
    for p in reversed(sort_periods(todo)):  # largest first, as _largest_first
        try:
            h = compute_shared(ds, through=p, per_period=largest, **settings)
        except Exception as exc:  # noqa: BLE001 - handed to on_error: one window, one period
            if on_error is None:
                raise
            on_error(p, exc)
            continue
        largest = largest or h
        _store(h, window_dir(root, keys[p]), keys[p])
    return root


def load_or_compute_shared(
    ds,
    folder: str | Path | None,
    *,
    through: str | None = None,
    seed: int = DEFAULTS.seed,
    n_boot: int = DEFAULTS.n_boot,
    min_n: int = DEFAULTS.min_n_subgroup,
) -> SharedResults:
    """The shared results of the window ending with ``through`` (default: the last period).

    Read from the store ``folder`` when that window is there under the same key
    (:func:`shared_key`); otherwise computed now and, when ``folder`` is given, stored
    for the next document.
    """
    settings = {"seed": seed, "n_boot": n_boot, "min_n": min_n}
    kunci = shared_key(ds, through=through, **settings)
    if folder is not None:
        d = window_dir(folder, kunci)
        if _stored(d, kunci):
            return load_shared(d)
    h = compute_shared(ds, through=kunci["sampai"], **settings)
    if folder is not None:
        Path(folder).mkdir(parents=True, exist_ok=True)
        _store(h, window_dir(folder, kunci), kunci)
    return h
