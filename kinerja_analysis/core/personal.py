"""Personal data inside a text: a registered employee's NIP in any printed form, or name.

:class:`Register` is built once from the employee register (the NIPs and names of the
``pegawai`` table, accepted rows and rejected ones alike: a rejected employee is still a
person) and finds them in any text. It is the one definition of "personal data in a
text" that every place keeping it out of what it writes shares: validation (a published
text column that holds a NIP or a name: :func:`kinerja_analysis.data.rules.personal_data`),
the batch's last check of each document before it is published, of the index page and
of the console (:mod:`kinerja_analysis.reporting.privacy`,
:mod:`kinerja_analysis.pipeline.batch`).

What counts (:meth:`Register.find`):

* ``nip`` — a registered NIP, written plain (``196908251991032001``), with any
  separators between its digits (``19690825 199103 2 001``, ``19690825-199103-2-001``,
  ``19690825.199103.2.001``: the characters of :data:`NIP_SEPARATORS`, at most one
  between two digits), inside a longer run of digits, or as a number in scientific
  notation that kept only its first digits (``1.96908251991032E+17``: a spreadsheet's
  number cell, or a workbook's float ``1.9690825199103201e+17``);
* ``nip_bentuk`` — a number in the shape of a NIP that is not registered: 18 digits in
  a row not touching other digits or hexadecimal letters (a SHA-256 digest is not one),
  or the printed groups 8-6-1-3 (a NIP of someone outside the register is personal
  data too);
* ``nama`` — a registered name of two or more words, anywhere in the text as whole
  words (case and punctuation aside: ``"UPT ratih  WIJAYA"`` holds ``Ratih Wijaya``),
  or a registered name of any length that is the *whole* text (a cell that holds
  ``Suparman`` and nothing else). Each name is registered as written and without its
  academic titles and honorifics (``Dr. H. Ratih Wijaya, S.Kom., M.Si.`` is also
  ``Ratih Wijaya``). Names under four letters are not registered.

A one-word name is matched only as a whole text, never inside one: one-word names are
common (``Suparman``), and so are words that are also names (``Agung`` of ``Masjid
Agung``, ``Setia``, ``Utama``); inside a sentence they would stop documents for
nothing. What carries a name into a document is a cell holding it (a shifted column);
that is the case the whole-text match takes.

:meth:`Register.scan` checks many texts at once (a column's distinct values): Arrow's
regular-expression and set kernels pick the few texts that could hold a hit, which the
Python matcher then reads.

>>> r = Register(["196908251991032001"], ["Ratih Wijaya", "Suparman", "Dr. Ani Lestari, M.Si."])
>>> [h.kind for h in r.find("UPT 19690825 199103 2 001")]
['nip']
>>> r.mask("Dinas ratih WIJAYA dan 1.96908251991032E+17")
'Dinas [nama] dan [NIP]'
>>> [h.kind for h in r.find("Suparman")], r.find("Jalan Suparman")
(['nama'], [])
>>> r.mask("UPT Ani Lestari")
'UPT [nama]'
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from typing import NamedTuple

__all__ = ["NIP_SEPARATORS", "NIP_KINDS", "Hit", "Register", "is_person_id", "name_forms", "words"]

#: Characters typed between the digit groups of a NIP (``19680507 198911 1 001``,
#: ``19680507-198911-1-001``, ``19680507.198911.1.001``): spaces of every kind, dashes,
#: dots, slashes and underscores.
NIP_SEPARATORS = r"[\s\u00a0\u2007\u202f.\-\u2010-\u2015/_]"
#: The same class for Arrow's RE2 (``\x{…}`` escapes).
_SEP_RE2 = r"[\s\x{00a0}\x{2007}\x{202f}.\-\x{2010}-\x{2015}/_]"
# digits with at most one separator between two of them
_RUN = re.compile(rf"[0-9](?:{NIP_SEPARATORS}?[0-9])*")
_NOT_DIGIT = re.compile(r"[^0-9]")
# a NIP's printed groups 8-6-1-3, one separator kind between them
_GROUPS = re.compile(r"^[0-9]{8}(\D)[0-9]{6}\1[0-9]\1[0-9]{3}$")
# a number in scientific notation of the size of a NIP (a spreadsheet's float)
_SCI = re.compile(r"(?<![0-9.,])([0-9])[.,]([0-9]{4,})[eE]\+?(1[5-8])(?![0-9])")
_HEX = re.compile(r"[0-9A-Fa-f]")
_WORD = re.compile(r"[^\W_]+")
#: Academic titles and honorifics left out of a name's second form (lower case, as
#: words): what stands before the name (``Dr.``, ``H.``) and everything after its first
#: comma (``, S.Kom., M.Si.``).
_TITLES = frozenset("dr drs dra ir h hj prof ns apt kh drg".split())
#: Hits of these kinds are NIPs (registered or in a NIP's shape).
NIP_KINDS = ("nip", "nip_bentuk")
_MIN_LETTERS = 4
#: Below this many texts :meth:`Register.scan` reads each text in Python directly.
_ARROW_FROM = 2000
#: What :meth:`Register.scan` narrows many texts down with (Arrow's RE2): a NIP-like run
#: of digits, a number in scientific notation of a NIP's size.
_NUMBER_RE2 = rf"[0-9](?:{_SEP_RE2}?[0-9]){{17}}|[0-9][.,][0-9]{{4,}}[eE]\+?1[5-8]"
#: Characters read as spaces, and trimmed off the words, before :meth:`Register.scan`
#: compares the words of many texts (the joiners and brackets data texts hold most).
_SPLIT = ("-", "_", "/", ".", ",")
_TRIM = "()[]{}<>'\"“”‘’:;!?*#&+="


class Hit(NamedTuple):
    """Where personal data is in a text: ``text[start:end]``, its ``kind`` (``nip``,
    ``nip_bentuk`` or ``nama``) and ``entry``, the position in the register's input of
    the employee it belongs to (``-1`` for ``nip_bentuk``)."""

    start: int
    end: int
    kind: str
    entry: int


def is_person_id(value: object) -> bool:
    """Whether a register row's identifier cell can be a person's: it holds at least 8
    digits (a NIP, even mangled by a spreadsheet). A label row over a unit's block
    (``Dinas Kesehatan`` with no NIP) or a total row is not a person, and its "name" is
    not a name to protect.

    >>> is_person_id("19690825 199103 2 001"), is_person_id("1.96908251991032E+17")
    (True, True)
    >>> is_person_id("51 orang"), is_person_id(None), is_person_id(float("nan"))
    (False, False, False)
    """
    return isinstance(value, str | int) and sum(ch.isdigit() for ch in str(value)) >= 8


def words(text: str) -> list[str]:
    """The words of ``text`` as :class:`Register` compares them (letters and digits,
    lower case).

    >>> words("UPT ratih_WIJAYA, S.Kom.")
    ['upt', 'ratih', 'wijaya', 's', 'kom']
    """
    return [w.lower() for w in _WORD.findall(text)]


def name_forms(name: str) -> list[tuple[str, ...]]:
    """A name's word tuples as :class:`Register` registers it: as written, and without
    titles (before the first comma, leading titles dropped); none under four letters.

    >>> name_forms("Dr. H. Ratih Wijaya, S.Kom., M.Si.")
    [('dr', 'h', 'ratih', 'wijaya', 's', 'kom', 'm', 'si'), ('ratih', 'wijaya')]
    >>> name_forms("Ani")
    []
    """
    low = name.lower()
    full = tuple(_WORD.findall(low))
    core = _WORD.findall(low.split(",", 1)[0]) if "," in low else list(full)
    while core and core[0] in _TITLES:
        core.pop(0)
    forms = [full]
    if core and tuple(core) != full:
        forms.append(tuple(core))
    return [f for f in forms if f and sum(map(len, f)) >= _MIN_LETTERS]


def _lossy(value: float, digits: int) -> str:
    return f"{value:.{digits - 1}e}"


class Register:
    """The NIPs and names of an employee register, compiled for searching text.

    Parameters
    ----------
    nips
        NIPs as written (separators are removed; values that are not 18 digits then
        are ignored). ``Hit.entry`` of a NIP is its position here.
    names
        Names (``None``/missing skipped). ``Hit.entry`` of a name is the position of
        the first one with that form.
    allow
        Texts that may be published although they hold a registered name or NIP: the
        signatory of the agency's profile, whose name the cover prints. A registered
        name whose words stand in one of these texts is not searched for.
    """

    def __init__(
        self,
        nips: Iterable[object] = (),
        names: Iterable[object] = (),
        *,
        allow: Iterable[str] = (),
    ) -> None:
        self.nips: dict[str, int] = {}
        for i, v in enumerate(nips):
            if not isinstance(v, str | int):
                continue
            d = str(v)
            if len(d) != 18 or not d.isdigit():
                d = _NOT_DIGIT.sub("", d)
            if len(d) == 18:
                self.nips.setdefault(d, i)
        allowed = [tuple(words(a)) for a in allow if isinstance(a, str)]
        self.names: dict[tuple[str, ...], int] = {}
        for i, v in enumerate(names):
            if not isinstance(v, str):
                continue
            for form in name_forms(v):
                if not allowed or not any(_inside(form, a) for a in allowed):
                    self.names.setdefault(form, i)
        # multi-word names by their first word, with the lengths to try
        self._by_first: dict[str, tuple[int, ...]] = {}
        for form in self.names:
            if len(form) >= 2:
                old = self._by_first.get(form[0], ())
                if len(form) not in old:
                    self._by_first[form[0]] = tuple(sorted((*old, len(form)), reverse=True))
        self._rounded: dict[int, dict[str, int]] = {}

    def __bool__(self) -> bool:
        return bool(self.nips or self.names)

    def __len__(self) -> int:
        return len(self.nips) + len(self.names)

    # ------------------------------------------------------------------ one text

    def find(self, text: str, *, whole: bool = True) -> list[Hit]:
        """The personal data in ``text``, in order. With ``whole`` (default) ``text`` is
        one value (a cell): a registered one-word name that is all of it counts."""
        hits = self._nips(text)
        if self.names:
            hits += self._names(text, whole)
        return sorted(hits)

    def is_name(self, text: str) -> bool:
        """Whether all of ``text`` is a registered name (any number of words)."""
        return tuple(words(text)) in self.names

    def mask(self, text: str, *, whole: bool = True, kinds: Collection[str] | None = None) -> str:
        """``text`` with each hit of :meth:`find` replaced by ``[NIP]`` or ``[nama]``;
        with ``kinds``, only the hits of those kinds (:attr:`Hit.kind`).

        >>> r = Register(["196908251991032001"], ["Ratih Wijaya"])
        >>> r.mask("Ratih Wijaya, 196908251991032001")
        '[nama], [NIP]'
        >>> r.mask("Ratih Wijaya, 196908251991032001", kinds={"nama"})
        '[nama], 196908251991032001'
        """
        out, pos = [], 0
        for h in self.find(text, whole=whole):
            if h.start < pos or (kinds is not None and h.kind not in kinds):
                continue
            out += [text[pos : h.start], "[NIP]" if h.kind in NIP_KINDS else "[nama]"]
            pos = h.end
        return "".join([*out, text[pos:]])

    def _nips(self, text: str) -> list[Hit]:
        hits = []
        for m in _RUN.finditer(text):
            run = m.group(0)
            digits = _NOT_DIGIT.sub("", run)
            if len(digits) < 18:
                continue
            entry = next(
                (
                    self.nips[digits[i : i + 18]]
                    for i in range(len(digits) - 17)
                    if digits[i : i + 18] in self.nips
                ),
                None,
            )
            if entry is not None:
                hits.append(Hit(m.start(), m.end(), "nip", entry))
            elif len(digits) == 18 and (
                (len(run) == 18 and not self._hex_around(text, m.start(), m.end()))
                or _GROUPS.match(run)
            ):
                hits.append(Hit(m.start(), m.end(), "nip_bentuk", -1))
        for m in _SCI.finditer(text):
            digits = 1 + len(m.group(2))
            value = float(f"{m.group(1)}.{m.group(2)}e{m.group(3)}")
            entry = self._as_number(value, min(digits, 17))
            if entry is not None:
                hits.append(Hit(m.start(), m.end(), "nip", entry))
        return hits

    @staticmethod
    def _hex_around(text: str, a: int, b: int) -> bool:
        return bool((a > 0 and _HEX.match(text[a - 1])) or (b < len(text) and _HEX.match(text[b])))

    def _as_number(self, value: float, digits: int) -> int | None:
        """The entry of a registered NIP equal to ``value`` to ``digits`` significant
        digits (a NIP a spreadsheet stored as a number), else None."""
        if not self.nips or not 1e17 <= value < 1e18:
            return None
        table = self._rounded.get(digits)
        if table is None:
            table = {}
            for n, i in self.nips.items():
                table.setdefault(_lossy(float(n), digits), i)
            self._rounded[digits] = table
        return table.get(_lossy(value, digits))

    def _names(self, text: str, whole: bool) -> list[Hit]:
        words = list(_WORD.finditer(text))
        if not words:
            return []
        low = [w.group(0).lower() for w in words]
        if whole:
            entry = self.names.get(tuple(low))
            if entry is not None:
                return [Hit(words[0].start(), words[-1].end(), "nama", entry)]
        hits = []
        by_first = self._by_first
        for i, w in enumerate(low):
            lengths = by_first.get(w)
            if lengths is None:
                continue
            for k in lengths:
                if i + k <= len(low):
                    entry = self.names.get(tuple(low[i : i + k]))
                    if entry is not None:
                        hits.append(Hit(words[i].start(), words[i + k - 1].end(), "nama", entry))
                        break
        return hits

    # ------------------------------------------------------------------ many texts

    def scan(self, texts: Sequence[str]) -> dict[int, list[Hit]]:
        """``{position: hits}`` of the texts of ``texts`` (each one value, as
        :meth:`find` with ``whole``) that hold personal data.

        Many texts are first narrowed down in Arrow: a text is read in Python only
        when it has 18 digits in a NIP's run, a number in scientific notation, a pair of
        words that starts a registered name, or is a registered name as a whole.
        """
        if not self or not len(texts):
            return {}
        if len(texts) < _ARROW_FROM:
            candidates: Iterable[int] = range(len(texts))
        else:
            candidates = self._candidates(texts)
        out = {}
        for i in candidates:
            t = texts[i]
            if isinstance(t, str):
                hits = self.find(t)
                if hits:
                    out[int(i)] = hits
        return out

    def _candidates(self, texts: Sequence[str]) -> list[int]:
        """Positions of the texts that may hold a hit: NIP-like digit runs and numbers
        in scientific notation (one RE2 search), and, for names, the texts one of whose
        words starts a registered name (or is a one-word one). Words here are the text
        in lower case split at spaces and at the characters of :data:`_SPLIT`, trimmed
        of :data:`_TRIM`: a name glued to its neighbour by any other character (``ratih;
        wijaya``) is not a candidate; :meth:`find` would read it (Arrow's regular
        expression splits cost ten times as much: 3 s for 500,000 texts)."""
        import numpy as np  # lazy: only for many texts
        import pyarrow as pa  # lazy: as above
        import pyarrow.compute as pc  # lazy: as above

        arr = pa.array(np.asarray(texts, dtype=object), type=pa.large_string(), from_pandas=True)
        hit = np.zeros(len(arr), dtype=bool)
        if self.nips:
            number = pc.match_substring_regex(arr, _NUMBER_RE2)
            hit |= number.fill_null(False).to_numpy(zero_copy_only=False)
        if self.names:
            low = pc.utf8_lower(arr)
            for ch in _SPLIT:
                low = pc.replace_substring(low, ch, " ")
            words_ = pc.utf8_split_whitespace(low)
            flat = pc.utf8_trim(pc.list_flatten(words_), _TRIM)
            if len(flat):
                first = sorted({f[0] for f in self.names})
                found = pc.is_in(flat, value_set=pa.array(first, pa.large_string()))
                found = found.fill_null(False).to_numpy(zero_copy_only=False)
                parent = pc.list_parent_indices(words_).to_numpy(zero_copy_only=False)
                hit[parent[found]] = True
        return np.flatnonzero(hit).tolist()


def _inside(form: tuple[str, ...], words: tuple[str, ...]) -> bool:
    """Whether the word tuple ``form`` stands in ``words`` as consecutive words."""
    k = len(form)
    return any(words[i : i + k] == form for i in range(len(words) - k + 1))
