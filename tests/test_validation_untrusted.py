"""Untrusted raw files (review helper-79), each kind on a small dataset: a table file
that is binary content, text cells that are spreadsheet formulas or their leftovers,
and dates outside any plausible range. Each is named with its file (and row, column
and value for a cell) in the one run's report, in both languages, without a traceback,
and never makes the other tables unusable."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_validation_inputs import validate, write_base
from typer.testing import CliRunner

from kinerja_analysis.data.messages import message
from kinerja_analysis.data.readers import HeaderSpec, header_names
from kinerja_analysis.pipeline.cli import app

BINARY = {
    "id": "bukan file teks/CSV: isinya biner",
    "en": "not a text/CSV file: its content is binary",
}


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return write_base(tmp_path / "data")


def fatal_of(rep, file: str) -> list[str]:
    st = rep.structure
    return st.loc[(st["tingkat"] == "fatal") & (st["file"] == file), "pesan"].tolist()


# --------------------------------------------------------------------- 1. binary content


def _random(n: int = 20000) -> bytes:
    return np.random.default_rng(79).bytes(n)


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_random_bytes_as_a_table_are_said_to_be_binary_and_the_rest_validates(
    base: Path, bahasa: str
) -> None:
    """``head -c 20000 /dev/urandom > pegawai.csv``: before, decoded as Windows-1252 and
    reported as a CSV whose header lacks every required column (the header quoted as
    mojibake). Now one fatal line naming the file as binary, the other tables read."""
    (base / "pegawai.csv").write_bytes(_random())
    rep, tables = validate(base, bahasa=bahasa)
    assert not rep.usable
    fatal = fatal_of(rep, "pegawai.csv")
    assert len(fatal) == 1 and BINARY[bahasa] in fatal[0], fatal
    assert "14%" in fatal[0]
    # no header of mojibake quoted, no "required columns missing"
    assert not rep.structure["pesan"].str.contains("kolom wajib|required column").any()
    # the other tables are read and validated in the same run
    assert {"skp", "perilaku", "pelatihan"} <= set(tables)
    assert len(tables["skp"]) == 12 and len(tables["pelatihan"]) == 2


def test_random_bytes_in_an_optional_table_name_the_file_and_keep_the_others(base: Path) -> None:
    (base / "pelatihan.csv").write_bytes(_random(3000))
    rep, tables = validate(base)
    fatal = fatal_of(rep, "pelatihan.csv")
    assert fatal and BINARY["id"] in fatal[0] and "pelatihan" in fatal[0]
    assert len(tables["pegawai"]) == 4 and len(tables["skp"]) == 12


def test_binary_table_through_the_cli_has_no_traceback(base: Path) -> None:
    (base / "pegawai.csv").write_bytes(_random())
    res = CliRunner().invoke(app, ["validate", str(base), "--bahasa", "en"])
    out = " ".join(res.output.split())
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    assert "pegawai.csv: the file is not a text/CSV file" in out
    assert "skp.csv" in out  # the other tables are summarised too


def _xlsx(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.to_excel(buf, index=False)
    return buf.getvalue()


def _zip(name: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("kind", "jenis", "hint"),
    [
        ("xlsx", "ZIP", "file_sebenarnya_xlsx"),
        ("zip", "ZIP", "file_sebenarnya_zip"),
        ("gzip", "GZIP", "file_sebenarnya_arsip"),
        ("pdf", "PDF", "file_sebenarnya_pdf"),
        ("xls", "Excel 97-2003 (.xls)", "file_sebenarnya_xls"),
        ("parquet", "Parquet", "file_sebenarnya_parquet"),
    ],
)
@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_a_binary_format_renamed_to_csv_is_named_by_its_signature(
    base: Path, kind: str, jenis: str, hint: str, bahasa: str
) -> None:
    csv = (base / "pegawai.csv").read_bytes()
    peg = pd.read_csv(base / "pegawai.csv", dtype=str, keep_default_na=False)
    pq = io.BytesIO()
    peg.to_parquet(pq)
    content = {
        "xlsx": _xlsx(peg),
        "zip": _zip("pegawai.csv", csv),
        "gzip": gzip.compress(csv),
        "pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" + _random(2000),
        "xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000,
        "parquet": pq.getvalue(),
    }[kind]
    (base / "pegawai.csv").write_bytes(content)
    rep, tables = validate(base, bahasa=bahasa)
    fatal = fatal_of(rep, "pegawai.csv")
    assert fatal and fatal[0].startswith(message("file_biner_tanda", bahasa, jenis=jenis)), fatal
    fields = {"jenis": "GZIP"} if hint == "file_sebenarnya_arsip" else {}
    assert message(hint, bahasa, **fields) in fatal[0]
    assert len(tables["skp"]) == 12


def test_a_file_of_nul_bytes_is_binary(base: Path) -> None:
    """A file allocated and never written (all NUL bytes): valid UTF-8 to a decoder."""
    (base / "pegawai.csv").write_bytes(b"\x00" * 5000)
    rep, _ = validate(base, bahasa="en")
    fatal = fatal_of(rep, "pegawai.csv")
    assert fatal and "100% of its first 5,000 characters" in fatal[0]


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-16"),  # BOM: NUL bytes in every other byte
        lambda t: t.encode("utf-16-le"),  # no BOM
        lambda t: t.encode("utf-16-be"),
        lambda t: t.encode("utf-8-sig"),
        # Windows-1252 with accents, a vertical tab and a DOS end-of-file mark
        lambda t: t.replace("Kepala Dinas", "Kepala\x0bDinas\x1a").encode("cp1252"),
        # UTF-8 with a stray NUL and a byte that is not UTF-8
        lambda t: t.replace("Kepala Dinas", "Kepala D\x00inas").encode() + b"\x81",
    ],
    ids=["utf16-bom", "utf16le", "utf16be", "utf8-bom", "cp1252-odd", "utf8-odd"],
)
def test_text_tables_with_a_few_odd_characters_are_still_read(base: Path, encode) -> None:
    text = (base / "pegawai.csv").read_text(encoding="utf-8").replace("Analis", "Anális")
    (base / "pegawai.csv").write_bytes(encode(text))
    rep, tables = validate(base)
    assert rep.usable, rep.structure
    assert not fatal_of(rep, "pegawai.csv")
    assert len(tables["pegawai"]) == 4
    assert "Anális" in set(tables["pegawai"]["jabatan"].astype(str))


def test_binary_content_rule() -> None:
    from kinerja_analysis.data.readers import binary_content

    rows = "nip;nama;opd\n" + "198503122010011001;Ani;Dinas A\n" * 50
    for enc in ("utf-8", "utf-16", "utf-16-le", "utf-16-be", "cp1252"):
        assert binary_content(rows.encode(enc), enc) is None, enc
    # a declared UTF-8 that is Windows-1252 full of accents stays text
    assert binary_content(("é" * 500).encode("cp1252"), "utf-8") is None
    assert binary_content(b"\x00" * 100, "utf-8") == (
        "file_biner_kendali",
        {"persen": 100, "n": 100},
    )
    # a stray control character or three is no binary file; random bytes are
    assert binary_content(rows.replace("Ani", "A\x00ni", 3).encode(), "utf-8") is None
    assert binary_content(_random(), "cp1252")[0] == "file_biner_kendali"
    for head, jenis in ((b"PK\x03\x04", "ZIP"), (b"\x1f\x8b\x08", "GZIP"), (b"%PDF-1.7", "PDF")):
        assert binary_content(head + b"nip;nama\n", "utf-8") == (
            "file_biner_tanda",
            {"jenis": jenis},
        )


def test_a_binary_file_gives_no_header(tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_bytes(b"nip,opd\n" + _random(2000))
    spec = HeaderSpec(("nip", "opd"), {})
    assert header_names(f, spec) == frozenset()
    f.write_bytes(b"nip,opd\n1,A\n")
    assert header_names(f, spec) == {"nip", "opd"}


# --------------------------------------------------------------------- 2. formula texts


def _set(path: Path, cells: dict[tuple[int, str], str]) -> None:
    """Set cells (spreadsheet row, header = 1) as text."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    for (row, column), value in cells.items():
        df.loc[row - 2, column] = value
    df.to_csv(path, index=False)


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_formula_texts_are_warned_of_and_kept_as_written(base: Path, bahasa: str) -> None:
    """Before, ``=HYPERLINK(…)`` as an OPD name or ``#REF!`` as a jabatan was accepted
    without a word. Now each is named with file, row, column and value: a formula kept
    as written with a warning (the outputs write it as text), an error value's row
    rejected, as an error cell of a workbook is."""
    hyperlink = '=HYPERLINK("http://x","Klik")'
    dde = "-2+3+cmd|' /C calc'!A0"
    # (row 4's employee has no training: the formulas below stay in rows of their own)
    _set(base / "pegawai.csv", {(2, "opd"): hyperlink, (4, "jabatan"): "#REF!"})
    _set(base / "pelatihan.csv", {(2, "nama_pelatihan"): dde, (3, "nama_pelatihan"): "@SUM(A1)"})
    _set(base / "skp.csv", {(3, "indikator"): "+A1*2"})
    rep, tables = validate(base, bahasa=bahasa)
    iss = rep.issues
    got = iss[iss["aturan"].isin(["teks_rumus", "teks_galat_excel"])]
    # a formula is kept with a warning; an error value (the value lost) rejects its row,
    # as an error cell of a workbook does
    assert dict(zip(got["aturan"], got["tingkat"], strict=True)) == {
        "teks_rumus": "peringatan",
        "teks_galat_excel": "tolak",
    }
    assert sorted(
        zip(got["file"], got["baris"], got["kolom"], got["nilai"], got["aturan"], strict=True)
    ) == [
        ("pegawai.csv", 2, "opd", hyperlink, "teks_rumus"),
        ("pegawai.csv", 4, "jabatan", "#REF!", "teks_galat_excel"),
        ("pelatihan.csv", 2, "nama_pelatihan", dde, "teks_rumus"),
        ("pelatihan.csv", 3, "nama_pelatihan", "@SUM(A1)", "teks_rumus"),
        ("skp.csv", 3, "indikator", "+A1*2", "teks_rumus"),
    ]
    for rule in ("teks_rumus", "teks_galat_excel"):
        assert set(got.loc[got["aturan"] == rule, "pesan"]) == {message(rule, bahasa)}
    # the formulas kept as written; the error value's row rejected, and the rows of
    # its employee in the other tables with it (their cause names that row)
    tolak = iss[iss["tingkat"] == "tolak"]
    own = tolak[tolak["file"] == "pegawai.csv"]
    assert list(zip(own["baris"], own["aturan"], strict=True)) == [(4, "teks_galat_excel")]
    others = tolak[tolak["file"] != "pegawai.csv"]
    assert len(others) and others["sebab"].str.contains("pegawai.csv").all(), others
    peg = tables["pegawai"]
    assert hyperlink in set(peg["opd"].astype(str))
    assert "#REF!" not in set(peg["jabatan"].astype(str))
    assert dde in set(tables["pelatihan"]["nama_pelatihan"].astype(str))
    # skp: every row but those of the rejected employee (their cause names that row)
    assert len(tables["skp"]) == 12 - (others["file"] == "skp.csv").sum()


