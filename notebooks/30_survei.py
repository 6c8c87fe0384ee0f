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
data_dir: str = "data/kotalama"  # folder dataset (relatif: dari folder kerja atau akar proyek)
output_dir: Optional[str] = None  # diisi batch (folder kerja tabel); None: tidak menulis berkas
cache_dir: Optional[str] = None  # cache data tervalidasi dari batch; None: validasi ulang di sini
bahasa: str = "id"  # bahasa laporan: "id" (Indonesia) atau "en" (English)
opd: Optional[str] = None  # nama satu OPD untuk laporan per OPD; None: seluruh kota
min_sel: int = 5  # kelompok dengan ASN lebih sedikit dari ini disembunyikan
seed: int = 2025  # seed untuk langkah acak (bootstrap); hasil sama untuk seed yang sama
profil: Optional[str] = None  # file profil instansi (YAML); None: contoh Kotalama
mapping: Optional[str] = None  # file pemetaan kolom ekspor (YAML); None: nama kolom kontrak
pseudonim: bool = False  # True: NIP diganti pseudonim saat validasi (seperti kinerja validate)

# %%
from kinerja_analysis.domain import survey
from kinerja_analysis.methods.regression import ols_assumption_checks
from kinerja_analysis.reporting import plots, tables
from kinerja_analysis.reporting.notebook import setup
from kinerja_analysis.reporting.privacy import subset_hidden
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
    mapping=mapping,
    pseudonim=pseudonim,
)
t = doc.tables
ada_survei = "survei" in t and "survei_instrumen" in t
# an OPD's document withholds its survey where the city level hides it (doc.withheld)
ditahan = ada_survei and "survei" in doc.withheld
doc.say("n30_pengantar")

# %%
if ditahan:
    doc.say("n30_konstruk")
    doc.withheld_note("survei")
elif ada_survei:
    # the number of ASN the document covers is public: a count of respondents (or of
    # answers to an item) that would give back the rest as a small group is left out
    jumlah_asn = tables.period_headcount(t, doc.periode)
    butir = tables.survei_items(
        t["survei"], t["survei_instrumen"], doc.periode, min_sel, total=jumlah_asn
    )
    konstruk = tables.survei_constructs(butir)
    n_responden = tables.survey_respondents(t["survei"], doc.periode)
    if subset_hidden(n_responden, jumlah_asn, min_sel):
        doc.say(
            "n30_konstruk",
            "n30_responden_ditahan",
            periode=doc.period_text,
            cakupan=doc.cakupan,
            min_sel=min_sel,
        )
    else:
        doc.say(
            "n30_konstruk",
            "n30_responden",
            periode=doc.period_text,
            n=doc.number(n_responden, 0),
            cakupan=doc.cakupan,
        )
    doc.figure(
        plots.plot_bars,
        konstruk,
        category="konstruk",
        value="rerata",
        limits=(1, 5),
        decimals=0,
        title=doc.text("n30_judul_konstruk", periode=doc.period_text),
        x_label=doc.text("n30_sumbu_rerata"),
    )
    doc.table(konstruk, "survei_konstruk")
else:
    doc.say("n30_konstruk")
    doc.absent("survei", "survei_instrumen")

# %%
if ada_survei and not ditahan:
    doc.say("n30_butir")
    doc.table(
        butir, "survei_butir", columns=["konstruk", "item", "teks", "terbalik", "n", "rerata", "sd"]
    )

# %%
if ada_survei and opd is not None:
    # the instrument's properties and the models are the whole survey's (city document)
    doc.say("n30_uji_kota", instansi=doc.profile.government(bahasa))
elif ada_survei:
    doc.say("n30_uji")
    valid = survey.item_validity(t["survei"], t["survei_instrumen"], periode=doc.periode)
    rel = survey.scale_reliability(t["survei"], t["survei_instrumen"], periode=doc.periode)
    doc.table(
        valid,
        "validitas_butir",
        columns=["konstruk", "item", "r_hitung", "r_tabel", "valid", "n_obs"],
    )
    doc.table(
        rel.konstruk,
        "reliabilitas",
        columns=["konstruk", "n_item", "alpha", "ci_low", "ci_high", "omega", "reliabel"],
    )

# %%
if ada_survei and opd is None:
    doc.say("n30_cfa")
    hasil_cfa = survey.cfa(t["survei"], t["survei_instrumen"], periode=doc.periode)
    doc.table(
        hasil_cfa.fit,
        "cfa_fit",
        columns=["chi2", "df", "p_value", "cfi", "tli", "rmsea", "srmr", "n_obs"],
    )
    doc.table(
        hasil_cfa.loadings,
        "cfa_muatan",
        columns=["konstruk", "item", "estimate", "std_estimate", "p_value", "r2"],
    )
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
        doc.table(
            inv,
            "invariansi",
            columns=["model", "chi2", "df", "p_value", "cfi", "rmsea", "delta_cfi", "kesimpulan"],
        )

# %%
if ada_survei and opd is None:
    doc.say("n30_regresi")
    skor = survey.construct_scores(t["survei"], t["survei_instrumen"], shape="wide")
    # constructs under their names, so the model's terms and sentences read as words
    skor_p = skor[skor["periode"] == doc.periode].rename(columns=doc.label)
    prediktor = [
        doc.label(k)
        for k in ("kualitas_umpan_balik", "relevansi_pelatihan", "penerimaan_sistem")
        if doc.label(k) in skor_p
    ]
    if doc.label("motivasi") in skor_p and prediktor:
        galat_robust = "HC3"
        reg = ols_assumption_checks(skor_p, doc.label("motivasi"), prediktor, robust=galat_robust)
        doc.table(reg.coefficients, "regresi_motivasi")
        doc.table(reg.model)
        doc.table(assumption_checks_table(reg, bahasa))
        doc.say("n30_catatan_regresi", robust=galat_robust)

# %%
if ada_survei:
    doc.say("n30_komunikasi")
    if opd is not None:
        doc.say("n30_komunikasi_kota", opd=opd, instansi=doc.profile.government(bahasa))
    if doc.shared.komunikasi is not None:
        doc.table(
            doc.shared.komunikasi,
            columns=["term", "estimate", "ci_low", "ci_high", "p_value", "n_pegawai_dilatih"],
        )
    # every OPD's row suppressed over all OPDs (the city's survey and register), then cut
    # to this OPD's in its own document
    penerimaan = tables.acceptance_table(
        doc.ds.tables["survei"],
        t["survei_instrumen"],
        doc.ds.pegawai,
        doc.periode,
        min_sel,
        opd=opd,
    )
    if not ditahan:
        doc.table(
            penerimaan,
            "penerimaan_per_opd",
            columns=["opd", "estimate", "ci_low", "ci_high", "n_obs"],
            labels={"estimate": doc.label("penerimaan")},
        )
