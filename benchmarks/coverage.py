"""Coverage of 95% council intervals over many samples: the large run of the test suite's simulation.

``tests/analysis/test_coverage_simulation.py`` draws 40 stratified samples from the demo
population (600 intervals, coverage to about ±0.9 points) so that ``make test`` stays quick; this
script draws ``--replicates`` (default 400: 6,000 intervals, about ±0.3 points) with the same
seeds, sizes and estimator, and prints the coverage of each indicator with its binomial standard
error and the time taken.

    python benchmarks/coverage.py [--replicates 400]
"""

from __future__ import annotations

import argparse
import importlib.util
import time
from pathlib import Path

import numpy as np

from _machine import machine_lines

TEST = Path(__file__).resolve().parent.parent / "tests" / "analysis" / "test_coverage_simulation.py"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=400)
    args = parser.parse_args(argv)
    spec = importlib.util.spec_from_file_location("coverage_simulation", TEST)
    simulation = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(simulation)
    started = time.perf_counter()
    counts = simulation.coverage_hits(simulation.demo_frame(), args.replicates)
    seconds = time.perf_counter() - started
    counts.loc["all"] = counts.sum()
    share = counts["hits"] / counts["intervals"]
    counts["coverage"] = share.round(4)
    counts["se"] = np.sqrt(share * (1 - share) / counts["intervals"]).round(4)
    print("\n".join(machine_lines()))
    print(f"{args.replicates} replicates x 5 councils, 95% intervals, in {seconds:.1f} s\n")
    print(counts.to_string())


if __name__ == "__main__":
    main()
