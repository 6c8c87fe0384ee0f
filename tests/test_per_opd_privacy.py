"""Per-OPD documents never undo the city's small-cell suppression.

A small city (300 ASN) with two tiny OPDs (1 and 2 ASN) moved out of the largest: the
per-OPD batch must give the tiny OPDs no document (and say so), the OPDs the city hides
as complements must not publish the hidden measure in their own document, a suppressed
(missing) cell must never be compared as a boolean, and differencing the city total
against every figure published across the batch's documents must never isolate fewer
than ``min_sel`` ASN.
"""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

from kinerja_analysis.analyses.shared import compute_shared, data_through
from kinerja_analysis.data.loading import load_dataset
from kinerja_analysis.data.synth import generate, write_dataset
from kinerja_analysis.pipeline.batch import run_batch
from kinerja_analysis.reporting import tables
from kinerja_analysis.reporting.paths import folder_names
from kinerja_analysis.reporting.text import headline_display

MIN_SEL = 5
TINY = {"Badan Satu Orang": 1, "Dinas Kecil Dua": 2}


@pytest.fixture(scope="module")
def tiny_city(tmp_path_factory):
    """300 ASN; the first 3 ASN of the largest OPD moved into two tiny OPDs."""
    r = generate(n_pegawai=300, seed=3)
    peg = r.tables["pegawai"]
    biggest = peg["opd"].value_counts().index[0]
    nips = peg.loc[peg["opd"] == biggest, "nip"].head(sum(TINY.values())).tolist()
    moved = dict(zip(nips, ["Badan Satu Orang", "Dinas Kecil Dua", "Dinas Kecil Dua"], strict=True))
    for df in r.tables.values():
        if "nip" in df.columns and "opd" in df.columns:
            df["opd"] = [moved.get(n, o) for n, o in zip(df["nip"], df["opd"], strict=True)]
    data = tmp_path_factory.mktemp("kota_kecil") / "data"
    write_dataset(r, data)
    return data, load_dataset(data)


@pytest.fixture(scope="module")
def measures(tiny_city):
    _, ds = tiny_city
    last = ds.periods[-1]
    cut = data_through(ds, last)
    h = compute_shared(ds, through=last, seed=1, n_boot=49, reliability=False)
    return cut, h, last, tables.city_suppressed_measures(cut, h, last, MIN_SEL)


def test_small_opds_are_listed(tiny_city):
    _, ds = tiny_city
    assert tables.small_opds(ds.pegawai, MIN_SEL) == TINY


def test_tiny_opds_have_every_measure_suppressed(measures):
    *_, hidden = measures
    for o in TINY:
        assert hidden[o] == frozenset(tables.OPD_MEASURES)
    # an OPD with its own document hidden only as a complement of the official-vs-computed
    # agreement: its document meets a suppressed (missing) row (the old TypeError)
    assert any("kesesuaian" in m for o, m in hidden.items() if o not in TINY)


def test_jp_pattern_is_the_city_tables(measures):
    cut, _, last, hidden = measures
    js = tables.jp_summary(tables.jp_by_asn(cut.pelatihan, cut.pegawai, last), MIN_SEL)
    city_hidden = set(js.loc[js["disembunyikan"], "opd"])
    assert city_hidden == {o for o, m in hidden.items() if "jp" in m}
    # the two tiny OPDs (3 ASN) pull at least one complement
    assert len(city_hidden - set(TINY)) >= 1


@pytest.mark.parametrize("measure", ["jp", "capaian", "perilaku"])
def test_withheld_opds_together_reach_min_sel(measures, measure):
    """City total − every OPD that publishes the measure = the withheld OPDs together:
    never a group of 1..min_sel-1 people."""
    cut, _, last, hidden = measures
    if measure == "jp":
        n = cut.pegawai.groupby("opd")["nip"].nunique()
    else:
        d = getattr(cut, "skp" if measure == "capaian" else "perilaku")
        nips = d.loc[d["periode"] == last, "nip"].unique()
        n = cut.pegawai.set_index("nip").loc[lambda x: x.index.isin(nips), "opd"].value_counts()
    withheld = [o for o, m in hidden.items() if measure in m and o in n.index]
    assert withheld
    total = int(n[withheld].sum())
    assert total >= MIN_SEL
    assert len(withheld) >= 2


