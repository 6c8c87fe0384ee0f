"""Personal data carried by the data's own text cells never reaches a stakeholder file.

A fresh tester found employees' names (a shifted column: the employee's own name in
``opd``) and another employee's NIP in printed groups (``UPT 19690825 199103 2 001``)
published in the index, the city document (HTML, PDF, XLSX) and on the console. Three
lines of defence are tested here:

* the matcher (:class:`kinerja_analysis.core.personal.Register`): a registered NIP in
  every printed form, a number in a NIP's shape, a registered name;
* validation (rule ``data_pribadi``): a text column the documents publish (``opd``,
  the survey instrument's texts) holding a NIP or a name rejects its row, any other text
  column warns; the message names file, row, column and the value with the personal
  data masked, and never the data;
* the batch: every document is checked before it is published
  (:func:`kinerja_analysis.reporting.privacy.check_document`); one that still carries
  personal data (through a path validation does not cover) fails its run, nothing of it
  is published and the earlier document stays; the index and the console mask or leave
  out what holds personal data.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from kinerja_analysis.core.personal import Register
from kinerja_analysis.data.loading import validate_dataset
from kinerja_analysis.data.messages import MESSAGES
from kinerja_analysis.data.synth import generate, write_dataset
from kinerja_analysis.pipeline import batch
from kinerja_analysis.pipeline.console import BatchConsole, Redactor
from kinerja_analysis.reporting.privacy import (
    PersonalDataFound,
    check_document,
    personal_register,
    scan_personal_data,
)
from kinerja_analysis.reporting.tables import issues_by_rule
from kinerja_analysis.reporting.text import rule_label

NIP = "196908251991032001"
GROUPED = "19690825 199103 2 001"


def _kinds(r: Register, text: str) -> list[str]:
    return [h.kind for h in r.find(text)]


# ----------------------------------------------------------------------------- matcher


@pytest.mark.parametrize(
    "text",
    [
        NIP,
        f"UPT {GROUPED}",
        "19690825-199103-2-001",
        "19690825.199103.2.001",
        "19690825/199103/2/001",
        "19690825\u00a0199103\u00a02\u00a0001",
        f"NIP: {NIP}.",
        f"kode 12{NIP}",  # inside a longer run of digits
        "1.96908251991032E+17",  # a spreadsheet's number cell, read as text
        "1,96908251991032E+17",
        repr(float(NIP)),  # a workbook's float cell
    ],
)
def test_a_registered_nip_is_found_in_every_printed_form(text):
    r = Register(["000", NIP], [])
    (hit,) = r.find(text)
    assert (hit.kind, hit.entry) == ("nip", 1)
    assert "[NIP]" in r.mask(text) and not re.search(r"\d{6}", r.mask(text))


def test_numbers_in_a_nip_shape_count_and_other_numbers_do_not():
    r = Register([NIP], [])
    assert _kinds(r, "198501012010011001") == ["nip_bentuk"]  # not registered
    assert _kinds(r, "19850101 201001 1 001") == ["nip_bentuk"]
    digest = hashlib.sha256(b"x").hexdigest()
    plain = "a" + "123456789012345678" + "f"  # 18 digits inside a hexadecimal digest
    assert r.find(digest) == [] and r.find(plain) == []
    assert r.find("12.345.678.901.234.567.890") == []  # a big number with thousands marks
    assert r.find("1969 0825 1991") == [] and r.find("2024-01-01 2025-12-31") == []


def test_names_are_found_as_whole_words_and_one_word_names_only_as_a_whole_text():
    r = Register([], ["Ratih Wijaya", "Dr. H. Nurul Simanjuntak, S.Kom., M.Si.", "Agung", "Ani"])
    assert _kinds(r, "UPT ratih  WIJAYA") == ["nama"]
    assert _kinds(r, "ratih_wijaya-1a2b3c4d") == ["nama"]  # a folder name
    assert _kinds(r, "Nurul Simanjuntak") == ["nama"]  # without the titles
    assert _kinds(r, "Agung") == ["nama"] and r.find("Masjid Agung") == []
    assert r.find("Dinas Ratihwijaya") == [] and r.find("Ani") == []  # glued; under 4 letters
    assert r.mask("Coaching oleh Ratih Wijaya (2024)") == "Coaching oleh [nama] (2024)"
    signed = Register([], ["Ratih Wijaya"], allow=["Dr. Ratih Wijaya, M.Si."])
    assert signed.find("Ratih Wijaya") == []  # the profile's signatory is printed


def test_scanning_many_texts_finds_what_reading_each_finds():
    """Above 2,000 texts :meth:`Register.scan` narrows them down in Arrow first: the
    same hits as reading every text in Python."""
    rng = np.random.default_rng(4)
    nips = [f"1970{i % 12 + 1:02d}{i % 28 + 1:02d}199503{i % 2 + 1}{i:03d}" for i in range(300)]
    names = [f"Nama{i} Belakang{i % 17}" for i in range(300)] + ["Suparman"]
    r = Register(nips, names)
    texts = [f"Kegiatan {w} nomor {i}" for i, w in enumerate(rng.choice(["a", "b"], 3000))]
    for i in range(0, 3000, 97):
        k = int(rng.integers(300))
        texts[i] = rng.choice(
            [
                f"UPT {nips[k][:8]} {nips[k][8:14]} {nips[k][14]} {nips[k][15:]}",
                f"Coaching oleh {names[k].upper()}, S.E.",
                f"({names[k]})",
                f"dinas-{names[k].lower().replace(' ', '-')}",
                "Suparman",
                f"{int(nips[k]) / 1e17:.14f}E+17",
            ]
        )
    expected = {i: r.find(t) for i, t in enumerate(texts) if r.find(t)}
    assert len(expected) == len(range(0, 3000, 97))
    assert r.scan(texts) == expected


# ----------------------------------------------------------------------------- validation


def _sci(nip: str) -> str:
    return f"{int(nip) / 1e17:.14f}".rstrip("0") + "E+17"


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """A 150-ASN city with personal data planted in its text columns, as the tester
    did and beyond: ``(folder, plants, register of the city)``; ``plants`` maps
    ``(file, row, column)`` to ``(level, message key, employee's file row or None,
    value as the issues list shows it)``."""
    r = generate(n_pegawai=150, seed=7)
    t = r.tables
    peg = t["pegawai"]
    nama, nip = peg["nama"].tolist(), peg["nip"].tolist()
    first_row = {}  # the file row of the first employee of each name (the message's)
    for i, n in enumerate(nama):
        first_row.setdefault(n, i + 2)
    plants = {}
    for i in (0, 1, 2):  # the employee's own name in opd: a shifted column
        peg.loc[i, "opd"] = nama[i]
        plants[("pegawai.csv", i + 2, "opd")] = (
            "tolak",
            "data_pribadi_nama_sendiri",
            None,
            "[nama]",
        )
    other = nip[10]
    peg.loc[3, "opd"] = f"UPT {other[:8]} {other[8:14]} {other[14]} {other[15:]}"
    plants[("pegawai.csv", 5, "opd")] = ("tolak", "data_pribadi_nip", 12, "UPT [NIP]")
    peg.loc[20, "jabatan"] = nama[30]  # not published: a warning, the employee stays
    plants[("pegawai.csv", 22, "jabatan")] = (
        "peringatan", "data_pribadi_nama", first_row[nama[30]], "[nama]",
    )  # fmt: skip
    peg.loc[90, "nama"] = "Agung"  # a one-word name: not a hit inside an OPD's name
    peg.loc[91, "opd"] = "UPT Masjid Agung"
    dashed = f"{nip[40][:8]}-{nip[40][8:14]}-{nip[40][14]}-{nip[40][15:]}"
    t["layanan"].loc[0, "opd"] = f"Dinas {dashed}"
    plants[("layanan.csv", 2, "opd")] = ("tolak", "data_pribadi_nip", 42, "Dinas [NIP]")
    t["survei_instrumen"].loc[0, "teks"] = f"Saya percaya pada {nama[50]}."
    plants[("survei_instrumen.csv", 2, "teks")] = (
        "tolak", "data_pribadi_nama", first_row[nama[50]], "Saya percaya pada [nama].",
    )  # fmt: skip
    t["skp"].loc[0, "indikator"] = f"Verifikasi berkas {_sci(nip[60])}"
    plants[("skp.csv", 2, "indikator")] = (
        "peringatan", "data_pribadi_nip", 62, "Verifikasi berkas [NIP]",
    )  # fmt: skip
    t["pelatihan"].loc[0, "nama_pelatihan"] = f"Coaching oleh {nama[70].upper()}"
    plants[("pelatihan.csv", 2, "nama_pelatihan")] = (
        "peringatan", "data_pribadi_nama", first_row[nama[70]], "Coaching oleh [nama]",
    )  # fmt: skip
    folder = tmp_path_factory.mktemp("pribadi") / "kota"
    write_dataset(r, folder)
    return folder, plants, Register(nip, nama)


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_validation_flags_personal_data_in_text_columns(planted, bahasa):
    folder, plants, register = planted
    rep, tables, _ = validate_dataset(folder, bahasa=bahasa)
    iss = rep.issues
    found = iss[iss["aturan"] == "data_pribadi"]
    where = {(r.file, int(r.baris), r.kolom): r for r in found.itertuples()}
    assert set(where) == set(plants)  # every plant, and nothing in the rest of the city
    for key, (level, msg_key, row, value) in plants.items():
        r = where[key]
        assert r.tingkat == level and r.nilai == value, key
        akibat = MESSAGES(
            "data_pribadi_terbit" if level == "tolak" else "data_pribadi_tidak_terbit",
            bahasa,
            kolom=key[2],
        )
        assert r.pesan == MESSAGES(msg_key, bahasa, file="pegawai.csv", baris=row, akibat=akibat)
        # the message and the value never repeat the personal data
        assert not register.find(r.pesan, whole=False) and not register.find(r.nilai)
    peg = tables["pegawai"]
    assert len(peg) == 150 - 4  # the four rows whose opd holds personal data
    assert not peg["opd"].map(lambda v: bool(register.find(v))).any()
    assert "UPT Masjid Agung" in set(peg["opd"])
    assert tables["layanan"]["opd"].str.contains("Dinas 1").sum() == 0
    assert len(tables["pelatihan"]) == len(pd.read_csv(folder / "pelatihan.csv")) - int(
        (iss[iss["tabel"] == "pelatihan"]["tingkat"] == "tolak").sum()
    )
    # the employees of the rejected rows are set aside in the other tables, under
    # this root cause
    cause = iss[(iss["tabel"] == "skp") & (iss["aturan"] == "referensi:pegawai_ditolak")]
    assert {"pegawai.csv baris 2", "pegawai.csv baris 5"} <= set(cause["sebab"])
    # the data-quality document counts problems per rule, in words, never the values
    counts = issues_by_rule(rep)
    assert list(counts.columns) == ["tabel", "aturan", "tingkat", "n_masalah"]
    assert rule_label("data_pribadi", bahasa) != "data_pribadi"


# ----------------------------------------------------------------------------- the guard


def _table_nb(cell: str):
    """An executed notebook whose one output is a table with ``cell`` in it."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    code = nbformat.v4.new_code_cell("tabel")
    code.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={
                "text/html": f"<table><tr><th>OPD</th><th>ASN</th></tr>"
                f"<tr><td>Dinas A</td><td>12</td></tr><tr><td>{cell}</td><td>30</td></tr></table>",
                "text/plain": "tabel",
            },
        )
    ]
    nb.cells = [code]
    return nb


