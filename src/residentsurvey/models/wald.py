"""Wald tests of several coefficients at once, as R's ``regTermTest(..., method="Wald")``.

For the coefficients :math:`\\beta_T` of the tested terms, with design covariance :math:`V_T`,

.. math::  F = \\beta_T^\\top V_T^{-1} \\beta_T / q

on :math:`q` and the model's residual degrees of freedom (R's default ``df = df.residual``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import ModelError

if TYPE_CHECKING:
    from .results import GLMResults


def coefficient_positions(names: tuple[str, ...], term_columns: dict[str, tuple[int, ...]],
                          terms: str | list[str]) -> list[int]:
    """Positions of the coefficients of ``terms`` (term labels or coefficient names)."""
    wanted = [terms] if isinstance(terms, str) else list(terms)
    if not wanted:
        raise ModelError("wald_test() needs at least one term.")
    positions: list[int] = []
    for term in wanted:
        if term in term_columns:
            positions.extend(term_columns[term])
        elif term in names:
            positions.append(names.index(term))
        else:
            raise ModelError(f"term {term!r} is not in the model; its terms are "
                             f"{', '.join(repr(t) for t in term_columns if t != '1')}.")
    return sorted(set(positions))


def wald_test(fit: "GLMResults", terms: str | list[str]) -> pd.DataFrame:
    """See :meth:`GLMResults.wald_test`."""
    from scipy import stats

    positions = coefficient_positions(fit.names, fit._frame.term_columns, terms)
    beta = fit.params_[positions]
    v = fit.cov[np.ix_(positions, positions)]
    q = len(positions)
    f = float(beta @ np.linalg.solve(v, beta) / q)
    label = terms if isinstance(terms, str) else " + ".join(terms)
    return pd.DataFrame({"terms": [label], "F": [f], "df_num": [q], "df_den": [fit.df],
                         "p_value": [float(stats.f.sf(f, q, fit.df))]})
