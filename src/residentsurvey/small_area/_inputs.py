"""Checking the direct and auxiliary tables once, at the public boundary, with messages naming the culprit."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import SmallAreaError

__all__ = ["check_tables", "list_areas", "bad_values"]


def list_areas(values: pd.Series | np.ndarray, limit: int = 10) -> str:
    """``'A, B, C'`` (the first ``limit``, then how many more)."""
    items = [str(v) for v in values]
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return ", ".join(items[:limit]) + more


def _require(table: pd.DataFrame, name: str, columns: list[str], hint: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise SmallAreaError(f"{name} must be a pandas DataFrame; got {type(table).__name__}.")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise SmallAreaError(f"{name} has no column {', '.join(map(repr, missing))} (its columns: "
                             f"{', '.join(map(str, table.columns))}); {hint}")


def _duplicates(table: pd.DataFrame, name: str, area: str, hint: str) -> None:
    repeated = table.loc[table[area].duplicated(keep=False), area].unique()
    if len(repeated):
        raise SmallAreaError(f"{name} has more than one row for area(s) {list_areas(repeated)} in column "
                             f"{area!r}; expected one row per area. {hint}")


def _show(value: object) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def bad_values(table: pd.DataFrame, area: str, column: str, bad: np.ndarray, expected: str, fix: str) -> None:
    """Raise naming the areas (and rows) of ``table`` whose ``column`` is ``bad``, if any."""
    if bad.any():
        rows = np.flatnonzero(bad)
        found = ", ".join(f"{table[area].iloc[r]} (row {r}: {_show(table[column].iloc[r])})" for r in rows[:10])
        raise SmallAreaError(f"direct column {column!r} must be {expected}; {len(rows)} area(s) are not: "
                             f"{found}{' ...' if len(rows) > 10 else ''}. {fix}")


def check_tables(direct: pd.DataFrame, auxiliary: pd.DataFrame, area: str, needed: list[str]) -> np.ndarray:
    """Check both tables and return, for each row of ``direct``, its row in ``auxiliary``."""
    _require(direct, "direct", [area, *needed], "pass a table such as design.mean(..., by=area) or "
             "design.proportion(..., by=area, deff=True) filtered to one category.")
    _require(auxiliary, "auxiliary", [area], "auxiliary needs one row per area, areas without respondents included.")
    _duplicates(direct, "direct", area, "For design.proportion() keep one category, e.g. "
                "direct[direct['category'] == 1]; for several variables fit one model each.")
    _duplicates(auxiliary, "auxiliary", area, "Aggregate the covariates to one row per area.")
    position = pd.Index(auxiliary[area]).get_indexer(direct[area])
    absent = direct.loc[position < 0, area]
    if len(absent):
        raise SmallAreaError(f"area(s) {list_areas(absent)} of direct are missing from auxiliary column {area!r}; "
                             "every area with a direct estimate needs its covariates (check spelling and codes).")
    return position
