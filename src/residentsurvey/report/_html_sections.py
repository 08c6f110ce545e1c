"""Two optional sections of the HTML pages: what drives satisfaction (key drivers) and ward estimates.

Both render tables computed elsewhere (:func:`residentsurvey.key_drivers` through the report's driver
step, :func:`residentsurvey.fay_herriot` through its ``wards`` hook) with the pages' own table helper,
so they reflow on a phone, and their charts as SVG files drawn once into ``charts/``.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

import pandas as pd

from . import _html_page as markup
from ._format import rank_text
from ._html_page import Cell
from ._web import area_id
from .drivers import driver_chart
from .drivers_step import DRIVERS_NOTE, DriverResults
from .ward_chart import MODELLED_NOTE, ward_chart, ward_table

__all__ = ["drivers_section", "wards_section", "DRIVERS_ID", "WARDS_ID"]

DRIVERS_ID = "drivers"
WARDS_ID = "wards"
_DASH = "–"


def _pct(value: object) -> str:
    return _DASH if pd.isna(value) else f"{float(value):.0f}%"


def _performance(value: object, percent: bool) -> str:
    if pd.isna(value):
        return _DASH
    return f"{float(value) * 100:.1f}%" if percent else f"{float(value):.2f}"


def drivers_section(results: DriverResults, charts: object, *, council: str | None, level: float) -> str:
    """The "What drives ..." section of the consortium page (``council=None``) or of a council's page."""
    area = council or results.overall
    heading = results.title
    parts = [f'<section aria-labelledby="{DRIVERS_ID}">', f'<h2 id="{DRIVERS_ID}">{escape(heading)}</h2>']
    where = f"in {council}" if council else "across all councils"
    if not results.sound(area):
        rows = results.rows(area)
        n = int(rows["n"].iloc[0]) if len(rows) else 0
        parts.append(markup.paragraphs([
            f"{n:,} respondents {where} answered the outcome and every driver in wave {results.wave}, fewer than "
            f"the {results.min_n:,} a stable key-driver analysis needs, so no drivers are shown for this area. "
            "The analysis for all councils on the consortium page applies.", DRIVERS_NOTE], "meta"))
        parts.append("</section>")
        return "\n".join(parts)
    rows = results.rows(area)
    r2, n = float(rows["r2"].iloc[0]), int(rows["n"].iloc[0])
    percent = bool(rows["performance_upper"].max() <= 1 and rows["performance_lower"].min() >= 0)
    kd = results.drivers
    method = "Shapley (LMG)" if kd.method == "shapley" else "Johnson's relative weights"
    lede = (f"Wave {results.wave}, {where}: which of {len(rows)} measures go together most with the outcome, "
            f"{results.outcome_label}. Together they explain {r2:.0%} of the differences between residents in it "
            f"({n:,} respondents answered the outcome and every driver; importance by {method}, intervals by "
            f"{kd.interval_method}).")
    parts.append(markup.paragraphs([lede, DRIVERS_NOTE], "meta"))
    count = len(rows)
    body = []
    for row in rows.itertuples(index=False):
        share = row.importance / r2 * 100
        low, high = row.importance_lower / r2 * 100, row.importance_upper / r2 * 100
        body.append([Cell(results.labels.get(row.driver, row.driver)), Cell(_pct(share), "num"),
                     Cell(f"{_pct(low)} to {_pct(high)}", "num"),
                     Cell(rank_text(row.rank_lower, row.rank_upper, count) or _DASH, "num"),
                     Cell(_performance(row.performance, percent), "num"),
                     Cell(f"{_performance(row.performance_lower, percent)} to "
                          f"{_performance(row.performance_upper, percent)}", "num")])
    header = ["Driver", "Importance", f"Importance: {level:.0%} interval", "Rank interval",
              "Performance" + (" (share positive)" if percent else ""), f"Performance: {level:.0%} interval"]
    parts.append(markup.table(f"{results.title}, {where}: drivers, most important first", header, body))
    name = f"drivers-{area_id(area)}-w{results.wave}"
    src = charts.get(name, lambda: driver_chart(  # type: ignore[attr-defined]
        kd, area, labels=results.labels, title=f"{results.title}: {council or 'all councils'}",
        performance_label="Performance: share giving a positive answer" if percent else "Performance"))
    top = rows.iloc[0]
    alt = (f"Priority matrix: importance against performance for {count} drivers {where}. Most important: "
           f"{results.labels.get(top['driver'], top['driver'])} ({_pct(top['importance'] / r2 * 100)} of what the "
           "drivers explain).")
    parts.append(charts.figure(src, alt, "Importance against performance, with intervals: top left are drivers that "  # type: ignore[attr-defined]
                 "matter more and perform less well; the dashed lines are the average driver."))
    parts.append("</section>")
    return "\n".join(parts)


