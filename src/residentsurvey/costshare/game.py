"""The cost game of a consortium: what every coalition of councils would pay on its own.

A :class:`CostGame` is a sum of parts whose structure the Shapley value can use: a fixed cost
shared by whoever is in (set-up; a module's set-up among the councils that take it), separable
per-council costs (addresses, per-council fees), a pooled cost of the coalition's total returns
under volume tiers, or a table of costs given coalition by coalition. Coalitions are bitmasks
(bit *i* set: council *i* is in), so a part prices many coalitions in one numpy call.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ..errors import CostShareError
from .model import Consortium, ReturnTier, tiered_cost

__all__ = ["CostGame", "FixedCost", "SeparableCost", "PooledReturnsCost", "TabledCost", "shared_cost_game",
           "invoice_game", "MAX_PLAYERS", "members"]

MAX_PLAYERS = 62  # coalitions are int64 bitmasks


def members(masks: np.ndarray, n: int) -> np.ndarray:
    """Boolean matrix, one row per coalition bitmask and one column per player."""
    return ((np.asarray(masks, dtype=np.int64)[:, None] >> np.arange(n, dtype=np.int64)) & 1).astype(bool)


class Part(Protocol):
    label: str

    def costs(self, masks: np.ndarray, n: int) -> np.ndarray: ...


@dataclass(frozen=True)
class FixedCost:
    """``amount`` pence, paid once by any coalition that includes one of ``players`` (indexes)."""

    label: str
    amount: int
    players: tuple[int, ...]

    def costs(self, masks: np.ndarray, n: int) -> np.ndarray:
        bits = np.int64(sum(1 << i for i in self.players))
        return np.where((np.asarray(masks, dtype=np.int64) & bits) != 0, np.int64(self.amount), np.int64(0))


@dataclass(frozen=True)
class SeparableCost:
    """Costs that add up over players: ``amounts[i]`` pence for player *i*."""

    label: str
    amounts: tuple[int, ...]

    def costs(self, masks: np.ndarray, n: int) -> np.ndarray:
        return members(masks, n) @ np.asarray(self.amounts, dtype=np.int64)


@dataclass(frozen=True)
class PooledReturnsCost:
    """The cost of a coalition's total returns, :math:`f(\\sum_{i \\in S} w_i)`, under volume tiers."""

    label: str
    returns: tuple[int, ...]
    tiers: tuple[ReturnTier, ...]

    def costs(self, masks: np.ndarray, n: int) -> np.ndarray:
        return np.asarray(tiered_cost(members(masks, n) @ np.asarray(self.returns, dtype=np.int64), self.tiers))

    def linear_price(self) -> int | None:
        """The price per return when every coalition's returns fall in one tier (then the part is separable)."""
        total = sum(self.returns)
        inside = [t for t in self.tiers if t.from_return < total] or [self.tiers[0]]
        return inside[0].pence if len(inside) == 1 else None


@dataclass(frozen=True)
class TabledCost:
    """Costs given for every coalition, indexed by bitmask (entry 0, the empty coalition, is 0)."""

    label: str
    table: tuple[int, ...]

    def costs(self, masks: np.ndarray, n: int) -> np.ndarray:
        return np.asarray(self.table, dtype=np.int64)[np.asarray(masks, dtype=np.int64)]


