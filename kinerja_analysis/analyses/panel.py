"""The employee × period panel that the effect estimates run on.

:func:`build_panel` joins, per employee and evaluation period, the outcomes (SKP
capaian, rater-adjusted BerAKHLAK score, a standardised composite, capaian on
service-type indicators), the treatments (period of first training, its type, source and
relevance; feedback sessions, their quality, lagged) and the covariates (golongan,
jenis jabatan, tenure, age, OPD, gender).

Relevance of a training (DESIGN.md §4, issue 4): a training is *relevan* when its
``kompetensi_sasaran`` is the employee's weakest BerAKHLAK dimension measured *before*
the training (rater-adjusted scores of the periods before it, averaged); *lain* when it
targets another BerAKHLAK dimension; *tidak_sesuai* when it targets a competency outside
the BerAKHLAK framework of the job; *tidak_diketahui* when no rating before the
training exists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kinerja_analysis.analyses.notes import Note
from kinerja_analysis.core.compat import TEXT_DTYPE
from kinerja_analysis.core.deprecation import renamed_keywords
from kinerja_analysis.core.keys import text_codes
from kinerja_analysis.core.periods import period_bounds, period_index, period_kind, period_of
from kinerja_analysis.data.contract import BERAKHLAK, GOLONGAN_RANK, ROW_LEVEL_TABLES, TABLES
from kinerja_analysis.domain.official import evaluation_by_period, official_evaluation
from kinerja_analysis.domain.perilaku import perilaku_kerja
from kinerja_analysis.domain.predikat import evaluate_period
from kinerja_analysis.domain.skp import hasil_kerja

RELEVANSI = ("relevan", "lain", "tidak_sesuai", "tidak_diketahui")


@dataclass(frozen=True)
class PanelData:
    """The panel and what went into it.

    Attributes
    ----------
    data
        One row per employee × period (every employee of ``pegawai`` in every period).
    periods
        The evaluation periods, sorted.
    notes
        What was excluded or could not be computed
        (:class:`~kinerja_analysis.analyses.notes.Note`: a key and its numbers).
    """

    data: pd.DataFrame
    periods: tuple[str, ...]
    notes: tuple[Note, ...] = ()

    def tidy(self) -> pd.DataFrame:
        return self.data


def first_training(
    pelatihan: pd.DataFrame,
    periods: Sequence[str],
    weakest_before: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """First training of each employee within (or before) the evaluation window.

    Returns
    -------
    DataFrame
        ``nip, g_periode`` (period of the first training; ``"<sebelum>"`` when it started
        before the first period), ``g`` (its index 1..T; 0 for before the window),
        ``jenis_pertama``, ``sumber_pertama``, ``sasaran_pertama``, ``relevansi``,
        ``komunikasi`` (the first training is a communication/service training),
        ``g_komunikasi`` (index of the first communication training, NaN if none).
    """
    if pelatihan.empty:
        return pd.DataFrame(columns=["nip", "g_periode", "g"])
    out = _first_training_rows(pelatihan, periods)
    out.insert(out.columns.get_loc("g_komunikasi"), "relevansi", _relevance(out, weakest_before))
    return out.reset_index()


def _first_training_rows(pelatihan: pd.DataFrame, periods: Sequence[str]) -> pd.DataFrame:
    """:func:`first_training` without ``relevansi``, indexed by nip."""
    kind = period_kind(periods)
    idx = period_index(periods)
    p = pelatihan.sort_values(["nip", "tanggal_mulai", "id_pelatihan"]).copy()
    p["periode_latihan"] = period_of(p["tanggal_mulai"], kind)
    p["komunikasi"] = _is_communication(p)
    first = p.groupby("nip", sort=True, observed=True).head(1).set_index("nip")
    before = first["periode_latihan"] < min(periods)
    after = first["periode_latihan"] > max(periods)
    out = pd.DataFrame(index=first.index)
    out["g_periode"] = first["periode_latihan"].where(~before, "<sebelum>").where(~after, pd.NA)
    out["g"] = first["periode_latihan"].map(idx).astype("Float64")
    out.loc[before, "g"] = 0
    out["jenis_pertama"] = first["jenis"]
    out["sumber_pertama"] = first["sumber"]
    out["sasaran_pertama"] = first["kompetensi_sasaran"]
    out["komunikasi"] = first["komunikasi"]
    out.loc[after, ["g_periode", "jenis_pertama", "sumber_pertama", "sasaran_pertama"]] = pd.NA
    first_komm = p[p["komunikasi"]].groupby("nip", observed=True)["periode_latihan"].min()
    komm = first_komm.map(idx).astype("Float64")
    komm[first_komm < min(periods)] = 0  # before the window: always treated
    out["g_komunikasi"] = komm.reindex(out.index).astype("Float64")
    return out


def _is_communication(p: pd.DataFrame, kata_kunci: tuple[str, ...] = ("komunikasi",)) -> pd.Series:
    """A communication training: its name contains one of ``kata_kunci``.

    The target competency alone is not enough: many service-orientation webinars target
    ``berorientasi_pelayanan`` without training communication.
    """
    name = p["nama_pelatihan"].astype("string[pyarrow]").str.lower()
    hit = pd.Series(False, index=p.index)
    for word in kata_kunci:
        hit |= name.str.contains(word.lower(), regex=False).fillna(False).astype(bool)
    return hit


def _relevance(first: pd.DataFrame, weakest_before: pd.DataFrame | None) -> pd.Series:
    target = first["sasaran_pertama"].astype("string[pyarrow]")
    in_framework = target.isin(BERAKHLAK).fillna(False)
    rel = pd.Series(np.where(in_framework, "lain", "tidak_sesuai"), index=first.index)
    if weakest_before is None or weakest_before.empty:
        rel[in_framework] = "tidak_diketahui"
    else:
        weakest = weakest_before.set_index("nip")["dimensi_terlemah"].reindex(first.index)
        rel[in_framework & (target == weakest).fillna(False)] = "relevan"
        rel[in_framework & weakest.isna()] = "tidak_diketahui"
    rel[first["sasaran_pertama"].isna()] = pd.NA
    return rel


def weakest_dimension_before(
    skor_dimensi: pd.DataFrame, g_periode: pd.Series, periods: Sequence[str]
) -> pd.DataFrame:
    """Each employee's weakest BerAKHLAK dimension in the periods before ``g_periode``.

    ``skor_dimensi`` is :func:`kinerja_analysis.domain.perilaku.perilaku_kerja` output (``nip,
    periode, dimensi, skor``); ``g_periode`` is indexed by nip.

    Returns
    -------
    DataFrame
        ``nip, dimensi_terlemah``: one row per employee of ``g_periode`` with a score
        before it, sorted by nip; the dimension with the lowest mean ``skor`` over those
        periods (ties: the first dimension in text order; a dimension without a score
        comes last).

    Notes
    -----
    On integer codes of the keys (:func:`~kinerja_analysis.core.keys.text_codes`): the
    period test is made once per employee and period, not per row, and the means are
    pandas' (the same sums in the same order) over one integer key; this replaces a
    join of the scores (5.6 million rows at 100,000 ASN) with the employees and a
    group-by on text (``_weakest_dimension_before_join``, the same frame; tested).
    """
    d = skor_dimensi
    if not g_periode.index.is_unique:
        return _weakest_dimension_before_join(skor_dimensi, g_periode, periods)
    nip, nip_values, _ = text_codes(d["nip"])
    per, _, per_text = text_codes(d["periode"])
    dim, _, _ = text_codes(d["dimensi"])
    # each employee's first-training period, looked up once per distinct nip
    at = pd.Index(np.asarray(g_periode.index, dtype=object)).get_indexer(
        np.asarray(nip_values, dtype=object)
    )
    g_of = np.full(len(nip_values), "<sebelum>", dtype=object)  # not in g_periode: no row
    found = at >= 0
    g = g_periode.astype(object).to_numpy()[at[found]]
    g_of[found] = np.where(pd.isna(g), max(periods) + "~", g)  # missing: after the window
    before = np.zeros((len(nip_values), max(len(per_text), 1)), dtype=bool)
    for p, text in enumerate(per_text):
        before[:, p] = (g_of != "<sebelum>") & (np.asarray(text, dtype=object) < g_of)
    keep = (nip >= 0) & (per >= 0) & (dim >= 0)
    keep[keep] = before[nip[keep], per[keep]]
    rows = np.flatnonzero(keep)
    if len(rows) == 0:
        return _weakest_dimension_before_join(skor_dimensi, g_periode, periods)
    n_dim = int(dim.max()) + 1
    key = nip[rows] * n_dim + dim[rows]
    skor = pd.to_numeric(d["skor"].iloc[rows], errors="coerce").to_numpy(float, na_value=np.nan)
    means = pd.Series(skor).groupby(key, sort=True).mean()  # pandas' sums, row order
    group = means.index.to_numpy()
    # per employee the lowest mean, ties by dimension, a missing mean last
    order = np.lexsort((group % n_dim, means.to_numpy(), group // n_dim))
    of_nip = (group // n_dim)[order]
    first = order[np.r_[True, of_nip[1:] != of_nip[:-1]]]
    # a row of each group (any: they share the key values), for the values in the
    # input's dtype
    row_of_group = np.empty(len(group), dtype=np.int64)
    row_of_group[np.searchsorted(group, key)] = rows
    row_of = row_of_group[first]
    # text as pandas 3 infers it from the values, on pandas 2 too
    return pd.DataFrame(
        {
            "nip": d["nip"].iloc[row_of].to_numpy(),
            "dimensi_terlemah": d["dimensi"].iloc[row_of].to_numpy(),
        },
        index=pd.Index(first, dtype=np.int64),
    ).astype(TEXT_DTYPE)


def _weakest_dimension_before_join(
    skor_dimensi: pd.DataFrame, g_periode: pd.Series, periods: Sequence[str]
) -> pd.DataFrame:
    """:func:`weakest_dimension_before` by a join and a group-by on the key values."""
    s = skor_dimensi[["nip", "periode", "dimensi", "skor"]].merge(
        g_periode.rename("g_periode").reset_index(), on="nip", how="inner"
    )
    g = s["g_periode"].fillna(max(periods) + "~")
    s = s[(g != "<sebelum>") & (s["periode"] < g)]
    means = s.groupby(["nip", "dimensi"], observed=True)["skor"].mean().reset_index()
    means = means.sort_values(["nip", "skor", "dimensi"])
    return (
        means.groupby("nip", observed=True)
        .head(1)
        .rename(columns={"dimensi": "dimensi_terlemah"})[["nip", "dimensi_terlemah"]]
    )


@renamed_keywords(baik="good_min", buruk="poor_max")
def feedback_per_period(
    umpan_balik: pd.DataFrame, *, good_min: float = 4, poor_max: float = 2
) -> pd.DataFrame:
    """Feedback sessions per employee × period.

    Returns ``nip, periode, n_umpan_balik, n_baik`` (kualitas ≥ ``good_min``), ``n_buruk``
    (kualitas ≤ ``poor_max``), ``n_netral``, ``n_tanpa_kualitas``, ``kualitas_rata``.
    """
    u = umpan_balik
    q = u["kualitas"] if "kualitas" in u else pd.Series(np.nan, index=u.index)
    frame = pd.DataFrame(
        {
            "nip": u["nip"],
            "periode": u["periode"],
            "n_umpan_balik": 1,
            "n_baik": (q >= good_min).astype(int),
            "n_buruk": (q <= poor_max).astype(int),
            "n_netral": ((q > poor_max) & (q < good_min)).astype(int),
            "n_tanpa_kualitas": q.isna().astype(int),
            "kualitas": q,
        }
    )
    g = frame.groupby(["nip", "periode"], sort=True, observed=True)
    out = g[["n_umpan_balik", "n_baik", "n_buruk", "n_netral", "n_tanpa_kualitas"]].sum()
    out["kualitas_rata"] = g["kualitas"].mean()
    return out.reset_index()


def jp_per_year(
    pelatihan: pd.DataFrame, pegawai: pd.DataFrame, years: Sequence[int]
) -> pd.DataFrame:
    """JP of competency development per employee and calendar year (by ``tanggal_mulai``).

    Every employee appears for every year (0 JP when no training), so the share below the
    20 JP right (PP 11/2017 art. 203(4)) is computed over all ASN, not only the trained.

    Returns ``nip, opd, tahun, jp, jp_difasilitasi, jp_mandiri, di_bawah_20``.
    """
    p = pelatihan.assign(tahun=pd.to_datetime(pelatihan["tanggal_mulai"]).dt.year)
    p = p[p["tahun"].isin(list(years))]
    jp = p.pivot_table(
        index=["nip", "tahun"],
        columns="sumber",
        values="jp",
        aggfunc="sum",
        fill_value=0,
        observed=True,
    )
    grid = pd.MultiIndex.from_product([pegawai["nip"], list(years)], names=["nip", "tahun"])
    jp = jp.reindex(grid, fill_value=0)
    out = pd.DataFrame(index=grid)
    out["jp_difasilitasi"] = jp.get("difasilitasi", 0.0)
    out["jp_mandiri"] = jp.get("mandiri", 0.0)
    out["jp"] = out["jp_difasilitasi"] + out["jp_mandiri"]
    out["di_bawah_20"] = out["jp"] < 20
    out = out.reset_index().merge(pegawai[["nip", "opd"]], on="nip", how="left")
    return out[["nip", "opd", "tahun", "jp", "jp_difasilitasi", "jp_mandiri", "di_bawah_20"]]


def shift_by_period(
    panel: pd.DataFrame, cols: Sequence[str], k: int, *, unit: str = "nip", t: str = "t"
) -> pd.DataFrame:
    """Each unit's values of ``cols`` at period ``t + k`` (a lead for ``k > 0``, a lag for
    ``k < 0``), aligned with ``panel``'s rows; missing where that period has no row.

    ``t`` must be the calendar position of the period (consecutive periods differ by 1),
    so a gap in the data gives a missing value, not the nearest observed period.

    >>> p = pd.DataFrame({"nip": ["a", "a", "a"], "t": [1, 2, 4], "x": [10.0, 20.0, 40.0]})
    >>> shift_by_period(p, ["x"], 1)["x"].tolist()
    [20.0, nan, nan]
    """
    src = panel[[unit, t, *cols]].assign(**{t: panel[t] - k})
    if src.duplicated([unit, t]).any():
        raise ValueError(f"panel has duplicate ({unit}, {t}) rows")
    key = panel[[unit, t]]
    return key.merge(src, on=[unit, t], how="left")[list(cols)].set_index(panel.index)


def _golongan_num(g: pd.Series) -> pd.Series:
    """Grade as its rank 1–17, PNS (I/a … IV/e) and PPPK (I … XVII) alike."""
    return g.map(GOLONGAN_RANK).astype("Float64")


def _covariates(pegawai: pd.DataFrame, periods: Sequence[str]) -> pd.DataFrame:

    grid = pd.MultiIndex.from_product([pegawai["nip"], sorted(periods)], names=["nip", "periode"])
    base = pegawai.set_index("nip")[
        ["opd", "jenis_jabatan", "golongan", "jenis_kelamin", "tanggal_lahir", "tmt_cpns"]
    ]
    out = pd.DataFrame(index=grid).join(base, on="nip").reset_index()
    start = out["periode"].map({p: period_bounds(p)[0] for p in periods})
    out["masa_kerja"] = (start - out["tmt_cpns"]).dt.days / 365.25
    out["usia"] = (start - out["tanggal_lahir"]).dt.days / 365.25
    out["golongan_num"] = _golongan_num(out["golongan"])
    out["perempuan"] = (out["jenis_kelamin"] == "P").astype(int)
    out["t"] = out["periode"].map(period_index(periods))
    return out.drop(columns=["tanggal_lahir", "tmt_cpns"])


def _left_before(panel: pd.DataFrame, pegawai: pd.DataFrame) -> np.ndarray:
    """Rows of ``panel`` whose period began on or after the employee's ``tmt_keluar``
    (the first day they are no longer an ASN of the agency; optional column)."""
    if "tmt_keluar" not in pegawai.columns:
        return np.zeros(len(panel), dtype=bool)
    gone = pegawai.drop_duplicates("nip").set_index("nip")["tmt_keluar"]
    gone = pd.to_datetime(panel["nip"].map(gone))
    per = panel["periode"].astype(TEXT_DTYPE)
    start = per.map({p: period_bounds(p)[0] for p in per.unique()})
    return (start >= gone).fillna(False).to_numpy(bool)


def _zscore(x: pd.Series) -> pd.Series:
    sd = x.std()
    return (x - x.mean()) / sd if sd and np.isfinite(sd) else x * np.nan


def build_panel(
    tables: dict[str, pd.DataFrame],
    periods: Sequence[str],
    *,
    evaluasi: pd.DataFrame | None = None,
    skor_dimensi: pd.DataFrame | None = None,
) -> PanelData:
    """Build the employee × period panel.

    Parameters
    ----------
    tables
        Canonical tables (``Dataset.tables``): ``pegawai``, ``skp``, ``perilaku`` and,
        when present, ``pelatihan``, ``umpan_balik``, ``survei``.
    periods
        Evaluation periods (``Dataset.periods``).
    evaluasi, skor_dimensi
        Precomputed :func:`kinerja_analysis.domain.predikat.evaluate_period` and
        :func:`kinerja_analysis.domain.perilaku.perilaku_kerja` results (computed here if not given).

    Returns
    -------
    PanelData
        ``data`` columns: ``nip, periode, t, opd, jenis_jabatan, golongan, golongan_num,
        jenis_kelamin, perempuan, masa_kerja, usia`` (covariates); ``capaian,
        skor_perilaku, komposit`` (mean of the z-scores of capaian and skor_perilaku over
        all employee-periods), ``capaian_layanan``, ``predikat``, ``rating_hasil``,
        ``rating_perilaku`` (outcomes); ``g, g_periode, jenis_pertama, sumber_pertama,
        relevansi, komunikasi, g_komunikasi, pasca_latih`` (training); ``n_umpan_balik,
        n_baik, n_buruk, n_netral, kualitas_rata`` and their ``_lag1`` versions (feedback;
        the counts are 0 for an employee without a session in a period the
        ``umpan_balik`` table covers, missing before its first period: not recorded, and
        in a period that began after the employee left, ``tmt_keluar``: not an ASN then).
    """

    periods = tuple(sorted(periods))
    notes: list[Note] = []
    pegawai = tables["pegawai"]
    panel = _covariates(pegawai, periods)
    if skor_dimensi is None:
        skor_dimensi = perilaku_kerja(tables["perilaku"])
    if evaluasi is None:
        evaluasi = evaluate_period(tables["skp"], tables["perilaku"], skor_dimensi=skor_dimensi)
    ev_cols = [
        c
        for c in ("capaian", "skor_perilaku", "predikat", "rating_hasil", "rating_perilaku")
        if c in evaluasi
    ]
    panel = panel.merge(evaluasi[["nip", "periode", *ev_cols]], on=["nip", "periode"], how="left")
    panel["komposit"] = (_zscore(panel["capaian"]) + _zscore(panel["skor_perilaku"])) / 2
    panel = panel.merge(_service_capaian(tables["skp"]), on=["nip", "periode"], how="left")

    if "pelatihan" in tables and len(tables["pelatihan"]):
        ft = _first_training_rows(tables["pelatihan"], periods)
        weakest = weakest_dimension_before(skor_dimensi, ft["g_periode"], periods)
        ft.insert(ft.columns.get_loc("g_komunikasi"), "relevansi", _relevance(ft, weakest))
        ft = ft.reset_index()
        panel = panel.merge(ft, on="nip", how="left")
        # those trained before the window are counted where the estimate leaves them out
        # (the training analysis's note ``dilatih_sebelum_jendela``)
    else:
        if "pelatihan" not in tables:
            notes.append(Note("tabel_tidak_ada", {"tabel": "pelatihan", "analisis": "pelatihan"}))
        # a table without a training up to the window's end: the shared results' reason
        # ``not_estimated["pelatihan"] = "no_training"`` says it
        panel["g"] = np.nan
    panel["g"] = panel["g"].astype("Float64")
    panel["pasca_latih"] = ((panel["g"] > 0) & (panel["t"] >= panel["g"])).fillna(False).astype(int)

    fb_cols = ["n_umpan_balik", "n_baik", "n_buruk", "n_netral", "kualitas_rata"]
    if "umpan_balik" in tables:
        fb = feedback_per_period(tables["umpan_balik"])
        panel = panel.merge(
            fb.drop(columns=["n_tanpa_kualitas"]), on=["nip", "periode"], how="left"
        )
        counts = ["n_umpan_balik", "n_baik", "n_buruk", "n_netral"]
        # no row of an employee in a period the table covers: no session (0); a period
        # before the table's first one is not recorded (missing), not "no session"
        have = set(tables["umpan_balik"]["periode"].dropna().astype(str).unique())
        first = next((i for i, p in enumerate(periods) if p in have), len(periods))
        # nor a period that began after the employee left (tmt_keluar): not an ASN then
        recorded = panel["periode"].astype(TEXT_DTYPE).isin(periods[first:]).to_numpy()
        recorded = recorded & ~_left_before(panel, pegawai)
        panel.loc[recorded, counts] = panel.loc[recorded, counts].fillna(0)
        panel = panel.sort_values(["nip", "t"], ignore_index=True)
        lagged = shift_by_period(panel, fb_cols, -1)  # t - 1 on the calendar, not the row above
        for c in fb_cols:
            panel[f"{c}_lag1"] = lagged[c]
    else:
        notes.append(Note("tabel_tidak_ada", {"tabel": "umpan_balik", "analisis": "umpan_balik"}))
    panel = panel.sort_values(["nip", "t"], ignore_index=True)
    return PanelData(panel, periods, tuple(notes))


@renamed_keywords(sumber_predikat="predikat_source")
@dataclass(frozen=True)
class EmployeeFrames:
    """Everything computed per employee from the row-level tables.

    The estimators of the study read these frames only, never the ratings or SKP rows:
    this is the boundary at which a dataset too large for one machine moves to a
    distributed engine (``docs/scaling.md``).

    Attributes
    ----------
    evaluasi
        One row per employee x period: :func:`kinerja_analysis.domain.predikat.evaluate_period`.
    skor_dimensi
        One row per employee x period x BerAKHLAK dimension:
        :func:`kinerja_analysis.domain.perilaku.perilaku_kerja`.
    panel
        One row per employee x period: :func:`build_panel`'s ``data``.
    notes
        What was excluded or could not be computed
        (:class:`~kinerja_analysis.analyses.notes.Note`).
    resmi
        The official e-Kinerja results (``penilaian_resmi``) per employee x period:
        :func:`kinerja_analysis.domain.official.official_evaluation`; None without them.
    predikat_source
        Where ``evaluasi``'s predikat come from: ``"angka"`` (SKP and 360° numbers),
        ``"resmi"`` (official results only) or ``"resmi_skp"`` (official predikat with
        numeric SKP capaian). The old name ``sumber_predikat`` still works for one
        release (constructor keyword and attribute read, with a ``DeprecationWarning``);
        the shared results' ``parameter`` keeps the key ``sumber_predikat``. The source
        of the last period; each period's own is in ``predikat_sources``.
    predikat_sources
        ``{periode: source}`` for every period
        (:func:`kinerja_analysis.domain.official.evaluation_by_period`): a period without
        360° numbers takes the official predikat, the others are computed.
    """

    evaluasi: pd.DataFrame
    skor_dimensi: pd.DataFrame
    panel: pd.DataFrame
    notes: tuple[Note, ...] = ()
    resmi: pd.DataFrame | None = None
    predikat_source: str = "angka"
    predikat_sources: Mapping[str, str] = field(default_factory=dict)


def aggregate_per_employee(
    tables: Mapping[str, pd.DataFrame], periods: Sequence[str]
) -> EmployeeFrames:
    """Scores and panel of every employee: the per-employee aggregation of a dataset.

    Parameters
    ----------
    tables
        Canonical tables (``Dataset.tables``): ``pegawai``, ``skp``, ``perilaku`` and,
        when present, ``penilaian_resmi``, ``pelatihan``, ``umpan_balik``. Without
        ``skp`` or ``perilaku`` rows for the last period of ``periods`` the predikat
        come from ``penilaian_resmi`` (an agency with only official e-Kinerja results,
        or a window ending before a numeric table starts); with ``skp`` rows there,
        the official predikat go with the numeric capaian (``"resmi_skp"``).
    periods
        Evaluation periods (``Dataset.periods``).

    Returns
    -------
    EmployeeFrames
        ``evaluasi``, ``skor_dimensi``, ``panel`` and notes.

    Notes
    -----
    The seam between the row-level data (millions of SKP rows and 360° ratings) and the
    estimators (which need one row per employee x period). Everything here is a
    group-by over employee, period (and dimension or indicator) — plus the 360° rater
    model, whose normal equations are sums over ratee cells and raters — so a Dask or
    Spark implementation with this signature and the same output frames can replace it
    when the data outgrow one machine (``docs/scaling.md``); the estimators downstream
    do not change. The 360° rater model is fitted once and shared by ``evaluasi`` and
    ``skor_dimensi``.

    >>> from kinerja_analysis.data.synth import generate
    >>> res = generate(n_pegawai=120, seed=3)
    >>> frames = aggregate_per_employee(res.tables, sorted(res.tables["skp"]["periode"].unique()))
    >>> len(frames.panel) == 120 * 8
    True
    """
    skp, perilaku = _table(tables, "skp"), _table(tables, "perilaku")
    pr = tables.get("penilaian_resmi")
    resmi = official_evaluation(decode_small_tables({"r": pr})["r"]) if pr is not None else None
    notes: list[Note] = []
    skor_dimensi = perilaku_kerja(perilaku)
    # the predikat of each period come from the numbers where that period has them, and
    # from the official e-Kinerja results where only those exist (evaluation_by_period)
    computed = (
        evaluate_period(skp, perilaku, skor_dimensi=skor_dimensi)
        if ("skp" in tables and len(skp)) or resmi is None
        else None
    )
    evaluasi, by_period = evaluation_by_period(computed, resmi)
    official = [p for p, s in by_period.items() if s != "angka"]
    sumber = by_period.get(sorted(periods)[-1], "angka") if periods else "angka"
    if official:
        without_skp = [p for p in official if by_period[p] == "resmi"]
        notes.append(Note("predikat_resmi", {"periode": official}))
        if without_skp:
            notes.append(Note("skp_tidak_ada", {"periode": without_skp}))
    small = decode_small_tables({**tables, "skp": skp, "perilaku": perilaku})
    pdata = build_panel(small, periods, evaluasi=evaluasi, skor_dimensi=skor_dimensi)
    notes.extend(pdata.notes)
    return EmployeeFrames(
        evaluasi, skor_dimensi, pdata.data, tuple(notes), resmi, sumber, by_period
    )


def _table(tables: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame:
    """A table of the dataset, or an empty one with the contract's columns (optional
    numeric tables: an agency with only official e-Kinerja results has neither)."""
    if name in tables:
        return tables[name]
    kinds = {"float": "float64", "int": "int64", "date": "datetime64[us]", "bool": "boolean"}
    return pd.DataFrame(
        {
            c.name: pd.Series(dtype=kinds.get(c.kind, "string[pyarrow]"))
            for c in TABLES[name].columns
        }
    )


def decode_small_tables(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """``tables`` with the categorical columns of every table but the row-level ones
    decoded to their values.

    A loader may keep identifier columns dictionary-encoded (pandas categorical): for the
    ratings of a province that is the difference between 0.5 GB and 2.7 GB. The scores
    read those tables through integer codes and return keys as values; the smaller
    tables (employees, trainings, feedback, services, survey) are decoded here, so that
    joins and period comparisons see one dtype.
    """
    out = dict(tables)
    for name, df in tables.items():
        cats = [c for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)]
        if name not in ROW_LEVEL_TABLES and cats:
            out[name] = df.assign(**{c: df[c].astype(df[c].cat.categories.dtype) for c in cats})
    return out


def _service_capaian(skp: pd.DataFrame) -> pd.DataFrame:

    if "indikator_layanan" not in skp or not skp["indikator_layanan"].fillna(False).any():
        return pd.DataFrame(columns=["nip", "periode", "capaian_layanan"])
    svc = skp[skp["indikator_layanan"].fillna(False).astype(bool)]
    h = hasil_kerja(svc)
    return h[["nip", "periode", "capaian"]].rename(columns={"capaian": "capaian_layanan"})
