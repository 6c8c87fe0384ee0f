"""What a failed run leaves behind: its line on the index page and its kept notebook.

- A report whose run failed is listed on ``index.html`` — "gagal pada <tanggal>" /
  "failed on <date>" with a generic reason from the catalogue — also when no earlier
  good copy exists (it was left out); links go only to files that exist; the error's
  own text (which may quote an NIP or a path of the machine) never reaches the page.
- The notebook kept for a failed run names its own paths (the notebook it ran, where
  it is kept, relative to the cache folder): papermill recorded the whole input
  notebook as ``input_path`` and the run's staging file as ``output_path``.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import re
from pathlib import Path

import nbformat
import papermill
import pytest
from test_execution import _notebook

from kinerja_analysis.pipeline.batch import (
    FAILURE_KINDS,
    FORMATS,
    LINTAS,
    NotebookSpec,
    RunResult,
    RunSpec,
    _crashed,
    _keep_failed,
    _log_run,
    _write_index,
    failure_kind,
    publish,
)
from kinerja_analysis.pipeline.execution import FIGURES_TAG, execute_notebook
from kinerja_analysis.reporting import fmt
from kinerja_analysis.reporting.text import text

#: An error text as a notebook might raise it: an NIP, a name and a path of the machine.
SECRET = "RuntimeError: 199001012015032002 Sari Dewi /home/analis/ekspor/pegawai.csv"
PERIODE = "2025Q3"


def _spec(out: Path, cache: Path, *, kode="10", opd=None, slug=None, lintas=False) -> RunSpec:
    nama = {"10": "laporan_periode", "00": "kualitas_data", "90": "ringkasan"}[kode]
    nb = NotebookSpec(kode, nama, f"Judul {nama}", Path(f"/pkg/notebooks/{kode}_{nama}.py"))
    section = LINTAS if lintas else PERIODE
    rel = f"{section}/opd/{slug}" if opd else section
    name = f"{kode}_{nama}" + (f"__{slug}" if opd else "")
    return RunSpec(
        key=f"{rel}/{kode}",
        notebook=nb,
        periode=PERIODE,
        opd=opd,
        folder=out / rel,
        stem=f"{nama}_{PERIODE}" + (f"_{slug}" if opd else ""),
        title=f"Judul {nama}" + (f" — {opd}" if opd else ""),
        periode_label=PERIODE,
        parameters={
            "bahasa": "id",
            "cache_dir": str(cache / "data"),
            "output_dir": str(cache / "kerja" / "batch-1" / "00000"),
        },
        formats=FORMATS,
        failed_path=cache / "gagal" / section / f"{name}.ipynb",
        inputs={},
    )


def _failed(spec: RunSpec, reason: str = "sel", form: str = "") -> RunResult:
    return RunResult(
        spec.key,
        spec.periode,
        spec.notebook.kode,
        spec.opd,
        "gagal",
        message=f"notebook berhenti: {SECRET}",
        original_error=SECRET,
        reason=reason,
        reason_format=form,
    )


def _good(spec: RunSpec) -> RunResult:
    files = {p.name: f"isi {p.name}".encode() for p in spec.outputs}
    hashes = publish(spec.folder, files)
    return RunResult(
        spec.key,
        spec.periode,
        spec.notebook.kode,
        spec.opd,
        "ok",
        outputs=tuple(files),
        file_hashes=hashes,
    )


def _items(html: str) -> list[str]:
    """The index's list items, tags removed, whitespace folded."""
    items = re.findall(r"<li>(.*?)</li>", html, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", i).split()) for i in items]


def _hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_a_failed_report_without_an_earlier_copy_is_listed_as_failed(tmp_path, bahasa):
    out, cache = tmp_path / "reports", tmp_path / "cache"
    specs = [
        _spec(out, cache),  # a period report
        _spec(out, cache, opd="Dinas <Kesehatan>", slug="dinas-kesehatan"),  # per OPD
        _spec(out, cache, kode="90", lintas=True),  # cross-period
    ]
    for spec in specs:
        res = _log_run(spec, _failed(spec))
        assert res.earlier_report is None
    html = _write_index(out, bahasa).read_text("utf-8")
    failed = text("indeks_gagal", bahasa, tanggal=fmt.date(_dt.date.today(), bahasa))
    reason = text("indeks_sebab_sel", bahasa)
    items = _items(html)
    for spec in specs:
        title = spec.title.replace("<", "&lt;").replace(">", "&gt;")
        (item,) = [i for i in items if i.startswith(f"{title}:")]
        assert failed in item and reason in item, item
        assert text("indeks_tanpa_laporan", bahasa, gagal="").strip("; ") in item, item
    assert failed.startswith("gagal pada " if bahasa == "id" else "failed on ")
    assert _hrefs(html) == []  # nothing to link to
    # the error's own text (an NIP, a name, a path of the machine) is nowhere
    for word in ("199001012015032002", "Sari Dewi", "/home/analis", "RuntimeError"):
        assert word not in html
        for m in out.rglob("manifest.json"):
            assert word not in m.read_text("utf-8")
    assert "Dinas <Kesehatan>" not in html  # a value from the data stays text


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_a_failed_update_keeps_the_earlier_report_listed_with_the_failure(tmp_path, bahasa):
    out, cache = tmp_path / "reports", tmp_path / "cache"
    spec = _spec(out, cache)
    _log_run(spec, _good(spec))
    res = _log_run(spec, _failed(spec, "ekspor", "pdf"))
    assert res.earlier_report == _dt.date.today().isoformat()
    html = _write_index(out, bahasa).read_text("utf-8")
    assert sorted(_hrefs(html)) == sorted(f"{PERIODE}/{p.name}" for p in spec.outputs)
    (item,) = _items(html)
    today = fmt.date(_dt.date.today(), bahasa)
    assert text("indeks_gagal", bahasa, tanggal=today) in item
    assert text("indeks_sebab_ekspor", bahasa, format="PDF") in item
    assert (
        text("indeks_lama", bahasa, dibuat=today, gagal="").split(";")[0] in item
    )  # "laporan tanggal …" / "report of …"
    assert "199001012015032002" not in html
    # a later failure of another kind replaces the reason (no stale export format)
    _log_run(spec, _failed(spec, "kernel"))
    entry = json.loads((spec.folder / "manifest.json").read_text("utf-8"))["runs"]["10"]
    assert entry["gagal_sebab"] == "kernel" and "gagal_format" not in entry
    assert sorted(entry["keluaran"]) == sorted(p.name for p in spec.outputs)


def test_a_report_whose_files_are_gone_is_listed_as_failed_without_links(tmp_path):
    out, cache = tmp_path / "reports", tmp_path / "cache"
    spec = _spec(out, cache)
    _log_run(spec, _good(spec))
    spec.outputs[0].unlink()  # an earlier copy that is no longer whole
    res = _log_run(spec, _failed(spec, "data"))
    assert res.earlier_report is None
    html = _write_index(out, "id").read_text("utf-8")
    (item,) = _items(html)
    assert text("indeks_sebab_data", "id") in item and "belum ada laporan" in item
    assert _hrefs(html) == []


def test_every_failure_kind_has_words_in_both_languages():
    for kind in FAILURE_KINDS:
        for bahasa in ("id", "en"):
            assert text(f"indeks_sebab_{kind}", bahasa, format="PDF").strip()
    # the kinds the batch gives its failures are all known
    from nbclient.exceptions import DeadKernelError

    assert failure_kind(DeadKernelError("Kernel died"))[0] == "kernel"
    assert failure_kind(OSError(28, "No space left on device"))[0] == "disk"
    assert failure_kind(KeyError("x"), stage="xlsx") == (
        "ekspor",
        {"format": "XLSX", "jenis": "KeyError"},
    )
    assert failure_kind(ValueError(SECRET))[0] == "lain"


def test_an_edited_manifest_stays_inert_on_the_index(tmp_path):
    """A manifest is a file anyone may edit: an unknown reason, a format that is not one,
    a date that is not one and a file outside the folder show nothing of theirs."""
    out = tmp_path / "reports"
    (out / PERIODE).mkdir(parents=True)
    runs = {
        "10": {
            "judul": "Laporan",
            "keluaran": ["../../rahasia.csv", 3],
            "gagal_terakhir": "2026-02-30",
            "gagal_sebab": "<script>alert(1)</script>",
        },
        "00": {
            "judul": "Kualitas",
            "keluaran": [],
            "gagal_terakhir": "2026-02-03",
            "gagal_sebab": "ekspor",
            "gagal_format": "<b>exe</b>",
        },
        "20": "bukan entri",
    }
    (out / PERIODE / "manifest.json").write_text(json.dumps({"runs": runs}), "utf-8")
    (tmp_path / "rahasia.csv").write_text("nip\n")
    html = _write_index(out, "id").read_text("utf-8")
    assert _items(html) == ["Kualitas: gagal pada 3 Februari 2026; belum ada laporan"]
    assert "<script>" not in html and "exe" not in html and "rahasia" not in html


# ----------------------------------------------------------------------------- kept notebook


def _check_kept(path: Path, spec: RunSpec, machine: list[str]) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)  # a valid notebook
    record = nb.metadata.papermill
    assert record["input_path"] == spec.notebook.path.name
    assert record["output_path"] == f"gagal/{PERIODE}/10_laporan_periode.ipynb"
    assert (spec.failed_path.parents[2] / record["output_path"]) == spec.failed_path
    meta = json.dumps(nb.metadata)
    for p in machine:
        assert p not in meta, p
    assert '"cells"' not in meta  # not a copy of the input notebook
    return nb


