"""Vectorised parsing and checking of one table, and the rules across tables.

Works on the :class:`~kinerja_analysis.data.readers.RawColumn` s of a file: every rule
that depends on a cell's text alone (a number, a date, a category, a NIP's format) is
computed once per *distinct* text and spread to the rows through the column's codes, so a
column of 26 million 360° ratings with a handful of distinct scores costs a handful of
parses and one integer indexing. Rules on values (ranges, keys, references, NIP
structure, plausibility) are numpy/pandas expressions over whole columns. Row-level
reasons are gathered only for the rows that fail.

The message texts come from :mod:`kinerja_analysis.data.messages`; the rule identifiers
(``aturan``) keep the names the row-by-row loader used (``tipe:float``,
``skema:in_range(1, 5)``, ``kunci_unik``, ``nip_struktur`` …) and add new ones for the new
rules.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from kinerja_analysis.core.deprecation import renamed_keywords
from kinerja_analysis.core.errors import PeriodError
from kinerja_analysis.core.periods import PERIOD_PATTERN, parse_period_text
from kinerja_analysis.core.personal import NIP_SEPARATORS
from kinerja_analysis.core.text import Bahasa
from kinerja_analysis.data.contract import PREDIKAT, RATING, Column, Table
from kinerja_analysis.data.mapping import FormatSpec
from kinerja_analysis.data.messages import delimiter_shown, message
from kinerja_analysis.data.readers import (
    EXCEL_ERRORS,
    RawColumn,
    RawTable,
    ReadInfo,
    detect_number_format,
    is_placeholder,
    number_text,
    remap_codes,
)

__all__ = [
    "ISSUE_COLUMNS", "NIP_SEPARATORS", "Issues", "TableState", "non_asn_keys", "parse_table",
    "reject",
]  # fmt: skip

#: Columns of the issues table.
ISSUE_COLUMNS = ["tabel", "file", "baris", "kolom", "nilai", "aturan", "pesan", "tingkat", "sebab"]

_SCI = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")
_TRUE = {"true", "1", "ya", "y", "yes", "t", "benar"}
_FALSE = {"false", "0", "tidak", "n", "no", "f", "salah"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: What free text (an OPD name, a training title) is cleaned of: control characters,
#: line breaks and tabs inside a cell (Alt+Enter in Excel) and the bidirectional
#: embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069), which would
#: reorder the document's own text around the value.
_FREE_TEXT_DIRT = re.compile(r"[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
#: ... of which these become a space (they separate words).
_FREE_TEXT_SPACE = re.compile(r"[\t\n\r\x0b\x0c]")
#: Absolute values above this are not plausible for any number in the contract.
ABSURD = 1e9
#: A function call (``SUM(``, ``HYPERLINK(``, ``_xlfn.CONCAT(``) or a cell reference
#: (``A1``, ``$B$2``, followed by an operator or the end) where a formula's first operand
#: stands, after any numbers joined by operators (``1+SUM(``).
_FORMULA_OPERAND = re.compile(
    r"(?:\d+(?:[.,]\d+)?\s*[-+*/^&]\s*)*"
    r"(?:[A-Za-z_][A-Za-z0-9_.]*\(|\$?[A-Za-z]{1,3}\$?\d{1,7}\s*(?:[-+*/^&=<>:,;)]|$))"
)
#: A DDE call (``cmd|' /C calc'!A0``): application, ``|``, topic, ``!``.
_DDE = re.compile(r"[A-Za-z0-9_.]+\|[^|]*!")
#: Error values of :data:`~kinerja_analysis.data.readers.EXCEL_ERRORS` a text cell warns
#: of: ``#N/A`` is not among them, being a placeholder for "no value".
FORMULA_ERRORS = EXCEL_ERRORS - {"#N/A"}
#: At most this many characters of a cell are quoted as an issue's value.
SHOWN_CHARS = 200


def formula_text(text: str) -> str | None:
    """The rule a text cell breaks as a spreadsheet formula or its leftover, or ``None``.

    - ``teks_galat_excel``: the whole cell (spaces aside, any case) is an error value a
      failed formula shows (``#REF!``, ``#VALUE!``, ``#DIV/0!``, ``#NAME?``, …;
      :data:`FORMULA_ERRORS`). ``#N/A`` is not: it is a placeholder for "no value"
      (:data:`~kinerja_analysis.data.readers.PLACEHOLDERS`) and keeps being read as one;
    - ``teks_rumus``: the cell (leading spaces aside) begins with ``=`` and holds more,
      always; or with ``+``, ``-`` or ``@`` **followed by something only a formula
      holds**: a function call or a cell reference as the first operand (``+SUM(A1)``,
      ``@HYPERLINK(``, ``-A1*2``, ``-1+SUM(B2)``), or a DDE call anywhere
      (``-2+3+cmd|' /C calc'!A0``).

    Not formulas: ``-`` alone (a placeholder), a negative number (``-5``), a phone number
    (``+62 812-3456-7890``), a list item or a note (``- Bagian Umum``, ``@budi``), a
    degree (``-S1 Teknik``): a leading ``+``, ``-`` or ``@`` before a plain word or
    number is written by people, and such a cell is text in every output anyway.

    >>> [formula_text(t) for t in ("=SUM(A1:A3)", "#REF!", "#N/A", "+SUM(A1)", "-A1*2")]
    ['teks_rumus', 'teks_galat_excel', None, 'teks_rumus', 'teks_rumus']
    >>> [formula_text(t) for t in ("-", "-5", "+62 812-3456-7890", "- Bagian Umum", "@budi")]
    [None, None, None, None, None]
    """
    t = text.lstrip(" ")
    if not t:
        return None
    if t.rstrip(" ").upper() in FORMULA_ERRORS:
        return "teks_galat_excel"
    if t[0] == "=":
        return "teks_rumus" if t[1:].strip() else None
    if t[0] in "+-@":
        rest = t[1:].lstrip(" ")
        if _FORMULA_OPERAND.match(rest) or _DDE.search(rest):
            return "teks_rumus"
    return None


def _shown_text(text: str) -> str:
    """A cell's text as an issue quotes it: at most :data:`SHOWN_CHARS` characters."""
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


# --------------------------------------------------------------------------- issues


class Issues:
    """The problems found in one table; positions are indices into the table's rows.

    ``file_at`` (optional) gives the file label of row positions where a table's rows
    come from several sheets (:meth:`~kinerja_analysis.data.readers.RawTable.file_at`):
    each problem then names its row's sheet with the file."""

    def __init__(
        self,
        table: str,
        file: str,
        rows: np.ndarray,
        file_at: Callable[[np.ndarray], np.ndarray | str] | None = None,
    ) -> None:
        self.table, self.file, self.rows = table, file, rows
        self.file_at = file_at
        self.parts: list[dict[str, Any]] = []

    @renamed_keywords(kolom="column", nilai="values", aturan="rule", pesan="message", tingkat="level", sebab="cause")  # fmt: skip
    def add(
        self,
        pos: np.ndarray,
        column: str | None,
        values: np.ndarray | str | None,
        rule: str,
        message: np.ndarray | str,
        level: str = "tolak",
        cause: np.ndarray | str = "",
    ) -> None:
        """Record one problem per row position in ``pos``."""
        pos = np.asarray(pos, dtype=np.int64)
        if len(pos) == 0:
            return
        self.parts.append(
            {
                "file": self.file if self.file_at is None else self.file_at(pos),
                "baris": self.rows[pos],
                "kolom": column or "",
                "nilai": "" if values is None else values,
                "aturan": rule,
                "pesan": message,
                "tingkat": level,
                "sebab": cause,
                "_pos": pos,
            }
        )

    @renamed_keywords(baris="rows", kolom="column", nilai="values", aturan="rule", pesan="message", tingkat="level")  # fmt: skip
    def add_row_numbers(
        self,
        rows: list[int | None],
        column: str,
        values: list[str] | str,
        rule: str,
        message: list[str] | str,
        level: str,
    ) -> None:
        """Record problems of rows that are not part of the table (broken lines, file-level)."""
        if not rows:
            return
        self.parts.append(
            {
                "baris": np.asarray([-1 if b is None else b for b in rows], dtype=np.int64),
                "kolom": column,
                "nilai": values,
                "aturan": rule,
                "pesan": message,
                "tingkat": level,
                "sebab": "",
                "_pos": np.full(len(rows), -1, dtype=np.int64),
            }
        )

    def frame(self) -> pd.DataFrame:
        """All problems as a DataFrame with :data:`ISSUE_COLUMNS` (``baris`` Int64)."""
        if not self.parts:
            return pd.DataFrame({c: pd.Series(dtype="object") for c in ISSUE_COLUMNS})
        frames = []
        for p in self.parts:
            n = len(p["baris"])
            frames.append(
                pd.DataFrame(
                    {
                        "tabel": self.table,
                        "file": _broadcast(p.get("file", self.file), n),
                        "baris": p["baris"],
                        "kolom": p["kolom"],
                        "nilai": _broadcast(p["nilai"], n),
                        "aturan": p["aturan"],
                        "pesan": _broadcast(p["pesan"], n),
                        "tingkat": p["tingkat"],
                        "sebab": _broadcast(p["sebab"], n),
                    }
                )
            )
        out = pd.concat(frames, ignore_index=True)
        out["baris"] = out["baris"].astype("Int64").mask(out["baris"] < 0)
        return out

    def first_reject_reason(self, positions: np.ndarray) -> np.ndarray:
        """The first rejecting message of each row position in ``positions`` (``""`` where
        none)."""
        positions = np.asarray(positions, dtype=np.int64)
        out = np.full(len(positions), "", dtype=object)
        done = np.zeros(len(positions), dtype=bool)
        for p in self.parts:
            if p["tingkat"] != "tolak":
                continue
            pos = p["_pos"]
            where = np.searchsorted(positions, pos)
            hit = (where < len(positions)) & (pos >= 0)
            hit[hit] = positions[where[hit]] == pos[hit]
            hit[hit] = ~done[where[hit]]
            if not hit.any():
                continue
            msg = _broadcast(p["pesan"], len(pos))
            out[where[hit]] = msg[hit]
            done[where[hit]] = True
        return out


def _broadcast(v: Any, n: int) -> np.ndarray:
    if isinstance(v, np.ndarray):
        return v.astype(object)
    if isinstance(v, (list, tuple, pd.Series)):
        return np.asarray(list(v), dtype=object)
    return np.full(n, v, dtype=object)


# --------------------------------------------------------------------------- state


@dataclass
class TableState:
    """One table while it is validated.

    ``values`` holds the typed columns (pandas objects aligned to the rows: ``string``
    for text kinds, ``float64``, ``Int64``, ``datetime64[us]``, ``boolean``); ``bad``
    marks the rejected rows.
    """

    table: Table
    raw: RawTable
    fmt: FormatSpec
    bahasa: Bahasa
    issues: Issues
    bad: np.ndarray
    values: dict[str, pd.Series] = field(default_factory=dict)
    number_format: tuple[str, str] | None = None  # (desimal, ribuan) used for text numbers
    number_format_detected: bool = False
    derived: dict[str, pd.Series] = field(default_factory=dict)  # columns added by rules
    key_reported: set[int] = field(default_factory=set)  # rejected copies of a kept key
    dates_checked: bool = False  # the register's own dates (rules.register_dates)
    #: Rows kept with a cell emptied for a bad value (a soft failure), None when none:
    #: of two copies of a key, the key rule keeps one without (rules.check_key).
    emptied: np.ndarray | None = None
    non_asn_ids: frozenset[str] = frozenset()  # id_key of no-ASN people: not NIP errors

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def file(self) -> str:
        return self.raw.file

    @property
    def n(self) -> int:
        return len(self.bad)

    def msg(self, key: str, **fields: Any) -> str:
        return message(key, self.bahasa, **fields)

    def mark_emptied(self, rows: np.ndarray) -> None:
        """Note rows (a mask or positions) whose cell was emptied for a bad value."""
        if self.emptied is None:
            self.emptied = np.zeros(self.n, dtype=bool)
        self.emptied[rows] = True

    def text(self, column: str, pos: np.ndarray) -> np.ndarray:
        """Cell text of ``column`` at row positions ``pos`` (``""`` if the column is absent)."""
        col = self.raw.columns.get(column)
        if col is None:
            return np.full(len(pos), "", dtype=object)
        return col.text(np.asarray(pos, dtype=np.int64))


def broken_row_reason(st: TableState, n_fields: int) -> str:
    """Why a CSV line with ``n_fields`` fields was set aside: a line with too many fields
    most likely holds the delimiter inside an unquoted value; one with too few was cut
    short (or split in two by a line break inside an unquoted value)."""
    m = st.raw.n_header_fields
    key = "baris_rusak_kurang" if n_fields < m else "baris_rusak"
    delim = delimiter_shown(st.raw.info.delimiter or ",", st.bahasa)
    return st.msg(key, n=n_fields, m=m, pemisah=delim)


def broken_row_ids(raw: RawTable, column: str = "nip") -> list[tuple[int, str]]:
    """The identifier each broken CSV line (:attr:`RawTable.broken`) holds in ``column``,
    recovered from the line's text for **linking only** (never accepted as data): the
    field at the column's position, when the line has that many fields and the fields up
    to it are intact (an extra delimiter or a cut further right does not move it); for
    the NIP column, when that field is no NIP, the one 18-digit field within the line's
    shift of its place (a comma inside a name before it: ``Dedi Sulistyo, S.Kom``).
    A text that becomes 18 digits once separators are removed is read as that NIP, as a
    NIP column is; anything else is kept as written (a pseudonym). Returns ``(row,
    id)`` pairs; lines without a usable field are left out.

    >>> from types import SimpleNamespace as NS
    >>> raw = NS(broken=[(9, "'19690323 199604 1 001,Andi,L", 3), (12, "x", 1)],
    ...          columns={"nip": NS(position=1)}, info=NS(delimiter=","))
    >>> broken_row_ids(raw)
    [(9, '196903231996041001'), (12, 'x')]
    """
    rc = raw.columns.get(column)
    if rc is None or not raw.broken:
        return []
    at = int(rc.position) - 1  # 1-based
    delim = raw.info.delimiter or ","
    width = int(getattr(raw, "n_header_fields", 0) or 0)

    def nip(field: str) -> str | None:
        bare = re.sub(NIP_SEPARATORS, "", field.strip().lstrip("'").strip())
        return bare if re.fullmatch(r"\d{18}", bare) else None

    out: list[tuple[int, str]] = []
    for row, text, _ in raw.broken:
        try:
            fields = next(csv.reader(io.StringIO(text), delimiter=delim), [])
        except csv.Error:
            continue
        # a delimiter inside a value before the column moves it right ("Dedi Sulistyo,
        # S.Kom" in a name column first), a field lost before it moves it left: the NIP
        # is then the one 18-digit field within that shift of its place
        shift = len(fields) - width if width else 0
        near = {
            n
            for d in range(min(0, shift), max(0, shift) + 1)
            if 0 <= at + d < len(fields) and (n := nip(fields[at + d])) is not None
        }
        moved = column == "nip" and (at >= len(fields) or nip(fields[at]) is None)
        if moved and len(near) == 1:
            out.append((int(row), near.pop()))
            continue
        if at >= len(fields):
            continue
        value = fields[at].strip().lstrip("'").strip()
        value = nip(value) or value
        if value:
            out.append((int(row), value))
    return out


@renamed_keywords(sebab="cause")
def reject(
    st: TableState,
    mask: np.ndarray | pd.Series,
    column: str | None,
    rule: str,
    message_: np.ndarray | str | Callable[[np.ndarray], np.ndarray | str],
    level: str = "tolak",
    values: np.ndarray | Callable[[np.ndarray], np.ndarray] | None = None,
    cause: np.ndarray | str | Callable[[np.ndarray], np.ndarray] = "",
) -> np.ndarray:
    """Record a problem for the rows in ``mask`` (rejecting them when ``level='tolak'``).

    ``message_``, ``values`` and ``cause`` may be callables of the failing positions so
    that per-row texts are built for the failing rows only. Returns the positions.
    """
    m = np.asarray(mask, dtype=bool) if not isinstance(mask, pd.Series) else _bool(mask)
    pos = np.flatnonzero(m)
    if len(pos) == 0:
        return pos
    msg = message_(pos) if callable(message_) else message_
    if isinstance(msg, np.ndarray) and len(msg) == len(m):
        msg = msg[pos]
    if values is None:
        vals: Any = st.text(column, pos) if column else ""
    elif callable(values):
        vals = values(pos)
    else:
        vals = values[pos] if len(values) == len(m) else values
    cause = cause(pos) if callable(cause) else cause
    st.issues.add(pos, column, vals, rule, msg, level, cause)
    if level == "tolak":
        st.bad[pos] = True
    return pos


def _bool(s: pd.Series | np.ndarray) -> np.ndarray:
    """A plain bool array from a nullable mask (NA → False)."""
    if isinstance(s, pd.Series):
        if s.dtype == bool:
            return s.to_numpy()
        return s.astype("boolean").fillna(False).to_numpy(dtype=bool)
    return np.asarray(s, dtype=bool)


# --------------------------------------------------------------------------- number format


def number_format_for(
    st_fmt: FormatSpec, raw: RawTable, table: Table
) -> tuple[tuple[str, str], bool]:
    """Decimal mark and thousands separator for the text numbers of this table.

    Declared settings win; otherwise the texts of the numeric columns decide
    (:func:`~kinerja_analysis.data.readers.detect_number_format`); otherwise ``.`` and none.
    Returns ``((desimal, ribuan), detected)``.
    """
    declared = st_fmt.declared
    if "desimal" in declared or "ribuan" in declared:
        dec = st_fmt.desimal
        th = st_fmt.ribuan if "ribuan" in declared else ("." if dec == "," else "")
        return (dec, th), False
    texts: list[str] = []
    for col in table.columns:
        if col.kind in {"float", "int"} and col.name in raw.columns:
            texts.extend(raw.columns[col.name].cats.tolist())
    if table.wide_items:
        for name, rc in raw.columns.items():
            if name not in {c.name for c in table.columns}:
                texts.extend(rc.cats.tolist())
    found = detect_number_format(texts)
    if found is None:
        return (".", ""), False
    if raw.info.delimiter == found[1] == "," and found[0] == ".":
        return (".", ""), False
    return found, found != (".", "")


# --------------------------------------------------------------------------- parsing by kind


@dataclass
class Parsed:
    """A parsed column: values (pandas, aligned to rows), failing rows, and their reasons
    (one per failing row, in row order, or one text for all)."""

    values: pd.Series
    bad: np.ndarray
    reason: np.ndarray | str = ""
    rule: str = ""
    #: rows whose value was read by a conversion the analyst must be told of (a date
    #: column's Excel serial numbers) and the warning of each, in row order
    converted: np.ndarray | None = None
    converted_reason: np.ndarray | str = ""
    #: rows of a date column whose value was a date with a time of day (an XLSX
    #: date-time cell): read as the date, with the warning of each, in row order
    timed: np.ndarray | None = None
    timed_reason: np.ndarray | str = ""
    #: rows of a date column whose text is a date outside :data:`DATE_RANGE` (value
    #: empty), reported as ``tanggal_luar_rentang``, not as a type or format failure
    implausible: np.ndarray | None = None


def _spread(per_cat: np.ndarray, codes: np.ndarray, fill: Any) -> np.ndarray:
    """Per-row values from per-distinct-text values (``fill`` where the cell is empty)."""
    if len(per_cat) == 0:
        return np.full(len(codes), fill, dtype=per_cat.dtype if per_cat.dtype != object else object)
    return np.append(per_cat, np.array([fill], dtype=per_cat.dtype))[codes]  # -1 → fill


def _cat_series(codes: np.ndarray, cats: np.ndarray) -> pd.Series:
    """A categorical Series from codes into distinct texts (cheap: no string per row)."""
    return pd.Series(
        pd.Categorical.from_codes(
            codes.astype(np.int32, copy=False), categories=pd.Index(cats, dtype=object)
        )
    )


def string_series(codes: np.ndarray, cats: np.ndarray) -> pd.Series:
    """A ``string`` Series from codes into distinct texts (empty → ``<NA>``)."""
    if len(cats) == 0:
        return pd.Series(pd.array([pd.NA] * len(codes), dtype="string[pyarrow]"))
    idx = pa.array(codes, mask=codes < 0, type=pa.int32())
    arr = pa.DictionaryArray.from_arrays(idx, pa.array(cats, type=pa.large_string()))
    # large_string is what pandas' Arrow-backed strings hold: wrapped without a copy
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([arr.dictionary_decode()])))


