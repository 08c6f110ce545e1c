"""Weighting diagnostics: the spread of the weights per group, and achieved against target margins.

Kish's design effect due to weighting :math:`n\\sum w^2/(\\sum w)^2`, its inverse (efficiency),
the effective sample size, minimum, maximum and coefficient of variation of the weights, and for
a calibrated design the range of the weight ratios g = w/d, the iterations and the largest
relative error on any target.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .calibrate import CalibrationRecord


def weighting_summary(weights: np.ndarray | pd.Series, *, by: pd.DataFrame | pd.Series | None = None,
                      calibration: CalibrationRecord | None = None) -> pd.DataFrame:
    """One row per group (or one row overall): who counts, and the spread of the weights.

    Columns: the ``by`` columns; ``n`` (respondents), ``n_weighted`` (respondents with a weight
    other than zero, the ones estimates use), ``zero_weights`` and ``missing_weights`` (respondents in
    no estimate's base, so that ``n = n_weighted + zero_weights + missing_weights``),
    ``negative_weights`` (among ``n_weighted``: linear calibration can make weights negative; see
    :class:`~residentsurvey.NegativeWeightWarning`); then over the weights that are not missing:
    ``sum_weights``, ``mean_weight``, ``min_weight``, ``max_weight``, ``cv_weights``, ``kish_deff``
    (Kish's :math:`n\\sum w^2/(\\sum w)^2`), ``efficiency`` and ``effective_n``.

    With ``calibration``, also the smallest and largest ratio to the starting weights, the
    method, iterations and the largest relative error on any target.

    Examples
    --------
    >>> weighting_summary(np.array([1.0, 1.0, 2.0, 4.0]))[["n", "kish_deff", "effective_n"]].round(3).to_dict("records")
    [{'n': 4, 'kish_deff': 1.375, 'effective_n': 2.909}]

    A zero or missing weight takes a respondent out of every estimate; the summary counts them:

    >>> weighting_summary(np.array([1.0, 0.0, np.nan, 2.0]))[["n", "n_weighted", "zero_weights", "missing_weights"]].to_dict("records")
    [{'n': 4, 'n_weighted': 2, 'zero_weights': 1, 'missing_weights': 1}]
    """
    w = np.asarray(weights, dtype=float)
    if by is None:
        codes, labels = np.zeros(len(w), dtype=np.int64), pd.DataFrame(index=range(1))
    else:
        frame = by.to_frame() if isinstance(by, pd.Series) else by
        index = pd.MultiIndex.from_frame(frame.astype(object))
        codes, uniques = index.factorize(sort=True)
        labels = pd.DataFrame(list(uniques), columns=list(frame.columns))
    k = len(labels)

    def per_group(values: np.ndarray) -> np.ndarray:
        return np.bincount(codes, weights=values, minlength=k)

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(codes[mask], minlength=k)

    missing = np.isnan(w)
    present = np.where(missing, 0.0, w)
    n_all = np.bincount(codes, minlength=k)
    n = n_all - count(missing)  # the weights that are there, for the spread
    total, squares = per_group(present), per_group(present**2)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = total / n
        smallest = np.full(k, np.inf)
        largest = np.full(k, -np.inf)
        np.minimum.at(smallest, codes[~missing], w[~missing])
        np.maximum.at(largest, codes[~missing], w[~missing])
        summary = labels.copy()
        summary["n"] = n_all
        summary["n_weighted"] = n - count(w == 0)
        summary["zero_weights"] = count(w == 0)
        summary["missing_weights"] = count(missing)
        summary["negative_weights"] = count(w < 0)
        summary["sum_weights"] = total
        summary["mean_weight"] = mean
        summary["min_weight"] = np.where(n > 0, smallest, np.nan)
        summary["max_weight"] = np.where(n > 0, largest, np.nan)
        summary["cv_weights"] = np.sqrt(np.maximum(squares / n - mean**2, 0)) / mean
        summary["kish_deff"] = n * squares / total**2
        summary["efficiency"] = 1 / summary["kish_deff"]
        summary["effective_n"] = total**2 / squares
    if calibration is not None:
        g = calibration.ratios
        low, high = np.full(k, np.inf), np.full(k, -np.inf)
        np.minimum.at(low, codes, g)
        np.maximum.at(high, codes, g)
        summary["min_ratio"] = low
        summary["max_ratio"] = high
        summary["method"] = calibration.method
        summary["iterations"] = calibration.iterations
        summary["max_target_error"] = calibration.max_error
    return summary


def achieved_margins(calibration: CalibrationRecord) -> pd.DataFrame:
    """Every target beside what the calibrated weights achieve: one row per group, variable and category.

    Columns: the ``by`` columns, ``variable``, ``category``, ``target``, ``achieved``,
    ``before`` (with the starting weights), ``relative_error``.
    """
    targets = calibration.targets
    achieved = calibration.model.totals(calibration.weights)
    before = calibration.model.totals(calibration.base_weights)
    rows = []
    for margin, offset in zip(targets.margins, targets.offsets):
        categories = [None] if margin.categories is None else list(margin.categories)
        for j, category in enumerate(categories):
            column = offset + j
            block = targets.groups.copy()
            block["variable"] = margin.variable
            block["category"] = category
            block["target"] = targets.totals[:, column]
            block["achieved"] = achieved[:, column]
            block["before"] = before[:, column]
            rows.append(block)
    table = pd.concat(rows, ignore_index=True)
    table["relative_error"] = (table["achieved"] - table["target"]).abs() / table["target"].abs().clip(lower=1)
    if targets.by:
        table = table.sort_values(list(targets.by), kind="stable").reset_index(drop=True)
    return table
