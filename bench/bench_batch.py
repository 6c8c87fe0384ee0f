"""Benchmark: the batch (process pool, papermill API, HTML+PDF+XLSX) vs a naive loop.

The naive loop is what a team would write by hand: for every period and notebook,
``papermill`` on the command line (each notebook validates the raw data itself), then
``jupyter nbconvert --to html --no-input``. It makes HTML only (nbconvert's PDF needs
LaTeX or a downloaded Chromium), so the batch does strictly more work.

Usage::

    .venv/bin/python bench/bench_batch.py --n-pegawai 1000 --notebooks 10 [--workers 2]

Prints wall times, the ratio and the peak resident memory of the process tree (sampled
every 0.2 s with psutil). Not run in CI.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from kinerja_analysis.data.loading import load_dataset
from kinerja_analysis.data.synth import generate, write_dataset
from kinerja_analysis.pipeline.batch import find_notebooks, run_batch, to_ipynb


class PeakRSS:
    """Peak summed RSS of this process and all its descendants, sampled in a thread."""

    def __init__(self, every: float = 0.2) -> None:
        self.every, self.peak, self._stop = every, 0, threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for p in [me, *me.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(self.every)

    def __enter__(self) -> PeakRSS:
        self._t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._t.join()


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
    ap.add_argument("--n-pegawai", type=int, default=1000)
    ap.add_argument("--notebooks", default="00,10,20,30,90", help="codes, comma-separated")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--seed", type=int, default=2025)
    args = ap.parse_args()
    codes = args.notebooks.split(",")
    root = Path(tempfile.mkdtemp(prefix="bench_kinerja_"))
    try:
        data = root / "data"
        write_dataset(generate(n_pegawai=args.n_pegawai, seed=args.seed), data)
        periods = list(load_dataset(data).periods)
        print(f"{args.n_pegawai} ASN, {len(periods)} periode, notebook {codes}")

        t0 = time.perf_counter()
        with PeakRSS() as mem_b:
            s = run_batch(
                data, root / "batch", workers=args.workers, notebooks=codes, progress=False
            )
        t_batch = time.perf_counter() - t0
        assert s.ok, s.tidy()[["kunci", "pesan"]]

        t0 = time.perf_counter()
        with PeakRSS() as mem_n:
            naive(data, root / "naive", periods, codes)
        t_naive = time.perf_counter() - t0

        n = len(s.runs)
        print(
            f"batch (HTML+PDF+XLSX, {n} runs): {t_batch:7.1f} s   peak RSS {mem_b.peak / 2**20:7.0f} MiB"
        )
        print(
            f"naive (papermill + nbconvert CLI, HTML): {t_naive:7.1f} s   peak RSS {mem_n.peak / 2**20:7.0f} MiB"
        )
        print(f"ratio naive / batch: {t_naive / t_batch:.2f}x")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
