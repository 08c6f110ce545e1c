"""Bad input to replicate designs: each error names the column, row or stratum and the fix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import residentsurvey as rs

from ..conftest import load_api


def _file() -> pd.DataFrame:
    data = load_api("apiclus1")
    source = rs.SurveyDesign(data, weights="pw", psu="dnum").replicate("jk1")
    shared = source.replicate_weights
    shared.columns = [f"rw_{r + 1}" for r in range(shared.shape[1])]
    return data.join(shared)


def test_missing_replicate_weight_names_column_and_row() -> None:
    data = _file()
    data.loc[data.index[7], "rw_3"] = np.nan
    with pytest.raises(rs.DesignError, match=r"replicate weights column 'rw_3' is missing at row 7 .*1 row\(s\) in all"):
        rs.ReplicateDesign(data, weights="pw", replicate_weights="^rw_", method="jk1", scale=14 / 15)


def test_negative_replicate_weight_names_column_row_and_value() -> None:
    data = _file()
    data.loc[data.index[2], "rw_1"] = -4.0
    with pytest.raises(rs.DesignError, match=r"'rw_1' is negative at row 2 .*value -4"):
        rs.ReplicateDesign(data, weights="pw", replicate_weights="^rw_", method="jk1", scale=14 / 15)


def test_text_in_a_replicate_column_is_named() -> None:
    data = _file()
    data["rw_2"] = data["rw_2"].astype(object)
    data.loc[data.index[5], "rw_2"] = "n/a"
    with pytest.raises(rs.DesignError, match=r"replicate weights column 'rw_2' is not numeric: row 5 .*'n/a'"):
        rs.ReplicateDesign(data, weights="pw", replicate_weights="^rw_", method="jk1", scale=14 / 15)


def test_rscales_count_must_match_the_replicates() -> None:
    with pytest.raises(rs.DesignError, match=r"rscales has 3 values but there are 15 replicate-weight columns"):
        rs.ReplicateDesign(_file(), weights="pw", replicate_weights="^rw_", method="jkn", rscales=[1, 1, 1])


def test_jkn_from_a_file_needs_rscales() -> None:
    with pytest.raises(rs.DesignError, match=r"method='jkn' needs rscales="):
        rs.ReplicateDesign(_file(), weights="pw", replicate_weights="^rw_", method="jkn")


def test_fay_from_a_file_needs_rho() -> None:
    with pytest.raises(rs.DesignError, match=r"method='fay' needs fay_rho="):
        rs.ReplicateDesign(_file(), weights="pw", replicate_weights="^rw_", method="fay")


def test_pattern_that_matches_nothing_lists_the_columns() -> None:
    with pytest.raises(rs.DesignError, match=r"no column matches replicate_weights='\^repwt'; columns available: 'cds'"):
        rs.ReplicateDesign(_file(), weights="pw", replicate_weights="^repwt", method="jk1")


def test_unknown_column_in_a_list_is_named() -> None:
    with pytest.raises(rs.DesignError, match=r"replicate weights column 'rw_99' is not in the data"):
        rs.ReplicateDesign(_file(), weights="pw", replicate_weights=["rw_1", "rw_99"], method="jk1", scale=0.5)


def test_unknown_method_lists_the_valid_ones() -> None:
    design = rs.SurveyDesign(load_api("apiclus1"), weights="pw", psu="dnum")
    with pytest.raises(rs.OptionError, match=r"method='jackknife' is not recognised; use one of 'jk1', 'jkn', 'brr'"):
        design.replicate("jackknife")
    with pytest.raises(rs.OptionError, match=r"'other'"):
        rs.ReplicateDesign(_file(), weights="pw", replicate_weights="^rw_", method="jack")


def test_brr_needs_two_psus_per_stratum_and_names_the_stratum() -> None:
    design = rs.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype")
    with pytest.raises(rs.DesignError, match=r"exactly 2 PSUs in every stratum; stratum \(stype='E'\) has 100 "
                                             r"\(3 such strata in all\).*method='jkn' or 'bootstrap'"):
        design.replicate("brr")


def test_jk1_refuses_a_stratified_design_and_jkn_an_unstratified_one() -> None:
    with pytest.raises(rs.DesignError, match=r"method='jk1' is for unstratified designs.*use method='jkn'"):
        rs.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype").replicate("jk1")
    with pytest.raises(rs.DesignError, match=r"method='jkn' needs a stratified design.*'jk1' or 'bootstrap'"):
        rs.SurveyDesign(load_api("apiclus1"), weights="pw", psu="dnum").replicate("jkn")


def test_lonely_psu_rules_carry_over_to_jkn() -> None:
    """As R's jknweights: certainty/remove/average drop the lonely stratum (average rescales), adjust adds a replicate."""
    data = load_api("apistrat")
    data = data[(data["stype"] != "H") | (data.index == data.index[data["stype"] == "H"][0])]
    design = rs.SurveyDesign(data, weights="pw", strata="stype", lonely_psu="certainty")
    assert design.replicate("jkn").n_replicates == len(data) - 1
    strict = rs.SurveyDesign(data, weights="pw", strata="stype", lonely_psu="adjust")
    assert strict.replicate("jkn").n_replicates == len(data) - 1 + 1  # R's extra "adjust" replicate
    average = rs.SurveyDesign(data, weights="pw", strata="stype", lonely_psu="average").replicate("jkn")
    assert average.scale == pytest.approx(len(data) / (len(data) - 1))  # R: PSUs / replicates kept


