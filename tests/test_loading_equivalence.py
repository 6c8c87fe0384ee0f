"""The columnar loader against the row-by-row loader it replaced (``legacy_loader.py``,
frozen): the same accepted rows (values and dtypes), the same rejects and the same
messages, on the synthetic city and on messy exports — wherever the old behaviour was
right.

The differences that fix faults of issue 11 are the only ones allowed, and each is
checked to be exactly the fix:

1. A row whose employee was itself rejected says so and names the employee's row
   (``referensi:pegawai_ditolak``) instead of the untrue "nip tidak dikenal: tidak ada
   dalam pegawai" — same file, row, column and value.
2. The period-format message lists the month form ``YYYY-MM`` the old text left out.
3. A date message adds a hint (``; … berpola dd/mm/yyyy: nyatakan format tanggal …``)
   after the old text.
4. An optional table none of whose rows is accepted is not used (a warning says so)
   instead of being an empty table that reads as "no training".
5. A NIP cell stored as a number past 15 digits is quoted as the cell holds it
   (``1.98503122010011e+17``), not with digits that are in neither the file nor the
   original (``198503122010011008``), and its message says the column is numeric.

And one change of layout: a table with a ``periode`` column lists its accepted rows by
period (stable: file order within a period), the order of the partitioned Parquet store,
so a cached dataset equals a freshly validated one row for row.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import legacy_loader
import pandas as pd
import pytest
from test_loading import BOSS, EXAMPLE, PEER, STAFF, _edit_csv, _write_mini

from kinerja_analysis.data.contract import PERIOD_TABLES, TABLES
from kinerja_analysis.data.loading import validate_dataset

KEY = ["tabel", "file", "baris", "kolom", "nilai", "aturan", "pesan", "tingkat"]
OLD_PERIOD_MSG = "format periode salah (YYYYQn, YYYYSn atau YYYY)"
NEW_PERIOD_MSG = "format periode salah (YYYY-MM, YYYYQn, YYYYSn atau YYYY)"


def _norm(df: pd.DataFrame) -> pd.DataFrame:
    df = df[KEY].copy()
    df["baris"] = df["baris"].astype("Int64")
    for c in KEY:
        if c != "baris":
            df[c] = df[c].astype(str)
    return df.sort_values(KEY).reset_index(drop=True)


def assert_equivalent(path: Path, **kw) -> tuple:
    old = legacy_loader.load_dataset(path, **kw)
    rep, tables, _ = validate_dataset(path, **kw)
    a, b = _norm(old.validation.issues), _norm(rep.issues)
    # difference 2: the period message names the month form too
    a["pesan"] = a["pesan"].replace(OLD_PERIOD_MSG, NEW_PERIOD_MSG)
    # ... and the spellings that are read, and the mapping that reads another one
    spelled = b["pesan"].str.startswith(NEW_PERIOD_MSG[:-1] + "; dibaca juga")
    b.loc[spelled, "pesan"] = NEW_PERIOD_MSG
    # difference 3: a date message may end with a hint
    hinted = b["pesan"].str.startswith("tanggal tidak valid") & b["pesan"].str.contains("; ")
    b.loc[hinted, "pesan"] = b.loc[hinted, "pesan"].str.split("; ", n=1).str[0]
    # difference 5: a numeric NIP cell is quoted as held, with its own message
    numeric = b["pesan"].str.startswith("NIP tersimpan sebagai angka di spreadsheet")
    assert (b.loc[numeric, "nilai"].str.fullmatch(r"\d\.\d+e\+\d+")).all()
    b.loc[numeric, "nilai"] = [str(int(float(v))) for v in b.loc[numeric, "nilai"]]
    b.loc[numeric, "pesan"] = a.loc[numeric, "pesan"] if numeric.any() else b.loc[numeric, "pesan"]
    # difference 6: a duplicate key says whether it is an identical copy of the row kept
    # or differs from it (and in which columns)
    dup = b["aturan"] == "kunci_unik"
    b.loc[dup, "pesan"] = (
        b.loc[dup, "pesan"]
        .str.replace(
            r"^duplikat kunci \((.*)\): salinan identik baris (\S+) - diabaikan$",
            r"duplikat kunci (\1) dengan baris \2",
            regex=True,
        )
        .str.replace(
            r"^duplikat kunci \((.*)\), berbeda di kolom .* dari baris (\S+); baris \S+ "
            r"dipakai, baris ini tidak$",
            r"duplikat kunci (\1) dengan baris \2",
            regex=True,
        )
    )
    # difference 1: dependents of a rejected employee name their root cause
    dep = b["aturan"] == "referensi:pegawai_ditolak"
    old_dep = a["aturan"].str.startswith("referensi:pegawai") & a.set_index(
        ["tabel", "baris", "kolom", "nilai"]
    ).index.isin(b[dep].set_index(["tabel", "baris", "kolom", "nilai"]).index)
    key4 = ["tabel", "file", "baris", "kolom", "nilai", "tingkat"]
    pd.testing.assert_frame_equal(
        a[old_dep][key4].reset_index(drop=True), b[dep][key4].reset_index(drop=True)
    )
    assert b[dep]["pesan"].str.contains("ditolak di pegawai").all()
    pd.testing.assert_frame_equal(
        a[~old_dep].reset_index(drop=True), b[~dep].reset_index(drop=True)
    )
    # accepted rows: same values, same dtypes (new columns may be added); difference 4
    emptied = {n for n, df in old.tables.items() if len(df) == 0 and n not in tables}
    assert all(
        not TABLES[n].required and n not in PERIOD_TABLES and n in rep.structure["tabel"].tolist()
        for n in emptied
    )
    assert set(old.tables) - emptied == set(tables)
    for name, df in old.tables.items():
        if name in emptied:
            continue
        if "periode" in df:
            df = df.sort_values("periode", kind="stable")
        # the old loader's dates have pandas' default unit (ns on pandas 2, us on 3); the
        # loader's are datetime64[us] on either: compared in that unit
        is_date = pd.api.types.is_datetime64_dtype
        dates = [c for c in df.columns if is_date(df[c].dtype) and is_date(tables[name][c].dtype)]
        df = df.astype({c: tables[name][c].dtype for c in dates})
        pd.testing.assert_frame_equal(
            df.reset_index(drop=True), tables[name][list(df.columns)].reset_index(drop=True)
        )
    # summary counts and rejected rows
    s_old = old.validation.summary.set_index("tabel")[
        ["rows_read", "rows_accepted", "rows_rejected"]
    ]
    s_new = rep.summary.set_index("tabel")[["rows_read", "rows_accepted", "rows_rejected"]]
    s_old = s_old.drop(index=[n for n in emptied if n in s_old.index])
    s_new = s_new.drop(index=[n for n in emptied if n in s_new.index])
    pd.testing.assert_frame_equal(s_old.sort_index(), s_new.sort_index(), check_dtype=False)
    for name, rows in old.validation.rejected_rows.items():
        assert rows["baris"].tolist() == rep.rejected_rows[name]["baris"].tolist()
    assert old.periods == rep.periods
    return old, rep


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kinerja_analysis.data.synth import generate, write_dataset

    out = tmp_path_factory.mktemp("kota")
    write_dataset(generate(n_pegawai=300, seed=7, official_ratings=False), out)
    return out


def test_synthetic_city(city: Path) -> None:
    old, rep = assert_equivalent(city)
    assert old.validation.n_rejected == 0 and len(rep.issues) == 0


def test_synthetic_city_as_parquet(tmp_path: Path) -> None:
    from kinerja_analysis.data.synth import generate, write_dataset

    write_dataset(generate(n_pegawai=120, seed=8, official_ratings=False), tmp_path, fmt="parquet")
    old, rep = assert_equivalent(tmp_path)
    assert len(rep.issues) == 0 and rep.summary["format"].eq("parquet").all()


def test_broken_synthetic_city(city: Path, tmp_path: Path) -> None:
    copy = tmp_path / "rusak"
    shutil.copytree(city, copy)
    _edit_csv(copy / "pegawai.csv", 5, "nip", "1.98503E+17")
    _edit_csv(copy / "pegawai.csv", 9, "golongan", "V/a")
    _edit_csv(copy / "perilaku.csv", 10, "skor", "7")
    _edit_csv(copy / "perilaku.csv", 12, "dimensi", "jujur")
    _edit_csv(copy / "pelatihan.csv", 3, "tanggal_mulai", "31/02/2024")
    _edit_csv(copy / "perilaku.csv", 11, "nip", "199909092020011999")
    _edit_csv(copy / "skp.csv", 4, "target", "0")
    _edit_csv(copy / "skp.csv", 6, "realisasi", "abc")
    _edit_csv(copy / "umpan_balik.csv", 2, "pemberi", "bos")
    _edit_csv(copy / "layanan.csv", 3, "tepat_waktu_pct", "140")
    df = pd.read_csv(copy / "perilaku.csv", dtype=str)
    pd.concat([df, df.iloc[[4]]]).to_csv(copy / "perilaku.csv", index=False)
    _, rep = assert_equivalent(copy)
    assert rep.n_rejected > 10


def test_mini_with_many_faults(tmp_path: Path) -> None:
    d = _write_mini(tmp_path / "m")
    _edit_csv(d / "perilaku.csv", 2, "skor", "7")
    _edit_csv(d / "perilaku.csv", 3, "dimensi", "xx")
    _edit_csv(d / "skp.csv", 2, "realisasi", "-1")
    _edit_csv(d / "skp.csv", 3, "periode", "2024X1")
    _edit_csv(d / "pegawai.csv", 2, "golongan", "")
    _edit_csv(d / "pelatihan.csv", 2, "jp", "abc")
    _, rep = assert_equivalent(d)
    assert (rep.issues["aturan"] == "referensi:pegawai_ditolak").sum() == 3


def test_messy_export_quirks(tmp_path: Path) -> None:
    d = _write_mini(tmp_path / "q")
    df = pd.read_csv(d / "pegawai.csv", dtype=str, keep_default_na=False)
    df.loc[1, "nip"] = "19900101 201503 2 002"
    df.loc[1, "jenis_kelamin"] = "Perempuan"
    df.loc[0, "jenis_kelamin"] = "laki-laki"
    df.loc[2, "jabatan"] = "Analis Kebijakan – Bagian Umum"
    df.loc[0, "golongan"] = "iv/C"
    df.to_csv(d / "pegawai.csv", index=False, encoding="cp1252")
    _edit_csv(d / "skp.csv", 2, "periode", "2024-q1")
    assert_equivalent(d)
    # XLSX: a NIP cell that became a number, date cells
    peg = pd.read_csv(d / "pegawai.csv", dtype=str, keep_default_na=False, encoding="cp1252")
    peg["nip"] = pd.Series([float(BOSS), STAFF, PEER], dtype=object)
    for c in ("tanggal_lahir", "tmt_cpns"):
        peg[c] = pd.to_datetime(peg[c])
    (d / "pegawai.csv").unlink()
    peg.to_excel(d / "pegawai.xlsx", index=False)
    _, rep = assert_equivalent(d)
    assert "hilang" in " ".join(rep.issues["pesan"])


def test_foreign_export_example() -> None:
    assert_equivalent(EXAMPLE, mapping=EXAMPLE / "pemetaan.yaml")


def test_pseudonymous_ids(tmp_path: Path) -> None:
    d = _write_mini(tmp_path / "p")
    ids = {BOSS: "P-001", STAFF: "P-002", PEER: "P-003"}
    for name, cols in {
        "pegawai.csv": ["nip", "nip_atasan"],
        "skp.csv": ["nip"],
        "perilaku.csv": ["nip", "id_penilai"],
        "pelatihan.csv": ["nip"],
    }.items():
        df = pd.read_csv(d / name, dtype=str, keep_default_na=False)
        for c in cols:
            df[c] = df[c].replace(ids)
        df.to_csv(d / name, index=False)
    _edit_csv(d / "skp.csv", 5, "nip", "P-999")
    assert_equivalent(d, pseudonim=True)
