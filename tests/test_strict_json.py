"""Published JSON is strict JSON: a missing value is ``null``, never ``NaN``.

A fresh tester found ``"jp_rerata": NaN`` in a published ``manifest.json``; browsers'
``JSON.parse`` and Node refuse it.
"""

from __future__ import annotations

import json
import math

import pytest

from kinerja_analysis.core.io import json_text
from kinerja_analysis.pipeline import batch


def _strict(text: str) -> object:
    def refuse(name: str) -> object:
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)


def test_json_text_writes_null_for_values_that_are_not_finite():
    obj = {"a": math.nan, "b": [1.5, math.inf, {"c": -math.inf}], "d": (2, "x"), "e": None}
    assert _strict(json_text(obj)) == {
        "a": None,
        "b": [1.5, None, {"c": None}],
        "d": [2, "x"],
        "e": None,
    }
    with pytest.raises(ValueError, match="NaN"):
        _strict(json.dumps(obj))  # what the manifest was written with before


def test_the_manifest_is_strict_json(tmp_path):
    data = {"runs": {"10": {"fakta": {"jp_rerata": math.nan, "n_asn": 226}, "status": "ok"}}}
    batch._write_manifest(tmp_path, data)
    got = _strict((tmp_path / batch._MANIFEST).read_text("utf-8"))
    assert got["runs"]["10"]["fakta"] == {"jp_rerata": None, "n_asn": 226}
    assert batch._read_manifest(tmp_path)["runs"]["10"]["status"] == "ok"
