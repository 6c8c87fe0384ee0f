"""Reading one source file (CSV, XLSX, Parquet) into columns of codes, structure reported.

The reader is the first half of the columnar loader (:mod:`kinerja_analysis.data.loading`);
the second half, :mod:`kinerja_analysis.data.validation`, parses and checks the columns.

Engine: **pyarrow**, chosen over polars and DuckDB because (1) it is already a dependency
(Parquet, the batch cache): no second columnar engine in the lock file; (2) its CSV reader
is typed and multi-threaded, reads each column *dictionary-encoded* (``dictionary<int32,
string>``) and hands broken lines to a callback instead of failing the file; (3) its
strings become pandas' Arrow-backed ``string`` columns — what the rest of the package
works with — without a copy, where polars or DuckDB results would be converted; (4) the
same library writes and reads the partitioned Parquet store
(:mod:`kinerja_analysis.data.engine`). Dictionary encoding is what keeps memory near the
file's size: a column of 26 million 360° ratings is 26 million 4-byte codes plus its few
distinct texts, and every rule runs once per distinct text and is spread to the rows by
indexing (:class:`RawColumn`). Measured with ``bench/bench_validate.py`` on 2 cores:
100,000 ASN × 8 quarters (2.8 GB of CSV, 36 million rows) validated in 35–42 s wall on a
quiet day and 51–67 s on a slow one, at 3.3 GiB peak RSS (1.2× the CSV; README,
*Benchmarks at scale*).

What is detected and reported (never guessed silently), in :class:`ReadInfo`:

- **encoding** — UTF-8 (with or without BOM), UTF-16 (BOM, or NUL bytes in the text
  without one), otherwise Windows-1252;
- **binary content** — a ``.csv`` whose first bytes are no text (random bytes, a
  workbook, archive, PDF or image renamed; :func:`binary_content`) is not read as
  Windows-1252 garbage: :class:`SourceError` ``file_biner_tanda`` / ``file_biner_kendali``;
- **delimiter** — ``,`` ``;`` tab or ``|``: the one that makes the header line match the
  expected column names, else the one that splits the first lines most consistently;
- **header row** — title rows above the header (``DAFTAR PEGAWAI NEGERI SIPIL``) are
  skipped: the header is the row among the first 30 whose cells match most expected
  names (CSV and XLSX);
- **sheet** (XLSX) — the named sheet (if it does not exist, the error lists the sheets
  that do), otherwise the sheet whose header matches best, so an instructions sheet in
  front is not read as data, **together with every other sheet holding the required
  columns** (``SKP 2024`` and ``SKP 2025``; ``Pegawai Aktif`` and ``Pegawai
  Pensiun``), stacked in workbook order, each row's messages naming its sheet
  (``Realisasi SKP.xlsx [SKP 2025] baris 7``); a column one sheet lacks is empty on its
  rows (a warning names them); an old copy of a sheet (:func:`_copies`), a hidden sheet
  and an example sheet (:func:`looks_like_example`) are not read, each with a warning;
  merged header cells take the
  merged cell's text; **merged cells of the data area** (a ``Unit Kerja`` cell merged
  over its OPD's rows) are read as Excel shows them, the value on every row of the
  range, and a warning names the ranges; formula
  cells without a cached value and Excel error values (``#REF!``) are flagged; the
  workbook's **date system** (1900, or 1904 when ``date1904`` is set; openpyxl's
  ``Workbook.epoch``), which the serial numbers of a date column are read in;
- **empty rows** (``;;;;;`` as Excel writes them) are skipped and counted; **broken
  rows** (an unquoted delimiter inside a value) are set aside with their row number and
  text, the rest of the file is read;
- **duplicate headers** — several columns for one canonical column (:func:`_name_columns`):
  identical contents are kept once, columns that never disagree on a row are merged, an
  optional column's disagreeing cells are emptied row by row, the first of one header
  written twice is kept for an optional or free-text column (each a warning); a key or
  required column whose columns disagree is a structural error;
- **ignored and unused headers** — a header the mapping ignores (``abaikan``) is never
  read; the columns set aside are listed in :attr:`RawTable.set_aside`.

Row numbers are those a spreadsheet shows: the header row's number plus the record's
position (header on row 1 → first data row 2).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import dataclasses
import encodings.cp1252
import io
import json
import mmap
import re
import sys
import threading
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from kinerja_analysis.core.deprecation import renamed_keywords
from kinerja_analysis.core.periods import PeriodError, parse_period_text

__all__ = [
    "RawColumn",
    "RawTable",
    "ReadInfo",
    "Problem",
    "SourceError",
    "read_source",
    "binary_content",
    "detect_encoding",
    "detect_number_format",
    "header_names",
    "normalise_header",
    "sheet_label",
]

#: How many leading rows are searched for the header.
HEADER_SEARCH_ROWS = 30
_DELIMITERS = (",", ";", "\t", "|")
#: The error values a spreadsheet cell shows when its formula fails (Excel's, as
#: LibreOffice writes them too): an XLSX cell holding one is flagged and read as empty
#: (``sel_galat_excel``); a text cell of a CSV holding one is warned of by the
#: validator (``teks_galat_excel``), ``#N/A`` there being a placeholder (:data:`PLACEHOLDERS`).
EXCEL_ERRORS = frozenset(
    {"#REF!", "#VALUE!", "#DIV/0!", "#N/A", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
     "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#GETTING_DATA"}
)  # fmt: skip
_SAMPLE_BYTES = 1 << 16
#: The largest sample searched for a header the first one did not hold.
_MAX_SAMPLE_BYTES = 1 << 24
#: Bytes Arrow parses per block of a CSV (tests set it small to cut a file into many).
_CSV_BLOCK_BYTES = 1 << 23

#: Windows-1252 as browsers and spreadsheets decode it (WHATWG): the five bytes Python's
#: ``cp1252`` leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) become the C1 control
#: characters of the same number instead of an error, so one such byte in an export
#: never makes the whole file unreadable.
_WIN1252_TABLE = "".join(
    chr(i) if c == "\ufffe" else c for i, c in enumerate(encodings.cp1252.decoding_table)
)
_WIN1252_ENCODING = codecs.charmap_build(_WIN1252_TABLE)
#: Codec names this module registers (see :func:`_codec_search`).
WIN1252 = "kinerja_cp1252"
UTF8_WIN1252 = "kinerja_utf8_cp1252"
_UTF8 = frozenset({"utf-8", "utf-8-sig"})


def _win1252_bytes(exc: UnicodeError) -> tuple[str, int]:
    """Error handler: bytes that are not UTF-8 are read as Windows-1252."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return codecs.charmap_decode(bad, "strict", _WIN1252_TABLE)[0], exc.end


codecs.register_error(UTF8_WIN1252, _win1252_bytes)


class _Win1252Decoder(codecs.IncrementalDecoder):
    def decode(self, input: bytes, final: bool = False) -> str:  # noqa: A002 - codecs API
        return codecs.charmap_decode(input, "strict", _WIN1252_TABLE)[0]


def _utf8_win1252_decoder(errors: str = "strict") -> codecs.IncrementalDecoder:
    # the handler replaces any ``errors`` asked for: no byte fails, none is lost
    return codecs.getincrementaldecoder("utf-8")(errors=UTF8_WIN1252)


def _codec_search(name: str) -> codecs.CodecInfo | None:
    """Two read-only codecs for exports:

    - ``kinerja_cp1252``: Windows-1252 decoded as WHATWG does (:data:`_WIN1252_TABLE`);
    - ``kinerja_utf8_cp1252``: UTF-8 in which each byte sequence that is not UTF-8 is read
      as Windows-1252 — a UTF-8 export into which a few Windows-1252 bytes were typed or
      pasted keeps its UTF-8 text (``José``) instead of being re-read whole as
      Windows-1252 (``JosÃ©``).

    Registered by name with :func:`codecs.register` because Arrow's CSV reader
    transcodes other encodings through Python codecs looked up by name.
    """
    if name == WIN1252:
        return codecs.CodecInfo(
            name=WIN1252,
            encode=lambda s, errors="strict": codecs.charmap_encode(s, errors, _WIN1252_ENCODING),
            decode=lambda b, errors="strict": codecs.charmap_decode(b, "strict", _WIN1252_TABLE),
            incrementaldecoder=_Win1252Decoder,
        )
    if name == UTF8_WIN1252:
        return codecs.CodecInfo(
            name=UTF8_WIN1252,
            encode=codecs.utf_8_encode,
            decode=lambda b, errors="strict": codecs.utf_8_decode(b, UTF8_WIN1252, True),
            incrementaldecoder=_utf8_win1252_decoder,
        )
    return None


codecs.register(_codec_search)


class SourceError(Exception):
    """A file cannot be read at all; ``key`` and ``fields`` select the catalogue message."""

    def __init__(self, key: str, **fields: Any) -> None:
        super().__init__(key)
        self.key = key
        self.fields = fields


@renamed_keywords(kolom="column", nilai="value", baris="row")
@dataclass(frozen=True)
class Problem:
    """A structural finding about a file: ``key`` into the message catalogue, its fields,
    the level (``fatal`` = the table cannot be used, ``peringatan``, ``info``), the
    column it concerns (canonical name, or the header as written), the cell's text
    (``value``) and the file's row number (``row``, ``None`` for the whole file).

    The old field names ``kolom``, ``nilai`` and ``baris`` still work for one release
    (constructor keywords and attribute reads, with a ``DeprecationWarning``)."""

    key: str
    level: str
    column: str = ""
    value: str = ""
    row: int | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)
    #: The sheet of ``row`` where a table is read from several sheets of a workbook
    #: (:attr:`ReadInfo.sheets_read`), else ``None``.
    sheet: str | None = None


@dataclass(frozen=True)
class ReadInfo:
    """How a file was read: what was declared, what was detected."""

    file: str
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    header_row: int = 1
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    n_empty_rows: int = 0
    detected: tuple[str, ...] = ()  # names of the settings that were detected
    #: Excel date system of an XLSX workbook (1900 or 1904); ``None`` where the file does
    #: not record one (CSV, Parquet).
    date_system: int | None = None
    #: The sheets whose rows were read and stacked, in workbook order, when the table
    #: comes from more than one sheet of a workbook (``sheet`` is the first); else ``()``.
    sheets_read: tuple[str, ...] = ()
    #: Columns (1-based positions) hidden in Excel on every sheet read that has them.
    hidden_columns: tuple[int, ...] = ()
    #: Keys of a one-column key (a register's NIP, separators removed) held only by a
    #: sheet set aside as a copy or an archive (``sheet_salinan``): ``(key, sheet, row)``,
    #: sorted; another table's row naming one is told where its employee stands.
    copy_keys: tuple[tuple[str, str, int], ...] = ()


class RawColumn:
    """One column as read: distinct texts and one code per row, plus numeric cells.

    Attributes
    ----------
    name
        Canonical name after the mapping (or the header text when unmapped).
    header
        The header as written in the file.
    position
        1-based column position in the file.
    codes
        ``int32`` array, one per row: index into ``cats``; ``-1`` = empty or a numeric
        cell whose text is not needed.
    cats
        Distinct cell texts (stripped, the spreadsheet's leading apostrophe removed,
        never empty), ``object`` array.
    num
        ``float64`` values of cells that were numbers in the file (XLSX/Parquet), ``NaN``
        elsewhere; ``None`` for CSV.
    """

    __slots__ = ("name", "header", "position", "codes", "cats", "num")

    def __init__(
        self,
        name: str,
        header: str,
        position: int,
        codes: np.ndarray,
        cats: np.ndarray,
        num: np.ndarray | None = None,
    ) -> None:
        self.name, self.header, self.position = name, header, position
        self.codes, self.cats, self.num = codes, cats, num

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def is_num(self) -> np.ndarray:
        """Rows whose cell was a number in the file (always False for CSV)."""
        if self.num is None:
            return np.zeros(len(self.codes), dtype=bool)
        return ~np.isnan(self.num)

    @property
    def present(self) -> np.ndarray:
        """Rows with a value (text or number)."""
        return (self.codes >= 0) | self.is_num

    def text(self, rows: np.ndarray | None = None) -> np.ndarray:
        """The cell text of ``rows`` (all rows if ``None``) as it would show in a CSV;
        empty cells give ``""``."""
        codes = self.codes if rows is None else self.codes[rows]
        out = np.full(len(codes), "", dtype=object)
        ok = codes >= 0
        out[ok] = self.cats[codes[ok]]
        if self.num is not None:
            num = self.num if rows is None else self.num[rows]
            isn = ~np.isnan(num) & ~ok
            if isn.any():
                out[isn] = [number_text(v) for v in num[isn]]
        return out

    def with_texts(self) -> RawColumn:
        """A copy whose numeric cells also have their text in ``cats``/``codes`` (for
        columns read as text: identifiers, names, categories)."""
        if self.num is None:
            return self
        isn = ~np.isnan(self.num) & (self.codes < 0)
        if not isn.any():
            return RawColumn(self.name, self.header, self.position, self.codes, self.cats, None)
        uniq, inv = np.unique(self.num[isn], return_inverse=True)
        texts = np.array([number_text(v) for v in uniq], dtype=object)
        all_cats = np.concatenate([self.cats, texts])
        codes = self.codes.copy()
        codes[isn] = len(self.cats) + inv.astype(np.int32)
        cats, remap = _unique_texts(all_cats)
        codes = remap_codes(codes, remap)
        return RawColumn(self.name, self.header, self.position, codes, cats, self.num)


