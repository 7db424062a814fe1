"""Spatial autocorrelation and hot spots: global and local Moran's I, local Getis-Ord G/G*.

The functions have PEP 8 names; their results expose the attribute names esda users read
(``I``, ``EI``, ``z_norm``, ``p_norm``, ``p_sim``, ``Is``, ``q``, ``Gs``, ``Zs``), so analysis
code written against esda keeps working. Analytical values equal esda 2.9's; permutation
inference is seeded and gives identical results for a seed whatever the number of threads
(it agrees with esda's in distribution, not draw for draw). The GIL is released while computing.

Name map: ``esda.Moran`` → :func:`moran`, ``esda.Moran_Local`` → :func:`local_moran`,
``esda.G_Local`` → :func:`local_g`, ``esda.fdr`` → :func:`fdr`; ``esda.smoothing.Excess_Risk``,
``Empirical_Bayes`` and ``Spatial_Empirical_Bayes`` → :func:`eb_smooth`. :func:`pressure` compares
rates with policy thresholds (:func:`thresholds`).

Examples
--------
>>> from migkit import hotspot
>>> from migkit.weights import Weights
>>> w = Weights.from_dict({"a": ["b"], "b": ["a", "c"], "c": ["b", "d"], "d": ["c"]})
>>> round(hotspot.moran([1, 2, 3, 4], w, seed=1).I, 12)
0.4
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from migkit._migkit import (
    hotspot_cluster_labels,
    hotspot_eb_smooth,
    hotspot_fdr,
    hotspot_local_g,
    hotspot_local_moran,
    hotspot_moran,
    hotspot_pressure,
    hotspot_thresholds,
)
from migkit.weights import Weights

__all__ = [
    "LocalG",
    "LocalMoran",
    "Moran",
    "Pressure",
    "cluster_labels",
    "eb_smooth",
    "fdr",
    "local_g",
    "local_moran",
    "moran",
    "pressure",
    "thresholds",
]


def _values(y: Any, w: Weights, ids: Iterable[Any] | None) -> list[float]:
    """Return ``y`` as floats in the row order of ``w`` (reordered by ``ids`` if given)."""
    if ids is None and hasattr(y, "index") and hasattr(y, "to_numpy"):
        index = [str(i) for i in y.index]
        if set(index) == set(w.ids) and index != list(w.ids):
            ids = index
    values = np.asarray(y, dtype=np.float64).ravel()
    if ids is not None:
        return w._native.align([str(i) for i in ids], values.tolist())
    return values.tolist()


def _table(columns: dict[str, Any]) -> Any:
    import pyarrow as pa

    return pa.table(columns)


@dataclass(frozen=True)
class Moran:
    """Global Moran's I (esda ``Moran`` attributes)."""

    I: float  # noqa: E741
    EI: float
    VI_norm: float
    seI_norm: float  # noqa: N815
    z_norm: float
    p_norm: float
    VI_rand: float
    seI_rand: float  # noqa: N815
    z_rand: float
    p_rand: float
    p_sim: float
    EI_sim: float
    seI_sim: float  # noqa: N815
    z_sim: float
    p_z_sim: float
    n: int
    permutations: int
    seed: int

    def to_dict(self) -> dict[str, float]:
        """Return the statistics as a dict."""
        return dict(self.__dict__)

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><th>{k}</th><td>{v:.6g}</td></tr>" for k, v in self.__dict__.items())
        return f"<table><caption>Moran's I</caption>{rows}</table>"


