"""Benchmark: the phases of one report run beside its floor, and the batch beside a
naive papermill + nbconvert loop.

A report run is: start a kernel, import the package, load the validated tables and the
shared results from the batch's cache, compute the period's facts, tables and figures
(the notebook's cells), then export HTML, PDF and XLSX. Its *floor* — what any run must
pay — is kernel start + imports + loading the cached shared results; issue 12 asks for a
run within 2x of it.

Phases are measured the way the batch runs a notebook (its own call,
:func:`kinerja_analysis.pipeline.execution.execute_notebook`), each in a fresh kernel:

- ``kernel``: papermill's time to the first cell (start, connect), from a one-cell notebook;
- ``imports``: the notebook's import cell alone;
- ``load``: ``setup(...)`` on the batch cache plus ``doc.shared`` (cached shared results);
- ``compute``: the report notebook's whole call minus the floor's whole call (its cells
  after ``setup``: facts, tables, figures, and papermill's handling of their outputs;
  figures are drawn beside the later cells and put in place by the cell the batch adds
  after the last one, :func:`kinerja_analysis.reporting.notebook.finish_figures`);
- ``exports``: the HTML, PDF and XLSX as the batch renders them
  (:func:`kinerja_analysis.pipeline.batch.render_outputs`: the XLSX is written in a
  forked child while the PDF renders, when a CPU is free);
- ``html``, ``pdf``, ``xlsx``: the same three one after the other, in process (the
  breakdown of ``exports``).

Then the batch (every notebook of the period: process pool, papermill API, HTML + PDF +
XLSX) against the naive loop a team would write by hand: per notebook ``papermill`` on
the command line (each notebook validates the raw data itself) and ``jupyter nbconvert
--to html --no-input`` (HTML only: nbconvert's PDF needs LaTeX or a downloaded Chromium).

Usage::

    .venv/bin/python bench/bench_batch.py --n-pegawai 6000 [--notebook 10] [--repeat 3]

Prints seconds per phase (median of ``--repeat``), the ratio of a run to its floor, and
the batch vs naive wall times with peak resident memory of the process tree. Not run in CI.
"""

from __future__ import annotations

import argparse
import logging
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from peak_rss import PeakRSS

from kinerja_analysis.data.synth import generate, write_dataset
from kinerja_analysis.pipeline.batch import (
    NotebookSpec,
    RunSpec,
    find_notebooks,
    render_outputs,
    run_batch,
    to_ipynb,
)


def _cpu() -> float:
    """CPU seconds (user + system) of this process and of its children that have ended."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + ch.ru_utime + ch.ru_stime


def _execute(nb, params: dict, cwd: Path):
    """Run a notebook node exactly as the batch does (``pipeline.execution``: IPC kernel,
    the executed notebook saved as it runs); (executed notebook, wall seconds of the
    whole call, seconds per code cell, CPU seconds of the whole call: papermill here +
    the kernel)."""
    from kinerja_analysis.pipeline.execution import execute_notebook

    c0 = _cpu()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        out = execute_notebook(nb, Path(tmp) / "executed.ipynb", params, cwd)
    total = time.perf_counter() - t0
    cpu = _cpu() - c0
    cells = [
        float(c.metadata.get("papermill", {}).get("duration") or 0.0)
        for c in out.cells
        if c.cell_type == "code"
    ]
    return out, total, cells, cpu


def _notebook(cells: list[str]):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
    return nb


def _import_cell(nb) -> str:
    """The import statements of the report notebook's first code cell after parameters."""
    for cell in nb.cells:
        tags = set(cell.metadata.get("tags", []))
        if cell.cell_type == "code" and "parameters" not in tags:
            lines = cell.source.splitlines()
            return "\n".join(ln for ln in lines if ln.startswith(("import ", "from ")))
    return ""


def _timed(add, key: str, fn, *args, **kwargs):
    """Call fn, recording its wall seconds under key and its CPU seconds under 'cpu key'."""
    c, t = _cpu(), time.perf_counter()
    value = fn(*args, **kwargs)
    add(key, time.perf_counter() - t)
    add(f"cpu {key}", _cpu() - c)
    return value


def _xlsx(work: Path, dest: Path) -> None:
    """The report's workbook from the tables the notebook saved in its working folder."""
    from kinerja_analysis.reporting import export
    from kinerja_analysis.reporting.notebook import read_tables

    tables = read_tables(work)
    if tables:
        export.to_xlsx(tables, dest)


