"""Scale invariants (hypothesis) and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import residentsurvey as rs
from residentsurvey.scales.instrument import parse_instrument

answers = st.lists(st.lists(st.one_of(st.integers(0, 12), st.none()), min_size=7, max_size=7), min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(answers)
def test_scores_stay_in_range_or_say_why_not(rows) -> None:
    data = pd.DataFrame(rows, columns=[f"swemwbs_{i}" for i in range(1, 8)], dtype=object)
    scored = rs.score(data, "swemwbs")
    ok = scored["swemwbs"].notna()
    assert scored.loc[ok, "swemwbs"].between(7, 35).all()
    assert scored.loc[~ok, "swemwbs_reason"].notna().all()
    assert scored.loc[ok, "swemwbs_reason"].isna().all()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=20))
def test_reversing_twice_is_the_identity(values) -> None:
    low, high = 1, 4
    once = low + high - np.array(values)
    assert (low + high - once).tolist() == values
    # and reversing all items of the composite index mirrors the 0-100 score
    data = pd.DataFrame({"q_belonging": values, "q_cohesion": values, "q_influence": values})
    forward = rs.score(data, "community_index")["community_index"]
    mirrored = rs.score(data.apply(lambda c: low + high - c), "community_index")["community_index"]
    np.testing.assert_allclose(forward + mirrored, 100.0)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-100, 100, allow_nan=False), min_size=3, max_size=30).filter(lambda v: np.ptp(v) > 1e-6),
       st.integers(2, 5))
def test_alpha_of_identical_items_is_one(values, k) -> None:
    data = pd.DataFrame({f"i{j}": values for j in range(k)})
    assert rs.cronbach_alpha(data, list(data.columns))["alpha"] == pytest.approx(1.0)


def test_a_missing_column_is_named_with_the_fix() -> None:
    with pytest.raises(rs.ScaleError, match=r"instrument 'ons4' \(score 'anxiety'\) needs column\(s\) \['ons_anxious'\]"):
        rs.score(pd.DataFrame({"ons_life_satisfaction": [1], "ons_worthwhile": [1], "ons_happy": [1]}), "ons4")


def test_text_and_out_of_range_codes_are_recorded_not_scored() -> None:
    data = pd.DataFrame({"ons_life_satisfaction": ["seven", 11, 7], "ons_worthwhile": [1, 1, 1],
                         "ons_happy": [1, 1, 1], "ons_anxious": [1, 1, 1]})
    scored = rs.score(data, "ons4")
    assert scored["life_satisfaction_reason"].tolist()[:2] == [
        "ons_life_satisfaction is text ('seven')", "ons_life_satisfaction out of range (11; valid 0-10)"]
    assert pd.isna(scored["life_satisfaction_reason"].iloc[2])
    assert scored["life_satisfaction"].isna().tolist() == [True, True, False]


def test_unknown_instrument_and_bad_definitions() -> None:
    with pytest.raises(rs.ScaleError, match=r"no instrument called 'swembws'; shipped instruments are \["):
        rs.score(pd.DataFrame(), "swembws")
    with pytest.raises(rs.ScaleError, match=r"scores\[0\].combine: 'total' is not one of"):
        parse_instrument({"id": "x", "name": "x", "scores": [{"id": "s", "items": ["a"], "combine": "total"}]})
    with pytest.raises(rs.ScaleError, match="overlaps band"):
        parse_instrument({"id": "x", "name": "x", "scores": [{"id": "s", "items": ["a"], "combine": "single",
                          "range": [0, 10], "bands": [{"label": "a", "min": 0, "max": 5}, {"label": "b", "min": 5, "max": 10}]}]})
    with pytest.raises(rs.ScaleError, match="metric values must increase"):
        parse_instrument({"id": "x", "name": "x", "scores": [{"id": "s", "items": ["a", "b"], "combine": "sum",
                          "range": [1, 2], "conversion": {2: 5.0, 3: 4.0, 4: 6.0}}]})


def test_shipped_instruments_all_load() -> None:
    names = rs.shipped_instruments()
    assert {"ons4", "swemwbs", "wemwbs", "satisfaction5", "agreement5", "community_index"} <= set(names)
    for name in names:
        assert rs.load_instrument(name).scores
