"""A period's row is published by the documents of that period *and* of every later
period (their per-period tables): together they must not give back a small group.

A 400-ASN city with a new OPD (3 ASN in 2025Q3, 7 in 2025Q4, hired by TMT) and OPDs of
equal size: each period's documents are safe on their own; the union of one batch's
documents over two periods was not, when a later document's pattern for an earlier row
picked other complements (another tie rule) or skipped the earlier period's head-count
remainder. The check is the attack: the city's count of a period less every OPD row any
document of the batch shows for it is 0 or at least ``min_sel``.
"""

from __future__ import annotations

import pandas as pd
import pytest
from planting import hire_later

from kinerja_analysis.analyses.shared import data_through
from kinerja_analysis.data.loading import load_dataset
from kinerja_analysis.data.synth import generate, write_dataset
from kinerja_analysis.reporting import tables

MIN_SEL = 5
HIRED = pd.Timestamp("2025-10-01")
NEW = "Dinas Baru Dibentuk"


def _city(out, skp_missing_rate):
    r = generate(
        n_pegawai=400, seed=11, periods=("2025Q2", "2025Q3", "2025Q4"),
        skp_missing_rate=skp_missing_rate,
    )  # fmt: skip
    peg = r.tables["pegawai"]
    big = peg["opd"].value_counts().index[0]
    bosses = set(peg["nip_atasan"].dropna())
    take = peg.loc[(peg["opd"] == big) & ~peg["nip"].isin(bosses), "nip"].tolist()[:7]
    later = take[:4]
    peg.loc[peg["nip"].isin(take), "opd"] = NEW
    hire_later(r, later, HIRED)
    write_dataset(r, out)
    return load_dataset(out)


@pytest.fixture(scope="module", params=[1e-9, 0.03], ids=["every-skp", "some-skp-missing"])
def city(request, tmp_path_factory):
    ds = _city(tmp_path_factory.mktemp("baru") / "data", request.param)
    patterns = {
        p: tables.city_suppressed_measures(data_through(ds, p), None, p, MIN_SEL)
        for p in ("2025Q3", "2025Q4")
    }
    return ds, patterns


def _shown(ds, patterns, measure, row_period):
    """(OPD, period-of-documents) pairs whose ``row_period`` row of ``measure`` is shown."""
    out = set()
    for p, pat in patterns.items():
        if p < row_period:
            continue
        docs = set(pat) - set(tables.small_opds(ds, p, MIN_SEL))
        for o in docs:
            m = pat[o]
            hidden = f"{measure}:{row_period}" in m or (p == row_period and measure in m)
            if not hidden:
                out.add(o)
    return out


@pytest.mark.parametrize(("measure", "table"), [("capaian", "skp"), ("perilaku", "perilaku")])
def test_no_period_row_is_given_back_by_the_documents_of_two_periods(city, measure, table):
    ds, patterns = city
    row_period = "2025Q3"
    peg = ds.pegawai.drop_duplicates("nip").set_index("nip")["opd"]
    t = ds.tables[table]
    d = t.loc[t["periode"] == row_period].drop_duplicates("nip")
    per_opd = peg.reindex(d["nip"]).value_counts()
    shown = _shown(ds, patterns, measure, row_period)
    rest = int(per_opd.sum() - per_opd.reindex(sorted(shown)).fillna(0).sum())
    assert rest == 0 or rest >= MIN_SEL, (measure, rest, sorted(set(per_opd.index) - shown))
    # the new OPD's three ASN of 2025Q3 are never alone in the rest
    assert NEW not in shown


def test_a_later_document_hides_every_earlier_row_the_earlier_documents_hide(city):
    ds, patterns = city
    q3, q4 = patterns["2025Q3"], patterns["2025Q4"]
    docs_q3 = set(q3) - set(tables.small_opds(ds, "2025Q3", MIN_SEL))
    docs_q4 = set(q4) - set(tables.small_opds(ds, "2025Q4", MIN_SEL))
    for measure in ("capaian", "perilaku"):
        hid_q3 = {o for o in docs_q3 if measure in q3[o] or f"{measure}:2025Q3" in q3[o]}
        hid_q4 = {o for o in docs_q4 if f"{measure}:2025Q3" in q4[o]}
        assert hid_q3 & docs_q4 <= hid_q4, measure


