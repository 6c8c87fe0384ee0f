"""The naming rule for errors (README, contributor section): an error meant for a
programmer is plain English; a message for an analyst is a project exception
(:mod:`kinerja_analysis.core.errors`) whose text comes from a catalogue in Indonesian and
English. So no ``raise`` of a builtin exception type in the package carries Indonesian.

The scan reads every ``raise`` of a builtin exception (``ValueError``, ``KeyError``…)
and looks for common Indonesian words in the string constants of the raised call
(f-string parts included). Text from a catalogue is not a constant there and is not
read; project exceptions (``DatasetError``, ``PeriodError``, ``NotEstimable``…) are
not builtin and are not read either.
"""

from __future__ import annotations

import ast
import builtins
import re
from pathlib import Path

import pytest

import kinerja_analysis

PACKAGE = Path(kinerja_analysis.__file__).parent

#: Common Indonesian words that no English message uses (a word is ``\w+``, so an
#: identifier such as ``tabel_x`` or ``kolom_nilai`` is one word and does not count).
INDONESIAN = frozenset(
    "harus tidak bukan kolom berkas tabel boleh membutuhkan ada atau dan untuk kosong "
    "nilai perlu minimal dengan yang pada dari lebih hanya punya dikenal ganda".split()
)

#: Builtin exception types (``ValueError``, ``KeyError``, ``FileNotFoundError``…).
BUILTIN_ERRORS = frozenset(
    name
    for name, obj in vars(builtins).items()
    if isinstance(obj, type) and issubclass(obj, BaseException)
)

#: ``(path relative to the package, enclosing function)`` of raises allowed to carry
#: Indonesian, each with its reason.
EXEMPT: dict[tuple[str, str], str] = {}


def _raised_name(node: ast.Raise) -> str | None:
    exc = node.exc
    target = exc.func if isinstance(exc, ast.Call) else exc
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    return None


