"""The words of the documents: fixed texts and the one label registry.

- :data:`TEXTS` — headings and fixed sentences of the report notebooks, per language
  (:func:`text`).
- The **label registry** — every machine key a person may read, in Indonesian and
  English: column headers and how their numbers are written (:data:`COLUMNS`,
  :func:`column_label`, :func:`column_kind`), result terms (:data:`TERMS`,
  :func:`term_label`), BerAKHLAK values and survey constructs (:data:`DIMENSIONS`,
  :func:`dimension_label`), validation and SE MenPAN-RB 3/2023 distribution rules
  (:data:`RULES`, :func:`rule_label`), categorical values (:data:`VALUES`,
  :func:`value_label`) and study parameters (:func:`parameter_label`).
  :func:`display_frame` turns a result table into what a person reads; tables,
  charts, the workbook, the narrative and the notebooks all go through it.

>>> column_label("tepat_waktu_pct"), column_label("tepat_waktu_pct", "en")
('Layanan tepat waktu (%)', 'Services on time (%)')
>>> term_label("n_umpan_balik_lag1"), dimension_label("berorientasi_pelayanan", "en")
('Sesi umpan balik periode sebelumnya', 'Service Orientation')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kinerja_analysis.core.config import DEFAULTS
from kinerja_analysis.core.periods import period_label
from kinerja_analysis.reporting import fmt
from kinerja_analysis.reporting.markup import escape_markdown

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
        "hvk_kalimat": "Bila perilaku ikut dinilai, {lingkup} predikat {rincian}.",
        "hvk_bagian": "{arah} untuk {n} ASN",
        "efek": "### Pengaruh pelatihan, umpan balik dan penerapan sistem evaluasi",
        "efek_kota": "Perkiraan pengaruh disajikan pada laporan tingkat kota.",
        "ikm": "### Kualitas pelayanan publik (IKM)",
        "ikm_kosong": "Data layanan (IKM) tidak tersedia untuk periode ini.",
        "jp": "### Jam pelajaran (JP) pelatihan",
        "judul_koef": "Pengaruh pelatihan terhadap capaian SKP (poin)",
        "judul_studi": "Capaian SKP sebelum dan sesudah pelatihan pertama (studi peristiwa)",
        "judul_predikat": "Sebaran predikat kinerja, {periode}",
        "judul_profil": "Skor perilaku BerAKHLAK (1–5), {periode}",
        # --- period report: more headings, figure titles and table titles (workbook)
        "efek_rinci": "Grafik pertama menunjukkan perkiraan pengaruh pelatihan terhadap capaian "
        "SKP dengan interval kepercayaan 95%; grafik kedua menunjukkan capaian SKP sebelum dan "
        "sesudah pelatihan pertama. Tingkat bukti setiap perkiraan ada di Lampiran A.",
        "ikm_ringkas": "Sebaran OPD menurut mutu pelayanan (PermenPAN-RB 14/2017). Nilai IKM "
        "setiap OPD ada di Lampiran B.",
        "jp_ringkas": "JP pelatihan per ASN dalam 12 bulan yang berakhir pada periode laporan, "
        "{cakupan}. Rincian per OPD ada di Lampiran B.",
        "hvk_ringkas": "Rincian per OPD ada di Lampiran B.",
        "predikat_urut": "OPD diurutkan dari porsi Sangat Baik terbesar. Kelompok kecil "
        "disembunyikan (celah pada batang).",
        "lampiran_asn": "### Jumlah ASN per OPD",
        "lampiran_ikm": "### IKM dan pelayanan per OPD",
        "lampiran_jp": "### JP pelatihan per OPD",
        "lampiran_hvk": "### Perubahan predikat bila perilaku ikut dinilai, per OPD",
        "lampiran_kesesuaian": "### Kesesuaian predikat resmi dan predikat terhitung, per OPD",
        "peringkat_opd": "Ditampilkan {atas} OPD dengan {ukuran} tertinggi dan {bawah} OPD "
        "dengan {ukuran} terendah, dari {n_nilai} OPD yang memiliki nilai; daftar lengkap "
        "{n_semua} OPD ada di buku kerja XLSX yang menyertai dokumen ini (tabel «{judul}»).",
        "peringkat_opd_bernilai": "Ditampilkan {n_nilai} OPD yang memiliki nilai {ukuran}, "
        "diurutkan dari yang tertinggi; OPD tanpa nilai (misalnya kelompok kecil yang "
        "disembunyikan) tidak ditampilkan. Daftar lengkap {n_semua} OPD ada di buku kerja "
        "XLSX yang menyertai dokumen ini (tabel «{judul}»).",
        "ukuran_kolom": "«{kolom}»",
        "ukuran_rasio": "porsi «{kolom}» dari «{per}»",
        "judul_predikat_bagian": "Sebaran predikat kinerja per OPD, {periode} ({bagian})",
        "judul_profil_bagian": "Skor perilaku BerAKHLAK per OPD (1–5), {periode} ({bagian})",
        "tabel_angka_utama": "Angka utama {periode}",
        "tabel_asn_per_opd": "Jumlah ASN per OPD",
        "tabel_capaian_per_periode": "Capaian SKP per periode",
        "tabel_perilaku_per_dimensi": "Skor perilaku per nilai dasar BerAKHLAK, {periode}",
        "tabel_predikat_per_opd": "Predikat kinerja per OPD, {periode}",
        "tabel_profil_berakhlak_opd": "Skor BerAKHLAK per OPD, {periode}",
        "tabel_hasil_vs_kompetensi": "Predikat: hasil kerja saja dibanding hasil kerja dan "
        "perilaku, {periode}",
        "tabel_efek": "Perkiraan pengaruh (IK 95%)",
        "tabel_ikm_per_opd": "IKM per OPD, {periode}",
        "tabel_ikm_per_mutu": "OPD menurut mutu pelayanan, {periode}",
        "tabel_jp_kota": "JP pelatihan per ASN, {cakupan} (12 bulan)",
        "tabel_jp_per_opd": "JP pelatihan per ASN per OPD (12 bulan)",
        "tabel_ringkasan_validasi": "Ringkasan validasi per tabel",
        "tabel_masalah_per_aturan": "Jumlah masalah per aturan",
        "tabel_kelengkapan_periode": "Kelengkapan data {periode}",
        "tabel_paparan_pelatihan": "Pelatihan menurut jenis dan sumber (12 bulan)",
        "tabel_capaian_menurut_jp": "Capaian SKP menurut kelompok JP, {periode}",
        "tabel_umpan_balik_per_periode": "Sesi umpan balik per periode",
        "tabel_efek_pelatihan": "Efek pelatihan terhadap capaian SKP",
        "tabel_efek_pelatihan_subkelompok": "Efek pelatihan per subkelompok",
        "tabel_efek_umpan_balik": "Efek umpan balik",
        "tabel_efek_penerapan": "Efek penerapan sistem evaluasi",
        "tabel_survei_konstruk": "Survei ASN per konstruk, {periode}",
        "tabel_survei_butir": "Survei ASN per butir, {periode}",
        "tabel_validitas_butir": "Validitas butir, {periode}",
        "tabel_reliabilitas": "Reliabilitas konstruk, {periode}",
        "tabel_cfa_fit": "Indeks kecocokan CFA, {periode}",
        "tabel_cfa_muatan": "Muatan faktor CFA, {periode}",
        "tabel_invariansi": "Invariansi antarperiode",
        "tabel_regresi_motivasi": "Regresi motivasi kerja, {periode}",
        "tabel_penerimaan_per_opd": "Penerimaan sistem evaluasi per OPD, {periode}",
        "tabel_ringkasan_lintas_periode": "Angka utama per periode",
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
        "kesesuaian_kalimat": "{lingkup}, predikat resmi sama dengan predikat dari angka "
        "untuk {pct} ASN (κ = {kappa}); predikat resmi lebih tinggi untuk {tinggi} ASN dan "
        "lebih rendah untuk {rendah} ASN.",
        "judul_kesesuaian": "Kesesuaian predikat resmi dan predikat dari angka per OPD",
        "status": "### ASN dan predikat per status kepegawaian (PNS, PPPK)",
        "judul_status": "ASN dan predikat per status kepegawaian",
        # --- shared by notebooks 00, 20, 30, 90
        "umum_cakupan_opd": "OPD {opd}",
        "umum_cakupan_kota": "seluruh OPD {instansi}",
        "umum_lingkup_kota": "di seluruh OPD",
        "umum_lingkup_opd": "di {opd}",
        "umum_lingkup_kota_awal": "Di seluruh OPD",
        "umum_lingkup_opd_awal": "Di {opd}",
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
        "n20_paparan_kosong": "Belum ada pelatihan yang dimulai dalam 12 bulan ini.",
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
        "BerAKHLAK terlemah ASN sebelum pelatihan; *nilai BerAKHLAK lain*: dimensi BerAKHLAK "
        "lain; *tidak sesuai kebutuhan jabatan*: kompetensi di luar kebutuhan jabatan. Selisih antarkelompok memakai "
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
        # --- optional data that are absent (ReportSession.absent)
        "data_tidak_tersedia": "Data {data} tidak tersedia dalam dataset ini, sehingga bagian "
        "ini tidak dapat disusun.",
        "data_tidak_cukup": "Perkiraan untuk bagian ini tidak dapat dihitung dari data ini.",
        "data_dan": "dan",
        "data_skp": "capaian SKP",
        "data_perilaku": "penilaian perilaku 360°",
        "data_penilaian_resmi": "penilaian kinerja resmi (e-Kinerja)",
        "data_pelatihan": "pelatihan",
        "data_umpan_balik": "umpan balik",
        "data_layanan": "layanan publik (IKM)",
        "data_penerapan": "penerapan sistem evaluasi",
        "data_survei": "survei ASN",
        "data_survei_instrumen": "instrumen survei",
        "n90_tren_kosong": "Tidak ada angka utama yang dapat digambar sebagai tren.",
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
        "n90_judul_tren": "Angka utama per periode",
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
        "hvk_kalimat": "When behaviour is counted, {lingkup} the rating {rincian}.",
        "hvk_bagian": "{arah} for {n} ASN",
        "efek": "### Effects of training, feedback and the structured evaluation system",
        "efek_kota": "Effect estimates are given in the city-wide report.",
        "ikm": "### Public service quality (IKM)",
        "ikm_kosong": "Service data (IKM) are not available for this period.",
        "jp": "### Training hours (JP)",
        "judul_koef": "Effect of training on SKP achievement (points)",
        "judul_studi": "SKP achievement before and after the first training (event study)",
        "judul_predikat": "Performance ratings, {periode}",
        "judul_profil": "BerAKHLAK behaviour scores (1–5), {periode}",
        # --- period report: more headings, figure titles and table titles (workbook)
        "efek_rinci": "The first chart shows the estimated effects of training on SKP "
        "achievement with their 95% confidence intervals; the second shows SKP achievement "
        "before and after the first training. The level of evidence of each estimate is in "
        "Appendix A.",
        "ikm_ringkas": "Units by service grade (PermenPAN-RB 14/2017). The IKM of every unit "
        "is in Appendix B.",
        "jp_ringkas": "Training hours (JP) per ASN in the 12 months ending with the report "
        "period, {cakupan}. The figures by unit are in Appendix B.",
        "hvk_ringkas": "The figures by unit are in Appendix B.",
        "predikat_urut": "Units are sorted from the largest share of Very Good. Small groups "
        "are suppressed (gaps in the bars).",
        "lampiran_asn": "### ASN per unit",
        "lampiran_ikm": "### IKM and services by unit",
        "lampiran_jp": "### Training hours (JP) by unit",
        "lampiran_hvk": "### Change in rating when behaviour is counted, by unit",
        "lampiran_kesesuaian": "### Agreement of the official and the computed rating, by unit",
        "peringkat_opd": "Shown are the {atas} units (OPD) with the highest {ukuran} and the "
        "{bawah} with the lowest, of {n_nilai} units that have a value; the full list of "
        "{n_semua} units is in the XLSX workbook that accompanies this document (table "
        "“{judul}”).",
        "peringkat_opd_bernilai": "Shown are the {n_nilai} units (OPD) that have a value of "
        "{ukuran}, highest first; units without a value (for example small groups, which are "
        "suppressed) are not shown. The full list of {n_semua} units is in the XLSX workbook "
        "that accompanies this document (table “{judul}”).",
        "ukuran_kolom": "“{kolom}”",
        "ukuran_rasio": "“{kolom}” as a share of “{per}”",
        "judul_predikat_bagian": "Performance ratings by unit, {periode} ({bagian})",
        "judul_profil_bagian": "BerAKHLAK behaviour scores by unit (1–5), {periode} ({bagian})",
        "tabel_angka_utama": "Headline figures, {periode}",
        "tabel_asn_per_opd": "ASN per unit",
        "tabel_capaian_per_periode": "SKP achievement by period",
        "tabel_perilaku_per_dimensi": "Behaviour scores by BerAKHLAK value, {periode}",
        "tabel_predikat_per_opd": "Performance ratings by unit, {periode}",
        "tabel_profil_berakhlak_opd": "BerAKHLAK scores by unit, {periode}",
        "tabel_hasil_vs_kompetensi": "Rating: output alone compared with output and "
        "behaviour, {periode}",
        "tabel_efek": "Estimated effects (95% CI)",
        "tabel_ikm_per_opd": "IKM by unit, {periode}",
        "tabel_ikm_per_mutu": "Units by service grade, {periode}",
        "tabel_jp_kota": "Training hours (JP) per ASN, {cakupan} (12 months)",
        "tabel_jp_per_opd": "Training hours (JP) per ASN by unit (12 months)",
        "tabel_ringkasan_validasi": "Validation summary by table",
        "tabel_masalah_per_aturan": "Problems by rule",
        "tabel_kelengkapan_periode": "Data completeness, {periode}",
        "tabel_paparan_pelatihan": "Training by type and source (12 months)",
        "tabel_capaian_menurut_jp": "SKP achievement by JP group, {periode}",
        "tabel_umpan_balik_per_periode": "Feedback sessions by period",
        "tabel_efek_pelatihan": "Effect of training on SKP achievement",
        "tabel_efek_pelatihan_subkelompok": "Effect of training by subgroup",
        "tabel_efek_umpan_balik": "Effect of feedback",
        "tabel_efek_penerapan": "Effect of the evaluation system roll-out",
        "tabel_survei_konstruk": "ASN survey by construct, {periode}",
        "tabel_survei_butir": "ASN survey by item, {periode}",
        "tabel_validitas_butir": "Item validity, {periode}",
        "tabel_reliabilitas": "Construct reliability, {periode}",
        "tabel_cfa_fit": "CFA fit indices, {periode}",
        "tabel_cfa_muatan": "CFA factor loadings, {periode}",
        "tabel_invariansi": "Invariance across periods",
        "tabel_regresi_motivasi": "Regression of work motivation, {periode}",
        "tabel_penerimaan_per_opd": "Acceptance of the evaluation system by unit, {periode}",
        "tabel_ringkasan_lintas_periode": "Headline figures by period",
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
        "kesesuaian_kalimat": "{lingkup} the official predikat equals the one from the "
        "numbers for {pct} of ASN (κ = {kappa}); the official predikat is higher for {tinggi} "
        "ASN and lower for {rendah}.",
        "judul_kesesuaian": "Agreement of official and computed predikat by OPD",
        "status": "### ASN and ratings by employment status (PNS, PPPK)",
        "judul_status": "ASN and ratings by employment status",
        # --- shared by notebooks 00, 20, 30, 90
        "umum_cakupan_opd": "OPD {opd}",
        "umum_cakupan_kota": "all units (OPD) of the {instansi}",
        "umum_lingkup_kota": "across all OPDs",
        "umum_lingkup_opd": "in {opd}",
        "umum_lingkup_kota_awal": "Across all OPDs",
        "umum_lingkup_opd_awal": "In {opd}",
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
        "n20_paparan_kosong": "No training started in these 12 months.",
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
        "enough (at least 20). *Relevant*: the competency targeted by the first "
        "training is the ASN's weakest BerAKHLAK dimension before training; *another "
        "BerAKHLAK value*: another dimension; *does not fit the job*: a competency outside the "
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
        # --- optional data that are absent (ReportSession.absent)
        "data_tidak_tersedia": "The {data} data are not available in this dataset, so this "
        "section cannot be produced.",
        "data_tidak_cukup": "The estimates of this section cannot be computed from these data.",
        "data_dan": "and",
        "data_skp": "SKP achievement",
        "data_perilaku": "360° behaviour rating",
        "data_penilaian_resmi": "official performance rating (e-Kinerja)",
        "data_pelatihan": "training",
        "data_umpan_balik": "feedback",
        "data_layanan": "public service (IKM)",
        "data_penerapan": "evaluation system roll-out",
        "data_survei": "ASN survey",
        "data_survei_instrumen": "survey instrument",
        "n90_tren_kosong": "There are no headline figures to draw as a trend.",
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
        "n90_judul_tren": "Headline figures by period",
    },
}
_ARAH_EN = {"naik": "goes up", "turun": "goes down", "tetap": "stays the same"}


def text(kunci: str, bahasa: fmt.Bahasa = "id", **isi: object) -> str:
    """A heading or fixed sentence of the period report in ``bahasa`` (see :data:`TEXTS`)."""
    if bahasa not in TEXTS:
        raise ValueError(f"bahasa harus 'id' atau 'en', bukan {bahasa!r}")
    return TEXTS[bahasa][kunci].format(**isi)


def output_vs_competency_sentence(
    kota: pd.DataFrame, bahasa: fmt.Bahasa, min_sel: int, opd: str | None = None
) -> str:
    """The sentence of the output-vs-competency table's total (rows ``arah, n``): over
    every OPD, or over ``opd`` in that OPD's document (its name escaped as Markdown)."""
    parts = [
        text(
            "hvk_bagian",
            bahasa,
            arah=r.arah if bahasa == "id" else _ARAH_EN.get(r.arah, r.arah),
            n=count_text(r.n, bahasa, min_sel),
        )
        for r in kota.itertuples()
    ]
    lingkup = (
        text("umum_lingkup_opd", bahasa, opd=escape_markdown(opd))
        if opd
        else text("umum_lingkup_kota", bahasa)
    )
    return text("hvk_kalimat", bahasa, lingkup=lingkup, rincian="; ".join(parts))


