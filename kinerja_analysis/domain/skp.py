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
    """
    require_columns(skp, ["aspek", "target", "realisasi"], "capaian_skp")
    if waktu_rule not in ("permenpan", "bkn2013", "rasio"):
        raise ValueError(
            f"waktu_rule must be 'permenpan', 'bkn2013' or 'rasio', got {waktu_rule!r}"
        )
    if not (isinstance(cap, int | float) and cap > 0):
        raise ValueError(f"cap must be a positive number, got {cap!r}")
    out = skp.copy()
    target = pd.to_numeric(out["target"], errors="coerce").astype(float)
    real = pd.to_numeric(out["realisasi"], errors="coerce").astype(float)
    bad = ~(target > 0)
    if bad.any():
        i = bad[bad].index[0]
        val = skp.at[i, "target"]
        val = val.item() if isinstance(val, np.generic) else val
        raise ValueError(
            f"skp: target must be > 0; row {i!r} has target={val!r} ({int(bad.sum())} such row(s))"
        )
    aspek = out["aspek"].astype(str)
    unknown = ~aspek.isin(["kuantitas", "kualitas", "waktu"])
    if unknown.any():
        i = unknown[unknown].index[0]
        raise ValueError(f"skp: unknown aspek {skp.at[i, 'aspek']!r} in row {i!r}")
    ratio = real / target
    cap_val = ratio * 100.0
    waktu = aspek == "waktu"
    if waktu_rule == "permenpan":
        w = (2.0 - ratio) * 100.0
    elif waktu_rule == "bkn2013":
        base = (1.76 - ratio) * 100.0
        efisiensi = 1.0 - ratio
        w = base.where(efisiensi <= 0.24 + EPS, 76.0 - (base - 100.0))
    else:
        with np.errstate(divide="ignore"):
            w = pd.Series(np.where(real > 0, 100.0 / ratio, np.inf), index=out.index)
    cap_val = cap_val.where(~waktu, w)
    out["capaian"] = cap_val.clip(lower=0.0, upper=float(cap))
    return out


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
    """
    require_columns(skp, ["nip", "periode", "indikator"], "hasil_kerja")
    c = capaian_skp(skp, cap=cap, waktu_rule=waktu_rule)
    per_ind = c.groupby(["nip", "periode", "indikator"], sort=True, observed=True)["capaian"].mean()
    g = per_ind.groupby(level=["nip", "periode"], observed=True)
    out = pd.DataFrame({"capaian": g.mean(), "n_indikator": g.size()}).reset_index()
    out["rating_hasil"] = rate(out["capaian"], cutoffs.di_atas, cutoffs.di_bawah)
    return out
