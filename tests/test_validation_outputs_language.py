"""What ``kinerja validate --out`` writes, in the analyst's language, and how the console
groups what it found.

- ``validasi.xlsx`` (the file an analyst reads) is wholly in the chosen language: sheet
  names, headers, levels, rules, tables, statuses, detected settings and root causes are
  words of the label registry, never a raw key; the CSV files keep stable keys in both
  languages (scripts read them), only their messages follow the language.
- One cause is one console group: a date format written ``dd/mm/yyyy`` in every 50th
  feedback row (a fresh tester's planted pattern) is one group with a few example values,
  not one group per distinct date; nothing is dropped from the files.
- Messages quote a cell as written (``'P3K'``), not the value it was read as (``'pppk'``).
"""

from __future__ import annotations

import ast
import dataclasses
import re
import shutil
import stat
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from kinerja_analysis.data.contract import TABLES
from kinerja_analysis.data.loading import (
    ISSUE_COLUMNS,
    SUMMARY_COLUMNS,
    cause_text,
    validate_dataset,
)
from kinerja_analysis.pipeline.cli import app
from kinerja_analysis.reporting import text as labels
from kinerja_analysis.reporting.text import RAW_KEY, RULES, VALUES, humanize, rule_label
from kinerja_analysis.reporting.validation_workbook import (
    VALIDATION_COLUMNS,
    header,
    validation_sheets,
)

DATA = Path(__file__).resolve().parents[1] / "kinerja_analysis" / "data"
#: Indonesian words that never belong in the English workbook outside the data (the
#: report's own words: sheet names, headers, levels, rules, statuses, root causes).
INDONESIAN = (
    "baris", "kolom", "nilai", "tabel", "aturan", "pesan", "tingkat", "sebab", "tolak",
    "ditolak", "peringatan", "alasan", "ringkasan", "masalah", "pemisah", "desimal",
    "ribuan", "terdeteksi", "kosong", "dipakai", "dilewati", "periode", "pegawai",
    "penolakan", "yang", "dan", "dengan", "tidak",
)  # fmt: skip
FILE_NAME = re.compile(r"\S+\.(?:csv|xlsx|parquet)\b")
#: Columns of the workbook whose values are the report's own words (the rest are data:
#: file and column names, values as written, messages already in the language).
WORD_COLUMNS = ("tabel", "aturan", "tingkat", "sebab", "status", "format", "terdeteksi", "rincian")


# --------------------------------------------------------------------------- planted data


@pytest.fixture(scope="module")
def planted(city_300, tmp_path_factory):
    """A copy of the synthetic city with the tester's careless formats planted: every
    50th ``umpan_balik.tanggal`` written dd/mm/yyyy, ``P3K`` as the status of a PNS,
    a PPPK grade in lower case for a PNS, ``p`` for a man, and an official rating whose
    predikat and result rating are written in lower case."""
    root = tmp_path_factory.mktemp("valout")
    data = root / "data"
    shutil.copytree(city_300.data_dir, data, ignore=shutil.ignore_patterns("_truth"))
    peg = pd.read_csv(data / "pegawai.csv", dtype=str, keep_default_na=False)
    pns = peg.index[peg["status_kepegawaian"] == "pns"]
    man = peg.index[(peg["jenis_kelamin"] == "L") & (peg["status_kepegawaian"] == "pns")]
    rows = {"status": int(pns[5]), "golongan": int(pns[6]), "jk": int(man[3])}
    peg.loc[rows["status"], "status_kepegawaian"] = "P3K"
    peg.loc[rows["golongan"], "golongan"] = "ix"
    peg.loc[rows["jk"], "jenis_kelamin"] = "p"
    peg.to_csv(data / "pegawai.csv", index=False)
    pr = pd.read_csv(data / "penilaian_resmi.csv", dtype=str, keep_default_na=False)
    i = int(pr.index[(pr["predikat"] == "Baik") & (pr["rating_hasil"] == "Sesuai Ekspektasi")][3])
    pr.loc[i, ["predikat", "rating_hasil"]] = ["sangat baik", "sesuai ekspektasi"]
    pr.to_csv(data / "penilaian_resmi.csv", index=False)
    ub = pd.read_csv(data / "umpan_balik.csv", dtype=str, keep_default_na=False)
    every50 = list(range(49, len(ub), 50))
    for k in every50:
        ub.loc[k, "tanggal"] = pd.Timestamp(ub.loc[k, "tanggal"]).strftime("%d/%m/%Y")
    ub.to_csv(data / "umpan_balik.csv", index=False)
    outs, consoles, reports = {}, {}, {}
    for bahasa in ("id", "en"):
        out = root / f"v_{bahasa}"
        res = CliRunner().invoke(
            app, ["validate", str(data), "--out", str(out), "--bahasa", bahasa]
        )
        assert res.exit_code == 1, res.output
        outs[bahasa], consoles[bahasa] = out, res.output
        reports[bahasa] = validate_dataset(data, bahasa=bahasa)[0]
    return {
        "data": data,
        "out": outs,
        "console": consoles,
        "report": reports,
        "peg_rows": {k: v + 2 for k, v in rows.items()},  # spreadsheet rows
        "pr_row": i + 2,
        "dates": ub.loc[every50, "tanggal"].tolist(),
        "date_rows": [k + 2 for k in every50],
    }


