"""What the command line says when it is given something it cannot use.

- Typer's (click's) own usage errors — an unknown option or command, a missing
  argument, extra arguments, an option without its value or a flag given one, a value
  of the wrong kind, outside its range or not one of the choices — come in the
  command's language (``--bahasa``, else the ``--config`` profile's, else Indonesian)
  from the catalogue; they came in English whatever ``--bahasa`` said. The exit code
  stays 2.
- A path of the wrong kind — a file where a folder is expected (the data folder, an
  output folder, the cache), a file where a parent folder should be, a folder where a
  file is expected (the profile, the mapping) — is said to be what it is, in both
  languages, with the folder it lies in where that is the likely meaning; it was
  "folder not found" or a traceback.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from kinerja_analysis.core.errors import DatasetError, ParameterError
from kinerja_analysis.core.profile import BUNDLED_PROFILE
from kinerja_analysis.data.loading import validate_dataset
from kinerja_analysis.pipeline.batch import run_batch
from kinerja_analysis.pipeline.cli import app, command_language
from kinerja_analysis.pipeline.console import TEXT
from kinerja_analysis.reporting.notebook import resolve_data_dir

#: What click and Typer write in English for these errors: none may show.
ENGLISH = (
    "No such option",
    "No such command",
    "Missing argument",
    "Missing option",
    "Missing command",
    "Invalid value",
    "requires an argument",
    "does not take a value",
    "unexpected extra argument",
    "Input should be",
    "is not one of",
    "Possible options",
    "Did you mean",
    "Usage:",
    "Try '",
    "Error",
)


def _words(output: str) -> str:
    """The output as running text: panel borders removed, whitespace folded."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", output).split())


def _run(args: list[str]):
    return CliRunner().invoke(app, args)


def _t(key: str, bahasa: str, **fields: object) -> str:
    return TEXT(key, bahasa, **fields)


def _cases() -> list[tuple[str, list[str], list[tuple[str, dict]]]]:
    """(name, arguments with ``{L}`` where the language options go, the catalogue
    sentences the message must hold)."""
    return [
        ("unknown long option", ["validate", "{L}", "x", "--outt", "o"], [
            ("cli_opsi_asing", {"opsi": "'--outt'"}), ("cli_mungkin", {"saran": "--out"})]),
        ("unknown short option", ["batch", "{L}", "-z"], [("cli_opsi_asing", {"opsi": "'-z'"})]),
        ("unknown command", ["bacth", "{L}"], [
            ("cli_perintah_asing", {"perintah": "'bacth'"}), ("cli_mungkin", {"saran": "batch"})]),
        ("unknown command, nothing close", ["lapor", "{L}"], [
            ("cli_perintah_asing", {"perintah": "'lapor'"}),
            ("cli_perintah_ada", {"daftar": "generate-data, validate, batch"})]),
        ("missing argument", ["validate", "{L}"], [("cli_argumen_wajib", {"nama": "data_dir"})]),
        ("extra argument", ["validate", "{L}", "a", "b"], [
            ("cli_argumen_lebih", {"argumen": "'b'"})]),
        ("option without its value", ["batch", "{L}", "--out"], [
            ("cli_perlu_nilai", {"opsi": "--out"})]),
        ("flag given a value", ["validate", "{L}", "x", "--pseudonim=ya"], [
            ("cli_tanpa_nilai", {"opsi": "--pseudonim"})]),
        ("not a whole number", ["batch", "{L}", "--workers", "dua"], [
            ("cli_nilai_salah", {"nilai": "'dua'", "param": "--workers / -w", "sebab": ("cli_harus_bulat", {})})]),
        ("below its minimum", ["batch", "{L}", "--workers", "0"], [
            ("cli_nilai_salah", {"nilai": "'0'", "param": "--workers / -w", "sebab": ("cli_harus_min", {"batas": "1"})})]),
        ("not a number", ["batch", "{L}", "--tunggu", "lama"], [
            ("cli_nilai_salah", {"nilai": "'lama'", "param": "--tunggu", "sebab": ("cli_harus_angka", {})})]),
        ("not one of the choices", ["generate-data", "{L}", "--format", "xlsx"], [
            ("cli_nilai_salah", {"nilai": "'xlsx'", "param": "--format", "sebab": ("cli_harus_pilihan", {"pilihan": "'csv', 'parquet'"})})]),
    ]  # fmt: skip


