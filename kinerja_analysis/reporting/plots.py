"""Publication-ready figures. Every function returns a matplotlib ``Figure`` and never
shows or saves it; the notebooks show them (:meth:`ReportSession.figure
<kinerja_analysis.reporting.notebook.ReportSession.figure>`) and the export embeds them.

House rules, so a figure reads the same on A4 paper and on a 390-pixel phone screen:

* **Language.** Every number on an axis or in a cell is written by
  :mod:`kinerja_analysis.reporting.fmt` in the document's language (``3,8`` with a
  decimal comma in Indonesian), every label comes from the label registry
  (:mod:`kinerja_analysis.reporting.text`) — never a raw key.
* **Size.** ``width`` is the figure's width in inches: :data:`PAGE_WIDTH` for the page
  (A4 portrait, inside the margins), :data:`PHONE_WIDTH` for a phone; fonts are
  :data:`FONT_PT` points at either width, and a figure never gets taller than
  :data:`MAX_HEIGHT` (it fits a page with its title). Groups that would not fit are split
  by the caller into several figures (:func:`chunks`).
* **Honest axes.** Bars start at zero (or at the bottom of a bounded scale, 1 for a 1–5
  score); a line's value axis spans at least a meaningful range of its scale
  (:func:`honest_limits`), so a change of 0,02 on a 1–5 score stays flat.
* **Long labels** are wrapped (:func:`wrap`), never overlapped: per-group bars carry
  their label above the bar, heatmap cells are annotated only when the cell is large
  enough for the number.
* **Every character legible.** Each text passes through
  :func:`kinerja_analysis.reporting.glyphs.drawable` before it is measured or drawn
  (:func:`wrap` first, then every text of the finished figure, tick labels included):
  a character the figures' font lacks (an emoji, a CJK name) is drawn as ``�``,
  zero-width and format characters are dropped, so no box is drawn and no "Glyph …
  missing" warning reaches the log; ordinary text is drawn exactly as before.
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from kinerja_analysis.core.checks import require_columns
from kinerja_analysis.core.compat import TEXT_DTYPE
from kinerja_analysis.core.deprecation import renamed_keywords
from kinerja_analysis.core.periods import parse_period
from kinerja_analysis.data.contract import BERAKHLAK
from kinerja_analysis.domain.predikat import PREDIKAT_ORDER
from kinerja_analysis.reporting import fmt
from kinerja_analysis.reporting.glyphs import clusters, drawable, drawable_figure
from kinerja_analysis.reporting.markup import text_width
from kinerja_analysis.reporting.text import column_label, dimension_label, value_label

__all__ = [
    "PAGE_WIDTH",
    "PHONE_WIDTH",
    "MAX_HEIGHT",
    "FONT_PT",
    "use_style",
    "wrap",
    "chunks",
    "honest_limits",
    "period_tick",
    "plot_event_study",
    "plot_coefficients",
    "plot_predikat_distribution",
    "plot_opd_profile",
    "plot_bars",
    "plot_trend",
    "plot_predikat_pages",
    "plot_opd_profile_pages",
    "profile_scale",
    "plot_headline_trends",
]

#: Width of a figure on the page (A4 portrait inside 1,8 cm margins), inches.
PAGE_WIDTH = 6.3
#: Width of a figure drawn for a phone screen, inches (shown at about 360 px).
PHONE_WIDTH = 3.6
#: Tallest figure (fits an A4 page under its heading and caption), inches.
MAX_HEIGHT = 8.6
#: Base font size, points.
FONT_PT = 9.5
#: Resolution of the PNG in the document.
DPI = 130

_BIRU, _ABU, _MERAH = "#1f5f8b", "#8c8c8c", "#b03a2e"
_PREDIKAT = PREDIKAT_ORDER[::-1]  # best first, as the legend reads
_PREDIKAT_WARNA = ("#1a7f5a", "#7fb77e", "#f2c14e", "#e07b39", _MERAH)


def use_style() -> None:
    """Set the report's plot style: light grid, :data:`FONT_PT` fonts, :data:`DPI`.

    Text is drawn without font hinting: at :data:`DPI` unhinted glyphs are as legible
    (a touch softer, their true shapes, as a high-density screen shows them) and a
    figure draws about an eighth faster, its text being most of the drawing. A ``$`` in
    a text is a dollar sign, never the start of mathtext: the labels are data (an OPD
    name), and :func:`kinerja_analysis.reporting.notebook.figure_png` draws every figure
    so whatever the session's style.
    """
    mpl.rcParams.update(
        {
            "text.parse_math": False,
            "figure.dpi": DPI,
            "text.hinting": "no_hinting",
            "savefig.dpi": DPI,
            "figure.figsize": (PAGE_WIDTH, 3.6),
            "font.family": ["DejaVu Sans"],
            "font.size": FONT_PT,
            "axes.titlesize": FONT_PT + 1.5,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.labelsize": FONT_PT,
            "xtick.labelsize": FONT_PT - 0.5,
            "ytick.labelsize": FONT_PT - 0.5,
            "legend.fontsize": FONT_PT - 0.5,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.axisbelow": True,
        }
    )


#: Lines a name beside a bar or a heatmap row may take; a longer one ends with "…"
#: (the document's tables hold it whole).
MAX_LABEL_LINES = 6


def wrap(text: object, width: int, max_lines: int | None = None) -> str:
    """Wrap a label to lines no wider than ``width`` average characters.

    The label is first written as the figures draw it
    (:func:`~kinerja_analysis.reporting.glyphs.drawable`: a character the font lacks
    is ``�``); that text is measured and returned.

    Lines are measured in the figures' font (DejaVu Sans,
    :func:`kinerja_analysis.reporting.markup.text_width`), against the width of
    ``width`` characters of 0,62 em (what :func:`_chars_per_line` assumes), so a line of
    capitals or of wide letters (``WWW``) is as wide as a line of ordinary text, not
    wider. Words are kept whole, except a word wider than the line (a name typed
    without spaces), which is cut where it fills the line: a label never runs past the
    figure's edge. With ``max_lines``, a label that needs more lines keeps that many,
    the last ending with "…" (a name of thousands of characters would otherwise fill
    the figure and run over the other labels).

    >>> print(wrap("Dinas Pendidikan", 10))
    Dinas
    Pendidikan
    >>> print(wrap("X" * 25, 10))
    XXXXXXXX
    XXXXXXXX
    XXXXXXXX
    X
    >>> wrap("WWWWWWWWWW", 10).count("\\n") > wrap("iiiiiiiiii", 10).count("\\n")
    True
    >>> print(wrap("Badan Sangat Panjang Sekali " * 5, 12, max_lines=2))
    Badan
    Sangat…
    """
    text = drawable(text)
    budget = max(8, width) * 0.62 * 10 * _WRAP_MARGIN  # points, measured at 10 pt

    def w(s: str) -> float:
        return text_width(s, size=10)

    lines: list[str] = []
    line = ""
    # no more characters than a line of the narrowest glyphs holds fit on a line
    cap = int(budget / min(w(c) for c in _NARROW)) + 1
    for word in text.split():
        # wider than a line: cut where it fills the line (the length test first: a long
        # name is not measured whole once per line)
        while len(word) > cap or w(word) > budget:
            cut = _fill(word, budget, w, cap)
            if cut >= len(word):
                break
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:cut])
            word = word[cut:]
        if not word:
            continue
        candidate = f"{line} {word}" if line else word
        if line and w(candidate) > budget:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    if max_lines is not None and len(lines) > max(1, max_lines):
        lines = lines[: max(1, max_lines)]
        last = lines[-1]
        while last and w(last.rstrip() + "…") > budget:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return "\n".join(lines) or text


#: Share of the nominal line :func:`wrap` fills (bold titles are measured as regular).
_WRAP_MARGIN = 0.92


#: The narrowest glyphs of DejaVu Sans that a name may hold.
_NARROW = "il'.,:;|!"


def _fill(word: str, budget: float, w, cap: int) -> int:
    """How many leading characters of ``word`` fit ``budget`` (at least one): a binary
    search over prefixes of at most ``cap`` characters, so a 10,000-character name
    costs a few measurements per line, not one per character. The cut never parts a
    letter from its marks (one user-perceived character,
    :func:`~kinerja_analysis.reporting.glyphs.clusters`) unless that one does not fit."""
    lo, hi = 1, min(len(word), cap)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if w(word[:mid]) <= budget:
            lo = mid
        else:
            hi = mid - 1
    if lo < len(word):
        ends = list(_cluster_ends(word[: lo + 1]))
        lo = max([e for e in ends if e <= lo], default=lo)
    return lo


def _cluster_ends(word: str):
    """Where the user-perceived characters of ``word`` end (string offsets)."""
    end = 0
    for c in clusters(word):
        end += len(c)
        yield end


def chunks(groups: Sequence[object], per_figure: int) -> list[list[object]]:
    """Split ``groups`` into runs of at most ``per_figure``, as evenly as possible."""
    groups = list(groups)
    if not groups:
        return []
    n = math.ceil(len(groups) / max(1, per_figure))
    size = math.ceil(len(groups) / n)
    return [groups[i : i + size] for i in range(0, len(groups), size)]


def honest_limits(
    values: Sequence[float] | np.ndarray | pd.Series,
    *,
    min_span: float,
    lower: float | None = None,
    upper: float | None = None,
) -> tuple[float, float]:
    """Axis limits that contain ``values`` and span at least ``min_span``.

    A line of values that barely move (3,80–3,82 on a 1–5 score) is drawn flat in a
    window of at least ``min_span`` (say 1 scale point) centred on the values, clipped to
    the scale's bounds ``lower``/``upper`` (shifted inwards, never cut). A 5 % margin is
    added when the values themselves span more.

    Examples
    --------
    >>> honest_limits([3.80, 3.82], min_span=1.0, lower=1, upper=5)
    (3.31, 4.31)
    """
    v = pd.to_numeric(pd.Series(values), errors="coerce").dropna().to_numpy(dtype=float)
    if len(v) == 0:
        lo, hi = (lower if lower is not None else 0.0), (upper if upper is not None else 1.0)
        return float(lo), float(hi)
    lo, hi = float(v.min()), float(v.max())
    span = hi - lo
    if span < min_span:
        mid = (lo + hi) / 2
        lo, hi = mid - min_span / 2, mid + min_span / 2
    else:
        lo, hi = lo - 0.05 * span, hi + 0.05 * span
    if lower is not None and lo < lower:
        hi, lo = hi + (lower - lo), lower
    if upper is not None and hi > upper:
        lo, hi = lo - (hi - upper), upper
    if lower is not None:
        lo = max(lo, lower)
    return round(lo, 6), round(hi, 6)


def period_tick(code: object, bahasa: str = "id") -> str:
    """A period as a short two-line axis label: ``2025Q1`` → ``"TW I\\n2025"``."""
    try:
        p = parse_period(code)
    except ValueError:
        return str(code)
    roman = ("I", "II", "III", "IV")
    if p.kind == "Q":
        return f"{'TW' if bahasa == 'id' else 'Q'}{' ' + roman[p.number - 1] if bahasa == 'id' else p.number}\n{p.year}"
    if p.kind == "S":
        return f"Sem {roman[p.number - 1] if bahasa == 'id' else p.number}\n{p.year}"
    if p.kind == "M":
        from kinerja_analysis.core.periods import MONTH_NAMES  # lazy: only for month ticks

        return f"{MONTH_NAMES[bahasa][p.number - 1][:3]}\n{p.year}"
    return str(p.year)


def _number_axis(ax, bahasa: str, axis: str = "y", desimal: int = 1, percent: bool = False) -> None:
    if percent:
        f = FuncFormatter(lambda v, _pos: fmt.percent(v, desimal, bahasa))
    else:
        f = FuncFormatter(lambda v, _pos: fmt.number(v, desimal, bahasa))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(f)


def _decimals_for(lo: float, hi: float) -> int:
    """Tick decimals so that neighbouring ticks differ when printed."""
    span = abs(hi - lo)
    if span >= 20:
        return 0
    if span >= 2:
        return 1
    if span >= 0.2:
        return 2
    return 3


def _chars_per_line(lebar: float, share: float = 1.0, pt: float = FONT_PT) -> int:
    """Characters of ``pt``-point text that surely fit ``share`` of a ``lebar``-inch width
    (DejaVu Sans averages about 0,6 em per character; bold a little more)."""
    return max(8, int(lebar * share * 72 / (pt * 0.62)))


def _value_ticks(
    ax, lebar: float, share: float, lo: float, hi: float, label_chars: int, unit: float
) -> None:
    """At most five ticks on a value x axis, fewer when their labels (``label_chars``
    characters each) would not fit side by side in ``share`` of a ``lebar``-inch figure.

    Every tick is a whole multiple of ``unit``, the smallest step its label prints
    (``10**-decimals``; a percent's on a 0–1 scale: ``10**-(decimals + 2)``): a tick at
    1.6 printed with no decimals would read "2" beside a true 2 (a fresh tester's
    "2 2 3 4 5" on a 1–5 scale).
    """
    room = _chars_per_line(lebar, share, FONT_PT - 0.5)
    locator = MaxNLocator(max(2, min(5, room // (label_chars + 3))), integer=True)
    ticks = locator.tick_values(lo / unit, hi / unit) * unit
    ax.xaxis.set_major_locator(FixedLocator(np.round(ticks, 12)))
    ax.set_xlim(lo, hi)


def _legend_columns(labels: Sequence[str], lebar: float) -> int:
    """Legend entries side by side while they fit the figure's width (each entry is its
    text plus about four characters of colour key and gap), else one column."""
    room = _chars_per_line(lebar, 0.95, FONT_PT - 0.5)
    n = min(len(labels), 3)
    while n > 1 and n * (max(len(drawable(x)) for x in labels) + 4) > room:
        n -= 1
    return max(1, n)


def _finish(fig: Figure, judul: str, lebar: float) -> Figure:
    """The figure's title (wrapped), and every text of it as the fonts can draw it."""
    if judul:
        fig.suptitle(
            wrap(judul, _chars_per_line(lebar, 0.97, FONT_PT + 2.5)),
            x=0.01,
            ha="left",
            fontsize=FONT_PT + 1.5,
            fontweight="bold",
        )
    return drawable_figure(fig)


