"""Robustness check: ordered logit of the predikat on training and feedback.

:func:`fit_ordinal_predikat` — conditional on covariates and period; an association, not
an identified causal effect (statsmodels ``OrderedModel``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from kinerja_analysis.core.errors import NotEstimable
from kinerja_analysis.core.results import tidy_row

# --------------------------------------------------------------------------- ordinal

PREDIKAT_ASCENDING = (
    "Sangat Kurang",
    "Kurang/Misconduct",
    "Butuh Perbaikan",
    "Baik",
    "Sangat Baik",
)


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
    ``odds_ratio`` its exponential.
    """
    from statsmodels.miscmodels.ordinal_model import (
        OrderedModel,  # lazy: heavy; only for this model
    )

    cols = list(regressors) + list(covariates)
    d = panel.dropna(subset=[*cols, "predikat"]).copy()
    d = d[d["predikat"].isin(PREDIKAT_ASCENDING)]
    y = pd.Categorical(d["predikat"], categories=list(PREDIKAT_ASCENDING), ordered=True)
    present = [c for c in PREDIKAT_ASCENDING if (y == c).any()]
    if len(present) < 2:
        raise NotEstimable(
            f"{len(d)} pengamatan lengkap dengan {len(present)} kategori predikat; "
            "butuh paling sedikit dua kategori (dan umpan balik periode sebelumnya)"
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
    model = OrderedModel(y, X, distr=distr)
    res = model.fit(
        method="bfgs",
        disp=False,
        maxiter=2000,
        cov_type="cluster",
        cov_kwds={"groups": pd.factorize(d["nip"])[0]},
    )
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