def _spec(tmp_path: Path, opd: str | None = None, slug: str = "") -> batch.RunSpec:
    stem = "laporan_periode_2025Q4" + (f"_{slug}" if opd else "")
    folder = tmp_path / "out" / "2025Q4" / (f"opd/{slug}" if opd else "")
    return batch.RunSpec(
        key=f"2025Q4/opd/{slug}/10" if opd else "2025Q4/10",
        notebook=batch.NotebookSpec(
            kode="10", name="laporan_periode", title="Laporan", path=tmp_path / "nb.py"
        ),
        periode="2025Q4",
        opd=opd,
        folder=folder,
        stem=stem,
        title="Laporan" + (f" — {opd}" if opd else ""),
        periode_label="2025Q4",
        parameters={"bahasa": "id", "output_dir": str(tmp_path / "kerja")},
        formats=("html", "pdf", "xlsx"),
        failed_path=tmp_path / "cache" / "gagal" / "2025Q4" / "10_laporan_periode.ipynb",
        inputs={"data": "abc", "versi": "0"},
    )


@pytest.fixture
def fake_run(monkeypatch):
    """``_run_one`` without a kernel: the "executed" notebook is a table holding the
    text of ``cells[0]`` (HTML) and the workbook's table holds ``cells[1]``."""
    from kinerja_analysis.pipeline import execution
    from kinerja_analysis.reporting.notebook import save_table

    cells = ["Dinas B", "Dinas B"]

    def execute(nb, executed, parameters, cwd):
        work = Path(parameters["output_dir"])
        save_table(
            work, "asn_per_opd", pd.DataFrame({"opd": ["Dinas A", cells[1]], "n_asn": [12, 30]})
        )
        return _table_nb(cells[0])

    monkeypatch.setattr(batch, "read_notebook", lambda path: nbformat.v4.new_notebook())
    monkeypatch.setattr(execution, "execute_notebook", execute)
    register = Register([NIP], ["Ratih Wijaya", "Nurul Simanjuntak"])
    monkeypatch.setattr(batch, "_REGISTER", register)
    return cells, register


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.suffix in (".html", ".pdf", ".xlsx")
    }


