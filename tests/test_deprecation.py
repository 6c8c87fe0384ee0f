"""Old import paths and names keep working for one release, with a DeprecationWarning."""

from __future__ import annotations

import importlib
import sys

import pytest

from kinerja_analysis.core import deprecation
from kinerja_analysis.core.periods import sort_periods


def _fresh(name: str):
    sys.modules.pop(name, None)
    return importlib.import_module(name)


def test_old_module_warns_and_resolves_renamed_names():
    with pytest.warns(DeprecationWarning, match="kinerja_analysis.fmt is deprecated"):
        old = _fresh("kinerja_analysis.fmt")
    with pytest.warns(DeprecationWarning, match="use kinerja_analysis.core.periods.sort_periods"):
        assert old.periode_urut is sort_periods


def test_old_from_import_works():
    sys.modules.pop("kinerja_analysis.analisis", None)
    with pytest.warns(DeprecationWarning):
        from kinerja_analysis.analisis import hitung_bersama
    from kinerja_analysis.analyses.shared import compute_shared

    assert hitung_bersama is compute_shared


def test_unknown_old_name_is_an_attribute_error():
    with pytest.warns(DeprecationWarning):
        old = _fresh("kinerja_analysis.did")
    with pytest.raises(AttributeError, match="no_such_thing"):
        old.no_such_thing  # noqa: B018


@pytest.mark.parametrize("old", sorted(deprecation.MOVED))
def test_every_old_module_maps_to_existing_modules(old):
    for target in deprecation.MOVED[old]:
        importlib.import_module(f"kinerja_analysis.{target}")


@pytest.mark.parametrize("old_name", sorted(deprecation.RENAMED))
def test_every_renamed_name_exists_somewhere(old_name):
    new = deprecation.RENAMED[old_name]
    holders = [
        t
        for targets in deprecation.MOVED.values()
        for t in targets
        if hasattr(importlib.import_module(f"kinerja_analysis.{t}"), new)
    ]
    assert holders, f"{old_name} -> {new}: no module defines {new}"
