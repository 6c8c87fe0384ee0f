"""Stage 3 of the DiD engine: aggregating ATT(g,t) as R ``did::aggte`` does.

``simple`` (post-treatment cells weighted by cohort size), ``group`` (per cohort;
overall = cohort-size-weighted mean), ``dynamic`` (event study; overall = mean over
e >= 0) and ``calendar`` (per period; overall = mean over periods). Weights built from
cohort shares carry the influence of their estimation (:mod:`.influence`); uniform bands
come from :mod:`.bootstrap`. Cells with a missing ATT(g,t) are left out (R's
``na.rm = TRUE``) and every output row lists the flags of the cells it uses
(:data:`kinerja_analysis.methods.did.attgt.FLAGS`), so a problem met in one cell is
visible in every aggregate built from it.

Each function takes :class:`Cells` and returns :class:`Aggregate` rows; an aggregation
with nothing left to aggregate raises :class:`~kinerja_analysis.core.errors.NotEstimable`
with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import special

from kinerja_analysis.core.errors import NotEstimable
from kinerja_analysis.methods.did.bootstrap import uniform_critical_value
from kinerja_analysis.methods.did.influence import (
    combined_influence,
    share_influence,
    standard_errors,
)
from kinerja_analysis.methods.did.preprocess import TimeAxis

__all__ = ["Cells", "Aggregate", "aggregate", "event_study"]


@dataclass(frozen=True)
class Cells:
    """What aggregation needs from stage 2 (arrays on the integer time axis)."""

    att: np.ndarray
    inffunc: np.ndarray
    group: np.ndarray
    time: np.ndarray
    flags: tuple[str, ...]
    g_unit: np.ndarray
    tlist: np.ndarray
    axis: TimeAxis

    @property
    def ok(self) -> np.ndarray:
        return np.isfinite(self.att)

    def shares(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Cohorts, their shares of units, and each cell's cohort share."""
        glist = np.unique(self.group)
        pgg = np.array([np.mean(self.g_unit == g) for g in glist])
        return glist, pgg, pgg[np.searchsorted(glist, self.group)]

    def flag_keys(self) -> list[str]:
        """The distinct flags of the cells (keys of :data:`~.attgt.FLAGS`), sorted."""
        return sorted({f for fl in self.flags for f in fl.split(",") if f})

    def why_empty(self) -> str:
        """Why no ATT(g,t) is available, from the cells' flags."""
        keys = self.flag_keys()
        return "no ATT(g,t) could be estimated" + (
            f" (cells flagged: {', '.join(keys)})" if keys else ""
        )


@dataclass
class Aggregate:
    """Aggregated rows: the first is the overall parameter (``term = "ATT"``)."""

    terms: list[str]
    est: np.ndarray
    inf: np.ndarray  # n x rows influence functions
    n_treated: list[int]
    flags: list[str]
    context: str | None = None
    context_values: list = field(default_factory=list)
    band: bool = False
    crit: float | None = None


def _flags_of(cells: Cells, which: np.ndarray) -> str:
    keys = sorted({f for j in which for f in cells.flags[int(j)].split(",") if f})
    return ",".join(keys)


def _n_treated(cells: Cells, which: np.ndarray) -> int:
    gs = np.unique(cells.group[which])
    return int(np.sum(np.isin(cells.g_unit, gs)))


def _simple(cells: Cells, max_e: float) -> Aggregate:
    ok, grp, tim, att = cells.ok, cells.group, cells.time, np.nan_to_num(cells.att)
    _, _, pg = cells.shares()
    keep = np.flatnonzero(ok & (grp <= tim) & (tim <= grp + max_e))
    if keep.size == 0:
        raise NotEstimable(
            f"no post-treatment ATT(g,t) to aggregate: {cells.why_empty()}",
            reason="no_post_att",
            facts={"flags": cells.flag_keys()},
        )
    w = pg[keep] / pg[keep].sum()
    f = combined_influence(cells.inffunc, keep, w, cells.g_unit, pg, grp, att)
    return Aggregate(
        ["ATT"], np.array([att[keep] @ w]), f[:, None], [_n_treated(cells, keep)],
        [_flags_of(cells, keep)],
    )  # fmt: skip


