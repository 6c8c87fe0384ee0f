"""Frame operations that must also work on empty frames, and row selection without copies.

- :func:`merge_frames` — ``left.merge(right, ...)`` that also works when both sides are
  empty and hold pyarrow-backed columns.
- :func:`rows_where` — ``df.loc[mask, columns]`` that slices instead of copying when the
  selected rows are one run (one period of a table read period by period).
- :func:`concat_rows` — ``pd.concat`` of frames' rows with the same dtypes under
  pandas 2 and 3 (empty frames and all-missing columns do not decide a dtype).
- :func:`row_numbers_only` — whether a frame's index only numbers its rows (and is left
  out of a written table) or says something (and is written as columns).

Why by hand: a pyarrow-backed column emptied by a boolean mask or a group-by of no rows
holds a ``ChunkedArray`` with *no* chunks; pandas 3.x's outer merge on several keys
concatenates the two sides' chunks and pyarrow cannot build a ``ChunkedArray`` from an
empty list without a type (``ArrowInvalid: cannot construct ChunkedArray from empty
vector and omitted type``). A data window where a table has no rows (a period before the
table starts) produces exactly such frames. Rebuilding an empty frame's columns from
fresh empty arrays of the same dtypes (one empty chunk each) avoids it without touching
pandas' or pyarrow's internals.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from kinerja_analysis.core.compat import copy_on_write

__all__ = ["concat_rows", "fresh_if_empty", "merge_frames", "rows_where", "row_numbers_only"]


def fresh_if_empty(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` itself when it has rows; otherwise a new empty frame with the same columns,
    dtypes and index, each column a freshly built empty array.

    >>> s = pd.Series(["a"], dtype="string[pyarrow]")
    >>> e = pd.DataFrame({"k": s[s == "z"]})
    >>> f = fresh_if_empty(e)
    >>> list(f.columns), str(f["k"].dtype), len(f)
    (['k'], 'string', 0)
    """
    if len(df):
        return df
    cols = {i: pd.array([], dtype=df.dtypes.iloc[i]) for i in range(df.shape[1])}
    out = pd.DataFrame(cols, index=df.index)
    out.columns = df.columns
    return out


def merge_frames(left: pd.DataFrame, right: pd.DataFrame, **kwargs: Any) -> pd.DataFrame:
    """``left.merge(right, **kwargs)``, also when both frames are empty and arrow-backed.

    Parameters and result as :meth:`pandas.DataFrame.merge`; empty inputs go through
    :func:`fresh_if_empty` first (see the module docstring for why).

    >>> s = pd.Series(["a"], dtype="string[pyarrow]")
    >>> e = pd.DataFrame({"nip": s[s == "z"], "periode": s[s == "z"]})
    >>> merge_frames(e, e.assign(x=1.0), on=["nip", "periode"], how="outer").shape
    (0, 3)
    """
    return fresh_if_empty(left).merge(fresh_if_empty(right), **kwargs)


def concat_rows(frames: Sequence[pd.DataFrame], *, ignore_index: bool = False) -> pd.DataFrame:
    """The rows of ``frames`` one after another (``pd.concat``), their dtypes the same
    under pandas 2 and pandas 3.

    pandas 2 leaves frames without rows and columns that are entirely missing out when it
    settles a column's dtype (and warns that it will stop: ``FutureWarning``); pandas 3
    counts them, so ``float64`` values stacked on an all-missing ``Int64`` column become
    ``Float64`` there and stay ``float64`` under pandas 2. Here a frame without rows is
    left out (unless every frame is empty) and an all-missing column takes the dtype its
    column has in the first frame where it holds a value (``float64`` in place of an
    integer dtype, ``object`` in place of ``bool``: those cannot hold a missing value;
    an all-missing nullable ``Int64``/``boolean`` column is left as it is, which both
    versions stack the same way), so both versions give the same dtypes: those of the
    values. Columns: every column of every frame, in the order first seen. Frames with
    repeated column names are stacked by ``pd.concat`` as they are. Why by hand: pandas
    offers no option for it.

    Raises
    ------
    ValueError
        With no frames.

    >>> a = pd.DataFrame({"x": [1.5], "n": [3.0]})
    >>> b = pd.DataFrame({"x": [2.5], "n": pd.array([None], dtype="Int64"), "s": ["k"]})
    >>> out = concat_rows([a, b.iloc[:0], b], ignore_index=True)
    >>> list(out.columns), str(out["n"].dtype), out["n"].tolist()
    (['x', 'n', 's'], 'float64', [3.0, nan])
    """
    frames = list(frames)
    if not frames:
        raise ValueError("concat_rows needs at least one frame")
    columns = list(dict.fromkeys(c for f in frames for c in f.columns))
    full = [f for f in frames if len(f)]
    if not full or any(not f.columns.is_unique for f in frames):
        return pd.concat(frames, ignore_index=ignore_index)
    holds = [{c: bool(f[c].notna().any()) for c in f.columns} for f in full]
    target: dict[Any, Any] = {}
    widened: set[Any] = set()  # numpy int or bool values: the target can hold NA
    for f, h in zip(full, holds, strict=True):
        for c in f.columns:
            if c not in target and h[c]:
                dtype = f[c].dtype
                if isinstance(dtype, np.dtype) and dtype.kind in "iub":
                    widened.add(c)
                    dtype = np.dtype("object" if dtype.kind == "b" else "float64")
                target[c] = dtype
    aligned = []
    for f, h in zip(full, holds, strict=True):
        cast = {
            c: target[c]
            for c in f.columns
            if c in target
            and not h[c]
            and f[c].dtype != target[c]
            # Int64 or boolean where the values are int64 or bool: as it is
            and not (
                c in widened
                and isinstance(f[c].dtype, pd.api.extensions.ExtensionDtype)
                and f[c].dtype.kind in "iub"
            )
        }
        if cast:
            f = f.copy()
            for c, dtype in cast.items():
                try:  # an object column of pd.NA cannot become float64: left to pandas
                    f[c] = f[c].astype(dtype)
                except (TypeError, ValueError):
                    pass
        aligned.append(f)
    out = pd.concat(aligned, ignore_index=ignore_index)
    if list(out.columns) == columns:
        return out
    out = out.reindex(columns=columns)
    in_full = {c for f in full for c in f.columns}
    for f in frames:  # a column only an empty frame has keeps that frame's dtype
        for c in f.columns:
            if c not in in_full and f[c].dtype != out[c].dtype:
                try:
                    out[c] = out[c].astype(f[c].dtype)
                except (TypeError, ValueError):  # int64 cannot hold the missing values
                    pass
    return out


