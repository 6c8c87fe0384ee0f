"""Protecting employees in published output: small-cell suppression and a personal-data scan.

* :func:`suppress_small_cells` — statistical disclosure control of aggregate tables. A
  cell that describes fewer than ``min_sel`` employees is hidden (*primary suppression*),
  and, where a total is published, enough further cells are hidden that the first cannot
  be worked back by subtraction (*complementary suppression*);
  :func:`suppress_small_groups` is its front for one-row-per-group tables and
  :func:`check_small_cells` lists rows that still break the rule. Its fronts for
  figures beside a published total: :func:`remainder_hidden` (a count or share of a
  subset of each group's total: the rest is a cell too), :func:`subset_hidden` (the
  same for one group) and :func:`sources_hidden` (a total split between two sources,
  each part describing the people who have any of it).
* :func:`scan_personal_data` — a scan of every file a run writes (HTML, PDF, XLSX,
  notebooks, JSON, CSV, Parquet, logs) for NIPs and employees' names, so tests can prove
  that nothing personal leaves the machine.
* :func:`check_document` — the batch's last check of a document before it is published:
  the HTML (the PDF's source) or the workbook's bytes against the dataset's register of
  NIPs and names (:func:`personal_register`, :class:`~kinerja_analysis.core.personal.
  Register`); a hit raises :class:`PersonalDataFound`, which names the document and the
  kind of data, never the data.

Findings never repeat the personal data: excerpts are masked (``[NIP]``, ``[NAMA]``).
"""

from __future__ import annotations

import base64
import binascii
import html as _html
import io
import json
import os
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from kinerja_analysis.core.compat import read_parquet
from kinerja_analysis.core.config import DEFAULTS
from kinerja_analysis.core.deprecation import renamed_keywords
from kinerja_analysis.core.personal import (
    NIP_KINDS,
    NIP_SEPARATORS,
    Register,
    is_person_id,
    words,
)


@renamed_keywords(kolom_n="count_col", kolom="value_cols", total_ditampilkan="totals_shown")
def suppress_small_groups(
    df: pd.DataFrame,
    count_col: str,
    min_sel: int,
    value_cols: Sequence[str] | None = None,
    *,
    totals_shown: bool = False,
) -> pd.DataFrame:
    """Suppress groups with fewer than ``min_sel`` members (their size too).

    A thin front to :func:`kinerja_analysis.reporting.privacy.suppress_small_cells`, the project's one
    suppression mechanism: statistics and the group size of small groups become missing
    (integer columns nullable ``Int64``), with a boolean ``disembunyikan`` column. With
    ``totals_shown`` (the groups add up to a total shown elsewhere) the next-smallest
    groups are suppressed too, so a hidden group cannot be recovered by subtraction.

    Parameters
    ----------
    value_cols
        Statistic columns to blank; default every numeric column except ``count_col``.
    """

    if min_sel < 1:
        raise ValueError(f"min_sel must be >= 1, not {min_sel}")
    if value_cols is None:
        value_cols = [
            c for c in df.columns if c != count_col and pd.api.types.is_numeric_dtype(df[c])
        ]
    out = df.copy()
    for c in value_cols:
        if pd.api.types.is_integer_dtype(out[c]):
            out[c] = out[c].astype("Int64")
    return suppress_small_cells(
        out, count_col, min_sel, value_cols=list(value_cols), totals_shown=totals_shown
    )


#: Columns of :func:`scan_personal_data`'s result.
FINDING_COLUMNS: tuple[str, ...] = ("file", "jenis", "lokasi", "cuplikan")

# ----------------------------------------------------------------------------- suppression


