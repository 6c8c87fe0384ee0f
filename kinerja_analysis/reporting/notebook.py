"""What the report notebooks call: set-up, saving and showing tables.

A notebook's first code cell is ``doc = setup(...)`` (:func:`setup`): it loads the
validated data (from the batch's cache when given), checks the period, restricts the
tables to one OPD if asked and returns a :class:`ReportSession`; every later cell says
things (``doc.say``), shows and saves tables (``doc.table``) and reads the shared results
(``doc.shared``). Tables saved with :func:`save_table` go into the report's XLSX workbook;
the batch reads them with :func:`read_tables`.
"""

from __future__ import annotations

import base64
import contextlib
import gc
import html as _html
import inspect
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kinerja_analysis.analyses.shared import (
    SharedResults,
    data_through,
    load_or_compute_shared,
    pegawai_through,
    shared_key,
    window_dir,
)
from kinerja_analysis.core.compat import read_parquet
from kinerja_analysis.core.config import DEFAULTS
from kinerja_analysis.core.deprecation import renamed_keywords, with_new_keywords
from kinerja_analysis.core.errors import DatasetError, ParameterError, PeriodError
from kinerja_analysis.core.frames import row_numbers_only
from kinerja_analysis.core.io import PACKAGE_ROOT, atomic_write, code_fingerprint, within
from kinerja_analysis.core.parallel import available_cpus, fork_call, fork_map
from kinerja_analysis.core.periods import parse_period, period_label
from kinerja_analysis.core.profile import AgencyProfile, load_profile
from kinerja_analysis.core.text import Bahasa, check_bahasa
from kinerja_analysis.data.loading import Dataset, check_data_folder, load_dataset
from kinerja_analysis.data.messages import message
from kinerja_analysis.reporting import fmt
from kinerja_analysis.reporting.markup import (
    FIGURE_PLACEHOLDER_CLASS,
    breakable,
    clean_text,
    column_widths,
    escape_markdown,
    table_class,
    width_style,
)
from kinerja_analysis.reporting.privacy import FIGURE_TEXT_KEY
from kinerja_analysis.reporting.tables import city_suppressed_measures, top_and_bottom
from kinerja_analysis.reporting.text import (
    TEXTS,
    column_label,
    column_labels,
    display_frame,
    format_value,
    label_values,
    series_kind,
    text,
)

_TABEL_DIR = "tabel"
_NAMA_RE = re.compile(r"^[a-z0-9_]{1,40}$")


# ----------------------------------------------------------------------------- data


def refuse_inside_data(
    path: str | os.PathLike, data_folder: Path | None, bahasa: Bahasa = "id"
) -> None:
    """Raise :class:`ParameterError` (in ``bahasa``) when ``path``, where a notebook is
    asked to write, is the raw data folder or inside it: raw data are never modified.
    ``data_folder`` None: nothing to check."""
    if data_folder is None:
        return
    if within(path, data_folder):
        raw, out = Path(data_folder).resolve(), Path(path).expanduser().resolve()
        raise ParameterError(message("keluaran_notebook_di_data", bahasa, path=out, folder=raw))


def resolve_data_dir(data_dir: str | os.PathLike, bahasa: Bahasa = "id") -> Path:
    """The dataset folder a notebook means by ``data_dir``.

    An absolute path is taken as is. A relative path is tried against the working
    directory first (a notebook opened in ``notebooks/``, papermill run from the project
    root), then against the project root (the folder above ``notebooks/``), so the
    notebooks' default ``data/kotalama`` works from either place.

    Raises
    ------
    DatasetError
        No such folder; the message lists every absolute path tried (in ``bahasa``).
        A file where the folder was expected is named, with the folder it lies in.
    """
    p = Path(data_dir).expanduser()
    tried = [p] if p.is_absolute() else [Path.cwd() / p, PACKAGE_ROOT.parent / p]
    for cand in tried:
        if cand.is_dir():
            return cand.resolve()
    for cand in tried:
        if cand.exists():  # a file: said so, with the folder it lies in
            check_data_folder(cand, bahasa)
    folders = " ; ".join(str(c.resolve()) for c in dict.fromkeys(tried))
    raise DatasetError(message("folder_data_parameter", bahasa, folder=folders))


def load_data(
    data_dir: str | os.PathLike,
    cache_dir: str | os.PathLike | None = None,
    bahasa: Bahasa = "id",
    *,
    mapping: str | os.PathLike | None = None,
    pseudonim: bool = False,
):
    """The validated dataset: from the batch's cache if there is one, else validated now.

    Parameters
    ----------
    data_dir
        The raw dataset folder (``load_dataset``), resolved by :func:`resolve_data_dir`.
    cache_dir
        The cache written by the batch (``Dataset.save_cache``); used when it holds a
        ``meta.json``.
    bahasa
        Language of the validation's messages and of the error below.
    mapping, pseudonim
        As for ``kinerja validate``: the column mapping (YAML) of an agency's export, and
        NIPs replaced by pseudonyms. Not read when the batch's cache is used (the batch
        validated with its own).

    Returns
    -------
    Dataset

    Raises
    ------
    DatasetError
        The folder does not exist (the message gives the paths tried) or cannot be used.
    """

    if cache_dir is not None and (Path(cache_dir) / "meta.json").exists():
        return Dataset.load_cache(cache_dir)
    return load_dataset(
        resolve_data_dir(data_dir, bahasa), mapping=mapping, pseudonim=pseudonim, bahasa=bahasa
    )


def default_cache_dir(
    data_dir: str | os.PathLike, out_dir: str | os.PathLike | None = None
) -> Path:
    """The batch's private working folder for a data folder, when none is given.

    Beside the data folder (``data/.kotalama-cache`` for ``data/kotalama``): what it
    holds — the validated tables and the shared results, stored by what they are computed
    from — belongs to the data, so a second batch of the same data into another report
    folder (``--bahasa en``, per-OPD documents) and a notebook opened on the same data
    reuse it. Beside the report folder (``.reports-cache``) when the data's parent folder
    cannot be written.
    """
    data_dir = Path(data_dir)
    if os.access(data_dir.parent, os.W_OK) or out_dir is None:
        return data_dir.parent / f".{data_dir.name}-cache"
    out_dir = Path(out_dir)
    return out_dir.parent / f".{out_dir.name}-cache"


def shared_dir(cache_dir: str | os.PathLike | None) -> Path | None:
    """The store of shared results beside the batch's data cache (``<cache>/../shared``).

    Each data window has its own folder there
    (:func:`kinerja_analysis.analyses.shared.window_dir`), keyed by the data and the
    parameters; ``None`` when there is no batch cache (interactive use: the window is
    computed in the notebook).
    """
    if cache_dir is None:
        return None
    p = Path(cache_dir).parent / "shared"
    return p if p.is_dir() else None


