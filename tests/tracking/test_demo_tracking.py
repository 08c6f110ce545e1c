import numpy as np
import pandas as pd
import pytest

import residentsurvey as rs


@pytest.fixture(scope="module")
def returns() -> pd.DataFrame:
    return rs.demo_tracking()


def test_a_year_of_quarters_with_core_v2_from_the_third(returns):
    quarters = rs.periods(returns)["period"]
    assert sorted(quarters.unique()) == ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]
    versions = returns.groupby(quarters)["questionnaire"].unique().map(list).to_dict()
    assert versions == {"2025Q1": ["core-v1"], "2025Q2": ["core-v1"], "2025Q3": ["core-v2"], "2025Q4": ["core-v2"]}
    # each quarter is a cluster sample of its own: a sector is fielded in one quarter of its wave
    assert (returns.groupby(["wave", "sector"])["interview_date"].agg(lambda d: d.dt.quarter.nunique()) == 1).all()
    assert (returns.groupby([quarters, "stratum"])["sector"].nunique() >= 2).all()  # no lonely PSU


def test_existing_demo_values_are_unchanged(returns):
    for wave in (1, 2):
        original = rs.demo_consortium(wave=wave)
        mine = returns[returns["wave"] == wave].set_index("respondent_id").loc[original["respondent_id"]]
        same = [c for c in original.columns if c not in ("respondent_id", "design_weight")]
        for column in same:
            pd.testing.assert_series_equal(mine[column].reset_index(drop=True), original[column], check_names=False,
                                           check_dtype=False, check_categorical=False)
        ratio = mine["design_weight"].to_numpy() / original["design_weight"].to_numpy()
        assert 1.6 < ratio.min() and ratio.max() < 2.6  # a quarter holds about half the wave's sectors


def test_deterministic_and_fresh_copies(returns):
    again = rs.demo_tracking()
    pd.testing.assert_frame_equal(again, returns)
    again.loc[0, "design_weight"] = -1.0
    assert rs.demo_tracking().loc[0, "design_weight"] > 0


def test_bad_year():
    with pytest.raises(rs.ResidentSurveyError, match="year must be a calendar year such as 2025; got 'x'"):
        rs.demo_tracking(year="x")
    assert np.all(rs.demo_tracking(year=2030)["interview_date"].dt.year == 2030)