# ============================================================================ label registry
#
# ONE registry of the words a person reads for every machine key: column names, result
# terms, BerAKHLAK dimensions and survey constructs, validation and distribution rules,
# and the categorical values of the data contract. Tables (notebook display), charts,
# the workbook, the narrative and the notebooks all label through it, so a key such as
# ``tepat_waktu_pct`` never reaches a document. Each entry is ``(Indonesian, English)``.


@dataclass(frozen=True)
class Column:
    """A column's header in both languages and how its numbers are written.

    ``jenis``: ``"teks"``; ``"bilangan"`` (a count); ``"angka"`` (a decimal number,
    ``desimal`` digits); ``"fraksi"`` (a share 0–1, written as a percentage);
    ``"persen"`` (already in percent, 0–100); ``"p"`` (a p-value, ``<0,001`` below
    0.001); ``"ya_tidak"`` (a yes/no flag).
    """

    id: str
    en: str
    jenis: str = "teks"
    desimal: int = 2


COLUMN_KINDS = ("teks", "bilangan", "angka", "fraksi", "persen", "p", "ya_tidak")


def _c(id_: str, en: str, jenis: str = "teks", desimal: int = 2) -> Column:
    return Column(id_, en, jenis, desimal)


#: Column keys → header and kind.
COLUMNS: dict[str, Column] = {
    # --- identifiers and counts
    "opd": _c("OPD", "OPD (unit)"),
    "periode": _c("Periode", "Period"),
    "dimensi": _c("Nilai dasar BerAKHLAK", "BerAKHLAK value"),
    "tabel": _c("Tabel", "Table"),
    "kelompok": _c("Kelompok", "Group"),
    "indikator": _c("Indikator", "Indicator"),
    "nilai": _c("Nilai", "Value", "angka"),
    "satuan": _c("Satuan", "Unit"),
    "n": _c("Jumlah", "Count", "bilangan"),
    "peringkat": _c("Peringkat", "Rank", "bilangan"),
    "n_asn": _c("Jumlah ASN", "ASN", "bilangan"),
    "n_pegawai": _c("Jumlah ASN", "ASN", "bilangan"),
    "n_penilaian": _c("Jumlah penilaian", "Ratings", "bilangan"),
    "n_obs": _c("n", "n", "bilangan"),
    "n_targets": _c("ASN dinilai", "Ratees", "bilangan"),
    "n_raters": _c("Penilai", "Raters", "bilangan"),
    "pct_asn": _c("Persentase ASN", "Share of ASN", "fraksi", 1),
    "persen": _c("Persentase", "Share", "fraksi", 1),
    "disembunyikan": _c("Disembunyikan (kelompok kecil)", "Suppressed (small group)", "ya_tidak"),
    "disupresi": _c("Disembunyikan (kelompok kecil)", "Suppressed (small group)", "ya_tidak"),
    # --- predikat and scores
    "predikat": _c("Predikat", "Rating"),
    "arah": _c("Perubahan predikat", "Change in rating"),
    "n_naik": _c("Predikat naik", "Rating up", "bilangan"),
    "n_turun": _c("Predikat turun", "Rating down", "bilangan"),
    "n_tetap": _c("Predikat tetap", "Rating unchanged", "bilangan"),
    # --- official e-Kinerja results and employment status
    "pct_sama": _c("Predikat sama", "Same predikat", "fraksi", 1),
    "kappa": _c("κ (Cohen)", "κ (Cohen)", "angka", 2),
    "n_resmi_lebih_tinggi": _c("Resmi lebih tinggi", "Official higher", "bilangan"),
    "n_resmi_lebih_rendah": _c("Resmi lebih rendah", "Official lower", "bilangan"),
    "status_kepegawaian": _c("Status kepegawaian", "Employment status"),
    "pct_sangat_baik": _c("Sangat Baik", "Very Good", "fraksi", 1),
    "pct_baik": _c("Baik", "Good", "fraksi", 1),
    "pct_di_bawah_baik": _c("Di bawah Baik", "Below Good", "fraksi", 1),
    "capaian": _c("Capaian SKP (%)", "SKP achievement (%)", "persen", 1),
    "capaian_rerata": _c("Rata-rata capaian SKP (%)", "Mean SKP achievement (%)", "persen", 1),
    "capaian_median": _c("Median capaian SKP (%)", "Median SKP achievement (%)", "persen", 1),
    "capaian_sd": _c("Simpangan baku capaian", "SD of achievement", "angka", 1),
    "pct_di_bawah_100": _c("ASN dengan capaian < 100%", "ASN below 100%", "fraksi", 1),
    "skor": _c("Skor (1–5)", "Score (1–5)", "angka", 2),
    "skor_rerata": _c("Rata-rata skor (1–5)", "Mean score (1–5)", "angka", 2),
    "skor_atasan": _c("Skor dari atasan", "Score by supervisor", "angka", 2),
    "skor_rekan": _c("Skor dari rekan", "Score by peers", "angka", 2),
    "skor_bawahan": _c("Skor dari bawahan", "Score by subordinates", "angka", 2),
    "skor_diri": _c("Skor diri", "Self score", "angka", 2),
    "rerata": _c("Rata-rata", "Mean", "angka", 2),
    "sd": _c("Simpangan baku", "Standard deviation", "angka", 2),
    "perubahan": _c("Perubahan", "Change", "angka", 2),
    "kesenjangan": _c("Kesenjangan", "Gap", "angka", 2),
    "penerimaan": _c("Skor penerimaan (1–5)", "Acceptance score (1–5)", "angka", 2),
    # --- headline figures
    "perilaku_rerata": _c("Rata-rata skor perilaku (1–5)", "Mean behaviour score (1–5)", "angka"),
    "ikm_rerata": _c("Rata-rata IKM OPD", "Mean IKM across units", "angka"),
    "pct_jp_di_bawah_20": _c("ASN dengan JP < 20", "ASN with fewer than 20 JP", "fraksi", 1),
    "n_opd": _c("Jumlah OPD", "Number of units (OPD)", "bilangan"),
    # --- training
    "jenis": _c("Jenis pelatihan", "Training type"),
    "sumber": _c("Sumber", "Source"),
    "metode": _c("Metode", "Mode"),
    "n_pelatihan": _c("Jumlah pelatihan", "Trainings", "bilangan"),
    "jp": _c("JP", "JP", "angka", 1),
    "jp_total": _c("Total JP", "Total JP", "angka", 0),
    "jp_rerata": _c("Rata-rata JP per ASN", "Mean JP per ASN", "angka", 1),
    "jp_median": _c("Median JP", "Median JP", "angka", 1),
    "jp_per_asn": _c("JP per ASN", "JP per ASN", "angka", 1),
    "pct_di_bawah_20": _c("ASN di bawah 20 JP", "ASN below 20 JP", "fraksi", 1),
    "pct_jp_mandiri": _c("Porsi JP mandiri", "Share of self-sought JP", "fraksi", 1),
    "kelompok_jp": _c("Kelompok JP (12 bulan)", "JP group (12 months)"),
    "n_dilatih": _c("ASN dilatih", "ASN trained", "bilangan"),
    "n_pegawai_dilatih": _c("ASN dilatih", "ASN trained", "bilangan"),
    "n_treated": _c("ASN dilatih", "ASN trained", "bilangan"),
    "subkelompok": _c("Subkelompok", "Subgroup"),
    "flags": _c("Catatan estimasi", "Estimation notes"),
    "level": _c("Kelompok", "Group"),
    "relevansi": _c("Relevansi pelatihan", "Training relevance"),
    "sumber_pertama": _c("Sumber pelatihan pertama", "Source of the first training"),
    "jenis_jabatan": _c("Jenis jabatan", "Position type"),
    # --- feedback
    "n_sesi": _c("Jumlah sesi", "Sessions", "bilangan"),
    "sesi_per_asn": _c("Sesi per ASN", "Sessions per ASN", "angka", 2),
    "pct_asn_tanpa_sesi": _c("ASN tanpa sesi", "ASN without a session", "fraksi", 1),
    "pct_tanpa_umpan_balik": _c("ASN tanpa umpan balik", "ASN without feedback", "fraksi", 1),
    "pct_kualitas_buruk": _c("Umpan balik berkualitas buruk", "Poor-quality feedback", "fraksi", 1),
    "pct_skp_kosong": _c("ASN dengan SKP kosong", "ASN with an empty SKP", "fraksi", 1),
    "kualitas_rerata": _c("Rata-rata kualitas (1–5)", "Mean quality (1–5)", "angka", 2),
    "bentuk": _c("Bentuk umpan balik", "Feedback form"),
    # --- service
    "ikm": _c("IKM", "IKM", "angka", 2),
    "mutu": _c("Mutu pelayanan", "Service grade"),
    "kinerja": _c("Kinerja unit", "Unit performance"),
    "tepat_waktu_pct": _c("Layanan tepat waktu (%)", "Services on time (%)", "persen", 1),
    "jumlah_pengaduan": _c("Jumlah pengaduan", "Complaints", "bilangan"),
    "jumlah_layanan": _c("Jumlah layanan", "Services delivered", "bilangan"),
    "pengaduan_per_1000": _c(
        "Pengaduan per 1.000 layanan", "Complaints per 1,000 services", "angka", 2
    ),
    # --- data quality
    "rows_read": _c("Baris dibaca", "Rows read", "bilangan"),
    "rows_accepted": _c("Baris diterima", "Rows accepted", "bilangan"),
    "rows_rejected": _c("Baris ditolak", "Rows rejected", "bilangan"),
    "dibaca": _c("Baris dibaca", "Rows read", "bilangan"),
    "diterima": _c("Baris diterima", "Rows accepted", "bilangan"),
    "ditolak": _c("Baris ditolak", "Rows rejected", "bilangan"),
    "n_peringatan": _c("Peringatan", "Warnings", "bilangan"),
    "pct_diterima": _c("Persentase diterima", "Share accepted", "fraksi", 1),
    "aturan": _c("Aturan", "Rule"),
    "tingkat": _c("Tingkat", "Severity"),
    "n_masalah": _c("Jumlah masalah", "Problems", "bilangan"),
    "n_baris": _c("Jumlah baris", "Rows", "bilangan"),
    "baris_dipakai": _c("Baris yang dipakai", "Rows used", "bilangan"),
    "patuh": _c("Memenuhi ketentuan", "Meets the rule", "ya_tidak"),
    "selisih": _c("Selisih dari batas", "Distance from the limit", "fraksi", 1),
    "kriteria": _c("Kriteria", "Criterion"),
    # --- estimates (the tidy result columns)
    "term": _c("Besaran", "Quantity"),
    "estimate": _c("Perkiraan", "Estimate", "angka", 3),
    "std_error": _c("Galat baku (SE)", "Std. error", "angka", 3),
    "ci_low": _c("Batas bawah IK 95%", "95% CI, lower", "angka", 3),
    "ci_high": _c("Batas atas IK 95%", "95% CI, upper", "angka", 3),
    "p_value": _c("p", "p", "p"),
    "method": _c("Metode statistik", "Statistical method"),
    "estimate_sd": _c("Perkiraan (dalam SD)", "Estimate (in SD)", "angka", 2),
    "model": _c("Model", "Model"),
    "outcome": _c("Hasil yang diukur", "Outcome"),
    "odds_ratio": _c("Rasio odds", "Odds ratio", "angka", 3),
    "delta": _c("Batasan pada tren", "Restriction on the trend"),
    "breakdown": _c("Nilai batas (breakdown)", "Breakdown value", "angka", 3),
    "statistic": _c("Statistik uji", "Test statistic", "angka", 3),
    "df": _c("Derajat bebas", "Degrees of freedom", "angka", 0),
    "n_klaster": _c("Jumlah OPD (klaster)", "Units (clusters)", "bilangan"),
    "event_time": _c("Periode relatif", "Relative period", "bilangan"),
    "e": _c("Periode relatif", "Relative period", "bilangan"),
    "cband_low": _c("Batas bawah pita simultan", "Uniform band, lower", "angka", 3),
    "cband_high": _c("Batas atas pita simultan", "Uniform band, upper", "angka", 3),
    "crit_val": _c("Nilai kritis", "Critical value", "angka", 3),
    "pretrend_p": _c("Uji tren awal (p)", "Pre-trend test (p)", "p"),
    "p_adjusted": _c("p terkoreksi (Holm)", "p adjusted (Holm)", "p"),
    "breakdown_rm": _c(
        "Batas sensitivitas, besaran relatif (M)", "Breakdown, relative magnitudes (M)", "angka"
    ),
    "breakdown_sd": _c("Batas sensitivitas, kemulusan (M)", "Breakdown, smoothness (M)", "angka"),
    "desain": _c("Desain", "Design"),
    "tingkat_bukti": _c("Tingkat bukti", "Evidence"),
    "label": _c("Pengaruh", "Effect"),
    "hasil": _c("Hasil yang diukur", "Outcome"),
    "note": _c("Catatan", "Note"),
    "analysis": _c("Analisis", "Analysis"),
    "description": _c("Keterangan", "Description"),
    "k": _c("Penilai per ASN", "Raters per ratee", "angka", 1),
    "estimable": _c("Dapat diestimasi", "Estimable", "ya_tidak"),
    "icc1": _c("ICC satu penilai", "ICC, one rater", "angka", 2),
    "icc1k": _c("ICC rata-rata penilai", "ICC, mean of raters", "angka", 2),
    "alpha_k": _c("Alpha Krippendorff", "Krippendorff's alpha", "angka", 2),
    # --- survey
    "konstruk": _c("Konstruk", "Construct"),
    "item": _c("Kode butir", "Item"),
    "teks": _c("Pernyataan", "Statement"),
    "terbalik": _c("Butir terbalik", "Reverse-keyed", "ya_tidak"),
    "n_butir": _c("Jumlah butir", "Items", "bilangan"),
    "n_item": _c("Jumlah butir", "Items", "bilangan"),
    "n_min": _c("Jawaban terkecil per butir", "Fewest answers per item", "bilangan"),
    "r_hitung": _c("r hitung", "Item–total r", "angka", 3),
    "r_tabel": _c("r tabel", "Critical r", "angka", 3),
    "valid": _c("Valid", "Valid", "ya_tidak"),
    "alpha": _c("Alpha Cronbach", "Cronbach's alpha", "angka", 3),
    "omega": _c("Omega McDonald", "McDonald's omega", "angka", 3),
    "reliabel": _c("Reliabel", "Reliable", "ya_tidak"),
    "chi2": _c("Khi-kuadrat", "Chi-square", "angka", 2),
    "cfi": _c("CFI", "CFI", "angka", 3),
    "tli": _c("TLI", "TLI", "angka", 3),
    "rmsea": _c("RMSEA", "RMSEA", "angka", 3),
    "rmsea_ci_low": _c("RMSEA, batas bawah IK 90%", "RMSEA, 90% CI lower", "angka", 3),
    "rmsea_ci_high": _c("RMSEA, batas atas IK 90%", "RMSEA, 90% CI upper", "angka", 3),
    "srmr": _c("SRMR", "SRMR", "angka", 3),
    "srmr_nomean": _c("SRMR (tanpa rata-rata)", "SRMR (without means)", "angka", 3),
    "n_groups": _c("Jumlah kelompok", "Number of groups", "bilangan", 0),
    "masalah": _c("Masalah solusi", "Problems of the solution"),
    "omega_layak": _c("Omega dapat dihitung", "Omega computable", "ya_tidak", 0),
    "solusi_wajar": _c(
        "Solusi wajar (tanpa varians negatif)",
        "Proper solution (no negative variance)",
        "ya_tidak",
        0,
    ),
    "chi2_baseline": _c("Khi-kuadrat model dasar", "Baseline chi-square", "angka", 2),
    "df_baseline": _c("Derajat bebas model dasar", "Baseline degrees of freedom", "angka", 0),
    "n_param": _c("Jumlah parameter", "Parameters", "bilangan"),
    "converged": _c("Konvergen", "Converged", "ya_tidak"),
    "std_estimate": _c("Muatan terstandar", "Standardised loading", "angka", 3),
    "varians_residual": _c("Varians residual", "Residual variance", "angka", 3),
    "varians_residual_se": _c("SE varians residual", "SE of residual variance", "angka", 3),
    "r2": _c("R²", "R²", "angka", 3),
    "r2_adj": _c("R² disesuaikan", "Adjusted R²", "angka", 3),
    "z": _c("z", "z", "angka", 2),
    "t": _c("t", "t", "angka", 2),
    "f": _c("F", "F", "angka", 2),
    "f_p_value": _c("p (uji F)", "p (F test)", "p"),
    "f_method": _c("Uji F", "F test"),
    "df_model": _c("Derajat bebas model", "Model degrees of freedom", "angka", 0),
    "df_resid": _c("Derajat bebas residual", "Residual degrees of freedom", "angka", 0),
    "n_grup": _c("Jumlah kelompok", "Groups", "bilangan"),
    "delta_chi2": _c("Δ khi-kuadrat", "Δ chi-square", "angka", 2),
    "delta_df": _c("Δ derajat bebas", "Δ degrees of freedom", "angka", 0),
    "p_delta": _c("p (Δ khi-kuadrat)", "p (Δ chi-square)", "p"),
    "delta_cfi": _c("Δ CFI", "Δ CFI", "angka", 3),
    "delta_rmsea": _c("Δ RMSEA", "Δ RMSEA", "angka", 3),
    "delta_srmr": _c("Δ SRMR", "Δ SRMR", "angka", 3),
    "kesimpulan": _c("Kesimpulan", "Conclusion"),
    "uji": _c("Uji", "Test"),
    "interpretasi": _c("Tafsiran", "Interpretation"),
    # --- workbook info sheet
    "judul": _c("Judul", "Title"),
    "dibuat": _c("Dibuat", "Generated"),
    "checksum_data": _c("Sidik data (SHA-256)", "Data fingerprint (SHA-256)"),
    "versi_kinerja": _c("Versi perangkat lunak", "Software version"),
}

