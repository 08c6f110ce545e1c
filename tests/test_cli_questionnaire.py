"""The validate, diff and codebook subcommands: exit codes and readable output."""

from __future__ import annotations

import pandas as pd

import residentsurvey as rs
from residentsurvey.cli import main

from .returns.seeded import MINI, write_csv


def test_validate_clean_returns_exit_0(tmp_path, capsys) -> None:
    path = tmp_path / "wave1.csv"
    rs.demo_consortium().head(200).to_csv(path, index=False)
    assert main(["validate", str(path), "--questionnaire", "core-v1"]) == 0
    out = capsys.readouterr().out
    assert "200 respondents" in out and "No problems found." in out


def test_validate_with_problems_exits_1_and_writes_them(tmp_path, capsys) -> None:
    path = write_csv(tmp_path / "seeded.csv")
    out_file = tmp_path / "problems.xlsx"
    assert main(["validate", str(path), "-q", str(MINI), "--out", str(out_file)]) == 1
    printed = capsys.readouterr().out
    assert "error(s)" in printed and "duplicate_id" in printed and "line 8 (R005)" in printed  # the file's line
    assert len(pd.read_excel(out_file, sheet_name="problems")) == 17  # every seeded problem but the .sav label
    assert main(["validate", str(path), "-q", str(MINI), "--csv"]) == 1
    assert capsys.readouterr().out.startswith("row,location,respondent_id,column,value,check,severity,message")


def test_warnings_fail_only_with_strict(tmp_path) -> None:
    path = tmp_path / "wave2.csv"
    rs.demo_consortium(wave=2).to_csv(path, index=False)
    assert main(["validate", str(path), "-q", "core-v2"]) == 0
    assert main(["validate", str(path), "-q", "core-v2", "--strict"]) == 1


def test_validate_bad_usage_exits_2(tmp_path, capsys) -> None:
    assert main(["validate", str(tmp_path / "missing.csv"), "-q", "core-v1"]) == 2
    assert "no such returns file" in capsys.readouterr().err
    path = tmp_path / "x.csv"
    path.write_text("respondent_id\nA\n")
    assert main(["validate", str(path), "-q", "core-v9"]) == 2
    assert "has no shipped questionnaire 'core-v9'" in capsys.readouterr().err


def test_diff_lists_changes_with_verdicts(capsys) -> None:
    assert main(["diff", "core-v1", "core-v2"]) == 0
    out = capsys.readouterr().out
    assert "q_safe_after_dark" in out and "comparable after recoding" in out and "q_safe_day" in out
    assert "satisfied_area " not in out  # unchanged indicators are left out without --all
    assert main(["diff", "core-v1", "core-v2", "--csv", "--all"]) == 0
    assert "satisfied_area,unchanged" in capsys.readouterr().out


def test_codebook_writes_each_format(tmp_path, capsys) -> None:
    assert main(["codebook", "core-v2"]) == 0
    assert capsys.readouterr().out.startswith("# Consortium residents' survey")
    out = tmp_path / "codebook.html"
    assert main(["codebook", "core-v2", "--format", "html", "--out", str(out)]) == 0
    assert out.read_text().startswith("<!DOCTYPE html>")
