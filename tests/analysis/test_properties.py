"""Invariants that hold for any design (hypothesis), and pairs of routes that must agree."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import residentsurvey as rs
from residentsurvey.analysis import _pairs

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def survey_frames(draw: st.DrawFn) -> pd.DataFrame:
    """A stratified cluster sample: 1-4 strata, 2-4 PSUs each, 1-4 respondents per PSU."""
    stratum, psu = [], []
    for h in range(draw(st.integers(1, 4))):
        for j in range(draw(st.integers(2, 4))):
            size = draw(st.integers(1, 4))
            stratum += [f"h{h}"] * size
            psu += [f"h{h}-p{j}"] * size
    n = len(stratum)
    floats = lambda lo, hi: st.lists(st.floats(lo, hi, allow_nan=False), min_size=n, max_size=n)  # noqa: E731
    y = np.array(draw(floats(-100, 100)))
    missing = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    missing[0] = False
    y[missing] = np.nan
    return pd.DataFrame({
        "stratum": stratum,
        "psu": psu,
        "w": draw(floats(0.5, 50)),
        "y": y,
        "x": np.array(draw(floats(1, 10))),
        "group": draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=n, max_size=n)),
        "answer": draw(st.lists(st.sampled_from([1, 2, 3]), min_size=n, max_size=n)),
    })


def design(frame: pd.DataFrame, **kwargs) -> rs.SurveyDesign:
    return rs.SurveyDesign(frame, weights="w", strata="stratum", psu="psu", **kwargs)


def assert_tables_equal(left: pd.DataFrame, right: pd.DataFrame, columns=("estimate", "se")) -> None:
    for column in columns:
        np.testing.assert_allclose(left[column].to_numpy(float), right[column].to_numpy(float),
                                   rtol=1e-9, atol=1e-9, equal_nan=True, err_msg=column)


@SETTINGS
@given(survey_frames(), st.randoms(use_true_random=False))
def test_estimates_do_not_depend_on_row_order(frame: pd.DataFrame, random) -> None:
    order = list(range(len(frame)))
    random.shuffle(order)
    shuffled = frame.iloc[order]
    assert_tables_equal(design(frame).mean("y", by="group"), design(shuffled).mean("y", by="group"))
    assert_tables_equal(design(frame).total("y"), design(shuffled).total("y"))
    assert_tables_equal(design(frame).proportion("answer", by="group"), design(shuffled).proportion("answer", by="group"))


@SETTINGS
@given(survey_frames())
def test_domain_estimate_equals_subset_estimate_but_se_comes_from_full_design(frame: pd.DataFrame) -> None:
    full = design(frame).mean("y", by="group").set_index("group")
    for group, subset in frame.groupby("group"):
        if subset["y"].notna().sum() == 0:
            assert np.isnan(full.loc[group, "estimate"])
            continue
        expected = np.average(subset["y"].dropna(), weights=subset.loc[subset["y"].notna(), "w"])
        assert full.loc[group, "estimate"] == pytest.approx(expected, rel=1e-9, abs=1e-9)
        # route 2: the domain mean is the ratio of totals of y*d and d over the whole design
        marked = frame.assign(yd=np.where(frame["group"] == group, frame["y"], 0.0),
                              d=(frame["group"] == group).astype(float))
        marked.loc[frame["y"].isna(), ["yd", "d"]] = np.nan
        ratio = design(marked).ratio("yd", "d").iloc[0]
        assert full.loc[group, "se"] == pytest.approx(ratio["se"], rel=1e-9, abs=1e-12)


@SETTINGS
@given(survey_frames(), st.floats(-50, 50))
def test_a_constant_variable_has_zero_standard_error(frame: pd.DataFrame, value: float) -> None:
    table = design(frame.assign(c=value)).mean("c", by="group")
    assert np.allclose(table["estimate"], value)
    assert np.allclose(table["se"], 0.0, atol=1e-9 * max(1.0, abs(value)))


@SETTINGS
@given(survey_frames(), st.floats(0.01, 1000))
def test_scaling_weights_leaves_means_and_their_errors_unchanged(frame: pd.DataFrame, factor: float) -> None:
    scaled = frame.assign(w=frame["w"] * factor)
    assert_tables_equal(design(frame).mean("y", by="group"), design(scaled).mean("y", by="group"))
    totals, scaled_totals = design(frame).total("y"), design(scaled).total("y")
    assert scaled_totals.loc[0, "estimate"] == pytest.approx(factor * totals.loc[0, "estimate"], rel=1e-9, abs=1e-9)


@SETTINGS
@given(survey_frames())
def test_category_shares_sum_to_one_in_every_domain(frame: pd.DataFrame) -> None:
    shares = design(frame).proportion("answer", by="group")
    sums = shares.groupby("group")["estimate"].sum()
    assert np.allclose(sums, 1.0)
    # intervals contain the estimate wherever they exist (a domain with no degrees of freedom has none)
    finite = shares["ci_lower"].notna()
    assert (shares.loc[finite, "ci_lower"] <= shares.loc[finite, "estimate"] + 1e-12).all()
    assert (shares.loc[finite, "estimate"] <= shares.loc[finite, "ci_upper"] + 1e-12).all()


@SETTINGS
@given(survey_frames())
def test_dense_and_sorted_pair_coding_agree(frame: pd.DataFrame) -> None:
    dense = design(frame).mean("y", by="group")
    original = _pairs._DENSE_LIMIT
    try:
        _pairs._DENSE_LIMIT = -1  # force the np.unique route
        sparse = design(frame).mean("y", by="group")
    finally:
        _pairs._DENSE_LIMIT = original
    assert_tables_equal(dense, sparse)


@SETTINGS
@given(survey_frames())
def test_nest_true_with_unique_labels_changes_nothing(frame: pd.DataFrame) -> None:
    assert_tables_equal(design(frame).mean("y", by="group"), design(frame, nest=True).mean("y", by="group"))


@SETTINGS
@given(survey_frames())
def test_no_psu_equals_one_psu_per_respondent(frame: pd.DataFrame) -> None:
    rows = frame.assign(row=np.arange(len(frame)))
    implicit = rs.SurveyDesign(rows, weights="w", strata="stratum").mean("y", by="group")
    explicit = rs.SurveyDesign(rows, weights="w", strata="stratum", psu="row").mean("y", by="group")
    assert_tables_equal(implicit, explicit)


@SETTINGS
@given(survey_frames())
def test_a_fully_sampled_second_stage_adds_no_variance(frame: pd.DataFrame) -> None:
    frame = frame.assign(row=np.arange(len(frame)), n_psu=frame.groupby("stratum")["psu"].transform("nunique") * 3,
                         n_in_psu=frame.groupby("psu")["psu"].transform("size"))
    one = rs.SurveyDesign(frame, weights="w", strata="stratum", psu="psu", fpc="n_psu").mean("y", by="group")
    two = rs.SurveyDesign(frame, weights="w", strata="stratum", psu=["psu", "row"],
                          fpc=["n_psu", "n_in_psu"]).mean("y", by="group")
    assert_tables_equal(one, two)


@SETTINGS
@given(survey_frames())
def test_difference_of_two_domains_matches_their_estimates(frame: pd.DataFrame) -> None:
    present = frame.loc[frame["y"].notna(), "group"].unique()
    if len(present) < 2:
        return
    a, b = sorted(present)[:2]
    means = design(frame).mean("y", by="group").set_index("group")
    diff = design(frame).difference("y", "group", a, b).iloc[0]
    assert diff["estimate"] == pytest.approx(means.loc[a, "estimate"] - means.loc[b, "estimate"], abs=1e-9)
    # the variance of a difference is at most (se_a + se_b)^2 and at least (se_a - se_b)^2
    se_a, se_b = means.loc[a, "se"], means.loc[b, "se"]
    assert (se_a - se_b) ** 2 - 1e-9 <= diff["se"] ** 2 <= (se_a + se_b) ** 2 + 1e-9