# ----------------------------------------------------------------------------- effects


@renamed_keywords(dinamis="dynamic", judul="title", label_y="y_label", lebar="width")
def plot_event_study(
    dynamic: pd.DataFrame,
    *,
    title: str = "",
    y_label: str | None = None,
    bahasa: str = "id",
    width: float = PAGE_WIDTH,
) -> Figure:
    """Event-study plot from ``DidResult.aggregate("dynamic")`` / ``TrainingResult.dynamic``.

    Points with 95% pointwise intervals; the uniform band (``cband_low``/``cband_high``,
    if present) shaded; pre-treatment periods grey, post-treatment blue; the reference
    period (e = −1) marked by a dashed line.
    """
    require_columns(dynamic, ["event_time", "estimate", "ci_low", "ci_high"], "plot_event_study")
    d = dynamic.dropna(subset=["event_time"]).sort_values("event_time")
    e = d["event_time"].to_numpy(dtype=float)
    tinggi = 0.62 * width + 0.6
    fig = plt.figure(figsize=(width, tinggi), layout="constrained")
    ax = fig.add_subplot()
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
    ax.scatter(e, d["estimate"], c=colors, s=26, zorder=3)
    ax.axhline(0, color="black", lw=0.8)
    ax.axvline(-0.5, color=_ABU, lw=0.8, ls="--")
    ax.set_xlabel(
        wrap(
            "Periode relatif terhadap pelatihan pertama"
            if bahasa == "id"
            else "Periods relative to the first training",
            _chars_per_line(width, 0.8),
        )
    )
    y_label = y_label or (
        "Efek terhadap capaian SKP (poin)"
        if bahasa == "id"
        else "Effect on SKP achievement (points)"
    )
    # the axis label runs along the plot's height: wrapped to it (a phone figure is short)
    ax.set_ylabel(wrap(y_label, _chars_per_line(tinggi, 0.5)))
    step = 1 if len(e) <= 10 or width >= PAGE_WIDTH else 2
    ax.set_xticks(e[::step])
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt.number(int(v), 0, bahasa)))
    lo, hi = ax.get_ylim()
    _number_axis(ax, bahasa, "y", _decimals_for(lo, hi))
    if ax.get_legend_handles_labels()[0]:
        ax.legend(frameon=False, loc="upper left")
    return _finish(fig, title, width)


