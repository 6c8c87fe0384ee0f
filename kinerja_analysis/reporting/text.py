"""The words of the documents: fixed texts and the one label registry.

- :data:`TEXTS` — headings and fixed sentences of the report notebooks, per language
  (:func:`text`).
- The **label registry** — every machine key a person may read, in Indonesian and
  English: column headers and how their numbers are written (:data:`COLUMNS`,
  :func:`column_label`, :func:`column_kind`), result terms (:data:`TERMS`,
  :func:`term_label`), BerAKHLAK values and survey constructs (:data:`DIMENSIONS`,
  :func:`dimension_label`), validation and SE MenPAN-RB 3/2023 distribution rules
  (:data:`RULES`, :func:`rule_label`), categorical values (:data:`VALUES`,
  :func:`value_label`) and study parameters (:func:`parameter_label`).
  :func:`display_frame` turns a result table into what a person reads; tables,
  charts, the workbook, the narrative and the notebooks all go through it.

The words themselves are not in this module: they are the catalogue files
``reporting/catalog/*.toml`` (package data, :data:`CATALOG_FILES`), one entry
``key = { id = "…", en = "…" }`` per text, read and checked once per process
(:func:`load_catalog`, :func:`catalog_problems`). This module holds the logic that
picks and combines them.

>>> column_label("tepat_waktu_pct"), column_label("tepat_waktu_pct", "en")
('Layanan tepat waktu (%)', 'Services on time (%)')
>>> term_label("n_umpan_balik_lag1"), dimension_label("berorientasi_pelayanan", "en")
('Sesi umpan balik periode sebelumnya', 'Service Orientation')
"""

from __future__ import annotations

import os
import re
import string
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kinerja_analysis.core.compat import TEXT_DTYPE
from kinerja_analysis.core.config import DEFAULTS
from kinerja_analysis.core.deprecation import renamed_keywords
from kinerja_analysis.core.periods import period_label
from kinerja_analysis.core.text import LANGUAGES
from kinerja_analysis.reporting import fmt
from kinerja_analysis.reporting.markup import escape_markdown

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the tomli backport (installed with jupytext and jupyterlab)
    import tomli as tomllib

# ============================================================================ catalogue files
#
# The words live in TOML files beside this module (``catalog/*.toml``, package data), so
# a translator or an agency can change them without touching code. Each file is read
# once per process and checked (both languages in every entry, the same ``{fields}`` in
# each, known fields and column kinds only); the names below (TEXTS, COLUMNS, …) are
# built from them. A file that is not well-formed stops the import with a
# :class:`CatalogError` naming the file and the entry.


@renamed_keywords(jenis="kind", desimal="decimals")
@dataclass(frozen=True)
class Column:
    """A column's header in both languages and how its numbers are written.

    ``kind``: ``"teks"``; ``"bilangan"`` (a count); ``"angka"`` (a decimal number,
    ``decimals`` digits); ``"fraksi"`` (a share 0–1, written as a percentage);
    ``"persen"`` (already in percent, 0–100); ``"p"`` (a p-value, ``<0,001`` below
    0.001); ``"ya_tidak"`` (a yes/no flag).

    ``catalog/labels.toml`` spells these two keys ``jenis`` and ``desimal`` (the
    catalogue's file format, kept); the old field names ``jenis`` and ``desimal`` still
    work for one release (constructor keywords and attribute reads, with a
    ``DeprecationWarning``).
    """

    id: str
    en: str
    kind: str = "teks"
    decimals: int = 2


COLUMN_KINDS = ("teks", "bilangan", "angka", "fraksi", "persen", "p", "ya_tidak")

#: The catalogue files, ``catalog/<name>.toml`` in this package: the report texts
#: (:data:`TEXTS`), the label registry (:data:`COLUMNS`, :data:`TERMS`, …), the
#: regression assumption checks in words, and the evaluation document's headings
#: (:mod:`kinerja_analysis.reporting.narrative`).
CATALOG_FILES = ("texts", "labels", "assumptions", "narrative")

#: The tables of ``labels.toml`` (each ``{key = {id, en}}``; ``columns`` also
#: ``jenis`` and ``desimal``).
LABEL_SECTIONS = (
    "columns",
    "dimensions",
    "terms",
    "values",
    "flags",
    "rules",
    "methods",
    "parameters",
    "total_rows",
    "headline",
    "headline_missing",
    "employment_status",
    "direction",
    "validation_columns",
)
#: The tables of ``narrative.toml`` holding ``{id, en}`` entries (besides the
#: ``[[effect_tables]]``).
NARRATIVE_SECTIONS = (
    "sections",
    "headings",
    "icc_categories",
    "not_estimable",
    "not_estimable_effects",
    "notes",
    "note_analyses",
    "note_reasons",
    "note_values",
)
_ASSUMPTION_PARTS = ("name", "holds", "violated")


class CatalogError(ValueError):
    """A catalogue file is not well-formed: the message names the file, the entry and
    what is wrong (invalid TOML such as a duplicate key, with its line and column; a
    language missing; a field or a column kind that does not exist)."""


