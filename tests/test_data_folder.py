"""Every data file of the folder is read or said to be unread.

A fresh tester renamed ``umpan_balik.csv`` to ``umpan_balik 2024.csv`` and saved a second
``layanan (1).csv``: validation said only "optional table not available: umpan_balik",
and 1,175 feedback rows were dropped without a word. Now each data file no table reads
gets a structural warning naming it, and the tables without a file whose required
columns its header holds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kinerja_analysis.data.loading import validate_dataset
from kinerja_analysis.data.messages import MESSAGES
from kinerja_analysis.data.synth import generate, write_dataset

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("kota") / "kota"
    write_dataset(generate(n_pegawai=60, seed=2), folder)
    return folder


def _copy(city: Path, tmp_path: Path) -> Path:
    out = tmp_path / "data"
    shutil.copytree(city, out)
    return out


def _unread(rep):
    s = rep.structure
    return s[s["pesan"].str.contains("file_tidak_dibaca") | s["pesan"].str.contains("tidak dibaca")
             | s["pesan"].str.contains("is not read")]  # fmt: skip


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_a_data_file_no_table_reads_is_named(city, tmp_path, bahasa):
    d = _copy(city, tmp_path)
    (d / "umpan_balik.csv").rename(d / "umpan_balik 2024.csv")
    shutil.copy(d / "layanan.csv", d / "layanan (1).csv")
    (d / "catatan.txt").write_text("bukan data", "utf-8")  # not a data file
    (d / "~$pegawai.xlsx").write_bytes(b"lock")  # Excel's lock file: not data
    rep, tables, _ = validate_dataset(d, bahasa=bahasa)
    got = _unread(rep).set_index("file")
    assert sorted(got.index) == ["layanan (1).csv", "umpan_balik 2024.csv"]
    assert (got["tingkat"] == "peringatan").all()
    fits = MESSAGES("file_cocok_tabel", bahasa, tabel="umpan_balik")
    assert got.loc["umpan_balik 2024.csv", "pesan"] == (
        MESSAGES("file_tidak_dibaca", bahasa, file="umpan_balik 2024.csv") + fits
    )
    assert got.loc["umpan_balik 2024.csv", "tabel"] == "umpan_balik"
    # layanan has its file: the copy is named, and no table is suggested for it
    assert got.loc["layanan (1).csv", "pesan"] == MESSAGES(
        "file_tidak_dibaca", bahasa, file="layanan (1).csv"
    )
    assert "umpan_balik" not in tables and rep.usable and rep.exit_code == 1
    # the raw files are untouched
    assert (d / "umpan_balik 2024.csv").read_bytes() == (city / "umpan_balik.csv").read_bytes()


def test_a_clean_folder_and_the_bundled_exports_have_no_unread_file(city, tmp_path):
    rep, _, _ = validate_dataset(city)
    assert _unread(rep).empty
    for name in ("ekinerja_bkn", "ekspor_siasn", "siasn"):
        folder = ROOT / "data" / "contoh" / name
        rep, _, _ = validate_dataset(folder, mapping=folder / "pemetaan.yaml")
        assert _unread(rep).empty, name


def test_a_table_in_a_mapped_file_leaves_its_default_named_file_unread(city, tmp_path):
    d = _copy(city, tmp_path)
    shutil.copy(d / "pelatihan.csv", d / "Diklat 2024.csv")
    (d / "pemetaan.yaml").write_text("tabel:\n  pelatihan:\n    file: Diklat 2024.csv\n", "utf-8")
    rep, tables, _ = validate_dataset(d, mapping=d / "pemetaan.yaml")
    assert list(_unread(rep)["file"]) == ["pelatihan.csv"]
    assert len(tables["pelatihan"])


def test_a_file_name_that_holds_an_employees_name_is_masked(city, tmp_path):
    d = _copy(city, tmp_path)
    import pandas as pd

    nama = pd.read_csv(d / "pegawai.csv", dtype=str)["nama"].iloc[3]
    shutil.copy(d / "layanan.csv", d / f"catatan {nama}.csv")
    rep, _, _ = validate_dataset(d)
    (row,) = _unread(rep).itertuples()
    assert nama not in row.file and nama not in row.pesan and "[nama]" in row.file


# ----------------------------------------------------------------------------- grouping


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_a_message_with_a_rows_own_detail_is_one_group(city, bahasa):
    """A fresh tester's console: 16,845 groups for one cause, because the message named
    each formula's cell (``sel F2 …``, ``sel F3 …``), and 390 groups for Excel serial
    dates, because it named the date each was read as. Messages are grouped by their
    shape now; every row keeps its own message in the issues list."""
    import dataclasses

    import pandas as pd

    rep, _, _ = validate_dataset(city, bahasa=bahasa)
    rows = range(2, 32)
    formula = [MESSAGES("rumus_tanpa_nilai", bahasa, sel=f"F{b}") for b in rows]
    serial = [
        MESSAGES(
            "tanggal_serial_dibaca",
            bahasa,
            tanggal=f"2021-03-{b:02d}",
            jam="",
            sistem="1900",
        )
        for b in rows
    ]
    issues = pd.DataFrame(
        {
            "tabel": "skp",
            "file": "Realisasi SKP.xlsx",
            "baris": list(rows) * 2,
            "kolom": ["realisasi"] * 30 + ["tanggal"] * 30,
            "nilai": [f"=E{b}*1" for b in rows] + [str(44255 + b) for b in rows],
            "aturan": ["rumus"] * 30 + ["tanggal_serial"] * 30,
            "pesan": formula + serial,
            "tingkat": ["tolak"] * 30 + ["peringatan"] * 30,
            "sebab": "",
        }
    )
    groups = dataclasses.replace(rep, issues=issues).grouped()
    assert len(groups) == 2 and sorted(groups["n_baris"]) == [30, 30]
    assert set(groups["pesan"]) == {formula[0], serial[0]}  # the first row's message
    assert (groups["n_nilai"] == 30).all()


@pytest.mark.parametrize("name", ["umpan_balik.xls", "umpan_balik.xlsm", "umpan_balik.csv.gz"])
def test_a_table_file_in_a_format_not_read_is_named(city, tmp_path, name):
    """A third tester's ``umpan_balik.xls`` beside CSV files: exit 0, "Tidak ada
    masalah", the table unavailable. Now a warning names the file and the formats read."""
    d = _copy(city, tmp_path)
    (d / "umpan_balik.csv").rename(d / name)
    for bahasa in ("id", "en"):
        rep, tables, _ = validate_dataset(d, bahasa=bahasa)
        s = rep.structure
        got = s[s["file"] == name]
        assert len(got) == 1 and got["tingkat"].iloc[0] == "peringatan"
        assert got["pesan"].iloc[0] == MESSAGES(
            "format_tidak_dibaca", bahasa, file=name, format=".csv, .parquet, .xlsx"
        )
        assert "umpan_balik" not in tables and rep.exit_code == 1