def _groupings(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


@renamed_keywords(by_tambahan="also_by", total_ditampilkan="totals_shown", sembunyikan_n="hide_count", sembunyikan_nol="hide_zero")  # fmt: skip
def suppress_small_cells(
    df: pd.DataFrame,
    count_col: str = "n",
    min_sel: int = DEFAULTS.min_sel,
    *,
    by: str | Sequence[str] | None = None,
    value_cols: Sequence[str] | None = None,
    also_by: Sequence[str | Sequence[str]] = (),
    totals_shown: bool = True,
    hide_count: bool = True,
    hide_zero: bool = False,
    group_totals: Mapping[object, int] | pd.Series | int | None = None,
    primary: Sequence[bool] | None = None,
) -> pd.DataFrame:
    """Suppress cells describing fewer than ``min_sel`` employees, with complementary cells.

    Parameters
    ----------
    df
        An aggregate table: one row per cell, ``count_col`` = employees the row describes.
    count_col
        The group-size column.
    min_sel
        Smallest number of employees a published cell may describe (>= 1).
    by
        Column(s) defining the groups whose total is published (e.g. ``"opd"`` in an
        OPD x predikat table with one total per OPD). ``None``: the whole table is one group.
    value_cols
        Columns blanked on a suppressed row. Default: every numeric column except
        ``count_col`` (which is governed by ``hide_count``).
    also_by
        Further groupings whose totals are also published (e.g. ``["predikat"]`` for the
        column margins of a two-way table). Suppression is repeated over ``by`` and these
        until nothing changes.
    totals_shown
        Whether group totals are published or derivable (the sum of ``count_col``, or an
        overall mean that the group means average to). ``False`` switches complementary
        suppression off — only then is primary suppression alone safe.
    hide_count
        Also blank ``count_col`` itself on suppressed rows (default). Set ``False`` only
        when the count is public anyway (e.g. the head-count of an OPD).
    hide_zero
        Also treat cells with ``count_col == 0`` as small. By default empty cells are shown:
        they describe nobody.
    group_totals
        The published size of each group of ``by`` (one column; a mapping or Series
        ``{group: total}``; a single number when ``by`` is ``None``), when it can be larger
        than the sum of the group's cells: e.g. an OPD's head-count beside its predikat
        counts, which cover only the ASN *with* a predikat. The remainder ``total - sum``
        (the ASN without one) is then a published figure by subtraction, so it enters the
        problem as one more, never displayed cell per group (its column margin, over the
        groups, is a further ``also_by`` group): a remainder of 1..``min_sel``-1 forces a
        complement among the displayed cells of its group, and a remainder chosen as a
        complement hides displayed cells the same way. The remainder rows are dropped from
        the result; :func:`remainder_hidden` returns which groups' remainders are hidden
        (then the group's sum of cells, its "number with", must not be published either).
        A group missing from ``group_totals`` has no remainder cell; a group of
        ``group_totals`` without rows in ``df`` has its whole total as remainder. A
        remainder of 0 is treated as published (it is never chosen as a complement:
        hiding a cell known to be empty protects nothing).
    primary
        One flag per row of ``df``: rows hidden from the start for a reason the counts do
        not show (another document's pattern, e.g. a cell that the documents of the other
        OPDs, read together with the city's total, would give back), protected with
        complements like a small cell.

    Returns
    -------
    DataFrame
        A copy of ``df`` with the values of suppressed rows set to missing (integer columns
        become nullable ``Int64``) and a boolean column ``disembunyikan``. Which rows are
        primary and which complementary is deliberately *not* recorded, since that would
        reveal which cells are small.

    Notes
    -----
    Rule:

    1. *Primary*: a row with ``0 < n < min_sel`` (``0 <= n`` with ``hide_zero``) is
       suppressed.
    2. *Complementary* (when ``totals_shown``): within every group of ``by`` (and of
       each ``also_by`` grouping) that has at least one suppressed row, further rows
       are suppressed, smallest ``n`` first (ties: first row), until the group has at least
       two suppressed rows **and** the suppressed rows together describe at least
       ``min_sel`` employees — or every row of the group is suppressed. Two hidden cells
       are needed so that "total minus the shown cells" gives only their sum; the sum must
       itself reach ``min_sel`` because hidden cells are known to be >= 1 (two hidden
       cells summing to 2 are both 1).
    3. Step 2 is repeated over all groupings until no row changes (a complementary cell
       chosen for a row margin may break a column margin).

    A group with a single row that is suppressed cannot be protected inside the group;
    its total must then not be published (the total equals the cell). This is the
    simple, conservative heuristic agencies use for one- and two-way tables; it does not
    solve the optimal (linear-programming) cell-suppression problem, so it may hide more
    than strictly necessary, never less for the groupings given.

    Checked in ``tests/test_privacy.py`` against hand-worked tables: a lone small cell
    pulls the next-smallest into suppression; two small cells summing below ``min_sel``
    pull a third; two-way margins converge.
    """
    if not isinstance(min_sel, int | np.integer) or min_sel < 1:
        raise ValueError(f"min_sel must be a whole number >= 1, not {min_sel!r}")
    if count_col not in df.columns:
        raise ValueError(
            f"count column {count_col!r} is not in the table (columns: {list(df.columns)})"
        )
    groupings = [_groupings(by)] + [_groupings(g) for g in also_by]
    for g in groupings:
        missing = [c for c in g if c not in df.columns]
        if missing:
            raise ValueError(f"grouping column(s) {missing} not in the table")
    if value_cols is None:
        value_cols = [
            c
            for c in df.columns
            if c != count_col
            and pd.api.types.is_numeric_dtype(df[c])
            and not pd.api.types.is_bool_dtype(df[c])
        ]
    else:
        missing = [c for c in value_cols if c not in df.columns]
        if missing:
            raise ValueError(f"value_cols {missing} not in the table")

    out = df.copy()
    n = pd.to_numeric(out[count_col], errors="coerce").to_numpy(dtype=float)
    if np.isnan(n).any():
        raise ValueError(f"column {count_col!r} holds empty or non-numeric values")
    key_cols = {c: out[c].astype(object).to_numpy() for g in groupings for c in g}
    n_shown = len(out)
    if group_totals is not None:
        n, key_cols = _with_remainder(n, key_cols, _groupings(by), group_totals, count_col)
    kecil = (n < min_sel) & ((n > 0) | hide_zero)
    if primary is not None:
        forced = np.asarray(primary, dtype=bool)
        if forced.shape != (n_shown,):
            raise ValueError(f"primary holds {forced.size} flags for a table of {n_shown} rows")
        kecil[:n_shown] |= forced
    hide = kecil.copy()
    # an empty remainder (everyone of the group is in a displayed cell) is as good as
    # published (another document's count often says so): never a complement
    fixed = np.zeros(len(n), dtype=bool)
    fixed[n_shown:] = n[n_shown:] == 0

    if totals_shown:
        order_all = np.arange(len(n))
        changed = True
        while changed:
            changed = False
            for g in groupings:
                keys = [np.zeros(len(n), dtype=int)] if not g else [key_cols[c] for c in g]
                grp = pd.Series(order_all).groupby(keys, sort=False, dropna=False, observed=True)
                for _, idx in grp:
                    rows = idx.to_numpy()
                    if not hide[rows].any():
                        continue
                    # candidates: shown rows, smallest n first, stable
                    while True:
                        h = rows[hide[rows]]
                        if len(h) >= 2 and n[h].sum() >= min_sel:
                            break
                        shown = rows[~hide[rows] & ~fixed[rows]]
                        if len(shown) == 0:
                            break
                        pick = shown[np.argsort(n[shown], kind="stable")[0]]
                        hide[pick] = True
                        changed = True

    out.attrs["sisa_disembunyikan"] = (
        _remainder_flags(key_cols, hide, n_shown, _groupings(by))
        if group_totals is not None
        else {}
    )
    hide = hide[:n_shown]
    cols = list(value_cols) + ([count_col] if hide_count else [])
    mask = pd.Series(hide, index=out.index)
    for c in cols:
        s = out[c]
        if pd.api.types.is_integer_dtype(s) or pd.api.types.is_bool_dtype(s):
            s = s.astype("Int64" if pd.api.types.is_integer_dtype(s) else "boolean")
            out[c] = s.mask(mask)
        elif pd.api.types.is_numeric_dtype(s):
            out[c] = s.mask(mask)
        else:
            out[c] = s.astype(object).mask(mask)
    out["disembunyikan"] = hide
    return out


#: What a remainder cell of :func:`suppress_small_cells` holds in every grouping column
#: but ``by``: the remainders of all groups form their own margin in each ``also_by``.
_KIND = "\x00sisa"


def _with_remainder(
    n: np.ndarray,
    key_cols: dict[str, np.ndarray],
    by: list[str],
    group_totals: Mapping[object, int] | pd.Series | int,
    count_col: str,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """``n`` and the grouping keys with one remainder cell per group of ``by`` appended
    (``total - sum of the group's cells``); other grouping columns of a remainder cell hold
    the remainder marker, so the remainders form their own margin."""
    if len(by) > 1:
        raise ValueError("group_totals needs `by` to be one column (or None)")
    if not by:
        if not isinstance(group_totals, int | np.integer | float | np.floating):
            raise ValueError("group_totals must be one number when `by` is None")
        totals = {0: group_totals}
        sums = {0: float(n.sum())}
        gk = None
    else:
        gk = by[0]
        totals = dict(pd.Series(group_totals).items())
        sums = pd.Series(n).groupby(key_cols[gk], sort=False, observed=True).sum().to_dict()
    extra_n, extra_g = [], []
    for g, tot in totals.items():
        tot = float(tot)
        rest = tot - float(sums.get(g, 0.0))
        if rest < 0:
            raise ValueError(
                f"group {g!r}: its cells of {count_col!r} add up to {sums.get(g, 0.0):g}, more "
                f"than its published total {tot:g}"
            )
        extra_n.append(rest)
        extra_g.append(g)
    keys: dict[str, np.ndarray] = {}
    for c, v in key_cols.items():
        if c == gk:
            keys[c] = np.concatenate([v, np.asarray(extra_g, dtype=object)])
        else:
            keys[c] = np.concatenate([v, np.full(len(extra_g), _KIND, dtype=object)])
    return np.concatenate([n, np.asarray(extra_n, dtype=float)]), keys


def _remainder_flags(
    key_cols: dict[str, np.ndarray], hide: np.ndarray, n_shown: int, by: list[str]
) -> dict[object, bool]:
    """``{group: remainder hidden}`` for the remainder cells after ``n_shown``."""
    groups = key_cols[by[0]][n_shown:] if by else [None] * (len(hide) - n_shown)
    return {g: bool(h) for g, h in zip(groups, hide[n_shown:], strict=True)}


def remainder_hidden(
    subset: Mapping[object, int] | pd.Series,
    totals: Mapping[object, int] | pd.Series,
    min_sel: int = DEFAULTS.min_sel,
    *,
    margin: bool = True,
) -> set:
    """Groups whose count of a subset must not be published beside their total.

    A group's total (an OPD's head-count) is public; publishing also how many of its
    members belong to a subset (ASN with an SKP, with a predikat, with feedback, below
    20 JP…) — as a count, or as a share of the total — publishes the remainder
    ``total - subset`` too. Both are cells: a group is returned when its subset count or
    its remainder is 1..``min_sel``-1 (primary), and further groups are added, smallest
    first, so that the hidden subset counts (and the hidden remainders) together are at
    least two and describe at least ``min_sel`` people when their sum over the groups is
    published (``margin``; e.g. the city's number with SKP, or the city's share) — the
    rule of :func:`suppress_small_cells`, run on the table of ``subset`` and remainder
    cells with ``group_totals``.

    Parameters
    ----------
    subset
        ``{group: count of the subset}``; a group of ``totals`` missing here counts 0.
    totals
        ``{group: published total}``; every count in ``subset`` must not exceed it.
    margin
        Whether the subset's total over all groups is published or derivable (default).

    A group of at least ``min_sel`` whose subset is none or all of it is left out: its
    count is its public total (or 0), known whatever is hidden. A smaller group is kept
    (its count, even 0 or all, says something of each member).

    Returns
    -------
    set
        The groups whose subset count — and every figure that gives it back: its share
        of the total, the count or share of the remainder — must be hidden.

    Raises
    ------
    ValueError
        A subset count exceeds its group's total.

    Examples
    --------
    A has 3 ASN without (89 - 86); C, the smallest other count, is hidden with it, else
    the city's count (188) less B's and C's would give A's back:

    >>> sorted(remainder_hidden({"A": 86, "B": 52, "C": 50}, {"A": 89, "B": 70, "C": 60}, 5))
    ['A', 'C']
    >>> sorted(remainder_hidden({"A": 86, "B": 52, "C": 50}, {"A": 89, "B": 70, "C": 60}, 5,
    ...                         margin=False))
    ['A']
    """
    tot = pd.Series(totals, dtype=float)
    sub = pd.Series(subset, dtype=float)
    sub = sub.reindex(tot.index.union(sub.index, sort=False)).fillna(0.0)
    # a count of none or of all of a group of at least min_sel is its public total (0 or
    # the total): known, so neither hidden nor a complement. A smaller group stays: "all
    # 3 have an SKP" says it of each of them
    known = tot.reindex(sub.index)
    keep = ~((sub == 0) | (sub == known)) | (known < min_sel)
    sub, tot = sub[keep], tot[tot.index.isin(sub.index[keep])]
    t = pd.DataFrame(
        {"grup": sub.index.to_numpy(dtype=object), "jenis": "sel", "n": sub.to_numpy()}
    )
    s = suppress_small_cells(
        t,
        "n",
        min_sel,
        by="grup",
        value_cols=[],
        also_by=["jenis"] if margin else (),
        group_totals=tot,
    )
    return set(s.loc[s["disembunyikan"], "grup"])


def subset_hidden(count: float, total: float, min_sel: int = DEFAULTS.min_sel) -> bool:
    """Whether a count of a subset of one group — or its share of the group — must be
    hidden beside the group's published total: :func:`remainder_hidden` for a single
    group (no margin over groups). True when the count or the rest (``total - count``)
    is 1..``min_sel``-1, or when the group itself is smaller than ``min_sel`` (then even
    "none" or "all" says something of each member).

    This is the rule of every share of a published head-count: the city's share of ASN
    below 20 JP beside its number of ASN, a period's share of ASN without feedback beside
    that period's number of ASN, the number with an SKP beside the head-count.

    Raises
    ------
    ValueError
        ``count`` exceeds ``total``.

    Examples
    --------
    >>> subset_hidden(297, 300, 5), subset_hidden(3, 300, 5), subset_hidden(150, 300, 5)
    (True, True, False)
    >>> subset_hidden(0, 300, 5), subset_hidden(300, 300, 5), subset_hidden(0, 3, 5)
    (False, False, True)
    """
    return bool(remainder_hidden({0: count}, {0: total}, min_sel, margin=False))


def sources_hidden(
    counts: pd.DataFrame, min_sel: int = DEFAULTS.min_sel, *, by: str | None = None
) -> set:
    """Rows whose split of a published total between two sources must not be published.

    A total of something the members of a group hold (the JP of an OPD, or of the city)
    is published; a share of it that comes from one source (the self-funded share of JP)
    publishes the source's part and the rest: each describes the members who have any
    of it (``n_a`` and ``n_b`` people, who may overlap). Both are cells of
    :func:`suppress_small_cells`: a row is returned when either is 1..``min_sel``-1, and,
    when the parts' totals over the rows are published too (``by`` names the row key,
    e.g. ``"opd"``, with the city's share beside the OPDs'), further rows, smallest first,
    so that the hidden parts of each source together describe at least ``min_sel`` people
    in two rows or more. A row where either part is empty (the share is 0 or 1) says
    nothing the row's own total does not say: it is neither hidden nor a complement.

    Parameters
    ----------
    counts
        One row per group: ``n_a``, ``n_b`` (people with a part from each source) and, with
        ``by``, the row key.
    by
        The row key column; ``None``: one row (or rows whose totals are not added up).

    Returns
    -------
    set
        The row keys (the index labels when ``by`` is ``None``) to hide.

    Examples
    --------
    Three self-funded trainees in the city: the share would give their JP back.

    >>> sorted(sources_hidden(pd.DataFrame({"n_a": [3], "n_b": [170]}), 5))
    [0]
    >>> d = pd.DataFrame({"opd": ["A", "B", "C"], "n_a": [2, 9, 30], "n_b": [40, 20, 50]})
    >>> sorted(sources_hidden(d, 5, by="opd"))
    ['A', 'B']
    """
    key = counts[by] if by is not None else pd.Series(counts.index, index=counts.index)
    both = (counts["n_a"] > 0) & (counts["n_b"] > 0)
    if not both.any():
        return set()
    d = counts.loc[both]
    k = key.loc[both].to_numpy(dtype=object)
    long = pd.DataFrame(
        {
            "baris": np.concatenate([k, k]),
            "sumber": ["a"] * len(d) + ["b"] * len(d),
            "n": np.concatenate([d["n_a"].to_numpy(float), d["n_b"].to_numpy(float)]),
        }
    )
    s = suppress_small_cells(
        long,
        "n",
        min_sel,
        by="baris",
        value_cols=[],
        also_by=["sumber"] if by is not None else (),
    )
    return set(s.loc[s["disembunyikan"], "baris"])


@renamed_keywords(nol_boleh="allow_zero")
def check_small_cells(
    table: pd.DataFrame,
    count_col: str = "n",
    min_sel: int = DEFAULTS.min_sel,
    *,
    allow_zero: bool = True,
) -> pd.DataFrame:
    """Rows of a table that would be published while describing fewer than ``min_sel`` people.

    Parameters
    ----------
    table
        An aggregate table as it is about to be published.
    count_col
        Its group-size column. Missing values (already suppressed) are not violations.
    allow_zero
        Empty cells (``n == 0``) are allowed (default), as in :func:`suppress_small_cells`.

    Returns
    -------
    DataFrame
        The violating rows (same columns as ``table``); empty when the table is safe.
    """
    if count_col not in table.columns:
        raise ValueError(f"count column {count_col!r} is not in the table")
    n = pd.to_numeric(table[count_col], errors="coerce")
    bad = n.notna() & (n < min_sel) & ((n > 0) | (not allow_zero))
    return table.loc[bad.to_numpy()].copy()


# ----------------------------------------------------------------------------- scan

_TEKS_EXT = {
    ".html", ".htm", ".md", ".txt", ".log", ".csv", ".tsv", ".yaml", ".yml", ".svg",
    ".xml", ".css", ".js", ".py", ".tex", ".rst", ".j2",
}  # fmt: skip
_JSON_EXT = {".json", ".ipynb"}
_GAMBAR_KEYS = {"image/png", "image/jpeg", "image/gif", "application/pdf"}
# 18 digits not touching other hexadecimal characters (so a sha256 digest does not count)
_NIP18 = re.compile(r"(?<![0-9A-Fa-f])(?<!\d[.,])\d{18}(?![0-9A-Fa-f])")  # not a decimal fraction
# NIP written in its printed groups: 19850101 201001 1 001, 19850101-201001-1-001
_NIP_SPASI = re.compile(rf"(?<!\d)\d{{8}}({NIP_SEPARATORS})\d{{6}}\1\d\1\d{{3}}(?!\d)")
_KATA = re.compile(r"\w+")
_DATA_URI = re.compile(r"data:[\w/+.\-]+;base64,[A-Za-z0-9+/=\s]+")


#: The PNG text chunk (iTXt) where every figure the reports draw carries the texts drawn
#: on it (titles, tick labels, legends, annotations), one per line, so the personal-data
#: checks read a figure's words as they read a table's (:func:`figure_texts`).
FIGURE_TEXT_KEY = "kinerja:teks"

_DATA_IMAGE = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=\s]+)")