def _group(cells: Cells, max_e: float, alpha, n_boot, seed, weights) -> Aggregate:
    ok, grp, tim, att = cells.ok, cells.group, cells.time, np.nan_to_num(cells.att)
    glist, pgg, pg = cells.shares()
    n = cells.g_unit.shape[0]
    ests, ifs, ntr, fl = [], [], [], []
    for g in glist:
        wg = np.flatnonzero(ok & (grp == g) & (g <= tim) & (tim <= grp + max_e))
        if wg.size == 0:
            ests.append(np.nan)
            ifs.append(np.zeros(n))
            ntr.append(int(np.sum(cells.g_unit == g)))
            fl.append(_flags_of(cells, np.flatnonzero(grp == g)))
            continue
        w = pg[wg] / pg[wg].sum()
        ests.append(float(att[wg] @ w))
        ifs.append(combined_influence(cells.inffunc, wg, w))
        ntr.append(int(np.sum(cells.g_unit == g)))
        fl.append(_flags_of(cells, wg))
    ests_a, ifs_a = np.array(ests), np.column_stack(ifs)
    has = np.isfinite(ests_a)
    if not has.any():
        raise NotEstimable(
            f"no cohort has a post-treatment ATT(g,t): {cells.why_empty()}",
            reason="no_post_att",
            facts={"flags": cells.flag_keys()},
        )
    wo = pgg[has] / pgg[has].sum()
    idx = np.flatnonzero(has)
    f = ifs_a[:, has] @ wo + share_influence(cells.g_unit, idx, pgg, glist, np.nan_to_num(ests_a))
    crit = uniform_critical_value(ifs_a[:, has], alpha, n_boot, seed, weights)
    labels = [cells.axis.label(g) for g in glist]
    return Aggregate(
        ["ATT", *[f"g={lab}" for lab in labels]],
        np.concatenate([[ests_a[has] @ wo], ests_a]),
        np.column_stack([f, ifs_a]),
        [int(np.sum(np.array(ntr)[has])), *ntr],
        [",".join(sorted({k for s in fl for k in s.split(",") if k})), *fl],
        "group",
        [None, *labels],
        True,
        crit,
    )


def _event_times(cells: Cells, min_e, max_e, balance_e) -> tuple[np.ndarray, np.ndarray]:
    ok, grp, tim = cells.ok, cells.group, cells.time
    if not ok.any():
        raise NotEstimable(cells.why_empty(), reason="no_att", facts={"flags": cells.flag_keys()})
    ev = tim - grp
    include = ok.copy()
    eseq = np.unique(ev[include])
    if balance_e is not None:
        tmax, tmin = np.max(tim), float(cells.tlist[0])
        include = ok & (tmax - grp >= balance_e)
        eseq = np.unique(ev[include])
        eseq = eseq[(eseq <= balance_e) & (eseq >= balance_e - tmax + tmin)]
    eseq = eseq[(eseq >= min_e) & (eseq <= max_e)]
    if eseq.size == 0:
        raise NotEstimable(
            "no event times left after the window "
            f"(min_e={min_e}, max_e={max_e}, balance_e={balance_e})",
            reason="no_event_times",
        )
    return eseq, include


def event_study(
    cells: Cells,
    eseq: np.ndarray | None = None,
    include: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int], list[str]]:
    """Event-time estimates: ``(event_times, estimates, influence n × E, n_treated, flags)``.

    Each ``ATT(e)`` averages the cells with ``t - g = e`` by cohort size, with the
    influence of the estimated shares. Default: every event time with a usable cell.
    """
    grp, tim, att = cells.group, cells.time, np.nan_to_num(cells.att)
    _, _, pg = cells.shares()
    ev = tim - grp
    if include is None:
        include = cells.ok & np.isfinite(standard_errors(cells.inffunc))
    if eseq is None:
        eseq = np.unique(ev[include])
    ests, ifs, ntr, fl = [], [], [], []
    for e in eseq:
        we = np.flatnonzero((ev == e) & include)
        w = pg[we] / pg[we].sum()
        ests.append(float(att[we] @ w))
        ifs.append(combined_influence(cells.inffunc, we, w, cells.g_unit, pg, grp, att))
        ntr.append(_n_treated(cells, we))
        fl.append(_flags_of(cells, we))
    n = cells.g_unit.shape[0]
    inf = np.column_stack(ifs) if ifs else np.zeros((n, 0))
    return np.asarray(eseq, dtype=float), np.array(ests), inf, ntr, fl


def _dynamic(cells: Cells, min_e, max_e, balance_e, alpha, n_boot, seed, weights) -> Aggregate:
    eseq, include = _event_times(cells, min_e, max_e, balance_e)
    eseq, ests_a, ifs_a, ntr, fl = event_study(cells, eseq, include)
    crit = uniform_critical_value(ifs_a, alpha, n_boot, seed, weights)
    epos = eseq >= 0
    ev = cells.time - cells.group
    if epos.any():
        overall = float(np.mean(ests_a[epos]))
        f = ifs_a[:, epos].mean(axis=1)
        post = np.flatnonzero((ev >= 0) & include & np.isin(ev, eseq))
        ntr_o, fl_o = _n_treated(cells, post), _flags_of(cells, post)
    else:
        overall, f, ntr_o, fl_o = np.nan, np.zeros(cells.g_unit.shape[0]), 0, ""
    return Aggregate(
        ["ATT", *[f"e={int(e)}" for e in eseq]],
        np.concatenate([[overall], ests_a]),
        np.column_stack([f, ifs_a]),
        [ntr_o, *ntr],
        [fl_o, *fl],
        "event_time",
        [None, *[int(e) for e in eseq]],
        True,
        crit,
    )


