"""The validator's messages: Indonesian by default, English with ``bahasa="en"``.

Every message an analyst reads about their data comes from :data:`MESSAGES` by key; the
loader stores the rendered text in the ``pesan`` column of
:attr:`~kinerja_analysis.data.loading.ValidationReport.issues` and the rule in ``aturan``.
The file, row, column and value of each message are separate columns, so a message never
needs to repeat them.

>>> MESSAGES("bulat"), MESSAGES("bulat", "en")
('harus bilangan bulat', 'must be a whole number')
"""

from __future__ import annotations

from kinerja_analysis.core.text import Bahasa, Catalog

__all__ = ["MESSAGES", "delimiter_shown", "message"]

_ID: dict[str, str] = {
    # ------------------------------------------------------------------ cell values
    "nip_hilang_digit": (
        "NIP tersimpan sebagai angka (notasi ilmiah/angka spreadsheet): digit hilang, "
        "tidak dapat dipulihkan; ekspor ulang kolom NIP sebagai teks"
    ),
    "nip_angka": (
        "NIP tersimpan sebagai angka di spreadsheet (kolom NIP bertipe angka, bukan teks; "
        "Excel hanya menyimpan 15 digit): digit terakhir hilang dan tidak dapat dipulihkan; "
        "format kolom NIP sebagai Teks di Excel lalu isi atau ekspor ulang NIP-nya"
    ),
    "angka_ribuan_koma": (
        "angka ambigu dalam file berdesimal '.': koma di antara kelompok tiga digit "
        "(mis. '1,960') bisa pemisah ribuan (1960) atau koma desimal (1,96); nyatakan "
        'format angka di file pemetaan: ribuan "," (desimal ".") atau desimal ","'
    ),
    "saran_tanggal": (
        "; {n} dari {m} nilai yang gagal berpola {pola}: nyatakan format tanggal di file "
        'pemetaan, format: {{tanggal: "{kode}"}} (berlaku untuk semua kolom tanggal file '
        "ini; nilai yyyy-mm-dd tetap terbaca)"
    ),
    "pola_serial": "angka",
    "saran_tanggal_banyak_pola": (
        "; nilai yang gagal memakai beberapa pola sekaligus ({pola}): format tanggal di "
        "file pemetaan hanya satu untuk seluruh file, jadi tidak dapat membaca semuanya; "
        "perbaiki ekspornya agar setiap kolom tanggal memakai satu pola (sebaiknya "
        "yyyy-mm-dd)"
    ),
    "saran_tanggal_ambigu": (
        "; {n} dari {m} nilai yang gagal berpola {pola_a} atau {pola_b} (hari dan bulan "
        "keduanya ≤ 12, urutannya tidak dapat dipastikan dari data): periksa sumber ekspor "
        'lalu nyatakan salah satunya di file pemetaan, format: {{tanggal: "{kode_a}"}} atau '
        '{{tanggal: "{kode_b}"}}'
    ),
    "saran_tanggal_campur": (
        "; nilai yang gagal bercampur {pola_a} dan {pola_b} (ada hari > 12 di kedua "
        "posisi): satu kolom memakai dua urutan tanggal; perbaiki di sumbernya"
    ),
    "saran_tanggal_serial": (
        "; {n} dari {m} nilai yang gagal berupa angka seri tanggal Excel (mis. {contoh} = "
        "{tanggal}): di Excel format kolom ini sebagai Tanggal lalu ekspor ulang"
    ),
    "saran_tanggal_serial_luar": (
        "; {n} dari {m} nilai yang gagal berupa angka (mis. {contoh}) di luar rentang yang "
        "dibaca sebagai angka seri tanggal Excel ({bawah}–{atas} dalam sistem tanggal "
        "{sistem}, yaitu {dari} s.d. {sampai}): angka 4 digit seperti 2024 tampaknya tahun "
        "saja, bukan tanggal; tulis tanggal lengkapnya"
    ),
    "tanggal_serial_dibaca": (
        "tanggal tertulis sebagai angka seri tanggal Excel, dibaca sebagai {tanggal}{jam} "
        "({sistem}); baris tetap dipakai: periksa tanggalnya, dan format kolom ini sebagai "
        "Tanggal di Excel sebelum ekspor berikutnya"
    ),
    "jam_diabaikan": ", jam {jam} diabaikan",
    "tanggal_jam_dibaca": (
        "tanggal dengan jam; dibaca sebagai {tanggal}, jam {jam} diabaikan (kolom ini "
        "berisi tanggal saja); baris tetap dipakai"
    ),
    "sistem_tanggal_1900": "sistem tanggal 1900 buku kerja ini",
    "sistem_tanggal_1904": "sistem tanggal 1904 buku kerja ini",
    "sistem_tanggal_diasumsikan": (
        "sistem tanggal 1900 diasumsikan: file {format} tidak menyimpan sistem tanggalnya; "
        "bila dibuat dari buku kerja bersistem 1904, tanggal sebenarnya 1462 hari (4 tahun "
        "1 hari) lebih lambat"
    ),
    "periode_celah": (
        "tidak ada data untuk {jenis} {celah} di antara periode pertama dan terakhir dataset "
        "({awal}–{akhir}); periksa apakah ekspor periode itu terlewat (perbandingan antar "
        "periode melompatinya)"
    ),
    "tabel_opsional_kosong": (
        "{file}: 0 dari {n} baris diterima; tabel {tabel} tidak dipakai (bagian yang "
        "memakainya menyebut datanya tidak tersedia, bukan nol); sebab utama: {sebab}"
    ),
    "tabel_periode_kosong": (
        "{file}: 0 dari {n} baris periode {periode} diterima; periode {periode} tidak "
        "dipakai; sebab utama: {sebab}"
    ),
    "alasan_tabel_kosong": "semua {n} baris {tabel} periode ini ditolak",
    "sebab_pegawai_ditolak": (
        "pegawainya ditolak di tabel pegawai ({k} pegawai), baris ini ikut disisihkan; "
        "mis.: {contoh}"
    ),
    "nip_18": "NIP harus 18 digit angka (atau aktifkan mode pseudonim untuk ID lain)",
    "bukan_angka": "bukan angka",
    "bukan_angka_format": "bukan angka menurut format angka (desimal '{desimal}', ribuan '{ribuan}')",
    "tak_berhingga": "bukan angka berhingga (inf/nan)",
    "angka_ribuan_ambigu": (
        "angka ambigu dalam file berdesimal '{desimal}': '{desimal}' di antara kelompok tiga "
        "digit (mis. '1{desimal}960') bisa tanda desimal atau pemisah ribuan (1960); "
        "nyatakan format angka di file pemetaan (desimal dan ribuan) atau tulis tanpa "
        "pemisah ribuan"
    ),
    "angka_desimal_koma": (
        "bukan angka dalam file berdesimal '.': tampaknya memakai koma desimal; perbaiki "
        'nilainya atau nyatakan desimal "," di file pemetaan'
    ),
    "bulat": "harus bilangan bulat",
    "tanggal": "tanggal tidak valid (format yang diharapkan {format})",
    "tanggal_serial": (
        "tanggal tertulis sebagai angka seri Excel; format sel sebagai tanggal atau teks "
        "(format yang diharapkan {format})"
    ),
    "bool": "bukan nilai ya/tidak (true/false, 1/0)",
    "isin": "nilai tidak diizinkan; yang boleh: {allowed}",
    "status_tak_dikenal": (
        "{pesan}; status dibaca dari NIP. Bila label ini berarti bukan ASN, tulis di file "
        "pemetaan: nilai: {{status_kepegawaian: {{{label}: bukan_asn}}}}"
    ),
    "in_range": "di luar rentang yang diizinkan ({low}–{high})",
    "ge": "di bawah nilai minimum",
    "le": "di atas nilai maksimum",
    "periode_format": (
        "format periode salah (YYYY-MM, YYYYQn, YYYYSn atau YYYY; dibaca juga mis. "
        "'2024-Q1', 'TW I 2024', 'Triwulan II 2024', 'Q3 2024', 'Semester 1 2024', "
        "'Januari 2024', 'Tahun 2024'); tulisan lain dapat dipetakan di file pemetaan, "
        'mis. tabel: {{{tabel}: {{nilai: {{periode: {{"Jan-Mar 2024": 2024Q1}}}}}}}}'
    ),
    "kosong": "nilai kosong (wajib diisi)",
    "tanpa_isi": (
        "nilai tanpa huruf atau angka, atau pengganti sel kosong (mis. '.', '-', 'N/A', '0'): "
        "bukan nama, dibaca sebagai sel kosong"
    ),
    "karakter_kontrol": (
        "nilai berisi karakter kontrol (mis. NUL \\x00): isi sel rusak atau file terpotong"
    ),
    "karakter_kontrol_dibersihkan": (
        "teks berisi karakter kontrol (mis. baris baru di dalam sel, tab, NUL, pengatur "
        "arah teks); baris baru dan tab menjadi spasi, karakter lain dihapus, dan baris "
        "tetap dipakai"
    ),
    "teks_rumus": (
        "teks berbentuk rumus spreadsheet (diawali '=', atau '+', '-', '@' diikuti fungsi "
        "atau alamat sel): kemungkinan rumus atau sisa rumus dalam ekspor, karena ceroboh "
        "atau disengaja; nilai tetap dipakai sebagai teks apa adanya dan tidak pernah "
        "menjadi rumus di keluaran; periksa sel ini di file sumber"
    ),
    "teks_galat_excel": (
        "teks berupa nilai galat spreadsheet (mis. #REF!, #VALUE!): nilai aslinya hilang "
        "karena rumusnya gagal saat ekspor; baris tidak dipakai, sama seperti sel galat "
        "dalam buku kerja Excel; perbaiki sel ini di file sumber dan ekspor ulang dengan "
        "nilainya"
    ),
    "opsional_dikosongkan": "{pesan} (kolom opsional: nilai dikosongkan, baris tetap dipakai)",
    # ------------------------------------------------------------------ rows and keys
    "kunci_unik": "duplikat kunci ({kunci}) dengan baris {baris}",
    "kunci_unik_identik": ("duplikat kunci ({kunci}): salinan identik baris {baris} - diabaikan"),
    "kunci_unik_beda": (
        "duplikat kunci ({kunci}), berbeda di kolom {kolom_beda} dari baris {baris}; baris "
        "{baris} dipakai, baris ini tidak"
    ),
    "kunci_unik_ditolak": (
        "kunci ({kunci}) sama dengan baris {baris}, yang ditolak (lihat pesannya); baris "
        "ini yang dipakai"
    ),
    "bukan_asn": (
        "bukan ASN - di luar cakupan (ASN = PNS dan PPPK, UU 20/2023): baris ini dan "
        "baris pegawai ini di tabel lain tidak dievaluasi; status tidak dibaca dari NIP"
    ),
    "kunci_unik_pemisah": (
        "duplikat kunci ({kunci}) dengan baris {baris}: '{nilai}' dan '{nilai_lain}' "
        "(baris {baris}) ditulis berbeda, tetapi menjadi NIP yang sama setelah pemisahnya "
        "(spasi, titik, tanda hubung, garis miring) dihapus"
    ),
    "kunci_unik_dibaca": (
        "duplikat kunci ({kunci}) dengan baris {baris}: '{nilai}' dan '{nilai_lain}' "
        "(baris {baris}) ditulis berbeda, tetapi dibaca sebagai nilai yang sama"
    ),
    "baris_rusak": (
        "baris berisi {n} kolom sedangkan header {m} kolom (pemisah {pemisah} di dalam "
        "nilai tanpa tanda kutip?); baris disisihkan"
    ),
    "baris_rusak_kurang": (
        "baris berisi {n} kolom sedangkan header {m} kolom (baris terpotong, atau baris "
        "baru di dalam sel tanpa tanda kutip yang memecah satu baris menjadi dua?); baris "
        "disisihkan"
    ),
    "sel_galat_excel": "sel berisi galat Excel {nilai}",
    "rumus_tanpa_nilai": (
        "sel {sel} berisi rumus tanpa nilai tersimpan (file disimpan tanpa dihitung "
        "ulang); buka dan simpan ulang di Excel"
    ),
    # ------------------------------------------------------------------ NIP / NI PPPK
    "nip_struktur": (
        "struktur NIP tidak valid (8 digit tanggal lahir, 6 digit TMT CPNS, 1 digit jenis "
        "kelamin, 3 digit urut)"
    ),
    "nip_struktur_pppk": (
        "struktur NI PPPK tidak valid (8 digit tanggal lahir, 4 digit tahun pengangkatan, "
        "kode 21, 1 digit jenis kelamin, 3 digit urut)"
    ),
    "nip_tanggal_lahir": (
        "tanggal lahir dalam NIP ({dalam_nip}) tidak sama dengan kolom tanggal_lahir ({kolom})"
    ),
    "nip_tmt_cpns": "TMT CPNS dalam NIP ({dalam_nip}) tidak sama dengan kolom tmt_cpns ({kolom})",
    "nip_tahun_pppk": (
        "tahun pengangkatan dalam NI PPPK ({dalam_nip}) tidak sama dengan tahun tmt_cpns "
        "(TMT PPPK, {kolom})"
    ),
    "nip_jenis_kelamin": (
        "digit jenis kelamin dalam NIP ({dalam_nip}) tidak sesuai jenis_kelamin ({kolom})"
    ),
    "nip_urut_000": (
        "nomor urut 000 tidak pernah diberikan: NIP ini kemungkinan terpotong Excel menjadi "
        "15 digit angka; ekspor ulang kolom NIP sebagai teks"
    ),
    "nip_urut_000_tabrakan": (
        "nomor urut 000 tidak pernah diberikan: NIP ini kemungkinan terpotong Excel menjadi "
        "15 digit angka dan sama 15 digit pertamanya dengan NIP baris {baris}; ekspor ulang "
        "kolom NIP sebagai teks"
    ),
    "nip_tabrakan_15": (
        "15 digit pertama NIP ini sama dengan NIP berakhiran 000 di baris {baris} "
        "(kemungkinan salinan yang terpotong Excel): periksa apakah dua pegawai bergabung"
    ),
    "status_nip": (
        "status_kepegawaian '{status}' tidak sesuai struktur nomor induk di kolom nip "
        "(struktur {jenis})"
    ),
    "golongan_status": (
        "golongan '{golongan}' bukan golongan {status} (PNS: I/a–IV/e; PPPK: I–XVII)"
    ),
    # ------------------------------------------------------------------ table rules
    "target_positif": "target harus > 0",
    "capaian_mustahil": (
        "realisasi {realisasi} sebesar {kali}× target {target}: tidak masuk akal; periksa "
        "salah ketik atau format angka (desimal/ribuan)"
    ),
    "angka_mustahil": "angka tidak masuk akal (|nilai| > {batas})",
    "tanggal_urut": "tanggal_selesai sebelum tanggal_mulai",
    "atasan_diri": "pegawai tercatat sebagai atasannya sendiri",
    "atasan_melingkar": "rantai atasan melingkar: {rantai}",
    "ikm_ada": "isi kolom ikm atau kesembilan unsur u1…u9",
    "tanggal_dalam_periode": "tanggal tidak berada di dalam periode baris ini",
    "skala_butir": "jawaban harus bilangan bulat {lo}–{hi}",
    "skala_urut": (
        "skala_max ({hi}) harus lebih besar dari skala_min ({lo}); yang kosong berarti 1 dan 5"
    ),
    "penilaian_isi": "isi predikat atau kedua rating (rating_hasil dan rating_perilaku)",
    "predikat_matriks": (
        "predikat '{predikat}' tidak sesuai matriks PermenPAN-RB 6/2022 untuk rating hasil "
        "'{hasil}' dan rating perilaku '{perilaku}' (seharusnya '{seharusnya}')"
    ),
    "tanggal_lahir_mustahil": (
        "tanggal lahir tidak masuk akal: usia {usia} tahun pada akhir periode dataset ({akhir})"
    ),
    "tmt_sebelum_lahir": (
        "tmt_cpns ({tmt}) tidak masuk akal terhadap tanggal lahir ({lahir}): usia saat "
        "diangkat {usia} tahun"
    ),
    "tanggal_masa_depan": (
        "tanggal sesudah akhir periode terakhir dataset ({akhir}): kemungkinan salah ketik"
    ),
    "tanggal_terlalu_lama": "tanggal sebelum tahun 1900: kemungkinan salah ketik",
    "tanggal_luar_rentang": (
        "tanggal di luar rentang yang masuk akal untuk data ini ({dari} s.d. {sampai}): "
        "kemungkinan salah ketik atau tanggal pengganti (mis. 31/12/9999 untuk 'tidak "
        "ada'); bukan soal format tanggal: periksa nilainya di file sumber"
    ),
    "pelatihan_sebelum_lahir": (
        "tanggal_mulai sebelum tanggal lahir pegawainya ({file} baris {baris}): tidak "
        "mungkin; periksa tanggal pelatihan ini atau tanggal_lahir di baris itu"
    ),
    "pelatihan_sebelum_tmt": (
        "pelatihan dimulai sebelum TMT pegawainya (tmt_cpns di {file} baris {baris}); baris "
        "tetap dipakai: bisa benar (pelatihan sebelum diangkat, mis. semasa tenaga honorer "
        "sebelum menjadi PPPK atau CPNS), bila tidak periksa tanggalnya atau tmt_cpns"
    ),
    "umpan_balik_sebelum_tmt": (
        "sesi umpan balik bertanggal sebelum TMT pegawainya (tmt_cpns di {file} baris "
        "{baris}); baris tetap dipakai: periksa tanggal ini atau tmt_cpns"
    ),
    "periode_sebelum_tmt": (
        "periode ini berakhir {akhir}, sebelum TMT pegawainya (tmt_cpns di {file} baris "
        "{baris}); baris tetap dipakai: periksa periode ini atau tmt_cpns"
    ),
    "keluar_sebelum_lahir": "tmt_keluar sebelum tanggal lahir ({lahir}): tidak mungkin",
    "keluar_sebelum_tmt": (
        "tmt_keluar sebelum tmt_cpns ({tmt}): pegawai tidak dapat keluar sebelum diangkat"
    ),
    "keluar_masa_depan": (
        "tmt_keluar sesudah akhir periode terakhir dataset ({akhir}): pegawai ini dihitung "
        "di setiap periode dataset; benar bila keluarnya memang sesudah itu (mis. SK pensiun "
        "yang sudah terbit), bila tidak periksa tanggalnya"
    ),
    "periode_sesudah_keluar": (
        "periode ini dimulai {mulai}, sesudah pegawainya keluar (tmt_keluar di {file} baris "
        "{baris}); baris tetap dipakai dan pegawai itu dihitung di periode ini: periksa "
        "periode ini atau tmt_keluar"
    ),
    "pelatihan_sesudah_keluar": (
        "pelatihan dimulai pada atau sesudah tanggal pegawainya keluar (tmt_keluar di {file} "
        "baris {baris}); baris tetap dipakai: periksa tanggalnya atau tmt_keluar"
    ),
    "umpan_balik_sesudah_keluar": (
        "sesi umpan balik bertanggal pada atau sesudah tanggal pegawainya keluar (tmt_keluar "
        "di {file} baris {baris}); baris tetap dipakai: periksa tanggal ini atau tmt_keluar"
    ),
    "penilai_sesudah_keluar": (
        "periode ini dimulai {mulai}, sesudah penilainya keluar (tmt_keluar di {file} baris "
        "{baris}); baris tetap dipakai: periksa penilai, periode ini atau tmt_keluar"
    ),
    "atasan_sesudah_keluar": (
        "atasan langsung ini sudah keluar (tmt_keluar di {file} baris {baris}) sebelum "
        "periode yang dimulai {mulai}, saat pegawai ini masih bekerja; baris tetap dipakai: "
        "periksa nip_atasan atau tmt_keluar keduanya"
    ),
    # ------------------------------------------------------------------ personal data
    "data_pribadi_nip": "memuat NIP pegawai ({file} baris {baris}); {akibat}",
    "data_pribadi_nip_sendiri": (
        "memuat NIP pegawai baris ini sendiri (isi kolom lain tampaknya bergeser ke sini); {akibat}"
    ),
    "data_pribadi_nip_bentuk": (
        "memuat angka berbentuk NIP (18 digit) yang tidak ada di {file}: NIP siapa pun "
        "adalah data pribadi; {akibat}"
    ),
    "data_pribadi_nama": "memuat nama pegawai ({file} baris {baris}); {akibat}",
    "data_pribadi_nama_sendiri": (
        "berisi nama pegawai baris ini sendiri (kolom nama tampaknya bergeser ke sini); {akibat}"
    ),
    "data_pribadi_terbit": (
        "kolom {kolom} tampil apa adanya di dokumen, jadi baris ditolak (nilai di sini disamarkan)"
    ),
    "data_pribadi_tidak_terbit": (
        "kolom {kolom} tidak tampil di dokumen, baris tetap dipakai: hapus NIP atau nama itu "
        "dari sel ini (nilai di sini disamarkan)"
    ),
    # ------------------------------------------------------------------ references
    "referensi": "{kolom} tidak dikenal: tidak ada dalam {apa}",
    "referensi_salinan": (
        "{kolom} tidak dikenal: tidak ada dalam {apa} yang dibaca; hanya ada di {file} "
        "baris {baris}, sheet yang tidak dibaca karena namanya menandai salinan atau arsip"
    ),
    "referensi_ditolak": (
        "pegawai dengan NIP ini ditolak di {file} baris {baris} ({alasan}); baris ini ikut "
        "disisihkan"
    ),
    "referensi_ditolak_peringatan": (
        "pegawai dengan NIP ini ditolak di {file} baris {baris} ({alasan})"
    ),
    "ejaan_nama": (
        "nama ini ditulis lain (huruf besar/kecil atau spasi) dari '{baku}' yang dipakai "
        "baris lain; dibaca sebagai '{baku}'"
    ),
    "periode_luar": "periode di luar periode dataset ({awal}–{akhir}, dari tabel {sumber})",
    "periode_tidak_dipakai": "periode {periode} tidak dipakai sebagai periode dataset: {alasan}",
    "alasan_periode_jenis": (
        "periode ini berfrekuensi lain ({jenis}) daripada periode dataset ({jenis_dataset}, "
        "frekuensi dengan baris terbanyak); satu dataset memakai satu frekuensi, periode "
        "{jenis} tidak dibagi atau digabung otomatis: agar datanya dipakai, ekspor ulang "
        "dengan periode {jenis_dataset}, atau pilih periode {jenis} dengan --periode (maka "
        "periode {jenis_dataset} yang ditolak)"
    ),
    "alasan_periode_sedikit": (
        "hanya {n} pegawai (periode lain: median {median}); terlalu sedikit untuk satu periode"
    ),
    "alasan_periode_depan": "belum dimulai (mulai {mulai})",
    "alasan_periode_tidak_diminta": "tidak termasuk periode yang ditetapkan ({periode_dataset})",
    # ------------------------------------------------------------------ structure
    "tabel_wajib_tidak_ada": (
        "Tabel wajib '{tabel}' tidak ditemukan di folder data (dicari {tabel}.csv, "
        "{tabel}.parquet, {tabel}.xlsx atau file yang disebut pemetaan; file di folder: "
        "{ada}). Sebutkan filenya dalam file pemetaan (YAML), mis. baris "
        'tabel: {{{tabel}: {{file: "<nama file>"}}}}{dasar}.'
    ),
    "saran_file_header": " File yang header-nya memuat semua kolom wajib tabel ini: {files}.",
    "dan_lainnya": " … dan {n} file lainnya",
    "saran_dasar": ", dan di atasnya baris dasar: {preset} (pemetaan ini memakai preset {preset})",
    "saran_file_header_tabel": " File yang header-nya memuat semua kolom wajib {tabel}: {files}.",
    "tabel_periode_tidak_ada": (
        "Tidak ada tabel skp maupun penilaian_resmi: dataset memerlukan salah satunya "
        "(capaian SKP numerik atau hasil resmi e-Kinerja)."
    ),
    "file_pemetaan_tidak_ada": (
        "File untuk tabel '{tabel}' yang disebut dalam pemetaan tidak ada: {file} "
        "(file di folder: {ada})"
    ),
    "tabel_ganda": "Tabel '{tabel}' ada dalam lebih dari satu file: {files}; sisakan satu.",
    "file_tidak_dibaca": (
        "file '{file}' di folder data tidak dibaca: namanya bukan nama tabel (mis. "
        "umpan_balik.csv) dan pemetaan kolom tidak menunjuknya; barisnya tidak ikut "
        "dianalisis. Ganti namanya atau tunjuk file ini dalam pemetaan (--mapping)."
    ),
    "file_cocok_tabel": " Header-nya memuat semua kolom wajib tabel {tabel}, yang belum ada.",
    "file_tidak_dibaca_pemetaan": (
        "file '{file}' di folder data tidak dibaca: pemetaan menunjuk file lain untuk "
        "tabel {tabel} ('{dipakai}'); barisnya tidak ikut dianalisis. Keluarkan file ini "
        "dari folder data bila memang tidak dipakai, atau tunjuk file ini untuk tabel "
        "{tabel} dalam pemetaan (--mapping)."
    ),
    "format_tidak_dibaca": (
        "file '{file}' bernama tabel, tetapi formatnya tidak dibaca (yang dibaca: {format}); "
        "tabel ini dianggap tidak ada. Simpan ulang sebagai CSV atau XLSX (Excel: Simpan "
        "Sebagai → Buku Kerja Excel .xlsx)."
    ),
    "kolom_wajib": (
        "kolom wajib tidak ada: {missing}. Kolom yang ada: {present}. Periksa nama kolom atau "
        "file pemetaan kolom."
    ),
    "file_kosong": "tabel kosong: file tanpa isi",
    "tabel_kosong_header": "tabel kosong: hanya baris header, tanpa baris data",
    "header_kosong": "baris header tidak ditemukan",
    "file_rusak": "file tidak dapat dibaca ({error})",
    "file_biner_tanda": (
        "file ini bukan file teks/CSV: isinya biner, diawali tanda file {jenis}; tidak "
        "dibaca sebagai tabel"
    ),
    "file_biner_kendali": (
        "file ini bukan file teks/CSV: isinya biner ({persen}% dari {n} karakter pertama "
        "adalah byte NUL atau karakter kontrol, mis. data acak, terkompresi atau rusak); "
        "tidak dibaca sebagai tabel"
    ),
    "file_rusak_saran": (
        "; simpan atau ekspor ulang file itu (mis. buka di Excel lalu Simpan Sebagai .xlsx)"
    ),
    "file_rusak_opsional": (
        "; file ini diberikan untuk tabel {tabel}, dan laporan tanpa isinya akan diam-diam "
        "berbeda: simpan atau ekspor ulang file itu (mis. buka di Excel lalu Simpan "
        "Sebagai .xlsx), atau keluarkan dari folder data dan pemetaan bila tabel ini memang "
        "tidak dipakai"
    ),
    "jenis_file": "jenis file tidak didukung ({suffix})",
    "file_sebenarnya_html": (
        "; file ini sebenarnya tabel HTML (halaman web) yang diberi nama file Excel, bukan "
        "buku kerja Excel: buka di Excel lalu Simpan Sebagai 'Buku Kerja Excel (.xlsx)' "
        "atau 'CSV UTF-8 (.csv)'"
    ),
    "file_xls_lama": (
        "; file ini buku kerja Excel 97-2003 (.xls), format lama yang tidak dibaca: buka di "
        "Excel lalu Simpan Sebagai 'Buku Kerja Excel (.xlsx)'"
    ),
    "file_sebenarnya_xls": (
        "; file ini sebenarnya buku kerja Excel 97-2003 (.xls): buka di Excel lalu Simpan "
        "Sebagai 'Buku Kerja Excel (.xlsx)'"
    ),
    "file_sebenarnya_xlsx": (
        "; file ini sebenarnya buku kerja Excel (.xlsx) dengan nama lain: ganti akhiran "
        "namanya menjadi .xlsx"
    ),
    "file_sebenarnya_zip": (
        "; file ini sebenarnya arsip ZIP: ekstrak isinya, lalu berikan file CSV atau XLSX "
        "di dalamnya"
    ),
    "file_sebenarnya_arsip": (
        "; file ini sebenarnya arsip terkompresi ({jenis}): ekstrak isinya, lalu berikan "
        "file CSV atau XLSX di dalamnya"
    ),
    "file_sebenarnya_pdf": (
        "; file ini sebenarnya dokumen PDF, bukan tabel data: minta ekspor CSV atau XLSX "
        "dari aplikasi sumbernya"
    ),
    "file_sebenarnya_parquet": (
        "; file ini sebenarnya file Parquet: ganti akhiran namanya menjadi .parquet"
    ),
    "file_teks_unicode": (
        "; file ini teks Unicode (UTF-16, kolom dipisah tab) seperti yang ditulis Excel "
        "lewat Simpan Sebagai 'Teks Unicode (.txt)': ganti akhiran namanya menjadi .csv "
        "(isinya dibaca apa adanya), atau simpan sebagai 'CSV UTF-8 (.csv)'"
    ),
    "sheet_tidak_ada": "sheet '{sheet}' tidak ada; sheet yang ada: {sheets}",
    "sheet_dipilih": "sheet '{sheet}' dipakai (kolomnya paling cocok); sheet dalam file: {sheets}",
    "sheet_digabung": (
        "sheet {daftar} (jumlah baris data) memuat kolom tabel ini: semuanya dibaca dan "
        "barisnya digabung berurutan; nomor baris dalam pesan berlaku di sheet yang disebut "
        "bersama nama file, mis. '{contoh}' baris {baris}. Sheet dalam file: {sheets}"
    ),
    "sheet_beda_kolom": (
        "sheet yang dibaca tidak berkolom sama; kolom yang tidak ada di sebuah sheet kosong "
        "pada baris sheet itu: {beda}. Periksa bahwa kolom itu memang tidak diisi di sheet "
        "tersebut (mis. TMT Keluar hanya di sheet pegawai pensiun); bila sebuah sheet bukan "
        "bagian tabel ini, tulis sheet yang dibaca di file pemetaan "
        '(tabel: {{{tabel}: {{sheet: "..."}}}})'
    ),
    "sheet_salinan": (
        "sheet '{salinan}' memuat baris yang sama dengan sheet '{sheet}' ({n} dari {m} kunci "
        "[{kunci}] sama, {n_beda} di antaranya berbeda isi; {n_hanya} kunci hanya ada di "
        "sheet '{salinan}') dan namanya menandai salinan atau arsip: sheet itu TIDAK "
        "dibaca; yang dibaca sheet '{sheet}'. Bila sheet "
        "'{salinan}' yang benar, tulis di file pemetaan: "
        '(tabel: {{{tabel}: {{sheet: "{salinan}"}}}})'
    ),
    "sheet_isi_sama": (
        "sheet '{salinan}' hanya memuat baris yang juga ada, sama persis, di sheet '{sheet}' "
        "({n} kunci [{kunci}]): tidak dibaca dua kali"
    ),
    "sheet_salinan_ragu": (
        "sheet {daftar} (jumlah baris) memuat baris yang sama ({n} dari {m} kunci [{kunci}] "
        "sama): "
        "tampaknya salinan satu tabel, dan dari file tidak dapat diketahui mana yang "
        "berlaku, maka tabel ini tidak dibaca. Tulis sheet yang dibaca di file pemetaan, mis. "
        '(tabel: {{{tabel}: {{sheet: "{sheet}"}}}}), atau beri sheet salinan nama yang '
        "menandainya (mis. '... (lama)' atau 'Backup ...')"
    ),
    "baris_header_ulang": (
        "{n} baris mengulang header di tengah data (baris {baris}; tabel yang dicetak atau "
        "dikonversi per halaman): dilewati, bukan data"
    ),
    "baris_tersembunyi": (
        "{n} baris tersembunyi di Excel{di} ikut dibaca sebagai data (baris {baris}); baris "
        "yang disembunyikan atau tersaring tetap bagian dari tabel"
    ),
    "kolom_tersembunyi_ganda": (
        "kolom {huruf} ('{header}'){di} tersembunyi di Excel dan dibaca sebagai kolom yang "
        "sama ({kolom}) dengan kolom {pakai} ('{header_pakai}') yang tampak: kolom {huruf} "
        "TIDAK dibaca, yang dibaca kolom {pakai}. Bila "
        "kolom {huruf} yang benar, tampilkan (Unhide) dan sembunyikan kolom {pakai}"
    ),
    "kolom_tersembunyi_dibaca": (
        "kolom {huruf} ('{header}') tersembunyi di Excel tetapi dibaca sebagai {kolom}"
    ),
    "baris_nomor_kolom": (
        "baris {baris}{di} berisi nomor kolom ((1), (2), … seperti pada tabel dinas) di bawah "
        "header: dilewati, bukan data"
    ),
    "sheet_kurang_kolom": (
        "sheet '{sheet_lain}' tampaknya bagian tabel ini, tetapi tidak memuat kolom wajib "
        "{kurang} (tata letak lain?): barisnya TIDAK dibaca; yang dibaca sheet '{sheet}'. "
        "Beri sheet itu kolom yang sama, atau petakan header-nya di file pemetaan "
        '(tabel: {{{tabel}: {{kolom: {{"Header di file": nama_kolom}}}}}})'
    ),
    "sheet_tabel_lain": (
        "sheet {daftar} juga memuat kolom wajib tabel ini, tetapi kolomnya lebih cocok "
        "dengan tabel yang disebut: tidak digabung ke tabel ini"
    ),
    "sheet_sangat_tersembunyi": (
        "sheet {daftar} disembunyikan sebagai 'very hidden' (tidak muncul di daftar Unhide "
        "Excel) dan memuat kolom wajib tabel ini: barisnya TIDAK dibaca. Bila barisnya bagian "
        'dari tabel ini, tulis di file pemetaan (tabel: {{{tabel}: {{sheet: ["{sheet}", "{contoh}"]}}}}) '
        "untuk membaca keduanya, atau salin barisnya ke sheet yang tampak"
    ),
    "sheet_dipilih_tersembunyi": (
        "sheet '{sheet}' tersembunyi di Excel, tetapi dibaca: tidak ada sheet tampak yang "
        "memuat kolom tabel ini"
    ),
    "sheet_tidak_dipetakan": (
        "file pemetaan membaca sheet {dibaca} saja; sheet {daftar} juga memuat kolom wajib "
        "tabel ini dan TIDAK dibaca. Bila barisnya bagian dari tabel ini, sebut semuanya di "
        'pemetaan (tabel: {{{tabel}: {{sheet: [{dibaca}, "..."]}}}})'
    ),
    "sheet_contoh": (
        "sheet {daftar} memuat kolom wajib tabel ini, tetapi namanya menandai contoh atau "
        "templat pengisian: barisnya TIDAK dibaca. Bila barisnya data sungguhan, ganti nama "
        "sheet itu agar dibaca dan digabung, atau tulis di file pemetaan (tabel: {{{tabel}: "
        '{{sheet: ["{sheet}", "{contoh}"]}}}}) untuk membaca keduanya'
    ),
    "sheet_tersembunyi": (
        "sheet {daftar} tersembunyi (hidden) dan memuat kolom wajib tabel ini: barisnya TIDAK "
        "dibaca (sheet tersembunyi biasanya arsip atau salinan). Bila barisnya bagian dari "
        "tabel ini, tampilkan sheet itu di Excel (Unhide) agar dibaca dan digabung, atau "
        'tulis di file pemetaan (tabel: {{{tabel}: {{sheet: ["{sheet}", "{contoh}"]}}}}) untuk '
        "membaca keduanya"
    ),
    "sel_gabungan_diisi": (
        "{n} rentang sel gabungan di area data, kolom '{header}' (kolom {huruf}){di}: "
        "{ranges}; nilainya hanya tersimpan di sel teratas, tetapi Excel menampilkannya di "
        "setiap baris rentangnya, maka nilai itu diisikan ke setiap baris rentangnya; "
        "periksa bahwa nilainya memang berlaku untuk semua baris itu (lebih baik: batalkan "
        "penggabungan sel di Excel lalu isi nilainya ke bawah)"
    ),
    "header_digabung": "sel header digabung ({ranges}): nama kolom diambil dari sel gabungan",
    "baca_utf16": "file berpengodean {encoding} (bukan UTF-8); dibaca sebagai {encoding}",
    "baca_utf32": "file berpengodean {encoding} (bukan UTF-8); dibaca sebagai {encoding}",
    "baca_cp1252": "file bukan UTF-8; dibaca sebagai Windows-1252",
    "baca_utf8_cp1252": (
        "file UTF-8 ini memuat byte yang bukan UTF-8; byte itu dibaca sebagai Windows-1252, "
        "teks lainnya tetap UTF-8"
    ),
    "baris_rusak_posisi": "nomor baris dari baris yang rusak tidak dapat dipastikan",
    "kolom_ganda_sama": "kolom '{kolom}' muncul lebih dari sekali ({posisi}); isinya sama, dipakai satu",
    "kolom_ganda_beda": (
        "kolom '{kolom}' muncul lebih dari sekali ({posisi}) dengan isi berbeda di {n} "
        "baris (baris {baris}); kolom ini hanya dapat dibaca dari satu kolom file: pilih "
        "satu dan abaikan yang lain di file pemetaan, mis. untuk membaca {pakai}: tabel: "
        "{{{tabel}: {{abaikan: [{header}]}}}}"
    ),
    "kolom_ganda_beda_nama_sama": (
        "kolom '{kolom}' muncul lebih dari sekali dengan header yang sama ({posisi}) dan "
        "isi berbeda di {n} baris (baris {baris}); pemetaan tidak dapat memilih satu dari "
        "dua header yang sama: ganti nama header kolom yang salah di salinan file ekspor "
        "(header yang tidak dikenal tidak dipakai)"
    ),
    "kolom_ganda_pertama": (
        "kolom '{kolom}' muncul lebih dari sekali dengan header yang sama ({posisi}) dan "
        "isi berbeda di {n} baris (baris {baris}): dipakai kolom {huruf} (yang pertama), "
        "kolom {lain} tidak dipakai; bila yang benar kolom lain, ganti nama header kolom "
        "yang salah di salinan file ekspor"
    ),
    "kolom_ganda_bentrok_ringkas": (
        "kolom '{kolom}' muncul lebih dari sekali ({posisi}): digabung, setiap baris dari "
        "kolom yang berisi (isi seperti '-' dihitung kosong); di {n} baris isinya berbeda "
        "(baris {baris}): sel itu dikosongkan, dengan peringatan per baris. Bila hanya satu "
        "kolom yang benar, abaikan yang lain di file pemetaan, mis. untuk membaca {pakai}: "
        "tabel: {{{tabel}: {{abaikan: [{header}]}}}}"
    ),
    "kolom_ganda_bentrok": (
        "kolom {posisi} berisi nilai berbeda di baris ini (nilai: berurutan menurut kolom)"
    ),
    "kolom_tidak_dipakai": (
        "{n} kolom tidak dipakai (kontrak tabel {tabel} dan pemetaan tidak mengenalnya): {daftar}"
    ),
    "kolom_diabaikan": "kolom diabaikan sesuai pemetaan (abaikan): {daftar}",
    "kolom_wajib_diabaikan": (
        "Kolom wajib itu ada di file, tetapi diabaikan oleh pemetaan: {daftar} tertulis "
        "dalam abaikan tabel {tabel}; hapus {header} dari daftar abaikan itu."
    ),
    "abaikan_tidak_ada": "header dalam abaikan tabel {tabel} tidak ada di file ini: {daftar}",
    "kolom_mirip": (
        "kolom {header} (kolom {huruf}) tidak dipakai, padahal kolom {jenis} {kolom} tidak "
        "ada di file ini; mungkin itulah kolomnya (kata yang sama: {kata}). Bila benar, "
        "petakan di file pemetaan: tabel: {{{tabel}: {{kolom: {{{header_yaml}: {kolom}}}}}}}"
        "{dasar}; bila bukan, tulis tabel: {{{tabel}: {{abaikan: [{header_yaml}]}}}} agar "
        "peringatan ini tidak muncul lagi"
    ),
    "jenis_wajib": "wajib",
    "jenis_opsional": "opsional",
    "daftar_dipendekkan": " … (daftar lengkap di masalah_struktur.csv dan validasi.xlsx: --out)",
    "kolom_ganda_digabung": (
        "kolom '{kolom}' muncul lebih dari sekali ({posisi}), tidak pernah dengan isi "
        "berbeda di satu baris: digabung, setiap baris dari kolom yang berisi"
    ),
    "survei_berpasangan": (
        "tabel survei dan survei_instrumen harus ada bersama-sama; {ada} dilewati"
    ),
    "tabel_opsional_dilewati": "tabel opsional tidak dipakai karena masalah di atas",
    "tabel_periode_dilewati": (
        "tabel {tabel} tidak dipakai karena masalah di atas (salah satu dari {tabel_lain} "
        "wajib ada dan dapat dipakai)"
    ),
    "tabel_wajib_rusak": "tabel wajib tidak dapat dipakai karena masalah di atas",
    "tidak_ada_diterima": (
        "{file}: 0 dari {n} baris diterima, data tidak dapat dipakai; sebab utama: {sebab}"
    ),
    "sebab_ringkas": "kolom {kolom}, {n} baris (mis. nilai {nilai}): {pesan}",
    "tabel_banyak_ditolak": (
        "{file}: {k} dari {n} baris ({persen}%) ditolak; hasil dari data ini hanya mencakup "
        "{m} baris sisanya. Sebab utama: {sebab}. Periksa sebab itu sebelum menerbitkan "
        "laporan"
    ),
    "tabel_tanpa_baris": "{file}: tabel {tabel} hanya berisi header, tanpa baris data",
    "tidak_ada_periode": "tidak ada periode yang valid; dataset tidak dapat dipakai",
    "periode_tidak_valid": "kode periode tidak valid: {kode}",
    "baris_kosong": "{n} baris kosong dilewati",
    "format_angka_terdeteksi": (
        "angka teks ditulis dengan desimal '{desimal}' dan ribuan '{ribuan}' (terdeteksi dari isi)"
    ),
    "rujukan_tidak_diperiksa": (
        "rujukan ke pegawai tidak dapat diperiksa karena tabel pegawai tidak dapat dipakai"
    ),
    "pseudonim": "Pemeriksaan struktur NIP dimatikan: ID pegawai adalah pseudonim.",
    "opsional_tidak_ada": "Tabel opsional tidak tersedia: {tabel}.",
    "status_dari_nip": (
        "Status kepegawaian (PNS/PPPK) tidak ada di data: ditentukan dari struktur nomor induk (kode 21 = PPPK)"
    ),
    "status_sebagian_dari_nip": (
        "Status kepegawaian kosong atau tidak dikenal pada {n} baris pegawai: ditentukan dari "
        "struktur nomor induk (kode 21 = PPPK; PPPK paruh waktu tidak dapat dibedakan)"
    ),
    # ------------------------------------------------------------------ mapping file
    "pemetaan_tidak_ada": "File pemetaan kolom tidak ditemukan: {file}",
    "folder_tidak_ada": "Folder data tidak ditemukan: {folder}",
    "folder_berupa_file": (
        "{folder} adalah sebuah file, bukan folder: yang diminta folder data (yang berisi "
        "pegawai.csv, skp.csv, …), mungkin {induk}"
    ),
    # ------------------------------------------------------------------ what was asked for
    "folder_data_parameter": "Folder data tidak ditemukan: {folder} (ubah parameter data_dir)",
    "keluaran_di_data": (
        "Folder keluaran validasi tidak boleh berada di dalam folder data mentah ({folder}); "
        "pilih folder lain."
    ),
    "kode_periode": "{value!r} bukan kode periode (contoh: 2025-03, 2025Q1, 2025S1, 2025)",
    "periode_tidak_ada_data": "periode {periode} tidak ada dalam data (tersedia: {tersedia})",
    "opd_tidak_ada": "OPD {opd!r} tidak ada dalam data pegawai",
    "keluaran_notebook_di_data": (
        "{path} berada di dalam folder data mentah ({folder}); data mentah tidak pernah "
        "diubah: pilih folder lain (parameter output_dir atau path workbook)."
    ),
    "pemetaan_utf8": "{file}: file pemetaan harus UTF-8 ({alasan})",
    "pemetaan_yaml": "{file}: YAML tidak valid: {alasan}",
    "pemetaan_preset_tidak_ada": "Preset pemetaan {nama} tidak ada; yang ada: {ada}",
    "pemetaan_nilai": "{file}: kunci '{kunci}' bernilai {nilai}; yang diharapkan: {harapan}",
    "harapan_pemetaan": "pemetaan (kunci: nilai)",
    "pemetaan_kunci_asing": "{file}: kunci tidak dikenal '{kunci}'; yang boleh: {boleh}",
    "pemetaan_masalah": "{n} masalah dalam file pemetaan {file}:",
    "harapan_tabel": "nama tabel kontrak ({ada})",
    "harapan_dasar": "nama preset yang disertakan ({ada}); path file tidak diterima",
    "harapan_tanggal": 'teks format tanggal dengan kode strftime, mis. "%d/%m/%Y"',
    "harapan_desimal": '"." atau ","',
    "harapan_ribuan": '"" (tanpa), ".", ",", " " atau "\'"',
    "harapan_ribuan_beda": "pemisah ribuan yang berbeda dari tanda desimal",
    "harapan_pemisah": 'satu karakter pemisah kolom, mis. ",", ";", "|" atau tab',
    "harapan_encoding": 'nama encoding teks, mis. "utf-8", "utf-16", "cp1252"',
    "harapan_baris_header": "bilangan bulat ≥ 1 (baris header; 1 = baris pertama)",
    "harapan_file": "nama file (teks) di folder data",
    "harapan_file_dalam": (
        "path relatif di dalam folder data (bukan path absolut, bukan '..' ke luar folder, "
        "bukan URL)"
    ),
    "harapan_sheet": (
        "nama sheet (teks, atau '#n' untuk sheet ke-n), nomor sheet (bilangan bulat ≥ 0, "
        "0 = pertama), atau daftar sheet"
    ),
    "harapan_kolom_tujuan": "nama kolom kontrak (teks){saran}",
    "harapan_kolom_kontrak": "kolom kontrak tabel ini ({ada}){saran}",
    "saran_abaikan": (
        "; header yang tidak dibaca ditulis di daftar abaikan tabelnya, mis. tabel: "
        "{{{tabel}: {{abaikan: [{header}]}}}}"
    ),
    "harapan_abaikan": (
        "daftar header (teks) yang tidak dibaca, mis. tabel: {{{tabel}: {{abaikan: [{contoh}]}}}}"
    ),
    "harapan_abaikan_kolom": (
        "header yang tidak sekaligus dipetakan di tabel.{tabel}.kolom (header ini ada di "
        "kolom dan di abaikan; hapus salah satunya)"
    ),
    "harapan_label": "label (teks atau angka) → nilai kanonik (teks atau angka)",
    "file_di_luar_folder": (
        "File untuk tabel '{tabel}' dalam pemetaan berada di luar folder data: {file}; "
        "hanya file di dalam folder data yang dibaca"
    ),
    # ------------------------------------------------------------------ summary words
    "sebab_ditolak": "{file} baris {baris} ditolak ({alasan}) → {akibat}",
    "sebab_ditolak_sel": (
        "{file} baris {baris} ditolak (kolom {kolom}, nilai {nilai}: {alasan}) → {akibat}"
    ),
    "sebab_ditolak_kelompok": (
        "{file} ({baris}) ditolak (kolom {kolom}, {nilai}: {alasan}) → {akibat}"
    ),
    "nilai_satu": "nilai {nilai}",
    "sebab_periode": "periode {periode} tidak dipakai ({alasan}) → {akibat}",
    "sebab_salinan": (
        "{sheet} tidak dibaca (namanya menandai salinan atau arsip), padahal hanya sheet itu "
        "memuat NIP pegawainya → {akibat}"
    ),
    "sebab_baris": "{file} baris {baris}",
    "sebab_periode_kode": "periode {periode}",
    "akibat_tolak": "{n} baris terkait disisihkan ({rincian})",
    "akibat_peringatan": "{n} peringatan terkait ({rincian})",
    "cara_baca_judul": "Cara membaca file",
    "status_ok": "dipakai",
    "status_dilewati": "dilewati (lihat masalah struktur)",
    "status_tidak_dapat_dipakai": "tidak dapat dipakai (lihat masalah struktur)",
    "cara_baca_baris": "{file}: {cara}",
    "terdeteksi_daftar": " (terdeteksi: {daftar})",
    "tingkat_tolak": "tolak",
    "tingkat_peringatan": "peringatan",
    "tingkat_fatal": "fatal",
    "tingkat_info": "info",
    "kata_encoding": "encoding",
    "kata_pemisah": "pemisah",
    "kata_baris_header": "baris header",
    "kata_sheet": "sheet",
    "kata_desimal": "desimal",
    "data_tidak_dapat_dipakai": "Data tidak dapat dipakai",
    "ringkasan_judul": "Ringkasan validasi",
    "kolom_tabel": "tabel",
    "kolom_file": "file",
    "kolom_dibaca": "dibaca",
    "kolom_diterima": "diterima",
    "kolom_ditolak": "ditolak",
    "kolom_peringatan": "peringatan",
    "kolom_cara_baca": "cara baca",
    "cara_baca": "{format}{sheet}, header baris {header}{pemisah}{desimal}{encoding}",
    "cara_sheet": ", sheet '{sheet}'",
    "cara_sheets": ", sheet {sheets} (digabung)",
    "cara_pemisah": ", pemisah {pemisah}",
    "cara_desimal": ", desimal '{desimal}'",
    "cara_encoding": ", {encoding}",
    "terdeteksi": " (terdeteksi)",
    "masalah_struktur": "Masalah struktur",
    "sebab_utama": "Sebab utama",
    "n_masalah": "{n} masalah dalam {k} kelompok (maks. {show} kelompok ditampilkan):",
    "kelompok_baris": "{n} baris: {baris}",
    "kelompok_nilai": "{n} nilai berbeda, mis. {contoh}",
    "rincian_di": "Rincian dan baris yang ditolak: {out}",
    "xlsx_terlalu_besar": "validasi.xlsx tidak ditulis: {n} baris melebihi batas {maks} baris "
    "untuk satu buku kerja; semua baris ada di file CSV.",
    "tidak_ada_masalah": "Tidak ada masalah.",
    "catatan": "Catatan: {teks}",
    "galat_tak_terduga": (
        "Kesalahan tak terduga saat membaca data: {error}. Laporkan ke pengembang bersama "
        "perintah yang dijalankan."
    ),
    "periode_dataset": "Periode dataset: {periode}",
}

