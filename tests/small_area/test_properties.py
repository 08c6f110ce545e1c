"""Invariants of the Fay-Herriot estimates (hypothesis), the arcsine scale and benchmarking."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import residentsurvey as rs
from residentsurvey.errors import ModelVarianceWarning


def _tables(seed: int, m: int, spread: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 1, m + 3)
    auxiliary = pd.DataFrame({"ward": [f"W{k}" for k in range(m + 3)], "x": x,
                              "council": np.where(np.arange(m + 3) % 2, "North", "South"),
                              "population": rng.integers(500, 3000, m + 3)})
    se = rng.uniform(0.1, 0.6, m)
    estimate = 5 + 2 * x[:m] + rng.normal(0, spread, m) + rng.normal(0, se)
    return pd.DataFrame({"ward": auxiliary["ward"][:m], "estimate": estimate, "se": se,
                         "n": rng.integers(5, 90, m)}), auxiliary


def _fit(direct: pd.DataFrame, auxiliary: pd.DataFrame, **options: object) -> rs.FayHerriot:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModelVarianceWarning)
        return rs.fay_herriot(direct, auxiliary, formula="~ x", area="ward", **options)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), m=st.integers(5, 40), spread=st.floats(0.0, 1.0),
       method=st.sampled_from(["reml", "ml", "amrl", "ampl"]))
def test_eblup_is_between_direct_and_synthetic(seed: int, m: int, spread: float, method: str) -> None:
    est = _fit(*_tables(seed, m, spread), method=method).estimates
    eblup = est[est["method"] == "eblup"]
    s = eblup["shrinkage"]
    assert ((s >= 0) & (s <= 1)).all()
    np.testing.assert_allclose(eblup["estimate"], (1 - s) * eblup["direct"] + s * eblup["synthetic"], atol=1e-10)
    assert (est["mse"] > 0).all() and (est["ci_lower"] < est["estimate"]).all()
    synthetic = est[est["method"] == "synthetic"]
    assert (synthetic["n"] == 0).all() and (synthetic["estimate"] == synthetic["synthetic"]).all()


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), shift=st.floats(-50, 50), m=st.integers(6, 30))
def test_shifting_every_direct_estimate_shifts_every_estimate(seed: int, shift: float, m: int) -> None:
    direct, auxiliary = _tables(seed, m, 0.5)
    base = _fit(direct, auxiliary).estimates
    moved = _fit(direct.assign(estimate=direct["estimate"] + shift), auxiliary).estimates
    np.testing.assert_allclose(moved["estimate"], base["estimate"] + shift, atol=1e-7)
    np.testing.assert_allclose(moved["mse"], base["mse"], rtol=1e-6)


def test_row_order_of_direct_does_not_matter() -> None:
    direct, auxiliary = _tables(3, 20, 0.5)
    base = _fit(direct, auxiliary).estimates.set_index("ward")
    shuffled = _fit(direct.sample(frac=1, random_state=1), auxiliary).estimates.set_index("ward")
    pd.testing.assert_frame_equal(base.loc[shuffled.index], shuffled, check_exact=False, rtol=1e-9)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), m=st.integers(6, 40), backtransform=st.sampled_from(["bc", "naive"]))
def test_arcsin_shares_stay_in_zero_one(seed: int, m: int, backtransform: str) -> None:
    rng = np.random.default_rng(seed)
    direct, auxiliary = _tables(seed, m, 0.5)
    n = rng.integers(1, 60, m)
    shares = rng.binomial(n, np.clip(0.1 + 0.85 * auxiliary["x"][:m], 0, 1)) / n
    direct = direct.assign(estimate=shares, n=n, deff=rng.uniform(0.8, 2.5, m))
    est = _fit(direct, auxiliary, transform="arcsin", backtransform=backtransform).estimates
    for column in ("estimate", "ci_lower", "ci_upper", "synthetic"):
        assert est[column].between(0, 1).all()
    assert (est["ci_lower"] <= est["ci_upper"]).all()


def test_bias_corrected_back_transform_is_the_mean_of_sin_squared() -> None:
    from residentsurvey.small_area.transform import back_bias_corrected

    rng = np.random.default_rng(5)
    draws = np.clip(rng.normal(0.4, 0.3, 2_000_000), 0, np.pi / 2)
    assert back_bias_corrected(np.array([0.4]), np.array([0.09]))[0] == pytest.approx(np.mean(np.sin(draws) ** 2),
                                                                                       abs=5e-4)


@pytest.mark.parametrize("how", ["ratio", "difference"])
def test_benchmarked_wards_average_to_their_council(how: str) -> None:
    direct, auxiliary = _tables(11, 24, 0.4)
    targets = pd.DataFrame({"council": ["North", "South"], "estimate": [6.4, 5.9]})
    sae = _fit(direct, auxiliary, benchmark="council", benchmark_method=how, council_estimates=targets)
    table = sae.estimates.merge(auxiliary[["ward", "council", "population"]], on="ward")
    mean = table.groupby("council").apply(lambda g: np.average(g["estimate"], weights=g["population"]),
                                          include_groups=False)
    np.testing.assert_allclose(mean.loc[["North", "South"]], [6.4, 5.9], rtol=1e-12)
    assert sae.benchmark == f"council ({how})" and "unbenchmarked" in sae.estimates
    assert (table["ci_lower"] < table["estimate"]).all()


def test_zero_variance_warns_and_points_to_the_adjusted_likelihood() -> None:
    direct, auxiliary = _tables(2, 12, 0.0)
    direct = direct.assign(estimate=5 + 2 * auxiliary["x"][:12], se=0.5)  # no variation beyond the covariate
    with pytest.warns(ModelVarianceWarning, match=r"estimated as zero.*method='amrl'"):
        sae = rs.fay_herriot(direct, auxiliary, formula="~ x", area="ward")
    assert sae.model_variance == 0 and (sae.estimates["shrinkage"] == 1).all()
    assert rs.fay_herriot(direct, auxiliary, formula="~ x", area="ward", method="amrl").model_variance > 0


def test_diagnostics() -> None:
    direct, auxiliary = _tables(4, 30, 0.8)
    sae = _fit(direct, auxiliary)
    d = sae.diagnostics()
    assert list(d.residuals.columns) == ["ward", "residual", "standardised_residual",
                                         "random_effect", "standardised_random_effect"]
    assert len(d.residuals) == 30 and d.normality["shapiro_p"].between(0, 1).all()
    assert 0 < d.r_squared < 1 and 0 < d.share_improved <= 1 and d.mse_gain > 0
    assert "area-effect variance" in sae.summary()
