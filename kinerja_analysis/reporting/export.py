"""Export an executed report notebook to a self-contained HTML page, an A4 PDF and XLSX.

- :func:`to_html` — nbconvert's ``basic`` template (no code, no prompts, no
  ``parameters``/``injected-parameters`` cells, no stderr streams, no heading anchors)
  wrapped in our own page (``templates/laporan.html.j2`` + ``laporan.css``): a cover
  block (government from the agency profile, logo, title, period in words, generation
  date), the signatory block, responsive CSS, figures as base64 PNG. No ``<script>`` and
  no external ``<link>``: the file opens offline.
- :func:`to_pdf` / :func:`pdf_bytes` — WeasyPrint renders that HTML to A4 with page
  numbers. WeasyPrint needs Pango (Debian: ``libpango-1.0-0 libpangoft2-1.0-0``).
- :func:`to_xlsx` / :func:`xlsx_bytes` — THE workbook writer of the project.

Untrusted values stay inert (every value in the data is typed by someone):

- **HTML**: Markdown outputs (the narrative, fixed texts) are rendered by
  :func:`kinerja_analysis.reporting.markup.markdown_to_html` — raw HTML in them is text,
  only in-page links — and the page shell is Jinja with autoescape. Every page declares
  :data:`~kinerja_analysis.reporting.markup.CONTENT_SECURITY_POLICY` (no script runs,
  nothing is fetched).
- **PDF**: WeasyPrint fetches through :func:`safe_fetcher` — ``data:`` URIs and the
  package's own template files only; ``file:``, ``http(s):`` and every other URL is
  refused, and no attachment is ever embedded.
- **XLSX**: every text cell is a string cell, never a formula: text starting with ``=``,
  ``+``, ``-``, ``@``, tab or CR is stored as text with Excel's quote prefix (so editing
  the cell does not turn it into a formula either); control characters become U+FFFD.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import copy
import datetime as _dt
import functools
import gc
import io
import math
import os
import re
import secrets
from collections.abc import Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kinerja_analysis.core.cells import FORMULA_START, formula_like  # noqa: F401 - re-exported
from kinerja_analysis.core.deprecation import renamed_keywords
from kinerja_analysis.core.frames import row_numbers_only
from kinerja_analysis.core.io import PACKAGE_ROOT, atomic_write
from kinerja_analysis.core.periods import period_label
from kinerja_analysis.core.profile import AgencyProfile, default_profile
from kinerja_analysis.reporting import fmt
from kinerja_analysis.reporting.markup import (
    CONTENT_SECURITY_POLICY,
    FIGURE_PLACEHOLDER_CLASS,
    clean_text,
    markdown_to_html,
)
from kinerja_analysis.reporting.text import column_labels


def _bundled_government() -> dict[str, str]:
    p = default_profile()
    return {"id": p.government("id"), "en": p.government("en")}


#: The bundled example's government (the synthetic city); documents use the agency profile.
INSTANSI = _bundled_government()
_REMOVE_TAGS = ("parameters", "injected-parameters", "injected-figures", "hapus", "remove_cell")
_ANCHOR = re.compile(r'<a class="anchor-link"[^>]*>.*?</a>', re.DOTALL)
_FIRST_H1 = re.compile(r"<h1[^>]*>.*?</h1>", re.DOTALL)
# the phone version of a figure (reporting.notebook.figure_html): only <figure>/<img> inside,
# and data values are escaped, so the first </div> closes it
_PHONE_FIGURES = re.compile(r'<div class="grafik-sempit">.*?</div>', re.DOTALL)
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_TEMPLATE_DIR = PACKAGE_ROOT / "reporting" / "templates"

_LABELS = {
    "id": {
        "dibuat": "Dibuat",
        "halaman": "Halaman",
        "catatan": "Laporan ini dibuat otomatis dari data kepegawaian yang telah divalidasi. "
        "Tabel hanya memuat agregat; kelompok kecil disembunyikan (–).",
        "sumber": "Sumber: data kepegawaian {instansi} yang telah divalidasi; diolah dengan "
        "kinerja {versi}.",
        "logo": "Logo {instansi}",
        "ya": "ya",
        "tidak": "tidak",
    },
    "en": {
        "dibuat": "Generated",
        "halaman": "Page",
        "catatan": "Generated automatically from validated HR data. Tables show aggregates "
        "only; small groups are suppressed (–).",
        "sumber": "Source: validated HR data of {instansi}; processed with kinerja {versi}.",
        "logo": "Logo of {instansi}",
        "ya": "yes",
        "tidak": "no",
    },
}


def _template(name: str) -> str:
    return (
        resources.files("kinerja_analysis.reporting").joinpath("templates", name).read_text("utf-8")
    )


def _jinja():
    """Jinja for the page shells (report, index): every value autoescaped, and every text
    value cleaned first (:func:`~kinerja_analysis.reporting.markup.clean_text`: no
    control or text-direction characters from the data); Markup (already rendered HTML)
    is left as it is."""
    from jinja2 import Environment  # lazy: only when rendering
    from markupsafe import Markup  # lazy: with jinja2

    def finalize(value: Any) -> Any:
        if isinstance(value, str) and not isinstance(value, Markup):
            return clean_text(value)
        return value

    return Environment(autoescape=True, finalize=finalize)


@functools.cache
def _page_template() -> Any:
    """The report page's Jinja template, compiled once per process."""
    return _jinja().from_string(_template("laporan.html.j2"))