def test_opd_tables_use_the_city_pattern(measures):
    cut, h, last, _ = measures
    city = tables.predikat_by_opd(cut, h, last, min_sel=MIN_SEL)
    city_hvk = tables.output_vs_competency_by_opd(cut, h, last, min_sel=MIN_SEL)
    for o in sorted(cut.pegawai["opd"].unique()):
        own = tables.predikat_by_opd(cut, h, last, opd=o, min_sel=MIN_SEL)
        ref = city[city["opd"] == o].reset_index(drop=True)
        pd.testing.assert_frame_equal(own, ref)
        hv = tables.output_vs_competency_by_opd(cut, h, last, opd=o, min_sel=MIN_SEL)
        ref = city_hvk[city_hvk["opd"] == o].sort_values("arah")
        got = hv[hv["opd"] == o]
        assert got["disembunyikan"].tolist() == ref["disembunyikan"].tolist()
        # the document's own total is the OPD's cells, hidden where the city hides them
        assert (
            hv[hv["opd"] == "Seluruh OPD"]["disembunyikan"].tolist()
            == ref["disembunyikan"].tolist()
        )


def test_headline_withheld_says_suppressed(measures):
    cut, _, last, _ = measures
    t = {k: v for k, v in cut.tables.items()}
    a = tables.headline_figures(t, last, withheld={"jp"})
    jp = a["indikator"].isin(["jp_rerata", "pct_jp_di_bawah_20"])
    assert a.loc[jp, "nilai"].isna().all() and a.loc[jp, "disembunyikan"].all()
    assert not a.loc[~jp, "disembunyikan"].any()
    shown = headline_display(a, "en")
    assert shown.loc[jp.to_numpy(), "Value"].str.startswith("suppressed").all()


def test_official_agreement_suppressed_row_is_missing_not_crash(measures):
    """The consumer's check of a suppressed row must not evaluate ``NA > 0``."""
    cut, h, last, hidden = measures
    if h.resmi_agreement is None:
        pytest.skip("no official ratings in this city")
    k = tables.official_agreement_by_opd(h.resmi_agreement, last, MIN_SEL, opd="Dinas Kecil Dua")
    row = k[k["opd"] == "Dinas Kecil Dua"]
    assert row["n"].isna().all()
    with pytest.raises(TypeError):
        bool(row["n"].iloc[0] > 0)  # the old check
    assert not (row["n"].fillna(0) > 0).all()  # the notebook's check


# ----------------------------------------------------------------------------- the batch


@pytest.fixture(scope="module")
def batch(tiny_city, tmp_path_factory):
    data, ds = tiny_city
    root = tmp_path_factory.mktemp("hasil_kecil")
    out, cache = root / "reports", root / "cache"
    last = ds.periods[-1]
    # what an earlier batch left of a tiny OPD: a published document and a failed notebook
    old = out / last / "opd" / "badan-satu-orang"
    old.mkdir(parents=True)
    (old / "manifest.json").write_text('{"runs": {}}')
    (old / f"laporan_periode_{last}_badan-satu-orang.html").write_text("Jumlah ASN 1")
    failed = cache / "gagal" / last / "10_laporan_periode__badan-satu-orang.ipynb"
    failed.parent.mkdir(parents=True)
    failed.write_text("{}")
    s = run_batch(
        data,
        out,
        periods=[last],
        per_opd=True,
        notebooks=["10"],
        workers=2,
        progress=False,
        cache_dir=cache,
        min_sel=MIN_SEL,
    )
    return out, cache, s, last


@pytest.mark.slow
def test_batch_gives_small_opds_no_document(batch):
    out, cache, s, last = batch
    tidy = s.tidy()
    made = tidy[tidy["status"] != "dilewati"]
    assert (made["status"] == "ok").all(), made[["key", "message"]]
    small = [r for r in s.runs if r.reason == "opd_kecil"]
    assert sorted(r.opd for r in small) == sorted(TINY)
    folders = {p.name for p in (out / last / "opd").iterdir()}
    assert not folders & {"badan-satu-orang", "dinas-kecil-dua"}
    lines = "\n".join(s.lines("id"))
    for o, n in TINY.items():
        assert f"Tanpa laporan per OPD: {o} ({last}) — {n} ASN" in lines
    index = (out / "index.html").read_text("utf-8")
    assert "Badan Satu Orang" in index and "Dinas Kecil Dua" in index
    # no failed notebook with a tiny OPD's numbers, and the earlier ones are withdrawn
    assert not list((cache / "gagal").rglob("*.ipynb"))


