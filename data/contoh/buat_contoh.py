"""Write the worked examples of the two mapping presets (run from the repository root).

    python data/contoh/buat_contoh.py

- ``data/contoh/siasn/``: a SIASN-style export (CSV): ASN master data with PNS, PPPK and
  PPPK paruh waktu, and the yearly performance history (official ratings and predikat).
- ``data/contoh/ekinerja_bkn/``: an e-Kinerja (BKN)-style export (XLSX): employees on a
  sheet behind an instructions sheet, under title rows; monthly official ratings; monthly
  SKP results as real Excel numbers.

Every person, NIP and NI PPPK is invented (consistent with the birth date, start, gender
and sequence, as the validator checks). The files are written with fixed content and
metadata, so rerunning the script reproduces them.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent

# nip, nama, L/P, lahir, opd, jabatan, jenis jabatan, golongan, tmt, atasan (index), status
PEGAWAI = [
    ("197505142000031001", "Contoh Satu", "L", "1975-05-14", "Dinas Pendidikan",
     "Kepala Dinas Pendidikan", "jpt", "IV/c", "2000-03-01", None, "pns"),
    ("198008212005012001", "Contoh Dua", "P", "1980-08-21", "Dinas Pendidikan",
     "Kepala Bidang Pembinaan Guru", "administrator", "IV/a", "2005-01-01", 0, "pns"),
    ("198602032010021002", "Contoh Tiga", "L", "1986-02-03", "Dinas Pendidikan",
     "Kepala Subbagian Umum", "pengawas", "III/c", "2010-02-01", 1, "pns"),
    ("199311302019032003", "Contoh Empat", "P", "1993-11-30", "Dinas Pendidikan",
     "Pengadministrasi Perkantoran", "pelaksana", "II/c", "2019-03-01", 2, "pns"),
    ("196804042023212001", "Contoh Lima", "P", "1968-04-04", "Dinas Pendidikan",
     "Guru Ahli Pertama", "fungsional", "IX", "2023-03-01", 1, "pppk"),
    ("199007172022211002", "Contoh Enam", "L", "1990-07-17", "Dinas Pendidikan",
     "Guru Ahli Pertama", "fungsional", "IX", "2022-03-01", 1, "pppk"),
    ("199501092024211003", "Contoh Tujuh", "L", "1995-01-09", "Dinas Pendidikan",
     "Operator Layanan Operasional", "pelaksana", "V", "2024-01-01", 2, "pppk_paruh_waktu"),
    ("197212011998121001", "Contoh Delapan", "L", "1972-12-01", "Dinas Kesehatan",
     "Kepala Dinas Kesehatan", "jpt", "IV/d", "1998-12-01", None, "pns"),
    ("198806252023212001", "Contoh Sembilan", "P", "1988-06-25", "Dinas Kesehatan",
     "Perawat Terampil", "fungsional", "VII", "2023-03-01", 7, "pppk"),
    ("199109122017061001", "Contoh Sepuluh", "L", "1991-09-12", "Dinas Kesehatan",
     "Pengelola Data Kesehatan", "pelaksana", "II/d", "2017-06-01", 7, "pns"),
    ("198903032015022001", "Contoh Sebelas", "P", "1989-03-03", "Dinas Kesehatan",
     "Dokter Ahli Muda", "fungsional", "III/c", "2015-02-01", 7, "pns"),
    ("198510102023211001", "Contoh Dua Belas", "L", "1985-10-10", "Dinas Kesehatan",
     "Perawat Terampil", "fungsional", "VII", "2023-03-01", 7, "pppk"),
]  # fmt: skip

RATING = {
    "atas": ("DIATAS EKSPEKTASI", "Di Atas Ekspektasi"),
    "sesuai": ("SESUAI EKSPEKTASI", "Sesuai Ekspektasi"),
    "bawah": ("DIBAWAH EKSPEKTASI", "Di Bawah Ekspektasi"),
}
# PermenPAN-RB 6/2022 matrix: (hasil, perilaku) -> predikat
MATRIKS = {
    ("atas", "bawah"): "KURANG/MISCONDUCT", ("atas", "sesuai"): "BAIK",
    ("atas", "atas"): "SANGAT BAIK", ("sesuai", "bawah"): "KURANG/MISCONDUCT",
    ("sesuai", "sesuai"): "BAIK", ("sesuai", "atas"): "BAIK",
    ("bawah", "bawah"): "SANGAT KURANG", ("bawah", "sesuai"): "BUTUH PERBAIKAN",
    ("bawah", "atas"): "BUTUH PERBAIKAN",
}  # fmt: skip
# a fixed pattern of ratings: (hasil, perilaku) by employee and period index
POLA = [("sesuai", "sesuai"), ("atas", "sesuai"), ("sesuai", "atas"), ("atas", "atas"),
        ("bawah", "sesuai"), ("sesuai", "sesuai"), ("sesuai", "bawah")]  # fmt: skip
STATUS_SIASN = {"pns": "PNS DAERAH", "pppk": "PPPK", "pppk_paruh_waktu": "PPPK PARUH WAKTU"}
STATUS_EKINERJA = {"pns": "PNS", "pppk": "PPPK", "pppk_paruh_waktu": "PPPK Paruh Waktu"}
JABATAN_SIASN = {
    "jpt": "Jabatan Pimpinan Tinggi", "administrator": "Jabatan Administrator",
    "pengawas": "Jabatan Pengawas", "pelaksana": "Jabatan Pelaksana",
    "fungsional": "Jabatan Fungsional",
}  # fmt: skip
JABATAN_EKINERJA = {
    "jpt": "JPT", "administrator": "Administrator", "pengawas": "Pengawas",
    "pelaksana": "Pelaksana", "fungsional": "Fungsional",
}  # fmt: skip
BULAN = ("Januari", "Februari", "Maret")


def _ddmmyyyy(iso: str, sep: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}{sep}{m}{sep}{y}"


def _atasan(i: int | None) -> str:
    return "" if i is None else PEGAWAI[i][0]


def _started(p: tuple, first_day: str) -> bool:
    return p[8] <= first_day


def write_siasn(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "DATA_UTAMA.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["NIP_BARU", "NAMA", "JENIS_KELAMIN", "TANGGAL_LAHIR", "UNOR_INDUK_NAMA",
                    "JABATAN_NAMA", "JENIS_JABATAN_NAMA", "GOL_AKHIR_NAMA", "TMT_CPNS",
                    "NIP_ATASAN", "JENIS_PEGAWAI_NAMA"])  # fmt: skip
        for p in PEGAWAI:
            w.writerow([p[0], p[1], "M" if p[2] == "L" else "F", _ddmmyyyy(p[3], "-"), p[4],
                        p[5], JABATAN_SIASN[p[6]], p[7], _ddmmyyyy(p[8], "-"),
                        _atasan(p[9]), STATUS_SIASN[p[10]]])  # fmt: skip
    with (folder / "RIWAYAT_KINERJA.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["NIP_BARU", "TAHUN", "HASIL_KINERJA", "PERILAKU_KERJA", "KUADRAN_KINERJA",
                    "PENILAI_NIP"])  # fmt: skip
        for k, tahun in enumerate((2024, 2025)):
            for i, p in enumerate(PEGAWAI):
                if not _started(p, f"{tahun}-01-01"):
                    continue
                h, b = POLA[(i + k) % len(POLA)]
                w.writerow([p[0], tahun, RATING[h][0], RATING[b][0], MATRIKS[(h, b)],
                            _atasan(p[9])])  # fmt: skip
    (folder / "pemetaan.yaml").write_text(
        "# Contoh ekspor SIASN: preset `siasn` + nama file instansi ini.\n"
        "dasar: siasn\n"
        "tabel:\n"
        "  pegawai:\n"
        '    file: "DATA_UTAMA.csv"\n'
        "  penilaian_resmi:\n"
        '    file: "RIWAYAT_KINERJA.csv"\n',
        encoding="utf-8",
    )


def _workbook():
    import openpyxl  # only this script writes XLSX

    wb = openpyxl.Workbook()
    wb.properties.creator = "kinerja"
    fixed = dt.datetime(2025, 4, 1, 8, 0, 0)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    return wb


def _save(wb, path: Path) -> None:
    import zipfile

    wb.save(path)
    # fixed timestamps inside the zip, so reruns give identical bytes
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":  # openpyxl stamps the save time
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>2025-04-01T08:00:00Z\g<2>",
                    data,
                )
            info = zipfile.ZipInfo(item.filename, date_time=(2025, 4, 1, 8, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, data)
    tmp.replace(path)


def write_ekinerja(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    # employees: an instructions sheet first, title rows above the header
    wb = _workbook()
    ws = wb.active
    ws.title = "Petunjuk"
    ws["A1"] = "Petunjuk pengisian"
    ws["A2"] = "Data pegawai ada di sheet 'Pegawai'. NIP ditulis sebagai teks."
    ws = wb.create_sheet("Pegawai")
    ws["A1"] = "DATA PEGAWAI PEMERINTAH KOTA CONTOH"
    ws.merge_cells("A1:K1")
    ws["A2"] = "Keadaan per 31 Maret 2025"
    header = ["NIP", "Nama", "Jenis Kelamin", "Tanggal Lahir", "Unit Kerja", "Jabatan",
              "Jenis Jabatan", "Pangkat/Golongan", "TMT CPNS/PPPK", "NIP Atasan Langsung",
              "Status Kepegawaian"]  # fmt: skip
    ws.append([])
    ws.append(header)
    for p in PEGAWAI:
        ws.append([p[0], p[1], "Laki-laki" if p[2] == "L" else "Perempuan",
                   dt.datetime.fromisoformat(p[3]), p[4], p[5], JABATAN_EKINERJA[p[6]],
                   p[7], dt.datetime.fromisoformat(p[8]), _atasan(p[9]) or None,
                   STATUS_EKINERJA[p[10]]])  # fmt: skip
    for row in ws.iter_rows(min_row=5, max_col=1):
        row[0].number_format = "@"  # NIP as text
    _save(wb, folder / "Data Pegawai.xlsx")
    # official monthly results
    wb = _workbook()
    ws = wb.active
    ws.title = "Rekap"
    ws["A1"] = "REKAP PREDIKAT KINERJA PEGAWAI TRIWULAN I 2025"
    ws.append(["NIP", "Nama", "Periode", "Rating Hasil Kerja", "Rating Perilaku Kerja",
               "Predikat Kinerja", "NIP Pejabat Penilai"])  # fmt: skip
    for m, bulan in enumerate(BULAN):
        for i, p in enumerate(PEGAWAI):
            h, b = POLA[(i + 2 * m) % len(POLA)]
            ws.append([p[0], p[1], f"{bulan} 2025", RATING[h][1].upper(), RATING[b][1].upper(),
                       MATRIKS[(h, b)].title(), _atasan(p[9]) or None])  # fmt: skip
    _save(wb, folder / "Rekap Predikat Kinerja.xlsx")
    # monthly SKP results: real Excel numbers (decimals included)
    wb = _workbook()
    ws = wb.active
    ws.title = "Realisasi SKP"
    ws.append(["NIP", "Periode", "Indikator Kinerja Individu", "Aspek", "Target", "Realisasi"])
    for m, bulan in enumerate(BULAN):
        for i, p in enumerate(PEGAWAI):
            ratio = 0.85 + ((i * 7 + m * 3) % 11) * 0.03
            ws.append([p[0], f"{bulan} 2025", "Persentase layanan selesai tepat waktu",
                       "Kuantitas", 80, round(80 * ratio, 2)])  # fmt: skip
            ws.append([p[0], f"{bulan} 2025", "Persentase layanan selesai tepat waktu",
                       "Kualitas", 90, round(90 * min(ratio + 0.02, 1.2), 2)])  # fmt: skip
            ws.append([p[0], f"{bulan} 2025", "Persentase layanan selesai tepat waktu",
                       "Waktu", 1, 1])  # fmt: skip
    _save(wb, folder / "Realisasi SKP.xlsx")
    (folder / "pemetaan.yaml").write_text(
        "# Contoh ekspor e-Kinerja: preset `ekinerja_bkn` + nama file instansi ini.\n"
        "# Angka di XLSX adalah angka Excel: dipakai apa adanya, format desimal di bawah\n"
        "# hanya berlaku untuk angka yang ditulis sebagai teks.\n"
        "dasar: ekinerja_bkn\n"
        "format:\n"
        '  desimal: ","\n'
        '  ribuan: "."\n'
        "tabel:\n"
        "  pegawai:\n"
        '    file: "Data Pegawai.xlsx"\n'
        "  penilaian_resmi:\n"
        '    file: "Rekap Predikat Kinerja.xlsx"\n'
        "  skp:\n"
        '    file: "Realisasi SKP.xlsx"\n',
        encoding="utf-8",
    )


if __name__ == "__main__":
    write_siasn(HERE / "siasn")
    write_ekinerja(HERE / "ekinerja_bkn")
    print("contoh ditulis:", HERE / "siasn", HERE / "ekinerja_bkn")
