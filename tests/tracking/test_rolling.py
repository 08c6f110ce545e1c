"""Rolling estimates: two routes that must agree, the questionnaire split, bad inputs."""

import numpy as np
import pandas as pd
import pytest

import residentsurvey as rs
from residentsurvey.tracking.change import change_variance

from .synthetic import DESIGN, synthetic_returns, targets


def _calibrate(design):
    return design.calibrate(targets(), method="raking", by="council")


@pytest.fixture(scope="module")
def returns() -> pd.DataFrame:
    return synthetic_returns(7)


@pytest.fixture(scope="module")
def tracker(returns):
    return rs.rolling(returns, ["y", "z"], window=2, design=DESIGN, weighting=_calibrate)


def test_window_estimates_are_those_of_the_window_design(returns, tracker):
    """Route 2: each window's design built by hand (strata crossed with quarter), raked, design.mean."""
    data = rs.periods(returns)
    data["stratum_period"] = data["stratum"] + "|" + data["period"]
    for window in tracker.windows:
        part = data[data["period"].isin(window.periods)]
        design = _calibrate(rs.SurveyDesign(part, weights="weight", strata="stratum_period", psu="psu", nest=True))
        for variable in ("y", "z"):
            expected = design.mean(variable, by="council")
            ours = tracker.table[(tracker.table["window"] == window.label) & (tracker.table["indicator"] == variable)
                                 & (tracker.table["area_type"] == "council")]
            np.testing.assert_allclose(ours["estimate"], expected["estimate"], rtol=1e-12)
            np.testing.assert_allclose(ours["se"], expected["se"], rtol=1e-10)
            assert ours["n"].tolist() == expected["n"].tolist()
            whole = design.mean(variable)
            consortium = tracker.table[(tracker.table["window"] == window.label)
                                       & (tracker.table["indicator"] == variable)
                                       & (tracker.table["area"] == "All councils")]
            np.testing.assert_allclose(consortium["se"], whole["se"], rtol=1e-10)


def test_overlapping_change_matches_direct_computation_on_pooled_data(returns, tracker):
    """Route 2: one design over the (respondent, window) rows, calibrated by window x council, domain contrast."""
    data = rs.periods(returns)
    first, second = tracker.windows[0], tracker.windows[1]
    stacked = pd.concat([data[data["period"].isin(first.periods)].assign(win="A"),
                         data[data["period"].isin(second.periods)].assign(win="B")], ignore_index=True)
    stacked["stratum_period"] = stacked["stratum"] + "|" + stacked["period"]
    stacked["group"] = stacked["win"] + ":" + stacked["council"].astype(str)
    t = targets()
    both = pd.concat([t.assign(group=w + ":" + t["council"]) for w in "AB"]).drop(columns="council")
    pooled = rs.SurveyDesign(stacked, weights="weight", strata="stratum_period", psu="psu", nest=True)
    pooled = pooled.calibrate(both, method="raking", by="group")
    changes = tracker.changes(pairs="consecutive", adjust="none")
    for council in ("Ashby", "Brook", "Carrow"):
        direct = pooled.difference("z", "group", f"B:{council}", f"A:{council}")
        ours = changes[(changes["area"] == council) & (changes["indicator"] == "z")
                       & (changes["window_a"] == first.label)]
        np.testing.assert_allclose(ours["change"], direct["estimate"], rtol=1e-10)
        np.testing.assert_allclose(ours["se"], direct["se"], rtol=1e-9)


@pytest.mark.parametrize("weighting", [None, _calibrate])
def test_separate_windows_se_is_root_of_summed_variances(returns, weighting):
    tracker = rs.rolling(returns, ["y", "z"], window=1, design=DESIGN, weighting=weighting)
    table = tracker.changes(pairs="all", adjust="none")
    assert (table["shared_periods"] == 0).all()
    est = tracker.table.set_index(["window", "indicator", "area"])["se"]
    se_a = est.loc[list(zip(table["window_a"], table["indicator"], table["area"]))].to_numpy()
    se_b = est.loc[list(zip(table["window_b"], table["indicator"], table["area"]))].to_numpy()
    np.testing.assert_allclose(table["se"], np.sqrt(se_a**2 + se_b**2), rtol=1e-10)


def test_overlap_covariance_is_positive_and_symmetric(tracker):
    v01 = change_variance(tracker, "y", 0, 1)
    np.testing.assert_allclose(v01, change_variance(tracker, "y", 1, 0), rtol=1e-12)
    se = tracker.table[tracker.table["indicator"] == "y"].set_index(["window", "area"])["se"]
    labels = [w.label for w in tracker.windows]
    independent = se.loc[labels[0]].to_numpy() ** 2 + se.loc[labels[1]].to_numpy() ** 2
    assert (v01 < independent).all()  # shared respondents: positive covariance


def test_change_of_a_window_with_itself_is_zero(tracker):
    np.testing.assert_allclose(change_variance(tracker, "z", 1, 1), 0.0, atol=1e-20)


@pytest.fixture(scope="module")
def demo_tracker():
    from residentsurvey.demo import demo_targets
    versions = {"core-v1": rs.load_questionnaire("core-v1"), "core-v2": rs.load_questionnaire("core-v2")}
    targets = demo_targets()
    return rs.rolling(rs.demo_tracking(), versions, window=2, design=rs.DEMO_TRACKING_DESIGN,
                      weighting=lambda d: d.calibrate(targets, method="raking", by="council"))


