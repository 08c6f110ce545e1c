"""Key drivers for 12 drivers in 400 councils: how long rs.key_drivers takes.

Synthetic consortium: 400 councils x 1,000 respondents (400,000 rows), 20 postcode-sector PSUs per
council in 2 strata each, 12 drivers (0/1 "satisfied with ...") and a 1-5 outcome. Every subset's
R² (4,096 per area) comes from the weighted covariance matrices, so the cost is one pass over the
respondents plus 4,095 sweeps of a (401, 13, 13) array; the jackknife adds one replicate per PSU
(8,000 here) through the same sweeps.

Run:  python benchmarks/key_drivers.py

Measured on the shared 2-core development machine (other jobs running), 2026-11-30:
intervals=False 3.9 s; intervals=True (8,000 jackknife replicates, plus 8,000 for the overall) 22.6 s.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

import residentsurvey as rs


def consortium(councils: int = 400, per_council: int = 1000, drivers: int = 12, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = councils * per_council
    council = np.repeat(np.arange(councils), per_council)
    sector = council * 20 + rng.integers(0, 20, size=n)
    latent = rng.normal(size=(n, drivers)) + rng.normal(size=(n, 1))
    x = (latent > 0).astype(float)
    effect = rng.uniform(0.05, 0.4, size=drivers)
    y = np.clip(np.round(3 + (x - 0.5) @ effect + rng.normal(size=n)), 1, 5)
    data = pd.DataFrame(x, columns=[f"driver_{j + 1}" for j in range(drivers)])
    data["satisfied_area"] = y
    data["council"] = council
    data["sector"] = sector
    data["stratum"] = council * 2 + (sector % 20 >= 10)
    data["weight"] = rng.uniform(50, 150, size=n)
    return data


def main() -> None:
    data = consortium()
    design = rs.SurveyDesign(data, weights="weight", strata="stratum", psu="sector")
    drivers = [c for c in data.columns if c.startswith("driver_")]
    for intervals in (False, True):
        start = time.perf_counter()
        kd = rs.key_drivers(design, "satisfied_area", drivers, by="council", intervals=intervals)
        elapsed = time.perf_counter() - start
        print(f"12 drivers x 400 councils, {len(data):,} respondents, intervals={intervals}: {elapsed:.2f} s "
              f"({len(kd.table):,} rows)")


if __name__ == "__main__":
    main()