def rows_where(
    df: pd.DataFrame, mask: pd.Series | np.ndarray, columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """The rows of ``df`` where ``mask`` is true (and only ``columns``, when given): the
    same frame, index and order as ``df.loc[mask, columns]``.

    ``mask`` is positional (one boolean per row of ``df``, missing values count as
    false). When the selected rows are one contiguous run — one period of a table that
    an export lists period by period, as the ratings and SKP tables usually are — the
    result is a positional slice, which shares the columns' memory instead of copying
    them. Why by hand: pandas copies on every boolean selection, and copying the text
    columns of 1.6 million pyarrow-backed ratings to select one period costs about
    0.2 s; no pandas option turns a contiguous mask into a slice. Under pandas'
    copy-on-write (always on from pandas 3) a later change to the result never reaches
    ``df``; without it (pandas 2's default) the run is copied, as ``.loc`` would, so a
    change to the result cannot reach ``df`` there either
    (:func:`~kinerja_analysis.core.compat.copy_on_write`).

    Raises
    ------
    ValueError
        When ``mask`` does not have one value per row.

    >>> df = pd.DataFrame({"periode": ["A", "A", "B", "B", "A"], "x": [1, 2, 3, 4, 5]})
    >>> rows_where(df, df["periode"] == "B")  # rows 2 and 3: a slice
      periode  x
    2       B  3
    3       B  4
    >>> rows_where(df, df["periode"] == "A", ["x"])["x"].tolist()
    [1, 2, 5]
    """
    if isinstance(mask, pd.Series):
        m = mask.to_numpy(dtype=bool, na_value=False)
    else:
        m = np.asarray(pd.array(mask, dtype="boolean").fillna(False), dtype=bool)
    if m.shape != (len(df),):
        raise ValueError(f"mask has {m.size} values for {len(df)} rows")
    cols = slice(None) if columns is None else list(columns)
    idx = np.flatnonzero(m)
    if len(idx) and idx[-1] - idx[0] + 1 == len(idx):
        run = df.iloc[idx[0] : idx[-1] + 1].loc[:, cols]
        return run if copy_on_write() else run.copy()
    return df.loc[m, cols]


def row_numbers_only(index: pd.Index) -> bool:
    """``True`` when ``index`` only numbers rows — unnamed integer labels, as a frame
    numbered ``0..n-1`` has and keeps through selecting, sorting or concatenating its
    rows — and a written table leaves it out; ``False`` for an index that says
    something (a group-by's keys, a named or text index), which a written table shows
    as columns.

    Why not ``isinstance(index, pd.RangeIndex)``: where pandas gives a ``RangeIndex``
    depends on its version and on the data. Pandas 3 keeps one for evenly spaced rows
    and even makes one of a column of consecutive numbers (``set_index``), pandas 2
    does neither; a table must not gain a column of row numbers, or lose a column of
    its own, by that.

    >>> df = pd.DataFrame({"opd": ["A", "B", "C", "D"], "n": [1, 2, 3, 4]})
    >>> row_numbers_only(df.index), row_numbers_only(df[df["n"] != 3].index)
    (True, True)
    >>> row_numbers_only(df.sort_values("n", ascending=False).index)
    True
    >>> row_numbers_only(df.set_index("opd").index), row_numbers_only(df.set_index("n").index)
    (False, False)
    """
    return (
        not isinstance(index, pd.MultiIndex)
        and index.name is None
        and pd.api.types.is_integer_dtype(index.dtype)
    )
