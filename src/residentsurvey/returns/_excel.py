"""Excel returns: every sheet considered, error values kept as found, title rows above the header named.

A workbook with one sheet of returns is read as it is. Several sheets whose headers hold the
same columns (postal and online, say) are stacked, with the sheet each row came from in a
``source_sheet`` column. Sheets whose headers differ are refused, naming each sheet, unless
``sheets=`` says which to read. Error values such as ``#N/A`` are kept as text so validation
reports them; they are never read as "no answer".
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ReturnsError
from ..questionnaire.model import Questionnaire, did_you_mean
from ._grid import Grid, read_grid
from ._log import ReadLog, runs

#: Column added when several sheets are stacked: the sheet each respondent came from.
SOURCE_SHEET = "source_sheet"


def _cells(path: Path) -> dict[str, tuple[list, list[int]]]:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheets = {}
        for sheet in workbook.worksheets:
            records = [list(r) for r in sheet.iter_rows(values_only=True)]
            sheets[sheet.title] = (records, list(range(1, len(records) + 1)))
        return sheets
    finally:
        workbook.close()


def _empty(records: list) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for r in records for v in r)


def read_xlsx(path: Path, q: Questionnaire, *, sheets: str | Sequence[str] | None = None,
              header_row: int | None = None) -> tuple[pd.DataFrame, dict]:
    """The returns in a workbook as cell values, with a :class:`ReadLog` of what reading did."""
    cells = _cells(path)
    expected = set(q.expected_columns)
    chosen = _choose(path, cells, sheets)
    grids: dict[str, Grid] = {}
    for name in chosen:
        records, places = cells[name]
        grids[name] = read_grid(records, places, expected=expected, where=f"{path} sheet {name!r}", unit="row",
                                header_at=header_row, letters=True)
    if len(grids) > 1:
        first, *others = grids
        for other in others:
            if set(grids[other].frame.columns) != set(grids[first].frame.columns):
                raise ReturnsError(_differ(path, grids, sheets is None))
    notes, problems, counts, starts, offset = [], [], [], [], 0
    skipped = [n for n in cells if n not in chosen]
    for name in skipped:
        if _empty(cells[name][0]):
            notes.append(f"{path}: sheet {name!r} is empty and was ignored.")
        else:
            notes.append(f"{path}: sheet {name!r} was not read (sheets={list(chosen)!r}); its "
                         f"{len(cells[name][0])} row(s) are not in the returns.")
        counts.append((f"rows not read (sheet {name!r})", len(cells[name][0])))
    for name, grid in grids.items():
        notes.extend(grid.notes)
        problems.extend({**p, "row": p["row"] + offset} for p in grid.problems)
        counts.extend((f"{item} (sheet {name!r})", n) for item, n in grid.counts)
        starts.extend(runs(grid.places, name, offset))
        offset += len(grid.frame)
    frames = [g.frame for g in grids.values()]
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    source_column = None
    if len(grids) > 1:
        source_column = SOURCE_SHEET
        frame[SOURCE_SHEET] = np.repeat(list(grids), [len(g.frame) for g in grids.values()])
        rows = ", ".join(f"{name!r} {len(g.frame):,}" for name, g in grids.items())
        notes.insert(0, f"{path}: {len(grids)} sheets with the same columns were stacked ({rows} respondents); "
                        f"the {SOURCE_SHEET!r} column says which sheet each came from.")
    total = sum(len(records) for records, _ in cells.values())
    log = ReadLog(str(path), "row", tuple(starts), len(frame), tuple(notes), tuple(problems), tuple(counts), total,
                  source_column)
    return frame, {"reading": log}


def _choose(path: Path, cells: dict, sheets: str | Sequence[str] | None) -> list[str]:
    if sheets is None:
        full = [name for name, (records, _) in cells.items() if not _empty(records)]
        if not full:
            raise ReturnsError(f"{path}: every sheet is empty ({', '.join(map(repr, cells))}): an empty delivery; "
                               f"ask the contractor to export the returns again.")
        return full
    wanted = [sheets] if isinstance(sheets, str) else list(sheets)
    if not wanted or not all(isinstance(s, str) for s in wanted):
        raise ReturnsError(f"sheets must be a sheet name or a list of them; got {sheets!r}. The sheets of {path} "
                           f"are {', '.join(map(repr, cells))}.")
    for name in wanted:
        if name not in cells:
            raise ReturnsError(f"{path} has no sheet {name!r}.{did_you_mean(name, list(cells))} Its sheets are "
                               f"{', '.join(map(repr, cells))}.")
    return list(dict.fromkeys(wanted))


def _differ(path: Path, grids: dict[str, Grid], chosen_by_us: bool) -> str:
    parts = []
    for name, grid in grids.items():
        columns = list(grid.frame.columns)
        shown = ", ".join(columns[:4]) + (", ..." if len(columns) > 4 else "")
        parts.append(f"{name!r} ({len(grid.frame):,} rows; {len(columns)} columns: {shown})")
    names = list(grids)
    how = (f"choose with read_returns(..., sheets={names[0]!r}) (or a list of sheets whose columns match), or "
           f"`--sheet {names[0]}` on the command line")
    what = "has several sheets with data" if chosen_by_us else "was asked for sheets"
    return f"{path}: the workbook {what} whose columns differ, so they cannot be stacked: {'; '.join(parts)}. Which holds the " \
           f"returns? {how[0].upper()}{how[1:]}."