def tables_for(ds, opd: str | None = None, bahasa: Bahasa = "id") -> dict[str, pd.DataFrame]:
    """The dataset's tables, restricted to one OPD when ``opd`` is given.

    Employee tables keep the employees of that OPD; ``layanan``/``penerapan`` its rows.

    Raises
    ------
    ParameterError
        ``opd`` is not an OPD of ``pegawai`` (a ``ValueError``; the message in ``bahasa``).
    """
    tables = {k: v for k, v in ds.tables.items()}
    if opd is None:
        return tables
    peg = tables["pegawai"]
    if opd not in set(peg["opd"]):
        raise ParameterError(message("opd_tidak_ada", bahasa, opd=opd))
    nips = set(peg.loc[peg["opd"] == opd, "nip"])
    out = {}
    for name, df in tables.items():
        if name == "pegawai":
            out[name] = df[df["opd"] == opd].reset_index(drop=True)
        elif "nip" in df.columns:
            out[name] = df[df["nip"].isin(nips)].reset_index(drop=True)
        elif "opd" in df.columns:
            out[name] = df[df["opd"] == opd].reset_index(drop=True)
        else:
            out[name] = df
    return out


def check_period(ds, periode: str, bahasa: Bahasa = "id") -> str:
    """Normalise ``periode`` and check it is one of the dataset's periods.

    Raises
    ------
    PeriodError
        Not a period code, or not one of the data's periods (the message lists them), in
        ``bahasa``.
    """
    try:
        kode = parse_period(periode).code
    except PeriodError as exc:
        if bahasa == "id":  # the parser says what is wrong with the code (in Indonesian)
            raise
        raise PeriodError(message("kode_periode", bahasa, value=periode)) from exc
    if kode not in ds.periods:
        tersedia = ", ".join(ds.periods)
        raise PeriodError(
            message("periode_tidak_ada_data", bahasa, periode=kode, tersedia=tersedia)
        )
    return kode


# ----------------------------------------------------------------------------- tables out


@renamed_keywords(nama="name", judul="title")
def save_table(
    output_dir: str | os.PathLike,
    name: str,
    df: pd.DataFrame,
    *,
    title: str | None = None,
    bahasa: Bahasa = "id",
) -> Path:
    """Register an aggregate table for the report's XLSX workbook.

    Writes ``<output_dir>/tabel/<name>.parquet`` and records the order, title and
    language in ``tabel/_daftar.json``. Both writes are atomic. The batch gives every run
    a private staging folder as ``output_dir``; nothing here is meant for a
    stakeholder folder.

    Parameters
    ----------
    name
        Sheet name: lower-case letters, digits and ``_``, at most 40 characters.
    title
        A human title, written above the sheet's table.
    bahasa
        Language of the workbook's headers and labels (:func:`workbook_tables`).
    """
    if not _NAMA_RE.match(name):
        raise ValueError(f"table name {name!r}: use lower-case letters, digits and _ (at most 40)")
    check_bahasa(bahasa)
    d = Path(output_dir) / _TABEL_DIR
    d.mkdir(parents=True, exist_ok=True)
    out = df.copy()
    if not row_numbers_only(out.index):
        out = out.reset_index()
    out.columns = [str(c) for c in out.columns]
    path = d / f"{name}.parquet"
    atomic_write(path, lambda tmp: out.to_parquet(tmp, index=False))
    daftar_path = d / "_daftar.json"
    daftar = json.loads(daftar_path.read_text("utf-8")) if daftar_path.exists() else []
    entry = {"nama": name, "judul": title or name, "bahasa": bahasa}
    daftar = [e for e in daftar if e["nama"] != name] + [entry]
    atomic_write(daftar_path, json.dumps(daftar, ensure_ascii=False, indent=1))
    return path


def read_tables(output_dir: str | os.PathLike) -> dict[str, pd.DataFrame]:
    """The tables registered by :func:`save_table`, in registration order, as saved.

    Each DataFrame carries its title in ``df.attrs["judul"]`` and its language in
    ``df.attrs["bahasa"]``; columns and values are the machine keys (for code). Empty
    dict when none.
    """
    d = Path(output_dir) / _TABEL_DIR
    daftar_path = d / "_daftar.json"
    if not daftar_path.exists():
        return {}
    out = {}
    for e in json.loads(daftar_path.read_text("utf-8")):
        df = read_parquet(d / f"{e['nama']}.parquet")
        df.attrs["judul"] = e["judul"]
        df.attrs["bahasa"] = e.get("bahasa", "id")
        out[e["nama"]] = df
    return out


#: The workbook writer's number kinds (:func:`kinerja_analysis.reporting.export.xlsx_bytes`)
#: for the label registry's column kinds (:class:`kinerja_analysis.reporting.text.Column`).
#: Cell format of a ``nilai`` by its ``satuan`` (headline figures): (kind, decimals).
_UNIT_FORMAT: dict[str, tuple[str, int]] = {
    "orang": ("bilangan", 0),
    "OPD": ("bilangan", 0),
    "fraksi": ("persen", 1),
    "persen": ("persen_poin", 1),
    "%": ("persen_poin", 1),
    "JP/12 bulan": ("desimal", 1),
}

_XLSX_KIND = {
    "teks": "teks",
    "bilangan": "bilangan",
    "angka": "desimal",
    "fraksi": "persen",
    "persen": "persen_poin",
    "p": "p",
    "ya_tidak": "boolean",
}


def workbook_tables(output_dir: str | os.PathLike) -> dict[str, pd.DataFrame]:
    """The registered tables as the workbook shows them, named by their titles.

    Categorical values are words from the label registry
    (:func:`kinerja_analysis.reporting.text.label_values`); columns keep their machine
    keys and numbers stay numbers (fractions as fractions), so the workbook writer gives
    each column its header and number format from ``df.attrs``: ``judul`` (the title),
    ``label`` (``{key: header}``, :func:`kinerja_analysis.reporting.text.column_label`),
    ``format`` (``{key: {"jenis", "desimal"}}``, the writer's kinds) and ``bahasa``.
    Sheets are named by :func:`sheet_title`.
    """
    return workbook_frames(read_tables(output_dir))