#: The seven BerAKHLAK values (SE MenPAN-RB 20/2021) and the survey constructs.
DIMENSIONS: dict[str, tuple[str, str]] = {
    "berorientasi_pelayanan": ("Berorientasi Pelayanan", "Service Orientation"),
    "akuntabel": ("Akuntabel", "Accountability"),
    "kompeten": ("Kompeten", "Competence"),
    "harmonis": ("Harmonis", "Harmony"),
    "loyal": ("Loyal", "Loyalty"),
    "adaptif": ("Adaptif", "Adaptability"),
    "kolaboratif": ("Kolaboratif", "Collaboration"),
    # survey constructs
    "motivasi": ("Motivasi kerja", "Work motivation"),
    "percaya_diri": ("Rasa percaya diri", "Self-confidence"),
    "penerimaan_sistem": ("Penerimaan sistem evaluasi", "Acceptance of the evaluation system"),
    "kualitas_umpan_balik": ("Kualitas umpan balik", "Feedback quality"),
    "relevansi_pelatihan": ("Relevansi pelatihan", "Training relevance"),
}

#: Result terms (``term`` of the tidy tables), model and outcome names.
TERMS: dict[str, tuple[str, str]] = {
    # effect terms (kinerja_analysis.analyses.training TERM_CS / TERM_TWFE)
    "att_cs": (
        "Rata-rata efek pada ASN yang dilatih (Callaway–Sant'Anna)",
        "Average effect on the trained (Callaway–Sant'Anna)",
    ),
    "twfe": ("Efek tetap dua arah (TWFE)", "Two-way fixed effects (TWFE)"),
    "ATT": ("Rata-rata efek pada yang menerima program", "Average effect on the treated"),
    # pre-trend tests (methods/did/pretrend.py, analyses/rollout.py)
    "pretrend_wald_event_time": (
        "Uji tren awal (Wald, menurut waktu relatif)",
        "Pre-trend test (Wald, by relative time)",
    ),
    "pretrend_wald_cells": ("Uji tren awal (Wald, per sel)", "Pre-trend test (Wald, by cell)"),
    "pretrend_mean_pre": (
        "Rata-rata sebelum penerapan (uji plasebo)",
        "Mean before the roll-out (placebo test)",
    ),
    # sensitivity (methods/did/sensitivity.py): the interval without a restriction
    "original": ("Interval tanpa batasan (asli)", "Interval without restriction (original)"),
    "n_umpan_balik_lag1": (
        "Sesi umpan balik periode sebelumnya",
        "Feedback sessions in the previous period",
    ),
    "n_baik_lag1": ("Sesi berkualitas baik, periode sebelumnya", "Good sessions, previous period"),
    "n_netral_lag1": (
        "Sesi berkualitas sedang, periode sebelumnya",
        "Fair sessions, previous period",
    ),
    "n_buruk_lag1": (
        "Sesi berkualitas buruk, periode sebelumnya",
        "Poor sessions, previous period",
    ),
    "n_baik_lag1-n_buruk_lag1": (
        "Selisih satu sesi baik dan satu sesi buruk, periode sebelumnya",
        "One good minus one poor session, previous period",
    ),
    "n_umpan_balik_lead1": (
        "Sesi umpan balik periode berikutnya (uji urutan waktu)",
        "Feedback sessions in the next period (timing test)",
    ),
    "pasca_latih": ("Sudah pernah dilatih", "Trained before"),
    "pasca_pelatihan_komunikasi": ("Sesudah pelatihan komunikasi", "After communication training"),
    "golongan_num": ("Golongan", "Grade"),
    "masa_kerja": ("Masa kerja (tahun)", "Years of service"),
    "perempuan": ("Perempuan", "Female"),
    "usia": ("Usia (tahun)", "Age (years)"),
    "const": ("Konstanta", "Intercept"),
    "Intercept": ("Konstanta", "Intercept"),
    "capaian": ("Capaian SKP", "SKP achievement"),
    # outcomes of the roll-out (layanan)
    "ikm": ("IKM (indeks 25–100)", "IKM (index 25–100)"),
    "tepat_waktu_pct": ("Layanan tepat waktu (%)", "Services on time (%)"),
    "pengaduan_per_1000": ("Pengaduan per 1.000 layanan", "Complaints per 1,000 services"),
    "skor_pelayanan": ("Skor perilaku berorientasi pelayanan", "Service-orientation score"),
    "ICC1": ("ICC(1): satu penilai", "ICC(1): one rater"),
    "ICC2": ("ICC(2): satu penilai, penilai acak", "ICC(2): one rater, random raters"),
    "ICC3": ("ICC(3): satu penilai, penilai tetap", "ICC(3): one rater, fixed raters"),
    "ICC1k": ("ICC(1,k): rata-rata penilai", "ICC(1,k): mean of raters"),
    "ICC2k": ("ICC(2,k): rata-rata penilai acak", "ICC(2,k): mean of random raters"),
    "ICC3k": ("ICC(3,k): rata-rata penilai tetap", "ICC(3,k): mean of fixed raters"),
    "alpha_interval": ("Alpha Krippendorff (interval)", "Krippendorff's alpha (interval)"),
    "alpha": ("Alpha Cronbach", "Cronbach's alpha"),
    # the effects of the narrative (keys of kinerja_analysis.reporting.narrative.EFFECT_KEYS)
    "pelatihan_difasilitasi": (
        "Pelatihan yang difasilitasi pemerintah daerah",
        "Training arranged by the government",
    ),
    "pelatihan_mandiri": ("Pelatihan mandiri", "Self-sought training"),
    "pelatihan_relevan": ("Pelatihan yang relevan", "Relevant training"),
    "pelatihan_tidak_sesuai": (
        "Pelatihan yang tidak sesuai kebutuhan jabatan",
        "Training that does not fit the job",
    ),
    "umpan_balik_baik": ("Umpan balik berkualitas baik", "Good-quality feedback"),
    "umpan_balik_buruk": ("Umpan balik berkualitas buruk", "Poor-quality feedback"),
    "penerapan_ikm": ("Penerapan sistem evaluasi → IKM", "Evaluation system → IKM"),
    "penerapan_tepat_waktu": (
        "Penerapan sistem evaluasi → ketepatan waktu",
        "Evaluation system → timeliness",
    ),
    "penerapan_pengaduan": (
        "Penerapan sistem evaluasi → pengaduan",
        "Evaluation system → complaints",
    ),
    "pelatihan_komunikasi": (
        "Pelatihan komunikasi → rasa percaya diri",
        "Communication training → self-confidence",
    ),
    "pelatihan_komunikasi_perilaku": (
        "Pelatihan komunikasi → perilaku pelayanan",
        "Communication training → service behaviour",
    ),
    # feedback models
    "dosis": ("Jumlah sesi", "Number of sessions"),
    "kualitas": ("Menurut kualitas sesi", "By session quality"),
    "kontras": ("Selisih baik − buruk", "Good minus poor"),
    "lead": ("Uji urutan waktu", "Timing test"),
    # reliability analyses
    "icc": ("Korelasi intrakelas", "Intraclass correlation"),
    "krippendorff": ("Alpha Krippendorff", "Krippendorff's alpha"),
    "cronbach": ("Alpha Cronbach", "Cronbach's alpha"),
    # invariance models
    "konfigural": ("Konfigural", "Configural"),
    "metrik": ("Metrik", "Metric"),
    "skalar": ("Skalar", "Scalar"),
    # regression assumption tests
    "normalitas_ks_lilliefors": (
        "Normalitas (Kolmogorov–Smirnov–Lilliefors)",
        "Normality (Kolmogorov–Smirnov–Lilliefors)",
    ),
    "normalitas_shapiro_wilk": ("Normalitas (Shapiro–Wilk)", "Normality (Shapiro–Wilk)"),
    "normalitas_jarque_bera": ("Normalitas (Jarque–Bera)", "Normality (Jarque–Bera)"),
    "multikolinearitas_vif": ("Multikolinearitas (VIF)", "Multicollinearity (VIF)"),
    "heteroskedastisitas_breusch_pagan": (
        "Heteroskedastisitas (Breusch–Pagan)",
        "Heteroskedasticity (Breusch–Pagan)",
    ),
    "heteroskedastisitas_white": ("Heteroskedastisitas (White)", "Heteroskedasticity (White)"),
    "autokorelasi_durbin_watson": (
        "Autokorelasi (Durbin–Watson)",
        "Autocorrelation (Durbin–Watson)",
    ),
}

