"""Scale: wall time and peak memory of validation, the shared analysis and one period's
batch at 6,000, 20,000 and 100,000 ASN (8 quarters), and their growth exponents.

Run by hand (not in CI)::

    python bench/bench_scale.py                          # 6000 20000 100000
    python bench/bench_scale.py --sizes 6000 20000 --stages shared
    python bench/bench_scale.py --keys text              # identifiers as strings

Each synthetic city is generated once into ``--data-dir`` (default
``bench/results/data/kota_<n>``, outside git). Every stage runs in a fresh Python process
so that its peak RSS is its own (the batch's is the sum over its process tree, sampled):

``validate``
    :func:`~kinerja_analysis.data.loading.load_dataset` on the raw files, timed by
    ``bench/bench_validate.py`` when the columnar loader is present (skipped otherwise:
    the row-by-row loader needs about 40 GB at 100,000 ASN), with ``--keys`` as
    ``kinerja batch`` validates (``categorical``, the default) or as text.
``shared``
    Load the validated tables, then
    :func:`~kinerja_analysis.analyses.shared.compute_shared` — scores (360° rater model
    included), panel and every cross-period estimate. The tables come from the
    validated Parquet cache when the columnar loader is present, otherwise straight from
    the generator's Parquet files (valid by construction). ``--keys categorical``
    (default) keeps the identifier columns of the row-level tables dictionary-encoded,
    as Arrow reads them; ``--keys text`` holds them as strings (2.7 GB more at 100,000).
    The child prints its own split (load / compute) and the CPU seconds of each step;
    the rater reliability runs in a forked grandchild beside the other estimators (on a
    machine with two CPUs or more), so its step is not in that list, while the CPU and
    the peak memory of the stage are the whole process tree's (memory summed as PSS:
    the pages the fork shares with its parent counted once).
``batch``
    ``kinerja batch`` for the last period (every notebook of a period), cold cache.

Printed per stage and size: wall seconds, CPU seconds (user + system; on a shared
machine they show the work itself), peak RSS; then the growth exponent of time and
memory in the number of ASN (least-squares slope of log–log over the sizes run).
Targets (issue 12): the shared analysis of 100,000 ASN × 8 periods in <= 120 s wall and
<= 6 GB peak RSS on a 2-core machine. Results are also written to
``bench/results/bench_scale.json``.
"""

from __future__ import annotations

import argparse
import inspect
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from peak_rss import PeakRSS

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"

#: Run in the child process of the ``shared`` stage: load, compute, print JSON.
_SHARED = r"""
import functools, json, resource, sys, time
t0 = time.perf_counter()
folder, cache, keys = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, sys.argv[4])
from bench_scale import load_tables
ds = load_tables(folder, None if cache == "-" else cache, keys)
t_load = time.perf_counter() - t0
cpu_load = time.process_time()
from kinerja_analysis.analyses import shared as S
steps = {}
def timed(name, fn):
    @functools.wraps(fn)
    def run(*a, **k):
        c = time.process_time()
        try:
            return fn(*a, **k)
        finally:
            steps[name] = steps.get(name, 0.0) + time.process_time() - c
    return run
import importlib
for mod, name in (("analyses.shared", "aggregate_per_employee"),
                  ("analyses.training", "estimate_training_effects"),
                  ("analyses.shared", "_communication_on_service"),
                  ("analyses.feedback", "estimate_feedback_effects"),
                  ("analyses.rollout", "estimate_rollout_effects"),
                  ("analyses.ordinal", "fit_ordinal_predikat"),
                  ("domain.survey", "construct_scores"),
                  ("analyses.survey_panel", "estimate_communication_training_effect"),
                  ("analyses.rater_reliability", "rating_reliability")):
    m = importlib.import_module("kinerja_analysis." + mod)
    if hasattr(m, name):
        setattr(m, name, timed(name, getattr(m, name)))
t1 = time.perf_counter()
h = S.compute_shared(ds, aggregate=S.aggregate_per_employee)
t_compute = time.perf_counter() - t1
ru = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({
    "wall_s": time.perf_counter() - t0, "load_s": t_load, "compute_s": t_compute,
    "cpu_s": ru.ru_utime + ru.ru_stime, "cpu_load_s": cpu_load,
    "peak_rss": ru.ru_maxrss * 1024, "steps_cpu_s": steps,
    "notes": len(h.notes), "panel_rows": len(h.panel),
}))
"""


def columnar_loader() -> bool:
    """Whether the columnar loader with a validated-Parquet cache is installed."""
    from kinerja_analysis.data.loading import load_dataset

    return "cache" in inspect.signature(load_dataset).parameters


