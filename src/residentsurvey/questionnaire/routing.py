"""Routing: the condition under which a question is asked, and its three-valued evaluation.

A condition is data (``{item: q1, in: [1, 2]}``, ``{all: [...]}``, ``{any: [...]}``,
``{not: ...}``, ``{item: q1, answered: true}``). Evaluated on returns it gives, for each
respondent, *true* (asked), *false* (not asked) or *unknown* (it depends on an answer the
respondent did not give). Validation flags routing only where the answer is known.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

#: Condition operators and what they mean.
ROUTING_OPERATORS: dict[str, str] = {
    "in": "the answer to item is one of the listed codes (or values, for sample fields)",
    "not_in": "the answer to item is given and is none of the listed codes",
    "answered": "item was answered (true) or left blank (false)",
    "all": "every listed condition holds",
    "any": "at least one listed condition holds",
    "not": "the condition does not hold",
}


@dataclass(frozen=True)
class Condition:
    """A routing condition: ``op`` with an ``item`` and ``values``, or sub-conditions in ``parts``."""

    op: str
    item: str | None = None
    values: tuple[object, ...] = ()
    parts: tuple["Condition", ...] = ()

    def items(self) -> tuple[str, ...]:
        """Every item (question or sample field) the condition refers to, in order."""
        if self.item is not None:
            return (self.item,)
        return tuple(name for part in self.parts for name in part.items())

    def __str__(self) -> str:
        if self.op == "in":
            return f"{self.item} in {list(self.values)}"
        if self.op == "not_in":
            return f"{self.item} not in {list(self.values)}"
        if self.op == "answered":
            return f"{self.item} {'answered' if self.values[0] else 'not answered'}"
        if self.op == "not":
            return f"not ({self.parts[0]})"
        joined = f" {'and' if self.op == 'all' else 'or'} ".join(
            f"({part})" if part.parts else str(part) for part in self.parts)
        return joined

    def evaluate(self, lookup: Callable[[str, tuple[object, ...]], tuple[np.ndarray, np.ndarray]],
                 ) -> tuple[np.ndarray, np.ndarray]:
        """Evaluate on returns: ``(holds, known)`` boolean arrays, one element per respondent.

        ``lookup(item, values)`` returns ``(matches, answered)``: whether the respondent's
        answer is one of ``values`` and whether they answered at all.
        """
        if self.op in ("in", "not_in", "answered"):
            matches, answered = lookup(self.item or "", self.values if self.op != "answered" else ())
            if self.op == "in":
                return matches & answered, answered
            if self.op == "not_in":
                return ~matches & answered, answered
            return (answered if self.values[0] else ~answered), np.ones_like(answered)
        results = [part.evaluate(lookup) for part in self.parts]
        if self.op == "not":
            holds, known = results[0]
            return ~holds & known, known
        holds = np.stack([h for h, _ in results])
        known = np.stack([k for _, k in results])
        if self.op == "all":
            false = (~holds & known).any(axis=0)
            true = (holds & known).all(axis=0)
        else:
            true = (holds & known).any(axis=0)
            false = (~holds & known).all(axis=0)
        return true, true | false


def all_of(*conditions: Condition | None) -> Condition | None:
    """The conjunction of the given conditions (None ones left out)."""
    given = tuple(c for c in conditions if c is not None)
    if not given:
        return None
    return given[0] if len(given) == 1 else Condition("all", parts=given)
