"""Scoring respondents on an instrument: raw and metric scores, bands, and why a score is missing.

``rs.score(df, "swemwbs")`` returns, for each score of the instrument, the columns

- ``<id>``: the score reported (the metric score where a conversion table exists, the 0-100
  value where ``rescale`` is set, else the raw score; for a Likert item 1 or 0),
- ``<id>_raw``: the raw total or mean (scales of several items),
- ``<id>_band`` (and ``<id>_harmonised``): the band, an ordered categorical,
- ``<id>_reason``: empty when scored, otherwise what stopped it ("swemwbs_3 missing",
  "ons_anxious out of range (11)", "q_trust excluded code 9 (Don't know)").

A respondent is never scored on a partial or invalid answer silently: out-of-range codes and text
count as missing items, and the reason says so. All work is vectorised over respondents.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ScaleError
from ..questionnaire.model import Questionnaire
from .instrument import Instrument, Score, load_instrument

#: Shown with every WEMWBS/SWEMWBS result (standards.md §5.5); found in ``attrs["notices"]``.
NOTICE_KEY = "notices"


def _item_columns(score: Score, items: dict[str, str] | str | None, data: pd.DataFrame,
                  instrument: Instrument) -> list[str]:
    if isinstance(items, str):
        if len(score.items) != 1:
            raise ScaleError(
                f"items={items!r} names one column but score {score.id!r} of {instrument.id!r} has "
                f"{len(score.items)} items; pass a mapping {{item id: column}}."
            )
        items = {score.items[0]: items}
    mapping = items or {}
    columns = [mapping.get(item, item) for item in score.items]
    absent = [c for c in columns if c not in data.columns]
    if absent:
        raise ScaleError(
            f"instrument {instrument.id!r} (score {score.id!r}) needs column(s) {absent}, which are not in the data. "
            f"Rename them, or map item ids to your columns with items={{{score.items[0]!r}: 'your_column', ...}}."
        )
    return columns


def _values(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Numbers (NaN where missing or text) and a mask of text entries."""
    numbers = pd.to_numeric(column, errors="coerce")
    text = (numbers.isna() & column.notna()).to_numpy()
    return numbers.to_numpy(dtype=float, na_value=np.nan), text


def _join_reasons(reasons: list[np.ndarray]) -> np.ndarray:
    """Per row, the non-empty reasons joined with '; ' (rows with none get None); column by column, not row by row."""
    joined = np.full(len(reasons[0]) if reasons else 0, "", dtype=object)
    for reason in reasons:
        both = (joined != "") & (reason != "")
        joined = np.where(both, joined + "; " + reason, joined + reason)
    joined[joined == ""] = None
    return joined


def _bands(score: Score, value: np.ndarray) -> tuple[pd.Categorical, pd.Categorical | None]:
    labels = [b.label for b in score.bands]
    conditions = [(value >= b.low) & ((value < b.high) if b.open_high else (value <= b.high)) for b in score.bands]
    index = np.select(conditions, np.arange(len(labels)), default=-1)
    band = pd.Categorical.from_codes(index, categories=labels, ordered=True)
    harmonised = None
    if any(b.harmonised for b in score.bands):
        names = [b.harmonised for b in score.bands]
        order = list(dict.fromkeys(["Poor", "Fair", "Good", "Very good"] + names)) if set(names) <= {
            "Poor", "Fair", "Good", "Very good"} else list(dict.fromkeys(names))
        order = [n for n in order if n in names]
        codes = np.where(index >= 0, pd.Index(order).get_indexer(np.array(names, dtype=object)[np.maximum(index, 0)]), -1)
        harmonised = pd.Categorical.from_codes(codes, categories=order, ordered=True)
    return band, harmonised


def _excluded(score: Score, column: str, declared: dict[str, dict[int, str]]) -> dict[int, str]:
    """Codes of one item that are not answers: the instrument's, and those the questionnaire declares missing."""
    labels = score.codes or {}
    codes = {int(c): labels.get(c, "") for c in score.excluded}
    for code, label in declared.get(column, {}).items():
        codes[int(code)] = codes.get(int(code)) or label
    return codes


