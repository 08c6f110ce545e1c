"""Design-based estimation: the survey design, estimators, variance and comparisons."""

from .design import DesignSpec, SurveyDesign
from .effective_size import effective_sample_size, kish_deff
from .intervals import MEAN_CI_METHODS, PROPORTION_CI_METHODS
from ._structure import LONELY_PSU_RULES

__all__ = [
    "SurveyDesign",
    "DesignSpec",
    "effective_sample_size",
    "kish_deff",
    "MEAN_CI_METHODS",
    "PROPORTION_CI_METHODS",
    "LONELY_PSU_RULES",
]
