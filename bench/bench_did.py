"""Benchmark: kinerja's Callaway–Sant'Anna engine against diff-diff's, and TWFE.

Not a test. Writes a synthetic staggered panel (default 100,000 units × 10 periods,
seeded) to a Parquet file, then runs the same job with each implementation in fresh
processes (``--repeat`` times, medians reported):

- read the panel; ATT(g,t) (doubly robust, never-treated controls) without covariates,
  its simple and dynamic (event-study) aggregations with analytic standard errors; the
  same with the covariate ``x``; then the dynamic aggregation with a 999-draw multiplier
  bootstrap band;
- **whole process**: the wall time of the process (interpreter start, imports, reading,
  computing), measured from outside, with the band and without it; **compute only**: the
  fits and analytic aggregations, timed inside.

The other implementation is diff-diff (``CallawaySantAnna``, PyPI ``diff-diff``; not a
project dependency): give the interpreter that has it with ``--other-python`` (default:
this one). The script prints the times, their ratios, and the largest differences
between the two implementations' ATT(g,t), standard errors and event-study estimates.
Without covariates the two must agree to rounding; with a covariate diff-diff trims
propensity scores differently from R ``did`` (which kinerja follows), so differences of
order 1e-3 are expected there. Then ``kinerja.twfe`` against ``pyfixest.feols`` called
directly.

Usage: ``python bench/bench_did.py [--units 100000] [--periods 10] [--seed 0]
[--repeat 3] [--other-python PATH]``
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def make_panel(units: int, periods: int, seed: int) -> pd.DataFrame:
    """Staggered panel: cohorts start in periods 3..periods-1, ~25% never treated."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=units)
    cohorts = np.arange(3, periods)
    never = rng.random(units) < 1 / (1 + np.exp(0.8 + 0.5 * x))
    g = np.where(never, 0, rng.choice(cohorts, size=units))
    alpha = rng.normal(size=units)
    t = np.tile(np.arange(1, periods + 1), units)
    uid = np.repeat(np.arange(units), periods)
    gg = np.repeat(g, periods)
    e = t - gg
    eff = np.where((gg > 0) & (e >= 0), 0.1 * (e + 1), 0.0)
    y = (
        np.repeat(alpha, periods)
        + 0.05 * t
        + 0.1 * np.repeat(x, periods) * t / periods
        + eff
        + rng.normal(scale=0.5, size=units * periods)
    )
    return pd.DataFrame({"id": uid, "t": t, "g": gg, "x": np.repeat(x, periods), "y": y})


# The job, as each implementation runs it in a fresh process. Prints one JSON line.
OURS = r"""
import json, sys, time
t0 = time.perf_counter()
import pandas as pd
from kinerja_analysis.methods.did import staggered_did
t1 = time.perf_counter()
d = pd.read_parquet(sys.argv[1])
t2 = time.perf_counter()
out = {}
for label, cov in (("none", None), ("x", ["x"])):
    r = staggered_did(d, "y", "id", "t", "g", covariates=cov, n_boot=0)
    simple = r.aggregate("simple")
    dyn = r.aggregate("dynamic")
    a = r.att_gt
    out[label] = {"group": a["group"].tolist(), "time": a["time"].tolist(),
                  "att": a["estimate"].tolist(), "se": a["std_error"].tolist(),
                  "simple": float(simple["estimate"].iloc[0]),
                  "e": dyn["event_time"].iloc[1:].astype(int).tolist(),
                  "dyn": dyn["estimate"].iloc[1:].tolist(), "dyn_se": dyn["std_error"].iloc[1:].tolist()}
t3 = time.perf_counter()
if sys.argv[2] == "band":
    rb = staggered_did(d, "y", "id", "t", "g", n_boot=999, seed=1)
    t4 = time.perf_counter()
    rb.aggregate("dynamic")
else:
    t4 = time.perf_counter()
t5 = time.perf_counter()
out["times"] = {"import": t1 - t0, "read": t2 - t1, "compute": t3 - t2,
                "band_fit": t4 - t3, "band_dynamic": t5 - t4}
print(json.dumps(out))
"""

DIFF_DIFF = r"""
import json, sys, time, warnings
t0 = time.perf_counter()
warnings.simplefilter("ignore")
import pandas as pd
from diff_diff import CallawaySantAnna
t1 = time.perf_counter()
d = pd.read_parquet(sys.argv[1])
t2 = time.perf_counter()
out = {}
for label, cov in (("none", None), ("x", ["x"])):
    r = CallawaySantAnna(control_group="never_treated", estimation_method="dr",
                         n_bootstrap=0).fit(d, "y", "id", "t", "g", covariates=cov)
    es = r.aggregate("event_study")
    gt = sorted(r.group_time_effects.items())
    out[label] = {"group": [int(k[0]) for k, _ in gt], "time": [int(k[1]) for k, _ in gt],
                  "att": [float(v["effect"]) for _, v in gt], "se": [float(v["se"]) for _, v in gt],
                  "simple": float(r.overall_att),
                  "e": [int(e) for e in es.event_time], "dyn": [float(v) for v in es.att],
                  "dyn_se": [float(v) for v in es.se]}
t3 = time.perf_counter()
if sys.argv[2] == "band":
    rb = CallawaySantAnna(control_group="never_treated", estimation_method="dr",
                          n_bootstrap=999, seed=1).fit(d, "y", "id", "t", "g")
    t4 = time.perf_counter()
    rb.aggregate("event_study")
else:
    t4 = time.perf_counter()
t5 = time.perf_counter()
out["times"] = {"import": t1 - t0, "read": t2 - t1, "compute": t3 - t2,
                "band_fit": t4 - t3, "band_dynamic": t5 - t4}
print(json.dumps(out))
"""


