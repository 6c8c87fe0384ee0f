"""Hostile text keeps the layout: a document page built from tables and figures whose
OPD names are a 200-character word, right-to-left script, emoji, Markdown and markup.

The page is made by the rendering layer itself (:func:`table_html`, :func:`figure_html`,
:func:`markdown_to_html`, :func:`to_html`) and then laid out twice:

* by WeasyPrint (the PDF renderer): every table and image inside the page's content box;
* by headless Chromium at phone (390 px) and desktop (1280 px) width, when installed:
  nothing wider than the screen (no table cut at the edge), no script ran.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.request
from html.parser import HTMLParser

import nbformat
import pandas as pd
import pytest

from kinerja_analysis.reporting import export, plots
from kinerja_analysis.reporting.markup import breakable, markdown_to_html, table_class
from kinerja_analysis.reporting.notebook import figure_html, table_html

LONG = "Dinas" + "X" * 195
OPD = [
    "<script>window.__pwned=1</script>Dinas Skrip",
    '<img src=x onerror="window.__pwned=2">Badan Gambar',
    "**Tebal** _miring_ [tautan](http://evil.example) # Judul",
    LONG,
    "دائرة الصحة العامة Dinas RTL",
    "Dinas 🎉 Emoji 👩‍💼 Pelayanan",
    "=cmd|' /C calc'!A0",
    "Kecamatan Sungai\nLebar",  # a line break inside the cell (Alt+Enter)
    "Dinas \u202eTerpadu",  # an unterminated right-to-left override
]


def _frame() -> pd.DataFrame:
    n = len(OPD)
    return pd.DataFrame(
        {
            "opd": OPD,
            "n_asn": range(100, 100 + n),
            "ikm": [80.5 + i for i in range(n)],
            "mutu": ["B"] * n,
            "kinerja": ["Baik"] * n,
            "tepat_waktu_pct": [81.2] * n,
            "jumlah_pengaduan": [12] * n,
            "pct_sangat_baik": [0.1] * n,
        }
    )


def _page() -> str:
    d = _frame()
    bars = pd.DataFrame({"opd": OPD, "n_asn": range(10, 10 + len(OPD))})
    outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={"text/markdown": f"### Per OPD\n\nOPD terbesar: {LONG}; {OPD[0]} {OPD[2]}"},
        ),
        nbformat.v4.new_output("display_data", data={"text/html": table_html(d)}),
        nbformat.v4.new_output(
            "display_data",
            data={"text/html": figure_html(plots.plot_bars, bars, category="opd", value="n_asn")},
        ),
    ]
    cell = nbformat.v4.new_code_cell(source="", outputs=outputs)
    nb = nbformat.v4.new_notebook(cells=[cell])
    return export.to_html(nb, title=OPD[0], periode="2025Q4")


@pytest.fixture(scope="module")
def page() -> str:
    plots.use_style()
    return _page()


class _Active(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "link", "base", "form"):
            self.found.append(tag)
        self.found += [(tag, k) for k, _ in attrs if k.startswith("on")]
        self.found += [(tag, k, v) for k, v in attrs if k == "href" and v and v[0] != "#"]


def test_hostile_text_is_inert_and_breakable(page):
    p = _Active()
    p.feed(page)
    assert not p.found
    assert "&lt;script&gt;window.__pwned=1" in page
    # no text-direction control of the data reaches the page (it would mirror the
    # document's own words and numbers after the value)
    assert not any(c in page for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert "Dinas Terpadu" in page
    # the long name can wrap inside a table cell: break opportunities in its run
    assert "\u200b".join(["Dinas" + "X" * 7, "X" * 12]) in page
    assert breakable("Dinas Pendidikan") == "Dinas Pendidikan"
    assert breakable("👩‍💼" * 20).count("\u200d") == 20  # joiners never split off


def test_wide_tables_are_marked_for_the_phone_layout():
    assert "tabel-lebar" in table_class(
        ["OPD", "IKM"] + [f"Kolom {i}" for i in range(6)], [["x"]] * 8
    )
    assert "tabel-lebar" not in table_class(
        ["Periode", "Jumlah ASN"], [["Triwulan I 2024"], ["6.000"]]
    )
    html = table_html(_frame())
    assert 'class="tabel-laporan tabel-lebar"' in html and 'data-label="IKM"' in html
    md = markdown_to_html("| A | B |\n|---|---|\n| 1 | 2 |\n")
    assert 'data-label="A"' in md and 'class="tabel-narasi"' in md


def _boxes(box, tag=None):
    t = getattr(box, "element_tag", None)
    if t in ("table", "img"):
        yield t, box
    for child in getattr(box, "children", None) or ():
        yield from _boxes(child, t)


def test_pdf_tables_and_figures_inside_the_page_box(page):
    from weasyprint import HTML  # lazy: heavy (Pango)

    doc = HTML(string=page, base_url=None).render()
    seen = 0
    for pg in doc.pages:
        root = pg._page_box
        right = (
            root.margin_width() - root.margin_right - root.padding_right - root.border_right_width
        )
        for tag, b in _boxes(root):
            seen += 1
            assert b.position_x + b.width <= right + 0.5, (tag, b.position_x + b.width, right)
    assert seen >= 2


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
@pytest.mark.parametrize("width", [390, 1280])
def test_browser_layout_holds_at_phone_and_desktop_width(page, tmp_path, width):
    websocket = pytest.importorskip("websocket")  # websocket-client (a Jupyter dependency)
    f = tmp_path / "halaman.html"
    f.write_text(page, "utf-8")
    port = 9400 + width % 97
    proc = subprocess.Popen(
        [
            CHROMIUM,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            f"--remote-debugging-port={port}",
            f"--user-data-dir={tmp_path / 'profil'}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        tabs = None
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=2) as r:
                    tabs = json.load(r)
                break
            except OSError:
                time.sleep(0.2)
        assert tabs, "chromium did not start"
        ws = websocket.create_connection(
            next(t for t in tabs if t["type"] == "page")["webSocketDebuggerUrl"], timeout=60
        )
        n = 0

        def call(method, **params):
            nonlocal n
            n += 1
            ws.send(json.dumps({"id": n, "method": method, "params": params}))
            while True:
                msg = json.loads(ws.recv())
                if msg.get("id") == n:
                    return msg.get("result", {})

        call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=800,
            deviceScaleFactor=1,
            mobile=width < 600,
        )
        call("Page.enable")
        call("Page.navigate", url=f.as_uri())
        time.sleep(1.0)
        probe = """JSON.stringify({
          cw: document.documentElement.clientWidth,
          sw: document.documentElement.scrollWidth,
          pwned: window.__pwned || null,
          wide: [...document.querySelectorAll('table, img, p, li, h1, h2, h3')]
            .map(e => e.getBoundingClientRect())
            .filter(r => r.width > 0 && r.right > document.documentElement.clientWidth + 1)
            .length,
          ready: document.readyState})"""
        for _ in range(20):
            got = json.loads(call("Runtime.evaluate", expression=probe)["result"]["value"])
            if got["ready"] == "complete":
                break
            time.sleep(0.25)
        ws.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert got["pwned"] is None
    assert got["sw"] <= got["cw"], got
    assert got["wide"] == 0, got


def test_a_huge_name_in_the_title_leaves_no_blank_cover():
    """An OPD report's title holds the OPD's name: one of 3,300 characters made a cover
    heading taller than a page, so the PDF's first page was left blank and the title
    filled the next three. The cover's title is cut with "…" (the text keeps the name)."""
    import io
    import re

    import pypdf

    huge = "Badan " + "Sangat Panjang Sekali " * 150
    cell = nbformat.v4.new_code_cell(
        source="",
        outputs=[nbformat.v4.new_output("display_data", data={"text/markdown": "Isi."})],
    )
    html = export.to_html(
        nbformat.v4.new_notebook(cells=[cell]),
        title=f"Evaluasi Pengelolaan Kinerja ASN — {huge}",
        periode="2025Q4",
    )
    (h1,) = re.findall(r"<h1>(.*?)</h1>", html, flags=re.S)
    assert h1.startswith("Evaluasi Pengelolaan Kinerja ASN — Badan Sangat")
    assert h1.endswith("…") and len(h1) <= export.MAX_TITLE_CHARS
    (title,) = re.findall(r"<title>(.*?)</title>", html, flags=re.S)
    assert len(title) < 300
    pdf = pypdf.PdfReader(io.BytesIO(export.pdf_bytes(html)))
    assert "Evaluasi Pengelolaan" in pdf.pages[0].extract_text()
    assert len(pdf.pages) == 1