def _numbers(texts: np.ndarray, dec: str, th: str) -> tuple[np.ndarray, np.ndarray]:
    """Parse number texts; returns (values, reason key per text: "" = ok)."""
    if len(texts) == 0:
        return np.array([], dtype=float), np.array([], dtype=object)
    s = pd.Series(texts, dtype=object).astype(str).str.strip()
    reason = np.full(len(s), "", dtype=object)
    orig = s
    if dec == "," or not th:
        # "1.000" with decimal '.' (or "1,000" with decimal ','): a thousands pattern that
        # parses as 1 in this format; ambiguous unless the column shows the mark used as a
        # decimal mark elsewhere (a fraction of other than three digits, "83.5")
        m = re.escape(dec)
        amb = orig.str.fullmatch(rf"[+-]?\d{{1,3}}(?:{m}\d{{3}})+").to_numpy()
        if amb.any() and not orig.str.fullmatch(rf"[+-]?\d*{m}(?:\d{{1,2}}|\d{{4,}})").any():
            reason[amb] = "angka_ribuan_ambigu"
    if th:
        has = s.str.contains(th, regex=False).to_numpy()
        if has.any():
            d, t = re.escape(dec), re.escape(th)
            ok = s.str.fullmatch(rf"[+-]?\d{{1,3}}(?:{t}\d{{3}})+(?:{d}\d+)?").to_numpy()
            reason[has & ~ok] = "bukan_angka_format"
        s = s.str.replace(th, "", regex=False)
    if dec != ".":
        # a stray "." in a decimal-comma number ("76.35") is not a number in that format
        dotted = s.str.contains(".", regex=False).to_numpy() & (reason == "")
        reason[dotted & ~s.str.contains(r"[eE]", regex=True).to_numpy()] = "bukan_angka_format"
        s = s.str.replace(dec, ".", regex=False)
    values = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, copy=True)
    nonfinite = ~np.isfinite(values) & ~np.isnan(values)
    low = s.str.lower().to_numpy()
    nan_text = np.isin(low, ["nan", "+nan", "-nan"])
    values[nonfinite | nan_text] = np.nan
    reason[(nonfinite | nan_text) & (reason == "")] = "tak_berhingga"
    reason[np.isnan(values) & (reason == "")] = (
        "bukan_angka_format" if th or dec != "." else "bukan_angka"
    )
    if dec == ".":  # "18,75" in a file whose decimal mark is '.'
        failed = np.isin(reason, ["bukan_angka", "bukan_angka_format"])
        comma = orig.str.fullmatch(r"[+-]?\d+,\d+").to_numpy()
        # "1,960" or "12,345,678": a thousands separator as much as a decimal comma
        grouped = orig.str.fullmatch(r"[+-]?\d{1,3}(?:,\d{3})+").to_numpy()
        reason[comma & ~grouped & failed] = "angka_desimal_koma"
        reason[grouped & failed] = "angka_ribuan_koma"
    values[reason != ""] = np.nan
    return values, reason


