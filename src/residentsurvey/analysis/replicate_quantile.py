"""Quantiles of a replicate design with R's two interval types (``svyquantile.svyrep.design``).

Woodruff (``interval.type="mean"``): with :math:`\\hat q` the quantile and
:math:`\\hat F = \\hat P(y \\le \\hat q)` (its replicate SE :math:`s_F`), the limits are the
quantiles at :math:`\\hat F \\mp t\\,s_F`; ``se`` is their distance over 2t. Replicate
(``interval.type="quantile"``): the quantile recomputed with each replicate's weights, its
replicate variance, and :math:`\\hat q \\pm t\\,se`. t has the design's degrees of freedom.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import DesignError
from ._columns import numeric_column, require_columns
from ._domains import make_domains
from .intervals import check_level
from .quantiles import sort_order, weighted_quantile
from .replicate_variance import replicate_totals, svr_variance

if TYPE_CHECKING:
    from .replicate_design import ReplicateDesign


def quantile_table(design: "ReplicateDesign", variable: str, q: float | Sequence[float], *, by,
                   ci_method: str, level: float) -> pd.DataFrame:
    require_columns(design.data, [variable], "variable")
    level = check_level(level)
    probabilities = np.atleast_1d(np.asarray(q, dtype=float))
    if probabilities.ndim != 1 or np.isnan(probabilities).any() or ((probabilities <= 0) | (probabilities >= 1)).any():
        raise DesignError(f"q={q!r} must be probabilities strictly between 0 and 1, e.g. 0.5 or [0.25, 0.5, 0.75].")
    y = numeric_column(design.data, variable, "variable")
    present = ~np.isnan(y)
    domains = make_domains(design.data, by)
    codes, count = domains.codes, domains.count
    rep = design._replicates
    w = np.where(present, design._weight_array, 0.0)
    values = np.where(present, y, np.inf)
    order = sort_order(values, codes)
    t = stats.t.ppf(0.5 + level / 2, design.degf) if design.degf > 0 else np.nan
    n = np.bincount(codes[present], minlength=count)
    matrix = rep.row_weights(design._weight_array) * present[:, None] if ci_method == "replicate" else None
    blocks = []
    for p in probabilities:  # a handful of probabilities, each for every domain and replicate at once
        estimate = weighted_quantile(values, w, codes, count, p, order)
        if ci_method == "replicate":
            thetas = weighted_quantile(values, matrix, codes, count, p, order).T
            se = np.sqrt(svr_variance(thetas, estimate, scale=rep.scale, rscales=rep.rscales, mse=rep.mse))
            lower, upper = estimate - t * se, estimate + t * se
        else:
            below = np.where(present, (values <= estimate[codes]).astype(float), 0.0)
            base = present.astype(float)
            top = replicate_totals(rep, design._weight_array, below, codes, count)
            bottom = replicate_totals(rep, design._weight_array, base, codes, count)
            with np.errstate(divide="ignore", invalid="ignore"):
                share = np.bincount(codes, weights=w * below, minlength=count) / np.bincount(codes, weights=w, minlength=count)
                share_se = np.sqrt(svr_variance(np.where(bottom != 0, top / bottom, np.nan), share, scale=rep.scale,
                                                rscales=rep.rscales, mse=rep.mse))
            low_p, high_p = share - t * share_se, share + t * share_se
            lower = weighted_quantile(values, w, codes, count, np.where(low_p >= 0, low_p, np.nan), order)
            upper = weighted_quantile(values, w, codes, count, np.where(high_p <= 1, high_p, np.nan), order)
            se = (upper - lower) / (2 * t)
        frame = domains.labels.copy()
        frame["variable"] = variable
        frame["quantile"] = p
        frame["estimate"], frame["se"], frame["ci_lower"], frame["ci_upper"] = estimate, se, lower, upper
        frame["n"] = n
        blocks.append(frame)
    table = pd.concat(blocks, ignore_index=True)
    if len(domains.columns):
        table = table.sort_values(list(domains.columns) + ["quantile"], kind="stable", ignore_index=True)
    table["estimate"] = table["estimate"].where(table["n"] > 0)
    return table

