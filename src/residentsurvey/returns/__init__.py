"""Returns processing: reading contractors' files, validating them against the questionnaire, writing .sav."""

from .checks import CHECKS
from .labels import MissingCodes, mask_missing_codes, to_codes
from .read import READERS, read_returns
from .report import COUNT_COLUMNS, PROBLEM_COLUMNS, SUMMARY_COLUMNS, ValidationReport
from .sav import write_sav
from .validate import validate_returns

__all__ = ["read_returns", "validate_returns", "write_sav", "ValidationReport", "CHECKS", "READERS",
           "PROBLEM_COLUMNS", "SUMMARY_COLUMNS", "COUNT_COLUMNS", "to_codes", "mask_missing_codes", "MissingCodes"]
