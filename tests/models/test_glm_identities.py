"""Two routes that must agree: a regression on domain indicators is the domain means."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import residentsurvey as rs

from . import _api


@pytest.fixture(scope="module")
def demo() -> rs.SurveyDesign:
    return rs.SurveyDesign(rs.demo_consortium(), weights="design_weight", strata="stratum", psu="sector")


def _council_means_by_glm(design: rs.SurveyDesign) -> tuple[pd.DataFrame, pd.DataFrame]:
    fit = design.glm("ons_life_satisfaction ~ 0 + C(council)")
    means = design.mean("ons_life_satisfaction", by="council")
    return fit.coefficients, means


def test_indicator_regression_is_the_council_mean(demo: rs.SurveyDesign) -> None:
    coefficients, means = _council_means_by_glm(demo)
    np.testing.assert_allclose(coefficients["estimate"], means["estimate"], rtol=1e-10)
    np.testing.assert_allclose(coefficients["se"], means["se"], rtol=1e-10)


def test_indicator_regression_is_the_council_mean_after_calibration(demo: rs.SurveyDesign) -> None:
    targets = rs.demo_council_populations()
    targets = targets[targets["variable"].isin(["age_band", "tenure"])]
    calibrated = demo.calibrate(targets, by="council")
    coefficients, means = _council_means_by_glm(calibrated)
    np.testing.assert_allclose(coefficients["estimate"], means["estimate"], rtol=1e-10)
    np.testing.assert_allclose(coefficients["se"], means["se"], rtol=1e-8)
    uncalibrated, _ = _council_means_by_glm(demo)
    assert not np.allclose(coefficients["se"], uncalibrated["se"])  # calibration did change the SEs


def test_subset_is_a_domain_of_the_whole_design() -> None:
    """A subset fit keeps the whole design: its intercept-only SE is the domain mean's SE."""
    design = _api.strat()
    fit = design.glm("api00 ~ 1", subset="stype == 'M'")
    mean = design.mean("api00", by="stype").set_index("stype").loc["M"]
    assert fit.params.iloc[0] == pytest.approx(mean["estimate"], rel=1e-12)
    assert fit.bse.iloc[0] == pytest.approx(mean["se"], rel=1e-10)
    assert fit.excluded == {"outside the subset": int((design.data["stype"] != "M").sum())}


def test_subset_forms_agree() -> None:
    design = _api.strat()
    mask = (design.data["stype"] == "E").to_numpy()
    by_query = design.glm("api00 ~ ell", subset="stype == 'E'").coefficients
    by_mask = design.glm("api00 ~ ell", subset=mask).coefficients
    by_column = design.with_columns({"is_e": design.data["stype"] == "E"}).glm("api00 ~ ell", subset="is_e")
    pd.testing.assert_frame_equal(by_query, by_mask)
    pd.testing.assert_frame_equal(by_query, by_column.coefficients)


def test_missing_values_are_counted_not_dropped_silently() -> None:
    design = _api.clus2()
    fit = design.glm("api00 ~ ell + enroll")
    missing = int(design.data["enroll"].isna().sum())
    assert missing > 0
    assert fit.excluded == {"missing a value the model uses": missing}
    assert fit.n == design.n - missing


def test_exponentiate_gives_odds_ratios() -> None:
    fit = _api.strat().glm("sw ~ ell + meals", family="binomial")
    ratios = fit.tidy(exponentiate=True)
    plain = fit.coefficients
    np.testing.assert_allclose(ratios["estimate"], np.exp(plain["estimate"]))
    np.testing.assert_allclose(ratios["ci_lower"], np.exp(plain["ci_lower"]))
    np.testing.assert_allclose(ratios["p_value"], plain["p_value"])


@settings(max_examples=25, deadline=None)
@given(shift=st.floats(-100, 100), scale=st.floats(0.1, 10))
def test_rescaling_the_outcome_rescales_coefficients(shift: float, scale: float) -> None:
    """Linear equivariance: y -> a + b y moves the intercept and multiplies every slope and SE by b."""
    design = _api.strat()
    base = design.glm("api00 ~ ell + meals")
    moved = design.with_columns({"api00": shift + scale * design.data["api00"]}).glm("api00 ~ ell + meals")
    np.testing.assert_allclose(moved.params.iloc[1:], scale * base.params.iloc[1:], rtol=1e-8)
    np.testing.assert_allclose(moved.bse, scale * base.bse, rtol=1e-7)
    assert moved.params.iloc[0] == pytest.approx(shift + scale * base.params.iloc[0], rel=1e-8, abs=1e-6)


def test_summary_and_html_name_the_model() -> None:
    fit = _api.strat().glm("api00 ~ ell")
    assert "api00 ~ ell" in fit.summary() and "Residual df 196" in fit.summary()
    assert "<table" in fit._repr_html_()
    assert fit.conf_int().shape == (2, 2)


def test_gaussian_margins_differ_by_the_coefficients() -> None:
    """With no interactions, predictive margins of a gaussian model differ exactly by the category coefficients."""
    fit = _api.strat().glm("api00 ~ ell + meals + C(stype)")
    margins = fit.predictive_margins("stype").set_index("category")["estimate"]
    assert margins["H"] - margins["E"] == pytest.approx(fit.params["C(stype)[T.H]"], rel=1e-10)
    assert margins["M"] - margins["E"] == pytest.approx(fit.params["C(stype)[T.M]"], rel=1e-10)
    by_award = fit.predictive_margins("stype", by="awards")
    assert set(by_award["awards"]) == {"No", "Yes"} and len(by_award) == 6
    assert (by_award.groupby("awards")["n"].first().sum()) == fit.n


def test_subset_of_a_calibrated_design_is_its_domain_mean(demo: rs.SurveyDesign) -> None:
    """A subset keeps the calibration: an intercept-only fit in one council is that council's mean and SE."""
    targets = rs.demo_council_populations()
    calibrated = demo.calibrate(targets[targets["variable"].isin(["age_band", "tenure"])], by="council")
    fit = calibrated.glm("ons_life_satisfaction ~ 1", subset="council == 'Eastmere'")
    mean = calibrated.mean("ons_life_satisfaction", by="council")
    mean = mean[mean["council"] == "Eastmere"].iloc[0]
    assert fit.params.iloc[0] == pytest.approx(mean["estimate"], rel=1e-12)
    assert fit.bse.iloc[0] == pytest.approx(mean["se"], rel=1e-9)
