"""Confirmatory factor analysis and measurement invariance by maximum likelihood.

A small, generic engine: each indicator loads on one factor, factors are correlated,
residuals uncorrelated; one group or several with equality constraints (configural,
metric = equal loadings, scalar = equal loadings and intercepts). It knows nothing of
survey instruments: it takes a data matrix (or its moments) and a factor specification.
The survey conventions (constructs, reverse-keyed items, Indonesian tables) are in
:mod:`kinerja_analysis.domain.survey`.

Public API
----------
- :class:`FactorSpec` — which indicator loads on which factor.
- :class:`Moments` / :func:`sample_moments` — covariance (divisor n, as lavaan's
  ``likelihood = "normal"``), means and n of one group.
- :func:`fit_cfa` — one group → :class:`CfaFit`.
- :func:`fit_invariance` — several groups, nested models → :class:`InvarianceResult`.

Estimation is as lavaan 0.6 (the reference: ``tests/data/lavaan/``): factor variances
fixed at 1 (``std.lv = TRUE``) in the first group, ML discrepancy
``F = log|Σ| + tr(SΣ⁻¹) + (m−μ)'Σ⁻¹(m−μ) − log|S| − p``, ``χ² = Σ_g N_g F_g``, standard
errors from the expected information. Variances are **not** bounded (lavaan's default),
so an improper solution — a negative residual variance (a Heywood case), a
standardised loading above 1, or a factor covariance matrix that is not positive
definite — is estimated as lavaan estimates it and flagged (:attr:`CfaFit.improper`,
:attr:`CfaFit.problems`): its reliability (ω, R²) cannot be trusted.

Fit indices: CFI and TLI against the independence model; RMSEA with its 90% interval
from the noncentral χ² and Steiger's multi-group correction (× √G); SRMR as lavaan's
default (``srmr_bentler``): residual covariances scaled by the observed SDs and, for a
model with a mean structure, the mean residuals scaled by the observed SDs, per group,
then weighted by group size. ``srmr_nomean`` leaves the means out (lavaan's
``srmr_bentler_nomean``). Why written here and not a dependency: no maintained Python
package reproduces lavaan's fit measures (``semopy`` defines several differently); this
engine matches lavaan 0.6-14 to 1e-6 or better on every value the tests check.

Example
-------
>>> import numpy as np
>>> rng = np.random.default_rng(1)
>>> f = rng.normal(size=(500, 1))
>>> x = f @ np.full((1, 4), 0.8) + rng.normal(scale=0.6, size=(500, 4))
>>> fit = fit_cfa(x, FactorSpec.from_dict({"F": ["a", "b", "c", "d"]}))
>>> bool(fit.fit["cfi"].iloc[0] > 0.95), fit.improper
(True, False)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize, stats

from kinerja_analysis.core.results import Result, check_tidy, tidy_frame

__all__ = [
    "FactorSpec",
    "Moments",
    "sample_moments",
    "CfaFit",
    "fit_cfa",
    "InvarianceResult",
    "fit_invariance",
    "LEVELS",
]

#: Nested invariance models, in order.
LEVELS: tuple[str, ...] = ("configural", "metric", "scalar")


# --------------------------------------------------------------------------- inputs
@dataclass(frozen=True)
class FactorSpec:
    """Which indicator loads on which factor (each indicator on exactly one).

    ``indicators``: names in the column order of the data; ``factor_of``: index into
    ``factors`` per indicator.
    """

    indicators: tuple[str, ...]
    factors: tuple[str, ...]
    factor_of: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.indicators) != len(self.factor_of):
            raise ValueError("one factor per indicator is needed")
        if len(set(self.indicators)) != len(self.indicators):
            raise ValueError("indicator names must be unique")
        counts = np.bincount(np.asarray(self.factor_of, dtype=int), minlength=len(self.factors))
        if len(counts) != len(self.factors) or (counts < 2).any():
            small = [f for f, c in zip(self.factors, counts, strict=False) if c < 2]
            raise ValueError(f"every factor needs at least 2 indicators: {small}")
        if len(self.factors) == 1 and len(self.indicators) < 3:
            raise ValueError("a one-factor model needs at least 3 indicators")

    @classmethod
    def from_dict(cls, spec: Mapping[str, Sequence[str]]) -> FactorSpec:
        """``{"visual": ["x1", "x2", "x3"], ...}`` → spec (indicators in that order)."""
        factors = tuple(spec)
        ind = tuple(i for f in factors for i in spec[f])
        fo = tuple(k for k, f in enumerate(factors) for _ in spec[f])
        return cls(ind, factors, fo)

    @property
    def factor_index(self) -> np.ndarray:
        return np.asarray(self.factor_of, dtype=int)


@dataclass(frozen=True)
class Moments:
    """Sample moments of one group: covariance ``S`` (divisor n), means ``m``, size ``n``."""

    S: np.ndarray
    m: np.ndarray
    n: int


def sample_moments(x: np.ndarray | pd.DataFrame) -> Moments:
    """Moments of complete rows ``x`` (n × p). Raises ``ValueError`` on missing values.

    >>> m = sample_moments(np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 3.0]]))
    >>> m.n, m.m.tolist(), m.S.round(3).tolist()
    (3, [2.0, 2.0], [[0.667, 0.333], [0.333, 0.667]])
    """
    a = np.asarray(x, dtype=float)
    if a.ndim != 2 or not np.isfinite(a).all():
        raise ValueError("data must be a 2-D array of finite numbers (complete cases)")
    m = a.mean(axis=0)
    d = a - m
    return Moments(S=d.T @ d / a.shape[0], m=m, n=int(a.shape[0]))


# --------------------------------------------------------------------------- model
#
# Per group: Sigma = L Phi L' + diag(theta), mu = nu + L alpha. Every model matrix element
# is a free parameter (index >= 0 into the parameter vector; shared indices are equality
# constraints) or fixed (index -1).


@dataclass
class _GroupSpec:
    factor: np.ndarray
    lam: np.ndarray
    theta: np.ndarray
    phi: np.ndarray
    phi_fix: np.ndarray
    nu: np.ndarray | None = None
    alpha: np.ndarray | None = None


@dataclass
class _Spec:
    groups: list[_GroupSpec]
    n_par: int
    kinds: list[str] = field(default_factory=list)


def _spec(factor: np.ndarray, k: int, n_groups: int, level: str, meanstructure: bool) -> _Spec:
    p = len(factor)
    kinds: list[str] = []

    def new(kind: str, count: int) -> np.ndarray:
        start = len(kinds)
        kinds.extend([kind] * count)
        return np.arange(start, start + count)

    groups = []
    shared_lam = new("lam", p) if level in ("metric", "scalar") else None
    shared_nu = new("nu", p) if level == "scalar" else None
    for g in range(n_groups):
        lam = shared_lam if shared_lam is not None else new("lam", p)
        theta = new("theta", p)
        phi = -np.ones((k, k), dtype=int)
        free_var = level in ("metric", "scalar") and g > 0
        for a in range(k):
            if free_var:
                phi[a, a] = new("phi_var", 1)[0]
            for b in range(a):
                phi[a, b] = phi[b, a] = new("phi_cov", 1)[0]
        nu = alpha = None
        if meanstructure:
            nu = shared_nu if shared_nu is not None else new("nu", p)
            alpha = new("alpha", k) if (level == "scalar" and g > 0) else -np.ones(k, dtype=int)
        groups.append(_GroupSpec(factor, lam, theta, phi, np.eye(k), nu, alpha))
    return _Spec(groups, len(kinds), kinds)


def _build(gs: _GroupSpec, x: np.ndarray, k: int) -> dict[str, np.ndarray]:
    p = len(gs.factor)
    L = np.zeros((p, k))
    L[np.arange(p), gs.factor] = x[gs.lam]
    theta = x[gs.theta]
    Phi = np.where(gs.phi >= 0, x[np.maximum(gs.phi, 0)], gs.phi_fix)
    Sigma = L @ Phi @ L.T + np.diag(theta)
    out = {"L": L, "theta": theta, "Phi": Phi, "Sigma": Sigma}
    if gs.nu is not None:
        al = np.where(gs.alpha >= 0, x[np.maximum(gs.alpha, 0)], 0.0)
        out["alpha"] = al
        out["mu"] = x[gs.nu] + L @ al
    return out


def _objective(x: np.ndarray, spec: _Spec, mom: list[Moments], k: int, n_tot: int):
    f_tot = 0.0
    grad = np.zeros_like(x)
    for gs, mm in zip(spec.groups, mom, strict=True):
        M = _build(gs, x, k)
        Sigma = M["Sigma"]
        try:
            c = np.linalg.cholesky(Sigma)
        except np.linalg.LinAlgError:
            return 1e10, np.zeros_like(x)
        logdet = 2 * np.log(np.diag(c)).sum()
        Si = np.linalg.inv(Sigma)
        p = Sigma.shape[0]
        f = logdet + np.trace(mm.S @ Si) - np.linalg.slogdet(mm.S)[1] - p
        d = np.zeros(p)
        if gs.nu is not None:
            d = mm.m - M["mu"]
            f += d @ Si @ d
        w = mm.n / n_tot
        f_tot += w * f
        W = Si @ (Sigma - mm.S - np.outer(d, d)) @ Si
        L, Phi = M["L"], M["Phi"]
        gL = 2 * W @ L @ Phi
        v = Si @ d
        if gs.nu is not None:
            gL = gL - 2 * np.outer(v, M["alpha"])
        rows = np.arange(p)
        np.add.at(grad, gs.lam, w * gL[rows, gs.factor])
        np.add.at(grad, gs.theta, w * np.diag(W))
        G = L.T @ W @ L
        free = gs.phi >= 0
        # a free covariance sits in both triangle cells, so it collects 2 G_ab
        np.add.at(grad, gs.phi[free], w * G[free])
        if gs.nu is not None:
            np.add.at(grad, gs.nu, w * (-2 * v))
            fa = gs.alpha >= 0
            np.add.at(grad, gs.alpha[fa], w * (-2 * L.T @ v)[fa])
    return f_tot, grad


@dataclass
class _Fit:
    x: np.ndarray
    spec: _Spec
    k: int
    mom: list[Moments]
    matrices: list[dict[str, np.ndarray]]
    chi2: float
    df: int
    converged: bool
    meanstructure: bool

    @property
    def n_tot(self) -> int:
        return sum(m.n for m in self.mom)


def _start(spec: _Spec, mom: list[Moments]) -> np.ndarray:
    x = np.zeros(spec.n_par)
    kinds = np.asarray(spec.kinds)
    for gs, mm in zip(spec.groups, mom, strict=True):
        sd = np.sqrt(np.diag(mm.S))
        x[gs.lam] = 0.7 * sd
        x[gs.theta] = 0.5 * sd**2
        if gs.nu is not None:
            x[gs.nu] = mm.m
    x[kinds == "phi_var"] = 1.0
    return x


def _fit_groups(mom: list[Moments], spec: _Spec, *, meanstructure: bool) -> _Fit:
    k = int(max(g.factor.max() for g in spec.groups)) + 1
    n_tot = sum(m.n for m in mom)
    res = optimize.minimize(
        _objective,
        _start(spec, mom),
        args=(spec, mom, k, n_tot),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": 20000, "maxfun": 40000, "ftol": 1e-15, "gtol": 1e-10},
    )
    x = res.x
    # loadings of one factor are identified up to sign: make the factor positive
    for gs in spec.groups:
        for f in range(k):
            idx = gs.lam[gs.factor == f]
            if x[idx].sum() < 0:
                x[idx] = -x[idx]
                for b in range(k):
                    if b != f and gs.phi[f, b] >= 0:
                        x[gs.phi[f, b]] = -x[gs.phi[f, b]]
                if gs.alpha is not None and gs.alpha[f] >= 0:
                    x[gs.alpha[f]] = -x[gs.alpha[f]]
    fval, grad = _objective(x, spec, mom, k, n_tot)
    p = len(spec.groups[0].factor)
    moments = p * (p + 1) // 2 + (p if meanstructure else 0)
    df = len(mom) * moments - spec.n_par
    converged = bool(res.success) or float(np.max(np.abs(grad))) < 1e-5
    converged = converged and fval < 1e9
    mats = [_build(gs, x, k) for gs in spec.groups]
    return _Fit(x, spec, k, mom, mats, float(n_tot * fval), int(df), converged, meanstructure)


def _information(fit: _Fit) -> np.ndarray:
    """Expected (Fisher) information of the ML estimates, summed over groups."""
    q = fit.spec.n_par
    info = np.zeros((q, q))
    h = 1e-4
    for gs, mm in zip(fit.spec.groups, fit.mom, strict=True):
        Si = np.linalg.inv(_build(gs, fit.x, fit.k)["Sigma"])
        p = Si.shape[0]
        dS = np.zeros((q, p, p))
        dm = np.zeros((q, p))
        for j in range(q):
            xp, xm = fit.x.copy(), fit.x.copy()
            xp[j] += h
            xm[j] -= h
            a, b = _build(gs, xp, fit.k), _build(gs, xm, fit.k)
            dS[j] = (a["Sigma"] - b["Sigma"]) / (2 * h)  # exact: Sigma is quadratic
            if gs.nu is not None:
                dm[j] = (a["mu"] - b["mu"]) / (2 * h)
        E = np.einsum("ab,jbc,cd->jad", Si, dS, Si)
        info += mm.n / 2 * dS.reshape(q, -1) @ E.reshape(q, -1).T
        if gs.nu is not None:
            info += mm.n * dm @ Si @ dm.T
    return info


def _std_errors(fit: _Fit) -> np.ndarray:
    info = _information(fit)
    try:
        cov = np.linalg.inv(info)
    except np.linalg.LinAlgError:
        cov = np.linalg.pinv(info)
    return np.sqrt(np.clip(np.diag(cov), 0, None))


def _srmr(fit: _Fit, with_means: bool) -> float:
    """lavaan's ``srmr_bentler`` (``with_means``) or ``srmr_bentler_nomean``."""
    total = 0.0
    for M, mm in zip(fit.matrices, fit.mom, strict=True):
        s_sd = np.sqrt(np.diag(mm.S))
        e = (mm.S - M["Sigma"]) / np.outer(s_sd, s_sd)
        il = np.tril_indices(len(s_sd))
        res = list(e[il])
        if with_means and fit.meanstructure:
            res += list((mm.m - M["mu"]) / s_sd)
        total += mm.n * math.sqrt(float(np.mean(np.square(res))))
    return float(total / fit.n_tot)


