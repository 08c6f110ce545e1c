"""Domains (the groups named by ``by``) as integer codes, found in one pass.

Every respondent belongs to exactly one domain. A missing ``by`` value is a domain of its own
(nothing is dropped); the categories of a categorical ``by`` column are all reported, observed
or not, so a council with no respondents still gets a row (with NaN estimates and n = 0).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._columns import as_names, require_columns
from ._pairs import pair_codes


@dataclass(frozen=True)
class Domains:
    """Integer domain codes for each row and one label row per domain."""

    columns: tuple[str, ...]
    codes: np.ndarray
    labels: pd.DataFrame

    @property
    def count(self) -> int:
        """Number of domains."""
        return len(self.labels)

    def find(self, value: object) -> int:
        """Code of the domain labelled ``value`` (a tuple when there are several ``by`` columns)."""
        key = value if isinstance(value, tuple) else (value,)
        if len(key) != len(self.columns):
            raise ValueError(f"expected {len(self.columns)} value(s) for {list(self.columns)}, got {value!r}")
        hit = np.ones(self.count, dtype=bool)
        for column, wanted in zip(self.columns, key):
            found = self.labels[column]
            hit &= found.isna().to_numpy() if _missing(wanted) else (found == wanted).to_numpy()
        positions = np.flatnonzero(hit)
        if len(positions) == 0:
            raise KeyError(value)
        return int(positions[0])


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA


def _levels(column: pd.Series) -> tuple[np.ndarray, pd.Series, bool]:
    """Codes 0..L-1 for one column (missing values last), the level labels, and whether it is categorical."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy().astype(np.int64)
        label_codes = np.arange(len(column.dtype.categories), dtype=np.int64)
        missing = codes < 0
        if missing.any():
            codes[missing] = len(label_codes)
            label_codes = np.append(label_codes, -1)
        return codes, pd.Series(pd.Categorical.from_codes(label_codes, dtype=column.dtype)), True
    codes, uniques = pd.factorize(column, sort=True, use_na_sentinel=True)
    codes = codes.astype(np.int64)
    labels = pd.Series(uniques)
    missing = codes < 0
    if missing.any():
        codes[missing] = len(labels)
        labels = pd.concat([labels, pd.Series([None])], ignore_index=True)
    return codes, labels, False


def make_domains(data: pd.DataFrame, by: str | list[str] | tuple[str, ...] | None) -> Domains:
    """Domain codes for ``by`` (None: the whole sample is one domain)."""
    names = as_names(by, "by")
    require_columns(data, names, "by")
    n = len(data)
    if not names:
        return Domains((), np.zeros(n, dtype=np.int64), pd.DataFrame(index=range(1)))
    parts = [_levels(data[name]) for name in names]
    all_categorical = all(part[2] for part in parts)
    codes = parts[0][0]
    combos = np.arange(len(parts[0][1]), dtype=np.int64)[:, None]
    for part_codes, part_labels, _ in parts[1:]:
        width = len(part_labels)
        if all_categorical:
            codes = codes * width + part_codes
            left = np.repeat(combos, width, axis=0)
            right = np.tile(np.arange(width, dtype=np.int64), len(combos))[:, None]
            combos = np.hstack([left, right])
        else:
            codes, n_pairs, left_of, right_of = pair_codes(codes, len(combos), part_codes, width)
            combos = np.hstack([combos[left_of], right_of[:, None]])
    labels = pd.DataFrame(
        {name: part[1].iloc[combos[:, i]].reset_index(drop=True) for i, (name, part) in enumerate(zip(names, parts))}
    )
    return Domains(tuple(names), codes, labels)
