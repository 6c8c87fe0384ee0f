"""The analyses behind a period report, in two steps.

1. :func:`hitung_bersama` — the heavy cross-period work, done once per batch: scores for
   every period (hasil kerja, 360° behaviour, predikat), the employee × period panel, the
   training / feedback / rollout estimates, the ordinal robustness check, the survey
   scores and the communication-training effect. :func:`simpan_bersama` /
   :func:`muat_bersama` store it (Parquet + JSON) in the batch's private cache, never in
   ``reports/``: it holds employee-level rows.
2. :func:`fakta_periode` — the facts of one period (and optionally one OPD) as a
   :class:`kinerja_analysis.narrative.FaktaPeriode`, aggregates only, from which the
   narrative and the tables of the report are written.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import effects as E
from . import panel as P
from . import scoring as S
from .contract import BERAKHLAK

__all__ = [
    "HasilBersama",
    "hitung_bersama",
    "simpan_bersama",
    "muat_bersama",
    "fakta_periode",
    "daftar_efek",
]


@dataclass(frozen=True)
class HasilBersama:
    """Cross-period results (tidy DataFrames; ``None`` when the input table is absent)."""

    evaluasi: pd.DataFrame
    skor_dimensi: pd.DataFrame
    panel: pd.DataFrame
    pelatihan: pd.DataFrame | None = None
    pelatihan_dinamis: pd.DataFrame | None = None
    pelatihan_pretrend: pd.DataFrame | None = None
    pelatihan_heterogen: pd.DataFrame | None = None
    umpan_balik: pd.DataFrame | None = None
    penerapan: pd.DataFrame | None = None
    penerapan_dinamis: pd.DataFrame | None = None
    penerapan_pretrend: pd.DataFrame | None = None
    ordinal: pd.DataFrame | None = None
    komunikasi: pd.DataFrame | None = None
    komunikasi_perilaku: pd.DataFrame | None = None
    survei_skor: pd.DataFrame | None = None
    reliabilitas: pd.DataFrame | None = None
    catatan: tuple[str, ...] = ()
    parameter: Mapping[str, Any] = field(default_factory=dict)


#: The tables of :class:`HasilBersama` (every field but the notes and parameters), derived
#: from the class so that a new result is stored and reloaded without a second list.
_FRAMES: tuple[str, ...] = tuple(
    f.name for f in fields(HasilBersama) if f.name not in ("catatan", "parameter")
)


def _safe(notes: list[str], what: str, fn, *args, **kwargs):
    """Run one analysis; a failure becomes a note in the report, not a crashed batch."""
    try:
        return fn(*args, **kwargs)
    except (ValueError, np.linalg.LinAlgError, KeyError) as exc:
        notes.append(f"{what}: tidak dapat diestimasi ({type(exc).__name__}: {exc}).")
        return None


def hitung_bersama(
    ds, *, seed: int = 2025, n_boot: int = 999, min_n: int = 20, reliabilitas: bool = True
) -> HasilBersama:
    """Compute everything that uses all periods at once (see the module docstring).

    Parameters
    ----------
    ds
        A validated :class:`kinerja_analysis.Dataset`.
    seed, n_boot
        Bootstrap seed and draws (multiplier bootstrap bands, wild cluster bootstrap).
    min_n
        Minimum trained employees for a subgroup estimate.
    """
    t = ds.tables
    notes: list[str] = []
    evaluasi = S.evaluasi_periode(t["skp"], t["perilaku"])
    skor_dimensi = S.perilaku_kerja(t["perilaku"])
    pdata = P.build_panel(dict(t), ds.periods, evaluasi=evaluasi, skor_dimensi=skor_dimensi)
    notes.extend(pdata.notes)
    panel = pdata.data
    out: dict[str, Any] = {}
    if "pelatihan" in t and panel["g"].notna().any():
        tr = _safe(
            notes,
            "Efek pelatihan",
            E.efek_pelatihan,
            panel,
            "capaian",
            subgroups=("sumber_pertama", "relevansi", "jenis_jabatan", "opd"),
            min_n=min_n,
            n_boot=n_boot,
            seed=seed,
        )
        if tr is not None:
            out.update(
                pelatihan=tr.overall,
                pelatihan_dinamis=tr.dynamic,
                pelatihan_pretrend=tr.pretrend,
                pelatihan_heterogen=tr.heterogeneity,
            )
            notes.extend(tr.notes)
        pel = _pelayanan_komunikasi(
            panel, skor_dimensi, notes, n_boot=n_boot, seed=seed, min_n=min_n
        )
        if pel is not None:
            out["komunikasi_perilaku"] = pel
    if "umpan_balik" in t:
        fb = _safe(notes, "Efek umpan balik", E.efek_umpan_balik, panel, "capaian")
        if fb is not None:
            out["umpan_balik"] = fb.tidy()
    if "layanan" in t and "penerapan" in t:
        lay = E.siapkan_layanan(t["layanan"], t["penerapan"], ds.periods)
        ro = _safe(
            notes,
            "Efek penerapan sistem evaluasi",
            E.efek_penerapan,
            lay,
            n_boot=max(n_boot, 1999),
            seed=seed,
        )
        if ro is not None:
            out.update(
                penerapan=ro.overall, penerapan_dinamis=ro.event, penerapan_pretrend=ro.pretrend
            )
            notes.extend(ro.notes)
    if "umpan_balik" in t and "predikat" in panel:
        out["ordinal"] = _safe(notes, "Regresi logit ordinal", E.ordinal_predikat, panel)
    if "survei" in t:
        from . import survey as V

        skor = V.skor_konstruk(t["survei"], t["survei_instrumen"])
        out["survei_skor"] = skor
        if "pelatihan" in t and (skor["konstruk"] == "percaya_diri").any():
            out["komunikasi"] = _safe(
                notes,
                "Efek pelatihan komunikasi",
                V.efek_pelatihan_komunikasi,
                skor,
                t["pelatihan"],
            )
    if reliabilitas:
        from .reliability import rating_reliability

        out["reliabilitas"] = _safe(
            notes, "Reliabilitas penilai", rating_reliability, t["perilaku"]
        )
    return HasilBersama(
        evaluasi=evaluasi,
        skor_dimensi=skor_dimensi,
        panel=panel,
        catatan=tuple(notes),
        parameter={"seed": seed, "n_boot": n_boot, "min_n": min_n},
        **out,
    )


def _pelayanan_komunikasi(panel, skor_dimensi, notes, *, n_boot, seed, min_n):
    """Communication training → the service-orientation rating (berorientasi_pelayanan).

    Staggered DiD with the first communication training as treatment; controls are ASN
    never trained in communication (they may have had other trainings — noted).
    """
    if "g_komunikasi" not in panel or panel["g_komunikasi"].notna().sum() == 0:
        return None
    pel = skor_dimensi.loc[
        skor_dimensi["dimensi"] == "berorientasi_pelayanan", ["nip", "periode", "skor"]
    ].rename(columns={"skor": "skor_pelayanan"})
    d = panel.merge(pel, on=["nip", "periode"], how="left")
    n_tr = int(d.loc[d["g_komunikasi"] > 0, "nip"].nunique())
    if n_tr < min_n:
        notes.append(f"Pelatihan komunikasi: hanya {n_tr} ASN (< {min_n}); tidak diestimasi.")
        return None
    r = _safe(
        notes,
        "Efek pelatihan komunikasi pada perilaku pelayanan",
        E.efek_pelatihan,
        d,
        "skor_pelayanan",
        g_col="g_komunikasi",
        subgroups=(),
        n_boot=n_boot,
        seed=seed,
    )
    if r is None:
        return None
    notes.append(
        "Pelatihan komunikasi → perilaku pelayanan: pembanding adalah ASN yang belum "
        "pernah ikut pelatihan komunikasi (sebagian mengikuti pelatihan lain)."
    )
    return r.overall.assign(pretrend_p=float(r.pretrend["p_value"].iloc[0]))


def simpan_bersama(h: HasilBersama, folder: str | Path) -> Path:
    """Write :class:`HasilBersama` to ``folder`` (Parquet per table + ``meta.json``)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    present = []
    for name in _FRAMES:
        df = getattr(h, name)
        if df is None:
            continue
        df = df.copy()
        for c in df.columns:
            if df[c].dtype == object or isinstance(df[c].dtype, pd.CategoricalDtype):
                df[c] = df[c].astype("string")
        tmp = folder / f".{name}.parquet.tmp"
        df.to_parquet(tmp, index=False)
        tmp.replace(folder / f"{name}.parquet")
        present.append(name)
    meta = {"tables": present, "catatan": list(h.catatan), "parameter": dict(h.parameter)}
    tmp = folder / ".meta.json.tmp"
    tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(folder / "meta.json")
    return folder


