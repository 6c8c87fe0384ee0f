"""The facts of one period's document, as of that period.

:func:`period_facts` gathers what the narrative of one period (and optionally one OPD)
may say — aggregates only — as a
:class:`kinerja_analysis.reporting.narrative.PeriodFacts`, from the validated dataset
and the shared results of the same data window
(:func:`kinerja_analysis.analyses.shared.compute_shared` with ``through=periode``).
Data of later periods never enter: the dataset is cut at the period's end
(:func:`kinerja_analysis.analyses.shared.data_through`) and shared results computed on a
longer window are refused. :func:`effect_list` turns the shared estimates into the
narrative's effects; :func:`effects_table` lists them as data.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import numpy as np
import pandas as pd

from kinerja_analysis.analyses.shared import SharedResults, data_through
from kinerja_analysis.core.config import DEFAULTS
from kinerja_analysis.core.periods import period_bounds
from kinerja_analysis.core.profile import AgencyProfile, default_profile
from kinerja_analysis.data.contract import BERAKHLAK
from kinerja_analysis.domain.predikat import PREDIKAT_ORDER, SANGAT_BAIK, check_distribution
from kinerja_analysis.domain.ratings import DI_ATAS, DI_BAWAH
from kinerja_analysis.reporting.narrative import Effect, PeriodFacts
from kinerja_analysis.reporting.tables import jp_by_asn

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


def _effect(
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

    if r is None or not np.isfinite(float(r["estimate"])):
        return None
    est = float(r["estimate"])
    return Effect(
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


def effect_list(h: SharedResults) -> tuple:
    """The estimated effects as :class:`kinerja_analysis.reporting.narrative.Effect` objects."""
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
        _effect(
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
        _effect(
            "umpan_balik_baik",
            _row(fb, model="kualitas", term="n_baik_lag1"),
            label_id="Umpan balik berkualitas baik",
            label_en="Good-quality feedback",
            **fbk,
        ),
        _effect(
            "umpan_balik_buruk",
            _row(fb, model="kualitas", term="n_buruk_lag1"),
            label_id="Umpan balik berkualitas buruk",
            label_en="Poor-quality feedback",
            **fbk,
        ),
    ]
    ro = h.penerapan
    out += [
        _effect(
            "penerapan_ikm",
            _row(ro, outcome="ikm"),
            label_id="Penerapan sistem evaluasi terstruktur",
            label_en="The structured evaluation system",
            hasil_id="IKM",
            hasil_en="the IKM",
            desain="kausal_did",
            pretrend_p=_pretrend_p(h, "ikm"),
        ),
        _effect(
            "penerapan_tepat_waktu",
            _row(ro, outcome="tepat_waktu_pct"),
            label_id="Penerapan sistem evaluasi terstruktur",
            label_en="The structured evaluation system",
            hasil_id="persentase layanan tepat waktu",
            hasil_en="on-time services",
            satuan_id="poin persen",
            satuan_en="percentage points",
            desain="kausal_did",
            pretrend_p=_pretrend_p(h, "tepat_waktu_pct"),
        ),
        _effect(
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
            pretrend_p=_pretrend_p(h, "pengaduan_per_1000"),
        ),
    ]
    if h.komunikasi is not None and len(h.komunikasi):
        out.append(
            _effect(
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
            _effect(
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


def _pretrend_p(h: SharedResults, outcome: str) -> float | None:
    r = _row(h.penerapan_pretrend, outcome=outcome)
    return None if r is None else _f(r["p_value"])


def _distribution(ev: pd.DataFrame) -> pd.DataFrame | None:
    if ev.empty:
        return None
    order = list(PREDIKAT_ORDER)
    n = ev["predikat"].astype("string").value_counts().reindex(order, fill_value=0)
    return pd.DataFrame({"predikat": order, "n": n.to_numpy().astype(int)})


def _previous_period(periods: tuple[str, ...], periode: str) -> str | None:
    i = periods.index(periode)
    return periods[i - 1] if i > 0 else None


def period_facts(
    ds,
    h: SharedResults,
    periode: str,
    *,
    bahasa: str = "id",
    min_sel: int = DEFAULTS.min_sel,
    opd: str | None = None,
    predikat_organisasi: str = "Baik",
    tanggal: _dt.date | None = None,
    versi: str = "",
    profil: AgencyProfile | None = None,
) -> Any:
    """The facts of one period (optionally one OPD) for :func:`narrative.write_report`.

    Only aggregates leave this function. ``predikat_organisasi`` is the organisation's
    own predikat that sets the SE MenPAN-RB 3/2023 distribution rules. ``profil`` is
    the agency the document speaks for (default: the bundled example).

    As of ``periode``: ``ds`` is cut at the end of the period
    (:func:`~kinerja_analysis.analyses.shared.data_through`), and ``h`` must be the shared
    results of that same window (``h.periode_akhir == periode``).

    Raises
    ------
    ValueError
        ``periode`` is not a period of the data, or ``h`` was computed on data that go
        beyond it (a document may not use later data).
    """
    profil = profil or default_profile()

    if periode not in ds.periods:
        raise ValueError(f"periode {periode!r} tidak ada dalam dataset ({', '.join(ds.periods)})")
    if h.periode_akhir is not None and h.periode_akhir != periode:
        raise ValueError(
            f"hasil bersama dihitung dengan data sampai {h.periode_akhir}; dokumen {periode} "
            f"hanya boleh memakai data sampai {periode} "
            f"(compute_shared(ds, through={periode!r}))"
        )
    ds = data_through(ds, periode)
    peg = ds.pegawai if opd is None else ds.pegawai[ds.pegawai["opd"] == opd]
    nips = set(peg["nip"])
    ev_all = h.evaluasi[h.evaluasi["nip"].isin(nips)]
    ev = ev_all[ev_all["periode"] == periode]
    prev = _previous_period(ds.periods, periode)
    ev_prev = ev_all[ev_all["periode"] == prev] if prev else ev_all.iloc[0:0]
    sd = h.skor_dimensi[h.skor_dimensi["nip"].isin(nips)]
    kep = check_distribution(ev, peg, predikat_organisasi) if len(ev) else None
    return PeriodFacts(
        periode=periode,
        bahasa=bahasa,
        tanggal_laporan=tanggal or _dt.date.today(),
        n_pegawai=int(ev["nip"].nunique()),
        n_opd=int(peg["opd"].nunique()),
        distribusi_predikat=_distribution(ev),
        distribusi_sebelumnya=_distribution(ev_prev) if prev else None,
        periode_sebelumnya=prev,
        kepatuhan_distribusi=kep[["opd", "aturan", "patuh", "selisih"]]
        if kep is not None
        else None,
        profil_berakhlak=_berakhlak_profile(sd, periode, prev),
        reliabilitas=_reliability_facts(h.reliabilitas, periode) if opd is None else None,
        efek=effect_list(h) if opd is None else (),
        resistensi=_resistance_facts(ds, h, periode, peg),
        pelatihan=_training_facts(ds, periode, peg),
        prioritas_pelatihan=_training_priorities(sd, peg, periode),
        umpan_balik_perlu=_feedback_needs(ds, periode, peg),
        kandidat_penghargaan=_recognition_candidates(ev_all, periode, prev),
        kualitas_data=_data_quality(ds),
        periode_data=tuple(ds.periods),
        nama_daerah=profil.name,
        instansi=profil.government(bahasa),
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


def _berakhlak_profile(sd: pd.DataFrame, periode: str, prev: str | None) -> pd.DataFrame | None:
    cur = sd[sd["periode"] == periode].groupby("dimensi")["skor"].mean()
    if cur.empty:
        return None
    out = pd.DataFrame({"dimensi": cur.index, "skor": cur.to_numpy()})
    if prev:
        before = sd[sd["periode"] == prev].groupby("dimensi")["skor"].mean()
        out["perubahan"] = (cur - before.reindex(cur.index)).to_numpy()
    order = {d: i for i, d in enumerate(BERAKHLAK)}
    return out.sort_values("dimensi", key=lambda s: s.map(order)).reset_index(drop=True)


def _reliability_facts(rel: pd.DataFrame | None, periode: str) -> pd.DataFrame | None:
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


def _resistance_facts(ds, h: SharedResults, periode: str, peg: pd.DataFrame) -> pd.DataFrame | None:
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


def _training_facts(ds, periode: str, peg: pd.DataFrame) -> dict[str, Any] | None:
    """Training resources over the 12 months ending with ``periode`` — the same window as
    the report's tables (:func:`kinerja_analysis.reporting.tables.jp_by_asn`), so the narrative and
    the tables state the same share below the 20 JP a year of PP 11/2017."""

    if not ds.has("pelatihan"):
        return None
    jp = jp_by_asn(ds.pelatihan, peg, periode)
    _, akhir = period_bounds(periode)
    awal = akhir - pd.DateOffset(years=1) + pd.Timedelta(days=1)
    p = ds.pelatihan[ds.pelatihan["nip"].isin(set(peg["nip"]))]
    p = p[(p["tanggal_mulai"] >= awal) & (p["tanggal_mulai"] <= akhir)]
    mandiri = p[p["sumber"] == "mandiri"]
    tidak = (
        ~mandiri["kompetensi_sasaran"].isin(BERAKHLAK) if len(mandiri) else pd.Series(dtype=bool)
    )
    per_opd = jp.groupby("opd").agg(jp_per_asn=("jp", "mean"), n=("nip", "size")).reset_index()
    # months of the 12-month window that the data cover (the window may reach back before
    # the first period of the data, where no training can have been recorded)
    mulai_data = period_bounds(ds.periods[0])[0]
    bulan = (
        (akhir.year - max(awal, mulai_data).year) * 12
        + akhir.month
        - max(awal, mulai_data).month
        + 1
    )
    return {
        "bulan_data": int(min(12, max(0, bulan))),
        "pct_di_bawah_20jp": float((jp["jp"] < 20).mean()),
        "jp_per_asn": float(jp["jp"].mean()),
        "jp_per_opd": per_opd,
        "pct_mandiri": float(len(mandiri) / len(p)) if len(p) else None,
        "pct_mandiri_tidak_sesuai": float(tidak.mean()) if len(mandiri) else None,
    }


def _training_priorities(sd: pd.DataFrame, peg: pd.DataFrame, periode: str) -> pd.DataFrame | None:
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


def _feedback_needs(ds, periode: str, peg: pd.DataFrame) -> pd.DataFrame | None:
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


def _recognition_candidates(ev_all: pd.DataFrame, periode: str, prev: str | None) -> pd.DataFrame:
    cur = ev_all[ev_all["periode"] == periode]
    sb = set(cur.loc[cur["predikat"].astype("string") == SANGAT_BAIK, "nip"])
    rows = [{"kriteria": "Predikat Sangat Baik pada periode ini", "n": len(sb)}]
    if prev:
        before = ev_all[ev_all["periode"] == prev]
        sb_prev = set(before.loc[before["predikat"].astype("string") == SANGAT_BAIK, "nip"])
        rows.append(
            {"kriteria": "Predikat Sangat Baik dua periode berturut-turut", "n": len(sb & sb_prev)}
        )
    top = cur[cur["rating_hasil"].astype("string") == DI_ATAS]
    top = top[top["rating_perilaku"].astype("string") != DI_BAWAH]
    rows.append(
        {
            "kriteria": "Hasil kerja di atas ekspektasi tanpa catatan perilaku",
            "n": int(top["nip"].nunique()),
        }
    )
    return pd.DataFrame(rows)


def _data_quality(ds) -> pd.DataFrame:
    """Rows of each table this document uses (the window's accepted rows), per table in
    the order of the validation report. Rejections are in the data-quality document."""
    order = [t for t in ds.validation.summary["tabel"] if t in ds.tables]
    order += [t for t in ds.tables if t not in order]
    return pd.DataFrame(
        {
            "tabel": order,
            "baris_dipakai": [int(len(ds.tables[t])) for t in order],
        }
    )


def effects_table(h: SharedResults, bahasa: str = "id") -> pd.DataFrame:
    """Every estimated effect with its evidence grade (the appendix table, as data)."""
    efek = effect_list(h)
    if not efek:
        return pd.DataFrame()
    out = pd.concat([e.tidy() for e in efek], ignore_index=True)
    out["label"] = [e.label_id if bahasa == "id" else e.label_en for e in efek]
    out["hasil"] = [e.hasil_id if bahasa == "id" else e.hasil_en for e in efek]
    return out
