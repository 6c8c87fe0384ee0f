"""Aggregate tables of the report notebooks (never employee-level rows).

Each function takes the dataset's tables (already cut at the report period by
:func:`kinerja_analysis.reporting.notebook.setup`) and returns a new aggregate
DataFrame whose columns are machine keys; the label registry
(:mod:`kinerja_analysis.reporting.text`) turns them into words when shown. Groups with
fewer than ``min_sel`` employees are suppressed with their complements
(:mod:`kinerja_analysis.reporting.privacy`), printed as "–".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from kinerja_analysis.analyses.shared import SharedResults, pegawai_through
from kinerja_analysis.core.compat import TEXT_DTYPE
from kinerja_analysis.core.config import DEFAULTS
from kinerja_analysis.core.deprecation import renamed_keywords
from kinerja_analysis.core.frames import rows_where
from kinerja_analysis.core.keys import in_values
from kinerja_analysis.core.periods import period_bounds, sort_periods
from kinerja_analysis.data.contract import BERAKHLAK, TABLES
from kinerja_analysis.domain.ikm import ikm
from kinerja_analysis.domain.perilaku import opd_profile
from kinerja_analysis.domain.predikat import (
    BAIK,
    PREDIKAT_ORDER,
    SANGAT_BAIK,
    output_vs_competency,
)
from kinerja_analysis.domain.skp import capaian_skp
from kinerja_analysis.reporting.privacy import (
    remainder_hidden,
    sources_hidden,
    subset_hidden,
    suppress_small_cells,
    suppress_small_groups,
)
from kinerja_analysis.reporting.text import STATUS_LABELS

#: Minimum competency development per ASN per year, in JP (PP 11/2017 art. 203(4)).
JP_MINIMUM = DEFAULTS.jp_minimum


# ----------------------------------------------------------------------------- 00 quality


def validation_summary(validation) -> pd.DataFrame:
    """Rows read/accepted/rejected per table with the share accepted.

    Returns
    -------
    DataFrame
        ``tabel, rows_read, rows_accepted, rows_rejected, n_peringatan, pct_diterima``.
    """
    s = validation.summary.copy()
    cols = ["tabel", "rows_read", "rows_accepted", "rows_rejected", "n_peringatan"]
    s = s[[c for c in cols if c in s.columns]]
    s["pct_diterima"] = (s["rows_accepted"] / s["rows_read"].where(s["rows_read"] > 0)).astype(
        float
    )
    return s.reset_index(drop=True)


def issues_by_rule(validation) -> pd.DataFrame:
    """Validation problems counted per table, rule and level — never the values.

    Returns
    -------
    DataFrame
        ``tabel, aturan, tingkat, n_masalah`` sorted by count (largest first).
    """
    iss = validation.issues
    if len(iss) == 0:
        return pd.DataFrame(
            {"tabel": [], "aturan": [], "tingkat": [], "n_masalah": pd.Series([], dtype="int64")}
        )
    out = iss.groupby(["tabel", "aturan", "tingkat"], as_index=False, observed=True).size()
    out = out.rename(columns={"size": "n_masalah"})
    return out.sort_values("n_masalah", ascending=False, ignore_index=True)


#: The measure of :func:`city_suppressed_measures` whose pattern an OPD's row of
#: :func:`period_coverage` follows: the table's ASN of the period are the count another
#: document states too (the SKP table of the period report, the feedback table of the
#: training document, the survey document's respondents), or a count of its own.
COVERAGE_MEASURE: dict[str, str] = {
    "skp": "capaian",
    "penilaian_resmi": "cakupan_resmi",
    "perilaku": "perilaku",
    "umpan_balik": "umpan_balik",
    "survei": "survei",
    "pelatihan": "cakupan_pelatihan",
}


def period_coverage(
    tables: Mapping[str, pd.DataFrame],
    periode: str,
    min_sel: int = DEFAULTS.min_sel,
    *,
    withheld: Iterable[str] = (),
) -> pd.DataFrame:
    """Coverage of one period: rows and employees per table, share of all employees.

    The ASN a table covers are a subset of the period's published head-count, so the
    rest (the ASN without an SKP, without feedback…) is published with them: ``n_asn``
    and ``pct_asn`` are blank where either is 1..``min_sel``-1
    (:func:`~kinerja_analysis.reporting.privacy.subset_hidden`, the rule of every other
    count of a subset of the head-count). In a table of one row per ASN and period (its
    contract key is ``nip, periode``: official ratings, survey answers) the rows are
    those ASN: ``n_baris`` is blank with them there.

    ``withheld``: in an OPD's document, the measures the city level suppresses for it
    (:func:`city_suppressed_measures`); a table whose measure
    (:data:`COVERAGE_MEASURE`) is among them is blank the same way, so that the OPD
    documents and the city's together never leave a small group over.

    Returns
    -------
    DataFrame
        ``tabel, n_baris, n_asn, pct_asn, disembunyikan`` for the period tables present
        (``skp``, ``penilaian_resmi``, ``perilaku``, ``umpan_balik``, ``survei``) and
        ``pelatihan`` (trainings that started in the period).
    """

    n_all = pegawai_through(tables, periode)["nip"].nunique()  # ASN by the period's end
    rows = []
    for name in ("skp", "penilaian_resmi", "perilaku", "umpan_balik", "survei"):
        if name in tables:
            d = tables[name]
            d = rows_where(d, d["periode"] == periode)
            rows.append((name, len(d), d["nip"].nunique()))
    if "pelatihan" in tables:
        a, b = period_bounds(periode)
        p = tables["pelatihan"]
        p = p[(p["tanggal_mulai"] >= a) & (p["tanggal_mulai"] <= b)]
        rows.append(("pelatihan", len(p), p["nip"].nunique()))
    out = pd.DataFrame(rows, columns=["tabel", "n_baris", "n_asn"])
    out["pct_asn"] = out["n_asn"] / n_all if n_all else np.nan
    # a table may name ASN outside the register's count (then nothing is a subset of it)
    out = hide_remainder(out, "n_asn", n_all, min_sel, rows=out["n_asn"] <= n_all, also=["pct_asn"])
    keys = set(withheld)
    gone = out["tabel"].map(lambda t: COVERAGE_MEASURE.get(str(t)) in keys).to_numpy(bool)
    per_asn = out["tabel"].map(lambda t: TABLES[str(t)].key == ("nip", "periode")).to_numpy(bool)
    out["n_baris"] = out["n_baris"].astype("Int64")
    out.loc[per_asn & out["n_asn"].isna().to_numpy(bool), "n_baris"] = pd.NA
    for c in ("n_baris", "n_asn", "pct_asn"):
        if pd.api.types.is_integer_dtype(out[c]):
            out[c] = out[c].astype("Int64")
        out.loc[gone, c] = pd.NA if str(out[c].dtype) == "Int64" else np.nan
    out["disembunyikan"] = out["n_asn"].isna().to_numpy(bool)
    out.attrs = {"ditahan": sorted(map(str, out.loc[gone, "tabel"]))}
    return out


# ----------------------------------------------------------------------------- 10 period


def pegawai_by_opd(pegawai: pd.DataFrame) -> pd.DataFrame:
    """Number of ASN per OPD and share of the total.

    Returns
    -------
    DataFrame
        ``opd, n_asn, pct_asn``, largest OPD first.
    """
    out = pegawai.groupby("opd", as_index=False, observed=True)["nip"].nunique()
    out = out.rename(columns={"nip": "n_asn"})
    out["pct_asn"] = out["n_asn"] / out["n_asn"].sum()
    return out.sort_values(["n_asn", "opd"], ascending=[False, True], ignore_index=True)


def headcount(pegawai: pd.DataFrame) -> pd.Series:
    """ASN per OPD (``opd`` -> count), the published head-count of :func:`pegawai_by_opd`:
    the total against which every per-OPD count of a subset of its ASN is differenced
    (:func:`kinerja_analysis.reporting.privacy.remainder_hidden`)."""
    return (
        pegawai.drop_duplicates("nip").groupby("opd", observed=True)["nip"].size().astype("int64")
    )


def hide_remainder(
    df: pd.DataFrame,
    count_col: str,
    total: int | Sequence[int] | pd.Series,
    min_sel: int,
    *,
    rows: Sequence[bool] | None = None,
    also: Sequence[str] = (),
) -> pd.DataFrame:
    """Blank a count of ASN (and ``also``, figures that give it back, e.g. a share of it)
    on the rows where it or ``total - count`` is 1..``min_sel``-1: ``total`` is the
    published head-count of the document's scope (the city, or one OPD), so the rest is
    published with the count (:func:`kinerja_analysis.reporting.privacy.subset_hidden`,
    the rule of :func:`~kinerja_analysis.reporting.privacy.remainder_hidden` for one
    group). ``total`` is one number, or one per row (a per-period table whose periods
    each have their own head-count). ``rows``: the rows whose count is of a subset of
    ``total`` (default every row; e.g. only the current period's row of a per-period
    table, since the head-count is the current one).

    >>> d = pd.DataFrame({"periode": ["2025Q3", "2025Q4"], "n_asn": [88, 87]})
    >>> hide_remainder(d, "n_asn", 89, 5, rows=[False, True])["n_asn"].tolist()
    [88, <NA>]
    >>> hide_remainder(d, "n_asn", [90, 87], 5)["n_asn"].tolist()
    [<NA>, 87]
    """
    out = df.copy()
    if out.empty:
        return out
    sel = np.ones(len(out), bool) if rows is None else np.asarray(rows, bool)
    n = pd.to_numeric(out[count_col], errors="coerce").to_numpy(float)
    tot = np.broadcast_to(np.asarray(total, dtype=float), n.shape)
    small = np.array(
        [
            bool(s) and not np.isnan(k) and subset_hidden(k, t, min_sel)
            for s, k, t in zip(sel, n, tot, strict=True)
        ],
        dtype=bool,
    )
    for c in (count_col, *also):
        if pd.api.types.is_integer_dtype(out[c]):
            out[c] = out[c].astype("Int64")
        out.loc[small, c] = pd.NA if str(out[c].dtype) == "Int64" else np.nan
    return out


def capaian_by_asn(skp: pd.DataFrame) -> pd.DataFrame:
    """Mean SKP capaian (percent) per employee and period (internal; not for display).

    Capaian per indicator row by :func:`kinerja_analysis.domain.skp.capaian_skp`
    (PermenPAN-RB 8/2021, waktu: smaller is better, capped at 120 %).

    Returns
    -------
    DataFrame
        ``nip, periode, capaian``.
    """

    c = capaian_skp(skp)
    return c.groupby(["nip", "periode"], as_index=False, observed=True)["capaian"].mean()


def capaian_by_period(skp: pd.DataFrame) -> pd.DataFrame:
    """SKP capaian per period over employees.

    Returns
    -------
    DataFrame
        ``periode, n_asn, capaian_rerata, capaian_median, pct_di_bawah_100`` (share of
        employees whose mean capaian is below 100 %).
    """
    per = capaian_by_asn(skp)
    g = per.groupby("periode", observed=True)["capaian"]
    out = pd.DataFrame(
        {
            "n_asn": g.size(),
            "capaian_rerata": g.mean(),
            "capaian_median": g.median(),
            "pct_di_bawah_100": g.apply(lambda s: float((s < 100).mean())),
        }
    ).reset_index()
    out["periode"] = pd.Categorical(out["periode"], sort_periods(out["periode"]), True)
    return out.sort_values("periode", ignore_index=True).astype({"periode": str})


def perilaku_by_dimension(
    perilaku: pd.DataFrame, periode: str, min_sel: int | None = None
) -> pd.DataFrame:
    """Mean BerAKHLAK rating per dimension in one period, overall and by rater role.

    Raw scores (1–5), not yet adjusted for rater leniency (that is
    :func:`kinerja_analysis.domain.perilaku.perilaku_kerja`).

    With ``min_sel``, a mean is blank where its ratings come from fewer than ``min_sel``
    raters (``id_penilai``) or describe fewer than ``min_sel`` ASN: in a small unit the
    supervisors' column is the ratings of one or two identifiable people.

    Returns
    -------
    DataFrame
        ``dimensi, n_asn, n_penilaian, skor_rerata`` and one ``skor_<peran>`` column per
        rater role present, in BerAKHLAK order. ``n_asn`` counts the ASN rated;
        ``n_penilaian`` and ``skor_rerata`` the ratings by others (self-ratings, which
        never enter the behaviour score, are only in ``skor_diri``).
    """
    # only the columns used: each text column taken from a table of millions of
    # ratings costs tens of milliseconds
    cols = ["nip", "dimensi", "peran_penilai", "skor"]
    if min_sel is not None:
        cols.append("id_penilai")
    d = rows_where(perilaku, perilaku["periode"] == periode, cols)
    g = d.groupby("dimensi", observed=True)
    others = d[d["peran_penilai"] != "diri"].groupby("dimensi", observed=True)["skor"]
    out = pd.DataFrame(
        {"n_asn": g["nip"].nunique(), "n_penilaian": others.size(), "skor_rerata": others.mean()}
    )
    out["n_penilaian"] = out["n_penilaian"].fillna(0).astype("int64")
    per_peran = d.pivot_table(
        index="dimensi", columns="peran_penilai", values="skor", aggfunc="mean", observed=True
    )
    if min_sel is not None:  # a mean of few raters' (or few ratees') ratings: blank
        few = d.groupby(["dimensi", "peran_penilai"], observed=True).agg(
            r=("id_penilai", "nunique"), e=("nip", "nunique")
        )
        few = ((few["r"] < min_sel) | (few["e"] < min_sel)).unstack().reindex_like(per_peran)
        per_peran = per_peran.mask(few.fillna(True).astype(bool))
        o = d[d["peran_penilai"] != "diri"].groupby("dimensi", observed=True)
        thin = (o["id_penilai"].nunique() < min_sel) | (o["nip"].nunique() < min_sel)
        out.loc[thin.reindex(out.index, fill_value=True).to_numpy(), "skor_rerata"] = np.nan
    per_peran.columns = [f"skor_{c}" for c in per_peran.columns]
    out = out.join(per_peran)
    order = [x for x in BERAKHLAK if x in out.index]
    out = out.loc[order].reset_index().rename(columns={"index": "dimensi"})
    out["n_asn"] = out["n_asn"].astype("int64")
    out["n_penilaian"] = out["n_penilaian"].astype("int64")
    return out


def ikm_by_opd(layanan: pd.DataFrame, periode: str) -> pd.DataFrame:
    """IKM per OPD in one period (PermenPAN-RB 14/2017), best first.

    IKM = mean(u1..u9) × 25 when the nine elements are present (else the reported
    ``ikm``), by :func:`kinerja_analysis.domain.ikm.ikm`.

    Returns
    -------
    DataFrame
        ``opd, ikm, mutu, kinerja, tepat_waktu_pct, jumlah_pengaduan``.
    """

    d = layanan[layanan["periode"] == periode].reset_index(drop=True)
    if len(d) == 0:
        return pd.DataFrame(columns=["opd", "ikm", "mutu", "kinerja"])
    k = ikm(d)
    out = k[["opd", "ikm", "mutu", "kinerja"]].copy()
    for c in ("tepat_waktu_pct", "jumlah_pengaduan"):
        if c in d.columns:
            out[c] = d[c].to_numpy()
    return out.sort_values("ikm", ascending=False, ignore_index=True)


def jp_window(periode: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The 12 months ending with ``periode`` (first and last day) over which JP are counted."""
    _, akhir = period_bounds(periode)
    return akhir - pd.DateOffset(years=1) + pd.Timedelta(days=1), akhir


