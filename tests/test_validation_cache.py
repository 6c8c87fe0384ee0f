"""The validated-table cache (partitioned Parquet keyed by the raw files' checksums) and
the engine seam (:mod:`kinerja_analysis.data.engine`)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_validation_inputs import TODAY, edit, write_base

from kinerja_analysis import load_dataset
from kinerja_analysis.data.engine import LocalEngine, TableStore
from kinerja_analysis.data.loading import Dataset


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return write_base(tmp_path / "data")


def _assert_same(a: Dataset, b: Dataset) -> None:
    assert a.checksum == b.checksum and a.periods == b.periods
    assert set(a.tables) == set(b.tables)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name])
    pd.testing.assert_frame_equal(
        a.validation.issues.reset_index(drop=True),
        b.validation.issues.reset_index(drop=True),
        check_dtype=False,
    )


def test_second_load_comes_from_the_cache_and_equals_the_first(base: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    edit(base / "skp.csv", 3, "realisasi", "abc")  # a reject, so the report is not empty
    first = load_dataset(base, cache=cache, today=TODAY)
    folders = [p for p in cache.iterdir() if p.is_dir() and not p.name.startswith(".")]
    assert len(folders) == 1
    # partitioned layout: one folder per period for period tables
    assert (folders[0] / "tabel" / "skp" / "periode=2024Q1" / "part-0.parquet").is_file()
    assert (folders[0] / "tabel" / "pegawai" / "part-0.parquet").is_file()
    # poison the raw validation path: a cached load must not validate again
    import kinerja_analysis.data.loading as loading

    real = loading.validate_dataset
    loading.validate_dataset = None  # type: ignore[assignment]
    try:
        second = load_dataset(base, cache=cache, today=TODAY)
    finally:
        loading.validate_dataset = real
    _assert_same(first, second)
    assert second.validation.n_rejected == 1


def test_cache_is_invalidated_when_a_raw_file_changes(base: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = load_dataset(base, cache=cache, today=TODAY)
    edit(base / "skp.csv", 2, "realisasi", "12.5")
    second = load_dataset(base, cache=cache, today=TODAY)
    assert second.checksum != first.checksum
    assert 12.5 in set(second.skp["realisasi"]) and 12.5 not in set(first.skp["realisasi"])
    fresh = load_dataset(base, today=TODAY)
    _assert_same(fresh, second)


def test_cache_is_invalidated_when_the_validating_code_changes(
    base: Path, tmp_path: Path, monkeypatch
) -> None:
    """Data validated by other rules or messages (another version of the package) are
    validated again, not served from the cache: the key holds the fingerprint of the
    validating code, which a changed rule changes."""
    import kinerja_analysis.data.loading as loading

    cache = tmp_path / "cache"
    load_dataset(base, cache=cache, today=TODAY)
    calls = []
    real = loading.validate_dataset
    monkeypatch.setattr(
        loading, "validate_dataset", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    load_dataset(base, cache=cache, today=TODAY)
    assert calls == []  # the same code: from the cache
    # another version of a rule module: a different fingerprint of the data folder
    pkg = tmp_path / "pkg"
    shutil.copytree(loading.PACKAGE_ROOT / "data", pkg / "data")
    shutil.copytree(loading.PACKAGE_ROOT / "core", pkg / "core")
    with (pkg / "data" / "rules.py").open("a") as fh:
        fh.write("\n# a rule changed\n")
    monkeypatch.setattr(loading, "PACKAGE_ROOT", pkg)
    loading.rules_fingerprint.cache_clear()
    try:
        load_dataset(base, cache=cache, today=TODAY)
    finally:
        loading.rules_fingerprint.cache_clear()
    assert calls == [1]  # validated again
    folders = [p for p in cache.iterdir() if p.is_dir() and not p.name.startswith(".")]
    assert len(folders) == 2


def test_cache_is_invalidated_by_the_mapping_and_the_options(base: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    a = load_dataset(base, cache=cache, today=TODAY)
    b = load_dataset(base, cache=cache, today=TODAY, periods=["2024Q1"])
    assert b.periods == ("2024Q1",) and a.checksum != b.checksum
    m = tmp_path / "m.yaml"
    m.write_text('format:\n  tanggal: "%Y-%m-%d"\n', encoding="utf-8")
    c = load_dataset(base, cache=cache, today=TODAY, mapping=m)
    assert c.checksum != a.checksum


def test_a_period_that_had_not_started_is_looked_at_again(base: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    edit(base / "skp.csv", 13, "periode", "2026Q3")
    before = load_dataset(base, cache=cache, today=date(2026, 1, 15))
    assert "2026Q3" not in before.periods
    assert before.validation.pending_periods == ("2026Q3",)
    # the same files after the period started: not the cached answer
    later = load_dataset(base, cache=cache, today=date(2026, 8, 1))
    assert later.validation.pending_periods == ()
    assert "2026Q3" in later.periods  # one of three employees: a (small) period of its own


def test_save_and_load_cache_round_trip(base: Path, tmp_path: Path) -> None:
    ds = load_dataset(base, today=TODAY)
    back = Dataset.load_cache(ds.save_cache(tmp_path / "c"))
    _assert_same(ds, back)


# --------------------------------------------------------------------------- engine


def test_table_store_partitions_and_reads_back_exactly(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    n = 500
    df = pd.DataFrame(
        {
            "nip": pd.array([f"N{i % 37:03d}" for i in range(n)], dtype="string[pyarrow]"),
            "periode": pd.array(rng.choice(["2025-02", "2025-01", "2025-10"], n), dtype="string[pyarrow]"),
            "skor": rng.integers(1, 6, n),
            "x": pd.array(np.where(rng.random(n) < 0.1, np.nan, rng.random(n)), dtype="Float64"),
            "tanggal": pd.to_datetime("2025-01-01") + pd.to_timedelta(rng.integers(0, 300, n), "D"),
        }
    ).sort_values("periode", key=lambda s: s.map({"2025-01": 0, "2025-02": 1, "2025-10": 2}),
                  kind="stable", ignore_index=True)  # fmt: skip
    store = TableStore(tmp_path)
    store.write("t", df)
    assert store.partitions("t") == ["2025-01", "2025-02", "2025-10"]
    pd.testing.assert_frame_equal(store.read("t"), df)
    sub = store.read("t", columns=["nip", "skor"], periods=["2025-10"])
    pd.testing.assert_frame_equal(
        sub, df.loc[df["periode"] == "2025-10", ["nip", "skor"]].reset_index(drop=True)
    )
    # the layout is what other engines read: pyarrow.dataset sees periode as a column
    assert store.dataset("t").to_table().num_rows == n


def test_local_engine_aggregates_like_pandas(tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    n = 2000
    df = pd.DataFrame(
        {
            "nip": pd.array([f"N{i}" for i in rng.integers(0, 50, n)], dtype="string[pyarrow]"),
            "periode": pd.array(rng.choice(["2025Q1", "2025Q2"], n), dtype="string[pyarrow]"),
            "skor": np.where(rng.random(n) < 0.05, np.nan, rng.integers(1, 6, n).astype(float)),
        }
    )
    store = TableStore(tmp_path)
    store.write("perilaku", df)
    metrics = {"rerata": ("skor", "mean"), "n": ("skor", "count"), "jumlah": ("skor", "sum"),
               "tertinggi": ("skor", "max"), "beda": ("skor", "nunique")}  # fmt: skip
    got = LocalEngine().aggregate((store, "perilaku"), ["nip", "periode"], metrics)
    want = (
        df.groupby(["nip", "periode"])["skor"]
        .agg(rerata="mean", n="count", jumlah="sum", tertinggi="max", beda="nunique")
        .reset_index()
    )
    pd.testing.assert_frame_equal(
        got.astype({"n": "int64", "beda": "int64", "nip": str, "periode": str}),
        want.astype({"n": "int64", "beda": "int64", "nip": str, "periode": str}),
        check_dtype=False,
    )
    with pytest.raises(ValueError, match="median"):
        LocalEngine().aggregate(df, ["nip"], {"m": ("skor", "median")})


def test_load_cache_of_another_version_is_refused(base: Path, tmp_path: Path) -> None:
    import json

    from kinerja_analysis import DatasetError

    c = load_dataset(base, today=TODAY).save_cache(tmp_path / "c")
    meta = json.loads((c / "meta.json").read_text(encoding="utf-8"))
    meta["version"] = "0"
    (c / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(DatasetError, match="versi lain"):
        Dataset.load_cache(c)
    shutil.rmtree(c)


def test_dataset_aggregates_through_the_engine(base: Path) -> None:
    ds = load_dataset(base, today=TODAY)
    got = ds.aggregate("perilaku", ["nip", "periode"], {"rerata": ("skor", "mean")})
    want = ds.perilaku.groupby(["nip", "periode"])["skor"].mean()
    assert np.allclose(got.set_index(["nip", "periode"])["rerata"].sort_index(), want.sort_index())
