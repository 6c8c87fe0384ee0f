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

from kinerja_analysis import __version__
from kinerja_analysis.reporting import plots, tables
from kinerja_analysis.reporting.facts import effects_table, period_facts
from kinerja_analysis.reporting.narrative import write_report
from kinerja_analysis.reporting.notebook import setup
from kinerja_analysis.reporting.privacy import suppress_small_groups
from kinerja_analysis.reporting.text import headline_display, output_vs_competency_sentence

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
fakta = period_facts(
    doc.ds,
    doc.shared,
    doc.periode,
    bahasa=bahasa,
    min_sel=min_sel,
    opd=opd,
    versi=__version__,
    profil=doc.profile,
)
laporan = write_report(fakta)
doc.say("pengantar")

# %%
doc.markdown(laporan.bagian_markdown("pendahuluan"))

# %%
doc.markdown(laporan.bagian_markdown("tujuan"))

# %%
doc.markdown(laporan.bagian_markdown("metode"))

# %%
doc.markdown(laporan.bagian_markdown("hasil"))

# %%
doc.say("angka_utama")
angka = tables.headline_figures(t, doc.periode)
doc.save(angka, "angka_utama", f"Angka utama {doc.periode_teks}")
doc.table(headline_display(angka, bahasa))

# %%
doc.say("asn_per_opd")
doc.table(
    tables.pegawai_by_opd(t["pegawai"]),
    "asn_per_opd",
    "Jumlah ASN per OPD",
    percent_cols=["pct_asn"],
)

# %%
if doc.shared.parameter.get("sumber_predikat") == "resmi":
    doc.say("hanya_resmi")
elif doc.shared.parameter.get("sumber_predikat") == "resmi_skp":
    doc.say("resmi_tanpa_perilaku")

# %%
doc.say("capaian")
if "skp" in t:
    skp_sampai_periode = t["skp"][t["skp"]["periode"] <= doc.periode]
    capaian = suppress_small_groups(tables.capaian_by_period(skp_sampai_periode), "n_asn", min_sel)
    doc.table(
        capaian,
        "capaian_per_periode",
        "Capaian SKP per periode",
        decimals=1,
        percent_cols=["pct_di_bawah_100"],
    )
else:
    doc.say("tanpa_skp")

# %%
doc.say("perilaku")
if "perilaku" in t:
    perilaku = suppress_small_groups(
        tables.perilaku_by_dimension(t["perilaku"], doc.periode), "n_asn", min_sel
    )
    doc.table(perilaku, "perilaku_per_dimensi", "Skor perilaku per dimensi BerAKHLAK")
else:
    doc.say("tanpa_perilaku")

# %%
doc.say("predikat")
predikat_opd = tables.predikat_by_opd(doc.ds, doc.shared, doc.periode, opd=opd, min_sel=min_sel)
doc.save(predikat_opd, "predikat_per_opd", "Predikat kinerja per OPD")
fig = plots.plot_predikat_distribution(
    predikat_opd.rename(columns={"opd": "kelompok"}),
    judul=doc.text("judul_predikat", periode=doc.periode_teks),
    bahasa=bahasa,
)
plt.show()

# %%
if t["pegawai"]["status_kepegawaian"].nunique() > 1:
    doc.say("status")
    doc.table(
        tables.status_breakdown(doc.shared.evaluasi, t["pegawai"], doc.periode, bahasa, min_sel),
        "asn_per_status",
        doc.text("judul_status"),
        percent_cols=["pct_asn", "pct_sangat_baik", "pct_baik", "pct_di_bawah_baik"],
    )

# %%
if doc.shared.kesesuaian_resmi is not None:
    doc.say("kesesuaian_resmi")
    kesesuaian = tables.official_agreement_by_opd(
        doc.shared.kesesuaian_resmi, doc.periode, min_sel, opd=opd
    )
    total = kesesuaian[kesesuaian["opd"] == "Seluruh OPD"]
    if len(total) and total["n"].iloc[0] > 0:
        doc.say(
            "kesesuaian_kalimat",
            pct=doc.percent(total["pct_sama"].iloc[0]),
            kappa=doc.number(total["kappa"].iloc[0]),
            tinggi=int(total["n_resmi_lebih_tinggi"].iloc[0]),
            rendah=int(total["n_resmi_lebih_rendah"].iloc[0]),
        )
    doc.table(
        kesesuaian,
        "kesesuaian_predikat_resmi",
        doc.text("judul_kesesuaian"),
        percent_cols=["pct_sama"],
    )

# %%
if "perilaku" in t:
    doc.say("profil")
    profil = tables.berakhlak_by_opd(doc.ds, doc.shared, doc.periode, opd=opd, min_sel=min_sel)
    doc.save(profil, "profil_berakhlak_opd", "Skor BerAKHLAK per OPD")
    fig = plots.plot_opd_profile(
        profil, judul=doc.text("judul_profil", periode=doc.periode_teks), bahasa=bahasa
    )
    plt.show()

# %%
if "skp" in t and "perilaku" in t:
    doc.say("hvk")
    hvk = tables.output_vs_competency_by_opd(
        doc.ds, doc.shared, doc.periode, opd=opd, min_sel=min_sel
    )
    doc.markdown(output_vs_competency_sentence(hvk[hvk["opd"] == "Seluruh OPD"], bahasa, min_sel))
    doc.table(
        hvk,
        "hasil_vs_kompetensi",
        "Predikat: hasil saja vs hasil+perilaku",
        percent_cols=["persen"],
    )

# %%
doc.say("efek")
efek = effects_table(doc.shared, bahasa)
if len(efek) and opd is None:
    doc.save(efek, "efek", "Perkiraan pengaruh (IK 95%)")
    pelatihan = efek["term"].str.startswith("pelatihan") & (efek["term"] != "pelatihan_komunikasi")
    fig = plots.plot_coefficients(
        efek[pelatihan], label="label", judul=doc.text("judul_koef"), bahasa=bahasa
    )
    plt.show()
    if doc.shared.pelatihan_dinamis is not None:
        fig = plots.plot_event_study(
            doc.shared.pelatihan_dinamis, judul=doc.text("judul_studi"), bahasa=bahasa
        )
        plt.show()
else:
    doc.say("efek_kota")

# %%
doc.say("ikm")
ikm = tables.ikm_by_opd(t["layanan"], doc.periode) if "layanan" in t else None
if ikm is not None and len(ikm):
    doc.table(
        ikm,
        "ikm_per_opd",
        f"IKM per OPD {doc.periode_teks}",
        decimals={"ikm": 2, "tepat_waktu_pct": 1},
    )
else:
    doc.say("ikm_kosong")

# %%
doc.markdown(laporan.bagian_markdown("tantangan"))

# %%
if "pelatihan" in t:
    jp = tables.jp_by_asn(t["pelatihan"], t["pegawai"], doc.periode)
    doc.table(
        tables.jp_summary(jp, min_sel),
        "jp_per_opd",
        "JP pelatihan per ASN (12 bulan)",
        decimals=1,
        percent_cols=["pct_di_bawah_20", "pct_jp_mandiri"],
    )

# %%
doc.markdown(laporan.bagian_markdown("rekomendasi"))

# %%
doc.markdown(laporan.bagian_markdown("kesimpulan"))

# %%
doc.markdown(laporan.bagian_markdown("lampiran"))
