"""The look shared by the report charts: print-readable sizes, and markers and line styles that
carry meaning on their own (no colour-only encoding), plus the footnote block."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ._registry import FLAGS

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["INK", "GREY", "LIGHT", "HIGHLIGHT", "PALETTE", "MARKERS", "LINESTYLES", "TITLE_SIZE", "TEXT_SIZE", "SMALL_SIZE",
           "new_figure", "flag_marker", "finish"]

INK = "#1d3557"          # the councils' marks
GREY = "#555555"
LIGHT = "#d9d9d9"
HIGHLIGHT = "#fff1b8"    # the band behind the council a page is about (never the only sign: its label is bold too)
# Okabe-Ito: distinguishable with colour-vision deficiencies, and each area also gets a marker and line style.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)))
TITLE_SIZE = 12
TEXT_SIZE = 10
SMALL_SIZE = 8.5


def new_figure(width: float, height: float) -> "tuple[Figure, Axes]":
    """A Figure (not registered with pyplot, so nothing to close; it displays itself in Jupyter) and its one Axes."""
    from ._figure import ChartFigure

    figure = ChartFigure(figsize=(width, height), dpi=110)
    ax = figure.add_subplot()
    ax.tick_params(labelsize=TEXT_SIZE)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return figure, ax


def flag_marker(flag: str, colour: str = INK) -> dict[str, object]:
    """Marker keywords for a point with this flag: filled for ok, hollow for caution and low reliability."""
    style = FLAGS[flag]
    return {"marker": style.marker or "o", "markersize": 7, "markeredgecolor": colour, "markeredgewidth": 1.4,
            "markerfacecolor": colour if style.filled else "white"}


def finish(figure: "Figure", title: str, subtitle: str, footnotes: Sequence[str]) -> None:
    """Title, subtitle and footnotes (wrapped to the figure width), then a tight layout that leaves them room."""
    import textwrap

    width = figure.get_figwidth()
    chars = int(width * 14)
    lines = [line for note in footnotes for line in textwrap.wrap(note, chars)]
    height = figure.get_figheight()
    bottom = (0.08 + 0.16 * len(lines)) / height if lines else 0.0
    if lines:
        figure.text(0.01, 0.01, "\n".join(lines), fontsize=SMALL_SIZE, color="#333333", va="bottom", ha="left",
                    linespacing=1.3)
    top_lines = textwrap.wrap(title, int(width * 9)) or [""]
    sub_lines = textwrap.wrap(subtitle, int(width * 13.5)) if subtitle else []
    # 0.1 in from the top whatever the height (matplotlib's default, 2% of the height, runs into the
    # subtitle on a tall chart such as a council's 34 wards)
    figure.suptitle("\n".join(top_lines), fontsize=TITLE_SIZE, fontweight="bold", x=0.01, ha="left",
                    y=1 - 0.1 / height)
    head = (0.04 + 0.22 * len(top_lines) + 0.17 * len(sub_lines)) / height
    if sub_lines:
        figure.text(0.01, 1 - (0.12 + 0.22 * len(top_lines)) / height, "\n".join(sub_lines),
                    fontsize=SMALL_SIZE + 0.5, color="#333333", va="top", ha="left", linespacing=1.3)
    # The tight layout is computed once, here, without leaving a layout engine on the figure: an engine
    # would make every savefig draw the whole figure one extra time to lay it out again.
    from matplotlib.layout_engine import TightLayoutEngine

    TightLayoutEngine(rect=(0, bottom, 1, 1 - head), pad=0.9).execute(figure)
