"""The annual report's key-driver step and ward section: the HTML sections with their notes, the workbook
sheet, the configuration key and bad input, on the demo's latest wave."""

from __future__ import annotations

from html import escape
import re
from dataclasses import replace
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

import residentsurvey as rs  # noqa: E402
import residentsurvey.report as report  # noqa: E402
from residentsurvey.analysis.indicators import ALL_COUNCILS  # noqa: E402
from residentsurvey.demo import DEMO_DRIVERS, demo_design, demo_ward_estimates  # noqa: E402
from residentsurvey.report.drivers_step import DRIVERS_NOTE, driver_step, run_driver_step  # noqa: E402
from residentsurvey.report.ward_chart import MODELLED_NOTE  # noqa: E402
from residentsurvey.report.workbook import HEADER_ROW  # noqa: E402

from ._html_check import audit_page, page_weight  # noqa: E402
from .conftest import build_table  # noqa: E402
from .test_html import _NO_CHROMIUM, measure_on_phone  # noqa: E402

WARD_LABEL = "% satisfied with the local area as a place to live"


@pytest.fixture(scope="module")
def design() -> rs.SurveyDesign:
    return demo_design(wave=2)


@pytest.fixture(scope="module")
def drivers(design: rs.SurveyDesign):
    return run_driver_step(driver_step(DEMO_DRIVERS), design, rs.load_questionnaire("core-v2"), wave=2,
                           by="council", level=0.95, overall=ALL_COUNCILS)


@pytest.fixture(scope="module")
def wards(design: rs.SurveyDesign) -> pd.DataFrame:
    return demo_ward_estimates({2: design})


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, drivers, wards: pd.DataFrame) -> list[Path]:
    folder = tmp_path_factory.mktemp("sections")
    return report.write_html_report(build_table(), folder, drivers=drivers, wards=wards, ward_label=WARD_LABEL)


def _section(page: Path, key: str) -> str:
    found = re.search(rf'<section aria-labelledby="{key}">.*?</section>', page.read_text(encoding="utf-8"), re.S)
    assert found, (page.name, key)
    return found.group(0)


def test_the_driver_step_computes_what_key_drivers_computes(drivers, design: rs.SurveyDesign) -> None:
    from residentsurvey.analysis.indicator_values import indicator_values

    values = indicator_values(design.data, rs.load_questionnaire("core-v2"))
    direct = rs.key_drivers(design.with_columns(values), "satisfied_area", DEMO_DRIVERS["drivers"], by="council",
                            overall_label=ALL_COUNCILS)
    pd.testing.assert_frame_equal(drivers.drivers.table, direct.table)
    assert drivers.title == "What drives satisfaction with the local area"
    assert drivers.outcome_label == WARD_LABEL
    assert drivers.labels["trust_council"] == "Trust the council"
    readable = drivers.readable()
    assert readable.groupby("area")["importance_pct"].sum().round(9).eq(100).all()


def test_the_consortium_page_explains_the_drivers_and_draws_the_matrix(pages: list[Path]) -> None:
    section = _section(pages[0], "drivers")
    text = audit_page(section).text
    assert "What drives satisfaction with the local area" in text
    assert "association, not cause" in DRIVERS_NOTE and escape(DRIVERS_NOTE) in section
    assert "across all councils" in text and "Rank interval" in section
    assert 'src="charts/drivers-all-councils-w2.svg"' in section
    rows = re.findall(r'<tr role="row"><th role="rowheader" scope="row">([^<]*)</th>', section)
    assert len(rows) == 8 and set(rows) == set(DEMO_DRIVERS["labels"].values())
    assert 'href="#drivers"' in pages[0].read_text(encoding="utf-8")  # in the contents


