"""Multiplicity, rank intervals, funnel limits, disclosure and council-versus-consortium comparisons."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests

import residentsurvey as rs
from residentsurvey.analysis import consortium as consortium_module
from residentsurvey.analysis.consortium import consortium_comparison
from residentsurvey.analysis.disclosure import DisclosureRules, apply_disclosure
from residentsurvey.analysis.funnel import funnel_limits, funnel_position
from residentsurvey.analysis.multiplicity import adjust_p_values
from residentsurvey.analysis.ranking import rank_intervals

p_values = st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=30)


@settings(max_examples=80, deadline=None)
@given(p_values)
def test_holm_and_bh_agree_with_statsmodels(p) -> None:
    for ours, theirs in (("holm", "holm"), ("bh", "fdr_bh"), ("bonferroni", "bonferroni")):
        # statsmodels 0.15's Holm branch calls gc.collect() on every call (about 0.2 s in a test
        # process full of objects, 80% of this test's time); the collection changes no number
        with mock.patch("gc.collect", return_value=0):
            expected = multipletests(p, method=theirs)[1]
        np.testing.assert_allclose(adjust_p_values(p, ours), expected, rtol=1e-12, atol=1e-15)


def test_missing_p_values_stay_missing_and_do_not_count() -> None:
    adjusted = adjust_p_values([0.01, np.nan, 0.04], "bonferroni")
    assert np.isnan(adjusted[1]) and adjusted[[0, 2]].tolist() == pytest.approx([0.02, 0.08])
    with pytest.raises(rs.OptionError, match="adjust='tukey' is not recognised"):
        adjust_p_values([0.1], "tukey")


estimates = st.lists(st.tuples(st.floats(0, 1), st.floats(0.001, 0.2)), min_size=1, max_size=12)


@settings(max_examples=80, deadline=None)
@given(estimates, st.sampled_from(["joint", "marginal", "simulation"]))
def test_rank_intervals_contain_the_point_rank(pairs, method) -> None:
    theta, se = map(np.array, zip(*pairs))
    ranks = rank_intervals(theta, se, method=method, draws=2000)
    assert (ranks["rank_lower"] <= ranks["rank"]).all() and (ranks["rank"] <= ranks["rank_upper"]).all()
    assert ranks["rank_lower"].min() >= 1 and ranks["rank_upper"].max() <= len(theta)


@settings(max_examples=50, deadline=None)
@given(estimates)
def test_joint_intervals_are_at_least_as_wide_as_marginal_ones(pairs) -> None:
    theta, se = map(np.array, zip(*pairs))
    joint, marginal = rank_intervals(theta, se, method="joint"), rank_intervals(theta, se, method="marginal")
    assert (joint["rank_lower"] <= marginal["rank_lower"]).all()
    assert (joint["rank_upper"] >= marginal["rank_upper"]).all()


def test_rank_interval_extremes_and_suppressed_areas() -> None:
    close = rank_intervals([0.5, 0.5001, 0.4999], [0.05] * 3)
    assert close["rank_lower"].tolist() == [1, 1, 1] and close["rank_upper"].tolist() == [3, 3, 3]
    apart = rank_intervals([0.9, 0.5, 0.1], [0.001] * 3)
    assert apart["rank_lower"].tolist() == apart["rank_upper"].tolist() == [1, 2, 3]
    gap = rank_intervals([0.9, np.nan, 0.1], [0.001, 0.01, 0.001])
    assert gap["rank"].isna().tolist() == [False, True, False] and gap["rank_upper"].max() == 2


def test_funnel_limits_and_positions() -> None:
    limits = funnel_limits(0.6, [100, 400, 1600])
    assert np.allclose(0.6 - limits["lower95"], limits["upper95"] - 0.6)
    assert (np.diff(limits["upper998"] - limits["lower998"]) < 0).all()  # the funnel narrows
    positions = funnel_position([0.6, 0.66, 0.75, 0.45], [400, 400, 400, 400], centre=0.6)
    assert positions.tolist() == ["within", "above 95%", "above 99.8%", "below 99.8%"]
    with pytest.raises(rs.DesignError, match="need sd="):
        funnel_limits(7.5, [100], statistic="mean")


@pytest.mark.parametrize("n, flag", [(0, "suppressed"), (29, "suppressed"), (30, "caution"), (49, "caution"),
                                     (50, "ok"), (5000, "ok")])
def test_suppression_at_the_threshold_boundaries(n, flag) -> None:
    table = pd.DataFrame({"estimate": [0.5], "se": [0.01], "ci_lower": [0.48], "ci_upper": [0.52], "n": [n],
                          "statistic": ["share"]})
    out = apply_disclosure(table)
    assert out["flag"].item() == flag
    assert out["estimate"].isna().item() == (flag == "suppressed")
    assert out["n"].item() == n  # the base is always shown


def test_reliability_flags_and_configurable_thresholds() -> None:
    table = pd.DataFrame({"estimate": [0.5, 7.0], "se": [0.07, 0.1], "ci_lower": [0.36, 6.8], "ci_upper": [0.64, 7.2],
                          "n": [60, 60], "statistic": ["share", "mean"]})
    out = apply_disclosure(table, DisclosureRules(max_half_width=10))
    assert out["flag"].tolist() == ["low_reliability", "ok"]
    assert out["flag_reason"].iloc[0] == "interval half-width 14.0 points exceeds 10"
    stricter = apply_disclosure(table, DisclosureRules(suppress_below=100, caution_below=150))
    assert stricter["flag"].tolist() == ["suppressed", "suppressed"]
    with pytest.raises(rs.DesignError, match="suppress_below <= caution_below"):
        DisclosureRules(suppress_below=50, caution_below=30)


@st.composite
def council_designs(draw):
    rows = []
    for council in ["A", "B", "C"]:
        for stratum in range(2):
            for psu in range(draw(st.integers(2, 3))):
                for _ in range(draw(st.integers(1, 3))):
                    rows.append((council, f"{council}{stratum}", f"{council}{stratum}-{psu}",
                                 draw(st.floats(1, 5)), draw(st.floats(0, 10))))
    return pd.DataFrame(rows, columns=["council", "stratum", "psu", "w", "y"])


@settings(max_examples=40, deadline=None)
@given(council_designs())
def test_nested_and_general_routes_agree(frame) -> None:
    design = rs.SurveyDesign(frame, weights="w", strata="stratum", psu="psu")
    fast = consortium_comparison(design, "y", "council")
    original = consortium_module._nested
    consortium_module._nested = lambda *args: False
    try:
        general = consortium_comparison(design, "y", "council")
    finally:
        consortium_module._nested = original
    assert fast.attrs["nested"] and not general.attrs["nested"]
    np.testing.assert_allclose(fast["difference_se"], general["difference_se"], rtol=1e-9, atol=1e-12)
    assert fast.attrs["average"]["estimate"] == pytest.approx(fast["estimate"].mean())


def test_a_council_that_is_the_whole_consortium_differs_by_nothing() -> None:
    frame = pd.DataFrame({"council": "A", "stratum": ["s1", "s1", "s2", "s2"], "psu": [1, 2, 3, 4],
                          "w": [1.0, 2, 3, 4], "y": [1.0, 5, 2, 8]})
    table = consortium_comparison(rs.SurveyDesign(frame, weights="w", strata="stratum", psu="psu"), "y", "council")
    assert table["difference"].item() == pytest.approx(0) and table["difference_se"].item() == pytest.approx(0, abs=1e-12)
