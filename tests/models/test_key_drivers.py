"""Key drivers: LMG/Shapley and relative weights against R, identities, the jackknife, bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import residentsurvey as rs

from ..conftest import DATA
from . import _api

MTCARS = pd.read_csv(DATA / "mtcars.csv")  # from R's mtcars by data/r/make_models_reference.R


def mtcars_design(weights: str) -> rs.SurveyDesign:
    data = MTCARS.assign(one=1.0)
    return rs.SurveyDesign(data, weights=weights)


def test_lmg_on_mtcars_is_relaimpo() -> None:
    """The issue's published values (relaimpo's lmg) and R's brute force over orderings agree with ours."""
    kd = rs.key_drivers(mtcars_design("one"), "mpg", ["am", "vs", "cyl"], by=None, intervals=False)
    np.testing.assert_allclose(kd.table["importance"], [0.1774892, 0.2027032, 0.3817849], rtol=5e-7)
    assert kd.table["r2"].iloc[0] == pytest.approx(0.7619773, rel=1e-7)
    expected = _api.reference("lmg_mtcars").set_index("term")
    np.testing.assert_allclose(kd.table["importance"], expected.loc[["am", "vs", "cyl"], "estimate"], rtol=1e-10)


def test_weighted_lmg_is_lmg_of_weighted_lm() -> None:
    kd = rs.key_drivers(mtcars_design("wgt"), "mpg", ["am", "vs", "cyl", "wt"], by=None, intervals=False)
    expected = _api.reference("lmg_mtcars_weighted").set_index("term")
    np.testing.assert_allclose(kd.table["importance"], expected.loc[["am", "vs", "cyl", "wt"], "estimate"], rtol=1e-10)
    assert kd.table["r2"].iloc[0] == pytest.approx(expected.loc["r2", "estimate"], rel=1e-12)
    beta = _api.reference("beta_mtcars_weighted")["estimate"]
    np.testing.assert_allclose(kd.table["beta"], beta, rtol=1e-10)


def test_relative_weights_add_to_r2() -> None:
    kd = rs.key_drivers(mtcars_design("wgt"), "mpg", ["am", "vs", "cyl", "wt"], by=None, method="relative_weights",
                        intervals=False)
    assert kd.table["importance"].sum() == pytest.approx(kd.table["r2"].iloc[0], rel=1e-12)
    assert (kd.table["importance"] > 0).all()


def test_one_driver_importance_is_r2() -> None:
    kd = rs.key_drivers(mtcars_design("wgt"), "mpg", ["wt"], by=None, intervals=False)
    fit = mtcars_design("wgt").glm("mpg ~ wt")
    y = MTCARS["mpg"].to_numpy()
    w = MTCARS["wgt"].to_numpy()
    fitted = fit.predict(MTCARS, se=False)["estimate"].to_numpy()
    ybar = np.average(y, weights=w)
    r2 = 1 - np.sum(w * (y - fitted) ** 2) / np.sum(w * (y - ybar) ** 2)
    assert kd.table["importance"].iloc[0] == pytest.approx(r2, rel=1e-12)
    assert kd.table["share"].iloc[0] == pytest.approx(1.0)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), p=st.integers(1, 6), method=st.sampled_from(["shapley", "relative_weights"]))
def test_importances_add_up_to_r2_in_every_area(seed: int, p: int, method: str) -> None:
    rng = np.random.default_rng(seed)
    n = 120
    x = rng.normal(size=(n, p))
    data = pd.DataFrame(x, columns=[f"x{j}" for j in range(p)])
    data["y"] = x @ rng.normal(size=p) + rng.normal(size=n)
    data["area"] = rng.choice(["a", "b", "c"], size=n)
    data["w"] = rng.uniform(0.5, 3, size=n)
    kd = rs.key_drivers(rs.SurveyDesign(data, weights="w"), "y", [f"x{j}" for j in range(p)], by="area",
                        method=method, intervals=False)
    sums = kd.table.groupby("area", sort=False).agg(total=("importance", "sum"), r2=("r2", "first"))
    np.testing.assert_allclose(sums["total"], sums["r2"], rtol=1e-9, atol=1e-12)
    assert (kd.table["importance"] >= -1e-12).all()


def test_overall_is_the_pooled_sample() -> None:
    design = _api.strat()
    by_area = rs.key_drivers(design, "api00", ["ell", "meals", "mobility"], by="stype", intervals=False).table
    pooled = rs.key_drivers(design, "api00", ["ell", "meals", "mobility"], by=None, intervals=False).table
    overall = by_area[by_area["stype"] == "All"]
    np.testing.assert_allclose(overall["importance"], pooled["importance"], rtol=1e-12)
    assert overall["n"].iloc[0] == 200


