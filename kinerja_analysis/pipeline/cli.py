"""The ``kinerja`` command line.

``kinerja generate-data``  writes the synthetic Kotalama dataset;
``kinerja validate DIR``   checks a dataset and prints the validation summary
                           (exit 0 clean, 1 rows rejected or warnings, 2 unusable);
``kinerja batch``          writes every period's report (see :mod:`kinerja_analysis.batch`).
"""

from __future__ import annotations

import difflib
import errno
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
import typer
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

# Typer 0.29 carries its own copy of click; its exception classes live there (typer
# exports only BadParameter), and are what a usage error is an instance of.
from typer._click import exceptions as usage
from typer._click.utils import PacifyFlushWrapper
from typer.core import TyperCommand, TyperGroup

from kinerja_analysis.core.config import DEFAULTS, SYNTH_MIN_PEGAWAI
from kinerja_analysis.core.errors import DatasetError, PeriodError
from kinerja_analysis.core.periods import is_period
from kinerja_analysis.core.text import format_count
from kinerja_analysis.data.loading import _format_issue, validate_dataset
from kinerja_analysis.data.messages import delimiter_shown, message
from kinerja_analysis.data.readers import encoding_label
from kinerja_analysis.pipeline.batch import _message_language, batch_command
from kinerja_analysis.pipeline.console import TEXT, path_problem
from kinerja_analysis.pipeline.options import MappingOption, PseudonimOption
from kinerja_analysis.pipeline.preflight import MESSAGES
from kinerja_analysis.reporting import fmt
from kinerja_analysis.reporting.markup import clean_text

# ----------------------------------------------------------------------------- usage errors
#
# Typer (click) reports a command line it cannot read — an unknown option or command,
# a missing argument, a value of the wrong kind — in English. Here they are shown in the
# language of the command (``--bahasa``; else the ``--config`` profile's; else
# Indonesian) from the catalogue (:data:`kinerja_analysis.pipeline.console.TEXT`),
# translated by the error's type and the facts it carries (the option, the parameter,
# the value and pydantic's error code for it), never by reading its English text; the
# exit code stays click's (2). ``--help`` stays as Typer writes it: the descriptions are
# Indonesian, Typer's own headings English (they are fixed when Typer is imported).


class UnknownCommand(usage.UsageError):
    """A command name the group does not have (click raises a plain ``UsageError``)."""

    def __init__(self, name: str, commands: Sequence[str], ctx: Any) -> None:
        super().__init__(f"No such command {name!r}.", ctx)
        self.name = name
        self.commands = list(commands)


class ExtraArguments(usage.UsageError):
    """Arguments a command does not take (click raises a plain ``UsageError``)."""

    def __init__(self, extra: Sequence[str], ctx: Any) -> None:
        super().__init__(f"Got unexpected extra argument(s) ({' '.join(extra)})", ctx)
        self.extra = list(extra)


def _with_context(exc: usage.UsageError, ctx: Any) -> usage.UsageError:
    """``exc`` with the command it is about: click's option parser raises its errors
    (an option missing its value…) without one."""
    if exc.ctx is None:
        exc.ctx, exc.cmd = ctx, ctx.command
    return exc


