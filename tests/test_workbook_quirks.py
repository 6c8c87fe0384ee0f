"""Workbooks as agencies export them: one table over several sheets (a year or a group
of employees per sheet), merged cells in the data area (a ``Unit Kerja`` cell merged over
its OPD's rows), and a table that loses most of its rows in validation.

Each workbook is built here with openpyxl, a few rows each; every row number a message
names is checked against the sheet it is on."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from kinerja_analysis.data.loading import validate_dataset
from kinerja_analysis.pipeline import batch
from kinerja_analysis.pipeline.cli import app

BOSS = "198503122010011001"
STAFF = "199001012015032002"
PEER = "199202022016011003"
PPPK = "196804042023212001"
TODAY = date(2026, 1, 15)

PEGAWAI = [
    "nip", "jenis_kelamin", "tanggal_lahir", "opd", "jabatan", "jenis_jabatan", "golongan",
    "tmt_cpns", "nip_atasan", "status_kepegawaian",
]  # fmt: skip
PEOPLE = {
    BOSS: [BOSS, "L", "1985-03-12", "Dinas A", "Kepala Dinas", "jpt", "IV/c", "2010-01-01", None, "PNS"],
    STAFF: [STAFF, "P", "1990-01-01", "Dinas A", "Analis", "pelaksana", "III/a", "2015-03-01", BOSS, "PNS"],
    PEER: [PEER, "L", "1992-02-02", "Dinas A", "Analis", "pelaksana", "III/a", "2016-01-01", BOSS, "PNS"],
    PPPK: [PPPK, "P", "1968-04-04", "Dinas A", "Guru Ahli Pertama", "fungsional", "IX", "2023-03-01", BOSS, "PPPK"],
}  # fmt: skip
SKP = ["nip", "periode", "indikator", "aspek", "target", "realisasi"]


def skp_rows(period: str) -> list[list]:
    out = []
    for nip in (STAFF, PEER, PPPK):
        out.append([nip, period, "i1", "kuantitas", 10.0, 11.0])
        out.append([nip, period, "i1", "waktu", 3.0, 3.0])
    return out


def workbook(path: Path, sheets: dict[str, list[list]]) -> openpyxl.Workbook:
    """A workbook of ``sheets`` (name → rows, the header first), saved to ``path``."""
    wb = openpyxl.Workbook()
    for i, (name, rows) in enumerate(sheets.items()):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = name
        for r in rows:
            ws.append(r)
    wb.save(path)
    return wb


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    pd.DataFrame(rows, columns=header).to_csv(path, index=False)


def folder(tmp_path: Path, *, pegawai: bool = True, skp: bool = True) -> Path:
    """A small clean dataset as CSV (pegawai, skp of 2024Q1 and 2024Q2)."""
    d = tmp_path / "data"
    d.mkdir()
    if pegawai:
        write_csv(d / "pegawai.csv", PEGAWAI, list(PEOPLE.values()))
    if skp:
        write_csv(d / "skp.csv", SKP, skp_rows("2024Q1") + skp_rows("2024Q2"))
    return d


def validate(d: Path, mapping: Path | None = None, bahasa: str = "id"):
    return validate_dataset(d, mapping=mapping, today=TODAY, bahasa=bahasa)[:2]


def structure(rep, level: str | None = None) -> list[str]:
    s = rep.structure
    if level is not None:
        s = s[s["tingkat"] == level]
    return s["pesan"].astype(str).tolist()


# --------------------------------------------------------------------------- several sheets


def test_sheets_with_the_same_columns_are_all_read_and_stacked(tmp_path: Path) -> None:
    """The tester's x_sheets_dup: one sheet per period; only the first was read, silently
    (half the SKP rows lost, exit 0)."""
    d = folder(tmp_path, skp=False)
    workbook(
        d / "skp.xlsx",
        {"TW I": [SKP, *skp_rows("2024Q1")], "TW II": [SKP, *skp_rows("2024Q2")]},
    )
    rep, tables = validate(d)
    assert len(tables["skp"]) == 12
    assert sorted(tables["skp"]["periode"].unique()) == ["2024Q1", "2024Q2"]
    assert rep.periods == ("2024Q1", "2024Q2")
    row = rep.summary.set_index("tabel").loc["skp"]
    assert (row["rows_read"], row["rows_rejected"], row["sheet"]) == (12, 0, "TW I / TW II")
    note = [p for p in structure(rep, "info") if "'TW I': 6, 'TW II': 6" in p]
    assert len(note) == 1 and "skp.xlsx [TW II]' baris 2" in note[0], structure(rep)
    assert rep.exit_code == 0, (structure(rep), rep.messages())
    en, _ = validate(d, bahasa="en")
    assert any("'TW I': 6, 'TW II': 6" in p and "are read" in p for p in structure(en))


def test_a_row_of_a_stacked_sheet_is_named_with_its_sheet_everywhere(tmp_path: Path) -> None:
    """Row 3 of sheet 'TW II' is also row 3 of 'TW I': the console, masalah.csv, the
    rejected rows and the validation workbook name the sheet with the file."""
    d = folder(tmp_path, skp=False)
    second = skp_rows("2024Q2")
    second[1][5] = "tiga"  # row 3 of sheet TW II
    workbook(d / "skp.xlsx", {"TW I": [SKP, *skp_rows("2024Q1")], "TW II": [SKP, *second]})
    out = tmp_path / "out"
    res = CliRunner().invoke(
        app, ["validate", str(d), "--out", str(out), "--show", "20"], env={"COLUMNS": "250"}
    )
    assert res.exit_code == 1, res.output
    assert "skp.xlsx [TW II] baris 3, kolom realisasi, nilai 'tiga'" in res.output
    assert "sheet 'TW I', 'TW II' (digabung)" in res.output
    masalah = pd.read_csv(out / "masalah.csv", dtype=str)
    hit = masalah[masalah["kolom"] == "realisasi"]
    assert hit[["file", "baris"]].values.tolist() == [["skp.xlsx [TW II]", "3"]]
    rejected = pd.read_csv(out / "penolakan" / "skp.csv", dtype=str)
    assert rejected[["file", "baris", "realisasi"]].values.tolist() == [
        ["skp.xlsx [TW II]", "3", "tiga"]
    ]
    wb = openpyxl.load_workbook(out / "validasi.xlsx", read_only=True)
    cells = {str(c) for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for c in r}
    assert "skp.xlsx [TW II]" in cells
    # the row in Excel: sheet TW II, row 3 holds the value the message quotes
    ws = openpyxl.load_workbook(d / "skp.xlsx")["TW II"]
    assert ws["F3"].value == "tiga"


def test_register_over_two_sheets_names_each_row_by_its_sheet(tmp_path: Path) -> None:
    """The tester's x_sheets: 'Pegawai Aktif' and 'Pegawai Pensiun' (a summary sheet in
    front). The second sheet's rows are read; a duplicate across the sheets, a rejected
    employee of the second sheet and the rows that depend on it name the sheet."""
    d = folder(tmp_path, pegawai=False)
    bad = list(PEOPLE[PPPK])
    bad[1] = "X"  # jenis_kelamin: Pegawai Pensiun row 2 rejected
    workbook(
        d / "pegawai.xlsx",
        {
            "Rekap OPD": [["opd", "jumlah"], ["Dinas A", 4]],
            "Pegawai Aktif": [PEGAWAI, PEOPLE[BOSS], PEOPLE[STAFF], PEOPLE[PEER]],
            "Pegawai Pensiun": [PEGAWAI, bad, PEOPLE[STAFF]],
        },
    )
    rep, tables = validate(d)
    assert sorted(tables["pegawai"]["nip"]) == sorted([BOSS, STAFF, PEER])
    iss = rep.issues
    dup = iss[iss["aturan"] == "kunci_unik"]
    assert dup[["file", "baris"]].astype(str).values.tolist() == [
        ["pegawai.xlsx [Pegawai Pensiun]", "3"]
    ]
    assert "baris 3 (sheet 'Pegawai Aktif')" in dup["pesan"].iloc[0]
    own = iss[(iss["tabel"] == "pegawai") & (iss["kolom"] == "jenis_kelamin")]
    assert own[["file", "baris"]].astype(str).values.tolist()[0] == [
        "pegawai.xlsx [Pegawai Pensiun]",
        "2",
    ]
    dep = iss[(iss["tabel"] == "skp") & (iss["tingkat"] == "tolak")]
    assert len(dep) == 4 and set(dep["sebab"]) == {"pegawai.xlsx [Pegawai Pensiun] baris 2"}
    assert "pegawai.xlsx [Pegawai Pensiun] baris 2" in dep["pesan"].iloc[0]
    cause = rep.causes().iloc[0]
    assert cause["pesan"].startswith(
        "pegawai.xlsx [Pegawai Pensiun] baris 2 ditolak (kolom jenis_kelamin, nilai 'X'"
    ), cause["pesan"]
    assert rep.summary.set_index("tabel").loc["pegawai", "sheet"] == (
        "Pegawai Aktif / Pegawai Pensiun"
    )


def _two_quarters(tmp_path: Path, sheet: str):
    """``validate`` of a folder whose skp workbook has sheets ``TW I`` (2024Q1) and
    ``TW II`` (2024Q2), with a mapping that names ``sheet``."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    d = folder(tmp_path, skp=False)
    workbook(
        d / "skp.xlsx",
        {"TW I": [SKP, *skp_rows("2024Q1")], "TW II": [SKP, *skp_rows("2024Q2")]},
    )
    m = tmp_path / "m.yaml"
    m.write_text(f'tabel:\n  skp:\n    sheet: "{sheet}"\n', encoding="utf-8")
    return validate(d, mapping=m)


