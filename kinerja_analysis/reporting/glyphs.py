"""Figure text that the figures' fonts can draw.

Data values become figure text (an OPD name beside a bar, a group in a legend, a title).
A value may hold characters that no font of the figures has: an emoji, a CJK or Hangul
name, a private-use character, a rare combining mark. Matplotlib draws each of them as
an empty box ("tofu", or from 3.11 the Last Resort font's box) and writes a warning
"Glyph … missing from font(s) …" into the run log for each. :func:`drawable` is the one
function every figure text passes through before it is measured or drawn
(:func:`kinerja_analysis.reporting.plots.wrap` calls it first, and
:func:`drawable_figure` applies it to every text of a finished figure, tick labels made
while drawing included), so that what is drawn is what was measured:

* text is put in Unicode normalization form C (UAX #15), so ``e`` + U+0301 is the
  precomposed ``é`` the font has;
* default-ignorable code points (Unicode §5.21, ``Default_Ignorable_Code_Point``:
  zero-width space and joiners, soft hyphen, bidirectional controls, variation
  selectors, tag characters, Hangul fillers …) are dropped: invisible where supported,
  a box where not;
* a character is drawn when the fonts of the figures' family have it, in regular *and*
  bold (titles are bold), matplotlib's per-glyph fallback across the family list
  included; combining marks stay on their base letter when the font has them (at most
  :data:`MAX_MARKS` per letter: a stack of hundreds would run over the other labels);
* a cluster the fonts lack is first written in its compatibility form (NFKC: fullwidth
  ``Ａ`` → ``A``, mathematical ``𝐃𝐢𝐧𝐚𝐬`` → ``Dinas``, ``㎏`` → ``kg``) when the fonts
  have that, else replaced by **U+FFFD REPLACEMENT CHARACTER** (``�``), one per
  user-perceived character (a family emoji of seven code points is one ``�``; a flag,
  two regional indicators, is one): the Unicode Standard's substitute for a character
  that cannot be represented (§23.8 "Specials"). It is chosen over ``?`` because a
  ``?`` may be in the data itself, while ``�`` says "a character was here that this
  figure cannot show"; DejaVu Sans has it. A letter whose mark is missing keeps the
  letter, followed by ``�``; an emoji skin-tone modifier the font lacks is dropped with
  its base kept (it changes the look, not the meaning);
* private-use characters (their meaning is private to whoever typed them: any glyph a
  font has there means something else), unassigned code points and lone surrogates are
  always ``�``; control characters are ``�`` too, except line feed (a line break) and
  the other whitespace controls (a space), as in
  :func:`kinerja_analysis.reporting.markup.clean_text`;
* with a matplotlib older than 3.11, which lays text out without shaping or
  bidirectional reordering, right-to-left letters (Arabic, Hebrew …) would be drawn
  reversed and unjoined: they are ``�`` there. Matplotlib 3.11 lays text out with
  libraqm (HarfBuzz, SheenBidi) and draws them properly.

Fonts: the figures use DejaVu Sans, which matplotlib ships (Latin, Greek, Cyrillic,
Arabic, Hebrew, Georgian, Armenian, many symbols and some monochrome emoji). No fallback
font is added: the only fonts every installation of the package has are matplotlib's
own (DejaVu, STIX, Computer Modern), and the one of them that adds coverage (STIXGeneral,
1,492 code points, mostly mathematical letters that NFKC writes as plain letters anyway)
has no CJK, Hangul, Indic, Thai or emoji; a font found only on one machine would make the
same data draw differently elsewhere. Colour emoji fonts (CBDT, sbix) cannot be drawn
by Agg at all. The HTML and PDF text keep the original value: their renderers fall back
to other fonts themselves.

>>> drawable("Dinas Pendidikan")
'Dinas Pendidikan'
>>> drawable("Dinas \\U0001f3e5 中\\u200d央")
'Dinas � ��'
>>> drawable("Cafe\\u0301 \\uff21\\U0001d403")
'Café AD'
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

import matplotlib as mpl
from matplotlib import font_manager, ft2font
from matplotlib.text import Text
from matplotlib.ticker import Formatter
from wcwidth import iter_graphemes

__all__ = ["MAX_MARKS", "REPLACEMENT", "clusters", "coverage", "drawable", "drawable_figure"]

#: What a character no font of the figures can draw is shown as.
REPLACEMENT = "\ufffd"
#: Combining marks kept on one letter; further ones are shown as one :data:`REPLACEMENT`.
MAX_MARKS = 3

#: Default_Ignorable_Code_Point as the Unicode Character Database lists it
#: (DerivedCoreProperties.txt), as inclusive ranges: never drawn, dropped.
_IGNORABLE = (
    (0x00AD, 0x00AD),  # SOFT HYPHEN
    (0x034F, 0x034F),  # COMBINING GRAPHEME JOINER
    (0x061C, 0x061C),  # ARABIC LETTER MARK
    (0x115F, 0x1160),  # HANGUL CHOSEONG FILLER..HANGUL JUNGSEONG FILLER
    (0x17B4, 0x17B5),  # KHMER VOWEL INHERENT AQ..AA
    (0x180B, 0x180F),  # MONGOLIAN FREE VARIATION SELECTORS, VOWEL SEPARATOR
    (0x200B, 0x200F),  # ZERO WIDTH SPACE..RIGHT-TO-LEFT MARK (ZWNJ, ZWJ)
    (0x202A, 0x202E),  # bidirectional embeddings and overrides
    (0x2060, 0x206F),  # WORD JOINER..NOMINAL DIGIT SHAPES (isolates included)
    (0x3164, 0x3164),  # HANGUL FILLER
    (0xFE00, 0xFE0F),  # VARIATION SELECTOR-1..16
    (0xFEFF, 0xFEFF),  # ZERO WIDTH NO-BREAK SPACE (byte order mark)
    (0xFFA0, 0xFFA0),  # HALFWIDTH HANGUL FILLER
    (0xFFF0, 0xFFF8),  # reserved
    (0x1BCA0, 0x1BCA3),  # SHORTHAND FORMAT CONTROLS
    (0x1D173, 0x1D17A),  # MUSICAL SYMBOL BEGIN BEAM..END PHRASE
    (0xE0000, 0xE0FFF),  # tags, VARIATION SELECTOR-17..256, reserved
)
_IGNORABLE_STARTS = [lo for lo, _ in _IGNORABLE]

_EMOJI_MODIFIERS = range(0x1F3FB, 0x1F400)  # skin tones
#: Only printable ASCII and line feeds: drawn as they are (the usual label).
_PLAIN = re.compile(r"[\n\x20-\x7e]*")
#: Character categories never drawn from a font: private use, unassigned, surrogate.
_NEVER = ("Co", "Cn", "Cs")


def _ignorable(ch: str) -> bool:
    """Default_Ignorable_Code_Point."""
    cp = ord(ch)
    i = bisect.bisect_right(_IGNORABLE_STARTS, cp) - 1
    return i >= 0 and cp <= _IGNORABLE[i][1]


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch)[0] == "M"


def clusters(text: str) -> Iterator[str]:
    """The user-perceived characters of ``text`` (UAX #29 extended grapheme clusters):
    each base character with its combining marks, variation selectors, joiners and what
    they join, emoji modifiers and tags; a flag's two regional indicators; an Indic
    conjunct. By :func:`wcwidth.iter_graphemes`.

    >>> [len(c) for c in clusters("e\\u0301\\U0001f469\\u200d\\U0001f4bc!")]
    [2, 3, 1]
    """
    return iter_graphemes(text)


_GENERIC = ("serif", "sans-serif", "cursive", "fantasy", "monospace")


def _family_key(family: str | Sequence[str] | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The family list, each name with the fonts a generic name (``sans-serif``) stands
    for in the rcParams in effect: what decides which fonts draw it."""
    fam = mpl.rcParams["font.family"] if family is None else family
    names = (fam,) if isinstance(fam, str) else tuple(fam)
    return tuple((n, tuple(mpl.rcParams[f"font.{n}"]) if n in _GENERIC else ()) for n in names)


def _face_chars(path) -> frozenset[int]:
    """The code points a font file maps to a glyph (its character map)."""
    index = getattr(path, "face_index", 0)  # a face of a collection (matplotlib >= 3.11)
    file = str(getattr(path, "path", path))
    font = ft2font.FT2Font(file, face_index=index) if index else ft2font.FT2Font(file)
    return frozenset(font.get_charmap())


@lru_cache(maxsize=8)
def _coverage(key: tuple[tuple[str, tuple[str, ...]], ...]) -> frozenset[int]:
    """:func:`coverage` of a :func:`_family_key` (the generic families' lists are in the
    key only so that a change of them is a new key)."""
    per_weight = []
    for weight in ("normal", "bold"):
        paths = []
        for name, _ in key:  # found as matplotlib finds the fonts of a family list
            prop = font_manager.FontProperties(family=name, weight=weight)
            try:
                paths.append(font_manager.findfont(prop, fallback_to_default=False))
            except ValueError:
                continue
        if not paths:  # matplotlib falls back to its default font: so does the check
            paths.append(font_manager.findfont(font_manager.FontProperties(weight=weight)))
        per_weight.append(frozenset().union(*(_face_chars(p) for p in paths)))
    return frozenset.intersection(*per_weight)


def coverage(family: str | Sequence[str] | None = None) -> frozenset[int]:
    """The code points the figures can draw in ``family`` (default: the
    ``font.family`` in effect): those every weight the figures use (regular and bold)
    has, in one of the family's fonts (matplotlib falls back glyph by glyph along the
    list). Computed once per family from the fonts' character maps."""
    return _coverage(_family_key(family))


#: matplotlib 3.11 shapes text and orders right-to-left runs (libraqm); older ones do not.
_SHAPES = tuple(mpl.__version_info__[:2]) >= (3, 11)


def _can_draw(ch: str, chars: frozenset[int]) -> bool:
    if unicodedata.category(ch) in _NEVER:
        return False
    if not _SHAPES and unicodedata.bidirectional(ch) in ("R", "AL"):
        return False
    return ord(ch) in chars


@lru_cache(maxsize=4096)
def _cluster(cluster: str, key: tuple) -> str:
    """One user-perceived character as it is drawn (see the module's docstring)."""
    chars = _coverage(key)
    cat = unicodedata.category(cluster[0])
    if cat == "Cc":
        if cluster == "\n":
            return "\n"
        return " " if cluster.isspace() else REPLACEMENT
    if cat in ("Zl", "Zp"):  # a line or paragraph separator: a space, as a tab is
        return " "
    # a modifier after its base is a change of look: dropped when it cannot be drawn
    parts = [
        c
        for i, c in enumerate(cluster)
        if not _ignorable(c) and not (i and ord(c) in _EMOJI_MODIFIERS and not _can_draw(c, chars))
    ]
    if not parts:
        return ""
    if cluster.isspace() and not all(_can_draw(c, chars) for c in parts):
        return " "  # a space the fonts lack (ideographic, line separator) is a space
    if all(_can_draw(c, chars) for c in parts) and sum(map(_is_mark, parts[1:])) <= MAX_MARKS:
        return "".join(parts)
    compat = [c for c in unicodedata.normalize("NFKC", "".join(parts)) if not _ignorable(c)]
    if compat and all(_can_draw(c, chars) and c != "\n" for c in compat):
        if sum(map(_is_mark, compat[1:])) <= MAX_MARKS:
            return "".join(compat)
    base = parts[0]
    if _is_mark(base) or not _can_draw(base, chars):
        return REPLACEMENT
    marks = [c for c in parts[1:] if _can_draw(c, chars)][:MAX_MARKS]
    return base + "".join(marks) + REPLACEMENT


def drawable(text: object, family: str | Sequence[str] | None = None) -> str:
    """``text`` as the figures draw it: each character kept when the fonts of
    ``family`` (default: the ``font.family`` in effect) can draw it, else dropped or
    replaced as the module's docstring says. Idempotent; text of printable ASCII and
    line feeds is returned unchanged at once.

    Parameters
    ----------
    text
        Any value; ``str(text)`` is drawn.
    family
        A font family name or a list of them (matplotlib's ``font.family``).

    Returns
    -------
    str
        The text to draw and to measure. Never raises for any string.

    >>> drawable("Kecamatan\\tSungai\\r\\nLebar\\x00")
    'Kecamatan Sungai\\nLebar�'
    """
    s = str(text)
    if _PLAIN.fullmatch(s):
        return s
    s = unicodedata.normalize("NFC", s.replace("\r\n", "\n"))
    key = _family_key(family)
    return "".join(_cluster(c, key) for c in clusters(s))


class _DrawableFormatter(Formatter):
    """A tick formatter whose labels pass through :func:`drawable` (the labels of a
    figure's ticks are made while it is drawn, from its formatters)."""

    def __init__(self, inner: Formatter, family: tuple[str, ...]) -> None:
        self.inner = inner
        self.family = family
        self.axis = inner.axis

    def set_axis(self, axis) -> None:
        self.axis = axis
        self.inner.set_axis(axis)

    def __call__(self, x, pos=None) -> str:
        return drawable(self.inner(x, pos), self.family)

    def format_ticks(self, values) -> list[str]:
        return [drawable(s, self.family) for s in self.inner.format_ticks(values)]

    def format_data(self, value) -> str:
        return drawable(self.inner.format_data(value), self.family)

    def format_data_short(self, value) -> str:
        return self.inner.format_data_short(value)

    def get_offset(self) -> str:
        return drawable(self.inner.get_offset(), self.family)

    def set_locs(self, locs) -> None:
        self.inner.set_locs(locs)

    def __getattr__(self, name: str):
        # what is particular to the formatter wrapped (a FixedFormatter's ``seq``, a
        # ScalarFormatter's ``set_useOffset``) is still reached through the wrapper
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)


