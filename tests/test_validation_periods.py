"""Periods as exports write them, and how a dataset's periods are chosen."""

from __future__ import annotations

from datetime import date

import pytest

from kinerja_analysis.core.errors import PeriodError
from kinerja_analysis.core.periods import parse_period_text, period_label
from kinerja_analysis.data.messages import message
from kinerja_analysis.data.rules import choose_periods


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("2025Q1", "2025Q1"), ("2025-q1", "2025Q1"), ("Q1 2025", "2025Q1"),
        ("TW I 2025", "2025Q1"), ("Triwulan IV 2024", "2024Q4"), ("TWII 2025", "2025Q2"),
        ("Semester 2 2025", "2025S2"), ("S1/2025", "2025S1"), ("2025 S2", "2025S2"),
        ("2025-01", "2025-01"), ("2025/12", "2025-12"), ("01-2025", "2025-01"),
        ("1/2025", "2025-01"), ("202503", "2025-03"), ("Januari 2025", "2025-01"),
        ("Agustus 2024", "2024-08"), ("Nop 2024", "2024-11"), ("December 2024", "2024-12"),
        ("Tahun 2025", "2025"), ("2025", "2025"),
    ],
)  # fmt: skip
def test_period_text_forms(text: str, code: str) -> None:
    assert parse_period_text(text).code == code


@pytest.mark.parametrize(
    "text", ["2025-13", "13/2025", "2025Q5", "Triwulan V 2025", "abc", "", "20251"]
)
def test_not_a_period(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_period_text(text)


def test_monthly_label() -> None:
    assert period_label("2025-01") == "Januari 2025"
    assert period_label("2025-01", "en") == "January 2025"


def _msg(key: str, **f) -> str:
    return message(key, "id", **f)


TODAY = date(2026, 1, 15)


def test_dominant_kind_wins_and_others_are_named() -> None:
    support = {"2025Q1": 300, "2025Q2": 310, "2025S1": 2}
    periods, reasons, pending = choose_periods(support, None, TODAY, "id", _msg)
    assert periods == ("2025Q1", "2025Q2")
    assert "semester" in reasons["2025S1"] and "triwulan" in reasons["2025S1"]
    assert pending == ()


def test_handful_and_future_periods_are_not_adopted() -> None:
    support = {"2025Q1": 300, "2025Q2": 290, "2025Q3": 280, "2025Q4": 12, "2030Q1": 250}
    periods, reasons, pending = choose_periods(support, None, TODAY, "id", _msg)
    assert periods == ("2025Q1", "2025Q2", "2025Q3")
    assert "hanya 12 pegawai" in reasons["2025Q4"]
    assert "belum dimulai" in reasons["2030Q1"] and pending == ("2030Q1",)


def test_a_partly_filled_current_period_is_kept() -> None:
    """A third of the employees have entered their SKP so far: still the period's data."""
    support = {"2025-10": 600, "2025-11": 610, "2025-12": 200}
    periods, _, _ = choose_periods(support, None, TODAY, "id", _msg)
    assert periods == ("2025-10", "2025-11", "2025-12")


def test_declared_periods_win() -> None:
    periods, reasons, _ = choose_periods({"2025Q1": 3, "2025Q2": 3}, ["2025q2"], TODAY, "id", _msg)
    assert periods == ("2025Q2",) and "ditetapkan" in reasons["2025Q1"]


def test_batch_counts_rejects_under_every_spelling_of_their_period() -> None:
    """The batch's per-period account of rejected rows reads periods as validation does
    (``TW III 2024``, ``Triwulan I 2025``, ``2024-Q4``, a spreadsheet's ``202501.0``): a
    reject is never left out of its period's count for the way the export spells it."""
    import types

    import pandas as pd

    from kinerja_analysis.pipeline.preflight import period_problems

    rows = pd.DataFrame(
        {
            "periode": ["TW III 2024", "2024-Q4", "Triwulan IV 2024", "Triwulan I 2025", "'2025Q1"],
            "baris": [2, 3, 4, 5, 6],
        }
    )
    issues = pd.DataFrame(
        {
            "tabel": "skp",
            "baris": [2, 3, 4, 5, 6],
            "file": "skp.xlsx",
            "kolom": "realisasi",
            "nilai": "x",
            "pesan": ["bukan angka " + "sangat panjang " * 20] * 5,
        }
    )
    report = types.SimpleNamespace(rejected_rows={"skp": rows}, issues=issues)
    periods = ["2024Q3", "2024Q4", "2025Q1"]
    lost, partial = period_problems(report, periods, periods, None, "id")
    assert not lost
    assert set(partial) == set(periods)
    assert "periode 2024Q4: 2 baris" in partial["2024Q4"]
    assert "periode 2025Q1: 2 baris" in partial["2025Q1"]
    # a long message is cut at a word, with an ellipsis
    cut = partial["2024Q3"].rsplit(" …", 1)[0].split()[-1]
    assert cut in ("sangat", "panjang"), partial["2024Q3"]
    # a batch of one period says nothing of the others: their reports are not written
    # (a fresh tester saw "laporan tetap ditulis" for three periods it did not run)
    lost, partial = period_problems(report, periods, ["2024Q4"], None, "id")
    assert not lost and list(partial) == ["2024Q4"]


@pytest.mark.parametrize("cells", [None, 10])
def test_period_support_counts_distinct_employees_over_the_tables(monkeypatch, cells) -> None:
    """``rules._period_support`` (a scatter over codes, or sorted pairs past
    ``_PAIR_CELLS``) equals the distinct NIPs per period text over the accepted rows of
    the period tables (``PERIOD_TABLES``), read as text; missing codes, rejected rows and
    other tables do not count."""
    from types import SimpleNamespace

    import numpy as np
    import pandas as pd

    from kinerja_analysis.data import rules

    if cells is not None:
        monkeypatch.setattr(rules, "_PAIR_CELLS", cells)
    rng = np.random.default_rng(11)
    periods = ["2024Q1", "2024Q2", "2024-07", "Triwulan III 2024", "2024Q4"]
    states, want = {}, {}
    for name in (*rules.PERIOD_TABLES, "perilaku"):  # perilaku's periods are no support
        n = 400
        nip = pd.Series(rng.choice([f"19{i:016d}" for i in range(50)] + [None], n))
        per = pd.Series(rng.choice(periods[: 3 + len(states)] + [None], n))
        # each table's own category order (not sorted like the others')
        nip_c = nip.astype(pd.CategoricalDtype(list(dict.fromkeys(nip.dropna()))))
        per_c = per.astype(pd.CategoricalDtype(list(dict.fromkeys(per.dropna()))[::-1]))
        bad = rng.random(n) < 0.2
        states[name] = SimpleNamespace(values={"nip": nip_c, "periode": per_c}, bad=bad)
        ok = ~bad & nip.notna().to_numpy() & per.notna().to_numpy()
        if name not in rules.PERIOD_TABLES:
            continue
        for p, g in pd.DataFrame({"p": per[ok], "n": nip[ok]}).groupby("p"):
            want.setdefault(p, set()).update(g["n"])
    assert rules._period_support(states) == {p: len(v) for p, v in want.items()}
    assert rules._period_support({}) == {}
