"""migkit: local migration intelligence from official UK releases.

Harmonise DWP, ONS, Home Office and DfE releases into one tidy Arrow table with an audit of
every input row (:mod:`migkit.harmonise`), recode areas between boundary vintages
(:mod:`migkit.geography`), estimate rates, change, trends and raked tables with their
uncertainty (:mod:`migkit.estimate`), and find spatial clusters with the same answers as esda
(:mod:`migkit.weights`, :mod:`migkit.hotspot`).
"""

from migkit import estimate, geography, groups, harmonise, hotspot, weights
from migkit._migkit import ___version
from migkit.exceptions import (
    AreaCodeError,
    DataFileError,
    HarmoniseError,
    InputError,
    MigkitError,
    ParameterError,
    PeriodError,
    SchemaError,
)

__version__: str = ___version()

__all__ = [
    "AreaCodeError",
    "DataFileError",
    "HarmoniseError",
    "InputError",
    "MigkitError",
    "ParameterError",
    "PeriodError",
    "SchemaError",
    "__version__",
    "estimate",
    "geography",
    "groups",
    "harmonise",
    "hotspot",
    "weights",
]