#: Categorical values of the data contract and of the derived tables.
VALUES: dict[str, tuple[str, str]] = {
    # predikat (PermenPAN-RB 6/2022) and ratings
    "Sangat Baik": ("Sangat Baik", "Very Good"),
    "Baik": ("Baik", "Good"),
    "Butuh Perbaikan": ("Butuh Perbaikan", "Needs Improvement"),
    "Kurang/Misconduct": ("Kurang/Misconduct", "Poor/Misconduct"),
    "Sangat Kurang": ("Sangat Kurang", "Very Poor"),
    "Di Atas Ekspektasi": ("Di Atas Ekspektasi", "Above Expectations"),
    "Sesuai Ekspektasi": ("Sesuai Ekspektasi", "Meets Expectations"),
    "Di Bawah Ekspektasi": ("Di Bawah Ekspektasi", "Below Expectations"),
    # IKM categories (PermenPAN-RB 14/2017)
    "Kurang Baik": ("Kurang Baik", "Fair"),
    "Tidak Baik": ("Tidak Baik", "Poor"),
    # rater roles
    "atasan": ("Atasan", "Supervisor"),
    "rekan": ("Rekan kerja", "Peer"),
    "bawahan": ("Bawahan", "Subordinate"),
    "diri": ("Diri sendiri", "Self"),
    # training
    "teknis": ("Teknis", "Technical"),
    "fungsional": ("Fungsional", "Functional"),
    "manajerial": ("Manajerial", "Managerial"),
    "sosial_kultural": ("Sosial kultural", "Socio-cultural"),
    "klasikal": ("Klasikal", "Classroom"),
    "nonklasikal": ("Nonklasikal", "Non-classroom"),
    "difasilitasi": ("Difasilitasi pemerintah daerah", "Arranged by the government"),
    "mandiri": ("Mandiri (dicari sendiri)", "Self-sought"),
    "relevan": ("Relevan (kompetensi terlemah)", "Relevant (weakest competency)"),
    "lain": ("Nilai BerAKHLAK lain", "Another BerAKHLAK value"),
    "tidak_sesuai": ("Tidak sesuai kebutuhan jabatan", "Does not fit the job"),
    # position types
    "jpt": ("Pimpinan tinggi (JPT)", "Senior executive (JPT)"),
    "administrator": ("Administrator", "Administrator"),
    "pengawas": ("Pengawas", "Supervisor (pengawas)"),
    "pelaksana": ("Pelaksana", "Staff (pelaksana)"),
    # feedback forms and givers
    "dialog_kinerja": ("Dialog kinerja", "Performance dialogue"),
    "coaching": ("Coaching", "Coaching"),
    "mentoring": ("Mentoring", "Mentoring"),
    "tertulis": ("Tertulis", "Written"),
    # change of predikat
    "naik": ("Naik", "Up"),
    "turun": ("Turun", "Down"),
    "tetap": ("Tetap", "Unchanged"),
    # validation
    "tolak": ("Ditolak", "Rejected"),
    "peringatan": ("Peringatan", "Warning"),
    # evidence
    "jelas": ("Jelas", "Clear"),
    "indikatif": ("Indikatif", "Indicative"),
    "belum_ada_bukti": ("Belum ada bukti", "No evidence yet"),
    "kausal_did": ("Sebab-akibat (DiD)", "Causal (DiD)"),
    "kausal_fe": ("Sebab-akibat (efek tetap)", "Causal (fixed effects)"),
    "asosiasi": ("Hubungan (asosiasi)", "Association"),
    # restrictions of the sensitivity analysis (Rambachan & Roth 2023)
    "relative_magnitudes": ("Besaran relatif (M̄)", "Relative magnitudes (M̄)"),
    "smoothness": ("Kelancaran tren (M)", "Smoothness (M)"),
    # survey conclusions
    "terpenuhi": ("Terpenuhi", "Met"),
    "tidak terpenuhi": ("Tidak terpenuhi", "Not met"),
    "invarian": ("Invarian", "Invariant"),
    "tidak invarian": ("Tidak invarian", "Not invariant"),
    "pola sama": ("Pola faktor sama", "Same factor pattern"),
    # the data contract's tables
    "pegawai": ("Pegawai", "Employees"),
    "skp": ("SKP (hasil kerja)", "SKP (work results)"),
    "perilaku": ("Penilaian perilaku (360°)", "Behaviour ratings (360°)"),
    "penilaian_resmi": ("Penilaian kinerja resmi (e-Kinerja)", "Official ratings (e-Kinerja)"),
    # where the predikat of a document comes from (shared parameter sumber_predikat)
    "angka": ("Dihitung dari capaian SKP dan perilaku", "Computed from SKP and behaviour"),
    "resmi": ("Predikat resmi e-Kinerja", "Official e-Kinerja predikat"),
    "resmi_skp": (
        "Predikat resmi e-Kinerja (capaian SKP tersedia)",
        "Official e-Kinerja predikat (SKP achievement available)",
    ),
    "pelatihan": ("Pelatihan", "Training"),
    "umpan_balik": ("Umpan balik", "Feedback"),
    "layanan": ("Layanan publik", "Public services"),
    "penerapan": ("Penerapan sistem evaluasi", "Evaluation system roll-out"),
    "survei": ("Survei ASN", "ASN survey"),
    "survei_instrumen": ("Instrumen survei", "Survey instrument"),
    # units of the headline figures
    "orang": ("orang", "persons"),
    "skor 1–5": ("skor 1–5", "score 1–5"),
    "indeks 25–100": ("indeks 25–100", "index 25–100"),
    "JP/12 bulan": ("JP/12 bulan", "JP/12 months"),
    "fraksi": ("persen", "percent"),
    # the reward pool (facts)
    "Predikat Sangat Baik pada periode ini": (
        "Predikat Sangat Baik pada periode ini",
        "Rated Very Good in this period",
    ),
    "Predikat Sangat Baik dua periode berturut-turut": (
        "Predikat Sangat Baik dua periode berturut-turut",
        "Rated Very Good two periods in a row",
    ),
    "Hasil kerja di atas ekspektasi tanpa catatan perilaku": (
        "Hasil kerja di atas ekspektasi tanpa catatan perilaku",
        "Work results above expectations with no behaviour concern",
    ),
}

