"""How often does rs.rolling(...).changes() flag a change when there is none?

Synthetic continuous fieldwork (tests/tracking/synthetic.py: 3 councils x 2 strata, 10 fresh clusters of
3 respondents per stratum and quarter, four quarters), two-quarter windows, every pair of windows (two
overlapping by a quarter, one sharing none). For each of ``--designs`` samples, ``--outcomes`` outcome
columns are drawn afresh with a cluster effect and no change over time; each change is tested at 5%
without multiplicity adjustment. Also shown: the rate if the overlap were ignored (se = root of the summed
window variances) and, with ``--calibrated``, each window raked to sex totals per council.

    PYTHONPATH=src python benchmarks/tracking_null_rate.py --designs 4 --outcomes 300
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import residentsurvey as rs  # noqa: E402
from tests.tracking.synthetic import DESIGN, synthetic_returns, targets  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--designs", type=int, default=4)
    parser.add_argument("--outcomes", type=int, default=300)
    parser.add_argument("--calibrated", action="store_true")
    args = parser.parse_args()
    weighting = (lambda d: d.calibrate(targets(), method="raking", by="council")) if args.calibrated else None
    rows = []
    start = time.perf_counter()
    for design in range(args.designs):
        returns = synthetic_returns(100 + design, psus=10, size=3)
        rng = np.random.default_rng(100 + design)
        psu = pd.factorize(returns["psu"])[0]
        outcomes = {f"y{r}": rng.normal(0, 0.5, psu.max() + 1)[psu] + rng.normal(0, 1, len(returns))
                    for r in range(args.outcomes)}
        returns = pd.concat([returns, pd.DataFrame(outcomes)], axis=1)
        tracker = rs.rolling(returns, list(outcomes), window=2, design=DESIGN, weighting=weighting)
        table = tracker.changes(pairs="all", adjust="none")
        table = table[table["area_type"] == "council"].copy()
        se = tracker.table.set_index(["window", "indicator", "area"])["se"]
        key_a = list(zip(table["window_a"], table["indicator"], table["area"]))
        key_b = list(zip(table["window_b"], table["indicator"], table["area"]))
        table["naive_se"] = np.sqrt(se.loc[key_a].to_numpy() ** 2 + se.loc[key_b].to_numpy() ** 2)
        rows.append(table)
    table = pd.concat(rows, ignore_index=True)
    seconds = time.perf_counter() - start
    for shared, part in table.groupby("shared_periods"):
        flagged = (part["p_value"] < 0.05).mean()
        naive = (np.abs(part["change"] / part["naive_se"]) > 1.959964).mean()
        kind = "overlapping (1 shared quarter)" if shared else "separate (no shared quarter)"
        print(f"{kind:32s} tests {len(part):6d}  flagged {flagged:6.2%}  ignoring the overlap {naive:6.2%}")
    print(f"{seconds:.1f} s ({'calibrated' if args.calibrated else 'design weights'})")


if __name__ == "__main__":
    main()