def _run(python: str, code: str, path: Path, mode: str) -> tuple[float, dict] | None:
    t0 = time.perf_counter()
    p = subprocess.run([python, "-c", code, str(path), mode], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        print(p.stderr.strip().splitlines()[-1] if p.stderr else "failed", file=sys.stderr)
        return None
    return wall, json.loads(p.stdout.strip().splitlines()[-1])


def _median_runs(python, code, path, repeat, mode="band"):
    runs = [r for r in (_run(python, code, path, mode) for _ in range(repeat)) if r is not None]
    if not runs:
        return None
    walls = [w for w, _ in runs]
    keys = runs[0][1]["times"].keys()
    times = {k: float(np.median([r[1]["times"][k] for r in runs])) for k in keys}
    return float(np.median(walls)), times, runs[0][1]


def _diffs(a: dict, b: dict) -> str:
    out = []
    for label in ("none", "x"):
        x, y = a[label], b[label]
        ka = {
            (g, t): (v, s)
            for g, t, v, s in zip(x["group"], x["time"], x["att"], x["se"], strict=True)
        }
        kb = {
            (g, t): (v, s)
            for g, t, v, s in zip(y["group"], y["time"], y["att"], y["se"], strict=True)
        }
        common = sorted(set(ka) & set(kb))
        d_att = max(abs(ka[c][0] - kb[c][0]) for c in common)
        d_se = max(abs(ka[c][1] - kb[c][1]) for c in common)
        ea = dict(zip(x["e"], zip(x["dyn"], x["dyn_se"], strict=True), strict=True))
        eb = dict(zip(y["e"], zip(y["dyn"], y["dyn_se"], strict=True), strict=True))
        ce = sorted(set(ea) & set(eb) - {-1})
        d_dyn = max(abs(ea[e][0] - eb[e][0]) for e in ce)
        d_dse = max(abs(ea[e][1] - eb[e][1]) for e in ce)
        out.append(
            f"  covariates {label:4s}: {len(common)} cells, max |diff| ATT(g,t) {d_att:.1e}, "
            f"SE {d_se:.1e}; simple ATT {abs(x['simple'] - y['simple']):.1e}; "
            f"event study ({len(ce)} e) {d_dyn:.1e}, SE {d_dse:.1e}"
        )
    return "\n".join(out)


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _twfe(args, q) -> None:
    import pyfixest as pf

    from kinerja_analysis.methods.did.twfe import twfe

    d = make_panel(*args)
    d["D"] = ((d["g"] > 0) & (d["t"] >= d["g"])).astype(float)
    pf.feols("y ~ D | id + t", data=d.head(1000), vcov={"CRV1": "id"})  # warm-up (numba)
    t_o, t_p = [], []
    for _ in range(5):
        t0 = time.perf_counter()
        ours = twfe(d, "y", "id", "t", "g")
        t_o.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        fit = pf.feols("y ~ D | id + t", data=d, vcov={"CRV1": "id"})
        t_p.append(time.perf_counter() - t0)
    diff = abs(ours["estimate"].iloc[0] - fit.coef()["D"])
    q.put({"ours": float(np.median(t_o)), "pyfixest": float(np.median(t_p)), "diff": diff,
           "peak_mb": _peak_mb()})  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=100_000)
    ap.add_argument("--periods", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--other-python", default=sys.executable)
    a = ap.parse_args(argv)
    print(f"panel: {a.units:,} units x {a.periods} periods, seed {a.seed}; {a.repeat} runs each")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "panel.parquet"
        make_panel(a.units, a.periods, a.seed).to_parquet(path)
        ours = _median_runs(sys.executable, OURS, path, a.repeat)
        other = _median_runs(a.other_python, DIFF_DIFF, path, a.repeat)
        ours_nb = _median_runs(sys.executable, OURS, path, a.repeat, "noband")
        other_nb = _median_runs(a.other_python, DIFF_DIFF, path, a.repeat, "noband")
    assert ours is not None, "kinerja's run failed"
    w_o, t_o, r_o = ours
    print(
        f"kinerja   : whole process {w_o:5.2f} s | import {t_o['import']:.2f}, compute "
        f"{t_o['compute']:.2f} s | band: fit {t_o['band_fit']:.2f}, dynamic {t_o['band_dynamic']:.2f} s"
    )
    if other is None:
        print("diff-diff : not available (give --other-python)")
    else:
        w_d, t_d, r_d = other
        print(
            f"diff-diff : whole process {w_d:5.2f} s | import {t_d['import']:.2f}, compute "
            f"{t_d['compute']:.2f} s | band: fit {t_d['band_fit']:.2f}, dynamic "
            f"{t_d['band_dynamic']:.2f} s"
        )
        print(
            f"ratio kinerja / diff-diff: whole process {w_o / w_d:.2f}, compute "
            f"{t_o['compute'] / t_d['compute']:.2f}, dynamic with band "
            f"{t_o['band_dynamic'] / t_d['band_dynamic']:.2f}"
        )
        if ours_nb is not None and other_nb is not None:
            print(
                f"without the band: whole process kinerja {ours_nb[0]:.2f} s, diff-diff "
                f"{other_nb[0]:.2f} s, ratio {ours_nb[0] / other_nb[0]:.2f}"
            )
        print(_diffs(r_o, r_d))
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_twfe, args=((a.units, a.periods, a.seed), q))
    p.start()
    tw = q.get()
    p.join()
    print(
        f"TWFE: kinerja.twfe {tw['ours']:.2f} s | pyfixest.feols {tw['pyfixest']:.2f} s | "
        f"ratio {tw['ours'] / tw['pyfixest']:.2f} | |diff| {tw['diff']:.1e} | "
        f"peak RSS {tw['peak_mb']:.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
