"""Rambachan–Roth C-LF sets: a bound is never the end of the search grid passed off as a
bound of the set (widened grid; censored bounds marked and printed "≥ x" / "≤ x")."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_inference import CASES, RESULTS, _l

from kinerja_analysis.analyses.training import sensitivity_frame
from kinerja_analysis.methods.did import sensitivity as hd
from kinerja_analysis.reporting.text import sensitivity_display


def _edge_rows():
    """HonestDiD references whose C-LF set reaches R's grid end (±20 SE)."""
    out = []
    for r in RESULTS[RESULTS["method"] == "C-LF"].itertuples():
        beta, sigma, n_pre, n_post = CASES[r.case]
        edge = 20 * hd._sd_theta(sigma, n_pre, n_post, _l(r.case, r.l))
        if np.isclose([r.lb, r.ub], [-edge, edge], rtol=0, atol=1e-12).any():
            out.append((r.case, r.l, r.value))
    return out


EDGE = _edge_rows()


def test_references_include_sets_at_the_grid_end():
    # the case this file is about must be present in the R references
    assert len(EDGE) >= 1


@pytest.mark.parametrize("case, which, mbar", EDGE)
def test_widened_bound_is_the_set_bound(case, which, mbar):
    beta, sigma, n_pre, n_post = CASES[case]
    lv = _l(case, which)
    edge = 20 * hd._sd_theta(sigma, n_pre, n_post, lv)
    ref = RESULTS[(RESULTS.case == case) & (RESULTS.l == which) & (RESULTS.value == mbar)]
    r_ub = float(ref[ref.method == "C-LF"]["ub"].iloc[0])
    assert r_ub == pytest.approx(edge, abs=1e-12)  # R prints its grid end
    got = hd.relative_magnitudes_ci(beta, sigma, n_pre, n_post, mbar, l_vec=lv)
    assert not got.ub_censored and not got.lb_censored
    assert got.ub > edge  # the set goes on beyond R's grid
    # an independent fine grid over a fixed, much wider range finds the same upper end
    # (to within the coarser of the two grid steps)
    fine = hd.relative_magnitudes_ci(
        beta, sigma, n_pre, n_post, mbar, l_vec=lv, grid_lb=-edge, grid_ub=4 * edge,
        grid_points=3001,
    )  # fmt: skip
    assert not fine.ub_censored
    step = max(np.diff(got.grid[got.grid > edge]).max(), 5 * edge / 3000)
    assert got.ub == pytest.approx(fine.ub, abs=step)
    # the lower bound, inside R's grid, is R's
    assert got.lb == pytest.approx(float(ref[ref.method == "C-LF"]["lb"].iloc[0]), abs=1e-12)


def test_bound_at_the_cap_is_censored_and_said_so():
    beta, sigma, n_pre, n_post = CASES[EDGE[0][0]]
    lv = _l(EDGE[0][0], EDGE[0][1])
    sd = hd._sd_theta(sigma, n_pre, n_post, lv)
    # no widening allowed: HonestDiD's own grid, and its end is marked, not passed off
    capped = hd.relative_magnitudes_ci(beta, sigma, n_pre, n_post, EDGE[0][2], l_vec=lv, cap_sd=0)
    assert capped.ub_censored and not capped.lb_censored
    assert capped.ub == pytest.approx(20 * sd, abs=1e-12)
    # a bound the caller fixes is never moved, and is marked when the set reaches it
    fixed = hd.relative_magnitudes_ci(
        beta, sigma, n_pre, n_post, EDGE[0][2], l_vec=lv, grid_lb=-20 * sd, grid_ub=20 * sd
    )
    assert fixed.ub == pytest.approx(20 * sd, abs=1e-12) and fixed.ub_censored


def test_censored_flags_reach_the_table_and_its_text():
    # Mbar = 50 on a two-pre, one-post design: a wide set, inside the widened grid;
    # Mbar = 500: wider than GRID_CAP_SD standard errors on both sides, censored
    b, s = np.array([0.1, 0.0, 1.0]), np.eye(3) * 0.04
    res = hd.honest_did(b, s, 2, 1, values=[0.5, 50.0, 500.0])
    iv = res.intervals.set_index("value", drop=False)
    assert not iv["ub_censored"].iloc[0]  # the original CI: a closed form
    wide = iv[iv["value"] == 50.0].iloc[0]
    assert not wide["ub_censored"] and not wide["lb_censored"] and wide["ub"] > 20 * 0.2
    big = iv[iv["value"] == 500.0].iloc[0]
    assert big["ub_censored"] and big["lb_censored"]
    assert big["ub"] - big["lb"] == pytest.approx(2 * hd.GRID_CAP_SD * 0.2)
    t = res.tidy()
    assert {"ci_low_censored", "ci_high_censored"} <= set(t.columns)
    shown = sensitivity_display(t.assign(breakdown=res.breakdown), "id")
    row = shown[t["term"] == "mbar=500"].iloc[0]
    assert row["ci_high"].startswith("≥ ") and row["ci_low"].startswith("≤ ")
    assert not shown[t["term"] == "mbar=50"].iloc[0]["ci_high"].startswith("≥")
    assert not shown[t["term"] == "original"].iloc[0]["ci_high"].startswith("≥")
    en = sensitivity_display(t, "en")
    assert en[t["term"] == "mbar=500"].iloc[0]["ci_high"].startswith("≥ ")


