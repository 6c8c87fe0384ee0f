"""Training: the effect of the first training, staggered DiD with TWFE beside it.

Callaway & Sant'Anna (2021) group-time ATTs for the staggered, self-selected, absorbing
treatment "first training", with never-treated (or not-yet-treated) employees as
controls, doubly robust with covariates (:mod:`kinerja_analysis.methods.did`). Identified
under parallel trends conditional on covariates and no anticipation; self-selection on
*levels* (motivated employees train more) is allowed, selection on *trends* is not — the
pre-trend test checks what it can, and the sensitivity analysis of Rambachan & Roth
(2023) says how large a violation of parallel trends the conclusion survives. TWFE is
shown beside it as the familiar number: with staggered timing and effects that change
over time it compares late-treated with already-treated employees ("forbidden
comparisons") and can be biased, even in sign.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from kinerja_analysis.analyses.notes import Note, not_estimated_note
from kinerja_analysis.analyses.panel import shift_by_period
from kinerja_analysis.core.compat import TEXT_DTYPE
from kinerja_analysis.core.config import DEFAULTS
from kinerja_analysis.core.deprecation import renamed_columns
from kinerja_analysis.core.errors import NotEstimable
from kinerja_analysis.core.frames import concat_rows
from kinerja_analysis.core.parallel import available_cpus, fork_map
from kinerja_analysis.core.periods import parse_period
from kinerja_analysis.core.results import (
    Result,
    ascii_key,
    check_tidy,
    tidy_frame,
    tidy_row,
    tidy_row_from,
)
from kinerja_analysis.methods import power as pw
from kinerja_analysis.methods.did import staggered_did
from kinerja_analysis.methods.did.sensitivity import honest_did
from kinerja_analysis.methods.did.twfe import twfe

__all__ = [
    "NOT_ESTIMABLE_REASONS",
    "TWFE_CAVEAT",
    "TrainingNotEstimable",
    "TERM_CS",
    "TERM_TWFE",
    "TrainingResult",
    "estimate_training_effects",
    "subgroup_difference",
    "sensitivity_frame",
    "training_power",
]

#: Term keys of the overall rows (labels in ``label``).
TERM_CS = "att_cs"
TERM_TWFE = "twfe"

TWFE_CAVEAT = (
    "TWFE membandingkan pegawai yang baru dilatih dengan pegawai yang sudah lebih dulu "
    "dilatih; bila efek pelatihan berubah menurut waktu atau kelompok, perbandingan itu "
    "dapat membiaskan angka TWFE (bahkan tandanya). Estimator Callaway–Sant'Anna hanya "
    "membandingkan dengan pegawai yang belum/tidak dilatih."
)


#: Why the training effect cannot be estimated on a window (the ``reason`` of
#: :class:`TrainingNotEstimable`; the documents say each in words, catalogue
#: ``narrative.toml`` ``[not_estimable]``).
NOT_ESTIMABLE_REASONS = (
    "one_period",  # fewer than two periods: no before and after
    "no_training",  # nobody had a first training in the window
    "no_cohort",  # every first training fell in the window's first period (no pre-period)
    "no_comparison",  # no never-treated ASN and no later cohort to serve as not-yet-treated
    "other",  # the estimator's own reason: in ``facts["cause"]`` (a NotEstimable reason key)
)


class TrainingNotEstimable(NotEstimable):
    """The training effect cannot be estimated; ``reason`` is one of
    :data:`NOT_ESTIMABLE_REASONS` (the message says it in words). ``facts`` holds the
    estimator's own reason key under ``cause`` and its facts."""

    def __init__(self, message: str, reason: str, facts: dict[str, object] | None = None) -> None:
        if reason not in NOT_ESTIMABLE_REASONS:
            raise ValueError(f"unknown reason {reason!r} (known: {NOT_ESTIMABLE_REASONS})")
        super().__init__(message, reason=reason, facts=facts)


#: Columns of :meth:`TrainingResult.tidy` before this release (old name → new name).
_OLD_TIDY_COLUMNS = {"agregasi": "aggregation", "subkelompok": "subgroup", "n_dilatih": "n_treated"}


