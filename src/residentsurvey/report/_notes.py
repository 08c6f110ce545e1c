"""The explanations every output carries: rank intervals, no league table, consortium figures, breaks."""

from __future__ import annotations

import pandas as pd

from collections.abc import Mapping

from ._registry import AREA_TYPES, AVERAGE, CONSORTIUM

__all__ = ["RANK_INTERVALS", "NO_LEAGUE_TABLE", "FUNNEL", "CHANGE", "ROUNDING", "REPLICATE_WORDS",
           "questionnaire_versions", "threshold_lines", "definitions", "variance_note"]

RANK_INTERVALS = (
    "A rank interval is the range of positions a council could hold among the councils once the uncertainty "
    "of every estimate is taken into account: \"1 to 3 of 5\" means the data are consistent with the council "
    "being anywhere from first to third. Rank 1 is the best position: the highest value where higher is better, "
    "the lowest where lower is better (anxiety, for instance), and simply the highest where neither direction "
    "is better; each measure says which. Wide intervals that overlap mean the councils cannot be told apart.")
NO_LEAGUE_TABLE = (
    "No league table is shown. Ranking councils by their point estimates treats small differences as if they "
    "were real; the Office for National Statistics advises that \"simply ranking local authorities by their "
    "numerical scores can be misleading\" because of sample sizes and mode effects. Councils are listed "
    "alphabetically in tables; charts order them by estimate only to make the intervals easy to compare.")
FUNNEL = (
    "In a funnel plot each council is placed by its estimate and by the precision of its difference from all "
    "councils, shown as an equivalent sample size: the size of a simple random sample that would measure that "
    "difference as precisely (it allows for weighting, clustering and the council being part of all councils, "
    "so it can exceed the council's base). The limits around the All councils value narrow as that size grows. "
    "The inner limits are at the report's confidence level and the outer at 99.8%; unless the report says "
    "otherwise both allow for every council being compared at once, so that by chance alone no council would "
    "fall outside the inner limits in at least 19 reports out of 20. A council outside the inner limits is one "
    "the table calls higher or lower than all councils.")
CHANGE = (
    "Change since the previous wave compares two independent samples, and is tested only where the "
    "questionnaire versions measure the same thing: unchanged, or comparable after recoding the older answers "
    "(for instance two answer options merged into one). Otherwise the table says why there is no change: the "
    "measure is new in this wave, or its wording changed, its answer options changed, it is asked of a "
    "different group, or its definition changed (not comparable); trend charts show a break in the series.")
#: Each replicate method (``rs.REPLICATE_METHODS`` and ``"other"`` for a file's weights) in plain words.
REPLICATE_WORDS = {
    "jk1": "jackknife", "jkn": "stratified jackknife", "brr": "balanced repeated replication (BRR)",
    "fay": "Fay's balanced repeated replication", "bootstrap": "bootstrap", "subbootstrap": "Rao-Wu bootstrap",
    "other": "replicate",
}
ROUNDING = ("Figures are rounded only for display: percentages to 1 decimal place, means to 2. Differences "
            "between shares are in percentage points.")


def questionnaire_versions(table: pd.DataFrame) -> list[str]:
    """One line per wave, e.g. "Wave 2: core-v2"."""
    versions = table.drop_duplicates(["wave", "questionnaire"]).sort_values("wave")
    return [f"Wave {w}: {q}" for w, q in zip(versions["wave"], versions["questionnaire"])]


#: How each disclosure threshold is written; ``{}`` is the value. Unknown keys are written "name: value".
_THRESHOLD_WORDS = {
    "suppress_below": "suppress below: {} (estimates on fewer respondents are not published)",
    "caution_below": "caution below: {} (estimates on fewer respondents are published with a caution)",
    "max_half_width": "max half width: {} (a wider confidence interval, either side, in points for shares, is "
                      "flagged as of low reliability)",
    "max_cv": "max cv: {} (a larger coefficient of variation is flagged as of low reliability)",
    "max_ci_half_width": "max CI half width: {} (a wider confidence interval is flagged as of low reliability)",
}


def threshold_lines(thresholds: Mapping[str, object] | pd.DataFrame | None) -> list[str]:
    """The thresholds behind the flags, one line each; a threshold that is not set (None) is left out.

    ``thresholds`` is the mapping (e.g. ``{"suppress_below": 30, "max_cv": None}``) or, as before,
    a table whose ``attrs["thresholds"]`` holds it.

    >>> threshold_lines({"suppress_below": 30, "max_half_width": None})
    ['suppress below: 30 (estimates on fewer respondents are not published)']
    """
    if isinstance(thresholds, pd.DataFrame):
        thresholds = thresholds.attrs.get("thresholds")
    lines = []
    for key, value in (thresholds or {}).items():
        if value is None or (isinstance(value, float) and value != value):
            continue
        shown = f"{value:g}" if isinstance(value, float) else str(value)
        lines.append(_THRESHOLD_WORDS.get(key, key.replace("_", " ") + ": {}").format(shown))
    return lines


def definitions(table: pd.DataFrame) -> list[tuple[str, str]]:
    """(name, definition) for the consortium figures the table holds."""
    out = []
    for area_type in (CONSORTIUM, AVERAGE):
        names = table.loc[table["area_type"] == area_type, "area"]
        if len(names):
            out.append((str(names.iloc[0]), AREA_TYPES[area_type]))
    return out


def variance_note(method: str | None = None, *, replicates: int | str = 0, reweighted: bool = False) -> str:
    """How the standard errors were computed, in words: Taylor linearisation (``method=None``) or replicates.

    ``method`` is a replicate method (a key of :data:`REPLICATE_WORDS`), ``replicates`` how many
    there are (a number, or words such as "150 to 160" when waves differ) and ``reweighted`` whether the weighting (calibration, trimming) was re-run in each.

    >>> variance_note()[:60]
    'Standard errors and confidence intervals are computed by Tay'
    >>> "200 sets of bootstrap replicate weights" in variance_note("bootstrap", replicates=200, reweighted=True)
    True
    """
    if method is None:
        return ("Standard errors and confidence intervals are computed by Taylor linearisation, which allows for "
                "the stratification and clustering of the sample and for the weighting.")
    words = REPLICATE_WORDS.get(method, method)
    text = (f"Standard errors and confidence intervals are computed from {replicates} sets of {words} replicate "
            "weights: every estimate is recomputed with each set, and the spread of the recomputed estimates gives "
            "its standard error.")
    if reweighted:
        text += (" The weighting (calibration to the population, and any trimming) is re-run for each set, so the "
                 "standard errors allow for it.")
    return text
