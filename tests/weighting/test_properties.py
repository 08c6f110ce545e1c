"""Invariants of calibration (hypothesis) and routes that must agree."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import residentsurvey as rs
from residentsurvey.weighting import calibration_record

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def samples(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Respondents in 1-3 councils with two categorical margins, and targets every category can meet."""
    frames, targets = [], []
    for council in ["A", "B", "C"][: draw(st.integers(1, 3))]:
        n = draw(st.integers(8, 30))
        age = draw(st.lists(st.sampled_from(["young", "mid", "old"]), min_size=n, max_size=n))
        sex = draw(st.lists(st.sampled_from(["F", "M"]), min_size=n, max_size=n))
        # every age-sex cell present, so any positive targets can be met
        age[:6], sex[:6] = ["young", "mid", "old"] * 2, ["F"] * 3 + ["M"] * 3
        w = draw(st.lists(st.floats(1, 20), min_size=n, max_size=n))
        frames.append(pd.DataFrame({"council": council, "age": age, "sex": sex, "w": w}))
        population = draw(st.floats(500, 5000))
        age_share = np.array(draw(st.lists(st.floats(0.15, 1), min_size=3, max_size=3)))
        sex_share = np.array(draw(st.lists(st.floats(0.3, 1), min_size=2, max_size=2)))
        for variable, cats, share in (("age", ["young", "mid", "old"], age_share), ("sex", ["F", "M"], sex_share)):
            targets.append(pd.DataFrame({"council": council, "variable": variable, "category": cats,
                                         "total": population * share / share.sum()}))
    return pd.concat(frames, ignore_index=True), pd.concat(targets, ignore_index=True)


def achieved(data: pd.DataFrame, weights: np.ndarray, targets: pd.DataFrame) -> np.ndarray:
    out = []
    for _, row in targets.iterrows():
        mask = (data["council"] == row["council"]) & (data[row["variable"]] == row["category"])
        out.append(weights[mask.to_numpy()].sum())
    return np.array(out)


@SETTINGS
@given(samples(), st.sampled_from(["raking", "linear"]))
def test_calibrated_weights_meet_every_target(sample, method) -> None:
    data, targets = sample
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", rs.NegativeWeightWarning)
        record = calibration_record(data, targets, weights="w", method=method, by="council")
    np.testing.assert_allclose(achieved(data, record.weights, targets), targets["total"], rtol=1e-8)
    # linear calibration may make weights negative: then, and only then, one warning counting them all
    negative = int((record.weights < 0).sum())
    messages = [str(w.message) for w in caught if issubclass(w.category, rs.NegativeWeightWarning)]
    assert len(messages) == (negative > 0)
    if negative:
        assert messages[0].startswith(f"linear calibration made {negative} of {len(data)} weights negative: ")
        assert record.negative_weights.sum() == negative


@SETTINGS
@given(samples())
def test_raking_does_not_depend_on_the_order_of_margins(sample) -> None:
    data, targets = sample
    forward = calibration_record(data, targets, weights="w", by="council").weights
    backward = calibration_record(data, targets.iloc[::-1], weights="w", by="council").weights
    np.testing.assert_allclose(forward, backward, rtol=1e-7)


@SETTINGS
@given(samples())
def test_iterated_post_stratification_equals_newton_raking(sample) -> None:
    # IPF is used for unbounded raking; bounds too wide to bind send the same problem through Newton's method
    data, targets = sample
    ipf = calibration_record(data, targets, weights="w", by="council").weights
    newton = calibration_record(data, targets, weights="w", by="council", bounds=(1e-9, 1e9)).weights
    np.testing.assert_allclose(ipf, newton, rtol=1e-7)


@SETTINGS
@given(st.lists(st.floats(0.5, 50), min_size=2, max_size=40), st.floats(10, 1e6))
def test_linear_calibration_to_the_population_size_only_rescales(weights, population) -> None:
    data = pd.DataFrame({"w": weights})
    targets = pd.DataFrame({"variable": ["(population)"], "category": [None], "total": [population]})
    calibrated = calibration_record(data, targets, weights="w", method="linear").weights
    np.testing.assert_allclose(calibrated, np.array(weights) * population / sum(weights), rtol=1e-12)


@SETTINGS
@given(samples(), st.floats(1.5, 4))
def test_trimming_keeps_targets_and_caps(sample, cap) -> None:
    data, targets = sample
    design = rs.SurveyDesign(data, weights="w").calibrate(targets, by="council")
    try:
        trimmed = design.trim(upper=cap)
    except rs.CalibrationError:
        return  # caps that conflict with the targets are reported, which is the contract
    w = trimmed.weights.to_numpy()
    np.testing.assert_allclose(achieved(data, w, targets), targets["total"], rtol=1e-6)
    means = trimmed.weights.groupby(data["council"]).transform("mean").to_numpy()
    assert np.all(w <= cap * means * (1 + 1e-5))


def test_calibrated_standard_errors_do_not_depend_on_row_order() -> None:
    rng = np.random.default_rng(7)
    n = 400
    data = pd.DataFrame({"council": rng.choice(["A", "B"], n), "age": rng.choice(["y", "o"], n),
                         "psu": rng.integers(0, 40, n), "w": rng.uniform(1, 5, n), "y": rng.normal(size=n)})
    data["stratum"] = data["psu"] % 4
    targets = pd.DataFrame({"council": ["A", "A", "B", "B"], "variable": "age", "category": ["y", "o"] * 2,
                            "total": [300.0, 500, 400, 200]})
    shuffled = data.sample(frac=1, random_state=1)

    def table(frame: pd.DataFrame) -> pd.DataFrame:
        design = rs.SurveyDesign(frame, weights="w", strata="stratum", psu="psu").calibrate(targets, by="council")
        return design.mean("y", by="age")

    pd.testing.assert_frame_equal(table(data), table(shuffled), rtol=1e-10)


def test_post_stratified_mean_equals_the_population_weighted_cell_means() -> None:
    # a classic identity: post-stratification estimates sum_k N_k ybar_k / N
    rng = np.random.default_rng(3)
    data = pd.DataFrame({"cell": rng.choice(["a", "b", "c"], 200), "w": rng.uniform(1, 3, 200),
                         "y": rng.normal(size=200)})
    totals = {"a": 100.0, "b": 300.0, "c": 600.0}
    targets = pd.DataFrame({"variable": "cell", "category": list(totals), "total": list(totals.values())})
    estimate = rs.SurveyDesign(data, weights="w").calibrate(targets, method="linear").mean("y").loc[0, "estimate"]
    cell_means = data.groupby("cell").apply(lambda g: np.average(g["y"], weights=g["w"]), include_groups=False)
    assert estimate == pytest.approx(sum(totals[k] * cell_means[k] for k in totals) / 1000.0, rel=1e-12)
