"""Faults found by a hostile tester in the data layer (issues 11 and 15), each kind with
a small input: mapping files confined to the data folder and schema-checked, datasets
with nothing accepted refused with the root cause, empty tables, ambiguous numbers, and
console output that never interprets data as markup."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_validation_inputs import TODAY, write_base

from kinerja_analysis import DatasetError
from kinerja_analysis.data.loading import validate_dataset
from kinerja_analysis.data.mapping import read_mapping


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return write_base(tmp_path / "data")


def validate(folder: Path, **kw):
    kw.setdefault("today", TODAY)
    rep, tables, _ = validate_dataset(folder, **kw)
    return rep, tables


def yaml_file(tmp_path: Path, text: str, name: str = "m.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# --------------------------------------------------------------------- 2. confinement


@pytest.mark.parametrize(
    "file",
    [
        "/etc/passwd",
        "../outside.csv",
        "sub/../../outside.csv",
        "C:\\\\Windows\\\\win.ini",
        "http://127.0.0.1:1/pegawai.csv",
        "file:///etc/passwd",
    ],
)
def test_mapping_file_outside_the_data_folder_is_refused(tmp_path: Path, file: str) -> None:
    (tmp_path / "outside.csv").write_text("nip\n1\n", encoding="utf-8")
    m = yaml_file(tmp_path, f'tabel:\n  pegawai:\n    file: "{file}"\n', "pemetaan.yaml")
    with pytest.raises(DatasetError) as exc:
        read_mapping(m)
    text = str(exc.value)
    assert "pemetaan.yaml" in text and "tabel.pegawai.file" in text and "di dalam folder" in text


def test_mapping_file_inside_the_data_folder_is_read(base: Path, tmp_path: Path) -> None:
    (base / "ekspor").mkdir()
    (base / "pegawai.csv").rename(base / "ekspor" / "Data Pegawai.csv")
    m = yaml_file(tmp_path, 'tabel:\n  pegawai:\n    file: "ekspor/./Data Pegawai.csv"\n')
    rep, tables = validate(base, mapping=m)
    assert rep.usable and len(tables["pegawai"]) == 4


def test_mapping_file_through_a_symlink_out_of_the_folder_is_refused(
    base: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret"
    secret.mkdir()
    (base / "pegawai.csv").rename(secret / "pegawai.csv")
    os.symlink(secret, base / "link")
    m = yaml_file(tmp_path, 'tabel:\n  pegawai:\n    file: "link/pegawai.csv"\n')
    rep, _ = validate(base, mapping=m)
    assert not rep.usable
    fatal = rep.structure[rep.structure["tingkat"] == "fatal"]
    assert fatal["pesan"].str.contains("di luar folder data").any()


@pytest.mark.parametrize("dasar", ["../../evil", "/etc/passwd", "siasn/../siasn", 5])
def test_dasar_accepts_only_shipped_preset_names(tmp_path: Path, dasar) -> None:
    (tmp_path / "evil.yaml").write_text("format: {desimal: ','}\n", encoding="utf-8")
    m = yaml_file(tmp_path, f"dasar: {dasar!r}\n" if isinstance(dasar, str) else "dasar: 5\n")
    with pytest.raises(DatasetError, match=r"m\.yaml: kunci 'dasar'.*ekinerja_bkn, siasn"):
        read_mapping(m)


# --------------------------------------------------------------------- 3. schema


def test_every_bad_mapping_value_is_named_in_one_run(tmp_path: Path) -> None:
    m = yaml_file(
        tmp_path,
        "format:\n"
        '  baris_header: "abc"\n'
        "  tanggal: 5\n"
        '  desimal: [","]\n'
        '  pemisah: ""\n'
        '  encoding: "rot13"\n'
        "tabel:\n"
        "  pegawai:\n"
        "    sheet: [1, 2]\n"
        "    file: 42\n"
        "    kolom: {NIP: [1]}\n"
        "    format: {baris_header: -3, ribuan: x}\n"
        "  skp:\n"
        "    nilai: {aspek: [a]}\n",
    )
    with pytest.raises(DatasetError) as exc:
        read_mapping(m)
    lines = str(exc.value).splitlines()
    expected = {
        "format.baris_header": "'abc'",
        "format.tanggal": "5",
        "format.desimal": "[',']",
        "format.pemisah": "''",
        "format.encoding": "'rot13'",
        "tabel.pegawai.sheet": "[1, 2]",
        "tabel.pegawai.file": "42",
        "tabel.pegawai.kolom.NIP": "[1]",
        "tabel.pegawai.format.baris_header": "-3",
        "tabel.pegawai.format.ribuan": "'x'",
        "tabel.skp.nilai.aspek": "['a']",
    }
    for key, value in expected.items():
        line = [ln for ln in lines if f"'{key}'" in ln]
        assert len(line) == 1, (key, lines)
        assert line[0].startswith("m.yaml: ") and value in line[0] and "diharapkan" in line[0]
    assert len(lines) == len(expected)


def test_mapping_schema_messages_in_english(tmp_path: Path) -> None:
    m = yaml_file(tmp_path, "format:\n  baris_header: 0\n")
    with pytest.raises(DatasetError, match=r"key 'format.baris_header' has value 0; expected"):
        read_mapping(m, "en")


def test_mapping_over_a_preset_is_schema_checked_too(tmp_path: Path) -> None:
    m = yaml_file(
        tmp_path, "dasar: siasn\nformat: {desimal: 1}\ntabel:\n  pegawai: {file: /etc/passwd}\n"
    )
    with pytest.raises(DatasetError) as exc:
        read_mapping(m)
    assert "format.desimal" in str(exc.value) and "tabel.pegawai.file" in str(exc.value)


def test_valid_mapping_values_are_kept(tmp_path: Path) -> None:
    m = yaml_file(
        tmp_path,
        "format: {tanggal: '%d/%m/%Y', desimal: ',', ribuan: '.', pemisah: ';', "
        "encoding: cp1252, baris_header: 3}\n"
        "tabel:\n  pegawai: {sheet: 0, kolom: {'NIP Baru': nip}, "
        "nilai: {jenis_kelamin: {1: L, 2: P}}}\n",
    )
    cm = read_mapping(m)
    f = cm.for_table("pegawai").format
    assert (f.tanggal, f.desimal, f.ribuan, f.pemisah, f.encoding, f.baris_header) == (
        "%d/%m/%Y", ",", ".", ";", "cp1252", 3,
    )  # fmt: skip
    assert cm.for_table("pegawai").sheet == 0
    assert cm.for_table("pegawai").nilai == {"jenis_kelamin": {"1": "L", "2": "P"}}