def figure_texts(png: bytes) -> list[str]:
    """The texts a figure of the reports has drawn on it, read from its PNG's
    :data:`FIGURE_TEXT_KEY` chunk: one string per text, ``[]`` when the image carries
    none (a PNG from elsewhere, an image that is not a PNG or does not decode).

    Read with Pillow from the chunks before the image data, without decoding a pixel.

    >>> figure_texts(b"not an image")
    []
    """
    from PIL import Image, UnidentifiedImageError  # lazy: only for documents with figures

    try:
        with Image.open(io.BytesIO(png)) as im:
            value = im.info.get(FIGURE_TEXT_KEY)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return []  # not one of the reports' figures: nothing of ours is in it
    return [t for t in str(value).split("\n") if t.strip()] if value else []


def _embedded_figure_texts(markup: str) -> list[str]:
    """:func:`figure_texts` of every PNG embedded as a ``data:`` URI in an HTML text."""
    out: list[str] = []
    for m in _DATA_IMAGE.finditer(markup):
        try:
            raw = base64.b64decode("".join(m.group(1).split()), validate=True)
        except (binascii.Error, ValueError):
            continue
        out += figure_texts(raw)
    return out


def _words(teks: str) -> list[str]:
    return [m.group(0).casefold() for m in _KATA.finditer(teks)]


