"""The text layer's mechanism: languages and message catalogues.

Text a person reads is looked up by key in a :class:`Catalog` in Indonesian (``"id"``, the
default) or English (``"en"``); a catalogue lives with the layer whose messages it holds
(data-validation messages in :mod:`kinerja_analysis.data`, report text and labels in
:mod:`kinerja_analysis.reporting.text`). Errors meant for programmers are plain English
and do not go through a catalogue.

Examples
--------
>>> c = Catalog({"id": {"halo": "Halo, {nama}!"}, "en": {"halo": "Hello, {nama}!"}})
>>> c("halo", nama="Sekda"), c("halo", "en", nama="Sekda")
('Halo, Sekda!', 'Hello, Sekda!')
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from typing import Literal

__all__ = ["Bahasa", "LANGUAGES", "COUNT_FIELDS", "check_bahasa", "Catalog", "format_count"]

#: A document language: Indonesian (default) or English.
Bahasa = Literal["id", "en"]
LANGUAGES: tuple[str, ...] = ("id", "en")


def check_bahasa(bahasa: object) -> None:
    """Raise ``ValueError`` unless ``bahasa`` is ``"id"`` or ``"en"``.

    >>> check_bahasa("en")
    >>> try:
    ...     check_bahasa("fr")
    ... except ValueError as e:
    ...     print(type(e).__name__)
    ValueError
    """
    if bahasa not in LANGUAGES:
        raise ValueError(f"bahasa must be 'id' or 'en', not {bahasa!r}")


#: Catalogue fields that hold a count (besides ``n_…``): written with the language's
#: thousands separator by :class:`Catalog` (``{n} dari {m} nilai``, ``batas {maks}``).
COUNT_FIELDS = frozenset({"n", "m", "maks", "median", "size"})


class Catalog:
    """Keyed texts in each language, with ``str.format`` fields.

    Parameters
    ----------
    entries
        ``{bahasa: {key: text}}``. Every language must have the same keys (checked).

    Raises
    ------
    ValueError
        A language is unknown or the languages' keys differ.
    """

    def __init__(self, entries: Mapping[str, Mapping[str, str]]) -> None:
        for b in entries:
            check_bahasa(b)
        keys = [set(v) for v in entries.values()]
        if keys and any(k != keys[0] for k in keys):
            missing = set.union(*keys) - set.intersection(*keys)
            raise ValueError(f"catalogue keys differ between languages: {sorted(missing)}")
        self._entries = {b: dict(v) for b, v in entries.items()}

    def __contains__(self, key: object) -> bool:
        return any(key in v for v in self._entries.values())

    def keys(self) -> list[str]:
        """The catalogue's keys."""
        first = next(iter(self._entries.values()), {})
        return list(first)

    def __call__(self, key: str, bahasa: Bahasa = "id", /, **fields: object) -> str:
        """The text of ``key`` in ``bahasa`` with ``fields`` filled in.

        Counts — integer fields named ``n``, ``n_…`` or one of :data:`COUNT_FIELDS`
        — are written with the language's thousands separator (``412.365`` in
        Indonesian, ``412,365`` in English), as the documents write them; other fields
        (row numbers, years, codes) as they are.

        Raises ``KeyError`` for an unknown key (a programming error).
        """
        check_bahasa(bahasa)
        shown = {
            k: format_count(v, bahasa) if (k in COUNT_FIELDS or k.startswith("n_")) else v
            for k, v in fields.items()
        }
        return self._entries[bahasa][key].format(**shown)

    def raw(self, bahasa: Bahasa = "id") -> dict[str, str]:
        """All texts of one language (a copy)."""
        check_bahasa(bahasa)
        return dict(self._entries[bahasa])


def format_count(value: object, bahasa: Bahasa) -> object:
    """An integer count with the thousands separator of ``bahasa`` (``8.496`` in
    Indonesian, ``8,496`` in English); anything else (a bool, text) as it is.

    >>> format_count(412365, "id"), format_count(412365, "en"), format_count(True, "id"), format_count("7", "id")
    ('412.365', '412,365', True, '7')
    """
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return f"{int(value):,}".replace(",", "." if bahasa == "id" else ",")
    return value