@dataclass(frozen=True)
class TrainingResult(Result):
    """Training effects on one outcome.

    ``overall``: CS simple ATT and TWFE (terms ``att_cs``, ``twfe``; ``label`` says
    which) with ``estimate_sd`` and ``flags`` (cell flags of the DiD engine that the
    estimate met, e.g. ``ps_separation``); ``dynamic``: event study with uniform bands;
    ``group``: by cohort; ``pretrend``: Wald pre-tests, first on the event-time
    estimates (the one the report uses: it keeps its size with small cohorts), then on
    all pre-treatment ATT(g,t) cells as R ``did`` prints it; ``heterogeneity``: ATT per
    subgroup (sumber, relevansi, OPD, jabatan) with the group sizes; ``att_gt``: cells;
    ``sensitivity``: :func:`sensitivity_frame` of the event study (Rambachan & Roth);
    ``notes``: what the estimate left out or changed, as
    :class:`~kinerja_analysis.analyses.notes.Note` (a key and its numbers).

    The DiD engine uses a balanced panel (as R ``did`` by default): an employee without
    the outcome or a covariate in any period of the window is left out. The CS row of
    ``overall`` says how many: ``n_window`` (employees in the window not trained before
    it) and ``n_incomplete`` (of them, left out for a missing period); ``n_obs`` is the
    number used.
    """

    outcome: str
    overall: pd.DataFrame
    dynamic: pd.DataFrame
    group: pd.DataFrame
    pretrend: pd.DataFrame
    heterogeneity: pd.DataFrame
    att_gt: pd.DataFrame
    outcome_sd: float
    notes: tuple[Note, ...] = ()
    twfe_reason: str = TWFE_CAVEAT
    sensitivity: pd.DataFrame | None = None

    def tidy(self) -> pd.DataFrame:
        """Overall rows, event study, cohorts and subgroups: ``aggregation`` says which
        (``overall``, ``dynamic``, ``group``, ``subgroup``). Before this release the column
        was ``agregasi`` (values ``keseluruhan``, ``dinamis``, ``kohort``, ``subkelompok``)
        and ``subgroup``, ``n_treated`` were ``subkelompok``, ``n_dilatih``; the old column
        names read, with a ``DeprecationWarning``, until the next release."""
        parts = [
            self.overall.assign(aggregation="overall"),
            self.dynamic.assign(aggregation="dynamic"),
            self.group.assign(aggregation="group"),
            self.heterogeneity.assign(aggregation="subgroup"),
        ]
        out = check_tidy(tidy_frame(concat_rows(parts, ignore_index=True)))
        return renamed_columns(out, _OLD_TIDY_COLUMNS, "TrainingResult.tidy()")

    def glance(self) -> pd.DataFrame:
        """One row: outcome, its SD, the event-time pre-test, flags and notes."""
        pre = self.pretrend["p_value"].iloc[0] if len(self.pretrend) else np.nan
        flags = self.overall["flags"].iloc[0] if "flags" in self.overall else ""
        return pd.DataFrame(
            [
                {
                    "outcome": self.outcome,
                    "outcome_sd": self.outcome_sd,
                    "pretrend_p": pre,
                    "flags": flags,
                    "n_notes": len(self.notes),
                }
            ]
        )


