"""Tests of kinerja_analysis.synth: determinism, the data contract, and the planted truth.

All datasets are small (300-600 employees) and seeded, so every check is deterministic;
the tolerances are written next to each assertion with the reasoning behind them.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis import load_dataset
from kinerja_analysis.data.contract import BERAKHLAK, IKM_UNSUR, TABLES
from kinerja_analysis.data.synth import (
    KOMUNIKASI_PELATIHAN,
    SynthConfig,
    SynthResult,
    generate,
    write_dataset,
)

N = 500
SEED = 11
END_OF_WINDOW = pd.Timestamp("2025-12-31")
START_OF_WINDOW = pd.Timestamp("2024-01-01")


@pytest.fixture(scope="module")
def res() -> SynthResult:
    return generate(n_pegawai=N, seed=SEED)


# --------------------------------------------------------------------------- determinism


def test_same_seed_gives_identical_tables_and_truth():
    a = generate(n_pegawai=300, seed=3)
    b = generate(n_pegawai=300, seed=3)
    assert a.tables.keys() == b.tables.keys()
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], obj=name)
    for name in a.truth_tables:
        pd.testing.assert_frame_equal(a.truth_tables[name], b.truth_tables[name], obj=name)
    assert json.dumps(a.truth, sort_keys=True) == json.dumps(b.truth, sort_keys=True)


def test_same_seed_gives_identical_bytes_and_other_seed_differs(tmp_path: Path):
    paths = {}
    for tag, seed in (("a", 5), ("b", 5), ("c", 6)):
        written = write_dataset(generate(n_pegawai=300, seed=seed), tmp_path / tag)
        paths[tag] = {p.relative_to(tmp_path / tag): p.read_bytes() for p in written}
    assert paths["a"] == paths["b"]
    assert set(paths["a"]) == set(paths["c"])
    differ = [k for k in paths["a"] if paths["a"][k] != paths["c"][k]]
    # everything random differs; the fixed instrument need not
    assert {Path("pegawai.csv"), Path("skp.csv"), Path("perilaku.csv"), Path("truth.json")} <= set(
        differ
    )
    # nothing is left behind by the atomic write
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b", "c"]


def test_write_layout_and_parquet_replaces_csv(tmp_path: Path, res):
    out = tmp_path / "kota"
    write_dataset(res, out)
    names = {p.name for p in out.iterdir()}
    assert names == {f"{t}.csv" for t in TABLES} | {"truth.json", "_truth"}
    assert {p.stem for p in (out / "_truth").iterdir()} == set(res.truth_tables)
    write_dataset(res, out, fmt="parquet")
    assert not list(out.glob("*.csv"))
    back = pd.read_parquet(out / "pegawai.parquet")
    assert back["nip"].str.fullmatch(r"\d{18}").all()
    with pytest.raises(ValueError, match="fmt"):
        write_dataset(res, out, fmt="xlsx")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- contract


def test_tables_follow_the_contract(res):
    assert set(res.tables) == set(TABLES)
    for name, t in TABLES.items():
        df = res.tables[name]
        assert len(df) > 0, name
        missing = [c for c in t.required_columns if c not in df.columns]
        assert not missing, (name, missing)
        for col in t.columns:
            if col.name not in df.columns:
                continue
            s = df[col.name]
            if not col.nullable:
                assert s.notna().all(), (name, col.name)
            if col.allowed is not None:
                bad = set(s.dropna().unique()) - set(col.allowed)
                assert not bad, (name, col.name, bad)
            if col.low is not None:
                assert (s.dropna() >= col.low).all(), (name, col.name)
            if col.high is not None:
                assert (s.dropna() <= col.high).all(), (name, col.name)
            if col.kind == "periode":
                assert set(s.dropna()) <= set(SynthConfig().periods), (name, col.name)
        if t.key:
            assert not df.duplicated(list(t.key)).any(), (name, t.key)
    # optional columns asked for
    assert {"nama", "pendidikan"} <= set(res.tables["pegawai"])
    assert "indikator_layanan" in res.tables["skp"]
    assert set(IKM_UNSUR) <= set(res.tables["layanan"])
    # survey items are exactly the instrument's items
    items = list(res.tables["survei_instrumen"]["item"])
    assert list(res.tables["survei"].columns) == ["nip", "periode", *items]


def test_nip_structure_matches_birth_date_cpns_and_gender(res):
    peg = res.tables["pegawai"]
    nip = peg["nip"]
    assert nip.str.fullmatch(r"\d{18}").all() and nip.is_unique
    assert (nip.str[:8] == peg["tanggal_lahir"].dt.strftime("%Y%m%d")).all()
    assert (nip.str[8:14] == peg["tmt_cpns"].dt.strftime("%Y%m")).all()
    assert (peg["tmt_cpns"].dt.day == 1).all()
    assert (nip.str[14] == peg["jenis_kelamin"].map({"L": "1", "P": "2"})).all()
    age = (END_OF_WINDOW - peg["tanggal_lahir"]).dt.days / 365.25
    cpns_age = (peg["tmt_cpns"] - peg["tanggal_lahir"]).dt.days / 365.25
    assert age.between(22, 58).all()
    assert cpns_age.between(20, 35.1).all()
    assert (peg["tmt_cpns"] < START_OF_WINDOW).all()


@pytest.mark.parametrize(
    "periods",
    [
        ("2024Q1", "2024Q2", "2024Q3"),
        ("2025-01", "2025-02", "2025-03"),
        ("2025-05", "2025-06", "2025-07"),
    ],
)
def test_pppk_are_appointed_before_the_window(periods):
    # every employee has rows from the first period on: a PPPK appointed on 1 March of
    # the first period's year would have sessions (and, by month, periods and trainings)
    # before their appointment; TMT three months or more before the window, as a CPNS's
    peg = generate(n_pegawai=300, seed=3, pppk_share=0.5, periods=periods).tables["pegawai"]
    pppk = peg[peg["status_kepegawaian"] != "pns"]
    start = pd.Timestamp(periods[0].replace("Q1", "-01"))
    assert len(pppk) > 30
    assert (pppk["tmt_cpns"] <= start - pd.DateOffset(months=3)).all()
    assert (pppk["tmt_cpns"].dt.strftime("%m-%d") == "03-01").all()
    assert (pppk["nip"].str[8:12] == pppk["tmt_cpns"].dt.strftime("%Y")).all()
    assert pppk["tmt_cpns"].dt.year.min() >= 2019


def test_golongan_is_consistent_with_jabatan(res):
    peg = res.tables["pegawai"]
    gol = TABLES["pegawai"].column("golongan").allowed
    rank = peg["golongan"].map({g: i for i, g in enumerate(gol)})
    bounds = {
        "jpt": ("IV/c", "IV/e"),
        "administrator": ("IV/a", "IV/b"),
        "pengawas": ("III/c", "III/d"),
        "pelaksana": ("II/a", "III/b"),
        "fungsional": ("III/a", "IV/b"),
    }
    for jab, (lo, hi) in bounds.items():
        r = rank[peg["jenis_jabatan"] == jab]
        assert r.between(gol.index(lo), gol.index(hi)).all(), jab
    share = peg["jenis_jabatan"].value_counts(normalize=True)
    # planted mix: pelaksana ~45 %, fungsional ~40 %, pengawas ~10 %, administrator ~3 %
    assert 0.35 < share["pelaksana"] < 0.55 and 0.30 < share["fungsional"] < 0.50
    assert 0.07 < share["pengawas"] < 0.14 and share["administrator"] < 0.06


def test_supervisor_hierarchy(res):
    peg = res.tables["pegawai"].set_index("nip")
    top = peg[peg["nip_atasan"].isna()]
    assert len(top) == 1
    sekda = top.index[0]
    assert top.iloc[0]["jenis_jabatan"] == "jpt" and top.iloc[0]["opd"] == "Sekretariat Daerah"
    rest = peg[peg["nip_atasan"].notna()]
    assert rest["nip_atasan"].isin(peg.index).all()
    boss = peg.loc[rest["nip_atasan"]].set_axis(rest.index)
    jpt = rest["jenis_jabatan"] == "jpt"
    assert (rest.loc[jpt, "nip_atasan"] == sekda).all()
    assert (peg["jenis_jabatan"] == "jpt").sum() == peg["opd"].nunique()
    expected_boss = {
        "administrator": {"jpt"},
        "pengawas": {"administrator"},
        "pelaksana": {"pengawas", "administrator"},
        "fungsional": {"pengawas", "administrator"},
    }
    for jab, allowed in expected_boss.items():
        m = rest["jenis_jabatan"] == jab
        assert boss.loc[m, "jenis_jabatan"].isin(allowed).all(), jab
        assert (boss.loc[m, "opd"] == rest.loc[m, "opd"]).all(), jab


def test_loader_accepts_every_row(tmp_path: Path):
    r = generate(n_pegawai=300, seed=2)  # with ~2 % empty survey answers
    write_dataset(r, tmp_path / "ds")
    ds = load_dataset(tmp_path / "ds")
    assert ds.validation.n_rejected == 0, ds.validation.messages(limit=5)
    assert ds.validation.n_warnings == 0, ds.validation.messages(limit=5)
    assert set(ds.tables) == set(TABLES)
    assert ds.periods == SynthConfig().periods


def test_semester_periods_work():
    per = ("2024S1", "2024S2", "2025S1", "2025S2")
    r = generate(n_pegawai=200, seed=1, periods=per)
    ub = r.tables["umpan_balik"]
    assert set(r.tables["skp"]["periode"]) == set(per)
    first = ub["periode"].str[:4].astype(int)
    half = ub["periode"].str[5].astype(int)
    assert (ub["tanggal"].dt.year == first).all()
    assert (((ub["tanggal"].dt.month - 1) // 6 + 1) == half).all()


def test_bad_configuration_raises():
    with pytest.raises(ValueError, match="period"):
        generate(n_pegawai=300, periods=("2024Q1", "2024-2", "2024Q3"))
    with pytest.raises(ValueError, match="unknown"):
        generate(n_pegawai=300, effect_relevan_typo=1.0)
    with pytest.raises(ValueError, match="n_pegawai"):
        SynthConfig(n_pegawai=10)
    with pytest.raises(ValueError, match="probability"):
        SynthConfig(p_difasilitasi=1.5)


# --------------------------------------------------------------------------- 360 ratings


def test_perilaku_design_and_leniency_truth(res):
    pl = res.tables["perilaku"]
    peg = res.tables["pegawai"].set_index("nip")
    # every employee-period-dimension has exactly one self rating
    diri = pl[pl["peran_penilai"] == "diri"]
    assert (diri["id_penilai"] == diri["nip"]).all()
    assert len(diri) == len(peg) * len(SynthConfig().periods) * len(BERAKHLAK)
    at = pl[pl["peran_penilai"] == "atasan"]
    assert (at["id_penilai"].to_numpy() == peg.loc[at["nip"], "nip_atasan"].to_numpy()).all()
    rk = pl[pl["peran_penilai"] == "rekan"]
    assert (
        peg.loc[rk["nip"], "nip_atasan"].to_numpy()
        == peg.loc[rk["id_penilai"], "nip_atasan"].to_numpy()
    ).all()
    bw = pl[pl["peran_penilai"] == "bawahan"]
    assert (peg.loc[bw["id_penilai"], "nip_atasan"].to_numpy() == bw["nip"].to_numpy()).all()
    per_role = (
        pl.groupby(["nip", "periode", "dimensi", "peran_penilai"]).size().unstack(fill_value=0)
    )
    assert per_role["rekan"].max() <= 3 and per_role["bawahan"].max() <= 2
    # leniency truth for every rater id; planted SD 0.35 (500 draws: SE ~0.011)
    rater = res.truth_tables["rater"]
    assert set(pl["id_penilai"]) <= set(rater["id_penilai"])
    assert 0.30 < rater["leniency"].std() < 0.40
    # ratings around 3.5-4 (planted base 3.6 for the supervisor)
    assert 3.3 < at["skor"].mean() < 4.0


def test_most_employees_are_baik(res):
    from kinerja_analysis.domain.predikat import evaluate_period

    ev = evaluate_period(res.tables["skp"], res.tables["perilaku"])
    share = ev["predikat"].value_counts(normalize=True)
    assert share["Baik"] > 0.6
    assert 95 < ev["capaian"].mean() < 110


# --------------------------------------------------------------------------- training


def test_training_treatment_structure(res):
    pel = res.tables["pelatihan"]
    tp = res.truth_tables["pegawai"].set_index("nip")
    per = SynthConfig().periods
    assert (pel["tanggal_selesai"] >= pel["tanggal_mulai"]).all()
    # nobody is treated in the first period
    q = pel["tanggal_mulai"].dt.year.astype(str) + "Q" + pel["tanggal_mulai"].dt.quarter.astype(str)
    assert q.min() > per[0]
    # the first training's period is the planted cohort
    first = q.groupby(pel["nip"]).min()
    assert first.to_dict() == tp["first_training_period"].dropna().to_dict()
    # the first training's target defines its relevance class
    pel = pel.assign(_q=q).sort_values(["nip", "tanggal_mulai"], kind="stable")
    f = pel.groupby("nip").head(1).set_index("nip")
    cls = tp.loc[f.index, "relevansi"]
    weak = tp.loc[f.index, "weakest_dimensi"]
    assert (cls == np.where(f["kompetensi_sasaran"] == weak, "relevan", np.where(
        f["kompetensi_sasaran"].isin(BERAKHLAK), "lain", "tidak_sesuai"))).all()  # fmt: skip
    kom = pel[pel["nama_pelatihan"] == KOMUNIKASI_PELATIHAN]
    assert len(kom) > 0 and (kom["kompetensi_sasaran"] == "berorientasi_pelayanan").all()
    assert (kom["sumber"] == "difasilitasi").mean() > 0.8


def test_training_truth_realistic_and_ordered(res):
    t = res.truth["realised"]["pelatihan"]
    # 35-45 % never trained planted; 500 employees: SE ~0.022
    assert 0.28 < t["share_never_trained"] < 0.50
    # share under 20 JP a year ("roughly 40-55 %"); small-n band wider
    for y, v in t["jp_per_year"].items():
        assert 0.35 < v["share_under_20jp"] < 0.65, y
    # mandiri trainings are mismatched far more often (planted 50 % vs 10 %)
    mis = t["share_tidak_sesuai_all_by_sumber"]
    assert mis["mandiri"] > 0.35 and mis["difasilitasi"] < 0.2
    by = {k: v["att"] for k, v in t["by_relevansi"].items()}
    assert by["relevan"] > by["lain"] > by["tidak_sesuai"]
    assert by["relevan"] > 2.0  # planted 0.30 P = 3 capaian points at full ramp
    ev = {int(k): v["att"] for k, v in t["by_event_time"].items()}
    assert ev[0] < ev[1]  # ramp: half the effect in the first treated period
    # capaian ATT = 10 x ATT on P, up to the 120 % cap
    assert t["att_capaian"] == pytest.approx(10 * t["att_p"], rel=0.1)
    # per-unit truth agrees with the aggregate
    efek = res.truth_tables["pelatihan_efek"]
    assert efek["tau_capaian"].mean() == pytest.approx(t["att_capaian"], abs=1e-6)


def test_raw_did_on_capaian_is_positive_and_selection_biases_levels():
    r = generate(n_pegawai=600, seed=21)
    kin = r.truth_tables["kinerja"]
    tp = r.truth_tables["pegawai"].set_index("nip")
    skp = r.tables["skp"]
    # capaian per employee-period as the PermenPAN-RB 8/2021 formulas give it
    ratio = skp["realisasi"] / skp["target"] * 100
    cap = ratio.where(skp["aspek"] != "waktu", 200 - ratio).clip(0, 120)
    per_ind = cap.groupby([skp["nip"], skp["periode"], skp["indikator"]]).mean()
    y = per_ind.groupby(level=["nip", "periode"]).mean().unstack()
    g = tp["first_training_period"].reindex(y.index)
    early = g.notna() & (g <= "2024Q4")
    never = g.isna()
    change = y[[c for c in y.columns if c.startswith("2025")]].mean(axis=1) - y["2024Q1"]
    did = change[early].mean() - change[never].mean()
    # truth: the realised ATT in 2025 of the 2024 cohorts (~1.9 points); SE of did ~0.6
    k = kin.merge(tp["first_training_period"], left_on="nip", right_index=True)
    sel = k["periode"].str.startswith("2025") & (k["first_training_period"] <= "2024Q4")
    true_att = (k.loc[sel, "capaian1"] - k.loc[sel, "capaian0"]).mean()
    assert did > 0
    assert abs(did - true_att) < 2.0  # ~3 SE
    # self-selection on motivation: the ever-trained are more motivated, so their
    # untreated capaian level is higher before anyone is trained
    assert (
        tp.loc[g.notna().to_numpy(), "motivation"].mean()
        > tp.loc[never.to_numpy(), "motivation"].mean()
    )
    assert y.loc[g.notna(), "2024Q1"].mean() > y.loc[never, "2024Q1"].mean()


# --------------------------------------------------------------------------- feedback


def test_feedback_sessions(res):
    ub = res.tables["umpan_balik"]
    k = ub["kualitas"]
    # ~10 % missing quality, ~1/3 of rated sessions poor (<= 2)
    assert 0.05 < k.isna().mean() < 0.15
    assert 0.25 < (k.dropna() <= 2).mean() < 0.42
    assert set(k.dropna().unique()) <= {1.0, 2.0, 3.0, 4.0, 5.0}
    q = ub["tanggal"].dt.year.astype(str) + "Q" + ub["tanggal"].dt.quarter.astype(str)
    assert (q == ub["periode"]).all()
    n_ep = N * len(SynthConfig().periods)
    assert 0.9 < len(ub) / n_ep < 1.8  # mean ~1.2 sessions, x1.25 after rollout
    # some employee-periods get no feedback at all
    assert ub.groupby(["nip", "periode"]).ngroups < 0.8 * n_ep


def test_reverse_timing_adds_sessions_after_a_drop():
    counts = {}
    for rt in (0.0, 2.0):
        r = generate(n_pegawai=400, seed=4, reverse_timing=rt)
        kin = r.truth_tables["kinerja"]
        P = kin.pivot(index="nip", columns="periode", values="P")
        n_s = (
            r.tables["umpan_balik"].groupby(["nip", "periode"]).size().unstack(fill_value=0)
            .reindex(index=P.index, columns=P.columns, fill_value=0)
        )  # fmt: skip
        drop = (P.shift(2, axis=1) - P.shift(1, axis=1)) > 0.5
        counts[rt] = n_s.to_numpy()[drop.to_numpy()].mean()
    # extra Poisson(2 x drop) sessions, drop > 0.5: at least +1 on average
    assert counts[2.0] - counts[0.0] > 1.0


# --------------------------------------------------------------------------- rollout


def test_rollout_raises_ikm_relative_to_other_opds(res):
    lay = res.tables["layanan"].copy()
    pen = res.tables["penerapan"].set_index("opd")["periode_mulai"]
    assert pen.isna().any() and pen.notna().any()
    assert (pen.dropna() > SynthConfig().periods[0]).all()
    lay["ikm"] = lay[list(IKM_UNSUR)].mean(axis=1) * 25
    start = lay["opd"].map(pen)
    lay["D"] = (start.notna() & (lay["periode"] >= start.fillna("9999"))).astype(float)
    # two-way fixed effects: the planted effect is constant, so TWFE is unbiased here
    X = pd.concat(
        [lay[["D"]], pd.get_dummies(lay["opd"], dtype=float),
         pd.get_dummies(lay["periode"], dtype=float, drop_first=True)], axis=1
    )  # fmt: skip
    beta = np.linalg.lstsq(X.to_numpy(), lay["ikm"].to_numpy(), rcond=None)[0][0]
    assert beta == pytest.approx(3.0, abs=1.0)  # IKM noise SD ~0.5 per OPD-period
    t = res.truth["realised"]["layanan"]
    assert t["att_ikm"] == pytest.approx(3.0, abs=0.2)  # rounding/clipping only
    assert t["att_tepat_waktu"] == pytest.approx(5.0, abs=0.3)
    assert t["ratio_pengaduan"] < 1.0


# --------------------------------------------------------------------------- survey


def test_survey_items_and_planted_effects(res):
    sv = res.tables["survei"]
    ins = res.tables["survei_instrumen"]
    items = list(ins["item"])
    vals = pd.Series(sv[items].to_numpy().ravel()).dropna()
    assert set(vals.unique()) <= {1.0, 2.0, 3.0, 4.0, 5.0}
    assert 0.005 < sv[items].isna().mean().mean() < 0.04  # planted 2 %
    assert 0.6 < len(sv) / (N * 8) < 0.8  # planted 70 % response
    for konstruk, g in ins.groupby("konstruk"):
        assert g["terbalik"].sum() == 1, konstruk
        c = sv[list(g["item"])].corr()
        rev = g.loc[g["terbalik"], "item"].iloc[0]
        others = [i for i in g["item"] if i != rev]
        assert (c.loc[rev, others] < 0).all(), konstruk
        assert (c.loc[others, others].to_numpy()[np.triu_indices(3, 1)] > 0.15).all(), konstruk
    lo = res.truth["survei_loadings"]
    assert set(lo) == set(items) and all(0.55 <= v <= 0.85 for v in lo.values())
    # communication training raises percaya_diri (planted 0.5 latent SD)
    tp = res.truth_tables["pegawai"].set_index("nip")
    kp = sv["nip"].map(tp["komunikasi_period"])
    post = kp.notna() & (sv["periode"] >= kp.fillna("9999"))
    pd_items = ins.loc[(ins["konstruk"] == "percaya_diri") & ~ins["terbalik"], "item"]
    score = sv[list(pd_items)].mean(axis=1)
    assert score[post].mean() - score[~post].mean() > 0.1


def test_truth_is_json_serialisable(res):
    text = json.dumps(res.truth, allow_nan=False)
    back = json.loads(text)
    assert set(back) >= {"config", "planted", "realised"}
    assert back["config"]["seed"] == SEED and back["config"]["n_pegawai"] == N
    tp = res.truth_tables["pegawai"]
    assert {"nip", "ability", "motivation", "first_training_period", "relevansi"} <= set(tp)
    assert len(res.truth_tables["kompetensi"]) == N * len(BERAKHLAK)
