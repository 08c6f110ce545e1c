"""`residentsurvey publish CONFIG.yaml`: from the demo's returns files to open data, explorer and partner file."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import residentsurvey as rs
from residentsurvey.cli import main
from residentsurvey.demo import write_demo_returns



@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("publish")
    write_demo_returns(folder)
    return folder


def test_publish_writes_the_three_outputs(files, capsys):
    (files / "publish.yaml").write_text(
        "report: report.yaml\nout: published\nrelease_date: 2026-11-30\nlicence: CC-BY-4.0\n"
        "microdata:\n  quasi_identifiers: [council, age_band, sex, tenure, ethnicity]\n  k: 5\n"
        "  recode: {ethnicity: {3: 2, 4: 2, 5: 2}}\n  remove: [issued_in_sector, imd_band]\n"
        "  replicates: 10\n  seed: 3\n  format: parquet\n")
    with pytest.warns(rs.DesignWarning, match="fpc after the first stage"):
        assert main(["publish", str(files / "publish.yaml")]) == 0
    out = capsys.readouterr().out
    assert "Partner microdata: " in out and "0 after" in out
    published = files / "published"
    descriptor = json.loads((published / "open-data" / "datapackage.json").read_text())
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert {s["title"] for s in descriptor["sources"]} == {"Questionnaire core-v1", "Questionnaire core-v2"}
    assert "raking" in descriptor["provenance"]["weighting"]
    assert (published / "explorer.html").stat().st_size > 10_000
    partner = pd.read_parquet(published / "partner-microdata-wave2.parquet")
    assert "respondent_id" not in partner and "sector" not in partner and "replicate_10" in partner
    assert set(partner["ethnicity"].dropna().astype(int)) <= {1, 2}
    report = pd.read_csv(published / "partner-microdata-wave2-risk-report.csv")
    assert set(report["step"]) >= {"removed", "recoded"}


def test_publish_config_errors_name_the_key(files, capsys):
    bad = files / "bad.yaml"
    bad.write_text("report: report.yaml\nlicense: OGL-UK-3.0\n")
    assert main(["publish", str(bad)]) == 2
    assert "bad.yaml: license: unknown key" in capsys.readouterr().err
    bad.write_text("out: x\n")
    assert main(["publish", str(bad)]) == 2
    assert "at least `report:`" in capsys.readouterr().err
    bad.write_text("report: report.yaml\nmicrodata: {k: 5}\n")
    assert main(["publish", str(bad)]) == 2
    assert "microdata: expected a mapping with quasi_identifiers" in capsys.readouterr().err
