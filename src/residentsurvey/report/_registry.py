"""What the report layer knows about flags, statistics and area types: one registry each.

Every renderer (chart, workbook, HTML page) reads these registries, so a flag is described,
drawn and explained the same way everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FlagStyle", "FLAGS", "StatisticStyle", "STATISTICS", "AREA_TYPES", "CONSORTIUM", "AVERAGE"]


@dataclass(frozen=True)
class FlagStyle:
    """How a quality flag is explained and drawn.

    Parameters
    ----------
    name
        The flag as it appears in the indicator table's ``flag`` column.
    meaning
        One sentence for the suppression key.
    shown_as
        How the flag appears in tables and charts (never by colour alone).
    marker, filled
        Matplotlib marker and whether it is filled, for the charts.
    """

    name: str
    meaning: str
    shown_as: str
    marker: str
    filled: bool


FLAGS: dict[str, FlagStyle] = {
    "ok": FlagStyle("ok", "The estimate meets every publication threshold.",
                    "The estimate is shown; filled round marker in charts.", "o", True),
    "caution": FlagStyle("caution", "The unweighted base is small (by default 30 to 49): treat with caution.",
                         "The estimate is shown with the word 'caution'; hollow round marker in charts.", "o", False),
    "low_reliability": FlagStyle("low_reliability",
                                 "The estimate is imprecise (its confidence interval or coefficient of variation "
                                 "is wider than the threshold).",
                                 "The estimate is shown with the words 'low reliability'; hollow diamond marker in "
                                 "charts.", "D", False),
    "suppressed": FlagStyle("suppressed", "The unweighted base is below the publication threshold (by default 30): "
                            "the estimate is not published, to protect respondents and because it is unreliable.",
                            "The estimate is left blank and the word 'suppressed' is shown with the reason; charts "
                            "show a labelled gap.", "", False),
}


@dataclass(frozen=True)
class StatisticStyle:
    """How estimates of one kind are scaled and written (rounding happens only here, when rendering).

    Parameters
    ----------
    name
        ``"share"`` or ``"mean"``.
    scale
        Multiplier from the table's value to the displayed value (shares are 0-1, shown as %).
    digits
        Decimal places shown.
    suffix
        Appended to a displayed estimate (``"%"`` for shares).
    difference_unit
        Word for a difference between two estimates (``"points"`` for shares).
    """

    name: str
    scale: float
    digits: int
    suffix: str
    difference_unit: str


STATISTICS: dict[str, StatisticStyle] = {
    "share": StatisticStyle("share", 100.0, 1, "%", " points"),
    "mean": StatisticStyle("mean", 1.0, 2, "", ""),
}

#: The consortium areas every table holds, by ``area_type``, with the definition printed in the notes.
AREA_TYPES: dict[str, str] = {
    "council": "A council taking part in the survey.",
    "consortium_population": "All councils: every respondent in the consortium pooled, each council weighted by "
                             "its adult population, so larger councils count for more.",
    "consortium_average": "Average council: every respondent pooled with each council given equal weight, so the "
                          "figure describes a typical council rather than the typical resident.",
}

CONSORTIUM = "consortium_population"
AVERAGE = "consortium_average"