def sensitivity_frame(
    event_time: np.ndarray,
    beta: np.ndarray,
    vcov: np.ndarray,
    n_cohorts: np.ndarray | None = None,
    *,
    min_share: float = 0.5,
    **ctx: object,
) -> pd.DataFrame:
    """Rambachan & Roth (2023) sensitivity of an event study, as one tidy table.

    ``event_time`` labels ``beta`` (the reference period ``e = -1`` left out): pre-periods
    ``e < -1``, post-periods ``e >= 0``. The target is the average post-period effect.
    The window: event times to which at least ``min_share`` of the cohorts contribute
    (``n_cohorts`` per event time, relative to ``e = 0``, where every cohort does).
    Leads seen by the last cohorts only, lags by the first ones only, are so noisy (and
    so unlike the average cohort) that the largest pre-period "violation" would be
    noise, and the breakdown value would say more about sample size than about trends.
    Rows: for relative magnitudes (``delta = "relative_magnitudes"``: C-LF sets at
    ``Mbar`` 0, 0.5, 1, 1.5, 2) and smoothness (``"smoothness"``: FLCIs at five ``M``
    from 0 to the largest pre-period second difference), the original CI then one row
    per value; ``breakdown`` (largest ``Mbar``/``M`` at which zero stays excluded) and
    ``breakdown_censored`` repeated on each row of its ``delta``. Empty when there is
    no pre-period before the reference or no post-period.
    """
    e = np.asarray(event_time)
    keep = e != -1
    if n_cohorts is not None and (e == 0).any():
        nc = np.asarray(n_cohorts, dtype=float)
        keep &= nc >= min_share * nc[e == 0][0]
    e, b, v = e[keep], np.asarray(beta)[keep], np.asarray(vcov)[np.ix_(keep, keep)]
    order = np.argsort(e)
    e, b, v = e[order], b[order], v[np.ix_(order, order)]
    n_pre, n_post = int((e < -1).sum()), int((e >= 0).sum())
    if n_pre < 1 or n_post < 1 or not np.all(np.isfinite(v)):
        return pd.DataFrame()
    lv = np.full(n_post, 1 / n_post)
    parts = []
    for delta in ("relative_magnitudes", "smoothness"):
        kw = {"values": [0.0, 0.5, 1.0, 1.5, 2.0]} if delta == "relative_magnitudes" else {}
        if delta == "smoothness":
            pre = np.r_[b[:n_pre], 0.0]
            top = float(np.max(np.abs(np.diff(pre, 2)))) if n_pre >= 2 else 0.0
            kw = {"values": list(np.linspace(0, top, 5))} if top > 0 else {}
        r = honest_did(b, v, n_pre, n_post, delta=delta, l_vec=lv, **kw)
        t = r.tidy().assign(
            breakdown=r.breakdown,
            breakdown_censored=r.breakdown_censored,
            n_pre=n_pre,
            n_post=n_post,
            **ctx,
        )
        t["delta"] = delta
        parts.append(t)
    return tidy_frame(concat_rows(parts, ignore_index=True))


def _did(d, y, cov, control_group, method, **kw):
    """The study's DiD call: employees (``nip``) by period (``t``), first training ``g_did``."""
    return staggered_did(
        d, y, "nip", "t", "g_did", covariates=cov or None, control_group=control_group,
        method=method, **kw,
    )  # fmt: skip


def _event_study_sensitivity(d, y, cov, control_group, method, **ctx) -> pd.DataFrame:
    """Sensitivity of the universal-base event study (the form HonestDiD expects)."""
    uni = _did(d, y, cov, control_group, method, base_period="universal", n_boot=0)
    es, v = uni.event_study_vcov()
    return sensitivity_frame(
        es["event_time"].to_numpy(),
        es["estimate"].to_numpy(),
        v,
        es["n_cohorts"].to_numpy(),
        **ctx,
    )


def _balanced_first_treated(d: pd.DataFrame, outcome: str, cov: Sequence[str]) -> pd.Series:
    """First training (``g_did``) of each ASN the estimator keeps: rows complete in the
    outcome and covariates, ASN seen in every period left (its balanced panel); a first
    training after the last period counts as never (0), as the estimator does."""
    ok = d.dropna(subset=[outcome, *cov])
    if ok.empty:
        return pd.Series(dtype="float64")
    n_t = ok["t"].nunique()
    seen = ok.groupby("nip", observed=True)["t"].nunique()
    g = ok.groupby("nip", observed=True)["g_did"].first()[seen == n_t]
    return g.where(g <= ok["t"].max(), 0.0)


def _control_group(d, outcome, cov, requested, notes, analysis) -> str:
    """The comparison group: ``requested``, or for ``"auto"`` never-treated ASN when the
    sample has at least covariates + 5 of them (the estimator's small-group rule), else
    not-yet-treated ASN (with a note saying why)."""
    if requested != "auto":
        return requested
    n_never = int((_balanced_first_treated(d, outcome, cov) == 0).sum())
    if n_never >= len(cov) + 5:
        return "never_treated"
    notes.append(
        Note(
            "pembanding_belum_dilatih",
            {"analisis": analysis, "n_asn": n_never, "min_n": len(cov) + 5},
        )
    )
    return "not_yet_treated"


