"""pandera schemas of the canonical tables, built from :mod:`kinerja_analysis.contract`.

The schemas check *parsed* tables (types already coerced by the loader): allowed values,
ranges, nullability. Parsing problems (a date like ``31/02/2024``, a NIP in scientific
notation) are caught earlier by the loader, which knows the raw text.
"""

from __future__ import annotations

import pandera.pandas as pa

from kinerja_analysis.core.periods import PERIOD_PATTERN
from kinerja_analysis.data.contract import TABLES, Column, Table

_DTYPES = {
    "nip": str,
    "str": str,
    "category": str,
    "periode": str,
    "int": "Int64",
    "float": float,
    "date": "datetime64[ns]",
    "bool": "boolean",
}


def _checks(col: Column) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if col.allowed is not None:
        checks.append(pa.Check.isin(list(col.allowed)))
    if col.low is not None and col.high is not None:
        checks.append(pa.Check.in_range(col.low, col.high))
    elif col.low is not None:
        checks.append(pa.Check.ge(col.low))
    elif col.high is not None:
        checks.append(pa.Check.le(col.high))
    if col.kind == "periode":
        checks.append(pa.Check.str_matches(PERIOD_PATTERN))
    if col.kind in {"str", "category", "nip"} and not col.nullable:
        checks.append(pa.Check.str_length(min_value=1))
    return checks


def _pa_column(col: Column) -> pa.Column:
    return pa.Column(
        _DTYPES[col.kind],
        checks=_checks(col),
        nullable=col.nullable,
        required=col.required,
        coerce=False,
    )


def schema_for(table: str | Table, item_columns: tuple[str, ...] = ()) -> pa.DataFrameSchema:
    """Return the pandera schema of a canonical table.

    Parameters
    ----------
    table
        Table name (``"pegawai"``, …) or a :class:`~kinerja_analysis.data.contract.Table`.
    item_columns
        For ``survei``: the item columns named in ``survei_instrumen`` (answers may be
        missing, range checked by the loader against the instrument's scale).
    """
    t = TABLES[table] if isinstance(table, str) else table
    columns = {c.name: _pa_column(c) for c in t.columns}
    for item in item_columns:
        columns[item] = pa.Column(float, nullable=True, required=True)
    return pa.DataFrameSchema(columns, strict=False, name=t.name)