@pytest.mark.parametrize(
    ("html_cell", "xlsx_cell", "kinds"),
    [
        ("Ratih Wijaya", "Dinas B", (0, 1)),  # a name in a table of the HTML (and PDF)
        ("Dinas B", f"UPT {GROUPED}", (1, 0)),  # a grouped NIP in the workbook only
    ],
)
def test_the_guard_blocks_a_document_and_keeps_the_earlier_one(
    tmp_path, fake_run, html_cell, xlsx_cell, kinds
):
    """A table of a run carries a name or a NIP that validation never saw (planted into
    the notebook's output): the run fails, nothing of it is published, the earlier good
    document stays byte for byte, and the index lists it as not updated, saying why in
    words; no message names the data."""
    cells, register = fake_run
    spec = _spec(tmp_path)
    good = batch._log_run(spec, batch._run_one(spec), register)
    assert good.status == "ok", good.original_error
    before = _hashes(spec.folder)
    assert set(before) == {f"{spec.stem}.{f}" for f in ("html", "pdf", "xlsx")}

    cells[:] = [html_cell, xlsx_cell]
    res = batch._log_run(spec, batch._run_one(spec), register)
    assert res.status == "gagal" and res.reason == "pribadi"
    assert _hashes(spec.folder) == before
    assert not [p for p in spec.folder.iterdir() if p.name.endswith(".tmp")]
    n_nip, n_nama = kinds
    assert f"({n_nip} NIP, {n_nama} nama pegawai)" in res.message
    assert f"{spec.stem}.{'html' if n_nama else 'xlsx'}" in res.message
    for text in (res.message, res.original_error):
        assert not register.find(text, whole=False) and "Ratih" not in text
    assert res.earlier_report  # the earlier document is named as kept
    index = batch._write_index(tmp_path / "out", "id", register=register)
    page = index.read_text("utf-8")
    assert "memuat data pribadi" in page and f"{spec.stem}.pdf" in page
    assert scan_personal_data(tmp_path / "out", [NIP], ["Ratih Wijaya"]).empty