def _why_not_estimable(d: pd.DataFrame, outcome: str, cov: Sequence[str]) -> str:
    """The reason (:data:`NOT_ESTIMABLE_REASONS`) the training effect cannot be
    estimated on the DiD sample ``d`` (checked in the order the estimator meets them)."""
    ok = d.dropna(subset=[outcome, *cov])
    if ok["t"].nunique() < 2:
        return "one_period"
    g = _balanced_first_treated(d, outcome, cov)
    t0 = ok["t"].min()
    cohorts = sorted(set(g[g > 0]))
    if not cohorts:
        return "no_training"
    if all(c <= t0 for c in cohorts):
        return "no_cohort"
    if not (g == 0).any() and len([c for c in cohorts if c > t0]) < 2:
        return "no_comparison"
    return "other"


def _baseline(panel: pd.DataFrame, covariates: Sequence[str]) -> pd.DataFrame:
    """Time-invariant covariates: each employee's value in their first period."""
    first = (
        panel.sort_values("t").groupby("nip", sort=False, observed=True)[list(covariates)].first()
    )
    return first.add_suffix("_awal")


def _did_sample(panel: pd.DataFrame, outcome: str, g_col: str, covariates: Sequence[str]):
    d = panel[["nip", "t", outcome, g_col]].copy()
    d[g_col] = d[g_col].astype("float64")
    before = d[g_col] == 0  # trained before the window: always treated
    d = d[~before]
    d["g_did"] = d[g_col].fillna(0)
    cov = []
    if covariates:
        base = _baseline(panel, covariates)
        d = d.join(base, on="nip")
        cov = list(base.columns)
    return d, cov


def _simple_row(res, term: str, label: str, sd: float, **ctx: object) -> dict[str, object]:
    a = res.aggregate("simple").iloc[0]
    return tidy_row_from(
        a,
        term,
        int(res.n_units),
        "Callaway–Sant'Anna (DR)",
        estimate_sd=float(a["estimate"]) / sd if sd > 0 else np.nan,
        label=label,
        flags=str(a["flags"]),
        **ctx,
    )


