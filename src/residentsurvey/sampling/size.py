"""Sample size for a target margin of error, and the margin of error a sample gives.

For a proportion :math:`p` the unit variance is :math:`\\sigma^2 = p(1-p)`; for a mean it is
the square of the standard deviation ``sd``. With :math:`z` the normal critical value of the
confidence level, a design effect :math:`d` and a population of :math:`N`, the half-width of
the interval from :math:`n` achieved responses is

.. math::  e = z \\sqrt{d \\, \\frac{\\sigma^2}{n} \\, \\frac{N - n}{N - 1}}

and solving for :math:`n` gives Cochran's (1977, eq. 4.2) size with the design effect:

.. math::  n_0 = \\frac{z^2 \\sigma^2}{e^2}, \\qquad n = \\frac{d\\, n_0}{1 + (d\\, n_0 - 1)/N}.

Addresses to issue are :math:`\\lceil n / r \\rceil` for an expected response rate :math:`r`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import SamplingError
from . import _checks

__all__ = ["SampleSize", "sample_size", "margin_of_error", "plan_sample_sizes"]

_EPS = 1e-9  # sizes within this of a whole number are that number (floating-point noise, not a real shortfall)


@dataclass(frozen=True)
class SampleSize:
    """The sample one council needs: what was asked and what it takes.

    Attributes
    ----------
    margin, level, p, sd, deff, population, response_rate
        The target, as given (``p`` is None for a mean, ``sd`` None for a proportion).
    n_srs
        :math:`n_0 = z^2\\sigma^2/e^2`, the simple random sample from an infinite population.
    achieved
        Responses needed, after the design effect and finite population correction (rounded up).
    addresses
        Addresses to issue for ``achieved`` responses at ``response_rate`` (rounded up).
    margin_achieved
        The margin of error ``achieved`` responses give (at most ``margin``).
    """

    margin: float
    level: float
    p: float | None
    sd: float | None
    deff: float
    population: float | None
    response_rate: float
    n_srs: float
    achieved: int
    addresses: int
    margin_achieved: float


def _z(level: float) -> float:
    from scipy import stats
    return float(stats.norm.ppf(0.5 + level / 2))


def _unit_variance(p: float | None, sd: float | None, margin: float) -> tuple[float, float | None, float | None]:
    if p is not None and sd is not None:
        raise SamplingError("give p (for a proportion) or sd (for a mean), not both.")
    if sd is not None:
        sd = _checks.number(sd, "sd", low=0, low_open=True)
        return sd**2, None, sd
    p = 0.5 if p is None else _checks.number(p, "p", low=0, high=1, low_open=True, high_open=True)
    if margin >= 1:
        raise SamplingError(f"margin={margin:g} is not a share: for a proportion give the margin as a share "
                            f"between 0 and 1 (0.03 for +-3 percentage points).")
    return p * (1 - p), p, None


def _required(n0: np.ndarray, deff: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Responses needed: d·n0 with the finite population correction (population inf: none)."""
    nd = deff * n0
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(np.isinf(population), nd, nd / (1 + (nd - 1) / population))


