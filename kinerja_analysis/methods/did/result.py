"""The result of :func:`kinerja_analysis.methods.did.staggered_did`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from kinerja_analysis.core.results import Result, check_tidy, tidy_frame
from kinerja_analysis.methods.did import aggregation, pretrend
from kinerja_analysis.methods.did.aggregation import Cells
from kinerja_analysis.methods.did.attgt import FLAGS

__all__ = ["DidResult"]

_KINDS = ("simple", "group", "dynamic", "calendar")


@dataclass(frozen=True, eq=False)
class DidResult(Result):
    """Group-time ATTs from :func:`staggered_did`, with aggregation and pre-test.

    Attributes
    ----------
    att_gt : DataFrame
        One row per (group, time): ``group, time, event_time, post, estimate, std_error,
        ci_low, ci_high, p_value, n_obs, n_treated, method, flag``. ``group`` and
        ``time`` are in the caller's coding; ``n_obs`` counts the units in the 2x2
        comparison (cohort + controls), ``n_treated`` the cohort's units; ``flag`` the
        keys of :data:`~kinerja_analysis.methods.did.attgt.FLAGS` met in the cell.
    notes : tuple of str
        Every sample change and warning, in words.
    counts : dict
        The numbers behind the notes (rows/units dropped and why, units used, cells
        flagged; ``small_group_min``: the size rule, covariates + 5 units;
        ``small_never_treated``: 1 when the never-treated group is below it).
    dropped_covariates : tuple of str
        Covariates dropped as redundant (constant, or a linear combination of others).
    small_cohorts : tuple
        Cohorts (in the caller's coding) with fewer units than ``small_group_min``.

    Callers that report to people take these structured facts, not the English
    ``notes``, and say them in their own words.
    """

    att_gt: pd.DataFrame
    notes: tuple[str, ...]
    counts: dict
    method: str
    control_group: str
    base_period: str
    anticipation: int
    alpha: float
    n_boot: int
    seed: int
    boot_weights: str
    covariates: tuple[str, ...]
    _cells: Cells = field(repr=False)
    dropped_covariates: tuple[str, ...] = ()
    small_cohorts: tuple[object, ...] = ()

    # ---- public -----------------------------------------------------------------
    @property
    def n_units(self) -> int:
        """Units in the estimation sample (R's ``n``)."""
        return int(self._cells.g_unit.shape[0])

    @property
    def flags(self) -> tuple[str, ...]:
        """Distinct cell flags (keys of :data:`FLAGS`) met anywhere in the estimation."""
        return tuple(sorted({f for fl in self._cells.flags for f in fl.split(",") if f}))

    def tidy(self) -> pd.DataFrame:
        """ATT(g,t) in the project's tidy shape.

        Returns
        -------
        DataFrame
            ``term`` (``"ATT(2004,2005)"``), ``estimate, std_error, ci_low, ci_high,
            p_value, n_obs, method, group, time, event_time, post, n_treated, flag``.
        """
        a = self.att_gt
        term = [f"ATT({g},{t})" for g, t in zip(a["group"], a["time"], strict=True)]
        out = a[["estimate", "std_error", "ci_low", "ci_high", "p_value", "n_obs", "method"]]
        out = out.assign(term=term)
        for c in ("group", "time", "event_time", "post", "n_treated", "flag"):
            out[c] = a[c].to_numpy()
        return check_tidy(tidy_frame(out))

    def glance(self) -> pd.DataFrame:
        """One row: method, options, units, periods, cohorts, cells, flags and notes."""
        a = self.att_gt
        return pd.DataFrame(
            [
                {
                    "method": self.method,
                    "control_group": self.control_group,
                    "base_period": self.base_period,
                    "anticipation": self.anticipation,
                    "covariates": ",".join(self.covariates),
                    "n_units": self.n_units,
                    "n_periods": int(self.counts.get("periods_used", 0)),
                    "n_cohorts": int(a["group"].nunique()),
                    "n_cells": len(a),
                    "n_cells_missing": int(a["estimate"].isna().sum()),
                    "n_cells_flagged": int((a["flag"] != "").sum()),
                    "flags": ",".join(self.flags),
                    "n_notes": len(self.notes),
                }
            ]
        )

    def pretrend_test(self, kind: Literal["cells", "dynamic"] = "cells") -> pd.DataFrame:
        """Wald test that the pre-treatment estimates are zero (see :mod:`.pretrend`).

        Checked against R ``did`` 2.x (``summary(att_gt(...))`` "P-value for pre-test of
        parallel trends assumption") on ``mpdta`` for ``kind="cells"``.

        Returns
        -------
        DataFrame
            One row: ``term, statistic, df, p_value, n_obs, method, note``; statistic and
            p-value are NaN, with the reason in ``note``, when there are no
            pre-treatment estimates or their covariance is singular.
        """
        if kind not in ("cells", "dynamic"):
            raise ValueError(f"kind must be 'cells' or 'dynamic', got {kind!r}")
        return pretrend.pretrend_frame(self._cells, kind, self.n_units, self.method)

    def aggregate(
        self,
        kind: Literal["simple", "group", "dynamic", "calendar"] = "simple",
        *,
        min_e: float | None = None,
        max_e: float | None = None,
        balance_e: int | None = None,
    ) -> pd.DataFrame:
        """Aggregate ATT(g,t) as R ``did::aggte`` (analytic SEs, ``bstrap = FALSE``).

        Parameters
        ----------
        kind
            ``"simple"``, ``"group"``, ``"dynamic"`` (event study) or ``"calendar"``
            (see :mod:`.aggregation`).
        min_e, max_e
            Event-time window (``dynamic``); ``max_e`` also trims ``simple``/``group``,
            as in R.
        balance_e
            ``dynamic`` only: keep cohorts observed for at least ``balance_e`` periods
            after treatment and event times up to ``balance_e``.

        Returns
        -------
        DataFrame
            ``term, estimate, std_error, ci_low, ci_high, p_value, n_obs, method,
            n_treated`` and, for group/dynamic/calendar, ``cband_low, cband_high,
            crit_val`` (uniform band from the seeded multiplier bootstrap; NaN on the
            overall row) plus a context column ``group``, ``event_time`` or ``time``;
            last, ``flags``: the cell flags met by the cells of each row. The first row
            is the overall effect (``term = "ATT"``). ``n_obs`` is the number of units
            in the estimation sample, ``n_treated`` the units of the cohorts that enter
            the term.

        Raises
        ------
        NotEstimable
            Nothing to aggregate (no estimable cell, or none left in the window); the
            message says which.

        Notes
        -----
        Checked against R ``did`` ``aggte(type = ..., bstrap = FALSE)`` on ``mpdta``
        to 1e-6.
        """
        if kind not in _KINDS:
            raise ValueError(f"kind must be one of {_KINDS}, got {kind!r}")
        agg = aggregation.aggregate(
            self._cells,
            kind,
            min_e=-np.inf if min_e is None else float(min_e),
            max_e=np.inf if max_e is None else float(max_e),
            balance_e=balance_e,
            alpha=self.alpha,
            n_boot=self.n_boot,
            seed=self.seed,
            weights=self.boot_weights,
        )
        return aggregation.to_frame(agg, self.method, self.n_units, self.alpha)

    def event_study_vcov(self) -> tuple[pd.DataFrame, np.ndarray]:
        """Event-study estimates and their covariance (for sensitivity analysis).

        Returns the ``aggregate("dynamic")`` rows without the overall row (``event_time,
        estimate, std_error, n_treated, n_cohorts``) and ``V = psi' psi / n^2`` of those
        estimates, the input of :func:`kinerja_analysis.methods.did.sensitivity.honest_did`.
        """
        c = self._cells
        ev, est, inf, ntr, _ = aggregation.event_study(c, include=c.ok)
        n = inf.shape[0]
        v = inf.T @ inf / n**2
        se = np.sqrt(np.diag(v))
        cell_e = c.time - c.group
        n_coh = [int(np.sum(c.ok & (cell_e == e))) for e in ev]
        frame = pd.DataFrame(
            {
                "event_time": ev.astype(int),
                "estimate": est,
                "std_error": se,
                "n_treated": ntr,
                "n_cohorts": n_coh,
            }
        )
        return frame, v

    # ---- kept for tests and sensitivity ---------------------------------------
    def _dynamic_pre(self) -> tuple[np.ndarray, np.ndarray]:
        """Event-study estimates for e < 0 and their influence functions (n x E)."""
        est, inf, _ = pretrend.pretrend_inputs(self._cells, "dynamic")
        return est, inf

    @staticmethod
    def flag_meanings() -> dict[str, str]:
        """What each cell flag means (English)."""
        return dict(FLAGS)