def _expected(sentences, bahasa: str) -> list[str]:
    out = []
    for key, fields in sentences:
        filled = {
            k: _t(v[0], bahasa, **v[1]) if isinstance(v, tuple) else v for k, v in fields.items()
        }
        out.append(_t(key, bahasa, **filled))
    return out


@pytest.mark.parametrize("how", ["--bahasa id", "default", "--bahasa en"])
@pytest.mark.parametrize(("name", "args", "sentences"), _cases(), ids=[c[0] for c in _cases()])
def test_usage_errors_speak_the_commands_language(name, args, sentences, how):
    bahasa = "en" if how.endswith("en") else "id"
    lang = [] if how == "default" else how.split()
    argv = [a for x in args for a in (lang if x == "{L}" else [x])]
    r = _run(argv)
    text = _words(r.output)
    assert r.exit_code == 2, (argv, r.output)
    assert "Traceback" not in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
    for sentence in _expected(sentences, bahasa):
        assert sentence in text, (argv, text)
    # how to get help, in the same language (a bare "--" has no command yet)
    assert _t("cli_galat", bahasa) in text
    if bahasa == "id":
        assert not [w for w in ENGLISH if w in text], (argv, text)
        assert "Coba '" in text and "untuk bantuan" in text
    else:
        assert "Try '" in text and "for help" in text
    # never the fallback that keeps click's own text
    assert _t("cli_tidak_terbaca", bahasa, pesan="").split("(")[0] not in text


def test_the_profiles_language_speaks_when_no_bahasa_is_given(tmp_path):
    profile = tmp_path / "profil.yaml"
    profile.write_text(
        BUNDLED_PROFILE.read_text("utf-8").replace("bahasa: id", "bahasa: en"), "utf-8"
    )
    r = _run(["batch", "--config", str(profile), "--workers", "dua"])
    assert r.exit_code == 2
    assert _t("cli_harus_bulat", "en") in _words(r.output)
    assert command_language(["batch", f"-c{profile}", "--workers", "x"]) == "en"
    assert command_language(["batch", f"--config={profile}", "--bahasa", "id"]) == "id"


def test_the_profiles_language_names_a_path_of_the_wrong_kind(tmp_path):
    """Before the profile is used, its language already says what is wrong with a path."""
    profile = tmp_path / "profil.yaml"
    profile.write_text(
        BUNDLED_PROFILE.read_text("utf-8").replace("bahasa: id", "bahasa: en"), "utf-8"
    )
    data = tmp_path / "kota"
    data.mkdir()
    (data / "pegawai.csv").write_text("nip\n", encoding="utf-8")
    afile = data / "pegawai.csv"
    for args in (["--data", str(afile)], ["--data", str(data), "--cache", str(afile)]):
        r = _run(["batch", "--config", str(profile), *args, "--out", str(tmp_path / "o")])
        assert r.exit_code == 2, r.output
        text = _words(r.output)
        assert "is a file" in text and "adalah sebuah file" not in text, text


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_generate_data_refuses_numbers_it_cannot_use_before_any_work(tmp_path, bahasa):
    for args in (["--n-pegawai", "-5"], ["--n-pegawai", "59"], ["--seed", "-1"]):
        r = _run(["generate-data", *args, "--out", str(tmp_path / "k"), "--bahasa", bahasa])
        assert r.exit_code == 2, r.output
        assert "Traceback" not in r.output and not isinstance(r.exception, ValueError)
        assert not any(w in _words(r.output) for w in ENGLISH if bahasa == "id"), r.output
    assert not (tmp_path / "k").exists()


