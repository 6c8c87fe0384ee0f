"""Figures: each function returns a Figure with the data drawn, and checks its input."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from kinerja_analysis.reporting import plots
from kinerja_analysis.reporting.plots import (
    plot_coefficients,
    plot_event_study,
    plot_opd_profile,
    plot_predikat_distribution,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_event_study_draws_every_event_time() -> None:
    e = np.arange(-3, 4)
    d = pd.DataFrame(
        {
            "event_time": e,
            "estimate": 0.1 * e.clip(0),
            "ci_low": -0.2 + 0.1 * e.clip(0),
            "ci_high": 0.2 + 0.1 * e.clip(0),
            "cband_low": -0.3,
            "cband_high": 0.5,
        }
    )
    fig = plot_event_study(d, title="Uji")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert [t for t in ax.get_xticks()] == list(e)
    assert len(ax.collections[-1].get_offsets()) == len(e)  # the points
    assert "," in ax.yaxis.get_major_formatter()(0.5, 0)  # Indonesian decimal comma


def test_coefficient_plot_and_bad_input() -> None:
    d = pd.DataFrame(
        {"term": ["a", "b"], "estimate": [1.0, -0.2], "ci_low": [0.5, -0.6], "ci_high": [1.5, 0.2]}
    )
    fig = plot_coefficients(d)
    assert {t.get_text() for t in fig.axes[0].get_yticklabels()} == {"a", "b"}
    with pytest.raises(ValueError, match="ci_low"):
        plot_coefficients(d.drop(columns=["ci_low"]))


def test_predikat_and_heatmap() -> None:
    dist = pd.DataFrame(
        {
            "kelompok": ["X", "X", "Y"],
            "predikat": ["Baik", "Sangat Baik", "Baik"],
            "persen": [0.8, 0.2, 1.0],
        }
    )
    fig = plot_predikat_distribution(dist)
    assert len(fig.axes[0].patches) == 2 * 5  # two groups x five predikat
    prof = pd.DataFrame(
        {
            "opd": ["A", "A", "B"],
            "dimensi": ["loyal", "adaptif", "loyal"],
            "rerata": [3.9, 3.5, np.nan],
        }
    )
    fig = plot_opd_profile(prof)
    assert isinstance(fig, Figure)


# ----------------------------------------------------------------------------- house rules

OPD_NAMES = [
    "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
    "Dinas Pemberdayaan Perempuan dan Perlindungan Anak",
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Sosial",
    "Inspektorat",
] * 3


def _texts(fig):
    """Every text matplotlib draws, with its box; tick labels of ticks outside an
    axis's view limits exist as objects but are not drawn, so they are left out."""
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    undrawn = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            eps = 1e-9 * max(1.0, abs(hi - lo))
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not lo - eps <= tick.get_loc() <= hi + eps:
                    undrawn.update({id(tick.label1), id(tick.label2)})
    out = []
    for t in fig.findobj(plt.Text):
        if t.get_visible() and t.get_text().strip() and id(t) not in undrawn:
            out.append((t, t.get_window_extent(r)))
    return out


def _overlaps(boxes):
    bad = []
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            a, b = boxes[i][1], boxes[j][1]
            if a.overlaps(b) and a.intersection(a, b).width > 1 and a.intersection(a, b).height > 1:
                bad.append((boxes[i][0].get_text(), boxes[j][0].get_text()))
    return bad


def test_honest_limits_keep_a_flat_line_flat():
    from kinerja_analysis.reporting.plots import honest_limits

    lo, hi = honest_limits([3.800, 3.815, 3.81], min_span=1.0, lower=1.0, upper=5.0)
    assert hi - lo == pytest.approx(1.0) and lo <= 3.8 and hi >= 3.815
    # at a scale's bound the window shifts inwards, never below the bound
    assert honest_limits([0.01, 0.02], min_span=0.2, lower=0.0, upper=1.0) == (0.0, 0.2)
    # a series that moves more than the minimum keeps its own range (plus a margin)
    lo, hi = honest_limits([60.0, 90.0], min_span=10.0)
    assert lo < 60 and hi > 90 and hi - lo < 40


