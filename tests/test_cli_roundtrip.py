"""Two routes that must agree: demo returns as .sav (codes, labels in the file) and as CSV (labels spelt out).

demo returns -> ``rs.write_sav`` -> ``residentsurvey weight`` -> ``residentsurvey report`` gives the same
weights and indicators as the CSV route, with targets given by label. One wave of two councils keeps it quick.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest

import residentsurvey as rs
from residentsurvey.cli import main
from residentsurvey.demo import demo_targets

COUNCILS = ["Eastmere", "Northbridge"]
CONFIG = """
title: Round trip
by: council
out: {out}
design:
  weights: weight
  strata: stratum
  psu: [sector, respondent_id]
targets: targets.csv
waves:
  - {{wave: 1, returns: {returns}, questionnaire: core-v1}}
"""


@pytest.fixture(scope="module")
def routes(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("roundtrip")
    returns = rs.demo_consortium(wave=1)
    returns = returns[returns["council"].isin(COUNCILS)].reset_index(drop=True)
    targets = demo_targets()
    targets[targets["council"].isin(COUNCILS)].to_csv(folder / "targets.csv", index=False)
    rs.write_sav(returns, folder / "wave1.sav", rs.load_questionnaire("core-v1"))
    returns.to_csv(folder / "wave1.csv", index=False)
    for route in ("sav", "csv"):
        assert main(["weight", str(folder / f"wave1.{route}"), "-q", "core-v1", "--targets", str(folder / "targets.csv"),
                     "--by", "council", "--weights", "design_weight", "--out", str(folder / f"weighted-{route}.sav")]) == 0
        (folder / f"report-{route}.yaml").write_text(CONFIG.format(out=f"out-{route}", returns=f"weighted-{route}.sav"))
        assert main(["report", str(folder / f"report-{route}.yaml")]) == 0
    return {"folder": folder}


def test_a_sav_with_codes_weights_to_targets_given_by_label(routes) -> None:
    folder = routes["folder"]
    sav, _ = pyreadstat.read_sav(str(folder / "weighted-sav.sav"))
    csv, _ = pyreadstat.read_sav(str(folder / "weighted-csv.sav"))
    assert len(sav) == len(csv) > 2000
    np.testing.assert_allclose(sav["weight"], csv["weight"], rtol=1e-12)
    totals = pd.read_csv(folder / "targets.csv").query("variable == 'tenure'").groupby("council")["total"].sum()
    achieved = sav.groupby("council")["weight"].sum()
    assert achieved.to_dict() == pytest.approx(totals.astype(float).to_dict(), rel=1e-9)


def test_both_routes_give_the_same_indicators(routes) -> None:
    folder = routes["folder"]
    sav = pd.read_csv(folder / "out-sav" / "indicators.csv")
    csv = pd.read_csv(folder / "out-csv" / "indicators.csv")
    assert sav["indicator"].nunique() >= 10 and set(sav["area"]) >= set(COUNCILS)
    pd.testing.assert_frame_equal(sav, csv, check_exact=False, rtol=1e-10)


def test_the_weighted_sav_keeps_codes_labels_and_declared_missing_codes(routes) -> None:
    data, meta = pyreadstat.read_sav(str(routes["folder"] / "weighted-csv.sav"), user_missing=True)
    assert meta.column_names_to_labels["weight"].startswith("Calibrated weight: raking to age_band:sex")
    assert meta.column_names_to_labels["q_trust"] == "How much do you trust [name of council]?"
    assert meta.variable_value_labels["age_band"][1.0] == "16-34"
    assert meta.variable_value_labels["q_trust"][9.0] == "Don't know"
    assert meta.missing_ranges["q_trust"] == [{"lo": 9.0, "hi": 9.0}]
    original = rs.demo_consortium(wave=1)
    original = original[original["council"].isin(COUNCILS)]
    assert int((data["q_trust"] == 9).sum()) == int((original["q_trust"] == 9).sum()) > 0  # nothing blanked


def test_the_report_counts_the_dont_know_answers_it_leaves_out(routes) -> None:
    counts = pd.read_csv(routes["folder"] / "out-sav" / "missing-codes-wave1.csv")
    original = rs.demo_consortium(wave=1)
    original = original[original["council"].isin(COUNCILS)]
    trust = counts.query("column == 'q_trust' and code == 9")
    assert trust["n"].tolist() == [int((original["q_trust"] == 9).sum())]
    assert list(counts.columns) == ["column", "code", "label", "kind", "n"]
