"""Design-based models: regression (R's ``svyglm``), ordinal regression (``svyolr``) and key drivers.

Public entry points are :meth:`SurveyDesign.glm`, :meth:`SurveyDesign.ordinal` and
:func:`key_drivers`. This package sits above :mod:`residentsurvey.analysis`: it uses the
design's variance machinery, and the design's methods import it lazily.
"""

from .drivers import KEY_DRIVER_METHODS, KeyDrivers, key_drivers
from .families import FAMILIES
from .ordinal import ORDINAL_LINKS, OrdinalResults
from .results import PREDICTION_TYPES, GLMResults

__all__ = ["FAMILIES", "PREDICTION_TYPES", "GLMResults", "KEY_DRIVER_METHODS", "KeyDrivers", "key_drivers", "ORDINAL_LINKS",
           "OrdinalResults"]