def test_trend_axis_in_the_documents_language_and_honest():
    from kinerja_analysis.reporting.plots import plot_trend

    d = pd.DataFrame({"periode": ["2025Q1", "2025Q2", "2025Q3"], "skor": [3.80, 3.81, 3.815]})
    fig = plot_trend(d, y="skor", y_label="Skor", min_span=1.0, limits=(1.0, 5.0))
    ax = fig.axes[0]
    lo, hi = ax.get_ylim()
    assert hi - lo >= 1.0 - 1e-9  # 0,015 of movement is not drawn as a rise
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert labels and all("." not in x for x in labels) and any("," in x for x in labels)
    assert [t.get_text() for t in ax.get_xticklabels()][0] == "TW I\n2025"
    en = plot_trend(d, y="skor", y_label="Score", min_span=1.0, limits=(1, 5), bahasa="en")
    assert any("." in t.get_text() for t in en.axes[0].get_yticklabels())


@pytest.mark.parametrize("lebar", [6.3, 3.6])
def test_heatmap_labels_never_overlap(lebar):
    rng = np.random.default_rng(1)
    dims = ["berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif",
            "kolaboratif"]  # fmt: skip
    names = [f"{n} {i}" for i, n in enumerate(OPD_NAMES)]
    prof = pd.DataFrame(
        [(o, d, 3.5 + rng.normal(0, 0.1)) for o in names for d in dims],
        columns=["opd", "dimensi", "rerata"],
    )
    from kinerja_analysis.reporting.plots import plot_opd_profile_pages

    for fig in plot_opd_profile_pages(prof, title="Skor perilaku", width=lebar):
        ax = fig.axes[0]
        fig.canvas.draw()
        r = fig.canvas.get_renderer()
        rows = [(t, t.get_window_extent(r)) for t in ax.get_yticklabels() if t.get_text()]
        assert not _overlaps(rows)
        # slanted column names: the distance between neighbouring baselines exceeds a line
        cols = [t for t in ax.get_xticklabels() if t.get_text()]
        xs = [ax.transData.transform((t.get_position()[0], 0))[0] for t in cols]
        gap = min(b - a for a, b in zip(xs, xs[1:], strict=False))
        angle = np.deg2rad(cols[0].get_rotation())
        line = cols[0].get_fontsize() * fig.dpi / 72 * 1.2
        assert gap * np.sin(angle) >= line
        # dimension names are words, not keys
        assert "Berorientasi Pelayanan" in [t.get_text() for t in ax.get_xticklabels()]
        # every text fits inside the figure (nothing cut at its edge)
        w, h = fig.canvas.get_width_height()
        for t, box in _texts(fig):
            assert box.x0 >= -1 and box.x1 <= w + 1, t.get_text()


@pytest.mark.parametrize("lebar", [6.3, 3.6])
def test_predikat_rows_with_long_names_do_not_collide(lebar):
    from kinerja_analysis.reporting.plots import plot_predikat_pages

    rows = [
        (f"{o} {i}", p, v)
        for i, o in enumerate(OPD_NAMES)
        for p, v in zip(
            ["Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang"],
            [0.1, 0.7, 0.1, 0.05, 0.05],
            strict=True,
        )
    ]
    d = pd.DataFrame(rows, columns=["opd", "predikat", "persen"])
    figs = plot_predikat_pages(d, title="Sebaran predikat", width=lebar, bahasa="en")
    assert len(figs) == (1 if lebar > 5 else 2)
    for fig in figs:
        w, h = fig.canvas.get_width_height()
        assert h / fig.dpi <= 8.6 + 1e-6  # fits a page with its heading
        texts = _texts(fig)
        names = [(t, b) for t, b in texts if t.get_text().startswith(("Badan", "Dinas", "Insp"))]
        assert not _overlaps(names)
        bars = [p.get_window_extent() for p in fig.axes[0].patches]
        for t, b in names:  # no name is drawn over a bar
            assert not any(b.overlaps(x) and b.intersection(b, x).height > 1 for x in bars), t
        for t, b in texts:
            assert b.x1 <= w + 1, t.get_text()
        legend = [t.get_text() for t in fig.legends[0].get_texts()]
        assert "Very Good" in legend and "Sangat Baik" not in legend


