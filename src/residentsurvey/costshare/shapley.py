"""The Shapley value of a cost game: exact where the game's structure or its size allows, sampled beyond.

.. math::  \\phi_i = \\sum_{S \\subseteq N \\setminus \\{i\\}} \\frac{|S|!\\,(n-|S|-1)!}{n!}\\,\\bigl(c(S \\cup \\{i\\}) - c(S)\\bigr)

The value is additive over the parts of a :class:`~residentsurvey.costshare.game.CostGame`, so
each part is valued on its own: a fixed cost is split equally among the players who can incur
it, separable costs go to their owner, pooled returns priced within one tier are separable too.
Only what remains (returns across volume tiers, tabled games) needs the sum over coalitions:
enumerated exactly in integers and fractions for up to ``exact_limit`` players, or estimated
from random orderings of the players beyond that.
"""

from __future__ import annotations

from fractions import Fraction
from math import factorial

import numpy as np
import pandas as pd

from ..errors import CostShareError
from . import _options
from .game import CostGame, FixedCost, PooledReturnsCost, SeparableCost
from .money import round_to_pence

__all__ = ["SHAPLEY_METHODS", "shapley_value"]

SHAPLEY_METHODS = {
    "auto": "exact up to exact_limit players, sampled orderings beyond",
    "exact": "enumerate every coalition (at most 22 players)",
    "sampled": "average marginal costs over random orderings of the players",
}
_HARD_LIMIT = 22


def _popcount(masks: np.ndarray, n: int) -> np.ndarray:
    counts = np.zeros(masks.shape, dtype=np.int64)
    for i in range(n):
        counts += (masks >> i) & 1
    return counts


def _enumerate(game: CostGame, parts: list) -> list[Fraction]:
    """Exact Shapley value of the sum of ``parts``: marginal costs summed by coalition size in int64."""
    n = game.n
    masks = np.arange(1 << n, dtype=np.int64)
    values = np.zeros(len(masks), dtype=np.int64)
    for part in parts:
        values += part.costs(masks, n)
    sizes = _popcount(masks, n)
    weights = [Fraction(factorial(k) * factorial(n - k - 1), factorial(n)) for k in range(n)]
    result = []
    for i in range(n):
        without = masks[((masks >> i) & 1) == 0]
        by_size = np.zeros(n, dtype=np.int64)
        np.add.at(by_size, sizes[without], values[without | (1 << i)] - values[without])
        result.append(sum((w * int(d) for w, d in zip(weights, by_size)), Fraction(0)))
    return result


def _sample(game: CostGame, parts: list, samples: int, seed: int) -> tuple[list[Fraction], np.ndarray]:
    """Mean marginal cost over ``samples`` random orderings, and its standard error, per player.

    Marginal costs are integers, so each player's mean is an exact fraction and the means add
    up exactly to the cost of the grand coalition.
    """
    n = game.n
    rng = np.random.default_rng(seed)
    order = rng.permuted(np.tile(np.arange(n, dtype=np.int64), (samples, 1)), axis=1)
    before = np.cumsum(np.int64(1) << order, axis=1)
    after_cost = np.zeros(order.shape, dtype=np.int64)
    flat = before.ravel()
    for part in parts:
        after_cost += part.costs(flat, n).reshape(order.shape)
    before_cost = np.concatenate([np.zeros((samples, 1), dtype=np.int64), after_cost[:, :-1]], axis=1)
    marginal = np.empty_like(after_cost)
    np.put_along_axis(marginal, order, after_cost - before_cost, axis=1)
    totals = marginal.sum(axis=0)
    se = marginal.std(axis=0, ddof=1) / np.sqrt(samples) if samples > 1 else np.full(n, np.nan)
    return [Fraction(int(t), samples) for t in totals], se


def _closed_form(part: object, n: int) -> list[Fraction] | None:
    if isinstance(part, FixedCost):
        share = Fraction(part.amount, len(part.players))
        return [share if i in part.players else Fraction(0) for i in range(n)]
    if isinstance(part, SeparableCost):
        return [Fraction(a) for a in part.amounts]
    if isinstance(part, PooledReturnsCost):
        price = part.linear_price()
        return None if price is None else [Fraction(price * r) for r in part.returns]
    return None


