"""What issue 11 found wrong in the workbook, pages and charts, each checked as a reader would meet it."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

import residentsurvey.report as report  # noqa: E402
from residentsurvey.report._format import difference_text, value_text  # noqa: E402
from residentsurvey.report._notes import threshold_lines  # noqa: E402
from residentsurvey.report.workbook import HEADER_ROW  # noqa: E402

from ._html_check import audit_page, page_weight  # noqa: E402
from .conftest import build_bands, build_limits, build_table  # noqa: E402


def _with_unset_thresholds(table: pd.DataFrame) -> pd.DataFrame:
    """The thresholds rs.indicators records: the low-reliability rules are None when not set."""
    table = table.copy()
    table.attrs = dict(table.attrs, thresholds={"suppress_below": 30, "caution_below": 50, "max_half_width": None,
                                                "max_cv": None})
    return table


def test_the_workbook_title_is_the_reports_title(table: pd.DataFrame, tmp_path: Path) -> None:
    path = report.write_workbook(table, tmp_path / "w.xlsx", title="Residents' survey 2026")
    contents = pd.read_excel(path, sheet_name="Contents", header=None)
    assert contents.iloc[0, 0] == "Residents' survey 2026"
    notes = pd.read_excel(path, sheet_name="Notes", header=HEADER_ROW - 1)
    assert dict(zip(notes["Topic"], notes["Note"]))["Title"] == "Residents' survey 2026"
    # without a title, the table's own
    default = pd.read_excel(report.write_workbook(table, tmp_path / "d.xlsx"), sheet_name="Contents", header=None)
    assert default.iloc[0, 0] == table.attrs["title"]


def test_thresholds_that_are_not_set_are_not_printed(tmp_path: Path) -> None:
    table = _with_unset_thresholds(build_table())
    assert threshold_lines(table.attrs["thresholds"]) == [
        "suppress below: 30 (estimates on fewer respondents are not published)",
        "caution below: 50 (estimates on fewer respondents are published with a caution)"]
    notes = pd.read_excel(report.write_workbook(table, tmp_path / "w.xlsx"), sheet_name="Notes",
                          header=HEADER_ROW - 1)
    assert not notes["Note"].astype(str).str.contains("None").any()
    assert notes["Note"].str.startswith("suppress below: 30").any()
    pages = report.write_html_report(table[table["indicator"] == "swemwbs"], tmp_path / "html")
    for page in pages:
        footer = page.read_text(encoding="utf-8").split("<footer>")[1]
        assert "None" not in footer and "suppress below: 30" in footer


def test_a_difference_that_rounds_to_zero_has_no_sign(table: pd.DataFrame, tmp_path: Path) -> None:
    assert difference_text(-0.0004, "share") == "0.0 points"
    assert difference_text(0.0004, "share") == "0.0 points"
    assert difference_text(-0.004, "mean") == "0.00"
    assert difference_text(-0.0006, "share") == "\u22120.1 points"
    assert value_text(-0.00001, "share") == "0.0%"
    one = table[table["indicator"] == "satisfied_area"].copy()
    one.loc[one["area"] == "Westhaven", "vs_consortium"] = -0.0004
    one.loc[one["area"] == "Westhaven", "change"] = -0.0003
    text = report.write_html_report(one, tmp_path)[0].read_text(encoding="utf-8")
    assert "\u22120.0" not in text and "-0.0" not in text and "+0.0" not in text
    assert "(0.0 points)" in text


def test_funnel_words_say_equivalent_sample_size(table: pd.DataFrame, tmp_path: Path) -> None:
    pages = report.write_html_report(table, tmp_path, limits=build_limits(table))
    index = pages[0].read_text(encoding="utf-8")
    audit = audit_page(index)
    funnel_alts = [i["alt"] or "" for i in audit.images if (i["alt"] or "").startswith("Funnel plot")]
    assert funnel_alts and all("base divided by its design effect" in a for a in funnel_alts)  # no funnel_n here
    assert not any("unweighted base" in a for a in funnel_alts)
    assert "against unweighted base" not in index and "against its unweighted base" not in index
    assert index.count("estimate against the equivalent sample size of its difference from all councils") == 4
    assert "shown as an equivalent sample size" in index
    figure = report.funnel_plot(table, "swemwbs", limits=build_limits(table))
    assert figure.axes[0].get_xlabel() == "Equivalent sample size (base / design effect)"  # no funnel_n here
    with_n = table.assign(funnel_n=table["n"] * 1.2)
    figure = report.funnel_plot(with_n, "swemwbs", limits=build_limits(table))
    assert figure.axes[0].get_xlabel() == "Equivalent sample size of the difference from all councils"


def _label_boxes(figure) -> tuple[list, object, object]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    ax = figure.axes[0]
    # the words of each label (an annotation's own extent also covers its leader line)
    words = [matplotlib.text.Text.get_window_extent(t, renderer) for t in ax.texts]
    return words, ax.get_window_extent(renderer), figure.bbox


@pytest.mark.parametrize("crowd", [False, True])
def test_funnel_labels_do_not_overlap(table: pd.DataFrame, crowd: bool) -> None:
    limits = build_limits(table)
    if crowd:  # every council at nearly the same base and estimate: the labels must still be apart
        table = table.copy()
        rows = (table["indicator"] == "satisfied_area") & (table["wave"] == 2) & (table["area_type"] == "council")
        table.loc[rows, "estimate"] = 0.80 + np.arange(rows.sum()) * 0.002
        table.loc[rows, "n"] = 300 + np.arange(rows.sum()) * 5
    for indicator in ("satisfied_area", "safe_after_dark", "life_satisfaction", "swemwbs"):
        boxes, axes, whole = _label_boxes(report.funnel_plot(table, indicator, limits=limits))
        assert len(boxes) >= 4
        for i, box in enumerate(boxes):
            assert axes.y0 - 1 <= box.y0 and box.y1 <= axes.y1 + 1 and axes.x0 - 1 <= box.x0 and box.x1 <= whole.x1
            for other in boxes[i + 1:]:
                assert not box.overlaps(other), (indicator, box, other)


def test_a_council_page_highlights_its_council_in_the_forest_plot(table: pd.DataFrame, tmp_path: Path) -> None:
    pages = report.write_html_report(table, tmp_path)
    shared = tmp_path / "charts" / "forest-satisfied-area-w2.svg"
    base = shared.read_text(encoding="utf-8")
    for page in pages[1:]:
        council = re.search(r"<h1>.*: (.*)</h1>", page.read_text(encoding="utf-8")).group(1)  # type: ignore[union-attr]
        tag = report.council_filename(council)[len("council-"):-len(".html")]
        images = [i["src"] for i in audit_page(page.read_text(encoding="utf-8")).images]
        assert f"charts/forest-satisfied-area-w2--{tag}.svg" in images
        mine = (tmp_path / "charts" / f"forest-satisfied-area-w2--{tag}.svg").read_text(encoding="utf-8")
        assert f'id="hl_{tag}"' in base and f'id="em_{tag}_label"' in base
        assert f"#hl_{tag}{{display:inline}}" in mine and f"#em_{tag}_text text{{font-weight:700}}" in mine
        # the same drawing: only the style sheet differs
        assert re.sub(r"<style.*?</style>", "", mine) == re.sub(r"<style.*?</style>", "", base)
    # the consortium page shows the shared drawing, with no council highlighted
    index = [i["src"] for i in audit_page(pages[0].read_text(encoding="utf-8")).images]
    assert "charts/forest-satisfied-area-w2.svg" in index
    assert '[id^="hl_"]{display:none}' in base


def test_forest_plot_highlight_draws_a_band_and_bold_row(table: pd.DataFrame) -> None:
    figure = report.forest_plot(table, "satisfied_area", highlight="Westhaven")
    ax = figure.axes[0]
    bands = [p for p in ax.patches if matplotlib.colors.to_hex(p.get_facecolor()) == "#fff1b8"]
    assert len(bands) == 1
    plain = report.forest_plot(table, "satisfied_area")
    assert not [p for p in plain.axes[0].patches if matplotlib.colors.to_hex(p.get_facecolor()) == "#fff1b8"]


def test_the_weights_chart_title_is_inside_the_figure() -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from residentsurvey.demo import demo_design

    figure = report.plot_weight_distribution(demo_design(calibrated=True), by="council")
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    title = figure._suptitle
    box = title.get_window_extent(canvas.get_renderer())
    assert "raking calibration to age_band:sex, tenure, ethnicity" in title.get_text().replace("\n", " ")
    assert 0 <= box.x0 and box.x1 <= figure.bbox.x1 and box.y1 <= figure.bbox.y1


def test_pages_and_everything_they_load_are_light(tmp_path: Path) -> None:
    table = build_table()
    pages = report.write_html_report(table, tmp_path, bands=build_bands(table), limits=build_limits(table))
    for page in pages:
        assert page.stat().st_size < 100_000, page.name
        assert page_weight(page) < 500_000, (page.name, page_weight(page))
    charts = list((tmp_path / "charts").glob("*.svg"))
    assert charts and max(c.stat().st_size for c in charts) < 30_000
    assert "<metadata>" not in charts[0].read_text(encoding="utf-8")


def test_tables_carry_their_column_names_for_the_phone_layout(table: pd.DataFrame, tmp_path: Path) -> None:
    page = report.write_html_report(table[table["indicator"] == "swemwbs"], tmp_path)[0].read_text(encoding="utf-8")
    assert '<td role="cell" class="num" data-label="Estimate">' in page
    assert 'data-label="95% confidence interval"' in page
    css = (tmp_path / "report.css").read_text(encoding="utf-8")
    assert "@media (max-width: 40rem)" in css and "content: attr(data-label)" in css
