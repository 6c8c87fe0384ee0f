"""A batch never loses or empties a report (issue 15, "batch safety").

Two batches on one ``--out``; ``kill -9`` of a running batch (no worker, kernel or file
write may outlive it); Ctrl-C from a terminal (the whole process group: one line, no
traceback); a failing rerun that keeps the last good report listed; a failed run whose
executed notebook is really kept; HTML/PDF/XLSX published together or not at all; one
recursive code fingerprint.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from kinerja_analysis.core.io import code_fingerprint
from kinerja_analysis.pipeline import batch
from kinerja_analysis.pipeline.batch import _default_notebook_dir, plan_runs, run_batch
from kinerja_analysis.pipeline.procs import FolderBusy, FolderLock

pytestmark = pytest.mark.slow
MARKER = '# %%\ndoc.section(laporan, "pendahuluan")'


@pytest.fixture(scope="module")
def data_dir(city_300):
    return city_300.data_dir


@pytest.fixture(scope="module")
def periods(city_300):
    return city_300.ds.periods


def _cmd(data_dir: Path, out: Path, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "kinerja_analysis.pipeline.batch",
        "--data",
        str(data_dir),
        "--out",
        str(out),
        *args,
    ]


def sigint_as_a_terminal_gives() -> None:
    """``preexec_fn`` of a batch the test interrupts: SIGINT at its default, as in a
    terminal's foreground job. A shell without job control starts a background command
    (``make test &``, ``nohup``) with SIGINT ignored, exec keeps that, and Python then
    leaves it ignored: the interrupt never arrived and the batch ran to its end."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_for(cond, timeout: float = 180.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"batch ended early: {proc.stderr.read().decode()[-3000:]}")
        if time.monotonic() > deadline:
            raise AssertionError("timeout")
        time.sleep(0.2)


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _cmdline(p: psutil.Process) -> str:
    """The command line of ``p``; empty for a process that ended meanwhile (a zombie)."""
    try:
        return " ".join(p.cmdline())
    except psutil.Error:
        return ""


