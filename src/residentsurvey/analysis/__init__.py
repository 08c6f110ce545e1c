"""Design-based estimation: the survey design, estimators, variance and comparisons."""

from .design import DesignSpec, SurveyDesign
from .effective_size import effective_sample_size, kish_deff
from .intervals import MEAN_CI_METHODS, PROPORTION_CI_METHODS
from ._structure import LONELY_PSU_RULES
from .replicate import REPLICATE_METHODS
from .replicate_design import QUANTILE_CI_METHODS, ReplicateDesign, ReplicateEstimates

__all__ = [
    "SurveyDesign",
    "DesignSpec",
    "effective_sample_size",
    "kish_deff",
    "MEAN_CI_METHODS",
    "PROPORTION_CI_METHODS",
    "LONELY_PSU_RULES",
    "ReplicateDesign",
    "ReplicateEstimates",
    "REPLICATE_METHODS",
    "QUANTILE_CI_METHODS",
]
