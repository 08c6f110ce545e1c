"""Shared fixtures for the publishing tests: the demo's two-wave indicator table, computed once."""

from __future__ import annotations

import pandas as pd
import pytest

import residentsurvey as rs


@pytest.fixture(scope="session")
def indicator_table() -> pd.DataFrame:
    """The demo consortium's indicators for waves 1 and 2 (224 rows, none suppressed)."""
    from residentsurvey.demo import demo_design

    v1, v2 = rs.load_questionnaire("core-v1"), rs.load_questionnaire("core-v2")
    return rs.indicators(waves={1: (demo_design(wave=1), v1), 2: (demo_design(wave=2), v2)}, by="council")


@pytest.fixture(scope="session")
def suppressed_table(indicator_table: pd.DataFrame) -> pd.DataFrame:
    """The same table with a threshold that suppresses the smaller council bases (about a third of the rows)."""
    table = rs.apply_disclosure(indicator_table, rs.DisclosureRules(suppress_below=1150, caution_below=1200))
    table.attrs.update(indicator_table.attrs)
    return table
