"""A period's document is computed from data up to and including that period only.

The reference is independent of the as-of machinery: the raw CSV files are cut with
plain pandas (rows of later quarters dropped, trainings started later dropped, OPDs
whose roll-out starts later dropped) and written as a new dataset, which is loaded and
analysed as if the data had ended there. The document path — the full data, the shared
results of the period's window, the period's facts — must give the same estimates,
scores and sentences; and the batch's document of the first period must not contain
the estimate of a later window. The store of shared results is keyed by data and
parameters: a second report folder reuses it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pandas as pd
import pytest

from kinerja_analysis import load_dataset
from kinerja_analysis.analyses import shared as shared_mod
from kinerja_analysis.analyses.shared import (
    _FRAMES,
    compute_shared,
    compute_windows,
    data_through,
    load_or_compute_shared,
    prepare_shared,
    shared_key,
    window_dir,
)
from kinerja_analysis.analyses.training import TERM_CS
from kinerja_analysis.core.config import DEFAULTS
from kinerja_analysis.reporting.facts import period_facts
from kinerja_analysis.reporting.fmt import number
from kinerja_analysis.reporting.narrative import write_report

TANGGAL = dt.date(2026, 11, 28)
TOL = 1e-9


def _quarter_end(code: str) -> pd.Timestamp:
    year, q = int(code[:4]), int(code[-1])
    return pd.Timestamp(year=year, month=3 * q, day=1) + pd.offsets.MonthEnd(0)


def cut_raw_files(src, dst, periode: str) -> None:
    """The dataset as its owner would have exported it at the end of ``periode``
    (quarterly codes compare as text; plain pandas, no package code)."""
    dst.mkdir(parents=True)
    end = _quarter_end(periode)
    for f in src.glob("*.csv"):
        d = pd.read_csv(f, dtype=str, keep_default_na=False)
        if "periode" in d.columns:
            d = d[d["periode"] <= periode]
        if f.stem == "pelatihan":
            d = d[pd.to_datetime(d["tanggal_mulai"]) <= end]
        if f.stem == "penerapan":
            d = d[d["periode_mulai"] <= periode]
        d.to_csv(dst / f.name, index=False)


@pytest.fixture(scope="module")
def city(city_400, tmp_path_factory):
    """A folder for the cut copies and the 400-ASN city (``conftest.py``)."""
    return tmp_path_factory.mktemp("asof"), city_400.ds


def _compare_frames(a, b) -> None:
    for name in _FRAMES:
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None) == (y is None), name
        if x is not None:
            pd.testing.assert_frame_equal(
                x.reset_index(drop=True),
                y.reset_index(drop=True),
                check_exact=False,
                rtol=TOL,
                obj=name,
            )


@pytest.mark.parametrize("which", [0, 3])  # the first quarter (2024Q1) and a later one
def test_document_equals_data_cut_at_its_period(city, city_400, which):
    root, ds = city
    periode = ds.periods[which]
    cut_raw_files(city_400.data_dir, root / f"cut_{periode}", periode)
    cut = load_dataset(root / f"cut_{periode}")
    assert cut.periods == ds.periods[: which + 1]

    # the reference: the data as they stood at the end of the period
    ref = compute_shared(cut, n_boot=199, reliability=False)
    # the document's path: the full data, the period's window
    got = compute_shared(ds, through=periode, n_boot=199, reliability=False)
    _compare_frames(ref, got)
    # later data were there and would have changed the numbers
    full = compute_shared(ds, n_boot=199, reliability=False)
    assert not full.evaluasi.equals(got.evaluasi)

    f_ref = period_facts(cut, ref, periode, date=TANGGAL)
    f_got = period_facts(ds, got, periode, date=TANGGAL)
    assert [e.key for e in f_ref.effects] == [e.key for e in f_got.effects]
    for a, b in zip(f_ref.effects, f_got.effects, strict=True):
        assert (a.estimate, a.ci_low, a.ci_high) == pytest.approx(
            (b.estimate, b.ci_low, b.ci_high), rel=TOL
        )
    pd.testing.assert_frame_equal(f_ref.predikat_distribution, f_got.predikat_distribution)
    assert f_ref.pelatihan["pct_di_bawah_20jp"] == f_got.pelatihan["pct_di_bawah_20jp"]
    # the written documents are the same, but for the data fingerprint of the appendix
    md_ref = write_report(dataclasses.replace(f_ref, provenance=None)).markdown()
    md_got = write_report(dataclasses.replace(f_got, provenance=None)).markdown()
    assert md_ref == md_got
    if which == 0:
        assert not f_got.effects  # one quarter: nothing can be estimated yet, and it says so
        assert "data baru mencakup satu periode" in md_got


def test_facts_refuse_a_longer_window(city):
    _, ds = city
    full = compute_shared(ds, n_boot=99, reliability=False)
    with pytest.raises(ValueError, match="may only use data up to"):
        period_facts(ds, full, ds.periods[2], date=TANGGAL)


def test_data_through_cuts_every_table(city):
    _, ds = city
    w = data_through(ds, ds.periods[1])
    assert w.periods == ds.periods[:2] and w.checksum == ds.checksum
    for name, df in w.tables.items():
        if "periode" in df.columns:
            assert set(df["periode"]) <= set(ds.periods[:2]), name
    assert (w.pelatihan["tanggal_mulai"] <= _quarter_end(ds.periods[1])).all()
    assert len(w.pegawai) == len(ds.pegawai)


def test_data_through_of_a_cut_window_is_that_window(city):
    # cutting again at the same period changes nothing (the tables are the same objects:
    # nothing copied); rows without a period are left out, whatever the column's dtype
    _, ds = city
    w = data_through(ds, ds.periods[2])
    again = data_through(w, ds.periods[2])
    assert again.periods == w.periods
    for name, df in w.tables.items():
        assert again.tables[name] is df, name
    last = data_through(ds, ds.periods[-1])
    assert last.tables["perilaku"] is ds.tables["perilaku"]
    skp = ds.skp.copy()
    skp["periode"] = skp["periode"].astype("category")
    skp.loc[skp.index[:4], "periode"] = None
    odd = data_through(dataclasses.replace(ds, tables={**ds.tables, "skp": skp}), ds.periods[1])
    want = skp[skp["periode"].isin(ds.periods[:2])].reset_index(drop=True)
    # a categorical period column lists only the window's periods (no empty ones)
    want["periode"] = want["periode"].cat.remove_unused_categories()
    pd.testing.assert_frame_equal(odd.tables["skp"], want)
    assert odd.tables["skp"]["periode"].notna().all()


def test_windows_share_per_period_results_exactly(city):
    """compute_windows takes the smaller windows' reliability and survey scores from the
    largest one: the same numbers as each window computed alone."""
    _, ds = city
    periods = list(ds.periods[1:3])
    got = compute_windows(ds, reversed(periods), n_boot=49)
    assert list(got) == periods and got[periods[0]].periode_akhir == periods[0]
    for p in periods:
        _compare_frames(compute_shared(ds, through=p, n_boot=49), got[p])


def test_store_is_keyed_by_data_and_parameters_not_by_folder(city, tmp_path, monkeypatch):
    _, ds = city
    store = tmp_path / "shared"
    prepare_shared(ds, store, periods=ds.periods[:2], n_boot=99)
    k = shared_key(ds, through=ds.periods[1], n_boot=99)
    assert window_dir(store, k).is_dir() and k["sampai"] == ds.periods[1]
    # a document in another language, folder or OPD uses the same key: nothing computed
    monkeypatch.setattr(shared_mod, "compute_shared", lambda *a, **kw: pytest.fail("recomputed"))
    h = load_or_compute_shared(ds, store, through=ds.periods[1], n_boot=99)
    assert h.periode_akhir == ds.periods[1]
    prepare_shared(ds, store, periods=ds.periods[:2], n_boot=99)
    # another parameter is another key
    assert shared_key(ds, through=ds.periods[1], n_boot=199) != k
    assert shared_key(ds, through=ds.periods[0], n_boot=99) != k
    # the key's defaults are compute_shared's; what does not change the numbers is refused
    assert shared_key(ds) == shared_key(
        ds,
        seed=DEFAULTS.seed,
        n_boot=DEFAULTS.n_boot,
        min_n=DEFAULTS.min_n_subgroup,
        reliability=True,
    )
    assert shared_key(ds, reliability=False) != shared_key(ds)
    with pytest.raises(TypeError, match="per_period"):
        shared_key(ds, per_period=None)


@pytest.mark.slow
def test_batch_first_period_document_is_as_of(synthetic_reports):
    """The batch's 2024Q1 document: no estimate of a later window in it; its workbook
    has no effect table; the later period's document states its own window's estimate."""
    reports = synthetic_reports
    ds = load_dataset(reports.data_dir)
    store = reports.summaries[0].cache_dir / "shared"
    last = load_or_compute_shared(ds, store, through=reports.last)
    att = last.pelatihan.set_index("term").loc[TERM_CS, "estimate"]
    first_html = (
        reports.out_id / reports.first / f"laporan_periode_{reports.first}.html"
    ).read_text("utf-8")
    last_html = (reports.out_id / reports.last / f"laporan_periode_{reports.last}.html").read_text(
        "utf-8"
    )
    assert number(att, 2, "id") in last_html
    assert not re.search(r"Pelatihan (meningkatkan|menurunkan) capaian SKP", first_html)
    assert "data baru mencakup satu periode" in first_html
    assert "sampai dengan Triwulan I 2024" in first_html
    # the second report folder (English) reused the shared results of the first batch
    assert len(list(store.iterdir())) == 2


# --------------------------------------------------------------------------- later hires

NEW_NIP = "199805172024111001"  # born 17 May 1998, TMT CPNS November 2024, male, no. 001


def _add_later_hire(src, dst) -> None:
    """``src``'s files plus one ASN hired on 1 November 2024 (after 2024Q3) whose SKP,
    360° ratings (received and given to themselves), feedback and training all fall
    after 2024Q3 — plain pandas on the CSV text, no package code."""
    dst.mkdir(parents=True)
    rd = {f.stem: pd.read_csv(f, dtype=str, keep_default_na=False) for f in src.glob("*.csv")}
    peg = rd["pegawai"]
    base = peg[peg["jenis_jabatan"] == "pelaksana"].iloc[0]
    new = base.copy()
    new.update({"nip": NEW_NIP, "nama": "Pegawai Baru", "jenis_kelamin": "L",
                "tanggal_lahir": "1998-05-17", "tmt_cpns": "2024-11-01",
                "golongan": "III/a", "status_kepegawaian": "pns"})  # fmt: skip
    rd["pegawai"] = pd.concat([peg, new.to_frame().T], ignore_index=True)
    later = ("2024Q4", "2025Q1")
    for name in ("skp", "perilaku", "umpan_balik"):
        d = rd[name]
        copy = d[(d["nip"] == base["nip"]) & d["periode"].isin(later)].copy()
        copy["nip"] = NEW_NIP
        if name == "perilaku":
            copy.loc[copy["peran_penilai"] == "diri", "id_penilai"] = NEW_NIP
        rd[name] = pd.concat([d, copy], ignore_index=True)
    p = rd["pelatihan"]
    t = p.iloc[[0]].copy()
    t[["nip", "id_pelatihan", "tanggal_mulai", "tanggal_selesai"]] = [
        NEW_NIP,
        "BARU-1",
        "2024-12-02",
        "2024-12-04",
    ]
    rd["pelatihan"] = pd.concat([p, t], ignore_index=True)
    for name, d in rd.items():
        d.to_csv(dst / f"{name}.csv", index=False)


@pytest.fixture(scope="module")
def later_hire(tmp_path_factory):
    """A 120-ASN city with its first three quarters, and the same city with one ASN
    hired after 2024Q3 added (rows only in 2024Q4–2025Q1)."""
    from kinerja_analysis.data.synth import generate, write_dataset

    root = tmp_path_factory.mktemp("later_hire")
    write_dataset(generate(n_pegawai=120, seed=7), root / "kota")
    _add_later_hire(root / "kota", root / "kota_baru")
    return load_dataset(root / "kota"), load_dataset(root / "kota_baru")


def test_a_later_hire_changes_nothing_in_an_earlier_document(later_hire):
    """The register is cut at the period's end: an ASN hired after 2024Q3 is not an ASN
    of 2024Q3's document — not in its counts, JP shares, feedback per ASN, coverage or
    text; regenerating the document from the newer export gives the same document."""
    from kinerja_analysis.reporting import tables

    old, new = later_hire
    assert NEW_NIP in set(new.pegawai["nip"]) and NEW_NIP not in set(old.pegawai["nip"])
    p = "2024Q3"
    h_old = compute_shared(old, through=p, n_boot=49, reliability=False)
    h_new = compute_shared(new, through=p, n_boot=49, reliability=False)
    _compare_frames(h_old, h_new)
    w_old, w_new = data_through(old, p), data_through(new, p)
    assert NEW_NIP not in set(w_new.pegawai["nip"])
    for fn in (
        lambda t: tables.headline_figures(t, p),
        lambda t: tables.pegawai_by_opd(t["pegawai"]),
        lambda t: tables.jp_by_asn(t["pelatihan"], t["pegawai"], p),
        lambda t: tables.umpan_balik_by_period(t["umpan_balik"], t["pegawai"]),
        lambda t: tables.period_coverage(t, p),
        # the cross-period summary of the full data: each period counts its own ASN
        lambda t: tables.cross_period_summary(t, ("2024Q1", p)),
    ):
        pd.testing.assert_frame_equal(fn(w_old.tables), fn(w_new.tables))
    # the untouched full tables give every earlier period the same figures too
    pd.testing.assert_frame_equal(
        tables.cross_period_summary(old.tables, old.periods[:3]),
        tables.cross_period_summary(new.tables, new.periods[:3]),
    )
    pd.testing.assert_frame_equal(
        tables.umpan_balik_by_period(old.umpan_balik, old.pegawai).iloc[:3],
        tables.umpan_balik_by_period(new.umpan_balik, new.pegawai).iloc[:3],
    )
    for bahasa in ("id", "en"):
        f_old = period_facts(old, h_old, p, date=TANGGAL, bahasa=bahasa)
        f_new = period_facts(new, h_new, p, date=TANGGAL, bahasa=bahasa)
        assert f_old.n_pegawai == f_new.n_pegawai
        assert f_old.pelatihan == f_new.pelatihan or (
            f_old.pelatihan["pct_di_bawah_20jp"] == f_new.pelatihan["pct_di_bawah_20jp"]
        )
        md_old = write_report(dataclasses.replace(f_old, provenance=None)).markdown()
        md_new = write_report(dataclasses.replace(f_new, provenance=None)).markdown()
        assert md_old == md_new
    # the period they were hired in counts them: the cut is at the period, not the file
    later = tables.headline_figures(data_through(new, "2024Q4").tables, "2024Q4")
    before = tables.headline_figures(data_through(old, "2024Q4").tables, "2024Q4")
    n = {
        k: d.set_index("indikator").loc["n_asn", "nilai"] for k, d in (("o", before), ("n", later))
    }
    assert n["n"] == n["o"] + 1


def test_pegawai_through_keeps_whom_the_window_names():
    """An ASN whose TMT is after the period but who has a row of the period (the data
    say they worked) is kept; a missing TMT keeps the employee; later rows do not count."""
    from kinerja_analysis.analyses.shared import pegawai_through

    peg = pd.DataFrame(
        {
            "nip": ["a", "b", "c", "d", "e"],
            "tmt_cpns": pd.to_datetime(
                ["2020-01-01", "2024-10-01", None, "2024-10-01", "2024-10-01"]
            ),
        }
    )
    skp = pd.DataFrame({"nip": ["b", "d"], "periode": pd.Categorical(["2024Q4", "2024Q3"])})
    pel = pd.DataFrame(
        {"nip": ["e", "b"], "tanggal_mulai": pd.to_datetime(["2024-09-30", "2024-10-01"])}
    )
    got = pegawai_through({"pegawai": peg, "skp": skp, "pelatihan": pel}, "2024Q3")
    assert got["nip"].tolist() == ["a", "c", "d", "e"]
    # a month's document: TMT on the first day of the month counts in that month
    assert pegawai_through({"pegawai": peg}, "2024-10")["nip"].tolist() == list("abcde")
    assert pegawai_through({"pegawai": peg}, "2024-09")["nip"].tolist() == ["a", "c"]
