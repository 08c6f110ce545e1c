"""Continuous fieldwork and tracking: periods, rolling estimates, honest tests of change, lead indicators.

- :func:`periods` places each return in a quarter or month; :func:`questionnaire_versions` lists
  the versions in force per period.
- :func:`rolling` estimates every indicator for every window of consecutive periods, each window
  weighted on its own, and returns a :class:`Tracker`.
- :func:`changes` (``tracker.changes()``) tests change between windows with the covariance of
  shared respondents, with a multiplicity-controlled ``signal`` and the minimum detectable change.
- :func:`lagged_association` relates one indicator's earlier windows to another's later ones
  across councils.
"""

from .change import CHANGE_COLUMNS, changes, minimum_detectable_change
from .lagged import lagged_association
from .periods import FREQUENCIES, periods, questionnaire_versions
from .rolling import COLUMNS, Tracker, rolling
from .windows import PAIRS as TRACKING_PAIRS
from .windows import Window, rolling_windows

__all__ = [
    "CHANGE_COLUMNS", "COLUMNS", "FREQUENCIES", "TRACKING_PAIRS", "Tracker", "Window", "changes",
    "lagged_association", "minimum_detectable_change", "periods", "questionnaire_versions", "rolling",
    "rolling_windows",
]
