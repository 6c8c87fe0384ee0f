"""FROZEN reference: the row-by-row text loader as it was before the columnar loader.

This is a verbatim copy of ``kinerja_analysis/data/loading.py`` (with
``kinerja_analysis/data/schemas.py`` inlined) at the commit before the columnar rewrite
(issue 12). The equivalence tests (``tests/test_loading_equivalence.py``) run it beside
the new loader and require the same accepted rows, rejects and messages wherever the old
behaviour was right; the differences that fix the faults of issue 11 are listed there
one by one. Do not edit or "improve" this file: it is a test oracle, not package code.
"""
# ruff: noqa

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from kinerja_analysis.core.errors import DatasetError
from kinerja_analysis.core.io import atomic_write
from kinerja_analysis.core.periods import PERIOD_PATTERN, period_bounds
from kinerja_analysis.data.contract import TABLE_ORDER, TABLES, Column, Table
from kinerja_analysis.data.mapping import ColumnMapping, FormatSpec, TableMapping, read_mapping

ROW = "_baris"
ISSUE_COLUMNS = ["tabel", "file", "baris", "kolom", "nilai", "aturan", "pesan", "tingkat"]
_EXTENSIONS = (".csv", ".parquet", ".xlsx")
_SCI = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")
_TRUE = {"true", "1", "ya", "y", "yes", "t", "benar"}
_FALSE = {"false", "0", "tidak", "n", "no", "f", "salah"}
_ROMAN = re.compile(r"^\s*(IV|III|II|I)\s*/\s*([A-Ea-e])\s*$", re.IGNORECASE)


# --------------------------------------------------------------------------- schemas (inlined)

_DTYPES = {
    "nip": str,
    "str": str,
    "category": str,
    "periode": str,
    "int": "Int64",
    "float": float,
    "date": "datetime64[ns]",
    "bool": "boolean",
}


def _checks(col: Column) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if col.allowed is not None:
        checks.append(pa.Check.isin(list(col.allowed)))
    if col.low is not None and col.high is not None:
        checks.append(pa.Check.in_range(col.low, col.high))
    elif col.low is not None:
        checks.append(pa.Check.ge(col.low))
    elif col.high is not None:
        checks.append(pa.Check.le(col.high))
    if col.kind == "periode":
        checks.append(pa.Check.str_matches(PERIOD_PATTERN))
    if col.kind in {"str", "category", "nip"} and not col.nullable:
        checks.append(pa.Check.str_length(min_value=1))
    return checks


def _pa_column(col: Column) -> pa.Column:
    return pa.Column(
        _DTYPES[col.kind],
        checks=_checks(col),
        nullable=col.nullable,
        required=col.required,
        coerce=False,
    )


def schema_for(table: str | Table, item_columns: tuple[str, ...] = ()) -> pa.DataFrameSchema:
    """Return the pandera schema of a canonical table.

    Parameters
    ----------
    table
        Table name (``"pegawai"``, …) or a :class:`~kinerja_analysis.data.contract.Table`.
    item_columns
        For ``survei``: the item columns named in ``survei_instrumen`` (answers may be
        missing, range checked by the loader against the instrument's scale).
    """
    t = TABLES[table] if isinstance(table, str) else table
    columns = {c.name: _pa_column(c) for c in t.columns}
    for item in item_columns:
        columns[item] = pa.Column(float, nullable=True, required=True)
    return pa.DataFrameSchema(columns, strict=False, name=t.name)


# --------------------------------------------------------------------------- report


@dataclass(frozen=True)
class ValidationReport:
    """What validation found.

    Attributes
    ----------
    summary
        One row per table: ``tabel, file, rows_read, rows_accepted, rows_rejected,
        n_peringatan``; ``rows_read == rows_accepted + rows_rejected`` always.
    issues
        One row per problem: ``tabel, file, baris, kolom, nilai, aturan, pesan, tingkat``
        where ``tingkat`` is ``"tolak"`` (row rejected) or ``"peringatan"`` (row kept).
    rejected_rows
        Per table, the rejected rows as read (text) with ``baris`` and ``alasan``.
    notes
        Dataset-level remarks (e.g. NIP structure check switched off).
    """

    summary: pd.DataFrame
    issues: pd.DataFrame
    rejected_rows: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def n_rejected(self) -> int:
        return int(self.summary["rows_rejected"].sum()) if len(self.summary) else 0

    @property
    def n_warnings(self) -> int:
        return int((self.issues["tingkat"] == "peringatan").sum())

    @property
    def exit_code(self) -> int:
        """0 = clean, 1 = rows rejected or warnings (``kinerja validate`` uses it)."""
        return 0 if self.n_rejected == 0 and self.n_warnings == 0 else 1

    def messages(self, limit: int | None = None) -> list[str]:
        """Human-readable lines: ``file baris N, kolom C, nilai 'V': pesan``."""
        rows = self.issues if limit is None else self.issues.head(limit)
        return [_format_issue(r) for r in rows.itertuples(index=False)]

    def write(self, out_dir: str | Path, data_dir: str | Path | None = None) -> list[Path]:
        """Write ``ringkasan_validasi.csv``, ``masalah.csv`` and ``penolakan/<tabel>.csv``.

        Refuses to write inside the raw data folder.
        """
        out = Path(out_dir).resolve()
        if data_dir is not None:
            raw = Path(data_dir).resolve()
            if out == raw or raw in out.parents:
                raise DatasetError(
                    "Folder keluaran validasi tidak boleh berada di dalam folder data mentah "
                    f"({raw.name}); pilih folder lain."
                )
        out.mkdir(parents=True, exist_ok=True)
        written = [
            _atomic_csv(self.summary, out / "ringkasan_validasi.csv"),
            _atomic_csv(self.issues, out / "masalah.csv"),
        ]
        for name, rows in self.rejected_rows.items():
            if len(rows):
                (out / "penolakan").mkdir(exist_ok=True)
                written.append(_atomic_csv(rows, out / "penolakan" / f"{name}.csv"))
        return written


