"""Survey instruments: scoring and the checks Indonesian theses report, and what they skip.

The usual sequence a reviewer expects — *uji validitas* (corrected item–total correlation
against the r-table), *uji reliabilitas* (Cronbach's α), *statistik deskriptif* with the
interval categories — computed properly (reverse-keyed items, the missing-answer rule
written down, confidence intervals), and beyond it McDonald's ω, a confirmatory factor
analysis and measurement invariance across periods (wrappers over the generic engine in
:mod:`kinerja_analysis.methods.cfa`).

Data contract (see :mod:`kinerja_analysis.data.contract`): ``survei`` has ``nip, periode``
plus one column per item; ``survei_instrumen`` has ``item, konstruk, teks, terbalik``
and optionally ``skala_min, skala_max`` (default 1–5).

The statistics are generic engines: Cronbach's α from :mod:`kinerja_analysis.methods.reliability`,
the confirmatory factor analysis and invariance from :mod:`kinerja_analysis.methods.cfa`
(which reproduces lavaan, ``tests/data/lavaan/``). This module adds the instrument
conventions: constructs and items, reverse keying, the missing-answer rule, the
Indonesian table and column names theses use, and the verdicts in their words.
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
from kinerja_analysis.core.compat import TEXT_DTYPE
from kinerja_analysis.core.config import DEFAULTS
from kinerja_analysis.core.deprecation import renamed_keywords
from kinerja_analysis.core.errors import NotEstimable
from kinerja_analysis.core.frames import concat_rows
from kinerja_analysis.core.results import Result, check_tidy, tidy_frame
from kinerja_analysis.methods.cfa import CfaFit, FactorSpec, fit_cfa, fit_invariance
from kinerja_analysis.methods.reliability import alpha_if_deleted, cronbach_alpha

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
        raise ValueError(f"survei_instrumen: duplicate items: {dup}")
    for col, default in zip(("skala_min", "skala_max"), _SKALA_DEFAULT, strict=True):
        if col not in ins.columns:
            ins[col] = default
        ins[col] = pd.to_numeric(ins[col], errors="coerce").fillna(default).astype(float)
    if (ins["skala_max"] <= ins["skala_min"]).any():
        raise ValueError("survei_instrumen: skala_max must be greater than skala_min")
    ter = ins["terbalik"]
    if ter.dtype == object or str(ter.dtype) in ("string", "str"):
        ter = ter.astype("string[pyarrow]").str.strip().str.lower().isin(["true", "1", "ya", "y"])
    ins["terbalik"] = ter.fillna(False).astype(bool)
    ins["item"] = ins["item"].astype(TEXT_DTYPE)
    ins["konstruk"] = ins["konstruk"].astype(TEXT_DTYPE)
    if survei is not None:
        absent = [i for i in ins["item"] if i not in survei.columns]
        if absent:
            raise ValueError(f"survei: item columns missing: {', '.join(absent)}")
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
            f"survei: answer outside the scale in row {r}, item {x.columns[c]!r}: "
            f"{x.iat[r, c]!r} (scale {lo.iloc[c]:g}–{hi.iloc[c]:g})"
        )
    for row in ins[ins["terbalik"]].itertuples(index=False):
        x[row.item] = row.skala_min + row.skala_max - x[row.item]
    return x


def _select_periods(survei: pd.DataFrame, periode: str | Sequence[str] | None) -> pd.DataFrame:
    if periode is None:
        return survei
    per = [periode] if isinstance(periode, str) else list(periode)
    out = survei[survei["periode"].astype(TEXT_DTYPE).isin(per)]
    if out.empty:
        raise NotEstimable(f"survei: tidak ada baris untuk periode {per}")
    return out


def _items_by_construct(ins: pd.DataFrame) -> dict[str, list[str]]:
    return {k: g["item"].tolist() for k, g in ins.groupby("konstruk", sort=False, observed=True)}


# --------------------------------------------------------------------------- scoring


@renamed_keywords(min_jawab="min_answered", bentuk="shape")
def construct_scores(
    survei: pd.DataFrame,
    instrumen: pd.DataFrame,
    *,
    min_answered: float = 0.8,
    shape: Literal["long", "wide"] = "long",
) -> pd.DataFrame:
    """Score each respondent on each construct.

    Parameters
    ----------
    survei, instrumen
        The ``survei`` and ``survei_instrumen`` tables.
    min_answered
        Minimum share of a construct's items that must be answered (default 0.8).
    shape
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
    the mean of the answered items when at least ``min_answered`` of the construct's items
    are answered — identical to person-mean imputation of the missing items — and
    missing (NaN) otherwise. The score is on the item scale (e.g. 1–5), so the interval
    categories of :func:`interval_category` apply to it.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> f = rng.normal(size=120)
    >>> survei = pd.DataFrame({f"x{k}": np.clip(np.round(3 + f + rng.normal(0, 0.7, 120)), 1, 5) for k in range(1, 5)})
    >>> survei["nip"], survei["periode"] = [f"p{i}" for i in range(120)], np.repeat(["2025Q1", "2025Q2"], 60)
    >>> instrumen = pd.DataFrame({"item": ["x1", "x2", "x3", "x4"], "konstruk": "kepuasan", "terbalik": False, "teks": "..."})
    >>> cs = construct_scores(survei, instrumen)
    >>> list(cs.columns), len(cs)
    (['nip', 'periode', 'konstruk', 'skor', 'n_item', 'n_item_dijawab'], 120)
    """
    if not 0 < min_answered <= 1:
        raise ValueError(f"min_answered must be in (0, 1], not {min_answered}")
    if shape not in ("long", "wide"):
        raise ValueError(f"shape must be 'long' or 'wide', not {shape!r}")
    require_columns(survei, ["nip", "periode"], "survei")
    ins = _check_instrument(instrumen, survei)
    x = _score_items(survei, ins)
    parts = []
    for k, items in _items_by_construct(ins).items():
        sub = x[items]
        n_ans = sub.notna().sum(axis=1)
        mean = sub.mean(axis=1, skipna=True)
        ok = n_ans >= math.ceil(min_answered * len(items) - 1e-9)
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
    if shape == "long":
        return long
    wide = long.pivot_table(
        index=["nip", "periode"],
        columns="konstruk",
        values="skor",
        dropna=False,
        sort=False,
        observed=True,
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

    Examples
    --------
    >>> round(float(r_critical(30)), 3)
    0.361
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
    alpha: float = DEFAULTS.alpha,
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

    Examples
    --------
    >>> x = [[4, 4, 2], [2, 3, 4], [5, 4, 1], [3, 3, 3], [1, 2, 5], [4, 5, 2]]
    >>> sv = pd.DataFrame(x, columns=["x1", "x2", "x3"]).assign(nip=list("abcdef"), periode="2025Q1")
    >>> ins = pd.DataFrame({"item": ["x1", "x2", "x3"], "konstruk": "k", "terbalik": [False, False, True]})
    >>> item_validity(sv, ins)[["item", "r_hitung"]].round(2)
      item  r_hitung
    0   x1      0.97
    1   x2      0.84
    2   x3      0.97
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


def _omega_one_factor(x: np.ndarray) -> tuple[float, np.ndarray, np.ndarray, bool]:
    """McDonald's ω total from a one-factor ML model; ``(omega, λ, θ, proper)``."""
    p = x.shape[1]
    if p < 3:
        return np.nan, np.full(p, np.nan), np.full(p, np.nan), True
    names = [f"i{j}" for j in range(p)]
    fit = fit_cfa(x, FactorSpec.from_dict({"f": names}))
    lam = fit.loadings["estimate"].to_numpy()
    theta = fit.loadings["residual_variance"].to_numpy()
    return float(fit.omega["omega"].iloc[0]), lam, theta, not fit.improper


