"""The batch: validate the data once, run every report notebook per period, export.

``kinerja batch`` (:func:`batch_command`) and :func:`run_batch` do, in order:

1. **Validate once.** :func:`~kinerja_analysis.load_dataset` in this process; the
   accepted tables go to ``<cache>/data`` (``Dataset.save_cache``) and every
   notebook reloads them from there instead of validating again. ``<cache>/shared``
   is the hook for heavy cross-period models: pass ``shared_hook(ds, path)`` to fill it
   once per batch; notebooks find it with :func:`kinerja_analysis.reporting.notebook.shared_dir`.
2. **Plan.** One run per period × notebook (× OPD with ``per_opd``). Notebooks are found
   in ``notebooks/`` by name, ``NN_nama.py`` (jupytext py:percent); ``9x`` notebooks are
   cross-period and run once, for the last period, into ``<out>/lintas_periode/``.
   A run whose inputs are unchanged — data checksum, parameters, formats, package version
   and source, notebook source — is skipped (``manifest.json`` in each run folder),
   unless ``force``.
3. **Run** in a process pool (default: one worker per CPU) with papermill's Python API;
   each worker converts the ``.py`` notebook with jupytext in memory, executes it into
   a private staging folder (``.kerja-<run>``), exports HTML/PDF/XLSX
   (:mod:`kinerja_analysis.export`) and moves each file into place with ``os.replace``.
   A rich progress bar counts runs; a failing run does not stop the others.
4. **Index.** ``<out>/index.html`` lists every period's reports with headline numbers and
   a trend chart (inline PNG).

Layout::

    reports/
      index.html
      2025Q4/laporan_periode_2025Q4.{html,pdf,xlsx}, kualitas_data_2025Q4.*, …, manifest.json
      2025Q4/opd/<opd-slug>/laporan_periode_2025Q4_<opd-slug>.*   (per_opd)
      lintas_periode/ringkasan_lintas_periode_2025Q4.*
    data/.kotalama-cache/                   private, beside the data folder (default; --cache)
      data/, shared/<periode>-<key>/, log/  shared results per data window, keyed by data
                                            and parameters (not by the report folder)
      gagal/<periode>/<notebook>.ipynb      executed notebook of a failed run, with its error

Personal data: executed notebooks are *not* kept for successful runs — only the exported
HTML/PDF/XLSX, which hold aggregates. A failed run's executed notebook is kept under
``<cache>/gagal/`` for diagnosis; its tracebacks may show data values, so it lives with
the cache outside ``reports/``, for the data team only. Interrupting (Ctrl-C) cancels pending runs, kills the
workers and their kernels, and leaves every report already written intact.

papermill on the command line needs ``.ipynb``; convert a notebook first::

    python -c "from kinerja_analysis.batch import ke_ipynb; ke_ipynb('notebooks/10_laporan_periode.py', '/tmp/10.ipynb')"
    papermill --help-notebook /tmp/10.ipynb
    papermill /tmp/10.ipynb /tmp/10_out.ipynb -p periode 2025Q1 -p data_dir data/kotalama
"""

from __future__ import annotations

import datetime as _dt
import html as _html
import json
import multiprocessing
import os
import re
import shutil
import signal
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
import typer

from kinerja_analysis.analyses.shared import load_shared, prepare_shared
from kinerja_analysis.core.config import DEFAULTS
from kinerja_analysis.core.errors import DatasetError
from kinerja_analysis.core.io import PACKAGE_ROOT, atomic_write, code_fingerprint, hash_bytes
from kinerja_analysis.core.periods import parse_period, period_label, sort_periods
from kinerja_analysis.data.loading import Dataset, load_dataset
from kinerja_analysis.reporting import export, fmt
from kinerja_analysis.reporting.confidential import write_confidential_sheets
from kinerja_analysis.reporting.export import INSTANSI
from kinerja_analysis.reporting.notebook import (
    default_cache_dir,
    figure_html,
    read_tables,
    workbook_tables,
)
from kinerja_analysis.reporting.text import column_label, headline_label, headline_value

Format = Literal["html", "pdf", "xlsx"]
FORMATS: tuple[str, ...] = ("html", "pdf", "xlsx")
LINTAS = "lintas_periode"
_NB_RE = re.compile(r"^(\d{2})_([a-z0-9_]+)\.py$")
_TMP_RE = re.compile(r"^\..+\.\d+\.tmp$")
_MANIFEST = "manifest.json"


# ----------------------------------------------------------------------------- notebooks