#: Reasons a cell fails to parse, as small integers (a row-length array of them is cheap).
_REASONS = ("", "bukan_angka", "bukan_angka_format", "tak_berhingga", "bulat",
            "nip_hilang_digit", "nip_18", "angka_ribuan_ambigu",
            "angka_desimal_koma", "nip_angka", "angka_ribuan_koma")  # fmt: skip
_R = {k: i for i, k in enumerate(_REASONS)}


def _reason_codes(keys: np.ndarray) -> np.ndarray:
    return np.array([_R[k] for k in keys.tolist()], dtype=np.int8)


def _parse_numeric(col: Column, rc: RawColumn, st: TableState) -> Parsed:
    dec, th = st.number_format or (".", "")
    per_val, per_reason = _numbers(rc.cats, dec, th)
    values = _spread(per_val, rc.codes, np.nan)
    reason = _spread(_reason_codes(per_reason), rc.codes, 0)
    if rc.num is not None:
        isn = ~np.isnan(rc.num)
        values = np.where(isn, rc.num, values)
        fin = np.isfinite(rc.num)
        reason = np.where(isn, np.where(fin, 0, _R["tak_berhingga"]), reason).astype(np.int8)
        values = np.where(isn & ~fin, np.nan, values)
    bad = reason != 0
    if col.kind == "int":
        frac = ~bad & ~np.isnan(values) & (values != np.round(values))
        reason = np.where(frac, _R["bulat"], reason).astype(np.int8)
        bad = bad | frac
    texts = {
        "bukan_angka": st.msg("bukan_angka"),
        "bukan_angka_format": st.msg("bukan_angka_format", desimal=dec, ribuan=th),
        "tak_berhingga": st.msg("tak_berhingga"),
        "bulat": st.msg("bulat"),
        "angka_ribuan_ambigu": st.msg("angka_ribuan_ambigu", desimal=dec),
        "angka_desimal_koma": st.msg("angka_desimal_koma"),
        "angka_ribuan_koma": st.msg("angka_ribuan_koma"),
    }
    # the reasons of the failing rows only, in row order
    why = np.array([texts[_REASONS[k]] for k in reason[bad].tolist()], dtype=object)
    if bad.any():
        values[bad] = np.nan
    if col.kind == "int":
        missing = np.isnan(values)
        ints = np.where(missing, 0, np.round(values)).astype(np.int64)
        del values
        series = pd.Series(pd.arrays.IntegerArray(ints, missing))
    else:
        series = pd.Series(values, dtype="float64", copy=False)
    return Parsed(series, bad, why if bad.any() else "", f"tipe:{col.kind}")


def _parse_nip(col: Column, rc: RawColumn, st: TableState, pseudonim: bool) -> Parsed:
    cats = pd.Series(rc.cats, dtype=object).astype(str)
    # separators people type inside a NIP (spaces, dashes, dots, slashes, underscores,
    # in any mix): removed only when 18 digits remain, so "19680507-198911-1-001" and
    # "19680507 198911 1 001" are the same NIP; the message quotes the cell as written
    stripped = cats.str.replace(NIP_SEPARATORS, "", regex=True)
    spaced = stripped.str.fullmatch(r"\d{18}").to_numpy() & (stripped != cats).to_numpy()
    norm = np.where(spaced, stripped, cats).astype(object)
    sci = pd.Series(norm, dtype=object).str.match(_SCI.pattern).to_numpy()
    wrong = ~sci & ~pd.Series(norm, dtype=object).str.fullmatch(r"\d{18}").to_numpy()
    if pseudonim:
        wrong[:] = False
    if st.non_asn_ids:  # the NIK or THL number of someone the register says is no ASN
        spared = cats.map(id_key).isin(st.non_asn_ids).to_numpy()
        wrong = wrong & ~spared
        sci = sci & ~spared
    cat_reason = np.where(sci, _R["nip_hilang_digit"], np.where(wrong, _R["nip_18"], 0))
    codes = rc.codes
    reason_key = _spread(cat_reason.astype(np.int8), codes, 0)
    if rc.num is not None:
        isn = ~np.isnan(rc.num)
        if isn.any():
            reason_key = reason_key.copy()
            num = rc.num[isn]
            whole = np.isfinite(num) & (num == np.round(num)) & (np.abs(num) < 1e15)
            texts = np.array([number_text(v) for v in num], dtype=object)
            digits = pd.Series(texts, dtype=object).str.fullmatch(r"\d{1,15}").to_numpy()
            lost = ~(whole & digits)
            k = np.where(lost, _R["nip_angka"], 0 if pseudonim else _R["nip_18"])
            reason_key[isn] = k
            # numeric cells of a NIP column keep their text (an ID, not a number)
            extra = np.unique(texts[~lost])
            if len(extra):
                norm = np.concatenate([norm, extra])
                codes = codes.copy()
                where = np.flatnonzero(isn)[~lost]
                codes[where] = len(rc.cats) + np.searchsorted(extra, texts[~lost])
    bad = reason_key != 0
    norm_cats, remap = np.unique(norm.astype(str), return_inverse=True)
    new_codes = remap_codes(codes, remap)
    new_codes[bad] = -1
    texts = {
        "nip_hilang_digit": st.msg("nip_hilang_digit"),
        "nip_angka": st.msg("nip_angka"),
        "nip_18": st.msg("nip_18"),
    }
    reason = (
        np.array([texts[_REASONS[k]] for k in reason_key[bad].tolist()], dtype=object)
        if bad.any()
        else ""
    )
    return Parsed(_cat_series(new_codes, norm_cats.astype(object)), bad, reason, "tipe:nip")


_KELAMIN = {
    "LAKI-LAKI": "L", "LAKI LAKI": "L", "LAKI": "L", "PRIA": "L", "MALE": "L", "M": "L",
    "PEREMPUAN": "P", "WANITA": "P", "FEMALE": "P", "F": "P", "W": "P",
    "L": "L", "P": "P",
}  # fmt: skip
_ROMAN_GOL = re.compile(
    r"^\s*(?:GOL(?:ONGAN)?\.?\s*)?(IV|III|II|I)\s*[/\-.]?\s*([A-E])\s*$", re.IGNORECASE
)
_ROMAN_PPPK = re.compile(
    r"^\s*(?:GOL(?:ONGAN)?\.?\s*)?(X{0,1}(?:IX|IV|V?I{0,3}))\s*$", re.IGNORECASE
)
_STATUS = {
    "PNS": "pns", "CPNS": "pns", "PEGAWAI NEGERI SIPIL": "pns",
    # SIASN's and BKN's wording: a regional or central civil servant, seconded or not
    "PNS DAERAH": "pns", "PNS PUSAT": "pns", "PNSD": "pns", "CPNS DAERAH": "pns",
    "CPNS PUSAT": "pns", "PNS PUSAT DPK": "pns", "PNS PUSAT DPB": "pns",
    "CALON PEGAWAI NEGERI SIPIL": "pns",
    "PPPK": "pppk", "P3K": "pppk", "PPPK PENUH WAKTU": "pppk",
    "PPPK PARUH WAKTU": "pppk_paruh_waktu", "PPPK PW": "pppk_paruh_waktu",
    "P3K PARUH WAKTU": "pppk_paruh_waktu", "PPPK-PW": "pppk_paruh_waktu",
}  # fmt: skip
#: The canonical value of a status that says the person is no ASN (UU 20/2023: an ASN is
#: a PNS or a PPPK): the row is outside the evaluation, rejected by :func:`_value_rules`
#: with its own reason (``bukan_asn``), never read from the NIP. A mapping can send any
#: other label here (``nilai: {status_kepegawaian: {"Tenaga Teknis": bukan_asn}}``).
NON_ASN = "bukan_asn"
#: Statuses of people who work for the agency but are no ASN, as exports write them
#: (upper case, spaces, dashes and underscores as one space).
_NON_ASN = frozenset(
    {
        "BUKAN ASN", "NON ASN", "NONASN", "NON PNS", "NON PNS NON PPPK",
        "HONORER", "TENAGA HONORER", "HONORER DAERAH", "HONORER K2", "HONORER K1",
        "THL", "TENAGA HARIAN LEPAS", "PHL", "PEKERJA HARIAN LEPAS",
        "OUTSOURCING", "OUTSOURCE", "ALIH DAYA", "TENAGA ALIH DAYA",
        "KONTRAK", "TENAGA KONTRAK", "PEGAWAI KONTRAK", "TKK", "TENAGA KERJA KONTRAK",
        "PTT", "PEGAWAI TIDAK TETAP", "PTT DAERAH", "TKS", "TENAGA KERJA SUKARELA",
        "SUKARELA", "MAGANG", "PESERTA MAGANG", "TENAGA MAGANG",
    }
)  # fmt: skip