def moran(
    y: Any,
    w: Weights,
    *,
    ids: Iterable[Any] | None = None,
    transformation: str = "r",
    permutations: int = 999,
    seed: int | None = None,
    two_tailed: bool = True,
) -> Moran:
    """Global Moran's I with normality, randomisation and permutation inference (esda ``Moran``).

    Parameters
    ----------
    y : array-like or pandas.Series
        One value per area, in the order of ``w.ids`` (or keyed by ``ids`` / the Series index).
    w : Weights
        Spatial weights.
    ids : iterable, optional
        The area id of each value of ``y``, if not in the order of ``w.ids``.
    transformation : str, default "r"
        Weights transformation applied first (``"o"``, ``"b"``, ``"r"``, ``"d"``, ``"v"``).
    permutations : int, default 999
        Random permutations for ``p_sim``/``z_sim`` (0 for none).
    seed : int, optional
        Seed of the permutations; results are identical for a seed at any thread count.
    two_tailed : bool, default True
        Two-tailed analytical p-values, as esda.

    Returns
    -------
    Moran
        ``I, EI, VI_norm, seI_norm, z_norm, p_norm, VI_rand, seI_rand, z_rand, p_rand, p_sim,
        EI_sim, seI_sim, z_sim, p_z_sim``.

    Raises
    ------
    migkit.InputError
        Naming the area whose value is NaN/infinite or unknown to the weights, or if ``y`` is
        constant or every area is an island.
    """
    d = hotspot_moran(
        _values(y, w, ids),
        w._native,
        transformation=transformation,
        permutations=permutations,
        seed=seed,
        two_tailed=two_tailed,
    )
    return Moran(**d)


@dataclass(frozen=True)
class LocalMoran:
    """Local Moran's I (esda ``Moran_Local`` attributes, as numpy arrays)."""

    ids: list[str]
    Is: np.ndarray
    q: np.ndarray
    EI: np.ndarray
    VI: np.ndarray
    p_sim: np.ndarray
    EI_sim: np.ndarray
    seI_sim: np.ndarray  # noqa: N815
    z_sim: np.ndarray
    p_z_sim: np.ndarray
    permutations: int
    seed: int
    _columns: tuple[str, ...] = field(
        default=("Is", "q", "EI", "VI", "p_sim", "z_sim", "p_z_sim"), repr=False
    )

    def labels(self, alpha: float = 0.05, correction: str = "none") -> np.ndarray:
        """Return the cluster label of each area at ``alpha``.

        Parameters
        ----------
        alpha : float, default 0.05
            Significance level.
        correction : {"none", "bonferroni", "fdr"}
            Multiple-testing correction of ``p_sim``.

        Returns
        -------
        numpy.ndarray
            ``"High-High"``, ``"Low-High"``, ``"Low-Low"``, ``"High-Low"`` or
            ``"Not significant"``.
        """
        return np.asarray(
            hotspot_cluster_labels(self.q.tolist(), self.p_sim.tolist(), alpha, correction)
        )

    def to_arrow(self) -> Any:
        """Return a ``pyarrow.Table`` with one row per area."""
        cols: dict[str, Any] = {"id": self.ids}
        cols.update({c: getattr(self, c) for c in self._columns})
        cols["label"] = self.labels()
        return _table(cols)

    def to_pandas(self) -> Any:
        """Return a ``pandas.DataFrame`` with one row per area."""
        return self.to_arrow().to_pandas()

    def _repr_html_(self) -> str:
        return self.to_pandas()._repr_html_()


def local_moran(
    y: Any,
    w: Weights,
    *,
    ids: Iterable[Any] | None = None,
    transformation: str = "r",
    permutations: int = 999,
    seed: int | None = None,
) -> LocalMoran:
    """Local Moran's I with conditional randomisation (esda ``Moran_Local``).

    Parameters
    ----------
    y : array-like or pandas.Series
        One value per area (see :func:`moran`).
    w : Weights
        Spatial weights.
    ids : iterable, optional
        The area id of each value of ``y``.
    transformation : str, default "r"
        Weights transformation applied first.
    permutations : int, default 999
        Conditional permutations per area (0 for none).
    seed : int, optional
        Seed; results are identical for a seed at any thread count.

    Returns
    -------
    LocalMoran
        ``Is``, ``q`` (1 HH, 2 LH, 3 LL, 4 HL), ``EI``, ``VI``, ``p_sim``, ``EI_sim``,
        ``seI_sim``, ``z_sim``, ``p_z_sim``; islands get NaN p-values (esda reports them as
        maximally significant).

    Raises
    ------
    migkit.InputError
        As :func:`moran`.
    """
    d = hotspot_local_moran(
        _values(y, w, ids),
        w._native,
        transformation=transformation,
        permutations=permutations,
        seed=seed,
    )
    arrays = {k: np.asarray(v) for k, v in d.items() if isinstance(v, list)}
    arrays["q"] = arrays["q"].astype(np.int64)
    return LocalMoran(ids=w.ids, permutations=d["permutations"], seed=d["seed"], **arrays)


