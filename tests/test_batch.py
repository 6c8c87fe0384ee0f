"""End-to-end tests of the batch: notebooks -> papermill -> HTML/PDF/XLSX -> index.

On the synthetic Kotalama city with 300 ASN (``synth.generate``), run through
:func:`run_batch` with two workers. Checks what a stakeholder receives (sections, figures,
no code, no personal data, self-contained files, A4 PDF with the period in words), that a
failing run does not stop the others, that an interrupted batch leaves earlier reports
intact and a rerun completes, and that unchanged runs are skipped.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_batch_safety import sigint_as_a_terminal_gives

from kinerja_analysis.core.io import code_fingerprint
from kinerja_analysis.core.periods import period_label
from kinerja_analysis.data.synth import generate, write_dataset
from kinerja_analysis.pipeline import batch
from kinerja_analysis.pipeline.batch import (
    BatchSettings,
    _default_notebook_dir,
    _unchanged,
    find_notebooks,
    plan_runs,
    run_batch,
)
from kinerja_analysis.reporting.paths import folder_names

pytestmark = pytest.mark.slow
NOTEBOOKS = sorted(find_notebooks())
SECTIONS_10 = (
    "Pendahuluan",
    "Tujuan Evaluasi",
    "Metode Evaluasi",
    "Hasil dan Temuan",
    "Tantangan",
    "Rekomendasi",
    "Kesimpulan",
)


@pytest.fixture(scope="module", autouse=True)
def fixed_code_hash():
    """Pin the package-source hash: other work on the package while the tests run
    must not turn "unchanged inputs" into "changed" between two batches."""
    real = code_fingerprint()
    assert re.fullmatch(r"[0-9a-f]{16}", real)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(batch, "code_fingerprint", lambda: real)
        yield


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):

    d = tmp_path_factory.mktemp("data")
    write_dataset(generate(n_pegawai=300, seed=1), d)
    return d


@pytest.fixture(scope="module")
def dataset(data_dir):
    from kinerja_analysis import load_dataset

    return load_dataset(data_dir)


@pytest.fixture(scope="module")
def last(dataset):
    return dataset.periods[-1]


@pytest.fixture(scope="module")
def run_ok(data_dir, last, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    summary = run_batch(data_dir, out, periods=[last], workers=2, progress=False)
    return out, summary


def _text(html: str) -> str:
    html = re.sub(r"<style.*?</style>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_all_notebooks_found():
    assert {"00", "10", "20", "30", "90"} <= set(NOTEBOOKS)


def test_batch_summary(run_ok, last):
    out, s = run_ok
    tidy = s.tidy()
    assert list(tidy.columns) == [
        "key",
        "periode",
        "notebook",
        "opd",
        "status",
        "seconds",
        "outputs",
        "message",
    ]
    assert (tidy["status"] == "ok").all(), tidy[["key", "message"]]
    # the columns' old names read for one release, with a warning at the caller's line
    with pytest.warns(DeprecationWarning, match="'pesan' is deprecated.*use 'message'") as w:
        assert tidy["pesan"].equals(tidy["message"])
    assert w[0].filename == __file__
    with pytest.warns(DeprecationWarning, match="'kunci'"):
        assert tidy[["kunci", "status"]].columns.tolist() == ["key", "status"]
    with pytest.warns(DeprecationWarning, match="'detik'"):
        assert tidy.detik.equals(tidy["seconds"])
    assert s.exit_code == 0
    assert set(tidy["notebook"]) == set(NOTEBOOKS)
    assert (out / "index.html").exists()
    for r in s.runs:
        assert len(r.outputs) == 3 and {Path(k).suffix for k in r.outputs} == {
            ".html",
            ".pdf",
            ".xlsx",
        }


def test_layout_and_no_leftovers(run_ok, data_dir, last):
    out, _ = run_ok
    assert (out / last / f"laporan_periode_{last}.html").exists()
    assert (out / last / f"laporan_periode_{last}.pdf").exists()
    assert (out / last / f"laporan_periode_{last}.xlsx").exists()
    assert (out / "lintas_periode" / f"ringkasan_lintas_periode_{last}.html").exists()
    everything = list(out.rglob("*"))
    # no staging folders, temp files, caches or executed notebooks (personal data) in reports/
    assert not [p for p in everything if p.name.startswith(".")]
    assert not [p for p in everything if p.suffix in (".ipynb", ".parquet")]
    assert not (out / "_gagal").exists() and not (out / "_cache").exists()
    assert (batch.default_cache_dir(data_dir, out) / "data" / "meta.json").exists()
    # individual (NIP-identified) sheets are written only on explicit request (--rahasia)
    assert not (out.parent / f"RAHASIA-{out.name}").exists()
    manifest = json.loads((out / last / "manifest.json").read_text())
    assert set(manifest["runs"]) == {k for k in NOTEBOOKS if not k.startswith("9")}


def test_html_content(run_ok, last):
    out, _ = run_ok
    words = period_label(last)
    html = (out / last / f"laporan_periode_{last}.html").read_text("utf-8")
    for h in SECTIONS_10:
        assert re.search(rf"<h2[^>]*>{h}</h2>", html), h
    assert words in html and "Pemerintah Kota Kotalama" in html
    assert len(re.findall(r'<img[^>]+src="data:image/png;base64,', html)) >= 4
    for f in sorted((out / last).glob("*.html")) + sorted((out / "lintas_periode").glob("*.html")):
        h = f.read_text("utf-8")
        assert "jp-InputArea" not in h and "input_area" not in h, f.name
        assert "import " not in _text(h), f.name  # no code
        assert "<script" not in h.lower(), f.name
        assert not re.search(r"""(src|href)=["']?https?:""", h), f.name
        assert "<img" in h, f.name
        assert "Traceback" not in h and "Error" not in _text(h), f.name
        # no stray cell results (paths of the staging folder, object reprs)
        assert "PosixPath" not in h and ".kerja-" not in h, f.name


