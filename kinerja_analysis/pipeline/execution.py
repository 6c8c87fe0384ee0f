"""How the batch executes one report notebook: papermill, with the executed notebook
saved as it runs, but not after every cell.

papermill's own option is all or nothing: with ``request_save_on_cell_execute=True`` it
writes the whole notebook (figures included, about 1 MB) when each cell starts and when
it ends — 62 writes and half a second of a 5-second report run — and with ``False`` it
writes nothing until the end, so a worker killed mid-run leaves no trace of where it
was. :class:`ThrottledSaveEngine` (a papermill engine, papermill's documented way to
change execution) keeps papermill's saves but skips those that come less than
:data:`SAVE_EVERY` seconds after the last one; the saves that matter for a diagnosis
are never skipped: a failing cell's, and the final one (papermill makes it also when
the kernel dies; the cell it died in is then marked failed, with the error as its
output, and the cells after it stay pending).

The engine also runs two statements of its own in the kernel, around the notebook's
cells (:class:`_Client`): before the first, :func:`kinerja_analysis.reporting.late.draw_figures_later`
(a report's figures are drawn in forked children while the notebook goes on), and after
the last one that ran without error,
:func:`~kinerja_analysis.reporting.late.finish_figures` (each figure put in its place).
They are not cells of the notebook: what they print, and an error of the second, is
added to the notebook's last code cell, which then counts as the failed one.

:func:`execute_notebook` is the one call the batch (and its benchmark) makes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import nbformat
from nbclient.exceptions import CellExecutionError
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines
from papermill.log import logger
from papermill.utils import remove_args

from kinerja_analysis.pipeline.procs import KERNEL_GUARD

__all__ = ["ENGINE", "SAVE_EVERY", "ThrottledSaveEngine", "execute_notebook"]

#: Seconds between two saves of a running notebook (a failing cell's and the final
#: save are always made).
SAVE_EVERY = 5.0
#: The engine's name in papermill's registry.
ENGINE = "kinerja"


class _ThrottledManager(NotebookExecutionManager):
    """papermill's execution manager, whose routine saves come at most every
    :data:`SAVE_EVERY` seconds."""

    _force = False
    #: The cell started last, and whether a cell raised (papermill marks that one).
    _started: Any = None
    _raised = False

    def save(self, **kwargs: Any) -> None:
        since = (self.now() - self.last_save_time).total_seconds()
        if self._force or since >= SAVE_EVERY:
            super().save(**kwargs)

    def cell_start(self, cell, cell_index=None, **kwargs):
        self._started = cell
        return super().cell_start(cell, cell_index=cell_index, **kwargs)

    def cell_exception(self, cell, cell_index=None, **kwargs):
        self._raised = True
        self._force = True
        try:
            return super().cell_exception(cell, cell_index=cell_index, **kwargs)
        finally:
            self._force = False

    def execution_failed(self, exc: BaseException) -> None:
        """Mark the cell running when execution stopped without a cell's error (a dead
        kernel, a timeout, an interrupt) as failed, with ``exc`` as its error output.

        papermill then leaves the cells after it pending; without this mark its clean-up
        calls every cell "completed" and the saved notebook reads as a finished run.
        """
        cell = self._started
        if self._raised or cell is None:
            return
        cell.metadata.papermill["exception"] = True
        cell.metadata.papermill["status"] = self.FAILED
        self.nb.metadata.papermill["exception"] = True
        cell.outputs.append(
            nbformat.v4.new_output("error", ename=type(exc).__name__, evalue=str(exc), traceback=[])
        )

    def notebook_complete(self, **kwargs):
        self._force = True
        return super().notebook_complete(**kwargs)


#: Run by the engine before the notebook's first cell and after its last one.
_BEGIN = '__import__("kinerja_analysis.reporting.late", fromlist=["*"]).draw_figures_later()'
_END = '__import__("kinerja_analysis.reporting.late", fromlist=["*"]).finish_figures()'


class _Client(PapermillNotebookClient):
    """papermill's notebook client, which runs :data:`_BEGIN` before the notebook's cells
    and :data:`_END` after them when none failed (see the module docstring)."""

    def papermill_execute_cells(self):
        code = [i for i, c in enumerate(self.nb.cells) if c.cell_type == "code"]
        if not code:
            return super().papermill_execute_cells()
        self._statement(_BEGIN, code[0])
        if self.nb_man.nb.metadata.papermill.get("exception"):
            return None  # the statement failed: the notebook's own cells are not run
        super().papermill_execute_cells()
        if not self.nb_man.nb.metadata.papermill.get("exception"):
            self._statement(_END, code[-1])
        return None

    def _statement(self, source: str, owner: int) -> None:
        """Run ``source`` as a cell that is not in the notebook (no execution count);
        its outputs go to cell ``owner``, which is marked failed if it raised."""
        cell = nbformat.v4.new_code_cell(source)
        self.nb.cells.append(cell)
        failed = None
        try:
            self.execute_cell(cell, len(self.nb.cells) - 1, store_history=False)
        except CellExecutionError as exc:
            failed = exc
        finally:
            cell = self.nb.cells.pop()
        self.nb.cells[owner].outputs.extend(cell.outputs)
        if failed is not None:
            self.nb_man.cell_exception(self.nb.cells[owner], cell_index=owner, exception=failed)


class ThrottledSaveEngine(NBClientEngine):
    """papermill's nbclient engine with :class:`_ThrottledManager` and :class:`_Client`.

    ``execute_notebook`` is papermill's ``Engine.execute_notebook`` (papermill 2.6) with
    the manager class changed, ``execute_managed_notebook`` papermill's
    ``NBClientEngine.execute_managed_notebook`` with the client class changed: papermill
    has no option for either.
    """

    @classmethod
    def execute_notebook(
        cls,
        nb,
        kernel_name,
        output_path=None,
        progress_bar=True,
        log_output=False,
        autosave_cell_every=30,
        **kwargs,
    ):
        nb_man = _ThrottledManager(
            nb,
            output_path=output_path,
            progress_bar=progress_bar,
            log_output=log_output,
            autosave_cell_every=autosave_cell_every,
        )
        nb_man.notebook_start()
        try:
            cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
        except BaseException as exc:
            nb_man.execution_failed(exc)
            raise
        finally:
            nb_man.cleanup_pbar()
            nb_man.notebook_complete()
        return nb_man.nb

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
        # papermill's arguments renamed for nbclient as papermill's own engine does
        kwargs = remove_args(["input_path", "startup_timeout"], **kwargs)
        kwargs["timeout"] = kwargs.pop("execution_timeout", None) or kwargs.get("timeout")
        kwargs["startup_timeout"] = kwargs.pop("start_timeout", 60)
        return _Client(nb_man, kernel_name=kernel_name, log=logger, **kwargs).execute()


papermill_engines.register(ENGINE, ThrottledSaveEngine)


def execute_notebook(
    nb: Any, executed: str | os.PathLike, parameters: dict[str, Any], cwd: str | os.PathLike
) -> Any:
    """Run a report notebook as the batch does; the executed notebook.

    Parameters
    ----------
    nb
        The notebook (``nbformat.NotebookNode``, e.g. from
        :func:`kinerja_analysis.pipeline.batch.read_notebook`); not modified.
    executed
        Where the executed notebook is written as it runs (see the module docstring)
        and at the end, also when a cell fails or the kernel dies.
    parameters
        The notebook's parameters (papermill injects them after its ``parameters`` cell).
    cwd
        The kernel's working folder.

    Raises
    ------
    papermill.PapermillExecutionError
        A cell raised; the written notebook holds the error.
    Exception
        Whatever papermill or the kernel raise (a dead kernel, a timeout).
    """
    import papermill as pm  # lazy: jupyter's client stack, only where a notebook runs

    from kinerja_analysis.pipeline.kernels import IPCKernelManager  # lazy: as above

    return pm.execute_notebook(
        nb,
        str(executed),
        parameters=parameters,
        engine_name=ENGINE,
        kernel_name="python3",
        progress_bar=False,
        log_output=False,
        request_save_on_cell_execute=True,
        autosave_cell_every=10,
        cwd=str(Path(cwd)),
        shutdown_kernel="immediate",
        extra_arguments=[KERNEL_GUARD],
        kernel_manager_class=IPCKernelManager,
    )
