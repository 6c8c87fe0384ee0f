"""Tests of kinerja_analysis.fmt — Indonesian number, period and date conventions.

Expected strings follow Indonesian usage (KBBI / PUEBI: comma as decimal mark, point
as thousands separator; month names Januari … Desember) and the period words of
DESIGN.md §2 ("Triwulan I 2025", "Semester I 2025", "Tahun 2025").
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis.core.periods import parse_period, period_label, sort_periods
from kinerja_analysis.reporting.fmt import EMPTY, date, number, percent, slug


@pytest.mark.parametrize(
    ("x", "desimal", "bahasa", "expected"),
    [
        (0.2103, 2, "id", "0,21"),
        (6012, 2, "id", "6.012"),  # integers never get decimals
        (np.int64(6012), 2, "en", "6,012"),
        (1234567.891, 2, "id", "1.234.567,89"),
        (1234567.891, 2, "en", "1,234,567.89"),
        (-1234.5, 1, "id", "-1.234,5"),
        (-0.004, 2, "id", "0,00"),  # no "-0,00"
        (3.0, 0, "id", "3"),
        (0.125, None, "id", "0,125"),
        (2.5, None, "en", "2.5"),
        (np.float32(0.5), 1, "id", "0,5"),
    ],
)
def test_angka(x, desimal, bahasa, expected):
    assert number(x, desimal, bahasa) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA])
def test_angka_missing(missing):
    assert number(missing) == EMPTY
    assert percent(missing) == EMPTY


def test_angka_rejects_bad_input():
    with pytest.raises(ValueError, match="bahasa"):
        number(1.0, bahasa="fr")
    with pytest.raises(ValueError, match="not a number"):
        number("abc")
    with pytest.raises(ValueError, match="boolean"):
        number(True)
    with pytest.raises(ValueError, match="decimals"):
        number(1.0, -1)


def test_persen():
    assert percent(0.125) == "12,5%"
    assert percent(0.125, 1, "en") == "12.5%"
    assert percent(12.5, scale="persen") == "12,5%"
    assert percent(1) == "100,0%"
    assert percent(0.4567, 0) == "46%"
    with pytest.raises(ValueError, match="scale"):
        percent(0.1, scale="per-mil")


@pytest.mark.parametrize(
    ("code", "id_", "en"),
    [
        ("2025Q1", "Triwulan I 2025", "Quarter 1 2025"),
        ("2025Q4", "Triwulan IV 2025", "Quarter 4 2025"),
        ("2025S1", "Semester I 2025", "Semester 1 2025"),
        ("2024S2", "Semester II 2024", "Semester 2 2024"),
        ("2025", "Tahun 2025", "Year 2025"),
        (" 2025q3 ", "Triwulan III 2025", "Quarter 3 2025"),
    ],
)
def test_periode_kata(code, id_, en):
    assert period_label(code) == id_
    assert period_label(code, "en") == en


def test_parse_periode():
    assert parse_period("2025Q3") == (2025, "Q", 3)
    assert parse_period("2025S2") == (2025, "S", 2)
    assert parse_period("2025") == (2025, "Y", 1)
    p = parse_period("2025Q2")
    assert (p.first_month, p.last_month, p.code) == (4, 6, "2025Q2")
    assert parse_period("2025S2").first_month == 7


@pytest.mark.parametrize(
    ("bad", "match"),
    [
        ("2025Q5", "triwulan ke-5"),
        ("2025Q0", "triwulan ke-0"),
        ("2025S3", "semester ke-3"),
        ("25Q1", "tidak valid"),
        ("2025-Q1", "tidak valid"),
        ("1800", "1900"),
        ("", "tidak valid"),
        (2025, "harus teks"),
    ],
)
def test_parse_periode_rejects(bad, match):
    with pytest.raises(ValueError, match=match):
        parse_period(bad)


def test_periode_urut():
    assert sort_periods(["2025Q2", "2024Q4", "2025q1", "2025Q2"]) == [
        "2024Q4",
        "2025Q1",
        "2025Q2",
    ]
    assert sort_periods(["2025S2", "2024S1", "2025S1"]) == ["2024S1", "2025S1", "2025S2"]
    assert sort_periods(["2026", "2024", "2025"]) == ["2024", "2025", "2026"]
    with pytest.raises(ValueError):
        sort_periods(["2025Q1", "kemarin"])


def test_tanggal():
    assert date(dt.date(2026, 11, 28)) == "28 November 2026"
    assert date(dt.date(2026, 8, 17)) == "17 Agustus 2026"
    assert date(dt.date(2026, 8, 17), "en") == "17 August 2026"
    assert date(dt.datetime(2025, 2, 1, 13, 5)) == "1 Februari 2025"
    assert date(pd.Timestamp("2025-05-09")) == "9 Mei 2025"
    assert date("2025-12-31") == "31 Desember 2025"
    assert date(pd.NaT) == EMPTY
    with pytest.raises(ValueError, match="invalid date"):
        date("31/12/2025")


def test_slug():
    assert slug("Dinas Kesehatan") == "dinas-kesehatan"
    assert slug("  Badan Kepegawaian & Pengembangan SDM ") == ("badan-kepegawaian-pengembangan-sdm")
    assert slug("Dinas Pekerjaan Umum/Penataan Ruang") == "dinas-pekerjaan-umum-penataan-ruang"
    assert slug("Kecamatan Éast") == "kecamatan-east"
    with pytest.raises(ValueError):
        slug("///")


def test_session_counts_by_form_are_whole_numbers_in_a_table() -> None:
    """``sesi_<bentuk>`` columns of the feedback table count sessions: ``1.434``, not
    ``1.434,00``; a column of such a name holding means keeps its two decimals."""
    from kinerja_analysis.reporting.notebook import table_html

    counts = pd.DataFrame({"periode": ["2025Q1"], "n_sesi": [6947], "sesi_coaching": [1434]})
    html = table_html(counts)
    assert ">1.434<" in html and "1.434,00" not in html
    means = pd.DataFrame({"periode": ["2025Q1"], "sesi_coaching": [1.25]})
    assert ">1,25<" in table_html(means)