def workbook_frames(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """:func:`workbook_tables` of tables in memory (``{name: df}`` with ``df.attrs``
    ``judul`` and ``bahasa``)."""
    out: dict[str, pd.DataFrame] = {}
    for nama, df in tables.items():
        bahasa = df.attrs.get("bahasa", "id")
        if "term" in df.columns and "label" in df.columns:
            # the estimator's own label (a programmer's helper, "opd = …") repeats the
            # term, which the registry writes in the document's language
            df = df.drop(columns="label")
        shown = label_values(df, bahasa)
        judul = df.attrs.get("judul", nama)
        fmt_spec, labels = {}, {}
        for c in df.columns:
            key = str(c)
            jenis, d = series_kind(key, df[c])
            fmt_spec[key] = {"jenis": _XLSX_KIND[jenis], "desimal": d}
            labels[key] = column_label(key, bahasa)
        if "satuan" in df.columns and "nilai" in df.columns:
            # one indicator per row (counts, scores, shares): each cell as its unit says
            fmt_spec["nilai"]["baris"] = [
                _UNIT_FORMAT.get(str(u), ("desimal", 2)) for u in df["satuan"]
            ]
        shown.attrs.update(judul=judul, bahasa=bahasa, format=fmt_spec, label=labels, nama=nama)
        out[sheet_title(judul, out)] = shown
    return out


def workbook_labels(tables: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """Every column header of :func:`workbook_tables` (``{key: header}``), for the writer."""
    labels: dict[str, str] = {}
    for df in tables.values():
        labels.update(df.attrs.get("label", {}))
    return labels


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]+")
#: Words a shortened sheet name must not end on (Indonesian and English function words).
_DANGLING = frozenset(
    "dan atau per terhadap menurut di ke dari yang untuk dengan pada antara sebelum sesudah "
    "and or of by per the to for in with on at from between before after compared vs".split()
)


@renamed_keywords(judul="title")
def sheet_title(title: str, used: Mapping[str, object] = ()) -> str:
    """A worksheet name from a table title: Excel's forbidden characters (``[]:*?/\\``)
    replaced by a dash, cut at a word boundary to Excel's 31 characters, made unique
    against ``used`` with a number."""
    base = _SHEET_BAD.sub(" - ", str(title)).replace("  ", " ").strip(" -'") or "Tabel"
    if len(base) > 31:
        words = base[:32].split(" ")[:-1]  # whole words only
        while words and words[-1].lower().strip(",;-(") in _DANGLING:
            words.pop()  # "Efek pelatihan terhadap" reads as cut: end on a content word
        cut = " ".join(words).rstrip(" ,;-(")
        base = cut if len(cut) >= 12 else base[:31]
    title, i = base, 2
    taken = {str(u).lower() for u in used}
    while title.lower() in taken:
        suffix = f" ({i})"
        title = base[: 31 - len(suffix)].rstrip() + suffix
        i += 1
    return title


def render_table(df: pd.DataFrame, **options: Any):
    """:func:`table_html` as an ``IPython.display.HTML`` object (same options)."""
    from IPython.display import HTML  # lazy: only inside a notebook kernel

    # an old keyword of table_html (for one release) warns here, at the caller's line
    options = with_new_keywords(
        options, table_html.__renamed_keywords__, "render_table", stacklevel=2
    )
    return HTML(table_html(df, **options))


@renamed_keywords(desimal="decimals", persen_kolom="percent_cols", label="labels", max_kolom="max_columns", kolom="columns")  # fmt: skip
def table_html(
    df: pd.DataFrame,
    *,
    bahasa: fmt.Bahasa = "id",
    decimals: int | Mapping[str, int] | None = None,
    percent_cols: Sequence[str] = (),
    labels: Mapping[str, str] | None = None,
    max_columns: int = 8,
    columns: Sequence[str] | None = None,
) -> str:
    """An aggregate table rendered for the report, as a person reads it (HTML string).

    Headers and categorical values come from the label registry
    (:func:`kinerja_analysis.reporting.text.display_frame`; ``labels`` overrides a
    header), numbers are written by each column's kind in ``bahasa``'s format (counts,
    decimals, shares as percentages, p-values as ``<0,001``). ``percent_cols`` marks more
    columns as shares (fractions); ``decimals`` (one number or ``{column: digits}``)
    overrides the registry's decimals.

    A table wider than ``max_columns`` columns is split into several tables of at most
    that many, each repeating the first column, so it fits a portrait A4 page and a
    phone screen. No index, missing values as "–"; every header and value is escaped.
    ``columns`` shows only those columns, labelled with the whole frame (a subgroup term is
    named from its ``subgroup`` and ``level`` columns).
    """
    shown, kinds = display_frame(df, bahasa, labels)
    keys = [str(c) for c in df.columns]
    if columns is not None:
        pos = [keys.index(str(c)) for c in columns]
        shown = shown.iloc[:, pos]
        keys = [keys[i] for i in pos]
    cells: dict[str, list[str]] = {}
    numeric: dict[str, bool] = {}
    for key, col in zip(keys, shown.columns, strict=True):
        jenis, d = kinds[col]  # refined by the data (display_frame)
        s = shown[col]
        if key in percent_cols:
            jenis, d = "fraksi", 1
        if isinstance(decimals, Mapping) and key in decimals:
            d = decimals[key]
        elif isinstance(decimals, int) and jenis in ("angka",):
            d = decimals
        cells[col] = [format_value(v, jenis, d, bahasa) for v in s]
        numeric[col] = jenis not in ("teks", "ya_tidak")
    cols = list(cells)
    if len(cols) <= max_columns or max_columns < 2:
        parts = [cols]
    else:
        head, rest = cols[:1], cols[1:]
        step = max_columns - 1
        parts = [head + rest[i : i + step] for i in range(0, len(rest), step)]
    html = []
    for i, part in enumerate(parts):
        if i:
            html.append(
                f'<p class="lanjutan">{"Tabel dilanjutkan" if bahasa == "id" else "Table continued"}'
                f" ({i + 1}/{len(parts)})</p>"
            )
        html.append(_table(part, cells, numeric))
    return "\n".join(html)


def _table(cols: Sequence[str], cells: Mapping[str, list[str]], numeric) -> str:
    """A table of already written cells: numbers right-aligned (class ``angka``), text
    left-aligned, each cell labelled with its header (``data-label``, for the phone
    layout); classes from :func:`~kinerja_analysis.reporting.markup.table_class`; every
    header, label and cell escaped."""

    def cls(c: str) -> str:
        return ' class="angka"' if numeric[c] else ' class="teks"'

    def esc(text: str) -> str:  # data in a cell: inert markup, no control characters
        return _html.escape(clean_text(text))

    widths = column_widths(
        [str(c) for c in cols], [cells[c] for c in cols], [numeric[c] for c in cols]
    )
    head = "".join(
        f'<th{cls(c)} style="{width_style(w)}">{esc(breakable(str(c)))}</th>'
        for c, w in zip(cols, widths, strict=True)
    )
    n = len(cells[cols[0]]) if cols else 0
    rows = "".join(
        "<tr>"
        + "".join(
            f'<td{cls(c)} data-label="{esc(str(c))}">{esc(breakable(cells[c][r]))}</td>'
            for c in cols
        )
        + "</tr>"
        for r in range(n)
    )
    kelas = table_class([str(c) for c in cols], [cells[c] for c in cols])
    return f'<table class="{kelas}"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def set_plot_style() -> None:
    """Set the report's plot style (:func:`kinerja_analysis.reporting.plots.use_style`)."""
    from kinerja_analysis.reporting import plots  # lazy: matplotlib only for figures

    plots.use_style()


@renamed_keywords(periode_teks="period_text")
@dataclass
class ReportSession:
    """What a report notebook works with: the data as of its period, its parameters and
    the output calls.

    Made by :func:`setup` in a notebook's first code cell; every later cell says things
    (:meth:`say`), shows and saves tables (:meth:`table`), shows figures
    (:meth:`figure`) and reads shared results (:attr:`shared`) through it, so each
    notebook reads as the document it produces.

    ``ds`` and ``tables`` hold only what was known at the end of ``periode``
    (:func:`kinerja_analysis.analyses.shared.data_through`): a notebook cannot use a
    later period by accident. Their ``pegawai`` is the window's register, everyone who
    was an ASN in one of its periods (the rows of the earlier periods are theirs); the
    ASN *of the period*, whom the document counts, are :attr:`pegawai` (and
    :attr:`city_pegawai` for the whole city). ``period_text`` is ``periode`` in words,
    in the session's language (the old name ``periode_teks`` still reads it for one
    release, with a ``DeprecationWarning``).
    """

    ds: Any
    periode: str
    tables: dict[str, pd.DataFrame]
    period_text: str
    cakupan: str
    bahasa: Bahasa
    opd: str | None
    min_sel: int
    seed: int
    output_dir: Path | None
    cache_dir: Path | None
    saved: dict[str, pd.DataFrame] = field(default_factory=dict)
    store: Path | None = None
    profile: AgencyProfile | None = None
    #: The raw data folder, where nothing is ever written (None: not known).
    data_folder: Path | None = None

    @property
    def labels(self) -> dict[str, str]:
        """Column labels of the report tables in the session's language."""
        return column_labels(self.bahasa)

    @cached_property
    def pegawai(self) -> pd.DataFrame:
        """The ASN of the document's period — of its OPD in an OPD's document — whom its
        head-counts count: the register cut at :attr:`periode`
        (:func:`~kinerja_analysis.analyses.shared.pegawai_through`: not those hired after
        it, nor those who left before it began)."""
        return pegawai_through(self.tables, self.periode)

    @cached_property
    def city_pegawai(self) -> pd.DataFrame:
        """The ASN of the period in every OPD (:attr:`pegawai` of the city's document):
        the head-counts an OPD's table is suppressed against, as the city's is."""
        return pegawai_through(self.ds.tables, self.periode)

    @cached_property
    def shared(self) -> SharedResults:
        """Cross-period results of the window ending with :attr:`periode`: from the
        batch's store when it holds that window (the batch's cache, or the store beside
        the data folder a batch of the same data left), else computed (and stored)."""
        store = shared_dir(self.cache_dir) or self.store
        return load_or_compute_shared(self.ds, store, through=self.periode, seed=self.seed)

    @cached_property
    def withheld(self) -> frozenset[str]:
        """In an OPD's document, the measures the city level of the same period suppresses
        for this OPD (primary or complementary,
        :func:`~kinerja_analysis.reporting.tables.city_suppressed_measures`): the document
        must not publish this OPD's figures of them. Empty in the city's document."""
        if self.opd is None:
            return frozenset()
        h = self.shared if "skp" in self.tables or "penilaian_resmi" in self.tables else None
        return self._city_pattern(h).get(self.opd, frozenset())

    def _city_pattern(self, h: SharedResults | None) -> dict[str, frozenset[str]]:
        """:func:`~kinerja_analysis.reporting.tables.city_suppressed_measures` of the
        period, computed once for all the period's OPD documents.

        It is kept beside the window's shared results in the batch's store (a JSON file
        in :func:`~kinerja_analysis.analyses.shared.window_dir`, whose key is the data and
        the window), under a key of the period, ``min_sel`` and the fingerprint of the
        whole package's code (the rule lives in the reporting layer): an OPD document of
        the same data, period, ``min_sel`` and code reads it instead of recomputing the
        city's tables (0,4–0,8 s each, once per OPD). A file whose key differs, or that
        cannot be read, is computed again and replaced. Without a store, or without
        shared results (``h`` is ``None``), it is computed here.
        """
        store = shared_dir(self.cache_dir) or self.store
        if h is None or store is None:
            return city_suppressed_measures(self.ds, h, self.periode, self.min_sel)
        folder = window_dir(store, shared_key(self.ds, through=self.periode, seed=self.seed))
        kunci = {"periode": self.periode, "min_sel": int(self.min_sel), "kode": code_fingerprint()}
        path = folder / f"pola_sembunyi_kota-{self.periode}-{int(self.min_sel)}.json"
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError, AttributeError):
            stored = json.loads(path.read_text(encoding="utf-8"))
            if stored["kunci"] == kunci:
                return {str(o): frozenset(map(str, m)) for o, m in stored["opd"].items()}
        hidden = city_suppressed_measures(self.ds, h, self.periode, self.min_sel)
        if folder.is_dir():  # the window is stored: keep the pattern beside it
            body = {"kunci": kunci, "opd": {o: sorted(m) for o, m in hidden.items()}}
            with contextlib.suppress(OSError):
                atomic_write(path, json.dumps(body, ensure_ascii=False, sort_keys=True))
        return hidden

    def withheld_note(self, measure: str, *, cells: bool = False, periods: bool = False) -> None:
        """Say that this OPD's figures of ``measure`` are suppressed, and why: only some
        periods' rows of its per-period table with ``periods``, or when :attr:`withheld`
        lists only ``"<measure>:<periode>"`` entries of it; only some cells (marked –, as
        the city's pattern hides them) with ``cells`` (``"<measure>:<cell>"`` entries are
        then cells, not periods); else the measure as a whole."""
        key = "disembunyikan_opd_sel" if cells else "disembunyikan_opd"
        by_period = measure not in self.withheld and any(
            m.startswith(f"{measure}:") for m in self.withheld
        )
        if periods or (by_period and not cells):
            key = "disembunyikan_opd_periode"
        self.say(key, ukuran=self.text(f"ukuran_{measure}"), min_sel=self.min_sel)

    def text(self, key: str, **fields: object) -> str:
        """A fixed text of the report (:data:`kinerja_analysis.reporting.text.TEXTS`)."""
        return text(key, self.bahasa, **fields)

    def scope(self, start: bool = False) -> str:
        """Where the document's totals are taken, in words: "di seluruh OPD" in the
        city's document, "di <OPD>" in one OPD's (``start``: the form that opens a
        sentence). Data: give it to :meth:`say` as a field, which escapes it."""
        key = "umum_lingkup_opd" if self.opd else "umum_lingkup_kota"
        return self.text(f"{key}_awal" if start else key, opd=self.opd)

    def say(self, *keys: str, **fields: object) -> None:
        """Display fixed texts of the report as one Markdown block.

        Several keys (a heading and the note that introduces the next table or figure)
        go in one block, which the print style keeps on the page of what follows. Text
        fields are data until marked otherwise: they are escaped as Markdown
        (:func:`~kinerja_analysis.reporting.markup.escape_markdown`), so a value shows
        its characters; :class:`~kinerja_analysis.reporting.markup.Markdown` passes as is.
        """
        safe = {k: escape_markdown(v) if isinstance(v, str) else v for k, v in fields.items()}
        self.markdown("\n\n".join(self.text(k, **safe) for k in keys))

    def bullets(self, items: Iterable[object]) -> None:
        """Display ``items`` (data or notes holding data) as a Markdown list, each escaped."""
        self.markdown("\n".join(f"- {escape_markdown(item)}" for item in items))

    def absent(self, *names: str) -> bool:
        """Say in words which of the tables ``names`` (of the data contract) this dataset
        does not have; ``True`` when one is missing (the section is then left out).

        One sentence (``data_tidak_tersedia``) naming the missing data in the session's
        language, e.g. *Data pelatihan tidak tersedia dalam dataset ini, …*.
        """
        missing = [n for n in names if n not in self.tables]
        if not missing:
            return False
        words = [self.text(f"data_{n}") for n in missing]
        data = (
            words[0]
            if len(words) == 1
            else f"{', '.join(words[:-1])} {self.text('data_dan')} {words[-1]}"
        )
        self.say("data_tidak_tersedia", data=data)
        return True

    def markdown(self, md: str) -> None:
        """Display Markdown (already written by the narrative or the text layer)."""
        from IPython.display import Markdown, display  # lazy: only inside a notebook kernel

        display(Markdown(md))

    @renamed_keywords(kunci="key")
    def section(self, report, key: str) -> None:
        """Display one section of a :class:`~kinerja_analysis.reporting.narrative.Report`:
        its heading (with the id the table of contents links to) and its Markdown body."""
        from IPython.display import HTML, Markdown, display  # lazy: only inside a kernel

        display(HTML(report.heading_html(key)))
        body = report[key]
        if body:
            display(Markdown(body))

    def contents(self, report) -> None:
        """Display the table of contents of a :class:`~kinerja_analysis.reporting.narrative.Report`
        (escaped HTML with links to its sections; page numbers when printed)."""
        from IPython.display import HTML, display  # lazy: only inside a notebook kernel

        display(HTML(report.contents_html()))

    def number(self, x: object, decimals: int = 2) -> str:
        """A number in the session's language (:func:`kinerja_analysis.reporting.fmt.number`)."""
        return fmt.number(x, decimals, self.bahasa)

    def percent(self, x: object, decimals: int = 1) -> str:
        """A fraction as a percentage in the session's language."""
        return fmt.percent(x, decimals, self.bahasa)

    def label(self, key: str) -> str:
        """A column, term or value in words (:func:`kinerja_analysis.reporting.text.column_label`)."""
        return column_label(key, self.bahasa)

    def _title(self, name: str, title: str | None) -> str:
        if title is not None:
            return title
        key = f"tabel_{name}"
        if key not in TEXTS[self.bahasa]:
            return name
        return self.text(key, periode=self.period_text, cakupan=self.cakupan)

    def save(self, df: pd.DataFrame, name: str, title: str | None = None) -> None:
        """Keep ``df`` for the workbook without showing it.

        With an ``output_dir`` (the batch's staging folder) the table is registered
        there (:func:`save_table`); without one it is kept in :attr:`saved` only — an
        interactive or papermill run writes nothing beside the documents.
        The title defaults to the text ``tabel_<name>`` of :data:`TEXTS`.
        """
        judul = self._title(name, title)
        kept = df.copy()
        kept.attrs.update(judul=judul, bahasa=self.bahasa)
        self.saved[name] = kept
        if self.output_dir is not None:
            save_table(self.output_dir, name, df, title=judul, bahasa=self.bahasa)

    def write_workbook(self, path: str | os.PathLike) -> Path:
        """Write the tables kept so far to an XLSX workbook at ``path`` (labelled)."""
        from kinerja_analysis.reporting import export  # lazy: openpyxl only when asked

        refuse_inside_data(path, self.data_folder, self.bahasa)
        sheets = workbook_frames(self.saved)
        return export.to_xlsx(sheets, path, bahasa=self.bahasa, labels=workbook_labels(sheets))

    def table(
        self,
        df: pd.DataFrame,
        name: str | None = None,
        title: str | None = None,
        *,
        percent_cols: Sequence[str] = (),
        decimals: int | Mapping[str, int] | None = None,
        labels: Mapping[str, str] | None = None,
        columns: Sequence[str] | None = None,
        max_columns: int = 8,
    ) -> None:
        """Save ``df`` for the workbook (when ``name`` is given) and show it.

        The workbook keeps every column; the document shows ``columns`` (default all but
        the suppression flag ``disembunyikan`` and the ``method`` text), labelled from
        the registry (``labels`` overrides a header) and split into parts of at most
        ``max_columns`` columns (:func:`render_table`). A table without rows is said in
        a sentence, never shown as a header over nothing.
        """
        from IPython.display import display  # lazy: only inside a notebook kernel

        if name is not None:
            self.save(df, name, title)
        if not len(df):
            self.say("tabel_tanpa_baris")
            return
        if columns is None:
            columns = [c for c in df.columns if c not in ("disembunyikan", "method")]
        display(
            render_table(
                df,
                bahasa=self.bahasa,
                decimals=decimals,
                percent_cols=percent_cols,
                labels=labels,
                max_columns=max_columns,
                columns=columns,
            )
        )

    def long_table(
        self,
        df: pd.DataFrame,
        by: str,
        name: str,
        *,
        intro: str | None = None,
        per: str | None = None,
        n: int = 5,
        percent_cols: Sequence[str] = (),
        columns: Sequence[str] | None = None,
    ) -> None:
        """Show a per-OPD table in full when it is short, else its ``n`` highest and ``n``
        lowest rows on ``by`` (:func:`kinerja_analysis.reporting.tables.top_and_bottom`),
        with a sentence that says so and names the workbook table that holds every row.

        ``name`` is the workbook table with the full rows (saved here from ``df`` unless
        saved before, e.g. in its long form); ``per`` ranks on ``by / per``; ``intro`` is
        the key of a heading said in the same block as the sentence (so the print style
        keeps them with the table). A long table
        costs the PDF most of its rendering time and a reader a page per table, while a
        head of OPD looking for a row searches the workbook (or reads the OPD's own report).
        """
        if name not in self.saved:
            self.save(df, name)
        intro_keys = () if intro is None else (intro,)
        shown = top_and_bottom(df, by, n=n, per=per)
        if len(shown) >= len(df) or len(df) <= 2 * n + 2:  # short: every row, as it is
            if intro_keys:
                self.say(*intro_keys)
            self.table(df, percent_cols=percent_cols, columns=columns)
            return
        kolom = self.label(by)
        ukuran = (
            self.text("ukuran_kolom", kolom=kolom)
            if per is None
            else self.text("ukuran_rasio", kolom=kolom, per=self.label(per))
        )
        self.say(
            *intro_keys,
            "peringkat_opd" if shown.attrs["n_bawah"] else "peringkat_opd_bernilai",
            atas=shown.attrs["n_atas"],
            bawah=shown.attrs["n_bawah"],
            ukuran=ukuran,
            n_nilai=shown.attrs["n_nilai"],
            n_semua=len(df),
            judul=self.saved[name].attrs["judul"],
        )
        shown_cols = None if columns is None else ["peringkat", *columns]
        self.table(shown, percent_cols=percent_cols, columns=shown_cols)

    def figure(self, plot, *args: object, alt: str = "", **kwargs: object) -> None:
        """Show a figure in the document, drawn for the page and for a phone.

        ``plot`` is a function of :mod:`kinerja_analysis.reporting.plots` (called with
        ``width=PHONE_WIDTH`` and, unless the phone version comes in parts, with
        ``width=PAGE_WIDTH``; and ``bahasa``) or a ready ``Figure`` (drawn once). See
        :func:`figure_html` for how the versions are laid out.

        In the batch's kernel (:func:`deferring_figures`) the figure is drawn in a
        forked child while the notebook goes on: its place holds a short placeholder
        (a Jupyter display with an id) until :func:`finish_figures`, which the batch
        runs after the last cell, puts the figure there. No more figures are drawn at
        a time than :func:`figure_processes` (the oldest is put in place first). The
        outputs at the end are those of drawing each figure here. What differs: a plot
        that fails while drawing fails the run later, in the cell that puts it in
        place (:class:`FigureError`, naming the plot and the cell that asked for it;
        arguments the plot does not take still fail here, at once), and the warnings
        of drawing are shown there too. A plot function should have no effect but its
        figure: what it prints or draws from the global random generator stays in the
        child. Everywhere else (JupyterLab, papermill by hand) the figure is drawn
        here, now.
        """
        from IPython.display import HTML, display  # lazy: only inside a notebook kernel

        from kinerja_analysis.reporting import plots  # lazy: matplotlib only for figures

        name = getattr(plot, "__name__", "plot")
        kwargs = with_new_keywords(kwargs, plots.RENAMED_KEYWORDS, name, stacklevel=2)
        draw = partial(figure_html, plot, *args, alt=alt, bahasa=self.bahasa, **kwargs)
        if not (deferring_figures() and _takes(plot, args, self.bahasa, kwargs)):
            display(HTML(draw()))
            return
        # the batch's kernel: drawn in a forked child while the notebook goes on; a
        # placeholder until finish_figures() puts the figure in its place
        if len(_PENDING) >= figure_processes():
            _finish_one()  # the oldest first: no more children drawing than that
        try:
            job = fork_call(partial(_drawn_alone, draw))
        except OSError:  # no fork now (out of memory, out of processes): drawn here
            display(HTML(draw()))
            return
        if not callable(plot):  # the child has its copy; this one would show again
            import matplotlib.pyplot as plt  # lazy: heavy; only for figures

            for fig in _figures(plot):
                plt.close(fig)
        try:
            note = _html.escape(text("umum_gambar_tertunda", self.bahasa))
            handle = display(
                HTML(f'<p class="{FIGURE_PLACEHOLDER_CLASS}">{note}</p>'), display_id=True
            )
        except BaseException:
            job.cancel()
            raise
        _PENDING.append((job, handle, f"{name} (In [{_cell_number()}])"))


