"""Bad input to design.glm: each error or warning names the term and the domain and says what to do."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import residentsurvey as rs

from . import _api


def test_unknown_family_lists_the_valid_ones() -> None:
    with pytest.raises(rs.OptionError, match="'gaussian', 'binomial', 'poisson'"):
        _api.strat().glm("api00 ~ ell", family="gamma")


def test_empty_category_inside_a_domain() -> None:
    design = _api.strat()
    with pytest.raises(rs.ModelError, match=r"category 'C\(stype\)\[T.H\]' of term 'C\(stype\)' has no respondents "
                                             r"in stype == 'E'.*Merge it"):
        design.glm("api00 ~ ell + C(stype)", subset="stype == 'E'")


def test_collinear_term() -> None:
    design = _api.strat()
    design = design.with_columns({"ell2": 2 * design.data["ell"] + 1})
    with pytest.raises(rs.ModelError, match="term 'ell2'.*linear combination.*'Intercept', 'ell'.*Drop the term"):
        design.glm("api00 ~ ell + ell2")


def test_constant_term() -> None:
    design = _api.strat().with_columns({"one": np.full(200, 3.0)})
    with pytest.raises(rs.ModelError, match="term 'one'.*constant in the whole sample"):
        design.glm("api00 ~ ell + one")


def test_too_few_psus_for_the_coefficients() -> None:
    design = _api.clus1()  # 15 PSUs, 14 degrees of freedom
    terms = " + ".join(["ell", "meals", "mobility", "api99", "`acs.k3`", "`pct.resp`", "`not.hsg`", "hsg", "`some.col`",
                        "`col.grad`", "`grad.sch`", "full", "emer", "enroll", "`api.stu`"])
    with pytest.raises(rs.ModelError, match="too few PSUs.*14 degrees of freedom.*16 coefficients.*fewer terms"):
        design.glm(f"api00 ~ {terms}")


def test_perfect_separation_warns_naming_the_term() -> None:
    design = _api.strat()
    design = design.with_columns({"high": (design.data["api00"] > 700).astype(float)})
    with pytest.warns(rs.ModelWarning, match="separated, most likely by term 'api00'.*merge categories or drop"):
        design.glm("high ~ api00 + ell", family="binomial")


def test_outcome_outside_the_family() -> None:
    with pytest.raises(rs.ModelError, match="family='binomial' needs an outcome that is a share between 0 and 1.*api00"):
        _api.strat().glm("api00 ~ ell", family="binomial")


def test_bad_subset_query() -> None:
    with pytest.raises(rs.ModelError, match="subset='stype = E' is neither a column"):
        _api.strat().glm("api00 ~ ell", subset="stype = E")


def test_subset_not_boolean() -> None:
    with pytest.raises(rs.ModelError, match="must be true/false for every row; row 0 holds"):
        _api.strat().glm("api00 ~ ell", subset="stype")


def test_unknown_term_in_formula() -> None:
    with pytest.raises(rs.ModelError, match="formula 'api00 ~ nosuch' cannot be evaluated"):
        _api.strat().glm("api00 ~ nosuch")


def test_unknown_term_in_wald_test() -> None:
    with pytest.raises(rs.ModelError, match="term 'stype' is not in the model; its terms are 'ell'"):
        _api.strat().glm("api00 ~ ell").wald_test("stype")


def test_newdata_missing_a_column() -> None:
    with pytest.raises(rs.ModelError, match="newdata cannot be put through the formula"):
        _api.strat().glm("api00 ~ ell + meals").predict(pd.DataFrame({"ell": [1.0]}))


def test_newdata_with_an_unseen_category_is_an_error_not_nan() -> None:
    fit = _api.strat().glm("api00 ~ ell + C(stype)")
    with pytest.raises(rs.ModelError, match="newdata cannot be put through.*only categories seen in the fit"):
        fit.predict(pd.DataFrame({"ell": [1.0], "stype": ["Q"]}))
