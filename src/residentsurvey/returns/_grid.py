"""From the cells of a CSV file or a sheet to a returns table, losing nothing and saying where things are.

Shared by the CSV and Excel readers: it finds the header (skipping title rows above it),
refuses duplicate or blank column names that hold answers, skips blank rows, and reports rows
with fewer or more cells than the header, each with the line or sheet row a person can find.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ReturnsError

#: How many rows from the top are searched for the header.
HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True)
class Grid:
    """One table read from a file or sheet: columns, rows as text or cell values, and where each row was."""

    frame: pd.DataFrame
    places: np.ndarray  # line or sheet row of each respondent row
    notes: tuple[str, ...]
    problems: tuple[dict, ...]
    counts: tuple[tuple[str, int], ...]


def letter(index: int) -> str:
    """Excel's column letter for a 0-based column index (0 -> A, 27 -> AB)."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, float)
                                                                               and np.isnan(value))


def _name(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if _blank(value) else str(value).strip()


def _short(value: object, limit: int = 60) -> str:
    text = str(value)
    return repr(text if len(text) <= limit else text[:limit - 3] + "...")


def _find_header(records: list, places: list[int], expected: set[str], header_at: int | None,
                 unit: str, where: str) -> int:
    """Index of the header record: the one given, else the row near the top naming most expected columns."""
    if header_at is not None:
        if header_at not in places:
            raise ReturnsError(f"{where}: header_row={header_at} is beyond the end (the last {unit} is "
                               f"{places[-1] if places else 0}).")
        return places.index(header_at)
    candidates = [i for i, r in enumerate(records[:HEADER_SEARCH_ROWS * 3]) if not all(_blank(v) for v in r)]
    candidates = candidates[:HEADER_SEARCH_ROWS]
    if not candidates:
        return 0
    folded = {e.casefold() for e in expected}
    scores = [sum(_name(v).casefold() in folded for v in records[i]) for i in candidates]
    best = int(np.argmax(scores))  # the first row with the highest score
    return candidates[best] if scores[best] > scores[0] else candidates[0]


def read_grid(records: list[list], places: list[int], *, expected: set[str], where: str, unit: str,
              header_at: int | None = None, letters: bool = False) -> Grid:
    """The returns table in ``records`` (cells of each line or sheet row, at ``places``).

    ``where`` names the file (and sheet) in messages; ``unit`` is ``"line"`` or ``"row"``;
    ``header_at`` forces the header's line or row; ``letters`` names columns A, B, ... as
    Excel does instead of by position.
    """
    def col(i: int) -> str:
        return f"column {letter(i)}" if letters else f"field {i + 1}"

    if not records or all(all(_blank(v) for v in r) for r in records):
        raise ReturnsError(f"{where}: there is nothing in it (no header, no respondents): an empty delivery; ask "
                           f"the contractor to export the returns again.")
    h = _find_header(records, places, expected, header_at, unit, where)
    notes, counts = [], []
    title_rows = [i for i in range(h) if not all(_blank(v) for v in records[i])]
    if title_rows:
        first = next(_name(v) for v in records[title_rows[0]] if not _blank(v))
        skipped = f"{unit} {places[0]} above it was" if h == 1 else f"{unit}s {places[0]}-{places[h - 1]} above it were"
        notes.append(f"{where}: {unit} {places[title_rows[0]]} looks like a title ({_short(first)}), not the header; "
                     f"the header is on {unit} {places[h]}, so {skipped} skipped (read_returns(..., "
                     f"header_row={places[h]}) says so explicitly).")
    counts.append(("title or blank rows above the header", h))
    counts.append(("header", 1))
    raw = list(records[h])
    names = [_name(v) for v in raw]
    body = records[h + 1:]
    lengths = np.fromiter((len(r) for r in body), dtype=np.int64, count=len(body))
    widest = max(int(lengths.max(initial=0)), len(raw))
    if (lengths != widest).any():
        body = [list(r) + [None] * (widest - len(r)) if len(r) < widest else r for r in body]
    frame = pd.DataFrame(body, columns=range(widest), dtype=object) if body else \
        pd.DataFrame(columns=range(widest), dtype=object)
    cells = frame.to_numpy(dtype=object)
    empty = pd.isna(cells) | (cells == "")
    keep = ~empty.all(axis=1)
    counts.append(("blank rows skipped", int((~keep).sum())))
    frame, empty = frame[keep].reset_index(drop=True), empty[keep]
    lengths = lengths[keep]
    row_places = np.asarray(places[h + 1:], dtype=np.int64)[keep]
    filled = ~empty.all(axis=0)
    width = len(raw)
    while width and not names[width - 1] and not filled[width - 1]:
        width -= 1  # trailing columns with neither a name nor a value
    names = names[:width]
    problems: list[dict] = []
    for i in np.flatnonzero(lengths < width):
        problems.append({"row": int(i), "column": None, "value": None, "check": "ragged_row",
                         "message": f"{unit} {row_places[i]} has {lengths[i]} fields but the header has {width}: it "
                                    f"looks cut short (an interrupted export?); the missing fields were read as "
                                    f"blank. Export the file again, or complete the {unit}."})
    beyond = ~empty[:, width:].all(axis=1) if frame.shape[1] > width else np.zeros(len(frame), dtype=bool)
    for i in np.flatnonzero(beyond):
        extra = [v for v in cells[keep][i, width:] if not (pd.isna(v) or v == "")]
        problems.append({"row": int(i), "column": None, "value": ", ".join(map(str, extra))[:200],
                         "check": "ragged_row",
                         "message": f"{unit} {row_places[i]} has {lengths[i]} fields but the header has {width}; "
                                    f"the values beyond the header ({', '.join(_short(v, 20) for v in extra[:5])}) "
                                    f"were not read. A delimiter inside an unquoted value? Quote it, or name the "
                                    f"extra column in the header."})
    blank_named = [i for i in range(width) if not names[i]]
    for i in blank_named:
        if filled[i]:
            j = int(np.argmax(~empty[:, i]))
            raise ReturnsError(f"{where}: {col(i)} has no name in the header ({unit} {places[h]}) but holds "
                               f"{int((~empty[:, i]).sum())} value(s), the first {_short(frame.iat[j, i])} on {unit} "
                               f"{row_places[j]}; give the column its name in the header (or delete it if it is "
                               f"not returns data).")
    if blank_named:
        notes.append(f"{where}: {len(blank_named)} column(s) with no name and no values "
                     f"({', '.join(col(i) for i in blank_named[:5])}) were ignored.")
    named = [i for i in range(width) if names[i]]
    seen: dict[str, list[int]] = {}
    for i in named:
        seen.setdefault(names[i], []).append(i)
    twice = {n: at for n, at in seen.items() if len(at) > 1}
    if twice:
        listed = "; ".join(f"{n!r} in {' and '.join(col(i) for i in at)}" for n, at in twice.items())
        raise ReturnsError(f"{where}: the header ({unit} {places[h]}) names the same column more than once: {listed}. "
                           f"Each would hide the other's answers; rename or remove the duplicates and read the "
                           f"file again.")
    frame = frame.mask(pd.DataFrame(empty, columns=frame.columns))[named]
    frame.columns = [names[i] for i in named]
    stripped = [str(v) for v in raw if isinstance(v, str) and v.strip() and v != v.strip()]
    if stripped:
        notes.append(f"{where}: spaces around {len(stripped)} column name(s) were removed "
                     f"(e.g. {_short(stripped[0])}).")
    counts.append(("respondent rows", len(frame)))
    return Grid(frame, row_places, tuple(notes), tuple(problems), tuple(counts))
