"""Tests of kinerja_analysis.report — the notebooks' aggregate tables (planted values)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from kinerja_analysis.reporting.notebook import read_tables, render_table, save_table
from kinerja_analysis.reporting.privacy import suppress_small_groups
from kinerja_analysis.reporting.tables import jp_by_asn, jp_summary, survei_constructs, survei_items
from kinerja_analysis.reporting.text import TEXTS, column_labels, text


def test_sembunyikan_kecil():
    d = pd.DataFrame({"g": ["a", "b"], "n": [4, 5], "m": [3, 4], "x": [1.5, 2.5]})
    out = suppress_small_groups(d, "n", 5)
    assert out["x"].isna().tolist() == [True, False]
    assert out["m"].isna().tolist() == [True, False] and str(out["m"].dtype) == "Int64"
    # a group of fewer than min_sel is a small cell itself: its size is hidden too
    assert out["n"].isna().tolist() == [True, False]
    assert out["disembunyikan"].tolist() == [True, False]
    assert d["x"].tolist() == [1.5, 2.5]  # input untouched
    with pytest.raises(ValueError, match="min_sel"):
        suppress_small_groups(d, "n", 0)


def test_jp_per_asn_rolling_year():
    peg = pd.DataFrame({"nip": ["a", "b", "c"], "opd": ["X", "X", "Y"]})
    pel = pd.DataFrame(
        {
            "nip": ["a", "a", "a", "b"],
            "jp": [10.0, 12.0, 99.0, 8.0],
            "sumber": ["difasilitasi", "mandiri", "difasilitasi", "mandiri"],
            # 2025Q2 ends 2025-06-30: the 12-month window is 2024-07-01 .. 2025-06-30
            "tanggal_mulai": pd.to_datetime(
                ["2024-07-01", "2025-06-30", "2024-06-30", "2025-01-15"]
            ),
        }
    )
    jp = jp_by_asn(pel, peg, "2025Q2").set_index("nip")
    assert jp.loc["a", "jp"] == 22.0 and jp.loc["a", "jp_mandiri"] == 12.0
    assert jp.loc["b", "jp"] == 8.0 and jp.loc["c", "jp"] == 0.0
    s = jp_summary(jp.reset_index(), min_sel=1).set_index("opd")
    assert s.loc["Semua OPD", "pct_di_bawah_20"] == pytest.approx(2 / 3)
    assert s.loc["Semua OPD", "pct_jp_mandiri"] == pytest.approx(20 / 30)
    assert s.loc["X", "jp_rerata"] == pytest.approx(15.0)
    s5 = jp_summary(jp.reset_index(), min_sel=2).set_index("opd")
    assert pd.isna(s5.loc["Y", "jp_rerata"]) and s5.loc["Y", "disembunyikan"]


def test_survei_butir_reverses_items():
    instr = pd.DataFrame(
        {
            "item": ["p1", "p2"],
            "konstruk": ["k", "k"],
            "teks": ["a", "b"],
            "terbalik": [False, True],
        }
    )
    sv = pd.DataFrame(
        {
            "nip": list("abcdef"),
            "periode": "2025Q1",
            "p1": [5, 4, 5, 4, 5, 4],
            "p2": [1, 2, 1, 2, 1, 2],
        }
    )
    b = survei_items(sv, instr, "2025Q1", min_sel=5).set_index("item")
    assert b.loc["p1", "rerata"] == pytest.approx(4.5)
    assert b.loc["p2", "rerata"] == pytest.approx(4.5)  # 6 - 1.5 on a 1-5 scale
    k = survei_constructs(b.reset_index())
    assert k.loc[0, "rerata"] == pytest.approx(4.5) and k.loc[0, "n_min"] == 6
    b7 = survei_items(sv, instr, "2025Q1", min_sel=7)
    assert b7["rerata"].isna().all()


def test_simpan_baca_tabel(tmp_path):
    a = pd.DataFrame({"x": [1, 2]})
    b = pd.DataFrame({"y": [1.5]}, index=pd.Index(["r"], name="baris"))
    save_table(tmp_path, "b_dulu", b, title="Judul B")
    save_table(tmp_path, "a", a)
    save_table(tmp_path, "b_dulu", b, title="Judul B2")  # re-registering keeps one entry
    got = read_tables(tmp_path)
    assert list(got) == ["a", "b_dulu"]
    assert got["b_dulu"].attrs["judul"] == "Judul B2"
    assert list(got["b_dulu"].columns) == ["baris", "y"]
    with pytest.raises(ValueError, match="table name"):
        save_table(tmp_path, "Nama Salah", a)
    assert read_tables(tmp_path / "kosong") == {}


def test_tabel_formats_indonesian():
    d = pd.DataFrame({"opd": ["A"], "n": [6012], "r": [0.2103], "p": [0.125]})
    html = render_table(d, percent_cols=["p"]).data
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", html)
    assert cells == ["A", "6.012", "0,21", "12,5%"]
    assert 'class="angka"' in html and 'class="teks"' in html
    # an old keyword (for one release) warns at this line, naming render_table
    with pytest.warns(DeprecationWarning, match=r"render_table\(\): keyword 'persen_kolom'") as rec:
        assert render_table(d, persen_kolom=["p"]).data == html
    assert [w.filename for w in rec] == [__file__]


def test_report_texts_exist_in_both_languages():
    assert set(TEXTS["id"]) == set(TEXTS["en"])
    assert text("judul_profil", "en", periode="Quarter 4 2025").endswith("Quarter 4 2025")
    assert set(column_labels("id")) == set(column_labels("en"))
    with pytest.raises(ValueError):
        text("ikm", "fr")  # type: ignore[arg-type]


def test_report_texts_format_alike_in_both_languages():
    # every text formats in both languages with the union of the two languages' placeholders
    # (what a notebook passes), a heading stays a heading of the same level, and no English
    # text is an untranslated copy (common Indonesian function words)
    import string

    fmt_ = string.Formatter()
    for kunci, id_teks in TEXTS["id"].items():
        en_teks = TEXTS["en"][kunci]
        isi = {f: "X" for t in (id_teks, en_teks) for _, f, _, _ in fmt_.parse(t) if f}
        assert text(kunci, "id", **isi) and text(kunci, "en", **isi)
        assert re.match(r"#*", id_teks).group() == re.match(r"#*", en_teks).group(), kunci
        assert not re.search(r"\b(yang|dan|tidak|dari|untuk|dengan)\b", en_teks), kunci


# ----------------------------------------------------------------------------- notebooks


def test_jupyterlab_opens_python_notebooks_as_notebooks():
    """The project ships jupytext's configuration and JupyterLab's default viewer for
    Python files ("Jupytext Notebook"), installed into the environment by `make venv`."""
    from jupyterlab_server.settings_utils import _get_overrides
    from jupytext.config import find_jupytext_configuration_file, load_jupytext_configuration_file

    from kinerja_analysis.core.io import PACKAGE_ROOT

    root = PACKAGE_ROOT.parent
    cfg = find_jupytext_configuration_file(str(root / "notebooks"))
    assert cfg is not None and Path(cfg).resolve() == (root / "jupytext.toml").resolve()
    assert load_jupytext_configuration_file(cfg).formats in ("py:percent", ["py:percent"])
    overrides, error = _get_overrides(str(root / "no-app-settings"))
    assert not error
    viewers = overrides["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers["python"] == "Jupytext Notebook"


def test_generated_notebooks_are_git_ignored():
    from kinerja_analysis.core.io import PACKAGE_ROOT

    root = PACKAGE_ROOT.parent
    if not (root / ".git").exists():
        pytest.skip("not a git checkout")
    for p in ("10.ipynb", "notebooks/10_laporan_periode.ipynb", "reports/x/y.ipynb"):
        r = subprocess.run(["git", "check-ignore", "-q", p], cwd=root, check=False)
        assert r.returncode == 0, p


@pytest.mark.slow
def test_readme_papermill_route_works_and_writes_only_the_notebook(tmp_path):
    """As the README says, from a project folder with the data in data/kotalama: convert,
    ask papermill for the parameters, run one period. Nothing but the executed notebook
    is written (no tabel/*.parquet, no report folder); a missing data folder is named."""
    from kinerja_analysis.core.io import PACKAGE_ROOT
    from kinerja_analysis.data.synth import generate, write_dataset

    write_dataset(generate(n_pegawai=150, seed=4), tmp_path / "data" / "kotalama")
    bin_dir = Path(sys.executable).parent
    nb_src = PACKAGE_ROOT.parent / "notebooks" / "10_laporan_periode.py"
    code = f"from kinerja_analysis.pipeline.batch import to_ipynb; to_ipynb({str(nb_src)!r}, '10.ipynb')"
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, check=True)
    helped = subprocess.run(
        [str(bin_dir / "papermill"), "--help-notebook", "10.ipynb"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "periode" in helped.stdout and "data_dir" in helped.stdout
    before = {p for p in tmp_path.rglob("*")}
    run = subprocess.run(
        [str(bin_dir / "papermill"), "10.ipynb", "10_2025Q1.ipynb", "-p", "periode", "2025Q1"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    new = {p for p in tmp_path.rglob("*")} - before
    assert {p.name for p in new if p.is_file()} == {"10_2025Q1.ipynb"}, sorted(map(str, new))
    # the data folder is named with the paths tried when it is not there
    run = subprocess.run(
        [str(bin_dir / "papermill"), "10.ipynb", "x.ipynb", "-p", "data_dir", "tidak/ada"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode != 0
    assert str(tmp_path / "tidak" / "ada") in run.stderr + run.stdout


def test_top_and_bottom_ranks_and_keeps_ties_whole():
    from kinerja_analysis.reporting.tables import top_and_bottom

    d = pd.DataFrame({"opd": list("abcdefghij"), "ikm": [80, 91, 75, 88, None, 70, 85, 75, 60, 99]})
    out = top_and_bottom(d, "ikm", n=2)
    # 9 ranked (e has no value): 99 j, 91 b | 70 f, 60 i
    assert out["opd"].tolist() == ["j", "b", "f", "i"]
    assert out["peringkat"].tolist() == [1, 2, 8, 9]
    assert out.attrs == {"n_nilai": 9, "n_atas": 2, "n_bawah": 2}
    # a tie at the cut is kept whole: c and h share rank 6 (75)
    out3 = top_and_bottom(d, "ikm", n=3)
    assert out3["opd"].tolist()[-4:] == ["c", "h", "f", "i"] and out3.attrs["n_bawah"] == 4
    # per: ranked on the share; a zero denominator is not ranked
    s = pd.DataFrame({"opd": list("xyz"), "naik": [2, 5, 1], "n": [10, 100, 0]})
    assert top_and_bottom(s, "naik", n=5, per="n")["opd"].tolist() == ["x", "y"]
    # short: every ranked row, nothing from the bottom
    assert top_and_bottom(d, "ikm", n=5).attrs == {"n_nilai": 9, "n_atas": 9, "n_bawah": 0}
    assert d["ikm"].isna().sum() == 1  # input untouched
    with pytest.raises(ValueError, match="n must be"):
        top_and_bottom(d, "ikm", n=0)


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_long_table_says_what_it_shows_and_where_the_rest_is(monkeypatch, bahasa):
    import IPython.display

    from kinerja_analysis.reporting.notebook import ReportSession

    shown: list = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs: shown.extend(objs))
    doc = ReportSession(
        ds=None,
        periode="2025Q4",
        tables={},
        period_text="",
        cakupan="",
        bahasa=bahasa,
        opd=None,
        min_sel=5,
        seed=1,
        output_dir=None,
        cache_dir=None,
    )
    d = pd.DataFrame({"opd": [f"OPD {i:02d}" for i in range(30)], "ikm": range(60, 90)})
    doc.long_table(d, "ikm", "ikm_per_opd", intro="lampiran_ikm")
    note, table = shown[0].data, shown[1].data
    assert note.startswith(text("lampiran_ikm", bahasa))
    assert "30" in note and "5" in note and doc.saved["ikm_per_opd"].attrs["judul"] in note
    assert "XLSX" in note and "{" not in note
    assert table.count("<tr>") == 1 + 10  # header + 5 highest + 5 lowest
    assert "OPD 29" in table and "OPD 00" in table and "OPD 15" not in table
    assert len(doc.saved["ikm_per_opd"]) == 30  # the workbook keeps every OPD
    shown.clear()
    doc.long_table(d.head(8), "ikm", "ikm_kecil")  # short: in full, no sentence
    assert len(shown) == 1 and shown[0].data.count("<tr>") == 1 + 8
    shown.clear()
    # no rows: a sentence, never a header over nothing; the workbook still has the table
    doc.long_table(d.head(0), "ikm", "ikm_kosong", intro="lampiran_ikm")
    said = " ".join(getattr(x, "data", "") for x in shown)
    assert "<table" not in said and text("tabel_tanpa_baris", bahasa) in said
    assert "ikm_kosong" in doc.saved


def test_setup_keeps_its_objects_from_the_collector_until_the_next_setup(city_300):
    """setup() freezes what is in memory (gc.freeze) so the collector's full passes do
    not walk it again during the report; objects made afterwards are collected as
    usual, and a second setup() gives the frozen ones back to the collector (a re-run
    cell in JupyterLab frees the old session)."""
    import gc
    import weakref

    from kinerja_analysis.reporting.notebook import setup

    class Node:
        pass

    def cycle() -> weakref.ref:
        a = Node()
        a.self = a
        return weakref.ref(a)

    periode = city_300.ds.periods[-1]
    gc.unfreeze()  # a setup() earlier in this process (another test) froze its objects
    gc.disable()  # no automatic pass in between: the test decides when the collector runs
    try:
        before = cycle()  # garbage that exists when the session is made
        doc = setup(periode=periode, data_dir=city_300.data_dir)
        assert gc.get_freeze_count() > 0
        gc.collect()
        assert before() is not None  # frozen: the collector does not see it
        after = cycle()  # made during the report
        gc.collect()
        assert after() is None
        del doc
        doc = setup(periode=periode, data_dir=city_300.data_dir)
        gc.collect()
        assert before() is None  # the second setup gave it back
        assert doc.periode == periode
    finally:
        gc.unfreeze()
        gc.enable()


def test_legacy_context_is_the_setup_tuple(city_300):
    """The old ``konteks`` call (kept for one release) returns what setup() loads."""
    from kinerja_analysis.reporting.notebook import legacy_context, setup

    p = city_300.ds.periods[1]
    ds, periode, tables, periode_teks, cakupan = legacy_context(city_300.data_dir, None, p, None)
    s = setup(periode=p, data_dir=city_300.data_dir)
    assert periode == p and periode_teks and cakupan
    assert (periode, periode_teks, cakupan) == (s.periode, s.period_text, s.cakupan)
    assert ds.periods == s.ds.periods and ds.periods[-1] == p
    assert sorted(tables) == sorted(s.tables)
    for name, df in tables.items():
        pd.testing.assert_frame_equal(df, s.tables[name])


def test_no_notebook_cell_ends_showing_a_return_value():
    """A cell whose last statement is a bare ``doc.<method>(...)`` shows that method's
    return value in the document (a stray "False" under a sentence): such a call is
    fine only for methods that return nothing."""
    import ast
    import inspect
    import typing

    import jupytext

    from kinerja_analysis.reporting.notebook import ReportSession

    root = Path(__file__).resolve().parents[1] / "notebooks"
    problems = []
    for path in sorted(root.glob("*.py")):
        for cell in jupytext.read(str(path)).cells:
            if cell.cell_type != "code" or not cell.source.strip():
                continue
            body = ast.parse(cell.source).body
            last = body[-1] if body else None
            if not (isinstance(last, ast.Expr) and isinstance(last.value, ast.Call)):
                continue
            f = last.value.func
            if (
                isinstance(f, ast.Attribute)
                and isinstance(f.value, ast.Name)
                and f.value.id == "doc"
            ):
                method = getattr(ReportSession, f.attr, None)
                hints = typing.get_type_hints(method) if inspect.isfunction(method) else {}
                if hints.get("return", object) is not type(None):
                    problems.append(f"{path.name}: doc.{f.attr}(...) ends a cell")
    assert not problems, problems
