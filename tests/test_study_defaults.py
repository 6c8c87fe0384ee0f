"""Study defaults live in one object (``core.config.DEFAULTS``): a public function's
``seed``, ``alpha``, ``min_sel`` … default is the study's, so a direct call and the
pipeline give the same numbers."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import kinerja_analysis
from kinerja_analysis.core.config import DEFAULTS

#: parameter name → the DEFAULTS values it may default to
STUDY_PARAMETERS = {
    "seed": {DEFAULTS.seed},
    "alpha": {DEFAULTS.alpha},
    "min_sel": {DEFAULTS.min_sel},
    "n_boot": {DEFAULTS.n_boot, DEFAULTS.n_boot_wild},
}
#: (module, qualified name, parameter) → why its default is not the study's
EXEMPT = {
    # a fixed part of a numerical method (Monte Carlo trace), shared with perilaku_kerja
    ("kinerja_analysis.domain.perilaku", "rater_model", "seed"),
}
#: the study's layers; ``methods`` holds generic estimators with the fields' usual defaults
LAYERS = ("analyses", "domain", "reporting", "pipeline")


def _callables():
    for info in pkgutil.walk_packages(kinerja_analysis.__path__, "kinerja_analysis."):
        if info.name.split(".")[1] not in LAYERS:
            continue
        mod = importlib.import_module(info.name)
        for obj in vars(mod).values():
            if getattr(obj, "__module__", None) != mod.__name__:
                continue
            if inspect.isfunction(obj):
                yield mod.__name__, obj
            elif inspect.isclass(obj):
                yield mod.__name__, obj
                for member in vars(obj).values():
                    if inspect.isfunction(member):
                        yield mod.__name__, member


def test_study_parameters_default_to_the_study_defaults() -> None:
    wrong, seen = [], 0
    for module, fn in _callables():
        try:
            params = inspect.signature(fn).parameters.values()
        except (TypeError, ValueError):
            continue
        for p in params:
            allowed = STUDY_PARAMETERS.get(p.name)
            if allowed is None or p.default is inspect.Parameter.empty or p.default is None:
                continue  # None: resolved later (profile, then DEFAULTS)
            seen += 1
            key = (module, fn.__qualname__, p.name)
            if p.default not in allowed and key not in EXEMPT:
                wrong.append(f"{module}.{fn.__qualname__}({p.name}={p.default!r})")
    assert seen > 20  # the scan reaches the study's functions
    assert not wrong, "defaults not from DEFAULTS: " + ", ".join(wrong)


@pytest.mark.parametrize("key", sorted(EXEMPT))
def test_exemptions_are_current(key) -> None:
    module, qualname, name = key
    obj = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    assert name in inspect.signature(obj).parameters
