"""Survey instruments: scoring and the checks Indonesian theses report, and what they skip.

The usual sequence a reviewer expects — *uji validitas* (corrected item–total correlation
against the r-table), *uji reliabilitas* (Cronbach's α), *statistik deskriptif* with the
interval categories — computed properly (reverse-keyed items, the missing-answer rule
written down, confidence intervals), and beyond it McDonald's ω, a confirmatory factor
analysis and measurement invariance across periods (wrappers over the generic engine in
:mod:`kinerja_analysis.methods.cfa`).

Data contract: ``survei`` has ``nip, periode`` plus one column per item;
``survei_instrumen`` has ``item, konstruk, teks, terbalik`` and optionally ``skala_min,
skala_max`` (default 1–5).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from kinerja_analysis.core.checks import require_columns
from kinerja_analysis.core.errors import NotEstimable
from kinerja_analysis.methods.cfa import (
    CfaResult,
    _fit_groups,
    _fit_indices,
    _moments,
    _spec_multi,
    _spec_single,
    _std_errors,
)

#: Category labels of the equal-width interval rule, lowest first.
INTERVAL_CATEGORIES: tuple[str, ...] = (
    "sangat rendah",
    "rendah",
    "sedang",
    "tinggi",
    "sangat tinggi",
)

_SKALA_DEFAULT = (1.0, 5.0)


def _check_instrument(instrumen: pd.DataFrame, survei: pd.DataFrame | None = None) -> pd.DataFrame:
    """Normalised instrument: item, konstruk, terbalik (bool), skala_min, skala_max (float)."""
    require_columns(instrumen, ["item", "konstruk", "terbalik"], "survei_instrumen")
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


def _score_items(survei: pd.DataFrame, ins: pd.DataFrame) -> pd.DataFrame:
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


def _select_periods(survei: pd.DataFrame, periode: str | Sequence[str] | None) -> pd.DataFrame:
    if periode is None:
        return survei
    per = [periode] if isinstance(periode, str) else list(periode)
    out = survei[survei["periode"].astype(str).isin(per)]
    if out.empty:
        raise NotEstimable(f"survei: tidak ada baris untuk periode {per}")
    return out


def _items_by_construct(ins: pd.DataFrame) -> dict[str, list[str]]:
    return {k: g["item"].tolist() for k, g in ins.groupby("konstruk", sort=False)}


# --------------------------------------------------------------------------- scoring


def construct_scores(
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
    categories of :func:`interval_category` apply to it.
    """
    if not 0 < min_jawab <= 1:
        raise ValueError(f"min_jawab harus di antara 0 dan 1, bukan {min_jawab}")
    if bentuk not in ("long", "wide"):
        raise ValueError(f"bentuk harus 'long' atau 'wide', bukan {bentuk!r}")
    require_columns(survei, ["nip", "periode"], "survei")
    ins = _check_instrument(instrumen, survei)
    x = _score_items(survei, ins)
    parts = []
    for k, items in _items_by_construct(ins).items():
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


def r_critical(n: int | np.ndarray, alpha: float = 0.05) -> float | np.ndarray:
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


