"""Type stubs of the native module ``migkit._migkit`` (the single source of its docstrings)."""

from typing import Any, final

__all__ = [
    "AreaCodeError",
    "Bridge",
    "DataFileError",
    "HarmoniseError",
    "InputError",
    "MigkitError",
    "ParameterError",
    "PeriodError",
    "SchemaError",
    "___version",
    "client_group",
    "client_groups",
    "country_group",
    "harmonise_load",
]

def ___version() -> str:
    """Return the version of the native module."""

def harmonise_load(
    data_dir: str | None = None,
    *,
    vintage: str | None = None,
    lenient: bool = False,
    all_releases: bool = False,
) -> tuple[Any, Any, str, str, str]:
    """Harmonise a data folder (use :func:`migkit.harmonise.load`).

    Returns
    -------
    tuple
        ``(observations, geometry, audit_json, releases_json, revisions_csv)``; the first two
        are ``pyarrow.Table``.
    """

def country_group(name: str) -> str | None:
    """Return the group of a country of birth or nationality (see ``migkit.groups``)."""

def client_group(source: str, measure: str, group: str | None = None) -> str | None:
    """Return the client group of a Home Office category (see ``migkit.groups``)."""

def client_groups() -> list[tuple[str, str | None, str]]:
    """Return every client group as ``(name, parent, label)``."""

@final
class Bridge:
    """Area codes of every vintage: recode, match names, roll up.

    Built from the geography lookups in a data folder (ONS Code History Database, LAD change
    lists, old-to-new code lookups, MSOA/LSOA lookups).
    """

    @staticmethod
    def from_data_dir(data_dir: str | None = None) -> Bridge:
        """Build the bridge from the lookups in a data folder.

        Parameters
        ----------
        data_dir : str, optional
            Default ``$MIGKIT_DATA`` or ``../shared/data``.

        Returns
        -------
        Bridge
            The bridge.
        """

    def recode(self, code: str, vintage: str | None = None) -> list[tuple[str, float]]:
        """Recode a code of any vintage to the codes in force at ``vintage``.

        Parameters
        ----------
        code : str
            A GSS code (``"E07000182"``) or a legacy ONS district code (``"39UB"``).
        vintage : str, optional
            ``"newest"`` (default) or an ISO date.

        Returns
        -------
        list of (str, float)
            The successor code(s) and the share of the area each receives (1.0 for a merger
            or re-code).

        Raises
        ------
        AreaCodeError
            If the code is malformed or in none of the lookups, or was split (use :meth:`split`).
        """

    def split(
        self, code: str, weights: dict[str, float], vintage: str | None = None
    ) -> list[tuple[str, float]]:
        """Split a code whose area was divided, with stated weights (e.g. population).

        Parameters
        ----------
        code : str
            The code that was split (e.g. ``"E10000021"``, Northamptonshire county).
        weights : dict of str to float
            A weight for each successor code.
        vintage : str, optional
            ``"newest"`` (default) or an ISO date.

        Returns
        -------
        list of (str, float)
            Each successor with its share (shares sum to 1).
        """

    def code_for_name(self, name: str, on: str) -> str:
        """Return the code of an area named as a publisher names it, in force on a date.

        Parameters
        ----------
        name : str
            E.g. ``"Herefordshire"`` or ``"Bournemouth, Christchurch and Poole"``.
        on : str
            An ISO date (or any period; its last day is used).

        Returns
        -------
        str
            The GSS code.
        """

    def name(self, code: str) -> str | None:
        """Return the official name of a code, if known."""

    def region_of(self, code: str) -> str | None:
        """Return the region (E12) or country code of an area, if known."""

    def upper_tier_of(self, code: str) -> str | None:
        """Return the upper-tier authority of a district (itself for unitary authorities)."""

    def lad_of(self, code: str) -> str | None:
        """Return the local authority district of an MSOA or LSOA."""

    def members(self, parent: str, level: str = "lad", vintage: str | None = None) -> list[str]:
        """List the areas of a level within a parent, e.g. the districts of a region.

        Parameters
        ----------
        parent : str
            E.g. ``"E12000005"``.
        level : str, default "lad"
            ``"lad"``, ``"utla"``, ``"msoa"``, ``"lsoa"``, ...
        vintage : str, optional
            ``"newest"`` (default) or an ISO date.

        Returns
        -------
        list of str
            Sorted codes.
        """

    def __len__(self) -> int: ...
    def __contains__(self, code: str, /) -> bool: ...

class MigkitError(ValueError):
    """Base class of every error migkit raises."""

class InputError(MigkitError):
    """A published file that cannot be read as expected."""

class SchemaError(InputError):
    """A column that a reader needs is missing."""

class AreaCodeError(MigkitError):
    """An area code that is malformed or unknown."""

class PeriodError(MigkitError):
    """A period that cannot be parsed."""

class ParameterError(MigkitError):
    """A parameter outside its allowed range."""

class DataFileError(MigkitError):
    """A file or folder that cannot be opened or written."""

class HarmoniseError(MigkitError):
    """Any other failure while harmonising."""