def estimate_training_effects(
    panel: pd.DataFrame,
    outcome: str = "capaian",
    *,
    g_col: str = "g",
    covariates: Sequence[str] = ("golongan_num", "masa_kerja", "perempuan"),
    control_group: Literal["auto", "never_treated", "not_yet_treated"] = "auto",
    method: Literal["dr", "ipw", "reg"] = "dr",
    subgroups: Sequence[str] = ("sumber_pertama", "relevansi"),
    min_n: int = DEFAULTS.min_n_subgroup,
    n_boot: int = DEFAULTS.n_boot,
    seed: int = DEFAULTS.seed,
    sensitivity: bool = True,
    analysis: str = "pelatihan",
) -> TrainingResult:
    """Effect of the first training on ``outcome`` (staggered DiD) with TWFE beside it.

    Parameters
    ----------
    panel
        :func:`kinerja_analysis.analyses.panel.build_panel` data (``nip, t, g`` and the outcome).
    covariates
        Entered at their first-period values (time-invariant, as the method requires).
    control_group
        ``"never_treated"``, ``"not_yet_treated"`` (Callaway & Sant'Anna 2021, both
        identified under parallel trends), or ``"auto"`` (default): never-treated
        employees when the balanced sample has enough of them for the estimator's
        small-group rule (covariates + 5), else not-yet-treated employees — then the
        last cohort serves only as control and the periods from its start are left out
        (R ``did``'s rule). The choice is in the ``control_group`` column of
        ``overall`` and ``heterogeneity`` and in a note.
    subgroups
        Panel columns describing the first training; for each level with at least
        ``min_n`` trained employees, its ATT against the same controls.
    sensitivity
        Add the Rambachan & Roth sensitivity of the event study (:func:`sensitivity_frame`
        on the universal-base event study, the form HonestDiD's authors use for it).
    analysis
        The analysis the result's notes name (``analisis``,
        :data:`kinerja_analysis.analyses.notes.ANALYSES`).

    Returns
    -------
    TrainingResult
        Its ``notes`` (:class:`~kinerja_analysis.analyses.notes.Note`): ASN trained
        before the window (``dilatih_sebelum_jendela``), the not-yet-treated comparison
        (``pembanding_belum_dilatih``), the balanced panel (``panel_seimbang``), ASN
        trained in the first period (``dilatih_periode_pertama``), redundant covariates,
        small cohorts, flagged cells, subgroups too small or not estimable and a
        sensitivity analysis that could not be made.

    Raises
    ------
    TrainingNotEstimable
        The effect cannot be estimated on these data; its ``reason`` says why
        (:data:`NOT_ESTIMABLE_REASONS`; for ``"other"``, ``facts["cause"]`` is the
        estimator's own reason key).

    Examples
    --------
    Every ASN trained by the end (two cohorts, nobody never-treated): the later cohort
    serves as the not-yet-treated comparison of the earlier one.

    >>> rng = np.random.default_rng(0)
    >>> rows = [(i, t, 3 if i < 40 else 4, 10 + (2.0 if i < 40 and t >= 3 else 0) + rng.normal(0, .1))
    ...         for i in range(80) for t in (1, 2, 3, 4)]
    >>> p = pd.DataFrame(rows, columns=["nip", "t", "g", "capaian"])
    >>> r = estimate_training_effects(p, covariates=(), subgroups=(), n_boot=0, sensitivity=False)
    >>> r.overall.loc[0, "control_group"], round(float(r.overall.loc[0, "estimate"]), 1)
    ('not_yet_treated', 2.0)
    """

    d, cov = _did_sample(panel, outcome, g_col, covariates)
    notes: list[Note] = []
    n_before = int(panel.loc[panel[g_col] == 0, "nip"].nunique())
    if n_before:
        notes.append(Note("dilatih_sebelum_jendela", {"analisis": analysis, "n_asn": n_before}))
    sd = float(panel[outcome].std())
    control_group = _control_group(d, outcome, cov, control_group, notes, analysis)
    try:
        res = _did(d, outcome, cov, control_group, method, n_boot=n_boot, seed=seed)
    except NotEstimable as exc:
        reason = _why_not_estimable(d, outcome, cov)
        raise TrainingNotEstimable(str(exc), reason, {"cause": exc.reason, **exc.facts}) from exc
    n_window = int(d["nip"].nunique())
    n_first = int(res.counts.get("units_dropped_treated_first_period", 0))
    n_incomplete = n_window - int(res.n_units) - n_first
    notes.extend(_did_notes(res, n_incomplete, analysis))
    overall = [
        _simple_row(
            res, TERM_CS, "ATT (Callaway–Sant'Anna)", sd, outcome=outcome,
            n_window=n_window, n_incomplete=n_incomplete, control_group=control_group,
        )
    ]  # fmt: skip
    tw = twfe(d.dropna(subset=[outcome]), outcome, "nip", "t", "g_did").iloc[0]
    overall.append(
        tidy_row_from(
            tw,
            TERM_TWFE,
            int(tw["n_obs"]),
            "TWFE (efek tetap pegawai + periode)",
            estimate_sd=float(tw["estimate"]) / sd if sd > 0 else np.nan,
            label="TWFE",
            flags="",
            outcome=outcome,
            control_group="",
        )
    )
    dyn = res.aggregate("dynamic").assign(outcome=outcome)
    grp = res.aggregate("group").assign(outcome=outcome)
    het = _heterogeneity(
        panel, d, outcome, cov, subgroups, min_n, control_group, method, n_boot, seed, sd, notes,
        analysis,
    )  # fmt: skip
    sens = None
    if sensitivity:
        try:
            sens = _event_study_sensitivity(d, outcome, cov, control_group, method, outcome=outcome)
        except NotEstimable as exc:
            notes.append(not_estimated_note(f"{analysis}_sensitivitas", exc))
    return TrainingResult(
        outcome,
        tidy_frame(overall),
        dyn,
        grp,
        pd.concat(
            [res.pretrend_test(kind="dynamic"), res.pretrend_test(kind="cells")],
            ignore_index=True,
        ).assign(outcome=outcome),
        het,
        res.tidy(),
        sd,
        tuple(notes),
        sensitivity=sens,
    )