class FigureError(RuntimeError):
    """A figure drawn beside the notebook (:meth:`ReportSession.figure` in the batch's
    kernel) could not be drawn; the plot's own error is its ``__cause__``."""


#: Environment variable set in the batch's kernel (:mod:`kinerja_analysis.pipeline.execution`):
#: :meth:`ReportSession.figure` draws in a forked child while the notebook goes on, and
#: the batch runs :func:`finish_figures` after the last cell. Read (and removed, so that
#: no process the notebook starts inherits it) when this module is imported, which the
#: batch's kernel does at start-up, before any cell.
DEFER_FIGURES_ENV = "KINERJA_DEFER_FIGURES"
_DEFER = os.environ.pop(DEFER_FIGURES_ENV, None) == "1"

#: Figures being drawn (deferred mode): (the child, the display handle of its
#: placeholder, the plot's name and the cell that asked for it).
_PENDING: list[tuple[Any, Any, str]] = []


def deferring_figures() -> bool:
    """Whether :meth:`ReportSession.figure` defers its drawing: in the batch's kernel
    (:data:`DEFER_FIGURES_ENV` was ``"1"`` when this module was imported), on a
    platform with ``fork`` and with a CPU to spare (:func:`figure_processes` above 1)."""
    return _DEFER and hasattr(os, "fork") and figure_processes() > 1


