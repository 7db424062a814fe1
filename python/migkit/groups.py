"""Classifications the partnerships plan with: countries into groups, categories into client groups.

The tables are the project's own (``crates/migkit-harmonise/data/countries.csv`` and
``client_groups.csv``).

Examples
--------
>>> from migkit import groups
>>> groups.country_group("Romania"), groups.country_group("Poland"), groups.country_group("India")
('eu2', 'eu8', 'south_asia')
>>> groups.client_group("ho_asy_d11", "people_on_asylum_support", "section_95/contingency_hotel")
'asylum_seekers_contingency_hotel'
"""

from __future__ import annotations

from migkit._migkit import client_group as _client_group
from migkit._migkit import client_groups as _client_groups
from migkit._migkit import country_group as _country_group

__all__ = ["CLIENT_GROUPS", "client_group", "country_group"]


def country_group(name: str) -> str | None:
    """Classify a country of birth or nationality.

    Parameters
    ----------
    name : str
        A country name (``"Czech Republic"``, ``"Czechia"``) or a Census 2021 TS012 label
        (``"europe_eu_countries_..._poland"``); case, accents and punctuation are ignored.

    Returns
    -------
    str or None
        One of ``uk``, ``eu14``, ``eu8``, ``eu2``, ``eu_accession_other``, ``other_eu_eea``,
        ``non_eu_europe``, ``middle_east``, ``south_asia``, ``east_asia``, ``africa``,
        ``americas_caribbean``, ``oceania``, ``other``; None if unknown or if the label spans
        several groups (e.g. ``"europe"``).
    """
    return _country_group(name)


def client_group(source: str, measure: str, group: str | None = None) -> str | None:
    """Classify a Home Office category into the client group services plan for.

    Parameters
    ----------
    source : str
        The ``source`` column of the tidy table (e.g. ``"ho_asy_d11"``).
    measure : str
        The ``measure`` column.
    group : str, optional
        The ``group`` column (accommodation type, scheme, ...).

    Returns
    -------
    str or None
        E.g. ``"asylum_seekers_dispersal"``, ``"resettled_vprs"``, ``"afghan_schemes"``,
        ``"homes_for_ukraine"``, ``"uasc"``; None if the category is not a client group.
    """
    return _client_group(source, measure, group)


CLIENT_GROUPS: list[tuple[str, str | None, str]] = _client_groups()
"""Every client group as ``(name, parent, label)``."""
