"""OLS with the classical-assumption checks Indonesian theses report.

:func:`ols_assumption_checks` — coefficients (robust HC standard errors by default), model
fit, and normality (Kolmogorov–Smirnov/Lilliefors, Shapiro–Wilk, Jarque–Bera),
multicollinearity (VIF), heteroskedasticity (Breusch–Pagan, White) and autocorrelation
(Durbin–Watson) checks, each with its conclusion (statsmodels, scipy).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from kinerja_analysis.core.checks import require_columns

# --------------------------------------------------------------------------- regression


@dataclass(frozen=True)
class RegressionResult:
    """OLS regression with the classical assumption checks (*uji asumsi klasik*).

    Attributes
    ----------
    koefisien
        ``term, estimate, std_error, t, p_value, ci_low, ci_high, n_obs, method``.
    model
        One row: ``n_obs, df_model, df_resid, r2, r2_adj, f, f_p_value, f_method``.
    asumsi
        One row per check: ``uji, statistic, p_value, kesimpulan, interpretasi``.
    vif
        ``term, vif, tolerance``.
    catatan
        Why robust standard errors are used (Indonesian).
    """

    koefisien: pd.DataFrame
    model: pd.DataFrame
    asumsi: pd.DataFrame
    vif: pd.DataFrame
    catatan: str

    def tidy(self) -> pd.DataFrame:
        return self.koefisien


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


def ols_assumption_checks(
    data: pd.DataFrame,
    y: str,
    X: Sequence[str],
    *,
    robust: Literal["HC3", "HC1", None] = "HC3",
    alpha: float = 0.05,
    batas_vif: float = 10.0,
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
    batas_vif
        VIF above which multicollinearity is flagged (10, tolerance 0.10).

    Returns
    -------
    RegresiResult

    Notes
    -----
    Checks: normality of residuals by Kolmogorov–Smirnov with the Lilliefors
    correction (the "uji K-S" of theses, done right: the plain K-S test with estimated
    mean and SD is far too lenient), Shapiro–Wilk (n ≤ 5000) and Jarque–Bera;
    multicollinearity by VIF and tolerance; heteroskedasticity by Breusch–Pagan
    (studentised, Koenker) and White; autocorrelation by Durbin–Watson, which is only
    meaningful when rows are in time order (cross-sectional survey data have no
    natural order, so the statistic there depends on how the file is sorted). Robust
    (HC3) standard errors are the default because Likert outcomes are bounded and
    often heteroskedastic; HC3 keeps the t tests valid then and performs well in small
    samples (Long & Ervin 2000), and costs little when errors are homoskedastic. The
    F test uses the same covariance (a Wald test) when robust errors are requested.
    """
    import statsmodels.api as sm  # lazy: heavy; only for this model
    from statsmodels.stats import diagnostic as smd  # lazy: heavy; only for this model
    from statsmodels.stats.stattools import (  # lazy: heavy; only for this model
        durbin_watson,
        jarque_bera,
    )

    if robust not in ("HC3", "HC1", None):
        raise ValueError(f"robust harus 'HC3', 'HC1' atau None, bukan {robust!r}")
    X = list(X)
    if not X:
        raise ValueError("X: minimal satu prediktor")
    require_columns(data, [y, *X], "regresi_asumsi_klasik")
    d = data[[y, *X]].copy()
    for c in [y, *X]:
        if not pd.api.types.is_numeric_dtype(d[c]):
            raise ValueError(f"kolom {c!r} harus numerik")
    d = d.dropna().astype(float)
    n = len(d)
    if n <= len(X) + 2:
        raise ValueError(f"data terlalu sedikit untuk regresi ({n} baris)")
    exog = sm.add_constant(d[X], has_constant="add")
    ols = sm.OLS(d[y], exog).fit()
    res = ols.get_robustcov_results(cov_type=robust) if robust else ols
    method = f"OLS, SE robust {robust}" if robust else "OLS, SE klasik"
    ci = np.asarray(res.conf_int(alpha))
    coef = pd.DataFrame(
        {
            "term": ["const", *X],
            "estimate": np.asarray(res.params),
            "std_error": np.asarray(res.bse),
            "t": np.asarray(res.tvalues),
            "p_value": np.asarray(res.pvalues),
            "ci_low": ci[:, 0],
            "ci_high": ci[:, 1],
            "n_obs": n,
            "method": method,
        }
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
                "f_method": "Wald F (kovarians robust)" if robust else "F klasik",
            }
        ]
    )
    e = np.asarray(ols.resid)
    rows = []

    def add(uji: str, stat: float, p: float, ok: bool, yes: str, no: str) -> None:
        txt = yes if ok else no
        cmp = ">" if ok else "≤"
        if np.isfinite(p):
            txt = (
                f"{txt} ({_p_text(p)})"
                if p < 0.001
                else f"{txt} ({_p_text(p)} {cmp} {_number_id(alpha)})"
            )
        rows.append(
            {
                "uji": uji,
                "statistic": float(stat),
                "p_value": float(p),
                "kesimpulan": "terpenuhi" if ok else "tidak terpenuhi",
                "interpretasi": txt,
            }
        )

    ks, ks_p = smd.lilliefors(e, dist="norm", pvalmethod="table")
    add(
        "normalitas_ks_lilliefors",
        ks,
        ks_p,
        ks_p > alpha,
        "Residual berdistribusi normal",
        "Residual tidak berdistribusi normal",
    )
    if 3 <= n <= 5000:
        sw, sw_p = stats.shapiro(e)
        add(
            "normalitas_shapiro_wilk",
            sw,
            sw_p,
            sw_p > alpha,
            "Residual berdistribusi normal",
            "Residual tidak berdistribusi normal",
        )
    jb, jb_p, _, _ = jarque_bera(e)
    add(
        "normalitas_jarque_bera",
        jb,
        jb_p,
        jb_p > alpha,
        "Residual berdistribusi normal",
        "Residual tidak berdistribusi normal",
    )
    vif = (
        _vif(d[X].to_numpy(), X)
        if len(X) > 1
        else pd.DataFrame({"term": X, "vif": [1.0], "tolerance": [1.0]})
    )
    vmax = float(vif["vif"].max())
    worst = vif.loc[vif["vif"].idxmax(), "term"]
    rows.append(
        {
            "uji": "multikolinearitas_vif",
            "statistic": vmax,
            "p_value": np.nan,
            "kesimpulan": "terpenuhi" if vmax < batas_vif else "tidak terpenuhi",
            "interpretasi": (
                f"Tidak ada multikolinearitas (VIF tertinggi {_number_id(vmax)} pada {worst} "
                f"< {_number_id(batas_vif, 0)}; tolerance > {_number_id(1 / batas_vif)})."
                if vmax < batas_vif
                else f"Ada multikolinearitas: VIF {worst} = {_number_id(vmax)} ≥ {_number_id(batas_vif, 0)}."
            ),
        }
    )
    bp, bp_p, _, _ = smd.het_breuschpagan(e, exog)
    add(
        "heteroskedastisitas_breusch_pagan",
        bp,
        bp_p,
        bp_p > alpha,
        "Tidak ada heteroskedastisitas",
        "Terjadi heteroskedastisitas; SE robust diperlukan",
    )
    try:
        wh, wh_p, _, _ = smd.het_white(e, exog)
        add(
            "heteroskedastisitas_white",
            wh,
            wh_p,
            wh_p > alpha,
            "Tidak ada heteroskedastisitas",
            "Terjadi heteroskedastisitas; SE robust diperlukan",
        )
    except (ValueError, AssertionError, np.linalg.LinAlgError):  # pragma: no cover
        pass
    dw = float(durbin_watson(e))
    ok_dw = 1.5 < dw < 2.5
    rows.append(
        {
            "uji": "autokorelasi_durbin_watson",
            "statistic": dw,
            "p_value": np.nan,
            "kesimpulan": "terpenuhi" if ok_dw else "tidak terpenuhi",
            "interpretasi": (
                f"Durbin–Watson = {_number_id(dw)} "
                + ("(1,5–2,5: tidak ada indikasi autokorelasi)" if ok_dw else "(di luar 1,5–2,5)")
                + "; uji ini hanya bermakna bila baris berurutan menurut waktu."
            ),
        }
    )
    for r in rows:
        if r["uji"] != "multikolinearitas_vif" and not r["interpretasi"].endswith("."):
            r["interpretasi"] += "."
    catatan = (
        f"Galat baku memakai estimator robust {robust} (tahan heteroskedastisitas): skor "
        "Likert terbatas dan sering heteroskedastis, sehingga uji t klasik bisa menyesatkan; "
        "bila residual homoskedastis, hasilnya hampir sama dengan SE klasik."
        if robust
        else "Galat baku klasik OLS (mengasumsikan homoskedastisitas)."
    )
    return RegressionResult(coef, model, pd.DataFrame(rows), vif, catatan)


# --------------------------------------------------------------------------- helpers


def _number_id(x: float, desimal: int = 2) -> str:
    """Indonesian decimal comma, e.g. ``0,21`` (kept local: no formatting dependency)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:,.{desimal}f}".replace(",", "\0").replace(".", ",").replace("\0", ".")


def _p_text(p: float) -> str:
    if p is None or math.isnan(p):
        return "p tidak tersedia"
    if p < 0.001:
        return "p < 0,001"
    return f"p = {_number_id(p, 3 if p < 0.01 else 2)}"
