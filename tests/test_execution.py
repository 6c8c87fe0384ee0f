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
    # the last cell is the one that puts deferred figures in place: never reached
    assert statuses[-4:] == ["completed", "failed", "pending", "pending"]
    assert cells[-1].metadata.tags == [execution.FIGURES_TAG]


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
    assert statuses == ["completed", "failed", "pending", "pending", "pending"]
    assert nb.metadata.papermill["exception"] is True
    (error,) = [o for o in nb.cells[1].outputs if o.output_type == "error"]
    assert "dead" in error.ename.lower() or "died" in error.evalue.lower()


# ----------------------------------------------------------------------------- figures

_SESSION = """\
import matplotlib
matplotlib.use("Agg")
from matplotlib.figure import Figure
from kinerja_analysis.reporting import notebook as N

doc = N.ReportSession(
    ds=None, periode="2025Q4", tables={}, period_text="", cakupan="", bahasa="id",
    opd=None, min_sel=5, seed=1, output_dir=None, cache_dir=None,
)


def chart(i):
    fig = Figure(figsize=(3, 2))
    ax = fig.subplots()
    ax.bar(["a", "b", "c"], [i, i + 1, 2 * i])
    ax.set_title(f"Gambar {i}")
    return fig
"""


def _figure_outputs(nb) -> list[tuple[int, str, dict]]:
    """(cell index, type, data) of every output but the printed text."""
    return [
        (i, o.output_type, dict(o.get("data", {})))
        for i, c in enumerate(nb.cells)
        for o in c.get("outputs", [])
        if o.output_type != "stream"
    ]


def _printed(nb) -> list[str]:
    """The text each printed output holds, stripped."""
    return [
        "".join(o.text).strip()
        for c in nb.cells
        for o in c.get("outputs", [])
        if o.output_type == "stream"
    ]


def _run_both_ways(cells, tmp_path, monkeypatch):
    """The executed notebook with figures drawn beside it (two processes for figures),
    then drawn in line (one: no deferral); saved as ``a.ipynb`` and ``b.ipynb``."""
    monkeypatch.setenv("KINERJA_FIGURE_PROCESSES", "2")
    deferred = execute_notebook(_notebook(*cells), tmp_path / "a.ipynb", {}, tmp_path)
    monkeypatch.setenv("KINERJA_FIGURE_PROCESSES", "1")
    drawn_here = execute_notebook(_notebook(*cells), tmp_path / "b.ipynb", {}, tmp_path)
    return deferred, drawn_here


def _html_of(outputs) -> list[str]:
    return ["".join(d.get("text/html", "")) for _, _, d in outputs]


def test_figures_drawn_beside_the_notebook_are_in_their_cells_at_the_end(
    tmp_path, monkeypatch
) -> None:
    """In the batch's kernel each figure is drawn in a forked child while the notebook
    goes on; the cell added after the last one puts them in place. The executed
    notebook holds exactly the outputs of a run that draws each figure where it is
    asked for (one CPU for figures: no deferral), in the same cells and order, and no
    placeholder."""
    cells = (
        _SESSION,
        "doc.figure(chart(1), alt='satu')\ndoc.figure(chart(2))\nprint(len(N._PENDING))",
        "doc.figure(chart(3))\nprint(len(N._PENDING))",
        "x = 1",
    )
    deferred, drawn_here = _run_both_ways(cells, tmp_path, monkeypatch)
    # deferred: two figures pending after the second cell (at most one per CPU: the
    # first was put in place when the third began)
    assert _printed(deferred) == ["2", "2"]
    assert _printed(drawn_here) == ["0", "0"]
    got, want = _figure_outputs(deferred), _figure_outputs(drawn_here)
    assert [i for i, _, _ in got] == [1, 1, 2]
    assert all("<img" in h for h in _html_of(got))
    assert got == want
    saved = nbformat.read(tmp_path / "a.ipynb", as_version=4)
    assert _figure_outputs(saved) == want  # the file written at the end, too
    assert saved.cells[-1].metadata.tags == [execution.FIGURES_TAG]
    assert not saved.cells[-1].outputs


def test_no_process_a_cell_starts_inherits_the_deferral(tmp_path, monkeypatch) -> None:
    """The batch's kernel takes the flag at start-up: a process that the first cell
    starts, before the notebook imports anything of ours, sees no variable (a nested
    papermill run would otherwise leave placeholders), yet the figures are deferred."""
    from kinerja_analysis.reporting.notebook import DEFER_FIGURES_ENV

    monkeypatch.setenv("KINERJA_FIGURE_PROCESSES", "2")
    look = f"print(repr(__import__('os').environ.get({DEFER_FIGURES_ENV!r})))"
    probe = (
        f"import subprocess, sys\n{look}\n"
        f"print(subprocess.run([sys.executable, '-c', {look!r}], capture_output=True,"
        " text=True, check=True).stdout)"
    )
    cells = (probe, _SESSION, "doc.figure(chart(1))\nprint(len(N._PENDING))")
    nb = execute_notebook(_notebook(*cells), tmp_path / "a.ipynb", {}, tmp_path)
    assert _printed(nb) == ["None\nNone", "1"]  # the kernel, then its child
    assert ["<img" in h for h in _html_of(_figure_outputs(nb))] == [True]


