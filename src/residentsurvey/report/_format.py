"""Numbers written as a reader sees them: the only place the report layer rounds."""

from __future__ import annotations

import math

from ._registry import STATISTICS

__all__ = ["is_blank", "value_text", "interval_text", "difference_text", "rank_text", "unit_text", "p_text"]


def is_blank(value: object) -> bool:
    """True for None, NaN and the empty string."""
    if value is None or (isinstance(value, str) and value == ""):
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def value_text(value: object, statistic: str, *, suffix: bool = True) -> str:
    """``0.6213`` as ``"62.1%"`` for a share, ``7.456`` as ``"7.46"`` for a mean; ``""`` when blank."""
    if is_blank(value):
        return ""
    style = STATISTICS[statistic]
    shown = float(value) * style.scale  # type: ignore[arg-type]
    shown = 0.0 if round(shown, style.digits) == 0 else shown  # never "-0.0%"
    return f"{shown:.{style.digits}f}{style.suffix if suffix else ''}"


def interval_text(lower: object, upper: object, statistic: str, *, sep: str = " to ") -> str:
    """A confidence interval, e.g. ``"58.0% to 66.2%"``; ``""`` when either limit is blank."""
    if is_blank(lower) or is_blank(upper):
        return ""
    return f"{value_text(lower, statistic)}{sep}{value_text(upper, statistic)}"


def difference_text(value: object, statistic: str) -> str:
    """A signed difference, e.g. ``"+3.1 points"`` for shares or ``"-0.12"`` for means; ``"0.0 points"``
    (no sign) when it rounds to zero.

    >>> difference_text(-0.0004, "share")
    '0.0 points'
    """
    if is_blank(value):
        return ""
    style = STATISTICS[statistic]
    shown = float(value) * style.scale  # type: ignore[arg-type]
    if round(shown, style.digits) == 0:  # no "-0.0 points" or "+0.0": a difference that rounds to nothing has no sign
        return f"{0:.{style.digits}f}{style.difference_unit}"
    return f"{shown:+.{style.digits}f}{style.difference_unit}".replace("-", "\u2212")


def rank_text(lower: object, upper: object, count: int) -> str:
    """A rank interval, e.g. ``"1 to 3 of 5"`` (or ``"2 of 5"`` when the interval is one rank)."""
    if is_blank(lower) or is_blank(upper):
        return ""
    lo, hi = int(float(lower)), int(float(upper))  # type: ignore[arg-type]
    return f"{lo} of {count}" if lo == hi else f"{lo} to {hi} of {count}"


def unit_text(statistic: str, unit: str) -> str:
    """What an axis measures: ``"Per cent"`` for shares, ``"Mean score (0-10)"`` for means."""
    if statistic == "share":
        return "Per cent"
    return f"Mean score ({unit})" if unit else "Mean score"


def p_text(p: object) -> str:
    """A p-value as ``"p = 0.012"`` or ``"p < 0.001"``; ``""`` when blank."""
    if is_blank(p):
        return ""
    value = float(p)  # type: ignore[arg-type]
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"
