"""`residentsurvey weight`: calibrates, writes the weights and a report, and refuses bad targets clearly."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

import residentsurvey as rs
from residentsurvey.cli import main
from residentsurvey.demo import demo_targets

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture(scope="module")
def returns_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("returns") / "returns.csv"
    rs.demo_consortium().to_csv(path, index=False)
    return path


def test_the_shipped_demo_targets_are_the_demo_populations() -> None:
    shipped = pd.read_csv(EXAMPLES / "demo_targets.csv")
    expected = demo_targets().astype({"council": str, "variable": str, "category": str, "total": "int64"})
    pd.testing.assert_frame_equal(shipped, expected, check_dtype=False)


def test_weight_writes_calibrated_weights_and_a_report(returns_csv, tmp_path, capsys) -> None:
    out, report = tmp_path / "weighted.csv", tmp_path / "report"
    code = main(["weight", str(returns_csv), "--targets", str(EXAMPLES / "demo_targets.csv"), "--by", "council",
                 "--weights", "design_weight", "--out", str(out), "--report", str(report)])
    assert code == 0
    weighted = pd.read_csv(out)
    targets = demo_targets().astype({"council": str})
    population = targets.query("variable == 'tenure'").groupby("council")["total"].sum().sort_index()
    achieved = weighted.groupby("council")["weight"].sum().sort_index()
    assert achieved.to_dict() == pytest.approx(population.astype(float).to_dict(), rel=1e-9)
    assert {p.name for p in report.iterdir()} == {"weighting_summary.csv", "achieved_margins.csv", "weights.png"}
    assert pd.read_csv(report / "achieved_margins.csv")["relative_error"].max() < 1e-9
    assert "Calibrated 6,361 respondents by raking" in capsys.readouterr().out


def test_weight_writes_a_labelled_sav_from_the_questionnaire(returns_csv, tmp_path) -> None:
    out = tmp_path / "weighted.sav"
    assert main(["weight", str(returns_csv), "-q", "core-v1", "--targets", str(EXAMPLES / "demo_targets.csv"),
                 "--by", "council", "--weights", "design_weight", "--out", str(out)]) == 0
    data, meta = pyreadstat.read_sav(str(out))
    assert "weight" in meta.column_names and len(data) == 6361
    assert meta.column_names_to_labels["weight"] == ("Calibrated weight: raking to age_band:sex, tenure, ethnicity "
                                                     "within council")
    assert meta.variable_value_labels["sex"] == {1.0: "Female", 2.0: "Male"}
    assert meta.column_names_to_labels["q_satisfied_area"].startswith("Overall, how satisfied")


def test_weight_refuses_an_unlabelled_sav_and_says_how(returns_csv, tmp_path, capsys) -> None:
    out = tmp_path / "weighted.sav"
    assert main(["weight", str(returns_csv), "--targets", str(EXAMPLES / "demo_targets.csv"), "--by", "council",
                 "--out", str(out)]) == 2
    assert "a .sav file needs variable and value labels" in capsys.readouterr().err
    assert not out.exists()


def test_a_sav_without_the_questionnaire_uses_its_own_labels(tmp_path) -> None:
    returns = tmp_path / "returns.sav"
    rs.write_sav(rs.demo_consortium(), returns, rs.load_questionnaire("core-v1"))
    out = tmp_path / "weighted.sav"
    assert main(["weight", str(returns), "--targets", str(EXAMPLES / "demo_targets.csv"), "--by", "council",
                 "--weights", "design_weight", "--out", str(out)]) == 0
    data, meta = pyreadstat.read_sav(str(out), user_missing=True)
    assert meta.variable_value_labels["tenure"][1.0] == "Owner" and meta.file_label.startswith("core-v1 ")
    assert int((data["q_trust"] == 9).sum()) == int((rs.demo_consortium()["q_trust"] == 9).sum())  # none blanked
    population = demo_targets().query("variable == 'tenure'").groupby("council")["total"].sum()
    assert data.groupby("council")["weight"].sum().to_dict() == pytest.approx(population.astype(float).to_dict())


def test_weight_reports_bad_targets_with_exit_2(returns_csv, tmp_path, capsys) -> None:
    targets = demo_targets()
    targets.loc[0, "total"] += 5000  # age-by-sex no longer sums to the same population as tenure
    bad = tmp_path / "targets.csv"
    targets.to_csv(bad, index=False)
    code = main(["weight", str(returns_csv), "--targets", str(bad), "--by", "council", "--out", str(tmp_path / "o.csv")])
    assert code == 2
    assert "inconsistent margin totals for council='Northbridge'" in capsys.readouterr().err
