"""Rolling windows of consecutive fieldwork periods, and which pairs of windows to compare.

A window of length *k* ending in period *t* pools the returns of periods *t-k+1..t* (a rolling
12 months is ``window=4`` quarters). Windows that share periods share respondents, so their
estimates are correlated; :data:`PAIRS` names the comparisons :func:`window_pairs` offers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import DesignError, OptionError


@dataclass(frozen=True)
class Window:
    """One rolling window: its label (the first and last period) and its periods in order."""

    label: str
    periods: tuple[str, ...]

    @property
    def end(self) -> str:
        return self.periods[-1]

    def overlap(self, other: "Window") -> int:
        """Number of periods the two windows share."""
        return len(set(self.periods) & set(other.periods))


def rolling_windows(period_labels: Sequence[str], *, window: int) -> tuple[Window, ...]:
    """Every run of ``window`` consecutive periods, in time order.

    Examples
    --------
    >>> [w.label for w in rolling_windows(["2025Q1", "2025Q2", "2025Q3"], window=2)]
    ['2025Q1-2025Q2', '2025Q2-2025Q3']
    >>> [w.label for w in rolling_windows(["2025Q1", "2025Q2"], window=1)]
    ['2025Q1', '2025Q2']
    """
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise DesignError(f"window must be a whole number of periods, at least 1; got {window!r}.")
    labels = sorted(set(period_labels))
    if len(labels) < window:
        raise DesignError(
            f"window={window} periods but the returns cover only {len(labels)} ({', '.join(labels)}); "
            "use a shorter window or wait for more fieldwork."
        )
    out = []
    for start in range(len(labels) - window + 1):
        chosen = tuple(labels[start:start + window])
        label = chosen[0] if window == 1 else f"{chosen[0]}-{chosen[-1]}"
        out.append(Window(label, chosen))
    return tuple(out)


def _previous(windows: tuple[Window, ...], length: int) -> list[tuple[int, int]]:
    """Each window against the one ending ``length`` periods earlier (no shared periods when length >= window)."""
    return [(k - length, k) for k in range(length, len(windows))]


def window_pairs(windows: tuple[Window, ...], pairs: str | Sequence[tuple[str, str]]) -> list[tuple[int, int]]:
    """(earlier, later) window positions to compare.

    ``pairs`` is one of :data:`PAIRS` or a list of (earlier label, later label).
    """
    length = len(windows[0].periods)
    if isinstance(pairs, str):
        if pairs == "previous":
            return _previous(windows, length)
        if pairs == "consecutive":
            return _previous(windows, 1)
        if pairs == "all":
            return [(a, b) for b in range(len(windows)) for a in range(b)]
        raise OptionError.unknown("pairs", pairs, PAIRS)
    index = {w.label: k for k, w in enumerate(windows)}
    out = []
    for pair in pairs:
        try:
            a, b = (index[label] for label in pair)
        except (KeyError, TypeError, ValueError):
            raise DesignError(f"pair {pair!r} does not name two windows; the windows are: {', '.join(index)}.") from None
        out.append((a, b))
    return out


#: Which windows to compare: "previous" (default: each window against the one just before it
#: with no period in common), "consecutive" (overlapping neighbours) or "all" pairs.
PAIRS = {
    "previous": "each window against the latest earlier window sharing no period with it",
    "consecutive": "each window against the one a period earlier (they overlap when window > 1)",
    "all": "every pair of windows",
}
