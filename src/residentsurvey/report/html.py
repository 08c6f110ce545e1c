"""The static HTML report: a consortium page and one page per council, self-contained and accessible."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from . import _html_page as markup
from ._alt import band_alt, forest_alt, funnel_alt, trend_alt
from ._format import interval_text, rank_text, value_text
from ._html_page import Cell
from ._html_sections import DRIVERS_ID, WARDS_ID, drivers_section, wards_section
from ._notes import (CHANGE, FUNNEL, NO_LEAGUE_TABLE, RANK_INTERVALS, ROUNDING, definitions, questionnaire_versions,
                     threshold_lines)
from ._registry import AVERAGE, CONSORTIUM, FLAGS
from ._table import ReportMeta, check_bands, check_limits, confidence_level, prepare_indicator_table, select_notices
from ._web import area_id, forest_emphasis, restyle, svg_text, trend_emphasis
from .bands import band_chart
from ._words import change_text, direction_sentence, judgement_class, rank_header, significance_notes, verdict_text
from .forest import draw_forest
from .funnel import draw_funnel
from .trend import draw_trend

if TYPE_CHECKING:
    from .drivers_step import DriverResults

__all__ = ["write_html_report", "council_filename", "CHARTS"]

#: The folder, beside the pages, that holds the charts (SVG files shared by the pages).
CHARTS = "charts"

_DASH = "–"


def council_filename(council: str) -> str:
    """The page name of a council's report, e.g. ``"council-southwold-vale.html"``."""
    return "council-" + (re.sub(r"[^a-z0-9]+", "-", council.lower()).strip("-") or "area") + ".html"


def _comparison(row: pd.Series) -> Cell:
    """The comparison with all councils, with "better" or "worse" where the indicator has a direction."""
    polarity = row["polarity"]
    return Cell(verdict_text(row["vs_consortium_verdict"], row["vs_consortium"], row["statistic"], polarity),
                *judgement_class(row["vs_consortium_verdict"], polarity))


def _change(row: pd.Series) -> Cell:
    """The change since the previous wave, or why it is not tested."""
    polarity = row["polarity"]
    text = change_text(row["change_verdict"], row["change"], row["statistic"], polarity, row["comparability"])
    return Cell(text, *judgement_class(row["change_verdict"], polarity))


def _quality(row: pd.Series) -> Cell:
    if row["flag"] == "ok":
        return Cell(_DASH)
    words = row["flag"].replace("_", " ").capitalize()
    text = f"{words}: {row['flag_reason']}" if row["flag_reason"] else words
    return Cell(text, "suppressed" if row["flag"] == "suppressed" else "caution")


def _estimate_cells(row: pd.Series) -> list[Cell]:
    if row["flag"] == "suppressed":
        return [Cell("suppressed", "suppressed"), Cell("suppressed", "suppressed")]
    return [Cell(value_text(row["estimate"], row["statistic"]), "num"),
            Cell(interval_text(row["ci_lower"], row["ci_upper"], row["statistic"]), "num")]


def _ordered(rows: pd.DataFrame) -> pd.DataFrame:
    """Councils alphabetically, then All councils, then Average council: never a league table."""
    key = rows["area_type"].map({"council": 0, CONSORTIUM: 1, AVERAGE: 2})
    return rows.assign(_key=key).sort_values(["_key", "area"]).drop(columns="_key")


def _row_cells(row: pd.Series, count: int, *, with_wave: bool) -> list[Cell | str]:
    cells: list[Cell | str] = [Cell(row["area"])] + ([Cell(str(row["wave"]), "num")] if with_wave else [])
    return cells + _estimate_cells(row) + [
        Cell(f"{int(row['n']):,}", "num"), _comparison(row), _change(row),
        rank_text(row["rank_lower"], row["rank_upper"], count) or _DASH,
        _quality(row)]