#: Words of a status label that say the person works for the agency but is no ASN, as
#: SIMPEG, SIASN and agency sheets write them (``Honorer K-2``, ``THL-TB``, ``PPNPN``,
#: ``Tenaga Pendukung``, ``Kontrak BLUD``, a school's ``GTT``/``Guru Tidak Tetap`` and
#: ``PTT``/``Pegawai Tidak Tetap``); looked for as whole words of the label.
_NON_ASN_WORDS = frozenset(
    {
        "HONORER", "HONOR", "PPNPN", "THL", "PHL", "OUTSOURCING", "OUTSOURCE", "KONTRAK",
        "TKK", "PTT", "TKS", "SUKARELA", "MAGANG", "RELAWAN", "BLUD", "NONASN", "NONPNS",
        "GTT", "PTTK",
    }
)  # fmt: skip
_NON_ASN_PHRASES = (
    "NON ASN", "BUKAN ASN", "NON PNS", "ALIH DAYA", "HARIAN LEPAS", "TENAGA PENDUKUNG",
    "TENAGA AHLI", "TENAGA KERJA", "TIDAK TETAP",
)  # fmt: skip


def _status(text: str) -> str:
    """The canonical status of one label (:func:`normalise_category`).

    Exact labels first (:data:`_STATUS`, :data:`_NON_ASN`); then by the label's words,
    punctuation as spaces: a PPPK label (``PPPK``, ``P3K``, ``Perjanjian Kerja``) is
    ``pppk``, or ``pppk_paruh_waktu`` when it says part time (``Paruh Waktu``, ``PW``:
    ``P3K-PW``, ``PPPK (Paruh Waktu)``, ``PPPKPW``) — ``PPPK Guru``, ``PPPK Kontrak`` are
    PPPK; a PNS label (``PNS``, ``CPNS`` as a word, not after ``Non``) is ``pns``; a
    label holding a word or phrase of people who are no ASN (:data:`_NON_ASN_WORDS`,
    ``Honorer K-2``, ``THL-TB``, ``Pegawai Non ASN``) is ``bukan_asn``; anything else is
    left as written (lower case), for the allowed-values check to report.

    >>> [_status(t) for t in ("P3K-PW", "PPPK Guru", "PNS DPK", "Honorer K-2", "PPNPN")]
    ['pppk_paruh_waktu', 'pppk', 'pns', 'bukan_asn', 'bukan_asn']
    >>> _status("Pegawai Pemerintah dengan Perjanjian Kerja Paruh Waktu"), _status("Lainnya")
    ('pppk_paruh_waktu', 'lainnya')
    """
    key = re.sub(r"[\s_]+", " ", text.upper()).strip()
    if key in _STATUS:
        return _STATUS[key]
    words = re.sub(r"[^0-9A-Z]+", " ", key).split()
    joined = " ".join(words)
    if joined in _STATUS:
        return _STATUS[joined]
    if joined in _NON_ASN:
        return NON_ASN
    pppk = {"PPPK", "P3K", "PPPKPW", "P3KPW"} & set(words) or "PERJANJIAN KERJA" in joined
    if pppk:
        part = "PARUH WAKTU" in joined or "PW" in words or {"PPPKPW", "P3KPW"} & set(words)
        return "pppk_paruh_waktu" if part and "PENUH WAKTU" not in joined else "pppk"
    negated = {"NON", "BUKAN"} & set(words)
    if not negated and ({"PNS", "CPNS", "PNSD"} & set(words) or "NEGERI SIPIL" in joined):
        return "pns"
    if _NON_ASN_WORDS & set(words) or any(ph in joined for ph in _NON_ASN_PHRASES):
        return NON_ASN
    return text.lower()


