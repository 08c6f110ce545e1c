import pandas as pd
import pytest

import residentsurvey as rs
from residentsurvey.tracking.windows import rolling_windows, window_pairs


def test_periods_labels_quarters_and_months_in_time_order():
    df = pd.DataFrame({"interview_date": pd.to_datetime(["2024-12-31", "2025-01-01", "2025-06-30", "2025-07-01"])})
    assert rs.periods(df)["period"].tolist() == ["2024Q4", "2025Q1", "2025Q2", "2025Q3"]
    assert rs.periods(df, freq="month")["period"].tolist() == ["2024-12", "2025-01", "2025-06", "2025-07"]
    assert "period" not in df.columns  # a new frame; the caller's is untouched


def test_bad_date_names_column_row_and_value():
    df = pd.DataFrame({"when": ["2025-01-02", "not a date", None]})
    with pytest.raises(rs.ReturnsError, match=r"column 'when', row 2 .*'not a date' is not a date \(2 row\(s\)"):
        rs.periods(df, date="when")


def test_missing_date_column_and_unknown_freq():
    with pytest.raises(rs.ReturnsError, match="interview_date"):
        rs.periods(pd.DataFrame({"x": [1]}))
    with pytest.raises(rs.OptionError, match="freq='week' is not recognised; use one of 'quarter', 'month'"):
        rs.periods(pd.DataFrame({"interview_date": ["2025-01-01"]}), freq="week")


def test_questionnaire_versions_show_a_change_within_a_period():
    df = pd.DataFrame({"period": ["2025Q1", "2025Q2", "2025Q2", "2025Q2"], "questionnaire": ["v1", "v1", "v2", "v2"]})
    table = rs.questionnaire_versions(df)
    assert table.values.tolist() == [["2025Q1", "v1", 1], ["2025Q2", "v1", 1], ["2025Q2", "v2", 2]]


def test_windows_and_pairs():
    windows = rolling_windows(["2025Q3", "2025Q1", "2025Q2", "2025Q4", "2025Q1"], window=2)
    assert [w.label for w in windows] == ["2025Q1-2025Q2", "2025Q2-2025Q3", "2025Q3-2025Q4"]
    assert window_pairs(windows, "previous") == [(0, 2)]  # the only pair sharing no quarter
    assert window_pairs(windows, "consecutive") == [(0, 1), (1, 2)]
    assert window_pairs(windows, "all") == [(0, 1), (0, 2), (1, 2)]
    assert window_pairs(windows, [("2025Q1-2025Q2", "2025Q3-2025Q4")]) == [(0, 2)]
    assert windows[0].overlap(windows[1]) == 1 and windows[0].overlap(windows[2]) == 0


def test_window_bad_inputs():
    with pytest.raises(rs.DesignError, match=r"window=5 periods but the returns cover only 2 \(2025Q1, 2025Q2\)"):
        rolling_windows(["2025Q1", "2025Q2"], window=5)
    with pytest.raises(rs.DesignError, match="window must be a whole number of periods, at least 1; got 0"):
        rolling_windows(["2025Q1"], window=0)
    windows = rolling_windows(["2025Q1", "2025Q2"], window=1)
    with pytest.raises(rs.OptionError, match="pairs='yearly' is not recognised; use one of 'previous'"):
        window_pairs(windows, "yearly")
    with pytest.raises(rs.DesignError, match=r"pair \('2025Q1', '2026Q1'\) does not name two windows; the windows are: 2025Q1, 2025Q2"):
        window_pairs(windows, [("2025Q1", "2026Q1")])
