"""residentsurvey: jointly commissioned resident surveys, from returns to council estimates.

>>> import residentsurvey as rs
>>> design = rs.SurveyDesign(rs.demo_consortium(), weights="design_weight", strata="stratum", psu="sector")
>>> table = design.proportion("q_satisfied_area", by="council")
"""

from .analysis import (
    LONELY_PSU_RULES,
    MEAN_CI_METHODS,
    PROPORTION_CI_METHODS,
    DesignSpec,
    SurveyDesign,
    effective_sample_size,
    kish_deff,
)
from .datasets import demo_consortium, demo_council_populations, demo_population
from .report import plot_weight_distribution
from .scales import cronbach_alpha, item_statistics, load_instrument, reliability_report, score, shipped_instruments
from .weighting import (
    CALIBRATION_METHODS,
    calibrate_weights,
    calibration_targets,
    design_weights,
    nonresponse_adjustment,
    trim_weights,
    weighting_summary,
)
from .errors import (
    CalibrationError,
    ConvergenceWarning,
    CostShareError,
    DesignError,
    DesignWarning,
    LonelyPSUError,
    OptionError,
    QuestionnaireError,
    ResidentSurveyError,
    ResidentSurveyWarning,
    ReturnsError,
    SamplingError,
    ScaleError,
    SmallBaseWarning,
)

__version__ = "0.1.0"

__all__ = [
    "SurveyDesign",
    "DesignSpec",
    "effective_sample_size",
    "kish_deff",
    "MEAN_CI_METHODS",
    "PROPORTION_CI_METHODS",
    "LONELY_PSU_RULES",
    "calibrate_weights",
    "calibration_targets",
    "design_weights",
    "nonresponse_adjustment",
    "trim_weights",
    "weighting_summary",
    "CALIBRATION_METHODS",
    "plot_weight_distribution",
    "score",
    "load_instrument",
    "shipped_instruments",
    "cronbach_alpha",
    "item_statistics",
    "reliability_report",
    "demo_consortium",
    "demo_population",
    "demo_council_populations",
    "ResidentSurveyError",
    "QuestionnaireError",
    "ReturnsError",
    "SamplingError",
    "CostShareError",
    "DesignError",
    "LonelyPSUError",
    "CalibrationError",
    "ScaleError",
    "OptionError",
    "ResidentSurveyWarning",
    "DesignWarning",
    "ConvergenceWarning",
    "SmallBaseWarning",
    "__version__",
]