_EN: dict[str, str] = {
    "pemetaan_tidak_ada": "Column-mapping file not found: {file}",
    "folder_tidak_ada": "Data folder not found: {folder}",
    "folder_berupa_file": (
        "{folder} is a file, not a folder: the data folder is expected (the one holding "
        "pegawai.csv, skp.csv, …), perhaps {induk}"
    ),
    # ------------------------------------------------------------------ what was asked for
    "folder_data_parameter": "Data folder not found: {folder} (change the data_dir parameter)",
    "keluaran_di_data": (
        "The validation output folder may not be inside the raw data folder ({folder}); "
        "choose another folder."
    ),
    "kode_periode": "{value!r} is not a period code (e.g. 2025-03, 2025Q1, 2025S1, 2025)",
    "periode_tidak_ada_data": "period {periode} is not in the data (available: {tersedia})",
    "opd_tidak_ada": "OPD {opd!r} is not in the pegawai data",
    "keluaran_notebook_di_data": (
        "{path} is inside the raw data folder ({folder}); raw data are never modified: "
        "choose another folder (the output_dir parameter or the workbook's path)."
    ),
    "pemetaan_utf8": "{file}: the mapping file must be UTF-8 ({alasan})",
    "pemetaan_yaml": "{file}: invalid YAML: {alasan}",
    "pemetaan_preset_tidak_ada": "Mapping preset {nama} does not exist; available: {ada}",
    "pemetaan_nilai": "{file}: key '{kunci}' has value {nilai}; expected: {harapan}",
    "harapan_pemetaan": "a mapping (key: value)",
    "pemetaan_kunci_asing": "{file}: unknown key '{kunci}'; allowed: {boleh}",
    "pemetaan_masalah": "{n} problems in the mapping file {file}:",
    "harapan_tabel": "a contract table name ({ada})",
    "harapan_dasar": "the name of a shipped preset ({ada}); file paths are not accepted",
    "harapan_tanggal": 'a date format text with strftime codes, e.g. "%d/%m/%Y"',
    "harapan_desimal": '"." or ","',
    "harapan_ribuan": '"" (none), ".", ",", " " or "\'"',
    "harapan_ribuan_beda": "a thousands separator different from the decimal mark",
    "harapan_pemisah": 'one field-separator character, e.g. ",", ";", "|" or tab',
    "harapan_encoding": 'a text encoding name, e.g. "utf-8", "utf-16", "cp1252"',
    "harapan_baris_header": "a whole number ≥ 1 (the header row; 1 = first row)",
    "harapan_file": "a file name (text) in the data folder",
    "harapan_file_dalam": (
        "a relative path inside the data folder (not an absolute path, no '..' leading "
        "out of the folder, not a URL)"
    ),
    "harapan_sheet": (
        "a sheet name (text, or '#n' for the n-th sheet), a sheet number (whole number ≥ 0, "
        "0 = first), or a list of sheets"
    ),
    "harapan_kolom_tujuan": "a contract column name (text){saran}",
    "harapan_kolom_kontrak": "a contract column of this table ({ada}){saran}",
    "saran_abaikan": (
        "; a header not to read goes in its table's abaikan list, e.g. tabel: "
        "{{{tabel}: {{abaikan: [{header}]}}}}"
    ),
    "harapan_abaikan": (
        "a list of headers (text) not to read, e.g. tabel: {{{tabel}: {{abaikan: [{contoh}]}}}}"
    ),
    "harapan_abaikan_kolom": (
        "a header not also mapped in tabel.{tabel}.kolom (this header is in both kolom "
        "and abaikan; remove one of them)"
    ),
    "harapan_label": "label (text or number) → canonical value (text or number)",
    "file_di_luar_folder": (
        "The file for table '{tabel}' in the mapping lies outside the data folder: {file}; "
        "only files inside the data folder are read"
    ),
    "nip_hilang_digit": (
        "NIP stored as a number (scientific notation / spreadsheet number): digits lost, "
        "cannot be recovered; export the NIP column again as text"
    ),
    "nip_angka": (
        "NIP stored as a number in the spreadsheet (the NIP column is numeric, not text; "
        "Excel keeps only 15 digits): the last digits are lost and cannot be recovered; "
        "format the NIP column as Text in Excel, then enter or export the NIPs again"
    ),
    "angka_ribuan_koma": (
        "ambiguous number in a file whose decimal mark is '.': a comma between groups of "
        "three digits (e.g. '1,960') may be a thousands separator (1960) or a decimal "
        'comma (1.96); declare the number format in the mapping file: ribuan "," '
        '(desimal ".") or desimal ","'
    ),
    "saran_tanggal": (
        "; {n} of {m} failing values follow the pattern {pola}: declare the date format in "
        'the mapping file, format: {{tanggal: "{kode}"}} (it applies to every date column '
        "of this file; yyyy-mm-dd values are still read)"
    ),
    "pola_serial": "numbers",
    "saran_tanggal_banyak_pola": (
        "; the failing values use several patterns at once ({pola}): the mapping file's "
        "date format is one for the whole file, so it cannot read them all; fix the export "
        "so that each date column uses one pattern (preferably yyyy-mm-dd)"
    ),
    "saran_tanggal_ambigu": (
        "; {n} of {m} failing values follow {pola_a} or {pola_b} (day and month are both "
        "≤ 12, the order cannot be told from the data): check the export's source, then "
        'declare one of them in the mapping file, format: {{tanggal: "{kode_a}"}} or '
        '{{tanggal: "{kode_b}"}}'
    ),
    "saran_tanggal_campur": (
        "; the failing values mix {pola_a} and {pola_b} (days above 12 in both positions): "
        "one column uses two date orders; fix it at the source"
    ),
    "saran_tanggal_serial": (
        "; {n} of {m} failing values are Excel date serial numbers (e.g. {contoh} = "
        "{tanggal}): format this column as Date in Excel, then export again"
    ),
    "saran_tanggal_serial_luar": (
        "; {n} of {m} failing values are numbers (e.g. {contoh}) outside the range read as "
        "Excel date serial numbers ({bawah}–{atas} in the {sistem} date system, i.e. {dari} "
        "to {sampai}): a 4-digit number such as 2024 looks like a year alone, not a date; "
        "write the full date"
    ),
    "tanggal_serial_dibaca": (
        "date written as an Excel date serial number, read as {tanggal}{jam} ({sistem}); "
        "the row is kept: check the date, and format this column as Date in Excel before "
        "the next export"
    ),
    "jam_diabaikan": ", time of day {jam} dropped",
    "tanggal_jam_dibaca": (
        "a date with a time of day; read as {tanggal}, time of day {jam} dropped (this "
        "column holds dates only); the row is kept"
    ),
    "sistem_tanggal_1900": "the workbook's 1900 date system",
    "sistem_tanggal_1904": "the workbook's 1904 date system",
    "sistem_tanggal_diasumsikan": (
        "1900 date system assumed: a {format} file does not record its date system; if it "
        "was saved from a workbook using the 1904 system, the true date is 1462 days (4 "
        "years and 1 day) later"
    ),
    "periode_celah": (
        "no data for {jenis} {celah} between the dataset's first and last period "
        "({awal}–{akhir}); check whether that period's export was missed (comparisons "
        "across periods skip it)"
    ),
    "tabel_opsional_kosong": (
        "{file}: 0 of {n} rows accepted; table {tabel} is not used (the sections built "
        "on it say its data are not available, not zero); main causes: {sebab}"
    ),
    "tabel_periode_kosong": (
        "{file}: 0 of {n} rows of period {periode} accepted; period {periode} is not used; "
        "main causes: {sebab}"
    ),
    "alasan_tabel_kosong": "all {n} {tabel} rows of this period were rejected",
    "sebab_pegawai_ditolak": (
        "the employee was rejected in the pegawai table ({k} employees), the row is set "
        "aside with it; e.g.: {contoh}"
    ),
    "nip_18": "NIP must be 18 digits (or switch pseudonym mode on for other IDs)",
    "bukan_angka": "not a number",
    "bukan_angka_format": "not a number in the number format (decimal '{desimal}', thousands '{ribuan}')",
    "tak_berhingga": "not a finite number (inf/nan)",
    "angka_ribuan_ambigu": (
        "ambiguous number in a file whose decimal mark is '{desimal}': '{desimal}' between "
        "groups of three digits (e.g. '1{desimal}960') may be the decimal mark or a "
        "thousands separator (1960); declare the number format in the mapping file "
        "(desimal and ribuan) or write it without a thousands separator"
    ),
    "angka_desimal_koma": (
        "not a number in a file whose decimal mark is '.': it looks like a decimal comma; "
        'fix the value or declare desimal "," in the mapping file'
    ),
    "bulat": "must be a whole number",
    "tanggal": "invalid date (expected format {format})",
    "tanggal_serial": (
        "date written as an Excel serial number; format the cell as a date or as text "
        "(expected format {format})"
    ),
    "bool": "not a yes/no value (true/false, 1/0)",
    "isin": "value not allowed; allowed: {allowed}",
    "status_tak_dikenal": (
        "{pesan}; the status is read from the NIP. If this label means no ASN, write in "
        "the mapping file: nilai: {{status_kepegawaian: {{{label}: bukan_asn}}}}"
    ),
    "in_range": "outside the allowed range ({low}–{high})",
    "ge": "below the minimum",
    "le": "above the maximum",
    "periode_format": (
        "wrong period format (YYYY-MM, YYYYQn, YYYYSn or YYYY; also read e.g. '2024-Q1', "
        "'TW I 2024', 'Triwulan II 2024', 'Q3 2024', 'Semester 1 2024', 'Januari 2024', "
        "'Tahun 2024'); another spelling can be mapped in the mapping file, e.g. "
        'tabel: {{{tabel}: {{nilai: {{periode: {{"Jan-Mar 2024": 2024Q1}}}}}}}}'
    ),
    "kosong": "empty value (required)",
    "tanpa_isi": (
        "value without a letter or digit, or a stand-in for an empty cell (e.g. '.', '-', "
        "'N/A', '0'): no name, read as an empty cell"
    ),
    "karakter_kontrol": (
        "value contains control characters (e.g. NUL \\x00): damaged cell or truncated file"
    ),
    "karakter_kontrol_dibersihkan": (
        "text contains control characters (e.g. a line break inside the cell, tab, NUL, "
        "text-direction controls); line breaks and tabs became spaces, the others were "
        "removed, and the row is kept"
    ),
    "teks_rumus": (
        "text in the form of a spreadsheet formula (beginning with '=', or '+', '-', '@' "
        "followed by a function or a cell reference): probably a formula or a formula's "
        "leftover in the export, careless or hostile; the value is kept as text as written "
        "and never becomes a formula in the outputs; check this cell in the source file"
    ),
    "teks_galat_excel": (
        "text that is a spreadsheet error value (e.g. #REF!, #VALUE!): the real value was "
        "lost when its formula failed in the export; the row is not used, as with an error "
        "cell of an Excel workbook; fix this cell in the source file and export it again "
        "with its value"
    ),
    "opsional_dikosongkan": "{pesan} (optional column: value left empty, row kept)",
    "kunci_unik": "duplicate key ({kunci}) of row {baris}",
    "kunci_unik_identik": "duplicate key ({kunci}): an identical copy of row {baris} - ignored",
    "kunci_unik_beda": (
        "duplicate key ({kunci}), differing from row {baris} in column(s) {kolom_beda}; row "
        "{baris} is used, this row is not"
    ),
    "kunci_unik_ditolak": (
        "key ({kunci}) equal to row {baris}, which is rejected (see its message); this row "
        "is the one used"
    ),
    "bukan_asn": (
        "not an ASN - outside the scope (ASN = PNS and PPPK, Law 20/2023): this row and "
        "this employee's rows in other tables are not evaluated; the status is not read "
        "from the NIP"
    ),
    "kunci_unik_pemisah": (
        "duplicate key ({kunci}) of row {baris}: '{nilai}' and '{nilai_lain}' (row "
        "{baris}) are written differently but become the same NIP once their separators "
        "(spaces, dots, dashes, slashes) are removed"
    ),
    "kunci_unik_dibaca": (
        "duplicate key ({kunci}) of row {baris}: '{nilai}' and '{nilai_lain}' (row "
        "{baris}) are written differently but are read as the same value"
    ),
    "baris_rusak": (
        "row has {n} fields while the header has {m} (delimiter {pemisah} inside an "
        "unquoted value?); row set aside"
    ),
    "baris_rusak_kurang": (
        "row has {n} fields while the header has {m} (a row cut short, or a line break "
        "inside an unquoted value splitting one row in two?); row set aside"
    ),
    "sel_galat_excel": "cell holds the Excel error {nilai}",
    "rumus_tanpa_nilai": (
        "cell {sel} holds a formula without a stored value (the file was saved without "
        "recalculating); open and save it again in Excel"
    ),
    "nip_struktur": (
        "invalid NIP layout (8 digits birth date, 6 digits CPNS start, 1 gender digit, "
        "3 digits sequence)"
    ),
    "nip_struktur_pppk": (
        "invalid NI PPPK layout (8 digits birth date, 4 digits year of appointment, code 21, "
        "1 gender digit, 3 digits sequence)"
    ),
    "nip_tanggal_lahir": "birth date in the NIP ({dalam_nip}) differs from tanggal_lahir ({kolom})",
    "nip_tmt_cpns": "CPNS start in the NIP ({dalam_nip}) differs from tmt_cpns ({kolom})",
    "nip_tahun_pppk": (
        "year of appointment in the NI PPPK ({dalam_nip}) differs from the year of tmt_cpns "
        "(PPPK start, {kolom})"
    ),
    "nip_jenis_kelamin": "gender digit in the NIP ({dalam_nip}) does not match jenis_kelamin ({kolom})",
    "nip_urut_000": (
        "sequence 000 is never issued: this NIP was probably cut by Excel to 15 significant "
        "digits; export the NIP column again as text"
    ),
    "nip_urut_000_tabrakan": (
        "sequence 000 is never issued: this NIP was probably cut by Excel to 15 significant "
        "digits and shares its first 15 digits with the NIP of row {baris}; export the NIP "
        "column again as text"
    ),
    "nip_tabrakan_15": (
        "the first 15 digits of this NIP equal those of a NIP ending in 000 on row {baris} "
        "(probably a copy cut by Excel): check whether two employees were merged"
    ),
    "status_nip": (
        "status_kepegawaian '{status}' does not match the layout of the identifier in "
        "column nip ({jenis})"
    ),
    "golongan_status": "grade '{golongan}' is not a {status} grade (PNS: I/a–IV/e; PPPK: I–XVII)",
    "target_positif": "target must be > 0",
    "capaian_mustahil": (
        "realisasi {realisasi} is {kali}× the target {target}: implausible; check for a typo "
        "or the number format (decimal/thousands)"
    ),
    "angka_mustahil": "implausible number (|value| > {batas})",
    "tanggal_urut": "tanggal_selesai before tanggal_mulai",
    "atasan_diri": "employee recorded as their own supervisor",
    "atasan_melingkar": "supervisor chain is a loop: {rantai}",
    "ikm_ada": "fill in ikm or all nine elements u1…u9",
    "tanggal_dalam_periode": "date is not inside this row's period",
    "skala_butir": "answer must be a whole number {lo}–{hi}",
    "skala_urut": "skala_max ({hi}) must be greater than skala_min ({lo}); empty means 1 and 5",
    "penilaian_isi": "fill in predikat or both ratings (rating_hasil and rating_perilaku)",
    "predikat_matriks": (
        "predikat '{predikat}' does not follow the PermenPAN-RB 6/2022 matrix for results "
        "'{hasil}' and behaviour '{perilaku}' (should be '{seharusnya}')"
    ),
    "tanggal_lahir_mustahil": (
        "implausible birth date: age {usia} at the end of the dataset's last period ({akhir})"
    ),
    "tmt_sebelum_lahir": (
        "tmt_cpns ({tmt}) is implausible given the birth date ({lahir}): age {usia} at appointment"
    ),
    "tanggal_masa_depan": "date after the end of the dataset's last period ({akhir}): probably a typo",
    "tanggal_terlalu_lama": "date before 1900: probably a typo",
    "tanggal_luar_rentang": (
        "date outside the plausible range for these data ({dari} to {sampai}): probably a "
        "typo or a stand-in date (e.g. 31/12/9999 for 'none'); not a matter of the date "
        "format: check the value in the source file"
    ),
    "pelatihan_sebelum_lahir": (
        "tanggal_mulai is before the employee's birth date ({file} row {baris}): "
        "impossible; check this training's date or tanggal_lahir on that row"
    ),
    "pelatihan_sebelum_tmt": (
        "the training starts before the employee's appointment (tmt_cpns in {file} row "
        "{baris}); the row is kept: this can be right (a training before appointment, e.g. "
        "as honorary staff before becoming PPPK or CPNS); if not, check its date or tmt_cpns"
    ),
    "umpan_balik_sebelum_tmt": (
        "feedback session dated before the employee's appointment (tmt_cpns in {file} row "
        "{baris}); the row is kept: check this date or tmt_cpns"
    ),
    "periode_sebelum_tmt": (
        "this period ended on {akhir}, before the employee's appointment (tmt_cpns in {file} "
        "row {baris}); the row is kept: check this period or tmt_cpns"
    ),
    "keluar_sebelum_lahir": "tmt_keluar is before the birth date ({lahir}): impossible",
    "keluar_sebelum_tmt": (
        "tmt_keluar is before tmt_cpns ({tmt}): an employee cannot leave before being appointed"
    ),
    "keluar_masa_depan": (
        "tmt_keluar is after the end of the dataset's last period ({akhir}): the employee is "
        "counted in every period of the dataset; right if they do leave after it (e.g. a "
        "retirement decree already issued), otherwise check the date"
    ),
    "periode_sesudah_keluar": (
        "this period began on {mulai}, after the employee left (tmt_keluar in {file} row "
        "{baris}); the row is kept and the employee is counted in this period: check this "
        "period or tmt_keluar"
    ),
    "pelatihan_sesudah_keluar": (
        "the training starts on or after the date the employee left (tmt_keluar in {file} "
        "row {baris}); the row is kept: check its date or tmt_keluar"
    ),
    "umpan_balik_sesudah_keluar": (
        "feedback session dated on or after the date the employee left (tmt_keluar in "
        "{file} row {baris}); the row is kept: check this date or tmt_keluar"
    ),
    "penilai_sesudah_keluar": (
        "this period began on {mulai}, after its rater left (tmt_keluar in {file} row "
        "{baris}); the row is kept: check the rater, this period or tmt_keluar"
    ),
    "atasan_sesudah_keluar": (
        "this supervisor had left (tmt_keluar in {file} row {baris}) before the period "
        "beginning {mulai}, in which this employee still worked; the row is kept: check "
        "nip_atasan or the two leaving dates"
    ),
    # ------------------------------------------------------------------ personal data
    "data_pribadi_nip": "holds an employee's NIP ({file} row {baris}); {akibat}",
    "data_pribadi_nip_sendiri": (
        "holds this row's own employee's NIP (another column's content seems shifted "
        "into this one); {akibat}"
    ),
    "data_pribadi_nip_bentuk": (
        "holds a number in the shape of a NIP (18 digits) that is not in {file}: anyone's "
        "NIP is personal data; {akibat}"
    ),
    "data_pribadi_nama": "holds an employee's name ({file} row {baris}); {akibat}",
    "data_pribadi_nama_sendiri": (
        "holds this row's own employee's name (the name column seems shifted into this "
        "one); {akibat}"
    ),
    "data_pribadi_terbit": (
        "column {kolom} is shown as written in the documents, so the row is rejected (the "
        "value here is masked)"
    ),
    "data_pribadi_tidak_terbit": (
        "column {kolom} is not shown in the documents, the row is kept: remove that NIP or "
        "name from this cell (the value here is masked)"
    ),
    "referensi": "unknown {kolom}: not in {apa}",
    "referensi_salinan": (
        "unknown {kolom}: not in {apa} as read; only in {file} row {baris}, a sheet not "
        "read because its name marks a copy or an archive"
    ),
    "referensi_ditolak": (
        "the employee with this NIP was rejected in {file} row {baris} ({alasan}); this row "
        "is set aside with it"
    ),
    "referensi_ditolak_peringatan": (
        "the employee with this NIP was rejected in {file} row {baris} ({alasan})"
    ),
    "ejaan_nama": (
        "this name is written otherwise (letter case or spaces) than '{baku}' used by other "
        "rows; read as '{baku}'"
    ),
    "periode_luar": "period outside the dataset's periods ({awal}–{akhir}, from table {sumber})",
    "periode_tidak_dipakai": "period {periode} is not used as a dataset period: {alasan}",
    "alasan_periode_jenis": (
        "this period is of another frequency ({jenis}) than the dataset's periods "
        "({jenis_dataset}, the frequency with the most rows); a dataset uses one frequency "
        "and {jenis} periods are not split or merged automatically: to use these data, "
        "export them again with {jenis_dataset} periods, or choose {jenis} periods with "
        "--periode (then the {jenis_dataset} periods are rejected)"
    ),
    "alasan_periode_sedikit": (
        "only {n} employees (other periods: median {median}); too few for a period"
    ),
    "alasan_periode_depan": "has not started yet (starts {mulai})",
    "alasan_periode_tidak_diminta": "not among the declared periods ({periode_dataset})",
    "tabel_wajib_tidak_ada": (
        "Required table '{tabel}' not found in the data folder (looked for {tabel}.csv, "
        "{tabel}.parquet, {tabel}.xlsx or the file named in the mapping; files in the "
        "folder: {ada}). Name its file in a mapping file (YAML), e.g. the line "
        'tabel: {{{tabel}: {{file: "<file name>"}}}}{dasar}.'
    ),
    "saran_file_header": " Files whose header holds every required column of this table: {files}.",
    "dan_lainnya": " … and {n} more files",
    "saran_dasar": ", and above it the line dasar: {preset} (this mapping builds on the {preset} preset)",
    "saran_file_header_tabel": " Files whose header holds every required column of {tabel}: {files}.",
    "tabel_periode_tidak_ada": (
        "Neither skp nor penilaian_resmi is present: a dataset needs one of them (numeric "
        "SKP results or official e-Kinerja results)."
    ),
    "file_pemetaan_tidak_ada": (
        "The file the mapping names for table '{tabel}' does not exist: {file} (files in "
        "the folder: {ada})"
    ),
    "tabel_ganda": "Table '{tabel}' is in more than one file: {files}; keep one.",
    "file_tidak_dibaca": (
        "file '{file}' in the data folder is not read: its name is not a table's (e.g. "
        "umpan_balik.csv) and the column mapping does not name it; its rows are not "
        "analysed. Rename it or name this file in the mapping (--mapping)."
    ),
    "file_cocok_tabel": " Its header holds every required column of table {tabel}, which has no file.",
    "file_tidak_dibaca_pemetaan": (
        "file '{file}' in the data folder is not read: the mapping names another file for "
        "table {tabel} ('{dipakai}'); its rows are not analysed. Take this file out of the "
        "data folder if it is not used, or name it for table {tabel} in the mapping "
        "(--mapping)."
    ),
    "format_tidak_dibaca": (
        "file '{file}' is named as a table but its format is not read (read: {format}); the "
        "table counts as absent. Save it again as CSV or XLSX (Excel: Save As → Excel "
        "Workbook .xlsx)."
    ),
    "kolom_wajib": (
        "required column(s) missing: {missing}. Columns present: {present}. Check the "
        "column names or the column-mapping file."
    ),
    "file_kosong": "table is empty: the file has no content",
    "tabel_kosong_header": "table is empty: a header row and no data rows",
    "header_kosong": "no header row found",
    "file_rusak": "file cannot be read ({error})",
    "file_biner_tanda": (
        "the file is not a text/CSV file: its content is binary, beginning with the "
        "signature of the {jenis} format; not read as a table"
    ),
    "file_biner_kendali": (
        "the file is not a text/CSV file: its content is binary ({persen}% of its first {n} "
        "characters are NUL bytes or control characters, e.g. random, compressed or damaged "
        "data); not read as a table"
    ),
    "file_rusak_saran": (
        "; save or export the file again (e.g. open it in Excel, then Save As .xlsx)"
    ),
    "file_rusak_opsional": (
        "; this file is given for table {tabel}, and reports without its contents would "
        "silently differ: save or export the file again (e.g. open it in Excel, then Save "
        "As .xlsx), or take it out of the data folder and the mapping if this table is "
        "not used"
    ),
    "jenis_file": "unsupported file type ({suffix})",
    "file_sebenarnya_html": (
        "; the file is really an HTML table (a web page) with an Excel name, not an Excel "
        "workbook: open it in Excel, then Save As 'Excel Workbook (.xlsx)' or 'CSV UTF-8 "
        "(.csv)'"
    ),
    "file_xls_lama": (
        "; the file is an Excel 97-2003 workbook (.xls), an old format that is not read: "
        "open it in Excel, then Save As 'Excel Workbook (.xlsx)'"
    ),
    "file_sebenarnya_xls": (
        "; the file is really an Excel 97-2003 workbook (.xls): open it in Excel, then Save "
        "As 'Excel Workbook (.xlsx)'"
    ),
    "file_sebenarnya_xlsx": (
        "; the file is really an Excel workbook (.xlsx) under another name: rename it to "
        "end in .xlsx"
    ),
    "file_sebenarnya_zip": (
        "; the file is really a ZIP archive: extract it, then give the CSV or XLSX file inside"
    ),
    "file_sebenarnya_arsip": (
        "; the file is really a compressed archive ({jenis}): extract it, then give the CSV "
        "or XLSX file inside"
    ),
    "file_sebenarnya_pdf": (
        "; the file is really a PDF document, not a data table: ask the source application "
        "for a CSV or XLSX export"
    ),
    "file_sebenarnya_parquet": (
        "; the file is really a Parquet file: rename it to end in .parquet"
    ),
    "file_teks_unicode": (
        "; the file is Unicode text (UTF-16, tab-separated) as Excel writes it with Save As "
        "'Unicode Text (.txt)': rename it to end in .csv (its contents are read as they "
        "are), or save it as 'CSV UTF-8 (.csv)'"
    ),
    "sheet_tidak_ada": "sheet '{sheet}' does not exist; sheets present: {sheets}",
    "sheet_dipilih": "sheet '{sheet}' used (its columns match best); sheets in the file: {sheets}",
    "sheet_digabung": (
        "sheets {daftar} (data rows each) hold this table's columns: all are read and their "
        "rows stacked in order; a row number in a message holds on the sheet named with the "
        "file, e.g. '{contoh}' row {baris}. Sheets in the file: {sheets}"
    ),
    "sheet_beda_kolom": (
        "the sheets read do not have the same columns; a column a sheet lacks is empty on "
        "that sheet's rows: {beda}. Check that the column is indeed not filled on that sheet "
        "(e.g. TMT Keluar only on the sheet of retired employees); if a sheet is not part of "
        "this table, name the sheet to read in the mapping file (tabel: {{{tabel}: {{sheet: "
        '"..."}}}})'
    ),
    "sheet_salinan": (
        "sheet '{salinan}' holds the same rows as sheet '{sheet}' ({n} of {m} keys "
        "[{kunci}] shared, {n_beda} of them with other contents; {n_hanya} keys only in "
        "sheet '{salinan}') and its name marks it as a copy or an archive: it is NOT read; "
        "sheet '{sheet}' is. If sheet '{salinan}' is the "
        'right one, write in the mapping file: (tabel: {{{tabel}: {{sheet: "{salinan}"}}}})'
    ),
    "sheet_isi_sama": (
        "sheet '{salinan}' holds only rows that are also, cell for cell, in sheet '{sheet}' "
        "({n} keys [{kunci}]): not read twice"
    ),
    "sheet_salinan_ragu": (
        "sheets {daftar} (rows each) hold the same rows ({n} of {m} keys [{kunci}] shared): "
        "they look "
        "like copies of one table, and the file does not tell which one holds, so this "
        "table is not read. Name the sheet to read in the mapping file, e.g. (tabel: "
        '{{{tabel}: {{sheet: "{sheet}"}}}}), or give the copy a name that marks it '
        "(e.g. '... (old)' or 'Backup ...')"
    ),
    "baris_header_ulang": (
        "{n} row(s) repeat the header inside the data (rows {baris}; a table printed or "
        "converted page by page): skipped, not data"
    ),
    "baris_tersembunyi": (
        "{n} row(s) hidden in Excel{di} are read as data (rows {baris}); rows hidden or "
        "filtered out are still part of the table"
    ),
    "kolom_tersembunyi_ganda": (
        "column {huruf} ('{header}'){di} is hidden in Excel and reads as the same column "
        "({kolom}) as visible column {pakai} ('{header_pakai}'): column {huruf} is NOT read, "
        "column {pakai} is. If column {huruf} is the "
        "right one, unhide it and hide column {pakai}"
    ),
    "kolom_tersembunyi_dibaca": (
        "column {huruf} ('{header}') is hidden in Excel but read as {kolom}"
    ),
    "baris_nomor_kolom": (
        "row {baris}{di} holds column numbers ((1), (2), … as government tables print them) "
        "under the header: skipped, not data"
    ),
    "sheet_kurang_kolom": (
        "sheet '{sheet_lain}' looks like part of this table but lacks the required "
        "column(s) {kurang} (another layout?): its rows are NOT read; sheet '{sheet}' is. "
        "Give that sheet the same columns, or map its headers in the mapping file "
        '(tabel: {{{tabel}: {{kolom: {{"Header in the file": column_name}}}}}})'
    ),
    "sheet_tabel_lain": (
        "sheet(s) {daftar} also hold this table's required columns, but their columns fit "
        "the table named better: not stacked into this table"
    ),
    "sheet_sangat_tersembunyi": (
        "sheet(s) {daftar} are 'very hidden' (not listed in Excel's Unhide dialog) and hold "
        "this table's required columns: their rows are NOT read. If those rows belong to "
        'this table, write in the mapping file (tabel: {{{tabel}: {{sheet: ["{sheet}", "{contoh}"]}}}}) '
        "to read both, or copy its rows to a visible sheet"
    ),
    "sheet_dipilih_tersembunyi": (
        "sheet '{sheet}' is hidden in Excel but read: no visible sheet holds this table's columns"
    ),
    "sheet_tidak_dipetakan": (
        "the mapping file reads sheet(s) {dibaca} only; sheet(s) {daftar} also hold this "
        "table's required columns and are NOT read. If their rows belong to this table, "
        'name them all in the mapping (tabel: {{{tabel}: {{sheet: [{dibaca}, "..."]}}}})'
    ),
    "sheet_contoh": (
        "sheet(s) {daftar} hold this table's required columns, but their name marks an "
        "example or a template to fill in: their rows are NOT read. If those rows are real "
        "data, rename the sheet so that it is read and stacked, or write in the mapping file "
        '(tabel: {{{tabel}: {{sheet: ["{sheet}", "{contoh}"]}}}}) to read both'
    ),
    "sheet_tersembunyi": (
        "sheet(s) {daftar} are hidden and hold this table's required columns: their rows are "
        "NOT read (a hidden sheet is usually an archive or a copy). If those rows belong to "
        "this table, unhide the sheet in Excel so that it is read and stacked, or write in "
        'the mapping file (tabel: {{{tabel}: {{sheet: ["{sheet}", "{contoh}"]}}}}) to read both'
    ),
    "sel_gabungan_diisi": (
        "{n} merged cell range(s) in the data area, column '{header}' (column {huruf}){di}: "
        "{ranges}; the value is stored in the top cell only, but Excel shows it on every "
        "row of the range, so it was filled into every row of its range; check that it "
        "holds for all those rows (better: unmerge the cells in Excel and fill the value "
        "down)"
    ),
    "header_digabung": "merged header cells ({ranges}): column names taken from the merged cell",
    "baca_utf16": "file encoded as {encoding} (not UTF-8); read as {encoding}",
    "baca_utf32": "file encoded as {encoding} (not UTF-8); read as {encoding}",
    "baca_cp1252": "file is not UTF-8; read as Windows-1252",
    "baca_utf8_cp1252": (
        "this UTF-8 file holds bytes that are not UTF-8; those bytes were read as "
        "Windows-1252, the rest of the text as UTF-8"
    ),
    "baris_rusak_posisi": "the row numbers of broken rows could not be established",
    "kolom_ganda_sama": "column '{kolom}' appears more than once ({posisi}); same contents, one kept",
    "kolom_ganda_beda": (
        "column '{kolom}' appears more than once ({posisi}) with different contents on {n} "
        "row(s) (row {baris}); it can be read from one column of the file only: choose one "
        "and ignore the others in the mapping file, e.g. to read {pakai}: tabel: "
        "{{{tabel}: {{abaikan: [{header}]}}}}"
    ),
    "kolom_ganda_beda_nama_sama": (
        "column '{kolom}' appears more than once under the same header ({posisi}) with "
        "different contents on {n} row(s) (row {baris}); a mapping cannot choose one of "
        "two identical headers: rename the wrong column's header in a copy of the export "
        "(a header nobody knows is not used)"
    ),
    "kolom_ganda_pertama": (
        "column '{kolom}' appears more than once under the same header ({posisi}) with "
        "different contents on {n} row(s) (row {baris}): column {huruf} (the first) is "
        "used, column {lain} is not used; if another column is the right one, rename the "
        "wrong column's header in a copy of the export"
    ),
    "kolom_ganda_bentrok_ringkas": (
        "column '{kolom}' appears more than once ({posisi}): merged, each row from the "
        "column that holds a value (a text such as '-' counts as empty); on {n} row(s) they "
        "differ (row {baris}): that cell is left empty, with a warning per row. If only one "
        "column is right, ignore the others in the mapping file, e.g. to read {pakai}: "
        "tabel: {{{tabel}: {{abaikan: [{header}]}}}}"
    ),
    "kolom_ganda_bentrok": (
        "columns {posisi} hold different values on this row (value: in column order)"
    ),
    "kolom_tidak_dipakai": (
        "{n} column(s) not used (neither table {tabel}'s contract nor the mapping knows "
        "them): {daftar}"
    ),
    "kolom_diabaikan": "columns ignored as the mapping says (abaikan): {daftar}",
    "kolom_wajib_diabaikan": (
        "The required column is in the file, but the mapping ignores it: {daftar} is in "
        "the abaikan list of table {tabel}; take {header} out of that list."
    ),
    "abaikan_tidak_ada": "headers under table {tabel}'s abaikan not in this file: {daftar}",
    "kolom_mirip": (
        "column {header} (column {huruf}) is not used, while the {jenis} column {kolom} is "
        "not in this file; it may be that column (shared word: {kata}). If so, map it in "
        "the mapping file: tabel: {{{tabel}: {{kolom: {{{header_yaml}: {kolom}}}}}}}{dasar}; "
        "if not, write tabel: {{{tabel}: {{abaikan: [{header_yaml}]}}}} and this warning "
        "goes away"
    ),
    "jenis_wajib": "required",
    "jenis_opsional": "optional",
    "daftar_dipendekkan": " … (the full list is in masalah_struktur.csv and validasi.xlsx: --out)",
    "kolom_ganda_digabung": (
        "column '{kolom}' appears more than once ({posisi}), never with different contents "
        "on one row: merged, each row from the column that holds a value"
    ),
    "survei_berpasangan": "tables survei and survei_instrumen go together; {ada} skipped",
    "tabel_opsional_dilewati": "optional table not used because of the problems above",
    "tabel_periode_dilewati": (
        "table {tabel} not used because of the problems above (one of {tabel_lain} must be "
        "present and usable)"
    ),
    "tabel_wajib_rusak": "required table cannot be used because of the problems above",
    "tidak_ada_diterima": (
        "{file}: 0 of {n} rows accepted, the data cannot be used; main causes: {sebab}"
    ),
    "sebab_ringkas": "column {kolom}, {n} rows (e.g. value {nilai}): {pesan}",
    "tabel_banyak_ditolak": (
        "{file}: {k} of {n} rows ({persen}%) rejected; results from these data cover only "
        "the remaining {m} rows. Main causes: {sebab}. Check that cause before publishing a "
        "report"
    ),
    "tabel_tanpa_baris": "{file}: table {tabel} holds only a header, no data rows",
    "tidak_ada_periode": "no valid period; the dataset cannot be used",
    "periode_tidak_valid": "invalid period code(s): {kode}",
    "baris_kosong": "{n} empty row(s) skipped",
    "format_angka_terdeteksi": (
        "numbers written as text with decimal '{desimal}' and thousands '{ribuan}' "
        "(detected from the contents)"
    ),
    "rujukan_tidak_diperiksa": (
        "references to employees cannot be checked because the pegawai table cannot be used"
    ),
    "pseudonim": "NIP layout check switched off: employee IDs are pseudonyms.",
    "opsional_tidak_ada": "Optional tables not present: {tabel}.",
    "status_dari_nip": (
        "Employment status (PNS/PPPK) is not in the data: taken from the identifier's layout (code 21 = PPPK)"
    ),
    "status_sebagian_dari_nip": (
        "Employment status empty or not recognised in {n} employee rows: taken from the "
        "identifier's layout (code 21 = PPPK; part-time PPPK cannot be told apart)"
    ),
    "sebab_ditolak": "{file} row {baris} rejected ({alasan}) → {akibat}",
    "sebab_ditolak_sel": (
        "{file} row {baris} rejected (column {kolom}, value {nilai}: {alasan}) → {akibat}"
    ),
    "sebab_ditolak_kelompok": (
        "{file} ({baris}) rejected (column {kolom}, {nilai}: {alasan}) → {akibat}"
    ),
    "nilai_satu": "value {nilai}",
    "sebab_periode": "period {periode} not used ({alasan}) → {akibat}",
    "sebab_salinan": (
        "{sheet} not read (its name marks a copy or an archive), yet only that sheet holds "
        "the employees' NIPs → {akibat}"
    ),
    "sebab_baris": "{file} row {baris}",
    "sebab_periode_kode": "period {periode}",
    "akibat_tolak": "{n} dependent rows set aside ({rincian})",
    "akibat_peringatan": "{n} related warnings ({rincian})",
    "cara_baca_judul": "How the files were read",
    "status_ok": "used",
    "status_dilewati": "skipped (see the structural problems)",
    "status_tidak_dapat_dipakai": "cannot be used (see the structural problems)",
    "cara_baca_baris": "{file}: {cara}",
    "terdeteksi_daftar": " (detected: {daftar})",
    "tingkat_tolak": "rejected",
    "tingkat_peringatan": "warning",
    "tingkat_fatal": "fatal",
    "tingkat_info": "info",
    "kata_encoding": "encoding",
    "kata_pemisah": "delimiter",
    "kata_baris_header": "header row",
    "kata_sheet": "sheet",
    "kata_desimal": "decimal mark",
    "data_tidak_dapat_dipakai": "The data cannot be used",
    "ringkasan_judul": "Validation summary",
    "kolom_tabel": "table",
    "kolom_file": "file",
    "kolom_dibaca": "read",
    "kolom_diterima": "accepted",
    "kolom_ditolak": "rejected",
    "kolom_peringatan": "warnings",
    "kolom_cara_baca": "read as",
    "cara_baca": "{format}{sheet}, header row {header}{pemisah}{desimal}{encoding}",
    "cara_sheet": ", sheet '{sheet}'",
    "cara_sheets": ", sheets {sheets} (stacked)",
    "cara_pemisah": ", delimiter {pemisah}",
    "cara_desimal": ", decimal '{desimal}'",
    "cara_encoding": ", {encoding}",
    "terdeteksi": " (detected)",
    "masalah_struktur": "Structural problems",
    "sebab_utama": "Root causes",
    "n_masalah": "{n} problems in {k} groups (at most {show} groups shown):",
    "kelompok_baris": "{n} rows: {baris}",
    "kelompok_nilai": "{n} distinct values, e.g. {contoh}",
    "rincian_di": "Details and rejected rows: {out}",
    "xlsx_terlalu_besar": "validasi.xlsx not written: {n} rows exceed the limit of {maks} rows "
    "for one workbook; every row is in the CSV files.",
    "tidak_ada_masalah": "No problems.",
    "catatan": "Note: {teks}",
    "galat_tak_terduga": (
        "Unexpected error while reading the data: {error}. Please report it to the developers "
        "with the command that was run."
    ),
    "periode_dataset": "Dataset periods: {periode}",
}

#: The validator's message catalogue (``MESSAGES(key, bahasa, **fields)``).
MESSAGES = Catalog({"id": _ID, "en": _EN})


def message(key: str, bahasa: Bahasa = "id", /, **fields: object) -> str:
    """The text of ``key`` in ``bahasa`` (see :data:`MESSAGES`)."""
    return MESSAGES(key, bahasa, **fields)


#: Delimiters a person cannot see when quoted: named instead.
_DELIMITER_WORDS = {"\t": {"id": "tab", "en": "tab"}, " ": {"id": "spasi", "en": "space"}}


def delimiter_shown(delimiter: str, bahasa: Bahasa = "id") -> str:
    """A CSV delimiter as a message shows it: quoted (``','``), or named when it would
    look like nothing (a tab printed raw looks like spaces).

    >>> delimiter_shown(";"), delimiter_shown(chr(9)), delimiter_shown(" ", "en")
    ("';'", 'tab', 'space')
    """
    word = _DELIMITER_WORDS.get(delimiter)
    return word[bahasa] if word else f"'{delimiter}'"
