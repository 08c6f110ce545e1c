"""Funnel plot: each council's estimate against its base, inside control limits around the consortium."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ._errors import ReportError
from ._format import is_blank, unit_text, value_text
from ._registry import STATISTICS
from ._style import GREY, INK, SMALL_SIZE, TEXT_SIZE, finish, flag_marker, new_figure
from ._table import (ReportMeta, check_limits, confidence_level, consortium_row, pick_indicator, pick_wave,
                     prepare_indicator_table, select_notices, suppressed_text)
from ._words import judgement

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["funnel_plot", "draw_funnel"]

# Outside the limits a council's marker changes shape (and its label says where it lies), so position
# against the funnel never rests on colour.
_FUNNEL_MARKERS = {"above": "^", "below": "v"}


def _outside(position: str) -> str:
    """``"above"`` or ``"below"`` for a position outside the limits (e.g. ``"above 95%"``), else ``""``."""
    side = position.split(" ", 1)[0]
    return side if side in _FUNNEL_MARKERS else ""


def funnel_plot(table: pd.DataFrame, indicator: str, *, limits: pd.DataFrame, wave: int | None = None) -> "Figure":
    """Councils' estimates against their equivalent sample size, with the inner and 99.8% control limits.

    The equivalent sample size (``funnel_n``) is the size of a simple random sample that would
    measure the council's difference from all councils as precisely as the survey does, the size
    :func:`rs.indicators` judges the ``funnel`` column by and :func:`rs.indicator_funnel_limits`
    draws the limits on, so a council drawn outside the inner limits is one the table calls
    higher or lower. A table without ``funnel_n`` places councils at base / design effect.

    The centre line is the "All councils" value; the limits narrow as the base grows, so a small
    council is not singled out for a difference that chance alone would produce. Councils are
    labelled by name, with their position against the funnel when outside it (triangles point up
    or down). Suppressed councils are not plotted and are listed under the chart with the reason.

    Parameters
    ----------
    table
        The indicator table.
    indicator
        The indicator id to plot.
    limits
        Control limits on a grid of bases: columns ``indicator``, ``wave``, ``n``, ``lower95``,
        ``upper95``, ``lower998``, ``upper998`` (on the scale of ``estimate``); drawn as given.
    wave
        The wave to plot (default: the latest wave holding the indicator).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from residentsurvey.report._example import example_limits, example_table
    >>> figure = funnel_plot(example_table(), "satisfied_area", limits=example_limits())
    >>> figure.axes[0].get_xlabel()
    'Equivalent sample size (base / design effect)'
    """
    checked, meta = prepare_indicator_table(table)
    return draw_funnel(checked, meta, indicator, limits=check_limits(limits), wave=wave)


def draw_funnel(table: pd.DataFrame, meta: ReportMeta, indicator: str, *, limits: pd.DataFrame,
                wave: int | None = None) -> "Figure":
    """:func:`funnel_plot` of an already checked table and limits."""
    rows, wave = pick_wave(pick_indicator(table, indicator), wave)
    curve = limits[(limits["indicator"] == indicator) & (limits["wave"] == wave)]
    if curve.empty:
        raise ReportError(f"limits has no rows for indicator {indicator!r} in wave {wave}; it holds "
                          f"{sorted(set(zip(limits['indicator'], limits['wave'])))}.")
    first = rows.iloc[0]
    scale = STATISTICS[first["statistic"]].scale
    councils = rows[rows["area_type"] == "council"]
    shown = councils[councils["flag"] != "suppressed"]
    hidden = councils[councils["flag"] == "suppressed"]
    deff = pd.to_numeric(shown["deff"], errors="coerce") if "deff" in shown else pd.Series(np.nan, index=shown.index)
    fallback = np.where(deff > 0, shown["n"] / deff, shown["n"])
    of_difference = bool((shown["funnel_n"] > 0).any())
    shown = shown.assign(n=np.where(shown["funnel_n"] > 0, shown["funnel_n"], fallback))

    figure, ax = new_figure(9.0, 5.6)
    n = curve["n"].to_numpy()
    adjust = str(meta.analysis.get("adjust") or "none")
    allowing = f", allowing for {len(shown)} councils" if adjust != "none" and len(shown) > 1 else ""
    inner = f"{confidence_level(rows, meta.level) * 100:.10g}%"
    ax.fill_between(n, curve["lower95"] * scale, curve["upper95"] * scale, color="#eef3f8", linewidth=0, zorder=0)
    ax.plot(n, curve["lower95"] * scale, "--", color=GREY, linewidth=1.2, label=f"{inner} limits{allowing}")
    ax.plot(n, curve["upper95"] * scale, "--", color=GREY, linewidth=1.2)
    ax.plot(n, curve["lower998"] * scale, ":", color="black", linewidth=1.4, label="99.8% limits")
    ax.plot(n, curve["upper998"] * scale, ":", color="black", linewidth=1.4)
    centre = consortium_row(rows)
    centre_value = (centre["estimate"] if centre is not None and not is_blank(centre["estimate"])
                    else shown["funnel_centre"].dropna().iloc[0] if shown["funnel_centre"].notna().any() else None)
    if centre_value is not None:
        ax.axhline(centre_value * scale, color="black", linewidth=1.2,
                   label=f"All councils: {value_text(centre_value, first['statistic'])}")
    right = max(float(shown["n"].max()) * 1.3 if len(shown) else float(n.max()), 60.0)
    bottom, top = _y_range(shown, curve[curve["n"] <= right], scale, centre_value,
                           100.0 if first["statistic"] == "share" else None)
    ax.set_xlim(0, right)
    ax.set_ylim(bottom, top)
    points = []
    for row in shown.itertuples(index=False):
        marker = flag_marker(row.flag)
        side = _outside(row.funnel)
        if side:
            marker["marker"] = _FUNNEL_MARKERS[side]
            marker["markersize"] = 9
        ax.plot([row.n], [row.estimate * scale], linestyle="none", zorder=5, **marker)
        better = judgement({"above": "higher", "below": "lower"}.get(side, ""), row.polarity)
        words = [row.area] + ([row.funnel + (f" ({better})" if better else "")] if side else []) + \
            (["caution"] if row.flag == "caution" else ["low reliability"] if row.flag == "low_reliability" else [])
        points.append((float(row.n), float(row.estimate) * scale, ", ".join(words)))
    for flag, words in (("ok", "council"), ("caution", "council, caution: small base"),
                        ("low_reliability", "council, low reliability")):
        if flag in set(shown["flag"]):
            ax.plot([], [], linestyle="none", label=words, **flag_marker(flag))
    if shown["funnel"].map(_outside).astype(bool).any():
        ax.plot([], [], linestyle="none", marker="^", markersize=8, color=INK, label="above / below the limits")
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=3, fontsize=SMALL_SIZE, frameon=False,
              borderaxespad=0.3)
    ax.set_xlabel("Equivalent sample size of the difference from all councils" if of_difference else
                  "Equivalent sample size (base / design effect)", fontsize=TEXT_SIZE)
    ax.set_ylabel(unit_text(first["statistic"], first["unit"]), fontsize=TEXT_SIZE)
    ax.grid(color="#e6e6e6", linewidth=0.8)
    ax.set_axisbelow(True)
    thresholds = meta.thresholds
    notes = [f"Not shown: {row['area']}, {suppressed_text(row, thresholds)}." for _, row in hidden.iterrows()]
    subtitle = (f"Wave {wave} ({first['questionnaire']}). " + (
        "A council outside the inner limits is one the table calls higher or lower than all councils: the same "
        "test, standard error and level." if adjust in ("none", "bonferroni") else
        "A council outside the inner limits is called higher or lower than all councils in the table, which "
        "may call others too (its rule cannot be drawn as one curve)."))
    finish(figure, f"{first['label']}: funnel plot", subtitle, notes + select_notices(meta.notices, table, indicator))
    _label(figure, ax, points)  # after the layout, so labels are placed where they will be drawn
    return figure


# Where a label may go, relative to its marker: (x, y) of the label box's anchor in units of the marker
# gap (x) and of the label's own height (y), and which side the text starts from. Right, then left, then
# stepped up and down, then above and below.
_SPOTS = [(1, -0.5, "left"), (-1, -0.5, "right"), (1, 0.4, "left"), (1, -1.4, "left"), (-1, 0.4, "right"),
          (-1, -1.4, "right"), (1, 1.3, "left"), (1, -2.3, "left"), (-1, 1.3, "right"), (-1, -2.3, "right"),
          (0, 0.9, "center"), (0, -1.9, "center"), (1, 2.2, "left"), (1, -3.2, "left"), (-1, 2.2, "right"),
          (-1, -3.2, "right")]


def _label(figure: "Figure", ax: "Axes", points: list[tuple[float, float, str]]) -> None:
    """Label each council's marker with its text, at the first spot (see ``_SPOTS``) where the label stays
    inside the axes and clear of every other label and marker; a label moved off its row gets a leader line.

    Sizes are measured with the text's real extent in points, after the layout, so what is checked
    here is what is drawn.
    """
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    dpi = figure.dpi
    renderer = RendererAgg(int(figure.get_figwidth() * dpi), int(figure.get_figheight() * dpi), dpi)
    font = FontProperties(size=SMALL_SIZE + 0.5)
    axes = ax.get_window_extent(renderer)
    # Labels stay between the axes' top and bottom; sideways they may use the margin, up to the figure's edge.
    frame = (axes.x0, axes.y0, figure.get_figwidth() * dpi - 2, axes.y1)
    at = [tuple(ax.transData.transform((x, y))) for x, y, _ in points]
    marker = 7 * dpi / 72          # half a large marker, plus a little air
    gap = 6 * dpi / 72             # between a marker and its label
    placed: list[tuple[float, float, float, float]] = []
    for k in sorted(range(len(points)), key=lambda i: (at[i][1], at[i][0])):
        x, y = at[k]
        width, height, _ = renderer.get_text_width_height_descent(points[k][2], font, ismath=False)
        width, height = width + 4, height + 4
        best, best_cost = None, float("inf")
        for dx, dy, ha in _SPOTS:
            left = x + gap if ha == "left" else x - gap - width if ha == "right" else x - width / 2
            bottom = y + dy * height + (marker * np.sign(dy + 0.5) if ha == "center" else 0)
            box = (left, bottom, left + width, bottom + height)
            cost = _beyond(box, frame) * 1e9 + sum(_overlap(box, other) for other in placed) * 1e6
            cost += sum(_overlap(box, (px - marker, py - marker, px + marker, py + marker))
                        for j, (px, py) in enumerate(at) if j != k) * 1e4
            if cost < best_cost:
                best, best_cost = (box, ha), cost
            if cost == 0:
                break
        (left, bottom, right, top), ha = best  # type: ignore[misc]
        placed.append((left, bottom, right, top))
        anchor = left + 2 if ha == "left" else right - 2 if ha == "right" else (left + right) / 2
        moved = abs((bottom + top) / 2 - y) > height * 0.3
        offset = ((anchor - x) * 72 / dpi, ((bottom + top) / 2 - y) * 72 / dpi)  # points: the same at any dpi
        ax.annotate(points[k][2], (points[k][0], points[k][1]), xytext=offset, textcoords="offset points", va="center",
                    ha=ha, fontsize=SMALL_SIZE + 0.5, color=INK, zorder=4, annotation_clip=False,
                    bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.0},
                    arrowprops={"arrowstyle": "-", "color": GREY, "linewidth": 0.6, "shrinkA": 0,
                                "shrinkB": 4} if moved else None)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """The area two boxes (x0, y0, x1, y1) share."""
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _beyond(box: tuple[float, float, float, float], frame: tuple[float, float, float, float]) -> float:
    """How far a box (x0, y0, x1, y1) sticks out of ``frame``."""
    return (max(0.0, frame[0] - box[0]) + max(0.0, box[2] - frame[2]) + max(0.0, frame[1] - box[1])
            + max(0.0, box[3] - frame[3]))


def _y_range(shown: pd.DataFrame, curve: pd.DataFrame, scale: float, centre: float | None,
             ceiling: float | None) -> tuple[float, float]:
    """Vertical limits holding the councils, the centre and the limits over the bases shown (shares: 0-100)."""
    values = list(shown["estimate"] * scale) + list(curve["lower998"] * scale) + list(curve["upper998"] * scale)
    if centre is not None:
        values.append(centre * scale)
    low, high = min(values), max(values)
    pad = 0.06 * (high - low or 1.0)
    low, high = low - pad, high + pad
    if ceiling is not None:
        low, high = max(low, 0.0), min(high, ceiling)
    return low, high
