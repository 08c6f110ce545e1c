"""Validating the numbers and tables a sample design is built from, with messages that name the culprit."""

from __future__ import annotations

from collections.abc import Mapping
from numbers import Integral, Real

import numpy as np
import pandas as pd

from ..errors import OptionError, SamplingError


def number(value: object, name: str, *, low: float, high: float = np.inf, low_open: bool = False,
           high_open: bool = False, hint: str = "") -> float:
    """``value`` as a float within its range, or a :class:`SamplingError` saying what was expected."""
    if isinstance(value, bool) or not isinstance(value, Real) or np.isnan(float(value)):
        raise SamplingError(f"{name} must be a number; got {value!r}.{hint}")
    x = float(value)
    too_low = x <= low if low_open else x < low
    too_high = x >= high if high_open else x > high
    if too_low or too_high:
        left, right = ("(" if low_open else "["), (")" if high_open else "]")
        raise SamplingError(f"{name} must be in {left}{low:g}, {high:g}{right}; got {value!r}.{hint}")
    return x


def count(value: object, name: str, *, low: int = 0) -> int:
    """``value`` as a Python int of at least ``low``."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        if isinstance(value, Real) and float(value).is_integer():
            value = int(value)
        else:
            raise SamplingError(f"{name} must be a whole number; got {value!r}.")
    if int(value) < low:
        raise SamplingError(f"{name} must be at least {low}; got {value!r}.")
    return int(value)


def level(value: object) -> float:
    """A confidence level strictly between 0 and 1 (an :class:`OptionError`, as the estimators raise)."""
    if isinstance(value, bool) or not isinstance(value, Real) or not 0 < float(value) < 1:
        raise OptionError(f"level={value!r} must be a number strictly between 0 and 1, e.g. 0.95.")
    return float(value)


def option(registry: Mapping[str, object], name: str, value: object) -> object:
    """The entry ``value`` of ``registry``; an :class:`OptionError` listing the valid names otherwise."""
    try:
        return registry[value]  # type: ignore[index]
    except (KeyError, TypeError):
        raise OptionError.unknown(name, value, registry) from None


def per_unit(values: object, labels: pd.Index, name: str, *, default: float | None) -> np.ndarray:
    """A scalar, mapping or Series given per unit (council or stratum), as an array aligned with ``labels``.

    Missing units are an error naming them, unless a ``default`` fills them; labels not among
    the units are an error too (they are usually a misspelt name).
    """
    if values is None:
        if default is None:
            raise SamplingError(f"{name} is required.")
        return np.full(len(labels), float(default))
    if isinstance(values, Real) and not isinstance(values, bool):
        return np.full(len(labels), float(values))
    if isinstance(values, Mapping):
        values = pd.Series(dict(values), dtype=float)
    if not isinstance(values, pd.Series):
        raise SamplingError(f"{name} must be a number, a mapping or a pandas Series keyed by unit; got {type(values).__name__}.")
    unknown = [label for label in values.index if label not in labels]
    if unknown:
        raise SamplingError(f"{name} gives values for {names(unknown)}, which are not among the units "
                            f"({names(labels)}).")
    missing = [label for label in labels if label not in values.index]
    if missing and default is None:
        raise SamplingError(f"{name} has no value for {names(missing)}; give one for every unit.")
    aligned = pd.to_numeric(values.reindex(labels), errors="coerce").to_numpy(dtype=float)
    if default is not None:
        aligned = np.where(np.isnan(aligned) & np.isin(np.asarray(labels, dtype=object), missing), default, aligned)
    bad = np.isnan(aligned)
    if bad.any():
        raise SamplingError(f"{name} for {labels[int(np.flatnonzero(bad)[0])]!r} is not a number.")
    return aligned


def names(labels: object) -> str:
    """Up to ten labels, quoted and comma-separated, for a message."""
    labels = list(labels)  # type: ignore[call-overload]
    shown = ", ".join(repr(v) for v in labels[:10])
    return shown + (f" and {len(labels) - 10} more" if len(labels) > 10 else "")
