"""Tests for kinerja_analysis.did (Callaway & Sant'Anna staggered DiD, TWFE).

Reference values: R ``did`` on ``mpdta`` (tests/data/mpdta.csv), collected in
tests/data/did_r_reference.csv; tests/data/mpdta.README.md gives the source of every
number. R calls (bstrap = FALSE gives the analytic, influence-function SEs):

    out <- att_gt(yname = "lemp", tname = "year", idname = "countyreal",
                  gname = "first.treat", xformla = ~1 | ~lpop, data = mpdta,
                  control_group = "nevertreated" | "notyettreated",
                  est_method = "dr" | "ipw" | "reg", bstrap = FALSE, cband = FALSE)
    aggte(out, type = "simple" | "group" | "dynamic" | "calendar", bstrap = FALSE)

Tolerance 1e-6 for estimates and standard errors (full-precision or 10-decimal sources);
the Wald pre-test p-value is printed by R to 5 decimals, so 5e-6 there.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis.methods.did.estimator import staggered_did
from kinerja_analysis.methods.did.twfe import twfe, twfe_event_study

DATA = Path(__file__).parent / "data"
TOL = 1e-6

SCENARIOS = {
    # scenario: (control_group, method, covariates)
    "mpdta_nev_dr": ("never_treated", "dr", None),
    "mpdta_nyt_dr": ("not_yet_treated", "dr", None),
    "mpdta_nev_ipw": ("never_treated", "ipw", None),
    "mpdta_nev_reg_lpop": ("never_treated", "reg", ["lpop"]),
    "mpdta_nev_dr_lpop": ("never_treated", "dr", ["lpop"]),
    "mpdta_nyt_dr_lpop": ("not_yet_treated", "dr", ["lpop"]),
    "mpdta_nyt_reg_lpop": ("not_yet_treated", "reg", ["lpop"]),
}


_REF = pd.read_csv(DATA / "did_r_reference.csv")
_AGG_CASES = [
    (scn, kind)
    for scn in SCENARIOS
    for kind in ("simple", "group", "dynamic", "calendar")
    if ((_REF.scenario == scn) & _REF.quantity.isin([kind, f"{kind}_overall"])).any()
]
_PRETEST_CASES = [
    s for s in SCENARIOS if ((_REF.scenario == s) & (_REF.quantity == "pretest")).any()
]


@pytest.fixture(scope="module")
def mpdta() -> pd.DataFrame:
    return pd.read_csv(DATA / "mpdta.csv")


@pytest.fixture(scope="module")
def ref() -> pd.DataFrame:
    return _REF


@pytest.fixture(scope="module")
def fits(mpdta) -> dict:
    out = {}
    for name, (cg, m, cov) in SCENARIOS.items():
        out[name] = staggered_did(
            mpdta,
            "lemp",
            "countyreal",
            "year",
            "first.treat",
            covariates=cov,
            control_group=cg,
            method=m,
            n_boot=199,
        )
    return out


def _close(actual, expected, tol=TOL) -> None:
    actual, expected = np.asarray(actual, float), np.asarray(expected, float)
    have = np.isfinite(expected)
    np.testing.assert_allclose(actual[have], expected[have], rtol=0, atol=tol)


# --------------------------------------------------------------------------------------
# R did on mpdta
# --------------------------------------------------------------------------------------
def test_mpdta_shape(mpdta):
    assert mpdta.shape == (2500, 6)
    assert mpdta["countyreal"].nunique() == 500
    # 309 never treated, cohorts 2004/2006/2007 of 20/40/131 counties (R's mpdta)
    sizes = mpdta.groupby("first.treat")["countyreal"].nunique().to_dict()
    assert sizes == {0: 309, 2004: 20, 2006: 40, 2007: 131}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_att_gt_matches_r(fits, ref, scenario):
    r = ref[(ref.scenario == scenario) & (ref.quantity == "att_gt")]
    a = fits[scenario].att_gt.set_index(["group", "time"])
    a = a.loc[list(zip(r["group"], r["time"], strict=True))]
    assert len(a) == 12 == len(fits[scenario].att_gt)
    _close(a["estimate"], r["estimate"])
    _close(a["std_error"], r["std_error"])


@pytest.mark.parametrize("scenario, kind", _AGG_CASES)
def test_aggregations_match_r(fits, ref, scenario, kind):
    agg = fits[scenario].aggregate(kind)
    rs = ref[ref.scenario == scenario]
    overall = rs[rs.quantity == (kind if kind == "simple" else f"{kind}_overall")]
    assert agg["term"].iloc[0] == "ATT"
    _close(agg["estimate"].iloc[:1], overall["estimate"])
    _close(agg["std_error"].iloc[:1], overall["std_error"])
    levels = rs[rs.quantity == kind]
    if kind == "simple" or levels.empty:
        return
    col = {"group": "group", "dynamic": "event_time", "calendar": "time"}[kind]
    body = agg.iloc[1:].set_index(col)
    body.index = body.index.astype(int)
    assert sorted(body.index) == sorted(levels[col].astype(int))
    got = body.loc[levels[col].astype(int)]
    _close(got["estimate"], levels["estimate"])
    _close(got["std_error"], levels["std_error"])


def test_published_vignette_values(fits):
    # did README / vignette, unconditional DR, never treated (printed to 4 decimals):
    # ATT(2004,2004) = -0.0105 (SE 0.0233), aggte simple = -0.0400
    a = fits["mpdta_nev_dr"].att_gt.set_index(["group", "time"])
    assert a.loc[(2004, 2004), "estimate"] == pytest.approx(-0.0105, abs=5e-5)
    assert a.loc[(2004, 2004), "std_error"] == pytest.approx(0.0233, abs=5e-5)
    assert fits["mpdta_nev_dr"].aggregate("simple")["estimate"].iloc[0] == pytest.approx(
        -0.0400, abs=5e-5
    )


@pytest.mark.parametrize("scenario", _PRETEST_CASES)
def test_pretrend_test_matches_r(fits, ref, scenario):
    r = ref[(ref.scenario == scenario) & (ref.quantity == "pretest")]
    pt = fits[scenario].pretrend_test()
    assert pt["df"].iloc[0] == 5  # 2006: 2 pre cells, 2007: 3 pre cells
    _close(pt["statistic"], r["estimate"])
    _close(pt["p_value"], r["p_value"], tol=5e-6)


def test_balance_e_matches_r(fits, ref):
    res = fits["mpdta_nev_dr_lpop"]
    rs = ref[ref.scenario == "mpdta_nev_dr_lpop"]
    for b, grid in [(0, [-3, -2, -1, 0]), (1, [-2, -1, 0, 1])]:
        agg = res.aggregate("dynamic", balance_e=b)
        assert agg["event_time"].iloc[1:].tolist() == grid
        r = rs[rs.quantity == f"dynamic_balance_e{b}_overall"]
        _close(agg["estimate"].iloc[:1], r["estimate"])
        _close(agg["std_error"].iloc[:1], r["std_error"])


def test_twfe_matches_fixest_on_mpdta(mpdta):
    # R: fixest::feols(lemp ~ post | countyreal + year, cluster = ~countyreal, mpdta)
    # printed: Estimate -0.036549, Std. Error 0.013265, Pr(>|t|) 0.006079
    tw = twfe(mpdta, "lemp", "countyreal", "year", "first.treat")
    row = tw.iloc[0]
    assert row["term"] == "D" and row["method"] == "TWFE" and row["n_obs"] == 2500
    assert row["estimate"] == pytest.approx(-0.036549, abs=1e-6)
    assert row["std_error"] == pytest.approx(0.013265, abs=1e-6)
    assert row["p_value"] == pytest.approx(0.006079, abs=1e-6)


# --------------------------------------------------------------------------------------
# data handling
# --------------------------------------------------------------------------------------
def _to_quarters(df: pd.DataFrame) -> pd.DataFrame:
    # 2003..2007 -> 2023Q3, 2023Q4, 2024Q1, 2024Q2, 2024Q3 (consecutive quarters)
    lab = {2003: "2023Q3", 2004: "2023Q4", 2005: "2024Q1", 2006: "2024Q2", 2007: "2024Q3"}
    out = df.copy()
    out["year"] = out["year"].map(lab)
    out["first.treat"] = out["first.treat"].map(lambda g: lab.get(g))  # 0 -> None
    return out


def test_period_codes_give_same_numbers(mpdta, fits):
    q = _to_quarters(mpdta)
    res = staggered_did(
        q, "lemp", "countyreal", "year", "first.treat", covariates=["lpop"], n_boot=199
    )
    base = fits["mpdta_nev_dr_lpop"]
    np.testing.assert_allclose(res.att_gt["estimate"], base.att_gt["estimate"], atol=1e-12)
    np.testing.assert_allclose(res.att_gt["std_error"], base.att_gt["std_error"], atol=1e-12)
    assert res.att_gt["group"].iloc[0] == "2023Q4"
    assert res.att_gt["time"].iloc[0] == "2023Q4"
    assert res.att_gt["event_time"].tolist() == base.att_gt["event_time"].tolist()
    dyn = res.aggregate("dynamic")
    np.testing.assert_allclose(dyn["estimate"], base.aggregate("dynamic")["estimate"], atol=1e-12)
    assert res.aggregate("group")["term"].tolist() == ["ATT", "g=2023Q4", "g=2024Q2", "g=2024Q3"]
    assert res.aggregate("calendar")["term"].iloc[1] == "t=2023Q4"
    # the same with NaN for never treated and years as "YYYY" strings
    y = mpdta.copy()
    y["year"] = y["year"].astype(str)
    y["first.treat"] = y["first.treat"].map(lambda g: str(g) if g else np.nan)
    res_y = staggered_did(y, "lemp", "countyreal", "year", "first.treat", n_boot=0)
    np.testing.assert_allclose(
        res_y.att_gt["estimate"], fits["mpdta_nev_dr"].att_gt["estimate"], atol=1e-12
    )
    assert res_y.att_gt["group"].iloc[0] == "2004"


def test_never_treated_coding_nan_equals_zero(mpdta, fits):
    d = mpdta.copy()
    d["first.treat"] = d["first.treat"].replace(0, np.nan)
    res = staggered_did(d, "lemp", "countyreal", "year", "first.treat", n_boot=0)
    np.testing.assert_allclose(
        res.att_gt["estimate"], fits["mpdta_nev_dr"].att_gt["estimate"], atol=1e-12
    )


def test_first_period_treated_dropped_with_note(mpdta, fits):
    d = mpdta.copy()
    movers = d["countyreal"].drop_duplicates().iloc[-7:]  # 7 never-treated counties
    d.loc[d["countyreal"].isin(movers), "first.treat"] = 2003
    res = staggered_did(d, "lemp", "countyreal", "year", "first.treat", n_boot=0)
    assert res.counts["units_dropped_treated_first_period"] == 7
    assert res.n_units == 493
    assert any("already treated in the first period" in n for n in res.notes)
    # identical to estimating without those units
    ref = staggered_did(
        d[~d["countyreal"].isin(movers)], "lemp", "countyreal", "year", "first.treat", n_boot=0
    )
    np.testing.assert_allclose(res.att_gt["estimate"], ref.att_gt["estimate"], atol=1e-12)
    np.testing.assert_allclose(res.att_gt["std_error"], ref.att_gt["std_error"], atol=1e-12)


def test_unbalanced_panel_is_balanced_and_counted(mpdta):
    d = mpdta.drop(index=[0, 7, 12, 13]).reset_index(drop=True)  # 3 counties lose rows
    gone = mpdta.loc[[0, 7, 12], "countyreal"].unique()
    res = staggered_did(d, "lemp", "countyreal", "year", "first.treat", n_boot=0)
    assert res.counts["units_dropped_unbalanced"] == 3
    assert res.counts["rows_dropped_unbalanced"] == 3 * 5 - 4
    assert any("balance the panel" in n for n in res.notes)
    ref = staggered_did(
        mpdta[~mpdta["countyreal"].isin(gone)],
        "lemp",
        "countyreal",
        "year",
        "first.treat",
        n_boot=0,
    )
    np.testing.assert_allclose(res.att_gt["estimate"], ref.att_gt["estimate"], atol=1e-12)
    with pytest.raises(ValueError, match="unbalanced panel"):
        staggered_did(d, "lemp", "countyreal", "year", "first.treat", unbalanced="error")


def test_missing_outcome_rows_dropped_and_counted(mpdta):
    d = mpdta.copy()
    d.loc[[3, 4], "lemp"] = np.nan  # same county, two years
    res = staggered_did(d, "lemp", "countyreal", "year", "first.treat", n_boot=0)
    assert res.counts["rows_dropped_missing"] == 2
    assert res.counts["units_dropped_unbalanced"] == 1
    assert res.n_units == 499


@pytest.mark.parametrize("kind", ["object", "string", "category"])
def test_unit_as_text_or_category_gives_the_same_numbers(mpdta, fits, kind):
    """The unit column is only an identity: ids as text (Arrow strings, Python objects)
    or as a category with unused levels give R's numbers, and a row without a unit is
    dropped and counted like a row without an outcome."""
    d = mpdta.copy()
    ids = "c" + d["countyreal"].astype(str)
    if kind == "category":
        d["countyreal"] = pd.Categorical(ids, categories=["zzz", *sorted(ids.unique())])
    else:
        d["countyreal"] = ids.astype(object if kind == "object" else "string[pyarrow]")
    res = staggered_did(d, "lemp", "countyreal", "year", "first.treat", n_boot=0)
    base = fits["mpdta_nev_dr"]
    np.testing.assert_allclose(res.att_gt["estimate"], base.att_gt["estimate"], atol=1e-12)
    np.testing.assert_allclose(res.att_gt["std_error"], base.att_gt["std_error"], atol=1e-12)
    d.loc[[3], "countyreal"] = None
    gone = staggered_did(d, "lemp", "countyreal", "year", "first.treat", n_boot=0)
    assert gone.counts["rows_dropped_missing"] == 1
    assert gone.counts["units_dropped_unbalanced"] == 1 and gone.n_units == 499


def test_input_not_mutated(mpdta):
    before = mpdta.copy()
    staggered_did(mpdta, "lemp", "countyreal", "year", "first.treat", covariates=["lpop"], n_boot=0)
    pd.testing.assert_frame_equal(mpdta, before)


def test_universal_base_period_same_post_effects(mpdta, fits):
    # R did docs: varying vs universal base period give the same post-treatment ATT(g,t);
    # universal normalises e = -1 to 0.
    res = staggered_did(
        mpdta, "lemp", "countyreal", "year", "first.treat", base_period="universal", n_boot=0
    )
    var = fits["mpdta_nev_dr"].att_gt
    uni = res.att_gt
    post_u = uni[uni["post"]].set_index(["group", "time"])["estimate"]
    post_v = var[var["post"]].set_index(["group", "time"])["estimate"]
    np.testing.assert_allclose(post_u.sort_index(), post_v.sort_index(), atol=1e-12)
    assert (uni.loc[uni["event_time"] == -1, "estimate"] == 0).all()
    assert uni.loc[uni["event_time"] == -1, "std_error"].isna().all()
    assert len(uni) == 15  # 2004: 1 + 4 post, 2006: 3 + 2, 2007: 4 + 1
    dyn = res.aggregate("dynamic")
    assert dyn.loc[dyn["event_time"] == -1, "estimate"].iloc[0] == 0


def test_no_never_treated(mpdta):
    d = mpdta[mpdta["first.treat"] > 0]
    with pytest.raises(ValueError, match="no never-treated"):
        staggered_did(d, "lemp", "countyreal", "year", "first.treat")
    res = staggered_did(
        d, "lemp", "countyreal", "year", "first.treat", control_group="not_yet_treated", n_boot=0
    )
    # as R: drop 2007 on, the 2007 cohort becomes the control, ATTs for 2004 and 2006
    assert sorted(res.att_gt["group"].unique()) == [2004, 2006]
    assert res.att_gt["time"].max() == 2006
    assert any("no never-treated units" in n for n in res.notes)


def test_anticipation_drops_cohort_without_pre_period_with_note(mpdta):
    res = staggered_did(
        mpdta, "lemp", "countyreal", "year", "first.treat", anticipation=1, n_boot=0
    )
    # 2004 - 1 = 2003 is the first period: no untreated base period is left for 2004
    assert sorted(res.att_gt["group"].unique()) == [2006, 2007]
    assert res.counts["cohorts_without_pre_period"] == 1
    assert res.n_units == 500  # the cohort's units stay, as in R did
    assert any("anticipation = 1" in n for n in res.notes)
    # post-treatment cells use base period g - 2
    a = res.att_gt.set_index(["group", "time"])
    d = mpdta.pivot(index="countyreal", columns="year", values="lemp")
    g = mpdta.groupby("countyreal")["first.treat"].first()
    did = (d[2007] - d[2004])[g == 2006].mean() - (d[2007] - d[2004])[g == 0].mean()
    assert a.loc[(2006, 2007), "estimate"] == pytest.approx(did, abs=1e-12)


@pytest.mark.parametrize(
    "kwargs, msg",
    [
        ({"control_group": "never"}, "control_group"),
        ({"method": "ols"}, "method"),
        ({"base_period": "fixed"}, "base_period"),
        ({"alpha": 1.5}, "alpha"),
        ({"anticipation": -1}, "anticipation"),
        ({"covariates": ["nope"]}, "columns not in data"),
    ],
)
def test_bad_options_raise(mpdta, kwargs, msg):
    with pytest.raises(ValueError, match=msg):
        staggered_did(mpdta, "lemp", "countyreal", "year", "first.treat", **kwargs)


def test_bad_period_codes_raise(mpdta):
    d = _to_quarters(mpdta)
    d.loc[0, "year"] = "2024S1"
    with pytest.raises(ValueError, match="mix frequencies"):
        staggered_did(d, "lemp", "countyreal", "year", "first.treat")
    fits_bad = mpdta.assign(**{"first.treat": mpdta["first.treat"].where(mpdta.year != 2005, 2004)})
    with pytest.raises(ValueError, match="varies within units"):
        staggered_did(fits_bad, "lemp", "countyreal", "year", "first.treat")
    with pytest.raises(ValueError, match="kind must be"):
        staggered_did(mpdta, "lemp", "countyreal", "year", "first.treat").aggregate("event")


def test_uniform_band_seeded_and_wider(mpdta):
    def dyn(**kw):
        res = staggered_did(mpdta, "lemp", "countyreal", "year", "first.treat", n_boot=999, **kw)
        return res.aggregate("dynamic")

    a = dyn(seed=0)
    pd.testing.assert_frame_equal(a, dyn(seed=0))  # same seed, same band
    body = a.iloc[1:]
    crit = body["crit_val"].iloc[0]
    # simultaneous band over 7 correlated event times: wider than pointwise (1.96), below
    # Bonferroni (2.69 for 7 tests); ~2.61 with 9,999 draws
    assert 2.45 < crit < 2.8
    assert (body["cband_high"] - body["cband_low"] > body["ci_high"] - body["ci_low"]).all()
    assert np.isnan(a["cband_low"].iloc[0])  # overall row: pointwise only, as R
    other = dyn(seed=1)["crit_val"].iloc[0]
    assert other != crit and 2.45 < other < 2.8  # the seed is used; same target
    rad = dyn(seed=0, boot_weights="rademacher")["crit_val"].iloc[0]
    assert 2.45 < rad < 2.8
    # n_boot = 0: bands collapse to the pointwise interval
    flat = staggered_did(mpdta, "lemp", "countyreal", "year", "first.treat", n_boot=0)
    flat = flat.aggregate("dynamic").iloc[1:]
    np.testing.assert_allclose(flat["cband_low"], flat["ci_low"])


def test_tidy_shape(fits):
    t = fits["mpdta_nev_dr"].tidy()
    assert list(t.columns[:8]) == [
        "term",
        "estimate",
        "std_error",
        "ci_low",
        "ci_high",
        "p_value",
        "n_obs",
        "method",
    ]
    assert t["term"].iloc[1] == "ATT(2004,2005)"
    assert t["n_obs"].iloc[0] == 20 + 309  # cohort 2004 + never treated
    assert t["method"].iloc[0] == "CS-DR/never_treated"


# --------------------------------------------------------------------------------------
# planted truth
# --------------------------------------------------------------------------------------
def _simulate(seed: int = 7, n: int = 4000, t_n: int = 8, selection: bool = False):
    """Staggered panel with growing, cohort-specific effects (planted truth).

    Cohorts first treated in period 3, 5, 7 (1-based, quarters from 2022Q1); effect of
    cohort g at exposure e >= 0 is delta_g * (e + 1) with delta = 0.30, 0.20, 0.10.
    With ``selection``, cohort membership depends on a covariate x that also shifts the
    trend (conditional, not unconditional, parallel trends).
    """
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    score = 1.2 * x if selection else np.zeros(n)
    u = rng.random(n)
    p_never = 1 / (1 + np.exp(1.0 + score))  # more x -> less likely never treated
    cohort = np.where(u < p_never, 0, rng.choice([3, 5, 7], size=n, p=[0.4, 0.35, 0.25]))
    delta = {3: 0.30, 5: 0.20, 7: 0.10}
    alpha_i = rng.normal(size=n) + 0.5 * (cohort > 0)
    rows = []
    for t in range(1, t_n + 1):
        e = t - cohort
        eff = np.where(
            (cohort > 0) & (e >= 0), np.array([delta.get(c, 0.0) for c in cohort]) * (e + 1), 0.0
        )
        trend = 0.1 * t + (0.15 * x * t if selection else 0.0)
        y = alpha_i + trend + eff + rng.normal(scale=0.5, size=n)
        rows.append(
            pd.DataFrame({"id": np.arange(n), "t": t, "g": cohort, "x": x, "y": y, "eff": eff})
        )
    d = pd.concat(rows, ignore_index=True)
    lab = {k: f"{2022 + (k - 1) // 4}Q{(k - 1) % 4 + 1}" for k in range(1, t_n + 1)}
    d["periode"] = d["t"].map(lab)
    d["mulai"] = d["g"].map(lambda g: lab.get(g))  # None for never treated
    return d, delta


def _truth_simple(d: pd.DataFrame) -> float:
    # R's simple aggregation: post-treatment cells weighted by cohort size
    treated_post = d[(d["g"] > 0) & (d["t"] >= d["g"])]
    return float(treated_post["eff"].mean())


def test_planted_truth_covered_and_twfe_biased():
    d, delta = _simulate()
    res = staggered_did(d, "y", "id", "periode", "mulai", n_boot=499, seed=3)
    truth = _truth_simple(d)
    s = res.aggregate("simple").iloc[0]
    assert s["ci_low"] <= truth <= s["ci_high"]
    # every ATT(g,t): truth delta_g * (e + 1) after treatment, 0 before
    a = res.att_gt
    g_int = a["group"].map(lambda c: 4 * (int(c[:4]) - 2022) + int(c[-1]))
    true_att = np.where(a["event_time"] >= 0, g_int.map(delta) * (a["event_time"] + 1), 0.0)
    z = (a["estimate"] - true_att) / a["std_error"]
    assert (np.abs(z) < 3.5).all()
    # event study: uniform band covers the whole true path
    dyn = res.aggregate("dynamic").iloc[1:]
    sizes = d.drop_duplicates("id")["g"].value_counts()
    t_max = 8
    true_e = []
    for e in dyn["event_time"]:
        gs = [g for g in delta if 1 < g + e <= t_max and (e >= 0 or g + e >= 2)]
        w = np.array([sizes[g] for g in gs], float)
        true_e.append(
            np.sum(w * np.array([delta[g] * (e + 1) if e >= 0 else 0 for g in gs])) / w.sum()
        )
    true_e = np.array(true_e)
    assert ((dyn["cband_low"] <= true_e) & (true_e <= dyn["cband_high"])).all()
    assert res.pretrend_test()["p_value"].iloc[0] > 0.01
    # TWFE: with growing effects, earlier cohorts act as controls for later ones and the
    # static coefficient is biased towards zero, far below the simple ATT
    tw = twfe(d, "y", "id", "periode", "mulai").iloc[0]
    assert tw["estimate"] < truth - 0.1
    assert not (tw["ci_low"] <= truth <= tw["ci_high"])
    es = twfe_event_study(d, "y", "id", "periode", "mulai")
    assert es.loc[es["event_time"] == -1, "estimate"].iloc[0] == 0
    assert set(es["event_time"]) == set(range(-6, 6))


@pytest.mark.parametrize("method", ["dr", "ipw", "reg"])
def test_planted_truth_conditional_parallel_trends(method):
    d, _ = _simulate(seed=11, selection=True)
    truth = _truth_simple(d)
    adj = staggered_did(d, "y", "id", "periode", "mulai", covariates=["x"], method=method, n_boot=0)
    s = adj.aggregate("simple").iloc[0]
    assert s["ci_low"] <= truth <= s["ci_high"]
    assert adj.pretrend_test()["p_value"].iloc[0] > 0.01
    # without the covariate, parallel trends fail: biased and the pre-test sees it
    raw = staggered_did(d, "y", "id", "periode", "mulai", method=method, n_boot=0)
    r = raw.aggregate("simple").iloc[0]
    assert not (r["ci_low"] <= truth <= r["ci_high"])
    assert raw.pretrend_test()["p_value"].iloc[0] < 0.001


def test_event_time_pretrend_matches_dynamic_aggregation(fits):
    """The event-time pre-test uses exactly the e<0 rows of aggregate('dynamic')."""
    res = fits["mpdta_nev_dr"]
    dyn = res.aggregate("dynamic")
    pre = dyn[dyn["event_time"] < 0]
    est, inf = res._dynamic_pre()
    np.testing.assert_allclose(est, pre["estimate"].to_numpy(), atol=1e-12)
    se = np.sqrt((inf**2).mean(axis=0) / inf.shape[0])
    np.testing.assert_allclose(se, pre["std_error"].to_numpy(), rtol=1e-8)
    pt = res.pretrend_test(kind="dynamic")
    assert pt["df"].iloc[0] == len(pre)
    with pytest.raises(ValueError):
        res.pretrend_test(kind="weird")


def test_event_time_pretrend_size_and_power():
    ok = staggered_did(_simulate(seed=3)[0], "y", "id", "t", "g", n_boot=9)
    assert ok.pretrend_test(kind="dynamic")["p_value"].iloc[0] > 0.01
    bad = staggered_did(_simulate(seed=3, selection=True)[0], "y", "id", "t", "g", n_boot=9)
    assert bad.pretrend_test(kind="dynamic")["p_value"].iloc[0] < 0.001


# --------------------------------------------------------------------------------------
# edges: redundant covariates, the propensity-score rule, empty aggregations
# --------------------------------------------------------------------------------------
def test_redundant_covariates_dropped_with_note_and_r_numbers(mpdta, ref):
    """x2 = 2*lpop + 1 and a constant are redundant: dropped, named, R's lpop numbers."""
    d = mpdta.assign(x2=2 * mpdta["lpop"] + 1, const=3.0)
    res = staggered_did(
        d, "lemp", "countyreal", "year", "first.treat", covariates=["lpop", "x2", "const"], n_boot=0
    )
    assert res.covariates == ("lpop",)
    assert res.counts["covariates_dropped_redundant"] == 2
    note = next(n for n in res.notes if "redundant" in n)
    assert "x2" in note and "const" in note and "lpop" not in note.split(":")[1]
    r = ref[(ref.scenario == "mpdta_nev_dr_lpop") & (ref.quantity == "att_gt")]
    a = res.att_gt.set_index(["group", "time"]).loc[list(zip(r["group"], r["time"], strict=True))]
    _close(a["estimate"], r["estimate"])
    _close(a["std_error"], r["std_error"])
    for kind in ("simple", "group", "dynamic", "calendar"):
        assert np.isfinite(res.aggregate(kind)["estimate"].iloc[0])
    assert res.pretrend_test()["df"].iloc[0] == 5


