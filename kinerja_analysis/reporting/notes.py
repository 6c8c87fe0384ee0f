"""The shared analyses' notes in words: one sentence per note, in the document's language.

The analyses keep their notes as data (:class:`kinerja_analysis.analyses.notes.Note`: a
key and its fields); this module writes them. The words are the catalogue's
(``catalog/narrative.toml``: ``[notes]`` per key, ``[note_analyses]`` for what a note is
about, ``[note_reasons]`` and ``[not_estimable]`` for why something could not be
estimated, ``[note_values]`` for a few values), the numbers are formatted for the
language (:mod:`kinerja_analysis.reporting.fmt`), periods written as words, keys as
their labels, a count of ASN below ``min_sel`` as "kurang dari 5", and the sentence is
escaped as Markdown whole (an OPD name in it shows its characters).

Where the notes go: the appendix "Asumsi dan keterbatasan" of the period document
(:func:`kinerja_analysis.reporting.narrative.write_report`, from
``PeriodFacts.notes``) and the end of the effects document (``notebooks/20``,
:func:`note_lines` with :func:`effects_document_shown`). A note that only repeats what
the document already says beside an estimate (the reason an effect was not estimated,
the missing pre-trend test, the balanced panel or comparison group the effects document
describes) is left out there: :func:`note_topic` names what a note says, and each
document passes the topics it states.

>>> from kinerja_analysis.analyses.notes import Note
>>> n = Note("panel_seimbang", {"analisis": "pelatihan", "n_asn": 237, "n_baris": 1612})
>>> print(note_text(n))
Panel seimbang (pengaruh pelatihan terhadap capaian SKP): 237 ASN tanpa data lengkap di setiap periode jendela tidak diikutkan, bersama 1.612 baris data mereka.
>>> print(note_text(n, "en")[60:])
237 ASN without complete data in every period of the window are left out, with their 1,612 rows of data.
"""

from __future__ import annotations

import csv
import string
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from kinerja_analysis.analyses.notes import ANALYSES, NOTES, REASONS, Note, note_list
from kinerja_analysis.analyses.rollout import PRETREND_REASONS
from kinerja_analysis.core.config import DEFAULTS
from kinerja_analysis.core.periods import period_label
from kinerja_analysis.reporting import fmt
from kinerja_analysis.reporting.markup import Markdown, escape_markdown
from kinerja_analysis.reporting.text import (
    CatalogError,
    catalog_pairs,
    column_label,
    dimension_label,
    flag_label,
    term_label,
    value_label,
)

__all__ = [
    "note_text",
    "note_lines",
    "note_topic",
    "effects_document_shown",
    "notes_catalog_problems",
]

#: ``{key: (id, en)}`` of each catalogue table the notes use.
_NOTES = catalog_pairs("narrative", "notes")
_ANALYSES = catalog_pairs("narrative", "note_analyses")
_REASONS = {
    **catalog_pairs("narrative", "not_estimable"),
    **catalog_pairs("narrative", "note_reasons"),
}
_VALUES = catalog_pairs("narrative", "note_values")

#: Fields that count ASN whatever their name (the facts of an estimator's error).
_PERSON_COUNTS = frozenset({"n_units", "n_post"})
#: The suffix of a field given with a lower-case first letter (mid-sentence).
_LOWER = "_kecil"


def _pick(pair: tuple[str, str], bahasa: fmt.Bahasa) -> str:
    return pair[0] if bahasa == "id" else pair[1]


def _lowercase_first(s: str) -> str:
    """Lower-case the first letter unless the first word looks like an acronym (IKM)."""
    if len(s) >= 2 and s[0].isupper() and s[1].islower():
        return s[0].lower() + s[1:]
    return s


def _items(v: object) -> list[object]:
    return list(v) if isinstance(v, (list, tuple)) else [v]


def _join(words: Iterable[str], bahasa: fmt.Bahasa) -> str:
    words = [w for w in words if w]
    if len(words) <= 1:
        return "".join(words)
    last = " dan " if bahasa == "id" else " and "
    return ", ".join(words[:-1]) + last + words[-1]


def _count(v: object, bahasa: fmt.Bahasa, min_sel: int, person: bool) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return "–"
    x = float(v)  # type: ignore[arg-type]
    if person and 0 < x < min_sel:
        return f"kurang dari {min_sel}" if bahasa == "id" else f"fewer than {min_sel}"
    return fmt.number(x, 0 if x.is_integer() else 1, bahasa)


def _variable(v: object, bahasa: fmt.Bahasa) -> str:
    """A model variable (or ``a + b``) as its term label."""
    return " + ".join(term_label(p.strip(), bahasa) for p in str(v).split("+"))