# ----------------------------------------------------------------------------- HTML


class ImageStash:
    """Data-URI images set aside while a large HTML text is parsed, and put back after.

    The figures of a report are PNGs written into its HTML as ``data:`` URIs, about nine
    tenths of its bytes. nbconvert (through BeautifulSoup) and WeasyPrint (through its
    HTML parser) would scan them character by character; :meth:`stash` replaces each by
    a short reference ``kinerja-gambar:<token>:<n>``, :meth:`restore` puts the URIs back
    into the converted HTML, and :meth:`resource` gives WeasyPrint an image's bytes.
    The token is random per stash, so no text in the data can name a stashed image.

    >>> s = ImageStash()
    >>> html = s.stash('<img src="data:image/png;base64,iVBORw0K">')
    >>> "base64" in html, s.restore(html) == '<img src="data:image/png;base64,iVBORw0K">'
    (False, True)
    """

    # the whole value of a src attribute only (in text, data cannot close a quoted
    # value: every renderer escapes '"'); a URI broken over lines is left to the parser
    _DATA_URI = re.compile(
        r'(?<=src=")data:image/(png|jpeg|gif|webp);base64,([A-Za-z0-9+/=]+)(?=")'
    )

    def __init__(self) -> None:
        self.token = secrets.token_hex(8)
        self._found: list[re.Match] = []  # each image's match: whole URI, type, base64
        self._ref = re.compile(rf"kinerja-gambar:{self.token}:(\d+)")

    def _put(self, m: re.Match) -> str:
        self._found.append(m)
        return f"kinerja-gambar:{self.token}:{len(self._found) - 1}"

    def stash(self, html: str) -> str:
        """``html`` with each data-URI image replaced by its reference."""
        return self._DATA_URI.sub(self._put, html)

    def stash_outputs(self, cell: Any) -> None:
        """:meth:`stash` on the ``text/html`` outputs of a notebook cell (in place)."""
        for o in cell.get("outputs", []):
            data = o.get("data")
            if data and "text/html" in data:
                h = data["text/html"]
                data["text/html"] = self.stash("".join(h) if isinstance(h, list) else h)

    def restore(self, html: str) -> str:
        """``html`` with each reference replaced by its data URI again."""
        return self._ref.sub(lambda m: self._found[int(m.group(1))].group(0), html)

    def resource(self, url: str) -> tuple[str, bytes] | None:
        """``(mime type, bytes)`` of a referenced image; ``None`` for any other URL."""
        m = self._ref.fullmatch(url)
        if m is None or int(m.group(1)) >= len(self._found):
            return None
        u = self._found[int(m.group(1))]
        try:
            return f"image/{u.group(1)}", base64.b64decode(u.group(2), validate=True)
        except binascii.Error:
            return None


