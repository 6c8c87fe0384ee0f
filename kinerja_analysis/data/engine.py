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

import functools
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
from kinerja_analysis.core.keys import dictionary_categorical
from kinerja_analysis.core.periods import is_period, sort_periods

__all__ = ["TableStore", "Engine", "LocalEngine", "AGGREGATIONS", "PARTITION_COLUMN"]

#: The column tables are partitioned by.
PARTITION_COLUMN = "periode"
#: Aggregations an engine must provide (pandas / pyarrow / Spark SQL names agree).
AGGREGATIONS = ("count", "sum", "mean", "min", "max", "nunique")


class TableStore:
    """Validated tables as partitioned Parquet under ``root`` (see the module docstring).

    A table with a ``periode`` column is written one partition per period, in period
    order, each partition keeping the table's row order; the loader returns period tables
    in that canonical order (stable by period), so a table read back equals the table
    written, without a sort. Text columns are stored as Arrow ``large_string`` and read
    back into pandas ``string`` columns without a copy.
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
        # employee-level data: folders and files readable by their owner only, whatever
        # the umask
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.root, 0o700)  # also a store folder made before it was owner-only
        tmp.mkdir(mode=0o700)
        if PARTITION_COLUMN in df.columns and len(df) and df[PARTITION_COLUMN].notna().all():
            # period codes as integers (no text per row), ranked in calendar order
            codes, uniques = pd.factorize(df[PARTITION_COLUMN])
            rank_of = _period_rank(np.asarray(uniques, dtype=object))
            rank = rank_of[codes]
            del codes
            if np.any(rank[1:] < rank[:-1]):
                order = np.argsort(rank, kind="stable")
                df, rank = df.iloc[order], rank[order]
                del order
            starts = np.flatnonzero(np.r_[True, rank[1:] != rank[:-1]])
            ends = np.r_[starts[1:], len(rank)]
            by_rank = {int(r): str(u) for r, u in zip(rank_of, uniques, strict=True)}
            rest = df.drop(columns=[PARTITION_COLUMN])
            for a, b in zip(starts, ends, strict=True):
                part = tmp / f"{PARTITION_COLUMN}={by_rank[int(rank[a])]}"
                part.mkdir(mode=0o700)
                table = pa.Table.from_pandas(rest.iloc[a:b], preserve_index=False)
                atomic_write(
                    part / "part-0.parquet", functools.partial(pq.write_table, table), private=True
                )
                del table
        else:
            table = pa.Table.from_pandas(df, preserve_index=False)
            atomic_write(
                tmp / "part-0.parquet", functools.partial(pq.write_table, table), private=True
            )
        dtypes = {c: str(t) for c, t in df.dtypes.items()}
        atomic_write(tmp / "_dtypes.json", json.dumps(dtypes, indent=1), private=True)
        if folder.exists():
            old = self.root / f".{name}.{os.getpid()}.old"
            os.replace(folder, old)
            os.replace(tmp, folder)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, folder)
        return folder

    def partitions(self, name: str) -> list[str]:
        """The periods of a partitioned table, in period order (``[]`` if not partitioned)."""
        folder = self.root / name
        found = [
            p.name.split("=", 1)[1]
            for p in folder.iterdir()
            if p.is_dir() and p.name.startswith(f"{PARTITION_COLUMN}=")
        ]
        return [
            found[i] for i in np.argsort(_period_rank(np.array(found, dtype=object)), kind="stable")
        ]

    def dataset(self, name: str) -> pads.Dataset:
        """The table as a ``pyarrow.dataset`` (lazy; filters and projections pushed down)."""
        folder = self.root / name
        if not (folder / "_dtypes.json").is_file():
            raise KeyError(f"table {name!r} not in store {self.root}")
        part = None
        if self.partitions(name):
            part = pads.partitioning(
                pa.schema([pa.field(PARTITION_COLUMN, pa.string())]), flavor="hive"
            )
        return pads.dataset(folder, format="parquet", partitioning=part, exclude_invalid_files=True)

    def dtypes(self, name: str) -> dict[str, str]:
        return json.loads((self.root / name / "_dtypes.json").read_text(encoding="utf-8"))

    def read(
        self,
        name: str,
        columns: Sequence[str] | None = None,
        periods: Sequence[str] | None = None,
        dictionary: Sequence[str] = (),
    ) -> pd.DataFrame:
        """Read a table (optionally some columns, some periods) as pandas, dtypes restored.

        The text columns named in ``dictionary`` come as pandas categoricals (categories
        of the text dtype), read dictionary-encoded from Parquet: no per-row string is
        made (the identifiers of a province's ratings: 0.5 GB rather than 2.7 GB).
        """
        folder = self.root / name
        dtypes = self.dtypes(name)
        cols = list(dtypes) if columns is None else list(columns)
        if isinstance(dictionary, str):
            raise TypeError("dictionary: a sequence of column names, not one string")
        encoded = [c for c in dictionary if c in cols]
        parts = self.partitions(name)
        if not parts:
            table = pq.read_table(
                folder / "part-0.parquet", columns=cols, read_dictionary=encoded or None
            )
            return _to_pandas(table, cols, dtypes, encoded)
        if periods is not None:
            wanted = set(periods)
            parts = [p for p in parts if p in wanted]
        stored = [c for c in cols if c != PARTITION_COLUMN]
        tables = []
        for p in parts:
            t = pq.read_table(
                folder / f"{PARTITION_COLUMN}={p}" / "part-0.parquet",
                columns=stored,
                read_dictionary=[c for c in encoded if c in stored] or None,
            )
            if PARTITION_COLUMN in cols:
                period = pa.DictionaryArray.from_arrays(
                    pa.array(np.zeros(t.num_rows, dtype=np.int32)),
                    pa.array([p], type=pa.large_string()),
                )
                t = t.append_column(
                    PARTITION_COLUMN,
                    period if PARTITION_COLUMN in encoded else period.dictionary_decode(),
                )
            tables.append(t)
        if not tables:  # no period selected: empty columns of the asked dtypes
            return pd.DataFrame({c: _empty(dtypes[c], c in encoded) for c in cols})
        table = pa.concat_tables(tables)
        del tables
        return _to_pandas(table, cols, dtypes, encoded)


def _period_rank(codes: np.ndarray) -> np.ndarray:
    """Rank of each period code in calendar order (unknown codes last, by text)."""
    uniq = list(dict.fromkeys(codes.tolist()))
    good = sort_periods([u for u in uniq if is_period(u)])
    bad = sorted(u for u in uniq if not is_period(u))
    rank = {c: i for i, c in enumerate([*good, *bad])}
    return pd.Series(codes, dtype=object).map(rank).to_numpy(dtype=np.int64)


def _empty(dtype: str, encoded: bool) -> pd.Series:
    """An empty column of ``dtype`` (a categorical of text when ``encoded``)."""
    if encoded:
        return pd.Series(
            pd.Categorical.from_codes([], pd.Index(pd.array([], dtype="string[pyarrow]")))
        )
    return pd.Series(dtype="string[pyarrow]" if dtype in {"category", "string"} else dtype)


def _to_pandas(
    table: pa.Table, cols: Sequence[str], dtypes: Mapping[str, str], encoded: Sequence[str] = ()
) -> pd.DataFrame:
    """Arrow → pandas column by column: text without a copy, dtypes as written; the
    columns in ``encoded`` as categoricals (any other dictionary column decoded)."""
    out: dict[str, object] = {}
    for c in cols:
        arr = table.column(c)
        want = dtypes.get(c, "")
        if c in encoded:
            out[c] = dictionary_categorical(arr)
            continue
        if pa.types.is_dictionary(arr.type):  # stored from a categorical: text here
            arr = arr.cast(arr.type.value_type)
            want = "string" if want == "category" else want
        if want in {"string", "str"} or pa.types.is_large_string(arr.type):
            if not pa.types.is_large_string(arr.type):
                arr = arr.cast(pa.large_string())
            out[c] = pd.arrays.ArrowStringArray(arr)
        else:
            s = arr.to_pandas()
            out[c] = s.astype(want) if want and str(s.dtype) != want else s
    return pd.DataFrame(out, copy=False)


def _types_mapper(t: pa.DataType):
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return pd.StringDtype("pyarrow")
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
        dictionary: Sequence[str] = (),
    ) -> pd.DataFrame:
        """A table of the store as pandas (the small tables; the big ones are aggregated);
        the text columns in ``dictionary`` as categoricals (:meth:`TableStore.read`)."""
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

    def read(self, store, table, columns=None, periods=None, dictionary=()) -> pd.DataFrame:
        return store.read(table, columns=columns, periods=periods, dictionary=dictionary)

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
