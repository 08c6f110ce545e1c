"""Confidence intervals, looked up by name.

``MEAN_CI_METHODS`` serve means, totals and ratios; ``PROPORTION_CI_METHODS`` serve
proportions and follow R's ``svyciprop`` (survey 4.1), whose intervals use a t critical value
with the design's degrees of freedom (PSUs minus strata of the domain). Every function takes
arrays and works on all domains at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..errors import OptionError


@dataclass(frozen=True)
class IntervalInputs:
    """What an interval method may use, one value per estimate.

    ``df`` are design degrees of freedom; ``n_rows`` the rows of the domain (R's
    ``nrow(design)`` for the Korn-Graubard correction); ``n_base`` the respondents with a value
    and non-zero weight; ``n_kish`` Kish's effective sample size, used where the design-based
    effective size is undefined (an estimate of exactly 0 or 1).
    """

    estimate: np.ndarray
    se: np.ndarray
    level: float
    df: np.ndarray
    n_rows: np.ndarray
    n_base: np.ndarray
    n_kish: np.ndarray
    se_logit: np.ndarray | None = None  # SE of logit(estimate) from replicates (None: delta method)


Interval = tuple[np.ndarray, np.ndarray]


def _z(level: float) -> float:
    from scipy import stats
    return float(stats.norm.ppf(0.5 + level / 2))


def _t(level: float, df: np.ndarray) -> np.ndarray:
    """t critical value; NaN where df <= 0 (R gives NaN intervals there), normal where df is infinite."""
    from scipy import stats
    df = np.asarray(df, dtype=float)
    with np.errstate(invalid="ignore"):
        value = stats.t.ppf(0.5 + level / 2, np.where(df > 0, df, np.nan))
    return np.where(np.isinf(df), _z(level), value)


def wald(x: IntervalInputs) -> Interval:
    """Normal-theory interval, estimate ± z·se (R's ``confint()`` of ``svymean``/``svytotal``)."""
    half = _z(x.level) * x.se
    return x.estimate - half, x.estimate + half


def t_interval(x: IntervalInputs) -> Interval:
    """estimate ± t·se with the domain's design degrees of freedom (svyciprop ``method="mean"``)."""
    half = _t(x.level, x.df) * x.se
    return x.estimate - half, x.estimate + half


def logit(x: IntervalInputs) -> Interval:
    """Wald interval on the logit scale, back-transformed (svyciprop ``"logit"`` and ``"xlogit"``)."""
    from scipy import special
    p = x.estimate
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = special.logit(p)
        se = x.se / (p * (1 - p)) if x.se_logit is None else x.se_logit
        half = _t(x.level, x.df) * se
    return special.expit(centre - half), special.expit(centre + half)


def asin(x: IntervalInputs) -> Interval:
    """Wald interval for arcsin(sqrt(p)), back-transformed (svyciprop ``"asin"``).

    Unlike R, the transformed limits are kept within [0, pi/2] before squaring their sine, so a
    lower limit never folds back above zero.
    """
    p = x.estimate
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = np.arcsin(np.sqrt(p))
        half = _t(x.level, x.df) * x.se / (2 * np.sqrt(p * (1 - p)))
    lower = np.clip(centre - half, 0, np.pi / 2)
    upper = np.clip(centre + half, 0, np.pi / 2)
    return np.sin(lower) ** 2, np.sin(upper) ** 2


def _design_effective_n(x: IntervalInputs) -> np.ndarray:
    """p(1-p)/var, with Kish's effective n where that is 0/0 (p of 0 or 1)."""
    p = x.estimate
    with np.errstate(divide="ignore", invalid="ignore"):
        n_eff = p * (1 - p) / x.se**2
    return np.where(np.isfinite(n_eff) & (n_eff > 0), n_eff, x.n_kish)


def beta(x: IntervalInputs) -> Interval:
    """Korn and Graubard (1998) Clopper-Pearson interval with effective sample size (svyciprop ``"beta"``).

    The effective size p(1-p)/var is multiplied by (t_{n-1}/t_df)^2, n being the domain's rows,
    as R does. Where p is 0 or 1 the limits are 0 or 1 and Kish's effective size is used.
    """
    from scipy import stats
    p = x.estimate
    alpha = 1 - x.level
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        adjust = (stats.t.ppf(alpha / 2, np.maximum(x.n_rows - 1, 1)) / stats.t.ppf(alpha / 2, np.where(x.df > 0, x.df, np.nan))) ** 2
        n_eff = _design_effective_n(x) * adjust
        lower = np.where(p > 0, stats.beta.ppf(alpha / 2, n_eff * p, n_eff * (1 - p) + 1), 0.0)
        upper = np.where(p < 1, stats.beta.ppf(1 - alpha / 2, n_eff * p + 1, n_eff * (1 - p)), 1.0)
    nan = np.isnan(p) | np.isnan(adjust)
    return np.where(nan, np.nan, lower), np.where(nan, np.nan, upper)


def likelihood(x: IntervalInputs) -> Interval:
    """Profile-likelihood interval of the quasi-binomial intercept model (svyciprop ``"likelihood"``).

    Solves :math:`2\\,\\mathrm{KL}(\\hat p \\| \\mu) = t^2_{df} \\, \\frac{n}{n-1} \\, \\frac{v}{\\hat p(1-\\hat p)}`
    for the two roots :math:`\\mu`, which is the equation R's ``confint.svyglm(method="likelihood")``
    approximates by a spline through a coarse profile; the two agree to about 1e-5.
    """
    from scipy import special
    p = np.asarray(x.estimate, dtype=float)
    n = x.n_base
    with np.errstate(divide="ignore", invalid="ignore"):
        target = _t(x.level, x.df) ** 2 * (n / (n - 1)) * x.se**2 / (p * (1 - p))
    ok = np.isfinite(target) & (p > 0) & (p < 1)
    lower = np.full(p.shape, np.nan)
    upper = np.full(p.shape, np.nan)
    if ok.any():
        pk, tk = p[ok], target[ok]
        lower[ok] = _kl_root(pk, tk, low=np.full(pk.shape, -40.0), high=special.logit(pk))
        upper[ok] = _kl_root(pk, tk, low=special.logit(pk), high=np.full(pk.shape, 40.0))
    return lower, upper


def _kl_root(p: np.ndarray, target: np.ndarray, *, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Vectorised bisection on the logit scale for 2·KL(p||mu) = target, one root per bracket."""
    from scipy import special

    def excess(eta: np.ndarray) -> np.ndarray:
        mu = special.expit(eta)
        return 2 * (special.xlogy(p, p / mu) + special.xlogy(1 - p, (1 - p) / (1 - mu))) - target

    below = excess(low) > 0  # the side of the bracket where the divergence exceeds the target
    for _ in range(200):
        mid = (low + high) / 2
        over = excess(mid) > 0
        go_low = over == below
        low = np.where(go_low, mid, low)
        high = np.where(go_low, high, mid)
        if np.all(high - low < 1e-14):
            break
    return special.expit((low + high) / 2)


def wilson(x: IntervalInputs) -> Interval:
    """Wilson score interval with the design-based effective sample size p(1-p)/var.

    Critical value from t with the design degrees of freedom, as the svyciprop methods use.
    """
    p = x.estimate
    n = _design_effective_n(x)
    z = _t(x.level, x.df)
    with np.errstate(divide="ignore", invalid="ignore"):
        denominator = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denominator
        half = z / denominator * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    return centre - half, centre + half


def _boundary_beta(method: Callable[[IntervalInputs], Interval]) -> Callable[[IntervalInputs], Interval]:
    """Where the estimate is exactly 0 or 1 (standard error 0), use the Korn-Graubard limits.

    The logit, asin and likelihood intervals are undefined there (R gives NaN or a point);
    a council where every respondent agreed still deserves an honest interval.
    """

    def interval(x: IntervalInputs) -> Interval:
        lower, upper = method(x)
        edge = (x.estimate == 0) | (x.estimate == 1)
        if edge.any():
            beta_lower, beta_upper = beta(x)
            lower, upper = np.where(edge, beta_lower, lower), np.where(edge, beta_upper, upper)
        return lower, upper

    interval.__name__ = method.__name__
    interval.__doc__ = method.__doc__
    return interval


MEAN_CI_METHODS: dict[str, Callable[[IntervalInputs], Interval]] = {
    "wald": wald,
    "t": t_interval,
}

PROPORTION_CI_METHODS: dict[str, Callable[[IntervalInputs], Interval]] = {
    "logit": _boundary_beta(logit),
    "wald": wald,
    "likelihood": _boundary_beta(likelihood),
    "asin": _boundary_beta(asin),
    "beta": beta,
    "mean": t_interval,
    "xlogit": _boundary_beta(logit),
    "wilson": wilson,
}


def lookup(registry: dict[str, Callable[[IntervalInputs], Interval]], name: str) -> Callable[[IntervalInputs], Interval]:
    """The interval function called ``name``; an :class:`OptionError` listing the valid names otherwise."""
    try:
        return registry[name]
    except (KeyError, TypeError):
        raise OptionError.unknown("ci_method", name, registry) from None


def check_level(level: float) -> float:
    """Validate a confidence level (strictly between 0 and 1)."""
    if not isinstance(level, (int, float)) or not 0 < level < 1:
        raise OptionError(f"level={level!r} must be a number strictly between 0 and 1, e.g. 0.95.")
    return float(level)
