"""Where a CSV's records begin: title rows, the header and the encodings around them.

The reader finds the header among the first records and hands Arrow the bytes after it
(:func:`kinerja_analysis.data.readers._csv_records`, ``_byte_offset``). Each case here
once shifted or lost a record silently, or failed a readable file: a title cell holding a
character that ``str.splitlines`` breaks at but a CSV reader does not, a quoted line break
in a title or header cell, a UTF-16 file whose header has no final line break, a record
longer than Arrow's block, a Windows-1252 byte in a broken line. The reference is
Python's ``csv`` module over the whole decoded file.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pytest

from kinerja_analysis.data import readers
from kinerja_analysis.data.readers import HeaderSpec, read_source

SPEC = HeaderSpec(("nip", "catatan", "nilai"), {})
BODY = "nip,catatan,nilai\n1,a,5\n2,b,6\n3,c,7\n"


def _read(path: Path, **kw) -> tuple[dict[str, list[str | None]], list[int], readers.RawTable]:
    t = read_source(path, SPEC, **kw)
    cols = {
        k: [None if c < 0 else str(col.cats[c]) for c in col.codes] for k, col in t.columns.items()
    }
    return cols, [int(r) for r in t.rows], t


def _reference(text: str, header_at: int) -> tuple[list[list[str]], list[int]]:
    """Records after the header and their spreadsheet row numbers (1-based records)."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    records = rows[header_at + 1 :]
    return records, list(range(header_at + 2, header_at + 2 + len(records)))


@pytest.mark.parametrize(
    "mark", ["\x0c", "\x0b", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
)
def test_title_cell_with_a_splitlines_break_keeps_every_record(tmp_path: Path, mark: str) -> None:
    text = f"Rekap Kinerja{mark}Triwulan IV,,\nDinas{mark}X,,\n" + BODY
    path = tmp_path / "judul.csv"
    path.write_bytes(text.encode("utf-8"))
    cols, rows, _ = _read(path)
    records, numbers = _reference(text, 2)
    assert cols["nip"] == [r[0] for r in records] == ["1", "2", "3"]
    assert cols["nilai"] == ["5", "6", "7"]
    assert rows == numbers == [4, 5, 6]


@pytest.mark.parametrize(
    "head",
    [
        '"Rekap Kinerja\nTriwulan IV",,\n' + BODY,
        '"Rekap\r\nKinerja",,\r\n' + BODY.replace("\n", "\r\n"),
        'nip,"cata\ntan",nilai\n1,a,5\n2,b,6\n3,c,7\n',
        '"Judul ""dengan"" kutip\nbaris dua",,\n"catatan\nlain",,\n' + BODY,
    ],
)
def test_quoted_line_break_before_the_data(tmp_path: Path, head: str) -> None:
    path = tmp_path / "kutip.csv"
    path.write_bytes(head.encode("utf-8"))
    cols, rows, t = _read(path)
    header_at = next(
        i for i, r in enumerate(csv.reader(io.StringIO(head, newline=""))) if r[0] == "nip"
    )
    records, numbers = _reference(head, header_at)
    assert cols["nip"] == [r[0] for r in records] == ["1", "2", "3"]
    assert rows == numbers
    assert not t.broken


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_wide_encodings_with_title_rows(tmp_path: Path, encoding: str) -> None:
    text = "Laporan Kinerja\n\n" + BODY
    path = tmp_path / "lebar.csv"
    path.write_bytes(text.encode(encoding))
    cols, rows, _ = _read(path)
    assert cols["nip"] == ["1", "2", "3"] and cols["catatan"] == ["a", "b", "c"]
    assert rows == [4, 5, 6]


def test_utf16_big_endian_bom_is_read_past_the_header(tmp_path: Path) -> None:
    # data are read from an offset past the header, where no BOM stands any more
    path = tmp_path / "be.csv"
    path.write_bytes(b"\xfe\xff" + ("Judul\n" + BODY).encode("utf-16-be"))
    cols, rows, _ = _read(path)
    assert cols["catatan"] == ["a", "b", "c"] and rows == [3, 4, 5]


def test_utf16_title_and_header_without_final_line_break(tmp_path: Path) -> None:
    path = tmp_path / "kosong.csv"
    path.write_bytes("Laporan\nnip,catatan,nilai".encode("utf-16"))
    cols, rows, _ = _read(path)
    assert cols == {"nip": [], "catatan": [], "nilai": []} and rows == []


def test_large_file_sample_cut_inside_a_wide_character(tmp_path: Path) -> None:
    # the first 64 KiB end inside a record (and a UTF-16 code unit): the header is still
    # found and no record is lost or doubled
    lines = [f"{i},catatan ke-{i} é,{i % 9}" for i in range(6000)]
    text = "Judul\n" + "nip,catatan,nilai\n" + "\n".join(lines) + "\n"
    path = tmp_path / "besar.csv"
    path.write_bytes(text.encode("utf-16"))
    cols, rows, _ = _read(path)
    assert cols["nip"] == [str(i) for i in range(6000)]
    assert cols["catatan"][-1] == "catatan ke-5999 é"
    assert rows == list(range(3, 6003))


def test_record_longer_than_a_block(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "_CSV_BLOCK_BYTES", 1 << 10)
    long = "x" * 20_000
    text = f'nip,catatan,nilai\n1,"{long}",5\n2,b,6\n'
    path = tmp_path / "panjang.csv"
    path.write_text(text, encoding="utf-8")
    cols, rows, _ = _read(path)
    assert cols["catatan"] == [long, "b"] and rows == [2, 3]


def test_windows_1252_byte_in_a_broken_line_late_in_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Arrow cannot hand the broken line over as UTF-8 text; the file is Windows-1252
    head = (BODY + "8,h,9\n" * 20_000).encode()
    path = tmp_path / "cp.csv"
    path.write_bytes(head + b"4,caf\xe9,x,y\n5,z,1\n")
    cols, rows, t = _read(path)
    assert len(rows) == 3 + 20_000 + 1
    assert cols["nip"][-1] == "5" and rows[-1] == 20_006
    assert [(r, text) for r, text, _ in t.broken] == [(20_005, "4,café,x,y")]
    assert "baca_cp1252" in [p.key for p in t.problems]
    assert "Exception ignored" not in capsys.readouterr().err


def test_other_unraisable_exceptions_still_reach_the_hook() -> None:
    seen: list[BaseException] = []
    with readers._undecodable_rows(seen):
        hook = sys.unraisablehook
    assert hook is not sys.unraisablehook  # restored
    called: list[object] = []
    previous = sys.unraisablehook
    sys.unraisablehook = called.append
    try:
        with readers._undecodable_rows(seen):
            sys.unraisablehook(type("U", (), {"exc_value": ValueError("x")})())
            sys.unraisablehook(
                type("U", (), {"exc_value": UnicodeDecodeError("utf-8", b"", 0, 1, "x")})()
            )
    finally:
        sys.unraisablehook = previous
    assert len(called) == 1 and len(seen) == 1


@pytest.mark.parametrize("header_row", [2, 3])
def test_explicit_header_row_counts_records_not_lines(tmp_path: Path, header_row: int) -> None:
    text = '"Judul\nbaris dua",,\n' + ("Keterangan,,\n" if header_row == 3 else "") + BODY
    path = tmp_path / "eksplisit.csv"
    path.write_text(text, encoding="utf-8")
    cols, rows, _ = _read(path, header_row=header_row)
    assert cols["nip"] == ["1", "2", "3"]
    assert rows == [header_row + 1, header_row + 2, header_row + 3]
