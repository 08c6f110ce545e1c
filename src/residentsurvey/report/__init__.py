"""Reports: charts (matplotlib), the Excel workbook and the static HTML report, rendered from
already-computed tables (the indicator table: one row per wave x indicator x area). The report
layer never estimates anything and never sees respondent-level data."""

from ._errors import ReportError
from ._registry import FLAGS as QUALITY_FLAGS
from .bands import band_chart
from .drivers import driver_chart
from .forest import forest_plot
from .funnel import funnel_plot
from .html import council_filename, write_html_report
from .trend import trend_chart
from .tracker_chart import tracker_chart
from .weights_chart import plot_weight_distribution
from .workbook import write_workbook

__all__ = [
    "plot_weight_distribution",
    "forest_plot",
    "funnel_plot",
    "trend_chart",
    "tracker_chart",
    "band_chart",
    "driver_chart",
    "write_workbook",
    "write_html_report",
    "council_filename",
    "QUALITY_FLAGS",
    "ReportError",
]
