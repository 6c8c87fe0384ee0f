"""fork_map and fork_start: the results, order, warnings and errors of a plain map; figures drawn in
forked children are the same bytes."""

from __future__ import annotations

import os
import sys
import warnings

import pytest

from kinerja_analysis.core import parallel
from kinerja_analysis.core.parallel import available_cpus, fork_map, fork_start

fork_only = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def _square(x: int) -> int:
    return x * x


@pytest.mark.parametrize("processes", [1, 2, 3, 8])
def test_same_results_in_the_same_order(processes) -> None:
    items = list(range(11))
    assert fork_map(_square, items, processes) == [x * x for x in items]
    assert fork_map(_square, [], processes) == []


@fork_only
def test_work_happens_in_other_processes() -> None:
    pids = fork_map(lambda _: os.getpid(), range(4), 2)
    assert pids[0] == pids[2] == os.getpid()  # share 0 stays here
    assert pids[1] == pids[3] != os.getpid()


@fork_only
def test_a_childs_warning_is_raised_here() -> None:
    def warn(x):
        if x % 2:
            warnings.warn(f"odd {x}", RuntimeWarning, stacklevel=1)
        return x

    with pytest.warns(RuntimeWarning, match="odd [13]") as record:
        assert fork_map(warn, [0, 1, 2, 3], 2) == [0, 1, 2, 3]
    assert sorted(str(w.message) for w in record) == ["odd 1", "odd 3"]
    # the place is the child's code that raised it, as a plain map would say
    line = warn.__code__.co_firstlineno + 2
    assert {(w.filename, w.lineno) for w in record} == {(__file__, line)}


def _record_forks(monkeypatch) -> list[int]:
    """The pids fork_map's children get from now on (this process may have other
    children, such as multiprocessing's resource tracker, started by other tests)."""
    forked: list[int] = []
    real_fork = os.fork

    def fork():
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return forked


def _reaped(pids: list[int]) -> bool:
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            continue
        return False
    return True


def _failing_on_3(parent: int):
    """A function failing on item 3, saying in which process (``parent``: this one)."""

    def fail(x):
        if x == 3:
            raise KeyError(f"item {x} in {'child' if os.getpid() != parent else 'parent'}")
        return x

    return fail


@fork_only
def test_an_error_is_raised_here_and_no_child_is_left(monkeypatch) -> None:
    forked = _record_forks(monkeypatch)
    fail = _failing_on_3(os.getpid())
    with pytest.raises(KeyError, match="item 3 in parent"):
        fork_map(fail, range(6), 3)
    # a child's error: its share is done again here, which raises with a local traceback
    with pytest.raises(KeyError, match="item 3 in parent"):
        fork_map(fail, [0, 3], 2)
    # the parent failing first stops its children
    with pytest.raises(KeyError, match="item 3 in parent"):
        fork_map(fail, [3, 1, 2, 4], 2)
    assert len(forked) == 4
    assert _reaped(forked)


@fork_only
def test_a_child_that_dies_has_its_share_done_here() -> None:
    parent = os.getpid()

    def die_in_child(x):
        if os.getpid() != parent:
            os._exit(3)
        return -x

    assert fork_map(die_in_child, [1, 2, 3, 4], 2) == [-1, -2, -3, -4]


