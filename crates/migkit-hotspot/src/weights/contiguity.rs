//! Contiguity weights from polygons: queen (a shared vertex) and rook (a shared edge), as
//! libpysal `Queen` / `Rook` (Anselin 1988, *Spatial Econometrics*, ch. 3).
//!
//! Boundaries decoded from one topology (TopoJSON, the ONS files in the shared data) share
//! identical vertices, so `tolerance = 0` (exact coordinates) is right for them. For boundaries
//! digitised separately, a small tolerance (in coordinate units; ~1e-6 degrees ≈ 0.1 m) joins
//! vertices closer than it, which bridges sub-metre slivers.

use geo_traits::to_geo::ToGeoGeometry;
use geo_types::{Geometry, MultiPolygon};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::error::{HotspotError, Result};
use crate::weights::Weights;

/// Parse WKB polygons or multipolygons (one per id), e.g. the `geometry` column of
/// `migkit.harmonise.load().geometry` or `GeoDataFrame.geometry.to_wkb()`.
///
/// # Errors
/// [`HotspotError::Geometry`] naming the id of a geometry that is not valid WKB, is not a
/// polygon or multipolygon, or is empty; [`HotspotError::Length`] if the lengths differ.
///
/// # Notes
/// O(total vertices).
pub fn polygons_from_wkb<B: AsRef<[u8]>>(
    ids: &[String],
    wkb: &[B],
) -> Result<Vec<MultiPolygon<f64>>> {
    if ids.len() != wkb.len() {
        return Err(HotspotError::Length {
            field: "geometry".into(),
            expected: ids.len(),
            found: wkb.len(),
        });
    }
    ids.iter()
        .zip(wkb)
        .map(|(id, bytes)| {
            let bad = |message: String| HotspotError::Geometry {
                id: id.clone(),
                message,
            };
            let parsed = wkb::reader::read_wkb(bytes.as_ref())
                .map_err(|e| bad(format!("not valid WKB ({e})")))?;
            let geometry = parsed
                .try_to_geometry()
                .ok_or_else(|| bad("empty point in the geometry".into()))?;
            let mp = match geometry {
                Geometry::Polygon(p) => MultiPolygon(vec![p]),
                Geometry::MultiPolygon(mp) => mp,
                other => {
                    return Err(bad(format!(
                        "a {} is not a polygon or multipolygon",
                        kind(&other)
                    )));
                }
            };
            if mp.0.iter().all(|p| p.exterior().0.is_empty()) {
                return Err(bad("the polygon is empty".into()));
            }
            Ok(mp)
        })
        .collect()
}

/// Read the polygons of a GeoJSON FeatureCollection, with each feature's id taken from the
/// property `id_field` (a string or a number).
///
/// # Errors
/// [`HotspotError::GeoJson`] for text that is not a GeoJSON FeatureCollection or a feature
/// without the id property or geometry (naming the feature number); [`HotspotError::Geometry`]
/// naming the id of a geometry that is not a polygon or multipolygon.
///
/// # Notes
/// O(size of the text).
pub fn polygons_from_geojson(
    text: &str,
    id_field: &str,
) -> Result<(Vec<String>, Vec<MultiPolygon<f64>>)> {
    let bad = |message: String| HotspotError::GeoJson { message };
    let parsed: geojson::GeoJson = text
        .parse()
        .map_err(|e| bad(format!("not valid GeoJSON ({e})")))?;
    let geojson::GeoJson::FeatureCollection(fc) = parsed else {
        return Err(bad("expected a FeatureCollection".into()));
    };
    let mut ids = Vec::with_capacity(fc.features.len());
    let mut polygons = Vec::with_capacity(fc.features.len());
    for (k, feature) in fc.features.iter().enumerate() {
        let id = match feature.property(id_field) {
            Some(geojson::JsonValue::String(s)) => s.clone(),
            Some(geojson::JsonValue::Number(n)) => n.to_string(),
            _ => {
                return Err(bad(format!(
                    "feature {k} has no string or number property {id_field:?}"
                )));
            }
        };
        let Some(geometry) = &feature.geometry else {
            return Err(HotspotError::Geometry {
                id,
                message: "the feature has no geometry".into(),
            });
        };
        let geometry =
            Geometry::<f64>::try_from(&geometry.value).map_err(|e| HotspotError::Geometry {
                id: id.clone(),
                message: e.to_string(),
            })?;
        let mp = match geometry {
            Geometry::Polygon(p) => MultiPolygon(vec![p]),
            Geometry::MultiPolygon(mp) => mp,
            other => {
                return Err(HotspotError::Geometry {
                    id,
                    message: format!("a {} is not a polygon or multipolygon", kind(&other)),
                });
            }
        };
        ids.push(id);
        polygons.push(mp);
    }
    Ok((ids, polygons))
}