def muat_bersama(folder: str | Path) -> HasilBersama:
    """Read what :func:`simpan_bersama` wrote."""
    folder = Path(folder)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    frames = {n: pd.read_parquet(folder / f"{n}.parquet") for n in meta["tables"]}
    known = {f.name for f in fields(HasilBersama)}
    return HasilBersama(
        **{k: v for k, v in frames.items() if k in known},
        catatan=tuple(meta.get("catatan", ())),
        parameter=meta.get("parameter", {}),
    )


# --------------------------------------------------------------------------- facts


def _row(df: pd.DataFrame | None, **match: object) -> pd.Series | None:
    if df is None or df.empty:
        return None
    m = pd.Series(True, index=df.index)
    for k, v in match.items():
        if k not in df:
            return None
        m &= df[k].astype("string") == str(v)
    hit = df[m]
    return None if hit.empty else hit.iloc[0]


def _efek(
    kunci: str,
    r: pd.Series | None,
    *,
    label_id: str,
    label_en: str,
    hasil_id: str,
    hasil_en: str,
    desain: str,
    satuan_id: str = "poin",
    satuan_en: str = "points",
    sd: float | None = None,
    pretrend_p: float | None = None,
    arah_baik: str = "naik",
    metode: str = "",
):
    from .narrative import Efek

    if r is None or not np.isfinite(float(r["estimate"])):
        return None
    est = float(r["estimate"])
    return Efek(
        kunci=kunci,
        label_id=label_id,
        label_en=label_en,
        hasil_id=hasil_id,
        hasil_en=hasil_en,
        estimate=est,
        ci_low=float(r["ci_low"]),
        ci_high=float(r["ci_high"]),
        p_value=_f(r.get("p_value")),
        n_obs=int(r["n_obs"]) if pd.notna(r.get("n_obs")) else None,
        satuan_id=satuan_id,
        satuan_en=satuan_en,
        estimate_sd=(est / sd) if sd else None,
        pretrend_p=pretrend_p,
        desain=desain,
        metode=metode or str(r.get("method", "")),
        arah_baik=arah_baik,
    )


