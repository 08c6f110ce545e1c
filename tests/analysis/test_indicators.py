"""rs.indicators: the consortium figures, suppression, comparisons, ranks and trends, on the demo consortium."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import residentsurvey as rs
from residentsurvey.analysis.indicators import ALL_COUNCILS, AVERAGE_COUNCIL, COLUMNS
from residentsurvey.demo import demo_design
from residentsurvey.questionnaire import load_questionnaire

SELECT = ["satisfied_area", "informed", "safe_after_dark", "volunteered_formal", "mean_life_satisfaction",
          "mean_swemwbs"]


@pytest.fixture(scope="module")
def two_waves() -> pd.DataFrame:
    waves = {1: (demo_design(wave=1), load_questionnaire("core-v1")), 2: (demo_design(wave=2), load_questionnaire("core-v2"))}
    return rs.indicators(waves=waves, select=SELECT)


def test_columns_and_areas(two_waves) -> None:
    assert tuple(two_waves.columns) == COLUMNS
    areas = two_waves.loc[(two_waves["wave"] == 1) & (two_waves["indicator"] == "satisfied_area"), "area"].tolist()
    assert areas[-2:] == [ALL_COUNCILS, AVERAGE_COUNCIL] and len(areas) == 7


def test_consortium_figures_come_from_pooled_respondents(two_waves) -> None:
    design = demo_design(wave=1)
    values = rs.analysis.indicator_values.indicator_values(design.data, load_questionnaire("core-v1"), ["mean_life_satisfaction"])
    pooled = design.with_columns(values).mean("mean_life_satisfaction").loc[0, "estimate"]
    rows = two_waves[(two_waves["wave"] == 1) & (two_waves["indicator"] == "mean_life_satisfaction")].set_index("area")
    assert rows.loc[ALL_COUNCILS, "estimate"] == pytest.approx(pooled, rel=1e-12)
    councils = rows[rows["area_type"] == "council"]
    assert rows.loc[AVERAGE_COUNCIL, "estimate"] == pytest.approx(councils["estimate"].mean(), rel=1e-12)
    # councils weighted to their populations: the pooled figure is not the simple average
    assert rows.loc[ALL_COUNCILS, "estimate"] != pytest.approx(rows.loc[AVERAGE_COUNCIL, "estimate"], rel=1e-6)


def test_ranks_lie_in_their_intervals_and_verdicts_are_words(two_waves) -> None:
    councils = two_waves[two_waves["area_type"] == "council"].dropna(subset=["rank"])
    assert ((councils["rank_lower"] <= councils["rank"]) & (councils["rank"] <= councils["rank_upper"])).all()
    assert set(councils["vs_consortium_verdict"]) <= {"higher", "lower", "no significant difference"}
    assert (councils["vs_consortium_p_adjusted"] >= councils["vs_consortium_p"] - 1e-15).all()


def test_trends_only_where_the_questionnaire_allows(two_waves) -> None:
    wave2 = two_waves[two_waves["wave"] == 2].set_index(["indicator", "area"])
    for refused, why in (("informed", "wording changed"), ("volunteered_formal", "routing changed")):
        rows = wave2.loc[refused]
        assert (rows["change_verdict"] == "not comparable").all() and rows["change"].isna().all()
        assert (rows["comparability"] == why).all()
    new = wave2.loc["mean_swemwbs"]  # new in core-v2: not "not comparable"
    assert (new["change_verdict"] == "new in this wave").all() and (new["comparability"] == "new in this wave").all()
    assert new["change"].isna().all()
    for allowed, how in (("satisfied_area", "comparable"), ("safe_after_dark", "comparable after recoding")):
        rows = wave2.loc[allowed]  # safe_after_dark after recoding wave 1 to v2's scale
        assert rows["change"].notna().all() and (rows["comparability"] == how).all()
        assert set(rows["change_verdict"]) <= {"up", "down", "no significant change"}
    assert (two_waves.loc[two_waves["wave"] == 1, "comparability"] == "").all()
    assert "safe_day" not in two_waves.loc[two_waves["wave"] == 2, "indicator"].tolist()


def test_swemwbs_results_carry_the_copyright_notice(two_waves) -> None:
    assert any("SWEMWBS" in notice and "all rights reserved" in notice for notice in two_waves.attrs["notices"])


def test_a_small_council_is_suppressed_not_ranked_and_keeps_its_base() -> None:
    design = demo_design(wave=1)
    data = design.data
    keep = (data["council"] != "Eastmere") | (data.groupby("council", observed=True).cumcount() < 25)
    small = rs.SurveyDesign(data[keep.to_numpy()].reset_index(drop=True), weights="design_weight", strata="stratum",
                            psu="sector", lonely_psu="adjust")
    table = rs.indicators(small, load_questionnaire("core-v1"), select=["satisfied_area"])
    east = table.set_index("area").loc["Eastmere"]
    assert east["flag"] == "suppressed" and np.isnan(east["estimate"]) and np.isnan(east["ci_lower"])
    assert 0 < east["n"] < 30 and "below 30" in east["flag_reason"]
    assert pd.isna(east["rank"]) and np.isnan(east["vs_consortium"])
    ranked = table[(table["area_type"] == "council") & table["rank"].notna()]
    assert sorted(ranked["rank"].tolist()) == [1, 2, 3, 4]


def test_no_respondent_identifier_reaches_the_table(two_waves) -> None:
    ids = set(demo_design(wave=1).data["respondent_id"]) | set(demo_design(wave=2).data["respondent_id"])
    text = set(two_waves.astype(str).to_numpy().ravel())
    assert not ids & text
    assert "respondent_id" not in two_waves.columns


def test_pairwise_differences_cover_every_pair_with_adjusted_p(two_waves) -> None:
    pairs = rs.pairwise_differences(two_waves, adjust="bh")
    one = pairs[(pairs["wave"] == 2) & (pairs["indicator"] == "satisfied_area")]
    assert len(one) == 10 and not (one["area_a"] == one["area_b"]).any()
    assert (one["p_adjusted"] >= one["p_value"] - 1e-15).all()
    rows = two_waves[(two_waves["wave"] == 2) & (two_waves["indicator"] == "satisfied_area")].set_index("area")
    first = one.iloc[0]
    assert first["difference"] == pytest.approx(rows.loc[first["area_a"], "estimate"] - rows.loc[first["area_b"], "estimate"])
    assert set(pairs["verdict"]) <= {"a higher", "b higher", "no significant difference"}
