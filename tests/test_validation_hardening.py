"""Faults found by a hostile tester in the data layer (issues 11 and 15), each kind with
a small input: mapping files confined to the data folder and schema-checked, datasets
with nothing accepted refused with the root cause, empty tables, ambiguous numbers, and
console output that never interprets data as markup."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from test_validation_inputs import STAFF, TODAY, validate, write_base, yaml_file
from typer.testing import CliRunner

from kinerja_analysis import DatasetError
from kinerja_analysis.data.loading import load_dataset
from kinerja_analysis.data.mapping import read_mapping
from kinerja_analysis.pipeline.cli import app


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return write_base(tmp_path / "data")


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
        "    sheet: [1, -2]\n"
        "    file: 42\n"
        "    kolom: {NIP: [1]}\n"
        "    format: {baris_header: -3, ribuan: x}\n"
        "  skp:\n"
        "    nilai: {aspek: [a]}\n",
    )
    with pytest.raises(DatasetError) as exc:
        read_mapping(m)
    head, *lines = str(exc.value).splitlines()
    expected = {
        "format.baris_header": "'abc'",
        "format.tanggal": "5",
        "format.desimal": "[',']",
        "format.pemisah": "''",
        "format.encoding": "'rot13'",
        "tabel.pegawai.sheet": "[1, -2]",
        "tabel.pegawai.file": "42",
        "tabel.pegawai.kolom.NIP": "[1]",
        "tabel.pegawai.format.baris_header": "-3",
        "tabel.pegawai.format.ribuan": "'x'",
        "tabel.skp.nilai.aspek": "['a']",
    }
    for key, value in expected.items():
        line = [ln for ln in lines if f"'{key}'" in ln]
        assert len(line) == 1, (key, lines)
        assert line[0].startswith("  - m.yaml: ") and value in line[0] and "diharapkan" in line[0]
    assert len(lines) == len(expected)
    assert head == f"{len(expected)} masalah dalam file pemetaan m.yaml:"


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


# --------------------------------------------------------------------- 1. nothing accepted


def set_column(path: Path, column: str, values) -> None:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df[column] = values(df) if callable(values) else values
    df.to_csv(path, index=False)


def test_no_accepted_employee_is_unusable_with_the_root_cause_first(base: Path) -> None:
    # Excel turned the whole NIP column into numbers in scientific notation
    set_column(
        base / "pegawai.csv", "nip", lambda df: [f"{int(n) / 1e17:.5f}E+17" for n in df["nip"]]
    )
    rep, _ = validate(base)
    assert not rep.usable and rep.exit_code == 2
    first = rep.structure.iloc[0]
    assert first["tingkat"] == "fatal" and first["file"] == "pegawai.csv"
    assert "0 dari 4 baris diterima" in first["pesan"]
    assert "kolom nip" in first["pesan"] and "tersimpan sebagai angka" in first["pesan"]
    with pytest.raises(DatasetError) as exc:
        load_dataset(base, today=TODAY)
    # one problem per line, the root cause first
    lines = str(exc.value).strip("\n").splitlines()
    assert lines[0].startswith("  - pegawai.csv: 0 dari 4 baris diterima")
    assert all(line.startswith("  - ") for line in lines)


def test_no_accepted_row_in_every_period_table_is_unusable(base: Path) -> None:
    set_column(base / "skp.csv", "target", "-1")
    rep, _ = validate(base)
    assert not rep.usable
    fatal = rep.structure[rep.structure["tingkat"] == "fatal"]
    assert fatal.iloc[0]["file"] == "skp.csv"
    assert "skp.csv: 0 dari 12 baris diterima" in fatal.iloc[0]["pesan"]
    assert "kolom target, 12 baris (mis. nilai '-1')" in fatal.iloc[0]["pesan"]


def test_some_rows_accepted_in_the_period_table_stays_usable(base: Path) -> None:
    set_column(base / "skp.csv", "target", lambda df: ["-1"] * (len(df) - 1) + ["10"])
    rep, _ = validate(base)
    assert rep.usable and rep.exit_code == 1


def test_cli_stops_with_the_root_cause_when_nothing_is_accepted(base: Path) -> None:
    set_column(base / "pegawai.csv", "nip", "1.96801E+17")
    res = CliRunner().invoke(app, ["validate", str(base), "--show", "2"])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    struct = res.output.split("Masalah struktur", 1)[1]
    assert struct.lstrip().startswith("[fatal] pegawai.csv: 0 dari 4 baris diterima")


def test_optional_table_without_accepted_rows_is_not_used_also_from_the_cache(
    base: Path, tmp_path
) -> None:
    # every training row rejected: "no training" would be a false finding, so the table
    # is not used (as if absent) and a warning says why, fresh and from the cache
    set_column(base / "pelatihan.csv", "jp", "-5")
    ds = load_dataset(base, today=TODAY, cache=tmp_path / "cache")
    again = load_dataset(base, today=TODAY, cache=tmp_path / "cache")
    assert not ds.has("pelatihan") and not again.has("pelatihan")
    for d in (ds, again):
        st = d.validation.structure
        hit = st[(st["tabel"] == "pelatihan") & (st["tingkat"] == "peringatan")]
        assert len(hit) == 1 and "0 dari 2 baris diterima" in hit["pesan"].iloc[0]
        assert "kolom jp" in hit["pesan"].iloc[0]
        assert d.validation.exit_code == 1


# --------------------------------------------------------------------- 4. root causes


def test_cause_lines_name_column_and_value_and_causes_come_first(base: Path) -> None:
    df = pd.read_csv(base / "pegawai.csv", dtype=str, keep_default_na=False)
    row = int(df.index[df["nip"] == "199001012015032002"][0]) + 2
    df.loc[row - 2, "tanggal_lahir"] = "31-31-1990"
    df.to_csv(base / "pegawai.csv", index=False)
    rep, _ = validate(base)
    causes = rep.causes()
    assert len(causes) == 1
    line = causes["pesan"].iloc[0]
    assert f"pegawai.csv baris {row}" in line
    assert "kolom tanggal_lahir" in line and "'31-31-1990'" in line
    groups = rep.grouped()
    rejects = groups[groups["tingkat"] == "tolak"]
    assert rejects.iloc[0]["file"] == "pegawai.csv"  # the cause before its consequences
    assert (rejects["sebab"].iloc[1:] != "").all()


def test_own_problems_are_grouped_before_references_to_unknown_employees(base: Path) -> None:
    # an unknown NIP in many perilaku rows and one bad cell in pegawai
    set_column(
        base / "perilaku.csv",
        "nip",
        lambda df: df["nip"].where(df["nip"] != STAFF, "199901012020011001"),
    )
    df = pd.read_csv(base / "pegawai.csv", dtype=str, keep_default_na=False)
    df.loc[0, "golongan"] = "V/z"
    df.to_csv(base / "pegawai.csv", index=False)
    rep, _ = validate(base)
    g = rep.grouped()
    g = g[g["tingkat"] == "tolak"]
    assert g.iloc[0]["file"] == "pegawai.csv" and g.iloc[0]["kolom"] == "golongan"
    assert g.iloc[0]["n_baris"] < g.iloc[1:]["n_baris"].max()


# --------------------------------------------------------------------- 5. empty tables


@pytest.mark.parametrize("content", ["", "header"])
def test_empty_optional_table_is_one_warning_whatever_the_emptiness(
    base: Path, content: str
) -> None:
    path = base / "pelatihan.csv"
    header = path.read_text(encoding="utf-8").splitlines()[0]
    path.write_text(header + "\n" if content else "", encoding="utf-8")
    rep, tables = validate(base)
    # a 0-byte file has no columns: left out; a header alone records no trainings: a
    # table of zero rows (what data cut at a period before any training hold)
    assert rep.usable and (("pelatihan" in tables) == bool(content))
    if content:
        assert len(tables["pelatihan"]) == 0
    own = rep.structure[rep.structure["tabel"] == "pelatihan"]
    assert own.iloc[0]["tingkat"] == "peringatan"
    assert own.iloc[0]["pesan"].startswith("tabel kosong")


def test_header_only_period_tables_get_a_complete_message(base: Path) -> None:
    path = base / "skp.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", "utf-8")
    rep, _ = validate(base)
    assert not rep.usable
    for pesan in rep.structure["pesan"]:
        assert not pesan.rstrip().endswith(":"), pesan
    kosong = rep.structure[rep.structure["pesan"].str.contains("hanya baris header")]
    assert set(kosong["tabel"]) == {"skp"}


def test_header_only_pegawai_is_named(base: Path) -> None:
    path = base / "pegawai.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", "utf-8")
    rep, _ = validate(base)
    assert not rep.usable
    assert "pegawai.csv: tabel pegawai hanya berisi header" in rep.structure["pesan"].iloc[0]


def test_a_period_table_missing_a_column_is_not_called_optional(base: Path) -> None:
    set_column(base / "skp.csv", "realisasi", None)
    df = pd.read_csv(base / "skp.csv", dtype=str).drop(columns="realisasi")
    df.to_csv(base / "skp.csv", index=False)
    rep, _ = validate(base)
    skp = rep.structure[rep.structure["tabel"] == "skp"]
    assert not skp["pesan"].str.contains("opsional").any()
    assert skp["pesan"].str.contains("skp, penilaian_resmi wajib ada").any()


# --------------------------------------------------------------------- 7, 8. console


def test_brackets_in_names_and_keys_are_printed_as_text(base: Path, tmp_path: Path) -> None:
    m = yaml_file(tmp_path, '"[/]": 1\n"[bold]x": 2\n')
    res = CliRunner().invoke(app, ["validate", str(base), "-m", str(m)])
    assert res.exit_code == 2 and res.exception is None or isinstance(res.exception, SystemExit)
    assert "'[/]'" in res.output and "'[bold]x'" in res.output
    odd = tmp_path / "[b]nope"
    base.rename(odd)
    res = CliRunner().invoke(app, ["validate", str(odd), "--out", str(tmp_path / "[red]o")])
    assert res.exit_code in (0, 1), res.output
    assert "[red]o" in res.output
    res = CliRunner().invoke(app, ["validate", str(tmp_path / "[i]missing")])
    assert res.exit_code == 2 and "[i]missing" in res.output


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_table_status_is_printed_in_words(base: Path, bahasa: str) -> None:
    (base / "pelatihan.csv").write_text("", encoding="utf-8")
    res = CliRunner().invoke(app, ["validate", str(base), "--bahasa", bahasa])
    assert "dilewati" not in res.output.replace("dilewati (", "") or bahasa == "id"
    assert "tidak_dapat_dipakai" not in res.output and "pelatihan.csv: dilewati\n" not in res.output
    word = "dilewati (lihat masalah struktur)" if bahasa == "id" else "skipped (see the"
    assert f"pelatihan.csv: {word}" in res.output


# --------------------------------------------------------------------- 6. numbers


def skp_cells(rep, column: str = "realisasi"):
    iss = rep.issues
    return iss[(iss["file"] == "skp.csv") & (iss["kolom"] == column)]


def test_thousands_pattern_in_a_dot_decimal_file_is_not_silently_one(base: Path) -> None:
    set_column(base / "skp.csv", "realisasi", lambda df: ["1.000"] + ["11"] * (len(df) - 1))
    rep, tables = validate(base)
    hit = skp_cells(rep)
    assert len(hit) == 1 and hit.iloc[0]["nilai"] == "1.000" and hit.iloc[0]["baris"] == 2
    assert "ambigu" in hit.iloc[0]["pesan"]
    assert (tables["skp"]["realisasi"] != 1).all()


def test_three_decimals_with_other_decimals_in_the_column_are_numbers(base: Path) -> None:
    set_column(base / "skp.csv", "realisasi", lambda df: ["1.000", "10.5"] * (len(df) // 2))
    rep, tables = validate(base)
    assert skp_cells(rep).empty
    assert sorted(tables["skp"]["realisasi"].unique()) == [1.0, 10.5]


def test_thousands_pattern_in_a_comma_decimal_file_is_flagged(base: Path, tmp_path: Path) -> None:
    set_column(base / "skp.csv", "realisasi", lambda df: ["1,000"] + ["11"] * (len(df) - 1))
    df = pd.read_csv(base / "skp.csv", dtype=str, keep_default_na=False)
    df.to_csv(base / "skp.csv", index=False, sep=";")
    m = yaml_file(tmp_path, "format: {desimal: ','}\n")
    rep, tables = validate(base, mapping=m)
    hit = skp_cells(rep)
    assert list(hit["nilai"]) == ["1,000"] and "ambigu" in hit.iloc[0]["pesan"]
    assert (tables["skp"]["realisasi"] != 1).all()


def test_decimal_comma_in_a_dot_decimal_file_gets_a_hint(base: Path) -> None:
    set_column(base / "skp.csv", "realisasi", lambda df: ["18,75"] + ["10.25"] * (len(df) - 1))
    rep, _ = validate(base)
    hit = skp_cells(rep)
    assert list(hit["nilai"]) == ["18,75"] and hit.iloc[0]["tingkat"] == "tolak"
    assert "koma desimal" in hit.iloc[0]["pesan"]
    rep_en, _ = validate(base, bahasa="en")
    assert "decimal comma" in skp_cells(rep_en).iloc[0]["pesan"]