@renamed_keywords(butir="items")
@dataclass(frozen=True)
class ScaleReliability(Result):
    """Reliability per construct and per item.

    Attributes
    ----------
    konstruk
        ``konstruk, n_item, n_obs, alpha, ci_low, ci_high, omega, omega_layak, reliabel,
        method``. ``omega_layak`` is False when the one-factor model behind ω is an
        improper solution (a Heywood case): that ω cannot be trusted.
    items
        ``konstruk, item, r_drop, alpha_jika_dihapus, muatan, varians_residual``.

    The old attribute ``butir`` still reads ``items`` for one release, with a
    ``DeprecationWarning``.
    """

    konstruk: pd.DataFrame
    items: pd.DataFrame

    def tidy(self) -> pd.DataFrame:
        """``alpha_cronbach`` and ``omega_total`` per construct (``konstruk`` column)."""
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
        return check_tidy(tidy_frame(concat_rows([a, o], ignore_index=True)))

    def glance(self) -> pd.DataFrame:
        """Constructs, how many are reliable (α ≥ 0.70), and improper ω models."""
        k = self.konstruk
        return pd.DataFrame(
            [
                {
                    "n_konstruk": len(k),
                    "n_reliabel": int(k["reliabel"].sum()),
                    "n_omega_tidak_layak": int((~k["omega_layak"]).sum()),
                }
            ]
        )