def _f(x: object) -> float | None:
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return v if np.isfinite(v) else None


def daftar_efek(h: HasilBersama) -> tuple:
    """The estimated effects as :class:`kinerja_analysis.narrative.Efek` objects."""
    sd = float(h.panel["capaian"].std()) if "capaian" in h.panel else None
    pre = _f(h.pelatihan_pretrend["p_value"].iloc[0]) if h.pelatihan_pretrend is not None else None
    cap = dict(hasil_id="capaian SKP", hasil_en="SKP achievement", sd=sd, pretrend_p=pre)
    # (key, result table, term, label id, label en): the training effects
    pelatihan = (
        ("pelatihan", h.pelatihan, "ATT (Callaway–Sant'Anna)", "Pelatihan", "Training"),
        (
            "pelatihan_difasilitasi",
            h.pelatihan_heterogen,
            "sumber_pertama=difasilitasi",
            "Pelatihan yang difasilitasi pemerintah daerah",
            "Training arranged by the city",
        ),
        (
            "pelatihan_mandiri",
            h.pelatihan_heterogen,
            "sumber_pertama=mandiri",
            "Pelatihan yang dicari sendiri (mandiri)",
            "Self-sought training",
        ),
        (
            "pelatihan_relevan",
            h.pelatihan_heterogen,
            "relevansi=relevan",
            "Pelatihan yang relevan dengan kompetensi terlemah",
            "Training aimed at the weakest competency",
        ),
        (
            "pelatihan_tidak_sesuai",
            h.pelatihan_heterogen,
            "relevansi=tidak_sesuai",
            "Pelatihan yang tidak sesuai kebutuhan jabatan",
            "Training that does not fit the job",
        ),
    )
    out = [
        _efek(
            kunci, _row(tabel, term=term), label_id=lid, label_en=len_, desain="kausal_did", **cap
        )
        for kunci, tabel, term, lid, len_ in pelatihan
    ]
    fb = h.umpan_balik
    fbk = dict(
        hasil_id="capaian SKP periode berikutnya",
        hasil_en="next-period SKP achievement",
        desain="kausal_fe",
        sd=sd,
        satuan_id="poin per sesi",
        satuan_en="points per session",
    )
    out += [
        _efek(
            "umpan_balik_baik",
            _row(fb, model="kualitas", term="n_baik_lag1"),
            label_id="Umpan balik berkualitas baik",
            label_en="Good-quality feedback",
            **fbk,
        ),
        _efek(
            "umpan_balik_buruk",
            _row(fb, model="kualitas", term="n_buruk_lag1"),
            label_id="Umpan balik berkualitas buruk",
            label_en="Poor-quality feedback",
            **fbk,
        ),
    ]
    ro = h.penerapan
    out += [
        _efek(
            "penerapan_ikm",
            _row(ro, outcome="ikm"),
            label_id="Penerapan sistem evaluasi terstruktur",
            label_en="The structured evaluation system",
            hasil_id="IKM",
            hasil_en="the IKM",
            desain="kausal_did",
            pretrend_p=_pre(h, "ikm"),
        ),
        _efek(
            "penerapan_tepat_waktu",
            _row(ro, outcome="tepat_waktu_pct"),
            label_id="Penerapan sistem evaluasi terstruktur",
            label_en="The structured evaluation system",
            hasil_id="persentase layanan tepat waktu",
            hasil_en="on-time services",
            satuan_id="poin persen",
            satuan_en="percentage points",
            desain="kausal_did",
            pretrend_p=_pre(h, "tepat_waktu_pct"),
        ),
        _efek(
            "penerapan_pengaduan",
            _row(ro, outcome="pengaduan_per_1000"),
            label_id="Penerapan sistem evaluasi terstruktur",
            label_en="The structured evaluation system",
            hasil_id="pengaduan per 1.000 layanan",
            hasil_en="complaints per 1,000 services",
            satuan_id="pengaduan",
            satuan_en="complaints",
            desain="kausal_did",
            arah_baik="turun",
            pretrend_p=_pre(h, "pengaduan_per_1000"),
        ),
    ]
    if h.komunikasi is not None and len(h.komunikasi):
        out.append(
            _efek(
                "pelatihan_komunikasi",
                h.komunikasi.iloc[0],
                label_id="Pelatihan komunikasi",
                label_en="Communication training",
                hasil_id="rasa percaya diri (survei, skala 1–5)",
                hasil_en="self-confidence (survey, 1–5 scale)",
                desain="kausal_fe",
                satuan_id="poin skala",
                satuan_en="scale points",
            )
        )
    kp = _row(h.komunikasi_perilaku, term="ATT (Callaway–Sant'Anna)")
    if kp is not None:
        out.append(
            _efek(
                "pelatihan_komunikasi_perilaku",
                kp,
                label_id="Pelatihan komunikasi",
                label_en="Communication training",
                hasil_id="skor perilaku berorientasi pelayanan (360°, skala 1–5)",
                hasil_en="the service-orientation rating (360°, 1–5 scale)",
                desain="kausal_did",
                satuan_id="poin skala",
                satuan_en="scale points",
                pretrend_p=_f(kp.get("pretrend_p")),
            )
        )
    return tuple(e for e in out if e is not None)


