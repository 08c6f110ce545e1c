"""The checks run on a returns file, one function per check, each returning problem records.

A problem record is a dict with the columns of
:data:`~residentsurvey.returns.report.PROBLEM_COLUMNS`; severity comes from :data:`CHECKS`.
No check changes the data it reads.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..questionnaire.model import MODES, Question, Questionnaire, close_matches
from ..questionnaire.values import as_codes

#: Every check: its default severity and what it finds.
CHECKS: dict[str, tuple[str, str]] = {
    "questionnaire_version": ("error", "the returns come from another version of the questionnaire"),
    "ragged_row": ("error", "a line with fewer or more fields than the header (cut short, or a stray delimiter "
                            "or quote)"),
    "missing_column": ("error", "a column the questionnaire expects is not in the returns"),
    "unexpected_column": ("warning", "a column the questionnaire does not declare (neither a question nor a sample field)"),
    "mode": ("error", "the survey mode is not recorded, or is not one of " + ", ".join(MODES)),
    "missing_id": ("error", "a respondent has no id"),
    "duplicate_id": ("error", "a respondent id is used by an earlier row too"),
    "value_labels": ("warning", "a labelled (.sav) file labels a code differently from the code frame"),
    "spreadsheet_error": ("error", "a cell holds a spreadsheet error value such as #N/A, not an answer"),
    "not_a_number": ("error", "an answer or a numeric sample field holds text that is neither a number nor a label "
                              "of the code frame"),
    "code_not_in_frame": ("error", "a choice answer holds a code that is not in the code frame"),
    "out_of_range": ("error", "a number or scale point is outside its range, or not whole where it must be"),
    "unusable_weight": ("error", "a design weight is missing, negative or infinite: the respondent is in no estimate"),
    "zero_weight": ("warning", "a design weight is zero: the respondent is in no estimate"),
    "no_answers": ("warning", "a respondent answered no question (all blank, don't know or refused): in no base"),
    "required_missing": ("error", "a required question asked of everyone is blank"),
    "routing_answered": ("warning", "a question is answered although the routing says it was not asked"),
    "routing_missing": ("error", "a required question is blank although the routing says it was asked"),
    "straight_lining": ("warning", "every item of a grid has the same answer"),
}
#: Checks of how the file was read rather than of its answers; no .sav or DataFrame can have them.
READING_CHECKS = ("ragged_row",)
#: Spreadsheet error values: a formula or lookup failed, so the cell holds no answer and no blank either.
SPREADSHEET_ERRORS = ("#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA",
                      "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!")
#: Fewest items a grid needs before identical answers are flagged as straight-lining.
STRAIGHT_LINING_MIN_ITEMS = 3


@dataclass(frozen=True)
class Context:
    """What every check sees: the returns, the questionnaire, and each question's codes, read once."""

    df: pd.DataFrame
    q: Questionnaire
    codes: dict[str, np.ndarray]
    unreadable: dict[str, np.ndarray]
    ids: np.ndarray | None
    errors: dict[str, np.ndarray]
    weight: str | None = None
    added: frozenset[str] = frozenset()

    def problem(self, check: str, *, row: int | None = None, column: str | None = None, value: object = None,
                message: str) -> dict[str, object]:
        respondent = None
        if row is not None and self.ids is not None:
            respondent = self.ids[row]
            respondent = None if pd.isna(respondent) else respondent
        return {"row": row, "respondent_id": respondent, "column": column, "value": value, "check": check,
                "severity": CHECKS[check][0], "message": message}

    def answered(self, q: Question) -> np.ndarray:
        """Whether each respondent answered the question (any option, for multiple choice)."""
        present = [c for c in q.columns if c in self.df.columns]
        if not present:
            return np.zeros(len(self.df), dtype=bool)
        return np.column_stack([self.df[c].notna().to_numpy() for c in present]).any(axis=1)


def build_context(df: pd.DataFrame, q: Questionnaire, *, weight: str | None = None,
                  added: frozenset[str] = frozenset()) -> Context:
    """Read every question's codes once; ``weight`` is the design-weight column, ``added`` columns the reader added."""
    codes, unreadable = {}, {}
    for column, question in q.item_columns.items():
        if column in df.columns and question.type != "text":
            codes[column], unreadable[column] = as_codes(df[column], question)
    ids = df[q.respondent_id].to_numpy(dtype=object) if q.respondent_id in df.columns else None
    errors = {}
    for column in df.columns:
        values = df[column]
        if pd.api.types.is_object_dtype(values.dtype) or pd.api.types.is_string_dtype(values.dtype):
            mask = values.isin(SPREADSHEET_ERRORS).to_numpy(dtype=bool)
            if mask.any():
                errors[str(column)] = mask
    return Context(df, q, codes, unreadable, ids, errors, weight, added)



