"""Column-mapping files: how a real export (e-Kinerja, SIASN, a spreadsheet) maps onto
the canonical tables.

A mapping is a YAML file::

    format:                 # how values are written in the export (all optional)
      tanggal: "%d/%m/%Y"   # date format (strftime codes); default ISO YYYY-MM-DD
      desimal: ","          # decimal mark; default "."
      ribuan: "."           # thousands separator, removed before parsing numbers
      pemisah: ";"          # CSV field separator; default: detected (, or ;)
    tabel:
      pegawai:
        file: "Data Pegawai SIASN.xlsx"   # file name in the data folder (optional)
        sheet: "Pegawai"                  # XLSX sheet (optional; default the first)
        kolom:                            # export header -> canonical column
          "NIP Baru": nip
          "Unit Kerja": opd
          "Gol. Akhir": golongan
        nilai:                            # value labels -> canonical values, per column
          jenis_kelamin: {"Laki-laki": L, "Perempuan": P}
        format: {tanggal: "%d-%m-%Y"}     # per-table override of the format block

See ``data/README.md`` for a worked example.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kinerja_analysis.core.errors import DatasetError
from kinerja_analysis.data.contract import TABLES


@dataclass(frozen=True)
class FormatSpec:
    """How values are written in the source files."""

    tanggal: str = "%Y-%m-%d"
    desimal: str = "."
    ribuan: str = ""
    pemisah: str | None = None

    def merged(self, override: Mapping[str, Any] | None) -> FormatSpec:
        if not override:
            return self
        values = {**self.__dict__, **{k: v for k, v in override.items() if v is not None}}
        return FormatSpec(**values)


@dataclass(frozen=True)
class TableMapping:
    """Mapping of one canonical table."""

    file: str | None = None
    sheet: str | int | None = None
    kolom: Mapping[str, str] = field(default_factory=dict)
    nilai: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    format: FormatSpec = field(default_factory=FormatSpec)


@dataclass(frozen=True)
class ColumnMapping:
    """A whole mapping file; :meth:`for_table` gives one table's mapping."""

    format: FormatSpec = field(default_factory=FormatSpec)
    tabel: Mapping[str, TableMapping] = field(default_factory=dict)
    source_text: str = ""

    def for_table(self, name: str) -> TableMapping:
        return self.tabel.get(name, TableMapping(format=self.format))


_TOP_KEYS = {"format", "tabel"}
_TABLE_KEYS = {"file", "sheet", "kolom", "nilai", "format"}
_FORMAT_KEYS = set(FormatSpec.__dataclass_fields__)


def _check_keys(where: str, got: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(got) - allowed)
    if unknown:
        raise DatasetError(f"{where}: kunci tidak dikenal {unknown}; yang boleh: {sorted(allowed)}")


def _as_mapping(where: str, value: Any) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise DatasetError(f"{where}: harus berupa pemetaan (key: value), bukan {value!r}")
    return value


def read_mapping(path: str | Path | None) -> ColumnMapping:
    """Read and check a YAML column-mapping file (``None`` → identity mapping)."""
    if path is None:
        return ColumnMapping()
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"File pemetaan kolom tidak ditemukan: {path.name}")
    text = path.read_text(encoding="utf-8")
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise DatasetError(f"{path.name}: YAML tidak valid: {exc}") from exc
    raw = _as_mapping(path.name, raw)
    _check_keys(path.name, raw, _TOP_KEYS)
    fmt_raw = _as_mapping(f"{path.name}: format", raw.get("format"))
    _check_keys(f"{path.name}: format", fmt_raw, _FORMAT_KEYS)
    base = FormatSpec().merged(fmt_raw)
    tables: dict[str, TableMapping] = {}
    for name, spec in _as_mapping(f"{path.name}: tabel", raw.get("tabel")).items():
        where = f"{path.name}: tabel.{name}"
        if name not in TABLES:
            raise DatasetError(f"{where}: tabel tidak dikenal; yang ada: {list(TABLES)}")
        spec = _as_mapping(where, spec)
        _check_keys(where, spec, _TABLE_KEYS)
        kolom = {
            str(k): str(v) for k, v in _as_mapping(f"{where}.kolom", spec.get("kolom")).items()
        }
        nilai = {
            str(col): {str(k): str(v) for k, v in _as_mapping(f"{where}.nilai.{col}", m).items()}
            for col, m in _as_mapping(f"{where}.nilai", spec.get("nilai")).items()
        }
        fmt_t = _as_mapping(f"{where}.format", spec.get("format"))
        _check_keys(f"{where}.format", fmt_t, _FORMAT_KEYS)
        tables[name] = TableMapping(
            file=spec.get("file"),
            sheet=spec.get("sheet"),
            kolom=kolom,
            nilai=nilai,
            format=base.merged(fmt_t),
        )
    return ColumnMapping(format=base, tabel=tables, source_text=text)
