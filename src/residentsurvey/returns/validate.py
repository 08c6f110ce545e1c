"""``rs.validate_returns``: check a returns file against its questionnaire, without changing it."""

from __future__ import annotations

import pandas as pd

from ..errors import ReturnsError
from ..questionnaire.load import SHIPPED, load_questionnaire
from ..questionnaire.model import MODES, Questionnaire
from . import checks
from .report import PROBLEM_COLUMNS, ValidationReport


def validate_returns(df: pd.DataFrame, questionnaire: Questionnaire) -> ValidationReport:
    """Check returns against a questionnaire and list every problem found.

    Parameters
    ----------
    df
        One row per respondent, as read by :func:`~residentsurvey.read_returns` (or any
        DataFrame: codes may be numbers or the labels of the code frame). Never changed.
    questionnaire
        The questionnaire the returns should follow.

    Returns
    -------
    ValidationReport
        Every problem (row, respondent id, column, value, check, severity, message), from the
        checks in :data:`~residentsurvey.returns.checks.CHECKS`: missing and unexpected
        columns, another questionnaire version, survey mode, missing and duplicate ids, .sav
        value labels, unreadable answers, codes outside the frame, numbers out of range,
        missing required answers, routing violations both ways and straight-lining in grids.

    Raises
    ------
    ReturnsError
        If ``df`` is not a DataFrame or ``questionnaire`` not a Questionnaire.

    Notes
    -----
    Routing is evaluated per respondent with three values: a condition on an answer the
    respondent left blank is *unknown*, and unknown routing is never flagged. Another version
    is recognised from ``df.attrs["questionnaire"]`` (set from a .sav file label), from the
    questionnaire's ``version_field`` column, or when the columns fit another shipped version
    of the same questionnaire exactly.

    Examples
    --------
    >>> import residentsurvey as rs
    >>> from residentsurvey.questionnaire import load_questionnaire
    >>> from residentsurvey.returns import validate_returns
    >>> report = validate_returns(rs.demo_consortium(wave=1), load_questionnaire("core-v1"))
    >>> report.clean
    True
    >>> validate_returns(rs.demo_consortium(wave=2), load_questionnaire("core-v1")).summary()["check"].tolist()
    ['missing_column', 'unexpected_column', 'questionnaire_version']
    """
    if not isinstance(df, pd.DataFrame):
        raise ReturnsError(f"validate_returns needs the returns as a pandas DataFrame; got {type(df).__name__}.")
    if not isinstance(questionnaire, Questionnaire):
        raise ReturnsError("validate_returns needs a Questionnaire (rs.load_questionnaire('core-v1') or a path); "
                           f"got {type(questionnaire).__name__}.")
    if not df.columns.is_unique:
        duplicated = df.columns[df.columns.duplicated()].tolist()
        raise ReturnsError(f"the returns have duplicate column names {duplicated}; rename them before validating.")
    ctx = checks.build_context(df, questionnaire)
    file_mode = df.attrs.get("mode")
    problems = (checks.columns(ctx) + _version(ctx) + checks.mode(ctx, file_mode) + checks.respondent_ids(ctx)
                + checks.value_labels(ctx, list(df.attrs.get("value_label_problems", [])))
                + checks.answers(ctx) + checks.routing(ctx) + checks.straight_lining(ctx))
    table = pd.DataFrame(problems, columns=list(PROBLEM_COLUMNS))
    table["row"] = table["row"].astype("Int64")
    table["value"] = table["value"].astype(object)
    order = list(checks.CHECKS)
    position = {c: i for i, c in enumerate(questionnaire.expected_columns)}
    table = table.assign(_file=table["row"].isna(), _check=table["check"].map(order.index),
                         _column=table["column"].map(lambda c: position.get(c, len(position))))
    table = (table.sort_values(["_file", "row", "_check", "_column"], ascending=[False, True, True, True],
                               kind="stable").drop(columns=["_file", "_check", "_column"]).reset_index(drop=True))
    if questionnaire.mode_field and questionnaire.mode_field in df.columns:
        modes = tuple(str(m) for m in pd.unique(df[questionnaire.mode_field].dropna().astype(object)))
    else:
        modes = (file_mode,) if file_mode in MODES else ()
    return ValidationReport(questionnaire.name, questionnaire.sha256, len(df), len(df.columns), modes, table,
                            df.attrs.get("source"))


def _version(ctx: checks.Context) -> list[dict]:
    q = ctx.q
    claimed = ctx.df.attrs.get("questionnaire")
    if isinstance(claimed, str) and claimed != q.name:
        return [ctx.problem("questionnaire_version", value=claimed,
                            message=f"the returns say they follow {claimed}, but are checked against {q.name}.")]
    if q.version_field and q.version_field in ctx.df.columns:
        values = ctx.df[q.version_field]
        accepted = {q.name, str(q.version), f"v{q.version}", f"{q.version}.0"}
        wrong = values.notna().to_numpy() & ~values.astype(str).isin(accepted).to_numpy()
        if wrong.any():
            found = pd.unique(values[wrong].astype(str))
            if wrong.all():
                return [ctx.problem("questionnaire_version", column=q.version_field, value=found[0] if len(found) == 1
                                    else ", ".join(found), message=f"every row records questionnaire version "
                                    f"{', '.join(found)}, but the returns are checked against {q.name}.")]
            return [ctx.problem("questionnaire_version", row=int(row), column=q.version_field,
                                value=values.iloc[row], message=f"this row records questionnaire version "
                                f"{values.iloc[row]!r}; the returns are checked against {q.name}.")
                    for row in wrong.nonzero()[0]]
    columns = set(map(str, ctx.df.columns))
    if columns == set(q.expected_columns) - {q.mode_field} or columns == set(q.expected_columns):
        return []
    for path in sorted(SHIPPED.glob(f"{q.id}-v*.yaml")):
        other = load_questionnaire(path)
        if other.name != q.name and other.id == q.id and columns in (
                set(other.expected_columns), set(other.expected_columns) - {other.mode_field}):
            return [ctx.problem("questionnaire_version", value=other.name,
                                message=f"the columns fit {other.name} exactly, not {q.name}: were the returns "
                                        f"checked against the wrong version?")]
    return []
