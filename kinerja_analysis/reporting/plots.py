"""Publication-ready figures. Every function returns a matplotlib ``Figure`` and never
shows or saves it; the notebooks display them and the export embeds them.

Axis labels and numbers follow the report language (Indonesian decimal comma by default).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from kinerja_analysis.core.checks import require_columns
from kinerja_analysis.reporting import fmt

_BIRU, _ABU, _MERAH = "#1f5f8b", "#8c8c8c", "#b03a2e"


def _axis_fmt(ax, bahasa: str, axis: str = "y", desimal: int = 1) -> None:
    f = FuncFormatter(lambda v, _pos: fmt.number(v, desimal, bahasa))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(f)


def plot_event_study(
    dinamis: pd.DataFrame,
    *,
    judul: str = "",
    label_y: str = "Efek terhadap capaian SKP (poin)",
    bahasa: str = "id",
) -> Figure:
    """Event-study plot from ``DidResult.aggregate("dynamic")`` / ``TrainingResult.dynamic``.

    Points with 95% pointwise intervals; the uniform band (``cband_low``/``cband_high``,
    if present) shaded; pre-treatment periods grey, post-treatment blue; e = -1 marked.
    """
    require_columns(dinamis, ["event_time", "estimate", "ci_low", "ci_high"], "plot_event_study")
    d = dinamis.dropna(subset=["event_time"]).sort_values("event_time")
    e = d["event_time"].to_numpy(dtype=float)
    fig, ax = plt.subplots(figsize=(7.5, 4.0), dpi=110)
    if {"cband_low", "cband_high"} <= set(d.columns):
        ax.fill_between(
            e,
            d["cband_low"],
            d["cband_high"],
            color=_BIRU,
            alpha=0.12,
            lw=0,
            label="pita simultan 95%" if bahasa == "id" else "95% uniform band",
        )
    colors = np.where(e < 0, _ABU, _BIRU)
    ax.vlines(e, d["ci_low"], d["ci_high"], colors=colors, lw=1.6)
    ax.scatter(e, d["estimate"], c=colors, s=28, zorder=3)
    ax.axhline(0, color="black", lw=0.8)
    ax.axvline(-0.5, color=_ABU, lw=0.8, ls="--")
    ax.set_xlabel(
        "Periode relatif terhadap pelatihan pertama"
        if bahasa == "id"
        else "Periods relative to first training"
    )
    ax.set_ylabel(label_y)
    ax.set_xticks(e)
    _axis_fmt(ax, bahasa)
    if judul:
        ax.set_title(judul, loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(frameon=False, fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig


def plot_coefficients(
    tabel: pd.DataFrame,
    *,
    label: str = "term",
    judul: str = "",
    label_x: str = "Perkiraan efek (IK 95%)",
    bahasa: str = "id",
) -> Figure:
    """Coefficient plot: one row per estimate with its 95% CI (tidy columns)."""
    require_columns(tabel, [label, "estimate", "ci_low", "ci_high"], "plot_koefisien")
    d = tabel.reset_index(drop=True)
    y = np.arange(len(d))[::-1]
    fig, ax = plt.subplots(figsize=(7.5, 0.5 * len(d) + 1.2), dpi=110)
    sig = (d["ci_low"] > 0) | (d["ci_high"] < 0)
    colors = np.where(sig, _BIRU, _ABU)
    ax.hlines(y, d["ci_low"], d["ci_high"], colors=colors, lw=2)
    ax.scatter(d["estimate"], y, c=colors, s=30, zorder=3)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y)
    ax.set_yticklabels(d[label].astype(str))
    ax.set_xlabel(label_x)
    _axis_fmt(ax, bahasa, axis="x", desimal=1)
    if judul:
        ax.set_title(judul, loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def plot_predikat_distribution(
    distribusi: pd.DataFrame, *, judul: str = "", bahasa: str = "id"
) -> Figure:
    """Horizontal stacked bar of predikat shares per group (e.g. per period or OPD).

    ``distribusi``: columns ``kelompok, predikat, persen`` (fractions); rows with missing
    ``persen`` (suppressed small cells) are drawn as gaps.
    """
    require_columns(distribusi, ["kelompok", "predikat", "persen"], "plot_distribusi_predikat")
    order = ["Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang"]
    palette = ["#1a7f5a", "#7fb77e", "#f2c14e", "#e07b39", _MERAH]
    wide = distribusi.pivot_table(
        index="kelompok", columns="predikat", values="persen", aggfunc="sum", sort=False
    ).reindex(columns=order)
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(wide) + 1.4), dpi=110)
    left = np.zeros(len(wide))
    for cat, col in zip(order, palette, strict=True):
        vals = wide[cat].fillna(0).to_numpy()
        ax.barh(wide.index.astype(str), vals, left=left, color=col, label=cat)
        left += vals
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt.percent(v, 0, bahasa)))
    ax.set_xlim(0, 1)
    ax.legend(ncol=3, fontsize=8, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.12))
    if judul:
        ax.set_title(judul, loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def plot_opd_profile(profil: pd.DataFrame, *, judul: str = "", bahasa: str = "id") -> Figure:
    """Heatmap OPD × BerAKHLAK dimension of mean behaviour scores.

    ``profil``: ``opd, dimensi, rerata`` (:func:`kinerja_analysis.domain.perilaku.opd_profile`,
    suppressed cells as NaN are left blank).
    """
    import seaborn as sns  # lazy: heavy; only for figures

    require_columns(profil, ["opd", "dimensi", "rerata"], "plot_profil_opd")
    wide = profil.pivot_table(index="opd", columns="dimensi", values="rerata")
    fig, ax = plt.subplots(figsize=(8.0, 0.32 * len(wide) + 1.8), dpi=110)
    if not np.isfinite(wide.to_numpy(dtype=float)).any():  # every cell suppressed or empty
        ax.axis("off")
        ax.text(0.5, 0.5, "–", ha="center", va="center", fontsize=20)
        if judul:
            ax.set_title(judul, loc="left", fontsize=11)
        return fig
    center = float(np.nanmean(wide.to_numpy())) if wide.size else 0.0
    sns.heatmap(
        wide,
        ax=ax,
        cmap="RdBu",
        center=center,
        annot=len(wide) <= 20,
        fmt=".2f",
        cbar_kws={"shrink": 0.6},
        linewidths=0.3,
    )
    if len(wide) <= 20 and bahasa == "id":
        for t in ax.texts:
            t.set_text(t.get_text().replace(".", ","))
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_xticklabels(
        [t.get_text().replace("_", " ") for t in ax.get_xticklabels()], rotation=30, ha="right"
    )
    if judul:
        ax.set_title(judul, loc="left", fontsize=11)
    fig.tight_layout()
    return fig
