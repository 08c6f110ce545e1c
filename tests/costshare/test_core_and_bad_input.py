"""The core check flags known counter-examples; bad input gets a message naming the culprit."""

from __future__ import annotations

import pandas as pd
import pytest

import residentsurvey as rs
from residentsurvey.costshare import (Consortium, CostGame, CostModel, CouncilDemand, Module, ReturnTier,
                                     core_check, cost_statement, share_costs, shapley_value, to_pence)

EMPTY_CORE = {("A",): 100, ("B",): 100, ("C",): 100, ("A", "B"): 150, ("A", "C"): 150, ("B", "C"): 150,
              ("A", "B", "C"): 240}


def test_core_check_flags_a_game_with_an_empty_core() -> None:
    # Any split of 240 gives some pair more than 150 (the three pair constraints add to 2 x 240 <= 450,
    # impossible), so even the Shapley value, 80 each, is outside the core.
    game = CostGame.from_costs(["A", "B", "C"], EMPTY_CORE)
    shapley = shapley_value(game)
    assert shapley["share_pence"].tolist() == [80, 80, 80]
    violations = core_check(game, dict(zip(shapley["council"], shapley["share_pence"].tolist())))
    assert violations.attrs["in_core"] is False
    assert violations["coalition"].tolist() == ["A + B", "A + C", "B + C"]
    assert violations["excess_pence"].tolist() == [10, 10, 10]


def test_pro_rata_to_population_can_overcharge_a_big_council() -> None:
    # Big and Small each need the same sample; set-up 600,000 and 3,000 addresses at 100p:
    # shared 1,200,000; by population 5 : 1 Big pays 1,000,000, but alone it would pay 900,000.
    consortium = Consortium(CostModel(setup_pence=600_000, per_address_pence=100),
                            (CouncilDemand("Big", 300_000, 3_000, 1_000), CouncilDemand("Small", 60_000, 3_000, 1_000)))
    by_population = share_costs(consortium, method="population")
    violations = core_check(consortium, by_population)
    assert violations.to_dict("records") == [{"coalition": "Big", "size": 1, "stand_alone_pence": 900_000,
                                              "pays_pence": 1_000_000, "excess_pence": 100_000}]
    assert core_check(consortium, share_costs(consortium, method="shapley")).attrs["in_core"]
    statement = cost_statement(consortium)
    in_core = statement.drop_duplicates("method").set_index("method")["in_core"]
    assert not in_core["population"] and in_core["shapley"] and in_core["scrb"]


@pytest.mark.parametrize(("build", "message"), [
    (lambda: CostModel(setup_pence=-100), r"CostModel\.setup_pence must not be negative; got -100 pence"),
    (lambda: to_pence("-£5.00", what="cost_model.setup"), r"cost_model\.setup must not be negative; got '-£5\.00'"),
    (lambda: to_pence("0.125"), r"amount '0\.125' has a fraction of a penny"),
    (lambda: to_pence("ten pounds"), r"amount 'ten pounds' is not an amount in pounds"),
    (lambda: ReturnTier(0, -3), r"ReturnTier\.pence must not be negative"),
    (lambda: CostModel(per_address_pence=0.95), r"CostModel\.per_address_pence must be whole pence"),
    (lambda: CostModel(return_tiers=(ReturnTier(100, 300),)), r"return_tiers must start at 0 returns and rise"),
    (lambda: Module("wellbeing", setup_pence=-1), r"module 'wellbeing' setup_pence must not be negative"),
    (lambda: CouncilDemand("A", 1_000, 100, 200), r"council 'A': 200 returns from 100 addresses"),
    (lambda: Consortium(CostModel(), (CouncilDemand("A", 1, 1, 1, modules=("transport",)),)),
     r"council 'A': module 'transport' is not in the cost model; modules: none are defined"),
    (lambda: Consortium(CostModel(), (CouncilDemand("A", 1, 1, 1), CouncilDemand("A", 2, 2, 2))),
     r"councils 'A' appear more than once"),
    (lambda: CostGame.from_costs(["A", "B"], {("A",): 1, ("B",): 1}), r"costs are missing for 1 coalition\(s\), e\.g\. \['A', 'B'\]"),
    (lambda: CostGame.from_costs(["A"], {("A",): -1}), r"cost of \('A',\) must not be negative"),
])
def test_bad_cost_input(build, message) -> None:
    with pytest.raises(rs.CostShareError, match=message):
        build()


def test_unknown_method_lists_the_valid_ones(request) -> None:
    consortium = Consortium(CostModel(setup_pence=100), (CouncilDemand("A", 1, 1, 1),))
    with pytest.raises(rs.OptionError, match=r"method='nucleolus' is not recognised; use one of 'equal', 'population', "
                                             r"'achieved', 'fixed_plus_variable', 'shapley', 'scrb'"):
        share_costs(consortium, method="nucleolus")


def test_population_share_needs_populations() -> None:
    consortium = Consortium(CostModel(setup_pence=100), (CouncilDemand("A", 0, 1, 1), CouncilDemand("B", 0, 1, 1)))
    with pytest.raises(rs.CostShareError, match="cannot share pro rata to population: every council's population is 0"):
        share_costs(consortium, method="population")


def test_councils_table_must_have_its_columns() -> None:
    with pytest.raises(rs.CostShareError, match=r"the councils table lacks column\(s\) 'population'"):
        Consortium.from_frame(CostModel(), pd.DataFrame({"council": ["A"], "addresses": [10], "returns": [3]}))
    with pytest.raises(rs.CostShareError, match=r"council 'A': population is missing"):
        Consortium.from_frame(CostModel(), pd.DataFrame({"council": ["A"], "population": [None], "addresses": [10],
                                                         "returns": [3]}))