def _margin(n: np.ndarray, variance: np.ndarray, z: float, deff: np.ndarray, population: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        fpc = np.where(np.isinf(population), 1.0, (population - n) / (population - 1))
        return z * np.sqrt(deff * variance / n * np.clip(fpc, 0, None))


def _ceil(x: np.ndarray) -> np.ndarray:
    return np.ceil(np.asarray(x) - _EPS).astype(np.int64)


def sample_size(margin: float, *, p: float | None = None, sd: float | None = None, level: float = 0.95,
                deff: float = 1.0, population: float | None = None, response_rate: float = 1.0,
                frame_addresses: int | None = None) -> SampleSize:
    """Responses and addresses needed for a margin of error at a confidence level.

    Parameters
    ----------
    margin
        Target half-width of the confidence interval: a share for a proportion (0.03 for
        +-3 percentage points), in the variable's units for a mean.
    p
        Expected proportion (default 0.5, the most demanding value).
    sd
        Standard deviation of the variable, for a mean. Give ``p`` or ``sd``, not both.
    level
        Confidence level (default 0.95).
    deff
        Design effect of the planned design and weighting (1 for simple random sampling).
    population
        Population size (adults) for the finite population correction; None ignores it.
    response_rate
        Expected share of issued addresses that return a questionnaire, in (0, 1].
    frame_addresses
        Addresses in the frame; a plan that needs more is a :class:`SamplingError`.

    Returns
    -------
    SampleSize

    Notes
    -----
    :math:`n_0 = z^2\\sigma^2/e^2` with :math:`\\sigma^2 = p(1-p)` or :math:`sd^2`, then
    :math:`n = d n_0 / (1 + (d n_0 - 1)/N)` (Cochran 1977, eq. 4.2, with the design effect),
    rounded up; addresses :math:`\\lceil n / r \\rceil`. With p = 0.5, e = 0.03 and 95%
    confidence :math:`n_0 = 1.96^2 \\times 0.25 / 0.03^2 = 1067.07`, so 1,068 responses: the
    arithmetic behind the Place Survey's minimum of 1,100 responses for about +-3 points
    (reference/standards.md §1.6; the 1,100 minimum is §2.2, marked unverified there).

    Examples
    --------
    >>> from residentsurvey.sampling import sample_size
    >>> size = sample_size(0.03)
    >>> round(size.n_srs, 2), size.achieved
    (1067.07, 1068)
    >>> sample_size(0.03, deff=1.3, response_rate=0.35, population=84_000).addresses
    3900
    """
    margin = _checks.number(margin, "margin", low=0, low_open=True)
    variance, p, sd = _unit_variance(p, sd, margin)
    level = _checks.level(level)
    deff = _checks.number(deff, "deff", low=0, low_open=True)
    response_rate = _checks.number(response_rate, "response_rate", low=0, high=1, low_open=True,
                                   hint=" It is the expected share of issued addresses that respond, e.g. 0.3.")
    pop = np.inf if population is None else _checks.number(population, "population", low=1, low_open=True)
    z = _z(level)
    n0 = z**2 * variance / margin**2
    achieved = int(_ceil(_required(np.array(n0), np.array(deff), np.array(pop))))
    addresses = int(_ceil(np.array(achieved / response_rate)))
    if frame_addresses is not None:
        available = _checks.count(frame_addresses, "frame_addresses")
        if addresses > available:
            raise SamplingError(_too_big(None, margin, achieved, addresses, response_rate, available))
    return SampleSize(margin=margin, level=level, p=p, sd=sd, deff=deff, population=population,
                      response_rate=response_rate, n_srs=float(n0), achieved=achieved, addresses=addresses,
                      margin_achieved=float(_margin(np.array(achieved, dtype=float), np.array(variance), z,
                                                    np.array(deff), np.array(pop))))


def _too_big(council: object, margin: float, achieved: int, addresses: int, rate: float, available: int) -> str:
    who = f"council {council!r}: " if council is not None else ""
    return (f"{who}a margin of {margin:g} needs {achieved:,} responses, so {addresses:,} addresses at a "
            f"{rate:.0%} response rate, but the frame holds only {available:,} addresses. Accept a wider "
            f"margin, plan for a higher response rate or a smaller design effect, or use another mode.")


def margin_of_error(n: float | np.ndarray, *, p: float | None = None, sd: float | None = None, level: float = 0.95,
                    deff: float = 1.0, population: float | None = None) -> float | np.ndarray:
    """Margin of error (half-width of the interval) that ``n`` achieved responses give.

    Parameters
    ----------
    n
        Achieved responses (a number or an array of them).
    p, sd, level, deff, population
        As :func:`sample_size`.

    Notes
    -----
    :math:`e = z\\sqrt{d\\,\\sigma^2/n \\cdot (N-n)/(N-1)}`, the inverse of :func:`sample_size`
    before rounding. 1,100 responses give +-2.95 points at p = 0.5 (reference/standards.md §1.6).

    Examples
    --------
    >>> from residentsurvey.sampling import margin_of_error
    >>> round(100 * margin_of_error(1100), 2)
    2.95
    >>> round(margin_of_error(400, sd=2.0), 3)
    0.196
    """
    if p is not None and sd is not None:
        raise SamplingError("give p (for a proportion) or sd (for a mean), not both.")
    if sd is not None:
        variance = _checks.number(sd, "sd", low=0, low_open=True) ** 2
    else:
        p = 0.5 if p is None else _checks.number(p, "p", low=0, high=1, low_open=True, high_open=True)
        variance = p * (1 - p)
    sizes = np.asarray(n, dtype=float)
    if np.any(~(sizes > 0)):
        raise SamplingError(f"n must be positive numbers of responses; got {n!r}.")
    pop = np.inf if population is None else _checks.number(population, "population", low=1, low_open=True)
    if np.any(sizes > pop):
        raise SamplingError(f"n={n!r} is larger than the population of {pop:g}.")
    result = _margin(sizes, np.asarray(variance), _z(_checks.level(level)),
                     np.asarray(_checks.number(deff, "deff", low=0, low_open=True)), np.asarray(pop))
    return float(result) if result.ndim == 0 else result


_PLAN_COLUMNS = ("margin", "response_rate", "deff", "p", "sd", "population", "frame_addresses")


def plan_sample_sizes(councils: pd.DataFrame, *, populations: pd.Series | Mapping[str, float] | None = None,
                      margin: float | None = None, response_rate: float | None = None, deff: float | None = None,
                      p: float | None = None, sd: float | None = None, level: float = 0.95,
                      council: str = "council") -> pd.DataFrame:
    """Responses and addresses each council needs, from a table with one row per council.

    Parameters
    ----------
    councils
        One row per council: a ``council`` column and any of ``margin``, ``response_rate``,
        ``deff``, ``p``, ``sd``, ``population`` and ``frame_addresses`` (addresses in that
        council's frame) as columns.
    populations
        Population of each council, keyed by council name (e.g. the ``adults`` rows of
        :func:`residentsurvey.demo_council_populations`), when the table has no ``population``
        column. Every council must be in it.
    margin, response_rate, deff, p, sd
        One value for every council, for what the table has no column for. Giving both a
        column and a keyword is an error. Defaults: response rate 1, deff 1, p 0.5.
    level
        Confidence level (default 0.95).
    council
        Name of the council column.

    Returns
    -------
    pandas.DataFrame
        One row per council: ``council``, ``population``, ``margin``, ``level``, ``deff``,
        ``response_rate``, ``n_srs``, ``achieved``, ``addresses``, ``margin_achieved``.

    Notes
    -----
    Each row is :func:`sample_size`, computed for all councils at once.

    Examples
    --------
    >>> import pandas as pd
    >>> from residentsurvey.sampling import plan_sample_sizes
    >>> table = pd.DataFrame({"council": ["Eastmere", "Northbridge"], "response_rate": [0.40, 0.25]})
    >>> plan = plan_sample_sizes(table, populations={"Eastmere": 62_000, "Northbridge": 248_000}, margin=0.03)
    >>> plan[["council", "achieved", "addresses"]].to_dict("records")
    [{'council': 'Eastmere', 'achieved': 1050, 'addresses': 2625}, {'council': 'Northbridge', 'achieved': 1063, 'addresses': 4252}]
    """
    if not isinstance(councils, pd.DataFrame):
        raise SamplingError(f"councils must be a pandas DataFrame with one row per council; got {type(councils).__name__}.")
    if council not in councils.columns:
        raise SamplingError(f"councils has no {council!r} column; columns are {_checks.names(councils.columns)}.")
    names = councils[council]
    if names.isna().any() or names.duplicated().any():
        dupes = names[names.duplicated()].tolist()
        raise SamplingError(f"council names must be present and unique; found {'duplicates ' + _checks.names(dupes) if dupes else 'a missing name'}.")
    labels = pd.Index(names)
    given = {"margin": margin, "response_rate": response_rate, "deff": deff, "p": p, "sd": sd}
    for name, value in given.items():
        if value is not None and name in councils.columns:
            raise SamplingError(f"{name} is both a column of councils and a keyword; give it one way only.")

    def column(name: str, default: float | None) -> np.ndarray:
        """The column ``name`` as floats, else the keyword's value, else ``default`` (NaN: none)."""
        if name not in councils.columns:
            value = given.get(name)
            value = default if value is None else value
            return np.full(len(labels), np.nan if value is None else float(value))
        raw = councils[name]
        values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
        bad = np.isnan(values) & raw.notna().to_numpy()
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise SamplingError(f"council {labels[row]!r}: {name} is {raw.iloc[row]!r}; expected a number.")
        return np.where(np.isnan(values), np.nan if default is None else default, values)

    if "population" in councils.columns:
        if populations is not None:
            raise SamplingError("population is both a column of councils and the populations table; give it one way only.")
        pop = column("population", None)
    elif populations is not None:
        table = pd.Series(dict(populations)) if isinstance(populations, Mapping) else populations
        if not isinstance(table, pd.Series):
            raise SamplingError(f"populations must be a mapping or a Series keyed by council; got {type(populations).__name__}.")
        missing = [name for name in labels if name not in table.index]
        if missing:
            raise SamplingError(f"councils {_checks.names(missing)} are missing from the population table, which has "
                                f"{_checks.names(table.index)}. Add their populations or correct the names.")
        pop = pd.to_numeric(table.reindex(labels), errors="coerce").to_numpy(dtype=float)
    else:
        pop = np.full(len(labels), np.inf)
    results = []
    margins = column("margin", None)
    if np.isnan(margins).any():
        raise SamplingError("margin is required: give a margin column or margin=0.03 (for +-3 points).")
    rates, deffs, ps, sds = column("response_rate", 1.0), column("deff", 1.0), column("p", None), column("sd", None)
    frames = column("frame_addresses", None)
    for i, name in enumerate(labels):  # validation and the stated-error path run per council; a table has tens of rows
        try:
            size = sample_size(margins[i], p=None if np.isnan(ps[i]) else ps[i], sd=None if np.isnan(sds[i]) else sds[i],
                               level=level, deff=deffs[i], population=None if np.isinf(pop[i]) else pop[i],
                               response_rate=rates[i])
        except SamplingError as error:
            raise SamplingError(f"council {name!r}: {error}") from error
        if not np.isnan(frames[i]) and size.addresses > frames[i]:
            raise SamplingError(_too_big(name, size.margin, size.achieved, size.addresses, size.response_rate,
                                         int(frames[i])))
        results.append({"council": name, "population": np.nan if size.population is None else size.population, "margin": size.margin, "level": size.level,
                        "deff": size.deff, "response_rate": size.response_rate, "n_srs": size.n_srs,
                        "achieved": size.achieved, "addresses": size.addresses,
                        "margin_achieved": size.margin_achieved})
    out = pd.DataFrame(results)
    out["achieved"] = out["achieved"].astype("int64")
    out["addresses"] = out["addresses"].astype("int64")
    return out
