"""Every validation rule the data layer can report has words in both languages.

The data-quality document and its workbook list problems per rule (``aturan``); a raw key
such as ``Skema:isin(['Sangat Kurang', …])`` or ``Tipe:date`` in a stakeholder document is a
bug. The rules are read from the data layer's own source (every rule argument of
``reject`` and ``_report``, and the schema and type checks it builds), so a new rule
without a label fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kinerja_analysis.data.contract import KINDS
from kinerja_analysis.reporting.text import RULES, humanize, rule_label

DATA = Path(__file__).resolve().parents[1] / "kinerja_analysis" / "data"


def _rules_in_source() -> set[str]:
    """String constants passed as the rule of ``reject(st, mask, column, rule, …)`` and
    ``_report(st, col, mask, rule, …)`` in the data layer."""
    out = set()
    for path in DATA.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in ("reject", "_report") and len(node.args) > 3:
                a = node.args[3]
                if isinstance(a, ast.Constant) and isinstance(a.value, str):
                    out.add(a.value)
    return out


SOURCE_RULES = sorted(_rules_in_source())
BUILT_RULES = [
    *(f"tipe:{k}" for k in KINDS),
    "skema:isin(['Sangat Kurang', 'Kurang/Misconduct', 'Butuh Perbaikan', 'Baik', 'Sangat Baik'])",
    "skema:in_range(1, 5)",
    "skema:greater_than_or_equal_to(0.0)",
    "skema:less_than_or_equal_to(1000.0)",
    r"skema:str_matches('^\d{4}(?:Q[1-4]|S[12]|-(?:0[1-9]|1[0-2]))?$')",
    "skema:not_nullable",
    "referensi:pegawai",
    "referensi:pegawai_ditolak",
    "referensi:periode dataset",
]


def test_the_scan_finds_the_rules():
    assert len(SOURCE_RULES) >= 25 and "kunci_unik" in SOURCE_RULES


@pytest.mark.parametrize("rule", SOURCE_RULES + BUILT_RULES)
@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_every_rule_has_words(rule, bahasa):
    label = rule_label(rule, bahasa)
    # from the catalogue, not the key made to look like words
    assert rule in RULES or label != humanize(rule), rule
    assert ":" not in label and "(" not in label.split(" ")[0] and "_" not in label, label
    assert not label.lower().startswith(("skema", "tipe", "referensi")), label


def test_the_languages_differ_where_the_words_do():
    for rule in SOURCE_RULES + BUILT_RULES:
        if rule in RULES and RULES[rule][0] != RULES[rule][1]:
            assert rule_label(rule, "id") != rule_label(rule, "en")
