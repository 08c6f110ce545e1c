"""The contractor's price list and what each council asks for, as frozen dataclasses in whole pence."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from numbers import Integral

import numpy as np
import pandas as pd

from ..errors import CostShareError

__all__ = ["ReturnTier", "Module", "CostModel", "CouncilDemand", "Consortium", "tiered_cost"]


def _pence(value: object, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise CostShareError(f"{name} must be whole pence (an int; use to_pence('1.25') for £1.25); got {value!r}.")
    if value < 0:
        raise CostShareError(f"{name} must not be negative; got {value!r} pence. Costs are amounts the consortium pays.")


def _count(value: object, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 0:
        raise CostShareError(f"{name} must be a whole number of at least 0; got {value!r}.")


@dataclass(frozen=True)
class ReturnTier:
    """Price of each completed return after the first ``from_return`` returns of the invoice.

    Tiers are marginal, like tax bands: with tiers from 0 at 250p and from 5,000 at 190p, 6,000
    returns cost 5,000 × 250p + 1,000 × 190p. A later, lower price is a volume discount.
    """

    from_return: int
    pence: int

    def __post_init__(self) -> None:
        _count(self.from_return, "ReturnTier.from_return")
        _pence(self.pence, "ReturnTier.pence")


def tiered_cost(returns: int | np.ndarray, tiers: tuple[ReturnTier, ...]) -> int | np.ndarray:
    """Cost in pence of ``returns`` under marginal price tiers: :math:`\\sum_t p_t \\min((R - b_t)^+, b_{t+1} - b_t)`.

    Examples
    --------
    >>> tiered_cost(6_000, (ReturnTier(0, 250), ReturnTier(5_000, 190)))
    1440000
    """
    r = np.asarray(returns, dtype=np.int64)
    starts = np.array([t.from_return for t in tiers], dtype=np.int64)
    widths = np.append(np.diff(starts), np.iinfo(np.int64).max // 4)
    prices = np.array([t.pence for t in tiers], dtype=np.int64)
    cost = (np.clip(r[..., None] - starts, 0, widths) * prices).sum(axis=-1)
    return int(cost) if cost.ndim == 0 else cost


@dataclass(frozen=True)
class Module:
    """An optional block of questions: a set-up cost, and a cost per return of the councils that take it."""

    name: str
    setup_pence: int = 0
    per_return_pence: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise CostShareError(f"a module needs a name; got {self.name!r}.")
        _pence(self.setup_pence, f"module {self.name!r} setup_pence")
        _pence(self.per_return_pence, f"module {self.name!r} per_return_pence")


@dataclass(frozen=True)
class CostModel:
    """How the contractor prices a joint survey, in whole pence.

    Parameters
    ----------
    setup_pence
        Fixed set-up cost of the survey (questionnaire, project management), paid once.
    per_council_pence
        Fixed cost of each council that takes part (its own report and data set).
    per_address_pence
        Cost of each issued address: print, postage, reminders.
    return_tiers
        Price of completed returns by volume, as marginal tiers starting at 0 (see
        :class:`ReturnTier`).
    modules
        Optional question modules a council may take.

    Examples
    --------
    >>> model = CostModel(setup_pence=1_250_000, per_address_pence=95,
    ...                   return_tiers=(ReturnTier(0, 250), ReturnTier(5_000, 190)))
    >>> model.return_cost(6_000)
    1440000
    """

    setup_pence: int = 0
    per_council_pence: int = 0
    per_address_pence: int = 0
    return_tiers: tuple[ReturnTier, ...] = (ReturnTier(0, 0),)
    modules: tuple[Module, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        for name in ("setup_pence", "per_council_pence", "per_address_pence"):
            _pence(getattr(self, name), f"CostModel.{name}")
        tiers = tuple(self.return_tiers)
        if not tiers or not all(isinstance(t, ReturnTier) for t in tiers):
            raise CostShareError("return_tiers must be a non-empty sequence of ReturnTier.")
        starts = [t.from_return for t in tiers]
        if starts[0] != 0 or any(b <= a for a, b in zip(starts, starts[1:])):
            raise CostShareError(f"return_tiers must start at 0 returns and rise; got thresholds {starts}.")
        modules = tuple(self.modules)
        names = [m.name for m in modules]
        if len(set(names)) != len(names):
            raise CostShareError(f"module names must be unique; got {names}.")
        object.__setattr__(self, "return_tiers", tiers)
        object.__setattr__(self, "modules", modules)

    @property
    def discounts_only(self) -> bool:
        """True when no tier's price is above the one before (then the cost game is concave)."""
        prices = [t.pence for t in self.return_tiers]
        return all(b <= a for a, b in zip(prices, prices[1:]))

    def module(self, name: str) -> Module:
        """The module called ``name``; an error listing the modules otherwise."""
        for module in self.modules:
            if module.name == name:
                return module
        valid = ", ".join(repr(m.name) for m in self.modules) or "none are defined"
        raise CostShareError(f"module {name!r} is not in the cost model; modules: {valid}.")

    def return_cost(self, returns: int | np.ndarray) -> int | np.ndarray:
        """Cost in pence of ``returns`` completed returns (an int, or an int array for many at once)."""
        return tiered_cost(returns, self.return_tiers)


