"""Export headers the mapping does not read: every unused column of a file said, a header
that looks like a missing column warned about with the line that maps it, a way to ignore
a header (``abaikan``), duplicate columns that never make a table unusable for one
optional column, and a batch that never dies on a file it cannot open."""

from __future__ import annotations

import csv
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from test_validation_inputs import BOSS, PEER, PPPK, STAFF, validate, write_base, yaml_file
from typer.testing import CliRunner

from kinerja_analysis import DatasetError
from kinerja_analysis.data.mapping import read_mapping
from kinerja_analysis.pipeline.cli import app
from kinerja_analysis.pipeline.preflight import scan_period_values

PROFILE = """instansi:
  nama: Kotauji
  jenis: kota
  wilayah: Provinsi Contoh
bahasa: id
min_sel: 5
periode: triwulan
"""


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return write_base(tmp_path / "data")


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def _pegawai(folder: Path) -> pd.DataFrame:
    return pd.read_csv(folder / "pegawai.csv", dtype=str, keep_default_na=False)


def _structure(rep, level: str | None = None) -> pd.DataFrame:
    s = rep.structure
    return s if level is None else s[s["tingkat"] == level]


# ------------------------------------------------------------ unused and look-alike headers


def _export_xlsx(path: Path, leaving: str = "Tanggal Keluar", status: str = "Status ASN") -> None:
    """An e-Kinerja register (preset ekinerja_bkn) with two title rows above the header,
    the leaving date and the status under headers the preset does not know."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Pegawai"
    ws.append(["DATA PEGAWAI PEMERINTAH KOTA KOTAUJI"])
    ws.append([])
    ws.append(
        ["NIP", "Nama", "Jenis Kelamin", "Tanggal Lahir", "Unit Kerja", "Jabatan"]
        + ["Jenis Jabatan", "Pangkat/Golongan", "TMT CPNS/PPPK", leaving]
        + ["NIP Atasan Langsung", status, "Alamat"]
    )
    people = [
        (BOSS, "Laki-laki", "1985-03-12", "Kepala Dinas", "JPT", "IV/c", "2010-01-01", None),
        (STAFF, "Perempuan", "1990-01-01", "Analis", "Pelaksana", "III/a", "2015-03-01", None),
        (PEER, "Laki-laki", "1992-02-02", "Analis", "Pelaksana", "III/a", "2016-01-01", "2024-05-01"),
        (PPPK, "Perempuan", "1968-04-04", "Guru", "Fungsional", "IX", "2023-03-01", None),
    ]  # fmt: skip
    for nip, jk, lahir, jab, jj, gol, tmt, keluar in people:
        ws.append(
            [nip, f"Nama {nip[-3:]}", jk, datetime.fromisoformat(lahir), "Dinas A", jab, jj, gol]
            + [datetime.fromisoformat(tmt), datetime.fromisoformat(keluar) if keluar else None]
            + [None if nip == BOSS else BOSS, "PPPK" if nip == PPPK else "PNS", "Jl. Merdeka 1"]
        )
    wb.save(path)


@pytest.fixture
def export(base: Path) -> Path:
    (base / "pegawai.csv").unlink()
    _export_xlsx(base / "Data Pegawai.xlsx")
    return base


PRESET_MAP = 'dasar: ekinerja_bkn\ntabel:\n  pegawai:\n    file: "Data Pegawai.xlsx"\n'


def test_unknown_headers_are_listed_and_look_alikes_warned(export: Path, tmp_path: Path) -> None:
    """t7 F2: 'Tanggal Keluar' and 'Status ASN' were dropped without a word (exit 0), so a
    leaver was counted as current staff."""
    rep, tables = validate(export, mapping=yaml_file(tmp_path, PRESET_MAP, "pemetaan.yaml"))
    assert rep.usable and rep.exit_code == 1  # was 0: "Tidak ada masalah"
    assert "tmt_keluar" not in tables["pegawai"]  # not read: said below
    info = _structure(rep, "info")
    note = info[info["pesan"].str.contains("tidak dipakai")]
    assert len(note) == 1 and note["file"].iloc[0] == "Data Pegawai.xlsx"
    text = note["pesan"].iloc[0]
    assert text.startswith("3 kolom tidak dipakai")
    for shown in ("'Tanggal Keluar' (kolom J)", "'Status ASN' (kolom L)", "'Alamat' (kolom M)"):
        assert shown in text
    warn = _structure(rep, "peringatan")
    alike = warn[warn["pesan"].str.contains("mungkin itulah kolomnya")]
    assert sorted(alike["kolom"]) == ["status_kepegawaian", "tmt_keluar"]
    keluar = alike[alike["kolom"] == "tmt_keluar"]["pesan"].iloc[0]
    assert "kolom 'Tanggal Keluar' (kolom J)" in keluar and "kata yang sama: keluar" in keluar
    assert 'tabel: {pegawai: {kolom: {"Tanggal Keluar": tmt_keluar}}}' in keluar
    assert 'tabel: {pegawai: {abaikan: ["Tanggal Keluar"]}}' in keluar
    status = alike[alike["kolom"] == "status_kepegawaian"]["pesan"].iloc[0]
    assert "'Status ASN'" in status and "kata yang sama: status" in status
    assert not warn["pesan"].str.contains("Alamat").any()  # no look-alike: only listed
    # the line the warning gives reads the columns, and the warnings go
    fixed = PRESET_MAP + (
        '    kolom: {"Tanggal Keluar": tmt_keluar, "Status ASN": status_kepegawaian}\n'
        '    abaikan: ["Alamat"]\n'
    )
    rep2, tables2 = validate(export, mapping=yaml_file(tmp_path, fixed, "m2.yaml"))
    peg = tables2["pegawai"].set_index("nip")
    assert str(peg.loc[PEER, "tmt_keluar"])[:10] == "2024-05-01"
    assert peg.loc[PPPK, "status_kepegawaian"] == "pppk"
    assert not _structure(rep2)["pesan"].str.contains("mungkin itulah kolomnya").any()
    assert not _structure(rep2)["pesan"].str.contains("tidak dipakai").any()
    ignored = _structure(rep2, "info")["pesan"]
    assert ignored.str.contains(r"kolom diabaikan sesuai pemetaan \(abaikan\): 'Alamat'").any()


def test_look_alike_warning_in_english_and_in_the_outputs(export: Path, tmp_path: Path) -> None:
    rep, _ = validate(export, mapping=yaml_file(tmp_path, PRESET_MAP, "pemetaan.yaml"), bahasa="en")
    pesan = " ".join(_structure(rep)["pesan"])
    assert "3 column(s) not used" in pesan
    assert "column 'Tanggal Keluar' (column J) is not used, while the optional column" in pesan
    assert "tmt_keluar" in pesan and "shared word: keluar" in pesan
    assert "'Alamat' (column M)" in pesan
    files = rep.files()["masalah_struktur"]
    assert files["pesan"].str.contains("'Alamat' (column M)", regex=False).any()


def test_a_missing_required_column_gets_the_look_alike_too(base: Path) -> None:
    peg = _pegawai(base).rename(columns={"tanggal_lahir": "Tgl Lahir (dd/mm/yyyy)"})
    peg.to_csv(base / "pegawai.csv", index=False)
    rep, _ = validate(base)
    assert not rep.usable
    alike = _structure(rep, "peringatan")
    alike = alike[alike["pesan"].str.contains("Tgl Lahir (dd/mm/yyyy)", regex=False)]
    assert alike["kolom"].tolist() == ["tanggal_lahir"]
    assert "kolom wajib tanggal_lahir" in alike["pesan"].iloc[0]


@pytest.mark.parametrize("header", ["Alamat", "Agama", "No", "Email", "Keterangan", "NIP Lama"])
def test_ordinary_extra_columns_are_only_listed(base: Path, header: str) -> None:
    """Conservative: a header that shares no distinctive word with a missing column
    (here tmt_keluar, status_kepegawaian, nama and pendidikan are missing) is listed, not
    warned about, and the dataset stays clean."""
    peg = _pegawai(base).drop(columns=["status_kepegawaian"])
    peg[header] = "x"
    peg.to_csv(base / "pegawai.csv", index=False)
    rep, _ = validate(base)
    assert rep.exit_code == 0, _structure(rep)
    assert _structure(rep, "info")["pesan"].str.contains(f"'{header}' (kolom J)", regex=False).any()


def test_a_long_list_is_shortened_on_the_console_only(base: Path, tmp_path: Path) -> None:
    peg = _pegawai(base)
    for i in range(60):
        peg[f"Catatan Tambahan {i:02d}"] = ""
    peg["Catatan Tambahan 00"] = "x"  # one filled: the empty ones are columns too
    peg.to_csv(base / "pegawai.csv", index=False)
    out = tmp_path / "v"
    res = CliRunner().invoke(app, ["validate", str(base), "--out", str(out)])
    assert res.exit_code == 0, res.output
    console = " ".join(res.output.split())
    assert (
        "60 kolom tidak dipakai" in console and "daftar lengkap di masalah_struktur.csv" in console
    )
    assert "'Catatan Tambahan 59'" not in console
    saved = pd.read_csv(out / "masalah_struktur.csv", dtype=str)
    note = saved[saved["pesan"].str.contains("60 kolom tidak dipakai")]["pesan"].iloc[0]
    assert all(f"'Catatan Tambahan {i:02d}'" in note for i in range(60))


# ------------------------------------------------------------------- abaikan: ignoring a header


def _two_opd_columns(base: Path) -> None:
    """'Unit Kerja' (a sub-unit) and 'Perangkat Daerah' (the OPD) both mapped to opd; row 2
    has only the OPD, row 3 on is where they disagree."""
    peg = _pegawai(base)
    opd = peg.pop("opd")
    peg.insert(3, "Unit Kerja", ["", "Sub Bagian Umum", "Sub Bagian Umum", "Sub Bagian Program"])
    peg.insert(4, "Perangkat Daerah", opd)
    peg.to_csv(base / "pegawai.csv", index=False)


TWO_OPD = "dasar: ekinerja_bkn\n"  # maps both 'Unit Kerja' and 'Perangkat Daerah' to opd


def test_two_columns_of_a_required_field_name_a_real_conflict_and_say_how(
    base: Path, tmp_path: Path
) -> None:
    """t7 F3: 'pilih satu kolom di file pemetaan' could not be done; the example row was
    the first row that differed at all (row 2: one of them empty), not a conflict."""
    _two_opd_columns(base)
    rep, _ = validate(base, mapping=yaml_file(tmp_path, TWO_OPD, "pemetaan.yaml"))
    assert not rep.usable
    fatal = _structure(rep, "fatal")["pesan"]
    text = fatal[fatal.str.contains("muncul lebih dari sekali")].iloc[0]
    assert "'Unit Kerja' (kolom D), 'Perangkat Daerah' (kolom E)" in text
    assert "berbeda di 3 baris (baris 3, 4, 5)" in text  # not row 2
    assert "untuk membaca 'Unit Kerja': tabel: {pegawai: {abaikan: [\"Perangkat Daerah\"]}}" in text
    # matched loosely, as kolom's headers
    fixed = TWO_OPD + 'tabel:\n  pegawai:\n    abaikan: ["unit kerja"]\n'
    rep2, tables = validate(base, mapping=yaml_file(tmp_path, fixed, "m2.yaml"))
    assert rep2.usable, _structure(rep2)
    assert set(tables["pegawai"]["opd"]) == {"Dinas A"}
    info = _structure(rep2, "info")["pesan"]
    assert info.str.contains(
        "kolom diabaikan sesuai pemetaan (abaikan): 'Unit Kerja' (kolom D)", regex=False
    ).any()
    en, _ = validate(base, mapping=yaml_file(tmp_path, TWO_OPD, "pemetaan.yaml"), bahasa="en")
    text = " ".join(_structure(en, "fatal")["pesan"])
    assert "different contents on 3 row(s) (row 3, 4, 5)" in text
    assert "e.g. to read 'Unit Kerja': tabel: {pegawai: {abaikan:" in text


def test_abaikan_over_a_preset_and_a_preset_abaikan_overridden(tmp_path: Path) -> None:
    m = read_mapping(
        yaml_file(
            tmp_path, 'dasar: ekinerja_bkn\ntabel:\n  pegawai:\n    abaikan: ["Unit Kerja"]\n'
        )
    )
    tm = m.for_table("pegawai")
    assert tm.abaikan == ("Unit Kerja",) and tm.kolom["Unit Kerja"] == "opd"  # ignored wins
    # SIASN's TMT_PENSIUN may hold a projected retirement: the preset ignores it, and an
    # agency that maps it in its own kolom reads it
    assert read_mapping("siasn").for_table("pegawai").abaikan == ("TMT_PENSIUN",)
    own = 'dasar: siasn\ntabel:\n  pegawai:\n    kolom: {"TMT Pensiun": tmt_keluar}\n'
    assert read_mapping(yaml_file(tmp_path, own, "m2.yaml")).for_table("pegawai").abaikan == ()


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            'tabel:\n  pegawai:\n    kolom: {"Unit Kerja": null}\n',
            "kunci 'tabel.pegawai.kolom.Unit Kerja' bernilai None; yang diharapkan: nama kolom "
            "kontrak (teks); header yang tidak dibaca ditulis di daftar abaikan tabelnya, mis. "
            'tabel: {pegawai: {abaikan: ["Unit Kerja"]}}',
        ),
        (
            'tabel:\n  pegawai:\n    kolom: {"Unit Kerja": abaikan}\n',
            'mis. tabel: {pegawai: {abaikan: ["Unit Kerja"]}}',
        ),
        (
            'tabel:\n  pegawai:\n    abaikan: "Unit Kerja"\n',
            "kunci 'tabel.pegawai.abaikan' bernilai 'Unit Kerja'; yang diharapkan: daftar header "
            '(teks) yang tidak dibaca, mis. tabel: {pegawai: {abaikan: ["Unit Kerja"]}}',
        ),
        ('tabel:\n  skp:\n    abaikan: ["X", ""]\n', "kunci 'tabel.skp.abaikan[1]' bernilai ''"),
        (
            'tabel:\n  skp:\n    kolom: {"X": indikator}\n    abaikan: ["x"]\n',
            "kunci 'tabel.skp.abaikan' bernilai 'X'; yang diharapkan: header yang tidak "
            "sekaligus dipetakan di tabel.skp.kolom",
        ),
    ],
)
def test_abaikan_is_checked_with_clear_messages(tmp_path: Path, text: str, said: str) -> None:
    with pytest.raises(DatasetError) as exc:
        read_mapping(yaml_file(tmp_path, text, "pemetaan.yaml"))
    assert said in str(exc.value)


def test_abaikan_messages_in_english(tmp_path: Path) -> None:
    text = (
        'dasar: ekinerja_bkn\ntabel:\n  pegawai:\n    kolom: {"Unit Kerja": null}\n    abaikan: 3\n'
    )
    with pytest.raises(DatasetError) as exc:
        read_mapping(yaml_file(tmp_path, text, "pemetaan.yaml"), "en")
    said = str(exc.value)
    assert "2 problems in the mapping file" in said
    assert "a header not to read goes in its table's abaikan list" in said
    assert "a list of headers (text) not to read" in said


def test_an_abaikan_header_not_in_the_file_is_noted(base: Path, tmp_path: Path) -> None:
    rep, _ = validate(
        base, mapping=yaml_file(tmp_path, 'tabel:\n  skp:\n    abaikan: ["Sub Unit"]\n')
    )
    assert rep.exit_code == 0
    info = _structure(rep, "info")
    assert (
        info["pesan"]
        .str.contains("header dalam abaikan tabel skp tidak ada di file ini: 'Sub Unit'")
        .any()
    )


# ------------------------------------------------------------ one header written twice


def _duplicate_header(base: Path, column: str, second: list[str]) -> None:
    peg = _pegawai(base)
    header = [*peg.columns, column]
    rows = [[*r, s] for r, s in zip(peg.astype(str).values.tolist(), second, strict=True)]
    _write_csv(base / "pegawai.csv", header, rows)


def test_two_jabatan_headers_keep_the_first_with_a_warning(base: Path) -> None:
    """t7 F3 (c_duphdr): two headers 'jabatan' with other contents made the register, so
    the dataset, unusable."""
    _duplicate_header(base, "jabatan", ["Staf", "Staf", "Staf", "Analis"])
    rep, tables = validate(base)
    assert rep.usable and rep.exit_code == 1
    assert tables["pegawai"].set_index("nip").loc[STAFF, "jabatan"] == "Analis"  # column E
    warn = _structure(rep, "peringatan")["pesan"]
    text = warn[warn.str.contains("header yang sama")].iloc[0]
    assert "'jabatan' (kolom E), 'jabatan' (kolom K)" in text
    assert "isi berbeda di 4 baris (baris 2, 3, 4, 5)" in text
    assert "dipakai kolom E (yang pertama), kolom K tidak dipakai" in text
    info = _structure(rep, "info")["pesan"]
    assert info.str.contains("1 kolom tidak dipakai", regex=False).any()
    assert info.str.contains("'jabatan' (kolom K)", regex=False).any()


def test_two_identical_key_headers_stay_fatal_and_say_why(base: Path) -> None:
    _duplicate_header(base, "nip", [BOSS, STAFF, PPPK, PEER])
    rep, _ = validate(base)
    assert not rep.usable
    text = " ".join(_structure(rep, "fatal")["pesan"])
    assert "header yang sama ('nip' (kolom A), 'nip' (kolom K))" in text
    assert "berbeda di 2 baris (baris 4, 5)" in text
    assert "ganti nama header kolom yang salah di salinan file ekspor" in text


def test_two_unmapped_headers_with_other_contents_are_both_listed(base: Path) -> None:
    peg = _pegawai(base)
    header = [*peg.columns, "Catatan", "Catatan"]
    rows = [[*r, "a", "b"] for r in peg.astype(str).values.tolist()]
    _write_csv(base / "pegawai.csv", header, rows)
    rep, _ = validate(base)
    assert rep.exit_code == 0  # unused columns: a note, never "same contents, one kept"
    note = " ".join(_structure(rep, "info")["pesan"])
    assert "2 kolom tidak dipakai" in note and "'Catatan' (kolom K), 'Catatan' (kolom L)" in note


# ------------------------------------------------- two columns of one optional field disagree


LEAVING = 'tabel:\n  pegawai:\n    kolom: {"TMT Pensiun": tmt_keluar, "TMT Berhenti": tmt_keluar}\n'


def _leaving_columns(base: Path) -> None:
    """Rows 2 (BOSS) and 4 (PEER) disagree; row 3 (STAFF) has a pension date only; row 5
    (PPPK) a dash where the other column has the date."""
    peg = _pegawai(base)
    peg["TMT Pensiun"] = ["2024-06-30", "2024-06-01", "2024-06-01", "-"]
    peg["TMT Berhenti"] = ["2024-06-29", "", "2024-05-15", "2024-06-10"]
    peg.to_csv(base / "pegawai.csv", index=False)


def test_conflicting_optional_columns_are_warned_row_by_row(base: Path, tmp_path: Path) -> None:
    """t6 F10: one conflicting leaving date made the dataset unusable, named a row that
    was no conflict, and a '-' beside a date counted as a conflict."""
    _leaving_columns(base)
    rep, tables = validate(base, mapping=yaml_file(tmp_path, LEAVING, "pemetaan.yaml"))
    assert rep.usable  # was: fatal
    assert not len(_structure(rep, "fatal"))
    peg = tables["pegawai"].set_index("nip")["tmt_keluar"]
    assert pd.isna(peg[BOSS]) and pd.isna(peg[PEER])  # conflicts: emptied
    assert str(peg[STAFF])[:10] == "2024-06-01"
    assert str(peg[PPPK])[:10] == "2024-06-10"  # the placeholder gave way
    rows = rep.issues[rep.issues["aturan"] == "kolom_ganda_bentrok"]
    assert rows["baris"].tolist() == [2, 4] and set(rows["tingkat"]) == {"peringatan"}
    assert set(rows["file"]) == {"pegawai.csv"} and set(rows["kolom"]) == {"tmt_keluar"}
    assert rows["nilai"].tolist() == ["2024-06-30 | 2024-06-29", "2024-06-01 | 2024-05-15"]
    pesan = rows["pesan"].iloc[0]
    assert "'TMT Pensiun' (kolom K), 'TMT Berhenti' (kolom L)" in pesan
    assert "nilai dikosongkan, baris tetap dipakai" in pesan
    assert len(rep.grouped().query("aturan == 'kolom_ganda_bentrok'")) == 1  # one cause
    summary = _structure(rep, "peringatan")["pesan"]
    text = summary[summary.str.contains("muncul lebih dari sekali")].iloc[0]
    assert "di 2 baris isinya berbeda (baris 2, 4)" in text
    assert "untuk membaca 'TMT Pensiun': tabel: {pegawai: {abaikan: [\"TMT Berhenti\"]}}" in text
    en, _ = validate(base, mapping=yaml_file(tmp_path, LEAVING, "pemetaan.yaml"), bahasa="en")
    row = en.issues[en.issues["aturan"] == "kolom_ganda_bentrok"]["pesan"].iloc[0]
    assert "hold different values on this row" in row and "value left empty, row kept" in row
    assert "columns 'TMT Pensiun' (column K), 'TMT Berhenti' (column L) hold" in row


def test_a_placeholder_beside_a_value_is_no_conflict(base: Path, tmp_path: Path) -> None:
    peg = _pegawai(base)
    peg["TMT Pensiun"] = ["-", "N/A", "", "—"]
    peg["TMT Berhenti"] = ["", "2024-06-01", "-", "2024-06-10"]
    peg.to_csv(base / "pegawai.csv", index=False)
    rep, tables = validate(base, mapping=yaml_file(tmp_path, LEAVING, "pemetaan.yaml"))
    assert rep.usable and not (rep.issues["aturan"] == "kolom_ganda_bentrok").any()
    s = _structure(rep, "peringatan")["pesan"]
    assert s.str.contains("tidak pernah dengan isi berbeda di satu baris: digabung").any()
    keluar = tables["pegawai"].set_index("nip")["tmt_keluar"]
    assert str(keluar[STAFF])[:10] == "2024-06-01" and str(keluar[PPPK])[:10] == "2024-06-10"
    # a placeholder alone is read as the single column reads it: a warning, emptied
    dash = rep.issues[(rep.issues["kolom"] == "tmt_keluar") & (rep.issues["baris"] == 2)]
    assert dash["aturan"].tolist() == ["tipe:date"] and dash["nilai"].tolist() == ["-"]


def test_placeholders() -> None:
    from kinerja_analysis.data.readers import is_placeholder

    for text in ("-", "--", "—", "–", " - ", "N/A", "n/a", "NULL", "tidak ada", "...", "/"):
        assert is_placeholder(text), text
    for text in ("", "  ", "0", "2024-06-01", "Dinas A", "-1", "x-"):
        assert not is_placeholder(text), text


# ------------------------------------------------------ a file that cannot be opened at all


def _truncated_xlsx(path: Path) -> None:
    df = pd.DataFrame({"nip": [STAFF], "periode": ["2024Q1"], "indikator": ["i1"]})
    df.to_excel(path, index=False)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _html_xlsx(path: Path) -> None:
    path.write_text(
        "<html><body><table><tr><th>nip</th><th>periode</th></tr>"
        f"<tr><td>{STAFF}</td><td>2024Q1</td></tr></table></body></html>",
        encoding="utf-8",
    )


@pytest.mark.parametrize("make", [_truncated_xlsx, _html_xlsx])
def test_period_prescan_leaves_an_unreadable_file_to_validation(base: Path, make) -> None:
    """t7 F6: the batch's pre-scan raised zipfile.BadZipFile (an 82-line traceback)."""
    (base / "skp.csv").unlink()
    make(base / "skp.xlsx")
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(base / "skp.xlsx")
    assert scan_period_values(base) is None
    rep, _ = validate(base)
    assert not rep.usable  # a file given for a table and unreadable: never "without SKP"
    fatal = " ".join(_structure(rep, "fatal")["pesan"])
    assert "file tidak dapat dibaca (BadZipFile: File is not a zip file)" in fatal
    assert "file ini diberikan untuk tabel skp" in fatal