def _takes(plot, args: tuple, bahasa: Bahasa, kwargs: dict) -> bool:
    """Whether ``plot`` can be called as :func:`figure_html` calls it (a ready figure
    can); a call it cannot take is made here, so its error comes from its own cell."""
    if not callable(plot):
        return True
    from kinerja_analysis.reporting import plots  # lazy: matplotlib only for figures

    try:
        signature = inspect.signature(plot)
    except (TypeError, ValueError):  # no signature to read: drawn here
        return False
    try:
        signature.bind(*args, bahasa=bahasa, width=plots.PHONE_WIDTH, **kwargs)
    except TypeError:
        return False
    return True


def _cell_number() -> object:
    """The number of the cell running now (its ``In [n]``), or ``"?"``.

    IPython counts a cell it keeps in its history before running it: while the cell
    runs, ``execution_count`` is already the next cell's number (papermill keeps every
    cell in the history).
    """
    from IPython import get_ipython  # lazy: only inside a notebook kernel

    count = getattr(get_ipython(), "execution_count", None)
    return count - 1 if isinstance(count, int) and count > 1 else "?"


def _drawn_alone(draw):
    """``draw()`` in a child drawing one figure beside the notebook: its versions one
    after the other (the notebook and the other figures use the other CPUs). Where the
    child failed, the parent runs this again: the environment is restored."""
    before = os.environ.get(FIGURE_PROCESSES_ENV)
    os.environ[FIGURE_PROCESSES_ENV] = "1"
    try:
        return draw()
    finally:
        if before is None:
            os.environ.pop(FIGURE_PROCESSES_ENV, None)
        else:
            os.environ[FIGURE_PROCESSES_ENV] = before


