"""Figures drawn while the report goes on: in a batch run, each figure of a report is drawn
in a forked child and put in its place when the notebook has run.

A report's figures take about two thirds of the time its notebook computes (matplotlib
lays out and draws every text of a chart), and nothing the notebook does after a figure
depends on it. When the batch's engine (:mod:`kinerja_analysis.pipeline.execution`) has
called :func:`draw_figures_later` in the kernel, :meth:`ReportSession.figure
<kinerja_analysis.reporting.notebook.ReportSession.figure>` starts the figure in a child
(:func:`kinerja_analysis.core.parallel.fork_call`), which sees the notebook's data as they
are at that moment, and shows a placeholder with a Jupyter *display id*; the notebook goes
on with its tables and text on the other core. After the notebook's last cell the engine
calls :func:`finish_figures`, which replaces each placeholder with its figure
(``update_display_data``: the executed notebook holds the figure where it was asked for).

Outside the batch (JupyterLab, a plain papermill run) nothing calls
:func:`draw_figures_later` and figures are drawn in their cell, as before. A notebook
whose figures were started but never finished cannot be exported:
:func:`kinerja_analysis.reporting.export.to_html` refuses a placeholder
(:func:`check_finished`).
"""

from __future__ import annotations

import html as _html
from typing import Any

from kinerja_analysis.core.parallel import ForkedCall

__all__ = [
    "PLACEHOLDER_CLASS",
    "check_finished",
    "draw_figures_later",
    "drawing_later",
    "finish_figures",
    "submit",
]

#: The class of a placeholder's element (an HTML ``<p>``) in a notebook's output.
PLACEHOLDER_CLASS = "grafik-menunggu"

_state: dict[str, Any] = {"on": False}
#: Figures started and not yet in place: (display handle, child drawing its HTML).
_pending: list[tuple[Any, ForkedCall[str]]] = []


def draw_figures_later(on: bool = True) -> None:
    """From now on in this process, draw report figures in forked children (``on``), or
    in their cell again (``False``). Called by the batch's engine before a notebook's
    first cell; whoever calls it must call :func:`finish_figures` after the last one."""
    _state["on"] = bool(on)


def drawing_later() -> bool:
    """Whether :func:`draw_figures_later` is on in this process."""
    return bool(_state["on"])


def submit(call: ForkedCall[str], placeholder: str, limit: int) -> None:
    """Show ``placeholder`` (plain text) where a figure goes and remember ``call``, the
    child drawing the figure's HTML, for :func:`finish_figures`.

    With ``limit`` figures already being drawn, the oldest is finished first, so that at
    most ``limit`` children run beside this process.
    """
    from IPython.display import HTML, display  # lazy: only inside a notebook kernel

    while len(_pending) >= max(1, limit):
        _finish_oldest()
    handle = display(
        HTML(f'<p class="{PLACEHOLDER_CLASS}">{_html.escape(placeholder)}</p>'),
        display_id=True,
    )
    _pending.append((handle, call))


def _finish_oldest() -> None:
    from IPython.display import HTML  # lazy: only inside a notebook kernel

    handle, call = _pending[0]
    try:
        figure = call.result()
    except BaseException:
        _cancel_all()
        raise
    _pending.pop(0)
    handle.update(HTML(figure))


def _cancel_all() -> None:
    while _pending:
        _, call = _pending.pop(0)
        call.cancel()


def finish_figures() -> None:
    """Wait for every figure started with :func:`submit` and put each in its place, in
    the order they were asked for.

    Raises
    ------
    Exception
        Whatever drawing a figure raises (a failed child's figure is drawn again here,
        so the error has its usual traceback); the figures not yet in place are then
        dropped and their children stopped.
    """
    while _pending:
        _finish_oldest()


def check_finished(html: str) -> None:
    """Raise ``RuntimeError`` when ``html`` (a notebook output) still holds a figure's
    placeholder: :func:`finish_figures` was not called after :func:`draw_figures_later`.

    >>> check_finished("<p>ready</p>")
    """
    if f'class="{PLACEHOLDER_CLASS}"' in html:
        raise RuntimeError(
            "the notebook holds a figure placeholder: figures drawn later "
            "(reporting.late.draw_figures_later) were not finished (finish_figures)"
        )
