"""Read every official release in a data folder into one tidy table, with its audit.

Examples
--------
>>> import migkit
>>> run = migkit.harmonise.load()  # MIGKIT_DATA or ../shared/data
>>> df = run.observations.to_pandas()
>>> sorted(run.observations.column_names)[:3]
['age', 'area_code', 'area_code_published']
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from migkit._migkit import harmonise_load

__all__ = ["Harmonised", "load", "revisions"]

PathLike = str | os.PathLike[str]


@dataclass(frozen=True)
class Harmonised:
    """The result of :func:`load`.

    Attributes
    ----------
    observations : pyarrow.Table
        The tidy table: one row per area, period, measure and breakdown, with ``value``,
        ``lower``, ``upper`` and ``status``. ``.to_pandas()`` gives a DataFrame.
    geometry : pyarrow.Table
        Boundaries: ``area_code``, ``area_name``, ``geography_level``, ``geography_vintage``,
        ``geometry`` (WKB, EPSG:4326).
    audit : dict
        ``{"files": [...]}``: for every input file its hash, rows read, used and rejected (with
        reasons) and the totals checked.
    releases : list of dict
        Metadata of each release read (publisher, title, release date, periods, licence).
    revisions : pyarrow.Table
        Every value that a later release of a table changed.
    """

    observations: pa.Table
    geometry: pa.Table
    audit: dict[str, Any]
    releases: list[dict[str, Any]]
    revisions: pa.Table


REVISIONS_SCHEMA = pa.schema(
    [
        (name, pa.string())
        for name in ("table", "area_code", "period", "measure", "group", "age", "sex")
    ]
    + [
        ("old_release", pa.string()),
        ("old_value", pa.float64()),
        ("new_release", pa.string()),
        ("new_value", pa.float64()),
    ]
)


def load(
    data_dir: PathLike | None = None,
    *,
    vintage: str = "newest",
    lenient: bool = False,
    all_releases: bool = False,
) -> Harmonised:
    """Harmonise every release in a data folder.

    Parameters
    ----------
    data_dir : str or path-like, optional
        The data folder, one sub-folder per release. Default: ``$MIGKIT_DATA`` or
        ``../shared/data``.
    vintage : str, default "newest"
        Local authority codes are recoded to the codes in force at this vintage: ``"newest"``
        or an ISO date such as ``"2021-12-31"``. Merged areas are summed.
    lenient : bool, default False
        If True, bad rows are listed in the audit instead of raising.
    all_releases : bool, default False
        Keep every release's values instead of letting the newest release of a table win.

    Returns
    -------
    Harmonised
        The tidy table, boundaries, audit, releases and revisions.

    Raises
    ------
    InputError
        A file that cannot be read as expected; the message names file, row and column.
    AreaCodeError
        An area code in none of the geography lookups.
    DataFileError
        The data folder or a file cannot be opened.
    """
    path = None if data_dir is None else os.fspath(data_dir)
    observations, geometry, audit, releases, revisions = harmonise_load(
        path, vintage=vintage, lenient=lenient, all_releases=all_releases
    )
    return Harmonised(
        observations=observations,
        geometry=geometry,
        audit=json.loads(audit),
        releases=json.loads(releases),
        revisions=pa.Table.from_pylist(json.loads(revisions), schema=REVISIONS_SCHEMA),
    )


def revisions(data_dir: PathLike | None = None) -> pa.Table:
    """List every value that a later release of a table changed.

    Parameters
    ----------
    data_dir : str or path-like, optional
        The data folder (default ``$MIGKIT_DATA`` or ``../shared/data``).

    Returns
    -------
    pyarrow.Table
        Columns ``table, area_code, period, measure, group, age, sex, old_release, old_value,
        new_release, new_value``; empty when no table has two releases.
    """
    return load(data_dir).revisions
