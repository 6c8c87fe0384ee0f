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

:func:`execute_notebook` is the one call the batch (and its benchmark) makes.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import nbformat
from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

from kinerja_analysis.pipeline.kernels import IPCKernelManager
from kinerja_analysis.pipeline.procs import GUARD_LINE, kernel_exec_lines
from kinerja_analysis.reporting.notebook import DEFER_FIGURES_ENV

__all__ = [
    "ENGINE",
    "FIGURES_TAG",
    "SAVE_EVERY",
    "ReportKernelManager",
    "ThrottledSaveEngine",
    "execute_notebook",
]

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


class ThrottledSaveEngine(NBClientEngine):
    """papermill's nbclient engine with :class:`_ThrottledManager`.

    ``execute_notebook`` is papermill's ``Engine.execute_notebook`` (papermill 2.6) with
    the manager class changed: papermill has no option for it.
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


papermill_engines.register(ENGINE, ThrottledSaveEngine)

#: The tag of the cell :func:`execute_notebook` adds after a notebook's last cell; the
#: exports leave it out, as papermill's ``injected-parameters``.
FIGURES_TAG = "injected-figures"
# a notebook that never imported the package has no figure pending: nothing imported,
# and no name of the notebook's namespace is bound
#: Start-up line of the batch's kernel: importing the module takes the flag and removes
#: the variable from the kernel's environment before any cell runs, so that no process a
#: cell starts (a nested papermill run, say) inherits it.
_TAKE_FIGURES_FLAG = '__import__("kinerja_analysis.reporting.notebook")'
_FINISH_FIGURES = """\
if "kinerja_analysis.reporting.notebook" in __import__("sys").modules:
    __import__("kinerja_analysis.reporting.notebook", fromlist=["_"]).finish_figures()
"""


class ReportKernelManager(IPCKernelManager):
    """The batch's kernel: IPC sockets (:class:`IPCKernelManager`), and figures drawn
    in forked children while the notebook goes on (:data:`DEFER_FIGURES_ENV` set in
    its environment; :func:`execute_notebook` adds the cell that puts them in place)."""

    async def start_kernel(self, **kw: Any) -> None:
        env = dict(kw.pop("env", None) or os.environ)
        env[DEFER_FIGURES_ENV] = "1"
        await super().start_kernel(env=env, **kw)


def _with_figures_cell(nb: Any) -> Any:
    """A copy of ``nb`` with a last cell that puts the figures drawn meanwhile in place
    (:func:`kinerja_analysis.reporting.notebook.finish_figures`)."""
    out = copy.deepcopy(nb)
    out.cells.append(
        nbformat.v4.new_code_cell(_FINISH_FIGURES, id=FIGURES_TAG, metadata={"tags": [FIGURES_TAG]})
    )
    return out


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

    return pm.execute_notebook(
        _with_figures_cell(nb),
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
        extra_arguments=[kernel_exec_lines(GUARD_LINE, _TAKE_FIGURES_FLAG)],
        kernel_manager_class=ReportKernelManager,
    )
