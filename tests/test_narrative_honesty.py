"""What the documents say must follow the numbers: missing estimates with their reason,
few clusters, sensitivity in the grade, hypothesis direction, "most common" from shown
counts, gaps ranked as named."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis.analyses.rollout import estimate_rollout_effects
from kinerja_analysis.analyses.training import TrainingNotEstimable, estimate_training_effects
from kinerja_analysis.reporting.facts import EFFECTS, _training_priorities
from kinerja_analysis.reporting.narrative import (
    Effect,
    PeriodFacts,
    effect_sentence,
    evidence_grade,
    write_report,
)


def _staggered_panel(cohorts: dict[int, int], effect: float = 2.0, seed: int = 0) -> pd.DataFrame:
    """ASN × 4 periods; ``cohorts`` = {first-training period: number of ASN} (0 = never)."""
    rng = np.random.default_rng(seed)
    rows, nip = [], 0
    for g, n in cohorts.items():
        for _ in range(n):
            level = rng.normal(80, 3)
            for t in (1, 2, 3, 4):
                y = level + 0.5 * t + (effect if g and t >= g else 0.0) + rng.normal(0, 0.5)
                rows.append((f"A{nip}", t, float(g) if g else np.nan, y))
            nip += 1
    return pd.DataFrame(rows, columns=["nip", "t", "g", "capaian"])


def test_training_falls_back_to_not_yet_treated_controls_with_planted_truth():
    # nobody never-treated: cohorts trained in periods 2, 3 and 4
    p = _staggered_panel({2: 40, 3: 40, 4: 40}, effect=2.0)
    r = estimate_training_effects(p, covariates=(), subgroups=(), n_boot=0, sensitivity=False)
    row = r.overall.set_index("term").loc["att_cs"]
    assert row["control_group"] == "not_yet_treated"
    assert abs(row["estimate"] - 2.0) < 0.25  # planted 2.0; SE ~0.1
    (note,) = [n for n in r.notes if n.key == "pembanding_belum_dilatih"]
    assert note.fields["n_asn"] == 0 and note.fields["min_n"] == 5


def test_training_keeps_never_treated_controls_when_there_are_enough():
    p = _staggered_panel({0: 40, 2: 40, 3: 40}, effect=1.5)
    r = estimate_training_effects(p, covariates=(), subgroups=(), n_boot=0, sensitivity=False)
    row = r.overall.set_index("term").loc["att_cs"]
    assert row["control_group"] == "never_treated"
    assert abs(row["estimate"] - 1.5) < 0.25


def test_training_not_estimable_says_why():
    # everybody first trained in the same period: no never-treated, no later cohort
    p = _staggered_panel({3: 50})
    with pytest.raises(TrainingNotEstimable) as exc:
        estimate_training_effects(p, covariates=(), subgroups=(), n_boot=0, sensitivity=False)
    assert exc.value.reason == "no_comparison"


def _facts(**kw) -> PeriodFacts:
    base = dict(periode="2025Q4", report_date="2026-01-05", n_pegawai=900, n_opd=5)
    return PeriodFacts(**{**base, **kw})


def _feedback(**kw) -> Effect:
    base = dict(
        key="umpan_balik_baik",
        label_id="Umpan balik berkualitas baik",
        label_en="Good-quality feedback",
        hasil_id="capaian SKP periode berikutnya",
        hasil_en="next-period SKP achievement",
        estimate=0.5,
        ci_low=0.3,
        ci_high=0.7,
        p_value=0.001,
        design="kausal_fe",
    )
    return Effect(**{**base, **kw})


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_missing_training_effect_is_said_with_its_reason(bahasa):
    fk = _facts(bahasa=bahasa, effects=(_feedback(),), not_estimated={"pelatihan": "no_comparison"})
    r = write_report(fk)
    words = "tidak ada kelompok pembanding" if bahasa == "id" else "there is no comparison group"
    for section in ("hasil", "kesimpulan", "ringkasan"):
        assert words in r[section], section


def test_unknown_not_estimated_reason_is_refused():
    with pytest.raises(ValueError, match="unknown reason"):
        _facts(not_estimated={"pelatihan": "because"})


def _few_opd_layanan(n_opd: int = 5, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    starts = [2, 3, 5, 7, 0][:n_opd] + [0] * max(0, n_opd - 5)
    rows = []
    for i, g in enumerate(starts):
        base = rng.normal(75, 3)
        for t in range(1, 9):
            eff = 3.0 if g and t >= g else 0.0
            rows.append(
                {
                    "opd": f"OPD {i}",
                    "t": t,
                    "g": float(g),
                    "ikm": base + 0.2 * t + eff + rng.normal(0, 0.5),
                }
            )
    return pd.DataFrame(rows)


def test_rollout_on_five_opds_is_flagged_and_says_why_the_pretrend_test_is_missing():
    r = estimate_rollout_effects(_few_opd_layanan(), outcomes=("ikm",), n_boot=99)
    row = r.overall.iloc[0]
    assert row["flags"] == "few_clusters"
    assert (row["n_clusters"], row["n_treated_clusters"], row["n_untreated_clusters"]) == (5, 4, 1)
    assert row["pretrend_reason"] in ("saturated", "no_pre_period", "not_estimable")


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_few_clusters_is_never_clear_and_is_said(bahasa):
    e = Effect(
        key="penerapan_ikm",
        label_id="Penerapan sistem evaluasi terstruktur",
        label_en="The structured evaluation system",
        hasil_id="IKM",
        hasil_en="the IKM",
        estimate=2.7,
        ci_low=1.4,
        ci_high=3.3,
        p_value=0.01,
        pretrend_p=0.6,
        design="kausal_did",
        flags=("few_clusters",),
        n_clusters=5,
        n_treated_clusters=4,
        n_untreated_clusters=1,
    )
    assert evidence_grade(e) == "indikatif"
    s = effect_sentence(e, bahasa)
    assert "MacKinnon" in s and "5" in s
    saturated = dataclasses.replace(e, pretrend_p=None, pretrend_reason="saturated")
    s2 = effect_sentence(saturated, bahasa)
    assert ("derajat bebas" in s2) if bahasa == "id" else ("degrees of freedom" in s2)


def test_breakdown_below_one_caps_the_grade_and_the_appendix_says_the_rule():
    e = _feedback(design="kausal_did", pretrend_p=0.5, breakdown_rm=0.54, program_id="pelatihan")
    assert evidence_grade(e) == "indikatif"
    assert evidence_grade(dataclasses.replace(e, breakdown_rm=1.4)) == "jelas"
    assert (
        evidence_grade(dataclasses.replace(e, breakdown_rm=0.54, breakdown_rm_censored=True))
        == "jelas"
    )
    assert "batas sensitivitas di bawah 1" in effect_sentence(e, "id")
    assert "sensitivity bound below 1" in effect_sentence(e, "en")
    for b, word in (("id", "M̄ paling sedikit 1"), ("en", "M̄ is at least 1")):
        assert word in write_report(_facts(bahasa=b, effects=(e,)))["lampiran"]


def test_expected_harm_of_poor_feedback_is_not_called_unexpected():
    spec = EFFECTS.set_index("kunci").loc["umpan_balik_buruk"]
    assert spec["arah_baik"] == "naik" and spec["arah_dugaan"] == "turun"
    e = _feedback(
        key="umpan_balik_buruk",
        label_id="Umpan balik berkualitas buruk",
        label_en="Poor-quality feedback",
        estimate=-0.8,
        ci_low=-1.1,
        ci_high=-0.5,
        expected_direction="turun",
    )
    for b, bad in (("id", "tidak diharapkan"), ("en", "unwanted direction")):
        k = write_report(_facts(bahasa=b, effects=(e,)))["kesimpulan"]
        assert bad not in k
        assert ("Sesuai dugaan" in k) if b == "id" else ("As expected" in k)
    # harm against the hypothesis is still to be investigated
    k = write_report(_facts(effects=(dataclasses.replace(e, expected_direction=None),)))
    assert "tidak diharapkan" in k["kesimpulan"]


def test_most_common_predikat_comes_from_shown_non_zero_counts():
    # an OPD's row of the city table: only two zero cells shown, the rest hidden
    dist = pd.DataFrame(
        {
            "predikat": ["Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang"],
            "n": [2, 4, 0, 0, 0],
            "disembunyikan": [True, True, False, False, True],
        }
    )
    r = write_report(_facts(predikat_distribution=dist, n_opd=1))
    assert "terbanyak" not in r["ringkasan"]
    assert "paling banyak" not in r["kesimpulan"]
    # hidden cells that together are fewer than the largest shown one: it is said
    dist2 = pd.DataFrame({"predikat": ["Sangat Baik", "Baik", "Butuh Perbaikan"], "n": [3, 40, 6]})
    r2 = write_report(_facts(predikat_distribution=dist2, min_sel=5))
    assert "Baik (81,6%" in r2["kesimpulan"]


def test_training_priorities_are_ranked_by_the_gap():
    rng = np.random.default_rng(1)
    sizes = {"Lain": 1000, "Besar": 200, "Kecil": 20}
    low = {"Besar": ("akuntabel", 0.2), "Kecil": ("loyal", 0.6)}
    peg = pd.DataFrame(
        [(f"{o}{i}", o) for o, n in sizes.items() for i in range(n)], columns=["nip", "opd"]
    )
    rows = []
    for nip, o in peg.itertuples(index=False):
        for dim in ("akuntabel", "loyal"):
            drop = low[o][1] if o in low and low[o][0] == dim else 0.0
            skor = 3.5 - drop + rng.normal(0, 0.01)
            rows.append({"nip": nip, "periode": "2025Q4", "dimensi": dim, "skor": skor})
    t = _training_priorities(pd.DataFrame(rows), peg, "2025Q4")
    # Kecil/loyal: gap ~0.59 x 20 ASN; Besar/akuntabel: gap ~0.17 x 200 ASN (larger product)
    assert (t.iloc[0]["opd"], t.iloc[0]["dimensi"]) == ("Kecil", "loyal")
    assert t["kesenjangan"].is_monotonic_decreasing