def test_an_opd_whose_name_holds_personal_data_leaves_no_trace(tmp_path, fake_run):
    """A per-OPD run of an OPD named after an employee (its folder and file names hold
    the name): no folder, no manifest, no index entry; the console masks the name."""
    _, register = fake_run
    spec = _spec(tmp_path, opd="Ratih Wijaya", slug="ratih-wijaya")
    res = batch._log_run(spec, batch._run_one(spec), register)
    assert res.status == "gagal" and res.reason == "pribadi"
    assert "[nama]" in res.message and "Ratih" not in res.message
    assert not spec.folder.exists()
    buf = io.StringIO()
    summary = batch.BatchSummary(
        (res,), tmp_path / "out", None, 1.0, redact=Redactor(["Ratih Wijaya"])
    )
    shown = "\n".join(summary.lines("id"))
    from rich.console import Console

    Console(file=buf, width=200).print(summary.rich_table())
    assert "Ratih" not in shown + buf.getvalue() and "[nama]" in shown


def test_the_index_leaves_out_what_holds_personal_data(tmp_path):
    """Documents an earlier batch published under an employee's name, and an OPD among
    the small ones named after one, are left out of the index with a note that names
    neither."""
    out = tmp_path / "out"
    register = Register([NIP], ["Ratih Wijaya"])
    for slug, title in (
        ("ratih-wijaya", "Laporan — Ratih Wijaya"),
        ("dinas-a", "Laporan — Dinas A"),
    ):
        folder = out / "2025Q4" / "opd" / slug
        folder.mkdir(parents=True)
        (folder / f"laporan_{slug}.html").write_text("<p>isi</p>", "utf-8")
        batch._write_manifest(
            folder,
            {"runs": {"10": {"judul": title, "opd": title.split(" — ")[1], "periode": "2025Q4",
                             "keluaran": [f"laporan_{slug}.html"], "selesai": "2026-01-01"}}},
        )  # fmt: skip
    notes: list[str] = []
    page = batch._write_index(
        out, "id", small={"2025Q4": {"Ratih Wijaya": 1, "Dinas C": 2}}, register=register,
        notes=notes,
    ).read_text("utf-8")  # fmt: skip
    assert "Dinas A" in page and "Dinas C" in page
    assert "Ratih" not in page and "ratih" not in page
    assert notes == [batch.TEXT("indeks_entri_pribadi", "id", n=2, periode="2025Q4")]


