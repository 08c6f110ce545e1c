"""What a new user tries first: python -m, piping to head, codebook workbooks, demo files, estimate with -q."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import residentsurvey as rs
from residentsurvey.cli import main

SRC = str(Path(rs.__file__).resolve().parents[1])


def _run(*args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen([sys.executable, "-m", "residentsurvey", *args], env=env, stderr=subprocess.PIPE,
                            **kwargs)


def test_python_dash_m_runs_the_command() -> None:
    process = _run("--version", stdout=subprocess.PIPE)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0 and out.decode().strip() == f"residentsurvey {rs.__version__}", err


def test_a_closed_pipe_ends_quietly_without_a_traceback() -> None:
    process = _run("diff", "core-v1", "core-v2", "--all", "--csv", stdout=subprocess.PIPE)
    process.stdout.close()  # the reader is gone before a line is written, as `| head -0` would be
    err = process.stderr.read().decode()
    process.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipeError" not in err and "Exception ignored" not in err, err
    assert process.returncode == 1


def test_codebook_writes_a_real_workbook(tmp_path, capsys) -> None:
    out = tmp_path / "codebook.xlsx"
    assert main(["codebook", "core-v2", "--out", str(out)]) == 0
    sheets = pd.read_excel(out, sheet_name=None)
    assert set(sheets) == {"codebook", "about"}
    assert list(sheets["codebook"].columns) == list(rs.codebook_table(rs.load_questionnaire("core-v2")).columns)
    assert "q_trust" in set(sheets["codebook"]["question"])
    assert sheets["about"].set_index("item").loc["questionnaire", "value"] == "core-v2"


def test_codebook_takes_the_format_from_the_suffix_and_refuses_others(tmp_path, capsys) -> None:
    assert main(["codebook", "core-v1", "--out", str(tmp_path / "c.html")]) == 0
    assert (tmp_path / "c.html").read_text().startswith("<!DOCTYPE html>")
    assert main(["codebook", "core-v1", "--out", str(tmp_path / "c.txt")]) == 2
    assert "cannot write a codebook as '.txt'; use one of .md, .markdown, .html, .htm, .csv, .xlsx" in capsys.readouterr().err
    assert main(["codebook", "core-v1", "--format", "html", "--out", str(tmp_path / "c.md")]) == 2
    assert "--format html disagrees with the .md suffix" in capsys.readouterr().err
    assert not (tmp_path / "c.txt").exists() and not (tmp_path / "c.md").exists()


def test_demo_returns_writes_every_format_a_contractor_delivers(tmp_path, capsys) -> None:
    folder = tmp_path / "files"
    assert main(["demo", "--returns", str(folder)]) == 0
    assert "residentsurvey report" in capsys.readouterr().out
    names = {p.name for p in folder.iterdir()}
    assert {f"demo-wave{w}.{s}" for w in (1, 2) for s in ("sav", "csv", "xlsx")} | {"demo_targets.csv",
                                                                                   "report.yaml"} == names
    q = rs.load_questionnaire("core-v1")
    sav, xlsx = (rs.read_returns(folder / f"demo-wave1.{s}", q) for s in ("sav", "xlsx"))
    assert len(sav) == len(rs.demo_consortium(wave=1))
    for column in q.item_columns:
        if column in sav.columns:
            pd.testing.assert_series_equal(xlsx[column], sav[column], obj=column)
    config = rs.read_report_config(folder / "report.yaml")
    assert [q.name for _, q in config.waves.values()] == ["core-v1", "core-v2"]


@pytest.fixture(scope="module")
def demo_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("estimate") / "wave1.csv"
    rs.demo_consortium(wave=1).to_csv(path, index=False)
    return path


def test_estimate_with_the_questionnaire_leaves_dont_know_out_of_the_base(demo_csv, tmp_path, capsys) -> None:
    out = tmp_path / "shares.csv"
    assert main(["estimate", str(demo_csv), "-q", "core-v1", "--weights", "design_weight",
                 "--proportion", "q_satisfied_area", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    demo = rs.demo_consortium(wave=1)
    dont_know = int((demo["q_satisfied_area"] == 9).sum())
    assert f"q_satisfied_area: {dont_know} x 9 Don't know" in err and dont_know > 0
    shares = pd.read_csv(out)
    assert shares["category"].tolist() == [1, 2, 3, 4, 5]
    assert shares["label"].tolist()[0] == "Very satisfied"
    assert shares["n"].iloc[0] == int(demo["q_satisfied_area"].notna().sum()) - dont_know
    assert shares["estimate"].sum() == pytest.approx(1.0)
    design = rs.SurveyDesign(demo.assign(q_satisfied_area=demo["q_satisfied_area"].mask(demo["q_satisfied_area"] == 9)),
                             weights="design_weight")
    expected = design.proportion("q_satisfied_area")
    pd.testing.assert_series_equal(shares["se"], expected["se"], check_names=False, rtol=1e-12)


def test_estimate_without_the_questionnaire_says_dont_know_counts(demo_csv, capsys) -> None:
    assert main(["estimate", str(demo_csv), "--weights", "design_weight", "--proportion", "q_satisfied_area"]) == 0
    captured = capsys.readouterr()
    assert "without --questionnaire every code counts as an answer" in captured.err
    assert "q_satisfied_area,9" in captured.out
