"""The lock files, pyproject.toml and environment.yml agree (scripts/lock.py).

Reads files only: no network, and kinerja_analysis is not imported.
"""

import importlib.util
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _load_lock_module():
    spec = importlib.util.spec_from_file_location("kinerja_lock", ROOT / "scripts" / "lock.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


lock = _load_lock_module()


def test_lock_is_hashed_and_fits_pyproject():
    problems = lock.lock_problems()
    assert not problems, "run `make lock`:\n" + "\n".join(problems)


def test_tools_lock_is_hashed_and_has_uv():
    entries = lock.read_lock(lock.TOOLS_LOCK)
    assert "uv" in {name for name, *_ in entries}
    assert all(n > 0 for *_, n in entries), "every pin in requirements-tools.lock has a hash"


def test_lock_has_the_build_backend():
    # `make venv` installs the package with --no-build-isolation, from the lock's setuptools
    pins = lock.pins_for(lock.read_lock())
    for spec in lock.pyproject()["build-system"]["requires"]:
        req = lock.Requirement(spec)
        name = lock.canonicalize_name(req.name)
        assert name in pins and req.specifier.contains(pins[name]), f"{spec}: run `make lock`"


def test_environment_yml_agrees_with_lock():
    problems = lock.environment_problems()
    assert not problems, "run `make lock`:\n" + "\n".join(problems)


def test_environment_yml_is_what_make_lock_writes():
    written = lock.render_environment_yml(lock.pins_for(lock.read_lock()))
    assert lock.ENV_YML.read_text(encoding="utf-8") == written, "run `make lock`"


def test_environment_yml_is_valid_yaml_for_conda():
    env = yaml.safe_load(lock.ENV_YML.read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"]
    deps = env["dependencies"]
    assert f"python={lock.CONDA_PYTHON}" in deps
    pip_section = next(d["pip"] for d in deps if isinstance(d, dict))
    assert "-e ." in pip_section


@pytest.mark.parametrize(
    ("line", "entry"),
    [
        ("numpy==2.4.6 \\", ("numpy", "2.4.6", None)),
        (
            "numpy==2.2.6 ; python_full_version < '3.11' \\",
            ("numpy", "2.2.6", "python_full_version < '3.11'"),
        ),
        ("PyYAML==6.0.2 \\", ("pyyaml", "6.0.2", None)),
    ],
)
def test_read_lock_parses_uv_entries(tmp_path, line, entry):
    f = tmp_path / "x.lock"
    f.write_text(f"# header\n{line}\n    --hash=sha256:00\n    # via x\n", encoding="utf-8")
    assert lock.read_lock(f) == [(*entry, 1)]


def test_markers_pick_one_pin_per_python(tmp_path):
    f = tmp_path / "x.lock"
    f.write_text(
        "numpy==2.2.6 ; python_full_version < '3.11' \\\n    --hash=sha256:00\n"
        "numpy==2.4.6 ; python_full_version == '3.11.*' \\\n    --hash=sha256:00\n"
        "appnope==1.0.0 ; sys_platform == 'darwin' \\\n    --hash=sha256:00\n",
        encoding="utf-8",
    )
    assert lock.pins_for(lock.read_lock(f)) == {"numpy": "2.4.6"}
    py310 = dict(lock.MARKER_ENV, python_full_version="3.10.13", python_version="3.10")
    assert lock.pins_for(lock.read_lock(f), py310) == {"numpy": "2.2.6"}


def test_disagreement_is_reported(tmp_path, monkeypatch):
    text = lock.ENV_YML.read_text(encoding="utf-8")
    pinned = lock.pins_for(lock.read_lock())["numpy"]
    stale = tmp_path / "environment.yml"
    stale.write_text(text.replace(f"numpy=={pinned}", "numpy==1.0.0"), encoding="utf-8")
    monkeypatch.setattr(lock, "ENV_YML", stale)
    problems = lock.environment_problems()
    assert len(problems) == 1 and "numpy==1.0.0" in problems[0]