def _field(name: str, v: object, fields: Mapping[str, Any], bahasa, min_sel) -> str:
    """One field of a note in words (see :data:`kinerja_analysis.analyses.notes.NOTES`)."""
    if name.startswith("n_asn") or name in _PERSON_COUNTS:
        return _count(v, bahasa, min_sel, person=True)
    if name.startswith(("n_", "min_")):
        return _count(v, bahasa, min_sel, person=False)
    if name.startswith("periode"):
        return _join((period_label(str(p), bahasa) for p in _items(v)), bahasa)
    if name in ("hasil", "subkelompok"):
        return column_label(str(v), bahasa)
    if name == "tingkat":  # an OPD is data (its name as it is); other levels are keys
        if fields.get("subkelompok") == "opd":
            return _join((str(x) for x in _items(v)), bahasa)
        return _join((value_label(x, bahasa) for x in _items(v)), bahasa)
    if name == "kovariat":
        return _join((_value_word(x, bahasa) for x in _items(v)), bahasa)
    if name in ("kelas",):
        return _value_word(v, bahasa)
    if name == "tabel":
        return value_label(str(v), bahasa)
    if name == "tanda":
        return flag_label(v, bahasa)
    if name == "flags":
        return "; ".join(flag_label(x, bahasa) for x in _items(v))
    if name == "variables":
        return _join((_variable(x, bahasa) for x in _items(v)), bahasa)
    if name == "construct":
        return dimension_label(v, bahasa)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return _count(v, bahasa, min_sel, person=False)
    return str(v)


def _value_word(v: object, bahasa: fmt.Bahasa) -> str:
    k = str(v)
    return _pick(_VALUES[k], bahasa) if k in _VALUES else _lowercase_first(column_label(k, bahasa))


def _words(fields: Mapping[str, Any], bahasa: fmt.Bahasa, min_sel: int) -> dict[str, str]:
    """Every field in words, and each again with a lower-case first letter (``x_kecil``)."""
    out: dict[str, str] = {}
    for k, v in fields.items():
        if k in ("analisis", "sebab"):
            continue
        out[k] = _field(k, v, fields, bahasa, min_sel)
        out[k + _LOWER] = _lowercase_first(out[k])
    a = fields.get("analisis")
    if a is not None:
        out["analisis"] = _fill(_ANALYSES, str(a), bahasa, out, fallback=None)
        out["analisis" + _LOWER] = _lowercase_first(out["analisis"])
    if "sebab" in fields or "analisis" in fields:
        reason = str(fields.get("sebab") or "other")
        out["sebab"] = _fill(_REASONS, reason, bahasa, out, fallback="other")
    return out


class _Blank(dict):
    """A field a text names but the note lacks: written as a dash, never as its key."""

    def __missing__(self, key: str) -> str:
        return "–"


def _fill(table, key: str, bahasa, words: Mapping[str, str], fallback: str | None) -> str:
    if key not in table:
        if fallback is None:
            raise KeyError(f"no catalogue text for {key!r}")
        key = fallback
    return string.Formatter().vformat(_pick(table[key], bahasa), (), _Blank(words))


def _plain_text(note: Note, bahasa: fmt.Bahasa, min_sel: int) -> str:
    words = _words(note.fields, bahasa, min_sel)
    return string.Formatter().vformat(_pick(_NOTES[note.key], bahasa), (), _Blank(words))


def note_text(note: Note, bahasa: fmt.Bahasa = "id", min_sel: int = DEFAULTS.min_sel) -> Markdown:
    """One note as a sentence in ``bahasa``, escaped as Markdown.

    Parameters
    ----------
    note
        A :class:`~kinerja_analysis.analyses.notes.Note` (or what
        :meth:`~kinerja_analysis.analyses.notes.Note.to_json` wrote).
    bahasa
        ``"id"`` or ``"en"``.
    min_sel
        A count of ASN from 1 to ``min_sel - 1`` is written "kurang dari ``min_sel``".

    Returns
    -------
    Markdown
        The sentence; every character shows as it is (data values included). An
        unknown reason is written as the catalogue's ``other`` reason; a field the
        text names but the note lacks as a dash.
    """
    (n,) = note_list([note])
    return escape_markdown(_plain_text(n, bahasa, min_sel))


def note_topic(note: Note) -> tuple[str, ...] | None:
    """What a note says that a document may already say beside an estimate, or None.

    - ``("tidak_diestimasi", analysis, reason)``: why an effect was not estimated
      (``SharedResults.not_estimated``);
    - ``("pretrend", outcome, reason)``: why a rollout outcome has no pre-trend test
      (``pretrend_reason`` of its row);
    - ``("panel_seimbang", analysis)``, ``("pembanding_belum_dilatih", analysis)``:
      the balanced panel and the comparison group of an effect;
    - ``("sel_ditandai", analysis, flag)``: a flag of an effect's estimate.
    """
    f = note.fields
    a = f.get("analisis")
    if note.key == "tidak_diestimasi" and a == "penerapan_studi_peristiwa":
        return ("pretrend", str(f.get("hasil")), str(f.get("sebab")))
    if note.key == "tidak_diestimasi":
        return ("tidak_diestimasi", str(a), str(f.get("sebab")))
    if note.key in ("panel_seimbang", "pembanding_belum_dilatih"):
        return (note.key, str(a))
    if note.key == "sel_ditandai":
        return ("sel_ditandai", str(a), str(f.get("tanda")))
    return None


