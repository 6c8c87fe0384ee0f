"""The per-OPD documents of notebooks 00 (data quality), 20 (training and feedback) and
30 (survey) never give back a small group beside the city's documents of the period.

The attack reads every count of ASN an OPD document publishes (ASN per training type and
source, per JP group, with a feedback session per period, respondents and answers per
survey item, ASN per data table) beside the city's count of the same cell and each OPD's
public head-count, and looks for a group of 1..``min_sel``-1 ASN:

* a count shown, or the rest of its OPD's head-count;
* the city's count less every count the OPD documents show (the OPDs left over);
* the city's rest (head-count less count) less every shown OPD's rest.

A 120-ASN city of five OPDs is planted with two such groups: one OPD keeps three survey
respondents in the last period, and in the period before it every ASN but two of another
OPD gets a feedback session. The same attack runs on the package's functions over a
300-ASN city (every OPD, every cell, no batch), and on the batch's documents.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import unescape

import pandas as pd
import pytest
from synthetic_reports import sheet_values

from kinerja_analysis.analyses.shared import data_through, pegawai_through
from kinerja_analysis.core.periods import period_label
from kinerja_analysis.data.loading import load_dataset
from kinerja_analysis.data.synth import generate, write_dataset
from kinerja_analysis.pipeline.batch import run_batch
from kinerja_analysis.reporting import tables
from kinerja_analysis.reporting.notebook import tables_for
from kinerja_analysis.reporting.paths import folder_names
from kinerja_analysis.reporting.privacy import subset_hidden, suppress_small_cells

MIN_SEL = 5
#: the OPD that keeps three survey respondents in the last period
FEW_RESPONDENTS = ("Kecamatan Kotalama Utara", 3)
#: the OPD whose ASN all but two get feedback in the period before the last
ALL_BUT_TWO = ("Dinas Kesehatan", 2)


# ----------------------------------------------------------------------------- the attack


def leaks(
    city: Mapping[object, float | None],
    docs: Mapping[str, Mapping[object, float | None] | None],
    heads: Mapping[str, Mapping[object, float] | float],
    total_head: Mapping[object, float] | float,
    min_sel: int = MIN_SEL,
) -> list[tuple]:
    """Groups of 1..``min_sel``-1 ASN that the counts give back.

    ``city``: the city's count per cell (``None``: hidden); ``docs``: per OPD, its
    counts per cell (``None`` for the whole document: the table is withheld; a cell
    missing from a published table counts 0, as its rows are the cells with ASN; a value
    ``None``: hidden); ``heads``: each OPD's public head-count (or per cell, for the
    periods of a per-period table); ``total_head``: the city's.
    """

    def at(h, cell):
        return h[cell] if isinstance(h, Mapping) else h

    out = []
    for cell, c in city.items():
        if c is None:
            continue
        shown = {}
        for o, d in docs.items():
            if d is None:
                continue
            v = d.get(cell, 0)
            if v is not None:
                shown[o] = v
        for o, v in shown.items():
            rest = at(heads[o], cell) - v
            if 0 < v < min_sel or 0 < rest < min_sel:
                out.append(("eigen", cell, o, v, rest))
        left = c - sum(shown.values())
        if 0 < left < min_sel:
            out.append(("sisa", cell, left))
        rests = (at(total_head, cell) - c) - sum(at(heads[o], cell) - v for o, v in shown.items())
        if 0 < rests < min_sel:
            out.append(("sisa_lain", cell, rests))
    return out


def test_the_attack_finds_what_it_should():
    """The checker itself: a hidden OPD alone in the residual, the rest of a shown count,
    and a residual of rests are found; a residual of 0 or of ``min_sel`` is not."""
    heads = {"A": 20, "B": 30, "C": 40}
    city = {"x": 60}
    assert leaks(city, {"A": {"x": None}, "B": {"x": 18}, "C": {"x": 40}}, heads, 90) == [
        ("sisa", "x", 2)
    ]
    assert leaks(city, {"A": {"x": 17}, "B": {}, "C": {"x": 43}}, heads, 90)[0][0] == "eigen"
    # A hidden with 18 of 20: its count is no small group, but its rest (2) is
    assert leaks({"x": 88}, {"A": {"x": None}, "B": {"x": 30}, "C": {"x": 40}}, heads, 90) == [
        ("sisa_lain", "x", 2)
    ]
    assert leaks(city, {"A": None, "B": {"x": 15}, "C": {"x": 40}}, heads, 90) == []
    assert leaks(city, {"A": {"x": 0}, "B": {"x": 20}, "C": {"x": 40}}, heads, 90) == []


# ------------------------------------------------------------ the package's functions


def _counts_of(df: pd.DataFrame, key, col: str) -> dict:
    return {key(r): (None if pd.isna(r[col]) else float(r[col])) for _, r in df.iterrows()}


def _feedback_counts(ub: pd.DataFrame) -> tuple[dict, dict]:
    """``({period: ASN with a session}, {period: head-count})`` as a reader works them
    back from the feedback table (sessions, sessions per ASN, share without a session)."""
    counts, heads = {}, {}
    for _, r in ub.iterrows():
        if not r["sesi_per_asn"]:
            continue
        n = round(r["n_sesi"] / r["sesi_per_asn"])
        heads[r["periode"]] = n
        pct = r["pct_asn_tanpa_sesi"]
        counts[r["periode"]] = None if pd.isna(pct) else round((1 - pct) * n)
    return counts, heads


def _published(t, periode, withheld) -> dict[str, tuple[dict | None, dict]]:
    """What one document publishes (city: ``withheld`` empty): ``{table: (counts,
    heads)}``; ``counts`` None when the table is withheld."""
    out = {}
    head = tables.period_headcount(t, periode)
    jp = tables.jp_by_asn(t["pelatihan"], t["pegawai"], periode)
    if "paparan" in withheld:
        out["paparan"] = (None, head)
    else:
        e = tables.training_exposure(t["pelatihan"], periode, MIN_SEL, withheld=withheld)
        out["paparan"] = (_counts_of(e, lambda r: (r["jenis"], r["sumber"]), "n_asn"), head)
    if "kelompok_jp" in withheld:
        out["kelompok_jp"] = (None, head)
    else:
        c = tables.capaian_by_training(t["skp"], jp, periode, MIN_SEL, withheld=withheld)
        out["kelompok_jp"] = (_counts_of(c, lambda r: r["kelompok_jp"], "n_asn"), head)
    ub = tables.umpan_balik_by_period(t["umpan_balik"], t["pegawai"], MIN_SEL, withheld=withheld)
    out["umpan_balik"] = _feedback_counts(ub)
    if "survei" in withheld:
        out["survei"] = (None, head)
    else:
        items = tables.survei_items(
            t["survei"], t["survei_instrumen"], periode, MIN_SEL, total=head
        )
        n = tables.survey_respondents(t["survei"], periode)
        counts = _counts_of(items, lambda r: r["item"], "n")
        counts["responden"] = None if subset_hidden(n, head, MIN_SEL) else float(n)
        out["survei"] = (counts, head)
    cov = tables.period_coverage(t, periode, MIN_SEL, withheld=withheld)
    out["cakupan"] = (_counts_of(cov, lambda r: r["tabel"], "n_asn"), head)
    # one row per ASN and period: the rows are the ASN
    rows = cov[cov["tabel"].isin(["survei", "penilaian_resmi"])]
    out["cakupan_baris"] = (_counts_of(rows, lambda r: r["tabel"], "n_baris"), head)
    return out


@pytest.fixture(scope="module")
def function_attack(city_300):
    ds = city_300.ds
    last = ds.periods[-1]
    cut = data_through(ds, last)
    pattern = tables.city_suppressed_measures(cut, None, last, MIN_SEL)
    small = set(tables.small_opds(cut, last, MIN_SEL))
    city = _published(cut.tables, last, frozenset())
    docs = {
        o: _published(tables_for(cut, o), last, pattern[o])
        for o in sorted(pattern)
        if o not in small
    }
    for o in small:
        docs[o] = {k: (None, 0) for k in city}
    return cut, last, pattern, city, docs


@pytest.mark.parametrize(
    "table", ["paparan", "kelompok_jp", "umpan_balik", "survei", "cakupan", "cakupan_baris"]
)
def test_functions_give_back_no_small_group(function_attack, table):
    cut, last, _, city, docs = function_attack
    counts, total = city[table]
    found = leaks(
        counts,
        {o: d[table][0] for o, d in docs.items()},
        {o: d[table][1] for o, d in docs.items()},
        total,
    )
    assert not found, found
    assert counts  # the city's table has cells to difference


def test_the_pattern_hides_only_what_it_must(function_attack):
    """Useful documents: most OPDs publish most of each table (the pattern is not
    "everything withheld"), and an OPD's whole table is withheld only with a reason."""
    _, _, pattern, _, docs = function_attack
    shown = [o for o, d in docs.items() if d["paparan"][0] is not None]
    assert len(shown) >= len(docs) // 2
    for o, m in pattern.items():
        if "paparan" in m:
            assert m & {"jp", "jp_mandiri"}, (o, sorted(m))
        if "kelompok_jp" in m:
            assert m & {"jp", "jp_bawah_20", "capaian"}, (o, sorted(m))


