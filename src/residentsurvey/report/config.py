"""Report configurations: what ``residentsurvey report CONFIG.yaml`` reads.

```yaml
title: "Residents' survey 2026"
by: council                       # the area column
out: report-output                # folder for the outputs (relative to this file)
design:                           # SurveyDesign arguments, the same for every wave
  weights: design_weight
  strata: stratum
  psu: [sector, respondent_id]
  fpc: [sectors_in_stratum, adults_in_sector]
targets: targets.csv              # optional: calibrate each area to its population
method: raking                    # raking, linear or logit
replicates: {method: bootstrap, replicates: 200, seed: 2026}   # optional: SEs from replicate weights
level: 0.95
disclosure: {suppress_below: 30, caution_below: 50}
drivers:                          # optional: what drives an indicator (indicator ids of the latest wave)
  outcome: satisfied_area
  drivers: [satisfied_council, trust_council, safe_after_dark, belonging]
  method: shapley                 # or relative_weights
waves:                            # in time order
  - {wave: 1, returns: wave1.sav, questionnaire: core-v1}
  - {wave: 2, returns: wave2.csv, questionnaire: core-v2}
```

File paths are relative to the configuration file. Every problem is a
:class:`~residentsurvey.ReportError` naming the file and the key.
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
from .annual import replicate_options
from .drivers_step import DriverStep, driver_step

KEYS = {"title", "by", "out", "design", "targets", "method", "replicates", "level", "disclosure", "waves",
        "drivers"}
DESIGN_KEYS = {"weights", "strata", "psu", "fpc", "nest", "lonely_psu"}


@dataclass(frozen=True)
class ReportConfig:
    """A checked report configuration, with its waves read."""

    path: Path
    title: str
    by: str
    out: Path
    design: dict
    targets: pd.DataFrame | None
    method: str
    level: float
    rules: DisclosureRules
    waves: dict
    #: ``annual_report(replicates=...)``: None (Taylor linearisation) or ``design.replicate`` arguments.
    replicates: dict | None = None
    #: ``annual_report(drivers=...)``: the key-driver step, or None.
    drivers: DriverStep | None = None


def _fail(path: Path, key: str, message: str) -> ReportError:
    return ReportError(f"{path}: {key}: {message}")


def _file(path: Path, key: str, value: object) -> Path:
    if not isinstance(value, str) or not value:
        raise _fail(path, key, f"expected a file path, found {value!r}.")
    found = (path.parent / value).resolve()
    if not found.exists():
        raise _fail(path, key, f"no such file {found}.")
    return found


def load_yaml(path: Path, *, kind: str) -> object:
    """The parsed YAML of a configuration file, or a :class:`ReportError` naming the file."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ReportError(f"{path}: cannot read the {kind} configuration ({error.strerror}).") from error
    except yaml.YAMLError as error:
        raise ReportError(f"{path}: not valid YAML ({error}).") from error


def read_mapping(path: Path, *, kind: str, keys: set[str], required: tuple[str, str]) -> dict:
    """A YAML configuration as a mapping with only ``keys``, the ``required`` ones and a valid ``design``."""
    document = load_yaml(path, kind=kind)
    needs = " and ".join(required)
    if not isinstance(document, dict):
        raise ReportError(f"{path}: a {kind} configuration is a mapping with {needs}.")
    unknown = sorted(set(document) - keys)
    if unknown:
        raise _fail(path, unknown[0], f"unknown key; known keys are {sorted(keys)}.")
    for key in required:
        if key not in document:
            raise _fail(path, key, f"missing: the configuration needs {needs}.")
    design = document["design"]
    if not isinstance(design, dict) or set(design) - DESIGN_KEYS:
        raise _fail(path, "design", f"expected a mapping with keys from {sorted(DESIGN_KEYS)}, found {design!r}.")
    return document


#: What one entry of ``waves:`` may hold (``sheets`` and ``header_row`` say how to read a workbook).
WAVE_KEYS = frozenset({"wave", "returns", "questionnaire", "sheets", "header_row"})


def read_returns_entry(path: Path, key: str, entry: dict) -> tuple[pd.DataFrame, object]:
    """The returns file of one entry ``{returns, questionnaire}``, read with its questionnaire.

    An entry may also say how to read a workbook or a file with title rows: ``sheets`` (a sheet name
    or a list of them, stacked) and ``header_row`` (1-based), as :func:`residentsurvey.read_returns`.
    """
    options = {name: entry[name] for name in ("sheets", "header_row") if entry.get(name) is not None}
    try:
        questionnaire = load_questionnaire(entry["questionnaire"])
        return read_returns(_file(path, f"{key}.returns", entry["returns"]), questionnaire, **options), questionnaire
    except ReportError:
        raise
    except ResidentSurveyError as error:
        raise _fail(path, key, str(error)) from error


def read_level_rules(path: Path, document: dict) -> tuple[float, DisclosureRules]:
    """The configuration's ``level`` (default 0.95) and ``disclosure`` rules, checked."""
    try:
        rules = DisclosureRules(**(document.get("disclosure") or {}))
    except TypeError as error:
        raise _fail(path, "disclosure", f"{error}; keys are suppress_below, caution_below, max_half_width, max_cv.") from error
    level = document.get("level", 0.95)
    if not isinstance(level, (int, float)) or not 0 < level < 1:
        raise _fail(path, "level", f"must be a number between 0 and 1, found {level!r}.")
    return float(level), rules


def read_report_config(path: str | Path) -> ReportConfig:
    """Read and check a report configuration, loading each wave's questionnaire and returns."""
    path = Path(path)
    document = read_mapping(path, kind="report", keys=KEYS, required=("design", "waves"))
    design = document["design"]
    try:
        replicates = replicate_options(document.get("replicates"))
    except ResidentSurveyError as error:
        raise _fail(path, "replicates", str(error)) from error
    try:
        drivers = driver_step(document.get("drivers"))
    except ResidentSurveyError as error:
        raise _fail(path, "drivers", str(error).removeprefix("drivers: ")) from error
    waves_raw = document["waves"]
    if not isinstance(waves_raw, list) or not waves_raw:
        raise _fail(path, "waves", "expected a list of waves, each {wave, returns, questionnaire}.")
    waves = {}
    for i, wave in enumerate(waves_raw):
        key = f"waves[{i}]"
        if not isinstance(wave, dict) or {"wave", "returns", "questionnaire"} - set(wave):
            raise _fail(path, key, f"expected {{wave, returns, questionnaire}}, found {wave!r}.")
        unknown = set(wave) - WAVE_KEYS
        if unknown:
            raise _fail(path, key, f"unknown key(s) {', '.join(sorted(map(str, unknown)))}; a wave takes "
                                   f"{', '.join(sorted(WAVE_KEYS))}.")
        if wave["wave"] in waves:
            raise _fail(path, f"{key}.wave", f"wave {wave['wave']!r} appears twice.")
        returns, questionnaire = read_returns_entry(path, key, wave)
        waves[wave["wave"]] = (returns, questionnaire)
    targets = None
    if document.get("targets") is not None:
        targets = pd.read_csv(_file(path, "targets", document["targets"]))
    level, rules = read_level_rules(path, document)
    return ReportConfig(path=path, title=str(document.get("title", "Residents' survey")),
                        by=str(document.get("by", "council")),
                        out=(path.parent / str(document.get("out", "report-output"))).resolve(),
                        design=dict(design), targets=targets, method=str(document.get("method", "raking")),
                        level=float(level), rules=rules, waves=waves, replicates=replicates,
                        drivers=drivers)