def _sheet_rows(path, prefix):
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = next((w for w in wb.worksheets if w.title.startswith(prefix)), None)
        if ws is None:
            return None
        rows = list(ws.iter_rows(values_only=True))
    finally:
        wb.close()
    head = next(i for i, r in enumerate(rows) if r and r[0] in ("OPD", "Indikator"))
    return [dict(zip(rows[head], r, strict=False)) for r in rows[head + 1 :]]


@pytest.mark.slow
def test_differencing_jp_never_isolates_a_small_group(batch, tiny_city):
    """Every JP figure of an OPD published anywhere in the batch (the city's table, each
    OPD's own table and headline): the OPDs left over, whose sum the city total gives
    away, hold 0 or at least min_sel ASN."""
    out, _, _, last = batch
    _, ds = tiny_city
    n = ds.pegawai.groupby("opd")["nip"].nunique()
    published = set()
    city = _sheet_rows(out / last / f"laporan_periode_{last}.xlsx", "JP pelatihan per ASN per")
    published |= {r["OPD"] for r in city if r["Disembunyikan (kelompok kecil)"] == "tidak"}
    hidden_as_complement = {r["OPD"] for r in city if r["Disembunyikan (kelompok kecil)"] == "ya"}
    hidden_as_complement -= set(TINY)
    assert hidden_as_complement  # the scenario: a complement OPD with its own document
    slug = {v: k for k, v in folder_names(sorted(n.index)).items()}
    for d in (out / last / "opd").iterdir():
        xlsx = next(d.glob("*.xlsx"))
        rows = _sheet_rows(xlsx, "JP pelatihan per ASN per") or []
        published |= {r["OPD"] for r in rows if r["OPD"] != "Semua OPD" and r["Jumlah ASN"]}
        head = _sheet_rows(xlsx, "Angka utama")
        if any(r["Indikator"] == "Rata-rata JP per ASN" and r["Nilai"] is not None for r in head):
            published.add(slug[d.name])  # the document's headline is its OPD's JP
    for o in hidden_as_complement:
        assert o not in published, o
    rest = set(n.index) - published
    assert int(n[list(rest)].sum()) == 0 or int(n[list(rest)].sum()) >= MIN_SEL


def test_city_narrative_names_no_hidden_opd_with_its_jp(measures):
    """The city text's "lowest JP in …" follows the JP table's suppression, complements
    included."""
    from kinerja_analysis.reporting.facts import period_facts

    cut, h, last, hidden = measures
    f = period_facts(cut, h, last, min_sel=MIN_SEL)
    named = set(f.pelatihan["jp_per_opd"]["opd"])
    assert named and not named & {o for o, m in hidden.items() if "jp" in m}


def _keyed_counts(path):
    """``{sheet: {row key: ASN count}}`` of every sheet of a workbook whose rows are keyed
    by something other than an OPD (period, status, dimension…) and carry "Jumlah ASN"."""
    wb = load_workbook(path, read_only=True, data_only=True)
    out = {}
    try:
        for ws in wb.worksheets:
            rows = list(ws.iter_rows(values_only=True))
            head = next((i for i, r in enumerate(rows) if r and "Jumlah ASN" in r), None)
            if head is None or rows[head][0] in ("OPD", "Jumlah ASN", "Indikator"):
                continue
            j = rows[head].index("Jumlah ASN")
            out[ws.title] = {r[0]: r[j] for r in rows[head + 1 :] if r and r[0] is not None}
    finally:
        wb.close()
    return out


@pytest.mark.slow
def test_differencing_every_keyed_table_never_isolates_a_small_group(batch):
    """For every table an OPD document shares with the city's (capaian per period, every
    period; ASN per status; behaviour per dimension…) and every row: the city's count
    less every count the OPD documents publish is 0 or at least ``min_sel``."""
    out, _, _, last = batch
    city = _keyed_counts(out / last / f"laporan_periode_{last}.xlsx")
    docs = [_keyed_counts(p) for p in (out / last / "opd").rglob("*.xlsx")]
    assert docs
    checked = 0
    for sheet, rows in city.items():
        for key, total in rows.items():
            if total is None:
                continue
            shown = [d[sheet][key] for d in docs if sheet in d and d[sheet].get(key) is not None]
            rest = total - sum(shown)
            checked += 1
            assert rest == 0 or rest >= MIN_SEL, (sheet, key, total, rest)
    assert checked >= 5