def _value(ctx: Context, row: int, column: str) -> object:
    value = ctx.df[column].iloc[row]
    return value.item() if isinstance(value, np.generic) else value


def _fold(name: str) -> str:
    return "_".join(name.replace("-", " ").replace(".", " ").split()).casefold()


def near_misses(unexpected: list[str], missing: list[str]) -> dict[str, str]:
    """For each unexpected column, the missing column it most likely is (case, spaces, a typo), if any."""
    folded = {_fold(m): m for m in missing}
    out: dict[str, str] = {}
    for name in unexpected:
        if _fold(name) in folded:
            out[name] = folded[_fold(name)]
            continue
        close = [folded[c] for c in close_matches(_fold(name), list(folded)) if folded[c] not in out.values()]
        if close:
            out[name] = close[0]
    return out


def columns(ctx: Context) -> list[dict]:
    out = []
    expected = [c for c in ctx.q.expected_columns if c != ctx.q.mode_field]
    present = {str(c) for c in ctx.df.columns}
    known = set(ctx.q.expected_columns)
    missing = [c for c in expected if c not in present]
    unexpected = [str(c) for c in ctx.df.columns if str(c) not in known and str(c) not in ctx.added]
    guess = near_misses(unexpected, missing)
    meant = {m: u for u, m in guess.items()}
    for column in missing:
        owner = ctx.q.item_columns.get(column)
        what = f"question {owner.id}" if owner else "sample field"
        hint = (f" The file has {meant[column]!r}, which looks like it: rename that column to {column!r}."
                if column in meant else "")
        out.append(ctx.problem("missing_column", column=column,
                               message=f"column {column!r} ({what} of {ctx.q.name}) is not in the returns.{hint}"))
    for column in unexpected:
        hint = (f" Did you mean {guess[column]!r} (missing)? Rename the column to {guess[column]!r}."
                if column in guess else " Declare it under sample_fields if it belongs.")
        out.append(ctx.problem("unexpected_column", column=column,
                               message=f"column {column!r} is neither a question nor a sample field of "
                                       f"{ctx.q.name}.{hint}"))
    return out


def mode(ctx: Context, file_mode: str | None) -> list[dict]:
    field = ctx.q.mode_field
    if field is None or field not in ctx.df.columns:
        if file_mode in MODES:
            return []
        where = f"no {field!r} column" if field else "no mode_field in the questionnaire"
        return [ctx.problem("mode", column=field, message=f"the survey mode is not recorded ({where}); "
                            "read the file with read_returns(..., mode='postal') or add the column.")]
    out = []
    values = ctx.df[field]
    bad = values.isna().to_numpy() | ~values.astype(object).isin(list(MODES)).to_numpy()
    for row in np.flatnonzero(bad):
        value = _value(ctx, row, field)
        out.append(ctx.problem("mode", row=int(row), column=field, value=value,
                               message=f"mode {value!r} is not one of {', '.join(MODES)}."))
    return out


def respondent_ids(ctx: Context) -> list[dict]:
    if ctx.ids is None:
        return []
    out = []
    column = ctx.q.respondent_id
    series = ctx.df[column]
    blank = series.isna().to_numpy() | (series.astype(object).astype(str).str.strip() == "").to_numpy()
    for row in np.flatnonzero(blank):
        out.append(ctx.problem("missing_id", row=int(row), column=column, value=_value(ctx, row, column),
                               message="this respondent has no id."))
    keys = series.astype(object).where(~blank)
    first = {}
    for row in np.flatnonzero(keys.duplicated(keep=False).to_numpy() & ~blank):
        key = keys.iloc[row]
        if key not in first:
            first[key] = int(row)
            continue
        out.append(ctx.problem("duplicate_id", row=int(row), column=column, value=key,
                               message=f"id {key!r} is also used by row {first[key]}."))
    return out


def value_labels(ctx: Context, found: list[dict]) -> list[dict]:
    return [ctx.problem("value_labels", column=p["column"], value=p["code"],
                        message=f"the file labels code {p['code']} {p['file_label']!r}; the code frame says "
                                f"{p['frame_label']!r}.") for p in found]


