"""What reading a returns file did: where each row came from, notes, problems found while reading, counts."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ReadLog:
    """Kept in ``df.attrs["reading"]`` by :func:`~residentsurvey.read_returns` for the validation report.

    Attributes
    ----------
    source
        The file read.
    unit
        How a person finds a row in it: ``"line"`` (text files), ``"row"`` (a sheet's row,
        1-based, counting the header), ``"case"`` (SPSS case number) or ``"record"``.
    starts
        Where runs of consecutive rows begin: ``(first row, its line or sheet row, sheet)``,
        one entry per run, so a million-row file with no gaps needs one entry.
    n_rows
        Rows read (respondents); locations are given only for a table of this many rows.
    notes
        What reading did that the reader should know (another encoding, delimiter, banner
        rows skipped, sheets stacked).
    problems
        Problems found while reading, as records with ``row``, ``column``, ``value``,
        ``check`` and ``message``.
    counts
        ``(item, count)`` pairs accounting for every line or sheet row of the file; they add
        up to :attr:`total`.
    total
        Lines (or sheet rows, all sheets read) in the file.
    source_column
        A column the reader added (``source_sheet`` when sheets were stacked), or ``None``.
    """

    source: str
    unit: str
    starts: tuple[tuple[int, int, str | None], ...]
    n_rows: int
    notes: tuple[str, ...] = ()
    problems: tuple[dict, ...] = ()
    counts: tuple[tuple[str, int], ...] = ()
    total: int = 0
    source_column: str | None = None

    @classmethod
    def consecutive(cls, source: str, unit: str, n_rows: int) -> "ReadLog":
        """A file whose rows are numbered 1, 2, ... with nothing else in it (.sav cases, parquet records)."""
        return cls(source, unit, ((0, 1, None),), n_rows, counts=((f"respondent {unit}s", n_rows),), total=n_rows)

    def locate(self, rows: np.ndarray) -> np.ndarray:
        """``"line 37"``, ``"Sheet1 row 12"`` or ``"case 5"`` for each 0-based row position."""
        rows = np.asarray(rows, dtype=np.int64)
        first = np.array([s[0] for s in self.starts], dtype=np.int64)
        place = np.array([s[1] for s in self.starts], dtype=np.int64)
        run = np.searchsorted(first, rows, side="right") - 1
        at = place[run] + rows - first[run]
        sheets = [self.starts[r][2] for r in run]
        return np.array([f"{sheet} {self.unit} {n}" if sheet else f"{self.unit} {n}" for sheet, n in zip(sheets, at)],
                        dtype=object)


def runs(places: np.ndarray, sheet: str | None = None, offset: int = 0) -> tuple[tuple[int, int, str | None], ...]:
    """:attr:`ReadLog.starts` for rows at ``places`` (their lines or sheet rows), first row ``offset``."""
    places = np.asarray(places, dtype=np.int64)
    if not len(places):
        return ()
    breaks = np.flatnonzero(np.diff(places) != 1) + 1
    at = np.concatenate([[0], breaks])
    return tuple((int(offset + i), int(places[i]), sheet) for i in at)
