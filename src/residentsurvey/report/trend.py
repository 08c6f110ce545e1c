"""Trend chart: each area's estimate with its confidence interval across waves, with breaks in series."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from ._errors import ReportError
from ._format import unit_text
from ._registry import AVERAGE, CONSORTIUM, STATISTICS
from ._style import GREY, LINESTYLES, MARKERS, PALETTE, SMALL_SIZE, TEXT_SIZE, finish, new_figure
from ._table import ReportMeta, confidence_level, pick_indicator, prepare_indicator_table, select_notices
from ._web import area_id

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["trend_chart", "draw_trend"]


def trend_chart(table: pd.DataFrame, indicator: str, *, areas: Sequence[str] | None = None) -> "Figure":
    """Estimates with confidence intervals across waves, one line per area, broken where the series is.

    Where the question changed so that a wave is not comparable with the one before
    (``change_verdict == "not comparable"`` on any row of that wave), the lines are not joined
    across the change and a vertical "break in series" marker is drawn. A suppressed estimate is
    a gap in its line, and the area's legend entry names the waves suppressed. Areas differ by
    marker and line style as well as colour; points are offset slightly so intervals do not overlap.

    Parameters
    ----------
    table
        The indicator table.
    indicator
        The indicator id to plot.
    areas
        Areas to draw, in this order (default: every council, then "All councils").

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from residentsurvey.report._example import example_table
    >>> figure = trend_chart(example_table(), "satisfied_area", areas=["Eastmere", "All councils"])
    >>> [text.get_text() for text in figure.axes[0].get_legend().get_texts()]
    ['Eastmere', 'All councils']
    """
    checked, meta = prepare_indicator_table(table)
    return draw_trend(checked, meta, indicator, areas=areas)


def draw_trend(table: pd.DataFrame, meta: ReportMeta, indicator: str, *, areas: Sequence[str] | None = None,
               web: bool = False) -> "Figure":
    """:func:`trend_chart` of an already checked table; ``web=True`` tags each area's marks ``ar_<area>_<k>``
    (lines, intervals, markers, legend entry) so a page can restyle one area (see ``_web.trend_emphasis``)."""
    rows = pick_indicator(table, indicator)
    if areas is None:
        areas = list(dict.fromkeys(rows.loc[rows["area_type"] == "council", "area"]))
        areas += list(dict.fromkeys(rows.loc[rows["area_type"] == CONSORTIUM, "area"]))
    else:
        areas = list(areas)
        unknown = [a for a in areas if a not in set(rows["area"])]
        if unknown:
            raise ReportError(f"areas {unknown!r} are not in the table for indicator {indicator!r}; use any of "
                              f"{', '.join(map(repr, dict.fromkeys(rows['area'])))}.")
    waves = sorted(set(rows["wave"]))
    breaks = {w for w in waves[1:] if (rows.loc[rows["wave"] == w, "change_verdict"] == "not comparable").any()}
    first = rows.iloc[0]
    scale = STATISTICS[first["statistic"]].scale
    level = confidence_level(rows, meta.level)

    figure, ax = new_figure(9.0, 5.4)
    width = 0.32 if len(waves) > 1 else 0.5
    handles = []
    for k, area in enumerate(areas):
        area_type = rows.loc[rows["area"] == area, "area_type"].iloc[0]
        consortium = area_type == CONSORTIUM
        colour, marker, linestyle = {CONSORTIUM: ("black", "s", "-"), AVERAGE: (GREY, "D", ":")}.get(
            area_type, (PALETTE[k % len(PALETTE)], MARKERS[k % len(MARKERS)], LINESTYLES[k % len(LINESTYLES)]))
        series = rows[rows["area"] == area].set_index("wave").reindex(waves)
        offset = (k - (len(areas) - 1) / 2) * width / max(len(areas) - 1, 1)
        x = [w + offset for w in waves]
        y = series["estimate"].astype(float) * scale
        tag = area_id(area)
        marks = []
        marks.append(ax.vlines(x, series["ci_lower"].astype(float) * scale, series["ci_upper"].astype(float) * scale,
                               color=colour, linewidth=2.2 if consortium else 1.3))
        suppressed = [w for w in waves if series.loc[w, "flag"] == "suppressed"]
        label = area + (f" (suppressed in wave {', '.join(map(str, suppressed))})" if suppressed else "")
        for xi, yi, flag in zip(x, y, series["flag"]):
            hollow = flag in ("caution", "low_reliability")
            marks += ax.plot([xi], [yi], linestyle="none", marker=marker, markersize=7, color=colour, zorder=3,
                             markerfacecolor="white" if hollow else colour, markeredgewidth=1.4)
        handles.append(ax.plot([], [], linestyle=linestyle, marker=marker, markersize=7, color=colour,
                               linewidth=2.2 if consortium else 1.3, label=label)[0])
        for w in suppressed:
            marks.append(ax.text(x[waves.index(w)], 0.5, "suppressed", transform=ax.get_xaxis_transform(),
                                 rotation=90, ha="center", va="center", fontsize=SMALL_SIZE, style="italic",
                                 color="#333333"))
        for i in range(1, len(waves)):
            if waves[i] in breaks or pd.isna(y.iloc[i]) or pd.isna(y.iloc[i - 1]):
                continue
            marks += ax.plot(x[i - 1:i + 1], y.iloc[i - 1:i + 1], linestyle=linestyle, color=colour,
                             linewidth=2.2 if consortium else 1.3)
        if web:
            for j, artist in enumerate(marks):
                artist.set_gid(f"ar_{tag}_{j}")
    for w in sorted(breaks):
        ax.axvline(w - 0.5, color=GREY, linewidth=1.2, linestyle=(0, (2, 2)))
        ax.text(w - 0.5, 1.0, " break in series:\n question changed", transform=ax.get_xaxis_transform(),
                ha="center", va="bottom", fontsize=SMALL_SIZE, color="#333333")
    questionnaires = rows.drop_duplicates("wave").set_index("wave")["questionnaire"]
    ax.set_xticks(waves, [f"Wave {w}\n{questionnaires[w]}" for w in waves], fontsize=TEXT_SIZE)
    ax.set_xlim(waves[0] - 0.6, waves[-1] + 0.6)
    ax.set_ylabel(f"{unit_text(first['statistic'], first['unit'])}", fontsize=TEXT_SIZE)
    ax.grid(axis="y", color="#e6e6e6", linewidth=0.8)
    ax.set_axisbelow(True)
    legend = ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=SMALL_SIZE,
                       frameon=False, handlelength=3.0)
    if web:
        for area, line, text in zip(areas, legend.get_lines(), legend.get_texts()):
            line.set_gid(f"ar_{area_id(area)}_key")
            text.set_gid(f"ar_{area_id(area)}_name")
    subtitle = (f"Estimate with {level:.0%} confidence interval (vertical lines) in each wave; hollow markers: "
                "caution or low reliability. Lines join waves only where the question is comparable.")
    labels = list(dict.fromkeys(rows.sort_values("wave")["label"]))
    title = labels[-1] + (" (wording changed between waves)" if len(labels) > 1 else "")
    finish(figure, f"{title}: trend", subtitle, select_notices(meta.notices, table, indicator))
    return figure
