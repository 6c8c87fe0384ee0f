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
        sheet: "Pegawai"                  # XLSX sheet, read alone (optional; default: the
                                          # best match and every sheet of the same columns)
        kolom:                            # export header -> canonical column
          "NIP Baru": nip
          "Unit Kerja": opd
          "Gol. Akhir": golongan
        nilai:                            # value labels -> canonical values, per column
          jenis_kelamin: {"Laki-laki": L, "Perempuan": P}
        format: {tanggal: "%d-%m-%Y"}     # per-table override of the format block
        abaikan: ["Sub Unit Kerja"]       # export headers this table does not read

Headers are matched exactly first, then loosely (case, spaces, ``_`` and ``.`` ignored);
several export headers may map to one canonical column (synonyms: the one present is
used). A header under ``abaikan`` is never read, whatever ``kolom`` (or the preset)
maps it to: the way to choose one of two columns a preset maps to the same canonical
column (``Unit Kerja`` and ``Perangkat Daerah`` both → ``opd``), or to silence the
warning about an unused header that looks like a missing column. Number settings apply to cells written as **text** only: a cell that is a number
in an XLSX or Parquet file is used as it is and never re-parsed.

Presets (``kinerja_analysis/data/presets/*.yaml``) describe the shipped e-Kinerja (BKN)
and SIASN layouts; :func:`read_mapping` accepts a preset's name in place of a path.
See ``data/README.md`` for the worked examples.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import yaml

from kinerja_analysis.core.errors import DatasetError
from kinerja_analysis.core.text import Bahasa
from kinerja_analysis.data.contract import TABLES
from kinerja_analysis.data.messages import message
from kinerja_analysis.data.readers import normalise_header


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
        return replace(self, **given, declared=self.declared | frozenset(given))


@dataclass(frozen=True)
class TableMapping:
    """Mapping of one canonical table."""

    file: str | None = None
    #: The sheet (name, ``#n`` its place from 1, or a number from 0), or several as a
    #: tuple, read and stacked; ``None``: the best sheet and its parts.
    sheet: str | int | tuple[str | int, ...] | None = None
    kolom: Mapping[str, str] = field(default_factory=dict)
    nilai: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    format: FormatSpec = field(default_factory=FormatSpec)
    #: Export headers this table does not read (matched as ``kolom``'s headers are).
    abaikan: tuple[str, ...] = ()


@dataclass(frozen=True)
class ColumnMapping:
    """A whole mapping file; :meth:`for_table` gives one table's mapping."""

    format: FormatSpec = field(default_factory=FormatSpec)
    tabel: Mapping[str, TableMapping] = field(default_factory=dict)
    source_text: str = ""
    #: The shipped preset the mapping is or builds on (``dasar``), else ``None``.
    dasar: str | None = None

    def for_table(self, name: str) -> TableMapping:
        return self.tabel.get(name, TableMapping(format=self.format))


_TOP_KEYS = {"format", "tabel", "dasar"}
_TABLE_KEYS = {"file", "sheet", "kolom", "nilai", "format", "abaikan"}
#: Values of ``kolom`` that mean "do not read this header": said to belong in ``abaikan``.
_IGNORE_WORDS = {"abaikan", "-", "ignore", "skip", "none", "null", "tidak", "kosong"}
_FORMAT_KEYS = set(FormatSpec.__dataclass_fields__) - {"declared"}
_PRESET_DIR = Path(__file__).parent / "presets"
_DECIMALS = (".", ",")
_THOUSANDS = ("", ".", ",", " ", "'", "\u00a0")


def presets() -> list[str]:
    """Names of the shipped mapping presets (``siasn``, ``ekinerja_bkn``)."""
    return sorted(p.stem for p in _PRESET_DIR.glob("*.yaml"))


@functools.cache
def preset_synonyms(table: str) -> dict[str, tuple[str, ...]]:
    """Every export header the shipped presets map to a column of ``table``:
    ``{canonical column: headers}`` (what a header that no mapping knows is compared
    with, to tell which missing column it may be)."""
    out: dict[str, list[str]] = {}
    for name in presets():
        for header, canon in read_mapping(preset_path(name)).for_table(table).kolom.items():
            out.setdefault(canon, []).append(header)
    return {k: tuple(v) for k, v in out.items()}


def preset_path(name: str, bahasa: Bahasa = "id") -> Path:
    """Path of a shipped preset; ``DatasetError`` names the presets that exist.

    Only the names :func:`presets` lists are accepted: a name is never used as a path
    (``../../x`` or ``/etc/x`` is refused).
    """
    if not isinstance(name, str) or name not in presets():
        raise DatasetError(
            message("pemetaan_preset_tidak_ada", bahasa, nama=repr(name), ada=presets())
        )
    return _PRESET_DIR / f"{name}.yaml"


class _Problems:
    """Every problem in one mapping file, reported together (one line per bad key)."""

    def __init__(self, file: str, bahasa: Bahasa) -> None:
        self.file, self.bahasa, self.lines = file, bahasa, []

    def add(self, key: str, value: Any, expected: str, **fields: Any) -> None:
        """``key`` has a bad ``value``; ``expected`` (a message key) says what fits."""
        harapan = message(expected, self.bahasa, **fields)
        self._line("pemetaan_nilai", key, nilai=_show(value), harapan=harapan)

    def unknown(self, key: str, allowed: set[str]) -> None:
        """``key`` is not one of ``allowed``."""
        self._line("pemetaan_kunci_asing", key, boleh=", ".join(sorted(allowed)))

    def _line(self, kind: str, key: str, **fields: Any) -> None:
        self.lines.append(message(kind, self.bahasa, file=self.file, kunci=key, **fields))

    def raise_if_any(self) -> None:
        """One problem: its line; several: a count, then one indented item each."""
        if len(self.lines) == 1:
            raise DatasetError(self.lines[0])
        if self.lines:
            head = message("pemetaan_masalah", self.bahasa, file=self.file, n=len(self.lines))
            raise DatasetError(head + "".join(f"\n  - {line}" for line in self.lines))


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) and value is not None


def _mapping(p: _Problems, key: str, value: Any) -> Mapping[str, Any]:
    """``value`` as a mapping; anything else is a problem (and treated as empty)."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        p.add(key, value, "harapan_pemetaan")
        return {}
    return value


def _keys(p: _Problems, where: str, got: Mapping[Any, Any], allowed: set[str]) -> None:
    for k in got:
        if not isinstance(k, str) or k not in allowed:
            p.unknown(f"{where}{k}" if isinstance(k, str) else f"{where}{k!r}", allowed)


def _check_format(p: _Problems, where: str, fmt: Mapping[str, Any]) -> dict[str, Any]:
    """The valid settings of one ``format`` block; each invalid one is a problem."""
    _keys(p, where, fmt, _FORMAT_KEYS)
    ok: dict[str, Any] = {}
    for key, value in fmt.items():
        if value is None or key not in _FORMAT_KEYS:
            continue
        name = f"{where}{key}"
        if key == "tanggal":
            if not isinstance(value, str) or "%" not in value:
                p.add(name, value, "harapan_tanggal")
                continue
        elif key == "desimal":
            if not isinstance(value, str) or value not in _DECIMALS:
                p.add(name, value, "harapan_desimal")
                continue
        elif key == "ribuan":
            if not isinstance(value, str) or value not in _THOUSANDS:
                p.add(name, value, "harapan_ribuan")
                continue
        elif key == "pemisah":
            if not isinstance(value, str) or len(value) != 1 or value in '\r\n"':
                p.add(name, value, "harapan_pemisah")
                continue
        elif key == "encoding":
            try:  # str.encode refuses the non-text codecs (rot13, base64, …)
                ok_codec = isinstance(value, str) and bool("a".encode(value))
            except (LookupError, UnicodeError):
                ok_codec = False
            if not ok_codec:
                p.add(name, value, "harapan_encoding")
                continue
        elif key == "baris_header":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                p.add(name, value, "harapan_baris_header")
                continue
        ok[key] = value
    if (
        isinstance(ok.get("desimal"), str)
        and isinstance(ok.get("ribuan"), str)
        and ok["desimal"] == ok["ribuan"]
    ):
        p.add(f"{where}ribuan", ok["ribuan"], "harapan_ribuan_beda")
        del ok["ribuan"]
    return ok


def _inside_folder(value: str) -> bool:
    """A relative path that stays inside the data folder (no ``..`` above it)."""
    if not value or "\x00" in value or "://" in value:
        return False
    for pure in (PurePosixPath(value), PureWindowsPath(value)):
        if pure.is_absolute() or pure.drive or pure.anchor:
            return False
    depth = 0
    for part in re.split(r"[\\/]+", value):
        if part == "..":
            depth -= 1
            if depth < 0:
                return False
        elif part not in ("", "."):
            depth += 1
    return depth > 0


def _check_table(
    p: _Problems, name: str, spec: Mapping[str, Any], base: FormatSpec
) -> TableMapping | None:
    where = f"tabel.{name}."
    _keys(p, where, spec, _TABLE_KEYS)
    file, sheet = spec.get("file"), spec.get("sheet")
    if file is not None:
        if not isinstance(file, str) or not file.strip():
            p.add(f"{where}file", file, "harapan_file")
            file = None
        elif not _inside_folder(file):
            p.add(f"{where}file", file, "harapan_file_dalam")
            file = None

    def one_sheet(x: object) -> bool:
        return not isinstance(x, bool) and (
            (isinstance(x, int) and x >= 0) or (isinstance(x, str) and bool(x.strip()))
        )

    if isinstance(sheet, list) and sheet and all(one_sheet(x) for x in sheet):
        sheet = tuple(sheet)  # several sheets, read and stacked in the order given
    elif sheet is not None and not one_sheet(sheet):
        p.add(f"{where}sheet", sheet, "harapan_sheet")
        sheet = None
    known = {c.name for c in TABLES[name].columns}
    kolom: dict[str, str] = {}
    for src, dst in _mapping(p, f"{where}kolom", spec.get("kolom")).items():
        hint = message("saran_abaikan", p.bahasa, tabel=name, header=_yaml_text(src))
        if not _scalar(src) or not isinstance(dst, str) or not dst.strip():
            p.add(f"{where}kolom.{src}", dst, "harapan_kolom_tujuan", saran=hint)
        elif dst not in known and not TABLES[name].wide_items:
            extra = hint if dst.strip().lower() in _IGNORE_WORDS else ""
            p.add(
                f"{where}kolom.{src}",
                dst,
                "harapan_kolom_kontrak",
                ada=", ".join(sorted(known)),
                saran=extra,
            )
        else:
            kolom[str(src)] = dst
    abaikan = _check_ignored(p, name, spec.get("abaikan"))
    nilai: dict[str, dict[str, str]] = {}
    for col, labels in _mapping(p, f"{where}nilai", spec.get("nilai")).items():
        labels = _mapping(p, f"{where}nilai.{col}", labels)
        for k, v in labels.items():
            if not _scalar(k) or not _scalar(v):
                p.add(f"{where}nilai.{col}.{k}", v, "harapan_label")
            else:
                nilai.setdefault(str(col), {})[str(k)] = str(v)
    fmt = _check_format(p, f"{where}format.", _mapping(p, f"{where}format", spec.get("format")))
    return TableMapping(
        file=file, sheet=sheet, kolom=kolom, nilai=nilai, format=base.merged(fmt), abaikan=abaikan
    )


def _yaml_text(value: Any) -> str:
    """``value`` as a double-quoted YAML scalar (a JSON string is one), for a message that
    shows the line to write."""
    return json.dumps(str(value), ensure_ascii=False)


def _check_ignored(p: _Problems, name: str, value: Any) -> tuple[str, ...]:
    """The headers of ``tabel.<name>.abaikan``: a list of non-empty header texts (numbers
    are taken as their text, as a header cell holding ``2024``); anything else is a
    problem naming the expected form."""
    key = f"tabel.{name}.abaikan"
    if value is None:
        return ()
    if not isinstance(value, list | tuple):
        contoh = _yaml_text(value) if isinstance(value, str) and value.strip() else None
        p.add(key, value, "harapan_abaikan", tabel=name, contoh=contoh or '"Unit Kerja"')
        return ()
    out: list[str] = []
    for i, item in enumerate(value):
        if isinstance(item, bool) or not _scalar(item) or not str(item).strip():
            p.add(f"{key}[{i}]", item, "harapan_abaikan", tabel=name, contoh='"Unit Kerja"')
        else:
            out.append(str(item).strip())
    return tuple(dict.fromkeys(out))


def _own_conflicts(p: _Problems, raw: Mapping[str, Any]) -> None:
    """A header the mapping file itself both maps (``kolom``) and ignores (``abaikan``)
    in one table is a problem: which one is meant cannot be told. (A header of the
    preset's ``kolom`` under the file's ``abaikan`` is what ``abaikan`` is for.)"""
    tabel = raw.get("tabel")
    if not isinstance(tabel, Mapping):
        return
    for name, spec in tabel.items():
        if not isinstance(spec, Mapping):
            continue
        kolom, abaikan = spec.get("kolom"), spec.get("abaikan")
        if not isinstance(kolom, Mapping) or not isinstance(abaikan, list | tuple):
            continue
        ignored = {normalise_header(a) for a in abaikan if _scalar(a)}
        for src in kolom:
            if _scalar(src) and normalise_header(src) in ignored:
                p.add(f"tabel.{name}.abaikan", str(src), "harapan_abaikan_kolom", tabel=name)


def read_mapping(path: str | Path | None, bahasa: Bahasa = "id") -> ColumnMapping:
    """Read and check a YAML column-mapping file (``None`` → identity mapping).

    ``path`` may also be the name of a shipped preset (:func:`presets`). A file with
    ``dasar: <preset>`` starts from that preset: its ``format`` block and, table by
    table, ``file``/``sheet``/``format`` override the preset's, ``kolom`` and ``nilai``
    are added to the preset's.

    The whole file is checked before anything is read: every key with a value of the
    wrong type or outside its allowed values is named, with the value and what is
    expected, in one error (e.g. ``format.desimal: [','] …``). ``tabel.<t>.file`` must
    be a relative path inside the data folder (no absolute path, no ``..`` above it, no
    URL); ``dasar`` must be a shipped preset's name.

    Raises
    ------
    DatasetError
        The file does not exist, is not valid YAML, or has problems (all of them named,
        one line each, in ``bahasa``).
    """
    if path is None:
        return ColumnMapping()
    if isinstance(path, str) and path in presets() and not Path(path).exists():
        path = preset_path(path, bahasa)
    given = str(path)
    path = Path(path)
    if not path.is_file():
        if path.suffix.lower() not in (".yaml", ".yml") and len(path.parts) == 1:
            # a bare word: meant as a preset's name
            raise DatasetError(
                message("pemetaan_preset_tidak_ada", bahasa, nama=given, ada=", ".join(presets()))
            )
        raise DatasetError(message("pemetaan_tidak_ada", bahasa, file=given))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DatasetError(
            message("pemetaan_utf8", bahasa, file=path.name, alasan=exc.reason)
        ) from exc
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise DatasetError(
            message("pemetaan_yaml", bahasa, file=path.name, alasan=str(exc))
        ) from exc
    preset = path.stem if path.resolve().parent == _PRESET_DIR.resolve() else None
    p = _Problems(path.name, bahasa)
    if not isinstance(raw, Mapping):
        p.add("(file)", raw, "harapan_pemetaan")
        p.raise_if_any()
    _keys(p, "", raw, _TOP_KEYS)
    own = raw
    dasar = raw.get("dasar")
    if dasar is not None:
        if not isinstance(dasar, str) or dasar not in presets():
            p.add("dasar", dasar, "harapan_dasar", ada=", ".join(presets()))
        else:
            p.raise_if_any()
            base_map = read_mapping(preset_path(dasar, bahasa), bahasa)
            # the user's blocks are checked below as they are laid over the preset's
            for block in ("format", "tabel"):
                _mapping(p, block, raw.get(block))
            p.raise_if_any()
            raw = _overlay(base_map, raw)
            text = base_map.source_text + "\n" + text
            preset = dasar
    fmt_raw = _check_format(p, "format.", _mapping(p, "format", raw.get("format")))
    base = FormatSpec().merged(fmt_raw)
    tables: dict[str, TableMapping] = {}
    for name, spec in _mapping(p, "tabel", raw.get("tabel")).items():
        if name not in TABLES:
            p.add(f"tabel.{name}", name, "harapan_tabel", ada=", ".join(TABLES))
            continue
        tm = _check_table(p, name, _mapping(p, f"tabel.{name}", spec), base)
        if tm is not None:
            tables[name] = tm
    _own_conflicts(p, own)
    p.raise_if_any()
    return ColumnMapping(format=base, tabel=tables, source_text=text, dasar=preset)


def _as_mapping(value: Any) -> Any:
    """``value`` if it is a mapping (``None`` → ``{}``); anything else is kept as it is,
    for the schema check to name it."""
    return {} if value is None else value


def _merge(a: Any, b: Any) -> Any:
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return {**a, **b}
    return b if b is not None else a


def _merge_ignored(base: Any, own: Any, own_kolom: Any) -> Any:
    """The preset's ``abaikan`` with the file's added; a header the file maps in its own
    ``kolom`` is read, not ignored, even when the preset ignores it (SIASN's
    ``TMT_PENSIUN``). A value of the wrong type is kept for the schema check."""
    if own is not None and not isinstance(own, list | tuple):
        return own
    mapped = (
        {normalise_header(k) for k in own_kolom if _scalar(k)}
        if isinstance(own_kolom, Mapping)
        else set()
    )
    kept = [h for h in (base or ()) if normalise_header(h) not in mapped]
    return [*kept, *(own or ())]


def _overlay(base: ColumnMapping, raw: Mapping[str, Any]) -> dict[str, Any]:
    """A raw mapping ``raw`` laid over the parsed preset ``base`` (see :func:`read_mapping`);
    values of the wrong type are kept for the schema check to report."""
    fmt = {k: v for k, v in base.format.__dict__.items() if k in base.format.declared}
    fmt = _merge(fmt, raw.get("format"))
    tabel: dict[str, Any] = {}
    for name, tm in base.tabel.items():
        tabel[name] = {
            "file": tm.file,
            "sheet": tm.sheet,
            "kolom": dict(tm.kolom),
            "nilai": {k: dict(v) for k, v in tm.nilai.items()},
            "abaikan": list(tm.abaikan),
            "format": {
                k: v
                for k, v in tm.format.__dict__.items()
                if k in tm.format.declared - base.format.declared
            },
        }
    user_tables = _as_mapping(raw.get("tabel"))
    if not isinstance(user_tables, Mapping):
        return {"format": fmt, "tabel": user_tables}
    for name, spec in user_tables.items():
        if not isinstance(spec, Mapping):
            tabel[name] = spec
            continue
        cur = tabel.setdefault(name, {"kolom": {}, "nilai": {}, "format": {}})
        for key in ("file", "sheet"):
            if key in spec:
                cur[key] = spec[key]
        cur["kolom"] = _merge(cur.get("kolom", {}), spec.get("kolom"))
        cur["abaikan"] = _merge_ignored(cur.get("abaikan"), spec.get("abaikan"), spec.get("kolom"))
        nilai = cur.get("nilai", {})
        user_nilai = spec.get("nilai")
        if isinstance(user_nilai, Mapping):
            nilai = {k: dict(v) for k, v in nilai.items()}
            for col, labels in user_nilai.items():
                nilai[col] = _merge(nilai.get(col, {}), labels)
        elif user_nilai is not None:
            nilai = user_nilai
        cur["nilai"] = nilai
        cur["format"] = _merge(cur.get("format", {}), spec.get("format"))
        for key in spec:
            if key not in _TABLE_KEYS:
                cur[key] = spec[key]  # unknown: reported by the schema check
    return {"format": fmt, "tabel": tabel}
