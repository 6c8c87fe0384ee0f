"""Survey instruments: scoring, the checks Indonesian theses report, and what they skip.

The usual sequence a reviewer expects — *uji validitas* (corrected item–total
correlation against the r-table), *uji reliabilitas* (Cronbach's α), *statistik
deskriptif* with the interval categories, *uji asumsi klasik* and the regression — is
here, computed properly (reverse-keyed items, the missing-answer rule written down,
robust standard errors, confidence intervals). Beyond that: a confirmatory factor
analysis with fit indices, McDonald's ω, measurement invariance across periods, and the
link to the employee panel (within-employee effect of a communication training on
confidence; acceptance of the evaluation system per OPD).

Data contract (see :mod:`kinerja_analysis.contract`): ``survei`` has ``nip, periode``
plus one column per item; ``survei_instrumen`` has ``item, konstruk, teks, terbalik``
and optionally ``skala_min, skala_max`` (default 1–5).

The confirmatory factor analysis is a small maximum-likelihood engine written here
(correlated factors, each item loading on one factor, optional multi-group equality
constraints) rather than a dependency: it reproduces lavaan's published
Holzinger–Swineford results (see ``tests/test_survey.py``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy import optimize, stats

from .loading import periode_bounds

__all__ = [
    "KATEGORI_INTERVAL",
    "CfaResult",
    "Reliabilitas",
    "RegresiResult",
    "cfa",
    "deskriptif_item",
    "deskriptif_konstruk",
    "efek_pelatihan_komunikasi",
    "invarians",
    "kategori_interval",
    "penerimaan_per_opd",
    "r_tabel",
    "regresi_asumsi_klasik",
    "reliabilitas",
    "skor_konstruk",
    "validitas_item",
]

#: Category labels of the equal-width interval rule, lowest first.
KATEGORI_INTERVAL: tuple[str, ...] = (
    "sangat rendah",
    "rendah",
    "sedang",
    "tinggi",
    "sangat tinggi",
)

_SKALA_DEFAULT = (1.0, 5.0)


# --------------------------------------------------------------------------- helpers


def _angka(x: float, desimal: int = 2) -> str:
    """Indonesian decimal comma, e.g. ``0,21`` (kept local: no formatting dependency)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:,.{desimal}f}".replace(",", "\0").replace(".", ",").replace("\0", ".")


def _p_teks(p: float) -> str:
    if p is None or math.isnan(p):
        return "p tidak tersedia"
    if p < 0.001:
        return "p < 0,001"
    return f"p = {_angka(p, 3 if p < 0.01 else 2)}"


def _require(df: pd.DataFrame, cols: Sequence[str], what: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"{what}: kolom wajib tidak ada: {', '.join(missing)}")


def _instrumen(instrumen: pd.DataFrame, survei: pd.DataFrame | None = None) -> pd.DataFrame:
    """Normalised instrument: item, konstruk, terbalik (bool), skala_min, skala_max (float)."""
    _require(instrumen, ["item", "konstruk", "terbalik"], "survei_instrumen")
    ins = instrumen.copy()
    if ins["item"].duplicated().any():
        dup = ins.loc[ins["item"].duplicated(), "item"].tolist()
        raise ValueError(f"survei_instrumen: butir ganda: {dup}")
    for col, default in zip(("skala_min", "skala_max"), _SKALA_DEFAULT, strict=True):
        if col not in ins.columns:
            ins[col] = default
        ins[col] = pd.to_numeric(ins[col], errors="coerce").fillna(default).astype(float)
    if (ins["skala_max"] <= ins["skala_min"]).any():
        raise ValueError("survei_instrumen: skala_max harus lebih besar dari skala_min")
    ter = ins["terbalik"]
    if ter.dtype == object or str(ter.dtype) in ("string", "str"):
        ter = ter.astype("string").str.strip().str.lower().isin(["true", "1", "ya", "y"])
    ins["terbalik"] = ter.fillna(False).astype(bool)
    ins["item"] = ins["item"].astype(str)
    ins["konstruk"] = ins["konstruk"].astype(str)
    if survei is not None:
        absent = [i for i in ins["item"] if i not in survei.columns]
        if absent:
            raise ValueError(f"survei: kolom butir tidak ada: {', '.join(absent)}")
    return ins.reset_index(drop=True)


def _skor_butir(survei: pd.DataFrame, ins: pd.DataFrame) -> pd.DataFrame:
    """Item answers as floats, reverse-keyed items recoded (skala_min + skala_max - x)."""
    x = survei[ins["item"].tolist()].apply(pd.to_numeric, errors="coerce").astype(float)
    lo = ins.set_index("item")["skala_min"]
    hi = ins.set_index("item")["skala_max"]
    bad = (x.lt(lo, axis=1) | x.gt(hi, axis=1)).to_numpy()
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise ValueError(
            f"survei: jawaban di luar skala pada baris {r}, butir {x.columns[c]!r}: "
            f"{x.iat[r, c]!r} (skala {lo.iloc[c]:g}–{hi.iloc[c]:g})"
        )
    for row in ins[ins["terbalik"]].itertuples(index=False):
        x[row.item] = row.skala_min + row.skala_max - x[row.item]
    return x


def _filter_periode(survei: pd.DataFrame, periode: str | Sequence[str] | None) -> pd.DataFrame:
    if periode is None:
        return survei
    per = [periode] if isinstance(periode, str) else list(periode)
    out = survei[survei["periode"].astype(str).isin(per)]
    if out.empty:
        raise ValueError(f"survei: tidak ada baris untuk periode {per}")
    return out


def _konstruk_items(ins: pd.DataFrame) -> dict[str, list[str]]:
    return {k: g["item"].tolist() for k, g in ins.groupby("konstruk", sort=False)}


# --------------------------------------------------------------------------- scoring


def skor_konstruk(
    survei: pd.DataFrame,
    instrumen: pd.DataFrame,
    *,
    min_jawab: float = 0.8,
    bentuk: Literal["long", "wide"] = "long",
) -> pd.DataFrame:
    """Score each respondent on each construct.

    Parameters
    ----------
    survei, instrumen
        The ``survei`` and ``survei_instrumen`` tables.
    min_jawab
        Minimum share of a construct's items that must be answered (default 0.8).
    bentuk
        ``"long"`` (one row per respondent × period × construct) or ``"wide"``
        (one column per construct).

    Returns
    -------
    DataFrame
        long: ``nip, periode, konstruk, skor, n_item, n_item_dijawab``;
        wide: ``nip, periode`` + one column per construct.

    Notes
    -----
    Reverse-keyed items are recoded ``skala_min + skala_max - x`` first. The score is
    the mean of the answered items when at least ``min_jawab`` of the construct's items
    are answered — identical to person-mean imputation of the missing items — and
    missing (NaN) otherwise. The score is on the item scale (e.g. 1–5), so the interval
    categories of :func:`kategori_interval` apply to it.
    """
    if not 0 < min_jawab <= 1:
        raise ValueError(f"min_jawab harus di antara 0 dan 1, bukan {min_jawab}")
    if bentuk not in ("long", "wide"):
        raise ValueError(f"bentuk harus 'long' atau 'wide', bukan {bentuk!r}")
    _require(survei, ["nip", "periode"], "survei")
    ins = _instrumen(instrumen, survei)
    x = _skor_butir(survei, ins)
    parts = []
    for k, items in _konstruk_items(ins).items():
        sub = x[items]
        n_ans = sub.notna().sum(axis=1)
        mean = sub.mean(axis=1, skipna=True)
        ok = n_ans >= math.ceil(min_jawab * len(items) - 1e-9)
        parts.append(
            pd.DataFrame(
                {
                    "nip": survei["nip"].to_numpy(),
                    "periode": survei["periode"].to_numpy(),
                    "konstruk": k,
                    "skor": mean.where(ok).to_numpy(),
                    "n_item": len(items),
                    "n_item_dijawab": n_ans.to_numpy(),
                }
            )
        )
    long = pd.concat(parts, ignore_index=True)
    if bentuk == "long":
        return long
    wide = long.pivot_table(
        index=["nip", "periode"], columns="konstruk", values="skor", dropna=False, sort=False
    )
    wide.columns.name = None
    return wide.reset_index()