def test_wording_change_splits_the_series(demo_tracker):
    table = demo_tracker.table
    assert demo_tracker.versions.values.tolist() == [
        ["2025Q1", "core-v1", 3001], ["2025Q2", "core-v1", 3360], ["2025Q3", "core-v2", 3006],
        ["2025Q4", "core-v2", 3176]]
    straddles = table[(table["window"] == "2025Q2-2025Q3") & (table["indicator"] == "informed")]
    assert straddles["estimate"].isna().all()
    assert set(straddles["comparability"]) == {"not comparable (core-v2: wording changed)"}
    after = table[(table["window"] == "2025Q3-2025Q4") & (table["indicator"] == "informed")]
    assert after["estimate"].notna().all() and set(after["segment"]) == {1}
    recoded = table[(table["window"] == "2025Q2-2025Q3") & (table["indicator"] == "safe_after_dark")]
    assert recoded["estimate"].notna().all()  # comparable after recoding: harmonised, not split
    new = table[(table["window"] == "2025Q1-2025Q2") & (table["indicator"] == "mean_swemwbs")]
    assert set(new["comparability"]) == {"not asked in this window"}
    changes = demo_tracker.changes()
    informed = changes[changes["indicator"] == "informed"]
    assert set(informed["signal"]) == {"not comparable"} and informed["se"].isna().all()
    trust = changes[changes["indicator"] == "trust_council"]
    assert trust["se"].notna().all()


def test_disclosure_as_in_indicators(returns):
    tracker = rs.rolling(returns, ["y"], window=1, design=DESIGN, rules=rs.DisclosureRules(suppress_below=30,
                                                                                             caution_below=50))
    councils = tracker.table[tracker.table["area_type"] == "council"]
    assert (councils["n"] == 48).all() and set(councils["flag"]) == {"caution"}
    tracker = rs.rolling(returns, ["y"], window=1, design=DESIGN, rules=rs.DisclosureRules(suppress_below=50,
                                                                                             caution_below=60))
    councils = tracker.table[tracker.table["area_type"] == "council"]
    assert set(councils["flag"]) == {"suppressed"} and councils["estimate"].isna().all()


def test_bad_inputs(returns):
    with pytest.raises(rs.DesignError, match="returns need design="):
        rs.rolling(returns, ["y"])
    with pytest.raises(rs.DesignError, match="by must name one column"):
        rs.rolling(returns, ["y"], design=DESIGN, by=["council", "stratum"])
    with pytest.raises(rs.DesignError, match="weighting= must return the re-weighted design of the window"):
        rs.rolling(returns, ["y"], design=DESIGN, weighting=lambda d: d.data)
    with pytest.raises(rs.DesignError, match="indicators must be a Questionnaire"):
        rs.rolling(returns, 3, design=DESIGN)
    gap = returns.copy()
    gap["council"] = gap["council"].astype(object)
    gap.loc[5, "council"] = None
    with pytest.raises(rs.DesignError, match=r"column 'council', row 6: no council \(1 row\(s\)\)"):
        rs.rolling(gap, ["y"], design=DESIGN)
    versions = {"core-v1": rs.load_questionnaire("core-v1")}
    with pytest.raises(rs.DesignError, match="questionnaire version 'core-v2' is not among the questionnaires"):
        rs.rolling(returns.assign(questionnaire="core-v2"), versions, design=DESIGN)


@pytest.mark.parametrize("weighting", [None, _calibrate])
def test_replicate_route_agrees_with_linearisation(returns, weighting):
    """Two routes: JKn replicate weights of the pooled design (each window calibrated in every replicate) against
    linearisation. Estimates are identical; SEs of windows and of changes (overlapping or not) agree within 1%
    with design weights and within 2.5% when every replicate is re-raked (the jackknife carries the calibration's
    own small-sample variation, as R's as.svrepdesign does)."""
    taylor = rs.rolling(returns, ["y", "z"], window=2, design=DESIGN, weighting=weighting)
    jackknife = rs.rolling(returns, ["y", "z"], window=2, design=DESIGN, weighting=weighting, replicates="jkn")
    np.testing.assert_allclose(jackknife.table["estimate"], taylor.table["estimate"], rtol=1e-12)
    tolerance = 0.01 if weighting is None else 0.025
    np.testing.assert_allclose(jackknife.table["se"], taylor.table["se"], rtol=tolerance)
    ours, theirs = jackknife.changes(pairs="all"), taylor.changes(pairs="all")
    assert set(ours["shared_periods"]) == {0, 1}
    np.testing.assert_allclose(ours["se"], theirs["se"], rtol=tolerance)


def test_replicate_separate_windows_se_is_root_of_summed_variances(returns):
    """Up to svrVar's centring on the replicates' mean (a few parts per million here): no replicate moves both."""
    tracker = rs.rolling(returns, ["y"], window=1, design=DESIGN, replicates="jkn")
    table = tracker.changes(pairs="all", adjust="none")
    se = tracker.table.set_index(["window", "indicator", "area"])["se"]
    se_a = se.loc[list(zip(table["window_a"], table["indicator"], table["area"]))].to_numpy()
    se_b = se.loc[list(zip(table["window_b"], table["indicator"], table["area"]))].to_numpy()
    np.testing.assert_allclose(table["se"], np.sqrt(se_a**2 + se_b**2), rtol=1e-4)
