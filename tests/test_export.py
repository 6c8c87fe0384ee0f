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
    return to_html(nb, title="Laporan Uji", periode="2025Q4", tanggal_buat=TANGGAL)


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
    assert not re.search(r"<link[^>]+href=", html, re.I)
    assert not re.search(r"""(src|href)=["']?https?:""", html, re.I)
    assert "@import" not in html
    imgs = re.findall(r'<img[^>]+src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(imgs) == 1 and base64.b64decode(imgs[0])[:8] == b"\x89PNG\r\n\x1a\n"
    assert 'name="viewport"' in html  # phone-readable
    assert "<td>Dinas A</td>" in html


def test_html_does_not_modify_notebook(nb):
    before = copy.deepcopy(nb)
    to_html(nb, title="x", periode="2025Q4", tanggal_buat=TANGGAL)
    assert nb == before


def test_html_english_and_free_text_period(nb):
    h = to_html(nb, title="Report", periode="2025S1", bahasa="en", tanggal_buat=TANGGAL)
    assert "Government of Kotalama City" in h and "Semester 1 2025" in h
    assert "Generated 28 November 2026" in h and 'lang="en"' in h
    h2 = to_html(nb, title="R", periode="Triwulan I 2024 – Triwulan IV 2025", tanggal_buat=TANGGAL)
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
    )
    wb = load_workbook(path)
    names = wb.sheetnames
    assert names[0] == "info" and names[1] == "ikm_per_opd" and names[2] == "a_b_c"
    assert all(len(n) <= 31 for n in names) and len({n.lower() for n in names}) == len(names)
    ws = wb["ikm_per_opd"]
    assert ws["A1"].value == "IKM per OPD"
    assert [c.value for c in ws[3]] == ["opd", "n_asn", "ikm"]
    assert all(c.font.bold for c in ws[3])
    assert (
        ws["B4"].value == 12 and ws["C4"].value == pytest.approx(81.25) and ws["C5"].value is None
    )
    assert ws.column_dimensions["A"].width >= len("Dinas A")
    ws2 = wb["a_b_c"]
    assert ws2["A1"].value == "periode"  # a named index becomes a column
    assert ws2["B2"].value == dt.datetime(2025, 3, 31)
    assert wb["info"]["B1"].value == "Uji"


def test_xlsx_failure_keeps_previous_file(tmp_path):
    path = tmp_path / "t.xlsx"
    to_xlsx({"a": pd.DataFrame({"x": [1]})}, path)
    before = path.read_bytes()
    with pytest.raises(Exception):  # noqa: B017 - openpyxl's own error type for a dict cell
        to_xlsx({"a": pd.DataFrame({"x": [{"tidak": "bisa"}]})}, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]
    with pytest.raises(ValueError, match="tidak ada tabel"):
        to_xlsx({}, tmp_path / "kosong.xlsx")


def test_atomic_write(tmp_path):
    p = atomic_write(tmp_path / "sub" / "a.html", "satu")
    atomic_write(p, b"dua")
    assert p.read_bytes() == b"dua"
    assert [x.name for x in p.parent.iterdir()] == ["a.html"]


def test_notebook_roundtrip_is_valid(nb):
    nbformat.validate(nb)
