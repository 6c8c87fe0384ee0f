"""One synthetic batch for the document tests, built once per test session (``conftest.py``).

:func:`build_synthetic_reports` takes a small synthetic city (400 ASN, 8 quarters; the
``city_400`` fixture of ``conftest.py``) and runs the batch twice into two report folders sharing the data's private cache: every
notebook in Indonesian for the first and the last period (and the cross-period
summary), and every notebook in English for the last period. ``test_labels``,
``test_pdf_layout`` and ``test_asof`` read the same files; the second batch reuses the
shared results of the first (same data and parameters, another report folder).

:func:`visible_text` is what a person reads in a file: the text of an HTML page (with
``alt`` texts, without styles and embedded images), of every PDF page, of every
workbook cell and sheet name.
"""

from __future__ import annotations

import html as _html
import re
from dataclasses import dataclass
from pathlib import Path

from kinerja_analysis.pipeline.batch import run_batch

N_PEGAWAI = 400
SEED = 11


@dataclass(frozen=True)
class Reports:
    """The batch outputs: data folder, Indonesian and English report folders, periods."""

    data_dir: Path
    out_id: Path
    out_en: Path
    periods: tuple[str, ...]
    summaries: tuple

    @property
    def first(self) -> str:
        return self.periods[0]

    @property
    def last(self) -> str:
        return self.periods[-1]

    def files(self, suffix: str) -> list[Path]:
        """Every stakeholder file with ``suffix`` in both report folders."""
        return sorted([*self.out_id.rglob(f"*{suffix}"), *self.out_en.rglob(f"*{suffix}")])


def build_synthetic_reports(data: Path, periods: tuple[str, ...]) -> Reports:
    """Run the synthetic batch over the city in ``data`` (see module docstring).

    The report folders are made beside ``data``; the ``synthetic_reports`` fixture of
    ``conftest.py`` builds it once per session.
    """
    root = data.parent
    s_id = run_batch(
        data, root / "laporan", periods=[periods[0], periods[-1]], workers=2, progress=False
    )
    s_en = run_batch(
        data, root / "reports_en", periods=[periods[-1]], workers=2, progress=False, bahasa="en"
    )
    for s in (s_id, s_en):
        bad = s.tidy().query("status != 'ok'")
        assert bad.empty, bad[["key", "status", "message"]].to_string()
    return Reports(data, root / "laporan", root / "reports_en", periods, (s_id, s_en))


# ----------------------------------------------------------------------------- reading


def html_text(path: Path) -> str:
    """The text a reader sees in an HTML report (and the ``alt`` of its images)."""
    s = path.read_text("utf-8")
    s = re.sub(r"<(style|script)\b.*?</\1>", " ", s, flags=re.S | re.I)
    alts = " ".join(re.findall(r'\balt="([^"]*)"', s))
    s = re.sub(r"<[^>]+>", " ", s)
    return re.sub(r"\s+", " ", _html.unescape(s + " " + _html.unescape(alts))).strip()


def pdf_text(path: Path) -> str:
    """The text of every page of a PDF (pypdf)."""
    from pypdf import PdfReader  # lazy: only when reading PDFs

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def sheet_values(path: Path, prefix: str) -> list[tuple] | None:
    """The rows (tuples of values) of a workbook's first sheet whose name starts with
    ``prefix``, or ``None`` when it has no such sheet."""
    from openpyxl import load_workbook  # lazy: only when reading workbooks

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = next((w for w in wb.worksheets if w.title.startswith(prefix)), None)
        return None if ws is None else list(ws.iter_rows(values_only=True))
    finally:
        wb.close()


def xlsx_text(path: Path) -> str:
    """Every sheet name and every cell of a workbook, as text."""
    from openpyxl import load_workbook  # lazy: only when reading workbooks

    wb = load_workbook(path, read_only=True)
    parts = []
    for ws in wb.worksheets:
        parts.append(ws.title)
        for row in ws.iter_rows(values_only=True):
            parts.extend(str(v) for v in row if v is not None)
    wb.close()
    return "\n".join(parts)


def visible_text(path: Path) -> str:
    """What a person reads in an HTML, PDF or XLSX file."""
    return {".html": html_text, ".pdf": pdf_text, ".xlsx": xlsx_text}[path.suffix](path)
