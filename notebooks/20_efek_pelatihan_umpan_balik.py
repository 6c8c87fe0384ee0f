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
# # Pelatihan dan Umpan Balik
# <!-- judul_en: Training and Feedback -->

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
from kinerja_analysis.analyses.feedback import FEEDBACK_IDENTIFICATION
from kinerja_analysis.analyses.rollout import MIN_CLUSTERS, MIN_CLUSTERS_PER_SIDE, PRETREND_REASONS
from kinerja_analysis.analyses.training import TWFE_CAVEAT, subgroup_difference
from kinerja_analysis.reporting import plots, tables
from kinerja_analysis.reporting.narrative import not_estimated_sentence
from kinerja_analysis.reporting.notebook import setup
from kinerja_analysis.reporting.notes import effects_document_shown, note_lines
from kinerja_analysis.reporting.text import sensitivity_display, training_hours_sentence

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
bersama = doc.shared
kolom_efek = ["term", "estimate", "std_error", "ci_low", "ci_high", "p_value", "n_obs"]
doc.say("n20_pengantar")

# %%
ada_pelatihan = "pelatihan" in t
# a training table without any training up to the period says nothing of this period
dicatat = ada_pelatihan and len(t["pelatihan"]) > 0
# an OPD's document leaves out what the city level hides for it (doc.withheld: nothing in
# the city's document), so that no two documents together give back a small group
if not ada_pelatihan:
    doc.say("n20_paparan")
    doc.absent("pelatihan")
else:
    paparan = tables.training_exposure(t["pelatihan"], doc.periode, min_sel, withheld=doc.withheld)
    jp = tables.jp_by_asn(t["pelatihan"], t["pegawai"], doc.periode)
    jp_kota = tables.jp_summary(jp, min_sel, per_opd=False, withheld=doc.withheld)
if dicatat and tables.jp_window_covered(doc.periode, doc.ds.periods[0]) and "jp" in doc.withheld:
    doc.say("n20_paparan")
    doc.withheld_note("jp")
elif dicatat and tables.jp_window_covered(doc.periode, doc.ds.periods[0]):
    # a share that would give back a small group is said to be withheld
    doc.markdown(
        doc.text("n20_paparan")
        + "\n\n"
        + training_hours_sentence(jp_kota, doc.period_text, bahasa, min_sel)
    )
elif ada_pelatihan:
    doc.say("n20_paparan", "n20_jp_tidak_tersedia", periode=doc.period_text)
if ada_pelatihan and len(paparan) and "paparan" in doc.withheld:
    doc.withheld_note("paparan")
elif ada_pelatihan and len(paparan):
    doc.figure(
        plots.plot_bars,
        paparan,
        category="jenis",
        value="jp_total",
        group="sumber",
        decimals=0,
        title=doc.text("n20_judul_paparan"),
        x_label=doc.text("n20_sumbu_total_jp"),
    )
    doc.table(paparan, "paparan_pelatihan", decimals=1)
    if any(m.startswith("paparan:") for m in doc.withheld):
        doc.withheld_note("paparan", cells=True)
elif ada_pelatihan and tables.jp_window_covered(doc.periode, doc.ds.periods[0]):
    doc.say("n20_paparan_kosong")
elif ada_pelatihan:
    # the 12 months begin before the data: only "since the data begin" can be said
    doc.say("n20_paparan_kosong_sejak_awal", periode=doc.period_text)

# %%
doc.say("n20_capaian_jp")
if not doc.absent("skp", "pelatihan") and dicatat and "kelompok_jp" in doc.withheld:
    doc.withheld_note("kelompok_jp")
elif "skp" in t and dicatat:
    menurut_jp = tables.capaian_by_training(
        t["skp"], jp, doc.periode, min_sel, withheld=doc.withheld
    )
    doc.table(menurut_jp, "capaian_menurut_jp", decimals=1)
    if any(m.startswith("kelompok_jp:") for m in doc.withheld):
        doc.withheld_note("kelompok_jp", cells=True)

# %%
doc.say("n20_umpan_balik")
if "umpan_balik" in t:
    ub = tables.umpan_balik_by_period(
        t["umpan_balik"], t["pegawai"], min_sel, withheld=doc.withheld
    )
    doc.figure(
        plots.plot_trend,
        ub,
        y="sesi_per_asn",
        y_label=doc.text("n20_sumbu_sesi"),
        min_span=1.0,
        limits=(0.0, None),
        title=doc.text("n20_judul_umpan_balik"),
    )
    doc.table(ub, "umpan_balik_per_periode")
    if any(m.startswith("umpan_balik:") for m in doc.withheld):
        doc.withheld_note("umpan_balik", periods=True)
    elif any(m.startswith("umpan_balik_kualitas:") for m in doc.withheld):
        doc.withheld_note("umpan_balik", cells=True)
    elif ub["disembunyikan"].any():
        doc.say("sebagian_disembunyikan", min_sel=min_sel)
else:
    doc.absent("umpan_balik")

# %%
if opd is not None:
    # the designs below need the whole city: said so, and shown as the city's figures
    doc.say("n20_efek_opd", opd=opd, instansi=doc.profile.government(bahasa))

