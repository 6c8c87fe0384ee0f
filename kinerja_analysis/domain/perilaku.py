"""Perilaku kerja: 360° BerAKHLAK ratings adjusted for rater leniency and role effects.

:func:`rater_model` fits the crossed fixed-effects model (ratee × dimension, rater
leniency, rater role) by exact sparse least squares and shrinks leniency with k from the
variance components; :func:`perilaku_kerja` gives the adjusted score per ratee, period and
dimension (self-ratings excluded, reported as a self–other gap);
:func:`summarise_perilaku` rates it (:class:`PerilakuCutoffs`); strengths and weaknesses
per dimension (:func:`strengths_weaknesses`) and the OPD profile (:func:`opd_profile`).
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.linalg import splu

from kinerja_analysis.core.checks import require_columns
from kinerja_analysis.core.compat import TEXT_DTYPE
from kinerja_analysis.core.deprecation import renamed_keywords
from kinerja_analysis.core.keys import (
    compress_codes,
    first_appearance,
    group_means,
    text_codes,
    with_pair_keys,
)
from kinerja_analysis.core.parallel import SharedArray, available_cpus, fork_call, fork_map
from kinerja_analysis.core.results import TIDY_COLUMNS, Result, check_tidy, tidy_frame
from kinerja_analysis.data.contract import BERAKHLAK
from kinerja_analysis.domain.ratings import rate

_ROLES_OTHERS: tuple[str, ...] = ("atasan", "rekan", "bawahan")


@dataclass(frozen=True)
class PerilakuCutoffs:
    """Cut-offs of the perilaku kerja rating on the 1-5 BerAKHLAK scale.

    ``skor >= di_atas`` is *Di Atas Ekspektasi*, ``skor < di_bawah`` is *Di Bawah
    Ekspektasi*. On a 1-5 scale 3 is "as expected"; with the defaults (4.25 / 3.0) an
    employee is rated above expectations only when the (leniency-adjusted) raters agree
    on clearly more than "good" across the seven values, and below expectations only when
    the average falls under the scale's middle — so on realistic data most employees are
    *Sesuai*, giving predikat *Baik*.
    """

    di_atas: float = 4.25
    di_bawah: float = 3.0

    def __post_init__(self) -> None:
        if not (1.0 <= self.di_bawah < self.di_atas <= 5.0):
            raise ValueError(
                "PerilakuCutoffs: need 1 <= di_bawah < di_atas <= 5, got "
                f"di_bawah={self.di_bawah}, di_atas={self.di_atas}"
            )


@dataclass(frozen=True)
class RoleWeights:
    """Weights of the rater roles in the perilaku score (renormalised over roles present).

    The supervisor (*atasan*) is the official evaluator under PermenPAN-RB 6/2022, so the
    default gives the atasan most weight; peers and subordinates add the 360-degree view.
    Self-ratings (*diri*) never enter the score.
    """

    atasan: float = 0.6
    rekan: float = 0.25
    bawahan: float = 0.15

    def __post_init__(self) -> None:
        vals = (self.atasan, self.rekan, self.bawahan)
        if any((not math.isfinite(v)) or v < 0 for v in vals) or sum(vals) <= 0:
            raise ValueError(
                f"RoleWeights: weights must be finite, >= 0 and not all zero, got {vals}"
            )

    def as_dict(self) -> dict[str, float]:
        return {"atasan": self.atasan, "rekan": self.rekan, "bawahan": self.bawahan}


# --------------------------------------------------------------------------------------
# 2. Perilaku kerja (360 degrees)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RaterModel(Result):
    """Fitted crossed model of 360-degree ratings.

    ``skor = mu[ratee, periode, dimensi] + peran[role] + leniency[rater] + error``,
    self-ratings excluded; ``mu`` and ``peran`` fixed, ``leniency`` random (see
    :func:`rater_model`).

    Attributes
    ----------
    penilai
        One row per rater: ``id_penilai, peran, n_ratings, n_dinilai, n_efektif,
        leniency_raw, faktor_susut, leniency, std_error``.
    peran
        One row per role: ``peran_penilai, efek, n_ratings`` (effect relative to atasan).
    k
        Shrinkage constant used (``var_noise / var_leniency`` when estimated).
    var_leniency, var_noise
        Variance components (between-rater leniency; noise of one rater's mean rating of
        one employee in one period).
    n_ratings
        Number of (non-self) ratings used.
    """

    penilai: pd.DataFrame
    peran: pd.DataFrame
    k: float
    var_leniency: float
    var_noise: float
    n_ratings: int

    def tidy(self) -> pd.DataFrame:
        """Rater and role effects in the project's tidy column set."""
        p = self.penilai
        rows = pd.DataFrame(
            {
                "term": "penilai:" + p["id_penilai"].astype(TEXT_DTYPE),
                "estimate": p["leniency"],
                "std_error": p["std_error"] * p["faktor_susut"],
                "n_obs": p["n_ratings"],
            }
        )
        r = self.peran
        roles = pd.DataFrame(
            {
                "term": "peran:" + r["peran_penilai"].astype(TEXT_DTYPE),
                "estimate": r["efek"],
                "std_error": np.nan,
                "n_obs": r["n_ratings"],
            }
        )
        out = pd.concat([roles, rows], ignore_index=True)
        out["ci_low"] = out["estimate"] - 1.959964 * out["std_error"]
        out["ci_high"] = out["estimate"] + 1.959964 * out["std_error"]
        out["p_value"] = np.nan
        out["method"] = "crossed fixed effects (least squares), empirical-Bayes shrinkage"
        return check_tidy(tidy_frame(out[list(TIDY_COLUMNS)]))

    def glance(self) -> pd.DataFrame:
        """Raters, ratings, the variance components and the shrinkage constant."""
        return pd.DataFrame(
            [
                {
                    "n_penilai": len(self.penilai),
                    "n_ratings": self.n_ratings,
                    "var_leniency": self.var_leniency,
                    "var_noise": self.var_noise,
                    "k": self.k,
                }
            ]
        )


#: Pure-noise probes of the rater model's sampling variances, and their generator's seed
#: (see :func:`rater_model`).
_N_PROBE = 32
_PROBE_SEED = 0
#: Probe values (units x probes) from which the probes are fitted in a forked child beside
#: the least squares (:func:`_fit_rater_model`; 100,000 ASN: about 3 M units x 32).
_PROBE_FORK_VALUES = 2_000_000


