"""Stage 2 of the DiD engine: the group-time average treatment effects ATT(g,t).

Each ATT(g,t) is a 2×2 difference in differences of ``Y_t - Y_b`` between cohort ``g``
and its comparison units, estimated by one of the panel estimators of ``DRDID``:

- :func:`drdid_panel` — the locally efficient doubly robust estimator
  (``DRDID::drdid_panel``), which is what R ``did`` calls for panel data;
- :func:`ipw_panel` — normalised inverse probability weighting (``std_ipw_did_panel``);
- :func:`reg_panel` — outcome regression (``reg_did_panel``).

Each returns the estimate and its influence function (one value per unit of the cell);
:mod:`.influence` turns those into standard errors and aggregations.

The propensity score rule (stated, and noted on every cell it touches)
---------------------------------------------------------------------
The logit of the doubly robust and IPW estimators is fitted along R ``glm``'s IRLS path.
It is not used, and the cell is estimated by outcome regression (:func:`reg_panel`,
which needs no propensity score) instead, when

- the cohort has fewer units than the number of covariates + 5 (R ``did``'s "small
  group" size): the propensity model cannot be estimated reliably (flag
  ``ps_small_cohort``); or
- the logit shows separation: IRLS did not converge in 25 iterations, or a fitted
  probability is numerically 0 or 1 (R ``glm``'s warning "fitted probabilities
  numerically 0 or 1 occurred"). The maximum likelihood estimate then does not exist
  and the estimate and its standard error would depend on where the iterations stop
  (flag ``ps_separation``).

Within a cell, a covariate that is constant or collinear among the comparison units is
dropped for that cell (flag ``covariates_dropped_in_cell``). A cell without comparison
units is left missing (flag ``no_controls``). The flags are carried by
:attr:`kinerja_analysis.methods.did.DidResult.att_gt` (column ``flag``) into every
aggregation that uses the cell.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kinerja_analysis.methods.did.preprocess import DidPanel

__all__ = [
    "FLAGS",
    "logit_glm",
    "drdid_panel",
    "ipw_panel",
    "reg_panel",
    "GroupTimeCells",
    "group_time_cells",
]

#: Flags a cell can carry, with their meaning (English; the report words them itself).
FLAGS: dict[str, str] = {
    "ps_small_cohort": "cohort smaller than covariates + 5: outcome regression used "
    "instead of the propensity score",
    "ps_separation": "propensity score separation (no overlap): outcome regression used",
    "covariates_dropped_in_cell": "a covariate constant or collinear among the comparison "
    "units was dropped in this cell",
    "no_controls": "no comparison units: ATT(g,t) not estimable",
}

_EPS = np.finfo(float).eps
_SEP_EPS = 10 * _EPS  # glm.fit: any(mu > 1 - eps) || any(mu < eps), eps = 10 * DBL_EPSILON


def _linkinv(eta: np.ndarray) -> np.ndarray:
    """R's C ``logit_linkinv``: thresholds at |eta| > 30 (DBL_EPSILON, 1/DBL_EPSILON)."""
    tmp = np.where(eta < -30.0, _EPS, np.where(eta > 30.0, 1.0 / _EPS, np.exp(eta)))
    return tmp / (1.0 + tmp)