def test_a_mapping_naming_a_sheet_reads_only_that_sheet(tmp_path: Path) -> None:
    """A fourth tester (t10 N4): a mapping naming one sheet silently left out the other
    sheet holding the table (all of 2024's SKP, exit 0). It is read alone, and the sheet
    left out is named with the mapping line that reads both."""
    rep, tables = _two_quarters(tmp_path, "TW II")
    assert len(tables["skp"]) == 6 and set(tables["skp"]["periode"]) == {"2024Q2"}
    warn = structure(rep, "peringatan")
    assert len(warn) == 1 and "'TW I'" in warn[0] and '{sheet: ["TW II", "..."]}' in warn[0]
    assert rep.issues.empty or not rep.issues["file"].str.contains(r"\[").any()


def test_a_mapping_may_name_several_sheets_or_a_sheet_by_its_place(tmp_path: Path) -> None:
    """``sheet: [..]`` reads and stacks the sheets named, in that order; ``"#2"`` is the
    second sheet, as messages name a sheet named after an employee (t10 N6)."""
    d = folder(tmp_path, skp=False)
    workbook(
        d / "skp.xlsx",
        {"TW I": [SKP, *skp_rows("2024Q1")], "TW II": [SKP, *skp_rows("2024Q2")]},
    )
    m = tmp_path / "m.yaml"
    m.write_text('tabel:\n  skp:\n    sheet: ["TW I", "#2"]\n', encoding="utf-8")
    rep, tables = validate(d, mapping=m)
    assert len(tables["skp"]) == 12 and not structure(rep, "peringatan"), structure(rep)
    m.write_text('tabel:\n  skp:\n    sheet: "#2"\n', encoding="utf-8")
    rep, tables = validate(d, mapping=m)
    assert set(tables["skp"]["periode"]) == {"2024Q2"}


def test_a_named_sheet_is_found_without_case_and_a_missing_one_stops(tmp_path: Path) -> None:
    """A third tester's ``sheet: "skp 2025"`` for a sheet ``SKP 2025``: refused, and the
    table silently dropped (exit 1; a batch would publish without SKP). Excel's sheet
    names are compared without case; a sheet that does not exist makes the data
    unusable, as a file that cannot be read does."""
    rep, tables = _two_quarters(tmp_path / "a", "tw ii")
    assert set(tables["skp"]["periode"]) == {"2024Q2"} and rep.usable
    rep, _ = _two_quarters(tmp_path / "b", "TW III")
    assert not rep.usable and rep.exit_code == 2
    fatal = structure(rep, "fatal")
    assert any("'TW III'" in p and "'TW I', 'TW II'" in p for p in fatal), fatal


def test_a_sheet_with_the_required_columns_but_other_columns_is_stacked(tmp_path: Path) -> None:
    """A third tester's a_pensiun_extra_col: 'Pegawai Aktif' (242 rows) without TMT
    Keluar beside 'Pegawai Pensiun' (8 rows) with it. The sheet with more columns was
    read alone and the other said "NOT read": a batch published "1 ASN". Every sheet
    holding the required columns is read; a column a sheet lacks is empty on its rows,
    and a warning names which sheet lacks which column."""
    d = folder(tmp_path, pegawai=False)
    short = PEGAWAI[:-1]  # no status_kepegawaian (optional)
    workbook(
        d / "pegawai.xlsx",
        {
            "Pegawai Aktif": [short, PEOPLE[BOSS][:-1], PEOPLE[STAFF][:-1], PEOPLE[PEER][:-1]],
            "Pegawai Pensiun": [[*PEGAWAI, "Alasan Keluar"], [*PEOPLE[PPPK], "pensiun"]],
        },
    )
    rep, tables = validate(d)
    peg = tables["pegawai"].set_index("nip")
    assert sorted(peg.index) == sorted(PEOPLE)
    assert peg.loc[PPPK, "status_kepegawaian"] == "pppk"
    warn = [p for p in structure(rep, "peringatan") if "'Pegawai Aktif'" in p]
    assert len(warn) == 1, structure(rep)
    # the sheet's rows are counted: how many rows the empty column touches
    assert "'Pegawai Aktif' (3 baris): status_kepegawaian" in warn[0] and "TIDAK" not in warn[0]
    assert not any("'Pegawai Pensiun' (" in p and "kosong" in p for p in warn)
    assert rep.exit_code == 1
    en, _ = validate(d, bahasa="en")
    assert any(
        "a column a sheet lacks is empty" in p and "'Pegawai Aktif' (3 rows): status" in p
        for p in structure(en, "peringatan")
    )