def test_dummy_duplicating_a_categorical_level_is_dropped(mpdta):
    d = mpdta.copy()
    region = np.where(d["countyreal"] % 3 == 0, "a", np.where(d["countyreal"] % 3 == 1, "b", "c"))
    d["region"] = region
    d["is_b"] = (region == "b").astype(float)
    res = staggered_did(
        d, "lemp", "countyreal", "year", "first.treat", covariates=["region", "is_b"], n_boot=0
    )
    assert res.covariates == ("region_b", "region_c")
    assert any("is_b" in n for n in res.notes)
    ref_ = staggered_did(d, "lemp", "countyreal", "year", "first.treat", covariates=["region"])
    np.testing.assert_allclose(res.att_gt["estimate"], ref_.att_gt["estimate"], atol=1e-12)


def _overlap_panel(n_ctrl=300, n_big=200, small=1, small_x=4.0, seed=5):
    """Never-treated controls with x in [-2, 2], a large cohort (period 3) and a small
    cohort (period 4) whose units sit beyond every control's x (no overlap)."""
    rng = np.random.default_rng(seed)
    x = np.concatenate(
        [rng.uniform(-2, 2, n_ctrl), rng.uniform(-2, 2, n_big), small_x + rng.random(small)]
    )
    g = np.concatenate([np.zeros(n_ctrl), np.full(n_big, 3), np.full(small, 4)])
    n = x.size
    rows = []
    for t in range(1, 6):
        y = 0.5 * x + 0.2 * t + rng.normal(scale=0.3, size=n) + 1.0 * ((g > 0) & (t >= g))
        rows.append(pd.DataFrame({"id": np.arange(n), "t": t, "g": g, "x": x, "y": y}))
    return pd.concat(rows, ignore_index=True)


