"""Randomly damaged CSV and Excel deliveries: a clean ReturnsError or a report whose counts add up, never a traceback.

Each example starts from a small clean returns file for the test questionnaire ``mini-v1``
and damages it the way deliveries get damaged: cut short, bytes shuffled, a header name
duplicated, bad cells (``#N/A``, ``tbc``, stray quotes and delimiters), a title above the
header, blank lines, another delimiter or encoding, extra sheets. Then ``read_returns`` and
``validate_returns`` must either refuse with a :class:`ReturnsError` or give a report whose
file counts add up to the lines (or sheet rows) in the file and whose respondent counts add
up to the rows read: nothing lost without a word.
"""

from __future__ import annotations

import io
import random

import openpyxl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from residentsurvey.errors import ReturnsError
from residentsurvey.questionnaire import load_questionnaire
from residentsurvey.returns import read_returns, validate_returns

from .seeded import MINI, seeded_frame

BAD_CELLS = ["#N/A", "#DIV/0!", "#REF!", "tbc", "", " ", "0", "-1", "1e400", '"', 'a "quoted" b', "1,5", "1;5",
             "x\ny", "£5", "9", "R001"]
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def mini():
    return load_questionnaire(MINI)


def _lines(data: bytes) -> int:
    """Physical lines as the CSV reader counts them (LF, CR or CRLF end a line)."""
    text = data.decode("latin-1")
    return len(io.StringIO(text, newline="").readlines())


def _validated(path, data: bytes, mini):
    """The validation report of ``data`` written to ``path``, or ``None`` when reading refused it cleanly."""
    path.write_bytes(data)
    try:
        returns = read_returns(path, mini)
    except ReturnsError as error:
        assert str(path) in str(error)  # the message names the file
        event(f"refused: {str(error).split(': ', 1)[1][:40]}")
        return None
    event("read")
    return validate_returns(returns, mini)


def _check(report, *, file_rows: int | None) -> None:
    counts = report.counts
    respondents = counts[counts["part"] == "respondents"]
    assert respondents["rows"].sum() == report.n_rows
    assert (counts["rows"] >= 0).all()
    if file_rows is not None:
        assert report.file_rows == file_rows, counts.to_string()
        read = counts[(counts["part"] == "file") & counts["item"].str.startswith("respondent rows")]["rows"].sum()
        assert read == report.n_rows
    rows = report.problems["row"].notna()
    assert report.problems.loc[rows, "location"].notna().all()
    assert report.problems["row"].dropna().between(0, report.n_rows - 1).all()
    str(report)


def _clean_rows(n: int) -> list[list[str]]:
    frame = seeded_frame().iloc[:n]
    return [list(frame.columns)] + frame.astype(str).values.tolist()


@st.composite
def damaged_csv(draw) -> bytes:
    rows = _clean_rows(draw(st.integers(1, 6)))
    rnd = random.Random(draw(st.integers(0, 2**32 - 1)))
    if draw(st.booleans()):  # a header name twice
        rows[0][rnd.randrange(len(rows[0]))] = rnd.choice(rows[0])
    for _ in range(draw(st.integers(0, 4))):  # bad cells
        row = rows[rnd.randrange(1, len(rows))]
        row[rnd.randrange(len(row))] = rnd.choice(BAD_CELLS)
    if draw(st.booleans()):  # a title and a blank line above the header
        rows[:0] = [["Resident survey 2026, wave 1"], []]
    if draw(st.booleans()):  # blank lines among the respondents
        rows.insert(rnd.randrange(1, len(rows) + 1), [])
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    out = io.StringIO()
    import csv
    csv.writer(out, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))).writerows(rows)
    data = out.getvalue().encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"])), errors="replace")
    if draw(st.booleans()):  # cut short
        data = data[:draw(st.integers(0, len(data)))]
    if draw(st.booleans()):  # bytes shuffled in a window
        start = draw(st.integers(0, max(len(data) - 1, 0)))
        window = bytearray(data[start:start + draw(st.integers(2, 12))])
        rnd.shuffle(window)
        data = data[:start] + bytes(window) + data[start + len(window):]
    return data


@SETTINGS
@given(damaged_csv())
def test_damaged_csv_is_refused_cleanly_or_fully_counted(tmp_path, mini, data: bytes) -> None:
    report = _validated(tmp_path / "returns.csv", data, mini)
    if report is not None:
        _check(report, file_rows=None if data.startswith((b"\xff\xfe", b"\xfe\xff")) else _lines(data))


@st.composite
def damaged_workbook(draw) -> tuple[bytes, int]:
    rnd = random.Random(draw(st.integers(0, 2**32 - 1)))
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for s in range(draw(st.integers(1, 3))):
        sheet = workbook.create_sheet(f"S{s}")
        kind = draw(st.sampled_from(["returns", "returns", "empty", "notes"]))
        rows: list[list] = []
        if kind == "returns":
            rows = _clean_rows(draw(st.integers(0, 5)))
            rows[1:] = [[int(v) if v.isdigit() else v for v in r] for r in rows[1:]]
            if draw(st.booleans()):
                rows[0][rnd.randrange(len(rows[0]))] = rnd.choice(rows[0])
            for _ in range(draw(st.integers(0, 3))):
                if len(rows) > 1:
                    row = rows[rnd.randrange(1, len(rows))]
                    row[rnd.randrange(len(row))] = rnd.choice(BAD_CELLS)
            if draw(st.booleans()):
                rows[:0] = [["Resident survey 2026"], [None]]
            if draw(st.booleans()):
                rows.insert(rnd.randrange(1, len(rows) + 1), [None])
        elif kind == "notes":
            rows = [["note"], ["Weighted by the contractor"]]
        for row in rows:
            sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    data = stream.getvalue()
    saved = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    total = sum(1 for sheet in saved.worksheets for _ in sheet.iter_rows())  # rows stored, blank ones too
    if draw(st.integers(0, 4)) == 0:  # a damaged archive
        data = data[:draw(st.integers(0, 10**6)) % (len(data) + 1)]  # zip length varies with its timestamps
        total = -1
    return data, total


@SETTINGS
@given(damaged_workbook())
def test_damaged_workbook_is_refused_cleanly_or_fully_counted(tmp_path, mini, damaged: tuple[bytes, int]) -> None:
    data, total = damaged
    report = _validated(tmp_path / "returns.xlsx", data, mini)
    if report is not None:
        _check(report, file_rows=total if total >= 0 else None)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 3), min_size=1, max_size=30), st.integers(1, 5))
def test_row_locations_give_back_every_line(steps: list[int], first: int) -> None:
    """However rows are spread over lines (blank lines, quoted line breaks), locate() names each row's own line."""
    import numpy as np

    from residentsurvey.returns._log import ReadLog, runs

    places = first + np.cumsum([0] + steps[1:])
    log = ReadLog("f.csv", "line", runs(places), len(places))
    assert log.locate(np.arange(len(places))).tolist() == [f"line {p}" for p in places]
    assert len(log.starts) == 1 + sum(s != 1 for s in steps[1:])  # one run per gap, not per row