def _format_issue(r: Any) -> str:
    where = r.file
    if pd.notna(r.baris):
        where += f" baris {int(r.baris)}"
    if isinstance(r.kolom, str) and r.kolom:
        where += f", kolom {r.kolom}"
    if isinstance(r.nilai, str) and r.nilai != "":
        where += f", nilai {r.nilai!r}"
    return f"[{r.tingkat}] {where}: {r.pesan}"


def _atomic_csv(df: pd.DataFrame, path: Path) -> Path:
    return atomic_write(path, lambda tmp: df.to_csv(tmp, index=False))
    return path


class _Issues:
    """Collects problems of one table while it is validated."""

    def __init__(self, table: str, file: str) -> None:
        self.table, self.file = table, file
        self.frames: list[pd.DataFrame] = []

    def add(
        self,
        rows: pd.Series,
        column: str | None,
        values: pd.Series | str | None,
        rule: str,
        message: str | pd.Series,
        level: str = "tolak",
    ) -> None:
        """Record one problem for each row number in ``rows`` (aligned Series)."""
        if len(rows) == 0:
            return
        n = len(rows)
        if values is None:
            vals: Any = [""] * n
        elif isinstance(values, str):
            vals = [values] * n
        else:
            vals = values.astype("string[pyarrow]").fillna("").to_numpy()
        msg = message.to_numpy() if isinstance(message, pd.Series) else [message] * n
        self.frames.append(
            pd.DataFrame(
                {
                    "tabel": self.table,
                    "file": self.file,
                    "baris": np.asarray(rows, dtype="int64"),
                    "kolom": column or "",
                    "nilai": vals,
                    "aturan": rule,
                    "pesan": msg,
                    "tingkat": level,
                }
            )
        )

    def frame(self) -> pd.DataFrame:
        if not self.frames:
            return pd.DataFrame({c: pd.Series(dtype="object") for c in ISSUE_COLUMNS})
        return pd.concat(self.frames, ignore_index=True)


# --------------------------------------------------------------------------- dataset


