"""Codes and labels, one truth: every returns file reaches the same internal form.

**The decision: answers are codes; labels live in the questionnaire.** Whatever a contractor
delivers (a .sav file with codes and value labels, a CSV or Excel file with codes, or one with
the labels spelt out, as the demo's ``age_band``), :func:`to_codes` turns every coded answer
column into ``Int64`` codes of the questionnaire's code frame. Labels are looked up in the
questionnaire wherever they are shown or matched (calibration targets given by label, the value
labels of a written .sav, the codebook).

Why codes rather than labelled categoricals: the questionnaire is versioned and hashed, so it is
the one place a label can be trusted (a copy of the labels in every DataFrame can drift from it,
and pandas drops or merges categories on concat); validation, routing, scoring and indicators
all compute on codes; "don't know" and "refused" are codes the questionnaire declares, which
must stay visible to be counted out of a base (:func:`mask_missing_codes`); a scale answer must
stay a number to be averaged; and codes are what SPSS stores.

A column holding text that is neither a number nor a label of its frame is left as it is, so
validation can point at the offending value; nothing is dropped or guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ReturnsError
from ..questionnaire.model import Question, Questionnaire
from ..questionnaire.values import as_codes

#: Question types whose answers are codes (or numbers) rather than free text.
CODED_TYPES = ("single", "multiple", "scale", "numeric")
#: Columns of :attr:`MissingCodes.counts`.
MISSING_COUNT_COLUMNS = ("column", "code", "label", "kind", "n")


def _whole(values: np.ndarray) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """Float codes as Int64 when every one is whole (NaN becomes <NA>); float64 otherwise."""
    finite = values[~np.isnan(values)]
    if (finite == np.round(finite)).all() and (np.abs(finite) < 2**53).all():
        return pd.array(values, dtype="Float64").astype("Int64")
    return values


def to_codes(returns: pd.DataFrame, questionnaire: Questionnaire) -> pd.DataFrame:
    """The returns with every coded answer as a code of the questionnaire's frame.

    Single-choice, multiple-choice, scale and numeric answers become ``Int64`` (``float64``
    where a number has a fraction), whether the file held codes (``2``, ``"2"``, ``2.0``) or the
    labels of the code frame (``"Female"``, case and surrounding spaces ignored). A column with
    any value that is neither is returned unchanged, so that validation reports it. Other
    columns (ids, sample fields, text answers) are untouched, and so is ``returns``.

    Parameters
    ----------
    returns
        One row per respondent, e.g. as read from any file by :func:`~residentsurvey.read_returns`
        (which calls this), or :func:`~residentsurvey.demo_consortium`.
    questionnaire
        The questionnaire whose code frames translate labels.

    Returns
    -------
    pandas.DataFrame
        A new DataFrame with the same rows and columns (and ``attrs``).

    Examples
    --------
    >>> import pandas as pd, residentsurvey as rs
    >>> q = rs.load_questionnaire("core-v1")
    >>> rs.to_codes(pd.DataFrame({"sex": ["Female", " male ", None], "age_band": ["16-34", "3", "75+"]}), q)
        sex  age_band
    0     1         1
    1     2         3
    2  <NA>         4
    """
    if not isinstance(returns, pd.DataFrame):
        raise ReturnsError(f"to_codes needs the returns as a pandas DataFrame; got {type(returns).__name__}.")
    if not isinstance(questionnaire, Questionnaire):
        raise ReturnsError(f"to_codes needs a Questionnaire (rs.load_questionnaire(...)); got "
                           f"{type(questionnaire).__name__}.")
    out = returns.copy(deep=False)  # columns are replaced, never changed in place: the input stays as it was
    items = questionnaire.item_columns
    for column in returns.columns:
        question = items.get(str(column))
        if question is None or question.type not in CODED_TYPES:
            continue
        series = returns[column]
        if pd.api.types.is_integer_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
            out[column] = series.astype("Int64")
            continue
        codes, unreadable = as_codes(series, question)
        if unreadable.any() or np.isinf(codes).any():
            continue  # kept as found: validation names the row and the value
        out[column] = _whole(codes)
    return out


def target_labels(questionnaire: Questionnaire) -> dict[str, dict[int, str]]:
    """``{column: {code: label}}`` for every single-choice and scale question: what label targets may use."""
    return {q.id: q.value_labels() for q in questionnaire.questions if q.type in ("single", "scale")}


def code_of(value: object, labels: Mapping[int, str]) -> int | None:
    """The code a target category names, by label (case and spaces ignored) or by code; None if neither.

    Examples
    --------
    >>> code_of("fEmale ", {1: "Female", 2: "Male"}), code_of("2", {1: "Female", 2: "Male"}), code_of(3, {1: "F"})
    (1, 2, None)
    """
    if isinstance(value, str):
        text = value.strip().casefold()
        for code, label in labels.items():
            if str(label).strip().casefold() == text:
                return int(code)
        try:
            number = float(text)
        except ValueError:
            return None
    elif isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        number = float(value)
    else:
        return None
    return int(number) if number.is_integer() and int(number) in {int(c) for c in labels} else None


@dataclass(frozen=True)
class MissingCodes:
    """Returns with declared missing codes set to missing, and how many there were.

    Attributes
    ----------
    data
        The returns (as codes) with every don't know / refused / not applicable code of the
        chosen columns replaced by ``<NA>``.
    counts
        One row per column and declared missing code: ``column``, ``code``, ``label``,
        ``kind`` (``dont_know``, ``refused``, ``not_applicable``) and ``n`` (answers set to
        missing, 0 when none).
    questionnaire
        The questionnaire that declared them (``name``).
    """

    data: pd.DataFrame
    counts: pd.DataFrame
    questionnaire: str

    @property
    def total(self) -> int:
        """Answers set to missing, over every column."""
        return int(self.counts["n"].sum())

    def describe(self) -> str:
        """One line per column with answers set to missing, e.g. ``q_trust: 115 (9 Don't know)``."""
        found = self.counts[self.counts["n"] > 0]
        if found.empty:
            return f"No answer holds a missing code declared in {self.questionnaire}."
        lines = [f"Left out of the base as {self.questionnaire} declares ({self.total:,} answers):"]
        for column, rows in found.groupby("column", sort=False):
            parts = ", ".join(f"{r.n:,} x {r.code} {r.label}" for r in rows.itertuples(index=False))
            lines.append(f"  {column}: {parts}")
        return "\n".join(lines)


def mask_missing_codes(returns: pd.DataFrame, questionnaire: Questionnaire, *,
                       columns: list[str] | None = None) -> MissingCodes:
    """Set the codes a questionnaire declares as missing (don't know, refused, ...) to missing, counting them.

    Estimators then leave those answers out of every base, as the questionnaire says, and
    :attr:`MissingCodes.counts` says how many answers each column lost, so nothing goes
    silently. The returns are first put in codes (:func:`to_codes`), so labels such as
    ``"Don't know"`` count too.

    Parameters
    ----------
    returns
        One row per respondent. Not changed.
    questionnaire
        Declares the missing codes of each question (``missing:`` in its YAML).
    columns
        Only these question columns (default: every question column in ``returns``).

    Returns
    -------
    MissingCodes
        ``data``, ``counts`` (column, code, label, kind, n) and the questionnaire name.

    Raises
    ------
    ReturnsError
        If a column in ``columns`` is not in the returns or is not a question of the
        questionnaire.

    Examples
    --------
    >>> import residentsurvey as rs
    >>> q = rs.load_questionnaire("core-v1")
    >>> masked = rs.mask_missing_codes(rs.demo_consortium(wave=1), q, columns=["q_trust"])
    >>> masked.counts[["column", "code", "label", "n"]].values.tolist()
    [['q_trust', 9, "Don't know", 373]]
    >>> int(masked.data["q_trust"].isna().sum()) - int(rs.demo_consortium(wave=1)["q_trust"].isna().sum())
    373
    """
    items = questionnaire.item_columns if isinstance(questionnaire, Questionnaire) else {}
    chosen = [c for c in returns.columns if c in items] if columns is None else list(columns)
    for column in chosen:
        if column not in returns.columns:
            raise ReturnsError(f"column {column!r} is not in the returns; columns are {list(returns.columns)[:20]}.")
        if column not in items:
            raise ReturnsError(f"column {column!r} is not a question of {questionnaire.name}, so it declares no "
                               "missing codes; leave it out of columns.")
    data = to_codes(returns, questionnaire)
    rows = []
    for column in chosen:
        question: Question = items[column]
        declared = question.missing_codes
        if not declared or question.type not in CODED_TYPES or not pd.api.types.is_numeric_dtype(data[column].dtype):
            continue
        values = data[column].to_numpy(dtype="float64", na_value=np.nan)
        hit = np.isin(values, list(declared))
        found = pd.Series(values[hit]).value_counts()
        for code, kind in declared.items():
            rows.append({"column": column, "code": int(code), "label": question.labels.get(code, ""),
                         "kind": kind, "n": int(found.get(float(code), 0))})
        if hit.any():
            data[column] = data[column].mask(hit)
    counts = pd.DataFrame(rows, columns=list(MISSING_COUNT_COLUMNS)).astype({"n": "int64"})
    return MissingCodes(data, counts, questionnaire.name)