def test_a_period_row_is_decided_by_that_period_alone(city_300):
    """The feedback row of a period is hidden by the same OPDs in that period's documents
    and in every later period's (each shows it)."""
    ds = city_300.ds
    p, q = ds.periods[-2], ds.periods[-1]
    a = tables.city_suppressed_measures(data_through(ds, p), None, p, MIN_SEL)
    b = tables.city_suppressed_measures(data_through(ds, q), None, q, MIN_SEL)
    both = set(a) & set(b)
    for m in (f"umpan_balik:{p}", f"umpan_balik_kualitas:{p}"):
        assert {o for o in both if m in a[o]} == {o for o in both if m in b[o]}, m


# ----------------------------------------------------------------------------- unit rules


def test_forced_cells_get_complements():
    """A cell hidden for another document's pattern is protected like a small one: the
    next-smallest cell of its group goes with it."""
    d = pd.DataFrame({"g": ["a", "b", "c"], "n": [40, 30, 50]})
    s = suppress_small_cells(d, "n", MIN_SEL, primary=[True, False, False])
    assert s["disembunyikan"].tolist() == [True, True, False]
    with pytest.raises(ValueError, match="primary"):
        suppress_small_cells(d, "n", MIN_SEL, primary=[True])


def test_coverage_rows_are_blank_with_their_asn():
    """A table of one row per ASN (survey answers) counts its ASN in ``n_baris``: blank
    with ``n_asn`` (here 3 of 60 did not answer)."""
    peg = pd.DataFrame({"nip": [f"p{i}" for i in range(60)], "opd": "A"})
    survei = pd.DataFrame({"nip": peg["nip"][:57], "periode": "2025Q4"})
    cov = tables.period_coverage({"pegawai": peg, "survei": survei}, "2025Q4", MIN_SEL)
    row = cov.set_index("tabel").loc["survei"]
    assert pd.isna(row["n_asn"]) and pd.isna(row["n_baris"]) and row["disembunyikan"]
    w = tables.period_coverage(
        {"pegawai": peg, "survei": survei.head(30)}, "2025Q4", MIN_SEL, withheld={"survei"}
    )
    assert w.attrs["ditahan"] == ["survei"] and w["n_baris"].isna().all()


