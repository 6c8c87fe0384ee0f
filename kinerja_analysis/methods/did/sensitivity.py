"""Sensitivity of an event study to violations of parallel trends (Rambachan & Roth 2023).

Given event-study estimates ``betahat`` (``n_pre`` pre-period coefficients, the reference
period left out, then ``n_post`` post-period ones) and their covariance ``sigma``, the
target ``theta = l' tau_post`` is only set-identified once the post-treatment trend of the
comparison group may differ from the pre-treatment one by an unknown ``delta``. Two
families of restrictions on ``delta`` (Rambachan & Roth 2023, *Review of Economic
Studies* 90(5):2555–2591):

- **relative magnitudes** ``Delta^RM(Mbar)``: no post-treatment change in the violation
  exceeds ``Mbar`` times the largest pre-treatment one. Confidence sets by the
  conditional-least-favourable hybrid test of Andrews, Roth & Pakes (2023) ("C-LF"),
  on a grid of ``theta`` — widened beyond HonestDiD's ±20 SE until the set no longer
  touches its ends (up to :data:`GRID_CAP_SD` SE); a bound still at an end is marked
  censored (printed "≥ x"), never passed off as a bound of the set;
- **smoothness** ``Delta^SD(M)``: the violation's slope changes by at most ``M`` per
  period. Fixed-length confidence intervals ("FLCI", Armstrong & Kolesár 2018).

:func:`honest_did` computes the robust intervals over a range of ``Mbar`` (or ``M``) and
the **breakdown value**: the largest ``Mbar`` (``M``) at which the robust set still
excludes zero — the conclusion survives a post-treatment violation up to ``Mbar`` times
the largest pre-treatment one.

Why written here
----------------
The algorithms are those of the R package HonestDiD (version 0.2.6), which is the
reference: its published examples and our own inputs run through it
(``tests/data/honestdid/``). Three Python ports on PyPI were checked against it: none
reproduces its published README to the printed precision (their FLCIs differ by 2–5e-5,
their C-LF intervals by one or two grid steps, one does not implement C-LF), so the
method is written here with numpy/scipy. Two choices make it reproduce R exactly rather
than in distribution:

- the simulations HonestDiD makes (1,000 draws for the least-favourable critical value,
  10^6 draws for the folded-normal quantile of the FLCI), each after ``set.seed(0)``,
  are drawn from an emulation of R's default generator (Mersenne-Twister seeded by
  ``set.seed``, normals by inversion; :func:`r_rnorm`), so the same numbers come out;
- the linear programs of the ARP test are solved exactly by enumerating the vertices of
  their dual polytope, which is also how the conditioning bounds (``vlo``, ``vup``) are
  found (R bisects for them to 1e-6).

Examples
--------
>>> import numpy as np
>>> beta = np.array([0.01, -0.02, 0.0, 0.30, 0.35])  # 3 pre, 2 post periods
>>> sigma = np.diag([0.02, 0.02, 0.02, 0.03, 0.03]) ** 2
>>> res = honest_did(beta, sigma, 3, 2, delta="relative_magnitudes", values=[0, 1], grid_points=101)
>>> bool(res.intervals["lb"].iloc[0] > 0)
True
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd
from scipy import optimize, special

from kinerja_analysis.core.errors import NotEstimable
from kinerja_analysis.core.results import Result, check_tidy, tidy_frame

__all__ = [
    "r_rnorm",
    "r_rmvnorm",
    "original_ci",
    "relative_magnitudes_ci",
    "RMConfidenceSet",
    "GRID_CAP_SD",
    "smoothness_flci",
    "SensitivityResult",
    "honest_did",
]

Delta = Literal["relative_magnitudes", "smoothness"]

# --------------------------------------------------------------------------------------
# R's random numbers (Mersenne-Twister + inversion), so HonestDiD's simulations agree
# --------------------------------------------------------------------------------------
_I2_32M1 = 2.328306437080797e-10  # 1 / (2^32 - 1)
_BIG = 134217728.0  # 2^27


def _r_mt_state(seed: int) -> np.ndarray:
    """The Mersenne-Twister state R's ``set.seed(seed)`` creates (``RNG_Init``)."""
    s = int(seed) & 0xFFFFFFFF
    for _ in range(50):
        s = (69069 * s + 1) & 0xFFFFFFFF
    out = np.empty(625, dtype=np.uint32)
    for j in range(625):
        s = (69069 * s + 1) & 0xFFFFFFFF
        out[j] = s
    return out[1:]  # i_seed[0] is mti; set to 624 (regenerate on first use)


def _r_unif(n: int, seed: int) -> np.ndarray:
    bg = np.random.MT19937()
    st = bg.state
    st["state"] = {"key": _r_mt_state(seed), "pos": 624}
    bg.state = st
    u = bg.random_raw(n).astype(np.float64) * 2.3283064365386963e-10
    u[u <= 0.0] = 0.5 * _I2_32M1
    u[1.0 - u <= 0.0] = 1.0 - 0.5 * _I2_32M1
    return u


def r_rnorm(n: int, seed: int = 0) -> np.ndarray:
    """``set.seed(seed); rnorm(n)`` of R (default generators): the same uniforms bit for
    bit; the normal quantile (scipy's vs R's ``qnorm``) may differ in the last bit.

    >>> np.round(r_rnorm(3), 7)
    array([ 1.2629543, -0.3262334,  1.3297993])
    """
    u = _r_unif(2 * n, seed)
    v = (np.floor(_BIG * u[0::2]) + u[1::2]) / _BIG
    return special.ndtri(v)


def r_rmvnorm(n: int, sigma: np.ndarray, seed: int = 0) -> np.ndarray:
    """``set.seed(seed); mvtnorm::rmvnorm(n, sigma = sigma)`` (method "eigen").

    >>> r_rmvnorm(2, np.eye(2), seed=1).round(4).tolist()
    [[-0.6265, 0.1836], [-0.8356, 1.5953]]
    """
    w, v = np.linalg.eigh(sigma)
    root = (v * np.sqrt(np.maximum(w, 0.0))) @ v.T
    return r_rnorm(n * sigma.shape[0], seed).reshape(n, sigma.shape[0]) @ root


@lru_cache(maxsize=1)
def _fold_draws() -> np.ndarray:
    """HonestDiD's ``.qfoldednormal`` draws: ``set.seed(0); rnorm(1e6)``."""
    return r_rnorm(10**6, 0)


@lru_cache(maxsize=1)
def _fold_draws_sorted() -> np.ndarray:
    return np.sort(_fold_draws())


