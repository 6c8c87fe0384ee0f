"""The code paths that make 100,000 ASN fit on one machine give the numbers of the
straightforward ones.

Each optimisation of issue 12 is checked here against the computation it replaces, on
small data: keys grouped as integer codes (``core.keys``) against grouping by text, for
text, string and categorical columns; the per-employee aggregation seam against the
separate calls; the analytic derivatives of the ordered logit against statsmodels'
numerical ones (and the fit against plain ``OrderedModel``); the exact Henderson III
solve and the design shared across blocks against conjugate gradients and fresh
designs. Speed itself is measured in ``bench/bench_scale.py``, not here.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis.analyses.ordinal import _ordered_model_class, fit_ordinal_predikat
from kinerja_analysis.analyses.panel import aggregate_per_employee, build_panel
from kinerja_analysis.core.keys import compress_codes, first_appearance, text_codes
from kinerja_analysis.data.synth import generate
from kinerja_analysis.domain.perilaku import perilaku_kerja, rater_model
from kinerja_analysis.domain.predikat import evaluate_period
from kinerja_analysis.domain.skp import hasil_kerja
from kinerja_analysis.methods import reliability as rel


@pytest.fixture(scope="module")
def city():
    res = generate(n_pegawai=400, seed=5)
    return res, sorted(res.tables["skp"]["periode"].unique())


def _categorical(df: pd.DataFrame) -> pd.DataFrame:
    """Every text column dictionary-encoded, categories in a scrambled (non-text) order."""
    out = df.copy()
    for c in df.columns:
        if df[c].dtype == object or pd.api.types.is_string_dtype(df[c]):
            cats = pd.unique(df[c].dropna())[::-1]
            out[c] = pd.Categorical(df[c], categories=cats)
    return out


@pytest.mark.parametrize("kind", ["object", "string", "category"])
def test_text_codes_order_like_text(kind) -> None:
    s = pd.Series(["b10", "a", "b2", None, "a", "B"], dtype=object)
    s = (
        s.astype(kind)
        if kind != "category"
        else pd.Series(pd.Categorical(s, ["b2", "a", "B", "b10"]))
    )
    codes, uniques, text = text_codes(s)
    assert list(text) == sorted(["b10", "a", "b2", "B"])  # "B" < "a" < "b10" < "b2"
    assert [str(uniques[c]) if c >= 0 else None for c in codes] == [
        None if pd.isna(v) else str(v) for v in s
    ]
    assert codes[3] == -1
    used, new = compress_codes(np.array([3, 1, 3]), 4)
    assert used.tolist() == [1, 3] and new.tolist() == [1, 0, 1]
    c, first = first_appearance(np.array([9, 9, 4, 9, 2, 4]))
    assert c.tolist() == [0, 0, 1, 0, 2, 1] and first.tolist() == [0, 2, 4]


def test_scores_same_for_text_and_categorical_keys(city) -> None:
    res, _ = city
    per, skp = res.tables["perilaku"], res.tables["skp"]
    a = perilaku_kerja(per)
    b = perilaku_kerja(_categorical(per))
    pd.testing.assert_frame_equal(a, b, check_dtype=False, check_exact=True)
    assert a[["nip", "periode", "dimensi"]].equals(
        a[["nip", "periode", "dimensi"]].sort_values(["nip", "periode", "dimensi"])
    )
    h = hasil_kerja(skp)
    pd.testing.assert_frame_equal(h, hasil_kerja(_categorical(skp)), check_dtype=False)
    m1, m2 = rater_model(per), rater_model(_categorical(per))
    pd.testing.assert_frame_equal(m1.penilai, m2.penilai, check_exact=True)


def test_rater_ids_sorted_as_text_and_roles_listed(city) -> None:
    res, _ = city
    m = rater_model(res.tables["perilaku"])
    ids = m.penilai["id_penilai"].tolist()
    assert ids == sorted(ids)
    per = res.tables["perilaku"]
    others = per[per["peran_penilai"] != "diri"]
    expected = others.groupby("id_penilai")["peran_penilai"].agg(lambda s: ",".join(sorted(set(s))))
    assert m.penilai.set_index("id_penilai")["peran"].equals(
        expected.rename("peran").rename_axis("id_penilai")
    )


def test_aggregation_seam_equals_separate_calls(city) -> None:
    res, periods = city
    t = res.tables
    frames = aggregate_per_employee(t, periods)
    sd = perilaku_kerja(t["perilaku"])
    ev = evaluate_period(t["skp"], t["perilaku"])
    panel = build_panel(dict(t), periods)
    pd.testing.assert_frame_equal(frames.skor_dimensi, sd, check_exact=True)
    pd.testing.assert_frame_equal(frames.evaluasi, ev, check_exact=True)
    pd.testing.assert_frame_equal(frames.panel, panel.data, check_exact=True)
    assert frames.notes == panel.notes
    cat = aggregate_per_employee({k: _categorical(v) for k, v in t.items()}, periods)
    pd.testing.assert_frame_equal(cat.panel, panel.data, check_dtype=False, check_exact=True)


def _ordered_model(distr, rng, n, slopes, levels):
    """Our analytic ``OrderedModel`` on a latent logistic outcome cut into five
    categories: covariates ``a`` (normal) and ``b`` (``levels`` integer values)."""
    x = pd.DataFrame({"a": rng.normal(size=n), "b": rng.integers(0, levels, n).astype(float)})
    lat = slopes[0] * x["a"] + slopes[1] * x["b"] + rng.logistic(size=n)
    y = pd.Series(pd.Categorical(np.digitize(lat, [-2.5, -0.5, 1, 2.5]), ordered=True))
    return _ordered_model_class()(y, x, distr=distr)


@pytest.mark.parametrize("distr", ["logit", "probit"])
def test_ordered_model_analytic_derivatives(distr) -> None:
    from statsmodels.tools.numdiff import approx_fprime, approx_hess

    rng = np.random.default_rng(0)
    m = _ordered_model(distr, rng, 2000, (0.5, -0.3), 3)
    p = m.start_params + rng.normal(scale=0.2, size=len(m.start_params))
    # numerical derivatives are accurate to about 1e-6 (score) and 1e-6 relative (Hessian)
    np.testing.assert_allclose(
        m.score_obs(p), approx_fprime(p, m.loglikeobs, centered=True), atol=1e-6
    )
    np.testing.assert_allclose(m.score(p), approx_fprime(p, m.loglike, centered=True), atol=1e-4)
    h_num = approx_hess(p, m.loglike)
    np.testing.assert_allclose(m.hessian(p), h_num, atol=1e-5 * np.abs(h_num).max())


def _hessian_full_rows(m, p, dtype=np.float64):
    """The ordered model's Hessian as a sum over full rows, in ``dtype``:
    ``e_u a_u a_u' - e_l a_l a_l' - sc sc'`` plus the thresholds' second derivatives."""
    prob, f_u, f_l, d_u, d_l, jac_th, incr = m._pieces(p)
    a_u, a_l = (a.astype(dtype) for a in m._rows(jac_th))
    prob, f_u, f_l, d_u, d_l = (np.asarray(v, dtype=dtype) for v in (prob, f_u, f_l, d_u, d_l))
    sc = (f_u / prob)[:, None] * a_u - (f_l / prob)[:, None] * a_l
    h = (a_u * (d_u / prob)[:, None]).T @ a_u - (a_l * (d_l / prob)[:, None]).T @ a_l
    h -= sc.T @ sc
    k_x, n_th, yy = m.k_vars, m.k_levels - 1, np.asarray(m.endog)
    for j in range(1, n_th):
        on_u = (yy + 1 >= j + 1) & (yy + 1 <= n_th)
        on_l = (yy >= j + 1) & (yy <= n_th)
        h[k_x + j, k_x + j] += dtype(incr[j - 1]) * (
            (f_u / prob)[on_u].sum() - (f_l / prob)[on_l].sum()
        )
    return h


@pytest.mark.parametrize("distr", ["logit", "probit"])
def test_ordered_model_hessian_by_blocks_equals_full_rows(distr) -> None:
    """The Hessian summed by blocks (threshold parts by category) equals the sum over
    full rows ``e_u a_u a_u' - e_l a_l a_l' - sc sc'`` to 1e-10 relative, with five
    categories, at the start parameters and far from them."""
    rng = np.random.default_rng(4)
    m = _ordered_model(distr, rng, 3000, (0.8, -0.4), 4)
    for scale in (0.0, 0.5, 2.0):
        p = m.start_params + rng.normal(scale=scale, size=len(m.start_params))
        h = _hessian_full_rows(m, p)
        np.testing.assert_allclose(m.hessian(p), h, rtol=0, atol=1e-10 * np.abs(h).max())


@pytest.mark.parametrize("distr", ["logit", "probit"])
def test_ordered_model_hessian_of_a_narrow_category_is_as_accurate_as_full_rows(distr) -> None:
    """helper-78: summed by category first, the terms of a nearly empty category (two
    thresholds almost equal) are each of the order of 1/width^2 and cancelled across
    the sums (4e2 relative error at width e^-20). Combined per row, the Hessian is at
    least as close as the full-row float64 formula to that formula in long double."""
    rng = np.random.default_rng(0)
    n, k = 400, 3
    x = pd.DataFrame(rng.normal(size=(n, k)), columns=list("abc"))
    y = pd.Series(pd.Categorical(rng.integers(0, 3, n), categories=range(3), ordered=True))
    m = _ordered_model_class()(y, x, distr=distr)
    base = np.r_[rng.normal(size=k), -1.0, rng.normal(size=1)]
    for shift in (-5.0, -10.0, -20.0):
        p = base + np.r_[np.zeros(k + 1), shift]  # the middle category e^shift wide
        ref = _hessian_full_rows(m, p, np.longdouble)
        scale = float(np.abs(ref).max())
        err_new = float(np.abs(m.hessian(p) - ref).max()) / scale
        err_rows = float(np.abs(_hessian_full_rows(m, p) - ref).max()) / scale
        assert err_new <= max(err_rows, 1e-13), (shift, err_new, err_rows)


def test_ordinal_fit_equals_statsmodels_numerical(city) -> None:
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    res, periods = city
    panel = build_panel(dict(res.tables), periods).data
    ours = fit_ordinal_predikat(panel).set_index("term")
    import kinerja_analysis.analyses.ordinal as mod

    class Numerical(OrderedModel):
        """statsmodels' own numerical derivatives; Newton to the tolerance they allow."""

        def fit(self, **kw):
            return super().fit(**{**kw, "tol": 1e-7})

    saved = mod._ordered_model_class
    try:
        mod._ordered_model_class = lambda: Numerical
        ref = fit_ordinal_predikat(panel).set_index("term")
    finally:
        mod._ordered_model_class = saved
    # the same maximum likelihood estimate and cluster sandwich; numerical second
    # derivatives carry relative errors near 1e-5 (BFGS stopping early was 1e-3 off)
    cols = ["estimate", "std_error", "ci_low", "ci_high", "p_value", "odds_ratio"]
    np.testing.assert_allclose(ours[cols], ref[cols], rtol=1e-4, atol=1e-5)


