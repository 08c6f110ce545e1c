"""Every chart displays as an image in Jupyter, even in a fresh kernel where pyplot never drew.

IPython shows a plain matplotlib Figure as an image only after pyplot's inline backend has
registered its PNG formatter; the charts carry their own ``_repr_png_`` instead. A fresh
``DisplayFormatter`` (no formatter registered for Figure) stands in for that fresh kernel; the
notebooks test checks the same thing in a real kernel.
"""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

import residentsurvey as rs  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"
CHARTS = {
    "forest_plot": lambda table, limits, bands: rs.forest_plot(table, "satisfied_area"),
    "funnel_plot": lambda table, limits, bands: rs.funnel_plot(table, "safe_after_dark", limits=limits),
    "trend_chart": lambda table, limits, bands: rs.trend_chart(table, "swemwbs"),
    "band_chart": lambda table, limits, bands: rs.band_chart(bands, "life_satisfaction"),
    "plot_weight_distribution": lambda table, limits, bands: rs.plot_weight_distribution(
        rs.SurveyDesign(rs.demo_consortium(), weights="design_weight", strata="stratum", psu="sector")),
    "tracker_chart": lambda table, limits, bands: _tracker_chart(),
    "driver_chart": lambda table, limits, bands: _driver_chart(),
}


def _driver_chart():
    from tests.conftest import load_api

    data = load_api("apistrat")
    data["low_ell"] = (data["ell"] < 20).astype(float)
    data["stable"] = (data["mobility"] < 15).astype(float)
    design = rs.SurveyDesign(data, weights="pw", strata="stype", fpc="fpc")
    return rs.driver_chart(rs.key_drivers(design, "api00", ["low_ell", "stable"], by="stype"), "E")


def _tracker_chart():
    from tests.tracking.synthetic import DESIGN, synthetic_returns

    tracker = rs.rolling(synthetic_returns(3, psus=10, size=3), ["y"], window=1, design=DESIGN)
    return rs.tracker_chart(tracker, "y", area="Ashby")


@pytest.mark.parametrize("chart", CHARTS)
def test_chart_displays_as_png_without_pyplot(chart: str, table: pd.DataFrame, limits: pd.DataFrame,
                                              bands: pd.DataFrame) -> None:
    from IPython.core.formatters import DisplayFormatter

    figure = CHARTS[chart](table, limits, bands)
    data, _ = DisplayFormatter().format(figure)
    assert data["image/png"].startswith(PNG)
    assert data["image/png"] == figure._repr_png_()


def test_every_chart_function_is_checked() -> None:
    """A new chart function in the report layer must be added to CHARTS above."""
    charts = {name for name in rs.report.__all__ if name.endswith(("_plot", "_chart")) or name.startswith("plot_")}
    assert charts == set(CHARTS)
