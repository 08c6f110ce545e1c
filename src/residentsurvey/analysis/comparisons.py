"""Differences between two domains' estimates, with the covariance the shared design induces.

For domains *a* and *b* the difference :math:`\\hat\\theta_a - \\hat\\theta_b` has score
:math:`u_i^{(a)} - u_i^{(b)}`, so its variance is :math:`v_a + v_b - 2\\,c_{ab}` computed in one
pass over the design. This is what R gives with
``svycontrast(svyby(~y, ~g, design, svymean, covmat=TRUE), c(1, -1))``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import DesignError
from ._columns import as_names, numeric_column, require_columns
from .estimators import _context, _intervals, _ratio_parts
from .intervals import MEAN_CI_METHODS, check_level, lookup

if TYPE_CHECKING:
    from .design import SurveyDesign


def difference(design: "SurveyDesign", variable: str, *, by: str | list[str], a: object, b: object,
               ci_method: str, level: float) -> pd.DataFrame:
    """Body of :meth:`SurveyDesign.difference`."""
    from scipy import stats
    by_names = as_names(by, "by")
    if not by_names:
        raise DesignError("difference() needs by= naming the column(s) whose domains a and b are compared.")
    require_columns(design.data, [variable], "variable")
    level = check_level(level)
    lookup(MEAN_CI_METHODS, ci_method)
    y = numeric_column(design.data, variable, "variable")
    ctx = _context(design, by_names)
    codes = []
    for name, value in (("a", a), ("b", b)):
        try:
            codes.append(ctx.domains.find(value))
        except (KeyError, ValueError):
            shown = ", ".join(repr(tuple(row) if len(row) > 1 else row[0])
                              for row in ctx.domains.labels.itertuples(index=False))
            raise DesignError(
                f"{name}={value!r} is not a domain of by={by_names}; the domains are: {shown}."
            ) from None
    code_a, code_b = codes
    if code_a == code_b:
        raise DesignError(f"a and b name the same domain ({a!r}); compare two different domains.")
    parts = _ratio_parts(ctx, y, None)
    coefficients = np.zeros(ctx.domains.count)
    coefficients[code_a], coefficients[code_b] = 1.0, -1.0
    se = float(np.sqrt(ctx.engine.contrast_variance(parts.ratio, coefficients)))
    estimate = float(parts.estimate[code_a] - parts.estimate[code_b])
    df = np.array([float(design.degf)])
    lower, upper = _intervals(ci_method, MEAN_CI_METHODS, np.array([estimate]), np.array([se]), level, df)
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = np.float64(estimate) / np.float64(se)
    if ci_method == "t":
        p_value = 2 * stats.t.sf(abs(statistic), df[0]) if df[0] > 0 else np.nan
    else:
        p_value = 2 * stats.norm.sf(abs(statistic))
    row = {
        "variable": variable,
        "by": ", ".join(by_names),
        "a": a,
        "b": b,
        "estimate_a": parts.estimate[code_a],
        "estimate_b": parts.estimate[code_b],
        "estimate": estimate,
        "se": se,
        "ci_lower": lower[0],
        "ci_upper": upper[0],
        "statistic": statistic,
        "p_value": p_value,
        "n_a": int(parts.n[code_a]),
        "n_b": int(parts.n[code_b]),
    }
    table = pd.DataFrame([row])
    table.attrs.update({"statistic": "difference of means", "level": level, "ci_method": ci_method})
    return table
