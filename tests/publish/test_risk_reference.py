"""Risk measures against R's sdcMicro 5.8.0: ``freqCalc`` (fk, Fk, missing values matching any category) and
``indivRisk(method="approx")``, from sdcMicro's own R code (``tests/data/r/make_sdc_risk_reference.R``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from residentsurvey.publish._risk import frequencies, individual_risk

DATA = Path(__file__).parent.parent / "data"
KEYS = ["council", "age_band", "sex", "tenure"]


def test_frequencies_and_individual_risk_agree_with_sdcmicro():
    x = pd.read_csv(DATA / "sdc_risk_input.csv")
    ref = pd.read_csv(DATA / "sdc_risk_reference.csv")
    codes = np.column_stack([x[c].fillna(-1).astype(int).to_numpy() for c in KEYS])
    assert (codes < 0).sum() == 45  # records with missing keys are in the reference
    fk, Fk = frequencies(codes, x["weight"].to_numpy())
    np.testing.assert_array_equal(fk, ref["fk"].to_numpy())
    np.testing.assert_allclose(Fk, ref["Fk"].to_numpy(), rtol=1e-13)
    assert {1, 2} <= set(fk) and fk.max() > 2  # every branch of the risk formula is exercised
    np.testing.assert_allclose(individual_risk(fk, Fk), ref["risk"].to_numpy(), rtol=1e-12, atol=1e-16)
