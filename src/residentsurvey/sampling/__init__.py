"""Sample design: sample sizes, allocation across councils and strata, and selection from an address frame."""

from .allocation import ALLOCATION_METHODS, allocate, largest_remainder
from .selection import SELECTION_METHODS, inclusion_probabilities, select_sample
from .size import SampleSize, margin_of_error, plan_sample_sizes, sample_size

__all__ = [
    "SampleSize",
    "sample_size",
    "margin_of_error",
    "plan_sample_sizes",
    "ALLOCATION_METHODS",
    "allocate",
    "largest_remainder",
    "SELECTION_METHODS",
    "inclusion_probabilities",
    "select_sample",
]
