"""Write the lock files and environment.yml from pyproject.toml (`make lock`).

- requirements.lock: every runtime and test dependency, and the build backend that
  installs the package itself in editable mode (build-system.requires), exact versions
  with sha256 hashes; one universal resolution for CPython >= the lower bound of
  `requires-python` on every platform (where the newest release of a package drops an
  older Python, the lock pins the older release for that Python only, under a marker).
- requirements-tools.lock: uv, which installs the lock, also hashed.
- environment.yml: for conda/mamba, the packages pyproject.toml names, pinned to the
  versions the lock gives on CPython 3.11 / Linux x86_64 (conda-forge names).

pyproject.toml stays the abstract spec (ranges); the lock is what gets installed.
`python scripts/lock.py --upgrade` moves every pin to the newest release the ranges
allow; without it, pins already in the lock are kept where they still fit.
`python scripts/lock.py --check` only reports where the three files disagree.

Runs on the standard library alone (packaging and tomllib from pip's vendored copies
when the environment has no packaging or is on Python 3.10).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

try:
    from packaging.markers import Marker
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
except ImportError:  # a bare venv: pip always brings its own copy
    from pip._vendor.packaging.markers import Marker
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.utils import canonicalize_name

try:
    import tomllib
except ImportError:  # Python 3.10
    try:
        import tomli as tomllib
    except ImportError:
        from pip._vendor import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
LOCK = ROOT / "requirements.lock"
TOOLS_LOCK = ROOT / "requirements-tools.lock"
ENV_YML = ROOT / "environment.yml"

# The platform environment.yml is pinned for: CPython 3.11 on Linux x86_64, the Python CI
# runs. Markers in the lock are evaluated in this environment to pick each package's pin.
CONDA_PYTHON = "3.11"
MARKER_ENV = {
    "implementation_name": "cpython",
    "implementation_version": "3.11.7",
    "os_name": "posix",
    "platform_machine": "x86_64",
    "platform_python_implementation": "CPython",
    "platform_release": "",
    "platform_system": "Linux",
    "platform_version": "",
    "python_full_version": "3.11.7",
    "python_version": "3.11",
    "sys_platform": "linux",
}

# PyPI name (canonical) -> conda-forge name, for every package pyproject.toml names.
# None: not on conda-forge, installed by pip inside the conda environment.
# A new dependency in pyproject.toml needs a line here (lock.py says so).
CONDA_NAMES: dict[str, str | None] = {
    "numpy": "numpy",
    "pandas": "pandas",
    "scipy": "scipy",
    "statsmodels": "statsmodels",
    "matplotlib": "matplotlib-base",  # conda-forge's "matplotlib" adds a Qt GUI backend
    "pillow": "pillow",
    "seaborn": "seaborn",
    "pandera": "pandera",
    "pyfixest": "pyfixest",
    "pyyaml": "pyyaml",  # imported as `yaml`; PyPI spells it PyYAML
    "openpyxl": "openpyxl",
    "pyarrow": "pyarrow",
    "jinja2": "jinja2",
    "typer": "typer",
    "rich": "rich",
    "papermill": "papermill",
    "nbconvert": "nbconvert-core",  # conda-forge's "nbconvert" adds pandoc
    "nbformat": "nbformat",
    "ipykernel": "ipykernel",
    "jupytext": "jupytext",
    "jupyterlab": "jupyterlab",
    "weasyprint": "weasyprint",
    "threadpoolctl": "threadpoolctl",
    "wcwidth": "wcwidth",
    "pytest": "pytest",
    "pytest-xdist": "pytest-xdist",
    "ruff": "ruff",
    "pypdf": "pypdf",
    "wildboottest": None,
}

_ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]*?))?\s*\\?\s*$")


def pyproject() -> dict:
    with PYPROJECT.open("rb") as f:
        return tomllib.load(f)


def direct_requirements(extra: str = "test") -> list[Requirement]:
    """What pyproject.toml asks for: the dependencies plus the given extra."""
    project = pyproject()["project"]
    specs = list(project["dependencies"]) + list(project["optional-dependencies"][extra])
    return [Requirement(s) for s in specs]


def python_floor() -> str:
    """The lowest Python pyproject.toml supports ("3.10" from ">=3.10")."""
    m = re.fullmatch(r"\s*>=\s*(\d+\.\d+)\s*", pyproject()["project"]["requires-python"])
    if not m:
        raise SystemExit("lock.py: requires-python must read '>=X.Y'")
    return m.group(1)


def read_lock(path: Path | None = None) -> list[tuple[str, str, str | None, int]]:
    """Entries of a uv/pip-tools lock: (canonical name, version, marker or None, hashes)."""
    entries: list[tuple[str, str, str | None, int]] = []
    for line in (path or LOCK).read_text(encoding="utf-8").splitlines():
        m = _ENTRY.match(line)
        if m:
            name, version, marker = m.groups()
            entries.append((canonicalize_name(name), version, marker or None, 0))
        elif line.strip().startswith("--hash=") and entries:
            name, version, marker, n = entries[-1]
            entries[-1] = (name, version, marker, n + 1)
    return entries


def pins_for(entries, environment: dict[str, str] | None = None) -> dict[str, str]:
    """The version of each package the lock installs in one environment (MARKER_ENV)."""
    pins: dict[str, str] = {}
    for name, version, marker, _ in entries:
        if marker is None or Marker(marker).evaluate(environment or MARKER_ENV):
            if name in pins and pins[name] != version:
                raise ValueError(f"{name}: two pins apply ({pins[name]}, {version})")
            pins[name] = version
    return pins


def render_environment_yml(pins: dict[str, str]) -> str:
    """environment.yml: what pyproject names, at the lock's versions, conda-forge names."""
    conda, pip = [], []
    for req in direct_requirements():
        name = canonicalize_name(req.name)
        if name not in CONDA_NAMES:
            raise SystemExit(
                f"lock.py: {req.name} is new in pyproject.toml: add its conda-forge name "
                "(or None for pip) to CONDA_NAMES in scripts/lock.py"
            )
        if name not in pins:
            raise SystemExit(f"lock.py: {req.name} is not in {LOCK.name}: run `make lock`")
        cname = CONDA_NAMES[name]
        if cname is None:
            pip.append(f"{name}=={pins[name]}")
        else:
            conda.append(f"{cname}=={pins[name]}")
    lines = [
        "# Generated by `make lock` (scripts/lock.py) from requirements.lock: do not edit.",
        "# The packages pyproject.toml names, at the versions the lock gives on CPython",
        f"# {CONDA_PYTHON} / Linux x86_64, under their conda-forge names; conda chooses what they",
        "# depend on. For the exact environment CI has (every package pinned and hashed), use",
        "# `make venv`. tests/test_environment.py fails when this file and the lock disagree.",
        "#   mamba env create -f environment.yml && mamba activate kinerja",
        "name: kinerja",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f"  - python={CONDA_PYTHON}",
        *(f"  - {c}" for c in conda),
        "  - pip",
        "  - pip:",
        *(f"      - {p}" for p in pip),
        "      - -e .",
        "",
    ]
    return "\n".join(lines)


