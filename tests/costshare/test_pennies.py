"""Controlled rounding: every council's total within a penny of its exact share, and the invoice adds up both ways."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from residentsurvey.costshare import (Consortium, CostModel, CouncilDemand, Module, ReturnTier, direct_costs,
                                     round_table_to_pence, round_to_pence, share_costs)
from residentsurvey.costshare.sharing import SHARING_METHODS, _Options
from residentsurvey.errors import CostShareError

SETTINGS = settings(max_examples=80, deadline=None)
COLUMNS = ["shared_pence", "council_fee_pence", "module_pence", "booster_pence"]


@st.composite
def consortia(draw: st.DrawFn) -> Consortium:
    """1-7 councils with modules taken by some and boosters bought by some, so several columns have fractions."""
    starts = sorted(set(draw(st.lists(st.integers(1, 6_000), max_size=2))))
    prices = sorted(draw(st.lists(st.integers(0, 500), min_size=len(starts) + 1, max_size=len(starts) + 1)),
                    reverse=True)
    tiers = (ReturnTier(0, prices[0]),) + tuple(ReturnTier(s, p) for s, p in zip(starts, prices[1:]))
    modules = tuple(Module(f"m{j}", draw(st.integers(0, 300_001)), draw(st.integers(0, 50)))
                    for j in range(draw(st.integers(0, 3))))
    model = CostModel(setup_pence=draw(st.integers(0, 2_000_001)), per_council_pence=draw(st.integers(0, 200_000)),
                      per_address_pence=draw(st.integers(0, 200)), return_tiers=tiers, modules=modules)
    councils = []
    for i in range(draw(st.integers(1, 7))):
        addresses = draw(st.integers(0, 8_000))
        boost = draw(st.integers(0, 2_000))
        councils.append(CouncilDemand(
            f"c{i}", draw(st.integers(1, 500_000)), addresses, draw(st.integers(0, addresses)),
            modules=tuple(m.name for m in modules if draw(st.booleans())),
            booster_addresses=boost, booster_returns=draw(st.integers(0, boost))))
    return Consortium(model, tuple(councils))


def exact_table(consortium: Consortium, method: str) -> list[list[Fraction]]:
    """Each council's exact amounts (fractions of a penny) in the order of share_costs' columns."""
    shared, _, _ = SHARING_METHODS[method](consortium, _Options(samples=2_000, seed=0))
    direct = direct_costs(consortium)
    return [[Fraction(s), Fraction(f), Fraction(m), Fraction(b)] for s, f, m, b in
            zip(shared, direct["council_fee"], direct["modules"], direct["boosters"])]


@SETTINGS
@given(consortium=consortia(), method=st.sampled_from(["equal", "population", "fixed_plus_variable", "shapley", "scrb"]))
def test_every_council_within_a_penny_and_the_invoice_adds_up(consortium, method) -> None:
    table = share_costs(consortium, method=method)
    exact = exact_table(consortium, method)
    invoice = table.attrs["invoice_pence"]
    assert sum(sum(row) for row in exact) == invoice  # the exact shares are the invoice, to a fraction of a penny
    # each council's total is within a penny of its exact share, and is the sum of its columns
    for total, row in zip(table["total_pence"], exact):
        assert abs(total - sum(row)) < 1
    assert (table["total_pence"] == table[COLUMNS].sum(axis=1)).all()
    assert table["total_pence"].sum() == invoice
    # every column adds up to its exact total, and every amount is its exact value rounded down or up
    for k, column in enumerate(COLUMNS):
        assert table[column].sum() == sum(row[k] for row in exact)
        for amount, row in zip(table[column], exact):
            assert abs(amount - row[k]) < 1


@SETTINGS
@given(st.lists(st.lists(st.fractions(min_value=0, max_value=10_000, max_denominator=12), min_size=3, max_size=3),
                min_size=1, max_size=12))
def test_any_table_rounds_with_rows_and_columns_adding_up(rows) -> None:
    whole = sum(sum(row) for row in rows)
    total = int(whole)  # a whole invoice; the amounts are scaled to it when they add to something else
    assume(total > 0)
    scaled = [[v * total / whole for v in row] for row in rows]
    rounded = round_table_to_pence(rows, total)
    assert sum(map(sum, rounded)) == total
    for got, row in zip(rounded, scaled):
        assert abs(sum(got) - sum(row)) < 1
        assert all(abs(g - v) < 1 for g, v in zip(got, row))
    for j in range(3):
        assert abs(sum(r[j] for r in rounded) - sum(r[j] for r in scaled)) < 1


def test_several_fractional_columns_no_longer_drift_more_than_a_penny() -> None:
    """Three councils, a module taken by all and a booster split three ways: each column alone rounds up for A."""
    model = CostModel(setup_pence=100, per_address_pence=0, return_tiers=(ReturnTier(0, 0),),
                      modules=(Module("wellbeing", 100, 0),))
    councils = tuple(CouncilDemand(name, 1_000, 10, 1, modules=("wellbeing",)) for name in "ABC")
    table = share_costs(Consortium(model, councils), method="equal")
    # column by column, A would get 34p + 34p = 68p for an exact 66.67p
    assert [round_to_pence([Fraction(100, 3)] * 3, 100)[0] * 2] == [68]
    assert table["total_pence"].tolist() == [67, 67, 66]
    assert table["shared_pence"].sum() == 100 and table["module_pence"].sum() == 100


def test_a_table_the_largest_remainders_cannot_reach_still_rounds_within_a_penny() -> None:
    """Three councils whose fractions all fall in the second column outbid it: rows go up or down as it allows."""
    rows = [[Fraction(45, 100), 0], [0, Fraction(6, 10)], [0, Fraction(6, 10)], [Fraction(55, 100), 0],
            [0, Fraction(8, 10)]]
    assert round_to_pence([sum(r) for r in rows], 3) == [0, 1, 1, 0, 1]  # needs 3 pence from a column of 2
    rounded = round_table_to_pence(rows, 3)
    assert [sum(r) for r in rounded[:]] != [0, 1, 1, 0, 1]
    assert [sum(col) for col in zip(*rounded)] == [1, 2]
    assert all(abs(sum(r) - sum(e)) < 1 for r, e in zip(rounded, rows))


def test_bad_tables_are_refused_with_the_reason() -> None:
    with pytest.raises(CostShareError, match="every row of the table must have the same number of amounts"):
        round_table_to_pence([[1, 2], [3]], 6)
    with pytest.raises(CostShareError, match="cannot share £0.05 among nobody"):
        round_table_to_pence([], 5)
    with pytest.raises(CostShareError, match="the amounts add to nothing, so cannot be scaled to £0.05"):
        round_table_to_pence([[0, 0]], 5)
