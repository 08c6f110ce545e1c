"""``rs.validate_returns``: check a returns file against its questionnaire, without changing it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ReturnsError
from ..questionnaire.load import SHIPPED, load_questionnaire
from ..questionnaire.model import MODES, Questionnaire, did_you_mean
from . import checks
from ._log import ReadLog
from .report import COUNT_COLUMNS, PROBLEM_COLUMNS, ValidationReport


#: Respondents' statuses in :attr:`ValidationReport.counts`, in the order they are decided (first wins).
RESPONDENT_COUNTS = ("design weight not a number", "design weight missing", "design weight negative or infinite",
                     "design weight zero", "no answer to any question", "in the analysis")


def weight_column(questionnaire: Questionnaire) -> str | None:
    """The design-weight column ``weights="auto"`` checks: a numeric sample field named ``*weight``.

    ``design_weight`` is preferred when several are declared; ``None`` when there is none.

    Examples
    --------
    >>> from residentsurvey.questionnaire import load_questionnaire
    >>> weight_column(load_questionnaire("core-v1"))
    'design_weight'
    """
    found = [f.id for f in questionnaire.sample_fields if f.numeric and f.id.endswith("weight")]
    return "design_weight" if "design_weight" in found else (found[0] if found else None)


def validate_returns(df: pd.DataFrame, questionnaire: Questionnaire, *, weights: str | None = "auto"
                     ) -> ValidationReport:
    """Check returns against a questionnaire, list every problem found and account for every row.

    Parameters
    ----------
    df
        One row per respondent, as read by :func:`~residentsurvey.read_returns` (or any
        DataFrame: codes may be numbers or the labels of the code frame). Never changed.
    questionnaire
        The questionnaire the returns should follow.
    weights
        The design-weight column: respondents whose weight is missing, not a number,
        negative, infinite or zero are in no estimate, and are reported and counted.
        ``"auto"`` (the default) takes the questionnaire's numeric sample field named
        ``design_weight`` (or the first named ``*weight``); ``None`` checks no weight.

    Returns
    -------
    ValidationReport
        Every problem (row, location in the file, respondent id, column, value, check,
        severity, message), from the checks in :data:`~residentsurvey.returns.checks.CHECKS`:
        another questionnaire version, lines cut short, missing and unexpected columns (with
        "did you mean"), survey mode, missing and duplicate ids, .sav value labels, spreadsheet
        error values, unreadable answers and numeric sample fields, codes outside the frame,
        numbers out of range, unusable and zero design weights, respondents who answered
        nothing, missing required answers, routing violations both ways and straight-lining.
        ``notes`` say what reading did (another encoding, a delimiter, title rows skipped,
        sheets stacked); ``counts`` account for every line of the file and every respondent.

    Raises
    ------
    ReturnsError
        If ``df`` is not a DataFrame or ``questionnaire`` not a Questionnaire, ``weights``
        names no column of ``df``, or ``df`` has duplicate column names.

    Notes
    -----
    Routing is evaluated per respondent with three values: a condition on an answer the
    respondent left blank is *unknown*, and unknown routing is never flagged. Another version
    is recognised from ``df.attrs["questionnaire"]`` (set from a .sav file label), from the
    questionnaire's ``version_field`` column, or when the columns fit another shipped version
    of the same questionnaire exactly or far better. Problems with the whole file come first,
    errors before warnings, then problems of rows in file order.

    Examples
    --------
    >>> import residentsurvey as rs
    >>> from residentsurvey.questionnaire import load_questionnaire
    >>> from residentsurvey.returns import validate_returns
    >>> report = validate_returns(rs.demo_consortium(wave=1), load_questionnaire("core-v1"))
    >>> report.clean
    True
    >>> validate_returns(rs.demo_consortium(wave=2), load_questionnaire("core-v1")).summary()["check"].tolist()
    ['questionnaire_version', 'missing_column', 'unexpected_column']
    """
    if not isinstance(df, pd.DataFrame):
        raise ReturnsError(f"validate_returns needs the returns as a pandas DataFrame; got {type(df).__name__}.")
    if not isinstance(questionnaire, Questionnaire):
        raise ReturnsError("validate_returns needs a Questionnaire (rs.load_questionnaire('core-v1') or a path); "
                           f"got {type(questionnaire).__name__}.")
    if not df.columns.is_unique:
        duplicated = df.columns[df.columns.duplicated()].tolist()
        raise ReturnsError(f"the returns have duplicate column names {duplicated}; rename them before validating.")
    weight = _weight(weights, df, questionnaire)
    log = df.attrs.get("reading")
    log = log if isinstance(log, ReadLog) else None
    fits = log is not None and log.n_rows == len(df)
    added = frozenset([log.source_column] if log is not None and log.source_column else [])
    ctx = checks.build_context(df, questionnaire, weight=weight, added=added)
    file_mode = df.attrs.get("mode")
    reading = [ctx.problem(p["check"], row=p["row"], column=p["column"], value=p["value"], message=p["message"])
               for p in (log.problems if fits else ())]
    problems = (_version(ctx) + reading + checks.columns(ctx) + checks.mode(ctx, file_mode)
                + checks.respondent_ids(ctx)
                + checks.value_labels(ctx, list(df.attrs.get("value_label_problems", [])))
                + checks.spreadsheet_errors(ctx) + checks.answers(ctx) + checks.sample_numbers(ctx)
                + checks.weights(ctx) + checks.no_answers(ctx) + checks.routing(ctx) + checks.straight_lining(ctx))
    table = _table(problems, questionnaire, log if fits else None)
    if questionnaire.mode_field and questionnaire.mode_field in df.columns:
        modes = tuple(str(m) for m in pd.unique(df[questionnaire.mode_field].dropna().astype(object)))
    else:
        modes = (file_mode,) if file_mode in MODES else ()
    notes = tuple(log.notes) if log is not None else ()
    if log is not None and not fits:
        notes += (f"the returns have {len(df):,} rows but {log.n_rows:,} were read from {log.source}: they were "
                  f"changed after reading, so problems found while reading and file lines are not shown; validate "
                  f"what read_returns gives.",)
    if weight is None and weights == "auto":
        notes += ("no design weight was checked (the questionnaire declares no numeric *weight sample field); "
                  "pass weights= to check one.",)
    return ValidationReport(questionnaire.name, questionnaire.sha256, len(df), len(df.columns), modes, table,
                            df.attrs.get("source"), notes, _counts(ctx, log if fits else None))


def _weight(weights: object, df: pd.DataFrame, q: Questionnaire) -> str | None:
    if weights == "auto":
        return weight_column(q)
    if weights is None or (isinstance(weights, str) and weights in df.columns):
        return weights
    columns = [str(c) for c in df.columns]
    raise ReturnsError(f"weights={weights!r} is not a column of the returns.{did_you_mean(str(weights), columns)} "
                       f"Give the design-weight column, \"auto\" or None.")


def _table(problems: list[dict], questionnaire: Questionnaire, log: ReadLog | None) -> pd.DataFrame:
    """The problems in order (the whole file first, errors before warnings; then rows), with their locations."""
    table = pd.DataFrame(problems, columns=[c for c in PROBLEM_COLUMNS if c != "location"])
    table["row"] = table["row"].astype("Int64")
    table["value"] = table["value"].astype(object)
    order = list(checks.CHECKS)
    position = {c: i for i, c in enumerate(questionnaire.expected_columns)}
    table = table.assign(_file=table["row"].isna(), _severity=table["severity"].ne("error"),
                         _check=table["check"].map(order.index),
                         _column=table["column"].map(lambda c: position.get(c, len(position))))
    table = table.assign(_severity=table["_severity"].where(table["_file"], False))
    table = (table.sort_values(["_file", "_severity", "row", "_check", "_column"],
                               ascending=[False, True, True, True, True], kind="stable")
             .drop(columns=["_file", "_severity", "_check", "_column"]).reset_index(drop=True))
    location = pd.Series(pd.NA, index=table.index, dtype=object)
    rows = table["row"].notna().to_numpy()
    if log is not None and rows.any():
        location[rows] = log.locate(table["row"][rows].to_numpy(dtype="int64"))
    table.insert(1, "location", location)
    return table


def _counts(ctx: checks.Context, log: ReadLog | None) -> pd.DataFrame:
    """Every line of the file and every respondent, each counted once (see :data:`RESPONDENT_COUNTS`)."""
    rows = []
    if log is not None:
        rows += [{"part": "file", "item": item, "rows": int(n)} for item, n in log.counts]
    n = len(ctx.df)
    status = checks.weight_status(ctx)
    nothing = checks.answered_nothing(ctx)
    masks = [status["text"], status["missing"], status["bad"], status["zero"]] if status is not None else \
        [np.zeros(n, dtype=bool)] * 4
    masks.append(nothing if nothing is not None else np.zeros(n, dtype=bool))
    taken = np.zeros(n, dtype=bool)
    for item, mask in zip(RESPONDENT_COUNTS, masks):
        rows.append({"part": "respondents", "item": item, "rows": int((mask & ~taken).sum())})
        taken |= mask
    rows.append({"part": "respondents", "item": RESPONDENT_COUNTS[-1], "rows": int((~taken).sum())})
    return pd.DataFrame(rows, columns=list(COUNT_COLUMNS))


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
    columns = set(map(str, ctx.df.columns)) - ctx.added

    def differences(other: Questionnaire) -> int:
        expected = set(other.expected_columns)
        return len(expected - columns - {other.mode_field}) + len(columns - expected)

    own = differences(q)
    if own == 0:
        return []
    best = None
    for path in sorted(SHIPPED.glob(f"{q.id}-v*.yaml")):
        other = load_questionnaire(path)
        if other.name != q.name and other.id == q.id:
            n = differences(other)
            if best is None or n < best[1]:
                best = (other, n)
    if best is None:
        return []
    other, n = best
    fix = f"validate against {other.name} (questionnaire={other.name!r}, or --questionnaire {other.name})"
    if n == 0:
        return [ctx.problem("questionnaire_version", value=other.name,
                            message=f"the columns fit {other.name} exactly, not {q.name}: were the returns checked "
                                    f"against the wrong version? If so, {fix}; the column problems below would go.")]
    if own >= 4 and n <= own // 4:
        return [ctx.problem("questionnaire_version", value=other.name,
                            message=f"the columns fit {other.name} far better ({n} column difference(s)) than "
                                    f"{q.name} ({own}): were the returns checked against the wrong version? If so, "
                                    f"{fix}.")]
    return []
