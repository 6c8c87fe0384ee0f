"""Robustness check: ordered logit of the predikat on training and feedback.

:func:`fit_ordinal_predikat` — conditional on covariates and period; an association, not
an identified causal effect (statsmodels ``OrderedModel``).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from kinerja_analysis.core.errors import NotEstimable
from kinerja_analysis.core.results import tidy_row
from kinerja_analysis.domain.predikat import PREDIKAT_ORDER

# --------------------------------------------------------------------------- ordinal

#: The outcome's categories, worst first (the order of the ordinal model's thresholds).
PREDIKAT_ASCENDING: tuple[str, ...] = PREDIKAT_ORDER


def fit_ordinal_predikat(
    panel: pd.DataFrame,
    *,
    regressors: Sequence[str] = ("pasca_latih", "n_baik_lag1", "n_buruk_lag1"),
    covariates: Sequence[str] = ("golongan_num", "masa_kerja", "perempuan"),
    distr: Literal["logit", "probit"] = "logit",
) -> pd.DataFrame:
    """Ordered logit of the predikat on training and feedback (robustness).

    Pooled over periods with period dummies and covariates; SEs clustered by employee.
    Categories ordered from "Sangat Kurang" to "Sangat Baik"; a positive coefficient
    means a higher predikat is more likely. ``estimate`` is the log-odds coefficient,
    ``odds_ratio`` its exponential. Maximum likelihood by Newton's method on the exact
    derivatives (BFGS if Newton does not converge).
    """
    cols = list(regressors) + list(covariates)
    d = panel.dropna(subset=[*cols, "predikat"]).copy()
    d = d[d["predikat"].isin(PREDIKAT_ASCENDING)]
    y = pd.Categorical(d["predikat"], categories=list(PREDIKAT_ASCENDING), ordered=True)
    present = [c for c in PREDIKAT_ASCENDING if (y == c).any()]
    if len(present) < 2:
        raise NotEstimable(
            f"{len(d)} pengamatan lengkap dengan {len(present)} kategori predikat; "
            "butuh paling sedikit dua kategori (dan umpan balik periode sebelumnya)",
            reason="one_category",
            facts={"n_obs": len(d), "n_categories": len(present)},
        )
    y = pd.Series(pd.Categorical(d["predikat"], categories=present, ordered=True), index=d.index)
    X = pd.concat(
        [
            d[cols].astype(float),
            pd.get_dummies(d["periode"], prefix="periode", drop_first=True, dtype=float),
        ],
        axis=1,
    )
    X = X.loc[:, X.std() > 0].astype("float64")
    model = _ordered_model_class()(y, X, distr=distr)
    cluster = {"cov_type": "cluster", "cov_kwds": {"groups": pd.factorize(d["nip"])[0]}}
    # Newton on the exact Hessian reaches the maximum (gradient ~1e-9) in a few steps;
    # BFGS stopped where its gradient tolerance let it (estimates ~1e-4 off)
    res = model.fit(method="newton", disp=False, maxiter=100, tol=1e-10, **cluster)
    if not res.mle_retvals.get("converged", False):
        res = model.fit(method="bfgs", disp=False, maxiter=2000, **cluster)
    ci = res.conf_int()
    rows = []
    for term in regressors:
        if term not in res.params.index:
            continue
        rows.append(
            tidy_row(
                term,
                float(res.params[term]),
                float(res.bse[term]),
                float(ci.loc[term, 0]),
                float(ci.loc[term, 1]),
                float(res.pvalues[term]),
                int(len(d)),
                f"ordered {distr}, SE klaster pegawai",
                odds_ratio=float(np.exp(res.params[term])),
            )
        )
    return pd.DataFrame(rows)


@functools.cache
def _ordered_model_class() -> type:
    """statsmodels' ``OrderedModel`` with analytic derivatives of its log-likelihood.

    ``OrderedModel`` differentiates the log-likelihood numerically: every BFGS step costs
    2k evaluations over all rows and the Hessian about 2k² (k parameters), which on a
    province's 800,000 employee-periods takes minutes. The same model, parameterisation
    (``beta``, then the first threshold and the logs of the threshold increments),
    likelihood and optimiser are kept; only ``score_obs``, ``score`` and ``hessian`` are
    exact here (logit and probit). Tested against the numerical derivatives.
    """
    from scipy import stats  # lazy: with statsmodels, only for this model
    from statsmodels.miscmodels.ordinal_model import (
        OrderedModel,  # lazy: heavy; only for this model
    )

    class _AnalyticOrderedModel(OrderedModel):
        def _pieces(self, params):
            params = np.asarray(params, dtype=float)
            k_x, n_th = self.k_vars, self.k_levels - 1
            low, upp = self._bounds(params)
            prob = self.prob(low, upp) + 1e-20  # as in loglikeobs
            if self.distr is stats.logistic:
                f_u, f_l = self.pdf(upp), self.pdf(low)
                d_u = f_u * (1 - 2 * self.cdf(upp))
                d_l = f_l * (1 - 2 * self.cdf(low))
            elif self.distr is stats.norm:
                f_u, f_l = self.pdf(upp), self.pdf(low)
                d_u = -np.where(np.isfinite(upp), upp, 0.0) * f_u
                d_l = -np.where(np.isfinite(low), low, 0.0) * f_l
            else:  # pragma: no cover - only logit and probit are offered
                raise NotImplementedError(f"analytic derivatives for {self.distr}")
            # d threshold_j / d (first threshold, log increments): 1 and exp(c_m), m <= j
            incr = np.exp(params[k_x + 1 :])
            jac_th = np.zeros((n_th + 2, n_th))  # rows: thresholds -inf, 1..K-1, +inf
            jac_th[1 : n_th + 1, 0] = 1.0
            for m in range(1, n_th):
                jac_th[m + 1 : n_th + 1, m] = incr[m - 1]
            # densities far in a tail are subnormal numbers, which make every product
            # they enter hundreds of times slower; below 1e-250 they cannot change a sum
            # of terms of order one, so they are set to 0
            f_u, f_l, d_u, d_l = (
                np.where(np.abs(v) < 1e-250, 0.0, v) for v in (f_u, f_l, d_u, d_l)
            )
            return prob, f_u, f_l, d_u, d_l, jac_th, incr

        def _rows(self, jac_th):
            """Per row, d(upper bound)/d params and d(lower bound)/d params."""
            exog = np.asarray(self.exog, dtype=float)
            y = np.asarray(self.endog)
            return np.hstack([-exog, jac_th[y + 1]]), np.hstack([-exog, jac_th[y]])

        def score_obs(self, params, **kwds):
            prob, f_u, f_l, _, _, jac_th, _ = self._pieces(params)
            a_u, a_l = self._rows(jac_th)
            return (f_u / prob)[:, None] * a_u - (f_l / prob)[:, None] * a_l

        def score(self, params, **kwds):
            # the column sums of score_obs without forming it (the optimiser calls this)
            prob, f_u, f_l, _, _, jac_th, _ = self._pieces(params)
            w_u, w_l = f_u / prob, f_l / prob
            y = np.asarray(self.endog)
            n_b = len(jac_th)
            by_bound = np.bincount(y + 1, w_u, n_b) - np.bincount(y, w_l, n_b)
            exog = np.asarray(self.exog, dtype=float)
            return np.concatenate([-(exog.T @ (w_u - w_l)), jac_th.T @ by_bound])

        def hessian(self, params):
            # sum_i e_u a_u a_u' - e_l a_l a_l' - sc sc' (e = d / prob, sc = score_obs),
            # by blocks: a row's threshold part is one of n_th + 2 rows of jac_th, picked by
            # its category, so the blocks with thresholds are sums by category; only the
            # covariates' block is a product over the rows (the full rows' three products
            # were most of a Newton step at 800,000 employee-periods). The threshold parts
            # are written in the basis J_lo = jac_th[y], D = jac_th[y + 1] - J_lo (D is of
            # the order of the category's width) with each row's coefficients combined
            # before they are summed: the terms of a narrow category, each of the order of
            # 1 / width^2, then cancel within the row, not across sums
            prob, f_u, f_l, d_u, d_l, jac_th, incr = self._pieces(params)
            k_x, n_th = self.k_vars, self.k_levels - 1
            y = np.asarray(self.endog)
            exog = np.asarray(self.exog, dtype=float)
            s_u, s_l, e_u, e_l = f_u / prob, f_l / prob, d_u / prob, d_l / prob
            s_d = s_u - s_l
            c_ll = e_u - e_l - s_d * s_d  # J_lo J_lo' (and the covariates' x x')
            c_ld = e_u - s_d * s_u  # J_lo D' + D J_lo'
            c_dd = e_u - s_u * s_u  # D D'
            h = np.empty((k_x + n_th, k_x + n_th))
            h[:k_x, :k_x] = (exog * c_ll[:, None]).T @ exog
            cross = np.zeros((k_x, n_th))  # sum_i x_i (-c_ll J_lo - c_ld D)'
            tt = np.zeros((n_th, n_th))
            for v in range(self.k_levels):
                on = y == v
                lo, dd = jac_th[v], jac_th[v + 1] - jac_th[v]
                x_on = exog[on]
                cross -= np.outer(x_on.T @ c_ll[on], lo) + np.outer(x_on.T @ c_ld[on], dd)
                a, b, c = float(c_ll[on].sum()), float(c_ld[on].sum()), float(c_dd[on].sum())
                tt += a * np.outer(lo, lo) + b * (np.outer(lo, dd) + np.outer(dd, lo))
                tt += c * np.outer(dd, dd)
            h[:k_x, k_x:] = cross
            h[k_x:, :k_x] = cross.T
            # second derivatives of the thresholds: d2 threshold_j / d c_m^2 = exp(c_m)
            su_cat = np.bincount(y, s_u, self.k_levels)
            sl_cat = np.bincount(y, s_l, self.k_levels)
            for m in range(1, n_th):
                # upper bound y + 1 in m+1..n_th, lower bound y in m+1..n_th
                tt[m, m] += incr[m - 1] * (
                    float(su_cat[m:n_th].sum()) - float(sl_cat[m + 1 : n_th + 1].sum())
                )
            h[k_x:, k_x:] = tt
            return h

    return _AnalyticOrderedModel
