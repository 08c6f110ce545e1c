"""Charts for web pages: compact SVG files drawn once, and restyled copies for each council's page.

A chart is saved as SVG with its text as text (not glyph outlines), coordinates to 0.1 pt and
matplotlib's metadata and automatic ids removed: a forest plot is a few kilobytes instead of the
70 KB of a PNG. Charts drawn with ``web=True`` tag each area's marks with ids (``hl_<area>``,
``em_<area>_...``, ``ar_<area>_...``), so a council's page can show the same drawing with that
council emphasised by adding a few lines of CSS (:func:`restyle`), without drawing it again.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["area_id", "svg_text", "restyle", "forest_emphasis", "trend_emphasis"]

_FONT = "font-family:'DejaVu Sans',Verdana,'Segoe UI',Arial,sans-serif"
_AUTO_ID = re.compile(r' id="[A-Za-z][A-Za-z0-9.]*_\d+"')
_STYLE = re.compile(r' style="([^"]*)"')
_PATH = re.compile(r' d="([^"]*)"')
_BARE_GROUP = re.compile(r"<g>(<[^<>]*/>)</g>")
_NUMBER = re.compile(r"-?\d+\.\d{2,}")
_FAMILY = re.compile(r"font-family: [^;\"]*;? ?")
_ROTATE0 = re.compile(r' transform="rotate\(-?0 [^)]*\)"')


def area_id(area: object) -> str:
    """An area's name as an SVG/CSS id fragment: ``"Southwold Vale"`` -> ``"southwold-vale"``.

    >>> area_id("Southwold Vale"), area_id("St. Ives & Carbis Bay")
    ('southwold-vale', 'st-ives-carbis-bay')
    """
    return re.sub(r"[^a-z0-9]+", "-", str(area).lower()).strip("-") or "area"


def _round(match: re.Match[str]) -> str:
    value = round(float(match.group(0)), 1)
    return f"{value:.1f}".rstrip("0").rstrip(".") if value != 0 else "0"


def svg_text(figure: "Figure") -> str:
    """The figure as compact SVG: text as text, numbers to 0.1 pt, no metadata, no automatic ids.

    The bytes depend only on the figure (ids are seeded by ``svg.hashsalt``, no date is written).

    >>> from residentsurvey.report._style import new_figure
    >>> figure, ax = new_figure(3, 2)
    >>> _ = ax.plot([0, 1], [0, 1])
    >>> text = svg_text(figure)
    >>> text.startswith("<svg") and "<metadata>" not in text and "<text" in text
    True
    """
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "residentsurvey"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, facecolor="white")
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    text = _AUTO_ID.sub("", text)
    text = _FAMILY.sub("", text)
    text = _ROTATE0.sub("", text)
    text = re.sub(r"<[^>]*>", lambda tag: _NUMBER.sub(_round, tag.group(0)), text)  # markup only, not the words
    text = re.sub(r"\s+", " ", text).replace("> <", "><")
    text = _STYLE.sub(lambda m: ' style="' + re.sub(r"\s*([:;,])\s*", r"\1", m.group(1)).strip(" ;") + '"', text)
    text = _PATH.sub(lambda m: ' d="' + re.sub(r"\s*([MLCQZz])\s*", r"\1", m.group(1)).strip() + '"', text)
    text = text.replace(' style=""', "")
    text = re.sub(r' clip-path="(url\(#\w+\))"( style="([^"]*)")?',
                  lambda m: f' style="clip-path:{m.group(1)}' + (f';{m.group(3)}"' if m.group(2) else '"'), text)
    text, classes = _classes(text)
    while True:  # unwrap groups that only hold one element
        shorter = _BARE_GROUP.sub(r"\1", text)
        if shorter == text:
            break
        text = shorter
    head = "*{stroke-linejoin:round;stroke-linecap:butt}text{" + _FONT + "}[id^=\"hl_\"]{display:none}" + classes
    return text.replace("*{stroke-linejoin: round; stroke-linecap: butt}", head, 1)


def _classes(text: str) -> tuple[str, str]:
    """Every style used more than once becomes a class (``.c3{...}``): ``text`` with them, and their CSS."""
    counts: dict[str, int] = {}
    for style in _STYLE.findall(text):
        counts[style] = counts.get(style, 0) + 1
    names = {style: f"c{k}" for k, style in enumerate(s for s, n in counts.items() if n > 1)}
    text = _STYLE.sub(lambda m: f' class="{names[m.group(1)]}"' if m.group(1) in names else m.group(0), text)
    return text, "".join(f".{name}{{{style}}}" for style, name in names.items())


def restyle(svg: str, css: str) -> str:
    """``svg`` with ``css`` added to its style sheet (the same drawing, restyled)."""
    return svg.replace("</style>", css + "</style>", 1)


def forest_emphasis(area: str) -> str:
    """CSS that shows ``area``'s highlight band, thickens its interval and sets its values in bold, in a forest
    plot drawn with ``web=True``."""
    tag = area_id(area)
    # The row label is not set in bold here: its lines were placed by matplotlib's measure of the normal
    # weight (multi-line text carries no text-anchor), so bold would run into the axis. The band marks the row.
    return (f"#hl_{tag}{{display:inline}}#em_{tag}_label text{{fill:#000}}#em_{tag}_text text{{font-weight:700}}"
            f"#em_{tag}_ci path{{stroke-width:4px!important}}")


def trend_emphasis(area: str, keep: tuple[str, ...] = ()) -> str:
    """CSS that fades every area of a trend chart drawn with ``web=True`` except ``area`` (in bold) and ``keep``."""
    tag = area_id(area)
    kept = ",".join(f'[id^="ar_{area_id(k)}_"]' for k in (area, *keep))
    return (f'[id^="ar_"]{{opacity:.22}}{kept}{{opacity:1}}'
            f'[id^="ar_{tag}_"] path{{stroke-width:3px!important}}[id^="ar_{tag}_"] text{{font-weight:700}}')
