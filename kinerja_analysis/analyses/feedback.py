"""Effect of performance feedback: within-employee fixed-effects models.

:func:`estimate_feedback_effects` regresses the outcome on last period's number of good /
neutral / poor feedback sessions, with employee and period fixed effects and SEs
clustered by employee. Identified only if feedback timing is not driven by the employee's
own performance shocks (strict exogeneity); the lead test (does *next* period's feedback
"predict" this period's outcome?) detects feedback that follows a drop in performance
(:data:`FEEDBACK_IDENTIFICATION`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from kinerja_analysis.core.errors import NotEstimable
from kinerja_analysis.core.results import tidy_row

# --------------------------------------------------------------------------- feedback

FEEDBACK_IDENTIFICATION = (
    "Efek umpan balik diestimasi dari perubahan dalam diri pegawai yang sama antarperiode "
    "(efek tetap pegawai dan periode), sehingga perbedaan tetap antarpegawai (misalnya "
    "motivasi) tidak mengacaukan hasil. Estimasi ini bersifat kausal hanya jika waktu "
    "pemberian umpan balik tidak mengikuti naik-turunnya kinerja pegawai itu sendiri; uji "
    "'umpan balik periode berikutnya' (lead) memeriksa hal ini."
)


@dataclass(frozen=True)
class FeedbackResult:
    """Within-employee feedback models (tidy) and what they identify."""

    coefficients: pd.DataFrame
    contrast: pd.DataFrame
    lead_test: pd.DataFrame
    outcome_sd: float
    identification: str = FEEDBACK_IDENTIFICATION
    notes: tuple[str, ...] = field(default_factory=tuple)

    def tidy(self) -> pd.DataFrame:
        return pd.concat([self.coefficients, self.contrast, self.lead_test], ignore_index=True)


def _feols_tidy(fit, model: str, sd: float, method: str) -> pd.DataFrame:
    t = fit.tidy().reset_index()
    out = pd.DataFrame(
        {
            "term": t["Coefficient"].astype(str),
            "estimate": t["Estimate"],
            "std_error": t["Std. Error"],
            "ci_low": t["2.5%"],
            "ci_high": t["97.5%"],
            "p_value": t["Pr(>|t|)"],
            "n_obs": int(fit._N),
            "method": method,
        }
    )
    out["model"] = model
    out["estimate_sd"] = out["estimate"] / sd if sd > 0 else np.nan
    return out


def _contrast(fit, a: str, b: str, sd: float, method: str) -> dict[str, object]:
    names = [str(n) for n in fit._coefnames]
    c = np.zeros(len(names))
    c[names.index(a)], c[names.index(b)] = 1.0, -1.0
    est = float(c @ np.asarray(fit.coef()))
    se = float(np.sqrt(c @ fit._vcov @ c))
    df = max(int(fit._G[0]) - 1, 1) if getattr(fit, "_G", None) else int(fit._N) - len(names)
    q = stats.t.ppf(0.975, df)
    p = float(2 * stats.t.sf(abs(est / se), df)) if se > 0 else np.nan
    return tidy_row(
        f"{a} - {b}",
        est,
        se,
        est - q * se,
        est + q * se,
        p,
        int(fit._N),
        method,
        model="kontras",
        estimate_sd=est / sd if sd > 0 else np.nan,
    )


def estimate_feedback_effects(panel: pd.DataFrame, outcome: str = "komposit") -> FeedbackResult:
    """Within-employee fixed-effects models of ``outcome`` on feedback.

    Models (employee + period fixed effects, SEs clustered by employee, pyfixest):
    ``dosis``: outcome on last period's number of sessions; ``kualitas``: on last
    period's good (kualitas ≥ 4), neutral and poor (≤ 2) sessions; ``lead``: adds next
    period's sessions — a non-zero lead means feedback follows performance (reverse
    timing) and the other estimates are not causal.

    Returns
    -------
    FeedbackResult
        Tidy coefficients with ``model`` and ``estimate_sd`` (estimate divided by the
        outcome's SD over all employee-periods); ``contrast``: good minus poor session.
    """
    import pyfixest as pf  # lazy: heavy; only for FE models

    need = {"nip", "periode", "t", outcome, "n_umpan_balik_lag1", "n_baik_lag1", "n_buruk_lag1"}
    missing = need - set(panel.columns)
    if missing:
        raise ValueError(f"panel tidak memiliki kolom {sorted(missing)} (lihat panel.build_panel)")
    d = panel.sort_values(["nip", "t"]).copy()
    d["n_umpan_balik_lead1"] = d.groupby("nip")["n_umpan_balik"].shift(-1)
    d.loc[d["t"] == d["t"].max(), "n_umpan_balik_lead1"] = np.nan
    d = d[[c for c in d.columns if c in need | {"n_netral_lag1", "n_umpan_balik_lead1"}]]
    # two-way fixed effects need at least two periods with last period's feedback known
    # (pyfixest aborts the process on a sample without within variation in periods)
    n_t = d.loc[d[outcome].notna() & d["n_umpan_balik_lag1"].notna(), "t"].nunique()
    if n_t < 2:
        raise NotEstimable(
            "butuh paling sedikit dua periode yang umpan balik periode sebelumnya diketahui "
            f"(ada {n_t})"
        )
    sd = float(d[outcome].std())
    method = "FE pegawai + periode (pyfixest), SE klaster pegawai"
    vcov = {"CRV1": "nip"}
    fits = {
        "dosis": pf.feols(f"{outcome} ~ n_umpan_balik_lag1 | nip + periode", data=d, vcov=vcov),
        "kualitas": pf.feols(
            f"{outcome} ~ n_baik_lag1 + n_netral_lag1 + n_buruk_lag1 | nip + periode",
            data=d,
            vcov=vcov,
        ),
    }
    coefs = pd.concat([_feols_tidy(f, m, sd, method) for m, f in fits.items()], ignore_index=True)
    contrast = pd.DataFrame(
        [_contrast(fits["kualitas"], "n_baik_lag1", "n_buruk_lag1", sd, method)]
    )
    with_lead = d[outcome].notna() & d["n_umpan_balik_lag1"].notna()
    with_lead &= d["n_umpan_balik_lead1"].notna()
    if d.loc[with_lead, "t"].nunique() >= 2:
        lead = pf.feols(
            f"{outcome} ~ n_umpan_balik_lead1 + n_umpan_balik_lag1 | nip + periode",
            data=d,
            vcov=vcov,
        )
        lead_t = _feols_tidy(lead, "lead", sd, method)
        lead_t = lead_t[lead_t["term"] == "n_umpan_balik_lead1"].reset_index(drop=True)
    else:  # too few periods for a lead test: an empty table, the models above still hold
        lead_t = coefs.iloc[0:0].copy()
    return FeedbackResult(coefs, contrast, lead_t, sd)
