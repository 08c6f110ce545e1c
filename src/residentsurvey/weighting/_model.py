"""The calibration model matrix, held as codes: sums and cross-products by ``np.bincount``.

Each margin is a term: a categorical one contributes one indicator column per category, a
numeric one its values, the population size a column of ones. Rows carry a group code (the
``by`` group they are calibrated in). Nothing here builds the dense N x p matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Term:
    """One margin's columns: ``codes`` (categorical; width = number of categories) or ``values`` (numeric)."""

    offset: int
    width: int
    codes: np.ndarray | None = None
    values: np.ndarray | None = None


@dataclass(frozen=True)
class Model:
    """Terms, each row's group, and the number of groups and columns."""

    terms: tuple[Term, ...]
    group: np.ndarray
    n_groups: int
    n_columns: int

    def totals(self, weights: np.ndarray, group: np.ndarray | None = None, n_groups: int | None = None) -> np.ndarray:
        """Σ_i weights_i m_i per group (or per the codes ``group``): (groups, columns)."""
        group = self.group if group is None else group
        n_groups = self.n_groups if n_groups is None else n_groups
        out = np.zeros((n_groups, self.n_columns))
        for t in self.terms:
            if t.codes is not None:
                key = group * t.width + t.codes
                out[:, t.offset:t.offset + t.width] = np.bincount(
                    key, weights=weights, minlength=n_groups * t.width).reshape(n_groups, t.width)
            else:
                out[:, t.offset] = np.bincount(group, weights=weights * t.values, minlength=n_groups)
        return out

    def gram(self, weights: np.ndarray) -> np.ndarray:
        """Σ_i weights_i m_i m_i^T per group: (groups, columns, columns)."""
        g, p = self.n_groups, self.n_columns
        out = np.zeros((g, p, p))
        for i, a in enumerate(self.terms):
            for b in self.terms[i:]:
                block = self._cross(a, b, weights)
                out[:, a.offset:a.offset + a.width, b.offset:b.offset + b.width] = block
                out[:, b.offset:b.offset + b.width, a.offset:a.offset + a.width] = block.transpose(0, 2, 1)
        return out

    def _cross(self, a: Term, b: Term, weights: np.ndarray) -> np.ndarray:
        g = self.n_groups
        if a.codes is not None and b.codes is not None:
            key = (self.group * a.width + a.codes) * b.width + b.codes
            return np.bincount(key, weights=weights, minlength=g * a.width * b.width).reshape(g, a.width, b.width)
        if a.codes is not None:
            key = self.group * a.width + a.codes
            return np.bincount(key, weights=weights * b.values, minlength=g * a.width).reshape(g, a.width, 1)
        if b.codes is not None:
            return self._cross(b, a, weights).transpose(0, 2, 1)
        return np.bincount(self.group, weights=weights * a.values * b.values, minlength=g).reshape(g, 1, 1)

    def predict(self, coefficients: np.ndarray, rows: np.ndarray | None = None,
                coefficient_rows: np.ndarray | None = None) -> np.ndarray:
        """m_i^T β for each row (``rows`` selects rows; ``coefficient_rows`` gives each its row of β)."""
        index = slice(None) if rows is None else rows
        which = self.group[index] if coefficient_rows is None else coefficient_rows
        out = np.zeros(len(which))
        for t in self.terms:
            if t.codes is not None:
                out += coefficients[which, t.offset + t.codes[index]]
            else:
                out += coefficients[which, t.offset] * t.values[index]
        return out