def _tickers(fig) -> Iterable:
    for ax in fig.axes:
        for name in ("xaxis", "yaxis", "zaxis"):
            axis = getattr(ax, name, None)
            if axis is not None:
                yield axis.major
                yield axis.minor


def drawable_figure(fig):
    """Pass every text of ``fig`` through :func:`drawable`: the texts it holds (titles,
    axis labels, legend entries, annotations, tick labels so far), each in its own font
    family, and the tick labels its axes will make while drawing (their formatters are
    wrapped once; checked against the ``font.family`` in effect now, which the tick
    labels are made in). Returns ``fig``; applying it again changes nothing.

    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.set_xticks([0], ["Dinas \\U0001f3e5"])
    >>> drawable_figure(fig).canvas.draw()
    >>> ax.get_xticklabels()[0].get_text()
    'Dinas �'
    >>> plt.close(fig)
    """
    for text in fig.findobj(Text):
        old = text.get_text()
        new = drawable(old, text.get_fontproperties().get_family())
        if new != old:
            text.set_text(new)
    family = mpl.rcParams["font.family"]
    family = (family,) if isinstance(family, str) else tuple(family)
    for ticker in _tickers(fig):
        if not isinstance(ticker.formatter, _DrawableFormatter):
            ticker.formatter = _DrawableFormatter(ticker.formatter, family)
    return fig
