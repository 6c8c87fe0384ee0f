"""The batch on real-export shapes: minimum tables, agency profile vs data periods, one
period's data bad, messages in the report language without personal data.

- An official-ratings-only export (``data/contoh/siasn``: ``pegawai`` + ``penilaian_resmi``)
  and a numeric one with only ``pegawai`` + ``skp``: every notebook writes its document
  and says in words which data are not available (catalogue sentence, no raw key).
- A profile whose period kind differs from the data's periods stops with the file and a
  value named (quick scan for CSV; after validation for an XLSX with title rows).
- A period whose rows are all rejected: the other period is written, the bad one fails
  naming file/row/column/value, and its earlier good report stays byte for byte.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from test_loading import _write_mini

from kinerja_analysis.pipeline import batch
from kinerja_analysis.pipeline.batch import failure_text, find_notebooks, run_batch
from kinerja_analysis.pipeline.console import BatchConsole, Redactor
from kinerja_analysis.reporting.text import RAW_KEY, text

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
CONTOH = ROOT / "data" / "contoh"
NOTEBOOKS = sorted(k for k, v in find_notebooks().items())

PROFILE = """instansi:
  nama: Sukamaju
  jenis: kota
bahasa: id
min_sel: 5
periode: {periode}
"""


def _profile(folder: Path, periode: str) -> Path:
    p = folder / f"profil_{periode}.yaml"
    p.write_text(PROFILE.format(periode=periode), encoding="utf-8")
    return p


def _text(html: str) -> str:
    html = re.sub(r"<style.*?</style>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _absent_phrases(doc: str, bahasa: str) -> list[str]:
    """The ``{data}`` parts of every "data not available" sentence of a document."""
    head, tail = text("data_tidak_tersedia", bahasa, data="\0").split("\0")
    return re.findall(re.escape(head) + r"(.+?)" + re.escape(tail), doc)


@pytest.fixture(scope="session")
def minimal_runs(tmp_path_factory):
    """Two batches, one period each: official ratings only (English) and SKP only."""
    root = tmp_path_factory.mktemp("minimal")
    out = {}
    resmi = root / "resmi"
    shutil.copytree(CONTOH / "siasn", resmi)
    out["resmi"] = (
        "en",
        run_batch(
            resmi,
            root / "laporan_resmi",
            periods=["2025"],
            mapping=resmi / "pemetaan.yaml",
            profile=resmi / "profil_instansi.yaml",
            bahasa="en",
            workers=2,
            progress=False,
        ),
    )
    skp = _write_mini(root / "skp")
    for f in ("perilaku.csv", "pelatihan.csv"):
        (skp / f).unlink()
    out["skp"] = (
        "id",
        run_batch(
            skp,
            root / "laporan_skp",
            periods=["2024Q2"],
            profile=_profile(root, "triwulan"),
            pseudonim=False,
            workers=2,
            progress=False,
        ),
    )
    return out


@pytest.mark.parametrize("kind", ["resmi", "skp"])
def test_minimum_tables_every_document_written_and_absence_said(minimal_runs, kind):
    bahasa, summary = minimal_runs[kind]
    assert summary.exit_code == 0, [(r.key, r.message) for r in summary.runs]
    assert {r.notebook for r in summary.runs} == set(NOTEBOOKS)
    word = {t: text(f"data_{t}", bahasa) for t in ("pelatihan", "survei", "perilaku")}
    for r in summary.runs:
        folder = summary.out_dir / r.key.rsplit("/", 1)[0]
        assert len(r.outputs) == 3
        for name in r.outputs:
            assert (folder / name).stat().st_size > 0, name
        html = next(n for n in r.outputs if n.endswith(".html"))
        doc = _text((folder / html).read_text("utf-8"))
        assert "Traceback" not in doc and "KeyError" not in doc
        assert not RAW_KEY.findall(doc), (r.key, RAW_KEY.findall(doc)[:5])
        said = " | ".join(_absent_phrases(doc, bahasa))
        if r.notebook != "90" or kind == "resmi":  # 90 draws its trend from skp when there
            assert said, r.key  # every document states some absent data in words
        if r.notebook in ("10", "20"):
            assert word["pelatihan"] in said and word["perilaku"] in said, (r.key, said)
        if r.notebook == "30":
            assert word["survei"] in said, said


def test_profile_period_kind_checked_against_the_data(tmp_path):
    # CSV export, quarterly data, monthly profile: stopped by the quick scan
    data = CONTOH / "ekspor_siasn"
    with pytest.raises(ValueError) as e:
        run_batch(
            data,
            tmp_path / "a",
            mapping=data / "pemetaan.yaml",
            profile=_profile(tmp_path, "bulan"),
            progress=False,
            cache_dir=tmp_path / "ca",
        )
    msg = str(e.value)
    assert "Realisasi SKP.csv" in msg and "'Periode'" in msg and "triwulan" in msg
    assert "'periode: bulan'" in msg
    assert not (tmp_path / "a" / "index.html").exists()
    # XLSX behind title rows (the quick scan cannot read it): stopped after validation
    data = CONTOH / "ekinerja_bkn"
    with pytest.raises(ValueError) as e:
        run_batch(
            data,
            tmp_path / "b",
            mapping=data / "pemetaan.yaml",
            profile=_profile(tmp_path, "triwulan"),
            progress=False,
            cache_dir=tmp_path / "cb",
        )
    msg = str(e.value)
    assert "Realisasi SKP.xlsx" in msg and "2025-01" in msg and "bulan" in msg


def test_one_bad_period_others_written_earlier_report_kept(tmp_path):
    data = tmp_path / "siasn"
    shutil.copytree(CONTOH / "siasn", data)
    kw = dict(
        mapping=data / "pemetaan.yaml",
        profile=data / "profil_instansi.yaml",
        notebooks=["10"],
        workers=2,
        progress=False,
        cache_dir=tmp_path / "cache",
    )
    out = tmp_path / "laporan"
    first = run_batch(data, out, periods=["2024"], **kw)
    assert first.exit_code == 0
    old = {p.name: p.read_bytes() for p in (out / "2024").glob("laporan_periode_2024.*")}
    assert len(old) == 3
    # every 2024 row gets a predikat no one knows
    f = data / "RIWAYAT_KINERJA.csv"
    df = pd.read_csv(f, dtype=str, keep_default_na=False)
    for c in ("HASIL_KINERJA", "PERILAKU_KERJA", "KUADRAN_KINERJA"):
        df.loc[df["TAHUN"] == "2024", c] = "=LUAR BIASA"
    df.to_csv(f, index=False)
    second = run_batch(data, out, **kw)
    assert second.exit_code == 1
    by = {r.key: r for r in second.runs}
    assert by["2025/10"].status == "ok"
    assert (out / "2025" / "laporan_periode_2025.pdf").stat().st_size > 0
    bad = by["2024/10"]
    assert bad.status == "gagal" and bad.no_usable_data
    assert "RIWAYAT_KINERJA.csv" in bad.message and "=LUAR BIASA" in bad.message
    assert re.search(r"RIWAYAT_KINERJA.csv baris \d+, kolom rating_hasil", bad.message), bad.message
    # the earlier good report: untouched, listed, marked as not updated
    assert {p.name: p.read_bytes() for p in (out / "2024").glob("laporan_periode_2024.*")} == old
    entry = json.loads((out / "2024" / "manifest.json").read_text("utf-8"))["runs"]["10"]
    assert entry["gagal_terakhir"]
    assert "laporan_periode_2024.html" in (out / "index.html").read_text("utf-8")
    lines = "\n".join(second.lines("id"))
    assert "periode 2024" in lines and "tidak ada laporan" in lines
    # no NIP in the run log
    log = second.log_path.read_text("utf-8")
    assert not re.search(r"\d{15,}", log)


def test_failure_messages_in_the_report_language():
    from nbclient.exceptions import DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    exc = PapermillExecutionError(3, 4, "x", "KeyError", "'199001012015032002'", [])
    assert failure_text(exc, "id") == text_id("gagal_sel", sel=4, jenis="KeyError")
    assert "199001012015032002" not in failure_text(exc, "id")
    assert "cell 4" in failure_text(exc, "en")
    assert "kehabisan memori" in failure_text(DeadKernelError("Kernel died"), "id")
    assert "tidak dapat dijalankan" in failure_text(
        RuntimeError("Kernel died before replying to kernel_info"), "id"
    )
    assert "disk penuh" in failure_text(OSError(28, "No space left on device"), "id")
    exc = ValueError("boom")
    exc.kinerja_format = "pdf"
    assert "ekspor PDF gagal" in failure_text(exc, "id")


def text_id(key: str, **f: object) -> str:
    from kinerja_analysis.pipeline.console import TEXT

    return TEXT(key, "id", **f)


def test_log_holds_no_personal_data(tmp_path):
    con = BatchConsole(progress=False, log_path=tmp_path / "log.txt")
    con.redact = Redactor(["Sari Dewi Lestari", "Eko"])
    con.log("KeyError: '199001012015032002' in Sari Dewi Lestari (EKO), nip 1990 0101 2015 0320 02")
    con.record_warning("Eko: singular matrix for 198503122010011001", "RuntimeWarning")
    log = (tmp_path / "log.txt").read_text("utf-8")
    assert "1990" not in log and "Sari" not in log and "EKO" not in log and "Eko" not in log
    assert log.count("[NIP]") == 3 and log.count("[nama]") == 3
    assert "Ekonomi" in Redactor(["Eko"])("Dinas Ekonomi")  # whole words only
    assert batch.BatchSummary  # the module imports


def test_the_batch_id_survives_the_log_filter(tmp_path):
    """The run log names the batch by its id (the log file's name): the filter that
    hides identifiers must leave it readable, so a log can be matched to its run."""
    out = tmp_path / "laporan"
    res = run_batch(
        CONTOH / "siasn",
        out,
        mapping=CONTOH / "siasn" / "pemetaan.yaml",
        profile=CONTOH / "siasn" / "profil_instansi.yaml",
        notebooks=["00"],
        periods=["2025"],
        progress=False,
        cache_dir=tmp_path / "cache",
    )
    batch_id = res.log_path.stem.removeprefix("batch-")
    log = res.log_path.read_text("utf-8")
    assert f"batch {batch_id}:" in log and "[NIP]" not in log.split("\n", 1)[0]


def test_newest_period_all_rejected_in_an_export_with_title_rows(tmp_path):
    """An e-Kinerja export (XLSX behind a title row, periods written 'Maret 2025') whose
    newest month's rows are all rejected: that period is a failed run naming file, row
    and column (exit 1), never dropped without a word; the other periods are written and
    the index titles the cross-period summary with the last period it covers."""
    import openpyxl

    data = tmp_path / "ekinerja"
    shutil.copytree(CONTOH / "ekinerja_bkn", data)
    skp = data / "Realisasi SKP.xlsx"
    wb = openpyxl.load_workbook(skp)
    ws = wb.active
    ws.insert_rows(1)
    ws["A1"] = "REALISASI SKP PEGAWAI TRIWULAN I 2025"  # the quick scan cannot read it
    for f, col in ((skp, 2), (data / "Rekap Predikat Kinerja.xlsx", 3)):
        wb = wb if f == skp else openpyxl.load_workbook(f)
        ws = wb.active
        for row in ws.iter_rows():
            if row[col - 1].value == "Maret 2025":
                row[0].value = "NIP-TIDAK-SAH"
        wb.save(f)
    res = run_batch(
        data,
        tmp_path / "laporan",
        mapping=data / "pemetaan.yaml",
        profile=data / "profil_instansi.yaml",
        notebooks=["10", "90"],
        progress=False,
        cache_dir=tmp_path / "cache",
    )
    assert res.exit_code == 1
    by = {r.key: r for r in res.runs}
    bad = by["2025-03/10"]
    assert bad.status == "gagal" and bad.no_usable_data
    assert re.search(r"Realisasi SKP.xlsx baris \d+, kolom nip", bad.message), bad.message
    assert by["2025-02/10"].status == "ok"
    index = (tmp_path / "laporan" / "index.html").read_text("utf-8")
    assert "Ringkasan Lintas Periode (sampai Februari 2025)" in index


def test_a_notebook_reads_an_agency_export_through_its_mapping(tmp_path):
    """The report notebooks' ``mapping`` parameter (as ``kinerja validate --mapping``):
    an e-Kinerja export opens in JupyterLab/papermill without a batch's cache; without
    the mapping the message says which table it could not find."""
    from kinerja_analysis.core.errors import DatasetError
    from kinerja_analysis.reporting.notebook import setup

    data = tmp_path / "ekinerja"
    shutil.copytree(CONTOH / "ekinerja_bkn", data)
    kw = dict(periode="2025-02", data_dir=data, profil=data / "profil_instansi.yaml")
    doc = setup(**kw, mapping=data / "pemetaan.yaml")
    assert doc.periode == "2025-02" and len(doc.tables["pegawai"]) > 0
    with pytest.raises(DatasetError, match="pegawai"):
        setup(**kw)
