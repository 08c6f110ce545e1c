import numpy as np
import pytest

import residentsurvey as rs
from residentsurvey.report.tracker_chart import tracker_chart
from tests.tracking.synthetic import DESIGN, synthetic_returns


@pytest.fixture(scope="module")
def tracker():
    return rs.rolling(synthetic_returns(3, psus=10, size=3, shift=1.5), ["y"], window=1, design=DESIGN)


def test_signal_markers_where_changes_are_significant(tracker):
    figure = tracker_chart(tracker, "y", area="Ashby")
    ax = figure.axes[0]
    triangles = [line for line in ax.lines if line.get_marker() in ("^", "v") and len(line.get_xdata())]
    assert len(triangles) == 1 and triangles[0].get_xdata()[0] == 3  # the shift arrives in 2025Q4
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["Ashby", "All councils", "significant change"]
    band = ax.collections[0].get_paths()[0].vertices
    table = tracker.table[(tracker.table["area"] == "Ashby")]
    assert np.isclose(band[:, 1].max(), table["ci_upper"].max()) and np.isclose(band[:, 1].min(), table["ci_lower"].min())


def test_no_marker_without_a_signal(tracker):
    changes = tracker.changes().assign(signal="no significant change")
    ax = tracker_chart(tracker, "y", area="Brook", changes=changes).axes[0]
    assert not [line for line in ax.lines if line.get_marker() in ("^", "v") and len(line.get_xdata())]


def test_bad_area_and_indicator(tracker):
    with pytest.raises(rs.ReportError, match="area 'Nowhere' is not in the tracker; use one of 'Ashby'"):
        tracker_chart(tracker, "y", area="Nowhere")
    with pytest.raises(rs.ReportError, match="indicator 'q' is not in the tracker; it has 'y'"):
        tracker_chart(tracker, "q", area="Ashby")