def test_every_text_is_legible_on_a_phone():
    """At phone width (3.6 in shown at about 360 px) no text is below 7 pt (≈ 9 px)."""
    from kinerja_analysis.reporting.plots import PHONE_WIDTH, plot_bars

    d = pd.DataFrame({"jenis": ["teknis", "sosial_kultural"], "jp_total": [1200.0, 800.0]})
    fig = plot_bars(d, category="jenis", value="jp_total", title="JP", width=PHONE_WIDTH)
    texts = _texts(fig)
    assert min(t.get_fontsize() for t, _ in texts) >= 7
    names = [t.get_text().replace("\n", " ") for t in fig.axes[0].get_yticklabels()]
    assert "Sosial kultural" in names
    assert fig.axes[0].get_xlim()[0] == 0  # bars start at zero


@pytest.mark.parametrize("lebar", ["phone", "page"])
def test_bar_axis_and_legend_fit_at_every_width(lebar):
    """Five-digit totals on a phone: the value ticks do not run into each other and the
    legend (two long group names) stays inside the figure."""
    from kinerja_analysis.reporting.plots import PAGE_WIDTH, PHONE_WIDTH, plot_bars

    w = PHONE_WIDTH if lebar == "phone" else PAGE_WIDTH
    d = pd.DataFrame(
        {
            "jenis": ["teknis", "teknis", "manajerial", "manajerial"],
            "sumber": ["difasilitasi", "mandiri"] * 2,
            "jp_total": [61458.0, 67964.0, 22497.0, 8239.0],
        }
    )
    fig = plot_bars(
        d, category="jenis", value="jp_total", group="sumber", decimals=0, title="JP", width=w
    )
    ax = fig.axes[0]
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    lo, hi = ax.get_xlim()
    ticks = [
        (t, t.get_window_extent(r))
        for t, v in zip(ax.get_xticklabels(), ax.get_xticks(), strict=True)
        if lo <= v <= hi and t.get_text()
    ]
    assert len(ticks) >= 2
    gaps = [b[1].x0 - a[1].x1 for a, b in zip(ticks, ticks[1:], strict=False)]
    assert min(gaps) > 4, [t.get_text() for t, _ in ticks]
    box = fig.bbox
    leg = ax.get_legend().get_window_extent(r)
    assert box.x0 <= leg.x0 and leg.x1 <= box.x1 + 0.5, (leg, box)


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_event_study_every_text_inside_the_phone_figure(bahasa):
    """At phone width the value-axis label is no longer than the plot is tall (it was
    cut at the figure's top edge)."""
    from kinerja_analysis.reporting.plots import PHONE_WIDTH

    e = np.arange(-6, 7)
    d = pd.DataFrame({"event_time": e, "estimate": 0.2 * e.clip(0), "ci_low": -1.0, "ci_high": 2.0})
    fig = plot_event_study(
        d,
        title="Capaian SKP sebelum dan sesudah pelatihan pertama (studi peristiwa)",
        width=PHONE_WIDTH,
        bahasa=bahasa,
    )
    box = fig.bbox
    for t, b in _texts(fig):
        assert box.y0 - 0.5 <= b.y0 and b.y1 <= box.y1 + 0.5, t.get_text()
        assert box.x0 - 0.5 <= b.x0 and b.x1 <= box.x1 + 0.5, t.get_text()


# ----------------------------------------------------------------------------- in the page


def _predikat_frame(n_opd: int) -> pd.DataFrame:
    rows = []
    for i in range(n_opd):
        for p, n in zip(("Sangat Baik", "Baik", "Butuh Perbaikan"), (5, 30, 6), strict=True):
            rows.append(
                {"opd": f"Dinas Nomor {i:02d}", "predikat": p, "n": n, "persen": 100 * n / 41}
            )
    return pd.DataFrame(rows)


