"""Indicator values per respondent for tracking, and where a questionnaire change splits each series.

Indicators come from questionnaires (one, or one per version: ``{"core-v1": q1, "core-v2": q2}``
with each return's version in a column) or are plain numeric columns. Between consecutive
versions, ``indicator_comparability`` decides: *comparable* keeps the series; *comparable after
recoding* keeps it after harmonising the older returns to the newer version (``rs.harmonise``);
anything else (*wording changed*, *routing changed*, ...) starts a new *segment*. Estimates never
pool, and changes never compare, returns from two segments: the same rule ``rs.indicators`` applies
between waves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..analysis._columns import numeric_column, require_columns
from ..analysis.indicator_values import indicator_statistic, indicator_values
from ..errors import DesignError
from ..questionnaire.diff import indicator_comparability
from ..questionnaire.harmonise import harmonise
from ..questionnaire.model import Questionnaire

KEEPS_SERIES = ("comparable", "comparable after recoding")


@dataclass(frozen=True)
class IndicatorSeries:
    """One indicator's values for every return, its statistic and its series segment per return."""

    id: str
    label: str
    statistic: str              # "share" or "mean"
    polarity: str
    values: np.ndarray          # one per return, NaN outside the base
    segment: np.ndarray         # series segment of each return (0, 1, ...)
    breaks: tuple[tuple[str, str], ...]   # (first version of a new segment, reason) in order


def _version_order(data: pd.DataFrame, version: str, versions: Mapping[str, Questionnaire]) -> list[str]:
    require_columns(data, [version, "period"], "questionnaire version")
    found = data.groupby(version, observed=True)["period"].min().sort_values()
    unknown = [v for v in found.index if v not in versions]
    if unknown:
        row = int(np.flatnonzero(data[version].isin(unknown).to_numpy())[0])
        raise DesignError(
            f"column {version!r}, row {row + 1}: questionnaire version {unknown[0]!r} is not among the "
            f"questionnaires given ({', '.join(map(repr, versions))}); add it to indicators={{...}}."
        )
    return list(found.index)


def from_questionnaires(data: pd.DataFrame, versions: Mapping[str, Questionnaire], *, version: str,
                        chosen: Sequence[str] | None) -> list[IndicatorSeries]:
    """Values of every indicator of the newest version (or ``chosen``) for returns on any version."""
    if len(versions) == 1 and version not in data.columns:
        ((name, questionnaire),) = versions.items()
        data = data.assign(**{version: name})
    order = _version_order(data, version, versions)
    newest = versions[order[-1]]
    ids = list(chosen) if chosen is not None else [i.id for i in newest.indicators]
    label_of = {}
    for name in order:
        for indicator in versions[name].indicators:
            label_of.setdefault(indicator.id, indicator)
    missing = [i for i in ids if i not in label_of]
    if missing:
        raise DesignError(f"indicator {missing[0]!r} is in none of the questionnaires "
                          f"({', '.join(order)}); choose from {sorted(label_of)}.")
    row_version = data[version].to_numpy()
    values = {i: np.full(len(data), np.nan) for i in ids}
    segment = {i: np.zeros(len(data), dtype=np.int64) for i in ids}
    breaks: dict[str, list[tuple[str, str]]] = {i: [] for i in ids}
    verdicts: dict[str, pd.Series] = {}
    for k, name in enumerate(order):
        q = versions[name]
        rows = np.flatnonzero(row_version == name)
        subset = data.iloc[rows]
        nxt = versions[order[k + 1]] if k + 1 < len(order) else None
        comparison = indicator_comparability(q, nxt).set_index("id") if nxt is not None else None
        have = [i for i in ids if i in {ind.id for ind in q.indicators}]
        own = indicator_values(subset, q, have) if have else pd.DataFrame(index=subset.index)
        for i in have:
            values[i][rows] = own[i].to_numpy(dtype=float)
        if k > 0:
            for i in ids:
                verdict = verdicts[i]
                if verdict["verdict"] not in KEEPS_SERIES:
                    breaks[i].append((name, str(verdict["comparability"])))
                later = row_version_index(row_version, order, k)
                segment[i][later] = len(breaks[i])
        if comparison is not None:
            verdicts = {i: comparison.loc[i] if i in comparison.index
                        else pd.Series({"verdict": "not comparable", "comparability": "not in the later version"})
                        for i in ids}
            recode = [i for i in have if verdicts[i]["comparability"] == "comparable after recoding"]
            if recode:
                harmonised = harmonise(subset, q, nxt, not_comparable="drop")
                recoded = indicator_values(harmonised, nxt, recode)
                for i in recode:
                    values[i][rows] = recoded[i].to_numpy(dtype=float)
    return [IndicatorSeries(i, label_of[i].label, indicator_statistic(label_of[i]), label_of[i].polarity,
                            values[i], segment[i], tuple(breaks[i])) for i in ids]


def row_version_index(row_version: np.ndarray, order: list[str], k: int) -> np.ndarray:
    """Rows collected on version ``order[k]`` or later."""
    return np.isin(row_version, order[k:])


def from_columns(data: pd.DataFrame, columns: Sequence[str]) -> list[IndicatorSeries]:
    """Numeric columns as indicators: a share where every value is 0 or 1, else a mean."""
    require_columns(data, list(columns), "indicator")
    out = []
    for name in columns:
        y = numeric_column(data, name, "indicator")
        present = y[~np.isnan(y)]
        statistic = "share" if np.isin(present, (0.0, 1.0)).all() else "mean"
        out.append(IndicatorSeries(name, name, statistic, "neutral", y, np.zeros(len(y), dtype=np.int64), ()))
    return out


def indicator_series(data: pd.DataFrame, indicators: object, *, version: str) -> list[IndicatorSeries]:
    """Dispatch on what ``indicators`` is: a Questionnaire, {version: Questionnaire} or column names."""
    if isinstance(indicators, Questionnaire):
        return from_questionnaires(data, {indicators.name: indicators}, version=version, chosen=None)
    if isinstance(indicators, Mapping):
        if not indicators or not all(isinstance(q, Questionnaire) for q in indicators.values()):
            raise DesignError("indicators={version: Questionnaire, ...} needs at least one questionnaire, "
                              "keyed by the version names in the returns' version column.")
        return from_questionnaires(data, dict(indicators), version=version, chosen=None)
    if isinstance(indicators, str):
        indicators = [indicators]
    if isinstance(indicators, Sequence) and indicators and all(isinstance(c, str) for c in indicators):
        return from_columns(data, indicators)
    raise DesignError(
        f"indicators must be a Questionnaire, a dict {{version: Questionnaire}} or a list of numeric column "
        f"names; got {type(indicators).__name__}."
    )
