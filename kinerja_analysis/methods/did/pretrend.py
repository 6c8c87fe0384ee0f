"""The pre-trend test: are the pre-treatment estimates jointly zero?

``W = n * a' V^{-1} a`` with ``V = psi' psi / n`` over the pre-treatment estimates ``a``
and their influence functions ``psi``; ``W ~ chi2(df)``, ``df`` = number of estimates.

- ``kind="cells"``: every pre-treatment ATT(g,t) with a positive standard error, as R
  ``did`` prints it ("P-value for pre-test of parallel trends assumption").
- ``kind="dynamic"``: the event-study estimates for ``e < 0`` (cohorts pooled by event
  time, with the influence of the estimated shares). It has fewer degrees of freedom and
  pools small cohorts, so its size stays near the nominal level where the cell-level test
  over-rejects (many cells, cohorts of a few dozen units: their covariance is then poorly
  estimated; see ``bench/sim_coverage.py``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from kinerja_analysis.methods.did.aggregation import Cells, event_study
from kinerja_analysis.methods.did.influence import standard_errors

__all__ = ["pretrend_inputs", "wald_test", "pretrend_frame"]


def pretrend_inputs(cells: Cells, kind: str) -> tuple[np.ndarray, np.ndarray, str]:
    """Pre-treatment estimates, their influence functions and, if none, why not."""
    pre_cell = cells.group > cells.time
    if kind == "dynamic":
        ev = cells.time - cells.group
        include = cells.ok & np.isfinite(standard_errors(cells.inffunc))
        eseq = np.unique(ev[include & (ev < 0)])
        if eseq.size == 0:
            return np.zeros(0), np.zeros((cells.g_unit.shape[0], 0)), _why(cells, pre_cell)
        _, est, inf, _, _ = event_study(cells, eseq, include)
        return est, inf, ""
    se = standard_errors(cells.inffunc)
    keep = np.flatnonzero(pre_cell & np.isfinite(se) & cells.ok)
    if keep.size == 0:
        return np.zeros(0), np.zeros((cells.g_unit.shape[0], 0)), _why(cells, pre_cell)
    return cells.att[keep], cells.inffunc[:, keep], ""


def _why(cells: Cells, pre_cell: np.ndarray) -> str:
    if not pre_cell.any():
        return "no pre-treatment periods to test"
    return "pre-treatment ATT(g,t) not estimable: " + cells.why_empty().replace(
        "no ATT(g,t) could be estimated", "no estimate"
    )


def wald_test(est: np.ndarray, inf: np.ndarray) -> tuple[float, float, str]:
    """``(statistic, p_value, note)``; NaN with the reason when the test cannot be made.

    >>> stat, p, note = wald_test(np.array([0.0, 0.0]), np.random.default_rng(0).normal(size=(100, 2)))
    >>> round(stat, 6), round(p, 6), note
    (0.0, 1.0, '')
    """
    if est.size == 0:
        return np.nan, np.nan, "no pre-treatment periods to test"
    n = inf.shape[0]
    v = inf.T @ inf / n
    if not np.all(np.isfinite(v)) or not np.all(np.isfinite(est)):
        return np.nan, np.nan, "missing pre-treatment estimates"
    if 1.0 / np.linalg.cond(v, 1) <= np.finfo(float).eps:
        return np.nan, np.nan, "singular covariance of pre-treatment estimates"
    stat = float(n * est @ np.linalg.solve(v, est))
    return stat, float(special.chdtrc(est.size, stat)), ""


def pretrend_frame(cells: Cells, kind: str, n_obs: int, method: str) -> pd.DataFrame:
    """One row: ``term, statistic, df, p_value, n_obs, method, note``."""
    est, inf, why = pretrend_inputs(cells, kind)
    stat, p, note = wald_test(est, inf)
    if why:
        note = why
    term = "pretrend_wald_event_time" if kind == "dynamic" else "pretrend_wald_cells"
    return pd.DataFrame(
        {
            "term": [term],
            "statistic": [stat],
            "df": [int(est.size)],
            "p_value": [p],
            "n_obs": [n_obs],
            "method": [method],
            "note": [note],
        }
    )
