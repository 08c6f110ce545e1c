"""R sae's published Fay-Herriot results on the milk data, reproduced; and two routes to the same REML fit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import residentsurvey as rs
from residentsurvey.small_area._formula import design_matrix, parse_formula
from residentsurvey.small_area.fit import _score_information, fit_model, loglike

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture(scope="module")
def milk() -> pd.DataFrame:
    frame = pd.read_csv(DATA / "milk.csv", comment="#")
    return frame.assign(se=frame["SD"], estimate=frame["yi"], n=frame["ni"])


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return pd.read_csv(DATA / "milk_sae_reference.csv")


def _values(reference: pd.DataFrame, method: str, quantity: str) -> np.ndarray:
    rows = reference[(reference["method"] == method) & (reference["quantity"] == quantity)].sort_values("index")
    return rows["value"].to_numpy()


@pytest.mark.parametrize("method", ["REML", "ML"])
def test_coefficients_agree_with_sae(milk: pd.DataFrame, reference: pd.DataFrame, method: str) -> None:
    sae = rs.fay_herriot(milk, milk, formula="~ as.factor(MajorArea)", area="SmallArea", method=method.lower())
    assert sae.coefficients["term"].tolist() == ["(Intercept)", "MajorArea[2]", "MajorArea[3]", "MajorArea[4]"]
    np.testing.assert_allclose(sae.coefficients["estimate"], _values(reference, method, "beta"), atol=5e-8)
    if method == "REML":
        np.testing.assert_allclose(sae.coefficients["se"], _values(reference, method, "se"), atol=5e-9)


def test_reml_eblup_mse_and_variance_agree_with_sae(milk: pd.DataFrame, reference: pd.DataFrame) -> None:
    sae = rs.fay_herriot(milk, milk, formula="~ as.factor(MajorArea)", area="SmallArea", method="reml")
    assert sae.model_variance == pytest.approx(_values(reference, "REML", "refvar")[0], abs=5e-9)
    head = sae.estimates.iloc[:5]
    np.testing.assert_allclose(head["estimate"], _values(reference, "REML", "eblup"), atol=5e-8)
    np.testing.assert_allclose(head["mse"], _values(reference, "REML", "mse"), atol=5e-10)
    assert (sae.estimates["method"] == "eblup").all() and sae.converged


def test_fisher_scoring_reaches_the_maximum_of_the_restricted_likelihood(milk: pd.DataFrame) -> None:
    """Two routes: sae's Fisher scoring (tightened) and a direct maximisation of the REML likelihood."""
    from scipy.optimize import minimize_scalar

    X, _ = design_matrix(parse_formula("~ C(MajorArea)"), milk, "SmallArea")
    y, D = milk["yi"].to_numpy(), milk["SD"].to_numpy() ** 2
    for restricted, method in ((True, "reml"), (False, "ml")):
        scored = fit_model(y, X, D, method=method, precision=1e-12).model_variance
        best = minimize_scalar(lambda a: -loglike(y, X, D, a, restricted=restricted), bounds=(1e-6, 0.2),
                               method="bounded", options={"xatol": 1e-12}).x
        assert scored == pytest.approx(best, rel=1e-6)


def test_traces_without_the_m_by_m_matrix_equal_sae_formulae(milk: pd.DataFrame) -> None:
    X, _ = design_matrix(parse_formula("~ C(MajorArea)"), milk, "SmallArea")
    y, D, A = milk["yi"].to_numpy(), milk["SD"].to_numpy() ** 2, 0.02
    vi = 1 / (A + D)
    Q = np.linalg.inv(X.T @ (vi[:, None] * X))
    P = np.diag(vi) - (vi[:, None] * X) @ Q @ (X.T * vi)
    s, F = _score_information(y, X, D, A, restricted=True)
    assert s == pytest.approx(-0.5 * np.trace(P) + 0.5 * (P @ y) @ (P @ y), rel=1e-12)
    assert F == pytest.approx(0.5 * np.trace(P @ P), rel=1e-12)


def test_adjusted_likelihood_is_positive_and_near_reml(milk: pd.DataFrame) -> None:
    reml = rs.fay_herriot(milk, milk, formula="~ C(MajorArea)", area="SmallArea").model_variance
    for method in ("amrl", "ampl"):
        adjusted = rs.fay_herriot(milk, milk, formula="~ C(MajorArea)", area="SmallArea", method=method)
        assert 0 < adjusted.model_variance < 2 * reml
        assert adjusted.method == method


@pytest.mark.parametrize("method", ["REML", "ML"])
def test_every_area_agrees_with_sae_code(milk: pd.DataFrame, method: str) -> None:
    """All 43 EBLUPs and MSEs, A, beta and its SEs, against R sae 1.3's eblupFH/mseFH run on the milk data
    (tests/data/r/make_milk_fh_reference.R); ML's MSE includes the Datta-Lahiri bias term."""
    reference = pd.read_csv(DATA / "milk_fh_reference.csv")
    reference = reference[reference["method"] == method]
    sae = rs.fay_herriot(milk, milk, formula="~ as.factor(MajorArea)", area="SmallArea", method=method.lower())
    areas = reference[reference["area"] > 0].set_index("area").loc[sae.estimates["SmallArea"]]
    np.testing.assert_allclose(sae.estimates["estimate"], areas["eblup"], rtol=1e-10)
    np.testing.assert_allclose(sae.estimates["mse"], areas["mse"], rtol=1e-9)
    assert sae.model_variance == pytest.approx(reference.loc[reference["area"] == 0, "eblup"].iloc[0], rel=1e-10)
    coefficients = reference[reference["area"] < 0].sort_values("area", ascending=False)
    np.testing.assert_allclose(sae.coefficients["estimate"], coefficients["eblup"], rtol=1e-10)
    np.testing.assert_allclose(sae.coefficients["se"], coefficients["mse"], rtol=1e-10)


@pytest.mark.parametrize("backtransform", ["naive", "bc"])
def test_arcsin_agrees_with_sae_fit_and_emdi_back_transforms(backtransform: str) -> None:
    """30 shares on the arcsine scale with n / deff, REML by R sae's eblupFH, back-transformed as emdi::fh
    (naive sin^2 and emdi's bias-correcting integral), from tests/data/r/make_arcsin_reference.R."""
    reference = pd.read_csv(DATA / "arcsin_fh_reference.csv")
    direct = reference[["area", "estimate", "n", "deff"]]
    sae = rs.fay_herriot(direct, reference[["area", "x"]], formula="~ x", transform="arcsin",
                         backtransform=backtransform)
    assert sae.model_variance == pytest.approx(reference["A"].iloc[0], rel=1e-9)
    # 1e-6: emdi's integral stops at pi/2, dropping the sliver of mass beyond it, which ours counts as a share
    # of 1 (the clipped angle); 1e-7 apart for the share of 0.92, identical elsewhere.
    np.testing.assert_allclose(sae.estimates["estimate"], reference[backtransform], rtol=0, atol=1e-6)