@dataclass(frozen=True)
class LocalG:
    """Local Getis-Ord G or G* (esda ``G_Local`` attributes, as numpy arrays)."""

    ids: list[str]
    star: bool
    Gs: np.ndarray
    EGs: np.ndarray
    VGs: np.ndarray
    Zs: np.ndarray
    p_norm: np.ndarray
    p_sim: np.ndarray
    EG_sim: np.ndarray
    seG_sim: np.ndarray  # noqa: N815
    z_sim: np.ndarray
    p_z_sim: np.ndarray
    permutations: int
    seed: int

    def to_arrow(self) -> Any:
        """Return a ``pyarrow.Table`` with one row per area."""
        cols = ("Gs", "EGs", "VGs", "Zs", "p_norm", "p_sim", "z_sim", "p_z_sim")
        return _table({"id": self.ids, **{c: getattr(self, c) for c in cols}})

    def to_pandas(self) -> Any:
        """Return a ``pandas.DataFrame`` with one row per area."""
        return self.to_arrow().to_pandas()

    def _repr_html_(self) -> str:
        return self.to_pandas()._repr_html_()


def local_g(
    y: Any,
    w: Weights,
    *,
    ids: Iterable[Any] | None = None,
    star: bool | float = False,
    transform: str = "R",
    permutations: int = 999,
    seed: int | None = None,
) -> LocalG:
    """Local Getis-Ord G (``star=False``) or G* (esda ``G_Local``).

    Parameters
    ----------
    y : array-like or pandas.Series
        One non-negative value per area (see :func:`moran`).
    w : Weights
        Spatial weights (without self-weights).
    ids : iterable, optional
        The area id of each value of ``y``.
    star : bool or float, default False
        G*: True adds a self-weight equal to the largest weight of the row (1 for contiguity),
        as esda; a positive float is used as the self-weight.
    transform : {"R", "B"}
        Row-standardised or binary weights (applied after the self-weight).
    permutations : int, default 999
        Conditional permutations per area (0 for none).
    seed : int, optional
        Seed; results are identical for a seed at any thread count.

    Returns
    -------
    LocalG
        ``Gs, EGs, VGs, Zs, p_norm, p_sim, EG_sim, seG_sim, z_sim, p_z_sim``.

    Raises
    ------
    migkit.InputError
        Naming the area whose value is negative, NaN or unknown to the weights.
    """
    is_star = star is not False and star is not None
    self_weight = None if isinstance(star, bool) or star is None else float(star)
    d = hotspot_local_g(
        _values(y, w, ids),
        w._native,
        star=is_star,
        self_weight=self_weight,
        transform=transform,
        permutations=permutations,
        seed=seed,
    )
    arrays = {k: np.asarray(v) for k, v in d.items() if isinstance(v, list)}
    return LocalG(
        ids=w.ids, star=d["star"], permutations=d["permutations"], seed=d["seed"], **arrays
    )


def fdr(pvalues: Sequence[float] | np.ndarray, alpha: float = 0.05) -> float:
    """Return the Benjamini-Hochberg threshold as ``esda.fdr`` (NaN p-values left out).

    Parameters
    ----------
    pvalues : array-like
        p-values, e.g. ``local_moran(...).p_sim``.
    alpha : float, default 0.05
        False discovery rate.

    Returns
    -------
    float
        Areas with ``p < threshold`` are significant.
    """
    return hotspot_fdr(np.asarray(pvalues, dtype=np.float64).tolist(), alpha)


def cluster_labels(
    q: Sequence[int] | np.ndarray,
    p: Sequence[float] | np.ndarray,
    alpha: float = 0.05,
    correction: str = "none",
) -> np.ndarray:
    """Return "High-High", "Low-High", "Low-Low", "High-Low" or "Not significant" per area.

    Parameters
    ----------
    q : array-like of int
        Quadrants coded as esda (1 HH, 2 LH, 3 LL, 4 HL).
    p : array-like
        p-values.
    alpha : float, default 0.05
        Significance level.
    correction : {"none", "bonferroni", "fdr"}
        Multiple-testing correction.

    Returns
    -------
    numpy.ndarray
    """
    return np.asarray(
        hotspot_cluster_labels(
            [int(v) for v in q], np.asarray(p, dtype=np.float64).tolist(), alpha, correction
        )
    )


