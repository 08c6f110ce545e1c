"""Rank intervals: the ranks each area could hold given the uncertainty, instead of a bare league table.

Rank 1 is the best position: the highest estimate, or the lowest where ``polarity="lower_is_better"``
(anxiety, for instance); with ``"neutral"`` (no direction is better) rank 1 is the highest. Methods
(``RANK_METHODS``):

- ``"joint"`` (default): Bonferroni-simultaneous intervals for all K(K-1)/2 pairwise
  differences; area *i*'s rank interval runs from 1 + (number of areas significantly above it)
  to K - (number significantly below it). The intervals hold for all areas at once with
  probability at least ``level`` (Klein, Wright and Wieczorek 2020).
- ``"marginal"``: the same with Bonferroni over each area's K-1 comparisons only: each area's
  interval holds with probability at least ``level`` on its own.
- ``"simulation"``: percentiles of the ranks in draws from independent normal distributions
  N(estimate, se²) (Goldstein and Spiegelhalter 1996), seeded.

The joint and marginal intervals answer "which councils does this one differ from?", comparing
councils with each other; they are not the comparison of a council with all councils (see
:mod:`residentsurvey.analysis.consortium`), so a council can differ from all councils while its
rank interval still spans every position.

Estimates are taken as independent (councils are sampled and weighted separately). The point
rank always lies within its interval.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import DesignError, OptionError
from ..questionnaire.registries import POLARITIES

RANK_METHODS = {
    "joint": "Bonferroni-simultaneous pairwise comparisons; intervals hold for all areas together",
    "marginal": "Bonferroni over each area's own comparisons; each interval holds on its own",
    "simulation": "percentiles of simulated ranks (independent normal draws)",
}


def _point_ranks(estimates: np.ndarray) -> np.ndarray:
    """1 for the highest estimate; ties share the best (lowest) rank."""
    from scipy import stats
    return stats.rankdata(-estimates, method="min").astype(int)


def rank_intervals(estimates: Sequence[float] | np.ndarray, se: Sequence[float] | np.ndarray, *,
                   level: float = 0.95, method: str = "joint", draws: int = 20_000,
                   seed: int = 2026, polarity: str = "neutral") -> pd.DataFrame:
    """Point ranks and rank intervals (1 = best) for estimates with standard errors.

    Missing estimates (e.g. suppressed) get no rank and do not count among the others.
    ``polarity`` (from :data:`~residentsurvey.questionnaire.POLARITIES`) says which end is best:
    ``"higher_is_better"`` and ``"neutral"`` rank the highest estimate 1, ``"lower_is_better"``
    the lowest.

    Returns
    -------
    pandas.DataFrame
        ``rank``, ``rank_lower``, ``rank_upper`` (nullable integers), one row per estimate.

    Examples
    --------
    >>> rank_intervals([0.80, 0.79, 0.60], [0.01, 0.01, 0.01]).to_dict("list")
    {'rank': [1, 2, 3], 'rank_lower': [1, 1, 3], 'rank_upper': [2, 2, 3]}
    >>> rank_intervals([0.80, 0.79, 0.60], [0.01, 0.01, 0.01], polarity="lower_is_better")["rank"].tolist()
    [3, 2, 1]
    """
    from scipy import stats
    if method not in RANK_METHODS:
        raise OptionError.unknown("method", method, RANK_METHODS)
    if polarity not in POLARITIES:
        raise OptionError.unknown("polarity", polarity, POLARITIES)
    if not 0 < level < 1:
        raise OptionError(f"level={level!r} must be strictly between 0 and 1.")
    theta, s = np.asarray(estimates, dtype=float), np.asarray(se, dtype=float)
    if polarity == "lower_is_better":
        theta = -theta  # rank 1 = the lowest estimate; the intervals are symmetric in direction
    if theta.shape != s.shape:
        raise DesignError(f"estimates and se differ in length ({len(theta)} and {len(s)}).")
    present = ~(np.isnan(theta) | np.isnan(s))
    result = pd.DataFrame({key: pd.array([pd.NA] * len(theta), dtype="Int64")
                           for key in ("rank", "rank_lower", "rank_upper")})
    k = int(present.sum())
    if k == 0:
        return result
    t, e = theta[present], s[present]
    rank = _point_ranks(t)
    if k == 1:
        lower = upper = np.ones(1, dtype=int)
    elif method == "simulation":
        rng = np.random.default_rng(seed)
        sims = rng.standard_normal((draws, k)) * e + t
        ranks = np.argsort(np.argsort(-sims, axis=1), axis=1) + 1
        alpha = 1 - level
        lower = np.floor(np.quantile(ranks, alpha / 2, axis=0, method="lower")).astype(int)
        upper = np.ceil(np.quantile(ranks, 1 - alpha / 2, axis=0, method="higher")).astype(int)
        lower, upper = np.minimum(lower, rank), np.maximum(upper, rank)
    else:
        comparisons = k * (k - 1) / 2 if method == "joint" else k - 1
        z = stats.norm.ppf(1 - (1 - level) / (2 * comparisons))
        diff = t[None, :] - t[:, None]                     # diff[i, j] = theta_j - theta_i
        sd = np.sqrt(e[None, :] ** 2 + e[:, None] ** 2)
        above = (diff - z * sd > 0).sum(axis=1)            # areas significantly higher than i
        below = (diff + z * sd < 0).sum(axis=1)            # areas significantly lower than i
        lower, upper = 1 + above, k - below
    result.loc[present, "rank"] = rank
    result.loc[present, "rank_lower"] = lower
    result.loc[present, "rank_upper"] = upper
    return result
