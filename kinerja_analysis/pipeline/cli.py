"""The ``kinerja`` command line.

``kinerja generate-data``  writes the synthetic Kotalama dataset;
``kinerja validate DIR``   checks a dataset and prints the validation summary
                           (exit 0 clean, 1 rows rejected or warnings, 2 unusable);
``kinerja batch``          writes every period's report (see :mod:`kinerja_analysis.batch`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from kinerja_analysis.core.config import DEFAULTS
from kinerja_analysis.core.errors import DatasetError
from kinerja_analysis.data.loading import _format_issue, validate_dataset
from kinerja_analysis.data.messages import message
from kinerja_analysis.pipeline.batch import batch_command
from kinerja_analysis.pipeline.options import MappingOption, PseudonimOption
from kinerja_analysis.pipeline.preflight import MESSAGES
from kinerja_analysis.reporting.markup import clean_text

app = typer.Typer(
    name="kinerja",
    help="Evaluasi kinerja ASN: validasi data, data sintetis Kotalama, laporan per periode.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
err_console = Console(stderr=True)


@app.command("generate-data")
def generate_data(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder tujuan dataset.")] = Path(
        "data/kotalama"
    ),
    n_pegawai: Annotated[int, typer.Option(help="Jumlah ASN.")] = 6000,
    seed: Annotated[int, typer.Option(help="Seed pembangkit acak.")] = DEFAULTS.seed,
    fmt: Annotated[str, typer.Option("--format", help="csv atau parquet.")] = "csv",
    force: Annotated[bool, typer.Option(help="Timpa dataset yang sudah ada.")] = False,
) -> None:
    """Bangkitkan dataset sintetis Kota Kotalama dengan kebenaran yang diketahui (truth.json)."""
    from kinerja_analysis.data import synth  # heavy: only for this command

    if (out / "truth.json").exists() and not force:
        _print(f"Dataset sudah ada di {out} (pakai --force untuk menimpa).")
        raise typer.Exit(0)
    result = synth.generate(n_pegawai=n_pegawai, seed=seed)
    paths = synth.write_dataset(result, out, fmt=fmt)
    _print(f"Dataset sintetis ditulis: {len(paths)} file di {out}")


def _read_as(r, bahasa: str) -> str:
    """How one file was read, in words: format, sheet, header row, delimiter, decimal
    mark, encoding, and which of these were detected rather than declared."""
    if not isinstance(r.format, str) or not r.format:
        return ""

    def part(key: str, field: str, value: object) -> str:
        if value is None or value == "" or (isinstance(value, float) and value != value):
            return ""
        return message(key, bahasa, **{field: value})

    header = r.baris_header
    text = message(
        "cara_baca",
        bahasa,
        format=r.format.upper(),
        sheet=part("cara_sheet", "sheet", r.sheet),
        header=str(int(header)) if pd.notna(header) else "?",
        pemisah=part("cara_pemisah", "pemisah", r.pemisah),
        desimal=part("cara_desimal", "desimal", r.desimal) if r.format != "parquet" else "",
        encoding=part("cara_encoding", "encoding", r.encoding) if r.format == "csv" else "",
    )
    if r.terdeteksi:
        words = [message(f"kata_{k}", bahasa) for k in str(r.terdeteksi).split(", ")]
        text += message("terdeteksi_daftar", bahasa, daftar=", ".join(words))
    return text


def _summary_table(report, bahasa: str = "id") -> Table:
    table = Table(title=message("ringkasan_judul", bahasa))
    for key, justify in (
        ("kolom_tabel", "left"),
        ("kolom_file", "left"),
        ("kolom_dibaca", "right"),
        ("kolom_diterima", "right"),
        ("kolom_ditolak", "right"),
        ("kolom_peringatan", "right"),
    ):
        table.add_column(message(key, bahasa), justify=justify)
    sep = "." if bahasa == "id" else ","
    for r in report.summary.itertuples(index=False):
        table.add_row(
            Text(clean_text(str(r.tabel))),
            Text(clean_text(str(r.file))),
            f"{r.rows_read:,}".replace(",", sep),
            f"{r.rows_accepted:,}".replace(",", sep),
            f"{r.rows_rejected:,}".replace(",", sep),
            f"{r.n_peringatan:,}".replace(",", sep),
        )
    return table


def _print(text: str, style: str | None = None, *, err: bool = False) -> None:
    """Print a line as plain text: brackets in it (a file or folder name, a mapping key,
    a value from the data) are never read as console markup, and control characters in
    it (a file name holding an escape sequence) never reach the terminal."""
    (err_console if err else console).print(
        Text(clean_text(text), style=style or ""), highlight=False, soft_wrap=True
    )


def _print_report(report, bahasa: str, show: int) -> None:
    """The whole validation report: summary, structure, root causes, grouped problems."""
    console.print(_summary_table(report, bahasa))
    _print(message("cara_baca_judul", bahasa), "bold")
    for r in report.summary.itertuples(index=False):
        how = _read_as(r, bahasa) if r.status == "ok" else message(f"status_{r.status}", bahasa)
        _print("  " + message("cara_baca_baris", bahasa, file=r.file or r.tabel, cara=how))
    info = report.structure[report.structure["tingkat"] == "info"]
    for r in info.itertuples(index=False):
        _print(f"  - {r.file or r.tabel}: {r.pesan}")
    if report.periods:
        _print(message("periode_dataset", bahasa, periode=", ".join(report.periods)))
    struct = report.structure[report.structure["tingkat"] != "info"]
    if len(struct):
        _print(message("masalah_struktur", bahasa), "bold")
        for r in struct.itertuples(index=False):
            where = r.file or r.tabel
            text = str(r.pesan)
            prefix = f"{where}: " if where and not text.startswith(f"{where}:") else ""
            _print(f"  [{message(f'tingkat_{r.tingkat}', bahasa)}] {prefix}{text}")
    causes = report.causes()
    if len(causes):
        _print(message("sebab_utama", bahasa), "bold")
        for r in causes.head(show).itertuples(index=False):
            _print(f"  {r.pesan}")
    groups = report.grouped()
    if len(groups):
        _print(message("n_masalah", bahasa, n=f"{len(report.issues):,}", k=len(groups), show=show))
        for r in groups.head(show).itertuples(index=False):
            _print("  " + _format_issue(r, bahasa))
    elif not len(struct):
        _print(message("tidak_ada_masalah", bahasa), "green")
    notes = list(report.notes)
    if report.absent:
        notes.append(message("opsional_tidak_ada", bahasa, tabel=", ".join(report.absent)))
    for note in notes:
        _print(message("catatan", bahasa, teks=note))


#: Rows beyond which the validation workbook is not written (the CSV files hold them all).
XLSX_MAX_ROWS = 200_000


def _write_workbook(report, out: Path, bahasa: str) -> Path | None:
    """``validasi.xlsx``: the validation report's tables (summary, problems, root causes,
    rejected rows as typed) through THE workbook writer — every text a string cell, never
    a formula. Not written when the tables exceed :data:`XLSX_MAX_ROWS` rows (said)."""
    from kinerja_analysis.reporting.export import to_xlsx  # lazy: openpyxl only with --out

    frames = report.files()
    n = sum(len(df) for df in frames.values())
    if n > XLSX_MAX_ROWS:
        _print(message("xlsx_terlalu_besar", bahasa, n=n, maks=XLSX_MAX_ROWS))
        return None
    sheets = {name.replace("/", " "): df for name, df in frames.items()}
    return to_xlsx(sheets, Path(out) / "validasi.xlsx", bahasa=bahasa)  # type: ignore[arg-type]


@app.command("validate")
def validate(
    data_dir: Annotated[Path, typer.Argument(help="Folder dataset.")],
    mapping: MappingOption = None,
    pseudonim: PseudonimOption = False,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Folder untuk laporan validasi dan baris yang ditolak."),
    ] = None,
    periode: Annotated[
        list[str] | None,
        typer.Option("--periode", help="Periode dataset (boleh berulang); bawaan: disimpulkan."),
    ] = None,
    show: Annotated[int, typer.Option(help="Jumlah kelompok masalah yang ditampilkan.")] = 30,
    bahasa: Annotated[str, typer.Option(help="Bahasa pesan: id atau en.")] = "id",
) -> None:
    """Validasi dataset: exit 0 bersih, 1 ada baris ditolak/peringatan, 2 tidak dapat dipakai."""
    if bahasa not in ("id", "en"):
        both = " / ".join(MESSAGES("bahasa", b, value=bahasa) for b in ("id", "en"))
        _print(both, err=True)
        raise typer.Exit(2)
    try:
        report, _, _ = validate_dataset(
            data_dir, mapping=mapping, pseudonim=pseudonim, periods=periode, bahasa=bahasa
        )
        if out is not None:
            report.write(out, data_dir)
            _write_workbook(report, out, bahasa)
    except DatasetError as exc:
        _print(f"{message('data_tidak_dapat_dipakai', bahasa)}: {exc}", "bold red", err=True)
        raise typer.Exit(2) from None
    except Exception as exc:  # noqa: BLE001 - never a bare traceback for the user
        error = f"{type(exc).__name__}: {exc}"
        _print(message("galat_tak_terduga", bahasa, error=error), err=True)
        raise typer.Exit(2) from None
    _print_report(report, bahasa, show)
    if out is not None:
        _print(message("rincian_di", bahasa, out=str(out)))
    if not report.usable:
        _print(f"{message('data_tidak_dapat_dipakai', bahasa)}.", "bold red")
    raise typer.Exit(report.exit_code)


app.command("batch")(batch_command)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