def shapley_values(game: CostGame, *, method: str = "auto", samples: int = 10_000, seed: int = 0,
                   exact_limit: int = 20) -> tuple[list[Fraction], np.ndarray, str]:
    """Shapley values as exact fractions of a penny, their standard errors and how they were found."""
    _options.lookup(SHAPLEY_METHODS, "method", method)
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 2:
        raise CostShareError(f"samples must be a whole number of at least 2; got {samples!r}.")
    n = game.n
    value = [Fraction(0)] * n
    rest = []
    for part in game.parts:
        closed = _closed_form(part, n)
        if closed is None:
            rest.append(part)
        else:
            value = [a + b for a, b in zip(value, closed)]
    se = np.zeros(n)
    if not rest:
        return value, se, "exact (closed form)"
    exact = method == "exact" or (method == "auto" and n <= exact_limit)
    if exact:
        if n > _HARD_LIMIT:
            raise CostShareError(f"exact Shapley values enumerate 2^{n} coalitions, too many for {n} councils "
                                 f"(at most {_HARD_LIMIT}); use method='sampled'.")
        found = _enumerate(game, rest)
        how = "exact (enumerated)"
    else:
        found, se = _sample(game, rest, int(samples), int(seed))
        how = f"sampled ({samples:,} orderings, seed {seed})"
    return [a + b for a, b in zip(value, found)], se, how


def shapley_value(game: CostGame, *, method: str = "auto", samples: int = 10_000, seed: int = 0,
                  exact_limit: int = 20) -> pd.DataFrame:
    """The Shapley value of each council in a cost game, in pence.

    Parameters
    ----------
    game
        The cost game, e.g. :func:`~residentsurvey.costshare.shared_cost_game` of a consortium,
        or :meth:`CostGame.from_costs`.
    method
        ``"auto"`` (default: exact up to ``exact_limit`` councils, sampled beyond), ``"exact"``
        or ``"sampled"`` (see ``SHAPLEY_METHODS``). Parts of the game with a closed form are
        always exact.
    samples
        Random orderings of the councils for ``"sampled"``.
    seed
        Seed of the orderings.
    exact_limit
        Most councils ``"auto"`` enumerates (2^n coalitions; 20 takes about a second).

    Returns
    -------
    pandas.DataFrame
        One row per council: ``council``, ``shapley_pence`` (the value, unrounded),
        ``se_pence`` (its Monte Carlo standard error; 0 when exact) and ``share_pence``
        (rounded to whole pence by largest remainder, summing exactly to the grand coalition's
        cost). ``attrs`` holds ``method`` (how it was computed), ``total_pence``, ``samples``, ``seed``.

    Notes
    -----
    :math:`\\phi_i = \\sum_{S \\not\\ni i} \\frac{|S|!(n-|S|-1)!}{n!}(c(S\\cup i) - c(S))`
    (Shapley 1953). Sampled: :math:`\\hat\\phi_i` is the mean of :math:`i`'s marginal cost over
    :math:`m` uniformly random orderings (Castro, Gómez and Tejada 2009), with standard error
    :math:`s_i/\\sqrt m`; the estimates still add up exactly to :math:`c(N)`.

    Examples
    --------
    Three councils share a 300 set-up; A and B each add 100 of their own:

    >>> from residentsurvey.costshare import CostGame, shapley_value
    >>> game = CostGame.from_costs(["A", "B", "C"], {("A",): 400, ("B",): 400, ("C",): 300, ("A", "B"): 500,
    ...                                             ("A", "C"): 400, ("B", "C"): 400, ("A", "B", "C"): 500})
    >>> shapley_value(game)["share_pence"].tolist()
    [200, 200, 100]
    """
    if not isinstance(game, CostGame):
        raise CostShareError(f"game must be a CostGame; got {type(game).__name__}.")
    values, se, how = shapley_values(game, method=method, samples=samples, seed=seed, exact_limit=exact_limit)
    total = game.cost(game.players)
    result = pd.DataFrame({
        "council": list(game.players),
        "shapley_pence": [float(v) for v in values],
        "se_pence": se,
        "share_pence": np.array(round_to_pence(values, total), dtype=np.int64),
    })
    result.attrs.update(method=how, total_pence=total, samples=samples if "sampled" in how else None,
                        seed=seed if "sampled" in how else None)
    return result
