"""Checking column names and turning columns into float arrays, with messages that name the culprit."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._text import shown
from ..errors import DesignError


def as_names(value: str | Sequence[str] | None, role: str) -> list[str]:
    """Normalise a column argument (one name or a list of names) to a list of names."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    try:
        names = list(value)
    except TypeError:
        raise DesignError(
            f"{role} must be a column name or a list of column names; got {type(value).__name__} {value!r}."
        ) from None
    for name in names:
        if not isinstance(name, str):
            raise DesignError(f"{role} must name columns with strings; got {name!r} in {value!r}.")
    return names


def require_columns(data: pd.DataFrame, names: Sequence[str], role: str) -> None:
    """Raise a :class:`DesignError` naming the first column of ``names`` missing from ``data``."""
    for name in names:
        if name not in data.columns:
            columns = [str(c) for c in data.columns]
            close = difflib.get_close_matches(name, columns, n=3)
            hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            shown = ", ".join(repr(c) for c in columns[:20]) + (" ..." if len(columns) > 20 else "")
            raise DesignError(f"{role} column {name!r} is not in the data.{hint} Columns available: {shown}.")


def first_offender(data: pd.DataFrame, mask: np.ndarray) -> tuple[int, object]:
    """Position and index label of the first row where ``mask`` is true."""
    position = int(np.flatnonzero(mask)[0])
    return position, data.index[position]


def numeric_column(data: pd.DataFrame, name: str, role: str, *, hint: str = "") -> np.ndarray:
    """Return column ``name`` as float64 with NaN for missing values.

    Booleans become 0/1; pandas nullable integers and floats keep their missing values
    as NaN. Text or other non-numeric values raise a :class:`DesignError` naming the
    first offending row and value; infinite values are refused too.
    """
    column = data[name]
    if isinstance(column.dtype, pd.CategoricalDtype):
        raise DesignError(
            f"{role} column {name!r} is categorical, so it has no mean or total. "
            f"Use design.proportion({name!r}) for the share in each category, or convert it to numbers first."
        )
    if pd.api.types.is_bool_dtype(column.dtype) or pd.api.types.is_numeric_dtype(column.dtype):
        values = column.to_numpy(dtype="float64", na_value=np.nan)
    else:
        converted = pd.to_numeric(column, errors="coerce")
        bad = converted.isna().to_numpy() & column.notna().to_numpy()
        if bad.any():
            position, label = first_offender(data, bad)
            fix = hint or "Recode it to numbers (and 'don't know' to missing) before estimating."
            raise DesignError(
                f"{role} column {name!r} is not numeric: row {position} (index {label!r}) holds "
                f"{shown(column.iloc[position])}, and {int(bad.sum())} row(s) in all are not numbers. {fix}"
            )
        values = converted.to_numpy(dtype="float64", na_value=np.nan)
    infinite = np.isinf(values)
    if infinite.any():
        position, label = first_offender(data, infinite)
        raise DesignError(
            f"{role} column {name!r} holds an infinite value at row {position} (index {label!r}); "
            "survey estimates need finite numbers or missing values."
        )
    return values


def checked_weights(data: pd.DataFrame, name: str, role: str, fix: str) -> np.ndarray:
    """Column ``name`` as float weights, or a :class:`DesignError` naming the first missing or negative one.

    ``fix`` ends the message: what the user should do (it differs between design and replicate weights).
    """
    w = numeric_column(data, name, role)
    for bad, what in ((np.isnan(w), "missing"), (w < 0, "negative")):
        if bad.any():
            position, label = first_offender(data, bad)
            raise DesignError(
                f"{role} column {name!r} is {what} at row {position} (index {label!r}, value "
                f"{shown(data[name].iloc[position])}); {int(bad.sum())} row(s) in all. {fix}"
            )
    return np.array(w, dtype=float)
