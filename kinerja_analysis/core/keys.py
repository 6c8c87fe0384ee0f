"""Key columns as integer codes: how large tables are grouped without copying text.

A table of 26 million 360° ratings (100,000 ASN × 8 periods) holds its identifiers
(NIP, period, dimension, rater) as text; grouping or sorting by text hashes and compares
strings row by row and copies them into every intermediate frame. The aggregations of the
package therefore number each key's distinct values once (:func:`text_codes`), group and
sort by integers, and turn codes back into values only for the (much smaller) result.
The codes follow the values' text order, so a result grouped by codes is ordered exactly
as one grouped by the text would be.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "text_codes", "first_appearance", "compress_codes", "group_means", "with_pair_keys",
    "in_values", "dictionary_categorical",
]  # fmt: skip


def text_codes(
    values: pd.Series | np.ndarray, dtype: type[np.signedinteger] = np.int64
) -> tuple[np.ndarray, pd.Index, np.ndarray]:
    """Integer codes of a key column, ordered like its values' text.

    Parameters
    ----------
    values
        A key column of any dtype (object, string, categorical, integer).
    dtype
        Integer type of ``codes`` (``np.int32`` halves the memory of a column of
        millions of rows; it must hold the number of distinct values).

    Returns
    -------
    codes, uniques, text
        ``codes`` (``dtype``, one per row, -1 where missing) number the distinct values in
        the order of their text (``str``), so that grouping or sorting by the codes
        orders rows exactly as grouping or sorting by the text would; ``uniques`` are
        the distinct values themselves (an Index with the input's dtype; for a
        categorical, its categories, used or not) in that order and ``text`` their
        ``str`` form (object array).

    Notes
    -----
    One hash pass over the rows (:func:`pandas.factorize`; a categorical column reuses
    its codes) and a sort of the distinct values only: the column is never copied as
    text.

    >>> codes, uniques, text = text_codes(pd.Series(["b", "a", "b", None]))
    >>> codes.tolist(), list(text)
    ([1, 0, 1, -1], ['a', 'b'])
    """
    if isinstance(getattr(values, "dtype", None), pd.CategoricalDtype):
        # the column's own codes; its categories are the distinct values (results carry
        # the values, not the categorical)
        cat = pd.Categorical(values)
        codes, uniques = cat.codes, pd.Index(cat.categories, dtype=cat.categories.dtype)
    else:
        codes, uniques = pd.factorize(values, sort=False)
        uniques = uniques if isinstance(uniques, pd.Index) else pd.Index(uniques, dtype=object)
    text = np.asarray([str(v) for v in np.asarray(uniques, dtype=object)], dtype=object)
    order = np.argsort(text, kind="stable")
    # rank of each distinct value in text order; index -1 (missing) maps to the -1 at the end
    if len(order) >= np.iinfo(dtype).max:
        raise ValueError(f"text_codes: {len(order)} distinct values do not fit {np.dtype(dtype)}")
    lookup = np.empty(len(order) + 1, dtype=dtype)
    lookup[order] = np.arange(len(order))
    lookup[-1] = -1
    return lookup[codes], uniques.take(order), text[order]


def first_appearance(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes of ``key`` numbered by first appearance, and the first row of each code.

    The numbering of ``groupby(..., sort=False).ngroup()``, on one integer key.

    Parameters
    ----------
    key
        Integers, one per row (any order).

    Returns
    -------
    codes, first
        ``codes`` (int64, one per row) number the distinct keys ``0..k-1`` in the order
        of their first row; ``first`` (int64, ``k``) is that row of each code.

    Notes
    -----
    The numbering is a function of the key sequence alone, so every path below gives
    the same codes. Only the first row of each run of equal keys is numbered (a table
    sorted by employee holds one rating's seven dimensions, one rater's rating of one
    employee, in a run: a seventh of the rows); the runs' codes are then spread back.
    Those rows are numbered by their position of first appearance when the keys are
    non-negative and span at most four times the rows (a cell code of a few small key
    columns: one pass of ``np.minimum.at`` and a cumulative sum, no hash table; a fifth
    of the time of :func:`pandas.factorize` at 20 million ratings), otherwise by
    :func:`pandas.factorize`.

    >>> codes, first = first_appearance(np.array([7, 3, 7, 5, 3]))
    >>> codes.tolist(), first.tolist()
    ([0, 1, 0, 2, 1], [0, 1, 3])
    >>> codes, first = first_appearance(np.array([4, 4, 9, 9, 9, 4, 2]))
    >>> codes.tolist(), first.tolist()
    ([0, 0, 1, 1, 1, 0, 2], [0, 2, 6])
    """
    key = np.asarray(key, dtype=np.int64)
    n = len(key)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    head = np.empty(n, dtype=bool)  # the first row of each run of equal keys
    head[0] = True
    np.not_equal(key[1:], key[:-1], out=head[1:])
    runs = int(np.count_nonzero(head))
    heads = np.flatnonzero(head) if runs < n else None
    run_key = key[heads] if heads is not None else key
    del head
    lo, hi = int(run_key.min()), int(run_key.max())
    if lo >= 0 and hi < 4 * runs + 1024:
        # position of each key's first run; the keys present, numbered in that order
        at = np.full(hi + 1, runs, dtype=np.int64)
        np.minimum.at(at, run_key, np.arange(runs, dtype=np.int64))
        is_first = np.zeros(runs, dtype=bool)
        is_first[at[at < runs]] = True
        number = np.cumsum(is_first, dtype=np.int64) - 1  # valid at the first runs
        code_of = np.zeros(hi + 1, dtype=np.int64)
        present = at < runs
        code_of[present] = number[at[present]]
        del at, number, present
        run_codes = code_of[run_key]
        first_run = np.flatnonzero(is_first)
    else:
        run_codes = np.asarray(pd.factorize(run_key, sort=False)[0], dtype=np.int64)
        # numbered in order of first appearance: the running maximum steps up by one
        # exactly at each code's first row
        first_run = np.flatnonzero(np.diff(np.maximum.accumulate(run_codes), prepend=-1) > 0)
    if heads is None:
        return run_codes, first_run
    # each row takes its run's code (the rows of a run are consecutive)
    return np.repeat(run_codes, np.diff(heads, append=n)), heads[first_run]


