"""design.ordinal against R survey 4.1.1 ``svyolr`` (tests/data/r/make_models_reference.R), and its bad input.

R's ``svyolr`` is run to convergence with a fine Hessian step (its defaults stop about 1e-4 short
and move the SEs by as much); against that run, coefficients and SEs agree to 1e-6.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import residentsurvey as rs

from . import _api


@pytest.fixture(scope="module")
def fit():
    return _api.strat().ordinal("mealcat ~ ell + mobility")


def test_svyolr(fit) -> None:
    expected = _api.reference("olr_strat_mealcat")
    assert list(fit.names) == ["ell", "mobility", "1|2", "2|3", "3|4"]
    np.testing.assert_allclose(fit.params, expected["estimate"], rtol=1e-6)
    np.testing.assert_allclose(fit.bse, expected["se"], rtol=1e-6)


def test_coefficients_table_has_p_values(fit) -> None:
    table = fit.coefficients
    assert list(table.columns) == ["term", "estimate", "se", "statistic", "df", "p_value", "ci_lower", "ci_upper"]
    assert table.loc[0, "p_value"] < 1e-10 and (table["df"] == 197).all()


def test_predicted_probabilities_sum_to_one(fit) -> None:
    probabilities = fit.predict(pd.DataFrame({"ell": [0.0, 20.0, 60.0], "mobility": [10.0, 10.0, 30.0]}))
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    assert probabilities.iloc[2, -1] > probabilities.iloc[0, -1]  # more English learners, more free meals


def test_predicted_shares_beside_observed(fit) -> None:
    """Average predictions are shares that add to 1 and, overall, sit near the observed shares (which the
    model does not reproduce exactly: its cut-point equations fit cumulative shares through the logit)."""
    shares = fit.predicted_shares()
    observed = _api.strat().proportion("mealcat", ci_method="wald")
    np.testing.assert_allclose(shares["observed"], observed["estimate"], rtol=1e-12)
    assert shares["predicted"].sum() == pytest.approx(1.0)
    np.testing.assert_allclose(shares["predicted"], shares["observed"], atol=0.02)
    by_type = fit.predicted_shares(by="stype")
    np.testing.assert_allclose(by_type.groupby("stype")["predicted"].sum(), 1.0)


def test_two_categories_point_to_glm() -> None:
    with pytest.raises(rs.ModelError, match="needs at least 3.*family='binomial'"):
        _api.strat().ordinal("sw ~ ell")


def test_empty_category_inside_a_domain() -> None:
    design = _api.strat()
    design = design.with_columns({"band": design.data["mealcat"].where(design.data["stype"] != "H", 2)})
    with pytest.raises(rs.ModelError, match="category 1, 3, 4 of 'band' has no respondents in stype == 'H'"):
        design.ordinal("band ~ ell", subset="stype == 'H'")


def test_unknown_link_lists_the_valid_ones() -> None:
    with pytest.raises(rs.OptionError, match="link='probit' is not recognised; use one of 'logit'"):
        _api.strat().ordinal("mealcat ~ ell", link="probit")
