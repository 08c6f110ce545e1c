"""Funnel plot control limits: where an area's estimate sits against the consortium, allowing for its size.

For a share with consortium value p0 the limits at an equivalent simple-random-sample size n are
:math:`p_0 \\pm z\\sqrt{p_0(1-p_0)/n}`; for a mean :math:`\\mu_0 \\pm z\\,\\sigma/\\sqrt{n}`
(Spiegelhalter 2005). An area's equivalent size is its unweighted base divided by its design
effect, so weighting and clustering widen its funnel. The usual limits are 95% and 99.8%
(about 2 and 3 standard errors).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import DesignError

LEVELS = (0.95, 0.998)


def _spread(centre: float, statistic: str, sd: float | None) -> float:
    if statistic == "share":
        if not 0 <= centre <= 1:
            raise DesignError(f"a share's consortium value must lie in [0, 1]; got {centre!r}.")
        return float(np.sqrt(centre * (1 - centre)))
    if statistic == "mean":
        if sd is None or not sd > 0:
            raise DesignError("funnel limits for a mean need sd=, the respondent-level standard deviation.")
        return float(sd)
    raise DesignError(f"statistic={statistic!r} must be 'share' or 'mean'.")


def funnel_limits(centre: float, n: Sequence[float] | np.ndarray, *, statistic: str = "share",
                  sd: float | None = None) -> pd.DataFrame:
    """Control limits around ``centre`` at each equivalent sample size in ``n``.

    Returns
    -------
    pandas.DataFrame
        ``n``, ``lower95``, ``upper95``, ``lower998``, ``upper998`` (shares clipped to [0, 1]).

    Examples
    --------
    >>> funnel_limits(0.5, [100])[["lower95", "upper95"]].round(3).values.tolist()
    [[0.402, 0.598]]
    """
    spread = _spread(centre, statistic, sd)
    sizes = np.asarray(n, dtype=float)
    frame = pd.DataFrame({"n": sizes})
    for level in LEVELS:
        half = stats.norm.ppf(0.5 + level / 2) * spread / np.sqrt(sizes)
        lower, upper = centre - half, centre + half
        if statistic == "share":
            lower, upper = np.clip(lower, 0, 1), np.clip(upper, 0, 1)
        tag = {0.95: "95", 0.998: "998"}[level]
        frame[f"lower{tag}"], frame[f"upper{tag}"] = lower, upper
    return frame


def funnel_position(estimates: Sequence[float] | np.ndarray, n_equivalent: Sequence[float] | np.ndarray, *,
                    centre: float, statistic: str = "share", sd: float | None = None) -> np.ndarray:
    """Where each estimate lies: "within", "above 95%", "below 95%", "above 99.8%" or "below 99.8%"."""
    spread = _spread(centre, statistic, sd)
    theta, n = np.asarray(estimates, dtype=float), np.asarray(n_equivalent, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (theta - centre) / (spread / np.sqrt(n))
    z95, z998 = (stats.norm.ppf(0.5 + level / 2) for level in LEVELS)
    return np.select([np.isnan(z), z > z998, z < -z998, z > z95, z < -z95],
                     ["", "above 99.8%", "below 99.8%", "above 95%", "below 95%"], default="within")
