"""Old import paths, names and keywords keep working for one release, with a
``DeprecationWarning``.

One mechanism for the whole package: a meta-path finder serves every old flat module
(``kinerja_analysis.did``, ``kinerja_analysis.analisis``…) as a proxy that looks each
attribute up in the modules that now hold it (:data:`MOVED`), under its new name when it
was renamed (:data:`RENAMED`), and warns once per old module and once per renamed name.
A renamed keyword parameter is served by the decorator :func:`renamed_keywords` on the
function, method or class that took it; a renamed method or attribute by
:func:`renamed_attributes` on its class; a renamed column of a returned DataFrame by
:func:`renamed_columns`.

>>> import sys, warnings
>>> _ = sys.modules.pop("kinerja_analysis.analisis", None)  # a fresh proxy, whatever ran before
>>> with warnings.catch_warnings(record=True) as w:
...     warnings.simplefilter("always")
...     from kinerja_analysis.analisis import hitung_bersama
>>> hitung_bersama.__name__, w[-1].category.__name__
('compute_shared', 'DeprecationWarning')
"""

from __future__ import annotations

import functools
import importlib
import importlib.abc
import importlib.machinery
import inspect
import sys
import types
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = [
    "MOVED",
    "RENAMED",
    "install",
    "renamed_attributes",
    "renamed_columns",
    "renamed_keywords",
    "resolve",
    "with_new_keywords",
]

_F = TypeVar("_F", bound=Callable[..., Any])

_PKG = "kinerja_analysis"

#: Old module (relative to the package) → the modules that now hold its names.
MOVED: dict[str, tuple[str, ...]] = {
    "errors": ("core.errors",),
    "contract": ("data.contract",),
    "schemas": ("data.schemas",),
    "mapping": ("data.mapping",),
    "loading": ("data.loading", "core.periods"),
    "synth": ("data.synth",),
    "did": ("methods.did", "methods.did.estimator", "methods.did.twfe"),
    "wildboot": ("methods.wildboot",),
    "reliability": ("methods.reliability", "analyses.rater_reliability"),
    "survey": ("domain.survey", "methods.cfa", "methods.regression", "analyses.survey_panel"),
    "scoring": (
        "domain.ratings",
        "domain.skp",
        "domain.perilaku",
        "domain.predikat",
        "domain.ikm",
    ),
    "panel": ("analyses.panel", "core.periods"),
    "effects": (
        "analyses.training",
        "analyses.feedback",
        "analyses.rollout",
        "analyses.ordinal",
        "methods.did",
        "core.results",
    ),
    "analisis": (
        "analyses.shared",
        "reporting.facts",
        "reporting.tables",
        "reporting.confidential",
    ),
    "narrative": ("reporting.narrative",),
    "privacy": ("reporting.privacy",),
    "fmt": ("reporting.fmt", "core.periods", "core.text"),
    "plots": ("reporting.plots",),
    "export": ("reporting.export", "core.io"),
    "report": (
        "reporting.notebook",
        "reporting.tables",
        "reporting.text",
        "reporting.privacy",
        "core.config",
    ),
    "batch": ("pipeline.batch",),
    "cli": ("pipeline.cli",),
}