def _did_notes(res, n_incomplete: int, analysis: str) -> list[Note]:
    """The DiD engine's sample changes as notes, from its structured facts (``counts``,
    ``dropped_covariates``, ``small_cohorts``, the cells' flags) — its English ``notes``
    are for programmers. A sample change the study cannot meet is not translated: time-
    varying covariates (covariates enter at their first-period values), units first
    trained after the window (trainings are cut at the window's end) and cohorts without
    a pre-period (no anticipation; those trained in the first period are left out first).
    """
    c = res.counts
    out: list[Note] = []
    if n_incomplete > 0:
        # the rows of data those ASN have (with an outcome): the panel's grid also holds
        # their missing periods, which are no data left out
        rows = int(c.get("rows_dropped_unbalanced", 0))
        out.append(
            Note("panel_seimbang", {"analisis": analysis, "n_asn": n_incomplete, "n_baris": rows})
        )
    n_first = int(c.get("units_dropped_treated_first_period", 0))
    if n_first:
        out.append(Note("dilatih_periode_pertama", {"analisis": analysis, "n_asn": n_first}))
    if res.dropped_covariates:
        names = [str(x).removesuffix("_awal") for x in res.dropped_covariates]
        out.append(Note("kovariat_redundan", {"analisis": analysis, "kovariat": names}))
    if res.small_cohorts:
        n_min = int(c.get("small_group_min", 0))
        out.append(
            Note(
                "kohort_kecil",
                {"analisis": analysis, "n_kohort": len(res.small_cohorts), "min_n": n_min},
            )
        )
    if c.get("small_never_treated"):
        out.append(
            Note("pembanding_kecil", {"analisis": analysis, "min_n": int(c["small_group_min"])})
        )
    flags = res.att_gt["flag"].astype(TEXT_DTYPE).str.split(",").explode()
    for key, n in flags[flags != ""].value_counts(sort=False).sort_index().items():
        out.append(Note("sel_ditandai", {"analisis": analysis, "tanda": key, "n_sel": int(n)}))
    return out


def _heterogeneity(
    panel, d, outcome, cov, subgroups, min_n, control_group, method, n_boot, seed, sd, notes,
    analysis,
) -> pd.DataFrame:  # fmt: skip
    """Each subgroup level's ATT against the same controls, its notes added to ``notes``.

    The levels' estimates are independent: they are shared out over the CPUs this
    process may use (:func:`~kinerja_analysis.core.parallel.fork_map`, the same rows and
    notes in the same order as one by one; a third of the training step's time at
    100,000 ASN)."""
    never = (d["g_did"] == 0).to_numpy()
    # the sample's ASN numbered once: a level's rows and its trained ASN are then array
    # lookups, not a search of every row's NIP among the level's (a tenth of the step's
    # time at 100,000 ASN, and all of it in this process)
    nip_code, nips = pd.factorize(d["nip"], use_na_sentinel=False)
    trained = np.zeros(len(nips), dtype=bool)
    trained[nip_code[~never]] = True
    columns = []  # (col, levels too small, the levels to estimate)
    for col in subgroups:
        if col not in panel:
            continue
        level_of = panel.groupby("nip", observed=True)[col].first()
        levels = sorted(level_of.dropna().unique())
        keys = _unique_keys(levels)
        # each ASN's level as its position in ``levels`` (-1: none)
        code = pd.Categorical(level_of.reindex(nips), categories=levels).codes
        row_code = code[nip_code]
        n_trained = np.bincount(code[trained & (code >= 0)], minlength=len(levels))
        small: list[str] = []
        todo = []
        for k, level in enumerate(levels):
            keep = never | (row_code == k)
            n_tr = int(n_trained[k])
            if n_tr < min_n:
                small.append(str(level))  # the count stays out: a small group
                continue
            todo.append((col, level, f"{col}={keys[level]}", keep, n_tr))
        columns.append((col, small, todo))

    def estimate(task) -> dict[str, object] | Note:
        col, level, term, keep, n_tr = task
        try:
            r = _did(d[keep], outcome, cov, control_group, method, n_boot=n_boot, seed=seed)
        except NotEstimable as exc:
            return not_estimated_note(
                f"{analysis}_subkelompok",
                exc,
                key="subkelompok_tidak_diestimasi",
                subkelompok=col,
                tingkat=[str(level)],
            )
        return _simple_row(
            r,
            term,
            f"{col} = {level}",
            sd,
            outcome=outcome,
            subgroup=col,
            level=str(level),
            n_treated=n_tr,
            control_group=control_group,
        )

    tasks = [task for *_, todo in columns for task in todo]
    done = iter(fork_map(estimate, tasks, min(available_cpus(), max(len(tasks), 1))))
    rows = []
    for col, small, todo in columns:
        failed: list[Note] = []
        for _ in todo:
            got = next(done)
            (failed if isinstance(got, Note) else rows).append(got)
        notes.extend(_subgroup_notes(f"{analysis}_subkelompok", col, small, failed, min_n))
    return tidy_frame(rows)


