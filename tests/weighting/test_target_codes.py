"""Targets by label or by code match returns in codes: the same weights either way, and clear errors otherwise."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import residentsurvey as rs
from residentsurvey.demo import demo_targets
from residentsurvey.errors import CalibrationError


@pytest.fixture(scope="module")
def v1():
    return rs.load_questionnaire("core-v1")


def _by_code(targets: pd.DataFrame, q) -> pd.DataFrame:
    """The demo targets spelt with codes ('1:2', '3'), as a contractor working from the codebook would."""
    def code(variable: str, category: str) -> str:
        return ":".join(str({lab: c for c, lab in q.question(v).labels.items()}[part])
                        for v, part in zip(variable.split(":"), category.split(":")))
    return targets.assign(category=[code(v, c) for v, c in zip(targets["variable"], targets["category"])])


def test_label_and_code_targets_give_the_weights_of_the_label_route(v1) -> None:
    returns = rs.demo_consortium(wave=1)
    by_label = demo_targets()
    expected = rs.SurveyDesign(returns, weights="design_weight").calibrate(by_label, by="council").weights
    coded = rs.to_codes(returns, v1)
    for targets in (by_label, _by_code(by_label, v1)):
        weights = rs.SurveyDesign(coded, weights="design_weight").calibrate(
            rs.targets_as_codes(targets, v1), by="council").weights
        np.testing.assert_allclose(weights.to_numpy(), expected.to_numpy(), rtol=1e-12)


def test_translation_keeps_other_variables_and_the_input(v1) -> None:
    targets = pd.DataFrame({"council": ["A", "A", "A"], "variable": ["tenure", "(population)", "imd_band"],
                            "category": ["Social rent", None, "most deprived"], "total": [5.0, 10.0, 3.0]})
    out = rs.targets_as_codes(targets, v1)
    assert out["category"].tolist()[0] == 2 and out["category"].tolist()[2] == "most deprived"
    assert pd.isna(out["category"].iloc[1]) and targets["category"].iloc[0] == "Social rent"


def test_labels_holding_a_colon_split_correctly() -> None:
    frames = {"a": {1: "x:y", 2: "z"}, "b": {1: "p", 2: "q:r"}}
    targets = pd.DataFrame({"variable": ["a:b"] * 3, "category": ["x:y:q:r", "z:p", "x:y:1"], "total": [1, 2, 3]})
    assert rs.targets_as_codes(targets, frames)["category"].tolist() == ["1:2", "2:1", "1:1"]


def test_an_unknown_category_names_row_variable_and_valid_labels(v1) -> None:
    targets = demo_targets().head(3).copy()
    targets.loc[1, "category"] = "16-34:Woman"
    with pytest.raises(CalibrationError) as error:
        rs.targets_as_codes(targets, v1)
    message = str(error.value)
    assert "targets row 1 (variable 'age_band:sex') has category '16-34:Woman'" in message
    assert "sex: 1='Female', 2='Male'" in message and "joining an interaction's parts with ':'" in message


def test_codes_against_label_targets_without_translation_fail_loudly(v1) -> None:
    coded = rs.to_codes(rs.demo_consortium(wave=1), v1)
    with pytest.raises(CalibrationError, match="the targets have no such category"):
        rs.SurveyDesign(coded, weights="design_weight").calibrate(demo_targets(), by="council")


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["age_band", "sex", "tenure", "ethnicity"]), st.booleans()), min_size=1,
                max_size=3, unique_by=lambda t: t[0]), st.randoms(use_true_random=False))
def test_any_mix_of_labels_and_codes_translates_to_the_codes(parts, random) -> None:
    q = rs.load_questionnaire("core-v1")
    variables, spelt, expected = [], [], []
    for variable, by_label in parts:
        code, label = random.choice(sorted(q.question(variable).labels.items()))
        variables.append(variable)
        spelt.append(label.upper() if by_label else str(code))
        expected.append(code)
    targets = pd.DataFrame({"variable": [":".join(variables)], "category": [":".join(spelt)], "total": [1.0]})
    got = rs.targets_as_codes(targets, q)["category"].iloc[0]
    assert got == (expected[0] if len(expected) == 1 else ":".join(map(str, expected)))