def _reg_by_hand(d: pd.DataFrame, g: int, t: int, b: int) -> float:
    """ATT(g,t) by outcome regression: controls' dy on (1, x), predicted for the cohort."""
    w = d.pivot(index="id", columns="t", values="y")
    u = d.drop_duplicates("id").set_index("id")
    dy = w[t] - w[b]
    c, tr = u["g"] == 0, u["g"] == g
    xc = np.column_stack([np.ones(c.sum()), u.loc[c, "x"]])
    beta = np.linalg.lstsq(xc, dy[c], rcond=None)[0]
    xt = np.column_stack([np.ones(tr.sum()), u.loc[tr, "x"]])
    return float(np.mean(dy[tr] - xt @ beta))


@pytest.mark.parametrize("small, flag", [(1, "ps_small_cohort"), (12, "ps_separation")])
def test_no_overlap_cohort_uses_outcome_regression_and_flag_travels(small, flag, monkeypatch):
    from kinerja_analysis.methods.did import attgt

    d = _overlap_panel(small=small)
    res = staggered_did(d, "y", "id", "t", "g", covariates=["x"], n_boot=0)
    a = res.att_gt.set_index(["group", "time"])
    assert a.loc[(4, 5), "flag"] == flag and a.loc[(3, 5), "flag"] == ""
    assert a.loc[(4, 5), "estimate"] == pytest.approx(_reg_by_hand(d, 4, 5, 3), abs=1e-10)
    assert a.loc[(4, 3), "estimate"] == pytest.approx(_reg_by_hand(d, 4, 3, 2), abs=1e-10)
    assert res.counts[f"cells_{flag}"] == 4 and flag in res.flags
    s = res.aggregate("simple")
    assert s["flags"].iloc[0] == flag  # the note reaches the aggregate
    dyn = res.aggregate("dynamic").set_index("term")
    assert dyn.loc["e=1", "flags"] == flag and dyn.loc["e=2", "flags"] == ""
    # the answer no longer depends on where the logit iterations stop
    for maxit in (10, 50):
        monkeypatch.setattr(attgt.logit_glm, "__defaults__", (maxit, 1e-8))
        again = staggered_did(d, "y", "id", "t", "g", covariates=["x"], n_boot=0)
        np.testing.assert_allclose(
            again.aggregate("simple")[["estimate", "std_error"]], s[["estimate", "std_error"]]
        )


