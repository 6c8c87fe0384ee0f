"""City-level shares that, beside a published head-count, give back a small group.

The remainder rule (``tests/test_privacy_remainder.py``) for five more kinds of figure:

1. the SKP achievement by JP group (0, 1–19, ≥ 20 JP) of the ASN with an SKP, beside
   the head-count and the city's share below 20 JP: head-count less the groups is the
   ASN without an SKP;
2. each period's share of ASN without a feedback session, beside that period's number of
   ASN (which the same table gives back: sessions / sessions per ASN);
3. the city's share of ASN below 20 JP (headline, JP table, cross-period summary, index);
4. the self-funded share of JP, beside the JP per ASN: the self-funded source's JP, and
   so the one hidden cell of the training table when that source has one;
5. the "signs of resistance" shares of an OPD (ASN with an empty SKP, without feedback):
   withheld, the text says so in words (both languages) and does not judge the OPD on it.

A synthetic city (300 ASN) is planted with each attack and one period's batch is run
(the period document, the training document and the cross-period summary); every
attack reads the published XLSX and HTML and must find no group of 1..``min_sel``-1
ASN. On the code before this rule each attack found one (2 ASN without an SKP, 3 ASN
without a session, 3 ASN below 20 JP in three periods, the 97 JP of the 3 self-funded
trainees, and "ASN tanpa umpan balik –").
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil

import pandas as pd
import pytest
from openpyxl import load_workbook
from test_privacy_remainder import _blocks

from kinerja_analysis.analyses.shared import pegawai_through
from kinerja_analysis.core.periods import period_bounds
from kinerja_analysis.data.synth import generate, write_dataset
from kinerja_analysis.pipeline.batch import _write_index, run_batch
from kinerja_analysis.reporting.narrative import PeriodFacts, write_report
from kinerja_analysis.reporting.text import headline_value

MIN_SEL = 5

# ----------------------------------------------------------------------------- the city


def _window(p: pd.DataFrame, periode: str) -> pd.Series:
    _, b = period_bounds(periode)
    return (p["tanggal_mulai"] >= b - pd.DateOffset(years=1) + pd.Timedelta(days=1)) & (
        p["tanggal_mulai"] <= b
    )


def plant(r) -> dict:
    """Plant the five attacks into a generated city (in place); what was planted."""
    t = r.tables
    per = sorted(t["skp"]["periode"].unique())
    last, prev, early = per[-1], per[-2], per[-3]
    peg = t["pegawai"]
    nips = sorted(pegawai_through(t, last)["nip"])
    sizes = peg["opd"].value_counts()
    # (1) every ASN of the last period has an SKP but two (of the second largest OPD)
    skp = t["skp"]
    cur = skp[skp["periode"] == last]
    no_skp = sorted(peg.loc[peg["opd"] == sizes.index[1], "nip"])[:2]
    donor = cur[cur["nip"] == cur["nip"].iloc[0]]
    have = set(cur["nip"])
    add = [donor.assign(nip=x) for x in nips if x not in have and x not in no_skp]
    gone = (skp["periode"] == last) & skp["nip"].isin(no_skp)
    t["skp"] = pd.concat([skp[~gone], *add], ignore_index=True)
    # (2) feedback in the period before the last: every ASN had a session but three
    ub = t["umpan_balik"]
    asn_prev = sorted(pegawai_through(t, prev)["nip"])
    no_ub = asn_prev[-3:]
    cu = ub[ub["periode"] == prev]
    got = set(cu["nip"])
    add = [cu.iloc[[0]].assign(nip=x) for x in asn_prev if x not in got and x not in no_ub]
    gone = (ub["periode"] == prev) & ub["nip"].isin(no_ub)
    ub = pd.concat([ub[~gone], *add], ignore_index=True)
    # (5) in the last period only two ASN of the smallest OPD of 2 x min_sel had feedback
    small = sizes[sizes >= 2 * MIN_SEL].index[-1]
    rows = (ub["periode"] == last) & ub["nip"].isin(peg.loc[peg["opd"] == small, "nip"])
    keep = pd.unique(ub.loc[rows, "nip"])[:2]
    t["umpan_balik"] = ub[~rows | ub["nip"].isin(keep)].reset_index(drop=True)
    # (3) in the 12 months of `early` every ASN but three reaches 20 JP: a facilitated
    # 20-JP training early in that window (before the last period's window begins)
    p = t["pelatihan"].copy()
    below = nips[-3:]
    p = p[~(_window(p, early) & p["nip"].isin(below))].reset_index(drop=True)
    proto = p[_window(p, early) & (p["sumber"] == "difasilitasi")].iloc[[0]]
    start = period_bounds(early)[1] - pd.DateOffset(years=1) + pd.Timedelta(days=32)
    add = [
        proto.assign(
            nip=x,
            id_pelatihan=f"PLT-X{i:05d}",
            jp=20,
            tanggal_mulai=start,
            tanggal_selesai=start + pd.Timedelta(days=2),
        )
        for i, x in enumerate(nips)
        if x not in below
    ]
    p = pd.concat([p, *add], ignore_index=True)
    # (4) the last window's self-funded trainings: three ASN's, all of one type
    mand = _window(p, last) & (p["sumber"] == "mandiri")
    selfish = sorted(p.loc[mand, "nip"].unique())[:3]
    p.loc[mand & ~p["nip"].isin(selfish), "sumber"] = "difasilitasi"
    p.loc[mand & p["nip"].isin(selfish), "jenis"] = "teknis"
    t["pelatihan"] = p
    return {"last": last, "early": early, "opd_feedback": small, "self_funded": selfish}


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    r = generate(n_pegawai=300, seed=3)
    planted = plant(r)
    root = tmp_path_factory.mktemp("kota_porsi")
    write_dataset(r, root / "data")
    s = run_batch(
        root / "data",
        root / "reports",
        periods=[planted["last"]],
        notebooks=["10", "20", "90"],
        workers=2,
        formats=("html", "xlsx"),  # what the attacks read; the PDF is that HTML printed
        progress=False,
        cache_dir=root / "cache",
        min_sel=MIN_SEL,
    )
    bad = s.tidy().query("status != 'ok'")
    assert bad.empty, bad[["key", "status", "message"]].to_string()
    truth = r.tables["pelatihan"]
    return root / "reports", planted, truth


# ----------------------------------------------------------------------------- readers


def sheets(path) -> dict[str, list[dict]]:
    """``{sheet title: rows as dicts}`` under each sheet's header row (the first row of
    two or more cells after the title)."""
    wb = load_workbook(path, read_only=True, data_only=True)
    out = {}
    try:
        for ws in wb.worksheets:
            rows = list(ws.iter_rows(values_only=True))
            for i, r in enumerate(rows[1:], start=1):
                if r and r[0] is not None and sum(c is not None for c in r) >= 2:
                    out[ws.title] = [dict(zip(r, x, strict=False)) for x in rows[i + 1 :] if x]
                    break
    finally:
        wb.close()
    return out


def sheet(book: dict, prefix: str) -> list[dict]:
    return next(v for k, v in book.items() if k.startswith(prefix))


def num(v):
    return v if isinstance(v, int | float) and not isinstance(v, bool) else None


def documents(out, periode: str) -> dict:
    return {
        "laporan": sheets(out / periode / f"laporan_periode_{periode}.xlsx"),
        "efek": sheets(out / periode / f"efek_pelatihan_umpan_balik_{periode}.xlsx"),
        "lintas": sheets(next((out / "lintas_periode").glob("*.xlsx"))),
    }


def headcount(docs) -> int:
    head = {r["Indikator"]: r["Nilai"] for r in sheet(docs["laporan"], "Angka utama")}
    return int(head["Jumlah ASN"])


def small(values) -> list:
    return [v for v in values if 0 < round(v) < MIN_SEL]


# ----------------------------------------------------------------------------- attacks


def attack_jp_groups(docs) -> list[float]:
    """Head-count less each shown JP group, and less all three when all are shown."""
    t = headcount(docs)
    n = [num(r["Jumlah ASN"]) for r in sheet(docs["efek"], "Capaian SKP menurut kelompok")]
    shown = [v for v in n if v is not None]
    return [t - v for v in shown] + ([t - sum(shown)] if len(shown) == len(n) else [])


def attack_feedback(docs) -> list[float]:
    """Per period: its number of ASN (sessions / sessions per ASN) times the share without
    a session, and the rest."""
    found = []
    for r in sheet(docs["efek"], "Sesi umpan balik per periode"):
        s, per, p = num(r["Jumlah sesi"]), num(r["Sesi per ASN"]), num(r["ASN tanpa sesi"])
        if None not in (s, per, p):
            n = round(s / per)
            found += [n * p, n - n * p]
    return found


def attack_below_20(docs, index_html: str) -> list[float]:
    """The share below 20 JP times the number of ASN, and the rest: every period of the
    cross-period table, the headline, the JP table; and the index's percentage."""
    found = []
    for r in sheet(docs["lintas"], "Angka utama per periode"):
        p, n = num(r.get("ASN dengan JP < 20")), num(r.get("Jumlah ASN"))
        if p is not None and n:
            found += [p * n, n - p * n]
    t = headcount(docs)
    head = {r["Indikator"]: r["Nilai"] for r in sheet(docs["laporan"], "Angka utama")}
    city = sheet(docs["laporan"], "JP pelatihan per ASN, seluruh")[0]
    for p in (num(head.get("ASN dengan JP < 20")), num(city["ASN di bawah 20 JP"])):
        if p is not None:
            found += [p * t, t - p * t]
    for m in re.findall(r"ASN dengan JP &lt; 20\W+(?:<[^>]+>\s*)*([\d,]+)%", index_html):
        p = float(m.replace(",", ".")) / 100
        k = {round(p * t + d) for d in (-0.5, 0, 0.5)}  # a count that rounds to it
        found += list(k) + [t - x for x in k]
    return found