def test_no_personal_data_in_outputs(run_ok, dataset):
    from openpyxl import load_workbook

    out, _ = run_ok
    nips = set(dataset.pegawai["nip"])
    names = set(dataset.pegawai["nama"].dropna()) if "nama" in dataset.pegawai else set()
    names = {n for n in names if len(n) >= 6}
    texts = [p.read_text("utf-8") for p in out.rglob("*.html")]
    for p in out.rglob("*.xlsx"):
        wb = load_workbook(p, read_only=True)
        texts.append(
            " ".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row)
        )
    blob = "\n".join(texts)
    found_nip = set(re.findall(r"\d{18}", blob)) & nips
    assert not found_nip
    assert not [n for n in names if n in blob]


def test_privacy_scan_of_every_file_the_batch_writes(run_ok, dataset):
    """Every file under reports/ (HTML, PDF, XLSX, index, manifests): no NIP, no name."""
    from kinerja_analysis.reporting.privacy import scan_personal_data

    out, _ = run_ok
    peg = dataset.pegawai
    found = scan_personal_data(out, peg["nip"], peg["nama"].dropna() if "nama" in peg else ())
    assert found.empty, found.head().to_dict("records")
    scanned = {str(p).rsplit(".", 1)[-1] for p in found.attrs.get("dipindai", [])}
    assert {"html", "pdf", "xlsx"} <= scanned


def test_no_small_cells_in_workbooks(run_ok):
    """Employee-count columns of every XLSX sheet: no value between 1 and min_sel − 1."""
    from openpyxl import load_workbook

    out, _ = run_ok
    from kinerja_analysis.reporting.text import column_labels

    keys = {"n", "n_asn", "n_pegawai", "n_treated", "n_responden"}
    counts = keys | {column_labels("id").get(k, k) for k in keys}
    bad, checked = [], 0
    for path in out.rglob("*.xlsx"):
        wb = load_workbook(path, read_only=True)
        for ws in wb:
            rows = list(ws.iter_rows(values_only=True))
            head = next((i for i, r in enumerate(rows) if counts & {str(c) for c in r}), None)
            if head is None:
                continue
            cols = [j for j, c in enumerate(rows[head]) if str(c) in counts]
            for r in rows[head + 1 :]:
                for j in cols:
                    v = r[j] if j < len(r) else None
                    if isinstance(v, (int, float)):
                        checked += 1
                        if 0 < v < 5:
                            bad.append((path.name, ws.title, rows[head][j], v))
    assert checked > 50
    assert not bad, bad[:10]


