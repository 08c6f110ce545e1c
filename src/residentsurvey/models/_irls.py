"""Iteratively reweighted least squares for a weighted GLM, as R's ``glm.fit``.

With prior weights :math:`w_i` (the survey weights), working weights
:math:`W_i = w_i \\, \\dot\\mu_i^2 / V(\\mu_i)` and working response
:math:`z_i = \\eta_i + (y_i - \\mu_i)/\\dot\\mu_i`, each step solves
:math:`(X^\\top W X)\\beta = X^\\top W z`, from R's starting values (``mustart``), until the
coefficients change by less than ``tol`` relative to their size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .families import Family


@dataclass(frozen=True)
class IRLSResult:
    beta: np.ndarray
    eta: np.ndarray
    mu: np.ndarray
    information: np.ndarray   # X^T W X at the solution (the "bread" A)
    converged: bool
    iterations: int


def irls(X: np.ndarray, y: np.ndarray, w: np.ndarray, family: Family, *, max_iter: int = 100,
         tol: float = 1e-12, start: np.ndarray | None = None) -> IRLSResult:
    """Fit by IRLS on the rows given (only rows in the fit), from R's starting values or from ``start``."""
    if start is None:
        mu = family.start(y, w)
        eta = family.linkfun(mu)
        beta = np.zeros(X.shape[1])
    else:
        beta = np.array(start, dtype=float)
        eta = X @ beta
        mu = family.linkinv(eta)
    converged = False
    iterations = 0
    for iterations in range(1, max_iter + 1):
        d = family.mu_eta(eta)
        working = w * d**2 / family.variance(mu)
        z = eta + (y - mu) / d
        gram = X.T @ (X * working[:, None])
        new = np.linalg.solve(gram, X.T @ (working * z))
        change = np.max(np.abs(new - beta)) / (np.max(np.abs(new)) + 1e-8)
        beta = new
        eta = X @ beta
        mu = family.linkinv(eta)
        if change < tol:
            converged = True
            break
    d = family.mu_eta(eta)
    information = X.T @ (X * (w * d**2 / family.variance(mu))[:, None])
    return IRLSResult(beta, eta, mu, information, converged, iterations)
