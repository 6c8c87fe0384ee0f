"""The data contract file (kinerja_analysis/data/contract.yaml): read once, checked for
shape with every problem named by file and entry, shipped with the package."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import kinerja_analysis.data.contract as contract_module
from kinerja_analysis.data.contract import (
    CONTRACT_FILE,
    IKM_UNSUR,
    KINDS,
    PERIOD_TABLES,
    TABLE_ORDER,
    TABLES,
    VOCABULARIES,
    Column,
    ContractError,
    Table,
    contract,
    read_contract,
)
from kinerja_analysis.data.schemas import _DTYPES

if sys.version_info >= (3, 11):
    import tomllib
else:  # tomli is in the lock for Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]

#: A small well-formed contract; each case below breaks it in one place.
GOOD = """\
vocabularies:
  warna: [merah, hijau]
  rasa: [manis]
period_tables: [t]
tables:
  t:
    grain: satu baris per hal
    key: [id]
    columns:
      id: {kind: str}
      warna: {kind: category, vocabulary: warna}
      jk: {kind: category, allowed: [L, P], required: false, nullable: true}
      skor: {kind: int, low: 1, high: 5, doc: skala 1-5}
  u:
    grain: lain
    required: false
    wide_items: true
    notes: [catatan]
    columns:
      id: {kind: str}
      rasa: {kind: category, vocabulary: [warna, rasa]}