def test_every_sheet_lacking_a_column_is_named(tmp_path: Path) -> None:
    """Two sheets with the same short header beside one with every column: both short
    sheets are named with their row counts, not only the one the reader compared first
    (tester helper-63 F6). The mapping puts a short sheet first, so the sheet the others
    are compared with lacks the column itself."""
    d = folder(tmp_path, pegawai=False)
    short = PEGAWAI[:-1]
    workbook(
        d / "pegawai.xlsx",
        {
            "Aktif 1": [short, PEOPLE[BOSS][:-1], PEOPLE[STAFF][:-1]],
            "Aktif 2": [short, PEOPLE[PEER][:-1]],
            "Pensiun": [PEGAWAI, PEOPLE[PPPK]],
        },
    )
    m = tmp_path / "m.yaml"
    m.write_text(
        'tabel:\n  pegawai:\n    sheet: ["Aktif 1", "Aktif 2", "Pensiun"]\n', encoding="utf-8"
    )
    rep, tables = validate(d, mapping=m)
    assert sorted(tables["pegawai"]["nip"]) == sorted(PEOPLE)
    warn = [p for p in structure(rep, "peringatan") if "status_kepegawaian" in p]
    assert len(warn) == 1, structure(rep)
    assert "'Aktif 1' (2 baris): status_kepegawaian" in warn[0]
    assert "'Aktif 2' (1 baris): status_kepegawaian" in warn[0]
    assert "'Pensiun' (" not in warn[0]


def _register_sheets(d: Path, sheets: dict[str, list[list]]) -> None:
    workbook(d / "pegawai.xlsx", {nm: [PEGAWAI, *rows] for nm, rows in sheets.items()})


def _moved(row: list, opd: str = "Dinas Lama") -> list:
    return [*row[:3], opd, *row[4:]]


def test_an_old_copy_of_a_sheet_is_not_read_beside_the_current_one(tmp_path: Path) -> None:
    """A third tester's a_peg_backup_first: Excel's "Move or Copy" put the old copy
    'Pegawai (2)' before the current sheet; both were stacked, the copy's rows came first,
    and every current row was rejected as a duplicate key. The copy (its name says so)
    is left out, with a warning that counts the shared keys and the rows that differ."""
    d = folder(tmp_path, pegawai=False)
    people = list(PEOPLE.values())
    _register_sheets(d, {"Pegawai (2)": [_moved(people[0]), *people[1:]], "Pegawai": people})
    rep, tables = validate(d)
    peg = tables["pegawai"].set_index("nip")
    assert len(peg) == 4 and (peg["opd"] == "Dinas A").all()
    assert rep.issues.empty, rep.messages()
    warn = structure(rep, "peringatan")
    assert len(warn) == 1 and "'Pegawai (2)'" in warn[0], warn
    assert "4 dari 4 kunci [nip] sama, 1 di antaranya berbeda isi" in warn[0]
    assert 'sheet: "Pegawai (2)"' in warn[0]  # how to read the copy instead
    assert rep.summary.set_index("tabel").loc["pegawai", "sheet"] == "Pegawai"
    en, _ = validate(d, bahasa="en")
    assert any("4 of 4 keys [nip] shared" in p for p in structure(en, "peringatan"))


def test_copies_that_cannot_be_told_apart_stop_and_a_mapping_settles_it(tmp_path: Path) -> None:
    """Two sheets holding the same employees, neither named as a copy: which one holds
    cannot be told from the file. Stacking them would reject one of each pair as a
    duplicate, keeping whichever comes first; the data are unusable until the mapping
    names the sheet."""
    d = folder(tmp_path, pegawai=False)
    people = list(PEOPLE.values())
    _register_sheets(d, {"Pegawai Mei": [_moved(people[0]), *people[1:]], "Pegawai Juni": people})
    rep, _ = validate(d)
    assert not rep.usable and rep.exit_code == 2
    fatal = structure(rep, "fatal")
    assert any(
        "'Pegawai Mei' (4), 'Pegawai Juni' (4)" in p and "4 dari 4 kunci" in p
        and 'sheet: "Pegawai Juni"'
        in p for p in fatal
    ), fatal  # fmt: skip
    m = tmp_path / "pemetaan.yaml"
    m.write_text('tabel:\n  pegawai:\n    sheet: "Pegawai Juni"\n', "utf-8")
    rep, tables = validate(d, mapping=m)
    assert rep.usable and (tables["pegawai"]["opd"] == "Dinas A").all()


def test_parts_that_share_a_few_keys_are_still_stacked(tmp_path: Path) -> None:
    """One employee in both sheets (a retiree still listed as active) is a duplicate row,
    not a copy of the sheet: under half of the smaller sheet's keys are shared, so both
    sheets are read and the duplicate is rejected row by row, naming its sheet."""
    d = folder(tmp_path, pegawai=False)
    _register_sheets(
        d,
        {
            "Aktif": [PEOPLE[BOSS], PEOPLE[STAFF], PEOPLE[PEER]],
            "Pensiun": [PEOPLE[PPPK], PEOPLE[BOSS], ["199202022016011009", *PEOPLE[PEER][1:]]],
        },
    )
    rep, tables = validate(d)
    assert len(tables["pegawai"]) == 5
    dup = rep.issues[rep.issues["aturan"].astype(str).str.contains("duplikat|unik", regex=True)]
    assert list(dup["file"]) == ["pegawai.xlsx [Pensiun]"], rep.messages()
    assert not any("salinan" in p for p in structure(rep))


@pytest.mark.parametrize(
    ("name", "hidden", "key"),
    [("Lama", True, "tersembunyi"), ("Contoh Pengisian", False, "contoh atau templat")],
)
def test_a_hidden_or_example_sheet_is_not_stacked(
    tmp_path: Path, name: str, hidden: bool, key: str
) -> None:
    """A hidden sheet (an archive: a third tester's a_hidden_sheet, 20 employees with an
    old unit) and a sheet of example rows (``Contoh Pengisian``, a made-up NIP) hold the
    required columns, but their rows are no one's current data: not read, and said."""
    d = folder(tmp_path, pegawai=False)
    wb = workbook(
        d / "pegawai.xlsx",
        {
            "Pegawai": [PEGAWAI, *PEOPLE.values()],
            name: [PEGAWAI, ["199901012020011009", *PEOPLE[PEER][1:]]],
        },
    )
    if hidden:
        wb[name].sheet_state = "hidden"
        wb.save(d / "pegawai.xlsx")
    rep, tables = validate(d)
    assert sorted(tables["pegawai"]["nip"]) == sorted(PEOPLE)
    warn = [p for p in structure(rep, "peringatan") if f"'{name}'" in p]
    assert len(warn) == 1 and key in warn[0] and "TIDAK dibaca" in warn[0], structure(rep)
    fix = f'sheet: ["Pegawai", "{name}"]'
    assert fix in warn[0], warn
    m = tmp_path / "m.yaml"  # the fix offered, pasted: both sheets read
    m.write_text(f"tabel:\n  pegawai:\n    {fix}\n", encoding="utf-8")
    rep, tables = validate(d, mapping=m)
    assert rep.summary.set_index("tabel").loc["pegawai", "rows_read"] == 5
    assert not structure(rep, "peringatan"), structure(rep)


def _one_workbook_mapping(tmp_path: Path) -> Path:
    """A mapping reading the register, the official ratings and SKP from one workbook."""
    m = tmp_path / "pemetaan.yaml"
    m.write_text(
        "tabel:\n" + "".join(
            f'  {t}:\n    file: "Kinerja.xlsx"\n' for t in ("pegawai", "penilaian_resmi", "skp")
        ),
        "utf-8",
    )  # fmt: skip
    return m


