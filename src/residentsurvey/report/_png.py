"""A Figure as a base64 PNG data URI, for pages that must carry their images inside them."""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["data_uri"]


def data_uri(figure: "Figure", *, dpi: float | None = None) -> str:
    """``data:image/png;base64,...`` for the figure (no software version in the metadata, so the bytes
    depend only on the figure and the installed matplotlib and fonts). ``dpi`` defaults to the figure's own,
    the resolution its layout was computed at."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi or figure.dpi, metadata={"Software": None}, facecolor="white")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
