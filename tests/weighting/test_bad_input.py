"""Weighting failures are explicit: they name the group, variable and category, and say what would fix it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import residentsurvey as rs
from residentsurvey.weighting import calibrate_weights, calibration_targets
from residentsurvey.weighting.design_weights import design_weights, nonresponse_adjustment
from residentsurvey.weighting.trimming import trim_weights


@pytest.fixture()
def data() -> pd.DataFrame:
    return pd.DataFrame({"council": ["A"] * 4 + ["B"] * 4, "sex": ["F", "M"] * 4,
                         "age": ["y", "y", "o", "o"] * 2, "w": 1.0})


def targets() -> pd.DataFrame:
    rows = []
    for council in ("A", "B"):
        rows += [(council, "sex", "F", 50.0), (council, "sex", "M", 50.0), (council, "age", "y", 40.0),
                 (council, "age", "o", 60.0)]
    table = pd.DataFrame(rows, columns=["council", "variable", "category", "total"])
    return table


def test_inconsistent_margin_totals_name_council_and_variables(data) -> None:
    t = targets()
    t.loc[(t["council"] == "B") & (t["variable"] == "age") & (t["category"] == "o"), "total"] = 70.0
    with pytest.raises(rs.CalibrationError, match=r"inconsistent margin totals for council='B': 'sex' sums to 100 but 'age' sums to 110"):
        calibrate_weights(data, t, by="council")


def test_a_target_with_no_respondents_names_the_cell(data) -> None:
    data.loc[data["council"] == "B", "age"] = "y"
    with pytest.raises(rs.CalibrationError, match=r"council='B': the target for variable 'age', category 'o' is 60 but no respondent"):
        calibrate_weights(data, targets(), by="council")


def test_a_respondent_category_without_target_is_named(data) -> None:
    data.loc[5, "sex"] = "X"
    with pytest.raises(rs.CalibrationError, match=r"1 respondent\(s\) have sex='X' \(first in council='B', row 5\)"):
        calibrate_weights(data, targets(), by="council")


def test_a_group_without_targets_is_named(data) -> None:
    data.loc[0, "council"] = "Z"
    with pytest.raises(rs.CalibrationError, match=r"1 respondent\(s\) have council='Z' \(first at row 0\), which has no targets"):
        calibrate_weights(data, targets(), by="council")


def test_missing_calibration_values_are_refused(data) -> None:
    data.loc[2, "age"] = None
    with pytest.raises(rs.CalibrationError, match=r"1 respondent\(s\) have no value for calibration variable 'age'"):
        calibrate_weights(data, targets(), by="council")


def test_non_convergence_is_an_error_naming_the_worst_target(data) -> None:
    associated = data.assign(sex=["F", "F", "M", "F"] * 2)  # sex and age associated: raking needs several sweeps
    with pytest.raises(rs.CalibrationError, match=r"raking calibration did not converge in 1 iterations: council='[AB]', variable"):
        calibrate_weights(associated, targets(), by="council", max_iter=1)


def test_bounds_that_cannot_be_met_are_reported(data) -> None:
    t = targets()
    t.loc[t["category"] == "y", "total"] = 90.0
    t.loc[t["category"] == "o", "total"] = 10.0
    with pytest.raises(rs.CalibrationError, match=r"did not converge.*bounds \(0.9, 1.1\) may be too tight"):
        calibrate_weights(data.assign(w=25.0), t, by="council", method="logit", bounds=(0.9, 1.1), max_iter=30)


def test_option_and_bound_checks(data) -> None:
    with pytest.raises(rs.OptionError, match=r"method='ipf' is not recognised; use one of 'raking', 'linear', 'logit'"):
        calibrate_weights(data, targets(), by="council", method="ipf")
    with pytest.raises(rs.CalibrationError, match="needs finite bounds"):
        calibrate_weights(data, targets(), by="council", method="logit")
    with pytest.raises(rs.CalibrationError, match="lower < 1 < upper"):
        calibrate_weights(data, targets(), by="council", bounds=(1.2, 3))


def test_targets_table_problems() -> None:
    with pytest.raises(rs.CalibrationError, match=r"lacks column\(s\) \['total'\]"):
        calibration_targets(pd.DataFrame({"variable": ["a"], "category": ["x"]}))
    with pytest.raises(rs.CalibrationError, match=r"row 1 \(variable='a', category='y'\) has total -3"):
        calibration_targets(pd.DataFrame({"variable": ["a", "a"], "category": ["x", "y"], "total": [1, -3]}))
    with pytest.raises(rs.CalibrationError, match="appears more than once"):
        calibration_targets(pd.DataFrame({"variable": ["a", "a"], "category": ["x", "x"], "total": [1, 3]}))
    with pytest.raises(rs.CalibrationError, match=r"targets for council='B' have no row for a='y'"):
        calibration_targets(pd.DataFrame({"council": ["A", "A", "B"], "variable": "a", "category": ["x", "y", "x"],
                                          "total": [1, 2, 3]}), by="council")


def test_calibrating_twice_is_refused(data) -> None:
    design = rs.SurveyDesign(data, weights="w").calibrate(targets(), by="council")
    with pytest.raises(rs.DesignError, match="already calibrated"):
        design.calibrate(targets(), by="council")


def test_design_weights_and_nonresponse_classes() -> None:
    with pytest.raises(rs.CalibrationError, match=r"position 1 holds 1.5"):
        design_weights([0.5, 1.5])
    sample = pd.DataFrame({"w": 10.0, "r": [True, False, False, False], "k": ["a", "a", "b", "b"]})
    with pytest.raises(rs.CalibrationError, match=r"weighting class \(k='b'\) has 2 sampled unit\(s\) but no respondent"):
        nonresponse_adjustment(sample, weights="w", responded="r", classes="k")
    adjusted = nonresponse_adjustment(sample.assign(r=[True, False, True, False]), weights="w", responded="r",
                                      classes="k")
    assert adjusted["nr_weight"].sum() == pytest.approx(40.0)
    assert len(adjusted) == 4  # nonrespondents are kept, with weight 0
    assert adjusted.attrs["classes"]["response_rate"].tolist() == [0.5, 0.5]


def test_trimming_keeps_group_totals_and_refuses_impossible_caps() -> None:
    w = np.array([1.0, 1, 1, 9, 2, 2, 2, 10])
    groups = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    trimmed = trim_weights(w, upper=2.0, groups=groups)
    assert np.bincount(groups, trimmed).tolist() == pytest.approx([12.0, 16.0])
    assert trimmed.max() <= 8.0 + 1e-9
    with pytest.raises(rs.CalibrationError, match="below the mean weight"):
        trim_weights(w, upper=0.5)