def _spec(params: dict, nb_path: Path) -> RunSpec:
    """A run of the notebook as the batch plans it, for :func:`render_outputs`."""
    return RunSpec(
        key=f"{params['periode']}/bench",
        notebook=NotebookSpec(kode="bench", name=nb_path.stem, title="bench", path=nb_path),
        periode=params["periode"],
        opd=None,
        folder=Path(params["output_dir"]),
        stem="bench",
        title="bench",
        periode_label=params["periode"],
        parameters=params,
        formats=("html", "pdf", "xlsx"),
        failed_path=Path(params["output_dir"]) / "gagal.ipynb",
        inputs={"data": "bench", "versi": "bench"},
    )


def _pages(pdf: Path) -> int:
    """Number of pages of a PDF."""
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def phases(nb_path: Path, params: dict, repeat: int) -> dict[str, float]:
    """Median seconds of each phase of one run (see the module docstring)."""
    import jupytext

    from kinerja_analysis.reporting import export

    nb = jupytext.read(str(nb_path))
    imports = _import_cell(nb)
    setup = (
        "from kinerja_analysis.reporting.notebook import setup\n"
        f"doc = setup(periode={params['periode']!r}, data_dir={params['data_dir']!r}, "
        f"output_dir={params['output_dir']!r}, cache_dir={params['cache_dir']!r}, "
        f"bahasa={params['bahasa']!r})\n"
        "doc.shared"
    )
    runs: dict[str, list[float]] = {}

    def add(k: str, v: float) -> None:
        runs.setdefault(k, []).append(v)

    cwd = nb_path.parent
    work = Path(params["output_dir"])
    for _ in range(repeat):
        _, total, cells, cpu_kernel = _execute(_notebook(["pass"]), {}, cwd)
        add("kernel", total - sum(cells))
        add("cpu kernel", cpu_kernel)
        _, _, cells, cpu_imports = _execute(_notebook([imports]), {}, cwd)
        add("imports", cells[0])
        add("cpu imports", cpu_imports - cpu_kernel)
        _, floor, cells, cpu_load = _execute(_notebook([imports, setup]), {}, cwd)
        add("load", cells[1])
        add("cpu load", cpu_load - cpu_imports)
        # the floor end to end: one call, kernel start to shutdown
        add("floor", floor)
        add("cpu floor", cpu_load)
        out, run, _, cpu_nb = _execute(nb, params, cwd)
        add("compute", run - floor)  # whole call against whole call: nothing left out
        add("cpu compute", cpu_nb - cpu_load)
        _timed(add, "exports", render_outputs, _spec(params, nb_path), out, work)
        html = _timed(add, "html", export.to_html, out, title="bench", periode=params["periode"])
        with tempfile.TemporaryDirectory() as tmp:
            _timed(add, "pdf", export.to_pdf, html, Path(tmp) / "r.pdf")
            _timed(add, "xlsx", _xlsx, Path(params["output_dir"]), Path(tmp) / "r.xlsx")
            add("pdf_pages", _pages(Path(tmp) / "r.pdf"))
        # the run end to end: the notebook's call, then its files as the batch renders them
        add("run", run + runs["exports"][-1])
        add("cpu run", cpu_nb + runs["cpu exports"][-1])
        add("html_bytes", len(html.encode()))
    med = {k: statistics.median(v) for k, v in runs.items()}
    return med


