"""Reading a returns column as codes: numbers stay numbers, labels of the code frame become their codes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .model import Question


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def as_codes(column: pd.Series, question: Question) -> tuple[np.ndarray, np.ndarray]:
    """``(codes, unreadable)``: the column as float codes (NaN where blank or unreadable).

    Numbers (and text holding a number) are taken as they are; text equal to a label of the
    question's code frame (ignoring case and surrounding spaces) becomes that label's code,
    so a column of labels such as the demo's ``age_band`` reads as codes. ``unreadable`` marks
    values that are neither. The column itself is never changed.

    Examples
    --------
    >>> import pandas as pd
    >>> from residentsurvey.questionnaire import load_questionnaire
    >>> q = load_questionnaire("core-v1").question("sex")
    >>> codes, bad = as_codes(pd.Series(["Female", "2", None, "other"]), q)
    >>> codes.tolist(), bad.tolist()
    ([1.0, 2.0, nan, nan], [False, False, False, True])
    """
    if pd.api.types.is_numeric_dtype(column.dtype) and not isinstance(column.dtype, pd.CategoricalDtype):
        values = column.to_numpy(dtype="float64", na_value=np.nan)
        return values, np.zeros(len(column), dtype=bool)
    labels = {label.strip().casefold(): float(code) for code, label in question.labels.items()}
    blank = column.isna().to_numpy()
    codes = np.full(len(column), np.nan)
    unreadable = np.zeros(len(column), dtype=bool)
    present = column[~blank]
    if len(present):
        # one lookup per distinct value, then a vectorised take (no Python loop over respondents)
        positions, uniques = pd.factorize(present, use_na_sentinel=False)
        found = np.empty(len(uniques))
        for i, value in enumerate(uniques.tolist()):
            number = labels.get(value.strip().casefold()) if isinstance(value, str) else None
            number = number if number is not None else _number(value)
            found[i] = np.nan if number is None else number
        codes[~blank] = found[positions]
        unreadable[~blank] = np.isnan(found)[positions]
    return codes, unreadable