def test_sensitivity_frame_carries_the_flags_and_smoothness_is_never_censored():
    e = np.array([-4, -3, -2, 0, 1, 2])
    b = np.array([0.05, -0.04, 0.02, 1.5, 1.6, 1.7])
    v = np.eye(6) * 0.14**2
    t = sensitivity_frame(e, b, v)
    assert {"ci_low_censored", "ci_high_censored", "breakdown_censored"} <= set(t.columns)
    assert not t.loc[t["delta"] == "smoothness", "ci_high_censored"].any()
    rm = t[(t["delta"] == "relative_magnitudes") & (t["term"] != "original")]
    sd = float(np.sqrt(np.full(3, 1 / 3) @ v[3:, 3:] @ np.full(3, 1 / 3)))
    # no uncensored bound sits on HonestDiD's grid end
    for r in rm.itertuples():
        for x, c in ((r.ci_low, r.ci_low_censored), (r.ci_high, r.ci_high_censored)):
            assert c or not np.isclose(abs(x), 20 * sd, rtol=0, atol=1e-9)
    shown = sensitivity_display(t)
    assert "ci_high_censored" not in shown
    assert all(isinstance(x, str) for x in shown["ci_high"])
    assert pd.api.types.is_bool_dtype(t["ci_high_censored"])


def test_folded_normal_quantile_is_numpys_quantile_of_the_draws_exactly():
    """The FLCI's quantile of |N(mu, 1)| (HonestDiD's 10^6 R draws, type 7) is taken from
    the sorted draws by bisection; it must be the very number np.quantile gives over the
    million folded draws — for quantiles from the tails to the middle and shifts that put
    the fold anywhere in the draws (below all of them, above all, on a draw)."""
    d = hd._fold_draws()
    rng = np.random.default_rng(20261201)
    shifts = [
        *rng.normal(0, 2, 25),
        0.0,
        -0.0,
        1e-300,
        -40.0,
        40.0,
        float(-d[123]),  # the fold exactly on a draw
        float(-d.min()),
        float(-d.max()),
    ]
    for p in (0.95, 0.975, 0.9, 0.5, 0.05, 1e-7, 1 - 1e-7, 0.0, 1.0):
        for mu in shifts:
            want = float(np.quantile(np.abs(d + mu), p))
            assert hd._qfoldednormal(p, mu) == want, (p, mu)


def test_a_singular_event_study_covariance_is_not_estimable():
    """A subgroup whose event study rests on one cluster gives a rank-1 covariance (the
    security city's after its OPD named '-' was read as no name): the FLCI search divided
    by its zero smallest SD and the whole cross-period analysis failed. It is said as not
    estimable, with the rank, for the analyses to note."""
    from kinerja_analysis.core.errors import NotEstimable
    from kinerja_analysis.methods.did.sensitivity import honest_did

    b = np.array([0.3625, 0.27, 0.225, 4.65, 4.975, 6.0, 6.3125])
    u = np.array([1.16, 0.6, 0.02, 0.29, 0.26, 0.19, 0.81])
    for delta in ("smoothness", "relative_magnitudes"):
        with pytest.raises(NotEstimable) as e:
            honest_did(b, np.outer(u, u), 3, 4, delta=delta, l_vec=np.full(4, 0.25))
        assert e.value.reason == "singular_vcov" and e.value.facts == {"rank": 1, "size": 7}
    r = honest_did(b, np.outer(u, u) + np.eye(7) * 1e-4, 3, 4, delta="smoothness")
    assert np.isfinite(r.tidy()["ci_low"]).all()  # full rank: estimated as before


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("bound", ["deviation from parallel trends", "deviation from linear trend"])
def test_grid_tested_at_once_equals_point_by_point(case, bound):
    """The C-LF grid's points tested together (one LP product for all, the conditional
    part only where needed) accept exactly the points the one-at-a-time test accepts,
    on every reference case, for each piece (s, sign) of Delta^RM."""
    beta, sigma, n_pre, n_post = CASES[case]
    if bound.endswith("linear trend") and n_pre < 2:
        pytest.skip("Delta^SDRM needs two pre-periods")
    lv = np.full(n_post, 1.0 / n_post)
    kappa, alpha = 0.005, 0.05
    sd = hd._sd_theta(sigma, n_pre, n_post, lv)
    est = float(lv @ beta[n_pre:])
    grid = est + np.linspace(-30 * sd, 30 * sd, 241)
    seen = np.zeros(2, dtype=int)  # points rejected, accepted
    for mbar in (0.25, 2.0):
        pieces = hd._pieces(beta, sigma, n_pre, n_post, lv, mbar, kappa, bound)
        one = [
            [hd._accepts(fs, beta, sigma, n_pre, th, alpha, kappa) for th in grid] for fs in pieces
        ]
        for fs, want in zip(pieces, one, strict=True):
            got = hd._accepts_many(fs, beta, sigma, n_pre, grid, alpha, kappa)
            np.testing.assert_array_equal(got, want)
        anywhere = hd._accepted_anywhere(pieces, beta, sigma, n_pre, grid, alpha, kappa)
        np.testing.assert_array_equal(anywhere, np.any(one, axis=0))
        seen += np.bincount(anywhere, minlength=2)
    assert seen.min() > 0  # the grid crosses a set's bounds: both outcomes compared