@renamed_keywords(batas="threshold")
def scale_reliability(
    survei: pd.DataFrame,
    instrumen: pd.DataFrame,
    *,
    periode: str | Sequence[str] | None = None,
    ci: float = 0.95,
    threshold: float = 0.7,
) -> ScaleReliability:
    """Cronbach's α (Feldt CI), α if item deleted, and McDonald's ω total per construct.

    Parameters
    ----------
    ci
        Confidence level of the Feldt interval.
    threshold
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

    Examples
    --------
    >>> sv = pd.DataFrame({"x1": [4, 2, 5, 3, 1, 4, 3], "x2": [4, 3, 4, 3, 2, 5, 3], "x3": [2, 4, 1, 3, 5, 2, 2]})
    >>> r = scale_reliability(sv.assign(nip=range(7), periode="2025Q1"), pd.DataFrame({"item": ["x1", "x2", "x3"], "konstruk": "k", "terbalik": [False, False, True]}))
    >>> round(float(r.tidy()["estimate"].iloc[0]), 3)
    0.939
    """
    if not 0 < ci < 1:
        raise ValueError(f"ci must be strictly between 0 and 1, not {ci}")
    ins = _check_instrument(instrumen, survei)
    x = _score_items(_select_periods(survei, periode), ins)
    krows, brows = [], []
    for k, items in _items_by_construct(ins).items():
        sub_df = x[items].dropna()
        sub = sub_df.to_numpy()
        n, p = sub.shape
        a = lo = hi = np.nan
        if n > 1 and p > 1:
            ca = cronbach_alpha(sub_df, ci=ci).iloc[0]
            a, lo, hi = float(ca["estimate"]), float(ca["ci_low"]), float(ca["ci_high"])
        if n > p:
            om, lam, theta, proper = _omega_one_factor(sub)
        else:
            om, lam, theta, proper = np.nan, [np.nan] * p, [np.nan] * p, True
        krows.append(
            {
                "konstruk": k,
                "n_item": p,
                "n_obs": n,
                "alpha": a,
                "ci_low": lo,
                "ci_high": hi,
                "omega": om,
                "omega_layak": bool(proper),
                "reliabel": bool(np.isfinite(a) and a >= threshold),
                "method": "Cronbach alpha (CI Feldt); omega total satu faktor ML",
            }
        )
        drop = alpha_if_deleted(sub_df) if p > 2 and n > 1 else None
        for j, it in enumerate(items):
            brows.append(
                {
                    "konstruk": k,
                    "item": it,
                    "r_drop": float(drop["item_rest_r"].iloc[j])
                    if drop is not None and n > 2
                    else (_r_drop_two(sub, j) if n > 2 and p == 2 else np.nan),
                    "alpha_jika_dihapus": float(drop["estimate"].iloc[j])
                    if drop is not None
                    else np.nan,
                    "muatan": float(lam[j]),
                    "varians_residual": float(theta[j]),
                }
            )
    return ScaleReliability(pd.DataFrame(krows), pd.DataFrame(brows))


def _r_drop_two(sub: np.ndarray, j: int) -> float:
    """Corrected item–total correlation with two items: the items' correlation."""
    return float(np.corrcoef(sub[:, j], sub[:, 1 - j])[0, 1])


