"""Confidence intervals: outside references (statsmodels), edge cases, and properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import special
from statsmodels.stats.proportion import proportion_confint

import residentsurvey as rs
from residentsurvey.analysis.intervals import IntervalInputs, likelihood


def srs(successes: int, n: int) -> rs.SurveyDesign:
    return rs.SurveyDesign(pd.DataFrame({"y": [1.0] * successes + [0.0] * (n - successes), "w": 1.0}), weights="w")


def share(design: rs.SurveyDesign, method: str, level: float = 0.95) -> pd.Series:
    table = design.proportion("y", ci_method=method, level=level)
    return table[table["category"] == 1.0].iloc[0]


def test_zero_successes_beta_is_clopper_pearson() -> None:
    # p = 0: Kish effective n = n and t(n-1)/t(df=n-1) = 1, so Korn-Graubard is Clopper-Pearson (statsmodels "beta")
    table = srs(0, 40).proportion("y", ci_method="beta")
    row = table[table["category"] == 0.0].iloc[0]  # share of zeros is 1: the mirror image
    lower, upper = proportion_confint(40, 40, alpha=0.05, method="beta")
    assert row["ci_lower"] == pytest.approx(lower, rel=1e-9)
    assert row["ci_upper"] == pytest.approx(upper, rel=1e-9)


def test_wilson_matches_statsmodels_with_the_effective_size() -> None:
    # unweighted with-replacement SRS: var = p(1-p)/(n-1), so the effective size is n-1; t(n-1) ~ z for large n
    n, successes = 20000, 6000
    row = share(srs(successes, n), "wilson")
    lower, upper = proportion_confint(successes * (n - 1) / n, n - 1, alpha=0.05, method="wilson")
    assert row["ci_lower"] == pytest.approx(lower, rel=1e-4)
    assert row["ci_upper"] == pytest.approx(upper, rel=1e-4)


@pytest.mark.parametrize("method", sorted(rs.PROPORTION_CI_METHODS))
def test_every_method_contains_the_estimate_and_widens_with_level(method) -> None:
    design = srs(37, 120)
    narrow, wide = share(design, method, 0.90), share(design, method, 0.99)
    assert narrow["ci_lower"] < narrow["estimate"] < narrow["ci_upper"]
    assert wide["ci_lower"] < narrow["ci_lower"] and narrow["ci_upper"] < wide["ci_upper"]
    assert 0 <= wide["ci_lower"] and wide["ci_upper"] <= 1


@pytest.mark.parametrize("method", ["logit", "xlogit", "asin", "likelihood", "beta", "wilson"])
def test_a_share_of_one_still_gets_an_interval(method) -> None:
    row = share(srs(50, 50), method)
    assert row["estimate"] == 1.0
    assert 0.8 < row["ci_lower"] < 1.0 and row["ci_upper"] == pytest.approx(1.0)


def test_likelihood_limits_solve_the_profile_equation() -> None:
    p, se, n, df = np.array([0.3]), np.array([0.04]), np.array([150.0]), np.array([40.0])
    lower, upper = likelihood(IntervalInputs(p, se, 0.95, df, n, n, n))
    from scipy import stats
    target = stats.t.ppf(0.975, 40) ** 2 * (150 / 149) * 0.04**2 / (0.3 * 0.7)
    for mu in (lower[0], upper[0]):
        kl = 2 * (special.xlogy(0.3, 0.3 / mu) + special.xlogy(0.7, 0.7 / (1 - mu)))
        assert kl == pytest.approx(target, rel=1e-9)
    assert lower[0] < 0.3 < upper[0]


def test_no_degrees_of_freedom_gives_no_t_interval() -> None:
    # one stratum, one PSU per domain "b": df = 0, so t-based limits are NaN, as in R
    frame = pd.DataFrame({"s": ["x", "x", "y", "y"], "p": [1, 2, 3, 3], "y": [1.0, 0, 1, 0], "w": 1.0,
                          "g": ["a", "a", "b", "b"]})
    design = rs.SurveyDesign(frame, weights="w", strata="s", psu="p", lonely_psu="adjust")
    table = design.proportion("y", by="g", ci_method="mean")
    assert table.loc[table["g"] == "b", "ci_lower"].isna().all()
    assert table.loc[table["g"] == "a", "ci_lower"].notna().all()
