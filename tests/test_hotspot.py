"""Parity of migkit.weights / migkit.hotspot with libpysal 4.14 and esda 2.9, run side by side.

Analytical values must equal esda's to 1e-10 relative. Permutation p-values come from different
random draws, so they are compared statistically: each area's p_sim must lie within five
standard errors of esda's (binomial standard error of the difference of two estimates), and the
significance at 0.05 must agree in at least 95 % of areas.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

import migkit
from migkit import hotspot
from migkit.weights import Weights

esda = pytest.importorskip("esda")
libpysal = pytest.importorskip("libpysal")
shapely = pytest.importorskip("shapely")

RTOL = 1e-10
BGC = "lad-boundaries-2021/lad_dec2021_bgc_west_midlands_and_neighbours.geojson"
# The 30 districts of the West Midlands region (E12000005), as listed in the PROVENANCE.md of
# lad-boundaries-2021.
WM = [
    "E06000019",
    "E06000020",
    "E06000021",
    "E06000051",
    *[f"E07000{k}" for k in range(192, 200)],
    *[f"E07000{k}" for k in range(218, 223)],
    *[f"E07000{k}" for k in range(234, 240)],
    *[f"E080000{k}" for k in range(25, 32)],
]


def quiet(fn, *args, **kwargs):
    """Call a PySAL function with its deprecation/user warnings silenced (they are not ours)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def pysal_w(w: Weights):
    return quiet(w.to_libpysal)


def read_gal(name: str):
    """Read a GAL file bundled with libpysal (it ships offline in the wheel)."""
    f = libpysal.io.open(libpysal.examples.get_path(name))
    try:
        return f.read()
    finally:
        f.close()


def read_column(name: str, column: str) -> np.ndarray:
    """Read a column of a DBF file bundled with libpysal."""
    f = libpysal.io.open(libpysal.examples.get_path(name))
    try:
        return np.array(f.by_col(column), dtype=np.float64)
    finally:
        f.close()


def neighbour_sets(w) -> dict[str, set[str]]:
    return {str(k): {str(j) for j in v} for k, v in w.neighbors.items()}


# -- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def features(data_dir: Path) -> list[dict]:
    return json.loads((data_dir / BGC).read_text(encoding="utf-8"))["features"]


@pytest.fixture(scope="module")
def wm_geoms(features) -> tuple[list[str], list]:
    feats = [f for f in features if f["properties"]["AREACD"] in WM]
    ids = [f["properties"]["AREACD"] for f in feats]
    geoms = [shapely.geometry.shape(f["geometry"]) for f in feats]
    assert sorted(ids) == sorted(WM)
    return ids, geoms


@pytest.fixture(scope="module")
def wm_queen(wm_geoms) -> Weights:
    ids, geoms = wm_geoms
    return Weights.from_wkb(shapely.to_wkb(geoms).tolist(), ids)


@pytest.fixture(scope="module")
def asylum_rate(obs, wm_queen: Weights) -> np.ndarray:
    """People on asylum support per 1,000 residents, 30 Sep 2024 (Home Office Asy_D11, all support
    types) over the mid-2024 population (ONS MYE2, persons, all ages), per West Midlands district,
    in the row order of the weights; districts absent from Asy_D11 count zero people."""
    a = obs[
        (obs.measure == "people_on_asylum_support")
        & (obs.source == "ho_asy_d11")
        & (obs.period_end.astype(str) == "2024-09-30")
        & obs.area_code.isin(WM)
    ]
    p = obs[
        (obs.measure == "population")
        & (obs.source == "ons_mye2024")
        & obs.age.isna()
        & obs.area_code.isin(WM)
    ]
    # Asy_D11 lists only the districts with someone on support: the others have none.
    people = a.groupby("area_code")["value"].sum().reindex(WM, fill_value=0.0)
    pop = p.groupby("area_code")["value"].sum()
    assert pop["E08000025"] == 1183618  # Birmingham, mid-2024
    assert people["E08000025"] == 2476  # Birmingham: 12 + 92 + 1,114 + 2 + 1,202 + 54
    rate = 1000 * people / pop
    assert rate.notna().all() and len(rate) == 30
    return rate.loc[wm_queen.ids].to_numpy()


