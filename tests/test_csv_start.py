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
    # ASCII and one byte that is not UTF-8 read the same either way: Windows-1252 it is
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


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "cp1252"])
@pytest.mark.parametrize("numbered", [False, True])
def test_crlf_of_the_header_cut_by_the_sample(
    tmp_path: Path, encoding: str, numbered: bool
) -> None:
    # the sample ends between the \r and the \n of the last record before the data:
    # the \n is that record's, not an empty first record (rows once shifted by one)
    unit = len("a".encode(encoding)) - len("".encode(encoding))
    lead = len("".encode(encoding))  # a BOM
    last = "(1),(2),(3)\r" if numbered else "nip,catatan,nilai\r"
    before = "nip,catatan,nilai\r\n" if numbered else ""
    pad = (readers._SAMPLE_BYTES - lead) // unit - len(last) - len(before) - len(",,\r\n") - 6
    text = "Rekap " + "x" * pad + ",,\r\n" + before + last + "\n1,a,5\r\n2,b,6\r\n"
    data = text.encode(encoding)
    assert (
        data[readers._SAMPLE_BYTES - unit : readers._SAMPLE_BYTES] == "\r".encode(encoding)[lead:]
    )
    path = tmp_path / "potong.csv"
    path.write_bytes(data)
    cols, rows, t = _read(path)
    first = 4 if numbered else 3
    assert cols["nip"] == ["1", "2"] and rows == [first, first + 1]
    assert t.info.n_empty_rows == 0


def test_declared_header_row_past_the_search_rows(tmp_path: Path) -> None:
    titles = "".join(f"Catatan {i},,\n" for i in range(54))
    path = tmp_path / "jauh.csv"
    path.write_text(titles + BODY, encoding="utf-8")
    cols, rows, _ = _read(path, header_row=55)
    assert list(cols) == ["nip", "catatan", "nilai"] and rows == [56, 57, 58]


@pytest.mark.parametrize("late", [False, True])
def test_bytes_windows_1252_leaves_undefined_are_read(tmp_path: Path, late: bool) -> None:
    # 0x81 0x8D 0x8F 0x90 0x9D: Python's cp1252 refuses them, spreadsheets open the file
    filler = b"8,h,9\n" * 12_000 if late else b""
    path = tmp_path / "tak_terdefinisi.csv"
    path.write_bytes(b"nip,catatan,nilai\n1,Jos\xe9\x81,5\n" + filler + b"2,a\x8d\x9d,6\n")
    cols, rows, t = _read(path)
    assert cols["catatan"][0] == "Jos\xe9\x81" and cols["catatan"][-1] == "a\x8d\x9d"
    assert len(rows) == 2 + 12_000 * late


def test_record_longer_than_any_block_after_transcoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrow's block counts UTF-8 bytes: "…" is one Windows-1252 byte and three in UTF-8
    monkeypatch.setattr(readers, "_CSV_BLOCK_BYTES", 16)
    path = tmp_path / "panjang.csv"
    path.write_bytes(("nip,catatan,nilai\n1," + "\u2026" * 3000 + ",5\n").encode("cp1252"))
    cols, rows, _ = _read(path, encoding="cp1252")
    assert cols["catatan"] == ["\u2026" * 3000] and rows == [2]


@pytest.mark.parametrize("spelling", ["UTF-8", "utf8", "UTF_8"])
def test_declared_utf8_in_any_spelling_falls_back_per_byte(tmp_path: Path, spelling: str) -> None:
    path = tmp_path / "ejaan.csv"
    path.write_bytes((BODY + "8,h,9\n" * 12_000).encode() + b"9,caf\xe9,1\n")
    cols, _, t = _read(path, encoding=spelling)
    assert cols["catatan"][-1] == "café"
    assert "baca_cp1252" in [p.key for p in t.problems]


def test_a_declared_encoding_the_file_is_not_in_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "ascii.csv"
    path.write_bytes(b"nip,catatan,nilai\n1,caf\xe9,5\n")
    with pytest.raises(readers.SourceError) as err:
        read_source(path, SPEC, encoding="ascii")
    assert err.value.key == "file_rusak"


def test_reads_on_several_threads_restore_the_first_hook() -> None:
    import threading

    before = sys.unraisablehook
    inside, leave = threading.Barrier(3), threading.Event()

    def read() -> None:
        with readers._undecodable_rows([]):
            inside.wait()
            leave.wait()

    threads = [threading.Thread(target=read) for _ in range(2)]
    for th in threads:
        th.start()
    inside.wait()
    assert sys.unraisablehook is not before
    leave.set()
    for th in threads:
        th.join()
    assert sys.unraisablehook is before


