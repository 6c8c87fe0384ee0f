"""Argument checks shared by every layer.

Errors for programmers carry English messages; :func:`check_keys`, which checks a
settings file a person wrote (an agency profile, a column mapping), speaks to the
analyst in Indonesian and raises the caller's own error class.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["require_columns", "check_choice", "check_keys", "is_missing"]


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


def check_keys(
    where: str, got: Mapping[str, Any], allowed: set[str], error: type[Exception]
) -> None:
    """Raise ``error`` naming the keys of a settings block that are not ``allowed``.

    ``where`` names the file and block (``"profil.yaml: instansi"``); the message lists the
    unknown keys and the allowed ones, sorted.

    >>> check_keys("profil.yaml", {"nama": 1}, {"nama", "jenis"}, ValueError)
    >>> check_keys("profil.yaml", {"nma": 1}, {"nama"}, ValueError)
    Traceback (most recent call last):
    ...
    ValueError: profil.yaml: kunci tidak dikenal ['nma']; yang boleh: ['nama']
    """
    unknown = sorted(set(got) - allowed)
    if unknown:
        raise error(f"{where}: kunci tidak dikenal {unknown}; yang boleh: {sorted(allowed)}")


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