class _Charts:
    """Draws each chart once into ``charts/<name>.svg`` and writes restyled copies for council pages.

    Pages refer to the files by relative address, so the consortium page and the council pages
    share them; a council's copy of a chart is the same drawing with a few lines of CSS added.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder / CHARTS
        self.folder.mkdir(parents=True, exist_ok=True)
        self._done: dict[str, str] = {}

    def get(self, name: str, draw: Callable[[], object]) -> str:
        """The address of chart ``name``, drawing and writing it the first time it is asked for."""
        if name not in self._done:
            self._done[name] = svg_text(draw())  # type: ignore[arg-type]
            (self.folder / f"{name}.svg").write_text(self._done[name], encoding="utf-8")
        return f"{CHARTS}/{name}.svg"

    def size(self, src: str) -> tuple[int, int]:
        """The drawn size of chart ``src`` in CSS pixels (SVG points x 4/3)."""
        name = src[len(CHARTS) + 1:-len(".svg")].split("--")[0]
        found = re.match(r'<svg[^>]* width="([\d.]+)pt" height="([\d.]+)pt"', self._done[name])
        return (round(float(found.group(1)) * 4 / 3), round(float(found.group(2)) * 4 / 3)) if found else (864, 480)

    def figure(self, src: str, alt: str, caption: str) -> str:
        """The markup of chart ``src`` as a figure, with its size."""
        return markup.figure(src, alt, caption, self.size(src))

    def variant(self, name: str, suffix: str, css: str) -> str:
        """The address of chart ``name`` (already drawn) restyled with ``css``, written as ``<name>--<suffix>.svg``."""
        (self.folder / f"{name}--{suffix}.svg").write_text(restyle(self._done[name], css), encoding="utf-8")
        return f"{CHARTS}/{name}--{suffix}.svg"


class _Indicator:
    """What every page's section on one indicator shares, worked out once: its rows, waves, notices, alt text."""

    def __init__(self, table: pd.DataFrame, meta: ReportMeta, indicator: str, rows: pd.DataFrame) -> None:
        self.rows = rows
        self.waves = sorted(set(rows["wave"]))
        self.latest = rows[rows["wave"] == self.waves[-1]]
        self.level = confidence_level(rows, meta.level)
        self.notices = select_notices(meta.notices, table, indicator)
        self.counts = rows[(rows["area_type"] == "council") & (rows["flag"] != "suppressed")].groupby("wave").size()
        self.forest_alt = forest_alt(self.latest, self.waves[-1], self.level, meta.thresholds)


