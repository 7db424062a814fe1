//! Spatial weights: who neighbours whom, and how much, stored as compressed sparse rows (CSR)
//! with the area ids kept.
//!
//! Built from a neighbour list ([`Weights::from_neighbours`]), from polygons
//! ([`contiguity::queen`], [`contiguity::rook`]) or from points ([`distance::knn`],
//! [`distance::distance_band`]); transformed as libpysal does ([`Transform`]).

pub mod contiguity;
pub mod distance;

use rustc_hash::FxHashMap;

use crate::error::{HotspotError, Result};

/// A weights transformation, as libpysal's `W.transform`.
///
/// Each is computed from the original weights, so transforming twice does not compound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Transform {
    /// The weights as built (libpysal `"O"`).
    #[default]
    Original,
    /// Binary: every neighbour weighs 1 (libpysal `"B"`).
    Binary,
    /// Row-standardised: each row sums to 1 (libpysal `"R"`); islands keep an empty row.
    Row,
    /// Doubly standardised: every weight divided by the sum of all weights (libpysal `"D"`).
    Double,
    /// Variance stabilising (libpysal `"V"`, Tiefelsdorf et al. 1999): each row divided by
    /// its Euclidean norm, then all scaled so that the weights sum to n.
    Variance,
}

impl Transform {
    /// Parse a libpysal code: `"O"`, `"B"`, `"R"`, `"D"`, `"V"` (case-insensitive).
    ///
    /// # Errors
    /// [`HotspotError::Parameter`] naming the valid codes.
    pub fn parse(code: &str) -> Result<Self> {
        match code.to_ascii_uppercase().as_str() {
            "O" => Ok(Self::Original),
            "B" => Ok(Self::Binary),
            "R" => Ok(Self::Row),
            "D" => Ok(Self::Double),
            "V" => Ok(Self::Variance),
            _ => Err(HotspotError::Parameter {
                name: "transform",
                rule: format!("{code:?} is not one of \"O\", \"B\", \"R\", \"D\", \"V\""),
            }),
        }
    }

    /// The libpysal code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Original => "O",
            Self::Binary => "B",
            Self::Row => "R",
            Self::Double => "D",
            Self::Variance => "V",
        }
    }
}

/// Spatial weights in CSR form: row `i` lists the neighbours of area `ids[i]` (sorted by index)
/// and their weights. There are no self-weights (the diagonal is zero), as in libpysal's
/// contiguity, KNN and distance-band weights.
///
/// Memory O(n + nnz).
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    ids: Vec<String>,
    offsets: Vec<usize>,
    neighbours: Vec<usize>,
    original: Vec<f64>,
    weights: Vec<f64>,
    transform: Transform,
}

impl Weights {
    /// Weights from a neighbour list, as libpysal `W(neighbors, weights)`.
    ///
    /// `neighbours[i]` lists the ids neighbouring `ids[i]`; `weights`, if given, holds one weight
    /// per neighbour in the same order (otherwise every weight is 1). A neighbour listed twice
    /// keeps the sum of its weights; a self-neighbour is an error.
    ///
    /// # Errors
    /// A duplicate id, a neighbour that is not in `ids`, an area listed as its own neighbour,
    /// lengths that differ, or a weight that is not finite.
    ///
    /// # Notes
    /// O(nnz log k) time, where k is the largest number of neighbours.
    ///
    /// # Examples
    /// ```
    /// use migkit_hotspot::Weights;
    /// let w = Weights::from_neighbours(
    ///     vec!["a".into(), "b".into(), "c".into()],
    ///     &[vec!["b".into()], vec!["a".into(), "c".into()], vec!["b".into()]],
    ///     None,
    /// )?;
    /// assert_eq!(w.cardinalities(), vec![1, 2, 1]);
    /// # Ok::<(), migkit_hotspot::HotspotError>(())
    /// ```
    pub fn from_neighbours(
        ids: Vec<String>,
        neighbours: &[Vec<String>],
        weights: Option<&[Vec<f64>]>,
    ) -> Result<Self> {
        if neighbours.len() != ids.len() {
            return Err(HotspotError::Length {
                field: "neighbours".into(),
                expected: ids.len(),
                found: neighbours.len(),
            });
        }
        if let Some(ws) = weights {
            if ws.len() != ids.len() {
                return Err(HotspotError::Length {
                    field: "weights".into(),
                    expected: ids.len(),
                    found: ws.len(),
                });
            }
        }
        let index = id_index(&ids, "ids")?;
        let mut rows = Vec::with_capacity(ids.len());
        for (i, list) in neighbours.iter().enumerate() {
            let row_weights = match weights {
                Some(ws) => {
                    if ws[i].len() != list.len() {
                        return Err(HotspotError::Weights {
                            id: ids[i].clone(),
                            message: format!(
                                "{} neighbours but {} weights",
                                list.len(),
                                ws[i].len()
                            ),
                        });
                    }
                    ws[i].clone()
                }
                None => vec![1.0; list.len()],
            };
            let mut row = Vec::with_capacity(list.len());
            for (name, &wt) in list.iter().zip(&row_weights) {
                let Some(&j) = index.get(name.as_str()) else {
                    return Err(HotspotError::Weights {
                        id: ids[i].clone(),
                        message: format!("neighbour {name:?} is not one of the ids"),
                    });
                };
                if j == i {
                    return Err(HotspotError::Weights {
                        id: ids[i].clone(),
                        message: "an area cannot be its own neighbour".into(),
                    });
                }
                if !wt.is_finite() {
                    return Err(HotspotError::NonFinite {
                        id: ids[i].clone(),
                        field: format!("weight of neighbour {name:?}"),
                        value: wt,
                    });
                }
                row.push((j, wt));
            }
            rows.push(row);
        }
        Ok(Self::from_rows(ids, rows))
    }

