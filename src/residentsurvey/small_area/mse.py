"""Mean squared error of the EBLUP: Prasad-Rao (REML) and Datta-Lahiri (ML), as R's ``sae::mseFH``.

For an area with respondents, with :math:`B_d = D_d / (A + D_d)`:

* :math:`g_1 = D_d (1 - B_d)`, the MSE had :math:`A` and :math:`\\beta` been known;
* :math:`g_2 = B_d^2 x_d^\\top Q x_d`, for estimating :math:`\\beta`;
* :math:`g_3 = B_d^2 \\bar V(\\hat A) / (A + D_d)`, for estimating :math:`A`, with
  :math:`\\bar V(\\hat A) = 2 / \\sum_j (A + D_j)^{-2}`;

and :math:`\\mathrm{mse} = g_1 + g_2 + 2 g_3` (REML), minus :math:`b_{ML} B_d^2` for ML, where
:math:`b_{ML} = -\\operatorname{tr}(Q X^\\top V^{-2} X) / \\sum_j (A + D_j)^{-2}` is the bias of the ML
estimator of :math:`A`. The adjusted-likelihood methods use the REML (``"amrl"``) or ML
(``"ampl"``) formula, which ignores the small bias the adjustment factor adds.

An area without respondents gets the synthetic estimate :math:`x_d^\\top \\hat\\beta`, whose MSE is
:math:`A + x_d^\\top Q x_d` (minus :math:`b_{ML}` for ML).
"""

from __future__ import annotations

import numpy as np

from .fit import ModelFit

__all__ = ["eblup_mse", "synthetic_mse"]


def _ml_bias(fit: ModelFit, X: np.ndarray, vardir: np.ndarray) -> float:
    if fit.method not in ("ml", "ampl"):
        return 0.0
    vi2 = 1.0 / (fit.model_variance + vardir) ** 2
    return float(-np.trace(fit.cov_beta @ ((X * vi2[:, None]).T @ X)) / vi2.sum())


def eblup_mse(fit: ModelFit, X: np.ndarray, vardir: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """MSE of each sampled area's EBLUP, and its ``g1`` and ``g2`` terms (rows of ``X`` are the sampled areas)."""
    A = fit.model_variance
    total = A + vardir
    shrink = vardir / total
    var_a = 2.0 / (1.0 / total**2).sum()
    g1 = vardir * (1.0 - shrink)
    g2 = shrink**2 * np.einsum("ij,jk,ik->i", X, fit.cov_beta, X)
    g3 = shrink**2 * var_a / total
    return g1 + g2 + 2.0 * g3 - _ml_bias(fit, X, vardir) * shrink**2, g1, g2


def synthetic_mse(fit: ModelFit, X_out: np.ndarray, X: np.ndarray, vardir: np.ndarray) -> np.ndarray:
    """MSE of the synthetic estimate of each area without respondents (rows of ``X_out``)."""
    g2 = np.einsum("ij,jk,ik->i", X_out, fit.cov_beta, X_out)
    return fit.model_variance + g2 - _ml_bias(fit, X, vardir)
