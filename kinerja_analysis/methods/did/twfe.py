"""Two-way fixed effects beside Callaway & Sant'Anna: the familiar number and its event study.

:func:`twfe` and :func:`twfe_event_study` estimate the static and dynamic TWFE regressions
with pyfixest (unit and period fixed effects, SEs clustered by unit). With staggered timing
and effects that change over time they can mislead (forbidden comparisons); they are shown
as the customary figure next to the Callaway–Sant'Anna estimates.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kinerja_analysis.methods.did.estimator import (
    _covariate_frame,
    _encode_first_treated,
    _encode_time,
)


# --------------------------------------------------------------------------------------
# two-way fixed effects (pyfixest)
# --------------------------------------------------------------------------------------
def _twfe_frame(data, outcome, unit, time, first_treated, treated_col, covariates, cluster):
    if (first_treated is None) == (treated_col is None):
        raise ValueError("give exactly one of first_treated or treated_col")
    covariates = list(covariates or [])
    cols = [outcome, unit, time, *covariates]
    cols += [first_treated] if first_treated is not None else [treated_col]
    if cluster is not None:
        cols.append(cluster)
    missing = [c for c in dict.fromkeys(cols) if c not in data.columns]
    if missing:
        raise ValueError(f"columns not in data: {missing}")
    tcode, axis = _encode_time(data[time])
    df = pd.DataFrame(
        {
            "_y": pd.to_numeric(data[outcome]).to_numpy(dtype=float),
            "_unit": data[unit].to_numpy(),
            "_t": tcode,
            "_cl": (data[cluster] if cluster is not None else data[unit]).to_numpy(),
        }
    )
    if first_treated is not None:
        df["_g"] = _encode_first_treated(data[first_treated], axis)
        df["_d"] = (np.isfinite(df["_g"]) & (df["_t"] >= df["_g"])).astype(float)
    else:
        df["_d"] = pd.to_numeric(data[treated_col]).to_numpy(dtype=float)
    cov_names = []
    xc = _covariate_frame(data, covariates)
    for i, c in enumerate(xc.columns):
        name = f"_x{i}"
        df[name] = xc[c].to_numpy(dtype=float)
        cov_names.append((name, c))
    return df.dropna(), axis, cov_names


def _feols_tidy(fit, names: dict[str, str], method: str, alpha: float) -> pd.DataFrame:
    tb = fit.tidy(alpha=alpha)
    lo_col, hi_col = tb.columns[-2], tb.columns[-1]
    out = pd.DataFrame(
        {
            "term": [names.get(i, i) for i in tb.index],
            "estimate": tb["Estimate"].to_numpy(),
            "std_error": tb["Std. Error"].to_numpy(),
            "ci_low": tb[lo_col].to_numpy(),
            "ci_high": tb[hi_col].to_numpy(),
            "p_value": tb["Pr(>|t|)"].to_numpy(),
            "n_obs": int(fit._N),
            "method": method,
        }
    )
    return out


def twfe(
    data: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    first_treated: str | None = None,
    *,
    treated_col: str | None = None,
    covariates: Sequence[str] | None = None,
    cluster: str | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Static two-way fixed-effects DiD: ``y ~ D (+ X) | unit + time``, clustered SEs.

    Parameters
    ----------
    data, outcome, unit, time
        Long panel and column names (``time`` as in :func:`staggered_did`).
    first_treated
        First treated period (then ``D = 1[t >= first_treated]``), or give
        ``treated_col`` (a 0/1 column) instead.
    covariates
        Extra regressors (time-varying; time-invariant ones are absorbed).
    cluster
        Cluster variable for CRV1 SEs; default the unit.

    Returns
    -------
    DataFrame
        Tidy rows ``term, estimate, std_error, ci_low, ci_high, p_value, n_obs, method``
        (``term = "D"`` first, then covariates), ``method = "TWFE"``. Confidence
        intervals use pyfixest's t(G - 1) reference.

    Notes
    -----
    Fitted by ``pyfixest.feols``. With staggered adoption and effects that change over
    time, the TWFE coefficient is a weighted average of 2x2 comparisons some of which
    use already-treated units as controls (Goodman-Bacon 2021), so it can be far from any
    average treatment effect, even of the wrong sign; use it only beside
    :func:`staggered_did`.
    """
    import pyfixest as pf  # lazy: heavy; only for FE models

    df, _, cov = _twfe_frame(
        data, outcome, unit, time, first_treated, treated_col, covariates, cluster
    )
    rhs = " + ".join(["_d", *[c for c, _ in cov]])
    # clustering by the unit itself reuses the fixed-effect column (as a direct call would)
    cl = "_unit" if cluster is None or cluster == unit else "_cl"
    # only the model's columns: pyfixest copies and scans whatever frame it is given
    used = list(dict.fromkeys(["_y", "_d", *[c for c, _ in cov], "_unit", "_t", cl]))
    model = df[used].astype({"_t": "int64"})  # integer codes factorise faster than floats
    fit = pf.feols(f"_y ~ {rhs} | _unit + _t", data=model, vcov={"CRV1": cl})
    names = {"_d": "D", **dict(cov)}
    return _feols_tidy(fit, names, "TWFE", alpha)


def twfe_event_study(
    data: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    first_treated: str,
    *,
    covariates: Sequence[str] | None = None,
    cluster: str | None = None,
    ref: int = -1,
    min_e: int | None = None,
    max_e: int | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Dynamic TWFE: relative-time dummies ``1[t - g = e]`` (``e != ref``) + unit & time FE.

    Never-treated units have all dummies zero. Event times beyond ``min_e``/``max_e``
    are binned into the end points.

    Returns
    -------
    DataFrame
        Tidy rows ``term ("e=-3"), estimate, std_error, ci_low, ci_high, p_value, n_obs,
        method ("TWFE event study"), event_time``; the reference period is a row with
        estimate 0 and missing SE.

    Notes
    -----
    Under heterogeneous effects the lead/lag coefficients are contaminated by other
    periods' effects (Sun & Abraham 2021); compare with
    ``staggered_did(...).aggregate("dynamic")``.
    """
    import pyfixest as pf  # lazy: heavy; only for FE models

    df, _, cov = _twfe_frame(data, outcome, unit, time, first_treated, None, covariates, cluster)
    ev = df["_t"] - df["_g"]
    lo = -np.inf if min_e is None else min_e
    hi = np.inf if max_e is None else max_e
    ev = ev.where(~np.isfinite(ev), ev.clip(lower=lo, upper=hi))  # never treated stay inf
    es = sorted(int(e) for e in ev[np.isfinite(ev)].unique() if e != ref)
    names = {}
    for e in es:
        name = f"_e{'m' if e < 0 else 'p'}{abs(e)}"
        df[name] = (ev == e).astype(float)
        names[name] = f"e={e}"
    rhs = " + ".join([*names, *[c for c, _ in cov]])
    fit = pf.feols(f"_y ~ {rhs} | _unit + _t", data=df, vcov={"CRV1": "_cl"})
    out = _feols_tidy(fit, {**names, **dict(cov)}, "TWFE event study", alpha)
    out = out[out["term"].str.startswith("e=")].copy()
    ref_row = {
        "term": f"e={ref}",
        "estimate": 0.0,
        "std_error": np.nan,
        "ci_low": np.nan,
        "ci_high": np.nan,
        "p_value": np.nan,
        "n_obs": int(fit._N),
        "method": "TWFE event study",
    }
    out = pd.concat([out, pd.DataFrame([ref_row])], ignore_index=True)
    out["event_time"] = out["term"].str[2:].astype(int)
    return out.sort_values("event_time").reset_index(drop=True)