# -- rate smoothing and pressure ---------------------------------------------------------------


def _floats(x: Any) -> list[float]:
    return np.asarray(x, dtype=np.float64).ravel().tolist()


def eb_smooth(
    events: Any,
    base: Any,
    w: Weights | None = None,
    method: str = "global",
    *,
    ids: Iterable[Any] | None = None,
) -> np.ndarray:
    """Smooth the rates ``events / base`` (esda.smoothing semantics).

    Parameters
    ----------
    events : array-like or pandas.Series
        Event counts per area (e.g. people on asylum support); non-negative.
    base : array-like or pandas.Series
        The population at risk per area; positive.
    w : Weights, optional
        Spatial weights; required for ``method="spatial"``. When given, the values are taken in
        the order of ``w.ids`` (or reordered by ``ids`` / the Series index) and errors name the
        area id; its transformation is ignored (esda uses the binary / original weights).
    method : {"global", "spatial", "excess_risk"}, default "global"
        ``"global"``: global empirical Bayes (esda ``Empirical_Bayes``, Marshall 1991);
        ``"spatial"``: spatial empirical Bayes (esda ``Spatial_Empirical_Bayes``), shrinking each
        rate towards that of the area and its neighbours; ``"excess_risk"``: events over those
        expected at the global rate (esda ``Excess_Risk``; a ratio, not a rate).
    ids : iterable, optional
        The area id of each value, if not in the order of ``w.ids``.

    Returns
    -------
    numpy.ndarray
        One smoothed rate (or excess risk) per area, as esda's ``.r`` flattened.

    Raises
    ------
    migkit.InputError
        Naming the area (its id, or ``#i`` for position i without weights) whose event or base
        is negative, NaN or infinite, or whose base is zero; or lengths that differ.

    Examples
    --------
    >>> from migkit import hotspot
    >>> hotspot.eb_smooth([1, 2, 3, 12], [100, 100, 200, 100], method="excess_risk").round(4)
    array([0.2778, 0.5556, 0.4167, 3.3333])
    """
    if w is None:
        out = hotspot_eb_smooth(_floats(events), _floats(base), method)
    else:
        e = _values(events, w, ids)
        b = _values(base, w, ids)
        nb = w._native.transformed("O").neighbours()
        out = hotspot_eb_smooth(
            e,
            b,
            method,
            ids=[i for i, _ in nb],
            neighbours=[[j for j, _ in row] for _, row in nb],
            weights=[[x for _, x in row] for _, row in nb],
        )
    return np.asarray(out, dtype=np.float64)


def thresholds() -> list[dict[str, Any]]:
    """Return the table of policy thresholds.

    Each row has key, label, numerator, per, rate, unit, denominator, source, and the ISO dates
    ``from`` (inclusive) and ``until`` (exclusive; ``None`` while in force).

    Returns
    -------
    list of dict
        One row per threshold and period in force; ``pandas.DataFrame(thresholds())`` shows it.
    """
    return hotspot_thresholds()


@dataclass(frozen=True)
class Pressure:
    """Each area's rate against a threshold (from :func:`pressure`), as numpy arrays.

    ``status`` is ``"below"``, ``"approaching"``, ``"at_or_above"`` (saturated) or
    ``"uncertain"`` (the count interval straddles the threshold). ``headroom`` is
    ``floor(limit - count)``: how many more before the threshold (negative when above);
    ``headroom_lower`` the same at the upper end of the count interval.
    """

    ids: list[str]
    rate: np.ndarray
    ratio: np.ndarray
    limit: np.ndarray
    headroom: np.ndarray
    status: np.ndarray
    rate_lower: np.ndarray
    rate_upper: np.ndarray
    headroom_lower: np.ndarray
    threshold_in_interval: np.ndarray
    threshold: dict[str, Any]
    _columns: tuple[str, ...] = field(
        default=(
            "rate",
            "ratio",
            "limit",
            "headroom",
            "status",
            "rate_lower",
            "rate_upper",
            "headroom_lower",
            "threshold_in_interval",
        ),
        repr=False,
    )

    def to_arrow(self) -> Any:
        """Return a ``pyarrow.Table`` with one row per area."""
        cols: dict[str, Any] = {"id": self.ids}
        cols.update({c: getattr(self, c) for c in self._columns})
        return _table(cols)

    def to_pandas(self) -> Any:
        """Return a ``pandas.DataFrame`` with one row per area."""
        return self.to_arrow().to_pandas()

    def _repr_html_(self) -> str:
        t = self.threshold
        caption = f"{t['label']}: {t['numerator']:g} per {t['per']:g}"
        return f"<p>{caption}</p>" + self.to_pandas()._repr_html_()