def naive(data: Path, out: Path, periods: list[str], codes: list[str]) -> None:
    bindir = Path(sys.executable).parent
    nbs = find_notebooks()
    out.mkdir(parents=True, exist_ok=True)
    for code in codes:
        nb = nbs[code]
        ipynb = to_ipynb(nb.path, out / f"{nb.path.stem}.ipynb")
        runs = [periods[-1]] if nb.lintas else periods
        for p in runs:
            executed = out / f"{nb.path.stem}_{p}.ipynb"
            subprocess.run(
                [
                    str(bindir / "papermill"),
                    str(ipynb),
                    str(executed),
                    "-p",
                    "periode",
                    p,
                    "-p",
                    "data_dir",
                    str(data),
                    "-p",
                    "output_dir",
                    str(out / f"tabel_{code}_{p}"),
                    "--cwd",
                    str(nb.path.parent),
                    "--no-progress-bar",
                ],
                check=True,
                capture_output=True,
            )
            subprocess.run(
                [str(bindir / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
                check=True,
                capture_output=True,
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n-pegawai", type=int, default=6000)
    ap.add_argument("--periode", default="2025Q4")
    ap.add_argument("--notebook", default="10", help="notebook code for the phase breakdown")
    ap.add_argument("--batch-notebooks", default="00,10,20,30", help="codes, comma-separated")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--skip-naive", action="store_true")
    ap.add_argument(
        "--root",
        type=Path,
        default=None,
        help="keep the data and the batch cache in this folder (reused when present)",
    )
    ap.add_argument(
        "--phases-only",
        action="store_true",
        help="only the phases of one run (the batch runs only to fill an empty cache)",
    )
    args = ap.parse_args()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("papermill").setLevel(logging.WARNING)
    codes = args.batch_notebooks.split(",")
    root = args.root or Path(tempfile.mkdtemp(prefix="bench_kinerja_"))
    try:
        data = root / "data"
        if not (data / "pegawai.csv").exists():
            write_dataset(generate(n_pegawai=args.n_pegawai, seed=args.seed), data)
        print(f"{args.n_pegawai} ASN, periode {args.periode}, notebooks {codes}")

        s = None
        if not (args.phases_only and (root / "cache" / "shared").is_dir()):
            t0 = time.perf_counter()
            with PeakRSS() as mem_b:
                s = run_batch(
                    data,
                    root / "batch",
                    periods=[args.periode],
                    workers=args.workers,
                    notebooks=codes,
                    progress=False,
                    cache_dir=root / "cache",
                    force=True,
                )
            t_batch = time.perf_counter() - t0
            assert s.ok, s.tidy()[["key", "message"]]

        nb = find_notebooks()[args.notebook]
        work = root / "run"
        params = {
            "periode": args.periode,
            "data_dir": str(data),
            "output_dir": str(work),
            "cache_dir": str(root / "cache" / "data"),
            "bahasa": "id",
            "opd": None,
            "min_sel": 5,
            "seed": args.seed,
        }
        ph = phases(nb.path, params, args.repeat)
        phase_keys = ("kernel", "imports", "load", "compute", "exports")
        floor_keys = ("kernel", "imports", "load")
        print(f"\none run of notebook {args.notebook} (median of {args.repeat}), seconds:")
        print(f"  {'phase':<8} {'wall':>6} {'CPU':>6}")
        for k in (*phase_keys, "html", "pdf", "xlsx"):
            label = k if k in phase_keys else f"  {k}"
            print(f"  {label:<8} {ph[k]:6.2f} {ph['cpu ' + k]:6.2f}")
        for label, prefix in (("wall", ""), ("CPU", "cpu ")):
            floor = sum(ph[prefix + k] for k in floor_keys)
            total = sum(ph[prefix + k] for k in phase_keys)
            print(
                f"  {label:<4} total {total:6.2f} / floor (kernel + imports + load) {floor:.2f}"
                f" = {total / floor:.2f}x"
            )
        for label, prefix in (("wall", ""), ("CPU", "cpu ")):
            run, floor = ph[prefix + "run"], ph[prefix + "floor"]
            print(
                f"  end to end, {label:<4} run {run:6.2f} / floor (imports + load notebook)"
                f" {floor:.2f} = {run / floor:.2f}x"
            )
        print(f"  PDF {ph['pdf_pages']:.0f} pages, HTML {ph['html_bytes'] / 1e6:.1f} MB")

        if s is None or args.phases_only:
            return
        n = len(s.runs)
        print(
            f"\nbatch ({n} runs, HTML+PDF+XLSX, shared results computed once): {t_batch:7.1f} s"
            f"   peak RSS {mem_b.peak / 2**30:5.2f} GB"
        )
        if not args.skip_naive:
            t0 = time.perf_counter()
            with PeakRSS() as mem_n:
                naive(data, root / "naive", [args.periode], codes)
            t_naive = time.perf_counter() - t0
            print(
                f"naive (papermill + nbconvert CLI, HTML only): {t_naive:7.1f} s"
                f"   peak RSS {mem_n.peak / 2**30:5.2f} GB"
            )
            print(f"ratio naive / batch: {t_naive / t_batch:.2f}x")
    finally:
        if args.root is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