def _squash(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", text.upper())


_RATING_KEYS = {
    "DIATAS": RATING[2], "DIATASEKSPEKTASI": RATING[2], "ATAS": RATING[2],
    "SESUAI": RATING[1], "SESUAIEKSPEKTASI": RATING[1],
    "DIBAWAH": RATING[0], "DIBAWAHEKSPEKTASI": RATING[0], "BAWAH": RATING[0],
}  # fmt: skip
_PREDIKAT_KEYS = {
    "SANGATBAIK": PREDIKAT[4], "BAIK": PREDIKAT[3], "BUTUHPERBAIKAN": PREDIKAT[2],
    "KURANG": PREDIKAT[1], "MISCONDUCT": PREDIKAT[1], "KURANG/MISCONDUCT": PREDIKAT[1],
    "KURANGMISCONDUCT": PREDIKAT[1], "SANGATKURANG": PREDIKAT[0],
}  # fmt: skip


def normalise_category(column: str, text: str) -> str:
    """The canonical spelling of one category value (before the allowed-values check).

    ``jenis_kelamin`` words → ``L``/``P``; ``golongan`` → ``III/a`` or PPPK ``IX``;
    ``status_kepegawaian`` → ``pns``/``pppk``/``pppk_paruh_waktu``, or ``bukan_asn`` for a
    status that says the person is no ASN (``Honorer``, ``Non-ASN``, ``THL``); ratings →
    ``Di Atas Ekspektasi``…; ``predikat`` → ``Sangat Baik``…; anything else lower case
    with spaces as ``_`` (``Berorientasi Pelayanan`` → ``berorientasi_pelayanan``).

    >>> normalise_category("golongan", "iii/A"), normalise_category("golongan", "ix")
    ('III/a', 'IX')
    >>> normalise_category("predikat", "SANGAT BAIK")
    'Sangat Baik'
    """
    if column == "jenis_kelamin":
        up = text.upper().strip()
        return _KELAMIN.get(up, up)
    if column == "golongan":
        m = _ROMAN_GOL.match(text)
        if m:
            return f"{m.group(1).upper()}/{m.group(2).lower()}"
        m = _ROMAN_PPPK.match(text)
        if m and m.group(1):
            return m.group(1).upper()
        return text
    if column == "status_kepegawaian":
        return _status(text)
    if column in {"rating_hasil", "rating_perilaku"}:
        return _RATING_KEYS.get(_squash(text), text)
    if column == "predikat":
        return _PREDIKAT_KEYS.get(_squash(text), text)
    return text.lower().replace(" ", "_")


def _apply_labels(cats: np.ndarray, labels: Mapping[str, str]) -> np.ndarray:
    """Value labels of the mapping (export label → canonical), exact then case-blind."""
    if not labels:
        return cats
    loose = {k.strip().lower(): v for k, v in labels.items()}
    return np.array(
        [labels.get(c, loose.get(c.strip().lower(), c)) for c in cats.tolist()], dtype=object
    )


def _parse_text(col: Column, rc: RawColumn, st: TableState, labels: Mapping[str, str]) -> Parsed:
    rc = rc.with_texts()
    cats = _apply_labels(rc.cats, labels)
    bad_cat = np.zeros(len(cats), dtype=bool)
    reason_cat = np.full(len(cats), "", dtype=object)
    rule = f"tipe:{col.kind}"
    if col.kind == "category":
        cats = np.array([normalise_category(col.name, c) for c in cats.tolist()], dtype=object)
    elif col.kind == "periode":
        out = []
        for c in cats.tolist():
            try:
                out.append(parse_period_text(c).code)
            except PeriodError:
                out.append(None)
        ok = np.array([o is not None for o in out], dtype=bool)
        bad_cat = ~ok
        reason_cat[bad_cat] = st.msg("periode_format", tabel=st.name)
        rule = f"skema:str_matches('{PERIOD_PATTERN}')"
        cats = np.array(
            [o if o is not None else c for o, c in zip(out, cats.tolist(), strict=True)],
            dtype=object,
        )
    elif col.kind == "bool":
        low = np.array([c.lower() for c in cats.tolist()], dtype=object)
        ok = np.isin(low, list(_TRUE | _FALSE))
        bad_cat = ~ok
        reason_cat[bad_cat] = st.msg("bool")
    new_cats, remap = (
        np.unique(cats.astype(str), return_inverse=True)
        if len(cats)
        else (cats, np.array([], dtype=np.int64))
    )
    codes = remap_codes(rc.codes, remap) if len(cats) else rc.codes
    bad = _spread(bad_cat, rc.codes, False)
    reason = reason_cat[rc.codes[bad]] if bad.any() else ""
    if col.kind == "bool":
        is_true = np.isin(
            np.array([c.lower() for c in new_cats.tolist()], dtype=object), list(_TRUE)
        )
        vals = pd.array(
            np.where(codes >= 0, is_true[np.maximum(codes, 0)] if len(new_cats) else False, False),
            dtype="boolean",
        )
        vals[(codes < 0) | bad] = pd.NA
        return Parsed(pd.Series(vals), bad, reason, rule)
    if bad.any():
        codes = codes.copy() if codes is rc.codes else codes
        codes[bad] = -1
    return Parsed(_cat_series(codes, new_cats.astype(object)), bad, reason, rule)


def _parse_date(col: Column, rc: RawColumn, st: TableState) -> Parsed:
    """A date column: texts in the declared format or ``yyyy-mm-dd``, and Excel serial
    numbers (:func:`excel_serial_dates`) — a numeric XLSX cell, or a CSV/XLSX text that
    is a number — within :data:`SERIAL_RANGE`, read in the workbook's date system (1900
    assumed for a CSV). A converted cell is reported as a warning naming the date it was
    read as, and the row is kept; a number outside the range is rejected. Parquet
    columns are typed: a number there is not a spreadsheet's serial and is rejected. A
    date read after the end of :data:`DATE_RANGE` (``31/12/9999``), or a text of a date
    pattern no format reads whose year is outside it (``01/01/1500`` in a yyyy-mm-dd
    file), is ``implausible`` (rule ``tanggal_luar_rentang``, the range named), not a
    date to read in another format."""
    cats = pd.Series(rc.cats, dtype=object).astype(str)
    fmt = st.fmt.tanggal
    per = pd.to_datetime(cats, format=fmt, errors="coerce")
    iso = per.isna() & cats.str.fullmatch(r"\d{4}-\d{2}-\d{2}(?:T00:00:00)?")
    if iso.any():
        per = per.where(
            ~iso, pd.to_datetime(cats.where(iso).str[:10], format="%Y-%m-%d", errors="coerce")
        )
    # a date with a time of day (an XLSX date-time cell, written yyyy-mm-ddThh:mm:ss by
    # the reader): the date is read and the time said to be dropped
    clock = cats.str.extract(_ISO_TIME)
    timed_cat = per.isna().to_numpy() & clock[0].notna().to_numpy()
    if timed_cat.any():
        day = pd.to_datetime(clock[0].where(timed_cat), format="%Y-%m-%d", errors="coerce")
        timed_cat &= day.notna().to_numpy()
        per = per.where(~timed_cat, day)
    per_arr = per.to_numpy(dtype="datetime64[us]")
    # a date read after the plausible range (9999-12-31): not a date of the data
    late_cat = ~np.isnat(per_arr) & (per_arr >= (DATE_RANGE[1] + 1).astype("datetime64[us]"))
    if late_cat.any():
        per_arr = np.where(late_cat, np.datetime64("NaT", "us"), per_arr)
    timed_cat &= ~late_cat
    values = _spread(per_arr, rc.codes, np.datetime64("NaT"))
    timed_cat &= (clock[1] != "00:00").to_numpy()  # midnight: a plain date, nothing dropped
    timed = _spread(timed_cat, rc.codes, False)
    why_timed: np.ndarray | str = ""
    if timed.any():
        jam = clock[1].fillna("").to_numpy(dtype=object)
        text = np.array(
            [
                st.msg("tanggal_jam_dibaca", tanggal=str(d)[:10], jam=j) if t else ""
                for d, j, t in zip(per_arr.tolist(), jam.tolist(), timed_cat.tolist(), strict=True)
            ],
            dtype=object,
        )
        why_timed = text[rc.codes[timed]]
    present_text = rc.codes >= 0
    human = fmt.replace("%Y", "yyyy").replace("%m", "mm").replace("%d", "dd")
    info = st.raw.info
    system = info.date_system or 1900
    readable = info.format in {"csv", "xlsx"}  # sources whose numbers are Excel's serials
    dec = (st.number_format or (".", ""))[0]
    # the serial number of each row: a numeric cell, or a text no date format read that
    # is a number
    serial = np.full(len(values), np.nan)
    unread = np.isnat(per_arr)
    if readable and unread.any():
        per_serial = np.full(len(cats), np.nan)
        per_serial[unread] = serial_texts(rc.cats[unread], dec)
        if not np.isnan(per_serial).all():
            serial = _spread(per_serial, rc.codes, np.nan)
    numeric = np.zeros(len(values), dtype=bool)
    if rc.num is not None:
        numeric = ~np.isnan(rc.num)
        serial = np.where(numeric, rc.num, serial)
        values[numeric] = np.datetime64("NaT")
    converted = np.zeros(len(values), dtype=bool)
    why_converted: np.ndarray | str = ""
    if readable:
        where = np.flatnonzero(~np.isnan(serial))
        if len(where):
            dates, ms = excel_serial_dates(serial[where], system)
            ok = plausible_serial_dates(dates, serial[where])
            converted[where[ok]] = True
            values[where[ok]] = dates[ok]
            why_converted = _serial_warnings(dates[ok], ms[ok], info, st)
    # a date outside the plausible range: read after its end (9999-12-31), or a text of
    # a date pattern no format read (01/01/1500 in a yyyy-mm-dd file)
    far_cat = late_cat.copy()
    unread_cat = np.isnat(per_arr) & ~late_cat
    if unread_cat.any():
        far_cat[unread_cat] = [
            _outside_date_range(t) for t in cats.to_numpy(dtype=object)[unread_cat].tolist()
        ]
    implausible = _spread(far_cat, rc.codes, False) & ~numeric & ~converted
    bad = ((present_text & np.isnat(values)) | (numeric & ~converted)) & ~implausible
    # the reasons of the failing rows only, in row order; one hint per column, from the
    # pattern most failing values share
    hint = ""
    text_bad = bad & ~numeric & present_text
    if text_bad.any():
        n_per_cat = np.bincount(rc.codes[text_bad], minlength=len(cats))
        hint = date_format_hint(
            cats.to_numpy(dtype=object), n_per_cat, fmt, st.bahasa, decimal=dec, system=system
        )
    serial_hint = ""
    num_bad = numeric & bad
    if num_bad.any():
        first = float(rc.num[np.flatnonzero(num_bad)[0]])
        serial_hint = _serial_hint(first, int(num_bad.sum()), int(bad.sum()), st.bahasa, system)
    reason = np.where(
        numeric[bad],
        st.msg("tanggal_serial", format=human) + serial_hint,
        st.msg("tanggal", format=human) + hint,
    ).astype(object)
    series = pd.Series(values.astype("datetime64[us]"))
    return Parsed(
        series, bad, reason if bad.any() else "", "tipe:date", converted, why_converted,
        timed, why_timed, implausible,
    )  # fmt: skip


def _serial_warnings(
    dates: np.ndarray, ms: np.ndarray, info: ReadInfo, st: TableState
) -> np.ndarray:
    """The warning of each converted serial (built once per distinct date and time)."""
    if info.date_system == 1904:
        sistem = st.msg("sistem_tanggal_1904")
    elif info.date_system == 1900:
        sistem = st.msg("sistem_tanggal_1900")
    else:
        sistem = st.msg("sistem_tanggal_diasumsikan", format=info.format.upper())
    day = dates.astype("datetime64[D]").astype(np.int64)
    keys, inverse = np.unique(np.stack([day, ms]), axis=1, return_inverse=True)
    texts = []
    for d, t in zip(keys[0].tolist(), keys[1].tolist(), strict=True):
        jam = st.msg("jam_diabaikan", jam=_time_of_day(t)) if t else ""
        tanggal = str(np.datetime64(d, "D"))
        texts.append(st.msg("tanggal_serial_dibaca", tanggal=tanggal, jam=jam, sistem=sistem))
    return np.asarray(texts, dtype=object)[np.ravel(inverse)]


def _time_of_day(ms: int) -> str:
    """``HH:MM`` (``HH:MM:SS`` when there are seconds) of milliseconds since midnight."""
    h, rest = divmod(int(ms) // 1000, 3600)
    m, sec = divmod(rest, 60)
    return f"{h:02d}:{m:02d}" + (f":{sec:02d}" if sec else "")


#: Day, month, year patterns of dates written as text (``07/05/1968``, ``7-5-68``).
_DMY = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})")
#: ``yyyy-mm-dd`` with a time of day (``T`` or a space, ``hh:mm[:ss[.ffffff]]``): the
#: date and ``hh:mm`` (with ``:ss`` when not zero).
_ISO_TIME = r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::(?!00(?:\.0+)?$)\d{2})?)(?::00)?(?:\.\d+)?$"
_YMD = re.compile(r"(\d{4})([/.])(\d{1,2})\2(\d{1,2})")
#: ``yyyy-mm-dd`` (a date of it outside :data:`DATE_RANGE` that no format read).
_ISO_DATE = re.compile(r"(\d{4})(-)(\d{2})-(\d{2})")
#: Dates typed without separators: ``ddmmyy`` / ``ddmmyyyy`` (or month first) and
#: ``yyyymmdd``.
_COMPACT_DMY = re.compile(r"(\d{2})(\d{2})(\d{2}|(?:19|20)\d{2})")
_COMPACT_YMD = re.compile(r"((?:19|20)\d{2})(\d{2})(\d{2})")
#: Excel's day zero: serial 1 is 1900-01-01 in the 1900 date system; Excel counts a
#: 29 February 1900 that never was (serial 60, Lotus 1-2-3's leap-year bug), so from
#: serial 61 (1900-03-01) on the days count from 1899-12-30. The 1904 date system
#: (``date1904``, old Mac workbooks) counts from serial 0 = 1904-01-01, without the bug.
_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
_EXCEL_EPOCH_1904 = np.datetime64("1904-01-01", "D")
_MS_PER_DAY = 86_400_000
#: Excel serial numbers read as dates in a date column: from 10000 (1927-05-18 in the
#: 1900 system, 1931-05-19 in the 1904 system), so a number of four digits or fewer is
#: never a date (``2024`` is a year typed alone, not 1905-07-16), to 2099-12-31. No date
#: of a serving ASN, their appointment, training or feedback lies outside; the
#: contract's own date rules (age 15–80 at the last period, appointment after age 15,
#: dates after the last period) then apply to the converted dates as to any other.
SERIAL_RANGE = (10000, np.datetime64("2099-12-31", "D"))
#: The dates any date column of the contract can plausibly hold — birth dates, TMT,
#: leaving dates, training and feedback dates of a serving ASN: from 1900-01-01 (the
#: bound of the date rule ``tanggal_terlalu_lama``) to 2099-12-31 (the last date an
#: Excel serial number is read as, :data:`SERIAL_RANGE`). A text that is a date of
#: a known pattern outside it (``01/01/1500``, ``31/12/9999``) is told it is outside
#: this range, never to declare its date format (:func:`date_format_hint`); a date read
#: after 2099-12-31 is rejected so (a column's empty-date stand-in ``9999-12-31`` too); one
#: read before 1900 is left to the contract's date rules, which name it more precisely
#: (the age it gives at the last period, ``tanggal_terlalu_lama``).
DATE_RANGE = (np.datetime64("1900-01-01", "D"), SERIAL_RANGE[1])
#: Texts read as serial numbers: digits, optionally a fraction (a time of day).
#: A serial as Excel writes a General-formatted date: a whole number without a leading
#: zero (``010524`` is a date typed as ``ddmmyy``, not a serial), a fraction allowed.
_SERIAL_NUMBER = re.compile(r"[1-9]\d{0,6}(?:\.\d+)?")