def _inert_outputs(cell: Any) -> None:
    """Markdown outputs → inert HTML (the one place Markdown with data becomes HTML)."""
    for o in cell.get("outputs", []):
        data = o.get("data")
        if not data or "text/markdown" not in data:
            continue
        md = data["text/markdown"]
        md = "".join(md) if isinstance(md, list) else md
        o["data"] = {"text/html": markdown_to_html(md)}


def _clean_notebook(nb: Any, images: ImageStash | None = None) -> Any:
    """A copy without stderr streams, error outputs or cells tagged for removal; Markdown
    outputs rendered inert; with ``images``, the data-URI images of HTML outputs set
    aside in it."""
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
            _inert_outputs(cell)
            if images is not None:
                images.stash_outputs(cell)
        cells.append(cell)
    nb.cells = cells
    return nb


@functools.cache
def _exporter() -> Any:
    """nbconvert's HTML exporter, made once per process (as ``jupyter nbconvert`` makes one
    for all its notebooks): a new one compiles its templates again, about 40 ms."""
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
    return exporter


def _body_html(nb: Any) -> str:
    images = ImageStash()
    body, _ = _exporter().from_notebook_node(_clean_notebook(nb, images))
    body = _ANCHOR.sub("", body)
    body = _FIRST_H1.sub("", body, count=1)  # the cover carries the title
    return images.restore(body)


#: Characters of a cover's title (it holds an OPD's name, data of any length): a longer
#: one is cut with "…", as a heading taller than a page left the PDF's cover blank.
MAX_TITLE_CHARS = 200


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a space where there is one in
    its last quarter, ending with "…"; unchanged when it fits.

    >>> shorten("Evaluasi — Badan Sangat Panjang", 20)
    'Evaluasi — Badan…'
    >>> shorten("pendek", 20)
    'pendek'
    """
    if len(text) <= limit:
        return text
    head = text[: max(1, limit - 1)]
    space = head.rfind(" ")
    if space >= limit * 3 // 4:
        head = head[:space]
    return head.rstrip() + "…"


@renamed_keywords(tanggal_buat="created", instansi="government", catatan="note", profil="profile")
def to_html(
    nb: Any,
    *,
    title: str,
    periode: str,
    bahasa: fmt.Bahasa = "id",
    created: _dt.date | None = None,
    government: str | None = None,
    note: str | None = None,
    profile: AgencyProfile | None = None,
) -> str:
    """A self-contained HTML report of an executed notebook.

    Parameters
    ----------
    nb
        The executed notebook (``nbformat.NotebookNode``); it is not modified.
    title
        Report title on the cover (the notebook's own first ``<h1>`` is dropped).
        Untrusted text is fine: it is escaped.
    periode
        Period code, printed in words (``"Triwulan IV 2025"``). ``"lintas"`` (or any
        text that is not a period code) is printed as given.
    bahasa
        ``"id"`` or ``"en"``: cover labels and date.
    created
        Generation date on the cover; default today.
    profile
        The agency profile: government name, logo and signatory (default: the bundled
        example, :func:`kinerja_analysis.core.profile.default_profile`).
    government, note
        Override of the cover's government line and the footer note.

    Returns
    -------
    str
        A complete HTML document without ``<script>`` or external resources, with a
        Content-Security-Policy that forbids both.

    Raises
    ------
    ValueError
        ``bahasa`` is not ``"id"``/``"en"``, or an output of ``nb`` is still the
        placeholder of a figure drawn beside the notebook (never a document with a
        hole where a figure belongs).
    """
    if bahasa not in ("id", "en"):
        raise ValueError(f"bahasa must be 'id' or 'en', not {bahasa!r}")
    from kinerja_analysis import __version__  # lazy: reads the installed version at call time

    profile = profile or default_profile()
    try:
        periode_kata = period_label(periode, bahasa)
    except ValueError:
        periode_kata = periode
    tanggal = created or _dt.date.today()
    lab = _LABELS[bahasa]
    pemerintah = government or profile.government(bahasa)
    ttd = profile.signatory
    body = _body_html(nb)
    # a tag: a value of the data is escaped ("<" never reaches the body as markup)
    if f'<p class="{FIGURE_PLACEHOLDER_CLASS}">' in body:
        raise ValueError(
            "the notebook still holds the placeholder of a figure that was never put in "
            "place (it was drawn beside the notebook, and finish_figures() did not run)"
        )
    page = _page_template().render(
        bahasa=bahasa,
        versi=__version__,
        csp=CONTENT_SECURITY_POLICY,
        judul=clean_text(shorten(title, MAX_TITLE_CHARS)),
        periode_kata=periode_kata,
        instansi=pemerintah,
        wilayah=profile.region,
        logo=profile.logo_data_uri(),
        label_logo=lab["logo"].format(instansi=pemerintah),
        label_dibuat=lab["dibuat"],
        label_halaman=lab["halaman"],
        tanggal_buat=fmt.date(tanggal, bahasa),
        ttd=ttd,
        css=_markup(_template("laporan.css")),
        isi=_markup(body),
        catatan=note or lab["catatan"],
    )
    return page


def _markup(s: str) -> Any:
    from markupsafe import Markup  # lazy: with jinja2

    return Markup(s)


# ----------------------------------------------------------------------------- PDF


_ALLOWED_SUFFIX = (".css", ".woff", ".woff2", ".ttf", ".otf", ".png", ".svg")


def safe_fetcher(images: ImageStash | None = None):
    """A WeasyPrint URL fetcher for ``data:`` URIs, the package's own template files and
    the images set aside in ``images``.

    Everything else (``file:`` outside ``reporting/templates``, ``http(s):``, ``ftp:`` …)
    raises ``ValueError``, which WeasyPrint reports as a resource it could not load; the
    refused URLs are kept in the fetcher's ``refused`` list.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # lazy: heavy (Pango); PDF only

    class _SafeFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            found = images.resource(url) if images is not None else None
            if found is not None:
                mime, body = found
                return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})
            if _allowed_url(url, _ALLOWED_SUFFIX):
                return super().fetch(url, headers)
            self.refused.append(url[:200])
            raise ValueError(f"blocked fetch: {url[:80]}")

    f = _SafeFetcher(timeout=1, allow_redirects=False, allowed_protocols=("data", "file"))
    f.refused = []
    return f


