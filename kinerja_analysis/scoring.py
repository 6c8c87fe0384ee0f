"""Per-period evaluation of employees: hasil kerja, perilaku kerja, predikat, IKM.

Turns the canonical tables of :mod:`kinerja_analysis.contract` into evaluations:

1. *Hasil kerja* — capaian per SKP indicator and a rating per employee x period
   (:func:`capaian_skp`, :func:`hasil_kerja`).
2. *Perilaku kerja* — 360-degree BerAKHLAK ratings adjusted for rater leniency and role
   effects (:func:`rater_model`, :func:`rater_effects`, :func:`perilaku_kerja`,
   :func:`perilaku_ringkas`).
3. *Predikat kinerja* — the PermenPAN-RB 6/2022 matrix (:func:`predikat`,
   :func:`evaluasi_periode`).
4. Distribution of predikat per OPD against SE MenPAN-RB 3/2023 (:func:`cek_distribusi`).
5. Strengths and weaknesses per BerAKHLAK dimension (:func:`kekuatan_kelemahan`,
   :func:`profil_opd`).
6. Output versus behaviour (:func:`hasil_vs_kompetensi`).
7. Indeks Kepuasan Masyarakat, PermenPAN-RB 14/2017 (:func:`ikm`, :func:`ikm_kategori`,
   :func:`ikm_dari_responden`).

Every function is pure: inputs are never modified, results are new DataFrames or frozen
dataclasses.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse, stats
from scipy.sparse.linalg import splu

from .contract import BERAKHLAK, IKM_UNSUR

__all__ = [
    "DI_ATAS",
    "SESUAI",
    "DI_BAWAH",
    "SANGAT_BAIK",
    "BAIK",
    "BUTUH_PERBAIKAN",
    "KURANG",
    "SANGAT_KURANG",
    "RATING_ORDER",
    "PREDIKAT_ORDER",
    "PREDIKAT_DTYPE",
    "PREDIKAT_ORGANISASI",
    "HasilCutoffs",
    "PerilakuCutoffs",
    "RoleWeights",
    "RaterModel",
    "HasilVsKompetensi",
    "IkmKategori",
    "capaian_skp",
    "hasil_kerja",
    "rater_model",
    "rater_effects",
    "perilaku_kerja",
    "perilaku_ringkas",
    "rating_label",
    "predikat",
    "evaluasi_periode",
    "cek_distribusi",
    "kekuatan_kelemahan",
    "profil_opd",
    "hasil_vs_kompetensi",
    "ikm",
    "ikm_kategori",
    "ikm_dari_responden",
]

# --------------------------------------------------------------------------------------
# Labels
# --------------------------------------------------------------------------------------

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

SANGAT_BAIK = "Sangat Baik"
BAIK = "Baik"
BUTUH_PERBAIKAN = "Butuh Perbaikan"
KURANG = "Kurang/Misconduct"
SANGAT_KURANG = "Sangat Kurang"

#: Predikat kinerja (PermenPAN-RB 6/2022), worst first, so that an ordered categorical
#: compares naturally (``"Baik" > "Butuh Perbaikan"``).
PREDIKAT_ORDER: tuple[str, ...] = (SANGAT_KURANG, KURANG, BUTUH_PERBAIKAN, BAIK, SANGAT_BAIK)
#: Ordered categorical dtype of :data:`PREDIKAT_ORDER`.
PREDIKAT_DTYPE = pd.CategoricalDtype(list(PREDIKAT_ORDER), ordered=True)

# (hasil, perilaku) -> predikat. PermenPAN-RB 6/2022; DESIGN.md section 3.
_PREDIKAT_MATRIX: dict[tuple[str, str], str] = {
    ("di_atas", "di_bawah"): KURANG,
    ("di_atas", "sesuai"): BAIK,
    ("di_atas", "di_atas"): SANGAT_BAIK,
    ("sesuai", "di_bawah"): KURANG,
    ("sesuai", "sesuai"): BAIK,
    ("sesuai", "di_atas"): BAIK,
    ("di_bawah", "di_bawah"): SANGAT_KURANG,
    ("di_bawah", "sesuai"): BUTUH_PERBAIKAN,
    ("di_bawah", "di_atas"): BUTUH_PERBAIKAN,
}

#: Organisation predikat used by SE MenPAN-RB 3/2023 to set the allowed distribution.
PREDIKAT_ORGANISASI: tuple[str, ...] = (
    "Istimewa",
    "Baik",
    "Butuh Perbaikan",
    "Kurang",
    "Sangat Kurang",
)

_ROLES_OTHERS: tuple[str, ...] = ("atasan", "rekan", "bawahan")
_EPS = 1e-9


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


@dataclass(frozen=True)
class PerilakuCutoffs:
    """Cut-offs of the perilaku kerja rating on the 1-5 BerAKHLAK scale.

    ``skor >= di_atas`` is *Di Atas Ekspektasi*, ``skor < di_bawah`` is *Di Bawah
    Ekspektasi*. On a 1-5 scale 3 is "as expected"; with the defaults (4.25 / 3.0) an
    employee is rated above expectations only when the (leniency-adjusted) raters agree
    on clearly more than "good" across the seven values, and below expectations only when
    the average falls under the scale's middle — so on realistic data most employees are
    *Sesuai*, giving predikat *Baik*.
    """

    di_atas: float = 4.25
    di_bawah: float = 3.0

    def __post_init__(self) -> None:
        if not (1.0 <= self.di_bawah < self.di_atas <= 5.0):
            raise ValueError(
                "PerilakuCutoffs: need 1 <= di_bawah < di_atas <= 5, got "
                f"di_bawah={self.di_bawah}, di_atas={self.di_atas}"
            )


@dataclass(frozen=True)
class RoleWeights:
    """Weights of the rater roles in the perilaku score (renormalised over roles present).

    The supervisor (*atasan*) is the official evaluator under PermenPAN-RB 6/2022, so the
    default gives the atasan most weight; peers and subordinates add the 360-degree view.
    Self-ratings (*diri*) never enter the score.
    """

    atasan: float = 0.6
    rekan: float = 0.25
    bawahan: float = 0.15

    def __post_init__(self) -> None:
        vals = (self.atasan, self.rekan, self.bawahan)
        if any((not math.isfinite(v)) or v < 0 for v in vals) or sum(vals) <= 0:
            raise ValueError(
                f"RoleWeights: weights must be finite, >= 0 and not all zero, got {vals}"
            )

    def as_dict(self) -> dict[str, float]:
        return {"atasan": self.atasan, "rekan": self.rekan, "bawahan": self.bawahan}


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


def _require(df: pd.DataFrame, cols: tuple[str, ...] | list[str], what: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"{what}: missing column(s) {missing}; present: {list(df.columns)}")


def _rate(values: pd.Series, di_atas: float, di_bawah: float) -> pd.Series:
    """Three-level rating; values compared after rounding to 6 decimals (float noise)."""
    v = values.astype(float).round(6)
    out = pd.Series(SESUAI, index=values.index, dtype=object)
    out[v >= di_atas] = DI_ATAS
    out[v < di_bawah] = DI_BAWAH
    out[v.isna()] = None
    return out


def rating_label(value: str) -> str:
    """Normalise a rating label to its short alias ``di_atas`` / ``sesuai`` / ``di_bawah``.

    Accepts the full labels (``"Di Atas Ekspektasi"``...) and the aliases; anything else
    raises ``ValueError`` naming the value.
    """
    try:
        return _RATING_ALIASES[value]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown rating label {value!r}; expected one of {list(_RATING_ALIASES)}"
        ) from None


def _is_missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA


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
    _require(skp, ["aspek", "target", "realisasi"], "capaian_skp")
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
        w = base.where(efisiensi <= 0.24 + _EPS, 76.0 - (base - 100.0))
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
    _require(skp, ["nip", "periode", "indikator"], "hasil_kerja")
    c = capaian_skp(skp, cap=cap, waktu_rule=waktu_rule)
    per_ind = c.groupby(["nip", "periode", "indikator"], sort=True, observed=True)["capaian"].mean()
    g = per_ind.groupby(level=["nip", "periode"], observed=True)
    out = pd.DataFrame({"capaian": g.mean(), "n_indikator": g.size()}).reset_index()
    out["rating_hasil"] = _rate(out["capaian"], cutoffs.di_atas, cutoffs.di_bawah)
    return out


# --------------------------------------------------------------------------------------
# 2. Perilaku kerja (360 degrees)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RaterModel:
    """Fitted crossed fixed-effects model of 360-degree ratings.

    ``skor = mu[ratee, periode, dimensi] + peran[role] + leniency[rater] + error``,
    self-ratings excluded.

    Attributes
    ----------
    penilai
        One row per rater: ``id_penilai, peran, n_ratings, n_dinilai, n_efektif,
        leniency_raw, faktor_susut, leniency, std_error``.
    peran
        One row per role: ``peran_penilai, efek, n_ratings`` (effect relative to atasan).
    k
        Shrinkage constant used (``var_noise / var_leniency`` when estimated).
    var_leniency, var_noise
        Variance components (between-rater leniency; noise of one rater's mean rating of
        one employee in one period).
    n_ratings
        Number of (non-self) ratings used.
    """

    penilai: pd.DataFrame
    peran: pd.DataFrame
    k: float
    var_leniency: float
    var_noise: float
    n_ratings: int

    def tidy(self) -> pd.DataFrame:
        """Rater and role effects in the project's tidy column set."""
        p = self.penilai
        rows = pd.DataFrame(
            {
                "term": "penilai:" + p["id_penilai"].astype(str),
                "estimate": p["leniency"],
                "std_error": p["std_error"] * p["faktor_susut"],
                "n_obs": p["n_ratings"],
            }
        )
        r = self.peran
        roles = pd.DataFrame(
            {
                "term": "peran:" + r["peran_penilai"].astype(str),
                "estimate": r["efek"],
                "std_error": np.nan,
                "n_obs": r["n_ratings"],
            }
        )
        out = pd.concat([roles, rows], ignore_index=True)
        out["ci_low"] = out["estimate"] - 1.959964 * out["std_error"]
        out["ci_high"] = out["estimate"] + 1.959964 * out["std_error"]
        out["p_value"] = np.nan
        out["method"] = "crossed fixed effects (least squares), empirical-Bayes shrinkage"
        return out[
            ["term", "estimate", "std_error", "ci_low", "ci_high", "p_value", "n_obs", "method"]
        ]