def _imgs(html: str) -> list[bytes]:
    import base64
    import re

    return [base64.b64decode(b) for b in re.findall(r'src="data:image/png;base64,([^"]+)"', html)]


def test_figure_in_parts_is_drawn_once_two_per_row_on_the_page(monkeypatch):
    """A chart whose phone version comes in parts is drawn once, at phone width, and
    those parts are the figure everywhere (two per row on the page): no page version is
    drawn. A chart in one piece is drawn for the page and for the phone."""
    import io

    from kinerja_analysis.reporting.notebook import FIGURE_PROCESSES_ENV

    # one process, so that every call of the plot is seen here
    monkeypatch.setenv(FIGURE_PROCESSES_ENV, "1")

    from PIL import Image

    from kinerja_analysis.reporting import plots
    from kinerja_analysis.reporting.notebook import figure_html

    widths: list[float] = []

    def counted(*args, **kwargs):
        widths.append(kwargs["width"])
        return plots.plot_predikat_pages(*args, **kwargs)

    html = figure_html(counted, _predikat_frame(30), title="Sebaran")
    assert widths == [plots.PHONE_WIDTH]
    assert html.startswith('<div class="grafik-kisi">')
    assert "grafik-lebar" not in html and "grafik-sempit" not in html
    parts = _imgs(html)
    assert len(parts) == len(
        plots.plot_predikat_pages(_predikat_frame(30), width=plots.PHONE_WIDTH)
    )
    assert len(parts) > 1

    widths.clear()
    html = figure_html(counted, _predikat_frame(4), title="Sebaran")
    assert widths == [plots.PHONE_WIDTH, plots.PAGE_WIDTH]
    assert '<div class="grafik-lebar">' in html and '<div class="grafik-sempit">' in html
    page, phone = _imgs(html)
    # opaque RGB at the document's resolution, each at its own width
    for png, lebar in ((page, plots.PAGE_WIDTH), (phone, plots.PHONE_WIDTH)):
        im = Image.open(io.BytesIO(png))
        assert im.mode == "RGB"
        assert im.size[0] == pytest.approx(lebar * plots.DPI, abs=2)


@pytest.mark.parametrize("rows", [30, 4])
def test_figures_are_made_where_they_are_drawn_and_the_html_is_the_same(monkeypatch, rows):
    """With two processes, each makes the parts it draws (this process makes only its
    share) and the page version of a one-piece chart is made by the other process; the
    HTML is byte for byte what one process makes."""
    from kinerja_analysis.reporting import notebook, plots
    from kinerja_analysis.reporting.notebook import FIGURE_PROCESSES_ENV, figure_html

    made: list[float] = []
    real = plots.plot_predikat_distribution

    def counted(*args, **kwargs):
        made.append(kwargs["width"])
        return real(*args, **kwargs)

    monkeypatch.setattr(plots, "plot_predikat_distribution", counted)
    html = {}
    for n in ("1", "2"):
        monkeypatch.setenv(FIGURE_PROCESSES_ENV, n)
        made.clear()
        html[n] = figure_html(plots.plot_predikat_pages, _predikat_frame(rows), title="Sebaran")
        html[n + "made"] = list(made)
    assert html["1"] == html["2"]
    n_parts = len(plots.plot_predikat_pages(_predikat_frame(rows), width=plots.PHONE_WIDTH))
    if n_parts > 1:  # the parts: made here only for this process's share (0, 2, 4 …)
        assert html["1made"] == [plots.PHONE_WIDTH] * n_parts
        assert html["2made"] == [plots.PHONE_WIDTH] * len(range(0, n_parts, 2))
    else:  # one piece: the phone version here, the page version in the other process
        assert html["1made"] == [plots.PHONE_WIDTH, plots.PAGE_WIDTH]
        assert html["2made"] == [plots.PHONE_WIDTH]
    assert notebook.figure_processes() == 2


