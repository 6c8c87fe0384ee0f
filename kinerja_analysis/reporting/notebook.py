"""What the report notebooks call: set-up, saving and showing tables.

A notebook's first code cell is ``doc = setup(...)`` (:func:`setup`): it loads the
validated data (from the batch's cache when given), checks the period, restricts the
tables to one OPD if asked and returns a :class:`ReportSession`; every later cell says
things (``doc.say``), shows and saves tables (``doc.table``) and reads the shared results
(``doc.shared``). Tables saved with :func:`save_table` go into the report's XLSX workbook;
the batch reads them with :func:`read_tables`.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from kinerja_analysis.analyses.shared import SharedResults, load_or_compute_shared
from kinerja_analysis.core.config import DEFAULTS
from kinerja_analysis.core.errors import PeriodError
from kinerja_analysis.core.io import atomic_write
from kinerja_analysis.core.periods import parse_period, period_label
from kinerja_analysis.core.profile import AgencyProfile, load_profile
from kinerja_analysis.core.text import Bahasa, check_bahasa
from kinerja_analysis.data.loading import Dataset, load_dataset
from kinerja_analysis.reporting import fmt
from kinerja_analysis.reporting.text import column_labels, text

_TABEL_DIR = "tabel"
_NAMA_RE = re.compile(r"^[a-z0-9_]{1,40}$")


# ----------------------------------------------------------------------------- data


def load_data(data_dir: str | os.PathLike, cache_dir: str | os.PathLike | None = None):
    """The validated dataset: from the batch's cache if there is one, else validated now.

    Parameters
    ----------
    data_dir
        The raw dataset folder (``load_dataset``).
    cache_dir
        The cache written by the batch (``Dataset.save_cache``); used when it holds a
        ``meta.json``.

    Returns
    -------
    Dataset
    """

    if cache_dir is not None and (Path(cache_dir) / "meta.json").exists():
        return Dataset.load_cache(cache_dir)
    return load_dataset(data_dir)


def shared_dir(cache_dir: str | os.PathLike | None) -> Path | None:
    """The batch's shared folder for cross-period models (``<cache>/../shared``), if any.

    Hook for heavy models estimated once per batch (effects across all periods): the
    batch creates it beside the data cache; notebooks read their results from it.
    """
    if cache_dir is None:
        return None
    p = Path(cache_dir).parent / "shared"
    return p if p.is_dir() else None


def tables_for(ds, opd: str | None = None) -> dict[str, pd.DataFrame]:
    """The dataset's tables, restricted to one OPD when ``opd`` is given.

    Employee tables keep the employees of that OPD; ``layanan``/``penerapan`` its rows.

    Raises
    ------
    ValueError
        ``opd`` is not an OPD of ``pegawai``.
    """
    tables = {k: v for k, v in ds.tables.items()}
    if opd is None:
        return tables
    peg = tables["pegawai"]
    if opd not in set(peg["opd"]):
        raise ValueError(f"OPD {opd!r} tidak ada dalam data pegawai")
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


def check_period(ds, periode: str) -> str:
    """Normalise ``periode`` and check it is one of the dataset's periods.

    Raises
    ------
    PeriodError
        Not a period code, or not one of the data's periods (the message lists them).
    """
    kode = parse_period(periode).code
    if kode not in ds.periods:
        raise PeriodError(
            f"periode {kode} tidak ada dalam data (tersedia: {', '.join(ds.periods)})"
        )
    return kode


# ----------------------------------------------------------------------------- tables out


def save_table(
    output_dir: str | os.PathLike, nama: str, df: pd.DataFrame, *, judul: str | None = None
) -> Path:
    """Register an aggregate table for the report's XLSX workbook.

    Writes ``<output_dir>/tabel/<nama>.parquet`` and records the order and title in
    ``tabel/_daftar.json``. Both writes are atomic.

    Parameters
    ----------
    nama
        Sheet name: lower-case letters, digits and ``_``, at most 40 characters.
    judul
        A human title, written above the sheet's table.
    """
    if not _NAMA_RE.match(nama):
        raise ValueError(f"nama tabel {nama!r}: pakai huruf kecil, angka dan _ (maks. 40)")
    d = Path(output_dir) / _TABEL_DIR
    d.mkdir(parents=True, exist_ok=True)
    out = df.copy()
    if not isinstance(out.index, pd.RangeIndex):
        out = out.reset_index()
    out.columns = [str(c) for c in out.columns]
    path = d / f"{nama}.parquet"
    atomic_write(path, lambda tmp: out.to_parquet(tmp, index=False))
    daftar_path = d / "_daftar.json"
    daftar = json.loads(daftar_path.read_text("utf-8")) if daftar_path.exists() else []
    daftar = [e for e in daftar if e["nama"] != nama] + [{"nama": nama, "judul": judul or nama}]
    atomic_write(daftar_path, json.dumps(daftar, ensure_ascii=False, indent=1))
    return path


def read_tables(output_dir: str | os.PathLike) -> dict[str, pd.DataFrame]:
    """The tables registered by :func:`save_table`, in registration order.

    Each DataFrame carries its title in ``df.attrs["judul"]``. Empty dict when none.
    """
    d = Path(output_dir) / _TABEL_DIR
    daftar_path = d / "_daftar.json"
    if not daftar_path.exists():
        return {}
    out = {}
    for e in json.loads(daftar_path.read_text("utf-8")):
        df = pd.read_parquet(d / f"{e['nama']}.parquet")
        df.attrs["judul"] = e["judul"]
        out[e["nama"]] = df
    return out


def render_table(
    df: pd.DataFrame,
    *,
    bahasa: fmt.Bahasa = "id",
    desimal: int | Mapping[str, int] = 2,
    persen_kolom: Sequence[str] = (),
    label: Mapping[str, str] | None = None,
):
    """An aggregate table rendered for the report: numbers in ``bahasa``'s format.

    ``persen_kolom`` are fractions shown as percentages; ``desimal`` may be one number or
    a ``{column: digits}`` mapping; ``label`` renames columns for display. Returns an
    ``IPython.display.HTML`` object (no index, missing values as "–").
    """
    from IPython.display import HTML  # lazy: only inside a notebook kernel

    out = df.copy()
    for c in out.columns:
        if c in persen_kolom:
            out[c] = [fmt.percent(v, 1, bahasa) for v in out[c]]
        elif pd.api.types.is_bool_dtype(out[c]):
            ya, tidak = ("ya", "tidak") if bahasa == "id" else ("yes", "no")
            out[c] = [ya if v else tidak for v in out[c]]
        elif pd.api.types.is_integer_dtype(out[c]):
            out[c] = [fmt.number(v, 0, bahasa) for v in out[c]]
        elif pd.api.types.is_numeric_dtype(out[c]):
            d = desimal.get(c, 2) if isinstance(desimal, Mapping) else desimal
            out[c] = [fmt.number(v, d, bahasa) for v in out[c]]
        else:
            out[c] = out[c].astype(object).where(out[c].notna(), fmt.EMPTY)
    if label:
        out = out.rename(columns=dict(label))
    html = out.to_html(index=False, classes="tabel-laporan", border=0, escape=True)
    return HTML(html)


def set_plot_style() -> None:
    """Set the report's plot style (seaborn ``whitegrid``, readable sizes, 110 dpi)."""
    import matplotlib as mpl  # lazy: heavy; only for figures
    import seaborn as sns  # lazy: heavy; only for figures

    sns.set_theme(style="whitegrid", context="notebook", palette="deep")
    mpl.rcParams.update({"figure.dpi": 110, "figure.figsize": (7.5, 4.0), "savefig.dpi": 110})