def load_tables(folder: str, cache: str | None, keys: str):
    """The validated dataset of ``folder``, identifiers dictionary-encoded or as text.

    With the columnar loader: from its Parquet cache (validated on first use), through
    ``load_dataset(keys=...)`` where the package has that option (identifier columns
    read dictionary-encoded; earlier code: encoded here by pandas). Otherwise
    the generator's Parquet files are read directly (synthetic data are valid by
    construction; every table keeps the loader's dtypes).
    """
    import pandas as pd

    from kinerja_analysis.data.contract import TABLES
    from kinerja_analysis.data.loading import Dataset, ValidationReport, load_dataset

    folder = Path(folder)
    if columnar_loader():
        if "keys" in inspect.signature(load_dataset).parameters:
            # read from the cache dictionary-encoded, as a user would for a province
            return load_dataset(folder, cache=cache, keys=keys)
        ds = load_dataset(folder, cache=cache)  # code before the keys option
        if keys == "categorical":
            tables = dict(ds.tables)
            for name in ("perilaku", "skp"):
                df = tables[name]
                tables[name] = df.assign(
                    **{c: df[c].astype("category") for c in _key_columns(name, df)}
                )
            ds = Dataset(**{**{f: getattr(ds, f) for f in _fields(ds)}, "tables": tables})
        return ds
    import pyarrow.parquet as pq

    tables = {}
    for name, table in TABLES.items():
        path = folder / f"{name}.parquet"
        if not path.is_file():
            continue
        schema = pq.read_schema(path)
        dict_cols = _key_columns(name, schema.names) if keys == "categorical" else []
        df = pq.read_table(path, read_dictionary=dict_cols or None).to_pandas()
        kinds = {c.name: c.kind for c in table.columns}
        for c in df.columns:
            kind = kinds.get(c)
            if isinstance(df[c].dtype, pd.CategoricalDtype):
                continue
            if kind == "date":
                df[c] = pd.to_datetime(df[c]).astype("datetime64[us]")
            elif kind == "bool":
                df[c] = df[c].astype("boolean")
            elif kind == "int":
                df[c] = df[c].astype("Int64")
            elif kind == "float":
                df[c] = df[c].astype("float64")
            elif df[c].dtype == object or pd.api.types.is_string_dtype(df[c]):
                df[c] = df[c].astype("string")
        order = [c.name for c in table.columns if c.name in df.columns]
        df = df[order + [c for c in df.columns if c not in order]]
        if name == "perilaku":
            df["skor"] = df["skor"].astype("int64")
        tables[name] = df
    periods = tuple(sorted({str(p) for p in tables["skp"]["periode"].unique()}))
    items = tuple(tables["survei_instrumen"]["item"].astype(str)) if "survei" in tables else ()
    report = ValidationReport(
        pd.DataFrame(),
        pd.DataFrame(columns=["tabel", "file", "baris", "kolom", "nilai", "aturan", "pesan"]),
    )
    return Dataset(
        tables=tables,
        validation=report,
        periods=periods,
        checksum=f"bench-{folder.name}",
        survey_items=items,
    )


def _fields(ds) -> list[str]:
    import dataclasses

    return [f.name for f in dataclasses.fields(ds)]


def _key_columns(name: str, columns) -> list[str]:
    """Identifier columns of a row-level table (kept dictionary-encoded)."""
    from kinerja_analysis.data.contract import TABLES

    kinds = {c.name: c.kind for c in TABLES[name].columns}
    wanted = {"nip", "periode", "category"}
    return [c for c in columns if kinds.get(c) in wanted or c in ("id_penilai", "indikator")]


def ensure_city(n: int, data_dir: Path, fmt: str) -> Path:
    """Generate the synthetic city of ``n`` ASN once (seed 2025, 8 quarters)."""
    folder = data_dir / f"kota_{n}"
    if (folder / "truth.json").is_file():
        return folder
    exe = Path(sys.executable).parent / "kinerja"
    subprocess.run(
        [str(exe), "generate-data", "--out", str(folder), "--n-pegawai", str(n)]
        + ["--format", fmt, "--force"],
        check=True,
        capture_output=True,
    )
    return folder


def run_child(cmd: list[str], *, tree: bool = False) -> dict:
    """Run ``cmd``; wall, CPU (user + system of the whole tree) and peak RSS.

    The peak is the child's own maximum RSS (``wait4``), or with ``tree`` the sampled
    sum over the child and its descendants (the batch's process pool).
    """
    t0 = time.perf_counter()
    out = tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, cwd=ROOT)
    sampler = PeakRSS(proc.pid).start() if tree else None
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    peak_tree = sampler.stop() if sampler else 0
    err = proc.stderr.read().decode(errors="replace")
    proc.returncode = os.waitstatus_to_exitcode(status)
    out.seek(0)
    text = out.read().decode(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[:3]} failed ({proc.returncode}):\n{err[-3000:]}")
    res = {"wall_s": wall, "cpu_s": ru.ru_utime + ru.ru_stime, "peak_rss": ru.ru_maxrss * 1024}
    if tree:
        res["peak_rss"] = max(peak_tree, res["peak_rss"])
    lines = [ln for ln in text.strip().splitlines() if ln.startswith("{")]
    if lines:
        res["child"] = json.loads(lines[-1])
    return res


