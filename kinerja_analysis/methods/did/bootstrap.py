"""Uniform (simultaneous) confidence bands by the multiplier bootstrap (R ``did::mboot``).

Each bootstrap draw multiplies the units' influence functions by i.i.d. weights with
mean 0 and variance 1 (Mammen's two-point weights by default, Rademacher optional); the
band's critical value is the ``1 - alpha`` quantile of the largest absolute
t-statistic over the parameters, each scaled by its bootstrap IQR as R does, and never
below the pointwise normal quantile. Draws come from ``numpy.random.default_rng(seed)``:
the band is reproducible here but not R's draw for draw.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from kinerja_analysis.methods.did.influence import EPS_SE

__all__ = ["uniform_critical_value"]

_IQR_NORMAL = float(special.ndtri(0.75) - special.ndtri(0.25))


def _type1_quantile(x: np.ndarray, q: float, axis: int = 0) -> np.ndarray:
    return np.quantile(x, q, axis=axis, method="inverted_cdf")


def _draws(inf: np.ndarray, n_boot: int, seed: int, weights: str) -> np.ndarray:
    """``sqrt(n) * mean_i(v_i psi_i)`` for each draw: shape ``(n_boot, k)``.

    A two-point weight takes ``lo`` or ``hi``, so ``sum_i v_i psi_i = lo * sum_i psi_i +
    (hi - lo) * sum_{i: v_i = hi} psi_i``: one Boolean matrix product per chunk.
    """
    n, k = inf.shape
    rng = np.random.default_rng(seed)
    if weights == "mammen":
        s5 = np.sqrt(5.0)
        lo, hi = (1 - s5) / 2, (1 + s5) / 2
        p_lo = (s5 + 1) / (2 * s5)
    else:
        lo, hi, p_lo = -1.0, 1.0, 0.5
    out = np.empty((n_boot, k))
    chunk = max(1, min(n_boot, int(4e6 // max(n, 1))))
    colsum = inf.sum(axis=0)
    inf32 = inf.astype(np.float32) if n * k > 0 else inf
    for start in range(0, n_boot, chunk):
        b = min(chunk, n_boot - start)
        pick_hi = (rng.random((b, n), dtype=np.float32) >= p_lo).astype(np.float32)
        part = (pick_hi @ inf32).astype(np.float64)
        out[start : start + b] = (lo * colsum + (hi - lo) * part) / n
    return out * np.sqrt(n)


def uniform_critical_value(
    inf: np.ndarray, alpha: float, n_boot: int, seed: int, weights: str = "mammen"
) -> float:
    """Critical value of the uniform band for the parameters with influence ``inf`` (n × k).

    ``n_boot = 0`` gives the pointwise normal quantile.

    >>> inf = np.random.default_rng(0).normal(size=(500, 3))
    >>> c = uniform_critical_value(inf, 0.05, 999, seed=1)
    >>> bool(1.96 < c < 3.0)
    True
    """
    z = float(special.ndtri(1 - alpha / 2))
    if n_boot <= 0 or inf.shape[1] == 0:
        return z
    bres = _draws(inf, n_boot, seed, weights)
    ndg = np.isfinite(bres.sum(axis=0)) & (np.sum(bres**2, axis=0) > EPS_SE)
    if not ndg.any():
        return z
    br = bres[:, ndg]
    sig = (_type1_quantile(br, 0.75) - _type1_quantile(br, 0.25)) / _IQR_NORMAL
    sig = np.where(sig <= EPS_SE, np.nan, sig)
    with np.errstate(invalid="ignore", divide="ignore"):
        bt = np.nanmax(np.abs(br / sig), axis=1)
    bt = bt[np.isfinite(bt)]
    if bt.size == 0:
        return z
    crit = float(_type1_quantile(bt, 1 - alpha))
    return max(crit, z) if np.isfinite(crit) else z
