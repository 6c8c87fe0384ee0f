"""The ``kinerja`` command line.

``kinerja generate-data``  writes the synthetic Kotalama dataset;
``kinerja validate DIR``   checks a dataset and prints the validation summary
                           (exit 0 clean, 1 rows rejected or warnings, 2 unusable);
``kinerja batch``          writes every period's report (see :mod:`kinerja_analysis.batch`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from kinerja_analysis.core.config import DEFAULTS
from kinerja_analysis.core.errors import DatasetError
from kinerja_analysis.data.loading import load_dataset
from kinerja_analysis.pipeline.batch import batch_command

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
        console.print(f"Dataset sudah ada di {out} (pakai --force untuk menimpa).")
        raise typer.Exit(0)
    result = synth.generate(n_pegawai=n_pegawai, seed=seed)
    paths = synth.write_dataset(result, out, fmt=fmt)
    console.print(f"Dataset sintetis ditulis: {len(paths)} file di {out}")


def _summary_table(report) -> Table:
    table = Table(title="Ringkasan validasi")
    for col, justify in (
        ("tabel", "left"),
        ("file", "left"),
        ("dibaca", "right"),
        ("diterima", "right"),
        ("ditolak", "right"),
        ("peringatan", "right"),
    ):
        table.add_column(col, justify=justify)
    for r in report.summary.itertuples(index=False):
        table.add_row(
            r.tabel,
            r.file,
            f"{r.rows_read:,}".replace(",", "."),
            f"{r.rows_accepted:,}".replace(",", "."),
            f"{r.rows_rejected:,}".replace(",", "."),
            f"{r.n_peringatan:,}".replace(",", "."),
        )
    return table


@app.command("validate")
def validate(
    data_dir: Annotated[Path, typer.Argument(help="Folder dataset.")],
    mapping: Annotated[
        Path | None, typer.Option("--mapping", "-m", help="File pemetaan kolom (YAML).")
    ] = None,
    pseudonim: Annotated[
        bool, typer.Option(help="ID pegawai adalah pseudonim: matikan cek struktur NIP.")
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Folder untuk laporan validasi dan baris yang ditolak."),
    ] = None,
    show: Annotated[int, typer.Option(help="Jumlah masalah yang ditampilkan.")] = 30,
) -> None:
    """Validasi dataset: exit 0 bersih, 1 ada baris ditolak/peringatan, 2 tidak dapat dipakai."""

    try:
        ds = load_dataset(data_dir, mapping=mapping, pseudonim=pseudonim, rejects_dir=out)
    except DatasetError as exc:
        err_console.print(f"[bold red]Data tidak dapat dipakai:[/] {exc}", soft_wrap=True)
        raise typer.Exit(2) from None
    except Exception as exc:  # noqa: BLE001 - never a bare traceback for the user
        err_console.print(
            f"[bold red]Kesalahan tak terduga saat membaca data:[/] {type(exc).__name__}: {exc}. "
            "Laporkan ke pengembang bersama perintah yang dijalankan.",
            soft_wrap=True,
        )
        raise typer.Exit(2) from None
    report = ds.validation
    console.print(_summary_table(report))
    for note in report.notes:
        console.print(f"Catatan: {note}", soft_wrap=True)
    if len(report.issues):
        console.print(f"[bold]{len(report.issues):,} masalah[/] (maks. {show} ditampilkan):")
        for line in report.messages(limit=show):
            console.print("  " + line, markup=False, highlight=False, soft_wrap=True)
        if out is not None:
            console.print(f"Rincian dan baris yang ditolak: {out}")
    else:
        console.print("[green]Tidak ada masalah.[/]")
    raise typer.Exit(report.exit_code)


app.command("batch")(batch_command)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
