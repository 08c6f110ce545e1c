"""Collect a tidy table block by block as numpy arrays and build one DataFrame at the end.

Building a DataFrame per (window, indicator) block costs far more than the statistics; this keeps
the blocks as arrays (scalars repeated) and concatenates each column once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


class Blocks:
    """Blocks of equal columns; ``add(size, column=value, ...)`` with a scalar or ``size`` values per column."""

    def __init__(self) -> None:
        self._columns: dict[str, list[np.ndarray]] = {}

    def add(self, size: int, /, **columns: object) -> None:
        for name, value in columns.items():
            array = np.asarray(value)
            if array.ndim == 0:
                array = np.full(size, value, dtype=object if isinstance(value, str) else None)
            elif array.dtype.kind in "UO":
                array = array.astype(object)
            self._columns.setdefault(name, []).append(array)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({name: np.concatenate(parts) for name, parts in self._columns.items()})
