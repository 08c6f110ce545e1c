"""Looking up a string option in a registry, with the standard error listing the valid names."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from ..errors import OptionError

T = TypeVar("T")


def lookup(registry: Mapping[str, T], option: str, value: object) -> T:
    """The entry ``value`` of ``registry``; an :class:`OptionError` listing the valid names otherwise."""
    try:
        return registry[value]  # type: ignore[index]
    except (KeyError, TypeError):
        raise OptionError.unknown(option, value, registry) from None
