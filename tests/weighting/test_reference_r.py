"""Calibrated designs against R's survey package.

- ``data/r_survey_reference.csv`` (shared): postStratify, calibrate (linear, raking, logit and
  linear with bounds) and rake rows. R's ``rake()`` stops when the weighted table changes by less
  than 1 (its default ``epsilon``), about 1e-5 short of the raking solution; those two rows are
  checked at 2e-5, and against R's rake run to convergence below at 1e-8.
- ``data/r/calibration_reference.csv`` from ``data/r/make_calibration_reference.R``: converged
  raking, domains on calibrated designs (equal to and cutting across the margins), svyciprop on a
  calibrated design, and raking within groups. R's ``rake()`` variance projects the scores with ten
  rounds of post-stratification, an approximation of the regression residuals ``calibrate()`` (and
  residentsurvey) use, so standard errors are compared at 1e-7 (they agree to about 2e-8).
"""

from __future__ import annotations

import pandas as pd
import pytest

import residentsurvey as rs

from ..conftest import DATA, load_api

REFERENCE = pd.read_csv(DATA / "r_survey_reference.csv")
CALIBRATION = pd.read_csv(DATA / "r" / "calibration_reference.csv")

STYPE = pd.DataFrame({"variable": "stype", "category": ["E", "H", "M"], "total": [4421.0, 755, 1018]})
API99 = pd.DataFrame({"variable": ["api99"], "category": [None], "total": [3914069.0]})
SCHWIDE = pd.DataFrame({"variable": "sch.wide", "category": ["No", "Yes"], "total": [1072.0, 5122]})

CASES = {
    "clus1_poststratify_stype_mean_api00": (STYPE, "linear", None, 1e-8),
    "clus1_calibrate_linear_stype_mean_api00": (STYPE, "linear", None, 1e-8),
    "clus1_calibrate_raking_stype_mean_api00": (STYPE, "raking", None, 1e-8),
    "clus1_calibrate_linear_stype_api99_mean_api00": (pd.concat([STYPE, API99]), "linear", None, 1e-8),
    "clus1_calibrate_logit_bounds_mean_api00": (pd.concat([STYPE, API99]), "logit", (0.7, 1.7), 1e-8),
    "clus1_calibrate_linear_bounds_mean_api00": (pd.concat([STYPE, API99]), "linear", (0.6, 1.6), 1e-8),
    "clus1_rake_stype_schwide_mean_api00": (pd.concat([STYPE, SCHWIDE]), "raking", None, 2e-5),
    "clus1_rake_stype_schwide_total_enroll": (pd.concat([STYPE, SCHWIDE]), "raking", None, 2e-5),
}


@pytest.fixture(scope="module")
def clus1() -> rs.SurveyDesign:
    return rs.SurveyDesign(load_api("apiclus1"), weights="pw", psu="dnum", fpc="fpc")


@pytest.mark.parametrize("case", sorted(CASES))
def test_shared_calibration_rows(case: str, clus1: rs.SurveyDesign) -> None:
    targets, method, bounds, rtol = CASES[case]
    row = REFERENCE[REFERENCE["case"] == case].iloc[0]
    design = clus1.calibrate(targets, method=method, bounds=bounds)
    result = (design.total("enroll") if "total" in case else design.mean("api00")).iloc[0]
    assert result["estimate"] == pytest.approx(row["estimate"], rel=rtol)
    assert result["se"] == pytest.approx(row["se"], rel=max(rtol, 1e-7))
    assert result["ci_lower"] == pytest.approx(row["ci_lower"], rel=max(rtol, 1e-7))


@pytest.mark.parametrize("row", [r for _, r in CALIBRATION.iterrows()],
                         ids=[f"{r.case}-{r.domain}" for _, r in CALIBRATION.iterrows()])
def test_calibration_reference(row: pd.Series) -> None:
    data = pd.read_csv(DATA / "r" / "apiclus1_calibration.csv")
    design = rs.SurveyDesign(data, weights="pw", psu="dnum", fpc="fpc")
    case = row["case"]
    if case.startswith("grouprake"):
        design = design.calibrate(pd.read_csv(DATA / "r" / "group_targets.csv"), by="grp")
    else:
        design = design.calibrate(pd.concat([STYPE, SCHWIDE]))
    if case.endswith("total_enroll"):
        result = design.total("enroll").iloc[0]
    elif "_by_" in case and "ciprop" not in case:
        by = case.rsplit("_by_", 1)[1]
        table = design.mean("api00", by=by)
        result = table[table[by].astype(str) == row["domain"]].iloc[0]
    elif "ciprop" in case:
        data = data.assign(awards_yes=data["awards"] == "Yes")
        design = rs.SurveyDesign(data, weights="pw", psu="dnum", fpc="fpc").calibrate(pd.concat([STYPE, SCHWIDE]))
        table = design.proportion("awards_yes", by="stype", ci_method="beta")
        result = table[(table["category"] == True) & (table["stype"] == row["domain"])].iloc[0]  # noqa: E712
        assert result["ci_lower"] == pytest.approx(row["ci_lower"], rel=1e-6)
        assert result["ci_upper"] == pytest.approx(row["ci_upper"], rel=1e-6)
    else:
        result = design.mean("api00").iloc[0]
    assert result["estimate"] == pytest.approx(row["estimate"], rel=1e-8)
    assert result["se"] == pytest.approx(row["se"], rel=1e-7)
