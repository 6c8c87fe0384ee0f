"""Tests of kinerja_analysis.reliability.

Reference values and their sources:

* ICC — Shrout, P. E. & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing
  rater reliability. Psychological Bulletin 86(2), 420-428: Table 2 data (6 targets x 4
  judges) and the published values ICC(1,1) = .17, ICC(2,1) = .29, ICC(3,1) = .71,
  ICC(1,4) = .44, ICC(2,4) = .62, ICC(3,4) = .91. More decimals: an independent
  computation in this file (explicit sums of squares by loops).
  Wine data (8 wines x 4 judges) and the output printed in the docstring of
  ``pingouin.intraclass_corr`` (pingouin tests it against R ``psych::ICC``).
* Cronbach's alpha — the ``cronbach_alpha`` dataset of pingouin (15 subjects x 10 items)
  and its documented output alpha = 0.591719, 95% CI [0.195, 0.840] (Feldt), which
  pingouin checks against R ``psych::alpha``.
* Krippendorff's alpha — Krippendorff, K. (2011). Computing Krippendorff's
  Alpha-Reliability. Worked example of 4 observers x 12 units with missing values:
  nominal 0.743, ordinal 0.815, interval 0.849, ratio 0.797 (data as reproduced in the
  tests of the ``krippendorff`` PyPI package, pln-fing-udelar/fast-krippendorff).
  Second example (3 coders x 15 units, Wikipedia's "Krippendorff's alpha" article) with
  nominal 0.691358 and interval 0.810845 from the same package's tests.
* Unbalanced variance components — simulated data with planted variance components.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis.analyses.rater_reliability import rating_reliability
from kinerja_analysis.data.contract import BERAKHLAK
from kinerja_analysis.methods.reliability import (
    ICC_TERMS,
    alpha_if_deleted,
    cronbach_alpha,
    icc,
    krippendorff_alpha,
    variance_components,
)

# --------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------

SF_TABLE2 = np.array(
    [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]],
    dtype=float,
)


def _long(mat: np.ndarray) -> pd.DataFrame:
    n, k = mat.shape
    return pd.DataFrame(
        [(f"t{i}", f"j{j}", mat[i, j]) for i in range(n) for j in range(k)],
        columns=["target", "rater", "y"],
    )


WINE = pd.DataFrame(
    {
        "Wine": list(range(1, 9)) * 4,
        "Judge": list("A" * 8 + "B" * 8 + "C" * 8 + "D" * 8),
        "Scores": [1, 1, 3, 6, 6, 7, 8, 9, 2, 3, 8, 4, 5, 5, 7, 9]
        + [0, 3, 1, 3, 5, 6, 7, 9, 1, 2, 4, 3, 6, 2, 9, 8],
    }
)

# pingouin datasets/cronbach_alpha.csv, wide (rows = subjects 0..14, columns Q1..Q10)
CRONBACH_ITEMS = pd.DataFrame(
    {
        "Q1": [3, 5, 7, 2, 6, 1, 4, 2, 6, 5, 4, 4, 5, 6, 4],
        "Q2": [2, 4, 3, 4, 5, 2, 3, 4, 5, 4, 3, 2, 5, 5, 3],
        "Q3": [4, 6, 5, 3, 6, 3, 5, 4, 5, 6, 5, 3, 6, 5, 5],
        "Q4": [1, 3, 5, 3, 5, 4, 3, 3, 5, 4, 2, 2, 2, 4, 5],
        "Q5": [4, 5, 6, 2, 4, 2, 5, 7, 1, 3, 5, 5, 3, 2, 3],
        "Q6": [5, 1, 4, 2, 4, 5, 2, 2, 6, 5, 3, 3, 3, 2, 1],
        "Q7": [1, 2, 3, 2, 4, 2, 1, 2, 5, 3, 2, 4, 2, 1, 3],
        "Q8": [4, 5, 3, 6, 6, 3, 2, 4, 2, 1, 3, 2, 4, 4, 2],
        "Q9": [3, 5, 6, 6, 7, 5, 4, 6, 3, 7, 4, 3, 4, 6, 3],
        "Q10": [2, 5, 5, 3, 5, 2, 3, 5, 2, 2, 1, 4, 5, 5, 4],
    }
)

NAN = np.nan
# Krippendorff (2011): rows = observers A-D, columns = units 1-12
KRIPP_2011 = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
        [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
    ]
)
# Wikipedia "Krippendorff's alpha" example: 3 coders x 15 units
KRIPP_WIKI = np.array(
    [
        [NAN, NAN, NAN, NAN, NAN, 3, 4, 1, 2, 1, 1, 3, 3, NAN, 3],
        [1, NAN, 2, 1, 3, 3, 4, 3, NAN, NAN, NAN, NAN, NAN, NAN, NAN],
        [NAN, NAN, 2, 1, 3, 4, 4, NAN, 2, 1, 1, 3, 3, NAN, 4],
    ]
)


def _coder_matrix_long(m: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        [(f"u{u}", f"c{c}", m[c, u]) for c in range(m.shape[0]) for u in range(m.shape[1])],
        columns=["unit", "coder", "value"],
    )


def simulate_crossed(
    seed: int,
    n_t: int = 2000,
    pool: int = 100,
    s2a: float = 0.25,
    s2b: float = 0.15,
    s2e: float = 0.35,
) -> pd.DataFrame:
    """Targets in pools (OPD-like); each target rated by 2-8 raters of its own pool.

    Raters are the employees themselves (each rates several colleagues), so rater
    variance is identifiable. Planted: var_target, var_rater, var_error.
    """
    rng = np.random.default_rng(seed)
    k = rng.integers(2, 9, n_t)
    tt, rr = [], []
    for i in range(n_t):
        g = i // pool
        cand = np.arange(g * pool, min((g + 1) * pool, n_t))
        cand = cand[cand != i]
        rr.append(rng.choice(cand, size=k[i], replace=False))
        tt.append(np.full(k[i], i))
    t, r = np.concatenate(tt), np.concatenate(rr)
    a = rng.normal(0, np.sqrt(s2a), n_t)
    b = rng.normal(0, np.sqrt(s2b), n_t)
    y = 3.5 + a[t] + b[r] + rng.normal(0, np.sqrt(s2e), len(t))
    return pd.DataFrame({"target": t, "rater": [f"r{x}" for x in r], "y": y})


# --------------------------------------------------------------------------------------
# ICC, balanced
# --------------------------------------------------------------------------------------


def _independent_sf_iccs(x: np.ndarray) -> dict[str, float]:
    """Shrout & Fleiss formulas from mean squares computed by explicit loops."""
    n, k = x.shape
    grand = sum(x[i, j] for i in range(n) for j in range(k)) / (n * k)
    row_m = [sum(x[i, j] for j in range(k)) / k for i in range(n)]
    col_m = [sum(x[i, j] for i in range(n)) / n for j in range(k)]
    bms = k * sum((row_m[i] - grand) ** 2 for i in range(n)) / (n - 1)
    jms = n * sum((col_m[j] - grand) ** 2 for j in range(k)) / (k - 1)
    wms = sum((x[i, j] - row_m[i]) ** 2 for i in range(n) for j in range(k)) / (n * (k - 1))
    ems = sum((x[i, j] - row_m[i] - col_m[j] + grand) ** 2 for i in range(n) for j in range(k)) / (
        (n - 1) * (k - 1)
    )
    return {
        "ICC1": (bms - wms) / (bms + (k - 1) * wms),
        "ICC2": (bms - ems) / (bms + (k - 1) * ems + k * (jms - ems) / n),
        "ICC3": (bms - ems) / (bms + (k - 1) * ems),
        "ICC1k": (bms - wms) / bms,
        "ICC2k": (bms - ems) / (bms + (jms - ems) / n),
        "ICC3k": (bms - ems) / bms,
        "BMS": bms,
        "JMS": jms,
        "WMS": wms,
        "EMS": ems,
    }


def test_icc_shrout_fleiss_table2_published_values():
    res = icc(_long(SF_TABLE2), "target", "rater", "y").set_index("term")
    published = {
        "ICC1": 0.17,
        "ICC2": 0.29,
        "ICC3": 0.71,
        "ICC1k": 0.44,
        "ICC2k": 0.62,
        "ICC3k": 0.91,
    }
    assert list(res.index) == list(ICC_TERMS)
    for term, value in published.items():
        assert round(res.at[term, "estimate"], 2) == value, term
    assert (res["method"] == "anova_two_way").all()
    assert res["estimable"].all()
    assert (res["n_targets"] == 6).all() and (res["n_raters"] == 4).all()


def test_icc_shrout_fleiss_independent_computation():
    ref = _independent_sf_iccs(SF_TABLE2)
    # The mean squares round to those printed in Shrout & Fleiss (1979), Table 3
    # (BMS 11.24, JMS 32.49, WMS 6.26, EMS 1.02).
    assert round(ref["BMS"], 2) == 11.24 and round(ref["JMS"], 2) == 32.49
    assert round(ref["WMS"], 2) == 6.26 and round(ref["EMS"], 2) == 1.02
    res = icc(_long(SF_TABLE2), "target", "rater", "y").set_index("term")
    for term in ICC_TERMS:
        assert res.at[term, "estimate"] == pytest.approx(ref[term], abs=1e-10)
    # F tests: ICC1 uses BMS / WMS on (n-1, n(k-1)); ICC2/3 use BMS / EMS on (n-1, (n-1)(k-1))
    assert res.at["ICC1", "f_stat"] == pytest.approx(ref["BMS"] / ref["WMS"], rel=1e-12)
    assert (res.at["ICC1", "df1"], res.at["ICC1", "df2"]) == (5, 18)
    assert res.at["ICC3", "f_stat"] == pytest.approx(ref["BMS"] / ref["EMS"], rel=1e-12)
    assert (res.at["ICC3", "df1"], res.at["ICC3", "df2"]) == (5, 15)


def test_icc_wine_matches_pingouin_documented_output():
    # pingouin.intraclass_corr docstring, data = pg.read_dataset('icc'), .round(3):
    #   ICC1 0.728 F 11.680 (7, 24) CI [0.43, 0.93]; ICC2 0.728 F 11.787 (7, 21) [0.43, 0.93]
    #   ICC3 0.729 [0.43, 0.93]; ICC1k 0.914 [0.75, 0.98]; ICC2k 0.914; ICC3k 0.915
    res = icc(WINE, "Wine", "Judge", "Scores").set_index("term")
    expected = {
        "ICC1": (0.728, 11.680, 7, 24, (0.43, 0.93)),
        "ICC2": (0.728, 11.787, 7, 21, (0.43, 0.93)),
        "ICC3": (0.729, 11.787, 7, 21, (0.43, 0.93)),
        "ICC1k": (0.914, 11.680, 7, 24, (0.75, 0.98)),
        "ICC2k": (0.914, 11.787, 7, 21, (0.75, 0.98)),
        "ICC3k": (0.915, 11.787, 7, 21, (0.75, 0.98)),
    }
    for term, (est, f, d1, d2, (lo, hi)) in expected.items():
        row = res.loc[term]
        assert round(row["estimate"], 3) == est, term
        assert round(row["f_stat"], 3) == f, term
        assert (row["df1"], row["df2"]) == (d1, d2), term
        assert (round(row["ci_low"], 2), round(row["ci_high"], 2)) == (lo, hi), term
        assert row["p_value"] < 1e-3


def test_icc_does_not_mutate_and_rejects_bad_options():
    data = _long(SF_TABLE2)
    before = data.copy()
    icc(data, "target", "rater", "y", design="unbalanced")
    pd.testing.assert_frame_equal(data, before)
    with pytest.raises(ValueError, match="design"):
        icc(data, "target", "rater", "y", design="two-way")
    with pytest.raises(ValueError, match="method"):
        icc(data, "target", "rater", "y", method="ml")
    with pytest.raises(ValueError, match="ci"):
        icc(data, "target", "rater", "y", ci=95)
    with pytest.raises(ValueError, match="balanced"):
        icc(data.iloc[1:], "target", "rater", "y", design="balanced")


# --------------------------------------------------------------------------------------
# ICC, unbalanced (variance components)
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["reml", "henderson3"])
def test_unbalanced_path_agrees_with_anova_on_balanced_data(method):
    # On complete balanced data with positive ANOVA components, REML and Henderson III
    # both equal the expected-mean-square (ANOVA) estimators, so ICC1/2/3 (and the
    # k-forms with k = number of raters) must agree. Tolerance: 1e-9 for the moment
    # estimator (exact algebra), 1e-5 for REML (numerical optimisation).
    tol = 1e-9 if method == "henderson3" else 1e-5
    rng = np.random.default_rng(7)
    sim = 4 + rng.normal(0, 1.0, (30, 1)) + rng.normal(0, 0.6, (1, 5))
    sim = sim + rng.normal(0, 0.7, (30, 5))
    for mat in (SF_TABLE2, sim):
        data = _long(mat)
        a = icc(data, "target", "rater", "y").set_index("term")
        b = icc(data, "target", "rater", "y", design="unbalanced", method=method)
        b = b.set_index("term")
        assert b.loc["ICC2", "method"] == f"{method}_crossed"
        assert b["estimable"].all()
        for term in ICC_TERMS:
            assert b.at[term, "estimate"] == pytest.approx(a.at[term, "estimate"], abs=tol)
        # one-way F test and its approximate CI reduce to the balanced ones (n0 = k)
        for col in ("f_stat", "ci_low", "ci_high", "p_value"):
            assert b.at["ICC1", col] == pytest.approx(a.at["ICC1", col], rel=1e-9)


def test_unbalanced_recovers_planted_components():
    s2a, s2b, s2e = 0.25, 0.15, 0.35
    data = simulate_crossed(11, n_t=2000, s2a=s2a, s2b=s2b, s2e=s2e)
    n_t = data["target"].nunique()
    k_h = n_t / (1 / data.groupby("target").size()).sum()
    truth = {
        "ICC1": s2a / (s2a + s2b + s2e),  # raters assigned at random: one-way ICC(1)
        "ICC2": s2a / (s2a + s2b + s2e),
        "ICC3": s2a / (s2a + s2e),
        "ICC2k": s2a / (s2a + (s2b + s2e) / k_h),
        "ICC3k": s2a / (s2a + s2e / k_h),
    }
    for method in ("reml", "henderson3"):
        vc = variance_components(data, "target", "rater", "y", method=method)
        assert vc.method == method and vc.rater_identifiable
        # ~10,000 ratings: sampling SD of each component is about 0.01;
        # tolerance 0.04 / 0.025 (about 3-4 SD).
        assert vc.var_target == pytest.approx(s2a, abs=0.04)
        assert vc.var_rater == pytest.approx(s2b, abs=0.04)
        assert vc.var_error == pytest.approx(s2e, abs=0.025)
        res = icc(data, "target", "rater", "y", method=method).set_index("term")
        assert res["estimable"].all()
        assert res.at["ICC1k", "k"] == pytest.approx(k_h)
        for term, value in truth.items():
            assert res.at[term, "estimate"] == pytest.approx(value, abs=0.05), (method, term)
    # REML and Henderson III are two estimators of the same quantities: close here.
    a = variance_components(data, "target", "rater", "y", method="reml")
    b = variance_components(data, "target", "rater", "y", method="henderson3")
    for x, y in ((a.var_target, b.var_target), (a.var_rater, b.var_rater)):
        assert x == pytest.approx(y, abs=0.02)


def test_rater_variance_not_identifiable_when_raters_nested():
    # Every rater rates exactly one target: rater and residual variance are confounded.
    rng = np.random.default_rng(3)
    rows = []
    for i in range(200):
        for j in range(rng.integers(2, 6)):
            rows.append((i, f"r{i}_{j}", 3 + rng.normal() + rng.normal()))
    data = pd.DataFrame(rows, columns=["target", "rater", "y"])
    res = icc(data, "target", "rater", "y").set_index("term")
    assert bool(res.at["ICC1", "estimable"]) and bool(res.at["ICC1k", "estimable"])
    assert 0 < res.at["ICC1", "estimate"] < 1
    for term in ("ICC2", "ICC3", "ICC2k", "ICC3k"):
        assert not res.at[term, "estimable"]
        assert np.isnan(res.at[term, "estimate"])
        assert "confounded" in res.at[term, "note"]


def test_unbalanced_icc1_one_way_matches_anova_estimator_closely():
    # REML and the one-way ANOVA estimator (n0) differ on unbalanced data but estimate
    # the same ICC(1); with 2000 targets they must agree within 0.02.
    data = simulate_crossed(5, n_t=2000)
    r = icc(data, "target", "rater", "y", method="reml").set_index("term")
    h = icc(data, "target", "rater", "y", method="henderson3").set_index("term")
    assert r.at["ICC1", "method"] == "reml_one_way"
    assert h.at["ICC1", "method"] == "anova_one_way"
    assert r.at["ICC1", "estimate"] == pytest.approx(h.at["ICC1", "estimate"], abs=0.02)
    assert h.at["ICC1", "ci_low"] < h.at["ICC1", "estimate"] < h.at["ICC1", "ci_high"]


def test_unbalanced_reml_at_city_scale():
    # ~6,000 ratees x ~5 ratings, raters within OPD-sized pools of 150: REML is used (no
    # fallback) and recovers the planted ICC. Its speed is measured in
    # bench/bench_reliability.py, not here.
    data = simulate_crossed(2, n_t=6000, pool=150)
    res = icc(data, "target", "rater", "y").set_index("term")
    assert res.at["ICC2", "method"] == "reml_crossed"
    assert res.at["ICC2", "estimate"] == pytest.approx(0.25 / 0.75, abs=0.04)


def _crossed_codes(data: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int]:
    t, tu = pd.factorize(data["target"], sort=False)
    r, ru = pd.factorize(data["rater"], sort=False)
    return data["y"].to_numpy(dtype=float), t, r, len(tu), len(ru)


def test_reml_fill_rule_reads_the_henderson3_rater_factor(monkeypatch):
    # The rule "REML only if its factor is small" takes the size from the rater system's
    # minimum-degree LU, which the Henderson III solve has made: no factorisation of its
    # own (it used to factorise the REML matrix once more, by COLAMD, to learn its size).
    from scipy import sparse
    from scipy.sparse import linalg as spla

    from kinerja_analysis.methods import reliability as rel

    y, t, r, n_t, n_r = _crossed_codes(simulate_crossed(4, n_t=1500, pool=60))
    # the size, computed here from the design alone: the anchored reduced normal equations
    za = sparse.csr_matrix((np.ones(len(t)), (np.arange(len(t)), t)), shape=(len(t), n_t))
    zb = sparse.csr_matrix((np.ones(len(r)), (np.arange(len(r)), r)), shape=(len(r), n_r))
    nab = (za.T @ zb).tocsr()
    a_mat = (
        sparse.diags(np.asarray(nab.sum(axis=0)).ravel())
        - nab.T @ sparse.diags(1 / np.asarray(nab.sum(axis=1)).ravel()) @ nab
    )
    _, labels = sparse.csgraph.connected_components(
        sparse.bmat([[None, nab], [nab.T, None]], format="csr"), directed=False
    )
    _, anchor = np.unique(labels[n_t:], return_index=True)
    free = np.setdiff1d(np.arange(n_r), anchor)
    sub = a_mat.tocsr()[free][:, free].tocsc()
    expected = spla.splu(sub, permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.0).L.nnz

    rel._DESIGN_CACHE.clear()
    rel._henderson3_moments(y, t, r, n_t, n_r)  # factorises the rater system
    specs: list[str] = []
    real = spla.splu
    monkeypatch.setattr(
        rel.spla,
        "splu",
        lambda a, permc_spec=None, **kw: (
            specs.append(permc_spec) or real(a, permc_spec=permc_spec, **kw)
        ),
    )
    with pytest.raises(rel._FillTooLarge) as info:
        rel._reml_crossed(y, t, r, n_t, n_r, start=[1.0, 1.0], max_fill=expected - 1)
    assert info.value.args[0] == expected
    assert specs == []  # decided without a factorisation
    # one fewer non-zero allowed than the factor has: Henderson III, said in the note
    monkeypatch.setattr(
        rel, "_reml_crossed", functools.partial(rel._reml_crossed, max_fill=expected - 1)
    )
    vc = variance_components(simulate_crossed(4, n_t=1500, pool=60), "target", "rater", "y")
    assert vc.method == "henderson3"
    assert f"REML skipped (sparse factor with {expected} non-zeros" in vc.note
    # exactly as many as allowed: REML, whose only COLAMD-free factorisations are the
    # minimum-degree ordering (once) and the numeric ones in that order
    monkeypatch.setattr(
        rel, "_reml_crossed", functools.partial(rel._reml_crossed.func, max_fill=expected)
    )
    rel._DESIGN_CACHE.clear()
    specs.clear()
    vc = variance_components(simulate_crossed(4, n_t=1500, pool=60), "target", "rater", "y")
    assert vc.method == "reml"
    assert "COLAMD" not in specs and specs.count("MMD_AT_PLUS_A") == 2  # H3's, REML's order
    assert set(specs) == {"MMD_AT_PLUS_A", "NATURAL"}


# --------------------------------------------------------------------------------------
# Cronbach's alpha
# --------------------------------------------------------------------------------------


def test_cronbach_alpha_pingouin_reference():
    # pingouin.cronbach_alpha(data=pg.read_dataset('cronbach_alpha'), items='Items',
    #   scores='Scores', subject='Subj') -> (0.591719, array([0.195, 0.84]))
    res = cronbach_alpha(CRONBACH_ITEMS).iloc[0]
    assert round(res["estimate"], 6) == 0.591719
    assert round(res["ci_low"], 3) == 0.195
    assert round(res["ci_high"], 3) == 0.840
    assert res["n_obs"] == 15 and res["n_items"] == 10


def test_cronbach_alpha_missing_values_and_pairwise():
    items = CRONBACH_ITEMS.astype(float)
    complete = cronbach_alpha(items, nan_policy="pairwise").iloc[0]
    # without missing values pairwise == listwise
    assert complete["estimate"] == pytest.approx(cronbach_alpha(items).iloc[0]["estimate"])
    miss = items.copy()
    miss.iloc[2, 3] = np.nan
    lw = cronbach_alpha(miss).iloc[0]
    assert lw["n_obs"] == 14
    assert lw["estimate"] == pytest.approx(
        cronbach_alpha(miss.drop(index=2)).iloc[0]["estimate"], abs=1e-12
    )
    pw = cronbach_alpha(miss, nan_policy="pairwise").iloc[0]
    assert pw["n_obs"] == 15 and pw["estimate"] != lw["estimate"]
    with pytest.raises(ValueError, match="nan_policy"):
        cronbach_alpha(items, nan_policy="drop")


def test_alpha_if_deleted_against_direct_recomputation():
    res = alpha_if_deleted(CRONBACH_ITEMS).set_index("item")
    for item in CRONBACH_ITEMS.columns:
        rest = CRONBACH_ITEMS.drop(columns=item)
        expected = cronbach_alpha(rest).iloc[0]["estimate"]
        assert res.at[item, "estimate"] == pytest.approx(expected, abs=1e-12)
        r = np.corrcoef(CRONBACH_ITEMS[item], rest.sum(axis=1))[0, 1]
        assert res.at[item, "item_rest_r"] == pytest.approx(r, abs=1e-12)


# --------------------------------------------------------------------------------------
# Krippendorff's alpha
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "expected"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_2011_worked_example(level, expected):
    res = krippendorff_alpha(_coder_matrix_long(KRIPP_2011), "unit", "coder", "value", level).iloc[
        0
    ]
    assert round(res["estimate"], 3) == expected
    # unit 12 has a single value: not pairable; 40 pairable values in 11 units
    assert res["n_units"] == 11 and res["n_obs"] == 40 and res["n_coders"] == 4


def test_krippendorff_nominal_exact_fraction():
    # Krippendorff (2011): alpha = 1 - D_o / D_e with n = 40 pairable values; the
    # krippendorff package gives 0.743421 for this example (D_o = 0.2, D_e = 0.779487).
    res = krippendorff_alpha(_coder_matrix_long(KRIPP_2011), "unit", "coder", "value", "nominal")
    assert res.iloc[0]["estimate"] == pytest.approx(0.743421, abs=1e-6)
    assert res.iloc[0]["observed_disagreement"] == pytest.approx(0.2, abs=1e-12)
    assert res.iloc[0]["expected_disagreement"] == pytest.approx(0.779487, abs=1e-6)


@pytest.mark.parametrize(("level", "expected"), [("nominal", 0.691358), ("interval", 0.810845)])
def test_krippendorff_wikipedia_example(level, expected):
    res = krippendorff_alpha(_coder_matrix_long(KRIPP_WIKI), "unit", "coder", "value", level)
    assert round(res.iloc[0]["estimate"], 6) == expected


def test_krippendorff_bootstrap_and_errors():
    data = _coder_matrix_long(KRIPP_2011)
    a = krippendorff_alpha(data, "unit", "coder", "value", n_boot=300, seed=4).iloc[0]
    b = krippendorff_alpha(data, "unit", "coder", "value", n_boot=300, seed=4).iloc[0]
    assert a["ci_low"] == b["ci_low"] and a["ci_high"] == b["ci_high"]  # seeded
    assert a["ci_low"] < a["estimate"] <= a["ci_high"] <= 1
    assert a["std_error"] > 0
    perfect = _coder_matrix_long(np.array([[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4.0]]))
    assert krippendorff_alpha(perfect, "unit", "coder", "value").iloc[0]["estimate"] == 1
    dup = pd.concat([data.dropna().iloc[:1], data.dropna()])
    with pytest.raises(ValueError, match="more than one value"):
        krippendorff_alpha(dup, "unit", "coder", "value")
    with pytest.raises(ValueError, match="level"):
        krippendorff_alpha(data, "unit", "coder", "value", "metric")


# --------------------------------------------------------------------------------------
# rating_reliability on the perilaku table
# --------------------------------------------------------------------------------------


def simulate_perilaku(seed: int = 3, n: int = 300, pool: int = 30) -> pd.DataFrame:
    """360 ratings with planted person (0.5 SD), rater leniency (0.4 SD) and noise (0.5 SD);
    four other raters from the same unit plus a lenient self-rating of 5."""
    rng = np.random.default_rng(seed)
    true = rng.normal(0, 0.5, n)
    lenient = rng.normal(0, 0.4, n)
    roles = ["atasan", "rekan", "rekan", "bawahan"]
    rows = []
    for p in ("2024Q1", "2024Q2"):
        for i in range(n):
            g = i // pool
            cand = [j for j in range(g * pool, (g + 1) * pool) if j != i]
            raters = rng.choice(cand, 4, replace=False)
            for dim in BERAKHLAK:
                dd = rng.normal(0, 0.15)
                for j, role in zip(raters, roles, strict=True):
                    s = 3.6 + true[i] + dd + lenient[j] + rng.normal(0, 0.5)
                    rows.append(
                        (f"{i:018d}", p, f"{j:018d}", role, dim, int(np.clip(round(s), 1, 5)))
                    )
                rows.append((f"{i:018d}", p, f"{i:018d}", "diri", dim, 5))
    return pd.DataFrame(
        rows, columns=["nip", "periode", "id_penilai", "peran_penilai", "dimensi", "skor"]
    )


def test_rating_reliability_structure_and_values():
    per = simulate_perilaku()
    before = per.copy()
    out = rating_reliability(per)
    pd.testing.assert_frame_equal(per, before)
    icc_rows = out[out["analysis"] == "icc"]
    kr = out[out["analysis"] == "krippendorff"]
    cr = out[out["analysis"] == "cronbach"]
    assert len(icc_rows) == 2 * 7 * 6 and len(kr) == 2 * 7 and len(cr) == 2
    assert set(icc_rows["dimensi"]) == set(BERAKHLAK)
    # self-ratings excluded: 300 ratees x 4 other raters per periode x dimensi
    assert (icc_rows["n_obs"] == 1200).all() and (kr["n_obs"] == 1200).all()
    assert cr["dimensi"].isna().all() and (cr["n_targets"] == 300).all()
    assert icc_rows["estimable"].all()
    # Krippendorff's interval alpha and the one-way ICC(1) estimate the same quantity in
    # large samples (within 0.03 here).
    for (p, dim), g in out.groupby(["periode", "dimensi"]):
        icc1 = g.loc[g["term"] == "ICC1", "estimate"].iloc[0]
        ka = g.loc[g["term"] == "alpha_interval", "estimate"].iloc[0]
        assert ka == pytest.approx(icc1, abs=0.03), (p, dim)
    # Planted: person 0.25 + person x dimension 0.0225, rater 0.16, noise 0.25, plus
    # rounding to integers (about 1/12 = 0.083 of extra noise, clipping ignored):
    # ICC(C,1) ~ 0.2725 / (0.2725 + 0.333) = 0.45, ICC(A,1) ~ 0.2725 / 0.766 = 0.36.
    # Rounding is not exactly additive noise, so the bands are +-0.07.
    icc3 = icc_rows.loc[icc_rows["term"] == "ICC3", "estimate"]
    icc2 = icc_rows.loc[icc_rows["term"] == "ICC2", "estimate"]
    assert icc3.between(0.38, 0.52).all()
    assert icc2.between(0.29, 0.43).all()
    # the dimensions share the person effect: high internal consistency
    assert (cr["estimate"] > 0.85).all()


def test_rating_reliability_including_self_changes_counts():
    per = simulate_perilaku(n=60, pool=20)
    out = rating_reliability(per, exclude_roles=(), method="henderson3")
    icc_rows = out[out["analysis"] == "icc"]
    assert (icc_rows["n_obs"] == 60 * 5).all()


def test_rating_reliability_pooled_over_dimensions():
    # by=("periode",): units are employee x dimensi, so Krippendorff gets one value per
    # rater and unit, and the ICC pools the seven dimensions.
    per = simulate_perilaku(n=60, pool=20)
    out = rating_reliability(per, by=("periode",), method="henderson3")
    assert "dimensi" not in out.columns
    icc_rows = out[out["analysis"] == "icc"]
    assert (icc_rows["n_targets"] == 60 * 7).all() and (icc_rows["n_obs"] == 60 * 7 * 4).all()
    assert len(out[out["analysis"] == "cronbach"]) == 2
