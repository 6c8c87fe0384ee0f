"""The shared results' notes reach the reader, in the reader's language.

The cross-period computation notes what it could not estimate or left out. A note is
data (a key and its fields: counts, period codes, keys), made where the fact arises; the
documents write it from the catalogue in their language — the appendix of the period
document and the end of the effects document — and leave out what they already say
beside an estimate. Checked here: every key, analysis and reason the code can produce
has Indonesian and English text; the notes of real windows (the synthetic city, and
windows where estimates are impossible) render in both languages without a raw key; the
Indonesian document holds the Indonesian sentences and no English one (and the reverse);
a store keeps the notes as keys and fields and still reads the sentences older versions
stored; counts of a few ASN are not shown; data values in a note are escaped.
"""

from __future__ import annotations

import dataclasses
import html as _html
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from synthetic_reports import html_text

from kinerja_analysis.analyses.notes import ANALYSES, NOTES, REASONS, Note, not_estimated_note
from kinerja_analysis.analyses.shared import compute_shared, load_shared, save_shared
from kinerja_analysis.core.errors import NotEstimable
from kinerja_analysis.methods.did import staggered_did
from kinerja_analysis.reporting.facts import period_facts
from kinerja_analysis.reporting.markup import markdown_to_html
from kinerja_analysis.reporting.narrative import write_report
from kinerja_analysis.reporting.notes import (
    effects_document_shown,
    note_lines,
    note_text,
    note_topic,
    notes_catalog_problems,
)

PACKAGE = Path(__file__).resolve().parents[1] / "kinerja_analysis"

#: A raw key in a sentence: a snake_case word (no word of the catalogue has one).
RAW_KEY = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")
#: Words that give away the other language in a sentence.
ENGLISH = re.compile(r"\b(the|could|not|estimated|with|which|left|out|rows)\b")
INDONESIAN = re.compile(r"\b(tidak|yang|dengan|untuk|baris|diperkirakan|karena|periode)\b")


def _plain(md: str) -> str:
    """What a reader sees of a Markdown sentence."""
    text = _html.unescape(re.sub(r"<[^>]+>", " ", markdown_to_html(md)))
    return re.sub(r"\s+", " ", text).strip()


def _from(ds, table: str, start: str):
    t = dict(ds.tables)
    df = t[table]
    t[table] = df.loc[(df["periode"].astype(str) >= start).to_numpy()].reset_index(drop=True)
    return dataclasses.replace(ds, tables=t)


def _hostile(ds):
    """The city with feedback recorded in its last period only (not estimable), two OPDs
    adopting the system in the first period (left out of the rollout) and every ASN a
    woman (a covariate without variation, dropped as redundant)."""
    t = dict(_from(ds, "umpan_balik", ds.periods[-1]).tables)
    pen = t["penerapan"].copy()
    pen.loc[pen.index[:2], "periode_mulai"] = ds.periods[0]
    t["penerapan"] = pen
    t["pegawai"] = t["pegawai"].assign(jenis_kelamin="P")
    return dataclasses.replace(ds, tables=t)


@pytest.fixture(scope="module")
def windows(city_300) -> dict:
    """Shared results of several windows of the small city, each with its dataset."""
    ds = city_300.ds
    first, second = ds.periods[:2]
    without_training = dataclasses.replace(
        ds, tables={k: v for k, v in ds.tables.items() if k != "pelatihan"}
    )
    official_only = _from(_from(ds, "skp", second), "perilaku", second)
    cases = {
        "kota": (ds, None),
        "satu_periode": (ds, first),
        "tanpa_pelatihan": (without_training, second),
        "hanya_resmi": (official_only, first),
        "sulit": (_hostile(ds), None),
    }
    kw = {"n_boot": 19, "reliability": False}
    return {k: (d, compute_shared(d, through=p, **kw)) for k, (d, p) in cases.items()}


# ----------------------------------------------------------------------- the catalogue


def test_every_key_analysis_and_reason_has_both_languages():
    assert notes_catalog_problems() == []


def test_every_key_and_reason_the_code_names_is_registered():
    """A reason raised or a note made anywhere in the package is one the catalogue knows
    (read from the source, so that a path no test city reaches is checked too)."""
    layers = ("core", "methods", "domain", "analyses")  # where the notes' facts arise
    src = "\n".join(p.read_text("utf-8") for x in layers for p in (PACKAGE / x).rglob("*.py"))
    reasons = set(re.findall(r'reason="(\w+)"', src)) | set(re.findall(r'"sebab": "(\w+)"', src))
    keys = set(re.findall(r'\bNote\(\s*"(\w+)"', src))
    keys |= set(re.findall(r'not_estimated_note\([^)]*?\bkey="(\w+)"', src, flags=re.S))
    analyses = set(re.findall(r'not_estimated_note\(\s*"(\w+)"', src))
    analyses |= set(re.findall(r'_safe\(\s*notes,\s*"(\w+)"', src))
    assert reasons and keys and analyses
    assert reasons <= set(REASONS), reasons - set(REASONS)
    assert "subkelompok_tidak_diestimasi" in keys
    assert keys <= set(NOTES), keys - set(NOTES)
    assert analyses <= set(ANALYSES), analyses - set(ANALYSES)


