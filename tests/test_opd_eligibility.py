"""Which OPDs get a document of their own is decided per period, not over the register.

A small city whose register holds OPDs formed partway through the data: "Dinas Baru
Dibentuk" has 2 ASN in 2024Q1 and 12 in 2024Q3 (ten of its ASN hired on 1 July 2024),
"Badan Belum Ada" none in 2024Q1 and 6 in 2024Q3; "Unit Direorganisasi" keeps 2 ASN in
every period, as a new export shows an OPD emptied by a reorganisation, and an earlier
batch (before the reorganisation) had published its documents. An OPD small in a period
gets no document for that period (an earlier one is withdrawn) and is named with the
reason in the batch's summary and index under that period; it keeps its documents for
the periods it is large enough in; the city's suppression pattern of a period marks every
measure of exactly the OPDs small in that period.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from planting import hire_later

from kinerja_analysis.analyses.shared import data_through
from kinerja_analysis.core.periods import period_label
from kinerja_analysis.data.loading import load_dataset
from kinerja_analysis.data.synth import generate, write_dataset
from kinerja_analysis.pipeline.batch import (
    BatchSettings,
    _small_opd_runs,
    _small_words,
    find_notebooks,
    plan_runs,
    run_batch,
)
from kinerja_analysis.reporting import tables
from kinerja_analysis.reporting.paths import folder_names

MIN_SEL = 5
EARLY, LATE = "2024Q1", "2024Q3"
HIRED = pd.Timestamp("2024-07-01")  # after 2024Q2, within 2024Q3
#: OPD → (ASN in the register, of them hired on ``HIRED``)
PLANTED = {
    "Dinas Baru Dibentuk": (12, 10),
    "Badan Belum Ada": (6, 6),
    "Unit Direorganisasi": (2, 0),
}
#: the OPDs without a document of their own, per period, and their ASN in it
SMALL = {
    EARLY: {"Badan Belum Ada": 0, "Dinas Baru Dibentuk": 2, "Unit Direorganisasi": 2},
    LATE: {"Unit Direorganisasi": 2},
}


def _plant(r) -> None:
    """Two OPDs kept of the generated five (the other three merged into the second, so
    the batch stays small), and the ``PLANTED`` OPDs moved out of the largest; the later
    hires get TMT ``HIRED`` (and a NIP that says so) and no row before it."""
    peg = r.tables["pegawai"]
    counts = peg["opd"].value_counts()
    big, keep = counts.index[0], counts.index[1]
    peg["opd"] = peg["opd"].where(peg["opd"] == big, keep)
    for name in ("layanan", "penerapan"):  # the merged OPDs' own rows go with them
        d = r.tables[name]
        r.tables[name] = d[d["opd"].isin([big, keep])].reset_index(drop=True)
    bosses = set(peg["nip_atasan"].dropna())
    pool = peg.loc[(peg["opd"] == big) & ~peg["nip"].isin(bosses), "nip"].tolist()
    moved, later = {}, []
    for opd, (n, n_late) in PLANTED.items():
        take, pool = pool[:n], pool[n:]
        moved.update(dict.fromkeys(take, opd))
        later += take[:n_late]
    peg["opd"] = [moved.get(n, o) for n, o in zip(peg["nip"], peg["opd"], strict=True)]
    hire_later(r, later, HIRED)


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    r = generate(n_pegawai=120, seed=5, periods=("2024Q1", "2024Q2", "2024Q3"))
    _plant(r)
    data = tmp_path_factory.mktemp("kota_berubah") / "data"
    write_dataset(r, data)
    ds = load_dataset(data)
    assert ds.validation.issues.empty  # the planted city is clean data
    return data, ds


# ----------------------------------------------------------------------------- the rule


def test_small_opds_are_decided_per_period(city):
    _, ds = city
    every = sorted(ds.pegawai["opd"].unique())
    for p in ds.periods:
        got = tables.small_opds(ds, p, MIN_SEL)
        # the head-count the period's documents publish: the register cut at the period
        n = tables.headcount(data_through(ds, p).pegawai).reindex(every, fill_value=0)
        assert got == {o: int(k) for o, k in n.items() if k < MIN_SEL}, p
        # the same answer from the dataset already cut at the period
        assert tables.small_opds(data_through(ds, p), p, MIN_SEL) == {
            o: k for o, k in got.items() if k > 0
        }
    assert tables.small_opds(ds, EARLY, MIN_SEL) == SMALL[EARLY]
    assert tables.small_opds(ds, LATE, MIN_SEL) == SMALL[LATE]
    # over the whole register "Dinas Baru Dibentuk" has 12: not a period's count
    assert ds.pegawai["opd"].value_counts()["Dinas Baru Dibentuk"] == 12
    with pytest.raises(TypeError, match="period"):
        tables.small_opds(ds.pegawai, MIN_SEL)


@pytest.mark.parametrize("cut", [True, False], ids=["cut", "whole"])
def test_city_pattern_marks_the_opds_small_in_its_period(city, cut):
    """Every measure of an OPD small in the period, in that period only (the dataset as
    the documents pass it, cut at the period, or whole)."""
    _, ds = city
    for p in (EARLY, LATE):
        d = data_through(ds, p) if cut else ds
        hidden = tables.city_suppressed_measures(d, None, p, MIN_SEL)
        # without shared results only a small OPD has "predikat" (it has them all)
        every = {o for o, m in hidden.items() if set(tables.OPD_MEASURES) <= m}
        assert every == {o for o in SMALL[p] if o in hidden}, p
        assert {o for o, m in hidden.items() if "predikat" in m} == every
        assert ("Badan Belum Ada" in hidden) == (p == LATE or not cut)
    late = tables.city_suppressed_measures(data_through(ds, LATE), None, LATE, MIN_SEL)
    assert not set(tables.OPD_MEASURES) <= late["Dinas Baru Dibentuk"]


def test_planning_follows_each_period(tmp_path):
    """An OPD large in one period and small in the next (as after a reorganisation):
    its run is planned for the first only, and only the second period's earlier document
    is withdrawn; the summary line names the period, in both languages."""
    nbs = {k: v for k, v in find_notebooks().items() if k == "10"}
    kw = dict(data_dir=tmp_path / "d", cache_dir=tmp_path / "c" / "data", checksum="x")
    settings = BatchSettings(per_opd=True)
    runs = plan_runs(
        nbs,
        [EARLY, LATE],
        tmp_path / "o",
        settings,
        opds=["Dinas A", "Dinas B"],
        opds_by_period={EARLY: ["Dinas A", "Dinas B"], LATE: ["Dinas B"]},
        **kw,
    )
    assert sorted((r.periode, r.opd) for r in runs if r.opd) == [
        (EARLY, "Dinas A"),
        (EARLY, "Dinas B"),
        (LATE, "Dinas B"),
    ]
    folders = folder_names(["Dinas A", "Dinas B"])
    out = tmp_path / "o"
    for p in (EARLY, LATE):
        f = out / p / "opd" / folders["Dinas A"]
        f.mkdir(parents=True)
        (f / "manifest.json").write_text('{"runs": {}}')
    for bahasa, words in (("id", "2 ASN pada periode itu"), ("en", "2 ASN in that period")):
        small = _small_opd_runs(
            nbs, [EARLY, LATE], out, {LATE: {"Dinas A": 2}}, folders, settings, bahasa
        )
        assert [(r.periode, r.opd, r.reason) for r in small] == [(LATE, "Dinas A", "opd_kecil")]
        assert f"Dinas A ({LATE})" in small[0].message and words in small[0].message
    assert (out / EARLY / "opd" / folders["Dinas A"] / "manifest.json").is_file()
    assert not (out / LATE / "opd" / folders["Dinas A"]).exists()


def test_index_words_per_period_in_both_languages():
    small = {"Dinas Baru": 2, "Badan Kosong": 0, "Unit Kecil": 4}
    for bahasa, kecil, kosong in (
        ("id", "kurang dari 5 ASN pada periode ini", "belum ada ASN-nya pada periode ini"),
        ("en", "fewer than 5 ASN in this period", "none of their ASN had started by then"),
    ):
        first, second = _small_words(small, MIN_SEL, bahasa)
        assert kecil in first and first.endswith("Dinas Baru, Unit Kecil")
        assert kosong in second and second.endswith("Badan Kosong")
        assert _small_words({}, MIN_SEL, bahasa) == []


# ----------------------------------------------------------------------------- the batch


@pytest.fixture(scope="module")
def batch(city, tmp_path_factory):
    """One per-OPD batch of 2024Q1 and 2024Q3 (HTML only), over a report folder where an
    earlier batch had published documents the OPDs are now too small for: "Dinas Baru
    Dibentuk" in 2024Q1 (what the whole-register count gave it: 2 people's figures) and
    "Unit Direorganisasi" in both periods, and had kept a failed notebook of the first."""
    data, ds = city
    root = tmp_path_factory.mktemp("hasil_berubah")
    out, cache = root / "reports", root / "cache"
    folders = folder_names(sorted(ds.pegawai["opd"].unique()))
    for p, opd in ((EARLY, "Dinas Baru Dibentuk"), (EARLY, "Unit Direorganisasi"),
                   (LATE, "Unit Direorganisasi")):  # fmt: skip
        old = out / p / "opd" / folders[opd]
        old.mkdir(parents=True)
        (old / "manifest.json").write_text('{"runs": {}}')
        (old / f"laporan_periode_{p}_{folders[opd]}.html").write_text("Jumlah ASN 2")
    failed = cache / "gagal" / EARLY / f"10_laporan_periode__{folders['Dinas Baru Dibentuk']}.ipynb"
    failed.parent.mkdir(parents=True)
    failed.write_text("{}")
    s = run_batch(
        data,
        out,
        periods=[EARLY, LATE],
        per_opd=True,
        notebooks=["10"],
        workers=2,
        formats=("html",),
        progress=False,
        cache_dir=cache,
        min_sel=MIN_SEL,
    )
    return out, cache, s, folders


@pytest.mark.slow
def test_documents_only_for_the_periods_an_opd_is_large_in(batch, city):
    out, cache, s, folders = batch
    _, ds = city
    tidy = s.tidy()
    made = tidy[tidy["status"] != "dilewati"]
    assert (made["status"] == "ok").all(), made[["key", "message"]]
    skipped = {(r.periode, r.opd): r for r in s.runs if r.reason == "opd_kecil"}
    assert set(skipped) == {(p, o) for p, n in SMALL.items() for o in n}
    every = set(ds.pegawai["opd"].unique())
    for p in (EARLY, LATE):
        have = {d.name for d in (out / p / "opd").iterdir()}
        assert have == {folders[o] for o in every - set(SMALL[p])}, p
    # the OPDs formed partway have their later documents, publishing the period's count
    for opd, (n, _) in PLANTED.items():
        if opd in SMALL[LATE]:
            continue
        f = out / LATE / "opd" / folders[opd]
        assert (f / f"laporan_periode_{LATE}_{folders[opd]}.html").is_file()
        runs = json.loads((f / "manifest.json").read_text("utf-8"))["runs"]
        assert [r["angka_utama"]["n_asn"] for r in runs.values()] == [n]
    # the earlier documents and failed notebook of the small periods are withdrawn
    assert not (out / EARLY / "opd" / folders["Dinas Baru Dibentuk"]).exists()
    assert not (out / LATE / "opd" / folders["Unit Direorganisasi"]).exists()
    assert not list((cache / "gagal").rglob("*.ipynb"))


@pytest.mark.slow
def test_summary_and_index_name_each_periods_small_opds(batch):
    out, _, s, _ = batch
    lines = "\n".join(s.lines("id"))
    assert "Dinas Baru Dibentuk (2024Q1) — 2 ASN pada periode itu, kurang dari" in lines
    assert "Badan Belum Ada (2024Q1) — belum ada ASN-nya pada periode itu" in lines
    assert "Unit Direorganisasi (2024Q3) — 2 ASN pada periode itu" in lines
    assert "Dinas Baru Dibentuk (2024Q3)" not in lines
    assert "Badan Belum Ada (2024Q3)" not in lines
    html = (out / "index.html").read_text("utf-8")
    blocks = {
        p: next(b for b in html.split("<section>") if f"<h3>{period_label(p, 'id')}</h3>" in b)
        for p in (EARLY, LATE)
    }

    def said(block: str) -> str:
        return " ".join(re.findall(r'<p class="lama">([^<]*)</p>', block))

    early, late = said(blocks[EARLY]), said(blocks[LATE])
    assert "kurang dari 5 ASN pada periode ini" in early
    assert early.count("Dinas Baru Dibentuk") == 1 and "Unit Direorganisasi" in early
    assert "belum ada ASN-nya pada periode ini" in early and "Badan Belum Ada" in early
    assert "Unit Direorganisasi" in late
    assert "Dinas Baru Dibentuk" not in late and "Badan Belum Ada" not in late
    # and the later period lists their documents
    assert "Dinas Baru Dibentuk" in blocks[LATE] and "Badan Belum Ada" in blocks[LATE]