def _alive(p: psutil.Process) -> bool:
    try:
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _snapshot(*roots: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for r in roots:
        for p in r.rglob("*"):
            try:
                st = p.stat()
            except FileNotFoundError:
                continue
            out[str(p)] = (st.st_size, st.st_mtime_ns)
    return out


def test_two_batches_on_one_out(data_dir, periods, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "reports"
    cache = batch.default_cache_dir(data_dir, out)
    p = periods[-1]
    # the cache lies beside the data, which the module's tests share: an earlier test's
    # run logs are there already, and only a new one says the first batch has the lock
    before = set((cache / "log").glob("batch-*.log"))
    first = subprocess.Popen(
        _cmd(data_dir, out, "-p", p, "-n", "10", "--workers", "1"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        # the first batch holds the lock once its run log exists
        _wait_for(lambda: set((cache / "log").glob("batch-*.log")) - before, proc=first)
        second = subprocess.run(
            _cmd(data_dir, out, "-p", p, "-n", "10", "--workers", "1"),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert second.returncode == batch.EXIT_BUSY, second.stderr
        assert "sedang dipakai" in second.stderr and "Traceback" not in second.stderr
        with pytest.raises(FolderBusy):
            run_batch(data_dir, out, periods=[p], notebooks=["10"], progress=False)
        assert first.wait(timeout=300) == 0, first.stderr.read().decode()[-3000:]
    finally:
        if first.poll() is None:
            first.kill()
    wb = load_workbook(out / p / f"laporan_periode_{p}.xlsx", read_only=True)
    assert len(wb.sheetnames) > 3  # a complete workbook, not only `info`
    # a later batch gets the folder
    s = run_batch(data_dir, out, periods=[p], notebooks=["10"], progress=False)
    assert [r.status for r in s.runs] == ["dilewati"]


def test_staging_is_unique_per_run_and_batch(data_dir, periods, tmp_path):
    from kinerja_analysis.pipeline.batch import find_notebooks

    kw = dict(data_dir=data_dir, cache_dir=tmp_path / "c" / "data", checksum="x")
    nbs = find_notebooks()
    a = plan_runs(nbs, periods[-2:], tmp_path / "o", staging_root=tmp_path / "k" / "a", **kw)
    b = plan_runs(nbs, periods[-2:], tmp_path / "o", staging_root=tmp_path / "k" / "b", **kw)
    dirs = [r.parameters["output_dir"] for r in a + b]
    assert len(set(dirs)) == len(dirs)
    assert all(str(tmp_path / "o") not in d for d in dirs)  # never in the report folder


def test_kill_9_leaves_no_process_and_no_writer(data_dir, periods, tmp_path):
    out = tmp_path / "reports"
    cache = batch.default_cache_dir(data_dir, out)
    proc = subprocess.Popen(
        _cmd(data_dir, out, *sum((["-p", p] for p in periods[-3:]), []), "--workers", "2"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:

        def kernels_running() -> bool:
            return any("ipykernel" in _cmdline(c) for c in _descendants(proc.pid))

        _wait_for(kernels_running, proc=proc)
        time.sleep(1.0)
        family = _descendants(proc.pid)
        assert len(family) >= 3  # workers and kernels
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 5
        while any(_alive(c) for c in family) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = [(c.pid, c.name()) for c in family if _alive(c)]
        assert not left, left
        before = _snapshot(out, cache)
        time.sleep(3)
        assert _snapshot(out, cache) == before
    finally:
        for c in _descendants(proc.pid):
            c.kill()
        if proc.poll() is None:
            proc.kill()
    # the next batch starts clean: stale temp files and staging are removed
    s = run_batch(data_dir, out, periods=[periods[-1]], notebooks=["00"], progress=False)
    assert s.ok
    assert not [p for p in out.rglob(".*")]


def test_ctrl_c_in_a_terminal_prints_one_line(data_dir, periods, tmp_path):
    out = tmp_path / "reports"
    proc = subprocess.Popen(
        _cmd(data_dir, out, "-p", periods[-1], "-p", periods[-2], "-n", "10", "--workers", "2"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal's foreground job
        preexec_fn=sigint_as_a_terminal_gives,
    )
    try:
        _wait_for(
            lambda: any("ipykernel" in _cmdline(c) for c in _descendants(proc.pid)),
            proc=proc,
        )
        family = _descendants(proc.pid)
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground group
        rc = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    err = proc.stderr.read().decode()
    assert rc == 130, err[-3000:]
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err[-3000:]
    assert err.count("Dibatalkan") == 1
    time.sleep(1)
    assert not [c.pid for c in family if _alive(c)]
    assert not [p for p in out.rglob(".*")]


def _notebooks_with(tmp_path: Path, code: str) -> Path:
    d = tmp_path / "notebooks"
    d.mkdir(exist_ok=True)
    src = (_default_notebook_dir() / "10_laporan_periode.py").read_text("utf-8")
    assert MARKER in src
    (d / "10_laporan_periode.py").write_text(src.replace(MARKER, code + MARKER), "utf-8")
    return d


def test_failed_rerun_keeps_the_last_good_report_and_its_notebook(data_dir, periods, tmp_path):
    out = tmp_path / "reports"
    p1, p2, p3 = periods[-3:]
    good = run_batch(data_dir, out, periods=[p1], notebooks=["10"], workers=1, progress=False)
    assert good.ok
    before = {f.name: f.read_bytes() for f in (out / p1).glob("laporan_periode_*")}
    assert len(before) == 3
    nb_dir = _notebooks_with(
        tmp_path,
        "# %%\n"
        f'if periode == "{p1}":\n    raise RuntimeError("kegagalan uji")\n'
        f'if periode == "{p2}":\n    import os\n    os._exit(1)\n'
        f'if periode == "{p3}":\n    import pandas as pd\n'
        '    doc.save(pd.DataFrame({"x": [{"tidak": "bisa"}]}), "rusak")\n\n',
    )
    s = run_batch(
        data_dir,
        out,
        periods=[p1, p2, p3],
        notebooks=["10"],
        notebook_dir=nb_dir,
        workers=2,
        progress=False,
    )
    res = {r.periode: r for r in s.runs}
    assert {r.status for r in s.runs} == {"gagal"} and s.exit_code == 1
    # 1. a notebook error: the earlier good report stays, on disk, in the manifest, in the index
    assert "RuntimeError" in res[p1].message and "kegagalan uji" in s.log_path.read_text("utf-8")
    assert {f.name: f.read_bytes() for f in (out / p1).glob("laporan_periode_*")} == before
    entry = json.loads((out / p1 / "manifest.json").read_text())["runs"]["10"]
    assert entry["gagal_terakhir"] and sorted(entry["keluaran"]) == sorted(before)
    assert res[p1].earlier_report == entry["selesai"][:10]
    index = (out / "index.html").read_text("utf-8")
    assert f'href="{p1}/laporan_periode_{p1}.pdf"' in index and "gagal pada" in index
    # runs without an earlier good copy are listed too, failed on today's date, with
    # their reason in general words and no link
    assert index.count("belum ada laporan") == 2
    assert "proses perhitungan berhenti mendadak" in index and "ekspor XLSX gagal" in index
    assert f'href="{p2}/' not in index and f'href="{p3}/' not in index
    assert "kegagalan uji" not in index and "RuntimeError" not in index
    # every failed run's notebook is really where the summary says, saved as cells ran
    for p in (p1, p2, p3):
        path = Path(res[p].failed_notebook)
        assert path.is_file() and s.gagal_dir in path.parents, p
        nb = json.loads(path.read_text("utf-8"))
        ran = [c for c in nb["cells"] if c["cell_type"] == "code" and c.get("outputs")]
        assert ran, p  # the cells that ran kept their outputs
        record = nb["metadata"]["papermill"]  # its own paths, not the staging file's
        assert record["input_path"] == "10_laporan_periode.py", p
        assert record["output_path"] == f"gagal/{p}/10_laporan_periode.ipynb", p
    nb1 = json.loads(Path(res[p1].failed_notebook).read_text("utf-8"))
    errors = [o for c in nb1["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert errors and errors[0]["evalue"] == "kegagalan uji"
    # 2. a kernel that died mid-run: failed, nothing published
    assert "kernel Jupyter berhenti mendadak" in res[p2].message, res[p2].message
    # 3. an export failure: HTML, PDF and XLSX together or not at all
    assert res[p3].message.startswith("ekspor XLSX gagal"), res[p3].message
    for p in (p2, p3):
        assert not list((out / p).glob("laporan_periode_*")) if (out / p).exists() else True
    summary = "\n".join(s.lines())
    assert str(res[p1].failed_notebook) in summary and res[p1].earlier_report in summary
    # the next good run replaces the marked report
    ok = run_batch(data_dir, out, periods=[p1], notebooks=["10"], workers=1, progress=False)
    assert ok.ok and ok.runs[0].status == "ok"
    entry = json.loads((out / p1 / "manifest.json").read_text())["runs"]["10"]
    assert "gagal_terakhir" not in entry


def test_a_damaged_published_file_is_rewritten(data_dir, periods, tmp_path):
    out = tmp_path / "reports"
    p = periods[-1]
    run_batch(data_dir, out, periods=[p], notebooks=["00"], formats=("html",), progress=False)
    page = out / p / f"kualitas_data_{p}.html"
    page.write_text("")  # emptied by accident
    s = run_batch(data_dir, out, periods=[p], notebooks=["00"], formats=("html",), progress=False)
    assert s.runs[0].status == "ok" and page.stat().st_size > 1000


def test_one_recursive_code_fingerprint(tmp_path):
    import kinerja_analysis
    from kinerja_analysis.analyses import shared
    from kinerja_analysis.core import io

    assert batch.code_fingerprint is io.code_fingerprint is shared.code_fingerprint
    src = Path(kinerja_analysis.__file__).parent
    root = tmp_path / "pkg"
    shutil.copytree(src, root, ignore=shutil.ignore_patterns("__pycache__"))
    base = code_fingerprint(root)
    assert base == code_fingerprint(root)
    changed = [
        "reporting/templates/narasi/id/hasil.md.j2",
        "reporting/templates/narasi/en/kesimpulan.md.j2",
        "reporting/templates/laporan.css",
        "methods/did/estimator.py",
        "core/profil_kotalama.yaml",
    ]
    for rel in changed:
        f = root / rel
        assert f.is_file(), rel
        old = f.read_bytes()
        f.write_bytes(old + b"\n")
        assert code_fingerprint(root) != base, rel
        f.write_bytes(old)
        assert code_fingerprint(root) == base, rel
    (root / "reporting" / "templates" / "narasi" / "id" / "baru.md.j2").write_text("x")
    assert code_fingerprint(root) != base
    (root / "reporting" / "templates" / "narasi" / "id" / "baru.md.j2").unlink()
    (root / "core" / "__pycache__").mkdir(exist_ok=True)
    (root / "core" / "__pycache__" / "x.pyc").write_bytes(b"cache")
    assert code_fingerprint(root) == base


def test_worker_logs_are_redacted_after_the_run(tmp_path):
    """What a worker or its kernel prints goes to its log by the operating system; the
    batch redacts those logs (NIPs, NI PPPK and employees' names) once the run is over,
    and leaves a clean log as it was."""
    from kinerja_analysis.pipeline.batch import redact_worker_logs
    from kinerja_analysis.pipeline.console import Redactor

    log = tmp_path / "log"
    log.mkdir()
    dirty = log / "worker-101.log"
    dirty.write_text(
        "Traceback (most recent call last):\n"
        "KeyError: '199001012015032002'\n"
        "UserWarning: row for Sari Dewi Lestari skipped (NI PPPK 198705152023212014)\n"
    )
    clean = log / "worker-102.log"
    clean.write_text("[IPKernelApp] WARNING | Kernel is running over TCP\n")
    before = clean.stat().st_mtime_ns
    other = log / "batch.log"
    other.write_text("199001012015032002\n")  # not a worker log: written redacted already

    changed = redact_worker_logs(log, Redactor(["Sari Dewi Lestari"]))
    assert changed == [dirty]
    text = dirty.read_text()
    assert "199001012015032002" not in text and "198705152023212014" not in text
    assert "Sari" not in text and "[nama]" in text and "[NIP]" in text
    assert "KeyError" in text  # the rest of the line stays
    assert clean.stat().st_mtime_ns == before


def test_folder_lock_waits_for_the_holder_or_says_busy(tmp_path):
    first = FolderLock(tmp_path).acquire()
    with pytest.raises(FolderBusy):
        FolderLock(tmp_path).acquire()  # wait=0: stops at once
    threading.Timer(0.3, first.release).start()
    with FolderLock(tmp_path, wait=60) as second:  # retries until the first lets go
        assert second._fd is not None and first._fd is None
    assert second._fd is None


def _worker_writing_personal_data(log_dir: str, kill: bool) -> None:
    """A batch worker (its real initializer) whose process and kernel-like child print
    a NIP and a name to standard error, then end normally or are killed."""
    from kinerja_analysis.pipeline.batch import _init_worker
    from kinerja_analysis.pipeline.console import Redactor

    _init_worker(log_dir, Redactor(["Sari Dewi Lestari"]))
    print("UserWarning: baris Sari Dewi Lestari (NIP 199001012015032002)", file=sys.stderr)
    sys.stderr.flush()
    child = "import sys; print('kernel: 198705152023212014 sari dewi lestari', file=sys.stderr)"
    subprocess.run([sys.executable, "-c", child], check=True)
    if kill:
        time.sleep(0.5)  # the copier has the lines; the kill must not matter
        os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.parametrize("kill", [False, True], ids=["normal exit", "kill -9"])
def test_worker_log_is_written_redacted_as_it_is_written(tmp_path, kill):
    """A worker's standard error (and its kernels') reaches its log only through the
    batch's Redactor: no NIP or name is ever on disk, not even when the worker is killed
    before the batch could clean its logs."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    p = ctx.Process(target=_worker_writing_personal_data, args=(str(tmp_path), kill))
    p.start()
    p.join(60)
    assert p.exitcode == (-signal.SIGKILL if kill else 0)
    (log,) = tmp_path.glob("worker-*.log")
    text = log.read_text("utf-8")
    assert "199001012015032002" not in text and "198705152023212014" not in text
    assert "Sari" not in text and "sari" not in text
    assert "UserWarning: baris [nama] (NIP [NIP])" in text
    assert "kernel: [NIP] [nama]" in text