class _Pattern:
    """The compiled search: known NIPs as a set, names as token tuples by length."""

    def __init__(self, nip_values: Iterable[object], names: Iterable[object]):
        self.nips = {
            re.sub(r"\D", "", str(x)) for x in nip_values if x is not None and not pd.isna(x)
        }
        self.nips = {x for x in self.nips if len(x) == 18}
        self.register = Register(sorted(self.nips))
        self.names: dict[int, set[tuple[str, ...]]] = {}
        for nm in names:
            if nm is None or (isinstance(nm, float) and np.isnan(nm)):
                continue
            s = " ".join(str(nm).split())
            if len(s) < 4:
                continue
            tok = tuple(_words(s))
            if not tok:
                continue
            self.names.setdefault(len(tok), set()).add(tok)

    def cari(self, teks: str) -> list[tuple[int, int, str]]:
        """Spans ``(start, end, jenis)`` of personal data in ``teks``."""
        # a known NIP in any printed form (separators, inside a longer run of digits, a
        # number in scientific notation): the batch's own matcher
        spans: list[tuple[int, int, str]] = [
            (h.start, h.end, "nip_dikenal")
            for h in self.register.find(teks, whole=False)
            if h.kind == "nip"
        ]
        for m in (*_NIP_SPASI.finditer(teks), *_NIP18.finditer(teks)):
            if not any(a <= m.start() < b for a, b, _ in spans):
                spans.append((m.start(), m.end(), "nip"))
        if self.names:
            toks = list(_KATA.finditer(teks))
            low = [t.group(0).casefold() for t in toks]
            for k, pool in self.names.items():
                for i in range(len(low) - k + 1):
                    if tuple(low[i : i + k]) in pool:
                        spans.append((toks[i].start(), toks[i + k - 1].end(), "nama"))
        return sorted(set(spans))


