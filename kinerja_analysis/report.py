"""Helpers the report notebooks call: loading, aggregate tables, small-cell suppression.

The notebooks in ``notebooks/`` stay thin (no ``def``); what they compute lives here.
Every table function takes DataFrames and returns a new aggregate DataFrame — never
employee-level rows — so whatever a notebook shows to stakeholders is safe to publish.
Groups with fewer than ``min_sel`` employees are suppressed (values set to missing,
printed as "–").

Tables a notebook wants in the XLSX workbook are registered with :func:`simpan_tabel`;
the batch (:mod:`kinerja_analysis.batch`) collects them with :func:`baca_tabel`.

These are descriptive summaries; the estimators (effects, reliability, survey models)
are in their own modules and are swapped into the notebooks as they land.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from . import fmt
from .contract import BERAKHLAK

__all__ = [
    "JP_MINIMUM",
    "muat_data",
    "dir_bersama",
    "tabel_data",
    "cek_periode",
    "simpan_tabel",
    "baca_tabel",
    "sembunyikan_kecil",
    "tabel",
    "gaya_grafik",
    "ringkasan_validasi",
    "masalah_per_aturan",
    "kelengkapan_periode",
    "pegawai_per_opd",
    "capaian_per_asn",
    "capaian_per_periode",
    "perilaku_per_dimensi",
    "ikm_per_opd",
    "jp_per_asn",
    "ringkasan_jp",
    "paparan_pelatihan",
    "umpan_balik_per_periode",
    "capaian_menurut_pelatihan",
    "survei_butir",
    "survei_konstruk",
    "angka_utama",
    "ringkasan_lintas_periode",
    "label_indikator",
    "nilai_indikator",
    "angka_utama_tampil",
    "Konteks",
    "konteks",
]

#: Minimum competency development per ASN per year, in JP (PP 11/2017 art. 203(4)).
JP_MINIMUM = 20.0
_TABEL_DIR = "tabel"
_NAMA_RE = re.compile(r"^[a-z0-9_]{1,40}$")


# ----------------------------------------------------------------------------- data


def muat_data(data_dir: str | os.PathLike, cache_dir: str | os.PathLike | None = None):
    """The validated dataset: from the batch's cache if there is one, else validated now.

    Parameters
    ----------
    data_dir
        The raw dataset folder (``load_dataset``).
    cache_dir
        The cache written by the batch (``Dataset.save_cache``); used when it holds a
        ``meta.json``.

    Returns
    -------
    Dataset
    """
    from .loading import Dataset, load_dataset

    if cache_dir is not None and (Path(cache_dir) / "meta.json").exists():
        return Dataset.load_cache(cache_dir)
    return load_dataset(data_dir)


def dir_bersama(cache_dir: str | os.PathLike | None) -> Path | None:
    """The batch's shared folder for cross-period models (``<cache>/../shared``), if any.

    Hook for heavy models estimated once per batch (effects across all periods): the
    batch creates it beside the data cache; notebooks read their results from it.
    """
    if cache_dir is None:
        return None
    p = Path(cache_dir).parent / "shared"
    return p if p.is_dir() else None


def tabel_data(ds, opd: str | None = None) -> dict[str, pd.DataFrame]:
    """The dataset's tables, restricted to one OPD when ``opd`` is given.

    Employee tables keep the employees of that OPD; ``layanan``/``penerapan`` its rows.

    Raises
    ------
    ValueError
        ``opd`` is not an OPD of ``pegawai``.
    """
    tables = {k: v for k, v in ds.tables.items()}
    if opd is None:
        return tables
    peg = tables["pegawai"]
    if opd not in set(peg["opd"]):
        raise ValueError(f"OPD {opd!r} tidak ada dalam data pegawai")
    nips = set(peg.loc[peg["opd"] == opd, "nip"])
    out = {}
    for name, df in tables.items():
        if name == "pegawai":
            out[name] = df[df["opd"] == opd].reset_index(drop=True)
        elif "nip" in df.columns:
            out[name] = df[df["nip"].isin(nips)].reset_index(drop=True)
        elif "opd" in df.columns:
            out[name] = df[df["opd"] == opd].reset_index(drop=True)
        else:
            out[name] = df
    return out


def cek_periode(ds, periode: str) -> str:
    """Normalise ``periode`` and check it is one of the dataset's periods.

    Raises ``ValueError`` naming the periods available.
    """
    kode = fmt.parse_periode(periode).kode
    if kode not in ds.periods:
        raise ValueError(f"periode {kode} tidak ada dalam data (tersedia: {', '.join(ds.periods)})")
    return kode


# ----------------------------------------------------------------------------- tables out


def _atomic_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def simpan_tabel(
    output_dir: str | os.PathLike, nama: str, df: pd.DataFrame, *, judul: str | None = None
) -> Path:
    """Register an aggregate table for the report's XLSX workbook.

    Writes ``<output_dir>/tabel/<nama>.parquet`` and records the order and title in
    ``tabel/_daftar.json``. Both writes are atomic.

    Parameters
    ----------
    nama
        Sheet name: lower-case letters, digits and ``_``, at most 40 characters.
    judul
        A human title, written above the sheet's table.
    """
    if not _NAMA_RE.match(nama):
        raise ValueError(f"nama tabel {nama!r}: pakai huruf kecil, angka dan _ (maks. 40)")
    d = Path(output_dir) / _TABEL_DIR
    d.mkdir(parents=True, exist_ok=True)
    out = df.copy()
    if not isinstance(out.index, pd.RangeIndex):
        out = out.reset_index()
    out.columns = [str(c) for c in out.columns]
    path = d / f"{nama}.parquet"
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    out.to_parquet(tmp, index=False)
    os.replace(tmp, path)
    daftar_path = d / "_daftar.json"
    daftar = json.loads(daftar_path.read_text("utf-8")) if daftar_path.exists() else []
    daftar = [e for e in daftar if e["nama"] != nama] + [{"nama": nama, "judul": judul or nama}]
    _atomic_bytes(daftar_path, json.dumps(daftar, ensure_ascii=False, indent=1).encode("utf-8"))
    return path


def baca_tabel(output_dir: str | os.PathLike) -> dict[str, pd.DataFrame]:
    """The tables registered by :func:`simpan_tabel`, in registration order.

    Each DataFrame carries its title in ``df.attrs["judul"]``. Empty dict when none.
    """
    d = Path(output_dir) / _TABEL_DIR
    daftar_path = d / "_daftar.json"
    if not daftar_path.exists():
        return {}
    out = {}
    for e in json.loads(daftar_path.read_text("utf-8")):
        df = pd.read_parquet(d / f"{e['nama']}.parquet")
        df.attrs["judul"] = e["judul"]
        out[e["nama"]] = df
    return out


def sembunyikan_kecil(
    df: pd.DataFrame,
    kolom_n: str,
    min_sel: int,
    kolom: Sequence[str] | None = None,
    *,
    total_ditampilkan: bool = False,
) -> pd.DataFrame:
    """Suppress groups with fewer than ``min_sel`` members (their size too).

    A thin front to :func:`kinerja_analysis.privacy.sembunyikan`, the project's one
    suppression mechanism: statistics and the group size of small groups become missing
    (integer columns nullable ``Int64``), with a boolean ``disembunyikan`` column. With
    ``total_ditampilkan`` (the groups add up to a total shown elsewhere) the next-smallest
    groups are suppressed too, so a hidden group cannot be recovered by subtraction.

    Parameters
    ----------
    kolom
        Statistic columns to blank; default every numeric column except ``kolom_n``.
    """
    from .privacy import sembunyikan

    if min_sel < 1:
        raise ValueError(f"min_sel harus >= 1, bukan {min_sel}")
    if kolom is None:
        kolom = [c for c in df.columns if c != kolom_n and pd.api.types.is_numeric_dtype(df[c])]
    out = df.copy()
    for c in kolom:
        if pd.api.types.is_integer_dtype(out[c]):
            out[c] = out[c].astype("Int64")
    return sembunyikan(
        out, kolom_n, min_sel, value_cols=list(kolom), total_ditampilkan=total_ditampilkan
    )


def tabel(
    df: pd.DataFrame,
    *,
    bahasa: fmt.Bahasa = "id",
    desimal: int | Mapping[str, int] = 2,
    persen_kolom: Sequence[str] = (),
    label: Mapping[str, str] | None = None,
):
    """An aggregate table rendered for the report: numbers in ``bahasa``'s format.

    ``persen_kolom`` are fractions shown as percentages; ``desimal`` may be one number or
    a ``{column: digits}`` mapping; ``label`` renames columns for display. Returns an
    ``IPython.display.HTML`` object (no index, missing values as "–").
    """
    from IPython.display import HTML

    out = df.copy()
    for c in out.columns:
        if c in persen_kolom:
            out[c] = [fmt.persen(v, 1, bahasa) for v in out[c]]
        elif pd.api.types.is_bool_dtype(out[c]):
            ya, tidak = ("ya", "tidak") if bahasa == "id" else ("yes", "no")
            out[c] = [ya if v else tidak for v in out[c]]
        elif pd.api.types.is_integer_dtype(out[c]):
            out[c] = [fmt.angka(v, 0, bahasa) for v in out[c]]
        elif pd.api.types.is_numeric_dtype(out[c]):
            d = desimal.get(c, 2) if isinstance(desimal, Mapping) else desimal
            out[c] = [fmt.angka(v, d, bahasa) for v in out[c]]
        else:
            out[c] = out[c].astype(object).where(out[c].notna(), fmt.KOSONG)
    if label:
        out = out.rename(columns=dict(label))
    html = out.to_html(index=False, classes="tabel-laporan", border=0, escape=True)
    return HTML(html)


def gaya_grafik() -> None:
    """Set the report's plot style (seaborn ``whitegrid``, readable sizes, 110 dpi)."""
    import matplotlib as mpl
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="notebook", palette="deep")
    mpl.rcParams.update({"figure.dpi": 110, "figure.figsize": (7.5, 4.0), "savefig.dpi": 110})


