"""The Excel workbook reopens with pandas and carries every flag, blank where suppressed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import residentsurvey.report as report
from residentsurvey.report.workbook import HEADER_ROW

from .conftest import SWEMWBS_NOTICE


@pytest.fixture()
def sheets(table: pd.DataFrame, bands: pd.DataFrame, tmp_path: Path) -> dict[str, pd.DataFrame]:
    path = report.write_workbook(table, tmp_path / "indicators.xlsx", bands=bands)
    return pd.read_excel(path, sheet_name=None, header=HEADER_ROW - 1)


def test_sheets_one_per_indicator_plus_contents_notes_and_keys(sheets: dict[str, pd.DataFrame]) -> None:
    assert list(sheets) == ["Contents", "Notes", "Suppression key", "Flagged estimates", "satisfied_area",
                            "safe_after_dark", "life_satisfaction", "swemwbs", "Bands"]
    assert list(sheets["Contents"]["Sheet"]) == [s for s in sheets if s != "Contents"]


def test_every_row_and_flag_round_trips(table: pd.DataFrame, sheets: dict[str, pd.DataFrame]) -> None:
    for indicator, rows in table.groupby("indicator"):
        sheet = sheets[indicator]
        assert len(sheet) == len(rows)
        merged = sheet.merge(rows, left_on=["Wave", "Area"], right_on=["wave", "area"], validate="one_to_one")
        assert list(merged["Flag"]) == list(merged["flag"].str.replace("_", " "))
        assert list(merged["Flag reason"].astype(object).fillna("")) == list(merged["flag_reason"])
        estimate = next(c for c in sheet.columns if c.startswith("Estimate"))
        scale = 100.0 if rows["statistic"].iloc[0] == "share" else 1.0
        np.testing.assert_allclose(merged[estimate], merged["estimate"] * scale, rtol=1e-12)
        np.testing.assert_array_equal(merged["Unweighted base"], merged["n"])
    flagged = sheets["Flagged estimates"]
    expected = table[table["flag"] != "ok"]
    assert len(flagged) == len(expected)
    assert sorted(flagged["Flag"]) == sorted(expected["flag"].str.replace("_", " "))


def test_suppressed_estimates_are_blank_with_the_flag_visible(sheets: dict[str, pd.DataFrame]) -> None:
    sheet = sheets["swemwbs"]
    suppressed = sheet[sheet["Flag"] == "suppressed"]
    assert set(suppressed["Area"]) == {"Eastmere", "Southwold Vale"}
    blank = ["Estimate (mean, 7-35)", "Lower 95% CI", "Upper 95% CI", "Standard error",
             "Difference from All councils (points on the 7-35 scale)", "Rank interval"]
    assert suppressed[blank].isna().all().all()
    assert list(suppressed["Unweighted base"]) == [28, 24]
    assert all(r.startswith("unweighted base") for r in suppressed["Flag reason"])


def test_shares_are_percentages_and_ranks_are_intervals(sheets: dict[str, pd.DataFrame]) -> None:
    sheet = sheets["satisfied_area"]
    assert sheet["Estimate (%)"].between(50, 100).all()
    assert "Rank interval" in sheet and "Rank" not in sheet
    assert set(sheet["Rank interval"].dropna()) <= {f"{a} to {b} of 5" for a in range(1, 6) for b in range(1, 6)}
    assert sheet["Area type"].iloc[-2:].tolist() == ["All councils (population-weighted)",
                                                     "Average council (equal weights)"]


def test_notes_carry_level_thresholds_definitions_versions_and_notices(sheets: dict[str, pd.DataFrame]) -> None:
    notes = dict(zip(sheets["Notes"]["Topic"], sheets["Notes"]["Note"]))
    text = " ".join(sheets["Notes"]["Note"])
    assert notes["Confidence level"] == "95% confidence intervals"
    assert "suppress below: 30" in text and "caution below: 50" in text
    assert notes["All councils"].startswith("All councils: every respondent")
    assert "Wave 1: core-v1" in text and "Wave 2: core-v2" in text
    assert notes["Copyright"] == SWEMWBS_NOTICE
    assert "simply ranking local authorities" in notes["No league table"]
    key = sheets["Suppression key"]
    assert list(key["Flag"]) == ["ok", "caution", "low reliability", "suppressed"]


def test_the_swemwbs_sheet_prints_its_notice(table: pd.DataFrame, tmp_path: Path) -> None:
    path = report.write_workbook(table, tmp_path / "w.xlsx")
    top = pd.read_excel(path, sheet_name="swemwbs", header=None, nrows=HEADER_ROW - 1)[0].fillna("").tolist()
    assert top[0] == "Mean mental wellbeing score (SWEMWBS, 7-35)"
    assert SWEMWBS_NOTICE in top
    top = pd.read_excel(path, sheet_name="satisfied_area", header=None, nrows=HEADER_ROW - 1)[0].fillna("").tolist()
    assert SWEMWBS_NOTICE not in top


def test_bands_sheet_blanks_suppressed_shares(sheets: dict[str, pd.DataFrame]) -> None:
    bands = sheets["Bands"]
    suppressed = bands[bands["Flag"] == "suppressed"]
    assert len(suppressed) == 4 and suppressed["Share (%)"].isna().all()
    shown = bands[bands["Flag"] != "suppressed"]
    assert np.allclose(shown.groupby(["Wave", "Area"])["Share (%)"].sum(), 100)
