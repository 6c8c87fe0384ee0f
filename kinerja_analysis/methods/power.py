"""Minimum detectable effects (MDE) and the sample size needed for a target effect.

Bloom (1995), "Minimum detectable effects: a simple way to report the statistical power
of experimental designs", *Evaluation Review* 19(5):547–556: the smallest true effect a
design detects with probability ``power`` in a test of level ``alpha`` is
``MDE = M × SE(estimate)``, with the multiplier ``M = z_{1-alpha/2} + z_power``
(two-sided; ``z_{1-alpha} + z_power`` one-sided): 2.80 for a two-sided 5% test with 80%
power, 2.49 one-sided (Bloom's table). For a difference between ``n_t`` treated and
``n_c`` comparison units with outcome SD ``sigma`` (Duflo, Glennerster & Kremer 2007,
eq. 7): ``SE = sigma × sqrt(1/n_t + 1/n_c)``. In a difference in differences ``sigma``
is the SD of the outcome's *change* between the two periods compared.

Normal quantiles throughout (the designs here have hundreds of units); the power counts
the far rejection tail as negligible, as Bloom does.

>>> round(multiplier(), 2), round(multiplier(two_sided=False), 2)
(2.8, 2.49)
>>> round(mde_two_groups(1.0, 200, 200), 4)
0.2802
"""

from __future__ import annotations

import math

from scipy import special

__all__ = ["multiplier", "mde", "mde_two_groups", "n_treated_for"]


def _check(alpha: float, power: float) -> None:
    if not 0 < alpha < 1 or not 0 < power < 1:
        raise ValueError(f"alpha and power must be in (0, 1), got {alpha}, {power}")


def multiplier(alpha: float = 0.05, power: float = 0.8, *, two_sided: bool = True) -> float:
    """Bloom's multiplier ``z_{1-alpha/2} + z_power`` (one-sided: ``z_{1-alpha}``).

    >>> round(multiplier(0.05, 0.9), 3)
    3.242
    """
    _check(alpha, power)
    a = alpha / 2 if two_sided else alpha
    return float(special.ndtri(1 - a) + special.ndtri(power))


def mde(
    std_error: float, alpha: float = 0.05, power: float = 0.8, *, two_sided: bool = True
) -> float:
    """Minimum detectable effect of an estimate with standard error ``std_error``.

    >>> round(mde(0.1), 3)
    0.28
    """
    if not std_error >= 0:
        raise ValueError(f"std_error must be non-negative, got {std_error}")
    return multiplier(alpha, power, two_sided=two_sided) * std_error


def mde_two_groups(
    sigma: float,
    n_treated: float,
    n_control: float,
    alpha: float = 0.05,
    power: float = 0.8,
    *,
    two_sided: bool = True,
) -> float:
    """MDE of a difference of means: ``M × sigma × sqrt(1/n_treated + 1/n_control)``.

    >>> round(mde_two_groups(10.0, 100, 400), 2)
    3.13
    """
    if n_treated <= 0 or n_control <= 0 or sigma < 0:
        raise ValueError("group sizes must be positive and sigma non-negative")
    se = sigma * math.sqrt(1 / n_treated + 1 / n_control)
    return mde(se, alpha, power, two_sided=two_sided)


def n_treated_for(
    effect: float,
    sigma: float,
    n_control: float,
    alpha: float = 0.05,
    power: float = 0.8,
    *,
    two_sided: bool = True,
) -> float:
    """Treated units needed so that ``mde_two_groups(sigma, n, n_control) = effect``.

    Solves ``1/n = (effect / (M sigma))^2 - 1/n_control``; ``inf`` when even infinitely
    many treated units would not do (the comparison group is too small for that effect).

    >>> round(n_treated_for(0.2802, 1.0, 200))
    200
    """
    if effect <= 0 or sigma <= 0 or n_control <= 0:
        raise ValueError("effect, sigma and n_control must be positive")
    m = multiplier(alpha, power, two_sided=two_sided)
    inv = (effect / (m * sigma)) ** 2 - 1 / n_control
    return math.inf if inv <= 0 else 1 / inv
