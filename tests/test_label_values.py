"""Labels of result frames: subgroup terms, estimation flags and sensitivity restrictions
are words in both languages, never the keys the estimators use."""

from __future__ import annotations

import pandas as pd

from kinerja_analysis.core.results import ascii_key
from kinerja_analysis.reporting.text import (
    FLAGS,
    RAW_KEY,
    column_label,
    flags_label,
    label_values,
)


def _het() -> pd.DataFrame:
    levels = [("opd", "Dinas Kesehatan"), ("relevansi", "tidak_sesuai"), ("opd", "Badan <b>X</b>")]
    return pd.DataFrame(
        {
            "term": [f"{c}={ascii_key(v)}" for c, v in levels],
            "label": [f"{c} = {v}" for c, v in levels],
            "estimate": [1.0, 2.0, 3.0],
            "subgroup": [c for c, _ in levels],
            "level": [v for _, v in levels],
            "flags": ["ps_small_cohort", "", "no_controls,ps_separation"],
        }
    )


def test_subgroup_terms_come_from_their_level_not_the_slug():
    for bahasa in ("id", "en"):
        out = label_values(_het(), bahasa)
        opd = column_label("opd", bahasa)
        assert out["term"].iloc[0] == f"{opd}: Dinas Kesehatan"
        assert out["term"].iloc[2] == f"{opd}: Badan <b>X</b>"  # data as data (escaped later)
        assert "tidak_sesuai" not in out["term"].iloc[1]
        for v in out[["term", "flags"]].to_numpy().ravel():
            assert not RAW_KEY.search(str(v)), v


def test_flags_in_words_in_both_languages():
    assert flags_label("", "id") == ""
    both = flags_label("no_controls,ps_separation", "en")
    assert both == f"{FLAGS['no_controls'][1]}; {FLAGS['ps_separation'][1]}"
    assert flags_label("ps_small_cohort", "id") == FLAGS["ps_small_cohort"][0]


def test_sensitivity_restrictions_in_words():
    sens = pd.DataFrame({"delta": ["relative_magnitudes", "smoothness"], "estimate": [1.0, 2.0]})
    for bahasa in ("id", "en"):
        out = label_values(sens, bahasa)
        assert not any(RAW_KEY.search(v) for v in out["delta"]), out["delta"].tolist()
