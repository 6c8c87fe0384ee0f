"""Two-way fixed effects beside Callaway–Sant'Anna: the familiar number, and why it misleads.

:func:`twfe` is the static regression ``y ~ D | unit + time``; :func:`twfe_event_study`
the dynamic one with relative-time dummies. Both go through the pyfixest adapter
(:mod:`kinerja_analysis.methods.fixest`). With staggered adoption and effects that change
over time, the TWFE coefficient is a weighted average of 2x2 comparisons some of which
use already-treated units as controls (Goodman-Bacon 2021), and event-study leads and
lags are contaminated by other periods' effects (Sun & Abraham 2021).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kinerja_analysis.core.frames import concat_rows
from kinerja_analysis.core.results import tidy_frame
from kinerja_analysis.methods import fixest
from kinerja_analysis.methods.did.preprocess import (
    covariate_frame,
    encode_first_treated,
    encode_time,
)

__all__ = ["twfe", "twfe_event_study"]


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
    tcode, axis = encode_time(data[time])
    cols_out: dict[str, np.ndarray] = {
        "_y": pd.to_numeric(data[outcome]).to_numpy(dtype=float),
        "_unit": data[unit].to_numpy(),
        "_t": tcode,
    }
    if cluster is not None and cluster != unit:
        cols_out["_cl"] = data[cluster].to_numpy()
    if first_treated is not None:
        g = encode_first_treated(data[first_treated], axis)
        cols_out["_g"] = g
        cols_out["_d"] = (np.isfinite(g) & (tcode >= g)).astype(float)
    else:
        cols_out["_d"] = pd.to_numeric(data[treated_col]).to_numpy(dtype=float)
    cov_names = []
    xc = covariate_frame(data, covariates)
    for i, c in enumerate(xc.columns):
        name = f"_x{i}"
        cols_out[name] = xc[c].to_numpy(dtype=float)
        cov_names.append((name, c))
    # rows with a missing value are dropped (never treated: _g = inf, not missing)
    ok = np.ones(len(data), dtype=bool)
    for name, v in cols_out.items():
        if name != "_g":
            ok &= ~pd.isna(v)
    if not ok.all():
        cols_out = {k: v[ok] for k, v in cols_out.items()}
    return pd.DataFrame(cols_out), axis, cov_names


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
    Fitted by ``pyfixest.feols`` (through :mod:`kinerja_analysis.methods.fixest`). With staggered adoption and effects that change over
    time, the TWFE coefficient is a weighted average of 2x2 comparisons some of which
    use already-treated units as controls (Goodman-Bacon 2021), so it can be far from any
    average treatment effect, even of the wrong sign; use it only beside
    :func:`staggered_did`.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> d = pd.DataFrame({"id": np.repeat(np.arange(40), 4), "t": np.tile([1, 2, 3, 4], 40)})
    >>> d["g"] = np.where(d["id"] < 20, 3, 0)
    >>> d["y"] = d["id"] % 5 + d["t"] + 2.0 * ((d["g"] > 0) & (d["t"] >= d["g"])) + rng.normal(0, 0.1, len(d))
    >>> twfe(d, "y", "id", "t", "g")[["estimate", "n_obs"]].round(1)
       estimate  n_obs
    0       2.0    160
    """
    df, _, cov = _twfe_frame(
        data, outcome, unit, time, first_treated, treated_col, covariates, cluster
    )
    # clustering by the unit itself reuses the fixed-effect column (as a direct call would)
    cl = "_unit" if cluster is None or cluster == unit else "_cl"
    df["_t"] = df["_t"].astype("int64")  # integer codes factorise faster than floats
    regs = ["_d", *[c for c, _ in cov]]
    fit = fixest.feols(df, "_y", regs, ["_unit", "_t"], cluster=cl)
    return fixest.tidy(fit, method="TWFE", alpha=alpha, names={"_d": "D", **dict(cov)})


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

    Examples
    --------
    >>> u = pd.MultiIndex.from_product([range(30), range(1, 6)], names=["i", "t"]).to_frame(index=False)
    >>> u["g"] = np.where(u["i"] < 10, 3, np.where(u["i"] < 20, 4, 0))
    >>> u["y"] = u["t"] + u["i"] % 3 + 1.0 * (u["g"].gt(0) & u["t"].ge(u["g"]))
    >>> es = twfe_event_study(u, "y", "i", "t", "g")
    >>> es.set_index("term")["estimate"].round(6).loc[["e=0", "e=1"]].tolist()
    [1.0, 1.0]
    """
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
    regs = [*names, *[c for c, _ in cov]]
    cl = "_unit" if cluster is None or cluster == unit else "_cl"
    fit = fixest.feols(df, "_y", regs, ["_unit", "_t"], cluster=cl)
    method = "TWFE event study"
    out = fixest.tidy(fit, method=method, alpha=alpha, names={**names, **dict(cov)})
    out = out[out["term"].str.startswith("e=")]
    ref_row = {"term": f"e={ref}", "estimate": 0.0, "n_obs": fixest.n_obs(fit), "method": method}
    out = tidy_frame(concat_rows([out, pd.DataFrame([ref_row])], ignore_index=True))
    out["event_time"] = out["term"].str[2:].astype(int)
    return out.sort_values("event_time").reset_index(drop=True)
