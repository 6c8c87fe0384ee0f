"""Figures: each function returns a Figure with the data drawn, and checks its input."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

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
    fig = plot_event_study(d, judul="Uji")
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