def test_utf8_with_a_windows_1252_byte_in_the_sample_keeps_its_utf8(tmp_path: Path) -> None:
    # the whole file read as Windows-1252 would turn every "José" into "JosÃ©"
    path = tmp_path / "campuran.csv"
    path.write_bytes(
        "Judul: Rekap Ñ – 2025\nnip,catatan,nilai\n1,José,5\n".encode()
        + b"2,caf\xe9,6\n3,\x81x,7\n"
    )
    cols, rows, t = _read(path)
    assert cols["catatan"] == ["José", "café", "\x81x"] and rows == [3, 4, 5]
    assert [p.key for p in t.problems] == ["baca_utf8_cp1252"]
    assert t.info.encoding == readers.UTF8_WIN1252


def test_windows_1252_file_stays_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "win.csv"
    path.write_bytes("Judul Ñ\nnip,catatan,nilai\n1,José,5\n2,…,6\n".encode("cp1252"))
    cols, rows, t = _read(path)
    assert cols["catatan"] == ["José", "…"] and rows == [3, 4]
    assert [p.key for p in t.problems] == ["baca_cp1252"]


def test_header_behind_a_title_cell_longer_than_the_sample(tmp_path: Path) -> None:
    # a pasted text of 100 KB in a quoted title cell: the header is looked for further
    title = '"' + ("catatan panjang\n" * 6500) + '",,\n'
    path = tmp_path / "judul_panjang.csv"
    path.write_text(title + BODY, encoding="utf-8")
    assert path.stat().st_size > readers._SAMPLE_BYTES
    cols, rows, t = _read(path)
    assert list(cols) == ["nip", "catatan", "nilai"] and cols["nip"] == ["1", "2", "3"]
    assert rows == [3, 4, 5] and t.info.header_row == 2 and not t.broken


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
@pytest.mark.parametrize("declared", [False, True])
def test_header_past_the_sample_in_any_encoding(
    tmp_path: Path, encoding: str, declared: bool
) -> None:
    # an ASCII title of 70,000 characters: the sample says UTF-8, the data say otherwise
    text = '"' + "x" * 70_000 + '",,\n' + "nip,catatan,nilai\n1,Ma’ruf,2\n2,José,3\n"
    path = tmp_path / "jauh.csv"
    path.write_bytes(text.encode(encoding))
    cols, rows, t = _read(path, **({"header_row": 2} if declared else {}))
    assert cols["catatan"] == ["Ma’ruf", "José"] and rows == [3, 4]
    assert t.info.header_row == 2


def test_title_cell_longer_than_the_csv_field_limit(tmp_path: Path) -> None:
    path = tmp_path / "batas.csv"
    path.write_text('"' + "x" * 140_000 + '",,\n' + BODY, encoding="utf-8")
    cols, rows, _ = _read(path)
    assert cols["nip"] == ["1", "2", "3"] and rows == [3, 4, 5]
    assert csv.field_size_limit() == 131_072  # the module's limit is given back


def test_encoding_is_chosen_on_the_whole_file_not_its_first_64_kib(tmp_path: Path) -> None:
    # one Windows-1252 apostrophe early, UTF-8 text after the sample: UTF-8 with one
    # stray byte, not a Windows-1252 file ("Syafi’i" would become "Syafiâ€™i")
    filler = "".join(f"{100 + i},baris {i},1\n" for i in range(4000))
    path = tmp_path / "awal.csv"
    path.write_bytes(
        b"nip,catatan,nilai\n1,Ma\x92ruf,1\n"
        + filler.encode()
        + "9001,Syafi’i,2\n9002,José,3\n".encode()
    )
    assert path.stat().st_size > readers._SAMPLE_BYTES
    cols, _, t = _read(path)
    assert cols["catatan"][0] == "Ma’ruf" and cols["catatan"][-2:] == ["Syafi’i", "José"]
    assert [p.key for p in t.problems] == ["baca_utf8_cp1252"]


def test_windows_1252_file_with_a_pair_that_looks_like_utf8(tmp_path: Path) -> None:
    path = tmp_path / "pasangan.csv"
    path.write_bytes(
        "nip,catatan,nilai\n1,ANDRÉ\xa0X,1\n2,Ma’ruf,2\n3,SUHU 30°C,3\n".encode("cp1252")
    )
    cols, _, t = _read(path)
    assert cols["catatan"] == ["ANDRÉ\xa0X", "Ma’ruf", "SUHU 30°C"]
    assert [p.key for p in t.problems] == ["baca_cp1252"]


def test_encodings_are_named_for_people() -> None:
    assert readers.encoding_label(readers.UTF8_WIN1252) == "UTF-8 + Windows-1252"
    assert readers.encoding_label("cp1252") == "Windows-1252"
    assert readers.encoding_label("utf-16") == "utf-16"
