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
    """One row per group (or one row overall): n, sum, mean, min, max, CV, Kish deff, efficiency, n_eff.

    With ``calibration``, also the smallest and largest ratio to the starting weights, the
    method, iterations and the largest relative error on any target.

    Examples
    --------
    >>> weighting_summary(np.array([1.0, 1.0, 2.0, 4.0]))[["n", "kish_deff", "effective_n"]].round(3).to_dict("records")
    [{'n': 4, 'kish_deff': 1.375, 'effective_n': 2.909}]
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

    n = np.bincount(codes, minlength=k)
    total, squares = per_group(w), per_group(w**2)
    mean = total / n
    smallest = np.full(k, np.inf)
    largest = np.full(k, -np.inf)
    np.minimum.at(smallest, codes, w)
    np.maximum.at(largest, codes, w)
    summary = labels.copy()
    summary["n"] = n
    summary["sum_weights"] = total
    summary["mean_weight"] = mean
    summary["min_weight"] = smallest
    summary["max_weight"] = largest
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