@dataclass(frozen=True)
class Dataset:
    """A validated dataset: one DataFrame per canonical table (accepted rows only).

    Tables are reached as ``ds.tables["pegawai"]`` or ``ds.pegawai``; absent optional
    tables are missing from ``tables`` (check with :meth:`has`).
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
                f"Tabel '{name}' tidak ada dalam dataset ini (tabel opsional)."
            ) from None

    def has(self, name: str) -> bool:
        return name in self.tables

    # -- cache: the batch validates once and the notebooks reload the result quickly
    def save_cache(self, cache_dir: str | Path) -> Path:
        """Write the validated tables (Parquet) and metadata to ``cache_dir``."""
        cache = Path(cache_dir)
        cache.mkdir(parents=True, exist_ok=True)
        for name, df in self.tables.items():
            atomic_write(
                cache / f"{name}.parquet", lambda tmp, df=df: df.to_parquet(tmp, index=False)
            )
        for name, df in (
            ("_summary", self.validation.summary),
            ("_issues", self.validation.issues),
        ):
            df = df.astype({"nilai": "string[pyarrow]"} if "nilai" in df else {})
            atomic_write(
                cache / f"{name}.parquet", lambda tmp, df=df: df.to_parquet(tmp, index=False)
            )
        meta = {
            "tables": sorted(self.tables),
            "periods": list(self.periods),
            "checksum": self.checksum,
            "pseudonim": self.pseudonim,
            "survey_items": list(self.survey_items),
            "notes": list(self.validation.notes),
        }
        atomic_write(cache / "meta.json", json.dumps(meta, indent=2))
        return cache

    @classmethod
    def load_cache(cls, cache_dir: str | Path) -> Dataset:
        """Read a dataset written by :meth:`save_cache`."""
        cache = Path(cache_dir)
        meta_path = cache / "meta.json"
        if not meta_path.is_file():
            raise DatasetError(f"Cache dataset tidak ditemukan di {cache.name}")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        tables = {n: pd.read_parquet(cache / f"{n}.parquet") for n in meta["tables"]}
        report = ValidationReport(
            summary=pd.read_parquet(cache / "_summary.parquet"),
            issues=pd.read_parquet(cache / "_issues.parquet"),
            notes=tuple(meta.get("notes", ())),
        )
        return cls(
            tables=tables,
            validation=report,
            periods=tuple(meta["periods"]),
            checksum=meta["checksum"],
            pseudonim=bool(meta["pseudonim"]),
            survey_items=tuple(meta.get("survey_items", ())),
        )


# --------------------------------------------------------------------------- reading


def _find_file(data_dir: Path, name: str, tm: TableMapping) -> Path | None:
    if tm.file:
        path = data_dir / tm.file
        if not path.is_file():
            raise DatasetError(
                f"File untuk tabel '{name}' yang disebut dalam pemetaan tidak ada: {tm.file}"
            )
        return path
    found = [
        data_dir / f"{name}{ext}" for ext in _EXTENSIONS if (data_dir / f"{name}{ext}").is_file()
    ]
    if len(found) > 1:
        raise DatasetError(
            f"Tabel '{name}' ada dalam lebih dari satu file: {[p.name for p in found]}; "
            "sisakan satu."
        )
    return found[0] if found else None


def _detect_sep(path: Path) -> str:
    with path.open(encoding="utf-8-sig", errors="replace") as fh:
        header = fh.readline()
    return ";" if header.count(";") > header.count(",") else ","


def _cell_text(v: Any) -> Any:
    """Text of one spreadsheet/Parquet cell as a CSV would have shown it."""
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NaT:
        return pd.NA
    if isinstance(v, (pd.Timestamp, np.datetime64)) or hasattr(v, "isoformat"):
        ts = pd.Timestamp(v)
        return ts.strftime("%Y-%m-%d") if ts == ts.normalize() else ts.isoformat()
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, (float, np.floating)):
        if float(v).is_integer() and abs(v) < 1e15:
            return str(int(v))
        return repr(float(v))
    return str(v)


def _read_raw(path: Path, tm: TableMapping) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a file as text. Returns (text frame, frame of booleans: cell was numeric)."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            sep = tm.format.pemisah or _detect_sep(path)
            kw = dict(dtype=str, keep_default_na=False, na_values=[""], sep=sep)
            try:
                df = pd.read_csv(path, encoding="utf-8-sig", **kw)
            except UnicodeDecodeError:
                # exports from older Windows spreadsheets are often Windows-1252
                df = pd.read_csv(path, encoding="cp1252", **kw)
            numeric = pd.DataFrame(False, index=df.index, columns=df.columns)
        elif suffix in {".xlsx", ".parquet"}:
            if suffix == ".xlsx":
                raw = pd.read_excel(path, sheet_name=tm.sheet or 0, dtype=object)
            else:
                raw = pd.read_parquet(path)
            # Excel keeps every number as a double (15-16 significant digits), so any
            # numeric cell may have lost digits of an 18-digit NIP; Parquet int64 is exact.
            kinds = (
                (float, np.floating, int, np.integer) if suffix == ".xlsx" else (float, np.floating)
            )
            numeric = pd.DataFrame(
                {
                    c: raw[c].map(lambda v: isinstance(v, kinds) and not isinstance(v, bool))
                    for c in raw.columns
                }
            )
            df = pd.DataFrame(
                {c: raw[c].map(_cell_text).astype("string[pyarrow]") for c in raw.columns}
            )
        else:  # pragma: no cover - _find_file only returns known suffixes
            raise DatasetError(f"{path.name}: jenis file tidak didukung")
    except DatasetError:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader failure becomes a user message
        raise DatasetError(
            f"{path.name}: file tidak dapat dibaca ({type(exc).__name__}: {exc})"
        ) from exc
    df.columns = [str(c).strip() for c in df.columns]
    numeric.columns = df.columns
    df = df.rename(columns=dict(tm.kolom))
    numeric = numeric.rename(columns=dict(tm.kolom))
    df = df.astype("string[pyarrow]")
    for col in df.columns:
        # a leading apostrophe is the spreadsheet marker for "keep as text"
        df[col] = df[col].str.strip().str.removeprefix("'").replace("", pd.NA)
    dup = df.columns[df.columns.duplicated()].tolist()
    if dup:
        raise DatasetError(f"{path.name}: kolom ganda setelah pemetaan: {dup}")
    return df, numeric


# --------------------------------------------------------------------------- parsing


def _parse_number(text: pd.Series, fmt: FormatSpec) -> pd.Series:
    s = text
    if fmt.ribuan:
        s = s.str.replace(fmt.ribuan, "", regex=False)
    if fmt.desimal != ".":
        s = s.str.replace(fmt.desimal, ".", regex=False)
    return pd.to_numeric(s, errors="coerce").astype("float64")


_KELAMIN = {"LAKI-LAKI": "L", "LAKI LAKI": "L", "PRIA": "L", "PEREMPUAN": "P", "WANITA": "P"}


def _norm_category(col: Column, text: pd.Series) -> pd.Series:
    if col.name == "jenis_kelamin":
        up = text.str.upper().str.strip()
        return up.replace(_KELAMIN)
    if col.name == "golongan":
        return text.str.replace(
            _ROMAN, lambda m: f"{m.group(1).upper()}/{m.group(2).lower()}", regex=True
        )
    return text.str.lower().str.replace(" ", "_", regex=False)


def _parse_column(
    col: Column,
    text: pd.Series,
    numeric: pd.Series | None,
    fmt: FormatSpec,
    pseudonim: bool,
) -> tuple[pd.Series, pd.Series, str]:
    """Parse one column. Returns (values, bad-mask, reason for bad cells)."""
    present = text.notna()
    if col.kind == "nip":
        # the printed layout "19850312 201001 1 001" (spaces or dots) is the same NIP
        spaced = text.str.fullmatch(r"\d{8}[ .]\d{6}[ .]\d[ .]\d{3}").fillna(False)
        text = text.where(~spaced, text.str.replace(r"[ .]", "", regex=True))
        sci = present & text.str.match(_SCI.pattern).fillna(False)
        was_number = numeric.fillna(False).astype(bool) if numeric is not None else False
        lost = sci | (present & was_number & ~text.str.fullmatch(r"\d{1,15}").fillna(False))
        if not pseudonim:
            wrong = present & ~lost & ~text.str.fullmatch(r"\d{18}").fillna(False)
        else:
            wrong = pd.Series(False, index=text.index)
        bad = lost | wrong
        reason = np.where(
            lost,
            "NIP tersimpan sebagai angka (notasi ilmiah/angka spreadsheet): digit hilang, "
            "tidak dapat dipulihkan; ekspor ulang kolom NIP sebagai teks",
            "NIP harus 18 digit angka (atau aktifkan mode pseudonim untuk ID lain)",
        )
        return text.where(~bad), bad, pd.Series(reason, index=text.index)
    if col.kind in {"str"}:
        return text, pd.Series(False, index=text.index), ""
    if col.kind == "category":
        return _norm_category(col, text), pd.Series(False, index=text.index), ""
    if col.kind == "periode":
        norm = text.str.upper().str.replace(r"[\s\-_/]", "", regex=True)
        return norm, pd.Series(False, index=text.index), ""
    if col.kind in {"float", "int"}:
        values = _parse_number(text, fmt)
        bad = present & values.isna()
        reason = "bukan angka"
        if col.kind == "int":
            frac = present & values.notna() & (values != np.round(values))
            bad = bad | frac
            reason = pd.Series(
                np.where(frac, "harus bilangan bulat", "bukan angka"), index=text.index
            )
            values = values.where(~bad).round().astype("Int64")
        return values.where(~bad), bad, reason
    if col.kind == "date":
        values = pd.to_datetime(text, format=fmt.tanggal, errors="coerce")
        # XLSX/Parquet date cells arrive as ISO text whatever the export's text format
        iso = values.isna() & text.str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False)
        if iso.any():
            values = values.where(
                ~iso, pd.to_datetime(text.where(iso), format="%Y-%m-%d", errors="coerce")
            )
        bad = present & values.isna()
        human = fmt.tanggal.replace("%Y", "yyyy").replace("%m", "mm").replace("%d", "dd")
        return values, bad, f"tanggal tidak valid (format yang diharapkan {human})"
    if col.kind == "bool":
        low = text.str.lower()
        values = pd.Series(pd.NA, index=text.index, dtype="boolean")
        values[low.isin(_TRUE).fillna(False)] = True
        values[low.isin(_FALSE).fillna(False)] = False
        bad = present & values.isna()
        return values, bad, "bukan nilai ya/tidak (true/false, 1/0)"
    raise ValueError(f"unknown column kind {col.kind!r}")  # pragma: no cover


_CHECK_TEXT = {
    "isin": "nilai tidak diizinkan",
    "in_range": "di luar rentang yang diizinkan",
    "greater_than_or_equal_to": "di bawah nilai minimum",
    "less_than_or_equal_to": "di atas nilai maksimum",
    "str_matches": "format periode salah (YYYYQn, YYYYSn atau YYYY)",
    "str_length": "nilai kosong",
    "not_nullable": "nilai kosong (wajib diisi)",
}


def _check_message(check: str, col: Column | None) -> str:
    key = str(check).split("(")[0]
    msg = _CHECK_TEXT.get(key, str(check))
    if col is not None and key == "isin" and col.allowed:
        msg += f"; yang boleh: {', '.join(col.allowed)}"
    if col is not None and key == "in_range":
        msg += f" ({col.low:g}–{col.high:g})"
    return msg


# --------------------------------------------------------------------------- validation


@dataclass
class _TableResult:
    data: pd.DataFrame  # parsed, with ROW column, all rows
    raw: pd.DataFrame  # text as read (after mapping), with ROW
    bad: pd.Series  # rows rejected
    issues: _Issues
    file: str


def _parse_table(
    t: Table,
    path: Path,
    tm: TableMapping,
    pseudonim: bool,
    item_columns: tuple[str, ...] = (),
) -> _TableResult:
    text, numeric = _read_raw(path, tm)
    missing = [c for c in t.required_columns if c not in text.columns]
    missing += [c for c in item_columns if c not in text.columns]
    if missing:
        raise DatasetError(
            f"{path.name}: kolom wajib tidak ada: {missing}. Kolom yang ada: {list(text.columns)}. "
            "Periksa nama kolom atau file pemetaan kolom."
        )
    for col_name, labels in tm.nilai.items():
        if col_name in text.columns:
            text[col_name] = text[col_name].replace(dict(labels))
    offset = 2
    rows = pd.Series(np.arange(len(text)) + offset, index=text.index)
    issues = _Issues(t.name, path.name)
    bad = pd.Series(False, index=text.index)
    parsed = pd.DataFrame(index=text.index)
    for col in t.columns:
        if col.name not in text.columns:
            continue
        values, col_bad, reason = _parse_column(
            col, text[col.name], numeric.get(col.name), tm.format, pseudonim
        )
        parsed[col.name] = values
        if col_bad.any():
            msg = reason[col_bad] if isinstance(reason, pd.Series) else reason
            issues.add(rows[col_bad], col.name, text[col.name][col_bad], f"tipe:{col.kind}", msg)
            bad |= col_bad
    for item in item_columns:
        values = _parse_number(text[item], tm.format)
        col_bad = text[item].notna() & values.isna()
        issues.add(rows[col_bad], item, text[item][col_bad], "tipe:float", "bukan angka")
        bad |= col_bad
        parsed[item] = values.where(~col_bad)
    extra = [c for c in text.columns if c not in parsed.columns]
    for c in extra:  # unknown columns are carried through as text
        parsed[c] = text[c]
    _schema_issues(t, parsed, rows, text, issues, bad, item_columns)
    parsed[ROW] = rows
    raw = text.copy()
    raw[ROW] = rows
    return _TableResult(parsed, raw, bad, issues, path.name)


def _schema_issues(
    t: Table,
    parsed: pd.DataFrame,
    rows: pd.Series,
    text: pd.DataFrame,
    issues: _Issues,
    bad: pd.Series,
    item_columns: tuple[str, ...],
) -> None:
    schema = schema_for(t, item_columns)
    # cells that already failed parsing are NaN now: do not report them twice
    try:
        schema.validate(parsed, lazy=True)
        return
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
    fc = fc[fc["index"].notna() & fc["column"].notna()]
    fc = fc[~fc["check"].astype(str).str.startswith("dtype(")]
    for (column, check), grp in fc.groupby(["column", "check"], sort=False):
        idx = pd.Index(grp["index"].astype("int64").unique())
        idx = idx[idx.isin(parsed.index)]
        col = next((c for c in t.columns if c.name == column), None)
        if col is not None and str(check) == "not_nullable":
            already = bad.loc[idx]
            idx = idx[~already.to_numpy()]
        if len(idx) == 0:
            continue
        values = text[column].loc[idx] if column in text.columns else None
        issues.add(rows.loc[idx], str(column), values, f"skema:{check}", _check_message(check, col))
        bad.loc[idx] = True


def _b(mask: pd.Series) -> pd.Series:
    """A plain bool mask from a nullable comparison (NA → False)."""
    return mask.astype("boolean").fillna(False).astype(bool)


def _reject(
    res: _TableResult,
    mask: pd.Series,
    column: str | None,
    rule: str,
    message: Any,
    level: str = "tolak",
    values: pd.Series | None = None,
) -> None:
    mask = mask.fillna(False).astype(bool)
    if not mask.any():
        return
    rows = res.data.loc[mask, ROW]
    vals = (
        values[mask]
        if values is not None
        else (res.raw.loc[mask, column] if column and column in res.raw else None)
    )
    msg = message[mask] if isinstance(message, pd.Series) else message
    res.issues.add(rows, column, vals, rule, msg, level)
    if level == "tolak":
        res.bad |= mask


def _check_key(res: _TableResult, t: Table) -> None:
    if not t.key:
        return
    ok = ~res.bad
    key = res.data.loc[ok, list(t.key)]
    dup = key.duplicated(keep="first")
    if dup.any():
        first = key.drop_duplicates(keep="first")
        first_row = res.data.loc[first.index, [*t.key, ROW]].rename(columns={ROW: "_first"})
        merged = res.data.loc[dup[dup].index, [*t.key, ROW]].merge(
            first_row, on=list(t.key), how="left"
        )
        msg = pd.Series(
            [
                f"duplikat kunci ({', '.join(t.key)}) dengan baris {int(r)}"
                for r in merged["_first"]
            ],
            index=dup[dup].index,
        )
        mask = pd.Series(False, index=res.data.index)
        mask.loc[dup[dup].index] = True
        vals = res.data[list(t.key)].astype("string[pyarrow]").agg(" | ".join, axis=1)
        _reject(res, mask, ",".join(t.key), "kunci_unik", msg.reindex(res.data.index), values=vals)


def _check_nip_structure(res: _TableResult) -> None:
    d = res.data
    ok = ~res.bad & d["nip"].notna()
    nip = d["nip"].where(ok)
    born = pd.to_datetime(nip.str[:8], format="%Y%m%d", errors="coerce")
    start = pd.to_datetime(nip.str[8:14] + "01", format="%Y%m%d", errors="coerce")
    gender = nip.str[14]
    invalid = ok & (born.isna() | start.isna() | ~_b(gender.isin(["1", "2"])))
    _reject(
        res,
        invalid,
        "nip",
        "nip_struktur",
        "struktur NIP tidak valid (8 digit tanggal lahir, 6 digit TMT CPNS, 1 digit jenis "
        "kelamin, 3 digit urut)",
    )
    ok &= ~invalid
    born_mis = ok & d["tanggal_lahir"].notna() & _b(born != d["tanggal_lahir"])
    msg = (
        "tanggal lahir dalam NIP ("
        + nip.str[:8]
        + ") tidak sama dengan kolom tanggal_lahir ("
        + d["tanggal_lahir"].dt.strftime("%Y-%m-%d")
        + ")"
    )
    _reject(res, born_mis, "nip", "nip_tanggal_lahir", msg)
    tmt = d["tmt_cpns"]
    start_mis = (
        ok & tmt.notna() & _b((start.dt.year != tmt.dt.year) | (start.dt.month != tmt.dt.month))
    )
    msg = (
        "TMT CPNS dalam NIP ("
        + nip.str[8:14]
        + ") tidak sama dengan kolom tmt_cpns ("
        + tmt.dt.strftime("%Y-%m")
        + ")"
    )
    _reject(res, start_mis, "nip", "nip_tmt_cpns", msg)
    expected = d["jenis_kelamin"].map({"L": "1", "P": "2"})
    g_mis = ok & expected.notna() & _b(gender != expected)
    msg = (
        "digit jenis kelamin dalam NIP ("
        + gender.fillna("")
        + ") tidak sesuai jenis_kelamin ("
        + d["jenis_kelamin"].fillna("")
        + ")"
    )
    _reject(res, g_mis, "nip", "nip_jenis_kelamin", msg)


def _check_references(
    res: _TableResult,
    column: str,
    known: pd.Index,
    what: str,
    level: str = "tolak",
    message: str | None = None,
) -> None:
    d = res.data
    mask = ~res.bad & d[column].notna().to_numpy() & ~_b(d[column].isin(known))
    msg = message or f"{column} tidak dikenal: tidak ada dalam {what}"
    _reject(res, mask, column, f"referensi:{what}", msg, level)


def _table_rules(name: str, res: _TableResult) -> None:
    d = res.data
    ok = ~res.bad
    if name == "skp":
        _reject(res, ok & _b(d["target"] <= 0), "target", "target_positif", "target harus > 0")
    elif name == "pelatihan":
        _reject(
            res,
            ok & _b(d["tanggal_selesai"] < d["tanggal_mulai"]),
            "tanggal_selesai",
            "tanggal_urut",
            "tanggal_selesai sebelum tanggal_mulai",
        )
    elif name == "pegawai":
        self_sup = ok & _b(d["nip_atasan"] == d["nip"])
        _reject(
            res, self_sup, "nip_atasan", "atasan_diri", "pegawai tercatat sebagai atasannya sendiri"
        )
    elif name == "layanan":
        units = [f"u{i}" for i in range(1, 10)]
        have_u = d.reindex(columns=units).notna().all(axis=1) if set(units) <= set(d) else False
        have_ikm = d["ikm"].notna() if "ikm" in d else False
        neither = ok & ~(pd.Series(have_u, index=d.index) | pd.Series(have_ikm, index=d.index))
        _reject(res, neither, "ikm", "ikm_ada", "isi kolom ikm atau kesembilan unsur u1…u9")
    elif name == "umpan_balik":
        _check_dates_in_period(res, "tanggal")


def _check_dates_in_period(res: _TableResult, column: str) -> None:
    d = res.data
    ok = ~res.bad & d[column].notna() & d["periode"].notna()
    if not ok.any():
        return
    codes = d.loc[ok, "periode"].unique()
    bounds = {c: period_bounds(c) for c in codes if re.fullmatch(PERIOD_PATTERN, c)}
    lo = d["periode"].map(lambda c: bounds.get(c, (pd.NaT, pd.NaT))[0])
    hi = d["periode"].map(lambda c: bounds.get(c, (pd.NaT, pd.NaT))[1])
    outside = ok & _b((d[column] < lo) | (d[column] > hi))
    _reject(
        res,
        outside,
        column,
        "tanggal_dalam_periode",
        "tanggal tidak berada di dalam periode baris ini",
        level="peringatan",
    )


def _survey_item_rules(res: _TableResult, instrumen: pd.DataFrame) -> None:
    for r in instrumen.itertuples(index=False):
        lo = getattr(r, "skala_min", 1)
        hi = getattr(r, "skala_max", 5)
        lo = 1 if pd.isna(lo) else lo
        hi = 5 if pd.isna(hi) else hi
        v = res.data[r.item]
        out = ~res.bad & v.notna() & _b((v < lo) | (v > hi) | (v != np.round(v)))
        _reject(res, out, r.item, "skala_butir", f"jawaban harus bilangan bulat {lo:g}–{hi:g}")


# --------------------------------------------------------------------------- main


def _checksum(paths: Iterable[Path], mapping: ColumnMapping, pseudonim: bool) -> str:
    h = hashlib.sha256()
    for p in sorted(paths, key=lambda p: p.name):
        h.update(p.name.encode())
        with p.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    h.update(mapping.source_text.encode())
    h.update(b"pseudonim" if pseudonim else b"nip")
    return h.hexdigest()


def _dataset_periods(skp: pd.DataFrame, explicit: Iterable[str] | None) -> tuple[str, ...]:
    if explicit is not None:
        periods = tuple(sorted({str(p) for p in explicit}))
        bad = [p for p in periods if not re.fullmatch(PERIOD_PATTERN, p)]
        if bad:
            raise DatasetError(f"kode periode tidak valid: {bad}")
    else:
        periods = tuple(sorted(skp["periode"].dropna().unique()))
    if not periods:
        raise DatasetError("skp: tidak ada periode yang valid; dataset tidak dapat dipakai.")
    kinds = {len(p) == 4 and "Y" or p[4] for p in periods}
    if len(kinds) > 1:
        raise DatasetError(
            f"skp: periode bercampur jenisnya (triwulan/semester/tahun): {list(periods)}"
        )
    return periods


def load_dataset(
    path: str | Path,
    *,
    mapping: str | Path | ColumnMapping | None = None,
    pseudonim: bool = False,
    periods: Iterable[str] | None = None,
    rejects_dir: str | Path | None = None,
) -> Dataset:
    """Read and validate a dataset folder.

    Parameters
    ----------
    path
        Folder with one file per canonical table (``pegawai.csv``, ``skp.parquet``, …).
    mapping
        A YAML column-mapping file (see :mod:`kinerja_analysis.mapping`) or a parsed one.
    pseudonim
        ``True`` when identifiers are pseudonyms rather than PNS NIPs: the NIP structure
        check (length, birth date, CPNS start, gender digit) is switched off — explicitly,
        and the report says so.
    periods
        Evaluation periods of the dataset; default: the periods present in ``skp``. Rows
        of other tables in another period are rejected.
    rejects_dir
        If given, the validation report and the rejected rows are written there (never
        inside ``path``).

    Raises
    ------
    DatasetError
        A required table or column is missing, a file cannot be read, or the mapping is
        invalid. The message names the file and column.
    """
    data_dir = Path(path)
    if not data_dir.is_dir():
        raise DatasetError(f"Folder data tidak ditemukan: {data_dir.name}")
    cmap = mapping if isinstance(mapping, ColumnMapping) else read_mapping(mapping)

    files: dict[str, Path] = {}
    for name in TABLE_ORDER:
        found = _find_file(data_dir, name, cmap.for_table(name))
        if found is not None:
            files[name] = found
        elif TABLES[name].required:
            raise DatasetError(
                f"Tabel wajib '{name}' tidak ditemukan di folder data "
                f"(dicari {name}.csv, {name}.parquet, {name}.xlsx atau file dalam pemetaan)."
            )
    if ("survei" in files) != ("survei_instrumen" in files):
        raise DatasetError("Tabel survei dan survei_instrumen harus ada bersama-sama.")

    results: dict[str, _TableResult] = {}
    for name in TABLE_ORDER:
        if name in files and name != "survei":
            results[name] = _parse_table(TABLES[name], files[name], cmap.for_table(name), pseudonim)
    for name, res in results.items():
        _table_rules(name, res)
        _check_key(res, TABLES[name])
    peg = results["pegawai"]
    if not pseudonim:
        _check_nip_structure(peg)
    _check_key(peg, TABLES["pegawai"])
    known_nip = pd.Index(peg.data.loc[~peg.bad, "nip"])
    _check_references(peg, "nip_atasan", known_nip, "pegawai (atasan)", level="peringatan")

    skp = results["skp"]
    if not (~skp.bad).any():
        first = [_format_issue(r) for r in skp.issues.frame().head(3).itertuples(index=False)]
        raise DatasetError(
            f"{skp.file}: semua {len(skp.data)} baris ditolak; contoh masalah: " + " | ".join(first)
        )
    ds_periods = _dataset_periods(skp.data.loc[~skp.bad], periods)
    items: tuple[str, ...] = ()
    if "survei" in files:
        instr = results["survei_instrumen"]
        items = tuple(instr.data.loc[~instr.bad, "item"])
        results["survei"] = _parse_table(
            TABLES["survei"], files["survei"], cmap.for_table("survei"), pseudonim, items
        )
        _survey_item_rules(results["survei"], instr.data.loc[~instr.bad])
        _check_key(results["survei"], TABLES["survei"])

    known_opd = pd.Index(peg.data.loc[~peg.bad, "opd"].unique())
    for name, res in results.items():
        if name == "pegawai":
            continue
        if "nip" in res.data:
            _check_references(res, "nip", known_nip, "pegawai")
        if "periode" in res.data and name != "penerapan":
            _check_references(
                res,
                "periode",
                pd.Index(ds_periods),
                "periode dataset",
                message="periode di luar periode dataset "
                f"({ds_periods[0]}–{ds_periods[-1]}, dari tabel skp)",
            )
        if name in {"layanan", "penerapan"}:
            _check_references(res, "opd", known_opd, "OPD pegawai", level="peringatan")
        if name == "perilaku":
            _check_references(res, "id_penilai", known_nip, "pegawai (penilai)", level="peringatan")

    tables: dict[str, pd.DataFrame] = {}
    summary_rows, issue_frames, rejected = [], [], {}
    for name, res in results.items():
        accepted = res.data.loc[~res.bad].drop(columns=[ROW]).reset_index(drop=True)
        if name == "perilaku":
            accepted["skor"] = accepted["skor"].astype("int64")
        tables[name] = accepted
        iss = res.issues.frame()
        issue_frames.append(iss)
        if res.bad.any():
            first_reason = (
                iss[iss["tingkat"] == "tolak"].drop_duplicates("baris").set_index("baris")["pesan"]
            )
            rej = res.raw.loc[res.bad].rename(columns={ROW: "baris"})
            rej["alasan"] = rej["baris"].map(first_reason)
            rejected[name] = rej[
                ["baris", "alasan", *[c for c in rej.columns if c not in {"baris", "alasan"}]]
            ]
        summary_rows.append(
            {
                "tabel": name,
                "file": res.file,
                "rows_read": len(res.data),
                "rows_accepted": int((~res.bad).sum()),
                "rows_rejected": int(res.bad.sum()),
                "n_peringatan": int((iss["tingkat"] == "peringatan").sum()),
            }
        )
    issues = pd.concat(issue_frames, ignore_index=True).sort_values(
        ["tabel", "baris"], kind="stable", ignore_index=True
    )
    notes = []
    if pseudonim:
        notes.append("Pemeriksaan struktur NIP dimatikan: ID pegawai adalah pseudonim.")
    missing_opt = [n for n in TABLE_ORDER if n not in files]
    if missing_opt:
        notes.append(f"Tabel opsional tidak tersedia: {', '.join(missing_opt)}.")
    report = ValidationReport(pd.DataFrame(summary_rows), issues, rejected, tuple(notes))
    if rejects_dir is not None:
        report.write(rejects_dir, data_dir)
    return Dataset(
        tables=tables,
        validation=report,
        periods=ds_periods,
        checksum=_checksum(files.values(), cmap, pseudonim),
        pseudonim=pseudonim,
        survey_items=items,
    )