def test_one_workbook_of_several_tables_reads_each_table_from_its_own_sheet(
    tmp_path: Path,
) -> None:
    """A third tester's e_onebook: Pegawai, Rekap (official ratings) and SKP in one
    workbook. The SKP sheet holds ``nip`` and ``periode``, every required column of the
    official ratings: it is the SKP table's sheet (its other columns are SKP's), never
    stacked under the ratings nor said to be "not read"."""
    d = tmp_path / "data"
    d.mkdir()
    rekap = ["nip", "periode", "predikat"]
    workbook(
        d / "Kinerja.xlsx",
        {
            "Pegawai": [PEGAWAI, *PEOPLE.values()],
            "Rekap": [rekap, *[[n, "2024Q1", "Baik"] for n in (STAFF, PEER, PPPK)]],
            "SKP": [SKP, *skp_rows("2024Q1")],
        },
    )
    rep, tables = validate(d, mapping=_one_workbook_mapping(tmp_path))
    assert rep.exit_code == 0, (structure(rep), rep.messages())
    assert len(tables["penilaian_resmi"]) == 3 and len(tables["skp"]) == 6
    sheets = rep.summary.set_index("tabel")["sheet"]
    assert (sheets["penilaian_resmi"], sheets["skp"]) == ("Rekap", "SKP")


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_row_of_column_numbers_under_the_header_is_skipped(tmp_path: Path, kind: str) -> None:
    """A fresh tester (t7 F13): government tables print ``(1) (2) (3) …`` under the header;
    the row was read as an employee (one reject and two warnings). It is skipped and
    said, and every row number a message names is still the spreadsheet's."""
    d = folder(tmp_path, pegawai=False)
    numbers = [f"({i + 1})" for i in range(len(PEGAWAI))]
    bad = list(PEOPLE[PPPK])
    bad[1] = "X"  # row 4 of the file: header 1, numbers 2, BOSS 3, this one 4
    rows = [PEGAWAI, numbers, PEOPLE[BOSS], bad, PEOPLE[STAFF], PEOPLE[PEER]]
    if kind == "xlsx":
        workbook(d / "pegawai.xlsx", {"Pegawai": rows})
    else:
        pd.DataFrame(rows[1:], columns=PEGAWAI).to_csv(d / "pegawai.csv", index=False)
    rep, tables = validate(d)
    assert sorted(tables["pegawai"]["nip"]) == sorted([BOSS, STAFF, PEER])
    own = rep.issues[rep.issues["tabel"] == "pegawai"]
    assert list(own["baris"]) == [4] and set(own["kolom"]) == {"jenis_kelamin"}, rep.messages()
    note = [p for p in structure(rep, "info") if "nomor kolom" in p]
    assert len(note) == 1 and "baris 2 " in note[0], structure(rep)


def test_stacked_sheets_each_skip_their_row_of_column_numbers(tmp_path: Path) -> None:
    d = folder(tmp_path, skp=False)
    numbers = list(range(1, len(SKP) + 1))
    workbook(
        d / "skp.xlsx",
        {"TW I": [SKP, numbers, *skp_rows("2024Q1")], "TW II": [SKP, numbers, *skp_rows("2024Q2")]},
    )
    rep, tables = validate(d)
    assert len(tables["skp"]) == 12 and rep.issues.empty, rep.messages()
    notes = [p for p in structure(rep, "info") if "nomor kolom" in p]
    assert len(notes) == 2 and "(sheet 'TW II')" in notes[1], notes


def test_a_hidden_old_column_beside_the_visible_one_is_set_aside(tmp_path: Path) -> None:
    """A fresh tester (t7 F13): a hidden old ``Predikat`` column (F) beside the current
    one (G) made the official ratings unusable, and the message did not say that F is
    hidden. The visible column is read; the hidden one is set aside, said by letter."""
    d = folder(tmp_path)
    rekap = ["nip", "periode", "predikat", "predikat"]
    rows = [[n, "2024Q1", "Baik", p] for n, p in ((STAFF, "Sangat Baik"), (PEER, "Kurang"))]
    wb = workbook(d / "penilaian_resmi.xlsx", {"Rekap": [rekap, *rows]})
    wb["Rekap"].column_dimensions["C"].hidden = True
    wb.save(d / "penilaian_resmi.xlsx")
    rep, tables = validate(d)
    assert rep.usable, structure(rep)
    got = tables["penilaian_resmi"].set_index("nip")["predikat"].astype(str)
    assert got.to_dict() == {STAFF: "Sangat Baik", PEER: "Kurang/Misconduct"}  # column D
    warn = [p for p in structure(rep, "peringatan") if "tersembunyi" in p]
    assert len(warn) == 1 and "kolom C ('predikat')" in warn[0] and "kolom D" in warn[0], warn
    en, _ = validate(d, bahasa="en")
    assert any("column C ('predikat') is hidden" in p for p in structure(en, "peringatan"))


def test_a_hidden_column_under_another_header_is_named_with_both_headers(tmp_path: Path) -> None:
    """A hidden 'Predikat Kinerja' beside a visible 'predikat', both mapped to the table's
    predikat. The warning names both headers and the column they give, rather than call
    them "of the same name" (t10 N11)."""
    from test_validation_inputs import yaml_file

    m = yaml_file(
        tmp_path, 'tabel:\n  penilaian_resmi:\n    kolom: {"Predikat Kinerja": predikat}\n'
    )
    d = folder(tmp_path)
    rekap = ["nip", "periode", "Predikat Kinerja", "predikat"]
    rows = [[n, "2024Q1", "Baik", p] for n, p in ((STAFF, "Sangat Baik"), (PEER, "Kurang"))]
    wb = workbook(d / "penilaian_resmi.xlsx", {"Rekap": [rekap, *rows]})
    wb["Rekap"].column_dimensions["C"].hidden = True
    wb.save(d / "penilaian_resmi.xlsx")
    rep, tables = validate(d, mapping=m)
    assert rep.usable, structure(rep)
    got = tables["penilaian_resmi"].set_index("nip")["predikat"].astype(str)
    assert got[STAFF] == "Sangat Baik"  # column D
    warn = [p for p in structure(rep, "peringatan") if "tersembunyi" in p]
    assert len(warn) == 1, warn
    assert "kolom C ('Predikat Kinerja')" in warn[0]
    assert "(predikat) dengan kolom D ('predikat')" in warn[0] and "bernama sama" not in warn[0]
    en, _ = validate(d, bahasa="en", mapping=m)
    assert any("(predikat) as visible column D ('predikat')" in p for p in structure(en))


def test_hidden_rows_are_read_and_said(tmp_path: Path) -> None:
    """Rows hidden or filtered out in Excel are still the table's rows: read, with a note
    naming them (a tester saw 10 hidden employees read without a word)."""
    d = folder(tmp_path, pegawai=False)
    wb = workbook(d / "pegawai.xlsx", {"Pegawai": [PEGAWAI, *PEOPLE.values()]})
    wb["Pegawai"].row_dimensions[3].hidden = True
    wb.save(d / "pegawai.xlsx")
    rep, tables = validate(d)
    assert sorted(tables["pegawai"]["nip"]) == sorted(PEOPLE)
    note = [p for p in structure(rep, "info") if "tersembunyi" in p]
    assert len(note) == 1 and note[0].startswith("1 baris tersembunyi") and "(baris 3)" in note[0]


def _rekap_rows(period: str, people=(STAFF, PEER, PPPK), predikat: str = "Baik") -> list[list]:
    return [[n, "Nama Pegawai", period, predikat] for n in people]


REKAP = ["nip", "nama", "periode", "predikat"]