@dataclass
class RawTable:
    """A file read into :class:`RawColumn` s.

    ``rows`` are the spreadsheet row numbers of the data rows kept (empty rows and broken
    lines removed); ``broken`` lists the broken lines ``(row, text, n_fields)``.
    """

    file: str
    columns: dict[str, RawColumn]
    rows: np.ndarray
    info: ReadInfo
    problems: list[Problem]
    broken: list[tuple[int, str, int]] = field(default_factory=list)
    n_header_fields: int = 0
    #: Columns of the file the reader did not keep: ``(header, position, why)`` with
    #: ``why`` ``"abaikan"`` (the mapping ignores the header) or ``"ganda"`` (a second
    #: column under a header already read, with other contents).
    set_aside: list[tuple[str, int, str]] = field(default_factory=list)
    #: Where the rows come from several sheets (:attr:`ReadInfo.sheets_read`): each row's
    #: sheet, an index into ``info.sheets_read``; ``None`` for one sheet or a CSV/Parquet.
    row_sheet: np.ndarray | None = None
    #: Sheets shown under another name in every message, rejected row and summary: a
    #: sheet named after an employee is shown by its place in the workbook (``#17``),
    #: set once the register is known (:func:`~kinerja_analysis.data.rules.mask_issues`).
    sheet_alias: dict[str, str] = field(default_factory=dict)

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def stacked(self) -> bool:
        """Whether the rows come from more than one sheet."""
        return self.row_sheet is not None

    def shown(self, sheet: str) -> str:
        """A sheet's name as messages show it (:attr:`sheet_alias`)."""
        return self.sheet_alias.get(sheet, sheet)

    def labels(self) -> tuple[str, ...]:
        """The file label of each sheet read (:func:`sheet_label`), or ``(file,)``."""
        if self.row_sheet is None:
            return (self.file,)
        return tuple(sheet_label(self.file, self.shown(s)) for s in self.info.sheets_read)

    def file_at(self, pos: np.ndarray) -> np.ndarray | str:
        """The file label of the rows at positions ``pos``: the file's name, or for rows
        stacked from several sheets ``"file.xlsx [sheet]"`` (one text per position) — what
        every message, rejected row and root cause names, so that a row number is found
        in Excel on the right sheet."""
        if self.row_sheet is None:
            return self.file
        labels = np.array(self.labels(), dtype=object)
        return labels[self.row_sheet[np.asarray(pos, dtype=np.int64)]]

    def file_of(self, i: int) -> str:
        """The file label of the row at position ``i`` (:meth:`file_at`)."""
        if self.row_sheet is None:
            return self.file
        return sheet_label(self.file, self.shown(self.info.sheets_read[int(self.row_sheet[i])]))

    def row_ref(self, i: int) -> int | str:
        """Row ``i`` (a position) as another row's message names it: the spreadsheet row
        number, with its sheet where the rows come from several sheets (``"20 (sheet
        'Pegawai Aktif')"``)."""
        row = int(self.rows[i])
        if self.row_sheet is None:
            return row
        return f"{row} (sheet '{self.shown(self.info.sheets_read[int(self.row_sheet[i])])}')"

    def position(self, row: int, sheet: str | None = None) -> int | None:
        """The position of spreadsheet row ``row`` (of ``sheet``, for stacked rows), or
        ``None`` when that row is not among the table's rows."""
        lo, hi = 0, len(self.rows)
        if self.row_sheet is not None:
            if sheet not in self.info.sheets_read:
                return None
            k = self.info.sheets_read.index(sheet)
            lo = int(np.searchsorted(self.row_sheet, k, side="left"))
            hi = int(np.searchsorted(self.row_sheet, k, side="right"))
        pos = lo + int(np.searchsorted(self.rows[lo:hi], row))
        if pos >= hi or self.rows[pos] != row:
            return None
        return pos


def sheet_label(file: str, sheet: str) -> str:
    """A file and one of its sheets as messages name them: ``"Realisasi SKP.xlsx [SKP
    2025]"`` (Excel allows no ``[`` or ``]`` in a sheet's name, so the label is never
    ambiguous)."""
    return f"{file} [{sheet}]"


# --------------------------------------------------------------------------- helpers


def number_text(v: float) -> str:
    """Text of a numeric cell as a CSV would show it (``3`` not ``3.0``)."""
    if np.isfinite(v) and float(v).is_integer() and abs(v) < 1e15:
        return str(int(v))
    return repr(float(v))


def normalise_header(text: object) -> str:
    """A header cell compared loosely: lower case, runs of spaces, ``_`` and ``.``
    collapsed to one space (``"Gol.  Akhir"`` ~ ``"gol akhir"``)."""
    s = "" if text is None else str(text)
    s = s.replace("\ufeff", "").strip().lower()
    return re.sub(r"[\s_.]+", " ", s).strip()


def remap_codes(codes: np.ndarray, remap: np.ndarray) -> np.ndarray:
    """``remap[codes]`` as ``int32``, code ``-1`` (empty) kept: one allocation, no temporaries
    the length of the column."""
    return _code_lookup(remap)[codes]


def _code_lookup(remap: np.ndarray) -> np.ndarray:
    """``remap`` as ``int32`` with ``-1`` appended: indexing it by codes keeps code ``-1``."""
    return np.append(remap.astype(np.int32, copy=False), np.int32(-1))


def _unique_texts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Normalise texts (strip, drop a leading apostrophe, empty → missing) and dedupe.

    Returns ``(cats, remap)``: ``remap[i]`` is the new code of ``values[i]`` (``-1`` when
    it became empty).
    """
    if len(values) == 0:
        return np.array([], dtype=object), np.array([], dtype=np.int32)
    norm = np.array(
        [v.strip().removeprefix("'").strip() if isinstance(v, str) else "" for v in values],
        dtype=object,
    )
    keep = norm != ""
    cats, inv = np.unique(norm[keep].astype(str), return_inverse=True)
    remap = np.full(len(values), -1, dtype=np.int32)
    remap[keep] = inv.astype(np.int32)
    return cats.astype(object), remap


def _column_from_texts(values: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
    """Codes and cats of a sequence of texts (``None`` = empty)."""
    arr = np.asarray(list(values), dtype=object)
    if len(arr) == 0:
        return np.array([], dtype=np.int32), np.array([], dtype=object)
    isnull = np.array([v is None for v in arr])
    filled = np.where(isnull, "", arr).astype(str)
    uniq, inv = np.unique(filled, return_inverse=True)
    cats, remap = _unique_texts(uniq.astype(object))
    codes = remap[inv].astype(np.int32)
    return codes, cats


# --------------------------------------------------------------------------- header matching


@renamed_keywords(kolom="columns")
@dataclass(frozen=True)
class HeaderSpec:
    """What a table's header should contain: canonical names and the mapping's headers
    (``columns``: header as written → canonical name; the old field name ``kolom`` still
    works for one release, with a ``DeprecationWarning``)."""

    canonical: tuple[str, ...]
    columns: Mapping[str, str]
    #: Headers the mapping says not to read (``abaikan``): never resolved, whatever
    #: ``columns`` maps them to; matched exactly, then loosely.
    ignored: tuple[str, ...] = ()
    #: Canonical columns whose cells may be emptied (optional or nullable, not a key):
    #: rows where two source columns of one of them disagree are emptied, each with a
    #: warning, instead of the column failing (:func:`_name_columns`).
    optional: frozenset[str] = frozenset()
    #: Canonical columns (not a key; ``optional`` and free text not published) of which,
    #: under two identical headers with different contents, the first is read with a
    #: warning.
    keep_first: frozenset[str] = frozenset()
    #: The table's required columns: a second sheet of a workbook holding them all is a
    #: candidate part of the same table (:func:`read_source`).
    required: tuple[str, ...] = ()
    #: The table's key columns: two sheets that share most of their keys are two copies
    #: of one table, not two parts of it (:func:`_copies`).
    key: tuple[str, ...] = ()
    #: The other tables of the contract, each as ``(name, {header compared loosely
    #: (:func:`normalise_header`) → column})`` over its required columns that this table
    #: does not have, with the mapping's headers: a second sheet holding all of them is
    #: that table's sheet of the same workbook (:meth:`other_table`), never a part.
    others: tuple[tuple[str, Mapping[str, str]], ...] = ()

    def is_ignored(self, header: str) -> bool:
        """Whether ``header`` is one of :attr:`ignored` (exactly or loosely)."""
        if not self.ignored:
            return False
        h = header.replace("\ufeff", "").strip()
        loose = normalise_header(h)
        return any(h == x or normalise_header(x) == loose for x in self.ignored)

    def resolve(self, header: str) -> str | None:
        """Canonical name for a header cell, or ``None`` when it is not expected (or
        ignored)."""
        h = header.replace("\ufeff", "").strip()
        if self.is_ignored(h):
            return None
        if h in self.columns:
            return self.columns[h]
        loose = normalise_header(h)
        for k, v in self.columns.items():
            if normalise_header(k) == loose:
                return v
        if h in self.canonical:
            return h
        for c in self.canonical:
            if normalise_header(c) == loose:
                return c
        return None

    def score(self, cells: Sequence[Any]) -> int:
        return len(self.names(cells))

    def other_table(self, cells: Sequence[Any]) -> str | None:
        """The other table (:attr:`others`) whose required columns that this table does
        not have are all in a header row (the SKP sheet's ``indikator``, ``aspek``,
        ``target``, ``realisasi`` for the official ratings; a rating sheet's
        ``periode`` for the register); ``None`` when there is none."""
        loose = {normalise_header(c) for c in cells if c is not None and str(c).strip()}
        for name, cols in self.others:
            if cols and {cols[h] for h in loose if h in cols} == set(cols.values()):
                return name
        return None

    def names(self, cells: Sequence[Any]) -> frozenset[str]:
        """The canonical names a row of header cells gives."""
        names = {self.resolve(str(c)) for c in cells if c is not None and str(c).strip()}
        names.discard(None)
        return frozenset(names)  # type: ignore[arg-type]


def _best_header(rows: Sequence[Sequence[Any]], spec: HeaderSpec) -> tuple[int, int]:
    """Index of the row that looks most like the header, and its score."""
    best, best_score = 0, -1
    for i, r in enumerate(rows[:HEADER_SEARCH_ROWS]):
        s = spec.score(r)
        if s > best_score:
            best, best_score = i, s
    return best, max(best_score, 0)


# --------------------------------------------------------------------------- encoding


def detect_encoding(sample: bytes) -> tuple[str, str | None]:
    """Encoding of a text file from its first bytes.

    Returns ``(encoding, note_key)``: ``note_key`` names what was noticed (a catalogue
    key) or is ``None`` for plain UTF-8.

    A sample that is not UTF-8 is Windows-1252 (``"cp1252"``), unless it holds more
    multi-byte UTF-8 characters than bytes that are not UTF-8 (:func:`_eight_bit`):
    then :data:`UTF8_WIN1252`, UTF-8 whose other bytes are read as Windows-1252.

    >>> detect_encoding("nip;nama".encode("utf-16"))[0]
    'utf-16'
    >>> detect_encoding("nama\\nJosé – Ma".encode() + b"\\x92ruf\\n" + b" " * 8)[0]
    'kinerja_utf8_cp1252'
    >>> detect_encoding(b"nama\\ncaf\\xe9\\n" + b" " * 8)[0]
    'cp1252'
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", None
    if sample.startswith(codecs.BOM_UTF32_LE) or sample.startswith(codecs.BOM_UTF32_BE):
        return "utf-32", "baca_utf32"
    if sample.startswith(codecs.BOM_UTF16_LE) or sample.startswith(codecs.BOM_UTF16_BE):
        return "utf-16", "baca_utf16"
    head = sample[:4096]
    if len(head) >= 4:
        even_nul = head[0::2].count(0) / max(1, len(head[0::2]))
        odd_nul = head[1::2].count(0) / max(1, len(head[1::2]))
        if odd_nul > 0.3 and even_nul < 0.05:
            return "utf-16-le", "baca_utf16"
        if even_nul > 0.3 and odd_nul < 0.05:
            return "utf-16-be", "baca_utf16"
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the end of the sample is still UTF-8
        if exc.start < len(sample) - 4:
            return _eight_bit(_utf8_evidence([sample]))
    return "utf-8", None


#: A character decoded from a multi-byte UTF-8 sequence (not an escaped lone byte),
#: and one from a sequence of three or four bytes.
_UTF8_MULTIBYTE = re.compile("[\u0080-\ud7ff\ue000-\U0010ffff]")
_UTF8_LONG = re.compile("[\u0800-\ud7ff\ue000-\U0010ffff]")
#: A byte that is not UTF-8, as ``surrogateescape`` decodes it.
_NOT_UTF8 = re.compile("[\udc80-\udcff]")
#: Enough non-ASCII evidence to choose between UTF-8 and Windows-1252.
_EVIDENCE = 4096


def _utf8_evidence(chunks: Iterable[bytes]) -> tuple[int, int]:
    """``(weight of multi-byte UTF-8 characters, bytes that are not UTF-8)`` in
    ``chunks`` (one byte stream), read until :data:`_EVIDENCE` of them are counted.

    A character of three or four UTF-8 bytes (’, –, €) weighs 4: in Windows-1252 text it
    would take a lower-case accented letter followed by two symbols from 0x80-0xBF,
    while two bytes (``É`` before a no-break space) occur by chance more easily."""
    dec = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
    good = bad = 0
    for chunk in chunks:
        if chunk.isascii():
            continue
        text = dec.decode(chunk)
        bad += sum(1 for _ in _NOT_UTF8.finditer(text))
        good += sum(1 for _ in _UTF8_MULTIBYTE.finditer(text))
        good += 3 * sum(1 for _ in _UTF8_LONG.finditer(text))
        if good + bad >= _EVIDENCE:
            break
    return good, bad


def _eight_bit(evidence: tuple[int, int]) -> tuple[str, str]:
    """The encoding of a file that is not all UTF-8, from :func:`_utf8_evidence`.

    More multi-byte UTF-8 characters than bytes that are not UTF-8: a UTF-8 export into
    which a few Windows-1252 bytes were typed or pasted (``Ma\x92ruf`` beside
    ``José``), read with :data:`UTF8_WIN1252`, each such byte where it stands.
    Otherwise Windows-1252 throughout: in a Windows-1252 file a byte pair that happens to
    be valid UTF-8 (``É`` before a no-break space) is rarer than its lone accented bytes.
    """
    good, bad = evidence
    if good > bad:
        return UTF8_WIN1252, "baca_utf8_cp1252"
    return "cp1252", "baca_cp1252"


#: The first bytes of file formats that are no text table, and the format's name: a
#: workbook, archive, document or image given (or renamed) as a ``.csv``.
_SIGNATURES: tuple[tuple[re.Pattern[bytes], str], ...] = tuple(
    (re.compile(pattern, re.S), kind)
    for pattern, kind in (
        (rb"PK(?:\x03\x04|\x05\x06|\x07\x08)", "ZIP"),  # also .xlsx, .docx, .ods
        (rb"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Excel 97-2003 (.xls)"),
        (rb"%PDF-", "PDF"),
        (rb"\x1f\x8b", "GZIP"),
        (rb"PAR1", "Parquet"),
        (rb"7z\xbc\xaf\x27\x1c", "7-Zip"),
        (rb"Rar!\x1a\x07", "RAR"),
        (rb"BZh[1-9]1AY&SY", "BZIP2"),
        (rb"\xfd7zXZ\x00", "XZ"),
        (rb"\x89PNG\r\n\x1a\n", "PNG"),
        (rb"\xff\xd8\xff", "JPEG"),
        (rb"GIF8[79]a", "GIF"),
        (rb"SQLite format 3\x00", "SQLite"),
        (rb"\x7fELF", "ELF"),
    )
)
#: Characters no text table holds more than a few of: NUL and the other C0 controls but
#: tab and line ends, DEL, the C1 controls (Windows-1252 reads its five undefined bytes as
#: these) and U+FFFD (a UTF-16 or UTF-32 sequence that does not decode).
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
#: The share of such characters from which a file's first bytes are binary content:
#: random or compressed bytes read as Windows-1252 give about 14 %, a binary format's
#: runs of NUL bytes more; a text export holds at most a stray one.
BINARY_SHARE = 0.05
#: ... and at least this many of them.
_BINARY_MIN = 4


