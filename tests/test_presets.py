"""Mapping presets (SIASN, e-Kinerja BKN) and their worked examples under data/contoh/."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kinerja_analysis import DatasetError, load_dataset
from kinerja_analysis.data.mapping import presets, read_mapping
from kinerja_analysis.pipeline.cli import app

ROOT = Path(__file__).resolve().parents[1]
CONTOH = ROOT / "data" / "contoh"


def test_presets_are_shipped_and_readable() -> None:
    assert set(presets()) >= {"siasn", "ekinerja_bkn"}
    m = read_mapping("ekinerja_bkn")
    assert m.for_table("penilaian_resmi").kolom["Predikat Kinerja"] == "predikat"
    assert read_mapping("siasn").for_table("pegawai").kolom["NIP_BARU"] == "nip"


def test_unknown_preset_names_the_ones_that_exist(tmp_path: Path) -> None:
    m = tmp_path / "m.yaml"
    m.write_text("dasar: simpeg\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="ekinerja_bkn"):
        read_mapping(m)


def test_a_mapping_laid_over_a_preset(tmp_path: Path) -> None:
    m = tmp_path / "m.yaml"
    m.write_text(
        "dasar: siasn\n"
        "format: {desimal: ','}\n"
        "tabel:\n"
        "  pegawai:\n"
        "    file: data.csv\n"
        "    kolom: {'UNIT KERJA': opd}\n"
        "    nilai: {jenis_kelamin: {'L': L}}\n",
        encoding="utf-8",
    )
    got = read_mapping(m).for_table("pegawai")
    assert got.file == "data.csv"
    assert got.kolom["UNIT KERJA"] == "opd" and got.kolom["NIP_BARU"] == "nip"  # added, kept
    assert got.nilai["jenis_kelamin"] == {"M": "L", "F": "P", "PRIA": "L", "WANITA": "P", "L": "L"}
    assert got.format.tanggal == "%d-%m-%Y" and got.format.desimal == ","
    assert {"tanggal", "desimal"} <= got.format.declared


@pytest.mark.parametrize(
    ("folder", "expected"),
    [
        (
            "siasn",
            ["DATA_UTAMA.csv: CSV, header baris 1, pemisah ','", "Periode dataset: 2024, 2025"],
        ),
        (
            "ekinerja_bkn",
            [
                "Data Pegawai.xlsx: XLSX, sheet 'Pegawai', header baris 4, desimal ','",
                "Rekap Predikat Kinerja.xlsx: XLSX, sheet 'Rekap', header baris 2",
                "Periode dataset: 2025-01, 2025-02, 2025-03",
            ],
        ),
    ],
)
def test_examples_validate_clean_and_say_how_they_were_read(
    folder: str, expected: list[str]
) -> None:
    path = CONTOH / folder
    res = CliRunner().invoke(app, ["validate", str(path), "--mapping", str(path / "pemetaan.yaml")])
    assert res.exit_code == 0, res.output
    out = " ".join(res.output.split())
    for text in expected:
        assert text in out, (text, out)


def test_examples_hold_pppk_and_official_ratings() -> None:
    ds = load_dataset(CONTOH / "ekinerja_bkn", mapping=CONTOH / "ekinerja_bkn" / "pemetaan.yaml")
    peg = ds.pegawai.set_index("nip")
    assert set(peg["status_kepegawaian"]) == {"pns", "pppk", "pppk_paruh_waktu"}
    assert peg.loc["196804042023212001", "golongan"] == "IX"
    assert (
        ds.penilaian_resmi["rating_hasil"]
        .isin(["Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi"])
        .all()
    )
    assert set(ds.penilaian_resmi["predikat"]) <= {
        "Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang",
    }  # fmt: skip
    # XLSX numbers are used as they are, whatever the text number format says
    assert ds.skp["realisasi"].max() < 200
    ds = load_dataset(CONTOH / "siasn", mapping=CONTOH / "siasn" / "pemetaan.yaml")
    assert ds.periods == ("2024", "2025")
    assert (ds.pegawai["status_kepegawaian"] == "pppk").sum() == 4


def test_examples_are_what_the_script_writes(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("buat_contoh", CONTOH / "buat_contoh.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.write_siasn(tmp_path / "siasn")
    mod.write_ekinerja(tmp_path / "ekinerja_bkn")
    for folder in ("siasn", "ekinerja_bkn"):
        for f in sorted((tmp_path / folder).iterdir()):
            committed = CONTOH / folder / f.name
            assert (
                hashlib.sha256(f.read_bytes()).digest()
                == hashlib.sha256(committed.read_bytes()).digest()
            ), committed.name


def test_mapping_to_a_column_the_contract_does_not_have_is_named(tmp_path: Path) -> None:
    m = tmp_path / "m.yaml"
    m.write_text("tabel:\n  pegawai:\n    kolom: {'NIP Atasan': nip_atasn}\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="nip_atasn"):
        read_mapping(m)
    m.write_bytes("tabel:\n  pegawai:\n    kolom: {'Tgl Lahir': tanggal_lahir}\n".encode("utf-16"))
    with pytest.raises(DatasetError, match="UTF-8"):
        read_mapping(m)


def test_a_preset_on_an_export_with_its_own_file_names_says_which_files_fit(
    tmp_path: Path,
) -> None:
    """``--mapping siasn`` cannot know an export's file names: the fatal message names
    the folder's files, says how to name them, and points to the files whose header
    holds the table's required columns — without reading them in the table's place."""
    import shutil

    folder = tmp_path / "ekspor"
    shutil.copytree(CONTOH / "siasn", folder)
    (folder / "pemetaan.yaml").unlink()
    (folder / "DATA_UTAMA.csv").rename(folder / "Data Utama PNS.csv")
    (folder / "RIWAYAT_KINERJA.csv").rename(folder / "riwayat 2024-2025.csv")
    res = CliRunner().invoke(app, ["validate", str(folder), "--mapping", "siasn"])
    assert res.exit_code != 0
    out = " ".join(res.output.split())
    assert "file di folder: Data Utama PNS.csv, profil_instansi.yaml, riwayat 2024-2025.csv" in out
    assert 'baris tabel: {pegawai: {file: "<nama file>"}}, dan di atasnya baris dasar: siasn' in out
    assert "memuat semua kolom wajib tabel ini: Data Utama PNS.csv." in out
    assert "memuat semua kolom wajib penilaian_resmi: riwayat 2024-2025.csv." in out
    en = CliRunner().invoke(app, ["validate", str(folder), "--mapping", "siasn", "--bahasa", "en"])
    out_en = " ".join(en.output.split())
    assert "Files whose header holds every required column of this table: Data Utama PNS.csv" in (
        out_en
    )
    # following the message, as written, makes the folder usable
    import yaml

    hint = 'tabel: {pegawai: {file: "<nama file>"}}'.replace("<nama file>", "Data Utama PNS.csv")
    assert yaml.safe_load(hint) == {"tabel": {"pegawai": {"file": "Data Utama PNS.csv"}}}
    (folder / "pemetaan.yaml").write_text(
        "dasar: siasn\n"
        'tabel: {pegawai: {file: "Data Utama PNS.csv"}, '
        'penilaian_resmi: {file: "riwayat 2024-2025.csv"}}\n',
        "utf-8",
    )
    ok = CliRunner().invoke(
        app, ["validate", str(folder), "--mapping", str(folder / "pemetaan.yaml")]
    )
    assert ok.exit_code == 0, ok.output


def test_header_names_reads_only_the_header(tmp_path: Path) -> None:
    import openpyxl
    import pandas as pd

    from kinerja_analysis.data.readers import HeaderSpec, header_names

    spec = HeaderSpec(("nip", "opd", "nama"), {"NIP BARU": "nip", "UNOR_INDUK_NAMA": "opd"})
    # a cp1252 CSV with a title line above the header, semicolons, loose header spelling
    (tmp_path / "a.csv").write_bytes(
        "Rekap pegawai Dinas Café\n\nnip_baru;Unor Induk Nama;Lain\n1;A;x\n".encode("cp1252")
    )
    assert header_names(tmp_path / "a.csv", spec) == {"nip", "opd"}
    # a workbook whose header is on row 3 of its second sheet
    wb = openpyxl.Workbook()
    wb.active.append(["catatan"])
    ws = wb.create_sheet("Data")
    ws.append(["Laporan"])
    ws.append([])
    ws.append(["NIP BARU", "nama", "x"])
    ws.append(["1", "A", "y"])
    wb.save(tmp_path / "b.xlsx")
    assert header_names(tmp_path / "b.xlsx", spec) == {"nip", "nama"}
    pd.DataFrame({"opd": ["A"], "nama": ["B"]}).to_parquet(tmp_path / "c.parquet")
    assert header_names(tmp_path / "c.parquet", spec) == {"opd", "nama"}
    # empty, broken or unknown files offer nothing (reading them for real says why)
    (tmp_path / "d.csv").write_bytes(b"")
    (tmp_path / "e.xlsx").write_bytes(b"not a zip")
    (tmp_path / "f.txt").write_text("nip,opd\n")
    for f in ("d.csv", "e.xlsx", "f.txt"):
        assert header_names(tmp_path / f, spec) == frozenset()


def test_workbook_head_rows_match_openpyxl() -> None:
    """The streamed first rows of a workbook (shared strings read only as far as they
    are used) hold what openpyxl reads there, on the e-Kinerja example's workbooks
    (header on row 4 under merged title cells, several sheets)."""
    import openpyxl

    from kinerja_analysis.data.readers import _xlsx_head_rows

    for path in sorted((CONTOH / "ekinerja_bkn").glob("*.xlsx")):
        got = _xlsx_head_rows(path, 8)
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        assert list(got) == wb.sheetnames
        for name in wb.sheetnames:
            want = [list(r) for r in wb[name].iter_rows(max_row=8, values_only=True)]
            rows = got[name]
            for r, row in enumerate(want):
                mine = rows[r] if r < len(rows) else []
                for c, v in enumerate(row):
                    m = mine[c] if c < len(mine) else None
                    if v is None or v == "":
                        assert m in (None, ""), (path.name, name, r, c, m)
                    elif isinstance(v, str):
                        assert m == v, (path.name, name, r, c, m, v)
                    elif not hasattr(v, "year"):  # numbers as their stored text
                        assert float(m) == pytest.approx(float(v)), (path.name, r, c)
        wb.close()


def test_file_suggestions_in_a_crowded_folder(tmp_path: Path) -> None:
    """Many files: the message lists 30 and counts the rest; a header-only copy ranks
    after the file with data; a mapped file that does not exist gets the suggestion."""
    import shutil

    folder = tmp_path / "ekspor"
    shutil.copytree(CONTOH / "siasn", folder)
    (folder / "pemetaan.yaml").unlink()
    real = folder / "z data utama.csv"
    (folder / "DATA_UTAMA.csv").rename(real)
    header = real.read_text("utf-8").splitlines()[0]
    (folder / "a kosong.csv").write_text(header + "\n", "utf-8")
    for i in range(40):
        (folder / f"catatan {i:02d}.txt").write_text("x", "utf-8")
    res = CliRunner().invoke(app, ["validate", str(folder), "--mapping", "siasn"])
    out = " ".join(res.output.split())
    assert "… dan 14 file lainnya" in out  # 44 files: 30 listed
    assert "memuat semua kolom wajib tabel ini: z data utama.csv, a kosong.csv." in out
    (folder / "pemetaan.yaml").write_text(
        'dasar: siasn\ntabel: {pegawai: {file: "DATA_UTAMA.csv"}}\n', "utf-8"
    )
    res = CliRunner().invoke(
        app, ["validate", str(folder), "--mapping", str(folder / "pemetaan.yaml")]
    )
    out = " ".join(res.output.split())
    assert "DATA_UTAMA.csv" in out and "z data utama.csv, a kosong.csv." in out
