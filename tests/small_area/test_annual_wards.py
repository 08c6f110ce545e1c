"""rs.annual_report(..., wards=...) writes the ward estimates, the readers' table with its note, and the chart.

The indicator table, workbook and HTML pages are stubbed out here (they have their own tests and take
most of a report's minute); validation, calibration and the ward step run for real.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import residentsurvey as rs
from residentsurvey.demo import demo_targets
from residentsurvey.report.ward_chart import MODELLED_NOTE


def _wards(designs: dict[object, rs.SurveyDesign]) -> rs.FayHerriot:
    design = designs[1]
    lookup = rs.demo_ward_lookup()[["sector", "ward"]]
    data = design.data.merge(lookup, on="sector", how="left")
    satisfied = data["q_satisfied_area"].isin([1, 2]).astype(float).where(data["q_satisfied_area"].notna())
    design = design.with_columns({"ward": data["ward"].to_numpy(), "satisfied": satisfied.to_numpy()})
    direct = design.proportion("satisfied", by="ward", deff=True)
    return rs.fay_herriot(direct[direct["category"] == 1], rs.demo_wards(), formula="~ imd_band + council",
                          area="ward", transform="arcsin")


def test_annual_report_writes_ward_outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import residentsurvey.report.annual as annual

    monkeypatch.setattr(annual, "indicators", lambda **kwargs: pd.DataFrame())
    monkeypatch.setattr(annual, "indicator_funnel_limits", lambda table: None)
    monkeypatch.setattr(annual, "write_workbook", lambda *args, **kwargs: None)
    monkeypatch.setattr(annual, "write_html_report", lambda *args, **kwargs: [])
    returns = rs.demo_consortium(wave=1)
    report = rs.annual_report({1: (returns, rs.load_questionnaire("core-v1"))},
                              design={"weights": "design_weight", "strata": "stratum",
                                      "psu": ["sector", "respondent_id"],
                                      "fpc": ["sectors_in_stratum", "adults_in_sector"]},
                              targets=demo_targets(), out_dir=tmp_path, wards=_wards)
    names = {p.name for p in report.paths}
    assert {"ward-estimates.csv", "ward-table.csv", "wards.png"} <= names
    estimates = pd.read_csv(tmp_path / "ward-estimates.csv")
    assert len(estimates) == 93 and (estimates["method"] == "synthetic").sum() == 17
    assert (tmp_path / "ward-table.csv").read_text(encoding="utf-8").splitlines()[-1] == f'"Note: {MODELLED_NOTE}"'