@renamed_keywords(tabel="table", judul="title", label_x="x_label", lebar="width")
def plot_coefficients(
    table: pd.DataFrame,
    *,
    label: str = "term",
    title: str = "",
    x_label: str | None = None,
    bahasa: str = "id",
    width: float = PAGE_WIDTH,
) -> Figure:
    """Coefficient plot: one row per estimate with its 95% CI (tidy columns).

    Rows whose interval excludes zero are blue, the others grey; labels are wrapped.
    """
    require_columns(table, [label, "estimate", "ci_low", "ci_high"], "plot_coefficients")
    d = table.reset_index(drop=True)
    chars = _chars_per_line(width, 0.42)
    labels = [wrap(x, chars, MAX_LABEL_LINES) for x in d[label].astype(TEXT_DTYPE)]
    lines = sum(max(1, x.count("\n") + 1) for x in labels)
    fig = plt.figure(
        figsize=(width, min(MAX_HEIGHT, 0.2 * lines + 0.25 * len(d) + 1.3)), layout="constrained"
    )
    ax = fig.add_subplot()
    y = np.arange(len(d))[::-1]
    sig = (d["ci_low"] > 0) | (d["ci_high"] < 0)
    colors = np.where(sig, _BIRU, _ABU)
    ax.hlines(y, d["ci_low"], d["ci_high"], colors=colors, lw=2)
    ax.scatter(d["estimate"], y, c=colors, s=30, zorder=3)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y)
    ax.set_yticklabels(labels)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(
        x_label or ("Perkiraan efek (IK 95%)" if bahasa == "id" else "Estimated effect (95% CI)")
    )
    ax.xaxis.set_major_locator(MaxNLocator(5))
    lo, hi = ax.get_xlim()
    _number_axis(ax, bahasa, "x", _decimals_for(lo, hi))
    return _finish(fig, title, width)


