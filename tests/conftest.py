"""Shared fixtures: the api data of R's survey package, loaded relative to this file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).parent / "data"


def load_api(name: str) -> pd.DataFrame:
    """One of R survey's api data frames (apistrat, apiclus1, apiclus2, apisrs, apipop)."""
    frame = pd.read_csv(DATA / f"{name}.csv")
    for column in ("sch.wide", "yr.rnd", "awards"):
        if column in frame:
            frame[f"{column}_yes"] = frame[column] == "Yes"
    return frame


@pytest.fixture(scope="session")
def api() -> dict[str, pd.DataFrame]:
    return {name: load_api(name) for name in ("apistrat", "apiclus1", "apiclus2", "apisrs")}
