"""Money, exactly: amounts are whole pence (Python ints), shares are rounded to pence by largest remainder."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from numbers import Integral, Rational, Real

from ..errors import CostShareError

__all__ = ["to_pence", "format_pence", "round_to_pence", "round_table_to_pence"]


def to_pence(amount: str | int | float | Decimal, *, what: str = "amount") -> int:
    """An amount in pounds (``"£12,500.00"``, ``"0.85"``, ``Decimal("2.40")``, ``12500``) as whole pence.

    Floats are read through their shortest decimal form (``0.85`` is 85p, not 84.999...p).
    Negative amounts and fractions of a penny are errors naming ``what``.

    Examples
    --------
    >>> to_pence("£12,500.00"), to_pence(0.85), to_pence(3)
    (1250000, 85, 300)
    """
    if isinstance(amount, bool):
        raise CostShareError(f"{what} must be an amount in pounds; got {amount!r}.")
    if isinstance(amount, str):
        text = amount.strip().replace("£", "").replace(",", "").replace("_", "")
    elif isinstance(amount, (Integral, Decimal)):
        text = str(amount)
    elif isinstance(amount, Real):
        text = repr(float(amount))
    else:
        raise CostShareError(f"{what} must be an amount in pounds (a number or text such as '1,250.00'); got {amount!r}.")
    try:
        pounds = Decimal(text)
    except InvalidOperation:
        raise CostShareError(f"{what} {amount!r} is not an amount in pounds; write it like '1,250.00'.") from None
    if not pounds.is_finite():
        raise CostShareError(f"{what} must be a finite amount; got {amount!r}.")
    pence = pounds * 100
    if pence != pence.to_integral_value():
        raise CostShareError(f"{what} {amount!r} has a fraction of a penny; give it in whole pence.")
    if pence < 0:
        raise CostShareError(f"{what} must not be negative; got {amount!r}. Costs are amounts the consortium pays.")
    return int(pence)


def format_pence(pence: int) -> str:
    """Pence as pounds for a statement: ``1234567`` → ``'£12,345.67'``.

    Examples
    --------
    >>> format_pence(1234567), format_pence(-5)
    ('£12,345.67', '-£0.05')
    """
    sign = "-" if pence < 0 else ""
    pounds, pennies = divmod(abs(int(pence)), 100)
    return f"{sign}£{pounds:,}.{pennies:02d}"


def round_to_pence(values: Sequence[Fraction | int | float], total: int) -> list[int]:
    """Whole pence, one per value, summing exactly to ``total`` (largest remainder).

    The values are first scaled to sum to ``total`` exactly (they already do when exact), then
    each gets its floor and the pence left over go one each to the largest remainders (ties:
    first value first). Every result is within a penny of its value.

    Notes
    -----
    Hamilton's largest-remainder method: :math:`x_i = \\lfloor v_i \\rfloor + [i \\in R]` with
    :math:`R` the :math:`T - \\sum \\lfloor v_i \\rfloor` values of largest :math:`v_i - \\lfloor v_i \\rfloor`.

    Examples
    --------
    >>> from fractions import Fraction
    >>> round_to_pence([Fraction(100, 3)] * 3, 100)
    [34, 33, 33]
    """
    exact = [_exact(v) for v in values]
    total = int(total)
    whole = sum(exact, Fraction(0))
    if not exact:
        if total:
            raise CostShareError(f"cannot share {format_pence(total)} among nobody.")
        return []
    if whole != total:
        if whole == 0:
            raise CostShareError(f"the shares add to nothing, so cannot be scaled to {format_pence(total)}.")
        exact = [v * total / whole for v in exact]
    floors = [v.numerator // v.denominator for v in exact]
    left = total - sum(floors)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return floors


def _exact(value: Fraction | int | float) -> Fraction:
    return Fraction(value) if isinstance(value, Rational) else Fraction(float(value))


def round_table_to_pence(rows: Sequence[Sequence[Fraction | int | float]], total: int) -> list[list[int]]:
    """Whole pence for a table of exact amounts (one row per council), so that rows, columns and total all add up.

    A controlled rounding: every row total is within a penny of its exact total, every column
    total within a penny of its exact total, the whole table sums exactly to ``total``, and every
    cell is its exact amount rounded down or up (a whole-penny amount stays as it is).

    The rule: the row totals are rounded first, by largest remainder (:func:`round_to_pence`),
    and so are the column totals; then each cell is its amount rounded down, and the pence each
    row and column still lacks are given one to a cell, to cells with a fraction of a penny (a
    row's largest fractions first), so that every row and column reaches its rounded total (a
    maximum flow, found by augmenting paths in row order). When the cells cannot reach the largest-remainder row totals
    exactly (their fractions are concentrated in too few columns, which is rare), each row total
    is instead rounded up or down as the columns allow: still within a penny of its exact total.

    Parameters
    ----------
    rows
        Exact amounts in pence (``Fraction``, ``int`` or ``float``), one sequence per row, all
        of the same length.
    total
        The whole pence the table must add up to (the invoice); the amounts are scaled to it
        first when they add up to something else, as :func:`round_to_pence` does.

    Notes
    -----
    Cox (1987), "A constructive procedure for unbiased controlled rounding", JASA 82: a
    two-way table always has a controlled rounding in which each cell moves to an adjacent
    integer and the totals add up. Here the column totals are whole pence (each kind of cost
    adds to a whole number of pence), and the rounding is the integral flow of the network
    source → row → cell → column → sink whose fractional solution is the table's fractions.

    Examples
    --------
    Three councils share three costs of £1 each in thirds. Rounding each column alone gives the
    first council 34p three times, 102p for an exact £1; rounded together, every council pays £1:

    >>> from fractions import Fraction
    >>> thirds = [[Fraction(100, 3)] * 3] * 3
    >>> round_table_to_pence(thirds, 300)
    [[34, 33, 33], [33, 34, 33], [33, 33, 34]]
    """
    exact = [[_exact(v) for v in row] for row in rows]
    total = int(total)
    if not exact:
        round_to_pence([], total)  # the error for sharing a total among nobody
        return []
    width = len(exact[0])
    if any(len(row) != width for row in exact):
        raise CostShareError("every row of the table must have the same number of amounts.")
    whole = sum((sum(row, Fraction(0)) for row in exact), Fraction(0))
    if whole != total:
        if whole == 0:
            raise CostShareError(f"the amounts add to nothing, so cannot be scaled to {format_pence(total)}.")
        exact = [[v * total / whole for v in row] for row in exact]
    floors = [[_floor(v) for v in row] for row in exact]
    fractions = [[v - f for v, f in zip(row, frow)] for row, frow in zip(exact, floors)]
    allowed = [[f != 0 for f in row] for row in fractions]
    row_targets = round_to_pence([sum(row, Fraction(0)) for row in exact], total)
    column_targets = round_to_pence([sum(column, Fraction(0)) for column in zip(*exact)], total)
    row_need = [t - sum(row) for t, row in zip(row_targets, floors)]
    column_need = [t - sum(column) for t, column in zip(column_targets, zip(*floors))]
    ups = _distribute(row_need, column_need, allowed, fractions)
    if ups is None:
        ups = _any_controlled(fractions, allowed)
    return [[f + u for f, u in zip(frow, urow)] for frow, urow in zip(floors, ups)]


def _floor(value: Fraction) -> int:
    return value.numerator // value.denominator


def _ceiling(value: Fraction) -> int:
    return -(-value.numerator // value.denominator)


def _any_controlled(fractions: list[list[Fraction]], allowed: list[list[bool]]) -> list[list[int]]:
    """Cells' extra pence when the largest-remainder totals cannot all be met: rows and columns each up or down.

    The table of fractions is bordered by a slack column (what each row lacks of its next whole
    penny) and a slack row (the same for columns); every margin of the bordered table is whole,
    so it has a 0/1 rounding (Cox 1987), found by the same maximum flow.
    """
    row_sums = [sum(row, Fraction(0)) for row in fractions]
    column_sums = [sum(column, Fraction(0)) for column in zip(*fractions)]
    row_slack = [_ceiling(r) - r for r in row_sums]
    column_slack = [_ceiling(c) - c for c in column_sums]
    bordered = [[*row, slack != 0] for row, slack in zip(allowed, row_slack)]
    bordered.append([slack != 0 for slack in column_slack] + [False])
    ups = _distribute([*map(_ceiling, row_sums), int(sum(column_slack, Fraction(0)))],
                      [*map(_ceiling, column_sums), int(sum(row_slack, Fraction(0)))], bordered)
    if ups is None:  # pragma: no cover - the fractions are a solution of the flow, so a whole one exists
        raise CostShareError("cannot round the table to pence with its rows and columns adding up.")
    return [row[:-1] for row in ups[:-1]]


def _distribute(row_need: list[int], column_need: list[int], allowed: list[list[bool]],
                preference: list[list[Fraction]] | None = None) -> list[list[int]] | None:
    """A 0/1 table with the given row and column sums, ones only where ``allowed``; None when there is none.

    Maximum flow by augmenting paths (breadth first, rows in order, each row trying its columns
    in order of ``preference``, largest first), on the bipartite graph of rows and columns:
    small tables (councils by kinds of cost), exact integers.
    """
    if any(n < 0 for n in row_need) or any(n < 0 for n in column_need) or sum(row_need) != sum(column_need):
        return None
    n_rows, n_columns = len(row_need), len(column_need)
    ones = [[0] * n_columns for _ in range(n_rows)]
    holders: list[set[int]] = [set() for _ in range(n_columns)]  # rows holding a penny in each column
    order = [sorted(range(n_columns), key=lambda j: -row[j]) for row in preference] if preference else \
        [list(range(n_columns))] * n_rows
    column_left = list(column_need)
    for start in range(n_rows):
        for _ in range(row_need[start]):
            # breadth-first search from row `start` to a column with pence still to give
            parent: dict[tuple[str, int], tuple[str, int] | None] = {("r", start): None}
            queue, end = deque([("r", start)]), None
            while queue and end is None:
                kind, i = queue.popleft()
                if kind == "r":
                    for j in order[i]:
                        if allowed[i][j] and not ones[i][j] and ("c", j) not in parent:
                            parent[("c", j)] = (kind, i)
                            if column_left[j] > 0:
                                end = ("c", j)
                                break
                            queue.append(("c", j))
                else:
                    for r in sorted(holders[i]):
                        if ("r", r) not in parent:
                            parent[("r", r)] = (kind, i)
                            queue.append(("r", r))
            if end is None:
                return None
            column_left[end[1]] -= 1
            node: tuple[str, int] = end
            while (previous := parent[node]) is not None:
                if node[0] == "c":  # row previous -> column node: take the penny
                    ones[previous[1]][node[1]] = 1
                    holders[node[1]].add(previous[1])
                else:  # column previous -> row node: that row gives its penny in the column back
                    ones[node[1]][previous[1]] = 0
                    holders[previous[1]].discard(node[1])
                node = previous
    return ones