"""


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "kontrak.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_a_well_formed_file_gives_the_tables_columns_and_vocabularies(tmp_path: Path) -> None:
    c = read_contract(_write(tmp_path, GOOD))
    assert c.vocabularies == {"warna": ("merah", "hijau"), "rasa": ("manis",)}
    assert c.period_tables == ("t",)
    assert list(c.tables) == ["t", "u"]
    assert c.tables["t"] == Table(
        "t",
        "satu baris per hal",
        (
            Column("id", "str"),
            Column("warna", "category", allowed=("merah", "hijau")),
            Column("jk", "category", required=False, nullable=True, allowed=("L", "P")),
            Column("skor", "int", low=1, high=5, doc="skala 1-5"),
        ),
        key=("id",),
    )
    u = c.tables["u"]
    assert (u.required, u.wide_items, u.notes, u.key) == (False, True, ("catatan",), ())
    # several vocabularies: their values one after the other, in the order named
    assert u.column("rasa").allowed == ("merah", "hijau", "manis")


@pytest.mark.parametrize(
    ("old", "new", "entry", "what"),
    [
        (
            "id: {kind: str}\n      warna",
            "id: {kind: text}\n      warna",
            "tables.t.columns.id.kind",
            "unknown kind 'text'",
        ),
        (
            "{kind: str}\n      warna",
            "{kind: str, allowed: [a]}\n      warna",
            "tables.t.columns.id.allowed",
            "apply to a category, not to str",
        ),
        (
            "{kind: str}\n      warna",
            "{kind: str, vocabulary: warna}\n      warna",
            "tables.t.columns.id.vocabulary",
            "apply to a category",
        ),
        (
            "      jk:",
            "      id: {kind: str}\n      jk:",
            "line 12",
            "'id' given twice (first on line 10)",
        ),
        ("  rasa: [manis]", "  rasa: [manis]\n  warna: [biru]", "line 4", "'warna' given twice"),
        ("  u:\n", "  t:\n", "line 14", "'t' given twice"),
        (
            "vocabulary: warna}",
            "vocabulary: wrna}",
            "tables.t.columns.warna.vocabulary",
            "unknown vocabulary 'wrna' (vocabularies: warna, rasa)",
        ),
        (
            "{kind: category, vocabulary: warna}",
            "{kind: category}",
            "tables.t.columns.warna",
            "exactly one of 'allowed' and 'vocabulary'",
        ),
        (
            "vocabulary: warna}",
            "vocabulary: warna, allowed: [a]}",
            "tables.t.columns.warna",
            "exactly one of",
        ),
        (
            "{kind: str}\n      warna",
            "{kind: str, low: 0}\n      warna",
            "tables.t.columns.id.low",
            "bounds apply to int and float",
        ),
        ("low: 1, high: 5", "low: 6, high: 5", "tables.t.columns.skor", "low 6 is above high 5"),
        (
            "low: 1, high: 5",
            "low: '1', high: 5",
            "tables.t.columns.skor.low",
            "must be a number, not '1'",
        ),
        ("key: [id]", "key: [nip]", "tables.t.key", "not columns of the table: nip"),
        (
            "required: false, nullable: true",
            "required: false, nullable: ya",
            "tables.t.columns.jk.nullable",
            "must be true or false, not 'ya'",
        ),
        (
            "allowed: [L, P]",
            "allowed: [yes, no]",
            "tables.t.columns.jk.allowed[0]",
            "True (bool) is not a text: quote it",
        ),
        ("allowed: [L, P]", "allowed: [L, L]", "tables.t.columns.jk.allowed", "given twice: 'L'"),
        (
            "  rasa: [manis]",
            "  rasa: [merah]",
            "tables.u.columns.rasa.vocabulary",
            "values in more than one of them: ['merah']",
        ),
        (
            "{kind: str}\n      warna",
            "{kind: str, lebar: 3}\n      warna",
            "tables.t.columns.id.lebar",
            "unknown key",
        ),
        ("    grain: lain\n", "    grain: lain\n    butir: 3\n", "tables.u.butir", "unknown key"),
        ("    grain: satu baris per hal\n", "", "tables.t.grain", "missing or empty"),
        (
            "period_tables: [t]",
            "period_tables: [t, v]",
            "period_tables",
            "not tables of the contract: v",
        ),
        ("period_tables: [t]\n", "", "period_tables", "missing or empty"),
        (
            "vocabularies:",
            "vokabular: {}\nvocabularies:",
            "vokabular",
            "unknown key (known: vocabularies, period_tables, tables)",
        ),
        ("  u:\n", "  U-2:\n", "tables.U-2", "lowercase letters, digits and '_'"),
        (
            "      rasa: {kind: category, vocabulary: [warna, rasa]}\n",
            "      rasa: category\n",
            "tables.u.columns.rasa",
            "must be a mapping with at least 'kind'",
        ),
        ("key: [id]", "key: [id]\n    columns_: 1", "tables.t.columns_", "unknown key"),
        (
            "vocabularies:\n",
            "vocabularies:\n  kosong: []\n",
            "vocabularies.kosong",
            "must be a non-empty list",
        ),
        ("grain: lain", "grain: [lain]", "tables.u.grain", "must be a non-empty text"),
        ("wide_items: true", "wide_items: 1", "tables.u.wide_items", "must be true or false"),
        ("\ntables:", "\ntables: [t]\nx:", "tables", "must be a mapping"),
        ("grain: lain", "grain: 'lain", "", "not valid YAML"),
    ],
)
def test_a_malformed_file_names_itself_and_the_entry(
    tmp_path: Path, old: str, new: str, entry: str, what: str
) -> None:
    assert GOOD.count(old) == 1, old
    path = _write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(ContractError) as info:
        read_contract(path)
    message = str(info.value)
    assert str(path) in message
    line = next((p for p in info.value.problems if p.startswith(entry) and what in p), None)
    assert line is not None, message


def test_every_problem_of_a_file_comes_in_one_error(tmp_path: Path) -> None:
    text = (
        GOOD.replace("{kind: str}\n      warna", "{kind: texto}\n      warna")
        .replace("low: 1, high: 5", "low: 6, high: 5")
        .replace("key: [id]", "key: [nip]")
    )
    with pytest.raises(ContractError) as info:
        read_contract(_write(tmp_path, text))
    assert [p.split(":")[0] for p in info.value.problems] == [
        "tables.t.columns.id.kind",
        "tables.t.columns.skor",
        "tables.t.key",
    ]


def test_the_package_contract_is_read_once() -> None:
    assert contract() is contract()
    assert contract().tables is TABLES


def test_the_shipped_contract_and_its_public_names() -> None:
    assert read_contract(CONTRACT_FILE) == contract()
    assert TABLE_ORDER == tuple(TABLES) and TABLE_ORDER[0] == "pegawai"
    assert set(PERIOD_TABLES) <= set(TABLES)
    # every vocabulary of the file is a module constant of the same name, upper case
    for name, values in VOCABULARIES.items():
        assert getattr(contract_module, name.upper()) == values, name
        assert name.upper() in dir(contract_module)
    with pytest.raises(ImportError, match="BERAKHLK"):
        from kinerja_analysis.data.contract import BERAKHLK  # noqa: F401
    with pytest.raises(AttributeError):
        contract_module.berakhlak  # noqa: B018 - only the capitalised name is a constant
    # layanan carries one column per IKM element, named as the vocabulary
    unsur = [c.name for c in TABLES["layanan"].columns if c.name in IKM_UNSUR]
    assert unsur == list(IKM_UNSUR)
    # the pandera schemas know every kind the contract may use
    assert set(_DTYPES) == set(KINDS)


def test_every_data_file_of_the_package_is_shipped() -> None:
    """Each non-Python file under kinerja_analysis/ matches a package-data pattern of
    pyproject.toml (so an installed package finds the contract, presets, templates)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["kinerja_analysis"]
    package = ROOT / "kinerja_analysis"
    shipped = {p for pattern in patterns for p in package.glob(pattern) if p.is_file()}
    data_files = {
        p
        for p in package.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    }
    assert CONTRACT_FILE in data_files
    assert sorted(map(str, data_files - shipped)) == []
