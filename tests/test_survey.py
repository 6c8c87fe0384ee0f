"""Tests for kinerja_analysis.survey.

Reference values
----------------
* Holzinger & Swineford (1939), the 301-row, 9-test subset shipped with R's lavaan
  (``tests/data/holzinger_swineford_1939.csv``, see the .md note beside it):
  - lavaan 0.6 ``cfa(HS.model, data = HolzingerSwineford1939)``: chi2 85.306, df 24,
    CFI 0.931, TLI 0.896, RMSEA 0.092 (90% CI 0.071-0.114), SRMR 0.065; std.all
    loadings, residual variances and their SEs as printed in ``summary(fit,
    standardized = TRUE)`` (also in the lavaan tutorial, "CFA" page).
  - lavaan tutorial, "Multiple groups" page: ``cfa(HS.model, group = "school")`` chi2
    115.851 (df 48); ``group.equal = "loadings"`` 124.044 (df 54); ``group.equal =
    c("loadings", "intercepts")`` 164.103 (df 60); ``lavTestLRT``: Δχ² 8.192 (p 0.2244)
    and 40.059.
  - ``psych::alpha(HolzingerSwineford1939[, 7:15])`` (psych 2.x, printed to 2 decimals):
    raw_alpha 0.76; alpha if dropped and r.drop per item (listed below).
* pingouin ``cronbach_alpha`` docstring (values checked there against R psych) on its
  ``cronbach_wide_missing`` data (12 rows, reproduced inline below): listwise
  α = 0.801695 (``psych::alpha(data, use = "complete.obs")``); median-imputed
  α = 0.738019 with 95% Feldt CI [0.447, 0.911].
* Everything else uses simulated data with a planted truth; tolerances are in the tests.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis.analyses.survey_panel import (
    acceptance_by_opd,
    estimate_communication_training_effect,
)
from kinerja_analysis.core.periods import period_bounds
from kinerja_analysis.domain.survey import (
    cfa,
    construct_scores,
    describe_constructs,
    describe_items,
    interval_category,
    invariance,
    item_validity,
    r_critical,
    scale_reliability,
)
from kinerja_analysis.methods.regression import ols_assumption_checks

DATA = Path(__file__).parent / "data"


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def hs() -> tuple[pd.DataFrame, pd.DataFrame]:
    d = pd.read_csv(DATA / "holzinger_swineford_1939.csv")
    d = d.assign(nip=d["id"].astype(str), periode="2025Q1")
    ins = pd.DataFrame(
        {
            "item": [f"x{i}" for i in range(1, 10)],
            "konstruk": ["visual"] * 3 + ["textual"] * 3 + ["speed"] * 3,
            "teks": "",
            "terbalik": False,
            "skala_min": 0,
            "skala_max": 10,
        }
    )
    return d, ins


def _check_instrument(konstruk: dict[str, int], skala=(1, 5), terbalik=()) -> pd.DataFrame:
    rows = []
    for k, m in konstruk.items():
        for j in range(1, m + 1):
            it = f"{k}{j}"
            rows.append((it, k, f"butir {it}", it in terbalik, skala[0], skala[1]))
    return pd.DataFrame(
        rows, columns=["item", "konstruk", "teks", "terbalik", "skala_min", "skala_max"]
    )


def _simulate_cfa(
    rng: np.random.Generator, n: int, lam: np.ndarray, factor: np.ndarray, phi: np.ndarray
) -> np.ndarray:
    """Continuous items with standardised loadings ``lam`` (unit item variances)."""
    eta = rng.multivariate_normal(np.zeros(len(phi)), phi, size=n)
    e = rng.standard_normal((n, len(lam))) * np.sqrt(1 - lam**2)
    return eta[:, factor] * lam + e


# --------------------------------------------------------------------------- scoring


def test_skor_konstruk_reverses_and_applies_80_percent_rule():
    ins = _check_instrument({"a": 5}, terbalik=("a5",))
    survei = pd.DataFrame(
        {
            "nip": ["1", "2", "3"],
            "periode": ["2025Q1"] * 3,
            "a1": [5, 4, 4],
            "a2": [5, 4, np.nan],
            "a3": [5, np.nan, np.nan],
            "a4": [5, 4, 4],
            "a5": [1, 2, 2],  # reversed: 6 - x
        }
    )
    out = construct_scores(survei, ins)
    assert out["skor"].iloc[0] == pytest.approx(5.0)
    # 4 of 5 answered (80 %): mean of answered, reversed a5 = 4
    assert out["skor"].iloc[1] == pytest.approx(4.0)
    assert out["n_item_dijawab"].tolist() == [5, 4, 3]
    assert np.isnan(out["skor"].iloc[2])  # 3 of 5 answered: below the rule
    wide = construct_scores(survei, ins, shape="wide")
    assert list(wide.columns) == ["nip", "periode", "a"]
    assert survei["a5"].tolist() == [1, 2, 2]  # input not mutated
    with pytest.raises(ValueError, match="outside the scale"):
        construct_scores(survei.assign(a1=[6, 4, 4]), ins)


def test_r_tabel_matches_printed_table():
    # r table (two-tailed 0.05) printed in Indonesian statistics textbooks:
    # n = 30 -> 0.361, n = 100 -> 0.197 (df 28 and 98)
    assert r_critical(30) == pytest.approx(0.361, abs=0.0005)
    assert r_critical(100) == pytest.approx(0.1966, abs=0.0005)


def test_kategori_interval_boundaries():
    v = [1.0, 1.8, 1.81, 2.6, 3.4, 3.41, 4.2, 4.21, 5.0]
    got = interval_category(v).tolist()
    assert got == [
        "sangat rendah",
        "sangat rendah",
        "rendah",
        "rendah",
        "sedang",
        "tinggi",
        "tinggi",
        "sangat tinggi",
        "sangat tinggi",
    ]


# --------------------------------------------------------------------------- reliability

# pingouin "cronbach_wide_missing" (pingouin/datasets), 12 respondents x 11 binary items
_PG = """Q1,Q2,Q3,Q4,Q5,Q6,Q7,Q8,Q9,Q10,Q11
1,1,1,1,1,1,1,1,1,1,1
1,1,1,1,1,1,1,1,0,1,0
,0,1,1,,1,1,1,1,0,0
1,1,1,0,1,1,0,1,1,0,0
1,1,1,1,1,0,0,0,1,0,0
0,1,,0,1,1,1,1,0,0,0
1,1,1,1,0,0,1,0,0,0,0
1,1,1,1,1,0,0,0,0,0,0
0,1,0,1,1,0,0,0,0,1,0
1,0,0,1,0,1,0,0,,0,0
1,1,1,0,0,0,0,0,0,0,0
1,0,0,1,0,0,0,0,0,0,0
"""


def _pg_data() -> tuple[pd.DataFrame, pd.DataFrame]:
    from io import StringIO

    d = pd.read_csv(StringIO(_PG))
    items = list(d.columns)
    d.insert(0, "nip", [str(i) for i in range(len(d))])
    d.insert(1, "periode", "2025Q1")
    ins = pd.DataFrame(
        {"item": items, "konstruk": "k", "teks": "", "terbalik": False, "skala_min": 0,
         "skala_max": 1}
    )  # fmt: skip
    return d, ins


def test_alpha_and_feldt_ci_match_pingouin_psych():
    d, ins = _pg_data()
    listwise = scale_reliability(d, ins).konstruk.iloc[0]
    assert listwise["n_obs"] == 9
    assert listwise["alpha"] == pytest.approx(0.801695, abs=1e-6)
    items = ins["item"].tolist()
    filled = d.assign(**{c: d[c].fillna(d[c].median()) for c in items})
    r = scale_reliability(filled, ins).konstruk.iloc[0]
    assert r["alpha"] == pytest.approx(0.738019, abs=1e-6)
    assert r["ci_low"] == pytest.approx(0.447, abs=0.0005)
    assert r["ci_high"] == pytest.approx(0.911, abs=0.0005)


def test_alpha_rdrop_alpha_if_deleted_match_psych(hs):
    d, ins = hs
    one = ins.assign(konstruk="semua")
    rel = scale_reliability(d, one)
    assert rel.konstruk["alpha"].iloc[0] == pytest.approx(0.76, abs=0.005)
    # psych::alpha(HolzingerSwineford1939[, 7:15]): r.drop and raw_alpha if dropped
    r_drop = [0.52, 0.28, 0.37, 0.58, 0.53, 0.60, 0.25, 0.37, 0.49]
    a_drop = [0.72, 0.76, 0.75, 0.72, 0.72, 0.71, 0.77, 0.75, 0.73]
    np.testing.assert_allclose(rel.items["r_drop"], r_drop, atol=0.0051)
    np.testing.assert_allclose(rel.items["alpha_jika_dihapus"], a_drop, atol=0.0051)
    val = item_validity(d, one)
    np.testing.assert_allclose(val["r_hitung"], r_drop, atol=0.0051)
    assert val["r_tabel"].iloc[0] == pytest.approx(r_critical(301))
    assert val["valid"].all()  # every r.drop (>= 0.25) exceeds r table 0.113


def test_omega_three_items_equals_closed_form(hs):
    d, ins = hs
    vis = ins[ins["konstruk"] == "visual"]
    rel = scale_reliability(d, vis)
    # a one-factor model of 3 items is just identified: lambda_1^2 = s12 s13 / s23 ...
    S = np.cov(d[["x1", "x2", "x3"]].to_numpy(), rowvar=False, ddof=0)
    lam = np.sqrt(
        [S[0, 1] * S[0, 2] / S[1, 2], S[0, 1] * S[1, 2] / S[0, 2], S[0, 2] * S[1, 2] / S[0, 1]]
    )
    theta = np.diag(S) - lam**2
    omega = lam.sum() ** 2 / (lam.sum() ** 2 + theta.sum())
    assert rel.konstruk["omega"].iloc[0] == pytest.approx(omega, abs=1e-4)
    np.testing.assert_allclose(rel.items["muatan"], lam, atol=1e-3)


# --------------------------------------------------------------------------- CFA


def test_cfa_reproduces_lavaan_holzinger_swineford(hs):
    d, ins = hs
    r = cfa(d, ins)
    fit = r.fit.iloc[0]
    assert fit["chi2"] == pytest.approx(85.306, abs=0.001)
    assert fit["df"] == 24
    assert fit["cfi"] == pytest.approx(0.931, abs=0.0005)
    assert fit["tli"] == pytest.approx(0.896, abs=0.0005)
    assert fit["rmsea"] == pytest.approx(0.092, abs=0.0005)
    assert fit["rmsea_ci_low"] == pytest.approx(0.071, abs=0.0005)
    assert fit["rmsea_ci_high"] == pytest.approx(0.114, abs=0.0005)
    assert fit["srmr"] == pytest.approx(0.065, abs=0.0005)
    std_all = [0.772, 0.424, 0.581, 0.852, 0.855, 0.838, 0.570, 0.723, 0.665]
    np.testing.assert_allclose(r.loadings["std_estimate"], std_all, atol=0.0006)
    theta = [0.549, 1.134, 0.844, 0.371, 0.446, 0.356, 0.799, 0.488, 0.566]
    theta_se = [0.114, 0.102, 0.091, 0.048, 0.058, 0.043, 0.081, 0.074, 0.071]
    np.testing.assert_allclose(r.loadings["varians_residual"], theta, atol=0.0006)
    np.testing.assert_allclose(r.loadings["varians_residual_se"], theta_se, atol=0.0006)
    np.testing.assert_allclose(r.factor_correlations["estimate"], [0.459, 0.471, 0.283], atol=6e-4)
    # omega from lavaan's printed marker-variable solution: lambda = (1, .554, .729) *
    # sqrt(var(visual) = .809), theta = (.549, 1.134, .844)
    lam = np.array([1, 0.554, 0.729]) * np.sqrt(0.809)
    om = lam.sum() ** 2 / (lam.sum() ** 2 + 0.549 + 1.134 + 0.844)
    assert r.omega["omega"].iloc[0] == pytest.approx(om, abs=0.002)
    tidy = r.tidy()
    assert {"term", "estimate", "std_error", "ci_low", "ci_high", "p_value", "n_obs"} <= set(
        tidy.columns
    )


def test_invarians_reproduces_lavaan_multigroup(hs):
    d, ins = hs
    inv = invariance(d, ins, group="school")
    np.testing.assert_allclose(inv["chi2"], [115.851, 124.044, 164.103], atol=0.001)
    assert inv["df"].tolist() == [48, 54, 60]
    assert inv["p_delta"].iloc[1] == pytest.approx(0.2244, abs=0.0001)
    assert inv["delta_chi2"].iloc[2] == pytest.approx(40.059, abs=0.001)
    assert inv["kesimpulan"].tolist()[1:] == ["invarian", "tidak invarian"]


LAVAAN = DATA / "lavaan"  # lavaan 0.6-14 references, scripts and README beside them


def _hs_spec():
    from kinerja_analysis.methods.cfa import FactorSpec

    return FactorSpec.from_dict(
        {"visual": ["x1", "x2", "x3"], "textual": ["x4", "x5", "x6"], "speed": ["x7", "x8", "x9"]}
    )


def test_engine_fit_measures_match_lavaan_0_6_14_to_1e6(hs):
    """The generic engine on a data matrix: every fit measure lavaan prints, to 1e-6."""
    from kinerja_analysis.methods.cfa import fit_cfa, fit_invariance

    d, _ = hs
    spec = _hs_spec()
    ref = pd.read_csv(LAVAAN / "hs_fit_measures.csv").set_index("model")
    keys = [("chi2", "chisq"), ("cfi", "cfi"), ("tli", "tli"), ("rmsea", "rmsea"), ("srmr", "srmr")]
    one = fit_cfa(d[list(spec.indicators)], spec).fit.iloc[0]
    r = ref.loc["single_meanstructure_FALSE"]
    for ours, theirs in keys:
        assert one[ours] == pytest.approx(r[theirs], abs=1e-6), ours
    assert one["df"] == r["df"] and one["n_param"] == r["npar"]
    groups = {s: d.loc[d["school"] == s, list(spec.indicators)] for s in ["Pasteur", "Grant-White"]}
    inv = fit_invariance(groups, spec).table.set_index("model")
    for m in ("configural", "metric", "scalar"):
        r = ref.loc[f"mg_{m}"]
        for ours, theirs in [*keys, ("srmr_nomean", "srmr_bentler_nomean")]:
            assert inv.loc[m, ours] == pytest.approx(r[theirs], abs=1e-6), (m, ours)
        assert inv.loc[m, "df"] == r["df"]
    # lavaan's default SRMR includes the mean residuals: metric -> scalar ΔSRMR is 0.0108,
    # past Chen's 0.010 cut-off (the covariance-only version moves by 0.0011)
    d_srmr = inv.loc["scalar", "delta_srmr"]
    assert d_srmr == pytest.approx(0.08244705858 - 0.07165158379, abs=1e-6) and d_srmr > 0.010


def test_invariance_wrapper_reports_lavaan_srmr(hs):
    d, ins = hs
    inv = invariance(d, ins, group="school").set_index("model")
    assert inv.loc["skalar", "srmr"] == pytest.approx(0.08244705858, abs=1e-6)
    assert inv.loc["konfigural", "srmr_nomean"] == pytest.approx(0.07434130016, abs=1e-6)
    assert inv["solusi_wajar"].all()


def test_heywood_case_estimated_as_lavaan_and_flagged():
    """n = 20, lavaan: residual variance of y1 −0.027 (std.all loading 1.012) + warning."""
    from kinerja_analysis.methods.cfa import FactorSpec, fit_cfa

    x = pd.read_csv(LAVAAN / "heywood_data.csv")
    fit = fit_cfa(x, FactorSpec.from_dict({"F": ["y1", "y2", "y3", "y4"]}))
    est = pd.read_csv(LAVAAN / "heywood_estimates.csv")
    est = est[est["identification"] == "std_lv_tight"]
    lam = est[est["op"] == "=~"]
    res = est[(est["op"] == "~~") & (est["lhs"] == est["rhs"]) & (est["lhs"] != "F")]
    np.testing.assert_allclose(fit.loadings["estimate"], lam["est"], rtol=1e-6)
    np.testing.assert_allclose(fit.loadings["std_error"], lam["se"], rtol=1e-6)
    np.testing.assert_allclose(fit.loadings["std_estimate"], lam["std_all"], rtol=1e-6)
    np.testing.assert_allclose(fit.loadings["residual_variance"], res["est"], rtol=1e-6)
    np.testing.assert_allclose(fit.loadings["residual_variance_se"], res["se"], rtol=1e-6)
    assert fit.loadings["residual_variance"].iloc[0] < 0  # not pinned at a bound
    ref = pd.read_csv(LAVAAN / "heywood_fit.csv")
    ref = ref[ref["identification"] == "std_lv_tight"].set_index("measure")["value"]
    assert fit.fit["chi2"].iloc[0] == pytest.approx(float(ref["chisq"]), abs=1e-8)
    assert fit.fit["srmr"].iloc[0] == pytest.approx(float(ref["srmr"]), abs=1e-7)
    assert fit.improper
    assert "negative_residual_variance:y1" in fit.problems
    assert "standardised_loading_above_1:y1" in fit.problems
    assert fit.glance()["improper"].iloc[0]
    # the survey wrapper: flagged wherever the fit is shown, reliability not trusted
    survei = x.assign(nip=[str(i) for i in range(len(x))], periode="2025Q1")
    ins = _check_instrument({"y": 4}, skala=(-100, 100))
    r = cfa(survei, ins)
    assert not r.fit["solusi_wajar"].iloc[0] and "Heywood" in r.fit["masalah"].iloc[0]
    assert r.loadings["solusi_wajar"].tolist() == [False, True, True, True]
    assert not r.omega["omega_layak"].iloc[0]
    rel = scale_reliability(survei, ins)
    assert not rel.konstruk["omega_layak"].iloc[0]


_LAM = np.array([0.8, 0.7, 0.6, 0.75, 0.85, 0.65, 0.7, 0.55, 0.6, 0.8, 0.7, 0.75])
_FACTOR = np.repeat([0, 1, 2], 4)
_PHI = np.array([[1.0, 0.4, 0.3], [0.4, 1.0, 0.5], [0.3, 0.5, 1.0]])


def _survei_from(x: np.ndarray, periode) -> pd.DataFrame:
    ins = _check_instrument({"a": 4, "b": 4, "c": 4}, skala=(-100, 100))
    d = pd.DataFrame(x, columns=ins["item"])
    d.insert(0, "nip", [str(i) for i in range(len(d))])
    d.insert(1, "periode", periode)
    return d


def test_cfa_recovers_planted_loadings():
    rng = np.random.default_rng(20240601)
    x = _simulate_cfa(rng, 2000, _LAM, _FACTOR, _PHI)
    d = _survei_from(x, "2025Q1")
    ins = _check_instrument({"a": 4, "b": 4, "c": 4}, skala=(-100, 100))
    r = cfa(d, ins)
    assert np.max(np.abs(r.loadings["std_estimate"] - _LAM)) < 0.07
    np.testing.assert_allclose(r.factor_correlations["estimate"], [0.4, 0.3, 0.5], atol=0.07)
    fit = r.fit.iloc[0]
    assert fit["converged"]
    assert fit["cfi"] > 0.99 and fit["tli"] > 0.99
    assert fit["rmsea"] < 0.03 and fit["srmr"] < 0.03
    # Wald intervals cover the truth for (nearly) all loadings of a correct model
    covered = (r.loadings["ci_low"] <= _LAM) & (_LAM <= r.loadings["ci_high"])
    assert covered.sum() >= 10


def test_invarians_detects_planted_loading_change():
    rng = np.random.default_rng(7)
    parts, parts_bad = [], []
    for per in ["2025Q1", "2025Q2", "2025Q3"]:
        parts.append(_survei_from(_simulate_cfa(rng, 800, _LAM, _FACTOR, _PHI), per))
        lam = _LAM.copy()
        if per == "2025Q3":
            lam[[1, 2, 5, 6]] = [0.2, 0.25, 0.2, 0.25]  # items stop measuring the construct
        parts_bad.append(_survei_from(_simulate_cfa(rng, 800, lam, _FACTOR, _PHI), per))
    ins = _check_instrument({"a": 4, "b": 4, "c": 4}, skala=(-100, 100))
    ok = invariance(pd.concat(parts, ignore_index=True), ins, levels=["konfigural", "metrik"])
    bad = invariance(pd.concat(parts_bad, ignore_index=True), ins, levels=["konfigural", "metrik"])
    assert ok["kesimpulan"].iloc[1] == "invarian"
    assert ok["delta_cfi"].iloc[1] > -0.005
    assert bad["kesimpulan"].iloc[1] == "tidak invarian"
    assert bad["delta_cfi"].iloc[1] < -0.01
    assert bad["p_delta"].iloc[1] < 0.001


def test_deskriptif_item_and_konstruk():
    ins = _check_instrument({"a": 2}, terbalik=("a2",))
    d = pd.DataFrame(
        {"nip": list("1234"), "periode": "2025Q1", "a1": [5, 4, 4, 3], "a2": [1, 2, 2, 3]}
    )
    it = describe_items(d, ins)
    a1 = it[it["item"] == "a1"].iloc[0]
    assert a1["mean"] == pytest.approx(4.0)
    assert a1["pct_4"] == pytest.approx(50.0) and a1["pct_1"] == 0
    assert a1["kategori"] == "tinggi"  # 4.0 in (3.40, 4.20]
    a2 = it[it["item"] == "a2"].iloc[0]
    assert a2["mean"] == pytest.approx(4.0)  # reversed
    ko = describe_constructs(d, ins).iloc[0]
    assert ko["mean"] == pytest.approx(4.0) and ko["n"] == 4
    assert ko["pct_sangat_tinggi"] == pytest.approx(25.0)  # one respondent at 5.0


# --------------------------------------------------------------------------- regression


def test_regresi_vif_matches_hand_computation_and_bp_detects_heteroskedasticity():
    rng = np.random.default_rng(11)
    n = 400
    x1 = rng.normal(size=n)
    x2 = 0.6 * x1 + rng.normal(scale=0.8, size=n)
    x3 = rng.normal(size=n)
    e_homo = rng.normal(size=n)
    e_het = rng.normal(size=n) * np.exp(0.8 * x1)  # variance grows with x1
    d = pd.DataFrame({"x1": x1, "x2": x2, "x3": x3})
    d["y_homo"] = 1 + 0.5 * x1 - 0.3 * x2 + e_homo
    d["y_het"] = 1 + 0.5 * x1 - 0.3 * x2 + e_het

    res = ols_assumption_checks(d, "y_homo", ["x1", "x2", "x3"])
    # hand computation: VIF_j is the j-th diagonal element of the inverse correlation matrix
    vif_hand = np.diag(np.linalg.inv(np.corrcoef(d[["x1", "x2", "x3"]].to_numpy(), rowvar=False)))
    np.testing.assert_allclose(res.vif["vif"], vif_hand, rtol=1e-8)
    np.testing.assert_allclose(res.vif["tolerance"], 1 / vif_hand, rtol=1e-8)
    a = res.checks.set_index("check")
    assert a.loc["heteroskedasticity_breusch_pagan", "p_value"] > 0.05
    assert a.loc["normality_ks_lilliefors", "conclusion"] == "holds"
    assert a.loc["autocorrelation_durbin_watson", "statistic"] == pytest.approx(2.0, abs=0.3)
    # the sentences come from the text layer, in both languages
    from kinerja_analysis.reporting.text import assumption_checks_table

    t_id = assumption_checks_table(res, "id").set_index("uji")
    txt = t_id.loc["Normalitas (Kolmogorov–Smirnov, koreksi Lilliefors)", "interpretasi"]
    p_ks = a.loc["normality_ks_lilliefors", "p_value"]
    assert txt == f"Residual berdistribusi normal (p = {p_ks:.2f} > 0,05).".replace("0.", "0,")
    t_en = assumption_checks_table(res, "en")
    assert t_en["interpretasi"].iloc[0].startswith("Residuals are normally distributed (p = 0.")
    assert set(t_id["kesimpulan"]) <= {"terpenuhi", "tidak terpenuhi"}
    co = res.tidy().set_index("term")
    assert co.loc["x1", "ci_low"] < 0.5 < co.loc["x1", "ci_high"]
    assert co.loc["x1", "method"] == "OLS, SE robust HC3"

    het = ols_assumption_checks(d, "y_het", ["x1", "x2", "x3"])
    h = het.checks.set_index("check")
    assert h.loc["heteroskedasticity_breusch_pagan", "p_value"] < 0.001
    assert h.loc["heteroskedasticity_breusch_pagan", "conclusion"] == "violated"
    assert h.loc["heteroskedasticity_white", "p_value"] < 0.001
    # robust and classical SEs differ under heteroskedasticity
    cl = ols_assumption_checks(d, "y_het", ["x1", "x2", "x3"], robust=None).tidy()
    assert het.tidy()["std_error"].iloc[1] > 1.2 * cl["std_error"].iloc[1]
    with pytest.raises(ValueError, match="robust"):
        ols_assumption_checks(d, "y_het", ["x1"], robust="HC9")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- panel links


def _panel(seed: int, effect: float):
    """Employees x 6 quarters; communication training at a random quarter for ~half."""
    rng = np.random.default_rng(seed)
    n, periods = 800, [f"2024Q{q}" for q in range(1, 5)] + ["2025Q1", "2025Q2"]
    a = rng.normal(0, 0.5, n)
    gamma = np.linspace(0, 0.2, len(periods))
    g = np.where(rng.random(n) < 0.5, rng.integers(1, len(periods), n), -1)  # index of period
    rows, train = [], []
    for i in range(n):
        nip = f"{199001012020011000 + i}"
        if g[i] >= 0:
            start, end = period_bounds(periods[g[i]])
            day = start + (end - start) * rng.random()
            # alternate the two identification rules: kompetensi_sasaran or the name
            kom = i % 2 == 0
            train.append(
                {
                    "nip": nip,
                    "nama_pelatihan": "Pelatihan Pelayanan Prima" if kom else "Komunikasi Efektif",
                    "kompetensi_sasaran": "berorientasi_pelayanan" if kom else "kompeten",
                    "tanggal_selesai": day.normalize(),
                }
            )
        else:  # a non-communication training with no effect
            train.append(
                {
                    "nip": nip,
                    "nama_pelatihan": "Pengelolaan Arsip",
                    "kompetensi_sasaran": "akuntabel",
                    "tanggal_selesai": pd.Timestamp("2024-05-10"),
                }
            )
        for t, per in enumerate(periods):
            post = g[i] >= 0 and t >= g[i]
            y = 3.2 + a[i] + gamma[t] + effect * post + rng.normal(0, 0.4)
            rows.append({"nip": nip, "periode": per, "konstruk": "percaya_diri", "skor": y})
    return pd.DataFrame(rows), pd.DataFrame(train)


def test_efek_pelatihan_komunikasi_recovers_planted_effect():
    skor, pel = _panel(5, 0.3)
    # half the planted trainings are identified by their target competency only
    out = estimate_communication_training_effect(
        skor, pel, kompetensi=("berorientasi_pelayanan",)
    ).iloc[0]
    assert out["ci_low"] <= 0.3 <= out["ci_high"]
    assert out["ci_low"] > 0.15  # clearly positive
    assert out["n_pegawai"] == 800
    assert 300 < out["n_pegawai_dilatih"] < 500
    # a rule that ignores the name misses half the trained employees -> diluted estimate
    narrow = estimate_communication_training_effect(
        skor, pel, kompetensi=("berorientasi_pelayanan",), keywords=()
    ).iloc[0]
    assert narrow["n_pegawai_dilatih"] < 0.6 * out["n_pegawai_dilatih"]
    # no effect planted: interval covers zero
    skor0, pel0 = _panel(6, 0.0)
    z = estimate_communication_training_effect(skor0, pel0).iloc[0]
    assert z["ci_low"] <= 0 <= z["ci_high"]


def test_penerimaan_per_opd_suppresses_small_groups():
    skor = pd.DataFrame(
        {
            "nip": [str(i) for i in range(8)],
            "periode": "2025Q1",
            "konstruk": "penerimaan_sistem",
            "skor": [3.0, 3.5, 4.0, 4.5, 5.0, 2.0, 2.5, 3.0],
        }
    )
    pegawai = pd.DataFrame({"nip": [str(i) for i in range(8)], "opd": ["A"] * 5 + ["B"] * 3})
    out = acceptance_by_opd(skor, pegawai, min_n=5).set_index("opd")
    assert out.loc["A", "estimate"] == pytest.approx(4.0)
    se = np.std([3.0, 3.5, 4.0, 4.5, 5.0], ddof=1) / np.sqrt(5)
    assert out.loc["A", "ci_high"] == pytest.approx(4.0 + 2.776445 * se, abs=1e-5)  # t_.975,4
    assert bool(out.loc["B", "disupresi"]) and np.isnan(out.loc["B", "estimate"])
    assert out.loc["B", "n_obs"] == 3  # marked, not dropped


# --------------------------------------------------------------------------- synthetic city


def test_synthetic_city_loadings_and_communication_effect():
    """Recovery on kinerja_analysis.synth (planted loadings and communication effect).

    The generator plants item loadings on ``y* = mu + lambda eta + sqrt(1 - lambda^2) e``
    cut into 1-5 at fixed thresholds, and a communication-training effect of
    ``komunikasi_pd_effect`` latent SD on ``percaya_diri``. For constructs whose latent
    variance is 1 (motivasi, percaya_diri, penerimaan_sistem) lambda is the standardised
    loading of y*; the 5-category cut attenuates it slightly (tolerance 0.07). The
    expected shift of the 1-5 construct score is
    ``mean_j sum_c [Phi(mu + lambda_j delta - c) - Phi(mu - c)]`` over the cut points c.
    Only the course named "... Komunikasi ..." carries the effect in the generator, so
    the name rule is used (``kompetensi=()``): the default rule also counts every
    service-oriented course and dilutes the estimate.
    """
    from scipy import stats

    from kinerja_analysis.data import synth

    cuts = synth._LIKERT_CUTS
    r = synth.generate(n_pegawai=2000, seed=3)
    s, ins = r.tables["survei"], r.tables["survei_instrumen"]
    butir = r.truth_tables["survei_butir"]
    res = cfa(s, ins)
    m = res.loadings.merge(butir[["item", "loading"]], on="item")
    unit = m["konstruk"].isin(["motivasi", "percaya_diri", "penerimaan_sistem"])
    assert np.max(np.abs(m.loc[unit, "std_estimate"] - m.loc[unit, "loading"])) < 0.07
    assert res.fit["cfi"].iloc[0] > 0.98 and res.fit["rmsea"].iloc[0] < 0.03

    pd_b = butir[butir["konstruk"] == "percaya_diri"]
    delta = r.truth["planted"]["komunikasi"]["percaya_diri_latent_sd"]
    mu = float(pd_b["intercept"].iloc[0])
    expected = np.mean(
        [(stats.norm.cdf(mu + lam * delta - cuts) - stats.norm.cdf(mu - cuts)).sum()
         for lam in pd_b["loading"]]
    )  # fmt: skip
    sk = construct_scores(s, ins)
    est = estimate_communication_training_effect(sk, r.tables["pelatihan"], kompetensi=()).iloc[0]
    assert est["ci_low"] <= expected <= est["ci_high"]
