"""Perilaku kerja: 360° BerAKHLAK ratings adjusted for rater leniency and role effects.

:func:`rater_model` fits the crossed fixed-effects model (ratee × dimension, rater
leniency, rater role) by exact sparse least squares and shrinks leniency with k from the
variance components; :func:`perilaku_kerja` gives the adjusted score per ratee, period and
dimension (self-ratings excluded, reported as a self–other gap);
:func:`summarise_perilaku` rates it (:class:`PerilakuCutoffs`); strengths and weaknesses
per dimension (:func:`strengths_weaknesses`) and the OPD profile (:func:`opd_profile`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.linalg import splu

from kinerja_analysis.core.checks import require_columns
from kinerja_analysis.core.results import TIDY_COLUMNS, Result, check_tidy, tidy_frame
from kinerja_analysis.data.contract import BERAKHLAK
from kinerja_analysis.domain.ratings import rate

_ROLES_OTHERS: tuple[str, ...] = ("atasan", "rekan", "bawahan")


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
# 2. Perilaku kerja (360 degrees)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RaterModel(Result):
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
        return check_tidy(tidy_frame(out[list(TIDY_COLUMNS)]))

    def glance(self) -> pd.DataFrame:
        """Raters, ratings, the variance components and the shrinkage constant."""
        return pd.DataFrame(
            [
                {
                    "n_penilai": len(self.penilai),
                    "n_ratings": self.n_ratings,
                    "var_leniency": self.var_leniency,
                    "var_noise": self.var_noise,
                    "k": self.k,
                }
            ]
        )


def _others(perilaku: pd.DataFrame) -> pd.DataFrame:
    require_columns(
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


def summarise_perilaku(
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
    require_columns(perilaku_skor, ["nip", "periode", "dimensi", "skor"], "perilaku_ringkas")
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
    out["rating_perilaku"] = rate(out["skor_perilaku"], cutoffs.di_atas, cutoffs.di_bawah)
    return out


# --------------------------------------------------------------------------------------
# 5. Strengths and weaknesses
# --------------------------------------------------------------------------------------


def strengths_weaknesses(
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
    require_columns(perilaku_skor, ["nip", "periode", "dimensi", "skor"], "kekuatan_kelemahan")
    require_columns(pegawai, ["nip", "jenis_jabatan"], "kekuatan_kelemahan: pegawai")
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


def opd_profile(
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
    require_columns(perilaku_skor, ["nip", "periode", "dimensi", "skor"], "profil_opd")
    require_columns(pegawai, ["nip", "opd"], "profil_opd: pegawai")
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
