"""Errors and warnings raised by residentsurvey.

Every error the library raises on purpose derives from one root, so a script
can catch them all with ``except rs.ResidentSurveyError``::

    ResidentSurveyError            (ValueError)
    ├── DesignError                the survey design or an estimator's arguments are wrong
    │   └── LonelyPSUError         a stratum has one PSU and lonely_psu="fail"
    └── OptionError                a string option is not one of the registered names

Statistical trouble that still leaves a usable number is a warning::

    ResidentSurveyWarning          (UserWarning)
    ├── DesignWarning              e.g. no weights were given, so all rows weigh 1
    └── SmallBaseWarning           an estimate rests on very few respondents

Messages say what failed, where (column, row, stratum), what was expected,
what was found and how to fix it.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "ResidentSurveyError",
    "DesignError",
    "LonelyPSUError",
    "OptionError",
    "ResidentSurveyWarning",
    "DesignWarning",
    "SmallBaseWarning",
]


class ResidentSurveyError(ValueError):
    """Root of every error residentsurvey raises on purpose."""


class DesignError(ResidentSurveyError):
    """A survey design, or the arguments given to one of its estimators, is invalid."""


class LonelyPSUError(DesignError):
    """A stratum has a single PSU and the design was built with ``lonely_psu="fail"``."""


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


class SmallBaseWarning(ResidentSurveyWarning):
    """An estimate rests on very few respondents."""
