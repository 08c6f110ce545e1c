"""Tracker configurations: what ``residentsurvey track CONFIG.yaml`` reads.

```yaml
title: "Residents' tracker"
by: council
out: tracker-output               # relative to this file
design: {weights: design_weight, strata: stratum, psu: [sector, respondent_id]}
targets: targets.csv              # optional: calibrate each window, council by council
method: raking
window: 4                         # periods per window (4 quarters: a rolling year)
freq: quarter                     # or month
date: interview_date
pairs: previous                   # previous, consecutive or all
adjust: holm
indicators: [satisfied_area, trust_council]   # optional: default every indicator
returns:                          # one file per questionnaire version, in time order
  - {returns: q1-q2.csv, questionnaire: core-v1}
  - {returns: q3-q4.csv, questionnaire: core-v2}
```

Every problem is a :class:`~residentsurvey.ReportError` naming the file and the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..analysis.disclosure import DisclosureRules
from .config import _fail, _file, read_level_rules, read_mapping, read_returns_entry

KEYS = {"title", "by", "out", "design", "targets", "method", "window", "freq", "date", "pairs", "adjust",
        "indicators", "level", "disclosure", "returns"}


@dataclass(frozen=True)
class TrackerConfig:
    """A checked tracker configuration, with its returns read (column ``questionnaire`` names each version)."""

    path: Path
    title: str
    by: str
    out: Path
    design: dict
    targets: pd.DataFrame | None
    method: str
    window: int
    freq: str
    date: str
    pairs: str
    adjust: str
    indicators: tuple[str, ...] | None
    level: float
    rules: DisclosureRules
    returns: pd.DataFrame
    questionnaires: dict


def read_tracker_config(path: str | Path) -> TrackerConfig:
    """Read and check a tracker configuration, loading each version's questionnaire and returns."""
    path = Path(path)
    document = read_mapping(path, kind="tracker", keys=KEYS, required=("design", "returns"))
    design = document["design"]
    files = document["returns"]
    if not isinstance(files, list) or not files:
        raise _fail(path, "returns", "expected a list of {returns, questionnaire}, one per questionnaire version.")
    parts, questionnaires = [], {}
    for i, item in enumerate(files):
        key = f"returns[{i}]"
        if not isinstance(item, dict) or set(item) != {"returns", "questionnaire"}:
            raise _fail(path, key, f"expected {{returns, questionnaire}}, found {item!r}.")
        returns, questionnaire = read_returns_entry(path, key, item)
        questionnaires[questionnaire.name] = questionnaire
        parts.append(returns.assign(questionnaire=questionnaire.name))
    window = document.get("window", 4)
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise _fail(path, "window", f"must be a whole number of periods, at least 1; found {window!r}.")
    level, rules = read_level_rules(path, document)
    indicators = document.get("indicators")
    if indicators is not None and (not isinstance(indicators, list) or not all(isinstance(i, str) for i in indicators)):
        raise _fail(path, "indicators", f"expected a list of indicator ids, found {indicators!r}.")
    targets = pd.read_csv(_file(path, "targets", document["targets"])) if document.get("targets") else None
    return TrackerConfig(
        path=path, title=str(document.get("title", "Residents' survey tracker")),
        by=str(document.get("by", "council")), out=(path.parent / str(document.get("out", "tracker-output"))).resolve(),
        design=dict(design), targets=targets, method=str(document.get("method", "raking")), window=window,
        freq=str(document.get("freq", "quarter")), date=str(document.get("date", "interview_date")),
        pairs=str(document.get("pairs", "previous")), adjust=str(document.get("adjust", "holm")),
        indicators=tuple(indicators) if indicators else None, level=level, rules=rules,
        returns=pd.concat(parts, ignore_index=True), questionnaires=questionnaires)
