"""Evaluation periods: the one place period codes are parsed, ordered, named and bounded.

A period code is ``YYYY-MM`` (month), ``YYYYQn`` (quarter, the default), ``YYYYSn``
(semester) or ``YYYY`` (year), as the data contract defines (``DESIGN.md`` §2). Documents
print them in words: "Januari 2025", "Triwulan I 2025", "Semester I 2025", "Tahun 2025"
(English with ``bahasa="en"``).

Every other module asks this one: the loader (which codes are valid), the panel (which
period a date falls in, the integer time axis), the DiD engine (period codes as time),
the reports (words, ordering).

Examples
--------
>>> parse_period("2025q3")
Period(year=2025, kind='Q', number=3)
>>> sort_periods(["2025Q2", "2024Q4", "2025Q1"])
['2024Q4', '2025Q1', '2025Q2']
>>> period_label("2025-01"), period_label("2025S2", "en")
('Januari 2025', 'Semester 2 2025')
>>> period_ordinal("2025Q1") - period_ordinal("2024Q4")
1
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import pandas as pd

from kinerja_analysis.core.errors import PeriodError
from kinerja_analysis.core.text import Bahasa, check_bahasa

__all__ = [
    "PERIOD_PATTERN",
    "KINDS",
    "MONTH_NAMES",
    "Period",
    "parse_period",
    "parse_period_text",
    "is_period",
    "sort_periods",
    "period_kind",
    "missing_periods",
    "period_label",
    "period_bounds",
    "period_of",
    "period_index",
    "period_ordinal",
    "period_from_ordinal",
    "shift_period",
]

#: Regular expression of a valid period code (upper case, no spaces).
PERIOD_PATTERN = r"^\d{4}(?:Q[1-4]|S[12]|-(?:0[1-9]|1[0-2]))?$"
#: Period kinds: month, quarter, semester, year — and how many of each make a year.
KINDS: dict[str, int] = {"M": 12, "Q": 4, "S": 2, "Y": 1}

_CODE_RE = re.compile(r"^(\d{4})(?:([QS])(\d{1,2})|-(\d{2}))?$")
_ROMAN = ("I", "II", "III", "IV")
#: Month names by language.
MONTH_NAMES = {
    "id": (
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip
_WORDS = {
    "id": {"Q": "Triwulan", "S": "Semester", "Y": "Tahun"},
    "en": {"Q": "Quarter", "S": "Semester", "Y": "Year"},
}
_KIND_ORDER = {"Y": 0, "S": 1, "Q": 2, "M": 3}


class Period(NamedTuple):
    """A parsed period: ``year``, ``kind`` (``"M"``, ``"Q"``, ``"S"``, ``"Y"``), ``number``.

    ``number`` is the month (1–12), quarter (1–4) or semester (1–2); 1 for a year.
    """

    year: int
    kind: str
    number: int

    @property
    def code(self) -> str:
        """The canonical code: ``2025-01``, ``2025Q1``, ``2025S1`` or ``2025``."""
        if self.kind == "Y":
            return f"{self.year:04d}"
        if self.kind == "M":
            return f"{self.year:04d}-{self.number:02d}"
        return f"{self.year:04d}{self.kind}{self.number}"

    @property
    def months(self) -> int:
        """Length of the period in months."""
        return 12 // KINDS[self.kind]

    @property
    def first_month(self) -> int:
        """First calendar month of the period (1–12)."""
        return (self.number - 1) * self.months + 1

    @property
    def last_month(self) -> int:
        """Last calendar month of the period (1–12)."""
        return self.number * self.months

    @property
    def ordinal(self) -> int:
        """Consecutive integer on this kind's axis: the next period is ``ordinal + 1``."""
        return self.year * KINDS[self.kind] + self.number - 1


