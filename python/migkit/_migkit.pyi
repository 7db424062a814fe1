"""Type stubs of the native module ``migkit._migkit`` (the single source of its docstrings)."""

from typing import Any, final

import numpy as np
import numpy.typing as npt

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
    "Weights",
    "___version",
    "client_group",
    "client_groups",
    "country_group",
    "estimate_change",
    "estimate_exponential_retention",
    "estimate_ipf",
    "estimate_local_level",
    "estimate_mann_kendall",
    "estimate_rank_growth",
    "estimate_rate",
    "estimate_reconcile",
    "estimate_sens_slope",
    "estimate_share",
    "estimate_stock_flow",
    "harmonise_load",
    "hotspot_cluster_labels",
    "hotspot_eb_smooth",
    "hotspot_fdr",
    "hotspot_local_g",
    "hotspot_local_moran",
    "hotspot_moran",
    "hotspot_pressure",
    "hotspot_thresholds",
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
        ``(observations, geometry, audit_json, releases_json, revisions_json)``; the first two
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

# --- migkit.estimate (see python/migkit/estimate.py for the public API) ---

def estimate_rate(
    count_lower: npt.NDArray[np.float64],
    count_upper: npt.NDArray[np.float64],
    population: npt.NDArray[np.float64],
    per: float,
    method: str,
    alpha: float,
    rounding: float | None = None,
) -> tuple[
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
]:
    """Rates with intervals (use :func:`migkit.estimate.rate`).

    Returns
    -------
    tuple of numpy.ndarray
        ``(rate, rate_lower, rate_upper, lower, upper, count_lower, count_upper)``.
    """

def estimate_change(
    start: tuple[float, float], end: tuple[float, float], years: float | None = None
) -> tuple[float, float, float, float, float | None, float | None]:
    """Change between two periods (use :func:`migkit.estimate.change`)."""

def estimate_share(part: tuple[float, float], total: tuple[float, float]) -> tuple[float, float]:
    """Share of a total (use :func:`migkit.estimate.share`)."""

def estimate_rank_growth(
    start_lower: npt.NDArray[np.float64],
    start_upper: npt.NDArray[np.float64],
    end_lower: npt.NDArray[np.float64],
    end_upper: npt.NDArray[np.float64],
    measure: str,
) -> tuple[
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.uint64],
    npt.NDArray[np.uint64],
    npt.NDArray[np.uint64],
]:
    """Ranks of growth among areas (use :func:`migkit.estimate.rank_growth`)."""

def estimate_mann_kendall(
    y: npt.NDArray[np.float64],
    method: str = "original",
    alpha: float = 0.05,
    lag: int | None = None,
) -> tuple[str, bool, float, float, float, float, float, float, float]:
    """Mann-Kendall test (use :func:`migkit.estimate.mann_kendall`).

    Returns
    -------
    tuple
        ``(trend, h, p, z, tau, s, var_s, slope, intercept)``.
    """

def estimate_sens_slope(
    y: npt.NDArray[np.float64], alpha: float = 0.05
) -> tuple[float, float, float, float]:
    """Sen's slope ``(slope, intercept, lower, upper)`` (use :func:`migkit.estimate.sens_slope`)."""

def estimate_ipf(
    seed: npt.NDArray[np.float64],
    margins: list[npt.NDArray[np.float64] | None],
    tol: float = 1e-10,
    max_iter: int = 1000,
    margin_tol: float = 1e-8,
) -> tuple[npt.NDArray[np.float64], int, float, bool]:
    """Fit a table by iterative proportional fitting (use :func:`migkit.estimate.ipf`).

    Returns
    -------
    tuple
        ``(fitted, iterations, deviation, converged)``.
    """

def estimate_local_level(
    y: npt.NDArray[np.float64],
    sigma2_irregular: float | None = None,
    sigma2_level: float | None = None,
) -> tuple[
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    float,
    float,
    float,
    int,
]:
    """Smooth a series with the local-level model (use :func:`migkit.estimate.local_level`).

    Returns
    -------
    tuple
        ``(filtered, filtered_var, smoothed, smoothed_var, llf, sigma2_irregular, sigma2_level,
        nobs)``.
    """

def estimate_reconcile(
    areas: list[npt.NDArray[np.float64]],
    benchmark: int = 0,
    max_iter: int = 1000,
    tol: float = 1e-9,
    flag_z: float = 3.0,
    alpha: float = 0.05,
) -> tuple[
    list[
        tuple[
            npt.NDArray[np.float64],
            npt.NDArray[np.float64],
            npt.NDArray[np.float64],
            npt.NDArray[np.float64],
            npt.NDArray[np.float64],
        ]
    ],
    list[float],
    list[float],
    list[int],
    float,
    float,
    int,
    bool,
    list[tuple[int, int, int, float]],
]:
    """Reconcile sources into one series per area (use :func:`migkit.estimate.reconcile`)."""

def estimate_stock_flow(
    stock_start: tuple[float, float],
    stock_end: tuple[float, float],
    inflows_lower: npt.NDArray[np.float64],
    inflows_upper: npt.NDArray[np.float64],
    net_internal: tuple[float, float],
) -> tuple[float, float, float, float, float, float, bool, str]:
    """Stock-flow account of one area (use :func:`migkit.estimate.stock_flow`)."""

