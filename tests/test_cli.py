"""The command line: exit codes, outputs, and that it computes what the API computes."""

from __future__ import annotations

import pandas as pd
import pytest

import residentsurvey as rs
from residentsurvey.cli import main

from .conftest import DATA
from .report._html_check import page_weight


def test_demo_runs_the_whole_job(tmp_path, capsys) -> None:
    assert main(["demo", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "Wave 1: 6,361 respondents. Validation: no problems found." in printed
    assert "% satisfied with the local area as a place to live" in printed and "All councils" in printed
    assert "SWEMWBS) © NHS Health Scotland" in printed
    table = pd.read_csv(tmp_path / "indicators.csv")
    assert set(table["wave"]) == {1, 2} and table["indicator"].nunique() == 17
    shown = table[table["flag"] != "suppressed"]
    assert (shown["ci_lower"] <= shown["estimate"]).all() and (shown["estimate"] <= shown["ci_upper"]).all()
    assert (tmp_path / "report" / "index.html").exists() and (tmp_path / "indicators.xlsx").exists()
    assert {"validation-wave1.csv", "weighting-wave2.csv", "weights.png"} <= {p.name for p in tmp_path.iterdir()}
    # published outputs: no point ranks, the workbook titled like the report, light pages
    assert "rank" not in table.columns and {"rank_lower", "rank_upper"} <= set(table.columns)
    contents = pd.read_excel(tmp_path / "indicators.xlsx", sheet_name="Contents", header=None)
    assert contents.iloc[0, 0] == "Residents' survey: demo consortium"
    pages = sorted((tmp_path / "report").glob("*.html"))
    assert len(pages) == 6 and all(page.stat().st_size < 500_000 for page in pages)
    assert max(page_weight(page) for page in pages) < 700_000  # with every chart the page shows
    assert "None" not in (tmp_path / "report" / "index.html").read_text(encoding="utf-8").split("<footer>")[1]
    # what drives satisfaction with the local area, and each council's wards
    drivers = pd.read_csv(tmp_path / "key-drivers.csv")
    assert set(drivers["council"]) == {"All councils", "Eastmere", "Middleton Cross", "Northbridge", "Southwold Vale",
                                       "Westhaven"} and drivers["driver"].nunique() == 8
    assert "Key drivers" in pd.ExcelFile(tmp_path / "indicators.xlsx").sheet_names
    index = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="drivers">What drives satisfaction with the local area</h2>' in index
    assert "It measures association, not cause" in index
    eastmere = (tmp_path / "report" / "council-eastmere.html").read_text(encoding="utf-8")
    assert '<h2 id="wards">' in eastmere and "EM-W01" in eastmere and "NB-W01" not in eastmere
    assert "A modelled estimate combines the ward&#x27;s own survey answers" in eastmere
    assert {"ward-estimates.csv", "ward-table.csv", "key-drivers.csv"} <= {p.name for p in tmp_path.iterdir()}


def test_estimate_matches_the_api(tmp_path) -> None:
    out = tmp_path / "out.csv"
    code = main(["estimate", str(DATA / "apistrat.csv"), "--weights", "pw", "--strata", "stype", "--fpc", "fpc",
                 "--by", "stype", "--mean", "api00", "--proportion", "awards", "--out", str(out)])
    assert code == 0
    written = pd.read_csv(out)
    design = rs.SurveyDesign(pd.read_csv(DATA / "apistrat.csv"), weights="pw", strata="stype", fpc="fpc")
    expected = design.mean("api00", by="stype")
    means = written[written["statistic"] == "mean"].reset_index(drop=True)
    pd.testing.assert_series_equal(means["se"], expected["se"], check_names=False)
    assert len(written[written["statistic"] == "proportion"]) == 6


def test_bad_input_exits_2_with_the_reason(tmp_path, capsys) -> None:
    code = main(["estimate", str(DATA / "apistrat.csv"), "--weights", "pww", "--mean", "api00"])
    assert code == 2
    assert "weights column 'pww' is not in the data. Did you mean 'pw'?" in capsys.readouterr().err
    assert main(["estimate", str(tmp_path / "missing.csv"), "--mean", "x"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_unknown_subcommand_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2


def test_warnings_read_as_plain_sentences(capsys) -> None:
    """A library warning reaches a CLI user as `residentsurvey CMD: warning: ...`, not Python's source-line form."""
    import subprocess
    import sys
    import warnings

    from residentsurvey import cli
    from residentsurvey.errors import DesignWarning

    wording = cli._plain_warning("weight")
    assert wording(DesignWarning("fpc dropped"), DesignWarning, "x.py", 1) == "residentsurvey weight: warning: fpc dropped\n"
    assert "x.py:1: UserWarning: other" in wording(UserWarning("other"), UserWarning, "x.py", 1)  # not ours
    # in a real run, on stderr; and the command leaves Python's wording as it found it
    code = ("import warnings, residentsurvey.cli as cli, residentsurvey.errors as e\n"
            "cli.build_parser = lambda: type('P', (), {'parse_args': lambda self, a: type('A', (), "
            "{'command': 'weight', 'run': lambda self, x: warnings.warn('negative', e.NegativeWeightWarning) or 0})()})()\n"
            "before = warnings.formatwarning\nassert cli.main([]) == 0\nassert warnings.formatwarning is before\n")
    err = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stderr
    assert err == "residentsurvey weight: warning: negative\n"
    assert warnings.formatwarning is not wording
