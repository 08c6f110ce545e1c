"""The driver chart (priority matrix), looked at through its parts: points, intervals, words."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import residentsurvey as rs
from residentsurvey.report.drivers import driver_chart

from ..conftest import load_api


@pytest.fixture(scope="module")
def drivers() -> rs.KeyDrivers:
    data = load_api("apistrat")
    data["low_ell"] = (data["ell"] < 20).astype(float)
    data["low_meals"] = (data["meals"] < 40).astype(float)
    data["stable"] = (data["mobility"] < 15).astype(float)
    design = rs.SurveyDesign(data, weights="pw", strata="stype", fpc="fpc")
    return rs.key_drivers(design, "api00", ["low_ell", "low_meals", "stable"], by="stype")


def test_points_are_performance_and_share_of_r2(drivers: rs.KeyDrivers) -> None:
    figure = driver_chart(drivers, "E", labels={"low_meals": "Few free meals"})
    ax = figure.axes[0]
    rows = drivers.table[drivers.table["stype"] == "E"]
    x, y = ax.lines[0].get_data()
    np.testing.assert_allclose(x, rows["performance"] * 100)
    np.testing.assert_allclose(y, rows["importance"] / rows["r2"] * 100)
    texts = [t.get_text() for t in ax.texts]
    assert "Few free meals" in texts and "low_ell" in texts
    assert any("Priorities" in t for t in texts)
    assert "(%)" in ax.get_xlabel()
    words = " ".join(t.get_text() for t in figure.texts)
    assert "jackknife" in words and "R² = " in words


def test_default_area_is_the_overall(drivers: rs.KeyDrivers) -> None:
    figure = driver_chart(drivers)
    assert "in All" in figure._suptitle.get_text()


def test_unknown_area_names_the_areas(drivers: rs.KeyDrivers) -> None:
    with pytest.raises(rs.ReportError, match="area 'Z' is not in the key-driver table; its areas are E, H, M, All"):
        driver_chart(drivers, "Z")
