"""Tracker chart: one council's rolling estimates of one indicator, with its interval band and the consortium line.

Triangles mark the windows where ``tracker.changes()`` signals a significant change (after
multiplicity control), pointing up or down; a dashed vertical line marks where a questionnaire
change breaks the series (the windows straddling it have no estimate, so the line has a gap).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ._errors import ReportError
from ._registry import STATISTICS
from ._style import GREY, INK, SMALL_SIZE, TEXT_SIZE, finish, new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..tracking.rolling import Tracker

__all__ = ["tracker_chart"]


def tracker_chart(tracker: "Tracker", indicator: str, *, area: str, changes: pd.DataFrame | None = None) -> "Figure":
    """Rolling estimates of ``indicator`` for ``area`` with their interval band, All councils, signals and breaks.

    Parameters
    ----------
    tracker
        From :func:`residentsurvey.rolling`.
    indicator
        Indicator id.
    area
        A council of the tracker (or ``"All councils"``).
    changes
        The change table whose signals are marked (default ``tracker.changes()``: each window against the
        latest one sharing no period, Holm across councils and indicators).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import residentsurvey as rs
    >>> tracker = rs.rolling(rs.demo_tracking(), ["ons_life_satisfaction"], window=1,
    ...                      design=rs.DEMO_TRACKING_DESIGN)
    >>> figure = tracker_chart(tracker, "ons_life_satisfaction", area="Eastmere")
    >>> [t.get_text() for t in figure.axes[0].get_legend().get_texts()][:2]
    ['Eastmere', 'All councils']
    """
    table = tracker.table
    rows = table[table["indicator"] == indicator]
    if rows.empty:
        raise ReportError(f"indicator {indicator!r} is not in the tracker; it has "
                          f"{', '.join(map(repr, dict.fromkeys(table['indicator'])))}.")
    if area not in set(rows["area"]):
        raise ReportError(f"area {area!r} is not in the tracker; use one of "
                          f"{', '.join(map(repr, dict.fromkeys(rows['area'])))}.")
    changes = tracker.changes() if changes is None else changes
    windows = [w.label for w in tracker.windows]
    x = np.arange(len(windows))
    first = rows.iloc[0]
    scale = STATISTICS[first["statistic"]].scale
    segment = rows.drop_duplicates("window").set_index("window").reindex(windows)["segment"].to_numpy()
    figure, ax = new_figure(9.0, 5.0)
    handles = []
    for name, colour, width, band in ((area, INK, 2.0, True), ("All councils", "black", 1.4, False)):
        if not band and name == area:
            continue
        series = rows[rows["area"] == name].set_index("window").reindex(windows)
        y = series["estimate"].to_numpy(float) * scale
        low, high = series["ci_lower"].to_numpy(float) * scale, series["ci_upper"].to_numpy(float) * scale
        style = {"color": colour, "linewidth": width, "linestyle": "-" if band else "--",
                 "marker": "o" if band else None, "markersize": 5}
        for part in np.unique(segment[segment >= 0]):  # never joined across a questionnaire change
            inside = segment == part
            ax.plot(x[inside], y[inside], **style)
            if band:
                ax.fill_between(x[inside], low[inside], high[inside], color=colour, alpha=0.18, linewidth=0)
        handles.append(ax.plot([], [], label=name, **style)[0])
        if band:
            signals = changes[(changes["indicator"] == indicator) & (changes["area"] == name)
                              & changes["signal"].isin(["up", "down"])]
            for _, change in signals.iterrows():
                k = windows.index(change["window_b"])
                up = change["signal"] == "up"
                ax.plot([x[k]], [y[k]], linestyle="none", marker="^" if up else "v", markersize=12,
                        color="#D55E00", zorder=4)
    handles.append(ax.plot([], [], linestyle="none", marker="^", markersize=10, color="#D55E00",
                           label="significant change")[0])
    last = None
    for k in range(len(windows)):
        if segment[k] < 0:
            continue
        if last is not None and segment[k] != last:
            ax.axvline(x[k] - 0.5, color=GREY, linewidth=1.2, linestyle=(0, (2, 2)))
            ax.text(x[k] - 0.5, 1.0, " questionnaire\n changed", transform=ax.get_xaxis_transform(), ha="center",
                    va="bottom", fontsize=SMALL_SIZE, color="#333333")
        last = segment[k]
    ax.set_xticks(x, [w.replace("-", "-\n") for w in windows], fontsize=SMALL_SIZE)
    ax.set_ylabel("%" if first["statistic"] == "share" else "mean", fontsize=TEXT_SIZE)
    ax.grid(axis="y", color="#e6e6e6", linewidth=0.8)
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=SMALL_SIZE, frameon=False)
    level = float(first["level"])
    subtitle = (f"Rolling {len(tracker.windows[0].periods)}-{tracker.freq} estimate with its {level:.0%} interval "
                "(band); dashed: All councils. Triangles: a significant change into that window (after multiplicity "
                "control); lines are not joined across a questionnaire change.")
    finish(figure, f"{first['label']}: {area}", subtitle, [])
    return figure
