"""Weighting: design weights, nonresponse adjustment, calibration to population targets, trimming, diagnostics."""

from .calfun import CALIBRATION_METHODS
from .calibrate import CalibrationRecord, calibrate_weights, calibration_record
from .targets import CalibrationTargets, calibration_targets

__all__ = [
    "CALIBRATION_METHODS",
    "CalibrationRecord",
    "CalibrationTargets",
    "calibrate_weights",
    "calibration_record",
    "calibration_targets",
]
