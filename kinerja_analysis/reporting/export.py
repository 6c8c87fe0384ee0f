"""Export an executed report notebook to a self-contained HTML page, an A4 PDF and XLSX.

- :func:`to_html` — nbconvert's ``basic`` template (no code, no prompts, no
  ``parameters``/``injected-parameters`` cells, no stderr streams, no heading anchors)
  wrapped in our own page (``templates/laporan.html.j2`` + ``laporan.css``): a cover
  block (government, title, period in words, generation date), responsive CSS, figures
  as base64 PNG. No ``<script>`` and no external ``<link>``: the file opens offline.
- :func:`to_pdf` — WeasyPrint renders that HTML to A4 with page numbers
  (``@page`` counters), figures/tables kept whole, headings kept with what follows.
  WeasyPrint needs Pango (Debian: ``libpango-1.0-0 libpangoft2-1.0-0``).
- :func:`to_xlsx` — one sheet per table (openpyxl), bold header, fitted column widths,
  frozen header row, optional ``info`` sheet first.

Every file is written to a temporary name in the target folder and then
``os.replace``-d, so a reader never sees a half-written report.
"""

from __future__ import annotations

import copy
import datetime as _dt
import os
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from kinerja_analysis.core.io import atomic_write
from kinerja_analysis.core.periods import period_label
from kinerja_analysis.reporting import fmt

#: The government named on every cover.
INSTANSI = {"id": "Pemerintah Kota Kotalama", "en": "Government of Kotalama City"}
_REMOVE_TAGS = ("parameters", "injected-parameters", "hapus", "remove_cell")
_ANCHOR = re.compile(r'<a class="anchor-link"[^>]*>.*?</a>', re.DOTALL)
_FIRST_H1 = re.compile(r"<h1[^>]*>.*?</h1>", re.DOTALL)
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _template(name: str) -> str:
    return (
        resources.files("kinerja_analysis.reporting").joinpath("templates", name).read_text("utf-8")
    )


def _clean_notebook(nb: Any) -> Any:
    """A copy without stderr streams, error outputs or cells tagged for removal."""
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & set(_REMOVE_TAGS):
            continue
        if cell.cell_type == "code":
            cell.outputs = [
                o
                for o in cell.get("outputs", [])
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
                and o.get("output_type") != "error"
            ]
        cells.append(cell)
    nb.cells = cells
    return nb


def _body_html(nb: Any) -> str:
    from nbconvert import HTMLExporter  # lazy: heavy; only for HTML export
    from nbconvert.preprocessors import TagRemovePreprocessor  # lazy: heavy; only for HTML export
    from traitlets.config import Config  # lazy: with nbconvert

    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = _REMOVE_TAGS
    exporter = HTMLExporter(
        config=c,
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )
    exporter.register_preprocessor(TagRemovePreprocessor(config=c), enabled=True)
    body, _ = exporter.from_notebook_node(_clean_notebook(nb))
    body = _ANCHOR.sub("", body)
    return _FIRST_H1.sub("", body, count=1)  # the cover carries the title


def to_html(
    nb: Any,
    *,
    title: str,
    periode: str,
    bahasa: fmt.Bahasa = "id",
    tanggal_buat: _dt.date | None = None,
    instansi: str | None = None,
    catatan: str | None = None,
) -> str:
    """A self-contained HTML report of an executed notebook.

    Parameters
    ----------
    nb
        The executed notebook (``nbformat.NotebookNode``); it is not modified.
    title
        Report title on the cover (the notebook's own first ``<h1>`` is dropped).
    periode
        Period code, printed in words (``"Triwulan IV 2025"``). ``"lintas"`` (or any
        text that is not a period code) is printed as given.
    bahasa
        ``"id"`` or ``"en"``: cover labels and date.
    tanggal_buat
        Generation date on the cover; default today.
    instansi, catatan
        Cover line (default :data:`INSTANSI`) and footer note.

    Returns
    -------
    str
        A complete HTML document without ``<script>`` or external resources.
    """
    from jinja2 import Environment  # lazy: only when rendering

    if bahasa not in ("id", "en"):
        raise ValueError(f"bahasa harus 'id' atau 'en', bukan {bahasa!r}")
    try:
        periode_kata = period_label(periode, bahasa)
    except ValueError:
        periode_kata = periode
    tanggal = fmt.date(tanggal_buat or _dt.date.today(), bahasa)
    default_catatan = {
        "id": "Laporan ini dibuat otomatis dari data kepegawaian yang telah divalidasi. "
        "Tabel hanya memuat agregat; kelompok kecil disembunyikan (–).",
        "en": "Generated automatically from validated HR data. Tables show aggregates "
        "only; small groups are suppressed (–).",
    }[bahasa]
    from kinerja_analysis import __version__  # lazy: reads the installed version at call time

    env = Environment(autoescape=True)
    page = env.from_string(_template("laporan.html.j2")).render(
        bahasa=bahasa,
        versi=__version__,
        judul=title,
        periode_kata=periode_kata,
        instansi=instansi or INSTANSI[bahasa],
        label_dibuat="Dibuat" if bahasa == "id" else "Generated",
        label_halaman="Halaman" if bahasa == "id" else "Page",
        tanggal_buat=tanggal,
        css=_Markup(_template("laporan.css")),
        isi=_Markup(_body_html(nb)),
        catatan=catatan or default_catatan,
    )
    return page