#: Old public name → new name (the naming rule: English verbs, regulation nouns kept).
RENAMED: dict[str, str] = {
    "ALASAN_TWFE": "TWFE_CAVEAT",
    "Ambang": "Thresholds",
    "Bagian": "Section",
    "Desain": "Design",
    "Efek": "Effect",
    "FaktaPeriode": "PeriodFacts",
    "HasilBersama": "SharedResults",
    "HasilVsKompetensi": "OutputVsCompetency",
    "IDENTIFIKASI_UMPAN_BALIK": "FEEDBACK_IDENTIFICATION",
    "JUDUL_BAGIAN": "SECTION_TITLES",
    "KATEGORI_INTERVAL": "INTERVAL_CATEGORIES",
    "KOLOM_TEMUAN": "FINDING_COLUMNS",
    "KOSONG": "EMPTY",
    "KUNCI_EFEK": "EFFECT_KEYS",
    "Konteks": "ReportSession",
    "Laporan": "Report",
    "PREDIKAT_NAIK": "PREDIKAT_ASCENDING",
    "Periode": "Period",
    "RegresiResult": "RegressionResult",
    "Reliabilitas": "ScaleReliability",
    "TEKS": "TEXTS",
    "TingkatBukti": "EvidenceGrade",
    "angka": "number",
    "angka_utama": "headline_figures",
    "angka_utama_tampil": "headline_display",
    "baca_tabel": "read_tables",
    "capaian_menurut_pelatihan": "capaian_by_training",
    "capaian_per_asn": "capaian_by_asn",
    "capaian_per_periode": "capaian_by_period",
    "cek_distribusi": "check_distribution",
    "cek_periode": "check_period",
    "cek_sel_kecil": "check_small_cells",
    "daftar_efek": "effect_list",
    "deskriptif_item": "describe_items",
    "deskriptif_konstruk": "describe_constructs",
    "dir_bersama": "shared_dir",
    "efek_pelatihan": "estimate_training_effects",
    "efek_pelatihan_komunikasi": "estimate_communication_training_effect",
    "efek_penerapan": "estimate_rollout_effects",
    "efek_umpan_balik": "estimate_feedback_effects",
    "evaluasi_periode": "evaluate_period",
    "fakta_angka": "numbers_in_text",
    "fakta_periode": "period_facts",
    "gaya_grafik": "set_plot_style",
    "hasil_vs_kompetensi": "output_vs_competency",
    "hitung_bersama": "compute_shared",
    "ikm_dari_responden": "ikm_from_responses",
    "ikm_per_opd": "ikm_by_opd",
    "invarians": "invariance",
    "jp_per_asn": "jp_by_asn",
    "jp_per_tahun": "jp_per_year",
    "kalimat_efek": "effect_sentence",
    "kalimat_hasil_vs_kompetensi": "output_vs_competency_sentence",
    "kategori_icc": "icc_category",
    "kategori_interval": "interval_category",
    "ke_ipynb": "to_ipynb",
    "kekuatan_kelemahan": "strengths_weaknesses",
    "kelengkapan_periode": "period_coverage",
    "konteks": "legacy_context",
    "label_indikator": "headline_label",
    "label_kolom": "column_labels",
    "lembar_individu": "individual_sheet",
    "masalah_per_aturan": "issues_by_rule",
    "muat_atau_hitung": "load_or_compute_shared",
    "muat_bersama": "load_shared",
    "muat_data": "load_data",
    "nilai_indikator": "headline_value",
    "nilai_jumlah": "count_text",
    "ordinal_predikat": "fit_ordinal_predikat",
    "paparan_pelatihan": "training_exposure",
    "parse_periode": "parse_period",
    "pegawai_per_opd": "pegawai_by_opd",
    "penerimaan_per_opd": "acceptance_by_opd",
    "perilaku_per_dimensi": "perilaku_by_dimension",
    "perilaku_ringkas": "summarise_perilaku",
    "periode_bounds": "period_bounds",
    "periode_kata": "period_label",
    "periode_of": "period_of",
    "periode_urut": "sort_periods",
    "persen": "percent",
    "pindai_pribadi": "scan_personal_data",
    "plot_distribusi_predikat": "plot_predikat_distribution",
    "plot_koefisien": "plot_coefficients",
    "plot_profil_opd": "plot_opd_profile",
    "profil_opd": "opd_profile",
    "r_tabel": "r_critical",
    "regresi_asumsi_klasik": "ols_assumption_checks",
    "reliabilitas": "scale_reliability",
    "rencana": "plan_runs",
    "ringkasan_jp": "jp_summary",
    "ringkasan_lintas_periode": "cross_period_summary",
    "ringkasan_validasi": "validation_summary",
    "selisih_subkelompok": "subgroup_difference",
    "sembunyikan": "suppress_small_cells",
    "sembunyikan_kecil": "suppress_small_groups",
    "siapkan_bersama": "prepare_shared",
    "siapkan_layanan": "prepare_layanan",
    "simpan_bersama": "save_shared",
    "simpan_tabel": "save_table",
    "skor_konstruk": "construct_scores",
    "survei_butir": "survei_items",
    "survei_konstruk": "survei_constructs",
    "tabel": "render_table",
    "tabel_data": "tables_for",
    "tabel_efek": "effects_table",
    "tabel_hasil_vs_kompetensi": "output_vs_competency_by_opd",
    "tabel_predikat": "predikat_by_opd",
    "tabel_profil_opd": "berakhlak_by_opd",
    "tanggal": "date",
    "teks": "text",
    "temukan_notebook": "find_notebooks",
    "tingkat_bukti": "evidence_grade",
    "tulis_laporan": "write_report",
    "tulis_lembar_rahasia": "write_confidential_sheets",
    "umpan_balik_per_periode": "umpan_balik_by_period",
    "validitas_item": "item_validity",
}


