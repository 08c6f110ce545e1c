"""The Excel workbook: one sheet per indicator, plus contents, notes, suppression key and flagged estimates."""

from __future__ import annotations

import re
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ._format import is_blank, rank_text
from ._notes import (CHANGE, FUNNEL, NO_LEAGUE_TABLE, RANK_INTERVALS, ROUNDING, definitions,
                     questionnaire_versions, threshold_lines)
from ._registry import FLAGS, STATISTICS
from ._table import check_bands, confidence_level, prepare_indicator_table, select_notices
from ._words import change_text, verdict_text
from .drivers_step import DRIVERS_NOTE

if TYPE_CHECKING:
    from .drivers_step import DriverResults

__all__ = ["write_workbook", "HEADER_ROW"]

#: The row (1-based) holding the column headers of every table sheet; the title and notes are above it.
HEADER_ROW = 4
_AREA_TYPE_NAMES = {"council": "Council", "consortium_population": "All councils (population-weighted)",
                    "consortium_average": "Average council (equal weights)"}


def _flag_name(flag: str) -> str:
    return flag.replace("_", " ")


def _sheet_name(text: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\']", "_", text)[:31] or "indicator"
    name, k = base, 2
    while name.lower() in {t.lower() for t in taken}:
        suffix = f" ({k})"
        name, k = base[:31 - len(suffix)] + suffix, k + 1
    taken.add(name)
    return name


def _put_table(sheet: Any, title: str, notes: list[str], header: list[str], rows: list[list[object]],
               formats: dict[int, str], name: str) -> None:
    """Title in A1, notes in A2..A3, the table from row HEADER_ROW as an Excel table with a frozen header."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table, TableStyleInfo

    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=14)
    for k, note in enumerate(notes[:HEADER_ROW - 2]):
        sheet.cell(row=2 + k, column=1, value=note)
    for j, text in enumerate(header, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=j, value=text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, values in enumerate(rows, start=HEADER_ROW + 1):
        for j, value in enumerate(values, start=1):
            cell = sheet.cell(row=i, column=j, value=None if is_blank(value) else value)
            if j in formats:
                cell.number_format = formats[j]
    for j, text in enumerate(header, start=1):
        longest = max([len(str(text)) // 2 + 2] + [len(str(r[j - 1])) for r in rows if not is_blank(r[j - 1])])
        sheet.column_dimensions[get_column_letter(j)].width = min(max(10, longest + 2), 70)
    if rows:
        ref = f"A{HEADER_ROW}:{get_column_letter(len(header))}{HEADER_ROW + len(rows)}"
        table = Table(displayName=re.sub(r"\W", "_", name)[:250], ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
        sheet.add_table(table)
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"


def _indicator_rows(rows: pd.DataFrame, level: float) -> tuple[list[str], list[list[object]], dict[int, str]]:
    first = rows.iloc[0]
    style = STATISTICS[first["statistic"]]
    unit = "%" if first["statistic"] == "share" else f"mean, {first['unit']}" if first["unit"] else "mean"
    diff_unit = ("percentage points" if first["statistic"] == "share" else
                 f"points on the {first['unit']} scale" if first["unit"] else "score points")
    pct = f"{level:.0%}"
    header = ["Wave", "Questionnaire", "Area", "Area type", f"Estimate ({unit})", f"Lower {pct} CI",
              f"Upper {pct} CI", "Standard error", "Unweighted base", "Effective base", "Design effect", "Flag",
              "Flag reason", f"Difference from All councils ({diff_unit})", "Difference p-value (adjusted)",
              "Compared with All councils", f"Change since previous wave ({diff_unit})", "Change p-value",
              "Change since previous wave", "Rank interval", "Funnel plot position"]
    value = "0.0" if style.digits == 1 else "0.00"
    signed = f"+{value};-{value};{value}"
    formats = {5: value, 6: value, 7: value, 8: value, 9: "#,##0", 10: "#,##0", 11: "0.00", 14: signed,
               15: "0.000", 17: signed, 18: "0.000"}
    order = rows.assign(_council=rows["area_type"] != "council").sort_values(["wave", "_council", "area"])
    councils_shown = order[(order["area_type"] == "council") & (order["flag"] != "suppressed")].groupby("wave").size()
    out = []
    for row in order.itertuples(index=False):
        scaled = [None if is_blank(v) else float(v) * style.scale for v in
                  (row.estimate, row.ci_lower, row.ci_upper, row.se, row.vs_consortium, row.change)]
        out.append([int(row.wave), row.questionnaire, row.area, _AREA_TYPE_NAMES[row.area_type], *scaled[:4],
                    int(row.n), row.n_effective, row.deff, _flag_name(row.flag), row.flag_reason, scaled[4],
                    row.vs_consortium_p_adjusted,
                    verdict_text(row.vs_consortium_verdict, None, row.statistic, row.polarity).strip("–"),
                    scaled[5], row.change_p,
                    change_text(row.change_verdict, None, row.statistic, row.polarity, row.comparability).strip("–"),
                    rank_text(row.rank_lower, row.rank_upper, int(councils_shown.get(row.wave, 0))),
                    row.funnel])
    return header, out, formats


def write_workbook(table: pd.DataFrame, path: str | PathLike[str], *, bands: pd.DataFrame | None = None,
                   title: str | None = None, variance: str | None = None,
                   drivers: "DriverResults | None" = None) -> Path:
    """Write the indicator table as an Excel workbook people can read and machines can reload.

    Sheets: "Contents"; "Notes" (confidence level, thresholds, what "All councils" and "Average
    council" mean, rank intervals and why there is no league table, questionnaire versions,
    copyright notices); "Suppression key" (what each flag means and how it is shown); "Flagged
    estimates" (every row that is not "ok", with its reason); one sheet per indicator; and
    "Bands" when ``bands`` is given. Each table sheet has its title in A1, notes below and the
    table, an Excel table with a frozen header, from row :data:`HEADER_ROW`. Shares are written
    as percentages (0-100) and means as they are, unrounded, with number formats that round for
    display. Suppressed estimates, their intervals and comparisons are blank cells and the Flag
    column says "suppressed" with the reason. Point ranks are not written: rank intervals are.

    Parameters
    ----------
    table
        The indicator table (one row per wave x indicator x area).
    path
        The ``.xlsx`` file to write (overwritten).
    bands
        Optional band shares (wave, indicator, label, area, category, estimate, ci_lower,
        ci_upper, n, flag), written to a "Bands" sheet.
    title
        The workbook's title, on the Contents and Notes sheets (default: ``table.attrs["title"]``,
        else "Resident survey indicators"); :func:`~residentsurvey.annual_report` passes the
        report's ``title``.
    variance
        How the standard errors were computed, in words (see
        :func:`~residentsurvey.report._notes.variance_note`), written as the "Standard errors" note;
        :func:`~residentsurvey.annual_report` passes it (Taylor linearisation or replicate weights).
    drivers
        Optional key drivers from the annual report's driver step, written to a "Key drivers" sheet
        (importance as a share of what the drivers explain, with intervals, rank intervals and
        performance, by council and for all councils) with the note on what importance means.

    Returns
    -------
    pathlib.Path
        The path written.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> from residentsurvey.report._example import example_table
    >>> folder = tempfile.mkdtemp()
    >>> path = write_workbook(example_table(), f"{folder}/indicators.xlsx")
    >>> sheet = pd.read_excel(path, sheet_name="swemwbs", header=HEADER_ROW - 1)
    >>> sorted(sheet["Flag"].unique())
    ['caution', 'ok', 'suppressed']
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    table, meta = prepare_indicator_table(table)
    bands = None if bands is None else check_bands(bands)
    level = confidence_level(table, meta.level)
    title = title or meta.title or "Resident survey indicators"
    workbook = Workbook()
    contents = workbook.active
    contents.title = "Contents"
    taken = {"Contents", "Notes", "Suppression key", "Flagged estimates", "Bands"}
    listing: list[list[object]] = [["Notes", "Confidence level, thresholds, definitions, copyright notices"],
                                   ["Suppression key", "What each flag means and how it is shown"],
                                   ["Flagged estimates", "Every estimate that is suppressed or carries a warning"]]

    notes = [["Title", title], ["Confidence level", f"{level:.0%} confidence intervals"]]
    notes += [["Standard errors", variance]] if variance else []
    notes += [["Threshold", line] for line in threshold_lines(meta.thresholds)]
    notes += [[name, text] for name, text in definitions(table)]
    notes += [["Rank intervals", RANK_INTERVALS], ["No league table", NO_LEAGUE_TABLE], ["Funnel plots", FUNNEL],
              ["Change since previous wave", CHANGE], ["Rounding", ROUNDING]]
    notes += [["Questionnaire version", line] for line in questionnaire_versions(table)]
    notes += [["Copyright", notice] for notice in meta.notices]
    _put_table(workbook.create_sheet("Notes"), "Notes", [title], ["Topic", "Note"], notes, {}, "Notes")

    key = [[_flag_name(f.name), f.meaning, f.shown_as] for f in FLAGS.values()]
    _put_table(workbook.create_sheet("Suppression key"), "Suppression key",
               ["Every estimate carries one of these flags; the reason is given next to it."],
               ["Flag", "Meaning", "How it is shown"], key, {}, "Suppression_key")

    flagged = table[table["flag"] != "ok"].sort_values(["indicator", "wave", "area"])
    _put_table(workbook.create_sheet("Flagged estimates"), "Flagged estimates",
               ["Every estimate that is suppressed or should be read with care."],
               ["Indicator", "Label", "Wave", "Area", "Unweighted base", "Flag", "Flag reason"],
               [[r.indicator, r.label, int(r.wave), r.area, int(r.n), _flag_name(r.flag), r.flag_reason]
                for r in flagged.itertuples(index=False)], {5: "#,##0"}, "Flagged_estimates")

    for indicator, rows in table.groupby("indicator", sort=False):
        name = _sheet_name(str(indicator), taken)
        label = str(rows.sort_values("wave")["label"].iloc[-1])
        header, values, formats = _indicator_rows(rows, level)
        lines = [f"Estimates with {level:.0%} confidence intervals. Suppressed estimates are blank; the Flag "
                 "column gives the reason (see the Suppression key sheet). Councils alphabetically, then the "
                 "consortium figures.", " ".join(select_notices(meta.notices, table, str(indicator)))]
        _put_table(workbook.create_sheet(name), label, lines, header, values, formats, f"ind_{name}")
        listing.append([name, label])

    if bands is not None:
        band_rows = [[int(b.wave), b.indicator, b.label, b.area, str(b.category),
                      None if b.flag == "suppressed" or is_blank(b.estimate) else b.estimate * 100,
                      None if b.flag == "suppressed" or is_blank(b.ci_lower) else b.ci_lower * 100,
                      None if b.flag == "suppressed" or is_blank(b.ci_upper) else b.ci_upper * 100,
                      int(b.n), _flag_name(b.flag)] for b in bands.itertuples(index=False)]
        _put_table(workbook.create_sheet("Bands"), "Distribution by band",
                   ["Share of residents in each band (%). Suppressed shares are blank."],
                   ["Wave", "Indicator", "Label", "Area", "Band", "Share (%)", f"Lower {level:.0%} CI",
                    f"Upper {level:.0%} CI", "Unweighted base", "Flag"], band_rows,
                   {6: "0.0", 7: "0.0", 8: "0.0", 9: "#,##0"}, "Bands")
        listing.append(["Bands", "Share of residents in each band of a scale"])

    if drivers is not None:
        taken.add("Key drivers")
        readable = drivers.readable()
        percent = bool(readable["performance_upper"].max() <= 1 and readable["performance_lower"].min() >= 0)
        scale = 100.0 if percent else 1.0
        rows = [[r.area, r.label, r.driver, r.importance_pct, r.importance_lower_pct, r.importance_upper_pct,
                 None if is_blank(r.rank_lower) else int(r.rank_lower),
                 None if is_blank(r.rank_upper) else int(r.rank_upper),
                 r.performance * scale, r.performance_lower * scale, r.performance_upper * scale, r.r2, int(r.n)]
                for r in readable.itertuples(index=False)]
        unit = " (%)" if percent else ""
        _put_table(workbook.create_sheet("Key drivers"), drivers.title,
                   [f"Wave {drivers.wave}; outcome: {drivers.outcome_label}. Importance: each driver's share (%) of the R² the drivers explain together, "
                    f"with {level:.0%} intervals ({drivers.drivers.interval_method}).", DRIVERS_NOTE],
                   ["Area", "Driver", "Indicator", "Importance (%)", f"Lower {level:.0%}", f"Upper {level:.0%}",
                    "Rank from", "Rank to", f"Performance{unit}", f"Performance lower{unit}",
                    f"Performance upper{unit}", "R²", "Respondents"], rows,
                   {4: "0.0", 5: "0.0", 6: "0.0", 9: "0.0", 10: "0.0", 11: "0.0", 12: "0.000", 13: "#,##0"},
                   "Key_drivers")
        listing.append(["Key drivers", f"{drivers.title}: key drivers by council and for all councils"])

    _put_table(contents, title, ["This workbook holds the tables listed below."], ["Sheet", "Contents"],
               listing, {}, "Contents")
    contents["A1"].font = Font(bold=True, size=14)
    path = Path(path)
    workbook.save(path)
    return path
