"""The report charts: what a reader sees (labels, gaps, markers, legends), determinism and bad input."""

from __future__ import annotations

import io

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

import residentsurvey as rs  # noqa: E402
import residentsurvey.report as report  # noqa: E402

from .conftest import SWEMWBS_NOTICE  # noqa: E402


def _texts(figure) -> list[str]:
    return [t.get_text() for t in figure.findobj(matplotlib.text.Text)]


def test_forest_orders_councils_and_shows_rank_intervals_and_the_suppressed_gap(table: pd.DataFrame) -> None:
    figure = report.forest_plot(table, "swemwbs")
    ax = figure.axes[0]
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    wave2 = table[(table["wave"] == 2) & (table["indicator"] == "swemwbs") & (table["area_type"] == "council")]
    shown = wave2[wave2["flag"] != "suppressed"].sort_values("estimate", ascending=False)
    assert [t.split("\n")[0] for t in ticks] == list(shown["area"]) + ["Eastmere"]
    assert ticks[0] == "Southwold Vale\nranks 1 to 4 of 4, n = 46"
    assert ticks[-1] == "Eastmere\nnot published"
    texts = _texts(figure)
    assert "suppressed (n < 30)" in texts
    assert sum("caution: small base" in t for t in texts) >= 2
    assert "Mean mental wellbeing score (SWEMWBS, 7-35)" in figure._suptitle.get_text()
    assert ax.get_xlabel() == "Mean score (7-35) (estimate and 95% confidence interval)"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:2] == ["All councils: 23.58", "Average council: 23.82"]
    assert "caution: small base" in legend
    assert any(SWEMWBS_NOTICE[:40] in t for t in texts)


def test_forest_of_a_share_in_per_cent_without_a_copyright_line(table: pd.DataFrame) -> None:
    figure = report.forest_plot(table, "satisfied_area", wave=1, highlight="Eastmere")
    ax = figure.axes[0]
    assert ax.get_xlabel().startswith("Per cent")
    assert 60 < ax.get_xlim()[0] < ax.get_xlim()[1] < 100
    texts = _texts(figure)
    assert any(t.startswith("83.2% (77.8%–88.7%)\nhigher than all councils") for t in texts)
    assert any("low reliability" in t for t in texts)
    assert not any("SWEMWBS" in t for t in texts)
    bold = [t.get_text().split("\n")[0] for t in ax.get_yticklabels() if t.get_fontweight() == "bold"]
    assert bold == ["Eastmere"]


def test_a_suppressed_value_is_never_drawn_even_if_the_table_carries_one(table: pd.DataFrame) -> None:
    leaky = table.copy()
    mask = (leaky["flag"] == "suppressed") & (leaky["indicator"] == "swemwbs") & (leaky["wave"] == 2)
    leaky.loc[mask, ["estimate", "ci_lower", "ci_upper"]] = [31.234, 30.0, 32.5]
    texts = " ".join(_texts(report.forest_plot(leaky, "swemwbs")))
    assert "31.23" not in texts
    ax = report.forest_plot(leaky, "swemwbs").axes[0]
    drawn = np.concatenate([line.get_xdata() for line in ax.get_lines()]).astype(float)
    assert not np.isclose(drawn, 31.234).any()


def test_funnel_draws_both_limits_and_labels_every_published_council(table: pd.DataFrame,
                                                                     limits: pd.DataFrame) -> None:
    figure = report.funnel_plot(table, "safe_after_dark", limits=limits)
    ax = figure.axes[0]
    assert ax.get_xlabel() == "Equivalent sample size (base / design effect)"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"95% limits", "99.8% limits", "All councils: 64.3%"} <= set(legend)
    styles = {line.get_label(): line.get_linestyle() for line in ax.get_lines()}
    assert styles["95% limits"] == "--" and styles["99.8% limits"] == ":"
    annotations = [t.get_text() for t in ax.texts]
    assert "Southwold Vale, above 99.8%" in annotations
    assert "Middleton Cross, below 95%" in annotations
    assert len(annotations) == 5


def test_funnel_lists_suppressed_councils_under_the_chart(table: pd.DataFrame, limits: pd.DataFrame) -> None:
    figure = report.funnel_plot(table, "swemwbs", limits=limits)
    assert any("Not shown: Eastmere, suppressed (n < 30)." in t for t in _texts(figure))
    assert not any(t.startswith("Eastmere") for t in (a.get_text() for a in figure.axes[0].texts))