#: Subgroups whose levels are units of the organisation (an OPD): their notes count the
#: levels instead of naming them — an OPD with few trained ASN may be one whose rows the
#: city's tables hide, and a sentence naming it would give that back.
COUNTED_SUBGROUPS = ("opd",)


def _subgroup_notes(analysis, col, small, failed, min_n) -> list[Note]:
    """The notes of one subgroup column: levels too small (``subkelompok_kecil``) and
    levels not estimable (``subkelompok_tidak_diestimasi``), named — or, for the
    columns of :data:`COUNTED_SUBGROUPS`, counted (``…_jumlah``: one note per reason and
    facts)."""
    out: list[Note] = []
    if col not in COUNTED_SUBGROUPS:
        if small:
            out.append(
                Note(
                    "subkelompok_kecil",
                    {"analisis": analysis, "subkelompok": col, "tingkat": small, "min_n": min_n},
                )
            )
        return out + failed
    if small:
        out.append(
            Note(
                "subkelompok_kecil_jumlah",
                {"analisis": analysis, "subkelompok": col, "n_tingkat": len(small), "min_n": min_n},
            )
        )
    groups: dict[str, tuple[dict, int]] = {}
    for n in failed:
        f = {k: v for k, v in n.fields.items() if k != "tingkat"}
        key = json.dumps(f, sort_keys=True)
        groups[key] = (f, groups.get(key, (f, 0))[1] + 1)
    for f, k in groups.values():
        out.append(Note("subkelompok_tidak_diestimasi_jumlah", {**f, "n_tingkat": k}))
    return out


def _unique_keys(levels) -> dict:
    """ASCII keys of subgroup levels, made unique (``_2``, ``_3``… on a clash)."""
    out: dict = {}
    seen: dict[str, int] = {}
    for lv in levels:
        k = ascii_key(lv)
        seen[k] = seen.get(k, 0) + 1
        out[lv] = k if seen[k] == 1 else f"{k}_{seen[k]}"
    return out


def subgroup_difference(het: pd.DataFrame, a: str, b: str) -> dict[str, object]:
    """Difference of two subgroup ATTs (e.g. ``relevansi=relevan`` − ``relevansi=tidak_sesuai``).

    The SE is sqrt(se_a² + se_b²): both subgroups share the never-treated controls, whose
    noise enters both estimates with the same sign, so the true SE of the difference is
    smaller — the interval is conservative.
    """
    ra = het.set_index("term").loc[a]
    rb = het.set_index("term").loc[b]
    est = float(ra["estimate"] - rb["estimate"])
    se = float(np.hypot(ra["std_error"], rb["std_error"]))
    z = stats.norm.ppf(0.975)
    p = float(2 * stats.norm.sf(abs(est / se))) if se > 0 else np.nan
    return tidy_row(
        f"{a}-{b}",
        est,
        se,
        est - z * se,
        est + z * se,
        p,
        int(ra["n_obs"] + rb["n_obs"]),
        "selisih ATT (SE konservatif)",
    )


