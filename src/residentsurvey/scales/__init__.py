"""Scale scoring: ONS4, WEMWBS/SWEMWBS, Likert items and composite indices declared as data; reliability."""

from .instrument import Instrument, load_instrument, shipped_instruments
from .reliability import cronbach_alpha, item_statistics, reliability_report
from .scoring import score

__all__ = ["Instrument", "load_instrument", "shipped_instruments", "score", "cronbach_alpha", "item_statistics",
           "reliability_report"]
