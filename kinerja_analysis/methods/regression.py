"""OLS regression with the classical assumption checks, as numbers and conclusion keys.

The checks a thesis reports as *uji asumsi klasik* — normality of residuals,
multicollinearity, heteroskedasticity, autocorrelation — computed properly (Lilliefors'
correction of the K-S test, robust standard errors) and returned as numbers with a
conclusion key (``"holds"`` / ``"violated"``). The sentences that interpret them, in
Indonesian or English, are written by the text layer
(:func:`kinerja_analysis.reporting.text.assumption_checks_table`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from kinerja_analysis.core.checks import require_columns
from kinerja_analysis.core.results import Result, check_tidy, tidy_frame

__all__ = ["CHECKS", "RegressionResult", "ols_assumption_checks"]

#: The checks, in report order, with what each tests (English).
CHECKS: dict[str, str] = {
    "normality_ks_lilliefors": "residuals normal (Kolmogorov-Smirnov, Lilliefors)",
    "normality_shapiro_wilk": "residuals normal (Shapiro-Wilk, n <= 5000)",
    "normality_jarque_bera": "residuals normal (Jarque-Bera)",
    "multicollinearity_vif": "no multicollinearity (largest VIF below the limit)",
    "heteroskedasticity_breusch_pagan": "constant residual variance (Breusch-Pagan, Koenker)",
    "heteroskedasticity_white": "constant residual variance (White)",
    "autocorrelation_durbin_watson": "no first-order autocorrelation (Durbin-Watson 1.5-2.5)",
}


@dataclass(frozen=True)
class RegressionResult(Result):
    """OLS regression with the classical assumption checks.

    Attributes
    ----------
    coefficients
        Tidy: ``term, estimate, std_error, ci_low, ci_high, p_value, n_obs, method, t``.
    model
        One row: ``n_obs, df_model, df_resid, r2, r2_adj, f, f_p_value, f_method``.
    checks
        One row per check (keys of :data:`CHECKS`): ``check, statistic, p_value, limit,
        holds, conclusion`` (``"holds"``/``"violated"``), ``term`` (for VIF: the
        predictor with the largest VIF).
    vif
        ``term, vif, tolerance``.
    robust
        ``"HC3"``, ``"HC1"`` or ``None`` (classical SEs).
    alpha
        Level of the checks and intervals.
    """

    coefficients: pd.DataFrame
    model: pd.DataFrame
    checks: pd.DataFrame
    vif: pd.DataFrame
    robust: str | None
    alpha: float

    def tidy(self) -> pd.DataFrame:
        """The coefficients."""
        return check_tidy(self.coefficients)

    def glance(self) -> pd.DataFrame:
        """The model row plus how many checks hold."""
        g = self.model.copy()
        g["n_checks_holding"] = int(self.checks["holds"].sum())
        g["n_checks"] = len(self.checks)
        return g


def _vif(X: np.ndarray, names: list[str]) -> pd.DataFrame:
    """VIF_j = 1 / (1 − R²_j), R²_j from regressing predictor j on the others (+ const)."""
    rows = []
    n, k = X.shape
    for j in range(k):
        y = X[:, j]
        others = np.column_stack([np.ones(n), np.delete(X, j, axis=1)])
        beta, *_ = np.linalg.lstsq(others, y, rcond=None)
        resid = y - others @ beta
        tss = ((y - y.mean()) ** 2).sum()
        r2 = 1 - (resid**2).sum() / tss if tss > 0 else np.nan
        vif = 1 / (1 - r2) if r2 < 1 else np.inf
        rows.append({"term": names[j], "vif": vif, "tolerance": 1 / vif})
    return pd.DataFrame(rows)


def _row(check: str, stat: float, p: float, holds: bool, limit: float, term: str = ""):
    return {
        "check": check,
        "statistic": float(stat),
        "p_value": float(p),
        "limit": float(limit),
        "holds": bool(holds),
        "conclusion": "holds" if holds else "violated",
        "term": term,
    }


def ols_assumption_checks(
    data: pd.DataFrame,
    y: str,
    X: Sequence[str],
    *,
    robust: Literal["HC3", "HC1", None] = "HC3",
    alpha: float = 0.05,
    vif_limit: float = 10.0,
) -> RegressionResult:
    """OLS regression with the classical assumption checks and robust standard errors.

    Parameters
    ----------
    data
        One row per observation; rows with a missing ``y`` or ``X`` are dropped.
    y, X
        Outcome column and predictor columns (numeric).
    robust
        Heteroskedasticity-consistent covariance (``"HC3"`` default, ``"HC1"``) or
        ``None`` for the classical OLS standard errors.
    alpha
        Significance level for the checks and the intervals.
    vif_limit
        VIF at or above which multicollinearity is flagged (10, tolerance 0.10).

    Returns
    -------
    RegressionResult

    Raises
    ------
    ValueError
        Unknown ``robust``, no predictor, non-numeric columns, too few rows.

    Notes
    -----
    Normality of residuals by Kolmogorov–Smirnov with the Lilliefors correction (the
    plain K-S test with estimated mean and SD is far too lenient), Shapiro–Wilk
    (n ≤ 5000) and Jarque–Bera; multicollinearity by VIF and tolerance;
    heteroskedasticity by Breusch–Pagan (studentised, Koenker) and White;
    autocorrelation by Durbin–Watson (1.5–2.5), which is only meaningful when rows are
    in time order. A check *holds* when its p-value exceeds ``alpha`` (VIF: below the
    limit). Robust (HC3) standard errors are the default because Likert outcomes are
    bounded and often heteroskedastic; HC3 keeps the t tests valid then and performs
    well in small samples (Long & Ervin 2000). The F test uses the same covariance (a
    Wald test) when robust errors are requested. Fitted by statsmodels.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"x": rng.normal(size=100), "z": rng.normal(size=100)})
    >>> d["y"] = 1 + 2 * d["x"] + rng.normal(size=100)
    >>> r = ols_assumption_checks(d, "y", ["x", "z"])
    >>> round(float(r.tidy().set_index("term").loc["x", "estimate"]), 1)
    2.0
    """
    import statsmodels.api as sm  # lazy: heavy; only for this model
    from statsmodels.stats import diagnostic as smd  # lazy: heavy; only for this model
    from statsmodels.stats.stattools import (  # lazy: heavy; only for this model
        durbin_watson,
        jarque_bera,
    )

    if robust not in ("HC3", "HC1", None):
        raise ValueError(f"robust must be 'HC3', 'HC1' or None, got {robust!r}")
    X = list(X)
    if not X:
        raise ValueError("X: at least one predictor is needed")
    require_columns(data, [y, *X], "ols_assumption_checks")
    d = data[[y, *X]].copy()
    for c in [y, *X]:
        if not pd.api.types.is_numeric_dtype(d[c]):
            raise ValueError(f"column {c!r} must be numeric")
    d = d.dropna().astype(float)
    n = len(d)
    if n <= len(X) + 2:
        raise ValueError(f"too few rows for the regression ({n})")
    exog = sm.add_constant(d[X], has_constant="add")
    ols = sm.OLS(d[y], exog).fit()
    res = ols.get_robustcov_results(cov_type=robust) if robust else ols
    method = f"OLS, SE robust {robust}" if robust else "OLS, SE klasik"
    ci = np.asarray(res.conf_int(alpha))
    coef = tidy_frame(
        pd.DataFrame(
            {
                "term": ["const", *X],
                "estimate": np.asarray(res.params),
                "std_error": np.asarray(res.bse),
                "ci_low": ci[:, 0],
                "ci_high": ci[:, 1],
                "p_value": np.asarray(res.pvalues),
                "n_obs": n,
                "method": method,
                "t": np.asarray(res.tvalues),
            }
        )
    )
    model = pd.DataFrame(
        [
            {
                "n_obs": n,
                "df_model": ols.df_model,
                "df_resid": ols.df_resid,
                "r2": ols.rsquared,
                "r2_adj": ols.rsquared_adj,
                "f": float(np.squeeze(res.fvalue)),
                "f_p_value": float(np.squeeze(res.f_pvalue)),
                "f_method": "Wald F (robust covariance)" if robust else "classical F",
            }
        ]
    )
    e = np.asarray(ols.resid)
    rows = []
    ks, ks_p = smd.lilliefors(e, dist="norm", pvalmethod="table")
    rows.append(_row("normality_ks_lilliefors", ks, ks_p, ks_p > alpha, alpha))
    if 3 <= n <= 5000:
        sw, sw_p = stats.shapiro(e)
        rows.append(_row("normality_shapiro_wilk", sw, sw_p, sw_p > alpha, alpha))
    jb, jb_p, _, _ = jarque_bera(e)
    rows.append(_row("normality_jarque_bera", jb, jb_p, jb_p > alpha, alpha))
    vif = (
        _vif(d[X].to_numpy(), X)
        if len(X) > 1
        else pd.DataFrame({"term": X, "vif": [1.0], "tolerance": [1.0]})
    )
    vmax = float(vif["vif"].max())
    worst = str(vif.loc[vif["vif"].idxmax(), "term"])
    rows.append(_row("multicollinearity_vif", vmax, np.nan, vmax < vif_limit, vif_limit, worst))
    bp, bp_p, _, _ = smd.het_breuschpagan(e, exog)
    rows.append(_row("heteroskedasticity_breusch_pagan", bp, bp_p, bp_p > alpha, alpha))
    try:
        wh, wh_p, _, _ = smd.het_white(e, exog)
        rows.append(_row("heteroskedasticity_white", wh, wh_p, wh_p > alpha, alpha))
    except (ValueError, AssertionError, np.linalg.LinAlgError):  # pragma: no cover
        pass
    dw = float(durbin_watson(e))
    rows.append(_row("autocorrelation_durbin_watson", dw, np.nan, 1.5 < dw < 2.5, np.nan))
    return RegressionResult(coef, model, pd.DataFrame(rows), vif, robust, float(alpha))
