"""Internal consistency of a multi-item scale: Cronbach's alpha (weighted or not) with a confidence interval.

For k items with (weighted) covariance matrix C,

.. math::  \\alpha = \\frac{k}{k-1}\\left(1 - \\frac{\\operatorname{tr} C}{\\mathbf 1^\\top C \\mathbf 1}\\right).

The weighted version uses the weighted covariance matrix, as R's ``svycralpha`` does with
``svyvar``. The interval is Feldt's (1965): with n respondents,
:math:`1-\\alpha` over :math:`1-\\hat\\alpha` follows F with (n-1) and (n-1)(k-1) degrees of
freedom; for weighted data n is Kish's effective sample size. Respondents missing any item are
left out (listwise) and counted.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import ScaleError
from .instrument import load_instrument
from .scoring import _item_columns


def _clean(data: pd.DataFrame, items: list[str], weights: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, int]:
    missing = [c for c in items if c not in data.columns]
    if missing:
        raise ScaleError(f"item column(s) {missing} are not in the data.")
    if len(items) < 2:
        raise ScaleError(f"Cronbach's alpha needs at least two items; got {items}.")
    matrix = data[items].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    w = np.ones(len(data)) if weights is None else np.asarray(weights, dtype=float)
    complete = ~np.isnan(matrix).any(axis=1) & (w > 0)
    return matrix[complete], w[complete], int((~complete).sum())


def _alpha(matrix: np.ndarray, w: np.ndarray) -> float:
    k = matrix.shape[1]
    cov = np.cov(matrix, rowvar=False, aweights=w)
    total = cov.sum()
    return float(k / (k - 1) * (1 - np.trace(cov) / total)) if total > 0 else np.nan


def cronbach_alpha(data: pd.DataFrame, items: list[str], *, weights: np.ndarray | pd.Series | None = None,
                   level: float = 0.95) -> pd.Series:
    """Cronbach's alpha with Feldt's confidence interval.

    Returns
    -------
    pandas.Series
        ``alpha``, ``ci_lower``, ``ci_upper``, ``n`` (complete respondents), ``n_excluded``
        (respondents missing an item), ``n_effective`` and ``n_items``.

    Examples
    --------
    >>> import pandas as pd
    >>> same = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [1, 2, 3, 4, 5]})
    >>> float(cronbach_alpha(same, ["a", "b"])["alpha"])
    1.0
    """
    matrix, w, excluded = _clean(data, list(items), None if weights is None else np.asarray(weights))
    n, k = matrix.shape
    n_eff = w.sum() ** 2 / (w**2).sum() if n else 0.0
    alpha = _alpha(matrix, w) if n > 1 else np.nan
    lower = upper = np.nan
    if n_eff > 2 and np.isfinite(alpha) and alpha < 1:
        d1, d2 = n_eff - 1, (n_eff - 1) * (k - 1)
        lower = 1 - (1 - alpha) * stats.f.ppf(0.5 + level / 2, d1, d2)
        upper = 1 - (1 - alpha) * stats.f.ppf(0.5 - level / 2, d1, d2)
    elif alpha == 1:
        lower = upper = 1.0
    return pd.Series({"alpha": alpha, "ci_lower": lower, "ci_upper": upper, "n": n, "n_excluded": excluded,
                      "n_effective": n_eff, "n_items": k})


def item_statistics(data: pd.DataFrame, items: list[str], *, weights: np.ndarray | pd.Series | None = None) -> pd.DataFrame:
    """Per item: weighted mean, corrected item-total correlation and alpha if the item is deleted."""
    matrix, w, _ = _clean(data, list(items), None if weights is None else np.asarray(weights))
    rows = []
    for j, item in enumerate(items):
        rest = np.delete(matrix, j, axis=1)
        cov = np.cov(np.column_stack([matrix[:, j], rest.sum(axis=1)]), rowvar=False, aweights=w)
        correlation = cov[0, 1] / np.sqrt(cov[0, 0] * cov[1, 1]) if cov[0, 0] > 0 and cov[1, 1] > 0 else np.nan
        rows.append({"item": item, "mean": float(np.average(matrix[:, j], weights=w)) if len(w) else np.nan,
                     "item_total_correlation": correlation,
                     "alpha_if_deleted": _alpha(rest, w) if rest.shape[1] > 1 else np.nan})
    return pd.DataFrame(rows)


def reliability_report(data: pd.DataFrame, instrument: str, *, by: str | None = None,
                       weights: str | None = None, items: dict[str, str] | None = None,
                       level: float = 0.95) -> pd.DataFrame:
    """Alpha with its interval for every multi-item score of ``instrument``, overall or per group of ``by``.

    Reverse-coded items are reversed first. One row per (group, score): the ``by`` column,
    ``score``, ``alpha``, ``ci_lower``, ``ci_upper``, ``n``, ``n_excluded``, ``n_effective``,
    ``n_items``, ``weighted``.
    """
    loaded = load_instrument(instrument)
    if by is not None and by not in data.columns:
        raise ScaleError(f"by column {by!r} is not in the data.")
    if weights is not None and weights not in data.columns:
        raise ScaleError(f"weights column {weights!r} is not in the data.")
    rows = []
    groups = [(None, data)] if by is None else list(data.groupby(by, observed=True, sort=True))
    for score in loaded.scores:
        if len(score.items) < 2:
            continue
        columns = _item_columns(score, items, data, loaded)
        for label, frame in groups:
            values = frame[columns].apply(pd.to_numeric, errors="coerce")
            low, high = score.item_range
            values = values.where((values >= low) & (values <= high) & ~values.isin(score.excluded))
            for item, column in zip(score.items, columns):
                if item in score.reverse:
                    values[column] = low + high - values[column]
            result = cronbach_alpha(values, columns, weights=None if weights is None else frame[weights], level=level)
            row = {"score": score.id, **result.to_dict(), "weighted": weights is not None}
            if by is not None:
                row = {by: label, **row}
            rows.append(row)
    return pd.DataFrame(rows)
