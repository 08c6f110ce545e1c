"""Every exclusion counted on the weighting side: zero, missing and negative weights in the summary and the CLI text."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import residentsurvey as rs
from residentsurvey.cli import main


def _returns() -> pd.DataFrame:
    return pd.DataFrame({"council": ["A"] * 6 + ["B"] * 6, "sex": ["F", "M", "F", "M", "F", "M"] * 2,
                         "w": [1.0, 2.0, 0.0, 1.5, 0.0, 1.0, 2.0, 2.0, 1.0, 0.0, 1.0, 1.0]})


TARGETS = pd.DataFrame({"council": ["A", "A", "B", "B"], "variable": "sex", "category": ["F", "M", "F", "M"],
                        "total": [50.0, 40.0, 30.0, 35.0]})


def test_zero_design_weights_stay_zero_and_are_counted_per_council() -> None:
    design = rs.SurveyDesign(_returns(), weights="w").calibrate(TARGETS, by="council")
    summary = design.weighting_summary(by="council")
    assert summary[["council", "n", "n_weighted", "zero_weights", "missing_weights", "negative_weights"]].to_dict(
        "records") == [
        {"council": "A", "n": 6, "n_weighted": 4, "zero_weights": 2, "missing_weights": 0, "negative_weights": 0},
        {"council": "B", "n": 6, "n_weighted": 5, "zero_weights": 1, "missing_weights": 0, "negative_weights": 0},
    ]
    assert design.calibration.zero_weights.tolist() == [2, 1]
    assert (design.weights[_returns()["w"] == 0] == 0).all()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.just(0.0), st.just(np.nan), st.floats(-5, 50, allow_nan=False)), min_size=1, max_size=40),
       st.data())
def test_the_counts_add_up_to_the_respondents(weights, data) -> None:
    groups = data.draw(st.lists(st.sampled_from("xyz"), min_size=len(weights), max_size=len(weights)))
    w = np.array(weights)
    summary = rs.weighting_summary(w, by=pd.Series(groups, name="g"))
    assert int(summary["n"].sum()) == len(w)
    assert (summary["n"] == summary["n_weighted"] + summary["zero_weights"] + summary["missing_weights"]).all()
    assert int(summary["zero_weights"].sum()) == int((w == 0).sum())
    assert int(summary["missing_weights"].sum()) == int(np.isnan(w).sum())
    assert int(summary["negative_weights"].sum()) == int((w < 0).sum())
    assert summary["sum_weights"].sum() == pytest.approx(np.nansum(w), abs=1e-9)


def test_the_weight_command_counts_zero_and_negative_weights(tmp_path, capsys) -> None:
    returns, targets, out = tmp_path / "returns.csv", tmp_path / "targets.csv", tmp_path / "weighted.csv"
    _returns().to_csv(returns, index=False)
    TARGETS.to_csv(targets, index=False)
    code = main(["weight", str(returns), "--targets", str(targets), "--by", "council", "--weights", "w",
                 "--out", str(out)])
    assert code == 0
    text = capsys.readouterr().out
    assert "zero_weights" in text and "negative_weights" in text
    assert "3 respondent(s) have weight 0 and count in no estimate (zero_weights above)" in text
    assert len(pd.read_csv(out)) == 12


def test_the_weight_command_counts_negative_weights(tmp_path, capsys) -> None:
    rng = np.random.default_rng(3)
    returns = pd.DataFrame({"sex": rng.choice(["F", "M"], 40), "age": rng.normal(45, 15, 40).round(), "w": 1.0})
    returns.loc[0, "age"] = 200.0  # one respondent far from the others: linear calibration pulls their weight below 0
    targets = pd.DataFrame({"variable": ["sex", "sex", "age"], "category": ["F", "M", None],
                            "total": [20.0, 20.0, 40 * 20.0]})
    returns.to_csv(tmp_path / "returns.csv", index=False)
    targets.to_csv(tmp_path / "targets.csv", index=False)
    with pytest.warns(rs.NegativeWeightWarning, match=r"linear calibration made 1 of 40 weights negative \(smallest "):
        code = main(["weight", str(tmp_path / "returns.csv"), "--targets", str(tmp_path / "targets.csv"),
                     "--weights", "w", "--method", "linear", "--out", str(tmp_path / "weighted.csv")])
    assert code == 0
    weighted = pd.read_csv(tmp_path / "weighted.csv")["weight"]
    assert (weighted < 0).sum() == 1
    lines = capsys.readouterr().out.splitlines()
    header = lines[1].split()
    assert lines[2].split()[header.index("negative_weights")] == "1"


def test_bad_starting_weights_name_the_row_the_value_and_the_fix() -> None:
    returns = _returns().astype({"w": object})
    returns.loc[4, "w"] = "tbc"
    with pytest.raises(rs.CalibrationError, match=r"weights column 'w' is missing or not a number for 1 respondent\(s\) "
                                                  r"\(first at row 4, value 'tbc'\).*give 0 to respondents who should "
                                                  r"count in no estimate"):
        rs.calibrate_weights(returns, TARGETS, weights="w", by="council")
    with pytest.raises(rs.CalibrationError, match=r"the starting weights is negative for 2 respondent\(s\) \(first at "
                                                  r"row 1, value -1.0\)"):
        rs.calibrate_weights(_returns(), TARGETS, weights=np.array([1.0, -1, 1, 1, 1, 1, 1, 1, 1, -2, 1, 1]),
                             by="council")
    with pytest.raises(rs.CalibrationError, match=r"the starting weights has 3 values for 12 respondents"):
        rs.calibrate_weights(_returns(), TARGETS, weights=np.ones(3), by="council")
