"""Money, exactly: amounts are whole pence (Python ints), shares are rounded to pence by largest remainder."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from numbers import Integral, Rational, Real

from ..errors import CostShareError

__all__ = ["to_pence", "format_pence", "round_to_pence"]


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
    exact = [v if isinstance(v, Rational) else Fraction(float(v)) for v in values]
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
