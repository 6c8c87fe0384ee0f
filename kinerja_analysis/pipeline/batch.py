"""The batch: validate the data once, run every report notebook per period, export.

``kinerja batch`` (:func:`batch_command`) and :func:`run_batch` do, in order:

1. **Check the parameters** (about a second, before any heavy work): the agency profile
   (``--config``), the column mapping, the notebooks, the period codes — against the
   profile's period kind and a quick read of the ``skp`` periods
   (:mod:`kinerja_analysis.pipeline.preflight`).
2. **Lock** the report folder (and the cache): a second batch on the same ``--out``
   stops at once with a clear message (:mod:`kinerja_analysis.pipeline.procs`).
3. **Validate once.** :func:`~kinerja_analysis.data.loading.load_dataset` in this
   process; the accepted tables go to ``<cache>/data`` and every notebook reloads them
   from there. Then the heavy cross-period models go once into ``<cache>/shared``.
4. **Plan.** One run per period × notebook (× OPD with ``per_opd``: an OPD with fewer
   than ``min_sel`` ASN in a period has no run for it and an earlier document of it for
   that period is withdrawn, :func:`~kinerja_analysis.reporting.tables.small_opds`);
   ``9x`` notebooks are cross-period and run once, for the last period, into
   ``<out>/lintas_periode/``.
   A run whose inputs (data checksum, parameters, agency profile, formats, package
   version and code, notebook source) are unchanged and whose published files are
   intact (SHA-256 in ``manifest.json``) is skipped unless ``force``.
5. **Run** in a process pool with papermill's Python API. Each run executes in its
   own staging folder under the cache (``<cache>/kerja/<batch>/<n>``, unique per batch
   and run); the notebook is saved after every cell. Its HTML, PDF and XLSX are rendered
   in memory and published **together**: all three are written to temporary files in
   the report folder and only then renamed into place — or, if any step fails, none is.
6. **Index.** ``<out>/index.html`` lists every report with headline numbers and a trend
   chart; a report whose last run failed is listed as failed on that date, with its
   reason in general words (:data:`FAILURE_KINDS`), beside the earlier good report
   when there is one.

Layout::

    reports/
      index.html
      2025Q4/laporan_periode_2025Q4.{html,pdf,xlsx}, kualitas_data_2025Q4.*, …, manifest.json
      2025Q4/opd/<opd-folder>/laporan_periode_2025Q4_<opd-folder>.*   (per_opd)
      lintas_periode/ringkasan_lintas_periode_2025Q4.*
    data/.kotalama-cache/                   private, beside the data folder (default; --cache)
      data/, log/, kerja/ (staging)
      shared/<periode>-<key>/               shared results per data window, keyed by data and
                                            parameters (not by the report folder)
      gagal/<periode>/<notebook>.ipynb      executed notebook of a failed run (as far as it ran)

OPD folders come from :func:`kinerja_analysis.reporting.paths.folder_names`: distinct
for every OPD (colliding spellings get a hash suffix), never outside ``--out``; the
manifest keeps the OPD's name as written in the data. Manifests hold no local paths.

Personal data: executed notebooks are *not* kept for successful runs — only the exported
HTML/PDF/XLSX, which hold aggregates. A failed run's executed notebook is kept under
``<cache>/gagal/`` for diagnosis; its tracebacks may show data values, so it lives with
the cache outside ``reports/``, for the data team only.

Processes: pool workers and their Jupyter kernels end when the batch process ends, also
on ``kill -9`` (:func:`kinerja_analysis.pipeline.procs.die_with_parent`); they run in
their own process group, so Ctrl-C reaches only the batch, which stops them, keeps every
report already published and prints one line.

papermill on the command line needs ``.ipynb``; convert a notebook first::

    python -c "from kinerja_analysis.pipeline.batch import to_ipynb; to_ipynb('notebooks/10_laporan_periode.py', '/tmp/10.ipynb')"
    papermill --help-notebook /tmp/10.ipynb
    papermill /tmp/10.ipynb /tmp/10_out.ipynb -p periode 2025Q1 -p data_dir data/kotalama
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import functools
import hashlib
import json
import multiprocessing
import multiprocessing.util
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import uuid
import warnings
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
import typer

from kinerja_analysis.analyses.shared import (
    data_through,
    load_or_compute_shared,
    prepare_shared,
)
from kinerja_analysis.core.config import DEFAULTS
from kinerja_analysis.core.deprecation import renamed_columns, renamed_keywords
from kinerja_analysis.core.errors import DatasetError, ParameterError, PeriodError
from kinerja_analysis.core.io import (
    PACKAGE_ROOT,
    atomic_write,
    code_fingerprint,
    hash_bytes,
    json_text,
    new_file_mode,
    within,
)
from kinerja_analysis.core.parallel import available_cpus, fork_call
from kinerja_analysis.core.periods import parse_period, period_label, sort_periods
from kinerja_analysis.core.personal import Register
from kinerja_analysis.core.profile import (
    BUNDLED_PROFILE,
    PERIOD_KINDS,
    AgencyProfile,
    ProfileError,
    load_profile,
)
from kinerja_analysis.data.loading import CACHE_VERSION, Dataset, check_data_folder, load_dataset
from kinerja_analysis.pipeline.console import (
    TEXT,
    BatchConsole,
    Redactor,
    duration,
    path_problem,
    plain,
    plain_lines,
)
from kinerja_analysis.pipeline.options import MappingOption, PseudonimOption
from kinerja_analysis.pipeline.preflight import (
    MESSAGES,
    check_periods,
    check_profile_kind,
    period_codes,
    period_problems,
    raw_periods,
    scan_period_values,
)
from kinerja_analysis.pipeline.procs import FolderBusy, FolderLock, die_with_parent
from kinerja_analysis.reporting import export, fmt
from kinerja_analysis.reporting import text as report_text
from kinerja_analysis.reporting.confidential import write_confidential_sheets
from kinerja_analysis.reporting.markup import CONTENT_SECURITY_POLICY
from kinerja_analysis.reporting.notebook import (
    FIGURE_PROCESSES_ENV,
    default_cache_dir,
    figure_png,
    figure_processes,
    read_tables,
    workbook_labels,
    workbook_tables,
)
from kinerja_analysis.reporting.paths import folder_names
from kinerja_analysis.reporting.privacy import (
    PersonalDataFound,
    check_document,
    document_hits,
    personal_register,
    register_texts,
)
from kinerja_analysis.reporting.tables import small_opds
from kinerja_analysis.reporting.text import headline_label, headline_value

Format = Literal["html", "pdf", "xlsx"]
FORMATS: tuple[str, ...] = ("html", "pdf", "xlsx")
LINTAS = "lintas_periode"
_NB_RE = re.compile(r"^(\d{2})_([a-z0-9_]+)\.py$")
_TMP_RE = re.compile(r"^\..+\.tmp$")
_MANIFEST = "manifest.json"
#: Exit code of ``kinerja batch`` when another batch holds the report folder.
EXIT_BUSY = 3
#: Structural warnings of the data the batch's console shows (then how many more).
STRUCTURE_SHOWN = 8


# ----------------------------------------------------------------------------- notebooks


@renamed_keywords(nama="name", judul="title", judul_en="title_en")
@dataclass(frozen=True)
class NotebookSpec:
    """A report notebook: ``kode`` (``"10"``), ``name`` (``"laporan_periode"``), ``title``,
    ``path`` and the English title ``title_en`` (None: not given).

    ``lintas`` notebooks (code 90–99) summarise all periods and run once per batch. The
    old field names ``nama``, ``judul`` and ``judul_en`` still work for one release
    (constructor keywords and attribute reads, with a ``DeprecationWarning``).
    """

    kode: str
    name: str
    title: str
    path: Path
    title_en: str | None = None

    @property
    def lintas(self) -> bool:
        return self.kode.startswith("9")


def _notebook_dirs() -> tuple[Path, Path]:
    """Where the report notebooks are looked for: installed with the package (a wheel
    puts ``notebooks/`` at ``kinerja_analysis/notebooks``), then a repository checkout's
    ``notebooks/`` (an editable install: researchers edit them there)."""
    return PACKAGE_ROOT / "notebooks", PACKAGE_ROOT.parent / "notebooks"


def _default_notebook_dir() -> Path:
    dirs = _notebook_dirs()
    return next((d for d in dirs if d.is_dir()), dirs[0])


def find_notebooks(
    notebook_dir: str | os.PathLike | None = None, *, bahasa: fmt.Bahasa = "id"
) -> dict[str, NotebookSpec]:
    """The report notebooks ``NN_nama.py`` in ``notebook_dir`` (default: the package's
    own — installed with it, or the checkout's ``notebooks/``).

    The title is the notebook's first Markdown heading (``# …``).

    Raises
    ------
    FileNotFoundError
        No such folder; the message, in ``bahasa``, names every folder tried.
    """
    tried = [Path(notebook_dir)] if notebook_dir is not None else list(_notebook_dirs())
    d = next((p for p in tried if p.is_dir()), None)
    if d is None:
        paths = " ; ".join(str(p.resolve()) for p in tried)
        raise FileNotFoundError(MESSAGES("folder_notebook", bahasa, path=paths))
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
        out[m.group(1)] = NotebookSpec(m.group(1), m.group(2), judul, p, title_en=en)
    return out


def read_notebook(py_path: str | os.PathLike) -> Any:
    """A jupytext py:percent notebook as a notebook node, its cells numbered by position
    (``cell-000``, …): nbformat would give them random ids, which reach the HTML, so
    the same notebook on the same data would not give the same document."""
    import jupytext  # lazy: only when running notebooks

    nb = jupytext.read(str(py_path))
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:03d}"
    return nb


def to_ipynb(py_path: str | os.PathLike, ipynb_path: str | os.PathLike) -> Path:
    """Convert a jupytext py:percent notebook to ``.ipynb`` (for papermill's CLI), its
    cells numbered by position (:func:`read_notebook`)."""
    import nbformat  # lazy: only when running notebooks

    nb = read_notebook(py_path)
    out = Path(ipynb_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(out))
    return out


# ----------------------------------------------------------------------------- settings


def _whole(value: object) -> bool:
    """A whole number (an ``int``, not a ``bool`` nor a text of digits)."""
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class BatchSettings:
    """The settings of one batch, built once and passed down whole.

    The command line builds one from its options; :func:`run_batch` takes one (or the
    same names as keywords), checks it, fills in what the agency profile decides
    (:meth:`resolve`) and hands it to :func:`plan_runs`, which puts ``bahasa``,
    ``min_sel``, ``seed`` and the profile into every notebook's parameters and its skip
    check; the :class:`BatchSummary` keeps it (``--rahasia`` uses its ``seed``).

    Parameters
    ----------
    periods
        Period codes to report; None = every period of the data.
    notebooks
        Notebook codes (``"00"``, ``"10"``, …); None = every notebook found in
        ``notebook_dir`` (default: the package's ``notebooks/``).
    per_opd, per_opd_notebooks
        Also write the ``per_opd_notebooks`` reports for every OPD.
    bahasa, min_sel
        Document language (``"id"``, ``"en"``) and smallest group shown; None = the
        agency profile's.
    seed
        Seed of every random step of the shared models and the documents.
    formats
        Any of ``"html"``, ``"pdf"``, ``"xlsx"``.
    profile
        The agency profile (:mod:`kinerja_analysis.core.profile`): an object, a YAML file,
        or None (the bundled Kotalama example, for the synthetic city only).
    mapping, pseudonim
        Column mapping of a real export and pseudonymous IDs
        (:func:`~kinerja_analysis.data.loading.load_dataset`).
    cache_dir, workers, force, lock_wait
        The private working folder (default beside the data), processes in the pool
        (default ``os.cpu_count()``), rerun unchanged reports, seconds to wait for a
        report folder another batch holds.

    Sequences are kept as tuples, so a settings object never changes after it is built.

    >>> s = BatchSettings(periods=["2025Q4"], formats=["html"])
    >>> s.periods, s.formats, s.bahasa
    (('2025Q4',), ('html',), None)
    >>> s.resolve(load_profile(None)).bahasa, s.resolve(load_profile(None)).min_sel
    ('id', 5)
    """

    periods: tuple[str, ...] | None = None
    notebooks: tuple[str, ...] | None = None
    per_opd: bool = False
    per_opd_notebooks: tuple[str, ...] = ("10",)
    bahasa: str | None = None
    min_sel: int | None = None
    seed: int = DEFAULTS.seed
    formats: tuple[str, ...] = FORMATS
    profile: AgencyProfile | str | os.PathLike | None = None
    mapping: str | os.PathLike | None = None
    pseudonim: bool = False
    notebook_dir: str | os.PathLike | None = None
    cache_dir: str | os.PathLike | None = None
    workers: int | None = None
    force: bool = False
    lock_wait: float = 0.0

    def __post_init__(self) -> None:
        for name in ("periods", "notebooks", "per_opd_notebooks", "formats"):
            value = getattr(self, name)
            if isinstance(value, str):  # one code, not its characters
                object.__setattr__(self, name, (value,))
            elif value is not None and not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))

    @renamed_keywords(profil="profile")
    def resolve(self, profile: AgencyProfile) -> BatchSettings:
        """These settings with ``profile`` in place and its language and ``min_sel``
        wherever they are not set."""
        return dataclasses.replace(
            self,
            profile=profile,
            bahasa=self.bahasa or profile.bahasa,
            min_sel=profile.min_sel if self.min_sel is None else self.min_sel,
        )


# ----------------------------------------------------------------------------- plan


@renamed_keywords(kunci="key", judul="title", gagal_path="failed_path", masukan="inputs", profil="profile")  # fmt: skip
@dataclass(frozen=True)
class RunSpec:
    """One notebook execution: what to run, with which parameters, where to write.

    ``failed_path`` is where a failed run's executed notebook is kept; ``inputs`` is what
    the skip check compares, stored in the folder's manifest under the key ``masukan``
    (manifest keys are a published file format and do not change). The old field names
    ``kunci``, ``judul``, ``gagal_path``, ``masukan`` and ``profil`` (and the property
    ``keluaran``) still work for one release, with a ``DeprecationWarning``.
    """

    key: str  # "2025Q4/10", "2025Q4/opd/dinas-kesehatan/10", "lintas_periode/90"
    notebook: NotebookSpec
    periode: str
    opd: str | None
    folder: Path  # final output folder
    stem: str  # file base name of the outputs
    title: str
    periode_label: str  # code or a range of codes for the cover
    parameters: dict[str, Any]
    formats: tuple[str, ...]
    failed_path: Path
    inputs: dict[str, Any]  # what the skip check compares (no local paths)
    staging: Path | None = None  # private working folder of this run (unique per batch)
    profile: AgencyProfile | None = None

    @property
    def outputs(self) -> list[Path]:
        """The run's output files, one per format, in its final folder."""
        return [self.folder / f"{self.stem}.{f}" for f in self.formats]

    @property
    def keluaran(self) -> list[Path]:
        """Deprecated name of :attr:`outputs`."""
        warnings.warn(
            "RunSpec.keluaran is deprecated and will be removed in the next release; "
            "use RunSpec.outputs",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.outputs


@renamed_keywords(kunci="key", detik="seconds", keluaran="outputs", pesan="message", angka_utama="headline_figures", notebook_gagal="failed_notebook", berkas="file_hashes", laporan_lama="earlier_report", asli="original_error", sebab_data="no_usable_data")  # fmt: skip
@dataclass(frozen=True)
class RunResult:
    """What happened to one run.

    ``failed_notebook`` is where a failed run's executed notebook was really saved (None
    when nothing could be saved); ``file_hashes`` maps each published file to its
    SHA-256. The folder's manifest keeps its published keys (``keluaran``, ``berkas``,
    ``detik``, ``angka_utama``): a file format does not change with the field names. The
    old field names (``kunci``, ``detik``, ``keluaran``, ``pesan``, ``angka_utama``,
    ``notebook_gagal``, ``berkas``, ``laporan_lama``, ``asli``, ``sebab_data``) still work
    for one release, with a ``DeprecationWarning``.
    """

    key: str
    periode: str
    notebook: str
    opd: str | None
    status: Literal["ok", "gagal", "dilewati", "dibatalkan"]
    seconds: float = 0.0
    outputs: tuple[str, ...] = ()
    message: str = ""
    headline_figures: dict[str, float | None] = field(default_factory=dict)
    failed_notebook: str | None = None
    file_hashes: dict[str, str] = field(default_factory=dict)
    earlier_report: str | None = None  # date of the earlier good report kept after a failure
    original_error: str = ""  # the original (English) error, for the log only
    stderr: tuple[str, ...] = ()  # library warnings the notebook printed, for the log
    no_usable_data: bool = False  # not run: validation left no usable rows for its period
    reason: str = ""  # of a failure: one of FAILURE_KINDS (what the index says)
    reason_format: str = ""  # of a failed export: "html", "pdf" or "xlsx"


#: The columns of :meth:`BatchSummary.tidy` before this release (old name → new name).
_OLD_SUMMARY_COLUMNS = {
    "kunci": "key",
    "detik": "seconds",
    "keluaran": "outputs",
    "pesan": "message",
}


@renamed_keywords(detik="seconds")
@dataclass(frozen=True)
class BatchSummary:
    """All runs of a batch. ``ok`` is True when none failed or was cancelled; ``seconds``
    is the batch's wall-clock time (the old name ``detik`` still reads it for one
    release, with a ``DeprecationWarning``)."""

    runs: tuple[RunResult, ...]
    out_dir: Path
    index: Path | None
    seconds: float
    cache_dir: Path | None = None
    log_path: Path | None = None
    warnings: tuple[str, ...] = ()
    bahasa: str = "id"
    settings: BatchSettings = field(default_factory=BatchSettings)
    #: what the summary shows on a console passes it (NIPs and names masked)
    redact: Redactor | None = field(default=None, repr=False, compare=False)

    def _shown(self, text: str) -> str:
        """``text`` (console markup, data escaped) with personal data masked."""
        return text if self.redact is None else self.redact(text, markup=True)

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
            ``key, periode, notebook, opd, status, seconds, outputs, message`` where
            ``outputs`` is the output file names joined by ``"; "``. The columns' names
            before this release (``kunci``, ``detik``, ``keluaran``, ``pesan``) still
            read, with a ``DeprecationWarning``, until the next one.
        """
        rows = [
            (r.key, r.periode, r.notebook, r.opd, r.status, r.seconds, "; ".join(r.outputs),
             r.message)
            for r in self.runs
        ]  # fmt: skip
        cols = ["key", "periode", "notebook", "opd", "status", "seconds", "outputs", "message"]
        return renamed_columns(
            pd.DataFrame(rows, columns=cols), _OLD_SUMMARY_COLUMNS, "BatchSummary.tidy()"
        )

    def rich_table(self, limit: int = 40, bahasa: str | None = None):
        """A ``rich.table.Table`` of the runs (failed ones first, at most ``limit`` rows),
        headed and worded in ``bahasa`` (default: the reports' language)."""
        bahasa = bahasa or self.bahasa
        from rich.table import Table  # lazy: only for console output

        def w(k: str, **f: object) -> str:
            return TEXT(k, bahasa, **f)  # type: ignore[arg-type]

        warna = {"ok": "green", "dilewati": "cyan", "gagal": "bold red", "dibatalkan": "yellow"}
        t = Table(title=w("tabel_judul", detik=duration(self.seconds, bahasa)))
        for c, j in (("run", "left"), ("status", "left"), ("detik", "right"), ("keluaran", "left")):
            t.add_column(w(f"kolom_{c}"), justify=j)
        order = sorted(self.runs, key=lambda r: r.status not in ("gagal", "dibatalkan"))
        for r in order[:limit]:
            kecil = r.reason == "opd_kecil"
            info = (
                r.message if r.status in ("gagal", "dibatalkan") or kecil else ", ".join(r.outputs)
            )
            t.add_row(
                self._shown(plain(r.key)),
                f"[{warna[r.status]}]{w('status_opd_kecil' if kecil else 'status_' + r.status)}[/]",
                fmt.number(r.seconds, 1, bahasa),
                self._shown(plain(info, 160)),
            )
        if len(order) > limit:
            t.add_row("…", f"+{len(order) - limit}", "", "")
        return t

    def lines(self, bahasa: str = "id") -> list[str]:
        """The final summary: where the documents are, what was skipped and why, what
        failed and where its notebook is (console markup escaped)."""

        def t(k: str, **f: object) -> str:
            return TEXT(k, bahasa, **f)  # type: ignore[arg-type]

        n_ok = sum(r.status == "ok" for r in self.runs)
        n_skip = sum(r.status == "dilewati" and r.reason != "opd_kecil" for r in self.runs)
        out = [
            t(
                "ringkas_jumlah",
                n_ok=n_ok,
                n_lewat=n_skip,
                n_gagal=self.n_gagal,
                detik=duration(self.seconds, bahasa),
            ),
            t("ringkas_dokumen", index=plain(self.index or self.out_dir, 400)),
        ]
        if n_skip:
            out.append(t("ringkas_lewat", n=n_skip))
        out += [plain(r.message, 400) for r in self.runs if r.reason == "opd_kecil"]
        for r in self.runs:
            if r.status not in ("gagal", "dibatalkan"):
                continue
            out.append(t("ringkas_gagal", kunci=plain(r.key), pesan=plain(r.message, 300)))
            if r.failed_notebook:
                out.append(t("ringkas_nb", path=plain(r.failed_notebook, 400)))
            elif r.status == "gagal" and not r.no_usable_data:
                out.append(t("ringkas_nb_tidak"))
            if r.earlier_report:
                out.append(t("ringkas_lama", tanggal=r.earlier_report))
        out += [plain(w, 400) for w in self.warnings]
        if self.log_path:
            out.append(t("ringkas_log", log=plain(self.log_path, 400)))
        return [self._shown(line) for line in out]


@renamed_keywords(profil_path="profile_path")
def plan_runs(
    notebooks: dict[str, NotebookSpec],
    periods: Sequence[str],
    out_dir: Path,
    settings: BatchSettings | None = None,
    *,
    data_dir: Path,
    cache_dir: Path,
    checksum: str,
    periode_data: Sequence[str] = (),
    opds: Sequence[str] = (),
    profile_path: str | None = None,
    staging_root: Path | None = None,
    opd_folders: Mapping[str, str] | None = None,
    opds_by_period: Mapping[str, Sequence[str]] | None = None,
) -> list[RunSpec]:
    """The runs of a batch (pure: nothing is executed or written).

    Period notebooks run for every period in ``periods`` (and for every OPD in ``opds``
    when listed in ``settings.per_opd_notebooks``, each in its own folder from
    :func:`~kinerja_analysis.reporting.paths.folder_names`); cross-period notebooks
    (``9x``) run once with ``periode`` = the last period, over the data's periods up to
    it (``periode_data``). ``settings`` gives the language, ``min_sel``, seed, formats
    and agency profile (unset ones from the profile: :meth:`BatchSettings.resolve`);
    ``profile_path`` is the profile's file as the notebooks read it; ``staging_root``
    (unique per batch) holds each run's private working folder. ``opd_folders``: the
    folder of every OPD of the dataset (:func:`folder_names` over all of them, small OPDs
    included), so a folder stays the same whichever OPDs get a document; default:
    computed from ``opds``. ``opds_by_period``: the OPDs with a document in each period
    (an OPD small in a period has none for it,
    :func:`~kinerja_analysis.reporting.tables.small_opds`); when given, a period it does
    not list gets no per-OPD run; default ``opds`` in every period.
    """
    from kinerja_analysis import __version__  # lazy: reads the installed version at call time

    settings = settings or BatchSettings()
    settings = settings.resolve(load_profile(settings.profile))
    profil, bahasa = settings.profile, settings.bahasa
    kode = code_fingerprint()
    runs: list[RunSpec] = []
    periods = sort_periods(periods)
    staging_root = staging_root or (cache_dir.parent / "kerja" / "plan")
    # the folders of every OPD of the dataset, small ones included: an OPD's folder does
    # not change when another OPD of a colliding name drops under min_sel
    if opd_folders is not None:
        folders = dict(opd_folders)
    else:
        folders = folder_names([*opds, *(o for v in (opds_by_period or {}).values() for o in v)])

    def add(nb: NotebookSpec, periode: str, opd: str | None, label: str) -> None:
        """One run of ``nb``: its folder, key and file names follow from where it belongs
        (the period, or :data:`LINTAS` for a cross-period notebook) and its OPD."""
        section = LINTAS if nb.lintas else periode
        slug = folders[opd] if opd else ""
        rel = f"{section}/opd/{slug}" if opd else section
        work = staging_root / f"{len(runs):05d}"
        params = {
            "periode": periode,
            "data_dir": str(data_dir),
            "output_dir": str(work),
            "cache_dir": str(cache_dir),
            "bahasa": bahasa,
            "opd": opd,
            "min_sel": settings.min_sel,
            "seed": settings.seed,
            "profil": profile_path,
        }
        gagal_dir = cache_dir.parent / "gagal" / section
        gagal_name = f"{nb.kode}_{nb.name}" + (f"__{slug}" if opd else "")
        masukan = {
            "data": checksum,
            "parameter": {k: params[k] for k in ("periode", "bahasa", "opd", "min_sel", "seed")},
            "profil": profil.fingerprint(),
            "format": sorted(settings.formats),
            "versi": __version__,
            "kode_paket": kode,
            "notebook": hash_bytes(nb.path.read_bytes()),
        }
        if nb.lintas:
            masukan["periode_semua"] = list(periods)
        runs.append(
            RunSpec(
                key=f"{rel}/{nb.kode}",
                notebook=nb,
                periode=periode,
                opd=opd,
                folder=out_dir / rel,
                stem=f"{nb.name}_{periode}" + (f"_{slug}" if opd else ""),
                title=(nb.title_en or nb.title if bahasa == "en" else nb.title)
                + (f" — {opd}" if opd else ""),
                periode_label=label,
                parameters=params,
                formats=settings.formats,
                failed_path=gagal_dir / f"{gagal_name}.ipynb",
                inputs=masukan,
                staging=work,
                profile=profil,
            )
        )

    for periode in periods:
        for nb in notebooks.values():
            if nb.lintas:
                continue
            add(nb, periode, None, periode)
            if nb.kode in settings.per_opd_notebooks:
                own = opds if opds_by_period is None else opds_by_period.get(periode, ())
                for opd in own:
                    add(nb, periode, opd, periode)
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
                add(nb, last, None, label)
    return runs


# ----------------------------------------------------------------------------- manifest


def _read_manifest(folder: Path) -> dict[str, Any]:
    p = folder / _MANIFEST
    if not p.exists():
        return {"runs": {}}
    try:
        data = json.loads(p.read_text("utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError):
        return {"runs": {}}
    if not isinstance(data, dict) or not isinstance(data.get("runs"), dict):
        return {"runs": {}}
    data["runs"] = {k: v for k, v in data["runs"].items() if isinstance(v, dict)}
    return data


def _write_manifest(folder: Path, data: dict[str, Any]) -> None:
    # published beside the documents: strict JSON (a missing value is null, never NaN)
    atomic_write(folder / _MANIFEST, json_text(data, ensure_ascii=False, indent=1, sort_keys=True))


def _sha256_file(p: Path) -> str | None:
    h = hashlib.sha256()
    try:
        with p.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def _intact(folder: Path, entry: dict[str, Any]) -> bool:
    """Every file the entry lists exists with the recorded SHA-256 (when recorded)."""
    files = entry.get("keluaran") or []
    hashes = entry.get("berkas") or {}
    for name in files:
        p = folder / name
        if not p.is_file():
            return False
        if name in hashes and _sha256_file(p) != hashes[name]:
            return False
    return bool(files)


def _unchanged(spec: RunSpec) -> dict[str, Any] | None:
    """The manifest entry when the run's inputs are unchanged and its outputs intact."""
    entry = _read_manifest(spec.folder)["runs"].get(spec.notebook.kode)
    if not entry or entry.get("masukan") != json.loads(json.dumps(spec.inputs)):
        return None
    if entry.get("gagal_terakhir"):
        return None
    if sorted(entry.get("keluaran", [])) != sorted(p.name for p in spec.outputs):
        return None
    if not _intact(spec.folder, entry):
        return None
    return entry


def _remove_leftovers(folder: Path) -> None:
    """Remove temp files and old staging folders a killed run left in ``folder``."""
    if not folder.is_dir():
        return
    for p in folder.iterdir():
        if p.is_dir() and p.name.startswith(".kerja-"):
            shutil.rmtree(p, ignore_errors=True)
        elif p.is_file() and _TMP_RE.match(p.name):
            p.unlink(missing_ok=True)


def _log_run(spec: RunSpec, res: RunResult, register: Register | None = None) -> RunResult:
    """Record a finished run in its folder's manifest.

    A failed run keeps the earlier good report's entry (its files are untouched),
    marked with the date of the failure and its kind (:data:`FAILURE_KINDS`); returns
    ``res`` with ``laporan_lama`` set then. Without an intact earlier report, the entry
    lists no file, only the failure: the index then names the report as failed on that
    date instead of leaving it out.

    With ``register``, a run that failed and whose folder, OPD or title holds personal
    data (a NIP or a name of the register: only when validation let it through) leaves
    no trace in the report folder: no folder named after it, no manifest naming it (a
    run that published passed :func:`~kinerja_analysis.reporting.privacy.check_document`,
    which reads its file names too).
    """
    if (
        register is not None
        and res.status != "ok"
        and (
            register.find(spec.key, whole=False)
            or register.find(spec.title, whole=False)
            or (spec.opd is not None and register.find(spec.opd))
        )
    ):
        return res
    m = _read_manifest(spec.folder)
    m.setdefault("runs", {})
    today = _dt.date.today().isoformat()
    if res.status == "ok":
        m["runs"][spec.notebook.kode] = {
            "judul": spec.title,
            "opd": spec.opd,
            "periode": spec.periode,
            "masukan": spec.inputs,
            "keluaran": list(res.outputs),
            "berkas": dict(res.file_hashes),
            "detik": round(res.seconds, 2),
            "selesai": _dt.datetime.now().isoformat(timespec="seconds"),
            "angka_utama": res.headline_figures,
        }
    else:
        failure = {
            "gagal_terakhir": today,
            "gagal_sebab": res.reason if res.reason in FAILURE_KINDS else "lain",
        }
        if res.reason_format in FORMATS:
            failure["gagal_format"] = res.reason_format
        old = m["runs"].get(spec.notebook.kode)
        if isinstance(old, dict) and _intact(spec.folder, old):
            old.pop("gagal_format", None)
            old.update(failure)
            res = dataclasses.replace(res, earlier_report=str(old.get("selesai", ""))[:10])
        else:
            m["runs"][spec.notebook.kode] = {
                "judul": spec.title,
                "opd": spec.opd,
                "periode": spec.periode,
                "keluaran": [],
                **failure,
            }
    spec.folder.mkdir(parents=True, exist_ok=True)
    _write_manifest(spec.folder, m)
    return res


# ----------------------------------------------------------------------------- worker


#: The batch's register of NIPs and names, in a worker (:func:`_init_worker`): every
#: document is checked against it before it is published (:func:`_run_one`).
_REGISTER: Register | None = None


def _init_worker(
    log_dir: str,
    redact: Redactor | None = None,
    figure_cpus: int | None = None,
    register: Register | None = None,
) -> None:
    """Worker setup: die with the batch, leave Ctrl-C to the batch, stderr to a log.

    The worker moves to its own process group, so a Ctrl-C in the terminal reaches only
    the batch process (which stops the workers itself); its kernels inherit that group.
    With ``redact``, the worker's standard error (and its kernels', which inherit it) is
    a pipe read by a thread that writes each line redacted to the log
    (:func:`_copy_redacted`): no NIP or name reaches the disk, even when the worker is
    killed. Without it, standard error goes to the log directly. ``figure_cpus``
    (the CPUs left per worker) caps the processes its kernels draw a report's figures
    in (:func:`kinerja_analysis.reporting.notebook.figure_processes`; a
    ``KINERJA_FIGURE_PROCESSES`` the analyst set is kept). ``register`` is the batch's
    register of NIPs and names (:func:`~kinerja_analysis.reporting.privacy.
    personal_register`) the worker checks each document against before publishing it.
    """
    global _REGISTER
    _REGISTER = register
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(AttributeError, OSError):
        os.setpgrp()
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    if figure_cpus is not None:  # an analyst's own setting is kept
        os.environ[FIGURE_PROCESSES_ENV] = str(figure_processes(cap=figure_cpus))
    Path(log_dir).mkdir(parents=True, exist_ok=True)
    log = Path(log_dir) / f"worker-{os.getpid()}.log"
    if redact is None:
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        os.dup2(fd, 2)
        os.close(fd)
        return
    read_fd, write_fd = os.pipe()
    os.dup2(write_fd, 2)
    os.close(write_fd)
    copier = threading.Thread(
        target=_copy_redacted, args=(read_fd, log, redact), name="log-redactor", daemon=True
    )
    copier.start()
    # at the worker's normal exit: close its end of the pipe and let the copier finish
    multiprocessing.util.Finalize(None, _drain_log, args=(copier,), exitpriority=0)


def _copy_redacted(read_fd: int, log: Path, redact: Redactor) -> None:
    """Copy lines from ``read_fd`` to ``log``, each through ``redact``, until the pipe
    closes. A line that cannot be redacted is replaced, never written as it was; the
    pipe is always read to its end, so no writer ever blocks on a full pipe."""
    with os.fdopen(read_fd, "rb") as src, open(log, "ab", buffering=0) as dst:
        for raw in src:
            text = raw.decode("utf-8", errors="replace").rstrip("\n")
            try:
                line = redact(text)
            except Exception:  # noqa: BLE001 - the log must never get the raw line
                line = "[baris log tidak dapat disaring]"
            with contextlib.suppress(OSError):
                dst.write(line.encode("utf-8") + b"\n")


def _drain_log(copier: threading.Thread) -> None:
    with contextlib.suppress(Exception):
        sys.stderr.flush()
    with contextlib.suppress(OSError):
        os.close(2)
    copier.join(timeout=5)


def redact_worker_logs(log_dir: Path, redact: Redactor) -> list[Path]:
    """Remove personal data from the workers' logs (``worker-*.log``) once they have
    stopped; returns the files that changed.

    A worker's standard error, and its kernels', go to its log straight from the
    operating system (library warnings, a kernel's start-up trace), so what they print
    is redacted here, after the run, with the batch's :class:`Redactor` (NIPs and the
    employees' names), and written back atomically.
    """
    changed = []
    for f in sorted(Path(log_dir).glob("worker-*.log")):
        try:
            text = f.read_text("utf-8", errors="replace")
        except OSError:
            continue
        clean = "\n".join(redact(line) for line in text.split("\n"))
        if clean != text:
            atomic_write(f, clean)
            changed.append(f)
    return changed


def _error_message(exc: BaseException) -> str:
    """The original error, ``"KeyError: 'x'"`` (English; for the log)."""
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    return f"{ename}: {evalue}".strip()[:500]


#: Why a run failed, as the index page says it: a kind from this list (and, for an
#: export, its format), never the error's own text, which may quote data values.
FAILURE_KINDS: tuple[str, ...] = (
    "sel",
    "kernel",
    "mulai",
    "waktu",
    "ekspor",
    "pekerja",
    "disk",
    "data",
    "analisis",
    "pribadi",
    "lain",
)


def failure_kind(exc: BaseException, stage: str | None = None) -> tuple[str, dict[str, object]]:
    """What went wrong in a run: ``(kind, fields)``, the kind one of
    :data:`FAILURE_KINDS` (``"data"`` is never returned here: it is a period validation
    left without usable rows), the fields those of its sentence in
    :data:`console.TEXT` (``gagal_<kind>``), none holding the error's own text.

    ``stage`` is the export format (``"pdf"``…) when an export failed (default: the
    format :func:`render_outputs` tagged the exception with).

    >>> failure_kind(OSError(28, "No space left on device"))
    ('disk', {'jenis': 'OSError'})
    >>> failure_kind(PersonalDataFound("laporan_periode_2025Q4.html", {"nama": 2}))
    ('pribadi', {'dokumen': 'laporan_periode_2025Q4.html', 'nip': 0, 'nama': 2})
    """
    if isinstance(exc, PersonalDataFound):  # the document's name is masked already
        return "pribadi", {"dokumen": exc.document, "nip": exc.n_nip, "nama": exc.n_nama}
    stage = stage or getattr(exc, "kinerja_format", None)
    name = str(getattr(exc, "ename", type(exc).__name__))
    kind = type(exc).__name__
    text = str(exc).lower()
    if hasattr(exc, "exec_count") and hasattr(exc, "ename"):  # PapermillExecutionError
        sel = exc.exec_count or (getattr(exc, "cell_index", 0) or 0) + 1  # type: ignore[attr-defined]
        return "sel", {"sel": sel, "jenis": name}
    if isinstance(exc, OSError) and exc.errno in (28, 30, 122):  # ENOSPC, EROFS, EDQUOT
        return "disk", {"jenis": kind}
    if stage is not None:
        return "ekspor", {"format": stage.upper(), "jenis": name}
    if kind == "DeadKernelError" or "kernel died" in text and "kernel_info" not in text:
        return "kernel", {}
    if "kernel_info" in text or "kernel didn't respond" in text:
        return "mulai", {}
    if isinstance(exc, TimeoutError) or kind == "CellTimeoutError":
        return "waktu", {}
    if kind == "BrokenProcessPool":
        return "pekerja", {}
    return "lain", {"jenis": name}


def failure_text(exc: BaseException, bahasa: str = "id", stage: str | None = None) -> str:
    """What went wrong in a run, in the report language (:data:`console.TEXT`), without
    the error's own text (it may quote data values; that goes to the log): the sentence
    of :func:`failure_kind`."""
    kind, fields = failure_kind(exc, stage)
    return TEXT(f"gagal_{kind}", bahasa, **fields)  # type: ignore[arg-type]


def _failed(
    base: dict[str, Any], exc: BaseException, bahasa: str, seconds: float, kept: str | None
) -> RunResult:
    """The result of a run that failed with ``exc`` after ``seconds``; ``kept`` is
    where its executed notebook was kept (:func:`_keep_failed`)."""
    kind, fields = failure_kind(exc)
    return RunResult(
        **base,
        status="gagal",
        seconds=seconds,
        message=TEXT(f"gagal_{kind}", bahasa, **fields),  # type: ignore[arg-type]
        failed_notebook=kept,
        original_error=_error_message(exc),
        reason=kind,
        reason_format=str(fields.get("format", "")).lower(),
    )


def _keep_failed(spec: RunSpec, executed: Path, nb: Any = None) -> str | None:
    """Keep the executed notebook ``nb`` (else the one papermill saved at ``executed``),
    as far as it ran, at ``spec.failed_path``; its path, or None when there is nothing
    to keep (or it cannot be read as a notebook).

    papermill's record of the run's own paths is replaced: ``input_path`` held the whole
    input notebook (the batch hands papermill a notebook, not a file) and
    ``output_path`` the run's staging file, a path of this machine that is removed
    after the run. The kept notebook names instead the report notebook it ran (its file
    name) and itself, relative to the cache folder (``gagal/<periode>/<notebook>.ipynb``).
    """
    import nbformat  # lazy: with papermill

    try:
        if nb is not None:
            text = nbformat.writes(nb)
        elif executed.is_file() and executed.stat().st_size > 0:
            text = executed.read_text("utf-8")
        else:
            return None
        kept = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
        record = kept.metadata.get("papermill")
        if isinstance(record, dict):
            record["input_path"] = spec.notebook.path.name
            record["output_path"] = spec.failed_path.relative_to(
                spec.failed_path.parents[2]
            ).as_posix()
        atomic_write(spec.failed_path, nbformat.writes(kept), private=True)
        return str(spec.failed_path)
    except Exception:  # noqa: BLE001 - keeping the copy must not hide the run's own error
        return None


def _window_failure(spec: RunSpec, failed: Mapping[str, Exception], bahasa: str) -> RunResult:
    """The result of a run not started because the shared models of its period's data
    window failed (``failed[spec.periode]``): the error's type in the report language,
    its own text only as ``original_error`` (for the log)."""
    exc = failed[spec.periode]
    return RunResult(
        spec.key,
        spec.periode,
        spec.notebook.kode,
        spec.opd,
        "gagal",
        message=TEXT("gagal_analisis", bahasa, jenis=type(exc).__name__),  # type: ignore[arg-type]
        original_error=_error_message(exc),
        reason="analisis",
    )


def _crashed(spec: RunSpec, exc: BaseException, bahasa: str) -> RunResult:
    """The result of a run whose worker process ended abruptly (``exc``): the notebook
    papermill last saved in the run's staging folder, if any, is kept
    (:func:`_keep_failed`) — not a copy an earlier batch left at ``spec.failed_path``."""
    base = {
        "key": spec.key,
        "periode": spec.periode,
        "notebook": spec.notebook.kode,
        "opd": spec.opd,
    }
    saved = Path(spec.parameters["output_dir"]) / "notebook.ipynb"
    return _failed(base, exc, bahasa, 0.0, _keep_failed(spec, saved))


def _stderr_lines(nb: Any) -> list[str]:
    """The stderr stream outputs (library warnings) of an executed notebook."""
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream" and o.get("name") == "stderr":
                text = o.get("text", "")
                out += [
                    x
                    for x in ("".join(text) if isinstance(text, list) else text).splitlines()
                    if x.strip()
                ]
    return out


def publish(folder: Path, files: dict[str, bytes]) -> dict[str, str]:
    """Publish a report's files together: all written to temporary files in ``folder``
    first, then renamed into place; on any error none is renamed.

    Returns ``{file name: sha256}``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    mode = new_file_mode()  # documents to hand out: as the umask says (mkstemp's is 0600)
    try:
        for name, data in files.items():
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
            os.fchmod(fd, mode)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            staged.append((Path(tmp), folder / name))
        for tmp, final in staged:
            os.replace(tmp, final)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
    return {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}


def _workbook_info(spec: RunSpec, bahasa: str) -> dict[str, str]:
    profil = load_profile(spec.profile)
    keys = {
        "id": ("Judul", "Instansi", "Periode", "Dibuat", "Checksum data", "Versi kinerja"),
        "en": ("Title", "Agency", "Period", "Generated", "Data checksum", "kinerja version"),
    }[bahasa]
    values = (
        spec.title,
        profil.government(bahasa),
        spec.periode_label
        if not _is_code(spec.periode_label)
        else period_label(spec.periode_label, bahasa),  # type: ignore[arg-type]
        fmt.date(_dt.date.today(), bahasa),  # type: ignore[arg-type]
        spec.inputs["data"],
        spec.inputs["versi"],
    )
    return dict(zip(keys, values, strict=True))


def _is_code(s: str) -> bool:
    try:
        parse_period(s)
        return True
    except ValueError:
        return False


@contextlib.contextmanager
def _stage(fmt_name: str):
    """Tag an exception raised inside with the export format it broke (for the message)."""
    try:
        yield
    except Exception as exc:
        with contextlib.suppress(AttributeError, TypeError):
            exc.kinerja_format = fmt_name  # type: ignore[attr-defined]
        raise


def render_outputs(
    spec: RunSpec,
    nb: Any,
    work: Path,
    guard: Callable[[str, bytes | str], None] | None = None,
) -> tuple[dict[str, bytes], dict[str, float | None]]:
    """The files of one run, rendered in memory: ``({file name: bytes}, headline numbers)``.

    With a CPU to spare (:func:`~kinerja_analysis.reporting.notebook.figure_processes`
    above 1), the XLSX is written in a forked child while this process renders the PDF
    (:func:`~kinerja_analysis.core.parallel.fork_call`); the bytes are the same.

    ``guard(file name, content)`` is called on the HTML as soon as it is made (before
    the PDF, which is rendered from exactly that HTML: it stands for both) and on the
    workbook's bytes; it raises to stop the run
    (:func:`~kinerja_analysis.reporting.privacy.check_document`).
    """
    bahasa = spec.parameters["bahasa"]
    profil = load_profile(spec.profile)
    xlsx = None
    if "xlsx" in spec.formats:
        make_xlsx = functools.partial(_xlsx_bytes, spec, work, bahasa, profil)
        xlsx = fork_call(make_xlsx) if figure_processes() > 1 else None
    try:
        with _stage("html"):
            html = export.to_html(
                nb, title=spec.title, periode=spec.periode_label, bahasa=bahasa, profile=profil
            )
        if guard is not None:
            guard(f"{spec.stem}.html", html)
        files: dict[str, bytes] = {}
        if "html" in spec.formats:
            files[f"{spec.stem}.html"] = html.encode("utf-8")
        if "pdf" in spec.formats:
            with _stage("pdf"):
                files[f"{spec.stem}.pdf"] = export.pdf_bytes(html)
        if "xlsx" in spec.formats:
            with _stage("xlsx"):
                files[f"{spec.stem}.xlsx"] = xlsx.result()[0] if xlsx else make_xlsx()
            if guard is not None:
                guard(f"{spec.stem}.xlsx", files[f"{spec.stem}.xlsx"])
    finally:
        if xlsx is not None:
            xlsx.cancel()
    tables = read_tables(work)
    angka = {}
    if "angka_utama" in tables:
        a = tables["angka_utama"]
        # a figure suppressed as a small group is kept as None (not NaN: not available)
        hidden = a["disembunyikan"] if "disembunyikan" in a else pd.Series(False, index=a.index)
        angka = {
            str(k): None if bool(h) else float(v)
            for k, v, h in zip(a["indikator"], a["nilai"], hidden, strict=True)
        }
    return files, angka


def _xlsx_bytes(spec: RunSpec, work: Path, bahasa: str, profil: AgencyProfile) -> bytes:
    """The run's workbook: the tables its notebook saved in ``work``."""
    sheets = workbook_tables(work)  # titles as sheet names, values and headers in words
    return export.xlsx_bytes(
        sheets,
        info=_workbook_info(spec, bahasa),
        bahasa=bahasa,
        source=export.source_note(profil, bahasa),
        labels=workbook_labels(sheets),
    )


def _worker_register(spec: RunSpec) -> Register:
    """The register a worker checks ``spec``'s documents against: the batch's
    (:func:`_init_worker`), else — a run started outside a batch's pool — the one of the
    validated tables in the run's cache (their accepted employees only)."""
    if _REGISTER is not None:
        return _REGISTER
    cache = Path(str(spec.parameters.get("cache_dir") or ""))
    if not (cache / "meta.json").is_file():
        raise ValueError(f"no register of NIPs and names for {spec.key}: no cache at {cache}")
    profil = load_profile(spec.profile)
    allow = [profil.signatory.name] if profil.signatory else []
    return personal_register(Dataset.load_cache(cache), allow=allow)


def _run_one(spec: RunSpec) -> RunResult:
    """Execute one run, check its documents for personal data and publish them (in a
    worker process). A document holding a NIP or a name of the batch's register
    (:func:`~kinerja_analysis.reporting.privacy.check_document`) fails the run: nothing
    of it is published, an earlier good document stays."""
    from kinerja_analysis.pipeline.execution import (  # lazy: papermill, in workers only
        execute_notebook,
    )
    from kinerja_analysis.pipeline.kernels import remove_socket_dir  # lazy: as above

    t0 = time.perf_counter()
    bahasa = spec.parameters["bahasa"]
    work = Path(spec.parameters["output_dir"])
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    executed = work / "notebook.ipynb"
    base = {
        "key": spec.key,
        "periode": spec.periode,
        "notebook": spec.notebook.kode,
        "opd": spec.opd,
    }
    nb = None
    try:
        nb_in = read_notebook(spec.notebook.path)
        try:
            nb = execute_notebook(nb_in, executed, spec.parameters, cwd=spec.notebook.path.parent)
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none stops the batch
            return _failed(
                base, exc, bahasa, time.perf_counter() - t0, _keep_failed(spec, executed)
            )
        stderr = tuple(_stderr_lines(nb))
        register = _worker_register(spec)
        files, angka = render_outputs(
            spec, nb, work, guard=functools.partial(check_document, register=register)
        )
        hashes = publish(spec.folder, files)
        return RunResult(
            **base,
            status="ok",
            seconds=time.perf_counter() - t0,
            outputs=tuple(files),
            headline_figures=angka,
            file_hashes=hashes,
            stderr=stderr,
        )
    except Exception as exc:  # noqa: BLE001 - export failures are run failures too
        return _failed(
            base, exc, bahasa, time.perf_counter() - t0, _keep_failed(spec, executed, nb)
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
        remove_socket_dir()


# ----------------------------------------------------------------------------- index


def _trend_chart(rows: pd.DataFrame, bahasa: str) -> dict[str, str] | None:
    """Trend of headline numbers across periods as base64 PNG data URIs, drawn for the
    page (``lebar``) and for a phone (``sempit``), or None:
    :func:`kinerja_analysis.reporting.plots.plot_headline_trends` — the index's language
    for numbers, each indicator on an honest axis."""
    from kinerja_analysis.reporting import plots  # lazy: matplotlib only for the index figure

    if len(rows) < 1 or not any(
        c in rows.columns and rows[c].notna().any() for c in plots.HEADLINE_SCALES
    ):
        return None
    plots.use_style()
    judul = report_text.text("n90_judul_tren", bahasa)  # type: ignore[arg-type]

    def uri(lebar: float) -> str:
        fig = plots.plot_headline_trends(rows, title=judul, bahasa=bahasa, width=lebar)
        return "data:image/png;base64," + figure_png(fig)[0]

    return {"lebar": uri(plots.PAGE_WIDTH), "sempit": uri(plots.PHONE_WIDTH)}


def _iso_date(value: object) -> _dt.date | None:
    """The date an ISO text from a manifest starts with (``2026-11-30``,
    ``2026-11-30T10:41:44``), or None when it holds none."""
    try:
        return _dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _file_name(value: object) -> bool:
    """A bare file name (``laporan_periode_2025Q4.pdf``), not a path into another folder."""
    return isinstance(value, str) and value not in ("", ".", "..") and Path(value).name == value


def _failure_note(r: dict[str, Any], bahasa: str) -> str | None:
    """``"gagal pada 30 November 2026 (ekspor PDF gagal)"`` for a manifest entry whose
    last run failed, else None. Only catalogue text: the kind and format are read from
    fixed lists (a manifest is a file anyone may edit)."""
    day = _iso_date(r.get("gagal_terakhir"))
    if day is None:
        return None

    def t(key: str, **fields: object) -> str:
        return report_text.text(key, bahasa, **fields)  # type: ignore[arg-type]

    note = t("indeks_gagal", tanggal=fmt.date(day, bahasa))  # type: ignore[arg-type]
    kind = r.get("gagal_sebab")
    if isinstance(kind, str) and kind in FAILURE_KINDS:
        form = r.get("gagal_format")
        form = form.upper() if isinstance(form, str) and form in FORMATS else ""
        if kind != "ekspor" or form:
            note = t("indeks_gagal_sebab", gagal=note, sebab=t(f"indeks_sebab_{kind}", format=form))
    return note


def _entries(folder: Path, rel: str, bahasa: str) -> list[dict[str, Any]]:
    """The index entries of one folder's manifest: reports whose files are there, and
    reports whose last run failed (listed as failed on its date, with links only to
    the files an earlier good run left)."""
    out = []
    for kode, r in sorted(_read_manifest(folder)["runs"].items()):
        listed = r.get("keluaran")
        listed = listed if isinstance(listed, list) else []
        files = [f for f in listed if _file_name(f) and (folder / f).is_file()]
        failed = _failure_note(r, bahasa)
        if not files and failed is None:
            continue
        made = _iso_date(r.get("selesai")) if files else None
        note = None
        if failed is not None and made is not None:
            note = report_text.text(  # type: ignore[arg-type]
                "indeks_lama", bahasa, dibuat=fmt.date(made, bahasa), gagal=failed
            )
        elif failed is not None:
            note = report_text.text("indeks_tanpa_laporan", bahasa, gagal=failed)  # type: ignore[arg-type]
        out.append(
            {
                "judul": str(r.get("judul", kode)),
                "opd": r.get("opd"),
                "links": [
                    {"href": f"{rel}/{f}", "label": f.rsplit(".", 1)[-1].upper()} for f in files
                ],
                "catatan": note,
            }
        )
    return out


def _through(entry: dict[str, Any], bahasa: str) -> dict[str, Any]:
    """A cross-period entry titled with the last period it covers (read from its file
    names, ``…_<periode>.html``): when the newest period failed, the summary of this run
    stops a period earlier than the index's newest period, and says so."""
    for link in entry["links"]:
        stem = link["href"].rsplit("/", 1)[-1].rsplit(".", 1)[0]
        code = stem.rsplit("_", 1)[-1]
        with contextlib.suppress(ValueError):
            if parse_period(code).code == code:
                words = report_text.text(
                    "indeks_sampai", bahasa, periode=period_label(code, bahasa)
                )  # type: ignore[arg-type]
                return {**entry, "judul": f"{entry['judul']} ({words})"}
    return entry


#: The index page's words: the keys ``indeks_<word>`` of the report catalogue.
_INDEX_WORDS = ("judul", "diperbarui", "lintas", "per_periode", "per_opd", "tren")


def _small_words(small: Mapping[str, int], min_sel: int, bahasa: str) -> list[str]:
    """The index's sentences on one period's OPDs without a report of their own (``{opd:
    n_asn}`` in that period): those with some ASN (fewer than ``min_sel``), then those
    with none yet (all their ASN in the register started after the period)."""
    out = []
    for key, names in (
        ("indeks_opd_kecil", sorted(o for o, n in small.items() if n > 0)),
        ("indeks_opd_kosong", sorted(o for o, n in small.items() if n <= 0)),
    ):
        if names:
            out.append(
                report_text.text(key, bahasa, min_sel=min_sel, opd=", ".join(names))  # type: ignore[arg-type]
            )
    return out


def _personal_entry(entry: Mapping[str, Any], register: Register) -> bool:
    """Whether an index entry's title, OPD or links hold personal data of ``register``."""
    texts = [str(entry.get("judul", "")), *(link["href"] for link in entry.get("links", []))]
    opd = entry.get("opd")
    return any(register.find(t, whole=False) for t in texts) or (
        isinstance(opd, str) and bool(register.find(opd))
    )


def _write_index(
    out_dir: Path,
    bahasa: str,
    profil: AgencyProfile | None = None,
    small: Mapping[str, Mapping[str, int]] | None = None,
    min_sel: int = DEFAULTS.min_sel,
    register: Register | None = None,
    notes: list[str] | None = None,
) -> Path:
    """Write ``index.html``: every period's reports, headline numbers, trend chart.

    ``small``: per period, the OPDs given no report of their own for it this batch and
    their ASN in that period (``{opd: n}``, fewer than ``min_sel``:
    :func:`~kinerja_analysis.reporting.tables.small_opds`); the page names them under
    their period with the reason (fewer than ``min_sel`` ASN in the period, or none yet),
    not their counts.

    Every value from a manifest (titles, OPD names) is escaped by Jinja's autoescape;
    links are relative and built from folder and file names the batch made.

    With ``register`` (the batch's NIPs and names), an entry whose title, OPD or links
    hold personal data (a document an earlier batch published, or an OPD name validation
    let through) is left out of the page, and so is such an OPD among the small ones;
    the page as rendered is checked once more
    (:func:`~kinerja_analysis.reporting.privacy.document_hits`) and, should it still hold
    any, not written (the earlier index stays). Each of these is said in ``notes`` (in
    ``bahasa``, without the data).
    """
    profil = load_profile(profil)
    dropped: dict[str, int] = {}

    def keep(entries: list[dict[str, Any]], periode: str) -> list[dict[str, Any]]:
        if register is None:
            return entries
        out = [e for e in entries if not _personal_entry(e, register)]
        if len(out) < len(entries):
            dropped[periode] = dropped.get(periode, 0) + len(entries) - len(out)
        return out

    def keep_small(opds: Mapping[str, int], periode: str) -> dict[str, int]:
        if register is None:
            return dict(opds)
        out = {o: n for o, n in opds.items() if not register.find(o)}
        if len(out) < len(opds):
            dropped[periode] = dropped.get(periode, 0) + len(opds) - len(out)
        return out

    periodes = []
    for p in out_dir.iterdir():
        try:
            if p.is_dir() and parse_period(p.name).code == p.name:
                periodes.append(p.name)
        except ValueError:
            continue
    utama_rows, blok = [], []
    for periode in sort_periods(periodes):
        runs = _read_manifest(out_dir / periode)["runs"]
        angka = (
            next((r.get("angka_utama") for r in runs.values() if r.get("angka_utama")), {}) or {}
        )
        if angka:  # a period whose reports all failed has no point on the trend chart
            utama_rows.append({"periode": periode, **angka})
        opd_dir = out_dir / periode / "opd"
        per_opd = []
        for d in sorted(opd_dir.iterdir()) if opd_dir.is_dir() else []:
            if d.is_dir():
                per_opd += keep(_entries(d, f"{periode}/opd/{d.name}", bahasa), periode)
        per_opd.sort(key=lambda e: str(e.get("opd") or e["judul"]).casefold())
        blok.append(
            {
                "judul": period_label(periode, bahasa),
                "kepala": [
                    {
                        "label": headline_label(k, bahasa),
                        "nilai": headline_value(k, v, bahasa, hidden=v is None),
                    }
                    for k, v in angka.items()
                    if k in ("n_asn", "capaian_rerata", "ikm_rerata", "pct_jp_di_bawah_20")
                ],
                "laporan": keep(_entries(out_dir / periode, periode, bahasa), periode),
                "per_opd": per_opd,
                "opd_kecil": _small_words(
                    keep_small((small or {}).get(periode, {}), periode), min_sel, bahasa
                ),
            }
        )
    t = {k: report_text.text(f"indeks_{k}", bahasa) for k in _INDEX_WORDS}  # type: ignore[arg-type]
    page = (
        export._jinja()
        .from_string(export._template("index.html.j2"))
        .render(
            bahasa=bahasa,
            csp=CONTENT_SECURITY_POLICY,
            t=t,
            instansi=profil.government(bahasa),
            tanggal=fmt.date(_dt.date.today(), bahasa),  # type: ignore[arg-type]
            tren=_trend_chart(pd.DataFrame(utama_rows), bahasa) if utama_rows else None,
            lintas=[
                _through(e, bahasa)
                for e in keep(_entries(out_dir / LINTAS, LINTAS, bahasa), LINTAS)
            ],
            blok=list(reversed(blok)),
        )
    )
    for periode, n in dropped.items():
        if notes is not None:
            notes.append(TEXT("indeks_entri_pribadi", bahasa, n=n, periode=periode))  # type: ignore[arg-type]
    if register is not None:
        hits = document_hits("index.html", page, register)
        if hits:
            if notes is not None:
                n_nip = sum(v for k, v in hits.items() if k != "nama")
                notes.append(
                    TEXT("indeks_pribadi", bahasa, nip=n_nip, nama=hits.get("nama", 0))  # type: ignore[arg-type]
                )
            return out_dir / "index.html"
    return atomic_write(out_dir / "index.html", page)


# ----------------------------------------------------------------------------- batch


def _small_opd_runs(
    notebooks: Mapping[str, NotebookSpec],
    periods: Sequence[str],
    out_dir: Path,
    small: Mapping[str, Mapping[str, int]],
    folders: Mapping[str, str],
    settings: BatchSettings,
    bahasa: str,
    cache_root: Path | None = None,
) -> list[RunResult]:
    """The per-OPD runs not made because the OPD has fewer than ``min_sel`` ASN in their
    period (``small``: per period, ``{opd: n_asn}`` of
    :func:`~kinerja_analysis.reporting.tables.small_opds`; ``folders`` the folder of every
    OPD): one ``dilewati`` result each (``reason="opd_kecil"``, the message in ``bahasa``,
    which gives the period and its count). An earlier document of such an OPD for that
    period in ``out_dir`` (a folder the batch made, with its manifest) is withdrawn, since
    it would publish a small group's figures, and so is a failed notebook of it an
    earlier batch kept in ``cache_root/gagal``; its documents of other periods, where it
    is large enough, are not touched."""
    if not settings.per_opd or not small:
        return []
    out: list[RunResult] = []
    for periode in periods:
        for nb in notebooks.values():
            if nb.lintas or nb.kode not in settings.per_opd_notebooks:
                continue
            for opd, n in sorted(small.get(periode, {}).items()):
                folder = out_dir / periode / "opd" / folders[opd]
                if within(folder, out_dir) and (folder / _MANIFEST).is_file():
                    shutil.rmtree(folder, ignore_errors=True)
                if cache_root is not None:
                    failed = cache_root / "gagal" / periode
                    failed /= f"{nb.kode}_{nb.name}__{folders[opd]}.ipynb"
                    failed.unlink(missing_ok=True)
                message = TEXT(
                    "ringkas_opd_kecil" if n else "ringkas_opd_kosong",
                    bahasa,  # type: ignore[arg-type]
                    opd=opd,
                    periode=periode,
                    n=n,
                    min_sel=settings.min_sel,
                )
                out.append(
                    RunResult(
                        f"{periode}/opd/{folders[opd]}/{nb.kode}",
                        periode,
                        nb.kode,
                        opd,
                        "dilewati",
                        message=message,
                        reason="opd_kecil",
                    )
                )
    return out


def _withdraw_gone_opds(
    out_dir: Path, periods: Sequence[str], folders: Mapping[str, str]
) -> dict[str, int]:
    """Remove the per-OPD folders of ``periods`` under ``out_dir`` whose OPD is not in
    the data any more; ``{periode: number removed}`` (periods with none left out).

    ``folders`` is the folder of every OPD of the register (:func:`folder_names`). A
    folder under ``<periode>/opd/`` that is none of them was written by a batch of
    earlier data, for an OPD since renamed, merged or removed: beside the new documents
    of the same period it would publish two head-counts of the same people (and its
    numbers come from other data). Only folders a batch made (with its manifest) are
    removed; the index no longer lists them.
    """
    keep = set(folders.values())
    gone: dict[str, int] = {}
    for periode in periods:
        base = out_dir / periode / "opd"
        if not base.is_dir():
            continue
        for folder in sorted(base.iterdir()):
            if folder.name in keep or not folder.is_dir() or folder.is_symlink():
                continue
            if within(folder, out_dir) and (folder / _MANIFEST).is_file():
                shutil.rmtree(folder, ignore_errors=True)
                gone[periode] = gone.get(periode, 0) + 1
    return gone


def _prepare_cache(ds, cache_root: Path) -> Path:
    """Write the validated tables once to ``<cache_root>/data`` (reused if unchanged)."""
    data = cache_root / "data"
    meta = data / "meta.json"
    if meta.exists():
        try:
            old = json.loads(meta.read_text("utf-8"))
            same = (old.get("version"), old.get("checksum"), old.get("bahasa")) == (
                CACHE_VERSION,
                ds.checksum,
                ds.validation.bahasa,
            )
            if same:
                return data
        except (OSError, json.JSONDecodeError, AttributeError):
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


def _period_source(ds: Dataset) -> str:
    """The file the dataset's periods come from (``skp``, else ``penilaian_resmi``)."""
    summary = ds.validation.summary
    for table in ("skp", "penilaian_resmi", "perilaku"):
        row = summary[summary["tabel"] == table]
        if len(row) and str(row["file"].iloc[0]):
            return str(row["file"].iloc[0])
    return "data"


def _rows_per_period(ds: Dataset) -> dict[str, int]:
    """Accepted rows per period of the table the periods come from."""
    for table in ("skp", "penilaian_resmi"):
        if table in ds.tables and "periode" in ds.tables[table].columns:
            return {str(k): int(v) for k, v in ds.tables[table]["periode"].value_counts().items()}
    return {}


def _has_rejects(ds: Dataset, periode: str) -> bool:
    """Whether validation rejected rows of ``periode``, its period read as validation
    reads it (``Triwulan II 2025``, ``TW II 2025``, ``2025-Q2`` are 2025Q2)."""
    rows = ds.validation.rejected_rows or {}
    return any(
        "periode" in df.columns and periode in period_codes(pd.unique(df["periode"]))
        for df in rows.values()
    )


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
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()
    psutil.wait_procs(procs, timeout=5)


def _default_cache(out: Path) -> Path:
    return out.parent / f".{out.name}-cache"


def _profile_file(profil: AgencyProfile, cache_root: Path) -> str:
    """A file the notebooks can read the profile from (its own, or a copy in the cache)."""
    if profil.source is not None:
        return str(profil.source)
    p = cache_root / "profil.yaml"
    atomic_write(p, profil.to_yaml())
    return str(p)


def _resolve_profile(
    profil: AgencyProfile | str | os.PathLike | None,
    data: Path,
    mapping: object,
    bahasa: fmt.Bahasa = "id",
) -> AgencyProfile:
    """The agency profile; without one, the bundled example — only for the synthetic city."""
    if profil is None and (mapping is not None or not (data / "truth.json").is_file()):
        raise ValueError(MESSAGES("tanpa_profil", bahasa, contoh=BUNDLED_PROFILE))
    try:
        return load_profile(profil)
    except ProfileError as exc:
        raise ValueError(exc.text(bahasa)) from None


def run_batch(
    data_dir: str | os.PathLike,
    out_dir: str | os.PathLike,
    settings: BatchSettings | None = None,
    *,
    shared_hook: Callable[[Any, Path], None] | None = None,
    progress: bool = True,
    console=None,
    **options: Any,
) -> BatchSummary:
    """Validate the data once, then write every period's reports. See the module docstring.

    Parameters
    ----------
    data_dir, out_dir
        Dataset folder and report folder (``reports/``).
    settings
        The batch's :class:`BatchSettings` (default: all defaults).
    **options
        Any field of :class:`BatchSettings` as a keyword (``periods``, ``per_opd``,
        ``workers``, ``force``, ``bahasa``, ``min_sel``, ``notebooks``, ``seed``,
        ``formats``, ``mapping``, ``pseudonim``, ``profile``, ``notebook_dir``,
        ``per_opd_notebooks``, ``cache_dir``, ``lock_wait``); it replaces that field of
        ``settings``. A period that is not of the profile's kind or not in the data
        raises ``ValueError`` before any heavy work. The default profile, the bundled
        Kotalama example, is allowed only for the synthetic city (a data folder with
        ``truth.json`` and no mapping). ``cache_dir`` (the batch's private working
        folder: validated tables, shared models, logs and failed runs' notebooks —
        employee-level data) must lie outside the report folder; default
        :func:`default_cache_dir` (``.<data name>-cache`` beside the data folder).
    shared_hook
        ``hook(dataset, shared_dir)`` called once before the runs; default
        :func:`kinerja_analysis.analyses.shared.prepare_shared`.
    progress, console
        Show phases and a progress bar (on ``console``, default stderr).

    Returns
    -------
    BatchSummary
        ``.tidy()`` has one row per run; ``.exit_code`` is 0 when nothing failed;
        ``.settings`` the settings the batch ran with (profile, language, ``min_sel``
        resolved).

    Raises
    ------
    TypeError
        A keyword that is not a field of :class:`BatchSettings`.
    ValueError
        A parameter is wrong (period, language, format, notebook, profile); a period
        the data do not have is a :class:`~kinerja_analysis.core.errors.PeriodError`
        (a ``ValueError``). The message is in the batch's language.
    DatasetError
        The data folder or the mapping cannot be used.
    FolderBusy
        Another batch is writing to ``out_dir`` (or uses the same cache).
    KeyboardInterrupt
        After cancelling pending runs and killing the workers; reports published before
        stay intact.
    """
    t0 = time.perf_counter()
    settings = dataclasses.replace(settings or BatchSettings(), **options)
    own_profile = settings.profile is not None
    # --- 1. parameters, before any heavy work
    # messages in the language asked for, else the profile's (read for its language
    # only: the checks below come before the profile is used)
    if isinstance(settings.profile, AgencyProfile) and settings.bahasa not in ("id", "en"):
        say = settings.profile.bahasa
    else:
        say = _message_language(
            settings.bahasa,
            settings.profile if isinstance(settings.profile, (str, os.PathLike)) else None,
        )
    bad = [f for f in settings.formats if f not in FORMATS]
    if bad or not settings.formats:
        raise ValueError(MESSAGES("format", say, bad=bad, allowed=FORMATS))
    out = Path(out_dir).resolve()
    data = check_data_folder(data_dir, say).resolve()
    for problem in (
        path_problem(out_dir, "folder", "out_batch", say),
        path_problem(settings.cache_dir, "folder", "cache", say) if settings.cache_dir else None,
        path_problem(settings.profile, "file", "config", say)
        if isinstance(settings.profile, (str, os.PathLike))
        else None,
        path_problem(settings.mapping, "file", "mapping", say) if settings.mapping else None,
    ):
        if problem is not None:
            raise ParameterError(problem)
    settings = settings.resolve(_resolve_profile(settings.profile, data, settings.mapping, say))
    profil, bahasa = settings.profile, settings.bahasa
    if bahasa not in ("id", "en"):
        raise ValueError(MESSAGES("bahasa", "id", value=bahasa))
    if not _whole(settings.min_sel) or settings.min_sel < 1:
        raise ValueError(MESSAGES("min_sel", bahasa, value=settings.min_sel))
    if settings.workers is not None and (not _whole(settings.workers) or settings.workers < 1):
        raise ValueError(MESSAGES("workers", bahasa, value=settings.workers))
    found = find_notebooks(settings.notebook_dir, bahasa=bahasa)
    asked = [*(settings.notebooks or ()), *(settings.per_opd_notebooks if settings.per_opd else ())]
    unknown = [k for k in dict.fromkeys(asked) if k not in found]
    if unknown:
        raise ValueError(MESSAGES("notebook", bahasa, unknown=unknown, available=sorted(found)))
    if settings.notebooks is not None:
        found = {k: v for k, v in found.items() if k in settings.notebooks}
    scan = scan_period_values(data, settings.mapping, bahasa)
    available = scan.codes if scan is not None else None
    if own_profile and scan is not None:
        problem = check_profile_kind(
            profil, scan.codes, scan.file, scan.column, scan.examples, bahasa
        )
        if problem:
            raise ValueError(problem)
    if not own_profile and available:
        # the bundled example stands in for the synthetic city: it takes the city's
        # period kind (a monthly synthetic city is reported by month)
        kind = {parse_period(c).kind for c in available}
        if len(kind) == 1:
            word = {v: k for k, v in PERIOD_KINDS.items()}[kind.pop()]
            profil = dataclasses.replace(profil, period=word)
            settings = dataclasses.replace(settings, profile=profil)
    chosen = check_periods(settings.periods, profil, available, bahasa)
    cache_root = (
        Path(settings.cache_dir).resolve()
        if settings.cache_dir is not None
        else default_cache_dir(data, out)
    )
    if within(cache_root, out):
        raise ValueError(MESSAGES("cache_di_laporan", bahasa))
    if within(out, data):
        raise ValueError(MESSAGES("laporan_di_data", bahasa))

    # --- 2. one batch per report folder and per cache
    out.mkdir(parents=True, exist_ok=True)
    cache_root.mkdir(parents=True, exist_ok=True)
    with (
        FolderLock(out, wait=settings.lock_wait),
        FolderLock(cache_root, wait=settings.lock_wait),
    ):
        # date "T" time "_" random: never a run of 15+ digits, which the log's filter of
        # identifiers would read as a NIP and hide (the id must stay findable in the log)
        batch_id = f"{_dt.datetime.now():%Y%m%dT%H%M%S}_{uuid.uuid4().hex[:8]}"
        con = BatchConsole(
            console,
            progress=progress,
            log_path=cache_root / "log" / f"batch-{batch_id}.log",
            bahasa=bahasa,
        )
        con.log(f"batch {batch_id}: data={data} out={out} profil={profil.government(bahasa)}")
        if settings.min_sel == 1:  # accepted, but the project's privacy rule is then off
            con.say(con.t("min_sel_satu", bawaan=DEFAULTS.min_sel), style="yellow")
        shutil.rmtree(cache_root / "kerja", ignore_errors=True)  # staging of dead batches

        # --- 3. validate once, shared models once
        with con.phase("validasi"):
            # the identifiers of the rating and SKP rows dictionary-encoded: the shared
            # models read them so (the same results as on text, tested), a province's
            # tables take about 2.7 GB less at 100,000 ASN; the cache written from them
            # reads back as text in the reports
            ds = load_dataset(
                data,
                mapping=settings.mapping,
                pseudonim=settings.pseudonim,
                bahasa=bahasa,
                keys="categorical",
            )
        con.say(
            con.t(
                "validasi_ok",
                n_pegawai=fmt.number(len(ds.pegawai), 0, bahasa),
                n_periode=len(ds.periods),
                periode=f"{ds.periods[0]}–{ds.periods[-1]}",
            )
        )
        n_rej = int(ds.validation.summary["rows_rejected"].sum())
        if n_rej:
            con.say(con.t("ditolak", n=fmt.number(n_rej, 0, bahasa)), style="yellow")
        if own_profile:  # the quick scan may not have read the periods
            problem = check_profile_kind(
                profil, ds.periods, _period_source(ds), "periode", {}, bahasa
            )
            if problem:
                raise ValueError(problem)
        # every NIP and name of the register (rejected employees too): the documents, the
        # index and the console are checked against it, the log is redacted with it
        _, names = register_texts(ds)
        con.redact = Redactor(names)
        # a table the reports rest on that lost most of its rows (a register whose Unit
        # Kerja cells are empty on 244 of 250 rows), a sheet or a file not read as given
        # (an old copy, a hidden sheet, ``umpan_balik 2024.csv``): said here too, not
        # only by validate
        warnings = ds.validation.structural_warnings()
        for line in warnings[:STRUCTURE_SHOWN]:
            con.say(plain(line, 600), style="yellow")
        if len(warnings) > STRUCTURE_SHOWN:
            con.say(con.t("struktur_lain", k=len(warnings) - STRUCTURE_SHOWN), style="yellow")
        register = personal_register(ds, allow=[profil.signatory.name] if profil.signatory else ())
        # a profile that prints a NIP or a name would fail every document at its last
        # check: said now, naming the profile's key, before any heavy work
        try:
            profil.check_personal_data(register)
        except ProfileError as exc:
            raise ValueError(exc.text(bahasa)) from None
        # periods the agency expects a report for; a period whose rows were all rejected
        # becomes a failed run that names its rejects (the other periods go on)
        wanted = (
            chosen
            if chosen is not None
            else raw_periods(scan, ds.validation, ds.periods, _rows_per_period(ds))
        )
        lost, partial = period_problems(ds.validation, ds.periods, wanted, scan, bahasa)
        unknown = [p for p in lost if scan is None and not _has_rejects(ds, p)]
        if unknown:
            raise PeriodError(
                MESSAGES(
                    "periode_tidak_ada",
                    bahasa,
                    missing=", ".join(unknown),
                    available=", ".join(ds.periods),
                )
            )
        for line in partial.values():  # only the periods written (not in the summary either)
            con.say(plain(line, 600), style="yellow")
        chosen = [p for p in wanted if p in ds.periods]
        cache_data = _prepare_cache(ds, cache_root)
        shared = cache_root / "shared"
        shared.mkdir(parents=True, exist_ok=True)
        # a window whose shared models fail fails its own period's runs, not the batch
        window_failed: dict[str, Exception] = {}
        with con.phase("bersama"):
            if not chosen:
                pass
            elif shared_hook is None:
                prepare_shared(
                    ds,
                    shared,
                    periods=chosen,
                    seed=settings.seed,
                    on_error=window_failed.__setitem__,
                )
            else:
                shared_hook(ds, shared)
        for p, exc in window_failed.items():
            con.log(f"shared window {p} failed: {_error_message(exc)}")

        # --- 4. plan and skip what is unchanged
        # the OPDs of whoever was an ASN in some period of the data (not of those who left
        # before it begins: a register may list them, with an OPD since dissolved)
        opds = (
            sorted(data_through(ds, ds.periods[-1]).pegawai["opd"].dropna().astype(str).unique())
            if settings.per_opd
            else []
        )
        # an OPD with fewer than min_sel ASN in a period gets no document for that period
        # (every figure in it would describe fewer than min_sel people), one it has for
        # the periods it is large enough in; decided per period on the register as that
        # period's documents count it, before any kernel starts, so no failed notebook
        # with its numbers is kept either, and an earlier document of it is withdrawn
        small = (
            {
                p: {o: n for o, n in small_opds(ds, p, settings.min_sel).items() if o in opds}
                for p in [*chosen, *lost]
            }
            if settings.per_opd
            else {}
        )
        all_folders = folder_names(opds)
        where = dict(
            opd_folders=all_folders,
            data_dir=data,
            cache_dir=cache_data,
            checksum=ds.checksum,
            periode_data=ds.periods,
            opds=opds,
            opds_by_period={p: [o for o in opds if o not in n] for p, n in small.items()},
            profile_path=_profile_file(profil, cache_root),
        )
        plan = plan_runs(
            found, chosen, out, settings, staging_root=cache_root / "kerja" / batch_id, **where
        )
        not_run = plan_runs(  # periods without usable rows: nothing to run
            {k: v for k, v in found.items() if not v.lintas},
            list(lost),
            out,
            settings,
            staging_root=cache_root / "kerja" / f"{batch_id}-x",
            **where,
        )
        results: dict[str, RunResult] = {}
        todo: list[RunSpec] = []
        for spec in plan:
            _remove_leftovers(spec.folder)
            if spec.periode in window_failed:
                results[spec.key] = _log_run(
                    spec, _window_failure(spec, window_failed, bahasa), register
                )
                continue
            entry = None if settings.force else _unchanged(spec)
            if entry is not None:
                results[spec.key] = RunResult(
                    spec.key,
                    spec.periode,
                    spec.notebook.kode,
                    spec.opd,
                    "dilewati",
                    outputs=tuple(entry.get("keluaran", ())),
                    message="masukan tidak berubah",
                    headline_figures=entry.get("angka_utama", {}),
                )
            else:
                todo.append(spec)
        con.say(con.t("rencana", n_run=len(plan), n_baru=len(todo), n_lewat=len(plan) - len(todo)))
        small_runs = _small_opd_runs(  # the periods without usable rows too
            found, [*chosen, *lost], out, small, all_folders, settings, bahasa, cache_root
        )
        for r in small_runs:
            results[r.key] = r
            con.log(f"run {r.key}: no document (OPD below min_sel)")
        if settings.per_opd:
            for periode, n in _withdraw_gone_opds(out, [*chosen, *lost], all_folders).items():
                con.say(con.t("ringkas_opd_hilang", n=n, periode=periode))
                con.log(f"{periode}: {n} per-OPD folders of OPDs not in the data withdrawn")
        for spec in not_run:  # marks an earlier good report of the period as not updated
            results[spec.key] = _log_run(
                spec,
                RunResult(
                    spec.key,
                    spec.periode,
                    spec.notebook.kode,
                    spec.opd,
                    "gagal",
                    message=lost[spec.periode],
                    no_usable_data=True,
                    reason="data",
                ),
                register,
            )

        # --- 5. run
        try:
            if todo:
                _execute(
                    todo,
                    results,
                    workers=settings.workers,
                    con=con,
                    log_dir=cache_root / "log",
                    register=register,
                )
        finally:
            shutil.rmtree(cache_root / "kerja" / batch_id, ignore_errors=True)
            redact_worker_logs(cache_root / "log", con.redact)
        # --- 6. index
        index_notes: list[str] = []
        index = _write_index(
            out,
            bahasa,
            profil,
            {  # per period, the OPDs whose document this batch did not make, and their ASN
                p: {r.opd: small[p][r.opd] for r in small_runs if r.periode == p and r.opd}
                for p in [*chosen, *lost]
            },
            settings.min_sel,
            register,
            index_notes,
        )
        for line in index_notes:
            con.log(line)
        ordered = tuple(results[s.key] for s in [*plan, *not_run]) + tuple(small_runs)
        for r in ordered:
            con.log(f"run {r.key}: {r.status} {r.message}")
        return BatchSummary(
            ordered,
            out,
            index,
            time.perf_counter() - t0,
            cache_root,
            con.log_path,
            tuple([*partial.values(), *index_notes, *con.warning_lines()]),
            bahasa,
            settings,
            con.redact,
        )


@contextlib.contextmanager
def _sigint_ignored():
    """Ignore SIGINT while pool workers are spawned: they start with it ignored (the
    disposition survives exec), so a Ctrl-C at that moment prints no child traceback."""
    try:
        old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


def _execute(
    todo: list[RunSpec],
    results: dict[str, RunResult],
    *,
    workers: int | None,
    con: BatchConsole,
    log_dir: Path,
    register: Register | None = None,
) -> None:
    from rich.progress import (  # lazy: only for console output
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    n_workers = max(1, min(workers or os.cpu_count() or 1, len(todo)))
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=con.console,
        disable=not con.progress,
        transient=False,
    )
    ctx = multiprocessing.get_context("spawn")
    executor = ProcessPoolExecutor(
        n_workers,
        mp_context=ctx,
        initializer=_init_worker,
        # the CPUs no other worker uses draw this worker's figures
        initargs=(str(log_dir), con.redact, max(1, available_cpus() // n_workers), register),
    )
    futures: dict[Future, RunSpec] = {}
    t0 = time.perf_counter()
    try:
        with bar:
            task = bar.add_task(con.t("laporan"), total=len(todo))
            with _sigint_ignored():
                futures = {executor.submit(_run_one, s): s for s in todo}
            pending = set(futures)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for f in done:
                    spec = futures[f]
                    try:
                        res = f.result()
                    except Exception as exc:  # noqa: BLE001 - a crashed worker is a failed run
                        res = _crashed(spec, exc, con.bahasa)
                    res = _log_run(spec, res, register)
                    results[spec.key] = res
                    con.log(f"run {spec.key}: {res.status} ({res.seconds:.1f} s) {res.message}")
                    if res.original_error:
                        con.log(f"run {spec.key}: original error: {res.original_error}")
                    for line in res.stderr:
                        con.record_warning(line, "stderr")
                    shown = con.shown(plain(spec.key, 60))
                    bar.update(task, advance=1, description=f"{shown} {res.status}")
        executor.shutdown(wait=True)
        con.say(
            "✓ "
            + con.t(
                "selesai_fase",
                teks=con.t("laporan"),
                detik=duration(time.perf_counter() - t0, con.bahasa),
            )
        )
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
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help="File profil instansi (YAML: nama, jenis, logo, penandatangan, bahasa, "
            "min_sel, periode). Wajib kecuali untuk data contoh Kotalama.",
        ),
    ] = None,
    mapping: MappingOption = None,
    pseudonim: PseudonimOption = False,
    per_opd: Annotated[bool, typer.Option("--per-opd", help="Tulis juga laporan per OPD.")] = False,
    workers: Annotated[
        int | None,
        typer.Option("--workers", "-w", min=1, help="Jumlah proses; default jumlah CPU."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Jalankan ulang walau masukan tidak berubah.")
    ] = False,
    bahasa: Annotated[
        str | None, typer.Option("--bahasa", help="id atau en; default dari profil.")
    ] = None,
    min_sel: Annotated[
        int | None,
        typer.Option(
            "--min-sel", help="Ukuran kelompok terkecil yang ditampilkan; default dari profil."
        ),
    ] = None,
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
    tunggu: Annotated[
        float,
        typer.Option(
            "--tunggu",
            min=0.0,
            help="Detik menunggu bila batch lain sedang menulis ke folder laporan yang sama; "
            "default 0 (langsung berhenti).",
        ),
    ] = 0.0,
) -> None:
    """Validasi data sekali, lalu tulis laporan setiap periode (HTML, PDF, XLSX).

    Exit 0: semua laporan selesai (atau tidak berubah); 1: ada laporan yang gagal
    (notebook-nya di folder cache, gagal/); 2: data atau parameter tidak dapat dipakai;
    3: folder laporan sedang dipakai batch lain; 130: dibatalkan (Ctrl-C).
    """
    from rich.console import Console  # lazy: only for console output

    console = Console(stderr=True)
    if bahasa not in (None, "id", "en"):
        both = " / ".join(MESSAGES("bahasa", b, value=bahasa) for b in ("id", "en"))
        console.print(f"[bold red]{TEXT('kesalahan', 'id')}[/] {plain(both, 400)}", soft_wrap=True)
        raise typer.Exit(2)

    def say() -> str:  # read only when there is something to say
        return _message_language(bahasa, config)

    settings = BatchSettings(
        periods=periode or None,
        notebooks=notebook or None,
        per_opd=per_opd,
        bahasa=bahasa,
        min_sel=min_sel,
        profile=config,
        mapping=mapping,
        pseudonim=pseudonim,
        cache_dir=cache,
        workers=workers,
        force=force,
        lock_wait=tunggu,
    )
    try:
        summary = run_batch(data, out, settings, console=console)
    except KeyboardInterrupt:
        console.print(f"[yellow]{TEXT('dibatalkan_cli', say())}[/]")
        raise typer.Exit(130) from None
    except FolderBusy as e:
        held = Path(str(e)).resolve() if str(e) else out.resolve()
        if held == out.resolve():
            busy = TEXT("folder_dipakai", say(), out=plain(held, 400))
        else:  # the shared cache, held by a batch writing elsewhere
            busy = TEXT("cache_dipakai", say(), cache=plain(held, 400))
        console.print(f"[bold red]{busy}[/]", soft_wrap=True)
        raise typer.Exit(EXIT_BUSY) from None
    except DatasetError as e:
        head = TEXT("data_tidak_dapat_dipakai", say())
        console.print(f"[bold red]{head}[/] {plain_lines(e)}", soft_wrap=True)
        raise typer.Exit(2) from None
    except (ValueError, FileNotFoundError) as e:
        console.print(f"[bold red]{TEXT('kesalahan', say())}[/] {plain_lines(e)}", soft_wrap=True)
        raise typer.Exit(2) from None
    except Exception as e:  # noqa: BLE001 - never a bare traceback for the user
        # a file of the data that no check foresaw (validation reads every file and says
        # why it cannot; this is the last net): one line, exit 2
        error = plain(f"{type(e).__name__}: {e}", 400)
        console.print(
            f"[bold red]{TEXT('galat_tak_terduga', say(), error=error)}[/]", soft_wrap=True
        )
        raise typer.Exit(2) from None
    if len(summary.runs) <= 40 or summary.n_gagal:
        console.print(summary.rich_table())
    if rahasia:
        folder, paths = write_confidential(summary)
        console.print(
            f"[bold red]{TEXT('rahasia_ditulis', summary.bahasa, n=len(paths), folder=plain(folder, 400))}[/]",
            soft_wrap=True,
        )
    for line in summary.lines(summary.bahasa):
        console.print(line, highlight=False, soft_wrap=True)
    raise typer.Exit(summary.exit_code)


def _message_language(bahasa: str | None, config: str | os.PathLike | None) -> str:
    """The language of the command's own messages: ``--bahasa``, else the profile's
    (when it can be read), else Indonesian."""
    if bahasa in ("id", "en"):
        return bahasa
    if config is not None:
        try:
            return load_profile(config).bahasa
        except (ProfileError, OSError, ValueError):
            return "id"
    return "id"


def write_confidential(
    summary: BatchSummary, *, seed: int | None = None
) -> tuple[Path, list[Path]]:
    """``--rahasia``: the confidential individual feedback sheets of the batch's periods.

    One workbook per period that has a document in ``summary`` (written or unchanged),
    each from the shared results of that period's own window (as of the period, as its
    documents, with the batch's seed unless ``seed`` is given), into
    ``RAHASIA-<report folder>`` beside the report folder.

    Returns
    -------
    (folder, files written)
    """
    ds = Dataset.load_cache(summary.cache_dir / "data")
    periods = sort_periods(
        {
            r.periode
            for r in summary.runs
            if r.status in ("ok", "dilewati") and r.periode in ds.periods
        }
    )
    folder = summary.out_dir.parent / f"RAHASIA-{summary.out_dir.name}"
    seed = summary.settings.seed if seed is None else seed
    written: list[Path] = []
    for p in periods:
        h = load_or_compute_shared(ds, summary.cache_dir / "shared", through=p, seed=seed)
        written += write_confidential_sheets(ds, h, [p], folder)
    return folder, written


if __name__ == "__main__":  # python -m kinerja_analysis.pipeline.batch --data … --out …
    # lazy: the command line imports this module; its usage errors speak --bahasa
    from kinerja_analysis.pipeline.cli import app

    app(["batch", *sys.argv[1:]], prog_name="kinerja")
