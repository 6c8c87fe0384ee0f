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

import dataclasses
import datetime as _dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kinerja_analysis.analyses.shared import SharedResults, data_through, pegawai_through
from kinerja_analysis.analyses.training import training_power
from kinerja_analysis.core.compat import TEXT_DTYPE
from kinerja_analysis.core.config import DEFAULTS
from kinerja_analysis.core.deprecation import renamed_keywords
from kinerja_analysis.core.frames import concat_rows, rows_where
from kinerja_analysis.core.keys import in_values
from kinerja_analysis.core.periods import parse_period, period_bounds
from kinerja_analysis.core.profile import AgencyProfile, default_profile
from kinerja_analysis.data.contract import BERAKHLAK
from kinerja_analysis.domain.predikat import PREDIKAT_ORDER, SANGAT_BAIK, check_distribution
from kinerja_analysis.domain.ratings import DI_ATAS, DI_BAWAH
from kinerja_analysis.methods.multiplicity import adjust_pvalues
from kinerja_analysis.methods.power import mde
from kinerja_analysis.reporting.narrative import Effect, PeriodFacts
from kinerja_analysis.reporting.privacy import (
    remainder_hidden,
    sources_hidden,
    subset_hidden,
    suppress_small_cells,
)
from kinerja_analysis.reporting.tables import (
    headcount,
    jp_by_asn,
    jp_summary,
    jp_window,
    jp_window_covered,
    predikat_by_opd,
    residual_hidden,
    suppressed_opds,
)

# --------------------------------------------------------------------------- facts


def _row(df: pd.DataFrame | None, **match: object) -> pd.Series | None:
    if df is None or df.empty:
        return None
    m = pd.Series(True, index=df.index)
    for k, v in match.items():
        if k not in df:
            return None
        m &= df[k].astype("string[pyarrow]") == str(v)
    hit = df[m]
    return None if hit.empty else hit.iloc[0]


#: The effects a period document states, as data: one row per effect (``effects.csv``
#: beside this module). Columns: ``kunci`` (key); ``sumber`` (the
#: :class:`~kinerja_analysis.analyses.shared.SharedResults` table); ``cocok`` (how to find
#: the row: ``col=value`` conditions joined by ``;``, empty = first row); labels
#: ``label_*`` (the cause), ``hasil_*`` (the outcome), ``satuan_*`` (unit) in id/en;
#: ``desain`` (kausal_did, kausal_fe, asosiasi); ``arah_baik`` (naik/turun); ``sd``
#: (panel column whose SD expresses the effect in SDs, or empty); ``pretrend`` (where
#: the pre-trend test is: ``pelatihan``, ``penerapan:<outcome>``, ``kolom`` = the row's
#: ``pretrend_p``, or empty); ``sensitivitas`` (``<table>:<outcome>`` of the
#: Rambachan–Roth table, or empty); ``program_*`` (the programme, for the sensitivity
#: sentence); ``arah_dugaan`` (the direction the programme is expected to move the
#: outcome when it is not ``arah_baik``: poor feedback is expected to lower capaian).
EFFECTS: pd.DataFrame = pd.read_csv(
    Path(__file__).with_name("effects.csv"), dtype=str, keep_default_na=False
)


def _match(df: pd.DataFrame | None, cocok: str) -> pd.Series | None:
    if df is None or df.empty:
        return None
    if not cocok:
        return df.iloc[0]
    match = {}
    for part in cocok.split(";"):
        k, _, v = part.partition("=")
        match[k] = v
    return _row(df, **match)


def _pretrend_p(h: SharedResults, spec: str, r: pd.Series) -> float | None:
    if not spec:
        return None
    if spec == "kolom":
        return _f(r.get("pretrend_p"))
    if spec == "pelatihan":
        t = h.pelatihan_pretrend
        return _f(t["p_value"].iloc[0]) if t is not None and len(t) else None
    table, _, outcome = spec.partition(":")
    hit = _row(getattr(h, f"{table}_pretrend", None), outcome=outcome)
    return None if hit is None else _f(hit["p_value"])


def _breakdowns(h: SharedResults, spec: str) -> dict[str, object]:
    """Breakdown values of an effect's Rambachan–Roth table (relative magnitudes, smoothness)."""
    if not spec:
        return {}
    table, _, outcome = spec.partition(":")
    t = getattr(h, f"{table}_sensitivitas", None)
    if t is None or t.empty:
        return {}
    if "outcome" in t:
        t = t[t["outcome"].astype(TEXT_DTYPE) == outcome]
    out: dict[str, object] = {}
    for delta, key in (("relative_magnitudes", "breakdown_rm"), ("smoothness", "breakdown_sd")):
        d = t[t["delta"] == delta]
        if len(d):
            out[key] = _f(d["breakdown"].iloc[0])
            if delta == "relative_magnitudes":
                out["breakdown_rm_censored"] = str(d["breakdown_censored"].iloc[0]) == "True"
    return out


def _flags(r: pd.Series) -> tuple[str, ...]:
    v = r.get("flags")
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return ()
    return tuple(x for x in str(v).split(",") if x)