def _finish_one() -> None:
    """Put the oldest figure being drawn in its place (waits for it)."""
    from IPython.display import HTML  # lazy: only inside a notebook kernel

    job, handle, what = _PENDING.pop(0)
    try:
        markup = job.result()[0]
    except Exception as exc:
        raise FigureError(
            f"the figure {what} could not be drawn: {type(exc).__name__}: {exc}"
        ) from exc
    handle.update(HTML(markup))


def finish_figures() -> None:
    """Put every figure still being drawn (deferred mode) in its place, in order.

    The batch runs this after a report notebook's last cell
    (:func:`kinerja_analysis.pipeline.execution.execute_notebook`); each placeholder
    output is replaced by its figure (a Jupyter display update), so the executed
    notebook holds the same outputs as a run that draws each figure where it is asked
    for. Does nothing when no figure is pending.

    Raises
    ------
    FigureError
        A figure could not be drawn (the plot's error is its ``__cause__``); the
        figures after it are not awaited.
    """
    try:
        while _PENDING:
            _finish_one()
    finally:
        while _PENDING:  # an error above: the others are not awaited
            job, _, _ = _PENDING.pop()
            job.cancel()


def figure_png(fig) -> tuple[str, float, float]:
    """A figure as base64 PNG at :data:`plots.DPI` and its size in inches; the figure is
    closed.

    Drawn once by Agg (``savefig`` draws a figure with a layout engine twice) and saved
    as RGB: the figures are opaque, and a PDF would embed an alpha channel as a second
    image.
    """
    import matplotlib.pyplot as plt  # lazy: heavy; only for figures

    try:
        return _png(fig)
    finally:
        plt.close(fig)


