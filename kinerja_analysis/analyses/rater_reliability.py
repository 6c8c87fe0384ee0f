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
from kinerja_analysis.core.keys import group_means, text_codes
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
    # Keys as integer codes in text order (core.keys): the blocks and the Cronbach table
    # come out in the same order, with the same values, as grouping by the text, without
    # copying a table of millions of ratings as strings.
    role, _, role_text = text_codes(perilaku["peran_penilai"])
    excluded = np.append(np.isin(role_text, [str(x) for x in exclude_roles]), False)
    skor = pd.to_numeric(perilaku["skor"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    used = np.flatnonzero(~excluded[role] & ~np.isnan(skor))  # role -1 (missing): kept
    codes: dict[str, tuple[np.ndarray, pd.Index]] = {}
    for c in dict.fromkeys(["nip", "periode", "dimensi", "id_penilai", *by]):
        k, values, _ = text_codes(perilaku[c], np.int32)
        codes[c] = (k[used], values)
        del k
    y = skor[used]
    del skor, role

    def key_of(columns: Sequence[str]) -> np.ndarray:
        """One int64 code per row for ``columns`` together, in their text order."""
        key = np.zeros(len(used), dtype=np.int64)
        for c in columns:
            key = key * (len(codes[c][1]) + 1) + (codes[c][0].astype(np.int64) + 1)
        return key

    # The rated unit: the employee, crossed with the key columns that are not grouped on
    # (e.g. employee x dimensi when by=("periode",)), so that a rater gives one value per unit.
    unit_keys = ["nip", *[c for c in ("periode", "dimensi") if c not in by]]
    unit: np.ndarray | pd.Series = key_of(unit_keys)
    rater: np.ndarray | pd.Series = codes["id_penilai"][0]
    # a missing employee or rater stays missing (icc drops the row and says so)
    missing = np.zeros(len(used), dtype=bool)
    for c in unit_keys:
        missing |= codes[c][0] < 0
    if missing.any():
        unit = pd.Series(unit, dtype="Int64").mask(missing)
    if (rater < 0).any():
        rater = pd.Series(rater, dtype="Int64").mask(rater < 0)
    unit, rater = np.asarray(unit), np.asarray(rater)
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
    for ctx, rows in _groups(by, codes, key_of(by)):
        g = pd.DataFrame({"_unit": unit[rows], "id_penilai": rater[rows], "skor": y[rows]})
        g.index = perilaku.index[used[rows]]  # per block: no copy of the whole index
        _check_one_rating(perilaku, g)
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
    person = list(dict.fromkeys(["nip", "periode", *cby]))
    n_dim = len(codes["dimensi"][1]) + 1
    cell = key_of(person) * n_dim + (codes["dimensi"][0] + 1)
    cell_means = group_means(cell, {"y": y})["y"]
    del unit, rater
    of_person = cell_means.index.to_numpy() // n_dim  # sorted: np.unique by runs
    new_person = np.r_[True, of_person[1:] != of_person[:-1]] if len(of_person) else of_person
    people, at = of_person[new_person], np.cumsum(new_person, dtype=np.int64) - 1
    del of_person, new_person
    dim_names = codes["dimensi"][1]
    wide = np.full((len(people), len(dim_names)), np.nan)
    wide[at, cell_means.index.to_numpy() % n_dim - 1] = cell_means.to_numpy()
    present = np.zeros(len(dim_names), dtype=bool)
    present[np.unique(cell_means.index.to_numpy() % n_dim - 1)] = True
    names = [str(v) for v in dim_names]
    col_of = {nm: j for j, nm in enumerate(names) if present[j]}
    dims = [c for c in BERAKHLAK if c in col_of] + [c for c in col_of if c not in BERAKHLAK]
    means = pd.DataFrame(wide[:, [col_of[c] for c in dims]], columns=dims)
    # the groups of cby among the people, from a row of each person (any: cby is part of
    # the person key); by a scatter over the person codes where they are dense, no sort
    person_key = cell // n_dim
    del cell
    if len(person_key) and int(person_key.max()) < 4 * len(person_key) + 1024:
        slot = np.zeros(int(person_key.max()) + 1, dtype=np.int64)
        slot[person_key] = np.arange(len(person_key))
        first_row = slot[people]
        del slot
    else:
        _, first_row = np.unique(person_key, return_index=True)
    del person_key
    person_codes = {c: (codes[c][0][first_row], codes[c][1]) for c in cby}
    cby_key = np.zeros(len(people), dtype=np.int64)
    for c in cby:
        cby_key = cby_key * (len(codes[c][1]) + 1) + (person_codes[c][0] + 1)
    for ctx, rows in _groups(cby, person_codes, cby_key):
        if len(dims) < 2:
            continue
        ca = cronbach_alpha(means.iloc[rows], ci=ci)
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


def _groups(
    by: Sequence[str], codes: dict[str, tuple[np.ndarray, pd.Index]], key: np.ndarray
) -> list[tuple[dict[str, object], np.ndarray]]:
    """Rows of each group of ``by`` (keys sorted as text), with the group's key values.

    Rows with a missing key belong to no group, as in ``groupby``.
    """
    if not by:
        return [({}, np.arange(len(key)))]
    ok = np.ones(len(key), dtype=bool)
    for c in by:
        ok &= codes[c][0] >= 0
    rows = np.flatnonzero(ok)
    sub = key[rows]
    if len(sub) and 0 <= sub.min() and sub.max() < 2**15:
        sub = sub.astype(np.int16)  # a stable sort of small integers is a radix sort
    order = rows[np.argsort(sub, kind="stable")]
    del sub
    bounds = np.flatnonzero(np.diff(key[order])) + 1
    out = []
    for part in np.split(order, bounds):
        if len(part) == 0:
            continue
        i = part[0]
        ctx = {c: codes[c][1][codes[c][0][i]] for c in by}
        out.append((ctx, part))
    return out


def _check_one_rating(perilaku: pd.DataFrame, g: pd.DataFrame) -> None:
    """A rater rates a unit once in a block (the contract's key); name the first repeat."""
    dup = g.duplicated(["_unit", "id_penilai"]).to_numpy()
    if dup.any():
        i = g.index[int(np.argmax(dup))]
        raise ValueError(
            f"rating_reliability: rater {perilaku.at[i, 'id_penilai']!r} rated "
            f"{perilaku.at[i, 'nip']!r} more than once on {perilaku.at[i, 'dimensi']!r} in "
            f"{perilaku.at[i, 'periode']!r} (row {i!r})"
        )
