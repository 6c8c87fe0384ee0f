"""The PDF reads like a document: checked on the rendered layout, page by page.

Each HTML report of the synthetic batch is laid out again with WeasyPrint (the renderer
of the PDF; the page count must equal the PDF's) and its layout tree is walked:

* no page holds only a heading, and no heading is the last thing on a page (its table
  or figure on the next);
* every figure and every table lies inside the page's content box (nothing cut at a
  page edge, nothing printed over the footer);
* the period document opens with the executive summary on page 1 (one page), then the
  table of contents, whose page numbers are those where the sections start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

pytestmark = pytest.mark.slow

HEADINGS = {"h1", "h2", "h3", "h4"}
EPS = 0.5  # CSS px of rounding tolerance


@dataclass
class Leaf:
    """A piece of content on a page: text or image, with the tags of its ancestors."""

    kind: str  # "text" or "image"
    y: float
    bottom: float
    tags: tuple[str, ...]
    ids: tuple[str, ...]
    text: str = ""

    @property
    def heading(self) -> bool:
        return bool(HEADINGS & set(self.tags))


def _layout(html: str):
    from weasyprint import HTML  # lazy: heavy (Pango)

    return HTML(string=html, base_url=None).render()


def _walk(box, tags=(), ids=()):
    """Yield (box, ancestor tags, ancestor ids) for every box below ``box``."""
    tag = getattr(box, "element_tag", None)
    el = getattr(box, "element", None)
    ident = el.get("id") if el is not None and hasattr(el, "get") else None
    tags = (*tags, tag) if tag else tags
    ids = (*ids, ident) if ident else ids
    yield box, tags, ids
    for child in getattr(box, "children", None) or ():
        yield from _walk(child, tags, ids)


def _pages(document):
    """Per page: (content box, leaves, figures and tables as (tag, box))."""
    from weasyprint.formatting_structure import boxes  # lazy: with WeasyPrint

    out = []
    for page in document.pages:
        pb = page._page_box  # the page's layout tree (WeasyPrint's formatting structure)
        area = (pb.content_box_x(), pb.content_box_y(), pb.width, pb.height)
        leaves, blocks = [], []
        for child in pb.children:
            if isinstance(child, boxes.MarginBox):
                continue  # page number footer
            for b, tags, ids in _walk(child):
                if isinstance(b, boxes.TextBox) and b.text.strip():
                    leaves.append(
                        Leaf("text", b.position_y, b.position_y + b.height, tags, ids, b.text)
                    )
                elif isinstance(b, boxes.ReplacedBox):
                    bottom = b.position_y + b.margin_height()
                    leaves.append(Leaf("image", b.position_y, bottom, tags, ids))
                    blocks.append(("img", b))
                elif isinstance(b, boxes.TableBox):
                    blocks.append(("table", b))
        out.append((area, leaves, blocks))
    return out


def _documents(reports):
    return sorted(reports.files(".html"), key=str)


@pytest.fixture(scope="module")
def reports(synthetic_reports):
    return synthetic_reports


@pytest.fixture(scope="module")
def layouts(reports):
    """Every report's layout (index pages excluded: they are not printed)."""
    out = {}
    for html in _documents(reports):
        if html.name == "index.html":
            continue
        out[html] = _pages(_layout(html.read_text("utf-8")))
    return out


def test_layout_is_the_pdf(reports, layouts):
    from pypdf import PdfReader  # lazy: only here

    for html, pages in layouts.items():
        pdf = html.with_suffix(".pdf")
        assert len(PdfReader(str(pdf)).pages) == len(pages), pdf.name


def test_no_page_holds_only_a_heading_nor_ends_with_one(layouts):
    problems = []
    for html, pages in layouts.items():
        for i, (_area, leaves, _blocks) in enumerate(pages, start=1):
            if not leaves:
                problems.append(f"{html.name} p.{i}: empty page")
                continue
            if all(leaf.heading for leaf in leaves):
                problems.append(f"{html.name} p.{i}: only a heading")
            last = max(leaves, key=lambda leaf: leaf.bottom)
            if last.heading and i < len(pages):
                problems.append(f"{html.name} p.{i}: ends with heading {last.text!r}")
    assert not problems, "\n".join(problems)


def test_figures_and_tables_inside_the_page_box(layouts):
    problems = []
    n_checked = 0
    for html, pages in layouts.items():
        for i, ((x0, y0, w, h), _leaves, blocks) in enumerate(pages, start=1):
            for tag, b in blocks:
                n_checked += 1
                left, top = b.position_x, b.position_y
                right = left + b.margin_width()
                bottom = top + b.margin_height()
                if (
                    left < x0 - EPS
                    or right > x0 + w + EPS
                    or top < y0 - EPS
                    or bottom > y0 + h + EPS
                ):
                    problems.append(
                        f"{html.name} p.{i}: {tag} at x {left:.0f}–{right:.0f}, "
                        f"y {top:.0f}–{bottom:.0f} outside {x0:.0f}–{x0 + w:.0f} × "
                        f"{y0:.0f}–{y0 + h:.0f}"
                    )
    assert n_checked > 50  # the check saw the documents' figures and tables
    assert not problems, "\n".join(problems)


def test_period_document_opens_with_summary_and_contents(reports, layouts):
    from pypdf import PdfReader  # lazy: only here

    docs = [reports.out_id / p / f"laporan_periode_{p}.html" for p in (reports.first, reports.last)]
    docs.append(reports.out_en / reports.last / f"laporan_periode_{reports.last}.html")
    for html in docs:
        pages = layouts[html]
        where: dict[str, int] = {}  # id -> first page
        for i, (_a, leaves, _b) in enumerate(pages, start=1):
            for leaf in leaves:
                for ident in leaf.ids:
                    where.setdefault(ident, i)
        # the executive summary is page 1 and the contents (which open a page) page 2:
        # the summary fits one page
        assert where["bagian-ringkasan"] == 1, html.name
        assert where["daftar-isi"] == 2, html.name
        # the printed contents give the page where each section starts
        toc = PdfReader(str(html.with_suffix(".pdf"))).pages[1].extract_text()
        numbers = [int(n) for n in re.findall(r"\.\s*(\d+)\s*$", toc, flags=re.M)]
        starts = [where[i] for i in sorted(where, key=where.get) if i.startswith("bagian-")]
        assert numbers == starts, (html.name, numbers, starts)
