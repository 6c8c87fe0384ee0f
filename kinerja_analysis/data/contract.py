"""The data contract: canonical tables, their columns and allowed values.

This module is the single source of truth for table and column names. The loader and
its validation (:mod:`kinerja_analysis.data.loading`, :mod:`kinerja_analysis.data.validation`),
the pandera schemas (:mod:`kinerja_analysis.data.schemas`), the synthetic generator and
``data/README.md`` all follow it.

Who is an ASN (UU 20/2023): a PNS or a PPPK (``status_kepegawaian``: ``pns``, ``pppk``,
``pppk_paruh_waktu``). PNS grades are ``I/a`` … ``IV/e`` (PP 11/2017), PPPK grades ``I`` …
``XVII`` (Perpres 98/2020). The official e-Kinerja record per employee and period
(PermenPAN-RB 6/2022) is the table ``penilaian_resmi``; a dataset needs ``skp`` (numeric
results) or ``penilaian_resmi`` (official ratings), or both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The seven BerAKHLAK core values rated in ``perilaku`` (SE MenPAN-RB 20/2021).
BERAKHLAK: tuple[str, ...] = (
    "berorientasi_pelayanan",
    "akuntabel",
    "kompeten",
    "harmonis",
    "loyal",
    "adaptif",
    "kolaboratif",
)
PERAN_PENILAI: tuple[str, ...] = ("atasan", "rekan", "bawahan", "diri")
ASPEK_SKP: tuple[str, ...] = ("kuantitas", "kualitas", "waktu")
JENIS_JABATAN: tuple[str, ...] = ("jpt", "administrator", "pengawas", "pelaksana", "fungsional")
GOLONGAN: tuple[str, ...] = tuple(
    f"{ruang}/{sub}"
    for ruang, subs in (("I", "abcd"), ("II", "abcd"), ("III", "abcd"), ("IV", "abcde"))
    for sub in subs
)
#: PPPK grades I–XVII (Perpres 98/2020). Same 17-step order as the PNS grades: golongan
#: IX is the graduate (S1) entry level, like III/a.
GOLONGAN_PPPK: tuple[str, ...] = (
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
    "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
)  # fmt: skip
#: Rank 1–17 of every grade, PNS and PPPK alike (an ordinal covariate).
GOLONGAN_RANK: dict[str, int] = {
    **{g: i + 1 for i, g in enumerate(GOLONGAN)},
    **{g: i + 1 for i, g in enumerate(GOLONGAN_PPPK)},
}
#: Employment status of an ASN (UU 20/2023; PPPK paruh waktu: KepmenPAN-RB 16/2025).
STATUS_KEPEGAWAIAN: tuple[str, ...] = ("pns", "pppk", "pppk_paruh_waktu")
#: The three ratings of hasil kerja and perilaku kerja (PermenPAN-RB 6/2022), worst first;
#: equal to ``kinerja_analysis.domain.ratings.RATING_ORDER`` (tested).
RATING: tuple[str, ...] = ("Di Bawah Ekspektasi", "Sesuai Ekspektasi", "Di Atas Ekspektasi")
#: Predikat kinerja (PermenPAN-RB 6/2022), worst first; equal to
#: ``kinerja_analysis.domain.predikat.PREDIKAT_ORDER`` (tested).
PREDIKAT: tuple[str, ...] = (
    "Sangat Kurang", "Kurang/Misconduct", "Butuh Perbaikan", "Baik", "Sangat Baik",
)  # fmt: skip
JENIS_PELATIHAN: tuple[str, ...] = ("teknis", "fungsional", "manajerial", "sosial_kultural")
METODE_PELATIHAN: tuple[str, ...] = ("klasikal", "nonklasikal")
SUMBER_PELATIHAN: tuple[str, ...] = ("difasilitasi", "mandiri")
PEMBERI_UMPAN_BALIK: tuple[str, ...] = ("atasan", "rekan")
BENTUK_UMPAN_BALIK: tuple[str, ...] = ("dialog_kinerja", "coaching", "mentoring", "tertulis")
#: The nine IKM service elements (PermenPAN-RB 14/2017), scored 1-4 each.
IKM_UNSUR: tuple[str, ...] = tuple(f"u{i}" for i in range(1, 10))


@dataclass(frozen=True)
class Column:
    """One column of a canonical table.

    ``kind`` is one of ``nip``, ``str``, ``category``, ``int``, ``float``, ``date``,
    ``periode``, ``bool``. ``allowed`` lists allowed values for categories;
    ``low``/``high`` bound numbers (inclusive).

    A bad value in a ``required`` column that is not ``nullable`` rejects its row; in a
    nullable or optional column it is a warning and the cell is left empty, so one
    mangled optional value (a supervisor's NIP) never sets the employee aside.
    """

    name: str
    kind: str
    required: bool = True
    nullable: bool = False
    allowed: tuple[str, ...] | None = None
    low: float | None = None
    high: float | None = None
    doc: str = ""


@dataclass(frozen=True)
class Table:
    """A canonical table: its name, grain, columns and the key that must be unique."""

    name: str
    grain: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    required: bool = True
    wide_items: bool = False  # survei: one extra column per instrument item
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "pegawai",
            "satu baris per pegawai / one row per employee",
            (
                Column(
                    "nip",
                    "nip",
                    doc="NIP (PNS) atau NI PPPK, 18 digit (teks) / 18-digit NIP or NI PPPK",
                ),
                Column("jenis_kelamin", "category", allowed=("L", "P")),
                Column("tanggal_lahir", "date"),
                Column("opd", "str", doc="nama OPD / organisational unit"),
                Column("jabatan", "str"),
                Column("jenis_jabatan", "category", allowed=JENIS_JABATAN),
                Column(
                    "golongan",
                    "category",
                    allowed=GOLONGAN + GOLONGAN_PPPK,
                    doc="PNS I/a–IV/e; PPPK I–XVII",
                ),
                Column("tmt_cpns", "date", doc="TMT CPNS (PNS) atau TMT PPPK (PPPK)"),
                Column("nip_atasan", "nip", nullable=True, doc="NIP atasan langsung"),
                Column(
                    "status_kepegawaian",
                    "category",
                    required=False,
                    nullable=True,
                    allowed=STATUS_KEPEGAWAIAN,
                    doc="pns, pppk, pppk_paruh_waktu; kosong: dari struktur NIP",
                ),
                Column("nama", "str", required=False, nullable=True),
                Column("pendidikan", "str", required=False, nullable=True),
            ),
            key=("nip",),
        ),
        Table(
            "skp",
            "pegawai x periode x indikator",
            (
                Column("nip", "nip"),
                Column("periode", "periode"),
                Column("indikator", "str"),
                Column("aspek", "category", allowed=ASPEK_SKP),
                Column("target", "float", low=0.0, doc="> 0"),
                Column("realisasi", "float", low=0.0),
                Column(
                    "indikator_layanan",
                    "bool",
                    required=False,
                    nullable=True,
                    doc="indikator pelayanan publik / service-type indicator",
                ),
            ),
            key=("nip", "periode", "indikator", "aspek"),
            required=False,
            notes=("skp atau penilaian_resmi wajib ada / skp or penilaian_resmi is required",),
        ),
        Table(
            "perilaku",
            "satu penilaian: pegawai x penilai x periode x dimensi",
            (
                Column("nip", "nip"),
                Column("periode", "periode"),
                Column("id_penilai", "str", doc="NIP atau ID penilai / rater id"),
                Column("peran_penilai", "category", allowed=PERAN_PENILAI),
                Column("dimensi", "category", allowed=BERAKHLAK),
                Column("skor", "int", low=1, high=5),
            ),
            key=("nip", "periode", "id_penilai", "dimensi"),
            required=False,
        ),
        Table(
            "penilaian_resmi",
            "pegawai x periode: hasil resmi e-Kinerja / official e-Kinerja result",
            (
                Column("nip", "nip"),
                Column("periode", "periode"),
                Column(
                    "rating_hasil",
                    "category",
                    required=False,
                    nullable=True,
                    allowed=RATING,
                    doc="rating hasil kerja: Di Atas / Sesuai / Di Bawah Ekspektasi",
                ),
                Column(
                    "rating_perilaku",
                    "category",
                    required=False,
                    nullable=True,
                    allowed=RATING,
                    doc="rating perilaku kerja",
                ),
                Column(
                    "predikat",
                    "category",
                    required=False,
                    nullable=True,
                    allowed=PREDIKAT,
                    doc="predikat kinerja (PermenPAN-RB 6/2022)",
                ),
                Column(
                    "nip_penilai",
                    "nip",
                    required=False,
                    nullable=True,
                    doc="NIP pejabat penilai kinerja",
                ),
            ),
            key=("nip", "periode"),
            required=False,
            notes=("predikat or both ratings must be filled / isi predikat atau kedua rating",),
        ),
        Table(
            "pelatihan",
            "satu pelatihan yang diikuti / one training attended",
            (
                Column("nip", "nip"),
                Column("id_pelatihan", "str"),
                Column("nama_pelatihan", "str"),
                Column("jenis", "category", allowed=JENIS_PELATIHAN),
                Column("metode", "category", allowed=METODE_PELATIHAN),
                Column("kompetensi_sasaran", "str"),
                Column("jp", "float", low=0.0, high=1000.0, doc="jam pelajaran (45 menit)"),
                Column("tanggal_mulai", "date"),
                Column("tanggal_selesai", "date"),
                Column("sumber", "category", allowed=SUMBER_PELATIHAN),
            ),
            key=("nip", "id_pelatihan"),
            required=False,
        ),
        Table(
            "umpan_balik",
            "satu sesi umpan balik / one feedback session",
            (
                Column("nip", "nip"),
                Column("periode", "periode"),
                Column("tanggal", "date"),
                Column("pemberi", "category", allowed=PEMBERI_UMPAN_BALIK),
                Column("bentuk", "category", allowed=BENTUK_UMPAN_BALIK),
                Column("kualitas", "float", required=False, nullable=True, low=1, high=5),
            ),
            required=False,
        ),
        Table(
            "layanan",
            "OPD x periode",
            (
                Column("opd", "str"),
                Column("periode", "periode"),
                Column("ikm", "float", required=False, nullable=True, low=25, high=100),
                *(
                    Column(u, "float", required=False, nullable=True, low=1, high=4)
                    for u in IKM_UNSUR
                ),
                Column("jumlah_layanan", "int", low=0),
                Column("tepat_waktu_pct", "float", low=0, high=100),
                Column("jumlah_pengaduan", "int", low=0),
            ),
            key=("opd", "periode"),
            required=False,
            notes=("Either ikm or all of u1..u9 must be present / ikm atau u1..u9 wajib ada",),
        ),
        Table(
            "penerapan",
            "OPD",
            (
                Column("opd", "str"),
                Column(
                    "periode_mulai",
                    "periode",
                    nullable=True,
                    doc="periode pertama sistem evaluasi terstruktur (kosong = belum)",
                ),
            ),
            key=("opd",),
            required=False,
        ),
        Table(
            "survei",
            "responden x periode (+ satu kolom per butir)",
            (
                Column("nip", "nip"),
                Column("periode", "periode"),
            ),
            key=("nip", "periode"),
            required=False,
            wide_items=True,
            notes=("Item columns are named in survei_instrumen.item; answers 1-5 or empty",),
        ),
        Table(
            "survei_instrumen",
            "satu baris per butir / one row per item",
            (
                Column("item", "str"),
                Column("konstruk", "str"),
                Column("teks", "str"),
                Column("terbalik", "bool", doc="butir negatif (reverse-scored)"),
                Column("skala_min", "int", required=False, nullable=True),
                Column("skala_max", "int", required=False, nullable=True),
            ),
            key=("item",),
            required=False,
        ),
    )
}

#: Order in which tables are loaded; references point only to earlier tables.
TABLE_ORDER: tuple[str, ...] = tuple(TABLES)
#: Tables that carry the evaluation periods; a dataset needs at least one of them.
PERIOD_TABLES: tuple[str, ...] = ("skp", "penilaian_resmi")
