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
# <!-- judul_en: Training and Feedback -->

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

from kinerja_analysis import analisis, effects, fmt, plots, report

ds, periode, t, periode_teks, cakupan = report.konteks(data_dir, cache_dir, periode, opd, bahasa)
bersama = analisis.muat_atau_hitung(ds, report.dir_bersama(cache_dir), seed=seed)
kolom_efek = ["term", "estimate", "std_error", "ci_low", "ci_high", "p_value", "n_obs"]
label_efek = report.label_kolom(bahasa)
display(Markdown(report.teks("n20_pengantar", bahasa)))

# %%
display(Markdown(report.teks("n20_paparan", bahasa)))
paparan = report.paparan_pelatihan(t["pelatihan"], periode, min_sel)
report.simpan_tabel(
    output_dir, "paparan_pelatihan", paparan, judul="Pelatihan menurut jenis dan sumber"
)
jp = report.jp_per_asn(t["pelatihan"], t["pegawai"], periode)
jp_kota = report.ringkasan_jp(jp, min_sel, per_opd=False)
display(
    Markdown(
        report.teks(
            "n20_jp_kalimat",
            bahasa,
            periode=periode_teks,
            jp_rerata=fmt.angka(jp_kota.loc[0, "jp_rerata"], 1, bahasa),
            pct_di_bawah_20=fmt.persen(jp_kota.loc[0, "pct_di_bawah_20"], 1, bahasa),
            pct_mandiri=fmt.persen(jp_kota.loc[0, "pct_jp_mandiri"], 1, bahasa),
        )
    )
)
fig, ax = plt.subplots()
sns.barplot(data=paparan, x="jenis", y="jp_total", hue="sumber", ax=ax)
ax.set(
    xlabel=report.teks("n20_sumbu_jenis", bahasa),
    ylabel=report.teks("n20_sumbu_total_jp", bahasa),
    title=report.teks("n20_judul_paparan", bahasa),
)
plt.show()
report.tabel(
    paparan.drop(columns="disembunyikan"),
    bahasa=bahasa,
    desimal=1,
    label=report.label_kolom(bahasa),
)

# %%
display(Markdown(report.teks("n20_capaian_jp", bahasa)))
menurut_jp = report.capaian_menurut_pelatihan(t["skp"], jp, periode, min_sel)
report.simpan_tabel(
    output_dir, "capaian_menurut_jp", menurut_jp, judul="Capaian SKP menurut kelompok JP"
)
report.tabel(
    menurut_jp.drop(columns="disembunyikan"),
    bahasa=bahasa,
    desimal=1,
    label=report.label_kolom(bahasa),
)

# %%
display(Markdown(report.teks("n20_umpan_balik", bahasa)))
if "umpan_balik" in t:
    ub = report.umpan_balik_per_periode(t["umpan_balik"], t["pegawai"])
    ub = ub[ub["periode"] <= periode]
    report.simpan_tabel(
        output_dir, "umpan_balik_per_periode", ub, judul="Sesi umpan balik per periode"
    )
    fig, ax = plt.subplots()
    sns.lineplot(data=ub, x="periode", y="sesi_per_asn", marker="o", ax=ax)
    ax.set(
        xlabel=report.teks("umum_periode", bahasa),
        ylabel=report.teks("n20_sumbu_sesi", bahasa),
        title=report.teks("n20_judul_umpan_balik", bahasa),
    )
    plt.show()
    display(
        report.tabel(
            ub,
            bahasa=bahasa,
            persen_kolom=["pct_asn_tanpa_sesi"],
            label=report.label_kolom(bahasa),
        )
    )
else:
    display(Markdown(report.teks("n20_umpan_balik_kosong", bahasa)))

# %%
display(Markdown(report.teks("n20_efek_pelatihan", bahasa)))
if bersama.pelatihan is not None:
    report.simpan_tabel(output_dir, "efek_pelatihan", bersama.pelatihan, judul="Efek pelatihan")
    display(report.tabel(bersama.pelatihan[kolom_efek], bahasa=bahasa, desimal=3, label=label_efek))
    display(Markdown(report.teks("n20_alasan_twfe", bahasa, alasan=effects.ALASAN_TWFE)))
    fig = plots.plot_event_study(
        bersama.pelatihan_dinamis,
        judul=report.teks("n20_judul_studi", bahasa),
        bahasa=bahasa,
    )
    plt.show()
    display(
        report.tabel(
            bersama.pelatihan_pretrend[["term", "statistic", "df", "p_value"]],
            bahasa=bahasa,
            desimal=3,
            label=report.label_kolom(bahasa)
            | {
                "term": report.teks("n20_uji_tren", bahasa),
                "statistic": report.teks("n20_statistik_wald", bahasa),
            },
        )
    )
else:
    display(Markdown(report.teks("n20_efek_pelatihan_kosong", bahasa)))

# %%
display(Markdown(report.teks("n20_subkelompok", bahasa)))
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
                report.teks(
                    "n20_selisih",
                    bahasa,
                    estimate=fmt.angka(selisih["estimate"], 2, bahasa),
                    ci_low=fmt.angka(selisih["ci_low"], 2, bahasa),
                    ci_high=fmt.angka(selisih["ci_high"], 2, bahasa),
                )
            )
        )

# %%
display(Markdown(report.teks("n20_komunikasi", bahasa)))
if bersama.komunikasi_perilaku is not None:
    display(
        report.tabel(
            bersama.komunikasi_perilaku[kolom_efek], bahasa=bahasa, desimal=3, label=label_efek
        )
    )

# %%
display(Markdown(report.teks("n20_efek_umpan_balik", bahasa)))
if bersama.umpan_balik is not None:
    ub_efek = bersama.umpan_balik
    report.simpan_tabel(output_dir, "efek_umpan_balik", ub_efek, judul="Efek umpan balik")
    display(
        report.tabel(ub_efek[["model"] + kolom_efek], bahasa=bahasa, desimal=3, label=label_efek)
    )
    display(
        Markdown(
            report.teks("n20_identifikasi", bahasa, identifikasi=effects.IDENTIFIKASI_UMPAN_BALIK)
        )
    )

# %%
display(Markdown(report.teks("n20_penerapan", bahasa)))
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
    display(Markdown(report.teks("n20_penerapan_kosong", bahasa)))

# %%
display(Markdown(report.teks("n20_ordinal", bahasa)))
if bersama.ordinal is not None and len(bersama.ordinal):
    display(
        report.tabel(
            bersama.ordinal[kolom_efek + ["odds_ratio"]], bahasa=bahasa, desimal=3, label=label_efek
        )
    )
    display(Markdown(report.teks("n20_ordinal_catatan", bahasa)))

# %%
display(Markdown(report.teks("n20_catatan_metode", bahasa)))