#: Flags of the Callaway–Sant'Anna cells carried into an aggregate (``flags``, comma
#: separated; :data:`kinerja_analysis.methods.did.attgt.FLAGS`).
FLAGS: dict[str, tuple[str, str]] = {
    "ps_small_cohort": (
        "kohort kecil: regresi hasil, bukan skor kecenderungan",
        "small cohort: outcome regression instead of the propensity score",
    ),
    "ps_separation": (
        "skor kecenderungan terpisah sempurna: regresi hasil",
        "propensity score separation: outcome regression",
    ),
    "covariates_dropped_in_cell": (
        "kovariat konstan di sebagian sel dikeluarkan",
        "a constant covariate was dropped in some cells",
    ),
    "no_controls": ("tanpa pembanding di sebagian sel", "no comparison units in some cells"),
}


def flag_label(flag: object, bahasa: fmt.Bahasa = "id") -> str:
    """One estimation flag in words (:data:`FLAGS`)."""
    return flags_label(str(flag), bahasa)


def flags_label(flags: object, bahasa: fmt.Bahasa = "id") -> str:
    """Comma-separated estimation flags in words, joined by "; " (unknown flag keys
    humanised). Text that is not a list of keys (a note in words) is returned as it is."""
    text = str(flags)
    keys = [k.strip() for k in text.split(",") if k.strip()]
    if not all(k in FLAGS or re.fullmatch(r"[a-z][a-z0-9_]*", k) for k in keys):
        return text
    return "; ".join(_pick(FLAGS[k], bahasa) if k in FLAGS else humanize(k) for k in keys)