def logit_glm(d: np.ndarray, x: np.ndarray, maxit: int = 25, epsilon: float = 1e-8):
    """Logit fitted along R ``glm.fit``'s IRLS path.

    Returns ``(p, n * inverse information, ok)`` where ``ok`` is False when IRLS did not
    converge in ``maxit`` iterations or a fitted probability is numerically 0 or 1
    (separation). Same start (``mustart = (y + 0.5) / 2``), link thresholds and stopping
    rule (``|dev - devold| / (|dev| + 0.1) < epsilon``) as R. The information matrix is
    evaluated at the final fitted probabilities, which reproduces the standard errors of
    R ``did`` 2.5.1 / ``DRDID`` 1.3.0 to 1e-10.

    >>> x = np.column_stack([np.ones(8), [0, 1, 2, 3, 4, 5, 6, 7]])
    >>> d = np.array([0, 0, 1, 0, 1, 0, 1, 1.0])
    >>> p, v, ok = logit_glm(d, x)
    >>> p.shape, v.shape, ok, bool(p[-1] > p[0])
    ((8,), (2, 2), True, True)
    """
    n = d.shape[0]
    if x.shape[1] == 1:
        # intercept only: the MLE is the sample share (R's IRLS stops within ~1e-10 of it)
        p = float(np.mean(d))
        return np.full(n, p), np.array([[1.0 / (p * (1.0 - p))]]), True
    mu = (d + 0.5) / 2.0
    eta = np.log(mu / (1.0 - mu))

    def deviance(m: np.ndarray) -> float:
        m = np.clip(m, 1e-300, 1 - 1e-16)
        return float(-2.0 * np.sum(np.where(d > 0, np.log(m), np.log1p(-m))))

    devold = deviance(mu)
    converged = False
    for _ in range(maxit):
        wvar = mu * (1.0 - mu)
        z = eta + (d - mu) / wvar
        xw = x * wvar[:, None]
        beta = np.linalg.solve(np.dot(x.T, xw), np.dot(xw.T, z))
        eta = np.dot(x, beta)
        mu = _linkinv(eta)
        dev = deviance(mu)
        if abs(dev - devold) / (abs(dev) + 0.1) < epsilon:
            converged = True
            break
        devold = dev
    separated = bool(np.any(mu > 1.0 - _SEP_EPS) or np.any(mu < _SEP_EPS))
    info = np.dot(x.T, x * (mu * (1.0 - mu))[:, None])
    return mu, np.linalg.inv(info) * n, converged and not separated


def _ols_control(dy: np.ndarray, d: np.ndarray, x: np.ndarray):
    """OR on controls; returns fitted deltaY for everyone and its asymptotic linear rep."""
    n = d.shape[0]
    c = 1.0 - d
    xc = x * c[:, None]
    xpx = np.dot(xc.T, x)
    coef = np.linalg.solve(xpx, np.dot(xc.T, dy))
    out = np.dot(x, coef)
    asy = np.dot(xc * (dy - out)[:, None], np.linalg.inv(xpx / n))
    return out, asy


def drdid_panel(
    dy: np.ndarray, d: np.ndarray, x: np.ndarray, ps=None, trim_level: float = 0.995
) -> tuple[float, np.ndarray]:
    """``DRDID::drdid_panel`` with unit weights: (ATT, influence function).

    ``ps`` is ``(p, n * inverse information)`` from :func:`logit_glm` (fitted here when
    not given). Controls with a propensity score of ``trim_level`` or more are trimmed,
    as in R.

    >>> rng = np.random.default_rng(0)
    >>> x = np.column_stack([np.ones(200), rng.normal(size=200)])
    >>> d = (rng.uniform(size=200) < 0.4).astype(float)
    >>> dy = 0.5 * x[:, 1] + 2.0 * d + rng.normal(0, 0.1, 200)
    >>> att, inf = drdid_panel(dy, d, x)
    >>> round(att, 1), inf.shape
    (2.0, (200,))
    """
    p_hat, hess = ps if ps is not None else logit_glm(d, x)[:2]
    p_hat = np.minimum(p_hat, 1 - 1e-6)
    trim = np.where(d > 0, p_hat < 1.01, p_hat < trim_level).astype(float)
    out, asy_ols = _ols_control(dy, d, x)
    w_t = trim * d
    w_c = trim * p_hat * (1.0 - d) / (1.0 - p_hat)
    resid = dy - out
    eta_t = np.mean(w_t * resid) / np.mean(w_t)
    eta_c = np.mean(w_c * resid) / np.mean(w_c)
    asy_ps = np.dot((d - p_hat)[:, None] * x, hess)
    inf_t = w_t * resid - w_t * eta_t - np.dot(asy_ols, np.mean(w_t[:, None] * x, axis=0))
    inf_t /= np.mean(w_t)
    m2 = np.mean((w_c * (resid - eta_c))[:, None] * x, axis=0)
    m3 = np.mean(w_c[:, None] * x, axis=0)
    inf_c = (w_c * resid - w_c * eta_c + np.dot(asy_ps, m2) - np.dot(asy_ols, m3)) / np.mean(w_c)
    return float(eta_t - eta_c), inf_t - inf_c