def _rmsea_ci(chi2: float, df: int, n: int, G: int) -> tuple[float, float]:
    def lam_at(prob: float) -> float:
        def f(lam: float) -> float:
            cdf = stats.ncx2.cdf(chi2, df, lam) if lam > 0 else stats.chi2.cdf(chi2, df)
            return float(cdf) - prob

        if f(0.0) < 0:
            return 0.0
        hi = max(chi2, 1.0)
        while f(hi) > 0:
            hi *= 2
        return optimize.brentq(f, 0.0, hi, xtol=1e-10)

    lo = math.sqrt(lam_at(0.95) / (n * df)) * math.sqrt(G)
    hi = math.sqrt(lam_at(0.05) / (n * df)) * math.sqrt(G)
    return lo, hi


def _fit_indices(fit: _Fit) -> dict[str, float]:
    chi2, df, n, G = fit.chi2, fit.df, fit.n_tot, len(fit.mom)
    chi2_b, df_b = 0.0, 0
    for mm in fit.mom:
        p = len(mm.m)
        chi2_b += mm.n * (np.log(np.diag(mm.S)).sum() - np.linalg.slogdet(mm.S)[1])
        df_b += p * (p - 1) // 2
    denom = max(chi2 - df, chi2_b - df_b, 0.0)
    cfi = 1 - max(chi2 - df, 0.0) / denom if denom > 0 else 1.0
    tli = ((chi2_b / df_b) - (chi2 / df)) / ((chi2_b / df_b) - 1) if df > 0 and df_b > 0 else np.nan
    if df > 0:
        rmsea = math.sqrt(max(chi2 / n / df - 1 / n, 0.0)) * math.sqrt(G)
        lo, hi = _rmsea_ci(chi2, df, n, G)
    else:
        rmsea = lo = hi = np.nan
    return {
        "chi2": chi2,
        "df": df,
        "p_value": float(stats.chi2.sf(chi2, df)) if df > 0 else np.nan,
        "cfi": float(min(max(cfi, 0.0), 1.0)),
        "tli": float(tli),
        "rmsea": rmsea,
        "rmsea_ci_low": lo,
        "rmsea_ci_high": hi,
        "srmr": _srmr(fit, with_means=True),
        "srmr_nomean": _srmr(fit, with_means=False),
        "chi2_baseline": float(chi2_b),
        "df_baseline": df_b,
        "n_obs": n,
        "n_groups": G,
        "n_param": fit.spec.n_par,
        "converged": fit.converged,
    }


