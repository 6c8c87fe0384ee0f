"""The remainder is a cell: no published per-OPD count of a subset of the OPD's ASN, read
beside the OPD's published head-count, gives back a group of 1..``min_sel``-1 ASN.

The OPD's head-count is public (sheet "Jumlah ASN per OPD"). Any figure that states how
many of its ASN belong to a subset — ASN with a predikat, with an SKP, rated, compared
with the official predikat, below 20 JP, without feedback — as a count, as the sum of a
table's shown cells, or as a share (of the head-count, or of a subset whose cells are
shown) states the rest too. Unit tests of the rule
(:func:`~kinerja_analysis.reporting.privacy.remainder_hidden`, ``group_totals`` of
:func:`~kinerja_analysis.reporting.privacy.suppress_small_cells`), then the attack:
every such figure read from the XLSX sheets and the HTML sentences of one period's
documents — the synthetic city's, and a hostile city's city and per-OPD documents (300
ASN, several OPDs with 1–3 ASN without SKP in the last period) — and head-count minus
each must be 0 or at least ``min_sel``.
"""

from __future__ import annotations

import math
import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from kinerja_analysis.core.periods import period_label
from kinerja_analysis.data.loading import load_dataset
from kinerja_analysis.data.synth import generate, write_dataset
from kinerja_analysis.pipeline.batch import run_batch
from kinerja_analysis.reporting.paths import folder_names
from kinerja_analysis.reporting.privacy import remainder_hidden, suppress_small_cells

MIN_SEL = 5

# ----------------------------------------------------------------------------- the rule


def test_remainder_primary_and_complement():
    # A: 3 without (89 - 86); C (10 without) is the smallest complement of the remainders
    tot = {"A": 89, "B": 70, "C": 60}
    assert remainder_hidden({"A": 86, "B": 52, "C": 50}, tot, MIN_SEL) == {"A", "C"}
    # no published total over the groups: only the group with the small rest
    assert remainder_hidden({"A": 86, "B": 52, "C": 50}, tot, MIN_SEL, margin=False) == {"A"}
    # a small subset (2 with, 87 without) is hidden the same way
    assert "A" in remainder_hidden({"A": 2, "B": 52, "C": 50}, tot, MIN_SEL)
    # nothing small: nothing hidden
    assert remainder_hidden({"A": 80, "B": 52, "C": 50}, tot, MIN_SEL) == set()


def test_remainder_known_groups_and_errors():
    # none or all of a group of >= min_sel: its public total, neither hidden nor a
    # complement; a smaller group's count is hidden even when it is all of it
    tot = {"A": 89, "B": 40, "C": 60, "D": 3}
    got = remainder_hidden({"A": 86, "B": 40, "C": 50, "D": 3}, tot, MIN_SEL)
    assert got == {"A", "C", "D"}
    # D missing counts 0 of 3 (all 3 without): hidden, and A's 3 and D's 3 without
    # protect each other in the margin
    assert remainder_hidden({"A": 86, "B": 40, "C": 50}, tot, MIN_SEL) == {"A", "D"}
    # a group of the totals missing from the subset counts 0 (known)
    assert remainder_hidden({"A": 80}, {"A": 89, "B": 7}, MIN_SEL) == set()
    with pytest.raises(ValueError, match="more than its published total"):
        remainder_hidden({"A": 90}, {"A": 89}, MIN_SEL)


def _check_protected(n, hidden, keys_list):
    """In every group (each key array of ``keys_list``) with a hidden cell: at least two
    hidden describing ``MIN_SEL`` or more, or every cell hidden."""
    n = np.asarray(n, float)
    hidden = np.asarray(hidden, bool)
    assert hidden[(n > 0) & (n < MIN_SEL)].all()
    for keys in keys_list:
        for k in set(keys):
            idx = np.array([x == k for x in keys])
            h = hidden & idx
            if h.any() and not (hidden | (n == 0))[idx].all():
                assert h.sum() >= 2 and n[h].sum() >= MIN_SEL, (k, n[idx], hidden[idx])


