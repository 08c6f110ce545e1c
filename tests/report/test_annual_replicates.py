"""rs.annual_report(..., replicates=...): every standard error from replicate weights, and the notes say so.

One real report on the demo's wave 2 (one-stage design: strata and postcode sectors, each council
raked to its population) with 200 bootstrap replicates, the weighting re-run in each; its indicator
table is set beside rs.indicators on the same calibrated design with Taylor linearisation.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import residentsurvey as rs
from residentsurvey.demo import demo_targets
from residentsurvey.report.annual import _variance_note, replicate_options
from residentsurvey.report.config import read_report_config
from residentsurvey.report.workbook import HEADER_ROW

DESIGN = {"weights": "design_weight", "strata": "stratum", "psu": "sector"}
REPLICATES = {"method": "bootstrap", "replicates": 200, "seed": 2026}


@pytest.fixture(scope="module")
def wave() -> tuple[pd.DataFrame, rs.Questionnaire]:
    return rs.demo_consortium(wave=2), rs.load_questionnaire("core-v2")


@pytest.fixture(scope="module")
def report(wave, tmp_path_factory: pytest.TempPathFactory) -> rs.AnnualReport:
    return rs.annual_report({2: wave}, design=DESIGN, targets=demo_targets(), replicates=REPLICATES,
                            out_dir=tmp_path_factory.mktemp("replicates"))


@pytest.fixture(scope="module")
def taylor(wave) -> pd.DataFrame:
    returns, questionnaire = wave
    design = rs.SurveyDesign(rs.to_codes(returns, questionnaire), **DESIGN)
    design = design.calibrate(rs.targets_as_codes(demo_targets(), questionnaire), by="council")
    return rs.indicators(waves={2: (design, questionnaire)}, by="council")


def test_each_wave_is_a_replicate_design_with_the_weighting_rerun(report: rs.AnnualReport) -> None:
    design = report.designs[2]
    assert isinstance(design, rs.ReplicateDesign)
    assert design.method == "bootstrap" and design.n_replicates == 200
    assert design.calibration is not None and design.calibration.method == "raking"


def test_notes_name_the_variance_method(report: rs.AnnualReport) -> None:
    note = report.variance
    assert "200 sets of bootstrap replicate weights" in note and "re-run for each set" in note
    out = report.paths[0].parent
    notes = pd.read_excel(out / "indicators.xlsx", sheet_name="Notes", header=HEADER_ROW - 1)
    assert notes.loc[notes["Topic"] == "Standard errors", "Note"].tolist() == [note]
    for page in ("index.html", "council-northbridge.html"):
        html = (out / "report" / page).read_text(encoding="utf-8")
        guide = html[html.index('id="guide"'):html.index("</section>", html.index('id="guide"'))]
        assert note in guide


def test_replicate_ses_differ_from_taylor_but_agree_within_30_percent(report: rs.AnnualReport,
                                                                       taylor: pd.DataFrame) -> None:
    keys = ["wave", "indicator", "area"]
    both = report.table.merge(taylor, on=keys, suffixes=("", "_taylor"), validate="one_to_one")
    assert len(both) == len(taylor)
    shown = both[both["flag"] != "suppressed"]
    # the same weights, so the same estimates: only the variance method differs
    np.testing.assert_allclose(shown["estimate"], shown["estimate_taylor"], rtol=1e-6)
    ratio = shown["se"] / shown["se_taylor"]
    assert ratio.between(0.7, 1.3).all(), ratio.describe()
    assert (ratio - 1).abs().max() > 0.05   # a real replicate variance, not the Taylor one relabelled


def test_taylor_note_without_replicates() -> None:
    assert "Taylor linearisation" in _variance_note({}, None, reweighted=False)


def test_replicate_counts_that_differ_by_wave_are_given_as_a_range() -> None:
    class Fake:
        def __init__(self, n: int) -> None:
            self.n_replicates = n

    note = _variance_note({1: Fake(150), 2: Fake(148)}, {"method": "jkn"}, reweighted=False)
    assert "148 to 150 sets of stratified jackknife replicate weights" in note and "re-run" not in note


def test_bad_replicate_options_are_refused_before_any_work(wave) -> None:
    with pytest.raises(rs.OptionError, match=r"replicates method='bootstap' is not recognised; use one of .*'bootstrap'"):
        rs.annual_report({2: wave}, design=DESIGN, replicates="bootstap")
    with pytest.raises(rs.ReportError, match=r"unknown key 'reps'; the keys are method, replicates, seed"):
        rs.annual_report({2: wave}, design=DESIGN, replicates={"method": "bootstrap", "reps": 200})
    with pytest.raises(rs.ReportError, match=r"method is missing; use one of 'jk1', 'jkn'"):
        replicate_options({"replicates": 200})
    with pytest.raises(rs.ReportError, match=r"a method name or a mapping"):
        replicate_options(200)


def test_config_reads_replicates_and_names_the_key_when_wrong(tmp_path: Path) -> None:
    config = tmp_path / "report.yaml"
    rs.demo_consortium(wave=2).to_csv(tmp_path / "wave2.csv", index=False)
    text = ("design: {weights: design_weight, strata: stratum, psu: sector}\n"
            "waves:\n  - {wave: 2, returns: wave2.csv, questionnaire: core-v2}\n")
    config.write_text(text + "replicates: {method: bootstrap, replicates: 200, seed: 2026}\n", encoding="utf-8")
    assert read_report_config(config).replicates == {"method": "bootstrap", "replicates": 200, "seed": 2026}
    config.write_text(text, encoding="utf-8")
    assert read_report_config(config).replicates is None
    config.write_text(text + "replicates: {method: jackknife}\n", encoding="utf-8")
    with pytest.raises(rs.ReportError, match=r"report\.yaml: replicates: replicates method='jackknife' is not "
                                             r"recognised; use one of 'jk1', 'jkn'"):
        read_report_config(config)