def _indicator_section(table: pd.DataFrame, meta: ReportMeta, indicator: str, charts: _Charts, *,
                       council: str | None, limits: pd.DataFrame | None, bands: pd.DataFrame | None,
                       shared: _Indicator) -> str:
    rows, waves, latest = shared.rows, shared.waves, shared.latest
    first = latest.iloc[0]
    level = shared.level
    thresholds = meta.thresholds
    notices = shared.notices
    counts = shared.counts
    anchor = "ind-" + area_id(indicator)
    slug = f"{area_id(indicator)}-w{waves[-1]}"
    parts = [f'<section aria-labelledby="{anchor}">', f'<h2 id="{anchor}">{escape(str(first["label"]))}</h2>']
    about = [f"Latest wave: {waves[-1]} (questionnaire {first['questionnaire']}). "
            + ("Share of residents, in per cent." if first["statistic"] == "share" else
               f"Mean score on a {first['unit']} scale." if first["unit"] else "Mean score.")
            + " " + direction_sentence(first["polarity"])]
    labels = list(dict.fromkeys(rows.sort_values("wave")["label"]))
    if len(labels) > 1:
        about.append("The question changed between waves; earlier wording: " + "; ".join(labels[:-1]) + ".")
    parts.append(markup.paragraphs(about, "meta"))
    header = ["Area", "Estimate", f"{level:.0%} confidence interval", "Unweighted base", "Compared with all councils",
              "Change since previous wave", rank_header(first["polarity"]), "Quality"]
    if council is None:
        body = [_row_cells(r, int(counts.get(waves[-1], 0)), with_wave=False)
                for _, r in _ordered(latest).iterrows()]
        caption = f"{first['label']}, wave {waves[-1]}: councils in alphabetical order, then the consortium"
        parts.append(markup.table(caption, header, body))
    else:
        mine = rows[rows["area"].isin([council]) | rows["area_type"].isin([CONSORTIUM, AVERAGE])]
        body = [_row_cells(r, int(counts.get(r["wave"], 0)), with_wave=True)
                for w in reversed(waves) for _, r in _ordered(mine[mine["wave"] == w]).iterrows()]
        caption = f"{first['label']}: {council} and the consortium, latest wave first"
        parts.append(markup.table(caption, [header[0], "Wave"] + header[1:], body))

    # Each chart is drawn once, for the consortium page; a council's page shows the same drawing restyled so
    # that its council stands out (a highlight band and bold row in the forest plot, the other councils faded
    # in the trend chart).
    forest = charts.get(f"forest-{slug}", lambda: draw_forest(table, meta, indicator, web=True))
    if council is not None:
        forest = charts.variant(f"forest-{slug}", area_id(council), forest_emphasis(council))
    parts.append(charts.figure(forest, shared.forest_alt,
                               "Councils ordered by estimate, with confidence intervals and rank intervals"
                               + (f"; {council} highlighted, its figures in bold." if council else ".")))
    if len(waves) > 1:
        areas = list(dict.fromkeys(rows.loc[rows["area_type"] == "council", "area"]))
        consortium = list(dict.fromkeys(rows.loc[rows["area_type"] == CONSORTIUM, "area"]))
        trend = charts.get(f"trend-{area_id(indicator)}",
                           lambda: draw_trend(table, meta, indicator, areas=areas + consortium, web=True))
        if council is None:
            parts.append(charts.figure(trend, trend_alt(rows, areas + consortium, level), "Estimates across waves "
                                       "with confidence intervals; lines are not joined across a change in the "
                                       "question."))
        else:
            trend = charts.variant(f"trend-{area_id(indicator)}", area_id(council),
                                   trend_emphasis(council, tuple(consortium)))
            parts.append(charts.figure(trend, trend_alt(rows, [council] + consortium, level) + " The other "
                                       "councils are drawn faintly for context.",
                                       f"{council} (bold) and all councils across waves, with confidence intervals; "
                                       "the other councils are faint. Lines are not joined across a change in the "
                                       "question."))
    if council is None and limits is not None and ((limits["indicator"] == indicator)
                                                   & (limits["wave"] == waves[-1])).any():
        uri = charts.get(f"funnel-{slug}", lambda: draw_funnel(table, meta, indicator, limits=limits))
        parts.append(charts.figure(uri, funnel_alt(latest, waves[-1], thresholds), "Funnel plot: each council's "
                                   "estimate against the equivalent sample size of its difference from all councils, "
                                   "with the limits of the table's comparison (see How to read this report): a "
                                   "council outside the inner limits is one the table calls higher or lower."))
    if bands is not None and (bands["indicator"] == indicator).any():
        band_rows = bands[bands["indicator"] == indicator]
        band_wave = int(max(band_rows["wave"]))
        uri = charts.get(f"bands-{area_id(indicator)}-w{band_wave}", lambda: band_chart(
            band_rows, indicator, thresholds=dict(thresholds), notices=notices))
        parts.append(charts.figure(uri, band_alt(band_rows[band_rows["wave"] == band_wave], band_wave),
                                   "Share of residents in each band; hatching and labels tell the bands apart."))
    parts.append(markup.paragraphs(notices, "notice"))
    parts.append("</section>")
    return "\n".join(p for p in parts if p)


def _summary(table: pd.DataFrame, meta: ReportMeta, council: str) -> str:
    """Every indicator for one council in its latest wave, beside All councils."""
    body = []
    for _, rows in table.groupby("indicator", sort=False):
        wave = rows["wave"].max()
        rows = rows[rows["wave"] == wave]
        own, whole = rows[rows["area"] == council], rows[rows["area_type"] == CONSORTIUM]
        if own.empty:
            continue
        row = own.iloc[0]
        stat = row["statistic"]
        body.append([Cell(row["label"]), Cell(str(wave), "num"), *_estimate_cells(row),
                     Cell(value_text(whole["estimate"].iloc[0], stat) if len(whole) else _DASH, "num"),
                     _comparison(row), _change(row), _quality(row)])
    level = confidence_level(table, meta.level)
    return ('<section aria-labelledby="summary">\n<h2 id="summary">Summary</h2>\n' + markup.table(
        f"{council}: every indicator in its latest wave, beside all councils",
        ["Indicator", "Wave", "Estimate", f"{level:.0%} confidence interval", "All councils",
         "Compared with all councils", "Change since previous wave", "Quality"], body) + "\n</section>")