# ----------------------------------------------------------------------- real windows


def test_windows_make_keyed_notes_of_every_kind_they_meet(windows):
    kinds = {n.key for _, h in windows.values() for n in h.notes}
    # the windows meet these: each must be there (a test of the windows as much as of notes)
    assert {
        "tidak_diestimasi", "panel_seimbang", "subkelompok_kecil", "predikat_resmi",
        "skp_tidak_ada", "tabel_tidak_ada", "opd_sejak_awal", "kovariat_redundan",
        "sampel_komunikasi",
    } <= kinds  # fmt: skip
    for _, h in windows.values():
        for n in h.notes:
            assert isinstance(n, Note) and n.key in NOTES
            assert n.fields.get("analisis", "pelatihan") in ANALYSES
            assert n.fields.get("sebab", "other") in REASONS, n


def test_every_note_of_every_window_reads_in_both_languages(windows):
    for name, (_, h) in windows.items():
        assert h.notes, name
        for n in h.notes:
            idn, eng = _plain(note_text(n, "id")), _plain(note_text(n, "en"))
            for text in (idn, eng):
                assert text and "{" not in text and "–" != text, (name, n)
                assert not RAW_KEY.search(text), (name, n, text)
            assert idn != eng
            assert not ENGLISH.search(idn), (n, idn)
            assert not INDONESIAN.search(eng), (n, eng)


def test_the_brief_examples_in_words(windows):
    _, h = windows["kota"]
    panel = next(n for n in h.notes if n.key == "panel_seimbang")
    n_asn, n_baris = panel.fields["n_asn"], panel.fields["n_baris"]
    assert n_baris > 0 and n_asn > 0
    assert note_text(panel) == (
        "Panel seimbang (pengaruh pelatihan terhadap capaian SKP): "
        f"{n_asn} ASN tanpa data lengkap di setiap periode jendela tidak diikutkan, "
        f"bersama {f'{n_baris:,}'.replace(',', '.')} baris data mereka."
    )
    sat = Note(
        "tidak_diestimasi",
        {"analisis": "penerapan_studi_peristiwa", "sebab": "saturated", "hasil": "ikm",
         "n_obs": 1612, "n_params": 40},
    )  # fmt: skip
    assert "1.612 pengamatan untuk 40 parameter" in note_text(sat)
    assert "1,612 observations for 40 parameters" in note_text(sat, "en")


def test_the_balanced_panel_note_counts_what_the_estimator_left_out(windows):
    """The note's numbers are the estimator's: ASN of the window not trained before it
    that are not in the estimate (and not trained in its first period), and the rows of
    data they have (not the periods they lack: those are no data left out)."""
    ds, h = windows["kota"]
    panel = next(n for n in h.notes if n.key == "panel_seimbang")
    cs = h.pelatihan.set_index("term").loc["att_cs"]
    assert panel.fields["n_asn"] == cs["n_incomplete"]
    d = h.panel.loc[~(h.panel["g"] == 0).fillna(False).to_numpy(bool)]
    complete = d.dropna(subset=["capaian", "golongan_num", "masa_kerja", "perempuan"])
    full = complete.groupby("nip")["t"].nunique() == d["t"].nunique()
    left = set(d["nip"]) - set(full[full].index)
    assert len(left) == panel.fields["n_asn"]
    assert int(complete["nip"].isin(left).sum()) == panel.fields["n_baris"]
    assert panel.fields["n_baris"] < int(d["nip"].isin(left).sum())  # the grid's rows


def test_notes_hold_no_personal_data_and_name_no_opd(windows):
    """Counts, not NIPs; and no OPD by name: an OPD with few trained ASN may be one whose
    rows the city's tables hide (its subgroup notes count the OPDs instead)."""
    seen_opd_count = False
    for ds, h in windows.values():
        text = json.dumps([n.to_json() for n in h.notes], ensure_ascii=False)
        assert not re.search(r"\d{18}", text)
        nips = set(ds.tables["pegawai"]["nip"].astype(str))
        assert not any(nip in text for nip in list(nips)[:500])
        assert not any(o in text for o in set(ds.tables["pegawai"]["opd"].astype(str)))
        seen_opd_count |= any(n.key == "subkelompok_kecil_jumlah" for n in h.notes)
    assert seen_opd_count