def _crossed(seed: int, n_t: int = 60, pool: int = 12) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for t in range(n_t):
        for r in rng.choice(pool, 4, replace=False):
            r = int(r) + (pool if t >= n_t // 2 else 0)  # two disconnected halves
            rows.append((t, r, 3 + 0.5 * rng.normal() + 0.1 * (r % 5) + 0.4 * (t % 3)))
    return pd.DataFrame(rows, columns=["t", "r", "y"])


def test_henderson3_direct_equals_conjugate_gradients() -> None:
    from scipy import sparse
    from scipy.sparse import linalg as spla

    d = _crossed(1)
    t, tu = pd.factorize(d["t"])
    r, ru = pd.factorize(d["r"])
    y = d["y"].to_numpy()
    m = rel._henderson3_moments(y, t, r, len(tu), len(ru))
    dz = rel._crossed_design(t, r, len(tu), len(ru))
    assert dz.n_comp == 2
    rhs = dz.zb.T @ (y - (np.bincount(t, y) / dz.n_i)[t])
    diag = dz.a_mat.diagonal()
    b, info = spla.cg(dz.a_mat, rhs, rtol=1e-13, atol=0.0, maxiter=10000, M=sparse.diags(1 / diag))
    assert info == 0
    assert m.r_b_given_a == pytest.approx(float(b @ rhs), rel=1e-10)


def test_design_shared_across_blocks_gives_fresh_results() -> None:
    d = _crossed(2)
    d2 = d.assign(y=d["y"][::-1].to_numpy())  # same design, other ratings
    rel._DESIGN_CACHE.clear()
    first = rel.icc(d2, "t", "r", "y")
    rel._DESIGN_CACHE.clear()
    rel.icc(d, "t", "r", "y")  # caches d's design, then d2 reuses it
    again = rel.icc(d2, "t", "r", "y")
    pd.testing.assert_frame_equal(first, again)


def test_rater_model_cross_counts_equal_sparse_product() -> None:
    from scipy import sparse

    from kinerja_analysis.domain.perilaku import _cross_counts

    rng = np.random.default_rng(0)
    m, ng, nr = 5000, 3, 400
    role, rater = rng.integers(0, ng, m), rng.integers(0, nr, m)
    x = sparse.csr_matrix(
        (np.ones(2 * m), np.column_stack([role, ng + rater]).ravel(), np.arange(0, 2 * m + 1, 2)),
        shape=(m, ng + nr),
    )
    assert np.array_equal((x.T @ x).toarray(), _cross_counts(role, rater, ng, nr).toarray())


@pytest.mark.parametrize("dtype", ["string[pyarrow]", "string[python]", "object", "category"])
def test_in_values_is_pandas_isin(dtype):
    """:func:`in_values` gives pandas' ``isin`` mask for every key dtype, with missing
    values, values of another type and empty or chunked inputs."""
    from kinerja_analysis.core.keys import in_values

    rng = np.random.default_rng(4)
    raw = [
        None if i % 17 == 0 else f"1990{int(x):014d}"
        for i, x in enumerate(rng.integers(0, 500, 2000))
    ]
    s = pd.concat([pd.Series(raw[:700]), pd.Series(raw[700:])], ignore_index=True).astype(dtype)
    allowed_sets = [
        set(raw[:300:3]),
        list(raw[:50]) + [None],
        [5, 3.0, float("nan")],
        [],
        pd.Series(raw[100:400], dtype=dtype),
    ]
    for allowed in allowed_sets:
        expected = s.isin(allowed).to_numpy(dtype=bool)
        got = in_values(s, allowed)
        assert got.dtype == bool and len(got) == len(s)
        np.testing.assert_array_equal(got, expected)


def _dense_design(cell, role, rater, n):
    """The rater model's dense design: ``x`` (role and rater indicators) and ``M``, the
    within-cell demeaning (``n = (cells, roles, raters)``)."""
    nc, ng, nr = n
    m = len(cell)
    x = np.zeros((m, ng + nr))
    x[np.arange(m), role] = 1
    x[np.arange(m), ng + rater] = 1
    d = np.zeros((m, nc))
    d[np.arange(m), cell] = 1
    return x, np.eye(m) - d @ np.linalg.pinv(d)


def test_rater_model_normal_equations_in_parts_equal_dense_ones(monkeypatch) -> None:
    """The rater model's reduced normal equations, summed over cells in parts (forked
    children on a second CPU), equal the dense ``x'Mx`` and ``x'My`` of the design with
    the cells absorbed (``M`` the within-cell demeaning), for one and for several
    columns of ``y``; and the same digits in one process as over two."""
    from kinerja_analysis.core import parallel
    from kinerja_analysis.domain import perilaku as P

    forks = []
    fork = parallel._fork_child
    monkeypatch.setattr(parallel, "_fork_child", lambda *a: forks.append(1) or fork(*a))
    rng = np.random.default_rng(3)
    m, nc, ng, nr = 3000, 400, 3, 60
    cell = rng.integers(0, nc - 50, m)
    cell[: nc - 50] = np.arange(nc - 50)  # every cell rated
    cell[-50:] = np.arange(nc - 50, nc)  # and 50 cells of a single rating
    role, rater = rng.integers(0, ng, m), rng.integers(0, nr, m)
    # some raters twice in a cell (their counts are summed)
    rater[401:600:2], cell[401:600:2] = rater[400:600:2], cell[400:600:2]
    cell, rater = cell.astype(np.int32), rater.astype(np.int32)  # codes of any int type
    x, within = _dense_design(cell, role, rater, (nc, ng, nr))
    for y in (rng.normal(size=m), rng.normal(size=(m, 4))):
        y2 = y.reshape(m, -1)
        monkeypatch.setattr(P, "_FE_PART_ROWS", 10**9)  # one part
        one = P._fe_system(y, cell, role, rater, (nc, ng, nr))
        monkeypatch.setattr(P, "_FE_PART_ROWS", 700)  # 3000 rows: 4 parts
        for cpus in (1, 2):
            monkeypatch.setattr(P, "available_cpus", lambda cpus=cpus: cpus)
            parts = P._fe_system(y, cell, role, rater, (nc, ng, nr))
            np.testing.assert_allclose(parts.a_mat.toarray(), x.T @ within @ x, atol=1e-9)
            np.testing.assert_allclose(parts.rhs, x.T @ within @ y2, atol=1e-9)
            np.testing.assert_allclose(parts.a_mat.toarray(), one.a_mat.toarray(), atol=1e-9)
            if cpus == 1:
                first, n_forks = parts, len(forks)
            else:  # the parts are fixed by the data: every digit the same on 2 CPUs
                assert len(forks) > n_forks  # the parts did go to a child
                assert np.array_equal(parts.a_mat.toarray(), first.a_mat.toarray())
                assert np.array_equal(parts.rhs, first.rhs)


def test_rater_model_whole_blocks_sum_like_cells(monkeypatch) -> None:
    """The normal equations with the whole blocks' cells taken from their units equal
    the cell-by-cell ones and the dense ``x'Mx``, ``x'My`` (1e-9) — on blocks that are
    whole and blocks that are not: a unit missing a dimension, a unit rating one twice,
    a unit in two roles, a dimension nobody rated, a block of one unit; one and several
    columns of ``y``; with the leftover cells in one part and in several (forked)."""
    from kinerja_analysis.core.keys import first_appearance
    from kinerja_analysis.domain import perilaku as P

    rng = np.random.default_rng(5)
    ng, nr, n_dim, n_block = 3, 40, 4, 120
    rows = []  # (block, dim, rater, role)
    for blk in range(n_block):
        raters = rng.choice(nr, size=int(rng.integers(1, 6)), replace=False)
        for r in raters:
            g = int(rng.integers(0, ng))
            rows += [(blk, d, int(r), g) for d in range(n_dim)]
    rows = np.array(rows)
    whole = np.ones(len(rows), dtype=bool)
    k = {b: np.flatnonzero(rows[:, 0] == b) for b in (3, 7, 11, 15, 19)}
    whole[k[3][1]] = False  # a unit without one of its dimensions
    rows[k[7][1], 1] = rows[k[7][0], 1]  # a unit rating one dimension twice
    rows[k[11][2], 3] = (rows[k[11][2], 3] + 1) % ng  # a unit in two roles
    rows = rows[whole]
    rows = rows[~((rows[:, 0] == 15) & (rows[:, 1] == 2))]  # nobody rated dimension 2
    rows = rows[rng.permutation(len(rows))]
    blk, dim, rater, role = rows.T
    cell, _ = first_appearance(blk * n_dim + dim)
    unit, first = first_appearance(rater * n_block + blk)
    units = P._Units(unit, blk[first], role[first], rater[first], dim, n_dim)
    m, nc = len(rows), int(cell.max()) + 1
    x, within = _dense_design(cell, role, rater, (nc, ng, nr))
    _, _, left = P._whole_blocks(np.zeros((m, 1)), cell, role, units, (nc, ng, nr))
    assert set(blk[left]) == {3, 7, 11}  # the blocks that are not whole, only those
    for y in (rng.normal(size=m), rng.normal(size=(m, 3))):
        y2 = y.reshape(m, -1)
        cells = P._fe_system(y, cell, role, rater, (nc, ng, nr))
        for part_rows in (10**9, 20):  # the leftover ratings in one part, in four
            monkeypatch.setattr(P, "_FE_PART_ROWS", part_rows)
            got = P._fe_system(y, cell, role, rater, (nc, ng, nr), units=units)
            np.testing.assert_allclose(got.a_mat.toarray(), x.T @ within @ x, atol=1e-9)
            np.testing.assert_allclose(got.rhs, x.T @ within @ y2, atol=1e-9)
            np.testing.assert_allclose(got.a_mat.toarray(), cells.a_mat.toarray(), atol=1e-9)
            np.testing.assert_allclose(got.rhs, cells.rhs, atol=1e-9)
            assert np.array_equal(got.n_role, cells.n_role)
            assert np.array_equal(got.n_rater, cells.n_rater)


def test_rater_model_reused_ordering_solves_like_a_fresh_factorisation() -> None:
    """The second solve of a system (another ridge) reuses the first's column ordering;
    its solution equals a fresh factorisation's (and the dense normal equations') to
    1e-10, for each reference role and for several ridges."""
    from kinerja_analysis.domain import perilaku as P

    rng = np.random.default_rng(11)
    m, nc, ng, nr = 4000, 500, 3, 120
    cell = rng.integers(0, nc, m)
    cell[:nc] = np.arange(nc)
    role, rater = rng.integers(0, ng, m), rng.integers(0, nr, m)
    y = rng.normal(size=(m, 2)) + rng.normal(size=nr)[rater, None]
    for ref in (0, None):
        reused = P._fe_system(y, cell, role, rater, (nc, ng, nr))
        first = P._fe_solve(reused, ref)
        assert len(reused.ordering) == 1
        for ridge in (None, 0.5, 40.0):
            fresh = P._fe_system(y, cell, role, rater, (nc, ng, nr))
            want = P._fe_solve(fresh, ref, ridge=ridge)  # its own ordering
            got = P._fe_solve(reused, ref, ridge=ridge)
            for w, g in zip(want, got, strict=True):
                np.testing.assert_allclose(g, w, rtol=0, atol=1e-10)
        np.testing.assert_allclose(P._fe_solve(reused, ref)[1], first[1], rtol=0, atol=1e-10)
        # the ridge-less solution solves the dense normal equations with a[ref] = 0
        a, b = first
        theta = np.vstack([a, b])
        drop = 0 if ref is None else ref
        keep = np.delete(np.arange(ng + nr), drop)
        resid = (
            reused.a_mat.toarray()[np.ix_(keep, keep)] @ (theta[keep] - theta[drop] * (ref is None))
            - reused.rhs[keep]
        )
        assert np.abs(resid).max() < 1e-4 * np.abs(reused.rhs).max()


def test_load_dataset_with_categorical_keys_equals_text(tmp_path) -> None:
    """``load_dataset(keys="categorical")``, validated afresh and read back from the
    cache (dictionary-encoded Parquet), holds the identifier columns of the row-level
    tables as categoricals of text: decoded, every table equals the text load; the
    other tables are the same; the shared analysis gives the same frames and notes."""
    from shared_frames import assert_same_shared

    from kinerja_analysis.analyses.shared import compute_shared
    from kinerja_analysis.data.contract import ROW_LEVEL_TABLES, identifier_columns
    from kinerja_analysis.data.loading import load_dataset
    from kinerja_analysis.data.synth import write_dataset

    data, cache = tmp_path / "data", tmp_path / "cache"
    write_dataset(generate(n_pegawai=250, seed=8), data)
    text = load_dataset(data)
    fresh = load_dataset(data, cache=cache, keys="categorical")
    cached = load_dataset(data, cache=cache, keys="categorical")
    assert load_dataset(data, cache=cache).tables["perilaku"]["nip"].dtype == "string"
    for ds in (fresh, cached):
        for name, df in text.tables.items():
            got = ds.tables[name]
            encoded = identifier_columns(name) if name in ROW_LEVEL_TABLES else ()
            for c in df:
                is_cat = isinstance(got[c].dtype, pd.CategoricalDtype)
                assert is_cat == (c in encoded), (name, c)
                if is_cat:
                    assert got[c].cat.categories.dtype == df[c].dtype
                    got = got.assign(**{c: got[c].astype(df[c].dtype)})
            pd.testing.assert_frame_equal(got, df, obj=name)
    with pytest.raises(ValueError, match="keys"):
        load_dataset(data, keys="arrow")
    a, b = compute_shared(text, n_boot=49), compute_shared(cached, n_boot=49)
    assert_same_shared(a, b)


def test_fresh_categorical_keys_are_the_encoding_of_the_accepted_text(tmp_path) -> None:
    """Validated afresh with ``keys="categorical"``, an identifier column is built from
    validation's codes, not from written-out text: it must be exactly Arrow's encoding
    of the text load (sorted categories of the values present): a value only a
    rejected row held (a rater id, a period) is no category."""
    import pyarrow as pa

    from kinerja_analysis.core.keys import dictionary_categorical
    from kinerja_analysis.data.contract import identifier_columns
    from kinerja_analysis.data.loading import load_dataset
    from kinerja_analysis.data.synth import write_dataset

    data = tmp_path / "data"
    write_dataset(generate(n_pegawai=150, seed=4), data)
    path = data / "perilaku.csv"
    peri = pd.read_csv(path, dtype=str, keep_default_na=False)
    bad = peri.iloc[[0, 1]].assign(id_penilai="ZZZ-HANYA-DITOLAK", skor="9")  # out of range
    pd.concat([peri, bad], ignore_index=True).to_csv(path, index=False)
    text = load_dataset(data)
    fresh = load_dataset(data, keys="categorical")
    assert text.validation.n_rejected == 2
    for name in ("perilaku", "skp"):
        for c in identifier_columns(name):
            want = pd.Series(dictionary_categorical(pa.array(text.tables[name][c].array)))
            pd.testing.assert_series_equal(fresh.tables[name][c], want, check_names=False)
    assert "ZZZ-HANYA-DITOLAK" not in fresh.tables["perilaku"]["id_penilai"].cat.categories


def test_dictionary_keys_sorted_text_only_and_an_older_engine_still_reads(tmp_path) -> None:
    """Categories come sorted as ``astype("category")`` gives them (a published table's
    role columns keep their order); non-text values are refused; an engine written to
    the interface before the option (no ``dictionary``) still loads text; a dataset
    stored from categoricals reads back as text unless asked (review helper-65)."""
    import pyarrow as pa

    from kinerja_analysis.core.keys import dictionary_categorical
    from kinerja_analysis.data.engine import LocalEngine, TableStore
    from kinerja_analysis.data.loading import Dataset, load_dataset
    from kinerja_analysis.data.synth import write_dataset

    c = dictionary_categorical(pa.chunked_array([pa.array(["rekan", None, "atasan", "diri"])]))
    assert list(c.categories) == ["atasan", "diri", "rekan"] and c.codes.tolist() == [2, -1, 0, 1]
    for bad in (pa.array([1, 2]), pa.array([True]), pa.array([1.5]).dictionary_encode()):
        with pytest.raises(TypeError, match="text"):
            dictionary_categorical(bad)

    class OldEngine:  # read(store, table, columns, periods), as documented before
        name = "lama"

        def read(self, store, table, columns=None, periods=None):
            return LocalEngine().read(store, table, columns=columns, periods=periods)

    data, cache = tmp_path / "data", tmp_path / "cache"
    write_dataset(generate(n_pegawai=120, seed=2), data)
    cat = load_dataset(data, cache=cache, keys="categorical")
    folder = next(p for p in cache.iterdir() if (p / "meta.json").is_file())
    text = Dataset.load_cache(folder, engine=OldEngine())
    assert text.tables["perilaku"]["nip"].dtype == "string"
    roles = cat.tables["perilaku"]["peran_penilai"].cat.categories
    assert list(roles) == sorted(roles)
    cat.save_cache(tmp_path / "again")
    back = Dataset.load_cache(tmp_path / "again")
    for name in ("perilaku", "skp"):
        pd.testing.assert_frame_equal(back.tables[name], text.tables[name])
    store = TableStore(folder / "tabel")
    empty = store.read("perilaku", periods=["1999Q1"], dictionary=["nip"])
    assert isinstance(empty["nip"].dtype, pd.CategoricalDtype) and empty["skor"].dtype == "int64"
    with pytest.raises(TypeError, match="sequence"):
        store.read("perilaku", dictionary="nip")


def _first_appearance_by_factorize(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The numbering :func:`first_appearance` replaced: a hash pass over every row."""
    codes, _ = pd.factorize(key, sort=False)
    first = np.flatnonzero(np.diff(np.maximum.accumulate(codes), prepend=-1) > 0)
    return np.asarray(codes, dtype=np.int64), first


@pytest.mark.parametrize("n_cats", [1, 126, 127, 128, 40_000])
@pytest.mark.parametrize("index_type", ["int32", "int8", "uint8", "uint32"])
def test_dictionary_categorical_equals_astype_category(n_cats, index_type) -> None:
    """An Arrow column read as a categorical equals ``astype("category")`` of its text:
    the same categories in the same order, the same codes in the same integer type
    (int8 up to 126 categories, int16 from 127: no widening copy), missing values -1;
    for several chunks with different dictionaries, with and without missing values,
    whatever integer type the dictionary's indices have."""
    import pyarrow as pa

    from kinerja_analysis.core.keys import dictionary_categorical

    if index_type in ("int8", "uint8") and n_cats > 126:
        pytest.skip("more categories than the index type holds")
    rng = np.random.default_rng(n_cats)
    words = np.array([f"w{i:05d}" for i in rng.permutation(n_cats)], dtype=object)
    for with_null in (False, True):
        chunks = []
        for _ in range(3):
            text = words[rng.integers(0, n_cats, 500)].copy()
            if with_null:
                text[rng.random(500) < 0.1] = None
            enc = pa.array(text, type=pa.string()).dictionary_encode()
            chunks.append(enc.cast(pa.dictionary(getattr(pa, index_type)(), pa.string())))
        got = dictionary_categorical(pa.chunked_array(chunks))
        flat = np.concatenate(
            [c.dictionary_decode().to_numpy(zero_copy_only=False) for c in chunks]
        )
        want = pd.Series(flat, dtype=object).astype("category")
        assert list(got.categories) == list(want.cat.categories)
        assert got.codes.dtype == want.cat.codes.dtype
        np.testing.assert_array_equal(got.codes, want.cat.codes.to_numpy())


def test_first_appearance_equals_factorize_numbering() -> None:
    """Dense keys (numbered by position), wide and negative ones (hashed), with and
    without runs of equal keys: the same codes and first rows as pandas.factorize."""
    rng = np.random.default_rng(11)
    for _ in range(200):
        n = int(rng.integers(1, 400))
        span = int(rng.choice([2, 60, 5000, 10**12]))
        key = rng.integers(0, span, n)
        if rng.random() < 0.5:  # runs, as a table sorted by employee holds them
            key = np.repeat(key, rng.integers(1, 8, n))
        if rng.random() < 0.2:
            key = key - span // 2
        want = _first_appearance_by_factorize(key)
        got = first_appearance(key)
        assert got[0].dtype == np.int64 and got[1].dtype == np.int64
        assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
    empty = first_appearance(np.zeros(0, dtype=np.int64))
    assert len(empty[0]) == 0 and len(empty[1]) == 0


def test_weakest_dimension_before_equals_join(city) -> None:
    """The weakest dimension on integer codes gives the frame of the join and group-by
    on the values: trained before the window, not in it, missing, ties, missing scores."""
    from kinerja_analysis.analyses.panel import (
        _first_training_rows,
        _weakest_dimension_before_join,
        weakest_dimension_before,
    )

    res, periods = city
    t = res.tables
    sd = perilaku_kerja(t["perilaku"])
    g = _first_training_rows(t["pelatihan"], periods)["g_periode"]
    i = np.arange(len(g))
    variants = [
        g,
        g.iloc[::3],
        g.where(i % 4 != 0, pd.NA),
        g.where(i % 5 != 0, "<sebelum>"),
    ]
    tied = sd.assign(skor=sd["skor"].round(0))
    tied.loc[tied.index[::5], "skor"] = np.nan
    tied.loc[tied["nip"] == tied["nip"].iloc[0], "skor"] = np.nan  # no score at all
    for scores in (sd, tied):
        for gp in variants:
            want = _weakest_dimension_before_join(scores, gp, periods)
            got = weakest_dimension_before(scores, gp, periods)
            pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert len(weakest_dimension_before(sd, g.iloc[:0], periods)) == 0


def test_rater_model_probes_in_a_child_give_the_same_digits(city, monkeypatch) -> None:
    """The noise probes fitted in a forked child beside the least squares (a second CPU,
    data above the threshold) give every digit of the rater model and the scores that
    fitting them in this process gives."""
    from kinerja_analysis.core import parallel
    from kinerja_analysis.domain import perilaku as P

    res, _ = city
    per = res.tables["perilaku"]
    forks = []
    fork = parallel._fork_child
    monkeypatch.setattr(parallel, "_fork_child", lambda *a: forks.append(1) or fork(*a))
    monkeypatch.setattr(P, "available_cpus", lambda: 1)
    here, scores_here = rater_model(per), perilaku_kerja(per)
    assert not forks
    monkeypatch.setattr(P, "available_cpus", lambda: 2)
    monkeypatch.setattr(P, "_PROBE_FORK_VALUES", 0)
    forked, scores_forked = rater_model(per), perilaku_kerja(per)
    assert len(forks) == 2  # one child per fit
    pd.testing.assert_frame_equal(forked.penilai, here.penilai, check_exact=True)
    pd.testing.assert_frame_equal(forked.peran, here.peran, check_exact=True)
    assert (forked.k, forked.var_leniency, forked.var_noise) == (
        here.k,
        here.var_leniency,
        here.var_noise,
    )
    pd.testing.assert_frame_equal(scores_forked, scores_here, check_exact=True)
    # no os.fork (Windows): the probes run here, after the ordering they use is found
    # (they were started at once and asked for it too early; review helper-75)
    monkeypatch.delattr(os, "fork")
    no_fork = rater_model(per)
    assert len(forks) == 2
    pd.testing.assert_frame_equal(no_fork.penilai, here.penilai, check_exact=True)


@pytest.mark.parametrize("kind", ["object", "category"])
def test_text_codes_in_a_smaller_integer_type(kind) -> None:
    """``text_codes(..., np.int32)``: the same codes (missing -1) in half the memory."""
    s = pd.Series(["b", "a", None, "c", "a"], dtype=object).astype(kind)
    wide, uniques, text = text_codes(s)
    narrow, uniques32, text32 = text_codes(s, np.int32)
    assert narrow.dtype == np.int32 and wide.dtype == np.int64
    assert narrow.tolist() == wide.tolist() == [1, 0, -1, 2, 0]
    assert list(uniques32) == list(uniques) and list(text32) == list(text)
    with pytest.raises(ValueError, match="int8"):
        text_codes(pd.Series([str(i) for i in range(200)]), np.int8)


def test_in_place_cell_codes_and_residuals_equal_the_formulas(city) -> None:
    """The rating-length arithmetic done in place (one array, not one per operation)
    gives the formulas' values to the last bit."""
    from kinerja_analysis.domain import perilaku as pk

    rt = pk._Ratings.of(city[0].tables["perilaku"])
    rows = np.flatnonzero(rt.others)
    n_p, n_d = len(rt.periode_values), len(rt.dimensi_values)
    expected = (rt.ratee[rows].astype(np.int64) * n_p + rt.periode[rows]) * n_d + rt.dimensi[rows]
    np.testing.assert_array_equal(rt.cell(rows), expected)
    np.testing.assert_array_equal(rt.cell(), rt.cell(np.arange(len(rt.skor))))
    rng = np.random.default_rng(5)
    cell, _ = first_appearance(rt.cell(rows))
    role, rater = rt.role[rows].astype(np.int64), rt.rater[rows].astype(np.int64)
    a, b = rng.normal(size=role.max() + 1), rng.normal(size=rater.max() + 1)
    y = rt.skor[rows]
    nc = int(cell.max()) + 1
    e = y - (a[role] + b[rater])
    cc = np.bincount(cell, minlength=nc).astype(float)
    mu = np.bincount(cell, weights=e, minlength=nc) / np.where(cc > 0, cc, 1.0)
    got = pk._fe_resid(y, cell, role, rater, (nc, len(a), len(b)), a, b)
    np.testing.assert_array_equal(got, e - mu[cell])


def test_dictionary_categorical_odd_dictionaries() -> None:
    """What ``astype("category")`` of the text gives, also for a sliced array (unused
    dictionary entries are not categories), a null inside the dictionary (missing, code
    -1), chunks with 8-bit indices whose unified dictionary outgrows them, and string
    views (review helper-75)."""
    import pyarrow as pa

    from kinerja_analysis.core.keys import dictionary_categorical

    def same(arr) -> None:
        got = dictionary_categorical(arr)
        text = pa.chunked_array([arr]) if isinstance(arr, pa.Array) else arr
        flat = [v.as_py() for chunk in text.chunks for v in chunk]
        want = pd.Series(flat, dtype=object).astype("category")
        assert list(got.categories) == list(want.cat.categories)
        assert got.codes.dtype == want.cat.codes.dtype
        np.testing.assert_array_equal(got.codes, want.cat.codes.to_numpy())

    full = pa.array(["q", None, "b", "a", None, "b", "z"]).dictionary_encode()
    same(full.slice(2, 4))
    same(pa.chunked_array([full.slice(1, 3), full.slice(4)]))
    same(
        pa.DictionaryArray.from_arrays(
            pa.array([0, 1, 1, 2], pa.int32()), pa.array([None, "a", "b"])
        )
    )
    int8 = pa.dictionary(pa.int8(), pa.string())
    halves = [
        pa.array([f"a{i:03d}" for i in range(k, k + 100)]).dictionary_encode().cast(int8)
        for k in (0, 100)
    ]
    same(pa.chunked_array(halves))  # 200 values: more than an int8 index holds
    if hasattr(pa, "string_view"):
        same(pa.array(["b", None, "a"], pa.string_view()))
    # a value twice in one dictionary (Arrow allows it); a null in a dictionary of one
    # of several chunks, which Arrow cannot unify (review helper-76)
    same(
        pa.DictionaryArray.from_arrays(
            pa.array([0, 1, 2, 2], pa.int32()), pa.array(["a", "b", "a"])
        )
    )
    with_null = pa.DictionaryArray.from_arrays(pa.array([0, 1], pa.int32()), pa.array([None, "x"]))
    same(pa.chunked_array([with_null, pa.array(["y", "x"]).dictionary_encode()]))


@pytest.mark.parametrize("column", ["nip", "periode", "dimensi", "id_penilai"])
def test_rater_model_names_a_missing_key(column) -> None:
    """helper-78: a missing key got code -1, which joined another rater's, ratee's or
    cell's codes (a wrong leniency, or a numpy error). It is refused with the row."""
    from kinerja_analysis.domain.perilaku import perilaku_kerja, rater_model

    res = generate(n_pegawai=60, seed=3)
    per = res.tables["perilaku"].copy()
    per[column] = per[column].astype(object)
    per.loc[per.index[5], column] = None
    for fn in (rater_model, perilaku_kerja):
        with pytest.raises(ValueError, match=rf"missing {column} in row {per.index[5]!r}"):
            fn(per)