def parse_period(code: object) -> Period:
    """Parse a period code; lower case and surrounding spaces are accepted.

    Returns
    -------
    Period
        e.g. ``parse_period("2025Q3") == Period(2025, "Q", 3)``.

    Raises
    ------
    PeriodError
        Not a period code, a quarter outside 1–4, a semester outside 1–2, a month
        outside 1–12, or a year outside 1900–2199. The message (Indonesian) names the
        value and the accepted forms.

    Examples
    --------
    >>> p = parse_period(" 2025q1 ")
    >>> p.code, p.kind
    ('2025Q1', 'Q')
    >>> parse_period("2025-03").code
    '2025-03'
    """
    if not isinstance(code, str):
        raise PeriodError(f"kode periode harus teks, bukan {type(code).__name__}: {code!r}")
    m = _CODE_RE.match(code.strip().upper())
    if not m:
        raise PeriodError(
            f"kode periode tidak valid: {code!r} (format YYYY-MM, YYYYQn, YYYYSn atau "
            "YYYY, mis. 2025-01, 2025Q1, 2025S1, 2025)"
        )
    year = int(m.group(1))
    if not 1900 <= year <= 2199:
        raise PeriodError(f"tahun periode di luar 1900–2199: {code!r}")
    if m.group(4) is not None:
        kind, number = "M", int(m.group(4))
    else:
        kind, number = (m.group(2) or "Y"), int(m.group(3) or 1)
    if not 1 <= number <= KINDS[kind]:
        name = {"M": "bulan", "Q": "triwulan", "S": "semester"}[kind]
        raise PeriodError(f"{name} ke-{number} tidak ada (1–{KINDS[kind]}): {code!r}")
    return Period(year, kind, number)


_ROMAN_NUM = {"I": 1, "II": 2, "III": 3, "IV": 4}
_MONTH_WORDS: dict[str, int] = {
    **{m.upper(): i + 1 for names in MONTH_NAMES.values() for i, m in enumerate(names)},
    **{m.upper()[:3]: i + 1 for names in MONTH_NAMES.values() for i, m in enumerate(names)},
    "AGS": 8, "AGT": 8, "OKT": 10, "NOP": 11, "PEB": 2, "PEBRUARI": 2, "NOPEMBER": 11,
}  # fmt: skip
_QUARTER_WORDS = ("Q", "TW", "TRIWULAN", "KUARTAL", "QUARTER", "KW")
_SEMESTER_WORDS = ("S", "SMT", "SEM", "SEMESTER")
_SEP_RE = re.compile(r"[\s\-_/.,]+")


def _number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    return _ROMAN_NUM.get(token)


def parse_period_text(text: object) -> Period:
    """Parse a period as exports write it; the lenient sibling of :func:`parse_period`.

    Besides the codes, accepts ``2025-Q1``, ``Q1 2025``, ``TW I 2025``, ``Triwulan II
    2025``, ``Semester 1 2025``, ``S2/2025``, ``2025/01``, ``01-2025``, ``202501``,
    ``Januari 2025``, ``Jan 2025``, ``January 2025``, ``Tahun 2025``.

    >>> parse_period_text("Triwulan II 2025").code, parse_period_text("Januari 2025").code
    ('2025Q2', '2025-01')
    >>> parse_period_text("01/2025").code, parse_period_text("2025-q1").code
    ('2025-01', '2025Q1')

    Raises
    ------
    PeriodError
        Not a recognisable period (the message names the value and the accepted forms).
    """
    if not isinstance(text, str):
        raise PeriodError(f"kode periode harus teks, bukan {type(text).__name__}: {text!r}")
    t = text.strip().upper()
    try:
        return parse_period(t)
    except PeriodError:
        pass
    tokens = [x for x in _SEP_RE.split(t) if x]
    # glued forms: 2025Q1 inside other text, Q1, S2, TWII
    split: list[str] = []
    for tok in tokens:
        m = re.fullmatch(r"(\d{4})([QS])(\d)", tok) or re.fullmatch(r"([QS]|TW|KW)(\d|[IV]+)", tok)
        if m:
            split.extend(m.groups())
        else:
            split.append(tok)
    tokens = split
    years = [x for x in tokens if re.fullmatch(r"\d{4}", x)]
    rest = [x for x in tokens if x not in years]
    kind = number = None
    if len(tokens) == 1 and re.fullmatch(r"\d{6}", tokens[0]):
        years, rest = [tokens[0][:4]], [tokens[0][4:]]
    if len(years) == 1:
        if not rest or rest == ["TAHUN"] or rest == ["YEAR"]:
            kind, number = "Y", 1
        elif len(rest) == 2 and rest[0] in _QUARTER_WORDS:
            kind, number = "Q", _number(rest[1])
        elif len(rest) == 2 and rest[0] in _SEMESTER_WORDS:
            kind, number = "S", _number(rest[1])
        elif len(rest) == 1 and rest[0] in _MONTH_WORDS:
            kind, number = "M", _MONTH_WORDS[rest[0]]
        elif len(rest) == 1 and re.fullmatch(r"\d{1,2}", rest[0]):
            kind, number = "M", int(rest[0])
    if kind is None or number is None:
        raise PeriodError(
            f"kode periode tidak valid: {text!r} (format YYYY-MM, YYYYQn, YYYYSn atau "
            "YYYY, mis. 2025-01, 2025Q1, 2025S1, 2025)"
        )
    code = (
        f"{years[0]}-{number:02d}"
        if kind == "M"
        else years[0] + ("" if kind == "Y" else f"{kind}{number}")
    )
    return parse_period(code)


