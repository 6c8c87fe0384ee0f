"""The validation workbook (``validasi.xlsx``): the validation report as an analyst reads it.

``kinerja validate --out`` writes the report twice. The CSV files (``masalah.csv``,
``ringkasan_validasi.csv``, ``sebab_utama.csv``, ``penolakan/<tabel>.csv`` …) keep stable
keys in either language — their column names, the levels (``tolak``), the rules
(``tipe:nip``), the root-cause keys (``pegawai.csv baris 7``), the read settings
(``baris_header``) — so that a script reads them the same way whatever ``--bahasa``; only
their messages follow the language. The workbook is the same tables in the analyst's
language, through the label registry (``reporting/catalog``): sheet names, column
headers, levels, rules, tables, statuses, what was detected, root causes. What comes from
the data stays as it is: file names, column names as the files and the data contract
spell them (the messages name them so, and the analyst looks for them in the file), the
values as written, and the messages (already in the language).

>>> sheet_name("Rejected – Behaviour ratings (360°)")
'Rejected – Behaviour ratings'
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from kinerja_analysis.data.loading import cause_text
from kinerja_analysis.data.messages import MESSAGES, message
from kinerja_analysis.reporting import fmt
from kinerja_analysis.reporting.text import (
    COLUMNS,
    catalog_pairs,
    rule_label,
    text,
    value_label,
)

__all__ = ["VALIDATION_COLUMNS", "header", "sheet_name", "validation_sheets", "write_workbook"]

#: Headers of the workbook's columns and of the data contract's columns
#: (``labels.toml [validation_columns]``; the other headers come from ``[columns]``).
VALIDATION_COLUMNS: dict[str, tuple[str, str]] = catalog_pairs("labels", "validation_columns")

#: Columns whose header differs on one sheet: the root causes count dependent rows and
#: warnings (``n_baris``, ``n_peringatan``), not a table's own.
_SHEET_COLUMNS = {
    "sebab_utama": {"n_baris": "n_baris_terkait", "n_peringatan": "n_peringatan_terkait"}
}
#: Excel's longest sheet name.
_SHEET_MAX = 31
#: ``table: count`` in a root cause's ``rincian`` (``"skp: 24, perilaku: 280"``).
_TABLE_COUNT = re.compile(r"\b([a-z][a-z0-9_]*): (\d+)")


def header(column: str, bahasa: fmt.Bahasa = "id") -> str:
    """The header of a column of the validation workbook: the registry's words for the
    report's own columns and the data contract's, the file's header for any other
    column of a rejected row (a survey item), which is data."""
    pair = VALIDATION_COLUMNS.get(column)
    if pair is not None:
        return pair[0] if bahasa == "id" else pair[1]
    c = COLUMNS.get(column)
    if c is not None:
        return c.id if bahasa == "id" else c.en
    return column


def sheet_name(title: str) -> str:
    """A sheet name from a title: cut at a word boundary to Excel's 31 characters."""
    if len(title) <= _SHEET_MAX:
        return title
    words = title[: _SHEET_MAX + 1].split(" ")[:-1]
    cut = " ".join(words).rstrip(" ,;-–(")
    return cut if len(cut) >= 12 else title[:_SHEET_MAX]


def _mapped(s: pd.Series, fn) -> pd.Series:
    """``s`` with each distinct non-missing value replaced by ``fn(value)``."""
    words = {v: fn(v) for v in pd.unique(s.dropna())}
    return s.astype(object).map(lambda v: words.get(v, v) if pd.notna(v) else v)


def _tables_in_words(text_: object, bahasa: fmt.Bahasa) -> object:
    """``"skp: 24, perilaku: 280"`` with the tables in words (``"SKP (work results):
    24, …"``)."""
    if not isinstance(text_, str):
        return text_
    return _TABLE_COUNT.sub(lambda m: f"{value_label(m.group(1), bahasa)}: {m.group(2)}", text_)