def _allowed_url(url: str, suffixes: tuple[str, ...]) -> bool:
    from urllib.parse import unquote, urlparse

    scheme = url.split(":", 1)[0].lower()
    if scheme == "data":
        return True
    if scheme != "file":
        return False
    path = Path(unquote(urlparse(url).path)).resolve()
    return path.suffix.lower() in suffixes and _TEMPLATE_DIR.resolve() in path.parents


def pdf_bytes(html: str) -> bytes:
    """Render report HTML (from :func:`to_html`) to A4 PDF bytes, sandboxed.

    Only ``data:`` URIs and the package's own template files are read (:func:`safe_fetcher`);
    no attachment is embedded (``<link rel=attachment>``/``<a rel=attachment>`` are
    ignored) and only in-page and ``http(s)``/``mailto`` links are kept. The phone
    versions of figures (``div.grafik-sempit``, hidden on paper) are left out of the input,
    and the images are handed to WeasyPrint as bytes (:class:`ImageStash`), not parsed
    out of the HTML.
    """
    from weasyprint import HTML  # lazy: heavy (Pango); only for PDF

    # the phone versions of figures never print (the style sheet hides them); leaving
    # them out spares WeasyPrint parsing their images
    images = ImageStash()
    html = images.stash(_PHONE_FIGURES.sub("", html))
    with _collector_paused():
        doc = HTML(string=html, base_url=None, url_fetcher=safe_fetcher(images)).render()
        doc.metadata.attachments = []
        for page in doc.pages:
            page.links = [
                link
                for link in page.links
                if link[0] == "internal"
                or (
                    link[0] == "external"
                    and str(link[1]).lower().startswith(("https:", "http:", "mailto:"))
                )
            ]
        return doc.write_pdf(attachments=None)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one PDF.

    WeasyPrint's layout makes several hundred thousand objects that live until the PDF
    is written; each full pass of the collector meanwhile walks them and the whole heap
    of the process (in a batch worker: papermill, nbconvert, the notebook), about 0,15 s
    a pass and 0,25 s a PDF, and frees nothing. The garbage of one PDF (some 30 MB) is
    collected after it, by the next pass. The collector's state is restored.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def to_pdf(html: str, path: str | os.PathLike) -> Path:
    """Render report HTML (from :func:`to_html`) to an A4 PDF at ``path`` (atomic).

    Notes
    -----
    See :func:`pdf_bytes` for what the renderer may read. The page size, margins and the
    page counter come from the ``@page`` rules of ``templates/laporan.css``.
    """
    return atomic_write(path, pdf_bytes(html))


