"""The weights chart: one box per group, labelled with the group's Kish deff, log scale."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import residentsurvey as rs  # noqa: E402
from residentsurvey.demo import demo_design  # noqa: E402


def test_one_labelled_box_per_council() -> None:
    design = demo_design()
    figure = rs.plot_weight_distribution(design, by="council")
    ax = figure.axes[0]
    labels = [tick.get_text() for tick in ax.get_yticklabels()]
    summary = design.weighting_summary(by="council")
    assert len(labels) == 5
    assert all(f"deff {row.kish_deff:.2f}" in label for label, row in zip(labels, summary.itertuples()))
    assert "raking calibration to age_band:sex, tenure, ethnicity" in figure._suptitle.get_text().replace("\n", " ")
    assert ax.get_xscale() == "log"