def test_a_few_asn_are_not_counted_in_words():
    n = Note("dilatih_sebelum_jendela", {"analisis": "pelatihan", "n_asn": 3})
    assert "kurang dari 5 ASN" in note_text(n) and "fewer than 5 ASN" in note_text(n, "en")
    assert " 3 " not in note_text(n) and "7 ASN" in note_text(dataclasses.replace(n, fields={
        "analisis": "pelatihan", "n_asn": 7}))  # fmt: skip
    assert "kurang dari 10" in note_text(n, "id", min_sel=10)


def test_an_opd_name_in_a_note_is_escaped():
    bad = "Dinas *Tebal* <script>x</script> [a](http://x)"
    n = Note(
        "subkelompok_kecil",
        {"analisis": "pelatihan_subkelompok", "subkelompok": "opd", "tingkat": [bad],
         "min_n": 20},
    )  # fmt: skip
    html = markdown_to_html(note_text(n))
    assert "<script>" not in html and "<em>" not in html and "<a " not in html
    assert "Dinas *Tebal* &lt;script&gt;x&lt;/script&gt; [a](http://x)" in html


def test_an_unknown_reason_is_written_as_other_never_as_its_key():
    n = not_estimated_note("ordinal", NotEstimable("x", reason="a_new_reason"))
    assert "a_new_reason" not in note_text(n) and "syarat estimator" in note_text(n)


def test_the_did_engine_reports_its_facts_as_attributes():
    rows = [
        {"u": u, "t": t, "g": g, "x": 1.0, "y": float(t + (g and t >= g))}
        for u, g in [*[(i, 3) for i in range(6)], *[(i + 6, 0) for i in range(40)]]
        for t in (1, 2, 3, 4)
    ]
    res = staggered_did(pd.DataFrame(rows), "y", "u", "t", "g", ["x"], n_boot=0)
    assert res.dropped_covariates == ("x",)  # constant: redundant with the intercept
    assert res.small_cohorts == ()  # 6 units >= 0 covariates + 5
    rows = [r for r in rows if not (r["g"] == 3 and r["u"] > 1)]
    res = staggered_did(pd.DataFrame(rows), "y", "u", "t", "g", n_boot=0)
    assert res.small_cohorts == (3,) and res.counts["small_group_min"] == 5


# ----------------------------------------------------------------------- the store


def test_the_store_keeps_notes_as_keys_and_fields(windows, tmp_path):
    _, h = windows["sulit"]
    back = load_shared(save_shared(h, tmp_path / "w"))
    assert back.notes == h.notes and len(h.notes) > 3
    meta = json.loads((tmp_path / "w" / "meta.json").read_text("utf-8"))
    assert all(set(m) == {"kunci", "isian"} for m in meta["catatan"])
    assert [m["kunci"] for m in meta["catatan"]] == [n.key for n in h.notes]


def test_a_store_of_sentences_still_loads_and_shows_them(windows, tmp_path):
    _, h = windows["satu_periode"]
    folder = save_shared(h, tmp_path / "lama")
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    meta["catatan"] = ["Efek umpan balik: tidak dapat diestimasi (data kurang)."]
    (folder / "meta.json").write_text(json.dumps(meta), "utf-8")
    back = load_shared(folder)
    assert [n.key for n in back.notes] == ["teks_lama"]
    assert note_lines(back.notes) == ["Efek umpan balik: tidak dapat diestimasi (data kurang)."]


# ----------------------------------------------------------------------- the documents


def _report(ds, h, bahasa):
    periode = h.periode_akhir
    return write_report(period_facts(ds, h, periode, bahasa=bahasa))


@pytest.mark.parametrize("name", ["kota", "sulit"])
def test_period_document_shows_the_notes_in_its_language(windows, name):
    ds, h = windows[name]
    shown = {}
    for b in ("id", "en"):
        lampiran = _plain(_report(ds, h, b)["lampiran"])
        lines = [_plain(x) for x in note_lines(h.notes, b)]
        shown[b] = [x for x in lines if x in lampiran]
        assert shown[b], (b, lines)
        other = [_plain(x) for x in note_lines(h.notes, "en" if b == "id" else "id")]
        assert not [x for x in other if x in lampiran]  # no note in the other language
    assert len(shown["id"]) == len(shown["en"])
    # the English document has no Indonesian note and the reverse, anywhere
    whole = {b: _plain(_report(ds, h, b).markdown()) for b in ("id", "en")}
    assert not any(_plain(x) in whole["en"] for x in note_lines(h.notes, "id"))
    assert not any(_plain(x) in whole["id"] for x in note_lines(h.notes, "en"))