class Command(TyperCommand):
    """A ``kinerja`` command: Typer's, whose unexpected arguments raise
    :class:`ExtraArguments` and whose parse errors name the command."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        allowed = ctx.allow_extra_args
        ctx.allow_extra_args = True
        try:
            rest = super().parse_args(ctx, args)
        except usage.UsageError as exc:
            raise _with_context(exc, ctx) from exc.__cause__
        finally:
            ctx.allow_extra_args = allowed
        if rest and not allowed and not ctx.resilient_parsing:
            raise ExtraArguments(rest, ctx)
        return rest


class Group(TyperGroup):
    """The ``kinerja`` command group: Typer's, with its usage errors in the command's
    language (:func:`usage_error_text`); run as a program it exits with click's code."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except usage.UsageError as exc:
            raise _with_context(exc, ctx) from exc.__cause__

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        if (
            args
            and not name.startswith("-")
            and self.get_command(ctx, name) is None
            and not ctx.resilient_parsing
        ):
            raise UnknownCommand(name, list(self.commands), ctx)
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        if not ctx._protected_args and not self.invoke_without_command:
            raise usage.UsageError(
                TEXT("cli_perintah_kurang", "en", daftar=", ".join(self.commands)), ctx
            )
        return super().invoke(ctx)

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        argv = list(sys.argv[1:] if args is None else args)
        try:
            rv = super().main(argv, prog_name, complete_var, False, **extra)
        except usage.ClickException as exc:
            show_usage_error(exc, command_language(argv))
            sys.exit(exc.exit_code)
        except typer.Abort:
            _print(TEXT("cli_dibatalkan", command_language(argv)), "red", err=True)
            sys.exit(1)
        except OSError as exc:  # a closed pipe (``kinerja … | head``): quiet, as Typer does
            if exc.errno != errno.EPIPE:
                raise
            sys.stdout = PacifyFlushWrapper(sys.stdout)  # type: ignore[assignment]
            sys.stderr = PacifyFlushWrapper(sys.stderr)  # type: ignore[assignment]
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)


def command_language(args: Sequence[str]) -> str:
    """The language of a command line's messages: its last ``--bahasa`` (``id`` or
    ``en``), else the language of its ``--config`` profile, else Indonesian.

    >>> command_language(["validate", "data", "--bahasa", "en"])
    'en'
    >>> command_language(["batch", "--bahasa=xx"]), command_language(["--", "--bahasa", "en"])
    ('id', 'id')
    """
    found: dict[str, str] = {}
    for i, arg in enumerate(args):
        if arg == "--":
            break
        for name, opts in (("bahasa", ("--bahasa",)), ("config", ("--config", "-c"))):
            for opt in opts:
                if arg == opt and i + 1 < len(args):
                    found[name] = args[i + 1]
                elif arg.startswith(f"{opt}="):
                    found[name] = arg.split("=", 1)[1]
                elif opt == "-c" and arg.startswith("-c") and len(arg) > 2:
                    found[name] = arg[2:]
    config = found.get("config")
    return _message_language(found.get("bahasa"), Path(config) if config else None)


def _shown(value: object, limit: int = 200) -> str:
    """A value from the command line as a message shows it: quoted, no control characters."""
    return f"'{clean_text(str(value))[:limit]}'"


def _param_name(param: Any) -> str:
    """``--workers / -w`` for an option, the argument's name for an argument."""
    opts = [*getattr(param, "opts", []), *getattr(param, "secondary_opts", [])]
    if getattr(param, "param_type_name", "") == "option" and opts:
        return " / ".join(opts)
    return str(getattr(param, "display_name_raw", None) or param.name)


def _number(value: object, bahasa: str) -> str:
    if isinstance(value, float) and not value.is_integer():
        decimals = len(repr(value).split(".")[1])
        return fmt.number(value, decimals, bahasa)  # type: ignore[arg-type]
    return str(int(value)) if isinstance(value, float) else str(value)


def _choices(param: Any) -> list[str] | None:
    desc = getattr(param, "type_descriptor", None)
    if desc is None or not desc.is_choice or desc.choices is None:
        return None
    return [str(getattr(c, "value", c)) for c in desc.choices]


#: pydantic's error codes (its stable API) → the catalogue's reason and its bound.
_REASONS = {
    "int_parsing": ("cli_harus_bulat", None),
    "int_type": ("cli_harus_bulat", None),
    "int_from_float": ("cli_harus_bulat", None),
    "float_parsing": ("cli_harus_angka", None),
    "float_type": ("cli_harus_angka", None),
    "finite_number": ("cli_harus_angka", None),
    "greater_than_equal": ("cli_harus_min", "ge"),
    "greater_than": ("cli_harus_lebih", "gt"),
    "less_than_equal": ("cli_harus_maks", "le"),
    "less_than": ("cli_harus_kurang", "lt"),
}


