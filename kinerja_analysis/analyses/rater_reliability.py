"""Reliability of the 360-degree BerAKHLAK ratings (the ``perilaku`` table).

:func:`rating_reliability` applies the generic estimators of
:mod:`kinerja_analysis.methods.reliability` — ICC from variance components (unbalanced
designs), Krippendorff's alpha, Cronbach's alpha of the seven BerAKHLAK dimensions — one
block of rows per periode × dimensi, in the tidy column set.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from kinerja_analysis.core.checks import require_columns
from kinerja_analysis.core.results import TIDY_COLUMNS, tidy_frame
from kinerja_analysis.data.contract import BERAKHLAK
from kinerja_analysis.methods.reliability import (
    _DESC_UNBALANCED,
    ICC_TERMS,
    _check_ci,
    _row,
    cronbach_alpha,
    icc,
    krippendorff_alpha,
)

# --------------------------------------------------------------------------------------
# Application to the perilaku table
# --------------------------------------------------------------------------------------


def rating_reliability(
    perilaku: pd.DataFrame,
    *,
    by: Sequence[str] = ("periode", "dimensi"),
    exclude_roles: Sequence[str] = ("diri",),
    method: Literal["reml", "henderson3"] = "reml",
    ci: float = 0.95,
) -> pd.DataFrame:
    """Reliability of the 360-degree BerAKHLAK ratings in ``perilaku``.

    For every group of ``by`` (default one block per periode x dimensi): the ICC rows of
    :func:`icc` (targets = ``nip``, raters = ``id_penilai``, ratings = ``skor``; unbalanced
    designs use variance components) and Krippendorff's alpha (interval, ratees as units).
    When ``periode`` or ``dimensi`` is not in ``by``, the rated unit is the employee x
    that column (so a rater gives one value per unit). Then, per
    group of ``by`` without ``dimensi``, Cronbach's alpha of the seven BerAKHLAK
    dimensions, items = per-employee-period mean score on each dimension (listwise).

    Parameters
    ----------
    perilaku : DataFrame
        The contract table: ``nip, periode, id_penilai, peran_penilai, dimensi, skor``.
    by : sequence of str
        Grouping columns of the ICC / Krippendorff blocks.
    exclude_roles : sequence of str
        Rater roles left out (self-ratings by default: not a rater of another person).
    method : {"reml", "henderson3"}
        Variance-component estimator for :func:`icc`.
    ci : float
        Confidence level.

    Returns
    -------
    DataFrame
        Tidy: ``term, estimate, std_error, ci_low, ci_high, p_value, n_obs, method``,
        then the context columns (``by``), ``analysis`` ("icc", "krippendorff",
        "cronbach"), ``description, k, n_targets, n_raters, estimable, note``. Cronbach rows have
        ``dimensi`` missing and ``n_targets`` = employee-periods used.

    Notes
    -----
    Groups with fewer than two rated employees give ``estimable=False`` rows. Reference
    checks of each estimator are in the docstrings of :func:`icc`,
    :func:`krippendorff_alpha` and :func:`cronbach_alpha`.
    """
    cols = ["nip", "periode", "id_penilai", "peran_penilai", "dimensi", "skor"]
    require_columns(perilaku, cols, "rating_reliability")
    by = list(by)
    require_columns(perilaku, by, "rating_reliability (by)")
    ci = _check_ci(ci)
    d = perilaku.loc[~perilaku["peran_penilai"].astype(str).isin(list(exclude_roles))]
    d = d[list(dict.fromkeys([*cols, *by]))].copy()
    d["skor"] = pd.to_numeric(d["skor"], errors="coerce").astype(float)
    d = d[d["skor"].notna()]
    # The rated unit: the employee, crossed with the key columns that are not grouped on
    # (e.g. employee x dimensi when by=("periode",)), so that a rater gives one value per unit.
    unit_keys = ["nip", *[c for c in ("periode", "dimensi") if c not in by]]
    d["_unit"] = d[unit_keys[0]].astype(str)
    for c in unit_keys[1:]:
        d["_unit"] = d["_unit"] + "|" + d[c].astype(str)
    out_cols = [
        *TIDY_COLUMNS,
        *by,
        "analysis",
        "description",
        "k",
        "n_targets",
        "n_raters",
        "estimable",
        "note",
    ]
    blocks: list[pd.DataFrame] = []
    groups = d.groupby(by, sort=True, observed=True) if by else [((), d)]
    for key, g in groups:
        key = key if isinstance(key, tuple) else (key,)
        ctx = dict(zip(by, key, strict=True))
        if g["_unit"].nunique() >= 2:
            res = icc(g, "_unit", "id_penilai", "skor", ci=ci, method=method)
        else:
            res = pd.DataFrame(
                [
                    _row(
                        t,
                        _DESC_UNBALANCED[t],
                        estimable=False,
                        n_targets=g["_unit"].nunique(),
                        n_raters=g["id_penilai"].nunique(),
                        n_obs=len(g),
                        method="none",
                        note="fewer than 2 rated employees",
                    )
                    for t in ICC_TERMS
                ]
            )
        res = res.drop(columns=["f_stat", "df1", "df2"]).assign(analysis="icc", **ctx)
        ka = krippendorff_alpha(g, "_unit", "id_penilai", "skor", "interval")
        ka = ka.assign(
            analysis="krippendorff",
            description="Krippendorff's alpha (interval), ratees as units",
            n_targets=ka["n_units"],
            n_raters=ka["n_coders"],
            estimable=ka["estimate"].notna(),
            note=np.where(ka["estimate"].notna(), "", "no pairable ratings"),
            k=np.nan,
            **ctx,
        )
        blocks += [res, ka]
    # Cronbach's alpha across the BerAKHLAK dimensions.
    cby = [c for c in by if c != "dimensi"]
    person = [c for c in dict.fromkeys(["nip", "periode", *cby])]
    means = d.groupby([*person, "dimensi"], observed=True)["skor"].mean().unstack("dimensi")
    dims = [c for c in BERAKHLAK if c in means.columns] + [
        c for c in means.columns if c not in BERAKHLAK
    ]
    means = means[dims].reset_index()
    cgroups = means.groupby(cby, sort=True) if cby else [((), means)]
    for key, g in cgroups:
        key = key if isinstance(key, tuple) else (key,)
        ctx = dict(zip(cby, key, strict=True))
        if len(dims) < 2:
            continue
        ca = cronbach_alpha(g[dims], ci=ci)
        ca = ca.assign(
            analysis="cronbach",
            description=f"Cronbach's alpha of {len(dims)} dimension means per employee",
            n_targets=ca["n_obs"],
            n_raters=np.nan,
            k=float(len(dims)),
            estimable=ca["estimate"].notna(),
            **ctx,
        )
        if "dimensi" in by:
            ca["dimensi"] = pd.NA
        blocks.append(ca)
    if not blocks:
        return pd.DataFrame(columns=out_cols)
    out = pd.concat([b.reindex(columns=out_cols) for b in blocks], ignore_index=True)
    out["estimable"] = out["estimable"].astype(bool)
    for c in ("n_targets", "n_raters", "n_obs"):
        out[c] = pd.to_numeric(out[c]).round().astype("Int64")
    return tidy_frame(out)
