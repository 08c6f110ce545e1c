"""From synthetic populations with known ward truths: model estimates beat direct ones, intervals cover.

Each replicate draws a fresh population of 80 wards (ward means 6 + 2x + u, u ~ N(0, 0.3^2); residents
scattered around them with sd 2), samples 10-50 residents by simple random sampling (with replacement) in 70 wards
and none in 10, and fits ``~ x`` by REML to the sample means and their estimated standard errors.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import residentsurvey as rs

WARDS, SAMPLED, REPLICATES = 80, 70, 100


def _replicate(rng: np.random.Generator, auxiliary: pd.DataFrame, sample_size: np.ndarray) -> pd.DataFrame:
    sizes = rng.integers(800, 1600, WARDS)
    ward = np.repeat(np.arange(WARDS), sizes)
    values = (6.0 + 2.0 * auxiliary["x"].to_numpy() + rng.normal(0.0, 0.3, WARDS))[ward] + rng.normal(0, 2, len(ward))
    truth = np.bincount(ward, weights=values) / sizes
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    sampled = np.flatnonzero(sample_size)
    ward_of = np.repeat(sampled, sample_size[sampled])
    y = values[starts[ward_of] + (rng.random(len(ward_of)) * sizes[ward_of]).astype(np.int64)]  # SRS with replacement
    n = sample_size[sampled]
    mean = np.bincount(ward_of, weights=y, minlength=WARDS)[sampled] / n
    var = (np.bincount(ward_of, weights=y**2, minlength=WARDS)[sampled] - n * mean**2) / (n - 1)
    direct = pd.DataFrame({"ward": sampled, "estimate": mean, "se": np.sqrt(var / n),
                           "n": n})
    est = rs.fay_herriot(direct, auxiliary, formula="~ x", area="ward").estimates
    return est.assign(truth=truth[est["ward"].to_numpy()])


def test_model_beats_direct_and_intervals_cover() -> None:
    rng = np.random.default_rng(20261130)
    auxiliary = pd.DataFrame({"ward": np.arange(WARDS), "x": rng.uniform(0.0, 1.0, WARDS)})
    sample_size = np.where(np.arange(WARDS) < SAMPLED, rng.integers(10, 50, WARDS), 0)
    runs = pd.concat([_replicate(rng, auxiliary, sample_size) for _ in range(REPLICATES)])
    runs["covered"] = (runs["ci_lower"] <= runs["truth"]) & (runs["truth"] <= runs["ci_upper"])
    eblup = runs[runs["method"] == "eblup"]
    mse_direct = ((eblup["direct"] - eblup["truth"]) ** 2).mean()
    mse_model = ((eblup["estimate"] - eblup["truth"]) ** 2).mean()
    assert mse_model < 0.6 * mse_direct
    # the estimated MSE tracks the real one
    assert 0.8 < eblup["mse"].mean() / mse_model < 1.25
    assert 0.93 <= eblup["covered"].mean() <= 0.97
    assert 0.92 <= runs.loc[runs["method"] == "synthetic", "covered"].mean() <= 0.98


def test_shares_on_the_arcsine_scale_cover_and_their_mse_is_honest() -> None:
    """Ward shares sin^2(theta), theta = asin(sqrt(0.35 + 0.45 x)) + N(0, 0.12^2); binomial samples of 10-60 in
    70 of 80 wards; the bias-corrected back-transform with the delta-method MSE and back-transformed intervals."""
    rng = np.random.default_rng(5)
    auxiliary = pd.DataFrame({"ward": np.arange(WARDS), "x": rng.uniform(0, 1, WARDS)})
    size = np.where(np.arange(WARDS) < SAMPLED, rng.integers(10, 60, WARDS), 0)
    sampled = np.flatnonzero(size)
    runs = []
    for _ in range(50):
        theta = np.arcsin(np.sqrt(0.35 + 0.45 * auxiliary["x"].to_numpy())) + rng.normal(0, 0.12, WARDS)
        share = np.sin(np.clip(theta, 0, np.pi / 2)) ** 2
        direct = pd.DataFrame({"ward": sampled, "estimate": rng.binomial(size[sampled], share[sampled]) / size[sampled],
                               "n": size[sampled], "deff": 1.0})
        est = rs.fay_herriot(direct, auxiliary, formula="~ x", area="ward", transform="arcsin").estimates
        runs.append(est.assign(truth=share[est["ward"].to_numpy()]))
    runs = pd.concat(runs)
    runs["covered"] = (runs["ci_lower"] <= runs["truth"]) & (runs["truth"] <= runs["ci_upper"])
    eblup = runs[runs["method"] == "eblup"]
    real = ((eblup["estimate"] - eblup["truth"]) ** 2).mean()
    assert real < 0.75 * ((eblup["direct"] - eblup["truth"]) ** 2).mean()
    assert 0.85 < eblup["mse"].mean() / real < 1.2
    assert 0.93 <= eblup["covered"].mean() <= 0.97
    assert 0.92 <= runs.loc[runs["method"] == "synthetic", "covered"].mean() <= 0.98