def read_catalog(name: str, directory: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The catalogue file ``<name>.toml`` of ``directory`` (default: this package's
    ``reporting/catalog``), parsed but not checked, as nested dicts in the file's order.

    Raises
    ------
    CatalogError
        The file is not valid TOML (a duplicate key, an unclosed quote…); the message
        names the file, line and column.
    FileNotFoundError
        There is no such file.
    """
    base = (
        resources.files("kinerja_analysis.reporting").joinpath("catalog")
        if directory is None
        else Path(directory)
    )
    try:
        return tomllib.loads(base.joinpath(f"{name}.toml").read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise CatalogError(f"{name}.toml: {e}") from e


@cache
def load_catalog(name: str) -> dict[str, Any]:
    """The package's catalogue file ``name`` (one of :data:`CATALOG_FILES`), parsed and
    checked once per process; the result is shared: read it, do not change it.

    Raises
    ------
    CatalogError
        The file is not well-formed (:func:`catalog_problems`).
    """
    data = read_catalog(name)
    problems = _PROBLEMS[name](data)
    if problems:
        raise CatalogError("\n".join(problems))
    return data


def catalog_problems(directory: str | os.PathLike[str] | None = None) -> list[str]:
    """Everything wrong with the catalogue files of ``directory`` (default: the
    package's), one message per fault naming the file, the table and the key; empty
    when all are well-formed.

    Checked: valid TOML (so no key twice), every file and table present and no unknown
    table, every entry a table with a non-empty text per language of
    :data:`~kinerja_analysis.core.text.LANGUAGES` and the same ``{fields}`` in each,
    no unknown field, column kinds among :data:`COLUMN_KINDS`, the keys the code asks
    for present.

    >>> catalog_problems()
    []
    """
    out: list[str] = []
    for name in CATALOG_FILES:
        try:
            data = read_catalog(name, directory)
        except (CatalogError, FileNotFoundError) as e:
            out.append(str(e) if isinstance(e, CatalogError) else f"{name}.toml: missing")
            continue
        out += _PROBLEMS[name](data)
    return out


def entry_problems(
    where: str, key: str, entry: object, extra: Mapping[str, type] | None = None
) -> list[str]:
    """What is wrong with one catalogue entry (``where`` names the file and table).

    An entry is a table with a non-empty text for each language (``id``, ``en``)
    naming the same ``{fields}`` (unless one of them is a single ``{field}``, a text
    the code supplies whole), plus only the fields of ``extra`` (``{field: type}``).

    >>> entry_problems("labels.toml [values]", "naik", {"id": "Naik"})
    ["labels.toml [values] 'naik': no 'en' text"]
    >>> entry_problems("texts.toml", "x", {"id": "{n} ASN", "en": "{m} ASN"})
    ["texts.toml 'x': the languages name different {fields}: id ['n']; en ['m']"]
    """
    if not isinstance(entry, dict):
        return [f"{where} {key!r}: expected a table with {', '.join(LANGUAGES)}, not {entry!r}"]
    out = []
    for b in LANGUAGES:
        v = entry.get(b)
        if v is None:
            out.append(f"{where} {key!r}: no {b!r} text")
        elif not isinstance(v, str) or not v.strip():
            out.append(f"{where} {key!r}: {b!r} must be a non-empty text, not {v!r}")
    allowed = extra or {}
    for f, v in entry.items():
        if f in LANGUAGES:
            continue
        if f not in allowed:
            out.append(f"{where} {key!r}: unknown field {f!r}")
        elif not isinstance(v, allowed[f]) or isinstance(v, bool):
            out.append(f"{where} {key!r}: {f} = {v!r} is not a {allowed[f].__name__}")
    if out:
        return out
    try:
        fields = [_format_fields(entry[b]) for b in LANGUAGES]
    except ValueError as e:  # an unmatched brace
        return [f"{where} {key!r}: {e}"]
    whole = [_WHOLE_FIELD.fullmatch(entry[b]) is not None for b in LANGUAGES]
    if any(f != fields[0] for f in fields) and not any(whole):
        named = "; ".join(f"{b} {sorted(f)}" for b, f in zip(LANGUAGES, fields, strict=True))
        out.append(f"{where} {key!r}: the languages name different {{fields}}: {named}")
    return out


#: A text that is one ``{field}`` and nothing else: the code supplies it whole (in that
#: language), so the other languages need not name the field.
_WHOLE_FIELD = re.compile(r"\{[A-Za-z_]\w*\}")


def _format_fields(s: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(s) if name is not None}


def _table_problems(where: str, table: object, **extra: type) -> list[str]:
    if not isinstance(table, dict):
        return [f"{where}: missing, or not a table"]
    out = []
    for k, e in table.items():
        out += entry_problems(where, k, e, extra)
    return out


def _sections_problems(
    name: str, data: dict[str, Any], sections: tuple[str, ...], *more: str
) -> list[str]:
    out = [f"{name}.toml [{s}]: unknown table" for s in data if s not in sections and s not in more]
    for s in sections:
        if s != "columns":
            out += _table_problems(f"{name}.toml [{s}]", data.get(s))
    return out


def _texts_problems(data: dict[str, Any]) -> list[str]:
    return _table_problems("texts.toml", data)


def _labels_problems(data: dict[str, Any]) -> list[str]:
    out = _sections_problems("labels", data, LABEL_SECTIONS)
    where = "labels.toml [columns]"
    columns = data.get("columns")
    out += _table_problems(where, columns, jenis=str, desimal=int)
    for k, e in columns.items() if isinstance(columns, dict) else ():
        if isinstance(e, dict) and e.get("jenis", "teks") not in COLUMN_KINDS:
            out.append(f"{where} {k!r}: jenis = {e['jenis']!r} is not one of {COLUMN_KINDS}")
        if isinstance(e, dict) and isinstance(e.get("desimal"), int) and e["desimal"] < 0:
            out.append(f"{where} {k!r}: desimal = {e['desimal']} is negative")
    return out


def _assumptions_problems(data: dict[str, Any]) -> list[str]:
    out = []
    for check, entry in data.items():
        where = f"assumptions.toml [{check}]"
        if not isinstance(entry, dict) or set(entry) != set(_ASSUMPTION_PARTS):
            out.append(f"{where}: needs exactly {', '.join(_ASSUMPTION_PARTS)}")
            continue
        out += [p for f in _ASSUMPTION_PARTS for p in entry_problems(where, f, entry[f])]
    return out


def _narrative_problems(data: dict[str, Any]) -> list[str]:
    out = _sections_problems("narrative", data, NARRATIVE_SECTIONS, "effect_tables")
    tables = data.get("effect_tables")
    if not isinstance(tables, list) or not tables:
        return [*out, "narrative.toml [[effect_tables]]: missing"]
    for i, t in enumerate(tables, 1):
        where = f"narrative.toml [[effect_tables]] #{i}"
        cols = t.get("columns") if isinstance(t, dict) else None
        if not isinstance(cols, list) or not cols or set(t) != {"columns"}:
            out.append(f"{where}: needs exactly a non-empty list `columns`")
            continue
        for c in cols:
            key = str(c.get("cell")) if isinstance(c, dict) else "?"
            out += entry_problems(where, key, c, {"cell": str})
            if isinstance(c, dict) and "cell" not in c:
                out.append(f"{where} {key!r}: no cell")
    return out


_PROBLEMS = {
    "texts": _texts_problems,
    "labels": _labels_problems,
    "assumptions": _assumptions_problems,
    "narrative": _narrative_problems,
}


def catalog_pairs(
    name: str, section: str, required: tuple[str, ...] = ()
) -> dict[str, tuple[str, str]]:
    """``{key: (Indonesian, English)}`` of one table of a catalogue file.

    ``required``: keys the calling code looks up itself; one missing raises
    :class:`CatalogError` (at import, naming the file and table, instead of a
    ``KeyError`` in the middle of a report).

    >>> catalog_pairs("labels", "direction")["naik"]
    ('naik', 'goes up')
    """
    table = load_catalog(name)[section]
    missing = [k for k in required if k not in table]
    if missing:
        raise CatalogError(f"{name}.toml [{section}]: no entry for {', '.join(missing)}")
    return {k: (e["id"], e["en"]) for k, e in table.items()}


def _by_language(name: str) -> dict[str, dict[str, str]]:
    """``{bahasa: {key: text}}`` of a catalogue file whose top level is its entries."""
    entries = load_catalog(name)
    return {b: {k: e[b] for k, e in entries.items()} for b in LANGUAGES}


def _assumptions() -> dict[str, dict[str, tuple[str, str, str]]]:
    checks = load_catalog("assumptions")
    return {
        b: {c: tuple(e[f][b] for f in _ASSUMPTION_PARTS) for c, e in checks.items()}  # type: ignore[misc]
        for b in LANGUAGES
    }


_LABEL_UTAMA: dict[str, tuple[str, str]] = catalog_pairs("labels", "headline")


@renamed_keywords(indikator="indicator")
def headline_label(indicator: str, bahasa: fmt.Bahasa = "id") -> str:
    """Human label of a headline indicator code of :func:`headline_figures`."""
    pair = _LABEL_UTAMA.get(indicator)
    if pair is None:
        return indicator
    return pair[0] if bahasa == "id" else pair[1]


_MISSING = catalog_pairs("labels", "headline_missing", ("jp", "disembunyikan"))
_JP_NA: dict[str, str] = dict(zip(LANGUAGES, _MISSING["jp"], strict=True))
_HIDDEN: dict[str, str] = dict(zip(LANGUAGES, _MISSING["disembunyikan"], strict=True))


@renamed_keywords(indikator="indicator", nilai="value")
def headline_value(
    indicator: str, value: float | None, bahasa: fmt.Bahasa = "id", *, hidden: bool = False
) -> str:
    """A headline value written for the report (counts, percent, index, share).

    A missing JP figure is written as not available, with the reason (the 12-month
    window reaches before the data begin, :func:`kinerja_analysis.reporting.tables.jp_window_covered`);
    a ``hidden`` one (``disembunyikan`` of
    :func:`~kinerja_analysis.reporting.tables.headline_figures`) as suppressed.
    """
    if hidden:
        return _HIDDEN[bahasa]
    if indicator in ("jp_rerata", "pct_jp_di_bawah_20") and (value is None or value != value):
        return _JP_NA[bahasa]
    if indicator in ("n_asn", "n_opd"):
        return fmt.number(int(round(value)), 0, bahasa)
    if indicator == "capaian_rerata":
        return fmt.percent(value, 1, bahasa, scale="persen")
    if indicator.startswith("pct_"):
        return fmt.percent(value, 1, bahasa)
    return fmt.number(value, 2, bahasa)


@renamed_keywords(angka="figures")
def headline_display(figures: pd.DataFrame, bahasa: fmt.Bahasa = "id") -> pd.DataFrame:
    """:func:`headline_figures` as two text columns (``indikator``, ``nilai``) for display;
    a row marked ``disembunyikan`` (withheld in an OPD's document) says so."""
    kol = ("Indikator", "Nilai") if bahasa == "id" else ("Indicator", "Value")
    hidden = (
        figures["disembunyikan"].fillna(False).astype(bool).tolist()
        if "disembunyikan" in figures.columns
        else [False] * len(figures)
    )
    return pd.DataFrame(
        {
            kol[0]: [headline_label(i, bahasa) for i in figures["indikator"]],
            kol[1]: [
                _HIDDEN[bahasa] if h else headline_value(i, v, bahasa)
                for i, v, h in zip(figures["indikator"], figures["nilai"], hidden, strict=True)
            ],
        }
    )


#: Columns of a Rambachan–Roth table (:func:`kinerja_analysis.analyses.training.sensitivity_frame`)
#: and the column saying that the value is a limit of the search, not a bound:
#: (column, censoring column, sign written before a censored value).
_SENSITIVITY_BOUNDS = (
    ("ci_low", "ci_low_censored", "≤ "),
    ("ci_high", "ci_high_censored", "≥ "),
    ("breakdown", "breakdown_censored", "≥ "),
)


def sensitivity_display(
    sens: pd.DataFrame, bahasa: fmt.Bahasa = "id", decimals: int = 3
) -> pd.DataFrame:
    """A Rambachan–Roth table with its bounds written as a person reads them.

    ``ci_low``, ``ci_high`` and ``breakdown`` become text with ``decimals`` decimals;
    where the matching ``*_censored`` column is true the value is a limit of the search
    (the confidence set reaches at least that far; the conclusion holds over the whole
    range of M̄ searched) and is written "≤ x" / "≥ x", never as if it were a bound.
    The ``*_censored`` columns are left out; other columns are kept as they are.

    >>> t = pd.DataFrame({"term": ["mbar=2"], "ci_low": [-1.5], "ci_high": [28.25],
    ...                   "ci_low_censored": [False], "ci_high_censored": [True]})
    >>> sensitivity_display(t)[["ci_low", "ci_high"]].iloc[0].tolist()
    ['-1,500', '≥ 28,250']
    """
    out = sens.copy()
    for col, flag, sign in _SENSITIVITY_BOUNDS:
        if col not in out:
            continue
        cens = (
            out[flag].astype(TEXT_DTYPE).str.lower().eq("true")
            if flag in out
            else pd.Series(False, index=out.index)
        )
        out[col] = [
            fmt.EMPTY
            if fmt.is_missing(v)
            else (sign if c else "") + fmt.number(v, decimals, bahasa)
            for v, c in zip(out[col], cens, strict=True)
        ]
    return out.drop(columns=[f for _, f, _ in _SENSITIVITY_BOUNDS if f in out])


def count_text(n: object, bahasa: fmt.Bahasa = "id", min_sel: int = DEFAULTS.min_sel) -> str:
    """A count for running text: the number, or "kurang dari <min_sel>" when suppressed."""
    if n is None or pd.isna(n):
        return f"kurang dari {min_sel}" if bahasa == "id" else f"fewer than {min_sel}"
    return fmt.number(int(n), 0, bahasa)


#: Headings and fixed sentences of the report notebooks, per language (``teks``):
#: ``{bahasa: {key: text}}``, from ``catalog/texts.toml``.
TEXTS: dict[str, dict[str, str]] = _by_language("texts")
#: A change of predikat inside a sentence ("naik" → "goes up").
_DIRECTIONS: dict[str, tuple[str, str]] = catalog_pairs("labels", "direction")


@renamed_keywords(kunci="key")
def text(key: str, bahasa: fmt.Bahasa = "id", **fields: object) -> str:
    """A heading or fixed sentence of the period report in ``bahasa`` (see :data:`TEXTS`)."""
    if bahasa not in TEXTS:
        raise ValueError(f"bahasa must be 'id' or 'en', not {bahasa!r}")
    return TEXTS[bahasa][key].format(**fields)


def training_hours_sentence(
    summary: pd.DataFrame, period_text: str, bahasa: fmt.Bahasa, min_sel: int
) -> str:
    """The sentence of the all-OPD row of
    :func:`~kinerja_analysis.reporting.tables.jp_summary`: mean JP per ASN, the share of
    ASN below 20 JP and the self-funded share of JP. A share the table leaves blank as a
    small group (its ``attrs``) is said to be withheld, never printed as "–"; a share
    with no value (no JP at all) is left out."""
    row = summary.loc[summary["opd"] == "Semua OPD"].iloc[0]
    hidden = {
        "di_bawah_20": "Semua OPD" in summary.attrs.get("di_bawah_20_disembunyikan", ()),
        "mandiri": "Semua OPD" in summary.attrs.get("mandiri_disembunyikan", ()),
    }
    parts = [
        text(f"n20_jp_{k}", bahasa, pct=fmt.percent(row[c], 1, bahasa))
        for k, c in (("di_bawah_20", "pct_di_bawah_20"), ("mandiri", "pct_jp_mandiri"))
        if not hidden[k] and pd.notna(row[c])
    ]
    gone = [k for k, h in hidden.items() if h]
    which = "keduanya" if len(gone) == 2 else gone[0] if gone else None
    dan = f" {text('data_dan', bahasa)} "
    return text(
        "n20_jp_kalimat",
        bahasa,
        periode=period_text,
        jp_rerata=fmt.number(row["jp_rerata"], 1, bahasa),
        rincian=f"; {dan.join(parts)}" if parts else "",
        ditahan=text(f"n20_jp_ditahan_{which}", bahasa, min_sel=min_sel) if which else "",
    )


@renamed_keywords(kota="totals")
def output_vs_competency_sentence(
    totals: pd.DataFrame, bahasa: fmt.Bahasa, min_sel: int, opd: str | None = None
) -> str:
    """The sentence of the output-vs-competency table's total (rows ``arah, n``): over
    every OPD, or over ``opd`` in that OPD's document (its name escaped as Markdown).

    A missing ``n`` is a suppressed count. The city's totals hide only small counts
    ("kurang dari ``min_sel``"); an OPD's cells are hidden as the city's table hides
    them, complements included, so there a hidden count is only "not shown"."""

    def part(arah: str, n: object) -> str:
        words = _pick(_DIRECTIONS.get(arah, (arah, arah)), bahasa)
        if opd and (n is None or pd.isna(n)):
            return text("hvk_bagian_disembunyikan", bahasa, arah=words)
        return text("hvk_bagian", bahasa, arah=words, n=count_text(n, bahasa, min_sel))

    parts = [part(r.arah, r.n) for r in totals.itertuples()]
    lingkup = (
        text("umum_lingkup_opd", bahasa, opd=escape_markdown(opd))
        if opd
        else text("umum_lingkup_kota", bahasa)
    )
    if not parts:
        # no ASN with both ratings: never "… predikat ." with nothing after it
        return text("hvk_kalimat_kosong", bahasa, lingkup=lingkup)
    return text("hvk_kalimat", bahasa, lingkup=lingkup, rincian="; ".join(parts))


# ============================================================================ label registry
#
# ONE registry of the words a person reads for every machine key: column names, result
# terms, BerAKHLAK dimensions and survey constructs, validation and distribution rules,
# and the categorical values of the data contract. Tables (notebook display), charts,
# the workbook, the narrative and the notebooks all label through it, so a key such as
# ``tepat_waktu_pct`` never reaches a document. Each entry is ``(Indonesian, English)``.


#: Column keys → header and kind (``catalog/labels.toml``, ``[columns]``).
COLUMNS: dict[str, Column] = {
    k: Column(e["id"], e["en"], kind=e.get("jenis", "teks"), decimals=e.get("desimal", 2))
    for k, e in load_catalog("labels")["columns"].items()
}

#: The seven BerAKHLAK values (SE MenPAN-RB 20/2021) and the survey constructs.
DIMENSIONS: dict[str, tuple[str, str]] = catalog_pairs("labels", "dimensions")

#: Result terms (``term`` of the tidy tables), model and outcome names.
TERMS: dict[str, tuple[str, str]] = catalog_pairs("labels", "terms")

#: Categorical values of the data contract and of the derived tables.
VALUES: dict[str, tuple[str, str]] = catalog_pairs("labels", "values")

#: Flags of the Callaway–Sant'Anna cells carried into an aggregate (``flags``, comma
#: separated; :data:`kinerja_analysis.methods.did.attgt.FLAGS`).
FLAGS: dict[str, tuple[str, str]] = catalog_pairs("labels", "flags")


def flag_label(flag: object, bahasa: fmt.Bahasa = "id") -> str:
    """One estimation flag in words (:data:`FLAGS`)."""
    return flags_label(str(flag), bahasa)


def flags_label(flags: object, bahasa: fmt.Bahasa = "id") -> str:
    """Comma-separated estimation flags in words, joined by "; " (unknown flag keys
    humanised). Text that is not a list of keys (a note in words) is returned as it is."""
    text = str(flags)
    keys = [k.strip() for k in text.split(",") if k.strip()]
    if not all(k in FLAGS or re.fullmatch(r"[a-z][a-z0-9_]*", k) for k in keys):
        return text
    return "; ".join(_pick(FLAGS[k], bahasa) if k in FLAGS else humanize(k) for k in keys)


#: Validation rules (``aturan`` of the validation report) and the predikat distribution
#: rules of SE MenPAN-RB 3/2023 (as :func:`kinerja_analysis.domain.predikat.check_distribution`
#: names them).
RULES: dict[str, tuple[str, str]] = catalog_pairs("labels", "rules")

#: Estimators as the ``method`` column of a result names them.
METHODS: dict[str, tuple[str, str]] = catalog_pairs("labels", "methods")


def method_label(method: object, bahasa: fmt.Bahasa = "id") -> str:
    """An estimator named in words (:data:`METHODS`; unknown names as given, keys humanised)."""
    m = str(method)
    if m in METHODS:
        return _pick(METHODS[m], bahasa)
    return m if "_" not in m else humanize(m)


#: Study parameters shown in a document's appendix.
PARAMETERS: dict[str, tuple[str, str]] = catalog_pairs("labels", "parameters")

#: Columns whose values are keys to be labelled (the rest are data, shown as they are).
_VALUE_COLUMNS: dict[str, str] = {
    "dimensi": "dimensi",
    "konstruk": "dimensi",
    "predikat": "nilai",
    "rating_hasil": "nilai",
    "rating_perilaku": "nilai",
    "kinerja": "nilai",
    "peran_penilai": "nilai",
    "jenis": "nilai",
    "sumber": "nilai",
    "sumber_pertama": "nilai",
    "metode": "nilai",
    "relevansi": "nilai",
    "jenis_jabatan": "nilai",
    "bentuk": "nilai",
    "pemberi": "nilai",
    "arah": "nilai",
    "tingkat": "nilai",
    "tingkat_bukti": "nilai",
    "desain": "nilai",
    "tabel": "nilai",
    "kriteria": "nilai",
    "kesimpulan": "nilai",
    "level": "nilai",
    "delta": "nilai",
    "control_group": "nilai",
    "pretrend_reason": "nilai",
    "flags": "tanda",
    "catatan": "tanda",
    "aturan": "aturan",
    "term": "istilah",
    "model": "istilah",
    "outcome": "istilah",
    "analysis": "istilah",
    "uji": "istilah",
    "method": "metode",
    "subgroup": "kolom",
    "indikator": "kolom",
    "satuan": "nilai",
    "periode": "periode",
    "opd": "opd",
}

#: Total rows of per-OPD tables (the only ``opd`` values that are words, not data).
TOTAL_ROWS: dict[str, tuple[str, str]] = catalog_pairs("labels", "total_rows")

_EVENT_RE = re.compile(r"^e=(-?\d+)$")
_PERIOD_DUMMY_RE = re.compile(r"^periode_(.+)$")
_SESSION_RE = re.compile(r"^sesi_([a-z_]+)$")
_REFERENCE_RE = re.compile(r"^referensi:([a-z_]+)$")
#: Schema checks of the validation (``skema:<check>(<arguments>)``) → their rule label.
_SCHEMA_FAMILY = {
    "skema:isin": "nilai_diizinkan",
    "skema:in_range": "rentang",
    "skema:greater_than_or_equal_to": "rentang",
    "skema:less_than_or_equal_to": "rentang",
    "skema:greater_than": "rentang",
    "skema:less_than": "rentang",
    "skema:str_matches": "periode",
    "skema:not_nullable": "kolom_wajib",
}
#: Sensitivity terms of :mod:`kinerja_analysis.methods.did.sensitivity`: ``mbar=0.5``, ``m=0.01``.
_BOUND_RE = re.compile(r"^(mbar|m)=([-+0-9.eE]+)$")


def _pick(pair: tuple[str, str], bahasa: fmt.Bahasa) -> str:
    return pair[0] if bahasa == "id" else pair[1]


def humanize(key: object) -> str:
    """Last resort for a key with no entry: ``"kunci_unik"`` → ``"Kunci unik"``."""
    s = str(key).replace("_", " ").replace("=", ": ").strip()
    return s[:1].upper() + s[1:]


def column_label(key: str, bahasa: fmt.Bahasa = "id") -> str:
    """The header of column ``key`` (``"tepat_waktu_pct"`` → ``"Layanan tepat waktu (%)"``).

    Keys not in :data:`COLUMNS` are tried as dimensions and terms (a wide table has one
    column per BerAKHLAK value or construct), then ``sesi_<bentuk>``; anything else is
    humanised (underscores to spaces).
    """
    c = COLUMNS.get(key)
    if c is not None:
        return c.id if bahasa == "id" else c.en
    for table in (DIMENSIONS, TERMS, VALUES):
        if key in table:
            return _pick(table[key], bahasa)
    m = _SESSION_RE.match(str(key))
    if m:
        return ("Sesi " if bahasa == "id" else "Sessions: ") + value_label(m.group(1), bahasa)
    return humanize(key)


def column_kind(key: str) -> tuple[str, int]:
    """``(kind, decimals)`` of column ``key`` (see :class:`Column`); unknown: ``("teks", 2)``."""
    c = COLUMNS.get(key)
    if c is not None:
        return c.kind, c.decimals
    if str(key).startswith(("pct_", "persen")):
        return "fraksi", 1
    if str(key).startswith("n_"):
        return "bilangan", 0
    if str(key).startswith("sesi_") or key in DIMENSIONS:
        return "angka", 2
    return "teks", 2


def series_kind(key: str, s: pd.Series) -> tuple[str, int]:
    """:func:`column_kind` refined by the column's data: a column the registry does not
    know is ``ya_tidak`` when boolean (a ``bool``/``boolean`` column, or an ``object``
    one holding only ``True``/``False`` and missing values, as a merge leaves it),
    ``bilangan`` when integer, ``angka`` when numeric; a ``sesi_<bentuk>`` or dimension
    column holding integers (sessions counted, not averaged) is ``bilangan`` too, not a
    count with two decimals (``1.434,00``), and so is a ``sesi_<bentuk>`` column of
    whole numbers that missing (suppressed) cells turned to floats.

    >>> series_kind("sesi_coaching", pd.Series([1434, 1422]))
    ('bilangan', 0)
    >>> series_kind("sesi_coaching", pd.Series([1434.0, None]))
    ('bilangan', 0)
    >>> series_kind("sesi_coaching", pd.Series([1.25, 0.5]))
    ('angka', 2)
    >>> series_kind("ikut", pd.Series([True, None, False], dtype=object))
    ('ya_tidak', 2)
    """
    jenis, d = column_kind(key)
    if key not in COLUMNS and jenis == "angka":
        if pd.api.types.is_integer_dtype(s):
            return "bilangan", 0
        if str(key).startswith("sesi_") and _whole_floats(s):
            return "bilangan", 0
    if jenis == "teks" and _is_boolean(s):
        jenis = "ya_tidak"
    elif jenis == "teks" and pd.api.types.is_integer_dtype(s):
        jenis = "bilangan"
    elif jenis == "teks" and pd.api.types.is_numeric_dtype(s):
        jenis = "angka"
    return jenis, d


def _is_boolean(s: pd.Series) -> bool:
    """A boolean column, or an ``object`` one whose values are all booleans or missing."""
    if pd.api.types.is_bool_dtype(s):
        return True
    return s.dtype == object and pd.api.types.infer_dtype(s, skipna=True) == "boolean"


def _whole_floats(s: pd.Series) -> bool:
    """A float column whose present values are all whole numbers (at least one)."""
    if not pd.api.types.is_float_dtype(s):
        return False
    v = s.to_numpy(dtype=float, na_value=np.nan)
    v = v[np.isfinite(v)]
    return bool(v.size) and bool(np.all(v == np.round(v)))


def dimension_label(key: object, bahasa: fmt.Bahasa = "id") -> str:
    """A BerAKHLAK value or survey construct in words (``"berorientasi_pelayanan"`` →
    ``"Berorientasi Pelayanan"`` / ``"Service Orientation"``)."""
    pair = DIMENSIONS.get(str(key))
    return _pick(pair, bahasa) if pair else humanize(key)


def value_label(value: object, bahasa: fmt.Bahasa = "id") -> str:
    """A categorical value in words (predikat, roles, training types, tables…)."""
    v = str(value)
    for table in (VALUES, DIMENSIONS):
        if v in table:
            return _pick(table[v], bahasa)
    return v if "_" not in v else humanize(v)


def rule_label(rule: object, bahasa: fmt.Bahasa = "id") -> str:
    """A validation or distribution rule in words (``"kunci_unik"`` →
    ``"Baris ganda (kunci harus unik)"``; ``"referensi:pegawai"`` → ``"Tidak ada di tabel
    Pegawai"``)."""
    r = str(rule)
    if r in RULES:
        return _pick(RULES[r], bahasa)
    # the schema checks carry their arguments (``skema:isin([...])``): named by family
    family = _SCHEMA_FAMILY.get(r.split("(", 1)[0])
    if family is not None:
        return _pick(RULES[family], bahasa)
    m = _REFERENCE_RE.match(r)
    if m:
        t = value_label(m.group(1), bahasa)
        return f"Tidak ada di tabel {t}" if bahasa == "id" else f"Not found in table {t}"
    return humanize(r)


def term_label(term: object, bahasa: fmt.Bahasa = "id") -> str:
    """A result term in words: named terms (:data:`TERMS`), ``e=k`` event times,
    ``column=value`` subgroups, ``periode_<kode>`` period dummies."""
    s = str(term)
    if s in TERMS:
        return _pick(TERMS[s], bahasa)
    m = _BOUND_RE.match(s)
    if m:
        v = float(m.group(2))
        digits = fmt.number(round(v, 3 if abs(v) < 1 else 2), None, bahasa)
        return f"{'M̄' if m.group(1) == 'mbar' else 'M'} = {digits}"
    m = _EVENT_RE.match(s)
    if m:
        k = int(m.group(1))
        if k == 0:
            return "Periode pelatihan/penerapan" if bahasa == "id" else "Period of treatment"
        n = fmt.number(abs(k), 0, bahasa)
        if bahasa == "id":
            return f"{n} periode {'sesudah' if k > 0 else 'sebelum'}"
        return f"{n} period{'s' if abs(k) > 1 else ''} {'after' if k > 0 else 'before'}"
    if "=" in s:
        return subgroup_label(*s.split("=", 1), bahasa)
    m = _PERIOD_DUMMY_RE.match(s)
    if m:
        try:
            return f"{column_label('periode', bahasa)}: {period_label(m.group(1), bahasa)}"
        except ValueError:
            pass
    if s in DIMENSIONS or s in VALUES:
        return value_label(s, bahasa)
    return s if "_" not in s else humanize(s)


def parameter_label(key: str, bahasa: fmt.Bahasa = "id") -> str:
    """A study parameter in words (``"min_sel"`` → ``"Kelompok terkecil yang ditampilkan"``)."""
    pair = PARAMETERS.get(key)
    return _pick(pair, bahasa) if pair else column_label(key, bahasa)


def label_values(df: pd.DataFrame, bahasa: fmt.Bahasa = "id") -> pd.DataFrame:
    """A copy of ``df`` whose categorical key values are words (columns unchanged).

    Values are labelled in the columns listed in the registry (``dimensi``, ``konstruk``,
    ``predikat``, ``term``, ``outcome``, ``aturan``, ``periode``…); ``subgroup`` values
    name columns. Numbers and data values (OPD names) are left as they are.
    """
    out = df.copy()
    subgroup_terms = None
    if {"term", "subgroup", "level"} <= set(map(str, out.columns)):
        # subgroup estimates: the term key (``opd=<ascii key>``) cannot be read back
        # into the data value it came from; the ``subgroup``/``level`` columns can
        subgroup_terms = [
            subgroup_label(k, lv, bahasa) if isinstance(k, str) and pd.notna(lv) else None
            for k, lv in zip(out["subgroup"], out["level"], strict=True)
        ]
    for col in out.columns:
        kind = _VALUE_COLUMNS.get(str(col))
        if (
            kind is None
            or pd.api.types.is_numeric_dtype(out[col])
            or pd.api.types.is_bool_dtype(out[col])
        ):
            continue
        fn = {
            "dimensi": dimension_label,
            "nilai": value_label,
            "aturan": rule_label,
            "istilah": term_label,
            "kolom": column_label,
            "periode": _period_or_text,
            "opd": _total_or_name,
            "metode": method_label,
            "tanda": flags_label,
        }[kind]
        s = out[col]
        mapped = {v: fn(v, bahasa) for v in pd.unique(s.dropna())}
        out[col] = s.astype(object).map(lambda v, m=mapped: m.get(v, v) if pd.notna(v) else v)
    if subgroup_terms is not None:
        out["term"] = [
            t if t is not None else v for t, v in zip(subgroup_terms, out["term"], strict=True)
        ]
    return out


@renamed_keywords(kolom="column")
def subgroup_label(column: str, level: object, bahasa: fmt.Bahasa = "id") -> str:
    """A subgroup in words: ``("jenis_jabatan", "pelaksana")`` → ``"Jenis jabatan:
    Pelaksana"``; a data value (an OPD name) is kept as it is."""
    v = str(level) if column in _DATA_VALUE_COLUMNS else value_label(level, bahasa)
    return f"{column_label(column, bahasa)}: {v}"


#: Columns whose values are data typed by a person (never looked up in the registry).
_DATA_VALUE_COLUMNS = frozenset({"opd", "unit_kerja", "nama_pelatihan"})


def _total_or_name(value: object, bahasa: fmt.Bahasa) -> str:
    pair = TOTAL_ROWS.get(str(value))
    return _pick(pair, bahasa) if pair else value  # type: ignore[return-value]


def _period_or_text(value: object, bahasa: fmt.Bahasa) -> str:
    try:
        return period_label(str(value), bahasa)
    except ValueError:
        return str(value)


def display_frame(
    df: pd.DataFrame, bahasa: fmt.Bahasa = "id", labels: Mapping[str, str] | None = None
) -> tuple[pd.DataFrame, dict[str, tuple[str, int]]]:
    """``df`` as a person reads it: values labelled (:func:`label_values`), headers from
    :func:`column_label` (``labels`` overrides), and the kind of each new header.

    Returns
    -------
    (DataFrame, dict)
        The labelled frame (numbers untouched) and ``{header: (jenis, desimal)}``.
    """
    out = label_values(df, bahasa)
    names: dict[str, str] = {}
    kinds: dict[str, tuple[str, int]] = {}
    used: set[str] = set()
    for c in out.columns:
        key = str(c)
        name = (labels or {}).get(key) or column_label(key, bahasa)
        while name in used:  # two keys with one label (n_obs/n): keep both, distinguish
            name = f"{name} ({humanize(key).lower()})"
        used.add(name)
        names[c] = name
        kind = series_kind(key, out[c])
        kinds[name] = ("ya_tidak", 0) if pd.api.types.is_bool_dtype(out[c]) else kind
    return out.rename(columns=names), kinds


#: The classical assumption checks (:mod:`kinerja_analysis.methods.regression`) in words:
#: (name of the check, sentence when it holds, sentence when it is violated).
_ASUMSI: dict[str, dict[str, tuple[str, str, str]]] = _assumptions()


def _p_words(p: float, alpha: float, holds: bool, bahasa: fmt.Bahasa) -> str:
    if p < 0.001:
        return "p < " + fmt.number(0.001, 3, bahasa)
    cmp = ">" if holds else "≤"
    return f"p = {fmt.number(p, 3 if p < 0.01 else 2, bahasa)} {cmp} {fmt.number(alpha, 2, bahasa)}"


def assumption_checks_table(reg, bahasa: fmt.Bahasa = "id") -> pd.DataFrame:
    """The classical assumption checks of a regression as a table with one sentence each.

    ``reg`` is a :class:`kinerja_analysis.methods.regression.RegressionResult`. Returns
    ``uji`` (the check, in words), ``statistic``, ``p_value``, ``kesimpulan``
    (terpenuhi / tidak terpenuhi; holds / violated) and ``interpretasi``.
    """
    words = _ASUMSI[bahasa]
    held = ("terpenuhi", "tidak terpenuhi") if bahasa == "id" else ("holds", "violated")
    rows = []
    for r in reg.checks.itertuples(index=False):
        name, yes, no = words[r.check]
        txt = (yes if r.holds else no).format(
            stat=fmt.number(r.statistic, 2, bahasa),
            term=r.term,
            limit=fmt.number(r.limit, 0, bahasa),
            tol=fmt.number(1 / r.limit, 2, bahasa) if r.limit else "",
        )
        if np.isfinite(r.p_value):
            txt += f" ({_p_words(r.p_value, reg.alpha, r.holds, bahasa)})"
        rows.append(
            {
                "uji": name,
                "statistic": r.statistic,
                "p_value": r.p_value,
                "kesimpulan": held[0] if r.holds else held[1],
                "interpretasi": txt + ".",
            }
        )
    return pd.DataFrame(rows)


#: Employment status of an ASN as a document names it (UU 20/2023).
STATUS_LABELS: dict[str, dict[str, str]] = {
    b: {k: _pick(v, b) for k, v in catalog_pairs("labels", "employment_status").items()}
    for b in LANGUAGES
}


def column_labels(bahasa: fmt.Bahasa = "id") -> dict[str, str]:
    """Column headers of the report tables in ``bahasa`` (``{key: header}``)."""
    return {k: (v.id if bahasa == "id" else v.en) for k, v in COLUMNS.items()}


#: A machine key in visible text: a snake_case or ``key=value`` token.
RAW_KEY = re.compile(
    r"(?<![\w./#-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?:=[\w-]+)?(?![\w/.-]*\.\w{2,4}\b)"
)


def p_text(p: object, bahasa: fmt.Bahasa = "id") -> str:
    """A p-value as printed in a table: ``"<0,001"`` below 0.001, else 3 decimals."""
    if fmt.is_missing(p):
        return fmt.EMPTY
    v = float(p)  # type: ignore[arg-type]
    return "<" + fmt.number(0.001, 3, bahasa) if v < 0.001 else fmt.number(v, 3, bahasa)


@renamed_keywords(jenis="kind", desimal="decimals")
def format_value(v: object, kind: str, decimals: int = 2, bahasa: fmt.Bahasa = "id") -> str:
    """One cell written for a person, by the column's kind (:class:`Column`)."""
    if kind == "ya_tidak":
        if fmt.is_missing(v):
            return fmt.EMPTY
        return ("ya" if v else "tidak") if bahasa == "id" else ("yes" if v else "no")
    if fmt.is_missing(v):
        return fmt.EMPTY
    if isinstance(v, str) or kind == "teks" and not isinstance(v, int | float):
        return str(v)
    try:
        x = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(v)
    if kind == "bilangan":
        return fmt.number(int(round(x)), 0, bahasa)
    if kind == "fraksi":
        return fmt.percent(x, decimals, bahasa)
    if kind == "p":
        return p_text(x, bahasa)
    return fmt.number(x, decimals, bahasa)