def _pre(h: HasilBersama, outcome: str) -> float | None:
    r = _row(h.penerapan_pretrend, outcome=outcome)
    return None if r is None else _f(r["p_value"])


def _distribusi(ev: pd.DataFrame) -> pd.DataFrame | None:
    if ev.empty:
        return None
    order = list(S.PREDIKAT_ORDER)
    n = ev["predikat"].astype("string").value_counts().reindex(order, fill_value=0)
    return pd.DataFrame({"predikat": order, "n": n.to_numpy().astype(int)})


def _previous(periods: tuple[str, ...], periode: str) -> str | None:
    i = periods.index(periode)
    return periods[i - 1] if i > 0 else None


def fakta_periode(
    ds,
    h: HasilBersama,
    periode: str,
    *,
    bahasa: str = "id",
    min_sel: int = 5,
    opd: str | None = None,
    predikat_organisasi: str = "Baik",
    tanggal: _dt.date | None = None,
    versi: str = "",
) -> Any:
    """The facts of one period (optionally one OPD) for :func:`narrative.tulis_laporan`.

    Only aggregates leave this function. ``predikat_organisasi`` is the organisation's
    own predikat that sets the SE MenPAN-RB 3/2023 distribution rules.
    """
    from .narrative import FaktaPeriode

    if periode not in ds.periods:
        raise ValueError(f"periode {periode!r} tidak ada dalam dataset ({', '.join(ds.periods)})")
    peg = ds.pegawai if opd is None else ds.pegawai[ds.pegawai["opd"] == opd]
    nips = set(peg["nip"])
    ev_all = h.evaluasi[h.evaluasi["nip"].isin(nips)]
    ev = ev_all[ev_all["periode"] == periode]
    prev = _previous(ds.periods, periode)
    ev_prev = ev_all[ev_all["periode"] == prev] if prev else ev_all.iloc[0:0]
    sd = h.skor_dimensi[h.skor_dimensi["nip"].isin(nips)]
    kep = S.cek_distribusi(ev, peg, predikat_organisasi) if len(ev) else None
    return FaktaPeriode(
        periode=periode,
        bahasa=bahasa,
        tanggal_laporan=tanggal or _dt.date.today(),
        n_pegawai=int(ev["nip"].nunique()),
        n_opd=int(peg["opd"].nunique()),
        distribusi_predikat=_distribusi(ev),
        distribusi_sebelumnya=_distribusi(ev_prev) if prev else None,
        periode_sebelumnya=prev,
        kepatuhan_distribusi=kep[["opd", "aturan", "patuh", "selisih"]]
        if kep is not None
        else None,
        profil_berakhlak=_profil(sd, periode, prev),
        reliabilitas=_reliabilitas(h.reliabilitas, periode) if opd is None else None,
        efek=daftar_efek(h) if opd is None else (),
        resistensi=_resistensi(ds, h, periode, peg),
        pelatihan=_pelatihan(ds, periode, peg),
        prioritas_pelatihan=_prioritas(sd, peg, periode),
        umpan_balik_perlu=_umpan_balik_perlu(ds, periode, peg),
        kandidat_penghargaan=_penghargaan(ev_all, periode, prev),
        kualitas_data=_kualitas(ds),
        provenans={
            "checksum": ds.checksum[:16],
            "versi": versi,
            "parameter": {
                "periode": periode,
                "bahasa": bahasa,
                "min_sel": min_sel,
                "opd": opd or "semua",
                **dict(h.parameter),
            },
            "tanggal": (tanggal or _dt.date.today()).isoformat(),
        },
        min_sel=min_sel,
    )


