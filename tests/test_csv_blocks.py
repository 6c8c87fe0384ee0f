"""A CSV read in many blocks gives what a reader of the whole file gives.

Arrow parses a CSV in blocks on several threads (:func:`kinerja_analysis.data.readers.
_arrow_csv`). Two things could go wrong there and must not: a quoted value holding a line
break cut at a block's end, and broken lines reported in the threads' order instead of the
file's (each text must stay with its own row number). The block size is made small so a
small file spans hundreds of blocks; the reference is Python's ``csv`` module.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest

from kinerja_analysis.data import readers
from kinerja_analysis.data.readers import HeaderSpec, read_source

SPEC = HeaderSpec(("nip", "catatan", "nilai"), {})


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "_CSV_BLOCK_BYTES", 1 << 10)


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Arrow's reads of a test, each as its ``newlines_in_values`` (serial split)."""
    calls: list[bool] = []
    real = readers.pacsv.read_csv

    def counting(*a, **k):
        calls.append(k["parse_options"].newlines_in_values)
        return real(*a, **k)

    monkeypatch.setattr(readers.pacsv, "read_csv", counting)
    return calls


def _column(table: readers.RawTable, name: str) -> list[str | None]:
    col = table.columns[name]
    return [None if c < 0 else str(col.cats[c]) for c in col.codes]


def test_quoted_line_breaks_across_many_blocks(
    tmp_path: Path, small_blocks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    splits = _count_reads(monkeypatch)
    rng = np.random.default_rng(7)
    lines = ["nip,catatan,nilai"]
    for i in range(6000):
        note = f"baris {i}"
        if rng.random() < 0.3:  # a multi-line remark, as a text cell exported from Excel
            note = f'"catatan {i}\nlanjut, {i}\nakhir"'
        lines.append(f'"{100000 + i}",{note},{i % 97}')
    path = tmp_path / "catatan.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode())
    assert path.stat().st_size > 100 * readers._CSV_BLOCK_BYTES  # hundreds of blocks

    table = read_source(path, SPEC)
    assert splits == [False, True]  # a block's end cut a quoted value: read serially

    with path.open(newline="", encoding="utf-8") as fh:
        ref = list(csv.reader(fh))[1:]
    assert table.broken == []
    assert _column(table, "nip") == [r[0] for r in ref]
    assert _column(table, "catatan") == [r[1].strip() for r in ref]
    assert _column(table, "nilai") == [r[2] for r in ref]
    # spreadsheet row numbers count records, whatever line breaks they hold
    assert table.rows.tolist() == list(range(2, 2 + len(ref)))


@pytest.mark.parametrize("quoted", [False, True])
def test_broken_lines_keep_their_own_text_and_row(
    tmp_path: Path, small_blocks: None, quoted: bool
) -> None:
    q = '"' if quoted else ""
    lines = ["nip,catatan,nilai"]
    bad_rows = []
    for i in range(8000):
        extra = f",lebih {i}" if i % 97 == 5 else ""  # one field too many
        if extra:
            bad_rows.append(i + 2)  # the header is row 1
        lines.append(f"{q}{100000 + i}{q},baris {i},{i % 7}{extra}")
    path = tmp_path / "rusak.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    table = read_source(path, SPEC)

    assert [row for row, _, _ in table.broken] == bad_rows
    for row, text, n_fields in table.broken:
        assert f"baris {row - 2}," in text and text.endswith(f"lebih {row - 2}")
        assert n_fields == 4
    kept = [r for r in range(2, 8002) if r not in set(bad_rows)]
    assert table.rows.tolist() == kept
    assert _column(table, "catatan") == [f"baris {r - 2}" for r in kept]


def test_a_file_without_block_trouble_is_read_once(
    tmp_path: Path, small_blocks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _count_reads(monkeypatch)
    body = "".join(f'"{100000 + i}",baris {i},{i}\n' for i in range(3000))
    path = tmp_path / "bersih.csv"
    path.write_text("nip,catatan,nilai\n" + body, encoding="utf-8")
    table = read_source(path, SPEC)
    assert len(table.rows) == 3000
    assert calls == [False]  # quotes, but no line break in them: the parallel split


def test_reference_parser_agrees_on_a_small_file(tmp_path: Path) -> None:
    """The default block size reads the same file the same way (one block)."""
    text = 'nip,catatan,nilai\n"1","a\nb",2\n3,c,4\n'
    path = tmp_path / "kecil.csv"
    path.write_text(text, encoding="utf-8")
    table = read_source(path, SPEC)
    ref = list(csv.reader(io.StringIO(text)))[1:]
    assert _column(table, "catatan") == [r[1] for r in ref]