def attack_self_funded(docs) -> dict[str, float]:
    """The JP of a hidden cell of the training table, worked back from the JP of all
    sources (JP per ASN x ASN) or the self-funded share of it, when one cell is alone."""
    cells = sheet(docs["efek"], "Pelatihan menurut jenis")
    city = sheet(docs["laporan"], "JP pelatihan per ASN, seluruh")[0]
    total = city["Rata-rata JP per ASN"] * city["Jumlah ASN"]
    hidden = [r for r in cells if r["Disembunyikan (kelompok kecil)"] == "ya"]
    found = {}
    if len(hidden) == 1:
        shown = sum(r["Total JP"] for r in cells if r["Total JP"] is not None)
        found[hidden[0]["Jenis pelatihan"] + "/" + hidden[0]["Sumber"]] = total - shown
    share = num(city["Porsi JP mandiri"])
    own = [r for r in cells if r["Sumber"].startswith("Mandiri")]
    if share is not None and sum(r["Total JP"] is None for r in own) == 1:
        r = next(r for r in own if r["Total JP"] is None)
        shown = sum(x["Total JP"] for x in own if x["Total JP"] is not None)
        found[r["Jenis pelatihan"] + "/" + r["Sumber"]] = share * total - shown
    return found


def test_jp_groups_leave_no_small_rest(city):
    out, planted, _ = city
    found = attack_jp_groups(documents(out, planted["last"]))
    assert found and not small(found), found


