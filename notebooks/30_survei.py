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
# <!-- judul_en: ASN Survey -->

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

from kinerja_analysis import analisis, fmt, report, survey

ds, periode, t, periode_teks, cakupan = report.konteks(data_dir, cache_dir, periode, opd, bahasa)
display(Markdown(report.teks("n30_pengantar", bahasa)))

# %%
display(Markdown(report.teks("n30_konstruk", bahasa)))
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
            report.teks(
                "n30_responden",
                bahasa,
                periode=periode_teks,
                n=fmt.angka(n_responden, 0, bahasa),
                cakupan=cakupan,
            )
        )
    )
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(konstruk) + 1.2))
    sns.barplot(data=konstruk, y="konstruk", x="rerata", color="#2a6f97", ax=ax)
    ax.set(
        xlim=(1, 5),
        xlabel=report.teks("n30_sumbu_rerata", bahasa),
        ylabel="",
        title=report.teks("n30_judul_konstruk", bahasa, periode=periode_teks),
    )
    plt.show()
    display(
        report.tabel(
            konstruk,
            bahasa=bahasa,
            label=report.label_kolom(bahasa),
        )
    )
else:
    display(Markdown(report.teks("n30_kosong", bahasa)))

# %%
display(Markdown(report.teks("n30_butir", bahasa)))
if ada_survei:
    display(
        report.tabel(
            butir.drop(columns="disembunyikan"),
            bahasa=bahasa,
            label=report.label_kolom(bahasa),
        )
    )

# %%
display(Markdown(report.teks("n30_uji", bahasa)))
if ada_survei:
    valid = survey.validitas_item(t["survei"], t["survei_instrumen"], periode=periode)
    rel = survey.reliabilitas(t["survei"], t["survei_instrumen"], periode=periode)
    report.simpan_tabel(output_dir, "validitas_butir", valid, judul="Validitas butir")
    report.simpan_tabel(output_dir, "reliabilitas", rel.konstruk, judul="Reliabilitas konstruk")
    display(report.tabel(valid, bahasa=bahasa, desimal=3))
    display(report.tabel(rel.konstruk, bahasa=bahasa, desimal=3))

# %%
display(Markdown(report.teks("n30_cfa", bahasa)))
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

# %%
display(Markdown(report.teks("n30_regresi", bahasa)))
if ada_survei:
    skor = survey.skor_konstruk(t["survei"], t["survei_instrumen"], bentuk="wide")
    skor_p = skor[skor["periode"] == periode]
    prediktor = [
        k
        for k in ("kualitas_umpan_balik", "relevansi_pelatihan", "penerimaan_sistem")
        if k in skor_p
    ]
    if "motivasi" in skor_p and prediktor:
        galat_robust = "HC3"
        reg = survey.regresi_asumsi_klasik(skor_p, "motivasi", prediktor, robust=galat_robust)
        report.simpan_tabel(output_dir, "regresi_motivasi", reg.koefisien, judul="Regresi motivasi")
        display(report.tabel(reg.koefisien, bahasa=bahasa, desimal=3))
        display(report.tabel(reg.model, bahasa=bahasa, desimal=3))
        display(report.tabel(reg.asumsi, bahasa=bahasa, desimal=3))
        display(
            Markdown(
                report.teks("n30_catatan_regresi", bahasa, catatan=reg.catatan, robust=galat_robust)
            )
        )

# %%
display(Markdown(report.teks("n30_komunikasi", bahasa)))
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
