"""Wild cluster restricted bootstrap and the OPD-level rollout DiD."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from kinerja_analysis.analyses.rollout import estimate_rollout_effects
from kinerja_analysis.methods.wildboot import bootstrap_weights, wild_cluster_test


def _clustered(seed: int, g: int = 12, n_per: int = 20, beta: float = 0.15):
    rng = np.random.default_rng(seed)
    cl = np.repeat(np.arange(g), n_per)
    x = rng.normal(size=g * n_per) + rng.normal(size=g)[cl]
    y = beta * x + rng.normal(size=g * n_per) + rng.normal(size=g)[cl]
    X = sm.add_constant(pd.DataFrame({"x": x}))
    return X, y, cl


def test_matches_wildboottest_package() -> None:
    """Reference: the `wildboottest` package (pyfixest's backend), WCR11, Webb weights.

    Same t-statistic to 1e-8 (both CR1); bootstrap p-values within 0.015 (different
    random draws; B = 29,999 gives a Monte Carlo SE of about 0.002 each).
    """
    wbt = pytest.importorskip("wildboottest.wildboottest")
    X, y, cl = _clustered(3)
    ref = wbt.wildboottest(
        sm.OLS(y, X),
        param="x",
        cluster=cl,
        B=29_999,
        weights_type="webb",
        seed=11,
        show=False,
    )
    ours = wild_cluster_test(X.to_numpy(), y, cl, np.array([0.0, 1.0]), n_boot=29_999, seed=1)
    assert ours.t_stat == pytest.approx(float(ref["statistic"].iloc[0]), abs=1e-8)
    assert ours.p_value == pytest.approx(float(ref["p-value"].iloc[0]), abs=0.015)
    assert ours.ci_low < ours.estimate < ours.ci_high


def test_ci_and_p_value_agree_and_are_seeded() -> None:
    X, y, cl = _clustered(5, beta=0.4)
    a = wild_cluster_test(X.to_numpy(), y, cl, np.array([0.0, 1.0]), n_boot=1999, seed=7)
    b = wild_cluster_test(X.to_numpy(), y, cl, np.array([0.0, 1.0]), n_boot=1999, seed=7)
    assert a == b
    # test inversion: 0 lies outside the 95% CI exactly when p < 0.05
    assert (a.p_value < 0.05) == (not (a.ci_low <= 0 <= a.ci_high))


def test_weights_have_mean_zero_unit_variance() -> None:
    w = bootstrap_weights(50, 4000, "webb", seed=0)
    assert abs(w.mean()) < 0.01 and abs(w.var() - 1) < 0.01
    with pytest.raises(ValueError):
        bootstrap_weights(5, 10, "normal", seed=0)  # type: ignore[arg-type]


def _rollout_panel(seed: int, effect: float, n_opd: int = 30, T: int = 8) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    opd = [f"OPD {i:02d}" for i in range(n_opd)]
    g = rng.choice([0, 3, 4, 5, 6, 7], size=n_opd, p=[0.2, 0.16, 0.16, 0.16, 0.16, 0.16])
    rows = []
    alpha = rng.normal(80, 4, n_opd)
    lam = np.linspace(0, 1.0, T)
    for i in range(n_opd):
        for t in range(1, T + 1):
            treated = g[i] > 0 and t >= g[i]
            # heterogeneous, growing effect: effect * (1 + 0.25 * (t - g))
            tau = effect * (1 + 0.25 * (t - g[i])) if treated else 0.0
            rows.append((opd[i], t, g[i], alpha[i] + lam[t - 1] + tau + rng.normal(0, 1.0), tau))
    return pd.DataFrame(rows, columns=["opd", "t", "g", "ikm", "tau"])


def test_rollout_recovers_planted_effect() -> None:
    d = _rollout_panel(1, effect=3.0)
    truth = d.loc[d["tau"] > 0, "tau"].mean()  # ATT over treated OPD-periods
    res = estimate_rollout_effects(d, outcomes=("ikm",), n_boot=999, seed=3, sensitivity=False)
    att = res.overall.iloc[0]
    assert att["ci_low"] <= truth <= att["ci_high"]
    assert att["p_value"] < 0.05
    assert abs(att["estimate"] - truth) < 1.0  # tolerance: about 2.5 cluster SEs
    pre = res.event[res.event["e"] < -1]
    assert (pre["p_value"] > 0.01).all()  # no planted pre-trend
    assert res.pretrend["p_value"].iloc[0] > 0.01


def test_rollout_null_effect_is_not_significant() -> None:
    d = _rollout_panel(2, effect=0.0)
    att = estimate_rollout_effects(
        d, outcomes=("ikm",), n_boot=999, seed=3, sensitivity=False
    ).overall.iloc[0]
    assert att["ci_low"] <= 0 <= att["ci_high"]
