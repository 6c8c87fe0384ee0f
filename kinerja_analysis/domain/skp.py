"""Hasil kerja: SKP capaian per indicator and the rating per employee × period.

:func:`capaian_skp` computes capaian per indicator row (PermenPAN-RB 8/2021 annex: waktu
is "smaller is better" with its efficiency formula; Perka BKN 1/2013 and a plain ratio as
options; capped at 120 %); :func:`hasil_kerja` aggregates to the employee × period and
rates it Di Atas / Sesuai / Di Bawah Ekspektasi (:class:`HasilCutoffs`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from kinerja_analysis.core.checks import require_columns
from kinerja_analysis.core.keys import text_codes, with_pair_keys
from kinerja_analysis.domain.ratings import EPS, rate

# --------------------------------------------------------------------------------------
# Configuration dataclasses
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HasilCutoffs:
    """Cut-offs of the hasil kerja rating on capaian (percent of target).

    ``capaian >= di_atas`` is *Di Atas Ekspektasi*, ``capaian < di_bawah`` is *Di Bawah
    Ekspektasi*, anything in between *Sesuai Ekspektasi*. The defaults (110 / 90) follow
    the PermenPAN-RB 8/2021 capaian categories (above 110 % counts as maximal; below
    80-90 % as *Cukup* or worse); they are a policy choice, change them here.
    """

    di_atas: float = 110.0
    di_bawah: float = 90.0

    def __post_init__(self) -> None:
        if not (math.isfinite(self.di_atas) and math.isfinite(self.di_bawah)):
            raise ValueError("HasilCutoffs: cut-offs must be finite numbers")
        if self.di_bawah >= self.di_atas:
            raise ValueError(
                f"HasilCutoffs: di_bawah ({self.di_bawah}) must be below di_atas ({self.di_atas})"
            )


# --------------------------------------------------------------------------------------
# 1. Hasil kerja
# --------------------------------------------------------------------------------------


def capaian_skp(
    skp: pd.DataFrame,
    *,
    cap: float = 120.0,
    waktu_rule: Literal["permenpan", "bkn2013", "rasio"] = "permenpan",
) -> pd.DataFrame:
    """Capaian (achievement, percent) of every SKP indicator row.

    Parameters
    ----------
    skp
        The ``skp`` table: ``nip, periode, indikator, aspek, target, realisasi``.
    cap
        Upper cap of capaian in percent (applied after the formula). Values are also
        floored at 0.
    waktu_rule
        Formula for the *waktu* aspect, where less is better:

        - ``"permenpan"`` (default): ``(1 + (1 - realisasi/target)) x 100`` — the
          "kondisi khusus" formula of the PermenPAN-RB 8/2021 annex (capaian IKI for
          indicators where a smaller realisation is better). Checked against its worked
          examples: target 7 months, realisasi 6.5 -> 107 %; target 8, realisasi 9 ->
          87.5 %. On time gives 100, on the same scale as kuantitas/kualitas.
        - ``"bkn2013"``: Perka BKN 1/2013 (PP 46/2011 era). Efficiency
          ``e = 1 - realisasi/target``; if ``e <= 24 %``:
          ``(1.76 x target - realisasi)/target x 100`` (used for late delivery too);
          otherwise ``76 - ((1.76 x target - realisasi)/target x 100 - 100)``, which
          penalises targets that were far too loose. On time gives 76 (that scale's
          "Baik"), so it does not sit on the same scale as kuantitas = 100 %; use it only
          to reproduce old SKP worksheets. Checked against the Perka's worked example
          (target 12 months, realisasi 12 -> 76.00).
        - ``"rasio"``: ``target/realisasi x 100``.

    Returns
    -------
    DataFrame
        The input columns plus ``capaian`` (float, percent, in ``[0, cap]``), one row per
        input row, same index.

    Notes
    -----
    *kuantitas* and *kualitas*: ``realisasi/target x 100`` (PermenPAN-RB 8/2021,
    "kondisi normal"). A target <= 0 or missing raises ``ValueError`` naming the row.

    Examples
    --------
    >>> skp = pd.DataFrame({"nip": ["a", "a", "b"], "periode": "2025Q1", "indikator": ["i1", "i2", "i1"], "aspek": ["kuantitas", "waktu", "kualitas"], "target": [10.0, 6.0, 100.0], "realisasi": [12.0, 6.5, 80.0]})
    >>> capaian_skp(skp)["capaian"].round(1).tolist()
    [120.0, 91.7, 80.0]
    """
    out = skp.copy()
    out["capaian"] = _capaian_values(skp, cap=cap, waktu_rule=waktu_rule)
    return out


def _capaian_values(
    skp: pd.DataFrame, *, cap: float, waktu_rule: Literal["permenpan", "bkn2013", "rasio"]
) -> np.ndarray:
    """Capaian of every row (float array): the formulas of :func:`capaian_skp`."""
    require_columns(skp, ["aspek", "target", "realisasi"], "capaian_skp")
    if waktu_rule not in ("permenpan", "bkn2013", "rasio"):
        raise ValueError(
            f"waktu_rule must be 'permenpan', 'bkn2013' or 'rasio', got {waktu_rule!r}"
        )
    if not (isinstance(cap, int | float) and cap > 0):
        raise ValueError(f"cap must be a positive number, got {cap!r}")
    target = pd.to_numeric(skp["target"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    real = pd.to_numeric(skp["realisasi"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = ~(target > 0)
    if bad.any():
        i = skp.index[int(np.argmax(bad))]
        val = skp.at[i, "target"]
        val = val.item() if isinstance(val, np.generic) else val
        raise ValueError(
            f"skp: target must be > 0; row {i!r} has target={val!r} ({int(bad.sum())} such row(s))"
        )
    codes, _, text = text_codes(skp["aspek"])
    known = np.isin(text, ["kuantitas", "kualitas", "waktu"])
    unknown = (codes < 0) | ~known[np.maximum(codes, 0)] if len(text) else codes < 0
    if unknown.any():
        i = skp.index[int(np.argmax(unknown))]
        raise ValueError(f"skp: unknown aspek {skp.at[i, 'aspek']!r} in row {i!r}")
    ratio = real / target
    cap_val = ratio * 100.0
    waktu = codes == list(text).index("waktu") if "waktu" in text else np.zeros(len(codes), bool)
    if waktu_rule == "permenpan":
        w = (2.0 - ratio) * 100.0
    elif waktu_rule == "bkn2013":
        base = (1.76 - ratio) * 100.0
        efisiensi = 1.0 - ratio
        w = np.where(efisiensi <= 0.24 + EPS, base, 76.0 - (base - 100.0))
    else:
        with np.errstate(divide="ignore"):
            w = np.where(real > 0, 100.0 / ratio, np.inf)
    cap_val = np.where(waktu, w, cap_val)
    return np.clip(cap_val, 0.0, float(cap))


def hasil_kerja(
    skp: pd.DataFrame,
    *,
    cutoffs: HasilCutoffs = HasilCutoffs(),
    cap: float = 120.0,
    waktu_rule: Literal["permenpan", "bkn2013", "rasio"] = "permenpan",
) -> pd.DataFrame:
    """Hasil kerja rating per employee x period.

    Returns
    -------
    DataFrame
        ``nip, periode, capaian, n_indikator, rating_hasil``: capaian is the mean over
        indicators of the mean over that indicator's aspects (percent);
        ``rating_hasil`` is one of :data:`RATING_ORDER`.

    Notes
    -----
    Rating: ``capaian >= cutoffs.di_atas`` -> Di Atas, ``capaian < cutoffs.di_bawah``
    -> Di Bawah, else Sesuai (compared after rounding capaian to 6 decimals). Each
    indicator counts equally whatever its number of aspects. See :func:`capaian_skp` for
    the per-aspect formulas.

    Examples
    --------
    >>> skp = pd.DataFrame({"nip": ["a", "a", "b"], "periode": "2025Q1", "indikator": ["i1", "i2", "i1"], "aspek": ["kuantitas", "waktu", "kualitas"], "target": [10.0, 6.0, 100.0], "realisasi": [12.0, 6.5, 80.0]})
    >>> hasil_kerja(skp).round(2)
      nip periode  capaian  n_indikator         rating_hasil
    0   a  2025Q1   105.83            2    Sesuai Ekspektasi
    1   b  2025Q1    80.00            1  Di Bawah Ekspektasi
    """
    require_columns(skp, ["nip", "periode", "indikator"], "hasil_kerja")
    capaian = _capaian_values(skp, cap=cap, waktu_rule=waktu_rule)
    nip, nip_values, _ = text_codes(skp["nip"])
    periode, periode_values, _ = text_codes(skp["periode"])
    indikator, indikator_values, _ = text_codes(skp["indikator"])
    ok = (nip >= 0) & (periode >= 0) & (indikator >= 0)  # groupby leaves out missing keys
    n_p, n_i = max(len(periode_values), 1), max(len(indikator_values), 1)
    key = ((nip * n_p + periode) * n_i + indikator)[ok]
    per_ind = pd.Series(capaian[ok]).groupby(key, sort=True, observed=True).mean()
    g = per_ind.groupby(per_ind.index.to_numpy() // n_i, sort=True, observed=True)
    out = pd.DataFrame({"capaian": g.mean(), "n_indikator": g.size()})
    out = with_pair_keys(out, nip_values, periode_values, ("nip", "periode"))
    out["rating_hasil"] = rate(out["capaian"], cutoffs.di_atas, cutoffs.di_bawah)
    return out