def _others(perilaku: pd.DataFrame) -> pd.DataFrame:
    _require(
        perilaku,
        ["nip", "periode", "id_penilai", "peran_penilai", "dimensi", "skor"],
        "perilaku",
    )
    roles = perilaku["peran_penilai"].astype(str)
    bad = ~roles.isin(list(_ROLES_OTHERS) + ["diri"])
    if bad.any():
        i = bad[bad].index[0]
        raise ValueError(
            f"perilaku: unknown peran_penilai {perilaku.at[i, 'peran_penilai']!r} in row {i!r}"
        )
    d = perilaku.loc[roles != "diri", ["nip", "periode", "id_penilai", "peran_penilai"]].copy()
    d["dimensi"] = perilaku.loc[d.index, "dimensi"]
    d["skor"] = pd.to_numeric(perilaku.loc[d.index, "skor"], errors="coerce").astype(float)
    return d[d["skor"].notna()]


def _indicator(codes: np.ndarray, n: int) -> sparse.csr_matrix:
    rows = np.arange(len(codes))
    return sparse.csr_matrix((np.ones(len(codes)), (rows, codes)), shape=(len(codes), n))


def _fe_solve(
    y: np.ndarray,
    cell: np.ndarray,
    role: np.ndarray,
    rater: np.ndarray,
    n: tuple[int, int, int],
    ref: int | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Least squares of ``y = mu[cell] + a[role] + b[rater]`` (``y`` may have columns).

    The cell effects are absorbed (within-cell demeaning) and the reduced normal
    equations of ``(a, b)`` are solved by a sparse LU factorisation, with ``a[ref] = 0``
    and a ridge of 1e-7 x the largest diagonal element on the rater block only. Among
    the least-squares solutions this picks (in the limit) the one with the smallest
    rater effects: directions the data cannot identify — a rater rated nobody that
    anyone else rated, or, in a strictly layered hierarchy, a level-wide leniency that
    cannot be told apart from a role effect — are attributed to the roles, not to
    individual raters. Then ``b`` is shifted to count-weighted mean 0 (into ``mu``).
    """
    y2 = y.reshape(len(y), -1).astype(float)
    nc, ng, nr = n
    dc = _indicator(cell, nc)
    x = sparse.hstack([_indicator(role, ng), _indicator(rater, nr)], format="csr")
    cc = np.asarray(dc.sum(axis=0)).ravel()
    inv_cc = sparse.diags(1.0 / cc)
    bx = (dc.T @ x).tocsr()
    a_mat = (x.T @ x - bx.T @ inv_cc @ bx).tocsc()
    rhs = x.T @ y2 - bx.T @ (inv_cc @ (dc.T @ y2))
    cnt_r = np.bincount(rater, minlength=nr)
    drop = ref if ref is not None else 0
    keep = np.array([j for j in range(ng + nr) if j != drop])
    sub = a_mat[keep][:, keep]
    pen = np.where(keep >= ng, 1e-7 * float(sub.diagonal().max()), 0.0)
    sub = (sub + sparse.diags(pen)).tocsc()
    theta = np.zeros((ng + nr, y2.shape[1]))
    theta[keep] = splu(sub).solve(np.asarray(rhs[keep]))
    a, b = theta[:ng], theta[ng:]
    if ref is None:
        a = a - np.average(a, axis=0, weights=np.bincount(role, minlength=ng))
    b = b - np.average(b, axis=0, weights=cnt_r)
    fit_ab = x @ np.vstack([a, b])
    mu = (dc.T @ (y2 - fit_ab)) / cc[:, None]
    resid = y2 - dc @ mu - fit_ab
    shape = (-1,) if y.ndim == 1 else (-1, y2.shape[1])
    return a.reshape(shape), b.reshape(shape), resid.reshape(shape)


def rater_model(
    perilaku: pd.DataFrame,
    *,
    shrinkage_k: float | Literal["auto"] = "auto",
    n_probe: int = 32,
    seed: int = 0,
) -> RaterModel:
    """Estimate rater leniency/severity and role effects from 360-degree ratings.

    Parameters
    ----------
    perilaku
        The ``perilaku`` table (all periods you want to pool; leniency is treated as a
        stable trait of the rater). Self-ratings (``peran_penilai == "diri"``) are left
        out.
    shrinkage_k
        ``"auto"`` estimates ``k = var_noise / var_leniency`` from variance components
        (empirical Bayes); a number fixes ``k``.
    n_probe, seed
        Number of pure-noise probes used to compute each rater's sampling variance, and
        the seed of their generator (:func:`numpy.random.default_rng`).

    Returns
    -------
    RaterModel
        See the class for its tables.

    Notes
    -----
    Model, fitted by least squares (ratee cells absorbed, reduced normal equations of the
    role and rater effects solved by sparse LU)::

        skor[i,p,d,r] = mu[i,p,d] + a[role(r,i)] + b[r] + e

    ``mu`` is a ratee x period x dimension effect, ``a`` a role effect with
    ``a[atasan] = 0`` (peers' or subordinates' general inflation shows up in ``a``, not
    in the raters' leniency), ``b`` the rater's leniency with rating-weighted mean 0.

    Shrinkage (empirical Bayes): ``leniency = b x n/(n + k)``. ``n`` (``n_efektif``) is
    the rater's effective number of independent rated employee-periods,
    ``n = var_noise / Var(b)``, where the sampling variance ``Var(b)`` is obtained
    exactly in expectation by refitting the same design (rater x employee x period units)
    on ``n_probe`` draws of unit-variance noise — it depends on the whole design (how many
    others rated the same employees, the role structure), which a simple count misses by
    a factor up to 3 in realistic designs. ``var_noise = RSS / (N - df)`` on the
    rater x employee x period means of residuals, ``df = #employee-periods + #raters +
    #roles - 2``; ``var_leniency = max(0, mean(b^2) - mean(Var(b)))`` (method of
    moments); ``k = var_noise / var_leniency`` (infinite: every leniency is 0). Checked on
    simulated data with planted leniency and role effects, and on pure noise
    (``tests/test_scoring.py``).
    """
    if not (shrinkage_k == "auto" or (isinstance(shrinkage_k, int | float) and shrinkage_k >= 0)):
        raise ValueError(f"shrinkage_k must be 'auto' or a number >= 0, got {shrinkage_k!r}")
    if n_probe < 2:
        raise ValueError(f"n_probe must be >= 2, got {n_probe!r}")
    d = _others(perilaku)
    if d.empty:
        raise ValueError("perilaku: no ratings from others (atasan/rekan/bawahan) to fit")
    y = d["skor"].to_numpy(float)
    cell = d.groupby(["nip", "periode", "dimensi"], sort=False, observed=True).ngroup().to_numpy()
    rater_codes, rater_ids = pd.factorize(d["id_penilai"].astype(str), sort=True)
    role_codes, role_ids = pd.factorize(d["peran_penilai"].astype(str), sort=True)
    nc, nr, ng = int(cell.max()) + 1, len(rater_ids), len(role_ids)
    ref = list(role_ids).index("atasan") if "atasan" in list(role_ids) else None
    a, b, resid = _fe_solve(y, cell, role_codes, rater_codes, (nc, ng, nr), ref)

    # unit = rater x ratee x period (the 7 dimensions of one rating share a halo)
    units = pd.DataFrame(
        {
            "r": rater_codes,
            "g": role_codes,
            "nip": d["nip"].to_numpy(),
            "periode": d["periode"].to_numpy(),
            "e": resid,
        }
    )
    u = (
        units.groupby(["r", "nip", "periode"], sort=False, observed=True)
        .agg(e=("e", "mean"), g=("g", "first"))
        .reset_index()
    )
    rp = u.groupby(["nip", "periode"], sort=False, observed=True).ngroup().to_numpy()
    n_rp = int(rp.max()) + 1
    r_u, g_u = u["r"].to_numpy(), u["g"].to_numpy()
    n_units = np.bincount(r_u, minlength=nr)
    dof = len(u) - (n_rp + nr + ng - 2)
    var_noise = float((u["e"] ** 2).sum() / dof) if dof > 0 else float("nan")

    probes = np.random.default_rng(seed).standard_normal((len(u), n_probe))
    _, b_probe, _ = _fe_solve(probes, rp, g_u, r_u, (n_rp, ng, nr), ref)
    v_unit = (b_probe**2).mean(axis=1)  # Var(b_r) per unit noise variance
    ok = v_unit > 1e-12
    with np.errstate(divide="ignore"):
        n_eff = np.where(ok, 1.0 / np.where(ok, v_unit, 1.0), 0.0)
    if shrinkage_k == "auto":
        if ok.sum() >= 2 and math.isfinite(var_noise):
            var_len = float(np.mean(b[ok] ** 2) - var_noise * np.mean(v_unit[ok]))
            var_len = max(var_len, 0.0)
        else:
            var_len = 0.0
        k = var_noise / var_len if var_len > 0 else math.inf
    else:
        k = float(shrinkage_k)
        var_len = var_noise / k if k > 0 else math.inf
    factor = np.where(ok, n_eff / (n_eff + k), 0.0) if math.isfinite(k) else np.zeros(nr)
    se = np.where(ok, np.sqrt(var_noise * v_unit), np.nan)

    roles_by_rater = (
        d.assign(_r=rater_codes)
        .groupby("_r")["peran_penilai"]
        .agg(lambda s: ",".join(sorted(set(map(str, s)))))
        .reindex(range(nr))
    )
    b_raw = np.where(ok, b, 0.0)
    penilai = pd.DataFrame(
        {
            "id_penilai": np.asarray(rater_ids, dtype=object),
            "peran": roles_by_rater.to_numpy(),
            "n_ratings": np.bincount(rater_codes, minlength=nr).astype(int),
            "n_dinilai": n_units.astype(int),
            "n_efektif": n_eff,
            "leniency_raw": b_raw,
            "faktor_susut": factor,
            "leniency": b_raw * factor,
            "std_error": se,
        }
    )
    peran = pd.DataFrame(
        {
            "peran_penilai": np.asarray(role_ids, dtype=object),
            "efek": a,
            "n_ratings": np.bincount(role_codes, minlength=ng).astype(int),
        }
    )
    return RaterModel(
        penilai=penilai,
        peran=peran,
        k=float(k),
        var_leniency=float(var_len),
        var_noise=var_noise,
        n_ratings=len(y),
    )


def rater_effects(
    perilaku: pd.DataFrame, *, shrinkage_k: float | Literal["auto"] = "auto"
) -> pd.DataFrame:
    """Per-rater leniency (positive = lenient, negative = severe), shrunk toward zero.

    Returns
    -------
    DataFrame
        ``id_penilai, peran, n_ratings, n_dinilai, n_efektif, leniency_raw,
        faktor_susut, leniency, std_error``; the role effects are in
        :func:`rater_model` (``.peran``).

    Notes
    -----
    Shortcut for ``rater_model(perilaku, shrinkage_k=...).penilai``; see
    :func:`rater_model` for the model and the shrinkage.
    """
    return rater_model(perilaku, shrinkage_k=shrinkage_k).penilai


def perilaku_kerja(
    perilaku: pd.DataFrame,
    *,
    weights: RoleWeights = RoleWeights(),
    adjust: bool = True,
    shrinkage_k: float | Literal["auto"] = "auto",
    model: RaterModel | None = None,
) -> pd.DataFrame:
    """BerAKHLAK score per employee x period x dimension, from 360-degree ratings.

    Parameters
    ----------
    perilaku
        The ``perilaku`` table.
    weights
        Role weights, renormalised over the roles present for that employee-dimension.
    adjust
        Remove the rater's (shrunk) leniency and the role effect from every rating before
        averaging. ``False`` gives plain role-weighted means.
    shrinkage_k
        Passed to :func:`rater_model` when ``model`` is not given.
    model
        A fitted :class:`RaterModel` (e.g. estimated on several periods) to use instead of
        fitting one on ``perilaku``. Raters unknown to it get leniency 0.

    Returns
    -------
    DataFrame
        ``nip, periode, dimensi, skor`` (adjusted if ``adjust``, clipped to 1-5),
        ``skor_mentah`` (same weights, unadjusted), ``skor_atasan, skor_rekan,
        skor_bawahan`` (per-role mean, adjusted if ``adjust``), ``n_atasan, n_rekan,
        n_bawahan, n_penilai`` (raters other than self), ``skor_diri`` (self-rating) and
        ``selisih_diri = skor_diri - skor_mentah`` (self minus others, raw scale).

    Notes
    -----
    ``adjusted = skor - leniency[rater] - efek[role]`` (role effects relative to the
    atasan, so adjusted scores are on the supervisor's scale). Per role, the mean over
    raters; then ``sum(w_role x mean_role) / sum(w_role)`` over the roles present. The
    self-rating is reported but never enters ``skor``. Employee-dimensions rated only by
    themselves get ``skor`` NaN.
    """
    if not isinstance(weights, RoleWeights):
        raise ValueError("weights must be a RoleWeights instance")
    d = _others(perilaku)
    keys = ["nip", "periode", "dimensi"]
    if adjust and not d.empty:
        fit = model if model is not None else rater_model(perilaku, shrinkage_k=shrinkage_k)
        len_map = dict(zip(fit.penilai["id_penilai"], fit.penilai["leniency"], strict=True))
        role_map = dict(zip(fit.peran["peran_penilai"], fit.peran["efek"], strict=True))
        corr = d["id_penilai"].astype(str).map(len_map).fillna(0.0) + d["peran_penilai"].astype(
            str
        ).map(role_map).fillna(0.0)
        d = d.assign(skor_adj=d["skor"] - corr.astype(float))
    else:
        d = d.assign(skor_adj=d["skor"])
    d = d.assign(peran_penilai=d["peran_penilai"].astype(str))
    g = d.groupby([*keys, "peran_penilai"], observed=True, sort=True)
    per_role = g.agg(adj=("skor_adj", "mean"), raw=("skor", "mean"), n=("skor", "size"))
    wide = per_role.unstack("peran_penilai")
    wdict = weights.as_dict()
    out = pd.DataFrame(index=wide.index)
    num_adj = pd.Series(0.0, index=wide.index)
    num_raw = pd.Series(0.0, index=wide.index)
    den = pd.Series(0.0, index=wide.index)
    for role in _ROLES_OTHERS:
        if ("adj", role) in wide.columns:
            adj, raw, n = wide[("adj", role)], wide[("raw", role)], wide[("n", role)]
        else:
            adj = raw = pd.Series(np.nan, index=wide.index)
            n = pd.Series(np.nan, index=wide.index)
        out[f"skor_{role}"] = adj.astype(float)
        out[f"n_{role}"] = n.fillna(0).astype(int)
        present = adj.notna() & (wdict[role] > 0)
        num_adj += np.where(present, adj.fillna(0.0) * wdict[role], 0.0)
        num_raw += np.where(present, raw.fillna(0.0) * wdict[role], 0.0)
        den += np.where(present, wdict[role], 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["skor"] = (num_adj / den.replace(0.0, np.nan)).clip(1.0, 5.0)
        out["skor_mentah"] = num_raw / den.replace(0.0, np.nan)
    out["n_penilai"] = out[[f"n_{r}" for r in _ROLES_OTHERS]].sum(axis=1)
    out = out.reset_index()

    self_rows = perilaku[perilaku["peran_penilai"].astype(str) == "diri"]
    if len(self_rows):
        diri = (
            self_rows.assign(skor=pd.to_numeric(self_rows["skor"], errors="coerce"))
            .groupby(keys, observed=True)["skor"]
            .mean()
            .rename("skor_diri")
            .reset_index()
        )
        out = out.merge(diri, on=keys, how="outer")
    else:
        out["skor_diri"] = np.nan
    for role in _ROLES_OTHERS:
        out[f"n_{role}"] = out[f"n_{role}"].fillna(0).astype(int)
    out["n_penilai"] = out["n_penilai"].fillna(0).astype(int)
    out["selisih_diri"] = out["skor_diri"] - out["skor_mentah"]
    cols = [
        *keys,
        "skor",
        "skor_mentah",
        *(f"skor_{r}" for r in _ROLES_OTHERS),
        *(f"n_{r}" for r in _ROLES_OTHERS),
        "n_penilai",
        "skor_diri",
        "selisih_diri",
    ]
    return out[cols].sort_values(keys, ignore_index=True)


def perilaku_ringkas(
    perilaku_skor: pd.DataFrame, *, cutoffs: PerilakuCutoffs = PerilakuCutoffs()
) -> pd.DataFrame:
    """Perilaku kerja rating per employee x period, from :func:`perilaku_kerja` output.

    Returns
    -------
    DataFrame
        ``nip, periode, skor_perilaku`` (mean over dimensions of ``skor``),
        ``skor_perilaku_mentah``, ``n_dimensi`` (dimensions with a score),
        ``n_penilai`` (largest number of raters over the dimensions), ``skor_diri``,
        ``selisih_diri`` (means over dimensions), ``rating_perilaku``.

    Notes
    -----
    ``skor_perilaku >= cutoffs.di_atas`` -> Di Atas, ``< cutoffs.di_bawah`` -> Di Bawah,
    else Sesuai (after rounding to 6 decimals). Dimensions without a score are skipped;
    ``n_dimensi`` says how many of the seven BerAKHLAK values were scored.
    """
    _require(perilaku_skor, ["nip", "periode", "dimensi", "skor"], "perilaku_ringkas")
    d = perilaku_skor.copy()
    for c in ("skor_mentah", "skor_diri", "selisih_diri"):
        if c not in d.columns:
            d[c] = np.nan
    if "n_penilai" not in d.columns:
        d["n_penilai"] = np.nan
    g = d.groupby(["nip", "periode"], observed=True, sort=True)
    out = g.agg(
        skor_perilaku=("skor", "mean"),
        skor_perilaku_mentah=("skor_mentah", "mean"),
        n_dimensi=("skor", "count"),
        n_penilai=("n_penilai", "max"),
        skor_diri=("skor_diri", "mean"),
        selisih_diri=("selisih_diri", "mean"),
    ).reset_index()
    out["rating_perilaku"] = _rate(out["skor_perilaku"], cutoffs.di_atas, cutoffs.di_bawah)
    return out


# --------------------------------------------------------------------------------------
# 3. Predikat
# --------------------------------------------------------------------------------------


def _predikat_one(h: object, p: object) -> object:
    if _is_missing(h) or _is_missing(p):
        return np.nan
    return _PREDIKAT_MATRIX[(rating_label(h), rating_label(p))]  # type: ignore[arg-type]


def predikat(hasil, perilaku):
    """Predikat kinerja from the hasil kerja and perilaku kerja ratings.

    Parameters
    ----------
    hasil, perilaku
        Rating labels — ``"Di Atas Ekspektasi"``, ``"Sesuai Ekspektasi"``,
        ``"Di Bawah Ekspektasi"`` or the aliases ``"di_atas"``, ``"sesuai"``,
        ``"di_bawah"`` — as scalars, pandas Series or array-likes (a scalar is broadcast
        against the other argument). Missing values give a missing predikat.

    Returns
    -------
    str, Series or Categorical
        A string for two scalars; for a Series input a Series with the same index and the
        ordered dtype :data:`PREDIKAT_DTYPE`; for other array-likes a ``pd.Categorical``.

    Notes
    -----
    PermenPAN-RB 6/2022 (DESIGN.md section 3); rows hasil, columns perilaku:

    ============  =================  ===============  ===============
    hasil         perilaku Di Bawah  Sesuai           Di Atas
    ============  =================  ===============  ===============
    Di Atas       Kurang/Misconduct  Baik             Sangat Baik
    Sesuai        Kurang/Misconduct  Baik             Baik
    Di Bawah      Sangat Kurang      Butuh Perbaikan  Butuh Perbaikan
    ============  =================  ===============  ===============

    Unknown labels raise ``ValueError`` naming the value.
    """
    h_scalar = np.ndim(hasil) == 0
    p_scalar = np.ndim(perilaku) == 0
    if h_scalar and p_scalar:
        return _predikat_one(hasil, perilaku)
    index = None
    for x in (hasil, perilaku):
        if isinstance(x, pd.Series):
            index = x.index
            break
    h_arr = None if h_scalar else np.asarray(hasil, dtype=object)
    p_arr = None if p_scalar else np.asarray(perilaku, dtype=object)
    n = len(h_arr) if h_arr is not None else len(p_arr)  # type: ignore[arg-type]
    if h_arr is not None and p_arr is not None and len(h_arr) != len(p_arr):
        raise ValueError(f"hasil and perilaku differ in length ({len(h_arr)} vs {len(p_arr)})")
    if isinstance(hasil, pd.Series) and isinstance(perilaku, pd.Series):
        if not hasil.index.equals(perilaku.index):
            raise ValueError("hasil and perilaku Series must share the same index")
    h_list = [hasil] * n if h_arr is None else list(h_arr)
    p_list = [perilaku] * n if p_arr is None else list(p_arr)
    vals = [_predikat_one(h, p) for h, p in zip(h_list, p_list, strict=True)]
    cat = pd.Categorical(vals, dtype=PREDIKAT_DTYPE)
    if index is not None:
        return pd.Series(cat, index=index, name="predikat")
    return cat


def evaluasi_periode(
    skp: pd.DataFrame,
    perilaku: pd.DataFrame,
    *,
    hasil_cutoffs: HasilCutoffs = HasilCutoffs(),
    perilaku_cutoffs: PerilakuCutoffs = PerilakuCutoffs(),
    weights: RoleWeights = RoleWeights(),
    adjust: bool = True,
    shrinkage_k: float | Literal["auto"] = "auto",
    cap: float = 120.0,
    waktu_rule: Literal["permenpan", "bkn2013", "rasio"] = "permenpan",
) -> pd.DataFrame:
    """Hasil, perilaku and predikat per employee x period.

    Returns
    -------
    DataFrame
        ``nip, periode, capaian, n_indikator, rating_hasil, skor_perilaku,
        skor_perilaku_mentah, n_dimensi, n_penilai, selisih_diri, rating_perilaku,
        predikat`` (ordered categorical, missing when a side is missing) and
        ``keterangan``: ``"lengkap"``, ``"tanpa_perilaku"`` (no perilaku ratings) or
        ``"tanpa_hasil"`` (no SKP). Nobody is dropped.

    Notes
    -----
    Outer join of :func:`hasil_kerja` and :func:`perilaku_ringkas` (of
    :func:`perilaku_kerja`) on ``nip, periode``; predikat by :func:`predikat`.
    """
    h = hasil_kerja(skp, cutoffs=hasil_cutoffs, cap=cap, waktu_rule=waktu_rule)
    ps = perilaku_kerja(perilaku, weights=weights, adjust=adjust, shrinkage_k=shrinkage_k)
    p = perilaku_ringkas(ps, cutoffs=perilaku_cutoffs)
    p = p.drop(columns=["skor_diri"])
    out = h.merge(p, on=["nip", "periode"], how="outer", sort=True)
    out["predikat"] = predikat(out["rating_hasil"], out["rating_perilaku"])
    ket = pd.Series("lengkap", index=out.index, dtype=object)
    ket[out["rating_perilaku"].isna()] = "tanpa_perilaku"
    ket[out["rating_hasil"].isna()] = "tanpa_hasil"
    out["keterangan"] = ket
    out["n_indikator"] = out["n_indikator"].astype("Int64")
    out["n_dimensi"] = out["n_dimensi"].astype("Int64")
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------------------
# 4. Distribution of predikat per OPD (SE MenPAN-RB 3/2023)
# --------------------------------------------------------------------------------------

# (rule text, categories counted, operator, limit)
_DISTRIBUSI_RULES: dict[str, tuple[tuple[str, tuple[str, ...], str, float], ...]] = {
    "Istimewa": (("Sangat Baik paling banyak 70%", (SANGAT_BAIK,), "<=", 0.70),),
    "Baik": (
        ("Baik paling banyak 70%", (BAIK,), "<=", 0.70),
        (
            "ada Butuh Perbaikan dan/atau Kurang/Misconduct (lebih dari 0%)",
            (BUTUH_PERBAIKAN, KURANG),
            ">",
            0.0,
        ),
    ),
    "Butuh Perbaikan": (
        ("Butuh Perbaikan paling sedikit 60%", (BUTUH_PERBAIKAN,), ">=", 0.60),
        ("Sangat Baik paling banyak 10%", (SANGAT_BAIK,), "<=", 0.10),
    ),
    "Kurang": (
        ("Kurang/Misconduct paling sedikit 60%", (KURANG,), ">=", 0.60),
        ("Butuh Perbaikan paling sedikit 10%", (BUTUH_PERBAIKAN,), ">=", 0.10),
        ("Sangat Baik paling banyak 10%", (SANGAT_BAIK,), "<=", 0.10),
    ),
    "Sangat Kurang": (
        ("Sangat Kurang paling sedikit 60%", (SANGAT_KURANG,), ">=", 0.60),
        (
            "Kurang/Misconduct dan/atau Butuh Perbaikan paling sedikit 10%",
            (KURANG, BUTUH_PERBAIKAN),
            ">=",
            0.10,
        ),
        ("tidak ada Sangat Baik (0%)", (SANGAT_BAIK,), "<=", 0.0),
    ),
}


def _check_rule(k: int, n: int, op: str, limit: float) -> tuple[object, float, float]:
    """Return (patuh, selisih as a share, selisih in employees) for ``k`` of ``n``."""
    if n == 0:
        return pd.NA, np.nan, np.nan
    prop = k / n
    if op == "<=":
        gap = prop - limit
        people = math.ceil(gap * n - _EPS)
    elif op == ">=":
        gap = limit - prop
        people = math.ceil(gap * n - _EPS)
    else:  # ">": strictly more than the limit; the fewest extra employees is one step
        need = math.floor(limit * n + _EPS) + 1
        people = need - k
        gap = people / n
    if gap <= _EPS or people <= 0:
        return True, 0.0, 0.0
    return False, float(gap), float(people)


def cek_distribusi(
    evaluasi: pd.DataFrame,
    pegawai: pd.DataFrame,
    predikat_organisasi: Literal["Istimewa", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang"]
    | Mapping[str, str],
) -> pd.DataFrame:
    """Check the distribution of predikat per OPD (x period) against SE MenPAN-RB 3/2023.

    Parameters
    ----------
    evaluasi
        Output of :func:`evaluasi_periode` (``nip``, ``predikat``, optionally
        ``periode`` and ``opd``).
    pegawai
        The ``pegawai`` table (``nip, opd``), used when ``evaluasi`` has no ``opd``.
    predikat_organisasi
        The organisation's own predikat, one for all OPDs or a mapping OPD -> predikat.

    Returns
    -------
    DataFrame
        One row per OPD (x periode) x rule: ``opd, periode, predikat_organisasi, aturan``
        (rule text), ``kategori`` (predikat counted, joined by ``" + "``),
        ``operator`` (``<=``, ``>=``, ``>``), ``batas`` (limit, share), ``n_pegawai``
        (employees with a predikat), ``n_kategori``, ``proporsi`` (observed share),
        ``patuh`` (boolean; NA when nobody has a predikat), ``selisih`` (share by which
        the rule is violated, 0 when compliant) and ``selisih_pegawai`` (the fewest
        employees whose predikat would have to change).

    Notes
    -----
    Rules (DESIGN.md section 3): Istimewa — Sangat Baik <= 70 %; Baik — Baik <= 70 % and
    Butuh Perbaikan + Kurang/Misconduct > 0 %; Butuh Perbaikan — Butuh Perbaikan >= 60 %,
    Sangat Baik <= 10 %; Kurang — Kurang/Misconduct >= 60 %, Butuh Perbaikan >= 10 %,
    Sangat Baik <= 10 %; Sangat Kurang — Sangat Kurang >= 60 %, Kurang/Misconduct +
    Butuh Perbaikan >= 10 %, Sangat Baik = 0 %. Limits are inclusive (exactly 70 % is
    compliant). Employees without a predikat (one side missing) are not counted.
    """
    _require(evaluasi, ["nip", "predikat"], "cek_distribusi: evaluasi")
    ev = evaluasi.copy()
    if "opd" not in ev.columns:
        _require(pegawai, ["nip", "opd"], "cek_distribusi: pegawai")
        ev = ev.merge(pegawai[["nip", "opd"]].drop_duplicates("nip"), on="nip", how="left")
    if ev["opd"].isna().any():
        n_missing = int(ev["opd"].isna().sum())
        raise ValueError(f"cek_distribusi: {n_missing} evaluation row(s) have no OPD in pegawai")
    group_cols = ["opd", "periode"] if "periode" in ev.columns else ["opd"]
    opds = pd.unique(ev["opd"])
    if isinstance(predikat_organisasi, str):
        org_map = {o: predikat_organisasi for o in opds}
    elif isinstance(predikat_organisasi, Mapping):
        missing = [o for o in opds if o not in predikat_organisasi]
        if missing:
            raise ValueError(f"cek_distribusi: no predikat_organisasi for OPD(s) {missing[:5]}")
        org_map = dict(predikat_organisasi)
    else:
        raise ValueError("predikat_organisasi must be a label or a mapping OPD -> label")
    for o in opds:
        if org_map[o] not in _DISTRIBUSI_RULES:
            raise ValueError(
                f"unknown predikat_organisasi {org_map[o]!r} for OPD {o!r}; "
                f"expected one of {list(PREDIKAT_ORGANISASI)}"
            )
    pred = ev["predikat"].astype(object)
    unknown = pred.notna() & ~pred.isin(PREDIKAT_ORDER)
    if unknown.any():
        raise ValueError(f"cek_distribusi: unknown predikat {pred[unknown].iloc[0]!r}")
    ev = ev.assign(predikat=pred)
    rows = []
    for key, grp in ev.groupby(group_cols, sort=True, observed=True, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        ctx = dict(zip(group_cols, key, strict=True))
        org = org_map[ctx["opd"]]
        valid = grp["predikat"].dropna()
        n = len(valid)
        for text, cats, op, limit in _DISTRIBUSI_RULES[org]:
            k = int(valid.isin(cats).sum())
            prop = k / n if n else float("nan")
            patuh, gap, people = _check_rule(k, n, op, limit)
            rows.append(
                {
                    **ctx,
                    "predikat_organisasi": org,
                    "aturan": text,
                    "kategori": " + ".join(cats),
                    "operator": op,
                    "batas": limit,
                    "n_pegawai": n,
                    "n_kategori": k,
                    "proporsi": prop,
                    "patuh": patuh,
                    "selisih": gap,
                    "selisih_pegawai": people,
                }
            )
    out = pd.DataFrame(rows)
    if len(out):
        out["patuh"] = out["patuh"].astype("boolean")
    return out


# --------------------------------------------------------------------------------------
# 5. Strengths and weaknesses
# --------------------------------------------------------------------------------------


def kekuatan_kelemahan(
    perilaku_skor: pd.DataFrame,
    pegawai: pd.DataFrame,
    *,
    min_penilai: int = 3,
    z: float = 1.0,
    min_kelompok: int = 5,
) -> pd.DataFrame:
    """Each employee's standing per BerAKHLAK dimension relative to comparable peers.

    Parameters
    ----------
    perilaku_skor
        Output of :func:`perilaku_kerja` (``nip, periode, dimensi, skor, n_penilai``).
    pegawai
        The ``pegawai`` table (``nip, jenis_jabatan``).
    min_penilai
        Minimum number of raters (other than self) for a flag.
    z
        Threshold of the standardised score for a flag.
    min_kelompok
        Minimum number of scored employees in the comparison group for a flag.

    Returns
    -------
    DataFrame
        ``nip, periode, dimensi, jenis_jabatan, skor, rerata_kelompok, sd_kelompok,
        n_kelompok, z, n_penilai, kategori`` with ``kategori`` ``"kekuatan"``
        (``z >= threshold``), ``"kelemahan"`` (``z <= -threshold``) or None.

    Notes
    -----
    ``z = (skor - mean) / sd`` within ``jenis_jabatan x periode x dimensi`` (sample SD).
    No flag without enough raters, a large enough group, or a group SD of 0.
    """
    _require(perilaku_skor, ["nip", "periode", "dimensi", "skor"], "kekuatan_kelemahan")
    _require(pegawai, ["nip", "jenis_jabatan"], "kekuatan_kelemahan: pegawai")
    if z <= 0:
        raise ValueError(f"z must be > 0, got {z!r}")
    cols = ["nip", "periode", "dimensi", "skor"]
    if "n_penilai" in perilaku_skor.columns:
        cols.append("n_penilai")
    d = perilaku_skor[cols].copy()
    if "n_penilai" not in d.columns:
        d["n_penilai"] = 0
    d = d.merge(pegawai[["nip", "jenis_jabatan"]].drop_duplicates("nip"), on="nip", how="left")
    grp = d.groupby(["jenis_jabatan", "periode", "dimensi"], observed=True, dropna=False)["skor"]
    d["rerata_kelompok"] = grp.transform("mean")
    d["sd_kelompok"] = grp.transform("std")
    d["n_kelompok"] = grp.transform("count").astype(int)
    with np.errstate(invalid="ignore", divide="ignore"):
        d["z"] = (d["skor"] - d["rerata_kelompok"]) / d["sd_kelompok"]
    eligible = (
        (d["n_penilai"] >= min_penilai)
        & (d["n_kelompok"] >= min_kelompok)
        & (d["sd_kelompok"] > 0)
        & d["jenis_jabatan"].notna()
        & d["z"].notna()
    )
    kat = pd.Series(None, index=d.index, dtype=object)
    kat[eligible & (d["z"] >= z)] = "kekuatan"
    kat[eligible & (d["z"] <= -z)] = "kelemahan"
    d["kategori"] = kat
    return d[
        [
            "nip",
            "periode",
            "dimensi",
            "jenis_jabatan",
            "skor",
            "rerata_kelompok",
            "sd_kelompok",
            "n_kelompok",
            "z",
            "n_penilai",
            "kategori",
        ]
    ].reset_index(drop=True)


def profil_opd(
    perilaku_skor: pd.DataFrame,
    pegawai: pd.DataFrame,
    *,
    per_periode: bool = False,
) -> pd.DataFrame:
    """Mean BerAKHLAK score per OPD x dimension (long format, ready for a heatmap pivot).

    Returns
    -------
    DataFrame
        ``opd, [periode,] dimensi, rerata, sd, n_pegawai, n_obs``; dimensions in the
        BerAKHLAK order. ``n_pegawai`` counts distinct employees, ``n_obs`` employee-periods.

    Notes
    -----
    Plain means of :func:`perilaku_kerja`'s ``skor`` (each employee-period counts once).
    Pivot with ``df.pivot(index="opd", columns="dimensi", values="rerata")``.
    """
    _require(perilaku_skor, ["nip", "periode", "dimensi", "skor"], "profil_opd")
    _require(pegawai, ["nip", "opd"], "profil_opd: pegawai")
    d = perilaku_skor[["nip", "periode", "dimensi", "skor"]].merge(
        pegawai[["nip", "opd"]].drop_duplicates("nip"), on="nip", how="left"
    )
    d = d[d["skor"].notna()]
    keys = ["opd", "periode", "dimensi"] if per_periode else ["opd", "dimensi"]
    out = (
        d.groupby(keys, observed=True, dropna=False)
        .agg(
            rerata=("skor", "mean"),
            sd=("skor", "std"),
            n_pegawai=("nip", "nunique"),
            n_obs=("skor", "size"),
        )
        .reset_index()
    )
    order = {v: i for i, v in enumerate(BERAKHLAK)}
    out["_o"] = out["dimensi"].map(order)
    sort_keys = [k for k in keys if k != "dimensi"] + ["_o", "dimensi"]
    return out.sort_values(sort_keys, ignore_index=True).drop(columns="_o")


# --------------------------------------------------------------------------------------
# 6. Output versus competency
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HasilVsKompetensi:
    """Ranking and predikat by output alone versus with behaviour.

    Attributes
    ----------
    pegawai
        Per employee x period: ``nip, periode, opd, capaian, skor_perilaku, komposit,
        peringkat_hasil, peringkat_komposit, selisih_peringkat, predikat_hasil_saja,
        predikat, perubahan`` (``"naik"``, ``"turun"``, ``"tetap"``).
    per_opd
        ``opd, periode, n_pegawai, n_naik, n_turun, n_tetap, prop_naik, prop_turun``.
    korelasi
        Spearman correlations per period in the tidy column set (+ ``periode``).
    bobot_hasil
        Weight of the standardised capaian in the composite.
    """

    pegawai: pd.DataFrame
    per_opd: pd.DataFrame
    korelasi: pd.DataFrame
    bobot_hasil: float

    def tidy(self) -> pd.DataFrame:
        return self.korelasi.copy()


def _spearman_row(x: pd.Series, y: pd.Series, term: str) -> dict[str, object]:
    n = int(len(x))
    if n < 4 or x.nunique() < 2 or y.nunique() < 2:
        rho = p = se = lo = hi = np.nan
    else:
        res = stats.spearmanr(x, y)
        rho, p = float(res.statistic), float(res.pvalue)
        rho_c = min(max(rho, -0.999999), 0.999999)
        se_z = math.sqrt((1 + rho_c**2 / 2) / (n - 3))
        zc = math.atanh(rho_c)
        lo, hi = math.tanh(zc - 1.959964 * se_z), math.tanh(zc + 1.959964 * se_z)
        se = (1 - rho_c**2) * se_z
    return {
        "term": term,
        "estimate": rho,
        "std_error": se,
        "ci_low": lo,
        "ci_high": hi,
        "p_value": p,
        "n_obs": n,
        "method": "Spearman; CI Fisher z with Bonett-Wright SE",
    }


def hasil_vs_kompetensi(
    evaluasi: pd.DataFrame,
    pegawai: pd.DataFrame,
    *,
    bobot_hasil: float = 0.6,
) -> HasilVsKompetensi:
    """Does judging by output alone rank and label employees differently?

    Parameters
    ----------
    evaluasi
        Output of :func:`evaluasi_periode` (``nip, periode, capaian, rating_hasil,
        skor_perilaku, predikat``).
    pegawai
        The ``pegawai`` table (``nip, opd``).
    bobot_hasil
        Weight of output in the composite; behaviour gets ``1 - bobot_hasil``. Default
        0.6 / 0.4, the SKP / perilaku weights of the former PP 46/2011 appraisal
        (PermenPAN-RB 6/2022 itself sets no numeric weights).

    Returns
    -------
    HasilVsKompetensi
        ``.pegawai``, ``.per_opd``, ``.korelasi`` (see the class).

    Notes
    -----
    Only employee-periods with both sides are used. ``komposit = w z(capaian) + (1 - w)
    z(skor_perilaku)``, z-scores within the period. Ranks within period, 1 = best
    (ties share the lowest rank). *predikat_hasil_saja* treats everyone's perilaku as
    Sesuai; *perubahan* compares the full predikat with it (``"naik"`` = full predikat
    higher). Spearman correlations: capaian vs composite and capaian vs perilaku, with a
    95 % CI from Fisher's z with the Bonett-Wright (2000) standard error.
    """
    _require(
        evaluasi,
        ["nip", "periode", "capaian", "rating_hasil", "skor_perilaku", "predikat"],
        "hasil_vs_kompetensi",
    )
    if not 0.0 <= bobot_hasil <= 1.0:
        raise ValueError(f"bobot_hasil must lie in [0, 1], got {bobot_hasil!r}")
    ev = evaluasi[["nip", "periode", "capaian", "rating_hasil", "skor_perilaku", "predikat"]].copy()
    ev = ev[ev["capaian"].notna() & ev["skor_perilaku"].notna() & ev["predikat"].notna()]
    if "opd" in evaluasi.columns:
        ev["opd"] = evaluasi.loc[ev.index, "opd"]
    else:
        _require(pegawai, ["nip", "opd"], "hasil_vs_kompetensi: pegawai")
        ev = ev.merge(pegawai[["nip", "opd"]].drop_duplicates("nip"), on="nip", how="left")

    def z(s: pd.Series) -> pd.Series:
        sd = s.std()
        return (s - s.mean()) / sd if sd and sd > 0 else s * 0.0

    by = ev.groupby("periode", observed=True)
    ev["komposit"] = bobot_hasil * by["capaian"].transform(z) + (1 - bobot_hasil) * by[
        "skor_perilaku"
    ].transform(z)
    ev["peringkat_hasil"] = by["capaian"].rank(ascending=False, method="min").astype(int)
    ev["peringkat_komposit"] = by["komposit"].rank(ascending=False, method="min").astype(int)
    ev["selisih_peringkat"] = ev["peringkat_hasil"] - ev["peringkat_komposit"]
    ev["predikat_hasil_saja"] = predikat(ev["rating_hasil"], "sesuai")
    full = pd.Series(pd.Categorical(ev["predikat"].astype(object), dtype=PREDIKAT_DTYPE))
    full.index = ev.index
    ev["predikat"] = full
    codes_full = full.cat.codes
    codes_out = ev["predikat_hasil_saja"].cat.codes
    ev["perubahan"] = np.select(
        [codes_full > codes_out, codes_full < codes_out], ["naik", "turun"], "tetap"
    )
    pegawai_out = ev[
        [
            "nip",
            "periode",
            "opd",
            "capaian",
            "skor_perilaku",
            "komposit",
            "peringkat_hasil",
            "peringkat_komposit",
            "selisih_peringkat",
            "predikat_hasil_saja",
            "predikat",
            "perubahan",
        ]
    ].reset_index(drop=True)
    per_opd = (
        pegawai_out.groupby(["opd", "periode"], observed=True, dropna=False)
        .agg(
            n_pegawai=("nip", "size"),
            n_naik=("perubahan", lambda s: int((s == "naik").sum())),
            n_turun=("perubahan", lambda s: int((s == "turun").sum())),
            n_tetap=("perubahan", lambda s: int((s == "tetap").sum())),
        )
        .reset_index()
    )
    per_opd["prop_naik"] = per_opd["n_naik"] / per_opd["n_pegawai"]
    per_opd["prop_turun"] = per_opd["n_turun"] / per_opd["n_pegawai"]
    rows = []
    for per, g in pegawai_out.groupby("periode", observed=True, sort=True):
        for term, other in (
            ("spearman(capaian, komposit)", "komposit"),
            ("spearman(capaian, skor_perilaku)", "skor_perilaku"),
        ):
            rows.append({"periode": per, **_spearman_row(g["capaian"], g[other], term)})
    korelasi = pd.DataFrame(
        rows,
        columns=[
            "periode",
            "term",
            "estimate",
            "std_error",
            "ci_low",
            "ci_high",
            "p_value",
            "n_obs",
            "method",
        ],
    )
    return HasilVsKompetensi(
        pegawai=pegawai_out, per_opd=per_opd, korelasi=korelasi, bobot_hasil=bobot_hasil
    )


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
    """
    if np.ndim(value) == 0:
        return _ikm_kat_one(None if _is_missing(value) else float(value))
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


def ikm(layanan: pd.DataFrame, *, toleransi: float = 0.01) -> pd.DataFrame:
    """IKM per OPD x period from the ``layanan`` table.

    Parameters
    ----------
    layanan
        ``opd, periode`` and either ``u1..u9`` (element means, 1-4) or ``ikm`` (25-100),
        or both.
    toleransi
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
    """
    _require(layanan, ["opd", "periode"], "ikm: layanan")
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
    kons[both] = out.loc[both, "selisih"].abs() <= toleransi + 1e-9
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


def ikm_dari_responden(
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
    """
    _require(responses, list(IKM_UNSUR), "ikm_dari_responden")
    if by is None:
        by = [c for c in ("opd", "periode") if c in responses.columns]
    by = list(by)
    _require(responses, by, "ikm_dari_responden")
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
