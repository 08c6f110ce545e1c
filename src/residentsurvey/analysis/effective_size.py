"""Kish's weighting effect and effective sample size.

For weights :math:`w_1, \\dots, w_n`, Kish's (1965) design effect due to unequal weighting is

.. math::  \\mathrm{deff}_w = \\frac{n \\sum w_i^2}{(\\sum w_i)^2} = 1 + \\mathrm{CV}^2(w)

(CV with divisor n) and the effective sample size is :math:`n / \\mathrm{deff}_w = (\\sum w_i)^2 / \\sum w_i^2`,
the "effective base" the LGA asks councils to report.

Weights may be negative (linear calibration can make some so, see
:class:`~residentsurvey.NegativeWeightWarning`): the formulas hold as written. Missing or infinite
weights are refused.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import DesignError


def _sums(weights: Sequence[float] | np.ndarray | pd.Series,
          by: Sequence[object] | np.ndarray | pd.Series | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.Index | None]:
    """Count, sum and sum of squares of the weights, overall (one group) or per group of ``by``."""
    w = pd.Series(weights).to_numpy(dtype=float, na_value=np.nan)
    if w.ndim != 1 or len(w) == 0:
        raise DesignError("weights must be a non-empty one-dimensional sequence of numbers.")
    bad = ~np.isfinite(w)
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        raise DesignError(f"weights must be finite numbers; position {position} holds {float(w[position])!r}.")
    if by is None:
        codes, index = np.zeros(len(w), dtype=np.int64), None
    else:
        groups = pd.Series(by)
        if len(groups) != len(w):
            raise DesignError(f"by has {len(groups)} values but weights has {len(w)}; give one group per weight.")
        codes, labels = pd.factorize(groups, sort=True, use_na_sentinel=False)
        index = pd.Index(labels, name=getattr(by, "name", None))
    size = 1 if index is None else len(index)
    n = np.bincount(codes, minlength=size).astype(float)
    return n, np.bincount(codes, weights=w, minlength=size), np.bincount(codes, weights=w**2, minlength=size), index


def _result(values: np.ndarray, index: pd.Index | None, name: str) -> float | pd.Series:
    return float(values[0]) if index is None else pd.Series(values, index=index, name=name)


def effective_sample_size(weights: Sequence[float] | np.ndarray | pd.Series,
                          by: Sequence[object] | np.ndarray | pd.Series | None = None) -> float | pd.Series:
    """Kish's effective sample size, :math:`(\\sum w)^2 / \\sum w^2`, overall or per group.

    Examples
    --------
    >>> effective_sample_size([1, 1, 1, 1])
    4.0
    >>> effective_sample_size([1, 3])
    1.6
    """
    _, total, squares, index = _sums(weights, by)
    return _result(total**2 / squares, index, "effective_sample_size")


def kish_deff(weights: Sequence[float] | np.ndarray | pd.Series,
              by: Sequence[object] | np.ndarray | pd.Series | None = None) -> float | pd.Series:
    """Kish's design effect due to weighting, :math:`n \\sum w^2 / (\\sum w)^2`, overall or per group.

    Examples
    --------
    >>> kish_deff([1, 1, 1, 1])
    1.0
    >>> kish_deff([1, 3])
    1.25
    """
    n, total, squares, index = _sums(weights, by)
    return _result(n * squares / total**2, index, "kish_deff")