def _detected_in_words(text_: object, bahasa: fmt.Bahasa) -> object:
    """``"encoding, baris_header"`` (the settings detected) in words."""
    if not isinstance(text_, str) or not text_:
        return text_
    keys = [k.strip() for k in text_.split(",")]
    return ", ".join(message(f"kata_{k}", bahasa) if f"kata_{k}" in MESSAGES else k for k in keys)


def _status_in_words(status: object, bahasa: fmt.Bahasa) -> object:
    """A table's status (``ok``, ``dilewati``, ``tidak_dapat_dipakai``) in words."""
    key = f"status_{status}"
    return message(key, bahasa) if key in MESSAGES else status


def _labelled(df: pd.DataFrame, bahasa: fmt.Bahasa) -> pd.DataFrame:
    """One table of the report with its key values in words (columns unchanged)."""
    out = df.copy()
    words = {
        "tabel": lambda v: value_label(v, bahasa),
        "tingkat": lambda v: value_label(v, bahasa),
        "aturan": lambda v: rule_label(v, bahasa),
        "sebab": lambda v: cause_text(v, bahasa),
        "status": lambda v: _status_in_words(v, bahasa),
        "format": lambda v: str(v).upper(),
        "terdeteksi": lambda v: _detected_in_words(v, bahasa),
        "rincian": lambda v: _tables_in_words(v, bahasa),
    }
    for col, fn in words.items():
        if col in out.columns:
            out[col] = _mapped(out[col], fn)
    return out


def validation_sheets(report: Any, bahasa: fmt.Bahasa = "id") -> dict[str, pd.DataFrame]:
    """The validation report's tables as the workbook shows them.

    Parameters
    ----------
    report
        A :class:`~kinerja_analysis.data.loading.ValidationReport`.
    bahasa
        ``"id"`` or ``"en"``.

    Returns
    -------
    dict
        ``{sheet name: DataFrame}`` in the order of :meth:`ValidationReport.files`
        (summary, problems, structural problems, root causes, then the rejected rows of
        each table), sheet names and headers in ``bahasa``, key values in words. A
        frame's ``attrs["format"]`` writes row numbers without thousands separators.
    """
    titles = {
        "ringkasan_validasi": text("tabel_ringkasan_validasi", bahasa),
        "masalah": text("lembar_masalah", bahasa),
        "masalah_struktur": text("lembar_masalah_struktur", bahasa),
        "sebab_utama": text("lembar_sebab_utama", bahasa),
    }
    out: dict[str, pd.DataFrame] = {}
    for name, df in report.files().items():
        if name.startswith("penolakan/"):
            tabel = name.split("/", 1)[1]
            title = text("lembar_penolakan", bahasa, tabel=value_label(tabel, bahasa))
        else:
            title = titles[name]
        shown = _labelled(df, bahasa)
        keys = _SHEET_COLUMNS.get(name, {})
        heads = {c: header(keys.get(str(c), str(c)), bahasa) for c in shown.columns}
        shown = shown.rename(columns=heads)
        if "baris" in heads:  # a row number, not a quantity: no thousands separator
            shown.attrs["format"] = {heads["baris"]: {"jenis": "teks"}}
        out[_unique(sheet_name(title), out)] = shown
    return out


def _unique(name: str, used: Mapping[str, object]) -> str:
    taken = {u.lower() for u in used}
    out, i = name, 2
    while out.lower() in taken:
        suffix = f" ({i})"
        out = name[: _SHEET_MAX - len(suffix)].rstrip() + suffix
        i += 1
    return out


def write_workbook(report: Any, path: str | os.PathLike, bahasa: fmt.Bahasa = "id") -> Path:
    """Write :func:`validation_sheets` to ``path`` through THE workbook writer
    (:func:`kinerja_analysis.reporting.export.to_xlsx`: every text a string cell, never a
    formula; atomic), owner-only: the rejected rows hold values as typed (NIPs, names)."""
    from kinerja_analysis.reporting.export import to_xlsx  # lazy: openpyxl only when writing

    sheets = validation_sheets(report, bahasa)
    # the headers are words already: written as they are, never looked up again
    labels = {str(c): str(c) for df in sheets.values() for c in df.columns}
    return to_xlsx(sheets, path, bahasa=bahasa, labels=labels, private=True)
