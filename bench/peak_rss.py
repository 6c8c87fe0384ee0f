"""Peak memory of a process tree, for the benchmarks (``bench_scale``, ``bench_batch``)."""

from __future__ import annotations

import threading

import psutil


class PeakRSS:
    """Peak memory of a process and all its descendants, sampled in a thread.

    A lone process counts its RSS. Several are summed as PSS where the system reports it
    (Linux: a page that ``n`` processes share counts ``1/n`` in each, so a forked child's
    view of its parent's data is counted once, as the machine holds it), else as RSS
    (which counts such a page in every process that maps it); PSS is read at most once a
    second, as reading it walks the processes' page tables (CPU taken from the work
    measured). ``pid`` is the process to watch (default:
    this one). Use as a context manager (``with PeakRSS() as m: …; m.peak``) or start and
    :meth:`stop` by hand.
    """

    def __init__(self, pid: int | None = None, every: float = 0.2) -> None:
        self.pid, self.every, self.peak = pid, every, 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                procs = []
            total = 0
            shared = len(procs) > 1  # PSS only then: reading it walks the page tables
            for p in procs:
                try:
                    total += _resident(p) if shared else p.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(max(self.every, 1.0) if shared else self.every)

    def start(self) -> PeakRSS:
        self._t.start()
        return self

    def stop(self) -> int:
        self._stop.set()
        self._t.join()
        return self.peak

    def __enter__(self) -> PeakRSS:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _resident(p: psutil.Process) -> int:
    """PSS of ``p`` where the system reports it, else RSS."""
    try:
        pss = getattr(p.memory_full_info(), "pss", None)
    except psutil.AccessDenied:
        pss = None
    return p.memory_info().rss if pss is None else pss
