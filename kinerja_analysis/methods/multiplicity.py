"""Multiple testing: adjusted p-values for a family of effects stated together.

A document that reports a dozen effects will, by chance alone, find some "significant"
ones; the evidence grade therefore uses p-values adjusted for the family. Holm's
(1979) step-down procedure controls the family-wise error rate under any dependence
and is uniformly more powerful than Bonferroni: sort the ``m`` p-values, multiply the
``i``-th smallest by ``m - i + 1``, take the running maximum and cap at 1. Bonferroni,
Hochberg and Benjamini–Hochberg are computed by statsmodels (``multipletests``); Holm is
those three lines of numpy here, because statsmodels' Holm branch runs a full
``gc.collect()`` on every call, which costs a report notebook (whose heap holds the
dataset) about 0,3 s a call. Both agree with R's ``p.adjust`` (tests compare Holm with
R and with statsmodels).

>>> adjust_pvalues([0.01, 0.04, 0.03]).round(4).tolist()
[0.03, 0.06, 0.06]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

__all__ = ["adjust_pvalues"]

_METHODS = {
    "holm": "holm",
    "bonferroni": "bonferroni",
    "hochberg": "simes-hochberg",
    "bh": "fdr_bh",
}


def adjust_pvalues(
    p: Sequence[float] | np.ndarray,
    method: Literal["holm", "bonferroni", "hochberg", "bh"] = "holm",
) -> np.ndarray:
    """Adjusted p-values (same order); missing p-values stay missing and are not counted.

    Raises
    ------
    ValueError
        Unknown method, or a p-value outside [0, 1].

    Examples
    --------
    >>> adjust_pvalues([0.01, 0.04, 0.03, float("nan")]).round(3).tolist()
    [0.03, 0.06, 0.06, nan]
    >>> adjust_pvalues([0.01, 0.04, 0.03], "bh").round(3).tolist()
    [0.03, 0.04, 0.04]
    """
    from statsmodels.stats.multitest import multipletests  # lazy: statsmodels is heavy

    if method not in _METHODS:
        raise ValueError(f"method must be one of {sorted(_METHODS)}, got {method!r}")
    arr = np.asarray(p, dtype=float)
    ok = np.isfinite(arr)
    if ((arr[ok] < 0) | (arr[ok] > 1)).any():
        raise ValueError("p-values must lie in [0, 1]")
    out = np.full(arr.shape, np.nan)
    if ok.any():
        if method == "holm":
            out[ok] = _holm(arr[ok])
        else:
            out[ok] = multipletests(arr[ok], method=_METHODS[method])[1]
    return out


def _holm(p: np.ndarray) -> np.ndarray:
    """Holm (1979) step-down adjusted p-values of finite ``p`` (same order): the i-th
    smallest times ``m - i + 1``, running maximum, capped at 1 (as R's ``p.adjust``)."""
    order = np.argsort(p, kind="stable")
    m = len(p)
    stepped = np.maximum.accumulate(p[order] * np.arange(m, 0, -1))
    out = np.empty(m)
    out[order] = np.minimum(stepped, 1.0)
    return out
