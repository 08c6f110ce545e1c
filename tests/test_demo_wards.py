"""The demo consortium's wards: derived from sectors without new random draws, some without respondents."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

import residentsurvey as rs


def _digest(frame: pd.DataFrame) -> str:
    return hashlib.sha256(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()).hexdigest()


def test_wards_leave_the_demo_untouched_and_cover_every_sector() -> None:
    before = _digest(rs.demo_consortium())
    wards, lookup = rs.demo_wards(), rs.demo_ward_lookup()
    assert _digest(rs.demo_consortium()) == before
    assert lookup["sector"].is_unique and set(lookup["ward"]) == set(wards["ward"])
    adults = rs.demo_council_populations().query("variable == 'adults'").set_index("council")["total"]
    by_council = wards.groupby("council", observed=True)["adults"].sum()
    assert (by_council == adults.loc[by_council.index]).all()
    assert wards[["share_owner", "share_social_rent", "share_non_white"]].stack().between(0, 1).all()
    assert _digest(rs.demo_wards()) == _digest(wards)  # deterministic


def test_some_wards_have_no_respondents() -> None:
    returns = rs.demo_consortium().merge(rs.demo_ward_lookup()[["sector", "ward"]], on="sector", how="left")
    answered = set(returns["ward"])
    empty = [w for w in rs.demo_wards()["ward"] if w not in answered]
    assert 5 <= len(empty) <= 25
    sizes = returns.groupby("ward").size()
    assert sizes.min() >= 10 and np.median(sizes) < 120