def excel_serial_dates(serial: np.ndarray, system: int = 1900) -> tuple[np.ndarray, np.ndarray]:
    """Dates and times of day of Excel serial numbers.

    Parameters
    ----------
    serial
        ``float`` serial numbers (days; a fraction is the time of day, rounded to the
        millisecond as Excel stores it, so ``45292.99999999999`` is the next midnight).
    system
        1900 (Windows Excel, the default) or 1904 (a workbook with ``date1904`` set).

    Returns
    -------
    (dates, ms)
        ``datetime64[us]`` dates at midnight (``NaT`` where the number is no date: negative,
        not finite, past 9999-12-31, serial 0 or the non-existent 1900-02-29 = 60 of the
        1900 system) and ``int64`` milliseconds since midnight.

    Written here (a few lines of numpy over whole columns) rather than calling
    :func:`openpyxl.utils.datetime.from_excel` per value, which CSV sources would
    otherwise import; the tests check it against that function in both systems.

    Source: ECMA-376 Part 1, §18.17.4.1 (date conversion for serial values: the 1900
    backward-compatibility and 1904 date bases).

    >>> d, ms = excel_serial_dates(np.array([45292.0, 45292.75, 60.0]))
    >>> [str(x)[:10] for x in d], ms.tolist()
    (['2024-01-01', '2024-01-01', 'NaT'], [0, 64800000, 0])
    >>> str(excel_serial_dates(np.array([43830.0]), 1904)[0][0])[:10]
    '2024-01-01'
    """
    if system not in (1900, 1904):
        raise ValueError(f"an Excel date system is 1900 or 1904, not {system!r}")
    s = np.asarray(serial, dtype=np.float64)
    ok = np.isfinite(s) & (s >= 0) & (s < 3_000_000)
    total = np.zeros(len(s), dtype=np.int64)
    total[ok] = np.round(s[ok] * _MS_PER_DAY).astype(np.int64)
    day, ms = np.divmod(total, _MS_PER_DAY)
    if system == 1900:
        ok &= (day >= 1) & (day != 60)
        start = np.where(day < 60, _EXCEL_EPOCH + np.timedelta64(1, "D"), _EXCEL_EPOCH)
    else:
        start = np.full(len(s), _EXCEL_EPOCH_1904)
    dates = (start + day.astype("timedelta64[D]")).astype("datetime64[us]")
    dates[~ok | (dates > np.datetime64("9999-12-31"))] = np.datetime64("NaT")
    ms[np.isnat(dates)] = 0
    return dates, ms


def plausible_serial_dates(dates: np.ndarray, serial: np.ndarray) -> np.ndarray:
    """Which serials are read as dates in a date column: those within
    :data:`SERIAL_RANGE` (``dates``: theirs by :func:`excel_serial_dates`, in the date
    system they were read in; the bounds are the same serial and last date in both).

    >>> s = np.array([2024.0, 10000.0, 73050.0, 73051.0])
    >>> plausible_serial_dates(excel_serial_dates(s)[0], s).tolist()
    [False, True, True, False]
    """
    low, last = SERIAL_RANGE
    s = np.asarray(serial, dtype=np.float64)
    whole = np.floor(np.where(np.isfinite(s), s, -1))
    return ~np.isnat(dates) & (whole >= low) & (dates <= last.astype("datetime64[us]"))


def serial_last(system: int) -> int:
    """The last serial read as a date (the serial of :data:`SERIAL_RANGE`'s last date)."""
    epoch = _EXCEL_EPOCH if system == 1900 else _EXCEL_EPOCH_1904
    return int((SERIAL_RANGE[1] - epoch).astype(np.int64))


def serial_texts(texts: np.ndarray, decimal: str = ".") -> np.ndarray:
    """The numbers of texts that are serial-number-like (``45292``, ``45292.0``,
    ``45292.75``; ``45292,75`` when the file's decimal mark is ``,``), ``NaN`` for
    other texts.

    >>> serial_texts(np.array(["45292", "45292.0", "1968-05-07", "2024", "4,5"], dtype=object)).tolist()
    [45292.0, 45292.0, nan, 2024.0, nan]
    """
    out = np.full(len(texts), np.nan)
    for i, t in enumerate(texts.tolist()):
        t = str(t).strip()
        if decimal == "," and "." not in t:
            t = t.replace(",", ".", 1)
        if _SERIAL_NUMBER.fullmatch(t):
            out[i] = float(t)
    return out


def _sep(spec: str) -> str:
    """The separator of a day-month-year pattern key (``"\\0"``: none, ``ddmmyy``)."""
    return "" if spec[0] == "\0" else spec[0]


def _human(code: str) -> str:
    return code.replace("%d", "dd").replace("%m", "mm").replace("%Y", "yyyy").replace("%y", "yy")


def _serial_hint(v: float, n: int, m: int, bahasa: Bahasa, system: int = 1900) -> str:
    """The hint for failing numbers of a date column: the date an Excel serial in range
    stands for (where such numbers are not read: Parquet), else the range that is read."""
    if not np.isfinite(v) or v < 0:
        return ""
    dates, _ = excel_serial_dates(np.array([v]), system)
    if plausible_serial_dates(dates, np.array([v]))[0]:
        return message(
            "saran_tanggal_serial", bahasa, n=n, m=m, contoh=number_text(v),
            tanggal=str(dates[0])[:10],
        )  # fmt: skip
    low, last = SERIAL_RANGE
    first = excel_serial_dates(np.array([float(low)]), system)[0][0]
    return message(
        "saran_tanggal_serial_luar", bahasa, n=n, m=m, contoh=number_text(v),
        bawah=low, atas=serial_last(system), dari=str(first)[:10], sampai=str(last),
        sistem=system,
    )  # fmt: skip


def date_format_hint(
    texts: np.ndarray,
    counts: np.ndarray,
    declared: str,
    bahasa: Bahasa,
    *,
    decimal: str = ".",
    system: int = 1900,
) -> str:
    """A hint for date texts that failed to parse: the pattern most of them share and the
    mapping-file setting (``format: {tanggal: ...}``) that reads it, or ``""``.

    ``texts`` are distinct failing texts, ``counts`` how many rows hold each. Day-first
    and month-first orders are told apart only by a day above 12: when every failing
    value has day and month ≤ 12 both settings are named and none is chosen (a silent
    guess would swap day and month); when both orders occur the column is mixed. A
    number (``2024``, ``99999``) is named with the range of Excel serial numbers that is
    read as dates (:data:`SERIAL_RANGE`, in date ``system``; ``decimal`` is the file's
    decimal mark); where numbers are not read as serials (a Parquet file) one in that
    range gets the date it stands for.

    >>> date_format_hint(np.array(["07/05/1968", "24/09/1975"]), np.array([1, 1]),
    ...                  "%Y-%m-%d", "en")  # doctest: +ELLIPSIS
    '; 2 of 2 failing values follow the pattern dd/mm/yyyy: ... "%d/%m/%Y"} (it applies ...)'
    """
    total = int(counts.sum())
    groups: dict[tuple[str, str], list[int]] = {}  # (kind, code) → [rows, day>12, month>12]
    serial_rows, serial_first = 0, None
    for t, n in zip(texts.tolist(), counts.tolist(), strict=True):
        if n == 0:
            continue
        t = str(t).strip()
        # a text of a pattern that is no date in either order (31/02/1970), or a date
        # outside the plausible range (01/01/1500, 31/12/9999), is a wrong value, not a
        # format to declare: it counts toward no pattern
        if _outside_date_range(t):
            continue
        m = _DMY.fullmatch(t)
        if m:
            a, sep, b, y = int(m.group(1)), m.group(2), int(m.group(3)), m.group(4)
            _day_month_orders(a, b, y, groups, ("dmy", f"{sep}{'%Y' if len(y) == 4 else '%y'}"), n)
            continue
        m = _YMD.fullmatch(t)
        if m and _is_date(int(m.group(1)), int(m.group(3)), int(m.group(4))):
            groups.setdefault(("ymd", m.group(2)), [0, 0, 0])[0] += n
            continue
        m = _COMPACT_YMD.fullmatch(t)
        if m and _is_date(int(m.group(1)), int(m.group(2)), int(m.group(3))):
            groups.setdefault(("ymd", ""), [0, 0, 0])[0] += n
            continue
        m = _COMPACT_DMY.fullmatch(t)
        if m and 1 <= int(m.group(1)) <= 31 and 1 <= int(m.group(2)) <= 31:
            # day and month in range: a compact date (310270 is 31 February, a wrong
            # value, not a serial number to explain)
            a, b, y = int(m.group(1)), int(m.group(2)), m.group(3)
            key = ("dmy", "\0" + ("%Y" if len(y) == 4 else "%y"))
            _day_month_orders(a, b, y, groups, key, n)
            continue
        v = serial_texts(np.array([t], dtype=object), decimal)[0]
        if np.isnan(v) and decimal != ",":  # a serial with a decimal comma ("45413,75")
            v = serial_texts(np.array([t], dtype=object), ",")[0]
        if 1 <= v < 2958466:
            serial_rows += n
            serial_first = serial_first if serial_first is not None else float(v)
    best = max(groups.items(), key=lambda kv: kv[1][0], default=None)
    if len(groups) + (serial_rows > 0) > 1:
        # several patterns in one column (dd/mm/yyyy and dd-mm-yyyy, or Excel serial
        # numbers among them): no single setting of the file reads them all
        shown = [
            (
                n,
                _human(
                    f"%d{_sep(k[1])}%m{_sep(k[1])}{k[1][1:]}"
                    if k[0] == "dmy"
                    else f"%Y{k[1]}%m{k[1]}%d"
                ),
            )
            for k, (n, _, _) in groups.items()
        ] + ([(serial_rows, message("pola_serial", bahasa))] if serial_rows else [])
        shown.sort(key=lambda x: (-x[0], x[1]))
        pola = ", ".join(f"{p}: {n}" for n, p in shown)
        return message("saran_tanggal_banyak_pola", bahasa, pola=pola)
    if serial_first is not None and (best is None or serial_rows > best[1][0]):
        return _serial_hint(serial_first, serial_rows, total, bahasa, system)
    if best is None:
        return ""
    (kind, spec), (n, day_first, month_first) = best
    if kind == "ymd":
        code = f"%Y{spec}%m{spec}%d"
        if code == declared:
            return ""
        return message("saran_tanggal", bahasa, n=n, m=total, pola=_human(code), kode=code)
    sep, yy = _sep(spec), spec[1:]
    dmy, mdy = f"%d{sep}%m{sep}{yy}", f"%m{sep}%d{sep}{yy}"
    if day_first and month_first:
        return message("saran_tanggal_campur", bahasa, pola_a=_human(dmy), pola_b=_human(mdy))
    if day_first or month_first:
        code = dmy if day_first else mdy
        if code == declared:
            return ""
        return message("saran_tanggal", bahasa, n=n, m=total, pola=_human(code), kode=code)
    return message(
        "saran_tanggal_ambigu", bahasa, n=n, m=total, pola_a=_human(dmy), pola_b=_human(mdy),
        kode_a=dmy, kode_b=mdy,
    )  # fmt: skip


