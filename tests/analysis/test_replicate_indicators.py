"""rs.indicators on a replicate design: the same table, with replicate standard errors throughout."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import residentsurvey as rs
from residentsurvey.analysis.indicators import ALL_COUNCILS, AVERAGE_COUNCIL, COLUMNS
from residentsurvey.demo import demo_targets
from residentsurvey.questionnaire import load_questionnaire

SELECT = ["satisfied_area", "mean_life_satisfaction"]


def demo_design(wave: int = 1) -> rs.SurveyDesign:
    """The demo wave as an ultimate-cluster design (sectors drawn with replacement), raked by council.

    (The demo's own two-stage design with fpc at both stages has no replicate equivalent: as R,
    replicates keep only the first stage.)
    """
    returns = rs.demo_consortium(wave=wave)
    design = rs.SurveyDesign(returns, weights="design_weight", strata="stratum", psu="sector")
    return design.calibrate(demo_targets(), method="raking", by="council")


@pytest.fixture(scope="module")
def tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    taylor = demo_design(wave=1)
    replicate = taylor.replicate("jkn")
    questionnaire = load_questionnaire("core-v1")
    return (rs.indicators(taylor, questionnaire, select=SELECT),
            rs.indicators(replicate, questionnaire, select=SELECT))


def test_same_columns_and_estimates(tables) -> None:
    taylor, replicate = tables
    assert tuple(replicate.columns) == COLUMNS
    np.testing.assert_allclose(replicate["estimate"], taylor["estimate"], rtol=1e-9)
    np.testing.assert_array_equal(replicate["n"], taylor["n"])


def test_replicate_ses_are_close_to_taylor_and_carry_the_calibration(tables) -> None:
    taylor, replicate = tables
    for column in ("se", "vs_consortium_se"):
        ratio = (replicate[column] / taylor[column]).dropna()
        assert len(ratio) > 0 and ratio.between(0.85, 1.2).all(), (column, ratio.describe())
    assert not np.allclose(replicate["se"].dropna(), taylor["se"].dropna(), rtol=1e-6)  # a different method


def test_vs_consortium_and_average_council_from_replicates(tables) -> None:
    """Council minus All councils and the average council: their replicate SEs from the replicates' own contrasts."""
    _, replicate = tables
    design = demo_design(wave=1).replicate("jkn")
    from residentsurvey.analysis.consortium import consortium_comparison
    from residentsurvey.analysis.indicator_values import indicator_values

    values = indicator_values(design.data, load_questionnaire("core-v1"), ["mean_life_satisfaction"])
    enriched = design.with_columns(values)
    table = consortium_comparison(enriched, "mean_life_satisfaction", "council")

    def council_minus_all(data: pd.DataFrame, w: np.ndarray) -> pd.Series:
        y = data["mean_life_satisfaction"].to_numpy(float)
        ok = ~np.isnan(y)
        frame = pd.DataFrame({"c": data["council"].to_numpy()[ok], "wy": (w * np.nan_to_num(y))[ok], "w": w[ok]})
        sums = frame.groupby("c", observed=True)[["wy", "w"]].sum()
        overall = frame["wy"].sum() / frame["w"].sum()
        means = sums["wy"] / sums["w"]
        return pd.concat([means - overall, pd.Series({"(average)": means.mean()})])

    direct = enriched.replicate_estimates(council_minus_all)
    se = pd.Series(direct.se, index=direct.estimate.index)
    councils = table["council"].astype(str)
    np.testing.assert_allclose(table["difference_se"].to_numpy(), se[councils].to_numpy(), rtol=1e-9)
    assert table.attrs["average"]["se"] == pytest.approx(se["(average)"], rel=1e-9)
    rows = replicate[replicate["indicator"] == "mean_life_satisfaction"].set_index("area")
    assert rows.loc[AVERAGE_COUNCIL, "se"] == pytest.approx(se["(average)"], rel=1e-9)
    assert rows.loc[ALL_COUNCILS, "se"] > 0