fn kind(g: &Geometry<f64>) -> &'static str {
    match g {
        Geometry::Point(_) => "point",
        Geometry::Line(_) => "line",
        Geometry::LineString(_) => "linestring",
        Geometry::MultiPoint(_) => "multipoint",
        Geometry::MultiLineString(_) => "multilinestring",
        Geometry::GeometryCollection(_) => "geometry collection",
        Geometry::Rect(_) => "rectangle",
        Geometry::Triangle(_) => "triangle",
        _ => "non-polygon geometry",
    }
}

/// Queen contiguity: areas that share at least one vertex (within `tolerance`) are neighbours
/// with weight 1. Matches libpysal `Queen.from_iterable` / `Queen.from_dataframe` on polygons
/// with shared vertices.
///
/// # Errors
/// Lengths that differ, duplicate ids, a non-finite coordinate, or a negative tolerance.
///
/// # Notes
/// O(V) expected time with hashing, V the total number of vertices (plus the pairs found).
pub fn queen(ids: Vec<String>, polygons: &[MultiPolygon<f64>], tolerance: f64) -> Result<Weights> {
    check(&ids, polygons, tolerance)?;
    let mut pairs: FxHashSet<(usize, usize)> = FxHashSet::default();
    if tolerance == 0.0 {
        let mut seen: FxHashMap<(u64, u64), Vec<usize>> = FxHashMap::default();
        for (i, mp) in polygons.iter().enumerate() {
            for (x, y) in vertices(mp) {
                let owners = seen.entry((bits(x), bits(y))).or_default();
                if owners.last() != Some(&i) {
                    for &j in owners.iter() {
                        if j != i {
                            pairs.insert((j.min(i), j.max(i)));
                        }
                    }
                    owners.push(i);
                }
            }
        }
    } else {
        // Grid of cells `tolerance` wide: vertices closer than `tolerance` lie in the same or
        // adjacent cells.
        type Cell = Vec<(usize, f64, f64)>;
        let mut grid: FxHashMap<(i64, i64), Cell> = FxHashMap::default();
        for (i, mp) in polygons.iter().enumerate() {
            let own: Vec<(f64, f64)> = vertices(mp).collect();
            for &(x, y) in &own {
                let (cx, cy) = cell(x, y, tolerance);
                for dx in -1..=1 {
                    for dy in -1..=1 {
                        if let Some(list) = grid.get(&(cx + dx, cy + dy)) {
                            for &(j, xj, yj) in list {
                                if j != i && (x - xj).hypot(y - yj) <= tolerance {
                                    pairs.insert((j.min(i), j.max(i)));
                                }
                            }
                        }
                    }
                }
            }
            for (x, y) in own {
                grid.entry(cell(x, y, tolerance))
                    .or_default()
                    .push((i, x, y));
            }
        }
    }
    Ok(from_pairs(ids, pairs))
}

/// Rook contiguity: areas that share at least one edge (both end points equal after snapping
/// to a grid of `tolerance`; exact when 0) are neighbours with weight 1. Matches libpysal
/// `Rook` on polygons whose shared boundaries have the same vertices on both sides.
///
/// # Errors
/// As [`queen`].
///
/// # Notes
/// O(V) expected time. With a tolerance, two vertices either side of a grid line can fail to
/// snap together; use queen weights for boundaries that need snapping.
pub fn rook(ids: Vec<String>, polygons: &[MultiPolygon<f64>], tolerance: f64) -> Result<Weights> {
    check(&ids, polygons, tolerance)?;
    let key = |x: f64, y: f64| -> (u64, u64) {
        if tolerance == 0.0 {
            (bits(x), bits(y))
        } else {
            let (cx, cy) = ((x / tolerance).round(), (y / tolerance).round());
            (bits(cx), bits(cy))
        }
    };
    type Edge = ((u64, u64), (u64, u64));
    let mut seen: FxHashMap<Edge, Vec<usize>> = FxHashMap::default();
    let mut pairs: FxHashSet<(usize, usize)> = FxHashSet::default();
    for (i, mp) in polygons.iter().enumerate() {
        for polygon in &mp.0 {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                for seg in ring.0.windows(2) {
                    let a = key(seg[0].x, seg[0].y);
                    let b = key(seg[1].x, seg[1].y);
                    if a == b {
                        continue;
                    }
                    let owners = seen.entry((a.min(b), a.max(b))).or_default();
                    if !owners.contains(&i) {
                        for &j in owners.iter() {
                            pairs.insert((j.min(i), j.max(i)));
                        }
                        owners.push(i);
                    }
                }
            }
        }
    }
    Ok(from_pairs(ids, pairs))
}