def test_pyplot_figures_given_ready_are_shown_once_as_drawn_here(tmp_path, monkeypatch) -> None:
    """A ready pyplot figure is closed in the kernel once its child has its copy: the
    inline backend shows no second image, and the next ``plt.gcf()`` is a new figure."""
    cells = (
        _SESSION + "\n%matplotlib inline\nimport matplotlib.pyplot as plt",
        "fig, ax = plt.subplots()\nax.plot([1, 2])\ndoc.figure(fig)",
        "plt.plot([1, 2])\ndoc.figure(plt.gcf())\nplt.plot([3, 1])\ndoc.figure(plt.gcf())",
    )
    deferred, drawn_here = _run_both_ways(cells, tmp_path, monkeypatch)
    got = _figure_outputs(deferred)
    assert [i for i, _, _ in got] == [1, 2, 2]
    assert got == _figure_outputs(drawn_here)


def test_a_figure_that_fails_to_draw_fails_the_run_naming_it(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("KINERJA_FIGURE_PROCESSES", "2")
    bad = "def rusak(**kw):\n    raise ValueError('gambar rusak')\n\ndoc.figure(rusak)"
    out = tmp_path / "run.ipynb"
    # the plot's name, the cell that asked for it, and the plot's own error
    with pytest.raises(
        papermill.PapermillExecutionError, match=r"FigureError.*rusak \(In \[2\]\).*gambar rusak"
    ):
        execute_notebook(_notebook(_SESSION, bad, "x = 1"), out, {}, tmp_path)
    cells = [c for c in nbformat.read(out, as_version=4).cells if c.cell_type == "code"]
    # the figure's own cell went on; the cell that puts figures in place failed
    assert [c.metadata.papermill["status"] for c in cells] == [*["completed"] * 3, "failed"]
    assert cells[-1].metadata.tags == [execution.FIGURES_TAG]


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


def test_a_plot_called_with_a_keyword_it_does_not_take_fails_in_its_own_cell(
    tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("KINERJA_FIGURE_PROCESSES", "2")
    plot = "def plot(i, *, bahasa, width):\n    return chart(i)\n\ndoc.figure(plot, 1, nonsense=1)"
    out = tmp_path / "run.ipynb"
    with pytest.raises(papermill.PapermillExecutionError, match="nonsense"):
        execute_notebook(_notebook(_SESSION, plot, "x = 1"), out, {}, tmp_path)
    cells = [c for c in nbformat.read(out, as_version=4).cells if c.cell_type == "code"]
    statuses = [c.metadata.papermill["status"] for c in cells]
    assert statuses == ["completed", "failed", "pending", "pending"]


def test_a_placeholder_never_reaches_a_document() -> None:
    from kinerja_analysis.reporting.export import to_html
    from kinerja_analysis.reporting.markup import FIGURE_PLACEHOLDER_CLASS

    nb = _notebook("x = 1")
    nb.cells[0].outputs = [
        nbformat.v4.new_output(
            "display_data", data={"text/html": f'<p class="{FIGURE_PLACEHOLDER_CLASS}">…</p>'}
        )
    ]
    with pytest.raises(ValueError, match="placeholder"):
        to_html(nb, title="Uji", periode="2025Q4")
    # the same words as data (escaped) are only text
    nb.cells[0].outputs[0].data["text/plain"] = f'class="{FIGURE_PLACEHOLDER_CLASS}"'
    nb.cells[0].outputs[0].data.pop("text/html")
    assert "Uji" in to_html(nb, title="Uji", periode="2025Q4")


def test_a_figure_is_drawn_in_line_when_no_child_can_be_forked(monkeypatch) -> None:
    """Out of memory or of processes, ``fork`` fails: the figure is drawn where it is
    asked for, not lost and not a failed cell."""
    import IPython.display
    from matplotlib.figure import Figure

    from kinerja_analysis.reporting import notebook as N

    shown: list = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: shown.extend(objs))
    monkeypatch.setattr(N, "_DEFER", True)
    monkeypatch.setenv("KINERJA_FIGURE_PROCESSES", "2")

    def no_fork(make):
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(N, "fork_call", no_fork)
    assert N.deferring_figures()
    doc = N.ReportSession(
        ds=None,
        periode="2025Q4",
        tables={},
        period_text="",
        cakupan="",
        bahasa="id",
        opd=None,
        min_sel=5,
        seed=1,
        output_dir=None,
        cache_dir=None,
    )
    fig = Figure(figsize=(2, 2))
    fig.subplots().plot([1, 2])
    doc.figure(fig)
    assert len(shown) == 1 and "<img" in shown[0].data
    assert not N._PENDING
