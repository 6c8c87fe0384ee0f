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
#
# Gambaran paparan ASN terhadap pelatihan dan umpan balik kinerja: siapa yang mendapat
# berapa, dari sumber mana, dan bagaimana capaian SKP berbeda menurut paparan tersebut.
# Perbandingan di sini **deskriptif**, bukan efek kausal: ASN yang ikut pelatihan bisa
# berbeda sejak awal. Estimasi efek (difference-in-differences bertahap untuk pelatihan,
# model efek tetap untuk umpan balik) disajikan oleh modul efek.

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
# ## Paparan pelatihan (12 bulan terakhir)

# %%
paparan = report.paparan_pelatihan(t["pelatihan"], periode)
report.simpan_tabel(
    output_dir, "paparan_pelatihan", paparan, judul="Pelatihan menurut jenis dan sumber"
)
jp = report.jp_per_asn(t["pelatihan"], t["pegawai"], periode)
jp_kota = report.ringkasan_jp(jp, min_sel, per_opd=False)
display(
    Markdown(
        f"Dalam 12 bulan yang berakhir pada {periode_teks}, rata-rata JP per ASN adalah "
        f"{fmt.angka(jp_kota.loc[0, 'jp_rerata'], 1, bahasa)}; "
        f"{fmt.persen(jp_kota.loc[0, 'pct_di_bawah_20'], 1, bahasa)} ASN di bawah 20 JP dan "
        f"{fmt.persen(jp_kota.loc[0, 'pct_jp_mandiri'], 1, bahasa)} JP berasal dari pelatihan mandiri."
    )
)
fig, ax = plt.subplots()
sns.barplot(data=paparan, x="jenis", y="jp_total", hue="sumber", ax=ax)
ax.set(xlabel="Jenis pelatihan", ylabel="Total JP", title="JP pelatihan menurut jenis dan sumber")
plt.show()
report.tabel(
    paparan,
    bahasa=bahasa,
    desimal=1,
    label={
        "jenis": "Jenis",
        "sumber": "Sumber",
        "n_pelatihan": "Pelatihan",
        "n_asn": "ASN",
        "jp_total": "Total JP",
        "jp_rerata": "Rata-rata JP",
    },
)

# %% [markdown]
# ## Capaian SKP menurut paparan pelatihan (deskriptif)

# %%
menurut_jp = report.capaian_menurut_pelatihan(t["skp"], jp, periode, min_sel)
report.simpan_tabel(
    output_dir, "capaian_menurut_jp", menurut_jp, judul="Capaian SKP menurut kelompok JP"
)
report.tabel(
    menurut_jp.drop(columns="disembunyikan"),
    bahasa=bahasa,
    desimal=1,
    label={
        "kelompok_jp": "Kelompok JP (12 bulan)",
        "n_asn": "Jumlah ASN",
        "capaian_rerata": "Rata-rata capaian (%)",
        "capaian_sd": "Simpangan baku",
    },
)

# %% [markdown]
# ## Umpan balik kinerja per periode

# %%
if "umpan_balik" in t:
    ub = report.umpan_balik_per_periode(t["umpan_balik"], t["pegawai"])
    ub = ub[ub["periode"] <= periode]
    report.simpan_tabel(
        output_dir, "umpan_balik_per_periode", ub, judul="Sesi umpan balik per periode"
    )
    fig, ax = plt.subplots()
    sns.lineplot(data=ub, x="periode", y="sesi_per_asn", marker="o", ax=ax)
    ax.set(xlabel="Periode", ylabel="Sesi per ASN", title="Intensitas umpan balik per periode")
    plt.show()
    display(
        report.tabel(
            ub,
            bahasa=bahasa,
            persen_kolom=["pct_asn_tanpa_sesi"],
            label={
                "n_sesi": "Jumlah sesi",
                "sesi_per_asn": "Sesi per ASN",
                "pct_asn_tanpa_sesi": "ASN tanpa sesi",
                "kualitas_rerata": "Rata-rata kualitas (1–5)",
            },
        )
    )
else:
    display(Markdown("Data umpan balik tidak tersedia."))

# %% [markdown]
# ## Catatan metode
#
# Paparan pelatihan dihitung dari tanggal mulai pelatihan dalam 12 bulan yang berakhir
# pada akhir periode. Perbedaan capaian antarkelompok JP mencampur efek pelatihan dengan
# perbedaan awal antar-ASN (seleksi diri); efek kausal diestimasi terpisah.