def test_group_totals_force_a_displayed_complement():
    """An OPD x predikat table where every cell is >= min_sel but A has 3 ASN without a
    predikat: the remainder forces a complement among A's cells, the remainders' column
    one in another OPD; the remainder rows are dropped from the result."""
    df = pd.DataFrame(
        {
            "opd": ["A"] * 3 + ["B"] * 3 + ["C"] * 3,
            "p": ["x", "y", "z"] * 3,
            "n": [40, 30, 16, 20, 20, 20, 9, 30, 30],
            "persen": 0.0,
        }
    )
    tot = {"A": 89, "B": 60, "C": 79}
    s = suppress_small_cells(df, "n", MIN_SEL, by="opd", also_by=["p"], group_totals=tot)
    assert len(s) == len(df)
    flags = s.attrs["sisa_disembunyikan"]
    assert flags["A"] and not flags["B"]  # B's remainder 0: never a complement
    # the full problem, remainders included, is protected by row and by column
    rest = [tot[o] - df.loc[df["opd"] == o, "n"].sum() for o in "ABC"]
    n = list(df["n"]) + rest
    hidden = list(s["disembunyikan"]) + [flags[o] for o in "ABC"]
    rows = list(df["opd"]) + list("ABC")
    cols = list(df["p"]) + ["sisa"] * 3
    _check_protected(n, hidden, [rows, cols])
    assert s.loc[s["opd"] == "A", "disembunyikan"].any()
    # without group totals nothing is hidden (no cell is small)
    assert not suppress_small_cells(df, "n", MIN_SEL, by="opd", also_by=["p"])[
        "disembunyikan"
    ].any()


def test_group_totals_scalar_and_errors():
    d = pd.DataFrame({"p": ["x", "y"], "n": [40, 30]})
    s = suppress_small_cells(d, "n", MIN_SEL, group_totals=72)  # 2 without
    assert s.attrs["sisa_disembunyikan"] == {None: True} and s["disembunyikan"].sum() == 1
    s = suppress_small_cells(d, "n", MIN_SEL, group_totals=70)
    assert s.attrs["sisa_disembunyikan"] == {None: False} and not s["disembunyikan"].any()
    with pytest.raises(ValueError, match="more than its published total"):
        suppress_small_cells(d, "n", MIN_SEL, group_totals=60)
    with pytest.raises(ValueError, match="one column"):
        suppress_small_cells(d.assign(q=1), "n", MIN_SEL, by=["p", "q"], group_totals={})


@pytest.mark.parametrize("seed", range(30))
def test_group_totals_random_tables_are_protected(seed):
    rng = np.random.default_rng(seed)
    opds = [f"O{i}" for i in range(rng.integers(2, 7))]
    cats = ["a", "b", "c", "d"]
    df = pd.DataFrame([(o, c) for o in opds for c in cats], columns=["opd", "p"])
    df["n"] = rng.choice([0, 1, 2, 3, 6, 8, 15, 30], size=len(df))
    rest = {o: int(rng.choice([0, 1, 2, 4, 5, 12])) for o in opds}
    tot = {o: int(df.loc[df["opd"] == o, "n"].sum()) + rest[o] for o in opds}
    s = suppress_small_cells(df, "n", MIN_SEL, by="opd", also_by=["p"], group_totals=tot)
    flags = s.attrs["sisa_disembunyikan"]
    n = list(df["n"]) + [rest[o] for o in opds]
    hidden = list(s["disembunyikan"]) + [flags[o] for o in opds]
    _check_protected(n, hidden, [list(df["opd"]) + opds, list(df["p"]) + ["sisa"] * len(opds)])
    # every OPD: head-count less its shown cells is 0 or at least min_sel
    for o in opds:
        r = tot[o] - int(df.loc[(df["opd"] == o) & ~s["disembunyikan"], "n"].sum())
        assert r == 0 or r >= MIN_SEL, (o, r)


# ----------------------------------------------------------------------------- readers