def test_batch_ends_with_the_validation_message_on_a_corrupt_workbook(
    base: Path, tmp_path: Path
) -> None:
    (base / "skp.csv").unlink()
    _truncated_xlsx(base / "skp.xlsx")
    profile = tmp_path / "profil.yaml"
    profile.write_text(PROFILE, encoding="utf-8")
    args = ["batch", "--data", str(base), "--out", str(tmp_path / "o"), "--config", str(profile)]
    res = CliRunner().invoke(app, [*args, "--cache", str(tmp_path / "c"), "--workers", "1"])
    out = " ".join(res.output.split())
    assert res.exit_code == 2, out
    assert "Traceback" not in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert "Data tidak dapat dipakai" in out
    assert "skp.xlsx: file tidak dapat dibaca (BadZipFile: File is not a zip file)" in out


def test_batch_never_prints_a_bare_traceback(base: Path, tmp_path: Path, monkeypatch) -> None:
    from kinerja_analysis.pipeline import batch

    def broken(*args, **kwargs):
        raise zipfile.BadZipFile("File is not a zip file")

    monkeypatch.setattr(batch, "run_batch", broken)
    args = ["batch", "--data", str(base), "--out", str(tmp_path / "o"), "--bahasa", "en"]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 2
    assert isinstance(res.exception, SystemExit)
    assert "Unexpected error (BadZipFile: File is not a zip file)" in " ".join(res.output.split())
