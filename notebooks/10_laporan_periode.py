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
# # Evaluasi Pengelolaan Kinerja ASN
# <!-- judul_en: ASN Performance Management Evaluation -->

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
from IPython.display import Markdown, display

from kinerja_analysis import __version__, analisis, narrative, plots, report

ds, periode, t, periode_teks, cakupan = report.konteks(data_dir, cache_dir, periode, opd, bahasa)
bersama = analisis.muat_atau_hitung(ds, report.dir_bersama(cache_dir), seed=seed)
fakta = analisis.fakta_periode(
    ds, bersama, periode, bahasa=bahasa, min_sel=min_sel, opd=opd, versi=__version__
)
laporan = narrative.tulis_laporan(fakta)
angka = report.angka_utama(t, periode)
report.simpan_tabel(output_dir, "angka_utama", angka, judul=f"Angka utama {periode_teks}")
display(Markdown(report.teks("pengantar", bahasa)))

# %%
display(Markdown(laporan.bagian_markdown("pendahuluan")))

# %%
display(Markdown(laporan.bagian_markdown("tujuan")))

# %%
display(Markdown(laporan.bagian_markdown("metode")))

# %%
display(Markdown(laporan.bagian_markdown("hasil")))

# %%
display(Markdown(report.teks("angka_utama", bahasa)))
report.tabel(report.angka_utama_tampil(angka, bahasa), bahasa=bahasa)

# %%
display(Markdown(report.teks("asn_per_opd", bahasa)))
per_opd = report.pegawai_per_opd(t["pegawai"])
report.simpan_tabel(output_dir, "asn_per_opd", per_opd, judul="Jumlah ASN per OPD")
report.tabel(
    per_opd,
    bahasa=bahasa,
    persen_kolom=["pct_asn"],
    label=report.label_kolom(bahasa),
)

# %%
display(Markdown(report.teks("capaian", bahasa)))
skp_lalu = t["skp"][t["skp"]["periode"] <= periode]
capaian = report.sembunyikan_kecil(report.capaian_per_periode(skp_lalu), "n_asn", min_sel)
report.simpan_tabel(output_dir, "capaian_per_periode", capaian, judul="Capaian SKP per periode")
report.tabel(
    capaian.drop(columns="disembunyikan"),
    bahasa=bahasa,
    desimal=1,
    persen_kolom=["pct_di_bawah_100"],
    label=report.label_kolom(bahasa),
)

# %%
display(Markdown(report.teks("perilaku", bahasa)))
perilaku = report.sembunyikan_kecil(
    report.perilaku_per_dimensi(t["perilaku"], periode), "n_asn", min_sel
)
report.simpan_tabel(
    output_dir, "perilaku_per_dimensi", perilaku, judul="Skor perilaku per dimensi BerAKHLAK"
)
report.tabel(
    perilaku.drop(columns="disembunyikan"),
    bahasa=bahasa,
    label=report.label_kolom(bahasa),
)

# %%
display(Markdown(report.teks("predikat", bahasa)))
predikat_opd = analisis.tabel_predikat(ds, bersama, periode, opd=opd, min_sel=min_sel)
report.simpan_tabel(output_dir, "predikat_per_opd", predikat_opd, judul="Predikat kinerja per OPD")
fig = plots.plot_distribusi_predikat(
    predikat_opd.rename(columns={"opd": "kelompok"}),
    judul=report.teks("judul_predikat", bahasa, periode=periode_teks),
    bahasa=bahasa,
)
plt.show()

# %%
display(Markdown(report.teks("profil", bahasa)))
profil = analisis.tabel_profil_opd(ds, bersama, periode, opd=opd, min_sel=min_sel)
report.simpan_tabel(output_dir, "profil_berakhlak_opd", profil, judul="Skor BerAKHLAK per OPD")
fig = plots.plot_profil_opd(
    profil, judul=report.teks("judul_profil", bahasa, periode=periode_teks), bahasa=bahasa
)
plt.show()

# %%
display(Markdown(report.teks("hvk", bahasa)))
hvk = analisis.tabel_hasil_vs_kompetensi(ds, bersama, periode, opd=opd, min_sel=min_sel)
report.simpan_tabel(
    output_dir, "hasil_vs_kompetensi", hvk, judul="Predikat: hasil saja vs hasil+perilaku"
)
kota_hvk = hvk[hvk["opd"] == "Seluruh OPD"]
display(Markdown(report.kalimat_hasil_vs_kompetensi(kota_hvk, bahasa, min_sel)))
report.tabel(
    hvk.drop(columns=["disembunyikan"]),
    bahasa=bahasa,
    persen_kolom=["persen"],
    label=report.label_kolom(bahasa),
)

# %%
display(Markdown(report.teks("efek", bahasa)))
efek = analisis.tabel_efek(bersama, bahasa)
if len(efek) and opd is None:
    report.simpan_tabel(output_dir, "efek", efek, judul="Perkiraan pengaruh (IK 95%)")
    fig = plots.plot_koefisien(
        efek[efek["term"].str.startswith("pelatihan") & (efek["term"] != "pelatihan_komunikasi")],
        label="label",
        judul=report.teks("judul_koef", bahasa),
        bahasa=bahasa,
    )
    plt.show()
    if bersama.pelatihan_dinamis is not None:
        fig = plots.plot_event_study(
            bersama.pelatihan_dinamis,
            judul=report.teks("judul_studi", bahasa),
            bahasa=bahasa,
        )
        plt.show()
else:
    display(Markdown(report.teks("efek_kota", bahasa)))

# %%
display(Markdown(report.teks("ikm", bahasa)))
ikm = report.ikm_per_opd(t["layanan"], periode) if "layanan" in t else None
if ikm is not None and len(ikm):
    report.simpan_tabel(output_dir, "ikm_per_opd", ikm, judul=f"IKM per OPD {periode_teks}")
    display(
        report.tabel(
            ikm,
            bahasa=bahasa,
            desimal={"ikm": 2, "tepat_waktu_pct": 1},
            label=report.label_kolom(bahasa),
        )
    )
else:
    display(Markdown(report.teks("ikm_kosong", bahasa)))

# %%
display(Markdown(laporan.bagian_markdown("tantangan")))

# %%
jp = report.jp_per_asn(t["pelatihan"], t["pegawai"], periode) if "pelatihan" in t else None
if jp is not None:
    jp_opd = report.ringkasan_jp(jp, min_sel)
    report.simpan_tabel(output_dir, "jp_per_opd", jp_opd, judul="JP pelatihan per ASN (12 bulan)")
    display(
        report.tabel(
            jp_opd.drop(columns="disembunyikan"),
            bahasa=bahasa,
            desimal=1,
            persen_kolom=["pct_di_bawah_20", "pct_jp_mandiri"],
            label=report.label_kolom(bahasa),
        )
    )

# %%
display(Markdown(laporan.bagian_markdown("rekomendasi")))

# %%
display(Markdown(laporan.bagian_markdown("kesimpulan")))

# %%
display(Markdown(laporan.bagian_markdown("lampiran")))
