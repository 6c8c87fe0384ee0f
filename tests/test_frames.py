"""core.frames.rows_where: the same rows as a boolean ``.loc``, sliced when contiguous."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis.core.compat import copy_on_write
from kinerja_analysis.core.frames import concat_rows, rows_where


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


# --------------------------------------------------------------------------- concat_rows


def _stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)  # pandas 2's concatenation warning
        return concat_rows(frames, ignore_index=True)


@pytest.mark.parametrize(
    ("values", "missing", "dtype"),
    [
        (np.array([1.5, 2.0]), pd.array([None], dtype="Int64"), "float64"),  # n_penilai
        (np.array([1.5, 2.0]), pd.array([None], dtype=object), "float64"),
        (pd.array(["a", "b"], dtype="string"), pd.array([np.nan]), "string"),
        (pd.Categorical(["Baik", "Baik"]), pd.array([None], dtype=object), "category"),
        (np.array([1, 2]), pd.array([np.nan]), "float64"),  # integers cannot hold NA
        (np.array([True, False]), pd.array([None], dtype=object), "object"),
    ],
)
def test_an_all_missing_column_takes_the_dtype_of_the_values(values, missing, dtype) -> None:
    full = pd.DataFrame({"k": ["x", "y"], "v": values})
    gap = pd.DataFrame({"k": ["z"], "v": missing})
    for frames in ([full, gap], [gap, full]):
        out = _stack(frames)
        assert str(out["v"].dtype) == dtype
        assert out["v"].isna().sum() == 1 and len(out) == 3
        assert out["v"].dropna().tolist() == pd.Series(values).tolist()


def test_empty_frames_keep_their_columns_but_not_their_dtypes() -> None:
    a = pd.DataFrame({"x": [1.0, 2.0]})
    e = pd.DataFrame({"x": pd.Series([], dtype=object), "only_here": pd.Series([], dtype=object)})
    out = _stack([e, a, e])
    assert list(out.columns) == ["x", "only_here"]
    assert str(out["x"].dtype) == "float64" and out["x"].tolist() == [1.0, 2.0]
    assert out["only_here"].isna().all()
    assert list(_stack([e, e]).columns) == ["x", "only_here"]  # nothing but empty frames
    with pytest.raises(ValueError, match="at least one frame"):
        concat_rows([])


def test_index_kept_unless_ignored() -> None:
    a = pd.DataFrame({"x": [1.0]}, index=[7])
    b = pd.DataFrame({"x": [2.0]}, index=[3])
    assert concat_rows([a, b]).index.tolist() == [7, 3]
    assert concat_rows([a, b], ignore_index=True).index.tolist() == [0, 1]


def test_nullable_integers_and_repeated_columns_stack_as_pandas_does() -> None:
    """An all-missing ``Int64`` column under ``int64`` values stays ``Int64`` (both pandas
    versions agree there); frames with a repeated column name go to ``pd.concat``."""
    a = pd.DataFrame({"n": pd.array([None], dtype="Int64")})
    b = pd.DataFrame({"n": np.array([2])})
    for frames in ([a, b], [b, a]):
        out = _stack(frames)
        assert str(out["n"].dtype) == "Int64" and out["n"].isna().sum() == 1
    dup = pd.DataFrame([[1, 2]], columns=["a", "a"])
    out = concat_rows([dup, dup], ignore_index=True)
    assert list(out.columns) == ["a", "a"] and len(out) == 2


def test_casts_pandas_cannot_make_and_columns_only_empty_frames_have() -> None:
    """An object column of ``pd.NA`` under int64 values is left to pandas (no error); a
    column only an empty frame holds keeps that frame's dtype."""
    a = pd.DataFrame({"term": ["x"], "n_obs": np.array([10])})
    b = pd.DataFrame([{"term": "y", "n_obs": pd.NA}])
    out = _stack([a, b])
    assert out["n_obs"].tolist()[0] == 10 and pd.isna(out["n_obs"].iloc[1])
    e = pd.DataFrame({"x": pd.Series([], dtype="float64"), "s": pd.Series([], dtype="Int64")})
    out = _stack([pd.DataFrame({"x": [1.0]}), e])
    assert list(out.columns) == ["x", "s"] and str(out["s"].dtype) == "Int64"
