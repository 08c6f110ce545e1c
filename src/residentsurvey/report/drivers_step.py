"""The annual report's "what drives satisfaction" step: key drivers of one indicator, by council.

The step is data, named in the questionnaire's terms: an outcome indicator and driver indicators
(ids of the latest wave's questionnaire, e.g. ``satisfied_area`` and ``trust_council``), so the
respondent-level values are the questionnaire's own (1/0 for a share, don't know out of the base).
:func:`run_driver_step` computes them on the latest wave's weighted design and calls
:func:`residentsurvey.key_drivers`; the report layer then renders the result (a CSV, a workbook
sheet, the HTML section with the priority-matrix chart).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from ..analysis.indicator_values import indicator_values
from ..errors import OptionError, ReportError
from ..models.drivers import KEY_DRIVER_METHODS, KeyDrivers, key_drivers

if TYPE_CHECKING:
    from ..analysis.design import SurveyDesign
    from ..questionnaire.model import Questionnaire

__all__ = ["DriverStep", "DriverResults", "driver_step", "run_driver_step", "DRIVER_STEP_KEYS", "DRIVERS_NOTE"]

#: Keys of the ``drivers:`` step (``annual_report(drivers={...})`` and the YAML configuration).
DRIVER_STEP_KEYS = ("outcome", "drivers", "method", "labels", "min_n", "title")

#: What importance means, in plain English, printed with every key-driver table and chart.
DRIVERS_NOTE = ("Importance is a driver's share of what the drivers together explain of the differences "
                "between residents in the outcome (its share of R², the variance explained). It measures "
                "association, not cause: residents who answer a driver positively also tend to answer the "
                "outcome positively, but improving that driver will not necessarily improve the outcome. "
                "Performance is the driver's own level (the share of residents giving a positive answer). "
                "The rank interval says how sure the order is: a driver ranked 1 to 3 could be first, second "
                "or third.")


@dataclass(frozen=True)
class DriverStep:
    """What the key-driver step analyses: questionnaire indicator ids, the method and display names.

    ``min_n`` is the fewest respondents (with the outcome and every driver) for a council's own
    drivers to be shown; a council with fewer is pointed to the consortium figures.
    """

    outcome: str
    drivers: tuple[str, ...]
    method: str = "shapley"
    labels: Mapping[str, str] = field(default_factory=dict)
    min_n: int = 200
    #: The section's heading (default: "What drives: <the outcome indicator's label>").
    title: str | None = None


def driver_step(options: "DriverStep | Mapping[str, object] | None") -> DriverStep | None:
    """``drivers=`` of :func:`~residentsurvey.annual_report` checked: None, a :class:`DriverStep` or its keys.

    >>> driver_step({"outcome": "satisfied_area", "drivers": ["trust_council", "safe_after_dark"]}).drivers
    ('trust_council', 'safe_after_dark')
    >>> driver_step({"outcome": "satisfied_area"})
    Traceback (most recent call last):
    ...
    residentsurvey.errors.ReportError: drivers: drivers is missing; give the driver indicators, e.g. drivers: [trust_council, safe_after_dark].
    """
    if options is None or isinstance(options, DriverStep):
        step = options
    else:
        if not isinstance(options, Mapping):
            raise ReportError(f"drivers must be a mapping with outcome and drivers (and optionally method, labels, "
                              f"min_n); found {options!r}.")
        unknown = sorted(str(k) for k in options if k not in DRIVER_STEP_KEYS)
        if unknown:
            raise ReportError(f"drivers: unknown key {unknown[0]!r}; the keys are {', '.join(DRIVER_STEP_KEYS)}.")
        if "outcome" not in options:
            raise ReportError("drivers: outcome is missing; give the outcome indicator, e.g. outcome: satisfied_area.")
        if "drivers" not in options:
            raise ReportError("drivers: drivers is missing; give the driver indicators, e.g. drivers: "
                              "[trust_council, safe_after_dark].")
        names = options["drivers"]
        if isinstance(names, str) or not isinstance(names, Sequence):
            raise ReportError(f"drivers: drivers must be a list of indicator ids; found {names!r}.")
        labels = options.get("labels") or {}
        if not isinstance(labels, Mapping):
            raise ReportError(f"drivers: labels must map indicator ids to display names; found {labels!r}.")
        step = DriverStep(outcome=str(options["outcome"]), drivers=tuple(str(n) for n in names),
                          method=str(options.get("method", "shapley")),
                          labels={str(k): str(v) for k, v in labels.items()}, min_n=options.get("min_n", 200),
                          title=None if options.get("title") is None else str(options["title"]))
    if step is None:
        return None
    if step.method not in KEY_DRIVER_METHODS:
        raise OptionError.unknown("drivers method", step.method, KEY_DRIVER_METHODS)
    if not step.drivers:
        raise ReportError("drivers: the list of drivers is empty; name at least one driver indicator.")
    if not isinstance(step.min_n, int) or isinstance(step.min_n, bool) or step.min_n < 1:
        raise ReportError(f"drivers: min_n must be a positive whole number of respondents; found {step.min_n!r}.")
    return step


@dataclass(frozen=True)
class DriverResults:
    """The key-driver step's result: :class:`~residentsurvey.KeyDrivers` and what the report needs to show it."""

    drivers: KeyDrivers
    wave: object
    #: The outcome indicator's label, e.g. "% satisfied with the local area as a place to live".
    outcome_label: str
    labels: Mapping[str, str]
    min_n: int
    overall: str
    #: The section's heading.
    title: str

    def rows(self, area: str) -> pd.DataFrame:
        """The drivers of one area (a council, or :attr:`overall`), most important first."""
        column = self.drivers.by[0] if self.drivers.by else None
        rows = self.drivers.table if column is None else self.drivers.table[
            self.drivers.table[column].astype(str) == str(area)]
        return rows.sort_values(["rank", "driver"]).reset_index(drop=True)

    def sound(self, area: str) -> bool:
        """Whether an area has enough respondents (``min_n``) and a model that explains something."""
        rows = self.rows(area)
        return bool(len(rows) and int(rows["n"].iloc[0]) >= self.min_n and float(rows["r2"].iloc[0]) > 0)

    def readable(self) -> pd.DataFrame:
        """The table for readers and the workbook: area, driver, its label and the figures in per cent."""
        table = self.drivers.table
        column = self.drivers.by[0] if self.drivers.by else None
        out = pd.DataFrame({"area": table[column].astype(str) if column else self.overall,
                            "driver": table["driver"], "label": table["driver"].map(lambda d: self.labels.get(d, d))})
        for name in ("share", "importance_lower", "importance_upper"):
            scale = 100 / table["r2"] if name != "share" else 100
            out[{"share": "importance_pct", "importance_lower": "importance_lower_pct",
                 "importance_upper": "importance_upper_pct"}[name]] = table[name] * scale
        for name in ("rank", "rank_lower", "rank_upper"):
            out[name] = table[name]
        for name in ("performance", "performance_lower", "performance_upper"):
            out[name] = table[name]
        out["r2"], out["n"] = table["r2"], table["n"]
        return out


