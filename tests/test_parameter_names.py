"""The naming rule for parameters (README, contributor section): nouns defined by
regulation or by the data contract stay Indonesian as their source spells them; verbs,
statistical methods and infrastructure are English. So no public function, method or
class of the package takes an Indonesian *infrastructure* word as a parameter
(``judul=``, ``desimal=``, ``kolom=``…).

The scan reads the signature of every public callable of every module (functions,
methods, classes' constructors, dataclass fields), splits each parameter name at ``_``
and looks its words up in :data:`INFRASTRUCTURE`, a list of common Indonesian words for
infrastructure. A name is allowed when it is a name of the data contract
(``kinerja_analysis/data/contract.yaml``: tables, columns, vocabularies — except the
single words of the list, which the contract uses as column names of its own:
``tanggal``, ``teks``, ``jenis``…), a name of :data:`WRITTEN`, or a parameter that
mirrors what an analyst types (a CLI option, a notebook parameter). An old keyword kept
for one release lives in ``core.deprecation.renamed_keywords`` and is not a parameter.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import pkgutil
import types
import typing
from pathlib import Path

import pytest
import typer

import kinerja_analysis
from kinerja_analysis.data.contract import TABLES, VOCABULARIES

ROOT = Path(__file__).resolve().parents[1]

#: Common Indonesian words for infrastructure (titles, widths, columns, messages…) and
#: for statistical methods. A regulation's or the contract's noun is not here
#: (``predikat``, ``hasil``, ``pegawai``, ``opd``, ``periode``).
INFRASTRUCTURE = frozenset(
    """
    judul lebar tinggi desimal kolom baris tabel persen skala batas ambang teks pesan sebab
    aturan kunci tanggal catatan sumber jenis bagian laporan hitung tunggu nilai nama isi
    angka urutan urut kategori kelompok pusat rentang dinamis efek fakta instansi versi
    buat toleransi tingkat bentuk jawab terbalik sembunyikan tambahan ditampilkan boleh
    nol kesesuaian distribusi profil lintas indikator kata mulai kota rahasia berkas
    keluaran masukan detik gagal lama baru bobot dasar pemisah ribuan asli daftar simpan
    muat baca tulis cek ringkas ringkasan baik buruk
    reliabilitas korelasi muatan faktor rerata simpangan butir desain metode satuan
    provenans temuan rekomendasi sebelumnya perlu sebut
    klaster agregasi subkelompok dilatih masalah wajar reliabel layak
    """.split()
)

#: Names of the data contract: tables, columns and vocabularies (a parameter holding a
#: table or a column is named after it). Single words that are also infrastructure words
#: (the columns ``tanggal``, ``teks``, ``jenis``, ``sumber``, ``nama``…) are not taken
#: from here: a parameter ``tanggal`` is a report date far more often than the column.
CONTRACT_NAMES = (
    frozenset({*TABLES, *VOCABULARIES, *(c.name for t in TABLES.values() for c in t.columns)})
    - INFRASTRUCTURE
)

#: Indonesian parameter names the rule keeps that are not names of the contract: nouns of
#: a regulation and settings an analyst types, each with its reason. Never flagged, and
#: each must still be a parameter somewhere (the list stays current).
WRITTEN: dict[str, str] = {
    "bahasa": "the documented language switch of every text function ('id' or 'en')",
    "pseudonim": "the dataset option and the CLI's --pseudonim (NIP replaced by pseudonyms)",
    "min_sel": "the smallest published cell: DEFAULTS.min_sel, the agency profile's key, "
    "the CLI's --min-sel and the notebooks' parameter",
    "resmi": "the official e-Kinerja ratings, table penilaian_resmi (PermenPAN-RB 6/2022)",
    "hasil": "hasil kerja, the output rating of PermenPAN-RB 6/2022",
    "hasil_cutoffs": "cut-offs of the hasil kerja rating (PermenPAN-RB 6/2022)",
    "waktu_rule": "the rule for the SKP aspect waktu (contract vocabulary aspek_skp)",
    "di_atas": "'Di Atas Ekspektasi', a rating of PermenPAN-RB 6/2022",
    "di_bawah": "'Di Bawah Ekspektasi', a rating of PermenPAN-RB 6/2022",
    "evaluasi": "the evaluation of a period: capaian, ratings and predikat (PermenPAN-RB 6/2022)",
    "kompetensi": "target competencies, the contract's kompetensi_sasaran",
    "skor_konstruk": "construct scores: the contract's skor and konstruk",
    "perilaku_skor": "behaviour scores: the contract's perilaku table and skor column",
    "min_penilai": "fewest raters: the contract's id_penilai and peran_penilai",
}

#: Indonesian function and method names the rule keeps, each with its reason.
WRITTEN_CALLABLES: dict[str, str] = {
    "ikm_kategori": "the IKM's category: mutu pelayanan A–D of PermenPAN-RB 14/2017",
}

#: ``(module, qualified name)`` of callables whose parameters are what an analyst types,
#: spelled as the analyst types them: the notebooks' ``parameters`` cells.
NOTEBOOK_PARAMETER_TAKERS = {("kinerja_analysis.reporting.notebook", "setup")}

#: Dataclasses whose fields are the keys of the column-mapping file an analyst writes
#: (``data/mapping.py``, ``data/README.md``): read from the file by these very names.
MAPPING_FILE_CLASSES = {
    ("kinerja_analysis.data.mapping", name)
    for name in ("FormatSpec", "TableMapping", "ColumnMapping")
}

#: Dataclasses whose fields are still Indonesian infrastructure words, ``(module, class)
#: → fields``: none left. A field is an attribute too, read by the narrative's templates,
#: the batch, the stored shared results and the tests; a renamed class keeps its old names
#: for a release with ``renamed_keywords`` on the class (it serves old constructor
#: keywords and old attribute reads). No class may gain such a field.
PENDING_FIELDS: dict[tuple[str, str], frozenset[str]] = {}


def flagged(name: str) -> list[str]:
    """The Indonesian infrastructure words of a parameter name, ``[]`` when allowed.

    >>> flagged("desimal"), flagged("percent_cols"), flagged("tanggal_mulai")
    (['desimal'], [], [])
    """
    if name in CONTRACT_NAMES or name in WRITTEN:
        return []
    return [w for w in name.split("_") if w in INFRASTRUCTURE]


def _notebook_parameters() -> frozenset[str]:
    """Names assigned in the ``parameters`` cell of every shipped notebook."""
    names = set()
    for path in sorted((ROOT / "notebooks").glob("*.py")):
        cells = path.read_text("utf-8").split("# %%")
        cell = next(c for c in cells if 'tags=["parameters"]' in c.splitlines()[0])
        for node in ast.parse(cell.split("\n", 1)[1]).body:
            if isinstance(node, ast.AnnAssign | ast.Assign):
                targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
                names.update(t.id for t in targets if isinstance(t, ast.Name))
    return frozenset(names)


def _cli_options(fn) -> frozenset[str]:
    """Parameters of a typer command that declare a CLI option spelled like them
    (``rahasia`` for ``--rahasia``)."""
    try:
        hints = typing.get_type_hints(fn, include_extras=True)
    except Exception:  # noqa: BLE001 - not a command: annotations that do not resolve
        return frozenset()
    out = set()
    for name, hint in hints.items():
        for meta in getattr(hint, "__metadata__", ()):
            if isinstance(meta, typer.models.ParameterInfo):
                # in ``Annotated`` the first declaration is typer's ``default``
                decls = [meta.default, *(getattr(meta, "param_decls", None) or ())]
                spelled = {
                    d.lstrip("-")
                    for decl in decls
                    if isinstance(decl, str) and decl.startswith("--")
                    for d in decl.split("/")
                }
                if not spelled or name.replace("_", "-") in spelled:
                    out.add(name)
    return frozenset(out)


def _public_callables():
    """``(module, qualified name, callable, is a dataclass)`` of every public callable."""
    for info in pkgutil.walk_packages(kinerja_analysis.__path__, "kinerja_analysis."):
        mod = importlib.import_module(info.name)
        for name, obj in vars(mod).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != mod.__name__:
                continue
            if inspect.isfunction(obj):
                yield mod.__name__, name, obj, False
            elif inspect.isclass(obj):
                yield mod.__name__, name, obj, dataclasses.is_dataclass(obj)
                for attr, member in vars(obj).items():
                    if isinstance(member, staticmethod | classmethod):
                        member = member.__func__
                    if inspect.isfunction(member) and not attr.startswith("_"):
                        yield mod.__name__, f"{name}.{attr}", member, False


def infrastructure_parameters() -> tuple[list[str], set[tuple[str, str]], int]:
    """Violations, the pending dataclasses seen with their listed fields, and how many
    parameters were read."""
    notebook = _notebook_parameters()
    problems, pending_seen, n = [], set(), 0
    for module, qualname, obj, is_dc in _public_callables():
        try:
            params = inspect.signature(obj).parameters
        except (TypeError, ValueError):
            continue
        typed_by_analyst = _cli_options(obj)
        if (module, qualname) in NOTEBOOK_PARAMETER_TAKERS:
            typed_by_analyst |= notebook
        if is_dc and (module, qualname) in MAPPING_FILE_CLASSES:
            typed_by_analyst |= set(params)
        pending = PENDING_FIELDS.get((module, qualname), frozenset()) if is_dc else frozenset()
        for p in params:
            if p in ("self", "cls"):
                continue
            n += 1
            words = flagged(p)
            if not words or p in typed_by_analyst:
                continue
            if p in pending:
                pending_seen.add((module, qualname, p))
                continue
            problems.append(f"{module}.{qualname}({p}=): {', '.join(words)}")
    return problems, pending_seen, n


def test_the_scan_flags_indonesian_infrastructure_words_only():
    assert flagged("judul") == ["judul"]
    assert flagged("persen_kolom") == ["persen", "kolom"]
    assert flagged("max_kolom") == ["kolom"]
    assert flagged("label_nilai") == ["nilai"]
    assert flagged("tanggal") == ["tanggal"]  # a contract column, but a report date here
    for ok in ("title", "decimals", "bahasa", "pegawai", "skor_dimensi", "predikat_organisasi",
               "nama_pelatihan", "skala_min", "periode_mulai", "di_atas", "pseudonim"):  # fmt: skip
        assert flagged(ok) == [], ok


def test_no_public_parameter_is_an_indonesian_infrastructure_word():
    problems, _, n = infrastructure_parameters()
    assert n > 1500  # the whole package is read
    assert not problems, (
        "parameters are English unless a regulation or the data contract names them "
        "(rename, and keep the old keyword for a release with "
        "core.deprecation.renamed_keywords):\n" + "\n".join(sorted(problems))
    )


def test_pending_fields_are_current():
    _, seen, _ = infrastructure_parameters()
    listed = {(m, c, f) for (m, c), fields in PENDING_FIELDS.items() for f in fields}
    assert not listed - seen, f"renamed or gone: remove from PENDING_FIELDS: {listed - seen}"


def test_no_public_function_or_method_name_is_an_indonesian_infrastructure_word():
    names = {q for _, q, obj, _ in _public_callables() if not inspect.isclass(obj)}
    assert len(names) > 400  # the whole package is read (487 names in this release)
    bad = sorted(
        q
        for q in names
        if q.rsplit(".", 1)[-1] not in WRITTEN_CALLABLES and flagged(q.rsplit(".", 1)[-1])
    )
    assert not bad, (
        "function and method names are English unless a regulation or the data contract "
        "names them (rename, and keep the old name for a release with "
        "core.deprecation.renamed_attributes or core.deprecation.RENAMED):\n" + "\n".join(bad)
    )
    assert set(WRITTEN_CALLABLES) <= {q.rsplit(".", 1)[-1] for q in names}


@pytest.mark.parametrize("name", sorted(WRITTEN))
def test_written_names_are_used(name):
    used = {
        p
        for _, _, obj, _ in _public_callables()
        for p in getattr(_signature(obj), "parameters", {})
    }
    assert name in used, f"{name} is no parameter any more: remove it from WRITTEN"


def _signature(obj):
    try:
        return inspect.signature(obj)
    except (TypeError, ValueError):
        return None


def test_cli_and_notebook_parameters_are_recognised():
    from kinerja_analysis.pipeline.batch import batch_command

    assert {"rahasia", "tunggu", "min_sel"} <= _cli_options(batch_command)
    assert {"periode", "bahasa", "profil", "min_sel"} <= _notebook_parameters()


# ----------------------------------------------------------------------------- call sites
# The old keywords still work, with a DeprecationWarning; the project itself uses the new
# ones only. pytest turns the warning into an error for code it runs in-process, but the
# notebooks run in their own kernels (a warning there lands in the stakeholder document's
# log, not in a failed test): so every call is read, as written.

#: Callables that pass their keyword arguments on to the function they are given first
#: (``doc.figure(plots.plot_bars, df, kategori=…)``).
FORWARDERS = frozenset({"figure", "figure_html"})
#: Callables that pass their keyword arguments on to a named function.
PASSES_TO = {"render_table": "table_html"}


def renamed_keywords_by_name() -> dict[str, dict[str, str]]:
    """Simple name → ``{old keyword: new}`` of every callable of the package that keeps
    old keywords (``core.deprecation.renamed_keywords``)."""
    out: dict[str, dict[str, str]] = {}
    for _, qualname, obj, _ in _public_callables():
        target = obj.__init__ if inspect.isclass(obj) else obj
        old = getattr(target, "__renamed_keywords__", None)
        if old:
            out.setdefault(qualname.rsplit(".", 1)[-1], {}).update(old)
    return out


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def old_keyword_calls(
    source: str, renamed: dict[str, dict[str, str]], where: str = ""
) -> list[str]:
    """``where:line: name(old=)`` for every call in ``source`` that passes an old keyword,
    except inside ``with pytest.warns(DeprecationWarning…)`` (a test of the old name)."""
    found = []
    tree = ast.parse(source)
    expected = set()  # calls whose DeprecationWarning a test expects
    for node in ast.walk(tree):
        if isinstance(node, ast.With) and any(
            isinstance(item.context_expr, ast.Call)
            and _name(item.context_expr.func) == "warns"
            and any(_name(a) == "DeprecationWarning" for a in item.context_expr.args)
            for item in node.items
        ):
            expected.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or id(node) in expected:
            continue
        name = _name(node.func)
        if name in FORWARDERS and node.args:
            name = _name(node.args[0])
        name = PASSES_TO.get(name or "", name)
        old = renamed.get(name or "", {})
        for kw in node.keywords:
            if kw.arg in old:
                found.append(f"{where}:{node.lineno}: {name}({kw.arg}=) is now {old[kw.arg]}=")
    return found


def _python_blocks(markdown: str) -> list[str]:
    """The ``python`` code blocks of a Markdown text that parse (doctest prompts removed)."""
    blocks = []
    for part in markdown.split("```python")[1:]:
        code = part.split("```", 1)[0]
        code = "\n".join(
            ln[4:] if ln.startswith((">>> ", "... ")) else ln for ln in code.splitlines()
        )
        try:
            ast.parse(code)
        except SyntaxError:
            continue
        blocks.append(code)
    return blocks


def test_the_call_scan_finds_old_keywords():
    renamed = {"number": {"desimal": "decimals"}, "plot_bars": {"judul": "title"}}
    src = (
        "fmt.number(x, desimal=2)\n"
        "fmt.number(x, decimals=2)\n"
        "doc.figure(plots.plot_bars, df, judul='T')\n"
        "doc.say('k', judul='T')\n"  # a catalogue field, not a keyword of a renamed function
        "render_table(df, desimal=1)\n"
    )
    renamed["table_html"] = {"desimal": "decimals"}
    assert old_keyword_calls(src, renamed, "f") == [
        "f:1: number(desimal=) is now decimals=",
        "f:3: plot_bars(judul=) is now title=",
        "f:5: table_html(desimal=) is now decimals=",
    ]
    # a test of the old name, which expects its warning, is not a use of it
    tested = (
        "with pytest.warns(DeprecationWarning, match='judul'):\n"
        "    plots.plot_bars(df, judul='T')\n"
        "with pytest.warns(UserWarning):\n"
        "    plots.plot_bars(df, judul='T')\n"
    )
    assert old_keyword_calls(tested, renamed, "f") == ["f:4: plot_bars(judul=) is now title="]


def test_no_call_uses_an_old_keyword():
    renamed = renamed_keywords_by_name()
    assert {"number", "table_html", "suppress_small_cells", "plot_bars"} <= set(renamed)
    found = []
    files = [
        *(ROOT / "kinerja_analysis").rglob("*.py"),
        *(ROOT / "notebooks").glob("*.py"),
        *(ROOT / "bench").rglob("*.py"),
        *(ROOT / "tests").rglob("*.py"),
    ]
    for path in sorted(files):
        rel = path.relative_to(ROOT).as_posix()
        if rel == "tests/test_deprecation.py":  # uses old keywords on purpose
            continue
        found += old_keyword_calls(path.read_text("utf-8"), renamed, rel)
    for path in sorted([*ROOT.glob("*.md"), *(ROOT / "docs").rglob("*.md")]):
        rel = path.relative_to(ROOT).as_posix()
        for block in _python_blocks(path.read_text("utf-8")):
            found += old_keyword_calls(block, renamed, rel)
    assert not found, "calls with an old keyword:\n" + "\n".join(found)


def test_renamed_fields_keep_their_old_names():
    """Every class renamed with ``renamed_keywords`` serves each old name: the new one is
    a field, the old one an attribute that warns and reads the new one."""
    classes = [
        obj
        for _, _, obj, is_dc in _public_callables()
        if is_dc and getattr(obj.__init__, "__renamed_keywords__", None)
    ]
    assert len(classes) >= 18  # the classes renamed so far
    for cls in classes:
        names = {f.name for f in dataclasses.fields(cls)}
        for old, new in cls.__init__.__renamed_keywords__.items():
            assert new in names and old not in names, (cls, old)
            holder = types.SimpleNamespace(**{new: object()})
            with pytest.warns(DeprecationWarning, match=rf"{cls.__qualname__}\.{old} is dep"):
                assert vars(cls)[old].__get__(holder, cls) is getattr(holder, new)
