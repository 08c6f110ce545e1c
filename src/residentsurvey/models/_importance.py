"""Relative importance of drivers from covariance matrices: LMG/Shapley and Johnson's relative weights.

Everything works on a batch of (outcome, drivers) covariance matrices at once (one per area, or
per jackknife replicate), never on respondents. The R² of every subset of drivers comes from the
sweep operator on the correlation matrix (Goodnight 1979): sweeping driver *k* into a model
leaves :math:`1 - R^2` of the current subset in the outcome's diagonal entry. Subsets are
enumerated depth first, each by one sweep of its parent, so :math:`2^p - 1` sweeps of a
(batch, p+1, p+1) array give every R² of every matrix in the batch.

*LMG* (Lindeman, Merenda and Gold 1980; Shapley value of R², as R's ``relaimpo``):

.. math::  I_j = \\sum_{S \\not\\ni j} \\frac{|S|!\\,(p-|S|-1)!}{p!} \\left(R^2_{S\\cup j} - R^2_S\\right),

which sum to the full model's R². *Relative weights* (Johnson 2000): with
:math:`R_{xx} = Q \\Lambda Q^\\top` and :math:`L = Q \\Lambda^{1/2} Q^\\top`,
:math:`\\beta^* = L^{-1} r_{xy}` and :math:`\\varepsilon_j = \\sum_k L_{jk}^2 \\beta_k^{*2}`, also summing to R².
"""

from __future__ import annotations

from functools import lru_cache
from math import factorial

import numpy as np

_TOL = 1e-10


def correlation(cov: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Correlation matrices of a batch of covariances, and which variables are constant (variance ~ 0).

    A constant variable gets zero correlations (and 1 on the diagonal), so it explains nothing.
    """
    var = np.einsum("bii->bi", cov)
    scale = np.maximum(var.max(axis=1, keepdims=True), 1e-300)
    constant = var <= _TOL * scale
    sd = np.sqrt(np.where(constant, 1.0, var))
    corr = cov / sd[:, :, None] / sd[:, None, :]
    corr = np.where(constant[:, :, None] | constant[:, None, :], 0.0, corr)
    idx = np.arange(cov.shape[1])
    corr[:, idx, idx] = 1.0
    return corr, constant


def subset_r2(corr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """R² of every subset of drivers (bit k of the subset's number = driver k), outcome last.

    Returns (2**p, batch) R² and (batch, p) flags of drivers that were collinear with an
    earlier subset in some sweep (their sweep was skipped: they add nothing there).

    Depth first, a node holds the swept matrix restricted to the drivers still to come (those
    after its last driver) and the outcome: sweeping one of them is a rank-one update of the
    rows and columns after it, so the matrices shrink towards the leaves.
    """
    batch, q, _ = corr.shape
    p = q - 1
    r2 = np.zeros((2**p, batch))
    degenerate = np.zeros((p, batch), dtype=bool)
    # batch last: every operation runs along long contiguous rows of the batch
    stack = [(0, np.arange(p), np.ascontiguousarray(corr.transpose(1, 2, 0)))]
    while stack:
        mask, drivers, a = stack.pop()
        for t, k in enumerate(drivers):
            d = a[t, t]
            ok = d > _TOL
            degenerate[k] |= ~ok
            inverse = np.where(ok, 1.0 / np.where(ok, d, 1.0), 0.0)
            col = a[t + 1:, t]
            child_mask = mask | (1 << int(k))
            if t + 1 < len(drivers):
                child = a[t + 1:, t + 1:] - col[:, None] * (col * inverse)[None, :]
                r2[child_mask] = 1.0 - child[-1, -1]
                stack.append((child_mask, drivers[t + 1:], child))
            else:  # no driver comes after k: only the outcome's entry is needed
                r2[child_mask] = 1.0 - (a[-1, -1] - col[-1] ** 2 * inverse)
    return r2, degenerate.T


@lru_cache(maxsize=32)
def shapley_weights(p: int) -> np.ndarray:
    """Matrix M (2**p, p) with LMG importances = R² @ M: +w(|S|) at S∪j, -w(|S|) at S, for S without j."""
    masks = np.arange(2**p)
    size = np.array([bin(m).count("1") for m in masks])
    weight = np.array([factorial(s) * factorial(p - s - 1) / factorial(p) if s < p else 0.0 for s in size])
    m = np.zeros((2**p, p))
    for j in range(p):
        without = masks[(masks >> j) & 1 == 0]
        m[without | (1 << j), j] += weight[without]
        m[without, j] -= weight[without]
    return m


def shapley(r2: np.ndarray, p: int) -> np.ndarray:
    """LMG/Shapley share of R² of each driver, (batch, p), from :func:`subset_r2`'s (2**p, batch) R²."""
    return (shapley_weights(p).T @ r2).T


def relative_weights(corr: np.ndarray) -> np.ndarray:
    """Johnson's relative weights, (batch, p), from correlation matrices with the outcome last."""
    rxx, rxy = corr[:, :-1, :-1], corr[:, :-1, -1]
    values, vectors = np.linalg.eigh(rxx)
    root = np.sqrt(np.clip(values, 0.0, None))
    inverse_root = np.where(root > 1e-8, 1.0 / np.where(root > 1e-8, root, 1.0), 0.0)
    lam = np.einsum("bij,bj,bkj->bik", vectors, root, vectors)
    lam_inverse = np.einsum("bij,bj,bkj->bik", vectors, inverse_root, vectors)
    beta = np.einsum("bij,bj->bi", lam_inverse, rxy)
    return np.einsum("bjk,bk->bj", lam**2, beta**2)


def standardised_coefficients(corr: np.ndarray) -> np.ndarray:
    """Standardised regression coefficients of the full model, (batch, p) (pseudo-inverse when singular)."""
    rxx, rxy = corr[:, :-1, :-1], corr[:, :-1, -1]
    return np.einsum("bij,bj->bi", np.linalg.pinv(rxx, hermitian=True), rxy)
