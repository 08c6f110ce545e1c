"""Each council against the consortium it belongs to, and the two consortium figures.

- *All councils* (the group as a whole): the pooled weighted estimate over every respondent,
  councils counting in proportion to their (weighted) population.
- *Average council*: :math:`\\bar\\theta = \\frac1G\\sum_g \\hat\\theta_g`, every council counting
  equally; computed from the pooled respondent data with score
  :math:`u_i / G` (*u* the council's own score), so its standard error is exact.

The comparison of council *g* with all councils is :math:`\\hat\\theta_g - \\hat\\theta` whose
variance :math:`V_g + V - 2\\,\\mathrm{Cov}_g` accounts for *g* being part of the consortium.
When strata (and calibration groups) are nested in councils, as in a consortium sampling and
weighting each council separately, covariances between councils vanish and

.. math::  \\mathrm{Var}(\\hat\\theta_g - \\hat\\theta) = V_g(u_g - u) + V - V_g(u),

three one-pass variances over all councils at once. Otherwise each council's contrast is
computed on the whole design in turn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ._columns import numeric_column, require_columns
from ._pairs import pair_codes
from .estimators import _context, _ratio_parts

if TYPE_CHECKING:
    from .design import SurveyDesign


def _nested(design: "SurveyDesign", domain: np.ndarray, n_domains: int) -> bool:
    """Whether every first-stage stratum and calibration group lies within one domain."""
    stage = design._structure.first
    _, pairs, _, _ = pair_codes(stage.stratum, stage.n_strata, domain, n_domains)
    if pairs != stage.n_strata:
        return False
    record = design.calibration
    if record is not None:
        _, pairs, _, _ = pair_codes(record.model.group, record.model.n_groups, domain, n_domains)
        if pairs != record.model.n_groups:
            return False
    return True


def consortium_comparison(design: "SurveyDesign", variable: str, by: str | list[str], *,
                          level: float = 0.95) -> pd.DataFrame:
    """Each domain's mean of ``variable`` against the whole sample's, with the right standard error.

    Returns
    -------
    pandas.DataFrame
        One row per domain: the ``by`` columns, ``estimate``, ``se``, ``n``, ``difference``
        (domain minus all), ``difference_se``, ``statistic``, ``p_value`` (two-sided, normal).
        ``attrs`` holds ``consortium`` (estimate, se, n) and ``average`` (estimate, se, areas) for
        the two consortium figures, and ``nested`` (which variance route was used).

    Examples
    --------
    >>> import residentsurvey as rs
    >>> design = rs.SurveyDesign(rs.demo_consortium(), weights="design_weight", strata="stratum", psu="sector")
    >>> table = consortium_comparison(design, "ons_life_satisfaction", "council")
    >>> bool((table["difference_se"] > 0).all()), table.attrs["nested"]
    (True, True)
    """
    from scipy import stats
    require_columns(design.data, [variable], "variable")
    y = numeric_column(design.data, variable, "variable")
    by_ctx, all_ctx = _context(design, by), _context(design, None)
    own, whole = _ratio_parts(by_ctx, y, None), _ratio_parts(all_ctx, y, None)
    domain, count = by_ctx.domains.codes, by_ctx.domains.count
    v_own = by_ctx.variance(own.scores, own.base, own.ratio)
    v_whole = float(all_ctx.variance(whole.scores, whole.base, whole.ratio)[0])
    nested = by_ctx.engine.linearised and _nested(design, domain, count)
    if nested:
        v_diff = by_ctx.variance(own.scores - whole.scores, own.base) + v_whole - by_ctx.variance(whole.scores, whole.base)
    else:
        v_diff = by_ctx.engine.combinations_variance(own.ratio, whole.ratio, np.eye(count), -np.ones(count))
    estimate = own.estimate
    difference = estimate - whole.estimate[0]
    difference_se = np.sqrt(np.maximum(v_diff, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = difference / difference_se
    table = by_ctx.domains.labels.copy()
    table["estimate"], table["se"], table["n"] = estimate, np.sqrt(v_own), own.n.astype(int)
    table["difference"], table["difference_se"] = difference, difference_se
    table["statistic"], table["p_value"] = z, 2 * stats.norm.sf(np.abs(z))
    empty = own.n == 0
    table.loc[empty, ["estimate", "se", "difference", "difference_se", "statistic", "p_value"]] = np.nan
    # the average council: equal weight to every domain with respondents
    present = ~np.isnan(estimate)
    areas = int(present.sum())
    average = (present / max(areas, 1))[None, :]
    average_se = float(np.sqrt(by_ctx.engine.combinations_variance(own.ratio, whole.ratio, average, np.zeros(1))[0]))
    table.attrs.update({
        "consortium": {"estimate": float(whole.estimate[0]), "se": float(np.sqrt(v_whole)), "n": int(whole.n[0])},
        "average": {"estimate": float(np.nanmean(estimate)) if areas else np.nan, "se": average_se, "areas": areas},
        "nested": nested,
        "level": level,
    })
    return table
