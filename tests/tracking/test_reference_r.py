"""Change between overlapping rolling windows against R survey 4.1.1.

Reference: tests/data/r/make_tracking_reference.R on tests/data/r/tracking_synthetic.csv (two-quarter
windows; A and B share a quarter, A and C none), uncalibrated and with linear calibration of each
window and council to sex totals.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import residentsurvey as rs

from .synthetic import DESIGN, targets

DATA = Path(__file__).parent.parent / "data" / "r"


@pytest.fixture(scope="module")
def returns() -> pd.DataFrame:
    return pd.read_csv(DATA / "tracking_synthetic.csv")


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return pd.read_csv(DATA / "tracking_change_reference.csv")


@pytest.mark.parametrize("calibrated", [False, True])
def test_change_between_windows_matches_r(returns, reference, calibrated):
    weighting = (lambda d: d.calibrate(targets(), method="linear", by="council")) if calibrated else None
    tracker = rs.rolling(returns, ["y", "z"], window=2, design=DESIGN, weighting=weighting)
    ours = tracker.changes(pairs="all", adjust="none")
    ours = ours[ours["area_type"] == "council"]
    expected = reference[reference["calibrated"] == calibrated]
    merged = expected.merge(ours, left_on=["variable", "council", "window_a", "window_b"],
                            right_on=["indicator", "area", "window_a", "window_b"], suffixes=("_r", ""))
    assert len(merged) == len(expected) == 18
    assert (merged["shared_periods"] > 0).any() and (merged["shared_periods"] == 0).any()
    np.testing.assert_allclose(merged["change"], merged["change_r"], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(merged["se"], merged["se_r"], rtol=1e-9)
