"""The agency profile (issue 13, item 1): one file read by the CLI, the notebooks and
the batch; parameters checked before any heavy work; a real export with its mapping and
a non-Kotalama profile gives documents that name that agency and never Kotalama."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kinerja_analysis.core.profile import (
    BUNDLED_PROFILE,
    AgencyProfile,
    ProfileError,
    default_profile,
    read_profile,
)
from kinerja_analysis.pipeline import batch
from kinerja_analysis.pipeline.batch import run_batch
from kinerja_analysis.pipeline.cli import app

ROOT = Path(__file__).resolve().parent.parent
SIASN = ROOT / "data" / "contoh" / "ekspor_siasn"


def test_bundled_profile_is_kotalama():
    p = default_profile()
    assert p.source == BUNDLED_PROFILE.resolve()
    assert p.government("id") == "Pemerintah Kota Kotalama"
    assert p.government("en") == "Government of Kotalama City"
    assert p.period == "triwulan" and p.period_kind == "Q" and p.min_sel == 5


@pytest.mark.parametrize(
    ("kind", "id_", "en"),
    [
        ("kota", "Pemerintah Kota Sukamaju", "Government of Sukamaju City"),
        ("kabupaten", "Pemerintah Kabupaten Sukamaju", "Sukamaju Regency Government"),
        ("provinsi", "Pemerintah Provinsi Sukamaju", "Sukamaju Provincial Government"),
    ],
)
def test_government_name_by_kind(kind, id_, en):
    p = AgencyProfile(name="Sukamaju", kind=kind)
    assert (p.government("id"), p.government("en")) == (id_, en)


def _png(path, size=(8, 6)) -> bytes:
    """A real PNG (a small grey image) written to ``path``; its bytes."""
    from PIL import Image

    Image.new("RGB", size, (120, 120, 120)).save(path, format="PNG")
    return path.read_bytes()


def test_read_profile_and_round_trip(tmp_path):
    png = tmp_path / "logo.png"
    _png(png)
    f = tmp_path / "profil.yaml"
    f.write_text(
        "instansi:\n  nama: Sukamaju\n  jenis: Kabupaten\n  wilayah: Provinsi Contoh\n"
        "logo: logo.png\npenandatangan:\n  nama: A\n  jabatan: Sekda\n"
        "bahasa: en\nmin_sel: 10\nperiode: bulan\n"
    )
    p = read_profile(f)
    assert p.kind == "kabupaten" and p.logo == png.resolve() and p.bahasa == "en"
    assert p.min_sel == 10 and p.period_kind == "M" and p.signatory.title == "Sekda"
    assert p.logo_data_uri().startswith("data:image/png;base64,")
    g = tmp_path / "salinan.yaml"
    g.write_text(p.to_yaml())
    assert read_profile(g).fingerprint() == p.fingerprint()


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("instansi: {nama: X, jenis: desa}\n", "jenis 'desa'"),
        ("instansi: {jenis: kota}\n", "instansi.nama"),
        ("instansi: {nama: X, jenis: kota}\nwarna: biru\n", "warna"),
        ("instansi: {nama: X, jenis: kota}\nmin_sel: 0\n", "min_sel"),
        ("instansi: {nama: X, jenis: kota}\nperiode: mingguan\n", "mingguan"),
        ("instansi: {nama: X, jenis: kota}\nlogo: tidak_ada.png\n", "tidak_ada.png"),
        ("instansi: {nama: X, jenis: kota}\nlogo: profil.yaml\n", "PNG atau JPEG"),
        ("instansi: [\n", "YAML"),
    ],
)
def test_bad_profiles_are_named(tmp_path, text, match):
    f = tmp_path / "profil.yaml"
    f.write_text(text)
    with pytest.raises(ProfileError, match=re.escape(match)):
        read_profile(f)


@pytest.mark.parametrize(
    "damage",
    [
        lambda good: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 2,  # the signature, then garbage
        lambda good: good[: len(good) // 2],  # cut off
        lambda good: b"\xff\xd8\xff\xe0" + bytes(range(200)),  # a JPEG signature, then garbage
    ],
)
@pytest.mark.parametrize("truncated_allowed", [False, True])
def test_a_damaged_logo_is_named_before_any_document(
    tmp_path, monkeypatch, damage, truncated_allowed
):
    """A logo with the right signature that no renderer can draw (the browser showed a
    broken image, the PDF left it out, and the batch said nothing). Also when an earlier
    import (WeasyPrint does) has told Pillow to pad cut-off images: the full suite once
    let a cut-off logo through that way, and the check must not depend on import order."""
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", truncated_allowed)
    good = _png(tmp_path / "baik.png", size=(64, 48))
    (tmp_path / "logo.png").write_bytes(damage(good))
    f = tmp_path / "profil.yaml"
    f.write_text("instansi: {nama: X, jenis: kota}\nlogo: logo.png\n")
    with pytest.raises(ProfileError, match=r"profil\.yaml: logo logo\.png tidak dapat dibaca"):
        read_profile(f)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is truncated_allowed  # put back as it was


def _no_validation(*a, **k):
    raise AssertionError("validation started before the parameters were checked")


def _batch_before_validation(monkeypatch, tmp_path, args, data=None):
    """``kinerja batch`` on ``data`` (default: a small synthetic city), failing if
    validation starts."""
    from kinerja_analysis.data.synth import generate, write_dataset

    if data is None:
        data = tmp_path / "data"
        write_dataset(generate(n_pegawai=60, seed=2), data)
    monkeypatch.setattr(batch, "load_dataset", _no_validation)
    return CliRunner().invoke(
        app, ["batch", "--data", str(data), "--out", str(tmp_path / "out"), *args]
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--periode", "2031Q1"], "2031Q1"),
        (["--periode", "2025-03"], "triwulan"),
        (["--periode", "2025Q9"], "triwulan ke-9"),
        (["--mapping", "tidak_ada.yaml", "--config", str(BUNDLED_PROFILE)], "tidak_ada.yaml"),
        (["--config", "tidak_ada.yaml"], "tidak_ada.yaml"),
        (["--notebook", "77"], "77"),
    ],
)
def test_parameters_fail_before_any_heavy_work(monkeypatch, tmp_path, args, message):
    r = _batch_before_validation(monkeypatch, tmp_path, args)
    assert r.exit_code == 2, r.output
    assert message in r.output and "Traceback" not in r.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--periode", "2031Q1"], ["2031Q1", "not in the data"]),
        (["--periode", "2025-03"], ["quarterly"]),
        (["--periode", "2025Q9"], ["'2025Q9' is not a period code"]),
        (["--mapping", "tidak_ada.yaml", "--config", str(BUNDLED_PROFILE)], ["tidak_ada.yaml"]),
        (["--notebook", "77"], ["notebook not found", "77"]),
    ],
)
def test_parameter_errors_speak_the_batch_language(monkeypatch, tmp_path, args, words):
    """With ``--bahasa en`` the checks before a batch answer in English (the same checks
    answer in Indonesian by default: the test above)."""
    r = _batch_before_validation(monkeypatch, tmp_path, ["--bahasa", "en", *args])
    assert r.exit_code == 2, r.output
    out = " ".join(r.output.split())
    for w in words:
        assert w in out, out
    assert "Traceback" not in r.output
    for indonesian in ("tidak ada", "bukan", "tidak ditemukan", "triwulan"):
        assert indonesian not in out, out


def test_real_export_needs_its_own_profile(tmp_path, monkeypatch):
    r = _batch_before_validation(
        monkeypatch, tmp_path, ["--mapping", str(SIASN / "pemetaan.yaml")], data=SIASN
    )
    assert r.exit_code == 2 and "--config" in r.output


@pytest.mark.slow
def test_siasn_export_with_mapping_and_agency_profile(tmp_path):
    """The shipped SIASN-style export, its mapping and a kabupaten profile: every document
    names the kabupaten and none says Kotalama."""
    from openpyxl import load_workbook
    from pypdf import PdfReader

    data = tmp_path / "ekspor"
    shutil.copytree(SIASN, data)
    logo = tmp_path / "logo.png"
    from matplotlib.figure import Figure

    fig = Figure(figsize=(1, 1))
    fig.add_subplot().plot([0, 1])
    fig.savefig(logo, format="png")
    profil = tmp_path / "profil.yaml"
    profil.write_text(
        (SIASN / "profil_instansi.yaml").read_text("utf-8") + f"logo: {logo}\n", "utf-8"
    )
    out = tmp_path / "laporan"
    s = run_batch(
        data,
        out,
        mapping=data / "pemetaan.yaml",
        profile=profil,
        notebooks=["00", "10", "30", "90"],
        workers=2,
        progress=False,
    )
    tidy = s.tidy()
    assert (tidy["status"] == "ok").all(), tidy[["key", "message"]]
    name, other = "Kabupaten Sukamaju", "Kotalama"
    docs = [p for p in out.rglob("*") if p.suffix in (".html", ".pdf", ".xlsx")]
    assert len(docs) == 3 * len(tidy) + 1 and (out / "index.html") in docs
    for p in docs:
        if p.suffix == ".html":
            text = p.read_text("utf-8")
        elif p.suffix == ".pdf":
            text = " ".join(pg.extract_text() for pg in PdfReader(str(p)).pages)
        else:
            wb = load_workbook(p, read_only=True)
            text = " ".join(
                str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row
            )
        flat = re.sub(r"\s+", " ", text)
        assert name in flat, p.name
        assert other not in flat, p.name
    html = (out / "2025Q1" / "laporan_periode_2025Q1.html").read_text("utf-8")
    assert 'class="logo" src="data:image/png;base64,' in html
    assert "Sekretaris Daerah Kabupaten Sukamaju" in html  # the signatory block


@pytest.mark.parametrize("preset", ["siasn", "ekinerja_bkn"])
def test_batch_takes_a_mapping_preset_by_name(monkeypatch, tmp_path, preset):
    """``kinerja batch --mapping siasn`` names a shipped preset as ``kinerja validate``
    does (the same option): the preset is read and the batch goes on to validation."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "contoh" / "siasn", data)
    args = ["--mapping", preset, "--config", str(data / "profil_instansi.yaml"), "--no-pseudonim"]
    r = _batch_before_validation(monkeypatch, tmp_path, args, data=data)
    # validation was reached (the stand-in raises there; the command's top level says
    # any unexpected error in one line, exit 2, never a traceback)
    assert "validation started before the parameters were checked" in r.output, r.output
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_unknown_preset_lists_the_presets_and_bad_counts_are_refused(monkeypatch, tmp_path):
    args = ["--mapping", "SIASN", "--config", str(BUNDLED_PROFILE), "--bahasa", "en"]
    r = _batch_before_validation(monkeypatch, tmp_path, args)
    assert r.exit_code == 2
    out = " ".join(r.output.split())
    assert "SIASN" in out and "siasn" in out and "ekinerja_bkn" in out
    for bad in (["--workers", "0"], ["--tunggu", "-5"]):
        r = CliRunner().invoke(app, ["batch", "--out", str(tmp_path / "o"), *bad])
        assert r.exit_code == 2 and bad[0] in r.output


def test_profile_errors_speak_the_batch_language(tmp_path):
    """A profile that cannot be used is named in the batch's language (``--bahasa en``);
    Indonesian by default, with the same file, key and value."""
    from typer.testing import CliRunner

    bad = tmp_path / "profil.yaml"
    bad.write_text("instansi:\n  nama: Sukamaju\n  jenis: desa\n", encoding="utf-8")
    cases = {
        str(bad): ("instansi.jenis 'desa' is not known", "instansi.jenis 'desa' tidak dikenal"),
        str(tmp_path / "nope.yaml"): ("Agency profile file not found", "tidak ditemukan"),
    }
    for config, (en, id_) in cases.items():
        base = ["batch", "--data", str(tmp_path), "--out", str(tmp_path / "o"), "--config", config]
        r = CliRunner().invoke(app, [*base, "--bahasa", "en"])
        assert r.exit_code == 2 and en in " ".join(r.output.split()), r.output
        r = CliRunner().invoke(app, base)
        assert r.exit_code == 2 and id_ in " ".join(r.output.split()), r.output