def _outside_date_range(text: str) -> bool:
    """Whether ``text`` is a date of a known pattern (``dd/mm/yyyy`` in either order,
    ``yyyy-mm-dd``, ``yyyy/mm/dd``) with a four-digit year outside :data:`DATE_RANGE`
    (a day of the calendar: ``31/02/1500`` is no date, and no date outside the range
    either).

    >>> [_outside_date_range(t) for t in ("01/01/1500", "31/12/9999", "0999-12-31")]
    [True, True, True]
    >>> [_outside_date_range(t) for t in ("31/12/2099", "31/02/1500", "1/1/50", "x")]
    [False, False, False, False]
    """
    t = str(text).strip()
    m = _DMY.fullmatch(t)
    if m and len(m.group(4)) == 4:
        a, b, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
        dated = _is_date(year, b, a) or _is_date(year, a, b)
    else:
        m = _YMD.fullmatch(t) or _ISO_DATE.fullmatch(t)
        if not m:
            return False
        year = int(m.group(1))
        dated = _is_date(year, int(m.group(3)), int(m.group(4)))
    return dated and not (DATE_RANGE[0].item().year <= year <= DATE_RANGE[1].item().year)


def _is_date(year: int, month: int, day: int) -> bool:
    """Whether ``year-month-day`` is a day of the calendar."""
    try:
        _dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _day_month_orders(a: int, b: int, y: str, groups: dict, key: tuple, n: int) -> bool:
    """Count ``n`` rows of ``a sep b sep y`` toward the day-month pattern ``key`` of
    ``groups`` (``[rows, day first only, month first only]``), when it is a date in at
    least one order; False (counted nowhere) when it is a date in neither."""
    year = int(y) if len(y) == 4 else 2000 + int(y)
    day_first, month_first = _is_date(year, b, a), _is_date(year, a, b)
    if not (day_first or month_first):
        return False
    g = groups.setdefault(key, [0, 0, 0])
    g[0] += n
    g[1] += n if day_first and not month_first else 0
    g[2] += n if month_first and not day_first else 0
    return True


def parse_column(col: Column, rc: RawColumn, st: TableState, pseudonim: bool, labels) -> Parsed:
    """Parse one contract column of a raw table by its kind (see :class:`Column`)."""
    if col.kind == "nip":
        return _parse_nip(col, rc, st, pseudonim)
    if col.kind in {"float", "int"}:
        return _parse_numeric(col, rc, st)
    if col.kind == "date":
        return _parse_date(col, rc, st)
    if col.kind in {"str", "category", "periode", "bool"}:
        return _parse_text(col, rc, st, labels)
    raise ValueError(f"unknown column kind {col.kind!r}")  # pragma: no cover


# --------------------------------------------------------------------------- one table


def _control_chars(rc: RawColumn) -> np.ndarray:
    """Rows whose text holds a control character (NUL, …)."""
    if len(rc.cats) == 0:
        return np.zeros(len(rc.codes), dtype=bool)
    hit = np.array([bool(_CONTROL.search(c)) for c in rc.cats.tolist()], dtype=bool)
    if not hit.any():
        return np.zeros(len(rc.codes), dtype=bool)
    return _spread(hit, rc.codes, False)


def _clean_free_text(rc: RawColumn) -> tuple[RawColumn, np.ndarray]:
    """A free-text column with control characters cleaned, and the rows that changed.

    Line breaks, tabs, vertical tab and form feed become a space, other control
    characters and the bidirectional controls (:data:`_FREE_TEXT_DIRT`) are removed,
    runs of spaces fold to one: an OPD name typed over two lines in one cell, or a
    training title with a stray control character, keeps its row (reported as a warning
    with the original value) instead of rejecting every employee of that OPD or
    reordering the document's text. Texts that clean to the same value share one
    category (``"Kecamatan Sungai\nLebar"`` is ``"Kecamatan Sungai Lebar"``).
    """
    if len(rc.cats) == 0:
        return rc, np.zeros(len(rc.codes), dtype=bool)
    cats = rc.cats.tolist()
    hit = np.array([bool(_FREE_TEXT_DIRT.search(c)) for c in cats], dtype=bool)
    if not hit.any():
        return rc, np.zeros(len(rc.codes), dtype=bool)
    cleaned = [
        " ".join(_FREE_TEXT_DIRT.sub("", _FREE_TEXT_SPACE.sub(" ", c)).split()) if h else c
        for c, h in zip(cats, hit, strict=True)
    ]
    uniq, inverse = np.unique(np.array(cleaned, dtype=object), return_inverse=True)
    empty = np.array([u == "" for u in uniq.tolist()], dtype=bool)
    remap = np.where(empty[inverse], -1, inverse).astype(np.int32)
    keep = uniq[~empty]
    shift = np.cumsum(empty)  # codes after removed empty categories move down
    remap = np.where(remap >= 0, remap - shift[np.maximum(remap, 0)], -1).astype(np.int32)
    codes = np.where(rc.codes >= 0, remap[np.maximum(rc.codes, 0)], -1).astype(np.int32)
    out = RawColumn(rc.name, rc.header, rc.position, codes, keep, rc.num)
    return out, _spread(hit, rc.codes, False)


def _code_key(text: str) -> str:
    """A text as a vocabulary code would be spelled: lower case, each run of spaces,
    ``_``, ``-`` and ``.`` one ``_``."""
    return re.sub(r"[\s_.\-]+", "_", text.strip().lower()).strip("_")


def _read_codes(rc: RawColumn, codes: tuple[str, ...]) -> RawColumn:
    """A text column whose values that spell one of ``codes`` (:func:`_code_key`) are
    that code; other values unchanged; texts that become the same code share one
    category.

    >>> rc = RawColumn("k", "k", 0, np.array([0, 1, 2, -1], dtype=np.int32),
    ...                np.array(["Berorientasi Pelayanan", "KOMPETEN", "Komunikasi"], dtype=object), None)
    >>> out = _read_codes(rc, ("berorientasi_pelayanan", "kompeten"))
    >>> [out.cats[c] if c >= 0 else None for c in out.codes]
    ['berorientasi_pelayanan', 'kompeten', 'Komunikasi', None]
    """
    rc = rc.with_texts()
    if len(rc.cats) == 0:
        return rc
    known = {_code_key(c): c for c in codes}
    cats = [known.get(_code_key(c), c) for c in rc.cats.tolist()]
    uniq, inverse = np.unique(np.array(cats, dtype=object), return_inverse=True)
    codes_out = np.where(rc.codes >= 0, inverse.astype(np.int32)[np.maximum(rc.codes, 0)], -1)
    return RawColumn(rc.name, rc.header, rc.position, codes_out.astype(np.int32), uniq, rc.num)


def _range_rule(col: Column) -> tuple[str, str, np.ndarray | None]:
    if col.low is not None and col.high is not None:
        return f"skema:in_range({col.low!r}, {col.high!r})", "in_range", None
    if col.low is not None:
        return f"skema:greater_than_or_equal_to({col.low!r})", "ge", None
    return f"skema:less_than_or_equal_to({col.high!r})", "le", None


def parse_table(
    table: Table,
    raw: RawTable,
    fmt: FormatSpec,
    labels: Mapping[str, Mapping[str, str]],
    *,
    pseudonim: bool,
    bahasa: Bahasa,
    item_columns: tuple[str, ...] = (),
    non_asn_ids: frozenset[str] = frozenset(),
) -> TableState:
    """Parse every contract column of a raw table and apply the per-cell rules.

    A failing cell in a required, non-nullable column rejects its row; in a nullable or
    optional column it is a warning and the cell is left empty (the row is kept). Cells
    the reader flagged (an Excel error value, a formula without a stored value) are
    reported first and read as empty. ``non_asn_ids`` (:func:`non_asn_keys` of the
    register) are identifiers of people who are no ASN: in a NIP column they are kept as
    written, not reported as malformed NIPs, so that the reference rule sets their rows
    aside under the register row that says who they are.
    """
    st = TableState(
        table=table,
        raw=raw,
        fmt=fmt,
        bahasa=bahasa,
        issues=Issues(table.name, raw.file, raw.rows, raw.file_at if raw.stacked else None),
        bad=np.zeros(raw.n_rows, dtype=bool),
        non_asn_ids=non_asn_ids,
    )
    _reader_cells(st)
    (dec, th), detected = number_format_for(fmt, raw, table)
    st.number_format, st.number_format_detected = (dec, th), detected
    non_asn = np.zeros(raw.n_rows, dtype=bool)
    for col in _parse_order(table):
        rc = raw.columns.get(col.name)
        if rc is None:
            continue
        soft = col.nullable or not col.required
        if col.kind == "str":  # free text: clean control characters, keep the row
            rc, cleaned = _clean_free_text(rc)
            if cleaned.any():
                reject(
                    st,
                    cleaned,
                    col.name,
                    "karakter_kontrol",
                    st.msg("karakter_kontrol_dibersihkan"),
                    level="peringatan",
                )
        if col.codes:  # an open text column naming a vocabulary's codes as exports write them
            rc = _read_codes(rc, col.codes)
        parsed = parse_column(col, rc, st, pseudonim, labels.get(col.name, {}))
        values = parsed.values
        if parsed.converted is not None and parsed.converted.any():
            reject(
                st,
                parsed.converted,
                col.name,
                "tanggal_serial_excel",
                parsed.converted_reason,
                level="peringatan",
            )
        if parsed.timed is not None and parsed.timed.any():
            reject(
                st, parsed.timed, col.name, "tanggal_dengan_jam", parsed.timed_reason,
                level="peringatan",
            )  # fmt: skip
        if col.kind == "nip" and non_asn.any():
            # a person who is no ASN has no NIP to get wrong (a NIK, a THL number): the
            # row's reason is its status alone, and the person's rows elsewhere go under it
            parsed = _without(parsed, non_asn)
        if parsed.bad.any():
            _report(st, col, parsed.bad, parsed.rule, parsed.reason, soft)
        if parsed.implausible is not None and parsed.implausible.any():
            text = st.msg(
                "tanggal_luar_rentang", dari=str(DATE_RANGE[0]), sampai=str(DATE_RANGE[1])
            )
            _report(st, col, parsed.implausible, "tanggal_luar_rentang", text, soft)
        if col.kind in {"str", "nip"}:  # a text kept as written (a pseudonym too)
            _formula_texts(st, col, rc, parsed.bad)
        if col.kind in {"category", "nip", "periode"}:  # codes: a control character is damage
            ctrl = _control_chars(rc) & ~parsed.bad
            if ctrl.any():
                _report(st, col, ctrl, "karakter_kontrol", st.msg("karakter_kontrol"), soft)
                values = _mask(values, ctrl)
        st.values[col.name] = _value_rules(st, col, values, soft)
        if col.name == "status_kepegawaian" and table.name == "pegawai":
            non_asn = _bool(st.values[col.name] == NON_ASN)
            # a supervisor who is no ASN: the register's own nip_atasan as the others
            st.non_asn_ids = non_asn_keys(st)
    for item in item_columns:
        rc = raw.columns[item]
        pseudo = Column(item, "float", required=True, nullable=True)
        parsed = _parse_numeric(pseudo, rc, st)
        if parsed.bad.any():
            reject(st, parsed.bad, item, "tipe:float", parsed.reason)
        st.values[item] = parsed.values.mask(parsed.bad)
    contract = {c.name for c in table.columns} | set(item_columns)
    for name, rc in raw.columns.items():  # unknown columns are carried through as text
        if name not in contract:
            rc2 = rc.with_texts()
            st.values[name] = _cat_series(rc2.codes, rc2.cats)
    return st