def wards_section(estimates: pd.DataFrame, charts: object, *, council: str | None, by: str, label: str,
                  files: Mapping[str, str]) -> str:
    """The ward section: on a council's page its wards' table and chart; on the consortium page, links to them."""
    heading = f"Ward estimates: {label}"
    parts = [f'<section aria-labelledby="{WARDS_ID}">', f'<h2 id="{WARDS_ID}">{escape(heading)}</h2>']
    has_by = by in estimates.columns
    area = str(estimates.columns[0])
    percent = bool(estimates["estimate"].between(0, 1).all())
    if council is None and has_by:
        counts = estimates.groupby(by)[area].size()
        links = "".join(f'<li><a href="{escape(files[c])}#{WARDS_ID}">{escape(c)}</a>: {int(counts[c])} wards</li>'
                        for c in sorted(counts.index.astype(str)) if c in files)
        parts.append(markup.paragraphs([f"Each council's page shows its wards' figures for {label}: the survey's "
                                         "own estimate and a modelled estimate, with intervals.", MODELLED_NOTE],
                                        "meta"))
        parts.append(f'<ul>{links}</ul>\n</section>')
        return "\n".join(parts)
    rows = estimates[estimates[by].astype(str) == council] if (council is not None and has_by) else estimates
    if rows.empty:
        return ""
    no_respondents = int((rows["method"] == "synthetic").sum())
    about = [f"{len(rows)} wards" + (f" in {council}" if council else "") + f", {label}. "
             + (f"{no_respondents} of them had no respondents, so their figure is the model's alone. "
                if no_respondents else ""),
             MODELLED_NOTE + " The survey estimate uses the ward's respondents only; with few of them its "
             "interval is wide. Publish the modelled estimate, labelled as modelled."]
    parts.append(markup.paragraphs(about, "meta"))
    shown = ward_table(rows, percent=percent)
    body = [[Cell(r[0], "nowrap")] + [Cell(f"{int(r[1]):,}", "num")] + [Cell(v or _DASH, "num") for v in r[2:6]] + [Cell(r[6])]
            for r in shown.itertuples(index=False)]
    parts.append(markup.table(f"Ward estimates{' in ' + council if council else ''}: {label}, wards by name",
                              list(shown.columns), body))
    name = f"wards-{area_id(council or 'all')}"
    title = f"{council}: {label}" if council else label
    src = charts.get(name, lambda: ward_chart(rows, area=area, percent=percent, title=title))  # type: ignore[attr-defined]
    alt = (f"Ward chart for {council or 'all wards'}: {len(rows)} wards ordered by modelled estimate, each with its "
           "survey estimate (hollow) and modelled estimate (filled) and their intervals.")
    parts.append(charts.figure(src, alt, "Modelled (filled) and survey (hollow) estimates with 95% intervals; arrows "  # type: ignore[attr-defined]
                 "show how far each ward's figure moved towards similar wards."))
    parts.append("</section>")
    return "\n".join(parts)

