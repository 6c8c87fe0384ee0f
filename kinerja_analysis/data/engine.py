"""The seam between the data and the machine that holds it: a partitioned Parquet store
and the engine that reads and aggregates it.

On one machine (up to a province, ~150,000 ASN) the validated tables fit in memory and
:class:`LocalEngine` (pyarrow + pandas) reads and aggregates them. Past one machine (the
nation: 4.3 million ASN, ~1.8 billion 360° ratings a year) the same two operations —
*read a table (some columns, some periods)* and *aggregate it per employee* (``nip,
periode`` → means and counts) — are what a distributed engine (Spark, Dask, DuckDB on a
cluster) runs, while everything after the per-employee aggregation (the panel, the
estimators, the reports) stays as it is: its input is one row per employee × period,
about 35 million rows for the nation over 8 periods.

The layout is the contract between the two (``data/README.md``, *Skala*)::

    <root>/<table>/periode=<code>/part-0.parquet   tables with a period column
    <root>/<table>/part-0.parquet                  tables without one
    <root>/<table>/_dtypes.json                    pandas dtypes of the columns

Hive-style ``periode=`` directories are what Spark (``spark.read.parquet``), Dask
(``dd.read_parquet``), DuckDB (``read_parquet(..., hive_partitioning=true)``) and pyarrow
(``pyarrow.dataset``) read as a partition column, so a run on a cluster reads the store
a single machine wrote — and a loader on a cluster writes the same layout, so moving is a
configuration change (which :class:`Engine` to use), not a rewrite.

>>> import pandas as pd, tempfile
>>> store = TableStore(tempfile.mkdtemp())
>>> df = pd.DataFrame({"nip": ["a", "a", "b"], "periode": ["2025Q1", "2025Q2", "2025Q1"],
...                    "skor": [4, 5, 3]})
>>> _ = store.write("perilaku", df)
>>> LocalEngine().aggregate(store.read("perilaku"), ["periode"], {"n": ("skor", "count")})
  periode  n
0  2025Q1  2
1  2025Q2  1
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pads
import pyarrow.parquet as pq

from kinerja_analysis.core.io import atomic_write

__all__ = ["TableStore", "Engine", "LocalEngine", "AGGREGATIONS", "PARTITION_COLUMN"]

#: The column tables are partitioned by.
PARTITION_COLUMN = "periode"
#: Aggregations an engine must provide (pandas / pyarrow / Spark SQL names agree).
AGGREGATIONS = ("count", "sum", "mean", "min", "max", "nunique")
_ORDER = "_urutan"


class TableStore:
    """Validated tables as partitioned Parquet under ``root`` (see the module docstring).

    Row order is kept (an ``_urutan`` column, dropped on reading), so a table read back
    equals the table written.
    """

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    def tables(self) -> list[str]:
        """Names of the tables in the store."""
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if (p / "_dtypes.json").is_file())

    def write(self, name: str, df: pd.DataFrame) -> Path:
        """Write one table (replacing it); partitioned by ``periode`` when it has one."""
        folder = self.root / name
        tmp = self.root / f".{name}.{os.getpid()}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        table = pa.Table.from_pandas(
            df.assign(**{_ORDER: np.arange(len(df), dtype=np.int64)}), preserve_index=False
        )
        if PARTITION_COLUMN in df.columns and len(df) and df[PARTITION_COLUMN].notna().all():
            part = pads.partitioning(
                pa.schema([pa.field(PARTITION_COLUMN, pa.string())]), flavor="hive"
            )
            table = table.set_column(
                table.schema.get_field_index(PARTITION_COLUMN),
                PARTITION_COLUMN,
                table.column(PARTITION_COLUMN).cast(pa.string()),
            )
            pads.write_dataset(
                table,
                tmp,
                format="parquet",
                partitioning=part,
                basename_template="part-{i}.parquet",
                existing_data_behavior="overwrite_or_ignore",
            )
        else:
            pq.write_table(table, tmp / "part-0.parquet")
        dtypes = {c: str(t) for c, t in df.dtypes.items()}
        atomic_write(tmp / "_dtypes.json", json.dumps(dtypes, indent=1))
        if folder.exists():
            old = self.root / f".{name}.{os.getpid()}.old"
            os.replace(folder, old)
            os.replace(tmp, folder)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, folder)
        return folder

    def dataset(self, name: str) -> pads.Dataset:
        """The table as a ``pyarrow.dataset`` (lazy; filters and projections pushed down)."""
        folder = self.root / name
        if not (folder / "_dtypes.json").is_file():
            raise KeyError(f"table {name!r} not in store {self.root}")
        return pads.dataset(
            folder,
            format="parquet",
            partitioning=pads.partitioning(
                pa.schema([pa.field(PARTITION_COLUMN, pa.string())]), flavor="hive"
            )
            if any(p.is_dir() for p in folder.iterdir())
            else None,
            exclude_invalid_files=True,
        )

    def dtypes(self, name: str) -> dict[str, str]:
        return json.loads((self.root / name / "_dtypes.json").read_text(encoding="utf-8"))

    def read(
        self,
        name: str,
        columns: Sequence[str] | None = None,
        periods: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Read a table (optionally some columns, some periods) as pandas, dtypes restored."""
        ds = self.dataset(name)
        dtypes = self.dtypes(name)
        cols = list(dtypes) if columns is None else list(columns)
        flt = None
        if periods is not None and PARTITION_COLUMN in dtypes:
            flt = pads.field(PARTITION_COLUMN).isin(list(periods))
        table = ds.to_table(columns=[*cols, _ORDER], filter=flt)
        order = np.argsort(table.column(_ORDER).to_numpy(), kind="stable")
        table = table.drop_columns([_ORDER]).take(order)
        df = table.to_pandas(types_mapper=_types_mapper)
        return df.astype(
            {c: dtypes[c] for c in cols if c in df.columns and str(df[c].dtype) != dtypes[c]}
        )