def test_acceptance_counts_follow_the_means():
    """The city's acceptance table: an OPD's mean hidden with its complements, and its
    number of respondents with it; a count whose rest is small hidden too."""
    rng = pd.Series(range(200))
    opd = ["A"] * 3 + ["B"] * 40 + ["C"] * 57 + ["D"] * 100
    peg = pd.DataFrame({"nip": [f"p{i}" for i in rng], "opd": opd})
    answered = peg[peg["opd"] != "C"].index.tolist() + peg[peg["opd"] == "C"].index[:55].tolist()
    survei = pd.DataFrame({"nip": peg.loc[answered, "nip"], "periode": "2025Q4"})
    for k in range(1, 5):
        survei[f"pen{k}"] = 3 + (rng.loc[answered] % 3 == 0).astype(int).to_numpy()
    instrumen = pd.DataFrame(
        {"item": [f"pen{k}" for k in range(1, 5)], "konstruk": "penerimaan_sistem",
         "terbalik": False, "teks": "…"}
    )  # fmt: skip
    t = tables.acceptance_table(survei, instrumen, peg, "2025Q4", MIN_SEL).set_index("opd")
    # A (3) is small, B (40) its complement; C's 55 of 57 leaves 2 who did not answer
    assert t.loc[["A", "B"], "estimate"].isna().all() and t.loc[["A", "B"], "n_obs"].isna().all()
    assert pd.notna(t.loc["C", "estimate"]) and pd.isna(t.loc["C", "n_obs"])
    assert t.loc["D", "n_obs"] == 100
    own = tables.acceptance_table(survei, instrumen, peg, "2025Q4", MIN_SEL, opd="B")
    assert own["opd"].tolist() == ["B"] and own["estimate"].isna().all()