def _profil(sd: pd.DataFrame, periode: str, prev: str | None) -> pd.DataFrame | None:
    cur = sd[sd["periode"] == periode].groupby("dimensi")["skor"].mean()
    if cur.empty:
        return None
    out = pd.DataFrame({"dimensi": cur.index, "skor": cur.to_numpy()})
    if prev:
        before = sd[sd["periode"] == prev].groupby("dimensi")["skor"].mean()
        out["perubahan"] = (cur - before.reindex(cur.index)).to_numpy()
    order = {d: i for i, d in enumerate(BERAKHLAK)}
    return out.sort_values("dimensi", key=lambda s: s.map(order)).reset_index(drop=True)


def _reliabilitas(rel: pd.DataFrame | None, periode: str) -> pd.DataFrame | None:
    if rel is None or rel.empty:
        return None
    r = rel[(rel["periode"] == periode)]
    icc = r[r["analysis"] == "icc"].pivot_table(index="dimensi", columns="term", values="estimate")
    ka = r[r["analysis"] == "krippendorff"].set_index("dimensi")["estimate"]
    if icc.empty or "ICC1" not in icc:
        return None
    out = pd.DataFrame(
        {
            "dimensi": icc.index,
            "icc1": icc["ICC1"].to_numpy(),
            "icc1k": icc.get("ICC1k", pd.Series(np.nan, index=icc.index)).to_numpy(),
        }
    )
    out["alpha_k"] = ka.reindex(icc.index).to_numpy()
    return out.reset_index(drop=True)


def _resistensi(ds, h: HasilBersama, periode: str, peg: pd.DataFrame) -> pd.DataFrame | None:
    base = peg.groupby("opd").size().rename("n").to_frame()
    skp_p = ds.skp.loc[ds.skp["periode"] == periode, "nip"].unique()
    base["pct_skp_kosong"] = 1 - peg.assign(ada=peg["nip"].isin(skp_p)).groupby("opd")["ada"].mean()
    if ds.has("umpan_balik"):
        fb = ds.umpan_balik.loc[ds.umpan_balik["periode"] == periode, "nip"].unique()
        base["pct_tanpa_umpan_balik"] = (
            1 - peg.assign(a=peg["nip"].isin(fb)).groupby("opd")["a"].mean()
        )
    else:
        base["pct_tanpa_umpan_balik"] = np.nan
    base["penerimaan"] = np.nan
    if h.survei_skor is not None:
        s = h.survei_skor
        s = s[(s["periode"] == periode) & (s["konstruk"] == "penerimaan_sistem")]
        s = s.merge(peg[["nip", "opd"]], on="nip")
        base["penerimaan"] = s.groupby("opd")["skor"].mean().reindex(base.index)
    return base.reset_index()[["opd", "penerimaan", "pct_skp_kosong", "pct_tanpa_umpan_balik", "n"]]