def _formula_texts(st: TableState, col: Column, rc: RawColumn, bad: np.ndarray) -> None:
    """Report the text cells of ``col`` that are a spreadsheet formula or its leftover
    (:func:`formula_text`). A formula (``teks_rumus``) is a warning: the value stays text
    as written — the outputs never make it a formula (:mod:`kinerja_analysis.core.cells`)
    — and the analyst learns of a careless or hostile export. An error value
    (``teks_galat_excel``) rejects the row, as an error cell of a workbook does
    (``sel_galat_excel``): the real value was lost, and ``#REF!`` kept as an OPD name
    would become an OPD of its own in the documents. The issue's value is the cell as written, cut to
    :data:`SHOWN_CHARS` characters (personal data masked as in every issue)."""
    if len(rc.cats) == 0:
        return
    keys = [formula_text(c) for c in rc.cats.tolist()]
    if not any(keys):
        return
    # a formula is kept (its text is all there is); an error value stands where the
    # value was lost, and the row is rejected as an error cell of a workbook is
    for rule, level in (("teks_rumus", "peringatan"), ("teks_galat_excel", "tolak")):
        hit = np.array([k == rule for k in keys], dtype=bool)
        rows = _spread(hit, rc.codes, False) & ~bad
        reject(
            st, rows, col.name, rule, st.msg(rule), level=level,
            values=lambda pos: np.array([_shown_text(t) for t in st.text(col.name, pos)], dtype=object),
        )  # fmt: skip


def id_key(text: str) -> str:
    """An identifier that is no NIP (a NIK, a THL number) as two tables written by hand
    still agree on: separators (spaces, dots, dashes, slashes) removed, upper case.

    >>> id_key("3201.0123 4567-8902"), id_key("thl-2024-001")
    ('3201012345678902', 'THL2024001')
    """
    return re.sub(NIP_SEPARATORS, "", str(text)).upper()


#: An identifier shorter than this (after :func:`id_key`) names no one: ``-``, ``0``,
#: ``x`` are placeholders, and other tables' rows holding them are not that person's.
MIN_ID_CHARS = 5


def non_asn_keys(register: TableState) -> frozenset[str]:
    """The identifiers (:func:`id_key`) of the register's rows whose status says the
    person is no ASN (``bukan_asn``): a NIK or a THL number where a NIP would be.
    Placeholders (fewer than :data:`MIN_ID_CHARS` letters and digits) are left out."""
    status = register.values.get("status_kepegawaian")
    if status is None or "nip" not in register.raw.columns:
        return frozenset()
    pos = np.flatnonzero(_bool(status == NON_ASN))
    keys = (id_key(t) for t in register.text("nip", pos).tolist() if t)
    return frozenset(k for k in keys if len(k) >= MIN_ID_CHARS)


def _without(parsed: Parsed, rows: np.ndarray) -> Parsed:
    """``parsed`` with the failures of ``rows`` not reported (their per-row reasons
    dropped with them)."""
    keep = ~rows[parsed.bad]
    reason = parsed.reason
    if isinstance(reason, np.ndarray) and len(reason) == len(keep):
        reason = reason[keep]
    return replace(parsed, bad=parsed.bad & ~rows, reason=reason)


def _parse_order(table: Table) -> list[Column]:
    """The contract's columns in the order they are parsed: the register's status first,
    so that a row of someone who is no ASN is known before the NIP is read."""
    if table.name != "pegawai":
        return list(table.columns)
    return sorted(table.columns, key=lambda c: c.name != "status_kepegawaian")


def _reader_cells(st: TableState) -> None:
    """Report the cells the reader flagged and empty them (before parsing)."""
    raw, table = st.raw, st.table
    contract = {c.name: c for c in table.columns}
    for p in raw.problems:
        if p.row is None:
            continue
        pos = raw.position(p.row, p.sheet)
        if pos is None:
            continue
        name = next((n for n, c in raw.columns.items() if c.header == p.column), p.column)
        rc = raw.columns.get(name)
        if rc is not None:
            rc.codes[pos] = -1
            if rc.num is not None:
                rc.num[pos] = np.nan
        col = contract.get(name)
        hard = col is not None and col.required and not col.nullable
        mask = np.zeros(raw.n_rows, dtype=bool)
        mask[pos] = True
        text = st.msg(p.key, nilai=p.value, **dict(p.fields))
        if hard:
            reject(st, mask, name, p.key, text, values=np.array([p.value], dtype=object))
        else:
            reject(
                st, mask, name, p.key, st.msg("opsional_dikosongkan", pesan=text),
                level="peringatan", values=np.array([p.value], dtype=object),
            )  # fmt: skip


def _report(
    st: TableState, col: Column, mask: np.ndarray, rule: str, reason: np.ndarray | str, soft: bool
) -> None:
    if soft:
        st.mark_emptied(np.asarray(mask, dtype=bool))
        if isinstance(reason, np.ndarray):
            msg: Any = np.array(
                [st.msg("opsional_dikosongkan", pesan=r) for r in reason], dtype=object
            )
        else:
            msg = st.msg("opsional_dikosongkan", pesan=reason)
        reject(st, mask, col.name, rule, msg, level="peringatan")
    else:
        reject(st, mask, col.name, rule, reason)


def _mask(values: pd.Series, mask: np.ndarray) -> pd.Series:
    """``values`` with the cells in ``mask`` emptied (categoricals keep their codes)."""
    if not np.asarray(mask).any():
        return values
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy().copy()
        codes[np.asarray(mask, dtype=bool)] = -1
        return pd.Series(pd.Categorical.from_codes(codes, dtype=values.dtype))
    return values.mask(pd.Series(np.asarray(mask, dtype=bool), index=values.index))


def _no_name(text: str) -> bool:
    """Whether a printed name is no name: no letter or digit (``.``, ``-``, ``?``), a
    stand-in for an empty cell (``N/A``, ``#N/A``, ``null``, ``tidak ada``:
    :func:`~kinerja_analysis.data.readers.is_placeholder`), or ``0`` (what an Excel
    formula over an empty cell shows).

    >>> [_no_name(t) for t in (".", "N/A", "0", "Dinas 0", "Kecamatan X")]
    [True, True, True, False, False]
    """
    t = text.strip()
    return not any(ch.isalnum() for ch in t) or is_placeholder(t) or t == "0"


def _value_rules(st: TableState, col: Column, values: pd.Series, soft: bool) -> pd.Series:
    """Required values, allowed values, ranges and absurd magnitudes of one column;
    returns the values with the cells of soft failures emptied."""
    ok = ~st.bad
    missing = values.isna().to_numpy()
    if col.required and not col.nullable:
        reject(st, ok & missing, col.name, "skema:not_nullable", st.msg("kosong"))
    ok = ~st.bad & ~missing
    if col.kind == "str" and col.published and isinstance(values.dtype, pd.CategoricalDtype):
        # a printed name with no letter or digit ('.', '-', '?'): no name at all, read as
        # an empty cell would be (a required column rejects the row)
        cats = values.cat.categories.to_numpy(dtype=object)
        blank = np.fromiter((_no_name(str(c)) for c in cats), bool, len(cats))
        if blank.any():
            hit = ok & np.append(blank, False)[values.cat.codes.to_numpy()]
            _report(st, col, hit, "tanpa_isi", st.msg("tanpa_isi"), soft)
            values = _mask(values, hit)
            missing = values.isna().to_numpy()
            ok = ~st.bad & ~missing
    if col.name == "status_kepegawaian" and st.table.name == "pegawai":
        # a person who is no ASN is outside the evaluation: the row goes, with its own
        # reason (and the person's rows in the other tables under it), rather than the
        # cell being emptied and the status read from the NIP
        reject(st, ok & _bool(values == NON_ASN), col.name, "bukan_asn", st.msg("bukan_asn"))
        ok = ~st.bad & ~missing
    if col.allowed is not None:
        bad = ok & ~_bool(values.isin(list(col.allowed)))
        rule = f"skema:isin({list(col.allowed)!r})"
        text = st.msg("isin", allowed=", ".join(col.allowed))
        if col.name == "status_kepegawaian" and st.table.name == "pegawai" and bad.any():
            # an unknown label is never guessed: read from the NIP, with the mapping that
            # says it is no ASN when it is (a 'Tenaga Teknis' of the agency)
            text = np.array(
                [
                    # quoted as YAML reads it back (JSON strings are YAML scalars)
                    st.msg(
                        "status_tak_dikenal",
                        pesan=text,
                        label=json.dumps(str(v), ensure_ascii=False),
                    )
                    for v in values[bad]
                ],
                dtype=object,
            )
        _report(st, col, bad, rule, text, soft)
        if soft and bad.any():
            values = _mask(values, bad)
    if col.kind in {"float", "int"} and (col.low is not None or col.high is not None):
        v = values.astype("float64").to_numpy()
        out = np.zeros(len(v), dtype=bool)
        if col.low is not None:
            out |= v < col.low
        if col.high is not None:
            out |= v > col.high
        out &= ok
        rule, key, _ = _range_rule(col)
        fields = {}
        if key == "in_range":
            fields = {"low": f"{col.low:g}", "high": f"{col.high:g}"}
        _report(st, col, out, rule, st.msg(key, **fields), soft)
        if soft:
            values = _mask(values, out)
        ok = ok & ~out
    if col.kind in {"float", "int"}:
        v = values.astype("float64").to_numpy()
        absurd = ok & (np.abs(np.nan_to_num(v)) > ABSURD)
        _report(
            st, col, absurd, "angka_mustahil", st.msg("angka_mustahil", batas=f"{ABSURD:g}"), soft
        )
        if soft:
            values = _mask(values, absurd)
    return values


def missing_required(table: Table, raw: RawTable, item_columns: tuple[str, ...] = ()) -> list[str]:
    """Required contract columns (and survey items) absent from the raw table."""
    missing = [c for c in table.required_columns if c not in raw.columns]
    missing += [c for c in item_columns if c not in raw.columns]
    return missing
