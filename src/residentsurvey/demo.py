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

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from .analysis import SurveyDesign
from .datasets import demo_consortium, demo_council_populations
from .questionnaire import load_questionnaire
from .report.annual import AnnualReport, annual_report
from .scales import score

#: The margins every demo council is weighted to: the published kind of population estimates.
DEMO_MARGINS = ("age_band:sex", "tenure", "ethnicity")
#: The questionnaire version each demo wave was collected on.
DEMO_WAVES = {1: "core-v1", 2: "core-v2"}
#: The demo's sample design: council x deprivation strata, postcode sectors then residents, fpc at both stages.
DEMO_DESIGN = {"weights": "design_weight", "strata": "stratum", "psu": ["sector", "respondent_id"],
               "fpc": ["sectors_in_stratum", "adults_in_sector"]}


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
    design = SurveyDesign(returns, **DEMO_DESIGN)
    return design.calibrate(demo_targets(seed=seed), method="raking", by="council") if calibrated else design


def anxiety_bands(designs: dict[int, SurveyDesign], *, level: float = 0.95) -> pd.DataFrame:
    """The share of residents in each ONS anxiety band, by council and wave, for the band chart.

    Columns: wave, indicator, label, area, category, estimate, ci_lower, ci_upper, n, flag.
    """
    parts = []
    for wave, design in designs.items():
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


#: The report configuration ``write_demo_returns`` writes beside the returns (paths relative to it).
DEMO_REPORT_YAML = """# residentsurvey report report.yaml: the demo's annual report from the .sav files beside this file.
title: "Residents' survey: demo consortium"
by: council
out: report-output
design:
  weights: design_weight
  strata: stratum
  psu: [sector, respondent_id]
  fpc: [sectors_in_stratum, adults_in_sector]
targets: demo_targets.csv
waves:
  - {wave: 1, returns: demo-wave1.sav, questionnaire: core-v1}
  - {wave: 2, returns: demo-wave2.sav, questionnaire: core-v2}
"""


def write_demo_returns(folder: Path | str, *, seed: int = 2026) -> list[Path]:
    """Write the demo returns as a contractor would deliver them, to try every command on files.

    Each wave as ``demo-wave<N>.sav`` (labelled from its questionnaire by
    :func:`~residentsurvey.write_sav`), ``.csv`` and ``.xlsx``; the population targets as
    ``demo_targets.csv``; and ``report.yaml``, a report configuration for the .sav files.
    Returns the paths written.
    """
    from .returns import write_sav

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for wave, name in DEMO_WAVES.items():
        returns = demo_consortium(seed=seed, wave=wave)
        stem = out / f"demo-wave{wave}"
        write_sav(returns, stem.with_suffix(".sav"), load_questionnaire(name))
        returns.to_csv(stem.with_suffix(".csv"), index=False)
        returns.to_excel(stem.with_suffix(".xlsx"), index=False, sheet_name=f"wave {wave}", engine="openpyxl")
        paths += [stem.with_suffix(s) for s in (".sav", ".csv", ".xlsx")]
    paths.append(out / "demo_targets.csv")
    demo_targets(seed=seed).to_csv(paths[-1], index=False)
    paths.append(out / "report.yaml")
    paths[-1].write_text(DEMO_REPORT_YAML, encoding="utf-8")
    return paths


def run_demo(*, seed: int = 2026, out_dir: Path | str = "demo-output", level: float = 0.95,
             progress: Callable[[str], None] | None = None) -> AnnualReport:
    """Validate, weight, estimate, compare and report both demo waves; write everything to ``out_dir``.

    ``progress`` (e.g. ``print``) is called with a line as each step starts.
    """
    waves = {wave: (demo_consortium(seed=seed, wave=wave), load_questionnaire(name)) for wave, name in DEMO_WAVES.items()}
    return annual_report(waves, design=DEMO_DESIGN, by="council", targets=demo_targets(seed=seed), level=level,
                         out_dir=out_dir, title="Residents' survey: demo consortium",
                         bands=lambda designs: anxiety_bands(designs, level=level), progress=progress)
