"""Validation at scale: wall time and peak memory of ``load_dataset`` at 6k / 20k / 100k ASN.

Run by hand (not in CI)::

    python bench/bench_validate.py                      # 6000 20000 100000 ASN
    python bench/bench_validate.py --sizes 6000 --legacy  # also the old row-by-row loader

For each size the synthetic city (8 quarters) is generated once into ``--data-dir``
(default ``bench/results/data/``, not committed), then loaded in a fresh process each
time, so the peak RSS is the run's own: ``validasi`` (validate the CSV files), ``+cache``
(validate and write the partitioned Parquet cache) and ``cache`` (load from the cache
keyed by the files' checksums). Printed per run: CSV size, rows, wall seconds, CPU seconds
(user + system: on a shared machine they show the work itself), peak RSS and its ratio to
the CSV size; then the growth exponent of time and memory in the number of ASN (slope of
log-log). Targets (issue 12): peak RSS <= 2x the CSV size and 100,000 ASN x 8 periods in
<= 60 s wall on a 2-core machine.

``measure_validate(folder)`` is importable (``bench/bench_scale.py`` uses it).
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_RUNNER = r"""
import json, resource, sys, time
t0 = time.perf_counter()
mode, folder, cache = sys.argv[1], sys.argv[2], sys.argv[3]
if mode == "legacy":
    sys.path.insert(0, sys.argv[4])
    import legacy_loader as L
    ds = L.load_dataset(folder)
else:
    import inspect
    from kinerja_analysis.data.loading import load_dataset
    kw = {"cache": None if cache == "-" else cache}
    if sys.argv[4] != "text" and "keys" in inspect.signature(load_dataset).parameters:
        kw["keys"] = sys.argv[4]  # code before the option loads text
    ds = load_dataset(folder, **kw)
rows = int(sum(len(df) for df in ds.tables.values()))
wall = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_SELF)
rss, cpu = ru.ru_maxrss * 1024, ru.ru_utime + ru.ru_stime
print(json.dumps({"wall_s": wall, "cpu_s": cpu, "peak_rss": rss, "rows": rows,
                  "rejected": int(ds.validation.n_rejected), "periods": len(ds.periods)}))
"""


def csv_bytes(folder: Path) -> int:
    """Bytes of the dataset's table files (CSV/Parquet/XLSX at the top of the folder)."""
    return sum(
        p.stat().st_size
        for p in folder.iterdir()
        if p.is_file() and p.suffix in {".csv", ".parquet", ".xlsx"}
    )


def measure_validate(
    folder: Path, *, cache: Path | None = None, legacy: bool = False, keys: str = "text"
) -> dict:
    """Validate ``folder`` in a fresh Python process; wall seconds and peak RSS (bytes).

    With ``cache`` the validated tables are stored there (cold run) or read from there
    (warm run, when the raw files are unchanged). ``keys="categorical"``: the identifier
    columns of the rating and SKP rows come out dictionary-encoded, as ``kinerja batch``
    validates (``load_dataset(keys=...)``).
    """
    cmd = [sys.executable, "-c", _RUNNER, "legacy" if legacy else "new", str(folder)]
    cmd.append(str(cache) if cache is not None else "-")
    cmd.append(str(ROOT / "tests") if legacy else keys)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    res["process_wall_s"] = time.perf_counter() - t0
    res["csv_bytes"] = csv_bytes(folder)
    return res


def ensure_city(data_dir: Path, n: int, seed: int = 2025) -> Path:
    """The synthetic city of ``n`` ASN (8 quarters), generated once."""
    folder = data_dir / f"kota_{n}"
    if not (folder / "truth.json").is_file():
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "kinerja_analysis.pipeline.cli", "generate-data",
             "--out", str(folder), "--n-pegawai", str(n), "--seed", str(seed), "--force"],
            check=True, cwd=ROOT,
        )  # fmt: skip
        print(f"  generated {n:,} ASN in {time.perf_counter() - t0:.0f} s", flush=True)
    return folder


def _slope(xs: list[float], ys: list[float]) -> float:
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    num = sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True))
    den = sum((a - mx) ** 2 for a in lx)
    return num / den if den else float("nan")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[6000, 20000, 100000])
    ap.add_argument("--data-dir", type=Path, default=ROOT / "bench" / "results" / "data")
    ap.add_argument("--legacy", action="store_true", help="also time the old row-by-row loader")
    args = ap.parse_args(argv)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    gb = 1024**3
    print(
        f"{'ASN':>8} {'CSV GB':>7} {'rows M':>7} {'run':>8} {'wall s':>7} {'CPU s':>7} "
        f"{'peak GB':>8} {'RSS/CSV':>8}"
    )
    for n in args.sizes:
        folder = ensure_city(args.data_dir, n)
        cache = args.data_dir / f"cache_{n}"
        shutil.rmtree(cache, ignore_errors=True)
        runs = [("validasi", measure_validate(folder))]
        runs.append(("+cache", measure_validate(folder, cache=cache)))
        runs.append(("cache", measure_validate(folder, cache=cache)))
        if args.legacy:
            runs.append(("lama", measure_validate(folder, legacy=True)))
        for name, r in runs:
            print(
                f"{n:>8,} {r['csv_bytes'] / gb:>7.2f} {r['rows'] / 1e6:>7.2f} {name:>8} "
                f"{r['process_wall_s']:>7.1f} {r['cpu_s']:>7.1f} {r['peak_rss'] / gb:>8.2f} "
                f"{r['peak_rss'] / r['csv_bytes']:>8.2f}",
                flush=True,
            )
        rows.append((n, runs[0][1]))
    if len(rows) >= 2:
        ns = [float(n) for n, _ in rows]
        print(
            "growth exponent (validasi): wall "
            f"{_slope(ns, [r['process_wall_s'] for _, r in rows]):.2f}, peak RSS "
            f"{_slope(ns, [float(r['peak_rss']) for _, r in rows]):.2f}"
        )


if __name__ == "__main__":
    main()