def test_a_long_formula_is_quoted_cut_short(base: Path) -> None:
    long = "=CONCAT(" + "A1," * 400 + "A2)"
    _set(base / "pelatihan.csv", {(2, "nama_pelatihan"): long})
    rep, tables = validate(base)
    got = rep.issues[rep.issues["aturan"] == "teks_rumus"]
    assert got["nilai"].tolist() == [long[:200] + "…"]
    assert long in set(tables["pelatihan"]["nama_pelatihan"].astype(str))


def test_texts_that_only_look_like_formulas_are_not_warned_of(base: Path) -> None:
    """A phone number, a note, a dash, a negative number in a text column; #N/A stays
    a placeholder where it was one (a printed name: no name); a formula in a number
    column is rejected as no number, as before, and not warned of twice."""
    _set(
        base / "pegawai.csv",
        {
            (2, "jabatan"): "+62 812-3456-7890",
            (3, "jabatan"): "- Bagian Umum",
            (4, "jabatan"): "@budi",
            (5, "opd"): "#N/A",
        },
    )
    _set(base / "pelatihan.csv", {(2, "nama_pelatihan"): "-5", (3, "nama_pelatihan"): "-"})
    _set(base / "skp.csv", {(2, "realisasi"): "=A1*2"})
    rep, _ = validate(base)
    iss = rep.issues
    assert not iss["aturan"].isin(["teks_rumus", "teks_galat_excel"]).any(), iss
    assert iss.loc[iss["nilai"] == "#N/A", "aturan"].tolist() == ["tanpa_isi"]
    assert iss.loc[iss["nilai"] == "=A1*2", "aturan"].tolist() == ["tipe:float"]