def ipw_panel(
    dy: np.ndarray, d: np.ndarray, x: np.ndarray, ps=None, trim_level: float = 0.995
) -> tuple[float, np.ndarray]:
    """``DRDID::std_ipw_did_panel`` (normalised IPW) with unit weights.

    >>> d = np.array([1.0, 1.0, 0.0, 0.0, 0.0, 0.0])
    >>> att, inf = ipw_panel(np.array([3.0, 2.0, 1.0, 0.0, 1.0, 0.5]), d, np.ones((6, 1)))
    >>> round(att, 4), inf.shape
    (1.875, (6,))
    """
    p_hat, hess = ps if ps is not None else logit_glm(d, x)[:2]
    p_hat = np.minimum(p_hat, 1 - 1e-6)
    trim = np.where(d > 0, p_hat < 1.01, p_hat < trim_level).astype(float)
    w_t = trim * d
    w_c = trim * p_hat * (1.0 - d) / (1.0 - p_hat)
    eta_t = np.mean(w_t * dy) / np.mean(w_t)
    eta_c = np.mean(w_c * dy) / np.mean(w_c)
    asy_ps = np.dot((d - p_hat)[:, None] * x, hess)
    inf_t = (w_t * dy - w_t * eta_t) / np.mean(w_t)
    m2 = np.mean((w_c * (dy - eta_c))[:, None] * x, axis=0)
    inf_c = (w_c * dy - w_c * eta_c + np.dot(asy_ps, m2)) / np.mean(w_c)
    return float(eta_t - eta_c), inf_t - inf_c


def reg_panel(dy: np.ndarray, d: np.ndarray, x: np.ndarray, ps=None) -> tuple[float, np.ndarray]:
    """``DRDID::reg_did_panel`` (outcome regression) with unit weights.

    >>> z = np.array([0.0, 1.0, 0.0, 1.0, 2.0])
    >>> att, inf = reg_panel(np.array([5.0, 6.0, 1.0, 2.0, 3.0]), np.array([1.0, 1.0, 0, 0, 0]), np.column_stack([np.ones(5), z]))
    >>> round(att, 4)
    4.0
    """
    out, asy_ols = _ols_control(dy, d, x)
    w_t = d
    eta_t = np.mean(w_t * dy) / np.mean(w_t)
    eta_c = np.mean(w_t * out) / np.mean(w_t)
    inf_t = (w_t * dy - w_t * eta_t) / np.mean(w_t)
    m1 = np.mean(w_t[:, None] * x, axis=0)
    inf_c = (w_t * out - w_t * eta_c + np.dot(asy_ols, m1)) / np.mean(w_t)
    return float(eta_t - eta_c), inf_t - inf_c


_ESTIMATORS = {"dr": drdid_panel, "ipw": ipw_panel, "reg": reg_panel}


def _cell_columns(x: np.ndarray, ctrl: np.ndarray) -> np.ndarray | None:
    """Columns of ``x`` (constant first) to keep in a cell, or ``None`` if all are fine.

    A covariate is dropped when, among the comparison units, it is constant or a linear
    combination of the constant and the covariates before it (sequential residual
    variance below 1e-10 of its variance).
    """
    xc = x[ctrl]
    gram = np.dot(xc.T, xc)
    n = xc.shape[0]
    scale = np.sqrt(np.maximum(np.diag(gram), 1e-300))
    g = gram / np.outer(scale, scale)
    w = np.linalg.eigvalsh(g)
    if w[0] > 1e-9 * w[-1]:
        return None
    mean = gram[0] / n
    var = np.diag(gram) / n - mean**2
    keep = [0]
    for j in range(1, x.shape[1]):
        if var[j] <= 0:
            continue
        cand = [*keep, j]
        sub = gram[np.ix_(cand, cand)]
        # residual variance of column j given the kept ones: Schur complement
        s = sub[-1, -1] - sub[-1, :-1] @ np.linalg.lstsq(sub[:-1, :-1], sub[:-1, -1], rcond=None)[0]
        if s / n > 1e-10 * var[j]:
            keep.append(j)
    return np.asarray(keep)


