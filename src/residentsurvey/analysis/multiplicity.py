"""Adjusting p-values for many comparisons: Holm (family-wise error) and Benjamini-Hochberg (false discovery rate).

Holm (1979): sort the m p-values, multiply the k-th smallest by (m - k + 1), make the sequence
non-decreasing and cap at 1. Benjamini and Hochberg (1995): multiply the k-th smallest by m/k,
make the sequence non-increasing from the largest, cap at 1. Missing p-values stay missing and do
not count in m. Agrees with statsmodels' ``multipletests`` and R's ``p.adjust``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..errors import OptionError


def _holm(p: np.ndarray) -> np.ndarray:
    m = len(p)
    order = np.argsort(p, kind="stable")
    adjusted = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out = np.empty(m)
    out[order] = np.minimum(adjusted, 1.0)
    return out


def _bh(p: np.ndarray) -> np.ndarray:
    m = len(p)
    order = np.argsort(p, kind="stable")
    scaled = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(scaled[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(adjusted, 1.0)
    return out


def _bonferroni(p: np.ndarray) -> np.ndarray:
    return np.minimum(p * len(p), 1.0)


P_ADJUST_METHODS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "holm": _holm,
    "bh": _bh,
    "bonferroni": _bonferroni,
    "none": lambda p: p.copy(),
}


def adjust_p_values(p_values: Sequence[float] | np.ndarray, method: str = "holm") -> np.ndarray:
    """Adjusted p-values for a family of comparisons (NaN stays NaN and is not counted).

    Examples
    --------
    >>> adjust_p_values([0.01, 0.04, 0.03], "holm").round(3).tolist()
    [0.03, 0.06, 0.06]
    >>> adjust_p_values([0.01, 0.04, 0.03], "bh").round(3).tolist()
    [0.03, 0.04, 0.04]
    """
    try:
        function = P_ADJUST_METHODS[method]
    except (KeyError, TypeError):
        raise OptionError.unknown("adjust", method, P_ADJUST_METHODS) from None
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    present = ~np.isnan(p)
    if present.any():
        out[present] = function(p[present])
    return out