def _sheets(path) -> dict[str, list[dict]]:
    """``{sheet: rows}`` of every sheet whose header row starts with "OPD"."""
    wb = load_workbook(path, read_only=True, data_only=True)
    out = {}
    try:
        for ws in wb.worksheets:
            rows = list(ws.iter_rows(values_only=True))
            head = next((i for i, r in enumerate(rows) if r and r[0] == "OPD"), None)
            if head is None:
                continue
            out[ws.title] = [
                dict(zip(rows[head], r, strict=False)) for r in rows[head + 1 :] if r and r[0]
            ]
    finally:
        wb.close()
    return out


#: Column labels (Indonesian workbook) of counts of ASN, and of shares with the count
#: column they are a share of (``None``: a share of a subset whose size is the count of
#: the same row divided by the share).
COUNTS = ("Jumlah", "Jumlah ASN", "Resmi lebih tinggi", "Resmi lebih rendah", "n")
SHARES = {"Persentase": None, "ASN di bawah 20 JP": "Jumlah ASN", "Predikat sama": "Jumlah"}
HIDDEN = "Disembunyikan (kelompok kecil)"
AGGREGATE = {"Seluruh OPD", "Semua OPD"}


def _num(v):
    return v if isinstance(v, int | float) and not isinstance(v, bool) else None


def _workbook_counts(path, heads) -> list[tuple[str, str, float]]:
    """Every per-OPD count of ASN a workbook publishes: ``(opd, where, count)``."""
    found = []
    for sheet, rows in _sheets(path).items():
        if sheet.startswith("Jumlah ASN per OPD"):
            continue
        by_opd: dict[str, list[dict]] = {}
        for r in rows:
            if r["OPD"] not in AGGREGATE:
                by_opd.setdefault(r["OPD"], []).append(r)
        for o, rs in by_opd.items():
            for r in rs:
                for c in COUNTS:
                    if _num(r.get(c)) is not None:
                        found.append((o, f"{sheet}:{c}", float(r[c])))
                for c, of in SHARES.items():
                    p = _num(r.get(c))
                    if p is None:
                        continue
                    base = _num(r.get(of)) if of else None
                    if of is None and _num(r.get("Jumlah")) and p > 0:
                        found.append((o, f"{sheet}:{c} (n/%)", r["Jumlah"] / p))
                    elif base is not None:
                        found.append((o, f"{sheet}:{c} x {of}", p * base))
                        found.append((o, f"{sheet}:{c} x {of} (rest)", base - p * base))
                    elif of == "Jumlah ASN" and o in heads:
                        found.append((o, f"{sheet}:{c} x head-count", p * heads[o]))
            # a table of cells (one row per OPD and category): shown cells add up
            if len(rs) > 1 and "Jumlah" in rs[0] and len({r.get("Jumlah ASN") for r in rs}) <= 1:
                cells = [_num(r["Jumlah"]) for r in rs]
                if all(v is not None for v in cells) and all(
                    r.get(HIDDEN) in (None, "tidak") for r in rs
                ):
                    found.append((o, f"{sheet}: sum of cells", float(sum(cells))))
    return found


class _Blocks(HTMLParser):
    """Text blocks (paragraphs, list items, cells) of an HTML document."""

    BLOCK = {"p", "li", "h1", "h2", "h3", "h4", "div", "td", "th", "figcaption", "caption"}

    def __init__(self):
        super().__init__()
        self.blocks, self._buf, self._skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in self.BLOCK or tag == "br":
            self._flush()

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        elif tag in self.BLOCK:
            self._flush()

    def handle_data(self, data):
        if not self._skip:
            self._buf.append(data)

    def _flush(self):
        t = " ".join("".join(self._buf).split())
        if t:
            self.blocks.append(t)
        self._buf = []


def _blocks(path) -> list[str]:
    b = _Blocks()
    b.feed(path.read_text("utf-8"))
    b.close()
    b._flush()
    return b.blocks


def _int(s: str) -> int:
    return int(s.replace(".", ""))


def _pct(s: str) -> float:
    return float(s.replace(",", "."))


def _from_share(p: float, base: int) -> set[int]:
    """The counts ``k`` of ``base`` whose share rounds to ``p`` percent (1 decimal)."""
    lo, hi = math.floor((p - 0.05) * base / 100), math.ceil((p + 0.05) * base / 100)
    return {k for k in range(max(lo, 0), min(hi, base) + 1) if round(100 * k / base, 1) == p}


