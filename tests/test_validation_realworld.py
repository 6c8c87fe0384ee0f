"""Real-world exports that passed validation with a wrong or unhelpful result: each kind
on a small inline dataset (NIPs written with separators, a required table whose every
row is rejected, dates as dd/mm/yyyy text, thousands separators, NIPs stored as numbers
in Excel, a period missing in the middle, the one-line "unusable" message)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_narrative import fakta
from test_validation_inputs import BOSS, PEER, PPPK, STAFF, TODAY, validate, write_base

from kinerja_analysis import DatasetError, load_dataset
from kinerja_analysis.core.periods import missing_periods
from kinerja_analysis.data.messages import MESSAGES
from kinerja_analysis.data.validation import date_format_hint
from kinerja_analysis.reporting.facts import _absence
from kinerja_analysis.reporting.narrative import write_report


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return write_base(tmp_path / "data")


def _spaced(nip: str, sep: str) -> str:
    return sep.join([nip[:8], nip[8:14], nip[14], nip[15:]])


def _rewrite(path: Path, column: str, fn) -> None:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df[column] = [fn(v) for v in df[column]]
    df.to_csv(path, index=False)


# --------------------------------------------------------------------- A(i) NIP separators


@pytest.mark.parametrize("sep", [" ", "-", ".", "/", "_", "\u00a0", " - "])
def test_nip_separators_are_one_kind_across_tables(base: Path, sep: str) -> None:
    # pegawai with one separator, skp with another: the same employees
    _rewrite(base / "pegawai.csv", "nip", lambda v: _spaced(v, " "))
    _rewrite(base / "skp.csv", "nip", lambda v: _spaced(v, sep))
    rep, tables = validate(base)
    assert rep.usable and rep.n_rejected == 0, rep.issues[["nilai", "pesan"]]
    assert set(tables["skp"]["nip"]) == {STAFF, PEER, PPPK}


@pytest.mark.parametrize("bad", ["19850312-201001-1-00", "1985-0312-2010-0110-01x", "A-1"])
def test_separators_are_stripped_only_when_a_nip_remains(base: Path, bad: str) -> None:
    df = pd.read_csv(base / "skp.csv", dtype=str, keep_default_na=False)
    df.loc[0, "nip"] = bad
    df.to_csv(base / "skp.csv", index=False)
    rep, _ = validate(base)
    hit = rep.issues[(rep.issues["file"] == "skp.csv") & (rep.issues["baris"] == 2)]
    assert len(hit) == 1 and hit["aturan"].iloc[0] == "tipe:nip"
    assert hit["nilai"].iloc[0] == bad  # the message names the value as written


# ----------------------------------------------- A(ii) a table whose every row is rejected


def test_period_table_with_every_row_rejected_is_unusable(base: Path) -> None:
    # skp's NIPs in a form no rule can read, while penilaian_resmi would be fine: the
    # report must not read the empty skp as "every employee without SKP"
    pd.DataFrame(
        {"nip": [STAFF, PEER], "periode": ["2024Q1", "2024Q1"], "predikat": ["Baik"] * 2}
    ).to_csv(base / "penilaian_resmi.csv", index=False)
    _rewrite(base / "skp.csv", "nip", lambda v: "NIP:" + v)
    rep, _ = validate(base)
    assert not rep.usable and rep.exit_code == 2
    first = rep.structure.iloc[0]
    assert first["tingkat"] == "fatal" and first["file"] == "skp.csv"
    assert "0 dari 12 baris diterima" in first["pesan"]
    assert "kolom nip, 12 baris" in first["pesan"] and "NIP harus 18 digit" in first["pesan"]
    with pytest.raises(DatasetError, match="skp.csv: 0 dari 12 baris diterima"):
        load_dataset(base, today=TODAY)


def test_optional_table_with_every_row_rejected_is_not_used(base: Path) -> None:
    pd.DataFrame(
        {
            "nip": ["x" + STAFF, "x" + PEER],
            "periode": ["2024Q1", "2024Q1"],
            "tanggal": ["2024-02-01", "2024-02-02"],
            "pemberi": [BOSS, BOSS],
            "bentuk": ["lisan", "lisan"],
            "kualitas": [4, 3],
        }
    ).to_csv(base / "umpan_balik.csv", index=False)
    rep, tables = validate(base)
    assert rep.usable and "umpan_balik" not in tables
    st = rep.structure
    hit = st[st["tabel"] == "umpan_balik"]
    assert len(hit) == 1 and hit["tingkat"].iloc[0] == "peringatan"
    assert "0 dari 2 baris diterima" in hit["pesan"].iloc[0]
    assert "tidak tersedia, bukan nol" in hit["pesan"].iloc[0]
    en, _ = validate(base, bahasa="en")
    assert "0 of 2 rows accepted" in en.structure["pesan"].iloc[0]


def _peg(nips: list[str], opd: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"nip": pd.array(nips, dtype="string"), "opd": opd})


def test_absence_not_assessable_when_rejected_rows_could_hide_employees(base: Path) -> None:
    # one SKP row of 2024Q2 has an unreadable NIP: anyone may be behind it, so
    # "SKP kosong" cannot be counted for 2024Q2; 2024Q1 is untouched
    df = pd.read_csv(base / "skp.csv", dtype=str, keep_default_na=False)
    i = df.index[(df["periode"] == "2024Q2") & (df["nip"] == STAFF)][0]
    df.loc[i, "nip"] = "19900101/2015"
    df.to_csv(base / "skp.csv", index=False)
    ds = load_dataset(base, today=TODAY)
    rep = ds.validation
    assert not rep.absence_assessable("skp", "2024Q2")
    assert rep.absence_assessable("skp", "2024Q1")
    peg = ds.pegawai
    assert _absence(ds, "skp", "2024Q2", peg)[0].isna().all()
    q1 = _absence(ds, "skp", "2024Q1", peg)[0]
    assert q1["Dinas A"] == pytest.approx(0.25)  # the head of the OPD has no SKP row


def test_employee_whose_rows_were_rejected_is_not_counted_as_absent(base: Path) -> None:
    # both of STAFF's 2024Q2 SKP rows rejected for their values: STAFF has an SKP,
    # though an unusable one, and the rejection says which employee it belongs to
    df = pd.read_csv(base / "skp.csv", dtype=str, keep_default_na=False)
    m = (df["periode"] == "2024Q2") & (df["nip"] == STAFF)
    df.loc[m, "target"] = "0"
    df.to_csv(base / "skp.csv", index=False)
    ds = load_dataset(base, today=TODAY)
    assert ds.validation.absence_assessable("skp", "2024Q2")
    assert ds.validation.present_despite_rejection("skp", "2024Q2") == [STAFF]
    assert STAFF not in set(ds.skp.loc[ds.skp["periode"] == "2024Q2", "nip"])
    share = _absence(ds, "skp", "2024Q2", ds.pegawai)[0]
    assert share["Dinas A"] == pytest.approx(0.25)  # still only the head: 1 of 4


def test_rejected_presence_survives_the_cache(base: Path, tmp_path: Path) -> None:
    df = pd.read_csv(base / "skp.csv", dtype=str, keep_default_na=False)
    df.loc[0, "nip"] = "1990"
    df.to_csv(base / "skp.csv", index=False)
    fresh = load_dataset(base, today=TODAY, cache=tmp_path / "c")
    again = load_dataset(base, today=TODAY, cache=tmp_path / "c")
    assert not fresh.validation.absence_assessable("skp", "2024Q1")
    assert not again.validation.absence_assessable("skp", "2024Q1")
    # it holds NIPs: never among the report's files
    assert "rejected_presence" not in fresh.validation.files()


# ---------------------------------------------------------------------- B dates as text


@pytest.mark.parametrize(
    ("values", "expect", "bahasa"),
    [
        (["07/05/1968", "24/09/1975", "01/02/1980"], 'format: {tanggal: "%d/%m/%Y"}', "id"),
        (["07-05-1968", "24-09-1975"], '{tanggal: "%d-%m-%Y"}', "id"),
        (["05/07/1968", "09/24/1975"], '{tanggal: "%m/%d/%Y"}', "en"),
        (["1968/05/07", "1975/09/24"], '{tanggal: "%Y/%m/%d"}', "en"),
        (["24.09.75"], '{tanggal: "%d.%m.%y"}', "en"),
    ],
)
def test_date_hint_names_the_mapping_setting(values, expect, bahasa) -> None:
    hint = date_format_hint(
        np.array(values, dtype=object), np.ones(len(values)), "%Y-%m-%d", bahasa
    )
    assert expect in hint


def test_date_hint_never_guesses_day_and_month() -> None:
    hint = date_format_hint(
        np.array(["07/05/1968", "01/02/1980"]), np.array([3, 1]), "%Y-%m-%d", "en"
    )
    assert "dd/mm/yyyy or mm/dd/yyyy" in hint and "cannot be told" in hint
    assert '"%d/%m/%Y"' in hint and '"%m/%d/%Y"' in hint
    mixed = date_format_hint(
        np.array(["24/05/1968", "05/24/1968"]), np.array([1, 1]), "%Y-%m-%d", "en"
    )
    assert "mix" in mixed and "%" not in mixed
    # the declared format is not suggested again; unknown shapes get no hint
    assert date_format_hint(np.array(["24/05/1968"]), np.array([1]), "%d/%m/%Y", "en") == ""
    assert date_format_hint(np.array(["kemarin"]), np.array([1]), "%Y-%m-%d", "en") == ""


def test_dates_dd_mm_yyyy_in_a_csv_get_the_hint_and_the_hint_works(base: Path, tmp_path) -> None:
    for col in ("tanggal_lahir", "tmt_cpns"):
        _rewrite(base / "pegawai.csv", col, lambda v: f"{v[8:10]}/{v[5:7]}/{v[:4]}")
    rep, _ = validate(base)
    first = rep.structure.iloc[0]
    assert "pegawai.csv: 0 dari 4 baris diterima" in first["pesan"]
    assert 'format: {tanggal: "%d/%m/%Y"}' in first["pesan"]
    mapping = tmp_path / "pemetaan.yaml"
    mapping.write_text('format:\n  tanggal: "%d/%m/%Y"\n', encoding="utf-8")
    rep, _ = validate(base, mapping=mapping)
    assert rep.usable and rep.n_rejected == 0


def test_excel_serial_dates_say_which_date_they_stand_for(base: Path) -> None:
    # a CSV date column in Excel's "General" format: the serial is read as the date it
    # stands for (a warning that names it), and the contract's rules judge that date —
    # here the NIP says 1985-03-12, so 24965 (1968-05-07) is caught by the NIP check
    _rewrite(base / "pegawai.csv", "tanggal_lahir", lambda v: "24965" if v == "1985-03-12" else v)
    rep, _ = validate(base)
    hit = rep.issues[(rep.issues["kolom"] == "tanggal_lahir") & (rep.issues["nilai"] == "24965")]
    assert len(hit) == 1 and hit["tingkat"].iloc[0] == "peringatan"
    assert hit["aturan"].iloc[0] == "tanggal_serial_excel" and hit["baris"].iloc[0] == 2
    assert "dibaca sebagai 1968-05-07" in hit["pesan"].iloc[0]
    assert "sistem tanggal 1900 diasumsikan" in hit["pesan"].iloc[0]
    nip = rep.issues[(rep.issues["aturan"] == "nip_tanggal_lahir") & (rep.issues["baris"] == 2)]
    assert len(nip) == 1 and "1968-05-07" in nip["pesan"].iloc[0]


def test_xlsx_serial_date_cells_say_which_date_they_stand_for(base: Path) -> None:
    df = pd.read_csv(base / "pegawai.csv", dtype=str, keep_default_na=False)
    df["tanggal_lahir"] = [
        float((pd.Timestamp(v) - pd.Timestamp("1899-12-30")).days) for v in df["tanggal_lahir"]
    ]
    (base / "pegawai.csv").unlink()
    df.to_excel(base / "pegawai.xlsx", index=False)
    rep, tables = validate(base)
    hit = rep.issues[rep.issues["kolom"] == "tanggal_lahir"]
    assert len(hit) == 4 and set(hit["tingkat"]) == {"peringatan"} and rep.n_rejected == 0
    first = hit.sort_values("baris").iloc[0]
    assert first["nilai"] == "31118" and "dibaca sebagai 1985-03-12" in first["pesan"]
    assert "Excel" in first["pesan"] and "sistem tanggal 1900 buku kerja ini" in first["pesan"]
    born = tables["pegawai"].set_index("nip")["tanggal_lahir"]
    assert born.dtype == "datetime64[us]" and born[BOSS] == pd.Timestamp("1985-03-12")


# ---------------------------------------------------------------- C thousands separators


@pytest.mark.parametrize(
    ("text", "key"),
    [("1,960", "angka_ribuan_koma"), ("12,345,678", "angka_ribuan_koma"),
     ("18,75", "angka_desimal_koma"), ("1.960", "angka_ribuan_ambigu")],
)  # fmt: skip
@pytest.mark.parametrize("declared", [False, True])
def test_thousands_or_decimal_is_said_to_be_ambiguous(
    base: Path, tmp_path: Path, text: str, key: str, declared: bool
) -> None:
    df = pd.read_csv(base / "pelatihan.csv", dtype=str, keep_default_na=False)
    df.loc[0, "jp"] = text
    if "," in text:
        df.loc[1, "jp"] = "10.5"  # the file's decimal mark is '.'
    df.to_csv(base / "pelatihan.csv", index=False)
    mapping = None
    if declared:
        mapping = tmp_path / "m.yaml"
        mapping.write_text('format:\n  desimal: "."\n', encoding="utf-8")
    rep, _ = validate(base, mapping=mapping)
    hit = rep.issues[(rep.issues["kolom"] == "jp") & (rep.issues["nilai"] == text)]
    assert len(hit) == 1
    want = MESSAGES(key, "id", desimal=".")
    assert hit["pesan"].iloc[0].startswith(want[:40])
    if key != "angka_desimal_koma":
        assert "ambigu" in hit["pesan"].iloc[0]  # never "looks like a decimal comma"


# ---------------------------------------------------------- D NIP as a number in Excel


def test_xlsx_numeric_nip_is_quoted_as_held_and_dependents_grouped(base: Path) -> None:
    df = pd.read_csv(base / "pegawai.csv", dtype=str, keep_default_na=False)
    df["nip"] = pd.Series([float(v) for v in df["nip"]], dtype=object)
    (base / "pegawai.csv").unlink()
    df.to_excel(base / "pegawai.xlsx", index=False)
    rep, _ = validate(base)
    peg = rep.issues[(rep.issues["tabel"] == "pegawai") & (rep.issues["kolom"] == "nip")]
    assert set(peg["nilai"]) == {repr(float(n)) for n in (BOSS, STAFF, PEER, PPPK)}
    assert "1.98503122010011e+17" in set(peg["nilai"])
    assert not any(v.isdigit() for v in peg["nilai"])  # no invented digits
    assert peg["pesan"].str.contains("bertipe angka").all()
    skp = rep.issues[rep.issues["tabel"] == "skp"]
    assert (skp["aturan"] == "referensi:pegawai_ditolak").all()
    assert skp["pesan"].str.contains("ditolak di pegawai.xlsx").all()
    assert rep.causes()["n_baris"].sum() >= len(skp)


def test_lossy_match_is_not_claimed_when_two_employees_round_alike(base: Path) -> None:
    # two employees whose NIPs share the first 6 digits, both written as 1.98503E+17
    other = "198503152011012001"
    df = pd.read_csv(base / "pegawai.csv", dtype=str, keep_default_na=False)
    extra = df.iloc[[1]].copy()
    extra["nip"], extra["tanggal_lahir"], extra["tmt_cpns"] = other, "1985-03-15", "2011-01-01"
    df = pd.concat([df, extra], ignore_index=True)
    df.loc[df["nip"].isin([BOSS, other]), "nip"] = "1.98503E+17"
    df.to_csv(base / "pegawai.csv", index=False)
    rep, _ = validate(base)
    sup = rep.issues[rep.issues["kolom"] == "nip_atasan"]
    assert len(sup) and not sup["aturan"].eq("referensi:pegawai_ditolak").any()


# ------------------------------------------------------------- E a period in the middle


def test_missing_periods() -> None:
    assert missing_periods(["2024Q1", "2024Q2", "2025Q1"]) == ["2024Q3", "2024Q4"]
    assert missing_periods(["2024S1", "2025S2"]) == ["2024S2", "2025S1"]
    assert missing_periods(["2024", "2025"]) == []


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_gap_between_periods_is_a_warning(base: Path, bahasa: str) -> None:
    for name in ("skp", "perilaku"):
        _rewrite(base / f"{name}.csv", "periode", lambda v: "2024Q4" if v == "2024Q2" else v)
    rep, _ = validate(base, bahasa=bahasa)
    assert rep.usable and rep.periods == ("2024Q1", "2024Q4")
    warn = rep.structure[rep.structure["tingkat"] == "peringatan"]["pesan"]
    assert len(warn) == 1 and "2024Q2, 2024Q3" in warn.iloc[0]
    assert ("triwulan" if bahasa == "id" else "quarter") in warn.iloc[0]
    assert rep.exit_code == 1


def test_no_gap_no_warning(base: Path) -> None:
    rep, _ = validate(base)
    assert rep.structure.empty and rep.exit_code == 0


# ---------------------------------------------------------- F the "unusable" message


def test_unusable_message_is_one_problem_per_line_and_nothing_refers_above(base: Path) -> None:
    pd.DataFrame({"nip": [BOSS], "nama": ["A"]}).to_csv(base / "pegawai.csv", index=False)
    _rewrite(base / "skp.csv", "target", lambda v: "-1")
    with pytest.raises(DatasetError) as exc:
        load_dataset(base, today=TODAY)
    text = str(exc.value)
    assert " | " not in text and "di atas" not in text
    lines = text.strip("\n").splitlines()
    assert len(lines) >= 2 and all(line.startswith("  - ") for line in lines)


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_document_says_when_empty_skp_cannot_be_assessed(bahasa: str) -> None:
    r = pd.DataFrame(
        {
            "opd": ["Dinas A", "Dinas B"],
            "penerimaan": [3.1, 3.4],
            "pct_skp_kosong": [np.nan, np.nan],
            "pct_tanpa_umpan_balik": [0.05, 0.1],
            "n": [40, 50],
        }
    )
    r.attrs["tak_dinilai"] = ["skp"]
    text = write_report(fakta(bahasa=bahasa, resistensi=r))["tantangan"]
    said = {"id": "SKP kosong tidak dapat dinilai", "en": "Empty SKPs cannot be assessed"}
    assert said[bahasa] in text
    # and nothing claims a signal from the SKP share
    assert "7 OPD" not in text and "100" not in text
    r.attrs["tak_dinilai"] = []
    assert said[bahasa] not in write_report(fakta(bahasa=bahasa, resistensi=r))["tantangan"]


def test_tables_emptied_only_by_rejected_employees_are_kept(base: Path) -> None:
    # STAFF rejected in pegawai takes their one training row along: pelatihan has no
    # accepted row, but nothing is wrong with pelatihan itself (STAFF is out of every
    # table, so no indicator counts them absent): kept, no warning about it
    df = pd.read_csv(base / "pelatihan.csv", dtype=str, keep_default_na=False)
    df = df[df["nip"] == STAFF]
    df.to_csv(base / "pelatihan.csv", index=False)
    _rewrite(
        base / "pegawai.csv", "tanggal_lahir", lambda v: "1990-01-02" if v == "1990-01-01" else v
    )
    rep, tables = validate(base)
    assert rep.usable and "pelatihan" in tables and len(tables["pelatihan"]) == 0
    assert "pelatihan" not in rep.structure["tabel"].tolist()


def test_an_impossible_date_gets_no_format_to_declare() -> None:
    """helper-77: ``31/02/1970`` was told to declare ``%d/%m/%Y``, which would not read
    it. A text that is no date in any order is a wrong value and counts toward no
    pattern; the real dates beside it still get theirs, with their own count."""
    from kinerja_analysis.data.validation import date_format_hint

    def hint(texts, counts=None):
        c = np.ones(len(texts), dtype=int) if counts is None else np.array(counts)
        return date_format_hint(np.array(texts, dtype=object), c, "%Y-%m-%d", "en")

    for bad in (
        ["31/02/1970"], ["31/04/2001", "30-02-1999"], ["2024/02/30"], ["19990231"],
        ["310270"], ["290201"], ["31021970"],  # compact: no serial number to explain either
    ):  # fmt: skip
        assert hint(bad) == "", bad
    got = hint(["31/02/1970", "25/12/1980"], [1, 3])
    assert (
        got.startswith("; 3 of 4 failing values follow the pattern dd/mm/yyyy")
        and "%d/%m/%Y" in got
    )
    # 29 February: a date in leap years only
    assert hint(["29/02/1999"]) == "" and "%d/%m/%Y" in hint(["29/02/2000", "13/01/2000"])