def is_period(code: object) -> bool:
    """Whether ``code`` is a valid period code (see :func:`parse_period`).

    >>> is_period("2025Q1"), is_period("2025Q5"), is_period(None)
    (True, False, False)
    """
    try:
        parse_period(code)
    except PeriodError:
        return False
    return True


def sort_periods(codes: Iterable[str]) -> list[str]:
    """Validate, normalise and sort period codes; duplicates are dropped.

    Periods sort by their first month, then by length (``2025`` before ``2025S1`` before
    ``2025Q1`` before ``2025-01``).

    Raises
    ------
    PeriodError
        A code is not a period code.

    Examples
    --------
    >>> sort_periods(["2025Q1", "2024Q4", "2025q1"])
    ['2024Q4', '2025Q1']
    """
    parsed = {parse_period(c) for c in codes}
    return [
        p.code for p in sorted(parsed, key=lambda p: (p.year, p.first_month, _KIND_ORDER[p.kind]))
    ]


def period_kind(codes: Sequence[str]) -> str:
    """The one kind (``M``, ``Q``, ``S`` or ``Y``) shared by ``codes``.

    Raises
    ------
    PeriodError
        No codes, or codes of more than one kind (e.g. ``2025Q1`` with ``2025S1``).

    Examples
    --------
    >>> period_kind(["2025Q1", "2025Q2"])
    'Q'
    """
    kinds = {parse_period(c).kind for c in codes}
    if len(kinds) != 1:
        raise PeriodError(
            "periode harus satu jenis (bulan, triwulan, semester atau tahun); "
            f"ditemukan: {', '.join(sorted(kinds)) or 'tidak ada'}"
        )
    return kinds.pop()


def missing_periods(codes: Iterable[str]) -> list[str]:
    """The periods of the same kind between the first and the last of ``codes`` that
    ``codes`` lacks (the gaps), in calendar order.

    Raises
    ------
    PeriodError
        A code is not a period, or the codes are of more than one kind.

    Examples
    --------
    >>> missing_periods(["2025Q4", "2024Q4", "2025Q1"])
    ['2025Q2', '2025Q3']
    >>> missing_periods(["2025-01", "2025-02"]), missing_periods([])
    ([], [])
    """
    ordered = sort_periods(codes)
    if not ordered:
        return []
    kind = period_kind(ordered)
    have = {period_ordinal(c) for c in ordered}
    lo, hi = min(have), max(have)
    return [period_from_ordinal(o, kind) for o in range(lo, hi + 1) if o not in have]