def figure_pngs(figs: Sequence, processes: int | None = None) -> list[tuple[str, float, float]]:
    """:func:`figure_png` of each figure, drawn in up to ``processes`` processes.

    An item of ``figs`` is a figure or a call without arguments that makes one (or a
    list of them: a plot function's ``functools.partial``, a part of
    :func:`kinerja_analysis.reporting.plots.figure_parts`); such a call runs in the
    process that draws its figure, so making the figures is shared out too. The PNGs
    come in the order of ``figs`` (a call's figures in its order).

    ``processes`` defaults to :func:`figure_processes`. Figures are drawn in forked
    children (:func:`kinerja_analysis.core.parallel.fork_map`), each sending back only
    its PNGs; the PNGs are the same bytes as drawn here. All figures are closed.
    """
    import matplotlib.pyplot as plt  # lazy: heavy; only for figures

    try:
        drawn = fork_map(_drawn, figs, figure_processes() if processes is None else processes)
    finally:
        for fig in figs:
            if not callable(fig):
                plt.close(fig)
    return [png for pngs in drawn for png in pngs]


def _drawn(item) -> list[tuple[str, float, float]]:
    """The PNGs of a figure, or of the figures a call makes; each closed."""
    return [figure_png(fig) for fig in (_figures(item()) if callable(item) else [item])]


#: Environment variable: processes that draw a report's figures (the batch sets it to
#: the CPUs per worker).
FIGURE_PROCESSES_ENV = "KINERJA_FIGURE_PROCESSES"


def figure_processes(cap: int | None = None) -> int:
    """Processes for a report's figures: :data:`FIGURE_PROCESSES_ENV` when it holds a
    whole number >= 1; else, on Linux, every CPU this process may use
    (:func:`kinerja_analysis.core.parallel.available_cpus`), elsewhere 1 (macOS does not
    promise that a forked child of a process using its system libraries works).

    ``cap`` (the batch's share of CPUs for one worker) lowers that default, never a
    number the analyst set. Any other value of the variable is ignored: a report never
    fails on it.
    """
    try:
        value = int(os.environ.get(FIGURE_PROCESSES_ENV, "").strip())
    except ValueError:
        value = 0
    if value >= 1:
        return value
    default = available_cpus() if sys.platform.startswith("linux") else 1
    return default if cap is None else max(1, min(cap, default))


def _png(fig) -> tuple[str, float, float]:
    """:func:`figure_png` without closing the figure.

    Every text is drawn as it is: a ``$`` in a label (data, such as an OPD name) never
    starts matplotlib's mathtext, whose parser fails on an unbalanced one. The texts the
    figure has are set so, and those made while drawing (tick labels) inherit it. Every
    text is drawn as the figures' fonts can draw it
    (:func:`kinerja_analysis.reporting.glyphs.drawable_figure`), a ready figure's too.
    The PNG carries the texts drawn (:func:`drawn_texts`) in its
    :data:`~kinerja_analysis.reporting.privacy.FIGURE_TEXT_KEY` chunk.
    """
    import matplotlib as mpl  # lazy: heavy; only for figures
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # lazy: as above
    from matplotlib.text import Text  # lazy: as above
    from PIL import Image  # lazy: with matplotlib, only for figures
    from PIL.PngImagePlugin import PngInfo  # lazy: as above

    from kinerja_analysis.reporting import plots  # lazy: matplotlib only for figures
    from kinerja_analysis.reporting.glyphs import drawable_figure  # lazy: as plots

    w, h = fig.get_size_inches()
    fig.set_dpi(plots.DPI)
    canvas = FigureCanvasAgg(fig)
    drawable_figure(fig)
    with mpl.rc_context({"text.parse_math": False}):
        for text in fig.findobj(Text):
            text.set_parse_math(False)
        canvas.draw()
    rgb = np.asarray(canvas.buffer_rgba())[..., :3]
    # the texts drawn (tick labels made while drawing included) go with the image, so
    # the personal-data checks read a figure as they read a table
    info = PngInfo()
    info.add_itxt(FIGURE_TEXT_KEY, "\n".join(drawn_texts(fig)))
    buf = io.BytesIO()
    # zlib level 3: on the report's charts both faster (about a third) and smaller than
    # Pillow's default 6; the image is lossless either way
    Image.fromarray(rgb).save(
        buf, format="PNG", dpi=(plots.DPI, plots.DPI), compress_level=3, pnginfo=info
    )
    return base64.b64encode(buf.getvalue()).decode("ascii"), float(w), float(h)


def drawn_texts(fig) -> list[str]:
    """Every text a drawn figure shows, in the figure's order, each with its line
    breaks turned into spaces: titles, axis and tick labels, legends, annotations, the
    texts inside a chart's table. A text set invisible is left out.

    >>> import matplotlib.figure
    >>> fig = matplotlib.figure.Figure()
    >>> ax = fig.subplots()
    >>> _ = fig.suptitle("Capaian\\nper OPD"), ax.set_xlabel("OPD"), ax.set_xticks([0, 1], ["A", "B"])
    >>> _ = ax.set_yticks([])
    >>> drawn_texts(fig)
    ['OPD', 'A', 'B', 'Capaian per OPD']
    """
    from matplotlib.text import Text  # lazy: heavy; only for figures

    out = []
    for artist in fig.findobj(Text):
        value = " ".join(artist.get_text().split())
        if value and artist.get_visible():
            out.append(value)
    return out


def _figures(value) -> list:
    """A plot function's result as a list of figures."""
    return list(value) if isinstance(value, list | tuple) else [value]


