"""The three-level ratings of hasil kerja and perilaku kerja (PermenPAN-RB 6/2022).

Each of an employee's results and behaviour is rated *Di Atas Ekspektasi*, *Sesuai
Ekspektasi* or *Di Bawah Ekspektasi*; the pair gives the predikat
(:mod:`kinerja_analysis.domain.predikat`).

>>> rating_label("Di Atas Ekspektasi")
'di_atas'
"""

from __future__ import annotations

import pandas as pd

__all__ = ["DI_ATAS", "SESUAI", "DI_BAWAH", "RATING_ORDER", "EPS", "rating_label", "rate"]

#: Tolerance for comparing shares and scores with rule limits (float noise).
EPS = 1e-9

DI_ATAS = "Di Atas Ekspektasi"


SESUAI = "Sesuai Ekspektasi"


DI_BAWAH = "Di Bawah Ekspektasi"


#: Rating labels of hasil kerja and perilaku kerja, worst first.
RATING_ORDER: tuple[str, ...] = (DI_BAWAH, SESUAI, DI_ATAS)


_RATING_ALIASES: dict[str, str] = {
    DI_ATAS: "di_atas",
    SESUAI: "sesuai",
    DI_BAWAH: "di_bawah",
    "di_atas": "di_atas",
    "sesuai": "sesuai",
    "di_bawah": "di_bawah",
}


def rating_label(value: str) -> str:
    """Normalise a rating label to its short alias ``di_atas`` / ``sesuai`` / ``di_bawah``.

    Accepts the full labels (``"Di Atas Ekspektasi"``...) and the aliases; anything else
    raises ``ValueError`` naming the value.

    >>> rating_label("Di Atas Ekspektasi"), rating_label("sesuai")
    ('di_atas', 'sesuai')
    """
    try:
        return _RATING_ALIASES[value]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown rating label {value!r}; expected one of {list(_RATING_ALIASES)}"
        ) from None


def rate(values: pd.Series, di_atas: float, di_bawah: float) -> pd.Series:
    """Three-level rating; values compared after rounding to 6 decimals (float noise).

    >>> rate(pd.Series([95.0, 100.0, 110.0]), di_atas=110, di_bawah=100).tolist()
    ['Di Bawah Ekspektasi', 'Sesuai Ekspektasi', 'Di Atas Ekspektasi']
    """
    v = values.astype(float).round(6)
    out = pd.Series(SESUAI, index=values.index, dtype=object)
    out[v >= di_atas] = DI_ATAS
    out[v < di_bawah] = DI_BAWAH
    out[v.isna()] = None
    return out
