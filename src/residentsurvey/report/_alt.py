"""Alternative text for the charts, written from the same rows the charts draw.

A chart's alt text says what kind of chart it is, what it shows and what a sighted reader would
take from it (highest and lowest, who differs from all councils, what is suppressed), so a
screen-reader user gets the message, and the table next to each chart gives every number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from ._format import interval_text, value_text
from ._registry import CONSORTIUM
from ._table import suppressed_text

__all__ = ["forest_alt", "funnel_alt", "trend_alt", "band_alt"]


def _names(names: Sequence[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _suppressed(rows: pd.DataFrame, thresholds: Mapping[str, object] | None) -> str:
    hidden = rows[(rows["area_type"] == "council") & (rows["flag"] == "suppressed")]
    return "".join(f" {r['area']}: {suppressed_text(r, thresholds)}." for _, r in hidden.iterrows())


def forest_alt(rows: pd.DataFrame, wave: int, level: float, thresholds: Mapping[str, object] | None) -> str:
    """Alt text for :func:`forest_plot` of one indicator and wave."""
    first = rows.iloc[0]
    stat = first["statistic"]
    shown = rows[(rows["area_type"] == "council") & (rows["flag"] != "suppressed")].sort_values("estimate")
    text = (f"Forest plot of {first['label']}, wave {wave}: each council's estimate with its {level:.0%} "
            "confidence interval, ordered by estimate.")
    consortium = rows[rows["area_type"] == CONSORTIUM]
    if len(consortium):
        text += f" All councils: {value_text(consortium['estimate'].iloc[0], stat)}."
    if len(shown):
        top, bottom = shown.iloc[-1], shown.iloc[0]
        text += (f" Highest: {top['area']}, {value_text(top['estimate'], stat)} "
                 f"({interval_text(top['ci_lower'], top['ci_upper'], stat)}). Lowest: {bottom['area']}, "
                 f"{value_text(bottom['estimate'], stat)} ({interval_text(bottom['ci_lower'], bottom['ci_upper'], stat)}).")
    for verdict in ("higher", "lower"):
        names = shown.loc[shown["vs_consortium_verdict"] == verdict, "area"]
        if len(names):
            text += f" Significantly {verdict} than all councils: {_names(names)}."
    if len(shown) and not shown["vs_consortium_verdict"].isin(["higher", "lower"]).any():
        text += " No council differs significantly from all councils."
    caution = shown.loc[shown["flag"].isin(["caution", "low_reliability"]), "area"]
    if len(caution):
        text += f" Treat with caution: {_names(caution)}."
    return text + _suppressed(rows, thresholds)


def funnel_alt(rows: pd.DataFrame, wave: int, thresholds: Mapping[str, object] | None) -> str:
    """Alt text for :func:`funnel_plot` of one indicator and wave."""
    first = rows.iloc[0]
    shown = rows[(rows["area_type"] == "council") & (rows["flag"] != "suppressed")]
    placed = ("the equivalent sample size of its difference from all councils"
              if "funnel_n" in shown and (shown["funnel_n"] > 0).any() else "its base divided by its design effect")
    text = (f"Funnel plot of {first['label']}, wave {wave}: each council's estimate against {placed}, "
            "with inner and 99.8% control limits around all councils.")
    outside = shown[~shown["funnel"].isin(["", "within"])]
    if len(outside):
        text += " Outside the limits: " + "; ".join(f"{r['area']} ({r['funnel']})" for _, r in outside.iterrows()) + "."
    else:
        text += " Every council is within the limits."
    return text + _suppressed(rows, thresholds)


def trend_alt(rows: pd.DataFrame, areas: Sequence[str], level: float) -> str:
    """Alt text for :func:`trend_chart` of one indicator over ``areas``."""
    first = rows.sort_values("wave").iloc[-1]
    stat = first["statistic"]
    waves = sorted(set(rows["wave"]))
    text = (f"Trend chart of {first['label']} across waves {waves[0]} to {waves[-1]}, with {level:.0%} "
            "confidence intervals.")
    for area in areas:
        own = rows[rows["area"] == area].sort_values("wave")
        parts = [f"wave {r['wave']} " + ("suppressed" if r["flag"] == "suppressed" else value_text(r["estimate"], stat))
                 for _, r in own.iterrows()]
        text += f" {area}: {', '.join(parts)}."
    breaks = [w for w in waves[1:] if (rows.loc[rows["wave"] == w, "change_verdict"] == "not comparable").any()]
    for w in breaks:
        text += f" Break in series before wave {w}: the question changed, so the waves are not comparable."
    return text


def band_alt(rows: pd.DataFrame, wave: int) -> str:
    """Alt text for :func:`band_chart` of one indicator and wave."""
    text = f"Stacked bar chart of {rows['label'].iloc[0]} by band, wave {wave}."
    for area, own in rows.groupby("area", sort=False):
        if (own["flag"] == "suppressed").any() or own["estimate"].isna().any():
            text += f" {area}: suppressed."
            continue
        text += f" {area}: " + ", ".join(f"{c} {e * 100:.0f}%" for c, e in zip(own["category"], own["estimate"])) + "."
    return text
