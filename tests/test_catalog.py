"""The catalogue files (``kinerja_analysis/reporting/catalog/*.toml``) are well-formed,
installed with the package, and every fault a person editing them can make is caught
with the file, the table and the key named.

The words themselves are checked where they are used (tests/test_labels.py: no raw key in
any document; tests/test_report.py: both languages alike).
"""

from __future__ import annotations

import shutil
import string
from importlib import resources
from pathlib import Path

import pytest

import kinerja_analysis
from kinerja_analysis.core import io
from kinerja_analysis.core.text import LANGUAGES
from kinerja_analysis.reporting import narrative, text
from kinerja_analysis.reporting.text import (
    CATALOG_FILES,
    COLUMN_KINDS,
    COLUMNS,
    LABEL_SECTIONS,
    NARRATIVE_SECTIONS,
    CatalogError,
    catalog_problems,
    read_catalog,
)

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path(kinerja_analysis.__file__).parent
CATALOG = PACKAGE / "reporting" / "catalog"


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    """A copy of the package's catalogue files to plant faults in."""
    return Path(shutil.copytree(CATALOG, tmp_path / "catalog"))


def _edit(path: Path, old: str, new: str) -> None:
    s = path.read_text(encoding="utf-8")
    assert s.count(old) == 1, old
    path.write_text(s.replace(old, new), encoding="utf-8")


# ----------------------------------------------------------------------------- shipped files


def test_shipped_catalogue_is_well_formed():
    assert catalog_problems() == []
    assert sorted(p.stem for p in CATALOG.glob("*.toml")) == sorted(CATALOG_FILES)


def test_every_entry_has_both_languages_and_the_same_fields():
    formatter = string.Formatter()

    def fields(s: str) -> set[str]:
        return {f for _, f, _, _ in formatter.parse(s) if f is not None}

    n = 0
    for name in CATALOG_FILES:
        data = text.tomllib.loads((CATALOG / f"{name}.toml").read_text(encoding="utf-8"))
        stack = [data]
        while stack:  # every table holding a language holds all of them, non-empty
            t = stack.pop()
            items = t if isinstance(t, list) else t.values()
            if isinstance(t, dict) and set(LANGUAGES) & set(t):
                n += 1
                assert all(isinstance(t.get(b), str) and t[b].strip() for b in LANGUAGES), t
                whole = any(text._WHOLE_FIELD.fullmatch(t[b]) for b in LANGUAGES)
                assert whole or fields(t["id"]) == fields(t["en"]), t
            stack += [v for v in items if isinstance(v, dict | list)]
    assert n > 500  # the whole registry was walked, not an empty file


def test_tables_are_the_known_ones():
    labels = read_catalog("labels")
    assert tuple(labels) == LABEL_SECTIONS
    assert set(read_catalog("narrative")) == {*NARRATIVE_SECTIONS, "effect_tables"}


def test_columns_are_built_from_the_file_with_known_kinds():
    rows = read_catalog("labels")["columns"]
    assert list(COLUMNS) == list(rows)
    for key, c in COLUMNS.items():
        assert isinstance(c, text.Column)
        assert c.kind in COLUMN_KINDS, key
        assert isinstance(c.decimals, int) and c.decimals >= 0, key
        assert (c.id, c.en) == (rows[key]["id"], rows[key]["en"])
        assert c.kind == rows[key].get("jenis", "teks")
        assert c.decimals == rows[key].get("desimal", 2)


def test_public_names_keep_their_types():
    for table in (
        text.DIMENSIONS,
        text.TERMS,
        text.VALUES,
        text.FLAGS,
        text.RULES,
        text.METHODS,
        text.PARAMETERS,
        text.TOTAL_ROWS,
    ):
        assert table and all(
            isinstance(v, tuple) and len(v) == 2 and all(isinstance(s, str) for s in v)
            for v in table.values()
        )
    assert set(text.TEXTS) == set(LANGUAGES) == set(text.STATUS_LABELS)
    assert text.TEXTS["id"].keys() == text.TEXTS["en"].keys()
    assert text.text("angka_utama", "en") == "### Headline figures"
    assert text.FLAGS["ps_separation"][1].startswith("propensity score separation")
    assert text.STATUS_LABELS["en"]["pppk"] == "PPPK (contract)"
    assert narrative.SECTION_TITLES["id"]["ringkasan"] == "Ringkasan Eksekutif"
    assert narrative.CONTENTS_TITLE == {"id": "Daftar Isi", "en": "Contents"}
    assert narrative.icc_category(0.95, "en") == "excellent"
    assert narrative.icc_category(0.9, "id") == "baik"