def test_feedback_share_per_period_leaves_no_small_group(city):
    out, planted, _ = city
    found = attack_feedback(documents(out, planted["last"]))
    assert len(found) >= 12 and not small(found), found


def test_city_share_below_20_jp_leaves_no_small_group(city):
    out, planted, _ = city
    docs = documents(out, planted["last"])
    found = attack_below_20(docs, (out / "index.html").read_text("utf-8"))
    assert len(found) >= 6 and not small(found), found
    # the periods whose share is withheld say so, apart from "not available"
    html = next((out / "lintas_periode").glob("*.html"))
    said = [b for b in _blocks(html) if b.startswith("ASN dengan JP < 20 untuk")]
    assert len(said) == 1 and "tidak ditampilkan (–)" in said[0]


def test_self_funded_jp_is_not_given_back(city):
    out, planted, truth = city
    found = attack_self_funded(documents(out, planted["last"]))
    window = truth[_window(truth, planted["last"])]
    jp = window.groupby(["sumber"])["jp"].sum()
    # no recovered figure is the JP of the 3 self-funded trainees (their only cell)
    assert all(abs(v - jp["mandiri"]) > 1e-6 for v in found.values()), found
    text = " ".join(_blocks(out / planted["last"] / f"laporan_periode_{planted['last']}.html"))
    # the narrative's self-funded share of trainings (3 trainees) is withheld in words
    assert "Bagian pelatihan yang diikuti atas inisiatif ASN sendiri (mandiri)" in text
    assert "tidak ditampilkan: angka itu akan memperlihatkan kelompok kecil peserta" in text
    assert not re.search(r"[\d,]+% pelatihan (?:diikuti|mandiri)", text)
    html = out / planted["last"] / f"efek_pelatihan_umpan_balik_{planted['last']}.html"
    sentence = next(b for b in _blocks(html) if "rata-rata JP per ASN adalah" in b)
    assert "Bagian JP dari pelatihan mandiri tidak ditampilkan" in sentence
    assert "–" not in sentence