@dataclass
class GroupTimeCells:
    """The ATT(g,t) of a panel (stage 2 output).

    ``group``, ``time``: the cell's cohort and period (integer axis); ``att``;
    ``inffunc``: unit × cell influence functions scaled as R does (``n / n_cell``), so
    that ``sqrt(sum(IF^2)) / n`` is the standard error; ``n_obs``: units in the 2×2;
    ``n_treated``: the cohort's units; ``flags``: per cell, the keys of :data:`FLAGS`
    that apply (comma-separated, ``""`` if none).
    """

    group: np.ndarray
    time: np.ndarray
    att: np.ndarray
    inffunc: np.ndarray
    n_obs: np.ndarray
    n_treated: np.ndarray
    flags: list[str]


def _estimate_cell(dy, d, xx, method: str, min_ps: int, n_treated: int, flags, ps_cache):
    """One 2×2 cell with the propensity score rule of the module docstring.

    ``ps_cache`` holds the logit of this cell's sample (cohort + comparison units with the
    same covariate values): with time-invariant covariates every cell of a cohort has
    the same propensity score, which R ``did`` re-fits per cell with identical results.
    """
    if xx.shape[1] > 1:
        cols = _cell_columns(xx, d == 0)
        if cols is not None:
            xx = xx[:, cols]
            flags.append("covariates_dropped_in_cell")
    if method == "reg" or xx.shape[1] == 1:
        return _ESTIMATORS[method](dy, d, xx)
    if n_treated < min_ps:
        flags.append("ps_small_cohort")
        return reg_panel(dy, d, xx)
    key = xx.shape[1]
    if key not in ps_cache:
        try:
            ps_cache[key] = logit_glm(d, xx)
        except np.linalg.LinAlgError:
            ps_cache[key] = (None, None, False)
    p_hat, hess, ok = ps_cache[key]
    if not ok:
        flags.append("ps_separation")
        return reg_panel(dy, d, xx)
    return _ESTIMATORS[method](dy, d, xx, ps=(p_hat, hess))


def _unconditional(dy_t: np.ndarray, dy_c: np.ndarray, n: int):
    """The 2×2 DiD without covariates: ``(att, psi_treated, psi_controls)``, scaled as R.

    With an intercept only, the DR, IPW and outcome-regression estimators of ``DRDID``
    reduce to the difference of mean changes, and their influence functions to
    ``(n_cell / n_1)(dY - mean_1)`` for the cohort and ``-(n_cell / n_0)(dY - mean_0)``
    for the comparison units (the propensity-score and regression terms cancel); times
    R's ``n / n_cell`` this is ``(n / n_1)(...)`` and ``-(n / n_0)(...)``.
    """
    m1, m0 = float(dy_t.mean()), float(dy_c.mean())
    return m1 - m0, (n / dy_t.size) * (dy_t - m1), -(n / dy_c.size) * (dy_c - m0)