_SKP = re.compile(
    r"^(.+?): skor penerimaan [\d.,]+; ASN dengan SKP kosong ([\d,]+)%"
    r"(?:; ASN tanpa umpan balik ([\d,]+)%)?"
)
_BERPREDIKAT = re.compile(r"^Pada [^,]+, ([\d.]+) ASN memperoleh predikat kinerja\.")
_MENCAKUP = re.compile(r"mencakup ([\d.]+) ASN di 1 ")
_SEL = re.compile(
    r"^(Sangat Baik|Baik|Butuh Perbaikan|Kurang/Misconduct|Sangat Kurang): ([\d.]+) ASN \(([\d,]+)%\)"
)


def _html_counts(path, heads, opd=None) -> list[tuple[str, str, float]]:
    """Per-OPD counts the sentences of a document state (exact ones only: a share is
    read as a count when one count alone rounds to it)."""
    found = []
    cells = []
    for b in _blocks(path):
        m = _SKP.match(b)
        if m and m.group(1) in heads:
            o, n = m.group(1), heads[m.group(1)]
            for g, what in ((2, "SKP kosong"), (3, "tanpa umpan balik")):
                if m.group(g):
                    ks = _from_share(_pct(m.group(g)), n)
                    if len(ks) == 1:
                        found.append((o, f"sentence: {what}", float(ks.pop())))
        if opd is None:
            continue
        m = _BERPREDIKAT.match(b)
        if m:
            found.append((opd, "sentence: with predikat", float(_int(m.group(1)))))
        m = _MENCAKUP.search(b)
        if m:
            found.append((opd, "sentence: covered", float(_int(m.group(1)))))
        m = _SEL.match(b)
        if m:
            cells.append((_int(m.group(2)), _pct(m.group(3))))
    for n, p in cells:
        if p > 0:
            # n ASN are p % of those with a predikat: their number, if one rounds to it
            lo, hi = math.floor(100 * n / (p + 0.05)), math.ceil(100 * n / max(p - 0.05, 1e-9))
            ks = [k for k in range(max(lo, n), hi + 1) if round(100 * n / k, 1) == p]
            if len(ks) == 1:
                found.append((opd, "sentence: n / share", float(ks[0])))
    return found


def _leaks(found, heads) -> list[tuple]:
    out = []
    for o, where, v in found:
        if o not in heads or v is None or (isinstance(v, float) and math.isnan(v)):
            continue
        n = heads[o]
        k = round(v)
        if abs(v - k) > 1e-6 or not 0 <= k <= n:
            continue  # not a count of the OPD's ASN
        rest = n - k
        if 0 < rest < MIN_SEL:
            out.append((o, where, n, k, rest))
    return out


def _scope_counts(path, scope: str, periode_label: str) -> list[tuple[str, str, float]]:
    """The counts of ASN of the document's whole scope (the city, or its one OPD) in its
    per-period and per-value tables: this period's ASN with an SKP, the ASN rated per
    BerAKHLAK value."""
    wb = load_workbook(path, read_only=True, data_only=True)
    found = []
    try:
        for ws in wb.worksheets:
            rows = list(ws.iter_rows(values_only=True))
            head = next((i for i, r in enumerate(rows) if r and "Jumlah ASN" in r), None)
            if head is None or rows[head][0] not in ("Periode", "Nilai dasar BerAKHLAK"):
                continue
            j = rows[head].index("Jumlah ASN")
            for r in rows[head + 1 :]:
                if not r or r[0] is None or _num(r[j]) is None:
                    continue
                if rows[head][0] == "Periode" and r[0] != periode_label:
                    continue  # the head-count published is this period's
                found.append((scope, f"{ws.title}:{r[0]}", float(r[j])))
    finally:
        wb.close()
    return found


def _heads(city_xlsx) -> dict[str, int]:
    rows = _sheets(city_xlsx)
    (sheet,) = [s for s in rows if s.startswith("Jumlah ASN per OPD")]
    return {r["OPD"]: int(r["Jumlah ASN"]) for r in rows[sheet]}


# ----------------------------------------------------------------------------- the attack


