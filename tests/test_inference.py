"""Sensitivity to parallel trends (HonestDiD), multiplicity (Holm) and power (MDE).

References
----------
* HonestDiD 0.2.6 (Rambachan & Roth 2023) on our own synthetic event studies:
  ``tests/data/honestdid/make_reference.R`` generates the inputs (``cases.csv``) and
  writes HonestDiD's output (``results.csv``); the log is beside them. C-LF confidence
  sets are grid sets: the same grid gives the same end points, so they are compared
  exactly (to 1e-12). FLCIs are compared to 1e-6 (they agree to about 1e-11); at M = 0
  the FLCI is the minimum-variance estimator, whose length agrees to 1e-9 and whose
  centre R's QP solver finds only to about 3e-5 (see the test).
* R's ``set.seed(0); rnorm(6)`` (R 4.2.2): printed below.
* Holm: R ``p.adjust(p, "holm")`` (R 4.2.2), values in the tests.
* Bloom (1995) multipliers: 2.49 (one-sided 5%, power 80%), 2.93 (90%), 2.17 (70%),
  2.12 (one-sided 10%, 80%), 2.80 (two-sided 5%, 80%); Duflo, Glennerster & Kremer (2007)
  eq. 7 evaluated by hand.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis.methods import multiplicity, power
from kinerja_analysis.methods.did import sensitivity as hd

HONEST = Path(__file__).parent / "data" / "honestdid"


def _cases() -> dict[str, tuple[np.ndarray, np.ndarray, int, int]]:
    d = pd.read_csv(HONEST / "cases.csv")
    out = {}
    for case, g in d.groupby("case"):
        p = int(g["n_pre"].iloc[0] + g["n_post"].iloc[0])
        beta = g.drop_duplicates("i").sort_values("i")["beta_i"].to_numpy(float)
        sigma = np.zeros((p, p))
        sigma[g["i"] - 1, g["j"] - 1] = g["sigma_ij"].to_numpy(float)
        out[case] = (beta, sigma, int(g["n_pre"].iloc[0]), int(g["n_post"].iloc[0]))
    return out


CASES = _cases()
RESULTS = pd.read_csv(HONEST / "results.csv")


def _l(case: str, which: str) -> np.ndarray:
    n_post = CASES[case][3]
    if which == "average":
        return np.full(n_post, 1 / n_post)
    e = np.zeros(n_post)
    e[0] = 1.0
    return e


def test_r_random_numbers_match_r():
    # R 4.2.2: set.seed(0); sprintf("%.17g", rnorm(6))
    r = [1.2629542848807933, -0.3262333607056494, 1.3297992629225006,
         1.2724293214294047, 0.41464143445640822, -1.5399500419037095]  # fmt: skip
    # same uniforms; scipy's and R's normal quantile functions differ in the last bit
    np.testing.assert_allclose(hd.r_rnorm(6), r, rtol=1e-15, atol=0)
    # set.seed(0); rmvnorm(4, sigma = S) with mvtnorm 1.1-3 (method "eigen")
    s = np.array([[2, 0.5, 0.3], [0.5, 1, 0.2], [0.3, 0.2, 1.5]])
    x = hd.r_rmvnorm(4, s)
    assert x[0, 0] == pytest.approx(1.8380416076010448, abs=1e-14)
    assert x[3, 2] == pytest.approx(-0.65002023810598497, abs=1e-14)


@pytest.mark.parametrize(
    "case, which",
    sorted(set(zip(RESULTS["case"], RESULTS["l"], strict=True))),
)
def test_matches_honestdid(case, which):
    beta, sigma, n_pre, n_post = CASES[case]
    lv = _l(case, which)
    ref = RESULTS[(RESULTS["case"] == case) & (RESULTS["l"] == which)]
    orig = ref[ref["method"] == "Original"].iloc[0]
    lo, hi = hd.original_ci(beta, sigma, n_pre, n_post, l_vec=lv)
    assert lo == pytest.approx(orig["lb"], abs=1e-12) and hi == pytest.approx(orig["ub"], abs=1e-12)
    edge = 20 * hd._sd_theta(sigma, n_pre, n_post, lv)  # HonestDiD's grid: ±20 SE
    for r in ref[ref["method"] == "C-LF"].itertuples():
        # where R's set reaches its grid end, our default grid is widened past it
        # (tests/test_sensitivity_grid.py); on R's own grid the result is R's
        at_edge = np.isclose([r.lb, r.ub], [-edge, edge], rtol=0, atol=1e-12).any()
        grid = {"grid_lb": -edge, "grid_ub": edge} if at_edge else {}
        lb, ub, _, _ = hd.relative_magnitudes_ci(
            beta, sigma, n_pre, n_post, r.value, l_vec=lv, **grid
        )
        assert lb == pytest.approx(r.lb, abs=1e-12), ("C-LF lb", r.value)
        assert ub == pytest.approx(r.ub, abs=1e-12), ("C-LF ub", r.value)
    for r in ref[ref["method"] == "FLCI"].itertuples():
        lb, ub = hd.smoothness_flci(beta, sigma, n_pre, n_post, r.value, l_vec=lv)
        if r.value == 0:
            # M = 0: the minimum-variance estimator. Same length to 1e-9; its centre lies
            # in a nearly flat valley of the variance, where R's QP solver stops up to
            # ~3e-5 away from the exact minimiser found here
            assert ub - lb == pytest.approx(r.ub - r.lb, abs=1e-9)
            assert (lb + ub) / 2 == pytest.approx((r.lb + r.ub) / 2, abs=5e-5)
            continue
        assert lb == pytest.approx(r.lb, abs=1e-6), ("FLCI lb", r.value)
        assert ub == pytest.approx(r.ub, abs=1e-6), ("FLCI ub", r.value)


def test_breakdown_value_brackets_the_grid():
    """The breakdown Mbar lies where the HonestDiD sets start to include zero."""
    beta, sigma, n_pre, n_post = CASES["a"]
    lv = _l("a", "average")
    res = hd.honest_did(beta, sigma, n_pre, n_post, l_vec=lv, values=[0, 0.5, 1, 2])
    iv = res.intervals.dropna(subset=["value"])
    excl = iv[(iv["lb"] > 0) | (iv["ub"] < 0)]["value"]
    incl = iv[~((iv["lb"] > 0) | (iv["ub"] < 0))]["value"]
    assert (excl <= res.breakdown + 0.01).all()
    assert (incl >= res.breakdown).all()
    assert 0 < res.breakdown < 5 and not res.breakdown_censored
    # just below the breakdown the union test rejects theta = 0, just above it does not
    assert hd._rm_rejects_zero(beta, sigma, n_pre, n_post, lv, res.breakdown, 0.05, "x")
    assert not hd._rm_rejects_zero(beta, sigma, n_pre, n_post, lv, res.breakdown + 0.02, 0.05, "x")
    from kinerja_analysis.core.results import check_tidy

    check_tidy(res.tidy())
    assert res.glance()["breakdown"].iloc[0] == res.breakdown


def test_breakdown_zero_when_not_significant_and_smoothness_monotone():
    beta = np.array([0.0, 0.0, 0.0, 0.01, 0.01])
    sigma = np.eye(5) * 0.05**2
    res = hd.honest_did(beta, sigma, 3, 2, values=[0, 1])
    assert res.breakdown == 0.0
    beta2 = np.array([0.01, -0.01, 0.0, 0.4, 0.5])
    sm = hd.honest_did(beta2, np.eye(5) * 0.02**2, 3, 2, delta="smoothness", values=[0, 0.05])
    lb, _ = hd.smoothness_flci(beta2, np.eye(5) * 0.02**2, 3, 2, sm.breakdown * 0.98)
    lb2, _ = hd.smoothness_flci(beta2, np.eye(5) * 0.02**2, 3, 2, sm.breakdown * 1.05)
    assert lb > 0 > lb2


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match="n_pre"):
        hd.honest_did(np.zeros(4), np.eye(4), 2, 3)
    with pytest.raises(ValueError, match="sigma"):
        hd.honest_did(np.zeros(4), np.eye(3), 2, 2)
    with pytest.raises(ValueError, match="delta"):
        hd.honest_did(np.zeros(4), np.eye(4), 2, 2, delta="nope")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- Holm


def test_holm_matches_r_p_adjust():
    # R 4.2.2: p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.20, 0.049, 0.0001, 0.5), "holm")
    p = [0.01, 0.04, 0.03, 0.005, 0.20, 0.049, 0.0001, 0.5]
    want = [0.06, 0.16, 0.15, 0.035, 0.4, 0.16, 0.0008, 0.5]
    np.testing.assert_allclose(multiplicity.adjust_pvalues(p), want, atol=1e-15)
    # ties and a p of 1: p.adjust(c(0.02, 0.02, 0.02, 0.5, 1), "holm")
    np.testing.assert_allclose(
        multiplicity.adjust_pvalues([0.02, 0.02, 0.02, 0.5, 1]), [0.1, 0.1, 0.1, 1, 1]
    )
    # missing p-values are left out of the family (m = 2 here, not 3)
    out = multiplicity.adjust_pvalues([0.01, np.nan, 0.04])
    assert np.isnan(out[1]) and out[0] == pytest.approx(0.02) and out[2] == pytest.approx(0.04)
    with pytest.raises(ValueError):
        multiplicity.adjust_pvalues([1.2])


def test_holm_matches_statsmodels():
    # Holm is computed here (statsmodels' Holm runs gc.collect() per call); it must agree
    # with statsmodels' multipletests on families with ties, zeros and ones
    from statsmodels.stats.multitest import multipletests

    rng = np.random.default_rng(7)
    for m in (1, 2, 5, 17, 60):
        p = rng.uniform(size=m) ** 3
        p[rng.integers(0, m, size=m // 3)] = p[0]  # ties
        if m > 2:
            p[1], p[2] = 0.0, 1.0
        want = multipletests(p, method="holm")[1]
        np.testing.assert_allclose(multiplicity.adjust_pvalues(p), want, rtol=0, atol=1e-15)


# --------------------------------------------------------------------------- power


def test_bloom_multipliers():
    assert power.multiplier(two_sided=False) == pytest.approx(2.49, abs=0.005)
    assert power.multiplier(power=0.9, two_sided=False) == pytest.approx(2.93, abs=0.005)
    assert power.multiplier(power=0.7, two_sided=False) == pytest.approx(2.17, abs=0.005)
    assert power.multiplier(alpha=0.10, two_sided=False) == pytest.approx(2.12, abs=0.005)
    assert power.multiplier() == pytest.approx(1.959963984540054 + 0.8416212335729143, abs=1e-12)


def test_mde_hand_calculations():
    m = 1.959963984540054 + 0.8416212335729143
    # DGK eq. 7, sigma = 1, P = 0.5: N = 400 -> M * sqrt(1/200 + 1/200)
    assert power.mde_two_groups(1.0, 200, 200) == pytest.approx(m * np.sqrt(0.01), abs=1e-12)
    assert power.mde_two_groups(1.0, 200, 200) == pytest.approx(0.2801585218, abs=1e-9)
    assert power.mde_two_groups(1.0, 300, 700) == pytest.approx(0.1933277471, abs=1e-9)
    assert power.mde(0.5) == pytest.approx(m * 0.5, abs=1e-12)
    # inverse: the treated group that makes the MDE equal a target
    n = power.n_treated_for(0.25, 1.2, 900)
    assert power.mde_two_groups(1.2, n, 900) == pytest.approx(0.25, rel=1e-12)
    assert power.n_treated_for(0.01, 1.0, 50) == np.inf  # the controls alone are too few