def test_replicates_only_for_the_bootstrap() -> None:
    design = rs.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype")
    with pytest.raises(rs.DesignError, match=r"replicates=10 applies only to the bootstrap methods"):
        design.replicate("jkn", replicates=10)
    with pytest.raises(rs.DesignError, match=r"replicates must be a whole number of at least 2; got 1"):
        design.replicate("bootstrap", replicates=1)


def test_subbootstrap_refuses_single_psu_strata() -> None:
    data = load_api("apistrat")
    data = data[(data["stype"] != "H") | (data.index == data.index[data["stype"] == "H"][0])]
    design = rs.SurveyDesign(data, weights="pw", strata="stype", lonely_psu="remove")
    with pytest.raises(rs.DesignError, match=r"stratum \(stype='H'\) with one PSU would get no weight"):
        design.replicate("subbootstrap")


def test_quantile_options_are_checked() -> None:
    design = rs.SurveyDesign(load_api("apiclus1"), weights="pw", psu="dnum").replicate("jk1")
    with pytest.raises(rs.OptionError, match=r"ci_method='wald' is not recognised; use one of 'woodruff', 'replicate'"):
        design.quantile("api00", 0.5, ci_method="wald")
    with pytest.raises(rs.DesignError, match=r"q=1.5 must be probabilities strictly between 0 and 1"):
        design.quantile("api00", 1.5)


def test_a_replicate_design_is_immutable_and_calibrated_once() -> None:
    design = rs.SurveyDesign(load_api("apiclus1"), weights="pw", psu="dnum").replicate("jk1")
    with pytest.raises(AttributeError, match="ReplicateDesign is immutable"):
        design.data = None
    targets = pd.DataFrame({"variable": "stype", "category": ["E", "H", "M"], "total": [4421.0, 755, 1018]})
    calibrated = design.calibrate(targets)
    with pytest.raises(rs.DesignError, match="already calibrated"):
        calibrated.calibrate(targets)


def test_too_large_a_replicate_matrix_is_refused_with_a_way_out(monkeypatch) -> None:
    from residentsurvey.analysis import replicate

    monkeypatch.setattr(replicate, "ROW_WEIGHTS_LIMIT", 1000)
    design = rs.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype").replicate("jkn")
    assert design.mean("api00").loc[0, "se"] > 0   # estimators need no respondents x replicates matrix
    with pytest.raises(rs.DesignError, match=r"200 x 200 = 40,000 numbers .*replicates=200"):
        design.replicate_weights