@pytest.mark.parametrize("how", ["cell", "kernel", "export"])
def test_a_failed_runs_notebook_names_its_own_paths(tmp_path, how):
    """Every way a run fails keeps the notebook with its own paths: a cell's error and a
    dead kernel (the copy papermill saved), a failed export (the notebook in memory)."""
    cache = tmp_path / "cache"
    spec = _spec(tmp_path / "reports", cache)
    staging = cache / "kerja" / "batch-1" / "00000"
    staging.mkdir(parents=True)
    executed = staging / "notebook.ipynb"
    source = {
        "cell": ("a = 1", "raise RuntimeError('uji')", "b = 2"),
        "kernel": ("a = 1", "import os\nos._exit(3)", "b = 2"),
        "export": ("a = 1", "b = 2"),
    }[how]
    nb = None
    if how == "export":
        nb = execute_notebook(_notebook(*source), executed, {}, tmp_path)
    else:
        with pytest.raises(Exception) as info:  # noqa: PT011 - papermill/nbclient's own types
            execute_notebook(_notebook(*source), executed, {}, tmp_path)
        if how == "cell":
            assert isinstance(info.value, papermill.PapermillExecutionError)
    # papermill's own record: the whole input notebook and the staging file
    raw = json.loads(executed.read_text("utf-8"))["metadata"]["papermill"]
    assert isinstance(raw["input_path"], dict) and raw["output_path"] == str(executed)
    kept = _keep_failed(spec, executed, nb)
    assert kept == str(spec.failed_path)
    got = _check_kept(spec.failed_path, spec, [str(tmp_path), str(executed)])
    # the cells as they ran (the cell the batch adds after them puts figures in place)
    ran = [c for c in got.cells if c.cell_type == "code"]
    assert ran[-1].metadata.tags == [FIGURES_TAG]
    ran = ran[:-1]
    assert [c.source for c in ran][-len(source) :] == list(source)
    if how == "cell":
        errors = [o for c in ran for o in c.outputs if o.output_type == "error"]
        assert errors and errors[0].evalue == "uji"