def _guide(table: pd.DataFrame, meta: ReportMeta, variance: str | None = None) -> str:
    texts = significance_notes(table, confidence_level(table, meta.level), meta.analysis) + [RANK_INTERVALS,
                                                                                             NO_LEAGUE_TABLE]
    texts += [variance] if variance else []
    return ('<section aria-labelledby="guide">\n<h2 id="guide">How to read this report</h2>\n'
            + markup.paragraphs(texts) + "\n</section>")


def _definitions(table: pd.DataFrame) -> str:
    key = markup.table("Suppression key: what each quality flag means", ["Flag", "Meaning", "How it is shown"],
                       [[f.name.replace("_", " "), f.meaning, f.shown_as] for f in FLAGS.values()])
    texts = [f"{name}: {text.split(': ', 1)[-1]}" for name, text in definitions(table)] + [CHANGE, FUNNEL, ROUNDING]
    return ('<section aria-labelledby="definitions">\n<h2 id="definitions">Definitions and suppression key</h2>\n'
            + markup.paragraphs(texts) + "\n" + key + "\n</section>")


def _footer(table: pd.DataFrame, meta: ReportMeta) -> str:
    lines = ["Questionnaire versions: " + "; ".join(questionnaire_versions(table)) + "."]
    thresholds = threshold_lines(meta.thresholds)
    if thresholds:
        lines.append("Thresholds: " + "; ".join(thresholds) + ".")
    lines.append("No respondent-level data are included in this report.")
    return markup.paragraphs(lines) + "\n" + markup.paragraphs(list(meta.notices), "notice")


