"""Taylor-linearisation variance for every domain at once.

An estimator hands over one *score* (influence value) per respondent, zero outside its domain
and base; the variance of the estimate is the design variance of the total of the scores.
For stage k of the design, with strata h, sampled units i and unit totals :math:`z_{hi}`
of a domain's scores,

.. math::

    v_k = \\sum_h c_h \\, \\frac{n_h}{n_h - 1} (1 - f_h) \\sum_{i=1}^{n_h} (z_{hi} - \\bar z_h)^2

where :math:`n_h` counts *all* units the stratum sampled (units with no respondent in the
domain have :math:`z_{hi} = 0`), :math:`f_h = n_h/N_h` is the sampling fraction (0 without
fpc) and :math:`c_h` the product of the sampling fractions of the stages above (1 at stage 1).
The variance is :math:`\\sum_k v_k`. This is R's ``svyrecvar``; because out-of-domain units
count in :math:`n_h`, the domain estimate's standard error comes from the whole design, as
``svyby`` gives it.

All domains are handled in one pass: rows are grouped into (unit, domain) cells and cells into
(stratum, domain) cells with integer codes and ``np.bincount``; nothing loops over domains
or respondents. A :class:`VariancePlan` holds the cell codes for one set of domains so that
many variables share them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._pairs import pair_codes
from ._structure import Stage, Structure


@dataclass(frozen=True)
class _StagePlan:
    stage: Stage
    cell: np.ndarray | None      # row -> (unit, domain) cell; None when units are rows
    cell_group: np.ndarray       # cell -> (stratum, domain) group
    group_stratum: np.ndarray    # group -> stratum
    group_domain: np.ndarray     # group -> domain
    group_cells: np.ndarray      # group -> number of occupied cells
    n_cells: int
    n_groups: int


@dataclass(frozen=True)
class VariancePlan:
    """Cell codes of one design for one set of domains, reused for every variable.

    ``rows`` (when not None) maps the plan's rows to the design's rows: a calibrated design
    gives each domain residuals on every row of the calibration groups it touches, so a row
    can appear once per domain.
    """

    structure: Structure
    domain: np.ndarray
    n_domains: int
    stages: tuple[_StagePlan, ...]
    rows: np.ndarray | None = None


def plan_variance(structure: Structure, domain: np.ndarray, n_domains: int,
                  rows: np.ndarray | None = None) -> VariancePlan:
    """Prepare the cell codes for domains ``domain`` (one code per row, 0..n_domains-1).

    With ``rows``, ``domain`` gives the domain of each entry of ``rows`` (design row numbers).
    """
    stages = []
    for stage in structure.stages:
        stratum = stage.stratum if rows is None else stage.stratum[rows]
        if stage.unit is None and rows is None:
            cell = None
            cell_stratum, cell_domain = stratum, domain
            n_cells = len(domain)
        else:
            unit = stage.unit_codes if rows is None else stage.unit_codes[rows]
            cell, n_cells, cell_unit, cell_domain = pair_codes(unit, len(stage.unit_stratum), domain, n_domains)
            cell_stratum = stage.unit_stratum[cell_unit]
        group, n_groups, group_stratum, group_domain = pair_codes(cell_stratum, stage.n_strata, cell_domain, n_domains)
        group_cells = np.bincount(group, minlength=n_groups)
        stages.append(_StagePlan(stage, cell, group, group_stratum, group_domain, group_cells, n_cells, n_groups))
    return VariancePlan(structure, domain, n_domains, tuple(stages), rows)


def domain_variance(plan: VariancePlan, scores: np.ndarray, base: np.ndarray | None = None) -> np.ndarray:
    """Variance of the total of ``scores`` within each domain of ``plan``.

    Parameters
    ----------
    plan
        From :func:`plan_variance`.
    scores
        One score per row, zero for rows outside the estimator's base.
    base
        Rows in the estimator's base (respondents with a value); used only by
        ``lonely_psu="average"``, which, as R does, averages over the strata a domain reaches.

    Returns
    -------
    numpy.ndarray
        One variance per domain.
    """
    variance = np.zeros(plan.n_domains)
    for sp in plan.stages:
        stage = sp.stage
        z = scores if sp.cell is None else np.bincount(sp.cell, weights=scores, minlength=sp.n_cells)
        n_h = stage.n_units[sp.group_stratum]
        s1 = np.bincount(sp.cell_group, weights=z, minlength=sp.n_groups)
        mean = np.where(stage.centre[sp.group_stratum], s1 / n_h, 0.0)
        ss = np.bincount(sp.cell_group, weights=(z - mean[sp.cell_group]) ** 2, minlength=sp.n_groups)
        ss += (n_h - sp.group_cells) * mean**2
        factor = stage.factor[sp.group_stratum]
        if stage.excluded.any():
            factor = factor * _average_rescale(plan, sp, base)
        variance += np.bincount(sp.group_domain, weights=factor * ss, minlength=plan.n_domains)
    return variance


def _average_rescale(plan: VariancePlan, sp: _StagePlan, base: np.ndarray | None) -> np.ndarray:
    """lonely_psu="average": per (container, domain), strata reached / strata reached that are kept."""
    stage = sp.stage
    stratum = stage.stratum if plan.rows is None else stage.stratum[plan.rows]
    rows = np.ones(len(plan.domain), dtype=bool) if base is None or plan.rows is not None else base
    reached_rows = np.bincount(
        stratum[rows] * plan.n_domains + plan.domain[rows], minlength=stage.n_strata * plan.n_domains
    )
    reached = reached_rows[sp.group_stratum * plan.n_domains + sp.group_domain] > 0
    container = stage.container[sp.group_stratum]
    key = container * plan.n_domains + sp.group_domain
    size = stage.n_containers * plan.n_domains
    strata_reached = np.bincount(key, weights=reached, minlength=size)
    kept_reached = np.bincount(key, weights=reached & ~stage.excluded[sp.group_stratum], minlength=size)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = strata_reached / kept_reached
    return ratio[key]


def degrees_of_freedom(structure: Structure, domain: np.ndarray, n_domains: int, rows: np.ndarray) -> np.ndarray:
    """Design degrees of freedom per domain: stage-1 PSUs minus strata among ``rows`` of the domain.

    As R's ``degf()`` of the domain's subset design (rows with non-zero weight).
    """
    stage = structure.first
    unit = stage.unit_codes[rows]
    d = domain[rows]
    _, _, _, unit_domain = pair_codes(unit, len(stage.unit_stratum), d, n_domains)
    _, _, _, stratum_domain = pair_codes(stage.stratum[rows], stage.n_strata, d, n_domains)
    return (np.bincount(unit_domain, minlength=n_domains) - np.bincount(stratum_domain, minlength=n_domains)).astype(
        float
    )


def domain_covariance(plan: VariancePlan, scores: np.ndarray) -> np.ndarray:
    """Design covariance matrix of the totals of several score columns, within each domain of ``plan``.

    The matrix form of :func:`domain_variance`: stage by stage, the cross-products of the
    stratum-centred unit totals of every pair of columns,

    .. math::  C_k = \\sum_h c_h \\frac{n_h}{n_h-1}(1-f_h) \\sum_i (z_{hi} - \\bar z_h)(z_{hi} - \\bar z_h)^\\top,

    which is what R's ``svyrecvar`` returns for a matrix of scores (used by ``svyglm`` for the
    sandwich variance of regression coefficients).

    Parameters
    ----------
    plan
        From :func:`plan_variance`.
    scores
        Array (rows, columns): one score per row and column, zero outside the estimator's base.

    Returns
    -------
    numpy.ndarray
        Array (domains, columns, columns). Its diagonal equals :func:`domain_variance` of each column.
    """
    scores = np.asarray(scores, dtype=float)
    p = scores.shape[1]
    covariance = np.zeros((plan.n_domains, p, p))
    for sp in plan.stages:
        stage = sp.stage
        if sp.cell is None:
            z = scores
        else:
            z = np.stack([np.bincount(sp.cell, weights=scores[:, j], minlength=sp.n_cells) for j in range(p)], axis=1)
        n_h = stage.n_units[sp.group_stratum]
        s1 = np.stack([np.bincount(sp.cell_group, weights=z[:, j], minlength=sp.n_groups) for j in range(p)], axis=1)
        mean = np.where(stage.centre[sp.group_stratum][:, None], s1 / n_h[:, None], 0.0)
        centred = z - mean[sp.cell_group]
        factor = stage.factor[sp.group_stratum]
        if stage.excluded.any():
            factor = factor * _average_rescale(plan, sp, None)
        # every (stratum, domain) group's sum of outer products, weighted by its factor, summed per domain
        cell_factor = factor[sp.cell_group]
        ok = cell_factor != 0
        domain_of_cell = sp.group_domain[sp.cell_group]
        for d in np.unique(domain_of_cell[ok]):
            rows = ok & (domain_of_cell == d)
            covariance[d] += (centred[rows] * cell_factor[rows, None]).T @ centred[rows]
        # units of a stratum with no row in the domain have total zero: (n_h - cells) * mean mean^T
        missing = (n_h - sp.group_cells) * factor
        if (missing != 0).any():
            outer = mean[:, :, None] * mean[:, None, :] * missing[:, None, None]
            np.add.at(covariance, sp.group_domain, outer)
    return covariance