def test_a_part_with_a_column_of_another_table_is_still_stacked(tmp_path: Path) -> None:
    """A fourth tester (t9 F1): the e-Kinerja Rekap carries a ``Nama`` column, which is
    the register's; any later sheet holding one was taken for another table's sheet and
    dropped without a word (one Rekap sheet per year: 2025 lost at exit 0). A sheet is
    another table's only when it holds that table's required columns this one lacks."""
    d = folder(tmp_path)
    workbook(
        d / "penilaian_resmi.xlsx",
        {
            "Rekap 2024": [REKAP, *_rekap_rows("2024Q1")],
            "Rekap 2025": [REKAP, *_rekap_rows("2024Q2")],
        },
    )
    rep, tables = validate(d)
    assert len(tables["penilaian_resmi"]) == 6, structure(rep)
    assert set(tables["penilaian_resmi"]["periode"]) == {"2024Q1", "2024Q2"}


def test_an_old_copy_first_is_left_out_with_another_tables_column(tmp_path: Path) -> None:
    """t9 F2: 'Rekap (2)' (old values) before 'Rekap', both with ``Nama``: the current
    sheet was dropped before the copy check, and the copy's values read silently."""
    d = folder(tmp_path)
    workbook(
        d / "penilaian_resmi.xlsx",
        {
            "Rekap (2)": [REKAP, *_rekap_rows("2024Q1", predikat="Sangat Baik")],
            "Rekap": [REKAP, *_rekap_rows("2024Q1")],
        },
    )
    rep, tables = validate(d)
    assert set(tables["penilaian_resmi"]["predikat"].astype(str)) == {"Baik"}
    assert any("'Rekap (2)'" in p and "3 di antaranya berbeda isi" in p
               for p in structure(rep, "peringatan")), structure(rep)  # fmt: skip


def test_copies_are_found_when_they_write_the_period_differently(tmp_path: Path) -> None:
    """t9 s_copy_periodfmt: the copy writes ``2024-Q1`` where the current sheet writes
    ``Triwulan I 2024``; one period, one key."""
    d = folder(tmp_path)
    rekap = [c for c in REKAP if c != "nama"]
    old = [[n, "2024-Q1", "Sangat Baik"] for n in (STAFF, PEER, PPPK)]
    current = [[n, "Triwulan I 2024", "Baik"] for n in (STAFF, PEER, PPPK)]
    workbook(d / "penilaian_resmi.xlsx", {"Rekap (2)": [rekap, *old], "Rekap": [rekap, *current]})
    rep, tables = validate(d)
    assert len(tables["penilaian_resmi"]) == 3 and rep.issues.empty, rep.messages()


def test_a_sheet_of_this_table_in_another_layout_is_warned(tmp_path: Path) -> None:
    """t9 F4: 'SKP 2024' without ``aspek`` (an older layout) was dropped with only an
    info line; half the SKP gone at exit 0. A sheet holding at least half the required
    columns, and no other table's, is this table's: a warning names what it lacks."""
    d = folder(tmp_path, skp=False)
    old = [[r[0], r[1], r[2], r[4], r[5]] for r in skp_rows("2024Q1")]
    workbook(
        d / "skp.xlsx",
        {
            "SKP 2024": [[c for c in SKP if c != "aspek"], *old],
            "SKP 2025": [SKP, *skp_rows("2024Q2")],
        },
    )
    rep, tables = validate(d)
    assert set(tables["skp"]["periode"]) == {"2024Q2"}
    warn = [p for p in structure(rep, "peringatan") if "'SKP 2024'" in p]
    assert len(warn) == 1 and "kolom wajib aspek" in warn[0] and "TIDAK dibaca" in warn[0], warn
    assert rep.exit_code == 1


def test_a_register_sheet_is_not_taken_for_a_rating_sheet_with_the_same_columns(
    tmp_path: Path,
) -> None:
    """t9 s_onebook: the Rekap sheet of one workbook carries every register column but
    one, and ``periode``: it is the ratings' sheet, never said to be the register's in
    another layout."""
    d = tmp_path / "data"
    d.mkdir()
    people = [PEOPLE[n] for n in (STAFF, PEER, PPPK)]
    workbook(
        d / "Kinerja.xlsx",
        {
            "Pegawai": [PEGAWAI, *PEOPLE.values()],
            "Rekap": [[*PEGAWAI[:-2], "periode", "predikat"],
                      *[[*r[:-2], "2024Q1", "Baik"] for r in people]],
            "SKP": [SKP, *skp_rows("2024Q1")],
        },
    )  # fmt: skip
    rep, tables = validate(d, mapping=_one_workbook_mapping(tmp_path))
    assert not structure(rep, "peringatan"), structure(rep)
    assert len(tables["pegawai"]) == 4 and len(tables["penilaian_resmi"]) == 3


def test_a_subset_sheet_is_read_once(tmp_path: Path) -> None:
    """t9 F8: 'Pejabat Struktural', some rows of 'Pegawai' cell for cell, stopped the
    data, and the fix offered read the subset. A sheet whose rows are all, unchanged, in
    another sheet is not read twice; nothing is lost."""
    d = folder(tmp_path, pegawai=False)
    _register_sheets(
        d,
        {
            "Pegawai": list(PEOPLE.values()),
            "Pejabat Struktural": [PEOPLE[n] for n in (BOSS, STAFF, PEER)],
        },
    )
    rep, tables = validate(d)
    assert len(tables["pegawai"]) == 4 and rep.issues.empty
    note = [p for p in structure(rep, "info") if "'Pejabat Struktural'" in p]
    assert len(note) == 1 and "tidak dibaca dua kali" in note[0], structure(rep)
    assert not structure(rep, "peringatan")


def test_an_old_copy_with_rows_of_its_own_says_how_many(tmp_path: Path) -> None:
    """t9 F7: the copy's rows that the sheet read lacks (new hires) were lost unsaid."""
    d = folder(tmp_path, pegawai=False)
    people = list(PEOPLE.values())
    _register_sheets(d, {"Pegawai": people[:3], "Pegawai (2)": people})
    rep, tables = validate(d)
    warn = [p for p in structure(rep, "peringatan") if "'Pegawai (2)'" in p]
    assert len(warn) == 1 and "1 kunci hanya ada di sheet 'Pegawai (2)'" in warn[0], warn
    # the other tables' rows of that employee (PPPK, row 5 of the copy) are unknown
    # still, each told where the employee stands, with that row as its cause
    iss = rep.issues[rep.issues["nilai"] == PPPK]
    assert len(iss) == 4 and set(iss["aturan"]) == {"referensi:pegawai"}, iss
    assert set(iss["pesan"]) == {
        "nip tidak dikenal: tidak ada dalam pegawai yang dibaca; hanya ada di "
        "pegawai.xlsx [Pegawai (2)] baris 5, sheet yang tidak dibaca karena namanya "
        "menandai salinan atau arsip"
    }
    assert set(iss["sebab"]) == {"salinan pegawai.xlsx [Pegawai (2)]"}  # one cause: the sheet
    (line,) = [t for t in rep.cause_groups()["pesan"] if "Pegawai (2)" in t]
    assert line.startswith(
        "pegawai.xlsx [Pegawai (2)] tidak dibaca (namanya menandai salinan atau arsip)"
    ), line
    assert "ditolak ()" not in line and "4 baris terkait disisihkan" in line, line
    other = rep.issues[rep.issues["nilai"] != PPPK]
    assert not other["pesan"].str.contains("salinan").any()
    en, _ = validate(d, bahasa="en")
    texts = en.issues.loc[en.issues["nilai"] == PPPK, "pesan"]
    assert texts.str.startswith("unknown nip: not in pegawai as read; only in pegawai.xlsx").all()


