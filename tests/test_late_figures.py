"""Figures drawn later (reporting.late): in the batch's engine, a report's figures are
drawn in forked children while the notebook goes on, and the executed notebook ends the
same as one whose figures were drawn in their cells."""

from __future__ import annotations

import os

import nbformat
import papermill
import pytest

from kinerja_analysis.pipeline.execution import execute_notebook
from kinerja_analysis.reporting import export, late
from kinerja_analysis.reporting.notebook import FIGURE_PROCESSES_ENV

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")

#: A report's start and a plot function (data as bars; the width the session asks for
#: is taken whatever its keyword is called).
_SETUP = """
import matplotlib
matplotlib.use("Agg")
from matplotlib.figure import Figure
from kinerja_analysis.reporting.notebook import setup
doc = setup(periode={periode!r}, data_dir={data!r}, bahasa="id")

def bars(values, *, bahasa, **kw):
    fig = Figure(figsize=(3, 2))
    ax = fig.add_subplot()
    ax.bar(range(len(values)), values)
    ax.set_title(f"{{bahasa}}: {{sum(values)}}")
    return fig
"""


def _notebook(*sources: str):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    return nb


def _report(city) -> list[str]:
    return [
        _SETUP.format(periode=city.ds.periods[-1], data=str(city.data_dir)),
        "values = [1, 2, 3]\ndoc.figure(bars, values)",
        # changed after the figure was asked for: the figure shows it as it was
        "values.append(40)\ndoc.figure(bars, values, alt='dua')",
        "doc.say('angka_utama')",
        "doc.figure(bars, [5, 5])",
    ]


def _run(tmp_path, monkeypatch, processes: str, *sources: str, name: str = "run"):
    monkeypatch.setenv(FIGURE_PROCESSES_ENV, processes)
    out = tmp_path / f"{name}.ipynb"
    return execute_notebook(_notebook(*sources), out, {}, tmp_path), out


def _html_outputs(nb) -> list[list[str]]:
    return [["".join(o.get("data", {}).get("text/html", "")) for o in c.outputs] for c in nb.cells]


def test_figures_drawn_later_end_where_they_were_asked_for(tmp_path, monkeypatch, city_300) -> None:
    later, out = _run(tmp_path, monkeypatch, "2", *_report(city_300), name="later")
    in_cell, _ = _run(tmp_path, monkeypatch, "1", *_report(city_300), name="in_cell")
    shown = _html_outputs(later)
    assert shown == _html_outputs(in_cell)  # the same figures (PNG bytes) in the same cells
    assert all(late.PLACEHOLDER_CLASS not in h for cell in shown for h in cell)
    assert ["<img" in "".join(cell) for cell in shown] == [False, True, True, False, True]
    assert "6" in shown[1][0] and "46" not in shown[1][0]  # the data as they were
    # the notebook written to disk is the finished one, and has only its own cells
    on_disk = nbformat.read(out, as_version=4)
    assert _html_outputs(on_disk) == shown
    assert [c.execution_count for c in on_disk.cells] == [1, 2, 3, 4, 5]
    # and it exports (a placeholder left would be refused)
    export.to_html(on_disk, title="t", periode=city_300.ds.periods[-1])


def test_a_figure_that_fails_later_fails_the_run(tmp_path, monkeypatch, city_300) -> None:
    sources = [
        *_report(city_300)[:2],
        "doc.figure(bars, 'not numbers')",  # fails when drawn, in the child and again here
        "x = 1",
    ]
    with pytest.raises(papermill.PapermillExecutionError) as info:
        _run(tmp_path, monkeypatch, "2", *sources)
    # named as the last cell's error, with the plot's own exception
    assert info.value.cell_index == 3
    cells = [
        c
        for c in nbformat.read(tmp_path / "run.ipynb", as_version=4).cells
        if c.cell_type == "code"
    ]
    assert [c.metadata.papermill["status"] for c in cells][-1] == "failed"
    (error,) = [o for o in cells[-1].outputs if o.output_type == "error"]
    assert error.ename in {"TypeError", "ValueError"}


def test_after_a_failing_cell_figures_are_not_finished(tmp_path, monkeypatch, city_300) -> None:
    sources = [*_report(city_300)[:2], "1 / 0", "doc.figure(bars, [1])"]
    with pytest.raises(papermill.PapermillExecutionError, match="ZeroDivisionError") as info:
        _run(tmp_path, monkeypatch, "2", *sources)
    assert info.value.cell_index == 2
    cells = [
        c
        for c in nbformat.read(tmp_path / "run.ipynb", as_version=4).cells
        if c.cell_type == "code"
    ]
    assert [c.metadata.papermill["status"] for c in cells][-2:] == ["failed", "pending"]
    # the figure asked for before the failure stays a placeholder: never exported
    shown = "".join("".join(o.get("data", {}).get("text/html", "")) for o in cells[1].outputs)
    assert late.PLACEHOLDER_CLASS in shown


def test_an_unfinished_figure_cannot_be_exported() -> None:
    nb = _notebook("doc.figure(...)")
    nb.cells[0].outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={"text/html": f'<p class="{late.PLACEHOLDER_CLASS}">(gambar sedang dibuat…)</p>'},
        )
    ]
    with pytest.raises(RuntimeError, match="not finished"):
        export.to_html(nb, title="t", periode="2025Q4")


def test_a_placeholder_class_in_data_is_only_text() -> None:
    """Data cannot make a placeholder: every renderer escapes the quotes of an attribute."""
    late.check_finished("<td>class=&quot;grafik-menunggu&quot;</td>")