# -- weights ------------------------------------------------------------------------------------


def test_queen_matches_libpysal_on_west_midlands(wm_geoms, wm_queen, features) -> None:
    ids, geoms = wm_geoms
    ref = quiet(libpysal.weights.Queen.from_iterable, geoms, ids=ids)
    assert neighbour_sets(wm_queen.to_libpysal()) == neighbour_sets(ref)
    assert sum(wm_queen.cardinalities.values()) == sum(ref.cardinalities.values())
    # Birmingham (E08000025) borders Solihull, Sandwell, Walsall, Bromsgrove, Lichfield, ...
    assert {"E08000029", "E08000028", "E08000030"} <= set(wm_queen.neighbors["E08000025"])
    # All 48 districts (WM + neighbours), queen and rook, from the GeoJSON text itself.
    text = json.dumps({"type": "FeatureCollection", "features": features})
    all_ids = [f["properties"]["AREACD"] for f in features]
    all_geoms = [shapely.geometry.shape(f["geometry"]) for f in features]
    for rook, cls in [(False, libpysal.weights.Queen), (True, libpysal.weights.Rook)]:
        ours = Weights.from_geojson(text, "AREACD", rook=rook)
        ref = quiet(cls.from_iterable, all_geoms, ids=all_ids)
        assert neighbour_sets(ours) == neighbour_sets(ref), f"rook={rook}"


def test_contiguity_tolerance_bridges_shifted_boundaries(wm_geoms) -> None:
    ids, geoms = wm_geoms
    # Shift every other district by 1e-7 degrees (~1 cm): exact matching loses shared vertices,
    # a 1e-6 tolerance recovers them.
    moved = [shapely.affinity.translate(g, 1e-7, 0) if k % 2 else g for k, g in enumerate(geoms)]
    wkb = shapely.to_wkb(moved).tolist()
    exact = Weights.from_wkb(wkb, ids)
    snapped = Weights.from_wkb(wkb, ids, tolerance=1e-6)
    reference = Weights.from_wkb(shapely.to_wkb(geoms).tolist(), ids)
    assert neighbour_sets(snapped) == neighbour_sets(reference)
    assert neighbour_sets(exact) != neighbour_sets(reference)


def test_knn_matches_libpysal(wm_geoms) -> None:
    ids, geoms = wm_geoms
    pts = np.array([[g.centroid.x, g.centroid.y] for g in geoms])
    for k in (1, 4):
        ours = Weights.knn(pts, k=k, ids=ids)
        ref = quiet(libpysal.weights.KNN.from_array, pts, k=k, ids=ids)
        assert neighbour_sets(ours) == neighbour_sets(ref)


def test_distance_band_matches_libpysal(wm_geoms) -> None:
    ids, geoms = wm_geoms
    pts = np.array([[g.centroid.x, g.centroid.y] for g in geoms])
    for binary in (True, False):
        ours = Weights.distance_band(pts, 0.3, binary=binary, ids=ids)
        ref = quiet(libpysal.weights.DistanceBand.from_array, pts, 0.3, binary=binary, ids=ids)
        assert neighbour_sets(ours) == neighbour_sets(ref)
        for i in ids:
            got = dict(zip(ours.neighbors[i], ours.weights[i], strict=True))
            want = dict(zip(ref.neighbors[i], ref.weights[i], strict=True))
            assert got.keys() == want.keys()
            assert_allclose([got[j] for j in want], list(want.values()), rtol=RTOL)


@pytest.mark.parametrize("code", ["B", "R", "D", "V"])
def test_transforms_match_libpysal(code: str) -> None:
    ref = libpysal.weights.lat2W(6, 5, rook=False)
    ours = Weights.from_libpysal(ref).transform(code)
    ref.transform = code
    for i in ref.neighbors:
        assert_allclose(ours.weights[str(i)], ref.weights[i], rtol=RTOL)
    assert_allclose(ours._native.s0_s1_s2, (ref.s0, ref.s1, ref.s2), rtol=RTOL)