def test_effect_tables_show_known_cells():
    from test_narrative import efek  # the narrative tests' example effect

    f = narrative._TemplateFormat("id")
    assert set(narrative._effect_cells(efek(), f)) == set(narrative._EFFECT_CELLS)
    for table in narrative._EFFECT_TABLES:
        assert table[0][0] == "pengaruh"  # each table starts with the effect's name
        assert {c for c, _, _ in table} <= set(narrative._EFFECT_CELLS)


def test_every_section_has_a_template_in_every_language():
    templates = PACKAGE / "reporting" / "templates" / "narasi"
    for b in LANGUAGES:
        for key in narrative.SECTION_TITLES[b]:
            assert (templates / b / f"{key}.md.j2").is_file(), (b, key)


# ----------------------------------------------------------------------------- faults


def test_duplicate_key_is_refused_with_the_file_and_line(catalog_copy):
    labels = catalog_copy / "labels.toml"
    _edit(labels, 'naik = { id = "Naik", en = "Up" }\n', 'naik = { id = "Naik", en = "Up" }\n' * 2)
    with pytest.raises(CatalogError, match=r"^labels\.toml: .*line \d+"):
        read_catalog("labels", catalog_copy)
    (problem,) = catalog_problems(catalog_copy)
    assert problem.startswith("labels.toml: ") and "line" in problem


def test_duplicate_dotted_key_is_refused(catalog_copy):
    texts = catalog_copy / "texts.toml"
    first = next(ln for ln in texts.read_text(encoding="utf-8").splitlines() if ".en = " in ln)
    texts.write_text(texts.read_text(encoding="utf-8") + first + "\n", encoding="utf-8")
    (problem,) = catalog_problems(catalog_copy)
    assert problem.startswith("texts.toml: ")


@pytest.mark.parametrize(
    ("file", "old", "new", "problem"),
    [
        (
            "labels.toml",
            'naik = { id = "Naik", en = "Up" }',
            'naik = { id = "Naik" }',
            "labels.toml [values] 'naik': no 'en' text",
        ),
        (
            "texts.toml",
            'angka_utama = { id = "### Angka utama", en = "### Headline figures" }',
            'angka_utama = { id = "### Angka utama", en = " " }',
            "texts.toml 'angka_utama': 'en' must be a non-empty text",
        ),
        (
            "labels.toml",
            'ikm = { id = "IKM", en = "IKM", jenis = "angka" }',
            'ikm = { id = "IKM", en = "IKM", jenis = "nomor" }',
            "labels.toml [columns] 'ikm': jenis = 'nomor' is not one of",
        ),
    ],
    ids=["missing language", "empty text", "unknown column kind"],
)
def test_a_faulty_entry_is_named(catalog_copy, file, old, new, problem):
    _edit(catalog_copy / file, old, new)
    (got,) = catalog_problems(catalog_copy)
    assert got.startswith(problem), got


def test_wrong_field_types_and_unknown_fields_are_named(catalog_copy):
    labels = catalog_copy / "labels.toml"
    _edit(
        labels,
        'ikm = { id = "IKM", en = "IKM", jenis = "angka" }',
        'ikm = { id = "IKM", en = "IKM", desimal = "2" }',
    )
    _edit(
        labels,
        'naik = { id = "Naik", en = "Up" }',
        'naik = { id = "Naik", en = "Up", fr = "Hausse" }',
    )
    assert catalog_problems(catalog_copy) == [
        "labels.toml [values] 'naik': unknown field 'fr'",
        "labels.toml [columns] 'ikm': desimal = '2' is not a int",
    ]


def test_different_fields_in_the_two_languages_are_named(catalog_copy):
    _edit(
        catalog_copy / "texts.toml",
        'hvk_bagian = { id = "{arah} untuk {n} ASN", en = "{arah} for {n} ASN" }',
        'hvk_bagian = { id = "{arah} untuk {n} ASN", en = "{arah} for {jumlah} ASN" }',
    )
    assert catalog_problems(catalog_copy) == [
        "texts.toml 'hvk_bagian': the languages name different {fields}: "
        "id ['arah', 'n']; en ['arah', 'jumlah']"
    ]


def test_an_unknown_or_missing_table_is_named(catalog_copy):
    labels = catalog_copy / "labels.toml"
    _edit(labels, "[total_rows]", "[total_row]")
    assert catalog_problems(catalog_copy) == [
        "labels.toml [total_row]: unknown table",
        "labels.toml [total_rows]: missing, or not a table",
    ]


def test_a_missing_file_and_a_broken_effect_table_are_named(catalog_copy):
    (catalog_copy / "assumptions.toml").unlink()
    _edit(
        catalog_copy / "narrative.toml",
        '{ cell = "n", id = "n", en = "n" },',
        '{ cell = "n", id = "n" },',
    )
    assert catalog_problems(catalog_copy) == [
        "assumptions.toml: missing",
        "narrative.toml [[effect_tables]] #2 'n': no 'en' text",
    ]


