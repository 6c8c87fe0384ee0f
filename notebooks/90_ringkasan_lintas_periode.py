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
# # Ringkasan Lintas Periode
# <!-- judul_en: Cross-Period Summary -->

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
periode_semua = list(doc.ds.periods)  # the data up to and including the report period
doc.say("n90_pengantar")

# %%
# the behaviour score of every period as the last window scores it (one rater model)
evaluasi = doc.shared.evaluasi if "perilaku" in t else None
lintas = tables.cross_period_summary(t, periode_semua, evaluasi=evaluasi, min_sel=min_sel)
doc.say(
    "n90_angka_utama",
    "n90_cakupan",
    cakupan=doc.cakupan,
    n=len(periode_semua),
    awal=period_label(periode_semua[0], bahasa),
    akhir=period_label(periode_semua[-1], bahasa),
)
doc.table(lintas, "ringkasan_lintas_periode")
# a JP cell is missing because its 12-month window starts before the training data, not
# because a group is small: said with the periods it concerns
awal_data = tables.first_period(t) if "pelatihan" in t else None
tanpa_jp = [
    p for p in periode_semua if awal_data is not None and not tables.jp_window_covered(p, awal_data)
]
if tanpa_jp:
    doc.say("n90_jp_tidak_tersedia", periode=", ".join(period_label(p, bahasa) for p in tanpa_jp))
# a figure blank because, beside that period's number of ASN, it gives back a small group
for indikator, kecil in lintas.attrs["disembunyikan"].items():
    doc.say(
        "n90_disembunyikan",
        indikator=doc.label(indikator),
        periode=", ".join(period_label(p, bahasa) for p in kecil),
        min_sel=min_sel,
    )

# %%
doc.say("n90_tren")
if any(c in lintas and lintas[c].notna().any() for c in plots.HEADLINE_SCALES):
    doc.figure(plots.plot_headline_trends, lintas, title=doc.text("n90_judul_tren"))
else:
    doc.say("n90_tren_kosong")
    doc.absent("skp", "perilaku", "layanan", "pelatihan")
