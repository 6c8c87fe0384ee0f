"""One result contract: every estimate is a tidy table with the same leading columns.

Every result object of the package derives from :class:`Result` and offers

- ``tidy()`` — one row per estimated term: :data:`TIDY_COLUMNS` first (``term,
  estimate, std_error, ci_low, ci_high, p_value, n_obs, method``), then context columns
  (``periode``, ``opd``, ``outcome``, ``label``…). ``term`` is an ASCII key; a reader's
  wording of it lives in a separate ``label`` column or in the label registry
  (:mod:`kinerja_analysis.reporting.text`).
- ``glance()`` — one row of model-level facts (number of units, fit statistics, notes).
- ``_repr_html_()`` — so a result shows itself in JupyterLab: the glance line, then the
  tidy table.

:func:`check_tidy` is the schema every ``tidy()`` satisfies (tested for every result).

Examples
--------
>>> import pandas as pd
>>> t = tidy_frame([tidy_row("att", 1.5, 0.5, 0.52, 2.48, 0.003, 120, "cs_dr")])
>>> list(t.columns) == list(TIDY_COLUMNS)
True
>>> _ = check_tidy(t)
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = [
    "TIDY_COLUMNS",
    "tidy_row",
    "tidy_row_from",
    "tidy_frame",
    "check_tidy",
    "ascii_key",
    "Result",
]

#: The shared leading columns of every tidy result table.
TIDY_COLUMNS: tuple[str, ...] = (
    "term",
    "estimate",
    "std_error",
    "ci_low",
    "ci_high",
    "p_value",
    "n_obs",
    "method",
)
_NUMERIC = ("estimate", "std_error", "ci_low", "ci_high", "p_value")


def tidy_row(
    term: str,
    estimate: float,
    std_error: float,
    ci_low: float,
    ci_high: float,
    p_value: float,
    n_obs: int | None,
    method: str,
    **context: object,
) -> dict[str, object]:
    """One tidy row as a dict: the shared columns in order, then ``context``.

    >>> r = tidy_row("att", 1.5, 0.5, 0.52, 2.48, 0.003, 120, "DiD", outcome="capaian")
    >>> list(r)
    ['term', 'estimate', 'std_error', 'ci_low', 'ci_high', 'p_value', 'n_obs', 'method', 'outcome']
    """
    row: dict[str, object] = dict(
        zip(
            TIDY_COLUMNS,
            (term, estimate, std_error, ci_low, ci_high, p_value, n_obs, method),
            strict=True,
        )
    )
    row.update(context)
    return row


def tidy_row_from(
    row: Mapping[str, object], term: str, n_obs: int | None, method: str, **context: object
) -> dict[str, object]:
    """:func:`tidy_row` carrying the statistics of another tidy row under a new ``term``.

    ``estimate, std_error, ci_low, ci_high, p_value`` are read from ``row`` (a dict or a
    row of a tidy frame) as floats; ``n_obs``, ``method`` and ``context`` are the new
    row's.

    >>> r = tidy_row_from({"estimate": 1, "std_error": 0.5, "ci_low": 0, "ci_high": 2,
    ...                    "p_value": 0.04}, "att", 10, "DiD", outcome="y")
    >>> r["term"], r["estimate"], r["n_obs"], r["outcome"]
    ('att', 1.0, 10, 'y')
    """
    return tidy_row(term, *(float(row[c]) for c in _NUMERIC), n_obs, method, **context)


def tidy_frame(rows: Iterable[Mapping[str, object]] | pd.DataFrame) -> pd.DataFrame:
    """A tidy DataFrame from rows (or a frame): shared columns first, typed.

    Missing shared columns are added empty; numeric columns are ``float64``, ``n_obs``
    nullable ``Int64``, ``term`` and ``method`` strings (object).

    >>> t = tidy_frame([{"term": "att", "estimate": 1, "n_obs": 10}])
    >>> t.dtypes[["estimate", "n_obs"]].astype(str).tolist(), t["std_error"].isna().all()
    (['float64', 'Int64'], np.True_)
    """
    df = rows.copy() if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    for c in TIDY_COLUMNS:
        if c not in df.columns:
            df[c] = pd.Series(dtype="float64") if c in _NUMERIC else None
    for c in _NUMERIC:
        df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
    df["n_obs"] = pd.to_numeric(df["n_obs"], errors="coerce").round().astype("Int64")
    for c in ("term", "method"):
        df[c] = df[c].astype(object)
    rest = [c for c in df.columns if c not in TIDY_COLUMNS]
    return df[[*TIDY_COLUMNS, *rest]].reset_index(drop=True)


def check_tidy(df: pd.DataFrame) -> pd.DataFrame:
    """Check that ``df`` follows the tidy contract; returns it unchanged.

    Raises
    ------
    ValueError
        The shared columns are missing or not first and in order, a numeric column is
        not numeric, or a ``term`` is not an ASCII string.

    Examples
    --------
    >>> t = tidy_frame([tidy_row("att", 1.0, 0.5, 0.0, 2.0, 0.05, 10, "DiD")])
    >>> check_tidy(t) is t
    True
    >>> try:
    ...     check_tidy(t[["estimate", "term"]])
    ... except ValueError as e:
    ...     print(str(e)[:40])
    tidy columns must start with ['term', 'e
    """
    head = list(df.columns[: len(TIDY_COLUMNS)])
    if head != list(TIDY_COLUMNS):
        raise ValueError(f"tidy columns must start with {list(TIDY_COLUMNS)}, got {head}")
    for c in _NUMERIC:
        if not pd.api.types.is_numeric_dtype(df[c]):
            raise ValueError(f"tidy column {c!r} must be numeric, got {df[c].dtype}")
    if not (pd.api.types.is_integer_dtype(df["n_obs"]) or df["n_obs"].isna().all()):
        raise ValueError(f"tidy column 'n_obs' must be integer, got {df['n_obs'].dtype}")
    bad = [t for t in df["term"] if not (isinstance(t, str) and t.isascii() and t)]
    if bad:
        raise ValueError(f"tidy terms must be non-empty ASCII keys, got {bad[:5]}")
    return df


def ascii_key(text: object) -> str:
    """An ASCII key for a data value (an OPD name, an item), for a ``term``.

    Accents are folded, other characters become ``_``; the original value belongs in a
    context or ``label`` column.

    >>> ascii_key("Dinas Pendidikan & Kebudayaan"), ascii_key("Sekretariat DPRD — Bagian Umum")
    ('dinas_pendidikan_kebudayaan', 'sekretariat_dprd_bagian_umum')
    """
    s = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    s = "".join(ch if ch.isalnum() else "_" for ch in s.lower())
    return "_".join(p for p in s.split("_") if p) or "x"


def _frame_html(df: pd.DataFrame, max_rows: int = 40) -> str:
    shown = df.head(max_rows)
    with pd.option_context("display.precision", 4):
        out = shown.to_html(index=False, border=0, na_rep="–", escape=True)
    if len(df) > max_rows:
        out += f"<p>… {len(df) - max_rows} more rows</p>"
    return out


class Result:
    """Base of the package's result objects (frozen dataclasses).

    Subclasses implement :meth:`tidy`; :meth:`glance` defaults to the scalar fields of
    the dataclass plus the number of notes. Both return new DataFrames.
    """

    def tidy(self) -> pd.DataFrame:  # pragma: no cover - abstract
        """One row per term (see the module docstring)."""
        raise NotImplementedError

    def glance(self) -> pd.DataFrame:
        """One row of model-level facts."""
        facts: dict[str, object] = {}
        for name in getattr(self, "__dataclass_fields__", {}):
            v = getattr(self, name)
            if isinstance(v, bool | int | float | str | np.integer | np.floating) or v is None:
                facts[name] = v
        notes = getattr(self, "notes", None)
        if isinstance(notes, Sequence) and not isinstance(notes, str):
            facts["n_notes"] = len(notes)
        return pd.DataFrame([facts])

    def _repr_html_(self) -> str:
        title = html.escape(type(self).__name__)
        parts = [f"<div class='kinerja-result'><strong>{title}</strong>"]
        g = self.glance()
        if len(g.columns):
            parts.append(_frame_html(g))
        parts.append(_frame_html(self.tidy()))
        notes = getattr(self, "notes", ())
        if notes:
            items = "".join(f"<li>{html.escape(str(n))}</li>" for n in notes)
            parts.append(f"<ul>{items}</ul>")
        parts.append("</div>")
        return "".join(parts)
