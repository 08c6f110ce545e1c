"""Kish's weighting effect and effective sample size."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import residentsurvey as rs


def test_known_values_and_groups() -> None:
    assert rs.effective_sample_size([1, 1, 1, 1]) == 4.0
    assert rs.kish_deff([1, 3]) == pytest.approx(1.25)
    by = pd.Series(["a", "a", "b", "b"], name="council")
    neff = rs.effective_sample_size([1, 3, 2, 2], by=by)
    assert neff.index.name == "council"
    assert neff.to_dict() == {"a": pytest.approx(1.6), "b": pytest.approx(2.0)}
    assert rs.kish_deff([1, 3, 2, 2], by=by).to_dict() == {"a": pytest.approx(1.25), "b": pytest.approx(1.0)}


@given(st.lists(st.floats(0.01, 100), min_size=1, max_size=50))
def test_effective_size_times_deff_is_the_sample_size(weights) -> None:
    n_eff, deff = rs.effective_sample_size(weights), rs.kish_deff(weights)
    assert n_eff * deff == pytest.approx(len(weights), rel=1e-9)
    assert deff >= 1 - 1e-12
    assert rs.kish_deff(np.array(weights) * 7.5) == pytest.approx(deff, rel=1e-9)


def test_bad_weights_are_named() -> None:
    with pytest.raises(rs.DesignError, match="position 1 holds nan"):
        rs.kish_deff([1, np.nan])
    with pytest.raises(rs.DesignError, match="position 0 holds inf"):
        rs.effective_sample_size([np.inf, 1])
    with pytest.raises(rs.DesignError, match="by has 1 values but weights has 2"):
        rs.kish_deff([1, 2], by=["a"])


def test_negative_calibrated_weights_follow_the_formula() -> None:
    # linear calibration can make weights negative; the effective base is still (sum w)^2 / sum w^2
    assert rs.effective_sample_size([3.0, 2.0, -1.0]) == pytest.approx(16 / 14)
    assert rs.kish_deff([3.0, 2.0, -1.0]) == pytest.approx(3 * 14 / 16)
