"""The consortium plan file, and the cost-sharing statement as table, workbook and chart."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import residentsurvey as rs
from residentsurvey.costshare import SHARING_METHODS, cost_statement, plot_statement, write_statement
from residentsurvey.costshare.plan import read_plan, run_plan

EXAMPLE = Path(__file__).parents[2] / "examples" / "consortium_plan.yaml"


def test_example_plan_runs_and_adds_up() -> None:
    result = run_plan(read_plan(EXAMPLE))
    assert result.samples["council"].tolist() == ["Northbridge", "Eastmere", "Southwold Vale", "Westhaven",
                                                  "Middleton Cross"]
    assert (result.samples["margin_achieved"] <= result.samples["margin"]).all()
    # Northbridge's 400 booster returns at 22% response: ceil(400 / 0.22) = 1,819 addresses
    assert result.samples.loc[0, "booster_addresses"] == 1_819
    assert result.shares["total_pence"].sum() == result.shares.attrs["invoice_pence"] == result.consortium.invoice_pence()


def _plan(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


BASE = """councils:
  - name: A
    population: 50000
    margin: 0.03
    response_rate: 0.3
cost_model:
  setup: "£1,000.00"
  per_address: "£1.00"
"""


@pytest.mark.parametrize(("old", "new", "message"), [
    ("response_rate: 0.3", "response_rate: thirty", r"plan\.yaml:5: councils\[0\]\.response_rate: expected a number, found 'thirty'"),
    ('setup: "£1,000.00"', 'setup: "-£1,000.00"', r"plan\.yaml:7: cost_model\.setup: the amount must not be negative"),
    ("    margin: 0.03\n", "", r"plan\.yaml:2: councils\[0\]\.margin: is required"),
    ("population: 50000", "population: 50000\n    modules: [transport]",
     r"plan\.yaml:4: councils\[0\]\.modules\[0\]: module 'transport' is not in cost_model\.modules \(none defined\)"),
    ("cost_model:", "sharing: fairest\ncost_model:", r"plan\.yaml:6: sharing: 'fairest' is not a sharing method; use one of 'equal'"),
    ("    margin: 0.03\n", "    margin: 0.03\n    frame_adresses: 10\n", r"councils\[0\]\.frame_adresses: unknown key"),
])
def test_plan_errors_name_file_line_and_key(tmp_path, old, new, message) -> None:
    assert old in BASE
    with pytest.raises(rs.ResidentSurveyError, match=message):
        read_plan(_plan(tmp_path, BASE.replace(old, new)))


def test_plan_target_the_frame_cannot_meet(tmp_path) -> None:
    plan = read_plan(_plan(tmp_path, BASE.replace("margin: 0.03", "margin: 0.03\n    frame_addresses: 2000")))
    with pytest.raises(rs.SamplingError, match=r"plan\.yaml: councils: council 'A': a margin of 0\.03 needs 1,045 "
                                               r"responses, so 3,484 addresses .* frame holds only 2,000 addresses"):
        run_plan(plan)


def test_statement_table_workbook_and_chart(tmp_path) -> None:
    consortium = run_plan(read_plan(EXAMPLE)).consortium
    statement = cost_statement(consortium)
    assert statement["method"].unique().tolist() == list(SHARING_METHODS)
    assert (statement.groupby("method")["total_pence"].sum() == statement.attrs["invoice_pence"]).all()
    assert statement.drop_duplicates("method").set_index("method")["in_core"].to_dict()["shapley"]
    path = write_statement(statement, tmp_path / "shares.xlsx")
    if path.suffix == ".xlsx":
        sheets = pd.read_excel(path, sheet_name=None)
        assert set(sheets) == {"Shares", "Detail", "Methods"}
        assert sheets["Shares"].set_index("council").loc["Total"].round(2).eq(statement.attrs["invoice_pence"] / 100).all()
    assert write_statement(statement, tmp_path / "shares.csv").read_text().startswith("method,council,")
    import matplotlib

    matplotlib.use("Agg")
    ax = plot_statement(statement)
    assert len(ax.patches) == len(statement)