def write_html_report(table: pd.DataFrame, folder: str | PathLike[str], *, bands: pd.DataFrame | None = None,
                      limits: pd.DataFrame | None = None, title: str | None = None,
                      variance: str | None = None, drivers: "DriverResults | None" = None,
                      wards: pd.DataFrame | None = None, ward_label: str = "ward estimates",
                      by: str = "council") -> list[Path]:
    """Write a static HTML report: ``index.html`` for the consortium, one page per council.

    The consortium page has, for each indicator, a table of every council (alphabetically, then the
    consortium figures), a forest plot, a trend chart when there are several waves, a funnel plot
    when ``limits`` covers the indicator and a band chart when ``bands`` does. Each council's page
    (``council-<name>.html``) has a summary table, and per indicator the council beside the consortium
    in every wave, the forest plot with the council highlighted, and the trend chart with
    the council in bold against all councils (the other councils faint). Every page explains rank
    intervals and why there is no league table, carries the suppression key, and prints the
    copyright notices of ``attrs["notices"]``.

    Pages are accessible (``lang``, one ``h1``, an ``h2`` per indicator, tables with captions and
    scoped headers, alt text written from the data, suppression in words, not colour alone), light
    and static: the charts are compact SVG files in ``charts/``, each drawn once and shared by the
    pages (a council's copy is the same drawing restyled), the style sheet is one file,
    ``report.css``, and there is no script, web font or link to another host. On a phone (under
    40rem wide) each table row reflows into a card of label-value lines.

    Parameters
    ----------
    table
        The indicator table (one row per wave x indicator x area).
    folder
        Directory to write into (created if needed; existing pages of the same names are replaced).
    bands
        Optional band shares, for band charts.
    limits
        Optional funnel limits (indicator, wave, n, lower95, upper95, lower998, upper998).
    title
        The report's title (default: ``table.attrs["title"]``, else "Resident survey report").
    variance
        How the standard errors were computed, in words (see
        :func:`~residentsurvey.report._notes.variance_note`), added to every page's "How to read this
        report"; :func:`~residentsurvey.annual_report` passes it.
    drivers
        Optional key drivers from the annual report's driver step (:func:`~residentsurvey.annual_report`,
        ``drivers=``): a "What drives ..." section with the table of drivers (importance, its interval,
        rank interval, performance), what importance means (association, not cause) and the
        priority-matrix chart, on the consortium page and on each council's page whose own figures
        rest on enough respondents (else the page says so and points to the consortium's).
    wards
        Optional ward estimates (``sae.estimates`` of :func:`~residentsurvey.fay_herriot`, with a ``by``
        column naming each ward's council): each council's page shows its wards' survey and modelled
        estimates with intervals, the note on what a modelled estimate is, and the ward chart; the
        consortium page links to them.
    ward_label, by
        What the ward estimates measure (e.g. "% satisfied with the local area"), and the council column.

    Returns
    -------
    list of pathlib.Path
        ``index.html`` first, then the council pages in alphabetical order.

    Examples
    --------
    >>> import tempfile
    >>> from residentsurvey.report._example import example_table
    >>> paths = write_html_report(example_table(), tempfile.mkdtemp())
    >>> [p.name for p in paths]
    ['index.html', 'council-eastmere.html', 'council-northbridge.html', 'council-westhaven.html']
    """
    table, meta = prepare_indicator_table(table)
    bands = None if bands is None else check_bands(bands)
    limits = None if limits is None else check_limits(limits)
    title = title or meta.title or "Resident survey report"
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / markup.STYLESHEET).write_text(markup.CSS, encoding="utf-8")
    councils = sorted(dict.fromkeys(table.loc[table["area_type"] == "council", "area"]))
    files: dict[str, str] = {}
    for council in councils:
        name, k = council_filename(council), 2
        while name in files.values():
            name, k = council_filename(council)[:-5] + f"-{k}.html", k + 1
        files[council] = name
    links = [("All councils", "index.html")] + [(c, files[c]) for c in councils]
    indicators = list(dict.fromkeys(table["indicator"]))
    shared = {i: _Indicator(table, meta, str(i), rows) for i, rows in table.groupby("indicator", sort=False)}
    latest = int(table["wave"].max())
    level = confidence_level(table, meta.level)
    charts = _Charts(folder)
    guide, notes, footer = _guide(table, meta, variance), _definitions(table), _footer(table, meta)
    contents = ('<nav aria-label="Indicators"><p>Indicators in this report:</p><ul>' + "".join(
        f'<li><a href="#ind-{escape(area_id(i))}">'
        f"{escape(str(table.loc[table['indicator'] == i, 'label'].iloc[-1]))}</a></li>" for i in indicators)
        + "</ul></nav>")
    extra = ([] if drivers is None else [(DRIVERS_ID, drivers.title)]) + (
        [] if wards is None else [(WARDS_ID, "Ward estimates")])
    if extra:
        contents = contents.replace("</ul></nav>", "".join(
            f'<li><a href="#{key}">{escape(text)}</a></li>' for key, text in extra) + "</ul></nav>")

    def sections(council: str | None) -> list[str]:
        out = []
        if drivers is not None:
            out.append(drivers_section(drivers, charts, council=council, level=level))
        if wards is not None:
            out.append(wards_section(wards, charts, council=council, by=by, label=ward_label, files=files))
        return out

    written = []
    lede = (f"Results for {len(councils)} councils, latest wave {latest}. Every estimate has a {level:.0%} "
            "confidence interval, the range within which the figure for all residents is likely to lie.")
    body = "\n".join([markup.paragraphs([lede], "lede"), contents, guide] + [
        _indicator_section(table, meta, i, charts, council=None, limits=limits, bands=bands, shared=shared[i])
        for i in indicators] + sections(None) + [notes])
    pages = [("index.html", f"{title}: all councils", body)]
    for council in councils:
        lede = (f"How {council} compares with all councils taking part, in every wave. Estimates have "
                f"{level:.0%} confidence intervals; differences are called higher or lower only when they "
                "are statistically significant.")
        body = "\n".join([markup.paragraphs([lede], "lede"), _summary(table, meta, council), contents, guide] + [
            _indicator_section(table, meta, i, charts, council=council, limits=limits, bands=bands,
                               shared=shared[i])
            for i in indicators] + sections(council) + [notes])
        pages.append((files[council], f"{title}: {council}", body))
    for name, heading, body in pages:
        path = folder / name
        path.write_text(markup.page(title=heading, heading=heading, site=title, links=links, current=name,
                                    body=body, footer=footer), encoding="utf-8")
        written.append(path)
    return written
