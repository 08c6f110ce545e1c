"""A small, hand-written indicator table for the report layer's docstring examples and docs.

The numbers are invented and fixed; nothing is estimated here. Real tables come from the
analysis layer (one row per wave x indicator x area, the same columns).
"""

from __future__ import annotations

import pandas as pd

__all__ = ["example_table", "example_limits"]

_NOTICE = ("Short Warwick Edinburgh Mental Wellbeing Scale (SWEMWBS) © NHS Health Scotland, University of Warwick "
           "and University of Edinburgh, 2008, all rights reserved.")
_Z = 1.959964
# wave, indicator, area, area_type, estimate, se, n, flag, flag_reason, verdict, change, change_verdict, ranks
_ROWS = [
    (1, "satisfied_area", "Northbridge", "council", 0.741, 0.021, 610, "ok", "", "lower", None, "", (2, 3)),
    (1, "satisfied_area", "Eastmere", "council", 0.812, 0.035, 180, "ok", "", "no significant difference", None, "", (1, 3)),
    (1, "satisfied_area", "Westhaven", "council", 0.846, 0.024, 300, "ok", "", "higher", None, "", (1, 2)),
    (1, "satisfied_area", "All councils", "consortium_population", 0.781, 0.014, 1090, "ok", "", "", None, "", None),
    (1, "satisfied_area", "Average council", "consortium_average", 0.800, 0.016, 1090, "ok", "", "", None, "", None),
    (2, "satisfied_area", "Northbridge", "council", 0.752, 0.020, 634, "ok", "", "lower", 0.011, "no significant change", (2, 3)),
    (2, "satisfied_area", "Eastmere", "council", 0.798, 0.054, 44, "caution",
     "unweighted base 44: treat with caution (30-49)", "no significant difference", -0.014, "no significant change", (1, 3)),
    (2, "satisfied_area", "Westhaven", "council", 0.861, 0.023, 312, "ok", "", "higher", 0.015, "no significant change", (1, 2)),
    (2, "satisfied_area", "All councils", "consortium_population", 0.790, 0.014, 990, "ok", "", "", None, "", None),
    (2, "satisfied_area", "Average council", "consortium_average", 0.804, 0.020, 990, "ok", "", "", None, "", None),
    (1, "swemwbs", "Northbridge", "council", 23.61, 0.52, 97, "ok", "", "no significant difference", None, "", (1, 2)),
    (1, "swemwbs", "Eastmere", "council", 24.08, 0.80, 41, "caution",
     "unweighted base 41: treat with caution (30-49)", "no significant difference", None, "", (1, 2)),
    (1, "swemwbs", "Westhaven", "council", None, None, 28, "suppressed", "unweighted base 28 is below 30", "", None, "", None),
    (1, "swemwbs", "All councils", "consortium_population", 23.74, 0.40, 166, "ok", "", "", None, "", None),
    (1, "swemwbs", "Average council", "consortium_average", 23.81, 0.45, 166, "ok", "", "", None, "", None),
    (2, "swemwbs", "Northbridge", "council", 23.90, 0.50, 101, "ok", "", "no significant difference", 0.29, "no significant change", (1, 2)),
    (2, "swemwbs", "Eastmere", "council", None, None, 24, "suppressed", "unweighted base 24 is below 30", "", None, "", None),
    (2, "swemwbs", "Westhaven", "council", 24.52, 0.71, 52, "ok", "", "no significant difference", None, "", (1, 2)),
    (2, "swemwbs", "All councils", "consortium_population", 24.05, 0.41, 177, "ok", "", "", None, "", None),
    (2, "swemwbs", "Average council", "consortium_average", 24.16, 0.46, 177, "ok", "", "", None, "", None),
]
_LABELS = {"satisfied_area": ("% satisfied with the local area as a place to live", "share", "%"),
           "swemwbs": ("Mean mental wellbeing score (SWEMWBS, 7-35)", "mean", "7-35")}


def example_table() -> pd.DataFrame:
    """Three councils, two waves, one share and one SWEMWBS mean, with caution and suppressed rows."""
    records = []
    for wave, indicator, area, area_type, estimate, se, n, flag, reason, verdict, change, change_verdict, ranks \
            in _ROWS:
        label, statistic, unit = _LABELS[indicator]
        estimate = float("nan") if estimate is None else estimate
        se = float("nan") if se is None else se
        records.append({
            "wave": wave, "questionnaire": f"core-v{wave}", "indicator": indicator, "label": label,
            "statistic": statistic, "unit": unit, "area": area, "area_type": area_type, "estimate": estimate,
            "se": se, "ci_lower": estimate - _Z * se, "ci_upper": estimate + _Z * se, "level": 0.95, "n": n,
            "n_effective": n / 1.3, "deff": 1.3, "flag": flag, "flag_reason": reason,
            "vs_consortium_verdict": verdict, "change": float("nan") if change is None else change,
            "change_verdict": change_verdict,
            "rank_lower": float("nan") if ranks is None else ranks[0],
            "rank_upper": float("nan") if ranks is None else ranks[1],
        })
    table = pd.DataFrame(records)
    table.attrs.update({"notices": [_NOTICE], "level": 0.95, "title": "Example Residents' Survey",
                        "thresholds": {"suppress_below": 30, "caution_below": 50}})
    return table


def example_limits() -> pd.DataFrame:
    """Funnel limits around each "All councils" value, p0 ± z·sqrt(p0(1-p0)/n) for the share only."""
    rows = []
    for wave, centre in ((1, 0.781), (2, 0.790)):
        for n in (20, 30, 50, 75, 100, 150, 200, 300, 400, 500, 650):
            spread = (centre * (1 - centre) / n) ** 0.5
            rows.append({"indicator": "satisfied_area", "wave": wave, "n": n,
                         "lower95": centre - _Z * spread, "upper95": centre + _Z * spread,
                         "lower998": centre - 3.090232 * spread, "upper998": centre + 3.090232 * spread})
    return pd.DataFrame(rows)
