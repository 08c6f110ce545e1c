"""design.glm on replicate-weight designs: refitting in every replicate, as R's ``svyglm`` on ``as.svrepdesign``.

References from tests/data/r/make_models_reference.R (R survey 4.1.1): JKn on the stratified api
sample, JK1 on the one-stage cluster sample.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import residentsurvey as rs

from ..conftest import DATA
from . import _api

REFERENCE = pd.read_csv(DATA / "models_replicate_reference.csv")

CASES = {
    "strat_jkn_gaussian": (lambda: _api.strat().replicate("jkn"), "api00 ~ ell + meals + mobility", "gaussian"),
    "clus1_jk1_binomial": (lambda: _api.clus1().replicate("jk1"), "sw ~ ell + meals", "binomial"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_replicate_svyglm(case: str) -> None:
    make, formula, family = CASES[case]
    fit = make().glm(formula, family=family)
    expected = REFERENCE[REFERENCE["case"] == case]
    rtol = 1e-8 if family == "gaussian" else 1e-6
    np.testing.assert_allclose(fit.params, expected["estimate"], rtol=rtol)
    np.testing.assert_allclose(fit.bse, expected["se"], rtol=rtol)
    assert (fit.coefficients["df"] == expected["df"].to_numpy()).all()


def test_margins_on_replicates_say_not_yet() -> None:
    fit = _api.strat().replicate("jkn").glm("api00 ~ ell + C(stype)")
    with pytest.raises(rs.DesignError, match="not available yet; fit the model on the Taylor design"):
        fit.predictive_margins("stype")