def binary_content(sample: bytes, encoding: str) -> tuple[str, dict[str, Any]] | None:
    """Why the first bytes of a file given as a text table are binary content, or ``None``
    when they are text: ``(catalogue key, fields)``.

    - ``file_biner_tanda``: the bytes begin with the signature of a format that is no
      text (:data:`_SIGNATURES`: ZIP — also a workbook ``.xlsx`` —, an Excel 97-2003
      workbook, PDF, GZIP, Parquet, other archives, images, …), field ``jenis``;
    - ``file_biner_kendali``: at least :data:`BINARY_SHARE` of the characters, decoded in
      ``encoding``, are NUL bytes or other control characters (:data:`_NOT_TEXT`), fields
      ``persen`` and ``n`` (characters looked at).

    ``encoding`` is the one detected (:func:`detect_encoding`) or declared: a UTF-16 file
    has a NUL byte in every other byte, and decoded as UTF-16 it holds none, so it stays
    text; in a UTF-8 file a byte that is not UTF-8 is read as Windows-1252, as the
    reader reads it, so a declared UTF-8 that is really Windows-1252 is no binary file.
    A Windows-1252 or UTF-8 export with a few stray control characters stays text.

    >>> binary_content(b"%PDF-1.7\\n...", "utf-8")
    ('file_biner_tanda', {'jenis': 'PDF'})
    >>> binary_content("nip;nama\\n1;Ani\\n".encode("utf-16"), "utf-16") is None
    True
    >>> binary_content(bytes(range(256)) * 8, "cp1252")[0]
    'file_biner_kendali'
    """
    for pattern, kind in _SIGNATURES:
        if pattern.match(sample):
            return "file_biner_tanda", {"jenis": kind}
    codec = UTF8_WIN1252 if codecs.lookup(encoding).name in _UTF8 else encoding
    if codecs.lookup(codec).name == "cp1252":
        codec = WIN1252
    text = sample.decode(codec, errors="replace").lstrip("\ufeff")
    if not text:
        return None
    odd = sum(1 for _ in _NOT_TEXT.finditer(text))
    if odd >= _BINARY_MIN and odd >= BINARY_SHARE * len(text):
        return "file_biner_kendali", {"persen": round(100 * odd / len(text)), "n": len(text)}
    return None


def _file_chunks(path: Path, start: int = 0, size: int = 1 << 24) -> Iterator[bytes]:
    with path.open("rb") as fh:
        fh.seek(start)
        while chunk := fh.read(size):
            yield chunk


def encoding_label(encoding: str) -> str:
    """An encoding's name for a person (the codecs of this module by what they read)."""
    return {
        UTF8_WIN1252: "UTF-8 + Windows-1252",
        WIN1252: "Windows-1252",
        "cp1252": "Windows-1252",
        "utf-8": "UTF-8",
        "utf-8-sig": "UTF-8 (BOM)",
    }.get(encoding, encoding)


# --------------------------------------------------------------------------- number format


_DEC_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_DEC_DOT = re.compile(r"^[+-]?\d+\.\d+$")
_GROUP_DOT = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_GROUP_COMMA = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")


def detect_number_format(texts: Sequence[str]) -> tuple[str, str] | None:
    """Decimal mark and thousands separator of number *texts*, if the evidence is clear.

    Evidence for a decimal comma: ``76,35`` (not three digits after the comma), ``1.234,5``
    (both marks, comma last), ``1234,567`` (more than three digits before the comma);
    for a decimal point the mirror images. ``1.315`` alone is ambiguous and decides
    nothing. Returns ``(desimal, ribuan)`` — ``(",", ".")`` or ``(".", ",")`` — or
    ``None`` when there is no evidence or it conflicts.

    >>> detect_number_format(["96,5", "1.315", "3"])
    (',', '.')
    >>> detect_number_format(["1.315"]) is None
    True
    """
    comma = dot = 0
    for t in texts:
        if not isinstance(t, str):
            continue
        if "," in t and "." in t:
            if _GROUP_DOT.match(t):
                comma += 1
            elif _GROUP_COMMA.match(t):
                dot += 1
        elif _DEC_COMMA.match(t):
            left, right = t.lstrip("+-").split(",")
            if len(right) != 3 or len(left) > 3 or left == "0":
                comma += 1
        elif _DEC_DOT.match(t):
            left, right = t.lstrip("+-").split(".")
            if len(right) != 3 or len(left) > 3 or left == "0":
                dot += 1
    if comma and not dot:
        return ",", "."
    if dot and not comma:
        return ".", ","
    return None


# --------------------------------------------------------------------------- CSV


def _csv_records(text: str, delimiter: str, most: int) -> tuple[list[list[str]], list[int]]:
    """The first ``most`` CSV records of ``text`` and where each ends (a character offset).

    Records end where Arrow ends them: at ``\\n``, ``\\r\\n`` or ``\\r`` outside quotes.
    ``str.splitlines`` would also break at a form feed, vertical tab or U+2028 inside a
    title cell and so count more records than the reader that reads the data.
    Raises ``csv.Error`` as the ``csv`` module does.
    """
    pos = 0

    def lines() -> Iterator[str]:
        nonlocal pos
        for line in io.StringIO(text, newline=""):
            pos += len(line)
            yield line

    rows: list[list[str]] = []
    ends: list[int] = []
    # a title cell may be longer than the csv module's default field limit (128 Ki
    # characters): the sample's own length is the limit while it is read
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))
    try:
        for row in csv.reader(lines(), delimiter=delimiter):
            rows.append(row)
            ends.append(pos)
            if len(rows) >= most:
                break
    finally:
        csv.field_size_limit(limit)
    return rows, ends


def _sniff_csv(
    sample_text: str, spec: HeaderSpec, delimiter: str | None
) -> tuple[str, int, list[str], bool]:
    """Delimiter, header record index and header cells from the first records of a CSV.

    Returns ``(delimiter, header_index, header_cells, delimiter_detected)``.
    """
    candidates = [delimiter] if delimiter else list(_DELIMITERS)
    best: tuple[int, int, int, str, int, list[str]] | None = None
    for d in candidates:
        try:
            rows, _ = _csv_records(sample_text, d, HEADER_SEARCH_ROWS + 20)
        except csv.Error:
            continue
        if not rows:
            continue
        idx, score = _best_header(rows, spec)
        widths = [len(r) for r in rows[idx:] if any(c.strip() for c in r)]
        width = len(rows[idx]) if rows else 0
        consistent = sum(1 for w in widths if w == width) if width > 1 else 0
        key = (score, consistent, -_DELIMITERS.index(d) if d in _DELIMITERS else 0)
        if best is None or key > best[:3]:
            best = (*key, d, idx, rows[idx] if rows else [])
    if best is None:
        return delimiter or ",", 0, [], delimiter is None
    _, _, _, d, idx, header = best
    return d, idx, header, delimiter is None


_LINE_END = re.compile(r"\r\n|\r|\n")
_LINE_END_BYTES = re.compile(rb"\r\n|\r|\n")


def _byte_offset(sample: bytes, encoding: str, text: str, chars: int) -> int:
    """Where in ``sample`` the first ``chars`` characters of its decoded ``text`` end.

    ``text`` is ``sample`` decoded with ``errors="replace"`` and a leading BOM removed;
    ``chars`` falls just after a line end (a record's end). In an encoding that writes
    line ends as the single bytes CR and LF and uses them for nothing else (UTF-8,
    Windows-1252 and the mixed codec, whatever bytes they could not decode) the offset
    is after the same number of line ends in the bytes: exact, however the text between
    them decoded. Otherwise (UTF-16/32) it is found by bisection over decoded prefix
    lengths. Raises ``ValueError`` when no byte offset decodes to exactly that prefix.
    """
    if _one_char_bytes("\n", encoding) == b"\n" and _one_char_bytes("\r", encoding) == b"\r":
        k = len(_LINE_END.findall(text, 0, chars))
        if k == 0:
            return 0
        for i, m in enumerate(_LINE_END_BYTES.finditer(sample), 1):
            if i == k:
                return m.end()
        raise ValueError(f"the sample has fewer than {k} line ends")

    def decoded(b: int) -> str:
        return sample[:b].decode(encoding, errors="replace").lstrip("\ufeff")

    lo, hi = 0, len(sample)
    while lo < hi:
        mid = (lo + hi) // 2
        if len(decoded(mid)) < chars:
            lo = mid + 1
        else:
            hi = mid
    # a wide character cut in half also decodes to one (replacement) character: the
    # exact prefix is at most a few bytes further
    for b in range(lo, min(lo + 4, len(sample)) + 1):
        if decoded(b) == text[:chars]:
            return b
    raise ValueError(f"no byte offset ends the first {chars} characters")


def _codec_after_bom(sample: bytes, encoding: str) -> str:
    """The codec that decodes the file *after* its byte-order mark.

    The data are read from an offset past the header, where a ``utf-16``/``utf-32``
    decoder would meet no BOM and guess the machine's byte order: the order the BOM
    names is made explicit. Other encodings are returned as they are.
    """
    boms = {
        "utf-16": ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")),
        "utf-32": ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be")),
    }
    for bom, name in boms.get(codecs.lookup(encoding).name, ()):
        if sample.startswith(bom):
            return name
    return encoding


def _one_char_bytes(char: str, codec: str) -> bytes:
    """``char`` in ``codec`` without the BOM some codecs put first (``utf-16``,
    ``utf-8-sig``)."""
    one, two = char.encode(codec), (char * 2).encode(codec)
    return two[len(one) :]


def _line_feed_after(path: Path, start: int, codec: str) -> int:
    """Bytes of a line feed at byte ``start`` of the file in ``codec`` (0 when there is
    none)."""
    lf = _one_char_bytes("\n", codec)
    with path.open("rb") as fh:
        fh.seek(start)
        return len(lf) if fh.read(len(lf)) == lf else 0


def _has_quotes(path: Path, encoding: str) -> bool:
    """Whether the file contains a double quote (cheap: a memory-mapped search)."""
    if encoding not in {*_UTF8, "cp1252", WIN1252, UTF8_WIN1252}:
        return True
    with path.open("rb") as fh:
        try:
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
                return mm.find(b'"') >= 0
        except ValueError:  # pragma: no cover - empty file
            return False


def _csv_record_widths(path: Path, encoding: str, delimiter: str, start: int) -> list[int]:
    """Field count of every record from byte ``start`` on (the slow exact pass, used only
    when a file has broken lines)."""
    with path.open("rb") as raw:
        raw.seek(start)
        fh = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
        return [
            len(r) if any(c != "" for c in r) else 0 for r in csv.reader(fh, delimiter=delimiter)
        ]


_HOOK_LOCK = threading.Lock()
_HOOK_SEEN: list[list[BaseException]] = []  # the collectors of the reads under way
_HOOK_PREVIOUS: list[Any] = []  # the hook in place before the first of them


def _collect_undecodable(info: Any) -> None:
    if isinstance(info.exc_value, UnicodeDecodeError) and _HOOK_SEEN:
        for seen in _HOOK_SEEN:  # which read's thread raised it cannot be told
            seen.append(info.exc_value)
    elif _HOOK_PREVIOUS:
        _HOOK_PREVIOUS[0](info)
    else:  # pragma: no cover - only between the last read's exit and the restore
        sys.__unraisablehook__(info)


@contextlib.contextmanager
def _undecodable_rows(seen: list[BaseException]) -> Iterator[None]:
    """Collect, instead of printing, the ``UnicodeDecodeError`` Arrow meets when it turns
    a broken line of a file read as UTF-8 into text for the invalid-row handler.

    Arrow raises that error inside its own callback code, where it is "ignored" (printed
    to stderr by ``sys.unraisablehook``) and the read then fails with a bare "Expected N
    columns" parse error. Seeing it here tells the reader that the cause is a
    Windows-1252 byte, not the line's shape. Other unraisable exceptions go to the hook
    that was in place. Reads on several threads share one installed hook (a counted
    install under a lock), so the hook in place before the first is the one restored.
    """
    with _HOOK_LOCK:
        if not _HOOK_SEEN:
            _HOOK_PREVIOUS[:] = [sys.unraisablehook]
            sys.unraisablehook = _collect_undecodable
        _HOOK_SEEN.append(seen)
    try:
        yield
    finally:
        with _HOOK_LOCK:
            _HOOK_SEEN.remove(seen)
            if not _HOOK_SEEN:
                sys.unraisablehook = _HOOK_PREVIOUS.pop()


def _arrow_csv(
    path: Path,
    start: int,
    read_kw: dict[str, Any],
    delimiter: str,
    conv: Any,
    quoted: bool,
) -> tuple[pa.Table, list[tuple[int, str, int]]]:
    """Arrow's read of a CSV from byte ``start`` and its broken lines ``(-1, text,
    n_fields)`` in file order.

    The records before ``start`` (title rows, the header) are found by
    :func:`_csv_records`, not by Arrow's ``skip_rows``: that counts physical lines, so a
    title cell holding a quoted line break would shift every record by one.
    Arrow splits the file into blocks and parses them on several threads:

    - A line break can only stand in a quoted value, so a file without any quote is
      split into blocks in parallel at line ends (``newlines_in_values=False``: 4x
      faster), and a file with quotes serially (``True``). The parallel split is *not*
      safe with quotes: a quoted line break where Arrow cuts a block drops the record's
      beginning, and when the rest has the header's field count (the value in the first
      column, say) no error and no broken line says so (``tests/test_csv_blocks.py``).
    - Broken lines reach the callback in the order the threads meet them, not the
      file's, while their row numbers come from an exact pass in file order
      (:func:`_csv_record_widths`): a file with any is read again on one thread, so
      each text stays with its row.
    - A record longer than a block (a huge quoted cell) makes Arrow fail with a
      "straddling" error; the read is tried again with blocks eight times larger, up to
      the file's size (four times it when Arrow transcodes, as UTF-8 can be longer).

    Raises ``pyarrow.ArrowInvalid`` as Arrow does (undecodable text, a broken quote).
    """
    threads = True
    block = read_kw["block_size"]
    # Arrow's blocks hold UTF-8: a transcoded file can grow up to 3x (a Windows-1252
    # byte to three UTF-8 bytes), so the largest block needed is that of the whole file
    grow = 1 if read_kw["encoding"] == "utf8" else 4
    cap = grow * max(path.stat().st_size, 1 << 10) + 1
    while True:
        broken: list[tuple[int, str, int]] = []

        def on_invalid(row: Any, broken: list = broken) -> str:
            broken.append((-1, row.text, row.actual_columns))
            return "skip"

        parse_opts = pacsv.ParseOptions(
            delimiter=delimiter,
            newlines_in_values=quoted,
            ignore_empty_lines=False,
            invalid_row_handler=on_invalid,
        )
        read_opts = pacsv.ReadOptions(**{**read_kw, "block_size": block}, use_threads=threads)
        undecodable: list[BaseException] = []
        with pa.OSFile(str(path)) as source, _undecodable_rows(undecodable):
            source.seek(start)
            try:
                table = pacsv.read_csv(
                    source, read_options=read_opts, parse_options=parse_opts, convert_options=conv
                )
            except pa.ArrowInvalid as exc:
                if undecodable:
                    # a broken line Arrow could not hand over as UTF-8 text
                    raise pa.ArrowInvalid(f"invalid UTF8 in a broken line: {exc}") from exc
                if "straddl" in str(exc) and block < cap:
                    block = min(block * 8, cap)
                    continue
                raise
        if broken and threads:
            del table
            threads = False
            continue
        return table, broken