def test_pdf(run_ok, last):
    from pypdf import PdfReader

    out, _ = run_ok
    reader = PdfReader(str(out / last / f"laporan_periode_{last}.pdf"))
    assert 3 <= len(reader.pages) <= 25
    text = " ".join(p.extract_text() for p in reader.pages)
    flat = re.sub(r"\s+", " ", text)
    for h in SECTIONS_10:
        assert h in flat, h
    assert period_label(last) in flat
    assert "Halaman 1 /" in flat


def test_xlsx_tables(run_ok, last):
    from openpyxl import load_workbook

    out, _ = run_ok
    wb = load_workbook(out / last / f"laporan_periode_{last}.xlsx", read_only=True)
    assert wb.sheetnames[0] == "info"
    # sheets are named by their titles, headers are words (the label registry)
    assert {"Jumlah ASN per OPD", "Capaian SKP per periode"} <= set(wb.sheetnames)
    rows = list(wb["Jumlah ASN per OPD"].iter_rows(values_only=True))
    assert rows[0][0] == "Jumlah ASN per OPD" and rows[1][0].startswith("Sumber: ")
    assert "Pemerintah Kota Kotalama" in rows[1][0]
    header = rows[3]
    assert header[:2] == ("OPD", "Jumlah ASN")  # readable headers, not keys
    assert sum(r[1] for r in rows[4:]) == 300  # every ASN counted once


def test_index(run_ok, last):
    out, _ = run_ok
    html = (out / "index.html").read_text("utf-8")
    assert period_label(last) in html
    assert f'href="{last}/laporan_periode_{last}.pdf"' in html
    assert f'href="{last}/laporan_periode_{last}.xlsx"' in html
    assert "lintas_periode/" in html
    assert 'src="data:image/png;base64,' in html  # trend chart
    assert "Jumlah ASN" in html and "<b>300</b>" in html


def test_second_run_skips_unchanged(run_ok, data_dir, last):
    out, first = run_ok
    html = out / last / f"laporan_periode_{last}.html"
    mtime = html.stat().st_mtime_ns
    s = run_batch(data_dir, out, periods=[last], workers=2, progress=False)
    assert (s.tidy()["status"] == "dilewati").all()
    assert html.stat().st_mtime_ns == mtime
    # a changed parameter or notebook source is a changed input: not skipped
    plan_kw = dict(
        data_dir=data_dir,
        cache_dir=batch.default_cache_dir(data_dir, out) / "data",
        checksum=s_checksum(out, last),
    )
    nbs = find_notebooks()
    same = plan_runs(nbs, [last], out, **plan_kw)
    assert all(_unchanged(r) is not None for r in same)
    other = plan_runs(nbs, [last], out, BatchSettings(min_sel=3), **plan_kw)
    assert all(_unchanged(r) is None for r in other)


def s_checksum(out: Path, last: str) -> str:
    m = json.loads((out / last / "manifest.json").read_text())
    return next(iter(m["runs"].values()))["masukan"]["data"]


def test_unknown_period_is_rejected_before_running(data_dir, tmp_path):
    with pytest.raises(ValueError, match="2031Q1"):
        run_batch(data_dir, tmp_path, periods=["2031Q1"], progress=False)


