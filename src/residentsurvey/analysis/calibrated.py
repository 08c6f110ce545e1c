"""Variance of estimates from a calibrated design: scores replaced by calibration residuals.

After calibration with model rows :math:`m_i`, starting weights :math:`d_i` and calibrated
weights :math:`w_i`, R's ``svyrecvar`` replaces each score :math:`x_i` by

.. math::  r_i = w_i (u_i - m_i^\\top \\hat\\beta_c), \\qquad u_i = x_i / w_i,

where :math:`\\hat\\beta_c` is the *d*-weighted least-squares fit of *u* on *m* within
calibration group *c* (Deville and Särndal 1992; Lumley 2010, ch. 7). For domain estimates the
fit is per domain: domain *g*'s scores are zero outside it but its residuals are not, so every
row of each calibration group the domain touches carries a residual for that domain. Those
(domain, row) entries are laid out once per estimator call; when domains and calibration
groups coincide (councils calibrated to their own targets and estimated by council) there is
exactly one entry per respondent.

Linear calibration can make weights negative (:class:`~residentsurvey.NegativeWeightWarning`);
those rows keep their residuals, :math:`u_i = x_i / w_i` with :math:`w_i < 0`, as in R, whose
``calibrate()`` divides the scores by :math:`g_i \\sqrt{d_i}` whatever their sign (leaving them
out, as this module once did, moved standard errors by 0.4% or more). A zero weight gives
:math:`u_i = 0`: with :math:`d_i = 0` the row has no say in :math:`\\hat\\beta_c`, and its residual is
zero. R stops there (0/0); these are the limits of its results as :math:`d_i \\to 0`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..weighting.calibrate import CalibrationRecord
from ._pairs import pair_codes


@dataclass(frozen=True)
class CalibratedLayout:
    """Entries (domain, row) for every row of every calibration group a domain touches."""

    record: CalibrationRecord
    rows: np.ndarray            # design row of each entry
    domain: np.ndarray          # domain of each entry
    entry_pair: np.ndarray      # (domain, group) pair of each entry
    row_pair: np.ndarray        # (own domain, own group) pair of each design row
    pair_group: np.ndarray      # group of each pair
    n_pairs: int
    gram_inverse: np.ndarray    # (groups, p, p): pinv of Σ d m m^T


def layout(record: CalibrationRecord, domain: np.ndarray, n_domains: int) -> CalibratedLayout:
    """Lay out the (domain, row) entries for domains ``domain`` of a design calibrated by ``record``."""
    model = record.model
    group = model.group
    row_pair, n_pairs, pair_domain, pair_group = pair_codes(domain, n_domains, group, model.n_groups)
    order = np.argsort(group, kind="stable")
    counts = np.bincount(group, minlength=model.n_groups)
    starts = np.cumsum(counts) - counts
    lengths = counts[pair_group]
    entry_pair = np.repeat(np.arange(n_pairs), lengths)
    within = np.arange(len(entry_pair)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    rows = order[starts[pair_group][entry_pair] + within]
    gram_inverse = np.linalg.pinv(model.gram(record.base_weights), rcond=1e-12, hermitian=True)
    return CalibratedLayout(record, rows, pair_domain[entry_pair], entry_pair, row_pair, pair_group, n_pairs,
                            gram_inverse)


def residuals(plan: CalibratedLayout, scores: np.ndarray) -> np.ndarray:
    """Calibration residuals of ``scores`` (each row's score for its own domain), one per entry."""
    record = plan.record
    w = record.weights
    with np.errstate(divide="ignore", invalid="ignore"):
        u = np.where(w != 0, scores / w, 0.0)
    rhs = record.model.totals(record.base_weights * u, plan.row_pair, plan.n_pairs)
    beta = np.einsum("kij,kj->ki", plan.gram_inverse[plan.pair_group], rhs)
    own = np.where(plan.row_pair[plan.rows] == plan.entry_pair, scores[plan.rows], 0.0)
    return own - w[plan.rows] * record.model.predict(beta, rows=plan.rows, coefficient_rows=plan.entry_pair)
