"""Each respondent's value on each indicator a questionnaire declares, ready to estimate.

- ``share``: 1 if the answer is one of ``codes``, 0 for another answer in the base, missing
  outside the base. With ``base: valid`` the base leaves out the item's missing codes ("don't
  know", "refused"; or the indicator's own ``exclude`` list); with ``base: all`` those answers
  count as 0. Respondents the routing skipped are left out (``routed_out: exclude``) or counted
  as 0 (``count_as_other``).
- ``mean``: the answer, with excluded and missing codes left out.
- ``scale``: a score from the scales module (``rs.score``) on the questionnaire's instrument
  items: its mean, or 1/0 for being in one of ``bands``.

Every choice is the questionnaire's, recorded in its file; nothing here is a hidden default.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DesignError
from ..questionnaire.model import Indicator, Questionnaire
from ..scales import load_instrument, score


def _codes(data: pd.DataFrame, column: str) -> np.ndarray:
    return pd.to_numeric(data[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _asked(data: pd.DataFrame, questionnaire: Questionnaire, item: str) -> np.ndarray:
    """True where the routing asks ``item`` (or cannot tell: unknown routing is not held against anyone)."""
    condition = questionnaire.asked_if(item)
    if condition is None:
        return np.ones(len(data), dtype=bool)

    def lookup(name: str, values: tuple[object, ...]) -> tuple[np.ndarray, np.ndarray]:
        if name not in data.columns:
            return np.zeros(len(data), dtype=bool), np.zeros(len(data), dtype=bool)
        column = data[name]
        numbers = pd.to_numeric(column, errors="coerce")
        numeric_values = [v for v in values if isinstance(v, (int, float))]
        matches = numbers.isin(numeric_values).to_numpy() | column.astype(object).isin(list(values)).to_numpy()
        return matches, column.notna().to_numpy()

    holds, known = condition.evaluate(lookup)
    return holds | ~known


def _share(data: pd.DataFrame, questionnaire: Questionnaire, indicator: Indicator) -> np.ndarray:
    question = questionnaire.question(indicator.item)
    codes = _codes(data, indicator.item)
    excluded = list(question.missing_codes) if indicator.exclude is None else list(indicator.exclude)
    value = np.where(np.isin(codes, indicator.codes), 1.0, 0.0)
    out_of_base = np.isnan(codes) | (np.isin(codes, excluded) if indicator.base == "valid" else False)
    value = np.where(out_of_base, np.nan, value)
    asked = _asked(data, questionnaire, indicator.item)
    return np.where(asked, value, np.nan if indicator.routed_out == "exclude" else 0.0)


def _mean(data: pd.DataFrame, questionnaire: Questionnaire, indicator: Indicator) -> np.ndarray:
    question = questionnaire.question(indicator.item)
    codes = _codes(data, indicator.item)
    excluded = list(question.missing_codes) if indicator.exclude is None else list(indicator.exclude)
    return np.where(np.isin(codes, excluded), np.nan, codes)


def _scale(data: pd.DataFrame, questionnaire: Questionnaire, indicator: Indicator) -> tuple[np.ndarray, list[str]]:
    instrument = load_instrument(indicator.instrument)
    questions = [questionnaire.question(q) for q in questionnaire.instrument_items(indicator.instrument)]
    mapping = {q.instrument_item or q.id: q.id for q in questions}
    scored = score(data, instrument, items=mapping, questionnaire=questionnaire)
    first = instrument.scores[0]
    wanted = indicator.score
    if wanted in (None, "metric", "score"):
        column = first.id
    elif wanted == "raw":
        column = f"{first.id}_raw"
    elif wanted in {s.id for s in instrument.scores}:
        column = wanted
    else:
        raise DesignError(
            f"indicator {indicator.id!r}: instrument {instrument.id!r} has no score {wanted!r}; "
            f"use 'metric', 'raw' or one of {[s.id for s in instrument.scores]}."
        )
    notices = list(scored.attrs.get("notices", []))
    if indicator.statistic == "mean":
        return scored[column].to_numpy(dtype=float), notices
    band_column = f"{column}_band"
    if band_column not in scored.columns:
        raise DesignError(f"indicator {indicator.id!r}: score {column!r} of {instrument.id!r} has no bands.")
    band = scored[band_column]
    unknown = sorted(set(indicator.bands) - set(band.cat.categories))
    if unknown:
        raise DesignError(f"indicator {indicator.id!r}: bands {unknown} are not bands of {column!r} "
                          f"({list(band.cat.categories)}).")
    return np.where(band.isna(), np.nan, band.isin(indicator.bands).astype(float)), notices


def indicator_values(data: pd.DataFrame, questionnaire: Questionnaire,
                     indicators: list[str] | None = None) -> pd.DataFrame:
    """One column per indicator (named by its id), aligned with ``data``; ``attrs["notices"]`` holds copyright lines.

    Examples
    --------
    >>> import residentsurvey as rs
    >>> values = indicator_values(rs.demo_consortium(), rs.load_questionnaire("core-v1"))
    >>> sorted(set(values["satisfied_area"].dropna()))
    [0.0, 1.0]
    """
    chosen = questionnaire.indicators if indicators is None else [questionnaire.indicator(i) for i in indicators]
    columns, notices = {}, []
    for indicator in chosen:
        missing = [c for c in ([indicator.item] if indicator.item else []) if c not in data.columns]
        if missing:
            raise DesignError(f"indicator {indicator.id!r} of {questionnaire.name} needs column {missing[0]!r}, "
                              "which is not in the data.")
        if indicator.kind == "share":
            columns[indicator.id] = _share(data, questionnaire, indicator)
        elif indicator.kind == "mean":
            columns[indicator.id] = _mean(data, questionnaire, indicator)
        else:
            columns[indicator.id], found = _scale(data, questionnaire, indicator)
            notices += [n for n in found if n not in notices]
    frame = pd.DataFrame(columns, index=data.index)
    frame.attrs["notices"] = notices
    return frame


def indicator_statistic(indicator: Indicator) -> str:
    """"share" for shares and band shares of scales, "mean" otherwise."""
    return "share" if indicator.kind == "share" or indicator.statistic == "share" else "mean"