def pressure(
    count: Any,
    population: Any,
    threshold: str | float = "asylum_dispersal",
    date: Any = None,
    margin: float = 0.1,
    count_upper: Any = None,
    *,
    count_lower: Any = None,
    ids: Iterable[Any] | None = None,
) -> Pressure:
    """Compare each area's rate ``count / population`` with a policy threshold.

    Parameters
    ----------
    count : array-like or pandas.Series
        The count per area (e.g. people on asylum support, UASC looked after). NaN is allowed
        for a suppressed cell when ``count_upper`` is given.
    population : array-like or pandas.Series
        The denominator the threshold is defined on (total population for
        ``"asylum_dispersal"``, population aged 0-17 for ``"uasc_nts"``).
    threshold : str or float, default "asylum_dispersal"
        A key of :func:`thresholds` (``"asylum_dispersal"``: 1 per 200 residents;
        ``"uasc_nts"``: 0.07 % of children before 24 August 2022, 0.1 % from then), or a
        user-defined threshold as a proportion (e.g. ``0.002``).
    date : str or datetime.date, optional
        The date whose threshold applies (the period of the count); default the current one.
    margin : float, default 0.1
        ``"approaching"`` when the rate is at least ``threshold * (1 - margin)``.
    count_upper : array-like, optional
        Upper bound of each count (rounded or suppressed cells); with it the counts are
        intervals ``[count_lower or count, count_upper]``.
    count_lower : array-like, optional
        Lower bound of each count (default ``count``).
    ids : iterable, optional
        Area ids (default the Series index of ``count``, else ``#0``, ``#1``, ...).

    Returns
    -------
    Pressure
        ``rate``, ``ratio`` (rate / threshold), ``limit`` (count at the threshold),
        ``headroom``, ``status``, ``rate_lower``, ``rate_upper``, ``headroom_lower``,
        ``threshold_in_interval`` and the ``threshold`` row used.

    Raises
    ------
    migkit.InputError
        Naming the area whose population is zero, negative or NaN, or whose count is negative,
        NaN without an interval or outside its interval; an unknown threshold key or a date on
        which none is in force.

    Examples
    --------
    >>> from migkit import hotspot
    >>> p = hotspot.pressure([480], [100_000])
    >>> str(p.status[0]), float(p.headroom[0])
    ('approaching', 20.0)
    """
    if ids is None:
        if hasattr(count, "index") and hasattr(count, "to_numpy"):
            ids = count.index
        else:
            ids = [f"#{i}" for i in range(len(_floats(count)))]
    id_list = [str(i) for i in ids]
    if hasattr(population, "reindex") and hasattr(count, "index"):
        population = population.reindex(count.index)
    if date is not None and hasattr(date, "isoformat"):
        date = date.isoformat()[:10]
    if isinstance(threshold, str):
        key, value = threshold, None
    else:
        key, value = "user_defined", float(threshold)
    d = hotspot_pressure(
        id_list,
        _floats(count),
        _floats(population),
        threshold=key,
        value=value,
        date=date,
        margin=margin,
        count_lower=None if count_lower is None else _floats(count_lower),
        count_upper=None if count_upper is None else _floats(count_upper),
    )
    arrays = {k: np.asarray(v) for k, v in d.items() if k != "threshold"}
    return Pressure(ids=id_list, threshold=d["threshold"], **arrays)
