"""Driver chart ("priority matrix"): each driver's importance against its performance, with intervals.

The resident-survey reporting convention: drivers in the top left matter most to the outcome
and perform least well (priorities for improvement); top right are strengths to maintain;
bottom left are lower priorities; bottom right perform well but matter less. The dividing lines
are the averages over the drivers shown, so the quadrants are relative, and the chart says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from ._errors import ReportError
from ._style import GREY, INK, LIGHT, SMALL_SIZE, TEXT_SIZE, finish, new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..models.drivers import KeyDrivers

__all__ = ["driver_chart"]

_QUADRANTS = (("Priorities: matter more, perform less well", 0.02, 0.98, "left", "top"),
              ("Strengths: matter more, perform well", 0.98, 0.98, "right", "top"),
              ("Lower priority", 0.02, 0.02, "left", "bottom"),
              ("Perform well, matter less", 0.98, 0.02, "right", "bottom"))


def driver_chart(drivers: "KeyDrivers", area: object | None = None, *, labels: Mapping[str, str] | None = None,
                 performance_label: str = "Performance (share satisfied)", title: str | None = None) -> "Figure":
    """Importance (share of explained variance) against performance for one area's drivers.

    Parameters
    ----------
    drivers
        The result of :func:`residentsurvey.key_drivers`.
    area
        The area to draw (a value of the ``by`` column, e.g. a council, or the overall label);
        None: the overall row, or the only area when there was no ``by``.
    labels
        Display names of the drivers (default: the column names).
    performance_label
        The x-axis title: what the drivers' own levels are.
    title
        Chart title (default: "What drives <outcome> in <area>").

    Returns
    -------
    matplotlib.figure.Figure
        Vertical bars: importance intervals (jackknife); horizontal bars: performance intervals.

    Examples
    --------
    >>> import residentsurvey as rs
    >>> from residentsurvey.report.drivers import driver_chart
    >>> design = rs.SurveyDesign(rs.demo_consortium(), weights="design_weight", strata="stratum", psu="sector")
    >>> kd = rs.key_drivers(design, "ons_life_satisfaction", ["ons_happy", "ons_worthwhile"], by="council")
    >>> figure = driver_chart(kd, "Northbridge", performance_label="Mean score (0-10)")
    >>> figure.axes[0].get_ylabel()
    'Importance: share of explained variance (%)'
    """
    table = drivers.table
    by = list(drivers.by)
    if by:
        if area is None:
            area = table[by[0]].iloc[-1]
        rows = table[table[by[0]].astype(str) == str(area)]
        if rows.empty:
            areas = ", ".join(map(str, table[by[0]].unique()))
            raise ReportError(f"area {area!r} is not in the key-driver table; its areas are {areas}.")
    else:
        rows = table
    names = dict(labels or {})
    r2 = float(rows["r2"].iloc[0])
    if not np.isfinite(r2) or r2 <= 0:
        raise ReportError(f"the key-driver model explains nothing in {area!r} (R² = {r2}); there is no chart to draw.")
    share = rows["importance"].to_numpy(dtype=float) / r2 * 100
    low = rows["importance_lower"].to_numpy(dtype=float) / r2 * 100
    high = rows["importance_upper"].to_numpy(dtype=float) / r2 * 100
    x = rows["performance"].to_numpy(dtype=float)
    x_low, x_high = rows["performance_lower"].to_numpy(dtype=float), rows["performance_upper"].to_numpy(dtype=float)
    percent = bool(np.nanmax(x_high) <= 1.0 and np.nanmin(x_low) >= 0.0)
    scale = 100.0 if percent else 1.0
    figure, ax = new_figure(8.0, 6.2)
    has_intervals = bool(np.isfinite(low).any())
    ax.errorbar(x * scale, share, xerr=np.abs(np.vstack([x - x_low, x_high - x])) * scale,
                yerr=np.abs(np.vstack([share - low, high - share])) if has_intervals else None,
                fmt="o", color=INK, ecolor=GREY, elinewidth=1.1, capsize=3, markersize=7)
    _label_points(ax, x * scale, share, [names.get(name, name) for name in rows["driver"]])
    ax.axvline(np.nanmean(x) * scale, color=LIGHT, linestyle="--", linewidth=1.2, zorder=0)
    ax.axhline(np.nanmean(share), color=LIGHT, linestyle="--", linewidth=1.2, zorder=0)
    for text, tx, ty, ha, va in _QUADRANTS:
        ax.text(tx, ty, text, transform=ax.transAxes, ha=ha, va=va, fontsize=SMALL_SIZE, color=GREY, style="italic")
    ax.set_xlabel(performance_label + (" (%)" if percent else ""), fontsize=TEXT_SIZE)
    ax.set_ylabel("Importance: share of explained variance (%)", fontsize=TEXT_SIZE)
    where = f" in {area}" if by else ""
    n = int(rows["n"].iloc[0])
    method = "Shapley (LMG)" if drivers.method == "shapley" else "Johnson's relative weights"
    notes = [f"Importance: {method} share of R² = {r2:.3f} explained by the {len(rows)} drivers together; "
             f"{n:,} respondents answered the outcome and every driver.",
             f"Bars: {int(round(drivers.level * 100))}% intervals; importance by {drivers.interval_method}, "
             "performance by Taylor linearisation.",
             "Dashed lines: the average driver, so the quadrants are relative to the drivers shown."]
    finish(figure, title or f"What drives {drivers.outcome}{where}",
           "Importance against performance: top left are priorities for improvement", notes)
    return figure


_OFFSETS = ((6, 5, "left", "bottom"), (6, -5, "left", "top"), (-6, 5, "right", "bottom"), (-6, -5, "right", "top"))


def _label_points(ax, x: np.ndarray, y: np.ndarray, texts: list[str]) -> None:
    """Label each point beside it, trying the four corners in turn so that labels do not overlap."""
    x_span = float(np.diff(ax.get_xlim())[0])  # the axes' data ranges (error bars included)
    y_span = float(np.diff(ax.get_ylim())[0])
    width_in, height_in = ax.figure.get_figwidth() * 0.85, ax.figure.get_figheight() * 0.6
    placed: list[tuple[float, float, float, float]] = []
    for i in np.argsort(-y):
        w = len(texts[i]) * 0.075 / width_in * x_span * 1.15      # ~0.075 in per character at this size
        h = 0.2 / height_in * y_span * 1.15                         # a line of text, with room
        gap_x, gap_y = 0.08 / width_in * x_span, 0.07 / height_in * y_span  # the 6 and 5 point offsets
        for dx, dy, ha, va in _OFFSETS:
            left = x[i] + gap_x if ha == "left" else x[i] - gap_x - w
            bottom = y[i] + gap_y if va == "bottom" else y[i] - gap_y - h
            box = (left, bottom, left + w, bottom + h)
            if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
                break
        placed.append(box)
        ax.annotate(texts[i], (x[i], y[i]), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                    fontsize=SMALL_SIZE + 0.5, color="#222222")
