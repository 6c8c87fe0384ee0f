"""Column-mapping files: how a real export (e-Kinerja, SIASN, a spreadsheet) maps onto
the canonical tables.

A mapping is a YAML file::

    dasar: siasn            # start from a shipped preset (optional): siasn, ekinerja_bkn
    format:                 # how values are written in the export (all optional)
      tanggal: "%d/%m/%Y"   # date format (strftime codes); default ISO YYYY-MM-DD
      desimal: ","          # decimal mark of numbers written as text; default: detected, else "."
      ribuan: "."           # thousands separator of numbers written as text; default: detected
      pemisah: ";"          # CSV field separator; default: detected (, ; tab |)
      encoding: "utf-8"     # CSV encoding; default: detected (UTF-8, UTF-16, Windows-1252)
      baris_header: 3       # row of the header (1 = first); default: detected
    tabel:
      pegawai:
        file: "Data Pegawai SIASN.xlsx"   # file name in the data folder (optional)
        sheet: "Pegawai"                  # XLSX sheet (optional; default: best match)
        kolom:                            # export header -> canonical column
          "NIP Baru": nip
          "Unit Kerja": opd
          "Gol. Akhir": golongan
        nilai:                            # value labels -> canonical values, per column
          jenis_kelamin: {"Laki-laki": L, "Perempuan": P}
        format: {tanggal: "%d-%m-%Y"}     # per-table override of the format block

Headers are matched exactly first, then loosely (case, spaces, ``_`` and ``.`` ignored);
several export headers may map to one canonical column (synonyms: the one present is
used). Number settings apply to cells written as **text** only: a cell that is a number
in an XLSX or Parquet file is used as it is and never re-parsed.

Presets (``kinerja_analysis/data/presets/*.yaml``) describe the shipped e-Kinerja (BKN)
and SIASN layouts; :func:`read_mapping` accepts a preset's name in place of a path.
See ``data/README.md`` for the worked examples.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kinerja_analysis.core.checks import check_keys
from kinerja_analysis.core.errors import DatasetError
from kinerja_analysis.data.contract import TABLES


@dataclass(frozen=True)
class FormatSpec:
    """How values are written in the source files.

    ``declared`` names the settings given in the mapping; the others are detected from
    the file where that is possible (decimal mark, thousands separator, delimiter,
    encoding, header row) and the validation summary says which.
    """

    tanggal: str = "%Y-%m-%d"
    desimal: str = "."
    ribuan: str = ""
    pemisah: str | None = None
    encoding: str | None = None
    baris_header: int | None = None
    declared: frozenset[str] = frozenset()

    def merged(self, override: Mapping[str, Any] | None) -> FormatSpec:
        if not override:
            return self
        given = {k: v for k, v in override.items() if v is not None and k != "declared"}
        values = {**self.__dict__, **given}
        values["declared"] = self.declared | frozenset(given)
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


_TOP_KEYS = {"format", "tabel", "dasar"}
_TABLE_KEYS = {"file", "sheet", "kolom", "nilai", "format"}
_FORMAT_KEYS = set(FormatSpec.__dataclass_fields__) - {"declared"}
_PRESET_DIR = Path(__file__).parent / "presets"


def presets() -> list[str]:
    """Names of the shipped mapping presets (``siasn``, ``ekinerja_bkn``)."""
    return sorted(p.stem for p in _PRESET_DIR.glob("*.yaml"))


def preset_path(name: str) -> Path:
    """Path of a shipped preset; ``DatasetError`` names the presets that exist."""
    path = _PRESET_DIR / f"{name}.yaml"
    if not path.is_file():
        raise DatasetError(f"Preset pemetaan '{name}' tidak ada; yang ada: {presets()}")
    return path


def _check_keys(where: str, got: Mapping[str, Any], allowed: set[str]) -> None:
    check_keys(where, got, allowed, DatasetError)


def _as_mapping(where: str, value: Any) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise DatasetError(f"{where}: harus berupa pemetaan (key: value), bukan {value!r}")
    return value


def read_mapping(path: str | Path | None) -> ColumnMapping:
    """Read and check a YAML column-mapping file (``None`` → identity mapping).

    ``path`` may also be the name of a shipped preset (:func:`presets`). A file with
    ``dasar: <preset>`` starts from that preset: its ``format`` block and, table by
    table, ``file``/``sheet``/``format`` override the preset's, ``kolom`` and ``nilai``
    are added to the preset's.

    Raises
    ------
    DatasetError
        The file does not exist, is not valid YAML, or has an unknown key (named).
    """
    if path is None:
        return ColumnMapping()
    if isinstance(path, str) and path in presets() and not Path(path).exists():
        path = preset_path(path)
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"File pemetaan kolom tidak ditemukan: {path.name}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path.name}: file pemetaan harus UTF-8 ({exc.reason})") from exc
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise DatasetError(f"{path.name}: YAML tidak valid: {exc}") from exc
    raw = _as_mapping(path.name, raw)
    _check_keys(path.name, raw, _TOP_KEYS)
    if raw.get("dasar") is not None:
        base_map = read_mapping(preset_path(str(raw["dasar"])))
        raw = _overlay(base_map, raw)
        text = base_map.source_text + "\n" + text
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
        known = {c.name for c in TABLES[name].columns}
        unknown = sorted({v for v in kolom.values() if v not in known})
        if unknown and not TABLES[name].wide_items:
            raise DatasetError(
                f"{where}.kolom: kolom tujuan tidak ada dalam kontrak: {unknown}; "
                f"yang ada: {sorted(known)}"
            )
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


def _overlay(base: ColumnMapping, raw: Mapping[str, Any]) -> dict[str, Any]:
    """A raw mapping ``raw`` laid over the parsed preset ``base`` (see :func:`read_mapping`)."""
    fmt = {k: v for k, v in base.format.__dict__.items() if k in base.format.declared}
    fmt.update(_as_mapping("format", raw.get("format")))
    tabel: dict[str, Any] = {}
    for name, tm in base.tabel.items():
        tabel[name] = {
            "file": tm.file,
            "sheet": tm.sheet,
            "kolom": dict(tm.kolom),
            "nilai": {k: dict(v) for k, v in tm.nilai.items()},
            "format": {
                k: v
                for k, v in tm.format.__dict__.items()
                if k in tm.format.declared - base.format.declared
            },
        }
    for name, spec in _as_mapping("tabel", raw.get("tabel")).items():
        spec = _as_mapping(f"tabel.{name}", spec)
        cur = tabel.setdefault(name, {"kolom": {}, "nilai": {}, "format": {}})
        for key in ("file", "sheet"):
            if key in spec:
                cur[key] = spec[key]
        cur["kolom"] = {**cur.get("kolom", {}), **_as_mapping("kolom", spec.get("kolom"))}
        nilai = {k: dict(v) for k, v in cur.get("nilai", {}).items()}
        for col, labels in _as_mapping("nilai", spec.get("nilai")).items():
            nilai[col] = {**nilai.get(col, {}), **_as_mapping(f"nilai.{col}", labels)}
        cur["nilai"] = nilai
        cur["format"] = {**cur.get("format", {}), **_as_mapping("format", spec.get("format"))}
        for key in spec:
            if key not in _TABLE_KEYS:
                cur[key] = spec[key]  # unknown: reported by the caller's key check
    return {"format": fmt, "tabel": tabel}