@dataclass
class ReportSession:
    """What a report notebook works with: the data, its parameters and the output calls.

    Made by :func:`setup` in a notebook's first code cell; every later cell says things
    (:meth:`say`), shows and saves tables (:meth:`table`) and reads shared results
    (:attr:`shared`) through it, so each notebook reads as the document it produces.
    """

    ds: Any
    periode: str
    tables: dict[str, pd.DataFrame]
    periode_teks: str
    cakupan: str
    bahasa: Bahasa
    opd: str | None
    min_sel: int
    seed: int
    output_dir: Path
    cache_dir: Path | None
    profile: AgencyProfile | None = None

    @property
    def labels(self) -> dict[str, str]:
        """Column labels of the report tables in the session's language."""
        return column_labels(self.bahasa)

    @cached_property
    def shared(self) -> SharedResults:
        """Cross-period results: from the batch's cache when there is one, else computed."""
        return load_or_compute_shared(self.ds, shared_dir(self.cache_dir), seed=self.seed)

    def text(self, key: str, **fields: object) -> str:
        """A fixed text of the report (:data:`kinerja_analysis.reporting.text.TEXTS`)."""
        return text(key, self.bahasa, **fields)

    def say(self, key: str, **fields: object) -> None:
        """Display a fixed text of the report as Markdown."""
        self.markdown(self.text(key, **fields))

    def markdown(self, md: str) -> None:
        """Display Markdown (already written by the narrative or the text layer)."""
        from IPython.display import Markdown, display  # lazy: only inside a notebook kernel

        display(Markdown(md))

    def number(self, x: object, decimals: int = 2) -> str:
        """A number in the session's language (:func:`kinerja_analysis.reporting.fmt.number`)."""
        return fmt.number(x, decimals, self.bahasa)

    def percent(self, x: object, decimals: int = 1) -> str:
        """A fraction as a percentage in the session's language."""
        return fmt.percent(x, decimals, self.bahasa)

    def save(self, df: pd.DataFrame, name: str, title: str | None = None) -> None:
        """Save ``df`` for the workbook without showing it (:func:`save_table`)."""
        save_table(self.output_dir, name, df, judul=title)

    def table(
        self,
        df: pd.DataFrame,
        name: str | None = None,
        title: str | None = None,
        *,
        percent_cols: Sequence[str] = (),
        decimals: int | Mapping[str, int] = 2,
        labels: Mapping[str, str] | None = None,
    ) -> None:
        """Save ``df`` for the workbook (when ``name`` is given) and show it.

        The suppression flag column ``disembunyikan`` is kept in the workbook and left
        out of the shown table; columns are labelled with :attr:`labels` updated by
        ``labels``.
        """
        from IPython.display import display  # lazy: only inside a notebook kernel

        if name is not None:
            self.save(df, name, title)
        shown = df.drop(columns=["disembunyikan"], errors="ignore")
        display(
            render_table(
                shown,
                bahasa=self.bahasa,
                desimal=decimals,
                persen_kolom=percent_cols,
                label={**self.labels, **dict(labels or {})},
            )
        )


