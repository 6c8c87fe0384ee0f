"""Loading and validation: schemas, mapping of a foreign export, NIP checks, rejects."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest

from kinerja_analysis import DatasetError, load_dataset
from kinerja_analysis.core.periods import period_bounds
from kinerja_analysis.data.loading import validate_dataset
from kinerja_analysis.data.mapping import read_mapping

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "contoh" / "ekspor_siasn"

BOSS = "198503122010011001"
STAFF = "199001012015032002"
PEER = "199202022016011003"  # gender digit 1 but recorded as L below


def _write_mini(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(
        {
            "nip": [BOSS, STAFF, PEER],
            "jenis_kelamin": ["L", "P", "L"],
            "tanggal_lahir": ["1985-03-12", "1990-01-01", "1992-02-02"],
            "opd": ["Dinas A"] * 3,
            "jabatan": ["Kepala Dinas", "Analis", "Analis"],
            "jenis_jabatan": ["jpt", "pelaksana", "pelaksana"],
            "golongan": ["IV/c", "III/a", "III/a"],
            "tmt_cpns": ["2010-01-01", "2015-03-01", "2016-01-01"],
            "nip_atasan": ["", BOSS, BOSS],
            "nama": ["Budi", "Sari", "Eko"],
        }
    ).to_csv(folder / "pegawai.csv", index=False)
    pd.DataFrame(
        {
            "nip": [STAFF, STAFF, PEER, STAFF],
            "periode": ["2024Q1", "2024Q1", "2024Q1", "2024Q2"],
            "indikator": ["i1", "i1", "i1", "i1"],
            "aspek": ["kuantitas", "waktu", "kuantitas", "kuantitas"],
            "target": [10, 3, 10, 10],
            "realisasi": [11, 3, 9.5, 10],
        }
    ).to_csv(folder / "skp.csv", index=False)
    pd.DataFrame(
        {
            "nip": [STAFF, STAFF, PEER],
            "periode": ["2024Q1"] * 3,
            "id_penilai": [BOSS, PEER, BOSS],
            "peran_penilai": ["atasan", "rekan", "atasan"],
            "dimensi": ["akuntabel", "akuntabel", "loyal"],
            "skor": [4, 3, 5],
        }
    ).to_csv(folder / "perilaku.csv", index=False)
    pd.DataFrame(
        {
            "nip": [STAFF],
            "id_pelatihan": ["P1"],
            "nama_pelatihan": ["Pelatihan Komunikasi Pelayanan Publik"],
            "jenis": ["sosial_kultural"],
            "metode": ["klasikal"],
            "kompetensi_sasaran": ["berorientasi_pelayanan"],
            "jp": [24],
            "tanggal_mulai": ["2024-02-05"],
            "tanggal_selesai": ["2024-02-08"],
            "sumber": ["difasilitasi"],
        }
    ).to_csv(folder / "pelatihan.csv", index=False)
    return folder


def _edit_csv(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell (row = spreadsheet line number, header is line 1), as text."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[row - 2, column] = value
    df.to_csv(path, index=False)


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    return _write_mini(tmp_path / "data")


def test_clean_dataset_loads_with_no_issues(mini: Path) -> None:
    ds = load_dataset(mini)
    assert ds.validation.n_rejected == 0
    assert ds.validation.exit_code == 0
    assert ds.periods == ("2024Q1", "2024Q2")
    assert ds.pegawai["nip"].tolist() == [BOSS, STAFF, PEER]  # NIP stays text
    assert ds.perilaku["skor"].dtype == "int64"
    assert pd.api.types.is_datetime64_any_dtype(ds.pelatihan["tanggal_mulai"])
    assert not ds.has("survei")
    s = ds.validation.summary
    assert (s["rows_read"] == s["rows_accepted"] + s["rows_rejected"]).all()


def test_each_broken_rule_is_named_and_raw_files_unchanged(mini: Path, tmp_path: Path) -> None:
    _edit_csv(mini / "pegawai.csv", 3, "nip", "1.99001E+17")  # spreadsheet mangled NIP
    _edit_csv(mini / "perilaku.csv", 2, "skor", "7")
    _edit_csv(mini / "pelatihan.csv", 2, "tanggal_mulai", "31/02/2024")
    _edit_csv(mini / "perilaku.csv", 4, "nip", "199909092020011999")  # unknown NIP
    before = _digest(mini)
    out = tmp_path / "validasi"
    ds = load_dataset(mini, rejects_dir=out)
    assert _digest(mini) == before
    issues = ds.validation.issues
    text = "\n".join(ds.validation.messages())

    def has(file: str, row: int, column: str, value: str) -> bool:
        hit = issues[
            (issues["file"] == file)
            & (issues["baris"] == row)
            & (issues["kolom"] == column)
            & (issues["nilai"] == value)
        ]
        return len(hit) > 0

    assert has("pegawai.csv", 3, "nip", "1.99001E+17")
    assert "notasi ilmiah" in text
    assert has("perilaku.csv", 2, "skor", "7")
    assert has("pelatihan.csv", 2, "tanggal_mulai", "31/02/2024")
    assert has("perilaku.csv", 4, "nip", "199909092020011999")
    assert ds.validation.exit_code == 1
    # rows read = accepted + rejected, and the rejects are written with a reason
    s = ds.validation.summary.set_index("tabel")
    assert (s["rows_read"] == s["rows_accepted"] + s["rows_rejected"]).all()
    assert s.loc["perilaku", "rows_rejected"] >= 2
    rej = pd.read_csv(out / "penolakan" / "perilaku.csv", dtype=str)
    assert set(rej["baris"]) >= {"2", "4"}
    assert rej["alasan"].notna().all()
    # the employee whose NIP was lost is rejected, so their SKP rows are too
    skp_issues = issues[(issues["tabel"] == "skp") & (issues["kolom"] == "nip")]
    assert set(skp_issues["nilai"]) == {STAFF}


def test_missing_required_column_stops_the_run(mini: Path) -> None:
    df = pd.read_csv(mini / "skp.csv").drop(columns=["realisasi"])
    df.to_csv(mini / "skp.csv", index=False)
    with pytest.raises(DatasetError, match=r"skp\.csv: kolom wajib tidak ada: \['realisasi'\]"):
        load_dataset(mini)


def test_missing_required_table_stops_the_run(mini: Path) -> None:
    (mini / "pegawai.csv").unlink()
    with pytest.raises(DatasetError, match="Tabel wajib 'pegawai'"):
        load_dataset(mini)


def test_perilaku_is_optional_and_its_absence_noted(mini: Path) -> None:
    """Official-ratings datasets have no 360° table: its absence is noted, not fatal."""
    (mini / "perilaku.csv").unlink()
    ds = load_dataset(mini)
    assert not ds.has("perilaku")
    assert "perilaku" in ds.validation.absent
    assert not any("perilaku" in n for n in ds.validation.notes)  # said once, structured


def test_rejects_never_written_into_raw_folder(mini: Path) -> None:
    with pytest.raises(DatasetError, match="tidak boleh berada di dalam folder data mentah"):
        load_dataset(mini, rejects_dir=mini / "keluaran")


def test_nip_structure_checked_against_columns(mini: Path) -> None:
    _edit_csv(mini / "pegawai.csv", 4, "jenis_kelamin", "P")  # NIP's gender digit is 1
    _edit_csv(mini / "pegawai.csv", 3, "tanggal_lahir", "1990-01-02")
    rep, tables, _ = validate_dataset(mini)
    rules = set(rep.issues["aturan"])
    assert {"nip_jenis_kelamin", "nip_tanggal_lahir"} <= rules
    assert tables["pegawai"]["nip"].tolist() == [BOSS]
    # every SKP row belongs to a rejected employee: no period row left, data unusable
    assert not rep.usable and "skp.csv: 0 dari 4 baris diterima" in rep.structure["pesan"][0]


def test_pseudonymised_ids_switch_structure_check_off_explicitly(tmp_path: Path) -> None:
    folder = _write_mini(tmp_path / "d")
    mapping = {BOSS: "P-001", STAFF: "P-002", PEER: "P-003"}
    for name, cols in {
        "pegawai.csv": ["nip", "nip_atasan"],
        "skp.csv": ["nip"],
        "perilaku.csv": ["nip", "id_penilai"],
        "pelatihan.csv": ["nip"],
    }.items():
        df = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
        for c in cols:
            df[c] = df[c].replace(mapping)
        df.to_csv(folder / name, index=False)
    with pytest.raises(DatasetError, match="NIP harus 18 digit"):
        load_dataset(folder)  # every SKP row points at a rejected (non-NIP) id
    ds = load_dataset(folder, pseudonim=True)
    assert ds.validation.n_rejected == 0
    assert any("pseudonim" in n for n in ds.validation.notes)


def test_duplicate_key_rejected_with_pointer_to_first(mini: Path) -> None:
    df = pd.read_csv(mini / "perilaku.csv", dtype=str)
    pd.concat([df, df.iloc[[0]]]).to_csv(mini / "perilaku.csv", index=False)
    ds = load_dataset(mini)
    msg = ds.validation.issues.query("aturan == 'kunci_unik'")["pesan"].tolist()
    assert msg == [
        "duplikat kunci (nip, periode, id_penilai, dimensi): salinan identik baris 2 - diabaikan"
    ]


def test_unknown_supervisor_is_a_warning(mini: Path) -> None:
    _edit_csv(mini / "pegawai.csv", 4, "nip_atasan", "197001012000011001")
    ds = load_dataset(mini)
    w = ds.validation.issues.query("tingkat == 'peringatan'")
    assert w["kolom"].tolist() == ["nip_atasan"]
    assert len(ds.pegawai) == 3  # kept
    assert ds.validation.exit_code == 1


def test_xlsx_numeric_nip_detected(mini: Path) -> None:
    df = pd.read_csv(mini / "pegawai.csv", dtype=str, keep_default_na=False)
    (mini / "pegawai.csv").unlink()
    df["nip"] = pd.Series([float(BOSS), STAFF, PEER], dtype=object)  # one cell became a number
    df.to_excel(mini / "pegawai.xlsx", index=False)
    ds = load_dataset(mini)
    hit = ds.validation.issues.query("tabel == 'pegawai' and kolom == 'nip' and baris == 2")
    assert len(hit) == 1 and "hilang" in hit["pesan"].iloc[0]
    # quoted as the cell holds it (15 significant digits), never with invented digits
    assert hit["nilai"].iloc[0] == repr(float(BOSS)) and "Teks" in hit["pesan"].iloc[0]
    assert BOSS not in set(ds.pegawai["nip"])
    assert ds.pegawai["nip"].tolist() == [STAFF, PEER]


def test_foreign_export_with_mapping(tmp_path: Path) -> None:
    mapping = read_mapping(EXAMPLE / "pemetaan.yaml")
    assert mapping.for_table("pegawai").kolom["NIP Baru"] == "nip"
    ds = load_dataset(EXAMPLE, mapping=EXAMPLE / "pemetaan.yaml")
    assert ds.validation.n_rejected == 0
    assert ds.periods == ("2025Q1",)
    peg = ds.pegawai.set_index("nip")
    assert peg.loc["199507212019031003", "golongan"] == "II/c"
    assert peg.loc["199507212019031003", "jenis_jabatan"] == "pelaksana"
    assert peg.loc["198811032012022001", "tanggal_lahir"] == pd.Timestamp("1988-11-03")
    skp = ds.skp.set_index(["nip", "aspek"])
    assert skp.loc[("199507212019031003", "kuantitas"), "realisasi"] == 1315.0  # 1.315
    assert skp.loc[("199507212019031003", "waktu"), "realisasi"] == 2.5  # 2,5
    assert set(ds.perilaku["dimensi"]) == {
        "berorientasi_pelayanan",
        "akuntabel",
        "kompeten",
        "harmonis",
        "loyal",
        "adaptif",
        "kolaboratif",
    }
    assert set(ds.perilaku["peran_penilai"]) == {"atasan", "rekan", "diri", "bawahan"}


def test_mapping_rejects_unknown_keys(tmp_path: Path) -> None:
    bad = tmp_path / "m.yaml"
    bad.write_text("tabel:\n  pegawai:\n    kolum: {a: nip}\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="kunci tidak dikenal") as one:
        read_mapping(bad)
    assert "\n" not in str(one.value)  # one problem: one line


def test_mapping_problems_are_listed_one_per_item(tmp_path: Path) -> None:
    bad = tmp_path / "m.yaml"
    bad.write_text(
        "tabel:\n  pegawai:\n    kolum: {a: nip}\n    kolom: 5\nformat:\n  tanggal: 7\n",
        encoding="utf-8",
    )
    with pytest.raises(DatasetError) as err:
        read_mapping(bad)
    head, *items = str(err.value).split("\n")
    assert head == "3 masalah dalam file pemetaan m.yaml:"
    assert len(items) == 3 and all(i.startswith("  - m.yaml: kunci ") for i in items)
    with pytest.raises(DatasetError, match=r"^3 problems in the mapping file m\.yaml:\n  - "):
        read_mapping(bad, bahasa="en")


def test_cache_round_trip(mini: Path, tmp_path: Path) -> None:
    ds = load_dataset(mini)
    cache = ds.save_cache(tmp_path / "cache")
    back = type(ds).load_cache(cache)
    assert back.checksum == ds.checksum and back.periods == ds.periods
    for name in ds.tables:
        pd.testing.assert_frame_equal(back.tables[name], ds.tables[name], check_dtype=False)


def test_checksum_changes_with_data(mini: Path) -> None:
    a = load_dataset(mini).checksum
    _edit_csv(mini / "skp.csv", 2, "realisasi", "12")
    assert load_dataset(mini).checksum != a


@pytest.mark.parametrize(
    ("code", "first", "last"),
    [
        ("2025Q1", "2025-01-01", "2025-03-31"),
        ("2024Q4", "2024-10-01", "2024-12-31"),
        ("2025S2", "2025-07-01", "2025-12-31"),
        ("2025", "2025-01-01", "2025-12-31"),
    ],
)
def test_periode_bounds(code: str, first: str, last: str) -> None:
    assert period_bounds(code) == (pd.Timestamp(first), pd.Timestamp(last))


# --------------------------------------------------------------------------- on synthetic data


@pytest.fixture(scope="module")
def synth_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kinerja_analysis.data.synth import generate, write_dataset

    out = tmp_path_factory.mktemp("kotalama")
    write_dataset(generate(n_pegawai=300, seed=7), out)
    return out


def test_generated_data_has_no_rejects(synth_dir: Path) -> None:
    ds = load_dataset(synth_dir)
    assert ds.validation.n_rejected == 0, ds.validation.messages(limit=5)
    assert ds.validation.n_warnings == 0
    assert all(ds.has(t) for t in ("pelatihan", "umpan_balik", "layanan", "survei"))
    assert ds.survey_items and ds.survei[list(ds.survey_items)].isna().any().any()


def test_broken_copy_of_generated_data(synth_dir: Path, tmp_path: Path) -> None:
    """The issue's scenario: lost NIP, score 7, 31/02/2024, unknown NIP, missing column."""
    import shutil

    from typer.testing import CliRunner

    from kinerja_analysis.pipeline.cli import app

    copy = tmp_path / "rusak"
    shutil.copytree(synth_dir, copy)
    _edit_csv(copy / "pegawai.csv", 5, "nip", "1.98503E+17")
    _edit_csv(copy / "perilaku.csv", 10, "skor", "7")
    _edit_csv(copy / "pelatihan.csv", 3, "tanggal_mulai", "31/02/2024")
    _edit_csv(copy / "perilaku.csv", 11, "nip", "199909092020011999")
    before = _digest(copy)
    runner = CliRunner()
    res = runner.invoke(
        app, ["validate", str(copy), "--out", str(tmp_path / "v"), "--show", "1000"]
    )
    assert res.exit_code == 1
    out = " ".join(res.output.split())
    assert "pegawai.csv baris 5, kolom nip, nilai '1.98503E+17'" in out
    assert "perilaku.csv baris 10, kolom skor, nilai '7'" in out
    assert "pelatihan.csv baris 3, kolom tanggal_mulai, nilai '31/02/2024'" in out
    # unknown NIPs of one column are one cause: one group naming its rows and values
    assert re.search(
        r"perilaku\.csv \(\d+ baris: 11, [^)]*\), kolom nip, \d+ nilai berbeda, "
        r"mis\. '199909092020011999'",
        out,
    ), out
    assert _digest(copy) == before
    # a required column of an optional table missing: that table is skipped, exit 1, named
    df = pd.read_csv(copy / "perilaku.csv", dtype=str).drop(columns=["peran_penilai"])
    df.to_csv(copy / "perilaku.csv", index=False)
    res = runner.invoke(app, ["validate", str(copy)])
    assert res.exit_code == 1
    assert "peran_penilai" in res.output and "perilaku.csv" in res.output
    # a required column of a required table missing too: unusable, exit 2, both named
    df = pd.read_csv(copy / "pegawai.csv", dtype=str).drop(columns=["golongan"])
    df.to_csv(copy / "pegawai.csv", index=False)
    res = runner.invoke(app, ["validate", str(copy)])
    assert res.exit_code == 2
    out = " ".join(res.output.split())
    assert "peran_penilai" in out and "golongan" in out and "pegawai.csv" in out
    assert "Traceback" not in res.output


