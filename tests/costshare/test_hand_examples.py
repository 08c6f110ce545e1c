"""Cost shares computed by hand (working in the comments), for every method."""

from __future__ import annotations

from fractions import Fraction

import pytest

from residentsurvey.costshare import SHARING_METHODS, direct_costs, shapley_value, share_costs, shared_cost_game

# Shared cost of `plain`: set-up 900,000 + addresses 100 x 7,500 + returns f(2,500)
# = 900,000 + 750,000 + (2,000 x 300 + 500 x 200) = 2,350,000 pence.
HAND = {
    "equal": [783_334, 783_333, 783_333],                  # 2,350,000 / 3, the odd penny to A (first of a tie)
    "population": [1_175_000, 587_500, 587_500],           # 2 : 1 : 1
    "achieved": [940_000, 940_000, 470_000],               # returns 1,000 : 1,000 : 500
    "fixed_plus_variable": [880_000, 880_000, 590_000],    # 300,000 + addresses + 700,000 x (0.4, 0.4, 0.2)
    # Shapley: set-up 300,000 each, addresses their own, returns f over the 6 orders (see below)
    "shapley": [883_334, 883_333, 583_333],
    # SCRB: SC = (550,000, 550,000, 250,000), remaining 1,000,000; RB = 950,000 each -> a third each
    "scrb": [883_334, 883_333, 583_333],
}


@pytest.mark.parametrize("method", list(SHARING_METHODS))
def test_every_method_by_hand(plain, method) -> None:
    table = share_costs(plain, method=method)
    assert table["shared_pence"].tolist() == HAND[method]
    assert table["total_pence"].sum() == table.attrs["invoice_pence"] == 2_350_000


def test_shapley_of_the_returns_by_hand(plain) -> None:
    # f(x) = 300x up to 2,000 then 200x; weights A 1,000, B 1,000, C 500. C's marginal cost is
    # 100,000 when last after A and B (orders ABC, BAC) and 150,000 otherwise (4 orders):
    # (2 x 100,000 + 4 x 150,000) / 6 = 133,333 1/3; A and B share the rest, 283,333 1/3 each.
    table = shapley_value(shared_cost_game(plain))
    values = [Fraction(300_000 + 300_000) + Fraction(850_000, 3), Fraction(600_000) + Fraction(850_000, 3),
              Fraction(300_000 + 150_000) + Fraction(400_000, 3)]
    assert table["shapley_pence"].tolist() == pytest.approx([float(v) for v in values], abs=1e-6)
    assert table.attrs["method"] == "exact (enumerated)"


def test_direct_costs_by_hand(extras) -> None:
    # modules: 60,000 set-up split between A and C, plus 10p a return: A 30,000 + 10,000, C 30,000 + 5,000.
    # B's booster: 600 addresses x 100 + 200 returns at the 200p tier the core returns already reached.
    direct = direct_costs(extras)
    assert direct["modules"].tolist() == [40_000, 0, 35_000]
    assert direct["boosters"].tolist() == [0, 100_000, 0]
    table = share_costs(extras, method="equal")
    assert table["council_fee_pence"].tolist() == [50_000] * 3
    assert table["booster_pence"].tolist() == [0, 100_000, 0]
    # invoice: 2,350,000 shared + 150,000 fees + 75,000 modules + 100,000 booster
    assert table.attrs["invoice_pence"] == 2_675_000 == table["total_pence"].sum()
    # B alone: 900,000 + 50,000 + 100 x 3,600 + 300 x 1,200
    assert table.loc[1, "stand_alone_pence"] == 1_670_000


def test_booster_is_paid_by_the_council_that_asks(plain, extras) -> None:
    for method in SHARING_METHODS:
        without = share_costs(plain, method=method)
        booster = share_costs(extras, method=method)
        assert (booster["shared_pence"] == without["shared_pence"]).all()
        assert booster["booster_pence"].tolist() == [0, 100_000, 0]


def test_columns_are_fixed(plain) -> None:
    assert list(share_costs(plain).columns) == ["council", "method", "shared_pence", "council_fee_pence", "module_pence",
                                                "booster_pence", "total_pence", "stand_alone_pence", "saving_pence",
                                                "se_pence"]
