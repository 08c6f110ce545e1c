"""Linear calibration that makes weights negative: R's variance, a warning naming the council, counts in the summary.

Reference: ``data/r/negative_weights_reference.csv`` from ``data/r/make_negative_weights_reference.R`` (R survey
4.1.1): apistrat split into two groups, each linearly calibrated to its own targets so that 6 weights in A and 5 in B
go negative, unbounded (R's ``regcalibrate``) and with bounds (-0.1, 2.2) that bind (R's ``grake``).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import residentsurvey as rs
from residentsurvey.weighting import calibration_record

from ..conftest import DATA, load_api

REFERENCE = pd.read_csv(DATA / "r" / "negative_weights_reference.csv", keep_default_na=False, na_values=["NA"])
TARGETS = pd.read_csv(DATA / "r" / "negative_weights_targets.csv")
ROUTES = {"linear": None, "bounded": (-0.1, 2.2)}


def _strat() -> pd.DataFrame:
    data = load_api("apistrat")
    return data.assign(grp=np.where(data["cnum"] <= 20, "A", "B"))


def _calibrated(route: str) -> rs.SurveyDesign:
    design = rs.SurveyDesign(_strat(), weights="pw", strata="stype", fpc="fpc")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rs.NegativeWeightWarning)
        return design.calibrate(TARGETS, method="linear", by="grp", bounds=ROUTES[route])


@pytest.fixture(scope="module", params=sorted(ROUTES))
def route(request) -> tuple[str, rs.SurveyDesign]:
    return request.param, _calibrated(request.param)


def _reference(route: str, case: str) -> pd.DataFrame:
    rows = REFERENCE[REFERENCE["case"] == f"{route}_{case}"]
    assert len(rows), f"no reference rows for {route}_{case}"
    return rows


def _check(result: pd.DataFrame, reference: pd.DataFrame, key: str | None = None) -> None:
    for _, row in reference.iterrows():
        got = result.iloc[0] if key is None else result[result[key].astype(str) == row["domain"]].iloc[0]
        assert got["estimate"] == pytest.approx(row["estimate"], rel=1e-8)
        assert got["se"] == pytest.approx(row["se"], rel=1e-8)
        if not np.isnan(row["ci_lower"]):
            assert got["ci_lower"] == pytest.approx(row["ci_lower"], rel=1e-7)
            assert got["ci_upper"] == pytest.approx(row["ci_upper"], rel=1e-7)


def test_negative_weights_are_where_r_puts_them(route) -> None:
    name, design = route
    counts = (design.weights < 0).groupby(design.data["grp"]).sum()
    reference = _reference(name, "negative_weights").set_index("domain")["estimate"]
    assert counts.to_dict() == {"A": reference["A"], "B": reference["B"]} == {"A": 6, "B": 5}
    assert design.degf == _reference(name, "degf")["estimate"].iloc[0]


def test_mean_and_total_agree_with_r(route) -> None:
    name, design = route
    _check(design.mean("api00"), _reference(name, "mean_api00"))
    _check(design.total("enroll"), _reference(name, "total_enroll"))


@pytest.mark.parametrize("by", ["grp", "stype"])
def test_domain_means_agree_with_r(route, by) -> None:
    name, design = route
    _check(design.mean("api00", by=by), _reference(name, f"mean_api00_by_{by}"), key=by)


def test_korn_graubard_intervals_agree_with_r(route) -> None:
    name, design = route
    design = design.with_columns({"awards_yes": design.data["awards"] == "Yes"})
    table = design.proportion("awards_yes", by="grp", ci_method="beta")
    _check(table[table["category"] == True], _reference(name, "ciprop_beta_awards_by_grp"), key="grp")  # noqa: E712


def test_the_warning_names_each_council_its_count_and_the_fix() -> None:
    design = rs.SurveyDesign(_strat(), weights="pw", strata="stype", fpc="fpc")
    with pytest.warns(rs.NegativeWeightWarning) as caught:
        design.calibrate(TARGETS, method="linear", by="grp")
    assert len(caught) == 1
    message = str(caught[0].message)
    assert message.startswith("linear calibration made 11 of 200 weights negative: 6 of 86 in grp='A' (smallest "), message
    assert "5 of 114 in grp='B' (smallest " in message
    assert "bounds=(0.3, 3)" in message and "method='logit'" in message


def test_no_warning_when_no_weight_goes_negative() -> None:
    design = rs.SurveyDesign(_strat(), weights="pw", strata="stype", fpc="fpc")
    with warnings.catch_warnings():
        warnings.simplefilter("error", rs.NegativeWeightWarning)
        logit = design.calibrate(TARGETS, method="logit", by="grp", bounds=(0.3, 3))
    assert (logit.weights > 0).all()
    assert logit.weighting_summary(by="grp")["negative_weights"].tolist() == [0, 0]


def test_the_record_and_the_summary_flag_the_negative_weights() -> None:
    design = _calibrated("linear")
    assert design.calibration.negative_weights.tolist() == [6, 5]
    summary = design.weighting_summary(by="grp")
    assert summary["negative_weights"].tolist() == [6, 5]
    assert summary["zero_weights"].tolist() == [0, 0]
    assert (summary["min_weight"] < 0).all()
    # a summary by something other than the calibration groups still counts every negative weight
    assert design.weighting_summary(by="stype")["negative_weights"].sum() == 11
    assert design.weighting_summary()["negative_weights"].tolist() == [11]


def test_the_record_warns_too() -> None:
    with pytest.warns(rs.NegativeWeightWarning, match=r"6 of 86 in grp='A'"):
        calibration_record(_strat(), TARGETS, weights="pw", method="linear", by="grp")


@pytest.mark.parametrize("method", ["linear", "raking"])
def test_a_zero_starting_weight_is_the_limit_of_a_tiny_one(method) -> None:
    """R stops on a zero weight in a calibrated design (0/0 in its residuals); its limit, weight 1e-10, agrees."""
    data = load_api("apiclus1")
    data.loc[0, "pw"] = 0.0
    design = rs.SurveyDesign(data, weights="pw", psu="dnum", fpc="fpc")
    stype = pd.DataFrame({"variable": "stype", "category": ["E", "H", "M"], "total": [4421.0, 755, 1018]})
    calibrated = design.calibrate(stype, method=method)
    assert calibrated.weights.iloc[0] == 0
    overall = calibrated.mean("api00")
    _check(overall, REFERENCE[REFERENCE["case"] == f"zero_{method}_mean_api00"])
    _check(calibrated.mean("api00", by="stype"), REFERENCE[REFERENCE["case"] == f"zero_{method}_mean_api00_by_stype"],
           key="stype")
    # the zero-weight school counts in no estimate, and the summary says so
    summary = calibrated.weighting_summary()
    assert summary[["n", "n_weighted", "zero_weights", "missing_weights"]].iloc[0].tolist() == [183, 182, 1, 0]
    assert calibrated.calibration.zero_weights.tolist() == [1]
