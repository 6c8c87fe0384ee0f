"""Benchmark: kinerja_analysis.did against another Callaway-Sant'Anna implementation.

Not a test. Builds a synthetic staggered panel (default 100,000 units x 10 periods,
seeded), then, each in a fresh process so that peak memory is per implementation:

1. ``kinerja_analysis.methods.did.estimator.staggered_did`` (doubly robust, never-treated controls), with
   and without a covariate, plus the dynamic aggregation with its bootstrap band;
2. the same ATT(g,t) from the PyPI package ``differences`` (``ATTgt(...).fit``), if it is
   installed (``pip install differences``; it is not a project dependency);
3. ``kinerja_analysis.methods.did.twfe.twfe`` and ``pyfixest.feols`` called directly.

Each process first runs a 1,000-unit warm-up (lazy imports, numba compilation), then
prints wall times, their ratios, the largest absolute difference between the two
implementations' ATT(g,t) and standard errors, and peak RSS (``ru_maxrss``) per process.

Usage: ``python bench/bench_did.py [--units 100000] [--periods 10] [--seed 0]``
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import time

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


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _ours(args, q) -> None:
    from kinerja_analysis.methods.did.estimator import staggered_did

    staggered_did(make_panel(1000, args[1], 1), "y", "id", "t", "g", n_boot=0)  # warm-up
    d = make_panel(*args)
    base = _peak_mb()
    out = {}
    for label, cov in (("no covariate", None), ("covariate x", ["x"])):
        t0 = time.perf_counter()
        res = staggered_did(d, "y", "id", "t", "g", covariates=cov, n_boot=999)
        out[label] = time.perf_counter() - t0
        out[f"att {label}"] = res.att_gt[["group", "time", "estimate", "std_error"]]
    t0 = time.perf_counter()
    res.aggregate("dynamic")  # 999 x 100k multiplier bootstrap for the uniform band
    out["dynamic + band (999 draws)"] = time.perf_counter() - t0
    out["peak_mb"], out["data_mb"] = _peak_mb(), base
    q.put(out)


def _differences(args, q) -> None:
    try:
        from differences import ATTgt
    except ImportError:
        q.put(None)
        return
    w = make_panel(1000, args[1], 1)
    w = w.assign(g=w["g"].replace(0, np.nan)).set_index(["id", "t"])
    ATTgt(data=w, cohort_column="g").fit(formula="y", est_method="dr", progress_bar=False)
    d = make_panel(*args)
    base = _peak_mb()
    out = {}
    for label, formula in (("no covariate", "y"), ("covariate x", "y ~ x")):
        t0 = time.perf_counter()
        dd = d.assign(g=d["g"].replace(0, np.nan)).set_index(["id", "t"])
        att = ATTgt(data=dd, cohort_column="g")
        att.fit(formula=formula, est_method="dr", control_group="never_treated", progress_bar=False)
        out[label] = time.perf_counter() - t0
        r = att.results()
        tab = pd.DataFrame(
            {
                "group": r.index.get_level_values("cohort"),
                "time": r.index.get_level_values("time"),
                "estimate": r.iloc[:, 0].to_numpy(),
                "std_error": r.iloc[:, 1].to_numpy(),
            }
        )
        out[f"att {label}"] = tab
    out["peak_mb"], out["data_mb"] = _peak_mb(), base
    q.put(out)


def _twfe(args, q) -> None:
    import pyfixest as pf

    from kinerja_analysis.methods.did.twfe import twfe

    d = make_panel(*args)
    d["D"] = ((d["g"] > 0) & (d["t"] >= d["g"])).astype(float)
    pf.feols("y ~ D | id + t", data=d.head(1000), vcov={"CRV1": "id"})  # warm-up (numba)
    # alternate the two, five times each, and compare medians (the first full-size call
    # of either pays one-off allocation costs)
    t_o, t_p = [], []
    for _ in range(5):
        t0 = time.perf_counter()
        ours = twfe(d, "y", "id", "t", "g")
        t_o.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        fit = pf.feols("y ~ D | id + t", data=d, vcov={"CRV1": "id"})
        t_p.append(time.perf_counter() - t0)
    t_ours, t_pf = float(np.median(t_o)), float(np.median(t_p))
    diff = abs(ours["estimate"].iloc[0] - fit.coef()["D"])
    q.put({"ours": t_ours, "pyfixest": t_pf, "diff": diff, "peak_mb": _peak_mb()})


def _run(target, args):
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=target, args=(args, q))
    p.start()
    out = q.get()
    p.join()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=100_000)
    ap.add_argument("--periods", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    args = (a.units, a.periods, a.seed)
    print(f"panel: {a.units:,} units x {a.periods} periods, seed {a.seed}")

    ours = _run(_ours, args)
    other = _run(_differences, args)
    for label in ("no covariate", "covariate x"):
        line = f"CS-DR ATT(g,t) {label:13s}: kinerja {ours[label]:6.2f} s"
        if other is not None:
            m = ours[f"att {label}"].merge(other[f"att {label}"], on=["group", "time"])
            d_est = np.max(np.abs(m["estimate_x"] - m["estimate_y"]))
            d_se = np.max(np.abs(m["std_error_x"] - m["std_error_y"]))
            line += (
                f" | differences {other[label]:6.2f} s | ratio {other[label] / ours[label]:5.1f}x"
                f" | {len(m)} cells, max |diff| ATT {d_est:.1e}, SE {d_se:.1e}"
            )
        print(line)
    print(
        f"dynamic aggregation + uniform band (999 draws): {ours['dynamic + band (999 draws)']:.2f} s"
    )
    print(
        f"peak RSS: kinerja {ours['peak_mb']:.0f} MB (data alone {ours['data_mb']:.0f} MB)"
        + (
            f" | differences {other['peak_mb']:.0f} MB (data alone {other['data_mb']:.0f} MB)"
            if other is not None
            else " | differences not installed"
        )
    )
    tw = _run(_twfe, args)
    print(
        f"TWFE: kinerja.twfe {tw['ours']:.2f} s | pyfixest.feols {tw['pyfixest']:.2f} s | "
        f"ratio {tw['ours'] / tw['pyfixest']:.2f} | |diff| {tw['diff']:.1e} | "
        f"peak RSS {tw['peak_mb']:.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