def answers(ctx: Context) -> list[dict]:
    """Unreadable text, codes outside the frame and numbers outside the range."""
    out = []
    for column, codes in ctx.codes.items():
        q = ctx.q.item_columns[column]
        unreadable = ctx.unreadable[column] & ~ctx.errors.get(column, False)
        for row in np.flatnonzero(unreadable):
            value = _value(ctx, row, column)
            out.append(ctx.problem("not_a_number", row=int(row), column=column, value=value,
                                   message=f"{value!r} is neither a number nor a label of {q.id}'s code frame."))
        present = ~np.isnan(codes)
        declared = np.isin(codes, list(q.labels))
        if q.type == "multiple":
            bad, check, expected = present & ~np.isin(codes, [0, 1]), "code_not_in_frame", "0 (not ticked) or 1 (ticked)"
        elif q.type == "single":
            bad, check, expected = present & ~declared, "code_not_in_frame", \
                "one of " + ", ".join(map(str, q.labels))
        else:
            low, high = q.range or (-np.inf, np.inf)
            with np.errstate(invalid="ignore"):
                whole = np.equal(np.mod(codes, 1), 0) if (q.type == "scale" or q.integer) else present
                bad = present & ~declared & ~((codes >= low) & (codes <= high) & whole)
            kind = "a whole number " if q.type == "scale" or q.integer else "a number "
            extra = f" or one of {', '.join(map(str, q.missing_codes))}" if q.missing_codes else ""
            check, expected = "out_of_range", f"{kind}from {low:g} to {high:g}{extra}"
        for row in np.flatnonzero(bad):
            value = _value(ctx, row, column)
            out.append(ctx.problem(check, row=int(row), column=column, value=value,
                                   message=f"{value!r} is not valid for {q.id}: expected {expected}."))
    return out


def _lookup(ctx: Context):
    def lookup(item: str, values: tuple[object, ...]) -> tuple[np.ndarray, np.ndarray]:
        if item in {q.id for q in ctx.q.questions}:
            q = ctx.q.question(item)
            if q.type == "multiple":
                answered = ctx.answered(q)
                ticked = [ctx.codes[f"{q.id}_{v}"] == 1 for v in values if f"{q.id}_{v}" in ctx.codes]
                matches = np.logical_or.reduce(ticked) if ticked else np.zeros(len(ctx.df), dtype=bool)
                return matches, answered
            if q.type == "text":
                return np.zeros(len(ctx.df), dtype=bool), ctx.df[item].notna().to_numpy()
            codes = ctx.codes[item]
            return np.isin(codes, [v for v in values if isinstance(v, (int, float))]), ~np.isnan(codes)
        column = ctx.df[item].astype(object)
        matches = column.isin(list(values)).to_numpy() | column.astype(str).isin([str(v) for v in values]).to_numpy()
        return matches, column.notna().to_numpy()
    return lookup


def routing(ctx: Context) -> list[dict]:
    """Answers given where the routing skipped the question; required answers missing where it did not."""
    out = []
    lookup = _lookup(ctx)
    for q in ctx.q.questions:
        present = [c for c in q.columns if c in ctx.df.columns]
        if not present:
            continue
        condition = ctx.q.asked_if(q.id)
        answered = ctx.answered(q)
        if condition is None:
            if q.required:
                for row in np.flatnonzero(~answered):
                    out.append(ctx.problem("required_missing", row=int(row), column=q.id,
                                           message=f"{q.id} is required and asked of everyone, but blank."))
            continue
        if any(item not in ctx.df.columns and item not in {x.id for x in ctx.q.questions}
               for item in condition.items()) or any(
                not set(ctx.q.question(i).columns) <= set(ctx.df.columns)
                for i in condition.items() if i in {x.id for x in ctx.q.questions}):
            continue  # a column it depends on is missing, and reported as such
        holds, known = condition.evaluate(lookup)
        for row in np.flatnonzero(known & ~holds & answered):
            column = next(c for c in present if pd.notna(ctx.df[c].iloc[row]))
            out.append(ctx.problem("routing_answered", row=int(row), column=column, value=_value(ctx, row, column),
                                   message=f"{q.id} is answered, but it is asked only if {condition}."))
        if q.required:
            for row in np.flatnonzero(known & holds & ~answered):
                out.append(ctx.problem("routing_missing", row=int(row), column=q.id,
                                       message=f"{q.id} is required and was asked ({condition}), but is blank."))
    return out


def straight_lining(ctx: Context) -> list[dict]:
    out = []
    for grid, ids in ctx.q.grids.items():
        if len(ids) < STRAIGHT_LINING_MIN_ITEMS or not all(i in ctx.codes for i in ids):
            continue
        matrix = np.column_stack([ctx.codes[i] for i in ids])
        q = ctx.q.question(ids[0])
        substantive = np.isin(matrix, list(q.substantive_codes)).all(axis=1)
        same = substantive & (matrix == matrix[:, :1]).all(axis=1)
        for row in np.flatnonzero(same):
            code = int(matrix[row, 0])
            out.append(ctx.problem("straight_lining", row=int(row), column=grid, value=code,
                                   message=f"all {len(ids)} items of grid {grid} ({', '.join(ids)}) are answered "
                                           f"{code} ({q.labels.get(code, code)})."))
    return out


