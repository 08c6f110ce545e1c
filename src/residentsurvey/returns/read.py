"""``rs.read_returns``: a contractor's returns file (.sav, .csv, .xlsx, .parquet) as a DataFrame.

Reading keeps every value: ids stay text, answers become numbers only when every value of the
column is a number (otherwise the text is kept for validation to report), nothing is
recoded. Codes' labels and question wordings go into ``df.attrs``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import OptionError, ReturnsError
from ..questionnaire.model import MODES, Questionnaire
from . import _sniff
from ._log import ReadLog
from .labels import to_codes


@dataclass(frozen=True)
class ReadOptions:
    """How to read a file beyond its type: which workbook sheets, and where the header is."""

    sheets: str | Sequence[str] | None = None
    header_row: int | None = None


Reader = Callable[[Path, Questionnaire, ReadOptions], tuple[pd.DataFrame, dict]]


def _need(module: str, suffix: str) -> None:
    try:
        __import__(module)
    except ImportError as error:
        raise ReturnsError(f"reading {suffix} files needs the {module} package, which is not installed: "
                           f"pip install {module}.") from error


def _read_csv(path: Path, q: Questionnaire, options: ReadOptions) -> tuple[pd.DataFrame, dict]:
    from ._csv import read_csv

    return read_csv(path, q, header_row=options.header_row)


def _read_xlsx(path: Path, q: Questionnaire, options: ReadOptions) -> tuple[pd.DataFrame, dict]:
    _need("openpyxl", ".xlsx")
    from ._excel import read_xlsx

    return read_xlsx(path, q, sheets=options.sheets, header_row=options.header_row)


def _read_parquet(path: Path, q: Questionnaire, options: ReadOptions) -> tuple[pd.DataFrame, dict]:
    try:
        _need("pyarrow", ".parquet")
    except ReturnsError:
        _need("fastparquet", ".parquet")
    return pd.read_parquet(path), {}


def _read_sav(path: Path, q: Questionnaire, options: ReadOptions) -> tuple[pd.DataFrame, dict]:
    from .sav import read_sav

    return read_sav(path, q)


#: File types read_returns understands, by suffix.
READERS: dict[str, Reader] = {".sav": _read_sav, ".csv": _read_csv, ".xlsx": _read_xlsx, ".parquet": _read_parquet}
#: How a person finds a row in each type of file (see :class:`~residentsurvey.returns._log.ReadLog`).
UNITS = {".sav": "case", ".csv": "line", ".xlsx": "row", ".parquet": "record"}


def _numeric(column: pd.Series) -> pd.Series:
    """The column as Int64 (or float64) if every value is a number; otherwise unchanged."""
    if isinstance(column.dtype, pd.CategoricalDtype) or pd.api.types.is_bool_dtype(column.dtype):
        return column
    if pd.api.types.is_numeric_dtype(column.dtype):
        values = column
    else:
        values = pd.to_numeric(column, errors="coerce")  # spaces around a number are allowed
        if (values.isna() & column.notna()).any():
            return column
    floats = values.astype("float64")
    if np.isinf(floats).any():
        return column
    finite = floats.dropna()
    if (finite == np.round(finite)).all() and (finite.abs() < 2**53).all():
        return floats.astype("Int64")
    return floats


def read_returns(path: str | PathLike[str], questionnaire: Questionnaire, *, mode: str | None = None,
                 sheets: str | Sequence[str] | None = None, header_row: int | None = None) -> pd.DataFrame:
    """Read a returns file into a DataFrame with codes kept and labels attached.

    Parameters
    ----------
    path
        A ``.sav`` (SPSS, via pyreadstat), ``.csv``, ``.xlsx`` (needs openpyxl) or
        ``.parquet`` (needs pyarrow) file, one row per respondent.
    questionnaire
        The questionnaire the returns follow; its code frames label the codes.
    mode
        The survey mode of the whole file (one of :data:`~residentsurvey.questionnaire.MODES`)
        when the file has no mode column: it is added as the questionnaire's ``mode_field``.
    sheets
        For a workbook: the sheet (or sheets, stacked) holding the returns. By default every
        sheet with data is read, and sheets with the same columns are stacked with a
        ``source_sheet`` column; sheets whose columns differ are refused, naming each.
    header_row
        The line (CSV) or sheet row (Excel) of the header, 1-based. By default it is the row
        near the top naming most of the questionnaire's columns; title rows above it are
        skipped and named in the validation report.

    Returns
    -------
    pandas.DataFrame
        Answers as ``Int64`` codes (``float64`` for fractional numbers; text kept where a
        column holds anything but numbers, for validation to report), the respondent id as
        text. ``attrs``: ``source``, ``format``, ``questionnaire`` (when a .sav file label
        names one), ``mode``, ``value_labels`` and ``variable_labels`` (from the questionnaire),
        ``value_label_problems`` (.sav labels that disagree with the code frame) and
        ``reading`` (where each row is in the file, notes and problems found while reading,
        and counts accounting for every line, for :func:`~residentsurvey.validate_returns`).

    Raises
    ------
    ReturnsError
        If the file is missing, empty, of an unknown type, really of another type than its
        suffix says (an .xlsx saved as .csv), unreadable, has duplicate or unnamed columns
        holding answers, has several sheets with different columns and no ``sheets``, or
        needs a package that is not installed; or ``mode`` disagrees with the file's own
        mode column.

    Examples
    --------
    >>> import tempfile, pathlib, residentsurvey as rs
    >>> from residentsurvey.questionnaire import load_questionnaire
    >>> from residentsurvey.returns import read_returns, validate_returns
    >>> q = load_questionnaire("core-v1")
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "returns.csv"
    >>> rs.demo_consortium().head(50).to_csv(path, index=False)
    >>> returns = read_returns(path, q)
    >>> returns["q_trust"].dtype, returns.attrs["value_labels"]["q_trust"][1]
    (Int64Dtype(), 'A great deal')
    >>> validate_returns(returns, q).clean
    True
    """
    if not isinstance(questionnaire, Questionnaire):
        raise ReturnsError(f"read_returns needs a Questionnaire (rs.load_questionnaire(...)); got "
                           f"{type(questionnaire).__name__}.")
    if mode is not None and mode not in MODES:
        raise OptionError.unknown("mode", mode, MODES)
    if not isinstance(path, (str, PathLike)):
        raise ReturnsError(f"path must be a file path; got {type(path).__name__}.")
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in READERS:
        raise ReturnsError(f"{file}: cannot read {suffix or 'files without a suffix'!r} returns; use one of "
                           f"{', '.join(READERS)}.")
    if not file.is_file():
        raise ReturnsError(f"{file}: no such returns file.")
    if sheets is not None and suffix != ".xlsx":
        raise ReturnsError(f"{file}: sheets={sheets!r} applies only to .xlsx workbooks; leave it out.")
    if header_row is not None and (suffix not in (".csv", ".xlsx") or isinstance(header_row, bool)
                                   or not isinstance(header_row, int) or header_row < 1):
        raise ReturnsError(f"{file}: header_row must be a line or sheet row number (1 or more) of a .csv or .xlsx "
                           f"file; got {header_row!r}.")
    _sniff.check_type(file, suffix)
    try:
        df, attrs = READERS[suffix](file, questionnaire, ReadOptions(sheets, header_row))
    except ReturnsError:
        raise
    except Exception as error:  # any reader failure becomes our error, with its cause kept
        raise ReturnsError(f"{file}: cannot be read as {suffix} ({type(error).__name__}: {error}).") from error
    df.columns = [str(c) for c in df.columns]
    if not len(df):
        raise ReturnsError(f"{file}: there are no respondents in it (only a header with {len(df.columns)} columns): "
                           f"an empty delivery; ask the contractor to export the returns again.")
    numeric = {c for c, question in questionnaire.item_columns.items() if question.type != "text"}
    numeric |= {f.id for f in questionnaire.sample_fields if f.numeric}
    for column in df.columns:
        if suffix in (".sav", ".parquet") and (pd.api.types.is_object_dtype(df[column].dtype)
                                               or pd.api.types.is_string_dtype(df[column].dtype)):
            blank = df[column].eq("").fillna(False).to_numpy(dtype=bool)  # SPSS writes blank text as ""
            if blank.any():
                df[column] = df[column].where(~blank)
        if column in numeric:
            df[column] = _numeric(df[column])
        elif column == questionnaire.respondent_id and not pd.api.types.is_string_dtype(df[column].dtype):
            df[column] = df[column].map(lambda v: v if pd.isna(v) else str(int(v)) if isinstance(v, float)
                                        and v.is_integer() else str(v)).astype(object)
    field = questionnaire.mode_field
    if mode is not None and field:
        if field in df.columns:
            recorded = set(df[field].dropna().astype(str))
            if recorded - {mode}:
                raise ReturnsError(f"{file}: the file records mode(s) {', '.join(sorted(recorded))} in {field!r}, "
                                   f"but mode={mode!r} was given; leave mode out to keep the file's own.")
        else:
            df[field] = mode
    df = to_codes(df, questionnaire)  # one internal form, whatever the file: codes of the frames
    present = {q.id: q for q in questionnaire.questions if set(q.columns) & set(df.columns)}
    attrs.setdefault("reading", ReadLog.consecutive(str(file), UNITS[suffix], len(df)))
    df.attrs = {"source": str(file), "format": suffix.lstrip("."), "mode": mode, **attrs,
                "value_labels": {i: q.value_labels() for i, q in present.items() if q.codes or q.type == "scale"},
                "variable_labels": {i: q.wording or "" for i, q in present.items()}}
    return df