def _snippet(teks: str, a: int, b: int, spans: list[tuple[int, int, str]], lebar: int = 40) -> str:
    lo, hi = max(0, a - lebar), min(len(teks), b + lebar)
    parts, pos = [], lo
    for s, e, jenis in spans:
        if e <= lo or s >= hi:
            continue
        s2, e2 = max(s, lo), min(e, hi)
        if s2 < pos:
            continue
        parts.append(teks[pos:s2])
        parts.append("[NAMA]" if jenis == "nama" else "[NIP]")
        pos = e2
    parts.append(teks[pos:hi])
    out = " ".join("".join(parts).split())
    # any remaining long digit run is masked too
    return re.sub(r"\d{8,}", "[ANGKA]", out)


def _json_strings(obj: object, out: list[str]) -> None:
    if isinstance(obj, dict):
        for k, v in obj.items():
            out.append(str(k))
            if k in _GAMBAR_KEYS:
                if k == "image/png":  # a figure's own texts (a notebook's output)
                    png = "".join(v) if isinstance(v, list) else str(v)
                    out += _embedded_figure_texts(f"data:image/png;base64,{png}")
                continue
            _json_strings(v, out)
    elif isinstance(obj, list):
        for v in obj:
            _json_strings(v, out)
    elif obj is not None:
        out.append(str(obj))


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int | np.integer):
        return str(int(v))
    if isinstance(v, float | np.floating):
        if np.isfinite(v) and float(v).is_integer() and abs(v) >= 1e9:
            return str(int(v))  # a NIP typed as a number
        return str(v)
    return str(v)


