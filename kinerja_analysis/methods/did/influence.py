"""The influence functions of the DiD engine (Callaway & Sant'Anna 2021, section 4).

Every estimate of the engine is asymptotically linear, ``sqrt(n)(theta_hat - theta) =
n^{-1/2} sum_i psi_i + o_p(1)``, and is reported with its influence function ``psi``
(one value per unit): standard errors, the uniform bands of :mod:`.bootstrap` and the
pre-trend test of :mod:`.pretrend` all come from these arrays.

- Cell level: :mod:`.attgt` returns ``psi`` of each ATT(g,t) (``DRDID``'s ``att.inf.func``,
  scaled by ``n / n_cell`` as ``did::compute.att_gt`` does).
- Aggregated parameters ``theta = sum_k w_k ATT_k`` with weights from the estimated
  cohort shares: ``psi = sum_k w_k psi_k + psi_w``, where ``psi_w`` is the influence
  function of the estimated weights (R ``did``'s ``wif``, :func:`share_influence`).
- :func:`standard_errors` is R's ``getSE`` without bootstrap: ``sqrt(mean(psi^2) / n)``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["EPS_SE", "standard_errors", "share_influence", "combined_influence"]

#: Standard errors at or below this are treated as zero (R: sqrt(.Machine$double.eps) * 10).
EPS_SE = np.sqrt(np.finfo(float).eps) * 10


def standard_errors(inf: np.ndarray) -> np.ndarray:
    """R ``getSE`` with ``bstrap = FALSE``: ``sqrt(sum(psi^2)) / n`` per column; tiny → NaN.

    ``inf`` has shape ``(n_units, n_parameters)``.

    >>> standard_errors(np.array([[1.0, 0.0], [-1.0, 0.0], [2.0, 0.0], [-2.0, 0.0]])).round(3).tolist()
    [0.791, nan]
    """
    n = inf.shape[0]
    se = np.sqrt(np.einsum("ij,ij->j", inf, inf)) / n
    return np.where(se <= EPS_SE, np.nan, se)


def share_influence(
    g_unit: np.ndarray, keep: np.ndarray, pg: np.ndarray, group: np.ndarray, att: np.ndarray
) -> np.ndarray:
    """Influence of the estimated cohort-share weights times ATT (R ``wif(...) %*% att``).

    For the parameters ``keep`` (indices of cells or cohorts) with cohort ``group[k]``,
    cohort share ``pg[k]`` and estimate ``att[k]``, the weights are ``pg / sum(pg)``;
    their estimation adds, for unit ``i`` in cohort ``G_i``,
    ``(sum_k a_k 1[G_i = g_k] - sum_k pg_k a_k) / S - (sum_k 1[G_i = g_k] - S) sum_k pg_k a_k / S^2``
    with ``S = sum_k pg_k`` (without forming R's n × k matrix).
    """
    s = pg[keep].sum()
    a = att[keep]
    pk = pg[keep]
    ukeys, inv = np.unique(group[keep], return_inverse=True)
    per_group = np.bincount(inv, weights=a, minlength=ukeys.size)
    cnt = np.bincount(inv, minlength=ukeys.size).astype(float)
    pos = np.searchsorted(ukeys, g_unit)
    pos_c = np.clip(pos, 0, ukeys.size - 1)
    hit = (pos < ukeys.size) & (ukeys[pos_c] == g_unit)
    ind_a = np.where(hit, per_group[pos_c], 0.0)
    ind_1 = np.where(hit, cnt[pos_c], 0.0)
    spa = np.sum(pk * a)
    return (ind_a - spa) / s - (ind_1 - s) * (spa / s**2)


def combined_influence(
    inffunc: np.ndarray,
    which: np.ndarray,
    weights: np.ndarray,
    g_unit: np.ndarray | None = None,
    pg: np.ndarray | None = None,
    group: np.ndarray | None = None,
    att: np.ndarray | None = None,
) -> np.ndarray:
    """Influence function of ``sum_k weights_k ATT_{which_k}`` (n-vector).

    With ``g_unit, pg, group, att`` given, the weights are estimated cohort shares and
    their influence (:func:`share_influence`) is added.
    """
    f = inffunc[:, which] @ weights
    if g_unit is not None:
        f = f + share_influence(g_unit, which, pg, group, att)
    return f
