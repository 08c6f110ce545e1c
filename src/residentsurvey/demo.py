"""The demo job: council estimates with confidence intervals from the bundled synthetic consortium.

``make demo`` runs this through ``residentsurvey demo``. Until the questionnaire and scale
modules declare indicators as data, the handful of indicators here are derived in code with
the conventions of the LGA question set: "% satisfied" is the share answering one of the two
positive codes, with "don't know" left out of the base.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .analysis import SurveyDesign
from .datasets import demo_consortium, demo_council_populations

#: The margins every demo council is weighted to: the published kind of population estimates.
DEMO_MARGINS = ("age_band:sex", "tenure", "ethnicity")


@dataclass(frozen=True)
class Indicator:
    """A share of positive answers (``positive`` codes) or, with no codes, a mean of the item."""

    name: str
    item: str
    label: str
    positive: tuple[int, ...] = ()


DEMO_INDICATORS: tuple[Indicator, ...] = (
    Indicator("satisfied_area", "q_satisfied_area", "% satisfied with the local area as a place to live", (1, 2)),
    Indicator("satisfied_council", "q_satisfied_council", "% satisfied with the way the council runs things", (1, 2)),
    Indicator("value_for_money", "q_value_for_money", "% agree the council provides value for money", (1, 2)),
    Indicator("trust_council", "q_trust", "% trust the council a great deal or a fair amount", (1, 2)),
    Indicator("safe_after_dark", "q_safe_after_dark", "% feel safe outside after dark", (1, 2)),
    Indicator("volunteered", "volunteered_formal_12m", "% volunteered formally in the last 12 months", (1,)),
    Indicator("life_satisfaction", "ons_life_satisfaction", "Mean life satisfaction (0-10)"),
    Indicator("anxiety", "ons_anxious", "Mean anxiety yesterday (0-10)"),
)


def positive_share_item(codes: pd.Series, positive: tuple[int, ...], excluded: list[int]) -> pd.Series:
    """1 for a positive code, 0 for another valid code, missing for "don't know" (``excluded``) or no answer."""
    values = codes.astype("Float64")
    flag = values.isin(positive).astype(float)
    flag[values.isna().to_numpy() | values.isin(excluded).to_numpy()] = np.nan
    return flag.astype(float)


def demo_targets(*, seed: int = 2026) -> pd.DataFrame:
    """Population targets for the demo councils: age by sex, tenure and ethnicity (council, variable, category, total).

    The same numbers are shipped as ``examples/demo_targets.csv`` for the command line.
    """
    populations = demo_council_populations(seed=seed)
    return populations[populations["variable"].isin(DEMO_MARGINS)].reset_index(drop=True)


def demo_design(*, seed: int = 2026, wave: int = 1, calibrated: bool = True) -> SurveyDesign:
    """The demo consortium as a stratified two-stage design, with the demo indicators derived.

    Strata are council by deprivation band; postcode sectors are the PSUs. The design weights
    are raked, council by council, to :func:`demo_targets` (``calibrated=False`` keeps the
    design weights).
    """
    returns = demo_consortium(seed=seed, wave=wave)
    dont_know = returns.attrs.get("dont_know_codes", {})
    derived = {}
    for indicator in DEMO_INDICATORS:
        if indicator.positive:
            derived[indicator.name] = positive_share_item(returns[indicator.item], indicator.positive,
                                                          list(dont_know.get(indicator.item, [])))
        else:
            derived[indicator.name] = returns[indicator.item].astype("Float64").astype(float)
    data = returns.assign(**derived)
    design = SurveyDesign(data, weights="design_weight", strata="stratum", psu=["sector", "respondent_id"],
                          fpc=["sectors_in_stratum", "adults_in_sector"])
    return design.calibrate(demo_targets(seed=seed), method="raking", by="council") if calibrated else design


def demo_estimates(design: SurveyDesign, *, level: float = 0.95) -> pd.DataFrame:
    """Every demo indicator for every council and for the consortium, in one tidy table.

    Shares use the logit interval (R's ``svyciprop`` default); means the Wald interval.
    Columns: ``indicator``, ``label``, ``council``, ``estimate``, ``se``, ``ci_lower``,
    ``ci_upper``, ``n``, ``deff``.
    """
    tables = []
    for indicator in DEMO_INDICATORS:
        for by in ("council", None):
            if indicator.positive:
                table = design.proportion(indicator.name, by=by, level=level, deff=True)
                table = table[table["category"] == 1.0].drop(columns="category")
            else:
                table = design.mean(indicator.name, by=by, level=level, deff=True)
            if by is None:
                table = table.assign(council="All councils")
            tables.append(table.assign(indicator=indicator.name, label=indicator.label).drop(columns="variable"))
    result = pd.concat(tables, ignore_index=True)
    result["council"] = result["council"].astype(str)
    columns = ["indicator", "label", "council", "estimate", "se", "ci_lower", "ci_upper", "n", "deff"]
    result = result[columns]
    result.attrs["level"] = level
    return result


def write_demo_outputs(design: SurveyDesign, estimates: pd.DataFrame, out_dir: Path) -> list[Path]:
    """Write the demo estimates, the weighting summary and the weights chart into ``out_dir``."""
    from .report import plot_weight_distribution

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "council_estimates.csv", out_dir / "weighting_summary.csv", out_dir / "weights.png"]
    estimates.to_csv(paths[0], index=False)
    design.weighting_summary(by="council").to_csv(paths[1], index=False)
    figure = plot_weight_distribution(design, by="council")
    figure.savefig(paths[2], dpi=110)
    figure.clf()
    return paths
