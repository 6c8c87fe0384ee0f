# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Survei ASN
# <!-- judul_en: ASN Survey -->

# %% tags=["parameters"]
# Optional[...] (bukan "str | None"): papermill --help-notebook hanya membaca bentuk ini.
# ruff: noqa: E402, UP045
from typing import Optional

periode: str = "2025Q4"  # periode evaluasi: YYYY-MM, YYYYQn, YYYYSn atau YYYY
data_dir: str = "../data/kotalama"  # folder dataset mentah (relatif terhadap notebooks/)
output_dir: str = "../reports/2025Q4"  # folder keluaran; tabel XLSX ke <output_dir>/tabel
cache_dir: Optional[str] = None  # cache data tervalidasi dari batch; None: validasi ulang di sini
bahasa: str = "id"  # bahasa laporan: "id" (Indonesia) atau "en" (English)
opd: Optional[str] = None  # nama satu OPD untuk laporan per OPD; None: seluruh kota
min_sel: int = 5  # kelompok dengan ASN lebih sedikit dari ini disembunyikan
seed: int = 2025  # seed untuk langkah acak (bootstrap); hasil sama untuk seed yang sama
profil: Optional[str] = None  # file profil instansi (YAML); None: contoh Kotalama

# %%
import matplotlib.pyplot as plt
import seaborn as sns

from kinerja_analysis.analyses.survey_panel import acceptance_by_opd
from kinerja_analysis.domain import survey
from kinerja_analysis.methods.regression import ols_assumption_checks
from kinerja_analysis.reporting import tables
from kinerja_analysis.reporting.notebook import setup
from kinerja_analysis.reporting.text import assumption_checks_table

doc = setup(
    periode=periode,
    data_dir=data_dir,
    output_dir=output_dir,
    cache_dir=cache_dir,
    bahasa=bahasa,
    opd=opd,
    min_sel=min_sel,
    seed=seed,
    profil=profil,
)
t = doc.tables
ada_survei = "survei" in t and "survei_instrumen" in t
doc.say("n30_pengantar")

# %%
doc.say("n30_konstruk")
if ada_survei:
    butir = tables.survei_items(t["survei"], t["survei_instrumen"], doc.periode, min_sel)
    konstruk = tables.survei_constructs(butir)
    n_responden = int(t["survei"].loc[t["survei"]["periode"] == doc.periode, "nip"].nunique())
    doc.say(
        "n30_responden", periode=doc.periode_teks, n=doc.number(n_responden, 0), cakupan=doc.cakupan
    )
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(konstruk) + 1.2))
    sns.barplot(data=konstruk, y="konstruk", x="rerata", color="#2a6f97", ax=ax)
    ax.set(
        xlim=(1, 5),
        xlabel=doc.text("n30_sumbu_rerata"),
        ylabel="",
        title=doc.text("n30_judul_konstruk", periode=doc.periode_teks),
    )
    plt.show()
    doc.table(konstruk, "survei_konstruk", f"Survei per konstruk {doc.periode_teks}")
else:
    doc.say("n30_kosong")

# %%
doc.say("n30_butir")
if ada_survei:
    doc.table(butir, "survei_butir", f"Survei per butir {doc.periode_teks}")

# %%
doc.say("n30_uji")
if ada_survei:
    valid = survey.item_validity(t["survei"], t["survei_instrumen"], periode=doc.periode)
    rel = survey.scale_reliability(t["survei"], t["survei_instrumen"], periode=doc.periode)
    doc.table(valid, "validitas_butir", "Validitas butir", decimals=3)
    doc.table(rel.konstruk, "reliabilitas", "Reliabilitas konstruk", decimals=3)

# %%
doc.say("n30_cfa")
if ada_survei:
    hasil_cfa = survey.cfa(t["survei"], t["survei_instrumen"], periode=doc.periode)
    doc.table(hasil_cfa.fit, "cfa_fit", "Indeks kecocokan CFA", decimals=3)
    doc.table(hasil_cfa.muatan, "cfa_muatan", "Muatan faktor CFA", decimals=3)
    if hasil_cfa.improper:
        doc.say(
            "n30_cfa_tidak_wajar",
            masalah=hasil_cfa.fit["masalah"].iloc[0],
            konstruk=", ".join(hasil_cfa.omega.loc[~hasil_cfa.omega["omega_layak"], "konstruk"]),
        )
    sebelum = [p for p in doc.ds.periods if p <= doc.periode][-4:]
    if len(sebelum) >= 2:
        inv = survey.invariance(
            t["survei"][t["survei"]["periode"].isin(sebelum)], t["survei_instrumen"]
        )
        doc.table(inv, "invariansi", "Invariansi antarperiode", decimals=3)

# %%
doc.say("n30_regresi")
if ada_survei:
    skor = survey.construct_scores(t["survei"], t["survei_instrumen"], bentuk="wide")
    skor_p = skor[skor["periode"] == doc.periode]
    prediktor = [
        k
        for k in ("kualitas_umpan_balik", "relevansi_pelatihan", "penerimaan_sistem")
        if k in skor_p
    ]
    if "motivasi" in skor_p and prediktor:
        galat_robust = "HC3"
        reg = ols_assumption_checks(skor_p, "motivasi", prediktor, robust=galat_robust)
        doc.table(reg.coefficients, "regresi_motivasi", "Regresi motivasi", decimals=3)
        doc.table(reg.model, decimals=3)
        doc.table(assumption_checks_table(reg, bahasa), decimals=3)
        doc.say("n30_catatan_regresi", robust=galat_robust)

# %%
doc.say("n30_komunikasi")
if ada_survei:
    if doc.shared.komunikasi is not None:
        doc.table(doc.shared.komunikasi, decimals=3)
    skor_long = survey.construct_scores(t["survei"], t["survei_instrumen"])
    penerimaan = acceptance_by_opd(skor_long, t["pegawai"], min_n=min_sel)
    penerimaan = penerimaan[penerimaan["periode"] == doc.periode]
    doc.table(penerimaan, "penerimaan_per_opd", "Penerimaan sistem per OPD")
