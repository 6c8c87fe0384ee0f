"""Data values filled into Markdown stay text: no emphasis, strike-through, link, image,
code or list from an OPD name, in the narrative, in fixed texts or in pipe tables."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from kinerja_analysis import load_dataset
from kinerja_analysis.analyses.shared import compute_shared
from kinerja_analysis.data.synth import generate, write_dataset
from kinerja_analysis.reporting.facts import period_facts
from kinerja_analysis.reporting.markup import Markdown, escape_markdown, markdown_to_html
from kinerja_analysis.reporting.narrative import write_report

PAYLOADS = (
    "**Dinas Tebal**",
    "~~Sekretariat Coret~~",
    "[Klik ke Rekomendasi](#rekomendasi) Dinas Tautan",
    "![x](data:image/png;base64,iVBORw0KGgo=) Badan Gambar",
    "`kode` Dinas _miring_ <b>tag</b> \\[x\\] &amp; {{ 7*7 }}",
    "- Dinas Daftar",
    "1. Dinas Nomor",
    "# Dinas Judul",
    "> Dinas Kutipan",
    "Dinas | Pipa | Tabel",
)
#: HTML elements that only Markdown syntax (never plain text) produces.
MARKUP = re.compile(r"<(strong|em|s|del|a|img|code|h[1-6]|blockquote|ol|ul|li|table)\b")


@pytest.mark.parametrize("value", PAYLOADS)
def test_escaped_value_renders_as_its_own_characters(value):
    out = markdown_to_html(escape_markdown(value))
    assert not MARKUP.search(out), out
    visible = html.unescape(re.sub(r"<[^>]+>", "", out)).strip()
    assert visible == value


def test_project_markdown_passes_unchanged():
    md = Markdown("**tebal** [isi](#hasil)")
    assert escape_markdown(md) is md
    assert "<strong>" in markdown_to_html(f"x {escape_markdown(md)}")


@pytest.mark.slow
def test_narrative_keeps_hostile_opd_names_as_text(tmp_path):
    res = generate(n_pegawai=300, seed=11)
    names = sorted(res.tables["pegawai"]["opd"].unique())
    rename = {n: f"{PAYLOADS[i % len(PAYLOADS)]} {i}" for i, n in enumerate(names)}
    for name, df in res.tables.items():
        if "opd" in df.columns:
            res.tables[name] = df.assign(opd=df["opd"].map(lambda v: rename.get(v, v)))
    write_dataset(res, tmp_path / "kota")
    ds = load_dataset(tmp_path / "kota")
    last = ds.periods[-1]
    shared = compute_shared(ds, through=last, n_boot=49)
    seen = 0
    for bahasa in ("id", "en"):
        fk = period_facts(ds, shared, last, bahasa=bahasa, date=dt.date(2026, 1, 1))
        md = write_report(fk).markdown()
        out = markdown_to_html(md)
        text = html.unescape(re.sub(r"<[^>]+>", "", out))
        for value in rename.values():
            seen += value in text
        for tag in re.finditer(r"<(s|del|img|a)\b[^>]*>", out):
            assert tag.group(0).startswith('<a href="#'), tag.group(0)  # contents links only
        assert "Dinas Tautan</a>" not in out and "<strong>Dinas Tebal" not in out
        assert "<s>" not in out and "<img" not in out
    assert seen, "no OPD name reached the narrative: the test checks nothing"


def test_a_right_to_left_value_is_isolated_so_the_sentence_keeps_its_order():
    """A fresh tester's OPD named in Arabic script: in the PDF the percentage after it
    was shown before it ("(%66,7) … دائرة الصحة"), beside the wrong OPD. A value with
    right-to-left letters is now wrapped in FSI…PDI; other values are unchanged."""
    name = "دائرة الصحة"
    html = markdown_to_html(
        Markdown("Tertinggi: ") + escape_markdown(name) + " (77,3%), lalu Dinas A (66,7%)."
    )
    assert f"\u2068{name}\u2069 (77,3%)" in html
    for plain in ("Dinas Pendidikan", "Bagian Umum & Keuangan", "Ünïcödé Ωmega"):
        assert "\u2068" not in markdown_to_html(escape_markdown(plain))
    # the value's own bidi controls are still removed, and a value that spells the
    # character reference is shown as text, never turned into a control
    html = markdown_to_html(escape_markdown(f"\u202e{name}") + " " + escape_markdown("&#x2068;x"))
    assert "\u202e" not in html and html.count("\u2068") == 1 and "&amp;#x2068;x" in html
