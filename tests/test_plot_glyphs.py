"""Figure text with characters the figures' font lacks: an emoji, a CJK name, a
zero-width joiner in an OPD name is drawn legibly (``�`` for what no font of the
figures can draw, format characters dropped), with no "Glyph … missing from font"
warning in the log, while ordinary names draw exactly as before and the tables keep
the original value."""

from __future__ import annotations

import base64
import logging
import random
import unicodedata
import warnings
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text

from kinerja_analysis.reporting import glyphs, plots
from kinerja_analysis.reporting.glyphs import REPLACEMENT, clusters, drawable
from kinerja_analysis.reporting.notebook import figure_png

EMOJI, CJK, ZWJ = "\U0001f3e5", "\u4e2d\u592e", "\u200d"
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one emoji of five code points
HOSTILE = f"Dinas {EMOJI} Kesehatan {CJK} Tim{ZWJ}Satu {FAMILY}"
PLAIN = [
    "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
    "Dinas Pemberdayaan Perempuan dan Perlindungan Anak",
    "Sekretariat DPRD (Bag. Umum) & Protokol",
    "Café Señor Ñandú – Müller ß ×±°µ§ «½»",
    "Dinas\u00a0Kesehatan 100%",
]


@pytest.fixture(autouse=True)
def _style():
    with mpl.rc_context():
        plots.use_style()
        yield
    plt.close("all")


def _missing(records) -> list[str]:
    return [m for m in map(str, records) if "missing from" in m or "Glyph" in m]


def _draw(fig, caplog) -> bytes:
    """The figure as the documents draw it, with every warning and log record kept."""
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.DEBUG):
        warnings.simplefilter("always")
        png = base64.b64decode(figure_png(fig)[0])
    assert not _missing([w.message for w in caught]), _missing([w.message for w in caught])
    assert not _missing(r.getMessage() for r in caplog.records)
    return png


def _figures(names: list[str], width: float) -> list:
    """Every kind of figure with data text: names as tick labels, as text above bars,
    as heatmap rows, in a legend and in the title."""
    rows = [(o, p, v) for o in names for p, v in (("Sangat Baik", 0.3), ("Baik", 0.7))]
    pred = pd.DataFrame(rows, columns=["opd", "predikat", "persen"])
    prof = pd.DataFrame(
        [(o, d, 3.0 + 0.1 * i) for i, o in enumerate(names) for d in ("akuntabel", "loyal")],
        columns=["opd", "dimensi", "rerata"],
    )
    bars = pd.DataFrame(
        {
            "opd": names * 2,
            "n": range(2 * len(names)),
            "g": [names[0]] * len(names) + ["B"] * len(names),
        }
    )
    k = len(names)
    coef = pd.DataFrame(
        {"term": names, "estimate": np.zeros(k), "ci_low": -np.ones(k), "ci_high": np.ones(k)}
    )
    return [
        *plots.plot_predikat_pages(pred, title=names[0], width=width),
        *plots.plot_opd_profile_pages(prof, title=names[0], width=width),
        plots.plot_bars(bars, category="opd", value="n", group="g", title=names[0], width=width),
        plots.plot_coefficients(coef, title=names[0], width=width),
    ]


def _drawn_texts(fig) -> list[str]:
    fig.canvas.draw()  # tick labels are made while drawing
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


@pytest.mark.parametrize("width", [plots.PAGE_WIDTH, plots.PHONE_WIDTH])
def test_a_name_with_emoji_cjk_and_joiner_draws_without_missing_glyphs(width, caplog):
    names = [HOSTILE, "Badan Keuangan"]
    for fig in _figures(names, width):
        texts = _drawn_texts(fig)
        ours = [t for t in texts if "Dinas" in t]
        assert ours, texts  # the name is drawn (as a label, a title or a legend entry)
        for t in ours:
            assert REPLACEMENT in t
            assert EMOJI not in t and ZWJ not in t and CJK[0] not in t
            assert {"Dinas", "Kesehatan"} <= set(t.replace("\n", " ").split())
        _draw(fig, caplog)


def test_the_label_as_drawn_holds_the_substitute():
    """The tick label matplotlib draws holds ``�`` where the name has the emoji and each
    CJK character, one for the joined family emoji, and no joiner."""
    bars = pd.DataFrame({"opd": [HOSTILE, "Badan Keuangan"], "n": [3, 4]})
    fig = plots.plot_bars(bars, category="opd", value="n", width=plots.PAGE_WIDTH)
    fig.canvas.draw()
    label = [t.get_text() for t in fig.axes[0].get_yticklabels() if "Dinas" in t.get_text()]
    assert len(label) == 1
    assert (
        label[0].replace("\n", " ")
        == f"Dinas {REPLACEMENT} Kesehatan {REPLACEMENT * 2} TimSatu {REPLACEMENT}"
    )