def setup(
    *,
    periode: str,
    data_dir: str | os.PathLike,
    output_dir: str | os.PathLike,
    cache_dir: str | os.PathLike | None = None,
    bahasa: Bahasa = "id",
    opd: str | None = None,
    min_sel: int = DEFAULTS.min_sel,
    seed: int = DEFAULTS.seed,
    profil: AgencyProfile | str | os.PathLike | None = None,
) -> ReportSession:
    """Start a report notebook: the one call after its ``parameters`` cell.

    Loads the validated data (from the batch's cache when given), checks the period,
    restricts the tables to one OPD if asked and sets the plot style. ``profil`` is the
    agency profile (a YAML file, see :mod:`kinerja_analysis.core.profile`; default the
    bundled Kotalama example): the session's :attr:`ReportSession.profile`.

    Raises
    ------
    DatasetError
        The data folder cannot be used.
    PeriodError
        ``periode`` is not a period of the data (the message lists those that are).
    ValueError
        ``opd`` is not an OPD of the data, or ``bahasa`` is not ``"id"``/``"en"``.
    """
    check_bahasa(bahasa)
    profile = load_profile(profil)
    set_plot_style()
    ds = load_data(data_dir, cache_dir)
    kode = check_period(ds, periode)
    cakupan = (
        text("umum_cakupan_opd", bahasa, opd=opd)
        if opd
        else text("umum_cakupan_kota", bahasa, instansi=profile.government(bahasa))
    )
    return ReportSession(
        ds=ds,
        periode=kode,
        tables=tables_for(ds, opd),
        periode_teks=period_label(kode, bahasa),
        cakupan=cakupan,
        bahasa=bahasa,
        opd=opd,
        min_sel=min_sel,
        seed=seed,
        output_dir=Path(output_dir),
        cache_dir=Path(cache_dir) if cache_dir is not None else None,
        profile=profile,
    )


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
    s = setup(
        periode=periode,
        data_dir=data_dir,
        output_dir=".",
        cache_dir=cache_dir,
        bahasa=bahasa,
        opd=opd,
    )
    return s.ds, s.periode, s.tables, s.periode_teks, s.cakupan
