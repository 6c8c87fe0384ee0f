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
# # Laporan Kualitas Data Kepegawaian
# <!-- judul_en: Personnel Data Quality Report -->

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
from kinerja_analysis.core.periods import period_label
from kinerja_analysis.reporting import plots, tables
from kinerja_analysis.reporting.notebook import setup

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
doc.say("n00_pengantar")

# %%
doc.say("n00_validasi")
validasi = tables.validation_summary(doc.ds.validation)
n_baca = int(validasi["rows_read"].sum())
n_tolak = int(validasi["rows_rejected"].sum())
# the validation reads whole files: said so, with the last period they hold
akhir = period_label(doc.ds.validation.periods[-1], bahasa)
doc.say(
    "n00_ditolak",
    n_baca=doc.number(n_baca, 0),
    n_tolak=doc.number(n_tolak, 0),
    persen=doc.percent(n_tolak / n_baca if n_baca else float("nan"), 2),
    akhir=akhir,
)
doc.table(validasi, "ringkasan_validasi", doc.text("judul_ringkasan_validasi", akhir=akhir))

# %%
doc.say("n00_masalah")
masalah = tables.issues_by_rule(doc.ds.validation)
if len(masalah):
    doc.table(masalah, "masalah_per_aturan")
else:
    doc.say("n00_tanpa_masalah")

# %%
if doc.ds.validation.notes:
    doc.bullets(doc.ds.validation.notes)
if doc.ds.validation.absent:
    doc.absent(*doc.ds.validation.absent)

# %%
# an OPD's document leaves out the counts the city level hides for it (doc.withheld)
lengkap = tables.period_coverage(t, doc.periode, min_sel, withheld=doc.withheld)
doc.say("n00_kelengkapan", "n00_cakupan", cakupan=doc.cakupan, periode=doc.period_text)
if len(lengkap):
    doc.figure(
        plots.plot_bars,
        lengkap,
        category="tabel",
        value="pct_asn",
        percent=True,
        limits=(0, 1),
        title=doc.text("n00_judul_cakupan", periode=doc.period_text),
        x_label=doc.text("n00_sumbu_porsi"),
    )
    doc.table(lengkap, "kelengkapan_periode")
    if lengkap.attrs["ditahan"]:
        doc.withheld_note("cakupan", cells=True)
    elif lengkap["disembunyikan"].any():
        doc.say("sebagian_disembunyikan", min_sel=min_sel)
else:
    doc.absent("skp", "penilaian_resmi", "perilaku", "pelatihan", "umpan_balik", "survei")
