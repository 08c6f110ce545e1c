"""CSV returns: decoded whatever the encoding, split on whatever delimiter, every line accounted for."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from ..errors import ReturnsError
from ..questionnaire.model import Questionnaire
from . import _sniff
from ._grid import read_grid
from ._log import ReadLog, runs


def read_csv(path: Path, q: Questionnaire, *, header_row: int | None = None):
    """The returns in a CSV file as text, with a :class:`ReadLog` of what reading did."""
    data = path.read_bytes()
    text, note = _sniff.decode(data, path)
    expected = set(q.expected_columns)
    top = io.StringIO(text, newline="").readlines()[:_SNIFF_LINES]
    sep, sep_note = _sniff.delimiter(top, expected)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    records, ends = [], []
    try:
        for record in reader:
            records.append(record)
            ends.append(reader.line_num)
    except csv.Error as error:
        raise ReturnsError(f"{path}: line {reader.line_num + 1} cannot be read as CSV ({error}); check that line "
                           f"for stray quotes and export the file again.") from error
    ends_array = np.asarray(ends, dtype=np.int64)
    starts = np.concatenate([[1], ends_array[:-1] + 1]) if len(ends) else ends_array
    grid = read_grid(records, starts.tolist(), expected=expected, where=str(path), unit="line", header_at=header_row)
    total = int(ends_array[-1]) if len(ends) else 0
    spans = ends_array - starts
    notes = [n for n in (note, sep_note and f"{path}: {sep_note}") if n] + list(grid.notes)
    counts = list(grid.counts)
    counts.append(("line breaks inside quoted values", int(spans.sum())))
    problems = list(grid.problems) + _swallowed(records, starts, ends_array, grid, sep)
    log = ReadLog(str(path), "line", runs(grid.places), len(grid.frame), tuple(notes), tuple(problems),
                  tuple(counts), total)
    return grid.frame, {"reading": log}


#: Lines searched for the delimiter (a title may sit above the header).
_SNIFF_LINES = 20


def _swallowed(records: list, starts: np.ndarray, ends: np.ndarray, grid, sep: str) -> list[dict]:
    """Values that run over lines that look like whole rows: a quote left open swallowing respondents."""
    out = []
    width = grid.frame.shape[1]
    where = {int(p): i for i, p in enumerate(grid.places)}
    for k in np.flatnonzero(ends > starts):
        row = where.get(int(starts[k]))
        if row is None:
            continue
        for value in records[k]:
            inner = value.splitlines()[1:]
            if inner and any(line.count(sep) >= max(1, (width - 1) // 2) for line in inner):
                out.append({"row": row, "column": None, "value": value[:200], "check": "ragged_row",
                            "message": f"a quoted value runs from line {starts[k]} to line {ends[k]} and holds "
                                       f"lines that look like respondents' rows: a quote (\") left open? Those "
                                       f"lines were read as part of one value; close the quote and read the file "
                                       f"again."})
                break
    return out
