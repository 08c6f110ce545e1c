"""Ward charts: direct and modelled estimates side by side, and a choropleth from a GeoJSON file.

Both take the ``estimates`` table of :func:`residentsurvey.fay_herriot` (or the result itself) and
never estimate anything. Every modelled figure is drawn next to its direct estimate, and wards without
respondents are labelled as such (their figure is the model's alone).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import ReportError
from ._style import GREY, INK, LIGHT, SMALL_SIZE, TEXT_SIZE, finish, new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..small_area import FayHerriot

__all__ = ["ward_chart", "ward_map", "ward_table", "MODELLED_NOTE"]

_NEEDED = ("n", "direct", "direct_ci_lower", "direct_ci_upper", "estimate", "ci_lower", "ci_upper", "shrinkage",
           "method")
MODELLED_NOTE = ("A modelled estimate combines the ward's own survey answers with what similar wards (by their "
               "census profile) answered: the fewer a ward's respondents, the more it leans on similar wards.")


def _table(estimates: "pd.DataFrame | FayHerriot", area: str | None) -> tuple[pd.DataFrame, str]:
    table = getattr(estimates, "estimates", estimates)
    if not isinstance(table, pd.DataFrame):
        raise ReportError(f"expected the estimates of rs.fay_herriot (or its result); got {type(table).__name__}.")
    area = area or str(table.columns[0])
    missing = [c for c in (area, *_NEEDED) if c not in table.columns]
    if missing:
        raise ReportError(f"the ward table has no column {', '.join(map(repr, missing))}; pass sae.estimates "
                          "from rs.fay_herriot.")
    if table.empty:
        raise ReportError("the ward table has no rows to draw.")
    return table, area


def ward_chart(estimates: "pd.DataFrame | FayHerriot", *, area: str | None = None, percent: bool = False,
               title: str = "Ward estimates", unit: str = "") -> "Figure":
    """Each ward's direct estimate and modelled estimate with their intervals, ordered by modelled estimate.

    A hollow circle and thin grey line show the direct (survey-only) estimate and its confidence
    interval; a filled marker and dark line the modelled estimate and its interval; an arrow runs from
    the first to the second, so the shrinkage towards similar wards is visible. Wards without
    respondents have a diamond and say "no respondents: modelled only".

    Parameters
    ----------
    estimates
        ``sae.estimates`` (rows may be filtered, e.g. to one council's wards) or ``sae`` itself.
    area
        The area column (default: the table's first column).
    percent
        Show shares as percentages.
    title, unit
        Chart title, and the unit written on the axis (e.g. ``"mean score (0-10)"``).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"ward": ["A", "B", "C"], "n": [40, 12, 0], "direct": [0.62, 0.81, None],
    ...     "direct_ci_lower": [0.52, 0.6, None], "direct_ci_upper": [0.71, 0.93, None],
    ...     "estimate": [0.64, 0.72, 0.68], "ci_lower": [0.57, 0.63, 0.55], "ci_upper": [0.71, 0.8, 0.79],
    ...     "shrinkage": [0.3, 0.7, 1.0], "method": ["eblup", "eblup", "synthetic"]})
    >>> figure = ward_chart(table, percent=True)
    >>> [t.get_text().splitlines()[0] for t in figure.axes[0].get_yticklabels()]
    ['B', 'C', 'A']
    """
    table, area = _table(estimates, area)
    scale = 100.0 if percent else 1.0
    rows = table.sort_values(["estimate", area], ascending=[False, True]).reset_index(drop=True)
    figure, ax = new_figure(9.0, 1.9 + 0.42 * max(len(rows), 2))
    # one artist per kind of mark, not per ward: a council's 34 wards draw in a fraction of the time
    k = np.arange(len(rows), dtype=float)
    only = (rows["method"] == "synthetic").to_numpy()
    has = ~only
    value = {c: rows[c].to_numpy(dtype=float) * scale for c in ("direct", "direct_ci_lower", "direct_ci_upper",
                                                                 "estimate", "ci_lower", "ci_upper")}
    if has.any():
        ax.hlines(k[has] + 0.18, value["direct_ci_lower"][has], value["direct_ci_upper"][has], color=GREY,
                  linewidth=1.0)
        ax.plot(value["direct"][has], k[has] + 0.18, linestyle="none", marker="o", markersize=6,
                markerfacecolor="white", markeredgecolor=GREY)
        ax.quiver(value["direct"][has], k[has] + 0.14, value["estimate"][has] - value["direct"][has],
                  np.full(int(has.sum()), -0.19), angles="xy", scale_units="xy", scale=1, color=LIGHT, width=0.0018,
                  headwidth=5, headlength=5, headaxislength=4.5)
    ax.hlines(k - 0.12, value["ci_lower"], value["ci_upper"], color=INK, linewidth=2.2)
    for mask, marker in ((has, "o"), (only, "D")):
        if mask.any():
            ax.plot(value["estimate"][mask], k[mask] - 0.12, linestyle="none", marker=marker, markersize=6.5,
                    color=INK)
    labels = (rows[area].astype(str) + "\n" + np.where(
        only, "no respondents: modelled only",
        "n = " + rows["n"].fillna(0).astype(int).map("{:,}".format) + ", "
        + rows["shrinkage"].map(lambda v: f"{v:.0%}") + " from similar wards")).tolist()
    ax.set_yticks(np.arange(len(rows)), labels, fontsize=SMALL_SIZE)
    ax.set_ylim(len(rows) - 0.5, -0.6)
    ax.grid(axis="x", color="#e6e6e6", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.set_xlabel((f"{unit} " if unit else "") + ("(%) " if percent else "")
                  + "— modelled (filled) and direct survey (hollow) estimates with 95% intervals", fontsize=TEXT_SIZE)
    handles = [ax.plot([], [], color=INK, marker="o", linewidth=2.2, label="modelled estimate")[0],
               ax.plot([], [], color=GREY, marker="o", markerfacecolor="white", linewidth=1.0,
                       label="direct survey estimate")[0]]
    if (rows["method"] == "synthetic").any():
        handles.append(ax.plot([], [], color=INK, marker="D", linestyle="none", label="no respondents")[0])
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=len(handles), fontsize=SMALL_SIZE,
              frameon=False)
    finish(figure, title, "Wards ordered by modelled estimate; arrows run from the direct to the modelled estimate.",
           [MODELLED_NOTE])
    return figure


def _rings(geometry: dict) -> list[np.ndarray]:
    """The outer rings of a GeoJSON Polygon or MultiPolygon, as (k, 2) arrays."""
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        return [np.asarray(coords[0], dtype=float)[:, :2]]
    if kind == "MultiPolygon":
        return [np.asarray(polygon[0], dtype=float)[:, :2] for polygon in coords]
    raise ReportError(f"ward boundaries must be Polygon or MultiPolygon features; found {kind!r}.")


def ward_map(estimates: "pd.DataFrame | FayHerriot", boundaries: str | Path, *, area: str | None = None,
             key: str | None = None, column: str = "estimate", percent: bool = False,
             title: str = "Ward estimates") -> "Figure":
    """A choropleth of ``column`` over ward boundaries read from a GeoJSON file (no network, no GIS library).

    Wards without respondents are hatched; wards in the file but not in the table are drawn blank.

    Parameters
    ----------
    estimates
        ``sae.estimates`` or ``sae``.
    boundaries
        A GeoJSON FeatureCollection of Polygon/MultiPolygon features.
    area
        The area column of the table (default: its first column).
    key
        The feature property holding the area code (default: the same name as ``area``).
    column
        What to colour by: ``"estimate"`` (default), ``"rmse"``, ``"shrinkage"``, ...
    percent
        Show shares as percentages.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ReportError
        If the file cannot be read, has no features with ``key``, or ``column`` is not in the table.
    """
    from matplotlib.collections import PolyCollection
    from matplotlib.colors import Normalize

    table, area = _table(estimates, area)
    key = key or area
    if column not in table.columns:
        raise ReportError(f"column {column!r} is not in the ward table (its columns: {', '.join(table.columns)}).")
    try:
        features = json.loads(Path(boundaries).read_text(encoding="utf-8"))["features"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ReportError(f"{boundaries}: cannot read a GeoJSON FeatureCollection ({error}).") from error
    values = table.set_index(table[area].astype(str))
    polygons, colours, hatched, seen = [], [], [], set()
    for number, feature in enumerate(features):
        code = str((feature.get("properties") or {}).get(key, ""))
        if not code:
            raise ReportError(f"{boundaries}: feature {number} has no property {key!r}; pass key= the property "
                              "that holds the ward code.")
        for ring in _rings(feature.get("geometry") or {}):
            polygons.append(ring)
            colours.append(float(values.at[code, column]) if code in values.index else np.nan)
            hatched.append(code in values.index and values.at[code, "method"] == "synthetic")
        seen.add(code)
    scale = 100.0 if percent else 1.0
    data = np.array(colours) * scale
    figure, ax = new_figure(7.5, 7.0)
    norm = Normalize(np.nanmin(data), np.nanmax(data))
    shapes = PolyCollection(polygons, array=np.ma.masked_invalid(data), cmap="viridis", norm=norm,
                            edgecolor="white", linewidth=0.6)
    ax.add_collection(shapes)
    for ring, hatch in zip(polygons, hatched):
        if hatch:
            ax.fill(ring[:, 0], ring[:, 1], fill=False, hatch="///", edgecolor="white", linewidth=0)
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.set_axis_off()
    bar = figure.colorbar(shapes, ax=ax, shrink=0.7)
    bar.set_label(column + (" (%)" if percent else ""), fontsize=TEXT_SIZE)
    unmatched = sorted(set(values.index) - seen)
    notes = [MODELLED_NOTE, "Hatched wards have no respondents: their figure is modelled only."]
    if unmatched:
        notes.append(f"Not on the map (no boundary in the file): {', '.join(unmatched[:8])}"
                     + (" ..." if len(unmatched) > 8 else "") + ".")
    finish(figure, title, f"Modelled {column} by ward.", notes)
    return figure


def ward_table(estimates: "pd.DataFrame | FayHerriot", *, area: str | None = None, percent: bool = False,
               digits: int = 1) -> pd.DataFrame:
    """A table for readers: each ward's survey and modelled estimates as text, and how each was made.

    Wards are ordered by name. Read it with :data:`MODELLED_NOTE`, the plain-English note on what a
    modelled estimate is.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"ward": ["B", "A"], "n": [12, 0], "direct": [0.81, None],
    ...     "direct_ci_lower": [0.6, None], "direct_ci_upper": [0.93, None], "estimate": [0.72, 0.68],
    ...     "ci_lower": [0.63, 0.55], "ci_upper": [0.8, 0.79], "shrinkage": [0.7, 1.0],
    ...     "method": ["eblup", "synthetic"]})
    >>> ward_table(table, percent=True).iloc[:, [0, 4, 6]].to_numpy().tolist()
    [['A', '68.0%', 'model only: no respondents'], ['B', '72.0%', 'survey and model (70% from similar wards)']]
    """
    table, area = _table(estimates, area)
    rows = table.sort_values(area).reset_index(drop=True)
    scale, suffix = (100.0, "%") if percent else (1.0, "")

    def text(values: pd.Series) -> pd.Series:
        return values.map(lambda v: "" if pd.isna(v) else f"{v * scale:.{digits}f}{suffix}")

    def interval(lower: pd.Series, upper: pd.Series) -> pd.Series:
        return (text(lower) + " to " + text(upper)).where(lower.notna() & upper.notna(), "")

    modelled_only = rows["method"] == "synthetic"
    return pd.DataFrame({
        "Ward": rows[area].astype(str),
        "Respondents": rows["n"].fillna(0).astype(int),
        "Survey estimate": text(rows["direct"]),
        "Survey 95% interval": interval(rows["direct_ci_lower"], rows["direct_ci_upper"]),
        "Modelled estimate": text(rows["estimate"]),
        "Modelled 95% interval": interval(rows["ci_lower"], rows["ci_upper"]),
        "How estimated": np.where(modelled_only, "model only: no respondents",
                                  "survey and model (" + (rows["shrinkage"] * 100).round().astype(int).astype(str)
                                  + "% from similar wards)"),
    })


def write_ward_outputs(estimates: "pd.DataFrame | FayHerriot", out_dir: Path) -> list[Path]:
    """Write ``ward-estimates.csv`` (the model's table), ``ward-table.csv`` (for readers, its last line the
    note on what a modelled estimate is) and ``wards.png`` (the ward chart); return their paths."""
    table, area = _table(estimates, None)
    shares = bool(table["estimate"].between(0, 1).all())
    paths = [out_dir / "ward-estimates.csv", out_dir / "ward-table.csv", out_dir / "wards.png"]
    table.to_csv(paths[0], index=False)
    readable = ward_table(table, percent=shares)
    with paths[1].open("w", encoding="utf-8", newline="") as handle:
        readable.to_csv(handle, index=False)
        handle.write(f'"Note: {MODELLED_NOTE}"\n')
    ward_chart(table, percent=shares).savefig(paths[2], dpi=110)
    return paths