def _qfoldednormal(p: float, mu: float) -> float:
    """``p`` quantile of ``|N(mu, 1)|`` as HonestDiD computes it (10^6 R draws, type 7).

    The same number as ``np.quantile(np.abs(draws + mu), p)`` (the test compares them
    exactly), without its pass over the million draws: the FLCI's search for the
    optimal ``h`` asks for it thousands of times with another ``mu`` each time, and the
    partition took 10 ms a call (2.5 minutes of one shared run's rollout sensitivity on
    a 400-ASN city). With the draws sorted once, ``|d + mu|`` is two sorted runs — the
    draws below ``-mu`` negated in reverse, and the rest — and its ``k``-th smallest
    value is found by bisection over how many come from each run (no library selects
    an order statistic of two sorted arrays without merging them). The interpolation is
    NumPy's "linear" method (Hyndman & Fan type 7) written out as NumPy computes it.
    """
    s = _fold_draws_sorted()
    n = s.size
    mu = float(mu)
    # j: how many draws d have d + mu < 0 (d + mu rises with d, as rounded sums do)
    lo, hi = 0, n
    while lo < hi:
        mid = (lo + hi) // 2
        if float(s[mid]) + mu < 0:
            lo = mid + 1
        else:
            hi = mid
    j = lo

    def neg(t: int) -> float:  # t-th smallest of |d + mu| among d + mu < 0
        return -(float(s[j - 1 - t]) + mu) if t < j else math.inf

    def pos(t: int) -> float:  # t-th smallest among d + mu >= 0
        return float(s[j + t]) + mu if t < n - j else math.inf

    def order_stats(k: int) -> tuple[float, float]:
        """The k-th and (k+1)-th smallest (0-based) of the two runs together."""
        a, b = max(0, k + 1 - (n - j)), min(k + 1, j)
        while True:
            i = (a + b) // 2  # taken from the negative run; k + 1 - i from the other
            m = k + 1 - i
            if i < b and pos(m - 1) > neg(i):
                a = i + 1
            elif i > a and neg(i - 1) > pos(m):
                b = i - 1
            else:
                left = max(neg(i - 1) if i > 0 else -math.inf, pos(m - 1) if m > 0 else -math.inf)
                return left, min(neg(i), pos(m))

    # numpy's "linear": virtual index (n - 1) p, then _lerp
    vi = (n - 1) * p
    k = math.floor(vi)
    if k >= n - 1:
        return order_stats(n - 1)[0]
    gamma = vi - k
    x0, x1 = order_stats(k)
    diff = x1 - x0
    return float(x1 - diff * (1 - gamma)) if gamma >= 0.5 else float(x0 + diff * gamma)


def _qtruncnorm(p: float, lo: float, hi: float) -> float:
    """Quantile of the standard normal truncated to ``[lo, hi]`` (``TruncatedNormal::norminvp``).

    Computed on the lower tail (mirrored when ``lo > 0``) so that bounds far in a tail
    keep their precision; beyond where the normal CDF underflows, the exponential tail
    approximation ``lo + E/lo``.
    """
    if not lo < hi:
        return lo
    if lo > 0:
        return -_qtruncnorm(1.0 - p, -hi, -lo)
    a, b = special.ndtr(lo), special.ndtr(hi)
    if b - a > 0:
        x = float(special.ndtri(a + p * (b - a)))
        return min(max(x, lo), hi)
    # both bounds beyond about -38: the density is exp(-x^2/2) ~ exp(-lo (x - lo)) near hi
    s = -hi  # mirror: truncated to [s, -lo] with s > 37
    t = -math.log1p(-(1 - p) * -math.expm1(-s * (hi - lo))) / s
    return -(s + t)


# --------------------------------------------------------------------------------------
# the restriction sets Delta (as A delta <= d), HonestDiD's .create_A_RM / _SDRM / _SD
# --------------------------------------------------------------------------------------
def _first_diff(n: int) -> np.ndarray:
    a = np.zeros((n - 1, n))
    for r in range(n - 1):
        a[r, r : r + 2] = (-1.0, 1.0)
    return a


def _a_rm(n_pre: int, n_post: int, mbar: float, s: int, positive: bool) -> np.ndarray:
    """Rows of ``Delta^RM_{s,±}(Mbar)``: ``|first difference_t| <= (Mbar) v_s delta``."""
    T = n_pre + n_post + 1
    at = _first_diff(T)
    v = np.zeros(T)
    v[n_pre + s - 1 : n_pre + s + 1] = (-1.0, 1.0)
    if not positive:
        v = -v
    ub = np.vstack([np.tile(v, (n_pre, 1)), np.tile(mbar * v, (n_post, 1))])
    a = np.vstack([at - ub, -at - ub])
    a = a[np.einsum("ij,ij->i", a, a) > 1e-10]
    return np.delete(a, n_pre, axis=1)


def _a_sdrm(n_pre: int, n_post: int, mbar: float, s: int, positive: bool) -> np.ndarray:
    """Rows of ``Delta^SDRM_{s,±}(Mbar)`` (second differences relative to the pre-period's)."""
    T = n_pre + n_post + 1
    at = np.zeros((T - 2, T))
    for r in range(T - 2):
        at[r, r : r + 3] = (1.0, -2.0, 1.0)
    v = np.zeros(T)
    v[n_pre + s - 2 : n_pre + s + 1] = (1.0, -2.0, 1.0)
    if not positive:
        v = -v
    ub = np.vstack([np.tile(v, (n_pre - 1, 1)), np.tile(mbar * v, (n_post, 1))])
    a = np.vstack([at - ub, -at - ub])
    a = a[np.einsum("ij,ij->i", a, a) > 1e-10]
    return np.delete(a, n_pre, axis=1)


# --------------------------------------------------------------------------------------
# the ARP test with nuisance parameters (Andrews, Roth & Pakes 2023), exact LPs
# --------------------------------------------------------------------------------------
_MAX_BASES = 400_000


def _vertices(w: np.ndarray) -> np.ndarray | None:
    """Vertices of ``{lam >= 0 : W' lam = e1}`` (rows), or None if too many to enumerate.

    Each vertex is a basic feasible solution: ``k + 1`` rows of ``W`` (``W`` is m × (k+1))
    whose square system ``W_B' lam_B = e1`` has a non-negative solution.
    """
    m, q = w.shape
    if math.comb(m, q) > _MAX_BASES:
        return None
    e1 = np.zeros(q)
    e1[0] = 1.0
    out = []
    combos = np.array(list(itertools.combinations(range(m), q)), dtype=int)
    if combos.size == 0:
        return np.zeros((0, m))
    mats = np.transpose(w[combos], (0, 2, 1))  # (n_bases, q, q) = W_B'
    det = np.linalg.det(mats)
    scale = np.abs(mats).max(axis=(1, 2)) ** q
    ok = np.abs(det) > 1e-12 * np.maximum(scale, 1e-300)
    if ok.any():
        sol = np.linalg.solve(mats[ok], np.broadcast_to(e1, (int(ok.sum()), q))[..., None])[..., 0]
        feas = (sol >= -1e-12).all(axis=1)
        for b, lam_b in zip(combos[ok][feas], sol[feas], strict=True):
            lam = np.zeros(m)
            lam[b] = np.maximum(lam_b, 0.0)
            out.append(lam)
    if not out:
        return np.zeros((0, m))
    v = np.unique(np.round(np.array(out), 12), axis=0)
    return v


def _lp_eta(y: np.ndarray, x: np.ndarray, sd: np.ndarray) -> tuple[float, np.ndarray | None]:
    """``min eta s.t. y - X delta <= eta sd`` by scipy (HiGHS): eta and the dual lambda."""
    k = x.shape[1]
    c = np.r_[1.0, np.zeros(k)]
    a = -np.column_stack([sd, x])
    res = optimize.linprog(c, A_ub=a, b_ub=-y, bounds=[(None, None)] * (k + 1), method="highs")
    if res.status != 0:
        return np.nan, None
    return float(res.fun), -np.asarray(res.ineqlin.marginals)


