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

from kinerja_analysis.core.periods import period_label
from kinerja_analysis.reporting import tables
from kinerja_analysis.reporting.notebook import setup
from kinerja_analysis.reporting.text import headline_label

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
periode_semua = [p for p in doc.ds.periods if p <= doc.periode]
doc.say("n90_pengantar")

# %%
doc.say("n90_angka_utama")
lintas = tables.cross_period_summary(t, periode_semua)
doc.say(
    "n90_cakupan",
    cakupan=doc.cakupan,
    n=len(periode_semua),
    awal=period_label(periode_semua[0], bahasa),
    akhir=period_label(periode_semua[-1], bahasa),
)
doc.table(
    lintas,
    "ringkasan_lintas_periode",
    "Angka utama per periode",
    percent_cols=[c for c in lintas.columns if c.startswith("pct_")],
    labels={c: headline_label(c, bahasa) for c in lintas.columns if c != "periode"},
)

# %%
doc.say("n90_tren")
kolom_tren = [
    c
    for c in ("capaian_rerata", "perilaku_rerata", "ikm_rerata", "pct_jp_di_bawah_20")
    if c in lintas.columns
]
fig, axes = plt.subplots(
    len(kolom_tren), 1, figsize=(7.5, 2.3 * len(kolom_tren)), sharex=True, squeeze=False
)
for ax, kolom in zip(axes[:, 0], kolom_tren, strict=True):
    sns.lineplot(data=lintas, x="periode", y=kolom, marker="o", ax=ax)
    ax.set(ylabel="", title=headline_label(kolom, bahasa))
axes[-1, 0].set_xlabel(doc.text("umum_periode"))
plt.show()
