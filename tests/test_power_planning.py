"""Power for the next training round: planned with the recent pace (not the backlog of the
first cohorts), and never a cohort larger than the never-trained ASN can supply."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_narrative import fakta

from kinerja_analysis.analyses.training import training_power
from kinerja_analysis.reporting.narrative import write_report

M = 1.959963984540054 + 0.8416212335729143  # z_0.975 + z_0.8


def _panel(cohorts: dict[int, int], n_never: int, periods: list[str], seed: int = 0):
    """Employees by first-training period index (``t``, 1-based), plus never-trained."""
    rng = np.random.default_rng(seed)
    rows, i = [], 0
    groups = [*((g, n) for g, n in cohorts.items()), (np.nan, n_never)]
    for g, n in groups:
        for _ in range(n):
            level = rng.normal(90, 8)
            for t, p in enumerate(periods, start=1):
                rows.append((f"p{i}", p, t, g, level + rng.normal(0, 5)))
            i += 1
    return pd.DataFrame(rows, columns=["nip", "periode", "t", "g", "capaian"])


QUARTERS = [f"{y}Q{q}" for y in (2024, 2025) for q in (1, 2, 3, 4)]


def test_recent_pace_not_the_backlog():
    # first cohorts carry the backlog: 2035, 800, 411, 230, 141, 82, 44 scaled by 1/5
    sizes = {2: 407, 3: 160, 4: 82, 5: 46, 6: 28, 7: 16, 8: 9}
    p = _panel(sizes, 600, QUARTERS)
    out = training_power(p, "2025Q4")
    recent = [46, 28, 16, 9]  # the quarters 2025Q1..2025Q4 (t = 5..8)
    assert out["n_periods_recent"] == 4
    assert out["n_per_period"] == pytest.approx(np.mean(recent))
    assert out["n_per_period_all"] == pytest.approx(np.mean(list(sizes.values())))
    # the MDE at the recent pace, with the cohort taken out of the never-trained
    never = p[p["g"].isna()].pivot(index="nip", columns="t", values="capaian")
    sd_change = float((never[8] - never[7]).std())
    n_c, n_t = len(never), np.mean(recent)
    assert out["mde"] == pytest.approx(M * sd_change * np.sqrt(1 / n_t + 1 / (n_c - n_t)))
    # an earlier window has its own recent year; no data after the period are used
    early = training_power(p, "2024Q3")
    assert early["n_periods_recent"] == 2 and early["n_per_period"] == pytest.approx(
        (407 + 160) / 2
    )
    cut = training_power(p[p["periode"] <= "2024Q3"], "2024Q3")
    assert cut == early


def test_needed_never_exceeds_the_never_trained():
    # 1,000-ASN city with few never-trained: the target is out of reach, whatever the size
    p = _panel({2: 200, 3: 100, 4: 50}, 120, QUARTERS[:4])
    out = training_power(p, "2024Q4")
    assert out["n_needed"] == np.inf
    # a reachable target: the smallest n with M sd sqrt(1/n + 1/(N - n)) <= effect
    big = training_power(p, "2024Q4", target_sd=1.0)
    n, n_c = big["n_needed"], big["n_control"]
    assert 0 < n <= n_c / 2
    sd_level = float(p["capaian"].std())
    mde_at_n = M * big["sd_change"] * np.sqrt(1 / n + 1 / (n_c - n))
    assert mde_at_n == pytest.approx(1.0 * sd_level, rel=1e-9)
    # any larger cohort up to N/2 detects less; a smaller one cannot reach the target
    assert M * big["sd_change"] * np.sqrt(1 / (n - 1) + 1 / (n_c - n + 1)) > sd_level


def test_monthly_periods_use_twelve_months_and_no_recent_training():
    months = [f"2024-{m:02d}" for m in range(1, 13)] + ["2025-01", "2025-02"]
    p = _panel({2: 300, 3: 20}, 400, months)
    out = training_power(p, "2025-02")
    assert out["n_periods_recent"] == 12  # 2024-03 .. 2025-02
    assert out["n_per_period"] == pytest.approx(20 / 12)
    late = [f"2024-{m:02d}" for m in range(1, 13)] + [f"2025-{m:02d}" for m in range(1, 13)]
    q = _panel({2: 300}, 400, late)
    none = training_power(q, "2025-12")
    assert none["n_per_period"] == 0 and np.isnan(none["mde"])


def test_on_the_synthetic_city(city_1500):
    panel = city_1500.shared.panel
    last = str(panel["periode"].max())
    out = training_power(panel, last)
    first = panel.drop_duplicates("nip")["g"]
    t_now = int(panel.loc[panel["periode"] == last, "t"].iloc[0])
    recent = [int((first == t).sum()) for t in range(t_now - 3, t_now + 1)]
    assert out["n_per_period"] == pytest.approx(np.mean(recent))
    assert out["n_per_period"] < out["n_per_period_all"]  # the backlog is left out
    never_now = panel[(panel["periode"] == last) & panel["g"].isna()]["nip"].nunique()
    assert out["n_needed"] == np.inf or out["n_needed"] <= never_now / 2


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_sentences(bahasa):
    base = {"mde": 3.3, "mde_sd": 0.34, "n_per_period": 44.0, "n_periods_recent": 4,
            "n_control": 2146, "n_needed": 749.2, "n_per_period_all": 535.0,
            "target_sd": 0.1, "per_id": "triwulan", "per_en": "quarter"}  # fmt: skip

    def rek(**kw):
        return write_report(fakta(kekuatan={"pelatihan": {**base, **kw}}, bahasa=bahasa))[
            "rekomendasi"
        ]

    ok, never = rek(), rek(n_needed=float("inf"))
    idle = rek(n_per_period=0.0, mde=float("nan"), mde_sd=float("nan"))
    if bahasa == "id":
        assert "sekitar 749 ASN terlatih per triwulan, dipilih dari 2.146 ASN" in ok
        assert "rata-rata 44 ASN terlatih per triwulan dalam 4 triwulan terakhir" in ok
        assert "belum dapat dideteksi berapa pun" in never and "749" not in never
        assert "tidak ada ASN yang mulai dilatih" in idle and "nan" not in idle
    else:
        assert "about 749 trained ASN per quarter are needed, chosen from the 2,146" in ok
        assert "44 trained ASN per quarter on average over the last 4 quarters" in ok
        assert "cannot be detected however many" in never
        assert "no ASN began training" in idle and "nan" not in idle
    assert "535" not in ok  # the overall mean is not the pace