def spreadsheet_errors(ctx: Context) -> list[dict]:
    """Cells holding #N/A, #DIV/0! and the like: a failed formula, neither an answer nor a blank."""
    out = []
    for column, mask in ctx.errors.items():
        for row in np.flatnonzero(mask):
            value = _value(ctx, row, column)
            out.append(ctx.problem("spreadsheet_error", row=int(row), column=column, value=value,
                                   message=f"{value!r} is a spreadsheet error value (a formula or lookup failed), "
                                           f"not an answer; fix the cell in the workbook, or blank it if there is "
                                           f"no answer."))
    return out


def numbers(ctx: Context, column: str) -> tuple[np.ndarray, np.ndarray]:
    """``(values, text)``: a sample field as floats (NaN where blank or text) and where it holds text."""
    series = ctx.df[column]
    if pd.api.types.is_bool_dtype(series.dtype) or (pd.api.types.is_numeric_dtype(series.dtype)
                                                     and not isinstance(series.dtype, pd.CategoricalDtype)):
        return series.to_numpy(dtype="float64", na_value=np.nan), np.zeros(len(series), dtype=bool)
    text = series.astype(object).map(lambda v: v.strip() if isinstance(v, str) else v)
    values = pd.to_numeric(text.map(lambda v: v if isinstance(v, (str, int, float, np.number)) and not
                                    isinstance(v, bool) else np.nan), errors="coerce").to_numpy(dtype="float64")
    return values, series.notna().to_numpy() & np.isnan(values)


def sample_numbers(ctx: Context) -> list[dict]:
    """Text in a sample field the questionnaire declares numeric (a design weight of "tbc")."""
    out = []
    for field in ctx.q.sample_fields:
        if not field.numeric or field.id not in ctx.df.columns:
            continue
        _, text = numbers(ctx, field.id)
        for row in np.flatnonzero(text & ~ctx.errors.get(field.id, False)):
            value = _value(ctx, row, field.id)
            out.append(ctx.problem("not_a_number", row=int(row), column=field.id, value=value,
                                   message=f"{value!r} is not a number, but {ctx.q.name} declares {field.id} numeric; "
                                           f"put the number in (or leave the cell blank if it is not known)."))
    return out


def weight_status(ctx: Context) -> dict[str, np.ndarray] | None:
    """Each respondent's design weight as it affects the analysis: text, missing, negative or infinite, zero."""
    if ctx.weight is None or ctx.weight not in ctx.df.columns:
        return None
    values, text = numbers(ctx, ctx.weight)
    text = text | ctx.errors.get(ctx.weight, np.zeros(len(values), dtype=bool))
    missing = np.isnan(values) & ~text
    with np.errstate(invalid="ignore"):
        bad = ~np.isnan(values) & ((values < 0) | np.isinf(values))
        zero = values == 0
    return {"text": text, "missing": missing, "bad": bad, "zero": zero}


def weights(ctx: Context) -> list[dict]:
    """Design weights that put a respondent in no estimate: missing, negative, infinite (errors) or zero (warning)."""
    status = weight_status(ctx)
    if status is None:
        return []
    out = []
    column = ctx.weight
    for row in np.flatnonzero(status["missing"]):
        out.append(ctx.problem("unusable_weight", row=int(row), column=column,
                               message=f"the design weight ({column}) is blank, so this respondent would be in no "
                                       f"estimate; fill it in from the sample file."))
    for row in np.flatnonzero(status["bad"]):
        value = _value(ctx, row, column)
        out.append(ctx.problem("unusable_weight", row=int(row), column=column, value=value,
                               message=f"the design weight ({column}) is {value!r}; a weight must be a positive, "
                                       f"finite number. Correct it from the sample file."))
    for row in np.flatnonzero(status["zero"]):
        out.append(ctx.problem("zero_weight", row=int(row), column=column, value=_value(ctx, row, column),
                               message=f"the design weight ({column}) is 0, so this respondent counts in no "
                                       f"estimate; if that is not intended, correct it from the sample file."))
    return out


def answered_nothing(ctx: Context) -> np.ndarray | None:
    """Respondents with no substantive answer to any question (blank, don't know or refused everywhere)."""
    columns = list(ctx.codes)
    if not columns:
        return None
    any_answer = np.zeros(len(ctx.df), dtype=bool)
    for column in columns:
        q = ctx.q.item_columns[column]
        codes = ctx.codes[column]
        any_answer |= ~np.isnan(codes) & ~np.isin(codes, list(q.missing_codes))
        any_answer |= ctx.unreadable[column]  # text there is reported, and is not "nothing"
    return ~any_answer


def no_answers(ctx: Context) -> list[dict]:
    nothing = answered_nothing(ctx)
    if nothing is None:
        return []
    return [ctx.problem("no_answers", row=int(row),
                        message="this respondent answered no question (every answer is blank, don't know or "
                                "refused), so is in no base; check the row was keyed, or remove it if it is not a "
                                "return.") for row in np.flatnonzero(nothing)]
