"""Replicate designs: invariants (hypothesis) and routes that must agree."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import residentsurvey as rs
from residentsurvey.analysis.replicate_variance import replicate_totals
from residentsurvey.analysis.replicate import ReplicateWeights

from ..conftest import load_api
from .test_properties import assert_tables_equal, survey_frames

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def clustered(draw: st.DrawFn) -> pd.DataFrame:
    """An unstratified cluster sample: 2-8 PSUs of 1-4 respondents."""
    psu = []
    for j in range(draw(st.integers(2, 8))):
        psu += [f"p{j}"] * draw(st.integers(1, 4))
    n = len(psu)
    floats = lambda lo, hi: st.lists(st.floats(lo, hi, allow_nan=False), min_size=n, max_size=n)  # noqa: E731
    return pd.DataFrame({"psu": psu, "w": draw(floats(0.5, 50)), "y": draw(floats(-100, 100)),
                         "group": draw(st.lists(st.sampled_from(["a", "b"]), min_size=n, max_size=n))})


@SETTINGS
@given(clustered())
def test_jk1_total_se_equals_linearisation(frame: pd.DataFrame) -> None:
    """JK1 of a total: (n-1)/n Σ (T_r - T̄)^2 = n/(n-1) Σ (z_p - z̄)^2, Taylor's with-replacement variance."""
    design = rs.SurveyDesign(frame, weights="w", psu="psu")
    assert_tables_equal(design.total("y"), design.replicate("jk1").total("y"))
    assert_tables_equal(design.total("y", by="group"), design.replicate("jk1").total("y", by="group"))


@SETTINGS
@given(survey_frames())
def test_jkn_total_se_equals_linearisation(frame: pd.DataFrame) -> None:
    design = rs.SurveyDesign(frame, weights="w", strata="stratum", psu="psu")
    assert_tables_equal(design.total("y"), design.replicate("jkn").total("y"))


@SETTINGS
@given(survey_frames(), st.randoms(use_true_random=False), st.sampled_from(["jkn", "bootstrap", "subbootstrap"]))
def test_replicate_designs_do_not_depend_on_row_order(frame: pd.DataFrame, random, method: str) -> None:
    order = list(range(len(frame)))
    random.shuffle(order)
    shuffled = frame.iloc[order]
    seed = {"seed": 7} if "boot" in method else {}
    one = rs.SurveyDesign(frame, weights="w", strata="stratum", psu="psu").replicate(method, **seed)
    two = rs.SurveyDesign(shuffled, weights="w", strata="stratum", psu="psu").replicate(method, **seed)
    assert_tables_equal(one.mean("y", by="group"), two.mean("y", by="group"))
    assert_tables_equal(one.ratio("y", "x"), two.ratio("y", "x"))


@SETTINGS
@given(survey_frames())
def test_mse_centring_never_gives_a_smaller_variance(frame: pd.DataFrame) -> None:
    """With equal rscales the replicates' mean minimises the sum of squares (JKn's rscales differ by stratum)."""
    design = rs.SurveyDesign(frame, weights="w", strata="stratum", psu="psu")
    plain = design.replicate("bootstrap", replicates=20, seed=3).mean("y", by="group")["se"].to_numpy(float)
    mse = design.replicate("bootstrap", replicates=20, seed=3, mse=True).mean("y", by="group")["se"].to_numpy(float)
    ok = ~np.isnan(plain)
    assert np.all(mse[ok] >= plain[ok] * (1 - 1e-12) - 1e-12)


def _replicate_totals_three_ways(rep: ReplicateWeights, w: np.ndarray, y: np.ndarray, domain: np.ndarray, k: int):
    compact = replicate_totals(rep, w, y, domain, k)
    dense = ReplicateWeights(method=rep.method, scale=rep.scale, rscales=rep.rscales, mse=rep.mse, psu=rep.psu,
                             psu_stratum=rep.psu_stratum, n_strata=rep.n_strata, multipliers=rep.psu_multipliers())
    rows = ReplicateWeights(method=rep.method, scale=rep.scale, rscales=rep.rscales, mse=rep.mse,
                            rows=rep.row_weights(w))
    return compact, replicate_totals(dense, w, y, domain, k), replicate_totals(rows, w, y, domain, k)


@SETTINGS
@given(survey_frames())
def test_jackknife_from_psu_totals_equals_the_full_replicate_weights(frame: pd.DataFrame) -> None:
    """Delete-one-PSU totals from PSU and stratum totals = from multipliers = from row-by-row replicate weights."""
    design = rs.SurveyDesign(frame, weights="w", strata="stratum", psu="psu").replicate("jkn")
    y = np.nan_to_num(frame["y"].to_numpy(float))
    domain = pd.factorize(frame["group"], sort=True)[0]
    k = int(domain.max()) + 1
    compact, dense, rows = _replicate_totals_three_ways(design._replicates, design._weight_array, y, domain, k)
    np.testing.assert_allclose(compact, dense, rtol=1e-10, atol=1e-8)
    np.testing.assert_allclose(compact, rows, rtol=1e-10, atol=1e-8)