def first_period(tables: Mapping[str, pd.DataFrame]) -> str | None:
    """The earliest period of the evaluation tables present (``skp``, ``penilaian_resmi``,
    ``perilaku``, ``umpan_balik``), or ``None`` when none is present."""
    codes: set[str] = set()
    for name in ("skp", "penilaian_resmi", "perilaku", "umpan_balik"):
        if name in tables and "periode" in tables[name]:
            codes.update(tables[name]["periode"].dropna().astype(str).unique())
    return sort_periods(codes)[0] if codes else None


def jp_window_covered(periode: str, first_period: str) -> bool:
    """Whether the data (starting with ``first_period``) cover the JP window of ``periode``.

    A share computed on a window that reaches before the data begin would count every
    training before the data as missing (2024Q1 of a dataset starting in 2024Q1: 100%
    of ASN "below 20 JP"), so such a share is not available.
    """
    return jp_window(periode)[0] >= period_bounds(first_period)[0]


def jp_by_asn(pelatihan: pd.DataFrame, pegawai: pd.DataFrame, periode: str) -> pd.DataFrame:
    """JP of training per employee over the 12 months ending with ``periode``.

    A rolling year makes quarters comparable; the PP 11/2017 right of 20 JP is per year.
    Trainings count by ``tanggal_mulai``. Employees without training get 0 JP.

    Returns
    -------
    DataFrame
        ``nip, opd, jp, jp_difasilitasi, jp_mandiri`` (internal; not for display); the
        employees are those employed by the end of ``periode``
        (:func:`~kinerja_analysis.analyses.shared.pegawai_through`).
    """

    awal, akhir = jp_window(periode)
    pegawai = pegawai_through({"pegawai": pegawai, "pelatihan": pelatihan}, periode)
    base = pegawai[["nip", "opd"]].drop_duplicates("nip").reset_index(drop=True)
    p = pelatihan[(pelatihan["tanggal_mulai"] >= awal) & (pelatihan["tanggal_mulai"] <= akhir)]
    by = p.pivot_table(
        index="nip", columns="sumber", values="jp", aggfunc="sum", fill_value=0, observed=True
    )
    out = base.merge(by, left_on="nip", right_index=True, how="left")
    for s in ("difasilitasi", "mandiri"):
        out[f"jp_{s}"] = out[s].fillna(0.0).astype(float) if s in out.columns else 0.0
    out["jp"] = out["jp_difasilitasi"] + out["jp_mandiri"]
    return out[["nip", "opd", "jp", "jp_difasilitasi", "jp_mandiri"]]


def jp_summary(
    jp: pd.DataFrame, min_sel: int, *, per_opd: bool = True, withheld: Iterable[str] = ()
) -> pd.DataFrame:
    """JP per ASN summarised overall (``opd = "Semua OPD"``) and per OPD.

    Privacy, besides the rows of fewer than ``min_sel`` ASN (hidden with their
    complements, ``disembunyikan``):

    * ``pct_di_bawah_20`` times a row's (public) head-count is a number of ASN, and so is
      the rest: the all-OPD share is blank where either is 1..``min_sel``-1
      (:func:`~kinerja_analysis.reporting.privacy.subset_hidden`), an OPD's likewise with
      complements over the OPDs (:func:`~kinerja_analysis.reporting.privacy.remainder_hidden`);
    * ``pct_jp_mandiri`` times the row's JP (its mean times its head-count) is the JP of
      its self-funded trainees, and the rest the JP of its trainees on facilitated
      training: blank where either group is 1..``min_sel``-1 ASN, an OPD's with
      complements over the OPDs (:func:`~kinerja_analysis.reporting.privacy.sources_hidden`);
      ``withheld`` with ``"jp_mandiri"`` (an OPD's document whose share the city hides,
      :func:`city_suppressed_measures`) blanks it on every row, and ``"jp_bawah_20"``
      the share below 20 JP likewise.

    ``attrs``: ``di_bawah_20_disembunyikan`` and ``mandiri_disembunyikan``, the rows
    (``opd``, sorted) whose share is blank by these rules.

    Returns
    -------
    DataFrame
        ``opd, n_asn, jp_rerata, jp_median, pct_di_bawah_20, pct_jp_mandiri,
        disembunyikan``.
    """

    def summarise(g: pd.DataFrame) -> dict[str, float]:
        tot = g["jp"].sum()
        return {
            "n_asn": len(g),
            "jp_rerata": g["jp"].mean(),
            "jp_median": g["jp"].median(),
            "pct_di_bawah_20": float((g["jp"] < JP_MINIMUM).mean()),
            "pct_jp_mandiri": g["jp_mandiri"].sum() / tot if tot > 0 else np.nan,
            # the people each part of the row's JP describes (not published)
            "n_a": int((g["jp_mandiri"] > 0).sum()),
            "n_b": int((g["jp_difasilitasi"] > 0).sum()),
            "n_bawah": int((g["jp"] < JP_MINIMUM).sum()),
        }

    rows = [{"opd": "Semua OPD", **summarise(jp)}]
    if per_opd:
        rows += [{"opd": o, **summarise(g)} for o, g in jp.groupby("opd", observed=True)]
    out = pd.DataFrame(rows)
    out["n_asn"] = out["n_asn"].astype("int64")
    parts = out[["opd", "n_a", "n_b", "n_bawah"]]
    out = out.drop(columns=["n_a", "n_b", "n_bawah"])
    # the groups add up to every ASN, whose mean capaian is shown elsewhere
    out = suppress_small_groups(out, "n_asn", min_sel, totals_shown=True)
    city, opds = parts.iloc[:1], parts.iloc[1:]
    below_hidden = set()
    if subset_hidden(int(city["n_bawah"].iloc[0]), len(jp), min_sel):
        below_hidden.add("Semua OPD")
    mandiri_hidden = {"Semua OPD"} if sources_hidden(city, min_sel) else set()
    if per_opd and len(opds):
        # the share below 20 JP times the OPD's (public) head-count is a count of its ASN,
        # and so is the rest: hidden where either is 1..min_sel-1, with complements over
        # the OPDs (the city's share is published)
        heads = jp.groupby("opd", observed=True).size()
        below_hidden |= remainder_hidden(opds.set_index("opd")["n_bawah"], heads, min_sel)
        mandiri_hidden |= sources_hidden(opds, min_sel, by="opd")
    if "jp_bawah_20" in set(withheld):
        below_hidden |= set(out["opd"])
    out.loc[out["opd"].isin(below_hidden), "pct_di_bawah_20"] = np.nan
    if "jp_mandiri" in set(withheld):
        mandiri_hidden |= set(out["opd"])
    out.loc[out["opd"].isin(mandiri_hidden), "pct_jp_mandiri"] = np.nan
    out.attrs = {
        "di_bawah_20_disembunyikan": sorted(map(str, below_hidden)),
        "mandiri_disembunyikan": sorted(map(str, mandiri_hidden)),
    }
    return out


# ----------------------------------------------------------------------------- 20 exposure


def exposure_cell(kind: object, source: object) -> str:
    """The measure of one cell of :func:`training_exposure` (``"paparan:<jenis>|<sumber>"``:
    the training's ``jenis`` and ``sumber``, ``kind`` and ``source`` here) that
    :func:`city_suppressed_measures` lists for an OPD whose document must hide it."""
    return f"paparan:{kind}|{source}"


def _exposure_window(pelatihan: pd.DataFrame, periode: str) -> pd.DataFrame:
    """The trainings that started in the 12 months ending with ``periode``."""
    awal, akhir = jp_window(periode)
    return pelatihan[(pelatihan["tanggal_mulai"] >= awal) & (pelatihan["tanggal_mulai"] <= akhir)]


def training_exposure(
    pelatihan: pd.DataFrame,
    periode: str,
    min_sel: int = DEFAULTS.min_sel,
    *,
    withheld: Iterable[str] = (),
) -> pd.DataFrame:
    """Trainings in the 12 months ending with ``periode`` by type and source.

    ``withheld``: in an OPD's document, the measures the city level suppresses for it
    (:func:`city_suppressed_measures`); its cells among them (:func:`exposure_cell`) are
    hidden from the start, with complements as a small cell's.

    Returns
    -------
    DataFrame
        ``jenis, sumber, n_pelatihan, n_asn, jp_total, jp_rerata, disembunyikan``; groups
        of fewer than ``min_sel`` ASN are suppressed with complements within the whole
        table and, where the self-funded share of JP is published, within each source:
        the period document publishes the JP per ASN (so the JP of all sources) and the
        self-funded share of JP unless its self-funded trainees or those on facilitated
        training are a small group (:func:`jp_summary`; then each source's JP total),
        and the data-quality document the trainings accepted. So one hidden cell of a
        source would be its total less the others, and a source whose only cell is
        hidden would be the whole total less the other source's cells.
    """

    p = _exposure_window(pelatihan, periode)
    g = p.groupby(["jenis", "sumber"], observed=True)
    out = pd.DataFrame(
        {
            "n_pelatihan": g.size(),
            "n_asn": g["nip"].nunique(),
            "jp_total": g["jp"].sum(),
            "jp_rerata": g["jp"].mean(),
        }
    ).reset_index()
    out = out.astype({"n_pelatihan": "int64", "n_asn": "int64"})
    mandiri = p["sumber"] == "mandiri"
    trainees = pd.DataFrame(
        {"n_a": [p.loc[mandiri, "nip"].nunique()], "n_b": [p.loc[~mandiri, "nip"].nunique()]}
    )
    # each source's total is published with the self-funded share, where it stands
    per_source = not sources_hidden(trainees, min_sel)
    keys = set(withheld)
    forced = [exposure_cell(j, s) in keys for j, s in zip(out["jenis"], out["sumber"], strict=True)]
    return suppress_small_cells(
        out,
        "n_asn",
        min_sel,
        by="sumber" if per_source else None,
        also_by=[()] if per_source else (),  # the total over both sources
        value_cols=["n_pelatihan", "jp_total", "jp_rerata"],
        primary=forced,
    )


