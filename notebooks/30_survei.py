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
#
# Rata-rata jawaban survei ASN per butir dan per konstruk pada periode laporan. Butir
# negatif (terbalik) sudah dibalik skornya sehingga nilai lebih tinggi selalu berarti
# lebih baik. Uji validitas, reliabilitas dan struktur faktor disajikan oleh modul survei.

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

from kinerja_analysis import analisis, fmt, report, survey

report.gaya_grafik()
ds = report.muat_data(data_dir, cache_dir)
periode = report.cek_periode(ds, periode)
t = report.tabel_data(ds, opd)
periode_teks = fmt.periode_kata(periode, bahasa)
cakupan = f"OPD {opd}" if opd else "seluruh OPD Pemerintah Kota Kotalama"

# %% [markdown]
# ## Rata-rata per konstruk

# %%
ada_survei = "survei" in t and "survei_instrumen" in t
if ada_survei:
    butir = report.survei_butir(t["survei"], t["survei_instrumen"], periode, min_sel)
    konstruk = report.survei_konstruk(butir)
    n_responden = int(t["survei"].loc[t["survei"]["periode"] == periode, "nip"].nunique())
    report.simpan_tabel(
        output_dir, "survei_konstruk", konstruk, judul=f"Survei per konstruk {periode_teks}"
    )
    report.simpan_tabel(output_dir, "survei_butir", butir, judul=f"Survei per butir {periode_teks}")
    display(
        Markdown(
            f"Responden pada {periode_teks}: {fmt.angka(n_responden, 0, bahasa)} ASN ({cakupan})."
        )
    )
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(konstruk) + 1.2))
    sns.barplot(data=konstruk, y="konstruk", x="rerata", color="#2a6f97", ax=ax)
    ax.set(
        xlim=(1, 5),
        xlabel="Rata-rata (1–5)",
        ylabel="",
        title=f"Survei ASN per konstruk, {periode_teks}",
    )
    plt.show()
    display(
        report.tabel(
            konstruk,
            bahasa=bahasa,
            label={"n_butir": "Butir", "n_min": "n terkecil", "rerata": "Rata-rata"},
        )
    )
else:
    display(Markdown("Data survei tidak tersedia."))

# %% [markdown]
# ## Rata-rata per butir

# %%
if ada_survei:
    display(
        report.tabel(
            butir.drop(columns="disembunyikan"),
            bahasa=bahasa,
            label={
                "teks": "Pernyataan",
                "terbalik": "Terbalik",
                "rerata": "Rata-rata",
                "sd": "Simpangan baku",
            },
        )
    )

# %% [markdown]
# ## Uji instrumen: validitas butir dan reliabilitas
#
# Validitas: korelasi butir dengan total butir lain dalam konstruknya (corrected item–total),
# dibandingkan dengan r-tabel untuk jumlah responden (α = 0,05, dua sisi). Reliabilitas:
# Cronbach's α (dengan interval Feldt), α jika butir dihapus, dan McDonald's ω.

# %%
if ada_survei:
    valid = survey.validitas_item(t["survei"], t["survei_instrumen"], periode=periode)
    rel = survey.reliabilitas(t["survei"], t["survei_instrumen"], periode=periode)
    report.simpan_tabel(output_dir, "validitas_butir", valid, judul="Validitas butir")
    report.simpan_tabel(output_dir, "reliabilitas", rel.konstruk, judul="Reliabilitas konstruk")
    display(report.tabel(valid, bahasa=bahasa, desimal=3))
    display(report.tabel(rel.konstruk, bahasa=bahasa, desimal=3))

# %% [markdown]
# ## Struktur faktor (CFA) dan invariansi antarperiode
#
# Analisis faktor konfirmatori memeriksa apakah butir benar-benar mengukur konstruknya
# (muatan, CFI, TLI, RMSEA, SRMR). Uji invariansi (konfigural, metrik, skalar) memeriksa
# apakah instrumen bekerja sama pada setiap periode, sehingga perubahan skor antarperiode
# adalah perubahan konstruk, bukan perubahan cara butir dipahami.

# %%
if ada_survei:
    hasil_cfa = survey.cfa(t["survei"], t["survei_instrumen"], periode=periode)
    report.simpan_tabel(output_dir, "cfa_muatan", hasil_cfa.muatan, judul="Muatan faktor CFA")
    report.simpan_tabel(output_dir, "cfa_fit", hasil_cfa.fit, judul="Indeks kecocokan CFA")
    display(report.tabel(hasil_cfa.fit, bahasa=bahasa, desimal=3))
    display(report.tabel(hasil_cfa.muatan, bahasa=bahasa, desimal=3))
    sebelum = [p for p in ds.periods if p <= periode][-4:]
    if len(sebelum) >= 2:
        inv = survey.invarians(
            t["survei"][t["survei"]["periode"].isin(sebelum)], t["survei_instrumen"]
        )
        report.simpan_tabel(output_dir, "invariansi", inv, judul="Invariansi antarperiode")
        display(report.tabel(inv, bahasa=bahasa, desimal=3))

# %% [markdown]
# ## Regresi motivasi dengan uji asumsi klasik
#
# Motivasi kerja dijelaskan oleh persepsi kualitas umpan balik, relevansi pelatihan dan
# penerimaan sistem evaluasi. Setiap uji asumsi diberi satu kalimat tafsiran.

# %%
if ada_survei:
    skor = survey.skor_konstruk(t["survei"], t["survei_instrumen"], bentuk="wide")
    skor_p = skor[skor["periode"] == periode]
    prediktor = [
        k
        for k in ("kualitas_umpan_balik", "relevansi_pelatihan", "penerimaan_sistem")
        if k in skor_p
    ]
    if "motivasi" in skor_p and prediktor:
        reg = survey.regresi_asumsi_klasik(skor_p, "motivasi", prediktor)
        report.simpan_tabel(output_dir, "regresi_motivasi", reg.koefisien, judul="Regresi motivasi")
        display(report.tabel(reg.koefisien, bahasa=bahasa, desimal=3))
        display(report.tabel(reg.model, bahasa=bahasa, desimal=3))
        display(report.tabel(reg.asumsi, bahasa=bahasa, desimal=3))
        display(Markdown(reg.catatan))

# %% [markdown]
# ## Pelatihan komunikasi dan rasa percaya diri; penerimaan sistem per OPD

# %%
if ada_survei:
    bersama = analisis.muat_atau_hitung(ds, report.dir_bersama(cache_dir), seed=seed)
    if bersama.komunikasi is not None:
        display(report.tabel(bersama.komunikasi, bahasa=bahasa, desimal=3))
    skor_long = survey.skor_konstruk(t["survei"], t["survei_instrumen"])
    penerimaan = survey.penerimaan_per_opd(skor_long, t["pegawai"], min_n=min_sel)
    penerimaan = penerimaan[penerimaan["periode"] == periode]
    report.simpan_tabel(
        output_dir, "penerimaan_per_opd", penerimaan, judul="Penerimaan sistem per OPD"
    )
    display(report.tabel(penerimaan, bahasa=bahasa, desimal=2))