def _score_one(score: Score, data: pd.DataFrame, columns: list[str],
               declared: dict[str, dict[int, str]] | None = None) -> dict[str, object]:
    n = len(data)
    out: dict[str, object] = {}
    declared = declared or {}
    if score.combine == "likert":
        value, text = _values(data[columns[0]])
        excluded = _excluded(score, columns[0], declared)
        result = np.where(np.isin(value, score.positive), 1.0, np.where(np.isin(value, score.negative), 0.0, np.nan))
        result = np.where(np.isin(value, list(excluded)), np.nan, result)
        reason = np.full(n, None, dtype=object)
        reason[np.isnan(value) & ~text] = f"{columns[0]} missing"
        for code, label in excluded.items():
            reason[value == code] = f"{columns[0]} excluded code {code}" + (f" ({label})" if label else "")
        other = ~np.isnan(value) & ~np.isin(value, score.positive + score.negative + tuple(excluded))
        if other.any():
            reason[other] = [f"{columns[0]} code {v:g} is not in the code frame" for v in value[other]]
        if text.any():
            reason[text] = [f"{columns[0]} is text ({t!r})" for t in data[columns[0]].to_numpy()[text]]
        out[score.id] = result
        out[f"{score.id}_reason"] = reason
        return out

    low, high = score.item_range
    matrix = np.empty((n, len(columns)))
    reasons = []
    for j, (item, column) in enumerate(zip(score.items, columns)):
        value, text = _values(data[column])
        codes = _excluded(score, column, declared)
        excluded = np.isin(value, list(codes))
        out_of_range = ~np.isnan(value) & ~excluded & ((value < low) | (value > high) | (value != np.round(value)))
        valid = ~np.isnan(value) & ~excluded & ~out_of_range
        reason = np.full(n, "", dtype=object)
        reason[np.isnan(value) & ~text] = f"{column} missing"
        for code, label in codes.items():
            reason[value == code] = f"{column} excluded code {code}" + (f" ({label})" if label else "")
        if out_of_range.any():
            reason[out_of_range] = [f"{column} out of range ({v:g}; valid {low:g}-{high:g})" for v in value[out_of_range]]
        if text.any():
            reason[text] = [f"{column} is text ({t!r})" for t in data[column].to_numpy()[text]]
        if item in score.reverse:
            value = low + high - value
        matrix[:, j] = np.where(valid, value, np.nan)
        reasons.append(reason)
    answered = (~np.isnan(matrix)).sum(axis=1)
    k = len(columns)
    allowed = k - (score.max_missing if score.missing_rule == "prorate" else 0)
    scored = answered >= allowed
    total = np.nansum(matrix, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / answered  # NaN where nothing was answered
    if score.combine == "single":
        raw = matrix[:, 0]
    elif score.combine == "sum":
        raw = np.where(answered == k, total, mean * k)  # prorated: the mean of the answered items times k
        if score.conversion is not None:
            raw = np.round(raw)  # a prorated total is rounded to a whole raw score before conversion
    else:
        raw = mean
    raw = np.where(scored, raw, np.nan)
    reason = _join_reasons(reasons)
    reason[scored] = None
    headline = raw
    if score.conversion is not None:
        table = pd.Series(score.conversion, dtype=float)
        metric = table.reindex(raw).to_numpy()
        unconverted = scored & np.isnan(metric)
        if unconverted.any():
            reason[unconverted] = [f"raw score {v:g} has no metric value" for v in raw[unconverted]]
        headline = metric
        out[f"{score.id}_raw"] = raw
    elif score.rescale is not None:
        r_low, r_high = score.rescale
        headline = (raw - low) / (high - low) * (r_high - r_low) + r_low
        out[f"{score.id}_raw"] = raw
    elif score.combine != "single":
        out[f"{score.id}_raw"] = raw
    out[score.id] = headline
    if score.bands:
        basis = {"score": headline, "raw": raw, "metric": headline}[score.band_on]
        band, harmonised = _bands(score, basis)
        out[f"{score.id}_band"] = band
        if harmonised is not None:
            out[f"{score.id}_harmonised"] = harmonised
    out[f"{score.id}_reason"] = reason
    return out


def score(data: pd.DataFrame, instrument: str | Instrument, items: dict[str, str] | str | None = None, *,
          questionnaire: Questionnaire | None = None) -> pd.DataFrame:
    """Score every respondent on ``instrument``.

    Parameters
    ----------
    data
        One row per respondent with the instrument's item columns.
    instrument
        A shipped instrument name (``"ons4"``, ``"swemwbs"``, ``"wemwbs"``, ``"satisfaction5"``,
        ``"agreement5"``, ``"community_index"``), a YAML path, or an :class:`Instrument`.
    items
        Item id to column name, where they differ (a single column name for one-item scores).
    questionnaire
        The questionnaire of the returns: the codes it declares as missing for an item column
        (don't know, refused, not applicable) are left out like the instrument's own excluded
        codes, with the reason ``"<column> excluded code 99 (Don't know)"``, even where the
        instrument would take them for a point of the scale.

    Returns
    -------
    pandas.DataFrame
        Aligned with ``data``; columns described in the module docstring. ``attrs`` holds the
        instrument id and version, and under ``"notices"`` any copyright line that must be shown
        with the results (WEMWBS, SWEMWBS).

    Examples
    --------
    >>> import pandas as pd
    >>> answers = pd.DataFrame({f"swemwbs_{i}": [5, 3, None] for i in range(1, 8)})
    >>> scored = score(answers, "swemwbs")
    >>> scored["swemwbs"].tolist()[:2], scored["swemwbs_reason"].iloc[2][:17]
    ([35.0, 19.25], 'swemwbs_1 missing')
    """
    if not isinstance(data, pd.DataFrame):
        raise ScaleError(f"data must be a pandas DataFrame; got {type(data).__name__}.")
    instrument = load_instrument(instrument)
    if questionnaire is not None and not isinstance(questionnaire, Questionnaire):
        raise ScaleError(f"questionnaire must be a Questionnaire (rs.load_questionnaire(...)); got "
                         f"{type(questionnaire).__name__}.")
    declared = {} if questionnaire is None else {
        column: {code: q.labels.get(code, kind) for code, kind in q.missing_codes.items()}
        for column, q in questionnaire.item_columns.items() if q.missing_codes}
    columns: dict[str, object] = {}
    for one in instrument.scores:
        columns.update(_score_one(one, data, _item_columns(one, items, data, instrument), declared))
    result = pd.DataFrame(columns, index=data.index)
    result.attrs["instrument"] = instrument.id
    result.attrs["instrument_version"] = instrument.version
    result.attrs[NOTICE_KEY] = [instrument.copyright] if instrument.copyright else []
    if instrument.bands_note:
        result.attrs["bands_note"] = instrument.bands_note
    return result