def test_the_console_masks_personal_data_and_keeps_its_markup(tmp_path):
    buf = io.StringIO()
    from rich.console import Console

    con = BatchConsole(Console(file=buf, width=200), progress=False, log_path=tmp_path / "b.log")
    con.redact = Redactor(["Ratih Wijaya"])
    con.say(f"Tanpa laporan per OPD: Ratih Wijaya — UPT {GROUPED}", style="yellow")
    shown, logged = buf.getvalue(), (tmp_path / "b.log").read_text("utf-8")
    assert "Tanpa laporan per OPD: [nama] — UPT [NIP]" in shown
    assert "[nama]" in logged and "Ratih" not in logged and "199103" not in logged


def test_check_document_reads_workbooks_and_names_no_data(tmp_path):
    from kinerja_analysis.reporting import export

    register = Register([NIP], ["Ratih Wijaya"])
    sheets = {"ASN per OPD": pd.DataFrame({"opd": ["Dinas A", "Dinas B"], "n": [12, float(NIP)]})}
    data = export.xlsx_bytes(sheets, bahasa="id")
    with pytest.raises(PersonalDataFound) as e:
        check_document("x.xlsx", data, register)
    assert e.value.n_nip == 1 and NIP not in str(e.value)
    clean = export.xlsx_bytes({"ASN": pd.DataFrame({"opd": ["Dinas A"], "n": [12]})}, bahasa="id")
    check_document("x.xlsx", clean, register)  # nothing raised


# ----------------------------------------------------------------------------- end to end


def _all_text_hits(paths, register: Register) -> list[str]:
    """Files under ``paths`` (and console text) that hold personal data of ``register``."""
    bad = []
    for p in paths:
        for f in [p] if p.is_file() else sorted(q for q in p.rglob("*") if q.is_file()):
            if f.suffix in (".parquet", ".ipynb"):
                continue
            from kinerja_analysis.reporting.privacy import document_hits

            if document_hits(f.name, f.read_bytes(), register):
                bad.append(str(f))
    return bad


@pytest.fixture(scope="module")
def planted_cache(tmp_path_factory) -> Path:
    """The batches' private cache of the planted city, shared by the tests below (the
    cross-period models are computed once)."""
    return tmp_path_factory.mktemp("cache") / "kota-cache"


@pytest.mark.slow
def test_a_batch_on_the_planted_city_publishes_no_personal_data(planted, planted_cache, tmp_path):
    """The tester's repro (names and a grouped NIP in ``opd``, and the rest planted
    above), one period, per OPD: nothing under ``--out`` (index, manifests, HTML, PDF,
    XLSX), in the run logs or on the console holds a NIP or a name of the register, nor
    a planted value; the rejected "OPDs" have no notice anywhere."""
    from rich.console import Console

    folder, _, register = planted
    peg = pd.read_csv(folder / "pegawai.csv", dtype=str)
    out, cache = tmp_path / "out", planted_cache
    buf = io.StringIO()
    s = batch.run_batch(
        folder, out, periods=["2025Q4"], per_opd=True, notebooks=["10"], min_sel=20,
        workers=2, progress=False, cache_dir=cache, console=Console(file=buf, width=200),
    )  # fmt: skip
    assert s.exit_code == 0, s.tidy()[["key", "message"]]
    lines = "\n".join(s.lines("id"))
    Console(file=buf, width=200).print(s.rich_table())
    # the project's scanner (one-word names left out: it finds them anywhere, and the
    # city has an employee named "Agung" beside an OPD "UPT Masjid Agung")
    several = peg["nama"].dropna()[peg["nama"].dropna().str.contains(" ")]
    found = scan_personal_data([out, cache / "log"], peg["nip"], several)
    assert found.empty, found.head().to_dict("records")
    assert {".html", ".pdf", ".xlsx"} <= {Path(f).suffix for f in found.attrs["dipindai"]}
    console = buf.getvalue() + lines
    for text in (console, (out / "index.html").read_text("utf-8")):
        assert not register.find(text, whole=False), text[:300]
        assert not re.search(r"UPT \d|\d{8} \d{6}", text)
    assert not _all_text_hits([out, cache / "log"], register)
    assert (out / "2025Q4" / "laporan_periode_2025Q4.pdf").is_file()