def _bad_value_text(exc: usage.BadParameter, bahasa: str) -> str | None:
    """A value Typer could not convert, in words: from the pydantic error it raised
    (its code, bound and input) and the parameter's choices; None when unknown."""
    from pydantic import ValidationError  # lazy: only for a value Typer refused

    cause = exc.__cause__
    if not isinstance(cause, ValidationError) or exc.param is None:
        return None
    error = cause.errors(include_url=False)[0]
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    choices = _choices(exc.param)
    if choices is not None and kind in ("literal_error", "enum", "value_error"):
        sebab = TEXT("cli_harus_pilihan", bahasa, pilihan=", ".join(map(_shown, choices)))
    elif kind in _REASONS:
        key, bound = _REASONS[kind]
        sebab = TEXT(key, bahasa, batas=_number(ctx.get(bound), bahasa) if bound else "")
    else:
        return None
    return TEXT(
        "cli_nilai_salah",
        bahasa,
        nilai=_shown(error.get("input")),
        param=_param_name(exc.param),
        sebab=sebab,
    )


def _option_of(exc: usage.BadOptionUsage) -> Any:
    command = getattr(exc.ctx, "command", None)
    for p in getattr(command, "params", []):
        if exc.option_name in (*getattr(p, "opts", []), *getattr(p, "secondary_opts", [])):
            return p
    return None


def usage_error_text(exc: Exception, bahasa: str = "id") -> str:
    """The message of a command line Typer could not read, in ``bahasa``.

    By the error's type: an unknown option (with the close ones) or command, a missing
    argument or option, extra arguments, an option given a value it does not take or
    missing its value, a value of the wrong kind or outside its range or choices. An
    error of another kind keeps its own (English) text inside a sentence in ``bahasa``.
    """

    def t(key: str, **fields: object) -> str:
        return TEXT(key, bahasa, **fields)  # type: ignore[arg-type]

    if isinstance(exc, usage.NoSuchOption):
        text = t("cli_opsi_asing", opsi=_shown(exc.option_name))
        if exc.possibilities:
            text += " " + t("cli_mungkin", saran=", ".join(sorted(exc.possibilities)))
        return text
    if isinstance(exc, UnknownCommand):
        text = t("cli_perintah_asing", perintah=_shown(exc.name))
        close = difflib.get_close_matches(exc.name, exc.commands)
        if close:
            return f"{text} {t('cli_mungkin', saran=', '.join(close))}"
        return f"{text} {t('cli_perintah_ada', daftar=', '.join(exc.commands))}"
    if isinstance(exc, ExtraArguments):
        return t("cli_argumen_lebih", argumen=", ".join(map(_shown, exc.extra)))
    if isinstance(exc, usage.MissingParameter) and exc.param is not None:
        kind = exc.param_type or exc.param.param_type_name
        key = "cli_argumen_wajib" if kind == "argument" else "cli_opsi_wajib"
        return t(key, nama=_param_name(exc.param))
    if isinstance(exc, usage.BadParameter) and not isinstance(exc, usage.MissingParameter):
        text = _bad_value_text(exc, bahasa)
        if text is not None:
            return text
    if isinstance(exc, usage.BadOptionUsage):
        option = _option_of(exc)
        if option is not None and getattr(option, "is_flag", False):
            return t("cli_tanpa_nilai", opsi=exc.option_name)
        if option is not None and option.nargs > 1:
            return t("cli_perlu_n_nilai", opsi=exc.option_name, n=option.nargs)
        if option is not None:
            return t("cli_perlu_nilai", opsi=exc.option_name)
    ctx = getattr(exc, "ctx", None)
    if type(exc) is usage.UsageError and ctx is not None and isinstance(ctx.command, Group):
        if not ctx._protected_args:  # the group's own "missing command" (Group.invoke)
            return t("cli_perintah_kurang", daftar=", ".join(ctx.command.commands))
    return t("cli_tidak_terbaca", pesan=clean_text(exc.format_message()))


