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
# Bagian pertama **deskriptif**: ASN yang ikut pelatihan bisa berbeda sejak awal. Bagian
# kedua memperkirakan **pengaruh** dengan desain yang sesuai: difference-in-differences
# bertahap (Callaway–Sant'Anna) untuk pelatihan, model efek tetap dalam-pegawai untuk
# umpan balik, DiD tingkat OPD dengan wild cluster bootstrap untuk penerapan sistem
# evaluasi, dan regresi logit ordinal sebagai uji ketahanan.

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

from kinerja_analysis import analisis, effects, fmt, plots, report

report.gaya_grafik()
ds = report.muat_data(data_dir, cache_dir)
periode = report.cek_periode(ds, periode)
t = report.tabel_data(ds, opd)
periode_teks = fmt.periode_kata(periode, bahasa)
cakupan = f"OPD {opd}" if opd else "seluruh OPD Pemerintah Kota Kotalama"
bersama = analisis.muat_atau_hitung(ds, report.dir_bersama(cache_dir), seed=seed)
kolom_efek = ["term", "estimate", "std_error", "ci_low", "ci_high", "p_value", "n_obs"]
label_efek = {
    "term": "Perkiraan",
    "estimate": "Efek",
    "std_error": "SE",
    "ci_low": "IK 95% bawah",
    "ci_high": "IK 95% atas",
    "p_value": "p",
    "n_obs": "n",
}

# %% [markdown]
# ## Paparan pelatihan (12 bulan terakhir)

# %%
paparan = report.paparan_pelatihan(t["pelatihan"], periode, min_sel)
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
    paparan.drop(columns="disembunyikan"),
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
# ## Pengaruh pelatihan pertama terhadap capaian SKP
#
# Pelatihan adalah perlakuan bertahap dan dipilih sendiri: ASN mengikuti pelatihan pertama
# pada periode yang berbeda-beda. Estimator Callaway–Sant'Anna membandingkan setiap
# kelompok (kohort) hanya dengan ASN yang tidak pernah dilatih, dengan penyesuaian
# doubly robust untuk golongan, masa kerja dan jenis kelamin pada awal periode. TWFE
# ditampilkan di sampingnya sebagai angka yang lazim.

# %%
if bersama.pelatihan is not None:
    report.simpan_tabel(output_dir, "efek_pelatihan", bersama.pelatihan, judul="Efek pelatihan")
    display(report.tabel(bersama.pelatihan[kolom_efek], bahasa=bahasa, desimal=3, label=label_efek))
    display(Markdown(effects.ALASAN_TWFE))
    fig = plots.plot_event_study(
        bersama.pelatihan_dinamis,
        judul="Studi peristiwa: capaian SKP sebelum dan sesudah pelatihan pertama",
        bahasa=bahasa,
    )
    plt.show()
    display(
        report.tabel(
            bersama.pelatihan_pretrend[["term", "statistic", "df", "p_value"]],
            bahasa=bahasa,
            desimal=3,
            label={"term": "Uji tren sejajar", "statistic": "Statistik Wald", "df": "db"},
        )
    )
else:
    display(Markdown("Efek pelatihan belum dapat diestimasi dari data ini."))

# %% [markdown]
# ### Menurut sumber dan relevansi pelatihan
#
# Juga menurut jenis jabatan dan OPD, bila jumlah ASN yang dilatih dalam kelompok itu
# cukup (minimal 20). *Relevan*: kompetensi sasaran pelatihan pertama adalah dimensi BerAKHLAK terlemah ASN
# sebelum pelatihan; *lain*: dimensi BerAKHLAK lain; *tidak_sesuai*: kompetensi di luar
# kebutuhan jabatan. Selisih antarkelompok memakai SE konservatif (kedua kelompok berbagi
# kelompok pembanding).