def estimate_exponential_retention(
    stock_start: tuple[float, float],
    stock_end: tuple[float, float],
    times: npt.NDArray[np.float64],
    inflows_lower: npt.NDArray[np.float64],
    inflows_upper: npt.NDArray[np.float64],
    horizon: float,
) -> tuple[float, float]:
    """Yearly exit rate interval (use :func:`migkit.estimate.exponential_retention`)."""

# --- hotspot (migkit.weights, migkit.hotspot) ---------------------------------------------------

@final
class Weights:
    """Spatial weights in compressed sparse rows with area ids (use :mod:`migkit.weights`)."""

    @staticmethod
    def from_neighbours(
        ids: list[str], neighbours: list[list[str]], weights: list[list[float]] | None = None
    ) -> Weights:
        """Build weights from neighbour lists (one list of ids per area)."""

    @staticmethod
    def from_wkb(
        ids: list[str], wkb: list[bytes], *, rook: bool = False, tolerance: float = 0.0
    ) -> Weights:
        """Build queen (or rook) contiguity weights from WKB polygons."""

    @staticmethod
    def from_geojson(
        text: str, id_field: str, *, rook: bool = False, tolerance: float = 0.0
    ) -> Weights:
        """Build queen (or rook) contiguity weights from GeoJSON FeatureCollection text."""

    @staticmethod
    def knn(ids: list[str], points: list[tuple[float, float]], k: int) -> Weights:
        """Build k-nearest-neighbour weights on points."""

    @staticmethod
    def distance_band(
        ids: list[str],
        points: list[tuple[float, float]],
        threshold: float,
        *,
        binary: bool = True,
        alpha: float = ...,  # -1.0 (pyo3 does not render negative defaults)
    ) -> Weights:
        """Build distance-band weights on points (``alpha`` defaults to -1.0)."""

    def transformed(self, transform: str) -> Weights:
        """Return the weights with a libpysal transformation (O, B, R, D, V)."""

    @property
    def ids(self) -> list[str]:
        """The area ids, in row order."""

    @property
    def n(self) -> int:
        """The number of areas."""

    @property
    def transform(self) -> str:
        """The current transformation code."""

    @property
    def islands(self) -> list[str]:
        """Ids of areas without neighbours."""

    @property
    def cardinalities(self) -> list[int]:
        """Number of neighbours of each area."""

    @property
    def s0_s1_s2(self) -> tuple[float, float, float]:
        """Return libpysal's s0, s1, s2 of the current weights."""

    def neighbours(self) -> list[tuple[str, list[tuple[str, float]]]]:
        """Each id with its neighbours and their current weights."""

    def lag(self, y: list[float]) -> list[float]:
        """Return the spatial lag of ``y``."""

    def align(self, ids: list[str], values: list[float]) -> list[float]:
        """Reorder values keyed by id into the row order of the weights."""

def hotspot_moran(
    y: list[float],
    w: Weights,
    *,
    transformation: str = "r",
    permutations: int = 999,
    seed: int | None = None,
    two_tailed: bool = True,
) -> dict[str, Any]:
    """Global Moran's I (use :func:`migkit.hotspot.moran`)."""

def hotspot_local_moran(
    y: list[float],
    w: Weights,
    *,
    transformation: str = "r",
    permutations: int = 999,
    seed: int | None = None,
) -> dict[str, Any]:
    """Local Moran's I (use :func:`migkit.hotspot.local_moran`)."""

def hotspot_local_g(
    y: list[float],
    w: Weights,
    *,
    star: bool = False,
    self_weight: float | None = None,
    transform: str = "r",
    permutations: int = 999,
    seed: int | None = None,
) -> dict[str, Any]:
    """Local Getis-Ord G or G* (use :func:`migkit.hotspot.local_g`)."""

def hotspot_fdr(p: list[float], alpha: float = 0.05) -> float:
    """Return the Benjamini-Hochberg threshold as ``esda.fdr``."""

def hotspot_cluster_labels(
    q: list[int], p: list[float], alpha: float = 0.05, correction: str = "none"
) -> list[str]:
    """Return the cluster label of each area."""

def hotspot_eb_smooth(
    events: list[float],
    base: list[float],
    method: str = "global",
    ids: list[str] | None = None,
    neighbours: list[list[str]] | None = None,
    weights: list[list[float]] | None = None,
) -> list[float]:
    """Smoothed rates (use :func:`migkit.hotspot.eb_smooth`)."""

def hotspot_pressure(
    ids: list[str],
    count: list[float],
    population: list[float],
    *,
    threshold: str = "asylum_dispersal",
    value: float | None = None,
    date: str | None = None,
    margin: float = 0.1,
    count_lower: list[float] | None = None,
    count_upper: list[float] | None = None,
) -> dict[str, Any]:
    """Rates against a threshold (use :func:`migkit.hotspot.pressure`)."""

def hotspot_thresholds() -> list[dict[str, Any]]:
    """Return the table of policy thresholds (use :func:`migkit.hotspot.thresholds`)."""