# ----------------------------------------------------------------------------- groups


@renamed_keywords(distribusi="distribution", judul="title", lebar="width")
def plot_predikat_distribution(
    distribution: pd.DataFrame,
    *,
    title: str = "",
    bahasa: str = "id",
    width: float = PAGE_WIDTH,
) -> Figure:
    """Stacked bar of predikat shares per group (per OPD or per period), one row each.

    ``distribution``: columns ``kelompok, predikat, persen`` (fractions); rows with missing
    ``persen`` (suppressed small cells) are drawn as gaps. Each group's name is written
    above its bar over the full width (long OPD names are not squeezed beside it); the
    legend is below. Give at most about 20 groups per figure (:func:`chunks`).
    """
    require_columns(distribution, ["kelompok", "predikat", "persen"], "plot_predikat_distribution")
    wide = distribution.pivot_table(
        index="kelompok",
        columns="predikat",
        values="persen",
        aggfunc="sum",
        sort=False,
        observed=True,
    ).reindex(columns=list(_PREDIKAT))
    n = len(wide)
    chars = _chars_per_line(width, 0.8, FONT_PT - 0.5)
    names = [wrap(k, chars, MAX_LABEL_LINES) for k in wide.index.astype(TEXT_DTYPE)]
    # in inches: each row is its label (one line per wrapped line) above a bar
    line, bar, gap = (FONT_PT + 2) / 72, 0.2, 0.1
    heights = [x.count("\n") * line + line + bar + gap for x in names]
    total = float(sum(heights))
    height = min(MAX_HEIGHT, 1.2 + total)
    fig = plt.figure(figsize=(width, height), layout="constrained")
    ax = fig.add_subplot()
    # bar centres (y grows downwards, in inches from the top of the plot)
    tops = np.cumsum([0.0, *heights[:-1]])
    ypos = np.array([t + h - gap - bar / 2 for t, h in zip(tops, heights, strict=True)])
    left = np.zeros(n)
    for cat, col in zip(_PREDIKAT, _PREDIKAT_WARNA, strict=True):
        vals = wide[cat].fillna(0).to_numpy()
        ax.barh(ypos, vals, left=left, height=bar, color=col, label=value_label(cat, bahasa))
        left += vals
    for y, name in zip(ypos, names, strict=True):
        ax.text(
            0,
            y - bar / 2 - 0.02,
            name,
            ha="left",
            va="bottom",
            fontsize=FONT_PT - 0.5,
            linespacing=1.0,
        )
    ax.set_ylim(total, 0)
    ax.set_yticks([])
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt.percent(v, 0, bahasa)))
    ax.grid(axis="y", visible=False)
    ax.spines[["left"]].set_visible(False)
    # the legend below the axes, outside it: the layout makes room for it whatever the
    # number of rows (anchored to the axes it fell onto the tick labels of a short chart)
    if width >= PAGE_WIDTH:
        fig.legend(ncol=3, frameon=False, loc="outside lower center")
    else:  # two columns from the left edge, a little smaller: it fits a phone's width
        fig.legend(
            ncol=2,
            frameon=False,
            loc="outside lower left",
            fontsize=FONT_PT - 1.5,
            handlelength=1.2,
            columnspacing=1.0,
        )
    return _finish(fig, title, width)


