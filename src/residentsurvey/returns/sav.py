"""SPSS .sav files: reading with value labels checked against the code frame, and writing labelled files."""

from __future__ import annotations

import re
from collections.abc import Mapping
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ReturnsError
from ..questionnaire.model import Questionnaire
from ..questionnaire.values import as_codes

_FILE_LABEL = re.compile(r"^([a-z][a-z0-9_]*-v\d+)\b")


def _norm(label: object) -> str:
    return re.sub(r"\s+", " ", str(label)).strip().casefold().replace("\u2019", "'")


def read_sav(path: Path, q: Questionnaire) -> tuple[pd.DataFrame, dict]:
    """Read a .sav file keeping user-missing codes (don't know stays 9), and compare its labels with the frames."""
    import pyreadstat

    df, meta = pyreadstat.read_sav(str(path), user_missing=True, apply_value_formats=False)
    problems = []
    for column, labels in (meta.variable_value_labels or {}).items():
        question = q.item_columns.get(column)
        if question is None or question.type == "multiple":
            continue
        frame = question.value_labels()
        for code, label in sorted(labels.items(), key=lambda kv: float(kv[0])):
            key = int(code) if float(code).is_integer() else code
            expected = frame.get(key) if isinstance(key, int) else None
            if expected is None or _norm(expected) != _norm(label):
                problems.append({"column": column, "code": key, "file_label": str(label),
                                 "frame_label": expected if expected is not None else "(not in the code frame)"})
    attrs: dict = {"value_label_problems": problems, "file_label": meta.file_label or ""}
    match = _FILE_LABEL.match(meta.file_label or "")
    if match:
        attrs["questionnaire"] = match.group(1)
    return df, attrs


def write_sav(df: pd.DataFrame, path: str | PathLike[str], questionnaire: Questionnaire, *,
              variable_labels: Mapping[str, str] | None = None) -> None:
    """Write returns as an SPSS .sav file labelled from the questionnaire.

    Answers are written as codes (labels in the data, such as the demo's ``age_band``, are
    turned into their codes), with value labels from each code frame, the question wording
    as the variable label, don't know / refused / not applicable codes declared as SPSS
    user-missing values, and ``"<questionnaire>-v<version> <sha256>"`` as the file label so
    :func:`~residentsurvey.read_returns` knows the version. Other columns are written as they
    are (categories as text).

    Parameters
    ----------
    df
        Returns, e.g. from :func:`~residentsurvey.read_returns`. Not changed.
    path
        The ``.sav`` file to write.
    questionnaire
        The questionnaire the returns follow.
    variable_labels
        Labels of other columns, e.g. ``{"weight": "Calibrated weight (raking)"}``; sample
        fields otherwise get their questionnaire description as label.

    Raises
    ------
    ReturnsError
        If an answer is text that is neither a number nor a label of its code frame
        (validate first), or pyreadstat cannot write the file.

    Examples
    --------
    >>> import tempfile, pathlib, residentsurvey as rs
    >>> from residentsurvey.questionnaire import load_questionnaire
    >>> from residentsurvey.returns import read_returns, write_sav
    >>> q = load_questionnaire("core-v1")
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "wave1.sav"
    >>> write_sav(rs.demo_consortium().head(20), path, q)
    >>> back = read_returns(path, q)
    >>> back.attrs["questionnaire"], int(back["sex"].iloc[0]) in (1, 2)
    ('core-v1', True)
    """
    import pyreadstat

    out: dict[str, object] = {}
    value_labels: dict[str, dict] = {}
    column_labels: dict[str, str] = {}
    missing: dict[str, list] = {}
    measure: dict[str, str] = {}
    items = questionnaire.item_columns
    described = {f.id: f.description for f in questionnaire.sample_fields if f.description}
    extra = dict(variable_labels or {})
    for column in df.columns:
        name = str(column)
        series = df[column]
        question = items.get(name)
        if question is not None and question.type != "text":
            codes, unreadable = as_codes(series, question)
            if unreadable.any():
                row = int(np.flatnonzero(unreadable)[0])
                raise ReturnsError(f"{name}: row {row} holds {_plain(series.iloc[row])!r}, which is not a code of "
                                   f"{question.id}; validate the returns before writing a .sav file.")
            out[name] = codes
            if question.type == "multiple":
                code = int(name.rsplit("_", 1)[1])
                value_labels[name] = {0: "Not mentioned", 1: question.labels[code]}
            else:
                value_labels[name] = {float(k): v for k, v in question.value_labels().items()}
                user_missing = list(question.missing_codes)[:3]
                if user_missing:
                    missing[name] = [float(c) for c in user_missing]
            column_labels[name] = (question.wording or question.id)[:255]
            measure[name] = "scale" if question.type in ("numeric", "scale") else "nominal"
        elif pd.api.types.is_bool_dtype(series.dtype):
            out[name] = series.astype("float64").to_numpy()
        elif pd.api.types.is_numeric_dtype(series.dtype) and not isinstance(series.dtype, pd.CategoricalDtype):
            out[name] = series.to_numpy(dtype="float64", na_value=np.nan)
        else:
            out[name] = series.astype(object).where(series.notna(), None).to_numpy(dtype=object)
        if name in extra or (question is None and name in described):
            column_labels[name] = str(extra.get(name, described.get(name)))[:255]
    frame = pd.DataFrame(out)
    for name, values in frame.items():
        if values.dtype == object:
            frame[name] = values.map(lambda v: "" if v is None else str(v)).astype(object)
    label = f"{questionnaire.name} {questionnaire.sha256[:12]}"
    try:
        pyreadstat.write_sav(frame, str(path), file_label=label, column_labels=column_labels,
                             variable_value_labels=value_labels, missing_ranges=missing, variable_measure=measure)
    except Exception as error:  # pyreadstat raises its own error types
        raise ReturnsError(f"{path}: cannot write the .sav file ({type(error).__name__}: {error}).") from error


def _plain(value: object) -> object:
    """numpy scalars as Python values, for messages."""
    return value.item() if isinstance(value, np.generic) else value
