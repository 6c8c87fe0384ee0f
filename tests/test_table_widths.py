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
    PRINT_CHARS,
    column_widths,
    markdown_to_html,
    width_style,
)
from kinerja_analysis.reporting.notebook import table_html

PAD = 1.5  # the padding column_widths adds per column, in characters


def test_widest_widths_when_they_fit_spare_room_by_widest():
    w = column_widths(["OPD", "n"], [["Dinas Pendidikan dan Kebudayaan", "Dinas X"], ["1", "12"]])
    # widest lines 31 and 2 characters (+ padding): the room is shared in that proportion
    assert w == pytest.approx([100 * 32.5 / 36.0, 100 * 3.5 / 36.0], abs=0.1)
    assert sum(w) <= 100


def test_narrowest_plus_a_common_share_when_the_widest_do_not_fit():
    long_text = " ".join(["kata"] * 60)  # 299 characters, longest word 4
    heads = ["Uraian", "Nilai"]
    w = column_widths(heads, [[long_text], ["123.456,78"]], [False, True])
    lo = [6 + PAD, 10 + PAD]
    hi = [len(long_text) + PAD, 10 + PAD]
    share = (PRINT_CHARS - sum(lo)) / (sum(hi) - sum(lo))
    want = [a + (b - a) * share for a, b in zip(lo, hi, strict=True)]
    assert w == pytest.approx([100 * x / sum(want) for x in want], abs=0.1)


def test_narrowest_widths_when_even_they_do_not_fit():
    heads = [f"Kolom{i}" for i in range(12)]
    cols = [["x" * 20] for _ in heads]  # 12 × 21.5 characters > PRINT_CHARS
    w = column_widths(heads, cols)
    assert w == pytest.approx([100 / 12] * 12, abs=0.1) and sum(w) <= 100


def test_numbers_are_never_broken_and_long_words_are_capped():
    # a number's whole text is its narrowest width; a word of 25+ characters is broken
    # every 12 characters by breakable(), so it counts as at most 24
    num = column_widths(["a", "b"], [["1 234 567 890"], ["x"]], [True, False])
    txt = column_widths(["a", "b"], [["1 234 567 890"], ["x"]], [False, False])
    assert num == txt  # fits either way: widest lines
    hostile = "X" * 500
    w = column_widths(["OPD", "n", "p"], [[hostile], ["5"], ["0,05"]], [False, True, True])
    assert sum(w) <= 100 and all(x > 0 for x in w)
    # the number columns keep their whole text; the long name takes the rest of the row
    assert w[1] * PRINT_CHARS / 100 >= 1 + PAD - 0.1
    assert w[2] * PRINT_CHARS / 100 >= 4 + PAD - 0.1
    assert w[0] * PRINT_CHARS / 100 >= 24 + PAD - 0.1


def test_empty_table_and_no_columns():
    assert column_widths([], []) == []
    assert column_widths(["Indikator", "Nilai"], [[], []]) == pytest.approx(
        [100 * 10.5 / 17.0, 100 * 6.5 / 17.0], abs=0.1
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
    assert len(_header_widths(table_html(wide, max_kolom=5))) >= 3


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