def _segments(path: Path) -> tuple[list[tuple[str, str]], str | None]:
    """Text segments ``(lokasi, teks)`` of a file, or a reason it was not scanned."""
    ext = path.suffix.lower()
    if ext == ".pdf":
        from pypdf import PdfReader  # lazy: only when scanning PDFs

        reader = PdfReader(str(path))
        return [
            (f"halaman {i + 1}", p.extract_text() or "") for i, p in enumerate(reader.pages)
        ], None
    if ext in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook  # lazy: only when writing/reading workbooks

        wb = load_workbook(path, read_only=True, data_only=True)
        segs = []
        try:
            for ws in wb.worksheets:
                segs.append((f"{ws.title}!judul", ws.title))
                for row in ws.iter_rows():
                    for c in row:
                        t = _cell_text(c.value)
                        if t:
                            coord = getattr(c, "coordinate", "?")
                            segs.append((f"{ws.title}!{coord}", t))
        finally:
            wb.close()
        return segs, None
    if ext == ".parquet":
        df = read_parquet(path)
        segs = [("kolom", " | ".join(map(str, df.columns)))]
        for c in df.columns:
            for i, v in enumerate(df[c].tolist()):
                t = _cell_text(v)
                if t:
                    segs.append((f"{c}[{i}]", t))
        return segs, None
    raw = path.read_bytes()
    if ext == ".png":
        texts = figure_texts(raw)
        if not texts:
            return [], "gambar tanpa teks yang dapat dibaca"
        return [("grafik", t) for t in texts], None
    if ext in _JSON_EXT:
        try:
            obj = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            pass
        else:
            strings: list[str] = []
            _json_strings(obj, strings)
            return [("json", "\n".join(strings))], None
    if ext not in _TEKS_EXT and ext not in _JSON_EXT and b"\x00" in raw[:8192]:
        return [], "berkas biner yang tidak dikenal"
    teks = raw.decode("utf-8", errors="replace")
    if ext in (".html", ".htm", ".svg", ".xml"):
        figures = [
            (f"grafik {i}", t)
            for i, m in enumerate(_DATA_IMAGE.finditer(teks), start=1)
            for t in _embedded_figure_texts(m.group(0))
        ]
        teks = _html.unescape(_DATA_URI.sub("data:", teks))
        return [("teks", teks), *figures], None
    return [("teks", teks)], None


