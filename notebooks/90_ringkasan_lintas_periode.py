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

periode_semua = [p for p in ds.periods if p <= periode]
display(Markdown(report.teks("n90_pengantar", bahasa)))

# %%
display(Markdown(report.teks("n90_angka_utama", bahasa)))
lintas = report.ringkasan_lintas_periode(t, periode_semua)
report.simpan_tabel(output_dir, "ringkasan_lintas_periode", lintas, judul="Angka utama per periode")
display(
    Markdown(
        report.teks(
            "n90_cakupan",
            bahasa,
            cakupan=cakupan,
            n=len(periode_semua),
            awal=fmt.periode_kata(periode_semua[0], bahasa),
            akhir=fmt.periode_kata(periode_semua[-1], bahasa),
        )
    )
)
report.tabel(
    lintas,
    bahasa=bahasa,
    persen_kolom=[c for c in lintas.columns if c.startswith("pct_")],
    label=report.label_kolom(bahasa)
    | {c: report.label_indikator(c, bahasa) for c in lintas.columns if c != "periode"},
)

# %%
display(Markdown(report.teks("n90_tren", bahasa)))
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
    ax.set(ylabel="", title=report.label_indikator(kolom, bahasa))
axes[-1, 0].set_xlabel(report.teks("umum_periode", bahasa))
plt.show()
