"""A returns file seeded with one example of every kind of problem: each is reported once, where it is."""

from __future__ import annotations

import pandas as pd
import pytest

import residentsurvey as rs
from residentsurvey.questionnaire import load_questionnaire
from residentsurvey.returns import CHECKS, PROBLEM_COLUMNS, read_returns, validate_returns
from residentsurvey.returns.checks import READING_CHECKS

from .seeded import MINI, N_ROWS, SEEDED, write_csv, write_sav


@pytest.fixture(scope="module")
def mini():
    return load_questionnaire(MINI)


def _found(report) -> list[tuple]:
    problems = report.problems
    return [(p.check, None if pd.isna(p.row) else int(p.row), None if pd.isna(p.column) else p.column)
            for p in problems.itertuples(index=False)]


def test_every_kind_of_problem_in_a_sav_file_is_reported_once_at_its_row_and_column(tmp_path, mini) -> None:
    returns = read_returns(write_sav(tmp_path / "seeded.sav"), mini)
    report = validate_returns(returns, mini)
    expected = [(check, row, column) for check, row, column, _ in SEEDED]
    assert sorted(_found(report), key=str) == sorted(expected, key=str)
    assert {check for check, _, _ in _found(report)} == set(CHECKS) - set(READING_CHECKS)
    assert list(report.problems.columns) == list(PROBLEM_COLUMNS)


def test_the_csv_file_gives_the_same_problems_but_the_sav_label_one(tmp_path, mini) -> None:
    report = validate_returns(read_returns(write_csv(tmp_path / "seeded.csv"), mini), mini)
    expected = [(check, row, column) for check, row, column, _ in SEEDED if check != "value_labels"]
    assert sorted(_found(report), key=str) == sorted(expected, key=str)


def test_problem_rows_carry_respondent_id_value_and_severity(tmp_path, mini) -> None:
    report = validate_returns(read_returns(write_csv(tmp_path / "seeded.csv"), mini), mini)
    p = report.problems.set_index("check")
    assert p.loc["code_not_in_frame", "respondent_id"] == "R009"
    assert p.loc["code_not_in_frame", "value"] == 7
    assert p.loc["not_a_number", "value"] == "forty"
    assert p.loc["duplicate_id", "message"] == "id 'R005' is also used by row 5."
    assert p.loc["straight_lining", "value"] == 2
    assert p.loc["routing_answered", "message"] == "q_use_sat is answered, but it is asked only if q_use in [1]."
    assert p.loc["missing_column", "message"] == "column 'comments' (question comments of mini-v1) is not in the returns."
    assert p.loc["mode", "message"] == "mode 'carrier pigeon' is not one of postal, online, telephone, face_to_face."
    assert pd.isna(p.loc["missing_column", "row"])
    severities = {check: severity for check, (severity, _) in CHECKS.items()}
    assert (report.problems["severity"] == report.problems["check"].map(severities)).all()
    assert report.problems["row"].dtype == "Int64"


def test_file_level_problems_come_first_then_rows_in_order(tmp_path, mini) -> None:
    report = validate_returns(read_returns(write_csv(tmp_path / "seeded.csv"), mini), mini)
    rows = report.problems["row"]
    assert rows.isna().sum() == 2 and rows.iloc[:2].isna().all()
    assert rows.iloc[2:].is_monotonic_increasing


def test_summary_text_counts_and_exit_flags(tmp_path, mini) -> None:
    report = validate_returns(read_returns(write_sav(tmp_path / "seeded.sav"), mini), mini)
    summary = report.summary()
    assert list(summary["check"]) == [c for c in CHECKS if c not in READING_CHECKS]
    assert (summary["problems"] == 1).all()
    assert report.n_errors + report.n_warnings == len(SEEDED)
    assert not report.ok and not report.clean
    text = str(report)
    assert f"{N_ROWS} respondents" in text and f"{report.n_errors} error(s)" in text and "straight_lining" in text
    assert "<table" in report._repr_html_()


