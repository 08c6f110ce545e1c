"""Sharing: open data packages, safe microdata for partners, and the offline explorer.

Everything here starts from tables the earlier layers made (the indicator table, a weighted
design): nothing is estimated differently for publication.
"""

from .explorer import write_explorer
from .microdata import MICRODATA_FORMATS, SafeMicrodata, safe_microdata
from .release import Release, publish_release
from .open_data import LICENCES, NOT_APPLICABLE, SUPPRESSED, OpenDataPackage, open_data, read_open_data

__all__ = [
    "open_data",
    "read_open_data",
    "OpenDataPackage",
    "LICENCES",
    "SUPPRESSED",
    "NOT_APPLICABLE",
    "safe_microdata",
    "SafeMicrodata",
    "MICRODATA_FORMATS",
    "write_explorer",
    "publish_release",
    "Release",
]