def test_a_formula_as_a_pseudonym_is_warned_of(base: Path) -> None:
    _set(base / "pelatihan.csv", {(3, "id_pelatihan"): "=1+1"})
    df = pd.read_csv(base / "skp.csv", dtype=str, keep_default_na=False)
    df.loc[df["nip"] == df["nip"].iloc[0], "nip"] = "@SUM(A1)"
    df.to_csv(base / "skp.csv", index=False)
    rep, _ = validate(base, pseudonim=True)
    got = rep.issues[rep.issues["aturan"] == "teks_rumus"]
    assert ("pelatihan.csv", "id_pelatihan", "=1+1") in set(
        zip(got["file"], got["kolom"], got["nilai"], strict=True)
    )
    assert (got["kolom"] == "nip").sum() == 4  # the pseudonym's four SKP rows


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("=SUM(A1:A3)", "teks_rumus"),
        ("  =1+1", "teks_rumus"),
        ("==", "teks_rumus"),
        ("+SUM(A1)", "teks_rumus"),
        ('-HYPERLINK("http://x")', "teks_rumus"),
        ("@_xlfn.CONCAT(A1)", "teks_rumus"),
        ("-$A$1", "teks_rumus"),
        ("+B2*3", "teks_rumus"),
        ("-1+SUM(B2)", "teks_rumus"),
        ("-2+3+cmd|' /C calc'!A0", "teks_rumus"),
        ("#REF!", "teks_galat_excel"),
        ("#value!", "teks_galat_excel"),
        (" #DIV/0! ", "teks_galat_excel"),
        ("#NAME?", "teks_galat_excel"),
        ("=", None),
        ("#N/A", None),
        ("-", None),
        ("-5", None),
        ("+62 812-3456-7890", None),
        ("+62-812-3456-7890", None),
        ("- Bagian Umum", None),
        ("-S1 Teknik Informatika", None),
        ("@budi", None),
        ("Dinas =Kesehatan", None),
        ("Rapat #REF! tahunan", None),
    ],
)
def test_formula_rule(text: str, rule: str | None) -> None:
    from kinerja_analysis.data.validation import formula_text

    assert formula_text(text) == rule


