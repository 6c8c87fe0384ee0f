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

A report's figures are drawn while its later cells run: the kernel is started with
:data:`~kinerja_analysis.reporting.notebook.FIGURES_LATER_ENV` set, so that
``doc.figure`` starts the drawing in a forked child and shows an empty placeholder; after
the notebook's last cell, the engine runs :data:`FINISH_FIGURES` in the same kernel
(:class:`_FinishingClient`), which waits for the figures and puts each in its
placeholder (a Jupyter display update, which nbclient applies to the cell that showed
it). That last call is not kept in the executed notebook unless it shows something: a
figure that failed, or a warning, is then in a last cell of its own, where papermill
reports it like any failing cell.

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

from kinerja_analysis.pipeline.procs import KERNEL_GUARD_LINE

__all__ = ["ENGINE", "FINISH_FIGURES", "SAVE_EVERY", "ThrottledSaveEngine", "execute_notebook"]

#: Seconds between two saves of a running notebook (a failing cell's and the final
#: save are always made).
SAVE_EVERY = 5.0
#: The engine's name in papermill's registry.
ENGINE = "kinerja"
#: The kernel's environment variable that makes a report's figures drawn while its later
#: cells run (the value of ``reporting.notebook.FIGURES_LATER_ENV``; a lower layer is
#: not imported here: the kernel imports it).
_FIGURES_LATER_ENV = "KINERJA_FIGURES_LATER"
#: Run after a notebook's last cell: show the figures still being drawn (a notebook
#: that never imported the report module has none).
FINISH_FIGURES = (
    "__import__('sys').modules.get('kinerja_analysis.reporting.notebook') "
    "and __import__('sys').modules['kinerja_analysis.reporting.notebook'].finish_figures()"
)
#: Kernel start-up: the parent guard, and figures drawn while later cells run.
_KERNEL_LINES = (
    f"--IPKernelApp.exec_lines=[{KERNEL_GUARD_LINE!r}, "
    f"\"__import__('os').environ.__setitem__('{_FIGURES_LATER_ENV}', '1')\"]"
)


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


class _FinishingClient(PapermillNotebookClient):
    """papermill's client that runs :data:`FINISH_FIGURES` after the last cell.

    The call runs as a last cell, added to the notebook for the time it runs and kept
    only when it has outputs (an error, a warning): papermill then saves and reports it
    like any cell.
    """

    def papermill_execute_cells(self):
        super().papermill_execute_cells()
        if self.nb.metadata.papermill.get("exception"):
            return  # a cell failed: the run stops there, as papermill's does
        cell = nbformat.v4.new_code_cell(FINISH_FIGURES)
        cell.metadata.papermill = {
            "exception": None, "start_time": None, "end_time": None, "duration": None,
            "status": self.nb_man.PENDING,
        }  # fmt: skip
        self.nb.cells.append(cell)
        index = len(self.nb.cells) - 1
        try:
            self.nb_man.cell_start(cell, index)
            self.execute_cell(cell, index, store_history=False)
        except CellExecutionError as ex:
            self.nb_man.cell_exception(cell, cell_index=index, exception=ex)
        finally:
            self.nb_man.cell_complete(cell, cell_index=index)
        if not cell.outputs:
            self.nb.cells.pop()


class ThrottledSaveEngine(NBClientEngine):
    """papermill's nbclient engine with :class:`_ThrottledManager` and
    :class:`_FinishingClient`.

    ``execute_notebook`` is papermill's ``Engine.execute_notebook`` (papermill 2.6) with
    the manager class changed, and ``execute_managed_notebook`` is
    ``NBClientEngine``'s with the client class changed: papermill has no option for
    either.
    """

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
        # NBClientEngine's arguments to its client (papermill 2.6), kept as they are
        kwargs = remove_args(["input_path", "startup_timeout"], **kwargs)
        kwargs["startup_timeout"] = kwargs.pop("start_timeout", 60)
        kwargs["timeout"] = kwargs.pop("execution_timeout", None) or kwargs.get("timeout")
        client = _FinishingClient(nb_man, kernel_name=kernel_name, log=logger, **kwargs)
        return client.execute()

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
        extra_arguments=[_KERNEL_LINES],
        kernel_manager_class=IPCKernelManager,
    )