def group_means(key: np.ndarray, columns: dict[str, np.ndarray]) -> pd.DataFrame:
    """Mean of each column and the group size per distinct non-negative integer ``key``.

    The result is indexed by the distinct keys, sorted, with one column per entry of
    ``columns`` (missing values skipped, as pandas does: NaN only where a group has no
    value) and ``n``, the rows per key. Where the keys span at most four times the rows (codes built from
    a few small key columns, as every caller's are), the sums are dense bincounts
    over the key range: no hash table or sort over millions of rows, a fifth of the
    time of pandas' group-by at 26 million ratings. Sums run in row order; pandas sums
    with compensation, which on groups of a few ratings changes nothing above 1e-15
    (whole-number scores are summed exactly either way). Wider keys are numbered first
    (``pandas.factorize``).

    >>> group_means(np.array([5, 2, 5]), {"y": np.array([1.0, 4.0, 2.0])})
         y  n
    2  4.0  1
    5  1.5  2
    """
    key = np.asarray(key, dtype=np.int64)
    if len(key) and key.min() < 0:
        raise ValueError("group_means: keys must be non-negative")
    if len(key) and int(key.max()) < 4 * len(key) + 1024:
        n = np.bincount(key)
        at = np.flatnonzero(n)
        codes = key
    else:
        codes, uniq = pd.factorize(key, sort=True)
        n = np.bincount(codes, minlength=len(uniq))
        at = np.arange(len(uniq))
    out = {}
    for name, v in columns.items():
        v = np.asarray(v, dtype=float)
        miss = np.isnan(v)
        if miss.any():  # skipped, as pandas does: the mean of the values present
            k = np.bincount(codes, weights=~miss, minlength=len(n))[at]
            s = np.bincount(codes, weights=np.where(miss, 0.0, v), minlength=len(n))[at]
            with np.errstate(invalid="ignore", divide="ignore"):
                out[name] = np.where(k > 0, s / np.where(k > 0, k, 1.0), np.nan)
        else:
            out[name] = np.bincount(codes, weights=v, minlength=len(n))[at] / n[at]
    index = pd.Index(at if codes is key else np.asarray(uniq), dtype=np.int64)
    return pd.DataFrame({**out, "n": n[at]}, index=index)