def test_logit_reports_separation():
    from kinerja_analysis.methods.did.attgt import logit_glm

    x = np.column_stack([np.ones(40), np.r_[np.linspace(-2, 0, 20), np.linspace(1, 3, 20)]])
    d = np.r_[np.zeros(20), np.ones(20)]
    assert logit_glm(d, x)[2] is False
    d2 = (np.arange(40) % 3 == 0).astype(float)
    assert logit_glm(d2, x)[2] is True


def test_aggregations_never_crash_on_empty_cells(mpdta):
    from kinerja_analysis.core.errors import NotEstimable
    from kinerja_analysis.methods.did.aggregation import Cells

    res = staggered_did(mpdta, "lemp", "countyreal", "year", "first.treat", n_boot=0)
    c = res._cells
    empty = Cells(
        np.full_like(c.att, np.nan),
        np.zeros_like(c.inffunc),
        c.group,
        c.time,
        tuple("no_controls" for _ in c.flags),
        c.g_unit,
        c.tlist,
        c.axis,
    )
    broken = type(res)(**{**res.__dict__, "_cells": empty})
    for kind in ("simple", "group", "dynamic", "calendar"):
        with pytest.raises(NotEstimable, match="no_controls"):
            broken.aggregate(kind)
    pt = broken.pretrend_test()
    assert np.isnan(pt["p_value"].iloc[0]) and "not estimable" in pt["note"].iloc[0]
    assert "no_controls" in pt["note"].iloc[0]
    with pytest.raises(NotEstimable, match="min_e=10"):
        res.aggregate("dynamic", min_e=10)


