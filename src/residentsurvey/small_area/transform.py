"""Proportions on the arcsine scale, as ``emdi::fh(transformation="arcsin")``, and variance smoothing.

A direct share :math:`\\hat p_d` from :math:`n_d` respondents with design effect :math:`\\mathrm{deff}_d`
becomes :math:`y_d = \\arcsin\\sqrt{\\hat p_d}` with the known sampling variance
:math:`D_d = 1 / (4 \\tilde n_d)`, :math:`\\tilde n_d = n_d / \\mathrm{deff}_d` the effective sample size.
The model is fitted on that scale and brought back with ``"naive"`` :math:`\\sin^2(\\hat\\theta_d)` or
``"bc"``, the bias-corrected :math:`E[\\sin^2(\\theta_d)]` for :math:`\\theta_d \\sim N(\\hat\\theta_d, g_{1d})`
(:math:`g_{1d} = A (1 - \\gamma_d)`, or :math:`A` for an area without respondents), the angle clipped to
:math:`[0, \\pi/2]` in both. Intervals are back-transformed end points, so they stay inside [0, 1]; the
MSE on the share scale is the delta-method :math:`\\sin^2(2\\hat\\theta_d)\\,\\mathrm{mse}_d(\\hat\\theta)`.
"""

from __future__ import annotations

import numpy as np

__all__ = ["TRANSFORMS", "BACKTRANSFORMS", "arcsin", "arcsin_variance", "back_naive", "back_bias_corrected",
           "back_mse", "gvf_variance", "pooled_deff"]

TRANSFORMS = {
    "none": "the direct estimates as they are, with variance se^2",
    "arcsin": "arcsin(sqrt(p)) with variance 1 / (4 n / deff), for shares (emdi::fh transformation='arcsin')",
}
BACKTRANSFORMS = {
    "bc": "bias-corrected: E[sin^2(theta)] under theta's conditional normal distribution (emdi 'bc')",
    "naive": "sin^2 of the estimate on the arcsine scale (emdi 'naive')",
}
_HALF_PI = np.pi / 2


def arcsin(p: np.ndarray) -> np.ndarray:
    """The variance-stabilising angle of a share, :math:`\\arcsin\\sqrt{p}`."""
    return np.arcsin(np.sqrt(p))


def arcsin_variance(n: np.ndarray, deff: np.ndarray) -> np.ndarray:
    """Sampling variance on the arcsine scale, ``1 / (4 n / deff)``."""
    return deff / (4.0 * n)


def back_naive(theta: np.ndarray) -> np.ndarray:
    """``sin(theta)^2`` with ``theta`` clipped to [0, pi/2].

    >>> back_naive(np.array([-0.1, np.pi / 4, 2.0])).round(3).tolist()
    [0.0, 0.5, 1.0]
    """
    return np.sin(np.clip(theta, 0.0, _HALF_PI)) ** 2


def back_bias_corrected(theta: np.ndarray, variance: np.ndarray) -> np.ndarray:
    """``E[sin(clip(T))^2]`` for ``T ~ N(theta, variance)``, by a 4,001-point rule on +-8 sd (all areas at once).

    >>> round(float(back_bias_corrected(np.array([np.pi / 4]), np.array([0.01]))[0]), 6)
    0.5
    """
    z = np.linspace(-8.0, 8.0, 4001)
    weight = np.exp(-0.5 * z**2)
    weight /= weight.sum()
    angles = theta[:, None] + np.sqrt(np.maximum(variance, 0.0))[:, None] * z[None, :]
    return back_naive(angles) @ weight


def back_mse(theta: np.ndarray, mse: np.ndarray) -> np.ndarray:
    """Delta-method MSE on the share scale: ``sin(2 theta)^2 * mse``."""
    return np.sin(2.0 * np.clip(theta, 0.0, _HALF_PI)) ** 2 * mse


def gvf_variance(n: np.ndarray, variance: np.ndarray, usable: np.ndarray) -> tuple[np.ndarray, float, float]:
    """A generalised variance function ``log D = a + b log n`` fitted by least squares on the ``usable``
    areas, returned for every area with the smearing factor ``mean(exp(residual))``, and ``a``, ``b``."""
    x, v = np.log(n[usable]), np.log(variance[usable])
    b, a = np.polyfit(x, v, 1)
    smear = float(np.mean(np.exp(v - (a + b * x))))
    return np.exp(a + b * np.log(n)) * smear, float(a), float(b)


def pooled_deff(n: np.ndarray, deff: np.ndarray, usable: np.ndarray) -> float:
    """The respondent-weighted mean design effect over the ``usable`` areas."""
    return float(np.average(deff[usable], weights=n[usable]))
