"""Effects of training, feedback and the structured evaluation rollout.

What each estimate identifies (written into the results' ``method`` and the report):

* **Training** (:func:`efek_pelatihan`): Callaway & Sant'Anna (2021) group-time ATTs for
  the staggered, self-selected, absorbing treatment "first training", with never-treated
  (or not-yet-treated) employees as controls, doubly robust with covariates. Identified
  under parallel trends conditional on covariates and no anticipation; self-selection
  on *levels* (motivated employees train more) is allowed, selection on *trends* is not —
  the pre-trend test checks what it can. TWFE is shown beside it as the familiar number:
  with staggered timing and effects that change over time it compares late-treated with
  already-treated employees ("forbidden comparisons") and can be biased, even in sign.
* **Feedback** (:func:`efek_umpan_balik`): within-employee fixed-effects regressions of
  the outcome on last period's number of good / neutral / poor feedback sessions, with
  employee and period fixed effects and SEs clustered by employee. Identified only if
  feedback timing is not driven by the employee's own performance shocks (strict
  exogeneity); the lead test (does *next* period's feedback "predict" this period's
  outcome?) detects feedback that follows a drop in performance.
* **Rollout** (:func:`efek_penerapan`): OPD-level staggered DiD for IKM, timeliness and
  complaints, estimated as the extended TWFE of Wooldridge (2021) — one coefficient per
  cohort × post-period cell, so heterogeneous effects do not contaminate each other —
  and aggregated to the ATT. With ~35 OPDs, inference is the wild cluster restricted
  bootstrap (Webb weights), CIs by test inversion (:mod:`kinerja_analysis.wildboot`).
* **Ordinal robustness** (:func:`ordinal_predikat`): ordered logit of the predikat on
  training and feedback, conditional on covariates and period — an association, not an
  identified causal effect.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from .wildboot import wild_cluster_test

__all__ = [
    "TIDY_COLUMNS",
    "RolloutResult",
    "FeedbackResult",
    "siapkan_layanan",
    "efek_penerapan",
    "efek_umpan_balik",
    "ordinal_predikat",
]

TIDY_COLUMNS = ["term", "estimate", "std_error", "ci_low", "ci_high", "p_value", "n_obs", "method"]


def _tidy_row(
    term: str,
    est: float,
    se: float,
    lo: float,
    hi: float,
    p: float,
    n: int,
    method: str,
    **context: object,
) -> dict[str, object]:
    row = dict(zip(TIDY_COLUMNS, (term, est, se, lo, hi, p, n, method), strict=True))
    row.update(context)
    return row


# --------------------------------------------------------------------------- rollout


def siapkan_layanan(
    layanan: pd.DataFrame, penerapan: pd.DataFrame, periods: Sequence[str]
) -> pd.DataFrame:
    """OPD × period service outcomes with the rollout timing.

    Returns ``opd, periode, t, g`` (index of ``periode_mulai``; 0 = not yet in the
    window), ``ikm``, ``tepat_waktu_pct``, ``pengaduan_per_1000`` (complaints per 1,000
    services), ``jumlah_layanan``.
    """
    from .scoring import ikm

    idx = {p: i + 1 for i, p in enumerate(sorted(periods))}
    ik = ikm(layanan)[["opd", "periode", "ikm"]]
    base = layanan.drop(columns=[c for c in ("ikm",) if c in layanan]).merge(
        ik, on=["opd", "periode"], how="left"
    )
    base = base[base["periode"].isin(idx)]
    out = base[["opd", "periode", "ikm", "tepat_waktu_pct", "jumlah_layanan"]].copy()
    out["pengaduan_per_1000"] = (
        1000 * base["jumlah_pengaduan"] / base["jumlah_layanan"].where(base["jumlah_layanan"] > 0)
    )
    out["t"] = out["periode"].map(idx)
    start = penerapan.set_index("opd")["periode_mulai"]
    g = out["opd"].map(start)
    before = g.notna() & (g < min(periods))
    out["g"] = g.map(idx).astype("Float64")
    out.loc[before, "g"] = 1  # adopted before the window: treated throughout
    out["g"] = out["g"].fillna(0).astype("float64")
    return out.sort_values(["opd", "t"], ignore_index=True)


@dataclass(frozen=True)
class RolloutResult:
    """OPD-level rollout effects.

    ``overall``: one row per outcome (term ``ATT``); ``event``: per outcome and event time
    (``e=-3``, …, ``e=0``, ``e=1``; ``e=-1`` is the reference); ``pretrend``: WCR test of
    the mean of the pre-period coefficients (placebo).
    """

    overall: pd.DataFrame
    event: pd.DataFrame
    pretrend: pd.DataFrame
    notes: tuple[str, ...] = ()

    def tidy(self) -> pd.DataFrame:
        return pd.concat([self.overall, self.event], ignore_index=True)


def _etwfe_design(d: pd.DataFrame, *, leads: bool) -> tuple[np.ndarray, list[str], pd.DataFrame]:
    """Dummies: unit FE, period FE (first dropped), cohort×period cells.

    Post cells are (g, t) with t ≥ g; with ``leads`` also pre cells t < g - 1 (t = g-1 is
    the reference period of each cohort).
    """
    units = pd.get_dummies(d["opd"], dtype=float)
    periods = pd.get_dummies(d["t"], prefix="t", dtype=float).iloc[:, 1:]
    treated = d["g"] > 0
    rel = (d["t"] - d["g"]).where(treated)
    keep = treated & ((rel >= 0) | (leads & (rel < -1)))
    cell = ("g" + d["g"].astype(int).astype(str) + "_t" + d["t"].astype(str)).where(keep)
    cells = pd.get_dummies(cell, dtype=float)
    info = pd.DataFrame({"cell": cells.columns})
    info["g"] = info["cell"].str.extract(r"g(\d+)_").astype(int)
    info["t"] = info["cell"].str.extract(r"_t(\d+)").astype(int)
    info["e"] = info["t"] - info["g"]
    info["n"] = [int(cells[c].sum()) for c in cells.columns]
    X = pd.concat([units, periods, cells], axis=1).to_numpy()
    return X, list(units.columns) + list(periods.columns) + list(cells.columns), info


def _combo(names: list[str], info: pd.DataFrame, mask: pd.Series) -> np.ndarray:
    c = np.zeros(len(names))
    sel = info[mask]
    w = sel["n"] / sel["n"].sum()
    pos = {n: i for i, n in enumerate(names)}
    for cell, wt in zip(sel["cell"], w, strict=True):
        c[pos[cell]] = wt
    return c


def efek_penerapan(
    data: pd.DataFrame,
    *,
    outcomes: Sequence[str] = ("ikm", "tepat_waktu_pct", "pengaduan_per_1000"),
    n_boot: int = 9999,
    seed: int = 0,
    alpha: float = 0.05,
) -> RolloutResult:
    """Staggered DiD of the structured evaluation rollout on OPD service outcomes.

    Parameters
    ----------
    data
        :func:`siapkan_layanan` output (``opd, t, g`` and the outcome columns).

    Returns
    -------
    RolloutResult
        Tidy tables (``term, estimate, std_error, ci_low, ci_high, p_value, n_obs,
        method`` + ``outcome, n_klaster``). ``std_error`` is the CR1 cluster-robust SE;
        ``p_value`` and the CI come from the wild cluster restricted bootstrap.
    """
    notes: list[str] = []
    always = sorted(data.loc[data["g"] == 1, "opd"].unique())
    if always:
        notes.append(
            f"{len(always)} OPD sudah menerapkan sistem sejak periode pertama; tanpa periode "
            "pra-penerapan, OPD ini tidak dipakai dalam estimasi."
        )
    d_all = data[data["g"] != 1]
    method = "ETWFE (Wooldridge 2021), wild cluster bootstrap (Webb) per OPD"
    overall, event, pre = [], [], []
    for k, y in enumerate(outcomes):
        d = d_all[d_all[y].notna()].reset_index(drop=True)
        if d["g"].gt(0).sum() == 0 or d["opd"].nunique() < 4:
            notes.append(f"{y}: data tidak cukup untuk estimasi penerapan.")
            continue
        ctx = {"outcome": y, "n_klaster": int(d["opd"].nunique())}
        yv, cl = d[y].to_numpy(), d["opd"].to_numpy()
        kw = dict(
            y=yv, clusters=cl, n_boot=n_boot, seed=seed + k, alpha=alpha, method=method, ctx=ctx
        )
        try:
            X, names, info = _etwfe_design(d, leads=False)
            overall.append(_wcr_row(X, names, info, info["e"] >= 0, "ATT", **kw))
        except ValueError as exc:
            notes.append(f"{y}: efek penerapan tidak dapat diestimasi ({exc}).")
            continue
        try:
            Xl, names_l, info_l = _etwfe_design(d, leads=True)
            for e in sorted(info_l["e"].unique()):
                if info_l.loc[info_l["e"] == e, "n"].sum() >= 2:
                    event.append(
                        _wcr_row(Xl, names_l, info_l, info_l["e"] == e, f"e={e}", e=int(e), **kw)
                    )
            if (info_l["e"] < -1).any():
                pre.append(
                    _wcr_row(
                        Xl,
                        names_l,
                        info_l,
                        info_l["e"] < -1,
                        "pra-penerapan (rata-rata e<-1)",
                        **kw,
                    )
                )
        except ValueError as exc:
            notes.append(f"{y}: studi peristiwa penerapan tidak dapat diestimasi ({exc}).")
    return RolloutResult(_frame(overall), _frame(event), _frame(pre), tuple(notes))


def _wcr_row(
    X, names, info, mask, term, *, y, clusters, n_boot, seed, alpha, method, ctx, **extra
) -> dict[str, object]:
    """One tidy row: WCR bootstrap test of the cell-weighted combination selected by mask."""
    r = wild_cluster_test(
        X, y, clusters, _combo(names, info, mask), n_boot=n_boot, seed=seed, alpha=alpha
    )
    return _tidy_row(
        term,
        r.estimate,
        r.std_error,
        r.ci_low,
        r.ci_high,
        r.p_value,
        r.n_obs,
        method,
        **extra,
        **ctx,
    )


def _frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    return pd.DataFrame(rows) if rows else pd.DataFrame(columns=TIDY_COLUMNS)


# --------------------------------------------------------------------------- feedback

IDENTIFIKASI_UMPAN_BALIK = (
    "Efek umpan balik diestimasi dari perubahan dalam diri pegawai yang sama antarperiode "
    "(efek tetap pegawai dan periode), sehingga perbedaan tetap antarpegawai (misalnya "
    "motivasi) tidak mengacaukan hasil. Estimasi ini bersifat kausal hanya jika waktu "
    "pemberian umpan balik tidak mengikuti naik-turunnya kinerja pegawai itu sendiri; uji "
    "'umpan balik periode berikutnya' (lead) memeriksa hal ini."
)


@dataclass(frozen=True)
class FeedbackResult:
    """Within-employee feedback models (tidy) and what they identify."""

    coefficients: pd.DataFrame
    contrast: pd.DataFrame
    lead_test: pd.DataFrame
    outcome_sd: float
    identification: str = IDENTIFIKASI_UMPAN_BALIK
    notes: tuple[str, ...] = field(default_factory=tuple)

    def tidy(self) -> pd.DataFrame:
        return pd.concat([self.coefficients, self.contrast, self.lead_test], ignore_index=True)


def _feols_tidy(fit, model: str, sd: float, method: str) -> pd.DataFrame:
    t = fit.tidy().reset_index()
    out = pd.DataFrame(
        {
            "term": t["Coefficient"].astype(str),
            "estimate": t["Estimate"],
            "std_error": t["Std. Error"],
            "ci_low": t["2.5%"],
            "ci_high": t["97.5%"],
            "p_value": t["Pr(>|t|)"],
            "n_obs": int(fit._N),
            "method": method,
        }
    )
    out["model"] = model
    out["estimate_sd"] = out["estimate"] / sd if sd > 0 else np.nan
    return out


def _contrast(fit, a: str, b: str, sd: float, method: str) -> dict[str, object]:
    names = [str(n) for n in fit._coefnames]
    c = np.zeros(len(names))
    c[names.index(a)], c[names.index(b)] = 1.0, -1.0
    est = float(c @ np.asarray(fit.coef()))
    se = float(np.sqrt(c @ fit._vcov @ c))
    df = max(int(fit._G[0]) - 1, 1) if getattr(fit, "_G", None) else int(fit._N) - len(names)
    q = stats.t.ppf(0.975, df)
    p = float(2 * stats.t.sf(abs(est / se), df)) if se > 0 else np.nan
    return _tidy_row(
        f"{a} - {b}",
        est,
        se,
        est - q * se,
        est + q * se,
        p,
        int(fit._N),
        method,
        model="kontras",
        estimate_sd=est / sd if sd > 0 else np.nan,
    )


def efek_umpan_balik(panel: pd.DataFrame, outcome: str = "komposit") -> FeedbackResult:
    """Within-employee fixed-effects models of ``outcome`` on feedback.

    Models (employee + period fixed effects, SEs clustered by employee, pyfixest):
    ``dosis``: outcome on last period's number of sessions; ``kualitas``: on last
    period's good (kualitas ≥ 4), neutral and poor (≤ 2) sessions; ``lead``: adds next
    period's sessions — a non-zero lead means feedback follows performance (reverse
    timing) and the other estimates are not causal.

    Returns
    -------
    FeedbackResult
        Tidy coefficients with ``model`` and ``estimate_sd`` (estimate divided by the
        outcome's SD over all employee-periods); ``contrast``: good minus poor session.
    """
    import pyfixest as pf

    need = {"nip", "periode", "t", outcome, "n_umpan_balik_lag1", "n_baik_lag1", "n_buruk_lag1"}
    missing = need - set(panel.columns)
    if missing:
        raise ValueError(f"panel tidak memiliki kolom {sorted(missing)} (lihat panel.build_panel)")
    d = panel.sort_values(["nip", "t"]).copy()
    d["n_umpan_balik_lead1"] = d.groupby("nip")["n_umpan_balik"].shift(-1)
    d.loc[d["t"] == d["t"].max(), "n_umpan_balik_lead1"] = np.nan
    d = d[[c for c in d.columns if c in need | {"n_netral_lag1", "n_umpan_balik_lead1"}]]
    sd = float(d[outcome].std())
    method = "FE pegawai + periode (pyfixest), SE klaster pegawai"
    vcov = {"CRV1": "nip"}
    fits = {
        "dosis": pf.feols(f"{outcome} ~ n_umpan_balik_lag1 | nip + periode", data=d, vcov=vcov),
        "kualitas": pf.feols(
            f"{outcome} ~ n_baik_lag1 + n_netral_lag1 + n_buruk_lag1 | nip + periode",
            data=d,
            vcov=vcov,
        ),
    }
    coefs = pd.concat([_feols_tidy(f, m, sd, method) for m, f in fits.items()], ignore_index=True)
    contrast = pd.DataFrame(
        [_contrast(fits["kualitas"], "n_baik_lag1", "n_buruk_lag1", sd, method)]
    )
    lead = pf.feols(
        f"{outcome} ~ n_umpan_balik_lead1 + n_umpan_balik_lag1 | nip + periode", data=d, vcov=vcov
    )
    lead_t = _feols_tidy(lead, "lead", sd, method)
    lead_t = lead_t[lead_t["term"] == "n_umpan_balik_lead1"].reset_index(drop=True)
    return FeedbackResult(coefs, contrast, lead_t, sd)


# --------------------------------------------------------------------------- ordinal

PREDIKAT_NAIK = ("Sangat Kurang", "Kurang/Misconduct", "Butuh Perbaikan", "Baik", "Sangat Baik")


def ordinal_predikat(
    panel: pd.DataFrame,
    *,
    regressors: Sequence[str] = ("pasca_latih", "n_baik_lag1", "n_buruk_lag1"),
    covariates: Sequence[str] = ("golongan_num", "masa_kerja", "perempuan"),
    distr: Literal["logit", "probit"] = "logit",
) -> pd.DataFrame:
    """Ordered logit of the predikat on training and feedback (robustness).

    Pooled over periods with period dummies and covariates; SEs clustered by employee.
    Categories ordered from "Sangat Kurang" to "Sangat Baik"; a positive coefficient
    means a higher predikat is more likely. ``estimate`` is the log-odds coefficient,
    ``odds_ratio`` its exponential.
    """
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    cols = list(regressors) + list(covariates)
    d = panel.dropna(subset=[*cols, "predikat"]).copy()
    d = d[d["predikat"].isin(PREDIKAT_NAIK)]
    y = pd.Categorical(d["predikat"], categories=list(PREDIKAT_NAIK), ordered=True)
    present = [c for c in PREDIKAT_NAIK if (y == c).any()]
    y = pd.Series(pd.Categorical(d["predikat"], categories=present, ordered=True), index=d.index)
    X = pd.concat(
        [
            d[cols].astype(float),
            pd.get_dummies(d["periode"], prefix="periode", drop_first=True, dtype=float),
        ],
        axis=1,
    )
    X = X.loc[:, X.std() > 0].astype("float64")
    model = OrderedModel(y, X, distr=distr)
    res = model.fit(
        method="bfgs",
        disp=False,
        maxiter=2000,
        cov_type="cluster",
        cov_kwds={"groups": pd.factorize(d["nip"])[0]},
    )
    ci = res.conf_int()
    rows = []
    for term in regressors:
        if term not in res.params.index:
            continue
        rows.append(
            _tidy_row(
                term,
                float(res.params[term]),
                float(res.bse[term]),
                float(ci.loc[term, 0]),
                float(ci.loc[term, 1]),
                float(res.pvalues[term]),
                int(len(d)),
                f"ordered {distr}, SE klaster pegawai",
                odds_ratio=float(np.exp(res.params[term])),
            )
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- training

ALASAN_TWFE = (
    "TWFE membandingkan pegawai yang baru dilatih dengan pegawai yang sudah lebih dulu "
    "dilatih; bila efek pelatihan berubah menurut waktu atau kelompok, perbandingan itu "
    "dapat membiaskan angka TWFE (bahkan tandanya). Estimator Callaway–Sant'Anna hanya "
    "membandingkan dengan pegawai yang belum/tidak dilatih."
)


def staggered_did(*args, **kwargs):
    """Callaway–Sant'Anna staggered DiD; see :func:`kinerja_analysis.did.staggered_did`."""
    from .did import staggered_did as _sd

    return _sd(*args, **kwargs)


@dataclass(frozen=True)
class TrainingResult:
    """Training effects on one outcome.

    ``overall``: CS simple ATT and TWFE (rows ``ATT (Callaway–Sant'Anna)``,
    ``TWFE``) with ``estimate_sd``; ``dynamic``: event study with uniform bands;
    ``group``: by cohort; ``pretrend``: Wald pre-tests, first on the event-time
    estimates (the one the report uses: it keeps its size with small cohorts), then on
    all pre-treatment ATT(g,t) cells as R ``did`` prints it; ``heterogeneity``: ATT per
    subgroup (sumber, relevansi, OPD, jabatan) with the group sizes; ``att_gt``: cells.
    """

    outcome: str
    overall: pd.DataFrame
    dynamic: pd.DataFrame
    group: pd.DataFrame
    pretrend: pd.DataFrame
    heterogeneity: pd.DataFrame
    att_gt: pd.DataFrame
    outcome_sd: float
    notes: tuple[str, ...] = ()
    twfe_reason: str = ALASAN_TWFE

    def tidy(self) -> pd.DataFrame:
        parts = [
            self.overall,
            self.dynamic.assign(agregasi="dinamis"),
            self.group.assign(agregasi="kohort"),
            self.heterogeneity,
        ]
        return pd.concat([p for p in parts if len(p)], ignore_index=True)


def _baseline(panel: pd.DataFrame, covariates: Sequence[str]) -> pd.DataFrame:
    """Time-invariant covariates: each employee's value in their first period."""
    first = panel.sort_values("t").groupby("nip", sort=False)[list(covariates)].first()
    return first.add_suffix("_awal")


def _did_sample(panel: pd.DataFrame, outcome: str, g_col: str, covariates: Sequence[str]):
    d = panel[["nip", "t", outcome, g_col]].copy()
    d[g_col] = d[g_col].astype("float64")
    before = d[g_col] == 0  # trained before the window: always treated
    d = d[~before]
    d["g_did"] = d[g_col].fillna(0)
    cov = []
    if covariates:
        base = _baseline(panel, covariates)
        d = d.join(base, on="nip")
        cov = list(base.columns)
    return d, cov


def _simple_row(res, term: str, sd: float, **ctx: object) -> dict[str, object]:
    a = res.aggregate("simple").iloc[0]
    return _tidy_row(
        term,
        float(a["estimate"]),
        float(a["std_error"]),
        float(a["ci_low"]),
        float(a["ci_high"]),
        float(a["p_value"]),
        int(res.n_units),
        "Callaway–Sant'Anna (DR)",
        estimate_sd=float(a["estimate"]) / sd if sd > 0 else np.nan,
        **ctx,
    )


def efek_pelatihan(
    panel: pd.DataFrame,
    outcome: str = "capaian",
    *,
    g_col: str = "g",
    covariates: Sequence[str] = ("golongan_num", "masa_kerja", "perempuan"),
    control_group: Literal["never_treated", "not_yet_treated"] = "never_treated",
    method: Literal["dr", "ipw", "reg"] = "dr",
    subgroups: Sequence[str] = ("sumber_pertama", "relevansi"),
    min_n: int = 20,
    n_boot: int = 999,
    seed: int = 0,
) -> TrainingResult:
    """Effect of the first training on ``outcome`` (staggered DiD) with TWFE beside it.

    Parameters
    ----------
    panel
        :func:`kinerja_analysis.panel.build_panel` data (``nip, t, g`` and the outcome).
    covariates
        Entered at their first-period values (time-invariant, as the method requires).
    subgroups
        Panel columns describing the first training; for each level with at least
        ``min_n`` trained employees, its ATT against the same never-treated controls.

    Returns
    -------
    TrainingResult
    """
    from .did import twfe

    d, cov = _did_sample(panel, outcome, g_col, covariates)
    notes = []
    n_before = int(panel.loc[panel[g_col] == 0, "nip"].nunique())
    if n_before:
        notes.append(f"{n_before} pegawai dilatih sebelum periode pertama: tidak dipakai.")
    sd = float(panel[outcome].std())
    res = staggered_did(
        d,
        outcome,
        "nip",
        "t",
        "g_did",
        covariates=cov or None,
        control_group=control_group,
        method=method,
        n_boot=n_boot,
        seed=seed,
    )
    notes.extend(res.notes)
    overall = [_simple_row(res, "ATT (Callaway–Sant'Anna)", sd, outcome=outcome)]
    tw = twfe(d.dropna(subset=[outcome]), outcome, "nip", "t", "g_did").iloc[0]
    overall.append(
        _tidy_row(
            "TWFE",
            float(tw["estimate"]),
            float(tw["std_error"]),
            float(tw["ci_low"]),
            float(tw["ci_high"]),
            float(tw["p_value"]),
            int(tw["n_obs"]),
            "TWFE (efek tetap pegawai + periode)",
            estimate_sd=float(tw["estimate"]) / sd if sd > 0 else np.nan,
            outcome=outcome,
        )
    )
    dyn = res.aggregate("dynamic").assign(outcome=outcome)
    grp = res.aggregate("group").assign(outcome=outcome)
    het = _heterogeneity(
        panel, d, outcome, cov, subgroups, min_n, control_group, method, n_boot, seed, sd, notes
    )
    return TrainingResult(
        outcome,
        pd.DataFrame(overall),
        dyn,
        grp,
        pd.concat(
            [res.pretrend_test(kind="dynamic"), res.pretrend_test(kind="cells")],
            ignore_index=True,
        ).assign(outcome=outcome),
        het,
        res.tidy(),
        sd,
        tuple(notes),
    )


def _heterogeneity(
    panel, d, outcome, cov, subgroups, min_n, control_group, method, n_boot, seed, sd, notes
) -> pd.DataFrame:
    rows = []
    never = d["g_did"] == 0
    for col in subgroups:
        if col not in panel:
            continue
        level_of = panel.groupby("nip")[col].first()
        for level in sorted(level_of.dropna().unique()):
            treated_units = level_of.index[level_of == level]
            keep = never | d["nip"].isin(treated_units)
            n_tr = int(d.loc[keep & ~never, "nip"].nunique())
            if n_tr < min_n:
                notes.append(
                    f"{col}={level}: hanya {n_tr} pegawai dilatih (< {min_n}); tidak diestimasi."
                )
                continue
            r = staggered_did(
                d[keep],
                outcome,
                "nip",
                "t",
                "g_did",
                covariates=cov or None,
                control_group=control_group,
                method=method,
                n_boot=n_boot,
                seed=seed,
            )
            rows.append(
                _simple_row(
                    r,
                    f"{col}={level}",
                    sd,
                    outcome=outcome,
                    subkelompok=col,
                    level=str(level),
                    n_dilatih=n_tr,
                )
            )
    return _frame(rows)


def selisih_subkelompok(het: pd.DataFrame, a: str, b: str) -> dict[str, object]:
    """Difference of two subgroup ATTs (e.g. ``relevansi=relevan`` − ``relevansi=tidak_sesuai``).

    The SE is sqrt(se_a² + se_b²): both subgroups share the never-treated controls, whose
    noise enters both estimates with the same sign, so the true SE of the difference is
    smaller — the interval is conservative.
    """
    ra = het.set_index("term").loc[a]
    rb = het.set_index("term").loc[b]
    est = float(ra["estimate"] - rb["estimate"])
    se = float(np.hypot(ra["std_error"], rb["std_error"]))
    z = stats.norm.ppf(0.975)
    p = float(2 * stats.norm.sf(abs(est / se))) if se > 0 else np.nan
    return _tidy_row(
        f"{a} − {b}",
        est,
        se,
        est - z * se,
        est + z * se,
        p,
        int(ra["n_obs"] + rb["n_obs"]),
        "selisih ATT (SE konservatif)",
    )
