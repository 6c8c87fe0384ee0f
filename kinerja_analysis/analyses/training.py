"""Effect of training on performance: Callaway & Sant'Anna with TWFE beside it.

:func:`estimate_training_effects` estimates group-time ATTs for the staggered,
self-selected, absorbing treatment "first training" (Callaway & Sant'Anna 2021), with
never-treated (or not-yet-treated) employees as controls, doubly robust with baseline
covariates. Identified under parallel trends conditional on covariates and no
anticipation; self-selection on *levels* (motivated employees train more) is allowed,
selection on *trends* is not — the pre-trend test checks what it can. TWFE is shown
beside it as the familiar number: with staggered timing and effects that change over time
it compares late-treated with already-treated employees ("forbidden comparisons") and can
be biased, even in sign (:data:`TWFE_CAVEAT`). Subgroup effects (source, relevance,
position type, OPD) and their differences (:func:`subgroup_difference`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from kinerja_analysis.core.config import DEFAULTS
from kinerja_analysis.core.results import tidy_frame, tidy_row
from kinerja_analysis.methods.did import staggered_did
from kinerja_analysis.methods.did.twfe import twfe

# --------------------------------------------------------------------------- training

TWFE_CAVEAT = (
    "TWFE membandingkan pegawai yang baru dilatih dengan pegawai yang sudah lebih dulu "
    "dilatih; bila efek pelatihan berubah menurut waktu atau kelompok, perbandingan itu "
    "dapat membiaskan angka TWFE (bahkan tandanya). Estimator Callaway–Sant'Anna hanya "
    "membandingkan dengan pegawai yang belum/tidak dilatih."
)


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
    twfe_reason: str = TWFE_CAVEAT

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
    return tidy_row(
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


def estimate_training_effects(
    panel: pd.DataFrame,
    outcome: str = "capaian",
    *,
    g_col: str = "g",
    covariates: Sequence[str] = ("golongan_num", "masa_kerja", "perempuan"),
    control_group: Literal["never_treated", "not_yet_treated"] = "never_treated",
    method: Literal["dr", "ipw", "reg"] = "dr",
    subgroups: Sequence[str] = ("sumber_pertama", "relevansi"),
    min_n: int = DEFAULTS.min_n_subgroup,
    n_boot: int = DEFAULTS.n_boot,
    seed: int = 0,
) -> TrainingResult:
    """Effect of the first training on ``outcome`` (staggered DiD) with TWFE beside it.

    Parameters
    ----------
    panel
        :func:`kinerja_analysis.analyses.panel.build_panel` data (``nip, t, g`` and the outcome).
    covariates
        Entered at their first-period values (time-invariant, as the method requires).
    subgroups
        Panel columns describing the first training; for each level with at least
        ``min_n`` trained employees, its ATT against the same never-treated controls.

    Returns
    -------
    TrainingResult
    """

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
        tidy_row(
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
    return tidy_frame(rows)


def subgroup_difference(het: pd.DataFrame, a: str, b: str) -> dict[str, object]:
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
    return tidy_row(
        f"{a} − {b}",
        est,
        se,
        est - z * se,
        est + z * se,
        p,
        int(ra["n_obs"] + rb["n_obs"]),
        "selisih ATT (SE konservatif)",
    )