# ----------------------------------------------------------------------------- 00 quality


def ringkasan_validasi(validation) -> pd.DataFrame:
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


def masalah_per_aturan(validation) -> pd.DataFrame:
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
    out = iss.groupby(["tabel", "aturan", "tingkat"], as_index=False).size()
    out = out.rename(columns={"size": "n_masalah"})
    return out.sort_values("n_masalah", ascending=False, ignore_index=True)


def kelengkapan_periode(tables: Mapping[str, pd.DataFrame], periode: str) -> pd.DataFrame:
    """Coverage of one period: rows and employees per table, share of all employees.

    Returns
    -------
    DataFrame
        ``tabel, n_baris, n_asn, pct_asn`` for the period tables present (``skp``,
        ``perilaku``, ``umpan_balik``, ``survei``) and ``pelatihan`` (trainings that
        started in the period).
    """
    from .loading import periode_bounds

    n_all = tables["pegawai"]["nip"].nunique()
    rows = []
    for name in ("skp", "perilaku", "umpan_balik", "survei"):
        if name in tables:
            d = tables[name]
            d = d[d["periode"] == periode]
            rows.append((name, len(d), d["nip"].nunique()))
    if "pelatihan" in tables:
        a, b = periode_bounds(periode)
        p = tables["pelatihan"]
        p = p[(p["tanggal_mulai"] >= a) & (p["tanggal_mulai"] <= b)]
        rows.append(("pelatihan", len(p), p["nip"].nunique()))
    out = pd.DataFrame(rows, columns=["tabel", "n_baris", "n_asn"])
    out["pct_asn"] = out["n_asn"] / n_all if n_all else np.nan
    return out


# ----------------------------------------------------------------------------- 10 period


def pegawai_per_opd(pegawai: pd.DataFrame) -> pd.DataFrame:
    """Number of ASN per OPD and share of the total.

    Returns
    -------
    DataFrame
        ``opd, n_asn, pct_asn``, largest OPD first.
    """
    out = pegawai.groupby("opd", as_index=False)["nip"].nunique()
    out = out.rename(columns={"nip": "n_asn"})
    out["pct_asn"] = out["n_asn"] / out["n_asn"].sum()
    return out.sort_values(["n_asn", "opd"], ascending=[False, True], ignore_index=True)


def capaian_per_asn(skp: pd.DataFrame) -> pd.DataFrame:
    """Mean SKP capaian (percent) per employee and period (internal; not for display).

    Capaian per indicator row by :func:`kinerja_analysis.scoring.capaian_skp`
    (PermenPAN-RB 8/2021, waktu: smaller is better, capped at 120 %).

    Returns
    -------
    DataFrame
        ``nip, periode, capaian``.
    """
    from .scoring import capaian_skp

    c = capaian_skp(skp)
    return c.groupby(["nip", "periode"], as_index=False)["capaian"].mean()


def capaian_per_periode(skp: pd.DataFrame) -> pd.DataFrame:
    """SKP capaian per period over employees.

    Returns
    -------
    DataFrame
        ``periode, n_asn, capaian_rerata, capaian_median, pct_di_bawah_100`` (share of
        employees whose mean capaian is below 100 %).
    """
    per = capaian_per_asn(skp)
    g = per.groupby("periode")["capaian"]
    out = pd.DataFrame(
        {
            "n_asn": g.size(),
            "capaian_rerata": g.mean(),
            "capaian_median": g.median(),
            "pct_di_bawah_100": g.apply(lambda s: float((s < 100).mean())),
        }
    ).reset_index()
    out["periode"] = pd.Categorical(out["periode"], fmt.periode_urut(out["periode"]), True)
    return out.sort_values("periode", ignore_index=True).astype({"periode": str})


def perilaku_per_dimensi(perilaku: pd.DataFrame, periode: str) -> pd.DataFrame:
    """Mean BerAKHLAK rating per dimension in one period, overall and by rater role.

    Raw scores (1–5), not yet adjusted for rater leniency (that is
    :func:`kinerja_analysis.scoring.perilaku_kerja`).

    Returns
    -------
    DataFrame
        ``dimensi, n_asn, n_penilaian, skor_rerata`` and one ``skor_<peran>`` column per
        rater role present, in BerAKHLAK order.
    """
    d = perilaku[perilaku["periode"] == periode]
    g = d.groupby("dimensi")
    out = pd.DataFrame(
        {"n_asn": g["nip"].nunique(), "n_penilaian": g.size(), "skor_rerata": g["skor"].mean()}
    )
    per_peran = d.pivot_table(
        index="dimensi", columns="peran_penilai", values="skor", aggfunc="mean"
    )
    per_peran.columns = [f"skor_{c}" for c in per_peran.columns]
    out = out.join(per_peran)
    order = [x for x in BERAKHLAK if x in out.index]
    out = out.loc[order].reset_index().rename(columns={"index": "dimensi"})
    out["n_asn"] = out["n_asn"].astype("int64")
    out["n_penilaian"] = out["n_penilaian"].astype("int64")
    return out