def _problems(fit: _Fit, names: Sequence[str], factors: Sequence[str]) -> tuple[str, ...]:
    """Improper-solution problems, each ``"<kind>:<name>"`` (lavaan's post-fit checks)."""
    out: list[str] = []
    for M in fit.matrices:
        sig_sd = np.sqrt(np.clip(np.diag(M["Sigma"]), 1e-300, None))
        std = M["L"].sum(axis=1) * np.sqrt(np.diag(M["Phi"])[fit.spec.groups[0].factor]) / sig_sd
        for i, name in enumerate(names):
            if M["theta"][i] < 0:
                out.append(f"negative_residual_variance:{name}")
            if abs(std[i]) > 1:
                out.append(f"standardised_loading_above_1:{name}")
        w = np.linalg.eigvalsh(M["Phi"])
        if w[0] <= 0:
            out.append(f"factor_covariance_not_positive_definite:{','.join(factors)}")
    if not fit.converged:
        out.append("not_converged:model")
    return tuple(dict.fromkeys(out))


# --------------------------------------------------------------------------- one group
@dataclass(frozen=True)
class CfaFit(Result):
    """A fitted CFA (one group).

    Attributes
    ----------
    loadings
        ``factor, indicator, estimate, std_error, z, p_value, ci_low, ci_high,
        std_estimate, residual_variance, residual_variance_se, r2`` — ``estimate`` is
        the loading with the factor variance fixed at 1; ``std_estimate`` the completely
        standardised loading (lavaan's ``std.all``).
    factor_correlations
        ``factor_a, factor_b, estimate, std_error, ci_low, ci_high``.
    fit
        One row: ``chi2, df, p_value, cfi, tli, rmsea, rmsea_ci_low, rmsea_ci_high,
        srmr, srmr_nomean, chi2_baseline, df_baseline, n_obs, n_groups, n_param,
        converged``.
    omega
        ``factor, omega`` (McDonald's ω from the loadings and residual variances).
    problems
        Improper-solution problems (``"negative_residual_variance:y1"``…); empty for a
        proper solution.
    """

    loadings: pd.DataFrame
    factor_correlations: pd.DataFrame
    fit: pd.DataFrame
    omega: pd.DataFrame
    problems: tuple[str, ...] = ()
    method: str = "CFA ML (std.lv)"

    @property
    def improper(self) -> bool:
        """True for an improper solution (Heywood case, non-PD factors, no convergence)."""
        return bool(self.problems)

    def tidy(self) -> pd.DataFrame:
        """Loadings as tidy rows, ``term = "<factor>=~<indicator>"`` (ASCII-safe)."""
        m = self.loadings
        out = pd.DataFrame(
            {
                "term": [_term(f, i) for f, i in zip(m["factor"], m["indicator"], strict=True)],
                "estimate": m["estimate"],
                "std_error": m["std_error"],
                "ci_low": m["ci_low"],
                "ci_high": m["ci_high"],
                "p_value": m["p_value"],
                "n_obs": int(self.fit["n_obs"].iloc[0]),
                "method": self.method,
                "factor": m["factor"],
                "indicator": m["indicator"],
                "std_estimate": m["std_estimate"],
            }
        )
        return check_tidy(tidy_frame(out))

    def glance(self) -> pd.DataFrame:
        """The fit row plus ``improper`` and ``problems``."""
        g = self.fit.copy()
        g["improper"] = self.improper
        g["problems"] = ";".join(self.problems)
        return g


