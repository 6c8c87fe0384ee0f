"""How a column's values print follows what they are, not only the column's name.

:func:`kinerja_analysis.reporting.text.series_kind` refines the registry's kind by the
data. Two shapes a merge or a suppression leaves printed wrongly before: an ``object``
column of ``True``/``False`` with a missing value ("1,00" / "0,00" instead of ya/tidak)
and a ``sesi_<bentuk>`` count column turned to floats by a suppressed cell ("3,00").
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis.reporting.notebook import render_table
from kinerja_analysis.reporting.text import series_kind


def _cells(df: pd.DataFrame, **kw) -> list[str]:
    html = render_table(df, **kw)._repr_html_()
    body = html[html.index("<tbody") :]
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>.*?</td>", body, re.S)]


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (pd.Series([True, np.nan, False], dtype=object), "ya_tidak"),
        (pd.Series([True, None], dtype=object), "ya_tidak"),
        (pd.Series([np.True_, np.False_, pd.NA], dtype=object), "ya_tidak"),
        (pd.Series([True, False]), "ya_tidak"),
        (pd.array([True, None], dtype="boolean"), "ya_tidak"),
        (pd.Series([True, "x"], dtype=object), "teks"),
        (pd.Series([1, 0], dtype=object), "teks"),
        (pd.Series([None, None], dtype=object), "teks"),
    ],
)
def test_boolean_columns_print_as_yes_no(values, kind) -> None:
    assert series_kind("ikut_pelatihan", pd.Series(values))[0] == kind


def test_object_boolean_column_with_missing_prints_words() -> None:
    df = pd.DataFrame(
        {"opd": ["A", "B", "C"], "ikut": pd.Series([True, np.nan, False], dtype=object)}
    )
    cells = _cells(df)
    assert cells[1] == "ya" and cells[5] == "tidak"
    assert "1,00" not in cells and "0,00" not in cells
    cells_en = _cells(df, bahasa="en")
    assert cells_en[1] == "yes" and cells_en[5] == "no"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1434.0, np.nan, 3.0], ("bilangan", 0)),
        ([1434, 3], ("bilangan", 0)),
        ([1.5, np.nan], ("angka", 2)),
        ([np.nan, np.nan], ("angka", 2)),
    ],
)
def test_session_counts_with_suppressed_cells_stay_whole(values, expected) -> None:
    assert series_kind("sesi_coaching", pd.Series(values)) == expected


def test_session_count_table_prints_whole_numbers() -> None:
    df = pd.DataFrame({"periode": ["2025Q3", "2025Q4"], "sesi_coaching": [1434.0, np.nan]})
    cells = _cells(df)
    assert cells[1] == "1.434" and cells[3] == "–"


def test_dimension_means_keep_their_decimals() -> None:
    # only session counts are whole by nature; a BerAKHLAK mean of 4.0 is still a mean
    assert series_kind("berorientasi_pelayanan", pd.Series([4.0, np.nan])) == ("angka", 2)
