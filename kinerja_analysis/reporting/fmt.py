"""Numbers, percentages and dates written the Indonesian (or English) way.

Stakeholder reports are in Bahasa Indonesia: a comma is the decimal mark and a point
groups thousands (``0,21``, ``6.012``) and dates carry Indonesian month names
(``28 November 2026``). English (``bahasa="en"``) uses ``0.21``, ``6,012``. Periods in
words are :func:`kinerja_analysis.core.periods.period_label`.

>>> number(0.2103), number(6012), percent(0.125), number(-1234.5, 1, "en")
('0,21', '6.012', '12,5%', '-1,234.5')
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import Literal

import numpy as np
import pandas as pd

from kinerja_analysis.core.checks import is_missing
from kinerja_analysis.core.deprecation import renamed_keywords
from kinerja_analysis.core.periods import MONTH_NAMES
from kinerja_analysis.core.text import Bahasa, check_bahasa
from kinerja_analysis.reporting.paths import slug  # the one slug function (re-exported)

__all__ = ["Bahasa", "EMPTY", "is_missing", "number", "percent", "date", "slug"]

#: What a missing value prints as.
EMPTY = "–"


@renamed_keywords(desimal="decimals")
def number(x: object, decimals: int | None = 2, bahasa: Bahasa = "id") -> str:
    """Write a number with the decimal and thousands marks of ``bahasa``.

    Parameters
    ----------
    x
        A number (Python, NumPy or pandas scalar). Missing values (None, NaN, NA)
        give :data:`EMPTY` (``"–"``).
    decimals
        Digits after the decimal mark. Integers (``int``, NumPy integers) are always
        written without decimals; ``None`` writes floats with as few decimals as
        needed (at most 6).
    bahasa
        ``"id"``: ``1.234,5``; ``"en"``: ``1,234.5``.

    Returns
    -------
    str
        ``number(0.2103) == "0,21"``, ``number(6012) == "6.012"``,
        ``number(-1234.5, 1, "en") == "-1,234.5"``.

    Notes
    -----
    Rounding is Python's ``format`` (round half to even on the binary value), the same
    as pandas' display.
    """
    check_bahasa(bahasa)
    if is_missing(x):
        return EMPTY
    if isinstance(x, bool | np.bool_):
        raise ValueError(f"number: the boolean {x!r} is not a number")
    if isinstance(x, int | np.integer):
        teks = f"{int(x):,}"
    else:
        try:
            v = float(x)  # type: ignore[arg-type]
        except (TypeError, ValueError) as e:
            raise ValueError(f"number: {x!r} is not a number") from e
        if math.isinf(v):
            return "∞" if v > 0 else "-∞"
        if decimals is None:
            teks = f"{v:,.6f}".rstrip("0").rstrip(".")
        else:
            if decimals < 0:
                raise ValueError(f"decimals must be >= 0, not {decimals}")
            teks = f"{v:,.{decimals}f}"
        if teks.startswith("-") and float(teks[1:].replace(",", "")) == 0:
            teks = teks[1:]  # "-0,0" -> "0,0"
    if bahasa == "id":
        teks = teks.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return teks


@renamed_keywords(desimal="decimals", skala="scale")
def percent(
    x: object,
    decimals: int = 1,
    bahasa: Bahasa = "id",
    *,
    scale: Literal["fraksi", "persen"] = "fraksi",
) -> str:
    """Write a share as a percentage: ``percent(0.125) == "12,5%"``.

    Parameters
    ----------
    x
        The share. With ``scale="fraksi"`` (default) 0.125 means 12.5 %; with
        ``scale="persen"`` the value is already in percent (``12.5``).
    decimals, bahasa
        As in :func:`number`.

    Returns
    -------
    str
        The number followed by ``%`` without a space (Indonesian and English house
        style alike); :data:`EMPTY` for a missing value.
    """
    if scale not in ("fraksi", "persen"):
        raise ValueError(f"scale must be 'fraksi' or 'persen', not {scale!r}")
    if is_missing(x):
        return EMPTY
    v = float(x) * (100.0 if scale == "fraksi" else 1.0)  # type: ignore[arg-type]
    return number(v, decimals, bahasa) + "%"


def date(d: _dt.date | _dt.datetime | pd.Timestamp | str, bahasa: Bahasa = "id") -> str:
    """A date in words: ``2026-11-28`` → ``"28 November 2026"``, ``2026-08-17`` → ``"17 Agustus 2026"``.

    Accepts ``datetime.date``/``datetime``, ``pandas.Timestamp`` or an ISO string
    (``"2026-11-28"``). Missing values give :data:`EMPTY`.
    """
    check_bahasa(bahasa)
    if is_missing(d):
        return EMPTY
    if isinstance(d, str):
        try:
            d = _dt.date.fromisoformat(d.strip()[:10])
        except ValueError as e:
            raise ValueError(f"invalid date (format YYYY-MM-DD): {d!r}") from e
    if not isinstance(d, _dt.date):
        raise ValueError(f"date: {d!r} is not a date")
    return f"{d.day} {MONTH_NAMES[bahasa][d.month - 1]} {d.year}"
