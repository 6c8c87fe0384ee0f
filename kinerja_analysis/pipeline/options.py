"""Command-line options that ``kinerja validate`` and ``kinerja batch`` share.

One definition each, so that both commands read a real export the same way: a column
mapping given as a file or as a shipped preset's name (``siasn``, ``ekinerja_bkn``), and
pseudonymous employee IDs.
"""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = ["MappingOption", "PseudonimOption"]

#: ``--mapping/-m``: a column-mapping file (YAML) or the name of a shipped preset
#: (:func:`kinerja_analysis.data.mapping.presets`); text, so a preset name is not taken
#: for a path.
MappingOption = Annotated[
    str | None,
    typer.Option(
        "--mapping",
        "-m",
        help="File pemetaan kolom (YAML) atau nama preset: siasn, ekinerja_bkn.",
    ),
]

#: ``--pseudonim/--no-pseudonim``: the employee IDs are pseudonyms (no NIP structure check).
PseudonimOption = Annotated[
    bool,
    typer.Option(
        "--pseudonim/--no-pseudonim",
        help="ID pegawai adalah pseudonim: matikan cek struktur NIP.",
    ),
]
