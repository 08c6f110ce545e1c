"""The Figure every chart returns: a matplotlib Figure that shows itself in Jupyter.

Charts are drawn on a bare ``Figure``, not one made by pyplot, so scripts accumulate no open
figures and have nothing to close. IPython shows a Figure as an image only through the PNG
formatter that pyplot's inline backend registers the first time pyplot draws; in a fresh kernel
that has not happened, and a chart displays as ``<Figure size 990x413.6 with 1 Axes>``.
:class:`ChartFigure` carries its own ``_repr_png_``, which IPython's display machinery calls
whatever the backend (where the inline backend's formatter is registered, that one is used
instead, with the same result). Imported only when a chart is drawn, so ``import
residentsurvey`` does not load matplotlib.
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure

__all__ = ["ChartFigure"]


class ChartFigure(Figure):
    """A ``matplotlib.figure.Figure`` that Jupyter displays as a PNG at the figure's own resolution.

    Examples
    --------
    >>> figure = ChartFigure(figsize=(2, 1), dpi=50)
    >>> figure._repr_png_()[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    """

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=self.dpi, facecolor="white")
        return buffer.getvalue()