def compress_codes(codes: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The codes in use among ``0..n-1`` (sorted) and ``codes`` renumbered ``0..k-1``.

    >>> used, new = compress_codes(np.array([4, 1, 4]), 5)
    >>> used.tolist(), new.tolist()
    ([1, 4], [1, 0, 1])
    """
    used = np.flatnonzero(np.bincount(codes, minlength=n) > 0)
    new = np.full(n, -1, dtype=np.int64)
    new[used] = np.arange(len(used))
    return used, new[codes]


def with_pair_keys(
    frame: pd.DataFrame, first: pd.Index, second: pd.Index, names: tuple[str, str]
) -> pd.DataFrame:
    """``frame`` grouped by a two-part code, with the two key columns put back in front.

    Parameters
    ----------
    frame
        A result indexed by ``first_code * max(len(second), 1) + second_code`` (codes of
        :func:`text_codes`), e.g. a groupby over employee x period.
    first, second
        The ``uniques`` of the two keys' :func:`text_codes`.
    names
        The two key columns' names.

    Returns
    -------
    DataFrame
        ``names[0], names[1]`` then ``frame``'s columns, on a fresh ``RangeIndex``.

    >>> f = pd.DataFrame({"x": [1.0, 2.0]}, index=[1, 2])
    >>> with_pair_keys(f, pd.Index(["a", "b"]), pd.Index(["p", "q"]), ("nip", "periode"))
      nip periode    x
    0   a       q  1.0
    1   b       p  2.0
    """
    n_second = max(len(second), 1)
    key = frame.index.to_numpy()
    out = frame.reset_index(drop=True)
    out.insert(0, names[1], second.take(key % n_second))
    out.insert(0, names[0], first.take(key // n_second))
    return out


def in_values(values: pd.Series, allowed: object) -> np.ndarray:
    """Boolean mask: which of ``values`` are in ``allowed`` — ``values.isin(allowed)``.

    Written here because pandas' ``isin`` on Arrow-backed text (the dtype of every key
    column the loader gives) turns each allowed value into a pyarrow scalar in Python:
    about 8 ms for 6,000 NIPs, paid in every table filtered by "the employees of this
    document". Arrow's own ``is_in`` builds its set in C. Other dtypes go to pandas.

    Parameters
    ----------
    values
        A Series (any dtype).
    allowed
        Any collection (set, list, Series, Index); for Arrow text, values that are not
        text (numbers) never match and a missing value matches a missing one, as in
        pandas.

    Returns
    -------
    ndarray of bool, ``len(values)``.

    >>> s = pd.Series(["a", "b", None, "c"], dtype="string[pyarrow]")
    >>> in_values(s, {"a", "c", 3}).tolist()
    [True, False, False, True]
    >>> in_values(s, ["b", None]).tolist()
    [False, True, True, False]
    """
    import pyarrow as pa  # lazy: core stays light for the estimators that import it
    import pyarrow.compute as pc  # lazy: as above

    dtype = values.dtype
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
        return values.isin(allowed).to_numpy(dtype=bool)
    keep = [v for v in allowed if v is None or isinstance(v, str) or v is pd.NA or v != v]
    if not keep:
        return np.zeros(len(values), dtype=bool)
    arr = pa.array(values.array)
    found = pc.is_in(arr, value_set=pa.array(keep, type=arr.type, from_pandas=True))
    return found.to_numpy(zero_copy_only=False).astype(bool)


def dictionary_categorical(arr: pa.ChunkedArray | pa.Array) -> pd.Categorical:
    """An Arrow text column (dictionary-encoded or plain) as a pandas categorical whose
    categories are text (``ArrowStringArray``, the dtype the loader gives text) in sorted
    order, as ``astype("category")`` gives them: only the values that occur (a sliced
    array's or a filtered read's unused dictionary entries are not categories), missing
    values as code -1 (a null in the dictionary itself too), codes in the integer type
    pandas keeps for that many categories. Chunks with different dictionaries are
    unified; a plain column is dictionary-encoded by Arrow (one hash pass, no Python
    strings); only the distinct values are sorted.

    Raises
    ------
    TypeError
        The values are not text (a number or a date would silently become text).

    >>> import pyarrow as pa
    >>> c = dictionary_categorical(pa.chunked_array([pa.array(["b", "a", None, "b"])]))
    >>> list(c.categories), c.codes.tolist()
    (['a', 'b'], [1, 0, -1, 1])
    """
    import pyarrow as pa  # lazy: core stays light for the estimators that import it
    import pyarrow.compute as pc  # lazy: as above

    if isinstance(arr, pa.Array):
        arr = pa.chunked_array([arr])
    if not isinstance(arr, pa.ChunkedArray):
        raise TypeError(f"dictionary_categorical: an Arrow array, not {type(arr).__name__}")
    kind = arr.type.value_type if pa.types.is_dictionary(arr.type) else arr.type
    is_view = getattr(pa.types, "is_string_view", lambda _: False)
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind) or is_view(kind)):
        raise TypeError(f"dictionary_categorical: text values only, not {kind}")
    if pa.types.is_dictionary(arr.type) and arr.num_chunks > 1:
        if any(c.dictionary.null_count for c in arr.chunks):
            # Arrow cannot unify dictionaries holding a null: read such a column as text
            arr = arr.cast(kind)
    if not pa.types.is_dictionary(arr.type):
        arr = arr.cast(pa.large_string()) if is_view(kind) else arr
        arr = arr.dictionary_encode()
    elif arr.num_chunks > 1 and pa.types.is_integer(arr.type.index_type):
        if arr.type.index_type.bit_width < 32:
            # unified, the dictionaries may outgrow an 8- or 16-bit index
            arr = arr.cast(pa.dictionary(pa.int32(), arr.type.value_type))
    one = arr.unify_dictionaries().combine_chunks()
    words = one.dictionary.cast(pa.large_string())
    indices = one.indices
    if pa.types.is_unsigned_integer(indices.type):  # -1 needs a signed type
        indices = indices.cast(pa.int64())
    if indices.null_count:
        indices = indices.fill_null(-1)
    raw = indices.to_numpy(zero_copy_only=False)  # dictionary positions, -1 missing
    # the dictionary entries that occur and are not null: the categories
    n_words = len(words)
    used = np.zeros(n_words + 1, dtype=bool)  # the last slot: index -1
    used[raw] = True
    used = used[:n_words]
    if words.null_count:
        used &= ~words.is_null().to_numpy(zero_copy_only=False)
    kept = np.flatnonzero(used)
    cats_text = words.take(pa.array(kept)) if len(kept) < n_words else words
    order = kept[pc.array_sort_indices(cats_text).to_numpy()] if len(kept) else kept
    # a dictionary may hold a value twice (Arrow allows it; a single chunk is not
    # unified): equal neighbours in sorted order are one category
    sorted_words = words.take(pa.array(order))
    new = np.ones(len(order), dtype=bool)
    if len(order) > 1:
        same = pc.equal(sorted_words.slice(1), sorted_words.slice(0, len(order) - 1))
        new[1:] = ~same.to_numpy(zero_copy_only=False)
    n = int(new.sum())
    # the codes in the integer type pandas keeps for this many categories (int8 up to
    # 126, ...), so that neither Arrow's indices nor the codes are widened and copied
    # again: at 26.5 M ratings each such copy is 0.1-0.2 GB and about half a second
    small = next(t for t in (np.int8, np.int16, np.int32, np.int64) if n < np.iinfo(t).max)
    code_of = np.full(n_words + 1, -1, dtype=small)  # by dictionary position; -1 stays -1
    code_of[order] = np.cumsum(new) - 1
    firsts = sorted_words.filter(pa.array(new)) if n < len(order) else sorted_words
    cats = pd.Index(pd.arrays.ArrowStringArray(pa.chunked_array([firsts])))
    return pd.Categorical.from_codes(code_of[raw], cats)