def _Markup(s: str) -> Any:  # noqa: N802 - mirrors markupsafe.Markup
    from markupsafe import Markup  # lazy: with jinja2

    return Markup(s)


def to_pdf(html: str, path: str | os.PathLike) -> Path:
    """Render report HTML (from :func:`to_html`) to an A4 PDF at ``path`` (atomic).

    Notes
    -----
    WeasyPrint resolves no network resources here (the HTML is self-contained); the
    page size, margins and the page counter come from the ``@page`` rules of
    ``templates/laporan.css``.
    """
    from weasyprint import HTML  # lazy: heavy (Pango); only for PDF

    pdf = HTML(string=html, base_url=None).write_pdf()
    return atomic_write(path, pdf)


def _sheet_name(name: str, used: set[str]) -> str:
    base = _SHEET_BAD.sub("_", name)[:31] or "tabel"
    out, i = base, 2
    while out.lower() in used:
        suffix = f"_{i}"
        out = base[: 31 - len(suffix)] + suffix
        i += 1
    used.add(out.lower())
    return out


def _excel_ready(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    if not isinstance(out.index, pd.RangeIndex):
        out = out.reset_index()
    for c in out.columns:
        if isinstance(out[c].dtype, pd.DatetimeTZDtype):
            out[c] = out[c].dt.tz_localize(None)
        elif isinstance(out[c].dtype, pd.CategoricalDtype) or out[c].dtype == "string":
            out[c] = out[c].astype(object)
    out.columns = [str(c) for c in out.columns]
    return out


def to_xlsx(
    tables: Mapping[str, pd.DataFrame],
    path: str | os.PathLike,
    *,
    info: Mapping[str, object] | None = None,
) -> Path:
    """Write tables to an XLSX workbook, one sheet per table (atomic).

    Parameters
    ----------
    tables
        ``{sheet name: DataFrame}``; names are cut to Excel's 31 characters and made
        unique. A table's ``df.attrs["judul"]`` (if any) is written in the first row
        above it.
    info
        Optional key/value pairs written to a first sheet ``info`` (title, period, data
        checksum, …).

    Returns
    -------
    Path
    """
    from openpyxl import Workbook  # lazy: only when writing/reading workbooks
    from openpyxl.styles import Font  # lazy: only when writing/reading workbooks
    from openpyxl.utils import get_column_letter  # lazy: only when writing/reading workbooks

    if not tables and not info:
        raise ValueError("to_xlsx: tidak ada tabel untuk ditulis")
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    used: set[str] = set()
    if info:
        ws = wb.create_sheet(_sheet_name("info", used))
        for k, v in info.items():
            ws.append([str(k), str(v)])
            ws.cell(ws.max_row, 1).font = bold
        ws.column_dimensions["A"].width = 24
        ws.column_dimensions["B"].width = 80
    for name, df in tables.items():
        ws = wb.create_sheet(_sheet_name(name, used))
        judul = df.attrs.get("judul")
        data = _excel_ready(df)
        start = 1
        if judul:
            ws.cell(1, 1, str(judul)).font = Font(bold=True, size=12)
            start = 3
        for j, col in enumerate(data.columns, start=1):
            ws.cell(start, j, col).font = bold
        for i, row in enumerate(data.itertuples(index=False), start=start + 1):
            for j, v in enumerate(row, start=1):
                if v is None or (isinstance(v, float) and v != v) or v is pd.NA or v is pd.NaT:
                    continue
                ws.cell(i, j, v.item() if hasattr(v, "item") else v)
        ws.freeze_panes = ws.cell(start + 1, 1)
        for j, col in enumerate(data.columns, start=1):
            lens = [len(col)] + [len(str(v)) for v in data[col].head(500)]
            ws.column_dimensions[get_column_letter(j)].width = min(60, max(8, max(lens) + 2))
    return atomic_write(path, wb.save)
