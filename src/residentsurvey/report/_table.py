"""Checking the tables the report layer renders, once, at the public boundary.

The report layer never computes statistics and never sees respondent-level data: it renders an
already-computed indicator table (one row per wave x indicator x area), an optional table of band
shares and an optional table of funnel limits. Only the columns named here are ever written to an
output, so a column the renderers do not know (an identifier, say) can never leak into a report.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._text import shown
from ._errors import ReportError
from ..questionnaire.registries import POLARITIES
from ._registry import AREA_TYPES, CONSORTIUM, FLAGS, STATISTICS

__all__ = [
    "INDICATOR_COLUMNS", "COMPARISON_COLUMNS", "check_indicator_table", "check_bands", "check_limits",
    "pick_indicator", "pick_wave", "notices_for", "suppressed_text", "confidence_level", "consortium_row",
    "ReportMeta", "prepare_indicator_table", "select_notices",
]

INDICATOR_COLUMNS: tuple[str, ...] = (
    "wave", "questionnaire", "indicator", "label", "statistic", "unit", "area", "area_type",
    "estimate", "se", "ci_lower", "ci_upper", "level", "n", "n_effective", "deff", "flag", "flag_reason",
)
#: Comparison columns and their value when not applicable; a table without them renders as if all were blank.
COMPARISON_COLUMNS: dict[str, object] = {
    "vs_consortium": np.nan, "vs_consortium_se": np.nan, "vs_consortium_p": np.nan,
    "vs_consortium_p_adjusted": np.nan, "vs_consortium_verdict": "", "change": np.nan, "change_se": np.nan,
    "change_p": np.nan, "change_verdict": "", "rank": np.nan, "rank_lower": np.nan, "rank_upper": np.nan,
    "funnel": "", "funnel_n": np.nan, "funnel_centre": np.nan, "polarity": "neutral", "comparability": "",
}
_NUMERIC_WHEN_SUPPRESSED = ("estimate", "se", "ci_lower", "ci_upper", "vs_consortium", "vs_consortium_se",
                            "vs_consortium_p", "vs_consortium_p_adjusted", "change", "change_se", "change_p",
                            "rank", "rank_lower", "rank_upper", "funnel_n")
_TEXT_WHEN_SUPPRESSED = ("vs_consortium_verdict", "change_verdict", "funnel")
_BAND_COLUMNS = ("wave", "indicator", "label", "area", "category", "estimate", "ci_lower", "ci_upper", "n", "flag")
_LIMIT_COLUMNS = ("indicator", "wave", "n", "lower95", "upper95", "lower998", "upper998")


def _require(frame: object, columns: Sequence[str], what: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise ReportError(f"{what} must be a pandas DataFrame; found {type(frame).__name__}.")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ReportError(f"{what} lacks the column(s) {', '.join(map(repr, missing))}; expected "
                          f"{', '.join(columns)}. Found {', '.join(map(str, frame.columns))}.")
    return frame


def _check_registry(frame: pd.DataFrame, column: str, valid: Mapping[str, object], what: str) -> None:
    values = frame[column].astype(object)
    bad = ~values.isin(list(valid))
    if bad.any():
        row = frame.index[bad.to_numpy()][0]
        raise ReportError(f"{what} row {shown(row)}: {column}={shown(values[row])} is not recognised; use one of "
                          f"{', '.join(map(repr, valid))}.")


def check_indicator_table(table: object) -> pd.DataFrame:
    """The indicator table checked and normalised: a copy with every comparison column present.

    Missing comparison columns are added blank (``polarity`` as ``"neutral"``, and checked against
    :data:`~residentsurvey.questionnaire.POLARITIES`), text columns hold ``""`` rather than NaN, and every
    number of a suppressed row (estimate, interval, comparisons, ranks) is blanked, so a suppressed
    value cannot reach an output even if the table carried one. ``attrs`` are kept.
    """
    frame = _require(table, INDICATOR_COLUMNS, "The indicator table")
    if frame.empty:
        raise ReportError("The indicator table has no rows; nothing to report.")
    out = frame.copy()
    out.attrs = dict(frame.attrs)
    for column, blank in COMPARISON_COLUMNS.items():
        if column not in out:
            out[column] = blank
    for column in ("flag_reason", "vs_consortium_verdict", "change_verdict", "funnel", "questionnaire", "unit",
                   "comparability"):
        out[column] = out[column].astype(object).where(out[column].notna(), "").astype(str)
    out["polarity"] = out["polarity"].astype(object).where(out["polarity"].notna(), "neutral")
    _check_registry(out, "polarity", POLARITIES, "The indicator table")
    _check_registry(out, "flag", FLAGS, "The indicator table")
    _check_registry(out, "statistic", STATISTICS, "The indicator table")
    _check_registry(out, "area_type", AREA_TYPES, "The indicator table")
    duplicated = out.duplicated(["wave", "indicator", "area"], keep=False)
    if duplicated.any():
        first = out.loc[duplicated, ["wave", "indicator", "area"]].iloc[0]
        raise ReportError(f"The indicator table has more than one row for wave {shown(first['wave'])}, indicator "
                          f"{shown(first['indicator'])}, area {shown(first['area'])}; expected one row per wave x "
                          "indicator x area.")
    suppressed = (out["flag"] == "suppressed").to_numpy()
    for column in _NUMERIC_WHEN_SUPPRESSED:
        out[column] = out[column].astype(float).where(~suppressed)
    for column in _TEXT_WHEN_SUPPRESSED:
        out.loc[suppressed, column] = ""
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class ReportMeta:
    """What the renderers need from an indicator table's ``attrs``, read once and kept beside the table.

    pandas deep-copies ``attrs`` on every operation, so the renderers work on a table without them
    and take these values from here.
    """

    title: str | None = None
    level: float = 0.95
    thresholds: Mapping[str, object] = field(default_factory=dict)
    notices: tuple[str, ...] = ()
    #: How the comparisons were made (``adjust``, ``rank_method``), for the words that explain them.
    analysis: Mapping[str, object] = field(default_factory=dict)

    @classmethod
    def of(cls, table: pd.DataFrame) -> "ReportMeta":
        """The metadata an indicator table carries in ``attrs`` (``title``, ``level``, ``thresholds``, ``notices``)."""
        attrs = table.attrs
        title = attrs.get("title")
        return cls(title=str(title) if title else None, level=float(attrs.get("level", 0.95) or 0.95),
                   thresholds=dict(attrs.get("thresholds") or {}),
                   notices=tuple(str(n) for n in attrs.get("notices", []) or []),
                   analysis={k: attrs[k] for k in ("adjust", "rank_method") if k in attrs})


def prepare_indicator_table(table: object) -> tuple[pd.DataFrame, ReportMeta]:
    """The checked table (see :func:`check_indicator_table`) without ``attrs``, and its metadata.

    The renderers call this once and pass both on, so the table is checked once per output and
    pandas has no ``attrs`` to copy on every operation.
    """
    checked = check_indicator_table(table)
    meta = ReportMeta.of(checked)
    checked.attrs = {}
    # Text as plain Python objects: the renderers make thousands of small selections, for which
    # pyarrow-backed strings cost several times more than object columns.
    text = [c for c in checked.columns if pd.api.types.is_string_dtype(checked[c].dtype)
            and not isinstance(checked[c].dtype, pd.CategoricalDtype)]
    checked = checked.astype({c: object for c in text})
    return checked, meta


def check_bands(bands: object) -> pd.DataFrame:
    """The band table checked: a copy whose ``category`` keeps its order (categorical order, else first seen)."""
    frame = _require(bands, _BAND_COLUMNS, "The band table").copy()
    _check_registry(frame, "flag", FLAGS, "The band table")
    if not isinstance(frame["category"].dtype, pd.CategoricalDtype):
        frame["category"] = pd.Categorical(frame["category"], categories=list(dict.fromkeys(frame["category"])),
                                           ordered=True)
    return frame.reset_index(drop=True)


def check_limits(limits: object) -> pd.DataFrame:
    """The funnel-limit table checked: a copy sorted by indicator, wave and base."""
    frame = _require(limits, _LIMIT_COLUMNS, "The funnel limits table")
    return frame.sort_values(["indicator", "wave", "n"]).reset_index(drop=True)


def pick_indicator(table: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """The rows of one indicator; a :class:`ReportError` listing the indicators otherwise."""
    rows = table[table["indicator"] == indicator]
    if rows.empty:
        valid = ", ".join(repr(i) for i in dict.fromkeys(table["indicator"]))
        raise ReportError(f"indicator={indicator!r} is not in the table; use one of {valid}.")
    return rows


def pick_wave(rows: pd.DataFrame, wave: int | None) -> tuple[pd.DataFrame, int]:
    """The rows of one wave (default: the latest wave the rows hold) and that wave."""
    waves = sorted(set(rows["wave"]))
    if wave is None:
        wave = waves[-1]
    elif wave not in waves:
        raise ReportError(f"wave={shown(wave)} is not in the table for this indicator; use one of "
                          f"{', '.join(map(str, waves))}.")
    return rows[rows["wave"] == wave], int(wave)


def confidence_level(rows: pd.DataFrame, default: float | None = None) -> float:
    """The confidence level of the rows (``level`` column, else ``default``, else ``attrs["level"]``, else 0.95)."""
    levels = rows["level"].dropna()
    if len(levels):
        return float(levels.iloc[0])
    return float(default) if default is not None else float(rows.attrs.get("level", 0.95))


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def notices_for(table: pd.DataFrame, indicator: str | None = None) -> list[str]:
    """The copyright notices (``attrs["notices"]``) an output showing ``indicator`` must print.

    A notice naming an instrument in parentheses, e.g. "(SWEMWBS)", goes with the indicators whose id
    or label contains that name as a word. A notice that matches no indicator of the table, or names
    no instrument, goes with every indicator: when in doubt the notice is printed. With
    ``indicator=None``, every notice.
    """
    return select_notices([str(n) for n in table.attrs.get("notices", []) or []], table, indicator)


def select_notices(notices: Sequence[str], table: pd.DataFrame, indicator: str | None = None) -> list[str]:
    """:func:`notices_for` with the notices given rather than read from ``attrs``."""
    notices = list(notices)
    if indicator is None:
        return notices
    words = {i: _tokens(f"{i} {label}") for i, label in
             table[["indicator", "label"]].drop_duplicates().itertuples(index=False)}
    kept = []
    for notice in notices:
        names = [name.lower() for name in re.findall(r"\(([A-Za-z0-9-]+)\)", notice)]
        matching = {i for i, w in words.items() if any(name in w for name in names)}
        if not matching or indicator in matching:
            kept.append(notice)
    return kept


def suppressed_text(row: Mapping[str, object], thresholds: Mapping[str, object] | None) -> str:
    """Short text for a suppressed estimate: "suppressed (n < 30)", else "suppressed: <reason>"."""
    limit = (thresholds or {}).get("suppress_below")
    if isinstance(limit, (int, float)) and not isinstance(limit, bool):
        return f"suppressed (n < {limit:g})"
    reason = str(row.get("flag_reason") or "")
    match = re.search(r"below (\d+)", reason)
    if match:
        return f"suppressed (n < {match.group(1)})"
    return f"suppressed: {reason}" if reason else "suppressed"


def consortium_row(rows: pd.DataFrame) -> pd.Series | None:
    """The "All councils" row among ``rows`` (one wave of one indicator), or None."""
    found = rows[rows["area_type"] == CONSORTIUM]
    return None if found.empty else found.iloc[0]
