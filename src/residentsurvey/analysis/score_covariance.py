"""Design covariance of the totals of several score columns over the whole design.

The sandwich variance of a regression (:mod:`residentsurvey.models`) needs the full covariance
matrix of the estimating-function totals, not only their variances. This is that matrix for a
design as it stands: Taylor linearisation stage by stage
(:func:`~residentsurvey.analysis.variance.domain_covariance`), on the calibration residuals of the
scores when the design is calibrated (:mod:`~residentsurvey.analysis.calibrated`), as R's
``svyrecvar(..., postStrata=)``. A domain (a subset) is handled by the caller: scores are zero
outside it and the whole design stays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .calibrated import layout, residuals
from .variance import domain_covariance, plan_variance

if TYPE_CHECKING:
    from .design import SurveyDesign


def score_covariance(design: "SurveyDesign", scores: np.ndarray) -> np.ndarray:
    """Covariance matrix (columns x columns) of the design totals of ``scores`` (rows x columns)."""
    scores = np.asarray(scores, dtype=float)
    if scores.ndim == 1:
        scores = scores[:, None]
    whole = np.zeros(design.n, dtype=np.int64)
    record = design.calibration
    if record is None:
        return domain_covariance(plan_variance(design._structure, whole, 1), scores)[0]
    entries = layout(record, whole, 1)
    plan = plan_variance(design._structure, entries.domain, 1, rows=entries.rows)
    resid = np.stack([residuals(entries, scores[:, j]) for j in range(scores.shape[1])], axis=1)
    return domain_covariance(plan, resid)[0]