def ikm_per_opd(layanan: pd.DataFrame, periode: str) -> pd.DataFrame:
    """IKM per OPD in one period (PermenPAN-RB 14/2017), best first.

    IKM = mean(u1..u9) × 25 when the nine elements are present (else the reported
    ``ikm``), by :func:`kinerja_analysis.scoring.ikm`.

    Returns
    -------
    DataFrame
        ``opd, ikm, mutu, kinerja, tepat_waktu_pct, jumlah_pengaduan``.
    """
    from .scoring import ikm

    d = layanan[layanan["periode"] == periode].reset_index(drop=True)
    if len(d) == 0:
        return pd.DataFrame(columns=["opd", "ikm", "mutu", "kinerja"])
    k = ikm(d)
    out = k[["opd", "ikm", "mutu", "kinerja"]].copy()
    for c in ("tepat_waktu_pct", "jumlah_pengaduan"):
        if c in d.columns:
            out[c] = d[c].to_numpy()
    return out.sort_values("ikm", ascending=False, ignore_index=True)


def jp_per_asn(pelatihan: pd.DataFrame, pegawai: pd.DataFrame, periode: str) -> pd.DataFrame:
    """JP of training per employee over the 12 months ending with ``periode``.

    A rolling year makes quarters comparable; the PP 11/2017 right of 20 JP is per year.
    Trainings count by ``tanggal_mulai``. Employees without training get 0 JP.

    Returns
    -------
    DataFrame
        ``nip, opd, jp, jp_difasilitasi, jp_mandiri`` (internal; not for display).
    """
    from .loading import periode_bounds

    _, akhir = periode_bounds(periode)
    awal = akhir - pd.DateOffset(years=1) + pd.Timedelta(days=1)
    base = pegawai[["nip", "opd"]].drop_duplicates("nip").reset_index(drop=True)
    p = pelatihan[(pelatihan["tanggal_mulai"] >= awal) & (pelatihan["tanggal_mulai"] <= akhir)]
    by = p.pivot_table(index="nip", columns="sumber", values="jp", aggfunc="sum", fill_value=0)
    out = base.merge(by, left_on="nip", right_index=True, how="left")
    for s in ("difasilitasi", "mandiri"):
        out[f"jp_{s}"] = out[s].fillna(0.0).astype(float) if s in out.columns else 0.0
    out["jp"] = out["jp_difasilitasi"] + out["jp_mandiri"]
    return out[["nip", "opd", "jp", "jp_difasilitasi", "jp_mandiri"]]


def ringkasan_jp(jp: pd.DataFrame, min_sel: int, *, per_opd: bool = True) -> pd.DataFrame:
    """JP per ASN summarised overall (``opd = "Semua OPD"``) and per OPD.

    Returns
    -------
    DataFrame
        ``opd, n_asn, jp_rerata, jp_median, pct_di_bawah_20, pct_jp_mandiri``; OPDs with
        fewer than ``min_sel`` ASN suppressed (``disembunyikan``).
    """

    def summarise(g: pd.DataFrame) -> dict[str, float]:
        tot = g["jp"].sum()
        return {
            "n_asn": len(g),
            "jp_rerata": g["jp"].mean(),
            "jp_median": g["jp"].median(),
            "pct_di_bawah_20": float((g["jp"] < JP_MINIMUM).mean()),
            "pct_jp_mandiri": g["jp_mandiri"].sum() / tot if tot > 0 else np.nan,
        }

    rows = [{"opd": "Semua OPD", **summarise(jp)}]
    if per_opd:
        rows += [{"opd": o, **summarise(g)} for o, g in jp.groupby("opd")]
    out = pd.DataFrame(rows)
    out["n_asn"] = out["n_asn"].astype("int64")
    # the groups add up to every ASN, whose mean capaian is shown elsewhere
    return sembunyikan_kecil(out, "n_asn", min_sel, total_ditampilkan=True)


# ----------------------------------------------------------------------------- 20 exposure


def paparan_pelatihan(pelatihan: pd.DataFrame, periode: str, min_sel: int = 5) -> pd.DataFrame:
    """Trainings in the 12 months ending with ``periode`` by type and source.

    Returns
    -------
    DataFrame
        ``jenis, sumber, n_pelatihan, n_asn, jp_total, jp_rerata, disembunyikan``; groups
        of fewer than ``min_sel`` ASN are suppressed (groups overlap — one ASN can attend
        several types — and no total is shown, so no complementary cells are needed).
    """
    from .loading import periode_bounds
    from .privacy import sembunyikan

    _, akhir = periode_bounds(periode)
    awal = akhir - pd.DateOffset(years=1) + pd.Timedelta(days=1)
    p = pelatihan[(pelatihan["tanggal_mulai"] >= awal) & (pelatihan["tanggal_mulai"] <= akhir)]
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
    return sembunyikan(
        out,
        "n_asn",
        min_sel,
        value_cols=["n_pelatihan", "jp_total", "jp_rerata"],
        total_ditampilkan=False,
    )


def umpan_balik_per_periode(umpan_balik: pd.DataFrame, pegawai: pd.DataFrame) -> pd.DataFrame:
    """Feedback sessions per ASN per period, overall and by form.

    Returns
    -------
    DataFrame
        ``periode, n_sesi, sesi_per_asn, pct_asn_tanpa_sesi, kualitas_rerata`` and one
        ``sesi_<bentuk>`` column per form.
    """
    n_all = pegawai["nip"].nunique()
    g = umpan_balik.groupby("periode")
    out = pd.DataFrame({"n_sesi": g.size(), "n_asn_dapat": g["nip"].nunique()})
    out["sesi_per_asn"] = out["n_sesi"] / n_all
    out["pct_asn_tanpa_sesi"] = 1 - out["n_asn_dapat"] / n_all
    if "kualitas" in umpan_balik.columns:
        out["kualitas_rerata"] = g["kualitas"].mean().astype(float)
    bentuk = umpan_balik.pivot_table(
        index="periode", columns="bentuk", values="nip", aggfunc="size"
    )
    bentuk = bentuk.fillna(0).astype("int64")
    bentuk.columns = [f"sesi_{c}" for c in bentuk.columns]
    out = out.join(bentuk).drop(columns="n_asn_dapat").reset_index()
    out["n_sesi"] = out["n_sesi"].astype("int64")
    order = fmt.periode_urut(out["periode"])
    return out.set_index("periode").loc[order].reset_index()


