"""Tests of kinerja_analysis.scoring.

Reference values are worked by hand in the comments (regulation formulas from
PermenPAN-RB 8/2021, Perka BKN 1/2013, PermenPAN-RB 6/2022, SE MenPAN-RB 3/2023,
PermenPAN-RB 14/2017), or come from simulated data with a planted truth.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis.data.contract import BERAKHLAK, IKM_UNSUR
from kinerja_analysis.domain.ikm import ikm, ikm_from_responses, ikm_kategori
from kinerja_analysis.domain.perilaku import (
    RoleWeights,
    opd_profile,
    perilaku_kerja,
    rater_effects,
    rater_model,
    strengths_weaknesses,
    summarise_perilaku,
)
from kinerja_analysis.domain.predikat import (
    PREDIKAT_DTYPE,
    PREDIKAT_ORDER,
    PREDIKAT_ORGANISASI,
    check_distribution,
    evaluate_period,
    output_vs_competency,
    predikat,
)
from kinerja_analysis.domain.skp import HasilCutoffs, capaian_skp, hasil_kerja

SA, SE, SB_ = "Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi"


# ------------------------------------------------------------------------------------
# Simulation of a 360-degree design with planted rater leniency and role effects
# ------------------------------------------------------------------------------------


def simulate_360(
    seed: int = 1,
    *,
    n_opd: int = 4,
    n_unit: int = 3,
    per_unit: int = 10,
    periods: tuple[str, ...] = ("2024Q1", "2024Q2", "2024Q3", "2024Q4"),
    sd_leniency: float = 0.4,
    role_effect: dict[str, float] | None = None,
    rounded: bool = True,
    lintas: bool = True,
):
    """Each OPD: a head (administrator), units led by a pengawas, pelaksana staff.

    Every employee is rated each period by the atasan, 3 random peers with the same
    atasan, up to 3 random subordinates and self. Score = 3.6 + true competence
    (person + person x dimension) + rater leniency + role effect + rater x ratee x period
    halo + noise; rounded and clipped to 1-5 when ``rounded``. With ``lintas`` each
    employee is also rated as rekan by one random colleague of the same OPD (any level):
    without such cross-level links a strictly layered hierarchy cannot separate a
    level-wide leniency from the role effects.
    """
    role_effect = role_effect or {"atasan": 0.0, "rekan": 0.3, "bawahan": 0.2}
    rng = np.random.default_rng(seed)
    emp = []
    for o in range(n_opd):
        head = f"o{o}h"
        emp.append((head, None, f"OPD {o}", "administrator"))
        for u in range(n_unit):
            sup = f"o{o}u{u}s"
            emp.append((sup, head, f"OPD {o}", "pengawas"))
            emp += [(f"o{o}u{u}e{k}", sup, f"OPD {o}", "pelaksana") for k in range(per_unit)]
    peg = pd.DataFrame(emp, columns=["nip", "nip_atasan", "opd", "jenis_jabatan"])
    ids = list(peg["nip"])
    boss = {
        e: (None if pd.isna(b) else b) for e, b in zip(peg["nip"], peg["nip_atasan"], strict=True)
    }
    subs: dict[str, list[str]] = {}
    for e, b in boss.items():
        if b is not None:
            subs.setdefault(b, []).append(e)
    theta = rng.normal(0.0, 0.5, len(ids))
    delta = rng.normal(0.0, 0.25, (len(ids), len(BERAKHLAK)))
    true = pd.DataFrame(
        [
            (nip, d, theta[i] + delta[i, j])
            for i, nip in enumerate(ids)
            for j, d in enumerate(BERAKHLAK)
        ],
        columns=["nip", "dimensi", "true_score"],
    )
    lam = dict(zip(ids, rng.normal(0.0, sd_leniency, len(ids)), strict=True))
    opd_of = dict(zip(peg["nip"], peg["opd"], strict=True))
    opd_members = peg.groupby("opd")["nip"].apply(list).to_dict()
    rows = []
    for p in periods:
        for i, nip in enumerate(ids):
            raters = []
            if boss[nip] is not None:
                raters.append((boss[nip], "atasan"))
            peers = [x for x, b in boss.items() if b == boss[nip] and x != nip]
            raters += [(x, "rekan") for x in rng.choice(peers, min(3, len(peers)), replace=False)]
            s = subs.get(nip, [])
            raters += [(x, "bawahan") for x in rng.choice(s, min(3, len(s)), replace=False)]
            if lintas:  # one colleague from elsewhere in the OPD, any level, as rekan
                taken = {r for r, _ in raters} | {nip}
                pool = [x for x in opd_members[opd_of[nip]] if x not in taken]
                raters.append((str(rng.choice(pool)), "rekan"))
            raters.append((nip, "diri"))
            for r, role in raters:
                shift = 0.5 if role == "diri" else lam[r] + role_effect[role]
                halo = rng.normal(0.0, 0.3)
                y = 3.6 + theta[i] + delta[i] + shift + halo + rng.normal(0.0, 0.4, len(BERAKHLAK))
                if rounded:
                    y = np.clip(np.rint(y), 1, 5)
                rows += [(nip, p, r, role, d, y[j]) for j, d in enumerate(BERAKHLAK)]
    per = pd.DataFrame(
        rows, columns=["nip", "periode", "id_penilai", "peran_penilai", "dimensi", "skor"]
    )
    return per, peg, true, pd.Series(lam, name="planted")


@pytest.fixture(scope="module")
def sim():
    return simulate_360(seed=1, n_opd=10)


# ------------------------------------------------------------------------------------
# 1. Hasil kerja
# ------------------------------------------------------------------------------------


def _skp(rows):
    return pd.DataFrame(
        rows, columns=["nip", "periode", "indikator", "aspek", "target", "realisasi"]
    )


def test_capaian_kuantitas_kualitas_and_cap():
    skp = _skp(
        [
            ("a", "2024Q1", "i1", "kuantitas", 10, 12),  # 12/10*100 = 120
            ("a", "2024Q1", "i2", "kualitas", 100, 90),  # 90
            ("a", "2024Q1", "i3", "kuantitas", 10, 15),  # 150 -> capped at 120
        ]
    )
    c = capaian_skp(skp)
    np.testing.assert_allclose(c["capaian"], [120.0, 90.0, 120.0], atol=1e-12)
    c200 = capaian_skp(skp, cap=200.0)
    np.testing.assert_allclose(c200["capaian"], [120.0, 90.0, 150.0], atol=1e-12)


def test_capaian_waktu_rules():
    skp = _skp(
        [
            ("a", "p", "w1", "waktu", 7, 6.5),  # PermenPAN-RB 8/2021 example: (1+(1-6.5/7))=107.14%
            ("a", "p", "w2", "waktu", 8, 9),  # PermenPAN-RB 8/2021 example: 87.5%
            ("a", "p", "w3", "waktu", 12, 12),  # on time
            (
                "a",
                "p",
                "w4",
                "waktu",
                12,
                8,
            ),  # very early (eff. 33% > 24%); permenpan 133 -> cap 120
            ("a", "p", "w5", "waktu", 12, 10),  # efficiency 16.7% <= 24%
            ("a", "p", "w6", "waktu", 10, 25),  # very late: formula negative -> floor 0
        ]
    )
    pm = capaian_skp(skp)["capaian"].to_numpy()
    np.testing.assert_allclose(
        pm, [(2 - 6.5 / 7) * 100, 87.5, 100.0, 120.0, (2 - 10 / 12) * 100, 0.0]
    )
    assert round(pm[0]) == 107  # as printed in the regulation
    bkn = capaian_skp(skp, waktu_rule="bkn2013")["capaian"].to_numpy()
    # Perka BKN 1/2013: on time -> (1.76*12-12)/12*100 = 76.00 (its worked example);
    # eff <= 24%: (1.76*12-10)/12*100 = 92.667; eff > 24%: 76 - ((1.76*12-8)/12*100 - 100)
    #   = 76 - (109.333 - 100) = 66.667
    np.testing.assert_allclose(bkn[2:5], [76.0, 76.0 - (176 - 800 / 12 - 100), 176 - 1000 / 12])
    np.testing.assert_allclose(bkn[2:5], [76.0, 66.6666667, 92.6666667], atol=1e-6)
    ras = capaian_skp(skp, waktu_rule="rasio")["capaian"].to_numpy()
    np.testing.assert_allclose(ras[[1, 2, 4]], [800 / 9, 100.0, 120.0])  # 12/10*100=120 (cap)


def test_capaian_bad_target_and_options():
    skp = _skp([("a", "p", "i1", "kuantitas", 10, 5), ("a", "p", "i2", "kuantitas", 0, 5)])
    with pytest.raises(ValueError, match=r"row 1 .*target=0"):
        capaian_skp(skp)
    with pytest.raises(ValueError, match="waktu_rule"):
        capaian_skp(skp.iloc[:1], waktu_rule="lama")


def test_hasil_kerja_cutoffs_and_averaging():
    skp = _skp(
        [
            ("atas", "p", "i1", "kuantitas", 100, 110),  # exactly 110 -> Di Atas
            ("atas2", "p", "i1", "kuantitas", 1, 1.1),  # 110.00000000000001 -> Di Atas
            ("sesuai_hi", "p", "i1", "kuantitas", 100, 109.99),
            ("sesuai_lo", "p", "i1", "kuantitas", 10, 9),  # exactly 90 -> Sesuai
            ("bawah", "p", "i1", "kuantitas", 100, 89.99),
            # mean over aspects, then over indicators: i1 = (100+80)/2 = 90, i2 = 120 (cap)
            # -> 105 (a flat mean of the three rows would give 100)
            ("two", "p", "i1", "kuantitas", 10, 10),
            ("two", "p", "i1", "kualitas", 100, 80),
            ("two", "p", "i2", "kuantitas", 10, 13),
        ]
    )
    h = hasil_kerja(skp).set_index("nip")
    assert h.loc["atas", "rating_hasil"] == SA
    assert h.loc["atas2", "rating_hasil"] == SA
    assert h.loc["sesuai_hi", "rating_hasil"] == SE
    assert h.loc["sesuai_lo", "rating_hasil"] == SE
    assert h.loc["bawah", "rating_hasil"] == SB_
    assert h.loc["two", "capaian"] == pytest.approx(105.0)
    assert h.loc["two", "n_indikator"] == 2
    h2 = hasil_kerja(skp, cutoffs=HasilCutoffs(di_atas=105.0, di_bawah=95.0)).set_index("nip")
    assert h2.loc["two", "rating_hasil"] == SA
    assert h2.loc["sesuai_lo", "rating_hasil"] == SB_
    with pytest.raises(ValueError):
        HasilCutoffs(di_atas=90.0, di_bawah=110.0)


# ------------------------------------------------------------------------------------
# 3. Predikat
# ------------------------------------------------------------------------------------

# PermenPAN-RB 6/2022 matrix (DESIGN.md section 3): (hasil, perilaku) -> predikat
MATRIX = [
    (SA, SB_, "Kurang/Misconduct"),
    (SA, SE, "Baik"),
    (SA, SA, "Sangat Baik"),
    (SE, SB_, "Kurang/Misconduct"),
    (SE, SE, "Baik"),
    (SE, SA, "Baik"),
    (SB_, SB_, "Sangat Kurang"),
    (SB_, SE, "Butuh Perbaikan"),
    (SB_, SA, "Butuh Perbaikan"),
]
ALIAS = {SA: "di_atas", SE: "sesuai", SB_: "di_bawah"}


@pytest.mark.parametrize(("hasil", "perilaku", "expected"), MATRIX)
def test_predikat_matrix_cells(hasil, perilaku, expected):
    assert predikat(hasil, perilaku) == expected
    assert predikat(ALIAS[hasil], ALIAS[perilaku]) == expected
    assert predikat(ALIAS[hasil], perilaku) == expected


def test_predikat_vectorised_and_errors():
    h = pd.Series([m[0] for m in MATRIX] + [None], index=range(10, 20))
    p = pd.Series([ALIAS[m[1]] for m in MATRIX] + [SE], index=range(10, 20))
    out = predikat(h, p)
    assert isinstance(out, pd.Series)
    assert out.index.equals(h.index)
    assert out.dtype == PREDIKAT_DTYPE
    assert list(out.iloc[:9].astype(str)) == [m[2] for m in MATRIX]
    assert pd.isna(out.iloc[9])
    # ordered: Sangat Baik is the best
    assert out.max() == "Sangat Baik" and out.min() == "Sangat Kurang"
    assert PREDIKAT_ORDER == (
        "Sangat Kurang",
        "Kurang/Misconduct",
        "Butuh Perbaikan",
        "Baik",
        "Sangat Baik",
    )
    arr = predikat(np.array(["di_atas", "di_bawah"]), "sesuai")  # scalar broadcast
    assert list(arr) == ["Baik", "Butuh Perbaikan"]
    with pytest.raises(ValueError, match="Luar Biasa"):
        predikat("Luar Biasa", "sesuai")
    with pytest.raises(ValueError, match="sangat_sesuai"):
        predikat(pd.Series(["sesuai", "sangat_sesuai"]), pd.Series(["sesuai", "sesuai"]))


# ------------------------------------------------------------------------------------
# 4. Distribution per OPD (SE MenPAN-RB 3/2023)
# ------------------------------------------------------------------------------------

SB, B, BP, K, SK = "Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang"
# opd -> (organisation predikat, employee predikats); 10 employees each.
OPD_CASES = {
    "A": ("Istimewa", [SB] * 7 + [B] * 3),  # SB 70% -> compliant (limit inclusive)
    "B": ("Istimewa", [SB] * 8 + [B] * 2),  # SB 80% > 70%: violates by 0.1 = 1 employee
    "C": ("Baik", [B] * 7 + [BP] * 2 + [SB]),  # B 70% ok; BP+K 20% > 0 ok
    "D": ("Baik", [B] * 9 + [SB]),  # B 90% (over by 0.2, 2 emp.); BP+K 0% -> needs 1
    "E": ("Butuh Perbaikan", [BP] * 6 + [B] * 3 + [SB]),  # BP 60% ok; SB 10% ok
    "F": ("Butuh Perbaikan", [BP] * 5 + [B] * 3 + [SB] * 2),  # BP short 0.1; SB over 0.1
    "G": ("Kurang", [K] * 6 + [BP] + [B] * 2 + [SB]),  # 60/10/10 -> all ok
    "H": ("Kurang", [K] * 7 + [B] * 3),  # K ok; BP 0% short by 0.1; SB 0 ok
    "I": ("Sangat Kurang", [SK] * 6 + [K] + [BP] * 3),  # all ok
    "J": ("Sangat Kurang", [SK] * 6 + [B] * 3 + [SB]),  # K+BP 0% short 0.1; SB 10% > 0
}
# (opd, rule index) -> (proporsi, patuh, selisih, selisih_pegawai)
OPD_EXPECTED = {
    ("A", 0): (0.7, True, 0.0, 0),
    ("B", 0): (0.8, False, 0.1, 1),
    ("C", 0): (0.7, True, 0.0, 0),
    ("C", 1): (0.2, True, 0.0, 0),
    ("D", 0): (0.9, False, 0.2, 2),
    ("D", 1): (0.0, False, 0.1, 1),
    ("E", 0): (0.6, True, 0.0, 0),
    ("E", 1): (0.1, True, 0.0, 0),
    ("F", 0): (0.5, False, 0.1, 1),
    ("F", 1): (0.2, False, 0.1, 1),
    ("G", 0): (0.6, True, 0.0, 0),
    ("G", 1): (0.1, True, 0.0, 0),
    ("G", 2): (0.1, True, 0.0, 0),
    ("H", 0): (0.7, True, 0.0, 0),
    ("H", 1): (0.0, False, 0.1, 1),
    ("H", 2): (0.0, True, 0.0, 0),
    ("I", 0): (0.6, True, 0.0, 0),
    ("I", 1): (0.4, True, 0.0, 0),
    ("I", 2): (0.0, True, 0.0, 0),
    ("J", 0): (0.6, True, 0.0, 0),
    ("J", 1): (0.0, False, 0.1, 1),
    ("J", 2): (0.1, False, 0.1, 1),
}


def _distribusi_data():
    ev, peg = [], []
    for opd, (_, preds) in OPD_CASES.items():
        for i, p in enumerate(preds):
            ev.append((f"{opd}{i}", "2024", p))
            peg.append((f"{opd}{i}", opd))
    ev.append(("A_missing", "2024", None))  # no predikat: not counted
    peg.append(("A_missing", "A"))
    return (
        pd.DataFrame(ev, columns=["nip", "periode", "predikat"]),
        pd.DataFrame(peg, columns=["nip", "opd"]),
    )


def test_cek_distribusi_hand_made():
    ev, peg = _distribusi_data()
    org = {opd: v[0] for opd, v in OPD_CASES.items()}
    out = check_distribution(ev, peg, org)
    assert len(out) == len(OPD_EXPECTED)
    assert set(out["predikat_organisasi"]) == set(PREDIKAT_ORGANISASI)
    out["i"] = out.groupby("opd").cumcount()
    for (opd, i), (prop, patuh, gap, people) in OPD_EXPECTED.items():
        row = out[(out["opd"] == opd) & (out["i"] == i)].iloc[0]
        assert row["n_pegawai"] == 10, opd
        assert row["proporsi"] == pytest.approx(prop, abs=1e-12), (opd, i)
        assert bool(row["patuh"]) is patuh, (opd, i, row["aturan"])
        assert row["selisih"] == pytest.approx(gap, abs=1e-12), (opd, i)
        assert row["selisih_pegawai"] == people, (opd, i)
    # one predikat for all OPDs
    all_ist = check_distribution(ev, peg, "Istimewa")
    assert len(all_ist) == len(OPD_CASES)
    assert all_ist.set_index("opd").loc["J", "proporsi"] == pytest.approx(0.1)
    with pytest.raises(ValueError, match="Luar Biasa"):
        check_distribution(ev, peg, "Luar Biasa")
    with pytest.raises(ValueError, match="predikat_organisasi"):
        check_distribution(ev, peg, {"A": "Baik"})


# ------------------------------------------------------------------------------------
# 2. Perilaku kerja: rater adjustment on simulated data with planted leniency
# ------------------------------------------------------------------------------------


def test_rater_model_recovers_planted_effects_continuous():
    # Unrounded scores: the model is exactly the data-generating model.
    per, _, _, planted = simulate_360(seed=7, rounded=False)
    m = rater_model(per)
    pen = m.penilai.set_index("id_penilai")
    r = np.corrcoef(pen["leniency"], planted.reindex(pen.index))[0, 1]
    assert r >= 0.9, r
    # planted leniency variance 0.4^2 = 0.16; method-of-moments estimate within 40 %
    # (over seeds 1-6 the estimates ranged 0.13-0.20)
    assert m.var_leniency == pytest.approx(0.16, rel=0.4)


def test_rater_model_recovers_role_effects():
    # Continuous scores, 10 OPDs. Over seeds 1-8 the estimates were rekan 0.308 (SD
    # 0.017) and bawahan 0.213 (SD 0.035): tolerances of about 3 SD.
    per, _, _, _ = simulate_360(seed=7, n_opd=10, rounded=False)
    roles = rater_model(per).peran.set_index("peran_penilai")["efek"]
    assert roles["atasan"] == 0.0  # reference
    assert roles["rekan"] == pytest.approx(0.3, abs=0.05)
    assert roles["bawahan"] == pytest.approx(0.2, abs=0.1)


def test_fe_solution_matches_dense_least_squares():
    # Reference: numpy lstsq on the full dummy matrix (ratee-period-dimension cells,
    # roles, raters) of a small design; fitted values and identified contrasts agree.
    per, _, _, _ = simulate_360(seed=5, n_opd=1, n_unit=2, per_unit=4, periods=("2024Q1",))
    d = per[per["peran_penilai"] != "diri"].reset_index(drop=True)
    m = rater_model(per, shrinkage_k=0.0)  # no shrinkage: the least-squares solution
    cells = pd.get_dummies(d["nip"] + "|" + d["dimensi"], dtype=float)
    roles = pd.get_dummies(d["peran_penilai"], dtype=float).drop(columns="atasan")
    raters = pd.get_dummies(d["id_penilai"], dtype=float)
    x = np.hstack([cells, roles, raters])
    coef, *_ = np.linalg.lstsq(x, d["skor"].to_numpy(float), rcond=None)
    nc, ngr = cells.shape[1], roles.shape[1]
    ref_roles = pd.Series(coef[nc : nc + ngr], index=roles.columns)
    ref_b = pd.Series(coef[nc + ngr :], index=raters.columns)
    w = d["id_penilai"].value_counts().reindex(ref_b.index)
    ref_b = ref_b - np.average(ref_b, weights=w)  # same normalisation
    est = m.penilai.set_index("id_penilai")["leniency_raw"].reindex(ref_b.index)
    np.testing.assert_allclose(est, ref_b, atol=1e-5)
    got_roles = m.peran.set_index("peran_penilai")["efek"]
    np.testing.assert_allclose(got_roles[ref_roles.index], ref_roles, atol=1e-5)


def test_rater_adjustment_realistic_rounded(sim):
    per, _, true, planted = sim
    eff = rater_effects(per).set_index("id_penilai")
    r = np.corrcoef(eff["leniency"], planted.reindex(eff.index))[0, 1]
    assert r >= 0.8, r  # stated threshold
    assert (eff["faktor_susut"].between(0, 1)).all()
    # shrunk as a whole: the mixed model's leniencies vary less than the raw ones
    assert eff["leniency"].var() < eff["leniency_raw"].var()
    # Adjusted scores track true competence better than raw role-weighted means
    # (employee x dimension, averaged over the four periods).
    adj = perilaku_kerja(per).groupby(["nip", "dimensi"])["skor"].mean()
    raw = perilaku_kerja(per, adjust=False).groupby(["nip", "dimensi"])["skor"].mean()
    t = true.set_index(["nip", "dimensi"])["true_score"]
    r_adj = np.corrcoef(adj, t.reindex(adj.index))[0, 1]
    r_raw = np.corrcoef(raw, t.reindex(raw.index))[0, 1]
    # over seeds 1-6 (10 OPDs) the gain r_adj - r_raw ranged 0.051-0.094
    assert r_adj > r_raw + 0.03, (r_adj, r_raw)


def test_rater_adjustment_on_synthetic_city():
    # kinerja_analysis.synth plants rater leniency N(0, 0.35^2) and role biases; over
    # seeds 1-3 and 11 (300 employees): corr(leniency) 0.955-0.968, corr with true
    # competence adjusted 0.951-0.954 vs raw 0.869-0.921, share "Baik" 0.815-0.862.
    from kinerja_analysis.data.synth import generate

    res = generate(n_pegawai=300, seed=2)
    per = res.tables["perilaku"]
    eff = rater_effects(per).merge(
        res.truth_tables["rater"], on="id_penilai", suffixes=("", "_true")
    )
    assert np.corrcoef(eff["leniency"], eff["leniency_true"])[0, 1] >= 0.8
    k = res.truth_tables["kompetensi"].set_index(["nip", "dimensi"])["true_score"]
    adj = perilaku_kerja(per).groupby(["nip", "dimensi"])["skor"].mean()
    raw = perilaku_kerja(per, adjust=False).groupby(["nip", "dimensi"])["skor"].mean()
    r_adj = np.corrcoef(adj, k.reindex(adj.index))[0, 1]
    r_raw = np.corrcoef(raw, k.reindex(raw.index))[0, 1]
    assert r_adj > r_raw + 0.02, (r_adj, r_raw)
    ev = evaluate_period(res.tables["skp"], per)
    assert (ev["predikat"] == "Baik").mean() >= 0.6  # "most employees end up Baik"


def test_leniency_and_roles_are_the_dense_mixed_model_solution():
    """Reference: the penalised least squares of the full dummy design (ratee x period
    x dimension cells and roles unpenalised, raters with a ridge of
    ``k x ratings per rater-employee-period``), solved densely by numpy; leniencies
    centred as the model centres them."""
    # a small design (the dense matrix is cells x (roles + raters)): one OPD, one period
    per, _, _, _ = simulate_360(
        seed=3, n_opd=1, n_unit=2, per_unit=6, periods=("2024Q1",), sd_leniency=0.4
    )
    k = 5.0
    m = rater_model(per, shrinkage_k=k)
    d = per[per["peran_penilai"] != "diri"].reset_index(drop=True)
    per_unit = len(d) / d.groupby(["id_penilai", "nip", "periode"]).ngroups
    cells = pd.get_dummies(d["nip"] + "|" + d["periode"] + "|" + d["dimensi"], dtype=float)
    roles = pd.get_dummies(d["peran_penilai"], dtype=float).drop(columns="atasan")
    raters = pd.get_dummies(d["id_penilai"], dtype=float)
    x = np.hstack([cells, roles, raters])
    nc, ngr, nr = cells.shape[1], roles.shape[1], raters.shape[1]
    penalty = np.zeros((nr, x.shape[1]))
    penalty[:, nc + ngr :] = np.sqrt(k * per_unit) * np.eye(nr)
    coef, *_ = np.linalg.lstsq(
        np.vstack([x, penalty]), np.r_[d["skor"].to_numpy(float), np.zeros(nr)], rcond=None
    )
    ref_roles = pd.Series(coef[nc : nc + ngr], index=roles.columns)
    ref_b = pd.Series(coef[nc + ngr :], index=raters.columns)
    ref_b -= np.average(ref_b, weights=d["id_penilai"].value_counts().reindex(ref_b.index))
    got = m.penilai.set_index("id_penilai")["leniency"].reindex(ref_b.index)
    np.testing.assert_allclose(got, ref_b, atol=1e-6)
    got_roles = m.peran.set_index("peran_penilai")["efek"]
    np.testing.assert_allclose(got_roles[ref_roles.index], ref_roles, atol=1e-6)
    # without shrinkage (k = 0) they are the least-squares ones
    m0 = rater_model(per, shrinkage_k=0.0)
    np.testing.assert_allclose(m0.penilai["leniency"], m0.penilai["leniency_raw"], atol=1e-12)


def test_shrinkage_fixed_k_and_zero_variance():
    per, _, _, _ = simulate_360(seed=3, n_opd=2, sd_leniency=0.4)
    m = rater_model(per, shrinkage_k=5.0)
    pen = m.penilai
    # the joint solution shrinks the leniencies as a whole (its exact values: the dense
    # reference above); a larger k shrinks more
    assert pen["leniency"].var() < pen["leniency_raw"].var()
    more = rater_model(per, shrinkage_k=50.0).penilai
    assert more["leniency"].var() < pen["leniency"].var()
    # No planted leniency and no role effects: estimated k large, leniencies near 0
    per0, _, _, _ = simulate_360(
        seed=4,
        n_opd=2,
        sd_leniency=0.0,
        role_effect={"atasan": 0, "rekan": 0, "bawahan": 0},
        rounded=False,
    )
    m0 = rater_model(per0)
    # over seeds 1-6 the estimated leniency variance was 0 (k infinite) every time
    assert m0.var_leniency < 0.005
    assert m0.penilai["leniency"].abs().max() < 0.1
    with pytest.raises(ValueError, match="shrinkage_k"):
        rater_model(per0, shrinkage_k=-1)


def test_perilaku_kerja_weights_and_self():
    # One ratee, one dimension; no adjustment: atasan 4, rekan 3 and 5 (mean 4),
    # bawahan 2; weights 0.6/0.25/0.15 -> 0.6*4 + 0.25*4 + 0.15*2 = 3.7. Self 5.
    rows = [
        ("x", "p", "boss", "atasan", "loyal", 4),
        ("x", "p", "r1", "rekan", "loyal", 3),
        ("x", "p", "r2", "rekan", "loyal", 5),
        ("x", "p", "s1", "bawahan", "loyal", 2),
        ("x", "p", "x", "diri", "loyal", 5),
        # second dimension without bawahan -> weights renormalised over atasan, rekan:
        # (0.6*4 + 0.25*3) / 0.85 = 3.70588...
        ("x", "p", "boss", "atasan", "adaptif", 4),
        ("x", "p", "r1", "rekan", "adaptif", 3),
    ]
    per = pd.DataFrame(
        rows, columns=["nip", "periode", "id_penilai", "peran_penilai", "dimensi", "skor"]
    )
    out = perilaku_kerja(per, adjust=False).set_index("dimensi")
    assert out.loc["loyal", "skor"] == pytest.approx(3.7)
    assert out.loc["adaptif", "skor"] == pytest.approx((0.6 * 4 + 0.25 * 3) / 0.85)
    assert out.loc["loyal", "n_rekan"] == 2 and out.loc["loyal", "n_penilai"] == 4
    assert out.loc["loyal", "skor_diri"] == 5
    assert out.loc["loyal", "selisih_diri"] == pytest.approx(5 - 3.7)
    assert np.isnan(out.loc["adaptif", "skor_diri"])
    ring = summarise_perilaku(out.reset_index())
    assert ring.loc[0, "skor_perilaku"] == pytest.approx((3.7 + 3.70588235) / 2, abs=1e-6)
    assert ring.loc[0, "rating_perilaku"] == SE
    w = RoleWeights(atasan=1.0, rekan=0.0, bawahan=0.0)
    only_boss = perilaku_kerja(per, adjust=False, weights=w)
    assert (only_boss["skor"] == 4.0).all()


def test_perilaku_ringkas_cutoffs():
    ps = pd.DataFrame(
        {
            "nip": ["a", "b", "c", "d"],
            "periode": "p",
            "dimensi": "loyal",
            "skor": [4.25, 4.2499, 3.0, 2.9999],
        }
    )
    r = summarise_perilaku(ps).set_index("nip")["rating_perilaku"]
    assert list(r) == [SA, SE, SE, SB_]


def test_evaluasi_periode_keeps_missing_sides(sim):
    per, _, _, _ = sim
    nips = sorted(per["nip"].unique())[:3]
    per1 = per[(per["periode"] == "2024Q1") & (per["nip"].isin(nips[:2]))]
    skp = _skp(
        [
            (nips[0], "2024Q1", "i1", "kuantitas", 10, 10),
            (nips[2], "2024Q1", "i1", "kuantitas", 10, 5),
        ]
    )
    ev = evaluate_period(skp, per1, adjust=False).set_index("nip")
    assert ev.loc[nips[0], "keterangan"] == "lengkap"
    assert ev.loc[nips[0], "predikat"] in ("Baik", "Kurang/Misconduct")
    assert ev.loc[nips[1], "keterangan"] == "tanpa_hasil"
    assert ev.loc[nips[2], "keterangan"] == "tanpa_perilaku"
    assert pd.isna(ev.loc[nips[2], "predikat"])
    assert len(ev) == 3


# ------------------------------------------------------------------------------------
# 5. Strengths/weaknesses and OPD profile
# ------------------------------------------------------------------------------------


def test_kekuatan_kelemahan_and_profil():
    # six pelaksana, dimension loyal: 3,3,3,3,3,4.5 -> mean 3.25, sd sqrt(1.875/5)=0.6124
    # z(4.5) = 1.25/0.6124 = 2.041 -> kekuatan; z(3) = -0.408 -> none
    ps = pd.DataFrame(
        {
            "nip": [f"e{i}" for i in range(6)] + ["f0", "f1"],
            "periode": "p",
            "dimensi": "loyal",
            "skor": [3, 3, 3, 3, 3, 4.5, 2.0, 4.0],
            "n_penilai": [5] * 6 + [5, 5],
        }
    )
    peg = pd.DataFrame(
        {
            "nip": [f"e{i}" for i in range(6)] + ["f0", "f1"],
            "jenis_jabatan": ["pelaksana"] * 6 + ["fungsional"] * 2,
            "opd": ["X"] * 3 + ["Y"] * 5,
        }
    )
    kk = strengths_weaknesses(ps, peg).set_index("nip")
    assert kk.loc["e5", "z"] == pytest.approx(1.25 / np.sqrt(1.875 / 5))
    assert kk.loc["e5", "kategori"] == "kekuatan"
    assert pd.isna(kk.loc["e0", "kategori"])
    assert pd.isna(kk.loc["f0", "kategori"])  # group of 2 < min_kelompok
    ps2 = ps.assign(skor=[3, 3, 3, 3, 3, 1.5, 2, 4], n_penilai=[5] * 5 + [2, 5, 5])
    kk2 = strengths_weaknesses(ps2, peg).set_index("nip")
    assert kk2.loc["e5", "z"] < -1 and pd.isna(kk2.loc["e5", "kategori"])  # too few raters
    kk3 = strengths_weaknesses(ps2, peg, min_penilai=2).set_index("nip")
    assert kk3.loc["e5", "kategori"] == "kelemahan"
    prof = opd_profile(ps, peg).set_index("opd")
    assert prof.loc["X", "rerata"] == pytest.approx(3.0)
    assert prof.loc["Y", "rerata"] == pytest.approx((3 + 3 + 4.5 + 2 + 4) / 5)
    assert prof.loc["Y", "n_pegawai"] == 5


# ------------------------------------------------------------------------------------
# 6. Output versus competency
# ------------------------------------------------------------------------------------


def test_hasil_vs_kompetensi():
    # capaian ranks 1..5, perilaku ranks 2,1,4,3,5 -> Spearman = 1 - 6*4/(5*24) = 0.8
    ev = pd.DataFrame(
        {
            "nip": list("abcde"),
            "periode": "p",
            "capaian": [80.0, 95.0, 100.0, 105.0, 115.0],
            "rating_hasil": [SB_, SE, SE, SE, SA],
            "skor_perilaku": [2.9, 2.5, 3.6, 3.2, 4.5],
            "rating_perilaku": [SB_, SB_, SE, SE, SA],
        }
    )
    ev["predikat"] = predikat(ev["rating_hasil"], ev["rating_perilaku"])
    peg = pd.DataFrame({"nip": list("abcde"), "opd": ["X", "X", "Y", "Y", "Y"]})
    res = output_vs_competency(ev, peg)
    emp = res.pegawai.set_index("nip")
    # output only: a Butuh Perbaikan, b..d Baik, e Baik
    assert list(emp["predikat_hasil_saja"].astype(str)) == [BP, B, B, B, B]
    # full: a Sangat Kurang (turun), b Kurang/Misconduct (turun), c,d Baik, e Sangat Baik (naik)
    assert list(emp["perubahan"]) == ["turun", "turun", "tetap", "tetap", "naik"]
    opd = res.per_opd.set_index("opd")
    assert opd.loc["X", "n_turun"] == 2 and opd.loc["Y", "n_naik"] == 1
    kor = res.correlations.set_index("term")
    assert kor.loc["spearman(capaian, skor_perilaku)", "estimate"] == pytest.approx(0.8)
    assert kor.loc["spearman(capaian, skor_perilaku)", "n_obs"] == 5
    assert emp.loc["e", "peringkat_hasil"] == 1 and emp.loc["a", "peringkat_hasil"] == 5
    assert set(res.tidy().columns) >= {"term", "estimate", "std_error", "p_value", "n_obs"}
    # a period with no employee on both sides (all its SKP rows rejected): empty, typed
    none = output_vs_competency(ev.assign(capaian=np.nan), peg)
    assert len(none.pegawai) == 0 and len(none.per_opd) == 0
    assert str(none.per_opd["prop_naik"].dtype) == "float64"
    assert str(none.per_opd["n_naik"].dtype) == "int64"


# ------------------------------------------------------------------------------------
# 7. IKM (PermenPAN-RB 14/2017)
# ------------------------------------------------------------------------------------

RESPONDEN = [  # four respondents x nine elements, scores 1-4
    [4, 4, 3, 3, 4, 4, 3, 3, 4],
    [3, 3, 3, 2, 3, 4, 3, 3, 3],
    [3, 4, 2, 3, 3, 3, 2, 3, 4],
    [2, 3, 3, 3, 4, 3, 3, 2, 3],
]
# NRR by hand: u1 12/4=3.00, u2 14/4=3.50, u3 11/4=2.75, u4 2.75, u5 3.50, u6 3.50,
# u7 2.75, u8 2.75, u9 3.50; sum = 28.00; IKM = 28/9 * 25 = 77.78 -> B (Baik)
NRR = [3.0, 3.5, 2.75, 2.75, 3.5, 3.5, 2.75, 2.75, 3.5]


def test_ikm_dari_responden_worked_example():
    resp = pd.DataFrame(RESPONDEN, columns=list(IKM_UNSUR))
    resp["opd"] = "Dinas A"
    out = ikm_from_responses(resp)
    assert out.loc[0, "n_responden"] == 4
    np.testing.assert_allclose(out.loc[0, list(IKM_UNSUR)].astype(float), NRR)
    assert out.loc[0, "ikm"] == pytest.approx(28.0 / 9 * 25)  # 77.777...
    assert (out.loc[0, "mutu"], out.loc[0, "kinerja"]) == ("B", "Baik")
    # a missing answer: NRR over those who answered; u1 = (4+3+3)/3
    resp2 = resp.astype({"u1": float})
    resp2.loc[3, "u1"] = np.nan
    assert ikm_from_responses(resp2).loc[0, "u1"] == pytest.approx(10 / 3)
    bad = resp.copy()
    bad.loc[2, "u5"] = 5
    with pytest.raises(ValueError, match=r"u5.*row 2"):
        ikm_from_responses(bad)


def test_ikm_from_layanan_consistency():
    u = dict(zip(IKM_UNSUR, NRR, strict=True))
    lay = pd.DataFrame(
        [
            {"opd": "A", "periode": "2024", **u, "ikm": 77.78},  # |77.78-77.7778| <= 0.01
            {"opd": "B", "periode": "2024", **u, "ikm": 80.00},  # inconsistent
            {"opd": "C", "periode": "2024", **{k: np.nan for k in u}, "ikm": 70.0},
        ]
    )
    out = ikm(lay).set_index("opd")
    assert out.loc["A", "ikm"] == pytest.approx(28.0 / 9 * 25)
    assert bool(out.loc["A", "konsisten"]) is True
    assert bool(out.loc["B", "konsisten"]) is False
    assert out.loc["B", "selisih"] == pytest.approx(80 - 28.0 / 9 * 25)
    assert out.loc["C", "sumber"] == "dilaporkan" and pd.isna(out.loc["C", "konsisten"])
    assert (out.loc["C", "mutu"], out.loc["C", "kinerja"]) == ("C", "Kurang Baik")
    only_ikm = ikm(lay[["opd", "periode", "ikm"]])
    assert list(only_ikm["ikm"]) == [77.78, 80.0, 70.0]


@pytest.mark.parametrize(
    ("value", "mutu", "kinerja"),
    [
        (25.0, "D", "Tidak Baik"),
        (64.99, "D", "Tidak Baik"),
        (65.00, "C", "Kurang Baik"),
        (76.60, "C", "Kurang Baik"),
        (76.604, "C", "Kurang Baik"),  # rounds to 76.60
        (76.606, "B", "Baik"),  # rounds to 76.61
        (76.61, "B", "Baik"),
        (88.30, "B", "Baik"),
        (88.31, "A", "Sangat Baik"),
        (100.0, "A", "Sangat Baik"),
    ],
)
def test_ikm_kategori_boundaries(value, mutu, kinerja):
    assert ikm_kategori(value) == (mutu, kinerja)


def test_ikm_kategori_vector_and_range():
    s = pd.Series([64.99, np.nan, 88.31], index=[5, 6, 7])
    out = ikm_kategori(s)
    assert list(out.index) == [5, 6, 7]
    assert out.loc[5, "mutu"] == "D" and out.loc[7, "mutu"] == "A" and pd.isna(out.loc[6, "mutu"])
    with pytest.raises(ValueError, match="24.9"):
        ikm_kategori(24.9)
    with pytest.raises(ValueError, match="100.5"):
        ikm_kategori(100.5)


# ------------------------------------------------------------------------------------
# Purity: no function mutates its input
# ------------------------------------------------------------------------------------


def test_no_input_mutation(sim):
    per, peg, _, _ = sim
    per = per[per["periode"].isin(["2024Q1", "2024Q2"])]
    nips = per["nip"].unique()
    rng = np.random.default_rng(0)
    skp = pd.DataFrame(
        {
            "nip": np.repeat(nips, 3),
            "periode": "2024Q1",
            "indikator": np.tile(["i1", "i2", "i3"], len(nips)),
            "aspek": np.tile(["kuantitas", "kualitas", "waktu"], len(nips)),
            "target": 10.0,
            "realisasi": rng.uniform(8, 12, 3 * len(nips)),
        }
    )
    ev_d, peg_d = _distribusi_data()
    lay = pd.DataFrame([{"opd": "A", "periode": "2024", **dict(zip(IKM_UNSUR, NRR, strict=True))}])
    resp = pd.DataFrame(RESPONDEN, columns=list(IKM_UNSUR)).assign(opd="A")
    inputs = [per, peg, skp, ev_d, peg_d, lay, resp]
    copies = [x.copy(deep=True) for x in inputs]

    capaian_skp(skp)
    hasil_kerja(skp)
    rater_effects(per)
    ps = perilaku_kerja(per)
    ps_copy = ps.copy(deep=True)
    summarise_perilaku(ps)
    ev = evaluate_period(skp, per)
    ev_copy = ev.copy(deep=True)
    check_distribution(ev_d, peg_d, "Baik")
    strengths_weaknesses(ps, peg)
    opd_profile(ps, peg)
    output_vs_competency(ev, peg)
    ikm(lay)
    ikm_from_responses(resp)
    for orig, cp in zip(inputs + [ps, ev], copies + [ps_copy, ev_copy], strict=True):
        pd.testing.assert_frame_equal(orig, cp)


def test_rater_model_with_only_the_supervisor_rating_adjusts_nothing():
    """An export with only the supervisor's rating (and the self-rating): every rating
    is alone in its cell, so no rater or role effect is identified. The model gives
    them 0 (no adjustment) rather than failing on a singular factorisation, and where
    one OPD has peers and subordinates too, their raters are still estimated."""
    from kinerja_analysis.data.synth import generate

    per = generate(n_pegawai=200, seed=4).tables["perilaku"]
    only = per[per["peran_penilai"].isin(["atasan", "diri"])].reset_index(drop=True)
    m = rater_model(only)
    assert (m.penilai["leniency"] == 0).all() and (m.peran["efek"] == 0).all()
    pd.testing.assert_frame_equal(perilaku_kerja(only), perilaku_kerja(only, adjust=False))
    # one OPD keeps every role: its raters are estimated, the rest stay at 0
    opd = per.merge(generate(n_pegawai=200, seed=4).tables["pegawai"][["nip", "opd"]])["opd"]
    mixed = per[per["peran_penilai"].isin(["atasan", "diri"]) | (opd == opd.iloc[0]).to_numpy()]
    lenient = rater_model(mixed.reset_index(drop=True)).penilai["leniency"]
    assert (lenient != 0).sum() >= 3 and np.isfinite(lenient).all()
