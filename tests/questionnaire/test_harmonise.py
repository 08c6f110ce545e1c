"""Harmonising an older wave into a newer questionnaire's terms."""

from __future__ import annotations

import pandas as pd
import pytest

import residentsurvey as rs
from residentsurvey.errors import OptionError, QuestionnaireError, ReturnsError
from residentsurvey.questionnaire import harmonise, load_questionnaire
from residentsurvey.returns import validate_returns


@pytest.fixture(scope="module")
def setting():
    return rs.demo_consortium(wave=1), load_questionnaire("core-v1"), load_questionnaire("core-v2")


def test_refuses_items_that_are_not_comparable(setting) -> None:
    wave1, v1, v2 = setting
    with pytest.raises(QuestionnaireError, match=r"2 item\(s\) are not comparable: q_informed \(reworded\), "
                                                 r"volunteered_formal_12m \(routing changed\)"):
        harmonise(wave1, v1, v2)
    with pytest.raises(QuestionnaireError, match=r"swemwbs_1 \(added\)"):
        harmonise(wave1, v1, v2, items=["q_trust", "swemwbs_1"])


def test_applies_the_declared_recode_and_copies_comparable_items(setting) -> None:
    wave1, v1, v2 = setting
    result = harmonise(wave1, v1, v2, not_comparable="drop")
    old, new = wave1["q_safe_after_dark"], result["q_safe_after_dark"]
    assert (new[old == 5] == 4).all() and (new[old.isin([1, 2, 3, 4, 9])] == old[old.isin([1, 2, 3, 4, 9])]).all()
    assert new.isna().equals(old.isna())
    pd.testing.assert_series_equal(result["q_trust"], wave1["q_trust"])
    assert "q_safe_day" not in result and "q_informed" not in result and "design_weight" in result
    assert result.attrs["questionnaire"] == "core-v2"
    assert result.attrs["harmonised"]["items"]["q_safe_after_dark"] == "comparable after recoding"
    assert result.attrs["value_labels"]["q_safe_after_dark"][4] == "Unsafe"
    problems = validate_returns(result, v2).problems
    assert set(problems["check"]) == {"missing_column"}  # only the items v2 added or changed are absent


def test_chosen_items_only_and_input_unchanged(setting) -> None:
    wave1, v1, v2 = setting
    before = wave1.copy(deep=True)
    result = harmonise(wave1, v1, v2, items=["q_satisfied_area", "q_safe_after_dark"])
    assert [c for c in result.columns if c.startswith("q_")] == ["q_satisfied_area", "q_safe_after_dark"]
    pd.testing.assert_frame_equal(wave1, before)


def test_codes_the_recode_map_does_not_cover_are_refused(setting) -> None:
    wave1, v1, v2 = setting
    bad = wave1.head(10).astype({"q_safe_after_dark": "Int64"})
    bad.loc[3, "q_safe_after_dark"] = 7
    with pytest.raises(ReturnsError, match=r"q_safe_after_dark: row 3 holds 7, which the recode map to q_safe_after_dark"):
        harmonise(bad, v1, v2, items=["q_safe_after_dark"])


def test_bad_arguments(setting) -> None:
    wave1, v1, v2 = setting
    with pytest.raises(OptionError, match=r"not_comparable='skip' is not recognised; use one of 'raise', 'drop'"):
        harmonise(wave1, v1, v2, not_comparable="skip")
    with pytest.raises(ReturnsError, match="needs the returns as a pandas DataFrame"):
        harmonise("wave1.csv", v1, v2)  # type: ignore[arg-type]
    with pytest.raises(QuestionnaireError, match="to_q must be a Questionnaire"):
        harmonise(wave1, v1, "core-v2")  # type: ignore[arg-type]
    with pytest.raises(ReturnsError, match=r"no column 'q_trust'"):
        harmonise(wave1.drop(columns="q_trust"), v1, v2, items=["q_trust"])