def test_feedback_rows_follow_the_pattern():
    peg = pd.DataFrame({"nip": [f"p{i}" for i in range(20)], "opd": "A"})
    ub = pd.DataFrame(
        {"nip": peg["nip"][:12].tolist() * 2, "periode": ["2025Q3"] * 12 + ["2025Q4"] * 12,
         "bentuk": "coaching", "kualitas": 4.0}
    )  # fmt: skip
    t = tables.umpan_balik_by_period(
        ub, peg, MIN_SEL, withheld={"umpan_balik:2025Q3", "umpan_balik_kualitas:2025Q4"}
    ).set_index("periode")
    assert pd.isna(t.loc["2025Q3", "pct_asn_tanpa_sesi"]) and t.loc["2025Q3", "disembunyikan"]
    assert t.loc["2025Q4", "pct_asn_tanpa_sesi"] == pytest.approx(0.4)
    assert pd.isna(t.loc["2025Q4", "kualitas_rerata"])
    assert t.loc["2025Q3", "kualitas_rerata"] == pytest.approx(4.0)


# ----------------------------------------------------------------------------- the batch


def _plant(r) -> None:
    """The two small groups of the module docstring."""
    peg, survei, ub = r.tables["pegawai"], r.tables["survei"], r.tables["umpan_balik"]
    periods = sorted(survei["periode"].unique())
    last, before = periods[-1], periods[-2]
    who = peg.set_index("nip")["opd"]
    o, k = FEW_RESPONDENTS
    rows = (survei["periode"] == last) & (survei["nip"].map(who) == o)
    keep = survei.index[rows][:k]
    r.tables["survei"] = survei.drop(survei.index[rows].difference(keep)).reset_index(drop=True)
    o, k = ALL_BUT_TWO
    nips = peg.loc[peg["opd"] == o, "nip"].tolist()
    rows = (ub["periode"] == before) & ub["nip"].isin(nips)
    template = ub.loc[ub["periode"] == before].iloc[0]
    new = pd.DataFrame([template] * (len(nips) - k))
    new["nip"] = nips[k:]
    r.tables["umpan_balik"] = pd.concat([ub.loc[~rows], new], ignore_index=True)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    r = generate(n_pegawai=120, seed=3)
    _plant(r)
    root = tmp_path_factory.mktemp("kota_dokumen_opd")
    write_dataset(r, root / "data")
    ds = load_dataset(root / "data")
    assert ds.validation.issues.query("tingkat == 'tolak'").empty
    last = ds.periods[-1]
    s = run_batch(
        root / "data",
        root / "reports",
        periods=[last],
        notebooks=["00", "20", "30"],
        per_opd=True,
        per_opd_notebooks=("00", "20", "30"),
        formats=("html", "xlsx"),
        workers=2,
        progress=False,
        cache_dir=root / "cache",
        min_sel=MIN_SEL,
    )
    return root / "reports" / last, ds, last, s


