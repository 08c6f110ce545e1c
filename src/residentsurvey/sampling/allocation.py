"""Allocating a total sample across councils or strata, in whole numbers that sum to the total.

Every method gives each unit :math:`h` a weight :math:`a_h`; the allocation is
:math:`\\tilde n_h = \\mathrm{clip}(\\lambda a_h, m_h, M_h)` with :math:`\\lambda` chosen so the
:math:`\\tilde n_h` sum to the total (units held at a bound give their surplus or shortfall to
the others, in proportion to their weights), then rounded by largest remainder within the bounds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from ..errors import SamplingError
from . import _checks

__all__ = ["ALLOCATION_METHODS", "allocate", "largest_remainder"]


def _equal(population: np.ndarray, sd: np.ndarray, power: float) -> np.ndarray:
    """The same sample in every unit: :math:`a_h = 1`."""
    return np.ones_like(population)


def _proportional(population: np.ndarray, sd: np.ndarray, power: float) -> np.ndarray:
    """In proportion to the population: :math:`a_h = N_h` (the same sampling fraction everywhere)."""
    return population


def _neyman(population: np.ndarray, sd: np.ndarray, power: float) -> np.ndarray:
    """Neyman (1934): :math:`a_h = N_h S_h`, the smallest variance of the overall mean for a fixed total."""
    return population * sd


def _power(population: np.ndarray, sd: np.ndarray, power: float) -> np.ndarray:
    """Bankier (1988) power allocation: :math:`a_h = N_h^q\\,CV_h` (``cv`` defaults to 1 in every unit).

    ``q = 0`` gives every unit the same precision (equal allocation when CVs are equal), ``q = 1``
    the best precision for the whole (proportional); ``q = 0.5`` is the usual compromise
    between council-level and consortium-level estimates.
    """
    return population**power * sd


ALLOCATION_METHODS: dict[str, Callable[[np.ndarray, np.ndarray, float], np.ndarray]] = {
    "equal": _equal,
    "proportional": _proportional,
    "neyman": _neyman,
    "power": _power,
}


def largest_remainder(targets: np.ndarray, total: int, *, lower: np.ndarray | None = None,
                      upper: np.ndarray | None = None) -> np.ndarray:
    """Whole numbers within ``[lower, upper]`` that sum to ``total`` and are each within 1 of their target.

    Every unit gets the floor of its target; the units left short get one more each, largest
    fractional part first (ties: first unit first), skipping units already at ``upper``.

    Examples
    --------
    >>> largest_remainder(np.array([2.5, 3.3, 4.2]), 10).tolist()
    [3, 3, 4]
    """
    targets = np.asarray(targets, dtype=float)
    lower = np.zeros(len(targets)) if lower is None else np.asarray(lower, dtype=float)
    upper = np.full(len(targets), np.inf) if upper is None else np.asarray(upper, dtype=float)
    clipped = np.clip(targets, lower, upper)
    base = np.floor(clipped + 1e-9).astype(np.int64)  # 2.9999999999 is 3, not 2 plus a remainder
    short = int(total) - int(base.sum())
    room = base < upper
    if short < 0 or short > int(room.sum()):
        raise SamplingError(f"cannot round {targets.tolist()} to whole numbers summing to {total} within the bounds.")
    fraction = np.where(room, clipped - base, -np.inf)
    order = np.argsort(-fraction, kind="stable")
    base[order[:short]] += 1
    return base


def _solve(weights: np.ndarray, total: int, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """The :math:`\\mathrm{clip}(\\lambda a_h, m_h, M_h)` summing to ``total`` (bisection on λ, then exact)."""
    def filled(lam: float) -> np.ndarray:
        return np.clip(lam * weights, lower, upper)

    low, high = 0.0, 1.0
    while filled(high).sum() < total and high < 1e300:
        high *= 2
    for _ in range(200):
        mid = (low + high) / 2
        if filled(mid).sum() < total:
            low = mid
        else:
            high = mid
    result = filled(high)
    free = (result > lower) & (result < upper) & (weights > 0)
    if free.any():  # the last step exactly: free units share what the bounded ones leave
        rest = total - result[~free].sum()
        result[free] = rest * weights[free] / weights[free].sum()
    return result


def allocate(population: pd.Series | Mapping[str, float], total: int, *, method: str = "proportional",
             sd: pd.Series | Mapping[str, float] | None = None, cv: pd.Series | Mapping[str, float] | None = None,
             power: float = 0.5, minimum: int | pd.Series | Mapping[str, int] = 0,
             maximum: int | pd.Series | Mapping[str, int] | None = None) -> pd.DataFrame:
    """Share ``total`` sample units among councils or strata.

    Parameters
    ----------
    population
        Population (or frame size) of each unit, keyed by its name; ``Series.index.name``
        names the unit column of the result (default ``"stratum"``).
    total
        Sample units to allocate (responses, addresses or clusters).
    method
        ``"equal"``, ``"proportional"`` (default), ``"neyman"`` or ``"power"``
        (see ``ALLOCATION_METHODS``).
    sd
        Standard deviation of the key variable in each unit; required by ``"neyman"``
        (for a proportion, :math:`\\sqrt{p_h(1-p_h)}`).
    cv
        Coefficient of variation of the key variable in each unit, for ``"power"`` (default 1).
    power
        Exponent :math:`q` of ``"power"`` allocation, between 0 and 1.
    minimum, maximum
        Bounds per unit (one number, or one per unit). ``maximum`` never exceeds the unit's
        population, so a unit is never asked for more than it holds.

    Returns
    -------
    pandas.DataFrame
        One row per unit: the unit column, ``population``, ``target`` (the allocation before
        rounding, within the bounds), ``n`` (whole numbers summing to ``total``) and
        ``sampling_fraction`` (``n / population``).

    Notes
    -----
    :math:`\\tilde n_h = \\mathrm{clip}(\\lambda a_h, m_h, M_h)` with :math:`\\sum_h \\tilde n_h = n`,
    where :math:`a_h` is 1 (equal), :math:`N_h` (proportional), :math:`N_h S_h` (Neyman 1934) or
    :math:`N_h^q CV_h` (Bankier 1988, power allocation); then :func:`largest_remainder` within
    the bounds, so each :math:`n_h` is within 1 of :math:`\\tilde n_h`.

    Examples
    --------
    >>> import pandas as pd
    >>> from residentsurvey.sampling import allocate
    >>> adults = pd.Series({"Eastmere": 62_000, "Northbridge": 248_000, "Westhaven": 103_000}, name="adults")
    >>> allocate(adults, 3_000, method="proportional")["n"].tolist()
    [450, 1802, 748]
    >>> allocate(adults, 3_000, method="proportional", minimum=800)["n"].tolist()
    [800, 1400, 800]
    """
    method_fn = _checks.option(ALLOCATION_METHODS, "method", method)
    if isinstance(population, Mapping):
        population = pd.Series(dict(population), dtype=float)
    if not isinstance(population, pd.Series) or len(population) == 0:
        raise SamplingError("population must be a non-empty pandas Series or mapping of unit name to population.")
    if population.index.has_duplicates:
        raise SamplingError(f"population lists {_checks.names(population.index[population.index.duplicated()])} more than once.")
    labels = population.index
    pop = _checks.per_unit(population, labels, "population", default=None)
    if (pop < 0).any():
        raise SamplingError(f"population of {labels[int(np.flatnonzero(pop < 0)[0])]!r} is negative.")
    total = _checks.count(total, "total")
    if method != "neyman" and sd is not None:
        raise SamplingError(f"sd is only used by method='neyman', not {method!r}.")
    if method != "power" and cv is not None:
        raise SamplingError(f"cv is only used by method='power', not {method!r}.")
    if method == "neyman" and sd is None:
        raise SamplingError("method='neyman' needs sd: the standard deviation of the key variable in each unit.")
    if method == "neyman":
        spread = _checks.per_unit(sd, labels, "sd", default=None)
    else:
        spread = _checks.per_unit(cv, labels, "cv", default=1.0)
    if (spread < 0).any():
        raise SamplingError(f"sd/cv of {labels[int(np.flatnonzero(spread < 0)[0])]!r} is negative.")
    power = _checks.number(power, "power", low=0, high=1)
    lower = _checks.per_unit(minimum, labels, "minimum", default=0.0)
    upper = np.minimum(_checks.per_unit(maximum, labels, "maximum", default=np.inf), pop)
    for bound, name in ((lower, "minimum"), (upper, "maximum")):
        finite = bound[np.isfinite(bound)]
        if (finite < 0).any() or not np.all(finite == np.floor(finite)):
            raise SamplingError(f"{name} must be whole numbers of at least 0.")
    crossed = lower > upper
    if crossed.any():
        h = int(np.flatnonzero(crossed)[0])
        raise SamplingError(f"unit {labels[h]!r}: minimum {lower[h]:g} is above its maximum {upper[h]:g} "
                            f"(the maximum is at most its population of {pop[h]:g}).")
    if not lower.sum() <= total <= upper.sum():
        raise SamplingError(f"cannot allocate {total:,} within the bounds: the minimums add to {lower.sum():,.0f} and "
                            f"the maximums (capped at each population) to {upper.sum():,.0f}.")
    weights = method_fn(pop, spread, power)
    if total > lower.sum() and not (weights[upper > lower] > 0).any():
        raise SamplingError(f"method={method!r} gives every unit that could take more a weight of zero; "
                            "check sd/cv and the populations.")
    target = _solve(weights, total, lower, upper)
    n = largest_remainder(target, total, lower=lower, upper=upper)
    with np.errstate(divide="ignore", invalid="ignore"):
        fraction = np.where(pop > 0, n / pop, np.nan)
    result = pd.DataFrame({labels.name or "stratum": labels, "population": pop, "target": target, "n": n,
                           "sampling_fraction": fraction})
    result.attrs.update(method=method, total=total)
    return result