def group_time_cells(
    panel: DidPanel,
    *,
    control_group: str,
    method: str,
    anticipation: int,
    base_period: str,
) -> GroupTimeCells:
    """Stage 2: every ATT(g,t) of ``panel`` with its influence function.

    For cohort ``g`` and period ``t`` with base period ``b`` (``t - 1`` before treatment
    under a varying base, ``g - anticipation - 1`` otherwise) and comparison units ``C``
    (never treated, or not yet treated by ``max(t, b) + anticipation``), ATT(g,t) is the
    2×2 DiD of ``Y_t - Y_b`` between ``g`` and ``C`` (R ``did::compute.att_gt``).
    Without covariates the closed form of :func:`_unconditional` is used (identical to
    the estimators' general path; the controls' changes are shared between cohorts).
    """
    Y, X, g_unit, tlist = panel.Y, panel.X, panel.g_unit, panel.tlist
    n, nt, k = Y.shape[0], len(tlist), X.shape[2]
    glist = np.unique(g_unit[np.isfinite(g_unit)])
    glist = glist[glist > tlist[0] + anticipation]
    min_ps = k + 5
    tfac = 0 if base_period == "universal" else 1
    never = ~np.isfinite(g_unit)
    time_invariant = k == 0 or not np.any(np.nanmax(X, axis=0) - np.nanmin(X, axis=0) > 1e-12)
    # unit x cell influence functions, column-major so each cell's column is contiguous
    inffunc = np.zeros((n, glist.size * nt), order="F")
    ones = np.ones((n, 1))
    dy_cache: dict[tuple, np.ndarray] = {}
    ctrl_cache: dict[object, np.ndarray] = {}
    cg, ct, att, nobs, ntr, flags = [], [], [], [], [], []
    for g in glist:
        is_g = g_unit == g
        t_idx = np.flatnonzero(is_g)
        n_g = int(t_idx.size)
        ps_caches: dict[tuple, dict] = {}
        pre_ix = np.flatnonzero(tlist + anticipation < g)
        base_post = int(pre_ix[-1]) if pre_ix.size else None
        for t in range(nt - tfac):
            cur = t + tfac
            pret = t if base_period == "varying" else base_post
            if g <= tlist[cur]:
                pret = base_post
            if pret is None:
                break
            j = len(att)
            cg.append(g)
            ct.append(tlist[cur])
            ntr.append(n_g)
            cell_flags: list[str] = []
            if base_period == "universal" and pret == cur:
                att.append(0.0)
                nobs.append(n_g)
                flags.append("")
                continue
            if control_group == "never_treated":
                ckey: object = "never"
            else:
                ckey = float(tlist[max(cur, pret)] + anticipation)
            if ckey not in ctrl_cache:
                ctrl = never if ckey == "never" else never | (g_unit > ckey)
                ctrl_cache[ckey] = np.flatnonzero(ctrl)
            c_idx = ctrl_cache[ckey]
            c_idx = c_idx[g_unit[c_idx] != g]
            nobs.append(int(n_g + c_idx.size))
            if c_idx.size == 0:
                att.append(np.nan)
                flags.append("no_controls")
                continue
            if k == 0 and (method == "reg" or n_g / (n_g + c_idx.size) < 0.995):
                dkey = (ckey, g if control_group != "never_treated" else None, cur, pret)
                if dkey not in dy_cache:
                    dy_cache[dkey] = Y[c_idx, cur] - Y[c_idx, pret]
                a, inf_t, inf_c = _unconditional(Y[t_idx, cur] - Y[t_idx, pret], dy_cache[dkey], n)
                inffunc[t_idx, j] = inf_t
                inffunc[c_idx, j] = inf_c
                att.append(a)
                flags.append("")
                continue
            idx = np.sort(np.concatenate([t_idx, c_idx]))
            d = is_g[idx].astype(float)
            dy = Y[idx, cur] - Y[idx, pret]
            xper = 0 if time_invariant else min(cur, pret)
            xx = np.column_stack([ones[: idx.size], X[xper][idx]]) if k else ones[: idx.size]
            cache = ps_caches.setdefault((ckey, xper), {})
            a, inf_c = _estimate_cell(dy, d, xx, method, min_ps, n_g, cell_flags, cache)
            inffunc[idx, j] = inf_c * (n / idx.size)
            att.append(a)
            flags.append(",".join(cell_flags))
    m = len(att)
    return GroupTimeCells(
        group=np.asarray(cg, dtype=float),
        time=np.asarray(ct, dtype=float),
        att=np.asarray(att, dtype=float),
        inffunc=inffunc[:, :m],
        n_obs=np.asarray(nobs, dtype=int),
        n_treated=np.asarray(ntr, dtype=int),
        flags=flags,
    )
