"""Predictive margins: the average prediction with a variable set to each category, as R's ``svypredmeans``.

For category *g* and respondents *i* in the fit (within group *b* of ``by``), with weights
:math:`w_i` and :math:`\\hat\\mu_{ig}` the prediction with the variable set to *g*,

.. math::  m_{gb} = \\sum_i w_i \\hat\\mu_{ig} / \\sum_i w_i .

Its variance is R's: the design variance of that weighted mean with the predictions held fixed
(scores :math:`w_i(\\hat\\mu_{ig} - m_{gb})/\\sum w_i`, covariance across categories from the same
machinery as the coefficients), plus :math:`d^\\top \\hat V_\\beta d` with
:math:`d = \\sum_i w_i \\dot\\mu(\\eta_{ig}) x_{ig} / \\sum_i w_i` for the coefficients' uncertainty.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..analysis._domains import make_domains
from ..analysis.score_covariance import score_covariance
from ..errors import DesignError, ModelError
from .families import FAMILIES

if TYPE_CHECKING:
    from .results import GLMResults


def predictive_margins(fit: "GLMResults", variable: str, *, by, level: float) -> pd.DataFrame:
    """See :meth:`GLMResults.predictive_margins`."""
    from scipy import stats

    design, frame = fit._design, fit._frame
    if hasattr(design, "_replicates"):
        raise DesignError("predictive_margins() on a replicate-weight design is not available yet; fit the model "
                          "on the Taylor design (SurveyDesign) for margins.")
    data = design.data.reset_index(drop=True)
    if variable not in data.columns:
        raise ModelError(f"variable {variable!r} is not a column of the design's data.")
    base = frame.base
    rows = data.loc[base]
    column = data[variable]
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = list(column.cat.categories)
    else:
        categories = sorted(column[base].dropna().unique().tolist())
    domains = make_domains(rows, by)
    w = design._weight_array[base]
    group = domains.codes
    sum_w = np.bincount(group, weights=w, minlength=domains.count)
    fam = FAMILIES[fit.family]
    n_cells = len(categories) * domains.count
    scores = np.zeros((design.n, n_cells))
    gradient = np.zeros((len(fit.names), n_cells))
    estimate = np.zeros(n_cells)
    for k, category in enumerate(categories):  # loop over the variable's categories, not respondents
        altered = rows.copy()
        altered[variable] = pd.Series([category] * len(rows), index=rows.index, dtype=column.dtype)
        X = fit._matrix(altered)
        eta = X @ fit.params_
        mu = fam.linkinv(eta)
        cells = k * domains.count + np.arange(domains.count)
        m = np.bincount(group, weights=w * mu, minlength=domains.count) / sum_w
        estimate[cells] = m
        one_hot = np.zeros((len(rows), domains.count))
        one_hot[np.arange(len(rows)), group] = 1.0
        scores[np.ix_(base, cells)] = one_hot * ((w * (mu - m[group])) / sum_w[group])[:, None]
        gradient[:, cells] = (X * (w * fam.mu_eta(eta))[:, None]).T @ one_hot / sum_w
    cov = score_covariance(design, scores) + gradient.T @ fit.cov @ gradient
    se = np.sqrt(np.diag(cov))
    q = stats.norm.ppf(0.5 + level / 2)
    n = np.bincount(group, minlength=domains.count)
    table = pd.concat([domains.labels] * len(categories), ignore_index=True)
    table["variable"] = variable
    table["category"] = np.repeat(np.array(categories, dtype=object), domains.count)
    table["estimate"], table["se"] = estimate, se
    table["ci_lower"], table["ci_upper"] = estimate - q * se, estimate + q * se
    table["n"] = np.tile(n, len(categories))
    return table
