"""Shared analyses: same data + same parameters → same numbers; cache round trip."""

from __future__ import annotations

import pandas as pd
import pytest

from kinerja_analysis.analyses.shared import _FRAMES, compute_shared, load_shared, save_shared
from kinerja_analysis.reporting.facts import period_facts


@pytest.fixture(scope="module")
def ds(city_300):
    return city_300.ds


def test_same_inputs_same_numbers(ds, tmp_path) -> None:
    a = compute_shared(ds, seed=7, n_boot=99)
    b = compute_shared(ds, seed=7, n_boot=99)
    for name in _FRAMES:
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None) == (y is None), name
        if x is not None:
            pd.testing.assert_frame_equal(x, y, obj=name)
    # stored and reloaded, the facts of a period are the same
    folder = save_shared(a, tmp_path / "bersama")
    c = load_shared(folder)
    fa = period_facts(ds, a, ds.periods[-1], date=pd.Timestamp("2026-11-28").date())
    fc = period_facts(ds, c, ds.periods[-1], date=pd.Timestamp("2026-11-28").date())
    assert [e.estimate for e in fa.efek] == pytest.approx([e.estimate for e in fc.efek])
    pd.testing.assert_frame_equal(fa.distribusi_predikat, fc.distribusi_predikat)


def test_unknown_period_is_named(ds) -> None:
    h = compute_shared(ds, seed=7, n_boot=99, reliability=False)
    with pytest.raises(ValueError, match="2031Q1"):
        period_facts(ds, h, "2031Q1")
