"""A small consortium whose shares are computed by hand in the tests."""

from __future__ import annotations

import pytest

from residentsurvey.costshare import Consortium, CostModel, CouncilDemand, Module, ReturnTier


def hand_model(**changes: object) -> CostModel:
    """£9,000 set-up, £1.00 an address, returns £3.00 each up to 2,000 then £2.00; optional extras."""
    options: dict = dict(setup_pence=900_000, per_address_pence=100,
                         return_tiers=(ReturnTier(0, 300), ReturnTier(2_000, 200)))
    options.update(changes)
    return CostModel(**options)


@pytest.fixture()
def plain() -> Consortium:
    """A (pop 100k, 3,000 addresses, 1,000 returns), B (50k, 3,000, 1,000), C (50k, 1,500, 500)."""
    return Consortium(hand_model(), (
        CouncilDemand("A", 100_000, 3_000, 1_000),
        CouncilDemand("B", 50_000, 3_000, 1_000),
        CouncilDemand("C", 50_000, 1_500, 500),
    ))


@pytest.fixture()
def extras() -> Consortium:
    """``plain`` plus a £500 fee per council, a wellbeing module (A and C) and a booster for B."""
    model = hand_model(per_council_pence=50_000, modules=(Module("wellbeing", 60_000, 10),))
    return Consortium(model, (
        CouncilDemand("A", 100_000, 3_000, 1_000, modules=("wellbeing",)),
        CouncilDemand("B", 50_000, 3_000, 1_000, booster_addresses=600, booster_returns=200),
        CouncilDemand("C", 50_000, 1_500, 500, modules=("wellbeing",)),
    ))
