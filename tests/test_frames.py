"""core.frames.rows_where: the same rows as a boolean ``.loc``, sliced when contiguous."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis.core.compat import copy_on_write
from kinerja_analysis.core.frames import rows_where


def _frame() -> pd.DataFrame:
    s = pd.array
    return pd.DataFrame(
        {
            "periode": s(["2024Q1"] * 3 + ["2024Q2"] * 4 + ["2024Q1"], dtype="string[pyarrow]"),
            "nip": s([f"n{i}" for i in range(8)], dtype="string"),
            "skor": np.arange(8, dtype="int64"),
        },
        index=pd.Index([10, 11, 12, 13, 14, 15, 16, 17]),
    )


@pytest.mark.parametrize(
    ("periode", "columns"),
    [("2024Q2", None), ("2024Q2", ["nip"]), ("2024Q1", None), ("2024Q1", ["skor", "nip"]),
     ("2030Q1", None)],
)  # fmt: skip
def test_same_rows_columns_and_index_as_loc(periode, columns) -> None:
    df = _frame()
    mask = df["periode"] == periode
    want = df.loc[mask.to_numpy(dtype=bool), slice(None) if columns is None else columns]
    got = rows_where(df, mask, columns)
    pd.testing.assert_frame_equal(got, want)


def test_a_contiguous_run_shares_memory_and_changes_never_reach_the_source() -> None:
    df = _frame()
    got = rows_where(df, df["periode"] == "2024Q2")
    # a slice under copy-on-write (pandas 3); without it (pandas 2) a copy, as .loc gives
    shared = np.shares_memory(got["skor"].to_numpy(), df["skor"].to_numpy())
    assert shared is copy_on_write()
    got.loc[got.index[0], "skor"] = 99  # the source keeps its value either way
    assert df.loc[13, "skor"] == 3


def test_missing_mask_values_count_as_false_and_plain_arrays_work() -> None:
    df = _frame()
    mask = pd.array([True, None, True, False, False, False, False, False], dtype="boolean")
    assert rows_where(df, mask).index.tolist() == [10, 12]
    assert rows_where(df, pd.Series(mask)).index.tolist() == [10, 12]
    assert rows_where(df, np.arange(8) >= 6).index.tolist() == [16, 17]


def test_a_mask_of_another_length_is_refused() -> None:
    with pytest.raises(ValueError, match="mask has 3 values for 8 rows"):
        rows_where(_frame(), np.array([True, False, True]))


# --------------------------------------------------------------------------- group means


def test_group_means_equal_pandas_grouped_means_on_narrow_and_wide_keys() -> None:
    """core.keys.group_means against pandas' grouped mean: dense keys (bincount over the
    key range) and keys far wider than the rows (numbered first), to 1e-12."""
    import numpy as np

    from kinerja_analysis.core.keys import group_means

    rng = np.random.default_rng(7)
    y = rng.normal(3.0, 1.0, 5000)
    z = rng.integers(1, 6, 5000).astype(float)
    y[::7] = np.nan  # skipped, as pandas skips them
    for key in (rng.integers(0, 800, 5000), rng.integers(0, 800, 5000) * 10**9):
        got = group_means(key, {"y": y, "z": z})
        want = pd.DataFrame({"y": y, "z": z}).groupby(key, sort=True).mean()
        assert got.index.tolist() == want.index.tolist()
        np.testing.assert_allclose(got[["y", "z"]].to_numpy(), want.to_numpy(), rtol=0, atol=1e-12)
        assert got["n"].tolist() == pd.Series(key).value_counts().sort_index().tolist()
        assert (got["z"].to_numpy() == want["z"].to_numpy()).all()  # whole numbers: exact