def umpan_balik_by_period(
    umpan_balik: pd.DataFrame,
    pegawai: pd.DataFrame,
    min_sel: int = DEFAULTS.min_sel,
    *,
    withheld: Iterable[str] = (),
) -> pd.DataFrame:
    """Feedback sessions per ASN per period, overall and by form.

    Privacy: a period's number of ASN is published (here too: ``n_sesi / sesi_per_asn``),
    so its share of ASN without a session states the number without and the number with:
    ``pct_asn_tanpa_sesi`` is blank where either is 1..``min_sel``-1
    (:func:`~kinerja_analysis.reporting.privacy.subset_hidden`). ``kualitas_rerata``, the
    mean rating of the sessions by those who rated them, is blank where they are fewer
    than ``min_sel`` ASN.

    ``withheld``: in an OPD's document, the measures the city level suppresses for it
    (:func:`city_suppressed_measures`): ``"umpan_balik:<periode>"`` blanks that period's
    share without a session, ``"umpan_balik_kualitas:<periode>"`` its mean rating.

    Returns
    -------
    DataFrame
        ``periode, n_sesi, sesi_per_asn, pct_asn_tanpa_sesi, kualitas_rerata``, one
        ``sesi_<bentuk>`` column per form and ``disembunyikan`` (a figure of the row is
        hidden). Each period's ASN are those employed by its end
        (:func:`~kinerja_analysis.analyses.shared.pegawai_through`): someone hired later
        is not an ASN without feedback in it.
    """
    g = umpan_balik.groupby("periode", observed=True)
    out = pd.DataFrame({"n_sesi": g.size(), "n_asn_dapat": g["nip"].nunique()})
    both = {"pegawai": pegawai, "umpan_balik": umpan_balik}
    n_all = pd.Series(
        [pegawai_through(both, str(p))["nip"].nunique() for p in out.index], index=out.index
    )
    out["sesi_per_asn"] = out["n_sesi"] / n_all
    out["pct_asn_tanpa_sesi"] = 1 - out["n_asn_dapat"] / n_all
    hidden = pd.Series(False, index=out.index)
    if "kualitas" in umpan_balik.columns:
        out["kualitas_rerata"] = g["kualitas"].mean().astype(float)
        raters = umpan_balik.loc[umpan_balik["kualitas"].notna()].groupby("periode", observed=True)[
            "nip"
        ]
        few = raters.nunique().reindex(out.index, fill_value=0) < min_sel
        hidden |= few & out["kualitas_rerata"].notna()
        out.loc[few, "kualitas_rerata"] = np.nan
    bentuk = umpan_balik.pivot_table(
        index="periode", columns="bentuk", values="nip", aggfunc="size", observed=True
    )
    bentuk = bentuk.fillna(0).astype("int64")
    bentuk.columns = [f"sesi_{c}" for c in bentuk.columns]
    # the ASN with a session and those without, beside each period's head-count
    # (a count above the head-count, ASN outside the register, is never stated as a share)
    rest = [
        k > t or subset_hidden(k, t, min_sel)
        for k, t in zip(out["n_asn_dapat"], n_all, strict=True)
    ]
    out.loc[np.asarray(rest, bool), "pct_asn_tanpa_sesi"] = np.nan
    hidden |= np.asarray(rest, bool)
    keys = set(withheld)
    for measure, col in (
        ("umpan_balik", "pct_asn_tanpa_sesi"),
        ("umpan_balik_kualitas", "kualitas_rerata"),
    ):
        if col not in out.columns:
            continue
        gone = pd.Series([f"{measure}:{p}" in keys for p in out.index], index=out.index)
        hidden |= gone & out[col].notna()
        out.loc[gone, col] = np.nan
    out["disembunyikan"] = hidden.to_numpy(bool)
    out = out.join(bentuk).drop(columns="n_asn_dapat").reset_index()
    out = out[[c for c in out.columns if c != "disembunyikan"] + ["disembunyikan"]]
    out["n_sesi"] = out["n_sesi"].astype("int64")
    order = sort_periods(out["periode"])
    return out.set_index("periode").loc[order].reset_index()


#: The JP groups of :func:`capaian_by_training` and the side of the 20-JP line (PP
#: 11/2017 art. 203(4)) each lies on.
JP_GROUPS: tuple[tuple[str, str], ...] = (
    ("0 JP", "di_bawah_20"),
    ("1–19 JP", "di_bawah_20"),
    ("≥ 20 JP", "20_atau_lebih"),
)


def _jp_groups(skp: pd.DataFrame, jp: pd.DataFrame, periode: str) -> pd.DataFrame:
    """The ASN with an SKP in ``periode``: ``nip, capaian, jp, kelompok_jp`` (their JP
    group of :data:`JP_GROUPS`; an ASN missing from ``jp`` counts 0 JP)."""
    c = capaian_by_asn(rows_where(skp, skp["periode"] == periode))
    d = c.merge(jp[["nip", "jp"]], on="nip", how="left").fillna({"jp": 0.0})
    labels = [g for g, _ in JP_GROUPS]
    d["kelompok_jp"] = pd.cut(d["jp"], [-np.inf, 0, JP_MINIMUM - 1e-9, np.inf], labels=labels)
    return d


def jp_group_cell(group: object) -> str:
    """The measure of one row of :func:`capaian_by_training` (``"kelompok_jp:<group>"``)
    that :func:`city_suppressed_measures` lists for an OPD whose document must hide it."""
    return f"kelompok_jp:{group}"


def capaian_by_training(
    skp: pd.DataFrame,
    jp: pd.DataFrame,
    periode: str,
    min_sel: int,
    *,
    withheld: Iterable[str] = (),
) -> pd.DataFrame:
    """Mean SKP capaian in ``periode`` by training exposure (descriptive, not causal).

    Groups: 0 JP, 1–19 JP, ≥ 20 JP in the 12 months ending with the period.

    Privacy. The groups are the ASN *with* an SKP in the period; beside them the
    documents publish the head-count (every ASN of ``jp``), the number with an SKP (the
    SKP table's count, where :func:`hide_remainder` lets it stand) and the city's share
    below 20 JP (:func:`jp_summary`, where :func:`~kinerja_analysis.reporting.privacy.subset_hidden`
    lets it stand). So the ASN *without* an SKP below and at or above 20 JP are two
    further, never-shown cells, and the groups are the cells of one table with these
    published totals: the head-count (all five cells), each side of the 20-JP line (the
    groups on that side and its cell without an SKP) and, where stated, the number with
    an SKP (the three groups; its rest, the two cells without). A group is hidden when it
    is 1..``min_sel``-1 or when a total less the shown groups would leave such a cell
    alone (:func:`~kinerja_analysis.reporting.privacy.suppress_small_cells`: primary and
    complementary suppression, a cell without an SKP that is empty never a complement).

    Parameters
    ----------
    jp
        :func:`jp_by_asn` of the period: ``nip, jp`` of every ASN of the head-count (an
        ASN with an SKP missing from it counts 0 JP).
    withheld
        In an OPD's document, the measures the city level suppresses for it
        (:func:`city_suppressed_measures`): its groups among them (:func:`jp_group_cell`)
        are hidden from the start, with complements as a small group's.

    Returns
    -------
    DataFrame
        ``kelompok_jp, n_asn, capaian_rerata, capaian_sd, disembunyikan``.
    """
    d = _jp_groups(skp, jp, periode)
    g = d.groupby("kelompok_jp", observed=False)["capaian"]
    out = pd.DataFrame(
        {"n_asn": g.size(), "capaian_rerata": g.mean(), "capaian_sd": g.std()}
    ).reset_index()
    out["kelompok_jp"] = out["kelompok_jp"].astype(TEXT_DTYPE)
    out["n_asn"] = out["n_asn"].astype("int64")
    # every ASN of the head-count, with or without an SKP, and their side of the line
    everyone = pd.concat(
        [jp[["nip", "jp"]], d.loc[~d["nip"].isin(jp["nip"]), ["nip", "jp"]]],
        ignore_index=True,
    ).drop_duplicates("nip")
    below = everyone["jp"] < JP_MINIMUM
    band = dict(JP_GROUPS)
    out["sisi"] = out["kelompok_jp"].map(band)
    totals = {
        "di_bawah_20": int(below.sum()),
        "20_atau_lebih": int((~below).sum()),
    }
    n_all, n_skp = len(everyone), int(out["n_asn"].sum())
    out["dengan_skp"] = True
    s = suppress_small_cells(
        out,
        "n_asn",
        min_sel,
        by="sisi",
        value_cols=["capaian_rerata", "capaian_sd"],
        # the head-count (every cell), and the number with an SKP (the groups; the
        # cells without an SKP its rest) when the SKP table states it
        also_by=[(), "dengan_skp"] if not subset_hidden(n_skp, n_all, min_sel) else [()],
        group_totals=totals,
        primary=out["kelompok_jp"].map(lambda k: jp_group_cell(k) in set(withheld)).to_numpy(bool),
    )
    s.attrs = {}
    return s.drop(columns=["sisi", "dengan_skp"])


# ----------------------------------------------------------------------------- 30 survey


def survei_items(
    survei: pd.DataFrame,
    instrumen: pd.DataFrame,
    periode: str,
    min_sel: int,
    *,
    total: int | None = None,
) -> pd.DataFrame:
    """Item means of the survey in one period, reverse-scored items flipped.

    A reversed item is scored ``skala_min + skala_max - x`` (default scale 1–5).

    ``total``: the published head-count of the document's scope. An item's number of
    answers is a subset of it, so the ASN who did not answer it are published with it:
    ``n`` is blank where either is 1..``min_sel``-1
    (:func:`~kinerja_analysis.reporting.privacy.subset_hidden`); the mean of at least
    ``min_sel`` answers stays.

    Returns
    -------
    DataFrame
        ``konstruk, item, teks, terbalik, n, rerata, sd`` (items with fewer than
        ``min_sel`` answers suppressed).
    """
    d = survei[survei["periode"] == periode]
    rows = []
    for r in instrumen.itertuples(index=False):
        if r.item not in d.columns:
            continue
        x = pd.to_numeric(d[r.item], errors="coerce").astype(float).dropna()
        lo = getattr(r, "skala_min", None)
        hi = getattr(r, "skala_max", None)
        lo = 1 if lo is None or pd.isna(lo) else lo
        hi = 5 if hi is None or pd.isna(hi) else hi
        if bool(r.terbalik):
            x = lo + hi - x
        rows.append(
            {
                "konstruk": r.konstruk,
                "item": r.item,
                "teks": r.teks,
                "terbalik": bool(r.terbalik),
                "n": len(x),
                "rerata": x.mean() if len(x) else np.nan,
                "sd": x.std() if len(x) > 1 else np.nan,
            }
        )
    out = pd.DataFrame(rows, columns=["konstruk", "item", "teks", "terbalik", "n", "rerata", "sd"])
    out["n"] = out["n"].astype("int64")
    out = suppress_small_groups(out, "n", min_sel, ["rerata", "sd"])
    if total is not None:
        out = hide_remainder(out, "n", total, min_sel, rows=out["n"].fillna(0) <= total)
    return out


@renamed_keywords(butir="items")
def survei_constructs(items: pd.DataFrame) -> pd.DataFrame:
    """Construct means from :func:`survei_items` (mean of its item means).

    Returns
    -------
    DataFrame
        ``konstruk, n_butir, n_min, rerata``.
    """
    g = items.groupby("konstruk", sort=False, observed=True)
    return pd.DataFrame(
        {"n_butir": g.size(), "n_min": g["n"].min(), "rerata": g["rerata"].mean()}
    ).reset_index()