#: Validation rules (``aturan`` of the validation report) and the predikat distribution
#: rules of SE MenPAN-RB 3/2023 (as :func:`kinerja_analysis.domain.predikat.check_distribution`
#: names them).
RULES: dict[str, tuple[str, str]] = {
    "kunci_unik": ("Baris ganda (kunci harus unik)", "Duplicate row (key must be unique)"),
    "nip_struktur": ("Struktur NIP", "NIP structure"),
    "nip_tanggal_lahir": (
        "NIP tidak cocok dengan tanggal lahir",
        "NIP does not match the birth date",
    ),
    "nip_tmt_cpns": ("NIP tidak cocok dengan TMT CPNS", "NIP does not match the CPNS start date"),
    "nip_jenis_kelamin": ("NIP tidak cocok dengan jenis kelamin", "NIP does not match the sex"),
    "target_positif": ("Target harus lebih dari nol", "Target must be above zero"),
    "tanggal_urut": ("Tanggal selesai sebelum tanggal mulai", "End date before start date"),
    "atasan_diri": ("Tercatat sebagai atasan sendiri", "Recorded as own supervisor"),
    "ikm_ada": ("IKM atau unsur u1–u9 kosong", "IKM or elements u1–u9 missing"),
    "tanggal_dalam_periode": ("Tanggal di luar periode", "Date outside the period"),
    "skala_butir": ("Jawaban di luar skala butir", "Answer outside the item scale"),
    "kolom_wajib": ("Kolom wajib kosong", "Required column empty"),
    "tipe": ("Tipe data salah", "Wrong data type"),
    "nilai_diizinkan": ("Nilai tidak diizinkan", "Value not allowed"),
    "rentang": ("Nilai di luar rentang", "Value out of range"),
    "periode": ("Kode periode tidak sah", "Invalid period code"),
    "Sangat Baik paling banyak 70%": (
        "Sangat Baik paling banyak 70%",
        "At most 70% Very Good",
    ),
    "Baik paling banyak 70%": ("Baik paling banyak 70%", "At most 70% Good"),
    "ada Butuh Perbaikan dan/atau Kurang/Misconduct (lebih dari 0%)": (
        "ada Butuh Perbaikan dan/atau Kurang/Misconduct (lebih dari 0%)",
        "some Needs Improvement and/or Poor/Misconduct (more than 0%)",
    ),
    "Butuh Perbaikan paling sedikit 60%": (
        "Butuh Perbaikan paling sedikit 60%",
        "At least 60% Needs Improvement",
    ),
    "Sangat Baik paling banyak 10%": ("Sangat Baik paling banyak 10%", "At most 10% Very Good"),
    "Kurang/Misconduct paling sedikit 60%": (
        "Kurang/Misconduct paling sedikit 60%",
        "At least 60% Poor/Misconduct",
    ),
    "Butuh Perbaikan paling sedikit 10%": (
        "Butuh Perbaikan paling sedikit 10%",
        "At least 10% Needs Improvement",
    ),
    "Sangat Kurang paling sedikit 60%": (
        "Sangat Kurang paling sedikit 60%",
        "At least 60% Very Poor",
    ),
    "Kurang/Misconduct dan/atau Butuh Perbaikan paling sedikit 10%": (
        "Kurang/Misconduct dan/atau Butuh Perbaikan paling sedikit 10%",
        "At least 10% Poor/Misconduct and/or Needs Improvement",
    ),
    "tidak ada Sangat Baik (0%)": ("tidak ada Sangat Baik (0%)", "no Very Good (0%)"),
}