def test_a_ready_figure_is_drawn_legibly_too(caplog):
    """A figure made by hand (``doc.figure(fig)``) passes through the same function when
    it is drawn into a document: title, labels, legend and tick labels."""
    fig, ax = plt.subplots()
    ax.bar([0, 1], [1, 2], label=f"Grup {EMOJI}")
    ax.set_xticks([0, 1], [f"A {CJK}", f"B {FAMILY}"])
    ax.set_title(f"Judul {EMOJI}")
    ax.legend()
    texts = fig.findobj(Text)
    _draw(fig, caplog)
    drawn = [t.get_text() for t in texts] + [t.get_text() for t in ax.get_xticklabels()]
    assert f"Judul {REPLACEMENT}" in drawn and f"Grup {REPLACEMENT}" in drawn
    assert f"B {REPLACEMENT}" in drawn and f"A {REPLACEMENT * 2}" in drawn


def test_any_text_at_all_draws_without_missing_glyphs(caplog):
    """Two thousand code points drawn from every plane (letters of every script,
    emoji, marks, private use, unassigned, surrogates, controls) in regular and bold:
    no glyph is missing from the fonts, and what is drawn is what was measured."""
    rng = random.Random(20251231)
    pool = [rng.randrange(0x20, 0x110000) for _ in range(1500)]
    pool += [rng.randrange(0x80, 0x3000) for _ in range(500)]  # the scripts near Latin
    text = "".join(map(chr, pool))
    lines = [text[i : i + 60] for i in range(0, len(text), 60)]
    fig = plt.figure(figsize=(plots.PAGE_WIDTH, 8))
    for i, line in enumerate(lines):
        fig.text(0.01, i / len(lines), line, fontsize=5, fontweight="bold" if i % 2 else "normal")
    fig.suptitle(text[:80])
    _draw(fig, caplog)


def _fonts(weight: str) -> set[int]:
    from fontTools.ttLib import TTFont  # lazy: a second reader of the fonts' maps
    from matplotlib import font_manager

    path = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans", weight=weight))
    return set(TTFont(str(path)).getBestCmap())


def test_every_drawn_character_is_in_the_font_regular_and_bold():
    """Checked with another reader of the font files (fontTools) than the one the
    module uses (FreeType through matplotlib)."""
    regular, bold = _fonts("normal"), _fonts("bold")
    rng = random.Random(7)
    for _ in range(200):
        s = "".join(chr(rng.randrange(0x20, 0x110000)) for _ in range(40))
        out = drawable(s)
        assert drawable(out) == out  # idempotent: the figure pass changes nothing more
        for ch in out.replace("\n", ""):
            assert ord(ch) in regular and ord(ch) in bold, hex(ord(ch))
    assert glyphs.coverage() == frozenset(regular & bold)


@pytest.mark.parametrize(
    ("raw", "drawn"),
    [
        ("Dinas Pendidikan", "Dinas Pendidikan"),
        (PLAIN[3], PLAIN[3]),  # Latin-1 as it is
        ("Dinas \U0001f600", "Dinas \U0001f600"),  # an emoji DejaVu Sans has: kept
        (f"Dinas {EMOJI}", f"Dinas {REPLACEMENT}"),
        (FAMILY, REPLACEMENT),  # one user-perceived character, one substitute
        ("\U0001f1ee\U0001f1e9", REPLACEMENT),  # a flag
        ("\u2764\ufe0f \u261d\U0001f3fd", "\u2764 \u261d"),  # selector, skin tone dropped
        ("A\u200bB\u200cC\u200dD\u2060E\ufeffF\u00adG\u202eH", "ABCDEFGH"),
        ("Cafe\u0301 q\u0301", "Café q\u0301"),  # NFC; a mark the font has stays
        ("a\u20dd", f"a{REPLACEMENT}"),  # a mark the font lacks: the letter stays
        ("Z" + "\u0300" * 40, "Z" + "\u0300" * glyphs.MAX_MARKS + REPLACEMENT),
        ("\U0001d403\U0001d422\U0001d427\U0001d41a\U0001d42c \uff21", "Dinas A"),  # NFKC
        ("\ue000\U000f0000\ufffe\U000e01f0x", f"{REPLACEMENT * 3}x"),  # private, nonchar
        ("a\tb\r\nc\x00d\x85e\u2028f", f"a b\nc{REPLACEMENT}d e f"),
    ],
)
def test_what_each_kind_of_character_becomes(raw, drawn):
    assert drawable(raw) == drawn
    assert drawable(drawn) == drawn


