"""Printed tables are laid out with the column widths the report computes.

``reporting.markup.column_widths`` follows CSS's automatic table layout in characters;
every table of the report (notebook tables and the narrative's pipe tables) carries the
widths on its header cells (``--lebar``) and the print style sheet lays it out with them
(``table-layout: fixed``). Checked: the three regimes of the algorithm, hostile cells,
that both table writers carry the widths, and that WeasyPrint's columns follow them.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from kinerja_analysis.reporting.markup import (
    PRINT_WIDTH_PT,
    column_widths,
    markdown_to_html,
    text_width,
    width_style,
)
from kinerja_analysis.reporting.notebook import table_html

PAD = 8.0  # padding and borders column_widths adds per column, in points
SLACK = 1.05  # its allowance for shaping differences


def _w(text: str, bold: bool = False) -> float:
    return text_width(text, bold=bold) * SLACK


def test_text_width_is_the_fonts_advance():
    # DejaVu Sans at 8,5 pt: bold is wider, capitals are wider than small letters
    assert text_width("ASN", bold=True) > text_width("ASN") > text_width("asn")
    assert text_width("ab") == pytest.approx(text_width("a") + text_width("b"), rel=0.02)
    assert text_width("x" * 10, size=17) == pytest.approx(2 * text_width("x" * 10), rel=1e-6)
    assert text_width("a\u200bb") == text_width("ab")


def test_widest_widths_when_they_fit_spare_room_by_widest():
    cells = [["Dinas Pendidikan dan Kebudayaan", "Dinas X"], ["1", "12"]]
    w = column_widths(["OPD", "n"], cells, [False, True])
    hi = [_w("Dinas Pendidikan dan Kebudayaan") + PAD, _w("12") + PAD]
    assert w == pytest.approx([100 * x / sum(hi) for x in hi], abs=0.1)
    assert sum(w) <= 100


def test_narrowest_plus_a_common_share_when_the_widest_do_not_fit():
    long_text = " ".join(["kata"] * 60)
    heads = ["Uraian", "Nilai"]
    w = column_widths(heads, [[long_text], ["123.456,78"]], [False, True])
    lo = [_w("Uraian", True) + PAD, _w("123.456,78") + PAD]
    hi = [_w(long_text) + PAD, _w("123.456,78") + PAD]
    share = (PRINT_WIDTH_PT - sum(lo)) / (sum(hi) - sum(lo))
    want = [a + (b - a) * share for a, b in zip(lo, hi, strict=True)]
    assert w == pytest.approx([100 * x / sum(want) for x in want], abs=0.1)


def test_narrowest_widths_when_even_they_do_not_fit():
    heads = [f"Kolom{i}" for i in range(12)]
    cols = [["x" * 20] for _ in heads]  # 12 unbreakable words wider than the page
    w = column_widths(heads, cols)
    assert w == pytest.approx([100 / 12] * 12, abs=0.1) and sum(w) <= 100


def test_every_column_gets_its_widest_word():
    """The bug this guards against: short capitalised headers and codes ("ASN",
    "Count", "mot1") printed broken mid-word when widths were counted in characters."""
    heads = ["Construct", "Item", "Statement", "Reverse-keyed", "Count", "Mean", "ASN"]
    cols = [
        ["Acceptance of the evaluation system"],
        ["mot1"],
        ["Saya bersemangat menyelesaikan target kinerja saya setiap hari."],
        ["no"],
        ["4,159"],
        ["3.78"],
        ["1.554"],
    ]
    numeric = [False, False, False, False, True, True, True]
    w = column_widths(heads, cols, numeric)
    for head, cells, num, pct in zip(heads, cols, numeric, w, strict=True):
        words = [head] + (cells if num else [x for c in cells for x in c.split()])
        need = max(text_width(x, bold=(x == head)) for x in words) + 7.0  # padding
        assert pct / 100 * PRINT_WIDTH_PT >= need, (head, pct)


def test_numbers_are_never_broken_and_long_words_are_cut_as_breakable_cuts_them():
    hostile = "X" * 500
    w = column_widths(["OPD", "n", "p"], [[hostile], ["5"], ["0,05"]], [False, True, True])
    assert sum(w) <= 100 and all(x > 0 for x in w)
    # the number columns keep their whole text; the long name takes the rest of the row
    assert w[1] / 100 * PRINT_WIDTH_PT >= _w("n", True) + PAD - 0.5
    assert w[2] / 100 * PRINT_WIDTH_PT >= _w("0,05") + PAD - 0.5
    assert w[0] / 100 * PRINT_WIDTH_PT >= _w("X" * 12) + PAD - 0.5


def test_empty_table_and_no_columns():
    assert column_widths([], []) == []
    hi = [_w("Indikator", True) + PAD, _w("Nilai", True) + PAD]
    assert column_widths(["Indikator", "Nilai"], [[], []]) == pytest.approx(
        [100 * x / sum(hi) for x in hi], abs=0.1
    )


def _header_widths(html: str) -> list[list[float]]:
    out = []
    for table in re.findall(r"<table.*?</table>", html, re.S):
        ths = re.findall(r"<th[\s>][^>]*>?", table)
        out.append([float(m) for th in ths for m in re.findall(r"--lebar:([0-9.]+)%", th)])
        assert len(out[-1]) == len(ths), table[:200]
    return out


def test_notebook_tables_carry_their_widths():
    df = pd.DataFrame({"opd": ["Dinas <b>A</b>", "Dinas B"], "n_asn": [1200, 35]})
    html = table_html(df)
    (w,) = _header_widths(html)
    assert sum(w) <= 100 and w[0] > w[1]
    # split tables: each part has its own widths
    wide = pd.DataFrame({f"c{i}": [1.0] for i in range(12)} | {"opd": ["Dinas A"]})
    assert len(_header_widths(table_html(wide, max_columns=5))) >= 3


def test_narrative_pipe_tables_carry_their_widths_beside_their_alignment():
    md = "| OPD | Jumlah |\n|:---|---:|\n| Dinas Pendidikan | 1.554 |\n| Dinas X | 7 |\n"
    html = markdown_to_html(md)
    (w,) = _header_widths(html)
    assert sum(w) <= 100 and w[0] > w[1]
    assert "text-align:right;--lebar:" in html  # markdown-it's own style is kept


def test_print_layout_follows_the_widths():
    from weasyprint import HTML  # lazy: heavy (Pango)
    from weasyprint.formatting_structure import boxes

    from kinerja_analysis.reporting.export import _template

    df = pd.DataFrame(
        {
            "opd": ["Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "Dinas B"],
            "n_asn": [1200, 35],
            "rerata_capaian_skp": [101.25, 99.5],
        }
    )
    body = table_html(df)
    (want,) = _header_widths(body)
    page = f"<html><head><style>{_template('laporan.css')}</style></head><body>{body}</body></html>"
    doc = HTML(string=page, base_url=None).render()

    def tables(box):
        if isinstance(box, boxes.TableBox):
            yield box
        for child in getattr(box, "children", None) or ():
            yield from tables(child)

    (table,) = list(tables(doc.pages[0]._page_box))
    got = [100 * c / table.width for c in table.column_widths]
    # the leftover of the rounding (< 0.1% a column) is shared out by the renderer
    assert got == pytest.approx(want, abs=0.5)
    assert width_style(12.5) == "--lebar:12.5%"


def test_printed_cells_keep_their_words():
    """Laid out by WeasyPrint with the computed widths, no header or cell of a table of
    short capitalised headers, codes and long statements is broken inside a word."""
    from weasyprint import HTML  # lazy: heavy (Pango)
    from weasyprint.formatting_structure import boxes

    from kinerja_analysis.reporting.export import _template

    df = pd.DataFrame(
        {
            "konstruk": ["Acceptance of the evaluation system", "Work motivation"],
            "item": ["mot1", "pen4"],
            "pernyataan": [
                "Saya bersemangat menyelesaikan target kinerja saya setiap hari.",
                "Sistem evaluasi yang baru hanya menambah beban administrasi.",
            ],
            "n_asn": [1554, 35],
            "rerata": [3.78, 3.7],
        }
    )
    for bahasa in ("id", "en"):
        body = table_html(df, bahasa=bahasa)
        page = f"<html><head><style>{_template('laporan.css')}</style></head><body>{body}</body></html>"
        doc = HTML(string=page, base_url=None).render()

        def cells(box):
            if isinstance(box, boxes.TableCellBox):
                yield box
            else:
                for child in getattr(box, "children", None) or ():
                    yield from cells(child)

        def lines(box):
            if isinstance(box, boxes.LineBox):
                yield "".join(t.text for t in box.descendants() if isinstance(t, boxes.TextBox))
            else:
                for child in getattr(box, "children", None) or ():
                    yield from lines(child)

        found = list(cells(doc.pages[0]._page_box))
        assert len(found) == 3 * 5
        for cell in found:
            words = "".join(cell.element.itertext()).replace("\u200b", "").split()
            for ln in lines(cell):
                for token in ln.replace("\u200b", "").split():
                    assert token in words, (bahasa, token, words)
