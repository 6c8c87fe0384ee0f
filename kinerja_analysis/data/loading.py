"""Reading and validating a dataset folder — the whole truth in one run.

A dataset is a folder of tables, ``<table>.csv``, ``.parquet`` or ``.xlsx`` (or the file
named in a column-mapping file). :func:`validate_dataset` reads **every** table, reports
every structural problem of every file together (missing columns, unreadable files,
encodings, duplicate headers, a sheet that does not exist …) and then every row-level
problem (types, allowed values, ranges, keys, NIP / NI PPPK structure, plausibility,
references across tables, periods), each with file, row, column and value. Problems
caused by another problem are grouped under their root cause (``pegawai.csv baris 7
ditolak → 312 baris terkait disisihkan``); the full list goes to the rejects files.
:func:`load_dataset` returns the accepted rows as a :class:`Dataset`, or raises
:class:`~kinerja_analysis.core.errors.DatasetError` (carrying the full report) when the
data cannot be used at all: a required table that cannot be read, no period table, no
valid period, a file that cannot be opened at all. One broken row or an empty optional
file never makes a dataset unusable. Every column of a file that no table reads is named
(a note), and one that looks like a missing column is warned about.

How it scales: files are read column by column by pyarrow, dictionary-encoded
(:mod:`kinerja_analysis.data.readers`), and every rule runs as a vectorised expression
(:mod:`kinerja_analysis.data.validation`); no table is ever copied as a frame of Python
strings. Peak memory stays near the size of the CSV files (``bench/bench_validate.py``).
The validated tables can be kept as partitioned Parquet keyed by the raw files' checksums
(``load_dataset(..., cache=DIR)``), so a later run with unchanged files loads in seconds
(:mod:`kinerja_analysis.data.engine`).

Row numbers (``baris``) are the row a spreadsheet shows: the header row's number plus
the record's position (header on row 1 → first data row 2; Parquet: header = row 1).
Rejected rows are kept in the report and written to a rejects folder on request; the raw
files are only ever read.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import dataclasses
import functools
import hashlib
import json
import os
import re
import shutil
import zipfile
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa

from kinerja_analysis.core.cells import inert_frame
from kinerja_analysis.core.compat import TEXT_DTYPE, read_parquet
from kinerja_analysis.core.errors import DatasetError
from kinerja_analysis.core.io import (
    PACKAGE_ROOT,
    atomic_write,
    code_fingerprint,
    folder_of,
    within,
)
from kinerja_analysis.core.keys import dictionary_categorical
from kinerja_analysis.core.periods import is_period, period_bounds, sort_periods
from kinerja_analysis.core.text import Bahasa, check_bahasa, format_count
from kinerja_analysis.data import rules
from kinerja_analysis.data.contract import (
    PERIOD_TABLES,
    ROW_LEVEL_TABLES,
    TABLE_ORDER,
    TABLES,
    Table,
    identifier_columns,
)
from kinerja_analysis.data.mapping import (
    ColumnMapping,
    TableMapping,
    preset_synonyms,
    read_mapping,
)
from kinerja_analysis.data.messages import message
from kinerja_analysis.data.readers import (
    HeaderSpec,
    Problem,
    RawTable,
    SourceError,
    column_letter,
    header_names,
    normalise_header,
    read_source,
)
from kinerja_analysis.data.validation import (
    ISSUE_COLUMNS,
    TableState,
    broken_row_reason,
    missing_required,
    non_asn_keys,
    parse_table,
    string_series,
)

__all__ = [
    "Dataset",
    "ValidationReport",
    "load_dataset",
    "validate_dataset",
    "check_data_folder",
    "cause_text",
    "ISSUE_COLUMNS",
    "STRUCTURE_COLUMNS",
]

_EXTENSIONS = (".csv", ".parquet", ".xlsx")
#: Columns of :attr:`ValidationReport.structure`.
STRUCTURE_COLUMNS = ["tabel", "file", "kolom", "pesan", "tingkat"]
#: Columns of :attr:`ValidationReport.summary`.
SUMMARY_COLUMNS = [
    "tabel", "file", "rows_read", "rows_accepted", "rows_rejected", "n_peringatan", "status",
    "format", "sheet", "baris_header", "pemisah", "desimal", "ribuan", "encoding",
    "terdeteksi", "baris_kosong",
]  # fmt: skip
#: Version of the validated-table cache layout (part of the cache key, with the
#: validating code's own fingerprint, :func:`rules_fingerprint`).
CACHE_VERSION = "20"


# --------------------------------------------------------------------------- report


@dataclass(frozen=True)
class ValidationReport:
    """What validation found.

    Attributes
    ----------
    summary
        One row per table: ``tabel, file, rows_read, rows_accepted, rows_rejected,
        n_peringatan`` (``rows_read == rows_accepted + rows_rejected`` always), ``status``
        (``ok``, ``dilewati`` = optional table not used, ``tidak_dapat_dipakai``) and how
        the file was read: ``format, sheet, baris_header, pemisah, desimal, ribuan,
        encoding``, ``terdeteksi`` (the settings that were detected rather than declared)
        and ``baris_kosong`` (empty rows skipped).
    issues
        One row per problem: ``tabel, file, baris, kolom, nilai, aturan, pesan, tingkat,
        sebab`` where ``tingkat`` is ``"tolak"`` (row rejected) or ``"peringatan"`` (row
        kept) and ``sebab`` names the root cause of a dependent problem
        (``"pegawai.csv baris 7"``, ``"periode 2030Q1"``; empty when the row is itself
        the cause).
    rejected_rows
        Per table, the rejected rows as read (text) with ``baris`` and ``alasan``; a
        table read from several sheets of a workbook also has ``file`` first, the file
        and sheet of each row as the issues name them (``Realisasi SKP.xlsx [SKP 2025]``).
    notes
        Dataset-level remarks (e.g. NIP structure check switched off).
    absent
        The optional tables of the contract this dataset does not have (canonical names,
        contract order); a report says in words that their data are not available.
    structure
        Problems of files and tables rather than rows: ``tabel, file, kolom, pesan,
        tingkat`` with ``tingkat`` ``fatal`` (the table cannot be used), ``peringatan`` or
        ``info`` (how a file was read).
    usable
        ``False`` when the dataset cannot be used at all.
    periods
        The dataset's evaluation periods.
    rejected_presence
        Rejected rows of the tables with an employee and a period that an indicator of
        the *absence* of rows must take into account: ``tabel, periode, nip, n_baris``,
        ``nip`` the accepted employee the rows belong to, or empty when the rows cannot
        be told apart from any employee's (see :meth:`absence_assessable`). Holds NIPs:
        kept in memory and in the private cache, never written with the report's files.
    """

    summary: pd.DataFrame
    issues: pd.DataFrame
    rejected_rows: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    structure: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({c: [] for c in STRUCTURE_COLUMNS})
    )
    usable: bool = True
    periods: tuple[str, ...] = ()
    bahasa: str = "id"
    pending_periods: tuple[str, ...] = ()
    rejected_presence: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({c: [] for c in PRESENCE_COLUMNS})
    )

    def _belong(self, table: str, periode: str) -> tuple[pd.Series, pd.Series]:
        """Rows of :attr:`rejected_presence` of ``table`` that belong to ``periode``
        (the same period, or a shorter one within it: a month of the quarter) and those
        that *may* belong to it but need not (a period that could not be read, or a
        longer period of another frequency that overlaps it: the year of the quarter)."""
        rp = self.rejected_presence
        own = rp["periode"]
        table_rows = rp["tabel"] == table
        within = (own == periode).to_numpy(copy=True)
        maybe = own.isna().to_numpy(copy=True)
        lo, hi = period_bounds(periode)
        for i in np.flatnonzero(~within & ~maybe):
            v = str(own.iloc[i])
            if not is_period(v):
                maybe[i] = True
                continue
            a, b = period_bounds(v)
            if lo <= a and b <= hi:
                within[i] = True
            elif a <= hi and lo <= b:
                maybe[i] = True
        return table_rows & within, table_rows & maybe

    def absence_assessable(self, table: str, periode: str) -> bool:
        """Whether "employees without a ``table`` row in ``periode``" can be counted:
        ``False`` when rows of that table that belong or may belong to that period (the
        period itself, a period that could not be read, an overlapping period of another
        frequency) were rejected without a NIP of an accepted employee, as any employee
        could be behind them."""
        rp = self.rejected_presence
        if rp is None or rp.empty:
            return True
        within, maybe = self._belong(table, periode)
        return not bool(((within | maybe) & rp["nip"].isna()).any())

    def present_despite_rejection(self, table: str, periode: str) -> list[str]:
        """NIPs of accepted employees whose ``table`` rows in ``periode`` (or in a
        shorter period within it) were all or partly rejected: they *have* rows, though
        not usable ones."""
        rp = self.rejected_presence
        if rp is None or rp.empty:
            return []
        m = self._belong(table, periode)[0] & rp["nip"].notna()
        return sorted(set(rp.loc[m, "nip"].astype(TEXT_DTYPE)))

    def presence_unknown(self, table: str, periode: str) -> list[str]:
        """NIPs of accepted employees with rejected ``table`` rows that *may* belong to
        ``periode`` but need not (their period could not be read, or is a longer period
        of another frequency overlapping it): whether such an employee has a row in
        ``periode`` cannot be told, unless an accepted row or
        :meth:`present_despite_rejection` says so. An indicator of absence counts them
        neither absent nor present (``reporting.facts``: their OPD's share is not
        assessable)."""
        rp = self.rejected_presence
        if rp is None or rp.empty:
            return []
        m = self._belong(table, periode)[1] & rp["nip"].notna()
        return sorted(set(rp.loc[m, "nip"].astype(TEXT_DTYPE)))

    def heavy_losses(self) -> list[str]:
        """The warnings about tables the reports rest on that lost at least half their
        rows in validation, with their main causes (also in :attr:`structure`), for a
        console that shows no other structural problem (``kinerja batch``)."""
        return [text for _, _, text in _heavy_losses(self.summary, self.issues, self.bahasa)]

    def structural_warnings(self) -> list[str]:
        """Every structural warning of the data as one line each, ``file: message``:
        tables that lost most of their rows first, then what was not read as given
        (a sheet that is a copy or hidden, a data file no table reads, an unused header
        that looks like a missing column …), for a console that shows no other
        structural problem (``kinerja batch``)."""
        w = self.structure[self.structure["tingkat"] == "peringatan"]
        out = []
        for r in w.itertuples(index=False):
            where, text = str(r.file or r.tabel), str(r.pesan)
            out.append(text if not where or text.startswith(f"{where}:") else f"{where}: {text}")
        return out

    @property
    def n_rejected(self) -> int:
        return int(self.summary["rows_rejected"].sum()) if len(self.summary) else 0

    @property
    def n_warnings(self) -> int:
        return int((self.issues["tingkat"] == "peringatan").sum())

    @property
    def exit_code(self) -> int:
        """0 = clean, 1 = rows rejected or warnings, 2 = unusable (``kinerja validate``)."""
        if not self.usable:
            return 2
        structural = self.structure["tingkat"].isin(["fatal", "peringatan"]).any()
        if self.n_rejected or self.n_warnings or structural:
            return 1
        return 0

    def messages(self, limit: int | None = None) -> list[str]:
        """Human-readable lines: ``[tingkat] file baris N, kolom C, nilai 'V': pesan``."""
        rows = self.issues if limit is None else self.issues.head(limit)
        return [_format_issue(r, self.bahasa) for r in rows.itertuples(index=False)]

    def causes(self) -> pd.DataFrame:
        """Dependent problems grouped by root cause.

        Returns
        -------
        DataFrame
            ``sebab, n_baris`` (dependent rows set aside), ``n_peringatan`` (dependent
            warnings), ``rincian`` (rows per table, e.g. ``skp: 24, perilaku: 280``) and
            ``pesan`` (the cause and its consequence in words), largest first.
        """
        dep = self.issues[self.issues["sebab"].astype(TEXT_DTYPE) != ""]
        if dep.empty:
            return pd.DataFrame(
                {"sebab": [], "n_baris": [], "n_peringatan": [], "rincian": [], "pesan": []}
            )
        rows = []
        b = self.bahasa
        for sebab, grp in dep.groupby("sebab", sort=False, observed=True):
            parts, rincian, counts_all = _consequences(grp, b)
            rows.append(
                {
                    "sebab": sebab,
                    "n_baris": counts_all["tolak"],
                    "n_peringatan": counts_all["peringatan"],
                    "rincian": "; ".join(rincian),
                    "pesan": self._cause_text(str(sebab), grp, "; ".join(parts)),
                }
            )
        out = pd.DataFrame(rows)
        return out.sort_values(
            ["n_baris", "n_peringatan", "sebab"], ascending=[False, False, True], ignore_index=True
        )

    def cause_groups(self, examples: int = 3) -> pd.DataFrame:
        """Root causes of one kind as one line, for the console: the causes of
        :meth:`causes` whose own rows are in the same file and column and were rejected
        for the same reason (:func:`_message_shape`: four register rows of people who
        are no ASN, sixty rows emptied by a merged cell) are one group, naming their
        rows, a few of their values and the dependent rows of them all; a cause alone
        keeps its own line. ``sebab_utama.csv`` keeps one line per cause.

        Returns
        -------
        DataFrame
            ``pesan, n_sebab, n_baris, n_peringatan``, largest first.
        """
        causes = self.causes()
        if causes.empty:
            return pd.DataFrame({"pesan": [], "n_sebab": [], "n_baris": [], "n_peringatan": []})
        iss = self.issues
        own = iss[(iss["tingkat"] == "tolak") & (iss["sebab"].astype(TEXT_DTYPE) == "")]
        own = own.assign(_b=own["baris"].astype("Int64")).drop_duplicates(["file", "_b"])
        own = own.set_index(["file", "_b"])
        dep = iss[iss["sebab"].astype(TEXT_DTYPE) != ""]
        keys: list[tuple] = []
        for sebab in causes["sebab"].astype(TEXT_DTYPE).tolist():
            file, sep, baris = sebab.rpartition(" baris ")
            at = (file, _int_or_na(baris))
            if sep and at in own.index:
                r = own.loc[at]
                keys.append(
                    ("sel", file, str(r["kolom"]), _message_shape(pd.Series([r["pesan"]]))[0])
                )
            else:
                keys.append(("satu", sebab))
        causes = causes.assign(_k=keys)
        rows = []
        b = self.bahasa
        for _, grp in causes.groupby("_k", sort=False, observed=True):
            if len(grp) == 1 or grp["_k"].iloc[0][0] == "satu":
                for r in grp.itertuples(index=False):
                    rows.append((r.pesan, 1, r.n_baris, r.n_peringatan))
                continue
            _, file, kolom, _ = grp["_k"].iloc[0]
            order = [str(x).rpartition(" baris ")[2] for x in grp["sebab"]]
            grp = grp.iloc[sorted(range(len(grp)), key=lambda i: _row_order(order[i]))]
            firsts = [
                own.loc[(file, _int_or_na(str(x).rpartition(" baris ")[2]))] for x in grp["sebab"]
            ]
            lines = [str(x).rpartition(" baris ")[2] for x in grp["sebab"]]
            values = list(dict.fromkeys(str(f["nilai"]) for f in firsts))
            where = message("kelompok_baris", b, n=len(lines), baris=", ".join(lines[:8]))
            where += ", …" if len(lines) > 8 else ""
            if len(values) > 1:
                shown = ", ".join(repr(v) for v in values[:examples])
                shown += ", …" if len(values) > examples else ""
                nilai = message("kelompok_nilai", b, n=len(values), contoh=shown)
            else:
                nilai = message("nilai_satu", b, nilai=repr(values[0]))
            mine = dep[dep["sebab"].isin(grp["sebab"].tolist())]
            parts, _, totals = _consequences(mine, b)
            text = message(
                "sebab_ditolak_kelompok", b, file=file, baris=where,
                kolom=kolom or "-", nilai=nilai, alasan=str(firsts[0]["pesan"]),
                akibat="; ".join(parts),
            )  # fmt: skip
            rows.append((text, len(grp), totals["tolak"], totals["peringatan"]))
        out = pd.DataFrame(rows, columns=["pesan", "n_sebab", "n_baris", "n_peringatan"])
        return out.sort_values(
            ["n_baris", "n_peringatan"], ascending=[False, False], kind="stable", ignore_index=True
        )

    def _cause_text(self, sebab: str, grp: pd.DataFrame, akibat: str) -> str:
        b = self.bahasa
        if sebab.startswith("periode "):
            periode = sebab.split(" ", 1)[1]
            alasan = str(grp["pesan"].iloc[0]).split(": ", 1)[-1]
            return message("sebab_periode", b, periode=periode, alasan=alasan, akibat=akibat)
        if sebab.startswith(rules.COPY_CAUSE):
            sheet = sebab.removeprefix(rules.COPY_CAUSE)
            return message("sebab_salinan", b, sheet=sheet, akibat=akibat)
        file, _, baris = sebab.rpartition(" baris ")
        own = self.issues[
            (self.issues["file"] == file)
            & (self.issues["baris"].astype("Int64") == _int_or_na(baris))
            & (self.issues["tingkat"] == "tolak")
            & (self.issues["sebab"].astype(TEXT_DTYPE) == "")
        ]
        if not len(own):
            return message("sebab_ditolak", b, file=file, baris=baris, alasan="", akibat=akibat)
        first = own.iloc[0]
        kolom = str(first["kolom"]) if isinstance(first["kolom"], str) and first["kolom"] else "-"
        nilai = first["nilai"] if isinstance(first["nilai"], str) else ""
        return message(
            "sebab_ditolak_sel",
            b,
            file=file,
            baris=baris,
            kolom=kolom,
            nilai=repr(nilai),
            alasan=str(first["pesan"]),
            akibat=akibat,
        )

    def grouped(self, examples: int = 3) -> pd.DataFrame:
        """Problems of one cause as one group: the same table, file, column, rule,
        message, level and root cause, whatever the values.

        A rule's message carries the cause and the fix (a date format's hint is the
        same for every failing date of the column), so one date format written
        ``dd/mm/yyyy`` in 80 rows is one group with a few of its values, not 80 groups;
        a rater unknown in 300 rows is one line, not 300. Messages are compared by their
        shape (:func:`_message_shape`: quoted values, cell addresses, dates and numbers
        set aside), so a message that carries a row's own detail — the cell of a
        formula without a stored value, the date an Excel serial was read as, the row
        of the rejected employee a dependent row points to — does not make a group per
        row; the group shows its first message. Every row stays in :attr:`issues`
        (``masalah.csv``) with its own message.

        Returns
        -------
        DataFrame
            ``tabel, file, kolom, nilai, aturan, pesan, tingkat, sebab, n_baris, baris,
            n_nilai, contoh``: ``nilai`` the group's first value, ``baris`` its first
            row numbers (comma-separated), ``n_nilai`` the number of distinct values
            and ``contoh`` the first ``examples`` of them (a tuple), largest groups first.
        """
        iss = self.issues
        if iss.empty:
            return iss.assign(
                n_baris=pd.Series(dtype="int64"),
                baris=pd.Series(dtype="object"),
                n_nilai=pd.Series(dtype="int64"),
                contoh=pd.Series(dtype="object"),
            )
        keys = ["tabel", "file", "kolom", "aturan", "_pesan", "tingkat", "_sebab"]
        frame = iss.assign(
            _b=iss["baris"].astype("Int64"),
            _v=iss["nilai"].where(iss["nilai"].notna(), "").astype(TEXT_DTYPE),
            _pesan=_message_shape(iss["pesan"]),
            _sebab=_message_shape(iss["sebab"]),
        )
        g = frame.groupby(keys, sort=False, dropna=False, observed=True)
        out = g.agg(
            pesan=("pesan", "first"),
            sebab=("sebab", "first"),
            nilai=("_v", "first"),
            n_baris=("_b", "size"),
            baris=("_b", lambda s: ", ".join(str(int(x)) for x in s.dropna().head(8))),
            n_nilai=("_v", "nunique"),
            contoh=("_v", lambda s: tuple(pd.unique(s)[:examples])),
        ).reset_index()
        # ``baris`` once: the group's first row numbers (ISSUE_COLUMNS names it too)
        first = [c for c in ISSUE_COLUMNS if c != "baris"]
        out = out[[*first, "n_baris", "baris", "n_nilai", "contoh"]]
        level = out["tingkat"].map({"tolak": 0, "peringatan": 1}).fillna(2)
        # a row's own problems (root causes; rejections, then warnings) before problems
        # that follow from another table's rows (a reference to a rejected or unknown
        # employee, which the root causes list already): the causes must be visible
        # within the first groups shown, not after hundreds of their consequences
        dependent = (out["sebab"].fillna("").astype(TEXT_DTYPE) != "") | out["aturan"].astype(
            TEXT_DTYPE
        ).str.startswith("referensi")
        return (
            out.assign(_lvl=level, _dep=dependent.astype(int))
            .sort_values(["_dep", "_lvl", "n_baris"], ascending=[True, True, False], kind="stable")
            .drop(columns=["_lvl", "_dep"])
            .reset_index(drop=True)
        )

    def write(self, out_dir: str | Path, data_dir: str | Path | None = None) -> list[Path]:
        """Write ``ringkasan_validasi.csv``, ``masalah.csv``, ``masalah_struktur.csv``,
        ``sebab_utama.csv`` and ``penolakan/<tabel>.csv``.

        Refuses to write inside the raw data folder.
        """
        out = Path(out_dir).resolve()
        if data_dir is not None and within(out, data_dir):
            raw = Path(data_dir).resolve()
            raise DatasetError(message("keluaran_di_data", self.bahasa, folder=raw.name))
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, df in self.files().items():
            path = out / f"{name}.csv"
            if name.startswith("penolakan/"):
                path.parent.mkdir(exist_ok=True)
            written.append(_atomic_csv(df, path))
        return written

    def files(self) -> dict[str, pd.DataFrame]:
        """The tables of the report's files: ``{name: DataFrame}`` with names
        ``ringkasan_validasi``, ``masalah``, ``masalah_struktur``, ``sebab_utama`` and
        ``penolakan/<tabel>`` (rejected rows as read, only tables that have some)."""
        out = {
            "ringkasan_validasi": self.summary,
            "masalah": self.issues,
            "masalah_struktur": self.structure,
            "sebab_utama": self.causes(),
        }
        for name, rows in self.rejected_rows.items():
            if len(rows):
                out[f"penolakan/{name}"] = rows
        return out


def cause_text(cause: object, bahasa: Bahasa = "id") -> str:
    """A root-cause key of :attr:`ValidationReport.issues` (``sebab``) in words.

    The key stays the same in both languages (``masalah.csv`` is read by scripts); a
    person reads it in ``bahasa``. Anything else is returned as it is.

    >>> cause_text("pegawai.csv baris 7", "en"), cause_text("periode 2030Q1", "en")
    ('pegawai.csv row 7', 'period 2030Q1')
    """
    text = "" if cause is None or cause is pd.NA or cause != cause else str(cause)
    if text.startswith("periode "):
        return message("sebab_periode_kode", bahasa, periode=text.split(" ", 1)[1])
    file, sep, baris = text.rpartition(" baris ")
    if sep and file and baris.isdigit():
        return message("sebab_baris", bahasa, file=file, baris=baris)
    return text


def _row_order(text: str) -> tuple[int, str]:
    """A row reference (``"12"``, ``"20 (sheet 'Aktif')"``) in spreadsheet order."""
    head = text.split(" ", 1)[0]
    return (int(head) if head.isdigit() else 0, text)


def _int_or_na(text: str) -> Any:
    try:
        return int(text)
    except ValueError:
        return pd.NA


_LEVELS = ("tolak", "peringatan", "fatal", "info")


#: Per-row details inside a message: a quoted value, a cell address (``F12``), a date,
#: a number (row numbers, serials, counts).
_DETAIL = re.compile(
    r"'[^']*'|\"[^\"]*\"|\b[A-Z]{1,3}\d+\b|\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?"
    r"|\d+(?:[.,]\d+)*"
)


def _message_shape(messages: pd.Series) -> pd.Series:
    """Each message with its per-row details replaced by ``…`` (:data:`_DETAIL`), the
    key :meth:`ValidationReport.grouped` groups on; one regular expression pass per
    distinct message.

    >>> _message_shape(pd.Series(["sel F2 berisi rumus", "sel F3 berisi rumus",
    ...                           "dibaca sebagai 2021-03-01 (serial 44256)"])).tolist()
    ['sel … berisi rumus', 'sel … berisi rumus', 'dibaca sebagai … (serial …)']
    """
    text = messages.where(messages.notna(), "").astype(TEXT_DTYPE)
    codes, uniques = pd.factorize(text)
    shapes = np.array([_DETAIL.sub("…", u) for u in uniques], dtype=object)
    return pd.Series(shapes[codes] if len(uniques) else [], index=messages.index, dtype=object)


def _format_issue(r: Any, bahasa: str = "id") -> str:
    """``[tingkat] file baris N, kolom C, nilai 'V': pesan``; a group (from
    :meth:`ValidationReport.grouped`) shows its row count and first rows instead of N,
    and a few of its values when it holds several."""
    where = str(r.file)
    word = "baris" if bahasa == "id" else "row"
    kol = "kolom" if bahasa == "id" else "column"
    val = "nilai" if bahasa == "id" else "value"
    n = getattr(r, "n_baris", 1)
    if n > 1:
        more = ", …" if n > 8 else ""
        where += f" ({message('kelompok_baris', bahasa, n=n, baris=r.baris)}{more})"
    elif isinstance(r.baris, str):
        where += f" {word} {r.baris}" if r.baris else ""
    elif pd.notna(r.baris):
        where += f" {word} {int(r.baris)}"
    if isinstance(r.kolom, str) and r.kolom:
        where += f", {kol} {r.kolom}"
    k = getattr(r, "n_nilai", 1)
    if k > 1:  # a group of several values: a few of them
        contoh = ", ".join(repr(v) for v in r.contoh) + (", …" if k > len(r.contoh) else "")
        where += ", " + message("kelompok_nilai", bahasa, n=k, contoh=contoh)
    elif isinstance(r.nilai, str) and r.nilai != "":
        where += f", {val} {r.nilai!r}"
    level = message(f"tingkat_{r.tingkat}", bahasa) if r.tingkat in _LEVELS else r.tingkat
    return f"[{level}] {where}: {r.pesan}"


def _atomic_csv(df: pd.DataFrame, path: Path) -> Path:
    """Write ``df`` as CSV (atomic); text a spreadsheet would read as a formula is
    written inert (:func:`kinerja_analysis.core.cells.inert_frame`): these files hold
    values as typed in the raw data and are opened in Excel."""
    safe = inert_frame(df)
    # private: the rows are raw values as typed (NIPs, names)
    return atomic_write(path, lambda tmp: safe.to_csv(tmp, index=False), private=True)


# --------------------------------------------------------------------------- dataset


@dataclass(frozen=True)
class Dataset:
    """A validated dataset: one DataFrame per canonical table (accepted rows only).

    Tables are reached as ``ds.tables["pegawai"]`` or ``ds.pegawai``; absent optional
    tables are missing from ``tables`` (check with :meth:`has`). Text columns are
    ``string``, numbers ``float64``/``Int64`` (``perilaku.skor`` ``int64``), dates
    ``datetime64``, yes/no ``boolean``.
    """

    tables: Mapping[str, pd.DataFrame]
    validation: ValidationReport
    periods: tuple[str, ...]
    checksum: str
    pseudonim: bool = False
    survey_items: tuple[str, ...] = ()

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name.startswith("_") or name not in TABLES:
            raise AttributeError(name)
        try:
            return self.tables[name]
        except KeyError:
            raise AttributeError(
                f"table {name!r} is not in this dataset (an optional table)"
            ) from None

    def has(self, name: str) -> bool:
        return name in self.tables

    def aggregate(
        self,
        table: str,
        by: list[str],
        metrics: Mapping[str, tuple[str, str]],
        engine: Any = None,
    ) -> pd.DataFrame:
        """Per-group aggregates of one table through an engine (the seam a distributed
        engine implements; :class:`~kinerja_analysis.data.engine.LocalEngine` by default).

        >>> # ds.aggregate("perilaku", ["nip", "periode"], {"skor": ("skor", "mean")})
        """
        from kinerja_analysis.data.engine import LocalEngine  # lazy: pyarrow.dataset

        return (engine or LocalEngine()).aggregate(self.tables[table], by, metrics)

    # -- cache: the batch validates once and the notebooks reload the result quickly
    def save_cache(self, cache_dir: str | Path) -> Path:
        """Write the validated tables (partitioned Parquet) and metadata to ``cache_dir``.

        Layout (:mod:`kinerja_analysis.data.engine`): ``tabel/<table>/periode=<p>/…``
        for tables with a period, ``tabel/<table>/…`` otherwise, ``_validasi/*.parquet``
        for the report and ``meta.json`` (written last: its presence marks a complete
        cache).
        """
        from kinerja_analysis.data.engine import TableStore  # lazy: pyarrow.dataset

        cache = Path(cache_dir)
        cache.mkdir(mode=0o700, parents=True, exist_ok=True)  # owner-only: personal data
        store = TableStore(cache / "tabel")
        for name, df in self.tables.items():
            store.write(name, df)
        v = cache / "_validasi"
        v.mkdir(mode=0o700, exist_ok=True)
        os.chmod(v, 0o700)  # also one made before it was owner-only
        rep = self.validation
        for name, df in (
            ("summary", rep.summary),
            ("issues", rep.issues),
            ("structure", rep.structure),
            ("rejected_presence", rep.rejected_presence),
        ):
            df = df.copy()
            for c in df.columns:
                if df[c].dtype == object:
                    df[c] = df[c].astype("string[pyarrow]")
            atomic_write(
                v / f"{name}.parquet",
                lambda tmp, df=df: df.to_parquet(tmp, index=False),
                private=True,
            )
        meta = {
            "version": CACHE_VERSION,
            "tables": sorted(self.tables),
            "periods": list(self.periods),
            "checksum": self.checksum,
            "pseudonim": self.pseudonim,
            "survey_items": list(self.survey_items),
            "notes": list(rep.notes),
            "absent": list(rep.absent),
            "usable": rep.usable,
            "bahasa": rep.bahasa,
        }
        atomic_write(
            cache / "meta.json", json.dumps(meta, indent=2, ensure_ascii=False), private=True
        )
        return cache

    @classmethod
    def load_cache(cls, cache_dir: str | Path, engine: Any = None, keys: Keys = "text") -> Dataset:
        """Read a dataset written by :meth:`save_cache` through ``engine`` (an
        :class:`~kinerja_analysis.data.engine.Engine`; default the single-machine one);
        ``keys="categorical"``: the identifier columns of the row-level tables
        dictionary-encoded (:func:`load_dataset`)."""
        from kinerja_analysis.data.engine import LocalEngine, TableStore  # lazy: pyarrow.dataset

        _check_keys(keys)
        engine = engine or LocalEngine()
        cache = Path(cache_dir)
        meta_path = cache / "meta.json"
        if not meta_path.is_file():
            raise DatasetError(f"Cache dataset tidak ditemukan di {cache.name}")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("version") != CACHE_VERSION:
            raise DatasetError(f"Cache dataset di {cache.name} berasal dari versi lain")
        store = TableStore(cache / "tabel")
        # asked only where there is something to encode: an engine written before the
        # option (read(store, table, columns, periods)) still reads text
        tables = {
            n: engine.read(
                store, n, **({"dictionary": enc} if (enc := _encoded_columns(n, keys)) else {})
            )
            for n in meta["tables"]
        }
        v = cache / "_validasi"
        issues = read_parquet(v / "issues.parquet")
        issues["baris"] = issues["baris"].astype("Int64")
        report = ValidationReport(
            summary=read_parquet(v / "summary.parquet"),
            issues=issues,
            structure=read_parquet(v / "structure.parquet"),
            rejected_presence=_read_presence(v / "rejected_presence.parquet"),
            notes=tuple(meta.get("notes", ())),
            absent=tuple(meta.get("absent", ())),
            usable=bool(meta.get("usable", True)),
            periods=tuple(meta["periods"]),
            bahasa=meta.get("bahasa", "id"),
        )
        return cls(
            tables=tables,
            validation=report,
            periods=tuple(meta["periods"]),
            checksum=meta["checksum"],
            pseudonim=bool(meta["pseudonim"]),
            survey_items=tuple(meta.get("survey_items", ())),
        )


# --------------------------------------------------------------------------- files


@dataclass
class _Run:
    """Everything one validation run collects."""

    data_dir: Path
    cmap: ColumnMapping
    pseudonim: bool
    bahasa: Bahasa
    today: date
    files: dict[str, Path] = field(default_factory=dict)
    raws: dict[str, RawTable] = field(default_factory=dict)
    states: dict[str, TableState] = field(default_factory=dict)
    structure: list[dict[str, Any]] = field(default_factory=list)
    status: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    fatal: bool = False
    pending_periods: tuple[str, ...] = ()

    def msg(self, key: str, **fields: Any) -> str:
        return message(key, self.bahasa, **fields)

    def problem(self, table: str, file: str, column: str, message: str, level: str) -> None:
        self.structure.append(
            {"tabel": table, "file": file, "kolom": column, "pesan": message, "tingkat": level}
        )

    def unusable(self, tabel: str, file: str = "") -> None:
        """Mark a table as not usable (fatal for the dataset if the table is required)."""
        if TABLES[tabel].required:
            self.status[tabel] = "tidak_dapat_dipakai"
            self.fatal = True
            self.problem(tabel, file, "", self.msg("tabel_wajib_rusak"), "fatal")
        elif tabel in PERIOD_TABLES:  # one of skp / penilaian_resmi is required
            self.status[tabel] = "dilewati"
            self.problem(tabel, file, "", self.msg("tabel_periode_dilewati", tabel=tabel,
                         tabel_lain=", ".join(PERIOD_TABLES)), "peringatan")  # fmt: skip
        else:
            self.status[tabel] = "dilewati"
            self.problem(tabel, file, "", self.msg("tabel_opsional_dilewati"), "peringatan")


def _find_files(run: _Run) -> None:
    present = sorted(p.name for p in run.data_dir.iterdir() if p.is_file())
    for name in TABLE_ORDER:
        tm = run.cmap.for_table(name)
        if tm.file:
            path = run.data_dir / tm.file
            root = run.data_dir.resolve()
            if root not in path.resolve().parents:  # a symlink or '..' leading out
                run.problem(name, tm.file, "",
                            run.msg("file_di_luar_folder", tabel=name, file=tm.file), "fatal")  # fmt: skip
                run.unusable(name, tm.file)
                continue
            if not path.is_file():
                run.problem(
                    name,
                    tm.file,
                    "",
                    run.msg(
                        "file_pemetaan_tidak_ada",
                        tabel=name,
                        file=tm.file,
                        ada=_listed(run, present),
                    )
                    + _fitting_note(run, name, present),
                    "fatal",
                )
                run.unusable(name, tm.file)
                continue
            run.files[name] = path
            continue
        found = [
            run.data_dir / f"{name}{ext}"
            for ext in _EXTENSIONS
            if (run.data_dir / f"{name}{ext}").is_file()
        ]
        if len(found) > 1:
            files = [p.name for p in found]
            run.problem(name, "", "", run.msg("tabel_ganda", tabel=name, files=files), "fatal")
            run.unusable(name)
        elif found:
            run.files[name] = found[0]
        elif TABLES[name].required:
            _required_missing(run, name, present)
    _unread_files(run, present)
    _unsupported_table_files(run, present)
    if not any(t in run.files or run.status.get(t) for t in PERIOD_TABLES):
        saran = "".join(
            run.msg("saran_file_header_tabel", tabel=t, files=", ".join(fitting))
            for t in PERIOD_TABLES
            if (fitting := _files_fitting(run, t, present))
        )
        run.problem("", "", "", run.msg("tabel_periode_tidak_ada") + saran, "fatal")
        run.fatal = True


def _unread_files(run: _Run, present: list[str]) -> None:
    """Warn about each data file of the folder (``.csv``, ``.xlsx``, ``.parquet``) that
    no table reads: its name is not a table's and the mapping does not name it (a
    ``umpan_balik 2024.csv``, a ``layanan (1).csv`` a browser saved twice). Left unsaid,
    its rows would be dropped without a word and the documents would call the table
    unavailable. The warning names the tables without a file whose required columns
    its header holds (:func:`_files_fitting`). Excel's lock files (``~$…``) and hidden
    files are not data and are passed over; a table found in two files is said by its
    own rule (``tabel_ganda``)."""
    taken = {p.resolve() for p in run.files.values()}
    doubled = {f"{t}{ext}" for t in TABLE_ORDER for ext in _EXTENSIONS if run.status.get(t)}
    unread = [
        f
        for f in present
        if Path(f).suffix.lower() in _EXTENSIONS
        and not f.startswith(("~$", "."))
        and f not in doubled
        and (run.data_dir / f).resolve() not in taken
    ]
    if not unread:
        return
    fits: dict[str, list[str]] = {}
    for t in TABLE_ORDER:
        if t in run.files or run.status.get(t):
            continue
        for f in _files_fitting(run, t, unread):
            fits.setdefault(f, []).append(t)
    for f in unread:
        tables = fits.get(f, [])
        saran = run.msg("file_cocok_tabel", tabel=", ".join(tables)) if tables else ""
        stem = Path(f).stem
        if stem in run.files:  # a table's name, but the mapping names another file for it
            text = run.msg("file_tidak_dibaca_pemetaan", file=f, tabel=stem,
                           dipakai=run.files[stem].name)  # fmt: skip
            run.problem(stem, f, "", text + saran, "peringatan")
            continue
        run.problem(
            tables[0] if len(tables) == 1 else "",
            f,
            "",
            run.msg("file_tidak_dibaca", file=f) + saran,
            "peringatan",
        )


def _unsupported_table_files(run: _Run, present: list[str]) -> None:
    """Warn about a file named as a table but in a format the loader does not read
    (``umpan_balik.xls``, ``.xlsm``, ``.ods``, ``umpan_balik.csv.gz``): without a word,
    the table would be called unavailable while its file sits in the folder. Only a
    table no other file gives; the message says which formats are read."""
    tables = set(TABLE_ORDER)
    for f in present:
        if f.startswith(("~$", ".")) or Path(f).suffix.lower() in _EXTENSIONS:
            continue
        stem = f.split(".", 1)[0]
        if stem in tables and stem not in run.files and not run.status.get(stem):
            run.problem(
                stem,
                f,
                "",
                run.msg("format_tidak_dibaca", file=f, format=", ".join(_EXTENSIONS))
                + _sentence(file_kind_hint(run.data_dir / f, run.bahasa)),
                "peringatan",
            )


def _required_missing(run: _Run, name: str, present: list[str]) -> None:
    """A required table without a file: fatal, naming the folder's files and those whose
    header would fit (:func:`_files_fitting`)."""
    saran = _fitting_note(run, name, present)
    dasar = run.msg("saran_dasar", preset=run.cmap.dasar) if run.cmap.dasar else ""
    pesan = run.msg("tabel_wajib_tidak_ada", tabel=name, ada=_listed(run, present), dasar=dasar)
    run.problem(name, "", "", f"{pesan}{saran}", "fatal")
    run.status[name] = "tidak_dapat_dipakai"
    run.fatal = True


def _fitting_note(run: _Run, name: str, present: list[str]) -> str:
    """The sentence naming the files whose header fits table ``name``, or ``""``."""
    fitting = _files_fitting(run, name, present)
    return run.msg("saran_file_header", files=_listed(run, fitting, 5)) if fitting else ""


def _listed(run: _Run, names: list[str], most: int = 30) -> str:
    """File names for a message: at most ``most``, then how many more."""
    if not names:
        return "-"
    shown = ", ".join(repr(n) if "," in n else n for n in names[:most])
    rest = len(names) - most
    return shown + (run.msg("dan_lainnya", n=rest) if rest > 0 else "")


#: At most this many of a folder's files are opened to suggest one by its header.
_FIT_SCAN = 100
#: Key columns of the employee tables, which alone say nothing about which table a
#: header is (:func:`_files_fitting`).
_SHARED_KEYS = frozenset({"nip", "periode"})


def _files_fitting(run: _Run, name: str, present: list[str]) -> list[str]:
    """The folder's data files, not taken by another table, whose header holds every
    required column of table ``name`` under the mapping's header names, most columns
    first (:func:`~kinerja_analysis.data.readers.header_names`).

    An export keeps its own file names (``DATA_UTAMA.csv``), which a preset
    (``--mapping siasn``) cannot know. The files are only suggested, never read in the
    table's place: two tables of one export share their key columns (NIP, periode), so a
    header that fits is a hint, not proof. A table whose required columns are only the
    keys every employee table shares (``nip``, ``periode``: ``penilaian_resmi``,
    ``survei``) fits only a header that also holds one of its other columns; a survey's
    item columns are named by its instrument, so ``survei`` is never suggested this way
    (every SKP export would "fit" it).
    """
    t, tm = TABLES[name], run.cmap.for_table(name)
    spec = _header_spec(t, tm)
    need = {c.name for c in t.columns if c.required}
    own = {c.name for c in t.columns} - need if need <= _SHARED_KEYS else set()
    if need <= _SHARED_KEYS and not own:
        return []
    taken = {p.resolve() for p in run.files.values()}
    scored = []
    data_files = [f for f in present if Path(f).suffix.lower() in _EXTENSIONS]
    for f in data_files[:_FIT_SCAN]:
        path = run.data_dir / f
        if path.resolve() in taken:
            continue
        got = header_names(path, spec)
        if own and not own & got:
            continue
        if need <= got:  # most columns first, then the largest file (data, not a header)
            scored.append((-len(got), -path.stat().st_size, f))
    return [f for *_, f in sorted(scored)]


def _other_tables(run: _Run, name: str) -> tuple[tuple[str, dict[str, str]], ...]:
    """The contract's other tables as the reader compares a sheet's header with them
    (:attr:`~kinerja_analysis.data.readers.HeaderSpec.others`): each table's required
    columns that ``name`` does not have, by their canonical names and the headers the
    mapping gives them, compared loosely. A sheet of one workbook holding all of them is
    that table's sheet (the SKP sheet holds ``nip`` and ``periode``, as the official
    ratings' sheet does, and ``indikator``, ``aspek``, ``target``, ``realisasi``), not a
    part of ``name``."""
    own = {c.name for c in TABLES[name].columns}
    out = []
    for other, t in TABLES.items():
        need = set(t.required_columns) - own
        if other == name or not need:
            continue
        cols = {normalise_header(c): c for c in need}
        kolom = run.cmap.for_table(other).kolom
        cols |= {normalise_header(h): c for h, c in kolom.items() if c in need}
        out.append((other, cols))
    return tuple(out)


def _header_spec(t: Table, tm: TableMapping, items: tuple[str, ...] = ()) -> HeaderSpec:
    """What the table's header should hold under the mapping: its columns, the mapping's
    headers and those it ignores, and which columns tolerate two source columns that
    disagree (:class:`~kinerja_analysis.data.readers.HeaderSpec`): an optional or nullable
    column (its conflicting cells are emptied, row by row), and, under one header written
    twice, also a free-text column that no document publishes (the first is read). A key
    column never does."""
    optional = frozenset(
        c.name for c in t.columns if (not c.required or c.nullable) and c.name not in t.key
    )
    text = frozenset(
        c.name for c in t.columns if c.kind == "str" and not c.published and c.name not in t.key
    )
    return HeaderSpec(
        canonical=(*[c.name for c in t.columns], *items),
        columns=dict(tm.kolom),
        ignored=tuple(tm.abaikan),
        optional=optional,
        keep_first=optional | text,
        required=(*t.required_columns, *items),
        key=tuple(t.key),
    )


#: Words of a header that say what kind of value a column holds (a date, a number, a
#: name …) or are filler, not which column it is: never enough to take an unused header
#: for a missing column.
_GENERIC_WORDS = frozenset(
    {
        "data", "kolom", "nomor", "kode", "nama", "tanggal", "tgl", "tmt", "nip", "nilai",
        "jenis", "tahun", "bulan", "kerja", "kinerja", "unit", "pegawai", "asn", "dan",
        "atau", "yang", "per", "dari", "baru", "akhir", "lama", "keterangan", "ket",
        "total", "jumlah",
    }
)  # fmt: skip


def _words(text: str) -> set[str]:
    """The distinct words of a header or column name (letters only, lower case, at least
    three letters, without :data:`_GENERIC_WORDS`)."""
    return {w for w in re.findall(r"[^\W\d_]+", str(text).lower()) if len(w) >= 3} - _GENERIC_WORDS


def _distinctive_words(t: Table, tm: TableMapping) -> dict[str, set[str]]:
    """Per contract column of ``t``, the words that name it and no other column of the
    table: from its name, the mapping's headers for it and every shipped preset's
    (``TMT Pensiun``, ``TMT Berhenti`` → ``pensiun``, ``berhenti`` for ``tmt_keluar``)."""
    synonyms = preset_synonyms(t.name)
    words: dict[str, set[str]] = {}
    for c in t.columns:
        w = _words(c.name.replace("_", " "))
        for header in (*synonyms.get(c.name, ()), *(h for h, d in tm.kolom.items() if d == c.name)):
            w |= _words(header)
        words[c.name] = w
    return {
        name: w - set().union(*(v for k, v in words.items() if k != name))
        for name, w in words.items()
    }


def _unused_columns(
    run: _Run, name: str, path: Path, raw: RawTable, tm: TableMapping, items: tuple[str, ...]
) -> None:
    """Make every column of the file that the table does not read visible.

    - one note (``info``) listing the columns no contract column or mapping header names
      (their contents are not read), with their letters, and one listing those the
      mapping ignores (``abaikan``); a header under ``abaikan`` that is not in the file
      is noted too;
    - a warning for each unused header that shares a distinctive word
      (:func:`_distinctive_words`) with a contract column that has no source column in
      the file (``Tanggal Keluar`` → ``tmt_keluar``, ``Status ASN`` →
      ``status_kepegawaian``), naming the column and the line of the mapping file that
      reads it, or ignores it. Left unsaid, an export's own spelling of the leaving date
      was dropped and every leaver counted as current staff.
    """
    t = TABLES[name]
    contract = {c.name for c in t.columns} | set(items)
    unused = [(c.header, c.position) for c in raw.columns.values() if c.name not in contract] + [
        (h, pos) for h, pos, why in raw.set_aside if why == "ganda"
    ]
    ignored = [(h, pos) for h, pos, why in raw.set_aside if why == "abaikan"]

    def listed(cols: list[tuple[str, int]]) -> str:
        return ", ".join(
            f"{h!r} ({_letter_word(run.bahasa)} {column_letter(pos)})"
            if h
            else f"({_letter_word(run.bahasa)} {column_letter(pos)})"
            for h, pos in sorted(cols, key=lambda x: x[1])
        )

    if unused:
        run.problem(name, path.name, "", run.msg("kolom_tidak_dipakai", n=len(unused), tabel=name,
                    daftar=listed(unused)), "info")  # fmt: skip
    if ignored:
        run.problem(name, path.name, "", run.msg("kolom_diabaikan", daftar=listed(ignored)),
                    "info")  # fmt: skip
    seen = {normalise_header(h) for h, _ in ignored}
    absent = [h for h in tm.abaikan if normalise_header(h) not in seen]
    if absent:
        run.problem(name, path.name, "", run.msg("abaikan_tidak_ada", tabel=name,
                    daftar=", ".join(repr(h) for h in absent)), "info")  # fmt: skip
    if not unused or t.wide_items:
        return
    missing = [c for c in t.columns if c.name not in raw.columns]
    if not missing:
        return
    distinctive = _distinctive_words(t, tm)
    dasar = run.msg("saran_dasar", preset=run.cmap.dasar) if run.cmap.dasar else ""
    for header, pos in sorted(unused, key=lambda x: x[1]):
        if not header:
            continue
        words = _words(header)
        for c in missing:
            shared = sorted(words & distinctive[c.name])
            if not shared:
                continue
            run.problem(
                name,
                path.name,
                c.name,
                run.msg(
                    "kolom_mirip",
                    header=repr(header),
                    huruf=column_letter(pos),
                    jenis=run.msg("jenis_wajib" if c.required else "jenis_opsional"),
                    kolom=c.name,
                    kata=", ".join(shared),
                    tabel=name,
                    header_yaml=json.dumps(header, ensure_ascii=False),
                    dasar=dasar,
                ),
                "peringatan",
            )


def _ignored_required(
    run: _Run, name: str, tm: TableMapping, raw: RawTable, missing: list[str]
) -> str:
    """A required column said missing while the file has it under a header the
    mapping's ``abaikan`` list sets aside (``abaikan: ["NIP"]``): said, with the fix."""
    lookup = {str(k).strip().casefold(): v for k, v in tm.kolom.items()}
    hits = []
    for header, pos, why in raw.set_aside:
        if why != "abaikan" or not header:
            continue
        key = str(header).strip().casefold()
        target = lookup.get(key, key)
        if target in missing:
            hits.append((header, f"{header!r} ({_letter_word(run.bahasa)} {column_letter(pos)})"))
    if not hits:
        return ""
    return " " + run.msg(
        "kolom_wajib_diabaikan",
        daftar=", ".join(h for _, h in hits),
        tabel=name,
        header=", ".join(json.dumps(h, ensure_ascii=False) for h, _ in hits),
    )


def _letter_word(bahasa: str) -> str:
    return "kolom" if bahasa == "id" else "column"


def _named_columns(p: Problem, bahasa: Bahasa) -> Problem:
    """``p`` with the columns it names (``posisi``: ``'Unit Kerja' (kolom E), …``) in
    ``bahasa``'s words."""
    pairs = p.fields.get("kolom_huruf")
    if not pairs:
        return p
    word = _letter_word(bahasa)
    posisi = ", ".join(f"{h!r} ({word} {letter})" for h, letter in pairs)
    return dataclasses.replace(p, fields={**p.fields, "posisi": posisi})


#: First bytes of compressed archives other than ZIP, and the format's name.
_ARCHIVES = (
    (b"\x1f\x8b", "GZIP"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip"),
    (b"Rar!\x1a\x07", "RAR"),
    (b"BZh", "BZIP2"),
    (b"\xfd7zXZ\x00", "XZ"),
)


def _plain_zip(path: Path) -> bool:
    """Whether ``path`` is a ZIP archive that is no Excel workbook (no ``xl/`` part); a
    ZIP that cannot be listed counts as a workbook, as before."""
    try:
        with zipfile.ZipFile(path) as zf:
            return not any(n.startswith("xl/") for n in zf.namelist())
    except (OSError, zipfile.BadZipFile):
        return False


def file_kind_hint(path: Path, bahasa: Bahasa = "id") -> str:
    """What a file that could not be read as its name says really is, and how to save
    it, from its first bytes (``""`` when nothing is recognised): an HTML table with an
    Excel name (what many "Export Excel" buttons of web applications write), an Excel
    97-2003 workbook (``.xls``), a workbook (``.xlsx``) under another name, the
    UTF-16 tab-separated text of Excel's "Unicode Text" (``.txt``), a ZIP or other
    compressed archive, a PDF document, or a Parquet file under another name.

    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "pegawai.xls"
    >>> _ = f.write_bytes(b"<html><body><table><tr><td>NIP</td></tr></table>")
    >>> file_kind_hint(f, "en").split(":")[0]
    '; the file is really an HTML table (a web page) with an Excel name, not an Excel workbook'
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return ""
    suffix = path.suffix.lower()
    low = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if low.startswith(b"<") and any(t in low for t in (b"<table", b"<html", b"<!doctype html")):
        return message("file_sebenarnya_html", bahasa)
    if head.startswith(b"\xd0\xcf\x11\xe0") and suffix != ".xls":
        return message("file_sebenarnya_xls", bahasa)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return message("file_xls_lama", bahasa)
    if head.startswith(b"PK\x03\x04") and suffix not in (".xlsx", ".xlsm"):
        return message(
            "file_sebenarnya_zip" if _plain_zip(path) else "file_sebenarnya_xlsx", bahasa
        )
    if head.startswith(b"%PDF-"):
        return message("file_sebenarnya_pdf", bahasa)
    if head.startswith(b"PAR1") and suffix != ".parquet":
        return message("file_sebenarnya_parquet", bahasa)
    for magic, jenis in _ARCHIVES:
        if head.startswith(magic):
            return message("file_sebenarnya_arsip", bahasa, jenis=jenis)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) and suffix != ".csv":
        return message("file_teks_unicode", bahasa)
    return ""


def _sentence(hint: str) -> str:
    """A hint of :func:`file_kind_hint` (``"; the file is …"``) as a sentence of its own.

    >>> _sentence("; the file is X: do Y"), _sentence("")
    (' The file is X: do Y.', '')
    """
    text = hint.removeprefix("; ")
    return f" {text[:1].upper()}{text[1:]}." if text else ""


def _unreadable(run: _Run, name: str, path: Path, text: str) -> None:
    """A table's file that cannot be read at all (a truncated workbook, an HTML page saved
    as ``.xlsx``): the data cannot be used, whichever table it is. The agency gave the
    file; read as "table not available", every report would silently leave its contents
    out (a period report without SKP). What the file really is, when its first bytes say
    (:func:`file_kind_hint`), replaces the general advice to save it again."""
    hint = file_kind_hint(path, run.bahasa)
    if hint and TABLES[name].required:
        saran = hint
    else:
        saran = hint + run.msg(
            "file_rusak_saran" if TABLES[name].required else "file_rusak_opsional", tabel=name
        )
    run.problem(name, path.name, "", text + saran, "fatal")
    run.status[name] = "tidak_dapat_dipakai"
    run.fatal = True


def _read_table(run: _Run, name: str, items: tuple[str, ...] = ()) -> RawTable | None:
    """Read one table's file; structural problems are recorded, never raised."""
    path = run.files[name]
    t, tm = TABLES[name], run.cmap.for_table(name)
    fmt = tm.format
    try:
        raw = read_source(
            path,
            dataclasses.replace(_header_spec(t, tm, items), others=_other_tables(run, name)),
            sheet=tm.sheet,
            delimiter=fmt.pemisah,
            header_row=fmt.baris_header,
            encoding=fmt.encoding,
        )
    except SourceError as exc:
        fields = dict(exc.fields)
        if "sheets" in fields:
            fields["sheets"] = ", ".join(repr(s) for s in fields["sheets"])
        if exc.key == "file_kosong" and not t.required:
            run.problem(name, path.name, "", run.msg("file_kosong"), "peringatan")
            run.unusable(name, path.name)
            return None
        if exc.key in ("file_rusak", "file_biner_tanda", "file_biner_kendali"):
            # damaged or binary content (random bytes, a workbook or PDF named .csv): the
            # file the agency gave cannot be used, whichever table it is
            _unreadable(run, name, path, run.msg(exc.key, **fields))
            return None
        fields.setdefault("tabel", name)
        if exc.key in ("sheet_tidak_ada", "sheet_salinan_ragu"):  # the mapping names a
            # sheet the file lacks, or two copies of the table cannot be told apart: as
            # for a file that cannot be read, the table the agency gave is not silently
            # left out of every report
            run.problem(name, path.name, "", run.msg(exc.key, **fields), "fatal")
            run.status[name] = "tidak_dapat_dipakai"
            run.fatal = True
            return None
        hint = file_kind_hint(path, run.bahasa) if exc.key == "jenis_file" else ""
        run.problem(name, path.name, "", run.msg(exc.key, **fields) + hint, "fatal")
        run.unusable(name, path.name)
        return None
    except Exception as exc:  # noqa: BLE001 - any reader failure becomes a user message
        error = f"{type(exc).__name__}: {exc}"
        _unreadable(run, name, path, run.msg("file_rusak", error=error))
        return None
    if not t.required and len(raw.rows) == 0 and not raw.broken:
        # a header and no data rows: said like a 0-byte file. An event table (trainings,
        # feedback, …) with its header is a record of no events and stays a table of
        # zero rows — the same table a larger export cut at an earlier period has — while
        # a period table without rows cannot give a period and is left out
        run.problem(name, path.name, "", run.msg("tabel_kosong_header"), "peringatan")
        if name in PERIOD_TABLES:
            run.unusable(name, path.name)
            return None
    raw.problems[:] = [_named_columns(p, run.bahasa) for p in raw.problems]
    fatal_cols = set()
    for p in raw.problems:
        if p.row is not None:
            continue  # row-level: reported with the table's rows
        fields = dict(p.fields)
        if "sheets" in fields:
            fields["sheets"] = ", ".join(repr(s) for s in fields["sheets"])
        if "i" in fields:
            fields["baris"] = raw.row_ref(fields.pop("i")) if raw.n_rows else "-"
        if isinstance(fields.get("beda"), list):  # the columns each stacked sheet lacks
            word = "baris" if run.bahasa == "id" else "rows"
            fields["beda"] = "; ".join(
                f"'{nm}' ({format_count(n, run.bahasa)} {word}): {', '.join(cols)}"
                for nm, n, cols in fields["beda"]
            )
        fields.setdefault("kolom", p.column)
        fields.setdefault("tabel", name)
        run.problem(name, path.name, p.column, run.msg(p.key, **fields), p.level)
        if p.level == "fatal":
            fatal_cols.add(p.column)
    if raw.info.n_empty_rows:
        run.problem(name, path.name, "", run.msg("baris_kosong", n=raw.info.n_empty_rows), "info")
    _unused_columns(run, name, path, raw, tm, items)
    missing = [c for c in missing_required(t, raw, items) if c not in fatal_cols]
    if missing or fatal_cols:
        if missing:
            present = [c.header or c.name for c in raw.columns.values()]
            run.problem(
                name,
                path.name,
                ", ".join(missing),
                f"{path.name}: "
                + run.msg("kolom_wajib", missing=repr(missing), present=repr(present))
                + _ignored_required(run, name, tm, raw, missing),
                "fatal",
            )
        run.unusable(name, path.name)
        return None
    return raw


# --------------------------------------------------------------------------- the run


def _checksum(paths: Iterable[Path], mapping: ColumnMapping, extra: str) -> str:
    h = hashlib.sha256()
    for p in sorted(paths, key=lambda p: p.name):
        h.update(p.name.encode())
        with p.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 22), b""):
                h.update(chunk)
    h.update(mapping.source_text.encode())
    h.update(extra.encode())
    return h.hexdigest()


def _checksum_extra(pseudonim: bool, periods: tuple[str, ...] | None) -> str:
    return ("pseudonim" if pseudonim else "nip") + (
        "" if periods is None else "|" + ",".join(periods)
    )


def check_data_folder(path: str | os.PathLike, bahasa: Bahasa = "id") -> Path:
    """``path`` as a :class:`~pathlib.Path` when it is a folder.

    Raises
    ------
    DatasetError
        No such folder, or ``path`` is a file (a table of the dataset, given for its
        folder): the message, in ``bahasa``, names the path as given and, for a file,
        the folder it lies in.

    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "pegawai.csv"
    >>> _ = f.write_text("nip")
    >>> try:
    ...     check_data_folder(f, "en")
    ... except DatasetError as e:
    ...     print(str(e).replace(str(f.parent), "<folder>"))
    <folder>/pegawai.csv is a file, not a folder: the data folder is expected (the one holding pegawai.csv, skp.csv, …), perhaps <folder>
    """
    data_dir = Path(path)
    if data_dir.is_dir():
        return data_dir
    if data_dir.exists():
        induk = folder_of(data_dir)
        raise DatasetError(message("folder_berupa_file", bahasa, folder=data_dir, induk=induk))
    raise DatasetError(message("folder_tidak_ada", bahasa, folder=str(data_dir)))


def validate_dataset(
    path: str | Path,
    *,
    mapping: str | Path | ColumnMapping | None = None,
    pseudonim: bool = False,
    periods: Iterable[str] | None = None,
    bahasa: Bahasa = "id",
    today: date | None = None,
    keys: Keys = "text",
) -> tuple[ValidationReport, dict[str, pd.DataFrame], tuple[str, ...]]:
    """Validate a dataset folder and report everything in one run (never raises for bad
    data; :func:`load_dataset` is the usual entry point).

    ``keys="categorical"``: the identifier columns of the row-level tables come out
    dictionary-encoded (:func:`load_dataset`), built from the codes validation works on
    without writing every row's text first (at 100,000 ASN the 26.5 M ratings' five
    identifier columns).

    Returns
    -------
    (ValidationReport, tables, survey_items)
        The report (``report.usable`` says whether the data can be used) and the accepted
        rows per table.

    Raises
    ------
    DatasetError
        Only when the folder or the mapping file itself cannot be read.
    """
    check_bahasa(bahasa)
    _check_keys(keys)
    data_dir = check_data_folder(path, bahasa)
    cmap = mapping if isinstance(mapping, ColumnMapping) else read_mapping(mapping, bahasa)
    run = _Run(data_dir, cmap, pseudonim, bahasa, today or date.today())
    _find_files(run)
    for name in TABLE_ORDER:
        if name in run.files and name != "survei":
            raw = _read_table(run, name)
            if raw is not None:
                run.raws[name] = raw
    items: tuple[str, ...] = ()
    if "survei" in run.files:
        if "survei_instrumen" in run.raws:
            inst = _parse(run, "survei_instrumen")
            items = tuple(inst.values["item"][~inst.bad].dropna().astype(str).tolist())
            raw = _read_table(run, "survei", items)
            if raw is not None:
                run.raws["survei"] = raw
        elif "survei_instrumen" not in run.status:
            run.problem("survei", run.files["survei"].name, "",
                        run.msg("survei_berpasangan", ada="survei"), "peringatan")  # fmt: skip
            run.status["survei"] = "dilewati"
    elif "survei_instrumen" in run.raws:
        run.problem("survei_instrumen", run.files["survei_instrumen"].name, "",
                    run.msg("survei_berpasangan", ada="survei_instrumen"), "peringatan")  # fmt: skip
        run.status["survei_instrumen"] = "dilewati"
        del run.raws["survei_instrumen"]
    for name in TABLE_ORDER:
        if name in run.raws and name not in run.states:
            _parse(run, name, items if name == "survei" else ())
    declared = None if periods is None else tuple(str(p) for p in periods)
    ds_periods = rules.check_all(run.states, run, declared, pseudonim=pseudonim)
    if not ds_periods:
        run.fatal = True
    _nothing_accepted(run)
    presence = _rejected_presence(run)
    rejected = _keep_rejected_rows(run)
    tables, summary = _collect(run, keys)
    notes = list(run.notes)
    if pseudonim:
        notes.insert(0, run.msg("pseudonim"))
    missing_opt = [n for n in TABLE_ORDER if n not in run.files and not TABLES[n].required]
    # the tables without problems left out: an empty frame's object columns would decide
    # the dtypes on pandas 3 and not on pandas 2
    found = [f for f in (st.issues.frame() for st in run.states.values()) if len(f)]
    issues = pd.concat(found or [pd.DataFrame(columns=ISSUE_COLUMNS)], ignore_index=True)
    if len(issues):
        issues["baris"] = issues["baris"].astype("Int64")
        # rows of a table read from several sheets: sheet by sheet, in workbook order
        sheet_rank = {
            label: k
            for st in run.states.values()
            if st.raw.stacked
            for k, label in enumerate(st.raw.labels())
        }
        issues = (
            issues.assign(_s=issues["file"].map(sheet_rank).fillna(0) if sheet_rank else 0)
            .sort_values(["tabel", "_s", "baris"], kind="stable", ignore_index=True)
            .drop(columns="_s")
        )
    losses = [
        {"tabel": t, "file": f, "kolom": "", "pesan": text, "tingkat": "peringatan"}
        for t, f, text in _heavy_losses(summary, issues, bahasa)
    ]
    if losses:  # first after what makes the data unusable: the cause before its effects
        at = next((i for i, p in enumerate(run.structure) if p["tingkat"] != "fatal"), None)
        run.structure[len(run.structure) if at is None else at : at] = losses
    structure = pd.DataFrame(run.structure, columns=STRUCTURE_COLUMNS)
    report = ValidationReport(
        summary=summary,
        issues=issues[ISSUE_COLUMNS] if len(issues) else issues,
        rejected_rows=rejected,
        notes=tuple(notes),
        absent=tuple(missing_opt),
        structure=structure,
        usable=not run.fatal,
        periods=ds_periods,
        bahasa=bahasa,
        pending_periods=run.pending_periods,
        rejected_presence=presence,
    )
    return report, tables, items


def _main_reasons(st: TableState, limit: int = 3) -> str:
    """The most frequent first reasons for rejecting ``st``'s rows, in words: column,
    number of rows, an example value and the message (``kolom nip, 400 baris, mis. nilai
    '1.96801E+17': NIP tersimpan sebagai angka …``)."""
    return _main_reasons_of(st.issues.frame(), st.bahasa, limit)


def _main_reasons_of(frame: pd.DataFrame, bahasa: Bahasa, limit: int = 3) -> str:
    """:func:`_main_reasons` of one table's issues (:attr:`ValidationReport.issues`)."""
    rej = frame[frame["tingkat"] == "tolak"]
    # a row is its file (and sheet) and row number: two sheets each have a row 7
    rej = rej.drop_duplicates(["file", "baris"], keep="first")
    if rej.empty:
        return ""
    rej = rej.assign(
        _k=rej["kolom"].fillna("").astype(TEXT_DTYPE), _p=rej["pesan"].astype(TEXT_DTYPE)
    )
    # rows set aside because their employee was rejected are one cause, however many
    # employees: "300 employees rejected in pegawai.csv (e.g. …)", not one line each
    dep = rej["aturan"].astype(TEXT_DTYPE) == "referensi:pegawai_ditolak"
    if dep.any():
        k = int(rej.loc[dep, "sebab"].astype(TEXT_DTYPE).nunique())
        rej.loc[dep, "_p"] = message(
            "sebab_pegawai_ditolak", bahasa, k=k, contoh=rej.loc[dep, "_p"].iloc[0]
        )
    counts = rej.groupby(["_k", "_p"], sort=False, observed=True).agg(
        n=("baris", "size"), nilai=("nilai", "first")
    )
    counts = counts.sort_values("n", ascending=False, kind="stable").head(limit)
    parts = [
        message(
            "sebab_ringkas",
            bahasa,
            kolom=k or "-",
            n=format_count(int(r.n), bahasa),
            nilai=repr(str(r.nilai)),
            pesan=p,
        )
        for (k, p), r in counts.iterrows()
    ]
    if len(parts) == 1:
        return parts[0]
    return "; ".join(f"({i}) {p}" for i, p in enumerate(parts, start=1))


#: A table the reports rest on (``pegawai``, ``skp``, ``penilaian_resmi``) that loses at
#: least this share of its rows in validation is warned about (:func:`_heavy_losses`).
HEAVY_LOSS_SHARE = 0.5


def _consequences(
    dependents: pd.DataFrame, bahasa: Bahasa
) -> tuple[list[str], list[str], dict[str, int]]:
    """What root causes did to other rows: per level (rows set aside, warnings) the
    sentence (``akibat_tolak``, ``akibat_peringatan``), the rows per table (``skp: 24,
    perilaku: 280``) and the count, each row counted once."""
    parts, rincian, totals = [], [], {}
    for level, key in (("tolak", "akibat_tolak"), ("peringatan", "akibat_peringatan")):
        g = dependents[dependents["tingkat"] == level].drop_duplicates(["tabel", "file", "baris"])
        counts = g.groupby("tabel", sort=True, observed=True).size()
        totals[level] = int(counts.sum())
        if len(counts):
            text = ", ".join(f"{t}: {n}" for t, n in counts.items())
            rincian.append(text)
            parts.append(message(key, bahasa, n=totals[level], rincian=text))
    return parts, rincian, totals


def _heavy_losses(
    summary: pd.DataFrame, issues: pd.DataFrame, bahasa: Bahasa
) -> list[tuple[str, str, str]]:
    """``(table, file, warning)`` for each table the reports rest on (``pegawai`` and the
    period tables) that is used but lost at least :data:`HEAVY_LOSS_SHARE` of its rows
    in validation, with its main causes.

    A register whose ``Unit Kerja`` cells are empty on most rows keeps a handful of
    employees; "no row accepted" makes such data unusable, but 6 of 250 would otherwise
    pass with the rejects counted in one line, and a city report "on 6 ASN in 6 OPD" be
    published. Not fatal: the rows left are valid, and the analyst may have meant it
    (an export cut on purpose); said loudly, on the console of ``kinerja validate`` and
    of ``kinerja batch`` (:meth:`ValidationReport.heavy_losses`).
    """
    out = []
    for r in summary.itertuples(index=False):
        if r.tabel not in ("pegawai", *PERIOD_TABLES) or r.status != "ok":
            continue
        n, k = int(r.rows_read), int(r.rows_rejected)
        if n == 0 or k == n or k < HEAVY_LOSS_SHARE * n:
            continue  # nothing accepted is said (and fatal) by _nothing_accepted
        own = issues[issues["tabel"] == r.tabel] if len(issues) else issues
        text = message(
            "tabel_banyak_ditolak",
            bahasa,
            file=r.file,
            k=format_count(k, bahasa),
            n=format_count(n, bahasa),
            m=format_count(n - k, bahasa),
            persen=int(100 * k / n),
            sebab=_main_reasons_of(own, bahasa) if len(own) else "-",
        )
        out.append((str(r.tabel), str(r.file), text))
    return out


def _nothing_accepted(run: _Run) -> None:
    """A table given with rows of which none is accepted is never read as "no rows".

    A dataset with no accepted employee, or a period table (``skp``,
    ``penilaian_resmi``) that has rows but accepts none of them, is unusable: an export
    whose every row fails one rule (a NIP written another way, a date format) says
    nothing about the employees, and read as an empty table it would become "every
    employee without SKP" in the report. The old loader stopped the same way ("semua …
    baris ditolak"). The other period table does not stand in for it: the analyst gave
    this file, and the report would silently change its source. An optional table in
    that state is not used (a warning says why), so that every indicator built on the
    absence of its rows ("tanpa umpan balik") is "not available" rather than 100 %.
    The table and its main reasons go first in the structural problems (the root cause
    before its consequences).
    """
    first: list[dict[str, Any]] = []
    usable = [
        n for n in ("pegawai", *PERIOD_TABLES) if n in run.states and run.status.get(n) is None
    ]
    period_states = [run.states[n] for n in PERIOD_TABLES if n in usable]
    empty = []
    if "pegawai" in usable and not (~run.states["pegawai"].bad).any():
        empty.append(run.states["pegawai"])
    if period_states and not any((~st.bad).any() for st in period_states):
        empty.extend(period_states)
    else:  # one period table given with rows, none accepted
        empty.extend(st for st in period_states if st.n and not (~st.bad).any())
    for name, st in run.states.items():
        if run.fatal or first:
            break  # unusable anyway: no warnings about its consequences
        if name in ("pegawai", *PERIOD_TABLES) or run.status.get(name) is not None:
            continue
        # rows that went with their rejected employee do not count: that employee is out
        # of every table, so no indicator counts them as "absent"
        if st.n and not (~st.bad).any() and (st.bad & ~_with_rejected_employee(st)).any():
            run.status[name] = "dilewati"
            n = st.n + len(st.raw.broken)
            text = run.msg(
                "tabel_opsional_kosong", file=st.file, n=n, tabel=name, sebab=_main_reasons(st)
            )
            run.problem(name, st.file, "", text, "peringatan")
    for st in empty:
        n = st.n + len(st.raw.broken)
        if n == 0:
            text = run.msg("tabel_tanpa_baris", file=st.file, tabel=st.name)
        else:
            text = run.msg("tidak_ada_diterima", file=st.file, n=n, sebab=_main_reasons(st))
        first.append(
            {"tabel": st.name, "file": st.file, "kolom": "", "pesan": text, "tingkat": "fatal"}
        )
    if first:
        run.fatal = True
        run.structure[:0] = first
    pair = ("survei", "survei_instrumen")
    for a, b in (pair, pair[::-1]):
        if run.status.get(a) == "dilewati" and b in run.states and run.status.get(b) is None:
            run.status[b] = "dilewati"
            run.problem(b, run.states[b].file, "", run.msg("survei_berpasangan", ada=b),
                        "peringatan")  # fmt: skip


def _with_rejected_employee(st: TableState) -> np.ndarray:
    """Rows set aside because their employee was rejected (``referensi:pegawai_ditolak``)."""
    dep = np.zeros(st.n, dtype=bool)
    for part in st.issues.parts:
        if part["aturan"] == "referensi:pegawai_ditolak" and part["tingkat"] == "tolak":
            dep[part["_pos"][part["_pos"] >= 0]] = True
    return dep


#: Columns of :attr:`ValidationReport.rejected_presence`.
PRESENCE_COLUMNS = ["tabel", "periode", "nip", "n_baris"]


def _object_text(s: pd.Series) -> pd.Series:
    """Object-dtype text of a working column, ``None`` where empty."""
    return s.astype(object).where(s.notna(), None)


def _rejected_presence(run: _Run) -> pd.DataFrame:
    """Rejected rows of the tables with an employee and a period, by what they can still
    say about "does this employee have a row in this period".

    A row rejected for its own content (a bad value, a NIP written another way, an
    unknown NIP) may be the only row of an employee in that period: an indicator of the
    *absence* of rows ("SKP kosong", "tanpa umpan balik") must not count that employee
    as absent. Where the row's NIP is an accepted employee's, that employee has a row
    (``nip`` set); where it is not (unreadable, unknown), any employee may be hidden
    behind it (``nip`` empty), and the indicator cannot be assessed for that period.
    Rows set aside with their rejected employee (``referensi:pegawai_ditolak``) do not
    count: that employee is out of every table. ``periode`` is empty where the row's
    own period could not be read (it may belong to any period).

    An accepted employee's row whose period cannot be read (or is longer, of another
    frequency) may belong to any (any overlapping) period: for those periods whether the employee
    has a row cannot be told (:meth:`ValidationReport.presence_unknown`).

    Returns ``tabel, periode, nip, n_baris`` (rows per group); no row when nothing was
    rejected that way.
    """
    peg = run.states.get("pegawai")
    if peg is None or run.status.get("pegawai") is not None:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in PRESENCE_COLUMNS})
    known = set(_object_text(peg.values["nip"])[~peg.bad].dropna().tolist())
    frames = []
    for name, st in run.states.items():
        if name == "pegawai" or run.status.get(name) is not None:
            continue
        if "nip" not in st.values or "periode" not in st.values or not st.bad.any():
            continue
        pos = np.flatnonzero(st.bad & ~_with_rejected_employee(st))
        if not len(pos):
            continue
        nip = _object_text(st.values["nip"].iloc[pos]).to_numpy(dtype=object)
        nip = np.array([v if v in known else None for v in nip.tolist()], dtype=object)
        per = _object_text(st.values["periode"].iloc[pos]).to_numpy(dtype=object)
        frames.append(pd.DataFrame({"tabel": name, "periode": per, "nip": nip}))
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in PRESENCE_COLUMNS})
    rows = pd.concat(frames, ignore_index=True)
    out = rows.groupby(["tabel", "periode", "nip"], dropna=False, sort=True, observed=True).size()
    return out.rename("n_baris").reset_index()[PRESENCE_COLUMNS]


def _parse(run: _Run, name: str, items: tuple[str, ...] = ()) -> TableState:
    raw = run.raws[name]
    tm = run.cmap.for_table(name)
    peg = run.states.get("pegawai")
    st = parse_table(
        TABLES[name],
        raw,
        tm.format,
        tm.nilai,
        pseudonim=run.pseudonim,
        bahasa=run.bahasa,
        item_columns=items,
        non_asn_ids=non_asn_keys(peg) if peg is not None else frozenset(),
    )
    if raw.broken:
        st.issues.add_row_numbers(
            [b for b, _, _ in raw.broken],
            "",
            [t if len(t) <= 200 else t[:200] + "…" for _, t, _ in raw.broken],
            "baris_rusak",
            [broken_row_reason(st, k) for _, _, k in raw.broken],
            "tolak",
        )
    run.states[name] = st
    return st


# --------------------------------------------------------------------------- output


def _final_series(s: pd.Series, keep: np.ndarray) -> pd.Series:
    """The accepted rows of a working column in the dataset's dtypes."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        codes = s.cat.codes.to_numpy()[keep]
        return string_series(codes, s.cat.categories.to_numpy(dtype=object))
    out = s.iloc[keep] if not isinstance(keep, slice) else s
    return out.reset_index(drop=True)


def _keep_rejected_rows(run: _Run) -> dict[str, pd.DataFrame]:
    """Every rule has run: keep the rejected rows' text, then let the raw columns go (the
    accepted rows are built from the parsed columns)."""
    rejected: dict[str, pd.DataFrame] = {}
    for name, st in run.states.items():
        if st.bad.any() or st.raw.broken:
            rejected[name] = _rejected_rows(st)
        # new empty arrays, not empty slices: a slice would keep the whole buffer alive
        for rc in st.raw.columns.values():
            rc.codes = np.empty(0, dtype=np.int32)
            rc.num = None if rc.num is None else np.empty(0)
        st.raw.rows = np.empty(0, dtype=np.int64)
        st.issues.rows = st.raw.rows
    release_memory()
    return rejected


def _final_categorical(s: pd.Series, keep: np.ndarray) -> pd.Series:
    """The accepted rows of a working categorical column as :func:`_with_keys` would
    encode their text (:func:`~kinerja_analysis.core.keys.dictionary_categorical`: the
    values present as sorted text categories), from the column's codes: no row's text
    is written out first."""
    codes = s.cat.codes.to_numpy()[keep]
    cats = s.cat.categories.to_numpy(dtype=object)
    present = np.zeros(len(cats) + 1, dtype=bool)
    present[codes] = True  # code -1 (missing) marks the last slot
    used = np.flatnonzero(present[:-1])
    remap = np.full(len(cats) + 1, -1, dtype=np.int32)
    remap[used] = np.arange(len(used), dtype=np.int32)
    idx = remap[codes]
    arr = pa.DictionaryArray.from_arrays(
        pa.array(idx, mask=idx < 0, type=pa.int32()),
        pa.array(cats[used], type=pa.large_string()),
    )
    return pd.Series(dictionary_categorical(arr))


def _collect(run: _Run, keys: Keys = "text") -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    tables: dict[str, pd.DataFrame] = {}
    rows = []
    for name in TABLE_ORDER:
        st = run.states.get(name)
        status = run.status.get(name, "ok" if st is not None else None)
        if st is None:
            if name in run.files or status in {"dilewati", "tidak_dapat_dipakai"}:
                file = run.files[name].name if name in run.files else ""
                rows.append(_summary_row(name, file, 0, 0, 0, 0, status or "dilewati", None, None))
            continue
        keep = _canonical_order(st, np.flatnonzero(~st.bad))
        encoded = _encoded_columns(name, keys)
        cols: dict[str, Any] = {}
        for c in list(st.values):
            v = st.values.pop(c)  # each working column goes as soon as its final is built
            if name == "perilaku" and c == "skor":
                cols[c] = v.to_numpy(dtype=np.int64, na_value=0)[keep]
            elif c in encoded and isinstance(v.dtype, pd.CategoricalDtype):
                cols[c] = _final_categorical(v, keep)
            else:
                cols[c] = _final_series(v, keep)
            del v
        df = pd.DataFrame(cols, copy=False)
        del cols
        if name == "pegawai" and "status_kepegawaian" in st.derived:
            df["status_kepegawaian"] = _final_series(st.derived["status_kepegawaian"], keep)
        if status == "ok" or status is None:
            tables[name] = df
        n_broken = len(st.raw.broken)
        n_bad = int(st.bad.sum()) + n_broken
        n_warn = sum(len(p["baris"]) for p in st.issues.parts if p["tingkat"] == "peringatan")
        st.derived.clear()
        release_memory()
        rows.append(
            _summary_row(
                name, st.file, st.n + n_broken, len(keep), n_bad, n_warn, status or "ok",
                st.raw, st,
            )
        )  # fmt: skip
    return tables, pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def release_memory() -> None:
    """Return freed memory to the operating system (Arrow's pool; glibc's heap), so the
    peak of a big run is what it holds, not what it once held."""
    pa.default_memory_pool().release_unused()
    name = ctypes.util.find_library("c")
    if name:
        try:
            ctypes.CDLL(name).malloc_trim(0)
        except (OSError, AttributeError):  # not glibc
            pass


def _canonical_order(st: TableState, keep: np.ndarray) -> np.ndarray:
    """Accepted rows in the dataset's order: a table with a ``periode`` column is ordered
    by period (stable: file order within a period), the order of its partitioned Parquet
    store (:class:`~kinerja_analysis.data.engine.TableStore`); other tables file order."""
    per = st.values.get("periode")
    if per is None or not len(keep) or not isinstance(per.dtype, pd.CategoricalDtype):
        return keep
    cats = per.cat.categories.to_numpy(dtype=object)
    valid = [c for c in cats.tolist() if is_period(c)]
    rank_of = {c: i for i, c in enumerate(sort_periods(valid))}
    rank = np.array([rank_of.get(c, len(rank_of)) for c in cats.tolist()] + [len(rank_of) + 1])
    codes = per.cat.codes.to_numpy()[keep]
    order = np.argsort(rank[codes], kind="stable")  # code -1 (missing) → last entry
    return keep[order]


def _summary_row(name, file, read, acc, rej, warn, status, raw, st) -> dict[str, Any]:
    row = {
        "tabel": name,
        "file": file,
        "rows_read": read,
        "rows_accepted": acc,
        "rows_rejected": rej,
        "n_peringatan": warn,
        "status": status,
        "format": "",
        "sheet": "",
        "baris_header": pd.NA,
        "pemisah": "",
        "desimal": "",
        "ribuan": "",
        "encoding": "",
        "terdeteksi": "",
        "baris_kosong": 0,
    }
    if raw is not None:
        info = raw.info
        detected = list(info.detected)
        if st is not None and st.number_format_detected:
            detected.append("desimal")
        row.update(
            format=info.format,
            # several sheets stacked: their names, " / " between (never in a sheet's name)
            sheet=" / ".join(raw.shown(s) for s in info.sheets_read)
            or (raw.shown(info.sheet) if info.sheet else ""),
            baris_header=info.header_row,
            pemisah=info.delimiter or "",
            desimal=st.number_format[0] if st is not None and st.number_format else "",
            ribuan=st.number_format[1] if st is not None and st.number_format else "",
            encoding=info.encoding or "",
            terdeteksi=", ".join(detected),
            baris_kosong=info.n_empty_rows,
        )
    return row


def _rejected_rows(st: TableState) -> pd.DataFrame:
    pos = np.flatnonzero(st.bad)
    cols: dict[str, Any] = {}
    if st.raw.stacked:  # rows of several sheets: each row's file and sheet, as messages say
        cols["file"] = st.raw.file_at(pos)
    cols["baris"] = st.raw.rows[pos]
    cols["alasan"] = st.issues.first_reject_reason(pos)
    for name, rc in st.raw.columns.items():
        cols[name] = rc.text(pos)
    out = pd.DataFrame(cols)
    if st.raw.broken:
        br = pd.DataFrame(
            {
                "baris": [b for b, _, _ in st.raw.broken],
                "alasan": [broken_row_reason(st, k) for _, _, k in st.raw.broken],
                "baris_mentah": [t for _, t, _ in st.raw.broken],
            }
        )
        out = pd.concat([out, br], ignore_index=True).sort_values("baris", ignore_index=True)
    return out


# --------------------------------------------------------------------------- entry point


def load_dataset(
    path: str | Path,
    *,
    mapping: str | Path | ColumnMapping | None = None,
    pseudonim: bool = False,
    periods: Iterable[str] | None = None,
    rejects_dir: str | Path | None = None,
    cache: str | Path | None = None,
    bahasa: Bahasa = "id",
    today: date | None = None,
    keys: Keys = "text",
) -> Dataset:
    """Read and validate a dataset folder.

    Parameters
    ----------
    path
        Folder with one file per canonical table (``pegawai.csv``, ``skp.parquet``, …).
    mapping
        A YAML column-mapping file, the name of a shipped preset (``"siasn"``,
        ``"ekinerja_bkn"``) or a parsed :class:`~kinerja_analysis.data.mapping.ColumnMapping`.
    pseudonim
        ``True`` when identifiers are pseudonyms rather than NIPs: the NIP / NI PPPK
        structure checks are switched off — explicitly, and the report says so.
    periods
        Evaluation periods of the dataset; default: inferred from ``skp`` and
        ``penilaian_resmi`` — the dominant kind of period (month, quarter, semester,
        year), without periods that have not started (``today``) or that hold a handful
        of employees (under a tenth of the median period). Rows in other periods are
        rejected and grouped under their period.
    rejects_dir
        If given, the validation report and the rejected rows are written there (never
        inside ``path``).
    cache
        A folder for validated tables: with unchanged raw files (checksums), mapping and
        options the dataset is loaded from there (partitioned Parquet) instead of being
        validated again; otherwise it is validated and stored there.
    bahasa
        Language of the messages: ``"id"`` (default) or ``"en"``.
    today
        The date that decides which periods have started (default: today).
    keys
        ``"text"`` (default): every text column as text. ``"categorical"``: the
        identifier columns of the row-level tables (``perilaku``, ``skp``:
        :func:`~kinerja_analysis.data.contract.identifier_columns`) as pandas
        categoricals of text (categories sorted), read dictionary-encoded from the
        cache — for a province: loaded from the cache, the 100,000-ASN ratings'
        identifiers take 0.5 GB rather than 2.7 GB (a fresh validation holds both
        forms for a moment); the analyses
        (:func:`~kinerja_analysis.analyses.shared.compute_shared`) give the same results
        on either. The categoricals are unordered: ``min``/``max`` of a key column need
        ``astype(str)``.

    Raises
    ------
    ValueError
        ``keys`` is neither ``"text"`` nor ``"categorical"``.
    DatasetError
        The data cannot be used (a required table unreadable or missing a column, no
        ``skp`` nor ``penilaian_resmi``, no valid period). The message lists every
        structural problem; ``exc.report`` holds the full :class:`ValidationReport`.
    """
    _check_keys(keys)
    data_dir = check_data_folder(path, bahasa)
    cmap = mapping if isinstance(mapping, ColumnMapping) else read_mapping(mapping, bahasa)
    declared = None if periods is None else tuple(str(p) for p in periods)
    used = list(_data_files(data_dir, cmap).values())
    extra = _checksum_extra(pseudonim, declared)
    # the raw files are hashed once: before the cache is looked up, or (no cache) in a
    # thread beside validation — hashlib releases the GIL on large blocks, and
    # validation's single-threaded stretches leave a CPU free (2.9 GB of CSV at
    # 100,000 ASN: seconds)
    with ThreadPoolExecutor(1) as pool:
        if cache is not None:
            digest = None
            checksum = _checksum(used, cmap, extra)
            cached = _from_cache(cache, checksum, bahasa, today, keys)
            if cached is not None:
                if rejects_dir is not None:
                    cached.validation.write(rejects_dir, data_dir)
                return cached
        else:
            digest = pool.submit(_checksum, used, cmap, extra)
        report, tables, items = validate_dataset(
            data_dir, mapping=cmap, pseudonim=pseudonim, periods=declared, bahasa=bahasa,
            today=today, keys=keys,
        )  # fmt: skip
        if digest is not None:
            checksum = digest.result()
    if rejects_dir is not None:
        report.write(rejects_dir, data_dir)
    if not report.usable:
        exc = DatasetError(_unusable_message(report))
        exc.report = report  # type: ignore[attr-defined]
        raise exc
    ds = Dataset(
        tables=tables,
        validation=report,
        periods=report.periods,
        checksum=checksum,
        pseudonim=pseudonim,
        survey_items=items,
    )
    if cache is not None:
        _to_cache(ds, cache, bahasa, today)
    return _with_keys(ds, keys)


#: How :func:`load_dataset` holds the identifiers of the row-level tables.
Keys = Literal["text", "categorical"]


def _check_keys(keys: object) -> str:
    if keys not in ("text", "categorical"):
        raise ValueError(f"keys must be 'text' or 'categorical', not {keys!r}")
    return str(keys)


def _encoded_columns(table: str, keys: str) -> tuple[str, ...]:
    """The columns of ``table`` held dictionary-encoded under ``keys``."""
    if keys != "categorical" or table not in ROW_LEVEL_TABLES:
        return ()
    return identifier_columns(table)


def _with_keys(ds: Dataset, keys: Keys) -> Dataset:
    """``ds`` with the identifier columns of its row-level tables as ``keys`` says:
    ``"categorical"`` encodes the text ones (Arrow's dictionary encoding, categories of
    the text dtype); ``"text"`` leaves ``ds`` as it is."""
    if _check_keys(keys) == "text":
        return ds
    tables = dict(ds.tables)
    for name, df in ds.tables.items():
        cols = [
            c
            for c in _encoded_columns(name, keys)
            if c in df and not isinstance(df[c].dtype, pd.CategoricalDtype)
        ]
        if cols:
            tables[name] = df.assign(
                **{
                    c: pd.Series(
                        dictionary_categorical(pa.chunked_array([pa.array(df[c].array)])),
                        index=df.index,
                    )
                    for c in cols
                }
            )
    return dataclasses.replace(ds, tables=tables)


def _read_presence(path: Path) -> pd.DataFrame:
    df = read_parquet(path)
    for c in ("tabel", "periode", "nip"):
        df[c] = df[c].astype(object).where(df[c].notna(), None)
    return df


def _unusable_message(report: ValidationReport) -> str:
    """The fatal problems, one per line (``- file: problem``) when there are several.

    The generic "required table cannot be used because of the problems above" line is
    left out for a file whose own problem is already listed: on its own line in a
    message nothing is "above" it.
    """
    fatal = report.structure[report.structure["tingkat"] == "fatal"]
    generic = message("tabel_wajib_rusak", report.bahasa)
    named = {str(r.file) for r in fatal.itertuples(index=False) if str(r.pesan) != generic}
    parts = []
    for r in fatal.itertuples(index=False):
        if str(r.pesan) == generic and r.file and str(r.file) in named:
            continue
        where = f"{r.file}: " if r.file and not str(r.pesan).startswith(str(r.file)) else ""
        parts.append(f"{where}{r.pesan}")
    if not parts:
        parts.append(message("tidak_ada_periode", report.bahasa))
    parts = list(dict.fromkeys(parts))
    if len(parts) == 1:
        return parts[0]
    return "\n" + "\n".join(f"  - {p}" for p in parts)


def _data_files(data_dir: Path, cmap: ColumnMapping) -> dict[str, Path]:
    out = {}
    for name in TABLE_ORDER:
        tm = cmap.for_table(name)
        if tm.file and (data_dir / tm.file).is_file():
            out[name] = data_dir / tm.file
            continue
        for ext in _EXTENSIONS:
            if (data_dir / f"{name}{ext}").is_file():
                out[f"{name}{ext}"] = data_dir / f"{name}{ext}"
    return out


def _cache_key(checksum: str, bahasa: str) -> str:
    key = f"{CACHE_VERSION}|{rules_fingerprint()}|{checksum}|{bahasa}"
    return hashlib.sha256(key.encode()).hexdigest()[:24]


@functools.cache
def rules_fingerprint() -> str:
    """Fingerprint of the code that validates and words its messages (the package's
    ``data`` and ``core`` folders, :func:`~kinerja_analysis.core.io.code_fingerprint`):
    part of the validated-data cache's key, so that data validated by other rules or
    messages (another version of kinerja) are validated again, not served from the
    cache. Computed once per process (a hash of a few hundred kB)."""
    return "".join(code_fingerprint(PACKAGE_ROOT / part) for part in ("data", "core"))


def _from_cache(cache, checksum: str, bahasa, today, keys="text") -> Dataset | None:
    """The dataset cached under ``checksum`` (of the raw files, :func:`_checksum`) in
    ``cache``, or None."""
    if cache is None:
        return None
    folder = Path(cache) / _cache_key(checksum, bahasa)
    meta = folder / "meta.json"
    if not meta.is_file():
        return None
    try:
        m = json.loads(meta.read_text(encoding="utf-8"))
        # a period that had not started when the cache was written may have started now
        future = m.get("next_period_start")
        if future is not None and (today or date.today()).isoformat() >= future:
            return None
        ds = Dataset.load_cache(folder, keys=keys)
    except (OSError, ValueError, KeyError, DatasetError):
        return None
    return ds if ds.checksum == checksum else None


def _to_cache(ds: Dataset, cache, bahasa: str, today: date | None) -> None:
    root = Path(cache)
    root.mkdir(parents=True, exist_ok=True)
    folder = root / _cache_key(ds.checksum, bahasa)
    tmp = root / f".{folder.name}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    ds.save_cache(tmp)
    nxt = rules.next_period_start(ds.validation, today)
    if nxt is not None:
        meta = json.loads((tmp / "meta.json").read_text(encoding="utf-8"))
        meta["next_period_start"] = nxt
        atomic_write(
            tmp / "meta.json", json.dumps(meta, indent=2, ensure_ascii=False), private=True
        )
    if folder.exists():
        shutil.rmtree(folder, ignore_errors=True)
    os.replace(tmp, folder)
