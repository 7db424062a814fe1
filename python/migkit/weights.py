"""Spatial weights: who neighbours whom, and how much.

:class:`Weights` holds neighbour lists with their weights and the area ids, as libpysal's ``W``
does, and is built from polygons (queen or rook contiguity), points (k nearest neighbours,
distance bands) or a neighbour dict. Transformations ``"O"``, ``"B"``, ``"R"``, ``"D"`` and
``"V"`` follow libpysal.

Examples
--------
>>> from migkit.weights import Weights
>>> w = Weights.from_dict({"a": ["b"], "b": ["a", "c"], "c": ["b"]})
>>> w.cardinalities
{'a': 1, 'b': 2, 'c': 1}
>>> w.transform("R").weights["b"]
[0.5, 0.5]
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from migkit._migkit import Weights as _NativeWeights

__all__ = ["Weights"]


def _ids(ids: Iterable[Any] | None, n: int) -> list[str]:
    if ids is None:
        return [str(i) for i in range(n)]
    out = [str(i) for i in ids]
    if len(out) != n:
        raise ValueError(f"ids has {len(out)} entries but there are {n} geometries or points")
    return out


def _points(points: Any) -> list[tuple[float, float]]:
    arr = np.asarray(points, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError(f"points must have shape (n, 2), got {arr.shape}")
    return [(float(x), float(y)) for x, y in arr]


class Weights:
    """Spatial weights with area ids (compressed sparse rows in Rust).

    Build them with :meth:`from_dict`, :meth:`from_wkb`, :meth:`from_geojson`,
    :meth:`from_geodataframe`, :meth:`knn`, :meth:`distance_band` or :meth:`from_libpysal`.
    """

    def __init__(self, native: _NativeWeights) -> None:
        self._native = native

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def from_dict(
        cls,
        neighbours: Mapping[Any, Sequence[Any]],
        weights: Mapping[Any, Sequence[float]] | None = None,
    ) -> Weights:
        """Build weights from a neighbour dict, as ``libpysal.weights.W(neighbors, weights)``.

        Parameters
        ----------
        neighbours : mapping
            Each area id to the ids of its neighbours.
        weights : mapping, optional
            Each area id to one weight per neighbour (default: all 1).

        Returns
        -------
        Weights

        Raises
        ------
        migkit.InputError
            If a neighbour is not a key, an area lists itself, or a weight is not finite.
        """
        ids = [str(k) for k in neighbours]
        nb = [[str(j) for j in neighbours[k]] for k in neighbours]
        wts = None
        if weights is not None:
            wts = [[float(v) for v in weights[k]] for k in neighbours]
        return cls(_NativeWeights.from_neighbours(ids, nb, wts))

    @classmethod
    def from_wkb(
        cls,
        geometries: Iterable[bytes],
        ids: Iterable[Any] | None = None,
        *,
        rook: bool = False,
        tolerance: float = 0.0,
    ) -> Weights:
        """Build queen (default) or rook contiguity weights from WKB polygons.

        Parameters
        ----------
        geometries : iterable of bytes
            WKB polygons or multipolygons, e.g. the ``geometry`` column of
            ``migkit.harmonise.load().geometry``.
        ids : iterable, optional
            One id per geometry (default ``"0"``, ``"1"``, ...).
        rook : bool, default False
            Shared edges (rook) rather than shared vertices (queen).
        tolerance : float, default 0.0
            Vertices closer than this (in coordinate units) count as shared; 0 means identical.

        Returns
        -------
        Weights

        Raises
        ------
        migkit.InputError
            Naming the id of a geometry that is not valid WKB or not polygonal.
        """
        geoms = [bytes(g) for g in geometries]
        return cls(
            _NativeWeights.from_wkb(_ids(ids, len(geoms)), geoms, rook=rook, tolerance=tolerance)
        )

    @classmethod
    def from_geojson(
        cls,
        source: str | os.PathLike[str],
        id_field: str,
        *,
        rook: bool = False,
        tolerance: float = 0.0,
    ) -> Weights:
        """Build contiguity weights from a GeoJSON FeatureCollection (a path or the text).

        Parameters
        ----------
        source : str or path
            A file path or the GeoJSON text itself.
        id_field : str
            The feature property holding the area id (e.g. ``"AREACD"``).
        rook : bool, default False
            Shared edges (rook) rather than shared vertices (queen).
        tolerance : float, default 0.0
            Vertices closer than this count as shared.

        Returns
        -------
        Weights

        Raises
        ------
        migkit.InputError
            For malformed GeoJSON, a feature without ``id_field``, or non-polygonal geometry.
        """
        text = str(source)
        if not text.lstrip().startswith("{"):
            text = Path(source).read_text(encoding="utf-8")
        return cls(_NativeWeights.from_geojson(text, id_field, rook=rook, tolerance=tolerance))

    @classmethod
    def from_geodataframe(
        cls,
        gdf: Any,
        ids: str | Iterable[Any] | None = None,
        *,
        rook: bool = False,
        tolerance: float = 0.0,
    ) -> Weights:
        """Build contiguity weights from a geopandas GeoDataFrame (its geometry as WKB).

        Parameters
        ----------
        gdf : geopandas.GeoDataFrame
            Polygons.
        ids : str or iterable, optional
            A column name, or one id per row (default: the index).
        rook : bool, default False
            Shared edges rather than shared vertices.
        tolerance : float, default 0.0
            Vertices closer than this count as shared.

        Returns
        -------
        Weights
        """
        if isinstance(ids, str):
            ids = gdf[ids]
        elif ids is None:
            ids = gdf.index
        return cls.from_wkb(gdf.geometry.to_wkb(), ids, rook=rook, tolerance=tolerance)

    @classmethod
    def knn(cls, points: Any, k: int = 2, ids: Iterable[Any] | None = None) -> Weights:
        """Build k-nearest-neighbour weights on points, as ``libpysal.weights.KNN``.

        Parameters
        ----------
        points : array-like of shape (n, 2)
            Coordinates (projected, e.g. British National Grid metres).
        k : int, default 2
            Number of neighbours.
        ids : iterable, optional
            One id per point.

        Returns
        -------
        Weights
        """
        pts = _points(points)
        return cls(_NativeWeights.knn(_ids(ids, len(pts)), pts, int(k)))

    @classmethod
    def distance_band(
        cls,
        points: Any,
        threshold: float,
        *,
        binary: bool = True,
        alpha: float = -1.0,
        ids: Iterable[Any] | None = None,
    ) -> Weights:
        """Build distance-band weights, as ``libpysal.weights.DistanceBand``.

        Parameters
        ----------
        points : array-like of shape (n, 2)
            Coordinates.
        threshold : float
            Points within this distance are neighbours.
        binary : bool, default True
            Weight 1; otherwise ``distance ** alpha``.
        alpha : float, default -1.0
            Exponent of the inverse-distance weights.
        ids : iterable, optional
            One id per point.

        Returns
        -------
        Weights
        """
        pts = _points(points)
        return cls(
            _NativeWeights.distance_band(
                _ids(ids, len(pts)), pts, float(threshold), binary=binary, alpha=alpha
            )
        )

    @classmethod
    def from_libpysal(cls, w: Any) -> Weights:
        """Convert a ``libpysal.weights.W`` (its original weights, in its id order).

        Parameters
        ----------
        w : libpysal.weights.W
            The weights.

        Returns
        -------
        Weights
        """
        original = w.transformations.get("O", w.weights)
        order = list(w.id_order)
        return cls.from_dict(
            {i: list(w.neighbors[i]) for i in order}, {i: list(original[i]) for i in order}
        )

    # -- use ----------------------------------------------------------------------------------

    def to_libpysal(self) -> Any:
        """Return the weights as a ``libpysal.weights.W`` (requires libpysal).

        Returns
        -------
        libpysal.weights.W
        """
        from libpysal.weights import W

        nb = self._native.neighbours()
        return W(
            {i: [j for j, _ in row] for i, row in nb},
            {i: [v for _, v in row] for i, row in nb},
            id_order=[i for i, _ in nb],
            silence_warnings=True,
        )

    def transform(self, code: str) -> Weights:
        """Return the weights transformed as libpysal (``"O"``, ``"B"``, ``"R"``, ``"D"``, ``"V"``).

        Parameters
        ----------
        code : str
            The transformation (case-insensitive); computed from the original weights.

        Returns
        -------
        Weights
        """
        return Weights(self._native.transformed(code))

    @property
    def transformation(self) -> str:
        """The current transformation code."""
        return self._native.transform

    @property
    def ids(self) -> list[str]:
        """The area ids, in row order."""
        return self._native.ids

    @property
    def n(self) -> int:
        """The number of areas."""
        return self._native.n

    @property
    def islands(self) -> list[str]:
        """Ids of the areas without neighbours."""
        return self._native.islands

    @property
    def neighbors(self) -> dict[str, list[str]]:
        """Each id to its neighbours' ids (libpysal spelling)."""
        return {i: [j for j, _ in row] for i, row in self._native.neighbours()}

    @property
    def weights(self) -> dict[str, list[float]]:
        """Each id to its neighbours' current weights."""
        return {i: [v for _, v in row] for i, row in self._native.neighbours()}

    @property
    def cardinalities(self) -> dict[str, int]:
        """Each id to its number of neighbours."""
        return dict(zip(self.ids, self._native.cardinalities, strict=True))

    @property
    def s0(self) -> float:
        """Sum of all weights."""
        return self._native.s0_s1_s2[0]

    def lag(self, y: Any) -> np.ndarray:
        """Return the spatial lag ``W @ y`` (libpysal ``lag_spatial``).

        Parameters
        ----------
        y : array-like
            One value per area, in the order of :attr:`ids`.

        Returns
        -------
        numpy.ndarray
        """
        return np.asarray(self._native.lag(np.asarray(y, dtype=np.float64).tolist()))

    def __len__(self) -> int:
        return self.n

    def __repr__(self) -> str:
        nnz = sum(self._native.cardinalities)
        return (
            f"Weights(n={self.n}, neighbour pairs={nnz}, transform={self.transformation!r}, "
            f"islands={len(self.islands)})"
        )