@renamed_keywords(nilai="value")
def interval_category(
    value: float | np.ndarray | pd.Series,
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

    Examples
    --------
    >>> c = interval_category([1.8, 1.81, 3.4, 4.21, 6.0])
    >>> c.iloc[:4].tolist(), bool(c.isna().iloc[4])
    (['sangat rendah', 'rendah', 'sedang', 'sangat tinggi'], True)
    """
    v = pd.Series(np.atleast_1d(np.asarray(value, dtype=float)))
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


@renamed_keywords(skor_terbalik="recode_reversed")
def describe_items(
    survei: pd.DataFrame,
    instrumen: pd.DataFrame,
    *,
    per_periode: bool = True,
    recode_reversed: bool = True,
) -> pd.DataFrame:
    """Descriptive statistics per item (and per period).

    Parameters
    ----------
    per_periode
        One row per item × period (default) or per item over all periods.
    recode_reversed
        Describe reverse-keyed items after recoding (default), so that "tinggi" means
        favourable for every item; ``False`` describes the raw answers.

    Returns
    -------
    DataFrame
        ``konstruk, item, [periode,] terbalik, n, mean, sd, min, max, pct_<c>`` for each
        answer category ``c`` (percent of the answers), ``kategori`` (interval label of
        the mean, see :func:`interval_category`).

    Examples
    --------
    >>> d = describe_items(pd.DataFrame({"periode": "2025Q1", "x1": [4, 2, 5], "x2": [3, 3, 4], "x3": [2, 4, 1]}), pd.DataFrame({"item": ["x1", "x2", "x3"], "konstruk": "k", "terbalik": [False, False, True]}))
    >>> d[["item", "n", "mean"]].round(2)
      item  n  mean
    0   x1  3  3.67
    1   x2  3  3.33
    2   x3  3  3.67
    """
    ins = _check_instrument(instrumen, survei)
    x = _score_items(survei, ins) if recode_reversed else survei[ins["item"].tolist()].astype(float)
    keys = [survei["periode"].astype(TEXT_DTYPE)] if per_periode else []
    groups = x.groupby(keys, sort=True, observed=True) if keys else [((), x)]
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


@renamed_keywords(min_jawab="min_answered")
def describe_constructs(
    survei: pd.DataFrame,
    instrumen: pd.DataFrame,
    *,
    min_answered: float = 0.8,
    per_periode: bool = True,
) -> pd.DataFrame:
    """Descriptive statistics of construct scores (see :func:`construct_scores`).

    Returns
    -------
    DataFrame
        ``konstruk, [periode,] n, mean, sd, min, max``, ``pct_<label>`` (percent of
        respondents whose score falls in each interval category) and ``kategori`` (the
        interval label of the mean).

    Examples
    --------
    >>> one = {"nip": ["a", "b"], "periode": ["2025Q1", "2025Q2"], "x1": [4, 2], "x2": [5, 3], "x3": [1, 4]}
    >>> describe_constructs(pd.DataFrame(one), pd.DataFrame({"item": ["x1", "x2", "x3"], "konstruk": "k", "terbalik": [False, False, True]}), min_answered=1.0)[["periode", "n", "mean", "kategori"]].round(2)
      periode  n  mean       kategori
    0  2025Q1  1  4.67  sangat tinggi
    1  2025Q2  1  2.33         rendah
    """
    ins = _check_instrument(instrumen, survei)
    skala = ins.groupby("konstruk", observed=True)[["skala_min", "skala_max"]].first()
    sk = construct_scores(survei, ins, min_answered=min_answered)
    keys = ["konstruk", "periode"] if per_periode else ["konstruk"]
    rows = []
    for key, g in sk.groupby(keys, sort=True, observed=True):
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
) -> tuple[pd.DataFrame, FactorSpec, list[str]]:
    ins = _check_instrument(instrumen, survei)
    items_by = _items_by_construct(ins)
    small = [k for k, v in items_by.items() if len(v) < 2]
    if small:
        raise ValueError(f"CFA: every construct needs at least 2 items: {small}")
    if len(items_by) == 1 and sum(len(v) for v in items_by.values()) < 3:
        raise ValueError("CFA: a one-factor model needs at least 3 items")
    spec = FactorSpec.from_dict(items_by)
    items = list(spec.indicators)
    x = _score_items(survei, ins.set_index("item").loc[items].reset_index())
    return x, spec, list(spec.factors)


#: What an improper-solution problem is called in the survey tables (Indonesian).
_MASALAH = {
    "negative_residual_variance": "varians residual negatif (kasus Heywood)",
    "standardised_loading_above_1": "muatan baku lebih dari 1",
    "factor_covariance_not_positive_definite": "matriks kovarians faktor tidak definit positif",
    "not_converged": "estimasi tidak konvergen",
}


def _problem_text(problems: Sequence[str]) -> str:
    out = []
    for pr in problems:
        kind, _, what = pr.partition(":")
        out.append(f"{_MASALAH.get(kind, kind)} ({what})")
    return "; ".join(out)


@renamed_keywords(muatan="loadings", korelasi_faktor="factor_correlations")
@dataclass(frozen=True)
class CfaResult(Result):
    """Confirmatory factor analysis of an instrument (the survey's tables).

    Attributes
    ----------
    loadings
        ``konstruk, item, estimate, std_error, z, p_value, ci_low, ci_high,
        std_estimate, varians_residual, varians_residual_se, r2, solusi_wajar`` —
        ``estimate`` is the loading with factor variance fixed at 1; ``std_estimate``
        the completely standardised loading (lavaan's ``std.all``); ``solusi_wajar``
        False for an item with a negative residual variance or a standardised loading
        above 1 (its R² and the construct's ω cannot be trusted).
    factor_correlations
        ``konstruk_a, konstruk_b, estimate, std_error, ci_low, ci_high``.
    fit
        One row: ``chi2, df, p_value, cfi, tli, rmsea, rmsea_ci_low, rmsea_ci_high, srmr,
        srmr_nomean, chi2_baseline, df_baseline, n_obs, n_groups, n_param, converged,
        solusi_wajar, masalah`` (``masalah``: the improper-solution problems in words).
    omega
        ``konstruk, omega, omega_layak`` (``omega_layak`` False when the construct's
        model is improper).
    engine
        The generic :class:`kinerja_analysis.methods.cfa.CfaFit`.

    The old attributes ``muatan`` and ``korelasi_faktor`` still read ``loadings`` and
    ``factor_correlations`` for one release, with a ``DeprecationWarning``.
    """

    loadings: pd.DataFrame
    factor_correlations: pd.DataFrame
    fit: pd.DataFrame
    omega: pd.DataFrame
    engine: CfaFit
    method: str = "CFA maximum likelihood (faktor berkorelasi, varians faktor = 1)"

    @property
    def improper(self) -> bool:
        """True when the solution is improper (see ``fit["masalah"]``)."""
        return self.engine.improper

    def tidy(self) -> pd.DataFrame:
        """Loadings: ``term`` = ``konstruk=~item``, context ``konstruk, item``."""
        t = self.engine.tidy().assign(method=self.method)
        return t.rename(columns={"factor": "konstruk", "indicator": "item"})

    def glance(self) -> pd.DataFrame:
        """The fit row."""
        return self.fit.copy()


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

    Raises
    ------
    NotEstimable
        Too few complete respondents (no more than the number of items).

    Notes
    -----
    :func:`kinerja_analysis.methods.cfa.fit_cfa` on the reverse-scored items of the
    respondents who answered every item (factor variances 1, correlated factors,
    uncorrelated residuals; lavaan's definitions of χ², CFI, TLI, RMSEA and SRMR).
    Variances are not bounded, as in lavaan: an improper solution (Heywood case) is
    estimated as lavaan estimates it and flagged in ``solusi_wajar`` / ``masalah``.
    Likert answers are treated as continuous (normal-theory ML): with 5 categories and
    roughly symmetric answers the bias in loadings is small, but χ² tends to be inflated
    when answers are skewed.
    """
    if not 0 < ci < 1:
        raise ValueError(f"ci must be strictly between 0 and 1, not {ci}")
    x, spec, _ = _model_data(_select_periods(survei, periode), instrumen)
    data = x.dropna()
    if data.shape[0] <= len(spec.indicators):
        raise NotEstimable(f"CFA: data lengkap terlalu sedikit ({data.shape[0]} responden)")
    eng = fit_cfa(data.to_numpy(), spec, ci=ci)
    bad_items = {
        pr.split(":", 1)[1] for pr in eng.problems if pr.startswith(("negative_", "standardised_"))
    }
    muatan = eng.loadings.rename(
        columns={
            "factor": "konstruk",
            "indicator": "item",
            "residual_variance": "varians_residual",
            "residual_variance_se": "varians_residual_se",
        }
    )
    muatan["solusi_wajar"] = ~muatan["item"].isin(bad_items)
    bad_factors = set(muatan.loc[~muatan["solusi_wajar"], "konstruk"])
    if any(pr.startswith(("factor_covariance", "not_converged")) for pr in eng.problems):
        bad_factors = set(spec.factors)
    fit = eng.fit.assign(solusi_wajar=not eng.improper, masalah=_problem_text(eng.problems))
    omega = eng.omega.rename(columns={"factor": "konstruk"})
    omega["omega_layak"] = ~omega["konstruk"].isin(bad_factors)
    kor = eng.factor_correlations.rename(
        columns={"factor_a": "konstruk_a", "factor_b": "konstruk_b"}
    )
    return CfaResult(muatan, kor, fit, omega, eng)


_TINGKAT = ("konfigural", "metrik", "skalar")
_LEVEL = dict(zip(_TINGKAT, ("configural", "metric", "scalar"), strict=True))
_VERDICT = {
    "pattern_holds": "pola sama",
    "pattern_differs": "pola berbeda",
    "invariant": "invarian",
    "not_invariant": "tidak invarian",
}


@renamed_keywords(tingkat="levels", batas_delta_cfi="cut_cfi", batas_delta_rmsea="cut_rmsea")
def invariance(
    survei: pd.DataFrame,
    instrumen: pd.DataFrame,
    group: str = "periode",
    *,
    levels: Sequence[Literal["konfigural", "metrik", "skalar"]] = _TINGKAT,
    cut_cfi: float = -0.010,
    cut_rmsea: float = 0.015,
) -> pd.DataFrame:
    """Measurement invariance across groups (periods by default) by multi-group CFA.

    Parameters
    ----------
    group
        Column of ``survei`` defining the groups (``periode``, or e.g. an OPD column).
    levels
        Nested models to fit, in order: ``konfigural`` (same pattern), ``metrik``
        (equal loadings), ``skalar`` (equal loadings and intercepts).
    cut_cfi, cut_rmsea
        Cut-offs for the verdict.

    Returns
    -------
    DataFrame
        One row per model: ``model, chi2, df, p_value, cfi, tli, rmsea, srmr,
        srmr_nomean, n_obs, n_grup, converged, solusi_wajar, delta_chi2, delta_df,
        p_delta, delta_cfi, delta_rmsea, delta_srmr, kesimpulan, method``.
        ``kesimpulan`` for each constrained model is ``"invarian"`` when ΔCFI ≥ −0.010
        and ΔRMSEA ≤ 0.015 relative to the previous model, else ``"tidak invarian"``;
        the configural row reports whether the common pattern fits (CFI ≥ 0.90 and
        RMSEA ≤ 0.08: ``"pola sama"``). SRMR is lavaan's default for models with a mean
        structure (mean residuals included); ``srmr_nomean`` leaves them out.

    Notes
    -----
    :func:`kinerja_analysis.methods.cfa.fit_invariance` (identification and cut-offs
    there: Cheung & Rensvold 2002; Chen 2007). When the same employees answer in
    several periods, the groups are not independent samples: the estimates stay
    consistent but the χ² tests are approximate (a longitudinal CFA would model the
    within-person correlation).
    """
    if group not in survei.columns:
        raise ValueError(f"invariance: group column {group!r} is not in survei")
    bad = [t for t in levels if t not in _TINGKAT]
    if bad or not levels:
        raise ValueError(f"levels must be a non-empty subset of {_TINGKAT}, not {list(levels)}")
    x, spec, _ = _model_data(survei, instrumen)
    ok = x.notna().all(axis=1) & survei[group].notna()
    grp = survei.loc[ok, group].astype(TEXT_DTYPE)
    groups = sorted(grp.unique())
    if len(groups) < 2:
        raise NotEstimable("invarians: perlu minimal 2 grup dengan data lengkap")
    data = {}
    for lv in groups:
        d = x.loc[ok][grp == lv].to_numpy()
        if d.shape[0] <= len(spec.indicators):
            raise NotEstimable(f"invarians: grup {lv!r} hanya punya {d.shape[0]} responden lengkap")
        data[lv] = d
    res = fit_invariance(
        data,
        spec,
        levels=[_LEVEL[t] for t in levels],
        cut_cfi=cut_cfi,
        cut_rmsea=cut_rmsea,
    )
    back = {v: k for k, v in _LEVEL.items()}
    t = res.table.rename(columns={"n_groups": "n_grup"})
    t["model"] = t["model"].map(back)
    t["kesimpulan"] = t.pop("verdict").map(_VERDICT)
    t["solusi_wajar"] = ~t.pop("improper")
    t["method"] = f"CFA multi-grup ML ({group})"
    return t