def test_an_id_only_in_a_copy_is_found_whatever_its_case_and_separators(tmp_path: Path) -> None:
    """helper-68 F3: ids that are no NIP (a pseudonymised export: ``PSD-0004``) were
    compared case-folded and without separators in the copy, as written elsewhere: the
    copy's message never showed. They are now looked up as the sheets were compared."""
    from kinerja_analysis.data.readers import copy_key

    assert copy_key("PSD-0004") == copy_key("psd 0004") == copy_key("'Psd.0004")
    d = folder(tmp_path, pegawai=False, skp=False)
    ids = {nip: f"PSD-{i + 1:04d}" for i, nip in enumerate(PEOPLE)}
    people = [[ids.get(v, v) if isinstance(v, str) else v for v in row] for row in PEOPLE.values()]
    _register_sheets(d, {"Pegawai": people[:3], "Pegawai (2)": people})
    skp = [[ids.get(r[0], r[0]), *r[1:]] for r in skp_rows("2024Q1") + skp_rows("2024Q2")]
    write_csv(d / "skp.csv", SKP, skp)
    rep = validate_dataset(d, pseudonim=True, today=TODAY)[0]
    iss = rep.issues[rep.issues["nilai"] == ids[PPPK]]
    assert len(iss) == 4 and iss["pesan"].str.contains("hanya ada di pegawai.xlsx").all(), iss


def test_the_fix_offered_for_undecidable_copies_names_the_fullest_sheet(tmp_path: Path) -> None:
    d = folder(tmp_path, pegawai=False)
    people = list(PEOPLE.values())
    _register_sheets(d, {"Pegawai": [_moved(people[0]), *people], "Pegawai Juni": people[:3]})
    rep, _ = validate(d)
    fatal = " ".join(structure(rep, "fatal"))
    assert "'Pegawai' (5), 'Pegawai Juni' (3)" in fatal and 'sheet: "Pegawai"' in fatal, fatal


def test_template_named_sheets_are_all_read_when_the_data_is_in_them(tmp_path: Path) -> None:
    """t9 F9: 'Template 2024' was read (the best match) and 'Template 2025' skipped."""
    d = folder(tmp_path, skp=False)
    workbook(
        d / "skp.xlsx",
        {"Template 2024": [SKP, *skp_rows("2024Q1")], "Template 2025": [SKP, *skp_rows("2024Q2")]},
    )
    rep, tables = validate(d)
    assert len(tables["skp"]) == 12, structure(rep)


def test_a_hidden_column_of_a_later_sheet_is_set_aside_on_that_sheet(tmp_path: Path) -> None:
    """t9 F5: a hidden old ``realisasi`` in the second of two stacked sheets lined up
    with the first sheet's visible one, and the whole SKP table was lost."""
    d = folder(tmp_path, skp=False)
    second = [[*r[:5], r[5] / 2, r[5]] for r in skp_rows("2024Q2")]
    wb = workbook(
        d / "skp.xlsx",
        {"TW I": [SKP, *skp_rows("2024Q1")], "TW II": [[*SKP, "realisasi"], *second]},
    )
    wb["TW II"].column_dimensions["F"].hidden = True
    wb.save(d / "skp.xlsx")
    rep, tables = validate(d)
    assert len(tables["skp"]) == 12 and rep.usable, structure(rep)
    assert (tables["skp"]["realisasi"].astype(float).isin([11.0, 3.0])).all()
    warn = [p for p in structure(rep, "peringatan") if "tersembunyi" in p]
    assert len(warn) == 1 and "kolom F ('realisasi') (sheet 'TW II')" in warn[0], warn


def test_a_hidden_sheet_read_alone_and_a_very_hidden_part_are_said(tmp_path: Path) -> None:
    """t9 F11: the only data sheet, hidden, is read with a note saying so; a veryHidden
    part (not in Excel's Unhide list) is not told to be unhidden."""
    d = folder(tmp_path, skp=False)
    wb = workbook(
        d / "skp.xlsx",
        {"Keterangan": [["catatan"], ["lihat sheet lain"]], "SKP": [SKP, *skp_rows("2024Q1")],
         "SKP 2": [SKP, *skp_rows("2024Q2")]},
    )  # fmt: skip
    wb["SKP"].sheet_state = "hidden"
    wb["SKP 2"].sheet_state = "veryHidden"
    wb.save(d / "skp.xlsx")
    rep, tables = validate(d)
    assert len(tables["skp"]) == 6
    assert any("'SKP' tersembunyi di Excel, tetapi dibaca" in p for p in structure(rep, "info"))
    warn = [p for p in structure(rep, "peringatan") if "'SKP 2'" in p]
    assert len(warn) == 1 and "very hidden" in warn[0] and "Unhide)" not in warn[0], warn


def test_sheets_named_after_employees_are_shown_by_their_place(tmp_path: Path) -> None:
    """t9 F6: one SKP sheet per employee, named after them. The summary printed every
    name while the messages masked them as '[nama]' (a reject on "[[nama]] baris 3" of
    250 sheets cannot be found). Such a sheet is shown by its place in the workbook,
    alike in the messages, rejected rows, root causes and summary; no name is printed."""
    d = folder(tmp_path, pegawai=False, skp=False)
    names = {BOSS: "Agus Hidayat", STAFF: "Sri Permana", PEER: "Yusuf Wijaya", PPPK: "Dewi Lestari"}
    write_csv(d / "pegawai.csv", [*PEGAWAI, "nama"], [[*r, names[r[0]]] for r in PEOPLE.values()])
    sheets = {}
    for nip in (STAFF, PEER, PPPK):
        sheets[names[nip]] = [SKP, *[r for r in skp_rows("2024Q1") if r[0] == nip]]
    sheets[names[PEER]][2][5] = "abc"  # row 3 of the second sheet
    workbook(d / "skp.xlsx", sheets)
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["validate", str(d), "--out", str(out)])
    assert res.exit_code == 1, res.output
    text = res.output + "".join(f.read_text("utf-8") for f in out.rglob("*.csv"))
    assert not any(n in text for n in names.values()), text
    assert "skp.xlsx [#2] baris 3" in res.output, res.output
    assert "sheet '#1', '#2', '#3'" in res.output or "#1 / #2 / #3" in text
    rejected = (out / "penolakan" / "skp.csv").read_text("utf-8")
    assert "skp.xlsx [#2],3," in rejected, rejected


@pytest.mark.parametrize(
    "labels",
    [
        [chr(ord("a") + i) for i in range(len(PEGAWAI))],  # a b c …
        [None, *[f"({i + 2})" for i in range(len(PEGAWAI) - 1)]],  # a blank No column
        [*[f"({i + 1})" for i in range(len(PEGAWAI) - 1)], f"({len(PEGAWAI)})=(2)x(3)"],
    ],
    ids=["letters", "blank-first", "formula"],
)
def test_column_labels_in_other_styles_are_skipped(tmp_path: Path, labels: list) -> None:
    """t9 F10: letters, a blank first label, a label with its formula were read as a
    record (rejects with no hint)."""
    d = folder(tmp_path, pegawai=False)
    workbook(d / "pegawai.xlsx", {"Pegawai": [PEGAWAI, labels, *PEOPLE.values()]})
    rep, tables = validate(d)
    assert len(tables["pegawai"]) == 4 and rep.issues.empty, rep.messages()
    assert any("baris 2 berisi nomor kolom" in p for p in structure(rep, "info"))


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_header_repeated_page_by_page_is_skipped(tmp_path: Path, kind: str) -> None:
    """t9 F10: a table converted from PDF repeats its header and column numbers every
    page: 94 rows gave 282 problems, quoting 'NIP' and '(1)' as values."""
    d = folder(tmp_path, pegawai=False)
    numbers = [f"({i + 1})" for i in range(len(PEGAWAI))]
    people = list(PEOPLE.values())
    rows = [PEGAWAI, numbers, *people[:2], PEGAWAI, numbers, *people[2:]]
    if kind == "xlsx":
        workbook(d / "pegawai.xlsx", {"Pegawai": rows})
    else:
        pd.DataFrame(rows[1:], columns=PEGAWAI).to_csv(d / "pegawai.csv", index=False)
    rep, tables = validate(d)
    assert len(tables["pegawai"]) == 4 and rep.issues.empty, rep.messages()
    info = structure(rep, "info")
    assert any("1 baris mengulang header" in p and "(baris 5;" in p for p in info), info
    assert any("baris 6 berisi nomor kolom" in p for p in info), info


