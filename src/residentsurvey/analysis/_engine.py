"""One variance interface, two implementations: Taylor linearisation and replicate weights.

An estimator describes what it estimates once, per domain, as a :class:`Ratio` of weighted
totals (with its linearised scores), and asks the design's engine for the variance. The
:class:`TaylorEngine` uses the scores (R's ``svyrecvar``); the replicate engine
(:class:`residentsurvey.analysis.replicate_variance.ReplicateEngine`) recomputes the ratio with
every replicate's weights (R's ``svrVar``). Estimators never ask which one they have.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from .calibrated import CalibratedLayout, layout, residuals
from .variance import VariancePlan, degrees_of_freedom, domain_variance, plan_variance

if TYPE_CHECKING:
    from ._domains import Domains
    from .design import SurveyDesign


@dataclass(frozen=True)
class Ratio:
    """A statistic of every domain, :math:`\\sum_i w_i y_i / \\sum_i w_i x_i` over the domain's rows.

    ``numerator`` and ``denominator`` hold y and x per row, zero outside the estimator's base (a
    mean's denominator is the boolean base itself); ``denominator=None`` makes it a total.
    ``scores`` are its linearised scores (for Taylor).
    """

    numerator: np.ndarray
    denominator: np.ndarray | None
    scores: np.ndarray
    base: np.ndarray | None


class VarianceEngine(Protocol):
    """What estimators ask of a design's variance method, for one set of domains."""

    calibrated: CalibratedLayout | None
    keeps_all_rows: bool  # a domain is the whole design with weights zeroed elsewhere (R's svydesign subsets)
    linearised: bool      # variances are of score totals, so they add over strata (shortcuts may use that)

    def variance(self, scores: np.ndarray, base: np.ndarray | None, ratio: Ratio | None = None) -> np.ndarray:
        """Variance of each domain's statistic."""

    def contrast_variance(self, ratio: Ratio, coefficients: np.ndarray) -> float:
        """Variance of :math:`\\sum_d c_d \\hat\\theta_d` over the domains (the whole design's covariance)."""

    def combinations_variance(self, ratio: Ratio, whole: Ratio, matrix: np.ndarray,
                              whole_weights: np.ndarray) -> np.ndarray:
        """Variance of each :math:`\\sum_d M_{jd} \\hat\\theta_d + c_j \\hat\\theta` (θ the whole sample's ``whole``)."""

    def degrees_of_freedom(self) -> np.ndarray:
        """Degrees of freedom of each domain (R's ``degf`` of the domain's subset)."""

    def link_se(self, ratio: Ratio, estimate: np.ndarray, link: str) -> np.ndarray | None:
        """Standard error of a transformed estimate computed directly (replicates), or None (use the delta method)."""


@dataclass(frozen=True)
class TaylorEngine:
    """Taylor linearisation: the design variance of the scores' totals (calibration residuals if calibrated)."""

    design: "SurveyDesign"
    domains: "Domains"
    plan: VariancePlan
    calibrated: CalibratedLayout | None
    keeps_all_rows: bool = True
    linearised: bool = True

    @classmethod
    def build(cls, design: "SurveyDesign", domains: "Domains") -> "TaylorEngine":
        record = design.calibration
        if record is None:
            return cls(design, domains, plan_variance(design._structure, domains.codes, domains.count), None)
        entries = layout(record, domains.codes, domains.count)
        plan = plan_variance(design._structure, entries.domain, domains.count, rows=entries.rows)
        return cls(design, domains, plan, entries)

    def variance(self, scores: np.ndarray, base: np.ndarray | None, ratio: Ratio | None = None) -> np.ndarray:
        if self.calibrated is None:
            return domain_variance(self.plan, scores, base)
        return domain_variance(self.plan, residuals(self.calibrated, scores))

    def contrast_variance(self, ratio: Ratio, coefficients: np.ndarray) -> float:
        from ._domains import make_domains

        contrast = ratio.scores * coefficients[self.domains.codes]
        # the whole design, as svyby(covmat=TRUE) uses (it matters only for lonely_psu="average")
        whole = TaylorEngine.build(self.design, make_domains(self.design.data, None))
        return float(whole.variance(contrast, None)[0])

    def combinations_variance(self, ratio: Ratio, whole: Ratio, matrix: np.ndarray,
                              whole_weights: np.ndarray) -> np.ndarray:
        from ._domains import make_domains

        engine = TaylorEngine.build(self.design, make_domains(self.design.data, None))
        codes = self.domains.codes
        return np.array([engine.variance(matrix[j][codes] * ratio.scores + whole_weights[j] * whole.scores, None)[0]
                         for j in range(len(matrix))])  # one whole-design variance per combination (councils)

    def degrees_of_freedom(self) -> np.ndarray:
        return degrees_of_freedom(self.design._structure, self.domains.codes, self.domains.count,
                                  self.design._weight_array != 0)

    def link_se(self, ratio: Ratio, estimate: np.ndarray, link: str) -> np.ndarray | None:
        return None
