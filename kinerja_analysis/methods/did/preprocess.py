"""Stage 1 of the DiD engine: from a long data frame to a balanced unit × period panel.

:func:`prepare_panel` turns ``data`` (one row per unit and period) into a
:class:`DidPanel`: the outcome matrix ``Y`` (units × periods), the covariates ``X``
(periods × units × covariates), each unit's first treated period and the period axis,
with every sample change counted in ``counts`` and described in ``notes``. The steps and
their order follow R ``did``'s ``pre_process_did`` (see :mod:`.estimator`).

Redundant covariates (a covariate that is an exact linear combination of the constant
and the covariates before it, e.g. ``x2 = 2*x1 + 1`` or a dummy that duplicates a level
of a categorical) are detected here, once, on the whole balanced panel and dropped with a
note naming them, as R's ``lm`` drops aliased columns: the 2×2 regressions of every
group-time cell would otherwise be singular.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kinerja_analysis.core.errors import NotEstimable, PeriodError
from kinerja_analysis.core.periods import parse_period, period_from_ordinal

__all__ = [
    "NEVER",
    "TimeAxis",
    "DidPanel",
    "encode_time",
    "encode_first_treated",
    "covariate_frame",
    "redundant_columns",
    "prepare_panel",
]

#: Code of "never treated" in the first-treated vector.
NEVER = np.inf

#: Relative residual variance below which a covariate counts as a linear combination of
#: the columns before it (R ``lm``'s QR tolerance 1e-7 on the residual norm, squared).
COLLINEAR_TOL = 1e-10


# --------------------------------------------------------------------------------------
# time axis: integers or period codes
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TimeAxis:
    """How the caller's time labels map to integers (``kind``: int, M, Q, S or Y)."""

    kind: str

    def label(self, code: float) -> object:
        """The caller's label of an integer period code (``None`` for never)."""
        if not np.isfinite(code):
            return None
        c = int(code)
        if self.kind == "int":
            return c
        return period_from_ordinal(c, self.kind)

    def labels(self, codes: np.ndarray) -> list:
        """Labels of many codes."""
        return [self.label(c) for c in codes]