def test_looks_like_copy_reads_excel_copy_names() -> None:
    from kinerja_analysis.data.readers import looks_like_copy, looks_like_example

    assert looks_like_copy("SKP (3)") and looks_like_copy("salinan_pegawai")
    assert not looks_like_copy("SKP 2024") and not looks_like_copy("Pegawai Oldenburg")
    assert looks_like_example("CONTOH") and not looks_like_example("Kontoh")


def test_a_row_level_problem_of_the_reader_in_a_stacked_sheet_names_its_sheet(
    tmp_path: Path,
) -> None:
    """Two columns mapped to one optional column that disagree on a row are emptied there
    with a warning on that row: row 2 of the second sheet, not of the first."""
    d = folder(tmp_path, pegawai=False)
    head = [*PEGAWAI, "TMT Pensiun", "TMT Berhenti"]
    first = [[*PEOPLE[BOSS], None, None], [*PEOPLE[STAFF], None, None]]
    second = [[*PEOPLE[PEER], "2024-06-30", "2024-05-31"], [*PEOPLE[PPPK], None, None]]
    workbook(d / "pegawai.xlsx", {"A": [head, *first], "B": [head, *second]})
    m = tmp_path / "m.yaml"
    m.write_text(
        'tabel:\n  pegawai:\n    kolom: {"TMT Pensiun": tmt_keluar, "TMT Berhenti": tmt_keluar}\n',
        encoding="utf-8",
    )
    rep, tables = validate(d, mapping=m)
    assert len(tables["pegawai"]) == 4
    hit = rep.issues[rep.issues["kolom"] == "tmt_keluar"]
    assert hit[["file", "baris"]].astype(str).values.tolist() == [["pegawai.xlsx [B]", "2"]]
    assert any("2 (sheet 'B')" in p for p in structure(rep, "peringatan")), structure(rep)


# --------------------------------------------------------------------------- merged cells


def test_merged_data_cells_take_the_value_excel_shows(tmp_path: Path) -> None:
    """The tester's x_merged_data: the opd cell merged over its block's rows (below a
    merged title row): every employee keeps the OPD, a warning names the range; the
    title's merge is not touched."""
    d = folder(tmp_path, pegawai=False)
    rows = [list(PEOPLE[n]) for n in (BOSS, STAFF, PEER, PPPK)]
    for r in rows[1:]:
        r[3] = None
    wb = workbook(d / "pegawai.xlsx", {"Pegawai": [["DAFTAR PEGAWAI"], [], PEGAWAI, *rows]})
    ws = wb["Pegawai"]
    ws.merge_cells("A1:J1")  # title
    ws.merge_cells("D4:D7")  # opd of the block
    wb.save(d / "pegawai.xlsx")
    rep, tables = validate(d)
    assert len(tables["pegawai"]) == 4, rep.messages()
    assert set(tables["pegawai"]["opd"]) == {"Dinas A"}
    warn = [p for p in structure(rep, "peringatan") if "D4:D7" in p]
    assert len(warn) == 1 and "'opd' (kolom D)" in warn[0], structure(rep)
    assert not any("A1:J1" in p for p in structure(rep, "peringatan"))
    assert rep.summary.set_index("tabel").loc["pegawai", "baris_header"] == 3
    en, _ = validate(d, bahasa="en")
    assert any("D4:D7" in p and "filled into every row" in p for p in structure(en))


def test_a_horizontally_merged_data_cell_fills_no_other_column(tmp_path: Path) -> None:
    """A value merged across columns shows once over them; it is not the other columns'
    value (a fresh tester's unit name merged over Unit Kerja and Jabatan became the
    employee's jabatan, and over Jabatan..Golongan rejected the employee). The other
    columns stay empty and are reported as such; the vertical extent is still filled."""
    d = folder(tmp_path, skp=False)
    rows = skp_rows("2024Q1")
    rows[0][5] = None
    wb = workbook(d / "skp.xlsx", {"SKP": [SKP, *rows]})
    wb["SKP"].merge_cells("E2:F2")
    wb.save(d / "skp.xlsx")
    rep, tables = validate(d)
    assert not any("E2:F2" in p for p in structure(rep)), structure(rep)
    empty = rep.issues[(rep.issues["baris"] == 2) & (rep.issues["kolom"] == "realisasi")]
    assert len(empty) == 1  # named, not filled with the target

    (tmp_path / "b").mkdir()
    d2 = folder(tmp_path / "b", pegawai=False)
    rows = [list(PEOPLE[n]) for n in (BOSS, STAFF, PEER, PPPK)]
    rows[2][4] = None  # jabatan of the third employee, under a merge with its opd
    wb = workbook(d2 / "pegawai.xlsx", {"Pegawai": [PEGAWAI, *rows]})
    wb["Pegawai"].merge_cells("D4:E4")  # opd shown over jabatan on one row
    wb.save(d2 / "pegawai.xlsx")
    rep, tables = validate(d2)
    # never across: the employee's jabatan is empty and said so, not the OPD's name
    said = rep.issues[(rep.issues["baris"] == 4) & (rep.issues["kolom"] == "jabatan")]
    assert len(said) == 1 and PEER not in set(tables["pegawai"]["nip"])
    assert len(tables["pegawai"]) == 3


def test_a_title_merged_across_the_table_inside_the_data_is_left_alone(tmp_path: Path) -> None:
    """A section title over the table's width between data rows is not a value of every
    column: not filled (its row is rejected as before, naming its text)."""
    d = folder(tmp_path, pegawai=False)
    rows = [list(PEOPLE[n]) for n in (BOSS, STAFF, PEER, PPPK)]
    wb = workbook(d / "pegawai.xlsx", {"Pegawai": [PEGAWAI, ["DINAS A"], *rows]})
    wb["Pegawai"].merge_cells("A2:J2")
    wb.save(d / "pegawai.xlsx")
    rep, tables = validate(d)
    assert len(tables["pegawai"]) == 4
    assert not any("A2:J2" in p for p in structure(rep))
    own = rep.issues[(rep.issues["baris"] == 2) & (rep.issues["tabel"] == "pegawai")]
    assert set(own["kolom"]) >= {"nip"} and "opd" not in set(own["nilai"].astype(str))


