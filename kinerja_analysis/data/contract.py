"""The data contract: canonical tables, their columns and allowed values.

The contract itself is data: ``kinerja_analysis/data/contract.yaml`` (:data:`CONTRACT_FILE`),
which a pemda analyst can read without Python. This module reads it once, checks its shape
(:func:`read_contract`; every problem named with the file and the entry, in one
:class:`ContractError`) and exposes it as :class:`Table`/:class:`Column` objects and named
vocabularies. It is the single source of truth for table and column names: the loader and
its validation (:mod:`kinerja_analysis.data.loading`, :mod:`kinerja_analysis.data.validation`),
the pandera schemas (:mod:`kinerja_analysis.data.schemas`), the synthetic generator and
``data/README.md`` all follow it.

Who is an ASN (UU 20/2023): a PNS or a PPPK (``status_kepegawaian``: ``pns``, ``pppk``,
``pppk_paruh_waktu``). PNS grades are ``I/a`` … ``IV/e`` (PP 11/2017), PPPK grades ``I`` …
``XVII`` (Perpres 98/2020). The official e-Kinerja record per employee and period
(PermenPAN-RB 6/2022) is the table ``penilaian_resmi``; a dataset needs ``skp`` (numeric
results) or ``penilaian_resmi`` (official ratings), or both.

Every vocabulary of the file is also a module constant named in capitals (the file's
comments give each one's regulation): ``BERAKHLAK`` (the seven core values rated in
``perilaku``), ``PERAN_PENILAI``, ``ASPEK_SKP``, ``JENIS_JABATAN``, ``GOLONGAN`` (PNS) and
``GOLONGAN_PPPK`` (ranked alike in :data:`GOLONGAN_RANK`), ``STATUS_KEPEGAWAIAN``,
``RATING`` and ``PREDIKAT`` (worst first; equal to
``kinerja_analysis.domain.ratings.RATING_ORDER`` and
``kinerja_analysis.domain.predikat.PREDIKAT_ORDER``, tested), ``JENIS_PELATIHAN``,
``METODE_PELATIHAN``, ``SUMBER_PELATIHAN``, ``PEMBERI_UMPAN_BALIK``,
``BENTUK_UMPAN_BALIK`` and ``IKM_UNSUR`` (the columns ``u1`` … ``u9`` of ``layanan``).

>>> from kinerja_analysis.data.contract import BERAKHLAK, TABLES, VOCABULARIES
>>> BERAKHLAK[:2]
('berorientasi_pelayanan', 'akuntabel')
>>> VOCABULARIES["berakhlak"] == BERAKHLAK
True
>>> TABLES["perilaku"].column("skor")
Column(name='skor', kind='int', required=True, nullable=False, allowed=None, low=1, high=5, doc='', may_be_nip=False, codes=None, published=False)
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

#: The file the contract is read from (shipped as package data).
CONTRACT_FILE = Path(__file__).with_name("contract.yaml")
#: Column kinds: how a cell is parsed and checked.
KINDS: tuple[str, ...] = ("nip", "str", "category", "int", "float", "date", "periode", "bool")


@dataclass(frozen=True)
class Column:
    """One column of a canonical table.

    ``kind`` is one of :data:`KINDS`. ``allowed`` lists allowed values for categories;
    ``low``/``high`` bound numbers (inclusive).

    A bad value in a ``required`` column that is not ``nullable`` rejects its row; in a
    nullable or optional column it is a warning and the cell is left empty, so one
    mangled optional value (a supervisor's NIP) never sets the employee aside.

    ``may_be_nip`` marks a text column that holds an employee's NIP or another id (a
    rater id): a value written with separators is read as that NIP when removing them
    leaves a NIP of the employee table; any other value is kept as written.

    ``codes`` (contract key ``codes: <vocabulary>``) marks an open text column some of
    whose values name a vocabulary's codes (a training's target competency: a BerAKHLAK
    value or another competency): a value that is one of those codes written as exports
    write it (``Berorientasi Pelayanan``, ``KOMPETEN``, ``kolaboratif``) is read as the
    code; any other value is kept as written.

    ``published`` marks a text column whose values a stakeholder document shows as
    written (an OPD's name, a survey item's text): a value that holds an employee's NIP
    or name rejects its row (:func:`kinerja_analysis.data.rules.personal_data`); in any
    other text column it is a warning.
    """

    name: str
    kind: str
    required: bool = True
    nullable: bool = False
    allowed: tuple[str, ...] | None = None
    low: float | None = None
    high: float | None = None
    doc: str = ""
    may_be_nip: bool = False
    codes: tuple[str, ...] | None = None
    published: bool = False


@dataclass(frozen=True)
class Table:
    """A canonical table: its name, grain, columns and the key that must be unique."""

    name: str
    grain: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    required: bool = True
    wide_items: bool = False  # survei: one extra column per instrument item
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


@dataclass(frozen=True)
class Contract:
    """The whole contract as read from one file.

    ``tables`` in load order (references point only to earlier tables); ``vocabularies``
    maps a name (``"berakhlak"``) to its values in the file's order; ``period_tables``
    are the tables that carry the evaluation periods (a dataset needs one of them).
    """

    tables: dict[str, Table]
    vocabularies: dict[str, tuple[str, ...]]
    period_tables: tuple[str, ...]


class ContractError(ValueError):
    """The contract file is malformed. ``problems`` holds one line per bad entry, each
    naming the entry (``tables.pegawai.columns.golongan``); the message names the file."""

    def __init__(self, path: str | os.PathLike, problems: list[str]) -> None:
        self.path, self.problems = str(path), list(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"data contract {self.path}: {len(self.problems)} problem(s)\n{lines}")


_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_TOP_KEYS = ("vocabularies", "period_tables", "tables")
_TABLE_KEYS = ("grain", "key", "required", "wide_items", "notes", "columns")
_COLUMN_KEYS = (
    "kind", "required", "nullable", "allowed", "vocabulary", "low", "high", "doc", "may_be_nip",
    "codes", "published",
)  # fmt: skip
_NUMERIC = ("int", "float")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML's safe loader that records a key given twice in one mapping (plain YAML
    keeps the last one silently, which would drop a column or a vocabulary unseen)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[str] = []

    def construct_mapping(self, node, deep=False):  # PyYAML's signature
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key, line = self.construct_object(key_node), key_node.start_mark.line + 1
            if key in seen:
                self.duplicates.append(
                    f"line {line}: {key!r} given twice (first on line {seen[key]})"
                )
            else:
                seen[key] = line
        return super().construct_mapping(node, deep=deep)


class _Checker:
    """Turns the parsed YAML into contract objects, collecting every problem."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def bad(self, where: str, what: str) -> None:
        self.problems.append(f"{where}: {what}")

    def mapping(self, value: Any, where: str) -> dict[str, Any]:
        if value is None:
            self.bad(where, "missing or empty")
            return {}
        if not isinstance(value, dict):
            self.bad(where, f"must be a mapping of names to entries, not {_shown(value)}")
            return {}
        out = {}
        for k, v in value.items():
            if not isinstance(k, str) or not _NAME.match(k):
                self.bad(f"{where}.{k}", "a name must be lowercase letters, digits and '_'")
            else:
                out[k] = v
        return out

    def known_keys(self, entry: dict, allowed: tuple[str, ...], where: str) -> None:
        for k in entry:
            if k not in allowed:
                self.bad(
                    f"{where}.{k}" if where else str(k),
                    f"unknown key (known: {', '.join(allowed)})",
                )

    def flag(self, entry: dict, key: str, default: bool, where: str) -> bool:
        value = entry.get(key, default)
        if not isinstance(value, bool):
            self.bad(f"{where}.{key}", f"must be true or false, not {_shown(value)}")
            return default
        return value

    def text(self, value: Any, where: str) -> str | None:
        if value is None:
            self.bad(where, "missing or empty")
            return None
        if not isinstance(value, str) or not value.strip():
            self.bad(where, f"must be a non-empty text, not {_shown(value)}")
            return None
        return value

    def texts(self, value: Any, where: str, *, what: str = "text") -> tuple[str, ...] | None:
        """A non-empty list of distinct texts (a YAML ``yes``/``no``/number not quoted
        is named here)."""
        if value is None:
            self.bad(where, "missing or empty")
            return None
        if not isinstance(value, list) or not value:
            self.bad(where, f"must be a non-empty list, not {_shown(value)}")
            return None
        ok = True
        for i, v in enumerate(value):
            if not isinstance(v, str) or not v.strip():
                self.bad(f"{where}[{i}]", f"{_shown(v)} is not a {what}: quote it in the file")
                ok = False
        dup = sorted({v for v in value if isinstance(v, str) and value.count(v) > 1})
        if dup:
            self.bad(where, f"given twice: {', '.join(map(repr, dup))}")
            ok = False
        return tuple(value) if ok else None

    def number(self, entry: dict, key: str, where: str) -> float | None:
        value = entry.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.bad(f"{where}.{key}", f"must be a number, not {_shown(value)}")
            return None
        return value

    def vocabularies(self, raw: Any) -> dict[str, tuple[str, ...] | None]:
        """Each vocabulary's values; None for one whose problems are already named."""
        return {
            name: self.texts(values, f"vocabularies.{name}")
            for name, values in self.mapping(raw, "vocabularies").items()
        }

    def column(
        self, name: str, raw: Any, vocabularies: dict[str, tuple[str, ...] | None], where: str
    ) -> Column | None:
        if not isinstance(raw, dict):
            self.bad(where, f"must be a mapping with at least 'kind', not {_shown(raw)}")
            return None
        self.known_keys(raw, _COLUMN_KEYS, where)
        kind = raw.get("kind")
        if kind not in KINDS:
            self.bad(f"{where}.kind", f"unknown kind {_shown(kind)} (kinds: {', '.join(KINDS)})")
            return None
        n = len(self.problems)
        args: dict[str, Any] = {}
        for key, default in (("required", True), ("nullable", False)):
            if key in raw:
                args[key] = self.flag(raw, key, default, where)
        allowed = self.allowed(kind, raw, vocabularies, where)
        if allowed is not None:
            args["allowed"] = allowed
        for key in ("low", "high"):
            if key in raw and kind not in _NUMERIC:
                self.bad(f"{where}.{key}", f"bounds apply to int and float, not to {kind}")
            elif key in raw:
                args[key] = self.number(raw, key, where)
        low, high = args.get("low"), args.get("high")
        if low is not None and high is not None and low > high:
            self.bad(where, f"low {low} is above high {high}")
        if "doc" in raw:
            args["doc"] = self.text(raw["doc"], f"{where}.doc")
        if "may_be_nip" in raw and kind != "str":
            self.bad(f"{where}.may_be_nip", f"applies to str columns, not to {kind}")
        elif "may_be_nip" in raw:
            args["may_be_nip"] = self.flag(raw, "may_be_nip", False, where)
        if "published" in raw and kind != "str":
            self.bad(f"{where}.published", f"applies to str columns, not to {kind}")
        elif "published" in raw:
            args["published"] = self.flag(raw, "published", False, where)
        if "codes" in raw and kind != "str":
            self.bad(f"{where}.codes", f"applies to str columns, not to {kind}")
        elif "codes" in raw:
            name_ = raw["codes"]
            if not isinstance(name_, str) or name_ not in vocabularies:
                self.bad(
                    f"{where}.codes",
                    f"must name one vocabulary, not {_shown(name_)} "
                    f"(vocabularies: {', '.join(vocabularies)})",
                )
            elif vocabularies[name_] is not None:
                args["codes"] = vocabularies[name_]
        return Column(name, kind, **args) if len(self.problems) == n else None

    def allowed(
        self, kind: str, raw: dict, vocabularies: dict[str, tuple[str, ...] | None], where: str
    ) -> tuple[str, ...] | None:
        """A category's values: ``allowed`` as a list, or ``vocabulary`` naming one or
        more vocabularies (their values in order); exactly one of the two."""
        given = [k for k in ("allowed", "vocabulary") if k in raw]
        if kind != "category":
            for k in given:
                self.bad(f"{where}.{k}", f"allowed values apply to a category, not to {kind}")
            return None
        if len(given) != 1:
            self.bad(where, "a category needs exactly one of 'allowed' and 'vocabulary'")
            return None
        if given == ["allowed"]:
            return self.texts(raw["allowed"], f"{where}.allowed")
        names = raw["vocabulary"]
        names = [names] if isinstance(names, str) else names
        got = self.texts(names, f"{where}.vocabulary", what="vocabulary name")
        if got is None:
            return None
        unknown = [v for v in got if v not in vocabularies]
        if unknown:
            self.bad(
                f"{where}.vocabulary",
                f"unknown vocabulary {', '.join(map(repr, unknown))} "
                f"(vocabularies: {', '.join(vocabularies)})",
            )
            return None
        if any(vocabularies[v] is None for v in got):
            return None  # a malformed vocabulary: named where it is declared
        values = tuple(v for name in got for v in vocabularies[name])
        dup = sorted({v for v in values if values.count(v) > 1})
        if dup:
            self.bad(f"{where}.vocabulary", f"values in more than one of them: {dup}")
            return None
        return values

    def table(
        self, name: str, raw: Any, vocabularies: dict[str, tuple[str, ...] | None]
    ) -> Table | None:
        where = f"tables.{name}"
        if not isinstance(raw, dict):
            self.bad(where, f"must be a mapping with 'grain' and 'columns', not {_shown(raw)}")
            return None
        self.known_keys(raw, _TABLE_KEYS, where)
        n = len(self.problems)
        grain = self.text(raw.get("grain"), f"{where}.grain")
        raw_columns = self.mapping(raw.get("columns"), f"{where}.columns")
        if raw.get("columns") == {}:
            self.bad(f"{where}.columns", "a table needs at least one column")
        columns = tuple(
            c
            for col, spec in raw_columns.items()
            if (c := self.column(col, spec, vocabularies, f"{where}.columns.{col}")) is not None
        )
        key: tuple[str, ...] = ()
        if "key" in raw:
            key = self.texts(raw["key"], f"{where}.key", what="column name") or ()
            missing = [k for k in key if k not in raw_columns]
            if missing:
                self.bad(f"{where}.key", f"not columns of the table: {', '.join(missing)}")
        notes: tuple[str, ...] = ()
        if "notes" in raw:
            notes = self.texts(raw["notes"], f"{where}.notes") or ()
        args: dict[str, Any] = {"key": key, "notes": notes}
        for flag, default in (("required", True), ("wide_items", False)):
            if flag in raw:
                args[flag] = self.flag(raw, flag, default, where)
        if len(self.problems) != n or grain is None:
            return None
        return Table(name, grain, columns, **args)