def _sheet(path, prefix: str) -> list[dict] | None:
    """The rows of the first sheet whose name starts with ``prefix`` (``{header:
    value}``), or ``None`` when the workbook has no such sheet."""
    rows = sheet_values(path, prefix)
    if rows is None:
        return None
    blank = next(i for i, r in enumerate(rows) if all(v is None for v in r))
    head = rows[blank + 1]
    return [dict(zip(head, r, strict=False)) for r in rows[blank + 2 :] if any(r)]


def _respondents(html) -> float | None:
    text = unescape(re.sub(r"<[^>]+>", " ", html.read_text("utf-8")))
    m = re.search(r"Responden pada [^:]+:\s*([\d.]+) ASN", text)
    return float(m.group(1).replace(".", "")) if m else None


def _document(folder, stem) -> dict[str, tuple[dict | None, object]]:
    """What one document of the batch publishes: ``{table: (counts, per-cell heads or
    None)}`` as a reader takes them from its workbook and text."""
    out: dict[str, tuple[dict | None, object]] = {}
    xlsx = next(folder.glob(f"{stem}*.xlsx"), None)
    if xlsx is None:
        return out
    if stem.startswith("efek"):
        rows = _sheet(xlsx, "Pelatihan menurut jenis")
        out["paparan"] = (
            None
            if rows is None
            else {(r["Jenis pelatihan"], r["Sumber"]): r["Jumlah ASN"] for r in rows},
            None,
        )
        rows = _sheet(xlsx, "Capaian SKP menurut kelompok")
        out["kelompok_jp"] = (
            None if rows is None else {r["Kelompok JP (12 bulan)"]: r["Jumlah ASN"] for r in rows},
            None,
        )
        rows = _sheet(xlsx, "Sesi umpan balik per periode") or []
        counts, heads = {}, {}
        for r in rows:
            if not r["Sesi per ASN"]:
                continue
            n = round(r["Jumlah sesi"] / r["Sesi per ASN"])
            heads[r["Periode"]] = n
            pct = r["ASN tanpa sesi"]
            counts[r["Periode"]] = None if pct is None else round((1 - pct) * n)
        out["umpan_balik"] = (counts, heads)
    elif stem.startswith("survei"):
        rows = _sheet(xlsx, "Survei ASN per butir")
        counts = None if rows is None else {r["Kode butir"]: r["Jumlah"] for r in rows}
        if counts is not None:
            counts["responden"] = _respondents(next(folder.glob(f"{stem}*.html")))
        out["survei"] = (counts, None)
        rows = _sheet(xlsx, "Penerimaan sistem evaluasi")
        out["penerimaan"] = (None if rows is None else {r["OPD"]: r["n"] for r in rows}, None)
    else:
        rows = _sheet(xlsx, "Kelengkapan data") or []
        out["cakupan"] = ({r["Tabel"]: r["Jumlah ASN"] for r in rows}, None)
        one_per_asn = ("Survei ASN", "Penilaian kinerja resmi (e-Kinerja)")
        out["cakupan_baris"] = (
            {r["Tabel"]: r["Jumlah baris"] for r in rows if r["Tabel"] in one_per_asn},
            None,
        )
    return out


