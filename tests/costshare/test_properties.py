"""Shapley and rounding properties (hypothesis), and routes that must agree."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from residentsurvey.costshare import (Consortium, CostGame, CostModel, CouncilDemand, ReturnTier, core_check,
                                     round_to_pence, shapley_value, shared_cost_game)
from residentsurvey.costshare.game import TabledCost, invoice_game
from residentsurvey.costshare.shapley import shapley_values

SETTINGS = settings(max_examples=60, deadline=None)


@st.composite
def models(draw: st.DrawFn) -> CostModel:
    starts = sorted(set(draw(st.lists(st.integers(1, 6_000), max_size=3))))
    prices = sorted(draw(st.lists(st.integers(0, 500), min_size=len(starts) + 1, max_size=len(starts) + 1)), reverse=True)
    tiers = (ReturnTier(0, prices[0]),) + tuple(ReturnTier(s, p) for s, p in zip(starts, prices[1:]))
    return CostModel(setup_pence=draw(st.integers(0, 2_000_000)), per_council_pence=draw(st.integers(0, 200_000)),
                     per_address_pence=draw(st.integers(0, 200)), return_tiers=tiers)


@st.composite
def demands(draw: st.DrawFn, name: str) -> CouncilDemand:
    addresses = draw(st.integers(0, 8_000))
    return CouncilDemand(name, draw(st.integers(0, 500_000)), addresses, draw(st.integers(0, addresses)))


@st.composite
def consortia(draw: st.DrawFn, max_councils: int = 7) -> Consortium:
    k = draw(st.integers(1, max_councils))
    councils = tuple(draw(demands(f"c{i}")) for i in range(k))
    return Consortium(draw(models()), councils)


@SETTINGS
@given(consortium=consortia())
def test_shapley_shares_sum_to_the_cost_and_lie_in_the_core(consortium) -> None:
    game = shared_cost_game(consortium)
    values, _, _ = shapley_values(game)
    assert sum(values) == game.cost(game.players)  # exactly, in fractions of a penny
    table = shapley_value(game)
    assert table["share_pence"].sum() == game.cost(game.players)
    # falling return prices make the game concave, so its Shapley value is in the core (Shapley 1971)
    violations = core_check(game, dict(zip(table["council"], table["share_pence"].tolist())))
    assert violations.attrs["balanced"]
    assert (violations["excess_pence"] <= 1).all()  # at most the rounding penny


@SETTINGS
@given(consortium=consortia(max_councils=5), twin=demands("twin"))
def test_identical_councils_get_identical_shapley_values(consortium, twin) -> None:
    councils = consortium.councils + (twin, CouncilDemand("twin2", twin.population, twin.addresses, twin.returns))
    values, _, _ = shapley_values(shared_cost_game(Consortium(consortium.model, councils)))
    assert values[-1] == values[-2]


@SETTINGS
@given(n=st.integers(1, 5), data=st.data())
def test_a_council_that_adds_no_cost_pays_nothing(n, data) -> None:
    costs = data.draw(st.lists(st.integers(0, 10**7), min_size=2**n, max_size=2**n))
    costs[0] = 0
    # player n+1 ("null") leaves every coalition's cost unchanged
    table = tuple(costs[m & ((1 << n) - 1)] for m in range(1 << (n + 1)))
    game = CostGame(tuple(f"p{i}" for i in range(n)) + ("null",), (TabledCost("table", table),))
    values, _, _ = shapley_values(game)
    assert values[-1] == 0
    assert shapley_value(game)["share_pence"].iloc[-1] == 0


@SETTINGS
@given(values=st.lists(st.fractions(min_value=-10**6, max_value=10**7), min_size=1, max_size=30),
       shift=st.integers(-3, 3))
def test_pence_always_sum_to_the_invoice(values, shift) -> None:
    exact_total = sum(values, Fraction(0))
    total = int(exact_total) + shift if exact_total != 0 else 0
    if exact_total == 0 and any(values):
        return
    pence = round_to_pence(values, total)
    assert sum(pence) == total and all(isinstance(p, int) for p in pence)
    if shift == 0 and exact_total == int(exact_total):
        assert all(abs(p - v) < 1 for p, v in zip(pence, values))


def test_closed_forms_agree_with_enumeration() -> None:
    # route 1: the game's parts valued by their closed forms plus enumeration of the tiered returns;
    # route 2: the same game flattened into a table of 2^n costs and enumerated as a whole.
    rng = np.random.default_rng(5)
    councils = tuple(CouncilDemand(f"c{i}", int(rng.integers(1, 10**5)), int(a), int(a * 0.3))
                     for i, a in enumerate(rng.integers(500, 6_000, size=8)))
    model = CostModel(setup_pence=1_000_000, per_council_pence=10_000, per_address_pence=110,
                      return_tiers=(ReturnTier(0, 260), ReturnTier(3_000, 210), ReturnTier(6_000, 170)))
    game = invoice_game(Consortium(model, councils))
    flat = CostGame(game.players, (TabledCost("table", tuple(int(v) for v in game.costs(np.arange(1 << game.n)))),))
    assert shapley_values(game)[0] == shapley_values(flat)[0]


def test_sampled_shapley_agrees_with_exact_within_its_stated_precision() -> None:
    rng = np.random.default_rng(9)
    councils = tuple(CouncilDemand(f"c{i}", 1, int(a), int(a // 3)) for i, a in enumerate(rng.integers(600, 9_000, 12)))
    model = CostModel(setup_pence=500_000, per_address_pence=100,
                      return_tiers=(ReturnTier(0, 300), ReturnTier(5_000, 220), ReturnTier(12_000, 150)))
    game = shared_cost_game(Consortium(model, councils))
    exact = shapley_value(game, method="exact")
    sampled = shapley_value(game, method="sampled", samples=4_000, seed=3)
    assert sampled.attrs["method"] == "sampled (4,000 orderings, seed 3)"
    assert sampled["share_pence"].sum() == exact["share_pence"].sum()
    z = (sampled["shapley_pence"] - exact["shapley_pence"]) / sampled["se_pence"]
    assert (z.abs() < 4.5).all()
    again = shapley_value(game, method="sampled", samples=4_000, seed=3)
    assert again["share_pence"].tolist() == sampled["share_pence"].tolist()


def test_large_consortium_is_sampled_beyond_the_exact_limit() -> None:
    councils = tuple(CouncilDemand(f"c{i}", 1, 3_000 + 40 * i, 900 + 10 * i) for i in range(30))
    model = CostModel(setup_pence=500_000, per_address_pence=100,
                      return_tiers=(ReturnTier(0, 300), ReturnTier(10_000, 200)))
    table = shapley_value(shared_cost_game(Consortium(model, councils)), samples=2_000)
    assert table.attrs["method"].startswith("sampled") and (table["se_pence"] > 0).any()
    assert table["share_pence"].sum() == shared_cost_game(Consortium(model, councils)).cost([f"c{i}" for i in range(30)])
    one_tier = CostModel(setup_pence=500_000, per_address_pence=100, return_tiers=(ReturnTier(0, 300),))
    exact = shapley_value(shared_cost_game(Consortium(one_tier, councils)))
    assert exact.attrs["method"] == "exact (closed form)" and (exact["se_pence"] == 0).all()


def test_shapley_exact_refuses_too_many_councils() -> None:
    councils = tuple(CouncilDemand(f"c{i}", 1, 3_000, 900) for i in range(25))
    model = CostModel(return_tiers=(ReturnTier(0, 300), ReturnTier(10_000, 200)))
    with pytest.raises(Exception, match=r"exact Shapley values enumerate 2\^25 coalitions.*use method='sampled'"):
        shapley_value(shared_cost_game(Consortium(model, councils)), method="exact")
