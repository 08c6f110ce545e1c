"""Fieldwork periods: each return's interview date turned into a quarter or month label.

Continuous fieldwork is reported by period. :func:`periods` adds a ``period`` column (``"2025Q1"``
or ``"2025-01"``) that sorts in time order; :func:`questionnaire_versions` lists the
questionnaire versions in force in each period, so a wording change mid-year is visible.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..analysis._columns import require_columns
from ..errors import OptionError, ReturnsError

#: Period lengths: name -> pandas period frequency.
FREQUENCIES = {"quarter": "Q", "month": "M"}


def _frequency(freq: str) -> str:
    try:
        return FREQUENCIES[freq]
    except (KeyError, TypeError):
        raise OptionError.unknown("freq", freq, FREQUENCIES) from None


def period_labels(dates: pd.Series, freq: str) -> pd.Series:
    """The period label of each date (``"2025Q1"`` for quarters, ``"2025-01"`` for months)."""
    return dates.dt.to_period(_frequency(freq)).astype(str)


def periods(data: pd.DataFrame, *, date: str = "interview_date", freq: str = "quarter") -> pd.DataFrame:
    """A copy of ``data`` with a ``period`` column from its interview dates.

    Parameters
    ----------
    data
        Returns, one row per respondent.
    date
        Column of interview dates (datetimes or ISO strings such as ``"2025-02-17"``).
    freq
        ``"quarter"`` or ``"month"``.

    Returns
    -------
    pandas.DataFrame
        ``data`` with ``period`` added (replaced if present). Labels sort in time order.

    Raises
    ------
    ReturnsError
        If ``date`` is missing, or a value is empty or not a date (the first such row is named).
    OptionError
        If ``freq`` is not a known period length.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"interview_date": ["2025-01-15", "2025-04-02", "2025-12-31"]})
    >>> periods(df, freq="quarter")["period"].tolist()
    ['2025Q1', '2025Q2', '2025Q4']
    >>> periods(df, freq="month")["period"].tolist()
    ['2025-01', '2025-04', '2025-12']
    """
    _frequency(freq)
    if not isinstance(data, pd.DataFrame):
        raise ReturnsError(f"data must be a pandas DataFrame of returns; got {type(data).__name__}.")
    try:
        require_columns(data, [date], "date")
    except Exception as error:
        raise ReturnsError(f"{error} Name the interview date column with date=...") from error
    column = data[date]
    parsed = pd.to_datetime(column, errors="coerce")
    bad = np.flatnonzero(parsed.isna().to_numpy())
    if len(bad):
        row = bad[0]
        raise ReturnsError(
            f"column {date!r}, row {row + 1} (index {data.index[row]!r}): {column.iloc[row]!r} is not a date "
            f"({len(bad)} row(s) without a date). Every return needs its interview date (YYYY-MM-DD) to be "
            "placed in a fieldwork period; fix or remove those rows before tracking."
        )
    out = data.copy()
    out["period"] = period_labels(parsed, freq).to_numpy()
    return out


def questionnaire_versions(data: pd.DataFrame, *, period: str = "period",
                           version: str = "questionnaire") -> pd.DataFrame:
    """The questionnaire versions in force in each period, with their number of returns.

    Returns
    -------
    pandas.DataFrame
        Columns ``period``, ``questionnaire``, ``n`` (returns), in period order; a period with
        two rows had a change of version within it.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"period": ["2025Q1", "2025Q2", "2025Q2"], "questionnaire": ["v1", "v1", "v2"]})
    >>> questionnaire_versions(df).values.tolist()
    [['2025Q1', 'v1', 1], ['2025Q2', 'v1', 1], ['2025Q2', 'v2', 1]]
    """
    require_columns(data, [period, version], "period/version")
    table = (data.groupby([period, version], observed=True, sort=True).size()
             .rename("n").reset_index().rename(columns={period: "period", version: "questionnaire"}))
    table["n"] = table["n"].astype("int64")
    return table