def test_survey_answer_outside_scale_rejected(synth_dir: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "s"
    shutil.copytree(synth_dir, copy)
    _edit_csv(copy / "survei.csv", 2, "mot1", "6")
    ds = load_dataset(copy)
    hit = ds.validation.issues.query("tabel == 'survei'")
    assert hit[["baris", "kolom", "nilai"]].values.tolist() == [[2, "mot1", "6"]]


def test_common_export_quirks(mini: Path) -> None:
    """Printed NIP layout, gender words, Windows-1252 text, XLSX date cells with a
    dd/mm/yyyy mapping: all read correctly."""
    df = pd.read_csv(mini / "pegawai.csv", dtype=str, keep_default_na=False)
    df.loc[1, "nip"] = "19900101 201503 2 002"
    df.loc[1, "jenis_kelamin"] = "Perempuan"
    df.loc[0, "jenis_kelamin"] = "laki-laki"
    df.loc[2, "jabatan"] = "Analis Kebijakan Ahli Pertama – Bagian Umum"  # en dash
    df.to_csv(mini / "pegawai.csv", index=False, encoding="cp1252")
    ds = load_dataset(mini)
    assert ds.validation.n_rejected == 0, ds.validation.messages()
    assert STAFF in set(ds.pegawai["nip"])
    assert ds.pegawai.set_index("nip").loc[STAFF, "jenis_kelamin"] == "P"
    assert "–" in ds.pegawai["jabatan"].iloc[2]
    # XLSX with real date cells, and a mapping that says dates are dd/mm/yyyy
    peg = pd.read_csv(mini / "pegawai.csv", dtype=str, keep_default_na=False, encoding="cp1252")
    for c in ("tanggal_lahir", "tmt_cpns"):
        peg[c] = pd.to_datetime(peg[c])
    (mini / "pegawai.csv").unlink()
    peg.to_excel(mini / "pegawai.xlsx", index=False)
    m = mini.parent / "m.yaml"
    m.write_text('format:\n  tanggal: "%d/%m/%Y"\n', encoding="utf-8")
    # pelatihan.csv keeps ISO text dates: accepted too (ISO is unambiguous)
    ds = load_dataset(mini, mapping=m)
    assert ds.validation.n_rejected == 0, ds.validation.messages()
    assert ds.pegawai["tanggal_lahir"].notna().all()