def test_figure_parts_make_the_same_figures_as_the_pages_functions():
    """``[make() for make in figure_parts(p)(...)]`` draws what ``p(...)`` draws."""
    from kinerja_analysis.reporting import plots
    from kinerja_analysis.reporting.notebook import figure_png

    prof = pd.DataFrame(
        [(f"OPD {i:02d}", d, 3.0 + 0.01 * i + 0.1 * j)
         for i in range(25) for j, d in enumerate(["berorientasi_pelayanan", "akuntabel"])],
        columns=["opd", "dimensi", "rerata"],
    )  # fmt: skip
    cases = [
        (plots.plot_predikat_pages, _predikat_frame(30)),
        (plots.plot_opd_profile_pages, prof),
    ]
    for fn, data in cases:
        for width in (plots.PHONE_WIDTH, plots.PAGE_WIDTH):
            whole = [figure_png(f) for f in fn(data, title="T", width=width)]
            parts = [figure_png(m()) for m in plots.figure_parts(fn)(data, title="T", width=width)]
            assert len(whole) > 1 and parts == whole


def test_pdf_input_leaves_out_the_phone_figures():
    """The phone version of a figure is hidden on paper; the PDF is made without it (its
    image is not embedded), while a figure in parts prints every part."""
    import io

    from pypdf import PdfReader

    from kinerja_analysis.reporting import plots
    from kinerja_analysis.reporting.export import pdf_bytes
    from kinerja_analysis.reporting.notebook import figure_html

    one = figure_html(plots.plot_predikat_pages, _predikat_frame(4), title="Satu")
    parts = figure_html(plots.plot_predikat_pages, _predikat_frame(30), title="Bagian")
    n_parts = len(_imgs(parts))
    html = f"<html><head><title>t</title></head><body>{one}{parts}</body></html>"
    reader = PdfReader(io.BytesIO(pdf_bytes(html)))
    # distinct embedded images (WeasyPrint may list every image in each page's resources)
    embedded = {img.data for page in reader.pages for img in page.images}
    assert len(embedded) == 1 + n_parts


def test_figures_carry_their_title_as_text_alternative():
    """Every chart image has a text alternative for screen readers: the given ``alt``,
    else the figure's title, numbered on the parts of a figure; escaped."""
    import re

    from kinerja_analysis.reporting import plots
    from kinerja_analysis.reporting.notebook import figure_html

    judul = 'Sebaran "predikat" <per> OPD'
    parts = figure_html(plots.plot_predikat_pages, _predikat_frame(30), title=judul)
    alts = re.findall(r'alt="([^"]*)"', parts)
    n = len(alts)
    assert n > 1
    assert alts == [
        f"Sebaran &quot;predikat&quot; &lt;per&gt; OPD ({i}/{n})" for i in range(1, n + 1)
    ]
    one = figure_html(plots.plot_predikat_pages, _predikat_frame(3), title="Satu", alt="Teks")
    assert re.findall(r'alt="([^"]*)"', one) == ["Teks", "Teks"]  # page and phone versions
    # the old keyword (judul=) still titles the figure and its text alternative, and
    # warns once, at the line that wrote it (not inside the package, once per version)
    with pytest.warns(DeprecationWarning, match="judul") as rec:
        old = figure_html(plots.plot_predikat_pages, _predikat_frame(3), judul="Lama")
    assert re.findall(r'alt="([^"]*)"', old) == ["Lama", "Lama"]
    assert [(w.filename, "plot_predikat_pages()" in str(w.message)) for w in rec] == [
        (__file__, True)
    ]