# -- global Moran -------------------------------------------------------------------------------

GLOBAL = [
    "I",
    "EI",
    "VI_norm",
    "seI_norm",
    "z_norm",
    "p_norm",
    "VI_rand",
    "seI_rand",
    "z_rand",
    "p_rand",
]


def assert_moran_parity(ours, ref) -> None:
    for name in GLOBAL:
        assert_allclose(getattr(ours, name), float(getattr(ref, name)), rtol=RTOL, err_msg=name)


@pytest.mark.parametrize("transformation", ["r", "b", "d", "v"])
def test_moran_matches_esda_west_midlands(wm_queen, asylum_rate, transformation: str) -> None:
    ours = hotspot.moran(asylum_rate, wm_queen, transformation=transformation, seed=11)
    ref = quiet(esda.Moran, asylum_rate, pysal_w(wm_queen), transformation=transformation)
    assert_moran_parity(ours, ref)
    # Permutation inference: both are estimates of the same p; within 5 standard errors.
    se = np.sqrt(2 * ref.p_sim * (1 - ref.p_sim) / 999)
    assert abs(ours.p_sim - ref.p_sim) < 5 * se + 2e-3
    assert abs(ours.EI_sim - ours.EI) < 5 * ours.seI_sim / np.sqrt(999)


def test_moran_one_tailed_and_lattice() -> None:
    w_ref = libpysal.weights.lat2W(12, 12, rook=True)
    rng = np.random.default_rng(5)
    y = rng.normal(size=144) + np.repeat(np.arange(12), 12) * 0.3
    ours = hotspot.moran(y, Weights.from_libpysal(w_ref), two_tailed=False, permutations=0)
    ref = quiet(esda.Moran, y, w_ref, two_tailed=False, permutations=0)
    assert_moran_parity(ours, ref)
    assert np.isnan(ours.p_sim)


def test_moran_columbus() -> None:
    w_ref = read_gal("columbus.gal")
    columns = {col: read_column("columbus.dbf", col) for col in ("CRIME", "HOVAL", "INC")}
    ids = [str(i) for i in w_ref.id_order]
    w = Weights.from_libpysal(w_ref)
    for y in columns.values():
        ours = hotspot.moran(y, w, seed=1, ids=ids)
        assert_moran_parity(ours, quiet(esda.Moran, y, w_ref))


# -- local statistics ---------------------------------------------------------------------------


def assert_p_sim_consistent(ours: np.ndarray, ref: np.ndarray, permutations: int) -> float:
    """Check two permutation p-value vectors estimate the same p-values.

    Each area must lie within 5 standard errors of the difference of two binomial estimates.
    Significance at 0.05 must agree in at least 95 % of the areas whose p-value is not within
    4 standard errors of 0.05 (for those, two independent runs of esda itself disagree about
    half of the time). Returns the agreement over all areas.
    """
    se = np.sqrt((ours * (1 - ours) + ref * (1 - ref)) / permutations)
    assert np.all(np.abs(ours - ref) < 5 * se + 2e-3), np.abs(ours - ref).max()
    same = (ours < 0.05) == (ref < 0.05)
    borderline = np.abs(ref - 0.05) < 4 * np.sqrt(0.05 * 0.95 / permutations)
    assert borderline.mean() < 0.2, "too many borderline areas for the check to mean anything"
    assert same[~borderline].mean() >= 0.95, same[~borderline].mean()
    return float(same.mean())


