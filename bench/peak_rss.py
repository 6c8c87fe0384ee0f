"""Peak memory of a process tree, for the benchmarks (``bench_scale``, ``bench_batch``)."""

from __future__ import annotations

import threading

import psutil


class PeakRSS:
    """Peak summed RSS of a process and all its descendants, sampled in a thread.

    ``pid`` is the process to watch (default: this one). Use as a context manager
    (``with PeakRSS() as m: …; m.peak``) or start and :meth:`stop` by hand.
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
            for p in procs:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(self.every)

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
