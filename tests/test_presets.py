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
