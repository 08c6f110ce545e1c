"""Small helpers for messages: values shown as a person reads them."""

from __future__ import annotations


def shown(value: object) -> str:
    """``repr`` of a value, with numpy scalars shown as plain Python numbers (``-3``, not ``np.int64(-3)``)."""
    item = getattr(value, "item", None)
    if callable(item) and getattr(value, "ndim", None) == 0:
        value = item()
    return repr(value)
