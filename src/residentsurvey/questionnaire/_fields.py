"""Typed reads of YAML values, each failing with ``file:line path: what was expected, what was found``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from ..errors import QuestionnaireError
from ._yaml import Path, Source
from .model import is_slug


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class Fields:
    """Reads values out of a parsed :class:`Source`, raising located errors."""

    def __init__(self, source: Source) -> None:
        self.source = source

    def error(self, path: Path, message: str) -> QuestionnaireError:
        return self.source.error(path, message)

    def line(self, path: Path) -> int:
        return self.source.line(path)

    def mapping(self, value: object, path: Path, *, required: Iterable[str] = (),
                allowed: Iterable[str] = ()) -> dict:
        """A mapping with no unknown keys and every required key present."""
        if not isinstance(value, dict):
            raise self.error(path, f"expected a mapping of keys to values; found {type(value).__name__} {_shown(value)}.")
        allowed = tuple(allowed)
        for key in value:
            if key not in allowed:
                raise self.error((*path, key), f"unknown key {key!r}; allowed keys here are {', '.join(allowed)}.")
        for key in required:
            if key not in value:
                raise self.error(path, f"missing required key {key!r}.")
        return value

    def sequence(self, value: object, path: Path, *, what: str, empty: bool = False) -> list:
        if not isinstance(value, list):
            raise self.error(path, f"expected a list of {what}; found {type(value).__name__} {_shown(value)}.")
        if not value and not empty:
            raise self.error(path, f"expected at least one of {what}; the list is empty.")
        return value

    def text(self, value: object, path: Path, *, what: str = "text") -> str:
        """Text; an unquoted ``Yes``, ``No`` or ``1.0`` keeps the characters written in the file."""
        if isinstance(value, str):
            if not value.strip():
                raise self.error(path, f"expected {what}; found an empty string.")
            return value
        raw = self.source.raw.get(path)
        if raw is not None and value is not None and not isinstance(value, (list, dict)) and raw.strip():
            return raw
        raise self.error(path, f"expected {what}; found {type(value).__name__} {_shown(value)}.")

    def slug(self, value: object, path: Path, *, what: str = "an id") -> str:
        if isinstance(value, bool) and path in self.source.raw:
            value = self.source.raw[path]  # an unquoted yes/no/on/off is the id, not a boolean
        if not is_slug(value):
            raise self.error(path, f"expected {what} in lower case letters, digits and underscores, starting with a "
                                   f"letter (e.g. q_satisfied_area); found {_shown(value)}.")
        return str(value)

    def integer(self, value: object, path: Path, *, what: str = "a whole number") -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(path, f"expected {what}; found {type(value).__name__} {_shown(value)}.")
        return value

    def number(self, value: object, path: Path) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            raise self.error(path, f"expected a number; found {type(value).__name__} {_shown(value)}.")
        if abs(value) == float("inf"):
            raise self.error(path, "expected a finite number; found infinity.")
        return float(value)

    def boolean(self, value: object, path: Path) -> bool:
        if not isinstance(value, bool):
            raise self.error(path, f"expected true or false; found {_shown(value)}.")
        return value

    def choice(self, value: object, path: Path, registry: Mapping[object, str], *, what: str) -> str:
        if not isinstance(value, str) or value not in registry:
            names = ", ".join(repr(k) for k in registry)
            raise self.error(path, f"{_shown(value)} is not a known {what}; use one of {names}.")
        return value

    def date(self, value: object, path: Path) -> str:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value.isoformat()
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value).isoformat()
            except ValueError:
                pass
        raise self.error(path, f"expected a date as YYYY-MM-DD; found {_shown(value)}.")

    def codes(self, value: object, path: Path, *, what: str = "codes") -> tuple[int, ...]:
        items = self.sequence(value, path, what=what)
        out = [self.integer(item, (*path, i), what="a whole-number code") for i, item in enumerate(items)]
        for i, code in enumerate(out):
            if code in out[:i]:
                raise self.error((*path, i), f"code {code} listed twice.")
        return tuple(out)