def indonesian_raises(source: str, filename: str = "<string>") -> list[tuple[int, str, str, str]]:
    """``(line, enclosing function, exception type, Indonesian words)`` of every raise of
    a builtin exception whose string constants hold Indonesian words."""
    found = []

    def visit(node: ast.AST, where: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                visit(child, f"{where}.{child.name}" if where else child.name)
                continue
            if isinstance(child, ast.Raise) and child.exc is not None:
                name = _raised_name(child)
                strings = [
                    n.value
                    for n in ast.walk(child.exc)
                    if isinstance(n, ast.Constant) and isinstance(n.value, str)
                ]
                words = {w for s in strings for w in re.findall(r"\w+", s.lower())}
                words &= INDONESIAN
                if name in BUILTIN_ERRORS and words:
                    found.append((child.lineno, where, name, ", ".join(sorted(words))))
            visit(child, where)

    visit(ast.parse(source, filename), "")
    return sorted(found)


def test_the_scan_finds_indonesian_in_builtin_raises_only():
    src = (
        "def f(x):\n"
        "    if x:\n"
        "        raise ValueError(f'kolom {x!r} tidak ada')\n"
        "    raise KeyError('bagian ' + x + ' harus diisi')\n"
        "def g(x):\n"
        "    raise DatasetError(f'kolom {x} tidak ada')\n"  # a project exception: not read
        "def h(x):\n"
        "    raise ValueError(f'column {x!r} is missing; tabel_x and kolom_nilai are names')\n"
        "def k(x):\n"
        "    raise ValueError(MESSAGES('kolom_tidak_ada', 'id'))\n"  # a catalogue key
    )
    assert indonesian_raises(src) == [
        (3, "f", "ValueError", "ada, kolom, tidak"),
        (4, "f", "KeyError", "harus"),
    ]


def test_no_builtin_exception_of_the_package_speaks_indonesian():
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 50  # the whole package is read
    problems, seen = [], set()
    for path in files:
        rel = path.relative_to(PACKAGE).as_posix()
        for line, where, name, words in indonesian_raises(path.read_text("utf-8"), rel):
            seen.add((rel, where))
            if (rel, where) not in EXEMPT:
                problems.append(f"{rel}:{line} ({where}): {name} with Indonesian ({words})")
    assert not problems, (
        "errors for programmers are English; a message for an analyst is a project "
        "exception with catalogue text:\n" + "\n".join(problems)
    )
    assert not set(EXEMPT) - seen, "stale exemptions"


# ----------------------------------------------------------------------------- analysts' errors
# What an analyst asked for that the data do not have is a project exception whose text
# comes from a catalogue, in the language of the run.


def test_notebook_setup_errors_speak_the_notebook_language(city_300, tmp_path):
    from kinerja_analysis.core.errors import DatasetError, ParameterError, PeriodError
    from kinerja_analysis.reporting.notebook import check_period, resolve_data_dir, tables_for

    ds = city_300.ds
    with pytest.raises(PeriodError, match=r"periode 2031Q1 tidak ada dalam data \(tersedia: "):
        check_period(ds, "2031Q1")
    with pytest.raises(PeriodError, match=r"period 2031Q1 is not in the data \(available: "):
        check_period(ds, "2031Q1", "en")
    with pytest.raises(PeriodError, match="triwulan ke-9"):  # the parser's own words
        check_period(ds, "2025Q9")
    with pytest.raises(PeriodError, match=r"^'2025Q9' is not a period code"):
        check_period(ds, "2025Q9", "en")
    with pytest.raises(ParameterError, match=r"^OPD 'Dinas Fiktif' tidak ada dalam data"):
        tables_for(ds, "Dinas Fiktif")
    with pytest.raises(ParameterError, match=r"^OPD 'Dinas Fiktif' is not in the pegawai data"):
        tables_for(ds, "Dinas Fiktif", "en")
    missing = tmp_path / "tidak-ada"
    with pytest.raises(DatasetError, match="Folder data tidak ditemukan: .*ubah parameter"):
        resolve_data_dir(missing)
    with pytest.raises(DatasetError, match="Data folder not found: .*change the data_dir"):
        resolve_data_dir(missing, "en")
    assert issubclass(ParameterError, ValueError)  # callers that caught ValueError still do


def test_validation_output_inside_the_raw_data_is_refused_in_the_report_language(city_300):
    import dataclasses

    from kinerja_analysis.core.errors import DatasetError

    report = dataclasses.replace(city_300.ds.validation, bahasa="en")
    raw = city_300.data_dir
    with pytest.raises(DatasetError, match="may not be inside the raw data folder"):
        report.write(raw / "validasi", raw)
    assert not (raw / "validasi").exists()


def test_batch_period_not_in_the_data_speaks_the_batch_language(city_300, tmp_path, monkeypatch):
    """A requested period the quick scan could not check (no period file it can read) is
    refused after validation, as a PeriodError in the batch's language."""
    from typer.testing import CliRunner

    from kinerja_analysis.pipeline import batch
    from kinerja_analysis.pipeline.cli import app

    monkeypatch.setattr(batch, "scan_period_values", lambda *a, **k: None)
    monkeypatch.setattr(batch, "load_dataset", lambda *a, **k: city_300.ds)
    for bahasa, words in (("id", "tidak ada dalam data"), ("en", "not in the data")):
        out = tmp_path / f"out-{bahasa}"
        args = ["batch", "--data", str(city_300.data_dir), "--out", str(out)]
        args += ["--cache", str(tmp_path / f"cache-{bahasa}"), "--periode", "2031Q1"]
        r = CliRunner().invoke(app, [*args, "--bahasa", bahasa, "--notebook", "00"])
        text = " ".join(r.output.split())
        assert r.exit_code == 2, r.output
        assert words in text and "2031Q1" in text and "Traceback" not in r.output, text


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_a_missing_data_folder_is_named_as_the_analyst_gave_it(tmp_path, bahasa):
    """``validate ekspor/pegawai.csv`` or ``../salah/data``: the message names the path
    given, not its last part (which named another folder, or a file, as missing)."""
    from kinerja_analysis.core.errors import DatasetError
    from kinerja_analysis.data.loading import load_dataset, validate_dataset

    (tmp_path / "ekspor").mkdir()
    (tmp_path / "ekspor" / "pegawai.csv").write_text("nip\n", encoding="utf-8")
    for given in (tmp_path / "ekspor" / "pegawai.csv", tmp_path / "salah" / "data"):
        for call in (validate_dataset, load_dataset):
            with pytest.raises(DatasetError) as info:
                call(given, bahasa=bahasa)
            assert str(given) in str(info.value)


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_a_notebook_never_writes_inside_the_raw_data(city_300, tmp_path, bahasa):
    """The notebook's ``output_dir`` or ``doc.write_workbook(path)`` inside the data
    folder is refused in the run's language (the batch and validate refuse theirs): raw
    data are never modified."""
    import shutil

    from kinerja_analysis.core.errors import ParameterError
    from kinerja_analysis.reporting.notebook import setup

    raw = tmp_path / "kota"
    shutil.copytree(city_300.data_dir, raw)
    before = sorted(p.relative_to(raw) for p in raw.rglob("*"))
    word = {"id": "data mentah", "en": "raw data"}[bahasa]
    with pytest.raises(ParameterError, match=word):
        setup(
            periode=city_300.ds.periods[-1], data_dir=raw, output_dir=raw / "keluar", bahasa=bahasa
        )
    doc = setup(periode=city_300.ds.periods[-1], data_dir=raw, bahasa=bahasa)
    doc.save(city_300.ds.pegawai[["opd"]].value_counts().reset_index(), "contoh")
    with pytest.raises(ParameterError, match=word):
        doc.write_workbook(raw / "tabel.xlsx")
    assert doc.write_workbook(tmp_path / "tabel.xlsx").is_file()
    assert sorted(p.relative_to(raw) for p in raw.rglob("*")) == before
