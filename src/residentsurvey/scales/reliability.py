"""Internal consistency of a multi-item scale: Cronbach's alpha (weighted or not) with a confidence interval.

For k items with (weighted) covariance matrix C,

.. math::  \\alpha = \\frac{k}{k-1}\\left(1 - \\frac{\\operatorname{tr} C}{\\mathbf 1^\\top C \\mathbf 1}\\right).

The weighted version uses the weighted covariance matrix, as R's ``svycralpha`` does with
``svyvar``. The interval is Feldt's (1965): with n respondents,
:math:`1-\\alpha` over :math:`1-\\hat\\alpha` follows F with (n-1) and (n-1)(k-1) degrees of
freedom; for weighted data n is Kish's effective sample size. Respondents missing any item are
left out (listwise) and counted.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..errors import MissingCodeWarning, ScaleError
from ..questionnaire.model import Questionnaire
from .instrument import load_instrument
from .scoring import _item_columns


#: Most distinct values a set of items may hold to be read as a rating scale when looking for stray codes.
RATING_SCALE_MAX_VALUES = 20


def _missing_like(value: float) -> bool:
    """Codes survey files use for don't know / refused: 8, 9, 88, 98, 99, 97, 999, ... and negative numbers."""
    if value < 0:
        return True
    digits = str(int(value))
    return value >= 8 and (set(digits) == {"8"} or (set(digits[:-1]) <= {"9"} and digits[-1] in "6789"))


def _stray_codes(matrix: np.ndarray) -> np.ndarray:
    """Values that look like missing codes sitting outside the items' rating scale, such as 9 beside answers 1-4.

    The items are read as a rating scale only when they hold whole numbers, at most
    :data:`RATING_SCALE_MAX_VALUES` distinct values, and their other answers (those not shaped
    like a missing code) take at least two values spanning at most 10 points (0-10 is the
    widest common scale) and filling at least half of the points in their span. A value is then
    a stray code when it has the form of a missing code (8, 9, 88, 97-99, 999, ..., or negative)
    and at least one unused point separates it from the answers: 9 beside 1-7 is one (nobody
    answered 8), 9 beside 1-8 is not, -9 beside 0-10 is, -1 beside 0-10 is not. A code inside
    the scale (6 for "don't know" beside 1-5) cannot be told from an answer: pass the
    questionnaire or ``valid``.
    """
    values = matrix[~np.isnan(matrix)]
    if not len(values) or (values != np.round(values)).any():
        return np.array([])
    unique = np.unique(values)
    if len(unique) > RATING_SCALE_MAX_VALUES:
        return np.array([])
    candidate = np.array([_missing_like(v) for v in unique], dtype=bool)  # at most 20 distinct values
    answers = unique[~candidate]
    if len(answers) < 2:
        return np.array([])
    span = answers.max() - answers.min()
    if span > 10 or len(answers) < (span + 1) / 2:
        return np.array([])
    scale = set(answers.tolist())
    stray = []
    for value in unique[candidate]:
        if value < 0:
            continue  # negatives are judged below, from the bottom of the scale down
        if value - 1 in scale:
            scale.add(value)
        else:
            stray.append(value)
    for value in unique[candidate][unique[candidate] < 0][::-1]:
        if value + 1 in scale:
            scale.add(value)
        else:
            stray.append(value)
    return np.array(sorted(stray))


