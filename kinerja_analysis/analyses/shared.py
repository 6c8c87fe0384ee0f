"""The cross-period results every period document draws on, computed once per batch.

:func:`compute_shared` does the heavy work: scores for every period (hasil kerja, 360°
behaviour, predikat), the employee × period panel, the training / feedback / roll-out
estimates, the ordinal robustness check, the survey scores and the communication-training
effect, rater reliability. :func:`save_shared` / :func:`load_shared` store it (Parquet +
JSON) in the batch's private cache, never in ``reports/``: it holds employee-level rows.
A step that cannot be estimated on the data becomes a note (:class:`NotEstimable`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kinerja_analysis.analyses.feedback import estimate_feedback_effects
from kinerja_analysis.analyses.ordinal import fit_ordinal_predikat
from kinerja_analysis.analyses.panel import build_panel
from kinerja_analysis.analyses.rater_reliability import rating_reliability
from kinerja_analysis.analyses.rollout import estimate_rollout_effects, prepare_layanan
from kinerja_analysis.analyses.survey_panel import estimate_communication_training_effect
from kinerja_analysis.analyses.training import estimate_training_effects
from kinerja_analysis.core.config import DEFAULTS
from kinerja_analysis.core.errors import NotEstimable
from kinerja_analysis.core.io import atomic_write, code_fingerprint
from kinerja_analysis.data.contract import TABLES
from kinerja_analysis.domain.official import agreement_by_opd, official_evaluation
from kinerja_analysis.domain.perilaku import perilaku_kerja
from kinerja_analysis.domain.predikat import evaluate_period
from kinerja_analysis.domain.skp import hasil_kerja
from kinerja_analysis.domain.survey import construct_scores


@dataclass(frozen=True)
class SharedResults:
    """Cross-period results (tidy DataFrames; ``None`` when the input table is absent)."""

    evaluasi: pd.DataFrame
    skor_dimensi: pd.DataFrame
    panel: pd.DataFrame
    pelatihan: pd.DataFrame | None = None
    pelatihan_dinamis: pd.DataFrame | None = None
    pelatihan_pretrend: pd.DataFrame | None = None
    pelatihan_heterogen: pd.DataFrame | None = None
    pelatihan_sensitivitas: pd.DataFrame | None = None
    umpan_balik: pd.DataFrame | None = None
    penerapan: pd.DataFrame | None = None
    penerapan_dinamis: pd.DataFrame | None = None
    penerapan_pretrend: pd.DataFrame | None = None
    penerapan_sensitivitas: pd.DataFrame | None = None
    ordinal: pd.DataFrame | None = None
    komunikasi: pd.DataFrame | None = None
    komunikasi_perilaku: pd.DataFrame | None = None
    survei_skor: pd.DataFrame | None = None
    reliabilitas: pd.DataFrame | None = None
    evaluasi_resmi: pd.DataFrame | None = None
    kesesuaian_resmi: pd.DataFrame | None = None
    catatan: tuple[str, ...] = ()
    parameter: Mapping[str, Any] = field(default_factory=dict)


#: The tables of :class:`SharedResults` (every field but the notes and parameters), derived
#: from the class so that a new result is stored and reloaded without a second list.
_FRAMES: tuple[str, ...] = tuple(
    f.name for f in fields(SharedResults) if f.name not in ("catatan", "parameter")
)


def _safe(notes: list[str], what: str, fn, *args, **kwargs):
    """Run one analysis step; if it cannot be estimated on these data, note why.

    Only :class:`~kinerja_analysis.core.errors.NotEstimable` becomes a note in the report
    (too few units, no variation, no comparison group…), as does a singular design
    (``LinAlgError``: collinear data); any other exception is a programming error and
    propagates.
    """
    try:
        return fn(*args, **kwargs)
    except (NotEstimable, np.linalg.LinAlgError) as exc:
        notes.append(f"{what}: tidak dapat diestimasi ({exc}).")
        return None


def compute_shared(
    ds,
    *,
    seed: int = DEFAULTS.seed,
    n_boot: int = DEFAULTS.n_boot,
    min_n: int = DEFAULTS.min_n_subgroup,
    reliabilitas: bool = True,
) -> SharedResults:
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
    skp, perilaku = _table(t, "skp"), _table(t, "perilaku")
    resmi = official_evaluation(t["penilaian_resmi"]) if "penilaian_resmi" in t else None
    # the predikat come from the numbers when both numeric tables exist (or when there is
    # nothing else); otherwise from the official e-Kinerja results
    numeric = ("skp" in t and "perilaku" in t) or resmi is None
    if numeric:
        evaluasi = evaluate_period(skp, perilaku)
        sumber = "angka"
    else:
        evaluasi = resmi
        sumber = "resmi"
        if "skp" in t:
            sumber = "resmi_skp"
            h = hasil_kerja(skp)[["nip", "periode", "capaian", "n_indikator"]]
            evaluasi = evaluasi.drop(columns=["capaian", "n_indikator"]).merge(
                h, on=["nip", "periode"], how="left"
            )
        notes.append(
            "Predikat diambil dari hasil resmi e-Kinerja: penilaian 360° numerik tidak "
            "tersedia, sehingga kemurahan penilai dan reliabilitas penilaian tidak dapat "
            "dihitung" + ("." if "skp" in t else "; capaian SKP numerik juga tidak tersedia.")
        )
    skor_dimensi = perilaku_kerja(perilaku)
    tables = {**t, "skp": skp, "perilaku": perilaku}
    pdata = build_panel(tables, ds.periods, evaluasi=evaluasi, skor_dimensi=skor_dimensi)
    notes.extend(pdata.notes)
    panel = pdata.data
    out: dict[str, Any] = {}
    if resmi is not None and numeric:
        out["evaluasi_resmi"] = resmi
        out["kesesuaian_resmi"] = agreement_by_opd(resmi, evaluasi, t["pegawai"])
    if "pelatihan" in t and panel["g"].notna().any() and "skp" in t:
        tr = _safe(
            notes,
            "Efek pelatihan",
            estimate_training_effects,
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
                pelatihan_sensitivitas=tr.sensitivity,
            )
            notes.extend(tr.notes)
        pel = _communication_on_service(
            panel, skor_dimensi, notes, n_boot=n_boot, seed=seed, min_n=min_n
        )
        if pel is not None:
            out["komunikasi_perilaku"] = pel
    if "umpan_balik" in t and "skp" in t:
        fb = _safe(notes, "Efek umpan balik", estimate_feedback_effects, panel, "capaian")
        if fb is not None:
            out["umpan_balik"] = fb.tidy()
            notes.extend(fb.notes)
    if "layanan" in t and "penerapan" in t:
        lay = prepare_layanan(t["layanan"], t["penerapan"], ds.periods)
        ro = _safe(
            notes,
            "Efek penerapan sistem evaluasi",
            estimate_rollout_effects,
            lay,
            n_boot=max(n_boot, DEFAULTS.n_boot_wild),
            seed=seed,
        )
        if ro is not None:
            out.update(
                penerapan=ro.overall,
                penerapan_dinamis=ro.event,
                penerapan_pretrend=ro.pretrend,
                penerapan_sensitivitas=ro.sensitivity,
            )
            notes.extend(ro.notes)
    if "umpan_balik" in t and "predikat" in panel:
        out["ordinal"] = _safe(notes, "Regresi logit ordinal", fit_ordinal_predikat, panel)
    if "survei" in t:
        skor = construct_scores(t["survei"], t["survei_instrumen"])
        out["survei_skor"] = skor
        if "pelatihan" in t and (skor["konstruk"] == "percaya_diri").any():
            out["komunikasi"] = _safe(
                notes,
                "Efek pelatihan komunikasi",
                estimate_communication_training_effect,
                skor,
                t["pelatihan"],
            )
    if reliabilitas and "perilaku" in t:
        out["reliabilitas"] = _safe(
            notes, "Reliabilitas penilai", rating_reliability, t["perilaku"]
        )
    return SharedResults(
        evaluasi=evaluasi,
        skor_dimensi=skor_dimensi,
        panel=panel,
        catatan=tuple(notes),
        parameter={
            "seed": seed,
            "n_boot": n_boot,
            "min_n": min_n,
            "sumber_predikat": sumber,
        },
        **out,
    )


def _table(tables: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame:
    """A table of the dataset, or an empty one with the contract's columns (optional
    numeric tables: an agency with only official e-Kinerja results has neither)."""
    if name in tables:
        return tables[name]
    kinds = {"float": "float64", "int": "int64", "date": "datetime64[us]", "bool": "boolean"}
    return pd.DataFrame(
        {c.name: pd.Series(dtype=kinds.get(c.kind, "string")) for c in TABLES[name].columns}
    )


def _communication_on_service(panel, skor_dimensi, notes, *, n_boot, seed, min_n):
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
        estimate_training_effects,
        d,
        "skor_pelayanan",
        g_col="g_komunikasi",
        subgroups=(),
        n_boot=n_boot,
        seed=seed,
        sensitivity=False,
    )
    if r is None:
        return None
    notes.append(
        "Pelatihan komunikasi → perilaku pelayanan: pembanding adalah ASN yang belum "
        "pernah ikut pelatihan komunikasi (sebagian mengikuti pelatihan lain)."
    )
    return r.overall.assign(pretrend_p=float(r.pretrend["p_value"].iloc[0]))


def save_shared(h: SharedResults, folder: str | Path) -> Path:
    """Write :class:`SharedResults` to ``folder`` (Parquet per table + ``meta.json``)."""
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
        atomic_write(folder / f"{name}.parquet", lambda tmp, df=df: df.to_parquet(tmp, index=False))
        present.append(name)
    meta = {"tables": present, "catatan": list(h.catatan), "parameter": dict(h.parameter)}
    atomic_write(folder / "meta.json", json.dumps(meta, ensure_ascii=False, indent=1))
    return folder


def load_shared(folder: str | Path) -> SharedResults:
    """Read what :func:`save_shared` wrote."""
    folder = Path(folder)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    frames = {n: pd.read_parquet(folder / f"{n}.parquet") for n in meta["tables"]}
    known = {f.name for f in fields(SharedResults)}
    return SharedResults(
        **{k: v for k, v in frames.items() if k in known},
        catatan=tuple(meta.get("catatan", ())),
        parameter=meta.get("parameter", {}),
    )


# --------------------------------------------------------------------------- batch & notebooks


def prepare_shared(
    ds, folder: str | Path, *, seed: int = DEFAULTS.seed, n_boot: int = DEFAULTS.n_boot
) -> Path:
    """Batch hook: compute the shared results once into ``folder`` (reused when the data,
    the parameters and the package code are unchanged)."""
    folder = Path(folder)
    kunci = {"checksum": ds.checksum, "seed": seed, "n_boot": n_boot, "kode": code_fingerprint()}
    meta = folder / "meta.json"
    if meta.is_file():
        old = json.loads(meta.read_text(encoding="utf-8")).get("kunci")
        if old == kunci:
            return folder
    h = compute_shared(ds, seed=seed, n_boot=n_boot)
    save_shared(h, folder)
    m = json.loads(meta.read_text(encoding="utf-8"))
    m["kunci"] = kunci
    atomic_write(meta, json.dumps(m, ensure_ascii=False, indent=1))
    return folder


def load_or_compute_shared(
    ds, folder: str | Path | None, *, seed: int = DEFAULTS.seed
) -> SharedResults:
    """Shared results from the batch's folder, or computed now (interactive use)."""
    if folder is not None and (Path(folder) / "meta.json").is_file():
        return load_shared(folder)
    return compute_shared(ds, seed=seed)