# --------------------------------------------------------------------------- uji instrumen


def r_tabel(n: int | np.ndarray, alpha: float = 0.05) -> float | np.ndarray:
    """Critical Pearson r for a two-tailed test at ``alpha`` with ``df = n - 2``.

    Notes
    -----
    ``r_crit = t / sqrt(df + t**2)`` with ``t`` the two-tailed critical t value; this is
    the "r tabel" printed in Indonesian statistics textbooks (e.g. n = 30: 0.361).
    """
    df = np.asarray(n, dtype=float) - 2
    with np.errstate(invalid="ignore", divide="ignore"):
        t = stats.t.ppf(1 - alpha / 2, df)
        r = t / np.sqrt(df + t**2)
    r = np.where(df > 0, r, np.nan)
    return float(r) if np.ndim(r) == 0 else r


def validitas_item(
    survei: pd.DataFrame,
    instrumen: pd.DataFrame,
    *,
    periode: str | Sequence[str] | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Item validity: corrected item–total correlation per item within its construct.

    Returns
    -------
    DataFrame
        ``konstruk, item, n_obs, r_hitung, p_value, r_tabel, valid, method``.

    Notes
    -----
    ``r_hitung`` is the Pearson correlation between the (reverse-scored) item and the
    sum of the *other* items of its construct (psych's ``r.drop``), on respondents who
    answered all items of the construct. ``p_value`` is two-tailed from
    ``t = r sqrt(df / (1 - r^2))``, ``df = n - 2``; an item is ``valid`` when
    ``r_hitung > r_tabel`` (:func:`r_tabel`). Checked against ``psych::alpha`` on the
    Holzinger–Swineford data (``tests/test_survey.py``).
    """
    _require(survei, ["periode"], "survei")
    ins = _instrumen(instrumen, survei)
    x = _skor_butir(_filter_periode(survei, periode), ins)
    rows = []
    for k, items in _konstruk_items(ins).items():
        sub = x[items].dropna()
        n = len(sub)
        total = sub.sum(axis=1)
        for it in items:
            if len(items) < 2 or n < 3:
                r = np.nan
            else:
                r = float(np.corrcoef(sub[it], total - sub[it])[0, 1])
            df = n - 2
            if np.isfinite(r) and abs(r) < 1 and df > 0:
                tval = r * math.sqrt(df / (1 - r**2))
                p = float(2 * stats.t.sf(abs(tval), df))
            else:
                p = np.nan
            rt = r_tabel(n, alpha) if n > 2 else np.nan
            rows.append(
                {
                    "konstruk": k,
                    "item": it,
                    "n_obs": n,
                    "r_hitung": r,
                    "p_value": p,
                    "r_tabel": rt,
                    "valid": bool(np.isfinite(r) and r > rt),
                    "method": "korelasi butir-total terkoreksi (Pearson)",
                }
            )
    return pd.DataFrame(rows)


def _alpha(x: np.ndarray) -> float:
    k = x.shape[1]
    if k < 2:
        return np.nan
    item_var = x.var(axis=0, ddof=1).sum()
    tot_var = x.sum(axis=1).var(ddof=1)
    return float(k / (k - 1) * (1 - item_var / tot_var)) if tot_var > 0 else np.nan


def _feldt_ci(a: float, n: int, k: int, level: float) -> tuple[float, float]:
    if not np.isfinite(a) or n < 2 or k < 2:
        return np.nan, np.nan
    df1, df2 = n - 1, (n - 1) * (k - 1)
    g = (1 - level) / 2
    lo = 1 - (1 - a) * stats.f.isf(g, df1, df2)
    hi = 1 - (1 - a) * stats.f.isf(1 - g, df1, df2)
    return float(lo), float(hi)


def _omega_satu_faktor(x: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """McDonald's omega total from a one-factor ML model on the covariance matrix."""
    p = x.shape[1]
    if p < 3:
        return np.nan, np.full(p, np.nan), np.full(p, np.nan)
    fit = _fit_groups([_moments(x)], _spec_single(np.zeros(p, dtype=int), 1), meanstructure=False)
    lam = fit.matrices[0]["L"][:, 0]
    theta = fit.matrices[0]["theta"]
    if lam.sum() < 0:
        lam = -lam
    s = lam.sum() ** 2
    return float(s / (s + theta.sum())), lam, theta


@dataclass(frozen=True)
class Reliabilitas:
    """Reliability per construct and per item.

    Attributes
    ----------
    konstruk
        ``konstruk, n_item, n_obs, alpha, ci_low, ci_high, omega, reliabel, method``.
    butir
        ``konstruk, item, r_drop, alpha_jika_dihapus, muatan, varians_residual``.
    """

    konstruk: pd.DataFrame
    butir: pd.DataFrame

    def tidy(self) -> pd.DataFrame:
        k = self.konstruk
        a = pd.DataFrame(
            {
                "konstruk": k["konstruk"],
                "term": "alpha_cronbach",
                "estimate": k["alpha"],
                "std_error": np.nan,
                "ci_low": k["ci_low"],
                "ci_high": k["ci_high"],
                "p_value": np.nan,
                "n_obs": k["n_obs"],
                "method": "Cronbach alpha, CI Feldt",
            }
        )
        o = a.assign(
            term="omega_total",
            estimate=k["omega"],
            ci_low=np.nan,
            ci_high=np.nan,
            method="McDonald omega total (model satu faktor, ML)",
        )
        return pd.concat([a, o], ignore_index=True)


def reliabilitas(
    survei: pd.DataFrame,
    instrumen: pd.DataFrame,
    *,
    periode: str | Sequence[str] | None = None,
    ci: float = 0.95,
    batas: float = 0.7,
) -> Reliabilitas:
    """Cronbach's α (Feldt CI), α if item deleted, and McDonald's ω total per construct.

    Parameters
    ----------
    ci
        Confidence level of the Feldt interval.
    batas
        Threshold for the ``reliabel`` flag (α ≥ 0.70, the convention Indonesian theses
        cite from Nunnally).

    Returns
    -------
    Reliabilitas
        See the class. ``tidy()`` gives ``konstruk, term, estimate, std_error, ci_low,
        ci_high, p_value, n_obs, method`` with terms ``alpha_cronbach`` and ``omega_total``.

    Notes
    -----
    Respondents who answered all items of the construct are used (listwise).
    α = k/(k−1)·(1 − Σ var_i / var_total). Feldt, Woodruff & Salih (1987) interval:
    ``1 − (1 − α)·F_{1−γ/2}(n−1, (n−1)(k−1))`` to ``1 − (1 − α)·F_{γ/2}(…)``.
    ω = (Σλ)² / ((Σλ)² + Σθ) with λ, θ from a one-factor maximum-likelihood model of
    the construct's items (needs ≥ 3 items; NaN otherwise). Checked against
    ``psych::alpha`` and pingouin's documented values (``tests/test_survey.py``).
    """
    if not 0 < ci < 1:
        raise ValueError(f"ci harus di antara 0 dan 1, bukan {ci}")
    ins = _instrumen(instrumen, survei)
    x = _skor_butir(_filter_periode(survei, periode), ins)
    krows, brows = [], []
    for k, items in _konstruk_items(ins).items():
        sub = x[items].dropna().to_numpy()
        n, p = sub.shape
        a = _alpha(sub) if n > 1 else np.nan
        lo, hi = _feldt_ci(a, n, p, ci)
        om, lam, theta = _omega_satu_faktor(sub) if n > p else (np.nan, [np.nan] * p, [np.nan] * p)
        krows.append(
            {
                "konstruk": k,
                "n_item": p,
                "n_obs": n,
                "alpha": a,
                "ci_low": lo,
                "ci_high": hi,
                "omega": om,
                "reliabel": bool(np.isfinite(a) and a >= batas),
                "method": "Cronbach alpha (CI Feldt); omega total satu faktor ML",
            }
        )
        total = sub.sum(axis=1) if n else np.array([])
        for j, it in enumerate(items):
            rest = np.delete(sub, j, axis=1)
            r_drop = (
                float(np.corrcoef(sub[:, j], total - sub[:, j])[0, 1])
                if n > 2 and p > 1
                else np.nan
            )
            brows.append(
                {
                    "konstruk": k,
                    "item": it,
                    "r_drop": r_drop,
                    "alpha_jika_dihapus": _alpha(rest) if p > 2 and n > 1 else np.nan,
                    "muatan": float(lam[j]),
                    "varians_residual": float(theta[j]),
                }
            )
    return Reliabilitas(pd.DataFrame(krows), pd.DataFrame(brows))


def kategori_interval(
    nilai: float | np.ndarray | pd.Series,
    skala_min: float = 1.0,
    skala_max: float = 5.0,
    label: Sequence[str] = KATEGORI_INTERVAL,
) -> pd.Series:
    """Category label of a mean score by equal-width intervals on the scale.

    Notes
    -----
    Interval width = (skala_max − skala_min) / number of labels; for 1–5 and five
    labels it is 0.8: 1.00–1.80 sangat rendah, >1.80–2.60 rendah, >2.60–3.40 sedang,
    >3.40–4.20 tinggi, >4.20–5.00 sangat tinggi (upper bounds inclusive). This is the
    interval rule common in Indonesian theses (class width = range / number of classes).
    """
    v = pd.Series(np.atleast_1d(np.asarray(nilai, dtype=float)))
    m = len(label)
    width = (skala_max - skala_min) / m
    edges = [skala_min + width * i for i in range(1, m)]
    idx = np.searchsorted(np.asarray(edges) + 1e-9, v.to_numpy(), side="left")
    out = pd.Series([label[i] if np.isfinite(x) else None for i, x in zip(idx, v, strict=True)])
    out[(v < skala_min - 1e-9) | (v > skala_max + 1e-9)] = None
    return out


def _distribusi(values: pd.Series, lo: float, hi: float) -> dict[str, float]:
    cats = np.arange(int(lo), int(hi) + 1)
    v = values.dropna()
    n = len(v)
    return {f"pct_{c}": (float((v == c).sum()) / n * 100 if n else np.nan) for c in cats}


def deskriptif_item(
    survei: pd.DataFrame,
    instrumen: pd.DataFrame,
    *,
    per_periode: bool = True,
    skor_terbalik: bool = True,
) -> pd.DataFrame:
    """Descriptive statistics per item (and per period).

    Parameters
    ----------
    per_periode
        One row per item × period (default) or per item over all periods.
    skor_terbalik
        Describe reverse-keyed items after recoding (default), so that "tinggi" means
        favourable for every item; ``False`` describes the raw answers.

    Returns
    -------
    DataFrame
        ``konstruk, item, [periode,] terbalik, n, mean, sd, min, max, pct_<c>`` for each
        answer category ``c`` (percent of the answers), ``kategori`` (interval label of
        the mean, see :func:`kategori_interval`).
    """
    ins = _instrumen(instrumen, survei)
    x = _skor_butir(survei, ins) if skor_terbalik else survei[ins["item"].tolist()].astype(float)
    keys = [survei["periode"].astype(str)] if per_periode else []
    groups = x.groupby(keys, sort=True) if keys else [((), x)]
    rows = []
    for key, g in groups:
        for r in ins.itertuples(index=False):
            v = g[r.item]
            row = {"konstruk": r.konstruk, "item": r.item}
            if per_periode:
                row["periode"] = key[0] if isinstance(key, tuple) else key
            mean = float(v.mean())
            row.update(
                terbalik=bool(r.terbalik),
                n=int(v.notna().sum()),
                mean=mean,
                sd=float(v.std(ddof=1)),
                min=float(v.min()),
                max=float(v.max()),
            )
            row.update(_distribusi(v, r.skala_min, r.skala_max))
            row["kategori"] = kategori_interval(mean, r.skala_min, r.skala_max).iloc[0]
            rows.append(row)
    return pd.DataFrame(rows)


def deskriptif_konstruk(
    survei: pd.DataFrame,
    instrumen: pd.DataFrame,
    *,
    min_jawab: float = 0.8,
    per_periode: bool = True,
) -> pd.DataFrame:
    """Descriptive statistics of construct scores (see :func:`skor_konstruk`).

    Returns
    -------
    DataFrame
        ``konstruk, [periode,] n, mean, sd, min, max``, ``pct_<label>`` (percent of
        respondents whose score falls in each interval category) and ``kategori`` (the
        interval label of the mean).
    """
    ins = _instrumen(instrumen, survei)
    skala = ins.groupby("konstruk")[["skala_min", "skala_max"]].first()
    sk = skor_konstruk(survei, ins, min_jawab=min_jawab)
    keys = ["konstruk", "periode"] if per_periode else ["konstruk"]
    rows = []
    for key, g in sk.groupby(keys, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        k = key[0]
        lo, hi = skala.loc[k, "skala_min"], skala.loc[k, "skala_max"]
        v = g["skor"].dropna()
        row = dict(zip(keys, key, strict=True))
        row.update(
            n=len(v),
            mean=float(v.mean()),
            sd=float(v.std(ddof=1)),
            min=float(v.min()),
            max=float(v.max()),
        )
        lab = kategori_interval(v.to_numpy(), lo, hi) if len(v) else pd.Series(dtype=object)
        for name in KATEGORI_INTERVAL:
            row[f"pct_{name.replace(' ', '_')}"] = (
                float((lab == name).mean() * 100) if len(v) else np.nan
            )
        row["kategori"] = kategori_interval(row["mean"], lo, hi).iloc[0]
        rows.append(row)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- CFA engine
#
# Model per group g: Sigma = L Phi L' + diag(theta), mu = nu + L alpha.
# Every model matrix element is either a free parameter (index >= 0 into the parameter
# vector; shared indices are equality constraints) or fixed (index -1, value in *_fix).
# ML discrepancy F = log|Sigma| + tr(S Sigma^-1) + (m-mu)' Sigma^-1 (m-mu) - log|S| - p,
# chi2 = sum_g N_g F_g (S with divisor N, as lavaan's likelihood="normal").


@dataclass
class _Moments:
    S: np.ndarray
    m: np.ndarray
    n: int


def _moments(x: np.ndarray) -> _Moments:
    n = x.shape[0]
    m = x.mean(axis=0)
    d = x - m
    return _Moments(S=d.T @ d / n, m=m, n=n)


@dataclass
class _GroupSpec:
    factor: np.ndarray  # item -> factor index
    lam: np.ndarray  # (p,) param idx
    theta: np.ndarray  # (p,)
    phi: np.ndarray  # (k, k) symmetric idx, -1 fixed
    phi_fix: np.ndarray  # (k, k)
    nu: np.ndarray | None = None  # (p,)
    alpha: np.ndarray | None = None  # (k,) idx, -1 fixed at 0


@dataclass
class _Spec:
    groups: list[_GroupSpec]
    n_par: int
    kinds: list[str] = field(default_factory=list)  # per parameter: lam/theta/phi_var/...


def _spec_single(factor: np.ndarray, k: int) -> _Spec:
    return _spec_multi(factor, k, 1, "konfigural", meanstructure=False)


def _spec_multi(
    factor: np.ndarray, k: int, n_groups: int, level: str, *, meanstructure: bool = True
) -> _Spec:
    p = len(factor)
    kinds: list[str] = []

    def new(kind: str, count: int) -> np.ndarray:
        start = len(kinds)
        kinds.extend([kind] * count)
        return np.arange(start, start + count)

    groups = []
    shared_lam = new("lam", p) if level in ("metrik", "skalar") else None
    shared_nu = new("nu", p) if level == "skalar" else None
    for g in range(n_groups):
        lam = shared_lam if shared_lam is not None else new("lam", p)
        theta = new("theta", p)
        phi = -np.ones((k, k), dtype=int)
        phi_fix = np.eye(k)
        free_var = level in ("metrik", "skalar") and g > 0
        for a in range(k):
            if free_var:
                phi[a, a] = new("phi_var", 1)[0]
            for b in range(a):
                phi[a, b] = phi[b, a] = new("phi_cov", 1)[0]
        nu = alpha = None
        if meanstructure:
            nu = shared_nu if shared_nu is not None else new("nu", p)
            alpha = new("alpha", k) if (level == "skalar" and g > 0) else -np.ones(k, dtype=int)
        groups.append(_GroupSpec(factor, lam, theta, phi, phi_fix, nu, alpha))
    return _Spec(groups, len(kinds), kinds)


def _build(gs: _GroupSpec, x: np.ndarray, k: int) -> dict[str, np.ndarray]:
    p = len(gs.factor)
    L = np.zeros((p, k))
    L[np.arange(p), gs.factor] = x[gs.lam]
    theta = x[gs.theta]
    Phi = np.where(gs.phi >= 0, x[np.maximum(gs.phi, 0)], gs.phi_fix)
    Sigma = L @ Phi @ L.T + np.diag(theta)
    out = {"L": L, "theta": theta, "Phi": Phi, "Sigma": Sigma}
    if gs.nu is not None:
        al = np.where(gs.alpha >= 0, x[np.maximum(gs.alpha, 0)], 0.0)
        out["alpha"] = al
        out["mu"] = x[gs.nu] + L @ al
    return out


def _objective(x: np.ndarray, spec: _Spec, mom: list[_Moments], k: int, n_tot: int):
    f_tot = 0.0
    grad = np.zeros_like(x)
    for gs, mm in zip(spec.groups, mom, strict=True):
        M = _build(gs, x, k)
        Sigma = M["Sigma"]
        try:
            c = np.linalg.cholesky(Sigma)
        except np.linalg.LinAlgError:
            return 1e10, np.zeros_like(x)
        logdet = 2 * np.log(np.diag(c)).sum()
        Si = np.linalg.inv(Sigma)
        p = Sigma.shape[0]
        f = logdet + np.trace(mm.S @ Si) - np.linalg.slogdet(mm.S)[1] - p
        d = np.zeros(p)
        if gs.nu is not None:
            d = mm.m - M["mu"]
            f += d @ Si @ d
        w = mm.n / n_tot
        f_tot += w * f
        W = Si @ (Sigma - mm.S - np.outer(d, d)) @ Si
        L, Phi = M["L"], M["Phi"]
        gL = 2 * W @ L @ Phi
        v = Si @ d
        if gs.nu is not None:
            gL = gL - 2 * np.outer(v, M["alpha"])
        rows = np.arange(p)
        np.add.at(grad, gs.lam, w * gL[rows, gs.factor])
        np.add.at(grad, gs.theta, w * np.diag(W))
        G = L.T @ W @ L
        free = gs.phi >= 0
        # a free covariance sits in both triangle cells, so it collects 2 G_ab
        np.add.at(grad, gs.phi[free], w * G[free])
        if gs.nu is not None:
            np.add.at(grad, gs.nu, w * (-2 * v))
            fa = gs.alpha >= 0
            np.add.at(grad, gs.alpha[fa], w * (-2 * L.T @ v)[fa])
    return f_tot, grad


@dataclass
class _Fit:
    x: np.ndarray
    spec: _Spec
    k: int
    mom: list[_Moments]
    matrices: list[dict[str, np.ndarray]]
    chi2: float
    df: int
    converged: bool
    meanstructure: bool

    @property
    def n_tot(self) -> int:
        return sum(m.n for m in self.mom)


def _start(spec: _Spec, mom: list[_Moments], k: int) -> np.ndarray:
    x = np.zeros(spec.n_par)
    kinds = np.asarray(spec.kinds)
    for gs, mm in zip(spec.groups, mom, strict=True):
        sd = np.sqrt(np.diag(mm.S))
        x[gs.lam] = 0.7 * sd
        x[gs.theta] = 0.5 * sd**2
        if gs.nu is not None:
            x[gs.nu] = mm.m
    x[kinds == "phi_var"] = 1.0
    return x


def _fit_groups(mom: list[_Moments], spec: _Spec, *, meanstructure: bool) -> _Fit:
    k = int(max(g.factor.max() for g in spec.groups)) + 1
    n_tot = sum(m.n for m in mom)
    kinds = np.asarray(spec.kinds)
    bounds = [(1e-6, None) if kd in ("theta", "phi_var") else (None, None) for kd in kinds.tolist()]
    x0 = _start(spec, mom, k)
    res = optimize.minimize(
        _objective,
        x0,
        args=(spec, mom, k, n_tot),
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={"maxiter": 20000, "maxfun": 40000, "ftol": 1e-15, "gtol": 1e-9},
    )
    x = res.x
    # loadings of one factor are identified up to sign: make the factor positive
    for gs in spec.groups:
        for f in range(k):
            idx = gs.lam[gs.factor == f]
            if x[idx].sum() < 0:
                x[idx] = -x[idx]
                # flip covariances with this factor (only when not shared with other factors)
                for b in range(k):
                    if b != f and gs.phi[f, b] >= 0:
                        x[gs.phi[f, b]] = -x[gs.phi[f, b]]
                if gs.alpha is not None and gs.alpha[f] >= 0:
                    x[gs.alpha[f]] = -x[gs.alpha[f]]
    fval, grad = _objective(x, spec, mom, k, n_tot)
    p = len(spec.groups[0].factor)
    moments = p * (p + 1) // 2 + (p if meanstructure else 0)
    df = len(mom) * moments - spec.n_par
    converged = bool(res.success) or float(np.max(np.abs(grad))) < 1e-5
    mats = [_build(gs, x, k) for gs in spec.groups]
    return _Fit(x, spec, k, mom, mats, float(n_tot * fval), int(df), converged, meanstructure)


def _information(fit: _Fit) -> np.ndarray:
    """Expected (Fisher) information of the ML estimates, summed over groups."""
    q = fit.spec.n_par
    info = np.zeros((q, q))
    h = 1e-4
    for gs, mm in zip(fit.spec.groups, fit.mom, strict=True):
        base = _build(gs, fit.x, fit.k)
        Si = np.linalg.inv(base["Sigma"])
        p = Si.shape[0]
        dS = np.zeros((q, p, p))
        dm = np.zeros((q, p))
        for j in range(q):
            xp, xm = fit.x.copy(), fit.x.copy()
            xp[j] += h
            xm[j] -= h
            a, b = _build(gs, xp, fit.k), _build(gs, xm, fit.k)
            dS[j] = (a["Sigma"] - b["Sigma"]) / (2 * h)  # exact: Sigma is quadratic
            if gs.nu is not None:
                dm[j] = (a["mu"] - b["mu"]) / (2 * h)
        E = np.einsum("ab,jbc,cd->jad", Si, dS, Si)
        info += mm.n / 2 * dS.reshape(q, -1) @ E.reshape(q, -1).T
        if gs.nu is not None:
            info += mm.n * dm @ Si @ dm.T
    return info


def _std_errors(fit: _Fit) -> np.ndarray:
    info = _information(fit)
    try:
        cov = np.linalg.inv(info)
    except np.linalg.LinAlgError:
        cov = np.linalg.pinv(info)
    return np.sqrt(np.clip(np.diag(cov), 0, None))


def _srmr(fit: _Fit) -> float:
    vals = []
    for M, mm in zip(fit.matrices, fit.mom, strict=True):
        s_sd = np.sqrt(np.diag(mm.S))
        # Bentler's SRMR: residual covariances scaled by the observed SDs
        e = (mm.S - M["Sigma"]) / np.outer(s_sd, s_sd)
        il = np.tril_indices(len(s_sd))
        vals.append((mm.n, math.sqrt(np.mean(e[il] ** 2))))
    n = sum(v[0] for v in vals)
    return float(sum(v[0] * v[1] for v in vals) / n)


def _fit_indices(fit: _Fit) -> dict[str, float]:
    chi2, df, n, G = fit.chi2, fit.df, fit.n_tot, len(fit.mom)
    chi2_b, df_b = 0.0, 0
    for mm in fit.mom:
        p = len(mm.m)
        chi2_b += mm.n * (np.log(np.diag(mm.S)).sum() - np.linalg.slogdet(mm.S)[1])
        df_b += p * (p - 1) // 2
    p_val = float(stats.chi2.sf(chi2, df)) if df > 0 else np.nan
    denom = max(chi2 - df, chi2_b - df_b, 0.0)
    cfi = 1 - max(chi2 - df, 0.0) / denom if denom > 0 else 1.0
    tli = ((chi2_b / df_b) - (chi2 / df)) / ((chi2_b / df_b) - 1) if df > 0 and df_b > 0 else np.nan
    if df > 0:
        rmsea = math.sqrt(max(chi2 / n / df - 1 / n, 0.0)) * math.sqrt(G)

        def lam_at(prob: float) -> float:
            def f(lam: float) -> float:
                cdf = stats.ncx2.cdf(chi2, df, lam) if lam > 0 else stats.chi2.cdf(chi2, df)
                return float(cdf) - prob

            if f(0.0) < 0:
                return 0.0
            hi = max(chi2, 1.0)
            while f(hi) > 0:
                hi *= 2
            return optimize.brentq(f, 0.0, hi, xtol=1e-10)

        lo = math.sqrt(lam_at(0.95) / (n * df)) * math.sqrt(G)
        hi = math.sqrt(lam_at(0.05) / (n * df)) * math.sqrt(G)
    else:
        rmsea = lo = hi = np.nan
    return {
        "chi2": chi2,
        "df": df,
        "p_value": p_val,
        "cfi": float(min(max(cfi, 0.0), 1.0)),
        "tli": float(tli),
        "rmsea": rmsea,
        "rmsea_ci_low": lo,
        "rmsea_ci_high": hi,
        "srmr": _srmr(fit),
        "chi2_baseline": float(chi2_b),
        "df_baseline": df_b,
        "n_obs": n,
        "n_param": fit.spec.n_par,
        "converged": fit.converged,
    }


@dataclass(frozen=True)
class CfaResult:
    """Confirmatory factor analysis (one factor per construct, correlated factors).

    Attributes
    ----------
    muatan
        ``konstruk, item, estimate, std_error, z, p_value, ci_low, ci_high,
        std_estimate, varians_residual, varians_residual_se, r2`` — ``estimate`` is the
        loading with factor variance fixed at 1; ``std_estimate`` the completely
        standardised loading (lavaan's ``std.all``).
    korelasi_faktor
        ``konstruk_a, konstruk_b, estimate, std_error, ci_low, ci_high``.
    fit
        One row: ``chi2, df, p_value, cfi, tli, rmsea, rmsea_ci_low, rmsea_ci_high, srmr,
        chi2_baseline, df_baseline, n_obs, n_param, converged``.
    omega
        ``konstruk, omega`` from the model's loadings.
    """

    muatan: pd.DataFrame
    korelasi_faktor: pd.DataFrame
    fit: pd.DataFrame
    omega: pd.DataFrame
    method: str = "CFA maximum likelihood (faktor berkorelasi, varians faktor = 1)"

    def tidy(self) -> pd.DataFrame:
        m = self.muatan
        return pd.DataFrame(
            {
                "konstruk": m["konstruk"],
                "term": m["item"],
                "estimate": m["estimate"],
                "std_error": m["std_error"],
                "ci_low": m["ci_low"],
                "ci_high": m["ci_high"],
                "p_value": m["p_value"],
                "n_obs": int(self.fit["n_obs"].iloc[0]),
                "method": self.method,
                "std_estimate": m["std_estimate"],
            }
        )


def _model_data(
    survei: pd.DataFrame, instrumen: pd.DataFrame
) -> tuple[pd.DataFrame, list[str], np.ndarray, list[str]]:
    ins = _instrumen(instrumen, survei)
    items_by = _konstruk_items(ins)
    konstruk = list(items_by)
    items = [i for k in konstruk for i in items_by[k]]
    factor = np.array([konstruk.index(k) for k in konstruk for _ in items_by[k]])
    if any(len(v) < 2 for v in items_by.values()):
        small = [k for k, v in items_by.items() if len(v) < 2]
        raise ValueError(f"CFA: setiap konstruk perlu minimal 2 butir: {small}")
    if len(konstruk) == 1 and len(items) < 3:
        raise ValueError("CFA: model satu faktor perlu minimal 3 butir")
    x = _skor_butir(survei, ins.set_index("item").loc[items].reset_index())
    return x, items, factor, konstruk


def cfa(
    survei: pd.DataFrame,
    instrumen: pd.DataFrame,
    *,
    periode: str | Sequence[str] | None = None,
    ci: float = 0.95,
) -> CfaResult:
    """Confirmatory factor analysis of the instrument: each item loads on its construct.

    Parameters
    ----------
    periode
        Restrict to one period (or a list); default all rows.
    ci
        Level of the Wald intervals of the loadings.

    Returns
    -------
    CfaResult

    Notes
    -----
    Maximum likelihood on the covariance matrix of the reverse-scored items
    (respondents with all items answered), factor variances fixed at 1, factors
    correlated, residuals uncorrelated. Standard errors from the expected information
    matrix. Fit: χ² = N·F_ML; CFI and TLI against the independence model; RMSEA
    ``sqrt(max(χ²/N/df − 1/N, 0))`` with its 90% interval from the noncentral χ²;
    SRMR (Bentler) from residual covariances scaled by the observed SDs — the same
    definitions as lavaan 0.6, whose published Holzinger–Swineford output the tests
    reproduce. Likert answers are treated as continuous (normal-theory ML): with 5
    categories and roughly symmetric answers the bias in loadings is small, but χ²
    tends to be inflated when answers are skewed.
    """
    if not 0 < ci < 1:
        raise ValueError(f"ci harus di antara 0 dan 1, bukan {ci}")
    x, items, factor, konstruk = _model_data(_filter_periode(survei, periode), instrumen)
    data = x.dropna().to_numpy()
    p = len(items)
    if data.shape[0] <= p:
        raise ValueError(f"CFA: data lengkap terlalu sedikit ({data.shape[0]} responden)")
    k = len(konstruk)
    spec = _spec_single(factor, k)
    fit = _fit_groups([_moments(data)], spec, meanstructure=False)
    se = _std_errors(fit)
    gs = spec.groups[0]
    M = fit.matrices[0]
    lam = fit.x[gs.lam]
    lam_se = se[gs.lam]
    sig_sd = np.sqrt(np.diag(M["Sigma"]))
    std = lam * np.sqrt(np.diag(M["Phi"])[factor]) / sig_sd
    zc = stats.norm.ppf(1 - (1 - ci) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = lam / lam_se
    muatan = pd.DataFrame(
        {
            "konstruk": [konstruk[f] for f in factor],
            "item": items,
            "estimate": lam,
            "std_error": lam_se,
            "z": z,
            "p_value": 2 * stats.norm.sf(np.abs(z)),
            "ci_low": lam - zc * lam_se,
            "ci_high": lam + zc * lam_se,
            "std_estimate": std,
            "varians_residual": fit.x[gs.theta],
            "varians_residual_se": se[gs.theta],
            "r2": std**2,
        }
    )
    kor = []
    for a in range(k):
        for b in range(a):
            j = gs.phi[a, b]
            kor.append(
                {
                    "konstruk_a": konstruk[b],
                    "konstruk_b": konstruk[a],
                    "estimate": fit.x[j],
                    "std_error": se[j],
                    "ci_low": fit.x[j] - zc * se[j],
                    "ci_high": fit.x[j] + zc * se[j],
                }
            )
    om = []
    for f, kname in enumerate(konstruk):
        sel = factor == f
        s = lam[sel].sum() ** 2
        om.append({"konstruk": kname, "omega": float(s / (s + fit.x[gs.theta][sel].sum()))})
    fit_df = pd.DataFrame([_fit_indices(fit)])
    return CfaResult(
        muatan,
        pd.DataFrame(
            kor, columns=["konstruk_a", "konstruk_b", "estimate", "std_error", "ci_low", "ci_high"]
        ),
        fit_df,
        pd.DataFrame(om),
    )


_TINGKAT = ("konfigural", "metrik", "skalar")


def invarians(
    survei: pd.DataFrame,
    instrumen: pd.DataFrame,
    group: str = "periode",
    *,
    tingkat: Sequence[Literal["konfigural", "metrik", "skalar"]] = _TINGKAT,
    batas_delta_cfi: float = -0.010,
    batas_delta_rmsea: float = 0.015,
) -> pd.DataFrame:
    """Measurement invariance across groups (periods by default) by multi-group CFA.

    Parameters
    ----------
    group
        Column of ``survei`` defining the groups (``periode``, or e.g. an OPD column).
    tingkat
        Nested models to fit, in order: ``konfigural`` (same pattern), ``metrik``
        (equal loadings), ``skalar`` (equal loadings and intercepts).
    batas_delta_cfi, batas_delta_rmsea
        Cut-offs for the verdict.

    Returns
    -------
    DataFrame
        One row per model: ``model, chi2, df, p_value, cfi, tli, rmsea, srmr, n_obs,
        n_grup, delta_chi2, delta_df, p_delta, delta_cfi, delta_rmsea, delta_srmr,
        kesimpulan, method``. ``kesimpulan`` for each constrained model is
        ``"invarian"`` when ΔCFI ≥ −0.010 and ΔRMSEA ≤ 0.015 relative to the previous
        model, else ``"tidak invarian"``; the configural row reports whether the common
        pattern fits (CFI ≥ 0.90 and RMSEA ≤ 0.08: ``"pola sama"``).

    Notes
    -----
    Identification: factor variances 1 and factor means 0 in the first group; with
    equal loadings the other groups' factor variances are free, with equal intercepts
    their factor means are free (equivalent to lavaan's ``group.equal``). The Δχ² test
    is reported but, with hundreds of respondents per period, it rejects trivial
    differences; the verdict therefore follows the change in fit indices: ΔCFI ≥ −0.01
    (Cheung & Rensvold, 2002, *Structural Equation Modeling* 9(2):233–255) with
    ΔRMSEA ≤ 0.015 (Chen, 2007, *Structural Equation Modeling* 14(3):464–504; Chen also
    suggests ΔSRMR ≤ 0.030 for metric and ≤ 0.010 for scalar invariance, reported here
    as ``delta_srmr`` for the reader). RMSEA uses Steiger's multi-group correction
    (× √G) as lavaan does. When the same employees answer in several periods, the
    groups are not independent samples: the estimates stay consistent but the χ²
    tests are approximate (a longitudinal CFA would model the within-person
    correlation).
    """
    if group not in survei.columns:
        raise ValueError(f"invarians: kolom grup {group!r} tidak ada di survei")
    bad = [t for t in tingkat if t not in _TINGKAT]
    if bad or not tingkat:
        raise ValueError(f"tingkat harus bagian dari {_TINGKAT}, bukan {list(tingkat)}")
    order = [t for t in _TINGKAT if t in tingkat]
    x, items, factor, konstruk = _model_data(survei, instrumen)
    ok = x.notna().all(axis=1) & survei[group].notna()
    grp = survei.loc[ok, group].astype(str)
    levels = sorted(grp.unique())
    if len(levels) < 2:
        raise ValueError("invarians: perlu minimal 2 grup dengan data lengkap")
    mom = []
    for lv in levels:
        d = x.loc[ok][grp == lv].to_numpy()
        if d.shape[0] <= len(items):
            raise ValueError(f"invarians: grup {lv!r} hanya punya {d.shape[0]} responden lengkap")
        mom.append(_moments(d))
    k = len(konstruk)
    rows = []
    prev = None
    for lvl in order:
        spec = _spec_multi(factor, k, len(levels), lvl, meanstructure=True)
        fit = _fit_groups(mom, spec, meanstructure=True)
        fi = _fit_indices(fit)
        row = {
            "model": lvl,
            "chi2": fi["chi2"],
            "df": fi["df"],
            "p_value": fi["p_value"],
            "cfi": fi["cfi"],
            "tli": fi["tli"],
            "rmsea": fi["rmsea"],
            "srmr": fi["srmr"],
            "n_obs": fi["n_obs"],
            "n_grup": len(levels),
            "converged": fi["converged"],
        }
        if prev is None:
            row.update(
                delta_chi2=np.nan,
                delta_df=np.nan,
                p_delta=np.nan,
                delta_cfi=np.nan,
                delta_rmsea=np.nan,
                delta_srmr=np.nan,
                kesimpulan=(
                    "pola sama" if fi["cfi"] >= 0.90 and fi["rmsea"] <= 0.08 else "pola berbeda"
                ),
            )
        else:
            dchi = fi["chi2"] - prev["chi2"]
            ddf = fi["df"] - prev["df"]
            dcfi = fi["cfi"] - prev["cfi"]
            drm = fi["rmsea"] - prev["rmsea"]
            row.update(
                delta_chi2=dchi,
                delta_df=ddf,
                p_delta=float(stats.chi2.sf(max(dchi, 0.0), ddf)) if ddf > 0 else np.nan,
                delta_cfi=dcfi,
                delta_rmsea=drm,
                delta_srmr=fi["srmr"] - prev["srmr"],
                kesimpulan=(
                    "invarian"
                    if dcfi >= batas_delta_cfi and drm <= batas_delta_rmsea
                    else "tidak invarian"
                ),
            )
        row["method"] = f"CFA multi-grup ML ({group})"
        rows.append(row)
        prev = fi
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- regression


@dataclass(frozen=True)
class RegresiResult:
    """OLS regression with the classical assumption checks (*uji asumsi klasik*).

    Attributes
    ----------
    koefisien
        ``term, estimate, std_error, t, p_value, ci_low, ci_high, n_obs, method``.
    model
        One row: ``n_obs, df_model, df_resid, r2, r2_adj, f, f_p_value, f_method``.
    asumsi
        One row per check: ``uji, statistic, p_value, kesimpulan, interpretasi``.
    vif
        ``term, vif, tolerance``.
    catatan
        Why robust standard errors are used (Indonesian).
    """

    koefisien: pd.DataFrame
    model: pd.DataFrame
    asumsi: pd.DataFrame
    vif: pd.DataFrame
    catatan: str

    def tidy(self) -> pd.DataFrame:
        return self.koefisien


def _vif(X: np.ndarray, names: list[str]) -> pd.DataFrame:
    """VIF_j = 1 / (1 − R²_j), R²_j from regressing predictor j on the others (+ const)."""
    rows = []
    n, k = X.shape
    for j in range(k):
        y = X[:, j]
        others = np.column_stack([np.ones(n), np.delete(X, j, axis=1)])
        beta, *_ = np.linalg.lstsq(others, y, rcond=None)
        resid = y - others @ beta
        tss = ((y - y.mean()) ** 2).sum()
        r2 = 1 - (resid**2).sum() / tss if tss > 0 else np.nan
        vif = 1 / (1 - r2) if r2 < 1 else np.inf
        rows.append({"term": names[j], "vif": vif, "tolerance": 1 / vif})
    return pd.DataFrame(rows)


def regresi_asumsi_klasik(
    data: pd.DataFrame,
    y: str,
    X: Sequence[str],
    *,
    robust: Literal["HC3", "HC1", None] = "HC3",
    alpha: float = 0.05,
    batas_vif: float = 10.0,
) -> RegresiResult:
    """OLS regression with the classical assumption checks and robust standard errors.

    Parameters
    ----------
    data
        One row per observation; rows with a missing ``y`` or ``X`` are dropped.
    y, X
        Outcome column and predictor columns (numeric).
    robust
        Heteroskedasticity-consistent covariance (``"HC3"`` default, ``"HC1"``) or
        ``None`` for the classical OLS standard errors.
    alpha
        Significance level for the checks and the intervals.
    batas_vif
        VIF above which multicollinearity is flagged (10, tolerance 0.10).

    Returns
    -------
    RegresiResult

    Notes
    -----
    Checks: normality of residuals by Kolmogorov–Smirnov with the Lilliefors
    correction (the "uji K-S" of theses, done right: the plain K-S test with estimated
    mean and SD is far too lenient), Shapiro–Wilk (n ≤ 5000) and Jarque–Bera;
    multicollinearity by VIF and tolerance; heteroskedasticity by Breusch–Pagan
    (studentised, Koenker) and White; autocorrelation by Durbin–Watson, which is only
    meaningful when rows are in time order (cross-sectional survey data have no
    natural order, so the statistic there depends on how the file is sorted). Robust
    (HC3) standard errors are the default because Likert outcomes are bounded and
    often heteroskedastic; HC3 keeps the t tests valid then and performs well in small
    samples (Long & Ervin 2000), and costs little when errors are homoskedastic. The
    F test uses the same covariance (a Wald test) when robust errors are requested.
    """
    import statsmodels.api as sm
    from statsmodels.stats import diagnostic as smd
    from statsmodels.stats.stattools import durbin_watson, jarque_bera

    if robust not in ("HC3", "HC1", None):
        raise ValueError(f"robust harus 'HC3', 'HC1' atau None, bukan {robust!r}")
    X = list(X)
    if not X:
        raise ValueError("X: minimal satu prediktor")
    _require(data, [y, *X], "regresi_asumsi_klasik")
    d = data[[y, *X]].copy()
    for c in [y, *X]:
        if not pd.api.types.is_numeric_dtype(d[c]):
            raise ValueError(f"kolom {c!r} harus numerik")
    d = d.dropna().astype(float)
    n = len(d)
    if n <= len(X) + 2:
        raise ValueError(f"data terlalu sedikit untuk regresi ({n} baris)")
    exog = sm.add_constant(d[X], has_constant="add")
    ols = sm.OLS(d[y], exog).fit()
    res = ols.get_robustcov_results(cov_type=robust) if robust else ols
    method = f"OLS, SE robust {robust}" if robust else "OLS, SE klasik"
    ci = np.asarray(res.conf_int(alpha))
    coef = pd.DataFrame(
        {
            "term": ["const", *X],
            "estimate": np.asarray(res.params),
            "std_error": np.asarray(res.bse),
            "t": np.asarray(res.tvalues),
            "p_value": np.asarray(res.pvalues),
            "ci_low": ci[:, 0],
            "ci_high": ci[:, 1],
            "n_obs": n,
            "method": method,
        }
    )
    model = pd.DataFrame(
        [
            {
                "n_obs": n,
                "df_model": ols.df_model,
                "df_resid": ols.df_resid,
                "r2": ols.rsquared,
                "r2_adj": ols.rsquared_adj,
                "f": float(np.squeeze(res.fvalue)),
                "f_p_value": float(np.squeeze(res.f_pvalue)),
                "f_method": "Wald F (kovarians robust)" if robust else "F klasik",
            }
        ]
    )
    e = np.asarray(ols.resid)
    rows = []

    def add(uji: str, stat: float, p: float, ok: bool, yes: str, no: str) -> None:
        txt = yes if ok else no
        cmp = ">" if ok else "≤"
        if np.isfinite(p):
            txt = (
                f"{txt} ({_p_teks(p)})"
                if p < 0.001
                else f"{txt} ({_p_teks(p)} {cmp} {_angka(alpha)})"
            )
        rows.append(
            {
                "uji": uji,
                "statistic": float(stat),
                "p_value": float(p),
                "kesimpulan": "terpenuhi" if ok else "tidak terpenuhi",
                "interpretasi": txt,
            }
        )

    ks, ks_p = smd.lilliefors(e, dist="norm", pvalmethod="table")
    add(
        "normalitas_ks_lilliefors",
        ks,
        ks_p,
        ks_p > alpha,
        "Residual berdistribusi normal",
        "Residual tidak berdistribusi normal",
    )
    if 3 <= n <= 5000:
        sw, sw_p = stats.shapiro(e)
        add(
            "normalitas_shapiro_wilk",
            sw,
            sw_p,
            sw_p > alpha,
            "Residual berdistribusi normal",
            "Residual tidak berdistribusi normal",
        )
    jb, jb_p, _, _ = jarque_bera(e)
    add(
        "normalitas_jarque_bera",
        jb,
        jb_p,
        jb_p > alpha,
        "Residual berdistribusi normal",
        "Residual tidak berdistribusi normal",
    )
    vif = (
        _vif(d[X].to_numpy(), X)
        if len(X) > 1
        else pd.DataFrame({"term": X, "vif": [1.0], "tolerance": [1.0]})
    )
    vmax = float(vif["vif"].max())
    worst = vif.loc[vif["vif"].idxmax(), "term"]
    rows.append(
        {
            "uji": "multikolinearitas_vif",
            "statistic": vmax,
            "p_value": np.nan,
            "kesimpulan": "terpenuhi" if vmax < batas_vif else "tidak terpenuhi",
            "interpretasi": (
                f"Tidak ada multikolinearitas (VIF tertinggi {_angka(vmax)} pada {worst} "
                f"< {_angka(batas_vif, 0)}; tolerance > {_angka(1 / batas_vif)})."
                if vmax < batas_vif
                else f"Ada multikolinearitas: VIF {worst} = {_angka(vmax)} ≥ {_angka(batas_vif, 0)}."
            ),
        }
    )
    bp, bp_p, _, _ = smd.het_breuschpagan(e, exog)
    add(
        "heteroskedastisitas_breusch_pagan",
        bp,
        bp_p,
        bp_p > alpha,
        "Tidak ada heteroskedastisitas",
        "Terjadi heteroskedastisitas; SE robust diperlukan",
    )
    try:
        wh, wh_p, _, _ = smd.het_white(e, exog)
        add(
            "heteroskedastisitas_white",
            wh,
            wh_p,
            wh_p > alpha,
            "Tidak ada heteroskedastisitas",
            "Terjadi heteroskedastisitas; SE robust diperlukan",
        )
    except (ValueError, AssertionError, np.linalg.LinAlgError):  # pragma: no cover
        pass
    dw = float(durbin_watson(e))
    ok_dw = 1.5 < dw < 2.5
    rows.append(
        {
            "uji": "autokorelasi_durbin_watson",
            "statistic": dw,
            "p_value": np.nan,
            "kesimpulan": "terpenuhi" if ok_dw else "tidak terpenuhi",
            "interpretasi": (
                f"Durbin–Watson = {_angka(dw)} "
                + ("(1,5–2,5: tidak ada indikasi autokorelasi)" if ok_dw else "(di luar 1,5–2,5)")
                + "; uji ini hanya bermakna bila baris berurutan menurut waktu."
            ),
        }
    )
    for r in rows:
        if r["uji"] != "multikolinearitas_vif" and not r["interpretasi"].endswith("."):
            r["interpretasi"] += "."
    catatan = (
        f"Galat baku memakai estimator robust {robust} (tahan heteroskedastisitas): skor "
        "Likert terbatas dan sering heteroskedastis, sehingga uji t klasik bisa menyesatkan; "
        "bila residual homoskedastis, hasilnya hampir sama dengan SE klasik."
        if robust
        else "Galat baku klasik OLS (mengasumsikan homoskedastisitas)."
    )
    return RegresiResult(coef, model, pd.DataFrame(rows), vif, catatan)


# --------------------------------------------------------------------------- panel links


def _long_scores(skor: pd.DataFrame, konstruk: str) -> pd.DataFrame:
    if {"konstruk", "skor"} <= set(skor.columns):
        d = skor.loc[skor["konstruk"] == konstruk, ["nip", "periode", "skor"]]
    elif konstruk in skor.columns:
        d = skor[["nip", "periode", konstruk]].rename(columns={konstruk: "skor"})
    else:
        raise ValueError(f"skor_konstruk tidak memuat konstruk {konstruk!r}")
    d = d.dropna(subset=["skor"]).copy()
    if d.empty:
        raise ValueError(f"tidak ada skor untuk konstruk {konstruk!r}")
    d["nip"] = d["nip"].astype(str)
    d["periode"] = d["periode"].astype(str)
    return d


def _periode_mulai(tanggal: pd.Series, periods: Sequence[str], aturan: str) -> pd.Series:
    """Index (into sorted periods) of the first period counted as 'after' each date."""
    ends = np.array([periode_bounds(p)[1] for p in periods], dtype="datetime64[ns]")
    starts = np.array([periode_bounds(p)[0] for p in periods], dtype="datetime64[ns]")
    t = pd.to_datetime(tanggal).to_numpy(dtype="datetime64[ns]")
    if aturan == "periode_selesai":
        # the period containing the date (the survey is taken at the end of the period)
        idx = np.searchsorted(ends, t, side="left")
    else:
        # the first period starting after the date
        idx = np.searchsorted(starts, t, side="right")
    return pd.Series(idx, index=tanggal.index)


def efek_pelatihan_komunikasi(
    skor_konstruk: pd.DataFrame,
    pelatihan: pd.DataFrame,
    *,
    konstruk: str = "percaya_diri",
    kompetensi: Sequence[str] = (),
    kata_kunci: Sequence[str] = ("komunikasi",),
    mulai: Literal["periode_selesai", "periode_berikutnya"] = "periode_selesai",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Within-employee change in a construct after a communication training.

    Parameters
    ----------
    skor_konstruk
        Output of :func:`skor_konstruk` (long or wide).
    pelatihan
        The ``pelatihan`` table.
    konstruk
        Construct to analyse (default ``percaya_diri``).
    kompetensi, kata_kunci
        A training counts as a communication training when its ``nama_pelatihan``
        contains one of ``kata_kunci`` (case-insensitive) or, if given, its
        ``kompetensi_sasaran`` is in ``kompetensi``. The default is the name rule alone:
        many service-orientation webinars target ``berorientasi_pelayanan`` without
        training communication, and counting them dilutes the effect.
    mulai
        First period counted as "after": the period in which the training ended
        (``periode_selesai``, the survey is taken at the end of each period) or the
        next one (``periode_berikutnya``).

    Returns
    -------
    DataFrame
        One row: ``term, estimate, std_error, ci_low, ci_high, p_value, n_obs, method,
        konstruk, n_pegawai, n_pegawai_dilatih``.

    Notes
    -----
    ``skor_it = β·pasca_it + a_i + γ_t + e_it`` (pyfixest ``feols`` with employee and
    period fixed effects, standard errors clustered by employee). ``pasca`` switches on
    from the first communication training and stays on (absorbing). β compares each
    trained employee's scores before and after, net of the period-wide change seen in
    employees not (yet) trained. This two-way fixed-effects estimate is unbiased when
    the effect is the same for every cohort and does not grow with time since
    training; with staggered timing and changing effects it can be biased (use the
    Callaway–Sant'Anna estimates of the effects module for that). Self-selection on
    time-constant traits is absorbed by ``a_i``; selection on a dip just before
    training is not.
    """
    import pyfixest as pf

    if mulai not in ("periode_selesai", "periode_berikutnya"):
        raise ValueError(
            f"mulai harus 'periode_selesai' atau 'periode_berikutnya', bukan {mulai!r}"
        )
    d = _long_scores(skor_konstruk, konstruk)
    periods = sorted(d["periode"].unique())
    _require(
        pelatihan, ["nip", "nama_pelatihan", "kompetensi_sasaran", "tanggal_selesai"], "pelatihan"
    )
    pl = pelatihan.copy()
    nama = pl["nama_pelatihan"].astype("string").str.lower().fillna("")
    is_kom = pl["kompetensi_sasaran"].astype("string").isin(list(kompetensi)).fillna(False)
    for kw in kata_kunci:
        is_kom |= nama.str.contains(kw.lower(), regex=False).fillna(False)
    pl = pl[is_kom.to_numpy(dtype=bool)]
    pl = pl.assign(nip=pl["nip"].astype(str))
    first = pl.groupby("nip")["tanggal_selesai"].min()
    g_idx = _periode_mulai(first, periods, mulai)
    pidx = {p: i for i, p in enumerate(periods)}
    d["t"] = d["periode"].map(pidx)
    d["g"] = d["nip"].map(g_idx)
    d["pasca"] = (d["g"].notna() & (d["t"] >= d["g"])).astype(float)
    fit = pf.feols("skor ~ pasca | nip + periode", data=d, vcov={"CRV1": "nip"})
    tid = fit.tidy(alpha=alpha).loc["pasca"]
    n_treated = int(d.loc[d["pasca"] > 0, "nip"].nunique())
    return pd.DataFrame(
        [
            {
                "term": "pasca_pelatihan_komunikasi",
                "estimate": float(tid["Estimate"]),
                "std_error": float(tid["Std. Error"]),
                "ci_low": float(tid.iloc[4]),
                "ci_high": float(tid.iloc[5]),
                "p_value": float(tid["Pr(>|t|)"]),
                "n_obs": int(fit._N),
                "method": "TWFE (FE pegawai + periode), SE cluster pegawai",
                "konstruk": konstruk,
                "n_pegawai": int(d["nip"].nunique()),
                "n_pegawai_dilatih": n_treated,
            }
        ]
    )


def penerimaan_per_opd(
    skor_konstruk: pd.DataFrame,
    pegawai: pd.DataFrame,
    *,
    konstruk: str = "penerimaan_sistem",
    min_n: int = 5,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Mean construct score (acceptance of the evaluation system) per OPD and period.

    Returns
    -------
    DataFrame
        ``opd, periode, konstruk, estimate, std_error, ci_low, ci_high, n_obs, disupresi,
        method``. Groups with ``n_obs < min_n`` keep their row and ``n_obs`` but have
        ``disupresi = True`` and no estimate (small cells could identify people).

    Notes
    -----
    Mean with a t interval: ``mean ± t_{n−1} · sd / sqrt(n)``. Respondents whose NIP is
    not in ``pegawai`` are grouped under ``opd = "(tidak diketahui)"``.
    """
    if min_n < 1:
        raise ValueError(f"min_n harus >= 1, bukan {min_n}")
    _require(pegawai, ["nip", "opd"], "pegawai")
    d = _long_scores(skor_konstruk, konstruk)
    opd = (
        pegawai.assign(nip=pegawai["nip"].astype(str))
        .drop_duplicates("nip")
        .set_index("nip")["opd"]
    )
    d["opd"] = d["nip"].map(opd).fillna("(tidak diketahui)")
    rows = []
    for (o, per), g in d.groupby(["opd", "periode"], sort=True):
        v = g["skor"].to_numpy(dtype=float)
        n = len(v)
        sup = n < min_n
        mean = float(v.mean())
        se = float(v.std(ddof=1) / math.sqrt(n)) if n > 1 else np.nan
        tc = stats.t.ppf(1 - (1 - ci) / 2, n - 1) if n > 1 else np.nan
        rows.append(
            {
                "opd": o,
                "periode": per,
                "konstruk": konstruk,
                "estimate": np.nan if sup else mean,
                "std_error": np.nan if sup else se,
                "ci_low": np.nan if sup else mean - tc * se,
                "ci_high": np.nan if sup else mean + tc * se,
                "n_obs": n,
                "disupresi": sup,
                "method": f"rata-rata, CI t {int(ci * 100)}%",
            }
        )
    return pd.DataFrame(rows)
