"""Small synthetic continuous-fieldwork returns for tracking tests (seeded; no true change unless asked).

Councils x 2 strata; each quarter samples ``psus`` fresh clusters per stratum with ``size`` respondents
each; ``y`` is a mean with a cluster effect, ``z`` a 0/1 share, ``sex`` a calibration variable.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

COUNCILS = ("Ashby", "Brook", "Carrow")


def synthetic_returns(seed: int, *, quarters: int = 4, psus: int = 4, size: int = 6, shift: float = 0.0,
                      councils: tuple[str, ...] = COUNCILS) -> pd.DataFrame:
    """Returns with columns council, stratum, psu, respondent_id, weight, interview_date, sex, y, z.

    ``shift`` is added to y in the last quarter (a true change); 0 means no change anywhere.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for c, council in enumerate(councils):
        for h in range(2):
            for q in range(quarters):
                for j in range(psus):
                    effect = rng.normal(0, 0.5)
                    for i in range(size):
                        rows.append((council, f"{council}-{h}", f"{council}-{h}-q{q}-p{j}",
                                     f"{council}-{h}-{q}-{j}-{i}", q, effect))
    df = pd.DataFrame(rows, columns=["council", "stratum", "psu", "respondent_id", "quarter", "effect"])
    n = len(df)
    df["weight"] = rng.uniform(1.0, 3.0, n)
    start = pd.to_datetime([f"2025-{3 * q + 1:02d}-01" for q in df["quarter"]])
    df["interview_date"] = start + pd.to_timedelta(rng.integers(0, 90, n), unit="D")
    df["sex"] = np.where(rng.random(n) < 0.5, "F", "M")
    df["y"] = 5 + df["effect"] + 0.3 * (df["sex"] == "F") + rng.normal(0, 1, n)
    df.loc[df["quarter"] == quarters - 1, "y"] += shift
    df["z"] = (rng.random(n) < 0.4 + 0.1 * (df["sex"] == "F")).astype(float)
    df["council"] = pd.Categorical(df["council"], categories=list(councils))
    return df.drop(columns=["quarter", "effect"])


DESIGN = {"weights": "weight", "strata": "stratum", "psu": "psu"}


def targets(councils: tuple[str, ...] = COUNCILS) -> pd.DataFrame:
    """Sex totals per council for calibration."""
    return pd.DataFrame({"council": np.repeat(list(councils), 2), "variable": "sex",
                         "category": ["F", "M"] * len(councils), "total": [520.0, 480.0] * len(councils)})