def period_headcount(tables: Mapping[str, pd.DataFrame], periode: str) -> int:
    """The ASN of ``periode`` in ``tables`` (the register as cut at the period's end,
    :func:`~kinerja_analysis.analyses.shared.pegawai_through`): the head-count a document
    of the period publishes for its scope (the city, or one OPD)."""
    return int(pegawai_through(tables, periode)["nip"].nunique())


def survey_respondents(survei: pd.DataFrame, periode: str) -> int:
    """The respondents of the survey in ``periode`` (distinct ASN with an answer row)."""
    return int(rows_where(survei, survei["periode"] == periode, ["nip"])["nip"].nunique())


def acceptance_table(
    survei: pd.DataFrame,
    instrumen: pd.DataFrame,
    pegawai: pd.DataFrame,
    periode: str,
    min_sel: int = DEFAULTS.min_sel,
    *,
    opd: str | None = None,
) -> pd.DataFrame:
    """Acceptance of the evaluation system per OPD in ``periode``
    (:func:`kinerja_analysis.analyses.survey_panel.acceptance_by_opd`), as a document
    publishes it.

    A mean of survey answers describes its respondents: an OPD's mean and interval are
    blank unless its respondents, and those of every other OPD left out with it, are 0 or
    at least ``min_sel`` (:func:`suppressed_opds`, the period report's rule for the same
    score). The number of respondents is blank with them, and where it or the rest of the
    OPD's head-count is 1..``min_sel``-1, with complements over the OPDs
    (:func:`~kinerja_analysis.reporting.privacy.remainder_hidden`).

    Parameters
    ----------
    pegawai
        The register of every OPD (the city's), also in an OPD's document: its row is
        suppressed over every OPD, as the city's document suppresses it, then cut.
    opd
        An OPD's own document: only its row.

    Returns
    -------
    DataFrame
        ``opd, estimate, ci_low, ci_high, n_obs, disembunyikan``.
    """
    from kinerja_analysis.analyses.survey_panel import acceptance_by_opd  # lazy: scipy
    from kinerja_analysis.domain.survey import construct_scores  # lazy: the CFA engine

    cols = ["opd", "estimate", "ci_low", "ci_high", "n_obs", "disembunyikan"]
    empty = pd.DataFrame({c: pd.Series(dtype=float) for c in cols})
    if "penerimaan_sistem" not in set(instrumen["konstruk"]):
        return empty
    skor = construct_scores(rows_where(survei, survei["periode"] == periode), instrumen)
    if skor["skor"].notna().sum() == 0:
        return empty
    d = acceptance_by_opd(skor, pegawai, min_n=min_sel)
    d = d[d["periode"] == periode].reset_index(drop=True)
    n = d.set_index("opd")["n_obs"]
    mean_hidden = suppressed_opds(n, min_sel)
    heads = headcount(pegawai)
    count_hidden = mean_hidden | remainder_hidden(n[n.index.isin(heads.index)], heads, min_sel)
    out = d[["opd", "estimate", "ci_low", "ci_high"]].copy()
    out["n_obs"] = d["n_obs"].astype("Int64")
    gone = out["opd"].isin(mean_hidden).to_numpy(bool)
    out.loc[gone, ["estimate", "ci_low", "ci_high"]] = np.nan
    out.loc[out["opd"].isin(count_hidden).to_numpy(bool), "n_obs"] = pd.NA
    out["disembunyikan"] = out["opd"].isin(count_hidden).to_numpy(bool)
    if opd is not None:
        out = out[out["opd"] == opd]
    return out.reset_index(drop=True)


# ----------------------------------------------------------------------------- headline


#: Headline indicators that are figures of a measure of :data:`OPD_MEASURES`.
HEADLINE_MEASURE: dict[str, str] = {
    "capaian_rerata": "capaian",
    "perilaku_rerata": "perilaku",
    "jp_rerata": "jp",
    "pct_jp_di_bawah_20": "jp_bawah_20",
}


def headline_figures(
    tables: Mapping[str, pd.DataFrame],
    periode: str,
    *,
    withheld: Iterable[str] = (),
    evaluasi: pd.DataFrame | None = None,
    min_sel: int = DEFAULTS.min_sel,
) -> pd.DataFrame:
    """Headline numbers of one period (for the report's first lines and the index page).

    ``withheld``: measures not to publish (an OPD's document,
    :func:`city_suppressed_measures`); their indicators (:data:`HEADLINE_MEASURE`) get
    a missing value and ``disembunyikan`` True. So does ``pct_jp_di_bawah_20`` where the
    ASN below 20 JP, or those at or above it, are 1..``min_sel``-1: beside ``n_asn`` the
    share states both (:func:`~kinerja_analysis.reporting.privacy.subset_hidden`).

    ``perilaku_rerata`` is the mean over ASN of the behaviour score the document's
    predikat is computed from (``skor_perilaku`` of ``evaluasi``,
    :func:`kinerja_analysis.domain.predikat.evaluate_period`: role-weighted, adjusted for
    rater leniency, self-ratings left out) when ``evaluasi`` is given, so that it lies
    among the per-dimension means the document states; without it, the mean over ASN of
    their raw ratings by others (self-ratings left out, before adjustment).

    Returns
    -------
    DataFrame
        ``indikator, nilai, satuan, disembunyikan`` with indikator in ``n_asn, n_opd,
        capaian_rerata, perilaku_rerata, ikm_rerata, jp_rerata, pct_jp_di_bawah_20``
        (those computable from the tables present). The JP figures are missing (NaN) when
        the 12-month window reaches before the first period of the data
        (:func:`jp_window_covered`).
    """
    out = _headline_figures(tables, periode, evaluasi, min_sel)
    # the share below 20 JP is one of the JP figures: withheld with them too
    gone = set(withheld) | ({"jp_bawah_20"} if "jp" in set(withheld) else set())
    hide = out["indikator"].map(HEADLINE_MEASURE).isin(gone) | out["disembunyikan"]
    out.loc[hide, "nilai"] = np.nan
    out["disembunyikan"] = hide.to_numpy(dtype=bool)
    return out


def _headline_figures(
    tables: Mapping[str, pd.DataFrame],
    periode: str,
    evaluasi: pd.DataFrame | None,
    min_sel: int,
) -> pd.DataFrame:
    hidden: set[str] = set()
    peg = pegawai_through(tables, periode)  # the ASN of this period, not those hired later
    rows = [
        ("n_asn", float(peg["nip"].nunique()), "orang"),
        ("n_opd", float(peg["opd"].nunique()), "OPD"),
    ]
    if "skp" in tables:
        skp = tables["skp"]
        cap = capaian_by_asn(rows_where(skp, skp["periode"] == periode))
        rows.append(("capaian_rerata", float(cap["capaian"].mean()), "%"))
    if "perilaku" in tables:
        if evaluasi is not None:
            e = rows_where(
                evaluasi,
                (evaluasi["periode"] == periode) & in_values(evaluasi["nip"], set(peg["nip"])),
            )
            skor = e["skor_perilaku"]
        else:
            p = tables["perilaku"]
            p = rows_where(p, p["periode"] == periode, ["nip", "peran_penilai", "skor"])
            p = p.loc[p["peran_penilai"] != "diri"]
            skor = p.groupby("nip", observed=True)["skor"].mean()
        rows.append(("perilaku_rerata", float(skor.mean()), "skor 1–5"))
    if "layanan" in tables:
        k = ikm_by_opd(tables["layanan"], periode)
        if len(k):
            rows.append(("ikm_rerata", float(k["ikm"].mean()), "indeks 25–100"))
    if "pelatihan" in tables:
        first = first_period(tables)
        # no training recorded up to the period: not available, never "100 % < 20 JP"
        recorded = bool((tables["pelatihan"]["tanggal_mulai"] <= period_bounds(periode)[1]).any())
        if first is not None and recorded and jp_window_covered(periode, first):
            jp = jp_by_asn(tables["pelatihan"], peg, periode)
            rows.append(("jp_rerata", float(jp["jp"].mean()), "JP/12 bulan"))
            below = int((jp["jp"] < JP_MINIMUM).sum())
            rows.append(("pct_jp_di_bawah_20", below / len(jp), "fraksi"))
            # beside the number of ASN, the share states the ASN below 20 JP and the rest
            if subset_hidden(below, len(jp), min_sel):
                hidden.add("pct_jp_di_bawah_20")
        else:
            rows.append(("jp_rerata", np.nan, "JP/12 bulan"))
            rows.append(("pct_jp_di_bawah_20", np.nan, "fraksi"))
    out = pd.DataFrame(rows, columns=["indikator", "nilai", "satuan"])
    out["disembunyikan"] = out["indikator"].isin(hidden).to_numpy(bool)
    return out


def cross_period_summary(
    tables: Mapping[str, pd.DataFrame],
    periods: Sequence[str],
    *,
    evaluasi: pd.DataFrame | None = None,
    min_sel: int = DEFAULTS.min_sel,
) -> pd.DataFrame:
    """:func:`headline_figures` for every period, wide: one row per period (``evaluasi``
    and ``min_sel`` as there).

    Returns
    -------
    DataFrame
        ``periode`` and one column per headline indikator; ``attrs["disembunyikan"]``:
        ``{indikator: [periods]}`` whose figure is hidden as a small group (missing, as a
        figure that is not available is).
    """
    rows, hidden = [], {}
    for p in sort_periods(periods):
        a = headline_figures(tables, p, evaluasi=evaluasi, min_sel=min_sel)
        rows.append({"periode": p, **a.set_index("indikator")["nilai"].to_dict()})
        for k in a.loc[a["disembunyikan"], "indikator"]:
            hidden.setdefault(str(k), []).append(p)
    out = pd.DataFrame(rows)
    for c in ("n_asn", "n_opd"):
        if c in out.columns:
            out[c] = out[c].round().astype("Int64")
    out.attrs = {"disembunyikan": hidden}
    return out


def _suppress_per_opd(
    df: pd.DataFrame, category: str, pegawai: pd.DataFrame, min_sel: int
) -> tuple[pd.DataFrame, set[str]]:
    """An OPD x ``category`` table of counts ``n`` (and shares ``persen``) suppressed with
    complements within each OPD and each category, each OPD's head-count less its row's
    sum a never-shown cell (:func:`~kinerja_analysis.reporting.privacy.suppress_small_cells`
    with ``group_totals``); also the OPDs whose remainder is hidden."""
    out = suppress_small_cells(
        df,
        "n",
        min_sel,
        by="opd",
        value_cols=["persen"],
        also_by=[category],
        group_totals=headcount(pegawai),
    )
    return out, {o for o, h in out.attrs["sisa_disembunyikan"].items() if h}


def _period_pegawai(ds, periode: str) -> pd.DataFrame:
    """The ASN of ``periode`` in ``ds``'s register
    (:func:`~kinerja_analysis.analyses.shared.pegawai_through` over its tables; an object
    holding only ``pegawai`` is cut by the register's own dates)."""
    tables = getattr(ds, "tables", None) or {"pegawai": ds.pegawai}
    return pegawai_through(tables, periode)


def predikat_by_opd(
    ds, h: SharedResults, periode: str, *, opd: str | None = None, min_sel: int = DEFAULTS.min_sel
) -> pd.DataFrame:
    """Predikat counts and shares per OPD (long: ``opd, predikat, n, persen``), small cells
    and their complements suppressed (:func:`kinerja_analysis.reporting.privacy.suppress_small_cells`).

    The OPD's head-count is published (:func:`pegawai_by_opd`), so its ASN *without* a
    predikat (head-count less the row's sum) enter the suppression as a never-shown cell
    (``group_totals``): when that cell is hidden, a complement among the OPD's predikat
    cells is hidden too, and so are the row's shares (``n / persen`` is the row's sum).
    ``attrs["sisa_disembunyikan"]``: the OPDs (sorted list) whose number with a predikat
    (the row's sum) must not be published anywhere.

    With ``opd`` (an OPD's own document) the table is suppressed over every OPD, as the
    city's document is, and then cut to that OPD's rows: a cell hidden in the city's
    table is hidden in the OPD's too, so the two cannot be differenced.

    The OPDs' ASN are those of the period (:func:`~kinerja_analysis.analyses.shared.
    pegawai_through`: not those hired later, nor those who left before it began)."""

    peg = _period_pegawai(ds, periode)
    ev = rows_where(
        h.evaluasi,
        (h.evaluasi["periode"] == periode) & in_values(h.evaluasi["nip"], set(peg["nip"])),
    )
    ev = ev.merge(peg[["nip", "opd"]], on="nip")
    order = list(PREDIKAT_ORDER)
    grid = pd.MultiIndex.from_product(
        [sorted(ev["opd"].unique()), order], names=["opd", "predikat"]
    )
    n = ev.groupby(["opd", ev["predikat"].astype("string[pyarrow]")], observed=True).size()
    n.index = n.index.set_names(["opd", "predikat"])
    out = n.reindex(grid, fill_value=0).rename("n").reset_index()
    out["persen"] = out["n"] / out.groupby("opd", observed=True)["n"].transform("sum")
    # the ASN without a predikat (head-count less the row's sum) are a cell too
    out, sisa = _suppress_per_opd(out, "predikat", peg, min_sel)
    # a share of a shown cell gives back the row's sum (n / persen), hence the remainder
    out.loc[out["opd"].isin(sisa), "persen"] = np.nan
    if opd is not None:
        out = out[out["opd"] == opd].reset_index(drop=True)
    out.attrs = {"sisa_disembunyikan": sorted(map(str, sisa))}  # JSON: saved with the table
    return out


