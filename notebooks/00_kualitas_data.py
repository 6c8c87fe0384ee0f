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
#
# Ringkasan hasil validasi data yang menjadi dasar evaluasi kinerja: berapa baris yang
# dibaca, diterima dan ditolak per tabel, aturan mana yang paling sering dilanggar, dan
# seberapa lengkap data pada periode laporan. Nilai-nilai yang ditolak tidak ditampilkan
# di sini (dapat memuat data pribadi); daftar lengkapnya ada pada berkas penolakan
# milik tim data.

# %% tags=["parameters"]
# Optional[...] (bukan "str | None"): papermill --help-notebook hanya membaca bentuk ini.
# ruff: noqa: E402, UP045
from typing import Optional

periode: str = "2025Q4"  # periode evaluasi: YYYYQn (triwulan), YYYYSn (semester) atau YYYY
data_dir: str = "../data/kotalama"  # folder dataset mentah (relatif terhadap notebooks/)
output_dir: str = "../reports/2025Q4"  # folder keluaran; tabel XLSX ke <output_dir>/tabel
cache_dir: Optional[str] = None  # cache data tervalidasi dari batch; None: validasi ulang di sini
bahasa: str = "id"  # format angka dan periode: "id" (Indonesia) atau "en" (English)
opd: Optional[str] = None  # nama satu OPD untuk laporan per OPD; None: seluruh kota
min_sel: int = 5  # kelompok dengan ASN lebih sedikit dari ini disembunyikan
seed: int = 2025  # seed untuk langkah acak (bootstrap); hasil sama untuk seed yang sama

# %%
import matplotlib.pyplot as plt
import seaborn as sns
from IPython.display import Markdown, display

from kinerja_analysis import fmt, report

report.gaya_grafik()
ds = report.muat_data(data_dir, cache_dir)
periode = report.cek_periode(ds, periode)
t = report.tabel_data(ds, opd)
periode_teks = fmt.periode_kata(periode, bahasa)
cakupan = f"OPD {opd}" if opd else "seluruh OPD Pemerintah Kota Kotalama"

# %% [markdown]
# ## Ringkasan validasi
#
# Setiap baris data mentah diperiksa terhadap kontrak data (tipe, nilai yang diizinkan,
# rentang, kunci unik, struktur NIP, rujukan antartabel). Baris yang melanggar aturan
# ditolak dan dicatat beserta alasannya; tidak ada yang dibuang diam-diam.

# %%
validasi = report.ringkasan_validasi(ds.validation)
report.simpan_tabel(
    output_dir, "ringkasan_validasi", validasi, judul="Ringkasan validasi per tabel"
)
n_baca = int(validasi["rows_read"].sum())
n_tolak = int(validasi["rows_rejected"].sum())
display(
    Markdown(
        f"Dari {fmt.angka(n_baca, 0, bahasa)} baris yang dibaca, {fmt.angka(n_tolak, 0, bahasa)} "
        f"({fmt.persen(n_tolak / n_baca if n_baca else float('nan'), 2, bahasa)}) ditolak."
    )
)
report.tabel(
    validasi,
    bahasa=bahasa,
    persen_kolom=["pct_diterima"],
    label={
        "rows_read": "Dibaca",
        "rows_accepted": "Diterima",
        "rows_rejected": "Ditolak",
        "n_peringatan": "Peringatan",
        "pct_diterima": "% diterima",
    },
)

# %% [markdown]
# ## Masalah per aturan

# %%
masalah = report.masalah_per_aturan(ds.validation)
report.simpan_tabel(output_dir, "masalah_per_aturan", masalah, judul="Jumlah masalah per aturan")
if len(masalah):
    display(report.tabel(masalah, bahasa=bahasa, label={"n_masalah": "Jumlah"}))
else:
    display(Markdown("Tidak ada masalah validasi: semua baris memenuhi kontrak data."))

# %%
if ds.validation.notes:
    display(Markdown("\n".join(f"- {catatan}" for catatan in ds.validation.notes)))

# %% [markdown]
# ## Kelengkapan data periode laporan

# %%
lengkap = report.kelengkapan_periode(t, periode)
report.simpan_tabel(
    output_dir, "kelengkapan_periode", lengkap, judul=f"Kelengkapan data {periode_teks}"
)
display(Markdown(f"Cakupan: {cakupan}, {periode_teks}."))
fig, ax = plt.subplots(figsize=(7.5, 3))
sns.barplot(data=lengkap, y="tabel", x="pct_asn", color="#2a6f97", ax=ax)
ax.set(
    xlim=(0, 1),
    xlabel="Porsi ASN yang tercakup",
    ylabel="",
    title=f"Cakupan data per tabel, {periode_teks}",
)
plt.show()
report.tabel(
    lengkap,
    bahasa=bahasa,
    persen_kolom=["pct_asn"],
    label={"n_baris": "Baris", "n_asn": "ASN", "pct_asn": "% ASN"},
)
