"""Bad input gets an error that names the culprit and the fix, never a silent wrong number."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import residentsurvey as rs


@pytest.fixture()
def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "council": ["A", "A", "A", "A", "B", "B", "B", "B"],
        "stratum": ["a1", "a1", "a2", "a2", "b1", "b1", "b1", "b1"],
        "psu": ["p1", "p2", "p3", "p4", "p5", "p5", "p6", "p6"],
        "weight": [10.0, 12, 8, 9, 20, 22, 18, 19],
        "satisfied": [1.0, 0, 1, np.nan, 1, 1, 0, 1],
        "score": [7, 8, 6, 9, 5, 7, 8, 6],
    })


def design(frame: pd.DataFrame, **kwargs) -> rs.SurveyDesign:
    options = dict(weights="weight", strata="stratum", psu="psu")
    options.update(kwargs)
    return rs.SurveyDesign(frame, **options)


@pytest.mark.parametrize("role", ["weights", "strata", "psu", "fpc"])
def test_unknown_design_column_is_named_with_a_suggestion(frame, role) -> None:
    with pytest.raises(rs.DesignError, match=rf"{role} column 'wieght' is not in the data\. Did you mean 'weight'\?"):
        design(frame, **{role: "wieght"})


def test_unknown_variable_and_by_columns_are_named(frame) -> None:
    with pytest.raises(rs.DesignError, match=r"variable column 'satisfeid' is not in the data\. Did you mean 'satisfied'"):
        design(frame).mean("satisfeid")
    with pytest.raises(rs.DesignError, match=r"by column 'councll' is not in the data\. Did you mean 'council'"):
        design(frame).mean("satisfied", by="councll")


def test_non_numeric_weights_name_row_and_value(frame) -> None:
    frame["weight"] = frame["weight"].astype(object)
    frame.loc[5, "weight"] = "n/a"
    with pytest.raises(rs.DesignError, match=r"weights column 'weight' is not numeric: row 5 \(index 5\) holds 'n/a'"):
        design(frame)


@pytest.mark.parametrize("value, what", [(-1.0, "negative"), (np.nan, "missing")])
def test_negative_or_missing_weights_name_the_row(frame, value, what) -> None:
    frame.loc[3, "weight"] = value
    with pytest.raises(rs.DesignError, match=rf"weights column 'weight' is {what} at row 3 \(index 3"):
        design(frame)


def test_all_zero_weights_are_refused(frame) -> None:
    with pytest.raises(rs.DesignError, match="zero for every respondent"):
        design(frame.assign(weight=0.0))


def test_psu_in_two_strata_needs_nest(frame) -> None:
    frame.loc[[2, 3], "psu"] = ["p1", "p2"]  # labels reused in stratum a2
    with pytest.raises(rs.DesignError, match=r"PSU 'p1' \(column 'psu'\) appears in more than one stratum .*nest=True"):
        design(frame)
    nested = design(frame, nest=True)
    assert nested.n_psu == 6


def test_lonely_psu_fail_names_stratum_and_options(frame) -> None:
    frame.loc[[2, 3], "psu"] = "p3"
    with pytest.raises(rs.LonelyPSUError, match=r"Stratum \(stratum='a2'\) has only one PSU at stage 1.*'adjust'"):
        design(frame)
    assert np.isfinite(design(frame, lonely_psu="adjust").mean("score").loc[0, "se"])


def test_lonely_psu_at_the_second_stage_names_the_psu(frame) -> None:
    frame = frame.assign(row=range(8), n1=[4, 4, 4, 4, 2, 2, 2, 2], n2=[3, 3, 3, 3, 2, 2, 2, 2])
    with pytest.raises(rs.LonelyPSUError, match=r"Stratum \(stratum='a1', psu='p1'\) has only one PSU at stage 2"):
        design(frame, psu=["psu", "row"], fpc=["n1", "n2"])


def test_unknown_option_values_list_the_valid_ones(frame) -> None:
    with pytest.raises(rs.OptionError, match=r"lonely_psu='drop' is not recognised; use one of 'fail', 'remove'"):
        design(frame, lonely_psu="drop")
    with pytest.raises(rs.OptionError, match=r"ci_method='clopper' is not recognised; use one of 'logit', 'wald'"):
        design(frame).proportion("satisfied", ci_method="clopper")
    with pytest.raises(rs.OptionError, match=r"ci_method='beta' is not recognised; use one of 'wald', 't'"):
        design(frame).mean("score", ci_method="beta")
    with pytest.raises(rs.OptionError, match=r"level=95 must be a number strictly between 0 and 1"):
        design(frame).mean("score", level=95)


def test_fpc_problems_are_explained(frame) -> None:
    with pytest.raises(rs.DesignError, match=r"fpc column 'n' varies within a stratum \(stratum='a1'\)"):
        design(frame.assign(n=[5, 6, 5, 5, 5, 5, 5, 5]), fpc="n")
    with pytest.raises(rs.DesignError, match=r"implies more than 100% sampling at stage 1 in stratum \(stratum='a1'\)"):
        design(frame.assign(n=[1.5, 1.5, 5, 5, 5, 5, 5, 5]), fpc="n")
    with pytest.raises(rs.DesignError, match=r"fpc names 1 column\(s\) \['n'\] but psu names 2 stage\(s\)"):
        design(frame.assign(n=5, row=range(8)), psu=["psu", "row"], fpc="n")
    with pytest.raises(rs.DesignError, match=r"mix sampling fractions"):
        design(frame.assign(n=5, m=0.5, row=range(8)), psu=["psu", "row"], fpc=["n", "m"])


def test_missing_stratum_or_psu_values_are_refused(frame) -> None:
    frame.loc[6, "stratum"] = None
    with pytest.raises(rs.DesignError, match=r"strata column 'stratum' is missing at row 6 \(index 6\)"):
        design(frame)


def test_text_in_a_numeric_variable_names_row_and_value(frame) -> None:
    frame["score"] = frame["score"].astype(object)
    frame.loc[4, "score"] = "Don't know"
    with pytest.raises(rs.DesignError, match=r"variable column 'score' is not numeric: row 4 \(index 4\) holds \"Don't know\""):
        design(frame).mean("score")


def test_categorical_variable_points_to_proportion(frame) -> None:
    frame["band"] = pd.Categorical(["low", "high"] * 4)
    with pytest.raises(rs.DesignError, match=r"use design\.proportion\('band'\)|Use design\.proportion\('band'\)"):
        design(frame).mean("band")


def test_an_empty_domain_gives_a_row_with_nan_and_n_zero(frame) -> None:
    frame["council"] = pd.Categorical(frame["council"], categories=["A", "B", "C"])
    table = design(frame).mean("score", by="council").set_index("council")
    assert table.loc["C", "n"] == 0
    assert np.isnan(table.loc["C", "estimate"]) and np.isnan(table.loc["C", "se"])
    shares = design(frame).proportion("satisfied", by="council")
    assert (shares.loc[shares["council"] == "C", "n"] == 0).all()
    assert shares.loc[shares["council"] == "C", "estimate"].isna().all()


def test_a_missing_by_value_is_its_own_domain_not_dropped(frame) -> None:
    frame.loc[0, "council"] = None
    table = design(frame).mean("score", by="council")
    assert table["n"].sum() == len(frame)
    assert table["council"].isna().sum() == 1


def test_difference_with_unknown_domain_lists_the_domains(frame) -> None:
    with pytest.raises(rs.DesignError, match=r"b='Z' is not a domain of by=\['council'\]; the domains are: 'A', 'B'"):
        design(frame).difference("score", "council", "A", "Z")
    with pytest.raises(rs.DesignError, match="name the same domain"):
        design(frame).difference("score", "council", "A", "A")


def test_the_design_cannot_be_changed_and_ignores_later_edits_to_the_frame(frame) -> None:
    d = design(frame)
    with pytest.raises(AttributeError, match="immutable"):
        d.data = frame
    before = d.mean("score").loc[0, "estimate"]
    frame.loc[0, "score"] = 1000
    assert d.mean("score").loc[0, "estimate"] == before


def test_data_must_be_a_dataframe() -> None:
    with pytest.raises(rs.DesignError, match="data must be a pandas DataFrame"):
        rs.SurveyDesign([[1, 2]], weights="w")


def test_no_weights_warns_like_r() -> None:
    with pytest.warns(rs.DesignWarning, match="every respondent weighs 1"):
        d = rs.SurveyDesign(pd.DataFrame({"y": [1.0, 2.0, 3.0]}))
    assert d.weights.tolist() == [1.0, 1.0, 1.0]
