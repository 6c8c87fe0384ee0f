"""Map a function over a few items in forked child processes, in order.

:func:`fork_map` is for short CPU-bound work on objects that live in this process and are
costly or impossible to send to another one (matplotlib figures): each child is a fork
that inherits the items, runs the function on its share and sends back only the pickled
results. A report's figures are drawn this way on a machine with a free core
(:func:`kinerja_analysis.reporting.notebook.figure_pngs`).

Why not a library: :mod:`multiprocessing` and :mod:`concurrent.futures` pools pickle the
function and the items to their workers (a figure does not survive that cheaply), and
their forked workers flush the parent's standard streams on exit — in a Jupyter kernel
those are sockets of the parent. A child here touches nothing of the parent's: it
disables the garbage collector (a collection would copy the parent's heap page by page),
records its warnings instead of printing them, writes one pickle to a pipe and leaves
with :func:`os._exit`. Where there is no ``fork`` (Windows) or one process is asked for,
the items are mapped in this process.

Results and warnings are the same as a plain ``[fn(x) for x in items]``: a child's
warnings are raised again here (with the place in the code that raised them), and when a
child fails its share is done again here, so an exception is raised from this process
with its usual traceback.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import warnings
from collections.abc import Callable, Sequence
from typing import TypeVar

__all__ = ["available_cpus", "fork_map"]

T = TypeVar("T")
R = TypeVar("R")


def available_cpus() -> int:
    """CPUs this process may run on (its affinity where the platform says, else all)."""
    with contextlib.suppress(AttributeError, OSError):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def fork_map(fn: Callable[[T], R], items: Sequence[T], processes: int) -> list[R]:
    """``[fn(x) for x in items]``, shared among up to ``processes`` processes.

    Parameters
    ----------
    fn
        Called once per item; its result must be picklable. Its side effects happen in
        the process that ran it (a child's are lost), so ``fn`` should not have any that
        matter.
    items
        Sequence of inputs; item ``i`` goes to process ``i % n``. This process takes
        share 0 while the children work.
    processes
        Processes in all, this one included; 1 (or no ``os.fork``) maps here.

    Returns
    -------
    list
        The results in the order of ``items``.

    Raises
    ------
    ValueError
        ``processes`` below 1.
    Exception
        Whatever ``fn`` raises, from this process.

    Examples
    --------
    >>> fork_map(lambda x: x * x, [1, 2, 3], processes=2)
    [1, 4, 9]
    """
    if isinstance(processes, bool) or not isinstance(processes, int) or processes < 1:
        raise ValueError(f"processes must be a whole number >= 1, got {processes!r}")
    items = list(items)
    n = min(processes, len(items))
    if n <= 1 or not hasattr(os, "fork"):
        return [fn(x) for x in items]
    shares = [range(i, len(items), n) for i in range(n)]
    children: list[tuple[int, int, range]] = []
    results: list = [None] * len(items)
    try:
        for share in shares[1:]:
            children.append((*_fork_child(fn, items, share), share))
        for i in shares[0]:
            results[i] = fn(items[i])
        while children:
            pid, fd, share = children[0]
            payload = _read_all(fd)  # an interrupt here: the finally below stops it
            children.pop(0)
            os.close(fd)
            _, status = os.waitpid(pid, 0)
            for i, value in zip(share, _results(status, payload, fn, items, share), strict=True):
                results[i] = value
    finally:
        for pid, fd, _ in children:  # this process failed first: stop the others
            _stop(pid, fd)
    return results


def _stop(pid: int, fd: int) -> None:
    """Kill a child, close its pipe and reap it (each step may already be done)."""
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.close(fd)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _fork_child(fn, items, share) -> tuple[int, int]:
    """Start a child computing ``fn`` on ``items[share]``; (its pid, read end of its pipe)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 1
        try:
            os.close(read)
            gc.disable()
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                out = [fn(items[i]) for i in share]
            raised = [(str(w.message), w.category, w.filename, w.lineno) for w in caught]
            payload = pickle.dumps((out, raised), protocol=pickle.HIGHEST_PROTOCOL)
            view = memoryview(payload)
            while view:
                view = view[os.write(write, view) :]
            code = 0
        except BaseException:  # noqa: BLE001 - the parent does this share again and raises
            pass
        finally:
            os._exit(code)
    os.close(write)
    return pid, read


def _read_all(fd: int) -> bytes:
    """Everything a child writes to its pipe, until it closes it."""
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _results(status: int, payload: bytes, fn, items, share) -> list:
    """A child's results (its warnings raised here), or its share done here if it failed."""
    if os.waitstatus_to_exitcode(status) != 0 or not payload:
        return [fn(items[i]) for i in share]
    out, raised = pickle.loads(payload)  # written by our own child just now
    for message, category, filename, lineno in raised:
        # where the child's code raised it, as a plain call would say (the filters see
        # the same place; a warning shown "once" there is shown once per call)
        warnings.warn_explicit(message, category, filename, lineno)
    return out