def test_right_to_left_needs_a_layout_engine(monkeypatch):
    """Without libraqm (matplotlib < 3.11) Arabic would be drawn reversed and unjoined:
    it is ``�`` there; with it, it is drawn."""
    arabic = "\u062f\u0627\u0626\u0631\u0629"
    monkeypatch.setattr(glyphs, "_SHAPES", False)
    glyphs._cluster.cache_clear()
    try:
        assert drawable(f"Dinas {arabic}") == f"Dinas {REPLACEMENT * 5}"
    finally:
        glyphs._cluster.cache_clear()
    monkeypatch.undo()
    assert glyphs._SHAPES == (mpl.__version_info__[:2] >= (3, 11))
    if not glyphs._SHAPES:
        assert drawable(f"Dinas {arabic}") == f"Dinas {REPLACEMENT * 5}"
        return
    assert drawable(f"Dinas {arabic}") == f"Dinas {arabic}"
    # vowel marks stay on their letters (in canonical order: fatha before shadda)
    muhammad = "\u0645\u064f\u062d\u064e\u0645\u0651\u064e\u062f"
    assert drawable(muhammad) == unicodedata.normalize("NFC", muhammad) != muhammad


def test_wrap_measures_the_text_it_returns():
    """The label is wrapped as drawn: a name of 60 emoji becomes lines of ``�`` that
    each fit the line (the emoji were measured as the font's empty box before)."""
    from kinerja_analysis.reporting.markup import text_width

    budget = 12 * 0.62 * 10 * plots._WRAP_MARGIN
    out = plots.wrap(EMOJI * 60 + " Dinas", 12)
    assert set(out) <= {REPLACEMENT, "\n", " ", *"Dinas"}
    assert out.replace("\n", "").count(REPLACEMENT) == 60
    assert all(text_width(line, size=10) <= budget for line in out.split("\n"))
    # a long word is never cut between a letter and its mark
    lines = plots.wrap("q\u0301" * 80, 10).split("\n")
    assert len(lines) > 1 and not any(unicodedata.combining(line[0]) for line in lines)
    assert "".join(lines) == "q\u0301" * 80


def _pngs(names: list[str], caplog) -> list[bytes]:
    return [
        _draw(fig, caplog)
        for w in (plots.PAGE_WIDTH, plots.PHONE_WIDTH)
        for fig in _figures(names, w)
    ]


def test_ordinary_names_draw_byte_for_byte_as_without_the_pass(monkeypatch, caplog):
    """Plain Indonesian names (ASCII, Latin-1) give the same PNG bytes with the glyph
    pass as with it switched off: it changes no ordinary figure."""
    with_pass = _pngs(PLAIN, caplog)
    monkeypatch.setattr(glyphs, "drawable_figure", lambda fig: fig)
    monkeypatch.setattr(plots, "drawable_figure", lambda fig: fig)
    monkeypatch.setattr(plots, "drawable", str)
    assert _pngs(PLAIN, caplog) == with_pass


def test_tables_keep_the_original_value():
    """Only the figures substitute: the HTML table and the workbook hold the name."""
    import io

    from openpyxl import load_workbook

    from kinerja_analysis.reporting.export import xlsx_bytes
    from kinerja_analysis.reporting.notebook import table_html

    d = pd.DataFrame({"opd": [HOSTILE], "n_asn": [120]})
    html = table_html(d)
    assert EMOJI in html and CJK in html and FAMILY in html
    wb = load_workbook(io.BytesIO(xlsx_bytes({"opd": d})))
    assert HOSTILE in [c.value for row in wb.worksheets[0].iter_rows() for c in row]


# ----------------------------------------------------------------------------- references


def test_one_replacement_per_user_perceived_character():
    """A thumbs-up with a skin tone, a flag, a subdivision flag and two joined emoji are
    one character each to a reader, so one ``�`` each (UAX #29 clusters)."""
    seq = [
        "\U0001f44d\U0001f3fd",
        "\U0001f1ee\U0001f1e9",
        "\U0001f3f4\U000e0067\U000e0062\U000e007f",
        "\U0001f9d1\u200d\U0001f680",
        "\U0001f469\u200d\U0001f469\u200d\U0001f467",
    ]
    assert [len(list(clusters(x))) for x in seq] == [1] * len(seq)
    assert drawable("A" + "".join(seq) + "B") == "A" + REPLACEMENT * len(seq) + "B"
    # a letter keeps its marks; a line break ends a cluster
    assert list(clusters("e\u0301\u0323x\r\ny")) == ["e\u0301\u0323", "x", "\r\n", "y"]


def test_ignorable_code_points_are_unicodes():
    """Default_Ignorable_Code_Point as fontTools lists it (from DerivedCoreProperties)."""
    unicode_merge = pytest.importorskip("fontTools.merge.unicode")
    theirs = {cp for cp in range(0x110000) if unicode_merge.is_Default_Ignorable(cp)}
    ours = {cp for cp in range(0x110000) if glyphs._ignorable(chr(cp))}
    assert ours == theirs


def test_no_font_outside_matplotlib_is_relied_on():
    """The figures' fonts are the ones matplotlib ships (the same on every machine)."""
    from matplotlib import font_manager

    for weight in ("normal", "bold"):
        path = font_manager.findfont(
            font_manager.FontProperties(family=mpl.rcParams["font.family"], weight=weight)
        )
        assert Path(mpl.get_data_path()) in Path(str(path)).parents
