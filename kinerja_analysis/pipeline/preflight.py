"""Checks of a batch's parameters before any heavy work (in about a second).

Validation of a large export takes minutes; a typo in ``--periode``, a missing mapping
file or an unknown notebook should not wait for it. :func:`scan_periods` reads only the
``periode`` column of the ``skp`` table (through the column mapping), so asking for a
period that is not in the data fails at once; the full validation still decides which
periods have usable rows.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from kinerja_analysis.core.compat import read_parquet
from kinerja_analysis.core.errors import DatasetError, PeriodError
from kinerja_analysis.core.periods import parse_period, parse_period_text, period_kind, sort_periods
from kinerja_analysis.core.profile import PERIOD_KINDS, AgencyProfile
from kinerja_analysis.core.text import Bahasa, Catalog
from kinerja_analysis.data.mapping import ColumnMapping, read_mapping
from kinerja_analysis.reporting import fmt

__all__ = [
    "scan_periods",
    "scan_period_values",
    "check_periods",
    "check_profile_kind",
    "MESSAGES",
]

#: What the checks before a batch say, in the batch's language (``bahasa``).
MESSAGES = Catalog(
    {
        "id": {
            "folder_data": "Folder data tidak ditemukan: {path}",
            "file_pemetaan": "File tabel '{table}' yang disebut dalam pemetaan tidak ada: {file}",
            "format": "format tidak dikenal: {bad}; pilih dari {allowed}",
            "bahasa": "bahasa harus 'id' atau 'en', bukan {value!r}",
            "min_sel": "min_sel harus bilangan bulat >= 1, bukan {value!r}",
            "workers": "workers harus bilangan bulat >= 1 (atau kosong: semua inti), bukan {value!r}",
            "notebook": "notebook tidak ditemukan: {unknown}; tersedia: {available}",
            "folder_notebook": "folder notebook laporan tidak ditemukan: {path}",
            "tanpa_profil": "profil instansi belum ditentukan: data ini bukan data contoh "
            "Kotalama, jadi laporan tidak boleh memakai nama Kotalama. Buat file profil (salin "
            "contohnya, {contoh}) dan berikan dengan --config FILE.",
            "cache_di_laporan": "cache_dir tidak boleh berada di dalam folder laporan (berisi "
            "data pegawai)",
            "laporan_di_data": "folder laporan tidak boleh berada di dalam folder data (data "
            "mentah tidak diubah)",
            "kode_periode": "{value!r} bukan kode periode (contoh: 2025-03, 2025Q1, 2025S1, 2025)",
            "periode_bukan_jenis": "periode {codes} bukan periode {kind} seperti dalam profil "
            "instansi (contoh kode {kind}: {example})",
            "periode_tidak_ada": "periode tidak ada dalam data: {missing} (tersedia: {available})",
            "profil_tidak_sesuai": "periode data tidak sesuai profil instansi{source}: profil "
            "menyatakan 'periode: {period}', tetapi {file}, kolom {column!r}, berisi periode "
            "{data_kinds} (contoh nilai {value!r} = {code}). Ubah 'periode' di profil menjadi "
            "{choices}, atau periksa file itu.",
            "atau": " atau ",
            "M": "bulan",
            "Q": "triwulan",
            "S": "semester",
            "Y": "tahun",
        },
        "en": {
            "folder_data": "Data folder not found: {path}",
            "file_pemetaan": "The file of table '{table}' named in the mapping does not "
            "exist: {file}",
            "format": "unknown format: {bad}; choose from {allowed}",
            "bahasa": "bahasa must be 'id' or 'en', not {value!r}",
            "min_sel": "min_sel must be a whole number >= 1, not {value!r}",
            "workers": "workers must be a whole number >= 1 (or None: every core), not {value!r}",
            "notebook": "notebook not found: {unknown}; available: {available}",
            "folder_notebook": "report notebook folder not found: {path}",
            "tanpa_profil": "no agency profile given: these data are not the Kotalama example, "
            "so the reports may not carry the Kotalama name. Write a profile file (copy the "
            "example, {contoh}) and pass it with --config FILE.",
            "cache_di_laporan": "cache_dir may not be inside the report folder (it holds "
            "employee-level data)",
            "laporan_di_data": "the report folder may not be inside the data folder (raw "
            "data are never modified)",
            "kode_periode": "{value!r} is not a period code (e.g. 2025-03, 2025Q1, 2025S1, 2025)",
            "periode_bukan_jenis": "period {codes} is not a {kind} period as in the agency "
            "profile (a {kind} code: {example})",
            "periode_tidak_ada": "period not in the data: {missing} (available: {available})",
            "profil_tidak_sesuai": "the data's periods do not match the agency profile{source}: "
            "the profile says 'periode: {period}', but {file}, column {column!r}, holds "
            "{data_kinds} periods (e.g. value {value!r} = {code}). Change 'periode' in the "
            "profile to {choices}, or check that file.",
            "atau": " or ",
            "M": "monthly",
            "Q": "quarterly",
            "S": "half-yearly",
            "Y": "yearly",
        },
    }
)
_EXAMPLE_CODE = {"M": "2025-01", "Q": "2025Q1", "S": "2025S1", "Y": "2025"}

_EXT = (".csv", ".parquet", ".xlsx")
_KIND_WORD = {v: k for k, v in PERIOD_KINDS.items()}  # the profile's own word ("triwulan")


#: Tables whose ``periode`` column gives the dataset's periods, in order of preference
#: (an agency may have only the official e-Kinerja results).
_PERIOD_TABLES = ("skp", "penilaian_resmi", "perilaku")


def _table_file(
    data_dir: Path, cmap: ColumnMapping, table: str, bahasa: Bahasa = "id"
) -> Path | None:
    tm = cmap.for_table(table)
    if tm.file:
        p = data_dir / tm.file
        if not p.is_file():
            raise DatasetError(MESSAGES("file_pemetaan", bahasa, table=table, file=tm.file))
        return p
    found = [data_dir / f"{table}{e}" for e in _EXT if (data_dir / f"{table}{e}").is_file()]
    return found[0] if len(found) == 1 else None


def _period_file(
    data_dir: Path, cmap: ColumnMapping, bahasa: Bahasa = "id"
) -> tuple[Path, str] | None:
    for table in _PERIOD_TABLES:
        path = _table_file(data_dir, cmap, table, bahasa)
        if path is not None:
            return path, table
    return None


def period_codes(raw: Iterable[object]) -> set[str]:
    """Period codes of raw cell values, read as validation reads them
    (:func:`~kinerja_analysis.core.periods.parse_period_text`: ``2024-Q4``, ``TW III
    2024``, ``Triwulan I 2025``, ``Januari 2025`` …); a whole number from a spreadsheet
    (``202501.0``) as its digits, a leading apostrophe (Excel's text mark) dropped."""
    out = set()
    for v in raw:
        if v is None or (isinstance(v, float) and v != v):
            continue
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        try:
            out.add(parse_period_text(str(v).strip().removeprefix("'")).code)
        except (PeriodError, ValueError):
            continue
    return out


@dataclass(frozen=True)
class PeriodScan:
    """Where the dataset's periods were read: ``file`` (name), ``column`` (its header as
    in the file), ``table``, ``examples`` — one raw value as typed per period code — and
    ``counts``, the rows per period code."""

    file: str
    column: str
    table: str
    examples: dict[str, str]
    counts: dict[str, int] = field(default_factory=dict)
    rows: dict[str, list[int]] = field(default_factory=dict)  # first line numbers per code

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(sort_periods(self.examples))


def scan_periods(
    data_dir: str | os.PathLike,
    mapping: str | os.PathLike | ColumnMapping | None = None,
    bahasa: Bahasa = "id",
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
    scan = scan_period_values(data_dir, mapping, bahasa)
    return scan.codes if scan is not None else None


def scan_period_values(
    data_dir: str | os.PathLike,
    mapping: str | os.PathLike | ColumnMapping | None = None,
    bahasa: Bahasa = "id",
) -> PeriodScan | None:
    """:func:`scan_periods` with where the values were read and one raw value per code
    (for messages that name the file, column and value); messages in ``bahasa``."""
    d = Path(data_dir)
    if not d.is_dir():
        raise DatasetError(MESSAGES("folder_data", bahasa, path=d))
    cmap = mapping if isinstance(mapping, ColumnMapping) else read_mapping(mapping, bahasa)
    found = _period_file(d, cmap, bahasa)
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
            values = read_parquet(path, columns=[col])[col]
        else:
            values = pd.read_excel(path, sheet_name=tm.sheet or 0, usecols=[col], dtype=object)[col]
    except Exception:  # noqa: BLE001 - a file that cannot be read is left to validation
        # a truncated workbook (zipfile.BadZipFile), an HTML table saved as .xlsx, a
        # file locked by Excel …: validation reads every file and says why, with the file
        # named ("file tidak dapat dibaca (BadZipFile: …)"); this quick look only asks
        # for the period codes and never stops the batch itself
        return None
    examples: dict[str, str] = {}
    counts: dict[str, int] = {}
    code_of: dict[object, str] = {}
    for raw, n in values.astype(object).value_counts(dropna=True).items():
        for code in period_codes([raw]):
            examples.setdefault(code, str(raw).strip())
            counts[code] = counts.get(code, 0) + int(n)
            code_of[raw] = code
    if not examples:
        return None
    rows: dict[str, list[int]] = {}
    for i, raw in enumerate(values.astype(object)):
        code = code_of.get(raw)
        if code is not None and len(rows.setdefault(code, [])) < 20:
            rows[code].append(i + 2)  # line number: the header is line 1
    return PeriodScan(path.name, str(col), table, examples, counts, rows)


def check_profile_kind(
    profile: AgencyProfile,
    codes: Iterable[str],
    file: str,
    column: str,
    examples: dict[str, str],
    bahasa: Bahasa = "id",
) -> str | None:
    """``None`` when the data hold periods of the profile's kind, else the problem in
    words (``bahasa``): the profile's kind, the data's kind(s), the file, column and one
    value as typed (``examples`` maps a period code to a raw value of it).
    """
    codes = list(codes)
    if not codes:
        return None
    kinds = {parse_period(c).kind for c in codes}
    if profile.period_kind in kinds:
        return None
    code = sort_periods(codes)[0]
    return MESSAGES(
        "profil_tidak_sesuai",
        bahasa,
        source=f" ({profile.source.name})" if profile.source is not None else "",
        period=profile.period,
        file=file,
        column=column,
        data_kinds=", ".join(sorted(MESSAGES(k, bahasa) for k in kinds)),
        value=examples.get(code, code),
        code=code,
        choices=MESSAGES("atau", bahasa).join(sorted(_KIND_WORD[k] for k in kinds)),
    )


def check_periods(
    requested: Iterable[str] | None,
    profile: AgencyProfile,
    available: tuple[str, ...] | None,
    bahasa: Bahasa = "id",
) -> list[str] | None:
    """Normalise requested period codes and check them against the profile and the data.

    Returns the sorted codes, or ``None`` for "every period of the data".

    Raises
    ------
    ValueError
        A code is not a period code, is of another kind than the profile's ``periode``
        (``2025-03`` for a quarterly agency), or is not in ``available``; the message is
        in ``bahasa``.
    """
    if requested is None:
        return None
    codes = []
    for r in requested:
        try:
            codes.append(parse_period(r).code)
        except (PeriodError, ValueError) as exc:
            # the parser says what is wrong with the code (in Indonesian)
            why = str(exc) if bahasa == "id" else MESSAGES("kode_periode", bahasa, value=r)
            raise ValueError(why) from None
    codes = sort_periods(set(codes))
    if codes:
        kind = period_kind(codes) if len({parse_period(c).kind for c in codes}) == 1 else None
        if kind != profile.period_kind:
            raise ValueError(
                MESSAGES(
                    "periode_bukan_jenis",
                    bahasa,
                    codes=", ".join(codes),
                    kind=MESSAGES(profile.period_kind, bahasa),
                    example=_EXAMPLE_CODE[profile.period_kind],
                )
            )
    if available:
        missing = [c for c in codes if c not in available]
        if missing:
            raise ValueError(
                MESSAGES(
                    "periode_tidak_ada",
                    bahasa,
                    missing=", ".join(missing),
                    available=", ".join(available),
                )
            )
    return codes


#: Columns whose values identify a person: never printed or logged, only their column.
PERSONAL_COLUMNS = frozenset({"nip", "nip_atasan", "id_penilai", "nama", "nama_pegawai"})
_REJECT_TABLES = ("skp", "penilaian_resmi", "perilaku")


def _rejects_by_period(report: Any) -> dict[str, list[tuple[str, int, str]]]:
    """``{period code: [(table, row, file), …]}`` of the rejected rows of the period
    tables; ``file`` is the row's file and sheet where a table was read from several
    sheets of a workbook (a row 7 in each), else ``""``."""
    out: dict[str, list[tuple[str, int, str]]] = {}
    for table in _REJECT_TABLES:
        rows = report.rejected_rows.get(table) if report.rejected_rows else None
        if rows is None or not len(rows) or "periode" not in rows.columns:
            continue
        files = rows["file"] if "file" in rows.columns else [""] * len(rows)
        for raw, baris, file in zip(rows["periode"], rows["baris"], files, strict=True):
            for code in period_codes([raw]):
                out.setdefault(code, []).append((table, int(baris), str(file)))
    return out


def describe_rejects(report: Any, where: list[tuple], bahasa: str, limit: int = 2) -> str:
    """The first ``limit`` rejected rows (``(table, row)``, or ``(table, row, file)`` for
    a row of a table read from several sheets) as ``file baris N, kolom C, nilai 'V':
    pesan``; values of personal columns (NIP, names) are not shown, only that they were
    hidden."""
    from kinerja_analysis.pipeline.console import TEXT  # lazy: console imports reporting

    issues = report.issues
    parts: list[str] = []
    for table, baris, *file in where:
        if len(parts) >= limit:
            break
        hit = issues[(issues["tabel"] == table) & (issues["baris"] == baris)]
        if file and file[0]:
            hit = hit[hit["file"] == file[0]]
        if not len(hit):
            continue
        r = hit.iloc[0]
        kolom = str(r["kolom"]) if isinstance(r["kolom"], str) else ""
        nilai = r["nilai"] if isinstance(r["nilai"], str) else ""
        # a key of several columns ("nip,periode,indikator,aspek") quotes each of them
        if PERSONAL_COLUMNS.intersection(kolom.split(",")):
            nilai_teks = TEXT("nilai_pribadi", bahasa)  # type: ignore[arg-type]
        else:
            nilai_teks = TEXT("nilai", bahasa, nilai=repr(nilai[:60]))  # type: ignore[arg-type]
        parts.append(
            TEXT(  # type: ignore[arg-type]
                "tempat_tolak",
                bahasa,
                file=r["file"],
                baris=baris,
                kolom=kolom,
                nilai=nilai_teks,
                pesan=textwrap.shorten(str(r["pesan"]), 160, placeholder=" …"),
            )
        )
    return "; ".join(parts)


def period_problems(
    report: Any,
    periods: Iterable[str],
    wanted: Iterable[str],
    scan: PeriodScan | None,
    bahasa: str = "id",
) -> tuple[dict[str, str], dict[str, str]]:
    """Periods whose data were (partly) rejected: ``(lost, partial)``, each
    ``{period: sentence}`` naming the file, row, column and value of the first rejects.

    ``lost``: periods of ``wanted`` (requested, or else the periods read in the raw data
    that hold as many rows as a normal period) that validation left without usable rows —
    no report can be written for them. ``partial``: periods of ``wanted`` that are
    reported (in ``periods``) and had rows rejected; a period the batch does not write
    is not said to be written.
    """
    from kinerja_analysis.pipeline.console import TEXT  # lazy: console imports reporting

    periods = list(periods)
    wanted = list(wanted)
    pending = set(getattr(report, "pending_periods", ()) or ())
    by_period = _rejects_by_period(report)
    lost: dict[str, str] = {}
    for p in wanted:
        if p in periods or p in pending:
            continue
        where = by_period.get(p, [])
        n = len(where)
        if scan is not None and p in scan.rows:  # rows kept with warnings count too
            n = max(n, scan.counts.get(p, 0))
            where = where + [(scan.table, r) for r in scan.rows[p]]
        lost[p] = TEXT(  # type: ignore[arg-type]
            "periode_hilang",
            bahasa,
            periode=p,
            n=fmt.number(n, 0, bahasa),
            contoh=describe_rejects(report, where, bahasa) or "-",
        )
    partial = {
        p: TEXT(  # type: ignore[arg-type]
            "periode_sebagian",
            bahasa,
            periode=p,
            n=fmt.number(len(by_period[p]), 0, bahasa),
            contoh=describe_rejects(report, by_period[p], bahasa),
        )
        for p in periods
        if p in wanted and by_period.get(p)
    }
    return lost, partial


def raw_periods(
    scan: PeriodScan | None,
    report: Any,
    periods: Iterable[str],
    accepted: dict[str, int] | None = None,
) -> list[str]:
    """The periods an agency would expect a report for: those read in the raw period
    column (or, when it could not be read quickly, in the rejected rows; ``accepted``
    gives the accepted rows per period then) of the dataset's
    kind, holding at least a tenth of the rows of a typical reported period (a stray row
    with another period is a validation problem, not a missing report)."""
    periods = list(periods)
    kinds = {parse_period(p).kind for p in periods}
    if scan is not None:
        counts = scan.counts
        typical = sorted(counts.get(p, 0) for p in periods)
    else:  # rows per period: rejected ones from the report, accepted ones as given
        counts = {p: len(w) for p, w in _rejects_by_period(report).items()}
        typical = sorted((accepted or {}).get(p, 0) + counts.get(p, 0) for p in periods)
    floor = max(1, typical[len(typical) // 2] // 10) if typical else 1
    return sort_periods(
        {
            p
            for p, n in counts.items()
            if parse_period(p).kind in kinds and n >= floor and p not in periods
        }
        | set(periods)
    )
