"""Scoring against the published rules (sources in the instrument files and standards.md §4-5)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import residentsurvey as rs

from ..conftest import DATA, load_api

# SWEMWBS raw -> metric, standards.md §5.2 (Warwick conversion table as reproduced by four public implementations)
SWEMWBS_TABLE = {7: 7.00, 8: 9.51, 9: 11.25, 10: 12.40, 11: 13.33, 12: 14.08, 13: 14.75, 14: 15.32, 15: 15.84,
                 16: 16.36, 17: 16.88, 18: 17.43, 19: 17.98, 20: 18.59, 21: 19.25, 22: 19.98, 23: 20.73, 24: 21.54,
                 25: 22.35, 26: 23.21, 27: 24.11, 28: 25.03, 29: 26.02, 30: 27.03, 31: 28.13, 32: 29.31, 33: 30.70,
                 34: 32.55, 35: 35.00}


def answers_summing_to(total: int, items: int) -> list[int]:
    """Item answers (1-5) that add up to ``total``."""
    values = [1] * items
    extra = total - items
    for i in range(items):
        add = min(4, extra)
        values[i] += add
        extra -= add
    return values


def test_every_swemwbs_raw_total_maps_to_its_published_metric_score() -> None:
    rows = [answers_summing_to(total, 7) for total in range(7, 36)]
    data = pd.DataFrame(rows, columns=[f"swemwbs_{i}" for i in range(1, 8)])
    scored = rs.score(data, "swemwbs")
    assert scored["swemwbs_raw"].tolist() == list(range(7, 36))
    assert scored["swemwbs"].tolist() == [SWEMWBS_TABLE[t] for t in range(7, 36)]
    assert np.all(np.diff(scored["swemwbs"]) > 0)
    assert "SWEMWBS) © NHS Health Scotland, University of Warwick and University of Edinburgh, 2008" in scored.attrs["notices"][0]


def test_wemwbs_totals_run_from_14_to_70() -> None:
    rows = [answers_summing_to(total, 14) for total in range(14, 71)]
    data = pd.DataFrame(rows, columns=[f"wemwbs_{i}" for i in range(1, 15)])
    scored = rs.score(data, "wemwbs")
    assert scored["wemwbs"].tolist() == list(range(14, 71))
    assert scored.loc[scored["wemwbs"] == 40, "wemwbs_band"].item() == "Low wellbeing"
    assert scored.loc[scored["wemwbs"] == 45, "wemwbs_band"].item() == "Average wellbeing"
    assert "WEMWBS) © NHS Health Scotland, The University of Warwick and University of Edinburgh, 2006" in scored.attrs["notices"][0]


@pytest.mark.parametrize("score, band, harmonised", [
    (0, "Low", "Poor"), (4, "Low", "Poor"), (5, "Medium", "Fair"), (6, "Medium", "Fair"),
    (7, "High", "Good"), (8, "High", "Good"), (9, "Very high", "Very good"), (10, "Very high", "Very good"),
])
def test_ons_life_satisfaction_worthwhile_and_happiness_bands(score, band, harmonised) -> None:
    data = pd.DataFrame({"ons_life_satisfaction": [score], "ons_worthwhile": [score], "ons_happy": [score],
                         "ons_anxious": [0]})
    scored = rs.score(data, "ons4")
    for name in ("life_satisfaction", "worthwhile", "happiness"):
        assert scored[f"{name}_band"].item() == band
        assert scored[f"{name}_harmonised"].item() == harmonised


@pytest.mark.parametrize("score, band, harmonised", [
    (0, "Very low", "Very good"), (1, "Very low", "Very good"), (2, "Low", "Good"), (3, "Low", "Good"),
    (4, "Medium", "Fair"), (5, "Medium", "Fair"), (6, "High", "Poor"), (10, "High", "Poor"),
])
def test_ons_anxiety_bands_point_the_harmonised_recode_the_same_way(score, band, harmonised) -> None:
    data = pd.DataFrame({"ons_life_satisfaction": [5], "ons_worthwhile": [5], "ons_happy": [5], "ons_anxious": [score]})
    scored = rs.score(data, "ons4")
    assert scored["anxiety_band"].item() == band
    assert scored["anxiety_harmonised"].item() == harmonised
    assert list(scored["anxiety_harmonised"].cat.categories) == ["Poor", "Fair", "Good", "Very good"]


def test_reverse_coding_and_prorating_in_the_composite_index() -> None:
    # items coded 1 (most positive) to 4, all reversed: 1 -> 4; mean rescaled to 0-100; one missing item allowed
    data = pd.DataFrame({"q_belonging": [1, 4, 1, 1, 9], "q_cohesion": [1, 4, 2, None, 9],
                         "q_influence": [1, 4, 3, None, 1]})
    scored = rs.score(data, "community_index")
    assert scored["community_index"].iloc[:3].tolist() == pytest.approx([100.0, 0.0, 200 / 3])
    assert np.isnan(scored["community_index"].iloc[3])  # two of three missing: more than max_missing
    assert scored["community_index_reason"].iloc[3] == "q_cohesion missing; q_influence missing"
    assert scored["community_index_reason"].iloc[4] == "q_belonging excluded code 9; q_cohesion excluded code 9"


def test_swemwbs_needs_every_item() -> None:
    data = pd.DataFrame([answers_summing_to(30, 7)], columns=[f"swemwbs_{i}" for i in range(1, 8)])
    data.loc[0, "swemwbs_4"] = None
    scored = rs.score(data, "swemwbs")
    assert np.isnan(scored["swemwbs"].item()) and scored["swemwbs_reason"].item() == "swemwbs_4 missing"


def test_likert_share_excludes_dont_know_and_names_it() -> None:
    data = pd.DataFrame({"q": [1, 2, 3, 5, 9, None, 7]})
    scored = rs.score(data, "satisfaction5", items="q")
    assert scored["satisfied"].tolist()[:4] == [1.0, 1.0, 0.0, 0.0]
    assert scored["satisfied_reason"].tolist()[4:] == ["q excluded code 9 (Don't know)", "q missing",
                                                       "q code 7 is not in the code frame"]


def test_weighted_alpha_agrees_with_r_svycralpha() -> None:
    reference = pd.read_csv(DATA / "r" / "alpha_reference.csv").set_index("case")["alpha"]
    api = load_api("apiclus1")
    three = rs.cronbach_alpha(api, ["ell", "meals", "mobility"], weights=api["pw"])
    two = rs.cronbach_alpha(api, ["api99", "api00"], weights=api["pw"])
    assert three["alpha"] == pytest.approx(reference["ell_meals_mobility"], rel=1e-10)
    assert two["alpha"] == pytest.approx(reference["api99_api00"], rel=1e-10)
    assert three["ci_lower"] < three["alpha"] < three["ci_upper"]
