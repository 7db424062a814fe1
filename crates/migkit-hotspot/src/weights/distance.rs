//! Distance-based weights on points (e.g. centroids): k nearest neighbours and distance bands,
//! as libpysal `KNN` and `DistanceBand` with Euclidean distance.

use rayon::prelude::*;

use crate::error::{HotspotError, Result};
use crate::weights::Weights;

/// k-nearest-neighbour weights (binary): each area's `k` closest other points, ties broken by
/// row order. As libpysal `KNN(points, k)`; rows are not symmetric in general.
///
/// # Errors
/// Lengths that differ, a non-finite coordinate, duplicate ids, or `k` not in `1..n`.
///
/// # Notes
/// Brute force, O(n² log k) time (parallel over areas), O(n·k) memory; a spatial index is planned
/// for large n.
pub fn knn(ids: Vec<String>, points: &[(f64, f64)], k: usize) -> Result<Weights> {
    check(&ids, points)?;
    let n = ids.len();
    if k == 0 || k >= n {
        return Err(HotspotError::Parameter {
            name: "k",
            rule: format!(
                "must be between 1 and n − 1 = {}, got {k}",
                n.saturating_sub(1)
            ),
        });
    }
    let rows: Vec<Vec<(usize, f64)>> = (0..n)
        .into_par_iter()
        .map(|i| {
            let mut d: Vec<(f64, usize)> = (0..n)
                .filter(|&j| j != i)
                .map(|j| (dist(points[i], points[j]), j))
                .collect();
            d.select_nth_unstable_by(k - 1, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            d.truncate(k);
            d.into_iter().map(|(_, j)| (j, 1.0)).collect()
        })
        .collect();
    Ok(Weights::from_rows(ids, rows))
}

/// Distance-band weights: points within `threshold` (inclusive) are neighbours, with weight 1
/// (`binary = true`) or `d^alpha` (inverse distance for `alpha < 0`), as libpysal
/// `DistanceBand(points, threshold, binary, alpha)`. Areas with no point in the band are islands.
///
/// # Errors
/// Lengths that differ, a non-finite coordinate, duplicate ids, a threshold that is not a
/// positive number, or two distinct areas at the same place with non-binary weights (infinite
/// weight).
///
/// # Notes
/// Brute force, O(n²) time (parallel over areas).
pub fn distance_band(
    ids: Vec<String>,
    points: &[(f64, f64)],
    threshold: f64,
    binary: bool,
    alpha: f64,
) -> Result<Weights> {
    check(&ids, points)?;
    if !(threshold > 0.0 && threshold.is_finite()) {
        return Err(HotspotError::Parameter {
            name: "threshold",
            rule: format!("must be a finite number > 0, got {threshold}"),
        });
    }
    let n = ids.len();
    let rows: Vec<Vec<(usize, f64)>> = (0..n)
        .into_par_iter()
        .map(|i| {
            (0..n)
                .filter(|&j| j != i)
                .filter_map(|j| {
                    let d = dist(points[i], points[j]);
                    (d <= threshold).then(|| (j, if binary { 1.0 } else { d.powf(alpha) }))
                })
                .collect()
        })
        .collect();
    for (i, row) in rows.iter().enumerate() {
        if let Some(&(j, _)) = row.iter().find(|(_, w)| !w.is_finite()) {
            return Err(HotspotError::Weights {
                id: ids[i].clone(),
                message: format!(
                    "at distance 0 from {:?}: inverse-distance weight is infinite",
                    ids[j]
                ),
            });
        }
    }
    Ok(Weights::from_rows(ids, rows))
}

fn dist(a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 - b.0).hypot(a.1 - b.1)
}

fn check(ids: &[String], points: &[(f64, f64)]) -> Result<()> {
    if ids.len() != points.len() {
        return Err(HotspotError::Length {
            field: "points".into(),
            expected: ids.len(),
            found: points.len(),
        });
    }
    for (id, &(x, y)) in ids.iter().zip(points) {
        if !x.is_finite() || !y.is_finite() {
            return Err(HotspotError::NonFinite {
                id: id.clone(),
                field: "coordinate".into(),
                value: if x.is_finite() { y } else { x },
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line() -> (Vec<String>, Vec<(f64, f64)>) {
        (
            ["a", "b", "c", "d"].map(String::from).to_vec(),
            vec![(0.0, 0.0), (1.0, 0.0), (3.0, 0.0), (7.0, 0.0)],
        )
    }

    #[test]
    fn knn_picks_the_closest() {
        let (ids, pts) = line();
        let w = knn(ids, &pts, 1).unwrap();
        assert_eq!(w.row(0).0, &[1]);
        assert_eq!(w.row(2).0, &[1]);
        assert_eq!(w.row(3).0, &[2]);
        assert!(knn(line().0, &pts, 4).is_err());
    }

    #[test]
    fn distance_band_binary_and_inverse() {
        let (ids, pts) = line();
        let w = distance_band(ids.clone(), &pts, 2.0, true, -1.0).unwrap();
        assert_eq!(w.cardinalities(), vec![1, 2, 1, 0]);
        assert_eq!(w.islands(), vec!["d"]);
        let w = distance_band(ids, &pts, 2.0, false, -1.0).unwrap();
        assert_eq!(w.row(2).1, &[0.5]);
    }
}
