"""The batch's settings: one frozen object, built once (by the command line or from
run_batch's keywords) and passed down whole to the plan, the runs' parameters, their skip
check and the summary. No notebook is executed here: the pool is replaced by a recorder."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kinerja_analysis.core.profile import load_profile
from kinerja_analysis.pipeline import batch
from kinerja_analysis.pipeline.batch import (
    BatchSettings,
    BatchSummary,
    RunResult,
    find_notebooks,
    plan_runs,
    run_batch,
    write_confidential,
)
from kinerja_analysis.pipeline.cli import app


@pytest.fixture
def planned(monkeypatch) -> list:
    """Run specs the batch hands to the pool, recorded instead of executed (and no
    shared models computed)."""
    seen: list = []

    def record(todo, results, **_):
        for spec in todo:
            seen.append(spec)
            results[spec.key] = RunResult(
                spec.key, spec.periode, spec.notebook.kode, spec.opd, "ok"
            )

    monkeypatch.setattr(batch, "_execute", record)
    monkeypatch.setattr(batch, "prepare_shared", lambda *a, **k: None)
    return seen


def _runs(specs) -> list[tuple]:
    """What a run is, without the folders that differ between two batches."""
    return [
        (s.key, s.opd, s.stem, s.title, s.formats, s.profile.fingerprint(), s.periode_label)
        + tuple(s.parameters[k] for k in ("periode", "bahasa", "opd", "min_sel", "seed"))
        + tuple(v for k, v in s.inputs.items() if k != "kode_paket")
        for s in specs
    ]


def test_settings_are_frozen_and_resolved_from_the_profile() -> None:
    s = BatchSettings(periods=["2025Q4"], notebooks=iter(["10"]), formats=["html"])
    assert (s.periods, s.notebooks, s.formats) == (("2025Q4",), ("10",), ("html",))
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.min_sel = 3  # type: ignore[misc]
    profil = dataclasses.replace(load_profile(None), bahasa="en", min_sel=8)
    r = s.resolve(profil)
    assert (r.profile, r.bahasa, r.min_sel) == (profil, "en", 8)
    # what is set stays set
    r = dataclasses.replace(s, bahasa="id", min_sel=3).resolve(profil)
    assert (r.bahasa, r.min_sel) == ("id", 3)
    assert s.bahasa is None and s.profile is None  # resolving makes a new object


def test_keywords_and_a_settings_object_make_the_same_batch(
    city_300, tmp_path: Path, planned: list
) -> None:
    last = city_300.ds.periods[-2:]
    kw = dict(
        periods=last,
        per_opd=True,
        notebooks=["10", "90"],
        bahasa="en",
        min_sel=7,
        seed=11,
        formats=("html", "xlsx"),
    )
    a = run_batch(city_300.data_dir, tmp_path / "a", progress=False, **kw)
    by_keywords = _runs(planned)
    planned.clear()
    settings = BatchSettings(**kw)
    b = run_batch(city_300.data_dir, tmp_path / "b", settings, progress=False)
    assert _runs(planned) == by_keywords
    n_opd = city_300.ds.pegawai["opd"].nunique()
    assert len(by_keywords) == 2 * (1 + n_opd) + 1  # 10 per period and OPD, 90 once
    assert {(r[8], r[10], r[11]) for r in by_keywords} == {("en", 7, 11)}  # bahasa, min_sel, seed
    # the summary keeps the settings the batch ran with, the profile's where unset
    assert a.settings == b.settings
    assert b.settings.seed == 11 and b.settings.min_sel == 7 and b.settings.bahasa == "en"
    assert b.settings.profile.fingerprint() == load_profile(None).fingerprint()
    assert b.settings.periods == tuple(last) and settings.profile is None


def test_the_shared_models_get_dictionary_keys_and_the_reports_text(
    city_300, tmp_path: Path, planned: list, monkeypatch
) -> None:
    """The batch validates with ``keys="categorical"``: the shared models read the
    identifiers of the rating and SKP rows dictionary-encoded (a province's tables about
    2.7 GB smaller), while the cache the reports load reads back as the text tables of a
    plain ``load_dataset``, and the plan is the same as from text keys."""
    import pandas as pd

    from kinerja_analysis.data.contract import identifier_columns
    from kinerja_analysis.data.loading import Dataset

    seen: list = []
    monkeypatch.setattr(batch, "prepare_shared", lambda ds, *a, **k: seen.append(ds))
    cache = tmp_path / "cache"
    run_batch(
        city_300.data_dir,
        tmp_path / "out",
        periods=city_300.ds.periods[-1:],
        per_opd=True,
        notebooks=["10"],
        cache_dir=cache,
        progress=False,
    )
    (ds,) = seen
    for table in ("perilaku", "skp"):
        for col in identifier_columns(table):
            assert isinstance(ds.tables[table][col].dtype, pd.CategoricalDtype), (table, col)
    back = Dataset.load_cache(cache / "data")
    for name, df in city_300.ds.tables.items():
        pd.testing.assert_frame_equal(back.tables[name], df, check_exact=True, obj=name)
    n_opd = city_300.ds.pegawai["opd"].nunique()
    assert len(planned) == 1 + n_opd


def test_a_keyword_replaces_that_field_of_the_settings(
    city_300, tmp_path: Path, planned: list
) -> None:
    base = BatchSettings(notebooks=("00",), min_sel=4)
    s = run_batch(
        city_300.data_dir,
        tmp_path / "o",
        base,
        periods=city_300.ds.periods[-1:],
        min_sel=9,
        progress=False,
    )
    assert [spec.parameters["min_sel"] for spec in planned] == [9]
    assert s.settings.notebooks == ("00",) and s.settings.min_sel == 9
    with pytest.raises(TypeError, match="min_sell"):
        run_batch(city_300.data_dir, tmp_path / "o", min_sell=3)


def test_plan_runs_takes_the_settings(city_300, tmp_path: Path) -> None:
    nbs = {k: v for k, v in find_notebooks().items() if k == "10"}
    kw = dict(data_dir=city_300.data_dir, cache_dir=tmp_path / "c" / "data", checksum="x")
    periods = city_300.ds.periods[-1:]
    default = plan_runs(nbs, periods, tmp_path / "o", **kw)
    other = plan_runs(
        nbs,
        periods,
        tmp_path / "o",
        BatchSettings(min_sel=3, seed=9, bahasa="en", formats=("pdf",)),
        **kw,
    )
    # unset settings come from the (bundled) profile
    assert [(r.parameters["min_sel"], r.parameters["bahasa"]) for r in default] == [(5, "id")]
    assert [(r.parameters["min_sel"], r.parameters["seed"]) for r in other] == [(3, 9)]
    assert other[0].formats == ("pdf",) and other[0].inputs["format"] == ["pdf"]
    assert other[0].inputs["parameter"]["bahasa"] == "en"
    assert default[0].inputs != other[0].inputs  # a changed setting is a changed input


def test_the_command_line_builds_the_settings_once(monkeypatch, tmp_path: Path) -> None:
    got: list = []

    def fake_run_batch(data, out, settings=None, **kw):
        got.append((data, out, settings, kw))
        return BatchSummary((), Path(out), None, 0.0, settings=settings)

    monkeypatch.setattr(batch, "run_batch", fake_run_batch)
    args = ["batch", "--data", str(tmp_path / "d"), "--out", str(tmp_path / "o")]
    args += ["-p", "2025Q3", "-p", "2025Q4", "-n", "10", "--per-opd", "--bahasa", "en"]
    args += ["--min-sel", "6", "--config", "profil.yaml", "--mapping", "siasn", "--pseudonim"]
    args += ["--cache", str(tmp_path / "c"), "--workers", "2", "--force", "--tunggu", "1.5"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    [(data, out, s, kw)] = got
    assert (data, out) == (tmp_path / "d", tmp_path / "o")
    assert set(kw) == {"console"}
    assert s == BatchSettings(
        periods=("2025Q3", "2025Q4"),
        notebooks=("10",),
        per_opd=True,
        bahasa="en",
        min_sel=6,
        profile=Path("profil.yaml"),
        mapping="siasn",
        pseudonim=True,
        cache_dir=tmp_path / "c",
        workers=2,
        force=True,
        lock_wait=1.5,
    )
    # without options: the defaults of BatchSettings, nothing decided in the CLI
    got.clear()
    result = CliRunner().invoke(app, args[:5])
    assert result.exit_code == 0, result.output
    assert got[0][2] == BatchSettings()


def test_confidential_sheets_use_the_batch_seed(monkeypatch, tmp_path: Path) -> None:
    seeds: list[int] = []

    class FakeDataset:
        periods = ("2025Q4",)

    monkeypatch.setattr(batch.Dataset, "load_cache", staticmethod(lambda _: FakeDataset()))
    monkeypatch.setattr(
        batch, "load_or_compute_shared", lambda ds, d, through, seed: seeds.append(seed)
    )
    monkeypatch.setattr(batch, "write_confidential_sheets", lambda *a: [])
    run = RunResult("2025Q4/10", "2025Q4", "10", None, "ok")
    summary = BatchSummary(
        (run,), tmp_path / "o", None, 0.0, tmp_path / "c", settings=BatchSettings(seed=11)
    )
    write_confidential(summary)
    write_confidential(summary, seed=3)
    assert seeds == [11, 3]


def test_the_command_line_lists_mapping_problems_one_per_line(tmp_path: Path) -> None:
    data = tmp_path / "d"
    data.mkdir()
    (data / "pegawai.csv").write_text("nip,opd\n", encoding="utf-8")
    bad = tmp_path / "m.yaml"
    bad.write_text("tabel:\n  pegawai:\n    kolum: {a: nip}\n    kolom: 5\n", encoding="utf-8")
    profile = Path(__file__).resolve().parents[1] / "data/contoh/siasn/profil_instansi.yaml"
    args = ["batch", "--data", str(data), "--out", str(tmp_path / "o"), "--mapping", str(bad)]
    result = CliRunner().invoke(app, [*args, "--config", str(profile)])
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    start = next(i for i, ln in enumerate(lines) if "2 masalah dalam file pemetaan m.yaml:" in ln)
    items = [ln for ln in lines[start + 1 :] if ln.startswith("  - m.yaml: kunci ")]
    assert len(items) == 2, result.output


def test_run_batch_checks_its_settings_like_the_command_line(tmp_path: Path) -> None:
    contoh = Path(__file__).resolve().parents[1] / "data" / "contoh" / "siasn"
    base = dict(profile=contoh / "profil_instansi.yaml", mapping=contoh / "pemetaan.yaml")
    # one code given as text is that code, not its characters
    assert BatchSettings(periods="2025Q4", formats="pdf").periods == ("2025Q4",)
    assert BatchSettings(formats="pdf").formats == ("pdf",)
    for bad, match in (
        (dict(workers=0), "workers"),
        (dict(workers=-2), "workers"),
        (dict(workers=1.5), "workers"),
        (dict(min_sel="5"), "min_sel"),
        (dict(min_sel=True), "min_sel"),
        (dict(per_opd=True, per_opd_notebooks=["99"]), "99"),
    ):
        with pytest.raises(ValueError, match=match):
            batch.run_batch(contoh, tmp_path / "out", **base, **bad)
    assert not (tmp_path / "out").exists()


def test_notebooks_are_read_with_cell_ids_by_position() -> None:
    """The same notebook gives the same HTML: cell ids (which nbconvert writes into the
    document) are numbered by position, not drawn at random, and stay valid."""
    import nbformat

    for nb_spec in batch.find_notebooks().values():
        a, b = batch.read_notebook(nb_spec.path), batch.read_notebook(nb_spec.path)
        ids = [c["id"] for c in a.cells]
        assert ids == [c["id"] for c in b.cells] == [f"cell-{i:03d}" for i in range(len(ids))]
        nbformat.validate(a)


def test_validate_keeps_control_characters_from_the_terminal(tmp_path: Path) -> None:
    data = tmp_path / "d"
    data.mkdir()
    (data / "\x1b[31mmerah\x1b[0m.csv").write_text("nip\n1\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(data)])
    assert "\x1b" not in result.output
    assert "\ufffd[31mmerah" in result.output


@pytest.mark.parametrize("held", ["out", "cache"])
def test_a_busy_folder_is_named_as_what_it_is(monkeypatch, tmp_path: Path, held: str) -> None:
    from kinerja_analysis.pipeline.procs import FolderBusy

    out, cache = tmp_path / "o", tmp_path / "c"

    def busy(data, out_dir, settings=None, **kw):
        raise FolderBusy(str((out if held == "out" else cache).resolve()))

    monkeypatch.setattr(batch, "run_batch", busy)
    args = ["batch", "--data", str(tmp_path / "d"), "--out", str(out), "--cache", str(cache)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == batch.EXIT_BUSY
    text = " ".join(result.output.split())
    if held == "out":
        assert "batch lain sedang menulis ke" in text and "--out lain" in text
    else:
        assert "Cache sedang dipakai" in text and "--cache lain" in text
        assert str(cache.resolve().name) in text


@pytest.mark.parametrize(("min_sel", "warned"), [(1, True), (2, False), (None, False)])
def test_min_sel_one_is_accepted_but_said_on_the_console_and_in_the_log(
    monkeypatch, tmp_path: Path, min_sel, warned: bool
) -> None:
    """``--min-sel 1`` switches the suppression of small groups off: accepted (an agency
    may decide so), but said once on the console and in the run log."""
    import io

    from rich.console import Console

    from kinerja_analysis.pipeline.console import TEXT

    class Stop(Exception):
        pass

    def stop(*_a, **_k):
        raise Stop

    monkeypatch.setattr(batch, "load_dataset", stop)  # nothing after the batch's start
    contoh = Path(__file__).resolve().parents[1] / "data" / "contoh" / "siasn"
    buf = io.StringIO()
    for bahasa in ("id", "en"):
        buf.seek(0), buf.truncate()
        cache = tmp_path / f"cache-{bahasa}-{min_sel}"
        with pytest.raises(Stop):
            run_batch(
                contoh, tmp_path / f"out-{bahasa}", profile=contoh / "profil_instansi.yaml",
                mapping=contoh / "pemetaan.yaml", min_sel=min_sel, bahasa=bahasa,
                cache_dir=cache, console=Console(file=buf, width=400), progress=False,
            )  # fmt: skip
        text = TEXT("min_sel_satu", bahasa, bawaan=5)
        shown = " ".join(buf.getvalue().split())
        logged = " ".join(p.read_text(encoding="utf-8") for p in (cache / "log").glob("batch-*"))
        assert shown.count(text) == (1 if warned else 0), shown
        assert (text in logged) == warned
