"""Band chart: the distribution of a scale's bands (e.g. ONS4 low / medium / high / very high) per area."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ._errors import ReportError
from ._style import GREY, SMALL_SIZE, TEXT_SIZE, finish, new_figure
from ._table import check_bands, pick_wave, suppressed_text

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["band_chart"]

# Line hatches only: dotted and circled hatches are thousands of tiny shapes in an SVG.
_HATCHES = ("///", "", "\\\\\\", "xx", "---", "++", "|||", "//")
_SHADES = ("#c6dbef", "#6baed6", "#2171b5", "#08306b", "#9ecae1", "#4292c6", "#08519c", "#deebf7")


def band_chart(bands: pd.DataFrame, indicator: str, *, wave: int | None = None,
               thresholds: dict[str, object] | None = None, notices: list[str] | None = None) -> "Figure":
    """Stacked horizontal bars of the share of each band, one bar per area.

    Bands keep their order (the ``category`` column's categorical order, else first appearance)
    and are told apart by hatching and by the share printed in each segment as well as by shade.
    An area with any suppressed band is drawn as an empty, labelled bar: publishing the other
    bands would give the suppressed one away.

    Parameters
    ----------
    bands
        Band shares: columns ``wave``, ``indicator``, ``label``, ``area``, ``category``,
        ``estimate`` (share 0-1), ``ci_lower``, ``ci_upper``, ``n``, ``flag``.
    indicator
        The indicator id whose bands to plot.
    wave
        The wave to plot (default: the latest wave holding the indicator).
    thresholds
        The indicator table's ``attrs["thresholds"]``, for the suppression label ("n < 30").
    notices
        Copyright lines to print under the chart (e.g. for a SWEMWBS band distribution).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> bands = pd.DataFrame({"wave": 1, "indicator": "life", "label": "Life satisfaction (0-10)",
    ...                       "area": ["Eastmere"] * 2 + ["Westhaven"] * 2, "category": ["Low", "High"] * 2,
    ...                       "estimate": [0.3, 0.7, 0.4, 0.6], "ci_lower": float("nan"),
    ...                       "ci_upper": float("nan"), "n": [120, 120, 90, 90], "flag": "ok"})
    >>> figure = band_chart(bands, "life")
    >>> figure.axes[0].get_xlabel()
    'Per cent of residents in each band'
    """
    bands = check_bands(bands)
    rows = bands[bands["indicator"] == indicator]
    if rows.empty:
        raise ReportError(f"indicator={indicator!r} is not in the band table; use one of "
                          f"{', '.join(map(repr, dict.fromkeys(bands['indicator'])))}.")
    rows, wave = pick_wave(rows, wave)
    categories = [c for c in rows["category"].cat.categories if c in set(rows["category"])]
    areas = list(dict.fromkeys(rows["area"]))

    figure, ax = new_figure(9.0, 1.9 + 0.55 * max(len(areas), 2))
    for k, area in enumerate(areas):
        own = rows[rows["area"] == area].set_index("category")
        flags = set(own["flag"])
        if "suppressed" in flags or own["estimate"].isna().any():
            reason = suppressed_text(own.iloc[0].to_dict() | {"flag_reason": ""}, thresholds)
            ax.barh(k, 100, left=0, color="white", edgecolor=GREY, hatch="//", linewidth=0.6, height=0.62)
            ax.text(50, k, reason, ha="center", va="center", fontsize=TEXT_SIZE, style="italic",
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5})
            continue
        left = 0.0
        for j, category in enumerate(categories):
            share = float(own.loc[category, "estimate"]) * 100 if category in own.index else 0.0
            ax.barh(k, share, left=left, color=_SHADES[j % len(_SHADES)], hatch=_HATCHES[j % len(_HATCHES)],
                    edgecolor="white", linewidth=0.8, height=0.62)
            if share >= 6:
                ax.text(left + share / 2, k, f"{share:.0f}%", ha="center", va="center", fontsize=SMALL_SIZE + 0.5,
                        color="black", bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.9, "pad": 1.2})
            left += share
    for j, category in enumerate(categories):
        ax.barh(np.nan, 0, color=_SHADES[j % len(_SHADES)], hatch=_HATCHES[j % len(_HATCHES)], edgecolor="white",
                label=str(category))
    labels = []
    for area in areas:
        own = rows[rows["area"] == area]
        note = ("caution" if "caution" in set(own["flag"]) else
                "low reliability" if "low_reliability" in set(own["flag"]) else "")
        labels.append(f"{area}\nn = {int(own['n'].iloc[0]):,}" + (f", {note}" if note else ""))
    ax.set_yticks(range(len(areas)), labels, fontsize=TEXT_SIZE - 0.5)
    ax.set_ylim(len(areas) - 0.5, -0.5)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Per cent of residents in each band", fontsize=TEXT_SIZE)
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=len(categories), fontsize=SMALL_SIZE,
              frameon=False, borderaxespad=0.3)
    title = f"{rows['label'].iloc[0]}: distribution by band"
    finish(figure, title, f"Wave {wave}. Segments are labelled with their share when 6% or more.", notices or [])
    return figure