def read_environment_yml(path: Path | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """(conda name -> version, pip name -> version) of the `==` pins in environment.yml."""
    conda: dict[str, str] = {}
    pip: dict[str, str] = {}
    in_pip = False
    for raw in (path or ENV_YML).read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if re.match(r"^\s{2}- pip:\s*$", line):
            in_pip = True
            continue
        if re.match(r"^\s{2}- ", line):
            in_pip = False
        m = re.match(r"^\s*-\s*([A-Za-z0-9._-]+)\s*==\s*(\S+)\s*$", line)
        if m:
            (pip if in_pip else conda)[m.group(1).lower()] = m.group(2)
    return conda, pip


def lock_problems() -> list[str]:
    """Where requirements.lock lacks a hash or no longer fits pyproject.toml's ranges."""
    out: list[str] = []
    entries = read_lock()
    for name, version, _, n in entries:
        if n == 0:
            out.append(f"{LOCK.name}: {name}=={version} has no hash")
    pins = pins_for(entries)
    for req in direct_requirements():
        name = canonicalize_name(req.name)
        if name not in pins:
            out.append(f"{LOCK.name} lacks {req.name}, which pyproject.toml asks for")
        elif not req.specifier.contains(pins[name], prereleases=True):
            out.append(f"{LOCK.name} pins {name}=={pins[name]}, outside pyproject's {req}")
    return out


def environment_problems() -> list[str]:
    """Where environment.yml and requirements.lock disagree on a version."""
    out: list[str] = []
    pins = pins_for(read_lock())
    conda, pip = read_environment_yml()
    for req in direct_requirements():
        name = canonicalize_name(req.name)
        if name not in CONDA_NAMES:
            out.append(f"{req.name} has no conda-forge name in CONDA_NAMES (scripts/lock.py)")
            continue
        cname = CONDA_NAMES[name]
        where, shown, have = (
            ("pip", name, pip.get(name)) if cname is None else ("conda", cname, conda.get(cname))
        )
        want = pins.get(name)
        if have is None:
            out.append(f"{ENV_YML.name} has no {where} pin for {shown} (lock: {want})")
        elif have != want:
            out.append(f"{ENV_YML.name} pins {shown}=={have}, {LOCK.name} {name}=={want}")
    return out


def problems() -> list[str]:
    return lock_problems() + environment_problems()


def uv_binary() -> str:
    for candidate in (
        os.environ.get("UV"),
        str(Path(sys.executable).parent / "uv"),
        shutil.which("uv"),
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    raise SystemExit("lock.py: no uv; run `make venv` first (it installs uv into .venv)")


def compile_lock(uv: str, inputs: list[str], out: Path, upgrade: bool, stdin: str = "") -> None:
    cmd = [
        uv, "pip", "compile", *inputs,
        "--universal", "--python-version", python_floor(),
        "--generate-hashes", "--no-python-downloads", "--quiet",
        "--custom-compile-command", "make lock",
        "-o", out.name,
    ]  # fmt: skip
    if upgrade:
        cmd.append("--upgrade")
    subprocess.run(cmd, cwd=ROOT, input=stdin, text=True, check=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--upgrade", action="store_true", help="newest releases pyproject allows")
    ap.add_argument("--check", action="store_true", help="only report disagreements")
    args = ap.parse_args(argv)
    if not args.check:
        uv = uv_binary()
        build = "\n".join(pyproject()["build-system"]["requires"]) + "\n"
        inputs = ["pyproject.toml", "-", "--extra", "test"]
        compile_lock(uv, inputs, LOCK, args.upgrade, stdin=build)
        compile_lock(uv, ["-"], TOOLS_LOCK, args.upgrade, stdin="uv\n")
        ENV_YML.write_text(render_environment_yml(pins_for(read_lock())), encoding="utf-8")
        print(f"wrote {LOCK.name}, {TOOLS_LOCK.name}, {ENV_YML.name}")
    found = problems()
    for p in found:
        print(p, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