def test_failing_run_does_not_stop_others(data_dir, dataset, tmp_path):
    # the first period has no history (no training in the 12 months before): an edge case
    bad_period, good_period = dataset.periods[-1], dataset.periods[0]
    nb_dir = tmp_path / "notebooks"
    nb_dir.mkdir()
    src = (_default_notebook_dir() / "10_laporan_periode.py").read_text("utf-8")
    marker = '# %%\ndoc.section(laporan, "pendahuluan")'
    assert marker in src
    src = src.replace(
        marker,
        f'# %%\nif periode == "{bad_period}":\n    raise RuntimeError("kegagalan uji yang disengaja")\n\n'
        + marker,
    )
    (nb_dir / "10_laporan_periode.py").write_text(src, "utf-8")
    out = tmp_path / "reports"
    s = run_batch(
        data_dir,
        out,
        periods=[bad_period, good_period],
        workers=2,
        formats=("html",),
        notebook_dir=nb_dir,
        progress=False,
    )
    st = s.tidy().set_index("periode")
    assert st.loc[good_period, "status"] == "ok"
    assert st.loc[bad_period, "status"] == "gagal"
    # the summary says it in the report language; the error's own text goes to the log
    assert "notebook berhenti di sel" in st.loc[bad_period, "message"]
    assert "RuntimeError" in st.loc[bad_period, "message"]
    assert "kegagalan uji yang disengaja" in s.log_path.read_text("utf-8")
    assert s.exit_code == 1 and not s.ok
    assert (out / good_period / f"laporan_periode_{good_period}.html").exists()
    assert not list((out / bad_period).glob("*.html"))
    assert not (out / "_gagal").exists()
    failed = s.gagal_dir / bad_period / "10_laporan_periode.ipynb"
    nb = json.loads(failed.read_text("utf-8"))
    errors = [o for c in nb["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert errors and errors[0]["evalue"] == "kegagalan uji yang disengaja"
    # a run that never succeeded is listed as failed, with no file and no error text
    entry = json.loads((out / bad_period / "manifest.json").read_text())["runs"]["10"]
    assert entry["keluaran"] == [] and entry["gagal_sebab"] == "sel" and entry["gagal_terakhir"]
    index = (out / "index.html").read_text("utf-8")
    assert "gagal pada" in index and f'href="{bad_period}/' not in index
    assert "kegagalan uji" not in index
    assert str(failed) == next(r.failed_notebook for r in s.runs if r.periode == bad_period)
    # the rich summary names the failure
    from rich.console import Console

    con = Console(record=True, width=200)
    con.print(s.rich_table())
    assert "gagal" in con.export_text()
    en = Console(record=True, width=200)
    en.print(s.rich_table(bahasa="en"))
    text_en = en.export_text()
    assert "failed" in text_en and "Batch summary" in text_en
    assert "gagal" not in text_en and "Ringkasan" not in text_en


def test_interrupt_keeps_earlier_reports_and_rerun_completes(data_dir, dataset, tmp_path):
    from pypdf import PdfReader

    p1, p2 = dataset.periods[-2], dataset.periods[-1]
    out = tmp_path / "reports"
    cmd = [
        sys.executable,
        "-m",
        "kinerja_analysis.pipeline.batch",
        "--data",
        str(data_dir),
        "--out",
        str(out),
        "--periode",
        p1,
        "--periode",
        p2,
        "--notebook",
        "10",
        "--workers",
        "1",
    ]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=sigint_as_a_terminal_gives,
    )
    manifest = out / p1 / "manifest.json"

    def recorded() -> bool:
        # the first report counts as done once the batch has recorded it (its files are
        # published first: an interrupt between the two only makes the rerun redo it)
        try:
            return "10" in json.loads(manifest.read_text("utf-8")).get("runs", {})
        except (OSError, ValueError):
            return False

    deadline = time.monotonic() + 600  # a wait, not a speed check: slow machines pass
    while not recorded() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
    assert recorded(), proc.stderr.read().decode() if proc.poll() is not None else "timeout"
    proc.send_signal(signal.SIGINT)
    rc = proc.wait(timeout=60)
    err = proc.stderr.read().decode()
    if rc == 0:
        pytest.skip("batch finished before the interrupt arrived")
    assert rc == 130, err
    assert "Dibatalkan" in err
    # the finished report is whole
    html = (out / p1 / f"laporan_periode_{p1}.html").read_text("utf-8")
    assert html.rstrip().endswith("</html>")
    assert len(PdfReader(str(out / p1 / f"laporan_periode_{p1}.pdf")).pages) >= 3
    # nothing half-written, no staging folders left
    leftovers = list(out.rglob(".*"))
    assert not leftovers, leftovers
    # a report of the interrupted period is either absent or complete, never half-written
    for pdf in (out / p2).glob("*.pdf") if (out / p2).exists() else []:
        assert len(PdfReader(str(pdf)).pages) >= 1
    # rerun: the finished period is skipped, the interrupted one completes
    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert rerun.returncode == 0, rerun.stderr
    assert (out / p2 / f"laporan_periode_{p2}.pdf").exists()
    assert "dilewati" in rerun.stderr.lower()


@pytest.mark.skipif(
    shutil.which("chromium") is None,
    reason="chromium tidak terpasang (Debian: apt-get install -y chromium; .ci/run memasangnya)",
)
def test_headless_browser_renders_report(run_ok, last, tmp_path):
    out, _ = run_ok
    page = out / last / f"laporan_periode_{last}.html"
    base = [
        "chromium",
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path / 'profil'}",
    ]
    dom = subprocess.run(
        base + ["--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "Hasil dan Temuan" in dom.stdout and "data:image/png;base64," in dom.stdout
    shot = tmp_path / "hp.png"
    r = subprocess.run(
        base + [f"--screenshot={shot}", "--window-size=390,844", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0 and shot.exists(), r.stderr[-2000:]
    from PIL import Image

    with Image.open(shot) as im:
        assert im.size == (390, 844)
        # the page is not blank: some dark (text) pixels in the top part
        px = im.convert("L").crop((0, 0, 390, 300)).getextrema()
        assert px[0] < 100


def test_per_opd_reports(data_dir, dataset, last, tmp_path):
    """--per-opd: one report per OPD under <periode>/opd/<slug>/, aggregates only."""
    from kinerja_analysis.reporting.privacy import scan_personal_data

    out = tmp_path / "reports"
    s = run_batch(
        data_dir,
        out,
        periods=[last],
        per_opd=True,
        notebooks=["10"],
        workers=2,
        formats=("html", "xlsx"),
        progress=False,
    )
    tidy = s.tidy()
    assert (tidy["status"] == "ok").all(), tidy[["key", "message"]]
    opds = sorted(dataset.pegawai["opd"].unique())
    assert tidy["opd"].notna().sum() == len(opds)
    folders = folder_names(opds)
    for opd in opds:
        folder = out / last / "opd" / folders[opd]
        html = (folder / f"laporan_periode_{last}_{folders[opd]}.html").read_text("utf-8")
        assert opd in html  # the report is about that OPD
    peg = dataset.pegawai
    assert scan_personal_data(out, peg["nip"], peg["nama"].dropna()).empty


def test_rahasia_writes_each_period_from_its_own_window(city_300, tmp_path):
    """``kinerja batch --rahasia``: one confidential workbook per period of the batch,
    beside (never inside) the report folder, from that period's shared results; the
    command's messages follow --bahasa."""
    from openpyxl import load_workbook
    from typer.testing import CliRunner

    from kinerja_analysis.pipeline.cli import app

    data = tmp_path / "kota"
    shutil.copytree(city_300.data_dir, data)
    periods = city_300.ds.periods[-2:]
    out = tmp_path / "laporan"
    args = ["batch", "--data", str(data), "--out", str(out), "-n", "00", "--rahasia"]
    args += [x for p in periods for x in ("--periode", p)] + ["--bahasa", "en", "-w", "1"]
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    assert "CONFIDENTIAL" in r.output and "Traceback" not in r.output
    folder = tmp_path / "RAHASIA-laporan"
    files = sorted(folder.rglob("*.xlsx"))
    assert [f.parent.name for f in files] == list(periods)
    assert not list(out.rglob("RAHASIA*"))
    for f, p in zip(files, periods, strict=True):
        ws = load_workbook(f, read_only=True).worksheets[0]
        text = " ".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c)
        assert p in text


def test_batch_refuses_an_unknown_language_without_a_traceback(tmp_path):
    from typer.testing import CliRunner

    from kinerja_analysis.pipeline.cli import app

    for value in ("fr", "EN"):
        r = CliRunner().invoke(app, ["batch", "--out", str(tmp_path / "o"), "--bahasa", value])
        assert r.exit_code == 2, r.output
        assert "'id'" in r.output and "Traceback" not in r.output
        assert not (tmp_path / "o").exists()


def test_index_trend_chart_has_a_phone_version(synthetic_reports):
    """The index's trend chart is drawn for the page and for a phone, like the reports'
    charts; the style shows one of them by screen width."""
    import base64
    import io

    from PIL import Image

    for out in (synthetic_reports.out_id, synthetic_reports.out_en):
        html = (out / "index.html").read_text("utf-8")
        widths = {}
        for cls in ("tren-lebar", "tren-sempit"):
            m = re.search(
                rf'<img class="{cls}" alt="[^"]+" src="data:image/png;base64,([^"]+)"', html
            )
            assert m, cls
            widths[cls] = Image.open(io.BytesIO(base64.b64decode(m.group(1)))).size[0]
        assert widths["tren-sempit"] < widths["tren-lebar"]
        assert "@media (max-width:40rem){.tren-lebar{display:none}" in html
