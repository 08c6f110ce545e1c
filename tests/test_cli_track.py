"""residentsurvey track CONFIG.yaml: rolling estimates, changes and the tracker page."""

from pathlib import Path

import pandas as pd
import pytest

import residentsurvey as rs
from residentsurvey.cli import main
from residentsurvey.demo import demo_targets

CONFIG = """title: Demo tracker
design: {weights: design_weight, strata: stratum, psu: [sector, respondent_id],
         fpc: [sectors_in_stratum, adults_in_sector]}
targets: targets.csv
window: 1
indicators: [value_for_money, informed]
returns:
  - {returns: core-v1.csv, questionnaire: core-v1}
  - {returns: core-v2.csv, questionnaire: core-v2}
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("track")
    returns = rs.demo_tracking()
    for version in ("core-v1", "core-v2"):
        returns[returns["questionnaire"] == version].drop(columns="questionnaire").to_csv(root / f"{version}.csv",
                                                                                           index=False)
    demo_targets().to_csv(root / "targets.csv", index=False)
    (root / "track.yaml").write_text(CONFIG, encoding="utf-8")
    return root


def test_track_writes_tables_and_page(folder, capsys):
    assert main(["track", str(folder / "track.yaml"), "--out", str(folder / "out")]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("4 windows (2025Q1 to 2025Q4) x 2 indicators x 5 areas;")
    assert "value_for_money All councils: down from 2025Q2 to 2025Q3" in printed
    table = pd.read_csv(folder / "out" / "tracker.csv")
    assert set(table["indicator"]) == {"value_for_money", "informed"}
    changes = pd.read_csv(folder / "out" / "changes.csv")
    informed = changes[(changes["indicator"] == "informed") & (changes["window_b"] == "2025Q3")]
    assert set(informed["signal"]) == {"not comparable"}
    page = (folder / "out" / "tracker.html").read_text(encoding="utf-8")
    assert page.count("<img ") == 2 * 6  # a chart per indicator and area (5 councils and All councils)
    assert len(list((folder / "out" / "charts").glob("tracker-*.svg"))) == 12
    assert "core-v2 (3006 returns)" in page and "Minimum detectable change" in page
    assert "respondent_id" not in page and "W1-0" not in page


def test_track_bad_config_names_file_and_key(folder, capsys):
    bad = folder / "bad.yaml"
    bad.write_text(CONFIG.replace("window: 1", "window: 0"), encoding="utf-8")
    assert main(["track", str(bad), "--no-charts"]) == 2
    assert "bad.yaml: window: must be a whole number of periods, at least 1; found 0." in capsys.readouterr().err
    bad.write_text(CONFIG + "colour: red\n", encoding="utf-8")
    assert main(["track", str(bad)]) == 2
    assert "bad.yaml: colour: unknown key" in capsys.readouterr().err
