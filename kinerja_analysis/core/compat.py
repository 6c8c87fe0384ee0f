"""What differs between the pandas versions the package supports (2.2–2.3 and 3.x).

The package is written for pandas 3 and runs on pandas 2.2–2.3 too (Python 3.10 gets
pandas 2.3 from the lock) with the same results. Most code uses spellings both versions
read alike (``groupby(..., observed=True)``, ``pd.StringDtype("pyarrow")``); the few
things that have no common spelling are here, so no other module asks for a version.

- :data:`TEXT_DTYPE` — pandas 3's default text dtype (``"str"``: Arrow-backed, a missing
  value is ``NaN``) under a name pandas 2 also understands. Pandas 2 has no ``"str"``
  alias without an option: there ``astype(str)`` and ``dtype="str"`` give ``object``
  with a missing value turned into the text ``"nan"`` or ``"None"``.
- :func:`copy_on_write` — whether a selection's later change can reach its source
  (pandas 3 always copies on write; pandas 2 only with ``mode.copy_on_write``).
- :func:`read_parquet` — ``pd.read_parquet`` with pandas 3's text dtypes: pandas 2
  reads a stored ``"string"`` column as Python-backed strings (which pandas 2.2 cannot
  compare with the loader's Arrow-backed ones) and other text as ``object``.

>>> s = pd.Series(["a", None], dtype=object).astype(TEXT_DTYPE)
>>> s.tolist(), bool(s.isna().iloc[1])
(['a', nan], True)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["PANDAS_MAJOR", "TEXT_DTYPE", "copy_on_write", "read_parquet"]

#: The major version of the installed pandas.
PANDAS_MAJOR: int = int(pd.__version__.split(".")[0])


def _text_dtype() -> pd.StringDtype:
    try:  # pandas >= 2.3: the dtype "str" stands for
        return pd.StringDtype("pyarrow", na_value=np.nan)
    except TypeError:  # pandas 2.2 knows it by its old storage name only
        return pd.StringDtype("pyarrow_numpy")


#: Text with ``NaN`` for a missing value, Arrow-backed: pandas 3's ``"str"``.
TEXT_DTYPE: pd.StringDtype = _text_dtype()


def copy_on_write() -> bool:
    """``True`` when pandas copies on write, so that changing a frame selected from
    another (a slice that shares its memory) never changes the source: always with
    pandas 3, with pandas 2 only under ``pd.set_option("mode.copy_on_write", True)``.

    >>> isinstance(copy_on_write(), bool)
    True
    """
    if PANDAS_MAJOR >= 3:
        return True
    return pd.get_option("mode.copy_on_write") is True


def read_parquet(path: str | Path, **kwargs: Any) -> pd.DataFrame:
    """``pd.read_parquet(path, **kwargs)`` with the text dtypes pandas 3 gives on any
    pandas: a column stored as ``"string"`` as Arrow-backed ``string``, other text as
    :data:`TEXT_DTYPE` (missing values ``NaN``).

    >>> import io
    >>> b = io.BytesIO()
    >>> pd.DataFrame({"s": pd.array(["a", None], dtype="string[pyarrow]")}).to_parquet(b)
    >>> df = read_parquet(b)
    >>> df["s"].dtype == pd.StringDtype("pyarrow"), df["s"].tolist()
    (True, ['a', <NA>])
    """
    df = pd.read_parquet(path, **kwargs)
    if PANDAS_MAJOR >= 3:
        return df
    for c in df.columns:
        dtype = df[c].dtype
        if isinstance(dtype, pd.StringDtype) and dtype.storage == "python":
            df[c] = df[c].astype(pd.StringDtype("pyarrow"))
        elif (
            pd.api.types.is_object_dtype(dtype)
            and pd.api.types.infer_dtype(df[c], skipna=True) == "string"
        ):
            df[c] = df[c].astype(TEXT_DTYPE)
    return df
