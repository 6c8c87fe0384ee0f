"""The report's fixed texts and labels in Indonesian and English.

:data:`TEXTS` holds the headings and fixed sentences of the report notebooks
(:func:`text`), the column labels of published tables (:func:`column_labels`) and the
names and values of the headline figures (:func:`headline_label`,
:func:`headline_value`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kinerja_analysis.core.config import DEFAULTS
from kinerja_analysis.reporting import fmt

_LABEL_UTAMA: dict[str, tuple[str, str]] = {
    "n_asn": ("Jumlah ASN", "Number of ASN"),
    "n_opd": ("Jumlah OPD", "Number of units (OPD)"),
    "capaian_rerata": ("Rata-rata capaian SKP", "Mean SKP achievement"),
    "perilaku_rerata": ("Rata-rata skor perilaku (1–5)", "Mean behaviour score (1–5)"),
    "ikm_rerata": ("Rata-rata IKM OPD", "Mean IKM across units"),
    "jp_rerata": ("Rata-rata JP per ASN (12 bulan)", "Mean training hours (JP) per ASN, 12 months"),
    "pct_jp_di_bawah_20": ("ASN dengan JP < 20", "ASN with fewer than 20 JP"),
}


def headline_label(indikator: str, bahasa: fmt.Bahasa = "id") -> str:
    """Human label of a headline indikator code of :func:`headline_figures`."""
    pair = _LABEL_UTAMA.get(indikator)
    if pair is None:
        return indikator
    return pair[0] if bahasa == "id" else pair[1]


_JP_NA = {
    "id": "tidak tersedia (jendela 12 bulan dimulai sebelum data pelatihan)",
    "en": "not available (the 12-month window starts before the training data)",
}


def headline_value(indikator: str, nilai: float, bahasa: fmt.Bahasa = "id") -> str:
    """A headline value written for the report (counts, percent, index, share).

    A missing JP figure is written as not available, with the reason (the 12-month
    window reaches before the data begin, :func:`kinerja_analysis.reporting.tables.jp_window_covered`).
    """
    if indikator in ("jp_rerata", "pct_jp_di_bawah_20") and (nilai is None or nilai != nilai):
        return _JP_NA[bahasa]
    if indikator in ("n_asn", "n_opd"):
        return fmt.number(int(round(nilai)), 0, bahasa)
    if indikator == "capaian_rerata":
        return fmt.percent(nilai, 1, bahasa, skala="persen")
    if indikator.startswith("pct_"):
        return fmt.percent(nilai, 1, bahasa)
    return fmt.number(nilai, 2, bahasa)


def headline_display(angka: pd.DataFrame, bahasa: fmt.Bahasa = "id") -> pd.DataFrame:
    """:func:`headline_figures` as two text columns (``indikator``, ``nilai``) for display."""
    kol = ("Indikator", "Nilai") if bahasa == "id" else ("Indicator", "Value")
    return pd.DataFrame(
        {
            kol[0]: [headline_label(i, bahasa) for i in angka["indikator"]],
            kol[1]: [
                headline_value(i, v, bahasa)
                for i, v in zip(angka["indikator"], angka["nilai"], strict=True)
            ],
        }
    )


def count_text(n: object, bahasa: fmt.Bahasa = "id", min_sel: int = DEFAULTS.min_sel) -> str:
    """A count for running text: the number, or "kurang dari <min_sel>" when suppressed."""
    if n is None or pd.isna(n):
        return f"kurang dari {min_sel}" if bahasa == "id" else f"fewer than {min_sel}"
    return fmt.number(int(n), 0, bahasa)


#: Headings and fixed sentences of the period report, per language (``teks``).
TEXTS: dict[str, dict[str, str]] = {
    "id": {
        "pengantar": "Dokumen evaluasi satu periode penilaian. Setiap angka dan setiap arah yang "
        "disebut dihitung dari data kepegawaian yang telah divalidasi; tabel hanya memuat "
        "agregat (tanpa NIP atau nama), dan kelompok yang terlalu kecil disembunyikan.",
        "angka_utama": "### Angka utama",
        "asn_per_opd": "### Sebaran ASN per OPD",
        "capaian": "### Capaian hasil kerja (SKP) antarperiode",
        "perilaku": "### Penilaian perilaku per dimensi dan peran penilai",
        "predikat": "### Sebaran predikat kinerja per OPD",
        "profil": "### Profil BerAKHLAK per OPD",
        "hvk": "### Hasil kerja saja atau hasil kerja dan perilaku?\n\n"
        "Dokumen evaluasi menyatakan bahwa ASN yang berkomunikasi baik dinilai lebih tinggi "
        "daripada ASN dengan hasil kerja yang sama. Tabel ini mengukurnya: berapa ASN yang "
        "predikatnya naik, turun atau tetap bila perilaku (kompetensi) ikut dinilai, "
        "dibanding bila hanya hasil kerja yang dihitung.",
        "hvk_kalimat": "Bila perilaku ikut dinilai, di seluruh OPD predikat {rincian}.",
        "hvk_bagian": "{arah} untuk {n} ASN",
        "efek": "### Pengaruh pelatihan, umpan balik dan penerapan sistem evaluasi",
        "efek_kota": "Perkiraan pengaruh disajikan pada laporan tingkat kota.",
        "ikm": "### Kualitas pelayanan publik (IKM)",
        "ikm_kosong": "Data layanan (IKM) tidak tersedia untuk periode ini.",
        "jp": "### Jam pelajaran (JP) pelatihan per OPD",
        "judul_koef": "Pengaruh pelatihan terhadap capaian SKP (poin)",
        "judul_studi": "Capaian SKP sebelum dan sesudah pelatihan pertama (studi peristiwa)",
        "judul_predikat": "Sebaran predikat kinerja, {periode}",
        "judul_profil": "Skor perilaku BerAKHLAK (1–5), {periode}",
        # --- official e-Kinerja results (penilaian_resmi)
        "hanya_resmi": "Data periode ini memuat hasil resmi e-Kinerja saja (rating hasil "
        "kerja, rating perilaku kerja dan predikat per pegawai), tanpa capaian SKP numerik dan "
        "tanpa skor penilaian 360°. Karena itu dokumen ini tidak dapat menunjukkan capaian "
        "SKP, kemurahan (leniency) penilai, reliabilitas penilaian, profil BerAKHLAK per "
        "dimensi, maupun pengaruh pelatihan dan umpan balik terhadap capaian; predikat yang "
        "disajikan adalah predikat resmi.",
        "resmi_tanpa_perilaku": "Predikat dalam dokumen ini adalah predikat resmi e-Kinerja: "
        "data periode ini memuat capaian SKP dan hasil penilaian resmi, tetapi tidak memuat "
        "skor penilaian 360°. Karena itu kemurahan (leniency) penilai, reliabilitas "
        "penilaian dan profil BerAKHLAK per dimensi tidak dapat ditunjukkan.",
        "tanpa_skp": "Capaian SKP numerik tidak tersedia dalam data ini.",
        "tanpa_perilaku": "Skor penilaian perilaku 360° tidak tersedia dalam data ini; "
        "kemurahan penilai dan reliabilitas penilaian tidak dapat ditunjukkan.",
        "kesesuaian_resmi": "### Predikat resmi e-Kinerja dan predikat dari angka\n\n"
        "Seberapa sering predikat yang tercatat di e-Kinerja sama dengan predikat yang "
        "dihitung dari capaian SKP dan penilaian 360° (matriks PermenPAN-RB 6/2022), per OPD. "
        "κ (kappa Cohen) mengoreksi kesamaan yang terjadi karena kebetulan.",
        "kesesuaian_kalimat": "Di seluruh OPD, predikat resmi sama dengan predikat dari angka "
        "untuk {pct} ASN (κ = {kappa}); predikat resmi lebih tinggi untuk {tinggi} ASN dan "
        "lebih rendah untuk {rendah} ASN.",
        "judul_kesesuaian": "Kesesuaian predikat resmi dan predikat dari angka per OPD",
        "status": "### ASN dan predikat per status kepegawaian (PNS, PPPK)",
        "judul_status": "ASN dan predikat per status kepegawaian",
        # --- shared by notebooks 00, 20, 30, 90
        "umum_cakupan_opd": "OPD {opd}",
        "umum_cakupan_kota": "seluruh OPD {instansi}",
        "umum_periode": "Periode",
        # --- 00 kualitas data
        "n00_pengantar": "Ringkasan hasil validasi data yang menjadi dasar evaluasi kinerja: "
        "berapa baris yang dibaca, diterima dan ditolak per tabel, aturan mana yang paling "
        "sering dilanggar, dan seberapa lengkap data pada periode laporan. Nilai-nilai yang "
        "ditolak tidak ditampilkan di sini (dapat memuat data pribadi); daftar lengkapnya ada "
        "pada berkas penolakan milik tim data.",
        "n00_validasi": "## Ringkasan validasi\n\n"
        "Setiap baris data mentah diperiksa terhadap kontrak data (tipe, nilai yang diizinkan, "
        "rentang, kunci unik, struktur NIP, rujukan antartabel). Baris yang melanggar aturan "
        "ditolak dan dicatat beserta alasannya; tidak ada yang dibuang diam-diam.",
        "n00_ditolak": "Dari {n_baca} baris yang dibaca, {n_tolak} ({persen}) ditolak.",
        "n00_masalah": "## Masalah per aturan",
        "n00_tanpa_masalah": "Tidak ada masalah validasi: semua baris memenuhi kontrak data.",
        "n00_kelengkapan": "## Kelengkapan data periode laporan",
        "n00_cakupan": "Cakupan: {cakupan}, {periode}.",
        "n00_sumbu_porsi": "Porsi ASN yang tercakup",
        "n00_judul_cakupan": "Cakupan data per tabel, {periode}",
        # --- 20 pelatihan dan umpan balik
        "n20_pengantar": "Gambaran paparan ASN terhadap pelatihan dan umpan balik kinerja: siapa "
        "yang mendapat berapa, dari sumber mana, dan bagaimana capaian SKP berbeda menurut "
        "paparan tersebut. Bagian pertama **deskriptif**: ASN yang ikut pelatihan bisa berbeda "
        "sejak awal. Bagian kedua memperkirakan **pengaruh** dengan desain yang sesuai: "
        "difference-in-differences bertahap (Callaway–Sant'Anna) untuk pelatihan, model efek "
        "tetap dalam-pegawai untuk umpan balik, DiD tingkat OPD dengan wild cluster bootstrap "
        "untuk penerapan sistem evaluasi, dan regresi logit ordinal sebagai uji ketahanan.",
        "n20_paparan": "## Paparan pelatihan (12 bulan terakhir)",
        "n20_jp_kalimat": "Dalam 12 bulan yang berakhir pada {periode}, rata-rata JP per ASN "
        "adalah {jp_rerata}; {pct_di_bawah_20} ASN di bawah 20 JP dan {pct_mandiri} JP berasal "
        "dari pelatihan mandiri.",
        "n20_sumbu_jenis": "Jenis pelatihan",
        "n20_sumbu_total_jp": "Total JP",
        "n20_judul_paparan": "JP pelatihan menurut jenis dan sumber",
        "n20_capaian_jp": "## Capaian SKP menurut paparan pelatihan (deskriptif)",
        "n20_umpan_balik": "## Umpan balik kinerja per periode",
        "n20_sumbu_sesi": "Sesi per ASN",
        "n20_judul_umpan_balik": "Intensitas umpan balik per periode",
        "n20_umpan_balik_kosong": "Data umpan balik tidak tersedia.",
        "n20_efek_pelatihan": "## Pengaruh pelatihan pertama terhadap capaian SKP\n\n"
        "Pelatihan adalah perlakuan bertahap dan dipilih sendiri: ASN mengikuti pelatihan "
        "pertama pada periode yang berbeda-beda. Estimator Callaway–Sant'Anna membandingkan "
        "setiap kelompok (kohort) hanya dengan ASN yang tidak pernah dilatih, dengan "
        "penyesuaian doubly robust untuk golongan, masa kerja dan jenis kelamin pada awal "
        "periode. TWFE ditampilkan di sampingnya sebagai angka yang lazim.",
        "n20_alasan_twfe": "{alasan}",
        "n20_jp_tidak_tersedia": "JP per ASN dalam 12 bulan yang berakhir pada {periode} belum "
        "dapat dihitung: jendela 12 bulan dimulai sebelum data pelatihan tersedia, sehingga "
        "pelatihan sebelum awal data tidak terhitung.",
        "n20_sensitivitas": "Kepekaan terhadap asumsi tren sejajar (Rambachan dan Roth 2023): "
        "interval kepercayaan untuk rata-rata pengaruh setelah program bila tren setelah "
        "program boleh menyimpang hingga M̄ kali penyimpangan terbesar sebelum program "
        "(relative magnitudes) atau bila kemiringan tren boleh berubah hingga M per periode "
        "(smoothness). Batas sensitivitas (breakdown) adalah nilai terbesar yang masih membuat "
        "interval tidak mencakup nol.",
        "n20_judul_studi": "Studi peristiwa: capaian SKP sebelum dan sesudah pelatihan pertama",
        "n20_uji_tren": "Uji tren sejajar",
        "n20_statistik_wald": "Statistik Wald",
        "n20_efek_pelatihan_kosong": "Efek pelatihan belum dapat diestimasi dari data ini.",
        "n20_subkelompok": "### Menurut sumber dan relevansi pelatihan\n\n"
        "Juga menurut jenis jabatan dan OPD, bila jumlah ASN yang dilatih dalam kelompok itu "
        "cukup (minimal 20). *Relevan*: kompetensi sasaran pelatihan pertama adalah dimensi "
        "BerAKHLAK terlemah ASN sebelum pelatihan; *lain*: dimensi BerAKHLAK lain; "
        "*tidak_sesuai*: kompetensi di luar kebutuhan jabatan. Selisih antarkelompok memakai "
        "SE konservatif (kedua kelompok berbagi kelompok pembanding).",
        "n20_selisih": "Selisih efek pelatihan relevan dan tidak sesuai: {estimate} poin "
        "(IK 95%: {ci_low} sampai {ci_high}).",
        "n20_komunikasi": "### Pelatihan komunikasi dan perilaku pelayanan\n\n"
        "Perlakuan: pelatihan komunikasi pertama; hasil: skor 360° *berorientasi pelayanan*. "
        "Pembanding: ASN yang belum pernah mengikuti pelatihan komunikasi (sebagian mengikuti "
        "pelatihan lain, sehingga angka ini adalah tambahan dari pelatihan komunikasi).",
        "n20_efek_umpan_balik": "## Pengaruh umpan balik\n\n"
        "Model efek tetap pegawai dan periode: capaian SKP pada suatu periode dijelaskan oleh "
        "jumlah sesi umpan balik berkualitas baik (kualitas 4–5), sedang (3) dan buruk (1–2) "
        "pada periode sebelumnya; SE dikelompokkan per pegawai.",
        "n20_identifikasi": "{identifikasi}",
        "n20_penerapan": "## Penerapan sistem evaluasi terstruktur dan pelayanan publik "
        "(tingkat OPD)",
        "n20_penerapan_kosong": "Data layanan atau penerapan tidak cukup untuk estimasi.",
        "n20_ordinal": "## Uji ketahanan: logit ordinal predikat kinerja",
        "n20_ordinal_catatan": "Koefisien positif berarti predikat yang lebih tinggi lebih "
        "mungkin. Model ini menunjukkan hubungan setelah memperhitungkan kovariat dan periode, "
        "bukan sebab-akibat.",
        "n20_catatan_metode": "## Catatan metode\n\n"
        "Paparan pelatihan dihitung dari tanggal mulai pelatihan dalam 12 bulan yang berakhir "
        "pada akhir periode. Perbedaan capaian antarkelompok JP mencampur efek pelatihan "
        "dengan perbedaan awal antar-ASN (seleksi diri); karena itu efeknya diestimasi dengan "
        "desain di atas. Semua pilihan acak (bootstrap) memakai `seed` sehingga hasil dapat "
        "diulang.",
        # --- 30 survei
        "n30_pengantar": "Rata-rata jawaban survei ASN per butir dan per konstruk pada periode "
        "laporan. Butir negatif (terbalik) sudah dibalik skornya sehingga nilai lebih tinggi "
        "selalu berarti lebih baik. Uji validitas, reliabilitas dan struktur faktor disajikan "
        "oleh modul survei.",
        "n30_konstruk": "## Rata-rata per konstruk",
        "n30_responden": "Responden pada {periode}: {n} ASN ({cakupan}).",
        "n30_sumbu_rerata": "Rata-rata (1–5)",
        "n30_judul_konstruk": "Survei ASN per konstruk, {periode}",
        "n30_kosong": "Data survei tidak tersedia.",
        "n30_butir": "## Rata-rata per butir",
        "n30_uji": "## Uji instrumen: validitas butir dan reliabilitas\n\n"
        "Validitas: korelasi butir dengan total butir lain dalam konstruknya (corrected "
        "item–total), dibandingkan dengan r-tabel untuk jumlah responden (α = 0,05, dua sisi). "
        "Reliabilitas: Cronbach's α (dengan interval Feldt), α jika butir dihapus, dan "
        "McDonald's ω.",
        "n30_cfa": "## Struktur faktor (CFA) dan invariansi antarperiode\n\n"
        "Analisis faktor konfirmatori memeriksa apakah butir benar-benar mengukur konstruknya "
        "(muatan, CFI, TLI, RMSEA, SRMR). Uji invariansi (konfigural, metrik, skalar) "
        "memeriksa apakah instrumen bekerja sama pada setiap periode, sehingga perubahan skor "
        "antarperiode adalah perubahan konstruk, bukan perubahan cara butir dipahami.",
        "n30_cfa_tidak_wajar": "**Solusi CFA tidak wajar** ({masalah}). Estimasi untuk konstruk "
        "{konstruk} tidak dapat dipercaya, termasuk reliabilitasnya (omega): biasanya karena "
        "responden terlalu sedikit atau butirnya hampir sama; tambah data atau tinjau butir "
        "sebelum menafsirkannya.",
        "n30_regresi": "## Regresi motivasi dengan uji asumsi klasik\n\n"
        "Motivasi kerja dijelaskan oleh persepsi kualitas umpan balik, relevansi pelatihan "
        "dan penerimaan sistem evaluasi. Setiap uji asumsi diberi satu kalimat tafsiran.",
        "n30_catatan_regresi": "Galat baku memakai estimator robust {robust} (tahan "
        "heteroskedastisitas): skor Likert terbatas dan sering heteroskedastis, sehingga uji t "
        "klasik bisa menyesatkan; bila residual homoskedastis, hasilnya hampir sama dengan SE "
        "klasik.",
        "n30_komunikasi": "## Pelatihan komunikasi dan rasa percaya diri; penerimaan sistem "
        "per OPD",
        # --- 90 ringkasan lintas periode
        "n90_pengantar": "Perkembangan angka utama evaluasi kinerja ASN dari periode ke "
        "periode, sampai dengan periode laporan.",
        "n90_angka_utama": "## Angka utama per periode",
        "n90_cakupan": "Cakupan: {cakupan}; {n} periode, {awal} – {akhir}.",
        "n90_tren": "## Tren",
    },
    "en": {
        "pengantar": "The evaluation document of one assessment period. Every number and "
        "every direction stated is computed from validated personnel data; tables show "
        "aggregates only (no NIP or name), and groups that are too small are suppressed.",
        "angka_utama": "### Headline figures",
        "asn_per_opd": "### ASN per OPD",
        "capaian": "### SKP achievement across periods",
        "perilaku": "### Behaviour ratings by dimension and rater role",
        "predikat": "### Performance ratings (predikat) by OPD",
        "profil": "### BerAKHLAK profile by OPD",
        "hvk": "### Output alone, or output and behaviour?\n\n"
        "The evaluation document says that an ASN who communicates well is rated higher than "
        "one with the same output. This table measures it: how many ASN move up, down or stay "
        "when behaviour (competency) is counted beside output, compared with output alone.",
        "hvk_kalimat": "When behaviour is counted, across all OPDs the rating {rincian}.",
        "hvk_bagian": "{arah} for {n} ASN",
        "efek": "### Effects of training, feedback and the structured evaluation system",
        "efek_kota": "Effect estimates are given in the city-wide report.",
        "ikm": "### Public service quality (IKM)",
        "ikm_kosong": "Service data (IKM) are not available for this period.",
        "jp": "### Training hours (JP) by OPD",
        "judul_koef": "Effect of training on SKP achievement (points)",
        "judul_studi": "SKP achievement before and after the first training (event study)",
        "judul_predikat": "Performance ratings, {periode}",
        "judul_profil": "BerAKHLAK behaviour scores (1–5), {periode}",
        # --- official e-Kinerja results (penilaian_resmi)
        "hanya_resmi": "The data of this period hold the official e-Kinerja results only "
        "(rating of results, rating of behaviour and predikat per employee), without numeric "
        "SKP achievement and without 360° scores. This document therefore cannot show SKP "
        "achievement, rater leniency, the reliability of the ratings, the BerAKHLAK profile "
        "by dimension, nor the effects of training and feedback on achievement; the predikat "
        "shown are the official ones.",
        "resmi_tanpa_perilaku": "The predikat in this document are the official e-Kinerja "
        "ones: the data of this period hold SKP achievement and the official results, but no "
        "360° scores. Rater leniency, the reliability of the ratings and the BerAKHLAK "
        "profile by dimension therefore cannot be shown.",
        "tanpa_skp": "Numeric SKP achievement is not available in these data.",
        "tanpa_perilaku": "Numeric 360° behaviour scores are not available in these data; "
        "rater leniency and the reliability of the ratings cannot be shown.",
        "kesesuaian_resmi": "### Official e-Kinerja predikat and predikat from the numbers\n\n"
        "How often the predikat recorded in e-Kinerja equals the one computed from SKP "
        "achievement and the 360° ratings (PermenPAN-RB 6/2022 matrix), by OPD. κ (Cohen's "
        "kappa) corrects for agreement by chance.",
        "kesesuaian_kalimat": "Across all OPDs the official predikat equals the one from the "
        "numbers for {pct} of ASN (κ = {kappa}); the official predikat is higher for {tinggi} "
        "ASN and lower for {rendah}.",
        "judul_kesesuaian": "Agreement of official and computed predikat by OPD",
        "status": "### ASN and ratings by employment status (PNS, PPPK)",
        "judul_status": "ASN and ratings by employment status",
        # --- shared by notebooks 00, 20, 30, 90
        "umum_cakupan_opd": "OPD {opd}",
        "umum_cakupan_kota": "all OPDs of the {instansi}",
        "umum_periode": "Period",
        # --- 00 data quality
        "n00_pengantar": "Summary of the validation of the data behind the performance "
        "evaluation: how many rows were read, accepted and rejected per table, which rules "
        "were broken most often, and how complete the data of the report period are. Rejected "
        "values are not shown here (they may contain personal data); the full list is in the "
        "data team's rejection files.",
        "n00_validasi": "## Validation summary\n\n"
        "Every raw row is checked against the data contract (types, allowed values, ranges, "
        "unique keys, NIP structure, references between tables). Rows that break a rule are "
        "rejected and logged with the reason; nothing is dropped silently.",
        "n00_ditolak": "Of {n_baca} rows read, {n_tolak} ({persen}) were rejected.",
        "n00_masalah": "## Problems by rule",
        "n00_tanpa_masalah": "No validation problems: every row meets the data contract.",
        "n00_kelengkapan": "## Data completeness in the report period",
        "n00_cakupan": "Coverage: {cakupan}, {periode}.",
        "n00_sumbu_porsi": "Share of ASN covered",
        "n00_judul_cakupan": "Data coverage by table, {periode}",
        # --- 20 training and feedback
        "n20_pengantar": "ASN exposure to training and performance feedback: who gets how "
        "much, from which source, and how SKP achievement differs by that exposure. The first "
        "part is **descriptive**: ASN who take training may differ from the start. The second "
        "part estimates **effects** with suitable designs: staggered difference-in-differences "
        "(Callaway–Sant'Anna) for training, a within-employee fixed-effects model for "
        "feedback, an OPD-level DiD with wild cluster bootstrap for the roll-out of the "
        "evaluation system, and an ordinal logit regression as a robustness check.",
        "n20_paparan": "## Training exposure (last 12 months)",
        "n20_jp_kalimat": "In the 12 months ending in {periode}, the mean training hours (JP) "
        "per ASN were {jp_rerata}; {pct_di_bawah_20} of ASN had fewer than 20 JP and "
        "{pct_mandiri} of JP came from self-sought training.",
        "n20_sumbu_jenis": "Training type",
        "n20_sumbu_total_jp": "Total JP",
        "n20_judul_paparan": "Training hours (JP) by type and source",
        "n20_capaian_jp": "## SKP achievement by training exposure (descriptive)",
        "n20_umpan_balik": "## Performance feedback by period",
        "n20_sumbu_sesi": "Sessions per ASN",
        "n20_judul_umpan_balik": "Feedback intensity by period",
        "n20_umpan_balik_kosong": "Feedback data are not available.",
        "n20_efek_pelatihan": "## Effect of the first training on SKP achievement\n\n"
        "Training is a staggered, self-selected treatment: ASN take their first training in "
        "different periods. The Callaway–Sant'Anna estimator compares each group (cohort) "
        "only with ASN never trained, with a doubly robust adjustment for grade, years of "
        "service and sex at the start of the period. TWFE is shown beside it as the customary "
        "figure.",
        "n20_jp_tidak_tersedia": "JP per ASN in the 12 months ending in {periode} cannot be "
        "computed: the 12-month window starts before the training data do, so trainings "
        "before the data would be missed.",
        "n20_sensitivitas": "Sensitivity to the parallel-trends assumption (Rambachan and Roth "
        "2023): confidence intervals for the average effect after the programme when the "
        "trend after it may depart from parallel by up to M̄ times the largest departure "
        "before it (relative magnitudes) or when the trend's slope may change by up to M per "
        "period (smoothness). The breakdown value is the largest value at which the interval "
        "still excludes zero.",
        "n20_alasan_twfe": "TWFE compares newly trained employees with employees trained "
        "earlier; when the training effect changes over time or across groups, that "
        "comparison can bias the TWFE figure (even its sign). The Callaway–Sant'Anna "
        "estimator only compares with employees not (yet) trained.",
        "n20_judul_studi": "Event study: SKP achievement before and after the first training",
        "n20_uji_tren": "Parallel-trends test",
        "n20_statistik_wald": "Wald statistic",
        "n20_efek_pelatihan_kosong": "The training effect cannot be estimated from these data.",
        "n20_subkelompok": "### By training source and relevance\n\n"
        "Also by position type and OPD, when the number of trained ASN in the group is large "
        "enough (at least 20). *Relevan* (relevant): the competency targeted by the first "
        "training is the ASN's weakest BerAKHLAK dimension before training; *lain* (other): "
        "another BerAKHLAK dimension; *tidak_sesuai* (mismatched): a competency outside the "
        "position's needs. Differences between groups use a conservative SE (both groups share "
        "the comparison group).",
        "n20_selisih": "Difference between the effects of relevant and mismatched training: "
        "{estimate} points (95% CI: {ci_low} to {ci_high}).",
        "n20_komunikasi": "### Communication training and service behaviour\n\n"
        "Treatment: the first communication training; outcome: the 360° *service-oriented* "
        "score. Comparison: ASN who have never taken communication training (some took other "
        "training, so this figure is what communication training adds).",
        "n20_efek_umpan_balik": "## Effect of feedback\n\n"
        "Employee and period fixed-effects model: SKP achievement in a period is explained by "
        "the number of good (quality 4–5), fair (3) and poor (1–2) feedback sessions in the "
        "previous period; SEs clustered by employee.",
        "n20_identifikasi": "The feedback effect is estimated from changes within the same "
        "employee across periods (employee and period fixed effects), so fixed differences "
        "between employees (such as motivation) do not confound the result. The estimate is "
        "causal only if the timing of feedback does not follow the employee's own ups and "
        "downs in performance; the 'next-period feedback' (lead) test checks this.",
        "n20_penerapan": "## Roll-out of the structured evaluation system and public service "
        "(OPD level)",
        "n20_penerapan_kosong": "Service or roll-out data are not sufficient for estimation.",
        "n20_ordinal": "## Robustness check: ordinal logit of the performance rating",
        "n20_ordinal_catatan": "A positive coefficient means a higher rating is more likely. "
        "This model shows associations after accounting for covariates and period, not cause "
        "and effect.",
        "n20_catatan_metode": "## Method notes\n\n"
        "Training exposure is counted from training start dates in the 12 months ending at the "
        "end of the period. Differences in achievement between JP groups mix the training "
        "effect with initial differences between ASN (self-selection); that is why the effect "
        "is estimated with the designs above. All random choices (bootstrap) use `seed`, so "
        "results can be reproduced.",
        # --- 30 survey
        "n30_pengantar": "Mean answers of the ASN survey per item and per construct in the "
        "report period. Negatively worded (reversed) items have been reverse-scored, so a "
        "higher value always means better. Validity, reliability and factor structure tests "
        "are given by the survey module.",
        "n30_konstruk": "## Means by construct",
        "n30_responden": "Respondents in {periode}: {n} ASN ({cakupan}).",
        "n30_sumbu_rerata": "Mean (1–5)",
        "n30_judul_konstruk": "ASN survey by construct, {periode}",
        "n30_kosong": "Survey data are not available.",
        "n30_butir": "## Means by item",
        "n30_uji": "## Instrument tests: item validity and reliability\n\n"
        "Validity: correlation of each item with the total of the other items of its "
        "construct (corrected item–total), compared with the critical r for the number of "
        "respondents (α = 0.05, two-sided). Reliability: Cronbach's α (with Feldt interval), "
        "α if item deleted, and McDonald's ω.",
        "n30_cfa": "## Factor structure (CFA) and invariance across periods\n\n"
        "Confirmatory factor analysis checks whether the items really measure their construct "
        "(loadings, CFI, TLI, RMSEA, SRMR). Invariance tests (configural, metric, scalar) "
        "check whether the instrument works the same way in every period, so that score "
        "changes across periods are changes in the construct, not in how items are understood.",
        "n30_cfa_tidak_wajar": "**Improper CFA solution** ({masalah}). The estimates for "
        "{konstruk}, including its reliability (omega), cannot be trusted: usually too few "
        "respondents or near-identical items; collect more data or review the items before "
        "interpreting them.",
        "n30_regresi": "## Regression of motivation with classical assumption checks\n\n"
        "Work motivation is explained by perceived feedback quality, training relevance and "
        "acceptance of the evaluation system. Each assumption check comes with a one-sentence "
        "interpretation.",
        "n30_catatan_regresi": "Standard errors use the robust {robust} estimator "
        "(heteroskedasticity-consistent): Likert scores are bounded and often "
        "heteroskedastic, so classical t tests can mislead; when residuals are homoskedastic "
        "the result is almost the same as with classical SEs.",
        "n30_komunikasi": "## Communication training and self-confidence; acceptance of the "
        "system by OPD",
        # --- 90 cross-period summary
        "n90_pengantar": "How the headline figures of the ASN performance evaluation developed "
        "from period to period, up to the report period.",
        "n90_angka_utama": "## Headline figures by period",
        "n90_cakupan": "Coverage: {cakupan}; {n} periods, {awal} – {akhir}.",
        "n90_tren": "## Trends",
    },
}
_ARAH_EN = {"naik": "goes up", "turun": "goes down", "tetap": "stays the same"}


def text(kunci: str, bahasa: fmt.Bahasa = "id", **isi: object) -> str:
    """A heading or fixed sentence of the period report in ``bahasa`` (see :data:`TEXTS`)."""
    if bahasa not in TEXTS:
        raise ValueError(f"bahasa harus 'id' atau 'en', bukan {bahasa!r}")
    return TEXTS[bahasa][kunci].format(**isi)


def output_vs_competency_sentence(kota: pd.DataFrame, bahasa: fmt.Bahasa, min_sel: int) -> str:
    """The city-wide sentence of the output-vs-competency table (rows ``arah, n``)."""
    parts = [
        text(
            "hvk_bagian",
            bahasa,
            arah=r.arah if bahasa == "id" else _ARAH_EN.get(r.arah, r.arah),
            n=count_text(r.n, bahasa, min_sel),
        )
        for r in kota.itertuples()
    ]
    return text("hvk_kalimat", bahasa, rincian="; ".join(parts))


#: The classical assumption checks (:mod:`kinerja_analysis.methods.regression`) in words:
#: (name of the check, sentence when it holds, sentence when it is violated).
_ASUMSI: dict[str, dict[str, tuple[str, str, str]]] = {
    "id": {
        "normality_ks_lilliefors": (
            "Normalitas (Kolmogorov–Smirnov, koreksi Lilliefors)",
            "Residual berdistribusi normal",
            "Residual tidak berdistribusi normal",
        ),
        "normality_shapiro_wilk": (
            "Normalitas (Shapiro–Wilk)",
            "Residual berdistribusi normal",
            "Residual tidak berdistribusi normal",
        ),
        "normality_jarque_bera": (
            "Normalitas (Jarque–Bera)",
            "Residual berdistribusi normal",
            "Residual tidak berdistribusi normal",
        ),
        "multicollinearity_vif": (
            "Multikolinearitas (VIF)",
            "Tidak ada multikolinearitas (VIF tertinggi {stat} pada {term} < {limit}; "
            "tolerance > {tol})",
            "Ada multikolinearitas: VIF {term} = {stat} ≥ {limit}",
        ),
        "heteroskedasticity_breusch_pagan": (
            "Heteroskedastisitas (Breusch–Pagan)",
            "Tidak ada heteroskedastisitas",
            "Terjadi heteroskedastisitas; SE robust diperlukan",
        ),
        "heteroskedasticity_white": (
            "Heteroskedastisitas (White)",
            "Tidak ada heteroskedastisitas",
            "Terjadi heteroskedastisitas; SE robust diperlukan",
        ),
        "autocorrelation_durbin_watson": (
            "Autokorelasi (Durbin–Watson)",
            "Durbin–Watson = {stat} (1,5–2,5: tidak ada indikasi autokorelasi); uji ini hanya "
            "bermakna bila baris berurutan menurut waktu",
            "Durbin–Watson = {stat} (di luar 1,5–2,5); uji ini hanya bermakna bila baris "
            "berurutan menurut waktu",
        ),
    },
    "en": {
        "normality_ks_lilliefors": (
            "Normality (Kolmogorov–Smirnov, Lilliefors correction)",
            "Residuals are normally distributed",
            "Residuals are not normally distributed",
        ),
        "normality_shapiro_wilk": (
            "Normality (Shapiro–Wilk)",
            "Residuals are normally distributed",
            "Residuals are not normally distributed",
        ),
        "normality_jarque_bera": (
            "Normality (Jarque–Bera)",
            "Residuals are normally distributed",
            "Residuals are not normally distributed",
        ),
        "multicollinearity_vif": (
            "Multicollinearity (VIF)",
            "No multicollinearity (largest VIF {stat} for {term} < {limit}; tolerance > {tol})",
            "Multicollinearity: VIF of {term} = {stat} ≥ {limit}",
        ),
        "heteroskedasticity_breusch_pagan": (
            "Heteroskedasticity (Breusch–Pagan)",
            "No heteroskedasticity",
            "Heteroskedasticity; robust SEs are needed",
        ),
        "heteroskedasticity_white": (
            "Heteroskedasticity (White)",
            "No heteroskedasticity",
            "Heteroskedasticity; robust SEs are needed",
        ),
        "autocorrelation_durbin_watson": (
            "Autocorrelation (Durbin–Watson)",
            "Durbin–Watson = {stat} (1.5–2.5: no sign of autocorrelation); the test is only "
            "meaningful when rows are in time order",
            "Durbin–Watson = {stat} (outside 1.5–2.5); the test is only meaningful when rows "
            "are in time order",
        ),
    },
}


def _p_words(p: float, alpha: float, holds: bool, bahasa: fmt.Bahasa) -> str:
    if p < 0.001:
        return "p < " + fmt.number(0.001, 3, bahasa)
    cmp = ">" if holds else "≤"
    return f"p = {fmt.number(p, 3 if p < 0.01 else 2, bahasa)} {cmp} {fmt.number(alpha, 2, bahasa)}"


def assumption_checks_table(reg, bahasa: fmt.Bahasa = "id") -> pd.DataFrame:
    """The classical assumption checks of a regression as a table with one sentence each.

    ``reg`` is a :class:`kinerja_analysis.methods.regression.RegressionResult`. Returns
    ``uji`` (the check, in words), ``statistic``, ``p_value``, ``kesimpulan``
    (terpenuhi / tidak terpenuhi; holds / violated) and ``interpretasi``.
    """
    words = _ASUMSI[bahasa]
    held = ("terpenuhi", "tidak terpenuhi") if bahasa == "id" else ("holds", "violated")
    rows = []
    for r in reg.checks.itertuples(index=False):
        name, yes, no = words[r.check]
        txt = (yes if r.holds else no).format(
            stat=fmt.number(r.statistic, 2, bahasa),
            term=r.term,
            limit=fmt.number(r.limit, 0, bahasa),
            tol=fmt.number(1 / r.limit, 2, bahasa) if r.limit else "",
        )
        if np.isfinite(r.p_value):
            txt += f" ({_p_words(r.p_value, reg.alpha, r.holds, bahasa)})"
        rows.append(
            {
                "uji": name,
                "statistic": r.statistic,
                "p_value": r.p_value,
                "kesimpulan": held[0] if r.holds else held[1],
                "interpretasi": txt + ".",
            }
        )
    return pd.DataFrame(rows)


_LABEL: dict[str, dict[str, str]] = {
    "opd": {"id": "OPD", "en": "OPD"},
    # --- official e-Kinerja results and employment status
    "pct_sama": {"id": "Predikat sama", "en": "Same predikat"},
    "kappa": {"id": "κ (Cohen)", "en": "κ (Cohen)"},
    "n_resmi_lebih_tinggi": {"id": "Resmi lebih tinggi", "en": "Official higher"},
    "n_resmi_lebih_rendah": {"id": "Resmi lebih rendah", "en": "Official lower"},
    "status_kepegawaian": {"id": "Status kepegawaian", "en": "Employment status"},
    "pct_sangat_baik": {"id": "Sangat Baik", "en": "Very good"},
    "pct_baik": {"id": "Baik", "en": "Good"},
    "pct_di_bawah_baik": {"id": "Di bawah Baik", "en": "Below good"},
    "periode": {"id": "Periode", "en": "Period"},
    "dimensi": {"id": "Dimensi", "en": "Dimension"},
    "n_asn": {"id": "Jumlah ASN", "en": "ASN"},
    "n_pegawai": {"id": "ASN", "en": "ASN"},
    "n": {"id": "Jumlah", "en": "Count"},
    "n_penilaian": {"id": "Jumlah penilaian", "en": "Ratings"},
    "pct_asn": {"id": "Persentase", "en": "Share"},
    "persen": {"id": "Persentase", "en": "Share"},
    "arah": {"id": "Predikat", "en": "Rating"},
    "capaian_rerata": {"id": "Rata-rata capaian (%)", "en": "Mean achievement (%)"},
    "capaian_median": {"id": "Median capaian (%)", "en": "Median achievement (%)"},
    "pct_di_bawah_100": {"id": "ASN dengan capaian < 100%", "en": "ASN below 100%"},
    "skor_rerata": {"id": "Rata-rata skor", "en": "Mean score"},
    "skor_atasan": {"id": "Skor dari atasan", "en": "Score by supervisor"},
    "skor_rekan": {"id": "Skor dari rekan", "en": "Score by peers"},
    "skor_bawahan": {"id": "Skor dari bawahan", "en": "Score by subordinates"},
    "skor_diri": {"id": "Skor diri", "en": "Self score"},
    "jp_rerata": {"id": "Rata-rata JP", "en": "Mean JP"},
    "jp_median": {"id": "Median JP", "en": "Median JP"},
    "pct_di_bawah_20": {"id": "JP < 20", "en": "Below 20 JP"},
    "pct_jp_mandiri": {"id": "Porsi JP mandiri", "en": "Share of self-sought JP"},
    "ikm": {"id": "IKM", "en": "IKM"},
    "mutu": {"id": "Mutu", "en": "Grade"},
    "kinerja": {"id": "Kinerja", "en": "Performance"},
    "tepat_waktu_pct": {"id": "Tepat waktu (%)", "en": "On time (%)"},
    "jumlah_pengaduan": {"id": "Pengaduan", "en": "Complaints"},
    # --- notebooks 00, 20, 30
    "tabel": {"id": "Tabel", "en": "Table"},
    "rows_read": {"id": "Dibaca", "en": "Read"},
    "rows_accepted": {"id": "Diterima", "en": "Accepted"},
    "rows_rejected": {"id": "Ditolak", "en": "Rejected"},
    "n_peringatan": {"id": "Peringatan", "en": "Warnings"},
    "pct_diterima": {"id": "% diterima", "en": "% accepted"},
    "aturan": {"id": "Aturan", "en": "Rule"},
    "tingkat": {"id": "Tingkat", "en": "Severity"},
    "n_masalah": {"id": "Jumlah", "en": "Count"},
    "n_baris": {"id": "Baris", "en": "Rows"},
    "jenis": {"id": "Jenis", "en": "Type"},
    "sumber": {"id": "Sumber", "en": "Source"},
    "n_pelatihan": {"id": "Pelatihan", "en": "Trainings"},
    "jp_total": {"id": "Total JP", "en": "Total JP"},
    "kelompok_jp": {"id": "Kelompok JP (12 bulan)", "en": "JP group (12 months)"},
    "capaian_sd": {"id": "Simpangan baku", "en": "Standard deviation"},
    "n_sesi": {"id": "Jumlah sesi", "en": "Sessions"},
    "sesi_per_asn": {"id": "Sesi per ASN", "en": "Sessions per ASN"},
    "pct_asn_tanpa_sesi": {"id": "ASN tanpa sesi", "en": "ASN without a session"},
    "kualitas_rerata": {"id": "Rata-rata kualitas (1–5)", "en": "Mean quality (1–5)"},
    "term": {"id": "Perkiraan", "en": "Term"},
    "estimate": {"id": "Efek", "en": "Effect"},
    "std_error": {"id": "SE", "en": "SE"},
    "ci_low": {"id": "IK 95% bawah", "en": "95% CI lower"},
    "ci_high": {"id": "IK 95% atas", "en": "95% CI upper"},
    "p_value": {"id": "p", "en": "p"},
    "n_obs": {"id": "n", "en": "n"},
    "n_dilatih": {"id": "ASN dilatih", "en": "ASN trained"},
    "model": {"id": "Model", "en": "Model"},
    "outcome": {"id": "Hasil", "en": "Outcome"},
    "odds_ratio": {"id": "Rasio odds", "en": "Odds ratio"},
    "statistic": {"id": "Statistik", "en": "Statistic"},
    "df": {"id": "db", "en": "df"},
    "konstruk": {"id": "Konstruk", "en": "Construct"},
    "item": {"id": "Kode butir", "en": "Item"},
    "teks": {"id": "Pernyataan", "en": "Statement"},
    "terbalik": {"id": "Terbalik", "en": "Reversed"},
    "rerata": {"id": "Rata-rata", "en": "Mean"},
    "sd": {"id": "Simpangan baku", "en": "Standard deviation"},
    "n_butir": {"id": "Butir", "en": "Items"},
    "n_min": {"id": "n terkecil", "en": "Smallest n"},
}


#: Employment status of an ASN as a document names it (UU 20/2023).
STATUS_LABELS: dict[str, dict[str, str]] = {
    "id": {"pns": "PNS", "pppk": "PPPK", "pppk_paruh_waktu": "PPPK paruh waktu"},
    "en": {"pns": "PNS (civil servant)", "pppk": "PPPK (contract)",
           "pppk_paruh_waktu": "PPPK part-time"},
}  # fmt: skip


def column_labels(bahasa: fmt.Bahasa = "id") -> dict[str, str]:
    """Column labels of the report tables in ``bahasa``."""
    return {k: v[bahasa] for k, v in _LABEL.items()}