#: Estimators as the ``method`` column of a result names them.
METHODS: dict[str, tuple[str, str]] = {
    "CS-DR/never_treated": (
        "Callaway–Sant'Anna doubly robust, pembanding ASN yang tidak pernah dilatih",
        "Callaway–Sant'Anna doubly robust, never-treated comparison",
    ),
    "Callaway–Sant'Anna (DR)": (
        "Callaway–Sant'Anna (doubly robust)",
        "Callaway–Sant'Anna (doubly robust)",
    ),
    "ETWFE (Wooldridge 2021), wild cluster bootstrap (Webb) per OPD": (
        "ETWFE (Wooldridge 2021), wild cluster bootstrap (Webb) per OPD",
        "ETWFE (Wooldridge 2021), wild cluster bootstrap (Webb) by unit",
    ),
    "FE pegawai + periode (pyfixest), SE klaster pegawai": (
        "Efek tetap pegawai dan periode, SE klaster per pegawai",
        "Employee and period fixed effects, SEs clustered by employee",
    ),
    "TWFE (FE pegawai + periode), SE cluster pegawai": (
        "TWFE (efek tetap pegawai dan periode), SE klaster per pegawai",
        "TWFE (employee and period fixed effects), SEs clustered by employee",
    ),
    "TWFE (efek tetap pegawai + periode)": (
        "TWFE (efek tetap pegawai dan periode)",
        "TWFE (employee and period fixed effects)",
    ),
    "ordered logit, SE klaster pegawai": (
        "Logit ordinal, SE klaster per pegawai",
        "Ordered logit, SEs clustered by employee",
    ),
    "cronbach_feldt_listwise": (
        "Alpha Cronbach (interval Feldt)",
        "Cronbach's alpha (Feldt interval)",
    ),
    "krippendorff_interval": ("Alpha Krippendorff (interval)", "Krippendorff's alpha (interval)"),
    "reml_crossed": (
        "Komponen varians REML (penilai silang)",
        "REML variance components (crossed raters)",
    ),
    "reml_one_way": ("Komponen varians REML (satu arah)", "REML variance components (one-way)"),
    "henderson3_crossed": ("Komponen varians Henderson III", "Henderson III variance components"),
    "korelasi butir-total terkoreksi (Pearson)": (
        "Korelasi butir-total terkoreksi (Pearson)",
        "Corrected item–total correlation (Pearson)",
    ),
    "original": ("Interval asli (tanpa batasan)", "Original interval (no restriction)"),
    "C-LF": ("Interval kondisional (C-LF)", "Conditional interval (C-LF)"),
    "FLCI": ("Interval panjang tetap (FLCI)", "Fixed-length interval (FLCI)"),
    "CFA multi-grup ML (periode)": (
        "CFA multi-kelompok ML (per periode)",
        "Multi-group ML CFA (by period)",
    ),
}


def method_label(method: object, bahasa: fmt.Bahasa = "id") -> str:
    """An estimator named in words (:data:`METHODS`; unknown names as given, keys humanised)."""
    m = str(method)
    if m in METHODS:
        return _pick(METHODS[m], bahasa)
    return m if "_" not in m else humanize(m)


#: Study parameters shown in a document's appendix.
PARAMETERS: dict[str, tuple[str, str]] = {
    "periode": ("Periode laporan", "Report period"),
    "sampai": ("Data dipakai sampai", "Data used up to"),
    "bahasa": ("Bahasa", "Language"),
    "min_sel": ("Kelompok terkecil yang ditampilkan (ASN)", "Smallest group shown (ASN)"),
    "opd": ("Cakupan", "Scope"),
    "seed": ("Benih acak (bootstrap)", "Random seed (bootstrap)"),
    "n_boot": ("Jumlah ulangan bootstrap", "Bootstrap draws"),
    "min_n": ("ASN dilatih paling sedikit per subkelompok", "Fewest trained ASN per subgroup"),
    "sumber_predikat": ("Sumber predikat", "Source of the predikat"),
}

#: Columns whose values are keys to be labelled (the rest are data, shown as they are).
_VALUE_COLUMNS: dict[str, str] = {
    "dimensi": "dimensi",
    "konstruk": "dimensi",
    "predikat": "nilai",
    "rating_hasil": "nilai",
    "rating_perilaku": "nilai",
    "kinerja": "nilai",
    "peran_penilai": "nilai",
    "jenis": "nilai",
    "sumber": "nilai",
    "sumber_pertama": "nilai",
    "metode": "nilai",
    "relevansi": "nilai",
    "jenis_jabatan": "nilai",
    "bentuk": "nilai",
    "pemberi": "nilai",
    "arah": "nilai",
    "tingkat": "nilai",
    "tingkat_bukti": "nilai",
    "desain": "nilai",
    "tabel": "nilai",
    "kriteria": "nilai",
    "kesimpulan": "nilai",
    "level": "nilai",
    "delta": "nilai",
    "flags": "tanda",
    "catatan": "tanda",
    "aturan": "aturan",
    "term": "istilah",
    "model": "istilah",
    "outcome": "istilah",
    "analysis": "istilah",
    "uji": "istilah",
    "method": "metode",
    "subkelompok": "kolom",
    "indikator": "kolom",
    "satuan": "nilai",
    "periode": "periode",
    "opd": "opd",
}

#: Total rows of per-OPD tables (the only ``opd`` values that are words, not data).
TOTAL_ROWS: dict[str, tuple[str, str]] = {
    "Seluruh OPD": ("Seluruh OPD", "All units"),
    "Semua OPD": ("Semua OPD", "All units"),
}

_EVENT_RE = re.compile(r"^e=(-?\d+)$")
_PERIOD_DUMMY_RE = re.compile(r"^periode_(.+)$")
_SESSION_RE = re.compile(r"^sesi_([a-z_]+)$")
_REFERENCE_RE = re.compile(r"^referensi:([a-z_]+)$")
#: Sensitivity terms of :mod:`kinerja_analysis.methods.did.sensitivity`: ``mbar=0.5``, ``m=0.01``.
_BOUND_RE = re.compile(r"^(mbar|m)=([-+0-9.eE]+)$")


def _pick(pair: tuple[str, str], bahasa: fmt.Bahasa) -> str:
    return pair[0] if bahasa == "id" else pair[1]


def humanize(key: object) -> str:
    """Last resort for a key with no entry: ``"kunci_unik"`` → ``"Kunci unik"``."""
    s = str(key).replace("_", " ").replace("=", ": ").strip()
    return s[:1].upper() + s[1:]


def column_label(key: str, bahasa: fmt.Bahasa = "id") -> str:
    """The header of column ``key`` (``"tepat_waktu_pct"`` → ``"Layanan tepat waktu (%)"``).

    Keys not in :data:`COLUMNS` are tried as dimensions and terms (a wide table has one
    column per BerAKHLAK value or construct), then ``sesi_<bentuk>``; anything else is
    humanised (underscores to spaces).
    """
    c = COLUMNS.get(key)
    if c is not None:
        return c.id if bahasa == "id" else c.en
    for table in (DIMENSIONS, TERMS, VALUES):
        if key in table:
            return _pick(table[key], bahasa)
    m = _SESSION_RE.match(str(key))
    if m:
        return ("Sesi " if bahasa == "id" else "Sessions: ") + value_label(m.group(1), bahasa)
    return humanize(key)


def column_kind(key: str) -> tuple[str, int]:
    """``(jenis, desimal)`` of column ``key`` (see :class:`Column`); unknown: ``("teks", 2)``."""
    c = COLUMNS.get(key)
    if c is not None:
        return c.jenis, c.desimal
    if str(key).startswith(("pct_", "persen")):
        return "fraksi", 1
    if str(key).startswith("n_"):
        return "bilangan", 0
    if str(key).startswith("sesi_") or key in DIMENSIONS:
        return "angka", 2
    return "teks", 2


def series_kind(key: str, s: pd.Series) -> tuple[str, int]:
    """:func:`column_kind` refined by the column's data: a column the registry does not
    know is ``ya_tidak`` when boolean, ``bilangan`` when integer, ``angka`` when numeric."""
    jenis, d = column_kind(key)
    if jenis == "teks" and pd.api.types.is_bool_dtype(s):
        jenis = "ya_tidak"
    elif jenis == "teks" and pd.api.types.is_integer_dtype(s):
        jenis = "bilangan"
    elif jenis == "teks" and pd.api.types.is_numeric_dtype(s):
        jenis = "angka"
    return jenis, d