# %%
het = bersama.pelatihan_heterogen
if het is not None and len(het):
    report.simpan_tabel(output_dir, "efek_pelatihan_subkelompok", het, judul="Efek per subkelompok")
    display(
        report.tabel(het[kolom_efek + ["n_dilatih"]], bahasa=bahasa, desimal=3, label=label_efek)
    )
    terms = set(het["term"])
    if {"relevansi=relevan", "relevansi=tidak_sesuai"} <= terms:
        selisih = effects.selisih_subkelompok(het, "relevansi=relevan", "relevansi=tidak_sesuai")
        display(
            Markdown(
                f"Selisih efek pelatihan relevan dan tidak sesuai: "
                f"{fmt.angka(selisih['estimate'], 2, bahasa)} poin (IK 95%: "
                f"{fmt.angka(selisih['ci_low'], 2, bahasa)} sampai "
                f"{fmt.angka(selisih['ci_high'], 2, bahasa)})."
            )
        )

# %% [markdown]
# ### Pelatihan komunikasi dan perilaku pelayanan
#
# Perlakuan: pelatihan komunikasi pertama; hasil: skor 360° *berorientasi pelayanan*.
# Pembanding: ASN yang belum pernah mengikuti pelatihan komunikasi (sebagian mengikuti
# pelatihan lain, sehingga angka ini adalah tambahan dari pelatihan komunikasi).

# %%
if bersama.komunikasi_perilaku is not None:
    display(
        report.tabel(
            bersama.komunikasi_perilaku[kolom_efek], bahasa=bahasa, desimal=3, label=label_efek
        )
    )

# %% [markdown]
# ## Pengaruh umpan balik
#
# Model efek tetap pegawai dan periode: capaian SKP pada suatu periode dijelaskan oleh
# jumlah sesi umpan balik berkualitas baik (kualitas 4–5), sedang (3) dan buruk (1–2)
# pada periode sebelumnya; SE dikelompokkan per pegawai.

# %%
if bersama.umpan_balik is not None:
    ub_efek = bersama.umpan_balik
    report.simpan_tabel(output_dir, "efek_umpan_balik", ub_efek, judul="Efek umpan balik")
    display(
        report.tabel(ub_efek[["model"] + kolom_efek], bahasa=bahasa, desimal=3, label=label_efek)
    )
    display(Markdown(effects.IDENTIFIKASI_UMPAN_BALIK))

# %% [markdown]
# ## Penerapan sistem evaluasi terstruktur dan pelayanan publik (tingkat OPD)

# %%
if bersama.penerapan is not None and len(bersama.penerapan):
    pen = bersama.penerapan
    report.simpan_tabel(output_dir, "efek_penerapan", pen, judul="Efek penerapan sistem evaluasi")
    display(report.tabel(pen[["outcome"] + kolom_efek], bahasa=bahasa, desimal=3, label=label_efek))
    if bersama.penerapan_pretrend is not None and len(bersama.penerapan_pretrend):
        display(
            report.tabel(
                bersama.penerapan_pretrend[["outcome"] + kolom_efek],
                bahasa=bahasa,
                desimal=3,
                label=label_efek,
            )
        )
else:
    display(Markdown("Data layanan atau penerapan tidak cukup untuk estimasi."))

# %% [markdown]
# ## Uji ketahanan: logit ordinal predikat kinerja

# %%
if bersama.ordinal is not None and len(bersama.ordinal):
    display(
        report.tabel(
            bersama.ordinal[kolom_efek + ["odds_ratio"]], bahasa=bahasa, desimal=3, label=label_efek
        )
    )
    display(
        Markdown(
            "Koefisien positif berarti predikat yang lebih tinggi lebih mungkin. Model ini "
            "menunjukkan hubungan setelah memperhitungkan kovariat dan periode, bukan sebab-akibat."
        )
    )

# %% [markdown]
# ## Catatan metode
#
# Paparan pelatihan dihitung dari tanggal mulai pelatihan dalam 12 bulan yang berakhir
# pada akhir periode. Perbedaan capaian antarkelompok JP mencampur efek pelatihan dengan
# perbedaan awal antar-ASN (seleksi diri); karena itu efeknya diestimasi dengan
# desain di atas. Semua pilihan acak (bootstrap) memakai `seed` sehingga hasil dapat
# diulang.