def test_a_payload_cut_short_has_its_share_done_here(monkeypatch) -> None:
    """A child that ends with status 0 halfway through sending its results (killed while
    writing, where SIGCHLD is ignored and its status is lost) has its share done here,
    rather than its half a payload read (review helper-64)."""
    parent = os.getpid()
    real_write = os.write

    def cut(fd, data):
        if os.getpid() == parent:
            return real_write(fd, data)
        real_write(fd, bytes(data[: len(data) // 2]))
        os._exit(0)

    monkeypatch.setattr(os, "write", cut)
    where = fork_map(lambda _: os.getpid(), list(range(6)), 2)
    assert where == [parent] * 6  # the child's share too, done again here


def test_a_childs_repeated_warning_comes_once() -> None:
    """A warning a child raises at one place for each of its items is raised here once,
    as a plain loop under the default filter would show it."""
    parent = os.getpid()

    def warn(x):
        if os.getpid() != parent:
            warnings.warn("same", RuntimeWarning, stacklevel=1)
        return x

    with pytest.warns(RuntimeWarning, match="same") as record:
        assert fork_map(warn, list(range(8)), 2) == list(range(8))
    assert len(record) == 1


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "2", None])
def test_processes_must_be_a_whole_number(bad) -> None:
    with pytest.raises(ValueError, match="processes must be a whole number"):
        fork_map(_square, [1], bad)
    with pytest.raises(ValueError, match="processes must be a whole number"):
        fork_start(_square, [1], bad)


@pytest.mark.parametrize("processes", [1, 2, 3, 8])
def test_started_work_gives_a_plain_maps_results(processes) -> None:
    items = list(range(11))
    job = fork_start(_square, items, processes)
    assert job.result() == [x * x for x in items]
    assert job.result() == [x * x for x in items]  # collected once, kept
    assert fork_start(_square, [], processes).result() == []


@fork_only
def test_started_work_runs_in_children_while_this_process_goes_on() -> None:
    """All of the work is in children (none waits for this process), and they see the
    items as they were at the start: a change made here afterwards is not theirs."""
    state = {"value": 1}
    job = fork_start(lambda i: (os.getpid(), state["value"] * i), [1, 2, 3, 4], 2)
    state["value"] = 100  # this process goes on and changes its own data
    pids, values = zip(*job.result(), strict=True)
    assert os.getpid() not in pids and len(set(pids)) == 2
    assert list(values) == [1, 2, 3, 4]
    assert not parallel._OPEN  # every pipe read and closed


@fork_only
def test_a_later_child_does_not_hold_an_earlier_childs_pipe(monkeypatch) -> None:
    """Two jobs pending at once: the second job's child closes the first one's pipe,
    so cancelling the first (or this process dying) never leaves it waiting on a
    reader in a sibling."""
    first = fork_start(lambda _: "x" * (1 << 20), [0], 1)  # fills its pipe, then waits
    (fd,) = parallel._OPEN
    second = fork_start(lambda _: _fd_open(fd), [0], 1)
    assert second.result() == [False]
    assert first.result() == ["x" * (1 << 20)]
    assert not parallel._OPEN


def _fd_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


@fork_only
def test_a_started_jobs_error_is_raised_when_collected_and_cancel_stops_it(monkeypatch):
    forked = _record_forks(monkeypatch)
    job = fork_start(_failing_on_3(os.getpid()), [0, 3, 1], 2)
    with pytest.raises(KeyError, match="item 3 in parent"):
        job.result()
    slow = fork_start(lambda _: __import__("time").sleep(60), [0, 1], 2)
    slow.cancel()
    assert len(forked) == 4
    assert _reaped(forked)
    assert not parallel._OPEN


def test_started_work_without_fork_is_done_at_once(monkeypatch) -> None:
    monkeypatch.delattr(os, "fork", raising=False)
    calls = []
    job = fork_start(lambda x: calls.append(x) or x, [1, 2], 2)
    assert calls == [1, 2]  # done when started
    assert job.result() == [1, 2]


def test_available_cpus() -> None:
    assert 1 <= available_cpus() <= (os.cpu_count() or 1)


def _figures(n: int):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figs = []
    for i in range(n):
        fig, ax = plt.subplots(figsize=(3 + i * 0.1, 2), layout="constrained")
        ax.bar(["a", "b", "c"], [1 + i, 2, 3])
        ax.set_title(f"Gambar {i}")
        figs.append(fig)
    return figs


def test_figures_drawn_in_children_are_the_same_bytes() -> None:
    import matplotlib.pyplot as plt

    from kinerja_analysis.reporting.notebook import figure_pngs

    serial = figure_pngs(_figures(5), processes=1)
    assert not plt.get_fignums()  # all closed
    forked = figure_pngs(_figures(5), processes=2)
    assert not plt.get_fignums()
    assert forked == serial
    assert len({b64 for b64, _, _ in serial}) == 5
    assert [round(w, 1) for _, w, _ in serial] == [3.0, 3.1, 3.2, 3.3, 3.4]


def test_figure_processes_setting(monkeypatch) -> None:
    from kinerja_analysis.reporting.notebook import FIGURE_PROCESSES_ENV, figure_processes

    monkeypatch.setenv(FIGURE_PROCESSES_ENV, "3")
    assert figure_processes() == 3
    default = available_cpus() if sys.platform.startswith("linux") else 1
    for bad in ("0", "-2", "dua", ""):
        monkeypatch.setenv(FIGURE_PROCESSES_ENV, bad)
        assert figure_processes() == default
    monkeypatch.delenv(FIGURE_PROCESSES_ENV)
    assert figure_processes() == default
    monkeypatch.setattr(sys, "platform", "darwin")
    assert figure_processes() == 1


def test_figure_processes_setting_is_read_as_a_number_or_ignored(monkeypatch) -> None:
    """Digits that are not a number to ``int`` (superscripts) or a huge number: never an
    error in the middle of a report."""
    from kinerja_analysis.reporting.notebook import FIGURE_PROCESSES_ENV, figure_processes

    default = available_cpus() if sys.platform.startswith("linux") else 1
    for bad in ("²", "³4", "1e3", "2.0", "  "):
        monkeypatch.setenv(FIGURE_PROCESSES_ENV, bad)
        assert figure_processes() == default
    monkeypatch.setenv(FIGURE_PROCESSES_ENV, " 2 ")
    assert figure_processes() == 2


def _worker_figure_setting(log_dir: str, cap: int, queue) -> None:
    from kinerja_analysis.pipeline.batch import _init_worker
    from kinerja_analysis.reporting.notebook import FIGURE_PROCESSES_ENV

    _init_worker(log_dir, None, cap)
    queue.put(os.environ.get(FIGURE_PROCESSES_ENV))


@pytest.mark.parametrize(
    ("setting", "cap", "expected"),
    [("1", 4, "1"), ("3", 1, "3"), (None, 1, "1"), ("nol", 1, "1")],
)
def test_batch_worker_keeps_the_users_figure_setting(tmp_path, setting, cap, expected):
    """The batch gives each worker's kernels its share of the CPUs, but an analyst's own
    KINERJA_FIGURE_PROCESSES (e.g. 1: no forks at all) is kept, and the batch never
    asks for more processes than the platform's default (1 where fork is not trusted)."""
    import multiprocessing

    from kinerja_analysis.reporting.notebook import FIGURE_PROCESSES_ENV

    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    old = os.environ.pop(FIGURE_PROCESSES_ENV, None)
    try:
        if setting is not None:
            os.environ[FIGURE_PROCESSES_ENV] = setting
        p = ctx.Process(target=_worker_figure_setting, args=(str(tmp_path), cap, queue))
        p.start()
        got = queue.get(timeout=60)
        p.join(60)
    finally:
        os.environ.pop(FIGURE_PROCESSES_ENV, None)
        if old is not None:
            os.environ[FIGURE_PROCESSES_ENV] = old
    assert got == expected


def test_batch_cap_never_exceeds_the_platform_default(monkeypatch) -> None:
    from kinerja_analysis.reporting.notebook import FIGURE_PROCESSES_ENV, figure_processes

    monkeypatch.delenv(FIGURE_PROCESSES_ENV, raising=False)
    assert figure_processes(cap=1) == 1
    assert figure_processes(cap=10_000) == figure_processes()
    monkeypatch.setattr(sys, "platform", "darwin")
    assert figure_processes(cap=8) == 1
    monkeypatch.setenv(FIGURE_PROCESSES_ENV, "4")
    assert figure_processes(cap=1) == 4


class _Interrupted(Exception):
    pass


@fork_only
def test_an_interrupt_while_waiting_for_a_child_leaves_no_child(monkeypatch) -> None:
    """Ctrl-C (here an alarm) while this process waits for a child's results: the child
    is stopped and reaped, not left running or as a zombie of a long-lived kernel."""
    import signal
    import time

    parent = os.getpid()
    forked = _record_forks(monkeypatch)

    def slow_in_child(x):
        if os.getpid() != parent:
            time.sleep(30)
        return x

    def interrupt(signum, frame):
        raise _Interrupted

    old = signal.signal(signal.SIGALRM, interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.5)
        t0 = time.monotonic()
        with pytest.raises(_Interrupted):
            fork_map(slow_in_child, [0, 1], 2)
        assert time.monotonic() - t0 < 10
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert len(forked) == 1
    assert _reaped(forked)


@fork_only
def test_children_are_collected_when_this_process_ignores_sigchld() -> None:
    """With SIGCHLD ignored the system reaps children itself and ``waitpid`` has none
    to wait for: the results a child sent are still used (tester helper-63 F7)."""
    import signal

    parent = os.getpid()
    old = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        pids = fork_start(lambda _: os.getpid(), [0, 1], 2).result()
    finally:
        signal.signal(signal.SIGCHLD, old)
    assert parent not in pids  # done in the children, not again here
    assert not parallel._OPEN


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG")
def test_a_child_dies_with_a_parent_killed_outright(tmp_path) -> None:
    """A parent killed with SIGKILL (out of memory) takes its computing child with it."""
    import signal
    import subprocess
    import time

    script = tmp_path / "parent.py"
    script.write_text(
        "import time\n"
        "from kinerja_analysis.core.parallel import fork_call\n"
        "job = fork_call(lambda: time.sleep(120))\n"
        "print(job._children[0][0], flush=True)\n"
        "time.sleep(120)\n",
        encoding="utf-8",
    )
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        child = int(proc.stdout.readline())
        os.kill(child, 0)  # running
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(child, 0)
            except ProcessLookupError:
                break
            # a zombie waiting for init to reap it counts as gone
            try:
                with open(f"/proc/{child}/stat", encoding="ascii") as f:
                    if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                        break
            except FileNotFoundError:
                break
            time.sleep(0.05)
        else:
            os.kill(child, signal.SIGKILL)
            pytest.fail("the child outlived its killed parent")
    finally:
        proc.kill()
        proc.wait(10)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pipe size: Linux")
def test_a_child_whose_result_fits_the_pipe_exits_before_it_is_read() -> None:
    """A report figure's payload (a few hundred kB) is more than a pipe's default 64 kB:
    with the larger pipe the child writes it all and exits at once, rather than waiting,
    with its copy of this process's memory, until :meth:`Forked.result` reads it."""
    import time

    job = parallel.fork_call(lambda: "x" * 400_000)
    ((pid, _fd, _share),) = job._children
    deadline = time.monotonic() + 20
    done = 0
    while time.monotonic() < deadline:
        with open(f"/proc/{pid}/stat") as f:  # Z: exited, not yet reaped
            if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                done = 1
                break
        time.sleep(0.05)
    assert done, "the child still waits for its pipe to be read"
    assert job.result() == ["x" * 400_000]


@fork_only
def test_shared_array_reaches_a_child_forked_before_it_was_filled() -> None:
    """A child forked before :meth:`SharedArray.put` waits for the values, and gets them
    exactly; a child that fails after reading has its share done again here, where the
    values are already there."""
    import numpy as np

    from kinerja_analysis.core.parallel import SharedArray, fork_call

    values = np.arange(50_000, dtype=np.int64)[::-1] * 3  # more than a pipe holds
    order = SharedArray(len(values), np.int64)
    try:
        job = fork_call(lambda: (os.getpid(), order.get()))
        here = os.getpid()
        fail = fork_call(lambda: order.get()[0] if os.getpid() == here else 1 / 0)
        order.put(values)
        pid, got = job.result()[0]
        assert pid != os.getpid()
        np.testing.assert_array_equal(got, values)
        assert fail.result() == [values[0]]  # the child divided by zero; redone here
        np.testing.assert_array_equal(order.get(), values)
        with pytest.raises(ValueError, match="once"):
            order.put(values)
    finally:
        order.close()


@fork_only
def test_shared_array_get_before_put_and_wrong_shape() -> None:
    import numpy as np

    from kinerja_analysis.core.parallel import SharedArray, fork_call

    order = SharedArray((2, 3), np.float64)
    with pytest.raises(RuntimeError, match="before put"):
        order.get()  # here, nothing put yet: an error, not a wait
    with pytest.raises(ValueError, match=r"\(2, 3\)"):
        order.put(np.zeros(6))
    job = fork_call(order.get)
    order.close()  # closed unfilled: the child is not left waiting
    with pytest.raises(RuntimeError):
        job.result()  # its share, done again here, has nothing to read either


def test_shared_array_closed_twice_leaves_other_files_alone() -> None:
    """A second close does not close the descriptor numbers again: by then they may be
    another file's (review helper-75)."""
    import numpy as np

    from kinerja_analysis.core.parallel import SharedArray

    shared = SharedArray(4, np.float64)
    shared.close()
    read, write = os.pipe()  # may reuse the numbers just freed
    try:
        shared.close()
        os.write(write, b"ok")
        assert os.read(read, 2) == b"ok"
    finally:
        os.close(read)
        os.close(write)


@fork_only
def test_shared_array_child_not_left_waiting_when_the_parent_is_gone() -> None:
    """A child waiting for values whose parent ends without putting them (its end of the
    pipe closed, as when it dies where no death signal takes the child along) stops
    with an error instead of waiting for ever (review helper-75)."""
    import signal

    import numpy as np

    from kinerja_analysis.core.parallel import SharedArray, fork_call

    shared = SharedArray(2, np.int64)
    job = fork_call(shared.get)
    os.close(shared._write)  # what the parent's death does to the pipe
    shared._write = -1

    def too_long(*_):
        raise TimeoutError("the child is still waiting")

    old = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(20)  # a child left waiting would hang the test: fail it instead
    try:
        with pytest.raises(RuntimeError):
            job.result()  # the child failed; its share, redone here, has nothing either
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
        shared.close()


@fork_only
def test_shared_array_closed_in_a_child_still_filled_by_the_parent() -> None:
    """A child's close releases its own copies only: the parent still puts, and other
    children still get (review helper-76)."""
    import numpy as np

    from kinerja_analysis.core.parallel import SharedArray, fork_call

    shared = SharedArray(2, np.int64)
    try:
        closer = fork_call(lambda: shared.close() or "closed")
        assert closer.result() == ["closed"]
        reader = fork_call(shared.get)
        shared.put(np.array([5, 6]))
        assert reader.result()[0].tolist() == [5, 6]
    finally:
        shared.close()