def test_synthetic_city_documents_give_back_no_small_rest(synthetic_reports):
    """Every period the synthetic batch wrote: no figure of the city's workbook or text,
    read beside the head-counts, leaves 1..min_sel-1 ASN of an OPD."""
    r = synthetic_reports
    checked = 0
    for per in (r.first, r.last):
        xlsx = r.out_id / per / f"laporan_periode_{per}.xlsx"
        heads = _heads(xlsx)
        found = _workbook_counts(xlsx, heads)
        found += _html_counts(r.out_id / per / f"laporan_periode_{per}.html", heads)
        checked += len(found)
        assert not _leaks(found, heads)
    assert checked > 100


#: the hostile city: OPDs (by size rank, from the 2nd largest) and how many of their ASN
#: lose every SKP row of the last period
DROPPED = (1, 2, 3, 1, 2, 3)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """300 ASN (seed 3); in six OPDs 1, 2 or 3 ASN have no SKP in the last period (hence
    no predikat, no comparison with the official one); a per-OPD batch of that period."""
    r = generate(n_pegawai=300, seed=3)
    peg, skp = r.tables["pegawai"], r.tables["skp"]
    last = sorted(skp["periode"].unique())[-1]
    sizes = peg["opd"].value_counts()
    targets = [o for o in sizes.index if sizes[o] >= 2 * MIN_SEL][1 : 1 + len(DROPPED)]
    assert len(targets) == len(DROPPED)
    gone = []
    for o, k in zip(targets, DROPPED, strict=True):
        gone += peg.loc[peg["opd"] == o, "nip"].head(k).tolist()
    for name in ("skp", "penilaian_resmi"):
        if name in r.tables:
            t = r.tables[name]
            r.tables[name] = t[~((t["periode"] == last) & t["nip"].isin(gone))].reset_index(
                drop=True
            )
    root = tmp_path_factory.mktemp("kota_sisa")
    write_dataset(r, root / "data")
    ds = load_dataset(root / "data")
    s = run_batch(
        root / "data",
        root / "reports",
        periods=[last],
        per_opd=True,
        notebooks=["10"],
        workers=2,
        formats=("html", "xlsx"),  # what the attacks read; the PDF is that HTML printed
        progress=False,
        cache_dir=root / "cache",
        min_sel=MIN_SEL,
    )
    bad = s.tidy().query("status not in ('ok', 'dilewati')")
    assert bad.empty, bad[["key", "status", "message"]].to_string()
    return root / "reports" / last, last, ds, dict(zip(targets, DROPPED, strict=True))


@pytest.mark.slow
def test_hostile_city_documents_give_back_no_small_rest(hostile):
    """The city's workbook and text and every OPD's workbook and text: head-count minus
    every per-OPD count they publish is 0 or at least min_sel."""
    out, last, ds, planted = hostile
    city = out / f"laporan_periode_{last}.xlsx"
    heads = _heads(city)
    true = ds.pegawai.groupby("opd")["nip"].nunique()
    assert heads == {o: int(n) for o, n in true.items()}
    found = _workbook_counts(city, heads)
    found += _html_counts(out / f"laporan_periode_{last}.html", heads)
    names = {v: k for k, v in folder_names(sorted(heads)).items()}
    docs = [d for d in sorted((out / "opd").iterdir()) if d.is_dir()]
    assert len(docs) >= len(planted)
    label = period_label(last, "id")
    scopes = {**heads, "(kota)": sum(heads.values())}
    found += _scope_counts(city, "(kota)", label)
    for d in docs:
        o = names[d.name]
        found += _workbook_counts(next(d.glob("*.xlsx")), heads)
        found += _scope_counts(next(d.glob("*.xlsx")), o, label)
        found += _html_counts(next(d.glob("*.html")), heads, opd=o)
    assert any(w.startswith("Capaian SKP per periode") for o, w, _ in found if o in planted)
    leaks = _leaks(found, scopes)
    assert not leaks, leaks[:20]
    # the reader does read the planted OPDs' counts (the attack is live, not vacuous)
    read = {o for o, _, _ in found}
    assert set(planted) <= read
    assert len(found) > 200