@dataclass(frozen=True)
class CostGame:
    """A cost game: players (councils) and the parts that price each coalition in pence.

    Examples
    --------
    A textbook game with an empty core: each council alone costs 100, any two 150, all three 240.

    >>> game = CostGame.from_costs(["A", "B", "C"], {("A",): 100, ("B",): 100, ("C",): 100, ("A", "B"): 150,
    ...                                             ("A", "C"): 150, ("B", "C"): 150, ("A", "B", "C"): 240})
    >>> game.cost(["A", "C"]), game.cost(game.players)
    (150, 240)
    """

    players: tuple[str, ...]
    parts: tuple[Part, ...]

    def __post_init__(self) -> None:
        players = tuple(self.players)
        if not players or len(set(players)) != len(players):
            raise CostShareError(f"a cost game needs distinct players; got {players!r}.")
        if len(players) > MAX_PLAYERS:
            raise CostShareError(f"a cost game has at most {MAX_PLAYERS} players; got {len(players)}.")
        object.__setattr__(self, "players", players)
        object.__setattr__(self, "parts", tuple(self.parts))

    @property
    def n(self) -> int:
        """Number of players."""
        return len(self.players)

    def mask(self, coalition: Iterable[str]) -> int:
        """The bitmask of a coalition given by player names."""
        bits = 0
        for name in coalition:
            if name not in self.players:
                raise CostShareError(f"{name!r} is not a player of this game; players: {', '.join(map(repr, self.players))}.")
            bits |= 1 << self.players.index(name)
        return bits

    def costs(self, masks: np.ndarray) -> np.ndarray:
        """Cost in pence of each coalition bitmask in ``masks`` (int64 array)."""
        masks = np.asarray(masks, dtype=np.int64)
        total = np.zeros(masks.shape, dtype=np.int64)
        for part in self.parts:
            total = total + part.costs(masks, self.n)
        return total

    def cost(self, coalition: Iterable[str]) -> int:
        """Cost in pence of the coalition of the named players."""
        return int(self.costs(np.array([self.mask(coalition)]))[0])

    @classmethod
    def from_costs(cls, players: Iterable[str], costs: Mapping[Iterable[str], int], *, max_players: int = 20) -> "CostGame":
        """A game given by the cost (pence) of every non-empty coalition, keyed by its players."""
        players = tuple(players)
        if len(players) > max_players:
            raise CostShareError(f"a table of coalition costs is for at most {max_players} players; got {len(players)}.")
        table = np.full(1 << len(players), -1, dtype=np.int64)
        table[0] = 0
        game = cls(players, ())
        for coalition, value in costs.items():
            names = (coalition,) if isinstance(coalition, str) else tuple(coalition)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                raise CostShareError(f"cost of {names!r} must be whole pence (an int); got {value!r}.")
            if value < 0:
                raise CostShareError(f"cost of {names!r} must not be negative; got {value!r}.")
            table[game.mask(names)] = value
        missing = np.flatnonzero(table < 0)
        if missing.size:
            first = [p for i, p in enumerate(players) if (int(missing[0]) >> i) & 1]
            raise CostShareError(f"costs are missing for {missing.size} coalition(s), e.g. {first!r}; give every "
                                 "non-empty coalition.")
        return cls(players, (TabledCost("table", tuple(int(v) for v in table)),))


def _modules(consortium: Consortium) -> list[Part]:
    parts: list[Part] = []
    for module in consortium.model.modules:
        takers = tuple(i for i, c in enumerate(consortium.councils) if module.name in c.modules)
        if takers:
            parts.append(FixedCost(f"module {module.name} set-up", module.setup_pence, takers))
    return parts


def shared_cost_game(consortium: Consortium) -> CostGame:
    """The game of the costs the consortium shares: set-up, core addresses and core returns.

    :math:`c(S) = F + a\\sum_{i \\in S} A_i + f(\\sum_{i \\in S} R_i)` for a non-empty coalition,
    with set-up :math:`F`, price per address :math:`a`, core addresses :math:`A_i`, core
    returns :math:`R_i` and the tiered return price :math:`f`. Boosters, modules and
    per-council fees are charged directly, outside this game.
    """
    model, councils = consortium.model, consortium.councils
    everyone = tuple(range(len(councils)))
    return CostGame(consortium.names, (
        FixedCost("set-up", model.setup_pence, everyone),
        SeparableCost("addresses", tuple(model.per_address_pence * c.addresses for c in councils)),
        PooledReturnsCost("returns", tuple(c.returns for c in councils), model.return_tiers),
    ))


def invoice_game(consortium: Consortium) -> CostGame:
    """The game of the whole invoice: what each coalition would pay commissioning on its own.

    Adds to :func:`shared_cost_game` each council's fee, its boosters (addresses and returns,
    the returns pooled with the core ones under the tiers) and its modules (set-up once among
    the coalition's takers, plus the per-return price on the takers' returns).
    """
    model, councils = consortium.model, consortium.councils
    separable = []
    for c in councils:
        module_returns = sum(model.module(m).per_return_pence for m in c.modules) * (c.returns + c.booster_returns)
        separable.append(model.per_council_pence + model.per_address_pence * (c.addresses + c.booster_addresses)
                         + module_returns)
    return CostGame(consortium.names, (
        FixedCost("set-up", model.setup_pence, tuple(range(len(councils)))),
        SeparableCost("separable", tuple(separable)),
        PooledReturnsCost("returns", tuple(c.returns + c.booster_returns for c in councils), model.return_tiers),
        *_modules(consortium),
    ))