fn check(ids: &[String], polygons: &[MultiPolygon<f64>], tolerance: f64) -> Result<()> {
    if ids.len() != polygons.len() {
        return Err(HotspotError::Length {
            field: "polygons".into(),
            expected: ids.len(),
            found: polygons.len(),
        });
    }
    if !(tolerance >= 0.0 && tolerance.is_finite()) {
        return Err(HotspotError::Parameter {
            name: "tolerance",
            rule: format!("must be a finite number ≥ 0, got {tolerance}"),
        });
    }
    for (id, mp) in ids.iter().zip(polygons) {
        if let Some((x, y)) = vertices(mp).find(|(x, y)| !x.is_finite() || !y.is_finite()) {
            return Err(HotspotError::Geometry {
                id: id.clone(),
                message: format!("vertex ({x}, {y}) is not finite"),
            });
        }
    }
    Ok(())
}

fn vertices(mp: &MultiPolygon<f64>) -> impl Iterator<Item = (f64, f64)> + '_ {
    mp.0.iter().flat_map(|p| {
        std::iter::once(p.exterior())
            .chain(p.interiors())
            .flat_map(|ring| ring.0.iter().map(|c| (c.x, c.y)))
    })
}

/// Bits of a coordinate, with -0.0 and 0.0 equal.
fn bits(v: f64) -> u64 {
    if v == 0.0 { 0 } else { v.to_bits() }
}

fn cell(x: f64, y: f64, tolerance: f64) -> (i64, i64) {
    // `as` saturates for out-of-range floats; coordinates are checked finite beforehand.
    (
        (x / tolerance).floor() as i64,
        (y / tolerance).floor() as i64,
    )
}

fn from_pairs(ids: Vec<String>, pairs: FxHashSet<(usize, usize)>) -> Weights {
    let mut rows: Vec<Vec<(usize, f64)>> = vec![Vec::new(); ids.len()];
    for (a, b) in pairs {
        rows[a].push((b, 1.0));
        rows[b].push((a, 1.0));
    }
    Weights::from_rows(ids, rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::polygon;

    /// Four unit squares in a 2×2 block: rook links edge-sharers, queen also the diagonals.
    fn block() -> (Vec<String>, Vec<MultiPolygon<f64>>) {
        let sq = |x: f64, y: f64| {
            MultiPolygon(vec![polygon![
                (x: x, y: y), (x: x + 1.0, y: y), (x: x + 1.0, y: y + 1.0), (x: x, y: y + 1.0), (x: x, y: y)
            ]])
        };
        (
            ["sw", "se", "nw", "ne"].map(String::from).to_vec(),
            vec![sq(0.0, 0.0), sq(1.0, 0.0), sq(0.0, 1.0), sq(1.0, 1.0)],
        )
    }

    #[test]
    fn queen_and_rook_on_a_block() {
        let (ids, polys) = block();
        let q = queen(ids.clone(), &polys, 0.0).unwrap();
        assert_eq!(q.cardinalities(), vec![3, 3, 3, 3]);
        let r = rook(ids.clone(), &polys, 0.0).unwrap();
        assert_eq!(r.cardinalities(), vec![2, 2, 2, 2]);
        assert_eq!(r.row(0).0, &[1, 2]);
        let qt = queen(ids, &polys, 1e-9).unwrap();
        assert_eq!(qt, q);
    }

    #[test]
    fn tolerance_bridges_a_sliver() {
        let a = MultiPolygon(vec![
            polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0), (x: 0.0, y: 0.0)],
        ]);
        let b = MultiPolygon(vec![
            polygon![(x: 1.0000004, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 1.0), (x: 1.0000004, y: 1.0), (x: 1.0000004, y: 0.0)],
        ]);
        let ids = vec!["a".to_string(), "b".to_string()];
        let polys = [a, b];
        assert_eq!(queen(ids.clone(), &polys, 0.0).unwrap().nnz(), 0);
        assert_eq!(queen(ids, &polys, 1e-6).unwrap().nnz(), 2);
    }

    #[test]
    fn geojson_features() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}},
            {"type":"Feature","properties":{"code":"B"},"geometry":{"type":"Polygon","coordinates":[[[1,0],[2,0],[1,1],[1,0]]]}}]}"#;
        let (ids, polys) = polygons_from_geojson(text, "code").unwrap();
        assert_eq!(ids, ["A", "B"]);
        assert_eq!(rook(ids, &polys, 0.0).unwrap().nnz(), 2);
        let e = polygons_from_geojson(text, "name").unwrap_err();
        assert!(e.to_string().contains("feature 0"), "{e}");
        assert!(polygons_from_geojson("{", "code").is_err());
    }

    #[test]
    fn bad_wkb_names_the_area() {
        let e = polygons_from_wkb(&["E08000025".to_string()], &[vec![1u8, 2, 3]]).unwrap_err();
        assert!(e.to_string().contains("E08000025"), "{e}");
        // A WKB point (little endian, type 1).
        let mut point = vec![1u8, 1, 0, 0, 0];
        point.extend_from_slice(&1.0f64.to_le_bytes());
        point.extend_from_slice(&2.0f64.to_le_bytes());
        let e = polygons_from_wkb(&["x".to_string()], &[point]).unwrap_err();
        assert!(e.to_string().contains("point"), "{e}");
    }
}
