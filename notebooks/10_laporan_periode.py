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
data_dir: str = "data/kotalama"  # folder dataset (relatif: dari folder kerja atau akar proyek)
output_dir: Optional[str] = None  # diisi batch (folder kerja tabel); None: tidak menulis berkas
cache_dir: Optional[str] = None  # cache data tervalidasi dari batch; None: validasi ulang di sini
bahasa: str = "id"  # bahasa laporan: "id" (Indonesia) atau "en" (English)
opd: Optional[str] = None  # nama satu OPD untuk laporan per OPD; None: seluruh kota
min_sel: int = 5  # kelompok dengan ASN lebih sedikit dari ini disembunyikan
seed: int = 2025  # seed untuk langkah acak (bootstrap); hasil sama untuk seed yang sama
profil: Optional[str] = None  # file profil instansi (YAML); None: contoh Kotalama
mapping: Optional[str] = None  # file pemetaan kolom ekspor (YAML); None: nama kolom kontrak
pseudonim: bool = False  # True: NIP diganti pseudonim saat validasi (seperti kinerja validate)

# %%
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
    mapping=mapping,
    pseudonim=pseudonim,
)
t = doc.tables
fakta = period_facts(
    doc.ds,
    doc.shared,
    doc.periode,
    bahasa=bahasa,
    min_sel=min_sel,
    opd=opd,
    version=__version__,
    profile=doc.profile,
    withheld=doc.withheld,
)
laporan = write_report(fakta)
doc.section(laporan, "ringkasan")

# %%
doc.contents(laporan)

# %%
doc.section(laporan, "pendahuluan")

# %%
doc.section(laporan, "tujuan")

# %%
doc.section(laporan, "metode")

# %%
doc.section(laporan, "hasil")

# %%
doc.say("angka_utama")
angka = tables.headline_figures(
    t, doc.periode, withheld=doc.withheld, evaluasi=doc.shared.evaluasi, min_sel=min_sel
)
doc.save(angka, "angka_utama")
doc.table(headline_display(angka, bahasa))

# %%
if doc.shared.parameter.get("sumber_predikat") == "resmi":
    doc.say("hanya_resmi")
elif doc.shared.parameter.get("sumber_predikat") == "resmi_skp":
    doc.say("resmi_tanpa_perilaku")

# %%
if "skp" in t:
    # every period's row follows the city's pattern, not only this period's
    capaian = tables.withhold_periods(
        suppress_small_groups(tables.capaian_by_period(t["skp"]), "n_asn", min_sel),
        "capaian",
        doc.withheld,
    )
    # this period's ASN with an SKP beside the published head-count: the rest is a group
    capaian = tables.hide_remainder(
        capaian,
        "n_asn",
        doc.pegawai["nip"].nunique(),
        min_sel,
        rows=capaian["periode"] == doc.periode,
        also=["pct_di_bawah_100"],
    )
    doc.say("capaian")
    if any(m.startswith("capaian") for m in doc.withheld):
        doc.withheld_note("capaian")
    doc.table(capaian, "capaian_per_periode", percent_cols=["pct_di_bawah_100"])
else:
    doc.say("capaian", "tanpa_skp")

# %%
if "perilaku" in t and "perilaku" in doc.withheld:
    doc.say("perilaku")
    doc.withheld_note("perilaku")
elif "perilaku" in t:
    perilaku = tables.hide_remainder(
        suppress_small_groups(
            tables.perilaku_by_dimension(t["perilaku"], doc.periode, min_sel), "n_asn", min_sel
        ),
        "n_asn",
        doc.pegawai["nip"].nunique(),
        min_sel,
    )
    doc.say("perilaku")
    doc.table(perilaku, "perilaku_per_dimensi")
else:
    doc.say("perilaku", "tanpa_perilaku")

# %%
predikat_opd = tables.predikat_by_opd(doc.ds, doc.shared, doc.periode, opd=opd, min_sel=min_sel)
doc.save(predikat_opd, "predikat_per_opd")
doc.say("predikat", "predikat_urut")
doc.figure(
    plots.plot_predikat_pages,
    predikat_opd,
    title=doc.text("judul_predikat", periode=doc.period_text),
    order=tables.order_groups(predikat_opd),
)

# %%
if doc.pegawai["status_kepegawaian"].nunique() > 1 and "status" in doc.withheld:
    doc.say("status")
    doc.withheld_note("status")
