"""What the HR data team sees while a batch runs: phases, warnings, the final summary.

- :class:`BatchConsole` shows every long phase (validation, shared models, reports) in
  Indonesian with a spinner or a progress bar and its duration, and writes a run log
  (``<cache>/log/batch-<time>.log``).
- Library warnings raised during a phase are captured, never printed raw: each goes to
  the run log, and the ones that matter to a reader become a sentence
  (:func:`translate_warning`); the rest are counted.
- Every data value printed on the console (an OPD name in a run's title) is shown as
  text: rich markup and control characters in it are neutralised (:func:`plain`).
- The run log holds no personal data: NIPs and the employees' names are replaced
  (:class:`Redactor`); errors reach the console in the report language (the English
  original goes to the log).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import re
import time
import warnings
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kinerja_analysis.core.io import folder_of
from kinerja_analysis.core.text import Catalog
from kinerja_analysis.reporting import fmt
from kinerja_analysis.reporting.markup import clean_text

__all__ = [
    "BatchConsole",
    "Redactor",
    "translate_warning",
    "plain",
    "TEXT",
    "duration",
    "path_problem",
]

TEXT = Catalog(
    {
        "id": {
            "mulai": "kinerja batch: data {data} → laporan {out}",
            "profil": "Profil instansi: {instansi} ({sumber})",
            "validasi": "Memvalidasi data",
            "validasi_ok": "Data tervalidasi: {n_pegawai} ASN, {n_periode} periode ({periode})",
            "ditolak": "{n} baris ditolak saat validasi (rincian: kinerja validate --out)",
            "struktur_lain": "… dan {k} peringatan struktur lain (rincian: kinerja validate --out)",
            "min_sel_satu": "Peringatan: min_sel = 1 mematikan penyembunyian kelompok kecil: "
            "setiap kelompok, juga yang hanya berisi satu ASN, tampil di dokumen yang "
            "diterbitkan, dan angkanya dapat menunjuk satu orang. Aturan data pribadi proyek "
            "ini menyembunyikan kelompok kecil (bawaan min_sel = {bawaan}).",
            "bersama": "Menghitung model lintas periode (efek, skor, panel)",
            "bersama_ok": "Model lintas periode siap",
            "rencana": "{n_run} laporan direncanakan: {n_baru} dijalankan, {n_lewat} tidak berubah",
            "laporan": "Menulis laporan",
            "indeks": "Menulis indeks",
            "selesai_fase": "{teks} ({detik})",
            "w_singleton": "{n} efek tetap yang hanya berisi satu pengamatan dikeluarkan dari "
            "model panel; ini wajar dan tidak mengubah perkiraan.",
            "w_konvergen": "Sebuah model statistik belum konvergen penuh; perkiraannya perlu "
            "dibaca dengan hati-hati.",
            "w_lain": "{n} peringatan teknis dari pustaka dicatat di log: {log}",
            "ringkas_dokumen": "Dokumen: {index}",
            "tabel_judul": "Ringkasan batch ({detik})",
            "kolom_run": "laporan",
            "kolom_status": "status",
            "kolom_detik": "detik",
            "kolom_keluaran": "keluaran",
            "status_ok": "selesai",
            "status_dilewati": "tidak berubah",
            "status_opd_kecil": "tanpa dokumen",
            "status_gagal": "gagal",
            "status_dibatalkan": "dibatalkan",
            "data_tidak_dapat_dipakai": "Data tidak dapat dipakai:",
            "kesalahan": "Kesalahan:",
            "galat_tak_terduga": "Galat tak terduga ({error}); batch berhenti. Laporkan ke "
            "pengembang beserta perintah yang dijalankan.",
            "dibatalkan_cli": "Dibatalkan. Laporan yang sudah selesai tetap utuh.",
            "folder_dipakai": "Folder sedang dipakai: batch lain sedang menulis ke {out} (atau "
            "memakai cache yang sama). Tunggu sampai selesai, pakai --tunggu DETIK, atau pilih "
            "--out lain.",
            "cache_dipakai": "Cache sedang dipakai: batch lain memakai folder cache {cache}. "
            "Tunggu sampai selesai, pakai --tunggu DETIK, atau pilih --cache lain.",
            "rahasia_ditulis": "RAHASIA: {n} lembar umpan balik individual di {folder} "
            "(ber-NIP; jangan disebarkan).",
            "ringkas_jumlah": "{n_ok} laporan ditulis, {n_lewat} tidak berubah, {n_gagal} gagal "
            "({detik}).",
            "ringkas_lewat": "Dilewati: {n} laporan karena data, parameter dan kode tidak "
            "berubah sejak laporan terakhir (pakai --force untuk menulis ulang).",
            "ringkas_opd_kecil": "Tanpa laporan per OPD: {opd} ({periode}) — {n} ASN pada "
            "periode itu, kurang dari min_sel = {min_sel}; setiap angka laporannya akan "
            "menggambarkan terlalu sedikit orang.",
            "ringkas_opd_kosong": "Tanpa laporan per OPD: {opd} ({periode}) — belum ada ASN-nya "
            "pada periode itu (semua ASN-nya dalam data pegawai mulai bertugas sesudahnya).",
            "ringkas_opd_hilang": "Ditarik: {n} laporan per OPD periode {periode} dari data "
            "sebelumnya, karena OPD-nya tidak ada lagi dalam data ini (berganti nama, digabung "
            "atau dihapus); laporan lamanya tidak boleh tampil di samping yang baru.",
            "ringkas_gagal": "Gagal: {kunci} — {pesan}",
            "ringkas_nb": "  notebook yang dijalankan disimpan di {path}",
            "ringkas_nb_tidak": "  tidak ada notebook yang dapat disimpan (kernel tidak sempat "
            "berjalan)",
            "ringkas_lama": "  laporan sebelumnya ({tanggal}) tetap tersedia dan tercantum di "
            "indeks",
            "ringkas_log": "Log: {log}",
            "periode_hilang": "periode {periode}: tidak ada laporan — validasi tidak "
            "menyisakan baris yang dapat dipakai dari {n} baris (mis. {contoh}). "
            "Laporan lama periode ini (bila ada) tetap utuh.",
            "periode_sebagian": "periode {periode}: {n} baris ditolak saat validasi, laporan "
            "tetap ditulis dari baris lainnya (mis. {contoh})",
            "tempat_tolak": "{file} baris {baris}, kolom {kolom}, {nilai}: {pesan}",
            "nilai": "nilai {nilai}",
            "nilai_pribadi": "nilai tidak ditampilkan (data pribadi)",
            "gagal_sel": "notebook berhenti di sel {sel} karena galat {jenis}; rincian di "
            "notebook yang disimpan dan di log",
            "gagal_kernel": "kernel Jupyter berhenti mendadak (mungkin kehabisan memori)",
            "gagal_mulai": "kernel Jupyter tidak dapat dijalankan",
            "gagal_waktu": "sel notebook melebihi batas waktu",
            "gagal_ekspor": "ekspor {format} gagal ({jenis}); rincian di log",
            "gagal_pekerja": "proses pekerja berhenti mendadak",
            "gagal_analisis": "analisis lintas periode untuk data sampai periode ini gagal "
            "(galat {jenis}); dokumen periode ini tidak dibuat, periode lain tetap dibuat; "
            "rincian di log",
            "gagal_lain": "galat {jenis}; rincian di log",
            "gagal_pribadi": "{dokumen} memuat data pribadi ({nip} NIP, {nama} nama pegawai), "
            "jadi tidak diterbitkan; dokumen sebelumnya (bila ada) tetap. Cari sumbernya dengan "
            "kinerja validate (aturan data_pribadi)",
            "indeks_entri_pribadi": "index.html: {n} dokumen periode {periode} tidak "
            "dicantumkan karena judul, OPD atau nama foldernya memuat data pribadi (NIP atau "
            "nama pegawai); hapus dokumen itu dari folder laporan",
            "indeks_pribadi": "index.html tidak diperbarui: halamannya memuat data pribadi "
            "({nip} NIP, {nama} nama pegawai); indeks sebelumnya tetap",
            "gagal_disk": "disk penuh atau tidak dapat ditulisi ({jenis})",
            # the command line's own usage errors (kinerja_analysis.pipeline.cli)
            "cli_galat": "Galat",
            "cli_pemakaian": "Pemakaian: {perintah} {isi}",
            "cli_opsi_metavar": "[OPSI]",
            "cli_perintah_metavar": "PERINTAH [ARGUMEN]...",
            "cli_bantuan": "Coba '{perintah} {bantuan}' untuk bantuan.",
            "cli_opsi_asing": "Opsi tidak dikenal: {opsi}.",
            "cli_mungkin": "Mungkin maksud Anda: {saran}?",
            "cli_perintah_asing": "Perintah tidak dikenal: {perintah}.",
            "cli_perintah_ada": "Perintah yang ada: {daftar}.",
            "cli_perintah_kurang": "Perintah belum disebut; yang ada: {daftar}.",
            "cli_argumen_wajib": "Argumen {nama} wajib diisi.",
            "cli_opsi_wajib": "Opsi {nama} wajib diisi.",
            "cli_argumen_lebih": "Argumen berlebih: {argumen}.",
            "cli_perlu_nilai": "Opsi {opsi} memerlukan sebuah nilai.",
            "cli_perlu_n_nilai": "Opsi {opsi} memerlukan {n} nilai.",
            "cli_tanpa_nilai": "Opsi {opsi} tidak menerima nilai (tulis {opsi} saja).",
            "cli_nilai_salah": "Nilai {nilai} untuk {param} tidak dapat dipakai: {sebab}.",
            "cli_harus_bulat": "harus bilangan bulat",
            "cli_harus_angka": "harus bilangan",
            "cli_harus_min": "harus paling sedikit {batas}",
            "cli_harus_lebih": "harus lebih dari {batas}",
            "cli_harus_maks": "harus paling banyak {batas}",
            "cli_harus_kurang": "harus kurang dari {batas}",
            "cli_harus_pilihan": "harus salah satu dari {pilihan}",
            "cli_tidak_terbaca": "Perintah tidak dapat dibaca ({pesan}).",
            "cli_dibatalkan": "Dibatalkan.",
            # a path given where the other kind is expected (path_problem)
            "peran_out_batch": "Folder laporan (--out)",
            "peran_out_validasi": "Folder hasil validasi (--out)",
            "peran_out_data": "Folder dataset (--out)",
            "peran_cache": "Folder cache (--cache)",
            "peran_config": "File profil instansi (--config)",
            "peran_mapping": "File pemetaan kolom (--mapping)",
            "jalur_file_bukan_folder": "{peran} {path} adalah sebuah file, bukan folder. Berikan "
            "sebuah folder (dibuat bila belum ada); mungkin maksud Anda folder {saran}?",
            "jalur_induk_file": "{peran} {path} tidak dapat dibuat: {bagian} adalah sebuah file, "
            "bukan folder.",
            "jalur_folder_bukan_file": "{peran} {path} adalah sebuah folder, bukan file. Berikan "
            "file-nya (YAML).",
            "jalur_yaml_di_folder": "File YAML di folder itu: {daftar}.",
            "dataset_ada": "Dataset sudah ada di {out} (pakai --force untuk menimpa).",
            "dataset_ditulis": "Dataset sintetis ditulis: {n} file di {out}",
        },
        "en": {
            "mulai": "kinerja batch: data {data} → reports {out}",
            "profil": "Agency profile: {instansi} ({sumber})",
            "validasi": "Validating the data",
            "validasi_ok": "Data validated: {n_pegawai} ASN, {n_periode} periods ({periode})",
            "ditolak": "{n} rows rejected by validation (details: kinerja validate --out)",
            "struktur_lain": "… and {k} more structural warnings (details: kinerja validate --out)",
            "min_sel_satu": "Warning: min_sel = 1 switches the suppression of small groups "
            "off: every group, also one of a single ASN, is shown in the published documents, "
            "and its figures can point at one person. The project's personal-data rule "
            "suppresses small groups (default min_sel = {bawaan}).",
            "bersama": "Fitting the cross-period models (effects, scores, panel)",
            "bersama_ok": "Cross-period models ready",
            "rencana": "{n_run} reports planned: {n_baru} to run, {n_lewat} unchanged",
            "laporan": "Writing reports",
            "indeks": "Writing the index",
            "selesai_fase": "{teks} ({detik})",
            "w_singleton": "{n} fixed effects with a single observation were dropped from the "
            "panel models; this is expected and does not change the estimates.",
            "w_konvergen": "A statistical model did not fully converge; read its estimates "
            "with care.",
            "w_lain": "{n} technical library warnings were written to the log: {log}",
            "ringkas_dokumen": "Documents: {index}",
            "tabel_judul": "Batch summary ({detik})",
            "kolom_run": "report",
            "kolom_status": "status",
            "kolom_detik": "seconds",
            "kolom_keluaran": "outputs",
            "status_ok": "done",
            "status_dilewati": "unchanged",
            "status_opd_kecil": "no document",
            "status_gagal": "failed",
            "status_dibatalkan": "cancelled",
            "data_tidak_dapat_dipakai": "The data cannot be used:",
            "kesalahan": "Error:",
            "galat_tak_terduga": "Unexpected error ({error}); the batch stopped. Please report "
            "it to the developers with the command that was run.",
            "dibatalkan_cli": "Cancelled. Reports already finished stay intact.",
            "folder_dipakai": "Folder in use: another batch is writing to {out} (or uses the "
            "same cache). Wait until it ends, use --tunggu SECONDS, or choose another --out.",
            "cache_dipakai": "Cache in use: another batch uses the cache folder {cache}. Wait "
            "until it ends, use --tunggu SECONDS, or choose another --cache.",
            "rahasia_ditulis": "CONFIDENTIAL: {n} individual feedback sheets in {folder} "
            "(with NIPs; do not share).",
            "ringkas_jumlah": "Reports: {n_ok} written, {n_lewat} unchanged, {n_gagal} failed "
            "({detik}).",
            "ringkas_lewat": "Skipped: {n} reports because data, parameters and code are "
            "unchanged since the last report (use --force to rewrite).",
            "ringkas_opd_kecil": "No per-OPD report: {opd} ({periode}) — {n} ASN in that "
            "period, fewer than min_sel = {min_sel}; every figure of its report would describe "
            "too few people.",
            "ringkas_opd_kosong": "No per-OPD report: {opd} ({periode}) — none of its ASN had "
            "started by then (all its ASN in the employee register started later).",
            "ringkas_opd_hilang": "Withdrawn: {n} per-OPD reports of {periode} from earlier "
            "data, whose OPD is no longer in these data (renamed, merged or removed); an old "
            "report must not stand beside the new ones.",
            "ringkas_gagal": "Failed: {kunci} — {pesan}",
            "ringkas_nb": "  the executed notebook is kept at {path}",
            "ringkas_nb_tidak": "  no notebook could be kept (the kernel did not get to run)",
            "ringkas_lama": "  the previous report ({tanggal}) stays available and listed in "
            "the index",
            "ringkas_log": "Log: {log}",
            "periode_hilang": "period {periode}: no report — validation left no usable rows "
            "of {n} (e.g. {contoh}). An earlier report of this period (if any) "
            "stays intact.",
            "periode_sebagian": "period {periode}: {n} rows rejected by validation, the "
            "report is written from the other rows (e.g. {contoh})",
            "tempat_tolak": "{file} row {baris}, column {kolom}, {nilai}: {pesan}",
            "nilai": "value {nilai}",
            "nilai_pribadi": "value not shown (personal data)",
            "gagal_sel": "the notebook stopped in cell {sel} with a {jenis} error; details in "
            "the kept notebook and the log",
            "gagal_kernel": "the Jupyter kernel died (perhaps out of memory)",
            "gagal_mulai": "the Jupyter kernel could not be started",
            "gagal_waktu": "a notebook cell exceeded its time limit",
            "gagal_ekspor": "the {format} export failed ({jenis}); details in the log",
            "gagal_pekerja": "a worker process ended abruptly",
            "gagal_analisis": "the cross-period analysis of the data up to this period "
            "failed ({jenis} error); this period's documents were not made, the other "
            "periods' were; details in the log",
            "gagal_lain": "{jenis} error; details in the log",
            "gagal_pribadi": "{dokumen} holds personal data ({nip} NIP, {nama} employee "
            "names), so it was not published; the earlier document (if any) stays. Find the "
            "source with kinerja validate (rule data_pribadi)",
            "indeks_entri_pribadi": "index.html: {n} documents of {periode} are not listed "
            "because their title, OPD or folder name holds personal data (an employee's NIP "
            "or name); remove them from the report folder",
            "indeks_pribadi": "index.html not updated: the page held personal data ({nip} "
            "NIP, {nama} employee names); the earlier index stays",
            "gagal_disk": "the disk is full or cannot be written ({jenis})",
            # the command line's own usage errors (kinerja_analysis.pipeline.cli)
            "cli_galat": "Error",
            "cli_pemakaian": "Usage: {perintah} {isi}",
            "cli_opsi_metavar": "[OPTIONS]",
            "cli_perintah_metavar": "COMMAND [ARGS]...",
            "cli_bantuan": "Try '{perintah} {bantuan}' for help.",
            "cli_opsi_asing": "No such option: {opsi}.",
            "cli_mungkin": "Did you mean: {saran}?",
            "cli_perintah_asing": "No such command: {perintah}.",
            "cli_perintah_ada": "Commands: {daftar}.",
            "cli_perintah_kurang": "No command given; the commands are: {daftar}.",
            "cli_argumen_wajib": "Missing argument {nama}.",
            "cli_opsi_wajib": "Missing option {nama}.",
            "cli_argumen_lebih": "Unexpected extra arguments: {argumen}.",
            "cli_perlu_nilai": "Option {opsi} requires a value.",
            "cli_perlu_n_nilai": "Option {opsi} requires {n} values.",
            "cli_tanpa_nilai": "Option {opsi} does not take a value (write just {opsi}).",
            "cli_nilai_salah": "The value {nilai} of {param} cannot be used: {sebab}.",
            "cli_harus_bulat": "it must be a whole number",
            "cli_harus_angka": "it must be a number",
            "cli_harus_min": "it must be at least {batas}",
            "cli_harus_lebih": "it must be more than {batas}",
            "cli_harus_maks": "it must be at most {batas}",
            "cli_harus_kurang": "it must be less than {batas}",
            "cli_harus_pilihan": "it must be one of {pilihan}",
            "cli_tidak_terbaca": "The command cannot be read ({pesan}).",
            "cli_dibatalkan": "Cancelled.",
            # a path given where the other kind is expected (path_problem)
            "peran_out_batch": "The report folder (--out)",
            "peran_out_validasi": "The validation output folder (--out)",
            "peran_out_data": "The dataset folder (--out)",
            "peran_cache": "The cache folder (--cache)",
            "peran_config": "The agency profile file (--config)",
            "peran_mapping": "The column-mapping file (--mapping)",
            "jalur_file_bukan_folder": "{peran} {path} is a file, not a folder. Give a folder "
            "(created if it does not exist); did you mean its folder {saran}?",
            "jalur_induk_file": "{peran} {path} cannot be created: {bagian} is a file, not a "
            "folder.",
            "jalur_folder_bukan_file": "{peran} {path} is a folder, not a file. Give the file "
            "(YAML).",
            "jalur_yaml_di_folder": "YAML files in that folder: {daftar}.",
            "dataset_ada": "A dataset already exists in {out} (use --force to overwrite).",
            "dataset_ditulis": "Synthetic dataset written: {n} files in {out}",
        },
    }
)

_SINGLETON = re.compile(r"(\d+) singleton fixed effect", re.I)
#: A NIP or NI PPPK (18 digits), also as Excel cut it (15+ digits) or with separators.
_ID_RE = re.compile(r"(?<!\d)\d(?:[ .-]?\d){14,19}(?!\d)")
_WORD_RE = re.compile(r"[^\W_]+", re.U)  # words; "sari_dewi" is two


class Redactor:
    """Removes personal data from a log line: identifiers of 15–20 digits (NIP, NI PPPK)
    and the employees' names (``names``, matched as whole words, case-insensitive).

    >>> Redactor(["Sari Dewi"])("nip 199001012015032002 (sari dewi)")
    'nip [NIP] ([nama])'
    >>> Redactor(["Sari Dewi"])("file SARI_DEWI.xlsx")
    'file [nama].xlsx'

    With ``markup=True`` the marks are escaped for rich's console markup (``\\[nama]``),
    for a line printed on the console.
    """

    def __init__(self, names: object = ()) -> None:
        self.names: set[tuple[str, ...]] = set()
        self.longest = 0
        for n in [] if names is None else list(names):  # type: ignore[call-overload]
            if not isinstance(n, str):
                continue
            words = tuple(w.casefold() for w in _WORD_RE.findall(n))
            if words and sum(map(len, words)) >= 3:
                self.names.add(words)
                self.longest = max(self.longest, len(words))

    def __call__(self, line: str, markup: bool = False) -> str:
        nip, nama = (r"\[NIP]", r"\[nama]") if markup else ("[NIP]", "[nama]")
        line = _ID_RE.sub(nip.replace("\\", "\\\\"), line)
        if not self.names:
            return line
        spans = [(m.start(), m.end(), m.group(0).casefold()) for m in _WORD_RE.finditer(line)]
        hits = []
        i = 0
        while i < len(spans):
            for k in range(min(self.longest, len(spans) - i), 0, -1):
                if tuple(w for _, _, w in spans[i : i + k]) in self.names:
                    hits.append((spans[i][0], spans[i + k - 1][1]))
                    i += k - 1
                    break
            i += 1
        for a, b in reversed(hits):
            line = line[:a] + nama + line[b:]
        return line


def plain(value: object, limit: int = 200) -> str:
    """A data value safe to print on a console: no control characters, no rich markup,
    one line of at most ``limit`` characters — a longer one ends with ``…`` after its
    last whole word (cut where it is only when no word ends in the line's second half:
    a long run without spaces).

    >>> print(plain("[b]x[/b] satu dua tiga", 14))
    \\[b]x\\[/b] satu…
    """
    from rich.markup import escape  # lazy: only for console output

    text = clean_text(str(value)).replace("\n", " ").replace("\r", " ")
    if len(text) > limit:
        cut = text[: max(limit - 1, 0)]
        space = max(cut.rfind(c) for c in " \t\u00a0")
        # back to the last whole word (a long run without spaces is cut where it is)
        if not text[len(cut)].isspace() and space >= limit // 2:
            cut = cut[:space]
        text = cut.rstrip() + "…"
    return escape(text)


def plain_lines(value: object, limit: int = 2000, max_lines: int = 60) -> str:
    """:func:`plain` line by line, keeping a message's own line breaks (a list of
    problems, one per line); at most ``max_lines`` lines, then ``…``."""
    lines = str(value).splitlines() or [""]
    out = [plain(line, limit) for line in lines[:max_lines]]
    return "\n".join(out + (["…"] if len(lines) > max_lines else []))


def path_problem(path: str | os.PathLike, expect: str, role: str, bahasa: str = "id") -> str | None:
    """Why ``path`` cannot be what a command was given it for, in ``bahasa``; None when
    it can (or when only its absence is wrong: that is said where it is read).

    ``expect`` is ``"folder"``, a folder the command writes into (made when missing: a
    file there, or a file where one of its parent folders should be, cannot), or
    ``"file"``, a file it reads (a folder there is said to be one, with the YAML files
    in it). ``role`` names what the path is for: ``peran_<role>`` in :data:`TEXT`
    (``"out_batch"``, ``"cache"``, ``"config"``…).

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> path_problem(d, "folder", "cache") is None
    True
    >>> path_problem(d, "file", "config", "en") == f"The agency profile file (--config) {d} is a folder, not a file. Give the file (YAML)."
    True
    """
    p = Path(path)
    peran = TEXT(f"peran_{role}", bahasa)  # type: ignore[arg-type]
    if expect == "file":
        if not p.is_dir():
            return None
        text = TEXT("jalur_folder_bukan_file", bahasa, peran=peran, path=p)  # type: ignore[arg-type]
        yamls = sorted(q.name for q in p.iterdir() if q.suffix.lower() in (".yaml", ".yml"))
        if yamls:
            shown = ", ".join(yamls[:5]) + (", …" if len(yamls) > 5 else "")
            text += " " + TEXT("jalur_yaml_di_folder", bahasa, daftar=shown)  # type: ignore[arg-type]
        return text
    if expect != "folder":
        raise ValueError(f"expect must be 'folder' or 'file', not {expect!r}")
    if p.exists():
        if p.is_dir():
            return None
        return TEXT(  # type: ignore[arg-type]
            "jalur_file_bukan_folder", bahasa, peran=peran, path=p, saran=folder_of(p)
        )
    for parent in p.parents:
        if parent.exists():
            if parent.is_dir():
                return None
            return TEXT("jalur_induk_file", bahasa, peran=peran, path=p, bagian=parent)  # type: ignore[arg-type]
    return None


def duration(seconds: float, bahasa: str = "id") -> str:
    """``"2 menit 5 detik"`` / ``"12,3 detik"``."""
    if seconds < 60:
        return f"{fmt.number(seconds, 1, bahasa)} {'detik' if bahasa == 'id' else 's'}"
    m, s = divmod(int(round(seconds)), 60)
    return f"{m} {'menit' if bahasa == 'id' else 'min'} {s} {'detik' if bahasa == 'id' else 's'}"


def translate_warning(message: str, category: str, bahasa: str = "id") -> tuple[str, str] | None:
    """``(kind, sentence)`` for a library warning a reader should know about, else ``None``.

    Known kinds: ``singleton`` (pyfixest dropping singleton fixed effects) and
    ``konvergen`` (a ``ConvergenceWarning`` of statsmodels/scipy).
    """
    m = _SINGLETON.search(message)
    if m:
        return "singleton", m.group(1)
    if "Convergence" in category or "did not converge" in message.lower():
        return "konvergen", ""
    return None


class BatchConsole:
    """Progress, warnings and log of one batch.

    Parameters
    ----------
    console
        A ``rich.console.Console`` (default: stderr).
    progress
        Show spinners and bars (phases are logged either way).
    log_path
        The run log; created with its folder.
    bahasa
        Language of the messages.
    """

    def __init__(
        self,
        console: Any = None,
        *,
        progress: bool = True,
        log_path: Path | None = None,
        bahasa: str = "id",
    ) -> None:
        from rich.console import Console  # lazy: only for console output

        self.console = console or Console(stderr=True)
        self.progress = progress
        self.bahasa = bahasa if bahasa in ("id", "en") else "id"
        self.log_path = log_path
        self.counts: Counter[str] = Counter()
        self.singletons = 0
        self.n_warnings = 0
        self.redact = Redactor()
        if log_path is not None:
            log_path.parent.mkdir(parents=True, exist_ok=True)

    def t(self, key: str, **fields: object) -> str:
        return TEXT(key, self.bahasa, **fields)  # type: ignore[arg-type]

    def log(self, line: str) -> None:
        """Append a line to the run log (not shown)."""
        if self.log_path is None:
            return
        stamp = _dt.datetime.now().isoformat(timespec="seconds")
        with self.log_path.open("a", encoding="utf-8") as fh:
            fh.write(f"{stamp} {self.redact(clean_text(line))}\n")

    def shown(self, text: str) -> str:
        """``text`` (console markup, data escaped) with NIPs and names masked
        (:class:`Redactor`): what the console may show."""
        return self.redact(text, markup=True)

    def say(self, text: str, style: str | None = None) -> None:
        """Show a line (already escaped where it holds data; NIPs and names masked) and
        log it."""
        self.console.print(self.shown(text), style=style, highlight=False, soft_wrap=True)
        self.log(text)

    def record_warning(self, message: str, category: str) -> None:
        """Log one library warning and remember what a reader should be told."""
        self.n_warnings += 1
        self.log(f"peringatan {category}: {message}")
        tr = translate_warning(message, category, self.bahasa)
        if tr is None:
            self.counts["lain"] += 1
        elif tr[0] == "singleton":
            self.singletons += int(tr[1])
        else:
            self.counts[tr[0]] += 1

    @contextlib.contextmanager
    def capture_warnings(self) -> Iterator[None]:
        """Route warnings raised inside the block to :meth:`record_warning`."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("default")
            warnings.filterwarnings("ignore", category=DeprecationWarning)
            warnings.filterwarnings("ignore", category=PendingDeprecationWarning)
            try:
                yield
            finally:
                for w in caught:
                    self.record_warning(str(w.message), w.category.__name__)

    @contextlib.contextmanager
    def phase(self, key: str, **fields: object) -> Iterator[None]:
        """A long phase: a spinner while it runs, then its text and duration."""
        teks = self.t(key, **fields)
        self.log(f"mulai: {teks}")
        t0 = time.perf_counter()
        status = (
            self.console.status(f"{teks} …", spinner="dots")
            if self.progress
            else contextlib.nullcontext()
        )
        with status, self.capture_warnings():
            yield
        self.say(
            "✓ "
            + self.t(
                "selesai_fase", teks=teks, detik=duration(time.perf_counter() - t0, self.bahasa)
            )
        )

    def warning_lines(self) -> list[str]:
        """Sentences for the warnings that matter, and a count of the rest."""
        out = []
        if self.singletons:
            out.append(self.t("w_singleton", n=fmt.number(self.singletons, 0, self.bahasa)))
        if self.counts["konvergen"]:
            out.append(self.t("w_konvergen"))
        if self.counts["lain"]:
            out.append(self.t("w_lain", n=self.counts["lain"], log=self.log_path))
        return out