def test_a_crashed_workers_run_keeps_its_own_last_save_not_an_older_copy(tmp_path):
    from concurrent.futures.process import BrokenProcessPool

    spec = _spec(tmp_path / "reports", tmp_path / "cache")
    spec.failed_path.parent.mkdir(parents=True)
    spec.failed_path.write_text("{}", "utf-8")  # what an earlier batch kept
    res = _crashed(spec, BrokenProcessPool("gone"), "id")
    assert res.status == "gagal" and res.reason == "pekerja"
    assert res.failed_notebook is None  # it was named as this run's notebook
    staging = Path(spec.parameters["output_dir"])
    staging.mkdir(parents=True)
    execute_notebook(_notebook("a = 1"), staging / "notebook.ipynb", {}, tmp_path)
    res = _crashed(spec, BrokenProcessPool("gone"), "en")
    assert res.failed_notebook == str(spec.failed_path) and "worker" in res.message
    _check_kept(spec.failed_path, spec, [str(tmp_path)])


def test_an_unreadable_saved_notebook_is_not_kept(tmp_path):
    spec = _spec(tmp_path / "reports", tmp_path / "cache")
    executed = tmp_path / "notebook.ipynb"
    executed.write_text('{"cells": [', "utf-8")  # cut short
    assert _keep_failed(spec, executed) is None
    assert not spec.failed_path.exists()
    assert _keep_failed(spec, tmp_path / "none.ipynb") is None


def test_a_period_whose_reports_all_failed_has_no_point_on_the_trend_chart(tmp_path, monkeypatch):
    from kinerja_analysis.pipeline import batch

    out, cache = tmp_path / "reports", tmp_path / "cache"
    good = _spec(out, cache)
    res = _good(good)
    _log_run(good, dataclasses.replace(res, headline_figures={"n_asn": 300.0}))
    failed = dataclasses.replace(_spec(out, cache), periode="2025Q4", folder=out / "2025Q4")
    _log_run(failed, _failed(failed))
    seen = []
    monkeypatch.setattr(batch, "_trend_chart", lambda rows, bahasa: seen.append(rows) or None)
    html = _write_index(out, "id").read_text("utf-8")
    assert list(seen[0]["periode"]) == [PERIODE]
    assert "Triwulan IV 2025" in html  # the period itself is listed, as failed