def _shown(value: Any) -> str:
    """A value as the message shows it (short, type named where it is not text)."""
    text = repr(value)
    text = text if len(text) <= 60 else text[:57] + "..."
    return text if isinstance(value, str) else f"{text} ({type(value).__name__})"


def read_contract(path: str | os.PathLike = CONTRACT_FILE) -> Contract:
    """Read and check a contract file (:data:`CONTRACT_FILE` by default).

    Parameters
    ----------
    path
        A YAML file shaped as ``contract.yaml`` (its header comment documents each key).

    Returns
    -------
    Contract
        Tables in the file's order, vocabularies, period tables.

    Raises
    ------
    ContractError
        Every problem of the file at once, each naming its entry: not YAML, a key given
        twice, an unknown key or kind, allowed values or a vocabulary on a column that is
        not a category, a category without values, an unknown vocabulary, bounds on a
        column that is not a number, a key column the table does not have, a period
        table that is not a table.
    OSError
        The file cannot be read.

    Examples
    --------
    >>> read_contract().period_tables
    ('skp', 'penilaian_resmi')
    """
    path = Path(path)
    loader = _Loader(path.read_text(encoding="utf-8"))
    try:
        raw = loader.get_single_data()
    except yaml.YAMLError as exc:
        raise ContractError(path, [f"not valid YAML: {exc}"]) from None
    finally:
        loader.dispose()
    check = _Checker()
    check.problems += loader.duplicates
    if not isinstance(raw, dict):
        raise ContractError(path, [*check.problems, "must be a mapping with 'tables'"])
    check.known_keys(raw, _TOP_KEYS, "")
    vocabularies = check.vocabularies(raw.get("vocabularies", {}))
    tables = {}
    declared = check.mapping(raw.get("tables"), "tables")
    for name, spec in declared.items():
        t = check.table(name, spec, vocabularies)
        if t is not None:
            tables[name] = t
    period_tables = check.texts(raw.get("period_tables"), "period_tables", what="table name")
    unknown = [t for t in period_tables or () if t not in declared]
    if unknown:
        check.bad("period_tables", f"not tables of the contract: {', '.join(unknown)}")
    if check.problems:
        raise ContractError(path, check.problems)
    return Contract(tables, {k: v for k, v in vocabularies.items() if v}, period_tables or ())


