"""Build the inputs of ``bench/honestdid_published.py`` from the examples' original files.

Not a test, and none of these files is part of the repository. Given

- ``BCdata_EventStudy.rda`` and ``LWdata_EventStudy.rda``: the event studies shipped as
  data with the R package HonestDiD (its ``data/`` folder), and optionally
  ``VignetteResults.rda`` (the vignette's stored results, in the package's ``data/``
  while the vignette was part of it);
- ``ehec_data.dta``: the Mixtape Sessions "Advanced DID" ``ehec`` panel that HonestDiD's
  README reads (state × year share of low-income childless adults with health insurance),

this writes into ``OUT`` the CSV files the bench reads: ``<name>_betahat.csv`` (column
``betahat``) and ``<name>_sigma.csv`` (the matrix, header row) for ``BCdata_EventStudy``,
``LWdata_EventStudy``, ``ehec_twfe`` and ``ehec_twfe_control``, and, given the vignette
results, ``VignetteResults_<table>.csv``.

The README's Medicaid event studies are re-estimated as its R code does: years before
2016, the 2015 cohort dropped, ``D = 1`` for the 2014 cohort, then
``fixest::feols(dins ~ i(year, D, ref = 2013) | stfips + year, cluster = "stfips")``
(here :func:`pyfixest.feols`, whose small-sample corrections are fixest's defaults);
the version with a control adds ``control``, drawn as R's ``set.seed(0);
rnorm(nrow)`` on the filtered rows in file order, and keeps the seven event-study
coefficients (the README's ``betahat[-8]``, ``sigma[-8, -8]``).

``.rda`` files hold R lists, which pyreadr does not read; they are read with the PyPI
package ``rdata`` (not a project dependency: install it where you run this). Usage::

    python bench/honestdid_inputs.py OUT --bc BCdata_EventStudy.rda \\
        --lw LWdata_EventStudy.rda --ehec ehec_data.dta [--vignette VignetteResults.rda]
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyfixest as pf

from kinerja_analysis.methods.did.sensitivity import r_rnorm


def _read_rda(path: Path, name: str):
    try:
        import rdata  # lazy: optional, only this script needs it
    except ImportError:
        sys.exit("reading .rda needs the PyPI package 'rdata' (pip install rdata)")

    def tibble(obj, attrs):  # R tibbles: columns, some stored as 1 x 1 matrices
        return pd.DataFrame({str(k): np.ravel(v) for k, v in obj.items()})

    classes = {**rdata.conversion.DEFAULT_CLASS_MAP, "tbl_df": tibble}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "missing constructor" for tbl_df's parents
        objs = rdata.read_rda(str(path), constructor_dict=classes)
    if name not in objs:
        sys.exit(f"{path}: no object {name!r} (found {sorted(map(str, objs))})")
    return objs[name]


def _write(out: Path, name: str, betahat, sigma) -> None:
    b = np.asarray(betahat, dtype=float).ravel()
    s = np.asarray(sigma, dtype=float)
    if s.shape != (b.size, b.size):
        raise ValueError(f"{name}: sigma is {s.shape}, betahat has {b.size} entries")
    pd.DataFrame({"betahat": b}).to_csv(out / f"{name}_betahat.csv", index=False)
    cols = [f"c{i + 1}" for i in range(b.size)]
    pd.DataFrame(s, columns=cols).to_csv(out / f"{name}_sigma.csv", index=False)
    print(f"{name}: {b.size} coefficients")


def _event_study(path: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    df = pd.read_stata(path, convert_categoricals=False)
    for c in ("stfips", "year", "dins", "yexp2"):
        df[c] = df[c].astype(float)  # as haven reads Stata numbers: doubles
    keep = (df["year"] < 2016) & (df["yexp2"].isna() | (df["yexp2"] != 2015))
    d = df.loc[keep].reset_index(drop=True)
    d["D"] = (d["yexp2"] == 2014).astype(float)
    out = {}
    fit = pf.feols("dins ~ i(year, D, ref=2013) | stfips + year", data=d, vcov={"CRV1": "stfips"})
    out["ehec_twfe"] = (fit.coef().to_numpy(), fit._vcov)
    d["control"] = r_rnorm(len(d), 0)
    fit = pf.feols(
        "dins ~ i(year, D, ref=2013) + control | stfips + year", data=d, vcov={"CRV1": "stfips"}
    )
    names = list(fit.coef().index)
    es = [i for i, n in enumerate(names) if n != "control"]
    if len(es) != 7 or names[7] != "control":
        raise ValueError(f"unexpected coefficients {names}")
    out["ehec_twfe_control"] = (fit.coef().to_numpy()[es], fit._vcov[np.ix_(es, es)])
    print(f"ehec: {len(d)} state-years, {d['stfips'].nunique()} states; terms {names}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--bc", type=Path, help="BCdata_EventStudy.rda")
    ap.add_argument("--lw", type=Path, help="LWdata_EventStudy.rda")
    ap.add_argument("--ehec", type=Path, help="ehec_data.dta")
    ap.add_argument("--vignette", type=Path, help="VignetteResults.rda (optional)")
    a = ap.parse_args(argv)
    a.out.mkdir(parents=True, exist_ok=True)
    for path, name in ((a.bc, "BCdata_EventStudy"), (a.lw, "LWdata_EventStudy")):
        if path is not None:
            es = _read_rda(path, name)
            _write(a.out, name, es["betahat"], es["sigma"])
    if a.ehec is not None:
        for name, (b, s) in _event_study(a.ehec).items():
            _write(a.out, name, b, s)
    if a.vignette is not None:
        for table, frame in _read_rda(a.vignette, "VignetteResults").items():
            frame.to_csv(a.out / f"VignetteResults_{table}.csv", index=False)
            print(f"VignetteResults {table}: {len(frame)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