def berakhlak_by_opd(
    ds, h: SharedResults, periode: str, *, opd: str | None = None, min_sel: int = DEFAULTS.min_sel
) -> pd.DataFrame:
    """OPD × BerAKHLAK mean scores of the period; cells of fewer than ``min_sel`` ASN blank.
    The OPDs' ASN are those of the period (:func:`~kinerja_analysis.analyses.shared.
    pegawai_through`)."""
    register = _period_pegawai(ds, periode)
    peg = register if opd is None else register[register["opd"] == opd]
    sd = rows_where(
        h.skor_dimensi,
        (h.skor_dimensi["periode"] == periode) & in_values(h.skor_dimensi["nip"], set(peg["nip"])),
    )
    prof = opd_profile(sd, peg)
    prof.loc[prof["n_pegawai"] < min_sel, ["rerata", "sd"]] = np.nan
    # how many of the OPD's ASN were rated, beside its public head-count, gives the
    # number not rated: the count is blank where either is 1..min_sel-1 (with
    # complements over the OPDs of each value; the mean of >= min_sel stays)
    heads = headcount(register)
    counts = [c for c in ("n_pegawai", "n_obs") if c in prof.columns]
    for c in counts:
        prof[c] = prof[c].astype("Int64")
    full = opd_profile(
        rows_where(
            h.skor_dimensi,
            (h.skor_dimensi["periode"] == periode)
            & in_values(h.skor_dimensi["nip"], set(register["nip"])),
        ),
        register,
    )
    for dim, g in full.groupby("dimensi", observed=True):
        hide = remainder_hidden(g.set_index("opd")["n_pegawai"], heads, min_sel)
        rows = (prof["dimensi"] == dim) & prof["opd"].isin(hide)
        prof.loc[rows, counts] = pd.NA
    return prof


def output_vs_competency_by_opd(
    ds, h: SharedResults, periode: str, *, opd: str | None = None, min_sel: int = DEFAULTS.min_sel
) -> pd.DataFrame:
    """The seed's example made measurable: per OPD, how many ASN move up or down in
    predikat when behaviour (competency) is counted beside output, versus output alone
    (:func:`kinerja_analysis.domain.predikat.output_vs_competency`); counts under ``min_sel``
    suppressed with their complements within each OPD and across OPDs.

    With ``opd`` (an OPD's own document) the cells are suppressed over every OPD, as in
    the city's document, then cut to that OPD; the ``"Seluruh OPD"`` rows are the
    city's, as in the city's document (and as every other table of an OPD's document
    has them): an OPD's document compares the OPD with the city. Before, they held the
    OPD's own cells under the city's name, so the OPD was compared with itself. The
    OPDs' ASN are those of the period (:func:`~kinerja_analysis.analyses.shared.
    pegawai_through`)."""

    peg = _period_pegawai(ds, periode)
    ev = rows_where(
        h.evaluasi,
        (h.evaluasi["periode"] == periode) & in_values(h.evaluasi["nip"], set(peg["nip"])),
    )
    per = output_vs_competency(ev, peg).per_opd
    long = per.melt(
        id_vars=["opd", "n_pegawai"],
        value_vars=["n_naik", "n_turun", "n_tetap"],
        var_name="arah",
        value_name="n",
    )
    long["arah"] = long["arah"].map({"n_naik": "naik", "n_turun": "turun", "n_tetap": "tetap"})
    long["persen"] = long["n"] / long["n_pegawai"]
    # complements within each OPD and within each direction across OPDs, so the city
    # totals below cannot be used to recover a suppressed OPD cell by subtraction
    # the OPD's ASN without a comparison (head-count less n_pegawai) are a cell too
    out, sisa = _suppress_per_opd(long, "arah", peg, min_sel)
    # n_pegawai is head-count less that cell, and n / persen gives n_pegawai back
    out["n_pegawai"] = out["n_pegawai"].astype("Int64")
    out.loc[out["opd"].isin(sisa), ["n_pegawai", "persen"]] = pd.NA
    out.attrs = {}
    kota = long.groupby("arah", as_index=False, observed=True).agg(
        n=("n", "sum"), n_pegawai=("n_pegawai", "sum")
    )
    kota["persen"] = kota["n"] / kota["n_pegawai"]
    kota["opd"] = "Seluruh OPD"
    # the city's head-count is public too: its ASN without a comparison are a cell
    kota = suppress_small_cells(
        kota,
        "n",
        min_sel,
        value_cols=["persen"],
        group_totals=int(peg["nip"].nunique()),
    )
    kota["n_pegawai"] = kota["n_pegawai"].astype("Int64")
    if kota.attrs["sisa_disembunyikan"].get(None):
        kota[["n_pegawai", "persen"]] = pd.NA
    kota.attrs = {}
    if opd is not None:
        out = out[out["opd"] == opd]
    out = out.sort_values(["opd", "arah"], ignore_index=True)
    return pd.concat([kota[out.columns], out], ignore_index=True)


# ----------------------------------------------------------------------------- summaries


def ikm_by_grade(ikm_opd: pd.DataFrame) -> pd.DataFrame:
    """OPDs per service grade (PermenPAN-RB 14/2017), from :func:`ikm_by_opd`.

    Returns
    -------
    DataFrame
        ``mutu, kinerja, n_opd, ikm_rerata`` from grade A to D (grades without an OPD
        left out).
    """
    if ikm_opd.empty:
        return pd.DataFrame(columns=["mutu", "kinerja", "n_opd", "ikm_rerata"])
    g = ikm_opd.groupby(["mutu", "kinerja"], as_index=False, observed=True).agg(
        n_opd=("opd", "nunique"), ikm_rerata=("ikm", "mean")
    )
    g["n_opd"] = g["n_opd"].astype("int64")
    return g.sort_values("mutu", ignore_index=True)


