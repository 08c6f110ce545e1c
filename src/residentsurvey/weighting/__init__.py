"""Weighting: design weights, nonresponse adjustment, calibration to population targets, trimming, diagnostics."""

from .calfun import CALIBRATION_METHODS
from .calibrate import CalibrationRecord, calibrate_weights, calibration_record
from .design_weights import design_weights, nonresponse_adjustment
from .diagnostics import achieved_margins, weighting_summary
from .target_codes import targets_as_codes
from .targets import CalibrationTargets, calibration_targets
from .trimming import trim_weights

__all__ = [
    "CALIBRATION_METHODS",
    "CalibrationRecord",
    "CalibrationTargets",
    "calibrate_weights",
    "calibration_record",
    "calibration_targets",
    "design_weights",
    "nonresponse_adjustment",
    "trim_weights",
    "weighting_summary",
    "achieved_margins",
    "targets_as_codes",
]
