"""The demo job: the whole annual cycle on the bundled synthetic consortium.

``make demo`` runs :func:`run_demo` through ``residentsurvey demo``. Two waves of returns from five
councils, collected on questionnaire versions core-v1 and core-v2, are

1. validated against their questionnaire (nothing is dropped or changed),
2. weighted: design weights raked, council by council, to age by sex, tenure and ethnicity,
3. turned into every indicator the questionnaires declare (scale scores by the scales module),
   for every council and the consortium, compared with the consortium and with the previous wave
   where the questionnaire diff allows (harmonising the older wave where it needs recoding),
   with rank intervals, funnel positions and disclosure flags,
4. written to ``demo-output/``: the indicator table (CSV), weighting summaries and the weights
   chart, the validation reports, and the Excel workbook and HTML report.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .analysis import SurveyDesign
from .analysis.indicators import indicator_funnel_limits, indicators
from .datasets import demo_consortium, demo_council_populations
from .questionnaire import load_questionnaire
from .returns import ValidationReport, validate_returns
from .scales import score

#: The margins every demo council is weighted to: the published kind of population estimates.
DEMO_MARGINS = ("age_band:sex", "tenure", "ethnicity")
#: The questionnaire version each demo wave was collected on.
DEMO_WAVES = {1: "core-v1", 2: "core-v2"}


def demo_targets(*, seed: int = 2026) -> pd.DataFrame:
    """Population targets for the demo councils: age by sex, tenure and ethnicity (council, variable, category, total).

    The same numbers are shipped as ``examples/demo_targets.csv`` for the command line.
    """
    populations = demo_council_populations(seed=seed)
    return populations[populations["variable"].isin(DEMO_MARGINS)].reset_index(drop=True)


def demo_design(*, seed: int = 2026, wave: int = 1, calibrated: bool = True) -> SurveyDesign:
    """One demo wave as a stratified two-stage design.

    Strata are council by deprivation band; postcode sectors are the PSUs, residents the second
    stage, with population counts at both stages for the finite population correction. The design
    weights are raked, council by council, to :func:`demo_targets` (``calibrated=False`` keeps
    the design weights).
    """
    returns = demo_consortium(seed=seed, wave=wave)
    design = SurveyDesign(returns, weights="design_weight", strata="stratum", psu=["sector", "respondent_id"],
                          fpc=["sectors_in_stratum", "adults_in_sector"])
    return design.calibrate(demo_targets(seed=seed), method="raking", by="council") if calibrated else design


def anxiety_bands(waves: dict[int, tuple[SurveyDesign, object]], *, level: float = 0.95) -> pd.DataFrame:
    """The share of residents in each ONS anxiety band, by council and wave, for the band chart.

    Columns: wave, indicator, label, area, category, estimate, ci_lower, ci_upper, n, flag.
    """
    parts = []
    for wave, (design, _) in waves.items():
        scored = score(design.data, "ons4")
        banded = design.with_columns({"anxiety_band": scored["anxiety_band"]})
        for by, area in (("council", None), (None, "All councils")):
            shares = banded.proportion("anxiety_band", by=by, level=level)
            shares = shares.rename(columns={"council": "area"}) if by else shares.assign(area=area)
            parts.append(shares.assign(wave=wave))
    table = pd.concat(parts, ignore_index=True)
    table["area"] = table["area"].astype(str)
    table["indicator"] = "mean_anxious"
    table["label"] = "Anxiety yesterday, ONS bands (0-1 very low, 2-3 low, 4-5 medium, 6-10 high)"
    table["flag"] = np.where(table["n"] < 30, "suppressed", np.where(table["n"] < 50, "caution", "ok"))
    return table[["wave", "indicator", "label", "area", "category", "estimate", "ci_lower", "ci_upper", "n", "flag"]]


@dataclass(frozen=True)
class DemoResult:
    """What the demo produced: per wave its validation report and design, the indicator table, the files."""

    validation: dict[int, ValidationReport]
    designs: dict[int, SurveyDesign]
    table: pd.DataFrame
    paths: list[Path] = field(default_factory=list)
    seconds: float = 0.0


def run_demo(*, seed: int = 2026, out_dir: Path | str = "demo-output", level: float = 0.95,
             progress: Callable[[str], None] | None = None) -> DemoResult:
    """Validate, weight, estimate, compare and report both demo waves; write everything to ``out_dir``.

    ``progress`` (e.g. ``print``) is called with a line as each step starts.
    """
    from .report import plot_weight_distribution, write_html_report, write_workbook

    started = time.perf_counter()
    say = progress or (lambda line: None)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    validation, designs, waves, paths = {}, {}, {}, []
    for wave, name in DEMO_WAVES.items():
        questionnaire = load_questionnaire(name)
        say(f"wave {wave}: validating {name} returns")
        returns = demo_consortium(seed=seed, wave=wave)
        validation[wave] = validate_returns(returns, questionnaire)
        report_path = out / f"validation-wave{wave}.csv"
        validation[wave].to_csv(report_path)
        paths.append(report_path)
        say(f"wave {wave}: weighting each council to its population")
        design = demo_design(seed=seed, wave=wave)
        designs[wave] = design
        waves[wave] = (design, questionnaire)
        summary_path = out / f"weighting-wave{wave}.csv"
        design.weighting_summary(by="council").to_csv(summary_path, index=False)
        paths.append(summary_path)
    figure = plot_weight_distribution(designs[max(designs)], by="council")
    paths.append(out / "weights.png")
    figure.savefig(paths[-1], dpi=110)
    figure.clf()
    say("estimating every indicator for every council, with comparisons")
    table = indicators(waves=waves, by="council", level=level)
    paths.append(out / "indicators.csv")
    table.to_csv(paths[-1], index=False)
    bands = anxiety_bands(waves, level=level)
    say("writing the Excel workbook and the HTML report")
    paths.append(out / "indicators.xlsx")
    write_workbook(table, paths[-1], bands=bands)
    paths += write_html_report(table, out / "report", bands=bands, limits=indicator_funnel_limits(table),
                               title="Residents' survey: demo consortium")
    return DemoResult(validation, designs, table, paths, time.perf_counter() - started)
