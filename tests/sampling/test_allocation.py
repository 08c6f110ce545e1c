"""Allocation: hand-computed cases, sums and bounds for any input (hypothesis), and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import residentsurvey as rs
from residentsurvey.sampling import ALLOCATION_METHODS, allocate, largest_remainder

POP = pd.Series({"A": 1_000, "B": 3_000, "C": 6_000}, name="adults").rename_axis("council")


def test_methods_by_hand() -> None:
    assert allocate(POP, 600, method="equal")["n"].tolist() == [200, 200, 200]
    assert allocate(POP, 600, method="proportional")["n"].tolist() == [60, 180, 360]
    # Neyman: N_h S_h = 1000*4, 3000*2, 6000*1 -> 4000 : 6000 : 6000 of 640
    assert allocate(POP, 640, method="neyman", sd={"A": 4, "B": 2, "C": 1})["n"].tolist() == [160, 240, 240]
    # power q = 0.5: sqrt(N) = 31.6, 54.8, 77.5 -> 600 * those / 163.9 = 115.8, 200.5, 283.7
    assert allocate(POP, 600, method="power", power=0.5)["n"].tolist() == [116, 200, 284]
    assert allocate(POP, 600, method="power", power=0.0)["n"].tolist() == [200, 200, 200]


def test_bounds_move_the_surplus_to_the_others() -> None:
    table = allocate(POP, 600, method="proportional", minimum=150)
    # A is raised to 150; the other 450 go 1:2 to B and C
    assert table["n"].tolist() == [150, 150, 300]
    capped = allocate(POP, 600, method="proportional", maximum={"C": 300})
    assert capped["n"].tolist() == [75, 225, 300]
    assert list(capped.columns) == ["council", "population", "target", "n", "sampling_fraction"]


def test_largest_remainder_ties_and_sum() -> None:
    assert largest_remainder(np.array([1 / 3, 1 / 3, 1 / 3]) * 10, 10).tolist() == [4, 3, 3]


@st.composite
def problems(draw: st.DrawFn) -> tuple:
    k = draw(st.integers(1, 12))
    pop = draw(st.lists(st.integers(0, 5_000), min_size=k, max_size=k))
    sd = draw(st.lists(st.floats(0.01, 10), min_size=k, max_size=k))
    lo = [min(draw(st.integers(0, 50)), p) for p in pop]
    hi = [max(lo_, draw(st.integers(0, 6_000))) for lo_ in lo]
    cap = [min(h, p) for h, p in zip(hi, pop)]
    total = draw(st.integers(sum(lo), max(sum(lo), sum(cap))))
    return pop, sd, lo, hi, total


@settings(max_examples=150, deadline=None)
@given(problem=problems(), method=st.sampled_from(sorted(ALLOCATION_METHODS)), power=st.floats(0, 1))
def test_allocations_sum_to_the_total_within_bounds(problem: tuple, method: str, power: float) -> None:
    pop, sd, lo, hi, total = problem
    labels = [f"u{i}" for i in range(len(pop))]
    population = pd.Series(pop, index=labels, dtype=float)
    kwargs = {"sd": pd.Series(sd, index=labels)} if method == "neyman" else {}
    try:
        table = allocate(population, total, method=method, power=power, minimum=pd.Series(lo, index=labels),
                         maximum=pd.Series(hi, index=labels), **kwargs)
    except rs.SamplingError as error:  # only when the weights leave no unit able to take the rest
        assert "weight of zero" in str(error)
        return
    n = table["n"].to_numpy()
    assert n.sum() == total
    assert (n >= lo).all() and (n <= np.minimum(hi, pop)).all()
    assert np.abs(n - table["target"].to_numpy()).max() < 1 + 1e-6
    assert table["target"].sum() == pytest.approx(total)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"total": 20_000}, r"cannot allocate 20,000 within the bounds: .* maximums \(capped at each population\) to 10,000"),
    ({"total": 600, "minimum": 300, "maximum": 250}, r"unit 'A': minimum 300 is above its maximum 250"),
    ({"total": 600, "method": "optimal"}, r"method='optimal' is not recognised; use one of 'equal', 'proportional', 'neyman', 'power'"),
    ({"total": 600, "method": "neyman"}, r"method='neyman' needs sd"),
    ({"total": 600, "method": "neyman", "sd": {"A": 1, "B": 1}}, r"sd has no value for 'C'"),
    ({"total": 600, "sd": {"A": 1}}, r"sd is only used by method='neyman'"),
    ({"total": 600, "minimum": {"Z": 5}}, r"minimum gives values for 'Z', which are not among the units"),
])
def test_bad_allocations(kwargs: dict, message: str) -> None:
    with pytest.raises(rs.ResidentSurveyError, match=message):
        allocate(POP, **kwargs)