@dataclass(frozen=True)
class NotebookSpec:
    """A report notebook: ``kode`` (``"10"``), ``nama`` (``"laporan_periode"``), title, path.

    ``lintas`` notebooks (code 90–99) summarise all periods and run once per batch.
    """

    kode: str
    nama: str
    judul: str
    path: Path
    judul_en: str | None = None

    @property
    def lintas(self) -> bool:
        return self.kode.startswith("9")


def _default_notebook_dir() -> Path:
    return PACKAGE_ROOT.parent / "notebooks"


def find_notebooks(notebook_dir: str | os.PathLike | None = None) -> dict[str, NotebookSpec]:
    """The report notebooks ``NN_nama.py`` in ``notebook_dir`` (default: ``notebooks/``).

    The title is the notebook's first Markdown heading (``# …``).
    """
    d = Path(notebook_dir) if notebook_dir is not None else _default_notebook_dir()
    if not d.is_dir():
        raise FileNotFoundError(f"folder notebook tidak ditemukan: {d}")
    out = {}
    for p in sorted(d.iterdir()):
        m = _NB_RE.match(p.name)
        if not m:
            continue
        judul = m.group(2).replace("_", " ").capitalize()
        lines = p.read_text("utf-8").splitlines()
        for line in lines:
            if line.startswith("# # "):
                judul = line[4:].strip()
                break
        # an English title may be given in the title cell as "# <!-- judul_en: ... -->"
        en = next(
            (
                x.split(":", 1)[1].replace("-->", "").strip()
                for x in lines
                if x.startswith("# <!-- judul_en:")
            ),
            None,
        )
        out[m.group(1)] = NotebookSpec(m.group(1), m.group(2), judul, p, judul_en=en)
    return out


def to_ipynb(py_path: str | os.PathLike, ipynb_path: str | os.PathLike) -> Path:
    """Convert a jupytext py:percent notebook to ``.ipynb`` (for papermill's CLI)."""
    import jupytext  # lazy: only when running notebooks
    import nbformat  # lazy: only when running notebooks

    nb = jupytext.read(str(py_path))
    out = Path(ipynb_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(out))
    return out


# ----------------------------------------------------------------------------- plan


@dataclass(frozen=True)
class RunSpec:
    """One notebook execution: what to run, with which parameters, where to write."""

    kunci: str  # "2025Q4/10", "2025Q4/opd/dinas-kesehatan/10", "lintas_periode/90"
    notebook: NotebookSpec
    periode: str
    opd: str | None
    folder: Path  # final output folder
    stem: str  # file base name of the outputs
    judul: str
    periode_label: str  # code or a range of codes for the cover
    parameters: dict[str, Any]
    formats: tuple[str, ...]
    gagal_path: Path
    masukan: dict[str, Any]  # what the skip check compares

    @property
    def keluaran(self) -> list[Path]:
        return [self.folder / f"{self.stem}.{f}" for f in self.formats]


@dataclass(frozen=True)
class RunResult:
    """What happened to one run."""

    kunci: str
    periode: str
    notebook: str
    opd: str | None
    status: Literal["ok", "gagal", "dilewati", "dibatalkan"]
    detik: float = 0.0
    keluaran: tuple[str, ...] = ()
    pesan: str = ""
    angka_utama: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class BatchSummary:
    """All runs of a batch. ``ok`` is True when none failed or was cancelled."""

    runs: tuple[RunResult, ...]
    out_dir: Path
    index: Path | None
    detik: float
    cache_dir: Path | None = None

    @property
    def gagal_dir(self) -> Path | None:
        """Where failed runs' executed notebooks are kept (outside the report folder)."""
        return None if self.cache_dir is None else self.cache_dir / "gagal"

    @property
    def n_gagal(self) -> int:
        return sum(r.status in ("gagal", "dibatalkan") for r in self.runs)

    @property
    def ok(self) -> bool:
        return self.n_gagal == 0

    @property
    def exit_code(self) -> int:
        """0 = every run ok or skipped, 1 = some run failed."""
        return 0 if self.ok else 1

    def tidy(self) -> pd.DataFrame:
        """One row per run.

        Returns
        -------
        DataFrame
            ``kunci, periode, notebook, opd, status, detik, keluaran, pesan`` where
            ``keluaran`` is the output file names joined by ``"; "``.
        """
        rows = [
            {
                "kunci": r.kunci,
                "periode": r.periode,
                "notebook": r.notebook,
                "opd": r.opd,
                "status": r.status,
                "detik": r.detik,
                "keluaran": "; ".join(r.keluaran),
                "pesan": r.pesan,
            }
            for r in self.runs
        ]
        cols = ["kunci", "periode", "notebook", "opd", "status", "detik", "keluaran", "pesan"]
        return pd.DataFrame(rows, columns=cols)

    def rich_table(self):
        """A ``rich.table.Table`` of the runs, for the console."""
        from rich.table import Table  # lazy: only for console output

        warna = {"ok": "green", "dilewati": "cyan", "gagal": "bold red", "dibatalkan": "yellow"}
        t = Table(title=f"Ringkasan batch ({fmt.number(self.detik, 1)} detik)")
        for c, j in (("run", "left"), ("status", "left"), ("detik", "right"), ("keluaran", "left")):
            t.add_column(c, justify=j)
        for r in self.runs:
            info = r.pesan if r.status in ("gagal", "dibatalkan") else ", ".join(r.keluaran)
            t.add_row(
                r.kunci,
                f"[{warna[r.status]}]{r.status}[/]",
                fmt.number(r.detik, 1),
                _html.unescape(info)[:160],
            )
        return t


