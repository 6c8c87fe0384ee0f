"""The package as a pemda installs it: from a wheel, without the repository.

The sdist is built from a copy of the project's sources and the wheel from that sdist (as
``python -m build`` does), both without network (``--no-build-isolation``: the
environment's setuptools). The wheel must hold every file of ``kinerja_analysis/`` and
every report notebook of ``notebooks/`` (as ``kinerja_analysis/notebooks``), and
``find_notebooks()`` in a Python that imports the package from an install of that wheel,
in a folder outside the repository, must find all of them there. A checkout with the
editable install keeps reading the repository's ``notebooks/``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from kinerja_analysis.pipeline.batch import find_notebooks, run_batch

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.py"))
#: What the build reads besides the top-level files (pyproject.toml: packages, package-dir,
#: data-files).
SOURCE_DIRS = ("kinerja_analysis", "notebooks", "jupyter-config")
_JUNK = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")


def _package_files() -> list[str]:
    """Every file of ``kinerja_analysis/`` in the checkout, relative to the project root."""
    return sorted(
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "kinerja_analysis").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    )


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    out = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    assert out.returncode == 0, f"{cmd}\n{out.stdout}\n{out.stderr}"
    return out.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """``(sdist, wheel, site)``: the sdist, the wheel built from it, its install folder."""
    tmp = tmp_path_factory.mktemp("packaging")
    src = tmp / "src"
    src.mkdir()
    for p in ROOT.iterdir():
        if p.is_file() and not p.name.startswith("."):
            shutil.copy2(p, src / p.name)
    for d in SOURCE_DIRS:
        shutil.copytree(ROOT / d, src / d, ignore=_JUNK)
    dist = tmp / "dist"
    code = "import sys; from setuptools import build_meta as b; print(b.build_sdist(sys.argv[1]))"
    name = _run([sys.executable, "-c", code, str(dist)], cwd=src).strip().splitlines()[-1]
    sdist = dist / name
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    _run(
        [
            *pip,
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-w",
            str(dist),
            str(sdist),
        ],
        cwd=tmp,
    )
    (wheel,) = dist.glob("*.whl")
    site = tmp / "site"
    _run(
        [
            *pip,
            "install",
            "--no-deps",
            "--no-index",
            "--no-compile",
            "--target",
            str(site),
            str(wheel),
        ],
        cwd=tmp,
    )
    return sdist, wheel, site


def test_sdist_holds_the_notebooks(built):
    sdist, _, _ = built
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    assert NOTEBOOKS
    missing = [f"notebooks/{n}" for n in NOTEBOOKS if f"notebooks/{n}" not in names]
    assert not missing, f"not in the sdist: {missing}"


def test_wheel_holds_the_package_and_every_notebook(built):
    """Byte for byte: every file of ``kinerja_analysis/`` (the package list in
    pyproject.toml is written out) and every notebook, under ``kinerja_analysis/notebooks``."""
    _, wheel, _ = built
    with zipfile.ZipFile(wheel) as z:
        held = set(z.namelist())
        want = {f: (ROOT / f).read_bytes() for f in _package_files()}
        want |= {
            f"kinerja_analysis/notebooks/{n}": (ROOT / "notebooks" / n).read_bytes()
            for n in NOTEBOOKS
        }
        missing = sorted(f for f in want if f not in held)
        assert not missing, (
            f"not in the wheel (add the folder to pyproject.toml's packages): {missing}"
        )
        changed = sorted(f for f, b in want.items() if z.read(f) != b)
    assert not changed, changed


def test_installed_wheel_finds_its_notebooks(built, tmp_path):
    """Run from a folder outside the repository, importing the package from the install
    (PYTHONPATH comes before the editable install of this environment: checked). An
    export without a profile is told which installed file to copy as its example."""
    _, _, site = built
    code = (
        "import json, pathlib, kinerja_analysis\n"
        "from kinerja_analysis.pipeline.batch import find_notebooks, run_batch\n"
        "nbs = find_notebooks()\n"
        "pathlib.Path('ekspor').mkdir()\n"
        "try:\n"
        "    run_batch('ekspor', 'laporan', bahasa='en', progress=False)\n"
        "except ValueError as e:\n"
        "    profil = str(e)\n"
        "print(json.dumps({'package': kinerja_analysis.__file__, 'profil': profil,"
        " 'notebooks': {k: str(v.path) for k, v in nbs.items()}}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    got = json.loads(_run([sys.executable, "-c", code], cwd=tmp_path, env=env).splitlines()[-1])
    pkg = Path(got["package"]).resolve()
    assert pkg.is_relative_to(site.resolve()), pkg
    codes = sorted(n[:2] for n in NOTEBOOKS if n[:2].isdigit())
    assert sorted(got["notebooks"]) == codes == sorted(find_notebooks())
    for path in got["notebooks"].values():
        assert Path(path).resolve().parent == pkg.parent / "notebooks", path
    example = Path(got["package"]).parent / "core" / "profil_kotalama.yaml"  # as it imported
    assert example.is_file()
    assert f"copy the example, {example})" in got["profil"], got["profil"]


def test_checkout_reads_the_repository_notebooks():
    """The editable install of a checkout: the notebooks researchers edit, not a copy."""
    nbs = find_notebooks()
    assert sorted(p.path.name for p in nbs.values()) == [n for n in NOTEBOOKS if n[:2].isdigit()]
    assert {p.path.parent.resolve() for p in nbs.values()} == {(ROOT / "notebooks").resolve()}


@pytest.mark.parametrize(
    ("bahasa", "words"),
    [("id", "folder notebook laporan tidak ditemukan"), ("en", "report notebook folder not found")],
)
def test_missing_notebook_folder_speaks_the_batch_language(tmp_path, bahasa, words):
    missing = tmp_path / "tidak_ada"
    with pytest.raises(FileNotFoundError) as e:
        find_notebooks(missing, bahasa=bahasa)
    assert str(e.value) == f"{words}: {missing.resolve()}"
    # the batch says it in its language, before any work
    data = tmp_path / "kota"
    data.mkdir()
    (data / "truth.json").write_text("{}")
    with pytest.raises(FileNotFoundError) as e:
        run_batch(data, tmp_path / "laporan", notebook_dir=missing, bahasa=bahasa, progress=False)
    assert str(e.value).startswith(words)
    assert not (tmp_path / "laporan").exists()