def test_jackknife_is_refitting_each_replicate() -> None:
    """The jackknife from PSU sums equals dropping each PSU, reweighting its stratum and recomputing."""
    design = _api.clus1()
    drivers = ["ell", "meals", "mobility"]
    kd = rs.key_drivers(design, "api00", drivers, by=None)
    full = kd.table["importance"].to_numpy()
    data = design.data
    psus = data["dnum"].unique()
    n_h, f = len(psus), len(psus) / data["fpc"].iloc[0]
    squares = np.zeros(len(drivers))
    for psu in psus:  # the slow route, on purpose
        w = np.where(data["dnum"] == psu, 0.0, data["pw"] * n_h / (n_h - 1))
        replicate = rs.SurveyDesign(data.assign(w_rep=w), weights="w_rep")
        squares += (rs.key_drivers(replicate, "api00", drivers, by=None, intervals=False).table["importance"]
                    .to_numpy() - full) ** 2
    np.testing.assert_allclose(kd.table["importance_se"], np.sqrt((1 - f) * (n_h - 1) / n_h * squares), rtol=1e-9)


def test_jackknife_by_area_with_strata_crossing_areas() -> None:
    """Areas that cut across strata: replicates of PSUs absent from an area still rescale its stratum."""
    drivers = ["ell", "meals"]
    data = _api.strat().data.groupby("stype").head(15).reset_index(drop=True)  # 45 schools keep it quick
    data["area"] = np.where(data["api99"] > 650, "high", "low")
    design = rs.SurveyDesign(data, weights="pw", strata="stype", fpc="fpc")
    kd = rs.key_drivers(design, "api00", drivers, by="area")
    table = kd.table.set_index(["area", "driver"])
    squares = {a: np.zeros(2) for a in ("high", "low", "All")}
    full = {a: table.loc[a]["importance"].to_numpy() for a in squares}
    for h, stratum in data.groupby("stype"):
        n_h, f = len(stratum), len(stratum) / stratum["fpc"].iloc[0]
        for row in stratum.index:  # every school is a PSU
            w = data["pw"].to_numpy().copy()
            w[(data["stype"] == h).to_numpy()] *= n_h / (n_h - 1)
            w[data.index.get_loc(row)] = 0.0
            rep = rs.SurveyDesign(data.assign(w_rep=w), weights="w_rep")
            got = rs.key_drivers(rep, "api00", drivers, by="area", intervals=False).table.set_index(["area", "driver"])
            for a in squares:
                squares[a] += (1 - f) * (n_h - 1) / n_h * (got.loc[a]["importance"].to_numpy() - full[a]) ** 2
    for a in squares:
        np.testing.assert_allclose(table.loc[a]["importance_se"], np.sqrt(squares[a]), rtol=1e-9)


def test_performance_is_the_design_mean() -> None:
    design = _api.strat()
    kd = rs.key_drivers(design, "api00", ["ell", "meals"], by="stype")
    means = design.mean(["ell", "meals"], by="stype")
    got = kd.table[kd.table["stype"] == "M"].set_index("driver")
    expected = means[means["stype"] == "M"].set_index("variable")
    np.testing.assert_allclose(got["performance"], expected.loc[["ell", "meals"], "estimate"], rtol=1e-12)
    np.testing.assert_allclose(got["performance_se"], expected.loc[["ell", "meals"], "se"], rtol=1e-12)


def test_ranks_within_an_area() -> None:
    kd = rs.key_drivers(_api.strat(), "api00", ["ell", "meals", "mobility"], by=None)
    table = kd.table.set_index("driver")
    assert table.loc["meals", "rank"] == 1
    assert (table["rank_lower"] <= table["rank"]).all() and (table["rank"] <= table["rank_upper"]).all()


def test_unknown_method_lists_the_valid_ones() -> None:
    with pytest.raises(rs.OptionError, match="'shapley', 'relative_weights'"):
        rs.key_drivers(_api.strat(), "api00", ["ell"], by=None, method="kruskal")


def test_outcome_among_drivers() -> None:
    with pytest.raises(rs.ModelError, match="outcome 'api00' is also listed as a driver"):
        rs.key_drivers(_api.strat(), "api00", ["ell", "api00"], by=None)


def test_constant_driver_in_an_area_is_named() -> None:
    design = _api.strat()
    design = design.with_columns({"is_e": (design.data["stype"] == "E").astype(float)})
    with pytest.warns(rs.ModelWarning, match="constant within its area.*'is_e' in stype=E.*Drop or combine"):
        kd = rs.key_drivers(design, "api00", ["ell", "is_e"], by="stype", intervals=False)
    table = kd.table.set_index(["stype", "driver"])
    assert table.loc[("E", "is_e"), "importance"] == 0.0


def test_missing_values_are_counted() -> None:
    design = _api.clus2()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kd = rs.key_drivers(design, "api00", ["ell", "enroll"], by=None, intervals=False)
    assert kd.excluded == {"missing the outcome or a driver": int(design.data["enroll"].isna().sum())}
