"""Survey scores linked to the employee panel.

- :func:`estimate_communication_training_effect` — within-employee change in a survey
  construct (default ``percaya_diri``, confidence) after a communication training: a
  two-way fixed-effects regression through :mod:`kinerja_analysis.methods.fixest`.
- :func:`acceptance_by_opd` — mean acceptance of the evaluation system per OPD and
  period, small groups suppressed.

Scores come from :func:`kinerja_analysis.domain.survey.construct_scores`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from kinerja_analysis.core.checks import require_columns
from kinerja_analysis.core.compat import TEXT_DTYPE
from kinerja_analysis.core.config import DEFAULTS
from kinerja_analysis.core.deprecation import renamed_keywords
from kinerja_analysis.core.errors import NotEstimable
from kinerja_analysis.core.periods import period_bounds
from kinerja_analysis.core.results import tidy_frame
from kinerja_analysis.methods import fixest

# --------------------------------------------------------------------------- panel links


def _long_scores(skor: pd.DataFrame, konstruk: str) -> pd.DataFrame:
    if {"konstruk", "skor"} <= set(skor.columns):
        d = skor.loc[skor["konstruk"] == konstruk, ["nip", "periode", "skor"]]
    elif konstruk in skor.columns:
        d = skor[["nip", "periode", konstruk]].rename(columns={konstruk: "skor"})
    else:
        raise ValueError(f"skor_konstruk holds no construct {konstruk!r}")
    d = d.dropna(subset=["skor"]).copy()
    if d.empty:
        raise NotEstimable(
            f"tidak ada skor untuk konstruk {konstruk!r}",
            reason="no_scores",
            facts={"construct": konstruk},
        )
    d["nip"] = d["nip"].astype(TEXT_DTYPE)
    d["periode"] = d["periode"].astype(TEXT_DTYPE)
    return d


def _start_period(tanggal: pd.Series, periods: Sequence[str], aturan: str) -> pd.Series:
    """Index (into sorted periods) of the first period counted as 'after' each date."""
    ends = np.array([period_bounds(p)[1] for p in periods], dtype="datetime64[ns]")
    starts = np.array([period_bounds(p)[0] for p in periods], dtype="datetime64[ns]")
    t = pd.to_datetime(tanggal).to_numpy(dtype="datetime64[ns]")
    if aturan == "periode_selesai":
        # the period containing the date (the survey is taken at the end of the period)
        idx = np.searchsorted(ends, t, side="left")
    else:
        # the first period starting after the date
        idx = np.searchsorted(starts, t, side="right")
    return pd.Series(idx, index=tanggal.index)


@renamed_keywords(kata_kunci="keywords", mulai="start")
def estimate_communication_training_effect(
    skor_konstruk: pd.DataFrame,
    pelatihan: pd.DataFrame,
    *,
    konstruk: str = "percaya_diri",
    kompetensi: Sequence[str] = (),
    keywords: Sequence[str] = ("komunikasi",),
    start: Literal["periode_selesai", "periode_berikutnya"] = "periode_selesai",
    alpha: float = DEFAULTS.alpha,
) -> pd.DataFrame:
    """Within-employee change in a construct after a communication training.

    Parameters
    ----------
    skor_konstruk
        Output of :func:`construct_scores` (long or wide).
    pelatihan
        The ``pelatihan`` table.
    konstruk
        Construct to analyse (default ``percaya_diri``).
    kompetensi, keywords
        A training counts as a communication training when its ``nama_pelatihan``
        contains one of ``keywords`` (case-insensitive) or, if given, its
        ``kompetensi_sasaran`` is in ``kompetensi``. The default is the name rule alone:
        many service-orientation webinars target ``berorientasi_pelayanan`` without
        training communication, and counting them dilutes the effect.
    start
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
    if start not in ("periode_selesai", "periode_berikutnya"):
        raise ValueError(f"start must be 'periode_selesai' or 'periode_berikutnya', not {start!r}")
    d = _long_scores(skor_konstruk, konstruk)
    periods = sorted(d["periode"].unique())
    require_columns(
        pelatihan, ["nip", "nama_pelatihan", "kompetensi_sasaran", "tanggal_selesai"], "pelatihan"
    )
    pl = pelatihan.copy()
    nama = pl["nama_pelatihan"].astype("string[pyarrow]").str.lower().fillna("")
    is_kom = pl["kompetensi_sasaran"].astype("string[pyarrow]").isin(list(kompetensi)).fillna(False)
    for kw in keywords:
        is_kom |= nama.str.contains(kw.lower(), regex=False).fillna(False)
    pl = pl[is_kom.to_numpy(dtype=bool)]
    pl = pl.assign(nip=pl["nip"].astype(TEXT_DTYPE))
    first = pl.groupby("nip", observed=True)["tanggal_selesai"].min()
    g_idx = _start_period(first, periods, start)
    pidx = {p: i for i, p in enumerate(periods)}
    d["t"] = d["periode"].map(pidx)
    d["g"] = d["nip"].map(g_idx)
    d["pasca"] = (d["g"].notna() & (d["t"] >= d["g"])).astype(float)
    # two-way fixed effects need two periods and both states (pyfixest aborts otherwise)
    if len(periods) < 2 or d["pasca"].nunique() < 2:
        raise NotEstimable(
            f"{len(periods)} periode survei, {int((d['pasca'] > 0).sum())} pengamatan "
            "sesudah pelatihan komunikasi; butuh dua periode dan kedua keadaan",
            reason="survey_periods",
            facts={"n_periods": len(periods), "n_post": int((d["pasca"] > 0).sum())},
        )
    fit = fixest.feols(d, "skor", ["pasca"], ["nip", "periode"], cluster="nip")
    out = fixest.tidy(
        fit,
        method="TWFE (FE pegawai + periode), SE cluster pegawai",
        alpha=alpha,
        names={"pasca": "pasca_pelatihan_komunikasi"},
    )
    out["konstruk"] = konstruk
    out["n_pegawai"] = int(d["nip"].nunique())
    out["n_pegawai_dilatih"] = int(d.loc[d["pasca"] > 0, "nip"].nunique())
    return tidy_frame(out)


def acceptance_by_opd(
    skor_konstruk: pd.DataFrame,
    pegawai: pd.DataFrame,
    *,
    konstruk: str = "penerimaan_sistem",
    min_n: int = DEFAULTS.min_sel,
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
        raise ValueError(f"min_n must be >= 1, got {min_n}")
    require_columns(pegawai, ["nip", "opd"], "pegawai")
    d = _long_scores(skor_konstruk, konstruk)
    opd = (
        pegawai.assign(nip=pegawai["nip"].astype(TEXT_DTYPE))
        .drop_duplicates("nip")
        .set_index("nip")["opd"]
    )
    d["opd"] = d["nip"].map(opd).fillna("(tidak diketahui)")
    rows = []
    for (o, per), g in d.groupby(["opd", "periode"], sort=True, observed=True):
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