def test_brr_total_se_equals_linearisation() -> None:
    """With full orthogonal balance, BRR's variance of a total is the with-replacement linearisation variance."""
    data = load_api("apistrat").sort_values("snum").iloc[:200].reset_index(drop=True)
    data["psu"], data["pair"] = np.repeat(np.arange(20), 10), np.repeat(np.arange(10), 20)
    design = rs.SurveyDesign(data, weights="pw", strata="pair", psu="psu")
    for method, options in (("brr", {}), ("fay", {"fay_rho": 0.5})):
        assert_tables_equal(design.total("api00", by="stype"), design.replicate(method, **options).total("api00", by="stype"))


@SETTINGS
@given(survey_frames(), st.integers(0, 2**31))
def test_calibrated_replicates_each_hit_their_targets(frame: pd.DataFrame, seed: int) -> None:
    design = rs.SurveyDesign(frame, weights="w", strata="stratum", psu="psu")
    counts = frame["answer"].value_counts()
    targets = pd.DataFrame({"variable": "answer", "category": counts.index, "total": counts.to_numpy() * 10.0})
    for method in ("raking", "linear"):
        rep = design.replicate("bootstrap", replicates=10, seed=seed)
        weights = rep.replicate_weights
        # a replicate that drew nobody from a category cannot meet its target; keep the draws that can
        reachable = weights.groupby(frame["answer"].to_numpy()).sum().gt(0).all()
        if not reachable.all():
            continue
        calibrated = rep.calibrate(targets, method=method)
        achieved = calibrated.replicate_weights.groupby(frame["answer"].to_numpy()).sum()
        expected = targets.set_index("category")["total"].reindex(achieved.index)
        np.testing.assert_allclose(achieved.to_numpy(), np.repeat(expected.to_numpy()[:, None], 10, axis=1), rtol=1e-8)


def test_bootstrap_is_seeded_and_has_rs_structure() -> None:
    design = rs.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype")
    one, two = design.replicate("bootstrap", replicates=20, seed=1), design.replicate("bootstrap", replicates=20, seed=1)
    other = design.replicate("bootstrap", replicates=20, seed=2)
    assert one.replicate_weights.equals(two.replicate_weights)
    assert not one.replicate_weights.equals(other.replicate_weights)
    multipliers = one._replicates.multipliers
    stratum = one._replicates.psu_stratum
    n_h = np.bincount(stratum)
    per_stratum = np.vstack([multipliers[stratum == h].sum(axis=0) for h in range(len(n_h))])
    np.testing.assert_array_equal(per_stratum, np.repeat(n_h[:, None], 20, axis=1))  # n_h draws per stratum
    assert np.all(multipliers == np.round(multipliers))                                # counts
    nbar = 1 / np.mean(1 / n_h)
    assert one.scale == pytest.approx(nbar / ((nbar - 1) * 19))                        # R's bootweights scale
    assert one.n_replicates == 20 and np.all(one.rscales == 1)
    sub = design.replicate("subbootstrap", replicates=20, seed=1)
    per_stratum = np.vstack([sub._replicates.multipliers[stratum == h].sum(axis=0) for h in range(len(n_h))])
    np.testing.assert_allclose(per_stratum, np.repeat(n_h[:, None], 20, axis=1))       # (n_h - 1) draws x n_h/(n_h - 1)
    assert sub.scale == pytest.approx(1 / 19)
    assert design.replicate("bootstrap", seed=3).n_replicates == 50                    # R's default


def test_bootstrap_se_is_near_linearisation_with_many_replicates() -> None:
    design = rs.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype")
    taylor = design.mean("api00").loc[0, "se"]
    boot = design.replicate("bootstrap", replicates=2000, seed=11).mean("api00").loc[0, "se"]
    assert boot == pytest.approx(taylor, rel=0.06)


def test_exported_replicate_weights_read_back_as_a_file_design() -> None:
    """design.replicate_weights + scale/rscales, read back with rs.ReplicateDesign, give the same SEs (R's svrepdesign route)."""
    design = rs.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype", fpc="fpc")
    for method in ("jkn", "bootstrap", "brr"):
        if method == "brr":
            data = load_api("apistrat").sort_values("snum").iloc[:200].reset_index(drop=True)
            data["psu"], data["pair"] = np.repeat(np.arange(20), 10), np.repeat(np.arange(10), 20)
            source = rs.SurveyDesign(data, weights="pw", strata="pair", psu="psu").replicate("brr")
        else:
            source = design.replicate(method, seed=5)
        shared = source.data.join(source.replicate_weights.add_prefix("rw_"))
        kwargs = {"rscales": source.rscales} if method == "jkn" else {}
        if method == "bootstrap":
            kwargs["scale"] = source.scale
        back = rs.ReplicateDesign(shared, weights="pw", replicate_weights="^rw_", method=method, **kwargs)
        assert back.degf == source.degf
        assert_tables_equal(source.mean("api00", by="stype"), back.mean("api00", by="stype"))
        assert_tables_equal(source.proportion("sch.wide", by="stype"), back.proportion("sch.wide", by="stype"),
                            columns=("estimate", "se", "ci_lower", "ci_upper"))


