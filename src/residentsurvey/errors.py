"""Errors and warnings raised by residentsurvey.

Every error the library raises on purpose derives from one root, so a script
can catch them all with ``except rs.ResidentSurveyError``::

    ResidentSurveyError            (ValueError)
    ├── QuestionnaireError         a questionnaire file or definition is invalid
    ├── ReturnsError               a returns file cannot be read or does not fit its questionnaire
    ├── SamplingError              a sample design, allocation or selection cannot be done as asked
    ├── CostShareError             a cost model or a cost-sharing request is invalid
    ├── DesignError                the survey design or an estimator's arguments are wrong
    │   └── LonelyPSUError         a stratum has one PSU and lonely_psu="fail"
    ├── CalibrationError           weights cannot meet their targets as asked
    ├── ScaleError                 a scale cannot be scored as asked
    ├── ReportError                a table cannot be rendered as a chart, workbook or page
    ├── SmallAreaError             a small-area model cannot be fitted to the tables given
    ├── ModelError                 a regression or key-driver model cannot be fitted as asked
    └── OptionError                a string option is not one of the registered names

Statistical trouble that still leaves a usable number is a warning::

    ResidentSurveyWarning          (UserWarning)
    ├── DesignWarning              e.g. no weights were given, so all rows weigh 1
    ├── ConvergenceWarning         an iterative method stopped before converging
    ├── SmallBaseWarning           an estimate rests on very few respondents
    ├── WeakEvidenceWarning        a result rests on few independent units (e.g. few councils)
    ├── NegativeWeightWarning      calibration made some weights negative
    ├── MissingCodeWarning         answers hold codes outside the scale (don't know?), left out
    ├── ModelVarianceWarning       a small-area model's area-effect variance was estimated as zero
    └── ModelWarning               a model was fitted but a term is suspect (separation, a degenerate driver)

Messages say what failed, where (column, row, stratum), what was expected,
what was found and how to fix it.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "ResidentSurveyError",
    "QuestionnaireError",
    "ReturnsError",
    "SamplingError",
    "CostShareError",
    "DesignError",
    "LonelyPSUError",
    "CalibrationError",
    "ScaleError",
    "ReportError",
    "ModelError",
    "OptionError",
    "SmallAreaError",
    "ResidentSurveyWarning",
    "DesignWarning",
    "ConvergenceWarning",
    "SmallBaseWarning",
    "WeakEvidenceWarning",
    "NegativeWeightWarning",
    "MissingCodeWarning",
    "ModelVarianceWarning",
    "ModelWarning",
]


class ResidentSurveyError(ValueError):
    """Root of every error residentsurvey raises on purpose."""


class QuestionnaireError(ResidentSurveyError):
    """A questionnaire file or definition is invalid (the message gives file:line and the key path)."""


class ReturnsError(ResidentSurveyError):
    """A returns file cannot be read, or does not fit the questionnaire it is checked against."""


class SamplingError(ResidentSurveyError):
    """A sample size, allocation or selection cannot be computed as asked."""


class CostShareError(ResidentSurveyError):
    """A cost model or a cost-sharing request is invalid."""


class CalibrationError(ResidentSurveyError):
    """Weights cannot be calibrated to their targets as asked (the message names council, variable, category)."""


class ScaleError(ResidentSurveyError):
    """A scale or instrument cannot be scored as asked."""


class ReportError(ResidentSurveyError):
    """An indicator, band or funnel-limits table cannot be rendered (the message names the column, row or value)."""


class ModelError(ResidentSurveyError):
    """A regression or key-driver model cannot be fitted as asked (the message names the term and the domain)."""


class DesignError(ResidentSurveyError):
    """A survey design, or the arguments given to one of its estimators, is invalid."""


class LonelyPSUError(DesignError):
    """A stratum has a single PSU and the design was built with ``lonely_psu="fail"``."""


class SmallAreaError(ResidentSurveyError):
    """A small-area model cannot be fitted as asked (the message names the area, column or term)."""


class OptionError(ResidentSurveyError):
    """A string option is not one of the registered names."""

    @classmethod
    def unknown(cls, option: str, value: object, valid: Iterable[str]) -> "OptionError":
        """Build the standard message for an unknown option value."""
        names = ", ".join(repr(v) for v in valid)
        return cls(f"{option}={value!r} is not recognised; use one of {names}.")


class ResidentSurveyWarning(UserWarning):
    """Root of every warning residentsurvey issues."""


class DesignWarning(ResidentSurveyWarning):
    """A design was built, but with an assumption the analyst should know about."""


class ConvergenceWarning(ResidentSurveyWarning):
    """An iterative method (raking, calibration) stopped before meeting its tolerance."""


class SmallBaseWarning(ResidentSurveyWarning):
    """An estimate rests on very few respondents."""


class WeakEvidenceWarning(ResidentSurveyWarning):
    """A result rests on too few independent units to bear much weight (e.g. an association across few councils)."""


class NegativeWeightWarning(ResidentSurveyWarning):
    """Calibration (linear, unbounded or with a negative lower bound) made some weights negative.

    The estimates and their standard errors are still those of R's ``calibrate()``, but a respondent
    with a negative weight counts against their group's totals; the message names each calibration
    group and how many of its weights went negative, and suggests ``bounds`` or ``method="logit"``.
    """


class MissingCodeWarning(ResidentSurveyWarning):
    """Answers hold codes outside the scale (such as 9 for "don't know"), which were left out of a statistic."""


class ModelVarianceWarning(ResidentSurveyWarning):
    """The area-effect variance of a Fay-Herriot model was estimated as zero.

    Every area then gets the synthetic (regression) estimate, with an MSE that may be too small;
    ``method="amrl"`` or ``"ampl"`` (Li and Lahiri's adjusted likelihood) always gives a positive variance.
    """


class ModelWarning(ResidentSurveyWarning):
    """A model was fitted but something about it is suspect: fitted probabilities of 0 or 1 (separation),
    a driver that is constant or collinear within an area. The message names the term and the domain."""
