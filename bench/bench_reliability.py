"""Benchmark: ICC from REML variance components on a city-sized unbalanced 360° design.

~6,000 ratees × ~5 ratings per period-dimension, raters drawn from OPD-sized pools of 150
(the shape of one period × dimension of Kotalama). Prints the time of ``icc()`` with REML
and with Henderson III, and peak memory. Target: a few seconds per period-dimension on
2 cores, so that the reliability of a whole period (7 dimensions) stays under a minute.

Usage: python bench/bench_reliability.py [--ratees 6000] [--pool 150]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_reliability import simulate_crossed  # noqa: E402

from kinerja_analysis.methods.reliability import icc


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ratees", type=int, default=6000)
    ap.add_argument("--pool", type=int, default=150)
    a = ap.parse_args()
    data = simulate_crossed(2, n_t=a.ratees, pool=a.pool)
    for method in ("reml", "henderson3"):
        t0 = time.perf_counter()
        res = icc(data, "target", "rater", "y", method=method).set_index("term")
        dt = time.perf_counter() - t0
        print(
            f"{method:>10}: {dt:6.2f} s  ICC2 = {res.at['ICC2', 'estimate']:.3f} "
            f"({res.at['ICC2', 'method']}), {len(data):,} ratings"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
