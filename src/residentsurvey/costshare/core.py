"""The core: does any group of councils pay more together than it would commissioning on its own?"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import CostShareError
from .game import CostGame, invoice_game, members
from .model import Consortium

__all__ = ["core_check"]

CORE_LIMIT = 20


def _shares(game: CostGame, shares: Mapping[str, int] | pd.Series | pd.DataFrame) -> np.ndarray:
    if isinstance(shares, pd.DataFrame):
        if not {"council", "total_pence"} <= set(shares.columns):
            raise CostShareError("a table of shares needs 'council' and 'total_pence' columns, as share_costs() returns.")
        if shares["council"].duplicated().any():
            raise CostShareError("the table of shares has several rows per council; pass one method's rows.")
        shares = pd.Series(shares["total_pence"].to_numpy(), index=shares["council"].to_numpy())
    elif isinstance(shares, Mapping):
        shares = pd.Series(dict(shares))
    if not isinstance(shares, pd.Series):
        raise CostShareError(f"shares must be a mapping, Series or share_costs() table; got {type(shares).__name__}.")
    missing = [p for p in game.players if p not in shares.index]
    extra = [c for c in shares.index if c not in game.players]
    if missing or extra:
        raise CostShareError(f"shares must cover exactly the councils of the game; missing {missing!r}, unknown {extra!r}.")
    values = shares.reindex(list(game.players)).to_numpy()
    if not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values):
        raise CostShareError("shares must be whole pence (ints).")
    return values.astype(np.int64)


def core_check(game: CostGame | Consortium, shares: Mapping[str, int] | pd.Series | pd.DataFrame) -> pd.DataFrame:
    """Coalitions of councils that pay more under ``shares`` than they would on their own.

    Parameters
    ----------
    game
        A cost game, or a consortium (then its :func:`invoice_game`: what each group would pay
        commissioning its own survey, with its boosters and modules).
    shares
        What each council pays, in pence: a mapping, a Series, or a :func:`share_costs` table
        (its ``total_pence``).

    Returns
    -------
    pandas.DataFrame
        One row per coalition that pays more than its stand-alone cost, worst first:
        ``coalition`` (names joined by " + "), ``size``, ``stand_alone_pence``, ``pays_pence``,
        ``excess_pence``. Empty when the shares are in the core. ``attrs`` holds ``in_core``,
        ``coalitions_checked`` and ``balanced`` (whether the shares add up to the whole cost).

    Notes
    -----
    The core is :math:`\\{x : \\sum_{i \\in N} x_i = c(N),\\ \\sum_{i \\in S} x_i \\le c(S)\\ \\forall S\\}`.
    A concave (submodular) cost game has a non-empty core containing its Shapley value
    (Shapley 1971); the consortium games are concave when return prices only fall with volume.
    Every one of the :math:`2^n - 1` coalitions is checked, so at most 20 councils.

    Examples
    --------
    Each council alone costs 100, any two 150, all three 240: any split of 240 leaves some
    pair paying more than 150, so the core is empty.

    >>> from residentsurvey.costshare import CostGame, core_check
    >>> game = CostGame.from_costs(["A", "B", "C"], {("A",): 100, ("B",): 100, ("C",): 100, ("A", "B"): 150,
    ...                                             ("A", "C"): 150, ("B", "C"): 150, ("A", "B", "C"): 240})
    >>> core_check(game, {"A": 80, "B": 80, "C": 80})[["coalition", "excess_pence"]].to_dict("records")
    [{'coalition': 'A + B', 'excess_pence': 10}, {'coalition': 'A + C', 'excess_pence': 10}, {'coalition': 'B + C', 'excess_pence': 10}]
    """
    if isinstance(game, Consortium):
        game = invoice_game(game)
    if not isinstance(game, CostGame):
        raise CostShareError(f"game must be a CostGame or a Consortium; got {type(game).__name__}.")
    if game.n > CORE_LIMIT:
        raise CostShareError(f"the core check enumerates 2^n coalitions; {game.n} councils is more than {CORE_LIMIT}.")
    x = _shares(game, shares)
    masks = np.arange(1, 1 << game.n, dtype=np.int64)
    cost = game.costs(masks)
    pays = members(masks, game.n) @ x
    whole = masks == (1 << game.n) - 1
    bad = (pays > cost) & ~whole
    rows = np.flatnonzero(bad)
    table = pd.DataFrame({
        "coalition": [" + ".join(p for i, p in enumerate(game.players) if (int(m) >> i) & 1) for m in masks[rows]],
        "size": [bin(int(m)).count("1") for m in masks[rows]],
        "stand_alone_pence": cost[rows],
        "pays_pence": pays[rows],
        "excess_pence": pays[rows] - cost[rows],
    })
    table = table.sort_values(["excess_pence", "size"], ascending=[False, True], kind="stable").reset_index(drop=True)
    table.attrs.update(in_core=bool(len(table) == 0 and pays[whole][0] == cost[whole][0]),
                       coalitions_checked=len(masks), balanced=bool(pays[whole][0] == cost[whole][0]))
    return table
