"""A CSV read in many blocks gives what a reader of the whole file gives.

Arrow parses a CSV in blocks on several threads (:func:`kinerja_analysis.data.readers.
_arrow_csv`). Two things could go wrong there and must not: a quoted value holding a line
break cut at a block's end (a record silently misread), and broken lines reported in the
threads' order instead of the file's (each text must stay with its own row number). The
block size is made small so a small file spans hundreds of blocks; the reference is
Python's ``csv`` module.
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
    assert splits == [True]  # quotes: the serial split, once

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


def test_a_file_without_broken_lines_is_read_once(
    tmp_path: Path, small_blocks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _count_reads(monkeypatch)
    body = "".join(f'"{100000 + i}",baris {i},{i}\n' for i in range(3000))
    path = tmp_path / "bersih.csv"
    path.write_text("nip,catatan,nilai\n" + body, encoding="utf-8")
    table = read_source(path, SPEC)
    assert len(table.rows) == 3000
    assert calls == [True]  # quotes: split serially, once (no broken line to re-read)


def test_reference_parser_agrees_on_a_small_file(tmp_path: Path) -> None:
    """The default block size reads the same file the same way (one block)."""
    text = 'nip,catatan,nilai\n"1","a\nb",2\n3,c,4\n'
    path = tmp_path / "kecil.csv"
    path.write_text(text, encoding="utf-8")
    table = read_source(path, SPEC)
    ref = list(csv.reader(io.StringIO(text)))[1:]
    assert _column(table, "catatan") == [r[1] for r in ref]


@pytest.mark.parametrize(
    "multi_line",
    [
        '"999999",catatan,"85\nd,e,f"\n',  # the rest after the break has three fields
        '"999999",catatan,"\n\nd,e,f"\n',
        '"catatan\npertama",baris,1\n',  # a line break in the first column
    ],
)
@pytest.mark.parametrize("pad", range(40, 64, 3))
def test_a_rare_quoted_line_break_at_a_block_end_is_not_misread(
    tmp_path: Path, small_blocks: None, multi_line: str, pad: int
) -> None:
    """One multi-line value among plain rows, placed where a block ends: the parallel
    split would drop the record's beginning and read its rest as a record of its own,
    with no error (found by a reviewer); every record must read as ``csv`` reads it."""
    rows = [f'"{100000 + i}",baris {i},{i % 97}\n' for i in range(300)]
    text = "nip,catatan,nilai\n" + "".join(rows[:45]) + f'"1",{"x" * pad},1\n'
    text += multi_line + "".join(rows[45:])
    path = tmp_path / "jarang.csv"
    path.write_text(text, encoding="utf-8")
    table = read_source(path, SPEC)
    with path.open(newline="", encoding="utf-8") as fh:
        ref = list(csv.reader(fh))[1:]
    assert table.broken == [] and len(table.rows) == len(ref)
    for j, name in enumerate(("nip", "catatan", "nilai")):
        assert _column(table, name) == [r[j].strip() or None for r in ref]
    assert table.rows.tolist() == list(range(2, 2 + len(ref)))


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("quoted", [False, True])
def test_late_invalid_utf8_is_read_as_cp1252_and_said(
    tmp_path: Path, quoted: bool, bom: bytes
) -> None:
    """Bytes that are not UTF-8 beyond the sample the encoding is guessed from: the file
    is read again, those bytes as Windows-1252 where they stand and the UTF-8 text around
    them as UTF-8 (``José`` stays ``José``, not ``JosÃ©`` as a whole-file Windows-1252
    reading gave), and the result says so; a UTF-8 BOM in front does not become part of
    the first header ("ï»¿nip")."""
    q = '"' if quoted else ""
    body = "".join(f"{q}{100000 + i}{q},baris {i} José Ñoño,{i % 7}\n" for i in range(6000))
    path = tmp_path / "akhir.csv"
    head = bom + ("nip,catatan,nilai\n" + body).encode()
    path.write_bytes(head + "999,caf\xe9 Ñ,1\n".encode("cp1252") + "1000,José,2\n".encode())
    assert path.stat().st_size > readers._SAMPLE_BYTES
    table = read_source(path, SPEC)
    assert table.info.encoding == readers.UTF8_WIN1252 and "encoding" in table.info.detected
    assert [p.key for p in table.problems] == ["baca_utf8_cp1252"]
    notes = _column(table, "catatan")
    assert notes[-2:] == ["caf\xe9 Ñ", "José"] and len(table.rows) == 6002
    assert notes[0] == "baris 0 José Ñoño"
    assert list(table.columns) == ["nip", "catatan", "nilai"]


def test_carriage_return_line_ends(tmp_path: Path) -> None:
    """Old Mac line ends (CR only) read like LF ones, not a bare ``csv`` error."""
    path = tmp_path / "cr.csv"
    path.write_bytes(b'nip,catatan,nilai\r"1","a",2\r3,b,4\r')
    table = read_source(path, SPEC)
    assert table.rows.tolist() == [2, 3]
    assert _column(table, "catatan") == ["a", "b"]


@pytest.mark.parametrize("end", ["", "\n", "\r\n"])
def test_a_header_only_file_is_an_empty_table(tmp_path: Path, end: str) -> None:
    """A file that ends on its header, with or without a line break after it, has no
    records (Arrow cannot skip a header line that has no line end)."""
    path = tmp_path / "kosong.csv"
    path.write_text(f'"nip","catatan","nilai"{end}', encoding="utf-8", newline="")
    table = read_source(path, SPEC)
    assert len(table.rows) == 0 and table.broken == []
    assert list(table.columns) == ["nip", "catatan", "nilai"]


def test_late_cp1252_fallback_says_each_thing_once(tmp_path: Path) -> None:
    """The second (Windows-1252) pass finds the numbering row again: said once."""
    body = "".join(f"{100000 + i},baris {i},{i % 7}\n" for i in range(9000))
    path = tmp_path / "nomor.csv"
    path.write_bytes(("nip,catatan,nilai\n(1),(2),(3)\n" + body).encode() + b"9000,caf\xe9,1\n")
    keys = [p.key for p in read_source(path, SPEC).problems]
    assert sorted(keys) == ["baca_cp1252", "baris_nomor_kolom"]