def test_a_reason_shown_beside_the_effect_is_not_repeated(windows):
    ds, h = windows["kota"]
    again = Note("tidak_diestimasi", {"analisis": "pelatihan", "sebab": "no_comparison"})
    other = Note("tidak_diestimasi", {"analisis": "pelatihan", "sebab": "no_post_att"})
    f = period_facts(ds, h, h.periode_akhir)
    f = dataclasses.replace(
        f, notes=(*f.notes, again, other), not_estimated={"pelatihan": "no_comparison"}
    )
    md = _plain(write_report(f).markdown())
    assert "tidak ada kelompok pembanding" in md  # said beside the effect (Hasil)
    assert _plain(note_text(again)) not in md  # … so not again among the notes
    assert _plain(note_text(other)) in md  # a more specific reason is added
    assert note_topic(again) == ("tidak_diestimasi", "pelatihan", "no_comparison")


def test_the_effects_document_leaves_out_what_it_says_beside_estimates(windows):
    _, h = windows["kota"]
    shown = effects_document_shown(h)
    lines = note_lines(h.notes, "id", shown=shown)
    # its training table says the balanced panel; the rollout rows their pre-trend reason
    assert ("panel_seimbang", "pelatihan") in shown
    assert not any("Panel seimbang" in x for x in lines)
    pretrend = {(o, r) for o, r in zip(h.penerapan["outcome"], h.penerapan["pretrend_reason"],
                                       strict=True) if r}  # fmt: skip
    for n in h.notes:
        if n.fields.get("analisis") == "penerapan_studi_peristiwa":
            said = (n.fields["hasil"], n.fields["sebab"]) in pretrend
            assert (note_text(n) in lines) is not said
    assert len(lines) == len(set(lines)) > 0


def test_an_opd_document_has_no_city_notes(windows):
    ds, h = windows["kota"]
    opd = str(ds.tables["pegawai"]["opd"].iloc[0])
    f = period_facts(ds, h, h.periode_akhir, opd=opd)
    assert f.notes == ()


def test_batch_documents_hold_the_notes_in_their_language(synthetic_reports):
    """The synthetic batch's period and effects documents of the last period: the
    Indonesian ones hold the Indonesian sentences and no English note; the English
    ones the English sentences and no Indonesian note."""
    from kinerja_analysis.analyses.shared import load_or_compute_shared
    from kinerja_analysis.data.loading import load_dataset

    r = synthetic_reports
    ds = load_dataset(r.data_dir)
    h = load_or_compute_shared(ds, r.summaries[0].cache_dir / "shared", through=r.last)
    assert h.notes
    for out, b in ((r.out_id, "id"), (r.out_en, "en")):
        other = "en" if b == "id" else "id"
        folder = out / r.last
        for doc, shown in (
            ("laporan_periode", None),
            ("efek_pelatihan_umpan_balik", effects_document_shown(h)),
        ):
            (path,) = folder.glob(f"{doc}_*.html")
            text = html_text(path)
            mine = [_plain(x) for x in note_lines(h.notes, b, shown=shown or ())]
            assert not [x for x in (_plain(y) for y in note_lines(h.notes, other)) if x in text]
            if shown is not None:  # the effects document: every note it does not say
                assert all(x in text for x in mine), [x for x in mine if x not in text]
            else:
                assert any(x in text for x in mine)


def test_opd_subgroups_are_counted_not_named():
    from kinerja_analysis.analyses.training import _subgroup_notes

    def fail(level, reason):
        return not_estimated_note(
            "pelatihan_subkelompok", NotEstimable("x", reason=reason),
            key="subkelompok_tidak_diestimasi", subkelompok="opd", tingkat=[level],
        )  # fmt: skip

    failed = [fail("Dinas A", "no_att"), fail("Dinas B", "no_att"), fail("Dinas C", "no_rows")]
    out = _subgroup_notes("pelatihan_subkelompok", "opd", ["Dinas D", "Dinas E"], failed, 20)
    assert [(n.key, n.fields["n_tingkat"]) for n in out] == [
        ("subkelompok_kecil_jumlah", 2),
        ("subkelompok_tidak_diestimasi_jumlah", 2),
        ("subkelompok_tidak_diestimasi_jumlah", 1),
    ]
    assert "Dinas" not in json.dumps([n.to_json() for n in out])
    assert "untuk 2 kelompok tidak dapat diperkirakan" in note_text(out[1])
    # levels that are keys of the contract are named
    named = _subgroup_notes("pelatihan_subkelompok", "jenis_jabatan", ["jpt"], [], 20)
    assert named[0].fields["tingkat"] == ["jpt"] and "JPT" in note_text(named[0])