def dimension_label(key: object, bahasa: fmt.Bahasa = "id") -> str:
    """A BerAKHLAK value or survey construct in words (``"berorientasi_pelayanan"`` →
    ``"Berorientasi Pelayanan"`` / ``"Service Orientation"``)."""
    pair = DIMENSIONS.get(str(key))
    return _pick(pair, bahasa) if pair else humanize(key)


def value_label(value: object, bahasa: fmt.Bahasa = "id") -> str:
    """A categorical value in words (predikat, roles, training types, tables…)."""
    v = str(value)
    for table in (VALUES, DIMENSIONS):
        if v in table:
            return _pick(table[v], bahasa)
    return v if "_" not in v else humanize(v)


def rule_label(rule: object, bahasa: fmt.Bahasa = "id") -> str:
    """A validation or distribution rule in words (``"kunci_unik"`` →
    ``"Baris ganda (kunci harus unik)"``; ``"referensi:pegawai"`` → ``"Tidak ada di tabel
    Pegawai"``)."""
    r = str(rule)
    if r in RULES:
        return _pick(RULES[r], bahasa)
    m = _REFERENCE_RE.match(r)
    if m:
        t = value_label(m.group(1), bahasa)
        return f"Tidak ada di tabel {t}" if bahasa == "id" else f"Not found in table {t}"
    return humanize(r)


def term_label(term: object, bahasa: fmt.Bahasa = "id") -> str:
    """A result term in words: named terms (:data:`TERMS`), ``e=k`` event times,
    ``column=value`` subgroups, ``periode_<kode>`` period dummies."""
    s = str(term)
    if s in TERMS:
        return _pick(TERMS[s], bahasa)
    m = _BOUND_RE.match(s)
    if m:
        v = float(m.group(2))
        digits = fmt.number(round(v, 3 if abs(v) < 1 else 2), None, bahasa)
        return f"{'M̄' if m.group(1) == 'mbar' else 'M'} = {digits}"
    m = _EVENT_RE.match(s)
    if m:
        k = int(m.group(1))
        if k == 0:
            return "Periode pelatihan/penerapan" if bahasa == "id" else "Period of treatment"
        n = fmt.number(abs(k), 0, bahasa)
        if bahasa == "id":
            return f"{n} periode {'sesudah' if k > 0 else 'sebelum'}"
        return f"{n} period{'s' if abs(k) > 1 else ''} {'after' if k > 0 else 'before'}"
    if "=" in s:
        return subgroup_label(*s.split("=", 1), bahasa)
    m = _PERIOD_DUMMY_RE.match(s)
    if m:
        try:
            return f"{column_label('periode', bahasa)}: {period_label(m.group(1), bahasa)}"
        except ValueError:
            pass
    if s in DIMENSIONS or s in VALUES:
        return value_label(s, bahasa)
    return s if "_" not in s else humanize(s)


def parameter_label(key: str, bahasa: fmt.Bahasa = "id") -> str:
    """A study parameter in words (``"min_sel"`` → ``"Kelompok terkecil yang ditampilkan"``)."""
    pair = PARAMETERS.get(key)
    return _pick(pair, bahasa) if pair else column_label(key, bahasa)


def label_values(df: pd.DataFrame, bahasa: fmt.Bahasa = "id") -> pd.DataFrame:
    """A copy of ``df`` whose categorical key values are words (columns unchanged).

    Values are labelled in the columns listed in the registry (``dimensi``, ``konstruk``,
    ``predikat``, ``term``, ``outcome``, ``aturan``, ``periode``…); ``subkelompok`` values
    name columns. Numbers and data values (OPD names) are left as they are.
    """
    out = df.copy()
    subgroup_terms = None
    if {"term", "subkelompok", "level"} <= set(map(str, out.columns)):
        # subgroup estimates: the term key (``opd=<ascii key>``) cannot be read back
        # into the data value it came from; the ``subkelompok``/``level`` columns can
        subgroup_terms = [
            subgroup_label(k, lv, bahasa) if isinstance(k, str) and pd.notna(lv) else None
            for k, lv in zip(out["subkelompok"], out["level"], strict=True)
        ]
    for col in out.columns:
        kind = _VALUE_COLUMNS.get(str(col))
        if (
            kind is None
            or pd.api.types.is_numeric_dtype(out[col])
            or pd.api.types.is_bool_dtype(out[col])
        ):
            continue
        fn = {
            "dimensi": dimension_label,
            "nilai": value_label,
            "aturan": rule_label,
            "istilah": term_label,
            "kolom": column_label,
            "periode": _period_or_text,
            "opd": _total_or_name,
            "metode": method_label,
            "tanda": flags_label,
        }[kind]
        s = out[col]
        mapped = {v: fn(v, bahasa) for v in pd.unique(s.dropna())}
        out[col] = s.astype(object).map(lambda v, m=mapped: m.get(v, v) if pd.notna(v) else v)
    if subgroup_terms is not None:
        out["term"] = [
            t if t is not None else v for t, v in zip(subgroup_terms, out["term"], strict=True)
        ]
    return out


def subgroup_label(kolom: str, level: object, bahasa: fmt.Bahasa = "id") -> str:
    """A subgroup in words: ``("jenis_jabatan", "pelaksana")`` → ``"Jenis jabatan:
    Pelaksana"``; a data value (an OPD name) is kept as it is."""
    v = str(level) if kolom in _DATA_VALUE_COLUMNS else value_label(level, bahasa)
    return f"{column_label(kolom, bahasa)}: {v}"


#: Columns whose values are data typed by a person (never looked up in the registry).
_DATA_VALUE_COLUMNS = frozenset({"opd", "unit_kerja", "nama_pelatihan"})


def _total_or_name(value: object, bahasa: fmt.Bahasa) -> str:
    pair = TOTAL_ROWS.get(str(value))
    return _pick(pair, bahasa) if pair else value  # type: ignore[return-value]


def _period_or_text(value: object, bahasa: fmt.Bahasa) -> str:
    try:
        return period_label(str(value), bahasa)
    except ValueError:
        return str(value)


def display_frame(
    df: pd.DataFrame, bahasa: fmt.Bahasa = "id", labels: Mapping[str, str] | None = None
) -> tuple[pd.DataFrame, dict[str, tuple[str, int]]]:
    """``df`` as a person reads it: values labelled (:func:`label_values`), headers from
    :func:`column_label` (``labels`` overrides), and the kind of each new header.

    Returns
    -------
    (DataFrame, dict)
        The labelled frame (numbers untouched) and ``{header: (jenis, desimal)}``.
    """
    out = label_values(df, bahasa)
    names: dict[str, str] = {}
    kinds: dict[str, tuple[str, int]] = {}
    used: set[str] = set()
    for c in out.columns:
        key = str(c)
        name = (labels or {}).get(key) or column_label(key, bahasa)
        while name in used:  # two keys with one label (n_obs/n): keep both, distinguish
            name = f"{name} ({humanize(key).lower()})"
        used.add(name)
        names[c] = name
        kind = series_kind(key, out[c])
        kinds[name] = ("ya_tidak", 0) if pd.api.types.is_bool_dtype(out[c]) else kind
    return out.rename(columns=names), kinds


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


#: Employment status of an ASN as a document names it (UU 20/2023).
STATUS_LABELS: dict[str, dict[str, str]] = {
    "id": {"pns": "PNS", "pppk": "PPPK", "pppk_paruh_waktu": "PPPK paruh waktu"},
    "en": {"pns": "PNS (civil servant)", "pppk": "PPPK (contract)",
           "pppk_paruh_waktu": "PPPK part-time"},
}  # fmt: skip


def column_labels(bahasa: fmt.Bahasa = "id") -> dict[str, str]:
    """Column headers of the report tables in ``bahasa`` (``{key: header}``)."""
    return {k: (v.id if bahasa == "id" else v.en) for k, v in COLUMNS.items()}


#: A machine key in visible text: a snake_case or ``key=value`` token.
RAW_KEY = re.compile(
    r"(?<![\w./#-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?:=[\w-]+)?(?![\w/.-]*\.\w{2,4}\b)"
)


def p_text(p: object, bahasa: fmt.Bahasa = "id") -> str:
    """A p-value as printed in a table: ``"<0,001"`` below 0.001, else 3 decimals."""
    if fmt.is_missing(p):
        return fmt.EMPTY
    v = float(p)  # type: ignore[arg-type]
    return "<" + fmt.number(0.001, 3, bahasa) if v < 0.001 else fmt.number(v, 3, bahasa)


def format_value(v: object, jenis: str, desimal: int = 2, bahasa: fmt.Bahasa = "id") -> str:
    """One cell written for a person, by the column's kind (:class:`Column`)."""
    if jenis == "ya_tidak":
        if fmt.is_missing(v):
            return fmt.EMPTY
        return ("ya" if v else "tidak") if bahasa == "id" else ("yes" if v else "no")
    if fmt.is_missing(v):
        return fmt.EMPTY
    if isinstance(v, str) or jenis == "teks" and not isinstance(v, int | float):
        return str(v)
    try:
        x = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(v)
    if jenis == "bilangan":
        return fmt.number(int(round(x)), 0, bahasa)
    if jenis == "fraksi":
        return fmt.percent(x, desimal, bahasa)
    if jenis == "p":
        return p_text(x, bahasa)
    return fmt.number(x, desimal, bahasa)