# --------------------------------------------------------------------- 3. implausible dates

RANGE = {"dari": "1900-01-01", "sampai": "2099-12-31"}


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_a_date_outside_the_plausible_range_is_said_so_not_a_format_to_declare(
    base: Path, bahasa: str
) -> None:
    """Before, ``01/01/1500`` and ``31/12/9999`` in a yyyy-mm-dd file were told to declare
    ``%d/%m/%Y`` — which would read them as dates no ASN has. Now they are dates outside
    the plausible range (the range named), and an impossible date beside them
    (``31/02/1970``) still gets no format to declare."""
    _set(
        base / "pegawai.csv",
        {
            (3, "tanggal_lahir"): "01/01/1500",
            (4, "tmt_cpns"): "31/12/9999",
            (5, "tanggal_lahir"): "31/02/1970",
        },
    )
    rep, _ = validate(base, bahasa=bahasa)
    iss = rep.issues[rep.issues["file"] == "pegawai.csv"].set_index(["baris", "kolom"])
    want = message("tanggal_luar_rentang", bahasa, **RANGE)
    for at in ((3, "tanggal_lahir"), (4, "tmt_cpns")):
        assert iss.loc[at, "aturan"] == "tanggal_luar_rentang", iss
        assert iss.loc[at, "pesan"] == want and iss.loc[at, "tingkat"] == "tolak"
    assert "1900-01-01" in want and "2099-12-31" in want
    assert iss.loc[(5, "tanggal_lahir"), "pesan"] == message("tanggal", bahasa, format="yyyy-mm-dd")


