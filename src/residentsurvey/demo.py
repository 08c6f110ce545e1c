"""The demo job: council estimates with confidence intervals from the bundled synthetic consortium.

``make demo`` runs this through ``residentsurvey demo``. Each indicator is a score of a shipped
instrument (``questionnaires/instruments/``): "% satisfied" is the share answering one of the two
positive codes with "don't know" left out of the base, "% high anxiety" the share in ONS's high
band, and so on; the scoring is the scales module's, not code here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .analysis import SurveyDesign
from .datasets import demo_consortium, demo_council_populations
from .scales import score

#: The margins every demo council is weighted to: the published kind of population estimates.
DEMO_MARGINS = ("age_band:sex", "tenure", "ethnicity")


@dataclass(frozen=True)
class Indicator:
    """An estimate of one score of an instrument: a ``share`` of 1s, a ``mean``, or the share in ``band``."""

    name: str
    label: str
    instrument: str
    score: str
    item: str | None = None
    statistic: str = "share"
    band: str | None = None


DEMO_INDICATORS: tuple[Indicator, ...] = (
    Indicator("satisfied_area", "% satisfied with the local area as a place to live", "satisfaction5", "satisfied",
              "q_satisfied_area"),
    Indicator("satisfied_council", "% satisfied with the way the council runs things", "satisfaction5", "satisfied",
              "q_satisfied_council"),
    Indicator("value_for_money", "% agree the council provides value for money", "agreement5", "agree",
              "q_value_for_money"),
    Indicator("trust_council", "% trust the council a great deal or a fair amount", "amount4", "positive", "q_trust"),
    Indicator("safe_after_dark", "% feel safe outside after dark", "safety5", "safe", "q_safe_after_dark"),
    Indicator("volunteered", "% volunteered formally in the last 12 months", "yesno", "yes", "volunteered_formal_12m"),
    Indicator("life_satisfaction", "Mean life satisfaction (0-10, ONS4)", "ons4", "life_satisfaction", statistic="mean"),
    Indicator("high_anxiety", "% with high anxiety yesterday (6-10, ONS4)", "ons4", "anxiety", statistic="band",
              band="High"),
    Indicator("community_index", "Mean community index (0-100: belonging, cohesion, influence)", "community_index",
              "community_index", statistic="mean"),
)


def indicator_columns(returns: pd.DataFrame, indicators: tuple[Indicator, ...] = DEMO_INDICATORS) -> pd.DataFrame:
    """One numeric column per indicator (1/0 for shares and bands, missing where the score is missing)."""
    columns = {}
    for indicator in indicators:
        scored = score(returns, indicator.instrument, items=indicator.item)
        value = scored[indicator.score]
        if indicator.statistic == "band":
            band = scored[f"{indicator.score}_band"]
            value = pd.Series(np.where(band.isna(), np.nan, (band == indicator.band).astype(float)), index=returns.index)
        columns[indicator.name] = value.astype(float)
    return pd.DataFrame(columns, index=returns.index)


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
    data = pd.concat([returns, indicator_columns(returns)], axis=1)
    data.attrs = returns.attrs
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
            if indicator.statistic != "mean":
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