@pytest.mark.slow
def test_a_profile_that_prints_a_nip_stops_the_batch_before_any_work(
    planted, planted_cache, tmp_path
):
    """A path validation does not read: the agency profile's signatory line carries an
    employee's NIP (the usual layout under a signature). Every document would fail its
    last check after the whole computation, with advice to look in the data (a fresh
    tester); the batch now refuses the profile up front, naming its file and key; the
    earlier documents stay; the message never holds the NIP."""
    from rich.console import Console

    from kinerja_analysis.data.loading import load_dataset

    data = planted[0]
    ds = load_dataset(data)
    nip = str(ds.pegawai["nip"].iloc[5])
    grouped = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    good = tmp_path / "profil.yaml"
    good.write_text(
        "instansi:\n  nama: Kotalama\n  jenis: kota\npenandatangan:\n"
        "  nama: Drs. Contoh Penandatangan\n  jabatan: Sekretaris Daerah\n",
        "utf-8",
    )
    bad = tmp_path / "profil_nip.yaml"
    bad.write_text(
        good.read_text("utf-8").replace("Sekretaris Daerah", f"Sekretaris Daerah, NIP {grouped}"),
        "utf-8",
    )
    out, cache = tmp_path / "out", planted_cache
    kw = dict(
        periods=[ds.periods[-1]], notebooks=["10"], workers=1, progress=False, cache_dir=cache
    )
    first = batch.run_batch(data, out, profile=good, **kw)
    assert first.exit_code == 0
    folder = out / ds.periods[-1]
    before = _hashes(folder)
    buf = io.StringIO()
    for bahasa in ("id", "en"):
        with pytest.raises(ValueError) as e:
            batch.run_batch(
                data, out, profile=bad, console=Console(file=buf, width=200), bahasa=bahasa, **kw
            )
        assert str(e.value).startswith("profil_nip.yaml: penandatangan.jabatan: ")
        assert ("NIP pegawai" if bahasa == "id" else "employee's NIP") in str(e.value)
        assert grouped not in str(e.value) and nip not in str(e.value)
    assert _hashes(folder) == before
    register = personal_register(ds)
    assert not _all_text_hits([out, cache / "log"], register)
    assert grouped not in buf.getvalue()
    # the signatory's own name is printed (the profile allows it); another
    # employee's name in the signatory's title is refused the same way
    other = str(ds.pegawai["nama"].iloc[7])
    named = tmp_path / "profil_nama.yaml"
    named.write_text(
        good.read_text("utf-8").replace("Sekretaris Daerah", f"Plh. Sekda a.n. {other}"),
        "utf-8",
    )
    with pytest.raises(ValueError, match="penandatangan.jabatan: memuat nama pegawai"):
        batch.run_batch(data, out, profile=named, **kw)


def test_the_scanner_finds_a_nip_with_dashes_and_as_a_number(tmp_path):
    """``scan_personal_data`` (the tests' scan of every written file) knows the printed
    forms the batch's check knows."""
    (tmp_path / "a.txt").write_text(
        "UPT 19690825-199103-2-001\nkode 1.96908251991032E+17\n19850101/201001/1/001\n", "utf-8"
    )
    found = scan_personal_data(tmp_path, [NIP], [])
    assert sorted(found["jenis"]) == ["nip", "nip_dikenal", "nip_dikenal"]
    assert not found["cuplikan"].str.contains("199103").any()


# ----------------------------------------------------------------------------- figures


