"""Sharing the invoice between councils: direct costs to the council that causes them, shared costs by a method.

Every method splits the same two kinds of cost:

- **direct** costs, charged the same way whatever the method: each council's own fee; its
  modules (a module's set-up split equally among the councils taking it, plus the per-return
  price on their returns); its boosters (their addresses, and their share of what the booster
  returns add to the returns bill at the consortium's volume prices);
- **shared** costs: set-up, core addresses and core returns, split by the chosen method.

Rounding to pence is controlled (:func:`~residentsurvey.costshare.round_table_to_pence`): each
council's total is its exact total rounded by largest remainder (so within a penny of it, and the
totals add up exactly to the invoice), each column adds up to its exact total, and each amount is
its exact value rounded down or up; the amounts of a council add up to its total.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from ..errors import CostShareError
from . import _options
from .game import CostGame, invoice_game, shared_cost_game
from .model import Consortium
from .money import round_table_to_pence
from .shapley import shapley_values

__all__ = ["SHARING_METHODS", "share_costs", "direct_costs"]


@dataclass(frozen=True)
class _Options:
    samples: int
    seed: int


Shares = tuple[list[Fraction], np.ndarray | None, str]


def _pro_rata(total: int, basis: list[int], what: str) -> list[Fraction]:
    whole = sum(basis)
    if whole <= 0:
        raise CostShareError(f"cannot share pro rata to {what}: every council's {what} is 0.")
    return [Fraction(total * b, whole) for b in basis]


def _shared_total(c: Consortium) -> int:
    return shared_cost_game(c).cost(c.names)


def _equal(c: Consortium, o: _Options) -> Shares:
    """Equal shares: every council pays the same part of the shared costs, :math:`C/n`."""
    return [Fraction(_shared_total(c), len(c.councils))] * len(c.councils), None, "equal"


def _population(c: Consortium, o: _Options) -> Shares:
    """Pro rata to population: :math:`C \\cdot P_i / \\sum_j P_j`, councils' adult populations."""
    return _pro_rata(_shared_total(c), [x.population for x in c.councils], "population"), None, "population"


def _achieved(c: Consortium, o: _Options) -> Shares:
    """Pro rata to achieved sample: :math:`C \\cdot R_i / \\sum_j R_j`, each council's core returns."""
    return _pro_rata(_shared_total(c), [x.returns for x in c.councils], "returns"), None, "achieved"


def _fixed_plus_variable(c: Consortium, o: _Options) -> Shares:
    """Fixed plus variable: set-up split equally, address costs by addresses issued, returns costs by returns.

    :math:`F/n + a A_i + f(R)\\,R_i/R`.
    """
    model, n = c.model, len(c.councils)
    returns = [x.returns for x in c.councils]
    returns_bill = model.return_cost(sum(returns))
    variable = _pro_rata(returns_bill, returns, "returns") if returns_bill else [Fraction(0)] * n
    return ([Fraction(model.setup_pence, n) + model.per_address_pence * x.addresses + v
             for x, v in zip(c.councils, variable)], None, "fixed plus variable")


def _shapley(c: Consortium, o: _Options) -> Shares:
    """Shapley value of the shared-cost game: each council's marginal cost averaged over every joining order.

    Set-up is split equally, addresses are each council's own, and the volume discount on
    returns goes to councils by how much each brings it about.
    """
    values, se, how = shapley_values(shared_cost_game(c), samples=o.samples, seed=o.seed)
    return values, se, f"Shapley value, {how}"


def _scrb(c: Consortium, o: _Options) -> Shares:
    """Separable costs remaining benefits (SCRB): each council pays the cost it alone adds, and the rest by benefit.

    :math:`x_i = SC_i + (C(N) - \\sum_j SC_j)\\,RB_i/\\sum_j RB_j` with separable cost
    :math:`SC_i = C(N) - C(N \\setminus i)` and remaining benefit :math:`RB_i = \\max(C(i) - SC_i, 0)`
    (equal split of the rest when no council has a remaining benefit).
    """
    game: CostGame = shared_cost_game(c)
    names, n = c.names, len(c.names)
    whole = game.cost(names)
    separable = [whole - game.cost([m for m in names if m != name]) for name in names]
    benefit = [max(game.cost([name]) - s, 0) for name, s in zip(names, separable)]
    rest = whole - sum(separable)
    spread = [Fraction(rest * b, sum(benefit)) for b in benefit] if sum(benefit) else [Fraction(rest, n)] * n
    return [s + r for s, r in zip(separable, spread)], None, "SCRB"


SHARING_METHODS: dict[str, Callable[[Consortium, _Options], Shares]] = {
    "equal": _equal,
    "population": _population,
    "achieved": _achieved,
    "fixed_plus_variable": _fixed_plus_variable,
    "shapley": _shapley,
    "scrb": _scrb,
}