def test_resistance_share_withheld_in_words(city):
    """The planted OPD (2 of its ASN with feedback) and the OPD hidden with it as a
    complement: no share of theirs is stated; a withheld share in the list of lowest
    acceptance is said in words (before: "ASN tanpa umpan balik –"), and the OPDs not
    judged against the thresholds are counted."""
    out, planted, _ = city
    blocks = _blocks(out / planted["last"] / f"laporan_periode_{planted['last']}.html")
    lines = [b for b in blocks if ": skor penerimaan" in b]
    assert len(lines) == 3 and not any("–" in b for b in lines), lines
    assert any("ASN tanpa umpan balik tidak ditampilkan (kelompok kecil)" in b for b in lines)
    assert any("OPD tidak dinilai menurut ambang ini" in b for b in blocks)
    o = re.escape(planted["opd_feedback"])
    assert not any(re.search(rf"{o}\W*(?:: [^.]*)?\(?[\d,]+%", b) for b in blocks)


# ----------------------------------------------------------------------------- the text


RESISTENSI = pd.DataFrame(
    {
        "opd": ["Dinas A", "Dinas B", "Dinas C"],
        "penerimaan": [3.1, 3.4, 3.9],
        "pct_skp_kosong": [0.02, float("nan"), 0.0],
        "pct_tanpa_umpan_balik": [0.05, 0.1, float("nan")],
        "n": [40, 17, 25],
        "skp_kosong_disembunyikan": [False, True, False],
        "tanpa_umpan_balik_disembunyikan": [False, False, True],
    }
)


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_resistance_text_reads_well_in_both_languages(bahasa):
    """A withheld share is said in words, never "–"; an OPD whose shown shares are under
    the thresholds but one of whose shares is withheld is not judged, and the text says
    how many; "no unit …" is said of the units that could be assessed."""
    f = PeriodFacts(
        periode="2025Q1",
        bahasa=bahasa,
        report_date="2026-11-28",
        n_pegawai=82,
        n_opd=3,
        resistensi=RESISTENSI,
        min_sel=MIN_SEL,
    )
    body = write_report(f)["tantangan"]
    lines = [x for x in body.splitlines() if x.startswith("- Dinas")]
    assert len(lines) == 3
    hidden = "tidak ditampilkan (kelompok kecil)" if bahasa == "id" else "not shown (small group)"
    assert hidden in lines[1] and hidden in lines[2] and hidden not in lines[0]
    assert "–" not in "\n".join(lines)
    if bahasa == "id":
        assert "2 OPD tidak dinilai menurut ambang ini" in body
        assert "Di antara OPD yang dapat dinilai, tidak ada OPD" in body
    else:
        assert "2 units are not assessed against these thresholds" in body
        assert "Among the units that could be assessed, no unit" in body
    # an OPD over a threshold on a shown share is still named, even with one withheld
    over = RESISTENSI.assign(pct_tanpa_umpan_balik=[0.05, 0.6, float("nan")])
    body = write_report(dataclasses.replace(f, resistensi=over))["tantangan"]
    assert ("1 OPD menunjukkan" if bahasa == "id" else "1 unit shows") in body
    assert ("1 OPD tidak dinilai" if bahasa == "id" else "1 unit is not assessed") in body


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_training_shares_withheld_in_words(bahasa):
    f = PeriodFacts(
        periode="2025Q1",
        bahasa=bahasa,
        report_date="2026-11-28",
        n_pegawai=300,
        n_opd=7,
        min_sel=MIN_SEL,
        pelatihan={
            "pct_di_bawah_20jp": None,
            "pct_di_bawah_20jp_disembunyikan": True,
            "jp_per_asn": 35.6,
            "jp_per_opd": None,
            "pct_mandiri": None,
            "pct_mandiri_disembunyikan": True,
            "pct_mandiri_tidak_sesuai": None,
            "pct_mandiri_tidak_sesuai_disembunyikan": True,
        },
    )
    body = write_report(f)["tantangan"]
    if bahasa == "id":
        assert "Bagian ASN yang menerima kurang dari 20 JP" in body
        assert "tidak ditampilkan: dibaca bersama jumlah ASN" in body
        assert "Bagian pelatihan yang diikuti atas inisiatif ASN sendiri (mandiri) dan" in body
        assert "belum tersedia" not in body.split("### Pelatihan mandiri")[1]
    else:
        assert "The share of ASN who received fewer than 20 JP" in body
        assert "The shares of self-sought trainings and of those" in body
        assert "not available" not in body.split("### Self-sought training")[1]
    # no share printed in the training sections, only the mean JP
    assert "%" not in body.split("###")[2] + body.split("###")[3]


def test_headline_value_says_suppressed():
    assert headline_value("pct_jp_di_bawah_20", None, "id", hidden=True).startswith("disembunyikan")
    assert headline_value("pct_jp_di_bawah_20", float("nan"), "en").startswith("not available")


def test_index_says_a_suppressed_headline(city, tmp_path):
    """A period whose headline share is suppressed (kept as None in its manifest, as the
    batch keeps a figure its headline table marks ``disembunyikan``) is written on the
    index as suppressed, never as "not available" or as a number."""
    out, planted, _ = city
    copy = tmp_path / "reports"
    shutil.copytree(out, copy)
    manifest = copy / planted["last"] / "manifest.json"
    body = json.loads(manifest.read_text("utf-8"))
    body["runs"]["10"]["angka_utama"]["pct_jp_di_bawah_20"] = None
    manifest.write_text(json.dumps(body), "utf-8")
    html = _write_index(copy, "id").read_text("utf-8")
    line = re.search(r"ASN dengan JP &lt; 20[^<]*(?:<[^>]+>\s*)*([^<]+)", html).group(1)
    assert line.strip().startswith("disembunyikan (kelompok kecil") and "%" not in line
