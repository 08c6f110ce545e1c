"""Kish's weighting effect and effective sample size.

For weights :math:`w_1, \\dots, w_n`, Kish's (1965) design effect due to unequal weighting is

.. math::  \\mathrm{deff}_w = \\frac{n \\sum w_i^2}{(\\sum w_i)^2} = 1 + \\mathrm{CV}^2(w)

(CV with divisor n) and the effective sample size is :math:`n / \\mathrm{deff}_w = (\\sum w_i)^2 / \\sum w_i^2`,
the "effective base" the LGA asks councils to report.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import DesignError


def _weights_and_groups(weights: Sequence[float] | np.ndarray | pd.Series,
                        by: Sequence[object] | np.ndarray | pd.Series | None):
    w = pd.Series(weights).to_numpy(dtype=float, na_value=np.nan)
    if w.ndim != 1 or len(w) == 0:
        raise DesignError("weights must be a non-empty one-dimensional sequence of numbers.")
    bad = np.isnan(w) | (w < 0) | np.isinf(w)
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        raise DesignError(f"weights must be finite and non-negative; position {position} holds {float(w[position])!r}.")
    if by is None:
        return w, None, None
    groups = pd.Series(by)
    if len(groups) != len(w):
        raise DesignError(f"by has {len(groups)} values but weights has {len(w)}; give one group per weight.")
    codes, labels = pd.factorize(groups, sort=True, use_na_sentinel=False)
    return w, codes, labels


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
    w, codes, labels = _weights_and_groups(weights, by)
    if codes is None:
        return float(w.sum() ** 2 / (w**2).sum())
    total = np.bincount(codes, weights=w, minlength=len(labels))
    squares = np.bincount(codes, weights=w**2, minlength=len(labels))
    return pd.Series(total**2 / squares, index=pd.Index(labels, name=getattr(by, "name", None)),
                     name="effective_sample_size")


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
    w, codes, labels = _weights_and_groups(weights, by)
    if codes is None:
        return float(len(w) * (w**2).sum() / w.sum() ** 2)
    n = np.bincount(codes, minlength=len(labels))
    total = np.bincount(codes, weights=w, minlength=len(labels))
    squares = np.bincount(codes, weights=w**2, minlength=len(labels))
    return pd.Series(n * squares / total**2, index=pd.Index(labels, name=getattr(by, "name", None)), name="kish_deff")
