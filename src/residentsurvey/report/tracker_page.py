"""The tracker outputs: the rolling table and the changes as CSV, a static HTML tracker page and its SVG charts.

The page has, for each indicator, a table of the latest window by council (estimate, interval,
base, change from the previous separate window, its signal and the minimum detectable change) and
one tracker chart per council and for All councils. Like the rest of the report layer it reads
only the tracker's tables: no respondent-level data reaches it.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ._html_page import Cell, figure, page, paragraphs, table
from ._web import area_id, svg_text
from .tracker_chart import tracker_chart

if TYPE_CHECKING:
    from ..tracking.rolling import Tracker

__all__ = ["tracker_page", "write_tracker"]


def _number(value: float, statistic: str) -> str:
    if pd.isna(value):
        return ""
    return f"{value * 100:.1f}%" if statistic == "share" else f"{value:.2f}"


def _points(value: float, statistic: str) -> str:
    if pd.isna(value):
        return ""
    return f"{value * 100:+.1f} pts" if statistic == "share" else f"{value:+.2f}"


def tracker_page(tracker: "Tracker", changes: pd.DataFrame, *, title: str,
                 charts: dict[tuple[str, str], str] | None = None) -> str:
    """The HTML of the tracker page; ``charts`` maps (indicator, area) to the chart file's relative path."""
    latest = tracker.windows[-1].label
    body = [paragraphs([
        f"Rolling estimates over {len(tracker.windows[0].periods)} {tracker.freq}(s), latest window {latest}. "
        "Each window is weighted to the population on its own. A change is signalled only when it is significant "
        "after allowing for every council and indicator compared at once; the minimum detectable change says how "
        "large a change the survey can see.",
    ], "lede")]
    if tracker.versions is not None:
        shown = "; ".join(f"{r.period}: {r.questionnaire} ({r.n} returns)" for r in tracker.versions.itertuples())
        body.append(paragraphs([f"Questionnaire versions in force: {shown}."], "meta"))
    for indicator, rows in tracker.table.groupby("indicator", sort=False):
        first = rows.iloc[0]
        statistic = first["statistic"]
        body.append(f"<h2>{escape(str(first['label']))}</h2>")
        now = rows[rows["window"] == latest]
        moved = changes[(changes["indicator"] == indicator) & (changes["window_b"] == latest)].set_index("area")
        lines = []
        for r in now.itertuples():
            change = moved.loc[r.area] if r.area in moved.index else None
            suppressed = r.flag == "suppressed"
            lines.append([
                Cell(r.area), Cell("suppressed" if suppressed else _number(r.estimate, statistic),
                                   "num", *(["suppressed"] if suppressed else [])),
                Cell("" if suppressed else f"{_number(r.ci_lower, statistic)} to {_number(r.ci_upper, statistic)}",
                     "num"),
                Cell(int(r.n), "num"),
                Cell("" if change is None else _points(change["change"], statistic), "num"),
                Cell("" if change is None else change["signal"]),
                Cell("" if change is None else _points(change["mdc"], statistic).lstrip("+"), "num"),
                Cell(r.comparability if r.comparability != "comparable" else ""),
            ])
        body.append(table(f"{first['label']}: {latest}",
                          ["Area", "Estimate", f"{tracker.level:.0%} interval", "Base", "Change", "Signal",
                           "Minimum detectable change", "Note"], lines))
        for area in [*tracker.areas, "All councils"] if charts else []:
            series = rows[rows["area"] == area]
            values = ", ".join(f"{w} {_number(e, statistic) or 'no estimate'}"
                               for w, e in zip(series["window"], series["estimate"]))
            body.append(figure(charts[(indicator, area)], f"Line chart of {first['label']} for {area}: {values}.",
                               f"{first['label']}: {area}, rolling estimate with its interval."))
    return page(title=title, heading=title, site=title, links=[("Tracker", "tracker.html")], current="tracker.html",
                body="\n".join(body), footer=paragraphs(["Made with residentsurvey (rs.rolling, rs.changes)."],
                                                         "notice"))


def write_tracker(tracker: "Tracker", out_dir: str | Path, *, title: str = "Residents' survey tracker",
                  pairs: object = "previous", adjust: str = "holm", charts: bool = True) -> list[Path]:
    """Write ``tracker.csv``, ``changes.csv``, ``tracker.html`` and (with ``charts``) one SVG chart per indicator
    and area in ``charts/``; return the paths of the three files."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    changes = tracker.changes(pairs=pairs, adjust=adjust)
    paths = [out / "tracker.csv", out / "changes.csv", out / "tracker.html"]
    tracker.table.to_csv(paths[0], index=False)
    changes.to_csv(paths[1], index=False)
    files: dict[tuple[str, str], str] = {}
    if charts:
        (out / "charts").mkdir(exist_ok=True)
        for indicator in dict.fromkeys(tracker.table["indicator"]):
            for area in [*tracker.areas, "All councils"]:
                name = f"charts/tracker-{area_id(indicator)}-{area_id(area)}.svg"
                drawn = tracker_chart(tracker, indicator, area=area, changes=changes)
                (out / name).write_text(svg_text(drawn), encoding="utf-8")
                files[(indicator, area)] = name
    paths[2].write_text(tracker_page(tracker, changes, title=title, charts=files or None), encoding="utf-8")
    return paths
