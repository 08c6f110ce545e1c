"""Fitting the Fay-Herriot model: the area-effect variance, then beta by generalised least squares.

The model is :math:`y_d = x_d^\\top \\beta + u_d + e_d` with :math:`u_d \\sim N(0, A)` and
:math:`e_d \\sim N(0, D_d)`, :math:`D_d` the known sampling variance of area :math:`d`'s direct
estimate. ``"reml"`` and ``"ml"`` estimate :math:`A` by Fisher scoring exactly as R's
``sae::eblupFH`` (start at ``median(D)``, stop when the relative change is below ``precision``, at
most ``max_iter`` steps, truncate at zero). ``"amrl"`` and ``"ampl"`` maximise Li and Lahiri's
(2010) adjusted likelihoods, :math:`\\log A` plus the restricted or profile log-likelihood (as
``emdi::fh``'s methods of those names), whose maximum is always positive.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["FH_METHODS", "ModelFit", "fit_model", "gls"]

FH_METHODS = {
    "reml": "restricted maximum likelihood, Fisher scoring (R sae::eblupFH method='REML')",
    "ml": "maximum likelihood, Fisher scoring (R sae::eblupFH method='ML')",
    "amrl": "Li-Lahiri adjusted restricted likelihood, log(A) + REML (emdi::fh method='amrl')",
    "ampl": "Li-Lahiri adjusted profile likelihood, log(A) + ML (emdi::fh method='ampl')",
}


@dataclass(frozen=True)
class ModelFit:
    """The fitted linking model: variance ``A``, coefficients ``beta`` with covariance ``Q``,
    and how the fit went (``iterations``, ``converged``, log-likelihood)."""

    method: str
    model_variance: float
    beta: np.ndarray
    cov_beta: np.ndarray
    iterations: int
    converged: bool
    loglike: float
    boundary: bool  # the variance estimate was truncated at zero


def gls(y: np.ndarray, X: np.ndarray, vardir: np.ndarray, A: float) -> tuple[np.ndarray, np.ndarray]:
    """Beta by generalised least squares with weights ``1 / (A + D)``, and its covariance ``Q``."""
    vi = 1.0 / (A + vardir)
    Q = np.linalg.inv((X * vi[:, None]).T @ X)
    return Q @ ((X * vi[:, None]).T @ y), Q


def _score_information(y: np.ndarray, X: np.ndarray, vardir: np.ndarray, A: float,
                       restricted: bool) -> tuple[float, float]:
    """Score and Fisher information of the (restricted) log-likelihood in ``A``, as R's sae.

    With :math:`P = V^{-1} - V^{-1} X Q X^\\top V^{-1}`, REML uses ``s = -tr(P)/2 + y'PPy/2`` and
    ``F = tr(PP)/2``; ML uses ``s = -sum(1/V)/2 + y'PPy/2`` and ``F = sum(1/V^2)/2``. The traces are
    computed from p x p matrices, never forming the m x m matrix ``P``.
    """
    vi = 1.0 / (A + vardir)
    beta, Q = gls(y, X, vardir, A)
    py = vi * (y - X @ beta)
    if not restricted:
        return -0.5 * vi.sum() + 0.5 * py @ py, 0.5 * (vi**2).sum()
    M2 = Q @ ((X * (vi**2)[:, None]).T @ X)
    M3 = Q @ ((X * (vi**3)[:, None]).T @ X)
    trace_p = vi.sum() - np.trace(M2)
    trace_pp = (vi**2).sum() - 2.0 * np.trace(M3) + np.trace(M2 @ M2)
    return -0.5 * trace_p + 0.5 * py @ py, 0.5 * trace_pp


def loglike(y: np.ndarray, X: np.ndarray, vardir: np.ndarray, A: float, *, restricted: bool) -> float:
    """The (restricted) Gaussian log-likelihood at ``A``, up to a constant."""
    vi = 1.0 / (A + vardir)
    beta, Q = gls(y, X, vardir, A)
    resid = y - X @ beta
    value = -0.5 * (np.log(A + vardir).sum() + (vi * resid**2).sum())
    if restricted:
        value += 0.5 * np.linalg.slogdet(Q)[1]
    return float(value)


def _fisher_scoring(y: np.ndarray, X: np.ndarray, vardir: np.ndarray, *, restricted: bool, max_iter: int,
                    precision: float) -> tuple[float, int, bool]:
    A = float(np.median(vardir))
    diff, k = precision + 1.0, 0
    floor = -float(vardir.min())
    while diff > precision and k < max_iter:
        k += 1
        s, F = _score_information(y, X, vardir, A, restricted)
        new = A + s / F
        if new <= floor:  # V would stop being positive definite: the maximum is at the boundary
            return 0.0, k, True
        diff = abs((new - A) / A) if A != 0 else np.inf
        A = new
    converged = not (k >= max_iter and diff >= precision)
    return max(A, 0.0), k, converged


def _adjusted(y: np.ndarray, X: np.ndarray, vardir: np.ndarray, *, restricted: bool) -> tuple[float, int]:
    from scipy.optimize import minimize_scalar

    scale = max(float(np.var(y)), float(np.median(vardir)))
    bounds = (np.log(scale) - 25.0, np.log(scale) + 5.0)

    def negative(log_a: float) -> float:
        return -(log_a + loglike(y, X, vardir, float(np.exp(log_a)), restricted=restricted))

    found = minimize_scalar(negative, bounds=bounds, method="bounded", options={"xatol": 1e-10})
    return float(np.exp(found.x)), int(found.nfev)


def fit_model(y: np.ndarray, X: np.ndarray, vardir: np.ndarray, *, method: str, max_iter: int = 100,
              precision: float = 1e-4) -> ModelFit:
    """Estimate ``A`` by ``method`` (a key of :data:`FH_METHODS`), then beta by GLS at that ``A``.

    >>> import numpy as np
    >>> X = np.column_stack([np.ones(6), np.arange(6.0)])
    >>> y = np.array([0.1, 0.9, 2.3, 2.8, 4.4, 4.9])
    >>> fit = fit_model(y, X, np.full(6, 0.05), method="reml")
    >>> bool(fit.converged), round(fit.model_variance, 4)
    (True, 0.0233)
    """
    restricted = method in ("reml", "amrl")
    if method in ("reml", "ml"):
        A, iterations, converged = _fisher_scoring(y, X, vardir, restricted=restricted, max_iter=max_iter,
                                                   precision=precision)
    else:
        (A, iterations), converged = _adjusted(y, X, vardir, restricted=restricted), True
    beta, Q = gls(y, X, vardir, A)
    value = loglike(y, X, vardir, A, restricted=False) - 0.5 * len(y) * np.log(2 * np.pi)
    return ModelFit(method, float(A), beta, Q, int(iterations), bool(converged), float(value), boundary=bool(A <= 0.0))