    /// Weights from rows of `(neighbour index, weight)`; sorts each row and merges duplicates.
    pub(crate) fn from_rows(ids: Vec<String>, rows: Vec<Vec<(usize, f64)>>) -> Self {
        let mut offsets = Vec::with_capacity(ids.len() + 1);
        offsets.push(0);
        let mut neighbours = Vec::new();
        let mut original = Vec::new();
        for mut row in rows {
            row.sort_by_key(|&(j, _)| j);
            let start = neighbours.len();
            for (j, wt) in row {
                if neighbours.len() > start && neighbours.last() == Some(&j) {
                    if let Some(last) = original.last_mut() {
                        *last += wt;
                    }
                } else {
                    neighbours.push(j);
                    original.push(wt);
                }
            }
            offsets.push(neighbours.len());
        }
        Self {
            ids,
            offsets,
            weights: original.clone(),
            neighbours,
            original,
            transform: Transform::Original,
        }
    }

    /// The number of areas.
    pub fn n(&self) -> usize {
        self.ids.len()
    }

    /// The area ids, in row order.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// The current transformation.
    pub fn transformation(&self) -> Transform {
        self.transform
    }

    /// The neighbours (row indices) and current weights of area `i`.
    ///
    /// # Panics
    /// Never for `i < n()`; an index out of range returns empty slices.
    pub fn row(&self, i: usize) -> (&[usize], &[f64]) {
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(&a), Some(&b)) => (&self.neighbours[a..b], &self.weights[a..b]),
            _ => (&[], &[]),
        }
    }

    /// The original (untransformed) weights of area `i`.
    pub fn original_row(&self, i: usize) -> &[f64] {
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.original[a..b],
            _ => &[],
        }
    }

    /// The number of neighbours of each area.
    pub fn cardinalities(&self) -> Vec<usize> {
        self.offsets.windows(2).map(|w| w[1] - w[0]).collect()
    }

    /// The number of neighbour pairs stored (non-zero weights).
    pub fn nnz(&self) -> usize {
        self.neighbours.len()
    }

    /// The ids of areas without neighbours (libpysal `W.islands`).
    pub fn islands(&self) -> Vec<&str> {
        self.cardinalities()
            .iter()
            .zip(&self.ids)
            .filter(|(c, _)| **c == 0)
            .map(|(_, id)| id.as_str())
            .collect()
    }

    /// The neighbours of each area as ids, with their current weights (libpysal
    /// `W.neighbors` / `W.weights`).
    pub fn to_neighbours(&self) -> Vec<(String, Vec<(String, f64)>)> {
        (0..self.n())
            .map(|i| {
                let (nb, wt) = self.row(i);
                let list = nb
                    .iter()
                    .zip(wt)
                    .map(|(&j, &w)| (self.ids[j].clone(), w))
                    .collect();
                (self.ids[i].clone(), list)
            })
            .collect()
    }

    /// The same weights with another transformation, computed from the original weights as
    /// libpysal does.
    ///
    /// # Notes
    /// O(nnz).
    pub fn transformed(&self, transform: Transform) -> Self {
        let mut out = self.clone();
        out.set_transform(transform);
        out
    }

    /// Set the transformation in place (see [`Weights::transformed`]).
    pub fn set_transform(&mut self, transform: Transform) {
        self.transform = transform;
        let n = self.n();
        match transform {
            Transform::Original => self.weights.clone_from(&self.original),
            Transform::Binary => self.weights.iter_mut().for_each(|w| *w = 1.0),
            Transform::Row => {
                for i in 0..n {
                    let (a, b) = (self.offsets[i], self.offsets[i + 1]);
                    let s: f64 = self.original[a..b].iter().sum();
                    for k in a..b {
                        self.weights[k] = if s == 0.0 { 0.0 } else { self.original[k] / s };
                    }
                }
            }
            Transform::Double => {
                let s0: f64 = self.original.iter().sum();
                for (w, o) in self.weights.iter_mut().zip(&self.original) {
                    *w = if s0 == 0.0 { 0.0 } else { o / s0 };
                }
            }
            Transform::Variance => {
                let mut big_q = 0.0;
                for i in 0..n {
                    let (a, b) = (self.offsets[i], self.offsets[i + 1]);
                    let q = self.original[a..b]
                        .iter()
                        .map(|w| w * w)
                        .sum::<f64>()
                        .sqrt();
                    for k in a..b {
                        self.weights[k] = if q == 0.0 { 0.0 } else { self.original[k] / q };
                        big_q += self.weights[k];
                    }
                }
                let nq = if big_q == 0.0 { 0.0 } else { n as f64 / big_q };
                self.weights.iter_mut().for_each(|w| *w *= nq);
            }
        }
    }

    /// The spatial lag `Σ_j w_ij y_j` of each area (libpysal `lag_spatial`).
    ///
    /// # Errors
    /// [`HotspotError::Length`] if `y` does not have one value per area.
    ///
    /// # Notes
    /// O(nnz).
    pub fn lag(&self, y: &[f64]) -> Result<Vec<f64>> {
        self.check_len(y, "y")?;
        Ok(self.lag_unchecked(y))
    }

    pub(crate) fn lag_unchecked(&self, y: &[f64]) -> Vec<f64> {
        (0..self.n())
            .map(|i| {
                let (nb, wt) = self.row(i);
                nb.iter().zip(wt).map(|(&j, &w)| w * y[j]).sum()
            })
            .collect()
    }

    /// `(s0, s1, s2)` of the current weights, as libpysal `W.s0`, `W.s1`, `W.s2`:
    /// s0 = Σ w_ij, s1 = ½ Σ (w_ij + w_ji)², s2 = Σ_i (w_i· + w_·i)².
    ///
    /// # Notes
    /// O(nnz log k).
    pub fn moments(&self) -> (f64, f64, f64) {
        let n = self.n();
        let s0: f64 = self.weights.iter().sum();
        let mut s1 = 0.0;
        let mut row_sum = vec![0.0; n];
        let mut col_sum = vec![0.0; n];
        for (i, rs) in row_sum.iter_mut().enumerate() {
            let (nb, wt) = self.row(i);
            for (&j, &w) in nb.iter().zip(wt) {
                *rs += w;
                col_sum[j] += w;
                match self.weight(j, i) {
                    Some(wji) => s1 += (w + wji) * (w + wji),
                    None => s1 += 2.0 * w * w,
                }
            }
        }
        let s2 = row_sum
            .iter()
            .zip(&col_sum)
            .map(|(r, c)| (r + c) * (r + c))
            .sum();
        (s0, s1 / 2.0, s2)
    }

    /// The current weight of `j` in the row of `i`, if `j` neighbours `i`.
    pub fn weight(&self, i: usize, j: usize) -> Option<f64> {
        let (nb, wt) = self.row(i);
        nb.binary_search(&j).ok().map(|k| wt[k])
    }

    /// Reorder values given by id into the row order of the weights.
    ///
    /// # Errors
    /// An id not in the weights ([`HotspotError::UnknownId`]), an id given twice, an area of the
    /// weights without a value ([`HotspotError::MissingValue`]), or lengths that differ.
    ///
    /// # Notes
    /// O(n).
    pub fn align<S: AsRef<str>>(&self, ids: &[S], values: &[f64]) -> Result<Vec<f64>> {
        if ids.len() != values.len() {
            return Err(HotspotError::Length {
                field: "ids".into(),
                expected: values.len(),
                found: ids.len(),
            });
        }
        let index = id_index(&self.ids, "weights")?;
        let mut out = vec![f64::NAN; self.n()];
        let mut seen = vec![false; self.n()];
        for (id, &v) in ids.iter().zip(values) {
            let id = id.as_ref();
            let Some(&i) = index.get(id) else {
                return Err(HotspotError::UnknownId { id: id.to_string() });
            };
            if seen[i] {
                return Err(HotspotError::DuplicateId {
                    id: id.to_string(),
                    field: "ids".into(),
                });
            }
            seen[i] = true;
            out[i] = v;
        }
        if let Some(i) = seen.iter().position(|s| !s) {
            return Err(HotspotError::MissingValue {
                id: self.ids[i].clone(),
            });
        }
        Ok(out)
    }

    /// Check that `y` has one finite value per area.
    pub(crate) fn check_values(&self, y: &[f64], field: &str) -> Result<()> {
        self.check_len(y, field)?;
        if let Some(i) = y.iter().position(|v| !v.is_finite()) {
            return Err(HotspotError::NonFinite {
                id: self.ids[i].clone(),
                field: field.into(),
                value: y[i],
            });
        }
        Ok(())
    }

    fn check_len(&self, y: &[f64], field: &str) -> Result<()> {
        if y.len() != self.n() {
            return Err(HotspotError::Length {
                field: field.into(),
                expected: self.n(),
                found: y.len(),
            });
        }
        Ok(())
    }

    /// Fail if no area has a neighbour.
    pub(crate) fn check_not_all_islands(&self) -> Result<()> {
        if self.nnz() == 0 {
            return Err(HotspotError::AllIslands);
        }
        Ok(())
    }
}