@functools.cache
def contract() -> Contract:
    """The package's contract, read from :data:`CONTRACT_FILE` once per process."""
    return read_contract(CONTRACT_FILE)


_CONTRACT = contract()

#: Named lists of allowed values, as in the contract file (``"berakhlak"`` → values).
VOCABULARIES: dict[str, tuple[str, ...]] = _CONTRACT.vocabularies
#: Rank 1–17 of every grade, PNS and PPPK alike (an ordinal covariate).
GOLONGAN_RANK: dict[str, int] = {
    **{g: i + 1 for i, g in enumerate(VOCABULARIES["golongan"])},
    **{g: i + 1 for i, g in enumerate(VOCABULARIES["golongan_pppk"])},
}


def __getattr__(name: str) -> tuple[str, ...]:
    """Each vocabulary of the contract file as a module constant named in capitals
    (``BERAKHLAK``, ``JENIS_PELATIHAN``, …): a vocabulary is added in the file alone."""
    values = VOCABULARIES.get(name.lower()) if name.isupper() else None
    if values is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return values


def __dir__() -> list[str]:
    return sorted([*globals(), *(name.upper() for name in VOCABULARIES)])


#: The canonical tables, in load order.
TABLES: dict[str, Table] = _CONTRACT.tables
#: Order in which tables are loaded; references point only to earlier tables.
TABLE_ORDER: tuple[str, ...] = tuple(TABLES)
#: Tables that carry the evaluation periods; a dataset needs at least one of them.
PERIOD_TABLES: tuple[str, ...] = _CONTRACT.period_tables

#: The tables of millions of rows at a province's scale (ratings, SKP indicators); the
#: scores read them only through integer codes of their identifiers.
ROW_LEVEL_TABLES: tuple[str, ...] = ("perilaku", "skp")


def identifier_columns(table: str) -> tuple[str, ...]:
    """The columns of a row-level table whose values repeat over its rows: NIP, period,
    the categories and the free-text keys ``id_penilai`` and ``indikator``. These are
    the columns a loader may hold dictionary-encoded
    (:func:`~kinerja_analysis.data.loading.load_dataset`, ``keys="categorical"``).

    >>> identifier_columns("perilaku")
    ('nip', 'periode', 'id_penilai', 'peran_penilai', 'dimensi')
    """
    return tuple(
        c.name
        for c in TABLES[table].columns
        if c.kind in ("nip", "periode", "category") or c.name in ("id_penilai", "indikator")
    )