@pytest.mark.parametrize(
    ("beta", "n_pre", "bound", "start"),
    [
        ([1.4, 0.2, -0.5], 1, "deviation from parallel trends", 0.2),
        ([1.1, -0.4, 0.2, -0.5], 2, "deviation from linear trend", -0.2),
    ],
)
def test_exact_ties_decided_alike_however_many_points(beta, n_pre, bound, start):
    """At Mbar = 0 the vertices of the dual tie exactly, and a grid that starts at the
    identified value puts a point on the tie: that point is accepted whether it is tested
    alone, with one other point or with many (a product of all the columns at once took
    another BLAS kernel and flipped it; one case divided by a zero variance; review
    helper-75)."""
    beta = np.asarray(beta, dtype=float)
    m = len(beta)
    sigma = np.full((m, m), 0.01) + np.eye(m) * 0.03
    lv = np.array([1.0, 0.0])
    first = []
    for k in (1, 2, 5, 40):
        r = hd.relative_magnitudes_ci(
            beta, sigma, n_pre, 2, 0.0, l_vec=lv, grid_lb=start, grid_ub=start + 1.0,
            grid_points=k, bound=bound,
        )  # fmt: skip
        assert r.grid[0] == start
        first.append(bool(r.accept[0]))
        pieces = hd._pieces(beta, sigma, n_pre, 2, lv, 0.0, 0.005, bound)
        one = [
            any(hd._accepts(fs, beta, sigma, n_pre, th, 0.05, 0.005) for fs in pieces)
            for th in r.grid
        ]
        np.testing.assert_array_equal(r.accept, one)
    assert first == [True] * 4


def test_edge_point_decided_alike_however_many_points():
    """A point within an ulp of a piece's bound is decided the same alone and among 2,
    5 or 40 points: each point's y reaches the conditional test as the same contiguous
    vector (a strided column took another BLAS dot product and flipped it; review
    helper-76)."""
    beta = np.array([-0.07165584966957965, 0.049495628848707146, 0.0038646733860569667,
                     -0.038540674746075476, -0.013763657076381884])  # fmt: skip
    sigma = np.array([
        [0.06840735174529501, 0.0057805529955924145, -0.02430868630062925, -0.027416783301843484, -0.01685529756485986],
        [0.0057805529955924145, 0.021337822335062845, 0.0006887537607061297, 0.01467306866249103, -0.010586111200058987],
        [-0.02430868630062925, 0.0006887537607061297, 0.08470876785313419, 0.032517649743020016, 0.00875430562830435],
        [-0.027416783301843484, 0.01467306866249103, 0.032517649743020016, 0.06112447732304337, 0.0015214903270482482],
        [-0.01685529756485986, -0.010586111200058987, 0.00875430562830435, 0.0015214903270482482, 0.054759979678837015],
    ])  # fmt: skip
    lv = np.array([0.45568264074657094, 0.3439971184453586, 0.20032024080807045])
    theta, bound = -0.6618080723171644, "deviation from linear trend"
    pieces = hd._pieces(beta, sigma, 2, 3, lv, 0.1, 0.005, bound)
    alone = any(hd._accepts(fs, beta, sigma, 2, theta, 0.05, 0.005) for fs in pieces)
    for k in (1, 2, 5, 40):
        r = hd.relative_magnitudes_ci(
            beta, sigma, 2, 3, 0.1, l_vec=lv, bound=bound, grid_lb=theta,
            grid_ub=theta + 1.0, grid_points=k,
        )  # fmt: skip
        assert r.grid[0] == theta
        assert bool(r.accept[0]) == alone