def plan_runs(
    notebooks: dict[str, NotebookSpec],
    periods: Sequence[str],
    out_dir: Path,
    *,
    data_dir: Path,
    cache_dir: Path,
    checksum: str,
    periode_data: Sequence[str] = (),
    opds: Sequence[str] = (),
    per_opd_notebooks: Sequence[str] = ("10",),
    bahasa: str = "id",
    min_sel: int = DEFAULTS.min_sel,
    seed: int = DEFAULTS.seed,
    formats: Sequence[str] = FORMATS,
) -> list[RunSpec]:
    """The runs of a batch (pure: nothing is executed or written).

    Period notebooks run for every period in ``periods`` (and for every OPD in ``opds``
    when listed in ``per_opd_notebooks``); cross-period notebooks (``9x``) run once
    with ``periode`` = the last period, over the data's periods up to it
    (``periode_data``).
    """
    from kinerja_analysis import __version__  # lazy: reads the installed version at call time

    kode = code_fingerprint()
    runs: list[RunSpec] = []
    periods = sort_periods(periods)

    def add(
        nb: NotebookSpec,
        periode: str,
        opd: str | None,
        folder: Path,
        kunci: str,
        stem: str,
        label: str,
    ) -> None:
        work = folder / f".kerja-{nb.kode}"
        params = {
            "periode": periode,
            "data_dir": str(data_dir),
            "output_dir": str(work),
            "cache_dir": str(cache_dir),
            "bahasa": bahasa,
            "opd": opd,
            "min_sel": min_sel,
            "seed": seed,
        }
        gagal_dir = cache_dir.parent / "gagal" / (LINTAS if nb.lintas else periode)
        gagal_name = f"{nb.kode}_{nb.nama}" + (f"__{fmt.slug(opd)}" if opd else "")
        masukan = {
            "data": checksum,
            "parameter": {k: v for k, v in params.items() if k not in ("output_dir",)},
            "format": sorted(formats),
            "versi": __version__,
            "kode_paket": kode,
            "notebook": hash_bytes(nb.path.read_bytes()),
        }
        if nb.lintas:
            masukan["periode_semua"] = list(periods)
        runs.append(
            RunSpec(
                kunci=kunci,
                notebook=nb,
                periode=periode,
                opd=opd,
                folder=folder,
                stem=stem,
                judul=(nb.judul_en or nb.judul if bahasa == "en" else nb.judul)
                + (f" — {opd}" if opd else ""),
                periode_label=label,
                parameters=params,
                formats=tuple(formats),
                gagal_path=gagal_dir / f"{gagal_name}.ipynb",
                masukan=masukan,
            )
        )

    for periode in periods:
        for nb in notebooks.values():
            if nb.lintas:
                continue
            folder = out_dir / periode
            add(nb, periode, None, folder, f"{periode}/{nb.kode}", f"{nb.nama}_{periode}", periode)
            if nb.kode in per_opd_notebooks:
                for opd in opds:
                    s = fmt.slug(opd)
                    add(
                        nb,
                        periode,
                        opd,
                        folder / "opd" / s,
                        f"{periode}/opd/{s}/{nb.kode}",
                        f"{nb.nama}_{periode}_{s}",
                        periode,
                    )
    if periods:
        last = periods[-1]
        first = sort_periods([*periode_data, last])[0]
        label = (
            f"{period_label(first, bahasa)} – {period_label(last, bahasa)}"
            if first != last
            else last
        )
        for nb in notebooks.values():
            if nb.lintas:
                add(
                    nb,
                    last,
                    None,
                    out_dir / LINTAS,
                    f"{LINTAS}/{nb.kode}",
                    f"{nb.nama}_{last}",
                    label,
                )
    return runs


