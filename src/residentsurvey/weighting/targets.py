"""Calibration targets: population totals as a tidy table, checked once and matched to the data.

A targets table has the ``by`` column(s) (e.g. ``council``), ``variable``, ``category`` and
``total``, the way population estimates are published::

    council      variable   category  total
    Northbridge  age_band   16-34     61200
    Northbridge  age_band   35-54     ...
    Northbridge  tenure     Owner     ...

- A categorical margin lists every category of ``variable`` with its population count.
- A numeric target leaves ``category`` empty: ``total`` is the population total of that column.
- The variable ``"(population)"`` (category empty) is the population size; it is implied by any
  categorical margin and needed only when there is none.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._text import shown
from ..errors import CalibrationError

POPULATION = "(population)"
TARGET_COLUMNS = ("variable", "category", "total")


@dataclass(frozen=True)
class Margin:
    """One calibration variable: categorical (with its categories) or numeric (one total)."""

    variable: str
    categories: tuple[object, ...] | None  # None for a numeric total or the population size

    @property
    def width(self) -> int:
        return 1 if self.categories is None else len(self.categories)


@dataclass(frozen=True)
class CalibrationTargets:
    """Validated targets: the margins, the groups (one per ``by`` value) and a (groups x columns) array."""

    by: tuple[str, ...]
    margins: tuple[Margin, ...]
    groups: pd.DataFrame
    totals: np.ndarray
    table: pd.DataFrame

    @property
    def offsets(self) -> np.ndarray:
        """First column of each margin in ``totals``."""
        return np.concatenate([[0], np.cumsum([m.width for m in self.margins])[:-1]]).astype(int)

    def group_name(self, code: int) -> str:
        if not self.by:
            return "the whole sample"
        row = self.groups.iloc[code]
        return ", ".join(f"{name}={row[name]!r}" for name in self.by)


def _by_names(by: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    if by is None:
        return ()
    return (by,) if isinstance(by, str) else tuple(by)


def _blank(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)) or value == ""


def calibration_targets(table: pd.DataFrame, *, by: str | list[str] | None = None,
                        rtol: float = 1e-6) -> CalibrationTargets:
    """Check a tidy targets table and arrange it for calibration.

    Parameters
    ----------
    table
        Columns: the ``by`` column(s), ``variable``, ``category``, ``total``.
    by
        Column(s) naming the groups calibrated separately, e.g. ``"council"``.
    rtol
        Relative tolerance for margins of one group to agree on the population size.

    Raises
    ------
    CalibrationError
        Missing columns, duplicated or missing categories between groups, negative or missing
        totals, or margins of a group that disagree on the population size (naming the group,
        the two variables and their totals).

    Examples
    --------
    >>> import pandas as pd
    >>> t = calibration_targets(pd.DataFrame({"variable": ["sex", "sex"], "category": ["F", "M"],
    ...                                       "total": [520.0, 480.0]}))
    >>> t.totals.tolist()
    [[520.0, 480.0]]
    """
    by_names = _by_names(by)
    if not isinstance(table, pd.DataFrame):
        raise CalibrationError(f"targets must be a DataFrame with columns {list(by_names) + list(TARGET_COLUMNS)}.")
    missing = [c for c in (*by_names, *TARGET_COLUMNS) if c not in table.columns]
    if missing:
        raise CalibrationError(
            f"targets table lacks column(s) {missing}; it needs {list(by_names) + list(TARGET_COLUMNS)} "
            f"(found {list(table.columns)})."
        )
    table = table.reset_index(drop=True)
    totals = pd.to_numeric(table["total"], errors="coerce")
    bad = totals.isna() | (totals < 0) | ~np.isfinite(totals.fillna(0))
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise CalibrationError(
            f"targets row {row} ({_describe(table, row, by_names)}) has total {shown(table['total'].iloc[row])}; "
            "every target must be a non-negative number."
        )
    duplicated = table.duplicated(subset=[*by_names, "variable", "category"], keep=False)
    if duplicated.any():
        row = int(np.flatnonzero(duplicated.to_numpy())[0])
        raise CalibrationError(f"targets row {row} ({_describe(table, row, by_names)}) appears more than once.")

    # margins, in order of first appearance, categories in order of first appearance
    margins: list[Margin] = []
    for variable in pd.unique(table["variable"]):
        rows = table[table["variable"] == variable]
        blanks = rows["category"].map(_blank)
        if blanks.all():
            margins.append(Margin(str(variable), None))
        elif blanks.any():
            raise CalibrationError(
                f"targets for {variable!r} mix rows with and without a category; a numeric total has no category, "
                "a categorical margin gives one row per category."
            )
        else:
            margins.append(Margin(str(variable), tuple(pd.unique(rows["category"]))))

    if by_names:
        groups = table[list(by_names)].drop_duplicates().sort_values(list(by_names)).reset_index(drop=True)
        group_code = groups.reset_index().merge(table[list(by_names)], on=list(by_names), how="right")["index"].to_numpy()
    else:
        groups = pd.DataFrame(index=range(1))
        group_code = np.zeros(len(table), dtype=int)
    width = sum(m.width for m in margins)
    array = np.full((len(groups), width), np.nan)
    offset = 0
    for margin in margins:
        rows = np.flatnonzero((table["variable"] == margin.variable).to_numpy())
        if margin.categories is None:
            column = np.zeros(len(rows), dtype=int)
        else:
            column = pd.Index(margin.categories).get_indexer(table["category"].iloc[rows])
        array[group_code[rows], offset + column] = totals.to_numpy()[rows]
        offset += margin.width
    targets = CalibrationTargets(by_names, tuple(margins), groups, array, table)
    _check_complete(targets)
    _check_consistent(targets, rtol)
    return targets


def _describe(table: pd.DataFrame, row: int, by_names: tuple[str, ...]) -> str:
    parts = [f"{name}={table[name].iloc[row]!r}" for name in (*by_names, "variable", "category")]
    return ", ".join(parts)


def _check_complete(targets: CalibrationTargets) -> None:
    offsets = targets.offsets
    holes = np.argwhere(np.isnan(targets.totals))
    if len(holes):
        group, column = holes[0]
        k = int(np.searchsorted(offsets, column, side="right") - 1)
        margin = targets.margins[k]
        what = margin.variable if margin.categories is None else f"{margin.variable}={margin.categories[column - offsets[k]]!r}"
        raise CalibrationError(
            f"targets for {targets.group_name(int(group))} have no row for {what}, which other groups have; "
            f"give every group the same categories (a count of 0 is allowed only if no respondent is in it)."
        )


def _check_consistent(targets: CalibrationTargets, rtol: float) -> None:
    sizes = []
    for margin, offset in zip(targets.margins, targets.offsets):
        if margin.categories is not None or margin.variable == POPULATION:
            sizes.append((margin.variable, targets.totals[:, offset:offset + margin.width].sum(axis=1)))
    if len(sizes) < 2:
        return
    first_name, first = sizes[0]
    for name, size in sizes[1:]:
        off = np.abs(size - first) > rtol * np.maximum(np.abs(first), 1)
        if off.any():
            g = int(np.flatnonzero(off)[0])
            raise CalibrationError(
                f"inconsistent margin totals for {targets.group_name(g)}: {first_name!r} sums to {first[g]:,.6g} but "
                f"{name!r} sums to {size[g]:,.6g}. Margins must describe the same population; rescale one of them "
                "(for example to the mid-year estimate of the total)."
            )