def stage_validate(folder: Path, cache: Path, keys: str) -> dict | None:
    if not columnar_loader():
        return None
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_validate import measure_validate  # noqa: E402 - the data stream's bench

    return measure_validate(folder, cache=cache, keys=keys)


def stage_shared(folder: Path, cache: Path, keys: str) -> dict:
    cmd = [sys.executable, "-c", _SHARED, str(folder), str(cache), keys, str(ROOT / "bench")]
    res = run_child(cmd, tree=True)  # the rater reliability runs in a forked child
    child = res.pop("child")
    res.update({k: child[k] for k in ("load_s", "compute_s", "cpu_load_s", "steps_cpu_s", "notes")})
    return res


def stage_batch(folder: Path, out: Path, cache: Path, period: str) -> dict | None:
    if not columnar_loader() and _asn(folder) > 20_000:
        return None  # the row-by-row loader cannot validate a province on this machine
    exe = Path(sys.executable).parent / "kinerja"
    cmd = [str(exe), "batch", "--data", str(folder), "--out", str(out), "--periode", period]
    cmd += ["--cache", str(cache), "--force"]
    return run_child(cmd, tree=True)


def _asn(folder: Path) -> int:
    return int(folder.name.split("_")[-1])


def growth(sizes: list[int], values: list[float]) -> float:
    """Least-squares slope of log(value) on log(size)."""
    pts = [(math.log(s), math.log(v)) for s, v in zip(sizes, values, strict=True) if v > 0]
    if len(pts) < 2:
        return float("nan")
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / den


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[6000, 20000, 100000])
    ap.add_argument("--stages", nargs="+", default=["validate", "shared", "batch"])
    ap.add_argument("--keys", choices=["categorical", "text"], default="categorical")
    ap.add_argument("--data-dir", type=Path, default=RESULTS / "data")
    ap.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        help="keep the validated caches here between runs (kota_<n>/ each), so that "
        "--stages shared alone loads a cache (and validate, once the cache is there, "
        "measures a cache hit); default: a fresh temporary folder per size",
    )
    args = ap.parse_args()
    fmt = "csv" if columnar_loader() else "parquet"
    print(
        f"loader: {'columnar (validated Parquet cache)' if columnar_loader() else 'generator Parquet'}"
        f"; identifiers {args.keys}; {os.cpu_count()} cores"
    )
    rows: dict[str, dict[int, dict]] = {s: {} for s in args.stages}
    for n in args.sizes:
        folder = ensure_city(n, args.data_dir, fmt)
        with tempfile.TemporaryDirectory(prefix="bench_scale_") as tmp:
            cache = Path(tmp) / "cache"
            if args.cache_dir is not None:
                cache = args.cache_dir / f"kota_{n}"
            for stage in args.stages:
                if stage == "validate":
                    res = stage_validate(folder, cache / "data", args.keys)
                elif stage == "shared":
                    res = stage_shared(folder, cache / "data", args.keys)
                else:
                    res = stage_batch(folder, Path(tmp) / "reports", Path(tmp) / "batch", "2025Q4")
                if res is None:
                    print(f"{n:>7,} ASN  {stage:<8} skipped (needs the columnar loader)")
                    continue
                rows[stage][n] = res
                line = (
                    f"{n:>7,} ASN  {stage:<8} wall {res['wall_s']:7.1f} s  "
                    f"cpu {res['cpu_s']:7.1f} s  peak RSS {res['peak_rss'] / 2**30:5.2f} GiB"
                )
                if stage == "shared":
                    line += f"  (load {res['load_s']:.1f} s, compute {res['compute_s']:.1f} s)"
                print(line, flush=True)
                if stage == "shared":
                    steps = "  ".join(f"{k} {v:.1f}" for k, v in res["steps_cpu_s"].items())
                    print(f"{'':14}cpu s by step: {steps}", flush=True)
    print("\ngrowth exponent in the number of ASN (time ~ n^a, memory ~ n^b):")
    for stage, by_n in rows.items():
        if len(by_n) >= 2:
            ns = sorted(by_n)
            a_wall = growth(ns, [by_n[n]["wall_s"] for n in ns])
            a_cpu = growth(ns, [by_n[n]["cpu_s"] for n in ns])
            b = growth(ns, [by_n[n]["peak_rss"] for n in ns])
            print(f"  {stage:<8} wall a = {a_wall:.2f}   cpu a = {a_cpu:.2f}   memory b = {b:.2f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench_scale.json").write_text(
        json.dumps({s: {str(n): r for n, r in v.items()} for s, v in rows.items()}, indent=1)
    )


if __name__ == "__main__":
    main()