def period_label(code: str, bahasa: Bahasa = "id") -> str:
    """A period in words: ``2025Q1`` → "Triwulan I 2025" / "Quarter 1 2025".

    ``2025-01`` → "Januari 2025" / "January 2025"; ``2025S2`` → "Semester II 2025" /
    "Semester 2 2025"; ``2025`` → "Tahun 2025" / "Year 2025".

    >>> period_label("2025Q1"), period_label("2025Q1", "en")
    ('Triwulan I 2025', 'Quarter 1 2025')
    """
    check_bahasa(bahasa)
    p = parse_period(code)
    if p.kind == "M":
        return f"{MONTH_NAMES[bahasa][p.number - 1]} {p.year}"
    word = _WORDS[bahasa][p.kind]
    if p.kind == "Y":
        return f"{word} {p.year}"
    number = _ROMAN[p.number - 1] if bahasa == "id" else str(p.number)
    return f"{word} {number} {p.year}"


def period_bounds(code: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of a period (midnight timestamps).

    >>> period_bounds("2025Q1")
    (Timestamp('2025-01-01 00:00:00'), Timestamp('2025-03-31 00:00:00'))
    """
    p = parse_period(code)
    first = pd.Timestamp(year=p.year, month=p.first_month, day=1)
    last = first + pd.DateOffset(months=p.months) - pd.Timedelta(days=1)
    return first, last


def period_of(dates: pd.Series, kind: str) -> pd.Series:
    """Period code (``string`` dtype) of each date for a period ``kind``.

    Missing dates give missing codes.

    Raises
    ------
    ValueError
        ``kind`` is not ``M``, ``Q``, ``S`` or ``Y``.

    Examples
    --------
    >>> period_of(pd.Series(pd.to_datetime(["2025-02-01", "2025-07-15"])), "Q").tolist()
    ['2025Q1', '2025Q3']
    """
    if kind not in KINDS:
        raise ValueError(f"unknown period kind {kind!r} (expected M, Q, S or Y)")
    d = pd.to_datetime(dates)
    year = d.dt.year.astype("Int64").astype("string[pyarrow]").str.zfill(4)
    if kind == "Y":
        return year
    if kind == "M":
        return year + "-" + d.dt.month.astype("Int64").astype("string[pyarrow]").str.zfill(2)
    number = (d.dt.month - 1) // (12 // KINDS[kind]) + 1
    return year + kind + number.astype("Int64").astype("string[pyarrow]")


def period_ordinal(code: str) -> int:
    """Integer position of a period on its kind's calendar axis (see :attr:`Period.ordinal`).

    Consecutive periods differ by one, also across a gap in the data.

    >>> period_ordinal("2025Q2") - period_ordinal("2024Q4")
    2
    """
    return parse_period(code).ordinal


def period_index(codes: Iterable[str]) -> dict[str, int]:
    """Map the periods to calendar positions ``1..T`` from the first period.

    Consecutive calendar periods get consecutive integers; a period missing from
    ``codes`` leaves a gap (``{"2024Q1": 1, "2024Q3": 3}``), so "the next period" is
    always ``t + 1``.

    >>> period_index(["2024Q4", "2025Q2", "2025Q1"])
    {'2024Q4': 1, '2025Q1': 2, '2025Q2': 3}
    """
    ordered = sort_periods(codes)
    if not ordered:
        return {}
    period_kind(ordered)
    base = period_ordinal(ordered[0])
    return {c: period_ordinal(c) - base + 1 for c in ordered}


def period_from_ordinal(ordinal: int, kind: str) -> str:
    """The period code at a calendar position of a kind (inverse of :attr:`Period.ordinal`).

    >>> period_from_ordinal(period_ordinal("2025Q1"), "Q")
    '2025Q1'
    """
    if kind not in KINDS:
        raise ValueError(f"unknown period kind {kind!r} (expected M, Q, S or Y)")
    year, number = divmod(int(ordinal), KINDS[kind])
    return Period(year, kind, number + 1).code


def shift_period(code: str, k: int) -> str:
    """The period ``k`` steps after ``code`` (before, for negative ``k``), same kind.

    >>> shift_period("2024Q4", 1), shift_period("2025-01", -1)
    ('2025Q1', '2024-12')
    """
    p = parse_period(code)
    return period_from_ordinal(p.ordinal + k, p.kind)