def figure_html(plot, *args: object, alt: str = "", bahasa: Bahasa = "id", **kwargs: object) -> str:
    """The HTML of :meth:`ReportSession.figure`.

    ``plot`` is a function of :mod:`kinerja_analysis.reporting.plots` (or a ready
    ``Figure``, drawn once as it is). A function is first drawn for a phone
    (``width=PHONE_WIDTH``):

    * when the phone version comes in parts (a long list of OPDs split into several
      figures), those parts are the figure everywhere: one per row on a phone, two per
      row on a wide screen and on paper (``div.grafik-kisi``);
    * otherwise the function is drawn again for the page (``width=PAGE_WIDTH``); both are
      in the document and the style sheet shows the page version (``div.grafik-lebar``)
      on wide screens and paper, the phone version (``div.grafik-sempit``) on screens
      narrower than 40 rem. :func:`kinerja_analysis.reporting.export.pdf_bytes` leaves
      the phone version out of the PDF's input.

    The ``<img>`` carries its size on the page (CSS pixels, 96 per inch) so the fonts
    print at the size the figure was designed for (a part in a two-column row is scaled
    to the column). Its text alternative is ``alt``, else the figure's title (``title``),
    with "(i/n)" on the parts of a figure; it is escaped.
    """
    from kinerja_analysis.reporting import plots  # lazy: matplotlib only for figures

    # an old keyword of the plot (for one release) warns here, at the caller's line
    name = getattr(plot, "__name__", "plot")
    kwargs = with_new_keywords(kwargs, plots.RENAMED_KEYWORDS, name, stacklevel=2)
    alt = alt or str(kwargs.get("title") or "")

    def img(png: tuple[str, float, float], text: str) -> str:
        b64, w, h = png
        # the size on the page in CSS pixels, as attributes and as style (WeasyPrint
        # reads only the style); the style sheet still caps it at the column's width
        pw, ph = round(w * 96), round(h * 96)
        return (
            f'<img src="data:image/png;base64,{b64}" width="{pw}" height="{ph}" '
            f'style="width:{pw}px" alt="{_html.escape(clean_text(text))}">'
        )

    def figures(pngs: list) -> str:
        n = len(pngs)
        return "".join(
            f'<figure class="grafik">{img(p, alt if n == 1 or not alt else f"{alt} ({i}/{n})")}'
            "</figure>"
            for i, p in enumerate(pngs, start=1)
        )

    if not callable(plot):
        return figures(figure_pngs(_figures(plot)))
    parts = plots.figure_parts(plot)
    if parts is None:
        phones = _figures(plot(*args, bahasa=bahasa, width=plots.PHONE_WIDTH, **kwargs))
    else:  # the parts are made where they are drawn (several processes share them)
        makers = parts(*args, bahasa=bahasa, width=plots.PHONE_WIDTH, **kwargs)
        if len(makers) > 1:
            return f'<div class="grafik-kisi">{figures(figure_pngs(makers))}</div>'
        phones = [make() for make in makers]
    if len(phones) > 1:
        return f'<div class="grafik-kisi">{figures(figure_pngs(phones))}</div>'
    # all of one figure's versions drawn together: on a free core, side by side, the page
    # version made in the process that draws it
    page = partial(plot, *args, bahasa=bahasa, width=plots.PAGE_WIDTH, **kwargs)
    pngs = figure_pngs([*phones, page])
    # the page version on wide screens and paper, the phone version on narrow screens
    return (
        f'<div class="grafik-lebar">{figures(pngs[len(phones) :])}</div>'
        f'<div class="grafik-sempit">{figures(pngs[: len(phones)])}</div>'
    )


def setup(
    *,
    periode: str,
    data_dir: str | os.PathLike,
    output_dir: str | os.PathLike | None = None,
    cache_dir: str | os.PathLike | None = None,
    bahasa: Bahasa = "id",
    opd: str | None = None,
    min_sel: int = DEFAULTS.min_sel,
    seed: int = DEFAULTS.seed,
    profil: AgencyProfile | str | os.PathLike | None = None,
    mapping: str | os.PathLike | None = None,
    pseudonim: bool = False,
) -> ReportSession:
    """Start a report notebook: the one call after its ``parameters`` cell.

    Loads the validated data (from the batch's cache when given, else from ``data_dir``
    resolved by :func:`resolve_data_dir`), checks the period, keeps only the data up to
    and including it (:func:`kinerja_analysis.analyses.shared.data_through`), restricts
    the tables to one OPD if asked and sets the plot style. ``profil`` is the agency
    profile (a YAML file, see :mod:`kinerja_analysis.core.profile`; default the bundled
    Kotalama example): the session's :attr:`ReportSession.profile`. ``mapping`` (the
    column mapping of an agency's export, YAML) and ``pseudonim`` are those of
    ``kinerja validate``; a batch's cache (``cache_dir``) was validated with its own.

    ``output_dir`` is where the batch collects the workbook's tables (its private
    staging folder); ``None`` (interactive use, papermill) keeps them in memory
    (:meth:`ReportSession.write_workbook` writes them on request).

    What is in memory when the session is ready (the imported libraries, the data) stays
    for the notebook's life: it is moved out of the cyclic garbage collector's sight
    (:func:`gc.freeze`), whose full passes would otherwise walk its few hundred thousand
    objects again during the report (about 0,15 s each). A second ``setup`` in the same
    kernel first gives the earlier session's objects back to the collector
    (:func:`gc.unfreeze`) and collects, so re-running the cell frees the old session.

    Raises
    ------
    DatasetError
        The data folder cannot be found (the message gives the paths tried) or used.
    PeriodError
        ``periode`` is not a period of the data (the message lists those that are).
    ParameterError
        ``opd`` is not an OPD of the data (a ``ValueError``).
    ValueError
        ``bahasa`` is not ``"id"``/``"en"``.

    The messages of these errors are in ``bahasa``.
    """
    check_bahasa(bahasa)
    if gc.get_freeze_count():  # an earlier session of this kernel: let it be freed
        gc.unfreeze()
        gc.collect()
    profile = load_profile(profil)
    set_plot_style()
    ds_all = load_data(data_dir, cache_dir, bahasa, mapping=mapping, pseudonim=pseudonim)
    data_folder = None
    with contextlib.suppress(DatasetError):  # a batch's cache may outlive the folder
        data_folder = resolve_data_dir(data_dir, bahasa)
    store = None
    if cache_dir is None and data_folder is not None:  # opened by hand: a batch's store
        candidate = default_cache_dir(data_folder) / "shared"  # beside the data, if any
        store = candidate if candidate.is_dir() else None
    if output_dir is not None:
        refuse_inside_data(output_dir, data_folder, bahasa)
    kode = check_period(ds_all, periode, bahasa)
    ds = data_through(ds_all, kode)
    cakupan = (
        text("umum_cakupan_opd", bahasa, opd=opd)
        if opd
        else text("umum_cakupan_kota", bahasa, instansi=profile.government(bahasa))
    )
    session = ReportSession(
        ds=ds,
        periode=kode,
        tables=tables_for(ds, opd, bahasa),
        period_text=period_label(kode, bahasa),
        cakupan=cakupan,
        bahasa=bahasa,
        opd=opd,
        min_sel=min_sel,
        seed=seed,
        output_dir=Path(output_dir) if output_dir is not None else None,
        cache_dir=Path(cache_dir) if cache_dir is not None else None,
        store=store,
        profile=profile,
        data_folder=data_folder,
    )
    gc.freeze()
    return session


def legacy_context(
    data_dir: str | os.PathLike,
    cache_dir: str | os.PathLike | None,
    periode: str,
    opd: str | None,
    bahasa: Bahasa = "id",
) -> tuple[Any, str, dict[str, pd.DataFrame], str, str]:
    """The old ``report.konteks`` tuple ``(ds, periode, tables, periode_teks, cakupan)``.

    Kept for one release for notebooks written against it; use :func:`setup`.
    """
    s = setup(periode=periode, data_dir=data_dir, cache_dir=cache_dir, bahasa=bahasa, opd=opd)
    return s.ds, s.periode, s.tables, s.period_text, s.cakupan