def capaian_menurut_pelatihan(
    skp: pd.DataFrame, jp: pd.DataFrame, periode: str, min_sel: int
) -> pd.DataFrame:
    """Mean SKP capaian in ``periode`` by training exposure (descriptive, not causal).

    Groups: 0 JP, 1–19 JP, ≥ 20 JP in the 12 months ending with the period.

    Returns
    -------
    DataFrame
        ``kelompok_jp, n_asn, capaian_rerata, capaian_sd`` (small groups suppressed).
    """
    c = capaian_per_asn(skp[skp["periode"] == periode])
    d = c.merge(jp[["nip", "jp"]], on="nip", how="left").fillna({"jp": 0.0})
    d["kelompok_jp"] = pd.cut(
        d["jp"], [-np.inf, 0, JP_MINIMUM - 1e-9, np.inf], labels=["0 JP", "1–19 JP", "≥ 20 JP"]
    )
    g = d.groupby("kelompok_jp", observed=False)["capaian"]
    out = pd.DataFrame(
        {"n_asn": g.size(), "capaian_rerata": g.mean(), "capaian_sd": g.std()}
    ).reset_index()
    out["kelompok_jp"] = out["kelompok_jp"].astype(str)
    out["n_asn"] = out["n_asn"].astype("int64")
    # the groups add up to every ASN, whose mean capaian is shown elsewhere
    return sembunyikan_kecil(out, "n_asn", min_sel, total_ditampilkan=True)


# ----------------------------------------------------------------------------- 30 survey