def test_a_missing_command_is_said_in_words():
    r = _run(["--"])
    text = _words(r.output)
    assert r.exit_code == 2
    assert _t("cli_perintah_kurang", "id", daftar="generate-data, validate, batch") in text
    assert not [w for w in ENGLISH if w in text], text


def test_help_and_a_bare_command_still_work():
    r = _run(["validate", "--help"])
    assert r.exit_code == 0 and "Folder dataset" in r.output
    r = _run([])
    assert r.exit_code == 2 and "validate" in r.output and "batch" in r.output


def test_the_batch_module_as_a_program_speaks_the_same_way():
    r = subprocess.run(
        [sys.executable, "-m", "kinerja_analysis.pipeline.batch", "--workers", "dua"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 2, r.stderr
    assert _t("cli_harus_bulat", "id") in _words(r.stderr) and "Traceback" not in r.stderr


# ----------------------------------------------------------------------------- paths


@pytest.fixture
def places(tmp_path):
    """A data folder holding a table, a file elsewhere, and a folder with YAML files."""
    data = tmp_path / "ekspor"
    data.mkdir()
    (data / "pegawai.csv").write_text("nip\n", encoding="utf-8")
    profiles = tmp_path / "profil"
    profiles.mkdir()
    (profiles / "kota.yaml").write_text("instansi: {}\n", encoding="utf-8")
    return {"data": data, "file": data / "pegawai.csv", "folder": profiles, "tmp": tmp_path}


def _path_cases(p):
    """(arguments, the catalogue sentence (key, fields)) — or a data-layer message."""
    f, d, tmp = p["file"], p["folder"], p["tmp"]
    data = ["--data", str(p["data"])]
    return [
        (["validate", str(f)], ("data", {"folder": f, "induk": p["data"]})),
        (["validate", str(p["data"]), "--out", str(f)],
         ("jalur_file_bukan_folder", {"peran": "out_validasi", "path": f, "saran": p["data"]})),
        (["validate", str(p["data"]), "--out", str(f / "hasil")],
         ("jalur_induk_file", {"peran": "out_validasi", "path": f / "hasil", "bagian": f})),
        (["validate", str(p["data"]), "--mapping", str(d)],
         ("jalur_folder_bukan_file", {"peran": "mapping", "path": d})),
        (["batch", "--data", str(f), "--out", str(tmp / "o")], ("data", {"folder": f, "induk": p["data"]})),
        (["batch", *data, "--out", str(f)],
         ("jalur_file_bukan_folder", {"peran": "out_batch", "path": f, "saran": p["data"]})),
        (["batch", *data, "--out", str(f / "laporan")],
         ("jalur_induk_file", {"peran": "out_batch", "path": f / "laporan", "bagian": f})),
        (["batch", *data, "--out", str(tmp / "o"), "--cache", str(f)],
         ("jalur_file_bukan_folder", {"peran": "cache", "path": f, "saran": p["data"]})),
        (["batch", *data, "--out", str(tmp / "o"), "--config", str(d)],
         ("jalur_folder_bukan_file", {"peran": "config", "path": d})),
        (["batch", *data, "--out", str(tmp / "o"), "--mapping", str(d)],
         ("jalur_folder_bukan_file", {"peran": "mapping", "path": d})),
        (["generate-data", "--out", str(f)],
         ("jalur_file_bukan_folder", {"peran": "out_data", "path": f, "saran": p["data"]})),
    ]  # fmt: skip


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_a_path_of_the_wrong_kind_is_named_for_what_it_is(places, bahasa):
    from kinerja_analysis.data.messages import message

    for args, (key, fields) in _path_cases(places):
        r = _run([*args, "--bahasa", bahasa])
        text = _words(r.output)
        assert r.exit_code == 2, (args, r.output)
        assert "Traceback" not in r.output and not isinstance(r.exception, OSError), args
        if key == "data":
            want = message("folder_berupa_file", bahasa, **fields)
        else:
            fields = {**fields, "peran": _t(f"peran_{fields['peran']}", bahasa)}
            want = _t(key, bahasa, **fields)
        assert _words(want) in text, (args, text)
        if key == "jalur_folder_bukan_file":  # the YAML files it holds
            assert _t("jalur_yaml_di_folder", bahasa, daftar="kota.yaml") in text
        not_found = ("tidak ditemukan", "not found")
        assert not any(w in text for w in not_found), (args, text)
    assert not (places["tmp"] / "o").exists()  # refused before anything was written


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_the_library_names_a_file_given_as_the_data_folder(places, bahasa):
    """The same mistake through the API: validation, the batch and a notebook's data_dir."""
    f = places["file"]
    word = "adalah sebuah file" if bahasa == "id" else "is a file"
    for call in (
        lambda: validate_dataset(f, bahasa=bahasa),
        lambda: run_batch(f, places["tmp"] / "o", bahasa=bahasa, progress=False),
        lambda: resolve_data_dir(f, bahasa),
    ):
        with pytest.raises(DatasetError) as info:
            call()
        assert word in str(info.value) and str(places["data"]) in str(info.value)
    with pytest.raises(ParameterError, match="--cache"):
        run_batch(places["data"], places["tmp"] / "o", cache_dir=f, progress=False)
    # a missing folder is still "not found"
    with pytest.raises(DatasetError, match="tidak ditemukan"):
        validate_dataset(places["tmp"] / "tidak-ada")


def test_validate_names_periods_of_mixed_kinds_as_the_parameter_at_fault(tmp_path):
    """helper-68: ``--periode 2024Q1 --periode 2024`` ended as an "unexpected error, report
    it to the developers"; it is the parameter that is wrong, said so, exit 2."""
    from kinerja_analysis.data.synth import generate, write_dataset

    write_dataset(generate(n_pegawai=60, seed=2), tmp_path / "d")
    res = CliRunner().invoke(
        app, ["validate", str(tmp_path / "d"), "--periode", "2024Q1", "--periode", "2024"]
    )
    assert res.exit_code == 2, res.output
    assert "--periode:" in res.output and "satu jenis" in res.output, res.output
    assert "pengembang" not in res.output and "Traceback" not in res.output


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_validate_refuses_a_malformed_period_before_reading_the_data(
    tmp_path, monkeypatch, bahasa
) -> None:
    """helper-77: ``validate --periode garbage`` read every file (180 MB) before saying
    the code was malformed, and showed it as a Python list. It is said first, in words."""
    import kinerja_analysis.pipeline.cli as cli

    def no_read(*a, **k):
        raise AssertionError("the data were read")

    monkeypatch.setattr(cli, "validate_dataset", no_read)
    (tmp_path / "d").mkdir()
    res = CliRunner().invoke(
        app,
        ["validate", str(tmp_path / "d"), "--periode", "2025Q4", "--periode", "garbage",
         "--periode", "2025Q5", "--bahasa", bahasa],
    )  # fmt: skip
    assert res.exit_code == 2, res.output
    assert "--periode:" in res.output and "'garbage', '2025Q5'" in res.output, res.output
    assert "[" not in res.output and "Traceback" not in res.output


@pytest.mark.parametrize("limit", [20, 60, 200, 400])
def test_a_long_console_line_ends_at_a_whole_word(limit) -> None:
    """A message longer than its limit (the batch's summary of rejected rows) is cut
    at the end of a word and says so with "…": at most ``limit`` characters, and every
    word it shows is a word of the message, whole."""
    from kinerja_analysis.pipeline.console import plain

    words = [f"kata{i}" + "x" * (i % 7) for i in range(200)]
    msg = " ".join(words)
    out = plain(msg, limit)
    assert len(out) <= limit and out.endswith("…")
    shown = out[:-1].split()
    assert shown and shown == words[: len(shown)]
    assert plain(msg[:limit], limit) == msg[:limit]  # short enough: as it is