@pytest.mark.parametrize("lebar", ["page", "phone"])
def test_one_opd_heatmap_and_bars_keep_their_layout(lebar):
    """The figures of a one-OPD document: the heatmap of one row keeps its layout (column
    names inside the figure, a colour bar) and takes the scale it is given (the city's);
    the predikat legend of one bar stays clear of the axis labels."""
    import warnings

    from kinerja_analysis.data.contract import BERAKHLAK
    from kinerja_analysis.reporting.plots import (
        PAGE_WIDTH,
        PHONE_WIDTH,
        plot_opd_profile_pages,
        plot_predikat_pages,
        profile_scale,
    )

    w = PHONE_WIDTH if lebar == "phone" else PAGE_WIDTH
    dims = list(BERAKHLAK)
    one = pd.DataFrame(
        {"opd": "Dinas Kesehatan", "dimensi": dims, "rerata": np.linspace(3.57, 3.67, 7)}
    )
    city = pd.concat([one, one.assign(opd="Dinas Lain", rerata=one["rerata"] - 0.3)])
    skala = profile_scale(city)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "constrained_layout not applied" is a warning
        (fig,) = plot_opd_profile_pages(one, title="Skor perilaku", width=w, scale=skala)
        fig.canvas.draw()
    assert fig.axes[0].images[0].get_clim() == pytest.approx(
        (skala[0] - skala[1], skala[0] + skala[1])
    )
    assert len(fig.axes) == 2  # the heatmap and its colour bar
    box = fig.bbox
    for t in fig.axes[0].get_xticklabels():
        bb = t.get_window_extent()
        assert bb.y1 <= box.y1 + 1 and bb.x0 >= box.x0 - 1, t.get_text()

    bars = _predikat_frame(1)
    (fig,) = plot_predikat_pages(bars, title="Sebaran", width=w)
    fig.canvas.draw()
    legend = fig.legends[0].get_window_extent()
    for t in fig.axes[0].get_xticklabels():
        assert not legend.overlaps(t.get_window_extent()), t.get_text()


def test_heatmap_parts_share_one_row_height():
    """Parts of one heatmap have the same row height (the longest wrapped name's in the
    whole table), so two parts of equal length stand equally tall side by side."""
    from kinerja_analysis.reporting.plots import PHONE_WIDTH, plot_opd_profile_pages

    dims = ["berorientasi_pelayanan", "akuntabel", "kompeten"]
    names = [f"Dinas {i:02d}" for i in range(16)]
    names[2] = "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah"
    prof = pd.DataFrame(
        [(o, d, 3.5 + 0.01 * i) for i, o in enumerate(names) for d in dims],
        columns=["opd", "dimensi", "rerata"],
    )
    figs = plot_opd_profile_pages(prof, title="Skor", width=PHONE_WIDTH)
    assert len(figs) == 2
    sizes = {tuple(f.get_size_inches()) for f in figs}
    assert len(sizes) == 1  # both parts hold 8 OPDs: equally tall, long name or not


def test_wrap_cuts_a_very_long_name_into_lines_that_fit():
    """A 20,000-character name without spaces is cut into lines no wider than the
    budget, each as full as it can be (the cut is searched, not scanned per character)."""
    from kinerja_analysis.reporting.markup import text_width
    from kinerja_analysis.reporting.plots import _WRAP_MARGIN, wrap

    budget = 20 * 0.62 * 10 * _WRAP_MARGIN
    lines = wrap("W" * 20_000, 20).split("\n")
    assert "".join(lines) == "W" * 20_000
    assert all(text_width(ln, size=10) <= budget for ln in lines)
    assert all(text_width(ln + "W", size=10) > budget for ln in lines[:-1])


MATH_NAMES = ["Dinas $\\alpha_{$ Kesehatan", "Badan $x$ dan $y^2$", "Kantor \\$ {{ 7*7 }} $"]


@pytest.mark.parametrize("parse_math", [True, False])
@pytest.mark.parametrize("processes", [1, 2])
def test_dollar_signs_in_names_are_text_not_mathtext(parse_math, processes, monkeypatch):
    """An OPD name is data: a ``$`` in it never starts matplotlib's mathtext (an unbalanced
    one made the figure, and so the report, fail), whatever the session's rcParams, in
    this process or in a forked child."""
    import matplotlib as mpl
    from matplotlib.text import Text

    from kinerja_analysis.reporting import plots
    from kinerja_analysis.reporting.notebook import (
        FIGURE_PROCESSES_ENV,
        figure_html,
        figure_png,
    )

    monkeypatch.setenv(FIGURE_PROCESSES_ENV, str(processes))
    frame = _predikat_frame(3)
    frame["opd"] = frame["opd"].map(dict(zip(frame["opd"].unique(), MATH_NAMES, strict=True)))
    with mpl.rc_context({"text.parse_math": parse_math}):
        assert _imgs(figure_html(plots.plot_predikat_pages, frame, title=MATH_NAMES[0]))
        bars = frame.drop_duplicates("opd")
        assert _imgs(figure_html(plots.plot_bars, bars, category="opd", value="n"))
        fig = plots.plot_bars(bars, category="opd", value="n", title=MATH_NAMES[1])
        texts = fig.findobj(Text)
        figure_png(fig)
    assert not [t.get_text() for t in texts if t.get_parse_math() and "$" in t.get_text()]