def _short_label(label: str) -> str:
    """An indicator label without its leading "% " (the chart shows the unit on its axis)."""
    return label[2:] if label.startswith("% ") else label


def run_driver_step(step: DriverStep, design: "SurveyDesign", questionnaire: "Questionnaire", *, wave: object,
                    by: str, level: float, overall: str) -> DriverResults:
    """Key drivers of ``step.outcome`` on one wave's weighted design, every council and ``overall``.

    The outcome and drivers are indicators of ``questionnaire``; a name that is not one is a
    :class:`~residentsurvey.ReportError` listing the indicators it declares.
    """
    declared = [i.id for i in questionnaire.indicators]
    for name in (step.outcome, *step.drivers):
        if name not in declared:
            raise ReportError(f"drivers: {name!r} is not an indicator of {questionnaire.name} (wave {wave}); use "
                              f"one of {', '.join(declared)}.")
    values = indicator_values(design.data, questionnaire, [step.outcome, *step.drivers])
    result = key_drivers(design.with_columns(values), step.outcome, list(step.drivers), by=by, method=step.method,
                         level=level, overall_label=overall)
    found = {i.id: i.label for i in questionnaire.indicators}
    labels = {d: step.labels.get(d, _short_label(found[d])) for d in step.drivers}
    title = step.title or f"What drives: {found[step.outcome]}"
    return DriverResults(result, wave, found[step.outcome], labels, step.min_n, overall, title)