def _types_mapper(t: pa.DataType):
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return pd.StringDtype()
    return None


class Engine(Protocol):
    """What the loader and the per-employee aggregation need from an engine.

    A distributed implementation (Spark, Dask) reads the same :class:`TableStore` layout
    and returns the aggregated (small) result as pandas; see ``data/README.md``.
    """

    name: str

    def read(
        self,
        store: TableStore,
        table: str,
        columns: Sequence[str] | None = None,
        periods: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """A table of the store as pandas (the small tables; the big ones are aggregated)."""
        ...

    def aggregate(
        self,
        source: pd.DataFrame | tuple[TableStore, str],
        by: Sequence[str],
        metrics: Mapping[str, tuple[str, str]],
    ) -> pd.DataFrame:
        """Group ``source`` by ``by`` and compute ``metrics`` (``{out: (column, how)}``,
        ``how`` in :data:`AGGREGATIONS`); one row per group, sorted by ``by``."""
        ...


class LocalEngine:
    """The single-machine engine: pyarrow for scans and group-bys, pandas for results.

    Missing values are skipped by ``mean``/``sum``/``min``/``max`` and not counted by
    ``count`` (SQL semantics, as Spark and pandas); ``nunique`` counts distinct
    non-missing values.
    """

    name = "lokal"

    def read(self, store, table, columns=None, periods=None) -> pd.DataFrame:
        return store.read(table, columns=columns, periods=periods)

    def aggregate(self, source, by, metrics) -> pd.DataFrame:
        bad = sorted({how for _, how in metrics.values()} - set(AGGREGATIONS))
        if bad:
            raise ValueError(f"unknown aggregation(s) {bad}; expected one of {AGGREGATIONS}")
        by = list(by)
        needed = sorted({c for c, _ in metrics.values()} | set(by))
        if isinstance(source, tuple):
            store, name = source
            table = store.dataset(name).to_table(columns=needed)
        else:
            table = pa.Table.from_pandas(source[needed], preserve_index=False)
        spec = []
        names = []
        for out, (col, how) in metrics.items():
            fn = {"nunique": "count_distinct"}.get(how, how)
            opts = pc.CountOptions(mode="only_valid") if how == "count" else None
            spec.append((col, fn, opts) if opts is not None else (col, fn))
            names.append(out)
        res = table.group_by(by, use_threads=False).aggregate(spec)
        # pyarrow names results "<col>_<fn>"; rename in the order given
        res_names = [
            f"{c}_{({'nunique': 'count_distinct'}).get(h, h)}" for c, h in metrics.values()
        ]
        df = res.to_pandas(types_mapper=_types_mapper)
        df = df.rename(columns=dict(zip(res_names, names, strict=True)))
        return df[[*by, *names]].sort_values(by, ignore_index=True)