def _pelatihan(ds, periode: str, peg: pd.DataFrame) -> dict[str, Any] | None:
    """Training resources over the 12 months ending with ``periode`` — the same window as
    the report's tables (:func:`kinerja_analysis.report.jp_per_asn`), so the narrative and
    the tables state the same share below the 20 JP a year of PP 11/2017."""
    from .loading import periode_bounds
    from .report import jp_per_asn

    if not ds.has("pelatihan"):
        return None
    jp = jp_per_asn(ds.pelatihan, peg, periode)
    _, akhir = periode_bounds(periode)
    awal = akhir - pd.DateOffset(years=1) + pd.Timedelta(days=1)
    p = ds.pelatihan[ds.pelatihan["nip"].isin(set(peg["nip"]))]
    p = p[(p["tanggal_mulai"] >= awal) & (p["tanggal_mulai"] <= akhir)]
    mandiri = p[p["sumber"] == "mandiri"]
    tidak = (
        ~mandiri["kompetensi_sasaran"].isin(BERAKHLAK) if len(mandiri) else pd.Series(dtype=bool)
    )
    per_opd = jp.groupby("opd").agg(jp_per_asn=("jp", "mean"), n=("nip", "size")).reset_index()
    return {
        "pct_di_bawah_20jp": float((jp["jp"] < 20).mean()),
        "jp_per_asn": float(jp["jp"].mean()),
        "jp_per_opd": per_opd,
        "pct_mandiri": float(len(mandiri) / len(p)) if len(p) else None,
        "pct_mandiri_tidak_sesuai": float(tidak.mean()) if len(mandiri) else None,
    }


def _prioritas(sd: pd.DataFrame, peg: pd.DataFrame, periode: str) -> pd.DataFrame | None:
    cur = sd[sd["periode"] == periode]
    if cur.empty:
        return None
    m = cur.merge(peg[["nip", "opd"]], on="nip")
    city = cur.groupby("dimensi")["skor"].mean()
    g = (
        m.groupby(["opd", "dimensi"])
        .agg(skor=("skor", "mean"), n_asn=("nip", "nunique"))
        .reset_index()
    )
    g["kesenjangan"] = g["dimensi"].map(city) - g["skor"]
    g = g[g["kesenjangan"] > 0]
    g["bobot"] = g["kesenjangan"] * g["n_asn"]
    return (
        g.sort_values("bobot", ascending=False)[["opd", "dimensi", "kesenjangan", "n_asn"]]
        .head(10)
        .reset_index(drop=True)
    )


def _umpan_balik_perlu(ds, periode: str, peg: pd.DataFrame) -> pd.DataFrame | None:
    if not ds.has("umpan_balik"):
        return None
    fb = ds.umpan_balik[
        (ds.umpan_balik["periode"] == periode) & ds.umpan_balik["nip"].isin(set(peg["nip"]))
    ]
    got = peg.assign(ada=peg["nip"].isin(set(fb["nip"])))
    out = got.groupby("opd").agg(n=("nip", "size"), ada=("ada", "mean")).reset_index()
    out["pct_tanpa_umpan_balik"] = 1 - out.pop("ada")
    q = fb.merge(peg[["nip", "opd"]], on="nip")
    if "kualitas" in q:
        poor = q.assign(b=q["kualitas"] <= 2).groupby("opd")["b"].mean()
        out["pct_kualitas_buruk"] = out["opd"].map(poor)
    else:
        out["pct_kualitas_buruk"] = np.nan
    return out.sort_values("pct_tanpa_umpan_balik", ascending=False).reset_index(drop=True)[
        ["opd", "pct_tanpa_umpan_balik", "pct_kualitas_buruk", "n"]
    ]


def _penghargaan(ev_all: pd.DataFrame, periode: str, prev: str | None) -> pd.DataFrame:
    cur = ev_all[ev_all["periode"] == periode]
    sb = set(cur.loc[cur["predikat"].astype("string") == S.SANGAT_BAIK, "nip"])
    rows = [{"kriteria": "Predikat Sangat Baik pada periode ini", "n": len(sb)}]
    if prev:
        before = ev_all[ev_all["periode"] == prev]
        sb_prev = set(before.loc[before["predikat"].astype("string") == S.SANGAT_BAIK, "nip"])
        rows.append(
            {"kriteria": "Predikat Sangat Baik dua periode berturut-turut", "n": len(sb & sb_prev)}
        )
    top = cur[cur["rating_hasil"].astype("string") == S.DI_ATAS]
    top = top[top["rating_perilaku"].astype("string") != S.DI_BAWAH]
    rows.append(
        {
            "kriteria": "Hasil kerja di atas ekspektasi tanpa catatan perilaku",
            "n": int(top["nip"].nunique()),
        }
    )
    return pd.DataFrame(rows)