def test_replicating_a_calibrated_design_recalibrates_every_replicate() -> None:
    returns = rs.demo_consortium()
    design = rs.SurveyDesign(returns, weights="design_weight", strata="stratum", psu="sector")
    targets = rs.demo_council_populations()
    targets = targets[targets["variable"].isin(["age_band", "tenure"])]
    calibrated = design.calibrate(targets, by="council")
    rep = calibrated.replicate("jkn")
    assert rep.calibration is not None
    np.testing.assert_allclose(rep.weights, calibrated.weights, rtol=1e-9)
    direct = design.replicate("jkn").calibrate(targets, by="council")
    assert_tables_equal(rep.mean("ons_life_satisfaction", by="council"), direct.mean("ons_life_satisfaction", by="council"))
    # the SEs carry the calibration: close to (not equal to) Taylor's calibrated SEs
    taylor = calibrated.mean("ons_life_satisfaction", by="council")["se"].to_numpy()
    replicate = rep.mean("ons_life_satisfaction", by="council")["se"].to_numpy()
    np.testing.assert_allclose(replicate, taylor, rtol=0.1)


def test_replicate_estimates_of_a_mean_match_the_estimator() -> None:
    design = rs.SurveyDesign(load_api("apiclus1"), weights="pw", psu="dnum", fpc="fpc").replicate("jk1")

    def mean(data: pd.DataFrame, w: np.ndarray) -> float:
        return float(np.sum(w * data["api00"]) / np.sum(w))

    result = design.replicate_estimates(mean)
    table = result.table()
    assert table.loc[0, "estimate"] == pytest.approx(644.169398907104)
    assert table.loc[0, "se"] == pytest.approx(26.3293605895276)
    assert result.replicates.shape == (15, 1)


def test_nonresponse_adjustment_per_replicate_equals_the_one_column_function() -> None:
    """Two routes: adjust_nonresponse on the replicate design = rs.nonresponse_adjustment on each weight column."""
    rng = np.random.default_rng(3)
    issued = load_api("apistrat").assign(responded=lambda d: rng.random(len(d)) < 0.7,
                                         band=lambda d: np.where(d["api99"] > 650, "high", "low"))
    replicated = rs.SurveyDesign(issued, weights="pw", strata="stype").replicate("bootstrap", replicates=8, seed=2)
    adjusted = replicated.adjust_nonresponse(responded="responded", classes=["stype", "band"])
    expected = rs.nonresponse_adjustment(issued, weights="pw", responded="responded", classes=["stype", "band"])
    np.testing.assert_allclose(adjusted.weights, expected["nr_weight"], rtol=1e-12)
    before = replicated.replicate_weights
    for r, column in enumerate(before.columns):
        one = rs.nonresponse_adjustment(issued.assign(w=before[column]), weights="w", responded="responded",
                                        classes=["stype", "band"])
        np.testing.assert_allclose(adjusted.replicate_weights.iloc[:, r], one["nr_weight"], rtol=1e-12)


def test_trimmed_calibrated_replicates_meet_caps_and_targets() -> None:
    design = rs.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype").replicate("bootstrap", replicates=10, seed=4)
    targets = pd.DataFrame({"variable": "sch.wide", "category": ["No", "Yes"], "total": [1072.0, 5122.0]})
    trimmed = design.calibrate(targets).trim(upper=2.0)
    weights = trimmed.replicate_weights
    yes = (design.data["sch.wide"] == "Yes").to_numpy()
    np.testing.assert_allclose(weights[yes].sum(), 5122.0, rtol=1e-6)
    np.testing.assert_allclose(weights[~yes].sum(), 1072.0, rtol=1e-6)
    assert (weights.max() <= 2.0 * weights.mean() * (1 + 1e-5)).all()


@pytest.mark.parametrize("method, bounds", [("raking", None), ("linear", None), ("logit", (0.3, 3.0)),
                                            ("raking", (0.2, 5.0))])
def test_calibration_on_cells_equals_calibration_row_by_row(method: str, bounds) -> None:
    """Two routes: calibrating (group, category) cells and spreading the factors = calibrating every respondent."""
    from residentsurvey.weighting.calibrate import calibration_record
    from residentsurvey.weighting.replicate_weighting import calibrate_replicates, calibrate_replicates_rows

    design = rs.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype").replicate("bootstrap", replicates=6, seed=8)
    targets = pd.DataFrame({"stype": ["E", "E", "H", "H", "M", "M"], "variable": "sch.wide",
                            "category": ["No", "Yes"] * 3, "total": [500.0, 3921, 300, 455, 272, 746]})
    record = calibration_record(design.data, targets, weights=design._weight_array, method=method, by="stype",
                                bounds=bounds)
    start = design.replicate_weights.to_numpy()
    cells = calibrate_replicates(record.model, record.targets, start, method=method, bounds=bounds)
    rows = calibrate_replicates_rows(record.model, record.targets, start, method=method, bounds=bounds)
    np.testing.assert_allclose(cells, rows, rtol=1e-8)