def show_usage_error(exc: Exception, bahasa: str = "id") -> None:
    """Print a usage error as Typer does (usage line, where help is, the message in a
    panel), in ``bahasa``; nothing for the help Typer printed for a bare ``kinerja``."""
    if isinstance(exc, usage.NoArgsIsHelpError):
        return
    out = Console(stderr=True)
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        command = ctx.command
        words = {
            command.options_metavar: TEXT("cli_opsi_metavar", bahasa),
            getattr(command, "subcommand_metavar", None): TEXT("cli_perintah_metavar", bahasa),
        }
        pieces = [words.get(p, p) for p in command.collect_usage_pieces(ctx)]
        line = TEXT("cli_pemakaian", bahasa, perintah=ctx.command_path, isi=" ".join(pieces))
        out.print(Text(clean_text(line)), style="bold", highlight=False)
        if command.get_help_option(ctx) is not None:
            hint = TEXT(
                "cli_bantuan", bahasa, perintah=ctx.command_path, bantuan=ctx.help_option_names[0]
            )
            out.print(Text(clean_text(hint)), style="dim", highlight=False)
    out.print(
        Panel(
            Text(usage_error_text(exc, bahasa)),
            title=TEXT("cli_galat", bahasa),
            title_align="left",
            border_style="red",
        )
    )


app = typer.Typer(
    name="kinerja",
    cls=Group,
    help="Evaluasi kinerja ASN: validasi data, data sintetis Kotalama, laporan per periode.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
err_console = Console(stderr=True)


@app.command("generate-data", cls=Command)
def generate_data(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder tujuan dataset.")] = Path(
        "data/kotalama"
    ),
    n_pegawai: Annotated[int, typer.Option(min=SYNTH_MIN_PEGAWAI, help="Jumlah ASN.")] = 6000,
    seed: Annotated[int, typer.Option(min=0, help="Seed pembangkit acak.")] = DEFAULTS.seed,
    fmt: Annotated[
        Literal["csv", "parquet"], typer.Option("--format", help="csv atau parquet.")
    ] = "csv",
    force: Annotated[bool, typer.Option(help="Timpa dataset yang sudah ada.")] = False,
    bahasa: Annotated[str, typer.Option(help="Bahasa pesan: id atau en.")] = "id",
) -> None:
    """Bangkitkan dataset sintetis Kota Kotalama dengan kebenaran yang diketahui (truth.json)."""
    _check_language(bahasa)
    _refuse(path_problem(out, "folder", "out_data", bahasa))
    from kinerja_analysis.data import synth  # lazy: heavy, only for this command

    if (out / "truth.json").exists() and not force:
        _print(TEXT("dataset_ada", bahasa, out=out))
        raise typer.Exit(0)
    result = synth.generate(n_pegawai=n_pegawai, seed=seed)
    paths = synth.write_dataset(result, out, fmt=fmt)
    _print(TEXT("dataset_ditulis", bahasa, n=len(paths), out=out))


def _check_language(bahasa: str) -> None:
    """Stop (exit 2) with the message in both languages unless ``bahasa`` is id or en."""
    if bahasa not in ("id", "en"):
        both = " / ".join(MESSAGES("bahasa", b, value=bahasa) for b in ("id", "en"))
        _print(both, err=True)
        raise typer.Exit(2)