class _Dual:
    """The dual polytope of the ARP linear program for fixed ``X`` and ``sigma``."""

    def __init__(self, x: np.ndarray, sigma: np.ndarray):
        self.x = x
        self.sigma = sigma
        self.sd = np.sqrt(np.diag(sigma))
        self.w = np.column_stack([self.sd, x])
        self.v = _vertices(self.w)

    def eta(self, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """LP optimum and dual solution for each column of ``y`` (m × n)."""
        if self.v is None:
            etas, lams = [], []
            for j in range(y.shape[1]):
                e, lam = _lp_eta(y[:, j], self.x, self.sd)
                etas.append(e)
                lams.append(lam if lam is not None else np.full(y.shape[0], np.nan))
            return np.array(etas), np.column_stack(lams)
        if self.v.shape[0] == 0:
            n = y.shape[1]
            return np.full(n, np.nan), np.full((y.shape[0], n), np.nan)
        vals = self.v @ y
        best = np.argmax(vals, axis=0)
        return vals[best, np.arange(y.shape[1])], self.v[best].T

    def eta_points(self, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`eta` of each row of ``ys`` (one point's ``y`` per row, C-contiguous)
        exactly as ``eta(ys[j][:, None])`` gives it, the call :func:`_arp_test` makes:
        each point's product with the vertices on its own, on a contiguous vector (a
        product of all points at once, or of a strided column, takes another BLAS kernel
        whose last bits differ, and at exact ties the chosen vertex would depend on the
        other points; reviews helper-75 and helper-76), the choice of vertex for all
        points at once. Returns the optima (one per row) and the dual solutions (one
        column per row)."""
        n = ys.shape[0]
        if self.v is None or self.v.shape[0] == 0:
            return self.eta(np.ascontiguousarray(ys.T))
        vals = np.empty((self.v.shape[0], n))
        for j in range(n):
            vals[:, j : j + 1] = self.v @ ys[j][:, None]
        best = np.argmax(vals, axis=0)
        return vals[best, np.arange(n)], self.v[best].T

    def value(self, a: np.ndarray) -> float:
        """``max_lam lam' a`` over the polytope."""
        if self.v is None:
            res = optimize.linprog(
                -a, A_eq=self.w.T, b_eq=np.r_[1.0, np.zeros(self.w.shape[1] - 1)], method="highs"
            )
            return float(-res.fun) if res.status == 0 else np.nan
        return float(np.max(self.v @ a))


def _vlo_vup_dual(dual: _Dual, eta: float, gamma: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Conditioning bounds of the dual approach (ARP 2023, Appendix; exact, not bisected).

    With ``b = sigma gamma / gamma' sigma gamma`` and ``s = y - b gamma' y``, the LP value
    at ``s + b c`` equals ``c`` exactly on ``[vlo, vup]``.
    """
    sig = dual.sigma
    gsg = float(gamma @ sig @ gamma)
    b = sig @ gamma / gsg
    s = y - b * float(gamma @ y)
    sigma_b = math.sqrt(gsg)
    low0, high0 = min(-100.0, eta - 20 * sigma_b), max(100.0, eta + 20 * sigma_b)
    if abs(eta - dual.value(s + b * eta)) > 1e-6:
        return eta, np.inf
    if dual.v is None:
        return _vlo_vup_bisect(dual, eta, s, b, low0, high0)
    av = dual.v @ s
    bv = dual.v @ b
    one = 1.0 - bv
    with np.errstate(divide="ignore", invalid="ignore"):
        r = av / one
    pos, neg = one > 1e-12, one < -1e-12
    vlo = float(np.max(r[pos])) if pos.any() else -np.inf
    vup = float(np.min(r[neg])) if neg.any() else np.inf
    if vup >= high0:
        vup = np.inf
    if vlo <= low0:
        vlo = -np.inf
    return vlo, vup


def _vlo_vup_bisect(dual: _Dual, eta, s, b, low0, high0) -> tuple[float, float]:
    """The same bounds by bisection (only when the vertices are too many to enumerate)."""

    def sol(c: float) -> bool:
        return abs(c - dual.value(s + b * c)) <= 1e-6

    def edge(inside: float, outside: float) -> float:
        for _ in range(200):
            mid = (inside + outside) / 2
            inside, outside = (mid, outside) if sol(mid) else (inside, mid)
            if abs(outside - inside) < 1e-6:
                break
        return (inside + outside) / 2

    vup = np.inf if sol(high0) else edge(eta, high0)
    vlo = -np.inf if sol(low0) else edge(eta, low0)
    return vlo, vup


def _lf_cv(dual: _Dual, kappa: float, sims: int = 1000) -> float:
    """Least-favourable critical value (HonestDiD ``.compute_least_favorable_cv``)."""
    xi = r_rmvnorm(sims, dual.sigma, 0)
    eta, _ = dual.eta(xi.T)
    eta = eta[np.isfinite(eta)]
    return float(np.quantile(eta, 1 - kappa))


def _arp_test(dual: _Dual, y: np.ndarray, alpha: float, kappa: float, lf_cv: float | None) -> bool:
    """Reject ``E[y - X delta] <= 0`` for all delta? (``.lp_conditional_test_fn``)."""
    eta_arr, lam_arr = dual.eta(y[:, None])
    return _arp_decide(dual, y, float(eta_arr[0]), lam_arr[:, 0], alpha, kappa, lf_cv)


def _arp_decide(
    dual: _Dual,
    y: np.ndarray,
    eta: float,
    lam: np.ndarray,
    alpha: float,
    kappa: float,
    lf_cv: float | None,
) -> bool:
    """:func:`_arp_test` given the LP's optimum ``eta`` and dual solution ``lam`` at ``y``."""
    if not np.isfinite(eta):
        return False
    if lf_cv is not None:
        mod_size = (alpha - kappa) / (1 - kappa)
        if eta > lf_cv:
            return True
    else:
        mod_size = alpha
    sig, x, sd = dual.sigma, dual.x, dual.sd
    k = x.shape[1]
    b_idx = lam > 1e-6
    degenerate = int(b_idx.sum()) != k + 1
    x_b = x[b_idx]
    full = x_b.size > 0 and np.linalg.matrix_rank(x_b) == min(x_b.shape)
    if degenerate or not full:
        gsg = float(lam @ sig @ lam)
        if abs(gsg) < np.finfo(float).eps:
            return eta > 0
        vlo, vup = _vlo_vup_dual(dual, eta, lam, y)
        sigma_b = math.sqrt(gsg)
    else:
        m = sig.shape[0]
        mb = np.column_stack([sd[b_idx], x_b])
        mb_inv = np.linalg.inv(mb)
        s_b = np.eye(m)[b_idx]
        s_bc = np.eye(m)[~b_idx]
        gamma_b = np.column_stack([sd[~b_idx], x[~b_idx]]) @ mb_inv @ s_b - s_bc
        v_b = (mb_inv[0] @ s_b).ravel()
        sigma2_b = float(v_b @ sig @ v_b)
        if abs(sigma2_b) < np.finfo(float).eps:  # as the degenerate branch: no variance
            return eta > 0
        sigma_b = math.sqrt(sigma2_b)
        rho = gamma_b @ sig @ v_b / sigma2_b
        mm = (-gamma_b @ y) / rho + float(v_b @ y)
        vlo = float(np.max(mm[rho > 0])) if (rho > 0).any() else -np.inf
        vup = float(np.min(mm[rho < 0])) if (rho < 0).any() else np.inf
    zlo = vlo / sigma_b
    zup = (min(vup, lf_cv) if lf_cv is not None else vup) / sigma_b
    stat = eta / sigma_b
    if not (zlo <= stat <= zup):
        return False
    cval = max(0.0, _qtruncnorm(1 - mod_size, zlo, zup))
    return bool(stat > cval)


def _construct_gamma(l_vec: np.ndarray) -> np.ndarray:
    """Invertible matrix with ``l'`` as its first row (HonestDiD ``.construct_Gamma``)."""
    t = len(l_vec)
    rows = [np.asarray(l_vec, float)]
    for j in range(t):
        if len(rows) == t:
            break
        cand = np.zeros(t)
        cand[j] = 1.0
        if np.linalg.matrix_rank(np.vstack([*rows, cand])) > len(rows):
            rows.append(cand)
    return np.vstack(rows)


# --------------------------------------------------------------------------------------
# no nuisance parameter (one post period): .testInIdentifiedSet_LF_Hybrid
# --------------------------------------------------------------------------------------
def _lf_cv_no_nuisance(sigma_a: np.ndarray, kappa: float, sims: int = 1000) -> float:
    xi = r_rmvnorm(sims, sigma_a, 0) / np.sqrt(np.diag(sigma_a))
    return float(np.quantile(xi.max(axis=1), 1 - kappa))


def _test_no_nuisance(y, sigma, a, d, alpha, kappa, lf_cv) -> bool:
    sd_t = np.sqrt(np.diag(a @ sigma @ a.T))
    at = a / sd_t[:, None]
    dt = d / sd_t
    mom = at @ y - dt
    loc = int(np.argmax(mom))
    if mom[loc] > lf_cv:
        return True
    gamma = at[loc]
    abar = at - at[loc][None, :]
    dbar = dt - dt[loc]
    gsg = float(gamma @ sigma @ gamma)
    sigmabar = math.sqrt(gsg)
    c = sigma @ gamma / gsg
    z = y - c * float(gamma @ y)
    ac = abar @ c
    obj = (dbar - abar @ z) / np.where(ac == 0, np.nan, ac)
    vlo = float(np.max(obj[ac < 0])) if (ac < 0).any() else -np.inf
    vup = float(np.min(obj[ac > 0])) if (ac > 0).any() else np.inf
    alpha_t = (alpha - kappa) / (1 - kappa)
    mu = dt[loc]
    cv = max(
        0.0, mu + sigmabar * _qtruncnorm(1 - alpha_t, (vlo - mu) / sigmabar, (vup - mu) / sigmabar)
    )
    return bool(mom[loc] + dt[loc] > cv)


# --------------------------------------------------------------------------------------
# relative magnitudes: the C-LF confidence set
# --------------------------------------------------------------------------------------
@dataclass
class _FixedS:
    """One (s, sign) piece of Delta^RM: everything that does not depend on theta."""

    y0: np.ndarray
    a1: np.ndarray
    dual: _Dual | None
    rows: np.ndarray
    lf_cv: float | None
    # no-nuisance case
    a: np.ndarray | None = None
    d: np.ndarray | None = None


def _prepare(betahat, sigma, n_pre, n_post, l_vec, a, kappa) -> _FixedS:
    d = np.zeros(a.shape[0])
    post = np.arange(n_pre, n_pre + n_post)
    if n_post == 1:
        rows = np.flatnonzero(a[:, -1] != 0)
        a, d = a[rows], d[rows]
        sa = a @ sigma @ a.T
        return _FixedS(np.zeros(0), np.zeros(0), None, rows, _lf_cv_no_nuisance(sa, kappa), a, d)
    rows = np.flatnonzero((a[:, post] != 0).any(axis=1))
    gamma = _construct_gamma(l_vec)
    agi = a[:, post] @ np.linalg.inv(gamma)
    y0 = a @ betahat - d
    sig_y = a @ sigma @ a.T
    dual = _Dual(agi[rows][:, 1:], sig_y[np.ix_(rows, rows)])
    return _FixedS(y0, agi[:, 0], dual, rows, _lf_cv(dual, kappa))


def _accepts(fs: _FixedS, betahat, sigma, n_pre, theta, alpha, kappa) -> bool:
    if fs.dual is None:
        y = betahat.copy()
        y[n_pre] -= theta
        return not _test_no_nuisance(y, sigma, fs.a, fs.d, alpha, kappa, fs.lf_cv)
    y = (fs.y0 - fs.a1 * theta)[fs.rows]
    return not _arp_test(fs.dual, y, alpha, kappa, fs.lf_cv)


def _accepts_many(fs: _FixedS, betahat, sigma, n_pre, thetas, alpha, kappa) -> np.ndarray:
    """:func:`_accepts` at each of ``thetas``: the linear program of each point as
    :func:`_arp_test` solves it, then the test's conditional part only at the points that
    neither have no solution nor exceed the least-favourable value.

    Each point's program is solved on its own column (:meth:`_Dual.eta_points`), not
    as one product of all the columns: at exact ties between vertices (``Mbar = 0``,
    pre-period coefficients exactly 0) the chosen vertex, and so the decision, would
    otherwise depend on how many points were tested together (review helper-75).
    """
    if fs.dual is None:
        return np.array([_accepts(fs, betahat, sigma, n_pre, th, alpha, kappa) for th in thetas])
    # one point's y per row, each contiguous as _accepts makes it (a strided column
    # takes another BLAS dot product in _arp_decide: last bits, and edge points, differ)
    thetas = np.asarray(thetas, dtype=float)
    ys = np.ascontiguousarray((fs.y0[None, :] - fs.a1[None, :] * thetas[:, None])[:, fs.rows])
    etas, lams = fs.dual.eta_points(ys)
    accept = ~np.isfinite(etas)  # no solution: not rejected (_arp_decide)
    rejected = ~accept & (etas > fs.lf_cv) if fs.lf_cv is not None else np.zeros_like(accept)
    for j in np.flatnonzero(~accept & ~rejected):
        lam = np.ascontiguousarray(lams[:, j])
        accept[j] = not _arp_decide(fs.dual, ys[j], float(etas[j]), lam, alpha, kappa, fs.lf_cv)
    return accept


def _accepted_anywhere(pieces: list[_FixedS], betahat, sigma, n_pre, thetas, alpha, kappa):
    """Whether any piece accepts each of ``thetas`` (a point accepted by one piece is not
    tested by the next)."""
    thetas = np.asarray(thetas, dtype=float)
    accept = np.zeros(len(thetas), dtype=bool)
    for fs in pieces:
        todo = np.flatnonzero(~accept)
        if not len(todo):
            break
        accept[todo] = _accepts_many(fs, betahat, sigma, n_pre, thetas[todo], alpha, kappa)
    return accept


def _pieces(betahat, sigma, n_pre, n_post, l_vec, mbar, kappa, bound) -> list[_FixedS]:
    if bound == "deviation from linear trend":
        if n_pre < 2:
            raise ValueError("Delta^SDRM needs at least 2 pre-periods")
        s_range, make = range(-(n_pre - 2), 1), _a_sdrm
    else:
        s_range, make = range(-(n_pre - 1), 1), _a_rm
    return [
        _prepare(betahat, sigma, n_pre, n_post, l_vec, make(n_pre, n_post, mbar, s, pos), kappa)
        for s in s_range
        for pos in (True, False)
    ]


def _check_inputs(betahat, sigma, n_pre, n_post, l_vec):
    b = np.asarray(betahat, float).ravel()
    s = np.asarray(sigma, float)
    if s.shape != (b.size, b.size):
        raise ValueError(f"sigma must be {b.size} x {b.size}, got {s.shape}")
    if n_pre + n_post != b.size or n_pre < 1 or n_post < 1:
        raise ValueError(f"n_pre + n_post must equal len(betahat) = {b.size}")
    lv = np.zeros(n_post) if l_vec is None else np.asarray(l_vec, float).ravel()
    if l_vec is None:
        lv[0] = 1.0
    if lv.size != n_post:
        raise ValueError(f"l_vec must have length n_post = {n_post}")
    return b, s, lv


#: Eigenvalues of the event study's covariance below this share of the largest count as
#: zero (:func:`_check_full_rank`).
RANK_TOL = 1e-10


def _check_full_rank(sigma: np.ndarray) -> None:
    """Refuse a covariance matrix of the event-study coefficients that is singular.

    Both sensitivity analyses of Rambachan & Roth (2023) take ``sigma`` as the estimates'
    joint sampling variance; a singular one (an estimate from one cluster or cohort, so
    that some combination of coefficients seems known exactly) makes the FLCI's
    smallest standard deviation zero — a confidence interval of zero length at ``M = 0``
    and a division by zero in HonestDiD's optimal-length search — and the C-LF test's
    inverse undefined. That is a property of the data, not of the method.

    Raises
    ------
    NotEstimable
        ``reason="singular_vcov"``, with ``facts`` ``rank`` and ``size``.
    """
    eig = np.linalg.eigvalsh((sigma + sigma.T) / 2)
    top = float(eig.max()) if eig.size else 0.0
    rank = int((eig > RANK_TOL * top).sum()) if top > 0 else 0
    if rank < sigma.shape[0]:
        raise NotEstimable(
            f"the event-study covariance matrix is singular (rank {rank} of {sigma.shape[0]})",
            reason="singular_vcov",
            facts={"rank": rank, "size": int(sigma.shape[0])},
        )


def _sd_theta(sigma, n_pre, n_post, l_vec) -> float:
    post = slice(n_pre, n_pre + n_post)
    return float(math.sqrt(l_vec @ sigma[post, post] @ l_vec))


class RMConfidenceSet(NamedTuple):
    """A C-LF confidence set on its grid (:func:`relative_magnitudes_ci`).

    ``lb, ub``: the smallest and largest accepted grid values (NaN when none is
    accepted); ``grid`` (ascending) and ``accept`` (its accept flags). A bound whose
    grid end is itself accepted is *censored*: the set reaches at least that far and the
    value is a limit of the search, not a bound of the set (``lb_censored``,
    ``ub_censored``; print it as "≤ lb" / "≥ ub").
    """

    lb: float
    ub: float
    grid: np.ndarray
    accept: np.ndarray

    @property
    def lb_censored(self) -> bool:
        return bool(self.accept.size and self.accept[0])

    @property
    def ub_censored(self) -> bool:
        return bool(self.accept.size and self.accept[-1])


#: How far the grid of a C-LF set is widened, in standard errors of the estimate on
#: either side of it, before a bound is reported as censored.
GRID_CAP_SD = 1000.0


def relative_magnitudes_ci(
    betahat: np.ndarray,
    sigma: np.ndarray,
    n_pre: int,
    n_post: int,
    mbar: float,
    *,
    l_vec: np.ndarray | None = None,
    alpha: float = 0.05,
    grid_points: int = 1000,
    grid_lb: float | None = None,
    grid_ub: float | None = None,
    bound: str = "deviation from parallel trends",
    cap_sd: float = GRID_CAP_SD,
) -> RMConfidenceSet:
    """C-LF confidence set for ``l' tau_post`` under ``Delta^RM(mbar)``.

    HonestDiD's ``computeConditionalCS_DeltaRM`` (``bound = "deviation from linear
    trend"``: ``Delta^SDRM``): the union over the location and sign of the largest
    pre-period violation of the ARP hybrid tests (``kappa = alpha / 10``), on a grid of
    ``grid_points`` values over ``[grid_lb, grid_ub]`` (default: HonestDiD's ±20 SD of
    the estimate around zero).

    HonestDiD reports the end of its grid as the bound when the set reaches it, a
    limit of the search printed as a statistical result. Here an end of the *default*
    grid that is accepted is pushed outwards: a segment as long as the whole grid so far,
    with ``grid_points // 2`` points, is added beyond it, until its far end is rejected
    or the grid reaches ``cap_sd`` SDs of ``l' betahat`` from the estimate. A bound the
    caller fixed (``grid_lb``/``grid_ub``) is not moved. A set that still reaches an end
    of the grid is marked censored (:class:`RMConfidenceSet`). Where the set lies inside
    the default grid nothing changes, so the result is HonestDiD's (tests compare them).

    Returns
    -------
    RMConfidenceSet
        ``(lb, ub, grid, accept)`` with ``lb_censored`` and ``ub_censored``.

    >>> b, s = np.array([0.1, 0.0, 1.0]), np.eye(3) * 0.04
    >>> lo, hi, grid, accept = relative_magnitudes_ci(b, s, n_pre=2, n_post=1, mbar=1.0)
    >>> bool(lo < 1.0 < hi)
    True
    >>> r = relative_magnitudes_ci(b, s, n_pre=2, n_post=1, mbar=8.0)
    >>> bool(r.ub > 20 * 0.2), r.ub_censored  # beyond HonestDiD's grid end (4.0), inside
    (True, False)
    >>> relative_magnitudes_ci(b, s, n_pre=2, n_post=1, mbar=8.0, cap_sd=20).ub_censored
    True
    """
    b, s, lv = _check_inputs(betahat, sigma, n_pre, n_post, l_vec)
    kappa = alpha / 10
    sd = _sd_theta(s, n_pre, n_post, lv)
    lo = -20 * sd if grid_lb is None else grid_lb
    hi = 20 * sd if grid_ub is None else grid_ub
    grid = np.linspace(lo, hi, grid_points)
    pieces = _pieces(b, s, n_pre, n_post, lv, mbar, kappa, bound)

    def test(points: np.ndarray) -> np.ndarray:
        return _accepted_anywhere(pieces, b, s, n_pre, points, alpha, kappa)

    accept = test(grid)
    est = float(lv @ b[n_pre:])
    top, bottom = est + cap_sd * sd, est - cap_sd * sd
    n_ext = max(grid_points // 2, 2)
    while grid_ub is None and accept[-1] and grid[-1] < top:
        ext = np.linspace(grid[-1], min(grid[-1] + (grid[-1] - grid[0]), top), n_ext + 1)[1:]
        grid, accept = np.r_[grid, ext], np.r_[accept, test(ext)]
    while grid_lb is None and accept[0] and grid[0] > bottom:
        ext = np.linspace(max(grid[0] - (grid[-1] - grid[0]), bottom), grid[0], n_ext + 1)[:-1]
        grid, accept = np.r_[ext, grid], np.r_[test(ext), accept]
    if not accept.any():
        return RMConfidenceSet(np.nan, np.nan, grid, accept)
    return RMConfidenceSet(float(grid[accept].min()), float(grid[accept].max()), grid, accept)


def _rm_rejects_zero(b, s, n_pre, n_post, lv, mbar, alpha, bound) -> bool:
    kappa = alpha / 10
    pieces = _pieces(b, s, n_pre, n_post, lv, mbar, kappa, bound)
    return not any(_accepts(fs, b, s, n_pre, 0.0, alpha, kappa) for fs in pieces)


# --------------------------------------------------------------------------------------
# smoothness: the optimal FLCI (HonestDiD findOptimalFLCI)
# --------------------------------------------------------------------------------------
class _Flci:
    """The FLCI problem for ``Delta^SD``: weights ``w`` on the pre-period coefficients."""

    def __init__(self, sigma, n_pre, n_post, l_vec):
        self.k = n_pre
        pre = slice(0, n_pre)
        post = slice(n_pre, n_pre + n_post)
        wl = np.eye(n_pre) - np.eye(n_pre, k=-1)  # w -> l_pre: l_k = w_k - w_{k-1}
        self.wl = wl
        self.q = wl.T @ sigma[pre, pre] @ wl
        self.lin = 2 * wl.T @ sigma[pre, post] @ l_vec
        self.const = float(l_vec @ sigma[post, post] @ l_vec)
        t = np.arange(1, n_post + 1)
        self.target = float(t @ l_vec)  # sum of w
        self.bias0 = float(
            sum(abs(np.arange(1, s + 1) @ l_vec[n_post - s :]) for s in range(1, n_post + 1))
            - self.target
        )
        self.l_vec = l_vec

    def var(self, w: np.ndarray) -> float:
        return float(w @ self.q @ w + self.lin @ w + self.const)

    def h0(self) -> float:
        w = np.zeros(self.k)
        w[-1] = self.target
        return math.sqrt(self.var(w))

    def _w_min(self) -> np.ndarray:
        """Weights of smallest variance with ``sum(w) = target`` (equality-constrained QP)."""
        one = np.ones(self.k)
        kkt = np.block([[2 * self.q, one[:, None]], [one[None, :], np.zeros((1, 1))]])
        return np.linalg.lstsq(kkt, np.r_[-self.lin, self.target], rcond=None)[0][: self.k]

    def h_min(self) -> float:
        """Smallest SD of an affine estimator of the target."""
        return math.sqrt(max(self.var(self._w_min()), 0.0))

    def _feasible_start(self, h: float) -> np.ndarray:
        """A point of the segment from the minimum-variance to the h0 weights inside var <= h^2."""
        w_lo = self._w_min()
        w_hi = np.zeros(self.k)
        w_hi[-1] = self.target
        if self.var(w_hi) <= h * h:
            return w_hi
        lo, hi = 0.0, 1.0  # var is convex along the segment; var(w_lo) is the minimum
        for _ in range(60):
            mid = (lo + hi) / 2
            if self.var(w_lo + mid * (w_hi - w_lo)) <= h * h * (1 - 1e-12):
                lo = mid
            else:
                hi = mid
        return w_lo + lo * (w_hi - w_lo)

    def _in_u(self):
        """The variance as a quadratic in the free cumulative weights ``v``.

        With ``u_k = sum_{j<=k} w_j`` (so ``u_K = target``) and ``v = u_{1..K-1}``:
        ``w = M v + m0`` and ``var = v'Pv + q'v + c``.
        """
        if getattr(self, "_u", None) is None:
            k = self.k
            d = np.eye(k) - np.eye(k, k=-1)  # w = D u
            m, m0 = d[:, : k - 1], d[:, k - 1] * self.target
            p = m.T @ self.q @ m
            q = 2 * m.T @ self.q @ m0 + m.T @ self.lin
            c = float(m0 @ self.q @ m0 + self.lin @ m0 + self.const)
            self._u = (m, m0, p, q, c)
        return self._u

    def bias(self, h: float) -> tuple[float, np.ndarray]:
        """Smallest worst-case bias (M = 1) with SD at most ``h``, and its weights.

        HonestDiD solves this convex program with ECOS. In the cumulative weights
        ``u_k = sum_{j<=k} w_j`` (``u_K`` fixed by ``sum(w)``) the bias is
        ``bias0 + |target| + ||v||_1`` over the ellipsoid ``var(v) <= h^2``; here it is
        solved exactly: on each face of the L1 ball (a support and a sign pattern) the
        minimum of a linear function over the ellipsoid is in closed form, and the
        optimum is the best face whose minimiser keeps its signs. Above 11 free weights
        (3^11 faces) SLSQP is used instead.
        """
        k = self.k
        if k == 1:
            w = np.array([self.target])
            ok = self.var(w) <= h * h * (1 + 1e-12)
            return (abs(self.target) + self.bias0 if ok else np.inf), w
        if k - 1 > 11:
            return self._bias_slsqp(h)
        m, m0, p, q, c = self._in_u()
        p_inv = np.linalg.inv(p)
        v0 = -p_inv @ q / 2
        r2 = h * h - c + v0 @ p @ v0
        if r2 < -1e-10 * max(h * h, abs(c), 1e-300):  # below the smallest variance
            return np.inf, m @ v0 + m0
        r2 = max(r2, 0.0)
        n = k - 1
        pv0 = p @ v0
        base = v0 @ pv0
        best_val, best_v = np.inf, v0
        for size in range(n + 1):
            for supp in itertools.combinations(range(n), size):
                a = list(supp)
                if not a:
                    if base <= r2 + 1e-10 * max(h * h, abs(c)):
                        best_val, best_v = 0.0, np.zeros(n)
                    continue
                paa = p[np.ix_(a, a)]
                paa_inv = np.linalg.inv(paa)
                x0 = paa_inv @ pv0[a]
                ra2 = r2 - base + x0 @ paa @ x0
                if ra2 < -1e-10 * max(h * h, abs(c)):
                    continue
                ra2 = max(ra2, 0.0)
                signs = np.array(list(itertools.product((-1.0, 1.0), repeat=size)))
                quad = np.einsum("ij,jk,ik->i", signs, paa_inv, signs)
                # s' P_aa^-1 s > 0 in exact arithmetic; a nearly singular block can round it
                # to zero or below: no point of that sign pattern, as a NaN would also say
                usable = quad > 0
                if not usable.any():
                    continue
                signs, quad = signs[usable], quad[usable]
                x = x0[None, :] - math.sqrt(ra2) * (signs @ paa_inv) / np.sqrt(quad)[:, None]
                ok = (signs * x >= -1e-12).all(axis=1)
                if not ok.any():
                    continue
                vals = np.abs(x).sum(axis=1)
                vals[~ok] = np.inf
                j = int(np.argmin(vals))
                if vals[j] < best_val:
                    best_val = float(vals[j])
                    best_v = np.zeros(n)
                    best_v[a] = x[j]
        if not np.isfinite(best_val):
            return np.inf, m @ v0 + m0
        w = m @ best_v + m0
        return float(best_val + abs(self.target) + self.bias0), w

    def _bias_slsqp(self, h: float) -> tuple[float, np.ndarray]:
        """The same program by SLSQP from feasible starting points (many pre-periods)."""
        k = self.k
        cum = np.tril(np.ones((k, k)))
        # variables z = (U, w): minimise sum(U) s.t. |cumsum(w)| <= U, sum(w) = target,
        # var(w) <= h^2
        cons = [
            {"type": "ineq", "fun": lambda z: z[:k] - cum @ z[k:], "jac": lambda z: np.hstack([np.eye(k), -cum])},
            {"type": "ineq", "fun": lambda z: z[:k] + cum @ z[k:], "jac": lambda z: np.hstack([np.eye(k), cum])},
            {"type": "eq", "fun": lambda z: np.array([z[k:].sum() - self.target]), "jac": lambda z: np.r_[np.zeros(k), np.ones(k)][None, :]},
            {"type": "ineq", "fun": lambda z: np.array([h * h - self.var(z[k:])]), "jac": lambda z: np.r_[np.zeros(k), -(2 * self.q @ z[k:] + self.lin)][None, :]},
        ]  # fmt: skip
        if h < self.h_min() * (1 - 1e-12):
            return np.inf, self._w_min()
        best_val, best_w = np.inf, self._w_min()
        for start in (self._feasible_start(h), self._w_min()):
            z0 = np.r_[np.abs(cum @ start), start]
            res = optimize.minimize(
                lambda z: z[:k].sum(),
                z0,
                jac=lambda z: np.r_[np.ones(k), np.zeros(k)],
                constraints=cons,
                method="SLSQP",
                options={"ftol": 1e-15, "maxiter": 5000},
            )
            w = res.x[k:]
            val = float(np.abs(cum @ w).sum())
            feasible = self.var(w) <= h * h * (1 + 1e-9) and abs(w.sum() - self.target) < 1e-9
            if feasible and val < best_val:
                best_val, best_w = val, w
        if not np.isfinite(best_val):
            start = self._feasible_start(h)
            best_val, best_w = float(np.abs(cum @ start).sum()), start
        return float(best_val + self.bias0), best_w

    def halflength(self, h: float, m: float, alpha: float) -> float:
        b, _ = self.bias(h)
        if not np.isfinite(b):
            return np.nan
        return _qfoldednormal(1 - alpha, m * b / h) * h


def _optimal_h(fl: _Flci, m: float, alpha: float, num_points: int = 100) -> float:
    """HonestDiD's ``.findOptimalCIDerivativeBisection`` (grid search if it fails)."""
    a, b = fl.h_min(), fl.h0()

    def f(h):
        return fl.halflength(h, m, alpha)

    dif = min((b - a) / num_points, abs(b) * np.finfo(float).eps ** (1 / 3))
    if dif <= 0:
        return b
    failtol = np.finfo(float).eps ** 0.5
    fa, fb = f(a), f(b)
    fpa = (f(a + dif) - fa) / dif
    fpb = (f(b - dif) - fb) / -dif
    maxiter = 10 * math.ceil(math.log(abs(b - a) / dif) / math.log(2))
    failed = fpa > fpb or np.isnan(fa) or np.isnan(fb)
    if not failed:
        if fpb < 0:
            return b
        if fpa > 0:
            return a
        it = 1
        while abs(b - a) > dif:
            it += 1
            x = (a + b) / 2
            fpx = (f(x + dif) - f(x - dif)) / (2 * dif)
            if fpx > fpb + failtol or fpx + failtol < fpa or it > maxiter:
                failed = True
                break
            if fpx > 0:
                b = x
            else:
                a = x
        if not failed:
            return (a + b) / 2
    grid = np.linspace(fl.h_min(), fl.h0(), num_points)
    vals = np.array([f(h) for h in grid])
    return float(grid[np.nanargmin(vals)])


def smoothness_flci(
    betahat: np.ndarray,
    sigma: np.ndarray,
    n_pre: int,
    n_post: int,
    m: float,
    *,
    l_vec: np.ndarray | None = None,
    alpha: float = 0.05,
) -> tuple[float, float]:
    """Optimal fixed-length CI for ``l' tau_post`` under ``Delta^SD(m)`` (HonestDiD FLCI).

    >>> b, s = np.array([0.1, 0.0, 1.0]), np.eye(3) * 0.04
    >>> lo, hi = smoothness_flci(b, s, n_pre=2, n_post=1, m=0.0)
    >>> lo0, hi0 = original_ci(b, s, n_pre=2, n_post=1)
    >>> bool(hi - lo >= hi0 - lo0)
    True
    """
    b, s, lv = _check_inputs(betahat, sigma, n_pre, n_post, l_vec)
    fl = _Flci(s, n_pre, n_post, lv)
    h = _optimal_h(fl, m, alpha)
    _, w = fl.bias(h)
    half = fl.halflength(h, m, alpha)
    center = float(np.r_[fl.wl @ w, lv] @ b)
    return center - half, center + half


def original_ci(
    betahat: np.ndarray,
    sigma: np.ndarray,
    n_pre: int,
    n_post: int,
    *,
    l_vec: np.ndarray | None = None,
    alpha: float = 0.05,
) -> tuple[float, float]:
    """The usual CI of ``l' tau_post`` under exact parallel trends (``constructOriginalCS``).

    >>> lo, hi = original_ci(np.array([0.1, 0.0, 1.0]), np.eye(3) * 0.04, n_pre=2, n_post=1)
    >>> round(lo, 3), round(hi, 3)
    (0.608, 1.392)
    """
    b, s, lv = _check_inputs(betahat, sigma, n_pre, n_post, l_vec)
    post = slice(n_pre, n_pre + n_post)
    est = float(lv @ b[post])
    se = _sd_theta(s, n_pre, n_post, lv)
    z = float(special.ndtri(1 - alpha / 2))
    return est - z * se, est + z * se


# --------------------------------------------------------------------------------------
# the public entry point
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SensitivityResult(Result):
    """Robust intervals over a range of violations, and the breakdown value.

    Attributes
    ----------
    intervals
        One row per value: ``value`` (``Mbar`` or ``M``), ``lb, ub``, ``method``
        (``C-LF`` / ``FLCI``), ``delta`` (``DeltaRM`` / ``DeltaSD``), ``lb_censored,
        ub_censored`` (True when the C-LF set still reaches the end of its widened grid:
        the bound is "≤ lb" / "≥ ub", :class:`RMConfidenceSet`; FLCIs and the original CI
        are closed forms, never censored); the first row is the original CI (``value``
        NaN, ``method`` "original").
    breakdown
        Largest ``Mbar`` (``M``) at which the robust set excludes zero (0 when even the
        original CI includes zero; ``inf`` up to ``max_value`` when never reached — then
        ``breakdown_censored`` is True).
    delta, estimate, n_pre, n_post, alpha
        What was analysed.
    """

    intervals: pd.DataFrame
    breakdown: float
    breakdown_censored: bool
    delta: str
    estimate: float
    n_pre: int
    n_post: int
    alpha: float

    def tidy(self) -> pd.DataFrame:
        """One row per value: ``term`` = ``original`` / ``mbar=0.5`` / ``m=0.01``;
        ``ci_low_censored``, ``ci_high_censored`` say that a bound is a limit of the
        search grid (the set reaches at least that far)."""
        iv = self.intervals
        key = "mbar" if self.delta == "relative_magnitudes" else "m"
        terms = ["original" if not np.isfinite(v) else f"{key}={v:g}" for v in iv["value"]]
        out = pd.DataFrame(
            {
                "term": terms,
                "estimate": self.estimate,
                "std_error": np.nan,
                "ci_low": iv["lb"],
                "ci_high": iv["ub"],
                "p_value": np.nan,
                "n_obs": None,
                "method": iv["method"],
                "value": iv["value"],
                "delta": iv["delta"],
                "ci_low_censored": iv["lb_censored"].astype(bool),
                "ci_high_censored": iv["ub_censored"].astype(bool),
            }
        )
        return check_tidy(tidy_frame(out))

    def glance(self) -> pd.DataFrame:
        """The breakdown value and what it refers to."""
        return pd.DataFrame(
            [
                {
                    "delta": self.delta,
                    "breakdown": self.breakdown,
                    "breakdown_censored": self.breakdown_censored,
                    "estimate": self.estimate,
                    "n_pre": self.n_pre,
                    "n_post": self.n_post,
                }
            ]
        )


def _bisect_breakdown(holds, hi: float, tol: float) -> tuple[float, bool]:
    """Largest value in ``[0, hi]`` at which ``holds`` (monotone: True then False)."""
    if not holds(0.0):
        return 0.0, False
    if holds(hi):
        return hi, True
    lo = 0.0
    while hi - lo > tol:
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if holds(mid) else (lo, mid)
    return lo, False


def honest_did(
    betahat: np.ndarray,
    sigma: np.ndarray,
    n_pre: int,
    n_post: int,
    *,
    delta: Delta = "relative_magnitudes",
    values: Sequence[float] | None = None,
    l_vec: np.ndarray | None = None,
    alpha: float = 0.05,
    grid_points: int = 1000,
    max_value: float | None = None,
    tol: float | None = None,
) -> SensitivityResult:
    """Rambachan & Roth (2023) sensitivity analysis of an event study.

    Parameters
    ----------
    betahat, sigma
        Event-study estimates (``n_pre`` pre-period coefficients without the reference
        period, then ``n_post`` post-period ones) and their covariance.
    delta
        ``"relative_magnitudes"`` (``Delta^RM``, C-LF sets) or ``"smoothness"``
        (``Delta^SD``, FLCIs).
    values
        ``Mbar`` (``M``) values for the table; default ``0, 0.5, …, 2`` (RM) or ten
        values from 0 to the largest pre-period second difference (SD).
    l_vec
        Weights of the post-period coefficients in the target (default: the first;
        ``np.full(n_post, 1 / n_post)`` for the average effect).
    grid_points
        Grid of the C-LF sets (HonestDiD's default 1,000; widened where a set reaches an
        end, :func:`relative_magnitudes_ci`).
    max_value, tol
        Range and precision of the breakdown search (RM: ``[0, 5]``, 0.01; SD: up to
        20 times the largest pre-period second difference, 1% of it).

    Returns
    -------
    SensitivityResult

    Raises
    ------
    NotEstimable
        ``sigma`` is singular (``reason="singular_vcov"``, :func:`_check_full_rank`).

    Notes
    -----
    The breakdown value is found by bisection on the test of ``theta = 0`` (RM: the
    union of the ARP hybrid tests rejects; SD: the FLCI excludes 0), so it is not
    limited to the grid of ``values``. Checked against HonestDiD 0.2.6
    (``tests/data/honestdid/``).

    Examples
    --------
    >>> r = honest_did(np.array([0.1, 0.0, 1.0]), np.eye(3) * 0.04, n_pre=2, n_post=1, values=[0.5, 1.0])
    >>> r.tidy()["term"].tolist()
    ['original', 'mbar=0.5', 'mbar=1']
    """
    b, s, lv = _check_inputs(betahat, sigma, n_pre, n_post, l_vec)
    if delta not in ("relative_magnitudes", "smoothness"):
        raise ValueError(f"delta must be 'relative_magnitudes' or 'smoothness', got {delta!r}")
    _check_full_rank(s)
    est = float(lv @ b[n_pre:])
    lo0, hi0 = original_ci(b, s, n_pre, n_post, l_vec=lv, alpha=alpha)
    if delta == "relative_magnitudes":

        def interval(mb: float) -> tuple[float, float, bool, bool]:
            r = relative_magnitudes_ci(
                b, s, n_pre, n_post, mb, l_vec=lv, alpha=alpha, grid_points=grid_points
            )
            return r.lb, r.ub, r.lb_censored, r.ub_censored

        def holds(mb: float) -> bool:
            return _rm_rejects_zero(
                b, s, n_pre, n_post, lv, mb, alpha, "deviation from parallel trends"
            )

        default = [0.0, 0.5, 1.0, 1.5, 2.0]
        hi, step, method, name = 5.0, 0.01, "C-LF", "DeltaRM"
    else:
        pre = np.r_[b[:n_pre], 0.0]
        scale = float(np.max(np.abs(np.diff(pre, 2)))) if n_pre >= 2 else float(np.sqrt(s[0, 0]))
        scale = scale if scale > 0 else float(np.sqrt(np.mean(np.diag(s))))

        def interval(m: float) -> tuple[float, float, bool, bool]:
            return (*smoothness_flci(b, s, n_pre, n_post, m, l_vec=lv, alpha=alpha), False, False)

        def holds(m: float) -> bool:
            lb, ub, _, _ = interval(m)
            return lb > 0 or ub < 0

        default = list(np.linspace(0, scale, 10))
        hi, step, method, name = 20 * scale, 0.01 * scale, "FLCI", "DeltaSD"
    rows = [
        {"value": np.nan, "lb": lo0, "ub": hi0, "method": "original", "delta": "",
         "lb_censored": False, "ub_censored": False}
    ]  # fmt: skip
    for v in list(values) if values is not None else default:
        lb, ub, lc, uc = interval(v)
        rows.append(
            {"value": float(v), "lb": lb, "ub": ub, "method": method, "delta": name,
             "lb_censored": lc, "ub_censored": uc}
        )  # fmt: skip
    hi = hi if max_value is None else max_value
    step = step if tol is None else tol
    if not (lo0 > 0 or hi0 < 0):
        brk, cens = 0.0, False
    else:
        brk, cens = _bisect_breakdown(holds, hi, step)
    return SensitivityResult(pd.DataFrame(rows), brk, cens, delta, est, n_pre, n_post, alpha)