def test_funnel_without_limits_for_the_wave_says_what_it_has(table: pd.DataFrame, limits: pd.DataFrame) -> None:
    with pytest.raises(rs.ResidentSurveyError, match=r"limits has no rows for indicator 'swemwbs' in wave 2"):
        report.funnel_plot(table, "swemwbs", limits=limits[limits["indicator"] != "swemwbs"])


def test_trend_breaks_the_series_where_the_question_changed(table: pd.DataFrame) -> None:
    figure = report.trend_chart(table, "safe_after_dark")
    ax = figure.axes[0]
    assert any("break in series" in t for t in _texts(figure))
    joined = [line for line in ax.get_lines() if len(set(line.get_xdata())) == 2]
    assert joined == [], "no line may join waves across a break in the series"
    assert "wording changed between waves" in figure._suptitle.get_text().replace("\n", " ")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Wave 1\ncore-v1", "Wave 2\ncore-v2"]


def test_trend_joins_comparable_waves_and_names_suppressed_waves(table: pd.DataFrame) -> None:
    figure = report.trend_chart(table, "swemwbs", areas=["Eastmere", "Northbridge", "All councils"])
    ax = figure.axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Eastmere (suppressed in wave 2)", "Northbridge", "All councils"]
    joined = [line for line in ax.get_lines() if len(set(line.get_xdata())) == 2]
    assert len(joined) == 2  # Northbridge and All councils; Eastmere's line has a gap
    assert "suppressed" in [t.get_text() for t in ax.texts]


def test_trend_rejects_an_unknown_area(table: pd.DataFrame) -> None:
    with pytest.raises(rs.ResidentSurveyError, match=r"areas \['Atlantis'\] are not in the table.*'Northbridge'"):
        report.trend_chart(table, "swemwbs", areas=["Atlantis"])


def test_band_chart_stacks_bands_in_order_with_hatching_and_a_suppressed_bar(bands: pd.DataFrame) -> None:
    figure = report.band_chart(bands, "life_satisfaction", thresholds={"suppress_below": 30})
    ax = figure.axes[0]
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["Low (0-4)", "Medium (5-6)", "High (7-8)",
                                                          "Very high (9-10)"]
    hatches = [patch.get_hatch() for patch in legend.get_patches()]
    assert len(set(hatches)) == 4
    assert "suppressed (n < 30)" in [t.get_text() for t in ax.texts]
    assert ax.get_xlim() == (0.0, 100.0)
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks[1] == "Eastmere\nn = 24"


def test_charts_are_deterministic(table: pd.DataFrame) -> None:
    from residentsurvey.report._web import svg_text

    assert svg_text(report.forest_plot(table, "swemwbs")) == svg_text(report.forest_plot(table, "swemwbs"))
    assert svg_text(report.trend_chart(table, "swemwbs")) == svg_text(report.trend_chart(table, "swemwbs"))


def test_charts_are_not_registered_with_pyplot(table: pd.DataFrame) -> None:
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    report.forest_plot(table, "swemwbs")
    report.trend_chart(table, "swemwbs")
    assert plt.get_fignums() == before


@pytest.mark.parametrize("call, message", [
    (lambda t: report.forest_plot(t, "happiness"),
     r"indicator='happiness' is not in the table; use one of 'satisfied_area', 'safe_after_dark'"),
    (lambda t: report.forest_plot(t, "swemwbs", wave=7), r"wave=7 is not in the table for this indicator; use one of 1, 2"),
    (lambda t: report.forest_plot(t.drop(columns=["n", "flag"]), "swemwbs"),
     r"The indicator table lacks the column\(s\) 'n', 'flag'"),
    (lambda t: report.forest_plot(t.assign(flag=t["flag"].replace("caution", "iffy")), "swemwbs"),
     r"flag='iffy' is not recognised; use one of 'ok', 'caution', 'low_reliability', 'suppressed'"),
    (lambda t: report.forest_plot(pd.concat([t, t.iloc[[0]]]), "swemwbs"),
     r"more than one row for wave 1, indicator 'satisfied_area', area 'Northbridge'"),
    (lambda t: report.forest_plot(t.to_dict(), "swemwbs"), r"must be a pandas DataFrame; found dict"),
])
def test_bad_tables_are_refused_with_a_message_naming_the_problem(table: pd.DataFrame, call, message: str) -> None:
    with pytest.raises(report.ReportError, match=message):
        call(table)


def test_figures_render_to_png(table: pd.DataFrame, limits: pd.DataFrame, bands: pd.DataFrame) -> None:
    for figure in (report.forest_plot(table, "satisfied_area"), report.funnel_plot(table, "swemwbs", limits=limits),
                   report.trend_chart(table, "life_satisfaction"), report.band_chart(bands, "life_satisfaction")):
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        assert buffer.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"