# %%
doc.say("n20_efek_pelatihan")
if bersama.pelatihan is not None:
    doc.save(bersama.pelatihan, "efek_pelatihan")
    doc.table(bersama.pelatihan[kolom_efek], decimals=3)
    cs = bersama.pelatihan[bersama.pelatihan["term"] == "att_cs"]
    if len(cs) and "n_incomplete" in cs and cs["n_incomplete"].iloc[0] > 0:
        doc.say(
            "n20_panel_seimbang",
            n_dipakai=doc.number(cs["n_obs"].iloc[0], 0),
            n_keluar=doc.number(cs["n_incomplete"].iloc[0], 0),
            n_jendela=doc.number(cs["n_window"].iloc[0], 0),
        )
    if (bersama.pelatihan.get("control_group") == "not_yet_treated").any():
        doc.say("n20_pembanding_belum_dilatih")
    doc.say("n20_alasan_twfe", alasan=TWFE_CAVEAT)
    doc.figure(plots.plot_event_study, bersama.pelatihan_dynamic, title=doc.text("n20_judul_studi"))
    doc.table(
        bersama.pelatihan_pretrend[["term", "statistic", "df", "p_value"]],
        decimals=3,
        labels={
            "term": doc.text("n20_uji_tren"),
            "statistic": doc.text("n20_statistik_wald"),
        },
    )
    sens = bersama.pelatihan_sensitivitas
    if sens is not None and len(sens):
        doc.say("n20_sensitivitas")
        doc.table(
            sensitivity_display(sens, doc.bahasa)[
                ["delta", "term", "ci_low", "ci_high", "breakdown"]
            ]
        )
elif "pelatihan" in bersama.not_estimated:
    doc.markdown(not_estimated_sentence("pelatihan", bersama.not_estimated["pelatihan"], bahasa))
elif not doc.absent("pelatihan", "skp"):
    doc.say("n20_efek_pelatihan_kosong")

# %%
doc.say("n20_subkelompok")
het = bersama.pelatihan_heterogen
if het is not None and len(het):
    doc.save(het, "efek_pelatihan_subkelompok")
    doc.table(het, columns=kolom_efek + ["n_treated"], decimals=3)
    if {"relevansi=relevan", "relevansi=tidak_sesuai"} <= set(het["term"]):
        selisih = subgroup_difference(het, "relevansi=relevan", "relevansi=tidak_sesuai")
        doc.say(
            "n20_selisih",
            estimate=doc.number(selisih["estimate"]),
            ci_low=doc.number(selisih["ci_low"]),
            ci_high=doc.number(selisih["ci_high"]),
        )
elif not doc.absent("pelatihan", "skp"):
    doc.say("data_tidak_cukup")

# %%
doc.say("n20_komunikasi")
if bersama.komunikasi_perilaku is not None:
    doc.table(bersama.komunikasi_perilaku[kolom_efek], decimals=3)
elif not doc.absent("pelatihan", "skp", "perilaku"):
    doc.say("data_tidak_cukup")

# %%
doc.say("n20_efek_umpan_balik")
if bersama.umpan_balik is not None:
    doc.save(bersama.umpan_balik, "efek_umpan_balik")
    doc.table(bersama.umpan_balik[["model"] + kolom_efek], decimals=3)
    doc.say("n20_identifikasi", identifikasi=FEEDBACK_IDENTIFICATION)
elif not doc.absent("umpan_balik", "skp"):
    doc.say("data_tidak_cukup")

# %%
doc.say("n20_penerapan")
if bersama.penerapan is not None and len(bersama.penerapan):
    doc.save(bersama.penerapan, "efek_penerapan")
    doc.table(bersama.penerapan[["outcome"] + kolom_efek], decimals=3)
    for r in bersama.penerapan.to_dict("records"):
        hasil = doc.label(r["outcome"])
        if "few_clusters" in str(r.get("flags", "")):
            doc.say(
                "n20_klaster_sedikit",
                hasil=hasil,
                n=doc.number(r["n_clusters"], 0),
                n_terap=doc.number(r["n_treated_clusters"], 0),
                n_tidak=doc.number(r["n_untreated_clusters"], 0),
                min=doc.number(MIN_CLUSTERS, 0),
                min_sisi=doc.number(MIN_CLUSTERS_PER_SIDE, 0),
            )
        if r.get("pretrend_reason") in PRETREND_REASONS:
            doc.say(f"n20_pretrend_{r['pretrend_reason']}", hasil=hasil)
    if bersama.penerapan_pretrend is not None and len(bersama.penerapan_pretrend):
        doc.table(bersama.penerapan_pretrend[["outcome"] + kolom_efek], decimals=3)
    sens = bersama.penerapan_sensitivitas
    if sens is not None and len(sens):
        doc.say("n20_sensitivitas")
        cols = ["outcome", "delta", "term", "ci_low", "ci_high", "breakdown"]
        doc.table(sensitivity_display(sens, doc.bahasa)[cols])
elif not doc.absent("layanan", "penerapan"):
    doc.say("n20_penerapan_kosong")

# %%
doc.say("n20_ordinal")
if bersama.ordinal is not None and len(bersama.ordinal):
    doc.table(bersama.ordinal[kolom_efek + ["odds_ratio"]], decimals=3)
    doc.say("n20_ordinal_catatan")
elif not doc.absent("umpan_balik"):
    doc.say("data_tidak_cukup")

# %%
# what could not be estimated or was left out, unless said beside an estimate above
catatan = note_lines(bersama.notes, bahasa, shown=effects_document_shown(bersama), min_sel=min_sel)
if catatan:
    doc.say("n20_catatan_perhitungan")
    doc.bullets(catatan)

# %%
doc.say("n20_catatan_metode")
