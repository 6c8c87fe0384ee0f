"""Values written for spreadsheets stay data: never a formula (CSV injection).

A value from the data (an OPD name, a rejected cell as typed) that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return is what Excel and LibreOffice read as a
formula when they open a CSV file (``=HYPERLINK(…)``, ``@SUM(…)``, ``-2+3``, DDE
payloads). This module is the one rule for every file a person opens in a spreadsheet:

- :data:`FORMULA_START` — the characters; the XLSX writer
  (:func:`kinerja_analysis.reporting.export.xlsx_bytes`) stores every text as a string
  cell and marks these with Excel's quote prefix;
- :func:`inert_text` / :func:`inert_frame` — for CSV, where there are no cell types, such
  a text is written with a leading apostrophe (``'=1+1``), the mark spreadsheets show as
  "this is text" (OWASP, *CSV Injection*). Leading spaces do not hide a formula: a value
  is checked after them.

Examples
--------
>>> inert_text("=HYPERLINK(\\"http://x\\",\\"Klik\\")")
'\\'=HYPERLINK("http://x","Klik")'
>>> inert_text("Dinas Kesehatan"), inert_text(7)
('Dinas Kesehatan', 7)
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["FORMULA_START", "formula_like", "inert_text", "inert_frame"]

#: Text starting with one of these is what a spreadsheet would read as a formula.
FORMULA_START: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def formula_like(text: str) -> bool:
    """``True`` when a spreadsheet could read ``text`` as a formula (leading spaces
    ignored)."""
    return text.startswith(FORMULA_START) or text.lstrip(" ").startswith(FORMULA_START)


def inert_text(value: Any) -> Any:
    """``value`` with a leading apostrophe when it is text a spreadsheet would read as a
    formula; anything else unchanged."""
    if isinstance(value, str) and formula_like(value):
        return "'" + value
    return value


def inert_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` ready for CSV: every text cell and column name through
    :func:`inert_text` (numbers, dates and missing values unchanged).

    Returns
    -------
    DataFrame
        Same shape, index and dtypes for non-text columns; text columns as ``object``.
    """
    out = df.copy()
    for c in out.columns:
        s = out[c]
        if (
            s.dtype == object
            or pd.api.types.is_string_dtype(s.dtype)
            or isinstance(s.dtype, pd.CategoricalDtype)
        ):
            out[c] = s.astype(object).map(inert_text)
    out.columns = [inert_text(str(c)) for c in out.columns]
    return out