def resolve(old_module: str, name: str) -> tuple[object, str]:
    """The object an old ``kinerja_analysis.<old_module>.<name>`` now is, and its new path.

    Raises ``AttributeError`` when no new module holds it.

    >>> obj, path = resolve("analisis", "hitung_bersama")
    >>> path
    'kinerja_analysis.analyses.shared.compute_shared'
    """
    new_name = RENAMED.get(name, name)
    for target in MOVED[old_module]:
        mod = importlib.import_module(f"{_PKG}.{target}")
        for candidate in dict.fromkeys((new_name, name)):
            if hasattr(mod, candidate):
                return getattr(mod, candidate), f"{_PKG}.{target}.{candidate}"
    raise AttributeError(f"module '{_PKG}.{old_module}' has no attribute {name!r}")


class _OldModule(types.ModuleType):
    """Proxy for an old flat module: resolves attributes lazily, warns when used."""

    def __getattr__(self, name: str) -> object:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        old = self.__name__.rsplit(".", 1)[1]
        obj, new_path = resolve(old, name)
        warnings.warn(
            f"{self.__name__}.{name} is deprecated and will be removed in the next "
            f"release; use {new_path}",
            DeprecationWarning,
            stacklevel=2,
        )
        setattr(self, name, obj)
        return obj

    def __dir__(self) -> list[str]:
        old = self.__name__.rsplit(".", 1)[1]
        names: set[str] = set()
        for target in MOVED[old]:
            names.update(dir(importlib.import_module(f"{_PKG}.{target}")))
        return sorted(names)


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):  # noqa: ANN001 - importlib API
        prefix, _, old = fullname.rpartition(".")
        if prefix != _PKG or old not in MOVED:
            return None
        return importlib.machinery.ModuleSpec(fullname, self)

    def create_module(self, spec):  # noqa: ANN001 - importlib API
        return _OldModule(spec.name)

    def exec_module(self, module) -> None:  # noqa: ANN001 - importlib API
        old = module.__name__.rsplit(".", 1)[1]
        targets = ", ".join(f"{_PKG}.{t}" for t in MOVED[old])
        module.__doc__ = f"Deprecated import path; the code now lives in {targets}."
        warnings.warn(
            f"{module.__name__} is deprecated and will be removed in the next release; "
            f"use {targets}",
            DeprecationWarning,
            stacklevel=2,
        )


def install() -> None:
    """Put the finder on ``sys.meta_path`` (idempotent)."""
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.append(_Finder())


# ----------------------------------------------------------------------------- keywords


def renamed_keywords(**old_to_new: str) -> Callable[[_F], _F]:
    """Keep old keyword names of a function working for one release.

    ``@renamed_keywords(desimal="decimals")`` on a function whose parameter is now
    ``decimals``: a call with ``desimal=`` warns (``DeprecationWarning`` naming the
    function, the old and the new keyword, pointing at the caller's line) and passes the
    value as ``decimals``; a call with both raises ``TypeError``. The function's
    signature (``inspect.signature``, ``help``, JupyterLab's tooltip) shows the new names
    only. Works on functions and methods; on a class (a dataclass, say) it wraps
    ``__init__`` and also serves the old name as a read-only attribute that warns.

    Raises
    ------
    TypeError
        At decoration: a new name that is not a parameter, or an old name that still is.

    >>> import warnings
    >>> @renamed_keywords(desimal="decimals")
    ... def rounded(x, decimals=2):
    ...     return round(x, decimals)
    >>> str(inspect.signature(rounded))
    '(x, decimals=2)'
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     rounded(3.14159, desimal=1)
    3.1
    >>> print(w[0].message)
    rounded(): keyword 'desimal' is deprecated and will be removed in the next release; use 'decimals'
    """
    for old, new in old_to_new.items():
        if not (isinstance(new, str) and new.isidentifier()) or old == new:
            raise TypeError(f"renamed_keywords: {old}={new!r} is not a renaming")

    def decorate(obj: _F) -> _F:
        if isinstance(obj, type):
            return _renamed_class(obj, old_to_new)  # type: ignore[return-value]
        return _renamed_function(obj, old_to_new)

    return decorate