_HEATMAP_EXTRA = 2.6  # inches of title, slanted column names and colour bar


def _heatmap_label_share(lebar: float) -> float:
    """Share of the width given to OPD names (more on a phone, so they wrap less)."""
    return 0.38 if lebar >= PAGE_WIDTH else 0.46


def _heatmap_row_height(names: Sequence[str], lebar: float) -> float:
    """Inches per heatmap row: room for the longest wrapped OPD name (at least 0,24)."""
    width = _chars_per_line(lebar, _heatmap_label_share(lebar), FONT_PT - 1)
    lines = max((wrap(o, width, MAX_LABEL_LINES).count("\n") + 1 for o in names), default=1)
    return max(lines * (FONT_PT - 1) * 1.25 / 72 + 0.04, 0.24)


@renamed_keywords(profil="profile", judul="title", lebar="width", pusat="center", rentang="half_width", tinggi_baris="row_height")  # fmt: skip
def plot_opd_profile(
    profile: pd.DataFrame,
    *,
    title: str = "",
    bahasa: str = "id",
    width: float = PAGE_WIDTH,
    center: float | None = None,
    half_width: float | None = None,
    row_height: float | None = None,
) -> Figure:
    """Heatmap OPD × BerAKHLAK value of mean behaviour scores.

    ``profile``: ``opd, dimensi, rerata`` (:func:`kinerja_analysis.domain.perilaku.opd_profile`;
    suppressed cells as NaN stay blank). Colours show each cell's distance from the mean
    of all cells (blue above, red below); the numbers are written in the cells when they
    fit. Dimension names are wrapped under the columns, OPD names beside the rows.
    ``center``/``half_width`` fix the colour scale's centre and half-width, so several
    heatmaps of one table (OPDs split over figures) share one scale; ``row_height``
    (inches) fixes the row height, so that they also share one row height (default:
    room for the longest wrapped OPD name of ``profile``).
    """
    require_columns(profile, ["opd", "dimensi", "rerata"], "plot_opd_profile")
    wide = profile.pivot_table(
        index="opd", columns="dimensi", values="rerata", dropna=False, observed=True
    )
    order = [d for d in BERAKHLAK if d in wide.columns]
    wide = wide[order + [c for c in wide.columns if c not in order]]
    n_rows, n_cols = wide.shape
    label_share = _heatmap_label_share(width)
    row_w = _chars_per_line(width, label_share, FONT_PT - 1)
    row_names = [wrap(o, row_w, MAX_LABEL_LINES) for o in wide.index.astype(TEXT_DTYPE)]
    cell_h = row_height or _heatmap_row_height(list(wide.index.astype(TEXT_DTYPE)), width)
    height = min(MAX_HEIGHT, _HEATMAP_EXTRA + cell_h * n_rows)
    fig = plt.figure(figsize=(width, height), layout="constrained")
    ax = fig.add_subplot()
    vals = wide.to_numpy(dtype=float)
    finite = np.isfinite(vals).any()
    if not finite:  # every cell suppressed or empty: a dash, not an empty grid
        ax.axis("off")
        ax.text(0.5, 0.5, fmt.EMPTY, ha="center", va="center", fontsize=20)
        return _finish(fig, title, width)
    center = center if center is not None else (float(np.nanmean(vals)) if finite else 0.0)
    dev = (
        half_width
        if half_width is not None
        else (np.nanmax(np.abs(vals - center)) if finite else 1.0)
    )
    dev = dev if dev and dev > 0 else 1.0
    im = ax.imshow(
        np.ma.masked_invalid(vals),
        cmap="RdBu",
        vmin=center - dev,
        vmax=center + dev,
        aspect="auto",
        interpolation="nearest",
    )
    ax.set_xticks(range(n_cols))
    # column names above the cells, slanted so that long names never overlap
    ax.set_xticklabels(
        [dimension_label(c, bahasa) for c in wide.columns],
        fontsize=FONT_PT - 1.5,
        rotation=40,
        ha="left",
        rotation_mode="anchor",
    )
    ax.xaxis.tick_top()
    ax.set_yticks(range(n_rows))
    ax.set_yticklabels(row_names, fontsize=FONT_PT - 1)
    ax.grid(False)
    ax.spines[:].set_visible(False)
    # a number in a cell only when the cell is wide and tall enough for it
    cell_w_pt = (1 - label_share) * width * 72 / max(n_cols, 1)
    if cell_w_pt >= 26 and cell_h * 72 >= FONT_PT + 2:
        for i in range(n_rows):
            for j in range(n_cols):
                v = vals[i, j]
                if np.isfinite(v):
                    dark = abs(v - center) > 0.6 * dev
                    ax.text(
                        j,
                        i,
                        fmt.number(v, 2, bahasa),
                        ha="center",
                        va="center",
                        fontsize=FONT_PT - 2,
                        color="white" if dark else "#1d2733",
                    )
    # the colour bar under the cells, placed by the layout (an inset in axes units
    # collapsed the layout of a one-row heatmap: a document of one OPD)
    cb = fig.colorbar(im, ax=ax, location="bottom", shrink=0.84, aspect=30, pad=0.03)
    ticks = MaxNLocator(5).tick_values(center - dev, center + dev)
    cb.set_ticks([t for t in ticks if center - dev <= t <= center + dev])
    cb.ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt.number(v, 2, bahasa)))
    cb.ax.tick_params(labelsize=FONT_PT - 1.5)
    cb.set_label(
        "Skor rata-rata (1–5)" if bahasa == "id" else "Mean score (1–5)", fontsize=FONT_PT - 1
    )
    return _finish(fig, title, width)