# ----------------------------------------------------------------------------- manifest


def _read_manifest(folder: Path) -> dict[str, Any]:
    p = folder / _MANIFEST
    if not p.exists():
        return {"runs": {}}
    try:
        return json.loads(p.read_text("utf-8"))
    except (OSError, json.JSONDecodeError):
        return {"runs": {}}


def _write_manifest(folder: Path, data: dict[str, Any]) -> None:

    atomic_write(folder / _MANIFEST, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True))


def _unchanged(spec: RunSpec) -> dict[str, Any] | None:
    """The manifest entry when the run's inputs are unchanged and its outputs exist."""
    entry = _read_manifest(spec.folder)["runs"].get(spec.notebook.kode)
    if not entry or entry.get("masukan") != json.loads(json.dumps(spec.masukan)):
        return None
    if not all(p.exists() for p in spec.keluaran):
        return None
    return entry


def _remove_leftovers(folder: Path) -> None:
    """Remove staging folders and temp files a killed run left in ``folder``."""
    if not folder.is_dir():
        return
    for p in folder.iterdir():
        if p.is_dir() and p.name.startswith(".kerja-"):
            shutil.rmtree(p, ignore_errors=True)
        elif p.is_file() and _TMP_RE.match(p.name):
            p.unlink(missing_ok=True)


# ----------------------------------------------------------------------------- worker