def survei_butir(
    survei: pd.DataFrame, instrumen: pd.DataFrame, periode: str, min_sel: int
) -> pd.DataFrame:
    """Item means of the survey in one period, reverse-scored items flipped.

    A reversed item is scored ``skala_min + skala_max - x`` (default scale 1–5).

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
    return sembunyikan_kecil(out, "n", min_sel, ["rerata", "sd"])


def survei_konstruk(butir: pd.DataFrame) -> pd.DataFrame:
    """Construct means from :func:`survei_butir` (mean of its item means).

    Returns
    -------
    DataFrame
        ``konstruk, n_butir, n_min, rerata``.
    """
    g = butir.groupby("konstruk", sort=False)
    return pd.DataFrame(
        {"n_butir": g.size(), "n_min": g["n"].min(), "rerata": g["rerata"].mean()}
    ).reset_index()


# ----------------------------------------------------------------------------- headline


def angka_utama(tables: Mapping[str, pd.DataFrame], periode: str) -> pd.DataFrame:
    """Headline numbers of one period (for the report's first lines and the index page).

    Returns
    -------
    DataFrame
        ``indikator, nilai, satuan`` with indikator in ``n_asn, n_opd,
        capaian_rerata, perilaku_rerata, ikm_rerata, jp_rerata, pct_jp_di_bawah_20``
        (those computable from the tables present).
    """
    peg = tables["pegawai"]
    rows = [
        ("n_asn", float(peg["nip"].nunique()), "orang"),
        ("n_opd", float(peg["opd"].nunique()), "OPD"),
    ]
    skp = tables["skp"]
    cap = capaian_per_asn(skp[skp["periode"] == periode])
    rows.append(("capaian_rerata", float(cap["capaian"].mean()), "%"))
    if "perilaku" in tables:
        p = tables["perilaku"]
        rows.append(
            ("perilaku_rerata", float(p.loc[p["periode"] == periode, "skor"].mean()), "skor 1–5")
        )
    if "layanan" in tables:
        k = ikm_per_opd(tables["layanan"], periode)
        if len(k):
            rows.append(("ikm_rerata", float(k["ikm"].mean()), "indeks 25–100"))
    if "pelatihan" in tables:
        jp = jp_per_asn(tables["pelatihan"], peg, periode)
        rows.append(("jp_rerata", float(jp["jp"].mean()), "JP/12 bulan"))
        rows.append(("pct_jp_di_bawah_20", float((jp["jp"] < JP_MINIMUM).mean()), "fraksi"))
    return pd.DataFrame(rows, columns=["indikator", "nilai", "satuan"])


def ringkasan_lintas_periode(
    tables: Mapping[str, pd.DataFrame], periods: Sequence[str]
) -> pd.DataFrame:
    """:func:`angka_utama` for every period, wide: one row per period.

    Returns
    -------
    DataFrame
        ``periode`` and one column per headline indikator.
    """
    rows = []
    for p in fmt.periode_urut(periods):
        a = angka_utama(tables, p).set_index("indikator")["nilai"]
        rows.append({"periode": p, **a.to_dict()})
    out = pd.DataFrame(rows)
    for c in ("n_asn", "n_opd"):
        if c in out.columns:
            out[c] = out[c].round().astype("Int64")
    return out


_LABEL_UTAMA: dict[str, tuple[str, str]] = {
    "n_asn": ("Jumlah ASN", "Number of ASN"),
    "n_opd": ("Jumlah OPD", "Number of units (OPD)"),
    "capaian_rerata": ("Rata-rata capaian SKP", "Mean SKP achievement"),
    "perilaku_rerata": ("Rata-rata skor perilaku (1–5)", "Mean behaviour score (1–5)"),
    "ikm_rerata": ("Rata-rata IKM OPD", "Mean IKM across units"),
    "jp_rerata": ("Rata-rata JP per ASN (12 bulan)", "Mean training hours (JP) per ASN, 12 months"),
    "pct_jp_di_bawah_20": ("ASN dengan JP < 20", "ASN with fewer than 20 JP"),
}


def label_indikator(indikator: str, bahasa: fmt.Bahasa = "id") -> str:
    """Human label of a headline indikator code of :func:`angka_utama`."""
    pair = _LABEL_UTAMA.get(indikator)
    if pair is None:
        return indikator
    return pair[0] if bahasa == "id" else pair[1]


def nilai_indikator(indikator: str, nilai: float, bahasa: fmt.Bahasa = "id") -> str:
    """A headline value written for the report (counts, percent, index, share)."""
    if indikator in ("n_asn", "n_opd"):
        return fmt.angka(int(round(nilai)), 0, bahasa)
    if indikator == "capaian_rerata":
        return fmt.persen(nilai, 1, bahasa, skala="persen")
    if indikator.startswith("pct_"):
        return fmt.persen(nilai, 1, bahasa)
    return fmt.angka(nilai, 2, bahasa)


def angka_utama_tampil(angka: pd.DataFrame, bahasa: fmt.Bahasa = "id") -> pd.DataFrame:
    """:func:`angka_utama` as two text columns (``indikator``, ``nilai``) for display."""
    kol = ("Indikator", "Nilai") if bahasa == "id" else ("Indicator", "Value")
    return pd.DataFrame(
        {
            kol[0]: [label_indikator(i, bahasa) for i in angka["indikator"]],
            kol[1]: [
                nilai_indikator(i, v, bahasa)
                for i, v in zip(angka["indikator"], angka["nilai"], strict=True)
            ],
        }
    )


def nilai_jumlah(n: object, bahasa: fmt.Bahasa = "id", min_sel: int = 5) -> str:
    """A count for running text: the number, or "kurang dari <min_sel>" when suppressed."""
    if n is None or pd.isna(n):
        return f"kurang dari {min_sel}" if bahasa == "id" else f"fewer than {min_sel}"
    return fmt.angka(int(n), 0, bahasa)


#: Headings and fixed sentences of the period report, per language (``teks``).
TEKS: dict[str, dict[str, str]] = {
    "id": {
        "pengantar": "Dokumen evaluasi satu periode penilaian. Setiap angka dan setiap arah yang "
        "disebut dihitung dari data kepegawaian yang telah divalidasi; tabel hanya memuat "
        "agregat (tanpa NIP atau nama), dan kelompok yang terlalu kecil disembunyikan.",
        "angka_utama": "### Angka utama",
        "asn_per_opd": "### Sebaran ASN per OPD",
        "capaian": "### Capaian hasil kerja (SKP) antarperiode",
        "perilaku": "### Penilaian perilaku per dimensi dan peran penilai",
        "predikat": "### Sebaran predikat kinerja per OPD",
        "profil": "### Profil BerAKHLAK per OPD",
        "hvk": "### Hasil kerja saja atau hasil kerja dan perilaku?\n\n"
        "Dokumen evaluasi menyatakan bahwa ASN yang berkomunikasi baik dinilai lebih tinggi "
        "daripada ASN dengan hasil kerja yang sama. Tabel ini mengukurnya: berapa ASN yang "
        "predikatnya naik, turun atau tetap bila perilaku (kompetensi) ikut dinilai, "
        "dibanding bila hanya hasil kerja yang dihitung.",
        "hvk_kalimat": "Bila perilaku ikut dinilai, di seluruh OPD predikat {rincian}.",
        "hvk_bagian": "{arah} untuk {n} ASN",
        "efek": "### Pengaruh pelatihan, umpan balik dan penerapan sistem evaluasi",
        "efek_kota": "Perkiraan pengaruh disajikan pada laporan tingkat kota.",
        "ikm": "### Kualitas pelayanan publik (IKM)",
        "ikm_kosong": "Data layanan (IKM) tidak tersedia untuk periode ini.",
        "jp": "### Jam pelajaran (JP) pelatihan per OPD",
        "judul_koef": "Pengaruh pelatihan terhadap capaian SKP (poin)",
        "judul_studi": "Capaian SKP sebelum dan sesudah pelatihan pertama (studi peristiwa)",
        "judul_predikat": "Sebaran predikat kinerja, {periode}",
        "judul_profil": "Skor perilaku BerAKHLAK (1–5), {periode}",
        # --- shared by notebooks 00, 20, 30, 90
        "umum_cakupan_opd": "OPD {opd}",
        "umum_cakupan_kota": "seluruh OPD Pemerintah Kota Kotalama",
        "umum_periode": "Periode",
        # --- 00 kualitas data
        "n00_pengantar": "Ringkasan hasil validasi data yang menjadi dasar evaluasi kinerja: "
        "berapa baris yang dibaca, diterima dan ditolak per tabel, aturan mana yang paling "
        "sering dilanggar, dan seberapa lengkap data pada periode laporan. Nilai-nilai yang "
        "ditolak tidak ditampilkan di sini (dapat memuat data pribadi); daftar lengkapnya ada "
        "pada berkas penolakan milik tim data.",
        "n00_validasi": "## Ringkasan validasi\n\n"
        "Setiap baris data mentah diperiksa terhadap kontrak data (tipe, nilai yang diizinkan, "
        "rentang, kunci unik, struktur NIP, rujukan antartabel). Baris yang melanggar aturan "
        "ditolak dan dicatat beserta alasannya; tidak ada yang dibuang diam-diam.",
        "n00_ditolak": "Dari {n_baca} baris yang dibaca, {n_tolak} ({persen}) ditolak.",
        "n00_masalah": "## Masalah per aturan",
        "n00_tanpa_masalah": "Tidak ada masalah validasi: semua baris memenuhi kontrak data.",
        "n00_kelengkapan": "## Kelengkapan data periode laporan",
        "n00_cakupan": "Cakupan: {cakupan}, {periode}.",
        "n00_sumbu_porsi": "Porsi ASN yang tercakup",
        "n00_judul_cakupan": "Cakupan data per tabel, {periode}",
        # --- 20 pelatihan dan umpan balik
        "n20_pengantar": "Gambaran paparan ASN terhadap pelatihan dan umpan balik kinerja: siapa "
        "yang mendapat berapa, dari sumber mana, dan bagaimana capaian SKP berbeda menurut "
        "paparan tersebut. Bagian pertama **deskriptif**: ASN yang ikut pelatihan bisa berbeda "
        "sejak awal. Bagian kedua memperkirakan **pengaruh** dengan desain yang sesuai: "
        "difference-in-differences bertahap (Callaway–Sant'Anna) untuk pelatihan, model efek "
        "tetap dalam-pegawai untuk umpan balik, DiD tingkat OPD dengan wild cluster bootstrap "
        "untuk penerapan sistem evaluasi, dan regresi logit ordinal sebagai uji ketahanan.",
        "n20_paparan": "## Paparan pelatihan (12 bulan terakhir)",
        "n20_jp_kalimat": "Dalam 12 bulan yang berakhir pada {periode}, rata-rata JP per ASN "
        "adalah {jp_rerata}; {pct_di_bawah_20} ASN di bawah 20 JP dan {pct_mandiri} JP berasal "
        "dari pelatihan mandiri.",
        "n20_sumbu_jenis": "Jenis pelatihan",
        "n20_sumbu_total_jp": "Total JP",
        "n20_judul_paparan": "JP pelatihan menurut jenis dan sumber",
        "n20_capaian_jp": "## Capaian SKP menurut paparan pelatihan (deskriptif)",
        "n20_umpan_balik": "## Umpan balik kinerja per periode",
        "n20_sumbu_sesi": "Sesi per ASN",
        "n20_judul_umpan_balik": "Intensitas umpan balik per periode",
        "n20_umpan_balik_kosong": "Data umpan balik tidak tersedia.",
        "n20_efek_pelatihan": "## Pengaruh pelatihan pertama terhadap capaian SKP\n\n"
        "Pelatihan adalah perlakuan bertahap dan dipilih sendiri: ASN mengikuti pelatihan "
        "pertama pada periode yang berbeda-beda. Estimator Callaway–Sant'Anna membandingkan "
        "setiap kelompok (kohort) hanya dengan ASN yang tidak pernah dilatih, dengan "
        "penyesuaian doubly robust untuk golongan, masa kerja dan jenis kelamin pada awal "
        "periode. TWFE ditampilkan di sampingnya sebagai angka yang lazim.",
        "n20_alasan_twfe": "{alasan}",
        "n20_judul_studi": "Studi peristiwa: capaian SKP sebelum dan sesudah pelatihan pertama",
        "n20_uji_tren": "Uji tren sejajar",
        "n20_statistik_wald": "Statistik Wald",
        "n20_efek_pelatihan_kosong": "Efek pelatihan belum dapat diestimasi dari data ini.",
        "n20_subkelompok": "### Menurut sumber dan relevansi pelatihan\n\n"
        "Juga menurut jenis jabatan dan OPD, bila jumlah ASN yang dilatih dalam kelompok itu "
        "cukup (minimal 20). *Relevan*: kompetensi sasaran pelatihan pertama adalah dimensi "
        "BerAKHLAK terlemah ASN sebelum pelatihan; *lain*: dimensi BerAKHLAK lain; "
        "*tidak_sesuai*: kompetensi di luar kebutuhan jabatan. Selisih antarkelompok memakai "
        "SE konservatif (kedua kelompok berbagi kelompok pembanding).",
        "n20_selisih": "Selisih efek pelatihan relevan dan tidak sesuai: {estimate} poin "
        "(IK 95%: {ci_low} sampai {ci_high}).",
        "n20_komunikasi": "### Pelatihan komunikasi dan perilaku pelayanan\n\n"
        "Perlakuan: pelatihan komunikasi pertama; hasil: skor 360° *berorientasi pelayanan*. "
        "Pembanding: ASN yang belum pernah mengikuti pelatihan komunikasi (sebagian mengikuti "
        "pelatihan lain, sehingga angka ini adalah tambahan dari pelatihan komunikasi).",
        "n20_efek_umpan_balik": "## Pengaruh umpan balik\n\n"
        "Model efek tetap pegawai dan periode: capaian SKP pada suatu periode dijelaskan oleh "
        "jumlah sesi umpan balik berkualitas baik (kualitas 4–5), sedang (3) dan buruk (1–2) "
        "pada periode sebelumnya; SE dikelompokkan per pegawai.",
        "n20_identifikasi": "{identifikasi}",
        "n20_penerapan": "## Penerapan sistem evaluasi terstruktur dan pelayanan publik "
        "(tingkat OPD)",
        "n20_penerapan_kosong": "Data layanan atau penerapan tidak cukup untuk estimasi.",
        "n20_ordinal": "## Uji ketahanan: logit ordinal predikat kinerja",
        "n20_ordinal_catatan": "Koefisien positif berarti predikat yang lebih tinggi lebih "
        "mungkin. Model ini menunjukkan hubungan setelah memperhitungkan kovariat dan periode, "
        "bukan sebab-akibat.",
        "n20_catatan_metode": "## Catatan metode\n\n"
        "Paparan pelatihan dihitung dari tanggal mulai pelatihan dalam 12 bulan yang berakhir "
        "pada akhir periode. Perbedaan capaian antarkelompok JP mencampur efek pelatihan "
        "dengan perbedaan awal antar-ASN (seleksi diri); karena itu efeknya diestimasi dengan "
        "desain di atas. Semua pilihan acak (bootstrap) memakai `seed` sehingga hasil dapat "
        "diulang.",
        # --- 30 survei
        "n30_pengantar": "Rata-rata jawaban survei ASN per butir dan per konstruk pada periode "
        "laporan. Butir negatif (terbalik) sudah dibalik skornya sehingga nilai lebih tinggi "
        "selalu berarti lebih baik. Uji validitas, reliabilitas dan struktur faktor disajikan "
        "oleh modul survei.",
        "n30_konstruk": "## Rata-rata per konstruk",
        "n30_responden": "Responden pada {periode}: {n} ASN ({cakupan}).",
        "n30_sumbu_rerata": "Rata-rata (1–5)",
        "n30_judul_konstruk": "Survei ASN per konstruk, {periode}",
        "n30_kosong": "Data survei tidak tersedia.",
        "n30_butir": "## Rata-rata per butir",
        "n30_uji": "## Uji instrumen: validitas butir dan reliabilitas\n\n"
        "Validitas: korelasi butir dengan total butir lain dalam konstruknya (corrected "
        "item–total), dibandingkan dengan r-tabel untuk jumlah responden (α = 0,05, dua sisi). "
        "Reliabilitas: Cronbach's α (dengan interval Feldt), α jika butir dihapus, dan "
        "McDonald's ω.",
        "n30_cfa": "## Struktur faktor (CFA) dan invariansi antarperiode\n\n"
        "Analisis faktor konfirmatori memeriksa apakah butir benar-benar mengukur konstruknya "
        "(muatan, CFI, TLI, RMSEA, SRMR). Uji invariansi (konfigural, metrik, skalar) "
        "memeriksa apakah instrumen bekerja sama pada setiap periode, sehingga perubahan skor "
        "antarperiode adalah perubahan konstruk, bukan perubahan cara butir dipahami.",
        "n30_regresi": "## Regresi motivasi dengan uji asumsi klasik\n\n"
        "Motivasi kerja dijelaskan oleh persepsi kualitas umpan balik, relevansi pelatihan "
        "dan penerimaan sistem evaluasi. Setiap uji asumsi diberi satu kalimat tafsiran.",
        "n30_catatan_regresi": "{catatan}",
        "n30_komunikasi": "## Pelatihan komunikasi dan rasa percaya diri; penerimaan sistem "
        "per OPD",
        # --- 90 ringkasan lintas periode
        "n90_pengantar": "Perkembangan angka utama evaluasi kinerja ASN dari periode ke "
        "periode, sampai dengan periode laporan.",
        "n90_angka_utama": "## Angka utama per periode",
        "n90_cakupan": "Cakupan: {cakupan}; {n} periode, {awal} – {akhir}.",
        "n90_tren": "## Tren",
    },
    "en": {
        "pengantar": "The evaluation document of one assessment period. Every number and "
        "every direction stated is computed from validated personnel data; tables show "
        "aggregates only (no NIP or name), and groups that are too small are suppressed.",
        "angka_utama": "### Headline figures",
        "asn_per_opd": "### ASN per OPD",
        "capaian": "### SKP achievement across periods",
        "perilaku": "### Behaviour ratings by dimension and rater role",
        "predikat": "### Performance ratings (predikat) by OPD",
        "profil": "### BerAKHLAK profile by OPD",
        "hvk": "### Output alone, or output and behaviour?\n\n"
        "The evaluation document says that an ASN who communicates well is rated higher than "
        "one with the same output. This table measures it: how many ASN move up, down or stay "
        "when behaviour (competency) is counted beside output, compared with output alone.",
        "hvk_kalimat": "When behaviour is counted, across all OPDs the rating {rincian}.",
        "hvk_bagian": "{arah} for {n} ASN",
        "efek": "### Effects of training, feedback and the structured evaluation system",
        "efek_kota": "Effect estimates are given in the city-wide report.",
        "ikm": "### Public service quality (IKM)",
        "ikm_kosong": "Service data (IKM) are not available for this period.",
        "jp": "### Training hours (JP) by OPD",
        "judul_koef": "Effect of training on SKP achievement (points)",
        "judul_studi": "SKP achievement before and after the first training (event study)",
        "judul_predikat": "Performance ratings, {periode}",
        "judul_profil": "BerAKHLAK behaviour scores (1–5), {periode}",
        # --- shared by notebooks 00, 20, 30, 90
        "umum_cakupan_opd": "OPD {opd}",
        "umum_cakupan_kota": "all OPDs of the Kotalama city government",
        "umum_periode": "Period",
        # --- 00 data quality
        "n00_pengantar": "Summary of the validation of the data behind the performance "
        "evaluation: how many rows were read, accepted and rejected per table, which rules "
        "were broken most often, and how complete the data of the report period are. Rejected "
        "values are not shown here (they may contain personal data); the full list is in the "
        "data team's rejection files.",
        "n00_validasi": "## Validation summary\n\n"
        "Every raw row is checked against the data contract (types, allowed values, ranges, "
        "unique keys, NIP structure, references between tables). Rows that break a rule are "
        "rejected and logged with the reason; nothing is dropped silently.",
        "n00_ditolak": "Of {n_baca} rows read, {n_tolak} ({persen}) were rejected.",
        "n00_masalah": "## Problems by rule",
        "n00_tanpa_masalah": "No validation problems: every row meets the data contract.",
        "n00_kelengkapan": "## Data completeness in the report period",
        "n00_cakupan": "Coverage: {cakupan}, {periode}.",
        "n00_sumbu_porsi": "Share of ASN covered",
        "n00_judul_cakupan": "Data coverage by table, {periode}",
        # --- 20 training and feedback
        "n20_pengantar": "ASN exposure to training and performance feedback: who gets how "
        "much, from which source, and how SKP achievement differs by that exposure. The first "
        "part is **descriptive**: ASN who take training may differ from the start. The second "
        "part estimates **effects** with suitable designs: staggered difference-in-differences "
        "(Callaway–Sant'Anna) for training, a within-employee fixed-effects model for "
        "feedback, an OPD-level DiD with wild cluster bootstrap for the roll-out of the "
        "evaluation system, and an ordinal logit regression as a robustness check.",
        "n20_paparan": "## Training exposure (last 12 months)",
        "n20_jp_kalimat": "In the 12 months ending in {periode}, the mean training hours (JP) "
        "per ASN were {jp_rerata}; {pct_di_bawah_20} of ASN had fewer than 20 JP and "
        "{pct_mandiri} of JP came from self-sought training.",
        "n20_sumbu_jenis": "Training type",
        "n20_sumbu_total_jp": "Total JP",
        "n20_judul_paparan": "Training hours (JP) by type and source",
        "n20_capaian_jp": "## SKP achievement by training exposure (descriptive)",
        "n20_umpan_balik": "## Performance feedback by period",
        "n20_sumbu_sesi": "Sessions per ASN",
        "n20_judul_umpan_balik": "Feedback intensity by period",
        "n20_umpan_balik_kosong": "Feedback data are not available.",
        "n20_efek_pelatihan": "## Effect of the first training on SKP achievement\n\n"
        "Training is a staggered, self-selected treatment: ASN take their first training in "
        "different periods. The Callaway–Sant'Anna estimator compares each group (cohort) "
        "only with ASN never trained, with a doubly robust adjustment for grade, years of "
        "service and sex at the start of the period. TWFE is shown beside it as the customary "
        "figure.",
        "n20_alasan_twfe": "TWFE compares newly trained employees with employees trained "
        "earlier; when the training effect changes over time or across groups, that "
        "comparison can bias the TWFE figure (even its sign). The Callaway–Sant'Anna "
        "estimator only compares with employees not (yet) trained.",
        "n20_judul_studi": "Event study: SKP achievement before and after the first training",
        "n20_uji_tren": "Parallel-trends test",
        "n20_statistik_wald": "Wald statistic",
        "n20_efek_pelatihan_kosong": "The training effect cannot be estimated from these data.",
        "n20_subkelompok": "### By training source and relevance\n\n"
        "Also by position type and OPD, when the number of trained ASN in the group is large "
        "enough (at least 20). *Relevan* (relevant): the competency targeted by the first "
        "training is the ASN's weakest BerAKHLAK dimension before training; *lain* (other): "
        "another BerAKHLAK dimension; *tidak_sesuai* (mismatched): a competency outside the "
        "position's needs. Differences between groups use a conservative SE (both groups share "
        "the comparison group).",
        "n20_selisih": "Difference between the effects of relevant and mismatched training: "
        "{estimate} points (95% CI: {ci_low} to {ci_high}).",
        "n20_komunikasi": "### Communication training and service behaviour\n\n"
        "Treatment: the first communication training; outcome: the 360° *service-oriented* "
        "score. Comparison: ASN who have never taken communication training (some took other "
        "training, so this figure is what communication training adds).",
        "n20_efek_umpan_balik": "## Effect of feedback\n\n"
        "Employee and period fixed-effects model: SKP achievement in a period is explained by "
        "the number of good (quality 4–5), fair (3) and poor (1–2) feedback sessions in the "
        "previous period; SEs clustered by employee.",
        "n20_identifikasi": "The feedback effect is estimated from changes within the same "
        "employee across periods (employee and period fixed effects), so fixed differences "
        "between employees (such as motivation) do not confound the result. The estimate is "
        "causal only if the timing of feedback does not follow the employee's own ups and "
        "downs in performance; the 'next-period feedback' (lead) test checks this.",
        "n20_penerapan": "## Roll-out of the structured evaluation system and public service "
        "(OPD level)",
        "n20_penerapan_kosong": "Service or roll-out data are not sufficient for estimation.",
        "n20_ordinal": "## Robustness check: ordinal logit of the performance rating",
        "n20_ordinal_catatan": "A positive coefficient means a higher rating is more likely. "
        "This model shows associations after accounting for covariates and period, not cause "
        "and effect.",
        "n20_catatan_metode": "## Method notes\n\n"
        "Training exposure is counted from training start dates in the 12 months ending at the "
        "end of the period. Differences in achievement between JP groups mix the training "
        "effect with initial differences between ASN (self-selection); that is why the effect "
        "is estimated with the designs above. All random choices (bootstrap) use `seed`, so "
        "results can be reproduced.",
        # --- 30 survey
        "n30_pengantar": "Mean answers of the ASN survey per item and per construct in the "
        "report period. Negatively worded (reversed) items have been reverse-scored, so a "
        "higher value always means better. Validity, reliability and factor structure tests "
        "are given by the survey module.",
        "n30_konstruk": "## Means by construct",
        "n30_responden": "Respondents in {periode}: {n} ASN ({cakupan}).",
        "n30_sumbu_rerata": "Mean (1–5)",
        "n30_judul_konstruk": "ASN survey by construct, {periode}",
        "n30_kosong": "Survey data are not available.",
        "n30_butir": "## Means by item",
        "n30_uji": "## Instrument tests: item validity and reliability\n\n"
        "Validity: correlation of each item with the total of the other items of its "
        "construct (corrected item–total), compared with the critical r for the number of "
        "respondents (α = 0.05, two-sided). Reliability: Cronbach's α (with Feldt interval), "
        "α if item deleted, and McDonald's ω.",
        "n30_cfa": "## Factor structure (CFA) and invariance across periods\n\n"
        "Confirmatory factor analysis checks whether the items really measure their construct "
        "(loadings, CFI, TLI, RMSEA, SRMR). Invariance tests (configural, metric, scalar) "
        "check whether the instrument works the same way in every period, so that score "
        "changes across periods are changes in the construct, not in how items are understood.",
        "n30_regresi": "## Regression of motivation with classical assumption checks\n\n"
        "Work motivation is explained by perceived feedback quality, training relevance and "
        "acceptance of the evaluation system. Each assumption check comes with a one-sentence "
        "interpretation.",
        "n30_catatan_regresi": "Standard errors use the robust {robust} estimator "
        "(heteroskedasticity-consistent): Likert scores are bounded and often "
        "heteroskedastic, so classical t tests can mislead; when residuals are homoskedastic "
        "the result is almost the same as with classical SEs.",
        "n30_komunikasi": "## Communication training and self-confidence; acceptance of the "
        "system by OPD",
        # --- 90 cross-period summary
        "n90_pengantar": "How the headline figures of the ASN performance evaluation developed "
        "from period to period, up to the report period.",
        "n90_angka_utama": "## Headline figures by period",
        "n90_cakupan": "Coverage: {cakupan}; {n} periods, {awal} – {akhir}.",
        "n90_tren": "## Trends",
    },
}
_ARAH_EN = {"naik": "goes up", "turun": "goes down", "tetap": "stays the same"}


def teks(kunci: str, bahasa: fmt.Bahasa = "id", **isi: object) -> str:
    """A heading or fixed sentence of the period report in ``bahasa`` (see :data:`TEKS`)."""
    if bahasa not in TEKS:
        raise ValueError(f"bahasa harus 'id' atau 'en', bukan {bahasa!r}")
    return TEKS[bahasa][kunci].format(**isi)


def kalimat_hasil_vs_kompetensi(kota: pd.DataFrame, bahasa: fmt.Bahasa, min_sel: int) -> str:
    """The city-wide sentence of the output-vs-competency table (rows ``arah, n``)."""
    parts = [
        teks(
            "hvk_bagian",
            bahasa,
            arah=r.arah if bahasa == "id" else _ARAH_EN.get(r.arah, r.arah),
            n=nilai_jumlah(r.n, bahasa, min_sel),
        )
        for r in kota.itertuples()
    ]
    return teks("hvk_kalimat", bahasa, rincian="; ".join(parts))


_LABEL: dict[str, dict[str, str]] = {
    "opd": {"id": "OPD", "en": "OPD"},
    "periode": {"id": "Periode", "en": "Period"},
    "dimensi": {"id": "Dimensi", "en": "Dimension"},
    "n_asn": {"id": "Jumlah ASN", "en": "ASN"},
    "n_pegawai": {"id": "ASN", "en": "ASN"},
    "n": {"id": "Jumlah", "en": "Count"},
    "n_penilaian": {"id": "Jumlah penilaian", "en": "Ratings"},
    "pct_asn": {"id": "Persentase", "en": "Share"},
    "persen": {"id": "Persentase", "en": "Share"},
    "arah": {"id": "Predikat", "en": "Rating"},
    "capaian_rerata": {"id": "Rata-rata capaian (%)", "en": "Mean achievement (%)"},
    "capaian_median": {"id": "Median capaian (%)", "en": "Median achievement (%)"},
    "pct_di_bawah_100": {"id": "ASN dengan capaian < 100%", "en": "ASN below 100%"},
    "skor_rerata": {"id": "Rata-rata skor", "en": "Mean score"},
    "skor_atasan": {"id": "Skor dari atasan", "en": "Score by supervisor"},
    "skor_rekan": {"id": "Skor dari rekan", "en": "Score by peers"},
    "skor_bawahan": {"id": "Skor dari bawahan", "en": "Score by subordinates"},
    "skor_diri": {"id": "Skor diri", "en": "Self score"},
    "jp_rerata": {"id": "Rata-rata JP", "en": "Mean JP"},
    "jp_median": {"id": "Median JP", "en": "Median JP"},
    "pct_di_bawah_20": {"id": "JP < 20", "en": "Below 20 JP"},
    "pct_jp_mandiri": {"id": "Porsi JP mandiri", "en": "Share of self-sought JP"},
    "ikm": {"id": "IKM", "en": "IKM"},
    "mutu": {"id": "Mutu", "en": "Grade"},
    "kinerja": {"id": "Kinerja", "en": "Performance"},
    "tepat_waktu_pct": {"id": "Tepat waktu (%)", "en": "On time (%)"},
    "jumlah_pengaduan": {"id": "Pengaduan", "en": "Complaints"},
    # --- notebooks 00, 20, 30
    "tabel": {"id": "Tabel", "en": "Table"},
    "rows_read": {"id": "Dibaca", "en": "Read"},
    "rows_accepted": {"id": "Diterima", "en": "Accepted"},
    "rows_rejected": {"id": "Ditolak", "en": "Rejected"},
    "n_peringatan": {"id": "Peringatan", "en": "Warnings"},
    "pct_diterima": {"id": "% diterima", "en": "% accepted"},
    "aturan": {"id": "Aturan", "en": "Rule"},
    "tingkat": {"id": "Tingkat", "en": "Severity"},
    "n_masalah": {"id": "Jumlah", "en": "Count"},
    "n_baris": {"id": "Baris", "en": "Rows"},
    "jenis": {"id": "Jenis", "en": "Type"},
    "sumber": {"id": "Sumber", "en": "Source"},
    "n_pelatihan": {"id": "Pelatihan", "en": "Trainings"},
    "jp_total": {"id": "Total JP", "en": "Total JP"},
    "kelompok_jp": {"id": "Kelompok JP (12 bulan)", "en": "JP group (12 months)"},
    "capaian_sd": {"id": "Simpangan baku", "en": "Standard deviation"},
    "n_sesi": {"id": "Jumlah sesi", "en": "Sessions"},
    "sesi_per_asn": {"id": "Sesi per ASN", "en": "Sessions per ASN"},
    "pct_asn_tanpa_sesi": {"id": "ASN tanpa sesi", "en": "ASN without a session"},
    "kualitas_rerata": {"id": "Rata-rata kualitas (1–5)", "en": "Mean quality (1–5)"},
    "term": {"id": "Perkiraan", "en": "Term"},
    "estimate": {"id": "Efek", "en": "Effect"},
    "std_error": {"id": "SE", "en": "SE"},
    "ci_low": {"id": "IK 95% bawah", "en": "95% CI lower"},
    "ci_high": {"id": "IK 95% atas", "en": "95% CI upper"},
    "p_value": {"id": "p", "en": "p"},
    "n_obs": {"id": "n", "en": "n"},
    "n_dilatih": {"id": "ASN dilatih", "en": "ASN trained"},
    "model": {"id": "Model", "en": "Model"},
    "outcome": {"id": "Hasil", "en": "Outcome"},
    "odds_ratio": {"id": "Rasio odds", "en": "Odds ratio"},
    "statistic": {"id": "Statistik", "en": "Statistic"},
    "df": {"id": "db", "en": "df"},
    "konstruk": {"id": "Konstruk", "en": "Construct"},
    "item": {"id": "Kode butir", "en": "Item"},
    "teks": {"id": "Pernyataan", "en": "Statement"},
    "terbalik": {"id": "Terbalik", "en": "Reversed"},
    "rerata": {"id": "Rata-rata", "en": "Mean"},
    "sd": {"id": "Simpangan baku", "en": "Standard deviation"},
    "n_butir": {"id": "Butir", "en": "Items"},
    "n_min": {"id": "n terkecil", "en": "Smallest n"},
}


def label_kolom(bahasa: fmt.Bahasa = "id") -> dict[str, str]:
    """Column labels of the report tables in ``bahasa``."""
    return {k: v[bahasa] for k, v in _LABEL.items()}


class Konteks(NamedTuple):
    """What every report notebook sets up first (unpack it in the notebook's first cell)."""

    ds: Any
    periode: str
    tabel: dict[str, pd.DataFrame]
    periode_teks: str
    cakupan: str


def konteks(
    data_dir: str | os.PathLike,
    cache_dir: str | os.PathLike | None,
    periode: str,
    opd: str | None,
    bahasa: fmt.Bahasa = "id",
) -> Konteks:
    """Load the validated data (from the batch's cache when given), check the period and
    restrict the tables to one OPD if asked: the common start of every report notebook."""
    gaya_grafik()
    ds = muat_data(data_dir, cache_dir)
    kode = cek_periode(ds, periode)
    cakupan = (
        teks("umum_cakupan_opd", bahasa, opd=opd) if opd else teks("umum_cakupan_kota", bahasa)
    )
    return Konteks(ds, kode, tabel_data(ds, opd), fmt.periode_kata(kode, bahasa), cakupan)
