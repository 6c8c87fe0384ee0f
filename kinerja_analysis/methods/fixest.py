"""One adapter over pyfixest's public API: fit, tidy, contrasts, observations, covariance.

Every fixed-effects regression of the package goes through here, and only through
pyfixest's public methods (``feols``, ``Feols.tidy``, ``Feols.coef``, ``Feols.se``,
``Feols.resid``, ``Feols.wald_test``), so an upgrade that renames pyfixest's internals
(``_N``, ``_vcov``, ``_coefnames``, ``_G``) does not break the package.

- :func:`feols` — ``y ~ x1 + x2 | fe1 + fe2`` with clustered (CRV1) standard errors.
- :func:`tidy` — the project's tidy rows (:data:`kinerja_analysis.core.results.TIDY_COLUMNS`).
- :func:`n_obs` — observations used (after pyfixest drops missing rows).
- :func:`linear_combination` / :func:`vcov` — the variance of ``c'b`` from a Wald test.
  ``wald_test`` returns ``W = (c'b - q)^2 / (c'Vc)``; with ``q = c'b - 1`` the numerator
  is 1, so ``c'Vc = 1 / W`` exactly (no private attribute read).
- :func:`contrast` — ``b_a - b_b`` with pyfixest's own standard error, t reference
  (t with G - 1 degrees of freedom when clustered) and interval, by refitting the model
  reparametrised so that the contrast is a coefficient: with ``s = x_a + x_b``,
  ``b_a x_a + b_b x_b = (b_a - b_b) x_a + b_b s``.

pyfixest is imported on first use (it is heavy; only the fixed-effects models need it).

Same data, same numbers in every process: pyfixest 0.60 iterates over a ``set`` of the
fixed-effect names when it builds the fixed-effect matrix
(``pyfixest.estimation.formula.utils._encode_fixed_effects``), so the order in which its
alternating projections sweep the fixed effects follows Python's per-process string
hash (``PYTHONHASHSEED``). The demeaning stops within its tolerance at another point for
another order: between two runs of the same batch, coefficients moved by ~1e-14 and
standard errors by 1e-10 to 2e-8 (relative; interval ends and p-values near zero by
more). :func:`_fixed_effects_in_given_order` makes pyfixest keep the order of the
formula (the caller's ``fixed_effects``); it is the one place this module touches
pyfixest's internals, it checks what it rewrites and leaves pyfixest as it is when the
internals change (``tests/test_determinism.py`` then tells whether the new version still
needs it).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from kinerja_analysis.core.errors import NotEstimable
from kinerja_analysis.core.results import tidy_frame

__all__ = ["feols", "tidy", "n_obs", "linear_combination", "vcov", "contrast"]

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _check_names(names: Sequence[str]) -> None:
    bad = [n for n in names if not _NAME.match(str(n))]
    if bad:
        raise ValueError(f"column names used in a formula must be identifiers, got {bad}")


def _estimable_sample(
    data: pd.DataFrame, cols: Sequence[str], fixed_effects: Sequence[str]
) -> pd.DataFrame:
    """Rows left after dropping missing values and, iteratively, fixed-effect singletons.

    The same rule as fixest/pyfixest (a level seen once carries no within variation).
    Checked before fitting: pyfixest's compiled demeaning aborts the whole process
    (a Rust panic, not an exception) when nothing is left to demean.
    """
    d = data[list(dict.fromkeys(cols))].dropna()
    if not fixed_effects:
        return d
    # each effect's levels numbered once (no missing values are left), then counted by
    # bincount on the rows still in: a hash of 800,000 NIPs per round and effect made
    # this the costliest step of a fit at 100,000 ASN
    codes = [pd.factorize(d[fe])[0] for fe in fixed_effects]
    rows = np.arange(len(d))
    while len(rows):
        keep = np.ones(len(rows), dtype=bool)
        for c in codes:
            level = c[rows]
            keep &= np.bincount(level)[level] > 1
        if keep.all():
            break
        rows = rows[keep]
    return d if len(rows) == len(d) else d.iloc[rows]


_ORDERED = False


def _fixed_effects_in_given_order() -> None:
    """Make pyfixest encode fixed effects in the formula's order, not a ``set``'s.

    Wraps pyfixest 0.60's ``_encode_fixed_effects`` (bound in
    ``pyfixest.estimation.formula.model_matrix``): the original still does the work
    (including the encoding of interacted ``a^b`` effects); only the order of its
    ``__fixed_effect__(...)`` terms is put back to that of the formula. Why: see the
    module docstring. Idempotent; a pyfixest whose internals differ is left untouched.
    """
    global _ORDERED
    if _ORDERED:
        return
    _ORDERED = True
    try:
        from pyfixest.estimation.formula import model_matrix  # lazy: heavy; feols only
    except ImportError:
        return
    original = getattr(model_matrix, "_encode_fixed_effects", None)
    if original is None or getattr(original, "_kinerja_ordered", False):
        return

    def encode(fixed_effects: str, data: pd.DataFrame) -> str:
        encoded = original(fixed_effects, data)
        names = list(dict.fromkeys(re.split(r"\s*\+\s*", fixed_effects)))
        terms = [f"__fixed_effect__({n.replace('^', '_')})" for n in names]
        body, _, rest = encoded.rpartition(" - ")
        if rest != "1" or set(body.split(" + ")) != set(terms):
            return encoded  # not the form this wrapper knows: pyfixest's own result
        return " + ".join(terms) + " - 1"

    encode._kinerja_ordered = True  # type: ignore[attr-defined]
    model_matrix._encode_fixed_effects = encode


def feols(
    data: pd.DataFrame,
    outcome: str,
    regressors: Sequence[str],
    fixed_effects: Sequence[str] = (),
    *,
    cluster: str | None = None,
):
    """Fit ``outcome ~ regressors | fixed_effects`` by pyfixest, CRV1 SEs by ``cluster``.

    Column names must be Python identifiers (they are written into a formula; data
    values never are). Only the model's columns are passed to pyfixest. The formula is
    written with spaces around ``~``, ``+`` and ``|``: pyfixest 0.60 applies another
    small-sample factor to the unspaced form (``y~x|fe``) when the cluster is a fixed
    effect; the spaced form reproduces R ``fixest`` (``tests/test_did.py``).

    Returns
    -------
    pyfixest.Feols
        The fitted model, to pass to the other functions of this module.

    Raises
    ------
    NotEstimable
        The model cannot be estimated on these data (message in Indonesian, for the
        report's notes): fewer observations than coefficients + 1 remain after dropping
        missing values and fixed-effect singletons (e.g. a lead and a lag on a
        three-period panel); a fixed effect has a single level in what remains (a
        one-period window); a regressor takes one value only (e.g. last period's
        feedback in the window's first feedback period: zero for everyone); or pyfixest
        finds a regressor collinear with the others or with the fixed effects (it would
        drop it and report the others, so a requested coefficient would be silently
        missing or mean something else; pyfixest raises ``ValueError("All variables are
        collinear…")`` when it would drop every one). Any other error propagates.

    Examples
    --------
    >>> d = pd.DataFrame({"y": [1.0, 2.0, 4.0, 3.0, 5.0, 7.0], "x": [0.0, 1.0, 2.0, 0.0, 1.0, 2.0], "grp": list("aaabbb")})
    >>> fit = feols(d, "y", ["x"], ["grp"])
    >>> round(float(tidy(fit, method="FE")["estimate"].iloc[0]), 2), n_obs(fit)
    (1.75, 6)
    """
    import pyfixest as pf  # lazy: heavy; only for fixed-effects models

    _fixed_effects_in_given_order()
    cols = [outcome, *regressors, *fixed_effects, *([cluster] if cluster else [])]
    _check_names(cols)
    # pyfixest aborts the whole process (a Rust panic) on a sample that is empty, with
    # nothing left after singletons, or whose fixed effect has one level: such a model is
    # not estimable on these data
    sample = _estimable_sample(data, cols, fixed_effects)
    n = len(sample)
    model = f"{outcome} ~ {' + '.join(regressors)}"
    if n <= len(regressors) + 1:
        raise NotEstimable(
            f"model {model}: hanya {n} pengamatan tersisa setelah baris tanpa nilai dan "
            "kelompok berisi satu pengamatan dikeluarkan",
            reason="few_observations",
            facts={"n_obs": n, "variables": list(regressors)},
        )
    for fe in fixed_effects:
        if sample[fe].nunique() < 2:
            raise NotEstimable(
                f"model {model}: {fe} hanya mempunyai satu nilai pada data ini",
                reason="single_fixed_effect_level",
                facts={"fixed_effect": fe, "variables": list(regressors)},
            )
    constant = [r for r in regressors if sample[r].nunique() < 2]
    if constant:
        raise NotEstimable(
            f"model {model}: {', '.join(constant)} bernilai sama untuk semua pengamatan "
            "(tidak ada variasi yang dapat dibandingkan)",
            reason="no_variation",
            facts={"variables": constant},
        )
    fml = model + (f" | {' + '.join(fixed_effects)}" if fixed_effects else "")
    vc = {"CRV1": cluster} if cluster else "iid"
    with warnings.catch_warnings():
        # pyfixest warns that it drops collinear regressors; that is refused below
        warnings.filterwarnings("ignore", message=r"(?s).*dropped due to multicollinearity")
        try:
            fit = pf.feols(fml, data=data[list(dict.fromkeys(cols))], vcov=vc)
        except ValueError as exc:
            if _ALL_COLLINEAR.search(str(exc)) is None:
                raise
            raise NotEstimable(
                _collinear_message(model, regressors, fixed_effects),
                reason="collinear",
                facts={"variables": list(regressors)},
            ) from exc
    kept = {str(c) for c in fit.coef().index}
    dropped = [r for r in regressors if r not in kept]
    if dropped:
        raise NotEstimable(
            _collinear_message(model, dropped, fixed_effects),
            reason="collinear",
            facts={"variables": dropped},
        )
    return fit


#: pyfixest 0.60's message when every regressor is collinear
#: (``_drop_multicollinear_variables``: "All variables are collinear. …").
_ALL_COLLINEAR = re.compile(r"All variables are collinear")


def _collinear_message(model: str, names: Sequence[str], fixed_effects: Sequence[str]) -> str:
    fe = f" atau dengan efek tetap {' dan '.join(fixed_effects)}" if fixed_effects else ""
    return (
        f"model {model}: {', '.join(names)} kolinear dengan variabel lain{fe} "
        "(variasinya tidak dapat dipisahkan, sehingga pengaruhnya tidak dapat diestimasi)"
    )


def n_obs(fit) -> int:
    """Observations used by ``fit`` (rows with missing values are dropped by pyfixest).

    >>> d = pd.DataFrame({"y": [1.0, 2.0, None, 4.0, 5.0], "x": [0.0, 1.0, 2.0, 3.0, 5.0]})
    >>> n_obs(feols(d, "y", ["x"]))
    4
    """
    return int(np.asarray(fit.resid()).shape[0])


def tidy(
    fit,
    *,
    method: str,
    alpha: float = 0.05,
    names: Mapping[str, str] | None = None,
    keep: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Tidy rows of ``fit``: ``term, estimate, std_error, ci_low, ci_high, p_value, n_obs,
    method``; ``names`` renames coefficients, ``keep`` selects them (after renaming).

    Intervals and p-values are pyfixest's (t reference; G - 1 degrees of freedom when
    clustered).

    >>> d = pd.DataFrame({"y": [1.0, 2.1, 2.9, 4.2, 5.0], "x": [0.0, 1.0, 2.0, 3.0, 4.0]})
    >>> tidy(feols(d, "y", ["x"]), method="OLS", names={"x": "slope"})[["term", "n_obs", "method"]]
            term  n_obs method
    0  Intercept      5    OLS
    1      slope      5    OLS
    """
    tb = fit.tidy(alpha=alpha)
    names = dict(names or {})
    out = pd.DataFrame(
        {
            "term": [names.get(str(i), str(i)) for i in tb.index],
            "estimate": tb["Estimate"].to_numpy(dtype=float),
            "std_error": tb["Std. Error"].to_numpy(dtype=float),
            "ci_low": tb.iloc[:, -2].to_numpy(dtype=float),
            "ci_high": tb.iloc[:, -1].to_numpy(dtype=float),
            "p_value": tb["Pr(>|t|)"].to_numpy(dtype=float),
            "n_obs": n_obs(fit),
            "method": method,
        }
    )
    if keep is not None:
        out = out[out["term"].isin(list(keep))]
    return tidy_frame(out)


def linear_combination(fit, weights: Mapping[str, float]) -> tuple[float, float]:
    """Estimate and standard error of ``sum_j weights[j] * b_j`` (coefficient names).

    The variance comes from pyfixest's public ``wald_test`` (see the module docstring).

    Raises
    ------
    ValueError
        A name is not a coefficient of ``fit``.

    Examples
    --------
    >>> d = pd.DataFrame({"y": [1.0, 2.1, 2.9, 4.2, 5.0, 6.1], "x": [0.0, 1.0, 2.0, 3.0, 4.0, 5.0], "z": [1.0, 0.0, 1.0, 0.0, 1.0, 1.0]})
    >>> fit = feols(d, "y", ["x", "z"])
    >>> est, se = linear_combination(fit, {"x": 1.0, "z": -1.0})
    >>> b = tidy(fit, method="OLS").set_index("term")["estimate"]
    >>> bool(np.isclose(est, b["x"] - b["z"])), bool(se > 0)
    (True, True)
    """
    coef = fit.coef()
    names = [str(n) for n in coef.index]
    unknown = [k for k in weights if k not in names]
    if unknown:
        raise ValueError(f"not coefficients of the model: {unknown}; have {names}")
    c = np.array([float(weights.get(n, 0.0)) for n in names])
    est = float(c @ coef.to_numpy(dtype=float))
    w = fit.wald_test(R=c[None, :], q=np.array([est - 1.0]), distribution="chi2")
    stat = float(np.asarray(w["statistic"] if "statistic" in w else w.iloc[0]))
    return est, float(np.sqrt(1.0 / stat)) if stat > 0 else np.nan


def vcov(fit) -> pd.DataFrame:
    """The covariance matrix of the coefficients (named rows and columns).

    Built from :func:`linear_combination`: ``V_jj`` from ``b_j``, ``V_jk`` from
    ``var(b_j + b_k) = V_jj + V_kk + 2 V_jk``.

    >>> d = pd.DataFrame({"y": [1.0, 2.1, 2.9, 4.2, 5.0], "x": [0.0, 1.0, 2.0, 3.0, 4.0]})
    >>> list(vcov(feols(d, "y", ["x"])).columns)
    ['Intercept', 'x']
    """
    names = [str(n) for n in fit.coef().index]
    k = len(names)
    v = np.zeros((k, k))
    for j in range(k):
        v[j, j] = linear_combination(fit, {names[j]: 1.0})[1] ** 2
    for j in range(k):
        for m in range(j + 1, k):
            s = linear_combination(fit, {names[j]: 1.0, names[m]: 1.0})[1] ** 2
            v[j, m] = v[m, j] = (s - v[j, j] - v[m, m]) / 2
    return pd.DataFrame(v, index=names, columns=names)


def contrast(
    data: pd.DataFrame,
    outcome: str,
    regressors: Sequence[str],
    fixed_effects: Sequence[str],
    a: str,
    b: str,
    *,
    cluster: str | None,
    method: str,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """``b_a - b_b`` in ``outcome ~ regressors | fixed_effects`` as one tidy row.

    Refits the model with ``x_b`` replaced by ``x_a + x_b`` (see the module docstring),
    so that pyfixest reports the contrast, its standard error, interval and p-value.
    ``term`` is ``"<a>-<b>"``.

    >>> rng = np.random.default_rng(3)
    >>> d = pd.DataFrame({"a": rng.normal(size=50), "b": rng.normal(size=50), "c": np.arange(50) % 5})
    >>> d["y"] = 1.5 * d["a"] + 0.5 * d["b"] + rng.normal(0, 0.1, 50)
    >>> c = contrast(d, "y", ["a", "b"], ["c"], "a", "b", cluster=None, method="OLS")
    >>> c["term"].iloc[0], round(float(c["estimate"].iloc[0]), 1)
    ('a-b', 1.0)
    """
    if a not in regressors or b not in regressors or a == b:
        raise ValueError(f"a and b must be two different regressors of {list(regressors)}")
    s = "_kinerja_sum"
    d = data.assign(**{s: data[a] + data[b]})
    regs = [s if r == b else r for r in regressors]
    try:
        fit = feols(d, outcome, regs, fixed_effects, cluster=cluster)
    except NotEstimable as exc:  # name the contrast's terms, not the helper column
        facts = {
            k: [f"{a} + {b}" if x == s else x for x in v] if k == "variables" else v
            for k, v in exc.facts.items()
        }
        raise NotEstimable(
            str(exc).replace(s, f"{a} + {b}"), reason=exc.reason, facts=facts
        ) from exc
    return tidy(fit, method=method, alpha=alpha, names={a: f"{a}-{b}"}, keep=[f"{a}-{b}"])