elif doc.pegawai["status_kepegawaian"].nunique() > 1:
    doc.say("status")
    doc.table(
        tables.status_breakdown(doc.shared.evaluasi, doc.pegawai, doc.periode, bahasa, min_sel),
        "asn_per_status",
        doc.text("judul_status"),
        percent_cols=["pct_asn", "pct_sangat_baik", "pct_baik", "pct_di_bawah_baik"],
    )

# %%
kesesuaian = None
# compared only in a period whose predikat are computed (in another the official are used)
kesesuaian_ada = doc.shared.resmi_agreement is not None and bool(
    (doc.shared.resmi_agreement["periode"] == doc.periode).any()
)
if not kesesuaian_ada:
    doc.say("kesesuaian_resmi")
    if not doc.absent("penilaian_resmi", "skp"):
        doc.say("data_tidak_cukup")
if kesesuaian_ada:
    kesesuaian = tables.official_agreement_by_opd(
        doc.shared.resmi_agreement, doc.periode, min_sel, opd=opd, pegawai=doc.city_pegawai
    )
    doc.save(kesesuaian, "kesesuaian_predikat_resmi", doc.text("judul_kesesuaian"))
    # the document's own total: the city's, or this OPD's row in an OPD's document
    total = kesesuaian[kesesuaian["opd"] == (opd or "Seluruh OPD")]
    # a suppressed row holds missing values: never compared as a boolean
    shown = bool(
        len(total)
        and not total["disembunyikan"].fillna(True).astype(bool).any()
        and (total["n"].fillna(0) > 0).all()
    )
    if len(total) and not shown and opd is not None:
        doc.withheld_note("kesesuaian")
    if shown:
        doc.say(
            "kesesuaian_resmi",
            "kesesuaian_kalimat",
            lingkup=doc.scope(start=True),
            pct=doc.percent(total["pct_sama"].iloc[0]),
            kappa=doc.number(total["kappa"].iloc[0]),
            tinggi=int(total["n_resmi_lebih_tinggi"].iloc[0]),
            rendah=int(total["n_resmi_lebih_rendah"].iloc[0]),
        )
        doc.table(total, percent_cols=["pct_sama"])

# %%
doc.say("profil")
if "perilaku" in doc.withheld and "perilaku" in t:
    doc.withheld_note("perilaku")
elif not doc.absent("perilaku"):
    profil = tables.berakhlak_by_opd(doc.ds, doc.shared, doc.periode, opd=opd, min_sel=min_sel)
    doc.save(profil, "profil_berakhlak_opd")
    # one OPD's colours on the city's scale: a colour means the same in every document
    kota = (
        profil
        if opd is None
        else tables.berakhlak_by_opd(doc.ds, doc.shared, doc.periode, min_sel=min_sel)
    )
    doc.figure(
        plots.plot_opd_profile_pages,
        profil,
        title=doc.text("judul_profil", periode=doc.period_text),
        scale=plots.profile_scale(kota),
    )

# %%
hvk = None
if "skp" not in t or "perilaku" not in t:
    doc.say("hvk")
    doc.absent("skp", "perilaku")
else:
    hvk = tables.output_vs_competency_by_opd(
        doc.ds, doc.shared, doc.periode, opd=opd, min_sel=min_sel
    )
    hvk_kota = hvk[hvk["opd"] == (opd or "Seluruh OPD")]  # the document's own rows
    doc.save(hvk, "hasil_vs_kompetensi")
    # an OPD's cells are hidden as the city's table hides them (the same row is in both
    # workbooks): shown with their gaps unless every cell is hidden
    if "hvk" in doc.withheld and hvk_kota["disembunyikan"].all():
        doc.say("hvk")
        doc.withheld_note("hvk")
    else:
        doc.markdown(
            doc.text("hvk") + "\n\n" + output_vs_competency_sentence(hvk_kota, bahasa, min_sel, opd)
        )
        if "hvk" in doc.withheld:
            doc.withheld_note("hvk", cells=True)
        doc.table(hvk_kota, columns=["arah", "n", "persen"], percent_cols=["persen"])
    doc.say("hvk_ringkas")

