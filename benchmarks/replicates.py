"""Replicate-weight benchmark: the issue 12 targets, beside R's svrepdesign/svyby where installed.

What is measured (all seeded, synthetic, one run each unless ``--repeat``):

1. ``bootstrap``: council means of 20 indicators with 200 bootstrap replicates on 1,000,000
   respondents (400 councils x 4 strata x 10 PSUs), replicate construction included.
   Target: under 10 s.
2. ``raking``: raking 200 bootstrap replicates of 100,000 respondents by council to age x sex
   and tenure margins (every replicate re-raked). Target: under 10 s.
3. ``jkn``: the delete-one-PSU jackknife for 1,000,000 respondents in 1,600 strata (16,000 PSUs,
   so 16,000 replicates) and one indicator by council, from PSU and stratum totals; peak memory
   is printed to show no respondents x replicates matrix is formed.
4. ``r`` (with ``--r`` and Rscript with survey installed): R's ``as.svrepdesign(type="bootstrap",
   replicates=200)`` and ``svyby(~ind01, ~council, svymean)`` for ONE indicator on a tenth of
   the data (R is far slower; its time is printed beside ours for the same job).

Run: ``python benchmarks/replicates.py [--size 1.0] [--r]``; ``--size 0.1`` scales every job down.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import residentsurvey as rs

INDICATORS = [f"ind{k:02d}" for k in range(1, 21)]


def synthetic(n: int, councils: int, strata_per_council: int, psus_per_stratum: int, seed: int = 12) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    strata = councils * strata_per_council
    psu = rng.integers(0, strata * psus_per_stratum, n)
    psu[: strata * psus_per_stratum] = np.arange(strata * psus_per_stratum)  # every PSU has someone
    stratum = psu // psus_per_stratum
    frame = pd.DataFrame({
        "council": pd.Categorical.from_codes(stratum // strata_per_council, [f"C{c:03d}" for c in range(councils)]),
        "stratum": stratum, "psu": psu, "w": rng.lognormal(3, 0.4, n),
        "age_band": rng.choice(["16-34", "35-54", "55+"], n), "sex": rng.choice(["F", "M"], n),
        "tenure": rng.choice(["Owner", "Rent"], n, p=[0.6, 0.4]),
    })
    for name in INDICATORS:
        values = (rng.random(n) < rng.uniform(0.2, 0.8)).astype(float)
        values[rng.random(n) < 0.05] = np.nan
        frame[name] = values
    return frame


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, job, target: float | None = None) -> float:
    start = time.perf_counter()
    job()
    seconds = time.perf_counter() - start
    verdict = "" if target is None else (" (target < %.0f s: %s)" % (target, "met" if seconds < target else "MISSED"))
    print(f"{label:<62} {seconds:8.2f} s  peak RSS {peak_mb():8.0f} MB{verdict}")
    return seconds


def bench_bootstrap(size: float) -> pd.DataFrame:
    frame = synthetic(int(1_000_000 * size), max(int(400 * size), 2), 4, 10)

    def job() -> None:
        design = rs.SurveyDesign(frame, weights="w", strata="stratum", psu="psu")
        design.replicate("bootstrap", replicates=200, seed=1).mean(INDICATORS, by="council")

    timed(f"bootstrap: 20 council means, 200 replicates, {len(frame):,} rows", job, 10 if size == 1 else None)
    return frame


def bench_raking(size: float) -> None:
    frame = synthetic(int(100_000 * size), max(int(40 * size), 2), 4, 10, seed=5)
    cells = frame.groupby(["council", "age_band", "sex"], observed=True).size().rename("n").reset_index()
    rows = [{"council": r.council, "variable": "age_band:sex", "category": f"{r.age_band}:{r.sex}", "total": r.n * 25.0}
            for r in cells.itertuples()]
    tenure = frame.groupby(["council", "tenure"], observed=True).size().rename("n").reset_index()
    rows += [{"council": r.council, "variable": "tenure", "category": r.tenure, "total": r.n * 25.0}
             for r in tenure.itertuples()]
    targets = pd.DataFrame(rows)
    design = rs.SurveyDesign(frame, weights="w", strata="stratum", psu="psu").replicate("bootstrap", replicates=200, seed=2)
    timed(f"raking: 200 replicates of {len(frame):,} rows by council", lambda: design.calibrate(targets, by="council"),
          10 if size == 1 else None)


def bench_jkn(size: float) -> None:
    frame = synthetic(int(1_000_000 * size), max(int(400 * size), 2), 4, 10, seed=9)

    def job() -> None:
        design = rs.SurveyDesign(frame, weights="w", strata="stratum", psu="psu").replicate("jkn")
        print(f"  ({design.n_replicates:,} jackknife replicates)")
        design.mean("ind01", by="council")

    timed(f"jkn: one council mean, {frame['stratum'].nunique():,} strata, {len(frame):,} rows", job)


def bench_r(frame: pd.DataFrame) -> None:
    if shutil.which("Rscript") is None:
        print("R: Rscript not found, skipped")
        return
    small = frame.iloc[: len(frame) // 10][["council", "stratum", "psu", "w", "ind01"]]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.csv"
        small.to_csv(path, index=False)
        script = f"""
suppressMessages(library(survey)); data <- read.csv("{path}")
t <- system.time({{ d <- as.svrepdesign(svydesign(id=~psu, strata=~stratum, weights=~w, data=data),
                                        type="bootstrap", replicates=200)
                    r <- svyby(~ind01, ~council, d, svymean, na.rm=TRUE) }})
cat(t[["elapsed"]])
"""
        result = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True, timeout=1800)
        if result.returncode:
            print("R failed:", result.stderr[-300:])
            return
    print(f"{'R survey: ONE council mean, 200 bootstrap replicates, ' + format(len(small), ',') + ' rows':<62} "
          f"{float(result.stdout.strip().split()[-1]):8.2f} s")

    def ours() -> None:
        design = rs.SurveyDesign(small, weights="w", strata="stratum", psu="psu")
        design.replicate("bootstrap", replicates=200, seed=1).mean("ind01", by="council")

    timed(f"residentsurvey: the same job", ours)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=1.0, help="scale of every job (1.0 = the issue's sizes)")
    parser.add_argument("--r", action="store_true", help="also time R's survey on a tenth of the bootstrap job")
    parser.add_argument("--only", choices=["bootstrap", "raking", "jkn"], help="run one job")
    args = parser.parse_args(argv)
    print(f"residentsurvey {rs.__version__}, numpy {np.__version__}, Python {sys.version.split()[0]}")
    frame = None
    if args.only in (None, "bootstrap"):
        frame = bench_bootstrap(args.size)
    if args.only in (None, "raking"):
        bench_raking(args.size)
    if args.only in (None, "jkn"):
        bench_jkn(args.size)
    if args.r and frame is not None:
        bench_r(frame)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
