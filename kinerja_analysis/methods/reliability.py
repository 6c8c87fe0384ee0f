"""Reliability of 360-degree ratings and of rating scales.

Pure functions that take long or wide DataFrames and return tidy DataFrames:

1. :func:`icc` — intraclass correlations. Complete designs (every target rated once by
   every rater) get the six Shrout & Fleiss (1979) forms from the two-way ANOVA, with
   F tests and confidence intervals as in R ``psych::ICC`` / pingouin. Incomplete,
   unbalanced designs (360-degree ratings: different raters and different numbers of
   ratings per ratee) get ICCs from variance components of the crossed random-effects
   model ``y = mu + target + rater + error``, estimated by REML on sparse matrices or by
   Henderson's method III (method of moments).
2. :func:`cronbach_alpha` and :func:`alpha_if_deleted` — internal consistency of a scale,
   with the Feldt (1987) confidence interval.
3. :func:`krippendorff_alpha` — Krippendorff's alpha from the coincidence matrix
   (nominal, ordinal, interval, ratio), any number of coders per unit, optional bootstrap
   confidence interval over units.
4. :func:`rating_reliability` — all of the above applied to the ``perilaku`` table, one
   block of rows per periode x dimensi, plus Cronbach's alpha of the seven BerAKHLAK
   dimensions per period.

All functions are pure: inputs are never modified.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import optimize, sparse, stats
from scipy.sparse import csgraph
from scipy.sparse import linalg as spla

from kinerja_analysis.core.checks import require_columns
from kinerja_analysis.core.errors import NotEstimable
from kinerja_analysis.core.results import (
    TIDY_COLUMNS,
    Result,
    ascii_key,
    check_tidy,
    tidy_frame,
)

#: The six Shrout & Fleiss (1979) forms, in output order.
ICC_TERMS: tuple[str, ...] = ("ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k")

_ICC_COLUMNS: list[str] = [
    *TIDY_COLUMNS,
    "description",
    "f_stat",
    "df1",
    "df2",
    "k",
    "n_targets",
    "n_raters",
    "estimable",
    "note",
]

_DESC_BALANCED: dict[str, str] = {
    "ICC1": "Single raters absolute",
    "ICC2": "Single random raters",
    "ICC3": "Single fixed raters",
    "ICC1k": "Average raters absolute",
    "ICC2k": "Average random raters",
    "ICC3k": "Average fixed raters",
}

_DESC_UNBALANCED: dict[str, str] = {
    "ICC1": "Single rater, one-way random (absolute), ICC(1)",
    "ICC2": "Single rater, two-way random, absolute agreement, ICC(A,1)",
    "ICC3": "Single rater, two-way, consistency, ICC(C,1)",
    "ICC1k": "Mean of k ratings, one-way random (absolute), ICC(1,k)",
    "ICC2k": "Mean of k ratings, two-way random, absolute agreement, ICC(A,k)",
    "ICC3k": "Mean of k ratings, two-way, consistency, ICC(C,k)",
}


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


def _check_ci(ci: float) -> float:
    if not (isinstance(ci, (int, float)) and 0 < float(ci) < 1):
        raise ValueError(f"ci must be a number strictly between 0 and 1, got {ci!r}")
    return float(ci)


def _check_choice(value: object, name: str, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {list(allowed)}, got {value!r}")


def _row(term: str, description: str, **kw: object) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(_ICC_COLUMNS, np.nan)
    row.update(term=term, description=description, estimable=True, note="")
    row.update(kw)
    return row


def _ratio(num: float, den: float) -> float:
    return float(num / den) if den > 0 and np.isfinite(den) else np.nan


def _long_numeric(
    data: pd.DataFrame, targets: str, raters: str, ratings: str
) -> tuple[pd.DataFrame, int]:
    require_columns(data, [targets, raters, ratings], "icc")
    if len({targets, raters, ratings}) < 3:
        raise ValueError("icc: targets, raters and ratings must be three different columns")
    d = data[[targets, raters, ratings]].copy()
    y = pd.to_numeric(d[ratings], errors="coerce")
    bad = y.isna() & d[ratings].notna()
    if bad.any():
        i = bad[bad].index[0]
        raise ValueError(
            f"icc: column {ratings!r} must be numeric; row {i!r} has {d.at[i, ratings]!r}"
        )
    d[ratings] = y.astype(float)
    keep = d[ratings].notna() & d[targets].notna() & d[raters].notna()
    return d.loc[keep], int((~keep).sum())


# --------------------------------------------------------------------------------------
# ICC, complete (balanced) designs: Shrout & Fleiss (1979), McGraw & Wong (1996)
# --------------------------------------------------------------------------------------


def _icc_balanced(wide: np.ndarray, ci: float, dropped_note: str) -> pd.DataFrame:
    n, k = wide.shape
    grand = wide.mean()
    ss_total = float(((wide - grand) ** 2).sum())
    ss_r = float(k * ((wide.mean(axis=1) - grand) ** 2).sum())  # between targets
    ss_c = float(n * ((wide.mean(axis=0) - grand) ** 2).sum())  # between raters
    ss_e = ss_total - ss_r - ss_c
    df_r, df_c, df_e, df_w = n - 1, k - 1, (n - 1) * (k - 1), n * (k - 1)
    msr, msc = ss_r / df_r, ss_c / df_c
    mse, msw = ss_e / df_e, (ss_total - ss_r) / df_w
    a = 1 - ci
    q = 1 - a / 2

    icc1 = (msr - msw) / (msr + (k - 1) * msw)
    icc2 = (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n)
    icc3 = (msr - mse) / (msr + (k - 1) * mse)
    icc1k = (msr - msw) / msr
    icc2k = (msr - mse) / (msr + (msc - mse) / n)
    icc3k = (msr - mse) / msr

    f1 = _ratio(msr, msw)
    f3 = _ratio(msr, mse)
    with np.errstate(divide="ignore", invalid="ignore"):
        f1l = f1 / stats.f.ppf(q, df_r, df_w)
        f1u = f1 * stats.f.ppf(q, df_w, df_r)
        f3l = f3 / stats.f.ppf(q, df_r, df_e)
        f3u = f3 * stats.f.ppf(q, df_e, df_r)
        # ICC2: approximate df of Satterthwaite type (McGraw & Wong 1996, psych::ICC)
        fj = msc / mse
        vn = (k - 1) * (n - 1) * (k * icc2 * fj + n * (1 + (k - 1) * icc2) - k * icc2) ** 2
        vd = (n - 1) * k**2 * icc2**2 * fj**2 + (n * (1 + (k - 1) * icc2) - k * icc2) ** 2
        v = vn / vd
        f2u = stats.f.ppf(q, n - 1, v)
        f2l = stats.f.ppf(q, v, n - 1)
        l2 = n * (msr - f2u * mse) / (f2u * (k * msc + (k * n - k - n) * mse) + n * msr)
        u2 = n * (f2l * msr - mse) / (k * msc + (k * n - k - n) * mse + n * f2l * msr)

    cis = {
        "ICC1": ((f1l - 1) / (f1l + k - 1), (f1u - 1) / (f1u + k - 1)),
        "ICC2": (l2, u2),
        "ICC3": ((f3l - 1) / (f3l + k - 1), (f3u - 1) / (f3u + k - 1)),
        "ICC1k": (1 - 1 / f1l, 1 - 1 / f1u),
        "ICC2k": (l2 * k / (1 + l2 * (k - 1)), u2 * k / (1 + u2 * (k - 1))),
        "ICC3k": (1 - 1 / f3l, 1 - 1 / f3u),
    }
    est = dict(zip(ICC_TERMS, (icc1, icc2, icc3, icc1k, icc2k, icc3k), strict=True))
    ftest = {
        "ICC1": (f1, df_r, df_w),
        "ICC1k": (f1, df_r, df_w),
        **{t: (f3, df_r, df_e) for t in ("ICC2", "ICC3", "ICC2k", "ICC3k")},
    }
    rows = []
    for t in ICC_TERMS:
        f, d1, d2 = ftest[t]
        rows.append(
            _row(
                t,
                _DESC_BALANCED[t],
                estimate=float(est[t]),
                ci_low=float(cis[t][0]),
                ci_high=float(cis[t][1]),
                f_stat=f,
                df1=float(d1),
                df2=float(d2),
                p_value=float(stats.f.sf(f, d1, d2)) if np.isfinite(f) else np.nan,
                k=float(k if t.endswith("k") else 1),
                n_targets=n,
                n_raters=k,
                n_obs=n * k,
                method="anova_two_way",
                note=dropped_note,
            )
        )
    return tidy_frame(pd.DataFrame(rows, columns=_ICC_COLUMNS))


# --------------------------------------------------------------------------------------
# Variance components of the crossed model y = mu + target + rater + error
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VarianceComponents(Result):
    """Variance components of ``y = mu + a[target] + b[rater] + e``.

    ``var_rater`` and ``var_error`` are NaN when they are not identifiable (see
    ``note``). ``method`` is ``"reml"`` or ``"henderson3"``; ``converged`` is False when
    REML did not converge and the Henderson III values are reported instead.
    """

    var_target: float
    var_rater: float
    var_error: float
    n_obs: int
    n_targets: int
    n_raters: int
    k_harmonic: float
    k_mean: float
    df_target: int
    df_rater: int
    df_error: int
    f_target: float
    method: str
    converged: bool
    rater_identifiable: bool
    note: str

    def tidy(self) -> pd.DataFrame:
        """One row per component (``var_target, var_rater, var_error``), tidy columns + ``note``."""
        out = pd.DataFrame(
            {
                "term": ["var_target", "var_rater", "var_error"],
                "estimate": [self.var_target, self.var_rater, self.var_error],
                "n_obs": self.n_obs,
                "method": self.method,
                "note": self.note,
            }
        )
        return check_tidy(tidy_frame(out))


def _design(
    t: np.ndarray, r: np.ndarray, n_t: int, n_r: int
) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    rows = np.arange(len(t))
    ones = np.ones(len(t))
    za = sparse.csr_matrix((ones, (rows, t)), shape=(len(t), n_t))
    zb = sparse.csr_matrix((ones, (rows, r)), shape=(len(t), n_r))
    return za, zb


@dataclass(frozen=True)
class _Moments:
    sse: float
    r_a_given_b: float
    r_b_given_a: float
    df_a: int
    df_b: int
    df_e: int
    k_a: float
    k_b: float
    converged: bool


class _CrossedDesign:
    """What the crossed-model estimators need from the design alone.

    The design is which target and which rater gave each rating (``t``, ``r``): the
    count matrix, its connected components and rank, the Henderson III constants, the
    reduced normal equations of the rater effects and their factorisation, and the
    size of the REML factor. Blocks of ratings with the same design — the seven
    BerAKHLAK dimensions of one period are rated in one sitting — reuse all of it
    (:func:`_crossed_design`); only the ratings ``y`` differ.
    """

    def __init__(self, t: np.ndarray, r: np.ndarray, n_t: int, n_r: int) -> None:
        self.t, self.r, self.n_t, self.n_r = t, r, n_t, n_r
        n = len(t)
        self.za, self.zb = _design(t, r, n_t, n_r)
        self.n_i = np.bincount(t, minlength=n_t).astype(float)
        self.n_j = np.bincount(r, minlength=n_r).astype(float)
        nab = (self.za.T @ self.zb).tocsr()  # n_t x n_r counts n_ij
        self.n_comp, labels = csgraph.connected_components(
            sparse.bmat([[None, nab], [nab.T, None]], format="csr"), directed=False
        )
        self.rank_ab = n_t + n_r - self.n_comp
        nab2 = nab.multiply(nab)
        self.k_b = n - float((nab2.multiply(1 / self.n_i[:, None])).sum())
        self.k_a = n - float((nab2.multiply(1 / self.n_j[None, :])).sum())
        # Reduced normal equations for rater effects after absorbing target effects.
        self.a_mat = sparse.diags(self.n_j) - (nab.T @ sparse.diags(1 / self.n_i) @ nab)
        # a_mat is singular: rater effects are determined up to a constant within each
        # connected component of the target-rater graph. Fixing the first rater of every
        # component at 0 leaves a positive definite system.
        rater_comp = labels[n_t:]
        _, anchor = np.unique(rater_comp, return_index=True)
        self.free = np.setdiff1d(np.arange(n_r), anchor)
        self._lu: object | None = None
        self.reml_fill: int | None = None  # non-zeros of the REML factor, once known
        self.reml_order: np.ndarray | None = None  # its fill-reducing order, once known
        wr = sparse.hstack([sparse.csr_matrix(np.ones((n, 1))), self.zb], format="csc")
        self.wr = wr
        self.ctr = (self.za.T @ wr).tocsr()
        self.crr = (wr.T @ wr).tocsc()

    def same(self, t: np.ndarray, r: np.ndarray, n_t: int, n_r: int) -> bool:
        return (
            (n_t, n_r) == (self.n_t, self.n_r)
            and np.array_equal(t, self.t)
            and np.array_equal(r, self.r)
        )

    def _rater_factor(self) -> object:
        """Sparse LU of the anchored rater system (minimum-degree order of its symmetric
        pattern), factorised on first use; False if it cannot be factorised."""
        if self._lu is None:
            sub = self.a_mat.tocsr()[self.free][:, self.free].tocsc()
            try:
                self._lu = spla.splu(sub, permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.0)
            except RuntimeError:  # pragma: no cover - singular despite the anchoring
                self._lu = False
        return self._lu

    def rater_fill(self) -> int:
        """Non-zeros of the rater system's factor ``L`` (0 without free raters or
        without a factor).

        The REML equations' Schur complement on ``[1, raters]`` has the pattern of this
        system but for the intercept's dense row and column, so this is the size of the
        factor REML would iterate on (its own minimum-degree factor had 107,197
        non-zeros where this one had 87,843, synthetic city of 20,000 ASN, one period). The
        Henderson III solve has usually factorised it already: the size costs nothing.
        """
        if len(self.free) == 0:
            return 0
        lu = self._rater_factor()
        return int(lu.L.nnz) if lu is not False else 0

    def solve_raters(self, rhs: np.ndarray) -> np.ndarray | None:
        """A solution ``b`` of ``a_mat b = rhs`` (consistent), or None if it cannot be
        factorised."""
        b = np.zeros(self.n_r)
        if len(self.free) == 0:
            return b
        lu = self._rater_factor()
        if lu is False:
            return None
        b[self.free] = lu.solve(rhs[self.free])
        return b


_DESIGN_CACHE: list[_CrossedDesign] = []


def _crossed_design(t: np.ndarray, r: np.ndarray, n_t: int, n_r: int) -> _CrossedDesign:
    """The :class:`_CrossedDesign` of ``(t, r)``, reused when the last one was the same."""
    if _DESIGN_CACHE and _DESIGN_CACHE[0].same(t, r, n_t, n_r):
        return _DESIGN_CACHE[0]
    _DESIGN_CACHE[:] = [_CrossedDesign(t, r, n_t, n_r)]
    return _DESIGN_CACHE[0]


def _henderson3_moments(
    y: np.ndarray, t: np.ndarray, r: np.ndarray, n_t: int, n_r: int
) -> _Moments:
    """Sums of squares of Henderson's method III (fitting constants) for the crossed model.

    ``R(b | mu, a)`` is obtained by absorbing target means and solving the (singular,
    consistent) reduced normal equations for rater effects exactly: one rater per
    connected component of the target-rater graph is fixed at 0 and the remaining
    positive definite system is factorised by sparse LU (once per design, shared by
    blocks with the same design); conjugate gradients only if that factorisation fails.
    ``SSE`` is the residual sum of squares of the fixed two-way model.
    """
    n = len(y)
    dz = _crossed_design(t, r, n_t, n_r)
    ybar_t = np.bincount(t, weights=y, minlength=n_t) / dz.n_i
    ybar_r = np.bincount(r, weights=y, minlength=n_r) / dz.n_j
    ssw_a = float(((y - ybar_t[t]) ** 2).sum())
    ssw_b = float(((y - ybar_r[r]) ** 2).sum())
    rhs = dz.zb.T @ (y - ybar_t[t])
    converged = True
    if n_r > 1 and float(np.abs(rhs).max(initial=0.0)) > 0:
        b = dz.solve_raters(rhs)
        if b is None:  # pragma: no cover - defensive
            diag = dz.a_mat.diagonal()
            m_inv = sparse.diags(np.where(diag > 1e-12, 1 / np.maximum(diag, 1e-12), 1.0))
            b, info = spla.cg(dz.a_mat, rhs, rtol=1e-12, atol=0.0, maxiter=20 * n_r + 1000, M=m_inv)
            converged = info == 0
        r_b = float(b @ rhs)
    else:
        r_b = 0.0
    sse = max(ssw_a - r_b, 0.0)
    return _Moments(
        sse=sse,
        r_a_given_b=max(ssw_b - sse, 0.0),
        r_b_given_a=r_b,
        df_a=dz.rank_ab - n_r,
        df_b=dz.rank_ab - n_t,
        df_e=n - dz.rank_ab,
        k_a=dz.k_a,
        k_b=dz.k_b,
        converged=converged,
    )


class _FillTooLarge(RuntimeError):
    """The sparse factor of the REML equations is too large to iterate on quickly."""


def _reml_crossed(
    y: np.ndarray,
    t: np.ndarray,
    r: np.ndarray,
    n_t: int,
    n_r: int,
    start: Sequence[float],
    bounds: tuple[float, float] = (-14.0, 8.0),
    max_fill: int = 250_000,
) -> tuple[np.ndarray, float, bool]:
    """REML ratios ``(var_target, var_rater) / var_error`` and ``var_error``.

    -2 x profiled REML log-likelihood (constants dropped), with ``g = (g_a, g_b)`` the
    variance ratios and the mixed-model equations ``C = W'W + diag(0, I/g_a, I/g_b)``,
    ``W = [1, Z_target, Z_rater]``:
    ``n_t log g_a + n_r log g_b + log|C| + (N - 1) log(y'Py / (N - 1))``, where
    ``y'Py = y'y - theta'W'y``, ``theta = C^{-1} W'y`` (Harville 1977; uses
    ``|H| |X'H^{-1}X| = |Gamma| |C|``). The diagonal target block of ``C`` is absorbed;
    the Schur complement on ``[1, raters]`` is factorised by sparse LU (SuperLU; a
    minimum-degree order computed once per design and reused by every evaluation).
    The two log-ratios are optimised by Newton steps with finite-difference derivatives
    from the Henderson III values (bounded Nelder-Mead as fallback). Raises
    :class:`_FillTooLarge` when the factor of the rater system
    (:meth:`_CrossedDesign.rater_fill`) has more than ``max_fill`` non-zeros (raters
    rating across large, unclustered pools), where REML would take tens of seconds: it
    factorises that size of matrix about 150 times per design (seven dimensions, about
    20 evaluations each). Measured on the synthetic cities, one period (2 cores): 6,000
    ASN 26,000 non-zeros and 20,000 ASN 88,000 (REML, about 5 s of CPU per period), 100,000
    ASN 490,000 (Henderson III; REML would take minutes per period).
    """
    n = len(y)
    dz = _crossed_design(t, r, n_t, n_r)
    n_i, ctr, crr = dz.n_i, dz.ctr, dz.crr
    b_t = dz.za.T @ y
    b_r = dz.wr.T @ y
    yty = float(y @ y)

    def fit(log_g: np.ndarray) -> tuple[float, float]:
        # the factor's size depends on the design only: known after the first factorisation
        if dz.reml_fill is not None and dz.reml_fill > max_fill:
            raise _FillTooLarge(dz.reml_fill)
        g_a, g_b = np.exp(np.asarray(log_g, dtype=float))
        d_t = n_i + 1 / g_a
        s = (
            crr
            + sparse.diags(np.r_[0.0, np.full(n_r, 1 / g_b)])
            - (ctr.T @ sparse.diags(1 / d_t) @ ctr)
        )
        s = s.tocsc()
        opts = {"diag_pivot_thresh": 0.0, "options": {"SymmetricMode": True}}
        if dz.reml_order is None:
            # the rule: REML only if its factor is small (decided once per design, from
            # the rater system the Henderson III solve has factorised: no factorisation
            # of its own)
            fill = dz.rater_fill()
            dz.reml_fill = fill
            if fill > max_fill:
                raise _FillTooLarge(fill)
            # then one minimum-degree ordering, reused by every evaluation: each one
            # is only a numeric factorisation of the permuted matrix
            dz.reml_order = np.argsort(spla.splu(s, permc_spec="MMD_AT_PLUS_A", **opts).perm_c)
        order = dz.reml_order
        lu = spla.splu(s[order][:, order].tocsc(), permc_spec="NATURAL", **opts)
        logdet = float(np.log(d_t).sum() + np.log(np.abs(lu.U.diagonal())).sum())
        rhs_r = b_r - ctr.T @ (b_t / d_t)
        th_r = np.empty_like(rhs_r)
        th_r[order] = lu.solve(rhs_r[order])
        th_t = (b_t - ctr @ th_r) / d_t
        ypy = max(yty - float(th_t @ b_t) - float(th_r @ b_r), 1e-300)
        obj = n_t * math.log(g_a) + n_r * math.log(g_b) + logdet
        return obj + (n - 1) * math.log(ypy / (n - 1)), ypy / (n - 1)

    x0 = np.clip(np.log(np.maximum(np.asarray(start, dtype=float), 1e-6)), *bounds)
    x, ok = _newton_2d(lambda v: fit(v)[0], x0, bounds)
    if not ok:  # boundary or non-convex region: derivative-free fallback
        res = optimize.minimize(
            lambda v: fit(v)[0],
            x,
            method="Nelder-Mead",
            bounds=[bounds, bounds],
            options={"xatol": 1e-4, "fatol": 1e-6, "maxfev": 400},
        )
        x, ok = np.asarray(res.x, dtype=float), bool(res.success)
    _, var_e = fit(x)
    gam = np.exp(x)
    gam[x <= bounds[0] + 0.5] = 0.0  # on the boundary: component estimated as zero
    return gam, var_e, ok


def _newton_2d(
    f, x0: np.ndarray, bounds: tuple[float, float], tol: float = 1e-4, max_iter: int = 12
) -> tuple[np.ndarray, bool]:
    """Newton's method with a finite-difference gradient and Hessian (5 evaluations a step).

    Returns ``(x, converged)``; not converged when the Hessian is not positive definite
    or the iterate reaches a bound (the caller then falls back to Nelder-Mead).
    """
    x = np.asarray(x0, dtype=float).copy()
    f0 = f(x)
    h = 0.05
    e1, e2 = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    for _ in range(max_iter):
        fpa, fma, fpb, fmb = f(x + h * e1), f(x - h * e1), f(x + h * e2), f(x - h * e2)
        fab = f(x + h * (e1 + e2))
        g = np.array([fpa - fma, fpb - fmb]) / (2 * h)
        haa = (fpa - 2 * f0 + fma) / h**2
        hbb = (fpb - 2 * f0 + fmb) / h**2
        hab = (fab - fpa - fpb + f0) / h**2
        hess = np.array([[haa, hab], [hab, hbb]])
        if not (haa > 0 and hbb > 0 and haa * hbb - hab**2 > 0):
            return x, False
        step = -np.linalg.solve(hess, g)
        norm = float(np.abs(step).max())
        if norm > 1.0:
            step, norm = step / norm, 1.0
        x_new = x + step
        if x_new.min() <= bounds[0] or x_new.max() >= bounds[1]:
            return x, False
        f_new = f(x_new)
        if f_new > f0 + 1e-8 * abs(f0):  # no descent: halve the step once, else give up
            x_new = x + step / 2
            f_new = f(x_new)
            if f_new > f0 + 1e-8 * abs(f0):
                return x, False
        x, f0 = x_new, f_new
        if norm < tol:
            return x, True
        h = float(min(0.05, max(norm, 1e-3)))
    return x, False


def variance_components(
    data: pd.DataFrame,
    targets: str,
    raters: str,
    ratings: str,
    *,
    method: Literal["reml", "henderson3"] = "reml",
) -> VarianceComponents:
    """Variance components of the crossed random-effects model of ratings.

    Model: ``y_tr = mu + a_t + b_r + e_tr`` with ``a ~ N(0, var_target)``,
    ``b ~ N(0, var_rater)``, ``e ~ N(0, var_error)``, any pattern of missing cells.

    Parameters
    ----------
    data : DataFrame
        Long format, one row per rating.
    targets, raters, ratings : str
        Column names of the rated unit, the rater and the numeric rating.
    method : {"reml", "henderson3"}
        ``"reml"`` maximises the restricted likelihood on sparse mixed-model equations
        (started from the Henderson III values); ``"henderson3"`` is Henderson's method
        III (fitting constants): unbiased moment estimators, negative values truncated at 0.

    Returns
    -------
    VarianceComponents
        ``.tidy()`` gives rows ``var_target, var_rater, var_error``.

    Notes
    -----
    Henderson III equates ``SSE`` (two-way fixed model, df ``N - rank``),
    ``R(b | mu, a)`` and ``R(a | mu, b)`` to their expectations
    ``df_e s2e``, ``df_b s2e + k_b s2b`` and ``df_a s2e + k_a s2a`` with
    ``k_b = N - sum_tr n_tr^2 / n_t.`` and ``k_a = N - sum_tr n_tr^2 / n_.r``
    (Searle, Casella & McCulloch 1992, ch. 5). On complete balanced data both methods
    reproduce the ANOVA (expected mean squares) estimators when these are positive;
    checked in ``tests/test_reliability.py``. The rater variance is identifiable only when
    some raters rate several targets and residual degrees of freedom remain.

    Examples
    --------
    >>> sf = pd.DataFrame([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]])
    >>> long = sf.stack().rename_axis(["target", "rater"]).rename("y").reset_index()
    >>> vc = variance_components(long, "target", "rater", "y")
    >>> round(vc.var_target, 3), round(vc.var_rater, 3), round(vc.var_error, 3)
    (2.556, 5.244, 1.019)
    """
    _check_choice(method, "method", ("reml", "henderson3"))
    d, _ = _long_numeric(data, targets, raters, ratings)
    return _variance_components(d, targets, raters, ratings, method)


def _variance_components(
    d: pd.DataFrame, targets: str, raters: str, ratings: str, method: str
) -> VarianceComponents:
    t, tu = pd.factorize(d[targets], sort=False)
    r, ru = pd.factorize(d[raters], sort=False)
    y = d[ratings].to_numpy(dtype=float)
    n, n_t, n_r = len(y), len(tu), len(ru)
    if n_t < 2 or n < 3:
        raise NotEstimable(
            f"need at least 2 targets and 3 ratings, got {n_t} and {n}",
            reason="few_targets",
            facts={"n_targets": n_t, "n_ratings": n},
        )
    n_i = np.bincount(t, minlength=n_t)
    k_h = float(n_t / np.sum(1.0 / n_i))
    m = _henderson3_moments(y, t, r, n_t, n_r)
    notes: list[str] = []
    ident = m.df_b > 0 and m.df_e > 0 and m.k_b > 0
    if not ident:
        if n_r < 2:
            notes.append("only one rater: rater variance not identifiable")
        elif m.df_e <= 0:
            notes.append(
                "no residual degrees of freedom (each rater rated one target, or raters "
                "nested in targets): rater and residual variance are confounded"
            )
        else:
            notes.append("rater variance not identifiable in this design")
    if not m.converged:
        notes.append("conjugate gradients did not fully converge")
    s2e = m.sse / m.df_e if m.df_e > 0 else np.nan
    if ident:
        s2b = (m.r_b_given_a - m.df_b * s2e) / m.k_b
        s2a = (m.r_a_given_b - m.df_a * s2e) / m.k_a if m.k_a > 0 else np.nan
    else:
        s2b = np.nan
        s2a = np.nan
    f_target = (m.r_a_given_b / m.df_a) / s2e if ident and m.df_a > 0 and s2e > 0 else np.nan
    truncated = [nm for nm, v in (("target", s2a), ("rater", s2b)) if v < 0]
    s2a = max(s2a, 0.0) if np.isfinite(s2a) else s2a
    s2b = max(s2b, 0.0) if np.isfinite(s2b) else s2b
    used, converged = "henderson3", True
    if method == "reml" and ident:
        try:
            base = max(s2e, 1e-8)
            gam, var_e, ok = _reml_crossed(
                y, t, r, n_t, n_r, start=[max(s2a / base, 1e-3), max(s2b / base, 1e-3)]
            )
            if ok and np.isfinite(var_e):
                s2a, s2b, s2e = gam[0] * var_e, gam[1] * var_e, var_e
                used, truncated = "reml", []
            else:
                converged = False
                notes.append("REML did not converge; Henderson III estimates reported")
        except _FillTooLarge as exc:
            notes.append(
                f"REML skipped (sparse factor with {exc.args[0]} non-zeros would be slow); "
                "Henderson III estimates reported"
            )
        except (RuntimeError, ValueError, MemoryError) as exc:  # pragma: no cover - defensive
            converged = False
            notes.append(f"REML failed ({type(exc).__name__}); Henderson III estimates reported")
    if truncated:
        notes.append("negative moment estimate of " + " and ".join(truncated) + " set to 0")
    return VarianceComponents(
        var_target=float(s2a),
        var_rater=float(s2b),
        var_error=float(s2e),
        n_obs=n,
        n_targets=n_t,
        n_raters=n_r,
        k_harmonic=k_h,
        k_mean=float(n / n_t),
        df_target=m.df_a,
        df_rater=m.df_b,
        df_error=m.df_e,
        f_target=float(f_target),
        method=used,
        converged=converged,
        rater_identifiable=ident,
        note="; ".join(notes),
    )


def _oneway(
    y: np.ndarray, t: np.ndarray, n_t: int, method: str
) -> tuple[float, float, float, float, float, float, str]:
    """One-way random model: (var_target, var_within, F, df1, df2, n0, method_used)."""
    n = len(y)
    n_i = np.bincount(t, minlength=n_t).astype(float)
    s_i = np.bincount(t, weights=y, minlength=n_t)
    ybar = y.mean()
    ssb = float((n_i * (s_i / n_i - ybar) ** 2).sum())
    ssw = float(((y - (s_i / n_i)[t]) ** 2).sum())
    df1, df2 = n_t - 1, n - n_t
    msb = ssb / df1
    msw = ssw / df2 if df2 > 0 else np.nan
    n0 = (n - (n_i**2).sum() / n) / (n_t - 1)
    f = _ratio(msb, msw)
    s2a_anova = max((msb - msw) / n0, 0.0) if np.isfinite(msw) else np.nan
    if method == "henderson3" or not np.isfinite(msw) or msw <= 0:
        return s2a_anova, msw, f, df1, df2, n0, "anova_one_way"
    yy = np.bincount(t, weights=y * y, minlength=n_t)

    def obj(lg: float) -> float:
        g = math.exp(lg)
        den = 1 + n_i * g
        xhx = float((n_i / den).sum())
        xhy = float((s_i / den).sum())
        yhy = float((yy - g * s_i**2 / den).sum())
        ypy = max(yhy - xhy**2 / xhx, 1e-300)
        return float(np.log(den).sum()) + math.log(xhx) + (n - 1) * math.log(ypy / (n - 1))

    lo, hi = -14.0, 8.0
    res = optimize.minimize_scalar(obj, bounds=(lo, hi), method="bounded", options={"xatol": 1e-8})
    if not res.success:
        return s2a_anova, msw, f, df1, df2, n0, "anova_one_way"
    lg = float(res.x)
    g = 0.0 if (lg <= lo + 1e-4 or obj(lo) <= res.fun) else math.exp(lg)
    den = 1 + n_i * g
    xhx = float((n_i / den).sum())
    xhy = float((s_i / den).sum())
    yhy = float((yy - g * s_i**2 / den).sum())
    var_w = (yhy - xhy**2 / xhx) / (n - 1)
    return g * var_w, var_w, f, df1, df2, n0, "reml_one_way"


def _icc_unbalanced(
    d: pd.DataFrame,
    targets: str,
    raters: str,
    ratings: str,
    ci: float,
    method: str,
    dropped_note: str,
) -> pd.DataFrame:
    vc = _variance_components(d, targets, raters, ratings, method)
    t, tu = pd.factorize(d[targets], sort=False)
    y = d[ratings].to_numpy(dtype=float)
    s2a1, s2w, f1, df1, df2, n0, m1 = _oneway(y, t, len(tu), method)
    k = vc.k_harmonic
    common = dict(n_targets=vc.n_targets, n_raters=vc.n_raters, n_obs=vc.n_obs)
    k_note = f"k = harmonic mean of ratings per target = {k:.3f}"
    q = 1 - (1 - ci) / 2

    # ICC(1), one-way: REML (or ANOVA), approximate F-based CI with n0 (Donner 1986).
    icc1 = _ratio(s2a1, s2a1 + s2w)
    icc1k = _ratio(s2a1, s2a1 + s2w / k)
    an1 = np.nan
    if np.isfinite(f1) and df2 > 0:
        fl = f1 / stats.f.ppf(q, df1, df2)
        fu = f1 * stats.f.ppf(q, df2, df1)
        lo1, hi1 = (fl - 1) / (fl + n0 - 1), (fu - 1) / (fu + n0 - 1)
        an1 = (f1 - 1) / (f1 + n0 - 1)
        p1 = float(stats.f.sf(f1, df1, df2))
    else:
        lo1 = hi1 = p1 = np.nan
    oneway_note = f"approximate CI from F with n0 = {n0:.3f}"
    if m1 == "reml_one_way" and np.isfinite(an1):
        oneway_note += f"; one-way ANOVA estimate {max(an1, 0.0):.4f} (cross-check)"
    ok1 = np.isfinite(icc1) and df2 > 0
    why1 = "" if ok1 else "no target has two or more ratings: within-target variance unknown"

    def sb(x: float) -> float:
        return k * x / (1 + (k - 1) * x) if np.isfinite(x) else np.nan

    # the one-way F test behind ICC1 and ICC1k
    f1test = dict(f_stat=f1, df1=float(df1), df2=float(df2), p_value=p1, method=m1, estimable=ok1)

    def oneway(term: str, est: float, lo: float, hi: float, kk: float, note: str) -> dict:
        return _row(
            term, _DESC_UNBALANCED[term], estimate=est, ci_low=lo, ci_high=hi, k=kk,
            note=why1 or note, **f1test, **common,
        )  # fmt: skip

    rows = [oneway("ICC1", icc1, lo1, hi1, 1.0, oneway_note)]
    # Two-way forms from the crossed variance components.
    s2a, s2b, s2e = vc.var_target, vc.var_rater, vc.var_error
    ok2 = vc.rater_identifiable and np.isfinite(s2a)
    p2 = (
        float(stats.f.sf(vc.f_target, vc.df_target, vc.df_error))
        if np.isfinite(vc.f_target)
        else np.nan
    )
    ftest = dict(
        f_stat=vc.f_target if ok2 else np.nan,
        df1=float(vc.df_target) if ok2 else np.nan,
        df2=float(vc.df_error) if ok2 else np.nan,
        p_value=p2 if ok2 else np.nan,
    )
    meth2 = f"{vc.method}_crossed"
    note2 = "; ".join(x for x in (vc.note, "no CI for variance-component ICC") if x)
    why2 = vc.note or "variance components not estimable"

    def crossed(term: str, est: float, kk: float, note: str) -> dict[str, object]:
        return _row(
            term,
            _DESC_UNBALANCED[term],
            estimate=est if ok2 else np.nan,
            k=kk,
            method=meth2,
            estimable=bool(ok2 and np.isfinite(est)),
            note=note if ok2 else why2,
            **ftest,
            **common,
        )

    rows.append(crossed("ICC2", _ratio(s2a, s2a + s2b + s2e), 1.0, note2))
    rows.append(crossed("ICC3", _ratio(s2a, s2a + s2e), 1.0, note2))
    rows.append(oneway("ICC1k", icc1k, sb(lo1), sb(hi1), k, f"{k_note}; {oneway_note}"))
    rows.append(crossed("ICC2k", _ratio(s2a, s2a + (s2b + s2e) / k), k, f"{k_note}; {note2}"))
    rows.append(crossed("ICC3k", _ratio(s2a, s2a + s2e / k), k, f"{k_note}; {note2}"))
    out = tidy_frame(pd.DataFrame(rows, columns=_ICC_COLUMNS))
    if dropped_note:
        out["note"] = [f"{x}; {dropped_note}" if x else dropped_note for x in out["note"]]
    return out


def icc(
    data: pd.DataFrame,
    targets: str,
    raters: str,
    ratings: str,
    *,
    ci: float = 0.95,
    design: Literal["auto", "balanced", "unbalanced"] = "auto",
    method: Literal["reml", "henderson3"] = "reml",
) -> pd.DataFrame:
    """Intraclass correlations of ratings (Shrout & Fleiss 1979), balanced or not.

    Parameters
    ----------
    data : DataFrame
        Long format, one row per rating. Rows with a missing rating are dropped (and
        counted in ``note``).
    targets, raters, ratings : str
        Columns with the rated unit (ratee), the rater and the numeric rating.
    ci : float
        Confidence level of the intervals.
    design : {"auto", "balanced", "unbalanced"}
        ``"auto"`` uses the two-way ANOVA when every target is rated exactly once by
        every rater, and variance components otherwise. ``"balanced"`` raises if the
        design is not complete; ``"unbalanced"`` forces the variance-component path.
    method : {"reml", "henderson3"}
        Estimator of the variance components on the unbalanced path (see
        :func:`variance_components`); ``"henderson3"`` also makes ICC(1) the one-way
        ANOVA estimator instead of one-way REML.

    Returns
    -------
    DataFrame
        Six rows ``term`` = ICC1, ICC2, ICC3, ICC1k, ICC2k, ICC3k with columns
        ``term, description, estimate, std_error, ci_low, ci_high, f_stat, df1, df2,
        p_value, k, n_targets, n_raters, n_obs, method, estimable, note``. ``k`` is the
        number of ratings the average refers to (the number of raters when balanced, the
        harmonic mean of ratings per target otherwise). Forms that cannot be estimated
        have ``estimable=False`` and the reason in ``note``.

    Notes
    -----
    Balanced (``method = "anova_two_way"``), with MSR, MSC, MSE, MSW the target, rater,
    residual and within-target mean squares of the n x k table:
    ICC1 = (MSR - MSW) / (MSR + (k-1) MSW), ICC2 = (MSR - MSE) / (MSR + (k-1) MSE +
    k (MSC - MSE) / n), ICC3 = (MSR - MSE) / (MSR + (k-1) MSE), ICC1k = (MSR - MSW) / MSR,
    ICC2k = (MSR - MSE) / (MSR + (MSC - MSE) / n), ICC3k = (MSR - MSE) / MSR; F tests and
    confidence intervals as in Shrout & Fleiss (1979) and McGraw & Wong (1996) (ICC2 with
    the Satterthwaite-type df), the same as R ``psych::ICC`` and ``pingouin.intraclass_corr``.
    Checked against Shrout & Fleiss (1979, Table 2/4) and pingouin's documented output.

    Unbalanced: ICC1 = s2a / (s2a + s2w) from the one-way random model (REML; the
    one-way ANOVA estimator with n0 = (N - sum n_t^2 / N) / (n - 1) as cross-check and
    fallback, with the approximate F-based CI); ICC2 = ICC(A,1) = s2a / (s2a + s2b + s2e)
    and ICC3 = ICC(C,1) = s2a / (s2a + s2e) from the crossed model
    (:func:`variance_components`); the k-forms replace the error part by its mean over
    k ratings, k = harmonic mean of ratings per target (the mean error variance of a
    target mean is s2 * mean(1 / n_t) = s2 / k_harmonic). The F test on the two-way rows
    is the test of targets adjusted for raters, ``R(a | mu, b) / df_a / MSE``. On balanced
    data the unbalanced path agrees with the ANOVA path (tested).

    Examples
    --------
    >>> sf = pd.DataFrame([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]])
    >>> long = sf.stack().rename_axis(["target", "rater"]).rename("y").reset_index()
    >>> r = icc(long, "target", "rater", "y")
    >>> r.set_index("term")["estimate"].round(2).loc[["ICC1", "ICC2", "ICC3"]].tolist()
    [0.17, 0.29, 0.71]
    """
    ci = _check_ci(ci)
    _check_choice(design, "design", ("auto", "balanced", "unbalanced"))
    _check_choice(method, "method", ("reml", "henderson3"))
    d, n_drop = _long_numeric(data, targets, raters, ratings)
    dropped_note = f"{n_drop} row(s) with missing values dropped" if n_drop else ""
    n_t, n_r = d[targets].nunique(), d[raters].nunique()
    if n_t < 2:
        raise NotEstimable(
            f"icc: need at least 2 targets, got {n_t}",
            reason="few_targets",
            facts={"n_targets": int(n_t), "n_ratings": len(d)},
        )
    counts = d.groupby([targets, raters], sort=False, observed=True).size()
    complete = bool(len(counts) == n_t * n_r and (counts == 1).all() and n_r >= 2)
    if design == "balanced" and not complete:
        raise ValueError(
            "icc: design='balanced' needs every target rated exactly once by every rater "
            f"({n_t} targets x {n_r} raters = {n_t * n_r} cells, found {len(d)} ratings in "
            f"{len(counts)} cells)"
        )
    if complete and design != "unbalanced":
        wide = d.pivot(index=targets, columns=raters, values=ratings).to_numpy(dtype=float)
        return _icc_balanced(wide, ci, dropped_note)
    return _icc_unbalanced(d, targets, raters, ratings, ci, method, dropped_note)


# --------------------------------------------------------------------------------------
# Cronbach's alpha
# --------------------------------------------------------------------------------------


def _alpha_from_cov(c: np.ndarray) -> float:
    k = c.shape[0]
    total = float(c.sum())
    return (k / (k - 1)) * (1 - float(np.trace(c)) / total) if total > 0 else np.nan


def _items_numeric(items: pd.DataFrame, what: str) -> pd.DataFrame:
    if not isinstance(items, pd.DataFrame):
        raise TypeError(f"{what}: expected a wide DataFrame (one column per item)")
    x = items.apply(pd.to_numeric, errors="coerce").astype(float)
    bad = x.isna() & items.notna()
    if bad.to_numpy().any():
        col = bad.any()[lambda s: s].index[0]
        i = bad[col][bad[col]].index[0]
        raise ValueError(f"{what}: item {col!r} row {i!r} is not numeric: {items.at[i, col]!r}")
    if x.shape[1] < 2:
        raise ValueError(f"{what}: need at least 2 items, got {x.shape[1]}")
    return x


def cronbach_alpha(
    items: pd.DataFrame,
    *,
    ci: float = 0.95,
    nan_policy: Literal["listwise", "pairwise"] = "listwise",
) -> pd.DataFrame:
    """Cronbach's alpha of a set of items, with the Feldt confidence interval.

    Parameters
    ----------
    items : DataFrame
        Wide format: one row per respondent, one numeric column per item.
    ci : float
        Confidence level.
    nan_policy : {"listwise", "pairwise"}
        ``"listwise"`` drops respondents with any missing item; ``"pairwise"`` uses the
        pairwise-complete covariance matrix (``DataFrame.cov``), n = all respondents with
        at least one answer (as R ``psych::alpha(use = "pairwise")`` and pingouin).

    Returns
    -------
    DataFrame
        One row: ``term`` ("alpha"), ``estimate, std_error, ci_low, ci_high, p_value,
        n_obs`` (respondents), ``n_items, method, note``.

    Notes
    -----
    alpha = k / (k - 1) * (1 - trace(C) / sum(C)) with C the item covariance matrix.
    Feldt, Woodruff & Salih (1987): with F quantiles on (n - 1, (n - 1)(k - 1)) df,
    ci_low = 1 - (1 - alpha) F_{1 - a/2}, ci_high = 1 - (1 - alpha) F_{a/2}. Checked
    against pingouin's documented example (alpha = 0.591719, CI 0.195-0.840, tested
    by pingouin against R psych).

    Examples
    --------
    >>> items = pd.DataFrame({"a": [1, 2, 3, 4, 5, 3], "b": [2, 2, 3, 5, 4, 3], "c": [1, 3, 3, 4, 5, 2]})
    >>> cronbach_alpha(items)[["term", "estimate", "n_obs", "n_items"]].round(3)
        term  estimate  n_obs  n_items
    0  alpha     0.932      6        3
    """
    ci = _check_ci(ci)
    _check_choice(nan_policy, "nan_policy", ("listwise", "pairwise"))
    x = _items_numeric(items, "cronbach_alpha")
    x = x.dropna(how="all")
    if nan_policy == "listwise":
        x = x.dropna(how="any")
    n, k = x.shape
    note = ""
    if n < 2:
        est, lo, hi = np.nan, np.nan, np.nan
        note = f"fewer than 2 complete respondents ({n})"
    else:
        c = x.cov().to_numpy()
        est = _alpha_from_cov(c)
        a = 1 - ci
        df1, df2 = n - 1, (n - 1) * (k - 1)
        lo = 1 - (1 - est) * stats.f.isf(a / 2, df1, df2)
        hi = 1 - (1 - est) * stats.f.isf(1 - a / 2, df1, df2)
    return tidy_frame(
        [
            {
                "term": "alpha",
                "estimate": est,
                "std_error": np.nan,
                "ci_low": lo,
                "ci_high": hi,
                "p_value": np.nan,
                "n_obs": n,
                "n_items": k,
                "method": f"cronbach_feldt_{nan_policy}",
                "note": note,
            }
        ]
    )


def alpha_if_deleted(
    items: pd.DataFrame, *, nan_policy: Literal["listwise", "pairwise"] = "listwise"
) -> pd.DataFrame:
    """Cronbach's alpha with each item left out, and the corrected item-total correlation.

    Returns
    -------
    DataFrame
        One row per item: ``term`` (``alpha_without_<item key>``), ``item`` (the item's
        name), ``estimate`` (alpha without the item),
        ``item_rest_r`` (Pearson correlation of the item with the sum of the other items,
        R ``psych::alpha`` "r.drop"), ``n_obs``, ``method``.

    Notes
    -----
    Uses the same covariance matrix as :func:`cronbach_alpha`; alpha without item i is
    computed from C with row and column i removed.

    Examples
    --------
    >>> items = pd.DataFrame({"a": [1, 2, 3, 4, 5, 3], "b": [2, 2, 3, 5, 4, 3], "c": [1, 3, 3, 4, 5, 2]})
    >>> alpha_if_deleted(items)[["item", "estimate", "item_rest_r"]].round(3)
      item  estimate  item_rest_r
    0    a     0.832        0.942
    1    b     0.947        0.807
    2    c     0.908        0.854
    """
    _check_choice(nan_policy, "nan_policy", ("listwise", "pairwise"))
    x = _items_numeric(items, "alpha_if_deleted").dropna(how="all")
    if nan_policy == "listwise":
        x = x.dropna(how="any")
    if x.shape[1] < 3:
        raise ValueError("alpha_if_deleted: need at least 3 items")
    c = x.cov().to_numpy()
    rows = []
    for i, name in enumerate(x.columns):
        keep = [j for j in range(c.shape[0]) if j != i]
        cc = c[np.ix_(keep, keep)]
        cov_rest = float(c[i, keep].sum())
        var_rest = float(cc.sum())
        r = cov_rest / math.sqrt(c[i, i] * var_rest) if c[i, i] > 0 and var_rest > 0 else np.nan
        rows.append(
            {
                "term": f"alpha_without_{ascii_key(name)}",
                "item": name,
                "estimate": _alpha_from_cov(cc),
                "item_rest_r": r,
                "n_obs": len(x),
                "method": f"alpha_if_deleted_{nan_policy}",
            }
        )
    return tidy_frame(rows)


# --------------------------------------------------------------------------------------
# Krippendorff's alpha
# --------------------------------------------------------------------------------------


def _delta2(values: np.ndarray, n_c: np.ndarray, level: str) -> np.ndarray:
    v = values.astype(float)
    if level == "nominal":
        return 1.0 - np.eye(len(v))
    if level == "interval":
        return (v[:, None] - v[None, :]) ** 2
    if level == "ratio":
        s = v[:, None] + v[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            out = ((v[:, None] - v[None, :]) / s) ** 2
        return np.where(s == 0, 0.0, out)
    # ordinal: (sum_{g=c}^{k} n_g - (n_c + n_k) / 2)^2 with values in rank order
    cum = np.concatenate([[0.0], np.cumsum(n_c)])
    i = np.arange(len(v))
    lo, hi = np.minimum(i[:, None], i[None, :]), np.maximum(i[:, None], i[None, :])
    return (cum[hi + 1] - cum[lo] - (n_c[:, None] + n_c[None, :]) / 2) ** 2


def _kalpha(counts: sparse.csr_matrix, unit_w: np.ndarray, values: np.ndarray, level: str):
    """Alpha, D_o, D_e and n from the unit x value count matrix with unit weights."""
    m_u = np.asarray(counts.sum(axis=1)).ravel()
    w = unit_w / (m_u - 1)
    o = (counts.T @ sparse.diags(w) @ counts).toarray()
    o -= np.diag(np.asarray(counts.T @ w).ravel())
    n_c = o.sum(axis=1)
    n = n_c.sum()
    d2 = _delta2(values, n_c, level)
    d_o = float((o * d2).sum()) / n
    d_e = float((np.outer(n_c, n_c) * d2).sum()) / (n * (n - 1))
    alpha = 1 - d_o / d_e if d_e > 0 else np.nan
    return alpha, d_o, d_e, n


def krippendorff_alpha(
    data: pd.DataFrame,
    units: str,
    coders: str,
    values: str,
    level: Literal["nominal", "ordinal", "interval", "ratio"] = "interval",
    *,
    n_boot: int = 0,
    ci: float = 0.95,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Krippendorff's alpha from long data, any number of coders per unit.

    Parameters
    ----------
    data : DataFrame
        Long format, one row per value a coder assigned to a unit. Missing values are
        ignored; units with fewer than two values are not pairable and are left out.
    units, coders, values : str
        Columns with the unit, the coder and the value.
    level : {"nominal", "ordinal", "interval", "ratio"}
        Level of measurement (difference function).
    n_boot : int
        Bootstrap replicates over units (0 = no confidence interval). Percentile CI;
        ``std_error`` is the bootstrap standard deviation.
    ci : float
        Confidence level of the bootstrap interval.
    seed : int or None
        Seed of ``numpy.random.default_rng`` for the bootstrap.

    Returns
    -------
    DataFrame
        One row: ``term`` ("alpha_<level>"), ``estimate, std_error, ci_low, ci_high,
        p_value`` (NaN), ``n_obs`` (pairable values), ``n_units`` (pairable units),
        ``n_coders, observed_disagreement, expected_disagreement, method``.

    Notes
    -----
    Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": coincidences
    o_ck = sum_u (number of c-k pairs in u) / (m_u - 1), n_c = sum_k o_ck,
    alpha = 1 - (n - 1) sum o_ck d2_ck / sum n_c n_k d2_ck with the nominal, ordinal
    (rank-based, on the observed values), interval and ratio difference functions.
    Checked against the worked example of that paper (alpha = 0.743 nominal, 0.815
    ordinal, 0.849 interval, 0.797 ratio). The bootstrap resamples units, a simpler
    scheme than Krippendorff's own (which resamples pairable values).

    Examples
    --------
    >>> d = pd.DataFrame({"unit": [1, 1, 2, 2, 3, 3, 4, 4], "coder": ["a", "b"] * 4, "v": [1, 1, 2, 2, 3, 3, 4, 3]})
    >>> round(float(krippendorff_alpha(d, "unit", "coder", "v", "nominal")["estimate"].iloc[0]), 3)
    0.696
    """
    require_columns(data, [units, coders, values], "krippendorff_alpha")
    _check_choice(level, "level", ("nominal", "ordinal", "interval", "ratio"))
    ci = _check_ci(ci)
    if not isinstance(n_boot, int) or n_boot < 0:
        raise ValueError(f"n_boot must be a non-negative integer, got {n_boot!r}")
    d = data[[units, coders, values]].dropna()
    dup = d.duplicated([units, coders])
    if dup.any():
        i = dup[dup].index[0]
        raise ValueError(
            f"krippendorff_alpha: coder {d.at[i, coders]!r} gave unit {d.at[i, units]!r} "
            f"more than one value (row {i!r})"
        )
    vals = d[values]
    if level != "nominal":
        num = pd.to_numeric(vals, errors="coerce")
        if num.isna().any():
            raise ValueError(f"krippendorff_alpha: level={level!r} needs numeric {values!r}")
        vals = num.astype(float)
        if level == "ratio" and (vals < 0).any():
            raise ValueError("krippendorff_alpha: ratio level needs non-negative values")
    u_codes, _ = pd.factorize(d[units])
    v_codes, v_uniques = pd.factorize(vals, sort=True)
    counts = sparse.csr_matrix(
        (np.ones(len(d)), (u_codes, v_codes)),
        shape=(int(u_codes.max(initial=-1)) + 1, len(v_uniques)),
    )
    m_u = np.asarray(counts.sum(axis=1)).ravel()
    pairable = m_u >= 2
    counts = counts[pairable]
    base = {
        "term": f"alpha_{level}",
        "estimate": np.nan,
        "std_error": np.nan,
        "ci_low": np.nan,
        "ci_high": np.nan,
        "p_value": np.nan,
        "n_obs": int(m_u[pairable].sum()),
        "n_units": int(pairable.sum()),
        "n_coders": int(d[coders].nunique()),
        "observed_disagreement": np.nan,
        "expected_disagreement": np.nan,
        "method": f"krippendorff_{level}",
    }
    if counts.shape[0] == 0 or len(v_uniques) < 2:
        return tidy_frame([base])
    values_arr = (
        np.asarray(v_uniques, dtype=float) if level != "nominal" else np.arange(len(v_uniques))
    )
    alpha, d_o, d_e, _ = _kalpha(counts, np.ones(counts.shape[0]), values_arr, level)
    base.update(estimate=alpha, observed_disagreement=d_o, expected_disagreement=d_e)
    if n_boot > 0:
        rng = np.random.default_rng(seed)
        n_u = counts.shape[0]
        boots = np.empty(n_boot)
        for b in range(n_boot):
            mult = np.bincount(rng.integers(0, n_u, n_u), minlength=n_u).astype(float)
            boots[b] = _kalpha(counts, mult, values_arr, level)[0]
        boots = boots[np.isfinite(boots)]
        if len(boots) > 1:
            a = 1 - ci
            base.update(
                std_error=float(boots.std(ddof=1)),
                ci_low=float(np.quantile(boots, a / 2)),
                ci_high=float(np.quantile(boots, 1 - a / 2)),
                method=f"krippendorff_{level}_bootstrap_units",
            )
    return tidy_frame([base])
