"""What every design shares, Taylor (:class:`SurveyDesign`) or replicate (:class:`ReplicateDesign`).

Both are immutable views of the same things: the data, one weight per respondent and the
calibration that made them. The estimators and the variance engine are the designs' own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ._columns import as_names, require_columns

if TYPE_CHECKING:
    from ..weighting.calibrate import CalibrationRecord


class FrozenDesign:
    """Immutability, weights, calibration record, size and weighting summary of a design."""

    __slots__ = ()

    data: pd.DataFrame
    _weight_array: np.ndarray
    _calibration: "CalibrationRecord | None"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable; {name!r} cannot be set. Build a new design instead.")

    @property
    def weights(self) -> pd.Series:
        """The (full-sample) weights, one per respondent, aligned with ``data``."""
        return pd.Series(self._weight_array, index=self.data.index, name=self.spec.weights or "weight", copy=True)

    @property
    def calibration(self) -> "CalibrationRecord | None":
        """What the design was calibrated to (method, targets, iterations, weight ratios), or None.

        For a replicate design this is the full sample's record; every replicate was calibrated to
        the same targets.
        """
        return self._calibration

    @property
    def n(self) -> int:
        """Number of respondents (rows)."""
        return len(self.data)

    def weighting_summary(self, by: str | list[str] | None = None) -> pd.DataFrame:
        """Spread of the weights per group: n, sum, mean, min, max, CV, Kish deff, efficiency, effective n.

        For a calibrated design also the range of calibrated-to-starting weight ratios, the method,
        iterations and the largest relative error on any target.
        """
        from ..weighting.diagnostics import weighting_summary

        names = as_names(by, "by")
        require_columns(self.data, names, "by")
        return weighting_summary(self._weight_array, by=self.data[names] if names else None,
                                 calibration=self._calibration)

    def _trim_groups(self, by: str | list[str] | None) -> np.ndarray | None:
        """Group codes within which weights are trimmed: ``by``, else the calibration groups, else none."""
        names = as_names(by, "by")
        require_columns(self.data, names, "by")
        if names:
            return pd.MultiIndex.from_frame(self.data[names].astype(object)).factorize()[0]
        return None if self._calibration is None else self._calibration.model.group