def _kualitas(ds) -> pd.DataFrame:
    s = ds.validation.summary
    return s.rename(
        columns={"rows_read": "dibaca", "rows_accepted": "diterima", "rows_rejected": "ditolak"}
    )[["tabel", "dibaca", "diterima", "ditolak"]]


# --------------------------------------------------------------------------- batch & notebooks


def _kode_paket() -> str:
    import hashlib

    h = hashlib.sha256()
    root = Path(__file__).parent
    for p in sorted(root.glob("*.py")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def siapkan_bersama(ds, folder: str | Path, *, seed: int = 2025, n_boot: int = 999) -> Path:
    """Batch hook: compute the shared results once into ``folder`` (reused when the data,
    the parameters and the package code are unchanged)."""
    folder = Path(folder)
    kunci = {"checksum": ds.checksum, "seed": seed, "n_boot": n_boot, "kode": _kode_paket()}
    meta = folder / "meta.json"
    if meta.is_file():
        old = json.loads(meta.read_text(encoding="utf-8")).get("kunci")
        if old == kunci:
            return folder
    h = hitung_bersama(ds, seed=seed, n_boot=n_boot)
    simpan_bersama(h, folder)
    m = json.loads(meta.read_text(encoding="utf-8"))
    m["kunci"] = kunci
    tmp = folder / ".meta.json.tmp"
    tmp.write_text(json.dumps(m, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(meta)
    return folder


def muat_atau_hitung(ds, folder: str | Path | None, *, seed: int = 2025) -> HasilBersama:
    """Shared results from the batch's folder, or computed now (interactive use)."""
    if folder is not None and (Path(folder) / "meta.json").is_file():
        return muat_bersama(folder)
    return hitung_bersama(ds, seed=seed)


def tabel_predikat(
    ds, h: HasilBersama, periode: str, *, opd: str | None = None, min_sel: int = 5
) -> pd.DataFrame:
    """Predikat counts and shares per OPD (long: ``opd, predikat, n, persen``), small cells
    and their complements suppressed (:func:`kinerja_analysis.privacy.sembunyikan`)."""
    from .privacy import sembunyikan

    peg = ds.pegawai if opd is None else ds.pegawai[ds.pegawai["opd"] == opd]
    ev = h.evaluasi[(h.evaluasi["periode"] == periode) & h.evaluasi["nip"].isin(set(peg["nip"]))]
    ev = ev.merge(peg[["nip", "opd"]], on="nip")
    order = list(S.PREDIKAT_ORDER)
    grid = pd.MultiIndex.from_product(
        [sorted(ev["opd"].unique()), order], names=["opd", "predikat"]
    )
    n = ev.groupby(["opd", ev["predikat"].astype("string")]).size()
    n.index = n.index.set_names(["opd", "predikat"])
    out = n.reindex(grid, fill_value=0).rename("n").reset_index()
    out["persen"] = out["n"] / out.groupby("opd")["n"].transform("sum")
    return sembunyikan(out, "n", min_sel, by="opd", value_cols=["persen"], by_tambahan=["predikat"])


def tabel_efek(h: HasilBersama, bahasa: str = "id") -> pd.DataFrame:
    """Every estimated effect with its evidence grade (the appendix table, as data)."""
    efek = daftar_efek(h)
    if not efek:
        return pd.DataFrame()
    out = pd.concat([e.tidy() for e in efek], ignore_index=True)
    out["label"] = [e.label_id if bahasa == "id" else e.label_en for e in efek]
    out["hasil"] = [e.hasil_id if bahasa == "id" else e.hasil_en for e in efek]
    return out


def tabel_profil_opd(
    ds, h: HasilBersama, periode: str, *, opd: str | None = None, min_sel: int = 5
) -> pd.DataFrame:
    """OPD × BerAKHLAK mean scores of the period; cells of fewer than ``min_sel`` ASN blank."""
    peg = ds.pegawai if opd is None else ds.pegawai[ds.pegawai["opd"] == opd]
    sd = h.skor_dimensi[
        (h.skor_dimensi["periode"] == periode) & h.skor_dimensi["nip"].isin(set(peg["nip"]))
    ]
    prof = S.profil_opd(sd, peg)
    prof.loc[prof["n_pegawai"] < min_sel, ["rerata", "sd"]] = np.nan
    return prof


# --------------------------------------------------------------------------- confidential sheets


def lembar_individu(ds, h: HasilBersama, periode: str) -> pd.DataFrame:
    """CONFIDENTIAL: each employee's evaluation, strengths and weaknesses for one period.

    For the employee and their direct supervisor only — identified by NIP, never part of a
    stakeholder report. Written by ``kinerja batch --rahasia`` into a separate folder.

    Returns ``nip, opd, jabatan, predikat, capaian, rating_hasil, skor_perilaku,
    rating_perilaku, selisih_diri, kekuatan, kelemahan`` (dimensions where the employee
    stands at least one SD above/below peers in the same job family, with at least three
    raters; see :func:`kinerja_analysis.scoring.kekuatan_kelemahan`).
    """
    ev = h.evaluasi[h.evaluasi["periode"] == periode]
    sd = h.skor_dimensi[h.skor_dimensi["periode"] == periode]
    kk = S.kekuatan_kelemahan(sd, ds.pegawai)
    kk = kk[kk["kategori"].notna()]
    lists = (
        kk.groupby(["nip", "kategori"])["dimensi"]
        .agg(lambda d: ", ".join(sorted(x.replace("_", " ") for x in d)))
        .unstack()
        .reindex(columns=["kekuatan", "kelemahan"])
    )
    cols = [
        "nip",
        "predikat",
        "capaian",
        "rating_hasil",
        "skor_perilaku",
        "rating_perilaku",
        "selisih_diri",
    ]
    out = ds.pegawai[["nip", "opd", "jabatan"]].merge(
        ev[[c for c in cols if c in ev]], on="nip", how="inner"
    )
    out = out.join(lists, on="nip")
    out["predikat"] = out["predikat"].astype("string")
    return out.sort_values(["opd", "nip"], ignore_index=True)


def tulis_lembar_rahasia(ds, h: HasilBersama, periods, folder: str | Path) -> list[Path]:
    """Write one confidential XLSX per period into ``folder/<periode>/`` (atomic)."""
    from .export import to_xlsx

    written = []
    for p in periods:
        df = lembar_individu(ds, h, p)
        df.attrs["judul"] = f"RAHASIA — umpan balik individual {p}"
        target = Path(folder) / p / f"RAHASIA_umpan_balik_individu_{p}.xlsx"
        target.parent.mkdir(parents=True, exist_ok=True)
        written.append(
            to_xlsx(
                {"rahasia": df},
                target,
                info={
                    "Klasifikasi": "RAHASIA — hanya untuk pegawai yang bersangkutan dan atasan langsung",
                    "Periode": p,
                    "Catatan": "Jangan diteruskan, dicetak untuk umum, atau dilampirkan pada laporan.",
                },
            )
        )
    return written


def tabel_hasil_vs_kompetensi(
    ds, h: HasilBersama, periode: str, *, opd: str | None = None, min_sel: int = 5
) -> pd.DataFrame:
    """The seed's example made measurable: per OPD, how many ASN move up or down in
    predikat when behaviour (competency) is counted beside output, versus output alone
    (:func:`kinerja_analysis.scoring.hasil_vs_kompetensi`); counts under ``min_sel``
    suppressed with their complements within each OPD."""
    from .privacy import sembunyikan

    peg = ds.pegawai if opd is None else ds.pegawai[ds.pegawai["opd"] == opd]
    ev = h.evaluasi[(h.evaluasi["periode"] == periode) & h.evaluasi["nip"].isin(set(peg["nip"]))]
    per = S.hasil_vs_kompetensi(ev, peg).per_opd
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
    out = sembunyikan(long, "n", min_sel, by="opd", value_cols=["persen"], by_tambahan=["arah"])
    kota = long.groupby("arah", as_index=False).agg(n=("n", "sum"), n_pegawai=("n_pegawai", "sum"))
    kota["persen"] = kota["n"] / kota["n_pegawai"]
    kota["opd"] = "Seluruh OPD"
    kota = sembunyikan(kota, "n", min_sel, value_cols=["persen"], total_ditampilkan=False)
    out = out.sort_values(["opd", "arah"], ignore_index=True)
    return pd.concat([kota[out.columns], out], ignore_index=True)
