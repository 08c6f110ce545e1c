"""Checks before a model is fitted: every coefficient must be estimable in its domain.

A column of the model matrix that is zero for everyone in the fit (an empty category inside
the domain), constant, or a linear combination of earlier columns cannot be estimated; and a
design needs more PSUs than coefficients for the t tests (R's residual df,
``degf + 1 - coefficients``). Each failure is a :class:`~residentsurvey.ModelError` naming the
term and the domain and saying what to do.
"""

from __future__ import annotations

import numpy as np

from ..errors import ModelError
from ._frame import ModelFrame


def _term_of(frame: ModelFrame, column: int) -> str:
    for term, columns in frame.term_columns.items():
        if column in columns:
            return term
    return frame.names[column]


def check_estimable(frame: ModelFrame, X: np.ndarray, w: np.ndarray) -> None:
    """Raise when a coefficient cannot be estimated from the rows ``X`` (in the fit) with weights ``w``."""
    where = f"in {frame.domain_label} ({frame.n} respondents in the fit)"
    if frame.n == 0:
        raise ModelError(f"no respondent is left to fit {frame.formula!r} {where}: "
                         f"left out: {frame.excluded}. Check the subset and the missing values.")
    gram = X.T @ (X * w[:, None])
    kept: list[int] = []
    for j in range(X.shape[1]):
        name, term = frame.names[j], _term_of(frame, j)
        if gram[j, j] <= 0 or not np.any(X[:, j] != 0):
            if "[" in name:
                raise ModelError(
                    f"category {name!r} of term {term!r} has no respondents {where}; its coefficient cannot be "
                    "estimated. Merge it with another category, drop the term, or fit a larger domain."
                )
            raise ModelError(f"term {term!r} (column {name!r}) is zero for everyone {where}; drop it from the formula.")
        if kept:
            g = gram[np.ix_(kept, kept)]
            c = gram[kept, j]
            residual = gram[j, j] - c @ np.linalg.solve(g, c)
            if residual <= 1e-9 * gram[j, j]:
                others = ", ".join(repr(frame.names[k]) for k in kept)
                what = "constant" if np.ptp(X[:, j]) == 0 else "a linear combination of earlier terms"
                raise ModelError(
                    f"term {term!r} (column {name!r}) is {what} {where}: it is collinear with {others}, so its "
                    "coefficient is not identified. Drop the term (or one of those it duplicates)."
                )
        kept.append(j)


def check_df(frame: ModelFrame, degf: float, p: int) -> float:
    """R's residual degrees of freedom, ``degf + 1 - p``; an error when fewer than one."""
    df = degf + 1 - p
    if df < 1:
        raise ModelError(
            f"too few PSUs for {frame.formula!r} in {frame.domain_label}: the design has {int(degf)} degrees of "
            f"freedom (PSUs minus strata) there but the model has {p} coefficients, leaving {int(df)}. "
            "Use fewer terms, or fit a larger domain."
        )
    return df
