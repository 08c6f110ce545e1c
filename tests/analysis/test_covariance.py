"""The design covariance of several score columns (used by the models' sandwich variance).

Two routes must agree: its diagonal is the variance every estimator uses, and the variance of a
sum of columns is the sum of the covariance matrix's entries.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import residentsurvey as rs
from residentsurvey.analysis.score_covariance import score_covariance
from residentsurvey.analysis.variance import domain_covariance, domain_variance, plan_variance


def _design(seed: int, lonely: str) -> rs.SurveyDesign:
    rng = np.random.default_rng(seed)
    n = 150
    data = pd.DataFrame({
        "stratum": rng.integers(0, 5, size=n),
        "psu": rng.integers(0, 6, size=n),
        "w": rng.uniform(1, 4, size=n),
    })
    data["psu_id"] = data["stratum"] * 10 + data["psu"]
    data["fpc"] = 40
    data.loc[data["stratum"] == 4, "psu_id"] = 999  # one PSU: a lonely stratum
    return rs.SurveyDesign(data, weights="w", strata="stratum", psu=["psu_id"], fpc="fpc", lonely_psu=lonely)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 1000), lonely=st.sampled_from(["remove", "adjust", "average", "certainty"]),
       domains=st.integers(1, 3))
def test_diagonal_is_the_variance_and_sums_add_up(seed: int, lonely: str, domains: int) -> None:
    design = _design(seed, lonely)
    rng = np.random.default_rng(seed + 1)
    scores = rng.normal(size=(design.n, 3))
    domain = rng.integers(0, domains, size=design.n)
    scores[rng.random(design.n) < 0.2] = 0.0
    plan = plan_variance(design._structure, domain, domains)
    cov = domain_covariance(plan, scores)
    for j in range(3):
        np.testing.assert_allclose(np.diagonal(cov, axis1=1, axis2=2)[:, j], domain_variance(plan, scores[:, j]),
                                   rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(cov.sum(axis=(1, 2)), domain_variance(plan, scores.sum(axis=1)), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(cov, np.transpose(cov, (0, 2, 1)))


def test_calibrated_covariance_diagonal_is_the_mean_variance() -> None:
    """score_covariance of a calibrated design uses calibration residuals, as the estimators do."""
    design = rs.SurveyDesign(rs.demo_consortium(), weights="design_weight", strata="stratum", psu="sector")
    targets = rs.demo_council_populations()
    design = design.calibrate(targets[targets["variable"].isin(["age_band", "tenure"])], by="council")
    y = design.data["ons_life_satisfaction"].astype(float).to_numpy()
    w = design.weights.to_numpy()
    ok = ~np.isnan(y)
    mean = np.sum(w[ok] * y[ok]) / np.sum(w[ok])
    score = np.where(ok, w * (np.nan_to_num(y) - mean), 0.0) / np.sum(w[ok])
    got = score_covariance(design, np.column_stack([score, 2 * score]))
    expected = design.mean("ons_life_satisfaction").loc[0, "se"] ** 2
    np.testing.assert_allclose(got, expected * np.array([[1, 2], [2, 4]]), rtol=1e-10)
