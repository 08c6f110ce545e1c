"""Sample sizes and margins of error: textbook values, the two directions agree, and bad input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import residentsurvey as rs
from residentsurvey.sampling import margin_of_error, plan_sample_sizes, sample_size


def test_textbook_size_for_three_points_is_1068() -> None:
    # Cochran (1977) eq. 4.1: n0 = z^2 p(1-p) / e^2 = 1.959964^2 * 0.25 / 0.03^2 = 1067.07, so 1,068
    # responses for +-3 points at 95% with p = 0.5, before any design effect or nonresponse
    # (the arithmetic behind the Place Survey's 1,100; /work/shared/reference/standards.md §1.6).
    size = sample_size(0.03, p=0.5, level=0.95)
    assert size.n_srs == pytest.approx(1.959963984540054**2 * 0.25 / 0.03**2)
    assert round(size.n_srs, 2) == 1067.07
    assert size.achieved == 1068 and size.addresses == 1068
    assert size.margin_achieved <= 0.03


def test_standards_table_of_margins() -> None:
    # reference/standards.md §1.6: half-width 1.96*sqrt(p(1-p)/n) in points, SRS.
    table = {100: (9.8, 7.8), 400: (4.9, 3.9), 1000: (3.1, 2.5), 1100: (2.95, 2.4), 2000: (2.2, 1.8)}
    for n, (half, fifth) in table.items():
        assert 100 * margin_of_error(n) == pytest.approx(half, abs=0.05)
        assert 100 * margin_of_error(n, p=0.2) == pytest.approx(fifth, abs=0.05)


def test_design_effect_response_rate_and_fpc_by_hand() -> None:
    # n = d n0 / (1 + (d n0 - 1)/N): 1.3 * 1067.07 = 1387.19; / (1 + 1386.19/84000) = 1364.67 -> 1365;
    # at 35% response, ceil(1365 / 0.35) = 3900 addresses.
    size = sample_size(0.03, deff=1.3, population=84_000, response_rate=0.35)
    assert size.achieved == 1365 and size.addresses == 3900


def test_mean_uses_the_standard_deviation() -> None:
    # n0 = (1.96 * 2 / 0.2)^2 = 384.1 -> 385 for a 0-10 score with sd 2 and +-0.2 points
    assert sample_size(0.2, sd=2.0).achieved == 385


@settings(max_examples=80, deadline=None)
@given(margin=st.floats(0.01, 0.2), deff=st.floats(0.8, 3.0), population=st.integers(500, 10**6),
       p=st.floats(0.05, 0.95))
def test_size_and_margin_are_inverse(margin: float, deff: float, population: int, p: float) -> None:
    size = sample_size(margin, p=p, deff=deff, population=population)
    assert size.achieved <= population
    assert margin_of_error(size.achieved, p=p, deff=deff, population=population) <= margin * (1 + 1e-9)
    if size.achieved > 1:
        assert margin_of_error(size.achieved - 1, p=p, deff=deff, population=population) > margin * (1 - 1e-9)


def test_per_council_table_matches_one_at_a_time() -> None:
    populations = rs.demo_council_populations().query("variable == 'adults'").set_index("council")["total"]
    table = pd.DataFrame({"council": list(populations.index), "response_rate": [0.25, 0.3, 0.35, 0.3, 0.28]})
    plan = plan_sample_sizes(table, populations=populations, margin=0.03, deff=1.3)
    assert list(plan.columns) == ["council", "population", "margin", "level", "deff", "response_rate", "n_srs",
                                  "achieved", "addresses", "margin_achieved"]
    for row in plan.itertuples():
        one = sample_size(0.03, deff=1.3, population=row.population, response_rate=row.response_rate)
        assert (row.achieved, row.addresses) == (one.achieved, one.addresses)
    assert plan["addresses"].dtype == np.int64


def test_target_that_the_frame_cannot_meet() -> None:
    with pytest.raises(rs.SamplingError, match=r"needs 1,068 responses, so 4,272 addresses at a 25% response rate, "
                                               r"but the frame holds only 3,000 addresses"):
        sample_size(0.03, response_rate=0.25, frame_addresses=3_000)
    table = pd.DataFrame({"council": ["Eastmere"], "population": [62_000], "frame_addresses": [2_000]})
    with pytest.raises(rs.SamplingError, match=r"council 'Eastmere': .* frame holds only 2,000 addresses"):
        plan_sample_sizes(table, margin=0.03, response_rate=0.3)


def test_councils_missing_from_the_population_table() -> None:
    table = pd.DataFrame({"council": ["Northbridge", "Eastmere", "Lowfield"]})
    with pytest.raises(rs.SamplingError, match=r"councils 'Lowfield' are missing from the population table, "
                                               r"which has 'Northbridge', 'Eastmere'"):
        plan_sample_sizes(table, populations={"Northbridge": 248_000, "Eastmere": 62_000}, margin=0.03)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"margin": 3}, r"margin=3 is not a share: .* \(0\.03 for \+-3 percentage points\)"),
    ({"margin": 0.03, "response_rate": 0}, r"response_rate must be in \(0, 1\]; got 0"),
    ({"margin": 0.03, "p": 0.5, "sd": 1.0}, r"give p \(for a proportion\) or sd \(for a mean\), not both"),
    ({"margin": -0.03}, r"margin must be in \(0, inf\]; got -0\.03"),
    ({"margin": 0.03, "level": 95}, r"level=95 must be a number strictly between 0 and 1"),
])
def test_bad_sample_size_arguments(kwargs: dict, message: str) -> None:
    with pytest.raises(rs.ResidentSurveyError, match=message):
        sample_size(**kwargs)


def test_keyword_and_column_together_is_an_error() -> None:
    table = pd.DataFrame({"council": ["A"], "margin": [0.03]})
    with pytest.raises(rs.SamplingError, match="margin is both a column of councils and a keyword"):
        plan_sample_sizes(table, margin=0.04)
    assert math.isnan(plan_sample_sizes(table)["population"].iloc[0])
