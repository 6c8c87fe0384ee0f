"""A period's document states only what the data say for that period.

* F8 — a period without 360° ratings but with the official e-Kinerja predikat takes the
  official predikat (never "0 ASN Sangat Baik" when they are recorded), and the document
  says which source each period uses; no change is stated across sources.
* F9 — a table whose rows begin after the period (feedback recorded from a later
  quarter, trainings from a later date): its absence indicators are "not available",
  never 100 % or "kesulitan beradaptasi".
* Poor-quality feedback is a share of the sessions *with* a quality rating.

The references are counted with plain pandas on the raw CSV files.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis import load_dataset
from kinerja_analysis.analyses.shared import compute_shared
from kinerja_analysis.data.synth import generate, write_dataset
from kinerja_analysis.reporting import tables
from kinerja_analysis.reporting.facts import _feedback_needs, period_facts
from kinerja_analysis.reporting.narrative import write_report

TANGGAL = dt.date(2026, 1, 15)
NO_FEEDBACK = "2024Q1"  # no feedback and no training recorded yet
OFFICIAL = "2024Q3"  # no 360° ratings (nor training) recorded yet
COMPUTED = "2024Q4"  # 360° ratings start here; its 12-month JP window is in the data


@pytest.fixture(scope="module")
def late_tables(tmp_path_factory):
    """A 120-ASN city whose feedback starts in 2024Q2, 360° ratings in 2024Q4 and
    trainings on 1 January 2025; the official predikat are there for every period."""
    r = generate(n_pegawai=120, seed=4)
    t = dict(r.tables)
    early = ["2024Q1", "2024Q2", "2024Q3"]
    t["perilaku"] = t["perilaku"][~t["perilaku"]["periode"].isin(early)]
    t["umpan_balik"] = t["umpan_balik"][t["umpan_balik"]["periode"] != NO_FEEDBACK]
    start = pd.to_datetime(t["pelatihan"]["tanggal_mulai"])
    t["pelatihan"] = t["pelatihan"][start >= pd.Timestamp("2025-01-01")]
    folder = tmp_path_factory.mktemp("late") / "kota"
    write_dataset(dataclasses.replace(r, tables=t), folder)
    ds = load_dataset(folder)
    shared = {
        p: compute_shared(ds, through=p, n_boot=49, reliability=False)
        for p in (NO_FEEDBACK, OFFICIAL, COMPUTED)
    }
    return folder, ds, shared


def _doc(ds, h, p, bahasa="id"):
    f = period_facts(ds, h, p, date=TANGGAL, bahasa=bahasa)
    return f, write_report(f).markdown()


def test_a_period_without_360_takes_the_official_predikat(late_tables):
    folder, ds, shared = late_tables
    raw = pd.read_csv(folder / "penilaian_resmi.csv", dtype=str)
    want = raw.loc[raw["periode"] == OFFICIAL, "predikat"].value_counts()
    assert want.get("Sangat Baik", 0) > 0  # the planted data hold the predikat

    h = shared[OFFICIAL]
    assert h.parameter["sumber_predikat"] == "resmi_skp"
    assert set(h.parameter["sumber_predikat_periode"].values()) == {"resmi_skp"}
    first = h.notes[0]
    assert first.key == "predikat_resmi"
    assert first.fields["periode"] == ["2024Q1", "2024Q2", OFFICIAL]
    assert h.resmi_agreement is None  # nothing computed to compare with in this window
    f, md = _doc(ds, h, OFFICIAL)
    got = f.predikat_distribution.set_index("predikat")["n"]
    for pred, n in want.items():
        assert got[pred] == n, pred
    cand = f.kandidat_penghargaan.set_index("kriteria")["n"]
    assert cand["Predikat Sangat Baik pada periode ini"] == want["Sangat Baik"]
    assert (
        "belum tersedia untuk periode ini" not in md.split("### Sebaran predikat kinerja")[1][:200]
    )
    assert "Predikat Sangat Baik pada periode ini: 0 ASN" not in md
    assert "Predikat kinerja yang disajikan adalah hasil resmi e-Kinerja" in md
    assert "Predikat resmi e-Kinerja (capaian SKP tersedia)" in md  # the appendix's source


def test_the_document_says_each_periods_source(late_tables):
    _, ds, shared = late_tables
    h = shared[COMPUTED]
    src = h.parameter["sumber_predikat_periode"]
    assert src == {"2024Q1": "resmi_skp", "2024Q2": "resmi_skp", OFFICIAL: "resmi_skp",
                   COMPUTED: "angka"}  # fmt: skip
    assert h.parameter["sumber_predikat"] == "angka"
    # official and computed predikat are compared only where both exist
    assert set(h.resmi_agreement["periode"]) == {COMPUTED}
    # the computed period's predikat are the computed ones, not the official
    ev = h.evaluasi[h.evaluasi["periode"] == COMPUTED]
    assert ev["skor_perilaku"].notna().any() and (ev["keterangan"] != "resmi").all()
    f, md = _doc(ds, h, COMPUTED)
    assert f.predikat_sources == src
    assert "Perubahan terhadap Triwulan III 2024 tidak dihitung: sumber predikatnya berbeda" in md
    assert "poin" not in md.split("### Sebaran predikat kinerja")[1].split("###")[0]
    assert (
        "Sumber predikat per periode: Triwulan I 2024–Triwulan III 2024: Predikat resmi "
        "e-Kinerja (capaian SKP tersedia); Triwulan IV 2024: Dihitung dari capaian SKP dan "
        "perilaku"
    ) in md
    _, en = _doc(ds, h, COMPUTED, "en")
    assert "are not computed: the ratings come from different sources" in en
    assert "Source of the predikat by period: Quarter 1 2024–Quarter 3 2024" in en


def test_absence_before_a_table_begins_is_not_available(late_tables):
    _, ds, shared = late_tables
    f, md = _doc(ds, shared[NO_FEEDBACK], NO_FEEDBACK)
    r = f.resistensi
    assert r["pct_tanpa_umpan_balik"].isna().all()
    assert r.attrs["tidak_tersedia"] == ["umpan_balik"]
    assert f.umpan_balik_needed is None
    # the 12-month window starts before the data: that reason, not "100 % below 20 JP"
    assert f.pelatihan["pct_di_bawah_20jp"] is None
    assert "data umpan balik belum tercatat sampai periode ini" in md
    assert "ASN tanpa umpan balik paling banyak" not in md
    assert "100,0%" not in md
    _, en = _doc(ds, shared[NO_FEEDBACK], NO_FEEDBACK, "en")
    assert "no feedback is recorded in the data up to this period" in en
    # the headline's JP figures are not available either (never "100 % below 20 JP")
    # trainings recorded only from 2025: 2024Q4's window lies in the data, yet no JP
    # figure (never everyone "below 20 JP")
    f3, md3 = _doc(ds, shared[COMPUTED], COMPUTED)
    assert f3.pelatihan is None
    assert "Data sumber daya pelatihan belum tersedia untuk periode ini" in md3
    w = tables.headline_figures(dict(ds.tables), COMPUTED).set_index("indikator")["nilai"]
    assert np.isnan(w["pct_jp_di_bawah_20"]) and np.isnan(w["jp_rerata"])
    # once the table has rows, the indicator is assessed
    f2, _ = _doc(ds, shared[OFFICIAL], OFFICIAL)
    assert f2.resistensi["pct_tanpa_umpan_balik"].notna().any()
    assert f2.resistensi.attrs["tidak_tersedia"] == []
    assert f2.umpan_balik_needed is not None


class _Window:
    """The two things _feedback_needs reads of a dataset window."""

    def __init__(self, umpan_balik: pd.DataFrame) -> None:
        self.umpan_balik = umpan_balik

    def has(self, name: str) -> bool:
        return name == "umpan_balik"


def test_poor_feedback_share_is_of_rated_sessions():
    """OPD A: 12 ASN, one session each, 6 rated of which 5 poor (83 % of rated, 42 % of
    all); OPD B: 10 ASN, all rated, 6 poor (60 %). The OPD where poor feedback is
    reported most often is A (by all sessions it would be B). OPD C's 3 rated sessions
    describe 3 ASN: not named, nor D (5 rated), its complement."""
    n = {"a": 12, "b": 10, "c": 8, "d": 5}
    nip = [f"{o}{i}" for o, k in n.items() for i in range(k)]
    peg = pd.DataFrame({"nip": nip, "opd": [o.upper() for o, k in n.items() for _ in range(k)]})
    kual = (
        [1, 2, 1, 2, 1, 4] + [np.nan] * 6  # A
        + [1, 1, 2, 2, 1, 2, 4, 5, 4, 5]  # B
        + [1, 1, 5] + [np.nan] * 5  # C
        + [1, 4, 4, 5, 5]  # D
    )  # fmt: skip
    ub = pd.DataFrame({"nip": nip, "periode": "2025Q1", "kualitas": kual})
    out = _feedback_needs(_Window(ub), "2025Q1", peg, min_sel=5).set_index("opd")
    assert out.loc["A", "pct_kualitas_buruk"] == pytest.approx(5 / 6)
    assert out.loc["B", "pct_kualitas_buruk"] == pytest.approx(0.6)
    assert np.isnan(out.loc["C", "pct_kualitas_buruk"])
    assert np.isnan(out.loc["D", "pct_kualitas_buruk"])
    assert out["pct_tanpa_umpan_balik"].eq(0).all()
    assert out.attrs == {"n_sesi": 35, "n_sesi_tanpa_kualitas": 11}
    # without a quality column nothing is said about quality
    out2 = _feedback_needs(_Window(ub.drop(columns="kualitas")), "2025Q1", peg, min_sel=5)
    assert out2["pct_kualitas_buruk"].isna().all()


def test_the_recommendation_names_the_unrated_sessions(late_tables):
    """The sentence that names OPDs with poor feedback says the shares are of rated
    sessions and how many sessions were not rated (the synthetic city leaves about a
    tenth unrated)."""
    _, ds, shared = late_tables
    f, md = _doc(ds, shared[COMPUTED], COMPUTED)
    ub = ds.umpan_balik[ds.umpan_balik["periode"] == COMPUTED]
    n_tanpa = int(ub["kualitas"].isna().sum())
    assert n_tanpa > 0
    assert f.umpan_balik_needed.attrs["n_sesi_tanpa_kualitas"] == n_tanpa
    if "Umpan balik berkualitas buruk paling sering dilaporkan di" in md:
        assert f"{n_tanpa} dari {len(ub)} sesi periode ini tidak dinilai" in md
