"""Numbers, percentages, periods and dates written the Indonesian (or English) way.

Stakeholder reports are in Bahasa Indonesia: a comma is the decimal mark and a point
groups thousands (``0,21``, ``6.012``), periods are words (``Triwulan I 2025``) and dates
carry Indonesian month names (``28 November 2026``). English (``bahasa="en"``) uses
``0.21``, ``6,012``, ``Quarter 1 2025``.

Period codes follow the data contract (DESIGN.md §2): ``YYYYQn`` (quarter, n = 1–4),
``YYYYSn`` (semester, n = 1–2) or ``YYYY`` (year).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
from collections.abc import Iterable
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd

__all__ = [
    "Bahasa",
    "Periode",
    "angka",
    "persen",
    "parse_periode",
    "periode_kata",
    "periode_urut",
    "tanggal",
    "slug",
    "KOSONG",
]

Bahasa = Literal["id", "en"]

#: What a missing value prints as.
KOSONG = "–"

_BULAN = {
    "id": (
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
_ROMAWI = ("I", "II", "III", "IV")
_PERIODE_RE = re.compile(r"^(\d{4})(?:([QS])(\d))?$")


def _cek_bahasa(bahasa: str) -> None:
    if bahasa not in ("id", "en"):
        raise ValueError(f"bahasa harus 'id' atau 'en', bukan {bahasa!r}")


def _kosong(x: object) -> bool:
    if x is None or x is pd.NA or x is pd.NaT:
        return True
    try:
        return bool(isinstance(x, float | np.floating) and math.isnan(x))
    except TypeError:  # pragma: no cover - exotic types
        return False


def angka(x: object, desimal: int | None = 2, bahasa: Bahasa = "id") -> str:
    """Write a number with the decimal and thousands marks of ``bahasa``.

    Parameters
    ----------
    x
        A number (Python, NumPy or pandas scalar). Missing values (None, NaN, NA)
        give :data:`KOSONG` (``"–"``).
    desimal
        Digits after the decimal mark. Integers (``int``, NumPy integers) are always
        written without decimals; ``None`` writes floats with as few decimals as
        needed (at most 6).
    bahasa
        ``"id"``: ``1.234,5``; ``"en"``: ``1,234.5``.

    Returns
    -------
    str
        ``angka(0.2103) == "0,21"``, ``angka(6012) == "6.012"``,
        ``angka(-1234.5, 1, "en") == "-1,234.5"``.

    Notes
    -----
    Rounding is Python's ``format`` (round half to even on the binary value), the same
    as pandas' display.
    """
    _cek_bahasa(bahasa)
    if _kosong(x):
        return KOSONG
    if isinstance(x, bool | np.bool_):
        raise ValueError(f"angka: nilai boolean {x!r} bukan angka")
    if isinstance(x, int | np.integer):
        teks = f"{int(x):,}"
    else:
        try:
            v = float(x)  # type: ignore[arg-type]
        except (TypeError, ValueError) as e:
            raise ValueError(f"angka: {x!r} bukan angka") from e
        if math.isinf(v):
            return "∞" if v > 0 else "-∞"
        if desimal is None:
            teks = f"{v:,.6f}".rstrip("0").rstrip(".")
        else:
            if desimal < 0:
                raise ValueError(f"desimal harus >= 0, bukan {desimal}")
            teks = f"{v:,.{desimal}f}"
        if teks.startswith("-") and float(teks[1:].replace(",", "")) == 0:
            teks = teks[1:]  # "-0,0" -> "0,0"
    if bahasa == "id":
        teks = teks.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return teks


def persen(
    x: object,
    desimal: int = 1,
    bahasa: Bahasa = "id",
    *,
    skala: Literal["fraksi", "persen"] = "fraksi",
) -> str:
    """Write a share as a percentage: ``persen(0.125) == "12,5%"``.

    Parameters
    ----------
    x
        The share. With ``skala="fraksi"`` (default) 0.125 means 12.5 %; with
        ``skala="persen"`` the value is already in percent (``12.5``).
    desimal, bahasa
        As in :func:`angka`.

    Returns
    -------
    str
        The number followed by ``%`` without a space (Indonesian and English house
        style alike); :data:`KOSONG` for a missing value.
    """
    if skala not in ("fraksi", "persen"):
        raise ValueError(f"skala harus 'fraksi' atau 'persen', bukan {skala!r}")
    if _kosong(x):
        return KOSONG
    v = float(x) * (100.0 if skala == "fraksi" else 1.0)  # type: ignore[arg-type]
    return angka(v, desimal, bahasa) + "%"


class Periode(NamedTuple):
    """A parsed period code: ``tahun`` (year), ``jenis`` (``"Q"``, ``"S"``, ``"Y"``), ``ke``.

    For a year (``"2025"``) ``jenis == "Y"`` and ``ke == 1``.
    """

    tahun: int
    jenis: str
    ke: int

    @property
    def kode(self) -> str:
        return str(self.tahun) if self.jenis == "Y" else f"{self.tahun}{self.jenis}{self.ke}"

    @property
    def bulan_awal(self) -> int:
        """First month of the period (1–12)."""
        return {"Q": 3 * (self.ke - 1) + 1, "S": 6 * (self.ke - 1) + 1, "Y": 1}[self.jenis]

    @property
    def bulan_akhir(self) -> int:
        """Last month of the period (1–12)."""
        return {"Q": 3 * self.ke, "S": 6 * self.ke, "Y": 12}[self.jenis]


def parse_periode(code: str) -> Periode:
    """Parse a period code ``YYYYQn``, ``YYYYSn`` or ``YYYY``.

    Lower case and surrounding spaces are accepted (``" 2025q1 "``).

    Returns
    -------
    Periode
        ``(tahun, jenis, ke)``, e.g. ``parse_periode("2025Q3") == (2025, "Q", 3)``.

    Raises
    ------
    ValueError
        Not a period code, quarter outside 1–4, semester outside 1–2, or year outside
        1900–2199.
    """
    if not isinstance(code, str):
        raise ValueError(f"kode periode harus teks, bukan {type(code).__name__}: {code!r}")
    m = _PERIODE_RE.match(code.strip().upper())
    if not m:
        raise ValueError(
            f"kode periode tidak valid: {code!r} (format YYYYQn, YYYYSn atau YYYY, "
            "mis. 2025Q1, 2025S1, 2025)"
        )
    tahun = int(m.group(1))
    if not 1900 <= tahun <= 2199:
        raise ValueError(f"tahun periode di luar 1900–2199: {code!r}")
    jenis = m.group(2) or "Y"
    ke = int(m.group(3) or 1)
    batas = {"Q": 4, "S": 2, "Y": 1}[jenis]
    if not 1 <= ke <= batas:
        nama = {"Q": "triwulan", "S": "semester"}[jenis]
        raise ValueError(f"{nama} ke-{ke} tidak ada (1–{batas}): {code!r}")
    return Periode(tahun, jenis, ke)


def periode_kata(code: str, bahasa: Bahasa = "id") -> str:
    """A period in words: ``"2025Q1"`` → ``"Triwulan I 2025"`` / ``"Quarter 1 2025"``.

    ``"2025S2"`` → ``"Semester II 2025"`` / ``"Semester 2 2025"``;
    ``"2025"`` → ``"Tahun 2025"`` / ``"Year 2025"``.
    """
    _cek_bahasa(bahasa)
    p = parse_periode(code)
    if p.jenis == "Y":
        return f"{'Tahun' if bahasa == 'id' else 'Year'} {p.tahun}"
    if bahasa == "id":
        kata = "Triwulan" if p.jenis == "Q" else "Semester"
        return f"{kata} {_ROMAWI[p.ke - 1]} {p.tahun}"
    kata = "Quarter" if p.jenis == "Q" else "Semester"
    return f"{kata} {p.ke} {p.tahun}"


def periode_urut(codes: Iterable[str]) -> list[str]:
    """Validate, normalise (upper case) and sort period codes; duplicates are dropped.

    Periods sort by their first month, then by length (``2025`` before ``2025S1`` before
    ``2025Q1``), so ``["2025Q2", "2024Q4", "2025Q1"]`` → ``["2024Q4", "2025Q1", "2025Q2"]``.
    """
    parsed = {parse_periode(c) for c in codes}
    urutan = {"Y": 0, "S": 1, "Q": 2}
    return [p.kode for p in sorted(parsed, key=lambda p: (p.tahun, p.bulan_awal, urutan[p.jenis]))]


def tanggal(d: _dt.date | _dt.datetime | pd.Timestamp | str, bahasa: Bahasa = "id") -> str:
    """A date in words: ``2026-11-28`` → ``"28 November 2026"``, ``2026-08-17`` → ``"17 Agustus 2026"``.

    Accepts ``datetime.date``/``datetime``, ``pandas.Timestamp`` or an ISO string
    (``"2026-11-28"``). Missing values give :data:`KOSONG`.
    """
    _cek_bahasa(bahasa)
    if _kosong(d):
        return KOSONG
    if isinstance(d, str):
        try:
            d = _dt.date.fromisoformat(d.strip()[:10])
        except ValueError as e:
            raise ValueError(f"tanggal tidak valid (format YYYY-MM-DD): {d!r}") from e
    if not isinstance(d, _dt.date):
        raise ValueError(f"tanggal: {d!r} bukan tanggal")
    return f"{d.day} {_BULAN[bahasa][d.month - 1]} {d.year}"


def slug(teks: str) -> str:
    """A file-name-safe slug: ``"Dinas Kesehatan"`` → ``"dinas-kesehatan"``.

    Accents are folded to ASCII, everything other than letters and digits becomes a
    single hyphen, lower case. Raises ``ValueError`` when nothing is left.
    """
    if not isinstance(teks, str):
        raise ValueError(f"slug: harus teks, bukan {teks!r}")
    ascii_ = unicodedata.normalize("NFKD", teks).encode("ascii", "ignore").decode("ascii")
    s = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")
    if not s:
        raise ValueError(f"slug: {teks!r} tidak menghasilkan nama yang dapat dipakai")
    return s