def test_each_council_page_shows_its_own_drivers(pages: list[Path], drivers) -> None:
    for page, council in zip(pages[1:], ["Eastmere", "Middleton Cross", "Northbridge", "Southwold Vale",
                                         "Westhaven"]):
        section = _section(page, "drivers")
        assert f"in {council}" in section
        n = int(drivers.rows(council)["n"].iloc[0])
        assert f"{n:,} respondents answered the outcome and every driver" in section
        assert f'charts/drivers-{rs.report.council_filename(council)[8:-5]}-w2.svg' in section
        assert (page.parent / "charts" / f"drivers-{rs.report.council_filename(council)[8:-5]}-w2.svg").exists()


def test_a_council_with_too_few_respondents_is_pointed_to_the_consortium(drivers, tmp_path: Path) -> None:
    strict = replace(drivers, min_n=700)  # Eastmere has 709, Middleton Cross 627
    pages = report.write_html_report(build_table(), tmp_path, drivers=strict)
    middleton = _section(pages[2], "drivers")
    assert "fewer than the 700 a stable key-driver analysis needs" in middleton
    assert "<img" not in middleton and "<table" not in middleton
    assert "<img" in _section(pages[1], "drivers")  # Eastmere keeps its own


def test_each_council_page_shows_its_wards_with_the_note(pages: list[Path], wards: pd.DataFrame) -> None:
    for page, council in zip(pages[1:], ["Eastmere", "Middleton Cross", "Northbridge", "Southwold Vale",
                                         "Westhaven"]):
        section = _section(page, "wards")
        mine = wards[wards["council"] == council]
        shown = re.findall(r'<th role="rowheader" scope="row" class="nowrap">([^<]*)</th>', section)
        assert shown == sorted(mine["ward"]), council
        assert escape(MODELLED_NOTE) in section
        assert "Modelled 95% interval" in section and "Survey 95% interval" in section
        assert section.count("model only: no respondents") == int((mine["method"] == "synthetic").sum())
        assert f"charts/wards-{rs.report.council_filename(council)[8:-5]}.svg" in section
    index = _section(pages[0], "wards")
    assert escape(MODELLED_NOTE) in index and index.count("<li>") == 5 and "council-northbridge.html#wards" in index


def test_the_pages_stay_light_and_accessible(pages: list[Path]) -> None:
    for page in pages:
        assert page_weight(page) < 500_000, (page.name, page_weight(page))
        audit = audit_page(page.read_text(encoding="utf-8"))
        assert audit.tables == audit.captions and audit.external == [] and audit.scripts == 0
        assert all(len(image.get("alt") or "") > 40 for image in audit.images)


def test_the_workbook_has_a_key_driver_sheet(drivers, tmp_path: Path) -> None:
    path = report.write_workbook(build_table(), tmp_path / "w.xlsx", drivers=drivers)
    sheet = pd.read_excel(path, sheet_name="Key drivers", header=HEADER_ROW - 1)
    assert len(sheet) == 6 * 8 and set(sheet["Area"]) == {ALL_COUNCILS, "Eastmere", "Middleton Cross", "Northbridge",
                                                          "Southwold Vale", "Westhaven"}
    assert sheet.groupby("Area")["Importance (%)"].sum().round(6).eq(100).all()
    notes = pd.read_excel(path, sheet_name="Key drivers", header=None, nrows=3)[0].tolist()
    assert notes[0] == "What drives satisfaction with the local area" and notes[2] == DRIVERS_NOTE
    contents = pd.read_excel(path, sheet_name="Contents", header=HEADER_ROW - 1)
    assert "Key drivers" in set(contents["Sheet"])


@pytest.mark.parametrize(("options", "message"), [
    ({"outcome": "satisfied_area", "drivers": ["trust_council"], "metod": "shapley"},
     "drivers: unknown key 'metod'; the keys are outcome, drivers, method, labels, min_n, title."),
    ({"outcome": "satisfied_area", "drivers": "trust_council"},
     "drivers: drivers must be a list of indicator ids; found 'trust_council'."),
    ({"drivers": ["trust_council"]}, "drivers: outcome is missing"),
    ({"outcome": "satisfied_area", "drivers": []}, "the list of drivers is empty"),
    ({"outcome": "satisfied_area", "drivers": ["trust_council"], "min_n": 0}, "min_n must be a positive whole number"),
])
def test_bad_driver_steps_say_what_to_fix(options: dict, message: str) -> None:
    with pytest.raises(rs.ReportError, match=re.escape(message)):
        driver_step(options)