def _init_worker(log_dir: str) -> None:
    """Worker setup: ignore Ctrl-C (the parent decides), send stderr noise to a log."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    Path(log_dir).mkdir(parents=True, exist_ok=True)
    fd = os.open(
        Path(log_dir) / f"worker-{os.getpid()}.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND
    )
    os.dup2(fd, 2)
    os.close(fd)


def _error_message(exc: BaseException) -> str:
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    return f"{ename}: {evalue}".strip()[:500]


def _run_one(spec: RunSpec) -> RunResult:
    """Execute one run and export it (in a worker process)."""
    import jupytext  # lazy: only when running notebooks
    import papermill as pm  # lazy: only in batch workers

    t0 = time.perf_counter()
    work = Path(spec.parameters["output_dir"])
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    executed = work / "notebook.ipynb"
    base = {
        "kunci": spec.kunci,
        "periode": spec.periode,
        "notebook": spec.notebook.kode,
        "opd": spec.opd,
    }
    try:
        nb_in = jupytext.read(str(spec.notebook.path))
        try:
            nb = pm.execute_notebook(
                nb_in,
                str(executed),
                parameters=spec.parameters,
                kernel_name="python3",
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,
                cwd=str(spec.notebook.path.parent),
                shutdown_kernel="immediate",
            )
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none stops the batch
            if executed.exists():
                export.atomic_write(spec.gagal_path, executed.read_bytes())
            return RunResult(
                **base, status="gagal", detik=time.perf_counter() - t0, pesan=_error_message(exc)
            )
        html = export.to_html(
            nb, title=spec.judul, periode=spec.periode_label, bahasa=spec.parameters["bahasa"]
        )
        written = []
        if "html" in spec.formats:
            written.append(export.atomic_write(spec.folder / f"{spec.stem}.html", html))
        if "pdf" in spec.formats:
            written.append(export.to_pdf(html, spec.folder / f"{spec.stem}.pdf"))
        tables = read_tables(work)
        if "xlsx" in spec.formats:
            b = spec.parameters["bahasa"]
            info = {
                column_label(k, b): v
                for k, v in (
                    ("judul", spec.judul),
                    ("periode", spec.periode_label),
                    ("dibuat", fmt.date(_dt.date.today(), b)),
                    ("checksum_data", spec.masukan["data"]),
                    ("versi_kinerja", spec.masukan["versi"]),
                )
            }
            written.append(
                export.to_xlsx(workbook_tables(work), spec.folder / f"{spec.stem}.xlsx", info=info)
            )
        angka = {}
        if "angka_utama" in tables:
            a = tables["angka_utama"]
            angka = {str(k): float(v) for k, v in zip(a["indikator"], a["nilai"], strict=True)}
        return RunResult(
            **base,
            status="ok",
            detik=time.perf_counter() - t0,
            keluaran=tuple(p.name for p in written),
            angka_utama=angka,
        )
    except Exception as exc:  # noqa: BLE001 - export failures are run failures too
        return RunResult(
            **base,
            status="gagal",
            detik=time.perf_counter() - t0,
            pesan="ekspor: " + _error_message(exc),
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ----------------------------------------------------------------------------- index


def _trend_chart(rows: pd.DataFrame, bahasa: str) -> str:
    """Trend of headline numbers across periods (:func:`plots.plot_headline_trends`: the
    document's number format, honest axes, a phone version) as an inline picture, or ""."""
    from kinerja_analysis.reporting import plots  # lazy: matplotlib only for the index figure

    if len(rows) < 1 or not any(
        c in rows.columns and rows[c].notna().any() for c in plots.HEADLINE_SCALES
    ):
        return ""
    alt = "Tren angka utama antarperiode" if bahasa == "id" else "Headline trends across periods"
    judul = "Angka utama per periode" if bahasa == "id" else "Headline figures by period"
    return figure_html(plots.plot_headline_trends, rows, judul=judul, alt=alt, bahasa=bahasa)


def _write_index(out_dir: Path, bahasa: str) -> Path:
    """Write ``index.html``: every period's reports, headline numbers, trend chart."""

    periodes = []
    for p in out_dir.iterdir():
        try:
            if p.is_dir() and parse_period(p.name).code == p.name:
                periodes.append(p.name)
        except ValueError:
            continue
    periodes = sort_periods(periodes)
    utama_rows, blok = [], []
    for periode in periodes:
        runs = _read_manifest(out_dir / periode)["runs"]
        angka = next((r.get("angka_utama") for r in runs.values() if r.get("angka_utama")), {})
        utama_rows.append({"periode": periode, **angka})
        links = []
        for kode in sorted(runs):
            r = runs[kode]
            files = " · ".join(
                f'<a href="{periode}/{_html.escape(f)}">{f.rsplit(".", 1)[-1].upper()}</a>'
                for f in r.get("keluaran", [])
            )
            links.append(f"<li>{_html.escape(r.get('judul', kode))}: {files}</li>")
        opd_dir = out_dir / periode / "opd"
        for d in sorted(opd_dir.iterdir()) if opd_dir.is_dir() else []:
            for kode, r in sorted(_read_manifest(d)["runs"].items()):
                files = " · ".join(
                    f'<a href="{periode}/opd/{d.name}/{_html.escape(f)}">'
                    f"{f.rsplit('.', 1)[-1].upper()}</a>"
                    for f in r.get("keluaran", [])
                )
                links.append(f"<li>{_html.escape(r.get('judul', kode))}: {files}</li>")
        kepala = " · ".join(
            f"{headline_label(k, bahasa)}: <b>{headline_value(k, v, bahasa)}</b>"
            for k, v in angka.items()
            if k in ("n_asn", "capaian_rerata", "ikm_rerata", "pct_jp_di_bawah_20")
        )
        blok.append(
            f"<section><h3>{period_label(periode, bahasa)}</h3>"
            f"<p class='kepala'>{kepala}</p><ul>{''.join(links)}</ul></section>"
        )
    lintas = _read_manifest(out_dir / LINTAS)["runs"]
    lintas_html = "".join(
        f"<li>{_html.escape(r.get('judul', k))}: "
        + " · ".join(
            f'<a href="{LINTAS}/{_html.escape(f)}">{f.rsplit(".", 1)[-1].upper()}</a>'
            for f in r.get("keluaran", [])
        )
        + "</li>"
        for k, r in sorted(lintas.items())
    )
    tren = _trend_chart(pd.DataFrame(utama_rows), bahasa) if utama_rows else ""

    judul = (
        "Laporan evaluasi kinerja ASN" if bahasa == "id" else "ASN performance evaluation reports"
    )
    page = f"""<!DOCTYPE html>
<html lang="{bahasa}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{judul}</title>
<style>
body{{font-family:"DejaVu Sans","Noto Sans",Arial,sans-serif;max-width:60rem;margin:0 auto;
padding:1rem 1.25rem;color:#1d2733;line-height:1.5}}
h1{{color:#1f5f8b;font-size:1.6rem}} h3{{color:#1f5f8b;margin-bottom:.2rem}}
img{{max-width:100%;height:auto}} .kepala{{margin:.2rem 0;font-size:.95rem}}
section{{border-bottom:1px solid #d5dbe3;padding-bottom:.5rem}} a{{color:#1f5f8b}}
</style></head><body>
<p>{INSTANSI[bahasa]}</p><h1>{judul}</h1>
<p>{"Diperbarui" if bahasa == "id" else "Updated"} {fmt.date(_dt.date.today(), bahasa)}</p>
{tren}
{"<h2>" + ("Ringkasan lintas periode" if bahasa == "id" else "Cross-period summary") + "</h2><ul>" + lintas_html + "</ul>" if lintas_html else ""}
<h2>{"Laporan per periode" if bahasa == "id" else "Reports by period"}</h2>
{"".join(reversed(blok))}
</body></html>
"""
    return atomic_write(out_dir / "index.html", page)


# ----------------------------------------------------------------------------- batch


def _prepare_cache(ds, cache_root: Path) -> Path:
    """Write the validated tables once to ``<cache_root>/data`` (reused if unchanged)."""
    data = cache_root / "data"
    meta = data / "meta.json"
    if meta.exists():
        try:
            if json.loads(meta.read_text("utf-8")).get("checksum") == ds.checksum:
                return data
        except (OSError, json.JSONDecodeError):
            pass
    tmp = cache_root / f".data.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    ds.save_cache(tmp)
    old = cache_root / f".data.{os.getpid()}.old"
    if data.exists():
        os.replace(data, old)
    os.replace(tmp, data)
    shutil.rmtree(old, ignore_errors=True)
    return data


def _kill_workers(executor: ProcessPoolExecutor) -> None:
    """Kill the pool's worker processes and everything they started (kernels)."""
    import psutil  # lazy: only to stop workers

    procs = []
    for p in list(getattr(executor, "_processes", {}).values()):
        try:
            proc = psutil.Process(p.pid)
            procs += [*proc.children(recursive=True), proc]
        except psutil.NoSuchProcess:
            continue
    for proc in procs:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(procs, timeout=5)


def run_batch(
    data_dir: str | os.PathLike,
    out_dir: str | os.PathLike,
    *,
    periods: Iterable[str] | None = None,
    per_opd: bool = False,
    workers: int | None = None,
    force: bool = False,
    bahasa: fmt.Bahasa = "id",
    min_sel: int = DEFAULTS.min_sel,
    notebooks: Sequence[str] | None = None,
    seed: int = DEFAULTS.seed,
    formats: Sequence[str] = FORMATS,
    mapping: str | os.PathLike | None = None,
    pseudonim: bool = False,
    notebook_dir: str | os.PathLike | None = None,
    per_opd_notebooks: Sequence[str] = ("10",),
    shared_hook: Callable[[Any, Path], None] | None = None,
    progress: bool = True,
    console=None,
    cache_dir: str | os.PathLike | None = None,
) -> BatchSummary:
    """Validate the data once, then write every period's reports. See the module docstring.

    Parameters
    ----------
    data_dir, out_dir
        Dataset folder and report folder (``reports/``).
    periods
        Period codes to report; default every period of the data. A code that is not in
        the data raises ``ValueError`` before anything runs.
    per_opd
        Also write the ``per_opd_notebooks`` reports for every OPD.
    workers
        Processes in the pool; default ``os.cpu_count()``.
    force
        Rerun even when inputs are unchanged.
    notebooks
        Notebook codes (``"00"``, ``"10"``, …); default every notebook found.
    formats
        Any of ``"html"``, ``"pdf"``, ``"xlsx"``.
    shared_hook
        ``hook(dataset, shared_dir)`` called once before the runs, to fit heavy
        cross-period models into ``<cache>/shared``; default
        :func:`kinerja_analysis.analyses.shared.prepare_shared` (scores, panel, effects, survey;
        reused while data, parameters and code are unchanged).
    cache_dir
        The batch's private working folder: validated tables, shared models, logs and
        failed runs' notebooks — employee-level data, so it is kept *outside* the report
        folder. Default: :func:`default_cache_dir` (``.<data name>-cache`` beside the
        data folder).
    progress, console
        Show a rich progress bar (on ``console``, default stderr).

    Returns
    -------
    BatchSummary
        ``.tidy()`` has one row per run; ``.exit_code`` is 0 when nothing failed.

    Raises
    ------
    KeyboardInterrupt
        After cancelling pending runs and killing the workers; reports written before
        stay intact.
    """

    if bahasa not in ("id", "en"):
        raise ValueError(f"bahasa harus 'id' atau 'en', bukan {bahasa!r}")
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ValueError(f"format tidak dikenal: {bad}; pilih dari {FORMATS}")
    if min_sel < 1:
        raise ValueError(f"min_sel harus >= 1, bukan {min_sel}")
    t0 = time.perf_counter()
    out = Path(out_dir).resolve()
    data = Path(data_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)

    ds = load_dataset(data, mapping=mapping, pseudonim=pseudonim)
    if periods is None:
        chosen = list(ds.periods)
    else:
        chosen = sort_periods(periods)
        missing = [p for p in chosen if p not in ds.periods]
        if missing:
            raise ValueError(
                f"periode tidak ada dalam data: {', '.join(missing)} "
                f"(tersedia: {', '.join(ds.periods)})"
            )
    found = find_notebooks(notebook_dir)
    if notebooks is not None:
        unknown = [k for k in notebooks if k not in found]
        if unknown:
            raise ValueError(f"notebook tidak ditemukan: {unknown}; tersedia: {sorted(found)}")
        found = {k: v for k, v in found.items() if k in notebooks}
    cache_root = (
        Path(cache_dir).resolve() if cache_dir is not None else default_cache_dir(data, out)
    )
    if cache_root == out or out in cache_root.parents:
        raise ValueError(
            "cache_dir tidak boleh berada di dalam folder laporan (berisi data pegawai)"
        )
    cache_root.mkdir(parents=True, exist_ok=True)
    cache_dir = _prepare_cache(ds, cache_root)
    shared = cache_root / "shared"
    shared.mkdir(parents=True, exist_ok=True)
    if shared_hook is None:
        prepare_shared(ds, shared, periods=chosen, seed=seed)
    else:
        shared_hook(ds, shared)
    opds = sorted(ds.pegawai["opd"].unique()) if per_opd else []
    plan = plan_runs(
        found,
        chosen,
        out,
        data_dir=data,
        cache_dir=cache_dir,
        checksum=ds.checksum,
        periode_data=ds.periods,
        opds=opds,
        per_opd_notebooks=per_opd_notebooks,
        bahasa=bahasa,
        min_sel=min_sel,
        seed=seed,
        formats=formats,
    )

    results: dict[str, RunResult] = {}
    todo: list[RunSpec] = []
    for spec in plan:
        _remove_leftovers(spec.folder)
        entry = None if force else _unchanged(spec)
        if entry is not None:
            results[spec.kunci] = RunResult(
                spec.kunci,
                spec.periode,
                spec.notebook.kode,
                spec.opd,
                "dilewati",
                keluaran=tuple(entry.get("keluaran", ())),
                pesan="masukan tidak berubah",
                angka_utama=entry.get("angka_utama", {}),
            )
        else:
            todo.append(spec)
    if todo:
        _execute(
            todo,
            results,
            workers=workers,
            log_dir=cache_root / "log",
            progress=progress,
            console=console,
        )
    index = _write_index(out, bahasa)
    ordered = tuple(results[s.kunci] for s in plan)
    return BatchSummary(ordered, out, index, time.perf_counter() - t0, cache_root)


def _log_run(spec: RunSpec, res: RunResult) -> None:
    """Record a finished run in its folder's manifest (drop the entry if it failed)."""
    m = _read_manifest(spec.folder)
    m.setdefault("runs", {})
    if res.status == "ok":
        m["runs"][spec.notebook.kode] = {
            "judul": spec.judul,
            "masukan": spec.masukan,
            "keluaran": list(res.keluaran),
            "detik": round(res.detik, 2),
            "selesai": _dt.datetime.now().isoformat(timespec="seconds"),
            "angka_utama": res.angka_utama,
        }
    else:
        m["runs"].pop(spec.notebook.kode, None)
    spec.folder.mkdir(parents=True, exist_ok=True)
    _write_manifest(spec.folder, m)


def _execute(
    todo: list[RunSpec],
    results: dict[str, RunResult],
    *,
    workers: int | None,
    log_dir: Path,
    progress: bool,
    console,
) -> None:
    from rich.console import Console  # lazy: only for console output
    from rich.progress import (  # lazy: only for console output
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    n_workers = max(1, min(workers or os.cpu_count() or 1, len(todo)))
    console = console or Console(stderr=True)
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not progress,
        transient=False,
    )
    ctx = multiprocessing.get_context("spawn")
    executor = ProcessPoolExecutor(
        n_workers, mp_context=ctx, initializer=_init_worker, initargs=(str(log_dir),)
    )
    futures: dict[Future, RunSpec] = {}
    try:
        with bar:
            task = bar.add_task("laporan", total=len(todo))
            futures = {executor.submit(_run_one, s): s for s in todo}
            pending = set(futures)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for f in done:
                    spec = futures[f]
                    try:
                        res = f.result()
                    except Exception as exc:  # noqa: BLE001 - a crashed worker is a failed run
                        res = RunResult(
                            spec.kunci,
                            spec.periode,
                            spec.notebook.kode,
                            spec.opd,
                            "gagal",
                            pesan=_error_message(exc),
                        )
                    results[spec.kunci] = res
                    _log_run(spec, res)
                    bar.update(task, advance=1, description=f"{spec.kunci} {res.status}")
        executor.shutdown(wait=True)
    except BaseException:
        for f in futures:
            f.cancel()
        _kill_workers(executor)
        executor.shutdown(wait=False, cancel_futures=True)
        for spec in futures.values():
            _remove_leftovers(spec.folder)
        raise


# ----------------------------------------------------------------------------- CLI


def batch_command(
    data: Annotated[Path, typer.Option("--data", "-d", help="Folder dataset.")] = Path(
        "data/kotalama"
    ),
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder laporan.")] = Path("reports"),
    periode: Annotated[
        list[str] | None,
        typer.Option(
            "--periode", "-p", help="Periode (boleh diulang); default semua periode data."
        ),
    ] = None,
    per_opd: Annotated[bool, typer.Option("--per-opd", help="Tulis juga laporan per OPD.")] = False,
    workers: Annotated[
        int | None, typer.Option("--workers", "-w", help="Jumlah proses; default jumlah CPU.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Jalankan ulang walau masukan tidak berubah.")
    ] = False,
    bahasa: Annotated[str, typer.Option("--bahasa", help="id atau en.")] = "id",
    min_sel: Annotated[
        int, typer.Option("--min-sel", help="Ukuran kelompok terkecil yang ditampilkan.")
    ] = DEFAULTS.min_sel,
    notebook: Annotated[
        list[str] | None,
        typer.Option("--notebook", "-n", help="Kode notebook (00, 10, …); default semua."),
    ] = None,
    rahasia: Annotated[
        bool,
        typer.Option(
            "--rahasia",
            help="Tulis juga lembar umpan balik individual (ber-NIP, RAHASIA) ke folder "
            "terpisah di samping folder laporan.",
        ),
    ] = False,
    cache: Annotated[
        Path | None,
        typer.Option(
            "--cache",
            help="Folder kerja pribadi (data pegawai tervalidasi, model bersama, log); "
            "default .<nama data>-cache di samping folder data.",
        ),
    ] = None,
) -> None:
    """Validasi data sekali, lalu tulis laporan setiap periode (HTML, PDF, XLSX).

    Exit 0: semua laporan selesai (atau tidak berubah); 1: ada laporan yang gagal
    (notebook-nya di folder cache, gagal/); 2: data tidak dapat dipakai; 130: dibatalkan.
    """
    from rich.console import Console  # lazy: only for console output

    console = Console(stderr=True)
    try:
        summary = run_batch(
            data,
            out,
            periods=periode or None,
            per_opd=per_opd,
            workers=workers,
            force=force,
            bahasa=bahasa,
            min_sel=min_sel,
            notebooks=notebook or None,
            console=console,
            cache_dir=cache,
        )
    except DatasetError as e:
        console.print(f"[bold red]Data tidak dapat dipakai:[/] {e}")
        raise typer.Exit(2) from e
    except ValueError as e:
        console.print(f"[bold red]Kesalahan:[/] {e}")
        raise typer.Exit(2) from e
    except KeyboardInterrupt:
        console.print("[yellow]Dibatalkan. Laporan yang sudah selesai tetap utuh.[/]")
        raise typer.Exit(130) from None
    console.print(summary.rich_table())
    if rahasia:
        ds = Dataset.load_cache(summary.cache_dir / "data")
        h = load_shared(summary.cache_dir / "shared")
        folder = summary.out_dir.parent / f"RAHASIA-{summary.out_dir.name}"
        chosen = periode or list(ds.periods)
        paths = write_confidential_sheets(ds, h, chosen, folder)
        console.print(
            f"[bold red]RAHASIA[/]: {len(paths)} lembar umpan balik individual di {folder} "
            "(ber-NIP; jangan disebarkan)."
        )
    n_ok = sum(r.status == "ok" for r in summary.runs)
    n_skip = sum(r.status == "dilewati" for r in summary.runs)
    console.print(
        f"{n_ok} selesai, {n_skip} dilewati (tidak berubah), {summary.n_gagal} gagal. "
        f"Indeks: {summary.index}"
    )
    if summary.n_gagal:
        console.print(f"Notebook yang gagal disimpan di {summary.gagal_dir}")
    raise typer.Exit(summary.exit_code)


if __name__ == "__main__":  # python -m kinerja_analysis.batch --data … --out …
    typer.run(batch_command)
