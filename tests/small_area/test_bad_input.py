"""Bad input to rs.fay_herriot: each error names the area, column or term, and says how to fix it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import residentsurvey as rs
from residentsurvey.errors import OptionError, SmallAreaError


def _tables(m: int = 8) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(1)
    wards = [f"W{k:02d}" for k in range(m + 2)]
    auxiliary = pd.DataFrame({"ward": wards, "owners": rng.uniform(0.3, 0.8, m + 2),
                              "band": ["ab"[k % 2] for k in range(m + 2)], "council": ["North"] * (m + 2),
                              "population": rng.integers(1000, 5000, m + 2)})
    direct = pd.DataFrame({"ward": wards[:m], "estimate": rng.normal(7, 0.6, m), "se": rng.uniform(0.2, 0.5, m),
                           "n": rng.integers(20, 80, m)})
    return direct, auxiliary


def test_area_missing_from_auxiliary_is_named() -> None:
    direct, auxiliary = _tables()
    with pytest.raises(SmallAreaError, match=r"area\(s\) W03 of direct are missing from auxiliary column 'ward'"):
        rs.fay_herriot(direct, auxiliary[auxiliary["ward"] != "W03"], formula="~ owners", area="ward")


@pytest.mark.parametrize("table", ["direct", "auxiliary"])
def test_duplicate_areas_are_named(table: str) -> None:
    direct, auxiliary = _tables()
    tables = {"direct": direct, "auxiliary": auxiliary}
    tables[table] = pd.concat([tables[table], tables[table].iloc[[2]]])
    with pytest.raises(SmallAreaError, match=rf"{table} has more than one row for area\(s\) W02 in column 'ward'"):
        rs.fay_herriot(tables["direct"], tables["auxiliary"], formula="~ owners", area="ward")


@pytest.mark.parametrize("value", [0.0, -0.1, np.nan])
def test_non_positive_or_missing_se_is_named(value: float) -> None:
    direct, auxiliary = _tables()
    direct.loc[4, "se"] = value
    with pytest.raises(SmallAreaError, match=r"direct column 'se' must be a positive standard error; 1 area\(s\) "
                                             r"are not: W04 \(row 4: .*smooth_variance=True"):
        rs.fay_herriot(direct, auxiliary, formula="~ owners", area="ward")


def test_smoothing_accepts_a_zero_se_and_says_so() -> None:
    direct, auxiliary = _tables()
    direct.loc[4, "se"] = 0.0
    sae = rs.fay_herriot(direct, auxiliary, formula="~ owners", area="ward", smooth_variance=True)
    assert sae.estimates.loc[4, "sampling_variance"] > 0
    assert any("generalised variance function" in note for note in sae.notes)


def test_more_covariates_than_areas() -> None:
    direct, auxiliary = _tables(m=3)
    auxiliary["x2"], auxiliary["x3"] = np.arange(len(auxiliary)) ** 2, np.sqrt(np.arange(len(auxiliary)))
    with pytest.raises(SmallAreaError, match=r"has 4 coefficients but only 3 areas have direct estimates"):
        rs.fay_herriot(direct, auxiliary, formula="~ owners + x2 + x3", area="ward")


def test_formula_term_not_in_auxiliary() -> None:
    direct, auxiliary = _tables()
    with pytest.raises(SmallAreaError, match=r"uses 'deprivation', not a column of auxiliary \(its columns: ward, "):
        rs.fay_herriot(direct, auxiliary, formula="~ owners + deprivation", area="ward")


def test_missing_covariate_is_named() -> None:
    direct, auxiliary = _tables()
    auxiliary.loc[9, "owners"] = np.nan
    with pytest.raises(SmallAreaError, match=r"auxiliary column 'owners' is missing for 1 area\(s\): W09"):
        rs.fay_herriot(direct, auxiliary, formula="~ owners", area="ward")


def test_missing_columns_and_unknown_options() -> None:
    direct, auxiliary = _tables()
    with pytest.raises(SmallAreaError, match=r"direct has no column 'se'"):
        rs.fay_herriot(direct.drop(columns="se"), auxiliary, formula="~ owners", area="ward")
    with pytest.raises(SmallAreaError, match=r"direct has no column 'deff'"):
        rs.fay_herriot(direct, auxiliary, formula="~ owners", area="ward", transform="arcsin")
    with pytest.raises(OptionError, match=r"method='fh' is not recognised; use one of 'reml', 'ml', 'amrl', 'ampl'"):
        rs.fay_herriot(direct, auxiliary, formula="~ owners", area="ward", method="fh")
    with pytest.raises(OptionError, match=r"transform='log' is not recognised"):
        rs.fay_herriot(direct, auxiliary, formula="~ owners", area="ward", transform="log")
    with pytest.raises(SmallAreaError, match=r"formula must be a string such as"):
        rs.fay_herriot(direct, auxiliary, formula="owners", area="ward")
    with pytest.raises(SmallAreaError, match=r"term 'log\(owners\)' is not a column name"):
        rs.fay_herriot(direct, auxiliary, formula="~ log(owners)", area="ward")


def test_shares_outside_zero_one_and_bad_deff() -> None:
    direct, auxiliary = _tables()
    shares = direct.assign(estimate=np.linspace(0.2, 0.8, len(direct)), deff=1.5)
    with pytest.raises(SmallAreaError, match=r"must be a share between 0 and 1; 1 area\(s\) are not: W00 \(row 0: 45"):
        rs.fay_herriot(shares.assign(estimate=shares["estimate"].where(shares.index > 0, 45.0)), auxiliary,
                       formula="~ owners", area="ward", transform="arcsin")
    shares.loc[2, "deff"] = 0.0
    with pytest.raises(SmallAreaError, match=r"'deff' must be a positive design effect .* W02 .*pooled design"):
        rs.fay_herriot(shares, auxiliary, formula="~ owners", area="ward", transform="arcsin")


def test_benchmark_needs_council_estimates_for_every_council() -> None:
    direct, auxiliary = _tables()
    with pytest.raises(SmallAreaError, match=r"needs council_estimates, a table with columns 'council' and"):
        rs.fay_herriot(direct, auxiliary, formula="~ owners", area="ward", benchmark="council")
    targets = pd.DataFrame({"council": ["South"], "estimate": [7.0]})
    with pytest.raises(SmallAreaError, match=r"no estimate for council\(s\) North"):
        rs.fay_herriot(direct, auxiliary, formula="~ owners", area="ward", benchmark="council",
                       council_estimates=targets)


def test_smoothing_on_the_arcsine_scale_pools_the_design_effect() -> None:
    direct, auxiliary = _tables()
    shares = direct.assign(estimate=np.linspace(0.2, 0.8, len(direct)), deff=1.5)
    shares.loc[2, "deff"] = 0.0
    sae = rs.fay_herriot(shares, auxiliary, formula="~ owners", area="ward", transform="arcsin", smooth_variance=True)
    pooled = np.average(shares["deff"].drop(2), weights=shares["n"].drop(2))
    np.testing.assert_allclose(sae.estimates["sampling_variance"].iloc[:8], pooled / (4 * shares["n"]))
    assert any("pooled 1.500" in note for note in sae.notes)
    assert "estimates" not in repr(sae) and "model_variance=" in repr(sae)