@dataclass(frozen=True)
class CouncilDemand:
    """What one council asks of the joint survey.

    ``addresses`` and ``returns`` are its core sample (issued, and expected completed);
    ``booster_addresses`` and ``booster_returns`` an extra sample it buys for itself (e.g. for
    wards or a group); ``modules`` the optional modules it takes.
    """

    council: str
    population: int
    addresses: int
    returns: int
    modules: tuple[str, ...] = ()
    booster_addresses: int = 0
    booster_returns: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.council, str) or not self.council:
            raise CostShareError(f"a council needs a name; got {self.council!r}.")
        for name in ("population", "addresses", "returns", "booster_addresses", "booster_returns"):
            _count(getattr(self, name), f"council {self.council!r}: {name}")
        if self.returns > self.addresses:
            raise CostShareError(f"council {self.council!r}: {self.returns:,} returns from {self.addresses:,} addresses "
                                 "is more than one return per address.")
        if self.booster_returns > self.booster_addresses:
            raise CostShareError(f"council {self.council!r}: {self.booster_returns:,} booster returns from "
                                 f"{self.booster_addresses:,} booster addresses is more than one per address.")
        modules = (self.modules,) if isinstance(self.modules, str) else tuple(self.modules)
        object.__setattr__(self, "modules", modules)


@dataclass(frozen=True)
class Consortium:
    """Councils sharing one survey under one cost model."""

    model: CostModel
    councils: tuple[CouncilDemand, ...]

    def __post_init__(self) -> None:
        councils = tuple(self.councils)
        if not councils:
            raise CostShareError("a consortium needs at least one council.")
        names = [c.council for c in councils]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise CostShareError(f"councils {', '.join(map(repr, dupes))} appear more than once in the consortium.")
        for council in councils:
            for module in council.modules:
                try:
                    self.model.module(module)
                except CostShareError as error:
                    raise CostShareError(f"council {council.council!r}: {error}") from error
        object.__setattr__(self, "councils", councils)

    @property
    def names(self) -> tuple[str, ...]:
        """Council names, in order."""
        return tuple(c.council for c in self.councils)

    @classmethod
    def from_frame(cls, model: CostModel, table: pd.DataFrame) -> "Consortium":
        """A consortium from a table with one row per council.

        Columns: ``council``, ``population``, ``addresses``, ``returns`` (or ``achieved``, as
        :func:`~residentsurvey.sampling.plan_sample_sizes` returns), and optionally ``modules``
        (a list, or names separated by ``;``), ``booster_addresses`` and ``booster_returns``.
        """
        if not isinstance(table, pd.DataFrame):
            raise CostShareError(f"table must be a pandas DataFrame; got {type(table).__name__}.")
        frame = table.rename(columns={"achieved": "returns"}) if "returns" not in table else table
        needed = [c for c in ("council", "population", "addresses", "returns") if c not in frame.columns]
        if needed:
            raise CostShareError(f"the councils table lacks column(s) {', '.join(map(repr, needed))}; "
                                 f"it has {', '.join(map(repr, map(str, table.columns)))}.")
        councils = []
        for row in frame.to_dict("records"):
            name = row["council"]
            modules = row.get("modules", ())
            if isinstance(modules, str):
                modules = tuple(m.strip() for m in modules.split(";") if m.strip())
            elif modules is None or (isinstance(modules, float) and np.isnan(modules)):
                modules = ()
            values = {}
            for key in ("population", "addresses", "returns", "booster_addresses", "booster_returns"):
                value = row.get(key, 0)
                if value is None or (isinstance(value, float) and np.isnan(value)):
                    raise CostShareError(f"council {name!r}: {key} is missing.")
                if isinstance(value, (float, np.floating)) and float(value).is_integer():
                    value = int(value)
                values[key] = int(value) if isinstance(value, np.integer) else value
            councils.append(CouncilDemand(council=str(name), modules=tuple(modules), **values))
        return cls(model=model, councils=tuple(councils))

    def invoice_pence(self, councils: Iterable[str] | None = None) -> int:
        """The contractor's invoice for ``councils`` (default: all of them) commissioning on their own."""
        from .game import invoice_game

        game = invoice_game(self)
        return game.cost(self.names if councils is None else councils)