def _term(factor: object, indicator: object) -> str:
    t = f"{factor}=~{indicator}"
    return t if t.isascii() else t.encode("ascii", "backslashreplace").decode("ascii")


def _as_moments(data) -> Moments:
    return data if isinstance(data, Moments) else sample_moments(data)


def fit_cfa(
    data: np.ndarray | pd.DataFrame | Moments,
    spec: FactorSpec,
    *,
    ci: float = 0.95,
) -> CfaFit:
    """Fit the one-group CFA ``spec`` to ``data`` (n × p, complete rows) or its moments.

    Columns of ``data`` are the indicators in ``spec.indicators`` order. No mean
    structure (means are saturated in a one-group model; χ² and the loadings do not
    change).

    Raises
    ------
    ValueError
        Shapes do not match, missing values, ``ci`` not in (0, 1), or too few
        observations (n must exceed the number of indicators).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> f = rng.normal(size=(300, 2))
    >>> x = np.column_stack([f[:, 0] + rng.normal(0, 0.6, 300) for _ in range(3)] + [f[:, 1] + rng.normal(0, 0.6, 300) for _ in range(3)])
    >>> spec = FactorSpec.from_dict({"a": ["x1", "x2", "x3"], "b": ["x4", "x5", "x6"]})
    >>> fit = fit_cfa(x, spec)
    >>> fit.fit[["df"]].values.tolist(), bool(fit.fit["cfi"].iloc[0] > 0.95)
    ([[8]], True)
    """
    if not 0 < ci < 1:
        raise ValueError(f"ci must be in (0, 1), got {ci}")
    mom = _as_moments(data)
    p = len(spec.indicators)
    if mom.S.shape != (p, p):
        raise ValueError(f"data has {mom.S.shape[0]} columns, the model {p} indicators")
    if mom.n <= p:
        raise ValueError(f"too few observations ({mom.n}) for {p} indicators")
    factor = spec.factor_index
    k = len(spec.factors)
    ms = _spec(factor, k, 1, "configural", meanstructure=False)
    fit = _fit_groups([mom], ms, meanstructure=False)
    se = _std_errors(fit)
    gs, M = ms.groups[0], fit.matrices[0]
    lam, lam_se = fit.x[gs.lam], se[gs.lam]
    sig_sd = np.sqrt(np.clip(np.diag(M["Sigma"]), 1e-300, None))
    std = lam * np.sqrt(np.diag(M["Phi"])[factor]) / sig_sd
    zc = stats.norm.ppf(1 - (1 - ci) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = lam / lam_se
    loadings = pd.DataFrame(
        {
            "factor": [spec.factors[f] for f in factor],
            "indicator": list(spec.indicators),
            "estimate": lam,
            "std_error": lam_se,
            "z": z,
            "p_value": 2 * stats.norm.sf(np.abs(z)),
            "ci_low": lam - zc * lam_se,
            "ci_high": lam + zc * lam_se,
            "std_estimate": std,
            "residual_variance": fit.x[gs.theta],
            "residual_variance_se": se[gs.theta],
            "r2": std**2,
        }
    )
    cor = []
    for a in range(k):
        for b in range(a):
            j = gs.phi[a, b]
            cor.append(
                {
                    "factor_a": spec.factors[b],
                    "factor_b": spec.factors[a],
                    "estimate": fit.x[j],
                    "std_error": se[j],
                    "ci_low": fit.x[j] - zc * se[j],
                    "ci_high": fit.x[j] + zc * se[j],
                }
            )
    om = []
    for f, name in enumerate(spec.factors):
        sel = factor == f
        s = lam[sel].sum() ** 2
        om.append({"factor": name, "omega": float(s / (s + fit.x[gs.theta][sel].sum()))})
    cols = ["factor_a", "factor_b", "estimate", "std_error", "ci_low", "ci_high"]
    return CfaFit(
        loadings,
        pd.DataFrame(cor, columns=cols),
        pd.DataFrame([_fit_indices(fit)]),
        pd.DataFrame(om),
        _problems(fit, spec.indicators, spec.factors),
    )


# --------------------------------------------------------------------------- invariance
@dataclass(frozen=True)
class InvarianceResult(Result):
    """Nested multi-group models (:func:`fit_invariance`).

    ``table``: one row per model: ``model, chi2, df, p_value, cfi, tli, rmsea, srmr,
    srmr_nomean, n_obs, n_groups, converged, improper, delta_chi2, delta_df, p_delta,
    delta_cfi, delta_rmsea, delta_srmr, verdict``. ``verdict`` for the configural model
    is ``"pattern_holds"`` (CFI ≥ 0.90 and RMSEA ≤ 0.08) or ``"pattern_differs"``; for
    a constrained model ``"invariant"`` (ΔCFI ≥ ``cut_cfi`` and ΔRMSEA ≤ ``cut_rmsea``
    relative to the previous model) or ``"not_invariant"``.
    """

    table: pd.DataFrame
    groups: tuple[str, ...]
    problems: tuple[str, ...] = ()

    def tidy(self) -> pd.DataFrame:
        """One row per model: the χ² difference test against the previous model."""
        t = self.table
        out = pd.DataFrame(
            {
                "term": t["model"],
                "estimate": t["delta_chi2"],
                "std_error": np.nan,
                "ci_low": np.nan,
                "ci_high": np.nan,
                "p_value": t["p_delta"],
                "n_obs": t["n_obs"],
                "method": "multi-group CFA ML, chi2 difference",
                "chi2": t["chi2"],
                "df": t["df"],
                "cfi": t["cfi"],
                "rmsea": t["rmsea"],
                "srmr": t["srmr"],
                "verdict": t["verdict"],
            }
        )
        return check_tidy(tidy_frame(out))

    def glance(self) -> pd.DataFrame:
        """Groups compared and the furthest level reached."""
        ok = [m for m, v in zip(self.table["model"], self.table["verdict"], strict=True)]
        return pd.DataFrame(
            [
                {
                    "n_groups": len(self.groups),
                    "models": ",".join(ok),
                    "improper": bool(self.problems),
                }
            ]
        )


def fit_invariance(
    groups: Mapping[str, np.ndarray | pd.DataFrame | Moments],
    spec: FactorSpec,
    *,
    levels: Sequence[str] = LEVELS,
    cut_cfi: float = -0.010,
    cut_rmsea: float = 0.015,
) -> InvarianceResult:
    """Measurement invariance across ``groups`` (name → data or moments) by nested models.

    Identification: factor variances 1 and factor means 0 in the first group; with equal
    loadings the other groups' factor variances are free, with equal intercepts their
    factor means are free (lavaan's ``group.equal``). The verdict follows the change in
    fit: ΔCFI ≥ −0.01 (Cheung & Rensvold 2002, *SEM* 9(2):233–255) with ΔRMSEA ≤ 0.015
    (Chen 2007, *SEM* 14(3):464–504; Chen also suggests ΔSRMR ≤ 0.030 for metric and
    ≤ 0.010 for scalar invariance, reported as ``delta_srmr``). The Δχ² test is
    reported too. RMSEA uses Steiger's multi-group correction (× √G) as lavaan does.

    Raises
    ------
    ValueError
        Unknown level, fewer than 2 groups, or a group with too few observations.

    Examples
    --------
    >>> rng = np.random.default_rng(5)
    >>> groups = {k: rng.normal(size=(200, 1)) @ np.ones((1, 3)) + rng.normal(0, 0.7, (200, 3)) for k in ("L", "P")}
    >>> r = fit_invariance(groups, FactorSpec(("x1", "x2", "x3"), ("f",), (0, 0, 0)))
    >>> r.tidy()["term"].tolist()
    ['configural', 'metric', 'scalar']
    """
    bad = [lv for lv in levels if lv not in LEVELS]
    if bad or not levels:
        raise ValueError(f"levels must be a subset of {LEVELS}, got {list(levels)}")
    if len(groups) < 2:
        raise ValueError("invariance needs at least 2 groups")
    names = tuple(str(g) for g in groups)
    mom = [_as_moments(v) for v in groups.values()]
    p = len(spec.indicators)
    for nm, m in zip(names, mom, strict=True):
        if m.n <= p:
            raise ValueError(f"group {nm!r} has {m.n} observations for {p} indicators")
    order = [lv for lv in LEVELS if lv in levels]
    k = len(spec.factors)
    rows, problems = [], []
    prev = None
    for lvl in order:
        fit = _fit_groups(mom, _spec(spec.factor_index, k, len(mom), lvl, True), meanstructure=True)
        fi = _fit_indices(fit)
        pr = _problems(fit, spec.indicators, spec.factors)
        problems += [f"{lvl}:{x}" for x in pr]
        row = {k_: fi[k_] for k_ in ("chi2", "df", "p_value", "cfi", "tli", "rmsea", "srmr")}
        row = {"model": lvl, **row, "srmr_nomean": fi["srmr_nomean"], "n_obs": fi["n_obs"]}
        row.update(n_groups=len(mom), converged=fi["converged"], improper=bool(pr))
        if prev is None:
            holds = fi["cfi"] >= 0.90 and fi["rmsea"] <= 0.08
            row.update(
                delta_chi2=np.nan,
                delta_df=np.nan,
                p_delta=np.nan,
                delta_cfi=np.nan,
                delta_rmsea=np.nan,
                delta_srmr=np.nan,
                verdict="pattern_holds" if holds else "pattern_differs",
            )
        else:
            dchi, ddf = fi["chi2"] - prev["chi2"], fi["df"] - prev["df"]
            dcfi, drm = fi["cfi"] - prev["cfi"], fi["rmsea"] - prev["rmsea"]
            row.update(
                delta_chi2=dchi,
                delta_df=ddf,
                p_delta=float(stats.chi2.sf(max(dchi, 0.0), ddf)) if ddf > 0 else np.nan,
                delta_cfi=dcfi,
                delta_rmsea=drm,
                delta_srmr=fi["srmr"] - prev["srmr"],
                verdict="invariant" if dcfi >= cut_cfi and drm <= cut_rmsea else "not_invariant",
            )
        rows.append(row)
        prev = fi
    return InvarianceResult(pd.DataFrame(rows), names, tuple(problems))
