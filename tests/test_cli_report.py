"""`residentsurvey report CONFIG.yaml`: the annual report from returns files, and clear errors for bad configurations."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import residentsurvey as rs
from residentsurvey.cli import main
from residentsurvey.demo import demo_targets

CONFIG = """
title: "Residents' survey 2026"
by: council
out: output
design:
  weights: design_weight
  strata: stratum
  psu: [sector, respondent_id]
  fpc: [sectors_in_stratum, adults_in_sector]
targets: targets.csv
waves:
  - {wave: 1, returns: wave1.csv, questionnaire: core-v1}
  - {wave: 2, returns: wave2.csv, questionnaire: core-v2}
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    for wave in (1, 2):
        rs.demo_consortium(wave=wave).to_csv(folder / f"wave{wave}.csv", index=False)
    demo_targets().to_csv(folder / "targets.csv", index=False)
    (folder / "report.yaml").write_text(CONFIG)
    return folder


def test_report_writes_every_output_and_no_identifier(folder, capsys) -> None:
    assert main(["report", str(folder / "report.yaml")]) == 0
    assert "17 indicators x 7 areas x 2 wave(s)" in capsys.readouterr().out
    out = folder / "output"
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert {"indicators.csv", "indicators.xlsx", "report/index.html", "report/council-northbridge.html",
            "validation-wave2.csv", "weighting-wave1.csv", "weights.png"} <= written
    ids = set(pd.read_csv(folder / "wave1.csv")["respondent_id"]) | set(pd.read_csv(folder / "wave2.csv")["respondent_id"])
    shared = ["indicators.csv", "report/index.html", "report/council-eastmere.html"]
    for name in shared:
        text = (out / name).read_text(encoding="utf-8")
        assert not any(i in text for i in list(ids)[:2000]), name
    workbook = pd.read_excel(out / "indicators.xlsx", sheet_name=None)
    cells = {str(v) for sheet in workbook.values() for v in sheet.to_numpy().ravel()}
    assert not cells & ids


def test_bad_configurations_name_file_and_key(folder, capsys) -> None:
    bad = folder / "bad.yaml"
    bad.write_text(CONFIG.replace("targets: targets.csv", "targets: nowhere.csv"))
    assert main(["report", str(bad)]) == 2
    assert f"{bad}: targets: no such file" in capsys.readouterr().err
    bad.write_text(CONFIG + "colour: blue\n")
    assert main(["report", str(bad)]) == 2
    assert "colour: unknown key" in capsys.readouterr().err
    bad.write_text(CONFIG.replace("questionnaire: core-v2", "questionnaire: core-v9"))
    assert main(["report", str(bad)]) == 2
    assert "waves[1]" in capsys.readouterr().err


def test_a_wave_can_name_its_workbook_sheet_and_unknown_wave_keys_are_refused(tmp_path) -> None:
    # a contractor's workbook with a cover sheet and the returns on a second sheet
    returns = rs.demo_consortium(wave=1).head(40)
    with pd.ExcelWriter(tmp_path / "wave1.xlsx") as writer:
        pd.DataFrame({"note": ["Delivered 2026-11-30", "Contact: fieldwork team"]}).to_excel(
            writer, sheet_name="Cover", index=False)
        returns.to_excel(writer, sheet_name="Returns", index=False)
    config = tmp_path / "report.yaml"
    config.write_text("design: {weights: design_weight}\n"
                      "waves:\n  - {wave: 1, returns: wave1.xlsx, questionnaire: core-v1, sheets: Returns}\n")
    read = rs.read_report_config(config)
    assert len(read.waves[1][0]) == 40
    config.write_text(config.read_text().replace("sheets: Returns", "sheet: Returns"))
    with pytest.raises(rs.ReportError, match=r"waves\[0\]: unknown key\(s\) sheet; a wave takes header_row"):
        rs.read_report_config(config)
    config.write_text(config.read_text().replace(", sheet: Returns", ""))
    with pytest.raises(rs.ReportError, match="Cover"):  # the sheets differ: refused, naming them
        rs.read_report_config(config)
