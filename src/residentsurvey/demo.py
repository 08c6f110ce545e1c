"""The demo job: the whole annual cycle on the bundled synthetic consortium.

``make demo`` runs :func:`run_demo` through ``residentsurvey demo``. Two waves of returns from five
councils, collected on questionnaire versions core-v1 and core-v2, are

1. validated against their questionnaire (nothing is dropped or changed),
2. weighted: design weights raked, council by council, to age by sex, tenure and ethnicity,
3. turned into every indicator the questionnaires declare (scale scores by the scales module),
   for every council and the consortium, compared with the consortium and with the previous wave
   where the questionnaire diff allows (harmonising the older wave where it needs recoding),
   with rank intervals, funnel positions and disclosure flags,
4. asked what drives satisfaction with the local area (key drivers of ``satisfied_area``, by
   council, from :data:`DEMO_DRIVERS`) and modelled by ward (Fay-Herriot estimates of the share
   satisfied with the local area, :func:`demo_ward_estimates`) in the latest wave,
5. written to ``demo-output/``: the indicator table (CSV), weighting summaries and the weights
   chart, the validation reports, the key drivers and ward estimates, and the Excel workbook and
   HTML report (with a "What drives" section and each council's wards).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from .analysis import SurveyDesign
from .analysis.indicator_values import indicator_values
from .datasets import demo_consortium, demo_council_populations
from ._demo_wards import demo_ward_lookup, demo_wards
from .questionnaire import load_questionnaire
from .report.annual import AnnualReport, annual_report
from .scales import score
from .small_area import FayHerriot, fay_herriot

#: The margins every demo council is weighted to: the published kind of population estimates.
DEMO_MARGINS = ("age_band:sex", "tenure", "ethnicity")
#: The questionnaire version each demo wave was collected on.
DEMO_WAVES = {1: "core-v1", 2: "core-v2"}
#: The demo's sample design: council x deprivation strata, postcode sectors then residents, fpc at both stages.
DEMO_DESIGN = {"weights": "design_weight", "strata": "stratum", "psu": ["sector", "respondent_id"],
               "fpc": ["sectors_in_stratum", "adults_in_sector"]}

#: The demo's key-driver step: what goes with being satisfied with the local area (indicator ids of core-v2).
DEMO_DRIVERS = {
    "outcome": "satisfied_area",
    "drivers": ["satisfied_council", "value_for_money", "trust_council", "informed", "safe_after_dark", "belonging",
                "cohesion", "influence"],
    "method": "shapley",
    "title": "What drives satisfaction with the local area",
    "labels": {"satisfied_council": "Satisfied with the council", "value_for_money": "Value for money",
               "trust_council": "Trust the council", "informed": "Feel informed", "safe_after_dark": "Safe after dark",
               "belonging": "Belonging", "cohesion": "Cohesion", "influence": "Can influence decisions"},
}
#: The indicator the demo models by ward, and the ward model's covariates.
DEMO_WARD_INDICATOR = "satisfied_area"
DEMO_WARD_FORMULA = "~ imd_band + share_owner + share_75_plus + council"


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


def demo_ward_estimates(designs: dict[int, SurveyDesign], *, seed: int = 2026) -> pd.DataFrame:
    """Ward estimates of the share satisfied with the local area in the latest wave, for the annual report.

    The direct share of each ward (postcode sectors to wards by :func:`~residentsurvey.demo_ward_lookup`) with
    its design effect, modelled by :func:`~residentsurvey.fay_herriot` on the arcsine scale with the ward
    covariates of :func:`~residentsurvey.demo_wards` and benchmarked to each council's own figure. Returns
    ``sae.estimates`` with a ``council`` column, one row per ward (wards without respondents included).
    """
    latest = list(designs)[-1]
    design = designs[latest]
    questionnaire = load_questionnaire(DEMO_WAVES[latest])
    value = indicator_values(design.data, questionnaire, [DEMO_WARD_INDICATOR])[DEMO_WARD_INDICATOR]
    lookup = demo_ward_lookup(seed=seed).set_index("sector")["ward"]
    shares = design.with_columns({"ward": design.data["sector"].map(lookup),
                                  "satisfied": pd.Categorical(value, categories=[0.0, 1.0])})
    direct = shares.proportion("satisfied", by="ward", deff=True)
    council = shares.proportion("satisfied", by="council")
    wards = demo_wards(seed=seed)
    sae: FayHerriot = fay_herriot(direct[direct["category"] == 1.0], wards, formula=DEMO_WARD_FORMULA, area="ward",
                                  transform="arcsin", benchmark="council",
                                  council_estimates=council[council["category"] == 1.0], population="adults")
    return sae.estimates.merge(wards[["ward", "council"]], on="ward", how="left")


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
drivers:
  outcome: satisfied_area
  drivers: [satisfied_council, value_for_money, trust_council, informed, safe_after_dark, belonging, cohesion, influence]
  title: What drives satisfaction with the local area
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
                         bands=lambda designs: anxiety_bands(designs, level=level), drivers=DEMO_DRIVERS,
                         wards=lambda designs: demo_ward_estimates(designs, seed=seed),
                         ward_label="% satisfied with the local area as a place to live", progress=progress)