def _renamed_function(fn: _F, old_to_new: dict[str, str], owner: str | None = None) -> _F:
    params = inspect.signature(fn).parameters
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    name = owner or fn.__qualname__
    for old, new in old_to_new.items():
        if old in params:
            raise TypeError(f"renamed_keywords: {name}() still has a parameter {old!r}")
        if new not in params and not takes_any:
            raise TypeError(f"renamed_keywords: {name}() has no parameter {new!r}")
    olds = frozenset(old_to_new)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if kwargs and not olds.isdisjoint(kwargs):
            # dataclasses.replace(obj, old=...) passes every field under its new name
            # too: the old one is the caller's change
            replacing = owner is not None and _called_by_replace(sys._getframe(1))
            kwargs = with_new_keywords(
                kwargs, old_to_new, name, stacklevel=3 if replacing else 2, prefer_old=replacing
            )
        return fn(*args, **kwargs)

    wrapper.__renamed_keywords__ = {  # type: ignore[attr-defined]
        **getattr(fn, "__renamed_keywords__", {}),
        **old_to_new,
    }
    return wrapper  # type: ignore[return-value]


def with_new_keywords(
    kwargs: dict[str, Any],
    old_to_new: dict[str, str],
    name: str,
    *,
    stacklevel: int = 2,
    prefer_old: bool = False,
) -> dict[str, Any]:
    """``kwargs`` with each old keyword of ``old_to_new`` under its new name, warning
    ``DeprecationWarning`` once per old keyword (``stacklevel`` as for
    :func:`warnings.warn`, counted from the caller of this function). For a function that
    passes keywords on to others (``render_table`` to ``table_html``, a report's figure to
    its plot function), so that the warning names the caller's line.

    Raises ``TypeError`` when an old keyword and its new one are both given (unless
    ``prefer_old``: then the old one's value is kept).

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     with_new_keywords({"judul": "T", "x": 1}, {"judul": "title"}, "plot_bars")
    {'x': 1, 'title': 'T'}
    >>> print(w[0].message)
    plot_bars(): keyword 'judul' is deprecated and will be removed in the next release; use 'title'
    """
    if not kwargs or all(k not in old_to_new for k in kwargs):
        return kwargs
    kwargs = dict(kwargs)
    for old in sorted(k for k in kwargs if k in old_to_new):
        new = old_to_new[old]
        if new in kwargs and not prefer_old:
            raise TypeError(f"{name}() got both {old!r} (its old name) and {new!r}; pass {new!r}")
        warnings.warn(
            f"{name}(): keyword {old!r} is deprecated and will be removed in the "
            f"next release; use {new!r}",
            DeprecationWarning,
            stacklevel=stacklevel + 1,
        )
        kwargs[new] = kwargs.pop(old)
    return kwargs


def _called_by_replace(frame: Any) -> bool:
    """Whether ``frame`` is :func:`dataclasses.replace` (``_replace`` from Python 3.13)."""
    return (
        frame is not None
        and frame.f_globals.get("__name__") == "dataclasses"
        and (frame.f_code.co_name in ("replace", "_replace"))
    )


def _renamed_class(cls: type, old_to_new: dict[str, str]) -> type:
    cls.__init__ = _renamed_function(cls.__init__, old_to_new, owner=cls.__qualname__)  # type: ignore[misc]
    return _old_attributes(cls, old_to_new, "renamed_keywords")


def renamed_attributes(**old_to_new: str) -> Callable[[type], type]:
    """Keep old names of a class's methods or attributes working for one release.

    ``@renamed_attributes(bagian_markdown="section_markdown")`` on a class whose method
    is now ``section_markdown``: reading ``obj.bagian_markdown`` warns
    (``DeprecationWarning`` naming the class, the old and the new name, pointing at the
    caller's line) and gives ``obj.section_markdown``. Old names are left out of
    ``dir()`` (and so of JupyterLab's completion). For renamed constructor keywords use
    :func:`renamed_keywords`, which also serves the old attribute names.

    Raises
    ------
    TypeError
        At decoration: a new name the class does not have, or an old one it still has.

    Examples
    --------
    >>> import warnings
    >>> @renamed_attributes(judul="title")
    ... class Doc:
    ...     title = "T"
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     Doc().judul
    'T'
    >>> print(w[0].message)
    Doc.judul is deprecated and will be removed in the next release; use Doc.title
    >>> "judul" in dir(Doc())
    False
    """

    def decorate(cls: type) -> type:
        for new in old_to_new.values():
            if not hasattr(cls, new):
                raise TypeError(f"renamed_attributes: {cls.__qualname__} has no {new!r}")
        return _old_attributes(cls, old_to_new, "renamed_attributes")

    return decorate


