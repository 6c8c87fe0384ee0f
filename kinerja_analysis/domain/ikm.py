"""Indeks Kepuasan Masyarakat (PermenPAN-RB 14/2017).

Nine elements scored 1–4; NRR per element = mean score; IKM = (Σ NRR / 9) × 25, with the
categories A (Sangat Baik) … D (Tidak Baik) (:func:`ikm`, :func:`ikm_kategori`,
:func:`ikm_from_responses` from respondent-level answers).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pandas as pd

from kinerja_analysis.core.checks import is_missing, require_columns
from kinerja_analysis.core.deprecation import renamed_keywords
from kinerja_analysis.data.contract import IKM_UNSUR

# --------------------------------------------------------------------------------------
# 7. IKM (PermenPAN-RB 14/2017)
# --------------------------------------------------------------------------------------


class IkmKategori(NamedTuple):
    """Quality grade (``mutu``) and performance label (``kinerja``) of an IKM value."""

    mutu: str
    kinerja: str


_IKM_BANDS: tuple[tuple[float, str, str], ...] = (
    (88.31, "A", "Sangat Baik"),
    (76.61, "B", "Baik"),
    (65.00, "C", "Kurang Baik"),
    (25.00, "D", "Tidak Baik"),
)


def _ikm_kat_one(v: float) -> IkmKategori | None:
    if v is None or not math.isfinite(v):
        return None
    r = round(float(v), 2)
    if r < 25.0 or r > 100.0:
        raise ValueError(f"IKM value {v!r} lies outside 25-100")
    for lo, mutu, kin in _IKM_BANDS:
        if r >= lo - 1e-9:
            return IkmKategori(mutu, kin)
    raise AssertionError("unreachable")  # pragma: no cover


def ikm_kategori(value):
    """Mutu pelayanan (A-D) and kinerja unit pelayanan for an IKM value.

    Parameters
    ----------
    value
        A number (25-100), or a Series / array-like of numbers (missing allowed).

    Returns
    -------
    IkmKategori or DataFrame
        For a scalar, ``IkmKategori(mutu, kinerja)`` (None for a missing value); for a
        Series/array, a DataFrame with columns ``mutu, kinerja`` (same index for a
        Series).

    Notes
    -----
    PermenPAN-RB 14/2017: 25.00-64.99 D (Tidak Baik), 65.00-76.60 C (Kurang Baik),
    76.61-88.30 B (Baik), 88.31-100.00 A (Sangat Baik). The published intervals have two
    decimals, so the value is first rounded to 2 decimals (``round``: e.g. 76.604 ->
    76.60 -> C, 76.606 -> 76.61 -> B). Values outside 25-100 raise ``ValueError``.

    Examples
    --------
    >>> ikm_kategori(76.604), ikm_kategori(88.31).mutu
    (IkmKategori(mutu='C', kinerja='Kurang Baik'), 'A')
    """
    if np.ndim(value) == 0:
        return _ikm_kat_one(None if is_missing(value) else float(value))
    index = value.index if isinstance(value, pd.Series) else None
    vals = pd.to_numeric(pd.Series(np.asarray(value, dtype=object)), errors="raise")
    cats = [_ikm_kat_one(float(v)) for v in vals]
    return pd.DataFrame(
        {
            "mutu": [c.mutu if c else None for c in cats],
            "kinerja": [c.kinerja if c else None for c in cats],
        },
        index=index,
    )


def _ikm_from_nrr(nrr: pd.DataFrame) -> pd.Series:
    """IKM = (sum of NRR / 9) x 25, NaN when any element is missing."""
    return nrr[list(IKM_UNSUR)].astype(float).mean(axis=1, skipna=False) * 25.0


@renamed_keywords(toleransi="tolerance")
def ikm(layanan: pd.DataFrame, *, tolerance: float = 0.01) -> pd.DataFrame:
    """IKM per OPD x period from the ``layanan`` table.

    Parameters
    ----------
    layanan
        ``opd, periode`` and either ``u1..u9`` (element means, 1-4) or ``ikm`` (25-100),
        or both.
    tolerance
        Largest accepted difference between the reported ``ikm`` and the one computed
        from ``u1..u9``.

    Returns
    -------
    DataFrame
        ``opd, periode, ikm`` (the value used), ``ikm_unsur`` (from u1..u9),
        ``ikm_dilaporkan`` (the ``ikm`` column), ``selisih`` (reported - computed),
        ``konsisten`` (boolean; NA unless both present), ``sumber`` (``"unsur"``,
        ``"dilaporkan"`` or None), ``mutu``, ``kinerja``.

    Notes
    -----
    PermenPAN-RB 14/2017: NRR per element = mean score of the respondents; with equal
    weights 1/9, ``IKM = (sum NRR / 9) x 25``. Here u1..u9 already are NRR. The exact
    weight 1/9 is used; worksheets that round the weight to 0.111 give values up to
    about 0.1 lower. When all nine elements are present the computed value is used
    (``sumber = "unsur"``), otherwise the reported ``ikm``. Categories by
    :func:`ikm_kategori`.

    Examples
    --------
    >>> lay = pd.DataFrame({"opd": ["A", "B"], "periode": "2025Q1", "ikm": [80.0, 90.5]})
    >>> ikm(lay)[["opd", "ikm", "sumber", "mutu", "kinerja"]]
      opd   ikm      sumber mutu      kinerja
    0   A  80.0  dilaporkan    B         Baik
    1   B  90.5  dilaporkan    A  Sangat Baik
    """
    require_columns(layanan, ["opd", "periode"], "ikm: layanan")
    has_u = all(u in layanan.columns for u in IKM_UNSUR)
    has_ikm = "ikm" in layanan.columns
    if not (has_u or has_ikm):
        raise ValueError("ikm: layanan needs an 'ikm' column or all of u1..u9")
    out = layanan[["opd", "periode"]].copy()
    if has_u:
        u = layanan[list(IKM_UNSUR)].apply(pd.to_numeric, errors="coerce").astype(float)
        bad = (u < 1) | (u > 4)
        if bad.any().any():
            i, c = next((i, c) for c in u.columns for i in u.index[bad[c]])
            raise ValueError(f"layanan: {c} must lie in 1-4; row {i!r} has {layanan.at[i, c]!r}")
        out["ikm_unsur"] = _ikm_from_nrr(u)
    else:
        out["ikm_unsur"] = np.nan
    out["ikm_dilaporkan"] = (
        pd.to_numeric(layanan["ikm"], errors="coerce").astype(float) if has_ikm else np.nan
    )
    out["selisih"] = out["ikm_dilaporkan"] - out["ikm_unsur"]
    both = out["ikm_unsur"].notna() & out["ikm_dilaporkan"].notna()
    kons = pd.Series(pd.NA, index=out.index, dtype="boolean")
    kons[both] = out.loc[both, "selisih"].abs() <= tolerance + 1e-9
    out["konsisten"] = kons
    out["ikm"] = out["ikm_unsur"].where(out["ikm_unsur"].notna(), out["ikm_dilaporkan"])
    sumber = pd.Series(None, index=out.index, dtype=object)
    sumber[out["ikm_dilaporkan"].notna()] = "dilaporkan"
    sumber[out["ikm_unsur"].notna()] = "unsur"
    out["sumber"] = sumber
    kat = ikm_kategori(out["ikm"])
    out["mutu"] = kat["mutu"]
    out["kinerja"] = kat["kinerja"]
    return out[
        [
            "opd",
            "periode",
            "ikm",
            "ikm_unsur",
            "ikm_dilaporkan",
            "selisih",
            "konsisten",
            "sumber",
            "mutu",
            "kinerja",
        ]
    ].reset_index(drop=True)


def ikm_from_responses(
    responses: pd.DataFrame, *, by: tuple[str, ...] | list[str] | None = None
) -> pd.DataFrame:
    """IKM from respondent-level answers — the official PermenPAN-RB 14/2017 procedure.

    Parameters
    ----------
    responses
        One row per respondent with ``u1..u9`` (integers 1-4; missing allowed) and
        grouping columns.
    by
        Grouping columns; default: those of ``opd``, ``periode`` that are present.

    Returns
    -------
    DataFrame
        ``<by>, n_responden, u1..u9`` (NRR: mean score per element over the respondents
        who answered it), ``ikm``, ``mutu``, ``kinerja``. The ``u1..u9`` columns make the
        result a valid input of :func:`ikm`.

    Notes
    -----
    ``NRR_j = sum of scores of element j / number of answers``;
    ``IKM = sum_j (NRR_j x 1/9) x 25``. Scores outside 1-4 or non-integers raise
    ``ValueError`` naming the row and column.

    Examples
    --------
    >>> r = pd.DataFrame({f"u{j}": [3, 4, 3] for j in range(1, 10)}).assign(opd="A")
    >>> ikm_from_responses(r)[["opd", "n_responden", "ikm", "mutu"]].round(2)
      opd  n_responden    ikm mutu
    0   A            3  83.33    B
    """
    require_columns(responses, list(IKM_UNSUR), "ikm_dari_responden")
    if by is None:
        by = [c for c in ("opd", "periode") if c in responses.columns]
    by = list(by)
    require_columns(responses, by, "ikm_dari_responden")
    u = responses[list(IKM_UNSUR)].apply(pd.to_numeric, errors="coerce").astype(float)
    raw_missing = responses[list(IKM_UNSUR)].isna()
    bad = ((u < 1) | (u > 4) | (u.notna() & (u != u.round()))) | (u.isna() & ~raw_missing)
    if bad.any().any():
        i, c = next((i, c) for c in u.columns for i in u.index[bad[c]])
        raise ValueError(
            f"responses: {c} must be an integer 1-4; row {i!r} has {responses.at[i, c]!r}"
        )
    d = pd.concat([responses[by].reset_index(drop=True), u.reset_index(drop=True)], axis=1)
    if by:
        g = d.groupby(by, observed=True, sort=True, dropna=False)
        nrr = g[list(IKM_UNSUR)].mean()
        nrr.insert(0, "n_responden", g.size())
        out = nrr.reset_index()
    else:
        out = d[list(IKM_UNSUR)].mean().to_frame().T
        out.insert(0, "n_responden", len(d))
    out["ikm"] = _ikm_from_nrr(out)
    kat = ikm_kategori(out["ikm"])
    out["mutu"] = kat["mutu"].to_numpy()
    out["kinerja"] = kat["kinerja"].to_numpy()
    return out
