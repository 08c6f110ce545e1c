"""residentsurvey: jointly commissioned resident surveys, from returns to council estimates.

>>> import residentsurvey as rs
>>> design = rs.SurveyDesign(rs.demo_consortium(), weights="design_weight", strata="stratum", psu="sector")
>>> table = design.proportion("q_satisfied_area", by="council")

Importing the package is cheap: the public names below are loaded on first use (PEP 562), so
``import residentsurvey`` and ``residentsurvey --help`` load neither pandas' heavy friends nor
matplotlib or scipy. ``rs.forest_plot`` imports the report package the first time it is asked
for; ``dir(rs)`` and ``__all__`` list every public name. The errors and warnings are plain
classes and are imported at once.
"""

from __future__ import annotations

import importlib
from typing import Any

from .errors import (
    CalibrationError,
    ConvergenceWarning,
    CostShareError,
    DesignError,
    DesignWarning,
    LonelyPSUError,
    MissingCodeWarning,
    ModelError,
    ModelVarianceWarning,
    ModelWarning,
    NegativeWeightWarning,
    OptionError,
    QuestionnaireError,
    ReportError,
    ResidentSurveyError,
    ResidentSurveyWarning,
    ReturnsError,
    SamplingError,
    ScaleError,
    SmallAreaError,
    SmallBaseWarning,
    WeakEvidenceWarning,
)

__version__ = "0.1.0"

#: Where each lazily loaded public name lives (module relative to this package).
_LAZY: dict[str, str] = {
    **dict.fromkeys(["SurveyDesign", "DesignSpec", "ReplicateDesign", "ReplicateEstimates", "REPLICATE_METHODS",
                     "QUANTILE_CI_METHODS", "effective_sample_size", "kish_deff", "MEAN_CI_METHODS",
                     "PROPORTION_CI_METHODS", "LONELY_PSU_RULES"], ".analysis"),
    **dict.fromkeys(["DisclosureRules", "apply_disclosure"], ".analysis.disclosure"),
    "funnel_limits": ".analysis.funnel",
    **dict.fromkeys(["indicators", "indicator_funnel_limits", "pairwise_differences"], ".analysis.indicators"),
    **dict.fromkeys(["adjust_p_values", "P_ADJUST_METHODS"], ".analysis.multiplicity"),
    **dict.fromkeys(["rank_intervals", "RANK_METHODS"], ".analysis.ranking"),
    **dict.fromkeys(["CostModel", "ReturnTier", "Module", "CouncilDemand", "Consortium", "CostGame",
                     "shared_cost_game", "invoice_game", "SHAPLEY_METHODS", "shapley_value", "SHARING_METHODS",
                     "share_costs", "core_check", "cost_statement", "write_statement", "plot_statement",
                     "to_pence", "format_pence", "read_plan", "run_plan"], ".costshare"),
    **dict.fromkeys(["key_drivers", "KeyDrivers", "KEY_DRIVER_METHODS", "GLMResults", "FAMILIES"], ".models"),
    **dict.fromkeys(["demo_consortium", "demo_population", "demo_council_populations", "demo_tracking",
                     "DEMO_TRACKING_DESIGN"], ".datasets"),
    **dict.fromkeys(["demo_wards", "demo_ward_lookup"], "._demo_wards"),
    **dict.fromkeys(["Questionnaire", "load_questionnaire", "available_questionnaires", "harmonise", "codebook",
                     "codebook_table", "VERDICTS", "QUESTION_TYPES", "INDICATOR_KINDS"], ".questionnaire"),
    **dict.fromkeys(["plot_weight_distribution", "forest_plot", "funnel_plot", "trend_chart", "band_chart",
                     "driver_chart", "tracker_chart", "write_workbook", "write_html_report", "council_filename",
                     "QUALITY_FLAGS"], ".report"),
    **dict.fromkeys(["annual_report", "AnnualReport"], ".report.annual"),
    **dict.fromkeys(["ward_chart", "ward_map", "ward_table"], ".report.ward_chart"),
    **dict.fromkeys(["read_report_config", "ReportConfig"], ".report.config"),
    **dict.fromkeys(["read_returns", "validate_returns", "write_sav", "to_codes", "mask_missing_codes",
                     "MissingCodes", "ValidationReport", "CHECKS"], ".returns"),
    **dict.fromkeys(["SampleSize", "sample_size", "margin_of_error", "plan_sample_sizes", "ALLOCATION_METHODS",
                     "allocate", "SELECTION_METHODS", "select_sample", "inclusion_probabilities"], ".sampling"),
    **dict.fromkeys(["fay_herriot", "FayHerriot", "FayHerriotDiagnostics", "FH_METHODS"], ".small_area"),
    **dict.fromkeys(["score", "load_instrument", "shipped_instruments", "cronbach_alpha", "item_statistics",
                     "reliability_report"], ".scales"),
    **dict.fromkeys(["open_data", "read_open_data", "OpenDataPackage", "LICENCES", "SUPPRESSED", "NOT_APPLICABLE",
                     "safe_microdata", "SafeMicrodata", "MICRODATA_FORMATS", "write_explorer", "publish_release",
                     "Release"], ".publish"),
    **dict.fromkeys(["periods", "questionnaire_versions", "rolling", "changes", "lagged_association",
                     "minimum_detectable_change", "Tracker", "FREQUENCIES", "TRACKING_PAIRS"], ".tracking"),
    **dict.fromkeys(["calibrate_weights", "calibration_targets", "design_weights", "nonresponse_adjustment",
                     "trim_weights", "targets_as_codes", "weighting_summary", "CALIBRATION_METHODS"], ".weighting"),
}

#: Subpackages and modules reachable as attributes (``rs.analysis``) before anything imported them.
_SUBMODULES = frozenset({"analysis", "costshare", "models", "questionnaire", "report", "returns", "sampling",
                         "scales", "small_area", "tracking", "weighting", "publish", "datasets", "demo", "cli",
                         "errors"})

_ERRORS = [
    "SmallAreaError", "ModelVarianceWarning", "ResidentSurveyError", "QuestionnaireError", "ReturnsError",
    "SamplingError", "CostShareError", "DesignError", "LonelyPSUError", "CalibrationError", "ScaleError",
    "ReportError", "OptionError", "ResidentSurveyWarning", "DesignWarning", "ConvergenceWarning",
    "SmallBaseWarning", "NegativeWeightWarning", "MissingCodeWarning", "ModelError", "ModelWarning",
    "WeakEvidenceWarning",
]

__all__ = [*_LAZY, *_ERRORS, "__version__"]


def __getattr__(name: str) -> Any:
    """Load a public name (or subpackage) on first use and keep it, so the next look-up is a plain attribute."""
    if name in _LAZY:
        module = importlib.import_module(_LAZY[name], __name__)
        # bind every public name of that module at once: importing a submodule sets it as a package
        # attribute, which must never shadow a public name of the same spelling
        globals().update({other: getattr(module, other) for other, where in _LAZY.items() if where == _LAZY[name]})
        return globals()[name]
    if name in _SUBMODULES:
        globals()[name] = importlib.import_module(f".{name}", __name__)
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | _SUBMODULES)
