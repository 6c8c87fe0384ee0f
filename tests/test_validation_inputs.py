"""Every kind of bad input of issue 11, each on a small dataset: named with file, row,
column and value, in one run, without a traceback, and never making the rest unusable."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from kinerja_analysis import DatasetError, load_dataset
from kinerja_analysis.data.loading import validate_dataset
from kinerja_analysis.pipeline.cli import app

BOSS = "198503122010011001"
STAFF = "199001012015032002"
PEER = "199202022016011003"
PPPK = "196804042023212001"  # woman born 1968-04-04, appointed 2023, code 21, sequence 001
TODAY = date(2026, 1, 15)


def yaml_file(tmp_path: Path, text: str, name: str = "m.yaml") -> Path:
    """``text`` written to ``tmp_path / name`` (a mapping or profile file of a test)."""
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def write_base(folder: Path) -> Path:
    """A small clean dataset: three PNS and one PPPK, two quarters, every optional table
    that matters for these tests."""
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(
        {
            "nip": [BOSS, STAFF, PEER, PPPK],
            "jenis_kelamin": ["L", "P", "L", "P"],
            "tanggal_lahir": ["1985-03-12", "1990-01-01", "1992-02-02", "1968-04-04"],
            "opd": ["Dinas A"] * 4,
            "jabatan": ["Kepala Dinas", "Analis", "Analis", "Guru Ahli Pertama"],
            "jenis_jabatan": ["jpt", "pelaksana", "pelaksana", "fungsional"],
            "golongan": ["IV/c", "III/a", "III/a", "IX"],
            "tmt_cpns": ["2010-01-01", "2015-03-01", "2016-01-01", "2023-03-01"],
            "nip_atasan": ["", BOSS, BOSS, BOSS],
            "status_kepegawaian": ["PNS", "PNS", "PNS", "PPPK"],
        }
    ).to_csv(folder / "pegawai.csv", index=False)
    rows = []
    for nip in (STAFF, PEER, PPPK):
        for per in ("2024Q1", "2024Q2"):
            rows.append((nip, per, "i1", "kuantitas", 10, 11))
            rows.append((nip, per, "i1", "waktu", 3, 3))
    pd.DataFrame(
        rows, columns=["nip", "periode", "indikator", "aspek", "target", "realisasi"]
    ).to_csv(folder / "skp.csv", index=False)
    rows = []
    for nip in (STAFF, PEER, PPPK):
        for per in ("2024Q1", "2024Q2"):
            rows.append((nip, per, BOSS, "atasan", "akuntabel", 4))
            rows.append((nip, per, nip, "diri", "akuntabel", 5))
    pd.DataFrame(
        rows, columns=["nip", "periode", "id_penilai", "peran_penilai", "dimensi", "skor"]
    ).to_csv(folder / "perilaku.csv", index=False)
    pd.DataFrame(
        {
            "nip": [STAFF, PPPK],
            "id_pelatihan": ["P1", "P2"],
            "nama_pelatihan": ["Pelatihan Komunikasi Pelayanan Publik", "Pedagogi"],
            "jenis": ["sosial_kultural", "fungsional"],
            "metode": ["klasikal", "nonklasikal"],
            "kompetensi_sasaran": ["berorientasi_pelayanan", "kompeten"],
            "jp": [24, 10],
            "tanggal_mulai": ["2024-02-05", "2024-05-01"],
            "tanggal_selesai": ["2024-02-08", "2024-05-02"],
            "sumber": ["difasilitasi", "mandiri"],
        }
    ).to_csv(folder / "pelatihan.csv", index=False)
    return folder


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return write_base(tmp_path / "data")


def validate(folder: Path, **kw):
    kw.setdefault("today", TODAY)
    rep, tables, _ = validate_dataset(folder, **kw)
    return rep, tables


def edit(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell (row = spreadsheet row, header = 1) as text."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[row - 2, column] = value
    df.to_csv(path, index=False)


def hits(rep, file: str, row: int | None, column: str, value: str | None = None) -> pd.DataFrame:
    iss = rep.issues
    m = (iss["file"] == file) & (iss["kolom"] == column)
    if row is not None:
        m &= iss["baris"].astype("Int64") == row
    if value is not None:
        m &= iss["nilai"] == value
    return iss[m]


def digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_base_is_clean_and_pppk_accepted(base: Path) -> None:
    rep, tables = validate(base)
    assert rep.exit_code == 0, rep.messages()
    peg = tables["pegawai"].set_index("nip")
    assert peg.loc[PPPK, "status_kepegawaian"] == "pppk"
    assert peg.loc[PPPK, "golongan"] == "IX"
    assert peg.loc[BOSS, "status_kepegawaian"] == "pns"
    assert rep.periods == ("2024Q1", "2024Q2")


# --------------------------------------------------------------------------- who is an ASN


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("196804042023222001", "nip_struktur_pppk"),  # status PPPK but code 22: PNS layout
        ("196804052023212001", "nip_tanggal_lahir"),  # birth date differs
        ("196804042022212001", "nip_tahun_pppk"),  # year of appointment differs from TMT
        ("196804042023211001", "nip_jenis_kelamin"),  # gender digit 1 but P
    ],
)
def test_ni_pppk_structure_checked(base: Path, value: str, rule: str) -> None:
    edit(base / "pegawai.csv", 5, "nip", value)
    rep, tables = validate(base)
    hit = hits(rep, "pegawai.csv", 5, "nip", value)
    if rule == "nip_struktur_pppk":
        assert set(hit["aturan"]) & {"status_nip", "nip_struktur"}, hit
    else:
        assert rule in set(hit["aturan"]), rep.messages()
    assert value not in set(tables["pegawai"]["nip"])
    assert rep.usable


def test_pppk_needs_pppk_grade_and_pns_needs_pns_grade(base: Path) -> None:
    edit(base / "pegawai.csv", 5, "golongan", "III/a")
    edit(base / "pegawai.csv", 3, "golongan", "IX")
    rep, _ = validate(base)
    assert "golongan_status" in set(hits(rep, "pegawai.csv", 5, "golongan", "III/a")["aturan"])
    assert "golongan_status" in set(hits(rep, "pegawai.csv", 3, "golongan", "IX")["aturan"])


def test_status_paruh_waktu_and_inferred_status(base: Path) -> None:
    edit(base / "pegawai.csv", 5, "status_kepegawaian", "PPPK Paruh Waktu")
    rep, tables = validate(base)
    assert rep.exit_code == 0, rep.messages()
    assert tables["pegawai"].set_index("nip").loc[PPPK, "status_kepegawaian"] == "pppk_paruh_waktu"
    df = pd.read_csv(base / "pegawai.csv", dtype=str, keep_default_na=False)
    df.drop(columns="status_kepegawaian").to_csv(base / "pegawai.csv", index=False)
    rep, tables = validate(base)
    assert tables["pegawai"].set_index("nip").loc[PPPK, "status_kepegawaian"] == "pppk"
    assert any("kode 21" in n for n in rep.notes)


def test_nip_sequence_000_and_15_digit_collision(base: Path) -> None:
    cut = STAFF[:15] + "000"  # what Excel makes of the NIP
    df = pd.read_csv(base / "pegawai.csv", dtype=str, keep_default_na=False)
    extra = df.iloc[[1]].assign(nip=cut)
    pd.concat([df, extra]).to_csv(base / "pegawai.csv", index=False)
    rep, tables = validate(base)
    hit = hits(rep, "pegawai.csv", 6, "nip", cut)
    assert hit["aturan"].tolist() == ["nip_urut_000"]
    assert "15 digit" in hit["pesan"].iloc[0] and "baris 3" in hit["pesan"].iloc[0]
    twin = hits(rep, "pegawai.csv", 3, "nip", STAFF)
    assert (
        twin["aturan"].tolist() == ["nip_tabrakan_15"] and (twin["tingkat"] == "peringatan").all()
    )
    assert cut not in set(tables["pegawai"]["nip"])
    # alone (no twin), the sequence 000 is still flagged with the reason
    edit(base / "pegawai.csv", 4, "nip", PEER[:15] + "000")
    rep, _ = validate(base)
    assert "terpotong Excel" in hits(rep, "pegawai.csv", 4, "nip")["pesan"].iloc[0]


# --------------------------------------------------------------------------- one run


def test_missing_columns_in_three_tables_in_one_run(base: Path) -> None:
    for name, col in (("pegawai", "golongan"), ("skp", "realisasi"), ("pelatihan", "jp")):
        df = pd.read_csv(base / f"{name}.csv", dtype=str)
        df.drop(columns=[col]).to_csv(base / f"{name}.csv", index=False)
    rep, _ = validate(base)
    assert not rep.usable and rep.exit_code == 2
    fatal = rep.structure[rep.structure["tingkat"] == "fatal"]
    text = " ".join(fatal["pesan"])
    for file, col in (
        ("pegawai.csv", "golongan"),
        ("skp.csv", "realisasi"),
        ("pelatihan.csv", "jp"),
    ):
        assert file in text and col in text
    with pytest.raises(DatasetError) as exc:
        load_dataset(base, today=TODAY)
    assert "golongan" in str(exc.value) and "realisasi" in str(exc.value)
    assert exc.value.report.exit_code == 2  # the whole report travels with the error


def test_unquoted_comma_sets_one_row_aside(base: Path) -> None:
    lines = (base / "skp.csv").read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("i1", "indikator a, b")  # an unquoted comma: one field too many
    (base / "skp.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rep, tables = validate(base)
    assert rep.usable and rep.exit_code == 1
    rej = rep.rejected_rows["skp"]
    assert rej["baris"].tolist() == [4]
    assert "7 kolom" in rej["alasan"].iloc[0] and "indikator a, b" in rej["baris_mentah"].iloc[0]
    hit = rep.issues[rep.issues["aturan"] == "baris_rusak"]
    assert hit["baris"].tolist() == [4] and "indikator a, b" in hit["nilai"].iloc[0]
    s = rep.summary.set_index("tabel").loc["skp"]
    assert (s["rows_read"], s["rows_accepted"], s["rows_rejected"]) == (12, 11, 1)
    # later rows keep their own row numbers
    edit_rows = tables["skp"]
    assert len(edit_rows) == 11


def test_one_semester_row_in_a_quarterly_dataset(base: Path) -> None:
    edit(base / "skp.csv", 7, "periode", "2024S1")
    rep, _ = validate(base)
    assert rep.usable and rep.periods == ("2024Q1", "2024Q2")
    hit = hits(rep, "skp.csv", 7, "periode", "2024S1")
    assert hit["aturan"].tolist() == ["periode_tidak_dipakai"]
    assert "semester" in hit["pesan"].iloc[0] and "triwulan" in hit["pesan"].iloc[0]


def test_empty_optional_file_is_skipped_not_fatal(base: Path) -> None:
    (base / "pelatihan.csv").write_bytes(b"")
    rep, tables = validate(base)
    assert rep.usable and rep.exit_code == 1
    assert "pelatihan" not in tables
    s = rep.structure
    assert ((s["file"] == "pelatihan.csv") & (s["tingkat"] == "peringatan")).any()


def test_stray_future_period_never_becomes_a_dataset_period(base: Path) -> None:
    edit(base / "skp.csv", 13, "periode", "2030Q1")
    rep, tables = validate(base)
    assert rep.periods == ("2024Q1", "2024Q2")
    hit = hits(rep, "skp.csv", 13, "periode", "2030Q1")
    assert (
        hit["aturan"].tolist() == ["periode_tidak_dipakai"] and "2030-01-01" in hit["pesan"].iloc[0]
    )
    assert rep.causes()["sebab"].tolist() == ["periode 2030Q1"]
    assert "2030Q1" not in set(tables["skp"]["periode"])


def test_period_held_by_a_handful_of_rows_is_reported_not_adopted(tmp_path: Path) -> None:
    folder = write_base(tmp_path / "d")
    # 40 employees in two quarters, one of them also in 2024Q3
    peg = pd.read_csv(folder / "pegawai.csv", dtype=str, keep_default_na=False)
    nips = [f"199001012015032{i + 100:03d}" for i in range(40)]
    more = pd.DataFrame([peg.iloc[1].to_dict() | {"nip": n} for n in nips])
    pd.concat([peg, more]).to_csv(folder / "pegawai.csv", index=False)
    skp = pd.read_csv(folder / "skp.csv", dtype=str)
    rows = [
        {
            "nip": n,
            "periode": p,
            "indikator": "i1",
            "aspek": "kuantitas",
            "target": "10",
            "realisasi": "9",
        }
        for n in nips
        for p in ("2024Q1", "2024Q2")
    ]
    rows.append(rows[0] | {"periode": "2024Q3"})
    pd.concat([skp, pd.DataFrame(rows)]).to_csv(folder / "skp.csv", index=False)
    rep, _ = validate(folder)
    assert rep.periods == ("2024Q1", "2024Q2")
    hit = rep.issues[rep.issues["nilai"] == "2024Q3"]
    assert len(hit) == 1 and "hanya 1 pegawai" in hit["pesan"].iloc[0]


# --------------------------------------------------------------------------- plausibility


@pytest.mark.parametrize(
    ("file", "row", "column", "value", "rule", "level"),
    [
        ("skp.csv", 2, "realisasi", "inf", "tipe:float", "tolak"),
        ("skp.csv", 2, "realisasi", "nan", "tipe:float", "tolak"),
        ("skp.csv", 2, "realisasi", "1e9", "capaian_mustahil", "tolak"),
        ("pegawai.csv", 3, "tanggal_lahir", "2090-01-01", "nip_tanggal_lahir", "tolak"),
        ("pegawai.csv", 3, "tmt_cpns", "2030-03-01", "nip_tmt_cpns", "tolak"),
        ("pegawai.csv", 5, "tmt_cpns", "2030-03-01", "nip_tahun_pppk", "tolak"),
        ("pelatihan.csv", 2, "tanggal_mulai", "2031-02-05", "tanggal_masa_depan", "peringatan"),
    ],
)
def test_implausible_values_are_flagged(base, file, row, column, value, rule, level) -> None:
    edit(base / file, row, column, value)
    if column == "tanggal_mulai":
        edit(base / file, row, "tanggal_selesai", "2031-02-08")
    rep, _ = validate(base)
    hit = hits(rep, file, row, column, value)
    if rule.startswith("nip_"):  # the NIP's own birth date / start names the column's value
        hit = hits(rep, file, row, "nip")
        assert value[:4] in hit["pesan"].iloc[0]
    assert rule in set(hit["aturan"]), rep.messages()
    assert set(hit["tingkat"]) == {level}
    assert rep.usable


def test_dates_implausible_without_the_nip_cross_check(base: Path) -> None:
    """With pseudonymous IDs the NIP cannot catch them: the date rules do."""
    edit(base / "pegawai.csv", 3, "tanggal_lahir", "2090-01-01")
    edit(base / "pegawai.csv", 4, "tmt_cpns", "1980-01-01")  # hired before born (1992)
    edit(base / "pegawai.csv", 2, "tmt_cpns", "2030-03-01")
    rep, _ = validate(base, pseudonim=True)
    assert "tanggal_lahir_mustahil" in set(hits(rep, "pegawai.csv", 3, "tanggal_lahir")["aturan"])
    assert "tmt_sebelum_lahir" in set(hits(rep, "pegawai.csv", 4, "tmt_cpns")["aturan"])
    future = hits(rep, "pegawai.csv", 2, "tmt_cpns", "2030-03-01")
    assert future["aturan"].tolist() == ["tanggal_masa_depan"]


def test_supervisor_loop_is_a_warning(base: Path) -> None:
    edit(base / "pegawai.csv", 2, "nip_atasan", STAFF)  # BOSS -> STAFF -> BOSS
    rep, tables = validate(base)
    hit = rep.issues[rep.issues["aturan"] == "atasan_melingkar"]
    assert sorted(hit["baris"].astype(int)) == [2, 3]
    assert (hit["tingkat"] == "peringatan").all()
    assert f"{BOSS} → {STAFF} → {BOSS}" in hit["pesan"].iloc[0] or STAFF in hit["pesan"].iloc[0]
    assert len(tables["pegawai"]) == 4


def test_nul_and_control_characters(base: Path) -> None:
    # free text (a position, an OPD name): the character is removed, reported as a
    # warning with the original value, and the employee is kept
    edit(base / "pegawai.csv", 3, "jabatan", "Ana\x00lis")
    rep, tables = validate(base)
    hit = hits(rep, "pegawai.csv", 3, "jabatan")
    assert hit["aturan"].tolist() == ["karakter_kontrol"] and hit["nilai"].iloc[0] == "Ana\x00lis"
    assert (hit["tingkat"] == "peringatan").all()
    peg = tables["pegawai"].set_index("nip")
    assert peg.loc[STAFF, "jabatan"] == "Analis"


def test_vertical_tab_in_an_opd_name_keeps_the_opd(base: Path) -> None:
    peg = pd.read_csv(base / "pegawai.csv", dtype=str)
    opd = peg.loc[1, "opd"]
    edit(base / "pegawai.csv", 3, "opd", opd.replace(" ", "\x0b", 1))
    rep, tables = validate(base)
    hit = hits(rep, "pegawai.csv", 3, "opd")
    assert hit["aturan"].tolist() == ["karakter_kontrol"]
    assert tables["pegawai"].set_index("nip").loc[STAFF, "opd"] == opd  # same OPD as before


@pytest.mark.parametrize(
    "dirty",
    [
        lambda o: o.replace(" ", "\n", 1),  # Alt+Enter in an Excel cell
        lambda o: o.replace(" ", "\r\n", 1),
        lambda o: o.replace(" ", " \t ", 1),
        lambda o: "\u202e" + o,  # an unterminated right-to-left override
        lambda o: o[:4] + "\u2067" + o[4:] + "\u202c",  # isolate + pop
    ],
    ids=["lf", "crlf", "tab", "rlo", "isolate"],
)
def test_line_break_or_direction_control_in_an_opd_name_keeps_the_opd(base: Path, dirty) -> None:
    """An OPD name typed over two lines in one cell, or carrying text-direction controls
    (which would reorder the document's text after it), is the OPD of its clean
    spelling, reported as a warning with the value as written; the employee is kept."""
    peg = pd.read_csv(base / "pegawai.csv", dtype=str)
    opd = peg.loc[1, "opd"]
    edit(base / "pegawai.csv", 3, "opd", dirty(opd))
    rep, tables = validate(base)
    hit = hits(rep, "pegawai.csv", 3, "opd")
    assert hit["aturan"].tolist() == ["karakter_kontrol"]
    assert (hit["tingkat"] == "peringatan").all()
    assert tables["pegawai"].set_index("nip").loc[STAFF, "opd"] == opd


def test_control_character_in_a_nip_rejects_the_row(base: Path) -> None:
    edit(base / "pegawai.csv", 3, "nip", STAFF[:9] + "\x00" + STAFF[10:])
    rep, tables = validate(base)
    assert STAFF not in set(tables["pegawai"]["nip"])
    assert len(hits(rep, "pegawai.csv", 3, "nip")) >= 1


def test_mangled_supervisor_nip_keeps_the_employee(base: Path) -> None:
    edit(base / "pegawai.csv", 3, "nip_atasan", "1.98503E+17")
    rep, tables = validate(base)
    hit = hits(rep, "pegawai.csv", 3, "nip_atasan", "1.98503E+17")
    assert (hit["tingkat"] == "peringatan").all() and "digit hilang" in hit["pesan"].iloc[0]
    assert STAFF in set(tables["pegawai"]["nip"])
    assert (tables["skp"]["nip"] == STAFF).sum() == 4  # the ratings are kept


def test_cascade_is_grouped_under_its_root_cause(base: Path) -> None:
    edit(base / "pegawai.csv", 3, "golongan", "III/z")
    rep, _ = validate(base)
    dep = rep.issues[
        (rep.issues["sebab"] == "pegawai.csv baris 3") & (rep.issues["tingkat"] == "tolak")
    ]
    assert len(dep) == 9  # 4 skp + 4 perilaku + 1 pelatihan rows of STAFF
    assert not rep.issues["pesan"].str.contains("tidak dikenal").any()
    cause = rep.causes().iloc[0]
    assert (
        cause["n_baris"] == 9 and "skp: 4" in cause["rincian"] and "perilaku: 4" in cause["rincian"]
    )
    assert "pegawai.csv baris 3 ditolak" in cause["pesan"]


def test_unknown_raters_are_grouped(base: Path) -> None:
    df = pd.read_csv(base / "perilaku.csv", dtype=str)
    df.loc[df["peran_penilai"] == "atasan", "id_penilai"] = "197001012000011001"
    df.to_csv(base / "perilaku.csv", index=False)
    rep, _ = validate(base)
    g = rep.grouped()
    g = g[g["aturan"] == "referensi:pegawai (penilai)"]
    assert len(g) == 1 and g["n_baris"].iloc[0] == 6
    assert g["nilai"].iloc[0] == "197001012000011001"


# --------------------------------------------------------------------------- file structure


def test_duplicate_header_same_and_different(base: Path) -> None:
    text = (base / "pelatihan.csv").read_text(encoding="utf-8").splitlines()
    same = [line + "," + line.split(",")[6] for line in text]  # jp again, same contents
    (base / "pelatihan.csv").write_text("\n".join(same) + "\n", encoding="utf-8")
    rep, tables = validate(base)
    s = rep.structure
    assert ((s["kolom"] == "jp") & (s["tingkat"] == "peringatan")).any()
    assert "pelatihan" in tables
    diff = [same[0]] + [line[: line.rfind(",")] + ",99" for line in same[1:]]
    (base / "pelatihan.csv").write_text("\n".join(diff) + "\n", encoding="utf-8")
    rep, tables = validate(base)
    s = rep.structure
    hit = s[(s["kolom"] == "jp") & (s["tingkat"] == "fatal")]
    assert len(hit) == 1 and "baris 2" in hit["pesan"].iloc[0]
    assert "pelatihan" not in tables and rep.usable  # an optional table is skipped


def test_utf16_file_is_read(base: Path) -> None:
    df = pd.read_csv(base / "pegawai.csv", dtype=str, keep_default_na=False)
    df.to_csv(base / "pegawai.csv", index=False, encoding="utf-16", sep="\t")
    rep, tables = validate(base)
    assert rep.usable and len(tables["pegawai"]) == 4, rep.structure
    row = rep.summary.set_index("tabel").loc["pegawai"]
    assert row["encoding"].startswith("utf-16") and row["pemisah"] == "\t"


def test_windows_1252_file_is_read(base: Path) -> None:
    edit(base / "pegawai.csv", 3, "jabatan", "Analis – Umum")
    df = pd.read_csv(base / "pegawai.csv", dtype=str, keep_default_na=False)
    df.to_csv(base / "pegawai.csv", index=False, encoding="cp1252")
    rep, tables = validate(base)
    assert "Analis – Umum" in set(tables["pegawai"]["jabatan"])
    assert rep.summary.set_index("tabel").loc["pegawai", "encoding"] == "cp1252"


def test_duplicated_row_with_excel_empty_row(base: Path) -> None:
    lines = (base / "skp.csv").read_text(encoding="utf-8").splitlines()
    lines = lines[:3] + [lines[2], ",,,,,"] + lines[3:] + [",,,,,"]
    (base / "skp.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rep, tables = validate(base)
    assert rep.usable
    hit = rep.issues[rep.issues["aturan"] == "kunci_unik"]
    assert hit["baris"].tolist() == [4] and "baris 3" in hit["pesan"].iloc[0]
    assert rep.summary.set_index("tabel").loc["skp", "baris_kosong"] == 2
    assert len(tables["skp"]) == 12


def test_semicolon_csv_with_decimal_commas_without_mapping(base: Path) -> None:
    df = pd.read_csv(base / "skp.csv", dtype=str)
    df["realisasi"] = ["10,5", "2,75"] * 6
    df["target"] = ["1.200", "3"] * 6
    df.to_csv(base / "skp.csv", index=False, sep=";")
    rep, tables = validate(base)
    assert rep.exit_code == 0, rep.messages()
    skp = tables["skp"]
    assert skp["realisasi"].tolist()[:2] == [10.5, 2.75]
    assert skp["target"].tolist()[0] == 1200.0
    row = rep.summary.set_index("tabel").loc["skp"]
    assert (row["pemisah"], row["desimal"], row["ribuan"]) == (";", ",", ".")
    assert "desimal" in row["terdeteksi"]


def test_declared_thousands_mark_does_not_turn_decimals_into_thousands(
    base: Path, tmp_path: Path
) -> None:
    edit(base / "skp.csv", 2, "realisasi", "76.35")
    m = tmp_path / "m.yaml"
    m.write_text('format:\n  desimal: ","\n  ribuan: "."\n', encoding="utf-8")
    rep, tables = validate(base, mapping=m)
    hit = hits(rep, "skp.csv", 2, "realisasi", "76.35")
    assert hit["aturan"].tolist() == ["tipe:float"] and "ribuan" in hit["pesan"].iloc[0]


def test_title_rows_above_the_header_in_csv(base: Path) -> None:
    body = (base / "pegawai.csv").read_text(encoding="utf-8")
    (base / "pegawai.csv").write_text(
        "DAFTAR PEGAWAI NEGERI SIPIL,,,,\nPer 31 Desember 2024,,,,\n\n" + body, encoding="utf-8"
    )
    edit_line = 4 + 2  # header on row 4: STAFF is on row 6
    rep, tables = validate(base)
    assert len(tables["pegawai"]) == 4, rep.structure
    assert rep.summary.set_index("tabel").loc["pegawai", "baris_header"] == 4
    # row numbers follow the file
    lines = (base / "pegawai.csv").read_text(encoding="utf-8").splitlines()
    lines[edit_line - 1] = lines[edit_line - 1].replace("III/a", "III/z", 1)
    (base / "pegawai.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rep, _ = validate(base)
    assert len(hits(rep, "pegawai.csv", edit_line, "golongan", "III/z")) == 1


def test_tab_separated_file(base: Path) -> None:
    df = pd.read_csv(base / "perilaku.csv", dtype=str)
    df.to_csv(base / "perilaku.csv", index=False, sep="\t")
    rep, tables = validate(base)
    assert rep.exit_code == 0 and len(tables["perilaku"]) == 12


# --------------------------------------------------------------------------- XLSX


def _xlsx_pegawai(base: Path, path: Path, *, title: bool, instructions: bool, merged: bool) -> None:
    import openpyxl

    df = pd.read_csv(base / "pegawai.csv", dtype=str, keep_default_na=False)
    wb = openpyxl.Workbook()
    ws0 = wb.active
    if instructions:
        ws0.title = "Petunjuk"
        ws0["A1"] = "Isi data pegawai di sheet Data. Jangan ubah header."
        ws = wb.create_sheet("Data")
    else:
        ws = ws0
        ws.title = "Data"
    r = 1
    if title:
        ws.cell(1, 1, "DAFTAR PEGAWAI NEGERI SIPIL")
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(df.columns))
        r = 3
    for j, c in enumerate(df.columns, start=1):
        ws.cell(r, j, c)
    if merged:  # "nip_atasan" spans two columns: the second header cell is empty
        ws.insert_cols(len(df.columns) + 1)
    for i, row in enumerate(df.itertuples(index=False), start=r + 1):
        for j, v in enumerate(row, start=1):
            ws.cell(i, j, v if v != "" else None)
    wb.save(path)


def test_xlsx_title_rows_instructions_sheet_and_report(base: Path) -> None:
    _xlsx_pegawai(base, base / "pegawai.xlsx", title=True, instructions=True, merged=False)
    (base / "pegawai.csv").unlink()
    rep, tables = validate(base)
    assert rep.exit_code == 0, (rep.structure, rep.messages())
    row = rep.summary.set_index("tabel").loc["pegawai"]
    assert (row["sheet"], row["baris_header"]) == ("Data", 3)
    assert "sheet" in row["terdeteksi"]
    assert len(tables["pegawai"]) == 4


def test_xlsx_named_sheet_missing_lists_the_sheets(base: Path, tmp_path: Path) -> None:
    _xlsx_pegawai(base, base / "pegawai.xlsx", title=False, instructions=True, merged=False)
    (base / "pegawai.csv").unlink()
    m = tmp_path / "m.yaml"
    m.write_text("tabel:\n  pegawai:\n    sheet: Pegawai\n", encoding="utf-8")
    rep, _ = validate(base, mapping=m)
    assert not rep.usable
    msg = " ".join(rep.structure["pesan"])
    assert "'Pegawai'" in msg and "'Petunjuk'" in msg and "'Data'" in msg


def test_xlsx_merged_header_cell(tmp_path: Path, base: Path) -> None:
    import openpyxl

    df = pd.read_csv(base / "skp.csv", dtype=str)
    wb = openpyxl.Workbook()
    ws = wb.active
    # a two-row header: "Nilai" over "target" and "realisasi"; "nip" merged down two rows
    heads = ["nip", "periode", "indikator", "aspek"]
    for j, h in enumerate(heads, start=1):
        ws.cell(1, j, h)
        ws.merge_cells(start_row=1, start_column=j, end_row=2, end_column=j)
    ws.cell(1, 5, "Nilai")
    ws.merge_cells(start_row=1, start_column=5, end_row=1, end_column=6)
    ws.cell(2, 5, "target")
    ws.cell(2, 6, "realisasi")
    for i, row in enumerate(df.itertuples(index=False), start=3):
        for j, v in enumerate(row, start=1):
            ws.cell(i, j, float(v) if j >= 5 else v)
    wb.save(base / "skp.xlsx")
    (base / "skp.csv").unlink()
    rep, tables = validate(base)
    assert rep.exit_code == 0, (rep.structure, rep.messages())
    assert len(tables["skp"]) == 12
    assert rep.summary.set_index("tabel").loc["skp", "baris_header"] == 2


def test_xlsx_formula_without_cached_value(base: Path) -> None:
    import openpyxl

    df = pd.read_csv(base / "skp.csv", dtype=str)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(df.columns))
    for row in df.itertuples(index=False):
        ws.append([row[0], row[1], row[2], row[3], float(row[4]), float(row[5])])
    ws["F2"] = "=E2*1.1"  # openpyxl writes formulas without a cached value
    wb.save(base / "skp.xlsx")
    (base / "skp.csv").unlink()
    rep, _ = validate(base)
    hit = hits(rep, "skp.xlsx", 2, "realisasi")
    assert hit["aturan"].tolist() == ["rumus_tanpa_nilai"] and "F2" in hit["pesan"].iloc[0]
    assert "kosong" not in hit["pesan"].iloc[0]


def test_xlsx_numbers_are_never_reparsed_with_the_text_format(base: Path, tmp_path: Path) -> None:
    """The issue's 76.35 → 7635: numeric cells keep their value whatever the mapping says."""
    df = pd.read_csv(base / "skp.csv", dtype=str)
    df["realisasi"] = [10.35, 2.5] * 6
    df["target"] = df["target"].astype(float)
    (base / "skp.csv").unlink()
    df.to_excel(base / "skp.xlsx", index=False)
    m = tmp_path / "m.yaml"
    m.write_text('format:\n  desimal: ","\n  ribuan: "."\n', encoding="utf-8")
    rep, tables = validate(base, mapping=m)
    assert rep.exit_code == 0, rep.messages()
    assert tables["skp"]["realisasi"].tolist()[:2] == [10.35, 2.5]


def test_xlsx_excel_error_value(base: Path) -> None:
    df = pd.read_csv(base / "skp.csv", dtype=str)
    df.loc[0, "realisasi"] = "#REF!"
    (base / "skp.csv").unlink()
    df.to_excel(base / "skp.xlsx", index=False)
    rep, _ = validate(base)
    hit = hits(rep, "skp.xlsx", 2, "realisasi", "#REF!")
    assert hit["aturan"].tolist() == ["sel_galat_excel"]


# --------------------------------------------------------------------------- periods


def test_monthly_periods_in_any_spelling(base: Path) -> None:
    df = pd.read_csv(base / "skp.csv", dtype=str)
    df["periode"] = df["periode"].map({"2024Q1": "Januari 2024", "2024Q2": "2024-02"})
    df.to_csv(base / "skp.csv", index=False)
    df = pd.read_csv(base / "perilaku.csv", dtype=str)
    df["periode"] = df["periode"].map({"2024Q1": "01/2024", "2024Q2": "Feb 2024"})
    df.to_csv(base / "perilaku.csv", index=False)
    rep, tables = validate(base)
    assert rep.periods == ("2024-01", "2024-02")
    assert set(tables["perilaku"]["periode"]) == {"2024-01", "2024-02"}


def test_declared_periods(base: Path) -> None:
    rep, tables = validate(base, periods=["2024Q1"])
    assert rep.periods == ("2024Q1",)
    assert set(tables["skp"]["periode"]) == {"2024Q1"}
    assert (rep.issues["aturan"] == "periode_tidak_dipakai").sum() == 12  # skp 6, perilaku 6


# --------------------------------------------------------------------------- CLI


def test_cli_reports_everything_in_one_run_and_never_a_traceback(
    base: Path, tmp_path: Path
) -> None:
    edit(base / "pegawai.csv", 3, "golongan", "III/z")
    edit(base / "skp.csv", 13, "periode", "2030Q1")
    (base / "pelatihan.csv").write_bytes(b"")
    before = digest(base)
    res = CliRunner().invoke(app, ["validate", str(base), "--out", str(tmp_path / "v")])
    assert res.exit_code == 1, res.output
    out = " ".join(res.output.split())
    assert "pegawai.csv baris 3 ditolak" in out
    assert "periode 2030Q1 tidak dipakai" in out
    assert "pelatihan.csv" in out and "header baris 1" in out and "pemisah ','" in out
    assert "Traceback" not in res.output
    assert digest(base) == before
    assert (tmp_path / "v" / "sebab_utama.csv").is_file()
    res = CliRunner().invoke(app, ["validate", str(base), "--bahasa", "en"])
    assert "row 3 rejected" in " ".join(res.output.split())


def test_garbage_files_never_give_a_traceback(base: Path) -> None:
    (base / "skp.csv").write_bytes(np.random.default_rng(1).bytes(4000))
    (base / "pelatihan.csv").unlink()
    (base / "pelatihan.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    res = CliRunner().invoke(app, ["validate", str(base)])
    assert res.exit_code == 2
    assert "Traceback" not in res.output and "skp.csv" in res.output


def test_an_item_scale_that_does_not_run_upwards_is_rejected(city_300, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "kota"
    shutil.copytree(city_300.data_dir, folder)
    path = folder / "survei_instrumen.csv"
    edit(path, 2, "skala_max", "1")  # 1–1
    edit(path, 3, "skala_min", "6")  # 6–5
    edit(path, 4, "skala_min", "7")
    edit(path, 4, "skala_max", "")  # 7–(empty: 5)
    rep, tables = validate(folder, today=None)
    assert rep.usable
    for row, column, value, shown in (
        (2, "skala_max", "1", "(1)"),
        (3, "skala_max", "5", "(6)"),
        (4, "skala_max", "", "(7)"),
    ):
        hit = hits(rep, "survei_instrumen.csv", row, column)
        assert hit["aturan"].tolist() == ["skala_urut"], (row, hit)
        assert hit["nilai"].iloc[0] == value and shown in hit["pesan"].iloc[0]
    ins = pd.read_csv(path, dtype=str, keep_default_na=False)
    kept = set(tables["survei_instrumen"]["item"])
    assert not kept & set(ins["item"].iloc[:3]) and set(ins["item"].iloc[3:]) <= kept
    en, _, _ = validate_dataset(folder, bahasa="en")
    assert "must be greater than skala_min (6)" in " ".join(en.issues["pesan"])


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("Kompeten", "kompeten"),
        ("BERORIENTASI PELAYANAN", "berorientasi_pelayanan"),
        (" Berorientasi-Pelayanan ", "berorientasi_pelayanan"),
        ("kolaboratif", "kolaboratif"),
        ("Komunikasi Publik", "Komunikasi Publik"),  # another competency: kept as written
    ],
)
def test_training_target_is_read_as_the_berakhlak_code(base: Path, written, read) -> None:
    """A training's target competency written as exports write it is the BerAKHLAK code
    (letter case and spacing never make a BerAKHLAK training "not matching the job");
    another competency is kept as written."""
    edit(base / "pelatihan.csv", 2, "kompetensi_sasaran", written)
    rep, tables = validate(base)
    assert tables["pelatihan"].set_index("id_pelatihan").loc["P1", "kompetensi_sasaran"] == read
    assert hits(rep, "pelatihan.csv", 2, "kompetensi_sasaran").empty


def test_opd_names_differing_in_case_or_spaces_are_one_opd(base: Path) -> None:
    """``DINAS X`` and ``Dinas  X`` in a hand-kept register are the OPD most rows call
    ``Dinas X``: read so, with a warning naming each value as written; a service table
    writing the OPD in capitals is matched to the register's spelling."""
    peg = pd.read_csv(base / "pegawai.csv", dtype=str)
    opd = peg["opd"].value_counts().index[0]
    edit(base / "pegawai.csv", 3, "opd", opd.upper())
    rep, tables = validate(base)
    hit = hits(rep, "pegawai.csv", 3, "opd")
    assert hit["aturan"].tolist() == ["ejaan_nama"] and hit["nilai"].iloc[0] == opd.upper()
    assert (hit["tingkat"] == "peringatan").all() and opd in hit["pesan"].iloc[0]
    assert tables["pegawai"]["opd"].nunique() == peg["opd"].nunique()
    assert tables["pegawai"].set_index("nip").loc[STAFF, "opd"] == opd
    # a service table written in capitals: the register's spelling, not "unknown OPD"
    per = pd.read_csv(base / "skp.csv", dtype=str)["periode"].iloc[0]
    row = {"opd": f"  {opd.upper()} ", "periode": per, "ikm": 80.0, "jumlah_layanan": 100}
    row |= {"tepat_waktu_pct": 90.0, "jumlah_pengaduan": 2}
    pd.DataFrame([row]).to_csv(base / "layanan.csv", index=False)
    rep, tables = validate(base)
    assert tables["layanan"]["opd"].tolist() == [opd]
    hit = hits(rep, "layanan.csv", 2, "opd")
    assert hit["aturan"].tolist() == ["ejaan_nama"]
