"""Unit tests of every published-table builder (reporting/tables.py, privacy, confidential).

Each builder runs on a tiny hand-made input whose answer is worked out in the test, and,
where the table describes groups of employees, on groups smaller than ``min_sel``: such a
cell is hidden, and so are enough other cells that it cannot be worked back from a total
that is published (:func:`_assert_protected`).
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis.data.contract import BERAKHLAK
from kinerja_analysis.domain.predikat import PREDIKAT_ORDER, output_vs_competency
from kinerja_analysis.reporting import tables as T
from kinerja_analysis.reporting.confidential import individual_sheet, write_confidential_sheets
from kinerja_analysis.reporting.privacy import suppress_small_groups

MIN = 5


def _assert_protected(n: pd.Series, hidden: pd.Series, groups: pd.Series | None = None) -> None:
    """Within every group whose total is published, the hidden cells cannot be recovered:
    none hidden, all hidden, or at least two hidden describing ``MIN`` employees or more
    (so "total minus shown cells" gives only a sum that is itself not small)."""
    n = pd.Series(np.asarray(n, dtype=float))
    hidden = pd.Series(np.asarray(hidden, dtype=bool))
    assert hidden[(n > 0) & (n < MIN)].all(), "a small cell is shown"
    keys = np.zeros(len(n)) if groups is None else np.asarray(groups, dtype=object)
    for _, idx in hidden.groupby(keys).groups.items():
        h = hidden[idx]
        if h.any() and not h.all():
            assert h.sum() >= 2 and n[idx][h].sum() >= MIN, (list(n[idx]), list(h))


def _pegawai(spec: dict[str, int], status: dict[str, str] | None = None) -> pd.DataFrame:
    """``nip, opd, status_kepegawaian, jenis_jabatan``: ``spec`` = employees per OPD."""
    rows = []
    for opd, k in spec.items():
        for i in range(k):
            rows.append((f"{opd}{i:02d}", opd))
    d = pd.DataFrame(rows, columns=["nip", "opd"])
    d["status_kepegawaian"] = [(status or {}).get(o, "pns") for o in d["opd"]]
    d["jenis_jabatan"] = "pelaksana"
    d["jabatan"] = "Analis"
    return d


# ----------------------------------------------------------------------------- 00 quality


def test_validation_summary_shares():
    v = SimpleNamespace(
        summary=pd.DataFrame(
            {
                "tabel": ["pegawai", "skp", "survei"],
                "rows_read": [10, 4, 0],
                "rows_accepted": [9, 4, 0],
                "rows_rejected": [1, 0, 0],
                "n_peringatan": [2, 0, 0],
                "file": ["a.csv", "b.csv", "c.csv"],  # not part of the table
            }
        )
    )
    out = T.validation_summary(v)
    assert list(out.columns) == [
        "tabel",
        "rows_read",
        "rows_accepted",
        "rows_rejected",
        "n_peringatan",
        "pct_diterima",
    ]
    assert out["pct_diterima"].tolist()[:2] == [0.9, 1.0]
    assert np.isnan(out["pct_diterima"].iloc[2])  # nothing read: no share


def test_issues_by_rule_counts_never_values():
    iss = pd.DataFrame(
        {
            "tabel": ["skp", "skp", "skp", "pegawai"],
            "aturan": ["target", "target", "periode", "nip"],
            "tingkat": ["tolak", "tolak", "peringatan", "tolak"],
            "nilai": ["198501012010011001", "x", "y", "z"],
        }
    )
    out = T.issues_by_rule(SimpleNamespace(issues=iss))
    assert list(out.columns) == ["tabel", "aturan", "tingkat", "n_masalah"]
    assert out.iloc[0].tolist() == ["skp", "target", "tolak", 2]
    assert sorted(out["n_masalah"]) == [1, 1, 2]
    empty = T.issues_by_rule(SimpleNamespace(issues=iss.iloc[:0]))
    assert len(empty) == 0 and empty["n_masalah"].dtype == "int64"


def test_period_coverage():
    tables = {
        "pegawai": _pegawai({"A": 4}),
        "skp": pd.DataFrame(
            {"nip": ["A00", "A00", "A01", "A02"], "periode": ["2025Q1"] * 3 + ["2025Q2"]}
        ),
        "pelatihan": pd.DataFrame(
            {
                "nip": ["A00", "A03", "A03"],
                "tanggal_mulai": pd.to_datetime(["2025-03-31", "2025-01-01", "2025-04-01"]),
            }
        ),
    }
    out = T.period_coverage(tables, "2025Q1", min_sel=1).set_index("tabel")
    assert out.loc["skp", ["n_baris", "n_asn"]].tolist() == [3, 2]
    assert out.loc["skp", "pct_asn"] == 0.5
    assert out.loc["pelatihan", ["n_baris", "n_asn"]].tolist() == [2, 2]
    assert list(out.index) == ["skp", "pelatihan"]
    assert not out["disembunyikan"].any()
    # 2 of 4 ASN with an SKP (and 2 without) beside the head-count: both small groups
    small = T.period_coverage(tables, "2025Q1", min_sel=MIN).set_index("tabel")
    assert small[["n_asn", "pct_asn"]].isna().all().all() and small["disembunyikan"].all()
    assert small.loc["skp", "n_baris"] == 3  # rows are not ASN


def test_period_coverage_hides_a_small_rest():
    """A table covering all ASN but a few states the few: head-count − n_asn is a group."""
    peg = _pegawai({"A": 30})
    skp = pd.DataFrame({"nip": peg["nip"].iloc[:28], "periode": "2025Q1"})  # 2 without
    fb = pd.DataFrame({"nip": peg["nip"].iloc[:20], "periode": "2025Q1"})  # 10 without
    out = T.period_coverage({"pegawai": peg, "skp": skp, "umpan_balik": fb}, "2025Q1", MIN)
    out = out.set_index("tabel")
    assert pd.isna(out.loc["skp", "n_asn"]) and pd.isna(out.loc["skp", "pct_asn"])
    assert out.loc["umpan_balik", ["n_asn", "pct_asn"]].tolist() == [20, pytest.approx(2 / 3)]
    assert out["disembunyikan"].tolist() == [True, False]


# ----------------------------------------------------------------------------- 10 period


def test_pegawai_by_opd():
    out = T.pegawai_by_opd(_pegawai({"B": 2, "A": 2, "C": 6}))
    assert out["opd"].tolist() == ["C", "A", "B"]  # largest first, then by name
    assert out["n_asn"].tolist() == [6, 2, 2]
    assert out["pct_asn"].tolist() == pytest.approx([0.6, 0.2, 0.2])


def _skp(rows):
    return pd.DataFrame(
        rows, columns=["nip", "periode", "indikator", "aspek", "target", "realisasi"]
    )


def test_capaian_by_asn_and_by_period():
    skp = _skp(
        [
            ("a", "2025Q1", "i1", "kuantitas", 10, 8),  # 80 %
            ("a", "2025Q1", "i2", "kuantitas", 10, 12),  # 120 %
            ("b", "2025Q1", "i1", "kuantitas", 4, 2),  # 50 %
            ("a", "2024Q4", "i1", "kuantitas", 10, 10),  # 100 %
        ]
    )
    per = T.capaian_by_asn(skp)
    assert list(per.columns) == ["nip", "periode", "capaian"]
    assert per.set_index(["nip", "periode"])["capaian"].to_dict() == pytest.approx(
        {("a", "2024Q4"): 100.0, ("a", "2025Q1"): 100.0, ("b", "2025Q1"): 50.0}
    )
    out = T.capaian_by_period(skp)
    assert out["periode"].tolist() == ["2024Q4", "2025Q1"]  # calendar order
    q1 = out.iloc[1]
    assert (q1["n_asn"], q1["capaian_rerata"], q1["capaian_median"]) == (2, 75.0, 75.0)
    assert q1["pct_di_bawah_100"] == 0.5  # b only; a is exactly 100


def test_perilaku_by_dimension():
    d = pd.DataFrame(
        {
            "nip": ["a", "a", "b", "a", "a", "b"],
            "periode": ["2025Q1"] * 4 + ["2024Q4", "2025Q1"],
            "dimensi": ["kompeten", "kompeten", "kompeten", "akuntabel", "akuntabel", "kompeten"],
            "peran_penilai": ["atasan", "rekan", "atasan", "atasan", "atasan", "diri"],
            "skor": [4.0, 2.0, 3.0, 5.0, 1.0, 5.0],
        }
    )
    out = T.perilaku_by_dimension(d, "2025Q1")
    assert out["dimensi"].tolist() == ["akuntabel", "kompeten"]  # BerAKHLAK order
    assert list(out.columns) == [
        "dimensi",
        "n_asn",
        "n_penilaian",
        "skor_rerata",
        "skor_atasan",
        "skor_diri",
        "skor_rekan",
    ]
    k = out.set_index("dimensi").loc["kompeten"]
    # the self-rating (5.0) is shown apart and never enters the mean of the ratings
    assert (k["n_asn"], k["n_penilaian"], k["skor_rerata"]) == (2, 3, 3.0)
    assert (k["skor_atasan"], k["skor_rekan"], k["skor_diri"]) == (3.5, 2.0, 5.0)
    assert out.set_index("dimensi").loc["akuntabel", "skor_rerata"] == 5.0  # 2024Q4 not in


def test_ikm_by_opd_and_by_grade():
    lay = pd.DataFrame(
        {
            "opd": ["A", "B", "C", "A"],
            "periode": ["2025Q1"] * 3 + ["2024Q4"],
            "ikm": [90.0, 70.0, 95.0, 50.0],
            "tepat_waktu_pct": [80.0, 90.0, 70.0, 60.0],
            "jumlah_pengaduan": [1, 2, 3, 4],
        }
    )
    out = T.ikm_by_opd(lay, "2025Q1")
    assert out["opd"].tolist() == ["C", "A", "B"]  # best first
    assert out["mutu"].tolist() == ["A", "A", "C"]  # PermenPAN-RB 14/2017 intervals
    assert out["jumlah_pengaduan"].tolist() == [3, 1, 2]
    g = T.ikm_by_grade(out)
    assert g[["mutu", "n_opd"]].values.tolist() == [["A", 2], ["C", 1]]
    assert g["ikm_rerata"].tolist() == [92.5, 70.0]
    assert T.ikm_by_opd(lay, "2023Q1").empty
    assert T.ikm_by_grade(T.ikm_by_opd(lay, "2023Q1")).empty


def test_jp_window_and_coverage():
    a, b = T.jp_window("2025Q1")
    assert (a, b) == (pd.Timestamp("2024-04-01"), pd.Timestamp("2025-03-31"))
    tables = {
        "skp": pd.DataFrame({"periode": ["2024Q3", "2024Q2"]}),
        "perilaku": pd.DataFrame({"periode": ["2024Q1", None]}),
    }
    assert T.first_period(tables) == "2024Q1"
    assert T.first_period({"pegawai": pd.DataFrame({"nip": []})}) is None
    assert T.jp_window_covered("2024Q4", "2024Q1")  # window 2024-01-01 .. 2024-12-31
    assert T.jp_window_covered("2025Q1", "2024Q2")
    assert not T.jp_window_covered("2025Q1", "2024Q3")


# ----------------------------------------------------------------------------- 20 exposure


def _pelatihan(rows):
    d = pd.DataFrame(rows, columns=["nip", "jenis", "sumber", "jp", "tanggal_mulai"])
    d["tanggal_mulai"] = pd.to_datetime(d["tanggal_mulai"])
    return d


def test_training_exposure_small_groups_hidden():
    rows = [(f"a{i}", "teknis", "difasilitasi", 10.0, "2025-02-01") for i in range(6)]
    rows += [("a0", "teknis", "difasilitasi", 4.0, "2025-03-01")]  # a second training
    rows += [(f"e{i}", "manajerial", "difasilitasi", 6.0, "2025-01-05") for i in range(5)]
    rows += [(f"b{i}", "manajerial", "mandiri", 8.0, "2024-06-01") for i in range(2)]
    rows += [("c0", "teknis", "mandiri", 8.0, "2024-03-31")]  # before the window
    out = T.training_exposure(_pelatihan(rows), "2025Q1", min_sel=MIN)
    t = out.set_index(["jenis", "sumber"])
    assert ("teknis", "mandiri") not in t.index
    small = t.loc[("manajerial", "mandiri")]
    assert small["disembunyikan"] and pd.isna(small["n_asn"]) and pd.isna(small["jp_total"])
    # the JP of all sources is published (JP per ASN × ASN): the self-funded source's
    # only cell is that total less the facilitated cells, so one of them (the smaller,
    # manajerial: 5 ASN) is hidden with it; the self-funded share is not published (2
    # self-funded trainees), so the facilitated source needs no second complement
    assert t.loc[("manajerial", "difasilitasi"), "disembunyikan"]
    assert t.loc[("teknis", "difasilitasi"), ["n_pelatihan", "n_asn", "jp_total"]].tolist() == [
        7,
        6,
        64.0,
    ]
    assert t.loc[("teknis", "difasilitasi"), "jp_rerata"] == pytest.approx(64 / 7)
    assert out["disembunyikan"].sum() == 2
    _assert_protected(
        [6, 5, 2],
        out.set_index(["jenis", "sumber"]).loc[
            [("teknis", "difasilitasi"), ("manajerial", "difasilitasi"), ("manajerial", "mandiri")],
            "disembunyikan",
        ],
    )
    # with 6 self-funded trainees the share is published, hence each source's JP total:
    # a small cell is hidden with a complement of its own source
    rows2 = [r for r in rows if not r[0].startswith("b")]
    rows2 += [(f"b{i}", "manajerial", "mandiri", 8.0, "2024-06-01") for i in range(6)]
    rows2 += [(f"d{i}", "fungsional", "difasilitasi", 29.0, "2025-01-10") for i in range(4)]
    out2 = T.training_exposure(_pelatihan(rows2), "2025Q1", min_sel=MIN).set_index(
        ["jenis", "sumber"]
    )
    assert out2.loc[("fungsional", "difasilitasi"), "disembunyikan"]
    assert out2.loc[("manajerial", "difasilitasi"), "disembunyikan"]  # its complement (5)
    assert pd.isna(out2.loc[("manajerial", "difasilitasi"), "jp_total"])
    assert not out2.loc[("manajerial", "mandiri"), "disembunyikan"]
    assert not out2.loc[("teknis", "difasilitasi"), "disembunyikan"]


def test_self_funded_source_is_not_given_back():
    """The attack of the period documents on the training table: the whole JP (JP per
    ASN × ASN) and the self-funded share of JP give each source's JP; a hidden cell is
    recovered when it is its source's only hidden cell, or when the total less every
    shown cell is one hidden cell. Before: the lone self-funded cell of 3 ASN was both."""
    peg = _pegawai({"A": 20, "B": 20})
    nips = peg["nip"].tolist()
    rows = [(x, "teknis", "difasilitasi", 12.0, "2025-02-01") for x in nips[:25]]
    rows += [(x, "manajerial", "difasilitasi", 9.0, "2025-03-01") for x in nips[10:30]]
    rows += [(x, "teknis", "mandiri", 16.0, "2024-09-01") for x in nips[30:33]]  # 3 ASN
    pel = _pelatihan(rows)
    exposure = T.training_exposure(pel, "2025Q1", min_sel=MIN)
    jp = T.jp_by_asn(pel, peg, "2025Q1")
    city = T.jp_summary(jp, MIN).iloc[0]
    assert pd.isna(city["pct_jp_mandiri"])  # 3 self-funded trainees: the share is withheld
    total = city["jp_rerata"] * city["n_asn"]
    shown = exposure.loc[~exposure["disembunyikan"]]
    hidden = exposure.loc[exposure["disembunyikan"]]
    assert len(hidden) >= 2  # the lone self-funded cell is not the only one hidden
    assert total - shown["jp_total"].sum() != 48.0  # the 3 self-funded trainees' JP
    # what is left hidden describes at least min_sel people in two cells or more
    truth = pel.groupby(["jenis", "sumber"])["nip"].nunique()
    assert sum(truth[(r.jenis, r.sumber)] for r in hidden.itertuples()) >= MIN
    # with min_sel 3 the self-funded trainees are no small group: all is shown
    assert not T.training_exposure(pel, "2025Q1", min_sel=3)["disembunyikan"].any()
    assert T.jp_summary(jp, 3).iloc[0]["pct_jp_mandiri"] == pytest.approx(48 / total)


def test_self_funded_share_follows_the_trainees():
    """pct_jp_mandiri states the JP of the self-funded trainees and of those on
    facilitated training: blank where either is 1..min_sel-1, an OPD's with complements
    over the OPDs (the city's share is published), and withheld on request."""
    peg = _pegawai({"A": 20, "B": 20, "C": 20})
    rows = []
    for o, k in (("A", 2), ("B", 9), ("C", 12)):  # self-funded trainees per OPD
        members = [x for x in peg["nip"] if x.startswith(o)]
        rows += [(x, "teknis", "difasilitasi", 10.0, "2025-02-01") for x in members[:15]]
        rows += [(x, "teknis", "mandiri", 5.0, "2025-02-01") for x in members[-k:]]
    jp = T.jp_by_asn(_pelatihan(rows), peg, "2025Q1")
    js = T.jp_summary(jp, MIN).set_index("opd")
    # A (2 self-funded) primary; B (9) the complement among the self-funded cells
    assert js["pct_jp_mandiri"].isna().to_dict() == {
        "Semua OPD": False,
        "A": True,
        "B": True,
        "C": False,
    }
    assert js.attrs["mandiri_disembunyikan"] == ["A", "B"]
    # the city's self-funded JP less C's leaves A and B together: 11 trainees
    city = js.loc["Semua OPD", "pct_jp_mandiri"] * js.loc["Semua OPD", "jp_rerata"] * 60
    c = js.loc["C", "pct_jp_mandiri"] * js.loc["C", "jp_rerata"] * 20
    assert city - c == pytest.approx(5.0 * 11)
    assert not js["disembunyikan"].any()  # the other JP figures stay
    mask = T.jp_summary(jp, MIN, withheld=["jp_mandiri"])
    assert mask["pct_jp_mandiri"].isna().all()


def test_umpan_balik_by_period():
    ub = pd.DataFrame(
        {
            "nip": ["a", "a", "b", "a"],
            "periode": ["2025Q1", "2025Q1", "2025Q1", "2024Q4"],
            "bentuk": ["lisan", "tertulis", "lisan", "lisan"],
            "kualitas": [4.0, 2.0, np.nan, 5.0],
        }
    )
    out = T.umpan_balik_by_period(ub, _pegawai({"A": 4}), min_sel=1)
    assert out["periode"].tolist() == ["2024Q4", "2025Q1"]
    q1 = out.set_index("periode").loc["2025Q1"]
    assert q1["n_sesi"] == 3 and q1["sesi_per_asn"] == 0.75
    assert q1["pct_asn_tanpa_sesi"] == 0.5
    assert q1["kualitas_rerata"] == 3.0
    assert (q1["sesi_lisan"], q1["sesi_tertulis"]) == (2, 1)
    assert not out["disembunyikan"].any()
    # a city of 4: every share of it is a small group, and so are one or two raters
    small = T.umpan_balik_by_period(ub, _pegawai({"A": 4}), min_sel=MIN).set_index("periode")
    assert small[["pct_asn_tanpa_sesi", "kualitas_rerata"]].isna().all().all()
    assert small["disembunyikan"].all() and small.loc["2025Q1", "n_sesi"] == 3


def test_umpan_balik_by_period_hides_a_small_rest():
    """Each period's head-count is published (n_sesi / sesi_per_asn gives it back): the
    share without a session is blank where the ASN without, or those with, are 1..4."""
    peg = _pegawai({"A": 40})
    nips = peg["nip"].tolist()
    ub = pd.DataFrame(
        {
            "nip": nips[:37] + nips[:20] + nips[:4],  # 3 without; 20 with; 4 with
            "periode": ["2025Q1"] * 37 + ["2025Q2"] * 20 + ["2025Q3"] * 4,
            "bentuk": "dialog_kinerja",
            "kualitas": 4.0,
        }
    )
    out = T.umpan_balik_by_period(ub, peg, min_sel=MIN).set_index("periode")
    n_all = out["n_sesi"] / out["sesi_per_asn"]
    assert n_all.tolist() == [40, 40, 40]
    # the attack: head-count × share without = a number of ASN, and the rest
    without = (n_all * out["pct_asn_tanpa_sesi"]).round()
    assert without.isna().tolist() == [True, False, True]
    assert without["2025Q2"] == 20
    assert pd.isna(out.loc["2025Q3", "kualitas_rerata"])  # rated by 4 ASN
    assert out.loc["2025Q1", "kualitas_rerata"] == 4.0  # the mean of 37 stays
    assert out["disembunyikan"].tolist() == [True, False, True]


def test_capaian_by_training_groups_and_complements():
    # 6 ASN without training, 2 with 1-19 JP, 7 with >= 20 JP in the 12 months
    nips = [f"n{i:02d}" for i in range(15)]
    skp = _skp(
        [(n, "2025Q1", "i", "kuantitas", 10, 10 if i < 6 else 9) for i, n in enumerate(nips)]
    )
    jp = pd.DataFrame({"nip": nips[6:], "jp": [5.0, 19.0] + [20.0] * 7})
    out = T.capaian_by_training(skp, jp, "2025Q1", MIN)
    assert out["kelompok_jp"].tolist() == ["0 JP", "1–19 JP", "≥ 20 JP"]
    n_true = [6, 2, 7]
    # the groups add up to every ASN: the group of 2 and the next smallest (6) are hidden
    assert out["disembunyikan"].tolist() == [True, True, False]
    _assert_protected(pd.Series(n_true), out["disembunyikan"])
    assert out["n_asn"].iloc[2] == 7 and out["capaian_rerata"].iloc[2] == pytest.approx(90.0)
    assert out[["n_asn", "capaian_rerata"]].iloc[:2].isna().all().all()


def _jp_groups_city(no_skp: dict[str, int], groups=(30, 10, 40)):
    """ASN with an SKP in 2025Q1 in the three JP groups (``groups``: 0, 1–19, ≥ 20 JP), and
    ASN without one: ``no_skp`` = how many at 0 JP and at 20 JP."""
    rows, jp = [], []
    i = 0
    for k, hours in zip(groups, (0.0, 8.0, 24.0), strict=True):
        for _ in range(k):
            rows.append((f"s{i:03d}", "2025Q1", "i", "kuantitas", 10, 10))
            jp.append((f"s{i:03d}", hours))
            i += 1
    for hours, k in (("0", no_skp.get("0", 0)), ("20", no_skp.get("20", 0))):
        jp += [(f"t{hours}{j:02d}", float(hours)) for j in range(k)]
    return _skp(rows), pd.DataFrame(jp, columns=["nip", "jp"])


def _derived_groups(out: pd.DataFrame, jp: pd.DataFrame) -> list[float]:
    """Every group of ASN the published figures give by subtraction: the head-count (every
    ASN of ``jp``) less each shown group and less all of them; the city's numbers below
    and at or above 20 JP (its share × head-count, published when not itself hidden)
    less the shown groups on that side."""
    n = out.set_index("kelompok_jp")["n_asn"]
    shown = {k: float(v) for k, v in n.items() if pd.notna(v)}
    head = len(jp)
    below = float((jp["jp"] < 20).sum())
    found = [head - v for v in shown.values()]
    if len(shown) == 3:
        found.append(head - sum(shown.values()))
    if "0 JP" in shown and "1–19 JP" in shown:
        found.append(below - shown["0 JP"] - shown["1–19 JP"])
    if "≥ 20 JP" in shown:
        found.append(head - below - shown["≥ 20 JP"])
    return found


@pytest.mark.parametrize(
    "no_skp",
    [{"0": 2}, {"20": 3}, {"0": 8, "20": 2}, {"0": 2, "20": 8}, {"0": 1, "20": 1}],
)
def test_capaian_by_training_head_count_remainder(no_skp):
    """Beside the head-count (and the city's share below 20 JP), the JP groups of the ASN
    with an SKP give back the ASN without one, by side of the 20-JP line: the groups
    follow the remainder rule. Before, all three groups were shown and head-count less
    their sum (2, 3 …), or the city's count on one side less its groups, was a small
    group."""
    skp, jp = _jp_groups_city(no_skp)
    out = T.capaian_by_training(skp, jp, "2025Q1", MIN)
    derived = _derived_groups(out, jp)
    assert all(v == 0 or v >= MIN for v in derived), (out, derived)
    # the SKP count the document states (when the rest is not small) less the shown groups
    n_skp, rest = len(skp), len(jp) - len(skp)
    shown = out["n_asn"].dropna()
    if not (0 < rest < MIN) and len(shown) < 3:
        assert n_skp - shown.sum() >= MIN


def test_capaian_by_training_keeps_what_is_publishable():
    # everyone has an SKP: nothing to give back, nothing hidden
    skp, jp = _jp_groups_city({})
    assert not T.capaian_by_training(skp, jp, "2025Q1", MIN)["disembunyikan"].any()
    # 20 without an SKP, 10 on each side of the line: no small group either
    skp, jp = _jp_groups_city({"0": 10, "20": 10})
    out = T.capaian_by_training(skp, jp, "2025Q1", MIN)
    assert not out["disembunyikan"].any() and out["n_asn"].tolist() == [30, 10, 40]


def test_opd_documents_withhold_the_self_funded_share_the_city_hides():
    """An OPD whose self-funded share the city's JP table hides (primary or as a
    complement) gets ``jp_mandiri`` in its withheld measures, and its own JP table then
    blanks the share: the city's self-funded JP less every share published anywhere
    leaves the hidden OPDs together, never one small group."""
    peg = _pegawai({"A": 20, "B": 20, "C": 20})
    rows = []
    for o, k in (("A", 2), ("B", 9), ("C", 12)):
        members = [x for x in peg["nip"] if x.startswith(o)]
        rows += [(x, "teknis", "difasilitasi", 10.0, "2025-02-01") for x in members[:15]]
        rows += [(x, "teknis", "mandiri", 5.0, "2025-02-01") for x in members[-k:]]
    pel = _pelatihan(rows)
    skp = _skp([(x, "2024Q1", "i", "kuantitas", 10, 10) for x in peg["nip"]])
    ds = SimpleNamespace(pegawai=peg, tables={"pegawai": peg, "pelatihan": pel, "skp": skp})
    hidden = T.city_suppressed_measures(ds, None, "2025Q1", MIN)
    assert {o for o, m in hidden.items() if "jp_mandiri" in m} == {"A", "B"}
    assert not any("jp" in m for m in hidden.values())  # the other JP figures stay
    for o in ("A", "B"):  # the OPD's own document: its "all" row is the OPD
        mine = pel[pel["nip"].str.startswith(o)]
        own = T.jp_summary(
            T.jp_by_asn(mine, peg[peg["opd"] == o], "2025Q1"), MIN, withheld=hidden[o]
        )
        assert own["pct_jp_mandiri"].isna().all()
    # B alone (9 self-funded trainees) would show its share in its own document
    mine = pel[pel["nip"].str.startswith("B")]
    alone = T.jp_summary(T.jp_by_asn(mine, peg[peg["opd"] == "B"], "2025Q1"), MIN)
    assert alone["pct_jp_mandiri"].notna().all()


# ----------------------------------------------------------------------------- headline


def _tables_for_headline():
    peg = _pegawai({"A": 2, "B": 2})
    skp = _skp(
        [
            ("A00", "2024Q2", "i", "kuantitas", 10, 10),
            ("A00", "2025Q1", "i", "kuantitas", 10, 8),
            ("A01", "2025Q1", "i", "kuantitas", 10, 10),
        ]
    )
    per = pd.DataFrame(
        {
            "nip": ["A00", "A00", "B00", "B00"],
            "periode": ["2025Q1"] * 4,
            "peran_penilai": ["atasan", "rekan", "atasan", "diri"],
            "skor": [3.0, 2.0, 4.0, 5.0],
        }
    )
    lay = pd.DataFrame({"opd": ["A", "B"], "periode": ["2025Q1"] * 2, "ikm": [80.0, 90.0]})
    pel = _pelatihan(
        [
            ("A00", "teknis", "difasilitasi", 30.0, "2024-12-01"),
            ("B01", "teknis", "mandiri", 10.0, "2024-05-01"),
        ]
    )
    return {"pegawai": peg, "skp": skp, "perilaku": per, "layanan": lay, "pelatihan": pel}


def test_headline_figures():
    out = T.headline_figures(_tables_for_headline(), "2025Q1", min_sel=1)
    assert list(out.columns) == ["indikator", "nilai", "satuan", "disembunyikan"]
    assert not out["disembunyikan"].any()
    v = out.set_index("indikator")["nilai"]
    assert (v["n_asn"], v["n_opd"]) == (4, 2)
    assert v["capaian_rerata"] == 90.0
    # mean over ASN of their ratings by others: (2.5 + 4) / 2; self-ratings left out
    assert v["perilaku_rerata"] == 3.25
    assert v["ikm_rerata"] == 85.0
    assert v["jp_rerata"] == 10.0  # (30 + 10 + 0 + 0) / 4
    assert v["pct_jp_di_bawah_20"] == 0.75
    # the first period's 12-month window reaches before the data: no JP figures
    first = T.headline_figures(_tables_for_headline(), "2024Q2").set_index("indikator")
    assert first.loc[["jp_rerata", "pct_jp_di_bawah_20"], "nilai"].isna().all()
    assert not first["disembunyikan"].any()  # not available, not suppressed
    # a city of 4 ASN: 3 below 20 JP and 1 at or above are small groups beside n_asn
    small = T.headline_figures(_tables_for_headline(), "2025Q1", min_sel=MIN)
    small = small.set_index("indikator")
    assert small.loc["pct_jp_di_bawah_20", "disembunyikan"]
    assert pd.isna(small.loc["pct_jp_di_bawah_20", "nilai"])
    assert small["disembunyikan"].sum() == 1 and small.loc["jp_rerata", "nilai"] == 10.0


def _tables_below_20(n: int, below: int) -> dict[str, pd.DataFrame]:
    """``n`` ASN of one OPD, all but ``below`` with 20 JP of training in early 2025."""
    peg = _pegawai({"A": n})
    rows = [(x, "teknis", "difasilitasi", 20.0, "2025-02-01") for x in peg["nip"][below:]]
    rows.append((peg["nip"].iloc[0], "teknis", "difasilitasi", 20.0, "2023-06-01"))  # before
    skp = _skp([(peg["nip"].iloc[0], "2024Q1", "i", "kuantitas", 10, 10)])  # data from 2024Q1
    return {"pegawai": peg, "pelatihan": _pelatihan(rows), "skp": skp}


@pytest.mark.parametrize(("n", "below", "hidden"), [(40, 3, True), (40, 37, True),
                                                     (40, 5, False), (40, 0, False),
                                                     (40, 40, False), (4, 0, True)])  # fmt: skip
def test_city_share_below_20_hides_a_small_group(n, below, hidden):
    """The city's share of ASN below 20 JP beside its number of ASN is a count of ASN,
    and so is the rest: published only where both are 0 or at least min_sel, in the
    headline, the cross-period summary and the JP table's all-OPD row alike."""
    t = _tables_below_20(n, below)
    head = T.headline_figures(t, "2025Q1", min_sel=MIN).set_index("indikator")
    share = head.loc["pct_jp_di_bawah_20", "nilai"]
    assert bool(head.loc["pct_jp_di_bawah_20", "disembunyikan"]) is hidden
    assert pd.isna(share) is hidden
    if not hidden:  # the attack reads back a group of 0 or >= min_sel only
        k = round(share * head.loc["n_asn", "nilai"])
        assert k == below and all(x == 0 or x >= MIN for x in (k, n - k))
    lintas = T.cross_period_summary(t, ["2025Q1"], min_sel=MIN)
    assert pd.isna(lintas["pct_jp_di_bawah_20"].iloc[0]) is hidden
    assert lintas.attrs["disembunyikan"] == ({"pct_jp_di_bawah_20": ["2025Q1"]} if hidden else {})
    js = T.jp_summary(T.jp_by_asn(t["pelatihan"], t["pegawai"], "2025Q1"), MIN, per_opd=False)
    assert pd.isna(js.loc[0, "pct_di_bawah_20"]) is hidden
    assert ("Semua OPD" in js.attrs["di_bawah_20_disembunyikan"]) is hidden


def test_headline_behaviour_is_the_documents_score():
    """With the evaluation, the behaviour headline is the mean of the score the predikat
    is computed from (adjusted, without self-ratings), over the ASN of the period in the
    tables' pegawai; never the mean of every raw rating."""
    ev = pd.DataFrame(
        {
            "nip": ["A00", "B00", "B01", "X99", "A00"],
            "periode": ["2025Q1"] * 4 + ["2024Q2"],
            "skor_perilaku": [3.1, 3.3, float("nan"), 1.0, 5.0],
        }
    )
    v = T.headline_figures(_tables_for_headline(), "2025Q1", evaluasi=ev)
    v = v.set_index("indikator")["nilai"]
    assert v["perilaku_rerata"] == pytest.approx(3.2)  # X99 is not in pegawai
    s = T.cross_period_summary(_tables_for_headline(), ["2025Q1"], evaluasi=ev)
    assert s["perilaku_rerata"].tolist() == [pytest.approx(3.2)]


def test_cross_period_summary():
    out = T.cross_period_summary(_tables_for_headline(), ["2025Q1", "2024Q2"])
    assert out["periode"].tolist() == ["2024Q2", "2025Q1"]
    assert out["n_asn"].dtype == "Int64" and out["n_asn"].tolist() == [4, 4]
    assert out["capaian_rerata"].tolist() == [100.0, 90.0]


# ----------------------------------------------------------------------------- per OPD


def _evaluasi(peg: pd.DataFrame, predikat: list[str], periode: str = "2025Q1") -> pd.DataFrame:
    return pd.DataFrame({"nip": peg["nip"], "periode": periode, "predikat": predikat})


def test_predikat_by_opd_counts_shares_and_two_way_complements():
    # OPD x predikat counts, in PREDIKAT_ORDER (Sangat Kurang ... Sangat Baik)
    counts = {"A": [20, 20, 20, 20, 2], "B": [20, 20, 20, 20, 20], "C": [20, 20, 20, 20, 20]}
    peg = _pegawai({o: sum(c) for o, c in counts.items()})
    pred = [
        p for c in counts.values() for p, k in zip(PREDIKAT_ORDER, c, strict=True) for _ in range(k)
    ]
    ds = SimpleNamespace(pegawai=peg)
    h = SimpleNamespace(evaluasi=_evaluasi(peg, pred))
    out = T.predikat_by_opd(ds, h, "2025Q1", min_sel=MIN)
    assert out[["opd", "predikat"]].astype(str).values.tolist() == [
        [o, p] for o in "ABC" for p in PREDIKAT_ORDER
    ]
    n_true = pd.Series([k for c in counts.values() for k in c])
    hidden = out["disembunyikan"]
    # A's 2 "Sangat Baik" is hidden with a complement in its OPD (the OPD's head-count is
    # public) and in its column (the city's count per predikat is public)
    assert hidden.iloc[4] and hidden.iloc[:5].sum() >= 2 and hidden.iloc[[9, 14]].any()
    _assert_protected(n_true, hidden, out["opd"])
    _assert_protected(n_true, hidden, out["predikat"].astype(str))
    shown = out[~hidden]
    assert (shown["n"].astype(int).to_numpy() == n_true[~hidden.to_numpy()].to_numpy()).all()
    total = shown["opd"].map({o: sum(c) for o, c in counts.items()})
    assert shown["persen"].to_numpy() == pytest.approx((shown["n"] / total).to_numpy(float))
    assert shown["opd"].isin(["A", "B", "C"]).all()
    # one OPD's own report keeps only it, with the city's pattern: a complement hidden
    # for the city stays hidden in the OPD's document (else the two could be differenced)
    one = T.predikat_by_opd(ds, h, "2025Q1", opd="B", min_sel=MIN)
    assert set(one["opd"]) == {"B"}
    assert one["disembunyikan"].tolist() == out.loc[out["opd"] == "B", "disembunyikan"].tolist()
    # empty cells describe nobody and stay shown
    peg2 = _pegawai({"D": 7})
    h2 = SimpleNamespace(evaluasi=_evaluasi(peg2, ["Baik"] * 7))
    d = T.predikat_by_opd(SimpleNamespace(pegawai=peg2), h2, "2025Q1", min_sel=MIN)
    assert d["n"].tolist() == [0, 0, 0, 7, 0] and not d["disembunyikan"].any()
    assert d["persen"].tolist() == [0, 0, 0, 1, 0]


def test_berakhlak_by_opd_blanks_small_opds():
    peg = _pegawai({"A": 6, "B": 3})
    sd = pd.DataFrame(
        {
            "nip": list(peg["nip"]),
            "periode": "2025Q1",
            "dimensi": "kompeten",
            "skor": [3.0] * 6 + [5.0] * 3,
        }
    )
    out = T.berakhlak_by_opd(
        SimpleNamespace(pegawai=peg), SimpleNamespace(skor_dimensi=sd), "2025Q1", min_sel=MIN
    )
    r = out.set_index("opd")
    assert r.loc["A", "rerata"] == 3.0
    assert pd.isna(r.loc["B", "rerata"]) and pd.isna(r.loc["B", "sd"])
    # B's 3 rated ASN (of 3) is a small count: blank. A's 6 of 6 is its public head-count
    # (nobody left over), known whatever is hidden, so it stays
    assert pd.isna(r.loc["B", "n_pegawai"]) and r.loc["A", "n_pegawai"] == 6
    assert set(out["dimensi"]) <= set(BERAKHLAK)


def _ovc_evaluasi(peg: pd.DataFrame, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = len(peg)
    cap = rng.uniform(70, 120, n)
    skor = rng.uniform(1, 5, n)
    ev = pd.DataFrame(
        {
            "nip": peg["nip"],
            "periode": "2025Q1",
            "capaian": cap,
            "rating_hasil": np.where(
                cap >= 110, "di_atas", np.where(cap < 90, "di_bawah", "sesuai")
            ),
            "skor_perilaku": skor,
        }
    )
    ev["predikat"] = "Baik"
    return ev


def test_output_vs_competency_by_opd_and_wide():
    peg = _pegawai({"A": 30, "B": 3, "C": 25})
    ev = _ovc_evaluasi(peg)
    out = T.output_vs_competency_by_opd(
        SimpleNamespace(pegawai=peg), SimpleNamespace(evaluasi=ev), "2025Q1", min_sel=MIN
    )
    assert out["opd"].iloc[:3].tolist() == ["Seluruh OPD"] * 3
    assert set(out["arah"]) == {"naik", "turun", "tetap"}
    per = out[out["opd"] != "Seluruh OPD"]
    # the true counts, from the unsuppressed builder's own source
    truth = output_vs_competency(ev, peg).per_opd.set_index("opd")
    n_true = pd.Series(
        [truth.loc[o, f"n_{a}"] for o, a in zip(per["opd"], per["arah"], strict=True)]
    )
    assert (truth[["n_naik", "n_turun", "n_tetap"]].sum(axis=1) == truth["n_pegawai"]).all()
    _assert_protected(n_true, per["disembunyikan"], per["opd"])
    _assert_protected(n_true, per["disembunyikan"], per["arah"])
    b = per[per["opd"] == "B"]
    assert b["disembunyikan"].any()  # three ASN: some direction has 1-3 of them
    shown = per[~per["disembunyikan"]]
    assert (
        shown["n"].astype(int) == n_true[~per["disembunyikan"].to_numpy()].astype(int).to_numpy()
    ).all()
    kota = out[out["opd"] == "Seluruh OPD"].set_index("arah")
    for a in ("naik", "turun", "tetap"):
        if not kota.loc[a, "disembunyikan"]:
            assert kota.loc[a, "n"] == truth[f"n_{a}"].sum()
    wide = T.output_vs_competency_wide(out)
    assert list(wide.columns) == ["opd", "n_pegawai", "n_naik", "n_turun", "n_tetap"]
    assert wide["opd"].tolist()[0] == "Seluruh OPD"
    assert wide.set_index("opd").loc["A", "n_pegawai"] == 30


def test_output_vs_competency_wide_hand_made():
    hvk = pd.DataFrame(
        {
            "opd": ["Seluruh OPD"] * 3 + ["A"] * 3,
            "n_pegawai": [20] * 3 + [20] * 3,
            "arah": ["naik", "turun", "tetap"] * 2,
            "n": [3.0, np.nan, 15.0, 3.0, np.nan, 15.0],
        }
    )
    w = T.output_vs_competency_wide(hvk).set_index("opd")
    assert w.loc["A", "n_naik"] == 3 and pd.isna(w.loc["A", "n_turun"])
    assert str(w["n_turun"].dtype) == "Int64"


def test_order_groups():
    d = pd.DataFrame(
        {
            "opd": ["A", "A", "B", "B", "C", "C", "D"],
            "predikat": ["Sangat Baik", "Baik"] * 3 + ["Baik"],
            "persen": [0.2, 0.8, 0.5, 0.5, np.nan, np.nan, 1.0],
        }
    )
    assert T.order_groups(d) == ["B", "A", "C", "D"]  # suppressed or absent share last
    assert T.order_groups(d, by="Baik") == ["D", "A", "B", "C"]


def test_official_agreement_by_opd_complements():
    kes = pd.DataFrame(
        {
            "periode": "2025Q1",
            "opd": ["A", "B", "C", "Seluruh OPD"],
            "n": [20, 3, 9, 32],
            "n_sama": [18, 3, 8, 29],
            "pct_sama": [0.9, 1.0, 8 / 9, 29 / 32],
            "kappa": [0.8, 1.0, 0.7, 0.82],
            "n_resmi_lebih_tinggi": [1, 0, 1, 2],
            "n_resmi_lebih_rendah": [1, 0, 0, 1],
        }
    )
    out = T.official_agreement_by_opd(kes, "2025Q1", MIN)
    assert out["opd"].tolist() == ["A", "B", "C", "Seluruh OPD"]
    assert "n_sama" not in out.columns and "periode" not in out.columns
    # B (3) is small, C (9) is its complement: 32 - 20 = 12 = 3 + 9 is not small
    assert out["disembunyikan"].tolist()[1:3] == [True, True]
    _assert_protected(kes["n"].iloc[:3], out["disembunyikan"].iloc[:3])
    assert out.loc[1:2, ["n", "pct_sama", "kappa"]].isna().all().all()
    # A's one ASN rated higher and one lower officially are cells of 1 person: hidden,
    # with "same" as their complement (so pct_sama too); A's n and the city's stay
    a = out.iloc[0]
    assert a["n"] == 20 and a["disembunyikan"]
    assert pd.isna(a["n_resmi_lebih_tinggi"]) and pd.isna(a["n_resmi_lebih_rendah"])
    assert pd.isna(a["pct_sama"]) and out.iloc[3]["n"] == 32
    assert pd.isna(out.iloc[3]["n_resmi_lebih_rendah"])  # the city's 1
    one = T.official_agreement_by_opd(kes, "2025Q1", MIN, opd="B")
    assert one["opd"].tolist() == ["B", "Seluruh OPD"] and pd.isna(one.iloc[0]["kappa"])


def test_status_breakdown_labels_shares_and_complements():
    peg = _pegawai(
        {"P": 10, "K": 6, "W": 2}, status={"P": "pns", "K": "pppk", "W": "pppk_paruh_waktu"}
    )
    pred = ["Sangat Baik"] * 3 + ["Baik"] * 6 + [None] + ["Baik"] * 5 + ["Butuh Perbaikan"] * 3
    ev = pd.DataFrame({"nip": peg["nip"], "periode": "2025Q1", "predikat": pred})
    out = T.status_breakdown(ev, peg, "2025Q1", min_sel=MIN)
    assert out["status_kepegawaian"].tolist() == ["PNS", "PPPK", "PPPK paruh waktu"]
    r = out.set_index("status_kepegawaian")
    assert r.loc["PNS", "n_asn"] == 10 and r.loc["PNS", "pct_asn"] == pytest.approx(10 / 18)
    # shares of those with a predikat (9 of the 10 PNS)
    assert r.loc["PNS", "pct_sangat_baik"] == pytest.approx(3 / 9)
    assert r.loc["PNS", "pct_baik"] == pytest.approx(6 / 9)
    # 2 part-timers are small; 6 PPPK hidden with them, since the groups add up to all ASN
    assert out["disembunyikan"].tolist() == [False, True, True]
    _assert_protected(pd.Series([10, 6, 2]), out["disembunyikan"])
    assert r.loc[["PPPK", "PPPK paruh waktu"], ["n_asn", "pct_baik"]].isna().all().all()
    en = T.status_breakdown(ev, peg, "2025Q1", bahasa="en", min_sel=1)
    assert en["status_kepegawaian"].tolist()[0] == "PNS (civil servant)"
    assert en.set_index("status_kepegawaian")["pct_di_bawah_baik"].iloc[2] == 1.0


# ----------------------------------------------------------------------------- privacy


def test_suppress_small_groups_with_published_total_hides_a_complement():
    d = pd.DataFrame({"g": ["a", "b", "c"], "n": [3, 7, 40], "x": [1.0, 2.0, 3.0]})
    alone = suppress_small_groups(d, "n", MIN)
    assert alone["disembunyikan"].tolist() == [True, False, False]
    out = suppress_small_groups(d, "n", MIN, totals_shown=True)
    assert out["disembunyikan"].tolist() == [True, True, False]
    assert out["x"].isna().tolist() == [True, True, False]
    _assert_protected(d["n"], out["disembunyikan"])


def test_protection_check_can_fail():
    # the helper itself catches a cell that could be worked back from the total
    with pytest.raises(AssertionError):
        _assert_protected(pd.Series([3, 7, 40]), pd.Series([True, False, False]))
    with pytest.raises(AssertionError):
        _assert_protected(pd.Series([3, 7, 40]), pd.Series([False, False, False]))


# ----------------------------------------------------------------------------- confidential


def _confidential_inputs():
    peg = _pegawai({"B": 2, "A": 1})
    ev = pd.DataFrame(
        {
            "nip": ["A00", "B00", "B01", "B01"],
            "periode": ["2025Q1", "2025Q1", "2025Q1", "2024Q4"],
            "predikat": ["Baik", "Sangat Baik", "Baik", "Baik"],
            "capaian": [100.0, 110.0, 95.0, 90.0],
            "rating_hasil": ["Sesuai", "Di Atas", "Sesuai", "Sesuai"],
            "skor_perilaku": [3.5, 4.5, 3.0, 3.0],
            "rating_perilaku": ["Sesuai", "Di Atas", "Sesuai", "Sesuai"],
            "selisih_diri": [0.1, 0.0, -0.2, 0.0],
        }
    )
    sd = pd.DataFrame(
        columns=["nip", "periode", "dimensi", "skor", "n_penilai"],
    ).astype({"skor": float, "n_penilai": float})
    return SimpleNamespace(pegawai=peg), SimpleNamespace(evaluasi=ev, skor_dimensi=sd)


def test_individual_sheet_and_confidential_files(tmp_path):
    ds, h = _confidential_inputs()
    out = individual_sheet(ds, h, "2025Q1")
    assert out[["nip", "opd"]].values.tolist() == [["A00", "A"], ["B00", "B"], ["B01", "B"]]
    assert list(out.columns)[:4] == ["nip", "opd", "jabatan", "predikat"]
    assert {"kekuatan", "kelemahan"} <= set(out.columns)
    assert out.set_index("nip").loc["B01", "capaian"] == 95.0  # this period's row
    written = write_confidential_sheets(ds, h, ["2025Q1"], tmp_path / "RAHASIA")
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [
        "RAHASIA/2025Q1/RAHASIA_umpan_balik_individu_2025Q1.xlsx"
    ]
    from openpyxl import load_workbook

    wb = load_workbook(written[0], read_only=True)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row]
    assert "B01" in cells


def test_perilaku_by_dimension_hides_the_means_of_few_raters():
    """In a small unit the supervisors' column is one person's ratings: with ``min_sel``
    a role's mean from fewer than ``min_sel`` raters (or of fewer ratees) is blank; a
    role rated by enough people is shown."""
    rows = []
    for i in range(6):
        nip = f"p{i}"
        rows.append((nip, "kompeten", "atasan", "boss", 4.0))  # one supervisor rates all
        for j in range(5):
            rows.append((nip, "kompeten", "rekan", f"r{(i + j) % 6}", 3.0))
    d = pd.DataFrame(rows, columns=["nip", "dimensi", "peran_penilai", "id_penilai", "skor"])
    d["periode"] = "2025Q1"
    out = T.perilaku_by_dimension(d, "2025Q1", 5).set_index("dimensi")
    assert np.isnan(out.loc["kompeten", "skor_atasan"])
    assert out.loc["kompeten", "skor_rekan"] == 3.0
    assert out.loc["kompeten", "skor_rerata"] == pytest.approx((6 * 4 + 30 * 3) / 36)
    plain = T.perilaku_by_dimension(d, "2025Q1").set_index("dimensi")
    assert plain.loc["kompeten", "skor_atasan"] == 4.0  # without min_sel: as before