def _calendar(cells: Cells, alpha, n_boot, seed, weights) -> Aggregate:
    ok, grp, tim, att = cells.ok, cells.group, cells.time, np.nan_to_num(cells.att)
    _, _, pg = cells.shares()
    tl = np.unique(tim)
    tl = tl[tl >= np.min(grp)]
    ests, ifs, ntr, fl, labs = [], [], [], [], []
    for t1 in tl:
        wt = np.flatnonzero(ok & (tim == t1) & (grp <= tim))
        if wt.size == 0:
            continue
        w = pg[wt] / pg[wt].sum()
        ests.append(float(att[wt] @ w))
        ifs.append(combined_influence(cells.inffunc, wt, w, cells.g_unit, pg, grp, att))
        ntr.append(_n_treated(cells, wt))
        fl.append(_flags_of(cells, wt))
        labs.append(cells.axis.label(t1))
    if not ests:
        raise NotEstimable(
            f"no post-treatment ATT(g,t) to aggregate: {cells.why_empty()}",
            reason="no_post_att",
            facts={"flags": cells.flag_keys()},
        )
    ests_a, ifs_a = np.array(ests), np.column_stack(ifs)
    crit = uniform_critical_value(ifs_a, alpha, n_boot, seed, weights)
    post = np.flatnonzero(ok & (grp <= tim))
    return Aggregate(
        ["ATT", *[f"t={lab}" for lab in labs]],
        np.concatenate([[np.mean(ests_a)], ests_a]),
        np.column_stack([ifs_a.mean(axis=1), ifs_a]),
        [_n_treated(cells, post), *ntr],
        [_flags_of(cells, post), *fl],
        "time",
        [None, *labs],
        True,
        crit,
    )


def aggregate(
    cells: Cells,
    kind: str,
    *,
    min_e: float,
    max_e: float,
    balance_e: int | None,
    alpha: float,
    n_boot: int,
    seed: int,
    weights: str,
) -> Aggregate:
    """One of R ``aggte``'s aggregations of ``cells`` (see the module docstring)."""
    if kind == "simple":
        return _simple(cells, max_e)
    if kind == "group":
        return _group(cells, max_e, alpha, n_boot, seed, weights)
    if kind == "dynamic":
        return _dynamic(cells, min_e, max_e, balance_e, alpha, n_boot, seed, weights)
    return _calendar(cells, alpha, n_boot, seed, weights)


def normal_columns(est: np.ndarray, se: np.ndarray, alpha: float) -> dict[str, np.ndarray]:
    """Estimate, SE, pointwise normal CI and two-sided p-value columns.

    >>> {k: np.round(v, 3).tolist() for k, v in normal_columns(np.array([2.0]), np.array([1.0]), 0.05).items()}
    {'estimate': [2.0], 'std_error': [1.0], 'ci_low': [0.04], 'ci_high': [3.96], 'p_value': [0.046]}
    """
    z = float(special.ndtri(1 - alpha / 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        p = 2 * special.ndtr(-np.abs(est / se))
    return {
        "estimate": est,
        "std_error": se,
        "ci_low": est - z * se,
        "ci_high": est + z * se,
        "p_value": p,
    }


def to_frame(agg: Aggregate, method: str, n: int, alpha: float) -> pd.DataFrame:
    """The tidy frame of an :class:`Aggregate` (see ``DidResult.aggregate``)."""
    se = standard_errors(agg.inf)
    out = pd.DataFrame({"term": agg.terms, **normal_columns(agg.est, se, alpha)})
    out["n_obs"] = n
    out["method"] = method
    out["n_treated"] = agg.n_treated
    if agg.band:
        lo = agg.est - agg.crit * se
        hi = agg.est + agg.crit * se
        lo[0] = hi[0] = np.nan
        out["cband_low"] = lo
        out["cband_high"] = hi
        out["crit_val"] = agg.crit
    if agg.context is not None:
        vals = agg.context_values
        if all(v is None or isinstance(v, (int, np.integer)) for v in vals):
            out[agg.context] = pd.array(vals, dtype="Int64")
        else:
            out[agg.context] = pd.array(vals, dtype=object)
    out["flags"] = agg.flags
    return out