def test_a_key_the_code_asks_for_is_required():
    with pytest.raises(CatalogError, match=r"labels\.toml \[direction\]: no entry for sideways"):
        text.catalog_pairs("labels", "direction", ("naik", "sideways"))


# ----------------------------------------------------------------------------- packaging


def test_catalogue_files_are_found_as_package_resources():
    base = resources.files("kinerja_analysis.reporting").joinpath("catalog")
    for name in CATALOG_FILES:
        assert base.joinpath(f"{name}.toml").is_file(), name


def test_every_data_file_of_the_package_is_installed():
    # pyproject's package-data globs cover every file of the package that is not Python
    with (ROOT / "pyproject.toml").open("rb") as f:
        globs = text.tomllib.load(f)["tool"]["setuptools"]["package-data"]["kinerja_analysis"]
    shipped = {p for g in globs for p in PACKAGE.glob(g) if p.is_file()}
    data = {
        p
        for p in PACKAGE.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    }
    assert data - shipped == set()


def test_every_data_file_of_the_package_counts_in_the_code_fingerprint(tmp_path):
    # editing a catalogue (or any file the package reads) must rerun the reports
    for p in PACKAGE.rglob("*"):
        if p.is_file() and "__pycache__" not in p.parts:
            assert p.suffix in io._CODE_SUFFIXES, p.relative_to(PACKAGE)
    root = Path(
        shutil.copytree(PACKAGE, tmp_path / "pkg", ignore=shutil.ignore_patterns("__pycache__"))
    )
    base = io.code_fingerprint(root)
    f = root / "reporting" / "catalog" / "labels.toml"
    f.write_text(f.read_text(encoding="utf-8").replace('"Up"', '"Higher"'), encoding="utf-8")
    assert io.code_fingerprint(root) != base


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_the_index_trend_chart_title_comes_from_the_catalogue(monkeypatch, bahasa):
    """The index's trend chart was titled by a string in the batch's code: an agency's
    edit of the catalogue did not reach it."""
    import pandas as pd

    from kinerja_analysis.pipeline import batch
    from kinerja_analysis.reporting import plots, text

    monkeypatch.setitem(text.TEXTS[bahasa], "n90_judul_tren", f"Judul agensi {bahasa}")
    seen = []

    def capture(rows, *, title, bahasa, width):
        seen.append(title)
        raise RuntimeError("enough")

    monkeypatch.setattr(plots, "plot_headline_trends", capture)
    rows = pd.DataFrame({next(iter(plots.HEADLINE_SCALES)): [1.0]})
    with pytest.raises(RuntimeError, match="enough"):
        batch._trend_chart(rows, bahasa)
    assert seen == [f"Judul agensi {bahasa}"]


def test_counts_in_messages_have_the_languages_thousands_separator() -> None:
    """ "0 dari 412365 baris" beside "5.998 ASN" was two ways of writing a count: every
    integer count field (``n``, ``n_…``) is written as the documents write it; row
    numbers, years and text are left alone."""
    import numpy as np

    from kinerja_analysis.core.text import Catalog
    from kinerja_analysis.data.messages import MESSAGES

    c = Catalog(
        {
            "id": {"k": "{n} dari {n_total} baris, baris {baris}, tahun {tahun}, {nama}"},
            "en": {"k": "{n} of {n_total} rows, row {baris}, year {tahun}, {nama}"},
        }
    )
    got = c("k", "id", n=np.int64(0), n_total=412365, baris=412366, tahun=2025, nama="1000")
    assert got == "0 dari 412.365 baris, baris 412366, tahun 2025, 1000"
    assert c("k", "en", n=1234, n_total=np.int32(5), baris=7, tahun=2025, nama="x") == (
        "1,234 of 5 rows, row 7, year 2025, x"
    )
    msg = MESSAGES("tabel_opsional_kosong", "id", file="a.csv", n=412365, tabel="x", sebab="y")
    assert "0 dari 412.365 baris" in msg


def test_every_count_of_a_sentence_is_written_alike() -> None:
    """helper-78: "6.200 dari 6200 nilai" — the count beside ``n`` (``m``, ``maks``,
    ``median``) got no separator. Every count field is written the same way."""
    from kinerja_analysis.data.messages import MESSAGES

    got = MESSAGES("saran_tanggal", "id", n=6200, m=412365, pola="dd/mm/yyyy", kode="%d/%m/%Y")
    assert "6.200 dari 412.365 nilai" in got
    got = MESSAGES("xlsx_terlalu_besar", "en", n=412365, maks=200000)
    assert "412,365" in got and "200,000" in got
    got = MESSAGES("alasan_periode_sedikit", "id", n=1500, median=1234567)
    assert "1.500" in got and "1.234.567" in got and "e+" not in got