def note_lines(
    notes: Iterable[object],
    bahasa: fmt.Bahasa = "id",
    *,
    shown: Iterable[tuple[str, ...]] = (),
    min_sel: int = DEFAULTS.min_sel,
) -> list[Markdown]:
    """The sentences of ``notes`` (:func:`note_text`) a document shows, in order.

    ``shown``: the topics (:func:`note_topic`) the document already states beside its
    estimates; a note on one of them is left out. The same sentence is given once.
    """
    seen = set(shown)
    out: list[Markdown] = []
    for n in note_list(notes):
        if note_topic(n) in seen:
            continue
        line = note_text(n, bahasa, min_sel)
        if line not in out:
            out.append(line)
    return out


def effects_document_shown(h) -> frozenset[tuple[str, ...]]:
    """The topics (:func:`note_topic`) the effects document (``notebooks/20``) states
    beside its estimates for the shared results ``h``: the reason the training effect
    was not estimated, the balanced panel and the not-yet-trained comparison of the
    training effect, and each rollout outcome's reason for a missing pre-trend test."""
    out: set[tuple[str, ...]] = set()
    if h.pelatihan is None:
        out |= {("tidak_diestimasi", k, r) for k, r in dict(h.not_estimated).items()}
    else:
        cs = h.pelatihan[h.pelatihan["term"] == "att_cs"]
        if len(cs) and "n_incomplete" in cs and _number(cs["n_incomplete"].iloc[0]) > 0:
            out.add(("panel_seimbang", "pelatihan"))
        if (h.pelatihan.get("control_group") == "not_yet_treated").any():
            out.add(("pembanding_belum_dilatih", "pelatihan"))
    out |= _pretrend_topics(h.penerapan)
    return frozenset(out)


def _number(x: object) -> float:
    try:
        return float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0


def _pretrend_topics(penerapan: pd.DataFrame | None) -> set[tuple[str, ...]]:
    """``("pretrend", outcome, reason)`` of every rollout outcome without a pre-trend test."""
    if penerapan is None or not {"outcome", "pretrend_reason"} <= set(penerapan.columns):
        return set()
    return {
        ("pretrend", str(o), str(r))
        for o, r in zip(penerapan["outcome"], penerapan["pretrend_reason"], strict=True)
        if r in PRETREND_REASONS
    }


@cache
def effect_outcomes() -> dict[str, tuple[str, str]]:
    """``{effect key: (analysis, outcome)}`` of the rollout effects (``effects.csv``:
    source ``penerapan``, matched by ``outcome=…``), to name a note's topic by effect."""
    path = Path(__file__).with_name("effects.csv")
    out: dict[str, tuple[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            m = dict(p.split("=", 1) for p in row["cocok"].split(";") if "=" in p)
            if row["sumber"] == "penerapan" and "outcome" in m:
                out[row["kunci"]] = ("penerapan", m["outcome"])
    return out


def notes_catalog_problems() -> list[str]:
    """What the catalogue lacks for the notes, one message each (empty when complete):
    a note key, analysis or reason without a text, or a text naming a field its note,
    analysis or reason does not carry.

    >>> notes_catalog_problems()
    []
    """
    out: list[str] = []

    def check(table, where, key, allowed) -> None:
        if key not in table:
            out.append(f"narrative.toml [{where}]: no text for {key!r}")
            return
        for b, text in zip(("id", "en"), table[key], strict=True):
            names = {n for _, n, _, _ in string.Formatter().parse(text) if n}
            extra = names - allowed - {a + _LOWER for a in allowed}
            if extra:
                out.append(
                    f"narrative.toml [{where}] {key!r} ({b}): unknown field(s) {sorted(extra)}"
                )

    note_fields = {"hasil", "subkelompok", "tingkat"}
    for k, flds in NOTES.items():
        check(_NOTES, "notes", k, set(flds) | ({"sebab"} if "sebab" in flds else set()))
    for a in ANALYSES:
        check(_ANALYSES, "note_analyses", a, note_fields)
    for r, facts in REASONS.items():
        check(_REASONS, "note_reasons", r, set(facts))
    for k in _NOTES:
        if k not in NOTES:
            out.append(f"narrative.toml [notes]: {k!r} is not a note key")
    return out


_PROBLEMS = notes_catalog_problems()
if _PROBLEMS:
    raise CatalogError("\n".join(_PROBLEMS))