def item_validity(
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
    ``r_hitung > r_tabel`` (:func:`r_critical`). Checked against ``psych::alpha`` on the
    Holzinger–Swineford data (``tests/test_survey.py``).
    """
    require_columns(survei, ["periode"], "survei")
    ins = _check_instrument(instrumen, survei)
    x = _score_items(_select_periods(survei, periode), ins)
    rows = []
    for k, items in _items_by_construct(ins).items():
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
            rt = r_critical(n, alpha) if n > 2 else np.nan
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


def _omega_one_factor(x: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
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
class ScaleReliability:
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


def scale_reliability(
    survei: pd.DataFrame,
    instrumen: pd.DataFrame,
    *,
    periode: str | Sequence[str] | None = None,
    ci: float = 0.95,
    batas: float = 0.7,
) -> ScaleReliability:
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
    ins = _check_instrument(instrumen, survei)
    x = _score_items(_select_periods(survei, periode), ins)
    krows, brows = [], []
    for k, items in _items_by_construct(ins).items():
        sub = x[items].dropna().to_numpy()
        n, p = sub.shape
        a = _alpha(sub) if n > 1 else np.nan
        lo, hi = _feldt_ci(a, n, p, ci)
        om, lam, theta = _omega_one_factor(sub) if n > p else (np.nan, [np.nan] * p, [np.nan] * p)
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
    return ScaleReliability(pd.DataFrame(krows), pd.DataFrame(brows))


def interval_category(
    nilai: float | np.ndarray | pd.Series,
    skala_min: float = 1.0,
    skala_max: float = 5.0,
    label: Sequence[str] = INTERVAL_CATEGORIES,
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


def _distribution(values: pd.Series, lo: float, hi: float) -> dict[str, float]:
    cats = np.arange(int(lo), int(hi) + 1)
    v = values.dropna()
    n = len(v)
    return {f"pct_{c}": (float((v == c).sum()) / n * 100 if n else np.nan) for c in cats}


def describe_items(
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
        the mean, see :func:`interval_category`).
    """
    ins = _check_instrument(instrumen, survei)
    x = _score_items(survei, ins) if skor_terbalik else survei[ins["item"].tolist()].astype(float)
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
            row.update(_distribution(v, r.skala_min, r.skala_max))
            row["kategori"] = interval_category(mean, r.skala_min, r.skala_max).iloc[0]
            rows.append(row)
    return pd.DataFrame(rows)


def describe_constructs(
    survei: pd.DataFrame,
    instrumen: pd.DataFrame,
    *,
    min_jawab: float = 0.8,
    per_periode: bool = True,
) -> pd.DataFrame:
    """Descriptive statistics of construct scores (see :func:`construct_scores`).

    Returns
    -------
    DataFrame
        ``konstruk, [periode,] n, mean, sd, min, max``, ``pct_<label>`` (percent of
        respondents whose score falls in each interval category) and ``kategori`` (the
        interval label of the mean).
    """
    ins = _check_instrument(instrumen, survei)
    skala = ins.groupby("konstruk")[["skala_min", "skala_max"]].first()
    sk = construct_scores(survei, ins, min_jawab=min_jawab)
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
        lab = interval_category(v.to_numpy(), lo, hi) if len(v) else pd.Series(dtype=object)
        for name in INTERVAL_CATEGORIES:
            row[f"pct_{name.replace(' ', '_')}"] = (
                float((lab == name).mean() * 100) if len(v) else np.nan
            )
        row["kategori"] = interval_category(row["mean"], lo, hi).iloc[0]
        rows.append(row)
    return pd.DataFrame(rows)


def _model_data(
    survei: pd.DataFrame, instrumen: pd.DataFrame
) -> tuple[pd.DataFrame, list[str], np.ndarray, list[str]]:
    ins = _check_instrument(instrumen, survei)
    items_by = _items_by_construct(ins)
    konstruk = list(items_by)
    items = [i for k in konstruk for i in items_by[k]]
    factor = np.array([konstruk.index(k) for k in konstruk for _ in items_by[k]])
    if any(len(v) < 2 for v in items_by.values()):
        small = [k for k, v in items_by.items() if len(v) < 2]
        raise ValueError(f"CFA: setiap konstruk perlu minimal 2 butir: {small}")
    if len(konstruk) == 1 and len(items) < 3:
        raise ValueError("CFA: model satu faktor perlu minimal 3 butir")
    x = _score_items(survei, ins.set_index("item").loc[items].reset_index())
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
    x, items, factor, konstruk = _model_data(_select_periods(survei, periode), instrumen)
    data = x.dropna().to_numpy()
    p = len(items)
    if data.shape[0] <= p:
        raise NotEstimable(f"CFA: data lengkap terlalu sedikit ({data.shape[0]} responden)")
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


def invariance(
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
        raise NotEstimable("invarians: perlu minimal 2 grup dengan data lengkap")
    mom = []
    for lv in levels:
        d = x.loc[ok][grp == lv].to_numpy()
        if d.shape[0] <= len(items):
            raise NotEstimable(f"invarians: grup {lv!r} hanya punya {d.shape[0]} responden lengkap")
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
