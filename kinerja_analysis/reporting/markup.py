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

import re
from functools import lru_cache

from kinerja_analysis.reporting.paths import folder_names

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "Markdown",
    "clean_text",
    "escape_markdown",
    "markdown_to_html",
]

#: The policy of every exported HTML page: no scripts, no fetches; inline CSS, data: images.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
    "base-uri 'none'; form-action 'none'"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
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
    start; line breaks become spaces (a value never starts a block). A
    :class:`Markdown` value is returned unchanged.

    >>> escape_markdown("**Dinas** [x](#a) ~~y~~")
    '\\\\*\\\\*Dinas\\\\*\\\\* \\\\[x\\\\](\\\\#a) \\\\~\\\\~y\\\\~\\\\~'
    >>> markdown_to_html(escape_markdown("**Dinas** <b>"))
    '<p>**Dinas** &lt;b&gt;</p>\\n'
    """
    if isinstance(value, Markdown):
        return value
    s = str(value).replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    s = _MD_INLINE.sub(r"\\\1", s)
    m = _MD_LINE_START.match(s)
    if m and m.group(2) and m.group(2)[0].isdigit():  # "1. x": escape the dot
        s = s[: m.end(2) - 1] + "\\" + s[m.end(2) - 1 :]
    elif m:  # "- x", "> x", "===": escape the marker
        at = m.start(2) if m.group(2) else m.start(3)
        s = s[:at] + "\\" + s[at:]
    return Markdown(s)


def clean_text(text: str) -> str:
    """``text`` with control characters (except tab, LF, CR) replaced by U+FFFD."""
    return _CONTROL.sub("\ufffd", text)


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


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt  # lazy: only when rendering documents

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.validateLink = _valid_link
    md.core.ruler.push("heading_ids", _heading_ids)
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