HUGE = "Badan " + "Sangat Panjang Sekali " * 150  # 3,306 characters, as an export may hold


@pytest.mark.parametrize("lebar", [6.3, 3.6])
def test_a_huge_name_is_cut_short_and_collides_with_nothing(lebar):
    """A name of thousands of characters is drawn in a few lines ending with "…" (the
    tables keep it whole): its label used to run over the other names, the bars and
    the title."""
    from kinerja_analysis.reporting.plots import (
        MAX_LABEL_LINES,
        plot_bars,
        plot_opd_profile_pages,
        plot_predikat_pages,
    )

    names = [HUGE, *OPD_NAMES[:4]]
    rows = [
        (o, p, v)
        for o in names
        for p, v in zip(["Sangat Baik", "Baik", "Butuh Perbaikan"], [0.2, 0.7, 0.1], strict=True)
    ]
    predikat = pd.DataFrame(rows, columns=["opd", "predikat", "persen"])
    prof = pd.DataFrame(
        [(o, d, 3.5) for o in names for d in ("akuntabel", "kompeten", "loyal")],
        columns=["opd", "dimensi", "rerata"],
    )
    bars = pd.DataFrame({"opd": names, "n": range(5)})
    figs = [
        *plot_predikat_pages(predikat, title="Sebaran", width=lebar),
        *plot_opd_profile_pages(prof, title="Skor", width=lebar),
        plot_bars(bars, category="opd", value="n", title="Jumlah", width=lebar),
    ]
    for fig in figs:
        texts = [(t, b) for t, b in _texts(fig) if t.get_text()]
        labels = [(t, b) for t, b in texts if t.get_text().startswith(("Badan", "Dinas"))]
        assert labels
        for t, _ in labels:
            assert t.get_text().count("\n") < MAX_LABEL_LINES
        long = [t.get_text() for t, _ in labels if t.get_text().startswith("Badan Sangat")]
        assert long and long[0].endswith("…")
        assert not _overlaps(texts), fig.axes[0].get_title()
        w, h = fig.canvas.get_width_height()
        for t, b in texts:
            assert b.x0 >= -1 and b.x1 <= w + 1 and b.y0 >= -1 and b.y1 <= h + 1, t.get_text()


@pytest.mark.parametrize("width", [plots.PAGE_WIDTH, plots.PHONE_WIDTH])
@pytest.mark.parametrize(
    ("limits", "decimals", "percent", "values"),
    [
        ((1, 5), 0, False, [3.2, 4.1, 2.7]),  # the survey's 1-5 scale (a tester's "2 2 3 4 5")
        ((1, 5), 1, False, [3.25, 4.1, 2.7]),
        (None, 0, True, [0.123, 0.456, 0.07]),
        (None, 0, False, [7.0, 13.0, 2.0]),
    ],
)
def test_value_ticks_print_what_they_mark(width, limits, decimals, percent, values):
    """Each tick of a bar chart's value axis is a multiple of the step its label prints,
    so no two labels read the same and none rounds away from its tick."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    d = pd.DataFrame({"k": ["a", "b", "c"], "v": values})
    fig = plots.plot_bars(
        d, category="k", value="v", limits=limits, decimals=decimals, percent=percent, width=width
    )
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    lo, hi = ax.get_xlim()
    ticks = [t for t in ax.get_xticks() if lo - 1e-9 <= t <= hi + 1e-9]
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert len(ticks) >= 2 and len(set(labels)) == len(labels), labels
    unit = 10.0 ** -(decimals + (2 if percent else 0))
    assert all(abs(t / unit - round(t / unit)) < 1e-9 for t in ticks), ticks
    plt.close(fig)
