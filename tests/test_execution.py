"""The batch's notebook execution: the executed notebook is saved as it runs, but not at
every cell; a failing cell and a dying kernel still leave it on disk."""

from __future__ import annotations

import nbformat
import papermill
import pytest
from papermill import engines

from kinerja_analysis.pipeline import execution
from kinerja_analysis.pipeline.execution import _ThrottledManager, execute_notebook


def _notebook(*sources: str):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    return nb


@pytest.fixture
def writes(monkeypatch):
    """Paths papermill's execution manager writes the notebook to, in order."""
    seen: list[str] = []
    real = engines.write_ipynb

    def write(nb, path):
        seen.append(str(path))
        real(nb, path)

    monkeypatch.setattr(engines, "write_ipynb", write)
    return seen


def test_routine_saves_are_throttled_and_the_last_is_forced(tmp_path, writes, monkeypatch) -> None:
    nb = _notebook("x = 1")
    nb.metadata["papermill"] = {}  # as papermill's execute_notebook prepares it
    man = _ThrottledManager(nb, output_path=str(tmp_path / "a.ipynb"), progress_bar=False)
    man.notebook_start()
    man.save()
    assert writes == []  # both within SAVE_EVERY of the manager's start
    monkeypatch.setattr(execution, "SAVE_EVERY", 0.0)
    man.save()
    assert len(writes) == 1
    monkeypatch.setattr(execution, "SAVE_EVERY", 3600.0)
    man.save()
    assert len(writes) == 1
    man.notebook_complete()
    assert len(writes) == 2


def test_a_quick_notebook_is_written_a_few_times_not_per_cell(tmp_path, writes) -> None:
    out = tmp_path / "run.ipynb"
    nb = execute_notebook(_notebook(*[f"y{i} = {i}" for i in range(20)]), out, {}, tmp_path)
    assert all(c.metadata.papermill["status"] == "completed" for c in nb.cells)
    # papermill's per-cell option wrote it 2 x 20 + 2 times; here: the final saves only
    assert 1 <= len(writes) <= 3
    assert nbformat.read(out, as_version=4).cells[-1].metadata.papermill["status"] == "completed"


def test_a_failing_cell_is_on_disk(tmp_path) -> None:
    out = tmp_path / "run.ipynb"
    with pytest.raises(papermill.PapermillExecutionError, match="ZeroDivisionError"):
        execute_notebook(_notebook("a = 1", "1 / 0", "b = 2"), out, {}, tmp_path)
    cells = nbformat.read(out, as_version=4).cells
    statuses = [c.metadata.papermill["status"] for c in cells if c.cell_type == "code"]
    assert statuses[-3:] == ["completed", "failed", "pending"]


def test_a_dying_kernel_leaves_the_notebook_up_to_its_cell(tmp_path) -> None:
    out = tmp_path / "run.ipynb"
    with pytest.raises(Exception) as info:  # noqa: PT011 - papermill/nbclient's own types
        execute_notebook(_notebook("a = 1", "import os\nos._exit(3)", "b = 2"), out, {}, tmp_path)
    assert "dead" in type(info.value).__name__.lower() or "died" in str(info.value).lower()
    cells = nbformat.read(out, as_version=4).cells
    # the cell the kernel died in had started; the next one never did
    assert cells[0].metadata.papermill["status"] == "completed"
    assert cells[1].metadata.papermill["start_time"]
    assert not cells[2].metadata.papermill["start_time"]


def test_a_dead_kernels_notebook_says_where_it_died(tmp_path) -> None:
    """The saved notebook of a kernel that died names the cell it died in (failed, with
    an error output) and leaves the cells that never ran pending: papermill's own
    clean-up marks them all "completed", which reads as a finished run."""
    out = tmp_path / "run.ipynb"
    with pytest.raises(Exception):  # noqa: B017, PT011 - papermill/nbclient's own types
        execute_notebook(
            _notebook("a = 1", "import os\nos._exit(3)", "b = 2", "c = 3"), out, {}, tmp_path
        )
    nb = nbformat.read(out, as_version=4)
    statuses = [c.metadata.papermill["status"] for c in nb.cells]
    assert statuses == ["completed", "failed", "pending", "pending"]
    assert nb.metadata.papermill["exception"] is True
    (error,) = [o for o in nb.cells[1].outputs if o.output_type == "error"]
    assert "dead" in error.ename.lower() or "died" in error.evalue.lower()


# ----------------------------------------------------------------------------- exports


def test_the_workbook_written_beside_the_pdf_is_the_one_written_after_it(tmp_path, monkeypatch):
    """render_outputs writes the XLSX in a forked child while it renders the PDF when a
    CPU is free: the same sheets and cells as written in turn."""
    import io

    import pandas as pd
    from openpyxl import load_workbook

    from kinerja_analysis.pipeline import batch
    from kinerja_analysis.reporting.notebook import FIGURE_PROCESSES_ENV, save_table

    work = tmp_path / "kerja"
    save_table(work, "ringkasan", pd.DataFrame({"opd": ["Dinas A", "Dinas B"], "n_asn": [12, 30]}))
    nb = _notebook("x = 1")
    spec = batch.RunSpec(
        key="2025Q4/10",
        notebook=batch.NotebookSpec(kode="10", name="laporan_periode", title="Uji", path=tmp_path),
        periode="2025Q4",
        opd=None,
        folder=tmp_path / "out",
        stem="uji",
        title="Uji",
        periode_label="2025Q4",
        parameters={"bahasa": "id"},
        formats=("html", "pdf", "xlsx"),
        failed_path=tmp_path / "gagal.ipynb",
        inputs={"data": "abc", "versi": "0"},
    )
    forks = []
    real = batch.fork_call
    monkeypatch.setattr(batch, "fork_call", lambda make: forks.append(1) or real(make))

    def cells(setting: str) -> list:
        monkeypatch.setenv(FIGURE_PROCESSES_ENV, setting)
        files, _ = batch.render_outputs(spec, nb, work)
        assert set(files) == {"uji.html", "uji.pdf", "uji.xlsx"}
        wb = load_workbook(io.BytesIO(files["uji.xlsx"]), read_only=True)
        return [list(ws.iter_rows(values_only=True)) for ws in wb]

    in_turn = cells("1")
    assert forks == []
    beside = cells("2")
    assert forks == [1]
    assert beside == in_turn
    assert any("Dinas B" in row for sheet in in_turn for row in sheet)