def test_local_moran_matches_esda_west_midlands(wm_queen, asylum_rate) -> None:
    ours = hotspot.local_moran(asylum_rate, wm_queen, permutations=9999, seed=3)
    ref = quiet(esda.Moran_Local, asylum_rate, pysal_w(wm_queen), permutations=9999, seed=3)
    for name in ("Is", "EI", "VI"):
        assert_allclose(getattr(ours, name), getattr(ref, name), rtol=RTOL, err_msg=name)
    np.testing.assert_array_equal(ours.q, ref.q)
    assert_p_sim_consistent(ours.p_sim, ref.p_sim, 9999)
    assert_allclose(ours.z_sim, ref.z_sim, atol=0.15)
    # Birmingham has the highest rate of the region's districts: a high value.
    birmingham = wm_queen.ids.index("E08000025")
    assert ours.q[birmingham] in (1, 4)
    labels = ours.labels(alpha=0.05)
    assert set(labels) <= {"High-High", "Low-High", "Low-Low", "High-Low", "Not significant"}
    assert (labels != "Not significant").sum() == (ours.p_sim <= 0.05).sum()
    table = ours.to_pandas()
    assert list(table["id"]) == wm_queen.ids


def test_local_moran_columbus_and_lattice() -> None:
    cases = []
    w_col = read_gal("columbus.gal")
    cases.append((w_col, read_column("columbus.dbf", "CRIME")))
    w_lat = libpysal.weights.lat2W(15, 15, rook=False)
    rng = np.random.default_rng(9)
    cases.append((w_lat, rng.gamma(2.0, size=225) + np.repeat(np.arange(15), 15) * 0.2))
    for w_ref, y in cases:
        w = Weights.from_libpysal(w_ref)
        ours = hotspot.local_moran(y, w, permutations=999, seed=5)
        ref = quiet(esda.Moran_Local, y, w_ref, permutations=999, seed=5)
        assert_allclose(ours.Is, ref.Is, rtol=RTOL)
        assert_allclose(ours.VI, ref.VI, rtol=RTOL)
        np.testing.assert_array_equal(ours.q, ref.q)
        assert_p_sim_consistent(ours.p_sim, ref.p_sim, 999)


@pytest.mark.parametrize("star", [False, True])
@pytest.mark.parametrize("transform", ["R", "B"])
def test_local_g_matches_esda(wm_queen, asylum_rate, star: bool, transform: str) -> None:
    ours = hotspot.local_g(
        asylum_rate, wm_queen, star=star, transform=transform, permutations=9999, seed=2
    )
    # esda: star=1.0 sets the self-weight to 1 (the row maximum of binary contiguity weights).
    ref = quiet(
        esda.G_Local,
        asylum_rate,
        pysal_w(wm_queen),
        transform=transform,
        star=1.0 if star else False,
        permutations=9999,
        seed=2,
    )
    for name in ("Gs", "EGs", "VGs", "Zs", "p_norm"):
        assert_allclose(getattr(ours, name), getattr(ref, name), rtol=RTOL, err_msg=name)
    assert_p_sim_consistent(ours.p_sim, ref.p_sim, 9999)


def test_fdr_matches_esda(wm_queen, asylum_rate) -> None:
    lm = hotspot.local_moran(asylum_rate, wm_queen, permutations=999, seed=1)
    for alpha in (0.05, 0.1, 0.5):
        assert hotspot.fdr(lm.p_sim, alpha) == pytest.approx(esda.fdr(lm.p_sim, alpha), rel=1e-15)
    labels = hotspot.cluster_labels([1, 3, 4, 2], [0.001, 0.04, 0.2, 0.01], 0.05, "bonferroni")
    # Bonferroni with m = 4: significant if p ≤ 0.0125.
    assert labels.tolist() == ["High-High", "Not significant", "Not significant", "Low-High"]


# -- determinism and bad input ------------------------------------------------------------------


def test_seed_gives_identical_results(wm_queen, asylum_rate) -> None:
    a = hotspot.local_moran(asylum_rate, wm_queen, permutations=199, seed=7)
    b = hotspot.local_moran(asylum_rate, wm_queen, permutations=199, seed=7)
    c = hotspot.local_moran(asylum_rate, wm_queen, permutations=199, seed=8)
    np.testing.assert_array_equal(a.p_sim, b.p_sim)
    assert not np.array_equal(a.z_sim, c.z_sim)