def _is_never(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() in ("", "0")
    try:
        return bool(pd.isna(value)) or float(value) == 0 or np.isinf(float(value))
    except (TypeError, ValueError):
        return False


def _parse_codes(uniques: Sequence[object], what: str) -> tuple[dict, str]:
    """Map distinct period codes to calendar integers (``Period.ordinal``); one kind."""
    out: dict = {}
    kinds: set[str] = set()
    for u in uniques:
        try:
            p = parse_period(str(u))
        except PeriodError:
            raise ValueError(
                f"{what}: {u!r} is not an integer period nor a period code "
                "(YYYY, YYYYSn, YYYYQn, YYYY-MM)"
            ) from None
        kinds.add(p.kind)
        out[u] = p.ordinal
    if len(kinds) > 1:
        raise ValueError(f"{what}: period codes mix frequencies {sorted(kinds)}; use one")
    return out, (kinds.pop() if kinds else "Y")


def encode_time(values: pd.Series) -> tuple[np.ndarray, TimeAxis]:
    """Integer codes (float array, NaN for missing) of a time column and its axis.

    >>> codes, axis = encode_time(pd.Series(["2025Q1", "2024Q4", "2025Q1"]))
    >>> (codes - codes.min()).tolist()
    [1.0, 0.0, 1.0]
    """
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        v = values.to_numpy(dtype=float)
        ok = np.isfinite(v)
        if np.any(v[ok] != np.round(v[ok])):
            raise ValueError("time: numeric periods must be whole numbers")
        return v, TimeAxis("int")
    codes, uniq = pd.factorize(values, use_na_sentinel=True)
    mapping, kind = _parse_codes(list(uniq), "time")
    lut = np.array([mapping[u] for u in uniq] + [np.nan], dtype=float)
    return lut[codes], TimeAxis(kind)


def encode_first_treated(values: pd.Series, axis: TimeAxis) -> np.ndarray:
    """First treated period on the time axis; never treated (0, NaN, None, "") as ``inf``.

    >>> codes, axis = encode_time(pd.Series([2024, 2025, 2026]))
    >>> encode_first_treated(pd.Series([2025, 0, None]), axis).tolist()
    [2025.0, inf, inf]
    """
    if axis.kind == "int":
        if pd.api.types.is_numeric_dtype(values):
            v = values.to_numpy(dtype=float).copy()
        else:
            v = pd.to_numeric(values.where(~values.map(_is_never), 0), errors="raise")
            v = v.to_numpy(dtype=float).copy()
        v[~np.isfinite(v) | (v == 0)] = NEVER
        bad = np.isfinite(v) & (v != np.round(v))
        if bad.any():
            raise ValueError("first_treated: periods must be whole numbers")
        return v
    codes, uniq = pd.factorize(values, use_na_sentinel=True)
    never = np.array([_is_never(u) for u in uniq], dtype=bool)
    treated_uniq = [u for u, nv in zip(uniq, never, strict=True) if not nv]
    mapping, kind = _parse_codes(treated_uniq, "first_treated")
    if treated_uniq and kind != axis.kind:
        raise ValueError(
            f"first_treated uses period codes of kind {kind!r} but time uses {axis.kind!r}"
        )
    lut = np.array(
        [NEVER if nv else mapping[u] for u, nv in zip(uniq, never, strict=True)] + [NEVER],
        dtype=float,
    )
    return lut[codes]


def covariate_frame(data: pd.DataFrame, covariates: Sequence[str]) -> pd.DataFrame:
    """Numeric covariate columns; non-numeric ones dummy-coded (first level dropped).

    >>> d = pd.DataFrame({"x": [1.0, 2.0, 3.0], "jk": ["L", "P", "L"]})
    >>> covariate_frame(d, ["x", "jk"])
         x  jk_P
    0  1.0   0.0
    1  2.0   1.0
    2  3.0   0.0
    """
    parts = []
    for c in covariates:
        s = data[c]
        if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
            parts.append(s.astype(float).rename(c).to_frame())
        else:
            dummies = pd.get_dummies(s, prefix=c, drop_first=True, dtype=float)
            dummies[s.isna().to_numpy()] = np.nan
            parts.append(dummies)
    return pd.concat(parts, axis=1) if parts else pd.DataFrame(index=data.index)


def redundant_columns(x: np.ndarray, tol: float = COLLINEAR_TOL) -> list[int]:
    """Columns of ``x`` that are linear combinations of a constant and earlier columns.

    Columns are taken in order (as R ``lm`` does): column ``j`` is redundant when the
    residual of regressing it on the constant and the kept columns before it has a
    variance below ``tol`` times its own (a constant column is always redundant).
    ``x`` has shape ``(n, k)``; returns the indices to drop, ascending.

    >>> x = np.column_stack([np.arange(5.0), 2 * np.arange(5.0) + 1, np.arange(5.0) ** 2])
    >>> redundant_columns(x)
    [1]
    """
    n, k = x.shape
    if k == 0 or n == 0:
        return []
    xc = x - x.mean(axis=0)
    var = np.einsum("ij,ij->j", xc, xc)
    kept: list[int] = []
    drop: list[int] = []
    for j in range(k):
        if var[j] <= 0 or not np.isfinite(var[j]):
            drop.append(j)
            continue
        if kept:
            b, *_ = np.linalg.lstsq(xc[:, kept], xc[:, j], rcond=None)
            r = xc[:, j] - xc[:, kept] @ b
            if float(r @ r) <= tol * var[j]:
                drop.append(j)
                continue
        kept.append(j)
    return drop


# --------------------------------------------------------------------------------------
# the balanced panel
# --------------------------------------------------------------------------------------
@dataclass
class DidPanel:
    """A balanced panel ready for the group-time cells.

    Attributes
    ----------
    Y
        Outcomes, shape ``(n_units, n_periods)``.
    X
        Covariates, shape ``(n_periods, n_units, k)`` (``k`` may be 0).
    g_unit
        First treated period of each unit on the integer axis (``inf`` = never).
    tlist
        The periods (integer codes, ascending).
    axis
        The caller's time coding.
    covariates
        Names of the ``k`` covariate columns used (after dummy coding and dropping
        redundant ones).
    notes, counts
        Every sample change, in words and in numbers.
    dropped_covariates
        The covariates dropped as redundant (their names), in the order given.
    small_cohorts
        The cohorts (caller's labels) smaller than the estimator's size rule
        (covariates + 5 units; set by the estimator's group check).
    """

    Y: np.ndarray
    X: np.ndarray
    g_unit: np.ndarray
    tlist: np.ndarray
    axis: TimeAxis
    covariates: list[str]
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    dropped_covariates: tuple[str, ...] = ()
    small_cohorts: tuple[object, ...] = ()


def _drop_missing(df, time, first_treated, outcome, unit, covariates, notes, counts):
    tcode, axis = encode_time(df[time])
    gcode = encode_first_treated(df[first_treated], axis)
    xcov = covariate_frame(df, covariates)
    y = pd.to_numeric(df[outcome], errors="raise").to_numpy(dtype=float)
    # units as codes numbered by first appearance (-1 = missing), taken from the column
    # itself: a text column is hashed where it lies, not copied out as Python strings
    uid, _ = pd.factorize(df[unit])
    bad = ~np.isfinite(tcode) | ~np.isfinite(y) | (uid < 0)
    xmat = xcov.to_numpy(dtype=float) if xcov.shape[1] else np.empty((len(df), 0))
    if xmat.shape[1]:
        bad |= ~np.isfinite(xmat).all(axis=1)
    counts["rows_dropped_missing"] = int(bad.sum())
    if bad.any():
        notes.append(f"{int(bad.sum())} rows dropped: missing outcome, period, unit or covariate.")
    keep = ~bad
    if not keep.any():
        raise NotEstimable("no usable rows", reason="no_rows")
    return tcode[keep], gcode[keep], y[keep], uid[keep], xmat[keep], list(xcov.columns), axis


def _to_matrices(tcode, gcode, y, uid, xmat, unit, first_treated, unbalanced, notes, counts):
    """Unit × period matrices of the complete units (balanced as R ``did``); ``uid`` are
    unit codes, rows in their order of first appearance."""
    ucode, uniq_units = pd.factorize(uid)
    tlist = np.sort(pd.unique(tcode))
    tidx = np.searchsorted(tlist, tcode)
    nu, nt = len(uniq_units), len(tlist)
    if nt < 2:
        raise NotEstimable("need at least two periods", reason="one_period")
    key = ucode.astype(np.int64) * nt + tidx
    if np.bincount(key, minlength=nu * nt).max() > 1:
        raise ValueError(f"duplicate ({unit}, time) rows: the panel must be one row per pair")
    gmin = np.full(nu, np.inf)
    gmax = np.full(nu, -np.inf)
    gfin = np.where(np.isfinite(gcode), gcode, 1e18)
    np.minimum.at(gmin, ucode, gfin)
    np.maximum.at(gmax, ucode, gfin)
    if np.any(gmin != gmax):
        raise ValueError(f"{first_treated} varies within units; it must be constant per unit")
    g_unit = np.where(gmin >= 1e18, NEVER, gmin)
    nobs = np.bincount(ucode, minlength=nu)
    complete = nobs == nt
    counts["units_dropped_unbalanced"] = int((~complete).sum())
    counts["rows_dropped_unbalanced"] = int(nobs[~complete].sum())
    if not complete.all():
        if unbalanced == "error":
            raise ValueError(
                f"unbalanced panel: {int((~complete).sum())} units are not observed in all "
                f"{nt} periods (use unbalanced='drop' to drop them)"
            )
        notes.append(
            f"{int((~complete).sum())} units ({int(nobs[~complete].sum())} rows) dropped to "
            f"balance the panel: not observed in all {nt} periods."
        )
    Y = np.full((nu, nt), np.nan)
    Y[ucode, tidx] = y
    k = xmat.shape[1]
    X = np.full((nt, nu, k), np.nan)
    X[tidx, ucode, :] = xmat
    return Y[complete], X[:, complete, :], g_unit[complete], tlist


def _drop_redundant(
    X: np.ndarray, names: list[str], notes, counts
) -> tuple[np.ndarray, list[str], tuple[str, ...]]:
    k = X.shape[2]
    counts["covariates_dropped_redundant"] = 0
    gone: list[str] = []
    if k == 0:
        return X, names, ()
    stacked = X.reshape(-1, k)
    drop = redundant_columns(stacked)
    if drop:
        gone = [names[j] for j in drop]
        counts["covariates_dropped_redundant"] = len(drop)
        notes.append(
            "covariates dropped as redundant (constant, or a linear combination of the "
            f"covariates before them): {', '.join(gone)}."
        )
        keep = [j for j in range(k) if j not in drop]
        X = X[:, :, keep]
        names = [names[j] for j in keep]
    tv = np.nanmax(X, axis=0) - np.nanmin(X, axis=0) if X.shape[2] else np.zeros(0)
    if np.any(tv > 1e-12):
        notes.append(
            "covariates vary over time: each 2x2 comparison uses their values in its "
            "earlier period (as R did); prefer pre-treatment covariates."
        )
    return X, names, tuple(gone)


def prepare_panel(
    data: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    first_treated: str,
    covariates: Sequence[str],
    *,
    control_group: str,
    anticipation: int,
    unbalanced: str,
) -> DidPanel:
    """Stage 1: clean, balance and recode the panel as R ``did`` does (see module docstring).

    Raises
    ------
    ValueError
        Missing columns, duplicate (unit, time) rows, first-treated varying within a
        unit, an unbalanced panel with ``unbalanced="error"``, bad period codes.
    NotEstimable
        No usable rows, fewer than two periods, no never-treated units with
        ``control_group="never_treated"``, no cohort with a pre-treatment period.

    Examples
    --------
    >>> d = pd.DataFrame({"u": [1, 1, 2, 2, 3], "t": [1, 2, 1, 2, 1], "g": [2, 2, 0, 0, 0], "y": [1.0, 3.0, 1.0, 1.5, 2.0]})
    >>> p = prepare_panel(d, "y", "u", "t", "g", [], control_group="never_treated", anticipation=0, unbalanced="balance")
    >>> p.Y.tolist(), p.notes[:1] != []
    ([[1.0, 3.0], [1.0, 1.5]], True)
    """
    needed = [outcome, unit, time, first_treated, *covariates]
    missing = [c for c in dict.fromkeys(needed) if c not in data.columns]
    if missing:
        raise ValueError(f"columns not in data: {missing}")
    notes: list[str] = []
    counts: dict[str, int] = {"rows_in": int(len(data))}
    df = data[list(dict.fromkeys(needed))]
    tcode, gcode, y, uid, xmat, names, axis = _drop_missing(
        df, time, first_treated, outcome, unit, covariates, notes, counts
    )
    Y, X, g_unit, tlist = _to_matrices(
        tcode, gcode, y, uid, xmat, unit, first_treated, unbalanced, notes, counts
    )
    X, names, gone = _drop_redundant(X, names, notes, counts)
    panel = DidPanel(Y, X, g_unit, tlist, axis, names, notes, counts, gone)
    _recode_cohorts(panel, control_group, anticipation)
    return panel


def _recode_cohorts(p: DidPanel, control_group: str, anticipation: int) -> None:
    """R ``did``'s cohort rules: late → never, no never-treated, treated in period one."""
    notes, counts, axis = p.notes, p.counts, p.axis
    late = np.isfinite(p.g_unit) & (p.g_unit > p.tlist[-1])
    counts["units_recoded_never_treated"] = int(late.sum())
    if late.any():
        notes.append(
            f"{int(late.sum())} units first treated after the last period are counted as "
            "never treated."
        )
        p.g_unit = np.where(late, NEVER, p.g_unit)
    if not np.any(~np.isfinite(p.g_unit)):
        if control_group == "never_treated":
            raise NotEstimable(
                "there are no never-treated units; use control_group='not_yet_treated'",
                reason="no_never_treated",
            )
        glast = np.max(p.g_unit)
        keep_t = p.tlist < glast - anticipation
        notes.append(
            "no never-treated units: periods from "
            f"{axis.label(glast - anticipation)} on are dropped and the last cohort "
            f"({axis.label(glast)}) serves only as a not-yet-treated control."
        )
        counts["periods_dropped_no_never_treated"] = int((~keep_t).sum())
        p.tlist, p.Y, p.X = p.tlist[keep_t], p.Y[:, keep_t], p.X[keep_t]
        p.g_unit = np.where(p.g_unit == glast, NEVER, p.g_unit)
        if len(p.tlist) < 2:
            raise NotEstimable(
                "fewer than two periods before the last cohort is treated",
                reason="few_periods_before_last_cohort",
            )
    first = np.isfinite(p.g_unit) & (p.g_unit <= p.tlist[0])
    counts["units_dropped_treated_first_period"] = int(first.sum())
    if first.any():
        notes.append(
            f"{int(first.sum())} units already treated in the first period "
            f"({axis.label(p.tlist[0])}) dropped: they have no untreated period."
        )
        p.Y, p.X, p.g_unit = p.Y[~first], p.X[:, ~first, :], p.g_unit[~first]
    counts["units_used"] = int(p.g_unit.shape[0])
    counts["periods_used"] = int(len(p.tlist))
