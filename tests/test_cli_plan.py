"""`residentsurvey plan`: the example plan, machine-readable output, the statement and exit codes."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from residentsurvey.cli import main

EXAMPLE = Path(__file__).parent.parent / "examples" / "consortium_plan.yaml"


def test_plan_prints_sizes_addresses_and_shares(capsys) -> None:
    assert main(["plan", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "Northbridge" in out and "addresses" in out and "Invoice £" in out
    assert "Core: no group of councils pays more than it would alone (31 groups checked)." in out


def test_plan_csv_matches_the_api(capsys) -> None:
    from residentsurvey.costshare.plan import read_plan, run_plan

    assert main(["plan", str(EXAMPLE), "--csv", "--method", "achieved"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    expected = run_plan(read_plan(EXAMPLE), method="achieved")
    assert table["total_pence"].tolist() == expected.shares["total_pence"].tolist()
    assert table["addresses"].tolist() == expected.samples["addresses"].tolist()


def test_plan_outside_the_core_exits_1_and_writes_the_statement(tmp_path, capsys) -> None:
    out = tmp_path / "statement.xlsx"
    assert main(["plan", str(EXAMPLE), "--method", "population", "--statement", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "would pay less alone" in printed and "Wrote" in printed
    assert out.exists() or out.with_suffix(".csv").exists()


def test_plan_bad_input_exits_2(tmp_path, capsys) -> None:
    assert main(["plan", str(tmp_path / "missing.yaml")]) == 2
    assert "missing.yaml: cannot read the plan" in capsys.readouterr().err
    assert main(["plan", str(EXAMPLE), "--method", "lottery"]) == 2
    assert "method='lottery' is not recognised" in capsys.readouterr().err