def direct_costs(consortium: Consortium) -> pd.DataFrame:
    """Costs charged to the council that causes them, exact (fractions of a penny) before rounding.

    Returns
    -------
    pandas.DataFrame
        One row per council: ``council``, ``council_fee``, ``modules``, ``boosters`` (as
        :class:`fractions.Fraction` pence).

    Notes
    -----
    Booster charge of council *i*: :math:`a B^A_i + (f(R + B) - f(R))\\,B^R_i / B` with booster
    addresses :math:`B^A_i`, booster returns :math:`B^R_i` (total :math:`B`), core returns
    :math:`R` and the tiered return price :math:`f`: the boosters buy returns at the prices
    the consortium's volume has reached. Module *m* taken by :math:`T_m` councils:
    :math:`F_m/|T_m| + r_m (R_i + B^R_i)`.
    """
    model = consortium.model
    councils = consortium.councils
    core = sum(c.returns for c in councils)
    boost = sum(c.booster_returns for c in councils)
    extra = model.return_cost(core + boost) - model.return_cost(core)
    takers = {m.name: sum(m.name in c.modules for c in councils) for m in model.modules}
    rows = []
    for c in councils:
        modules = sum((Fraction(model.module(m).setup_pence, takers[m])
                       + model.module(m).per_return_pence * (c.returns + c.booster_returns) for m in c.modules),
                      Fraction(0))
        boosters = model.per_address_pence * c.booster_addresses + (Fraction(extra * c.booster_returns, boost)
                                                                     if boost else Fraction(0))
        rows.append({"council": c.council, "council_fee": Fraction(model.per_council_pence), "modules": modules,
                     "boosters": boosters})
    return pd.DataFrame(rows)


def share_costs(consortium: Consortium, *, method: str = "shapley", samples: int = 10_000, seed: int = 0) -> pd.DataFrame:
    """Each council's share of the invoice under one sharing method, in whole pence.

    Parameters
    ----------
    consortium
        The councils and the cost model.
    method
        How the shared costs are split: ``"equal"``, ``"population"``, ``"achieved"``,
        ``"fixed_plus_variable"``, ``"shapley"`` (default) or ``"scrb"`` (see ``SHARING_METHODS``).
        Direct costs (fees, modules, boosters) are charged the same way under every method.
    samples, seed
        Random orderings and their seed, used only for the Shapley value of more than 20
        councils whose returns cross a volume tier.

    Returns
    -------
    pandas.DataFrame
        One row per council: ``council``, ``method``, ``shared_pence``, ``council_fee_pence``,
        ``module_pence``, ``booster_pence``, ``total_pence`` (their sum), ``stand_alone_pence``
        (its invoice were it to commission alone), ``saving_pence`` and ``se_pence`` (Monte Carlo
        standard error of a sampled Shapley share, else 0). ``total_pence`` sums exactly to
        ``attrs["invoice_pence"]``; ``attrs`` also holds ``method``, ``basis`` and ``description``.

    Notes
    -----
    Shared cost :math:`C = F + a\\sum_i A_i + f(\\sum_i R_i)`; see each method's description in
    ``SHARING_METHODS`` and :func:`direct_costs` for the direct charges. Rounding is controlled
    (:func:`~residentsurvey.costshare.round_table_to_pence`): each council's ``total_pence`` is
    its exact share rounded by largest remainder, within a penny of it; each column adds up to its
    exact total; each amount is its exact value rounded down or up, and a council's amounts add up
    to its total.

    Examples
    --------
    >>> from residentsurvey.costshare import Consortium, CostModel, CouncilDemand, ReturnTier, share_costs
    >>> model = CostModel(setup_pence=900_000, per_address_pence=100, return_tiers=(ReturnTier(0, 300),))
    >>> consortium = Consortium(model, (CouncilDemand("A", 100_000, 3_000, 1_000),
    ...                                 CouncilDemand("B", 50_000, 3_000, 1_000)))
    >>> share_costs(consortium, method="shapley")["total_pence"].tolist()
    [1050000, 1050000]
    >>> share_costs(consortium, method="population")["total_pence"].tolist()
    [1400000, 700000]
    """
    if not isinstance(consortium, Consortium):
        raise CostShareError(f"consortium must be a Consortium; got {type(consortium).__name__}.")
    share = _options.lookup(SHARING_METHODS, "method", method)
    shared, se, basis = share(consortium, _Options(samples=samples, seed=seed))
    direct = direct_costs(consortium)
    game = invoice_game(consortium)
    columns = {"shared_pence": shared, "council_fee_pence": list(direct["council_fee"]),
               "module_pence": list(direct["modules"]), "booster_pence": list(direct["boosters"])}
    table = pd.DataFrame({"council": list(consortium.names), "method": method})
    invoice = game.cost(consortium.names)
    rows = [list(row) for row in zip(*columns.values())]
    pence = np.array(round_table_to_pence(rows, invoice), dtype=np.int64).reshape(len(rows), len(columns))
    for k, name in enumerate(columns):
        table[name] = pence[:, k]
    table["total_pence"] = table[list(columns)].sum(axis=1)
    table["stand_alone_pence"] = np.array([game.cost([name]) for name in consortium.names], dtype=np.int64)
    table["saving_pence"] = table["stand_alone_pence"] - table["total_pence"]
    table["se_pence"] = np.zeros(len(table)) if se is None else np.asarray(se, dtype=float)
    if int(table["total_pence"].sum()) != invoice:  # pragma: no cover - guards the arithmetic above
        raise CostShareError(f"shares add to {int(table['total_pence'].sum())}p, not the invoice of {invoice}p.")
    table.attrs.update(method=method, basis=basis, invoice_pence=invoice,
                       description=" ".join((share.__doc__ or "").split("\n\n")[0].split()))
    return table
