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
import yaml

from ..analysis.disclosure import DisclosureRules
from ..errors import ReportError, ResidentSurveyError
from ..questionnaire import load_questionnaire
from ..returns import read_returns
from .config import DESIGN_KEYS, _fail, _file

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
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ReportError(f"{path}: cannot read the tracker configuration ({error.strerror}).") from error
    except yaml.YAMLError as error:
        raise ReportError(f"{path}: not valid YAML ({error}).") from error
    if not isinstance(document, dict):
        raise ReportError(f"{path}: a tracker configuration is a mapping with design and returns.")
    unknown = sorted(set(document) - KEYS)
    if unknown:
        raise _fail(path, unknown[0], f"unknown key; known keys are {sorted(KEYS)}.")
    for key in ("design", "returns"):
        if key not in document:
            raise _fail(path, key, "missing: the configuration needs design and returns.")
    design = document["design"]
    if not isinstance(design, dict) or set(design) - DESIGN_KEYS:
        raise _fail(path, "design", f"expected a mapping with keys from {sorted(DESIGN_KEYS)}, found {design!r}.")
    files = document["returns"]
    if not isinstance(files, list) or not files:
        raise _fail(path, "returns", "expected a list of {returns, questionnaire}, one per questionnaire version.")
    parts, questionnaires = [], {}
    for i, item in enumerate(files):
        key = f"returns[{i}]"
        if not isinstance(item, dict) or set(item) != {"returns", "questionnaire"}:
            raise _fail(path, key, f"expected {{returns, questionnaire}}, found {item!r}.")
        try:
            questionnaire = load_questionnaire(item["questionnaire"])
            returns = read_returns(_file(path, f"{key}.returns", item["returns"]), questionnaire)
        except ReportError:
            raise
        except ResidentSurveyError as error:
            raise _fail(path, key, str(error)) from error
        questionnaires[questionnaire.name] = questionnaire
        parts.append(returns.assign(questionnaire=questionnaire.name))
    window = document.get("window", 4)
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise _fail(path, "window", f"must be a whole number of periods, at least 1; found {window!r}.")
    level = document.get("level", 0.95)
    if not isinstance(level, (int, float)) or not 0 < level < 1:
        raise _fail(path, "level", f"must be a number between 0 and 1, found {level!r}.")
    try:
        rules = DisclosureRules(**(document.get("disclosure") or {}))
    except TypeError as error:
        raise _fail(path, "disclosure", f"{error}; keys are suppress_below, caution_below, max_half_width, "
                                        "max_cv.") from error
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
        indicators=tuple(indicators) if indicators else None, level=float(level), rules=rules,
        returns=pd.concat(parts, ignore_index=True), questionnaires=questionnaires)
