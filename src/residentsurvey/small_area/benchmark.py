"""Benchmarking: area estimates whose population-weighted mean equals each council's direct estimate.

With :math:`s_d = N_d / \\sum_{d \\in c} N_d` the population share of area :math:`d` in council :math:`c`,
:math:`\\hat\\theta_c` the council's direct estimate and :math:`S_c = \\sum_{d \\in c} s_d \\tilde\\theta_d`:

* ``"ratio"``: :math:`\\tilde\\theta_d \\hat\\theta_c / S_c` (emdi ``benchmark(type="ratio")``);
* ``"difference"``: :math:`\\tilde\\theta_d + \\hat\\theta_c - S_c` (emdi ``type="raking"``).

Interval end points move with their estimate (scaled or shifted alike); the MSE is not adjusted.
"""

from __future__ import annotations

import numpy as np

__all__ = ["BENCHMARK_METHODS", "benchmark_factors"]

BENCHMARK_METHODS = {
    "ratio": "multiply each council's area estimates by one factor (emdi benchmark type='ratio')",
    "difference": "add one amount to each council's area estimates (emdi benchmark type='raking')",
}


def benchmark_factors(estimate: np.ndarray, group: np.ndarray, population: np.ndarray, target: np.ndarray,
                      method: str) -> np.ndarray:
    """Per area, the factor (``"ratio"``) or the amount (``"difference"``) its council's estimates get.

    ``group`` holds council codes 0..k-1 and ``target`` the council estimates by code.

    >>> benchmark_factors(np.array([0.2, 0.4]), np.array([0, 0]), np.array([1.0, 3.0]), np.array([0.35]), "ratio")
    array([1., 1.])
    """
    totals = np.bincount(group, weights=population)
    weighted = np.bincount(group, weights=population * estimate) / totals
    if method == "ratio":
        return (target / weighted)[group]
    return (target - weighted)[group]
