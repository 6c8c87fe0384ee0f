"""The structured evaluation rollout: OPD-level staggered DiD on service outcomes.

IKM, timeliness and complaints per 1,000 services, estimated as the extended TWFE of
Wooldridge (2021) — one coefficient per cohort × post-period cell, so heterogeneous
effects do not contaminate each other — and aggregated to the ATT. With ~35 OPDs,
inference is the wild cluster restricted bootstrap (Webb weights), CIs by test inversion
(:mod:`kinerja_analysis.methods.wildboot`).

Few clusters. The wild cluster bootstrap is the best inference available with few
clusters, not a cure: with fewer than about ten clusters in all (the smallest designs
of Cameron, Gelbach & Miller 2008; Webb's six-point weights are meant for fewer than
about ten to twelve) or few clusters on one side of the comparison, its p-values and
intervals can be far off — MacKinnon & Webb (2017, 2018) show the restricted bootstrap
under-rejects severely and the unrestricted over-rejects when the treated (or the
untreated) clusters are few. An outcome estimated on fewer than
:data:`MIN_CLUSTERS` OPDs, or on fewer than :data:`MIN_CLUSTERS_PER_SIDE` adopting or
not-adopting OPDs, carries the flag ``few_clusters``: the documents say so and do not
grade it "jelas".

- Cameron, A. C., Gelbach, J. B., & Miller, D. L. (2008). Bootstrap-based improvements
  for inference with clustered errors. *Review of Economics and Statistics*, 90(3),
  414–427.
- MacKinnon, J. G., & Webb, M. D. (2017). Wild bootstrap inference for wildly different
  cluster sizes. *Journal of Applied Econometrics*, 32(2), 233–254.
- MacKinnon, J. G., & Webb, M. D. (2018). The wild bootstrap for few (treated) clusters.
  *The Econometrics Journal*, 21(2), 114–135.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kinerja_analysis.analyses.notes import Note, not_estimated_note
from kinerja_analysis.analyses.training import sensitivity_frame
from kinerja_analysis.core.compat import TEXT_DTYPE
from kinerja_analysis.core.config import DEFAULTS
from kinerja_analysis.core.deprecation import renamed_columns
from kinerja_analysis.core.frames import concat_rows
from kinerja_analysis.core.results import Result, check_tidy, tidy_frame, tidy_row
from kinerja_analysis.domain.ikm import ikm
from kinerja_analysis.methods.wildboot import cr1_covariance, wild_cluster_test

#: Fewer OPDs than this in an outcome's estimate: ``few_clusters`` (module docstring).
MIN_CLUSTERS = 10
#: Fewer adopting (or not-adopting) OPDs than this: ``few_clusters`` as well.
MIN_CLUSTERS_PER_SIDE = 5
#: Fewer OPDs with an outcome than this: that outcome is not estimated (a note says so).
MIN_OPD = 4

#: Why an outcome has no pre-trend test (``pretrend_reason`` of its overall row).
PRETREND_REASONS = (
    "no_pre_period",  # no adopting OPD has two periods before its start in the window
    "saturated",  # the event-study design has as many parameters as observations
    "not_estimable",  # the event study could not be estimated for another reason
)

# --------------------------------------------------------------------------- rollout


def prepare_layanan(
    layanan: pd.DataFrame, penerapan: pd.DataFrame, periods: Sequence[str]
) -> pd.DataFrame:
    """OPD × period service outcomes with the rollout timing.

    Returns ``opd, periode, t, g`` (index of ``periode_mulai``; 0 = not yet in the
    window), ``ikm``, ``tepat_waktu_pct``, ``pengaduan_per_1000`` (complaints per 1,000
    services), ``jumlah_layanan``.
    """

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


#: Columns of :class:`RolloutResult`'s tables before this release (old name → new name).
_OLD_COLUMNS = {"n_klaster": "n_clusters"}


@dataclass(frozen=True)
class RolloutResult(Result):
    """OPD-level rollout effects.

    ``overall``: one row per outcome (term ``ATT``); ``event``: per outcome and event time
    (``e=-3``, …, ``e=0``, ``e=1``; ``e=-1`` is the reference); ``pretrend``: WCR test of
    the mean of the pre-period coefficients (placebo); ``sensitivity``: Rambachan & Roth
    sensitivity of each outcome's event study (CR1 covariance; with few clusters the
    normal approximation it assumes is rough). ``notes``: OPDs left out and what could
    not be estimated (:class:`~kinerja_analysis.analyses.notes.Note`).
    """

    overall: pd.DataFrame
    event: pd.DataFrame
    pretrend: pd.DataFrame
    notes: tuple[Note, ...] = ()
    sensitivity: pd.DataFrame | None = None

    def tidy(self) -> pd.DataFrame:
        """Overall ATT per outcome, then the event-time rows (``n_clusters`` was
        ``n_klaster`` before this release; the old name reads, with a warning, until the
        next)."""
        out = concat_rows([self.overall, self.event, self.pretrend], ignore_index=True)
        return renamed_columns(check_tidy(tidy_frame(out)), _OLD_COLUMNS, "RolloutResult.tidy()")

    def glance(self) -> pd.DataFrame:
        """Outcomes estimated, clusters and notes (``n_clusters`` as in :meth:`tidy`)."""
        o = self.overall
        return renamed_columns(
            pd.DataFrame(
                [
                    {
                        "outcomes": ",".join(map(str, o.get("outcome", pd.Series(dtype=str)))),
                        "n_clusters": int(o["n_clusters"].max()) if len(o) else 0,
                        "n_notes": len(self.notes),
                    }
                ]
            ),
            _OLD_COLUMNS,
            "RolloutResult.glance()",
        )


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
    cell = ("g" + d["g"].astype(int).astype(TEXT_DTYPE) + "_t" + d["t"].astype(TEXT_DTYPE)).where(
        keep
    )
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


def estimate_rollout_effects(
    data: pd.DataFrame,
    *,
    outcomes: Sequence[str] = ("ikm", "tepat_waktu_pct", "pengaduan_per_1000"),
    n_boot: int = DEFAULTS.n_boot_wild,
    seed: int = DEFAULTS.seed,
    alpha: float = DEFAULTS.alpha,
    sensitivity: bool = True,
) -> RolloutResult:
    """Staggered DiD of the structured evaluation rollout on OPD service outcomes.

    Parameters
    ----------
    data
        :func:`prepare_layanan` output (``opd, t, g`` and the outcome columns).
    sensitivity
        Add the Rambachan & Roth sensitivity of each outcome's event study
        (:func:`kinerja_analysis.analyses.training.sensitivity_frame`).

    Returns
    -------
    RolloutResult
        Tidy tables (``term, estimate, std_error, ci_low, ci_high, p_value, n_obs,
        method`` + ``outcome, n_clusters, n_treated_clusters, n_untreated_clusters``:
        OPDs in all, adopting within the window, not adopting). ``std_error`` is the CR1
        cluster-robust SE; ``p_value`` and the CI come from the wild cluster restricted
        bootstrap. The overall rows add ``flags`` (``few_clusters``, module docstring)
        and ``pretrend_reason`` (:data:`PRETREND_REASONS`; empty when the pre-trend test
        is there).
    """
    notes: list[Note] = []
    always = sorted(data.loc[data["g"] == 1, "opd"].unique())
    if always:
        notes.append(Note("opd_sejak_awal", {"n_opd": len(always)}))
    d_all = data[data["g"] != 1]
    method = "ETWFE (Wooldridge 2021), wild cluster bootstrap (Webb) per OPD"
    overall, event, pre, sens = [], [], [], []
    for k, y in enumerate(outcomes):
        d = d_all[d_all[y].notna()].reset_index(drop=True)
        if d["g"].gt(0).sum() == 0 or d["opd"].nunique() < MIN_OPD:
            why = "no_adopting_opd" if d["g"].gt(0).sum() == 0 else "few_opd"
            notes.append(
                Note(
                    "tidak_diestimasi",
                    {
                        "analisis": "penerapan_hasil",
                        "sebab": why,
                        "hasil": y,
                        "n_opd": int(d["opd"].nunique()),
                        "min_n": MIN_OPD,
                    },
                )
            )
            continue
        n_cl = int(d["opd"].nunique())
        n_tr = int(d.loc[d["g"] > 0, "opd"].nunique())
        ctx = {
            "outcome": y,
            "n_clusters": n_cl,
            "n_treated_clusters": n_tr,
            "n_untreated_clusters": n_cl - n_tr,
        }
        few = n_cl < MIN_CLUSTERS or min(n_tr, n_cl - n_tr) < MIN_CLUSTERS_PER_SIDE
        yv, cl = d[y].to_numpy(), d["opd"].to_numpy()
        kw = dict(
            y=yv, clusters=cl, n_boot=n_boot, seed=seed + k, alpha=alpha, method=method, ctx=ctx
        )
        try:
            X, names, info = _etwfe_design(d, leads=False)
            row = _wcr_row(X, names, info, info["e"] >= 0, "ATT", **kw)
        except ValueError as exc:
            notes.append(not_estimated_note("penerapan_hasil", exc, hasil=y))
            continue
        row["flags"] = "few_clusters" if few else ""
        row["pretrend_reason"] = ""
        overall.append(row)
        try:
            Xl, names_l, info_l = _etwfe_design(d, leads=True)
            if not (info_l["e"] < -1).any():
                row["pretrend_reason"] = "no_pre_period"
            elif np.linalg.matrix_rank(Xl) >= len(yv):
                row["pretrend_reason"] = "saturated"
            es = []
            for e in sorted(info_l["e"].unique()):
                if info_l.loc[info_l["e"] == e, "n"].sum() >= 2:
                    event.append(
                        _wcr_row(Xl, names_l, info_l, info_l["e"] == e, f"e={e}", e=int(e), **kw)
                    )
                    es.append(int(e))
            if es and sensitivity:
                cmat = np.column_stack([_combo(names_l, info_l, info_l["e"] == e) for e in es])
                beta = cmat.T @ np.linalg.lstsq(Xl, yv, rcond=None)[0]
                v = cr1_covariance(Xl, yv, cl, cmat)
                n_e = np.array([int((info_l["e"] == e).sum()) for e in es])  # cohorts
                sens.append(sensitivity_frame(np.array(es), beta, v, n_e, outcome=y))
            if (info_l["e"] < -1).any():
                pre.append(
                    _wcr_row(
                        Xl,
                        names_l,
                        info_l,
                        info_l["e"] < -1,
                        "pretrend_mean_pre",
                        **kw,
                    )
                )
        except ValueError as exc:
            row["pretrend_reason"] = row["pretrend_reason"] or "not_estimable"
            notes.append(not_estimated_note("penerapan_studi_peristiwa", exc, hasil=y))
    sens = [x for x in sens if len(x)]
    return RolloutResult(
        tidy_frame(overall),
        tidy_frame(event),
        tidy_frame(pre),
        tuple(notes),
        tidy_frame(concat_rows(sens, ignore_index=True)) if sens else None,
    )


def _wcr_row(
    X, names, info, mask, term, *, y, clusters, n_boot, seed, alpha, method, ctx, **extra
) -> dict[str, object]:
    """One tidy row: WCR bootstrap test of the cell-weighted combination selected by mask."""
    r = wild_cluster_test(
        X, y, clusters, _combo(names, info, mask), n_boot=n_boot, seed=seed, alpha=alpha
    )
    return tidy_row(
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
