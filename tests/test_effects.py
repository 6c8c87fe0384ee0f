"""Panel and effect estimates on the synthetic city, against its planted truth.

Tolerances: each estimate's 95% CI must cover the realised truth in ``truth.json``
(a single seeded draw: the check fails with probability about 5% per estimate for a
random seed, and never for this fixed seed unless the estimator changes). Coverage over
many seeds is measured in ``bench/sim_coverage.py``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis.analyses.feedback import estimate_feedback_effects
from kinerja_analysis.analyses.ordinal import fit_ordinal_predikat
from kinerja_analysis.analyses.panel import RELEVANSI, build_panel, jp_per_year
from kinerja_analysis.analyses.rollout import estimate_rollout_effects, prepare_layanan
from kinerja_analysis.analyses.training import estimate_training_effects
from kinerja_analysis.core.results import TIDY_COLUMNS
from kinerja_analysis.data.synth import generate
from kinerja_analysis.domain.perilaku import perilaku_kerja


@pytest.fixture(scope="module")
def city():
    res = generate(n_pegawai=1500, seed=11)
    periods = sorted(res.tables["skp"]["periode"].unique())
    panel = build_panel(dict(res.tables), periods)
    return res, panel


def test_panel_shape_and_contents(city) -> None:
    res, panel = city
    d = panel.data
    n, T = len(res.tables["pegawai"]), len(panel.periods)
    assert len(d) == n * T and not d.duplicated(["nip", "periode"]).any()
    assert set(d["relevansi"].dropna()) <= set(RELEVANSI)
    # the lag is last period's value of the same employee
    one = d[d["nip"] == d["nip"].iloc[0]].sort_values("t")
    assert one["n_umpan_balik_lag1"].iloc[1:].tolist() == one["n_umpan_balik"].iloc[:-1].tolist()
    assert np.isnan(one["n_umpan_balik_lag1"].iloc[0])
    # absorbing treatment indicator
    tr = d[d["g"] > 0]
    assert ((tr["t"] >= tr["g"]) == (tr["pasca_latih"] == 1)).all()


def test_first_training_period_matches_truth(city) -> None:
    res, panel = city
    truth = res.truth_tables["pegawai"].set_index("nip")
    col = "first_training_period"
    ours = panel.data.groupby("nip")["g_periode"].first()
    expected = truth[col].reindex(ours.index)
    both = expected.notna() & ours.notna()
    assert both.sum() > 100
    assert (ours[both].astype(str) == expected[both].astype(str)).all()
    assert (ours.isna() == expected.isna()).mean() > 0.99


def test_training_did_covers_planted_att_and_twfe_shown(city) -> None:
    res, panel = city
    r = estimate_training_effects(panel.data, "capaian", subgroups=("relevansi",), min_n=20)
    truth = res.truth["realised"]["pelatihan"]["att_capaian"]
    cs = r.overall.set_index("term").loc["att_cs"]
    assert cs["ci_low"] <= truth <= cs["ci_high"]
    assert "twfe" in set(r.overall["term"])
    # parallel trends hold by construction: the event-time pre-test must not reject
    assert r.pretrend["term"].iloc[0] == "pretrend_wald_event_time"
    assert r.pretrend["p_value"].iloc[0] > 0.01
    het = r.heterogeneity.set_index("term")
    rel, mis = (
        het.loc["relevansi=relevan", "estimate"],
        het.loc["relevansi=tidak_sesuai", "estimate"],
    )
    assert rel > mis  # planted: relevant 0.30 vs mismatched 0.03 (units of P)
    dyn = r.dynamic
    assert {"cband_low", "cband_high"} <= set(dyn.columns)


def test_feedback_good_helps_poor_hurts(city) -> None:
    res, panel = city
    fb = estimate_feedback_effects(panel.data, "capaian")
    realised = res.truth["realised"]["umpan_balik"]["effect_capaian_next_period"]
    c = fb.coefficients.set_index("term")
    good, poor = c.loc["n_baik_lag1"], c.loc["n_buruk_lag1"]
    assert good["ci_low"] <= realised["per_good_session"] <= good["ci_high"]
    assert poor["ci_low"] <= realised["per_poor_session"] <= poor["ci_high"]
    assert fb.contrast["estimate"].iloc[0] > 0
    # no reverse timing planted: the lead coefficient is not significant at 1%
    assert fb.lead_test["p_value"].iloc[0] > 0.01


def test_feedback_recovers_realised_truth_at_a_larger_effect() -> None:
    """Planted 0.2 P per good session = 2.0 capaian points before the 120 cap; the data
    contain less (the realised effect on capaian), and that is what the model recovers."""
    res = generate(n_pegawai=1500, seed=23, feedback_effect_good=0.2, feedback_effect_poor=-0.15)
    periods = sorted(res.tables["skp"]["periode"].unique())
    panel = build_panel(dict(res.tables), periods)
    fb = estimate_feedback_effects(panel.data, "capaian")
    c = fb.coefficients.set_index("term")
    planted = res.truth["planted"]["feedback_next_period_capaian"]
    realised = res.truth["realised"]["umpan_balik"]["effect_capaian_next_period"]
    assert planted["per_good_session"] == pytest.approx(2.0)
    assert planted["per_good_session"] - realised["per_good_session"] > 0.15  # the cap binds
    for k, term in (("per_good_session", "n_baik_lag1"), ("per_poor_session", "n_buruk_lag1")):
        assert c.loc[term, "ci_low"] <= realised[k] <= c.loc[term, "ci_high"], (k, realised[k])


def test_realised_effects_on_report_scales() -> None:
    """Every planted effect has its realised value on the scale the report estimates."""
    res = generate(n_pegawai=600, seed=3)
    r = res.truth["realised"]
    lay = res.truth_tables["layanan_efek"]
    tr = lay["diterapkan"]
    per = 1000 * (lay["pengaduan1"] - lay["pengaduan0"]) / lay["jumlah_layanan"]
    assert r["layanan"]["att_pengaduan_per_1000"] == pytest.approx(per[tr].mean(), abs=1e-6)
    for key in (
        "komunikasi_berorientasi_pelayanan_rating",
        "training_rating_on_affected_dimensions",
    ):
        assert 0 < r["perilaku"][key] < 1  # integer ratings move less than the latent
    for key in ("komunikasi_percaya_diri_score", "rollout_penerimaan_score"):
        assert 0 < r["survei"][key] < 1.5
    assert r["umpan_balik"]["effect_capaian_next_period"]["per_good_session"] > 0
    # no effect planted -> none realised
    zero = generate(n_pegawai=600, seed=3, feedback_effect_good=0.0, komunikasi_pd_effect=0.0)
    z = zero.truth["realised"]
    assert z["umpan_balik"]["effect_capaian_next_period"]["per_good_session"] == 0.0
    assert z["survei"]["komunikasi_percaya_diri_score"] == 0.0


def test_reverse_timing_is_detected() -> None:
    res = generate(n_pegawai=1500, seed=11, reverse_timing=1.5)
    periods = sorted(res.tables["skp"]["periode"].unique())
    panel = build_panel(dict(res.tables), periods)
    fb = estimate_feedback_effects(panel.data, "capaian")
    assert fb.lead_test["p_value"].iloc[0] < 0.01


def test_rollout_on_synthetic_city(city) -> None:
    res, _ = city
    t = res.tables
    periods = sorted(t["skp"]["periode"].unique())
    lay = prepare_layanan(t["layanan"], t["penerapan"], periods)
    r = estimate_rollout_effects(
        lay, outcomes=("ikm", "tepat_waktu_pct"), n_boot=1999, seed=1, sensitivity=False
    )
    o = r.overall.set_index("outcome")
    realised = res.truth["realised"]["layanan"]
    assert o.loc["ikm", "ci_low"] <= realised["att_ikm"] <= o.loc["ikm", "ci_high"]
    assert (
        o.loc["tepat_waktu_pct", "ci_low"]
        <= realised["att_tepat_waktu"]
        <= o.loc["tepat_waktu_pct", "ci_high"]
    )
    assert o.loc["ikm", "estimate"] > 0


def test_ordinal_predikat_runs_and_is_tidy(city) -> None:
    _, panel = city
    o = fit_ordinal_predikat(panel.data)
    assert tuple(o.columns[:8]) == TIDY_COLUMNS
    assert set(o["term"]) == {"pasca_latih", "n_baik_lag1", "n_buruk_lag1"}
    assert o.set_index("term").loc["n_baik_lag1", "estimate"] > 0


def test_jp_per_tahun_counts_everyone(city) -> None:
    res, _ = city
    t = res.tables
    jp = jp_per_year(t["pelatihan"], t["pegawai"], [2024, 2025])
    assert len(jp) == 2 * len(t["pegawai"])
    share = jp.groupby("tahun")["di_bawah_20"].mean()
    truth = res.truth["realised"]["pelatihan"]["jp_per_year"]
    for year, s in share.items():
        # truth.json rounds to 6 decimals
        assert s == pytest.approx(truth[str(year)]["share_under_20jp"], abs=1e-6)
        assert jp.loc[jp["tahun"] == year, "jp"].mean() == pytest.approx(
            truth[str(year)]["mean_jp"], abs=1e-5
        )


def test_functions_do_not_mutate_input(city) -> None:
    _, panel = city
    d = panel.data.copy()
    estimate_feedback_effects(panel.data, "capaian")
    pd.testing.assert_frame_equal(d, panel.data)


def test_communication_training_raises_service_rating(city) -> None:
    """Planted: communication training raises the berorientasi_pelayanan rating."""

    res, panel = city
    sd = perilaku_kerja(res.tables["perilaku"])
    pel = sd.loc[sd["dimensi"] == "berorientasi_pelayanan", ["nip", "periode", "skor"]]
    d = panel.data.merge(pel.rename(columns={"skor": "skor_pelayanan"}), on=["nip", "periode"])
    r = estimate_training_effects(
        d, "skor_pelayanan", g_col="g_komunikasi", subgroups=(), n_boot=99
    )
    cs = r.overall.set_index("term").loc["att_cs"]
    assert res.truth["planted"]["komunikasi"]["berorientasi_pelayanan_rating"] > 0
    assert cs["ci_low"] > 0  # direction recovered, clearly


def test_subgroups_by_jabatan_respect_minimum_size(city) -> None:
    _, panel = city
    r = estimate_training_effects(
        panel.data, "capaian", subgroups=("jenis_jabatan",), min_n=40, n_boot=99
    )
    het = r.heterogeneity
    assert (het["n_treated"] >= 40).all()
    skipped = [
        lv
        for n in r.notes
        if n.key in ("subkelompok_kecil", "subkelompok_tidak_diestimasi")
        and n.fields["subkelompok"] == "jenis_jabatan"
        for lv in n.fields["tingkat"]
    ]
    assert skipped and len(het) + len(skipped) == panel.data["jenis_jabatan"].nunique()


def test_lag_and_lead_use_calendar_periods_on_gapped_panels(city) -> None:
    """A period missing from the data gives a missing lag/lead, not the nearest row."""
    from kinerja_analysis.analyses.panel import shift_by_period
    from kinerja_analysis.methods import fixest

    res, _ = city
    periods = sorted(res.tables["skp"]["periode"].unique())
    gone = periods[3]
    tables = {
        k: (v[v["periode"] != gone] if "periode" in v.columns else v) for k, v in res.tables.items()
    }
    kept = [p for p in periods if p != gone]
    d = build_panel(tables, kept).data
    after = d[d["periode"] == periods[4]]
    assert after["t"].iloc[0] == 5  # calendar position, the gap kept
    assert after["n_umpan_balik_lag1"].isna().all()  # t - 1 = 4 is not in the data
    before = d[d["periode"] == periods[2]]
    assert before["n_umpan_balik_lag1"].notna().all()
    fb = estimate_feedback_effects(d, "capaian")
    # the right lead: next calendar period's sessions, missing before the gap
    lead = shift_by_period(d, ["n_umpan_balik"], 1)["n_umpan_balik"]
    assert lead[d["periode"] == periods[2]].isna().all()
    fit = fixest.feols(
        d.assign(lead=lead),
        "capaian",
        ["lead", "n_umpan_balik_lag1"],
        ["nip", "periode"],
        cluster="nip",
    )
    want = fixest.tidy(fit, method="m").set_index("term").loc["lead"]
    got = fb.lead_test.iloc[0]
    assert got["estimate"] == pytest.approx(want["estimate"], abs=1e-12)
    assert got["std_error"] == pytest.approx(want["std_error"], abs=1e-12)
    # and it is not the row-based shift
    row_lead = d.sort_values(["nip", "t"]).groupby("nip")["n_umpan_balik"].shift(-1)
    assert not row_lead[d["periode"] == periods[2]].isna().all()


def test_shift_by_period_hand_example() -> None:
    from kinerja_analysis.analyses.panel import shift_by_period

    p = pd.DataFrame({"nip": ["a", "a", "a", "b"], "t": [1, 2, 4, 1], "x": [1.0, 2.0, 4.0, 9.0]})
    lead = shift_by_period(p, ["x"], 1)["x"].to_numpy()
    np.testing.assert_array_equal(lead, [2.0, np.nan, np.nan, np.nan])
    lag = shift_by_period(p, ["x"], -1)["x"].tolist()
    assert np.isnan(lag[0]) and lag[1] == 1.0 and np.isnan(lag[2]) and np.isnan(lag[3])


def test_training_power_hand_calculation() -> None:
    from kinerja_analysis.analyses.training import training_power

    rows = []
    # 6 never-trained employees: changes 2024Q1 -> 2024Q2 of 1, 2, ..., 6 points
    for i in range(6):
        rows += [(f"n{i}", "2024Q1", 1, np.nan, 80.0), (f"n{i}", "2024Q2", 2, np.nan, 81.0 + i)]
    for i in range(3):  # cohort of 2024Q2 (t = 2): 3 employees
        rows += [(f"a{i}", "2024Q1", 1, 2.0, 70.0), (f"a{i}", "2024Q2", 2, 2.0, 75.0)]
    for i in range(5):  # cohort of 2024Q3 (t = 3): after the period, not counted
        rows += [(f"b{i}", "2024Q1", 1, 3.0, 90.0), (f"b{i}", "2024Q2", 2, 3.0, 90.0)]
    p = pd.DataFrame(rows, columns=["nip", "periode", "t", "g", "capaian"])
    out = training_power(p, "2024Q2", target_sd=0.1)
    sd_change = np.std([1, 2, 3, 4, 5, 6], ddof=1)
    m = 1.959963984540054 + 0.8416212335729143
    assert out["sd_change"] == pytest.approx(sd_change)
    assert out["n_control"] == 6 and out["n_per_period"] == 3.0
    # the 3 trained come out of the 6 never-trained: 3 are left for comparison
    assert out["mde"] == pytest.approx(m * sd_change * np.sqrt(1 / 3 + 1 / 3), rel=1e-12)
    sd_level = p["capaian"].std()
    assert out["mde_sd"] == pytest.approx(out["mde"] / sd_level, rel=1e-12)
    # 0.1 SD would need 1/n + 1/(6 - n) <= k: not possible with 6 (minimum 4/6 at n = 3)
    k = (0.1 * sd_level / (m * sd_change)) ** 2
    assert k < 4 / 6 and out["n_needed"] == np.inf
    assert training_power(p, "2024Q1") is None  # no previous period


def test_feedback_on_three_periods_is_estimated_without_its_lead_test():
    """Regression: on a three-period panel the lead model has no observation left after
    the lag and the lead; pyfixest's compiled demeaning then aborted the whole process.
    The adapter now refuses such a fit (NotEstimable) and the feedback models are still
    reported, the lead test as a note."""
    from kinerja_analysis.analyses.feedback import estimate_feedback_effects
    from kinerja_analysis.analyses.panel import build_panel
    from kinerja_analysis.data.synth import generate
    from kinerja_analysis.domain.perilaku import perilaku_kerja
    from kinerja_analysis.domain.predikat import evaluate_period

    r = generate(n_pegawai=120, seed=1, periods=("2025Q1", "2025Q2", "2025Q3"))
    t = r.tables
    periods = tuple(sorted(t["skp"]["periode"].unique()))
    p = build_panel(
        dict(t),
        periods,
        evaluasi=evaluate_period(t["skp"], t["perilaku"]),
        skor_dimensi=perilaku_kerja(t["perilaku"]),
    )
    res = estimate_feedback_effects(p.data, "capaian")
    assert set(res.coefficients["model"]) == {"dosis", "kualitas"}
    assert len(res.lead_test) == 0
    lead = [n for n in res.notes if n.fields.get("analisis") == "umpan_balik_lead"]
    assert [n.fields["sebab"] for n in lead] == ["few_observations"]


def test_fixest_adapter_refuses_a_fit_with_nothing_left():
    import pandas as pd

    from kinerja_analysis.core.errors import NotEstimable
    from kinerja_analysis.methods import fixest

    d = pd.DataFrame({"y": [1.0, 2.0, 3.0], "x": [0.0, 1.0, 0.0], "u": ["a", "b", "c"]})
    with pytest.raises(NotEstimable, match="hanya 0 pengamatan"):
        fixest.feols(d, "y", ["x"], ["u"], cluster="u")


@pytest.mark.parametrize("seed", range(6))
def test_estimable_sample_equals_iterated_value_counts(seed) -> None:
    """Singletons dropped by bincount on factorized levels leave exactly the rows (same
    index, same order) that fixest's rule written with pandas' value counts leaves,
    including chains where a drop makes another level a singleton, categorical and
    text effects, and missing values dropped first."""
    from kinerja_analysis.methods.fixest import _estimable_sample

    def by_value_counts(data, cols, fixed_effects):
        d = data[list(dict.fromkeys(cols))].dropna()
        while fixed_effects and len(d):
            keep = np.ones(len(d), dtype=bool)
            for fe in fixed_effects:
                keep &= d[fe].map(d[fe].value_counts()).to_numpy() > 1
            if keep.all():
                break
            d = d[keep]
        return d

    rng = np.random.default_rng(seed)
    n = 400
    data = pd.DataFrame(
        {
            "y": np.where(rng.random(n) < 0.05, np.nan, rng.normal(size=n)),
            "unit": [f"u{i}" for i in rng.integers(0, 150, n)],
            "t": rng.integers(0, 12, n),
            "opd": pd.Categorical(rng.choice(list("abcdefg"), n), categories=list("abcdefgh")),
        },
        index=rng.permutation(n) * 3,
    )
    for fes in ([], ["unit"], ["unit", "t"], ["t", "opd", "unit"]):
        got = _estimable_sample(data, ["y", *fes], fes)
        want = by_value_counts(data, ["y", *fes], fes)
        pd.testing.assert_frame_equal(got, want)
    # a chain: dropping unit d makes period 1 a singleton, and dropping that, unit a
    chain = pd.DataFrame({"y": 1.0, "unit": list("aabbcc") + ["d"], "t": [0, 1, 0, 2, 0, 2, 1]})
    got = _estimable_sample(chain, ["y", "unit", "t"], ["unit", "t"])
    pd.testing.assert_frame_equal(got, by_value_counts(chain, ["y", "unit", "t"], ["unit", "t"]))


def test_subgroup_rows_are_the_level_plus_the_never_trained(city) -> None:
    """Each subgroup estimate is ``staggered_did`` on the level's ASN plus the never-
    trained ones, selected by NIP, with ``n_treated`` the level's trained ASN — for a
    level with a missing value among its ASN, a level held only by untrained ASN, a
    level that is a number and one that is text with accents."""
    from kinerja_analysis.analyses.training import _did, _did_sample

    _, panel = city
    d0 = panel.data.copy()
    num = pd.Series(pd.factorize(d0["nip"])[0] % 4, d0.index)
    never = d0.groupby("nip")["g"].transform("first").isna()
    d0["grp"] = np.select(
        [num == 0, num == 1, num == 2, never], ["Dinas Ā", "B", None, "only_untrained"], "Dinas Ā"
    )
    d0["grp"] = d0["grp"].where(num != 2)  # no level: left out of every subgroup
    d0["grp_num"] = num.astype("float64").where(num != 2)
    r = estimate_training_effects(
        d0, "capaian", subgroups=("grp", "grp_num"), min_n=5, n_boot=0, sensitivity=False
    )
    het = r.heterogeneity
    d, cov = _did_sample(d0, "capaian", "g", ("golongan_num", "masa_kerja", "perempuan"))
    cg = r.overall["control_group"].iloc[0]
    for col in ("grp", "grp_num"):
        level_of = d0.groupby("nip")[col].first()
        for level in sorted(level_of.dropna().unique()):
            units = level_of.index[level_of == level]
            keep = (d["g_did"] == 0) | d["nip"].isin(units)
            n_tr = d.loc[keep & (d["g_did"] != 0), "nip"].nunique()
            row = het[(het["subgroup"] == col) & (het["level"] == str(level))]
            if n_tr < 5:
                assert row.empty
                continue
            ref = _did(d[keep], "capaian", cov, cg, "dr", n_boot=0).aggregate("simple")
            assert len(row) == 1 and int(row["n_treated"].iloc[0]) == n_tr
            assert float(row["estimate"].iloc[0]) == pytest.approx(
                float(ref["estimate"].iloc[0]), abs=1e-12
            )
    assert "only_untrained" not in set(het["level"])
