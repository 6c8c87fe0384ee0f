"""Feedback: within-employee fixed-effects models of performance on last period's sessions.

Within-employee fixed-effects regressions of the outcome on last period's number of good
/ neutral / poor feedback sessions, with employee and period fixed effects and SEs
clustered by employee (:mod:`kinerja_analysis.methods.fixest`). Identified only if
feedback timing is not driven by the employee's own performance shocks (strict
exogeneity); the lead test (does *next* period's feedback "predict" this period's
outcome?) detects feedback that follows a drop in performance. "Last" and "next" period
are ``t - 1`` and ``t + 1`` on the calendar axis: on a panel with
gaps, a missing period gives a missing lag or lead, never the nearest observed row
(:func:`kinerja_analysis.analyses.panel.shift_by_period`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kinerja_analysis.analyses.notes import Note, not_estimated_note
from kinerja_analysis.analyses.panel import shift_by_period
from kinerja_analysis.core.errors import NotEstimable
from kinerja_analysis.core.frames import concat_rows
from kinerja_analysis.core.results import Result, check_tidy, tidy_frame
from kinerja_analysis.methods import fixest

__all__ = [
    "FEEDBACK_IDENTIFICATION",
    "FeedbackResult",
    "estimate_feedback_effects",
]

FEEDBACK_IDENTIFICATION = (
    "Efek umpan balik diestimasi dari perubahan dalam diri pegawai yang sama antarperiode "
    "(efek tetap pegawai dan periode), sehingga perbedaan tetap antarpegawai (misalnya "
    "motivasi) tidak mengacaukan hasil. Estimasi ini bersifat kausal hanya jika waktu "
    "pemberian umpan balik tidak mengikuti naik-turunnya kinerja pegawai itu sendiri; uji "
    "'umpan balik periode berikutnya' (lead) memeriksa hal ini."
)

#: Readable names of the model terms (English; documents use the report catalogue).
TERM_LABELS = {
    "n_umpan_balik_lag1": "feedback sessions last period",
    "n_baik_lag1": "good-quality sessions last period",
    "n_netral_lag1": "neutral sessions last period",
    "n_buruk_lag1": "poor-quality sessions last period",
    "n_baik_lag1-n_buruk_lag1": "good minus poor session",
    "n_umpan_balik_lead1": "feedback sessions next period (lead test)",
}


@dataclass(frozen=True)
class FeedbackResult(Result):
    """Within-employee feedback models (tidy) and what they identify.

    ``coefficients``: models ``dosis`` and ``kualitas``; ``contrast``: good minus poor
    session; ``lead_test``: the coefficient of next period's sessions. Every table is
    tidy with context columns ``model, estimate_sd, label``. ``notes``: what could not
    be estimated (:class:`~kinerja_analysis.analyses.notes.Note`).
    """

    coefficients: pd.DataFrame
    contrast: pd.DataFrame
    lead_test: pd.DataFrame
    outcome_sd: float
    identification: str = FEEDBACK_IDENTIFICATION
    notes: tuple[Note, ...] = field(default_factory=tuple)

    def tidy(self) -> pd.DataFrame:
        """All rows: coefficients, the contrast, the lead test."""
        out = concat_rows([self.coefficients, self.contrast, self.lead_test], ignore_index=True)
        return check_tidy(tidy_frame(out))

    def glance(self) -> pd.DataFrame:
        """One row: observations, outcome SD, number of notes."""
        n = int(self.coefficients["n_obs"].max()) if len(self.coefficients) else 0
        return pd.DataFrame(
            [{"n_obs": n, "outcome_sd": self.outcome_sd, "n_notes": len(self.notes)}]
        )


def _number(x: float) -> str:
    """A count as the notes write it (``0``, ``1,5``)."""
    return f"{float(x):g}".replace(".", ",")


def _with_sd(df: pd.DataFrame, model: str, sd: float) -> pd.DataFrame:
    out = df.copy()
    out["model"] = model
    out["estimate_sd"] = out["estimate"] / sd if sd > 0 else np.nan
    out["label"] = out["term"].map(TERM_LABELS).fillna(out["term"])
    return out


def estimate_feedback_effects(panel: pd.DataFrame, outcome: str = "komposit") -> FeedbackResult:
    """Within-employee fixed-effects models of ``outcome`` on feedback.

    Models (employee + period fixed effects, SEs clustered by employee, pyfixest):
    ``dosis``: outcome on last period's number of sessions; ``kualitas``: on last
    period's good (kualitas ≥ 4), neutral and poor (≤ 2) sessions; ``lead``: adds next
    period's sessions — a non-zero lead means feedback follows performance (reverse
    timing) and the other estimates are not causal.

    Parameters
    ----------
    panel
        :func:`kinerja_analysis.analyses.panel.build_panel` data: ``nip, periode, t``,
        ``outcome``, ``n_umpan_balik`` and the ``_lag1`` feedback counts. ``t`` is the
        period's calendar position (next period = ``t + 1``).

    Returns
    -------
    FeedbackResult
        Tidy coefficients with ``model``, ``estimate_sd`` (estimate divided by the
        outcome's SD over all employee-periods) and ``label``; ``contrast``: good minus
        poor session (term ``n_baik_lag1-n_buruk_lag1``).

    Raises
    ------
    NotEstimable
        Fewer than two periods with last period's feedback known (feedback before the
        first period of the ``umpan_balik`` table is not recorded, not zero), or last
        period's number of sessions the same for everyone (e.g. the window's only
        known lag is zero for all), or the ``dosis`` model otherwise not estimable
        (:func:`kinerja_analysis.methods.fixest.feols`). A quality class with no
        variation, the ``kualitas`` model, the good-minus-poor contrast and the lead
        test each become a note when they alone cannot be estimated.
    ValueError
        A needed column is missing.
    """
    need = {"nip", "periode", "t", outcome, "n_umpan_balik", "n_umpan_balik_lag1"}
    need |= {"n_baik_lag1", "n_buruk_lag1"}
    missing = need - set(panel.columns)
    if missing:
        raise ValueError(f"panel lacks columns {sorted(missing)} (see analyses.panel.build_panel)")
    cols = [c for c in panel.columns if c in need | {"n_netral_lag1"}]
    d = panel[cols].reset_index(drop=True)
    d["n_umpan_balik_lead1"] = shift_by_period(d, ["n_umpan_balik"], 1)["n_umpan_balik"]
    # two-way fixed effects need at least two periods with last period's feedback known
    # (pyfixest aborts the process on a sample without within variation in periods)
    known = d[outcome].notna() & d["n_umpan_balik_lag1"].notna()
    n_t = d.loc[known, "t"].nunique()
    if n_t < 2:
        raise NotEstimable(
            "butuh paling sedikit dua periode yang umpan balik periode sebelumnya diketahui "
            f"(ada {n_t}; umpan balik sebelum periode pertama tabelnya tidak tercatat)",
            reason="few_lag_periods",
            facts={"n_periods": int(n_t)},
        )
    lag = d.loc[known, "n_umpan_balik_lag1"]
    if lag.nunique() < 2:
        raise NotEstimable(
            "jumlah sesi umpan balik periode sebelumnya sama untuk semua ASN "
            f"({_number(lag.iloc[0])} sesi), sehingga tidak ada perbedaan yang dapat "
            "dibandingkan",
            reason="constant_lag",
            facts={"n_sessions": float(lag.iloc[0])},
        )
    sd = float(d[outcome].std())
    method = "FE pegawai + periode (pyfixest), SE klaster pegawai"
    fe = ["nip", "periode"]
    notes: list[Note] = []
    quality = [q for q in ("n_baik_lag1", "n_netral_lag1", "n_buruk_lag1") if q in d.columns]
    absent = [q for q in quality if d.loc[known, q].nunique() < 2]
    for q in absent:
        notes.append(Note("umpan_balik_kelas_tetap", {"kelas": q}))
    quality = [q for q in quality if q not in absent]
    fits = {"dosis": fixest.feols(d, outcome, ["n_umpan_balik_lag1"], fe, cluster="nip")}
    if quality:
        try:
            fits["kualitas"] = fixest.feols(d, outcome, quality, fe, cluster="nip")
        except NotEstimable as exc:
            notes.append(not_estimated_note("umpan_balik_kualitas", exc))
    coefs = pd.concat(
        [_with_sd(fixest.tidy(f, method=method), m, sd) for m, f in fits.items()],
        ignore_index=True,
    )
    contrast = pd.DataFrame(columns=[*coefs.columns])
    if "kualitas" in fits and {"n_baik_lag1", "n_buruk_lag1"} <= set(quality):
        try:
            contrast = _with_sd(
                fixest.contrast(
                    d,
                    outcome,
                    quality,
                    fe,
                    "n_baik_lag1",
                    "n_buruk_lag1",
                    cluster="nip",
                    method=method,
                ),
                "kontras",
                sd,
            )
        except NotEstimable as exc:
            notes.append(not_estimated_note("umpan_balik_kontras", exc))
    try:  # the lead needs a next period as well as a last one: three periods at least
        lead = fixest.feols(
            d, outcome, ["n_umpan_balik_lead1", "n_umpan_balik_lag1"], fe, cluster="nip"
        )
        lead_t = _with_sd(
            fixest.tidy(lead, method=method, keep=["n_umpan_balik_lead1"]), "lead", sd
        )
    except NotEstimable as exc:
        lead_t = pd.DataFrame(columns=[*coefs.columns])
        notes.append(not_estimated_note("umpan_balik_lead", exc))
    return FeedbackResult(
        tidy_frame(coefs),
        tidy_frame(contrast),
        tidy_frame(lead_t),
        sd,
        notes=tuple(notes),
    )