def test_an_unknown_method_lists_the_valid_ones() -> None:
    with pytest.raises(rs.OptionError, match=r"drivers method='lmg' is not recognised; use one of 'shapley', "
                                             r"'relative_weights'"):
        driver_step({"outcome": "satisfied_area", "drivers": ["trust_council"], "method": "lmg"})


def test_a_driver_that_is_not_an_indicator_is_named(design: rs.SurveyDesign) -> None:
    step = driver_step({"outcome": "satisfied_area", "drivers": ["q_trust"]})
    with pytest.raises(rs.ReportError, match=r"drivers: 'q_trust' is not an indicator of core-v2 \(wave 2\); use one "
                                             r"of satisfied_area, satisfied_council"):
        run_driver_step(step, design, rs.load_questionnaire("core-v2"), wave=2, by="council", level=0.95,
                        overall=ALL_COUNCILS)


def test_the_configuration_reads_the_drivers_key(tmp_path: Path) -> None:
    rs.demo_consortium(wave=2).head(50).to_csv(tmp_path / "w2.csv", index=False)
    base = ("design: {weights: design_weight, strata: stratum, psu: sector}\n"
            "waves:\n  - {wave: 2, returns: w2.csv, questionnaire: core-v2}\n")
    (tmp_path / "good.yaml").write_text(base + "drivers: {outcome: satisfied_area, drivers: [trust_council, belonging],"
                                        " method: relative_weights}\n")
    config = rs.read_report_config(tmp_path / "good.yaml")
    assert config.drivers.drivers == ("trust_council", "belonging") and config.drivers.method == "relative_weights"
    (tmp_path / "bad.yaml").write_text(base + "drivers: {outcome: satisfied_area}\n")
    with pytest.raises(rs.ReportError, match=re.escape(f"{tmp_path / 'bad.yaml'}: drivers: drivers is missing")):
        rs.read_report_config(tmp_path / "bad.yaml")


@_NO_CHROMIUM
@pytest.mark.parametrize("page", ["index.html", "council-northbridge.html"])
def test_the_sections_reflow_on_a_390px_phone(pages: list[Path], page: str, tmp_path: Path) -> None:
    measured = measure_on_phone(pages[0].parent, page, tmp_path)
    assert measured["scroll"] <= measured["inner"] == 390, measured
    assert measured["overflow"] == [], measured


def test_with_replicate_weights_the_drivers_come_from_the_design_before_replication(tmp_path: Path) -> None:
    returns = rs.demo_consortium(wave=2)
    result = rs.annual_report({2: (returns, rs.load_questionnaire("core-v2"))},
                              design={"weights": "design_weight", "strata": "stratum", "psu": "sector"},
                              replicates={"method": "bootstrap", "replicates": 10, "seed": 2026},
                              drivers={"outcome": "satisfied_area", "drivers": ["trust_council", "safe_after_dark"]},
                              out_dir=tmp_path)
    assert hasattr(result.designs[2], "n_replicates")
    assert result.drivers.drivers.interval_method.startswith("delete-one-PSU jackknife")
    taylor = rs.SurveyDesign(returns, weights="design_weight", strata="stratum", psu="sector")
    from residentsurvey.analysis.indicator_values import indicator_values

    expected = rs.key_drivers(taylor.with_columns(indicator_values(taylor.data, rs.load_questionnaire("core-v2"))),
                              "satisfied_area", ["trust_council", "safe_after_dark"], overall_label=ALL_COUNCILS)
    pd.testing.assert_frame_equal(result.drivers.drivers.table, expected.table)
    assert (tmp_path / "key-drivers.csv").exists()