def _list_files(paths: Iterable[str | os.PathLike]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            files.extend(sorted(q for q in p.rglob("*") if q.is_file()))
        elif p.is_file():
            files.append(p)
        else:
            raise ValueError(f"scan_personal_data: no such file or folder: {p}")
    return files


def scan_personal_data(
    paths: Iterable[str | os.PathLike] | str | os.PathLike,
    nip_values: Iterable[object] = (),
    names: Iterable[object] = (),
) -> pd.DataFrame:
    """Scan files for NIPs and employees' names.

    Parameters
    ----------
    paths
        Files and/or folders (scanned recursively).
    nip_values
        Known NIPs (any separators are removed; only 18-digit values are used).
    names
        Known names. Names shorter than 4 characters are ignored (too many false hits).

    Returns
    -------
    DataFrame
        One row per finding: ``file`` (path as given/found), ``jenis`` (``nip_dikenal`` a
        known NIP, ``nip`` any other 18-digit number or a number in printed NIP layout,
        ``nama`` a known name), ``lokasi`` (``baris N``, ``halaman N``, ``Sheet!B3``,
        ``kolom[i]`` or ``json``), ``cuplikan`` (about 40 characters either side with every
        NIP and name replaced by ``[NIP]``/``[NAMA]`` and digit runs of 8+ by ``[ANGKA]``).
        ``attrs["dipindai"]`` lists the files read, ``attrs["dilewati"]`` the files skipped
        (unknown binary formats such as PNG) with the reason.

    Notes
    -----
    Formats: PDF (text from ``pypdf``), XLSX (every cell through ``openpyxl``; numbers of
    10+ digits written as integers, so a NIP stored as a number is still found), Parquet,
    notebooks and JSON (every string, except embedded images), HTML (entities decoded,
    ``data:`` URIs removed), and any other UTF-8 text (CSV, logs, Markdown). The texts
    drawn on the reports' figures are read from the figures themselves
    (:func:`figure_texts`): embedded in HTML or a notebook (``lokasi`` ``grafik N``, the
    N-th image of the page) or a PNG file; any other image is skipped.

    *NIP*: any run of exactly 18 digits not touching other hexadecimal characters (so
    hex digests are not flagged), any 8-6-1-3 digit group separated by one kind of
    separator (space, point, dash, slash…:
    :data:`~kinerja_analysis.core.personal.NIP_SEPARATORS`), and a known NIP in any
    form :class:`~kinerja_analysis.core.personal.Register` finds (with separators
    anywhere, inside a longer digit run, as a number in scientific notation). *Names*: compared word by word
    (Unicode word characters, case-folded), so ``"siti  AMINAH"`` matches ``Siti Aminah``
    but ``Sitiaminah`` does not.
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    pola = _Pattern(nip_values, names)
    rows: list[dict[str, str]] = []
    dipindai, dilewati = [], []
    for f in _list_files(paths):
        segs, alasan = _segments(f)
        if alasan is not None:
            dilewati.append((str(f), alasan))
            continue
        dipindai.append(str(f))
        for lokasi, teks in segs:
            spans = pola.cari(teks)
            for a, b, jenis in spans:
                lok = f"baris {teks.count(chr(10), 0, a) + 1}" if lokasi == "teks" else lokasi
                rows.append(
                    {
                        "file": str(f),
                        "jenis": jenis,
                        "lokasi": lok,
                        "cuplikan": _snippet(teks, a, b, spans),
                    }
                )
    out = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
    out.attrs["dipindai"] = dipindai
    out.attrs["dilewati"] = dilewati
    return out


# ----------------------------------------------------------------------------- guard


def register_texts(ds: object) -> tuple[list[object], list[str]]:
    """The NIPs and the distinct names of a validated dataset's employees: its
    ``pegawai`` table and the employee rows validation rejected (a rejected employee is
    still a person: their name may stand in another row's cell), except a row whose NIP
    holds fewer than 8 digits (a label or total row, not a person)."""
    tables = getattr(ds, "tables", {})
    rejected = getattr(getattr(ds, "validation", None), "rejected_rows", None) or {}
    nips: list[object] = []
    names: dict[str, None] = {}
    for df in (tables.get("pegawai"), rejected.get("pegawai")):
        if df is None or not len(df):
            continue
        if "nip" in df.columns:
            nips += df["nip"].astype(object).where(df["nip"].notna(), None).tolist()
        if "nama" in df.columns:
            nama = df["nama"]
            if "nip" in df.columns:  # a row without a person's identifier (a label row
                # "Dinas Kesehatan" over its unit's block) has no person's name
                nama = nama[df["nip"].map(is_person_id).to_numpy(dtype=bool)]
            names.update(dict.fromkeys(nama.dropna().astype(str).unique().tolist()))
    return nips, list(names)


def personal_register(ds: object, allow: Iterable[str] = ()) -> Register:
    """The register of :func:`register_texts` for :func:`check_document`. ``allow``:
    texts a document may print although they hold a registered name (the signatory of
    the agency profile: ``Register(allow=…)``)."""
    nips, names = register_texts(ds)
    return Register(nips, names, allow=allow)


class PersonalDataFound(Exception):
    """A document about to be published holds personal data: ``document`` (its file
    name, with any personal data in it masked) and ``counts`` (``{kind: hits}``, kinds of
    :class:`~kinerja_analysis.core.personal.Hit`). The message never holds the data."""

    def __init__(self, document: str, counts: Mapping[str, int]) -> None:
        self.document = document
        self.counts = dict(counts)
        self.n_nip = sum(n for k, n in self.counts.items() if k in NIP_KINDS)
        self.n_nama = self.counts.get("nama", 0)
        super().__init__(
            f"{document}: personal data ({self.n_nip} NIP, {self.n_nama} names); not published"
        )


_TAG = re.compile(r"<[^>]*>")
_TEXT_NODE = re.compile(r">([^<]+)<")
_ATTRIBUTE = re.compile(r"""=\s*"([^"]*)"|=\s*'([^']*)'""")