def _predikat_figure_html(groups: list[str]) -> str:
    """A page holding one real chart of the reports whose bars are named ``groups``."""
    from kinerja_analysis.reporting import plots
    from kinerja_analysis.reporting.notebook import figure_html

    dist = pd.DataFrame(
        [(g, p, 0.2) for g in groups for p in plots._PREDIKAT],
        columns=["kelompok", "predikat", "persen"],
    )
    plots.use_style()
    return f"<html><body><p>Distribusi predikat</p>{figure_html(plots.plot_predikat_distribution, dist, title='Predikat per OPD')}</body></html>"


def test_the_guard_reads_the_texts_drawn_on_a_figure(tmp_path):
    """A name or NIP that reaches a document only as a figure's text (a tick label drawn
    from an OPD name) is found by the batch's check and by the scan, read from the PNG
    itself; before, the check left images out and passed such a page."""
    from kinerja_analysis.reporting.privacy import _DATA_URI, figure_texts

    register = Register([NIP], ["Ratih Wijaya", "Suparman"])
    for planted, kind in [
        ("Bagian Ratih Wijaya", "nama"),
        (f"UPT {GROUPED}", "nip"),
        ("Suparman", "nama"),  # a one-word name as a whole label
    ]:
        page = _predikat_figure_html(["Dinas Pendidikan", planted])
        # the page's own text does not hold it: only the figure does
        assert not document_hits_of(_DATA_URI.sub("data:", page), register)
        with pytest.raises(PersonalDataFound) as e:
            check_document("laporan.html", page, register)
        assert e.value.counts.get(kind) and NIP not in str(e.value) and "Ratih" not in str(e.value)
        (tmp_path / "laporan.html").write_text(page, "utf-8")
        found = scan_personal_data(tmp_path / "laporan.html", [NIP], ["Ratih Wijaya", "Suparman"])
        # the chart drawn for the page and for a phone: both carry it
        assert sorted(found["lokasi"]) == ["grafik 1", "grafik 2"]
        assert (
            "Ratih" not in found["cuplikan"].iloc[0] and "199103" not in found["cuplikan"].iloc[0]
        )

    # the texts are the drawn ones: the tick labels made while drawing, the title
    clean = _predikat_figure_html(["Dinas Pendidikan", "Bagian Umum"])
    png = base64.b64decode(re.search(r"base64,([^\"]+)", clean).group(1))
    texts = figure_texts(png)
    assert {"Dinas Pendidikan", "Bagian Umum", "Predikat per OPD"} <= set(texts)
    check_document("laporan.html", clean, register)  # nothing raised

    # a name is matched within one text, never across two neighbouring labels
    split = _predikat_figure_html(["Ratih", "Wijaya"])
    check_document("laporan.html", split, Register([], ["Ratih Wijaya"]))


def document_hits_of(html: str, register: Register) -> dict[str, int]:
    from kinerja_analysis.reporting.privacy import document_hits

    return document_hits("laporan.html", html, register)


def test_figures_in_png_files_and_notebooks_are_scanned_and_other_images_skipped(tmp_path):
    page = _predikat_figure_html(["Dinas Pendidikan", "Bagian Ratih Wijaya"])
    b64 = re.search(r"base64,([^\"]+)", page).group(1)
    png = base64.b64decode(b64)
    (tmp_path / "grafik.png").write_bytes(png)
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("plot()")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": b64})]
    nb.cells = [cell]
    nbformat.write(nb, str(tmp_path / "laporan.ipynb"))
    # an image that is not one of the reports' figures carries no text: skipped, said so
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, format="PNG")
    (tmp_path / "logo.png").write_bytes(buf.getvalue())

    found = scan_personal_data(tmp_path, [NIP], ["Ratih Wijaya"])
    assert sorted(Path(f).name for f in found["file"]) == ["grafik.png", "laporan.ipynb"]
    assert (found["jenis"] == "nama").all()
    assert [Path(f).name for f, _ in found.attrs["dilewati"]] == ["logo.png"]
    with pytest.raises(PersonalDataFound):
        check_document("grafik.png", png, Register([], ["Ratih Wijaya"]))
    check_document("logo.png", buf.getvalue(), Register([], ["Ratih Wijaya"]))


# ----------------------------------------------------------------------------- issues list

#: Columns that hold a NIP by design: their values are the rows' keys and stay as written.
_NIP_COLUMNS = {"nip", "nip_atasan", "id_penilai", "nip_penilai"}


