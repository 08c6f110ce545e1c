"""`residentsurvey weight --replicates`: replicate weight columns with the weighting re-run in each, plus what R needs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

from residentsurvey.cli import main

from .test_cli_weight import returns_csv  # noqa: F401 (the demo returns as CSV, a module fixture)

EXAMPLES = Path(__file__).parent.parent / "examples"


def _run(returns_csv: Path, out: Path, *extra: str) -> int:
    return main(["weight", str(returns_csv), "--targets", str(EXAMPLES / "demo_targets.csv"), "--by", "council",
                 "--weights", "design_weight", "--strata", "stratum", "--psu", "sector", "--out", str(out), *extra])


def test_bootstrap_replicates_are_written_calibrated_with_their_scales(returns_csv, tmp_path, capsys) -> None:
    out = tmp_path / "weighted.csv"
    assert _run(returns_csv, out, "--replicates", "bootstrap", "--replicates-n", "20", "--seed", "4") == 0
    weighted = pd.read_csv(out)
    columns = [f"weight_rep{r}" for r in range(1, 21)]
    assert set(columns) <= set(weighted.columns)
    # every replicate was raked to the same council populations as the full sample
    targets = pd.read_csv(EXAMPLES / "demo_targets.csv")
    population = targets[targets["variable"] == targets["variable"].iloc[0]].groupby("council")["total"].sum()
    totals = weighted.groupby("council")[columns].sum()
    np.testing.assert_allclose(totals.to_numpy(), np.repeat(population.sort_index().to_numpy()[:, None], 20, axis=1),
                               rtol=1e-8)
    scales = pd.read_csv(out.with_suffix(".replicates.csv"))
    assert scales["column"].tolist() == columns and (scales["rscale"] == 1).all()
    assert scales["r_call"][0].startswith('svrepdesign(weights=~weight, repweights="^weight_rep[0-9]+$", type="bootstrap"')
    assert "svrepdesign(" in capsys.readouterr().out


def test_replicate_columns_are_labelled_in_sav(returns_csv, tmp_path) -> None:
    out = tmp_path / "weighted.sav"
    assert _run(returns_csv, out, "-q", "core-v1", "--replicates", "jkn") == 0
    _, meta = pyreadstat.read_sav(str(out), metadataonly=True)
    labels = dict(zip(meta.column_names, meta.column_labels))
    assert labels["weight_rep1"].startswith("jkn replicate 1 of ")
    scales = pd.read_csv(out.with_suffix(".replicates.csv"))
    assert (scales["rscale"] < 1).all() and "rscales=rscales" in scales["r_call"][0]
