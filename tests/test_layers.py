"""The package's layers import one way: core → data → methods → domain → analyses →
reporting → pipeline. Checked statically for every module (every import statement,
function-local ones included) and dynamically for the DiD engine, which must load
without the rest of the package."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import kinerja_analysis

PKG = Path(kinerja_analysis.__file__).parent
LAYERS = ("core", "data", "methods", "domain", "analyses", "reporting", "pipeline")
#: What each layer may import besides itself. ``methods`` is generic: core only.
ALLOWED = {
    "core": set(),
    "data": {"core"},
    "methods": {"core"},
    "domain": {"core", "data", "methods"},
    "analyses": {"core", "data", "methods", "domain"},
    "reporting": {"core", "data", "methods", "domain", "analyses"},
    "pipeline": {"core", "data", "methods", "domain", "analyses", "reporting"},
}


def _modules() -> list[Path]:
    return sorted(p for p in PKG.rglob("*.py") if p.parent != PKG)


def _imported_layers(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import (use absolute imports)"
            if node.module:
                names.append(node.module)
                names += [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names += [a.name for a in node.names]
    out = set()
    for n in names:
        parts = n.split(".")
        if parts[0] == "kinerja_analysis" and len(parts) > 1 and parts[1] in LAYERS:
            out.add(parts[1])
    return out


def test_every_module_belongs_to_a_layer():
    top = sorted(p.name for p in PKG.iterdir() if p.is_dir() and not p.name.startswith("_"))
    assert [t for t in top if t not in ("__pycache__",)] == sorted(LAYERS)
    assert sorted(p.name for p in PKG.glob("*.py")) == ["__init__.py"]
    for layer in LAYERS:
        doc = ast.get_docstring(ast.parse((PKG / layer / "__init__.py").read_text("utf-8")))
        assert doc and doc.split(":")[0].strip().lower() == layer, layer


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PKG)))
def test_layer_rule(path: Path):
    layer = path.relative_to(PKG).parts[0]
    bad = _imported_layers(path) - ALLOWED[layer] - {layer}
    assert not bad, f"{path.relative_to(PKG)} ({layer}) imports higher layer(s) {sorted(bad)}"


def test_layer_rule_catches_a_violation(tmp_path):
    p = tmp_path / "x.py"
    p.write_text("def f():\n    from kinerja_analysis.reporting import fmt\n")
    assert _imported_layers(p) == {"reporting"}


def _loaded_after(stmt: str) -> list[str]:
    code = f"import sys\n{stmt}\nprint('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_did_engine_loads_alone():
    mods = _loaded_after("import kinerja_analysis.methods.did")
    ours = {m.split(".")[1] for m in mods if m.startswith("kinerja_analysis.")}
    assert ours <= {"core", "methods"}, ours
    assert "pandera" not in mods and "papermill" not in mods and "matplotlib" not in mods


def test_package_import_is_lazy():
    mods = _loaded_after("import kinerja_analysis")
    assert "pandera" not in mods and "pandas" not in mods
    assert "kinerja_analysis.data.loading" not in mods