def test_values_keyed_by_id(wm_queen, asylum_rate) -> None:
    order = np.arange(30)[::-1]
    shuffled_ids = [wm_queen.ids[k] for k in order]
    a = hotspot.moran(asylum_rate, wm_queen, permutations=0)
    b = hotspot.moran(asylum_rate[order], wm_queen, ids=shuffled_ids, permutations=0)
    assert a.I == b.I


def test_bad_input_names_the_area(wm_queen, asylum_rate) -> None:
    y = asylum_rate.copy()
    y[3] = np.nan
    with pytest.raises(migkit.InputError, match=wm_queen.ids[3]):
        hotspot.moran(y, wm_queen)
    ids = list(wm_queen.ids)
    ids[0] = "E99999999"
    with pytest.raises(migkit.InputError, match="E99999999"):
        hotspot.local_moran(asylum_rate, wm_queen, ids=ids)
    with pytest.raises(migkit.InputError, match="zero variance"):
        hotspot.moran(np.ones(30), wm_queen)
    with pytest.raises(migkit.InputError, match="island"):
        hotspot.moran([1.0, 2.0, 3.0, 5.0], Weights.from_dict({"a": [], "b": [], "c": [], "d": []}))
    y = asylum_rate.copy()
    y[5] = -1.0
    with pytest.raises(migkit.InputError, match=wm_queen.ids[5]):
        hotspot.local_g(y, wm_queen)
    with pytest.raises(migkit.InputError, match="GeoJSON"):
        Weights.from_geojson('{"type": "FeatureCollection", "features": [', "AREACD")
    with pytest.raises(migkit.InputError, match="E08000025"):
        Weights.from_wkb([b"\x01\x02"], ["E08000025"])
    with pytest.raises(migkit.ParameterError, match="transform"):
        wm_queen.transform("X")
    with pytest.raises(migkit.InputError, match="not one of the ids"):
        Weights.from_dict({"a": ["b"]})


def test_columbus_queen_from_polygons_matches_libpysal() -> None:
    gpd = pytest.importorskip("geopandas")
    gdf = quiet(gpd.read_file, libpysal.examples.get_path("columbus.shp"))
    ours = Weights.from_geodataframe(gdf, "POLYID")
    ref = quiet(libpysal.weights.Queen.from_dataframe, gdf, ids="POLYID")
    assert neighbour_sets(ours) == neighbour_sets(ref)
    rook = Weights.from_geodataframe(gdf, "POLYID", rook=True)
    ref = quiet(libpysal.weights.Rook.from_dataframe, gdf, ids="POLYID")
    assert neighbour_sets(rook) == neighbour_sets(ref)


def test_msoa_contiguity_matches_libpysal(data_dir: Path) -> None:
    """The 736 West Midlands MSOAs (2021, BGC): queen and rook as libpysal on the same shapes."""
    path = data_dir / "msoa-boundaries-2021-west-midlands/wm_msoa21_bgc.geojson"
    feats = json.loads(path.read_text(encoding="utf-8"))["features"]
    ids = [f["properties"]["MSOA21CD"] for f in feats]
    geoms = [shapely.geometry.shape(f["geometry"]) for f in feats]
    assert len(ids) == 736
    for rook, cls in [(False, libpysal.weights.Queen), (True, libpysal.weights.Rook)]:
        ours = Weights.from_geojson(path, "MSOA21CD", rook=rook)
        ref = quiet(cls.from_iterable, geoms, ids=ids)
        assert neighbour_sets(ours) == neighbour_sets(ref), f"rook={rook}"
        assert ours.islands == [str(i) for i in ref.islands]
    # Moran's I of a smooth surface (the latitude of each MSOA's centroid) on those weights.
    w = Weights.from_geojson(path, "MSOA21CD")
    lat = np.array([g.centroid.y for g in geoms])
    order = [ids.index(i) for i in w.ids]
    ours = hotspot.moran(lat[order], w, permutations=99, seed=1)
    assert_moran_parity(ours, quiet(esda.Moran, lat[order], pysal_w(w)))
    assert ours.I > 0.8