def _old_attributes(cls: type, old_to_new: dict[str, str], who: str) -> type:
    """``cls`` serving each old name of ``old_to_new`` (:class:`_OldAttribute`), the old
    names left out of ``dir()``."""
    for old, new in old_to_new.items():
        if hasattr(cls, old):
            raise TypeError(f"{who}: {cls.__qualname__} still has an attribute {old!r}")
        setattr(cls, old, _OldAttribute(cls.__qualname__, old, new))
    if "__dir__" not in vars(cls):

        def __dir__(self: object) -> list[str]:
            names = super(cls, self).__dir__()  # type: ignore[misc]
            return [n for n in names if not isinstance(getattr(type(self), n, None), _OldAttribute)]

        cls.__dir__ = __dir__  # type: ignore[method-assign]
    return cls


def renamed_columns(frame: Any, old_to_new: dict[str, str], owner: str) -> Any:
    """``frame`` (a ``pandas.DataFrame`` whose columns were renamed) with its old column
    names still readable for one release.

    ``frame["kunci"]``, ``frame[["kunci", "status"]]`` and ``frame.kunci`` give the
    renamed column ``key`` and warn (``DeprecationWarning`` naming ``owner``, the old and
    the new name, at the caller's line); the frame is otherwise the same (its columns,
    values, ``repr`` and equality). Frames derived from it (a selection, a copy, a
    ``merge``) are plain DataFrames. Other uses of an old name (``set_index("kunci")``,
    ``query``) are not served.

    >>> import warnings
    >>> import pandas as pd
    >>> t = renamed_columns(pd.DataFrame({"key": ["a"]}), {"kunci": "key"}, "Report.tidy()")
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     t["kunci"].tolist()
    ['a']
    >>> print(w[0].message)
    Report.tidy(): column 'kunci' is deprecated and will be removed in the next release; use 'key'
    """
    out = _frame_with_old_columns()(frame)
    out._old_columns = {o: n for o, n in old_to_new.items() if n in frame.columns}
    out._owner = owner
    return out


@functools.cache
def _frame_with_old_columns() -> type:
    """The DataFrame subclass of :func:`renamed_columns` (made on first use: pandas is not
    imported with the package)."""
    import pandas as pd  # lazy: `import kinerja_analysis` does not load pandas

    class FrameWithOldColumns(pd.DataFrame):
        _metadata = ["_old_columns", "_owner"]

        @property
        def _constructor(self) -> type:
            return pd.DataFrame  # what is derived from it is a plain frame

        def _renamed(self, key: Any, stacklevel: int = 3) -> Any:
            old = self.__dict__.get("_old_columns") or {}
            if isinstance(key, str):
                if key in old and key not in self.columns:
                    warnings.warn(
                        f"{self._owner}: column {key!r} is deprecated and will be removed in "
                        f"the next release; use {old[key]!r}",
                        DeprecationWarning,
                        stacklevel=stacklevel,
                    )
                    return old[key]
                return key
            if isinstance(key, list):
                out = []
                for k in key:  # a loop, not a comprehension: one frame less to count
                    out.append(self._renamed(k, stacklevel + 1))
                return out
            return key

        def __getitem__(self, key: Any) -> Any:
            return super().__getitem__(self._renamed(key))

        def __reduce__(self) -> Any:
            return pd.DataFrame(self).__reduce__()  # pickled as the plain frame it is

        def __getattr__(self, name: str) -> Any:
            old = self.__dict__.get("_old_columns") or {}
            if name in old:
                return super().__getitem__(self._renamed(name))
            return super().__getattr__(name)

    FrameWithOldColumns.__module__ = __name__
    return FrameWithOldColumns


class _OldAttribute:
    """An attribute under its old name: warns, then reads (or sets) the new one."""

    def __init__(self, owner: str, old: str, new: str) -> None:
        self.owner, self.old, self.new = owner, old, new
        self.__doc__ = f"Deprecated: the old name of {new!r}."

    def __repr__(self) -> str:
        return f"<deprecated name of {self.owner}.{self.new}>"

    def _warn(self) -> None:
        warnings.warn(
            f"{self.owner}.{self.old} is deprecated and will be removed in the next release; "
            f"use {self.owner}.{self.new}",
            DeprecationWarning,
            stacklevel=3,
        )

    def __set__(self, obj: object, value: Any) -> None:
        self._warn()
        setattr(obj, self.new, value)  # a frozen class refuses it, as it refuses the new name

    def __get__(self, obj: object, objtype: type | None = None) -> Any:
        if obj is None:
            return self
        self._warn()
        return getattr(obj, self.new)