def _clean(data: pd.DataFrame, items: list[str], weights: np.ndarray | None, *,
           missing: dict[str, tuple[float, ...]] | None = None, valid: tuple[float, float] | None = None
           ) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Complete respondents' item matrix and weights, respondents excluded, answers set aside as missing codes."""
    absent = [c for c in items if c not in data.columns]
    if absent:
        raise ScaleError(f"item column(s) {absent} are not in the data.")
    if len(items) < 2:
        raise ScaleError(f"Cronbach's alpha needs at least two items; got {items}.")
    matrix = data[items].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if missing is not None:
        codes = np.zeros(matrix.shape, dtype=bool)
        for j, item in enumerate(items):
            codes[:, j] = np.isin(matrix[:, j], missing.get(item, ()))
    elif valid is not None:
        with np.errstate(invalid="ignore"):
            codes = ~np.isnan(matrix) & ((matrix < valid[0]) | (matrix > valid[1]))
    else:
        stray = _stray_codes(matrix)
        codes = np.isin(matrix, stray)
        if codes.any():
            found = "; ".join(f"{item}: " + ", ".join(f"{v:g} x {int(n)}" for v, n in zip(*np.unique(
                matrix[codes[:, j], j], return_counts=True))) for j, item in enumerate(items) if codes[:, j].any())
            warnings.warn(
                f"Cronbach's alpha: answers hold code(s) {', '.join(f'{v:g}' for v in stray)} outside the scale "
                f"of the other answers ({found}), probably don't know or refused; they were left out. Pass "
                "questionnaire= (its declared missing codes) or valid=(low, high) to say so.",
                MissingCodeWarning, stacklevel=3)
    matrix = np.where(codes, np.nan, matrix)
    w = np.ones(len(data)) if weights is None else np.asarray(weights, dtype=float)
    complete = ~np.isnan(matrix).any(axis=1) & (w > 0)
    return matrix[complete], w[complete], int((~complete).sum()), int(codes.sum())


def _declared(questionnaire: Questionnaire | None, items: list[str]) -> dict[str, tuple[float, ...]] | None:
    if questionnaire is None:
        return None
    if not isinstance(questionnaire, Questionnaire):
        raise ScaleError(f"questionnaire must be a Questionnaire (rs.load_questionnaire(...)); got "
                         f"{type(questionnaire).__name__}.")
    columns = questionnaire.item_columns
    return {item: tuple(float(c) for c in columns[item].missing_codes) for item in items if item in columns}


def _alpha(matrix: np.ndarray, w: np.ndarray) -> float:
    k = matrix.shape[1]
    cov = np.cov(matrix, rowvar=False, aweights=w)
    total = cov.sum()
    return float(k / (k - 1) * (1 - np.trace(cov) / total)) if total > 0 else np.nan


def cronbach_alpha(data: pd.DataFrame, items: list[str], *, weights: np.ndarray | pd.Series | None = None,
                   level: float = 0.95, questionnaire: Questionnaire | None = None,
                   valid: tuple[float, float] | None = None) -> pd.Series:
    """Cronbach's alpha with Feldt's confidence interval.

    Answers that are not points of the scale ("don't know", "refused") are left out, never
    averaged in: the codes the ``questionnaire`` declares as missing for each item, or the
    values outside ``valid``; given neither, codes outside the scale the other answers lie on
    (9 beside answers 1-4, 99 beside 0-10) are left out with a :class:`MissingCodeWarning`.

    Parameters
    ----------
    data
        One row per respondent.
    items
        Item columns, at least two.
    weights
        Respondent weights (weighted alpha, as R's ``svycralpha``); default unweighted.
    level
        Confidence level of the interval.
    questionnaire
        The questionnaire of the items: its declared missing codes are left out.
    valid
        ``(low, high)``: the scale's points; anything outside is left out.

    Returns
    -------
    pandas.Series
        ``alpha``, ``ci_lower``, ``ci_upper``, ``n`` (complete respondents), ``n_excluded``
        (respondents missing an item, after missing codes are left out), ``n_effective``,
        ``n_items`` and ``n_missing_codes`` (answers left out as missing codes).

    Examples
    --------
    >>> import pandas as pd
    >>> same = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [1, 2, 3, 4, 5]})
    >>> float(cronbach_alpha(same, ["a", "b"])["alpha"])
    1.0
    >>> with_dk = pd.DataFrame({"a": [1, 2, 3, 4, 9], "b": [1, 2, 3, 4, 2]})
    >>> result = cronbach_alpha(with_dk, ["a", "b"], valid=(1, 5))
    >>> float(result["alpha"]), int(result["n_missing_codes"]), int(result["n_excluded"])
    (1.0, 1, 1)
    """
    declared = _declared(questionnaire, list(items))
    matrix, w, excluded, coded = _clean(data, list(items), None if weights is None else np.asarray(weights),
                                        missing=declared, valid=valid)
    n, k = matrix.shape
    n_eff = w.sum() ** 2 / (w**2).sum() if n else 0.0
    alpha = _alpha(matrix, w) if n > 1 else np.nan
    lower = upper = np.nan
    if n_eff > 2 and np.isfinite(alpha) and alpha < 1:
        from scipy import stats  # imported here: importing residentsurvey stays cheap

        d1, d2 = n_eff - 1, (n_eff - 1) * (k - 1)
        lower = 1 - (1 - alpha) * stats.f.ppf(0.5 + level / 2, d1, d2)
        upper = 1 - (1 - alpha) * stats.f.ppf(0.5 - level / 2, d1, d2)
    elif alpha == 1:
        lower = upper = 1.0
    return pd.Series({"alpha": alpha, "ci_lower": lower, "ci_upper": upper, "n": n, "n_excluded": excluded,
                      "n_effective": n_eff, "n_items": k, "n_missing_codes": coded})


