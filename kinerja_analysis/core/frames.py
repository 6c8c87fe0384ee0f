"""Frame operations that must also work on empty frames.

- :func:`merge_frames` — ``left.merge(right, ...)`` that also works when both sides are
  empty and hold pyarrow-backed columns.

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

from typing import Any

import pandas as pd

__all__ = ["fresh_if_empty", "merge_frames"]


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
