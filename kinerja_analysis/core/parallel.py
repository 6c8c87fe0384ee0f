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
with :func:`os._exit`. On Linux a child asks to be killed when this process dies
(:func:`set_pdeathsig`), so a parent killed outright leaves no child computing. Where there is no ``fork`` (Windows) or one process is asked for,
the items are mapped in this process.

:func:`fork_start` starts the same children and returns at once, so that this process
goes on with other work while they compute; its :meth:`Forked.result` collects them. A
run's XLSX is written so while its PDF renders
(:func:`kinerja_analysis.pipeline.batch.render_outputs`). A child started early may
need an array this process computes meanwhile: :class:`SharedArray` hands it over once
it is ready (the 360° rater model's noise probes wait so for the ratings' column
ordering, :mod:`kinerja_analysis.domain.perilaku`).

Results and warnings are the same as a plain ``[fn(x) for x in items]``: a child's
warnings are raised again here (with the place in the code that raised them), and when a
child fails its share is done again here, so an exception is raised from this process
with its usual traceback.
"""

from __future__ import annotations

import contextlib
import gc
import mmap
import os
import pickle
import select
import signal
import struct
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import TypeVar

import numpy as np

try:
    import fcntl
except ImportError:  # Windows: no pipes to size (and no fork)
    fcntl = None

__all__ = [
    "Forked",
    "SharedArray",
    "available_cpus",
    "fork_call",
    "fork_map",
    "fork_start",
    "set_pdeathsig",
]

_PR_SET_PDEATHSIG = 1

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
    _check_processes(processes)
    items = list(items)
    n = min(processes, len(items))
    if n <= 1 or not hasattr(os, "fork"):
        return [fn(x) for x in items]
    shares = _shares(len(items), n)
    forked = Forked(fn, items, shares[1:])
    try:
        here = {i: fn(items[i]) for i in shares[0]}
    except BaseException:
        forked.cancel()  # this process failed first: stop the others
        raise
    done = forked.result()
    return [here[i] if i in here else done[i] for i in range(len(items))]


def fork_start(fn: Callable[[T], R], items: Sequence[T], processes: int) -> Forked:
    """Start ``[fn(x) for x in items]`` in up to ``processes`` forked children and
    return at once; :meth:`Forked.result` collects the list.

    This process goes on meanwhile (a run renders its PDF while its XLSX is written).
    The children work on the items as they are now: what ``fn`` reads is inherited at
    the fork, so a later change here is not seen there. Where there is no ``os.fork``,
    the items are mapped here, now. Results, warnings and errors are those of
    :func:`fork_map`, raised from :meth:`Forked.result`.

    Raises
    ------
    ValueError
        ``processes`` below 1.

    Examples
    --------
    >>> job = fork_start(lambda x: x + 1, [1, 2, 3], processes=2)
    >>> job.result()
    [2, 3, 4]
    """
    _check_processes(processes)
    items = list(items)
    n = min(processes, len(items))
    if not hasattr(os, "fork") or n < 1:
        return Forked(fn, items, [], ready=[fn(x) for x in items])
    return Forked(fn, items, _shares(len(items), n))


def fork_call(make: Callable[[], R]) -> Forked:
    """:func:`fork_start` of one call without arguments: ``make()`` in one forked child;
    ``result()`` is ``[make()]``.

    >>> fork_call(lambda: "selesai").result()
    ['selesai']
    """
    return fork_start(_call, [make], 1)


def _check_processes(processes: object) -> None:
    if isinstance(processes, bool) or not isinstance(processes, int) or processes < 1:
        raise ValueError(f"processes must be a whole number >= 1, got {processes!r}")


def _shares(n_items: int, n: int) -> list[range]:
    """Item ``i`` goes to share ``i % n``."""
    return [range(i, n_items, n) for i in range(n)]


def _call(make: Callable[[], R]) -> R:
    return make()


class Forked:
    """Children computing ``fn`` over shares of ``items`` (:func:`fork_start`).

    Each child's results wait in its pipe until :meth:`result` reads them (a child whose
    results outgrow the pipe's buffer waits there, its work done). :meth:`cancel` stops
    the children that are left; so does a failing :meth:`result`.
    """

    def __init__(self, fn, items: list, shares: Sequence[range], ready: list | None = None):
        self._fn, self._items = fn, items
        self._results: list | None = ready
        self._children: list[tuple[int, int, range]] = []
        try:
            for share in shares:
                self._children.append((*_fork_child(fn, items, share), share))
        except BaseException:
            self.cancel()
            raise

    def result(self) -> list:
        """The results in the order of the items, once; warnings and errors as
        :func:`fork_map` raises them (a failed child's share is done again here)."""
        if self._results is not None:
            return self._results
        results: dict[int, object] = {}
        try:
            while self._children:
                pid, fd, share = self._children[0]
                payload = _read_all(fd)  # an interrupt here: the finally below stops it
                self._children.pop(0)
                _OPEN.discard(fd)
                os.close(fd)
                try:
                    _, status = os.waitpid(pid, 0)
                except ChildProcessError:
                    # already reaped by the system (SIGCHLD ignored in this process):
                    # a child writes its payload only once its work succeeded
                    status = 0
                values = _results(status, payload, self._fn, self._items, share)
                results.update(zip(share, values, strict=True))
        finally:
            self.cancel()
        self._results = [results.get(i) for i in range(len(self._items))]
        return self._results

    def cancel(self) -> None:
        """Stop the children that have not been collected (their results are lost)."""
        while self._children:
            pid, fd, _ = self._children.pop()
            _stop(pid, fd)


class SharedArray:
    """An array this process fills once, readable by children forked before it is filled.

    Made before :func:`fork_call` or :func:`fork_start`: the values live in an anonymous
    shared mapping, and a pipe says when they are there. :meth:`put` (in this process)
    fills them once; :meth:`get` returns a copy: in a child it first waits until
    :meth:`put` (or :meth:`close`) has run, in this process it needs :meth:`put` to
    have run already (a child's share done again here, :func:`fork_map`, comes after
    it). Any number of children may wait: the pipe's one byte is never read, only
    waited for. Why not :mod:`multiprocessing.shared_memory`: a named segment outlives
    a process killed before it unlinks it; an anonymous mapping goes with the last
    process using it.

    Only for real children: where there is no ``os.fork`` (Windows), :func:`fork_call`
    runs its call at once, before :meth:`put` — check ``hasattr(os, "fork")`` first and
    otherwise call after :meth:`put`. And :meth:`put` before :meth:`Forked.result`:
    a child waiting for values the parent only puts after collecting it waits until
    the parent gives up (nothing tells it otherwise).

    Parameters
    ----------
    shape, dtype
        Of the array to hand over (fixed: the child maps it before it is filled).

    Raises
    ------
    ValueError
        :meth:`put` of another shape, or a second time.
    RuntimeError
        :meth:`get` in this process before :meth:`put`, or in a child after
        :meth:`close` without :meth:`put`.

    Examples
    --------
    >>> order = SharedArray(3, np.int64)
    >>> child = fork_call(lambda: order.get() * 2) if hasattr(os, "fork") else None
    >>> order.put(np.array([2, 0, 1]))  # a child started above waits until now
    >>> (child.result()[0] if child else order.get() * 2).tolist(), order.get().tolist()
    ([4, 0, 2], [2, 0, 1])
    >>> order.close()
    """

    _PENDING, _FILLED, _CLOSED = 0, 1, 2
    _HEADER = 64  #: bytes before the values: their state, then alignment

    def __init__(self, shape: int | tuple[int, ...], dtype: np.typing.DTypeLike) -> None:
        self._owner = os.getpid()
        self._shape = (shape,) if isinstance(shape, int) else tuple(shape)
        self._dtype = np.dtype(dtype)
        self._count = int(np.prod(self._shape))
        # MAP_SHARED | MAP_ANONYMOUS: the same pages in this process and its children
        self._map = mmap.mmap(-1, self._HEADER + self._count * self._dtype.itemsize)
        self._read, self._write = os.pipe()

    def _state(self) -> int:
        if self._map.closed:  # closed here (close): as good as closed unfilled
            return self._CLOSED
        return self._map[0]

    def _values(self) -> np.ndarray:
        view = np.frombuffer(self._map, self._dtype, self._count, offset=self._HEADER)
        return view.reshape(self._shape)

    def put(self, values: np.ndarray) -> None:
        """Fill the array (this process, once) and tell the children it is there."""
        values = np.asarray(values)
        if self._state() != self._PENDING or values.shape != self._shape:
            again = " again" if self._state() != self._PENDING else ""
            raise ValueError(
                f"SharedArray.put: once, of shape {self._shape}; got {values.shape}{again}"
            )
        self._values()[...] = values
        self._map[0] = self._FILLED
        os.write(self._write, b"\x01")  # readable from now on: every waiting child wakes

    def get(self) -> np.ndarray:
        """A copy of the values (in a child: once :meth:`put` has run in the parent)."""
        if os.getpid() == self._owner:
            if self._state() != self._FILLED:
                raise RuntimeError("SharedArray.get before put (or after close) here")
        else:
            if self._write >= 0:  # this child's copy: the pipe ends when the parent's does
                with contextlib.suppress(OSError):
                    os.close(self._write)
                self._write = -1
            waiting = select.poll()  # poll, not select: any descriptor number
            waiting.register(self._read, select.POLLIN)
            while self._state() == self._PENDING:
                waiting.poll()  # until the byte is there; it stays for the others
                if self._state() == self._PENDING:
                    # woken with nothing put (put and close set the state before the
                    # byte): the parent is gone without a word (where no death signal
                    # took this child with it), or the pipe is unusable; nothing will come
                    raise RuntimeError("SharedArray: the parent is gone before put")
            if self._state() != self._FILLED:
                raise RuntimeError("SharedArray: the parent closed it before put")
        return self._values().copy()

    def close(self) -> None:
        """Release the pipe and the mapping here (in the process that puts: a child
        still waiting is told; in a child: its own copies only)."""
        mine = os.getpid() == self._owner  # a child's close releases its copies only
        with contextlib.suppress(OSError, ValueError):
            if mine and self._state() == self._PENDING and self._write >= 0:
                self._map[0] = self._CLOSED
                os.write(self._write, b"\x00")
        for fd in (self._read, self._write):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        # once only: a second close must not close the numbers again, by then perhaps
        # another file's (review helper-75)
        self._read = self._write = -1
        with contextlib.suppress(BufferError):
            self._map.close()


def _stop(pid: int, fd: int) -> None:
    """Kill a child, close its pipe and reap it (each step may already be done)."""
    _OPEN.discard(fd)
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.close(fd)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


#: Read ends of the pipes of children not yet collected (a child closes its copies).
_OPEN: set[int] = set()

#: Pipe capacity asked for (Linux; an unprivileged process may ask up to
#: ``/proc/sys/fs/pipe-max-size``, 1 MiB by default); elsewhere the system's default.
_PIPE_SIZE = 1 << 20
_F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None

#: The length of a child's payload, written before it (8 bytes, little-endian).
_SIZE = struct.Struct("<Q")


def _fork_child(fn, items, share) -> tuple[int, int]:
    """Start a child computing ``fn`` on ``items[share]``; (its pid, read end of its pipe)."""
    read, write = os.pipe()
    if _F_SETPIPE_SZ is not None:
        # room for a report figure's payload (a few hundred kB): a child that is done
        # exits at once instead of waiting, with its copy of the parent's memory, for
        # the parent to read
        with contextlib.suppress(OSError):
            fcntl.fcntl(write, _F_SETPIPE_SZ, _PIPE_SIZE)
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 1
        try:
            # a parent killed outright (kill -9, out of memory) takes its child with it
            # rather than leaving it computing for no one
            set_pdeathsig()
            if os.getppid() != parent:  # already gone before the request took effect
                os._exit(1)
            os.close(read)
            for fd in _OPEN:  # other children's pipes: only their parent reads them
                with contextlib.suppress(OSError):
                    os.close(fd)
            gc.disable()
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                out = [fn(items[i]) for i in share]
            # each warning once per place, as a plain loop under the default filter shows it
            raised = list(
                dict.fromkeys((str(w.message), w.category, w.filename, w.lineno) for w in caught)
            )
            payload = pickle.dumps((out, raised), protocol=pickle.HIGHEST_PROTOCOL)
            # its length first: a payload cut short (a child killed while writing, its exit
            # status lost where SIGCHLD is ignored) is told from a whole one
            view = memoryview(_SIZE.pack(len(payload)) + payload)
            while view:
                view = view[os.write(write, view) :]
            code = 0
        except BaseException:  # noqa: BLE001 - the parent does this share again and raises
            pass
        finally:
            os._exit(code)
    os.close(write)
    _OPEN.add(read)
    return pid, read


def _read_all(fd: int) -> bytes:
    """Everything a child writes to its pipe, until it closes it."""
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _results(status: int, payload: bytes, fn, items, share) -> list:
    """A child's results (its warnings raised here), or its share done here if it failed."""
    head = payload[: _SIZE.size]
    whole = len(head) == _SIZE.size and len(payload) == _SIZE.size + _SIZE.unpack(head)[0]
    if os.waitstatus_to_exitcode(status) != 0 or not whole:
        return [fn(items[i]) for i in share]
    out, raised = pickle.loads(payload[_SIZE.size :])  # written by our own child just now
    for message, category, filename, lineno in raised:
        # where the child's code raised it, as a plain call would say (the filters see
        # the same place; a warning shown "once" there is shown once per call)
        warnings.warn_explicit(message, category, filename, lineno)
    return out


def set_pdeathsig(sig: int = signal.SIGKILL if hasattr(signal, "SIGKILL") else 9) -> bool:
    """Ask Linux to send ``sig`` to this process when its parent thread ends
    (``prctl(PR_SET_PDEATHSIG)``; no library offers it without a compiled extension).

    Returns ``False`` where that is not available (other systems).
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes  # lazy: Linux only

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0
    except (OSError, AttributeError):  # pragma: no cover - no libc/prctl
        return False
