"""design.glm against R survey 4.1.1 ``svyglm`` (tests/data/r/make_models_reference.R).

Every coefficient, standard error and residual df of each case: gaussian fits to 1e-8 relative,
binomial and poisson to 1e-6 (R's ``glm.fit`` stops at a relative deviance change of 1e-8, this
fit iterates to 1e-12, so R's own answer carries about 1e-8 of error). The first case is the
published ``svyglm(api00 ~ ell + meals + mobility, design=dstrat)`` example.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from . import _api

CASES = {
    "strat_gaussian": (_api.strat, "api00 ~ ell + meals + mobility", "gaussian", None),
    "strat_binomial": (_api.strat, "sw ~ ell + meals + C(stype)", "binomial", None),
    "clus1_poisson": (_api.clus1, "`api.stu` ~ ell + C(stype)", "poisson", None),
    "strat_gaussian_subset_E": (_api.strat, "api00 ~ ell + meals", "gaussian", "stype == 'E'"),
    "clus2_gaussian_interaction": (_api.clus2, "api00 ~ ell + meals + ell:meals", "gaussian", None),
    "clus1_poststratified_gaussian": (_api.clus1_poststratified, "api00 ~ ell + mobility", "gaussian", None),
    "clus1_poststratified_binomial": (_api.clus1_poststratified, "sw ~ ell + meals", "binomial", None),
}


@pytest.mark.parametrize("case", list(CASES))
def test_svyglm(case: str) -> None:
    make, formula, family, subset = CASES[case]
    fit = make().glm(formula, family=family, subset=subset)
    expected = _api.reference(case)
    table = fit.coefficients
    rtol = 1e-8 if family == "gaussian" else 1e-6
    assert _api.r_order(fit.names) == expected["term"].tolist()
    np.testing.assert_allclose(table["estimate"], expected["estimate"], rtol=rtol)
    np.testing.assert_allclose(table["se"], expected["se"], rtol=rtol)
    assert (table["df"] == expected["df"]).all()


def test_published_apistrat_values() -> None:
    """The numbers quoted in the issue (R's documentation example), typed in by hand."""
    fit = _api.strat().glm("api00 ~ ell + meals + mobility")
    np.testing.assert_allclose(fit.params, [820.8873159, -0.4805866, -3.1415353, 0.2257132], rtol=5e-7)
    np.testing.assert_allclose(fit.bse, [10.0777360, 0.3919734, 0.2839465, 0.3932184], rtol=5e-7)
    assert fit.df == 194


@pytest.mark.parametrize("case, terms", [("wald_strat_gaussian_ell_meals", ["ell", "meals"]),
                                         ("wald_strat_binomial_stype", "C(stype)")])
def test_wald_test_is_regtermtest(case: str, terms) -> None:
    model = "strat_gaussian" if "gaussian" in case else "strat_binomial"
    make, formula, family, _ = CASES[model]
    test = make().glm(formula, family=family).wald_test(terms)
    expected = _api.reference(case).set_index("term")
    assert test.loc[0, "F"] == pytest.approx(expected.loc["F", "estimate"], rel=1e-6)
    assert test.loc[0, "df_num"] == expected.loc["F", "df"]
    assert test.loc[0, "df_den"] == expected.loc["df_den", "estimate"]
    assert test.loc[0, "p_value"] == pytest.approx(expected.loc["p_value", "estimate"], rel=1e-6)


NEWDATA = pd.DataFrame({"ell": [10, 30], "meals": [20, 60], "mobility": [5, 15], "stype": ["E", "H"]})


@pytest.mark.parametrize("case, model, kind", [("predict_strat_gaussian", "strat_gaussian", "link"),
                                                ("predict_strat_binomial_response", "strat_binomial", "response")])
def test_predict_is_r_predict(case: str, model: str, kind: str) -> None:
    make, formula, family, _ = CASES[model]
    predicted = make().glm(formula, family=family).predict(NEWDATA, type=kind)
    expected = _api.reference(case)
    np.testing.assert_allclose(predicted["estimate"], expected["estimate"], rtol=1e-7)
    np.testing.assert_allclose(predicted["se"], expected["se"], rtol=1e-6)


def test_predictive_margins_are_svypredmeans() -> None:
    fit = _api.strat().glm("sw ~ ell + meals + mobility + C(stype)", family="binomial")
    margins = fit.predictive_margins("stype").set_index("category")
    expected = _api.reference("predmeans_strat_binomial_plus_stype").set_index("term")
    for category in ("E", "H", "M"):
        assert margins.loc[category, "estimate"] == pytest.approx(expected.loc[category, "estimate"], rel=1e-7)
        assert margins.loc[category, "se"] == pytest.approx(expected.loc[category, "se"], rel=1e-6)