def output_vs_competency_wide(hvk: pd.DataFrame) -> pd.DataFrame:
    """:func:`output_vs_competency_by_opd` with one row per OPD: ASN whose predikat goes
    up, down or stays when behaviour is counted (suppressed cells stay missing).

    Returns
    -------
    DataFrame
        ``opd, n_pegawai, n_naik, n_turun, n_tetap``; the city row first.
    """
    wide = hvk.pivot_table(
        index="opd", columns="arah", values="n", aggfunc="first", sort=False, observed=True
    )
    wide = wide.reindex(columns=["naik", "turun", "tetap"])
    wide.columns = [f"n_{c}" for c in wide.columns]
    n = hvk.groupby("opd", sort=False, observed=True)["n_pegawai"].first()
    out = wide.join(n).reset_index()[["opd", "n_pegawai", "n_naik", "n_turun", "n_tetap"]]
    for c in ("n_pegawai", "n_naik", "n_turun", "n_tetap"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype("Int64")
    return out


def top_and_bottom(
    df: pd.DataFrame, by: str, *, n: int = 5, per: str | None = None
) -> pd.DataFrame:
    """The ``n`` rows with the highest and the ``n`` with the lowest value of ``by``
    (divided by ``per`` when given), ranked, for a long per-OPD table shown in a document
    whose full version is in the workbook.

    Rows whose value is missing (a suppressed small group, a ``per`` of zero) are not
    ranked and not shown. Ties share the better rank, and a tie at either cut is kept
    whole (so a group may show more than ``n`` rows).

    Returns
    -------
    DataFrame
        ``peringkat`` (1 = highest, an integer) followed by the columns of ``df``, highest
        first: the top and the bottom ranks, or every ranked row when the two would meet.
        The index is reset; ``attrs`` holds ``n_nilai`` (rows ranked), ``n_atas`` and
        ``n_bawah`` (rows shown from the top and from the bottom; ``n_bawah`` is 0 when
        every ranked row is shown).

    Examples
    --------
    >>> d = pd.DataFrame({"opd": list("abcdefg"), "ikm": [80, 91, 75, 88, None, 70, 85]})
    >>> out = top_and_bottom(d, "ikm", n=2)
    >>> out[["peringkat", "opd"]].to_dict("list"), out.attrs
    ({'peringkat': [1, 2, 5, 6], 'opd': ['b', 'd', 'c', 'f']}, {'n_nilai': 6, 'n_atas': 2, 'n_bawah': 2})
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    value = pd.to_numeric(df[by], errors="coerce").astype(float)
    if per is not None:
        denom = pd.to_numeric(df[per], errors="coerce").astype(float)
        value = value / denom.where(denom > 0)
    ranked = df.assign(_v=value.to_numpy())[value.notna().to_numpy()]
    ranked = ranked.sort_values("_v", ascending=False, kind="stable")
    rank = ranked["_v"].rank(method="min", ascending=False).astype("int64").to_numpy()
    ranked = ranked.drop(columns="_v")
    ranked.insert(0, "peringkat", rank)
    m = len(ranked)
    top = int((rank <= rank[n - 1]).sum()) if m > n else m
    bottom = int((rank >= rank[m - n]).sum()) if m > n else 0
    if top + bottom >= m:
        out, top, bottom = ranked, m, 0
    else:
        out = pd.concat([ranked.iloc[:top], ranked.iloc[m - bottom :]])
    out = out.reset_index(drop=True)
    out.attrs = {"n_nilai": m, "n_atas": top, "n_bawah": bottom}
    return out


@renamed_keywords(distribusi="distribution")
def order_groups(distribution: pd.DataFrame, *, by: str = "Sangat Baik") -> list[str]:
    """The groups (``opd``) of a long predikat table sorted by the share of ``by``
    (largest first; suppressed shares last), then by name."""
    d = distribution[distribution["predikat"].astype("string[pyarrow]") == by]
    key = d.set_index("opd")["persen"].astype(float)
    names = sorted(pd.unique(distribution["opd"]))
    return sorted(
        names, key=lambda o: (-(key.get(o, np.nan)) if pd.notna(key.get(o, np.nan)) else np.inf, o)
    )


#: The cells of an OPD's row of :func:`official_agreement_by_opd`: ASN with the same,
#: a higher and a lower official predikat (they add up to ``n``).
AGREEMENT_CELLS: tuple[str, ...] = ("n_sama", "n_resmi_lebih_tinggi", "n_resmi_lebih_rendah")


@renamed_keywords(kesesuaian="agreement")
def official_agreement_by_opd(
    agreement: pd.DataFrame,
    periode: str,
    min_sel: int = DEFAULTS.min_sel,
    opd: str | None = None,
    *,
    pegawai: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Agreement of the official and the computed predikat per OPD in one period, small
    cells suppressed with their complements.

    Each OPD's row describes three groups of its ASN — the official predikat the same as
    the computed one (``pct_sama`` × ``n``), higher, lower — which add up to ``n``, and,
    beside the published head-count (``pegawai``), a fourth: the ASN not compared
    (head-count − ``n``). The four are the cells of
    :func:`~kinerja_analysis.reporting.privacy.suppress_small_cells` (by OPD, the
    all-OPD row publishing each cell's total, the remainder a never-shown cell): a hidden
    count is blank, a hidden "same" blanks ``pct_sama``, a hidden remainder blanks ``n``
    and ``pct_sama``, and ``kappa`` is blank with ``n`` or "same". The all-OPD row is
    suppressed the same way against the city's head-count.

    Parameters
    ----------
    agreement
        :attr:`~kinerja_analysis.analyses.shared.SharedResults.resmi_agreement`
        (:func:`kinerja_analysis.domain.official.agreement_by_opd`).
    opd
        For an OPD's own report: only that OPD's row (and the all-OPD row).
    pegawai
        ``nip, opd`` of the document's dataset: the head-counts the rows are differenced
        against. ``None``: no head-count is published beside the table (remainders are
        not cells).

    Returns
    -------
    DataFrame
        ``opd, n, pct_sama, kappa, n_resmi_lebih_tinggi, n_resmi_lebih_rendah`` (+
        ``disembunyikan``: some figure of the row hidden), the all-OPD row last.
    """
    d = agreement[agreement["periode"] == periode].drop(columns=["periode"])
    heads = headcount(pegawai) if pegawai is not None else None
    city = d["opd"] == "Seluruh OPD"
    per_opd = _hide_agreement(d[~city], min_sel, by_opd=True, totals=heads)
    total = _hide_agreement(
        d[city],
        min_sel,
        by_opd=False,
        totals=None if heads is None else int(heads.sum()),
    )
    if opd is not None:
        per_opd = per_opd[per_opd["opd"] == opd]
    return pd.concat([per_opd, total], ignore_index=True)


def _hide_agreement(d: pd.DataFrame, min_sel: int, *, by_opd: bool, totals) -> pd.DataFrame:
    """:func:`official_agreement_by_opd`'s suppression of one block of rows."""
    cols = ["opd", "n", "pct_sama", "kappa", "n_resmi_lebih_tinggi", "n_resmi_lebih_rendah"]
    out = d[cols].reset_index(drop=True).copy()
    for c in ("n", "n_resmi_lebih_tinggi", "n_resmi_lebih_rendah"):
        out[c] = out[c].astype("Int64")
    if out.empty:
        return out.assign(disembunyikan=pd.Series(dtype=bool))
    long = d[["opd", *AGREEMENT_CELLS]].melt(id_vars="opd", var_name="sel", value_name="n")
    if totals is not None and by_opd:
        totals = totals.reindex(d["opd"].unique()).dropna()
    s = suppress_small_cells(
        long,
        "n",
        min_sel,
        by="opd" if by_opd else None,
        also_by=["sel"] if by_opd else (),
        value_cols=[],
        group_totals=totals,
    )
    flags = {
        (o, c): bool(h) for o, c, h in zip(s["opd"], s["sel"], s["disembunyikan"], strict=True)
    }
    # and, as ever, an OPD of fewer than min_sel compared ASN hides its whole row, with
    # complements over the OPDs (their n add up to the all-OPD row's)
    whole = set()
    if by_opd:
        g = suppress_small_groups(d[["opd", "n"]], "n", min_sel, value_cols=[], totals_shown=True)
        whole = set(g.loc[g["disembunyikan"], "opd"])
    sisa = s.attrs.get("sisa_disembunyikan", {})
    any_hidden = []
    for i, o in enumerate(out["opd"]):
        f = {c: flags.get((o, c), False) for c in AGREEMENT_CELLS}
        rest = bool(sisa.get(o if by_opd else None, False))
        if o in whole:
            f = dict.fromkeys(AGREEMENT_CELLS, True)
            rest = True
        for c in ("n_resmi_lebih_tinggi", "n_resmi_lebih_rendah"):
            if f[c]:
                out.loc[i, c] = pd.NA
        if rest:
            out.loc[i, "n"] = pd.NA
        if rest or f["n_sama"]:
            out.loc[i, ["pct_sama", "kappa"]] = np.nan
        any_hidden.append(rest or any(f.values()))
    out["disembunyikan"] = np.asarray(any_hidden, dtype=bool)
    return out


def status_breakdown(
    evaluasi: pd.DataFrame,
    pegawai: pd.DataFrame,
    periode: str,
    bahasa: str = "id",
    min_sel: int = DEFAULTS.min_sel,
) -> pd.DataFrame:
    """ASN and predikat by employment status (PNS, PPPK, PPPK paruh waktu) in one period.

    Parameters
    ----------
    evaluasi
        ``nip, periode, predikat`` (the shared results' evaluation).
    pegawai
        ``nip, status_kepegawaian``.

    Returns
    -------
    DataFrame
        ``status_kepegawaian`` (label in ``bahasa``), ``n_asn``, ``pct_asn``,
        ``pct_sangat_baik``, ``pct_baik``, ``pct_di_bawah_baik`` (shares of those with a
        predikat) and ``disembunyikan``; groups under ``min_sel`` are suppressed with their
        complements (the groups add up to all ASN).
    """
    peg = pegawai[["nip", "status_kepegawaian"]]
    ev = rows_where(evaluasi, evaluasi["periode"] == periode, ["nip", "predikat"])
    d = peg.merge(ev, on="nip", how="left")
    pred = d["predikat"].astype(object)
    shares = {
        "pct_sangat_baik": pred == SANGAT_BAIK,
        "pct_baik": pred == BAIK,
        "pct_di_bawah_baik": pred.isin(PREDIKAT_ORDER[: PREDIKAT_ORDER.index(BAIK)]),
    }
    # shares of those with a predikat: missing where there is none, which the mean skips
    d = d.assign(**{k: v.astype(float).where(pred.notna()) for k, v in shares.items()})
    g = d.groupby("status_kepegawaian", sort=True, observed=True)
    out = g[list(shares)].mean()
    out.insert(0, "n_asn", g.size())
    out = out.reset_index()
    out.insert(2, "pct_asn", out["n_asn"] / max(len(peg), 1))
    labels = STATUS_LABELS.get(bahasa, STATUS_LABELS["id"])
    out["status_kepegawaian"] = out["status_kepegawaian"].map(lambda s: labels.get(s, s))
    return suppress_small_groups(out, "n_asn", min_sel, totals_shown=True)


# ----------------------------------------------------------------------------- per-OPD documents

#: The measures an OPD's own document publishes as the OPD's figures, each of which the
#: city's document (or the set of all OPD documents of a batch, read together with the
#: city's total) may suppress for that OPD: ``jp`` (training hours), ``capaian`` (SKP
#: achievement), ``jp_mandiri`` (the self-funded share of JP and of trainings, with the
#: share of self-funded trainings that do not fit the job), ``perilaku`` (behaviour
#: ratings), ``predikat`` (predikat per OPD),
#: ``hvk`` (output vs competency), ``kesesuaian`` (official vs computed predikat),
#: ``status`` (ASN and predikat per employment status); and those of the training,
#: survey and data-quality documents: ``paparan`` (trainings by type and source),
#: ``kelompok_jp`` (SKP achievement by JP group), ``umpan_balik`` (the ASN with a
#: feedback session), ``umpan_balik_kualitas`` (their mean rating of the sessions),
#: ``survei`` (the survey's respondents and their answers), ``cakupan_resmi`` and
#: ``cakupan_pelatihan`` (the ASN with an official rating, and those who started a
#: training, in the period). Per-period tables add ``"<measure>:<periode>"`` for each
#: period whose row is withheld, tables of cells ``"<measure>:<cell>"`` for each cell
#: (:func:`city_suppressed_measures`, :func:`withhold_periods`, :func:`exposure_cell`,
#: :func:`jp_group_cell`).
OPD_MEASURES: tuple[str, ...] = (
    "jp",
    "jp_bawah_20",
    "jp_mandiri",
    "capaian",
    "perilaku",
    "predikat",
    "hvk",
    "kesesuaian",
    "status",
    "paparan",
    "kelompok_jp",
    "umpan_balik",
    "umpan_balik_kualitas",
    "survei",
    "cakupan_resmi",
    "cakupan_pelatihan",
)


def withhold_periods(df: pd.DataFrame, measure: str, withheld: Iterable[str]) -> pd.DataFrame:
    """Blank the rows of a per-period table (column ``periode``) that an OPD's document
    withholds (``"<measure>:<periode>"`` in ``withheld``, :func:`city_suppressed_measures`):
    every numeric column becomes missing and ``disembunyikan`` is set, as a suppressed
    row of :func:`~kinerja_analysis.reporting.privacy.suppress_small_groups` looks."""
    keys = set(withheld)
    rows = df["periode"].astype(TEXT_DTYPE).map(lambda p: f"{measure}:{p}" in keys).to_numpy(bool)
    out = df.copy()
    if "disembunyikan" not in out.columns:
        out["disembunyikan"] = False
    if rows.any():
        for c in out.columns:
            if c != "disembunyikan" and pd.api.types.is_numeric_dtype(out[c]):
                if pd.api.types.is_integer_dtype(out[c]):
                    out[c] = out[c].astype("Int64")
                out.loc[rows, c] = pd.NA
        out.loc[rows, "disembunyikan"] = True
    return out


def suppressed_opds(counts: pd.Series, min_sel: int) -> set[str]:
    """OPDs whose count (``opd`` → n) must be hidden when every OPD's figure of a measure
    is published beside the all-OPD figure: primary and complementary suppression over
    the one group of all OPDs (:func:`suppress_small_cells`)."""
    if counts.empty:
        return set()
    # rows by OPD name: ties among equal counts go by name, as in residual_hidden, so
    # every document of every period picks the same complements
    counts = counts.set_axis(counts.index.astype(TEXT_DTYPE)).sort_index()
    t = pd.DataFrame({"opd": counts.index, "n": counts.to_numpy(dtype="int64")})
    s = suppress_small_cells(t, "n", min_sel, value_cols=[], totals_shown=True)
    return set(s.loc[s["disembunyikan"], "opd"])


def residual_hidden(
    counts: pd.DataFrame, publishers: Iterable[str], min_sel: int, *, own_hidden=None
) -> set[tuple[str, object]]:
    """The (OPD, cell) figures to leave out of the OPD documents so that no city total,
    less every OPD figure the documents publish, isolates a small group.

    ``counts``: one row per OPD and cell, columns ``opd, cell, n`` (``cell`` any hashable:
    a period, a status, ``(status, "n_pred")``…; ``n`` the people the figure describes);
    the city's document publishes every cell's total over all OPDs. ``publishers``: the
    OPDs with a document that shows the cells; ``own_hidden``: (OPD, cell) pairs the OPD's
    own document hides anyway (its own suppression).

    Why this is safe by construction: for one cell, the city total minus every figure
    published for that cell is exactly the sum over the OPDs whose figure is not
    published (no document, own suppression, or left out here). The loop leaves a cell
    only when that residual is 0 (nothing to isolate) or at least ``min_sel`` people;
    while it is 1..min_sel-1, the publishing OPD with the smallest nonzero group of that
    cell is added to the residual (deterministic: ties by OPD name), which only grows it.
    Every published figure itself describes 0 or ≥ ``min_sel`` people (primary rule).

    Returns
    -------
    set
        ``{(opd, cell)}`` hidden, including primary suppression (0 < n < ``min_sel``)
        and ``own_hidden``; the non-publishers' cells are not listed.
    """
    pub = set(map(str, publishers))
    own = set(own_hidden or ())
    hidden: set[tuple[str, object]] = set()
    for cell, g in counts.groupby("cell", sort=False, observed=True):
        n = dict(zip(g["opd"].astype(TEXT_DTYPE), g["n"].astype(int), strict=True))
        shown = {o for o, k in n.items() if o in pub and (k == 0 or k >= min_sel)}
        shown -= {o for o in shown if (o, cell) in own}
        while True:
            rest = sum(k for o, k in n.items() if o not in shown)
            if rest == 0 or rest >= min_sel:
                break
            cand = sorted((k, o) for o, k in n.items() if o in shown and k > 0)
            if not cand:
                break
            shown.discard(cand[0][1])
        hidden.update((o, cell) for o in pub if n.get(o, 0) > 0 and o not in shown)
    return hidden


def city_suppressed_measures(
    ds, h: SharedResults | None, periode: str, min_sel: int = DEFAULTS.min_sel
) -> dict[str, frozenset[str]]:
    """Per OPD, the measures the city level suppresses for it in ``periode``.

    One period's documents are read together: the city's document publishes every
    measure over all OPDs and per-OPD tables with small groups hidden together with their
    complements; each OPD's own document publishes that OPD's figures. A figure the city
    level hides for an OPD (primary *or* complementary) must therefore not appear in
    that OPD's own document, else "city total − shown OPDs − that OPD" gives back the
    small group. This function is the one place that decides, so the city's tables and
    the OPD documents follow the same pattern.

    Per measure (see :data:`OPD_MEASURES`):

    - ``jp``: the rows of :func:`jp_summary` over all ASN hidden (``disembunyikan``);
      only when the 12-month window is covered by the data;
    - ``jp_bawah_20``: the rows whose share below 20 JP it hides, their mean and median
      shown (same window);
    - ``jp_mandiri``: the rows of :func:`jp_summary` whose self-funded share of JP it
      hides (same window);
    - ``capaian`` / ``perilaku``: ASN with an SKP / a behaviour rating in ``periode``
      per OPD, suppressed over all OPDs (the city's headline mean is their total);
    - ``predikat`` / ``hvk``: an OPD with any cell hidden in the city's
      :func:`predikat_by_opd` / :func:`output_vs_competency_by_opd`;
    - ``kesesuaian``: the OPD's row hidden in :func:`official_agreement_by_opd`;
    - the training, survey and data-quality documents' measures (``paparan``,
      ``kelompok_jp``, ``umpan_balik``, ``umpan_balik_kualitas``, ``survei``,
      ``cakupan_resmi``, ``cakupan_pelatihan`` and their cells or periods):
      :func:`_mark_other_documents`.

    An OPD with fewer than ``min_sel`` ASN in ``periode`` (:func:`small_opds`, the
    rule the batch gives OPD documents by) has every measure.

    Parameters
    ----------
    ds
        The dataset cut at ``periode`` (:func:`kinerja_analysis.analyses.shared.data_through`).
    h
        The shared results of the window ending with ``periode``; ``None``: the
        ``predikat``, ``hvk`` and ``kesesuaian`` measures are not checked (callers
        without them publish none of those).

    Returns
    -------
    dict
        ``{opd: frozenset(measures)}`` for every OPD of ``ds.pegawai`` (empty set: all
        publishable).
    """
    reg = ds.pegawai  # the window's register: whoever was an ASN in some period of it
    peg = _period_pegawai(ds, periode)  # this period's ASN, the head-counts' register
    opds = sorted(reg["opd"].dropna().astype(str).unique())
    hidden: dict[str, set[str]] = {o: set() for o in opds}
    small = _small_in(peg, reg, min_sel)  # small in this period (small_opds' rule)
    for o in small:
        hidden[o].update(OPD_MEASURES)

    def mark(measure: str, names: Iterable[str]) -> None:
        for o in names:
            if o in hidden:
                hidden[o].add(measure)

    tabs = ds.tables
    if "pelatihan" in tabs:
        first = first_period(tabs)
        if first is not None and jp_window_covered(periode, first):
            js = jp_summary(jp_by_asn(tabs["pelatihan"], reg, periode), min_sel)
            # an OPD whose self-funded share the city hides (its self-funded trainees, or
            # those on facilitated training, are a small group or their complement)
            mark("jp_mandiri", set(js.attrs["mandiri_disembunyikan"]) - {"Semua OPD"})
            js = js[js["opd"] != "Semua OPD"]
            mark("jp", js.loc[js["disembunyikan"], "opd"].astype(TEXT_DTYPE))
            # an OPD whose share below 20 JP the city hides (its count below, or the
            # rest, is a small group or their complement) does not state it either; its
            # mean and median JP, which the city shows, stay
            mark("jp_bawah_20", js.loc[js["pct_di_bawah_20"].isna(), "opd"].astype(TEXT_DTYPE))
    # the OPD of every row's employee, of this period and of the earlier ones (those who
    # left since have rows there); the head-counts are this period's
    who = reg.drop_duplicates("nip").set_index("nip")["opd"]
    heads = headcount(peg)
    docs = set(opds) - set(small)  # the OPDs with a document of their own
    registers: dict[str, tuple[pd.Series, set[str]]] = {}  # earlier periods, once each
    for measure, name in (("capaian", "skp"), ("perilaku", "perilaku")):
        if name in tabs:
            mark(measure, _rows_hidden(tabs[name], who, heads, periode, min_sel))
            # the earlier periods' rows as their own documents left them out: a later
            # document leaves out at least those (else the two together give them back)
            earlier = {}
            for p in sort_periods(tabs[name]["periode"].dropna().astype(str).unique()):
                if p != periode:
                    if p not in registers:
                        registers[p] = _register_at(ds, p, min_sel)
                    earlier[p] = _period_rows_hidden(tabs[name], who, p, min_sel, *registers[p])
            _mark_periods(hidden, measure, tabs[name], who, docs, periode, min_sel, earlier)
    if h is not None:
        pr = predikat_by_opd(ds, h, periode, min_sel=min_sel)
        mark("predikat", pr.loc[pr["disembunyikan"], "opd"].astype(TEXT_DTYPE).unique())
        # the previous period's distribution ("naik/turun"): each predikat a cell
        per = list(ds.periods)
        if periode in per and per.index(periode) > 0:
            prev = per[per.index(periode) - 1]
            e = rows_where(
                h.evaluasi, (h.evaluasi["periode"] == prev) & h.evaluasi["predikat"].notna()
            )
            e = e.assign(opd=who.reindex(e["nip"]).to_numpy()).dropna(subset=["opd"])
            cnt = (
                e.groupby(["opd", e["predikat"].astype(TEXT_DTYPE)], observed=True)
                .size()
                .rename("n")
            )
            cnt = cnt.reset_index().rename(columns={"predikat": "cell"})
            own = {(o, c) for o, m in hidden.items() if "predikat" in m for c in cnt["cell"]}
            for o, _ in residual_hidden(cnt, docs, min_sel, own_hidden=own):
                hidden[o].add(f"predikat:{prev}")
        hv = output_vs_competency_by_opd(ds, h, periode, min_sel=min_sel)
        hv = hv[hv["opd"] != "Seluruh OPD"]
        mark("hvk", hv.loc[hv["disembunyikan"], "opd"].astype(TEXT_DTYPE).unique())
        if h.resmi_agreement is not None:
            ks = official_agreement_by_opd(h.resmi_agreement, periode, min_sel, pegawai=peg)
            ks = ks[ks["opd"] != "Seluruh OPD"]
            mark("kesesuaian", ks.loc[ks["disembunyikan"], "opd"].astype(TEXT_DTYPE))
    ev = h.evaluasi if h is not None else None
    mark("status", _status_withheld(peg, ev, periode, docs, hidden, min_sel))
    _mark_other_documents(hidden, ds, periode, min_sel, who, docs)
    return {o: frozenset(m) for o, m in hidden.items()}


def opd_cells_hidden(counts: pd.DataFrame, heads: pd.Series, min_sel: int) -> set[tuple[str, str]]:
    """The (OPD, cell) counts of ASN to hide in the OPD documents when the city's
    document publishes every cell's count over all OPDs and each OPD's head-count is
    public: per cell, :func:`~kinerja_analysis.reporting.privacy.remainder_hidden` over
    every OPD (a count or its rest of 1..``min_sel``-1, with complements so that the
    hidden counts, and the hidden rests, of a cell together are 0 or at least
    ``min_sel``). A cell holds any subset of an OPD's ASN (a training type, a JP group…);
    the cells of one OPD need not add up to anything.

    ``counts``: ``opd, cell, n``; an OPD of ``heads`` without a row of a cell counts 0.

    >>> c = pd.DataFrame({"opd": ["A", "B", "C"], "cell": "x", "n": [3, 40, 50]})
    >>> sorted(opd_cells_hidden(c, pd.Series({"A": 20, "B": 60, "C": 70}), 5))
    [('A', 'x'), ('B', 'x')]
    """
    out: set[tuple[str, str]] = set()
    heads = heads.set_axis(heads.index.astype(TEXT_DTYPE)).sort_index()
    for cell, g in counts.groupby("cell", sort=True, observed=True):
        n = (
            g.groupby(g["opd"].astype(TEXT_DTYPE), observed=True)["n"]
            .sum()
            .reindex(heads.index, fill_value=0)
        )
        out |= {(str(o), str(cell)) for o in remainder_hidden(n, heads, min_sel)}
    return out


def _mark_other_documents(
    hidden: dict[str, set[str]],
    ds,
    periode: str,
    min_sel: int,
    who: pd.Series,
    docs: set[str],
) -> None:
    """The measures of the training, survey and data-quality documents
    (:func:`city_suppressed_measures`), added to ``hidden`` for the OPDs with a document
    (``docs``; the others have every measure already).

    * ``umpan_balik:<p>`` for every period ``p`` of the feedback table (and
      ``umpan_balik`` for ``periode``): the ASN with a session in ``p`` beside the OPD's
      head-count of ``p`` (:func:`opd_cells_hidden`); ``umpan_balik_kualitas:<p>``: the
      ASN who rated a session, over the OPDs (:func:`suppressed_opds`). Each period's
      pattern is decided on that period's rows and register alone, so every document
      that shows a period's row (that period's and every later one's) hides the same
      OPDs.
    * ``paparan:<jenis>|<sumber>`` (:func:`exposure_cell`) and ``kelompok_jp:<group>``
      (:func:`jp_group_cell`): the cells of the training document's tables, by
      :func:`opd_cells_hidden`; the whole table (``paparan``, ``kelompok_jp``) where the
      figures its rows add up to are withheld (the OPD's JP, its self-funded share, its
      SKP achievement or its share below 20 JP).
    * ``survei``: the OPD's respondents and all their answers (:func:`_survey_withheld`).
    * ``cakupan_resmi``, ``cakupan_pelatihan``: the data-quality document's counts of
      ASN with an official rating and of those who started a training in ``periode``.
    """
    tabs = ds.tables
    opds = sorted(hidden)

    def counts(d: pd.DataFrame, cell: pd.Series | str) -> pd.DataFrame:
        """ASN per OPD and cell (``opd, cell, n``) of the rows ``d``."""
        d = d.assign(opd=who.reindex(d["nip"]).to_numpy(), cell=cell).dropna(subset=["opd"])
        d = d.drop_duplicates(["opd", "cell", "nip"])
        return d.groupby(["opd", "cell"], observed=True).size().rename("n").reset_index()

    def mark(pairs: Iterable[tuple[str, str]], measure: str, *, whole: bool = False) -> None:
        for o, cell in pairs:
            if o in docs:
                hidden[o].add(measure if whole else f"{measure}:{cell}")

    def heads_at(tables: Mapping[str, pd.DataFrame], p: str) -> pd.Series:
        return headcount(pegawai_through(tables, p)).rename(index=str).reindex(opds, fill_value=0)

    heads = heads_at(tabs, periode)
    if "umpan_balik" in tabs:
        ub = tabs["umpan_balik"]
        # each period's head-count as the feedback table counts it (umpan_balik_by_period)
        both = {"pegawai": tabs["pegawai"], "umpan_balik": ub}
        for p in sort_periods(ub["periode"].dropna().astype(str).unique()):
            rows = rows_where(ub, ub["periode"] == p)
            mark(opd_cells_hidden(counts(rows, p), heads_at(both, p), min_sel), "umpan_balik")
            if "kualitas" in rows.columns:
                rated = counts(rows.loc[rows["kualitas"].notna()], p).set_index("opd")["n"]
                mark(((o, p) for o in suppressed_opds(rated, min_sel)), "umpan_balik_kualitas")
        for o in docs:
            for m in ("umpan_balik", "umpan_balik_kualitas"):
                if f"{m}:{periode}" in hidden[o]:
                    hidden[o].add(m)
    if "pelatihan" in tabs:
        pel = tabs["pelatihan"]
        w = _exposure_window(pel, periode)
        cell = [f"{j}|{s}" for j, s in zip(w["jenis"], w["sumber"], strict=True)]
        mark(opd_cells_hidden(counts(w, pd.Series(cell, index=w.index)), heads, min_sel), "paparan")
        a, b = period_bounds(periode)
        started = pel[(pel["tanggal_mulai"] >= a) & (pel["tanggal_mulai"] <= b)]
        mark(opd_cells_hidden(counts(started, ""), heads, min_sel), "cakupan_pelatihan", whole=True)
        if "skp" in tabs:
            g = _jp_groups(tabs["skp"], jp_by_asn(pel, tabs["pegawai"], periode), periode)
            mark(
                opd_cells_hidden(counts(g, g["kelompok_jp"].astype(TEXT_DTYPE)), heads, min_sel),
                "kelompok_jp",
            )
        for o in docs:
            if hidden[o] & {"jp", "jp_mandiri"}:
                hidden[o].add("paparan")
            if hidden[o] & {"jp", "jp_bawah_20", "capaian"}:
                hidden[o].add("kelompok_jp")
    if "penilaian_resmi" in tabs:
        r = tabs["penilaian_resmi"]
        rows = rows_where(r, r["periode"] == periode)
        mark(opd_cells_hidden(counts(rows, ""), heads, min_sel), "cakupan_resmi", whole=True)
    if "survei" in tabs and "survei_instrumen" in tabs:
        for o in _survey_withheld(tabs, periode, min_sel, who, heads, docs):
            hidden[o].add("survei")


def _survey_withheld(
    tabs: Mapping[str, pd.DataFrame],
    periode: str,
    min_sel: int,
    who: pd.Series,
    heads: pd.Series,
    docs: set[str],
) -> set[str]:
    """The OPDs (of ``docs``) whose survey document of ``periode`` withholds its
    respondents and every answer of theirs (the ``survei`` measure).

    Withheld: an OPD whose respondents, or the rest of its head-count ``heads``, are a
    small group, with complements over the OPDs
    (:func:`~kinerja_analysis.reporting.privacy.remainder_hidden`); an OPD whose
    acceptance score the city's tables hide (:func:`acceptance_table`: the mean of
    an OPD's item means is that score); and, until none is left, an OPD whose answers
    to an item the city's count of that item's answers less those of every OPD that
    publishes them would give back (:func:`residual_hidden`): withholding an OPD never
    lets a residual fall into 1..``min_sel``-1, since each of its published counts is 0
    or at least ``min_sel``. An item an OPD's document hides itself (fewer than
    ``min_sel`` answers) stays in the residual."""
    s = rows_where(tabs["survei"], tabs["survei"]["periode"] == periode)
    s = s.assign(opd=who.reindex(s["nip"]).to_numpy()).dropna(subset=["opd"])
    resp = s.drop_duplicates("nip").groupby("opd", observed=True).size()
    out = set(remainder_hidden(resp.reindex(heads.index, fill_value=0), heads, min_sel))
    acc = acceptance_table(
        tabs["survei"], tabs["survei_instrumen"], tabs["pegawai"], periode, min_sel
    )
    out |= set(acc.loc[acc["estimate"].isna(), "opd"].astype(TEXT_DTYPE)) & set(resp.index)
    parts = []
    for item in tabs["survei_instrumen"]["item"]:
        if item in s.columns:
            a = s.loc[pd.to_numeric(s[item], errors="coerce").notna()]
            parts.append(
                a.groupby("opd", observed=True).size().rename("n").reset_index().assign(cell=item)
            )
    if not parts:
        return out & docs
    counts = pd.concat(parts, ignore_index=True)
    n = {(str(o), c): int(k) for o, k, c in counts[["opd", "n", "cell"]].itertuples(index=False)}
    while True:
        pub = docs - out
        need = residual_hidden(counts, pub, min_sel)
        more = {o for o, c in need if o in pub and n.get((o, c), 0) >= min_sel}
        if not more:
            return out & docs
        out |= more


def _rows_hidden(
    table: pd.DataFrame, who: pd.Series, heads: pd.Series, period: str, min_sel: int
) -> set[str]:
    """OPDs whose figures of ``table``'s measure in ``period`` (its ASN with a record
    that period, per OPD) the city level hides: primary and complementary suppression
    over all OPDs, and the rest of each OPD's head-count ``heads`` (per BerAKHLAK value
    too), which its document states beside them."""
    d = rows_where(table, table["periode"] == period)
    counts = who.reindex(pd.unique(d["nip"])).dropna().value_counts()
    out = set(suppressed_opds(counts, min_sel))
    for _, part in [(None, d)] + (
        list(d.groupby("dimensi", observed=True)) if "dimensi" in d.columns else []
    ):
        c = who.reindex(pd.unique(part["nip"])).dropna().value_counts()
        out |= set(remainder_hidden(c, heads, min_sel))
    return out


def _register_at(ds, period: str, min_sel: int) -> tuple[pd.Series, set[str]]:
    """The register as cut at ``period``: each OPD's head-count, and the OPDs too small
    for a document of their own (:func:`small_opds`)."""
    register = _period_pegawai(ds, period)
    return headcount(register), set(_small_in(register, ds.pegawai, min_sel))


def _period_rows_hidden(
    table: pd.DataFrame,
    who: pd.Series,
    period: str,
    min_sel: int,
    heads: pd.Series,
    small: set[str],
) -> set[str]:
    """OPDs whose row of ``period`` the OPD documents *of that period* leave out of the
    measure's per-period table: :func:`_rows_hidden` with that period's head-counts
    ``heads``, then the residual over that period's OPDs with a document (those not in
    ``small``, :func:`residual_hidden`), as :func:`city_suppressed_measures` of that
    period decides it."""
    own = _rows_hidden(table, who, heads, period, min_sel) | small
    d = rows_where(table, table["periode"] == period).drop_duplicates("nip")
    d = d.assign(opd=who.reindex(d["nip"]).to_numpy()).dropna(subset=["opd"])
    counts = d.groupby("opd", observed=True).size().rename("n").reset_index().assign(cell=period)
    docs = set(map(str, heads.index)) - small
    hid = residual_hidden(counts, docs, min_sel, own_hidden={(o, period) for o in own})
    return {o for o, _ in hid} | own


def _mark_periods(
    hidden: dict[str, set[str]],
    measure: str,
    table: pd.DataFrame,
    who: pd.Series,
    docs: set[str],
    periode: str,
    min_sel: int,
    earlier: Mapping[str, set[str]] | None = None,
) -> None:
    """Add ``"<measure>:<period>"`` for every period of ``table`` (cut at ``periode``)
    whose row an OPD's document must leave out of a per-period table
    (:func:`residual_hidden` per period: an earlier period is differenced the same way as
    the current one); the current period's rows hidden here also withhold the measure
    itself, and an OPD whose measure is already withheld does not show the current
    period's row. ``earlier``: per earlier period, the OPDs whose row that period's own
    documents leave out (:func:`_period_rows_hidden`); this document leaves them out
    too, so that the documents of the two periods together show no row either hides."""
    d = table.drop_duplicates(["nip", "periode"])
    d = d.assign(opd=who.reindex(d["nip"]).to_numpy()).dropna(subset=["opd"])
    counts = d.groupby(["opd", "periode"], observed=True).size().rename("n").reset_index()
    counts = counts.rename(columns={"periode": "cell"})
    own = {(o, periode) for o, m in hidden.items() if measure in m}
    own |= {(o, p) for p, opds in (earlier or {}).items() for o in opds}
    for o, p in residual_hidden(counts, docs, min_sel, own_hidden=own):
        hidden[o].add(f"{measure}:{p}")
        if p == periode:
            hidden[o].add(measure)


def _status_withheld(
    peg: pd.DataFrame,
    evaluasi: pd.DataFrame | None,
    periode: str,
    docs: set[str],
    hidden: Mapping[str, set[str]],
    min_sel: int,
) -> set[str]:
    """OPDs whose document must withhold its table of ASN and predikat per status.

    The cells are, per status, the ASN (``n_asn``) and the ASN with a predikat (whose
    shares the table gives); the city's document shows their totals. An OPD publishes
    its table when its own suppression hides nothing that the city-minus-published
    residual would need (:func:`residual_hidden`), else the whole table is withheld (its
    rows add up to the OPD's head-count, so one more hidden row could be recovered); an
    OPD whose ``predikat`` is withheld withholds it too (the shares add up to it). The
    loop repeats until no OPD changes, so every residual is 0 or ≥ ``min_sel``.
    """
    d = peg.drop_duplicates("nip")[["nip", "opd", "status_kepegawaian"]].dropna()
    d = d.assign(opd=d["opd"].astype(TEXT_DTYPE), status=d["status_kepegawaian"].astype(TEXT_DTYPE))
    pred = set()
    if evaluasi is not None and len(evaluasi):
        e = rows_where(evaluasi, evaluasi["periode"] == periode)
        pred = set(e.loc[e["predikat"].notna(), "nip"])
    d["punya"] = d["nip"].isin(pred).astype(int)
    g = d.groupby(["opd", "status"], observed=True)
    counts = pd.concat(
        [
            g.size().rename("n").reset_index().assign(cell=lambda x: x["status"]),
            g["punya"].sum().rename("n").reset_index().assign(cell=lambda x: x["status"] + "|p"),
        ]
    )[["opd", "cell", "n"]]
    out = {o for o in docs if "predikat" in hidden.get(o, ())}
    while True:
        pub = docs - out
        own = set()
        for o in pub:
            x = d.loc[d["opd"] == o]
            t = x.groupby("status", observed=True).size().rename("n_asn").reset_index()
            s = suppress_small_cells(t, "n_asn", min_sel, value_cols=[], totals_shown=True)
            for st in s.loc[s["disembunyikan"], "status"]:
                own.update({(o, st), (o, st + "|p")})
        need = residual_hidden(counts, pub, min_sel, own_hidden=own)
        extra = {o for o, c in need if (o, c) not in own}
        if not extra:
            return out
        out |= extra


def small_opds(ds, periode: str, min_sel: int = DEFAULTS.min_sel) -> dict[str, int]:
    """OPDs with fewer than ``min_sel`` ASN in ``periode`` (``{opd: n_asn}``): they get no
    document of their own for that period, since every figure in it would describe fewer
    than ``min_sel`` people, and the city's tables of the period hide every measure of
    them (:func:`city_suppressed_measures`). The one rule for both, so the batch's plan
    and the city's pattern agree.

    An OPD's ASN in ``periode`` are the employees of the register as cut at the period
    (:func:`~kinerja_analysis.analyses.shared.pegawai_through`: hired by its end and not
    gone before it began, or named by a row that says otherwise) whose ``opd`` is that
    OPD — the register every document of the period counts, so ``n_asn`` is the
    head-count the OPD's own document of that period would publish (:func:`headcount`
    of ``pegawai_through(data_through(ds, periode).tables, periode)``). Eligibility is
    therefore decided per period: an OPD formed partway through the data (its ASN hired
    later) is small in the early periods and not in the later ones, and one whose ASN
    retire or move out (``tmt_keluar``) may become small in the later ones. Every OPD of
    ``ds.pegawai`` is judged, so an OPD none of whose ASN was employed in the period is
    listed with 0.

    The register holds one row per employee with the OPD of the export (data contract):
    those who moved between OPDs of the agency are counted in their new OPD in every
    period. A new export after a reorganisation can make an OPD small in periods in
    which an earlier batch gave it a document; the batch then withdraws that document.

    Parameters
    ----------
    ds
        A :class:`~kinerja_analysis.Dataset` (or its ``tables``, a mapping holding
        ``pegawai``): the whole dataset, or one cut at ``periode`` or later
        (:func:`~kinerja_analysis.analyses.shared.data_through`); only rows up to the
        period's end count.
    periode
        A period code (:mod:`kinerja_analysis.core.periods`).
    min_sel
        The smallest group a document shows (≥ 1).

    Returns
    -------
    dict
        ``{opd: n_asn}`` of the small OPDs, by OPD name.

    Raises
    ------
    TypeError
        ``ds`` is a register (a DataFrame): a whole register's count is not a period's.
    PeriodError
        ``periode`` is not a period code.

    Examples
    --------
    >>> peg = pd.DataFrame({"nip": list("abcdefg"), "opd": ["A"] * 5 + ["B"] * 2,
    ...     "tmt_cpns": pd.to_datetime(["2020-01-01"] * 6 + ["2024-05-01"])})
    >>> small_opds({"pegawai": peg}, "2024Q1", 5), small_opds({"pegawai": peg}, "2024Q2", 2)
    ({'B': 1}, {})
    """
    if isinstance(ds, pd.DataFrame):
        raise TypeError(
            "small_opds(ds, periode, min_sel) takes the dataset (or its tables) and the "
            "period: an OPD is small per period, in the register cut at that period"
        )
    tables = ds.tables if hasattr(ds, "tables") else ds
    return _small_in(pegawai_through(tables, periode), tables["pegawai"], min_sel)


def _small_in(register: pd.DataFrame, pegawai: pd.DataFrame, min_sel: int) -> dict[str, int]:
    """:func:`small_opds` from the period's register (``register``, cut from
    ``pegawai``): every OPD of ``pegawai`` with fewer than ``min_sel`` ASN in it."""
    n = headcount(register)
    every = pd.unique(pegawai["opd"].dropna().astype(str))
    n = n.rename(index=str).reindex(every, fill_value=0).sort_index()
    return {str(o): int(v) for o, v in n[n < min_sel].items()}
