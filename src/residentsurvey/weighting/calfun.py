"""Calibration distance functions: the weight ratio g = F(u) of the linear predictor u.

As R's ``cal.linear``, ``cal.raking`` and ``cal.logit`` (Deville and Särndal 1992), with
optional bounds (L, U) on g:

- ``linear``: g = 1 + u, truncated to [L, U] when bounds are given (GREG when unbounded);
- ``raking``: g = exp(u), truncated to [L, U] when bounds are given;
- ``logit``: g = (L(U-1) + U(1-L) e^{Au}) / (U - 1 + (1-L) e^{Au}),  A = (U-L)/((U-1)(1-L)),
  which stays strictly within (L, U); it needs finite bounds with L < 1 < U.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..errors import CalibrationError, OptionError


@dataclass(frozen=True)
class CalFun:
    """g = F(u) and its derivative, for bounds (lower, upper)."""

    name: str
    g: Callable[[np.ndarray, float, float], np.ndarray]
    dg: Callable[[np.ndarray, float, float], np.ndarray]


def _linear_g(u: np.ndarray, lower: float, upper: float) -> np.ndarray:
    return np.clip(1 + u, lower, upper)


def _linear_dg(u: np.ndarray, lower: float, upper: float) -> np.ndarray:
    return ((1 + u > lower) & (1 + u < upper)).astype(float)


def _raking_g(u: np.ndarray, lower: float, upper: float) -> np.ndarray:
    return np.clip(np.exp(u), lower, upper)


def _raking_dg(u: np.ndarray, lower: float, upper: float) -> np.ndarray:
    e = np.exp(u)
    return np.where((e > lower) & (e < upper), e, 0.0)


def _logit_parts(u: np.ndarray, lower: float, upper: float) -> tuple[np.ndarray, float]:
    a = (upper - lower) / ((upper - 1) * (1 - lower))
    return np.exp(np.clip(a * u, -700, 700)), a


def _logit_g(u: np.ndarray, lower: float, upper: float) -> np.ndarray:
    e, _ = _logit_parts(u, lower, upper)
    with np.errstate(over="ignore", invalid="ignore"):
        g = (lower * (upper - 1) + upper * (1 - lower) * e) / (upper - 1 + (1 - lower) * e)
    return np.where(np.isfinite(g), g, upper)


def _logit_dg(u: np.ndarray, lower: float, upper: float) -> np.ndarray:
    e, a = _logit_parts(u, lower, upper)
    with np.errstate(over="ignore", invalid="ignore"):
        d = a * (upper - lower) * (upper - 1) * (1 - lower) * e / (upper - 1 + (1 - lower) * e) ** 2
    return np.where(np.isfinite(d), d, 0.0)


CALIBRATION_METHODS: dict[str, CalFun] = {
    "raking": CalFun("raking", _raking_g, _raking_dg),
    "linear": CalFun("linear", _linear_g, _linear_dg),
    "logit": CalFun("logit", _logit_g, _logit_dg),
}


def lookup_method(method: str, bounds: tuple[float, float] | None) -> tuple[CalFun, float, float]:
    """The calibration function and checked bounds for ``method``."""
    try:
        calfun = CALIBRATION_METHODS[method]
    except (KeyError, TypeError):
        raise OptionError.unknown("method", method, CALIBRATION_METHODS) from None
    lower, upper = (-np.inf, np.inf) if bounds is None else bounds
    if not lower < 1 < upper:
        raise CalibrationError(
            f"bounds={bounds!r} must satisfy lower < 1 < upper: they bound the ratio of calibrated to "
            "original weights, and a ratio of 1 (no change) must be allowed."
        )
    if method == "logit" and not (np.isfinite(lower) and np.isfinite(upper)):
        raise CalibrationError("method='logit' needs finite bounds, e.g. bounds=(0.5, 2.0), as R's cal.logit does.")
    return calfun, float(lower), float(upper)
