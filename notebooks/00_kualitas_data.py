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

periode: str = "2025Q4"  # periode evaluasi: YYYYQn (triwulan), YYYYSn (semester) atau YYYY
data_dir: str = "../data/kotalama"  # folder dataset mentah (relatif terhadap notebooks/)
output_dir: str = "../reports/2025Q4"  # folder keluaran; tabel XLSX ke <output_dir>/tabel
cache_dir: Optional[str] = None  # cache data tervalidasi dari batch; None: validasi ulang di sini
bahasa: str = "id"  # bahasa laporan: "id" (Indonesia) atau "en" (English)
opd: Optional[str] = None  # nama satu OPD untuk laporan per OPD; None: seluruh kota
min_sel: int = 5  # kelompok dengan ASN lebih sedikit dari ini disembunyikan
seed: int = 2025  # seed untuk langkah acak (bootstrap); hasil sama untuk seed yang sama

# %%
import matplotlib.pyplot as plt
import seaborn as sns
from IPython.display import Markdown, display

from kinerja_analysis import fmt, report

ds, periode, t, periode_teks, cakupan = report.konteks(data_dir, cache_dir, periode, opd, bahasa)
display(Markdown(report.teks("n00_pengantar", bahasa)))

# %%
display(Markdown(report.teks("n00_validasi", bahasa)))
validasi = report.ringkasan_validasi(ds.validation)
report.simpan_tabel(
    output_dir, "ringkasan_validasi", validasi, judul="Ringkasan validasi per tabel"
)
n_baca = int(validasi["rows_read"].sum())
n_tolak = int(validasi["rows_rejected"].sum())
display(
    Markdown(
        report.teks(
            "n00_ditolak",
            bahasa,
            n_baca=fmt.angka(n_baca, 0, bahasa),
            n_tolak=fmt.angka(n_tolak, 0, bahasa),
            persen=fmt.persen(n_tolak / n_baca if n_baca else float("nan"), 2, bahasa),
        )
    )
)
report.tabel(
    validasi,
    bahasa=bahasa,
    persen_kolom=["pct_diterima"],
    label=report.label_kolom(bahasa),
)

# %%
display(Markdown(report.teks("n00_masalah", bahasa)))
masalah = report.masalah_per_aturan(ds.validation)
report.simpan_tabel(output_dir, "masalah_per_aturan", masalah, judul="Jumlah masalah per aturan")
if len(masalah):
    display(report.tabel(masalah, bahasa=bahasa, label=report.label_kolom(bahasa)))
else:
    display(Markdown(report.teks("n00_tanpa_masalah", bahasa)))

# %%
if ds.validation.notes:
    display(Markdown("\n".join(f"- {catatan}" for catatan in ds.validation.notes)))

# %%
display(Markdown(report.teks("n00_kelengkapan", bahasa)))
lengkap = report.kelengkapan_periode(t, periode)
report.simpan_tabel(
    output_dir, "kelengkapan_periode", lengkap, judul=f"Kelengkapan data {periode_teks}"
)
display(Markdown(report.teks("n00_cakupan", bahasa, cakupan=cakupan, periode=periode_teks)))
fig, ax = plt.subplots(figsize=(7.5, 3))
sns.barplot(data=lengkap, y="tabel", x="pct_asn", color="#2a6f97", ax=ax)
ax.set(
    xlim=(0, 1),
    xlabel=report.teks("n00_sumbu_porsi", bahasa),
    ylabel="",
    title=report.teks("n00_judul_cakupan", bahasa, periode=periode_teks),
)
plt.show()
report.tabel(
    lengkap,
    bahasa=bahasa,
    persen_kolom=["pct_asn"],
    label=report.label_kolom(bahasa),
)