def _refuse(*problems: str | None) -> None:
    """Stop (exit 2) with the first of ``problems`` (:func:`path_problem`), if any."""
    for problem in problems:
        if problem is not None:
            _print(problem, "bold red", err=True)
            raise typer.Exit(2)


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
    sheets = str(r.sheet).split(" / ") if isinstance(r.sheet, str) and r.sheet else []
    if len(sheets) > 1:  # stacked sheets (" / " is never in a sheet's name)
        sheet = message("cara_sheets", bahasa, sheets=", ".join(f"'{s}'" for s in sheets))
    else:
        sheet = part("cara_sheet", "sheet", r.sheet)
    text = message(
        "cara_baca",
        bahasa,
        format=r.format.upper(),
        sheet=sheet,
        header=str(int(header)) if pd.notna(header) else "?",
        pemisah=part(
            "cara_pemisah", "pemisah", delimiter_shown(r.pemisah, bahasa) if r.pemisah else ""
        ),
        desimal=part("cara_desimal", "desimal", r.desimal) if r.format != "parquet" else "",
        encoding=part("cara_encoding", "encoding", encoding_label(r.encoding))
        if r.format == "csv"
        else "",
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
    for r in report.summary.itertuples(index=False):
        table.add_row(
            Text(clean_text(str(r.tabel))),
            Text(clean_text(str(r.file))),
            *(
                str(format_count(int(v), bahasa))
                for v in (r.rows_read, r.rows_accepted, r.rows_rejected, r.n_peringatan)
            ),
        )
    return table


def _print(text: str, style: str | None = None, *, err: bool = False) -> None:
    """Print a line as plain text: brackets in it (a file or folder name, a mapping key,
    a value from the data) are never read as console markup, and control characters in
    it (a file name holding an escape sequence) never reach the terminal."""
    (err_console if err else console).print(
        Text(clean_text(text), style=style or ""), highlight=False, soft_wrap=True
    )


#: Characters of a note (``info``) the console shows; the validation outputs hold it whole.
INFO_MAX_CHARS = 400


def _shortened(text: str, bahasa: str, limit: int = INFO_MAX_CHARS) -> str:
    """A long note cut after the last list item that fits in ``limit`` characters, saying
    where the whole of it is (a file's 80 unused columns; ``masalah_struktur.csv`` and
    ``validasi.xlsx`` keep every one).

    >>> _shortened("3 kolom: 'a', 'b', 'c'", "en", limit=17)
    "3 kolom: 'a', 'b' … (the full list is in masalah_struktur.csv and validasi.xlsx: --out)"
    """
    if len(text) <= limit:
        return text
    cut = text.rfind(", ", 0, limit + 2)
    return (text[:cut] if cut > 0 else text[:limit]) + message("daftar_dipendekkan", bahasa)


def _print_report(report, bahasa: str, show: int) -> None:
    """The whole validation report: summary, structure, root causes, grouped problems."""
    console.print(_summary_table(report, bahasa))
    _print(message("cara_baca_judul", bahasa), "bold")
    for r in report.summary.itertuples(index=False):
        how = _read_as(r, bahasa) if r.status == "ok" else message(f"status_{r.status}", bahasa)
        _print("  " + message("cara_baca_baris", bahasa, file=r.file or r.tabel, cara=how))
    info = report.structure[report.structure["tingkat"] == "info"]
    for r in info.itertuples(index=False):
        _print(f"  - {r.file or r.tabel}: {_shortened(str(r.pesan), bahasa)}")
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
    causes = report.cause_groups()
    if len(causes):
        _print(message("sebab_utama", bahasa), "bold")
        for r in causes.head(show).itertuples(index=False):
            _print(f"  {r.pesan}")
    groups = report.grouped()
    if len(groups):
        n, k = (fmt.number(x, 0, bahasa) for x in (len(report.issues), len(groups)))  # type: ignore[arg-type]
        _print(message("n_masalah", bahasa, n=n, k=k, show=show))
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
    rejected rows as typed) in the report's language — sheet names, headers, levels,
    rules and root causes in words (:mod:`kinerja_analysis.reporting.validation_workbook`;
    the CSV files keep their stable keys) — through THE workbook writer: every text a
    string cell, never a formula. Not written when the tables exceed
    :data:`XLSX_MAX_ROWS` rows (said)."""
    from kinerja_analysis.reporting import validation_workbook  # lazy: openpyxl only with --out

    frames = report.files()
    n = sum(len(df) for df in frames.values())
    if n > XLSX_MAX_ROWS:
        _print(message("xlsx_terlalu_besar", bahasa, n=n, maks=XLSX_MAX_ROWS))
        return None
    return validation_workbook.write_workbook(report, Path(out) / "validasi.xlsx", bahasa)  # type: ignore[arg-type]


@app.command("validate", cls=Command)
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
    _check_language(bahasa)
    _refuse(
        path_problem(mapping, "file", "mapping", bahasa) if mapping else None,
        path_problem(out, "folder", "out_validasi", bahasa) if out is not None else None,
    )
    bad = [p for p in periode or () if not is_period(p)]
    if bad:  # said before the data are read, not after
        kode = ", ".join(repr(p) for p in bad)
        _print(
            f"--periode: {message('periode_tidak_valid', bahasa, kode=kode)}", "bold red", err=True
        )
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
    except PeriodError as exc:  # the periods asked for (--periode), not the data
        _print(f"--periode: {exc}", "bold red", err=True)
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


app.command("batch", cls=Command)(batch_command)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
