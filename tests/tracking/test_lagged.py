import numpy as np
import pytest

import residentsurvey as rs

from .synthetic import DESIGN, synthetic_returns

COUNCILS = tuple(f"C{k}" for k in range(6))


@pytest.fixture(scope="module")
def tracker():
    return rs.rolling(synthetic_returns(4, psus=4, size=4, councils=COUNCILS), ["y", "z"], window=1, design=DESIGN)


def test_correlation_is_that_of_the_paired_estimates(tracker):
    with pytest.warns(rs.WeakEvidenceWarning, match="compares only 6 councils: association across few councils is weak"):
        table = rs.lagged_association(tracker, "y", "z", lags=[1, 2])
    councils = tracker.table[tracker.table["area_type"] == "council"]
    y = councils[councils["indicator"] == "y"].pivot(index="window", columns="area", values="estimate")
    z = councils[councils["indicator"] == "z"].pivot(index="window", columns="area", values="estimate")
    for lag in (1, 2):
        expected = np.corrcoef(y.iloc[:-lag].to_numpy().ravel(), z.iloc[lag:].to_numpy().ravel())[0, 1]
        row = table[table["lag"] == lag].iloc[0]
        np.testing.assert_allclose(row["correlation"], expected, rtol=1e-12)
        assert row["pairs"] == 6 * (4 - lag) and row["councils"] == 6
        assert -1 <= row["ci_lower"] < row["ci_upper"] <= 1
        assert row["evidence"].startswith("weak: 6 councils")


def test_interval_widens_with_sampling_error_and_few_councils(tracker):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rs.WeakEvidenceWarning)
        table = rs.lagged_association(tracker, "y", "y", lags=1, seed=1)
    row = table.iloc[0]
    # six councils leave the interval wide whatever the point estimate
    assert row["ci_upper"] - row["ci_lower"] > 0.5


def test_bad_lags_and_indicator(tracker):
    with pytest.raises(rs.DesignError, match=r"lags must be whole numbers from 1 to 3 \(windows in the tracker: 4\); got \[4\]"):
        rs.lagged_association(tracker, "y", "z", lags=4)
    with pytest.raises(rs.DesignError, match=r"indicator 'w' is not in the tracker; it has \['y', 'z'\]"):
        rs.lagged_association(tracker, "w", "z")