def test_merged_cells_of_a_stacked_sheet_name_their_sheet(tmp_path: Path) -> None:
    d = folder(tmp_path, pegawai=False)
    second = [list(PEOPLE[PEER]), list(PEOPLE[PPPK])]
    second[1][3] = None
    wb = workbook(
        d / "pegawai.xlsx",
        {"Aktif": [PEGAWAI, PEOPLE[BOSS], PEOPLE[STAFF]], "Lain": [PEGAWAI, *second]},
    )
    wb["Lain"].merge_cells("D2:D3")
    wb.save(d / "pegawai.xlsx")
    rep, tables = validate(d)
    assert len(tables["pegawai"]) == 4 and set(tables["pegawai"]["opd"]) == {"Dinas A"}
    assert any("D2:D3" in p and "(sheet 'Lain')" in p for p in structure(rep, "peringatan"))


# --------------------------------------------------------------------------- heavy losses


def _empty_opd(d: Path, nips: tuple[str, ...]) -> None:
    rows = [list(PEOPLE[n]) for n in (BOSS, STAFF, PEER, PPPK)]
    for r in rows:
        if r[0] in nips:
            r[3] = None
    write_csv(d / "pegawai.csv", PEGAWAI, rows)


def test_a_table_that_loses_most_of_its_rows_is_warned(tmp_path: Path) -> None:
    """3 of 4 employees rejected (opd empty): usable, but said as a structural warning
    with the main cause, in both languages; one of 4 is not."""
    d = folder(tmp_path)
    _empty_opd(d, (BOSS, PEER, PPPK))
    rep, tables = validate(d)
    assert rep.usable and len(tables["pegawai"]) == 1
    warn = [p for p in structure(rep, "peringatan") if "3 dari 4 baris (75%) ditolak" in p]
    assert len(warn) == 1, structure(rep)
    assert warn[0].startswith("pegawai.csv: ") and "kolom opd, 3 baris" in warn[0]
    assert "hanya mencakup 1 baris" in warn[0]
    # skp loses the rows of PEER and PPPK (8 of 12), set aside with them: also warned
    skp = [p for p in structure(rep, "peringatan") if p.startswith("skp.csv: 8 dari 12")]
    assert len(skp) == 1 and "(2 pegawai)" in skp[0], structure(rep)
    # the root cause first: before the consequences in the structural problems
    assert structure(rep)[0] == warn[0]
    assert rep.heavy_losses() == [warn[0], skp[0]]
    en, _ = validate(d, bahasa="en")
    assert any("3 of 4 rows (75%) rejected" in p for p in structure(en, "peringatan"))
    _empty_opd(d, (PPPK,))
    rep, _ = validate(d)
    assert not any("ditolak;" in p for p in structure(rep)), structure(rep)
    assert rep.heavy_losses() == []


def _batch_console(tmp_path: Path, d: Path, monkeypatch) -> str:
    """What ``kinerja batch`` prints for the data in ``d`` (reports not run)."""
    from rich.console import Console

    def record(todo, results, **_):
        for spec in todo:
            results[spec.key] = batch.RunResult(
                spec.key, spec.periode, spec.notebook.kode, spec.opd, "ok"
            )

    monkeypatch.setattr(batch, "_execute", record)
    monkeypatch.setattr(batch, "prepare_shared", lambda *a, **k: None)
    profil = tmp_path / "profil.yaml"
    profil.write_text(
        "instansi:\n  nama: Kotalama\n  jenis: kota\npenandatangan:\n"
        "  nama: Penandatangan Uji\n  jabatan: Sekretaris Daerah\nperiode: triwulan\n",
        "utf-8",
    )
    buf = io.StringIO()
    batch.run_batch(
        d, tmp_path / "out", periods=["2024Q2"], notebooks=["10"], workers=1, progress=False,
        cache_dir=tmp_path / "cache", profile=profil, console=Console(file=buf, width=300),
    )  # fmt: skip
    return buf.getvalue()


def test_the_batch_console_says_a_table_lost_most_of_its_rows(tmp_path: Path, monkeypatch) -> None:
    """``kinerja batch`` prints only the count of rejected rows of the validation: the
    heavy loss is said on its console too, before any report is written."""
    d = folder(tmp_path)
    _empty_opd(d, (BOSS, PEER, PPPK))
    text = _batch_console(tmp_path, d, monkeypatch)
    assert "pegawai.csv: 3 dari 4 baris (75%) ditolak" in text, text
    assert "kolom opd" in text


def test_the_batch_console_says_a_sheet_was_not_read(tmp_path: Path, monkeypatch) -> None:
    """A third tester: the warning that a sheet was not read reached only ``kinerja
    validate``; a batch published from the rest without a word. Every structural warning
    is on the batch's console too."""
    d = folder(tmp_path, pegawai=False)
    people = list(PEOPLE.values())
    _register_sheets(d, {"Pegawai (2)": [_moved(people[0]), *people[1:]], "Pegawai": people})
    text = _batch_console(tmp_path, d, monkeypatch)
    assert "pegawai.xlsx: sheet 'Pegawai (2)' memuat baris yang sama" in text, text


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_every_new_message_has_both_languages(bahasa: str) -> None:
    from kinerja_analysis.data.messages import message

    keys = (
        "sheet_digabung", "sheet_beda_kolom", "sheet_salinan", "sheet_salinan_ragu",
        "sheet_tersembunyi", "sheet_contoh", "sel_gabungan_diisi", "tabel_banyak_ditolak",
        "sheet_kurang_kolom", "sheet_tabel_lain", "sheet_sangat_tersembunyi",
        "sheet_dipilih_tersembunyi", "baris_nomor_kolom", "baris_tersembunyi", "sheet_isi_sama",
        "kolom_tersembunyi_ganda", "kolom_tersembunyi_dibaca",
    )  # fmt: skip
    for key in keys:
        text = message(
            key, bahasa, daftar="'A': 1", contoh="x.xlsx [A]", baris=2, sheets="'A'", lain="'B'",
            sheet="A", beda="-x", tabel="skp", n=1, ranges="D2:D3", huruf="D", header="opd",
            di="", file="f", k=1, m=1, persen=50, sebab="-", salinan="A (2)", kunci="nip",
            n_beda=0, n_hanya=0, sheet_lain="B", kurang="aspek", pakai="E", kolom="opd",
            header_pakai="Unit Kerja",
        )  # fmt: skip
        assert not re.search(r"\{[a-z_]+\}", text), (key, text)  # no field left unfilled
        assert "{skp:" in text or "{" not in text, (key, text)  # braces only of a mapping line


def test_heavy_loss_counts_are_written_as_each_language_writes_numbers() -> None:
    from kinerja_analysis.data.loading import ISSUE_COLUMNS, _heavy_losses

    summary = pd.DataFrame(
        [
            {"tabel": "skp", "file": "SKP.xlsx", "rows_read": 16845, "rows_rejected": 16461,
             "status": "ok"},
            {"tabel": "perilaku", "file": "p.csv", "rows_read": 10, "rows_rejected": 9,
             "status": "ok"},  # not a table the reports rest on
            {"tabel": "pegawai", "file": "p.csv", "rows_read": 10, "rows_rejected": 4,
             "status": "ok"},  # under half
        ]
    )  # fmt: skip
    issues = pd.DataFrame({c: [] for c in ISSUE_COLUMNS})
    ((t, f, id_),) = _heavy_losses(summary, issues, "id")
    assert (t, f) == ("skp", "SKP.xlsx")
    assert id_.startswith("SKP.xlsx: 16.461 dari 16.845 baris (97%) ditolak")
    assert "hanya mencakup 384 baris" in id_
    ((_, _, en),) = _heavy_losses(summary, issues, "en")
    assert en.startswith("SKP.xlsx: 16,461 of 16,845 rows (97%) rejected")