def _sheets(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def _column(rows: list[tuple], head: str) -> list[object]:
    j = rows[0].index(head)
    return [r[j] for r in rows[1:] if r[j] is not None]


# --------------------------------------------------------------------------- F3: language


def test_english_workbook_has_english_sheets_headers_and_words(planted):
    sheets = _sheets(planted["out"]["en"] / "validasi.xlsx")
    # sheet names from the catalogue, in English
    wanted = [
        labels.text("tabel_ringkasan_validasi", "en"),
        labels.text("lembar_masalah", "en"),
        labels.text("lembar_masalah_struktur", "en"),
        labels.text("lembar_sebab_utama", "en"),
    ]
    assert list(sheets)[:4] == wanted
    rejects = list(sheets)[4:]
    assert rejects and all(s.startswith("Rejected – ") for s in rejects), rejects
    assert "Rejected – Employees" in rejects
    data_heads = {
        str(c)
        for t in TABLES.values()
        for c in pd.read_csv(planted["data"] / f"{t.name}.csv", nrows=0).columns
        if (planted["data"] / f"{t.name}.csv").is_file()
    } - {c.name for t in TABLES.values() for c in t.columns}  # survey items: data
    problems = []
    for name, rows in sheets.items():
        words = [name, *[h for h in rows[0] if h not in data_heads]]
        heads = dict(zip(rows[0], range(len(rows[0])), strict=True))
        for key in WORD_COLUMNS:
            h = header(key, "en")
            if h in heads:
                words += [str(v) for v in _column(rows, h)]
        for w in set(words):
            w = FILE_NAME.sub("", w)  # a file's name is data ("pegawai.csv row 7")
            hits = RAW_KEY.findall(w) + [
                x for x in INDONESIAN if re.search(rf"\b{x}\b", w, re.IGNORECASE)
            ]
            if hits:
                problems.append(f"{name}: {w!r} {hits}")
    assert not problems, "\n".join(problems[:20])


def test_english_workbook_values_are_the_catalogues_words(planted):
    out = planted["out"]["en"]
    sheets = _sheets(out / "validasi.xlsx")
    # owner-only, as the CSV files: the rejected rows hold NIPs and names as typed
    assert stat.S_IMODE((out / "validasi.xlsx").stat().st_mode) == 0o600
    issues = pd.read_csv(out / "masalah.csv", dtype=str, keep_default_na=False)
    rows = sheets[labels.text("lembar_masalah", "en")]
    assert rows[0] == tuple(header(c, "en") for c in ISSUE_COLUMNS)
    assert len(rows) - 1 == len(issues)  # every problem, none dropped
    rules = _column(rows, "Rule")
    assert rules == [rule_label(r, "en") for r in issues["aturan"]]
    english_rules = {en for _, en in RULES.values()} | {rule_label("referensi:pegawai", "en")}
    assert set(rules) <= english_rules, set(rules) - english_rules
    assert set(_column(rows, "Severity")) <= {VALUES["tolak"][1], VALUES["peringatan"][1]}
    assert set(_column(rows, "Table")) <= {en for _, en in VALUES.values()}
    causes = _column(rows, "Root cause")
    assert causes and all(re.fullmatch(r"\S+ row \d+|period \S+", c) for c in causes), causes[:3]
    summary = sheets[labels.text("tabel_ringkasan_validasi", "en")]
    assert set(_column(summary, "Status")) == {"used"}
    detected = " ".join(map(str, _column(summary, "Detected (not declared)")))
    assert "header row" in detected and "baris_header" not in detected
    by_table = " ".join(
        map(str, _column(sheets[labels.text("lembar_sebab_utama", "en")], "By table"))
    )
    assert "Behaviour ratings (360°): " in by_table and "perilaku" not in by_table


def test_indonesian_workbook_speaks_indonesian(planted):
    sheets = _sheets(planted["out"]["id"] / "validasi.xlsx")
    assert list(sheets)[0] == labels.text("tabel_ringkasan_validasi", "id")
    rows = sheets[labels.text("lembar_masalah", "id")]
    assert rows[0] == tuple(header(c, "id") for c in ISSUE_COLUMNS)
    assert set(_column(rows, "Tingkat")) <= {"Ditolak", "Peringatan"}
    assert "Tanggal tidak terbaca" in _column(rows, "Aturan")
    assert any(
        re.fullmatch(r"pegawai\.csv baris \d+", str(c)) for c in _column(rows, "Sebab utama")
    )
    assert "Ditolak – Pegawai" in sheets


def test_csv_files_keep_stable_keys_in_both_languages(planted):
    """Scripts read the CSV files: the same columns and keys whatever ``--bahasa``, and
    the messages in the language."""
    id_, en = planted["out"]["id"], planted["out"]["en"]
    for name in ("masalah.csv", "ringkasan_validasi.csv", "sebab_utama.csv"):
        a = pd.read_csv(id_ / name, dtype=str, keep_default_na=False)
        b = pd.read_csv(en / name, dtype=str, keep_default_na=False)
        assert list(a.columns) == list(b.columns), name
        keys = [c for c in a.columns if c not in ("pesan",)]
        assert a[keys].equals(b[keys]), name
    issues = pd.read_csv(en / "masalah.csv", dtype=str, keep_default_na=False)
    assert list(issues.columns) == ISSUE_COLUMNS
    assert set(issues["tingkat"]) <= {"tolak", "peringatan"}
    assert "tipe:date" in set(issues["aturan"])
    a = pd.read_csv(id_ / "masalah.csv", dtype=str, keep_default_na=False)
    assert (a["pesan"] != issues["pesan"]).all()  # the messages follow the language
    summary = pd.read_csv(en / "ringkasan_validasi.csv", dtype=str, keep_default_na=False)
    assert list(summary.columns) == SUMMARY_COLUMNS


def test_every_column_of_the_workbook_and_the_contract_has_words():
    """The report's columns and the data contract's have a header in both languages in
    the catalogue (a new contract column without one fails here)."""
    keys = set(ISSUE_COLUMNS) | set(SUMMARY_COLUMNS)
    keys |= {"alasan", "baris_mentah", "rincian", "n_baris_terkait", "n_peringatan_terkait"}
    keys |= {c.name for t in TABLES.values() for c in t.columns}
    missing = [k for k in sorted(keys) if k not in VALIDATION_COLUMNS and k not in labels.COLUMNS]
    assert not missing, missing
    for k in keys:
        for b in ("id", "en"):
            assert not RAW_KEY.search(header(k, b)), (k, b)
    assert header("mot1", "en") == "mot1"  # a survey item is the file's header


def _rule_ids_in_code() -> set[str]:
    """Every rule id the validator can write into ``aturan``, read from its source: the
    rule argument of each ``reject``/``_report``/``add_row_numbers`` call, a reader's
    cell problems (their message key is the rule), ``referensi:<what>`` of each
    ``check_reference`` call and ``tipe:<kind>`` of each column kind."""
    found: set[str] = set()
    for name in ("rules.py", "validation.py", "loading.py", "readers.py"):
        tree = ast.parse((DATA / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            fn = (
                node.func.attr
                if isinstance(node.func, ast.Attribute)
                else getattr(node.func, "id", "")
            )
            args = node.args
            if fn in ("reject", "_report", "add_row_numbers") and len(args) > 3:
                arg = args[3]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.add(arg.value)
            elif fn == "check_reference" and len(args) > 3:
                arg = args[3]
                if isinstance(arg, ast.Constant):
                    found.add(f"referensi:{arg.value}")
            elif fn == "Problem" and any(k.arg == "row" for k in node.keywords):
                if args and isinstance(args[0], ast.Constant):
                    found.add(args[0].value)
    found |= {
        f"tipe:{k}" for k in ("nip", "float", "int", "date", "category", "periode", "bool", "str")
    }
    found |= {"skema:isin(['a'])", "skema:in_range(1, 5)", "skema:str_matches('x')"}
    return found


def test_every_rule_the_validator_writes_has_words():
    rules = _rule_ids_in_code()
    assert {"status_nip", "kunci_unik", "sel_galat_excel", "referensi:pegawai (penilai)"} <= rules
    unnamed = [r for r in sorted(rules) if rule_label(r, "en") == humanize(r)]
    assert not unnamed, unnamed
    for r in rules:
        assert not RAW_KEY.search(rule_label(r, "en")) and not RAW_KEY.search(rule_label(r, "id"))


def test_root_cause_keys_in_words():
    assert cause_text("pegawai.csv baris 7", "en") == "pegawai.csv row 7"
    assert cause_text("data pegawai 2025.xlsx baris 12", "id") == "data pegawai 2025.xlsx baris 12"
    assert cause_text("data pegawai 2025.xlsx baris 12", "en") == "data pegawai 2025.xlsx row 12"
    assert cause_text("periode 2030Q1", "en") == "period 2030Q1"
    assert cause_text("", "en") == "" and cause_text(None, "en") == ""


def test_sheets_of_an_empty_report_are_labelled(planted):
    """No problem at all: the workbook still has its sheets, headed in the language."""
    rep = planted["report"]["en"]
    clean = dataclasses.replace(rep, issues=rep.issues.iloc[:0], rejected_rows={})
    sheets = validation_sheets(clean, "en")
    assert list(sheets) == [
        labels.text(k, "en")
        for k in ("tabel_ringkasan_validasi", "lembar_masalah", "lembar_masalah_struktur",
                  "lembar_sebab_utama")
    ]  # fmt: skip
    assert list(sheets[labels.text("lembar_masalah", "en")].columns) == [
        header(c, "en") for c in ISSUE_COLUMNS
    ]


# --------------------------------------------------------------------------- F5: grouping


def test_one_date_format_is_one_group_with_examples(planted):
    rep = planted["report"]["en"]
    dates = planted["dates"]
    iss = rep.issues
    bad = iss[(iss["tabel"] == "umpan_balik") & (iss["aturan"] == "tipe:date")]
    # nothing dropped: every planted row is in the issues (masalah.csv)
    assert sorted(bad["baris"].astype(int)) == planted["date_rows"]
    g = rep.grouped()
    g = g[(g["tabel"] == "umpan_balik") & (g["aturan"] == "tipe:date")]
    assert len(g) == 1, g[["nilai", "n_baris"]]
    grp = g.iloc[0]
    assert grp["n_baris"] == len(dates) and grp["n_nilai"] == len(set(dates)) > 3
    assert list(grp["contoh"]) == list(dict.fromkeys(dates))[:3]
    assert '"%d/%m/%Y"' in grp["pesan"]  # the cause's fix, once


def test_console_shows_one_line_per_cause_and_the_other_problems(planted):
    for bahasa, word in (("id", "kolom tanggal"), ("en", "column tanggal")):
        lines = planted["console"][bahasa].splitlines()
        date_lines = [ln for ln in lines if "umpan_balik.csv" in ln and word in ln]
        assert len(date_lines) == 1, date_lines[:5]
        shown = re.findall(r"'(\d\d/\d\d/\d{4})'", date_lines[0])
        assert shown == list(dict.fromkeys(planted["dates"]))[:3]
        n = len(planted["dates"])
        assert f"({n} " in date_lines[0]  # the group's row count
        # the other root causes are within the default --show 30
        status_row = planted["peg_rows"]["status"]
        assert any(f"pegawai.csv {('baris' if bahasa == 'id' else 'row')} {status_row}," in ln
                   for ln in lines)  # fmt: skip


# --------------------------------------------------------------------------- F6: as written


def test_messages_quote_the_cells_as_written(planted):
    peg_rows = planted["peg_rows"]
    for bahasa in ("id", "en"):
        iss = planted["report"][bahasa].issues

        def message(rule, file, row, rep_iss=iss):
            m = (rep_iss["aturan"] == rule) & (rep_iss["file"] == file)
            hit = rep_iss[m & (rep_iss["baris"].astype("Int64") == row)]
            assert len(hit) == 1, (rule, row, rep_iss[m][["baris", "pesan"]])
            return hit.iloc[0]

        st = message("status_nip", "pegawai.csv", peg_rows["status"])
        assert "'P3K'" in st["pesan"] and "'pppk'" not in st["pesan"]
        assert "status_kepegawaian" in st["pesan"] and " nip " in st["pesan"]  # both columns
        gol = message("golongan_status", "pegawai.csv", peg_rows["golongan"])
        assert "'ix'" in gol["pesan"] and "'IX'" not in gol["pesan"]
        jk = message("nip_jenis_kelamin", "pegawai.csv", peg_rows["jk"])
        assert "(p)" in jk["pesan"]
        pm = message("predikat_matriks", "penilaian_resmi.csv", planted["pr_row"])
        assert "'sangat baik'" in pm["pesan"] and "'sesuai ekspektasi'" in pm["pesan"]
        assert "'Baik'" in pm["pesan"]  # what it should be: the contract's value


def test_batch_hides_personal_values_of_a_key_of_several_columns():
    """A duplicate key quotes every column of the key, the NIP among them: the batch's
    account of rejected rows does not show it."""
    import types

    from kinerja_analysis.pipeline.preflight import describe_rejects

    nip = "196801111993012001"
    issues = pd.DataFrame(
        {
            "tabel": ["skp"],
            "baris": [6],
            "file": ["skp.csv"],
            "kolom": ["nip,periode,indikator,aspek"],
            "nilai": [f"{nip} | 2024Q1 | i1 | kuantitas"],
            "pesan": ["duplikat kunci"],
        }
    )
    text = describe_rejects(types.SimpleNamespace(issues=issues), [("skp", 6)], "id")
    assert nip not in text and "skp.csv" in text
