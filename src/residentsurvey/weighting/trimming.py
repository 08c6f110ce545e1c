"""Trimming extreme weights: cap, redistribute within the group, and (optionally) re-calibrate.

Weights above ``upper`` (or below ``lower``) are set to the cap and the difference is shared
among the untrimmed weights of the same group in proportion to their size, so the group's total
is kept; this repeats until no weight breaks a cap (Potter 1990's iterative trimming). Caps are
absolute, or relative to the group's mean weight (``relative=True``: ``upper=4`` means four times
the mean).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import CalibrationError


def trim_weights(
    weights: np.ndarray | pd.Series,
    *,
    upper: float | None = None,
    lower: float | None = None,
    relative: bool = True,
    groups: np.ndarray | pd.Series | None = None,
    max_iter: int = 100,
) -> np.ndarray:
    """Cap weights and redistribute the excess within each group, keeping each group's total.

    Examples
    --------
    >>> trim_weights(np.array([1.0, 1.0, 1.0, 9.0]), upper=2.0).round(3).tolist()
    [2.0, 2.0, 2.0, 6.0]
    """
    w = np.asarray(weights, dtype=float).copy()
    if upper is None and lower is None:
        raise CalibrationError("trimming needs upper= and/or lower= (a cap on the weights).")
    codes = np.zeros(len(w), dtype=np.int64) if groups is None else pd.factorize(pd.Series(groups), sort=True)[0]
    n_groups = int(codes.max()) + 1 if len(codes) else 0
    totals = np.bincount(codes, weights=w, minlength=n_groups)
    counts = np.bincount(codes, minlength=n_groups)
    scale = totals / counts if relative else np.ones(n_groups)
    hi = np.full(n_groups, np.inf) if upper is None else upper * scale
    lo = np.zeros(n_groups) if lower is None else lower * scale
    if upper is not None and np.any(hi * counts < totals * (1 - 1e-12)):
        raise CalibrationError(
            f"upper={upper} is below the mean weight of a group, so its weights cannot keep their total; raise it."
        )
    for _ in range(max_iter):
        capped = np.clip(w, lo[codes], hi[codes])
        fixed = (w >= hi[codes]) | (w <= lo[codes])
        excess = np.bincount(codes, weights=w - capped, minlength=n_groups)
        if np.all(np.abs(excess) <= 1e-12 * np.maximum(totals, 1)):
            return capped
        free = np.bincount(codes, weights=np.where(fixed, 0.0, capped), minlength=n_groups)
        with np.errstate(divide="ignore", invalid="ignore"):
            factor = np.where(free > 0, 1 + excess / free, 1.0)
        w = np.where(fixed, capped, capped * factor[codes])
    raise CalibrationError(f"trimming did not settle in {max_iter} rounds; the caps may be too tight for the weights.")
