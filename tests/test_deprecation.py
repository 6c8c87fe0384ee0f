"""Old import paths and names keep working for one release, with a DeprecationWarning."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import sys
import warnings

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


# ----------------------------------------------------------------------------- keywords


@deprecation.renamed_keywords(desimal="decimals", kolom="columns")
def _shown(x, decimals=2, *, columns=None):
    return x, decimals, columns


class _Sheet:
    @deprecation.renamed_keywords(judul="title")
    def write(self, df, *, title=""):
        return df, title


@deprecation.renamed_keywords(judul="title")
@dataclasses.dataclass(frozen=True)
class _Section:
    key: str
    title: str = ""


def test_old_keyword_warns_at_the_caller_and_passes_the_value():
    with pytest.warns(DeprecationWarning) as rec:
        assert _shown(1, desimal=3) == (1, 3, None)
    (w,) = rec
    assert w.filename == __file__  # stacklevel: the line that used the old keyword
    assert str(w.message) == (
        "_shown(): keyword 'desimal' is deprecated and will be removed in the next "
        "release; use 'decimals'"
    )


def test_every_old_keyword_of_a_call_is_served():
    with pytest.warns(DeprecationWarning) as rec:
        assert _shown(1, desimal=0, kolom=["a"]) == (1, 0, ["a"])
    assert ["'desimal'" in str(w.message) for w in rec] == [True, False]
    assert "'kolom'" in str(rec[1].message)


def test_new_keywords_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _shown(1, decimals=0, columns=["a"]) == (1, 0, ["a"])
        assert _shown(1, 0) == (1, 0, None)


def test_old_and_new_keyword_together_is_a_type_error():
    with pytest.raises(TypeError, match="got both 'desimal'.*and 'decimals'"):
        _shown(1, desimal=1, decimals=2)


def test_signature_shows_the_new_names_only():
    assert list(inspect.signature(_shown).parameters) == ["x", "decimals", "columns"]
    assert _shown.__name__ == "_shown" and _shown.__renamed_keywords__ == {
        "desimal": "decimals",
        "kolom": "columns",
    }


def test_methods_keep_their_old_keywords():
    with pytest.warns(DeprecationWarning, match=r"_Sheet.write\(\): keyword 'judul'"):
        assert _Sheet().write("df", judul="T") == ("df", "T")
    assert list(inspect.signature(_Sheet.write).parameters) == ["self", "df", "title"]


def test_a_decorated_class_takes_and_serves_its_old_field_name():
    with pytest.warns(DeprecationWarning, match=r"_Section\(\): keyword 'judul'") as rec:
        s = _Section("k", judul="T")
    assert rec[0].filename == __file__
    assert s == _Section("k", title="T")
    assert list(inspect.signature(_Section).parameters) == ["key", "title"]
    with pytest.warns(DeprecationWarning, match=r"_Section.judul is deprecated"):
        assert s.judul == "T"
    with pytest.raises(TypeError, match="got both"):
        _Section("k", judul="T", title="U")


def test_a_wrong_renaming_fails_at_import():
    with pytest.raises(TypeError, match="has no parameter 'decimal'"):
        deprecation.renamed_keywords(desimal="decimal")(lambda x, decimals=2: x)
    with pytest.raises(TypeError, match="still has a parameter 'desimal'"):
        deprecation.renamed_keywords(desimal="decimals")(lambda desimal, decimals=2: 0)
    with pytest.raises(TypeError, match="is not a renaming"):
        deprecation.renamed_keywords(desimal="desimal")


def test_replace_with_an_old_field_name_warns_and_replaces():
    """``dataclasses.replace`` passes every field under its new name: the old name the
    caller gives is the change (it was 'got both')."""
    s = _Section("k", title="T")
    with pytest.warns(DeprecationWarning, match=r"keyword 'judul'") as rec:
        r = dataclasses.replace(s, judul="U")
    assert r == _Section("k", title="U")
    assert rec[0].filename == __file__  # the caller's line, not dataclasses'
    with pytest.raises(TypeError, match="got both"):  # a plain call is still refused
        _Section("k", judul="T", title="U")


@deprecation.renamed_keywords(teks="text")
@dataclasses.dataclass
class _Note:
    text: str = ""


def test_setting_an_old_field_name_warns_and_sets_the_new_one():
    n = _Note("a")
    with pytest.warns(DeprecationWarning, match=r"_Note.teks is deprecated") as rec:
        n.teks = "b"
    assert rec[0].filename == __file__
    assert n.text == "b" and "teks" not in vars(n)
    with pytest.raises(dataclasses.FrozenInstanceError):  # a frozen class refuses it
        _Section("k").judul = "T"
    assert "deprecated name of _Note.text" in repr(vars(_Note)["teks"])


def test_keywords_passed_on_warn_at_the_line_that_wrote_them():
    def passes_on(**options):
        options = deprecation.with_new_keywords(options, {"desimal": "decimals"}, "passes_on")
        return _shown(1, **options)

    with pytest.warns(DeprecationWarning, match=r"passes_on\(\): keyword 'desimal'") as rec:
        assert passes_on(desimal=4) == (1, 4, None)
    assert len(rec) == 1 and rec[0].filename == __file__
    with pytest.raises(TypeError, match="got both"):
        passes_on(desimal=4, decimals=5)


def test_a_renamed_method_warns_at_the_caller_and_is_not_offered():
    @deprecation.renamed_attributes(hitung="compute")
    class Model:
        def compute(self, x):
            return 2 * x

    m = Model()
    with pytest.warns(
        DeprecationWarning, match=r"Model\.hitung is deprecated.*Model\.compute"
    ) as w:
        assert m.hitung(3) == 6
    assert w[0].filename == __file__
    assert "hitung" not in dir(m) and "compute" in dir(m)
    with pytest.raises(TypeError, match="has no 'hitung_ulang'"):
        deprecation.renamed_attributes(lama="hitung_ulang")(Model)
    with pytest.raises(TypeError, match="still has an attribute 'compute'"):
        deprecation.renamed_attributes(compute="hitung")(Model)


def test_renamed_columns_read_with_a_warning_and_otherwise_are_a_plain_frame():
    import pickle

    import pandas as pd

    plain = pd.DataFrame({"key": ["a", "b"], "seconds": [1.0, 2.0]})
    t = deprecation.renamed_columns(plain, {"kunci": "key", "detik": "seconds"}, "S.tidy()")
    assert t.equals(plain) and list(t.columns) == ["key", "seconds"] and repr(t) == repr(plain)
    for read in (lambda: t["kunci"], lambda: t.kunci):
        with pytest.warns(DeprecationWarning, match=r"S\.tidy\(\): column 'kunci'") as w:
            assert read().tolist() == ["a", "b"]
        assert w[0].filename == __file__
    with pytest.warns(DeprecationWarning) as w:
        assert t[["kunci", "detik"]].equals(plain)
    assert len(w) == 2 and {x.filename for x in w} == {__file__}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # new names, and what derives from the frame: silent
        assert t["key"].tolist() == ["a", "b"]
        for derived in (t.copy(), t[t["seconds"] > 1], t.head(1), pickle.loads(pickle.dumps(t))):
            assert type(derived) is pd.DataFrame
    with pytest.raises(KeyError):
        t["nama"]  # an unknown column stays an error