def test_exports_reopen_with_every_problem(tmp_path, mini) -> None:
    report = validate_returns(read_returns(write_csv(tmp_path / "seeded.csv"), mini), mini)
    report.to_csv(tmp_path / "problems.csv")
    again = pd.read_csv(tmp_path / "problems.csv")
    assert list(again.columns) == list(PROBLEM_COLUMNS) and len(again) == len(report.problems)
    report.to_excel(tmp_path / "problems.xlsx")
    sheets = pd.read_excel(tmp_path / "problems.xlsx", sheet_name=None)
    assert set(sheets) == {"summary", "problems", "counts", "about"}
    assert len(sheets["problems"]) == len(report.problems)
    assert sheets["about"].set_index("item").loc["questionnaire", "value"] == "mini-v1"


def test_validation_changes_nothing(tmp_path, mini) -> None:
    returns = read_returns(write_sav(tmp_path / "seeded.sav"), mini)
    before, attrs = returns.copy(deep=True), dict(returns.attrs)
    validate_returns(returns, mini)
    pd.testing.assert_frame_equal(returns, before)
    assert returns.attrs == attrs


def test_routing_on_a_blank_filter_is_unknown_and_not_flagged(tmp_path, mini) -> None:
    returns = read_returns(write_csv(tmp_path / "seeded.csv"), mini)
    returns.loc[0, "q_use"] = pd.NA  # q_use_sat answered, but we cannot tell whether it was asked
    returns.loc[1, ["q_use", "q_use_sat"]] = pd.NA
    found = validate_returns(returns, mini).problems
    assert not found["row"].isin([0, 1]).any()


def test_council_module_answered_in_another_council_breaks_routing(tmp_path, mini) -> None:
    returns = read_returns(write_csv(tmp_path / "seeded.csv"), mini)
    returns.loc[15, "q_local"] = 2
    found = validate_returns(returns, mini).problems.query("row == 15")
    assert found[["check", "column"]].values.tolist() == [["routing_answered", "q_local"]]
    assert "council in ['Eastmere']" in found["message"].iloc[0]


def test_wrong_version_from_a_file_label_or_the_columns(mini) -> None:
    v1, v2 = load_questionnaire("core-v1"), load_questionnaire("core-v2")
    wave2 = rs.demo_consortium(wave=2)
    versions = validate_returns(wave2, v1).problems.query("check == 'questionnaire_version'")
    assert versions["message"].tolist() == [
        "the columns fit core-v2 exactly, not core-v1: were the returns checked against the wrong version? If so, "
        "validate against core-v2 (questionnaire='core-v2', or --questionnaire core-v2); the column problems below "
        "would go."]
    claimed = wave2.copy()
    claimed.attrs["questionnaire"] = "core-v1"
    errors = validate_returns(claimed, v2).problems.query("severity == 'error'")
    assert errors["check"].tolist() == ["questionnaire_version"]
    assert errors["message"].iloc[0] == "the returns say they follow core-v1, but are checked against core-v2."


def test_whole_file_on_another_version_is_one_problem(tmp_path, mini) -> None:
    returns = read_returns(write_csv(tmp_path / "seeded.csv"), mini)
    returns["qversion"] = "mini-v2"
    found = validate_returns(returns, mini).problems.query("check == 'questionnaire_version'")
    assert len(found) == 1 and pd.isna(found["row"].iloc[0])


def test_mode_can_be_recorded_for_the_whole_file(tmp_path, mini) -> None:
    frame = pd.read_csv(write_csv(tmp_path / "seeded.csv"), dtype=str).drop(columns="mode")
    frame.to_csv(tmp_path / "no_mode.csv", index=False)
    without = validate_returns(read_returns(tmp_path / "no_mode.csv", mini), mini)
    assert without.problems.query("check == 'mode'")["row"].isna().all()
    assert "read the file with read_returns(..., mode='postal')" in str(without)
    with_mode = read_returns(tmp_path / "no_mode.csv", mini, mode="telephone")
    report = validate_returns(with_mode, mini)
    assert "mode" not in set(report.problems["check"]) and report.modes == ("telephone",)
    assert (with_mode["mode"] == "telephone").all()


@pytest.mark.parametrize("bad", [None, "returns.csv", [1, 2]])
def test_validate_needs_a_dataframe_and_a_questionnaire(bad, mini) -> None:
    with pytest.raises(rs.ReturnsError, match="needs the returns as a pandas DataFrame"):
        validate_returns(bad, mini)  # type: ignore[arg-type]
    with pytest.raises(rs.ReturnsError, match="needs a Questionnaire"):
        validate_returns(pd.DataFrame(), bad)  # type: ignore[arg-type]
