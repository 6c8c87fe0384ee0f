"""Checks of a batch's parameters before any heavy work (in about a second).

Validation of a large export takes minutes; a typo in ``--periode``, a missing mapping
file or an unknown notebook should not wait for it. :func:`scan_periods` reads only the
``periode`` column of the ``skp`` table (through the column mapping), so asking for a
period that is not in the data fails at once; the full validation still decides which
periods have usable rows.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from kinerja_analysis.core.errors import DatasetError, PeriodError
from kinerja_analysis.core.periods import parse_period, period_kind, sort_periods
from kinerja_analysis.core.profile import PERIOD_KINDS, AgencyProfile
from kinerja_analysis.data.mapping import ColumnMapping, read_mapping

__all__ = ["scan_periods", "check_periods"]

_EXT = (".csv", ".parquet", ".xlsx")
_KIND_WORD = {v: k for k, v in PERIOD_KINDS.items()}


#: Tables whose ``periode`` column gives the dataset's periods, in order of preference
#: (an agency may have only the official e-Kinerja results).
_PERIOD_TABLES = ("skp", "penilaian_resmi", "perilaku")


def _table_file(data_dir: Path, cmap: ColumnMapping, table: str) -> Path | None:
    tm = cmap.for_table(table)
    if tm.file:
        p = data_dir / tm.file
        if not p.is_file():
            raise DatasetError(
                f"File tabel '{table}' yang disebut dalam pemetaan tidak ada: {tm.file}"
            )
        return p
    found = [data_dir / f"{table}{e}" for e in _EXT if (data_dir / f"{table}{e}").is_file()]
    return found[0] if len(found) == 1 else None


def _period_file(data_dir: Path, cmap: ColumnMapping) -> tuple[Path, str] | None:
    for table in _PERIOD_TABLES:
        path = _table_file(data_dir, cmap, table)
        if path is not None:
            return path, table
    return None


def _normalise(raw: Iterable[object]) -> set[str]:
    out = set()
    for v in raw:
        if v is None or (isinstance(v, float) and v != v):
            continue
        s = str(v).strip().removeprefix("'")
        for cand in (s, s.upper().replace(" ", "").replace("-Q", "Q").replace("-S", "S")):
            try:
                out.add(parse_period(cand).code)
                break
            except (PeriodError, ValueError):
                continue
    return out


def scan_periods(
    data_dir: str | os.PathLike, mapping: str | os.PathLike | ColumnMapping | None = None
) -> tuple[str, ...] | None:
    """The period codes in the ``periode`` column of ``skp`` (else ``penilaian_resmi``,
    else ``perilaku``), read quickly.

    Returns ``None`` when the column cannot be read this way (the full validation will
    then say why); never validates rows.

    Raises
    ------
    DatasetError
        The data folder or the mapping file does not exist or the mapping is invalid.
    """
    d = Path(data_dir)
    if not d.is_dir():
        raise DatasetError(f"Folder data tidak ditemukan: {d}")
    cmap = mapping if isinstance(mapping, ColumnMapping) else read_mapping(mapping)
    found = _period_file(d, cmap)
    if found is None:
        return None
    path, table = found
    tm = cmap.for_table(table)
    col = next((src for src, dst in tm.kolom.items() if dst == "periode"), "periode")
    try:
        if path.suffix.lower() == ".csv":
            with path.open(encoding="utf-8-sig", errors="replace") as fh:
                header = fh.readline()
            sep = tm.format.pemisah or (";" if header.count(";") > header.count(",") else ",")
            names = [h.strip().strip('"') for h in header.rstrip("\r\n").split(sep)]
            if col not in names:
                return None
            values = pd.read_csv(
                path,
                usecols=[names.index(col)],
                dtype=str,
                sep=sep,
                encoding="utf-8-sig",
                encoding_errors="replace",
                keep_default_na=False,
            ).iloc[:, 0]
        elif path.suffix.lower() == ".parquet":
            values = pd.read_parquet(path, columns=[col])[col]
        else:
            values = pd.read_excel(path, sheet_name=tm.sheet or 0, usecols=[col], dtype=object)[col]
    except (OSError, ValueError, KeyError, ImportError):
        return None
    codes = _normalise(pd.unique(values.astype(object)))
    return tuple(sort_periods(codes)) if codes else None


def check_periods(
    requested: Iterable[str] | None,
    profile: AgencyProfile,
    available: tuple[str, ...] | None,
) -> list[str] | None:
    """Normalise requested period codes and check them against the profile and the data.

    Returns the sorted codes, or ``None`` for "every period of the data".

    Raises
    ------
    ValueError
        A code is not a period code, is of another kind than the profile's ``periode``
        (``2025-03`` for a quarterly agency), or is not in ``available``.
    """
    if requested is None:
        return None
    codes = []
    for r in requested:
        try:
            codes.append(parse_period(r).code)
        except (PeriodError, ValueError) as exc:
            raise ValueError(str(exc)) from None
    codes = sort_periods(set(codes))
    if codes:
        kind = period_kind(codes) if len({parse_period(c).kind for c in codes}) == 1 else None
        if kind != profile.period_kind:
            raise ValueError(
                f"periode {', '.join(codes)} bukan periode {profile.period} seperti dalam "
                f"profil instansi (contoh kode {profile.period}: "
                f"{ {'M': '2025-01', 'Q': '2025Q1', 'S': '2025S1', 'Y': '2025'}[profile.period_kind] })"
            )
    if available:
        missing = [c for c in codes if c not in available]
        if missing:
            raise ValueError(
                f"periode tidak ada dalam data: {', '.join(missing)} "
                f"(tersedia: {', '.join(available)})"
            )
    return codes