/// Map each id to its index, failing on duplicates.
fn id_index<'a>(ids: &'a [String], field: &str) -> Result<FxHashMap<&'a str, usize>> {
    let mut index = FxHashMap::default();
    index.reserve(ids.len());
    for (i, id) in ids.iter().enumerate() {
        if index.insert(id.as_str(), i).is_some() {
            return Err(HotspotError::DuplicateId {
                id: id.clone(),
                field: field.into(),
            });
        }
    }
    Ok(index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    fn path4() -> Weights {
        let ids: Vec<String> = ["a", "b", "c", "d"].map(String::from).to_vec();
        let nb = vec![
            vec!["b".to_string()],
            vec!["a".to_string(), "c".to_string()],
            vec!["b".to_string(), "d".to_string()],
            vec!["c".to_string()],
        ];
        Weights::from_neighbours(ids, &nb, None).unwrap()
    }

    #[test]
    fn transforms_match_hand_values() {
        let w = path4();
        let r = w.transformed(Transform::Row);
        assert_eq!(r.row(1).1, &[0.5, 0.5]);
        let d = w.transformed(Transform::Double);
        assert_relative_eq!(d.row(0).1[0], 1.0 / 6.0);
        let v = w.transformed(Transform::Variance);
        // rows scaled by 1/sqrt(k); sum = 2*1 + 2*2/sqrt(2) = 2 + 2.828..., then times 4/sum.
        let big_q = 2.0 + 4.0 / 2f64.sqrt();
        assert_relative_eq!(v.row(0).1[0], 4.0 / big_q, max_relative = 1e-15);
        assert_relative_eq!(v.weights.iter().sum::<f64>(), 4.0, max_relative = 1e-15);
        let (s0, s1, s2) = w.moments();
        assert_eq!((s0, s1, s2), (6.0, 12.0, 40.0));
    }

    #[test]
    fn lag_and_islands() {
        let w = Weights::from_neighbours(
            vec!["a".into(), "b".into(), "c".into()],
            &[vec!["b".into()], vec!["a".into()], vec![]],
            None,
        )
        .unwrap();
        assert_eq!(w.islands(), vec!["c"]);
        assert_eq!(w.lag(&[1.0, 2.0, 3.0]).unwrap(), vec![2.0, 1.0, 0.0]);
    }

    #[test]
    fn bad_neighbours_name_the_area() {
        let e = Weights::from_neighbours(vec!["a".into()], &[vec!["zz".into()]], None).unwrap_err();
        assert!(e.to_string().contains("\"a\"") && e.to_string().contains("zz"));
        let e = Weights::from_neighbours(vec!["a".into()], &[vec!["a".into()]], None).unwrap_err();
        assert!(e.to_string().contains("own neighbour"));
        let w = path4();
        let e = w.align(&["a", "b", "c", "x"], &[1.0; 4]).unwrap_err();
        assert_eq!(e, HotspotError::UnknownId { id: "x".into() });
        let e = w.align(&["a", "b", "c"], &[1.0; 3]).unwrap_err();
        assert_eq!(e, HotspotError::MissingValue { id: "d".into() });
    }
}
