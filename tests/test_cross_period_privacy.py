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