def test_ties_among_equal_counts_go_by_opd_name() -> None:
    counts = pd.Series({"Dinas C": 30, "Dinas B": 18, "Dinas A": 18, "Dinas Kecil": 3})
    for order in (counts, counts.iloc[::-1], counts.sample(frac=1, random_state=1)):
        assert tables.suppressed_opds(order, MIN_SEL) == {"Dinas Kecil", "Dinas A"}


# ------------------------------------------------------------------- the JP share alone


@pytest.fixture(scope="module")
def share_city(tmp_path_factory):
    """300 ASN; in "Sekretariat Daerah" every ASN has 40 JP in the last 12 months but
    three, who have none: its share below 20 JP (3 of 25) is a small group the city
    hides, while its mean and median JP (25 ASN) are shown."""
    r = generate(
        n_pegawai=300, seed=3,
        periods=("2024Q3", "2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4"),
    )  # fmt: skip
    peg, p = r.tables["pegawai"], r.tables["pelatihan"]
    nips = peg.loc[peg["opd"] == "Sekretariat Daerah", "nip"].tolist()
    trained = nips[3:]  # the first three: no training in the window
    window = pd.to_datetime(p["tanggal_mulai"]) >= pd.Timestamp("2025-01-01")
    p = p.loc[~(p["nip"].isin(nips) & window)]
    extra = p.iloc[[0] * len(trained)].copy()
    extra["nip"] = trained
    extra["id_pelatihan"] = [f"DF-20250310-{i:03d}" for i in range(len(trained))]
    extra["jp"] = 40.0
    extra["tanggal_mulai"] = extra["tanggal_selesai"] = pd.Timestamp("2025-03-10")
    extra["sumber"] = "difasilitasi"
    r.tables["pelatihan"] = pd.concat([p, extra], ignore_index=True)
    data = tmp_path_factory.mktemp("jp_share") / "data"
    write_dataset(r, data)
    ds = load_dataset(data)
    assert ds.validation.issues.query("tingkat == 'tolak'").empty
    return ds


def test_an_opd_withholds_only_the_jp_share_the_city_hides(share_city):
    """The city's JP table hides the OPD's share below 20 JP but shows its mean and
    median: the OPD's own document withholds the share (measure ``jp_bawah_20``) and
    keeps the mean, instead of saying the city hides all its JP figures."""
    ds = share_city
    last = ds.periods[-1]
    cut = data_through(ds, last)
    city = tables.jp_summary(tables.jp_by_asn(cut.pelatihan, cut.pegawai, last), MIN_SEL)
    row = city.set_index("opd").loc["Sekretariat Daerah"]
    assert pd.isna(row["pct_di_bawah_20"]) and row["jp_rerata"] > 0 and not row["disembunyikan"]
    m = tables.city_suppressed_measures(cut, None, last, MIN_SEL)["Sekretariat Daerah"]
    assert "jp_bawah_20" in m and "jp" not in m
    own = {n: d[d["nip"].isin(cut.pegawai.loc[cut.pegawai["opd"] == "Sekretariat Daerah", "nip"])]
           if "nip" in d.columns else d for n, d in cut.tables.items()}  # fmt: skip
    own["pegawai"] = cut.pegawai[cut.pegawai["opd"] == "Sekretariat Daerah"]
    head = tables.headline_figures(own, last, withheld=m).set_index("indikator")
    assert head.loc["jp_rerata", "nilai"] == pytest.approx(row["jp_rerata"])
    assert pd.isna(head.loc["pct_jp_di_bawah_20", "nilai"])
    assert head.loc["pct_jp_di_bawah_20", "disembunyikan"]
    # the whole JP measure withheld takes the share with it
    both = tables.headline_figures(own, last, withheld={"jp"}).set_index("indikator")
    assert both.loc[["jp_rerata", "pct_jp_di_bawah_20"], "disembunyikan"].all()
    js = tables.jp_summary(
        tables.jp_by_asn(own["pelatihan"], own["pegawai"], last), MIN_SEL, withheld=m
    )
    assert js["pct_di_bawah_20"].isna().all() and js["jp_rerata"].notna().all()
