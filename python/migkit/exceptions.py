"""The exceptions migkit raises: every one is a :class:`MigkitError`, itself a ``ValueError``.

``MigkitError``
    ``InputError`` (a published file cannot be read as expected; names file, row, column)
        ``SchemaError`` (a column is missing)
    ``AreaCodeError`` (malformed code, or in none of the lookups)
    ``PeriodError``, ``ParameterError``, ``DataFileError``, ``HarmoniseError``
"""

from migkit._migkit import (
    AreaCodeError,
    DataFileError,
    HarmoniseError,
    InputError,
    MigkitError,
    ParameterError,
    PeriodError,
    SchemaError,
)

__all__ = [
    "AreaCodeError",
    "DataFileError",
    "HarmoniseError",
    "InputError",
    "MigkitError",
    "ParameterError",
    "PeriodError",
    "SchemaError",
]