def test_the_real_dates_beside_an_implausible_one_still_get_their_format(base: Path) -> None:
    _set(
        base / "pegawai.csv",
        {(3, "tanggal_lahir"): "01/01/1500", (4, "tanggal_lahir"): "25/12/1980"},
    )
    rep, _ = validate(base, bahasa="en")
    iss = rep.issues[rep.issues["kolom"] == "tanggal_lahir"].set_index("baris")
    assert iss.loc[3, "aturan"] == "tanggal_luar_rentang"
    hint = iss.loc[4, "pesan"]
    assert "1 of 1 failing values follow the pattern dd/mm/yyyy" in hint and "%d/%m/%Y" in hint


def test_a_date_read_after_the_range_is_rejected_not_kept_with_a_warning(
    base: Path, tmp_path: Path
) -> None:
    """In the declared format ``31/12/9999`` was read and kept with a warning ("after the
    last period"), a training ending in the year 9999 entering the analysis. Now it is
    outside the range: a required column rejects the row; the optional leaving date
    (where ``9999-12-31`` stands for "not left") is emptied and the employee kept."""
    from test_validation_inputs import yaml_file

    for path in base.glob("*.csv"):
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        for c in df.columns:
            if c.startswith(("tanggal", "tmt")):
                df[c] = pd.to_datetime(df[c]).dt.strftime("%d/%m/%Y")
        df.to_csv(path, index=False)
    _set(base / "pelatihan.csv", {(3, "tanggal_selesai"): "31/12/9999"})
    peg = pd.read_csv(base / "pegawai.csv", dtype=str, keep_default_na=False)
    peg["tmt_keluar"] = ["", "31/12/9999", "", ""]
    peg.to_csv(base / "pegawai.csv", index=False)
    m = yaml_file(tmp_path, "format:\n  tanggal: '%d/%m/%Y'\n")
    rep, tables = validate(base, mapping=m, bahasa="en")
    iss = rep.issues
    got = iss[iss["aturan"] == "tanggal_luar_rentang"].set_index("file")
    assert got.loc["pelatihan.csv", "tingkat"] == "tolak"
    assert got.loc["pegawai.csv", "tingkat"] == "peringatan"
    assert got.loc["pegawai.csv", "kolom"] == "tmt_keluar"
    assert "optional column" in got.loc["pegawai.csv", "pesan"]
    assert not (iss["aturan"] == "tanggal_masa_depan").any(), iss
    assert len(tables["pelatihan"]) == 1 and len(tables["pegawai"]) == 4
    assert tables["pegawai"]["tmt_keluar"].isna().all()


def test_a_feedback_date_before_1900_is_rejected(base: Path) -> None:
    """``umpan_balik.tanggal`` had no lower bound: a session dated 1850 was kept with
    warnings only (before the appointment, outside its period)."""
    from test_validation_inputs import STAFF

    pd.DataFrame(
        {
            "nip": [STAFF, STAFF],
            "periode": ["2024Q1", "2024Q2"],
            "tanggal": ["2024-02-10", "1850-05-10"],
            "pemberi": ["atasan", "atasan"],
            "bentuk": ["coaching", "coaching"],
        }
    ).to_csv(base / "umpan_balik.csv", index=False)
    rep, tables = validate(base)
    got = rep.issues[rep.issues["file"] == "umpan_balik.csv"]
    assert got.loc[got["aturan"] == "tanggal_terlalu_lama", "baris"].tolist() == [3]
    assert len(tables["umpan_balik"]) == 1


def test_the_hint_counts_no_implausible_date() -> None:
    from kinerja_analysis.data.validation import date_format_hint

    def hint(texts):
        c = np.ones(len(texts), dtype=int)
        return date_format_hint(np.array(texts, dtype=object), c, "%Y-%m-%d", "en")

    for bad in (["01/01/1500"], ["31/12/9999"], ["1500/01/01"], ["12/31/9999", "0999-12-31"]):
        assert hint(bad) == "", bad
    assert hint(["01/01/1500", "13/01/2000"]).startswith("; 1 of 2 failing values follow")
