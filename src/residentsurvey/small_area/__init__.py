"""Small-area estimation: ward and neighbourhood estimates fed by the survey design.

:func:`fay_herriot` fits the area-level Fay-Herriot model to direct estimates (``design.mean`` or
``design.proportion`` by area) and area covariates, as R's ``sae::eblupFH``/``mseFH`` and
``emdi::fh``; the :class:`FayHerriot` result holds the estimates, the linking model and its
diagnostics. Modules: ``fit`` (variance and coefficients), ``mse`` (Prasad-Rao, Datta-Lahiri),
``transform`` (arcsine and variance smoothing), ``benchmark``, ``diagnostics``, ``results``.
"""

from .benchmark import BENCHMARK_METHODS
from .diagnostics import FayHerriotDiagnostics
from .fay_herriot import BENCHMARKS, fay_herriot
from .fit import FH_METHODS
from .results import FayHerriot
from .transform import BACKTRANSFORMS, TRANSFORMS

__all__ = ["fay_herriot", "FayHerriot", "FayHerriotDiagnostics", "FH_METHODS", "TRANSFORMS", "BACKTRANSFORMS",
           "BENCHMARKS", "BENCHMARK_METHODS"]