# ----------------------------------------------------------------------------- XLSX

_EXCEL_MAX = 32767
_P_NAME = re.compile(r"^(p|pvalue|p_value|p_.+|.+_p)$")


def _sheet_name(name: str, used: set[str]) -> str:
    base = _SHEET_BAD.sub("_", clean_text(str(name)).replace("\ufffd", "_"))[:31] or "tabel"
    base = base.strip("'") or "tabel"
    out, i = base, 2
    while out.lower() in used:
        suffix = f"_{i}"
        out = base[: 31 - len(suffix)] + suffix
        i += 1
    used.add(out.lower())
    return out


def _excel_ready(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    if not row_numbers_only(out.index):
        out = out.reset_index()
    for c in out.columns:
        if isinstance(out[c].dtype, pd.DatetimeTZDtype):
            out[c] = out[c].dt.tz_localize(None)
        elif isinstance(out[c].dtype, pd.CategoricalDtype) or out[c].dtype == "string":
            out[c] = out[c].astype(object)
    out.columns = [str(c) for c in out.columns]
    return out


def _column_kind(name: str, s: pd.Series, spec: Mapping[str, Any] | None) -> tuple[str, int]:
    """``(kind, decimals)``: kind is persen, persen_poin, p, bilangan, desimal, tanggal,
    boolean or teks. ``spec`` (from ``df.attrs["format"][name]``) wins over the name."""
    if spec:
        kind = str(spec.get("jenis", "desimal"))
        return kind, int(spec.get("desimal", 1 if kind.startswith("persen") else 2))
    if pd.api.types.is_bool_dtype(s):
        return "boolean", 0
    if pd.api.types.is_datetime64_any_dtype(s):
        return "tanggal", 0
    if not pd.api.types.is_numeric_dtype(s):
        return "teks", 0
    if _P_NAME.match(name):
        return "p", 3
    if name.startswith(("pct_", "persen", "proporsi")):
        return "persen", 1
    if name.endswith("_pct"):
        return "persen_poin", 1
    if pd.api.types.is_integer_dtype(s):
        return "bilangan", 0
    return "desimal", 2


def _number_format(kind: str, d: int, bahasa: str) -> str | None:
    dec = "." + "0" * d if d > 0 else ""
    if kind in ("persen", "persen_poin"):
        return f"0{dec}%"
    if kind == "p":
        small = "<0,001" if bahasa == "id" else "<0.001"
        return f'[<0.001]"{small}";0.000'
    if kind == "bilangan":
        return "#,##0"
    if kind == "desimal":
        return f"#,##0{dec}"
    if kind == "tanggal":
        return "yyyy-mm-dd"
    return None


def _cell_value(v: Any, kind: str, bahasa: str) -> Any:
    """A cell value: numbers as numbers (percent points as fractions), text cleaned."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if hasattr(v, "item") and not isinstance(v, str | bytes):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    if kind == "boolean" and isinstance(v, bool | np.bool_):
        return _LABELS[bahasa]["ya" if v else "tidak"]
    if isinstance(v, float) and math.isinf(v):
        return "∞" if v > 0 else "-∞"
    if kind == "persen_poin" and isinstance(v, int | float) and not isinstance(v, bool):
        return v / 100.0
    if isinstance(v, str):
        return v
    if isinstance(v, int | float | _dt.date | _dt.datetime | _dt.time):
        return v
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    return str(v) if not isinstance(v, dict | list | set | tuple) else v


def _put(ws: Any, row: int, col: int, value: Any, number_format: str | None = None) -> Any:
    """Write one cell. Text is ALWAYS a string cell (never a formula), quote-prefixed when
    a spreadsheet would read it as one, cleaned of control characters, cut at Excel's
    32,767 characters."""
    if isinstance(value, str):
        text = clean_text(value)
        if len(text) > _EXCEL_MAX:
            text = text[: _EXCEL_MAX - 1] + "…"
        cell = ws.cell(row, col)
        cell.value = text
        cell.data_type = "s"
        if formula_like(text):
            cell.quotePrefix = True
        return cell
    cell = ws.cell(row, col, value)
    if cell.data_type == "f":  # pragma: no cover - only strings become formulas
        cell.data_type = "s"
    if number_format and value is not None:
        cell.number_format = number_format
    return cell


def _header_label(col: str, labels: Mapping[str, str]) -> str:
    if col in labels:
        return labels[col]
    words = col.replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else col


def _display_len(v: Any, kind: str, d: int, bahasa: str) -> int:
    if v is None:
        return 1
    if isinstance(v, int | float) and not isinstance(v, bool):
        if kind in ("persen", "persen_poin"):
            return len(fmt.percent(v, d, bahasa))
        return len(fmt.number(v, d if kind != "bilangan" else 0, bahasa)) if kind != "p" else 6
    if isinstance(v, _dt.datetime | _dt.date):
        return 10
    return max((len(x) for x in str(v).splitlines()), default=1)


@renamed_keywords(sumber="source")
def xlsx_bytes(
    tables: Mapping[str, pd.DataFrame],
    *,
    info: Mapping[str, object] | None = None,
    bahasa: fmt.Bahasa = "id",
    source: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> bytes:
    """The workbook of :func:`to_xlsx`, as bytes (nothing written)."""
    from openpyxl import Workbook  # lazy: only when writing workbooks
    from openpyxl.styles import Alignment, Font, PatternFill  # lazy: with openpyxl
    from openpyxl.utils import get_column_letter  # lazy: with openpyxl

    if bahasa not in ("id", "en"):
        raise ValueError(f"bahasa must be 'id' or 'en', not {bahasa!r}")
    if not tables and not info:
        raise ValueError("to_xlsx: no tables to write")
    labels = {**column_labels(bahasa), **dict(labels or {})}
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="F3F6F9")
    used: set[str] = set()
    if info:
        ws = wb.create_sheet(_sheet_name("info", used))
        for i, (k, v) in enumerate(info.items(), start=1):
            _put(ws, i, 1, str(k)).font = bold
            _put(ws, i, 2, _cell_value(v, "teks", bahasa) if not isinstance(v, str) else v)
            ws.cell(i, 2).alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions["A"].width = 24
        ws.column_dimensions["B"].width = 90
    for name, df in tables.items():
        ws = wb.create_sheet(_sheet_name(name, used))
        data = _excel_ready(df)
        formats = dict(df.attrs.get("format") or {})
        judul = df.attrs.get("judul")
        note = df.attrs.get("sumber") or source
        row = 1
        if judul:
            _put(ws, row, 1, str(judul)).font = Font(bold=True, size=12)
            row += 1
        if note:
            _put(ws, row, 1, str(note)).font = Font(italic=True, color="5B6776")
            row += 1
        if row > 1:
            row += 1  # one empty row before the header
        head = row
        kinds = [_column_kind(c, data[c], formats.get(c)) for c in data.columns]
        numfmts = [_number_format(k, d, bahasa) for k, d in kinds]
        # a column with one quantity per row (headline figures): formats row by row
        per_row = {
            j: [(str(k), int(d)) for k, d in formats[c]["baris"]]
            for j, c in enumerate(data.columns)
            if isinstance(formats.get(c), Mapping)
            and "baris" in formats[c]
            and len(formats[c]["baris"]) == len(data)
        }
        widths = []
        for j, col in enumerate(data.columns, start=1):
            label = _header_label(col, labels)
            c = _put(ws, head, j, label)
            c.font = bold
            c.fill = head_fill
            c.alignment = Alignment(wrap_text=True, vertical="bottom")
            widths.append(min(30, len(label) + 2))
        for i, values in enumerate(data.itertuples(index=False), start=head + 1):
            for j, v in enumerate(values, start=1):
                kind, d = kinds[j - 1]
                numfmt = numfmts[j - 1]
                if j - 1 in per_row:
                    kind, d = per_row[j - 1][i - head - 1]
                    numfmt = _number_format(kind, d, bahasa)
                val = _cell_value(v, kind, bahasa)
                if val is None:
                    continue
                _put(ws, i, j, val, numfmt)
                if i - head <= 500:
                    widths[j - 1] = max(widths[j - 1], _display_len(val, kind, d, bahasa) + 2)
        ws.freeze_panes = ws.cell(head + 1, 1)
        if len(data.columns):
            last = get_column_letter(len(data.columns))
            ws.auto_filter.ref = f"A{head}:{last}{head + max(len(data), 1)}"
        for j, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(j)].width = min(60, max(8, w))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@renamed_keywords(sumber="source")
def to_xlsx(
    tables: Mapping[str, pd.DataFrame],
    path: str | os.PathLike,
    *,
    info: Mapping[str, object] | None = None,
    bahasa: fmt.Bahasa = "id",
    source: str | None = None,
    labels: Mapping[str, str] | None = None,
    private: bool = False,
) -> Path:
    """Write tables to an XLSX workbook, one sheet per table (atomic). THE workbook writer.

    Parameters
    ----------
    tables
        ``{sheet name: DataFrame}``; names are cut to Excel's 31 characters and made
        unique. Per table, optional ``df.attrs``: ``"judul"`` (title, first row),
        ``"sumber"`` (source note under it; default ``source``) and ``"format"``
        (``{column: {"jenis": kind, "desimal": n}}``, kinds ``persen`` — a fraction —,
        ``persen_poin`` — 0–100 —, ``p``, ``bilangan``, ``desimal``; an optional
        ``"baris": [(kind, decimals), …]``, one per row, formats a column that holds a
        different quantity in each row).
    info
        Optional key/value pairs written to a first sheet ``info``.
    bahasa
        Header labels (:func:`kinerja_analysis.reporting.text.column_labels`), yes/no
        words and the p-value format.
    source
        Source note printed under every table's title.
    labels
        Extra ``{column: header}`` labels.
    private
        The workbook holds personal data (a validation report's rejected rows): readable
        by its owner only, whatever the umask (:func:`kinerja_analysis.core.io.atomic_writer`).

    Notes
    -----
    Number formats per column, from the format spec or the column name: percentages as
    percent (``pct_*``, ``persen*``, ``proporsi*`` are fractions; ``*_pct`` are 0–100
    and stored as fractions), p-values as ``<0,001`` below 0.001 and three decimals
    otherwise, counts with thousands separators, other numbers with two decimals.
    Formulas are never written (see the module docstring).

    Returns
    -------
    Path
    """
    return atomic_write(
        path,
        xlsx_bytes(tables, info=info, bahasa=bahasa, source=source, labels=labels),
        private=private,
    )


@renamed_keywords(profil="profile")
def source_note(profile: AgencyProfile | None = None, bahasa: fmt.Bahasa = "id") -> str:
    """The source note under every workbook table: the agency and the package version."""
    from kinerja_analysis import __version__  # lazy: reads the installed version at call time

    profile = profile or default_profile()
    return _LABELS[bahasa]["sumber"].format(instansi=profile.government(bahasa), versi=__version__)