def item_statistics(data: pd.DataFrame, items: list[str], *, weights: np.ndarray | pd.Series | None = None,
                    questionnaire: Questionnaire | None = None, valid: tuple[float, float] | None = None
                    ) -> pd.DataFrame:
    """Per item: weighted mean, corrected item-total correlation and alpha if the item is deleted.

    Missing codes are left out as in :func:`cronbach_alpha` (``questionnaire``, ``valid``, or a warning).
    """
    matrix, w, _, _ = _clean(data, list(items), None if weights is None else np.asarray(weights),
                             missing=_declared(questionnaire, list(items)), valid=valid)
    rows = []
    for j, item in enumerate(items):
        rest = np.delete(matrix, j, axis=1)
        cov = np.cov(np.column_stack([matrix[:, j], rest.sum(axis=1)]), rowvar=False, aweights=w)
        correlation = cov[0, 1] / np.sqrt(cov[0, 0] * cov[1, 1]) if cov[0, 0] > 0 and cov[1, 1] > 0 else np.nan
        rows.append({"item": item, "mean": float(np.average(matrix[:, j], weights=w)) if len(w) else np.nan,
                     "item_total_correlation": correlation,
                     "alpha_if_deleted": _alpha(rest, w) if rest.shape[1] > 1 else np.nan})
    return pd.DataFrame(rows)


def reliability_report(data: pd.DataFrame, instrument: str, *, by: str | None = None,
                       weights: str | None = None, items: dict[str, str] | None = None,
                       level: float = 0.95) -> pd.DataFrame:
    """Alpha with its interval for every multi-item score of ``instrument``, overall or per group of ``by``.

    Reverse-coded items are reversed first. One row per (group, score): the ``by`` column,
    ``score``, ``alpha``, ``ci_lower``, ``ci_upper``, ``n``, ``n_excluded``, ``n_effective``,
    ``n_items``, ``weighted``.
    """
    loaded = load_instrument(instrument)
    if by is not None and by not in data.columns:
        raise ScaleError(f"by column {by!r} is not in the data.")
    if weights is not None and weights not in data.columns:
        raise ScaleError(f"weights column {weights!r} is not in the data.")
    rows = []
    groups = [(None, data)] if by is None else list(data.groupby(by, observed=True, sort=True))
    for score in loaded.scores:
        if len(score.items) < 2:
            continue
        columns = _item_columns(score, items, data, loaded)
        for label, frame in groups:
            values = frame[columns].apply(pd.to_numeric, errors="coerce")
            low, high = score.item_range
            values = values.where((values >= low) & (values <= high) & ~values.isin(score.excluded))
            for item, column in zip(score.items, columns):
                if item in score.reverse:
                    values[column] = low + high - values[column]
            result = cronbach_alpha(values, columns, weights=None if weights is None else frame[weights], level=level,
                                    valid=(low, high))
            row = {"score": score.id, **result.to_dict(), "weighted": weights is not None}
            if by is not None:
                row = {by: label, **row}
            rows.append(row)
    return pd.DataFrame(rows)
