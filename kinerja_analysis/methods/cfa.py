"""Confirmatory factor analysis: a small maximum-likelihood engine.

Correlated factors, each item loading on one factor, optional multi-group equality
constraints (loadings, intercepts) for measurement invariance; fit indices (χ², CFI, TLI,
RMSEA, SRMR) and standard errors from the information matrix. Written here rather than
taken as a dependency (no maintained Python SEM package reproduces lavaan's multi-group
output); it reproduces lavaan's published Holzinger–Swineford results (tests/test_survey.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize, stats

# --------------------------------------------------------------------------- CFA engine
#
# Model per group g: Sigma = L Phi L' + diag(theta), mu = nu + L alpha.
# Every model matrix element is either a free parameter (index >= 0 into the parameter
# vector; shared indices are equality constraints) or fixed (index -1, value in *_fix).
# ML discrepancy F = log|Sigma| + tr(S Sigma^-1) + (m-mu)' Sigma^-1 (m-mu) - log|S| - p,
# chi2 = sum_g N_g F_g (S with divisor N, as lavaan's likelihood="normal").


@dataclass
class _Moments:
    S: np.ndarray
    m: np.ndarray
    n: int


def _moments(x: np.ndarray) -> _Moments:
    n = x.shape[0]
    m = x.mean(axis=0)
    d = x - m
    return _Moments(S=d.T @ d / n, m=m, n=n)


@dataclass
class _GroupSpec:
    factor: np.ndarray  # item -> factor index
    lam: np.ndarray  # (p,) param idx
    theta: np.ndarray  # (p,)
    phi: np.ndarray  # (k, k) symmetric idx, -1 fixed
    phi_fix: np.ndarray  # (k, k)
    nu: np.ndarray | None = None  # (p,)
    alpha: np.ndarray | None = None  # (k,) idx, -1 fixed at 0


@dataclass
class _Spec:
    groups: list[_GroupSpec]
    n_par: int
    kinds: list[str] = field(default_factory=list)  # per parameter: lam/theta/phi_var/...


def _spec_single(factor: np.ndarray, k: int) -> _Spec:
    return _spec_multi(factor, k, 1, "konfigural", meanstructure=False)


def _spec_multi(
    factor: np.ndarray, k: int, n_groups: int, level: str, *, meanstructure: bool = True
) -> _Spec:
    p = len(factor)
    kinds: list[str] = []

    def new(kind: str, count: int) -> np.ndarray:
        start = len(kinds)
        kinds.extend([kind] * count)
        return np.arange(start, start + count)

    groups = []
    shared_lam = new("lam", p) if level in ("metrik", "skalar") else None
    shared_nu = new("nu", p) if level == "skalar" else None
    for g in range(n_groups):
        lam = shared_lam if shared_lam is not None else new("lam", p)
        theta = new("theta", p)
        phi = -np.ones((k, k), dtype=int)
        phi_fix = np.eye(k)
        free_var = level in ("metrik", "skalar") and g > 0
        for a in range(k):
            if free_var:
                phi[a, a] = new("phi_var", 1)[0]
            for b in range(a):
                phi[a, b] = phi[b, a] = new("phi_cov", 1)[0]
        nu = alpha = None
        if meanstructure:
            nu = shared_nu if shared_nu is not None else new("nu", p)
            alpha = new("alpha", k) if (level == "skalar" and g > 0) else -np.ones(k, dtype=int)
        groups.append(_GroupSpec(factor, lam, theta, phi, phi_fix, nu, alpha))
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


def _objective(x: np.ndarray, spec: _Spec, mom: list[_Moments], k: int, n_tot: int):
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
    mom: list[_Moments]
    matrices: list[dict[str, np.ndarray]]
    chi2: float
    df: int
    converged: bool
    meanstructure: bool

    @property
    def n_tot(self) -> int:
        return sum(m.n for m in self.mom)


def _start(spec: _Spec, mom: list[_Moments], k: int) -> np.ndarray:
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


def _fit_groups(mom: list[_Moments], spec: _Spec, *, meanstructure: bool) -> _Fit:
    k = int(max(g.factor.max() for g in spec.groups)) + 1
    n_tot = sum(m.n for m in mom)
    kinds = np.asarray(spec.kinds)
    bounds = [(1e-6, None) if kd in ("theta", "phi_var") else (None, None) for kd in kinds.tolist()]
    x0 = _start(spec, mom, k)
    res = optimize.minimize(
        _objective,
        x0,
        args=(spec, mom, k, n_tot),
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={"maxiter": 20000, "maxfun": 40000, "ftol": 1e-15, "gtol": 1e-9},
    )
    x = res.x
    # loadings of one factor are identified up to sign: make the factor positive
    for gs in spec.groups:
        for f in range(k):
            idx = gs.lam[gs.factor == f]
            if x[idx].sum() < 0:
                x[idx] = -x[idx]
                # flip covariances with this factor (only when not shared with other factors)
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
    mats = [_build(gs, x, k) for gs in spec.groups]
    return _Fit(x, spec, k, mom, mats, float(n_tot * fval), int(df), converged, meanstructure)


def _information(fit: _Fit) -> np.ndarray:
    """Expected (Fisher) information of the ML estimates, summed over groups."""
    q = fit.spec.n_par
    info = np.zeros((q, q))
    h = 1e-4
    for gs, mm in zip(fit.spec.groups, fit.mom, strict=True):
        base = _build(gs, fit.x, fit.k)
        Si = np.linalg.inv(base["Sigma"])
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


def _srmr(fit: _Fit) -> float:
    vals = []
    for M, mm in zip(fit.matrices, fit.mom, strict=True):
        s_sd = np.sqrt(np.diag(mm.S))
        # Bentler's SRMR: residual covariances scaled by the observed SDs
        e = (mm.S - M["Sigma"]) / np.outer(s_sd, s_sd)
        il = np.tril_indices(len(s_sd))
        vals.append((mm.n, math.sqrt(np.mean(e[il] ** 2))))
    n = sum(v[0] for v in vals)
    return float(sum(v[0] * v[1] for v in vals) / n)


def _fit_indices(fit: _Fit) -> dict[str, float]:
    chi2, df, n, G = fit.chi2, fit.df, fit.n_tot, len(fit.mom)
    chi2_b, df_b = 0.0, 0
    for mm in fit.mom:
        p = len(mm.m)
        chi2_b += mm.n * (np.log(np.diag(mm.S)).sum() - np.linalg.slogdet(mm.S)[1])
        df_b += p * (p - 1) // 2
    p_val = float(stats.chi2.sf(chi2, df)) if df > 0 else np.nan
    denom = max(chi2 - df, chi2_b - df_b, 0.0)
    cfi = 1 - max(chi2 - df, 0.0) / denom if denom > 0 else 1.0
    tli = ((chi2_b / df_b) - (chi2 / df)) / ((chi2_b / df_b) - 1) if df > 0 and df_b > 0 else np.nan
    if df > 0:
        rmsea = math.sqrt(max(chi2 / n / df - 1 / n, 0.0)) * math.sqrt(G)

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
    else:
        rmsea = lo = hi = np.nan
    return {
        "chi2": chi2,
        "df": df,
        "p_value": p_val,
        "cfi": float(min(max(cfi, 0.0), 1.0)),
        "tli": float(tli),
        "rmsea": rmsea,
        "rmsea_ci_low": lo,
        "rmsea_ci_high": hi,
        "srmr": _srmr(fit),
        "chi2_baseline": float(chi2_b),
        "df_baseline": df_b,
        "n_obs": n,
        "n_param": fit.spec.n_par,
        "converged": fit.converged,
    }


@dataclass(frozen=True)
class CfaResult:
    """Confirmatory factor analysis (one factor per construct, correlated factors).

    Attributes
    ----------
    muatan
        ``konstruk, item, estimate, std_error, z, p_value, ci_low, ci_high,
        std_estimate, varians_residual, varians_residual_se, r2`` — ``estimate`` is the
        loading with factor variance fixed at 1; ``std_estimate`` the completely
        standardised loading (lavaan's ``std.all``).
    korelasi_faktor
        ``konstruk_a, konstruk_b, estimate, std_error, ci_low, ci_high``.
    fit
        One row: ``chi2, df, p_value, cfi, tli, rmsea, rmsea_ci_low, rmsea_ci_high, srmr,
        chi2_baseline, df_baseline, n_obs, n_param, converged``.
    omega
        ``konstruk, omega`` from the model's loadings.
    """

    muatan: pd.DataFrame
    korelasi_faktor: pd.DataFrame
    fit: pd.DataFrame
    omega: pd.DataFrame
    method: str = "CFA maximum likelihood (faktor berkorelasi, varians faktor = 1)"

    def tidy(self) -> pd.DataFrame:
        m = self.muatan
        return pd.DataFrame(
            {
                "konstruk": m["konstruk"],
                "term": m["item"],
                "estimate": m["estimate"],
                "std_error": m["std_error"],
                "ci_low": m["ci_low"],
                "ci_high": m["ci_high"],
                "p_value": m["p_value"],
                "n_obs": int(self.fit["n_obs"].iloc[0]),
                "method": self.method,
                "std_estimate": m["std_estimate"],
            }
        )