# ----------------------------------------------------------------------------- generic


@renamed_keywords(kategori="category", nilai="value", kelompok="group", judul="title", label_nilai="x_label", lebar="width", persen="percent", batas="limits", desimal="decimals")  # fmt: skip
def plot_bars(
    data: pd.DataFrame,
    *,
    category: str,
    value: str,
    group: str | None = None,
    title: str = "",
    x_label: str = "",
    bahasa: str = "id",
    width: float = PAGE_WIDTH,
    percent: bool = False,
    limits: tuple[float, float] | None = None,
    decimals: int = 1,
) -> Figure:
    """Horizontal bars of ``value`` per ``category`` (side by side per ``group``).

    Bars start at the lower bound of ``limits`` (default 0 — bars always start at the
    scale's bottom, so lengths compare); ``percent``: values are fractions shown as
    percentages. Category names are wrapped beside the bars; categorical keys are
    written with the label registry.
    """
    require_columns(data, [category, value] + ([group] if group else []), "plot_bars")
    if len(data) == 0:
        raise ValueError("plot_bars: empty table, nothing to draw")
    d = data.copy()
    d[category] = [value_label(v, bahasa) for v in d[category]]
    cats = list(pd.unique(d[category]))
    groups = list(pd.unique(d[group])) if group else [None]
    chars = _chars_per_line(width, 0.34)
    names = [wrap(c, chars, MAX_LABEL_LINES) for c in cats]
    lines = sum(x.count("\n") + 1 for x in names)
    bar_h = 0.8 / len(groups)
    height = min(
        MAX_HEIGHT,
        1.3 + 0.2 * lines + 0.22 * len(cats) * len(groups) ** 0.5 + (0.35 if group else 0),
    )
    fig = plt.figure(figsize=(width, height), layout="constrained")
    ax = fig.add_subplot()
    palette = [_BIRU, "#e07b39", "#7fb77e", _ABU]
    y = np.arange(len(cats), dtype=float)
    for i, g in enumerate(groups):
        sub = d if g is None else d[d[group] == g]
        vals = sub.set_index(category)[value].reindex(cats).to_numpy(dtype=float)
        off = (i - (len(groups) - 1) / 2) * bar_h
        ax.barh(
            y + off,
            np.nan_to_num(vals),
            height=bar_h * 0.92,
            color=palette[i % 4],
            label=None if g is None else value_label(g, bahasa),
        )
    ax.set_yticks(y)
    ax.set_yticklabels(names)
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    lo = limits[0] if limits else 0.0
    hi = limits[1] if limits else float(np.nanmax(pd.to_numeric(d[value], errors="coerce"))) * 1.08
    hi = hi if hi > lo else lo + 1
    ax.set_xlim(lo, hi)
    d_ticks = 0 if percent else decimals
    widest = max(
        len(fmt.percent(hi, 0, bahasa) if percent else fmt.number(hi, d_ticks, bahasa)),
        len(fmt.number(lo, d_ticks, bahasa)),
    )
    _value_ticks(ax, width, 0.6, lo, hi, widest, 10.0 ** -(d_ticks + (2 if percent else 0)))
    _number_axis(ax, bahasa, "x", d_ticks, percent=percent)
    if x_label:
        ax.set_xlabel(x_label)
    if group:
        entries = [value_label(g, bahasa) for g in groups]
        ax.legend(
            frameon=False,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.14 if x_label else -0.08),
            ncol=_legend_columns(entries, width),
        )
    return _finish(fig, title, width)


