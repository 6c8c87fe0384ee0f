"""Markdown that carries data values, turned into HTML that stays inert.

The narrative, the fixed texts and every ``doc.markdown(...)`` call produce Markdown
into which data values (OPD names, training titles) have been filled. This module is the
one place that Markdown becomes HTML for a document, so a template or a notebook cannot
forget to escape a value:

- raw HTML in the Markdown is **text**, never markup (markdown-it with ``html=False``):
  ``<script>…`` or ``<img onerror=…>`` in an OPD name is shown as those characters;
- links and images may only point inside the page (``#…``) or be inline PNG/JPEG/GIF/WebP
  ``data:`` images; any other URL (``http:``, ``file:``, ``javascript:``) stays literal text;
- control characters (NUL, vertical tab, …) become U+FFFD;
- a data value filled into Markdown (a template variable, a field of a fixed text, a
  pipe-table cell) is escaped by :func:`escape_markdown`, so ``**Dinas**``,
  ``~~Sekretariat~~`` or ``[klik](#rekomendasi)`` in an OPD name stay those characters
  instead of becoming emphasis, strike-through or a link. Markdown written by the
  project itself (a table, a sentence with its own emphasis) is marked
  :class:`Markdown` and passes unchanged.

:data:`CONTENT_SECURITY_POLICY` is what every exported page declares: no script runs,
nothing is loaded from outside the file (images only from ``data:``).

>>> markdown_to_html("**Dinas** <script>alert(1)</script> [x](http://a.example)")
'<p><strong>Dinas</strong> &lt;script&gt;alert(1)&lt;/script&gt; [x](http://a.example)</p>\\n'
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

from kinerja_analysis.reporting.paths import folder_names

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "CONTENT_SECURITY_POLICY",
    "PHONE_CHARS",
    "Markdown",
    "breakable",
    "clean_text",
    "column_widths",
    "text_width",
    "width_style",
    "escape_markdown",
    "markdown_to_html",
    "table_class",
]

#: The policy of every exported HTML page: no scripts, no fetches; inline CSS, data: images.
#: The class of the placeholder a figure drawn beside the notebook holds until it is put
#: in place (:meth:`kinerja_analysis.reporting.notebook.ReportSession.figure`); an export
#: refuses a notebook that still has one.
FIGURE_PLACEHOLDER_CLASS = "grafik-tertunda"

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
    "base-uri 'none'; form-action 'none'"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Bidirectional embedding, override and isolate controls: inside a value they would
#: reorder the document's own text after it (an unterminated U+202E mirrors numbers).
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$", re.I)


class Markdown(str):
    """Markdown written by the project (not data): filled into other Markdown as is."""

    __slots__ = ()


#: Characters with an inline meaning in CommonMark + pipe tables + strike-through.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>!~|#{}&$])")
#: Block markers that matter when a value starts a line: a list item, quote or heading
#: marker followed by a space (``- x``, ``1. x``, ``> x``), or a line of only ``-``/``=``
#: (a setext underline or a rule). ``-0,64`` or ``1.5`` are numbers, not markers.
_MD_LINE_START = re.compile(r"^(\s*)(?:([-+>]|\d{1,9}[.)])(?=\s|$)|([-=])(?=[-=\s]*$))")


def escape_markdown(value: object) -> Markdown:
    """``value`` as Markdown that shows exactly its characters.

    Backslash-escapes every character with an inline meaning (CommonMark allows a
    backslash before any ASCII punctuation) and a list, quote or heading marker at the
    start; line breaks become spaces (a value never starts a block). A value with
    right-to-left letters (an OPD's name in Arabic script) is isolated (Unicode
    FSI…PDI, UAX #9), so the sentence around it keeps its order: without it, the
    numbers after an Arabic name were shown before it, beside the wrong OPD. A
    :class:`Markdown` value is returned unchanged.

    >>> escape_markdown("**Dinas** [x](#a) ~~y~~")
    '\\\\*\\\\*Dinas\\\\*\\\\* \\\\[x\\\\](\\\\#a) \\\\~\\\\~y\\\\~\\\\~'
    >>> markdown_to_html(escape_markdown("**Dinas** <b>"))
    '<p>**Dinas** &lt;b&gt;</p>\\n'
    """
    if isinstance(value, Markdown):
        return value
    s = str(value).replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    rtl = _has_rtl(s)
    s = _MD_INLINE.sub(r"\\\1", s)
    m = _MD_LINE_START.match(s)
    if m and m.group(2) and m.group(2)[0].isdigit():  # "1. x": escape the dot
        s = s[: m.end(2) - 1] + "\\" + s[m.end(2) - 1 :]
    elif m:  # "- x", "> x", "===": escape the marker
        at = m.start(2) if m.group(2) else m.start(3)
        s = s[:at] + "\\" + s[at:]
    if rtl:  # isolated, as character references: the text's own controls are removed
        s = f"{_ISOLATE_START}{s}{_ISOLATE_END}"
    return Markdown(s)


#: FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE as Markdown character references:
#: they pass :func:`clean_text` (which removes every bidi control a value carries) and
#: the parser turns them into the characters.
_ISOLATE_START, _ISOLATE_END = "&#x2068;", "&#x2069;"


def _has_rtl(text: str) -> bool:
    """Whether ``text`` holds a right-to-left letter (bidi class R or AL: Arabic,
    Hebrew, Syriac, Thaana, N'Ko …)."""
    return any(ord(c) >= 0x590 and unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def clean_text(text: str) -> str:
    """``text`` with control characters (except tab, LF, CR) replaced by U+FFFD and the
    bidirectional embedding/override/isolate controls removed.

    >>> clean_text("Dinas \\u202eA1\\x00")
    'Dinas A1\\ufffd'
    """
    return _CONTROL.sub("\ufffd", _BIDI.sub("", text))


#: A run of this many characters without a space cannot wrap in a table cell.
_LONG_RUN = re.compile(r"\S{25,}")
#: Characters that bind to their neighbour (joiners, combining marks, variation
#: selectors, emoji modifiers): no break is put next to them.
_BINDS = re.compile(r"[\u200c\u200d\u0300-\u036f\u064b-\u065f\ufe00-\ufe0f\U0001f3fb-\U0001f3ff]")


def breakable(text: str, every: int = 12) -> str:
    """``text`` with a break opportunity (U+200B ZERO WIDTH SPACE) every ``every``
    characters inside runs of 25 or more non-space characters, so that a 200-character
    name typed without a space wraps inside its table cell instead of widening the table
    past the page or the screen. Shorter words are untouched (they wrap at spaces, and
    never in the middle), and no break is put beside a joiner or combining mark.

    >>> breakable("Dinas " + "X" * 30).count("\u200b")
    2
    """

    def split(m: re.Match) -> str:
        run, out, since = m.group(0), [], 0
        for i, ch in enumerate(run):
            nxt = run[i + 1] if i + 1 < len(run) else ""
            out.append(ch)
            since += 1
            if since >= every and nxt and not _BINDS.match(ch) and not _BINDS.match(nxt):
                out.append("\u200b")
                since = 0
        return "".join(out)

    return _LONG_RUN.sub(split, text)


def _valid_link(url: str) -> bool:
    u = url.strip()
    return u.startswith("#") or bool(_DATA_IMAGE.match(u))


def _heading_ids(state) -> None:
    """Give every heading an ``id`` (its slug, made unique) for a table of contents."""
    tokens = state.tokens
    seen: dict[str, int] = {}
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and i + 1 < len(tokens):
            title = tokens[i + 1].content
            base = folder_names([title], empty="bagian")[title]
            n = seen.get(base, 0)
            seen[base] = n + 1
            tok.attrSet("id", base if n == 0 else f"{base}-{n + 1}")


#: Characters of table text (0.8 rem) that fit one row of a 390-pixel phone screen.
PHONE_CHARS = 48
#: A cell longer than this wraps on a phone anyway; it does not widen the estimate further.
_WRAP_CHARS = 16


def table_class(headers: list[str], columns: list[list[str]], base: str = "tabel-laporan") -> str:
    """The CSS classes of a table: ``base``, ``tabel-panjang`` when it has more than a
    dozen rows (it may continue on the next printed page, header repeated) and
    ``tabel-lebar`` when its narrowest layout is wider than a phone screen
    (:data:`PHONE_CHARS`): on a phone such a table is shown as one card per row, each
    value beside its header (``data-label``), instead of being cut at the screen edge.

    ``columns`` holds the written cells of each column, in the order of ``headers``.
    """
    need = 0
    for head, cells in zip(headers, columns, strict=True):
        word = max((len(w) for w in str(head).split()), default=1)
        cell = max((len(c) for c in cells), default=1)
        need += max(word, min(cell, _WRAP_CHARS)) + 2
    n_rows = max((len(c) for c in columns), default=0)
    kelas = [base] + (["tabel-panjang"] if n_rows > 12 else [])
    return " ".join(kelas + (["tabel-lebar"] if need > PHONE_CHARS else []))


#: Width of the A4 text block in points (210 mm less two margins of 1,8 cm).
PRINT_WIDTH_PT = 493.2
#: Printed table text: size in points (``laporan.css``, print).
_TABLE_PT = 8.5
#: A cell's left and right padding (0,35 rem each at 10 pt) and a point for borders and
#: rounding, in points.
_CELL_PAD_PT = 8.0
#: Room for shaping differences between the measurement and the renderer.
_SLACK = 1.05


@lru_cache(maxsize=2)
def _font(bold: bool) -> Any:
    """DejaVu Sans (the report's first font) as shipped with matplotlib, at 100 px."""
    import matplotlib  # lazy: only to find its bundled fonts
    from PIL import ImageFont  # lazy: with matplotlib

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(Path(matplotlib.get_data_path(), "fonts", "ttf", name)), 100)


def text_width(text: str, *, bold: bool = False, size: float = _TABLE_PT) -> float:
    """Advance width of ``text`` in points, set in DejaVu Sans at ``size`` points.

    The report's style sheet names DejaVu Sans first; its fallbacks (Noto Sans,
    Liberation Sans, Arial) are narrower, so a width measured here is never short.

    >>> round(text_width("ASN", bold=True), 1), round(text_width("ASN"), 1)
    (19.8, 17.6)
    """
    # one line: a line break or other control character (untrusted text) is a space
    # to the measure, never an error of the shaping library
    line = _CONTROL.sub(" ", re.sub(r"[\t\n\r]", " ", text)).replace("\u200b", "")
    return _font(bold).getlength(line) * size / 100


def _words(text: str) -> list[str]:
    """The unbreakable runs of ``text``: words, a run of 25 or more characters cut as
    :func:`breakable` cuts it (every 12)."""
    out = []
    for w in re.split(r"[\s\u200b]+", text):
        out.extend([w[i : i + 12] for i in range(0, len(w), 12)] if len(w) >= 25 else [w])
    return [w for w in out if w]


def column_widths(
    headers: list[str], columns: list[list[str]], numeric: list[bool] | None = None
) -> list[float]:
    """Column widths (percent of the table, summing to at most 100) for a printed table.

    CSS's automatic table layout, as its specification sketches it (CSS 2.1 §17.5.2.2),
    on text measured with the report's font (:func:`text_width`; headers bold) instead
    of laid out: each column has a narrowest width (its widest word; a number is never
    broken) and a widest (its widest line, header or cell), both with the cell's padding;
    the columns get their widest widths when those fit the A4 text block
    (:data:`PRINT_WIDTH_PT`), else their narrowest plus a common share of what is left,
    and room to spare goes to the columns in proportion to their widest widths. The
    print style sheet lays tables out with these widths (``table-layout: fixed``), which
    spares the renderer measuring every cell twice; a browser on screen lays them out
    itself. ``numeric`` marks columns whose cells do not wrap (default: none). Cells of
    Markdown tables may carry ``**`` and ``\\``: they are not measured.

    >>> column_widths(["OPD", "n"], [["Dinas Pendidikan dan Kebudayaan"], ["1.234"]])
    [82.8, 17.1]
    """
    numeric = numeric or [False] * len(headers)
    lo, hi = [], []

    def width(t: str, bold: bool) -> float:
        return text_width(t.replace("**", "").replace("\\", ""), bold=bold) * _SLACK

    for head, cells, num in zip(headers, columns, numeric, strict=True):
        head = str(head)
        word = max(
            [width(w, True) for w in _words(head)]
            + [width(c, False) if num else width(w, False) for c in cells for w in _words(c)]
            + [0.0]
        )
        line = max([width(head, True)] + [width(c, False) for c in cells])
        lo.append(word + _CELL_PAD_PT)
        hi.append(max(line, word) + _CELL_PAD_PT)
    if not hi:
        return []
    low, high = sum(lo), sum(hi)
    if high <= PRINT_WIDTH_PT:
        w = hi
    elif low >= PRINT_WIDTH_PT:
        w = lo
    else:
        share = (PRINT_WIDTH_PT - low) / (high - low)
        w = [a + (b - a) * share for a, b in zip(lo, hi, strict=True)]
    total = sum(w)
    # rounded down: widths summing to more than 100% would widen the table past the page
    return [math.floor(1000 * x / total) / 10 for x in w]


def width_style(width: float) -> str:
    """The style of a header cell of a column ``width`` percent wide (print only: the
    print style sheet reads ``--lebar``)."""
    return f"--lebar:{width:g}%"


def _set_widths(th: list, widths: list[float]) -> None:
    for tok, w in zip(th, widths, strict=True):
        style = tok.attrGet("style")
        tok.attrSet("style", f"{style};{width_style(w)}" if style else width_style(w))


def _table_cells(state) -> None:
    """Pipe tables: every body cell carries its column header (``data-label``) and the
    table its classes (:func:`table_class`), as the tables of the notebooks do."""
    tokens = state.tokens
    start, heads, cols, col, th = None, [], [], 0, []
    for i, tok in enumerate(tokens):
        if tok.type == "table_open":
            start, heads, cols, th = tok, [], [], []
        elif tok.type == "th_open" and i + 1 < len(tokens):
            th.append(tok)
            heads.append(tokens[i + 1].content.replace("*", "").strip())
            cols.append([])
        elif tok.type == "tr_open":
            col = 0
        elif tok.type == "td_open":
            if col < len(heads):
                tok.attrSet("data-label", heads[col])
                if i + 1 < len(tokens):
                    cols[col].append(tokens[i + 1].content)
            col += 1
        elif tok.type == "table_close" and start is not None:
            start.attrSet("class", table_class(heads, cols, "tabel-narasi"))
            _set_widths(th, column_widths(heads, cols))
            start = None


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt  # lazy: only when rendering documents

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.validateLink = _valid_link
    md.core.ruler.push("heading_ids", _heading_ids)
    md.core.ruler.push("table_cells", _table_cells)
    return md


def markdown_to_html(md: str) -> str:
    """Render report Markdown (CommonMark + pipe tables) to inert HTML.

    Parameters
    ----------
    md
        Markdown text, possibly holding untrusted values.

    Returns
    -------
    str
        An HTML fragment: raw HTML of the input escaped, only in-page links and inline
        images kept, headings with ``id`` attributes.
    """
    return _parser().render(clean_text(str(md)))