def _markup_hits(markup: str, register: Register) -> list[str]:
    """Kinds of the personal data in an HTML or XML text: NIPs and names of two or more
    words anywhere in its text (tags read as spaces, entities decoded, ``data:`` URIs
    left out), and a registered one-word name as a whole text node or attribute value (a
    table cell that holds just ``Suparman``). The texts drawn on its figures (PNG
    ``data:`` URIs carrying :data:`FIGURE_TEXT_KEY`) are read one by one, as cells."""
    drawn = _embedded_figure_texts(markup)
    markup = _DATA_URI.sub("data:", markup)
    kinds = [h.kind for h in register.find(_html.unescape(_TAG.sub(" ", markup)), whole=False)]
    for text in drawn:
        kinds += [h.kind for h in register.find(text, whole=False)]
    if register.names:
        parts = [_html.unescape(m.group(1)) for m in _TEXT_NODE.finditer(markup)]
        parts += [_html.unescape(a or b) for a, b in _ATTRIBUTE.findall(markup)]
        for part in [*parts, *drawn]:
            w = words(part)
            if len(w) == 1 and (w[0],) in register.names:
                kinds.append("nama")
    return kinds


def document_hits(name: str, data: bytes | str, register: Register) -> dict[str, int]:
    """``{kind: hits}`` of the personal data of ``register`` in one document about to be
    published, read from its bytes: HTML (also the PDF's source: the PDF is rendered from
    exactly this HTML; the texts drawn on its figures included), a figure's PNG (its
    :func:`figure_texts`), a workbook (every XML part of the XLSX: cell strings, numbers,
    sheet names, properties) or any text. A PDF itself is read with ``pypdf``
    (slow: the batch checks its HTML instead)."""
    ext = Path(name).suffix.lower()
    kinds: list[str] = []
    if ext in (".xlsx", ".xlsm"):
        raw = data if isinstance(data, bytes) else data.encode("utf-8")
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            for info in z.infolist():
                if info.filename.endswith((".xml", ".rels")):
                    kinds += _markup_hits(z.read(info).decode("utf-8", "replace"), register)
    elif ext == ".png":
        raw = data if isinstance(data, bytes) else data.encode("latin-1")
        for text in figure_texts(raw):
            kinds += _markup_hits(f"<p>{_html.escape(text)}</p>", register)
    elif ext == ".pdf":
        from pypdf import PdfReader  # lazy: only when a PDF is read

        raw = data if isinstance(data, bytes) else data.encode("latin-1")
        for page in PdfReader(io.BytesIO(raw)).pages:
            kinds += [h.kind for h in register.find(page.extract_text() or "", whole=False)]
    else:
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        if ext in (".html", ".htm", ".xml", ".svg"):
            kinds += _markup_hits(text, register)
        else:
            kinds += [h.kind for h in register.find(text, whole=False)]
    counts: dict[str, int] = {}
    for k in kinds:
        counts[k] = counts.get(k, 0) + 1
    return counts


def check_document(name: str, data: bytes | str, register: Register) -> None:
    """Raise :class:`PersonalDataFound` when the document ``name`` (its bytes or text
    ``data``, and its file name, which holds an OPD's folder name) holds a NIP or a name
    of ``register`` (:func:`document_hits`); nothing otherwise. An empty register checks
    only for numbers in a NIP's shape."""
    counts = document_hits(name, data, register)
    for h in register.find(name, whole=False):
        counts[h.kind] = counts.get(h.kind, 0) + 1
    if counts:
        raise PersonalDataFound(register.mask(name), counts)
