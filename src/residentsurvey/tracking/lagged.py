"""Lead indicators: does one indicator's level in earlier windows go with another's level later?

``rs.lagged_association(tracker, leading, outcome, lags=...)`` pairs each council's estimate of
``leading`` in window *t* with its estimate of ``outcome`` in window *t + lag* and gives the
Pearson correlation over those pairs.

The interval is design-aware in two ways, both approximate and documented here:

1. **Sampling error of the estimates.** Each council estimate is redrawn from
   :math:`N(\\hat\\theta, \\mathrm{SE}^2)` (``draws`` times, seeded), so noisy estimates widen the
   interval (estimates are drawn independently; windows that share respondents are in truth
   correlated, which is one more reason for caution).
2. **Few councils.** The councils, not the council-window pairs, are the independent units, so
   each draw's Fisher :math:`z = \\operatorname{atanh}(r)` gets normal noise with variance
   :math:`1/(K - 3)` for *K* councils. With :math:`K \\le 3` there is no interval.

The interval is the central ``level`` share of :math:`\\tanh` of those draws. Association across a
handful of councils is weak evidence of prediction (confounding by place, regression to the mean,
shared trends): a :class:`~residentsurvey.WeakEvidenceWarning` says so whenever fewer than 20
councils are compared, and the ``evidence`` column repeats it beside the numbers.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..analysis.intervals import check_level
from ..errors import DesignError, WeakEvidenceWarning

if TYPE_CHECKING:
    from .rolling import Tracker

#: Fewer councils than this and the association is flagged as weak evidence.
FEW_COUNCILS = 20

LAGGED_COLUMNS = ("leading", "outcome", "lag", "pairs", "councils", "correlation", "ci_lower", "ci_upper", "level",
                  "evidence")


def _matrix(tracker: "Tracker", indicator: str, column: str) -> np.ndarray:
    """(window, council) array of ``column`` for ``indicator``'s council rows."""
    table = tracker.table
    rows = table[(table["indicator"] == indicator) & (table["area_type"] == "council")]
    if rows.empty:
        known = sorted(table["indicator"].unique())
        raise DesignError(f"indicator {indicator!r} is not in the tracker; it has {known}.")
    position = {w.label: k for k, w in enumerate(tracker.windows)}
    area = {a: k for k, a in enumerate(tracker.areas)}
    out = np.full((len(tracker.windows), len(tracker.areas)), np.nan)
    out[rows["window"].map(position).to_numpy(), rows["area"].map(area).to_numpy()] = rows[column].to_numpy(float)
    return out


def _correlation(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pearson correlation of each row of x with the same row of y."""
    xc = x - x.mean(axis=-1, keepdims=True)
    yc = y - y.mean(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (xc * yc).sum(axis=-1) / np.sqrt((xc**2).sum(axis=-1) * (yc**2).sum(axis=-1))


def lagged_association(tracker: "Tracker", leading: str, outcome: str, *, lags: int | Sequence[int] = (1,),
                       level: float = 0.95, draws: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Correlation across councils of ``leading`` in window t with ``outcome`` in window t + lag.

    Parameters
    ----------
    tracker
        From :func:`residentsurvey.rolling`.
    leading, outcome
        Indicator ids in the tracker.
    lags
        Lags in windows (with ``window=1``, in periods). Use lags of at least the window length so
        that the paired windows share no respondents.
    level
        Interval level.
    draws, seed
        Monte Carlo draws for the interval (see the module notes) and their seed.

    Returns
    -------
    pandas.DataFrame
        One row per lag: columns ``leading``, ``outcome``, ``lag``, ``pairs`` (council-window pairs
        with both estimates), ``councils``, ``correlation``, ``ci_lower``, ``ci_upper``, ``level``,
        ``evidence`` (a sentence on how far the association can be trusted).

    Warns
    -----
    WeakEvidenceWarning
        When fewer than 20 councils are compared.

    Examples
    --------
    >>> import warnings
    >>> import residentsurvey as rs
    >>> tracker = rs.rolling(rs.demo_tracking(), ["q_trust", "q_satisfied_council"], window=1,
    ...                      design=rs.DEMO_TRACKING_DESIGN)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", rs.WeakEvidenceWarning)
    ...     table = rs.lagged_association(tracker, "q_trust", "q_satisfied_council", lags=[1, 2])
    >>> table[["lag", "pairs", "councils"]].values.tolist()
    [[1, 15, 5], [2, 10, 5]]
    """
    level = check_level(level)
    lags = [lags] if isinstance(lags, (int, np.integer)) and not isinstance(lags, bool) else list(lags)
    bad = [lag for lag in lags if isinstance(lag, bool) or not isinstance(lag, (int, np.integer)) or lag < 1
           or lag >= len(tracker.windows)]
    if not lags or bad:
        raise DesignError(f"lags must be whole numbers from 1 to {len(tracker.windows) - 1} (windows in the tracker: "
                          f"{len(tracker.windows)}); got {bad or lags!r}.")
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 100:
        raise DesignError(f"draws must be a whole number, at least 100; got {draws!r}.")
    x_est, x_se = _matrix(tracker, leading, "estimate"), _matrix(tracker, leading, "se")
    y_est, y_se = _matrix(tracker, outcome, "estimate"), _matrix(tracker, outcome, "se")
    rng = np.random.default_rng(seed)
    rows = []
    for lag in lags:
        x, xs, y, ys = x_est[:-lag].ravel(), x_se[:-lag].ravel(), y_est[lag:].ravel(), y_se[lag:].ravel()
        council = np.tile(np.arange(len(tracker.areas)), len(tracker.windows) - lag)
        keep = ~(np.isnan(x) | np.isnan(y) | np.isnan(xs) | np.isnan(ys))
        x, xs, y, ys, council = x[keep], xs[keep], y[keep], ys[keep], council[keep]
        k = len(np.unique(council))
        r = float(_correlation(x, y)) if len(x) > 2 else np.nan
        low = high = np.nan
        if k > 3 and len(x) > 2:
            sim = _correlation(x + xs * rng.standard_normal((draws, len(x))),
                               y + ys * rng.standard_normal((draws, len(y))))
            z = np.arctanh(np.clip(sim, -0.999999, 0.999999)) + rng.standard_normal(draws) / np.sqrt(k - 3)
            low, high = np.tanh(np.quantile(z, [(1 - level) / 2, (1 + level) / 2]))
        evidence = (f"weak: {k} councils; an association across few councils (with shared trends, place effects and "
                    "regression to the mean) does not show that one measure predicts the other"
                    if k < FEW_COUNCILS else f"{k} councils; association, not proof of prediction")
        rows.append({"leading": leading, "outcome": outcome, "lag": int(lag), "pairs": int(len(x)), "councils": k,
                     "correlation": r, "ci_lower": low, "ci_upper": high, "level": level, "evidence": evidence})
    table = pd.DataFrame(rows, columns=list(LAGGED_COLUMNS))
    fewest = int(table["councils"].min())
    if fewest < FEW_COUNCILS:
        warnings.warn(f"lagged_association of {outcome!r} on {leading!r} compares only {fewest} councils: "
                      "association across few councils is weak evidence that one measure predicts another.",
                      WeakEvidenceWarning, stacklevel=2)
    return table