_STEMS = {"00": "kualitas_data", "20": "efek_pelatihan_umpan_balik", "30": "survei"}


@pytest.mark.slow
def test_every_opd_document_is_written(batch):
    """Each OPD gets its data-quality, training and survey documents (the survey
    document of a small OPD used to fail on a CFA of its handful of respondents)."""
    out, ds, last, s = batch
    tidy = s.tidy()
    assert (tidy["status"] == "ok").all(), tidy.loc[tidy["status"] != "ok", ["key", "message"]]
    names = folder_names(sorted(ds.pegawai["opd"].unique()))
    for o, d in names.items():
        for stem in _STEMS.values():
            assert list((out / "opd" / d).glob(f"{stem}_{last}_*.html")), (o, stem)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("nb", "table"),
    [
        ("20", "paparan"),
        ("20", "kelompok_jp"),
        ("20", "umpan_balik"),
        ("30", "survei"),
        ("00", "cakupan"),
        ("00", "cakupan_baris"),
    ],
)
def test_opd_documents_beside_the_city_give_back_no_small_group(batch, nb, table):
    out, ds, last, _ = batch
    names = folder_names(sorted(ds.pegawai["opd"].unique()))
    city = _document(out, _STEMS[nb])[table][0]
    assert city, (nb, table)
    heads_now = tables.headcount(pegawai_through(ds.tables, last))
    docs, heads = {}, {}
    for o, d in names.items():
        docs[o] = _document(out / "opd" / d, _STEMS[nb]).get(table, (None, None))[0]
        heads[o] = int(heads_now.get(o, 0))
    total = int(heads_now.sum())
    if table == "umpan_balik":
        # each period's row beside that period's head-counts (the table's own: sessions
        # less sessions per ASN), which are public
        both = {"pegawai": ds.pegawai, "umpan_balik": ds.umpan_balik}
        per = {
            period_label(p, "id"): tables.headcount(pegawai_through(both, p)) for p in ds.periods
        }
        heads = {o: {k: int(h.get(o, 0)) for k, h in per.items()} for o in names}
        total = {k: int(h.sum()) for k, h in per.items()}
        assert _document(out, _STEMS[nb])[table][1] == total
    found = leaks(city, docs, heads, total)
    assert not found, found


@pytest.mark.slow
def test_the_planted_groups_are_withheld_with_the_reason(batch):
    """The two planted groups: the survey of the OPD with three respondents is withheld
    (its document says why, and names no number of respondents), and the feedback row of
    the OPD with two ASN without a session is blank; the effect estimates of an OPD's
    training document are said to be the whole city's."""
    out, ds, last, _ = batch
    names = folder_names(sorted(ds.pegawai["opd"].unique()))
    survey = (out / "opd" / names[FEW_RESPONDENTS[0]]).glob(f"survei_{last}_*.html")
    text = unescape(re.sub(r"<[^>]+>", " ", next(survey).read_text("utf-8")))
    assert "Angka survei unit ini disembunyikan" in text
    assert "Responden pada" not in text
    before = period_label(ds.periods[-2], "id")
    d = _document(out / "opd" / names[ALL_BUT_TWO[0]], _STEMS["20"])
    counts, heads = d["umpan_balik"]
    assert counts[before] is None and heads[before] > 0
    efek = next((out / "opd" / names[ALL_BUT_TWO[0]]).glob(f"efek_*_{last}_*.html"))
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", efek.read_text("utf-8"))).split())
    assert f"bukan atas {ALL_BUT_TWO[0]} saja" in text
    # and the acceptance score of an OPD's survey document is its row of the city's
    city = {r["OPD"]: r["n"] for r in _sheet(next(out.glob("survei_*.xlsx")), "Penerimaan")}
    for o, folder in names.items():
        rows = _document(out / "opd" / folder, _STEMS["30"])["penerimaan"][0]
        if rows:
            assert rows == {o: city[o]}, o