def test_result_contract(fits):
    from kinerja_analysis.core.results import check_tidy

    res = fits["mpdta_nev_dr_lpop"]
    check_tidy(res.tidy())
    g = res.glance()
    assert g["n_units"].iloc[0] == 500 and g["n_cells"].iloc[0] == 12
    assert "<table" in res._repr_html_()


def test_docstring_examples_run():
    import doctest

    from kinerja_analysis.methods import cfa, fixest, multiplicity, power
    from kinerja_analysis.methods.did import estimator, preprocess, sensitivity

    for mod in (estimator, preprocess, sensitivity, fixest, cfa, power, multiplicity):
        failed, _ = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
        assert failed == 0, mod.__name__


def test_importing_the_estimator_loads_only_what_it_needs():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from kinerja_analysis.methods.did import staggered_did\n"
        "print('\\n'.join(sorted(sys.modules)))"
    )
    mods = set(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    heavy = {"pyfixest", "statsmodels", "scipy.stats", "scipy.optimize", "matplotlib"}
    assert not heavy & mods, heavy & mods
    ours = {m for m in mods if m.startswith("kinerja_analysis.")}
    assert "kinerja_analysis.methods.did.twfe" not in ours
    assert "kinerja_analysis.methods.did.sensitivity" not in ours
    assert {m.split(".")[1] for m in ours} <= {"core", "methods"}
