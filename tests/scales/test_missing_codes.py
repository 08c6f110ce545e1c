"""Don't-know codes are out of the base in scoring and in Cronbach's alpha, and never silently."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import residentsurvey as rs
from residentsurvey.errors import MissingCodeWarning

from ..conftest import DATA

ITEMS = ["q_belonging", "q_cohesion", "q_influence"]


@pytest.fixture(scope="module")
def demo() -> pd.DataFrame:
    return rs.demo_consortium()


@pytest.fixture(scope="module")
def v1():
    return rs.load_questionnaire("core-v1")


def test_alpha_warns_about_dont_know_codes_and_leaves_them_out(demo) -> None:
    with pytest.warns(MissingCodeWarning) as caught:
        alpha = rs.cronbach_alpha(demo, ITEMS, weights=demo["design_weight"])
    message = str(caught[0].message)
    assert "code(s) 9 outside the scale" in message and f"q_influence: 9 x {(demo['q_influence'] == 9).sum()}" in message
    assert "questionnaire=" in message
    by_hand = demo[ITEMS].where(demo[ITEMS] != 9)
    expected = rs.cronbach_alpha(by_hand, ITEMS, weights=demo["design_weight"])
    assert alpha["alpha"] == pytest.approx(expected["alpha"], rel=1e-12)
    assert alpha["alpha"] == pytest.approx(0.385, abs=0.005)  # the 0.38; with the 9s counted it was 0.16
    assert alpha["n_missing_codes"] == int((demo[ITEMS] == 9).sum().sum())
    assert alpha["n"] + alpha["n_excluded"] == len(demo)


def test_alpha_with_the_questionnaire_or_a_valid_range_needs_no_warning(demo, v1) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", MissingCodeWarning)
        declared = rs.cronbach_alpha(demo, ITEMS, questionnaire=v1)
        ranged = rs.cronbach_alpha(demo, ITEMS, valid=(1, 4))
    by_hand = rs.cronbach_alpha(demo[ITEMS].where(demo[ITEMS] != 9), ITEMS)
    assert declared["alpha"] == pytest.approx(by_hand["alpha"], rel=1e-12) == ranged["alpha"]
    assert declared["n_missing_codes"] == ranged["n_missing_codes"] > 0


def test_item_statistics_leave_missing_codes_out_too(demo, v1) -> None:
    stats = rs.item_statistics(demo, ITEMS, questionnaire=v1)
    assert stats["mean"].max() <= 4


def test_alpha_on_continuous_data_is_not_second_guessed() -> None:
    rng = np.random.default_rng(1)
    base = rng.integers(0, 1000, 300)
    data = pd.DataFrame({"a": base + rng.integers(0, 50, 300), "b": base + rng.integers(0, 50, 300)})
    with warnings.catch_warnings():
        warnings.simplefilter("error", MissingCodeWarning)
        assert rs.cronbach_alpha(data, ["a", "b"])["n_missing_codes"] == 0


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5), st.integers(1, 5)), min_size=5, max_size=40),
       st.sampled_from([9, 99, -1, -9]), st.integers(1, 5))
def test_a_stray_code_never_changes_alpha_beyond_dropping_its_respondents(rows, code, n_codes) -> None:
    rows = rows + [(1, 2, 3), (2, 3, 4), (3, 4, 5)]  # answers that make the items a 1-5 rating scale
    clean = pd.DataFrame(rows, columns=["a", "b", "c"], dtype=float)
    dirty = clean.copy()
    dirty.loc[: n_codes - 1, "b"] = code
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = rs.cronbach_alpha(dirty, ["a", "b", "c"])
    assert any(issubclass(w.category, MissingCodeWarning) for w in caught)
    expected = rs.cronbach_alpha(clean.iloc[n_codes:], ["a", "b", "c"])
    assert result["n_missing_codes"] == n_codes and result["n"] == len(rows) - n_codes
    np.testing.assert_allclose(result["alpha"], expected["alpha"], rtol=1e-12, equal_nan=True)


def test_scoring_leaves_questionnaire_missing_codes_out_even_inside_the_scale(v1) -> None:
    instrument = rs.load_instrument("community_index")
    wide = type(instrument)(**{**instrument.__dict__, "scores": tuple(
        type(s)(**{**s.__dict__, "item_range": (1, 9), "excluded": ()}) for s in instrument.scores)})
    data = pd.DataFrame({"q_belonging": [1, 9, 2], "q_cohesion": [1, 9, 2], "q_influence": [1, 9, 9]})
    plain = rs.score(data, wide)
    assert plain["community_index"].notna().all()  # without the questionnaire a 9 passes for a scale point
    scored = rs.score(data, wide, questionnaire=v1)
    assert pd.isna(scored["community_index"].iloc[1])
    assert "q_belonging excluded code 9 (Don't know)" in scored["community_index_reason"].iloc[1]
    # prorated from the two answers: 2 reversed on 1-9 is 8, rescaled (8 - 1) / (9 - 1) * 100
    assert scored["community_index"].iloc[2] == pytest.approx(87.5)
    assert pd.isna(scored["community_index_reason"].iloc[2])


def test_likert_scoring_names_a_declared_code_the_instrument_does_not_know(v1) -> None:
    data = pd.DataFrame({"q_trust": [1, 4, 9, 7]})
    instrument = rs.load_instrument("amount4")
    score_ = instrument.scores[0]
    bare = type(instrument)(**{**instrument.__dict__, "scores": (type(score_)(**{**score_.__dict__, "excluded": ()}),)})
    scored = rs.score(data, bare, items="q_trust", questionnaire=v1)
    reasons = scored[f"{score_.id}_reason"].tolist()
    assert reasons[2] == "q_trust excluded code 9 (Don't know)" and reasons[3] == "q_trust code 7 is not in the code frame"
    assert scored[score_.id].tolist()[:2] == [1.0, 0.0] and pd.isna(scored[score_.id].iloc[2])


def test_alpha_without_dont_know_agrees_with_r_svycralpha() -> None:
    """R survey 4.1.1 svycralpha on the demo items (tests/data/r/make_demo_alpha_reference.R)."""
    reference = pd.read_csv(DATA / "r" / "demo_alpha_reference.csv").set_index("case")
    items = pd.read_csv(DATA / "r" / "demo_alpha_items.csv")
    with pytest.warns(MissingCodeWarning):
        left_out = rs.cronbach_alpha(items, ITEMS, weights=items["design_weight"])
    counted = rs.cronbach_alpha(items, ITEMS, weights=items["design_weight"], valid=(-np.inf, np.inf))
    assert left_out["alpha"] == pytest.approx(reference.loc["dont_know_left_out", "alpha"], rel=1e-10)
    assert left_out["n"] == reference.loc["dont_know_left_out", "n"]
    assert counted["alpha"] == pytest.approx(reference.loc["dont_know_counted", "alpha"], rel=1e-10)
    assert counted["n"] == reference.loc["dont_know_counted", "n"] and counted["n_missing_codes"] == 0