@renamed_keywords(judul="title", label_y="y_label", lebar="width", batas="limits", persen="percent")
def plot_trend(
    data: pd.DataFrame,
    *,
    y: str | Sequence[str],
    title: str = "",
    y_label: str | Sequence[str] = "",
    bahasa: str = "id",
    width: float = PAGE_WIDTH,
    min_span: float | Sequence[float] = 1.0,
    limits: tuple[float | None, float | None] | Sequence[tuple[float | None, float | None]] = (
        None,
        None,
    ),
    percent: bool | Sequence[bool] = False,
    x: str = "periode",
) -> Figure:
    """One small line chart per column of ``y`` over the periods in ``x``.

    Each value axis spans at least ``min_span`` of its scale within ``limits``
    (:func:`honest_limits`), so a flat series looks flat; ``percent``: fractions shown
    as percentages. Period codes are written as short two-line ticks
    (:func:`period_tick`).
    """
    ys = [y] if isinstance(y, str) else list(y)
    n = len(ys)

    labels = [y_label] * n if isinstance(y_label, str) else list(y_label)
    spans = [min_span] * n if isinstance(min_span, int | float) else list(min_span)
    bounds = (
        [limits] * n
        if (
            isinstance(limits, tuple)
            and len(limits) == 2
            and not isinstance(limits[0], tuple | list)
        )
        else list(limits)
    )
    pcts = [percent] * n if isinstance(percent, bool) else list(percent)
    d = data.reset_index(drop=True)
    xs = np.arange(len(d))
    fig = plt.figure(figsize=(width, min(MAX_HEIGHT, 0.5 + 1.9 * n)), layout="constrained")
    axes = fig.subplots(n, 1, sharex=True, squeeze=False)[:, 0]
    for ax, col, lab, span, bnd, pct in zip(axes, ys, labels, spans, bounds, pcts, strict=True):
        vals = pd.to_numeric(d[col], errors="coerce").to_numpy(dtype=float)
        ax.plot(xs, vals, marker="o", color=_BIRU, lw=1.8, ms=4.5)
        lo, hi = honest_limits(vals, min_span=span, lower=bnd[0], upper=bnd[1])
        ax.set_ylim(lo, hi)
        ax.yaxis.set_major_locator(MaxNLocator(4))
        dec = _decimals_for(lo * (100 if pct else 1), hi * (100 if pct else 1))
        _number_axis(ax, bahasa, "y", dec, percent=pct)
        ax.set_title(wrap(lab, _chars_per_line(width, 0.95)), fontsize=FONT_PT, fontweight="normal")
    axes[-1].set_xticks(xs)
    step = 1 if len(xs) <= 8 or width >= PAGE_WIDTH else 2
    axes[-1].set_xticklabels(
        [period_tick(p, bahasa) if i % step == 0 else "" for i, p in enumerate(d[x])]
    )
    return _finish(fig, title, width)


# ----------------------------------------------------------------------------- pages


def _part(judul: str, i: int, n: int, bahasa: str) -> str:
    if n == 1 or not judul:
        return judul
    return f"{judul} ({'bagian' if bahasa == 'id' else 'part'} {i}/{n})"


