"""The annual report in one call: validate each wave, weight it, estimate every indicator, write the outputs.

``rs.annual_report`` is what ``residentsurvey report`` and ``make demo`` run. Each wave's returns
are validated against their questionnaire (problems are reported, nothing is dropped), declared as
a survey design, calibrated council by council when targets are given, and passed with the others
to :func:`residentsurvey.indicators`. The outputs go to ``out_dir``: ``indicators.csv``,
``indicators.xlsx``, ``report/`` (HTML), and per wave the validation report, the weighting summary
and (for the latest wave) the weights chart, and the count of declared missing codes (don't know, ...)
per column. Only aggregated tables reach these files, so no
respondent-level value (ids, names, addresses, free text) can. With ``replicates=`` every standard
error comes from replicate weights, the weighting re-run in each replicate; the notes of the
workbook and the HTML pages say which variance method was used.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..analysis import SurveyDesign
from ..analysis.replicate import REPLICATE_METHODS
from ..analysis.disclosure import DisclosureRules
from ..analysis.indicators import ALL_COUNCILS, indicator_funnel_limits, indicators
from ..errors import OptionError, ReportError
from ..questionnaire.model import Questionnaire
from ..returns import ValidationReport, mask_missing_codes, to_codes, validate_returns
from ..weighting import targets_as_codes
from ._notes import variance_note
from .drivers_step import DriverResults, DriverStep, driver_step, run_driver_step
from .html import write_html_report
from .ward_chart import write_ward_outputs
from .weights_chart import plot_weight_distribution
from .workbook import write_workbook

#: Columns of the indicator table left out of the published ``indicators.csv``: the point rank (a
#: league-table position; the rank interval is published instead).
UNPUBLISHED_COLUMNS = ("rank",)

#: Keys of ``annual_report(replicates={...})``: the keyword arguments of ``SurveyDesign.replicate``.
REPLICATE_KEYS = ("method", "replicates", "seed", "fay_rho", "mse")


def replicate_options(replicates: str | Mapping[str, object] | None) -> dict[str, object] | None:
    """``replicates=`` of :func:`annual_report` checked: None, a method name, or ``design.replicate`` arguments.

    >>> replicate_options("jkn")
    {'method': 'jkn'}
    >>> replicate_options({"method": "bootstrap", "replicates": 200, "seed": 2026})
    {'method': 'bootstrap', 'replicates': 200, 'seed': 2026}
    """
    if replicates is None:
        return None
    options = {"method": replicates} if isinstance(replicates, str) else replicates
    if not isinstance(options, Mapping):
        raise ReportError(f"replicates must be a method name or a mapping such as {{'method': 'bootstrap', "
                          f"'replicates': 200, 'seed': 2026}}; found {replicates!r}.")
    unknown = sorted(str(key) for key in options if key not in REPLICATE_KEYS)
    if unknown:
        raise ReportError(f"replicates: unknown key {unknown[0]!r}; the keys are {', '.join(REPLICATE_KEYS)} "
                          "(the arguments of design.replicate).")
    if "method" not in options:
        raise ReportError(f"replicates: method is missing; use one of {', '.join(map(repr, REPLICATE_METHODS))}.")
    if options["method"] not in REPLICATE_METHODS:
        raise OptionError.unknown("replicates method", options["method"], REPLICATE_METHODS)
    return dict(options)


@dataclass(frozen=True)
class AnnualReport:
    """What an annual report run produced: per wave its validation report and design, the table, the files."""

    validation: dict[object, ValidationReport]
    designs: dict[object, SurveyDesign]
    table: pd.DataFrame
    paths: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    #: Per wave, answers holding a declared missing code (don't know, refused, ...), by column and code: they
    #: are out of every indicator base that leaves them out (``base: valid``, the default).
    missing_codes: dict[object, pd.DataFrame] = field(default_factory=dict)
    #: How the standard errors were computed, in the words the workbook and HTML notes use.
    variance: str = ""
    #: The key drivers of the ``drivers=`` step (latest wave), or None.
    drivers: DriverResults | None = None


def annual_report(
    waves: Mapping[object, tuple[pd.DataFrame, Questionnaire]],
    *,
    design: Mapping[str, object],
    by: str = "council",
    targets: pd.DataFrame | None = None,
    method: str = "raking",
    replicates: str | Mapping[str, object] | None = None,
    rules: DisclosureRules | None = None,
    level: float = 0.95,
    out_dir: Path | str = "report-output",
    title: str = "Residents' survey",
    bands: pd.DataFrame | Callable[[dict[object, SurveyDesign]], pd.DataFrame] | None = None,
    wards: Callable[[dict[object, SurveyDesign]], object] | None = None,
    ward_label: str = "ward estimates",
    drivers: DriverStep | Mapping[str, object] | None = None,
    progress: Callable[[str], None] | None = None,
) -> AnnualReport:
    """Validate, weight, estimate, compare and report every wave; write everything to ``out_dir``.

    Parameters
    ----------
    waves
        ``{label: (returns, questionnaire)}`` in time order.
    design
        Keyword arguments of :class:`~residentsurvey.SurveyDesign` (``weights``, ``strata``,
        ``psu``, ``fpc``, ``nest``, ``lonely_psu``), the same for every wave.
    by
        The area column, normally ``"council"``.
    targets
        Population targets (``by``, variable, category, total) to calibrate each wave to, area by
        area; None keeps the design weights. Categories may be labels or codes: each wave's
        returns are put in its questionnaire's codes (:func:`~residentsurvey.to_codes`) and the
        targets translated with the same questionnaire (:func:`~residentsurvey.targets_as_codes`),
        so a .sav with codes and a CSV with labels weight alike.
    method
        Calibration method (``"raking"``, ``"linear"``, ``"logit"``).
    replicates
        None (standard errors by Taylor linearisation), or standard errors from replicate weights:
        a method of ``rs.REPLICATE_METHODS`` (``"jkn"``) or the arguments of
        :meth:`SurveyDesign.replicate <residentsurvey.SurveyDesign.replicate>`, e.g.
        ``{"method": "bootstrap", "replicates": 200, "seed": 2026}``. Each wave's weighted design
        is replicated, so the calibration (and trimming) is re-run in every replicate and the
        standard errors, intervals, comparisons and rank intervals carry the whole weighting.
        Only the first stage of sampling is used (a later stage's fpc is dropped with a
        ``DesignWarning``, as R's ``as.svrepdesign`` does).
    rules, level
        Disclosure rules and confidence level of :func:`~residentsurvey.indicators`.
    bands
        Optional band shares for the band chart (see :func:`~residentsurvey.band_chart`), or a
        function that makes them from the weighted designs, ``{label: design}``.
    wards
        Optional: a function that makes ward estimates from the weighted designs (``{label: design}``),
        e.g. with :func:`~residentsurvey.fay_herriot`, returning its result or its ``estimates``; the
        ward table (with a note on what a modelled estimate is) and the ward chart are written, and
        each council's HTML page shows its wards (the table needs a ``by`` column naming each ward's council).
    ward_label
        What the ward estimates measure, for the HTML pages (e.g. "% satisfied with the local area").
    drivers
        Optional key-driver step, a :class:`~residentsurvey.report.drivers_step.DriverStep` or its keys
        ``{"outcome": ..., "drivers": [...], "method": "shapley", "labels": {...}, "min_n": 200}``:
        indicator ids of the latest wave's questionnaire. :func:`~residentsurvey.key_drivers` runs on
        the latest wave's weighted design (with ``replicates=``, the design before replication: key-driver
        intervals come from its delete-one-PSU jackknife), by council and for all councils; ``key-drivers.csv``, a
        "Key drivers" workbook sheet and a "What drives ..." section on the HTML pages (table,
        plain-English note, priority-matrix chart) are written. A council's page shows its own
        drivers when at least ``min_n`` respondents answered the outcome and every driver.
    progress
        Called with a line as each step starts (e.g. ``print``).
    """
    if not waves:
        raise ReportError("waves is empty: give {label: (returns, questionnaire)} for at least one wave.")
    options = replicate_options(replicates)
    step = driver_step(drivers)
    started = time.perf_counter()
    say = progress or (lambda line: None)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    validation, designs, paths, missing_codes = {}, {}, [], {}
    taylor: dict[object, SurveyDesign] = {}  # the weighted designs before replication, for the key drivers
    for label, (returns, questionnaire) in waves.items():
        say(f"wave {label}: validating the returns against {questionnaire.name}")
        validation[label] = validate_returns(returns, questionnaire)
        paths.append(out / f"validation-wave{label}.csv")
        validation[label].to_csv(paths[-1])
        weighting = "weighting each council to its population" if targets is not None else "declaring the design"
        say(f"wave {label}: {weighting}")
        # one internal form: answers as codes whatever the file, targets by label or code put in the same codes
        wave_design = SurveyDesign(to_codes(returns, questionnaire), **design)
        if targets is not None:
            wave_design = wave_design.calibrate(targets_as_codes(targets, questionnaire), method=method, by=by)
        taylor[label] = wave_design
        if options is not None:
            say(f"wave {label}: {options['method']} replicate weights" + (", the weighting re-run in each"
                                                                         if targets is not None else ""))
            wave_design = wave_design.replicate(**options)
        missing_codes[label] = mask_missing_codes(returns, questionnaire).counts
        paths.append(out / f"missing-codes-wave{label}.csv")
        missing_codes[label].to_csv(paths[-1], index=False)
        designs[label] = wave_design
        paths.append(out / f"weighting-wave{label}.csv")
        wave_design.weighting_summary(by=by).to_csv(paths[-1], index=False)
    variance = _variance_note(designs, options, reweighted=targets is not None)
    figure = plot_weight_distribution(designs[list(designs)[-1]], by=by)
    paths.append(out / "weights.png")
    figure.savefig(paths[-1], dpi=110, metadata={"Software": None})
    say("estimating every indicator for every council, with comparisons")
    table = indicators(waves={label: (designs[label], waves[label][1]) for label in waves}, by=by, level=level,
                       rules=rules)
    paths.append(out / "indicators.csv")
    # Published output: point ranks are never shown (rank intervals are), so the CSV leaves them out.
    table.drop(columns=[c for c in UNPUBLISHED_COLUMNS if c in table.columns]).to_csv(paths[-1], index=False)
    if callable(bands):
        bands = bands(designs)
    key = None
    if step is not None:
        latest = list(waves)[-1]
        say(f"wave {latest}: what drives {step.outcome} (key drivers by {by})")
        # key-driver intervals come from the Taylor design's own jackknife (not yet from replicate weights)
        key = run_driver_step(step, taylor[latest], waves[latest][1], wave=latest, by=by, level=level,
                              overall=ALL_COUNCILS)
        paths.append(out / "key-drivers.csv")
        key.drivers.table.to_csv(paths[-1], index=False)
    ward_estimates = None
    if wards is not None:
        say("modelling ward estimates")
        made = wards(designs)
        paths += write_ward_outputs(made, out)
        ward_estimates = getattr(made, "estimates", made)
    say("writing the Excel workbook and the HTML report")
    paths.append(out / "indicators.xlsx")
    write_workbook(table, paths[-1], bands=bands, title=title, variance=variance, drivers=key)
    paths += write_html_report(table, out / "report", bands=bands, limits=indicator_funnel_limits(table), title=title,
                               variance=variance, drivers=key, wards=ward_estimates, ward_label=ward_label, by=by)
    return AnnualReport(validation, designs, table, paths, time.perf_counter() - started, missing_codes, variance, key)


def _variance_note(designs: Mapping[object, object], options: Mapping[str, object] | None, *,
                   reweighted: bool) -> str:
    """The notes' sentence on how standard errors were computed (replicate counts may differ by wave)."""
    if options is None:
        return variance_note()
    counts = sorted({int(d.n_replicates) for d in designs.values()})
    shown = str(counts[0]) if len(counts) == 1 else f"{counts[0]} to {counts[-1]}"
    return variance_note(str(options["method"]), replicates=shown, reweighted=reweighted)
