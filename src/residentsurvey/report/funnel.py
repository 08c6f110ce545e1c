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
    char = 0.0085 * right  # roughly one character of the labels, in data units along x
    boxes = []
    for x, y, text in points:
        span = (len(text) + 2) * char
        start = x + 0.015 * right if x + span < right else x - 0.015 * right - span
        boxes.append((start, start + span, y))
    for (x, y, text), (start, end, _), y_text in zip(points, boxes, _spread(boxes, top - bottom)):
        moved = abs(y_text - y) > 1e-9
        left = start > x
        ax.annotate(text, (x, y), xytext=(start if left else end, y_text), textcoords="data", va="center",
                    ha="left" if left else "right", fontsize=SMALL_SIZE + 0.5, color=INK, zorder=4,
                    bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.0},
                    arrowprops={"arrowstyle": "-", "color": GREY, "linewidth": 0.6} if moved else None)
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
    return figure


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


def _spread(boxes: list[tuple[float, float, float]], height: float) -> list[float]:
    """Label heights for labels spanning ``(start, end)`` along x at ``y``, pushed up where two would overlap."""
    order = sorted(range(len(boxes)), key=lambda i: boxes[i][2])
    placed: list[tuple[float, float, float]] = []
    heights = [0.0] * len(boxes)
    gap = 0.055 * height
    for i in order:
        start, end, y = boxes[i]
        for other_start, other_end, other_y in sorted(placed, key=lambda p: p[2]):
            if start < other_end and other_start < end and y < other_y + gap:
                y = other_y + gap
        heights[i] = y
        placed.append((start, end, y))
    return heights