def _read_csv(
    path: Path,
    spec: HeaderSpec,
    delimiter: str | None,
    header_row: int | None,
    encoding: str | None,
) -> tuple[list[tuple[str, np.ndarray, np.ndarray]], np.ndarray, ReadInfo, list, list[Problem]]:
    problems: list[Problem] = []
    detected: list[str] = []
    size = path.stat().st_size
    with path.open("rb") as fh:
        sample = fh.read(_SAMPLE_BYTES)
    if not sample.strip():
        raise SourceError("file_kosong")
    if encoding is None:
        encoding, note = detect_encoding(sample)
        if encoding in {"cp1252", UTF8_WIN1252} and len(sample) < size:
            # the sample is not UTF-8: the choice between Windows-1252 and UTF-8 with a
            # few such bytes is made on the whole file's evidence, not its first 64 KiB
            encoding, note = _eight_bit(_utf8_evidence(_file_chunks(path)))
        detected.append("encoding")
        if note:
            problems.append(Problem(note, "info", fields={"encoding": encoding}))
    else:
        encoding = codecs.lookup(encoding).name  # "UTF-8", "utf8" -> "utf-8"
    base = 0  # bytes before the sample's decoded text
    if sample.startswith(b"\xef\xbb\xbf") and encoding not in _UTF8:
        # a UTF-8 BOM on a file read as Windows-1252 (invalid UTF-8 further in) is not
        # text of the header ("ï»¿nip")
        base = 3
    codec = _codec_after_bom(sample[base:], encoding)
    if codec == "cp1252":
        codec = WIN1252  # the five bytes Python leaves undefined are read, not fatal
    binary = binary_content(sample[base:], codec)
    if binary is not None:  # random bytes, a workbook or a PDF named .csv: no text table
        raise SourceError(binary[0], **binary[1])
    sample_bytes = _SAMPLE_BYTES
    # records enough for the header search, and for a declared header and the row under it
    most = max(HEADER_SEARCH_ROWS + 20, (header_row or 0) + 2)
    while True:
        sample = sample[base:]
        sample_text = sample.decode(codec, errors="replace").lstrip("\ufeff")
        truncated = len(sample) + base < size
        if truncated:
            # the sample stops inside the file: its last line is cut (and a wide
            # character may be too), so it ends at its last line break
            cut = max(sample_text.rfind("\n"), sample_text.rfind("\r"))
            sample_text = sample_text[: cut + 1] or sample_text
        d, idx, header, d_detected = _sniff_csv(sample_text, spec, delimiter)
        rows, ends = _csv_records(sample_text, d, most)
        if not truncated or sample_bytes >= _MAX_SAMPLE_BYTES:
            break
        if header_row is not None:
            if len(rows) > header_row:  # the header and the row under it are in the sample
                break
        elif spec.score(header) or len(rows) >= HEADER_SEARCH_ROWS + 20:
            break
        # the header is not in the sample: title cells longer than the sample (a pasted
        # text) may hide it further on
        sample_bytes *= 16
        with path.open("rb") as fh:
            sample = fh.read(sample_bytes)
    if d_detected:
        detected.append("pemisah")
    if header_row is not None:
        idx = max(0, int(header_row) - 1)
        header = rows[idx] if idx < len(rows) else []
    else:
        detected.append("baris_header")
    if not header:
        raise SourceError("header_kosong")
    names = [f"c{i}" for i in range(len(header))]
    # a row of column numbers under the header ((1) (2) (3) …, as government tables
    # print them) is not a record: skipped, and said
    below = rows[idx + 1 : idx + 2]
    numbered = int(bool(below) and is_numbering_row(below[0]))
    if numbered:
        problems.append(Problem("baris_nomor_kolom", "info", fields={"baris": idx + 2, "di": ""}))
    end = ends[idx + numbered]
    try:
        start = base + _byte_offset(sample, codec, sample_text, end)
    except ValueError as exc:  # pragma: no cover - a codec that does not decode by prefix
        raise SourceError("file_rusak", error=str(exc)) from exc
    if truncated and end == len(sample_text) and sample_text.endswith("\r"):
        # the sample ends between the \r and \n of the header's (or numbering row's) line
        # end: the \n belongs to that record, not to an empty first record after it
        start += _line_feed_after(path, start, codec)

    read_kw = {
        "column_names": names,
        "encoding": "utf8" if encoding in _UTF8 else codec,
        "block_size": _CSV_BLOCK_BYTES,
    }
    conv = pacsv.ConvertOptions(
        column_types={n: pa.dictionary(pa.int32(), pa.string()) for n in names},
        strings_can_be_null=True,
        null_values=[""],
        quoted_strings_can_be_null=True,
    )
    try:
        if start >= size:  # the file ends on its header: no records
            table = pa.table(
                {n: pa.array([], type=pa.dictionary(pa.int32(), pa.string())) for n in names}
            )
            broken = []
        else:
            table, broken = _arrow_csv(path, start, read_kw, d, conv, _has_quotes(path, codec))
    except UnicodeError as exc:  # a declared encoding the file is not in (Arrow's transcoder)
        raise SourceError("file_rusak", error=str(exc).splitlines()[0]) from exc
    except pa.ArrowInvalid as exc:
        if "UTF8" in str(exc) and encoding in _UTF8:
            # bytes that are not UTF-8 further into the file than the sample: read as
            # Windows-1252, each where it stands, and the UTF-8 text around them as UTF-8
            again, key = _eight_bit(_utf8_evidence(_file_chunks(path)))
            note = Problem(key, "info", fields={"encoding": again})
            cols, rows_at, info, broken, more = _read_csv(path, spec, d, idx + 1, again)
            # what this pass detected stays with the result; the second pass finds and
            # says the rest (a numbering row) again, so only the note is added
            info = dataclasses.replace(info, detected=tuple(detected))
            return cols, rows_at, info, broken, [note, *more]
        raise SourceError("file_rusak", error=str(exc).splitlines()[0]) from exc
    first_data_row = idx + 2 + numbered  # spreadsheet number of the first record read
    n = table.num_rows
    record_pos = np.arange(n, dtype=np.int64)
    if broken:
        # rows were skipped: recover every record's position with an exact pass
        widths = _csv_record_widths(path, codec, d, start)
        bad_pos = [i for i, w in enumerate(widths) if w not in (0, len(header))]
        if len(bad_pos) == len(broken) and len(widths) - len(bad_pos) == n:
            good = np.setdiff1d(np.arange(len(widths)), np.asarray(bad_pos, dtype=np.int64))
            record_pos = good.astype(np.int64)
            broken = [
                (first_data_row + p, text, k)
                for p, (_, text, k) in zip(bad_pos, broken, strict=True)
            ]
        else:  # pragma: no cover - pyarrow and the csv module disagree: say so
            problems.append(Problem("baris_rusak_posisi", "peringatan"))
            broken = [(0, text, k) for (_, text, k) in broken]
    cols: list[tuple[str, np.ndarray, np.ndarray]] = []
    for i, name in enumerate(names):
        # one column at a time: unify its chunks' dictionaries, copy its codes out, and
        # drop it from the table, so the file is never held twice
        one = pa.table({name: table.column(name)}).unify_dictionaries().column(name)
        table = table.drop_columns([name])
        raw_cats = (
            one.chunk(0).dictionary.to_numpy(zero_copy_only=False)
            if one.num_chunks
            else np.array([], dtype=object)
        )
        cats, remap = _unique_texts(raw_cats)
        # Arrow's code -> the normalised text's code, an empty cell (-1) staying -1,
        # written chunk by chunk into the one column-sized array (no second copy)
        lut = _code_lookup(remap)
        codes = np.empty(n, dtype=np.int32)
        off = 0
        for ch in one.chunks:
            k = len(ch)
            codes[off : off + k] = lut[ch.indices.fill_null(-1).to_numpy()]
            off += k
        del one
        cols.append((header[i], codes, cats))
        pa.default_memory_pool().release_unused()
    del table
    pa.default_memory_pool().release_unused()
    info = ReadInfo(
        file=path.name,
        format="csv",
        encoding=encoding,
        delimiter=d,
        header_row=idx + 1,
        detected=tuple(detected),
    )
    return cols, first_data_row + record_pos, info, broken, problems


# --------------------------------------------------------------------------- XLSX


def _col_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


_REF = re.compile(r"([A-Z]+)(\d+)")


def _sheet_xml_path(zf: zipfile.ZipFile, sheet: str) -> str | None:
    """Path of a sheet's XML part inside the workbook zip."""
    try:
        wb = zf.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return None
    rid = None
    for m in re.finditer(r"<(?:\w+:)?sheet\b([^>]*)/?>", wb):
        attrs = m.group(1)
        name = re.search(r'\bname="([^"]*)"', attrs)
        if name and _xml_unescape(name.group(1)) == sheet:
            r = re.search(r'\br:id="([^"]*)"', attrs) or re.search(r'\bid="([^"]*)"', attrs)
            rid = r.group(1) if r else None
            break
    if rid is None:
        return None
    for m in re.finditer(r"<Relationship\b([^>]*)/?>", rels):
        attrs = m.group(1)
        if re.search(rf'\bId="{re.escape(rid)}"', attrs):
            target = re.search(r'\bTarget="([^"]*)"', attrs)
            if target:
                t = target.group(1).lstrip("/")
                return t if t.startswith("xl/") else f"xl/{t}"
    return None


