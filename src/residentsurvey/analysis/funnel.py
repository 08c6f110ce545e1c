"""Funnel plot control limits: where an area's estimate sits against the consortium, allowing for its size.

For a share with consortium value p0 the limits at an equivalent simple-random-sample size n are
:math:`p_0 \\pm z\\sqrt{p_0(1-p_0)/n}`; for a mean :math:`\\mu_0 \\pm z\\,\\sigma/\\sqrt{n}`
(Spiegelhalter 2005). The usual limits are 95% and 99.8% (about 2 and 3 standard errors).

In :func:`residentsurvey.indicators` the funnel answers the same question as the table's
comparison with all councils, on the same basis:

- *the same variance*: a council's equivalent size is :math:`n^* = s^2/\\mathrm{se}_d^2`, where
  :math:`\\mathrm{se}_d` is the standard error of its difference from all councils (allowing for
  the design and for the council being part of all councils) and :math:`s` the spread above, so
  the council lies outside a limit exactly when :math:`|d|/\\mathrm{se}_d` exceeds its z;
- *the same multiplicity rule and level*: with ``comparisons=K`` the limits are Bonferroni limits
  for K councils, :math:`z = \\Phi^{-1}(1 - (1 - \\text{level})/(2K))`, which is the table's rule
  when it adjusts by Bonferroni (the default). Holm and Benjamini-Hochberg cannot be drawn as one
  curve; they call every council outside these limits different, and possibly more.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import DesignError, OptionError

#: The inner limit is drawn at the table's level (95% unless chosen otherwise), the outer at 99.8%.
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


def critical_values(level: float = 0.95, comparisons: int = 1) -> tuple[float, float]:
    """The z of the inner (``level``) and outer (99.8%) limits, Bonferroni-adjusted for ``comparisons``.

    Examples
    --------
    >>> [round(z, 3) for z in critical_values(0.95)]
    [1.96, 3.09]
    >>> [round(z, 3) for z in critical_values(0.95, comparisons=5)]
    [2.576, 3.54]
    """
    from scipy import stats
    if not 0 < level < 1:
        raise OptionError(f"level={level!r} must be strictly between 0 and 1.")
    if isinstance(comparisons, bool) or not isinstance(comparisons, (int, np.integer)) or comparisons < 1:
        raise OptionError(f"comparisons={comparisons!r} must be a whole number of at least 1.")
    inner, outer = (float(stats.norm.ppf(1 - (1 - lv) / (2 * comparisons))) for lv in (level, LEVELS[1]))
    return inner, outer


def level_text(level: float) -> str:
    """``0.95`` as ``"95%"``, ``0.998`` as ``"99.8%"``."""
    return f"{level * 100:.10g}%"


def funnel_limits(centre: float, n: Sequence[float] | np.ndarray, *, statistic: str = "share",
                  sd: float | None = None, level: float = 0.95, comparisons: int = 1) -> pd.DataFrame:
    """Control limits around ``centre`` at each equivalent sample size in ``n``.

    ``lower95``/``upper95`` are the limits at ``level`` (95% by default) and ``lower998``/``upper998``
    at 99.8%, each Bonferroni-adjusted for ``comparisons`` councils (1: unadjusted).

    Returns
    -------
    pandas.DataFrame
        ``n``, ``lower95``, ``upper95``, ``lower998``, ``upper998`` (shares clipped to [0, 1]).

    Examples
    --------
    >>> funnel_limits(0.5, [100])[["lower95", "upper95"]].round(3).values.tolist()
    [[0.402, 0.598]]
    >>> funnel_limits(0.5, [100], comparisons=5)[["lower95", "upper95"]].round(3).values.tolist()
    [[0.371, 0.629]]
    """
    spread = _spread(centre, statistic, sd)
    sizes = np.asarray(n, dtype=float)
    frame = pd.DataFrame({"n": sizes})
    for z, tag in zip(critical_values(level, comparisons), ("95", "998")):
        half = z * spread / np.sqrt(sizes)
        lower, upper = centre - half, centre + half
        if statistic == "share":
            lower, upper = np.clip(lower, 0, 1), np.clip(upper, 0, 1)
        frame[f"lower{tag}"], frame[f"upper{tag}"] = lower, upper
    return frame


def funnel_side(z: Sequence[float] | np.ndarray, *, level: float = 0.95, comparisons: int = 1) -> np.ndarray:
    """Where standardised differences lie: ``"within"``, ``"above 95%"``, ``"below 99.8%"``, ...; ``""`` for NaN.

    Examples
    --------
    >>> funnel_side([0.5, 2.2, -2.7, 4.0]).tolist()
    ['within', 'above 95%', 'below 95%', 'above 99.8%']
    >>> funnel_side([2.2, -2.7], comparisons=5).tolist()
    ['within', 'below 95%']
    """
    inner, outer = critical_values(level, comparisons)
    z = np.asarray(z, dtype=float)
    lv, top = level_text(level), level_text(LEVELS[1])
    return np.select([np.isnan(z), z > outer, z < -outer, z > inner, z < -inner],
                     ["", f"above {top}", f"below {top}", f"above {lv}", f"below {lv}"], default="within")


def funnel_position(estimates: Sequence[float] | np.ndarray, n_equivalent: Sequence[float] | np.ndarray, *,
                    centre: float, statistic: str = "share", sd: float | None = None, level: float = 0.95,
                    comparisons: int = 1) -> np.ndarray:
    """Where each estimate lies: "within", "above 95%", "below 95%", "above 99.8%" or "below 99.8%"."""
    spread = _spread(centre, statistic, sd)
    theta, n = np.asarray(estimates, dtype=float), np.asarray(n_equivalent, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (theta - centre) / (spread / np.sqrt(n))
    return funnel_side(z, level=level, comparisons=comparisons)