def _unmasked(issues: pd.DataFrame, register: Register) -> list[tuple]:
    """Issues whose value or message still holds a registered name, or a NIP outside
    the columns that hold one by design."""
    out = []
    for r in issues.itertuples():
        for col in ("nilai", "pesan"):
            v = getattr(r, col)
            if not isinstance(v, str):
                continue
            hits = register.find(v, whole=col == "nilai")
            if r.kolom in _NIP_COLUMNS:
                hits = [h for h in hits if h.kind == "nama"]
            if hits:
                out.append((r.aturan, r.kolom, col))
    return out


def test_no_rule_quotes_personal_data_in_the_issues_list(tmp_path):
    """The tester's case: an employee's name typed into ``opd`` in several spellings.
    ``data_pribadi`` masked its values, but the spelling rule (``ejaan_nama``) quoted
    the same cells as written in its values and messages, on the console of ``kinerja
    validate``, in ``masalah.csv`` and ``validasi.xlsx``. Every issue is masked now,
    whichever rule wrote it; a NIP in a NIP column stays, the row's key."""
    from typer.testing import CliRunner

    from kinerja_analysis.pipeline.cli import app

    r = generate(n_pegawai=80, seed=3)
    peg = r.tables["pegawai"]
    nama, nip = peg["nama"].tolist(), peg["nip"].tolist()
    who = nama[5]
    for i, v in zip(
        (30, 31, 32),
        (f"Bagian {who.upper()}", f"Bagian {who.replace(' ', chr(160))}", f"Bagian {who.lower()}"),
        strict=True,
    ):
        peg.loc[i, "opd"] = v
    peg.loc[40, "jabatan"] = f"Staf {nip[7]}"
    peg.loc[41, "nip"] = nip[42]  # a duplicated NIP: the row's key, kept as written
    folder = tmp_path / "kota"
    write_dataset(r, folder)
    register = Register(nip, nama)

    rep, _, _ = validate_dataset(folder)
    iss = rep.issues
    spelling = iss[iss["aturan"] == "ejaan_nama"]
    assert len(spelling) and spelling["nilai"].str.contains(r"\[nama\]").all()
    assert not _unmasked(iss, register)
    assert iss.loc[iss["kolom"] == "nip", "nilai"].isin([nip[42]]).any()

    out = tmp_path / "validasi"
    result = CliRunner().invoke(app, ["validate", str(folder), "--out", str(out), "--show", "200"])
    assert result.exit_code == 1, result.output
    shown = result.output + (out / "masalah.csv").read_text("utf-8")
    for part in who.split():
        assert part.lower() not in shown.lower(), part
    # the issues' files and sheets (the rejected rows are the raw rows, by design)
    written = scan_personal_data(
        [out / n for n in ("masalah.csv", "masalah_struktur.csv", "sebab_utama.csv")]
        + [out / "validasi.xlsx"],
        [],
        nama,
    )
    sheets = written["lokasi"].str.split("!").str[0]
    names = written[(written["jenis"] == "nama") & ~sheets.str.startswith("Ditolak")]
    assert names.empty, names


def test_a_label_row_of_the_register_is_not_a_person(tmp_path):
    """A fresh tester's export: a row ``Dinas Kesehatan`` (in the name column, with no
    NIP) over its unit's block. Its "name" entered the register, and every employee of
    that unit then "held a registered name" in opd and was rejected (52 of 251)."""
    r = generate(n_pegawai=80, seed=3)
    peg = r.tables["pegawai"]
    unit = str(peg["opd"].iloc[0])
    write_dataset(r, tmp_path / "kota")
    path = tmp_path / "kota" / "pegawai.csv"
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    label = pd.DataFrame([{c: (unit if c == "nama" else "") for c in raw.columns}])
    pd.concat([label, raw], ignore_index=True).to_csv(path, index=False)
    rep, tables, _ = validate_dataset(tmp_path / "kota")
    assert not (rep.issues["aturan"] == "data_pribadi").any()
    assert len(tables["pegawai"]) == len(peg)  # only the label row is rejected
    from kinerja_analysis.data.loading import load_dataset
    from kinerja_analysis.reporting.privacy import register_texts

    ds = load_dataset(tmp_path / "kota")
    assert unit not in register_texts(ds)[1]  # the batch's guard: the same rule
    assert set(peg["nama"]) <= set(register_texts(ds)[1])