def training_power(
    panel: pd.DataFrame,
    periode: str,
    outcome: str = "capaian",
    *,
    g_col: str = "g",
    target_sd: float = 0.1,
    alpha: float = DEFAULTS.alpha,
    power: float = 0.8,
) -> dict[str, float] | None:
    """Power for the next round of training, from this period's variance and recent pace.

    The next cohort of ``n`` employees is drawn from the ``N`` employees never trained
    (those with the outcome observed now and one period earlier) and compared, one period
    later, with the ``N - n`` left untrained (the 2×2 difference in differences of the
    first post-period effect). Its minimum detectable effect is
    ``M × sd(ΔY) × sqrt(1/n + 1/(N - n))`` (Bloom 1995; :mod:`kinerja_analysis.methods.power`),
    with ``sd(ΔY)`` the standard deviation of the change in ``outcome`` from the
    previous period to ``periode`` among the never-trained. Training more of them also
    shrinks the comparison group, so the MDE is smallest at ``n = N / 2`` and an effect
    smaller than ``M × sd(ΔY) × 2 / sqrt(N)`` cannot be detected at any cohort size.

    The pace "so far" is the **recent** one: the mean size of the first-training cohorts
    of the periods in the year ending with ``periode`` (4 quarters, 12 months, 2
    half-years or 1 year; fewer when the window is shorter). The first cohorts of a
    window carry the backlog of everyone trained in it for the first time and are many
    times the size of today's, so the mean over all cohorts would overstate the pace.
    Only data up to ``periode`` are used.

    Returns
    -------
    dict or None
        ``sd_change, n_control`` (``N``), ``n_per_period`` (recent mean cohort size),
        ``n_periods_recent`` (cohorts averaged), ``n_per_period_all`` (mean over all
        cohorts, for reference), ``mde`` (outcome units; NaN when no one was trained in
        the recent year or the recent pace would leave no comparison group) and
        ``mde_sd`` (in SDs of ``outcome`` over the employee-periods up to ``periode``),
        ``target_sd``, ``n_needed`` (employees to train in one period for an MDE of
        ``target_sd`` SD; ``inf`` when no cohort size out of ``N`` reaches it, so it
        never exceeds ``N / 2``); ``None`` when ``periode`` has no previous period or
        there is no cohort yet.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> rows = []
    >>> for i in range(400):
    ...     g = 2 if i < 200 else (4 if i < 210 else np.nan)
    ...     for t, p in enumerate(["2024Q1", "2024Q2", "2024Q3", "2024Q4"], start=1):
    ...         rows.append({"nip": i, "t": t, "periode": p, "g": g, "y": rng.normal()})
    >>> tp = training_power(pd.DataFrame(rows), "2024Q4", "y")
    >>> tp["n_per_period"], tp["n_periods_recent"], tp["n_control"]
    (70.0, 3, 190)
    >>> tp["n_needed"]  # 0.1 SD: not reachable with 190 never-trained ASN
    inf
    >>> big = training_power(pd.DataFrame(rows), "2024Q4", "y", target_sd=0.8)["n_needed"]
    >>> bool(big <= 190 / 2)
    True
    """
    d = panel[panel["periode"].astype(TEXT_DTYPE) <= periode]
    now = d[d["periode"].astype(TEXT_DTYPE) == periode]
    if now.empty:
        return None
    t_now = int(now["t"].iloc[0])
    lag = shift_by_period(d, [outcome], -1)[outcome]
    never = d[g_col].isna()
    change = (d[outcome] - lag)[never & (d["t"] == t_now)].dropna()
    cohorts = d.drop_duplicates("nip")[g_col]
    sizes = {t: int((cohorts == t).sum()) for t in range(2, t_now + 1)}
    if len(change) < 2 or not sizes or sum(sizes.values()) == 0:
        return None
    per_year = max(12 // parse_period(periode).months, 1)
    recent = [n for t, n in sizes.items() if t > t_now - per_year]
    sd_change = float(change.std())
    n_c = int(len(change))
    n_t = float(np.mean(recent))
    sd_level = float(d[outcome].std())
    if not (sd_change > 0 and sd_level > 0):
        return None
    m = pw.multiplier(alpha, power)
    if 0 < n_t < n_c:
        mde = m * sd_change * float(np.sqrt(1 / n_t + 1 / (n_c - n_t)))
    else:
        mde = float("nan")
    # smallest n with M sd sqrt(1/n + 1/(N - n)) <= effect: n^2 - N n + N/k = 0
    k = (target_sd * sd_level / (m * sd_change)) ** 2
    disc = n_c * n_c - 4 * n_c / k
    need = (n_c - float(np.sqrt(disc))) / 2 if disc >= 0 else float("inf")
    return {
        "sd_change": sd_change,
        "n_control": n_c,
        "n_per_period": n_t,
        "n_periods_recent": len(recent),
        "n_per_period_all": float(np.mean(list(sizes.values()))),
        "mde": mde,
        "mde_sd": mde / sd_level,
        "target_sd": target_sd,
        "n_needed": need,
    }