def _xml_unescape(s: str) -> str:
    return (
        s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


_HIDDEN = re.compile(r'\bhidden="(?:1|true)"')


def _sheet_structure(
    path: Path, sheet: str
) -> tuple[list[tuple[int, int, int, int]], set[tuple[int, int]], set[int], set[int]]:
    """Merged ranges ``(row0, col0, row1, col1)`` (0-based, inclusive), the cells
    ``(row, col)`` holding a formula without a cached value, and the hidden rows and
    columns (0-based), read from the sheet's XML (openpyxl's read-only mode gives
    neither merged ranges nor hidden rows)."""
    merged: list[tuple[int, int, int, int]] = []
    no_value: set[tuple[int, int]] = set()
    hidden_rows: set[int] = set()
    hidden_cols: set[int] = set()
    with zipfile.ZipFile(path) as zf:
        part = _sheet_xml_path(zf, sheet)
        if part is None or part not in zf.namelist():
            return merged, no_value, hidden_rows, hidden_cols
        xml = zf.read(part).decode("utf-8", "replace")
    if "hidden=" in xml:
        for m in re.finditer(r"<(?:\w+:)?row\b([^>]*)>", xml):
            r = re.search(r'\br="(\d+)"', m.group(1))
            if r and _HIDDEN.search(m.group(1)):
                hidden_rows.add(int(r.group(1)) - 1)
        for m in re.finditer(r"<(?:\w+:)?col\b([^>]*)/?>", xml):
            lo = re.search(r'\bmin="(\d+)"', m.group(1))
            hi = re.search(r'\bmax="(\d+)"', m.group(1))
            if lo and hi and _HIDDEN.search(m.group(1)):
                # a range to the sheet's last column (16384) hides what is beyond the data
                hidden_cols.update(range(int(lo.group(1)) - 1, min(int(hi.group(1)), 1024)))
    for m in re.finditer(r'<mergeCell\s+ref="([A-Z]+\d+):([A-Z]+\d+)"', xml):
        a, b = _REF.match(m.group(1)), _REF.match(m.group(2))
        if a and b:
            merged.append(
                (
                    int(a.group(2)) - 1,
                    _col_index(a.group(1)),
                    int(b.group(2)) - 1,
                    _col_index(b.group(1)),
                )
            )
    if "<f" in xml:
        for m in re.finditer(r'<c\s+r="([A-Z]+)(\d+)"[^>]*?(?:/>|>(.*?)</c>)', xml, re.S):
            body = m.group(3) or ""
            if "<f" in body and not re.search(r"<v>[^<]+</v>", body):
                no_value.add((int(m.group(2)) - 1, _col_index(m.group(1))))
    return merged, no_value, hidden_rows, hidden_cols


def _cell_kind(v: Any) -> tuple[str | None, float]:
    """(text, number) of one spreadsheet cell; numbers keep their value, never re-parsed."""
    if v is None:
        return None, np.nan
    if isinstance(v, bool):
        return ("true" if v else "false"), np.nan
    if isinstance(v, (int, float)):
        # a whole number past 15 digits keeps the text the cell holds, which the message
        # quotes: an exact integer as its digits, a float as its shortest round-trip text
        # (``1.96805071989111e+17``: Excel keeps 15 significant digits) and never digits
        # that are in neither the file nor the original (``int(v)`` of a float invents
        # them); the value itself is the float
        whole = isinstance(v, int) or (np.isfinite(v) and float(v).is_integer())
        if whole and abs(v) >= 10**15:
            return (str(v) if isinstance(v, int) else repr(float(v))), float(v)
        return None, float(v)
    if isinstance(v, datetime):
        if v.hour == v.minute == v.second == v.microsecond == 0:
            return v.strftime("%Y-%m-%d"), np.nan
        return v.isoformat(), np.nan
    if isinstance(v, date):
        return v.isoformat(), np.nan
    if isinstance(v, time):
        return v.isoformat(), np.nan
    return str(v), np.nan


#: A column's number or letter as a printed table labels it: ``1``, ``(1)``, ``[1]``,
#: ``1.``, ``a``, ``(a)``, optionally with how it is computed (``(6)=(5)/(4)``,
#: ``6 = 4 x 5``).
_COLUMN_LABEL = re.compile(r"[(\[]?\s*(\d{1,3}|[a-z])\s*[)\]]?\.?(?:\s*=.*)?", re.I | re.S)


def _label_value(cell: Any) -> tuple[str, int] | None:
    """``("n", number)`` or ``("a", letter's place)`` of a column label, else ``None``."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, (int, float)):
        f = float(cell)
        return ("n", int(f)) if f.is_integer() and 0 <= f < 1000 else None
    m = _COLUMN_LABEL.fullmatch(str(cell).strip())
    if m is None:
        return None
    g = m.group(1)
    return ("n", int(g)) if g.isdigit() else ("a", ord(g.lower()) - ord("a") + 1)


def is_numbering_row(cells: Sequence[Any]) -> bool:
    """Whether a row holds only column labels in order, at least three: ``(1) (2) (3) …``,
    ``1 2 3 …``, ``a b c …``, with a label's formula (``(6)=(5)/(4)``) allowed, as
    Indonesian government tables print under their header; the first label may be a
    later column's when the cells before it are empty (a blank ``No`` column).

    >>> is_numbering_row(["(1)", "(2)", "(3)", "(4)"]), is_numbering_row([1, 2, 3, None])
    (True, True)
    >>> is_numbering_row(["a", "b", "c"]), is_numbering_row(["(1)", "(2)", "(3)=(1)x(2)"])
    (True, True)
    >>> is_numbering_row([None, "2", "3", "4"]), is_numbering_row(["1", "2", "4"])
    (True, False)
    >>> is_numbering_row(["198503122010011001", "L", "3"])
    False
    """
    labels = []
    first = None
    for i, c in enumerate(cells):
        if _blank(c):
            continue
        v = _label_value(c)
        if v is None:
            return False
        first = i if first is None else first
        labels.append(v)
    if len(labels) < 3 or len({k for k, _ in labels}) != 1:
        return False
    numbers = [x for _, x in labels]
    start = numbers[0]
    return start in (0, 1, (first or 0) + 1) and numbers == list(range(start, start + len(numbers)))


def _layout_rows(
    cols: Sequence[tuple[str, np.ndarray, np.ndarray, np.ndarray | None]],
) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the data rows that are the table's layout, not records: rows of
    column labels (:func:`is_numbering_row`) and the header written again (a table
    converted from PDF, or printed page by page, repeats both every page).

    Vectorised over the coded columns; only rows whose every cell looks like a label,
    or like its column's header, are looked at one by one."""
    empty = np.empty(0, np.int64)
    if not cols:
        return empty, empty
    n = len(cols[0][1])
    # per column and distinct text: a label? the column's header? (cheap: distinct texts)
    marks = []
    for h, codes, cats, num in cols:
        own = normalise_header(h) if h else ""
        is_label = np.zeros(len(cats), dtype=bool)
        is_head = np.zeros(len(cats), dtype=bool)
        if len(cats):
            text = np.asarray(cats, dtype=str)
            size = np.char.str_len(text)
            # only short texts, or ones with a bracket or a formula, can be a label; only
            # texts about as long as the header can be it (a NIP is neither: 18 digits)
            maybe = (size <= 3) | (np.char.find(text, "=") >= 0) | np.char.startswith(text, "(")
            maybe |= np.char.startswith(text, "[")
            for i in np.flatnonzero(maybe):
                is_label[i] = _label_value(cats[i]) is not None
            if own:
                for i in np.flatnonzero(np.abs(size - len(h)) <= 3):
                    is_head[i] = normalise_header(cats[i]) == own
        marks.append((codes, num, is_label, is_head))

    def cells(k: int, at: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(label, header, filled) of column ``k`` at rows ``at``."""
        codes, num, is_label, is_head = marks[k]
        c = codes[at]
        text = c >= 0
        label = np.zeros(len(at), dtype=bool)
        head = np.zeros(len(at), dtype=bool)
        if len(is_label):
            label[text] = is_label[c[text]]
            head[text] = is_head[c[text]]
        filled = text
        if num is not None:
            x = num[at]
            numeric = ~text & np.isfinite(x)
            whole = np.zeros(len(at), dtype=bool)
            whole[numeric] = (np.mod(x[numeric], 1) == 0) & (x[numeric] >= 0) & (x[numeric] < 1000)
            label |= whole
            filled = filled | numeric
        return label, head, filled

    # a row can only be layout if each of its cells is empty, a label or its header: the
    # columns that rule out most rows first (a NIP column rules out every record)
    order = sorted(
        range(len(cols)),
        key=lambda k: (marks[k][2] | marks[k][3]).mean() if len(marks[k][2]) else 1.0,
    )
    at = np.arange(n, dtype=np.int64)
    for k in order:
        label, head, filled = cells(k, at)
        at = at[~filled | label | head]
        if not len(at):
            return empty, empty
    labels = np.zeros(len(at), dtype=np.int32)
    heads = np.zeros(len(at), dtype=np.int32)
    filled_n = np.zeros(len(at), dtype=np.int32)
    for k in range(len(cols)):
        label, head, filled = cells(k, at)
        labels += label & ~head
        heads += head
        filled_n += filled
    numbering = []
    for j in np.flatnonzero((labels == filled_n) & (filled_n >= 3)):
        i = int(at[j])
        row = []
        for _, codes, cats, num in cols:
            c = int(codes[i])
            if c >= 0:
                row.append(cats[c])
            elif num is not None and np.isfinite(num[i]):
                row.append(float(num[i]))
            else:
                row.append(None)
        if is_numbering_row(row):
            numbering.append(i)
    repeats = at[(heads >= 3) & (heads * 5 >= filled_n * 4)]
    return np.asarray(numbering, dtype=np.int64), repeats.astype(np.int64)


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


@dataclass
class _Sheet:
    """One sheet of a workbook while it is read: its header and data rows."""

    name: str
    hidx: int  # 0-based row of the header
    header: list[str]
    merged: list[tuple[int, int, int, int]]
    no_value: set[tuple[int, int]]
    header_notes: list[str]
    texts: list[list[Any]] = field(default_factory=list)
    nums: list[list[float]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    n_empty: int = 0
    #: The row of column numbers under the header, skipped (:func:`is_numbering_row`).
    numbering_row: int | None = None
    #: Rows and columns hidden in Excel (0-based), and the hidden rows read as data.
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    hidden_read: list[int] = field(default_factory=list)
    #: Hidden columns not read: column → the visible column of the same name read instead.
    dropped: dict[int, int] = field(default_factory=dict)
    formula_cells: list[tuple[int, int]] = field(default_factory=list)
    error_cells: list[tuple[int, int, str]] = field(default_factory=list)
    #: column → the merged ranges of the data area whose value was filled into it
    filled: dict[int, list[str]] = field(default_factory=dict)


def _sheet_header(
    path: Path, name: str, head_rows: list[list[Any]], spec: HeaderSpec, header_row: int | None
) -> _Sheet:
    """The header of one sheet (declared row, else the best-scoring of its first rows,
    merged header cells resolved)."""
    merged, no_value, hidden_rows, hidden_cols = _sheet_structure(path, name)
    width = max((len(r) for r in head_rows), default=0)

    def resolved(i: int) -> tuple[list[str], list[str]]:
        cells = list(head_rows[i]) if i < len(head_rows) else []
        cells += [None] * (width - len(cells))
        return _resolve_header(cells, head_rows, i, merged, spec)

    if header_row is not None:
        hidx = max(0, int(header_row) - 1)
    else:
        # score each candidate row with merged cells resolved (a two-row header)
        scores = [spec.score(resolved(i)[0]) for i in range(len(head_rows))]
        hidx = int(np.argmax(scores)) if scores else 0
    header, notes = resolved(hidx)
    return _Sheet(
        name, hidx, header, merged, no_value, notes,
        hidden_rows=hidden_rows, hidden_cols=hidden_cols,
    )  # fmt: skip


def _sheet_rows(ws: Any, sh: _Sheet) -> None:
    """Read the data rows of one sheet below its header into ``sh``.

    A merged range of the data area (a ``Unit Kerja`` cell merged over the rows of its
    OPD's block, as printed-style exports do) holds its value in its top-left cell only;
    Excel shows it on every row of the range, and so it is read: the value is filled
    into the range's first column on every row that holds data (``sh.filled`` says
    which ranges, per column). The other columns of a range across several columns
    stay as they are: one value shown over several columns is not each column's value
    (a fresh tester's unit name merged over ``Unit Kerja`` and ``Jabatan`` became the
    employee's jabatan). Ranges that touch the header or the rows above it are
    left as they are (title rows, a two-row header), and so is a range across several
    columns that is all its row holds (a section title over the table).
    """
    header = sh.header
    width = len(header)
    texts: list[list[Any]] = [[] for _ in header]
    nums: list[list[float]] = [[] for _ in header]
    starts: dict[int, list[tuple[int, int, int, int]]] = {}
    for r0, c0, r1, c1 in sh.merged:
        if r0 > sh.hidx and c0 < width and (r1 > r0 or c1 > c0):
            starts.setdefault(r0, []).append((r0, c0, r1, min(c1, width - 1)))
    active: list[tuple[int, int, int, int, Any]] = []
    no_value = sh.no_value
    for r_i, row in enumerate(
        ws.iter_rows(min_row=sh.hidx + 2, values_only=True), start=sh.hidx + 1
    ):
        cells = list(row)[:width] + [None] * max(0, width - len(row))
        if active:
            active = [a for a in active if a[2] >= r_i]
        if starts:
            for r0, c0, r1, c1 in starts.pop(r_i, ()):
                v = cells[c0]
                if _blank(v):
                    continue
                if c1 > c0 and all(_blank(x) for j, x in enumerate(cells) if not c0 <= j <= c1):
                    continue  # a title across the table, all its row holds
                active.append((r0, c0, r1, c1, v))
        if all(_blank(c) for c in cells):
            if not any((r_i, c) in no_value for c in range(width)):
                sh.n_empty += 1
                continue
        if not sh.rows and sh.numbering_row is None and is_numbering_row(cells):
            sh.numbering_row = r_i + 1  # column numbers under the header: not a record
            continue
        if r_i in sh.hidden_rows:
            sh.hidden_read.append(r_i + 1)  # hidden (or filtered out) in Excel: still data
        for r0, c0, r1, c1, v in active:
            # only down the range's first column: a range across columns shows one value
            # over them, which is not the other columns' value (a unit's name merged over
            # Unit Kerja and Jabatan is no one's jabatan)
            if r_i != r0 and _blank(cells[c0]):
                cells[c0] = v
                ref = f"{_col_letter(c0)}{r0 + 1}:{_col_letter(c1)}{r1 + 1}"
                done = sh.filled.setdefault(c0, [])
                if not done or done[-1] != ref:
                    done.append(ref)
        sh.rows.append(r_i + 1)
        for c_i, v in enumerate(cells):
            t, x = _cell_kind(v)
            if t is not None and t.strip() in EXCEL_ERRORS:
                sh.error_cells.append((r_i + 1, c_i, t.strip()))
            if v is None and (r_i, c_i) in no_value:
                sh.formula_cells.append((r_i + 1, c_i))
            texts[c_i].append(t)
            nums[c_i].append(x)
    sh.texts, sh.nums = texts, nums


def _column_keys(
    header: Sequence[str], spec: HeaderSpec, skip: Collection[int] = ()
) -> list[tuple[str, int] | None]:
    """A key per header cell that is the same for the same column in two sheets: its
    canonical name (else its loose text; an empty header: its position) and which
    occurrence of that name it is; ``None`` for a position in ``skip`` (a column not
    read), which counts as no occurrence."""
    seen: dict[str, int] = {}
    keys: list[tuple[str, int] | None] = []
    for pos, h in enumerate(header):
        if pos in skip:
            keys.append(None)
            continue
        h = "" if h is None else str(h).strip()
        base = (spec.resolve(h) or normalise_header(h)) if h else f"\x00{pos}"
        k = seen.get(base, 0)
        seen[base] = k + 1
        keys.append((base, k))
    return keys


def _named_sheet(sheet: str | int, names: list[str]) -> str:
    """The workbook's sheet a mapping names: a number counts from 0; a name is compared
    without case (as Excel does: two sheets cannot differ only by it); ``#n`` is the n-th
    sheet, counted from 1, as messages show a sheet named after an employee.

    Raises
    ------
    SourceError
        ``sheet_tidak_ada``: the workbook has no such sheet (the message lists them).
    """
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if not 0 <= sheet < len(names):
            raise SourceError("sheet_tidak_ada", sheet=str(sheet), sheets=names)
        return names[sheet]
    text = str(sheet)
    if text in names:
        return text
    folded = {n.strip().casefold(): n for n in names}
    found = folded.get(text.strip().casefold())
    if found is not None:
        return found
    m = re.fullmatch(r"\s*#(\d+)\s*", text)
    if m and 1 <= int(m.group(1)) <= len(names):
        return names[int(m.group(1)) - 1]
    raise SourceError("sheet_tidak_ada", sheet=text, sheets=names)


def _hidden_duplicates(sh: _Sheet, spec: HeaderSpec) -> dict[int, int]:
    """The columns of a sheet hidden in Excel beside a visible column of the same name
    (the table's column it gives): hidden column → the visible one. The hidden one is the
    old one (a hidden old ``Predikat`` beside the current one); it is not read."""
    if not sh.hidden_cols:
        return {}
    name = {
        c: spec.resolve(str(h)) for c, h in enumerate(sh.header) if h is not None and str(h).strip()
    }
    shown: dict[str, int] = {}
    for c, n in name.items():
        if n is not None and c not in sh.hidden_cols:
            shown.setdefault(n, c)
    return {
        c: shown[n] for c, n in name.items() if n is not None and c in sh.hidden_cols and n in shown
    }


#: Words of a sheet's name that mark it as a copy or an archive of another sheet (Excel's
#: "Move or Copy" names a copy ``Pegawai (2)``).
_COPY_WORDS = frozenset(
    {
        "backup", "bak", "bk", "cadangan", "lama", "old", "copy", "salinan", "arsip",
        "archive", "draft", "draf", "temp", "tmp",
    }
)  # fmt: skip
_COPY_SUFFIX = re.compile(r"\(\d+\)\s*$")
#: Words of a sheet's name that mark it as an example or a template to fill in, whose
#: rows are no one's data (``Contoh Pengisian``, ``Template``, ``Petunjuk``).
_EXAMPLE_WORDS = frozenset(
    {
        "contoh", "template", "templat", "petunjuk", "panduan", "example", "sample",
        "instruksi", "format", "form", "blangko", "blanko", "isian", "pengisian",
    }
)  # fmt: skip

#: Two sheets of one workbook that share at least this share of the keys of the smaller,
#: and at least :data:`COPY_MIN_KEYS` keys, are two copies of one table (an old copy kept
#: beside the current one), not two parts; a few shared keys are duplicate rows (a
#: retiree still listed as active), rejected row by row.
COPY_SHARE = 0.8
COPY_MIN_KEYS = 3


def looks_like_copy(sheet: str) -> bool:
    """Whether a sheet's name says it is a copy or an archive: Excel's ``(2)`` suffix of
    a copied sheet, or a word such as ``backup``, ``lama``, ``salinan``, ``arsip``.

    >>> [looks_like_copy(s) for s in ("Pegawai (2)", "Backup lama", "SKP 2025", "Old_SKP")]
    [True, True, False, True]
    """
    if _COPY_SUFFIX.search(sheet):
        return True
    return bool(_words(sheet) & _COPY_WORDS)


def looks_like_example(sheet: str) -> bool:
    """Whether a sheet's name says it holds an example or a template to fill in
    (``Contoh Pengisian``, ``Template``, ``Petunjuk``).

    >>> [looks_like_example(s) for s in ("Contoh Pengisian", "Template SKP", "SKP 2025")]
    [True, True, False]
    """
    return bool(_words(sheet) & _EXAMPLE_WORDS)


def _words(sheet: str) -> set[str]:
    return set(re.split(r"[^0-9a-z]+", sheet.casefold()))


def _cell_text(text: object) -> str:
    """A text cell as sheets are compared: spaces folded and stripped, no leading
    apostrophe, without case."""
    return re.sub(r"\s+", " ", str(text)).strip().lstrip("'").casefold()


def _nip_key(text: str) -> str:
    """A compared NIP cell (:func:`_cell_text`) without its spaces, dots, hyphens and
    apostrophes."""
    return re.sub(r"[\s'’.\-]", "", text)


def copy_key(text: str) -> str:
    """A NIP (or another employee id) as :attr:`ReadInfo.copy_keys` holds it: the key
    the register's sheets were compared by (:func:`_cell_text`, :func:`_nip_key`).

    >>> copy_key("PSD-0001"), copy_key(" 19850312 201001 1 001")
    ('psd0001', '198503122010011001')
    """
    return _nip_key(_cell_text(text))


def _cell_texts(sh: _Sheet, c: int) -> list[str]:
    """The cells of column ``c`` as comparable texts (:func:`_cell_text`; a number as
    its value)."""
    out = []
    for t, x in zip(sh.texts[c], sh.nums[c], strict=True):
        if t is not None:
            out.append(_cell_text(t))
        else:
            out.append("" if np.isnan(x) else repr(float(x)))
    return out


def _key_texts(column: str, texts: list[str]) -> list[str]:
    """A key column's cells compared across sheets: a NIP without its spaces, dots and
    apostrophe (:func:`_nip_key`); a period as its code (``Triwulan I 2024`` and
    ``2024-Q1`` are one key, :func:`~kinerja_analysis.core.periods.parse_period_text`);
    anything else as written."""
    if column == "nip":
        return [_nip_key(v) for v in texts]
    if column != "periode":
        return texts
    codes: dict[str, str] = {}
    for v in set(texts):
        try:
            codes[v] = parse_period_text(v).code
        except (PeriodError, ValueError):
            codes[v] = v
    return [codes[v] for v in texts]


def _copies(
    sheets: Sequence[_Sheet], spec: HeaderSpec
) -> tuple[
    dict[str, tuple[str, int, int, int, int, str, tuple[tuple[str, str, int], ...]]],
    tuple[list[str], int, int] | None,
]:
    """Which sheets read for one table are copies of another, not parts of it.

    Two sheets that share at least :data:`COPY_SHARE` of the keys of the smaller and at
    least :data:`COPY_MIN_KEYS` (the table's key columns, :attr:`HeaderSpec.key`; NIP with its spaces and apostrophe
    removed) hold the same rows twice: an old copy kept beside the current data
    (``Pegawai (2)``, ``Backup lama``). Parts of a table share none (``SKP 2024`` and
    ``SKP 2025``; ``Pegawai Aktif`` and ``Pegawai Pensiun``). Of a group of copies the
    one sheet whose name does not mark it a copy (:func:`looks_like_copy`) is read;
    when there is not exactly one, which is current cannot be told from the file.

    First, a sheet holding every other sheet's rows of the group cell for cell (``Sheet1``
    and ``Sheet2`` the same; ``Pejabat Struktural`` a subset of ``Pegawai``; a December
    snapshot inside the next one) is read alone, nothing being lost; of such sheets one
    not named as a copy (a copy that holds more is read only when no name says which
    sheet is current: its extra rows may be people who have left since).

    Returns ``({copy: (sheet kept, keys shared, keys of the smaller, shared keys whose
    rows differ, keys only the copy holds, why, those keys)}, None)`` with ``why``
    ``"isi"`` (its rows are all in the sheet kept) or ``"nama"`` (its name marks a
    copy), and, for a copy by name of a table with a one-column key, the ``(key, sheet,
    spreadsheet row)`` of each key only the copy holds (else ``()``), or ``({},
    (the sheets, keys shared, keys of the smaller))`` when the sheets to read cannot be
    told apart. Written here because it is a rule of this reader about workbooks, not a
    generic computation a library offers.
    """
    if len(sheets) < 2 or not spec.key:
        return {}, None
    keys: list[dict[tuple[str, ...], int] | None] = []
    cols: list[dict[str, list[str]]] = []
    for sh in sheets:
        named: dict[str, list[str]] = {}
        for c, h in enumerate(sh.header):
            name = spec.resolve(str(h)) if h is not None and str(h).strip() else None
            if name is not None and name not in named:
                named[name] = _cell_texts(sh, c)
        cols.append(named)
        if not all(k in named for k in spec.key):
            keys.append(None)
            continue
        parts = [_key_texts(k, named[k]) for k in spec.key]
        own: dict[tuple[str, ...], int] = {}
        for i, kt in enumerate(zip(*parts, strict=True)):
            if any(kt):
                own.setdefault(kt, i)
        keys.append(own)
    n = len(sheets)
    group = list(range(n))

    def root(i: int) -> int:
        while group[i] != i:
            i = group[i]
        return i

    for i in range(n):
        for j in range(i + 1, n):
            a, b = keys[i], keys[j]
            if not a or not b:
                continue
            shared = len(a.keys() & b.keys())
            if shared >= COPY_MIN_KEYS and shared >= COPY_SHARE * min(len(a), len(b)):
                group[root(j)] = root(i)

    def compare(i: int, j: int) -> tuple[int, int, int, int]:
        a, b = keys[i] or {}, keys[j] or {}
        common = a.keys() & b.keys()
        same_cols = [c for c in cols[i] if c in cols[j]]
        differ = sum(any(cols[i][c][a[k]] != cols[j][c][b[k]] for c in same_cols) for k in common)
        return len(common), min(len(a), len(b)), differ, len(b.keys() - a.keys())

    def only(i: int, kept: int) -> tuple[tuple[str, str, int], ...]:
        """``(key, sheet, row)`` of the keys of a one-column key only sheet ``i`` holds."""
        a, b = keys[kept] or {}, keys[i] or {}
        if len(spec.key) != 1:
            return ()
        return tuple(
            sorted((k[0], sheets[i].name, sheets[i].rows[b[k]]) for k in b.keys() - a.keys())
        )

    copies: dict[str, tuple[str, int, int, int, int, str, tuple[tuple[str, str, int], ...]]] = {}
    for r in sorted({root(i) for i in range(n)}):
        members = [i for i in range(n) if root(i) == r]
        if len(members) < 2:
            continue
        # a sheet holding every other one's rows, cell for cell (a copy, or a subset
        # such as 'Pejabat Struktural' of 'Pegawai'): read it alone, nothing is lost
        whole = [
            i for i in members
            if all(compare(i, j)[2:] == (0, 0) for j in members if j != i)
        ]  # fmt: skip
        named = [i for i in members if not looks_like_copy(sheets[i].name)]
        # a sheet named as a copy that holds more is read only when no name says which
        # is current: its extra rows may be people who have left since
        full = [i for i in whole if i in named] or (whole if not named else [])
        current = full[:1] or named
        if len(current) != 1:
            shared, smaller = compare(members[0], members[1])[:2]
            return {}, ([sheets[i].name for i in members], shared, smaller)
        kept = current[0]
        for i in members:
            if i != kept:
                why = "isi" if full else "nama"
                copies[sheets[i].name] = (
                    sheets[kept].name, *compare(kept, i), why, only(i, kept) if why == "nama" else ()
                )  # fmt: skip
    return copies, None


#: At most this many merged ranges are named per column in the message (then how many).
_MERGED_SHOWN = 5


def _read_xlsx(
    path: Path,
    spec: HeaderSpec,
    sheet: str | int | tuple[str | int, ...] | None,
    header_row: int | None,
) -> tuple[
    list[tuple[str, np.ndarray, np.ndarray, np.ndarray]],
    np.ndarray,
    ReadInfo,
    list[Problem],
    np.ndarray | None,
]:
    """Read a workbook's table: the named sheet, else the sheet whose header matches
    best **and every other sheet holding the required columns** (one year or one
    group of employees per sheet: ``SKP 2024`` and ``SKP 2025``, ``Pegawai Aktif`` and
    ``Pegawai Pensiun``), stacked in workbook order with each row's sheet
    (``row_sheet``, the last item). Every sheet holding the required columns is read, a
    column it lacks empty on its rows; a copy of another sheet (:func:`_copies`), a
    hidden sheet and an example sheet are not, each said."""
    import openpyxl  # lazy: only XLSX sources need it
    from openpyxl.utils.datetime import MAC_EPOCH  # lazy: only XLSX sources need it

    problems: list[Problem] = []
    detected: list[str] = []
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any reader failure becomes a user message
        raise SourceError("file_rusak", error=f"{type(exc).__name__}: {exc}") from exc
    # the workbook's date system (its ``date1904`` property): openpyxl reads date-formatted
    # cells with it; a date column's plain numbers (serials) are read with it too
    date_system = 1904 if wb.epoch == MAC_EPOCH else 1900
    heads: dict[str, list[list[Any]]] = {}

    def head(nm: str) -> list[list[Any]]:
        if nm not in heads:
            heads[nm] = [
                list(r) for r in wb[nm].iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True)
            ]
        return heads[nm]

    def cells(nm: str) -> list[Any]:
        """The row of a sheet that looks most like the header."""
        rows = head(nm)
        return rows[_best_header(rows, spec)[0]] if rows else []

    try:
        names = list(wb.sheetnames)
        state = {nm: getattr(wb[nm], "sheet_state", "visible") for nm in names}
        hidden: list[str] = []
        examples: list[str] = []
        elsewhere: list[tuple[str, str]] = []
        very_hidden: list[str] = []
        lacking: list[tuple[str, list[str]]] = []
        named: list[str] = []
        if sheet is not None:
            named = [
                _named_sheet(x, names)
                for x in (sheet if isinstance(sheet, tuple | list) else (sheet,))
            ]
            chosen = named[0]
        else:
            detected.append("sheet")
            # a visible sheet whose header matches at all goes before a hidden one (an
            # archived copy is hidden more often than the current data)
            scored = [
                (
                    (s := _best_header(head(nm), spec)[1]) > 0
                    and state[nm] == "visible"
                    and not looks_like_example(nm),
                    s,
                    -i,
                    nm,
                )
                for i, nm in enumerate(names)
            ]
            chosen = max(scored)[3]
        first = _sheet_header(path, chosen, head(chosen), spec, header_row)
        if header_row is None:
            detected.append("baris_header")
        parts = {chosen: first}
        for nm in named[1:]:
            parts[nm] = _sheet_header(path, nm, head(nm), spec, header_row)
        if named:
            # the mapping names the sheets: the others holding the table's required
            # columns are not read, and said (a sheet of 2024 left out by a fix for 2025)
            need = set(spec.required)
            left = [
                nm
                for nm in names
                if nm not in parts
                and need
                and need <= spec.names(cells(nm))
                and spec.other_table(cells(nm)) is None
            ]
            if left:
                problems.append(
                    Problem(
                        "sheet_tidak_dipetakan",
                        "peringatan",
                        fields={
                            "daftar": ", ".join(f"'{nm}'" for nm in left),
                            "dibaca": ", ".join(f'"{nm}"' for nm in named),
                        },
                    )
                )
        if sheet is None and len(names) > 1:
            want = spec.names(first.header)
            need = set(spec.required) or set(want)
            for nm in names:
                if nm == chosen or not need:
                    continue
                got = spec.names(cells(nm))
                other_table = spec.other_table(cells(nm))
                if other_table is not None:
                    # another table's sheet of the same workbook (the SKP sheet holds the
                    # official ratings' nip and periode, and four columns of its own)
                    if need <= got:
                        elsewhere.append((nm, other_table))
                    continue
                if not need <= got:
                    if len(got & need) * 2 >= len(need) and len(need) > 1:
                        # this table's sheet in another layout (an old SKP without Aspek)
                        lacking.append((nm, sorted(need - got)))
                    continue
                if state[nm] != "visible":
                    (very_hidden if state[nm] == "veryHidden" else hidden).append(nm)
                    continue
                if looks_like_example(nm) and not looks_like_example(chosen):
                    # (when the best sheet is named as a template too, every such sheet
                    # is the data: 'Template 2024' and 'Template 2025')
                    examples.append(nm)
                    continue
                other = _sheet_header(path, nm, head(nm), spec, header_row)
                if need <= spec.names(other.header):
                    parts[nm] = other
        # workbook order, or the order the mapping gives
        order = list(dict.fromkeys(named)) if named else [nm for nm in names if nm in parts]
        for nm in order:
            _sheet_rows(wb[nm], parts[nm])
    finally:
        wb.close()
    copies, unsure = _copies([parts[nm] for nm in order], spec)
    if unsure:
        size = {nm: len(parts[nm].rows) for nm in unsure[0]}
        raise SourceError(
            "sheet_salinan_ragu",
            daftar=", ".join(f"'{nm}' ({size[nm]})" for nm in unsure[0]),
            kunci=", ".join(spec.key),
            n=unsure[1],
            m=unsure[2],
            # the fullest as the example (on a tie the later one, more often the newer)
            sheet=max(reversed(unsure[0]), key=lambda nm: size[nm]),
        )
    for nm in copies:
        order.remove(nm)
    if chosen not in order:  # the best-matching sheet was a copy of another
        chosen = order[0]
    first = parts[chosen]
    if first.header_notes:
        problems.append(
            Problem("header_digabung", "info", fields={"ranges": ", ".join(first.header_notes)})
        )
    want = spec.names(first.header)
    differ = [(nm, spec.names(parts[nm].header)) for nm in order]
    differ = [(nm, got) for nm, got in differ if got != want]
    stacked = len(order) > 1
    if stacked:
        problems.append(
            Problem(
                "sheet_digabung",
                "info",
                fields={
                    "daftar": ", ".join(f"'{nm}': {len(parts[nm].rows)}" for nm in order),
                    "contoh": sheet_label(path.name, order[-1]),
                    "baris": (parts[order[-1]].rows or [parts[order[-1]].hidx + 2])[0],
                    "sheets": names,
                },
            )
        )
    elif sheet is None and chosen != names[0]:
        problems.append(Problem("sheet_dipilih", "info", fields={"sheet": chosen, "sheets": names}))
    if differ:
        # every sheet holding the required columns is read: a column one sheet lacks is
        # empty on its rows (Pegawai Aktif without TMT Keluar beside Pegawai Pensiun)
        union = frozenset().union(*(spec.names(parts[nm].header) for nm in order))
        # (sheet, its rows, the columns it lacks), written in the message's language by
        # the loader
        # every sheet read that lacks a column, those with the chosen sheet's columns too
        beda = [
            (nm, len(parts[nm].rows), sorted(union - spec.names(parts[nm].header)))
            for nm in order
            if union - spec.names(parts[nm].header)
        ]
        problems.append(
            Problem(
                "sheet_beda_kolom",
                "peringatan",
                fields={"beda": beda, "contoh": min((nm for nm, _ in differ), key=names.index)},
            )
        )
    for nm, (kept, n, m, n_diff, n_only, why, _) in copies.items():
        problems.append(
            Problem(
                "sheet_salinan" if why == "nama" else "sheet_isi_sama",
                "peringatan" if why == "nama" else "info",
                fields={
                    "salinan": nm,
                    "sheet": kept,
                    "n": n,
                    "m": m,
                    "kunci": ", ".join(spec.key),
                    "n_beda": n_diff,
                    "n_hanya": n_only,
                },
            )
        )
    for nm, cols in lacking:
        problems.append(
            Problem(
                "sheet_kurang_kolom",
                "peringatan",
                fields={"sheet_lain": nm, "kurang": ", ".join(cols), "sheet": chosen},
            )
        )
    if elsewhere:
        problems.append(
            Problem(
                "sheet_tabel_lain",
                "info",
                fields={"daftar": ", ".join(f"'{nm}' ({t})" for nm, t in elsewhere)},
            )
        )
    if sheet is None and state[chosen] != "visible":
        problems.append(Problem("sheet_dipilih_tersembunyi", "info", fields={"sheet": chosen}))
    for key, skipped in (
        ("sheet_tersembunyi", hidden),
        ("sheet_sangat_tersembunyi", very_hidden),
        ("sheet_contoh", examples),
    ):
        if skipped:
            problems.append(
                Problem(
                    key,
                    "peringatan",
                    fields={
                        "daftar": ", ".join(f"'{nm}'" for nm in skipped),
                        "contoh": skipped[0],
                        "sheet": chosen,
                    },
                )
            )
    for nm in order:
        sh = parts[nm]
        sh.dropped = _hidden_duplicates(sh, spec)
        for c, shown in sh.dropped.items():
            problems.append(
                Problem(
                    "kolom_tersembunyi_ganda",
                    "peringatan",
                    column=spec.resolve(str(sh.header[c])) or str(sh.header[c]),
                    fields={
                        "header": sh.header[c],
                        "huruf": _col_letter(c),
                        "pakai": _col_letter(shown),
                        "header_pakai": sh.header[shown],
                        "kolom": spec.resolve(str(sh.header[c])) or str(sh.header[c]),
                        "di": f" (sheet '{nm}')" if stacked else "",
                    },
                )
            )
    # the columns of every sheet read, aligned by name (the first sheet's order, then
    # columns only later sheets have)
    keys: list[tuple[str, int]] = []
    header: list[str] = []
    for nm in [chosen, *order]:
        sh = parts[nm]
        for k, h in zip(_column_keys(sh.header, spec, sh.dropped), sh.header, strict=True):
            if k is not None and k not in keys:
                keys.append(k)
                header.append(h)
    index = {k: j for j, k in enumerate(keys)}
    texts: list[list[Any]] = [[] for _ in header]
    nums: list[list[float]] = [[] for _ in header]
    rows_out: list[int] = []
    row_sheet: list[np.ndarray] = []
    hidden_in: dict[int, bool] = {}
    for s_i, nm in enumerate(order):
        sh = parts[nm]
        n = len(sh.rows)
        where = {
            index[k]: c
            for c, k in enumerate(_column_keys(sh.header, spec, sh.dropped))
            if k is not None
        }
        for j, c in where.items():  # hidden on every sheet that has it
            hidden_in[j] = hidden_in.get(j, True) and c in sh.hidden_cols
        for j in range(len(header)):
            c = where.get(j)
            texts[j].extend(sh.texts[c] if c is not None else [None] * n)
            nums[j].extend(sh.nums[c] if c is not None else [np.nan] * n)
        rows_out.extend(sh.rows)
        row_sheet.append(np.full(n, s_i, dtype=np.int16))
        own = {c: header[j] for j, c in where.items()}
        tag = nm if stacked else None
        if sh.hidden_read:
            shown = ", ".join(str(r) for r in sh.hidden_read[:_MERGED_SHOWN])
            problems.append(
                Problem(
                    "baris_tersembunyi",
                    "info",
                    fields={
                        "n": len(sh.hidden_read),
                        "baris": shown + (", …" if len(sh.hidden_read) > _MERGED_SHOWN else ""),
                        "di": f" (sheet '{nm}')" if stacked else "",
                    },
                )
            )
        if sh.numbering_row is not None:
            problems.append(
                Problem(
                    "baris_nomor_kolom",
                    "info",
                    fields={"baris": sh.numbering_row, "di": f" (sheet '{nm}')" if stacked else ""},
                )
            )
        for r, c_i, t in sh.error_cells:
            problems.append(
                Problem("sel_galat_excel", "tolak", column=own[c_i], value=t, row=r, sheet=tag)
            )
        for r, c_i in sh.formula_cells:
            problems.append(
                Problem("rumus_tanpa_nilai", "tolak", column=own[c_i], row=r, sheet=tag,
                        fields={"sel": f"{_col_letter(c_i)}{r}"})
            )  # fmt: skip
        for c_i, ranges in sh.filled.items():
            shown = ", ".join(ranges[:_MERGED_SHOWN]) + (
                ", …" if len(ranges) > _MERGED_SHOWN else ""
            )
            problems.append(
                Problem(
                    "sel_gabungan_diisi",
                    "peringatan",
                    column=own[c_i],
                    fields={
                        "n": len(ranges),
                        "ranges": shown,
                        "huruf": _col_letter(c_i),
                        "header": own[c_i],
                        "di": f" (sheet '{nm}')" if stacked else "",
                    },
                )
            )
    cols = []
    for c_i, h in enumerate(header):
        codes, cats = _column_from_texts(texts[c_i])
        num = np.asarray(nums[c_i], dtype=np.float64)
        cols.append((h, codes, cats, num))
    info = ReadInfo(
        file=path.name,
        format="xlsx",
        header_row=first.hidx + 1,
        sheet=chosen,
        sheets=tuple(names),
        n_empty_rows=sum(parts[nm].n_empty for nm in order),
        detected=tuple(detected),
        date_system=date_system,
        sheets_read=tuple(order) if stacked else (),
        hidden_columns=tuple(j + 1 for j, h in sorted(hidden_in.items()) if h),
        copy_keys=tuple(sorted(k for *_, ks in copies.values() for k in ks)),
    )
    return (
        cols,
        np.asarray(rows_out, dtype=np.int64),
        info,
        problems,
        np.concatenate(row_sheet) if stacked else None,
    )


def _resolve_header(
    cells: list[Any],
    head_rows: list[list[Any]],
    hidx: int,
    merged: list[tuple[int, int, int, int]],
    spec: HeaderSpec,
) -> tuple[list[str], list[str]]:
    """Header texts, with merged header cells resolved (the merged cell's text; a group
    title above combined with the cell below when that is what the mapping names)."""
    out: list[str] = []
    notes: list[str] = []

    def value(r: int, c: int) -> Any:
        if r < len(head_rows) and c < len(head_rows[r]):
            return head_rows[r][c]
        return None

    for c, v in enumerate(cells):
        text = "" if v is None else str(v).strip()
        for r0, c0, r1, c1 in merged:
            if r0 <= hidx <= r1 and c0 <= c <= c1 and (r0, c0) != (hidx, c):
                top = value(r0, c0)
                if not text and top is not None:
                    text = str(top).strip()
                    notes.append(f"{_col_letter(c0)}{r0 + 1}:{_col_letter(c1)}{r1 + 1}")
            elif r1 == hidx - 1 and c0 <= c <= c1 and c1 > c0 and text:
                group = value(r0, c0)
                combined = f"{str(group).strip()} {text}" if group is not None else text
                if spec.resolve(text) is None and spec.resolve(combined) is not None:
                    text = combined
                    notes.append(f"{_col_letter(c0)}{r0 + 1}:{_col_letter(c1)}{r1 + 1}")
        out.append(text)
    return out, sorted(set(notes))


# --------------------------------------------------------------------------- Parquet


def _read_parquet(
    path: Path,
) -> tuple[list[tuple[str, np.ndarray, np.ndarray, np.ndarray | None]], np.ndarray, ReadInfo]:
    import pyarrow.compute as pc  # lazy: only Parquet sources need it
    import pyarrow.parquet as pq  # lazy: only Parquet sources need it

    try:
        table = pq.read_table(path)
    except Exception as exc:  # noqa: BLE001 - any reader failure becomes a user message
        raise SourceError("file_rusak", error=f"{type(exc).__name__}: {exc}") from exc
    cols = []
    for name in table.column_names:
        arr = table.column(name)
        t = arr.type
        num = None
        if pa.types.is_dictionary(t):
            arr = arr.cast(t.value_type)
            t = t.value_type
        if pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t):
            num = arr.cast(pa.float64()).fill_null(np.nan).to_numpy()
            codes = np.full(len(num), -1, dtype=np.int32)
            cats = np.array([], dtype=object)
            if pa.types.is_integer(t):
                # an int64 Parquet column is exact: keep its text (an 18-digit NIP)
                enc = pc.cast(arr, pa.string()).dictionary_encode().combine_chunks()
                codes = enc.indices.fill_null(-1).to_numpy().astype(np.int32)
                cats, remap = _unique_texts(enc.dictionary.to_numpy(zero_copy_only=False))
                codes = remap_codes(codes, remap)
                num = None
        else:
            if pa.types.is_date(t):
                arr = pc.strftime(arr.cast(pa.timestamp("s")), format="%Y-%m-%d")
            elif pa.types.is_timestamp(t):
                # a midnight timestamp is a date (as a spreadsheet's date cell)
                secs = arr.cast(pa.timestamp("s"), safe=False).combine_chunks()
                whole_day = pc.cast(secs, pa.int64()).fill_null(0).to_numpy() % 86400 == 0
                day = pc.strftime(secs, format="%Y-%m-%d")
                full = pc.strftime(secs, format="%Y-%m-%dT%H:%M:%S")
                arr = pa.chunked_array([pc.if_else(pa.array(whole_day), day, full)])
            elif pa.types.is_boolean(t):
                arr = pc.if_else(arr, "true", "false")
            elif not (pa.types.is_string(t) or pa.types.is_large_string(t)):
                arr = arr.cast(pa.string())
            enc = arr.dictionary_encode().combine_chunks()
            codes = enc.indices.fill_null(-1).to_numpy().astype(np.int32)
            cats, remap = _unique_texts(enc.dictionary.to_numpy(zero_copy_only=False))
            codes = remap_codes(codes, remap)
        cols.append((name, codes, cats, num))
    rows = np.arange(table.num_rows, dtype=np.int64) + 2
    return cols, rows, ReadInfo(file=path.name, format="parquet")


# --------------------------------------------------------------------------- public


def read_source(
    path: Path,
    spec: HeaderSpec,
    *,
    sheet: str | int | tuple[str | int, ...] | None = None,
    delimiter: str | None = None,
    header_row: int | None = None,
    encoding: str | None = None,
) -> RawTable:
    """Read one file into a :class:`RawTable` whose columns carry canonical names.

    Parameters
    ----------
    path
        A ``.csv``, ``.xlsx`` or ``.parquet`` file (the raw file is only read).
    spec
        The expected header (canonical names and the mapping's header → name).
    sheet, delimiter, header_row, encoding
        Declared settings; ``None`` = detect (reported in :class:`ReadInfo`). A workbook
        without a declared sheet gives the rows of every sheet holding the required
        columns (copies, hidden and example sheets left out), stacked in workbook order
        (:attr:`RawTable.row_sheet`; messages name such a row's sheet with its file,
        :meth:`RawTable.file_at`).

    Raises
    ------
    SourceError
        The file cannot be read at all (empty, not a spreadsheet, a named sheet that does
        not exist …); ``key``/``fields`` select the message.
    """
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise SourceError("file_kosong")
    problems: list[Problem] = []
    broken: list[tuple[int, str, int]] = []
    row_sheet: np.ndarray | None = None
    if suffix == ".csv":
        cols3, rows, info, broken, problems = _read_csv(path, spec, delimiter, header_row, encoding)
        cols4 = [(h, c, k, None) for h, c, k in cols3]
    elif suffix == ".xlsx":
        cols4, rows, info, problems, row_sheet = _read_xlsx(path, spec, sheet, header_row)
    elif suffix == ".parquet":
        cols4, rows, info = _read_parquet(path)
    else:  # pragma: no cover - the loader only passes known suffixes
        raise SourceError("jenis_file", suffix=suffix)
    set_aside: list[tuple[str, int, str]] = []
    sheet_of = None
    if row_sheet is not None:
        stacked_sheets, by_row = info.sheets_read, row_sheet
        sheet_of = lambda i: stacked_sheets[int(by_row[i])]  # noqa: E731
    if suffix != ".parquet":
        # rows of column labels and the header written again further down (a table
        # printed or converted page by page): the table's layout, not records
        numbering, repeats = _layout_rows(cols4)
        drop = np.zeros(len(rows), dtype=bool)
        for key, at in (("baris_nomor_kolom", numbering), ("baris_header_ulang", repeats)):
            if len(at):
                mask = np.zeros(len(rows), dtype=bool)
                mask[at] = True
                drop |= mask
                fields = {"baris": _first_rows(rows, mask, sheet_of=sheet_of), "di": "",
                          "n": int(mask.sum())}  # fmt: skip
                problems.append(Problem(key, "info", fields=fields))
        if drop.any():
            keep = np.flatnonzero(~drop)
            rows = rows[keep]
            cols4 = [(h, c[keep], k, None if x is None else x[keep]) for h, c, k, x in cols4]
            if row_sheet is not None:
                row_sheet = row_sheet[keep]
                stacked_sheets, by_row = info.sheets_read, row_sheet
                sheet_of = lambda i: stacked_sheets[int(by_row[i])]  # noqa: E731
    columns, extra = _name_columns(
        cols4, spec, problems, rows, set_aside, sheet_of, hidden=frozenset(info.hidden_columns)
    )
    # empty rows (every cell empty): skipped and counted
    if columns or extra:
        allc = list(columns.values()) + extra
        present = np.zeros(len(rows), dtype=bool)
        for c in allc:
            present |= c.present
        n_empty = int((~present).sum())
        if n_empty:
            keep = np.flatnonzero(present)
            rows = rows[keep]
            if row_sheet is not None:
                row_sheet = row_sheet[keep]
            for c in allc:
                c.codes = c.codes[keep]
                if c.num is not None:
                    c.num = c.num[keep]
            info = dataclasses.replace(info, n_empty_rows=info.n_empty_rows + n_empty)
    for c in extra:
        columns.setdefault(c.name, c)
    return RawTable(
        file=path.name,
        columns=columns,
        rows=rows,
        info=info,
        problems=problems,
        broken=broken,
        n_header_fields=len(cols4),
        set_aside=set_aside,
        row_sheet=row_sheet,
    )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xlsx_head_rows(path: Path, max_rows: int) -> dict[str, list[list[Any]]]:
    """The first ``max_rows`` rows of every sheet of a workbook, by sheet name.

    Read from the sheets' XML as a stream that stops after those rows, and from the
    shared strings only as far as those rows use them: openpyxl, even read-only, loads
    every shared string of the workbook first (seconds for an export of 300,000 rows).
    """
    raw: dict[str, list[list[Any]]] = {}
    need = -1
    with zipfile.ZipFile(path) as zf:
        members = set(zf.namelist())
        wb = zf.read("xl/workbook.xml").decode("utf-8", "replace")
        names = [
            _xml_unescape(m.group(1))
            for m in re.finditer(r'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"', wb)
        ]
        for name in names:
            part = _sheet_xml_path(zf, name)
            if part is None or part not in members:
                continue
            rows: list[list[Any]] = []
            with zf.open(part) as fh:
                for _, el in ET.iterparse(fh, events=("end",)):
                    if _local(el.tag) != "row":
                        continue
                    r = int(el.get("r") or len(rows) + 1)
                    if r > max_rows:
                        break
                    cells: dict[int, Any] = {}
                    for c in el:
                        ref = _REF.match(c.get("r") or "")
                        col = _col_index(ref.group(1)) if ref else len(cells)
                        kind = c.get("t")
                        v = next((x.text for x in c if _local(x.tag) == "v"), None)
                        if kind == "s" and v is not None and v.strip().isdigit():
                            cells[col] = ("s", int(v))
                            need = max(need, int(v))
                        elif kind == "inlineStr":
                            cells[col] = "".join(
                                x.text or "" for x in c.iter() if _local(x.tag) == "t"
                            )
                        else:
                            cells[col] = v
                    row: list[Any] = [None] * (max(cells) + 1 if cells else 0)
                    for k, val in cells.items():
                        row[k] = val
                    rows.extend([] for _ in range(r - 1 - len(rows)))
                    rows.append(row)
                    el.clear()
            raw[name] = rows
        strings: list[str] = []
        if need >= 0 and "xl/sharedStrings.xml" in members:
            with zf.open("xl/sharedStrings.xml") as fh:
                for _, el in ET.iterparse(fh, events=("end",)):
                    if _local(el.tag) == "si":
                        strings.append(
                            "".join(x.text or "" for x in el.iter() if _local(x.tag) == "t")
                        )
                        el.clear()
                        if len(strings) > need:
                            break

    def text(v: Any) -> Any:
        if isinstance(v, tuple):
            return strings[v[1]] if v[1] < len(strings) else None
        return v

    return {name: [[text(v) for v in row] for row in rows] for name, rows in raw.items()}


def header_names(path: Path, spec: HeaderSpec) -> frozenset[str]:
    """The canonical names a file's header gives under ``spec``, from its first rows only.

    The header is searched as :func:`read_source` first searches it (delimiter and
    header row of a CSV from its first 64 KiB only: a header behind a title longer than
    that, which :func:`read_source` still finds, gives nothing here; the best-scoring
    sheet and row of a workbook, from
    its first rows only, :func:`_xlsx_head_rows`; a Parquet file's schema), without
    reading the data, so a folder's files can be told
    apart by their headers. A file that cannot be read gives an empty set (reading it
    for real reports why).

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "x.csv").write_text("NIP Baru;Unit Kerja\\n1;A\\n")
    >>> sorted(header_names(d / "x.csv", HeaderSpec(("nip", "opd"), {"Unit Kerja": "opd",
    ...                                                               "NIP Baru": "nip"})))
    ['nip', 'opd']
    """
    suffix = path.suffix.lower()
    try:
        if path.stat().st_size == 0:
            return frozenset()
        if suffix == ".csv":
            with path.open("rb") as fh:
                sample = fh.read(_SAMPLE_BYTES)
            encoding, _ = detect_encoding(sample)
            if binary_content(sample, encoding) is not None:
                return frozenset()
            _, _, cells, _ = _sniff_csv(sample.decode(encoding, errors="replace"), spec, None)
        elif suffix == ".xlsx":
            cells, best = [], -1
            for rows in _xlsx_head_rows(path, HEADER_SEARCH_ROWS).values():
                i, score = _best_header(rows, spec)
                if rows and score > best:
                    cells, best = rows[i], score
        elif suffix == ".parquet":
            import pyarrow.parquet as pq  # lazy: only Parquet sources need it

            cells = pq.read_schema(path).names
        else:
            return frozenset()
    except Exception:  # noqa: BLE001 - an unreadable file has no header to offer here
        return frozenset()
    names = {spec.resolve(str(c)) for c in cells if c is not None and str(c).strip()}
    names.discard(None)
    return frozenset(names)  # type: ignore[arg-type]


#: Cell texts that stand for "no value" in an export (a dash, "N/A", "null" …), compared
#: case-blind: where two columns mapped to one canonical column meet, such a cell gives
#: way to the other column's value and never counts as a disagreement.
PLACEHOLDERS = frozenset(
    {"n/a", "na", "#n/a", "null", "none", "nil", "nihil", "tidak ada", "kosong"}
)
_DASHES = re.compile(r"^[\s\-\u2010-\u2015\u2212._/…]*$")


def is_placeholder(text: object) -> bool:
    """Whether a cell's text stands for "no value" (:data:`PLACEHOLDERS`, or only dashes,
    dots and slashes: ``-``, ``--``, ``—``, ``...``); an empty text is not one.

    >>> [is_placeholder(t) for t in ("-", " — ", "N/A", "2025-02-01", "", "0")]
    [True, True, True, False, False, False]
    """
    if not isinstance(text, str) or not text.strip():
        return False
    t = text.strip()
    return t.lower() in PLACEHOLDERS or bool(_DASHES.match(t))


def _real_text(c: RawColumn) -> np.ndarray:
    """A column's cell texts (:meth:`RawColumn.text`) with the placeholders
    (:func:`is_placeholder`) as ``""``; decided once per distinct text."""
    ph = np.fromiter((is_placeholder(t) for t in c.cats.tolist()), bool, len(c.cats))
    if not ph.any():
        return c.text()
    codes = c.codes.copy()
    codes[(codes >= 0) & ph[np.maximum(codes, 0)]] = -1
    return RawColumn(c.name, c.header, c.position, codes, c.cats, c.num).text()


def _disagree(texts: list[np.ndarray]) -> np.ndarray:
    """Rows where columns (their cell texts, ``""`` = empty) hold two different
    non-empty texts."""
    stack = np.stack(texts)
    filled = stack != ""
    first = stack[np.argmax(filled, axis=0), np.arange(stack.shape[1])]
    return ((stack != first) & filled).any(axis=0)


def _complementary(texts: list[np.ndarray]) -> bool:
    """Whether columns (their cell texts, ``""`` = empty) never disagree on a row: at
    most one distinct non-empty text per row."""
    return not bool(_disagree(texts).any())


def _coalesce(group: list[RawColumn], real: list[np.ndarray] | None = None) -> RawColumn:
    """One column from synonyms: each row's cell from the first column filled in it;
    named and placed as the first. With ``real`` (per column, the rows whose cell is a
    value rather than a placeholder), a placeholder is taken only where no column holds
    a value."""
    first = group[0]
    n = len(first.codes)
    cats = np.concatenate([c.cats for c in group])
    offsets = np.cumsum([0] + [len(c.cats) for c in group[:-1]])
    present = [c.present for c in group]
    choice = np.full(n, -1, dtype=np.int64)
    for j in reversed(range(len(group))):
        choice[present[j]] = j
    if real is not None:
        for j in reversed(range(len(group))):
            choice[present[j] & real[j]] = j
    codes = np.full(n, -1, dtype=np.int64)
    num = None if all(c.num is None for c in group) else np.full(n, np.nan)
    for j, (c, off) in enumerate(zip(group, offsets, strict=True)):
        sel = choice == j
        text = sel & (c.codes >= 0)
        codes[text] = c.codes[text] + off
        if c.num is not None and num is not None:
            isn = sel & ~np.isnan(c.num)
            num[isn] = c.num[isn]
    uniq, remap = _unique_texts(cats)
    return RawColumn(first.name, first.header, first.position, remap_codes(codes, remap), uniq, num)


def column_letter(position: int) -> str:
    """A spreadsheet's letter of the 1-based column ``position`` (1 → ``A``, 27 → ``AA``)."""
    return _col_letter(position - 1)


def _positions(group: list[RawColumn]) -> dict[str, Any]:
    """Fields naming columns: ``posisi`` (``'Unit Kerja' (kolom E), …``) and
    ``kolom_huruf``, the ``(header, letter)`` pairs a message in another language names
    them with."""
    pairs = tuple((c.header, _col_letter(c.position - 1)) for c in group)
    return {
        "posisi": ", ".join(f"{h!r} (kolom {letter})" for h, letter in pairs),
        "kolom_huruf": pairs,
    }


def _first_rows(rows: np.ndarray, mask: np.ndarray, most: int = 5, sheet_of: Any = None) -> str:
    """The spreadsheet row numbers of the first ``most`` rows in ``mask`` (each with its
    sheet, ``sheet_of(i)``, for rows stacked from several sheets)."""
    at = np.flatnonzero(mask)

    def one(i: int) -> str:
        if i >= len(rows):
            return str(i)
        s = None if sheet_of is None else sheet_of(i)
        return f"{int(rows[i])}" + (f" (sheet '{s}')" if s is not None else "")

    return ", ".join(one(int(i)) for i in at[:most]) + (", …" if len(at) > most else "")


def _name_columns(
    cols: list[tuple[str, np.ndarray, np.ndarray, np.ndarray | None]],
    spec: HeaderSpec,
    problems: list[Problem],
    rows: np.ndarray | None = None,
    set_aside: list[tuple[str, int, str]] | None = None,
    sheet_of: Any = None,
    hidden: frozenset[int] = frozenset(),
) -> tuple[dict[str, RawColumn], list[RawColumn]]:
    """Canonical names for the columns; duplicates resolved or reported.

    Several columns under one canonical name (synonyms, or one header twice):

    - the same contents: one is read (a warning);
    - never two different values on one row, a placeholder (:func:`is_placeholder`)
      counting as empty: merged, each row from the column that holds a value (a warning);
    - one header written twice, of a column in :attr:`HeaderSpec.keep_first`: the first
      is read, the others set aside (a warning naming them by letter);
    - different headers of a column in :attr:`HeaderSpec.optional`: merged, and each row
      where they disagree is emptied with a row-level warning (file, row, both columns,
      both values) — one employee's conflicting leaving date never makes the table
      unusable;
    - otherwise (a key, a required column): the column cannot be used (fatal), naming the
      rows where the columns disagree and how to choose one in the mapping.

    A column hidden in Excel (``hidden``: 1-based positions) is read, with a note (one
    hidden beside a visible one of the same name never gets here: the workbook reader
    leaves it out, sheet by sheet, :func:`_hidden_duplicates`).

    ``rows`` are the spreadsheet row numbers of the cells (``sheet_of(i)``: the sheet
    of row ``i`` where the rows come from several sheets); ``set_aside`` receives the
    columns not kept (``(header, position, why)``).
    """
    rows = np.arange(len(cols[0][1]) if cols else 0, dtype=np.int64) + 2 if rows is None else rows
    aside: list[tuple[str, int, str]] = [] if set_aside is None else set_aside
    by_name: dict[str, list[RawColumn]] = {}
    extra: list[RawColumn] = []
    for pos, (header, codes, cats, num) in enumerate(cols, start=1):
        h = "" if header is None else str(header).replace("\ufeff", "").strip()
        if h and spec.is_ignored(h):
            aside.append((h, pos, "abaikan"))
            continue
        canon = spec.resolve(h) if h else None
        if canon is None:
            name = h or f"kolom_{_col_letter(pos - 1)}"
            col = RawColumn(name, h, pos, codes, cats, num)
            if not h and not col.present.any():
                continue  # a trailing empty column
            extra.append(col)
            continue
        by_name.setdefault(canon, []).append(RawColumn(canon, h, pos, codes, cats, num))
    out: dict[str, RawColumn] = {}
    for canon, group in by_name.items():
        if all(c.position in hidden for c in group):
            problems.append(
                Problem(
                    "kolom_tersembunyi_dibaca",
                    "info",
                    column=canon,
                    fields={"header": group[0].header, "huruf": _col_letter(group[0].position - 1)},
                )
            )
        first = group[0]
        if len(group) == 1:
            out[canon] = first
            continue
        where = _positions(group)
        texts = [c.text() for c in group]
        if all(np.array_equal(texts[0], t) for t in texts[1:]):
            problems.append(Problem("kolom_ganda_sama", "peringatan", column=canon, fields=where))
            out[canon] = first
            continue
        blank = [_real_text(c) for c in group]
        clash = _disagree(blank)
        n = int(clash.sum())
        if not n:
            # synonyms that never disagree on a row (an export with one date column
            # per reason, "TMT Pensiun" and "TMT Berhenti"): one column, the filled cell
            out[canon] = _coalesce(group, [b != "" for b in blank])
            problems.append(
                Problem(
                    "kolom_ganda_digabung", "peringatan", column=canon,
                    fields=where,
                )
            )  # fmt: skip
            continue
        fields = {
            **where,
            "n": n,
            "baris": _first_rows(rows, clash, sheet_of=sheet_of),
            "header": ", ".join(json.dumps(c.header, ensure_ascii=False) for c in group[1:]),
            "pakai": repr(first.header),
            "huruf": _col_letter(first.position - 1),
            "lain": ", ".join(_col_letter(c.position - 1) for c in group[1:]),
        }
        one_header = len({normalise_header(c.header) for c in group}) == 1
        if one_header and canon in spec.keep_first:
            # one header written twice (two "Jabatan"): no mapping can name one of them
            out[canon] = first
            aside.extend((c.header, c.position, "ganda") for c in group[1:])
            problems.append(Problem("kolom_ganda_pertama", "peringatan", column=canon,
                                    fields=fields))  # fmt: skip
            continue
        if not one_header and canon in spec.optional:
            merged = _coalesce(group, [b != "" for b in blank])
            merged.codes[clash] = -1
            if merged.num is not None:
                merged.num[clash] = np.nan
            out[canon] = merged
            problems.append(
                Problem("kolom_ganda_bentrok_ringkas", "peringatan", column=canon, fields=fields)
            )
            pair = where
            for i in np.flatnonzero(clash):
                value = " | ".join(str(t[i]) if t[i] != "" else "''" for t in texts)
                problems.append(
                    Problem("kolom_ganda_bentrok", "peringatan", column=canon, value=value,
                            row=int(rows[i]), fields=pair,
                            sheet=None if sheet_of is None else sheet_of(int(i)))
                )  # fmt: skip
            continue
        key = "kolom_ganda_beda_nama_sama" if one_header else "kolom_ganda_beda"
        problems.append(Problem(key, "fatal", column=canon, fields=fields))
    # extra (unmapped) columns under a header already read
    seen = set(out)
    uniq_extra = []
    first_of: dict[str, RawColumn] = {}
    for c in extra:
        if c.name in seen:
            other = first_of.get(c.name)
            if other is not None and np.array_equal(other.text(), c.text()):
                problems.append(
                    Problem(
                        "kolom_ganda_sama", "peringatan", column=c.name,
                        fields=_positions([other, c]),
                    )
                )  # fmt: skip
            else:
                aside.append((c.header or c.name, c.position, "ganda"))
            continue
        seen.add(c.name)
        first_of[c.name] = c
        uniq_extra.append(c)
    return out, uniq_extra
