"""The domains and variance plan of a by= are built once per design and reused, never stale."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import residentsurvey as rs
from residentsurvey.analysis import estimators


@pytest.fixture(scope="module")
def design() -> rs.SurveyDesign:
    return rs.SurveyDesign(rs.demo_consortium(), weights="design_weight", strata="stratum", psu="sector")


def _fresh(design: rs.SurveyDesign, data: pd.DataFrame) -> rs.SurveyDesign:
    return rs.SurveyDesign(data, weights="design_weight", strata="stratum", psu="sector")


def test_a_plan_is_built_once_per_design_and_by(design, monkeypatch):
    built = []
    real = estimators._plan
    monkeypatch.setattr(estimators, "_plan", lambda d, by: built.append(by) or real(d, by))
    fresh = rs.SurveyDesign(design.data, weights="design_weight", strata="stratum", psu="sector")
    fresh.mean("ons_life_satisfaction", by="council")
    fresh.proportion("q_satisfied_area", by="council")
    derived = fresh.with_columns({"happy": (fresh.data["ons_happy"].astype(float) >= 7).astype(float)})
    derived.mean("happy", by="council")
    assert built == ["council"]


def test_with_columns_that_replaces_a_by_column_gets_its_own_domains(design):
    design.mean("ons_life_satisfaction", by="council")          # caches the council plan
    merged = design.data["council"].astype(str).replace({"Eastmere": "Northbridge"})
    replaced = design.with_columns({"council": merged})
    cached = replaced.mean("ons_life_satisfaction", by="council")
    expected = _fresh(design, design.data.assign(council=merged)).mean("ons_life_satisfaction", by="council")
    assert len(cached) == len(expected) == design.data["council"].nunique() - 1
    np.testing.assert_allclose(cached["se"], expected["se"], rtol=1e-12)
    # and the original design still has its own councils
    assert len(design.mean("ons_life_satisfaction", by="council")) == design.data["council"].nunique()


def test_a_by_column_added_by_with_columns_is_not_shared_with_siblings(design):
    happy = design.data["ons_happy"].astype(float).to_numpy()
    anxious = design.data["ons_anxious"].astype(float).to_numpy()
    low = design.with_columns({"group": np.where(happy >= 7, "high", "low")})
    other = design.with_columns({"group": np.where(anxious >= 4, "anxious", "calm")})
    assert set(low.mean("ons_life_satisfaction", by="group")["group"]) == {"high", "low"}
    assert set(other.mean("ons_life_satisfaction", by="group")["group"]) == {"anxious", "calm"}


def test_calibrated_designs_do_not_reuse_the_uncalibrated_plan(design):
    design.mean("ons_life_satisfaction", by="council")
    targets = rs.demo_council_populations()
    weighted = design.calibrate(targets[targets["variable"].isin(["age_band", "tenure"])], by="council")
    reused = weighted.mean("ons_life_satisfaction", by="council")
    again = _fresh(design, design.data).calibrate(targets[targets["variable"].isin(["age_band", "tenure"])],
                                                   by="council").mean("ons_life_satisfaction", by="council")
    np.testing.assert_allclose(reused["se"], again["se"], rtol=1e-12)


def test_the_returns_labels_are_kept_beside_the_data_not_in_it():
    returns = rs.demo_consortium()
    design = rs.SurveyDesign(returns, weights="design_weight", strata="stratum")
    assert design.data.attrs == {}
    assert design.metadata["value_labels"] == returns.attrs["value_labels"]
    assert design.with_columns({"x": 1.0}).metadata is design.metadata
    with pytest.raises(TypeError):
        design.metadata["value_labels"] = {}                      # read-only
    assert returns.attrs["value_labels"]                         # the caller's frame is untouched