@dataclass(frozen=True)
class _Ratings:
    """The ``perilaku`` table as integer codes (one entry per row), built once.

    ``ratee, periode, dimensi, rater, role`` index the sorted distinct values in
    ``*_values`` (text order); ``skor`` is numeric (NaN where not a number); ``others``
    marks ratings by someone other than the ratee with a score, ``diri`` self-ratings.
    """

    ratee: np.ndarray
    periode: np.ndarray
    dimensi: np.ndarray
    rater: np.ndarray
    role: np.ndarray
    skor: np.ndarray
    others: np.ndarray
    diri: np.ndarray
    ratee_values: pd.Index
    periode_values: pd.Index
    dimensi_values: pd.Index
    rater_text: np.ndarray
    role_text: np.ndarray

    @classmethod
    def of(cls, perilaku: pd.DataFrame) -> _Ratings:
        require_columns(
            perilaku,
            ["nip", "periode", "id_penilai", "peran_penilai", "dimensi", "skor"],
            "perilaku",
        )
        role, _, role_text = text_codes(perilaku["peran_penilai"])
        known = np.isin(role_text, [*_ROLES_OTHERS, "diri"])
        bad = (role < 0) | ~known[np.maximum(role, 0)] if len(role_text) else role < 0
        if bad.any():
            i = perilaku.index[int(np.argmax(bad))]
            raise ValueError(
                f"perilaku: unknown peran_penilai {perilaku.at[i, 'peran_penilai']!r} in row {i!r}"
            )
        diri_code = list(role_text).index("diri") if "diri" in role_text else -1
        diri = role == diri_code
        skor = pd.to_numeric(perilaku["skor"], errors="coerce").to_numpy(
            dtype=float, na_value=np.nan
        )
        small = np.int32  # codes of up to 2**31 distinct values; halves the memory
        ratee, ratee_values, _ = text_codes(perilaku["nip"], small)
        periode, periode_values, _ = text_codes(perilaku["periode"], small)
        dimensi, dimensi_values, _ = text_codes(perilaku["dimensi"], small)
        rater, _, rater_text = text_codes(perilaku["id_penilai"], small)
        # a missing key (code -1) would join another rater's, ratee's or cell's codes
        for column, codes in (
            ("nip", ratee), ("periode", periode), ("dimensi", dimensi), ("id_penilai", rater),
        ):  # fmt: skip
            if len(codes) and codes.min() < 0:
                i = perilaku.index[int(np.argmax(codes < 0))]
                raise ValueError(f"perilaku: missing {column} in row {i!r}")
        return cls(
            ratee=ratee,
            periode=periode,
            dimensi=dimensi,
            rater=rater,
            role=role.astype(small),
            skor=skor,
            others=~diri & ~np.isnan(skor),
            diri=diri,
            ratee_values=ratee_values,
            periode_values=periode_values,
            dimensi_values=dimensi_values,
            rater_text=rater_text,
            role_text=role_text,
        )

    def cell(self, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Code of ratee x periode x dimensi, in the text order of the three keys."""
        n_p, n_d = len(self.periode_values), len(self.dimensi_values)
        # in place: one array of the ratings' length, not one per operation (at 26.5 M
        # ratings each is 212 MB of memory touched for the first time)
        key = self.ratee[rows].astype(np.int64)
        key *= n_p
        key += self.periode[rows]
        key *= n_d
        key += self.dimensi[rows]
        return key

    def keys(self, cells: np.ndarray) -> dict[str, Any]:
        """The ``nip, periode, dimensi`` columns of ``cells`` (codes from :meth:`cell`)."""
        n_p, n_d = len(self.periode_values), len(self.dimensi_values)
        return {
            "nip": self.ratee_values.take(cells // (n_p * n_d)),
            "periode": self.periode_values.take((cells // n_d) % n_p),
            "dimensi": self.dimensi_values.take(cells % n_d),
        }


def _sums_by(codes: np.ndarray, y2: np.ndarray, n: int) -> np.ndarray:
    """``(n, columns)`` sums of the rows of ``y2`` with each code ``0..n-1``."""
    if y2.shape[1] == 1:
        return np.bincount(codes, weights=y2[:, 0], minlength=n)[:, None]
    m = len(codes)  # one one per column of a CSC indicator: no sort to build it
    g = sparse.csc_matrix((np.ones(m), codes, np.arange(m + 1, dtype=np.int64)), shape=(n, m))
    return np.asarray(g @ y2)


def _cross_counts(role: np.ndarray, rater: np.ndarray, ng: int, nr: int) -> sparse.csr_matrix:
    """``x'x`` for the role and rater indicators ``x``: counts, from bincounts."""
    n_role = np.bincount(role, minlength=ng).astype(float)
    n_rater = np.bincount(rater, minlength=nr).astype(float)
    pair = np.bincount(np.asarray(role, dtype=np.int64) * nr + rater, minlength=ng * nr)
    g, r = np.divmod(np.flatnonzero(pair), nr)
    v = pair[pair > 0].astype(float)
    rows = np.concatenate([np.arange(ng), ng + np.arange(nr), g, ng + r])
    cols = np.concatenate([np.arange(ng), ng + np.arange(nr), ng + r, g])
    vals = np.concatenate([n_role, n_rater, v, v])
    keep = vals != 0
    return sparse.csr_matrix((vals[keep], (rows[keep], cols[keep])), shape=(ng + nr, ng + nr))


@dataclass(frozen=True)
class _FeSystem:
    """Reduced normal equations of ``y = mu[cell] + a[role] + b[rater]``, cells absorbed.

    Built once per design and response (:func:`_fe_system`) and solved for any ridge
    (:func:`_fe_solve`): the least-squares fit and the mixed model's joint solution of
    :func:`rater_model` share it, so the ratings are swept once, not twice.
    """

    a_mat: sparse.csc_matrix  #: ``(ng + nr) x (ng + nr)``
    rhs: np.ndarray  #: ``(ng + nr) x columns of y``
    n_role: np.ndarray  #: ratings per role
    n_rater: np.ndarray  #: ratings per rater
    ng: int
    #: fill-reducing column order of the factorised matrix, by reference role: found by
    #: the first :func:`_fe_solve` and reused by the next (another ridge, same pattern)
    ordering: dict[int, np.ndarray] = field(default_factory=dict, compare=False, repr=False)


#: One part of the cells per this many ratings when the normal equations' cell terms are
#: summed in parts (:func:`_fe_system`), at most :data:`_FE_MAX_PARTS` parts. The parts depend only on
#: the data, so the sums (and every digit after) are the same on any number of CPUs.
_FE_PART_ROWS = 2_000_000
_FE_MAX_PARTS = 4


@dataclass(frozen=True)
class _Units:
    """The rater x ratee x period of each rating (a *unit*: one rater's rating of one
    employee in one period, its dimensions one rating each), for :func:`_fe_system`.

    ``of_row`` is each rating's unit (``0..U-1``); ``block`` each unit's ratee x period
    (``0..B-1``; the cells of a block are its dimensions), ``role`` and ``rater`` each
    unit's (its first rating's) codes; ``dim`` each rating's dimension (``0..n_dim-1``).
    """

    of_row: np.ndarray
    block: np.ndarray
    role: np.ndarray
    rater: np.ndarray
    dim: np.ndarray
    n_dim: int


def _fe_system(
    y: np.ndarray,
    cell: np.ndarray,
    role: np.ndarray,
    rater: np.ndarray,
    n: tuple[int, int, int],
    processes: int | None = None,
    *,
    units: _Units | None = None,
) -> _FeSystem:
    """The reduced normal equations of :func:`_fe_solve` (``y`` may have columns).

    With ``x`` the role and rater indicators and ``B`` the cells' counts of each role
    and rater, ``A = x'x - B' diag(1/n_cell) B`` and ``rhs = x'y - B' (cell means of
    y)``. ``x'x`` and ``x'y`` are sums by code; the two ``B'`` terms are sums over cells.

    With ``units`` (:class:`_Units`), the cells of a *whole block* — a ratee x period
    each of whose units rated each of its dimensions once, in one role — hold the same
    raters and roles, so their ``D`` rows of ``B`` (``D`` the block's dimensions, ``n``
    its units) are one, taken from the units: ``D/n b b'`` and ``b (sum of the block's
    y) / n`` (a seventh of the rows at 100,000 ASN, where the cell terms were the
    largest single cost of the 360° scores; equal to the cell-by-cell sums up to
    rounding, 1e-12 relative, test). The other cells' terms are summed from their
    ratings in up to :data:`_FE_MAX_PARTS` parts (cells ``c`` with ``c % parts == j``),
    shared out over the CPUs this process may use
    (:func:`~kinerja_analysis.core.parallel.fork_map`) and added in the parts' order.
    ``processes`` caps the processes (default: the CPUs, at most one per part); the
    digits do not depend on it.
    """
    y2 = np.asarray(y, dtype=float).reshape(len(y), -1)
    nc, ng, nr = n
    cell = np.asarray(cell, dtype=np.int64)
    role = np.asarray(role, dtype=np.int64)
    rater = np.asarray(rater, dtype=np.int64)
    a_mat = _cross_counts(role, rater, ng, nr)
    rhs = np.vstack([_sums_by(role, y2, ng), _sums_by(rater, y2, nr)])  # x'y
    n_role, n_rater = np.bincount(role, minlength=ng), np.bincount(rater, minlength=nr)
    if units is not None:
        term, by_block, left = _whole_blocks(y2, cell, role, units, n)
        a_mat, rhs = a_mat - term, rhs - by_block
        if len(left) < len(cell):
            cell, role, rater, y2 = cell[left], role[left], rater[left], y2[left]
    cc = np.bincount(cell, minlength=nc).astype(float)
    with np.errstate(divide="ignore"):
        inv_cc = np.where(cc > 0, 1.0 / cc, 0.0)
    mean_y = _sums_by(cell, y2, nc) * inv_cc[:, None]  # cell means of y
    parts = max(1, min(_FE_MAX_PARTS, -(-len(cell) // _FE_PART_ROWS)))

    def cell_term(j: int) -> tuple[sparse.csr_matrix, np.ndarray]:
        # the cells c = j + parts * local: B'diag(1/n_cell)B and B' (cell means of y)
        rows = np.flatnonzero(cell % parts == j) if parts > 1 else slice(None)
        return _weighted_cross(
            cell[rows] // parts, role[rows], rater[rows], inv_cc[j::parts], mean_y[j::parts], n
        )

    processes = min(available_cpus() if processes is None else processes, parts)
    if len(cell):
        for term, by_cell in fork_map(cell_term, range(parts), processes):
            a_mat, rhs = a_mat - term, rhs - by_cell
    return _FeSystem(
        a_mat=a_mat.tocsc(),
        rhs=rhs,
        n_role=n_role,
        n_rater=n_rater,
        ng=ng,
    )


def _weighted_cross(
    group: np.ndarray,
    role: np.ndarray,
    rater: np.ndarray,
    weight: np.ndarray,
    value: np.ndarray,
    n: tuple[int, int, int],
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """``B' diag(weight) B`` and ``B' value`` for ``B`` the counts of each role and rater
    (columns ``role`` and ``ng + rater``; ``n = (_, ng, nr)``) per group, from one entry
    per occurrence of a role and rater in a group (duplicates summed: counts);
    ``weight`` and ``value`` have one entry (row) per group."""
    _, ng, nr = n
    k = len(group)
    b = sparse.csr_matrix(
        (np.ones(2 * k), (np.concatenate([group, group]), np.concatenate([role, ng + rater]))),
        shape=(len(weight), ng + nr),
    )
    return (b.T @ (sparse.diags(weight) @ b)).tocsr(), b.T @ value


def _whole_blocks(
    y2: np.ndarray, cell: np.ndarray, role: np.ndarray, units: _Units, n: tuple[int, int, int]
) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    """The cell terms of :func:`_fe_system` over its whole blocks, and the ratings left.

    A block is whole when each of its units has one rating in each of the block's cells
    (dimensions), all in the unit's role: then every cell of the block holds the same
    ``n`` units (raters and roles) once each, and its ``D`` cells' terms are
    ``D/n b b'`` and ``b (sum of y over the block) / n`` with ``b`` the counts of the
    block's units' roles and raters. Returns those summed (``(ng + nr)`` square and
    ``(ng + nr) x columns``) and the rows (ratings) of the blocks that are not whole.
    """
    nc = n[0]
    u, dim, n_dim = units.of_row, units.dim, units.n_dim
    n_u, n_b = len(units.role), int(units.block.max()) + 1 if len(units.block) else 0
    block = units.block[u]  # each rating's
    key = u * n_dim
    key += dim
    per_dim = np.bincount(key, minlength=n_u * n_dim).reshape(n_u, n_dim)
    del key
    ok = per_dim.max(axis=1, initial=0) <= 1  # a dimension at most once
    n_rated = per_dim.sum(axis=1)
    del per_dim
    other_role = role != units.role[u]
    if other_role.any():  # a unit in more than one role (the exception: counted only then)
        ok &= np.bincount(u, weights=other_role, minlength=n_u) == 0
    del other_role
    block_of_cell = np.zeros(nc, dtype=np.int64)
    block_of_cell[cell] = block  # a cell is one dimension of one block
    n_cells = np.bincount(block_of_cell[np.bincount(cell, minlength=nc) > 0], minlength=n_b)
    ok &= n_rated == n_cells[units.block]  # every cell of its block
    n_units = np.bincount(units.block, minlength=n_b)
    whole = (np.bincount(units.block, weights=~ok, minlength=n_b) == 0) & (n_units > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        weight = np.where(whole, n_cells / n_units, 0.0)
        value = _sums_by(block, y2, n_b) / n_units[:, None]
    value[~whole] = 0.0
    kept = np.flatnonzero(whole[units.block])
    term, by_block = _weighted_cross(
        units.block[kept], units.role[kept], units.rater[kept], weight, value, n
    )
    return term, by_block, np.flatnonzero(~whole[block])


def _fe_solve(
    system: _FeSystem, ref: int | None, *, ridge: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Least squares of ``y = mu[cell] + a[role] + b[rater]`` from its normal equations.

    The cell effects are absorbed (within-cell demeaning, :func:`_fe_system`) and the
    reduced normal equations of ``(a, b)`` are solved by a sparse LU factorisation
    (minimum-degree ordering of the symmetric pattern: a fifth of the fill of COLAMD on
    a province's raters; found once per system and reused), with ``a[ref] = 0``
    and a ridge of 1e-7 x the largest diagonal element on the rater block only. Among
    the least-squares solutions this picks (in the limit) the one with the smallest
    rater effects: directions the data cannot identify — a rater rated nobody that
    anyone else rated, or, in a strictly layered hierarchy, a level-wide leniency that
    cannot be told apart from a role effect — are attributed to the roles, not to
    individual raters. ``ridge`` (never below that tiny one) replaces it: the mixed model's
    ``k`` x ratings per unit (:func:`rater_model`), which shrinks the rater effects to
    their best linear unbiased predictions. Then ``b`` is shifted to count-weighted mean
    0 (into ``mu``). Returns ``a`` and ``b`` with one column per column of ``y``
    (residuals: :func:`_fe_resid`).
    """
    ng = system.ng
    size = system.a_mat.shape[0]
    drop = _drop(ref)
    keep = np.delete(np.arange(size), drop)
    sub = system.a_mat[keep][:, keep]
    diag = sub.diagonal()
    tiny = 1e-7 * float(diag.max())
    lam = tiny if ridge is None else max(ridge, tiny)
    pen = np.where(keep >= ng, lam, 0.0)
    # a role or rater whose every rating is alone in its cell (only the supervisor rates
    # an employee) has an all-zero row and right-hand side: no within-cell contrast
    # identifies it, and a unit ridge there gives it effect 0 (no adjustment) where the
    # factorisation would otherwise be singular
    pen = np.where(diag > 0, pen, 1.0)
    sub = (sub + sparse.diags(pen)).tocsc()
    theta = np.zeros((size, system.rhs.shape[1]))
    order = system.ordering.get(drop)
    if order is None:
        lu = splu(sub, permc_spec="MMD_AT_PLUS_A")
        system.ordering[drop] = lu.perm_c
        theta[keep] = lu.solve(system.rhs[keep])
    else:
        # the ordering is most of a factorisation's time (at 100,000 ASN 2.5 of 2.9 s): the
        # first one's, applied symmetrically, serves any ridge; same solution to 1e-12
        at = np.empty_like(order)
        at[order] = np.arange(len(order))
        lu = splu(sub[at][:, at].tocsc(), permc_spec="NATURAL")
        theta[keep] = lu.solve(system.rhs[keep][at])[order]
    a, b = theta[:ng], theta[ng:]
    if ref is None:
        a = a - np.average(a, axis=0, weights=system.n_role)
    b = b - np.average(b, axis=0, weights=system.n_rater)
    return a, b


def _drop(ref: int | None) -> int:
    """The role whose equation :func:`_fe_solve` drops: ``ref``, or the first role."""
    return ref if ref is not None else 0


def _fe_resid(
    y: np.ndarray,
    cell: np.ndarray,
    role: np.ndarray,
    rater: np.ndarray,
    n: tuple[int, int, int],
    a: np.ndarray,
    b: np.ndarray,
) -> np.ndarray:
    """Residuals of ``y`` (one column) given ``a`` and ``b``; ``mu`` is the cell mean."""
    y1 = np.asarray(y, dtype=float).reshape(-1)
    nc = n[0]
    cc = np.bincount(cell, minlength=nc).astype(float)
    e = np.asarray(a).reshape(-1)[role]
    e += np.asarray(b).reshape(-1)[rater]
    np.subtract(y1, e, out=e)  # y - (a + b), in place: the same digits, fewer arrays
    mu = np.bincount(cell, weights=e, minlength=nc) / np.where(cc > 0, cc, 1.0)
    e -= mu[cell]
    return e


def _probe_variances(
    n_units: int,
    n_probe: int,
    seed: int,
    cell: np.ndarray,
    role: np.ndarray,
    rater: np.ndarray,
    n: tuple[int, int, int],
    ref: int | None,
    processes: int | None,
    *,
    ordering: Callable[[], np.ndarray] | None = None,
) -> np.ndarray:
    """Sampling variance of each rater's least-squares effect per unit noise variance.

    ``n_probe`` columns of standard normal noise (generator seeded with ``seed``), one
    row per unit (rater x ratee x period; ``cell`` the ratee x period, ``role``, ``rater``
    codes of each unit), fitted as :func:`_fe_solve` fits the ratings; returns the mean
    square of the rater effects over the probes, one per rater (``n[2]``). See
    :func:`rater_model`. ``processes``: as :func:`_fe_system`'s. ``ordering`` gives,
    when called, the ratings' system's column ordering (:attr:`_FeSystem.ordering`;
    in a forked child it waits for the parent to find it), which suits the units'
    system too: the same roles and raters, linked through the same employees and
    periods (any ordering gives the solution; a good one saves finding another).
    """
    probes = np.random.default_rng(seed).standard_normal((n_units, n_probe))
    system = _fe_system(probes, cell, role, rater, n, processes)
    del probes
    if ordering is not None:
        system.ordering[_drop(ref)] = ordering()
    _, b_probe = _fe_solve(system, ref)
    return (b_probe**2).mean(axis=1)


def rater_model(
    perilaku: pd.DataFrame,
    *,
    shrinkage_k: float | Literal["auto"] = "auto",
    n_probe: int = _N_PROBE,
    seed: int = _PROBE_SEED,
) -> RaterModel:
    """Estimate rater leniency/severity and role effects from 360-degree ratings.

    Parameters
    ----------
    perilaku
        The ``perilaku`` table (all periods you want to pool; leniency is treated as a
        stable trait of the rater). Self-ratings (``peran_penilai == "diri"``) are left
        out.
    shrinkage_k
        ``"auto"`` estimates ``k = var_noise / var_leniency`` from variance components
        (empirical Bayes); a number fixes ``k``.
    n_probe, seed
        Number of pure-noise probes used to compute each rater's sampling variance, and
        the seed of their generator (:func:`numpy.random.default_rng`). The seed is a
        fixed part of the numerical method (a Monte Carlo trace), not the study's
        bootstrap seed: :func:`perilaku_kerja` fits with the same probes, so the scores
        and this model agree.

    Returns
    -------
    RaterModel
        See the class for its tables.

    Raises
    ------
    ValueError
        A bad argument, no rating by others, an unknown ``peran_penilai`` or a
        missing ``nip``, ``periode``, ``dimensi`` or ``id_penilai`` (the row named).

    Notes
    -----
    Model, fitted by least squares (ratee cells absorbed, reduced normal equations of the
    role and rater effects solved by sparse LU)::

        skor[i,p,d,r] = mu[i,p,d] + a[role(r,i)] + b[r] + e

    ``mu`` is a ratee x period x dimension effect, ``a`` a role effect with
    ``a[atasan] = 0`` (peers' or subordinates' general inflation shows up in ``a``, not
    in the raters' leniency), ``b`` the rater's leniency with rating-weighted mean 0.

    Shrinkage (empirical Bayes). The reported ``leniency`` and role effects (``efek``)
    are the mixed model's joint solution — roles fixed, raters random with variance
    ``var_leniency`` — i.e. the same least squares with a ridge of ``k`` x (ratings per
    rater x employee x period) on the rater block (Henderson's mixed-model equations;
    ``tests/test_scoring.py`` checks it against a dense solve). A direction the data
    barely identify, such as the relative level of two groups of raters that only a
    handful of ratings connect, is held near zero there instead of carrying the scale:
    in the plain least squares, seven ratings of one employee by a colleague from
    another unit moved a role effect by 0.8–1.2 and the city's mean score by 0.2–0.5
    (``tests/test_rater_stability.py``). ``leniency_raw`` is the least-squares ``b``;
    ``faktor_susut = n/(n + k)`` is the share of it a rater keeps where their design
    overlaps no one else's (the joint solution then equals ``b x n/(n + k)``). With
    ``k = 0`` both are the least squares; with ``var_leniency = 0`` every leniency is 0
    and the roles are estimated without rater effects. ``n`` (``n_efektif``) is
    the rater's effective number of independent rated employee-periods,
    ``n = var_noise / Var(b)``, where the sampling variance ``Var(b)`` is obtained
    exactly in expectation by refitting the same design (rater x employee x period units)
    on ``n_probe`` draws of unit-variance noise — it depends on the whole design (how many
    others rated the same employees, the role structure), which a simple count misses by
    a factor up to 3 in realistic designs. ``var_noise = RSS / (N - df)`` on the
    rater x employee x period means of residuals, ``df = #employee-periods + #raters +
    #roles - 2``; ``var_leniency = max(0, mean(b^2) - mean(Var(b)))`` (method of
    moments); ``k = var_noise / var_leniency`` (infinite: every leniency is 0). Checked on
    simulated data with planted leniency and role effects, and on pure noise
    (``tests/test_scoring.py``).

    The table is handled as integer codes throughout (:func:`kinerja_analysis.core.keys.text_codes`): 26 million
    ratings (100,000 ASN x 8 periods) fit in about a minute and a few GB.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> rows = [(f"p{i}", f"r{j}", peran) for i in range(8) for j, peran in enumerate(["atasan", "rekan", "rekan", "bawahan", "diri"])]
    >>> per = pd.DataFrame(rows, columns=["nip", "id_penilai", "peran_penilai"]).merge(pd.DataFrame({"dimensi": ["akuntabel", "kompeten"]}), how="cross")
    >>> per["id_penilai"] = per["id_penilai"] + "_" + per["nip"].str[1:].astype(int).mod(3).astype(str)
    >>> per["periode"] = "2025Q1"
    >>> per["skor"] = rng.integers(2, 6, len(per)).astype(float)
    >>> m = rater_model(per)
    >>> sorted(m.peran["peran_penilai"])
    ['atasan', 'bawahan', 'rekan']
    """
    if not (shrinkage_k == "auto" or (isinstance(shrinkage_k, int | float) and shrinkage_k >= 0)):
        raise ValueError(f"shrinkage_k must be 'auto' or a number >= 0, got {shrinkage_k!r}")
    if n_probe < 2:
        raise ValueError(f"n_probe must be >= 2, got {n_probe!r}")
    return _fit_rater_model(_Ratings.of(perilaku), shrinkage_k, n_probe, seed)


def _fit_rater_model(
    rt: _Ratings, shrinkage_k: float | Literal["auto"], n_probe: int, seed: int
) -> RaterModel:
    rows = np.flatnonzero(rt.others)
    if len(rows) == 0:
        raise ValueError("perilaku: no ratings from others (atasan/rekan/bawahan) to fit")
    y = rt.skor[rows]
    cell, _ = first_appearance(rt.cell(rows))
    rater_used, rater_codes = compress_codes(rt.rater[rows], len(rt.rater_text))
    role_used, role_codes = compress_codes(rt.role[rows], len(rt.role_text))
    rater_ids, role_ids = rt.rater_text[rater_used], rt.role_text[role_used]
    nc, nr, ng = int(cell.max()) + 1, len(rater_ids), len(role_ids)
    ref = list(role_ids).index("atasan") if "atasan" in list(role_ids) else None

    # unit = rater x ratee x period (the 7 dimensions of one rating share a halo)
    n_p = len(rt.periode_values)
    ratee_period = rt.ratee[rows].astype(np.int64)
    ratee_period *= n_p
    ratee_period += rt.periode[rows]
    dim = rt.dimensi[rows]
    del rows
    unit, first = first_appearance(rater_codes * (int(ratee_period.max()) + 1) + ratee_period)
    r_u, g_u = rater_codes[first], role_codes[first]
    rp, _ = first_appearance(ratee_period[first])
    n_u = len(first)  # units 0..U-1, all present
    del ratee_period, first
    n_rp = int(rp.max()) + 1
    # the noise probes need the units only: on a second CPU (and data large enough to be
    # worth a process) they are fitted in a forked child while this process sums and
    # solves the least squares, whose column ordering (most of a solve's time) the child waits for
    # once its normal equations are summed; the same digits either way
    order = SharedArray(ng + nr - 1, np.int64)
    probe = functools.partial(
        _probe_variances,
        n_u, n_probe, seed, rp, g_u, r_u, (n_rp, ng, nr), ref,
        ordering=order.get,
    )  # fmt: skip
    # (no os.fork, as on Windows: fork_call would run the probes at once, before the
    # ordering they wait for is there; they run here after the solve instead)
    forked = hasattr(os, "fork") and available_cpus() > 1 and n_u * n_probe >= _PROBE_FORK_VALUES
    try:
        probe_job = fork_call(functools.partial(probe, 1)) if forked else None
    except BaseException:
        order.close()
        raise

    try:
        units = _Units(unit, rp, g_u, r_u, dim, len(rt.dimensi_values))
        system = _fe_system(y, cell, role_codes, rater_codes, (nc, ng, nr), units=units)
        del units, dim
        a2, b2 = _fe_solve(system, ref)
        order.put(system.ordering[_drop(ref)])
        resid = _fe_resid(y, cell, role_codes, rater_codes, (nc, ng, nr), a2, b2)
        a, b = a2[:, 0], b2[:, 0]
        n_y = len(y)
        del y, cell  # each array of the ratings' length is let go once used (a province: 170 MB)
        e_u = group_means(unit, {"e": resid})["e"].to_numpy()
        del unit, resid
        # what the tables below need of the ratings
        n_rating_rater = np.bincount(rater_codes, minlength=nr)
        n_rating_role = np.bincount(role_codes, minlength=ng)
        # the roles each rater rated in ("atasan,rekan"), from a bit mask per rater
        mask = np.zeros(nr, dtype=np.int64)
        np.bitwise_or.at(mask, rater_codes, np.left_shift(1, role_codes))
        del rater_codes, role_codes
        n_units = np.bincount(r_u, minlength=nr)
        dof = len(e_u) - (n_rp + nr + ng - 2)
        var_noise = float(pd.Series(e_u**2).sum() / dof) if dof > 0 else float("nan")

        v_unit = probe_job.result()[0] if probe_job is not None else probe(None)
    finally:
        if probe_job is not None:
            probe_job.cancel()  # an error here: the child is not waited for
        order.close()
    ok = v_unit > 1e-12
    with np.errstate(divide="ignore"):
        n_eff = np.where(ok, 1.0 / np.where(ok, v_unit, 1.0), 0.0)
    if shrinkage_k == "auto":
        if ok.sum() >= 2 and math.isfinite(var_noise):
            var_len = float(np.mean(b[ok] ** 2) - var_noise * np.mean(v_unit[ok]))
            var_len = max(var_len, 0.0)
        else:
            var_len = 0.0
        k = var_noise / var_len if var_len > 0 else math.inf
    else:
        k = float(shrinkage_k)
        var_len = var_noise / k if k > 0 else math.inf
    factor = np.where(ok, n_eff / (n_eff + k), 0.0) if math.isfinite(k) else np.zeros(nr)
    se = np.where(ok, np.sqrt(var_noise * v_unit), np.nan)
    # the reported leniencies and role effects: the mixed model's joint solution (roles
    # fixed, raters random with variance var_len), not the least-squares one shrunk
    # rater by rater; see rater_model's Notes
    b_raw = np.where(ok, b, 0.0)
    if k > 0:
        per_unit = n_y / len(e_u)  # ratings per rater x employee x period
        lam = k * per_unit if math.isfinite(k) else 1e9 * float(n_y)
        # same normal equations, another ridge: one more factorisation, no second sweep
        a2, b2 = _fe_solve(system, ref, ridge=lam)
        a, b = a2[:, 0], b2[:, 0]
        lenient = np.where(ok, b, 0.0) if math.isfinite(k) else np.zeros(nr)
    else:
        lenient = b_raw

    combos = {
        int(v): ",".join(str(role_ids[j]) for j in range(ng) if int(v) >> j & 1)
        for v in np.unique(mask)
    }
    penilai = pd.DataFrame(
        {
            # text as pandas 3 infers it, on pandas 2 too
            "id_penilai": pd.array(np.asarray(rater_ids, dtype=object), dtype=TEXT_DTYPE),
            "peran": pd.array([combos[int(v)] for v in mask], dtype=TEXT_DTYPE),
            "n_ratings": n_rating_rater.astype(int),
            "n_dinilai": n_units.astype(int),
            "n_efektif": n_eff,
            "leniency_raw": b_raw,
            "faktor_susut": factor,
            "leniency": lenient,
            "std_error": se,
        }
    )
    peran = pd.DataFrame(
        {
            "peran_penilai": np.asarray(role_ids, dtype=object),
            "efek": a,
            "n_ratings": n_rating_role.astype(int),
        }
    )
    return RaterModel(
        penilai=penilai,
        peran=peran,
        k=float(k),
        var_leniency=float(var_len),
        var_noise=var_noise,
        n_ratings=n_y,
    )


def rater_effects(
    perilaku: pd.DataFrame, *, shrinkage_k: float | Literal["auto"] = "auto"
) -> pd.DataFrame:
    """Per-rater leniency (positive = lenient, negative = severe), shrunk toward zero.

    Returns
    -------
    DataFrame
        ``id_penilai, peran, n_ratings, n_dinilai, n_efektif, leniency_raw,
        faktor_susut, leniency, std_error``; the role effects are in
        :func:`rater_model` (``.peran``).

    Notes
    -----
    Shortcut for ``rater_model(perilaku, shrinkage_k=...).penilai``; see
    :func:`rater_model` for the model and the shrinkage.

    Examples
    --------
    >>> r = [("a", "s1", "rekan", 4.0), ("a", "s2", "rekan", 5.0), ("b", "s1", "rekan", 2.0), ("b", "s2", "rekan", 4.0)]
    >>> per = pd.DataFrame(r, columns=["nip", "id_penilai", "peran_penilai", "skor"]).assign(periode="2025Q1", dimensi="kompeten")
    >>> rater_effects(per, shrinkage_k=0.0).set_index("id_penilai")["leniency"].round(2).to_dict()
    {'s1': -0.75, 's2': 0.75}
    """
    return rater_model(perilaku, shrinkage_k=shrinkage_k).penilai


def _lookup(mapping: dict[str, float], text: np.ndarray) -> np.ndarray:
    """``mapping[t]`` for each ``t`` in ``text``; 0 where absent or missing."""
    v = np.array([mapping.get(t, np.nan) for t in text], dtype=float)
    return np.where(np.isnan(v), 0.0, v)


def perilaku_kerja(
    perilaku: pd.DataFrame,
    *,
    weights: RoleWeights = RoleWeights(),
    adjust: bool = True,
    shrinkage_k: float | Literal["auto"] = "auto",
    model: RaterModel | None = None,
) -> pd.DataFrame:
    """BerAKHLAK score per employee x period x dimension, from 360-degree ratings.

    Parameters
    ----------
    perilaku
        The ``perilaku`` table.
    weights
        Role weights, renormalised over the roles present for that employee-dimension.
    adjust
        Remove the rater's (shrunk) leniency and the role effect from every rating before
        averaging. ``False`` gives plain role-weighted means.
    shrinkage_k
        Passed to :func:`rater_model` when ``model`` is not given.
    model
        A fitted :class:`RaterModel` (e.g. estimated on several periods) to use instead of
        fitting one on ``perilaku``. Raters unknown to it get leniency 0.

    Returns
    -------
    DataFrame
        ``nip, periode, dimensi, skor`` (adjusted if ``adjust``, clipped to 1-5),
        ``skor_mentah`` (same weights, unadjusted), ``skor_atasan, skor_rekan,
        skor_bawahan`` (per-role mean, adjusted if ``adjust``), ``n_atasan, n_rekan,
        n_bawahan, n_penilai`` (raters other than self), ``skor_diri`` (self-rating) and
        ``selisih_diri = skor_diri - skor_mentah`` (self minus others, raw scale). Sorted
        by ``nip, periode, dimensi``; the key columns keep the input's dtype.

    Notes
    -----
    ``adjusted = skor - leniency[rater] - efek[role]`` (role effects relative to the
    atasan, so adjusted scores are on the supervisor's scale). Per role, the mean over
    raters; then ``sum(w_role x mean_role) / sum(w_role)`` over the roles present. The
    self-rating is reported but never enters ``skor``. Employee-dimensions rated only by
    themselves get ``skor`` NaN.

    Examples
    --------
    >>> per = pd.DataFrame({"nip": "a", "periode": "2025Q1", "dimensi": "loyal", "id_penilai": ["s", "r", "a"], "peran_penilai": ["atasan", "rekan", "diri"], "skor": [4.0, 3.0, 5.0]})
    >>> perilaku_kerja(per, adjust=False)[["nip", "dimensi", "skor_mentah", "skor_diri"]].round(3)
      nip dimensi  skor_mentah  skor_diri
    0   a   loyal        3.706        5.0
    """
    if not isinstance(weights, RoleWeights):
        raise ValueError("weights must be a RoleWeights instance")
    return _perilaku_scores(_Ratings.of(perilaku), weights, adjust, shrinkage_k, model)


def _perilaku_scores(
    rt: _Ratings,
    weights: RoleWeights,
    adjust: bool,
    shrinkage_k: float | Literal["auto"],
    model: RaterModel | None,
) -> pd.DataFrame:
    if adjust and rt.others.any():
        fit = (
            model if model is not None else _fit_rater_model(rt, shrinkage_k, _N_PROBE, _PROBE_SEED)
        )
    rows = np.flatnonzero(rt.others)  # taken after the fit: not held through it
    skor = rt.skor[rows]
    role = rt.role[rows]
    if adjust and len(rows):
        len_map = dict(zip(fit.penilai["id_penilai"], fit.penilai["leniency"], strict=True))
        role_map = dict(zip(fit.peran["peran_penilai"], fit.peran["efek"], strict=True))
        corr = _lookup(len_map, rt.rater_text)[rt.rater[rows]]
        corr += _lookup(role_map, rt.role_text)[role]
        skor_adj = np.subtract(skor, corr, out=corr)  # the same digits, one array fewer
    else:
        skor_adj = skor
    n_g = max(len(rt.role_text), 1)
    key = rt.cell(rows)  # cell x role, in place: one array of the ratings' length
    key *= n_g
    key += role
    per_role = group_means(key, {"adj": skor_adj, "raw": skor})
    del skor_adj, skor, role, key
    group = per_role.index.to_numpy()  # sorted: each cell's roles are consecutive
    cell_of = group // n_g
    new_cell = np.empty(len(group), dtype=bool)
    new_cell[:1] = True
    np.not_equal(cell_of[1:], cell_of[:-1], out=new_cell[1:])
    cells = cell_of[new_cell]  # = np.unique(cell_of) and its inverse, without a sort
    pos = np.cumsum(new_cell, dtype=np.int64) - 1
    del cell_of, new_cell
    role_of = group % n_g
    wdict = weights.as_dict()
    cols: dict[str, np.ndarray] = {}
    num_adj = np.zeros(len(cells))
    num_raw = np.zeros(len(cells))
    den = np.zeros(len(cells))
    for name in _ROLES_OTHERS:
        adj = np.full(len(cells), np.nan)
        raw = np.full(len(cells), np.nan)
        n = np.zeros(len(cells), dtype=int)
        if name in rt.role_text:
            sel = role_of == list(rt.role_text).index(name)
            adj[pos[sel]] = per_role["adj"].to_numpy()[sel]
            raw[pos[sel]] = per_role["raw"].to_numpy()[sel]
            n[pos[sel]] = per_role["n"].to_numpy()[sel]
        cols[f"skor_{name}"] = adj
        cols[f"n_{name}"] = n
        present = ~np.isnan(adj) & (wdict[name] > 0)
        num_adj += np.where(present, np.where(np.isnan(adj), 0.0, adj) * wdict[name], 0.0)
        num_raw += np.where(present, np.where(np.isnan(raw), 0.0, raw) * wdict[name], 0.0)
        den += np.where(present, wdict[name], 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        den_nan = np.where(den == 0.0, np.nan, den)
        cols["skor"] = np.clip(num_adj / den_nan, 1.0, 5.0)
        cols["skor_mentah"] = num_raw / den_nan
    cols["n_penilai"] = cols["n_atasan"] + cols["n_rekan"] + cols["n_bawahan"]

    self_rows = np.flatnonzero(rt.diri)
    if len(self_rows):
        diri = group_means(rt.cell(self_rows), {"skor": rt.skor[self_rows]})["skor"]
        diri_cells = diri.index.to_numpy()
        at = np.searchsorted(cells, diri_cells)
        found = at < len(cells)
        found[found] = cells[at[found]] == diri_cells[found]
        # both are sorted: timsort merges the two runs in linear time
        all_cells = np.sort(np.concatenate([cells, diri_cells[~found]]), kind="stable")
        at_others = np.searchsorted(all_cells, cells)
        cols = {c: _spread(v, at_others, len(all_cells)) for c, v in cols.items()}
        skor_diri = _spread(diri.to_numpy(), np.searchsorted(all_cells, diri_cells), len(all_cells))
        cells = all_cells
    else:
        skor_diri = np.full(len(cells), np.nan)
    out = pd.DataFrame(rt.keys(cells))
    for c in ("skor", "skor_mentah", *(f"skor_{r}" for r in _ROLES_OTHERS)):
        out[c] = cols[c]
    for c in (*(f"n_{r}" for r in _ROLES_OTHERS), "n_penilai"):
        out[c] = cols[c].astype(int)
    out["skor_diri"] = skor_diri
    out["selisih_diri"] = out["skor_diri"] - out["skor_mentah"]
    return out


def _spread(v: np.ndarray, at: np.ndarray, n: int) -> np.ndarray:
    """``v`` placed at positions ``at`` of a length-``n`` array (0 or NaN elsewhere)."""
    full = np.zeros(n, dtype=v.dtype) if v.dtype.kind in "iu" else np.full(n, np.nan)
    full[at] = v
    return full


def summarise_perilaku(
    perilaku_skor: pd.DataFrame, *, cutoffs: PerilakuCutoffs = PerilakuCutoffs()
) -> pd.DataFrame:
    """Perilaku kerja rating per employee x period, from :func:`perilaku_kerja` output.

    Returns
    -------
    DataFrame
        ``nip, periode, skor_perilaku`` (mean over dimensions of ``skor``),
        ``skor_perilaku_mentah``, ``n_dimensi`` (dimensions with a score),
        ``n_penilai`` (largest number of raters over the dimensions), ``skor_diri``,
        ``selisih_diri`` (means over dimensions), ``rating_perilaku``. Sorted by ``nip,
        periode``.

    Notes
    -----
    ``skor_perilaku >= cutoffs.di_atas`` -> Di Atas, ``< cutoffs.di_bawah`` -> Di Bawah,
    else Sesuai (after rounding to 6 decimals). Dimensions without a score are skipped;
    ``n_dimensi`` says how many of the seven BerAKHLAK values were scored.

    Examples
    --------
    >>> sk = pd.DataFrame({"nip": "a", "periode": "2025Q1", "dimensi": ["akuntabel", "kompeten"], "skor": [3.0, 4.0]})
    >>> summarise_perilaku(sk)[["nip", "skor_perilaku", "n_dimensi", "rating_perilaku"]]
      nip  skor_perilaku  n_dimensi    rating_perilaku
    0   a            3.5          2  Sesuai Ekspektasi
    """
    require_columns(perilaku_skor, ["nip", "periode", "dimensi", "skor"], "perilaku_ringkas")
    d = perilaku_skor
    ratee, ratee_values, _ = text_codes(d["nip"])
    periode, periode_values, _ = text_codes(d["periode"])
    ok = (ratee >= 0) & (periode >= 0)
    if not ok.all():  # rows with a missing key belong to no group (as in groupby)
        d, ratee, periode = d[ok], ratee[ok], periode[ok]
    n_p = max(len(periode_values), 1)
    frame = pd.DataFrame(
        {
            c: d[c].to_numpy() if c in d.columns else np.full(len(d), np.nan)
            for c in ("skor", "skor_mentah", "n_penilai", "skor_diri", "selisih_diri")
        }
    )
    g = frame.groupby(ratee * n_p + periode, sort=True, observed=True)
    out = g.agg(
        skor_perilaku=("skor", "mean"),
        skor_perilaku_mentah=("skor_mentah", "mean"),
        n_dimensi=("skor", "count"),
        n_penilai=("n_penilai", "max"),
        skor_diri=("skor_diri", "mean"),
        selisih_diri=("selisih_diri", "mean"),
    )
    out = with_pair_keys(out, ratee_values, periode_values, ("nip", "periode"))
    out["rating_perilaku"] = rate(out["skor_perilaku"], cutoffs.di_atas, cutoffs.di_bawah)
    return out


# --------------------------------------------------------------------------------------
# 5. Strengths and weaknesses
# --------------------------------------------------------------------------------------


@renamed_keywords(min_kelompok="min_group")
def strengths_weaknesses(
    perilaku_skor: pd.DataFrame,
    pegawai: pd.DataFrame,
    *,
    min_penilai: int = 3,
    z: float = 1.0,
    min_group: int = 5,
) -> pd.DataFrame:
    """Each employee's standing per BerAKHLAK dimension relative to comparable peers.

    Parameters
    ----------
    perilaku_skor
        Output of :func:`perilaku_kerja` (``nip, periode, dimensi, skor, n_penilai``).
    pegawai
        The ``pegawai`` table (``nip, jenis_jabatan``).
    min_penilai
        Minimum number of raters (other than self) for a flag.
    z
        Threshold of the standardised score for a flag.
    min_group
        Minimum number of scored employees in the comparison group for a flag.

    Returns
    -------
    DataFrame
        ``nip, periode, dimensi, jenis_jabatan, skor, rerata_kelompok, sd_kelompok,
        n_kelompok, z, n_penilai, kategori`` with ``kategori`` ``"kekuatan"``
        (``z >= threshold``), ``"kelemahan"`` (``z <= -threshold``) or None.

    Notes
    -----
    ``z = (skor - mean) / sd`` within ``jenis_jabatan x periode x dimensi`` (sample SD).
    No flag without enough raters, a large enough group, or a group SD of 0.

    Examples
    --------
    >>> sk = pd.DataFrame({"nip": [f"p{i}" for i in range(6)], "periode": "2025Q1", "dimensi": "kompeten", "skor": [3.0, 3.1, 2.9, 3.0, 3.0, 4.5], "n_penilai": 4})
    >>> peg = pd.DataFrame({"nip": sk["nip"], "jenis_jabatan": "pelaksana"})
    >>> r = strengths_weaknesses(sk, peg)
    >>> r.loc[r["kategori"].notna(), ["nip", "dimensi", "kategori"]]
      nip   dimensi  kategori
    5  p5  kompeten  kekuatan
    """
    require_columns(perilaku_skor, ["nip", "periode", "dimensi", "skor"], "kekuatan_kelemahan")
    require_columns(pegawai, ["nip", "jenis_jabatan"], "kekuatan_kelemahan: pegawai")
    if z <= 0:
        raise ValueError(f"z must be > 0, got {z!r}")
    cols = ["nip", "periode", "dimensi", "skor"]
    if "n_penilai" in perilaku_skor.columns:
        cols.append("n_penilai")
    d = perilaku_skor[cols].copy()
    if "n_penilai" not in d.columns:
        d["n_penilai"] = 0
    d = d.merge(pegawai[["nip", "jenis_jabatan"]].drop_duplicates("nip"), on="nip", how="left")
    grp = d.groupby(["jenis_jabatan", "periode", "dimensi"], observed=True, dropna=False)["skor"]
    d["rerata_kelompok"] = grp.transform("mean")
    d["sd_kelompok"] = grp.transform("std")
    d["n_kelompok"] = grp.transform("count").astype(int)
    with np.errstate(invalid="ignore", divide="ignore"):
        d["z"] = (d["skor"] - d["rerata_kelompok"]) / d["sd_kelompok"]
    eligible = (
        (d["n_penilai"] >= min_penilai)
        & (d["n_kelompok"] >= min_group)
        & (d["sd_kelompok"] > 0)
        & d["jenis_jabatan"].notna()
        & d["z"].notna()
    )
    kat = pd.Series(None, index=d.index, dtype=object)
    kat[eligible & (d["z"] >= z)] = "kekuatan"
    kat[eligible & (d["z"] <= -z)] = "kelemahan"
    d["kategori"] = kat
    return d[
        [
            "nip",
            "periode",
            "dimensi",
            "jenis_jabatan",
            "skor",
            "rerata_kelompok",
            "sd_kelompok",
            "n_kelompok",
            "z",
            "n_penilai",
            "kategori",
        ]
    ].reset_index(drop=True)


def opd_profile(
    perilaku_skor: pd.DataFrame,
    pegawai: pd.DataFrame,
    *,
    per_periode: bool = False,
) -> pd.DataFrame:
    """Mean BerAKHLAK score per OPD x dimension (long format, ready for a heatmap pivot).

    Returns
    -------
    DataFrame
        ``opd, [periode,] dimensi, rerata, sd, n_pegawai, n_obs``; dimensions in the
        BerAKHLAK order. ``n_pegawai`` counts distinct employees, ``n_obs`` employee-periods.

    Notes
    -----
    Plain means of :func:`perilaku_kerja`'s ``skor`` (each employee-period counts once).
    Pivot with ``df.pivot(index="opd", columns="dimensi", values="rerata")``.

    Examples
    --------
    >>> sk = pd.DataFrame({"nip": ["a", "b", "a"], "periode": "2025Q1", "dimensi": ["kompeten", "kompeten", "akuntabel"], "skor": [3.0, 4.0, 5.0]})
    >>> opd_profile(sk, pd.DataFrame({"nip": ["a", "b"], "opd": "A"}))
      opd    dimensi  rerata        sd  n_pegawai  n_obs
    0   A  akuntabel     5.0       NaN          1      1
    1   A   kompeten     3.5  0.707107          2      2
    """
    require_columns(perilaku_skor, ["nip", "periode", "dimensi", "skor"], "profil_opd")
    require_columns(pegawai, ["nip", "opd"], "profil_opd: pegawai")
    d = perilaku_skor[["nip", "periode", "dimensi", "skor"]].merge(
        pegawai[["nip", "opd"]].drop_duplicates("nip"), on="nip", how="left"
    )
    d = d[d["skor"].notna()]
    keys = ["opd", "periode", "dimensi"] if per_periode else ["opd", "dimensi"]
    out = (
        d.groupby(keys, observed=True, dropna=False)
        .agg(
            rerata=("skor", "mean"),
            sd=("skor", "std"),
            n_pegawai=("nip", "nunique"),
            n_obs=("skor", "size"),
        )
        .reset_index()
    )
    order = {v: i for i, v in enumerate(BERAKHLAK)}
    out["_o"] = out["dimensi"].map(order)
    sort_keys = [k for k in keys if k != "dimensi"] + ["_o", "dimensi"]
    return out.sort_values(sort_keys, ignore_index=True).drop(columns="_o")
