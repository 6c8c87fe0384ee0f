"""Excel date serial numbers in a date column (a sheet kept by hand whose date column is in
Excel's "General" format): a plausible serial is read as the date it stands for, with a
warning naming file, row, column, the value as written and the date read; the row and the
employee's other tables are kept. A year typed alone, or a number outside the range, is
still rejected. XLSX workbooks are read in their own date system (1900 or 1904); a CSV is
read in the 1900 system and the warning says so."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel
from test_validation_inputs import BOSS, PEER, PPPK, STAFF, validate, write_base

from kinerja_analysis.data.validation import (
    SERIAL_RANGE,
    excel_serial_dates,
    plausible_serial_dates,
)

EPOCH_1900 = pd.Timestamp("1899-12-30")
EPOCH_1904 = pd.Timestamp("1904-01-01")


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return write_base(tmp_path / "data")


def _serial(iso: str, epoch: pd.Timestamp = EPOCH_1900) -> int:
    return (pd.Timestamp(iso) - epoch).days


def _to_xlsx(folder: Path, table: str, numeric: dict[str, pd.Timestamp], epoch1904=False):
    """Rewrite ``table``.csv as an XLSX made with openpyxl: the columns in ``numeric`` as
    plain numbers (Excel's General format: serials counted from the given epoch), the
    rest as text; returns the frame that was written."""
    df = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)
    wb = openpyxl.Workbook()
    if epoch1904:
        wb.epoch = MAC_EPOCH
    ws = wb.active
    ws.append(list(df.columns))
    for _, row in df.iterrows():
        cells = []
        for c in df.columns:
            v = row[c]
            if c in numeric and v:
                cells.append(_serial(v, numeric[c]))
            else:
                cells.append(v if v != "" else None)
        ws.append(cells)
    (folder / f"{table}.csv").unlink()
    wb.save(folder / f"{table}.xlsx")
    return df


def _warnings(rep, column: str) -> pd.DataFrame:
    iss = rep.issues
    m = (iss["kolom"] == column) & (iss["aturan"] == "tanggal_serial_excel")
    return iss[m].sort_values("baris").reset_index(drop=True)


# ----------------------------------------------------------------------- the conversion


def test_serials_match_openpyxl_in_both_date_systems() -> None:
    # every whole serial of the plausible range and a spread of times of day
    rng = np.random.default_rng(7)
    whole = np.arange(61, 73051, dtype=float)
    frac = np.round(rng.uniform(61, 73050, 2000), 6)
    for system, epoch in ((1900, WINDOWS_EPOCH), (1904, MAC_EPOCH)):
        s = np.concatenate([whole, frac])
        dates, ms = excel_serial_dates(s, system)
        want = [from_excel(v, epoch) for v in s.tolist()]
        got = [
            pd.Timestamp(d) + pd.Timedelta(milliseconds=int(t))
            for d, t in zip(dates, ms, strict=True)
        ]
        assert got == [pd.Timestamp(w) for w in want], system


def test_the_1900_leap_year_bug_and_non_dates() -> None:
    d, ms = excel_serial_dates(np.array([1.0, 59.0, 60.0, 61.0, 0.0, -1.0, np.nan, np.inf]))
    assert [str(x)[:10] for x in d] == [
        "1900-01-01", "1900-02-28", "NaT", "1900-03-01", "NaT", "NaT", "NaT", "NaT"
    ]  # fmt: skip
    # 1904: serial 0 is a date; a time of day rounds to the millisecond, as Excel keeps it
    d, ms = excel_serial_dates(np.array([0.0, 45292.99999999999, 45292.5]), 1904)
    assert [str(x)[:10] for x in d] == ["1904-01-01", "2028-01-03", "2028-01-02"]
    assert ms.tolist() == [0, 0, 43_200_000]
    with pytest.raises(ValueError, match="1900 or 1904"):
        excel_serial_dates(np.array([1.0]), 1901)


@pytest.mark.parametrize("system", [1900, 1904])
def test_the_plausible_range_has_no_four_digit_number(system: int) -> None:
    low, last = SERIAL_RANGE
    epoch = EPOCH_1900 if system == 1900 else EPOCH_1904
    top = _serial(str(last), epoch)
    s = np.array([2024.0, 9999.0, 9999.9, float(low), top, top + 1, 99999.0])
    dates, _ = excel_serial_dates(s, system)
    assert plausible_serial_dates(dates, s).tolist() == [
        False, False, False, True, True, False, False
    ]  # fmt: skip


# ------------------------------------------------------------------------------- CSV


def test_csv_serial_text_is_read_with_a_warning_and_the_rows_are_kept(base: Path) -> None:
    pegawai = pd.read_csv(base / "pegawai.csv", dtype=str, keep_default_na=False)
    lahir = dict(zip(pegawai["nip"], pegawai["tanggal_lahir"], strict=True))
    # the whole column as Excel writes a General column to CSV: "33239", some "33239.0"
    pegawai["tanggal_lahir"] = [
        str(_serial(v)) + (".0" if i % 2 else "") for i, v in enumerate(pegawai["tanggal_lahir"])
    ]
    pegawai.to_csv(base / "pegawai.csv", index=False)
    rep, tables = validate(base)
    assert rep.usable and rep.n_rejected == 0, rep.issues[["nilai", "pesan"]]
    peg = tables["pegawai"]
    assert peg["tanggal_lahir"].dtype == "datetime64[us]"  # a date column, not mixed
    got = dict(zip(peg["nip"], peg["tanggal_lahir"].dt.strftime("%Y-%m-%d"), strict=True))
    assert got == lahir
    w = _warnings(rep, "tanggal_lahir")
    assert len(w) == 4 and set(w["tingkat"]) == {"peringatan"} and set(w["file"]) == {"pegawai.csv"}
    assert w["baris"].tolist() == [2, 3, 4, 5]
    assert w["nilai"].tolist() == pegawai["tanggal_lahir"].tolist()  # the value as written
    for (_, r), nip in zip(w.iterrows(), pegawai["nip"], strict=True):
        assert f"dibaca sebagai {lahir[nip]} " in r["pesan"]
        assert "sistem tanggal 1900 diasumsikan: file CSV" in r["pesan"]
    assert rep.summary.set_index("tabel").loc["pegawai", "n_peringatan"] >= 4
    # every employee's other tables are kept
    assert set(tables["skp"]["nip"]) == {STAFF, PEER, PPPK}
    assert set(tables["perilaku"]["nip"]) == {STAFF, PEER, PPPK}
    assert set(tables["pelatihan"]["nip"]) == {STAFF, PPPK}


def test_csv_serial_with_a_time_of_day_keeps_the_date_and_says_so(base: Path) -> None:
    df = pd.read_csv(base / "pelatihan.csv", dtype=str, keep_default_na=False)
    df.loc[0, "tanggal_mulai"] = f"{_serial('2024-02-05')}.75"  # 18:00
    df.to_csv(base / "pelatihan.csv", index=False)
    rep, tables = validate(base, bahasa="en")
    assert rep.n_rejected == 0
    w = _warnings(rep, "tanggal_mulai")
    assert len(w) == 1 and w["baris"].iloc[0] == 2
    assert "read as 2024-02-05, time of day 18:00 dropped" in w["pesan"].iloc[0]
    assert "1900 date system assumed" in w["pesan"].iloc[0]
    start = tables["pelatihan"].set_index("nip")["tanggal_mulai"]
    assert start[STAFF] == pd.Timestamp("2024-02-05")


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_a_year_typed_alone_is_still_rejected(base: Path, bahasa: str) -> None:
    df = pd.read_csv(base / "pegawai.csv", dtype=str, keep_default_na=False)
    df.loc[1, "tmt_cpns"] = "2015"  # STAFF: a year, never 1905-07-08
    df.to_csv(base / "pegawai.csv", index=False)
    rep, tables = validate(base, bahasa=bahasa)
    hit = rep.issues[(rep.issues["kolom"] == "tmt_cpns") & (rep.issues["nilai"] == "2015")]
    assert len(hit) == 1 and hit["tingkat"].iloc[0] == "tolak" and hit["baris"].iloc[0] == 3
    msg = hit["pesan"].iloc[0]
    words = {
        "id": ["tanggal tidak valid", "tahun saja", "10000–73050", "1927-05-18", "2099-12-31"],
        "en": ["invalid date", "a year alone", "10000–73050", "1927-05-18", "2099-12-31"],
    }[bahasa]
    assert all(x in msg for x in words), msg
    assert "1905" not in msg
    assert STAFF not in set(tables["pegawai"]["nip"])
    assert _warnings(rep, "tmt_cpns").empty


def test_a_serial_outside_the_range_is_rejected_with_the_old_message(base: Path) -> None:
    df = pd.read_csv(base / "pegawai.csv", dtype=str, keep_default_na=False)
    df.loc[2, "tanggal_lahir"] = "99999"  # 2173-10-14: no birth date
    df.to_csv(base / "pegawai.csv", index=False)
    rep, _ = validate(base)
    hit = rep.issues[rep.issues["nilai"] == "99999"]
    assert len(hit) == 1 and hit["tingkat"].iloc[0] == "tolak"
    assert hit["aturan"].iloc[0] == "tipe:date"
    assert (
        hit["pesan"].iloc[0].startswith("tanggal tidak valid (format yang diharapkan yyyy-mm-dd)")
    )


@pytest.mark.parametrize(
    ("written", "pattern", "code"),
    [
        (["010524", "020524"], "ddmmyy", "%d%m%y"),  # days 1-7: inside the serial range
        (["150224", "280224"], "ddmmyy", "%d%m%y"),
        (["05022024", "28022024"], "ddmmyyyy", "%d%m%Y"),
        (["20240205", "20241231"], "yyyymmdd", "%Y%m%d"),
    ],
)
def test_a_date_typed_without_separators_is_not_a_serial(base, written, pattern, code) -> None:
    """Excel never writes a General number with a leading zero: ``010524`` is 1 May 2024
    typed as ``ddmmyy``, not serial 10524 (1928-10-23). Such dates are rejected with the
    pattern named and the mapping setting that reads them, like ``dd/mm/yyyy``."""
    df = pd.read_csv(base / "pelatihan.csv", dtype=str, keep_default_na=False)
    df.loc[0, "tanggal_mulai"], df.loc[0, "tanggal_selesai"] = written
    df.to_csv(base / "pelatihan.csv", index=False)
    rep, tables = validate(base)
    assert _warnings(rep, "tanggal_mulai").empty and _warnings(rep, "tanggal_selesai").empty
    hit = rep.issues[rep.issues["nilai"].isin(written)]
    assert set(hit["tingkat"]) == {"tolak"} and len(hit) == 2
    assert all(f"berpola {pattern}" in m and f'"{code}"' in m for m in hit["pesan"]), hit["pesan"]
    assert STAFF not in set(tables["pelatihan"]["nip"])


# ------------------------------------------------------------------------------ XLSX


def test_xlsx_numeric_date_cells_are_read_in_the_1900_system(base: Path) -> None:
    df = _to_xlsx(base, "pegawai", {"tmt_cpns": EPOCH_1900})
    rep, tables = validate(base)
    assert rep.n_rejected == 0, rep.issues[["nilai", "pesan"]]
    peg = tables["pegawai"]
    assert peg["tmt_cpns"].dtype == "datetime64[us]"
    got = dict(zip(peg["nip"], peg["tmt_cpns"].dt.strftime("%Y-%m-%d"), strict=True))
    assert got == dict(zip(df["nip"], df["tmt_cpns"], strict=True))
    w = _warnings(rep, "tmt_cpns")
    assert w["baris"].tolist() == [2, 3, 4, 5] and set(w["file"]) == {"pegawai.xlsx"}
    assert w["nilai"].iloc[0] == str(_serial("2010-01-01"))  # the number as the cell holds it
    assert "dibaca sebagai 2010-01-01 (sistem tanggal 1900 buku kerja ini)" in w["pesan"].iloc[0]


def test_xlsx_column_of_dates_and_numbers_becomes_one_date_column(base: Path) -> None:
    df = pd.read_csv(base / "pegawai.csv", dtype=str, keep_default_na=False)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(df.columns))
    for i, row in df.iterrows():
        cells = [row[c] or None for c in df.columns]
        j = list(df.columns).index("tanggal_lahir")
        v = row["tanggal_lahir"]
        # a date cell, a General number, a text "31118", a number with a time of day
        cells[j] = [datetime.fromisoformat(v), _serial(v), str(_serial(v)), _serial(v) + 0.5][i]
        ws.append(cells)
    (base / "pegawai.csv").unlink()
    wb.save(base / "pegawai.xlsx")
    rep, tables = validate(base)
    assert rep.n_rejected == 0, rep.issues[["nilai", "pesan"]]
    born = tables["pegawai"].set_index("nip")["tanggal_lahir"]
    assert born.dtype == "datetime64[us]"
    assert born.dt.strftime("%Y-%m-%d").to_dict() == dict(
        zip(df["nip"], df["tanggal_lahir"], strict=True)
    )
    w = _warnings(rep, "tanggal_lahir")
    assert w["baris"].tolist() == [3, 4, 5]  # not the date cell
    assert "jam 12:00 diabaikan" in w["pesan"].iloc[2]


def test_xlsx_in_the_1904_date_system_is_read_in_it(base: Path) -> None:
    df = _to_xlsx(base, "pelatihan", {"tanggal_mulai": EPOCH_1904}, epoch1904=True)
    wb = openpyxl.load_workbook(base / "pelatihan.xlsx", read_only=True)
    assert wb.epoch == MAC_EPOCH  # the workbook says it is a 1904 one
    wb.close()
    rep, tables = validate(base, bahasa="en")
    assert rep.n_rejected == 0, rep.issues[["nilai", "pesan"]]
    got = tables["pelatihan"].set_index("nip")["tanggal_mulai"].dt.strftime("%Y-%m-%d")
    assert got.to_dict() == dict(zip(df["nip"], df["tanggal_mulai"], strict=True))
    w = _warnings(rep, "tanggal_mulai")
    assert len(w) == 2
    assert w["nilai"].iloc[0] == str(_serial("2024-02-05", EPOCH_1904))
    assert "read as 2024-02-05 (the workbook's 1904 date system)" in w["pesan"].iloc[0]
    # the same number in the 1900 system would be four years and a day earlier
    assert "2020-02-04" not in w["pesan"].iloc[0]


def test_xlsx_numbers_outside_the_range_are_rejected_with_the_old_message(base: Path) -> None:
    df = pd.read_csv(base / "pegawai.csv", dtype=str, keep_default_na=False)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(df.columns))
    j = list(df.columns).index("tanggal_lahir")
    for i, row in df.iterrows():
        cells = [row[c] or None for c in df.columns]
        cells[j] = [1990, 123456, 0, _serial(row["tanggal_lahir"])][i]
        ws.append(cells)
    (base / "pegawai.csv").unlink()
    wb.save(base / "pegawai.xlsx")
    rep, tables = validate(base)
    bad = rep.issues[(rep.issues["kolom"] == "tanggal_lahir") & (rep.issues["tingkat"] == "tolak")]
    assert bad["nilai"].tolist() == ["1990", "123456", "0"]
    assert set(bad["aturan"]) == {"tipe:date"}
    old = "tanggal tertulis sebagai angka seri Excel; format sel sebagai tanggal atau teks"
    assert all(m.startswith(old) for m in bad["pesan"])
    assert "tahun saja" in bad["pesan"].iloc[0] and "1905" not in bad["pesan"].iloc[0]
    assert list(tables["pegawai"]["nip"]) == [PPPK]
    assert len(_warnings(rep, "tanggal_lahir")) == 1


def test_parquet_numbers_in_a_date_column_are_not_read_as_serials(base: Path) -> None:
    # a typed file: a number where a date belongs is no spreadsheet's serial
    df = pd.read_csv(base / "pelatihan.csv", dtype=str, keep_default_na=False)
    df["tanggal_mulai"] = [float(_serial(v)) for v in df["tanggal_mulai"]]
    df["jp"] = df["jp"].astype(int)
    (base / "pelatihan.csv").unlink()
    df.to_parquet(base / "pelatihan.parquet", index=False)
    rep, _ = validate(base)
    bad = rep.issues[rep.issues["kolom"] == "tanggal_mulai"]
    assert set(bad["tingkat"]) == {"tolak"} and len(bad) == 2
    assert f"{_serial('2024-02-05')} = 2024-02-05" in bad["pesan"].iloc[0]


def test_a_converted_date_meets_the_contracts_date_rules(base: Path) -> None:
    # a serial that reads as a birth date 5 years before the last period is rejected by
    # the age rule (pseudonymous IDs: no NIP to check the date against), and a training
    # date after the last period is warned about, as any other date would be
    df = pd.read_csv(base / "pegawai.csv", dtype=str, keep_default_na=False)
    df.loc[1, "tanggal_lahir"] = str(_serial("2019-06-30"))
    df.to_csv(base / "pegawai.csv", index=False)
    df = pd.read_csv(base / "pelatihan.csv", dtype=str, keep_default_na=False)
    df.loc[1, "tanggal_selesai"] = str(_serial("2024-09-02"))
    df.to_csv(base / "pelatihan.csv", index=False)
    rep, _ = validate(base, pseudonim=True)
    age = rep.issues[(rep.issues["aturan"] == "tanggal_lahir_mustahil")]
    assert age["baris"].tolist() == [3] and set(age["tingkat"]) == {"tolak"}
    assert _warnings(rep, "tanggal_lahir")["baris"].tolist() == [3]
    late = rep.issues[rep.issues["aturan"] == "tanggal_masa_depan"]
    assert late["baris"].tolist() == [3] and set(late["kolom"]) == {"tanggal_selesai"}
    assert "dibaca sebagai 2024-09-02" in _warnings(rep, "tanggal_selesai")["pesan"].iloc[0]


def test_boss_keeps_being_the_supervisor_when_their_date_was_a_serial(base: Path) -> None:
    df = pd.read_csv(base / "pegawai.csv", dtype=str, keep_default_na=False)
    df.loc[0, "tanggal_lahir"] = str(_serial("1985-03-12"))
    df.to_csv(base / "pegawai.csv", index=False)
    rep, tables = validate(base)
    assert rep.n_rejected == 0
    assert BOSS in set(tables["pegawai"]["nip"])
    assert set(tables["perilaku"]["id_penilai"]) >= {BOSS}


def test_an_xlsx_date_time_cell_is_read_as_its_date_with_a_warning(base: Path) -> None:
    """A date-formatted cell with a time of day (SIASN / e-Kinerja exports store TMT and
    training starts so) is a date: read as its day, the time said to be dropped, as for a
    serial with a fraction; midnight is a plain date."""
    df = pd.read_csv(base / "pelatihan.csv", dtype=str, keep_default_na=False)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(df.columns))
    for i, (_, row) in enumerate(df.iterrows()):
        cells = [row[c] if row[c] != "" else None for c in df.columns]
        start = df.columns.get_loc("tanggal_mulai")
        cells[start] = datetime.fromisoformat(row["tanggal_mulai"]).replace(
            hour=8 if i == 0 else 0, minute=30 if i == 0 else 0
        )
        ws.append(cells)
    (base / "pelatihan.csv").unlink()
    wb.save(base / "pelatihan.xlsx")
    for bahasa, words in (("id", "jam 08:30 diabaikan"), ("en", "time of day 08:30 dropped")):
        rep, tables = validate(base, bahasa=bahasa)
        assert rep.n_rejected == 0, rep.issues[["nilai", "pesan"]]
        w = rep.issues[rep.issues["aturan"] == "tanggal_dengan_jam"]
        assert len(w) == 1 and w["baris"].iloc[0] == 2 and w["tingkat"].iloc[0] == "peringatan"
        assert words in w["pesan"].iloc[0] and df.loc[0, "tanggal_mulai"] in w["pesan"].iloc[0]
        got = tables["pelatihan"]["tanggal_mulai"].dt.strftime("%Y-%m-%d").tolist()
        assert sorted(got) == sorted(df["tanggal_mulai"].tolist())


def test_a_serial_with_a_decimal_comma_in_a_point_file_gets_its_date_named(base: Path) -> None:
    """``45413,75`` where the file's numbers use a decimal point is not read (the comma is
    not this file's decimal mark), but the message says which date the serial stands for."""
    df = pd.read_csv(base / "pelatihan.csv", dtype=str, keep_default_na=False)
    df.loc[0, "tanggal_mulai"] = f"{_serial('2024-05-01')},75"
    df.to_csv(base / "pelatihan.csv", index=False)
    rep, _ = validate(base)
    hit = rep.issues[rep.issues["kolom"] == "tanggal_mulai"]
    assert len(hit) == 1 and hit["tingkat"].iloc[0] == "tolak"
    assert "= 2024-05-01" in hit["pesan"].iloc[0] and "angka seri" in hit["pesan"].iloc[0]