def _make_effect(h: SharedResults, spec: pd.Series) -> Effect | None:
    r = _match(getattr(h, spec["sumber"], None), spec["cocok"])
    if r is None or _f(r.get("estimate")) is None:
        return None
    est = float(r["estimate"])
    sd = float(h.panel[spec["sd"]].std()) if spec["sd"] and spec["sd"] in h.panel else None
    return Effect(
        key=spec["kunci"],
        label_id=spec["label_id"],
        label_en=spec["label_en"],
        hasil_id=spec["hasil_id"],
        hasil_en=spec["hasil_en"],
        estimate=est,
        ci_low=float(r["ci_low"]),
        ci_high=float(r["ci_high"]),
        std_error=_f(r.get("std_error")),
        p_value=_f(r.get("p_value")),
        n_obs=int(r["n_obs"]) if pd.notna(r.get("n_obs")) else None,
        unit_id=spec["satuan_id"],
        unit_en=spec["satuan_en"],
        estimate_sd=(est / sd) if sd else None,
        pretrend_p=_pretrend_p(h, spec["pretrend"], r),
        design=spec["desain"],
        method=str(r.get("method", "")),
        good_direction=spec["arah_baik"],
        flags=_flags(r),
        program_id=spec["program_id"],
        program_en=spec["program_en"],
        expected_direction=spec["arah_dugaan"] or None,
        comparison=str(r.get("control_group") or "") if pd.notna(r.get("control_group")) else "",
        n_clusters=_int(r.get("n_clusters")),
        n_treated_clusters=_int(r.get("n_treated_clusters")),
        n_untreated_clusters=_int(r.get("n_untreated_clusters")),
        pretrend_reason=str(r.get("pretrend_reason") or "")
        if pd.notna(r.get("pretrend_reason"))
        else "",
        **_breakdowns(h, spec["sensitivitas"]),
    )


def _int(x: object) -> int | None:
    v = _f(x)
    return None if v is None else int(v)


def _f(x: object) -> float | None:
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return v if np.isfinite(v) else None


def effect_list(h: SharedResults) -> tuple:
    """The estimated effects as :class:`kinerja_analysis.reporting.narrative.Effect` objects.

    One per row of :data:`EFFECTS` whose result is available, in that order, each with
    its p-value adjusted for the whole family by Holm's procedure
    (:func:`kinerja_analysis.methods.multiplicity.adjust_pvalues`): the document states
    all of them at once, so its evidence grades account for multiplicity.
    """
    out = [e for e in (_make_effect(h, spec) for _, spec in EFFECTS.iterrows()) if e is not None]
    p = [np.nan if e.p_value is None else e.p_value for e in out]
    adj = adjust_pvalues(p, "holm") if out else np.zeros(0)
    return tuple(
        dataclasses.replace(e, p_adjusted=None if np.isnan(a) else float(a))
        for e, a in zip(out, adj, strict=True)
    )


def _distribution(ev: pd.DataFrame) -> pd.DataFrame | None:
    if ev.empty:
        return None
    order = list(PREDIKAT_ORDER)
    n = ev["predikat"].astype("string[pyarrow]").value_counts().reindex(order, fill_value=0)
    return pd.DataFrame({"predikat": order, "n": n.to_numpy().astype(int)})


def _previous_period(periods: tuple[str, ...], periode: str) -> str | None:
    i = periods.index(periode)
    return periods[i - 1] if i > 0 else None


