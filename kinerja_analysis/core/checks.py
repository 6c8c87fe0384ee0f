"""Argument checks shared by every layer.

Errors for programmers carry English messages. Settings files a person writes (an agency
profile, a column mapping) are checked by their own modules, whose messages come from a
catalogue in the analyst's language.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["require_columns", "check_choice", "is_missing"]


def require_columns(df: object, cols: Sequence[str], what: str) -> None:
    """Raise unless ``df`` is a DataFrame holding every column in ``cols``.

    Raises
    ------
    TypeError
        ``df`` is not a ``pandas.DataFrame``.
    ValueError
        Columns are missing; the message names them and ``what`` (the argument).

    >>> require_columns(pd.DataFrame({"nip": []}), ["nip"], "pegawai")
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{what}: expected a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"{what}: missing column(s) {missing}; present: {list(df.columns)}")


def check_choice(value: object, name: str, allowed: Sequence[object]) -> None:
    """Raise ``ValueError`` unless ``value`` is one of ``allowed``.

    >>> check_choice("dr", "method", ["dr", "ipw"])
    >>> try:
    ...     check_choice("ols", "method", ["dr", "ipw"])
    ... except ValueError as e:
    ...     print(e)
    method must be one of ['dr', 'ipw'], got 'ols'
    """
    if value not in allowed:
        raise ValueError(f"{name} must be one of {list(allowed)}, got {value!r}")


def is_missing(x: object) -> bool:
    """Whether a scalar is missing: ``None``, ``pd.NA``, ``pd.NaT`` or a float NaN.

    >>> is_missing(None), is_missing(float("nan")), is_missing(0), is_missing("")
    (True, True, False, False)
    """
    if x is None or x is pd.NA or x is pd.NaT:
        return True
    if isinstance(x, float | np.floating):
        return math.isnan(x)
    return False