@renamed_keywords(judul="title", lebar="width", urutan="order")
def plot_predikat_pages(
    predikat_opd: pd.DataFrame,
    *,
    title: str = "",
    bahasa: str = "id",
    width: float = PAGE_WIDTH,
    order: Sequence[str] | None = None,
    per_figure: int = 18,
    deferred: bool = False,
) -> list[Figure] | list[Callable[[], Figure]]:
    """:func:`plot_predikat_distribution` per OPD, split into figures of at most
    ``per_figure`` OPDs (each fits a page), in ``order`` (default: by name).

    ``predikat_opd``: ``opd, predikat, persen`` (:func:`kinerja_analysis.reporting.tables.predikat_by_opd`).
    Drawn for a phone (``width`` below :data:`PAGE_WIDTH`), half as many OPDs per figure.
    ``deferred``: one call per part that makes its figure, instead of the figures
    (:func:`figure_parts`).
    """
    require_columns(predikat_opd, ["opd", "predikat", "persen"], "plot_predikat_pages")
    order = list(order) if order is not None else sorted(pd.unique(predikat_opd["opd"]))
    parts = chunks(order, per_figure if width >= PAGE_WIDTH else max(1, per_figure // 2))
    makers = []
    for i, part in enumerate(parts, start=1):
        d = predikat_opd[predikat_opd["opd"].isin(part)].rename(columns={"opd": "kelompok"})
        d = d.assign(_o=d["kelompok"].map({o: j for j, o in enumerate(part)})).sort_values("_o")
        makers.append(
            functools.partial(
                plot_predikat_distribution,
                d.drop(columns="_o"),
                title=_part(title, i, len(parts), bahasa),
                bahasa=bahasa,
                width=width,
            )
        )
    return _made(makers, deferred)


def _made(
    makers: list[Callable[[], Figure]], deferred: bool
) -> list[Figure] | list[Callable[[], Figure]]:
    """The parts of a figure: the calls that make them when ``deferred``, else made."""
    return makers if deferred else [make() for make in makers]


@renamed_keywords(profil="profile")
def profile_scale(profile: pd.DataFrame) -> tuple[float, float] | None:
    """The colour scale of BerAKHLAK heatmaps: ``(centre, half-width)`` = the mean of
    every cell of ``profile`` (``opd, dimensi, rerata``) and the largest distance from it;
    ``None`` when no cell has a value. Computed on the whole city and given to the
    heatmap of one OPD, so that a colour means the same in every document of a period.
    """
    vals = pd.to_numeric(profile["rerata"], errors="coerce")
    if not vals.notna().any():
        return None
    center = float(vals.mean())
    return center, float((vals - center).abs().max())


@renamed_keywords(profil="profile", judul="title", lebar="width", skala="scale")
def plot_opd_profile_pages(
    profile: pd.DataFrame,
    *,
    title: str = "",
    bahasa: str = "id",
    width: float = PAGE_WIDTH,
    per_figure: int = 18,
    scale: tuple[float, float] | None = None,
    deferred: bool = False,
) -> list[Figure] | list[Callable[[], Figure]]:
    """:func:`plot_opd_profile` split into figures of at most ``per_figure`` OPDs (half as
    many for a phone) that share one colour scale: ``scale`` (:func:`profile_scale` of a
    wider table, e.g. the whole city for one OPD's document), else the scale of
    ``profile`` itself; and one row height, so that parts of equal length are equally
    tall. ``deferred``: one call per part that makes its figure, instead of the figures
    (:func:`figure_parts`)."""
    require_columns(profile, ["opd", "dimensi", "rerata"], "plot_opd_profile_pages")
    center, half_width = scale or profile_scale(profile) or (None, None)
    names = sorted(pd.unique(profile["opd"]))
    per = per_figure if width >= PAGE_WIDTH else max(1, per_figure // 2)
    # one row height for every part (the longest wrapped name's), and no more rows than
    # fit the page at that height
    row_h = _heatmap_row_height(names, width)
    per = max(1, min(per, int((MAX_HEIGHT - _HEATMAP_EXTRA) / row_h)))
    parts = chunks(names, per)
    makers = [
        functools.partial(
            plot_opd_profile,
            profile[profile["opd"].isin(part)],
            title=_part(title, i, len(parts), bahasa),
            bahasa=bahasa,
            width=width,
            center=center,
            half_width=half_width,
            row_height=row_h,
        )
        for i, part in enumerate(parts, start=1)
    ]
    return _made(makers, deferred)


#: Headline indicators and their scales: smallest honest span of the value axis, the
#: scale's bounds, and whether the value is a fraction shown as a percentage.
HEADLINE_SCALES: dict[str, tuple[float, tuple[float, float], bool]] = {
    "capaian_rerata": (10.0, (0.0, 120.0), False),
    "perilaku_rerata": (1.0, (1.0, 5.0), False),
    "ikm_rerata": (10.0, (25.0, 100.0), False),
    "pct_jp_di_bawah_20": (0.2, (0.0, 1.0), True),
}


@renamed_keywords(lintas="summary", judul="title", lebar="width")
def plot_headline_trends(
    summary: pd.DataFrame, *, title: str = "", bahasa: str = "id", width: float = PAGE_WIDTH
) -> Figure:
    """:func:`plot_trend` of the headline indicators of
    :func:`kinerja_analysis.reporting.tables.cross_period_summary` present in ``summary``,
    each on its own honest scale (:data:`HEADLINE_SCALES`)."""
    cols = [c for c in HEADLINE_SCALES if c in summary.columns and summary[c].notna().any()]
    if not cols:
        raise ValueError("plot_headline_trends: no headline figures to draw")
    return plot_trend(
        summary,
        y=cols,
        y_label=[column_label(c, bahasa) for c in cols],
        min_span=[HEADLINE_SCALES[c][0] for c in cols],
        limits=[HEADLINE_SCALES[c][1] for c in cols],
        percent=[HEADLINE_SCALES[c][2] for c in cols],
        title=title,
        bahasa=bahasa,
        width=width,
    )


def _renamed_plot_keywords() -> dict[str, str]:
    """Every plot function's old keyword → its new name (one meaning each)."""
    out: dict[str, str] = {}
    for fn in list(globals().values()):
        for old, new in getattr(fn, "__renamed_keywords__", {}).items():
            if out.setdefault(old, new) != new:
                raise TypeError(f"plot keyword {old!r} renamed to both {out[old]!r} and {new!r}")
    return out


#: Old keywords of the plot functions → new names, for the functions that pass a plot's
#: keywords on (:meth:`kinerja_analysis.reporting.notebook.ReportSession.figure`), so that
#: an old keyword warns at the line that wrote it. For one release.
RENAMED_KEYWORDS = _renamed_plot_keywords()


def figure_parts(plot: Callable[..., object]) -> Callable[..., list[Callable[[], Figure]]] | None:
    """For a plot function that splits a long list into several figures and can return
    them deferred (:func:`plot_predikat_pages`, :func:`plot_opd_profile_pages`: a
    ``deferred`` keyword): that function returning one call per part that makes it;
    ``None`` for any other plot.

    A report draws its figures in several processes
    (:func:`kinerja_analysis.reporting.notebook.figure_pngs`): with the parts as calls,
    each process both makes and draws its share, instead of this process making every
    part first. ``[make() for make in figure_parts(p)(...)]`` is ``p(...)``.

    >>> figure_parts(plot_predikat_pages) is not None, figure_parts(plot_bars)
    (True, None)
    """
    try:
        takes = "deferred" in inspect.signature(plot).parameters
    except (TypeError, ValueError):  # a callable without a signature
        return None
    return functools.partial(plot, deferred=True) if takes else None
