"""migkit: local migration intelligence from official UK releases.

Harmonise DWP, ONS, Home Office and DfE releases into one tidy Arrow table with an audit of
every input row (:mod:`migkit.harmonise`), and recode areas between boundary vintages
(:mod:`migkit.geography`).
"""

from migkit import geography, groups, harmonise
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
    "geography",
    "groups",
    "harmonise",
]