@renamed_keywords(tanggal="date", versi="version", profil="profile")
def period_facts(
    ds,
    h: SharedResults,
    periode: str,
    *,
    bahasa: str = "id",
    min_sel: int = DEFAULTS.min_sel,
    opd: str | None = None,
    predikat_organisasi: str = "Baik",
    date: _dt.date | None = None,
    version: str = "",
    profile: AgencyProfile | None = None,
    withheld: Iterable[str] = (),
) -> Any:
    """The facts of one period (optionally one OPD) for :func:`narrative.write_report`.

    ``withheld``: in an OPD's document, the measures the city level suppresses for that
    OPD (:func:`kinerja_analysis.reporting.tables.city_suppressed_measures`); their
    figures are left out of the facts (``predikat``: the predikat distributions and the
    distribution rules; ``perilaku``: the BerAKHLAK profile and training priorities;
    ``jp``: the JP figures, with ``pelatihan["jp_disembunyikan"]`` set so the narrative
    says why; ``jp_mandiri``: the self-funded shares, flagged the same way).

    Only aggregates leave this function. ``predikat_organisasi`` is the organisation's
    own predikat that sets the SE MenPAN-RB 3/2023 distribution rules. ``profile`` is
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
    profile = profile or default_profile()

    if periode not in ds.periods:
        raise ValueError(f"period {periode!r} is not in the dataset ({', '.join(ds.periods)})")
    if h.periode_akhir is not None and h.periode_akhir != periode:
        raise ValueError(
            f"the shared results were computed on data up to {h.periode_akhir}; the "
            f"document of {periode} may only use data up to {periode} "
            f"(compute_shared(ds, through={periode!r}))"
        )
    ds = data_through(ds, periode)
    # the window's register (whoever was an ASN in one of its periods: the rows of earlier
    # periods are theirs) and this period's (its head-counts: not those who left before
    # it began, nor those hired after it; pegawai_through)
    register = pegawai_through(ds.tables, periode)
    reg = ds.pegawai if opd is None else ds.pegawai[ds.pegawai["opd"] == opd]
    peg = register if opd is None else register[register["opd"] == opd]
    nips = set(reg["nip"])
    ev_all = rows_where(h.evaluasi, in_values(h.evaluasi["nip"], nips))
    ev = rows_where(ev_all, ev_all["periode"] == periode)
    prev = _previous_period(ds.periods, periode)
    ev_prev = rows_where(ev_all, ev_all["periode"] == prev) if prev else ev_all.iloc[0:0]
    sd = rows_where(h.skor_dimensi, in_values(h.skor_dimensi["nip"], nips))
    kep = check_distribution(ev, reg, predikat_organisasi) if len(ev) else None
    withheld = frozenset(withheld) if opd is not None else frozenset()
    tanpa_predikat = "predikat" in withheld
    tanpa_perilaku = "perilaku" in withheld
    pelatihan = _training_facts(ds, periode, peg, min_sel)
    if "jp" in withheld and pelatihan is not None:
        pelatihan = {
            **pelatihan,
            "pct_di_bawah_20jp": None,
            "pct_di_bawah_20jp_disembunyikan": False,  # said once, with every JP figure
            "jp_per_asn": None,
            "jp_per_opd": None,
            "jp_tidak_tersedia_sejak": None,
            "jp_disembunyikan": True,
        }
    elif "jp_bawah_20" in withheld and pelatihan is not None:
        # the city hides this OPD's share below 20 JP (not its mean): withheld, and said so
        pelatihan = {
            **pelatihan,
            "pct_di_bawah_20jp": None,
            "pct_di_bawah_20jp_disembunyikan": pelatihan.get("pct_di_bawah_20jp") is not None
            or bool(pelatihan.get("pct_di_bawah_20jp_disembunyikan")),
        }
    if "jp_mandiri" in withheld and pelatihan is not None:
        pelatihan = {
            **pelatihan,
            "pct_mandiri": None,
            "pct_mandiri_tidak_sesuai": None,
            # withheld where there is a figure to withhold (else: not available)
            "pct_mandiri_disembunyikan": pelatihan.get("pct_mandiri") is not None
            or bool(pelatihan.get("pct_mandiri_disembunyikan")),
            "pct_mandiri_tidak_sesuai_disembunyikan": pelatihan.get("pct_mandiri_tidak_sesuai")
            is not None
            or bool(pelatihan.get("pct_mandiri_tidak_sesuai_disembunyikan")),
        }
    return PeriodFacts(
        periode=periode,
        bahasa=bahasa,
        report_date=date or _dt.date.today(),
        # the ASN the document covers: its head-count (published beside it), never the
        # number with a predikat, whose difference from it may be a small group
        n_pegawai=int(peg["nip"].nunique()),
        n_opd=int(peg["opd"].nunique()),
        predikat_distribution=_distribution_as_city(_distribution(ev), ds, h, periode, opd, min_sel)
        if opd is not None
        else _distribution_of_city(_distribution(ev), int(peg["nip"].nunique()), min_sel),
        previous_distribution=_distribution(ev_prev)
        if prev and not tanpa_predikat and f"predikat:{prev}" not in withheld
        else None,
        previous_periode=prev,
        distribution_compliance=_shown_compliance(kep, ds, h, periode, min_sel)
        if kep is not None and not tanpa_predikat
        else None,
        berakhlak_profile=None
        if tanpa_perilaku
        else _berakhlak_profile(sd, periode, None if f"perilaku:{prev}" in withheld else prev),
        reliability=_reliability_facts(h.reliability, periode) if opd is None else None,
        effects=effect_list(h) if opd is None else (),
        resistensi=_resistance_facts(ds, h, periode, peg, min_sel),
        pelatihan=pelatihan,
        kekuatan=_power_facts(h, periode) if opd is None else None,
        prioritas_pelatihan=None if tanpa_perilaku else _training_priorities(sd, reg, periode),
        umpan_balik_needed=_feedback_needs(ds, periode, peg, min_sel),
        # a period in which nobody has a predikat (neither computed nor official) has no
        # candidates to count: not available, never "0 ASN Sangat Baik"
        kandidat_penghargaan=None
        if not h.evaluasi.loc[h.evaluasi["periode"] == periode, "predikat"].notna().any()
        else _recognition_candidates(ev_all, periode, prev)
        if opd is None
        else _opd_recognition_candidates(
            h.evaluasi, ds.pegawai, periode, prev, opd, min_sel, heads=headcount(register)
        ),
        kualitas_data=_data_quality(ds),
        periode_data=tuple(ds.periods),
        region_name=profile.name,
        government=profile.government(bahasa),
        provenance={
            "checksum": ds.checksum[:16],
            "versi": version,
            "parameter": {
                "periode": periode,
                "bahasa": bahasa,
                "min_sel": min_sel,
                "opd": opd or "semua",
                **dict(h.parameter),
            },
            "tanggal": (date or _dt.date.today()).isoformat(),
        },
        min_sel=min_sel,
        predikat_source=str(h.parameter.get("sumber_predikat", "angka")),
        predikat_sources={
            str(k): str(v)
            for k, v in dict(h.parameter.get("sumber_predikat_periode") or {}).items()
        },
        withheld=withheld,
        not_estimated=dict(getattr(h, "not_estimated", {}) or {}) if opd is None else {},
        notes=tuple(getattr(h, "notes", ()) or ()) if opd is None else (),
    )


def _distribution_as_city(dist: pd.DataFrame | None, ds, h, periode: str, opd, min_sel: int):
    """An OPD's predikat counts with the city table's ``disembunyikan`` flags of its row
    (:func:`~kinerja_analysis.reporting.tables.predikat_by_opd`): the document shows what
    the city shows of this OPD and hides what the city hides. ``total_disembunyikan``:
    the OPD's number with a predikat (the counts' sum) is not to be stated, since its
    head-count less it, the ASN without a predikat, is a hidden cell of that table."""
    if dist is None:
        return None
    row = predikat_by_opd(ds, h, periode, opd=opd, min_sel=min_sel)
    flags = dict(
        zip(row["predikat"].astype(TEXT_DTYPE), row["disembunyikan"].astype(bool), strict=True)
    )
    hidden = dist["predikat"].astype(TEXT_DTYPE).map(lambda p: flags.get(p, True))
    sisa = opd in row.attrs.get("sisa_disembunyikan", frozenset())
    return dist.assign(disembunyikan=hidden.to_numpy(bool), total_disembunyikan=sisa)


def _distribution_of_city(dist: pd.DataFrame | None, n_asn: int, min_sel: int):
    """The city's predikat counts with their ``disembunyikan`` flags: small cells with
    their complements, the ASN without a predikat (head-count ``n_asn`` less the counts'
    sum) a never-shown cell among them
    (:func:`~kinerja_analysis.reporting.privacy.suppress_small_cells`, ``group_totals``);
    ``total_disembunyikan`` when that cell is hidden (the sum is then not stated)."""
    if dist is None:
        return None
    s = suppress_small_cells(dist, "n", min_sel, value_cols=[], group_totals=n_asn)
    sisa = bool(s.attrs["sisa_disembunyikan"].get(None, False))
    return dist.assign(disembunyikan=s["disembunyikan"].to_numpy(bool), total_disembunyikan=sisa)


def _shown_compliance(kep: pd.DataFrame, ds, h, periode: str, min_sel: int) -> pd.DataFrame:
    """The distribution-rule rows of every OPD, each marked ``disembunyikan`` when the
    rule counts a predikat whose cell the predikat table hides for that OPD
    (:func:`~kinerja_analysis.reporting.tables.predikat_by_opd`).

    A rule that reads only shown cells is judged from what the table already shows (its
    shares), so its verdict and deviation disclose nothing; a rule that reads a hidden
    cell is not judged, since its verdict or deviation would bound that cell. An OPD
    is thus still found in breach of "Baik paling banyak 70%" when only its small
    "Kurang" cell is hidden."""
    pr = predikat_by_opd(ds, h, periode, min_sel=min_sel)
    off = pr[pr["disembunyikan"].astype(bool)]
    hidden = set(
        zip(off["opd"].astype(TEXT_DTYPE), off["predikat"].astype(TEXT_DTYPE), strict=True)
    )
    # an OPD whose number with a predikat is hidden (its ASN without one are a small
    # group or their complement): a rule's share and deviation would give it back
    sisa = set(map(str, pr.attrs.get("sisa_disembunyikan", ())))
    reads_hidden = [
        str(o) in sisa or any((str(o), c) in hidden for c in str(cats).split(" + "))
        for o, cats in zip(kep["opd"], kep["kategori"], strict=True)
    ]
    out = kep[["opd", "aturan", "patuh", "selisih"]].reset_index(drop=True)
    out["disembunyikan"] = np.asarray(reads_hidden, dtype=bool)
    return out


def _berakhlak_profile(sd: pd.DataFrame, periode: str, prev: str | None) -> pd.DataFrame | None:
    cur = sd[sd["periode"] == periode].groupby("dimensi", observed=True)["skor"].mean()
    if cur.empty:
        return None
    out = pd.DataFrame({"dimensi": cur.index, "skor": cur.to_numpy()})
    if prev:
        before = sd[sd["periode"] == prev].groupby("dimensi", observed=True)["skor"].mean()
        out["perubahan"] = (cur - before.reindex(cur.index)).to_numpy()
    order = {d: i for i, d in enumerate(BERAKHLAK)}
    return out.sort_values("dimensi", key=lambda s: s.map(order)).reset_index(drop=True)


def _reliability_facts(rel: pd.DataFrame | None, periode: str) -> pd.DataFrame | None:
    if rel is None or rel.empty:
        return None
    r = rel[(rel["periode"] == periode)]
    icc = r[r["analysis"] == "icc"].pivot_table(
        index="dimensi", columns="term", values="estimate", observed=True
    )
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


def _recorded(ds, table: str) -> bool:
    """Whether ``table`` holds any row up to the document's period (``ds`` is the window,
    cut at that period). A table whose rows all come later — feedback recorded from
    2025 in a dataset that starts in 2024 — says nothing about this period: its absence
    indicators ("ASN without feedback") are not available, never 100 %, as for an absent
    table. The answer depends only on data up to the period, so regenerating the period's
    document from a later export gives the same sentence."""
    return ds.has(table) and len(getattr(ds, table)) > 0


def _absence(ds, table: str, periode: str, peg: pd.DataFrame) -> tuple[pd.Series, bool]:
    """Share of each OPD's employees without a ``table`` row in ``periode`` (index
    ``opd``, fraction 0-1, NaN = not assessable) and whether every OPD could be assessed.

    Rejected rows say what they can (:class:`~kinerja_analysis.data.loading.ValidationReport`):

    * rows of the period (or of an unreadable period) without an accepted employee's NIP
      could belong to anyone: not assessable for any OPD
      (:meth:`~kinerja_analysis.data.loading.ValidationReport.absence_assessable`);
    * an employee whose rows of the period were rejected for their content still *has*
      rows: not absent (``present_despite_rejection``);
    * an employee whose rejected rows may or may not belong to the period (their period
      could not be read, or overlaps it at another frequency) is neither absent nor
      present (``presence_unknown``): the share of their OPD lies somewhere between two
      values and is not assessable, rather than counting them absent.
    """
    rep = getattr(ds, "validation", None)
    opds = peg["opd"].unique()
    if rep is not None and not rep.absence_assessable(table, periode):
        return pd.Series(np.nan, index=opds), False
    t = getattr(ds, table)
    have = set(rows_where(t, t["periode"] == periode, ["nip"])["nip"].unique().tolist())
    unknown: set[str] = set()
    if rep is not None:
        have.update(rep.present_despite_rejection(table, periode))
        unknown = set(rep.presence_unknown(table, periode)) - have
    w = peg.assign(
        ada=in_values(peg["nip"], list(have)), tak_tentu=in_values(peg["nip"], list(unknown))
    ).groupby("opd", observed=True)
    share = 1 - w["ada"].mean()
    open_ = w["tak_tentu"].any()
    share[open_] = np.nan
    return share, not bool(open_.any())


def _resistance_facts(
    ds, h: SharedResults, periode: str, peg: pd.DataFrame, min_sel: int = DEFAULTS.min_sel
) -> pd.DataFrame | None:
    base = peg.groupby("opd", observed=True).size().rename("n").to_frame()
    heads = base["n"]
    # who has a result this period: SKP rows, or the official e-Kinerja result in a period
    # without SKP rows (the predikat source of the period; evaluation_by_period)
    hasil = (
        "skp"
        if ds.has("skp") and (ds.skp["periode"] == periode).any() or not ds.has("penilaian_resmi")
        else "penilaian_resmi"
    )
    # the tables whose rows begin after this period: their absence is not available
    tidak_tersedia = []
    # the indicators the data hold but cannot assess this period (for every OPD or for
    # some: rejected rows that could belong to anyone, or to this period or another):
    # said in words, never shown as 0 % or 100 %
    tak_dinilai = []
    share, complete = _absence(ds, hasil, periode, peg)
    base["pct_skp_kosong"], base["skp_kosong_disembunyikan"] = _share_of_headcount(
        share.reindex(base.index), heads, min_sel, flags=True
    )
    if not complete:
        tak_dinilai.append(hasil)
    base["tanpa_umpan_balik_disembunyikan"] = False
    if _recorded(ds, "umpan_balik"):
        share, complete = _absence(ds, "umpan_balik", periode, peg)
        base["pct_tanpa_umpan_balik"], base["tanpa_umpan_balik_disembunyikan"] = (
            _share_of_headcount(share.reindex(base.index), heads, min_sel, flags=True)
        )
        if not complete:
            tak_dinilai.append("umpan_balik")
    else:
        base["pct_tanpa_umpan_balik"] = np.nan
        if ds.has("umpan_balik"):
            tidak_tersedia.append("umpan_balik")
    base["penerimaan"] = np.nan
    if h.survei_skor is not None:
        s = h.survei_skor
        s = s[(s["periode"] == periode) & (s["konstruk"] == "penerimaan_sistem")]
        s = s.merge(peg[["nip", "opd"]], on="nip")
        base["penerimaan"] = s.groupby("opd", observed=True)["skor"].mean().reindex(base.index)
        # a mean of survey answers describes its respondents: an OPD's score is named
        # only when its respondents, and those of every other OPD left out with it, are
        # 0 or at least min_sel (primary and complementary suppression over the OPDs)
        answered = s.groupby("opd", observed=True)["nip"].nunique()
        base.loc[base.index.isin(suppressed_opds(answered, min_sel)), "penerimaan"] = np.nan
    cols = ["opd", "penerimaan", "pct_skp_kosong", "pct_tanpa_umpan_balik", "n"]
    out = base.reset_index()[cols + ["skp_kosong_disembunyikan", "tanpa_umpan_balik_disembunyikan"]]
    out.attrs["tak_dinilai"] = tak_dinilai
    out.attrs["tidak_tersedia"] = tidak_tersedia
    return out


def _share_of_headcount(
    share: pd.Series, heads: pd.Series, min_sel: int, *, flags: bool = False
) -> pd.Series | tuple[pd.Series, pd.Series]:
    """``share`` (per OPD, of its public head-count ``heads``) with the shares blank that
    give back a group of 1..``min_sel``-1 ASN — the share's count or the rest of the OPD
    — with complements over the OPDs
    (:func:`~kinerja_analysis.reporting.privacy.remainder_hidden`); a missing share (not
    assessable) stays missing. With ``flags``, also which shares were blanked here (so a
    text can say "withheld" rather than "not assessable")."""
    known = share.dropna()
    count = (known * heads.reindex(known.index)).round().astype(int)
    hide = remainder_hidden(count, heads.reindex(known.index), min_sel)
    hidden = pd.Series(share.index.isin(list(hide)), index=share.index)
    out = share.mask(hidden)
    return (out, hidden) if flags else out


def _training_facts(
    ds, periode: str, peg: pd.DataFrame, min_sel: int = DEFAULTS.min_sel
) -> dict[str, Any] | None:
    """Training resources over the 12 months ending with ``periode`` — the same window as
    the report's tables (:func:`kinerja_analysis.reporting.tables.jp_by_asn`), so the narrative and
    the tables state the same share below the 20 JP a year of PP 11/2017.

    Privacy, as in the tables: the share below 20 JP beside the number of ASN states
    the ASN below and the rest (:func:`~kinerja_analysis.reporting.privacy.subset_hidden`);
    the self-funded share of trainings states the trainings of the self-funded trainees
    and of those on facilitated training, and the share of self-funded trainings that
    do not fit the job describes the self-funded trainees whose training fits and those
    whose does not (:func:`~kinerja_analysis.reporting.privacy.sources_hidden`). A share
    that would give back a group of 1..``min_sel``-1 ASN is ``None``, with its
    ``<key>_disembunyikan`` flag set so the narrative says it is withheld.
    """

    if not ds.has("pelatihan"):
        return None
    awal, akhir = jp_window(periode)
    p = rows_where(ds.pelatihan, in_values(ds.pelatihan["nip"], set(peg["nip"])))
    p = p[(p["tanggal_mulai"] >= awal) & (p["tanggal_mulai"] <= akhir)]
    mandiri = p[p["sumber"] == "mandiri"]
    tidak = (
        ~mandiri["kompetensi_sasaran"].isin(BERAKHLAK) if len(mandiri) else pd.Series(dtype=bool)
    )
    k = int(mandiri["nip"].nunique())
    by_source = pd.DataFrame(
        {"n_a": [k], "n_b": [int(p.loc[p["sumber"] != "mandiri", "nip"].nunique())]}
    )
    by_fit = pd.DataFrame(
        {
            "n_a": [int(mandiri.loc[tidak, "nip"].nunique()) if len(mandiri) else 0],
            "n_b": [int(mandiri.loc[~tidak, "nip"].nunique()) if len(mandiri) else 0],
        }
    )
    hide_share = bool(sources_hidden(by_source, min_sel))
    hide_fit = 0 < k < min_sel or bool(sources_hidden(by_fit, min_sel))
    shares = {
        "pct_mandiri": float(len(mandiri) / len(p)) if len(p) and not hide_share else None,
        "pct_mandiri_tidak_sesuai": float(tidak.mean()) if len(mandiri) and not hide_fit else None,
        "pct_mandiri_disembunyikan": hide_share and len(p) > 0,
        "pct_mandiri_tidak_sesuai_disembunyikan": hide_fit and len(mandiri) > 0,
    }
    if not jp_window_covered(periode, ds.periods[0]):
        # the window reaches before the data begin: the JP shares are not available
        return {
            "pct_di_bawah_20jp": None,
            "jp_per_asn": None,
            "jp_per_opd": None,
            "jp_tidak_tersedia_sejak": period_bounds(ds.periods[0])[0].date(),
            **shares,
        }
    if not _recorded(ds, "pelatihan"):
        return None  # no training recorded up to this period: not available, not 0 JP
    jp = jp_by_asn(ds.pelatihan, peg, periode)
    per_opd = (
        jp.groupby("opd", observed=True)
        .agg(jp_per_asn=("jp", "mean"), n=("nip", "size"))
        .reset_index()
    )
    # the OPDs the report's JP table hides (small ones and their complements) are not
    # named with their JP in the text either: "lowest in X (n JP)" would undo the table
    js = jp_summary(jp, min_sel)
    # (an OPD whose share below 20 JP is hidden is withheld by its own document too)
    off = js["disembunyikan"] | js["pct_di_bawah_20"].isna()
    hidden = set(js.loc[off & (js["opd"] != "Semua OPD"), "opd"])
    per_opd = per_opd[~per_opd["opd"].isin(hidden)].reset_index(drop=True)
    below = int((jp["jp"] < 20).sum())
    hide_below = subset_hidden(below, len(jp), min_sel)
    return {
        "pct_di_bawah_20jp": None if hide_below else below / len(jp),
        "pct_di_bawah_20jp_disembunyikan": hide_below,
        "jp_per_asn": float(jp["jp"].mean()),
        "jp_per_opd": per_opd,
        **shares,
    }


_PER = {"Q": ("triwulan", "quarter"), "M": ("bulan", "month"), "S": ("semester", "half-year"),
        "Y": ("tahun", "year")}  # fmt: skip


def _power_facts(h: SharedResults, periode: str) -> dict[str, Any] | None:
    """Minimum detectable effects for the next round (issue: power in the Rekomendasi).

    Training: :func:`kinerja_analysis.analyses.training.training_power` on this period's
    variance and cohort sizes (target 0.1 SD of capaian). Feedback: Bloom's MDE of the
    per-session coefficient of good-quality feedback from its standard error.
    """
    out: dict[str, Any] = {}
    if "g" in h.panel and h.panel["g"].notna().any() and "capaian" in h.panel:
        tp = training_power(h.panel, periode, "capaian")
        if tp is not None:
            kind = parse_period(periode).kind
            out["pelatihan"] = {**tp, "per_id": _PER[kind][0], "per_en": _PER[kind][1]}
    fb = _row(h.umpan_balik, model="kualitas", term="n_baik_lag1")
    sd = float(h.panel["capaian"].std()) if "capaian" in h.panel else None
    if fb is not None and _f(fb.get("std_error")) is not None and sd:
        m = mde(float(fb["std_error"]))
        out["umpan_balik"] = {"mde": m, "mde_sd": m / sd}
    return out or None


def _training_priorities(sd: pd.DataFrame, peg: pd.DataFrame, periode: str) -> pd.DataFrame | None:
    cur = sd[sd["periode"] == periode]
    if cur.empty:
        return None
    m = cur.merge(peg[["nip", "opd"]], on="nip")
    city = cur.groupby("dimensi", observed=True)["skor"].mean()
    g = (
        m.groupby(["opd", "dimensi"], observed=True)
        .agg(skor=("skor", "mean"), n_asn=("nip", "nunique"))
        .reset_index()
    )
    g["kesenjangan"] = g["dimensi"].map(city) - g["skor"]
    g = g[g["kesenjangan"] > 0]
    # ranked by the gap itself, as the recommendation names them ("the largest gaps");
    # every positive gap is kept, so rows left out for privacy do not shorten the list
    return g.sort_values(["kesenjangan", "opd", "dimensi"], ascending=[False, True, True])[
        ["opd", "dimensi", "kesenjangan", "n_asn"]
    ].reset_index(drop=True)


def _feedback_needs(
    ds, periode: str, peg: pd.DataFrame, min_sel: int = DEFAULTS.min_sel
) -> pd.DataFrame | None:
    """Feedback per OPD in ``periode``: ``opd, pct_tanpa_umpan_balik, pct_kualitas_buruk,
    n``; ``None`` when no feedback is recorded up to the period (:func:`_recorded`).

    ``pct_kualitas_buruk`` is the share of poor sessions (kualitas ≤ 2) among the
    sessions *with* a quality rating (``kualitas`` is optional: an unrated session is
    neither poor nor good); ``attrs`` hold ``n_sesi`` and ``n_sesi_tanpa_kualitas`` of
    the period (all OPDs of ``peg``). Privacy: the shares of an OPD are named only when
    its ASN with feedback and without, and every OPD left out with them, are 0 or at
    least ``min_sel``; the quality share also needs its ASN with a rated session to be 0
    or at least ``min_sel`` (primary and complementary suppression over the OPDs).
    """
    if not _recorded(ds, "umpan_balik"):
        return None
    fb = rows_where(
        ds.umpan_balik,
        (ds.umpan_balik["periode"] == periode) & in_values(ds.umpan_balik["nip"], set(peg["nip"])),
    )
    got = peg.assign(ada=in_values(peg["nip"], set(fb["nip"])))
    out = (
        got.groupby("opd", observed=True).agg(n=("nip", "size"), ada=("ada", "mean")).reset_index()
    )
    out["pct_tanpa_umpan_balik"] = 1 - out.pop("ada")
    q = fb.merge(peg[["nip", "opd"]], on="nip")
    with_fb = got.groupby("opd", observed=True)["ada"].sum().astype(int)
    hidden = remainder_hidden(with_fb, got.groupby("opd", observed=True).size(), min_sel)
    n_unrated = len(q)
    if "kualitas" in q:
        rated = q[q["kualitas"].notna()]
        n_unrated = len(q) - len(rated)
        poor = rated.assign(b=rated["kualitas"] <= 2).groupby("opd", observed=True)["b"].mean()
        out["pct_kualitas_buruk"] = out["opd"].map(poor)  # NaN: no rated session
        rated_asn = (
            rated.groupby("opd", observed=True)["nip"].nunique().reindex(out["opd"], fill_value=0)
        )
        hidden_q = suppressed_opds(rated_asn.astype(int), min_sel)
        out.loc[out["opd"].isin(hidden_q), "pct_kualitas_buruk"] = np.nan
    else:
        out["pct_kualitas_buruk"] = np.nan
    # each share describes the OPD's ASN with feedback and those without: an OPD's shares
    # are named only when both groups, and every OPD left out with them, are 0 or at
    # least min_sel (primary and complementary suppression over the OPDs)
    out.loc[out["opd"].isin(hidden), ["pct_tanpa_umpan_balik", "pct_kualitas_buruk"]] = np.nan
    out = out.sort_values("pct_tanpa_umpan_balik", ascending=False).reset_index(drop=True)[
        ["opd", "pct_tanpa_umpan_balik", "pct_kualitas_buruk", "n"]
    ]
    out.attrs["n_sesi"] = int(len(q))
    out.attrs["n_sesi_tanpa_kualitas"] = int(n_unrated)
    return out


def _recognition_candidates(ev_all: pd.DataFrame, periode: str, prev: str | None) -> pd.DataFrame:
    cur = ev_all[ev_all["periode"] == periode]
    sb = set(cur.loc[cur["predikat"].astype("string[pyarrow]") == SANGAT_BAIK, "nip"])
    rows = [{"kriteria": "Predikat Sangat Baik pada periode ini", "n": len(sb)}]
    if prev:
        before = ev_all[ev_all["periode"] == prev]
        sb_prev = set(
            before.loc[before["predikat"].astype("string[pyarrow]") == SANGAT_BAIK, "nip"]
        )
        rows.append(
            {"kriteria": "Predikat Sangat Baik dua periode berturut-turut", "n": len(sb & sb_prev)}
        )
    top = cur[cur["rating_hasil"].astype("string[pyarrow]") == DI_ATAS]
    top = top[top["rating_perilaku"].astype("string[pyarrow]") != DI_BAWAH]
    rows.append(
        {
            "kriteria": "Hasil kerja di atas ekspektasi tanpa catatan perilaku",
            "n": int(top["nip"].nunique()),
        }
    )
    return pd.DataFrame(rows)


def _opd_recognition_candidates(
    evaluasi: pd.DataFrame,
    pegawai: pd.DataFrame,
    periode: str,
    prev: str | None,
    opd: str,
    min_sel: int,
    *,
    heads: pd.Series | None = None,
) -> pd.DataFrame:
    """The recognition candidates of ``opd`` (:func:`_recognition_candidates`), each count
    withheld (``n`` missing, ``ditahan`` true) when the city's document, which states the
    count over all OPDs, less every OPD document's count would isolate a group of 1 to
    ``min_sel - 1`` ASN (:func:`~kinerja_analysis.reporting.tables.residual_hidden`, the
    rule of the tables; OPDs under ``min_sel`` have no document). ``pegawai``: the
    window's register (the OPD of each evaluated employee, this period's and the
    previous one's); ``heads``: the period's head-count per OPD, which decides the OPDs
    with a document (default: ``pegawai``'s)."""
    who = pegawai.drop_duplicates("nip").set_index("nip")["opd"].astype(TEXT_DTYPE)
    rows = []
    for o, nips in who.groupby(who, observed=True).groups.items():
        ev = rows_where(evaluasi, in_values(evaluasi["nip"], set(nips)))
        for r in _recognition_candidates(ev, periode, prev).itertuples(index=False):
            rows.append({"opd": o, "cell": r.kriteria, "n": int(r.n)})
    counts = pd.DataFrame(rows, columns=["opd", "cell", "n"])
    n_asn = who.value_counts() if heads is None else heads.rename(index=str)
    docs = set(n_asn.index[n_asn >= min_sel])
    hidden = residual_hidden(counts, docs, min_sel)
    own = counts[counts["opd"] == opd]
    ditahan = [
        (opd, c) in hidden and n >= min_sel for c, n in zip(own["cell"], own["n"], strict=True)
    ]
    out = own[["cell", "n"]].rename(columns={"cell": "kriteria"}).reset_index(drop=True)
    out["ditahan"] = ditahan
    out["n"] = out["n"].astype("Int64").mask(out["ditahan"])
    return out


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
    out = concat_rows([e.tidy() for e in efek], ignore_index=True)
    out["label"] = [e.label_id if bahasa == "id" else e.label_en for e in efek]
    out["hasil"] = [e.hasil_id if bahasa == "id" else e.hasil_en for e in efek]
    return out
