"""Processes of a batch: one batch per report folder, and no process outlives its parent.

- :class:`FolderLock` — an exclusive lock on a folder (``flock`` on the folder itself,
  so nothing is written into a stakeholder folder). A second batch on the same ``--out``
  stops at once with :class:`FolderBusy`, or waits up to ``wait`` seconds.
- :func:`die_with_parent` — called first thing in every pool worker and, through
  :data:`KERNEL_GUARD`, in every Jupyter kernel: when the parent process is gone (even
  after ``kill -9``) the process kills its own children and exits. On Linux it also
  asks the kernel for ``PR_SET_PDEATHSIG`` (SIGKILL), which acts at once; a watchdog
  thread that polls the parent's pid covers every other case (a parent thread that
  exited, other systems).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from kinerja_analysis.core.parallel import set_pdeathsig

__all__ = [
    "FolderBusy",
    "FolderLock",
    "GUARD_LINE",
    "KERNEL_GUARD",
    "die_with_parent",
    "kernel_exec_lines",
    "set_pdeathsig",
]


class FolderBusy(RuntimeError):
    """Another process holds the folder's lock."""


class FolderLock:
    """Exclusive, process-wide lock on a folder; released when the process ends.

    Parameters
    ----------
    folder
        An existing folder.
    wait
        Seconds to wait for the lock; 0 stops at once.

    Raises
    ------
    FolderBusy
        The lock is held by another process after ``wait`` seconds.
    """

    def __init__(self, folder: str | os.PathLike, wait: float = 0.0) -> None:
        self.folder = Path(folder)
        self.wait = wait
        self._fd: int | None = None

    def acquire(self) -> FolderLock:
        try:
            import fcntl  # lazy: POSIX only
        except ImportError:  # pragma: no cover - Windows
            return self._acquire_file()
        fd = os.open(self.folder, os.O_RDONLY)
        return self._hold(
            fd, lambda: fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB), BlockingIOError
        )

    def _acquire_file(self) -> FolderLock:  # pragma: no cover - Windows
        import msvcrt  # lazy: Windows only

        p = self.folder.parent / f".{self.folder.name}.lock"
        fd = os.open(p, os.O_RDWR | os.O_CREAT)
        return self._hold(fd, lambda: msvcrt.locking(fd, msvcrt.LK_NBLCK, 1), OSError)

    def _hold(self, fd: int, try_lock: Callable[[], object], taken: type[OSError]) -> FolderLock:
        """Call ``try_lock`` on ``fd`` (non-blocking; raises ``taken`` while another
        process holds the lock) every 0.2 s until it succeeds or ``wait`` seconds pass."""
        deadline = time.monotonic() + self.wait
        while True:
            try:
                try_lock()
                self._fd = fd
                return self
            except taken:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise FolderBusy(str(self.folder)) from None
                time.sleep(0.2)

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)  # closing the descriptor releases flock
            self._fd = None

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _kill_children() -> None:
    try:
        import psutil  # lazy: only when the parent is gone
    except ImportError:  # pragma: no cover - psutil is a dependency of jupyter
        return
    try:
        kids = psutil.Process().children(recursive=True)
    except psutil.Error:  # pragma: no cover
        return
    for k in kids:
        with contextlib.suppress(psutil.Error):
            k.kill()


def die_with_parent(poll: float = 0.25, *, pdeathsig: bool = True) -> None:
    """End this process (and its children) as soon as its parent process is gone.

    Parameters
    ----------
    poll
        Seconds between checks of the parent's pid.
    pdeathsig
        Also set Linux's ``PR_SET_PDEATHSIG`` (only safe when the parent's forking
        thread lives as long as the parent, e.g. the pool workers of a batch).
    """
    parent = os.getppid()
    if pdeathsig:
        set_pdeathsig()
    if os.getppid() != parent or parent == 1:  # already orphaned
        _kill_children()
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(poll)
            if os.getppid() != parent:
                _kill_children()
                os._exit(1)

    threading.Thread(target=watch, name="kinerja-parent-watch", daemon=True).start()


#: The start-up line of :data:`KERNEL_GUARD`.
GUARD_LINE = (
    '__import__("kinerja_analysis.pipeline.procs", fromlist=["x"]).die_with_parent(pdeathsig=False)'
)


def kernel_exec_lines(*lines: str) -> str:
    """The ipykernel argument that runs ``lines`` at start-up, before any notebook cell
    (``--IPKernelApp.exec_lines``; one argument for all of them, since a second such
    argument would replace the first). Each line must be a single Python statement.

    >>> kernel_exec_lines("x = 1", "y = 2")
    "--IPKernelApp.exec_lines=['x = 1', 'y = 2']"
    """
    return f"--IPKernelApp.exec_lines={list(lines)!r}"


#: Kernel argument: ipykernel runs :data:`GUARD_LINE` at start-up, before any cell.
KERNEL_GUARD = kernel_exec_lines(GUARD_LINE)