# %%
efek = effects_table(doc.shared, bahasa)
if len(efek) and opd is None:
    pelatihan = efek["term"].str.startswith("pelatihan") & ~efek["term"].str.startswith(
        "pelatihan_komunikasi"
    )
    studi = doc.shared.pelatihan_dynamic
    ada_studi = studi is not None and len(studi) > 0
    # the caption describes the charts that are drawn, and no chart is drawn empty
    keterangan = (
        "efek_rinci" if pelatihan.any() and ada_studi else "efek_rinci_satu" if pelatihan.any()
        else "efek_rinci_tanpa_grafik"
    )  # fmt: skip
    doc.say("efek", keterangan)
    doc.save(efek, "efek")
    if pelatihan.any():
        doc.figure(
            plots.plot_coefficients, efek[pelatihan], label="label", title=doc.text("judul_koef")
        )
    if pelatihan.any() and ada_studi:
        doc.figure(plots.plot_event_study, studi, title=doc.text("judul_studi"))
elif opd is not None:
    doc.say("efek", "efek_kota")
else:
    doc.say("efek")
    if not doc.absent("pelatihan", "umpan_balik", "layanan"):
        doc.say("data_tidak_cukup")

# %%
ikm = tables.ikm_by_opd(t["layanan"], doc.periode) if "layanan" in t else None
if ikm is not None and len(ikm):
    doc.save(ikm, "ikm_per_opd")
    doc.say("ikm", "ikm_ringkas")
    doc.table(tables.ikm_by_grade(ikm), "ikm_per_mutu")
else:
    doc.say("ikm", "ikm_kosong")

# %%
doc.section(laporan, "tantangan")

# %%
# JP are counted over the 12 months ending with the period: not before the data cover them
# (and only when a training is recorded up to the period: else not available, not 0 JP)
jp_ada = (
    "pelatihan" in t
    and len(t["pelatihan"]) > 0
    and tables.jp_window_covered(doc.periode, doc.ds.periods[0])
)
if "pelatihan" not in t:
    doc.say("jp")
    doc.absent("pelatihan")
elif jp_ada and "jp" in doc.withheld:
    jp_ada = False
    doc.say("jp")
    doc.withheld_note("jp")
elif jp_ada:
    jp = tables.jp_by_asn(t["pelatihan"], t["pegawai"], doc.periode)
    jp_opd = tables.jp_summary(jp, min_sel, withheld=doc.withheld)
    doc.save(jp_opd, "jp_per_opd")
    doc.say("jp", "jp_ringkas", cakupan=doc.cakupan)
    doc.table(
        jp_opd[jp_opd["opd"] == "Semua OPD"].drop(columns="opd"),
        "jp_kota",
        percent_cols=["pct_di_bawah_20", "pct_jp_mandiri"],
    )
    if "jp_mandiri" in doc.withheld:
        doc.withheld_note("jp_mandiri", cells=True)
    elif any("Semua OPD" in v for v in jp_opd.attrs.values()):
        doc.say("sebagian_disembunyikan", min_sel=min_sel)

# %%
doc.section(laporan, "rekomendasi")

# %%
doc.section(laporan, "kesimpulan")

# %%
doc.section(laporan, "lampiran")

# %%
doc.section(laporan, "lampiran_tabel")
doc.long_table(
    tables.pegawai_by_opd(doc.pegawai),
    "n_asn",
    "asn_per_opd",
    intro="lampiran_asn",
    percent_cols=["pct_asn"],
)

# %%
if ikm is not None and len(ikm):
    doc.long_table(ikm, "ikm", "ikm_per_opd", intro="lampiran_ikm")

# %%
if jp_ada:
    doc.long_table(
        jp_opd[jp_opd["opd"] != "Semua OPD"],
        "pct_di_bawah_20",
        "jp_per_opd",
        intro="lampiran_jp",
        percent_cols=["pct_di_bawah_20", "pct_jp_mandiri"],
    )

# %%
if hvk is not None:
    doc.long_table(
        tables.output_vs_competency_wide(hvk[hvk["opd"] != "Seluruh OPD"]),
        "n_naik",
        "hasil_vs_kompetensi",
        intro="lampiran_hvk",
        per="n_pegawai",
    )

# %%
if kesesuaian is not None:
    doc.long_table(
        kesesuaian[kesesuaian["opd"] != "Seluruh OPD"],
        "pct_sama",
        "kesesuaian_predikat_resmi",
        intro="lampiran_kesesuaian",
        percent_cols=["pct_sama"],
    )
