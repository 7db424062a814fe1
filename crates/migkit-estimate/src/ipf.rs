//! Iterative proportional fitting (raking) of a seed table to known margins, in 2 and 3
//! dimensions, with the semantics of the R package migest's `ipf2` and `ipf3` (Abel, G. J.,
//! <https://github.com/guyabel/migest>, `R/ipf2.R`, `R/ipf3.R`).
//!
//! The fitted table is the maximum-likelihood fit of the log-linear model
//! `log y_ij = log α_i + log β_j + log m_ij` (2-D; Agresti 2002, p. 343; Willekens 1999), where the
//! seed `m` is the offset (prior flows, a distance function, or ones); in 3-D the margins are
//! two-way tables (`ik`, `jk`, and optionally `ij`).
//!
//! Deviation from migest: margins whose totals disagree are an error (migest compares the
//! rounded totals); the tolerance is [`IpfOptions::margin_tol`].

use ndarray::{Array2, Array3, ArrayView1, ArrayView2, ArrayView3, Axis};

use crate::error::{EstimateError, Result};

/// Convergence settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IpfOptions {
    /// Stop when the largest absolute difference between a target margin and the fitted margin
    /// (before that margin's scaling step, as migest measures it) is at most `tol`.
    pub tol: f64,
    /// Stop after this many sweeps over all margins (≥ 1).
    pub max_iter: usize,
    /// Relative tolerance for margins whose totals must agree:
    /// `|a − b| ≤ margin_tol × max(1, |a|, |b|)`.
    pub margin_tol: f64,
}

impl Default for IpfOptions {
    /// `tol = 1e-10`, `max_iter = 1000`, `margin_tol = 1e-8`.
    fn default() -> Self {
        Self {
            tol: 1e-10,
            max_iter: 1000,
            margin_tol: 1e-8,
        }
    }
}

impl IpfOptions {
    fn check(&self) -> Result<()> {
        if !(self.tol.is_finite() && self.tol >= 0.0) {
            return Err(EstimateError::input(
                "tol",
                format!("must be ≥ 0, got {}", self.tol),
            ));
        }
        if self.max_iter == 0 {
            return Err(EstimateError::input("max_iter", "must be ≥ 1, got 0"));
        }
        if !(self.margin_tol.is_finite() && self.margin_tol >= 0.0) {
            return Err(EstimateError::input(
                "margin_tol",
                format!("must be ≥ 0, got {}", self.margin_tol),
            ));
        }
        Ok(())
    }
}

/// A fitted table with how the fit went.
#[derive(Debug, Clone, PartialEq)]
pub struct IpfResult<A> {
    /// The fitted table (same shape as the seed).
    pub fitted: A,
    /// Sweeps done (migest's `it`).
    pub iterations: usize,
    /// Largest absolute margin difference in the last sweep (migest's `tol`).
    pub deviation: f64,
    /// True if `deviation ≤ tol`; false if `max_iter` was reached first (e.g. a seed row of
    /// zeros with a positive target).
    pub converged: bool,
}

fn check_values<'a>(name: &str, values: impl IntoIterator<Item = &'a f64>) -> Result<()> {
    for (i, v) in values.into_iter().enumerate() {
        if !v.is_finite() || *v < 0.0 {
            return Err(EstimateError::input(
                name,
                format!("every cell must be a finite number ≥ 0; cell {i} (row-major) is {v}"),
            ));
        }
    }
    Ok(())
}

fn agree(what: impl FnOnce() -> String, a: f64, b: f64, tol: f64) -> Result<()> {
    if (a - b).abs() > tol * 1f64.max(a.abs()).max(b.abs()) {
        return Err(EstimateError::MarginsDisagree {
            what: what(),
            first: a,
            second: b,
        });
    }
    Ok(())
}

/// Scale factor `target / current`, 0 where it is not finite (migest sets NaN and ±Inf to 0).
fn scaler(target: f64, current: f64) -> f64 {
    let s = target / current;
    if s.is_finite() { s } else { 0.0 }
}

/// Two-dimensional IPF: fits `seed` to row totals and/or column totals.
///
/// Each sweep scales the columns to `cols`, then the rows to `rows` (migest `ipf2` order); either
/// margin may be `None` (the log-linear model then lacks that term).
///
/// # Parameters
/// - `seed`: the offset `m` (prior table); `Array2::ones((r, c))` for none.
/// - `rows`: target row totals (length r); `cols`: target column totals (length c).
///
/// # Returns
/// The fitted table, sweeps, final deviation and whether it converged.
///
/// # Errors
/// [`EstimateError::InvalidInput`] for negative or non-finite cells or targets, or bad options;
/// [`EstimateError::Shape`] if a margin's length does not match the seed or both margins are
/// `None`; [`EstimateError::MarginsDisagree`] if `Σ rows ≠ Σ cols` beyond `margin_tol`.
///
/// # Examples
/// Willekens (1999) data, the first example of migest's `ipf2` documentation:
/// ```
/// use ndarray::array;
/// use migkit_estimate::ipf::{ipf2, IpfOptions};
/// let m = array![[5.0, 2.0], [1.0, 7.0]];
/// let r = ipf2(m.view(), Some(&[18.0, 20.0]), Some(&[16.0, 22.0]), &IpfOptions::default()).unwrap();
/// assert!(r.converged);
/// assert!((r.fitted.row(0).sum() - 18.0).abs() < 1e-9);
/// assert!((r.fitted.column(1).sum() - 22.0).abs() < 1e-9);
/// // odds ratio of the seed is kept
/// let f = &r.fitted;
/// assert!((f[[0, 0]] * f[[1, 1]] / (f[[0, 1]] * f[[1, 0]]) - 17.5).abs() < 1e-9);
/// ```
pub fn ipf2(
    seed: ArrayView2<'_, f64>,
    rows: Option<&[f64]>,
    cols: Option<&[f64]>,
    options: &IpfOptions,
) -> Result<IpfResult<Array2<f64>>> {
    options.check()?;
    check_values("seed", seed.iter())?;
    let (nr, nc) = seed.dim();
    if rows.is_none() && cols.is_none() {
        return Err(EstimateError::Shape(
            "give at least one margin (row totals or column totals)".into(),
        ));
    }
    if let Some(r) = rows {
        check_values("row totals", r)?;
        if r.len() != nr {
            return Err(EstimateError::Shape(format!(
                "{} row totals for a seed with {nr} rows",
                r.len()
            )));
        }
    }
    if let Some(c) = cols {
        check_values("column totals", c)?;
        if c.len() != nc {
            return Err(EstimateError::Shape(format!(
                "{} column totals for a seed with {nc} columns",
                c.len()
            )));
        }
    }
    if let (Some(r), Some(c)) = (rows, cols) {
        agree(
            || "sum of row totals vs sum of column totals".into(),
            r.iter().sum(),
            c.iter().sum(),
            options.margin_tol,
        )?;
    }
    let mut mu = seed.to_owned();
    let mut iterations = 0;
    let mut deviation;
    loop {
        deviation = 0.0f64;
        if let Some(c) = cols {
            let current = mu.sum_axis(Axis(0));
            for (j, mut col) in mu.axis_iter_mut(Axis(1)).enumerate() {
                deviation = deviation.max((c[j] - current[j]).abs());
                col *= scaler(c[j], current[j]);
            }
        }
        if let Some(r) = rows {
            let current = mu.sum_axis(Axis(1));
            for (i, mut row) in mu.axis_iter_mut(Axis(0)).enumerate() {
                deviation = deviation.max((r[i] - current[i]).abs());
                row *= scaler(r[i], current[i]);
            }
        }
        iterations += 1;
        if deviation <= options.tol || iterations >= options.max_iter {
            break;
        }
    }
    Ok(IpfResult {
        fitted: mu,
        iterations,
        deviation,
        converged: deviation <= options.tol,
    })
}

/// Two-way margins of a three-way table `y[i, j, k]`; each may be `None`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Margins3<'a> {
    /// `ik[i, k] = Σ_j y[i, j, k]` (migest's `rtot`, e.g. origin by place of birth).
    pub ik: Option<ArrayView2<'a, f64>>,
    /// `jk[j, k] = Σ_i y[i, j, k]` (the transpose of migest's `ctot`).
    pub jk: Option<ArrayView2<'a, f64>>,
    /// `ij[i, j] = Σ_k y[i, j, k]` (not in migest; fitted last in each sweep).
    pub ij: Option<ArrayView2<'a, f64>>,
}

/// Scales `mu` so that its sums over `axis` match `target`; returns the largest deviation before.
fn fit_margin(mu: &mut Array3<f64>, axis: usize, target: ArrayView2<'_, f64>) -> f64 {
    let current = mu.sum_axis(Axis(axis));
    let mut deviation = 0.0f64;
    for ((a, b), t) in target.indexed_iter() {
        deviation = deviation.max((t - current[[a, b]]).abs());
    }
    let factors = ndarray::Zip::from(&target)
        .and(&current)
        .map_collect(|&t, &c| scaler(t, c));
    let factors = factors.insert_axis(Axis(axis));
    *mu *= &factors;
    deviation
}

fn check_margin(name: &str, m: Option<ArrayView2<'_, f64>>, shape: (usize, usize)) -> Result<()> {
    if let Some(m) = m {
        check_values(name, m.iter())?;
        if m.dim() != shape {
            return Err(EstimateError::Shape(format!(
                "margin {name} has shape {:?}, expected {shape:?}",
                m.dim()
            )));
        }
    }
    Ok(())
}

fn agree_sums(what: &str, a: ArrayView1<'_, f64>, b: ArrayView1<'_, f64>, tol: f64) -> Result<()> {
    for (idx, (x, y)) in a.iter().zip(b.iter()).enumerate() {
        agree(|| format!("{what} {idx}"), *x, *y, tol)?;
    }
    Ok(())
}

/// Three-dimensional IPF: fits `seed[i, j, k]` to two-way margins (migest `ipf3`).
///
/// Each sweep fits `ik`, then `jk`, then `ij` (those given). With `ik` and `jk` this is migest's
/// `ipf3(rtot = ik, ctot = t(jk), m = seed)`: the origin–destination flows by place of birth `k`
/// of Abel (2013).
///
/// # Errors
/// [`EstimateError::InvalidInput`] for negative or non-finite cells or bad options;
/// [`EstimateError::Shape`] if a margin's shape does not match the seed or no margin is given;
/// [`EstimateError::MarginsDisagree`] if two margins imply different totals for the same layer
/// (e.g. `Σ_i ik[i, k] ≠ Σ_j jk[j, k]`).
///
/// # Examples
/// ```
/// use ndarray::{array, Array3};
/// use migkit_estimate::ipf::{ipf3, IpfOptions, Margins3};
/// let seed = Array3::<f64>::ones((2, 2, 2));
/// let ik = array![[10.0, 4.0], [6.0, 8.0]];
/// let jk = array![[7.0, 9.0], [9.0, 3.0]];
/// let m = Margins3 { ik: Some(ik.view()), jk: Some(jk.view()), ij: None };
/// let r = ipf3(seed.view(), m, &IpfOptions::default()).unwrap();
/// assert!((r.fitted[[0, 0, 0]] + r.fitted[[0, 1, 0]] - 10.0).abs() < 1e-9);
/// assert!((r.fitted[[0, 1, 1]] + r.fitted[[1, 1, 1]] - 3.0).abs() < 1e-9);
/// ```
pub fn ipf3(
    seed: ArrayView3<'_, f64>,
    margins: Margins3<'_>,
    options: &IpfOptions,
) -> Result<IpfResult<Array3<f64>>> {
    options.check()?;
    check_values("seed", seed.iter())?;
    let (ni, nj, nk) = seed.dim();
    check_margin("ik", margins.ik, (ni, nk))?;
    check_margin("jk", margins.jk, (nj, nk))?;
    check_margin("ij", margins.ij, (ni, nj))?;
    let tol = options.margin_tol;
    if let (Some(ik), Some(jk)) = (margins.ik, margins.jk) {
        agree_sums(
            "layer k: Σ_i ik vs Σ_j jk, k =",
            ik.sum_axis(Axis(0)).view(),
            jk.sum_axis(Axis(0)).view(),
            tol,
        )?;
    }
    if let (Some(ik), Some(ij)) = (margins.ik, margins.ij) {
        agree_sums(
            "row i: Σ_k ik vs Σ_j ij, i =",
            ik.sum_axis(Axis(1)).view(),
            ij.sum_axis(Axis(1)).view(),
            tol,
        )?;
    }
    if let (Some(jk), Some(ij)) = (margins.jk, margins.ij) {
        agree_sums(
            "column j: Σ_k jk vs Σ_i ij, j =",
            jk.sum_axis(Axis(1)).view(),
            ij.sum_axis(Axis(0)).view(),
            tol,
        )?;
    }
    let steps: Vec<(usize, ArrayView2<'_, f64>)> =
        [(1, margins.ik), (0, margins.jk), (2, margins.ij)]
            .into_iter()
            .filter_map(|(axis, m)| m.map(|m| (axis, m)))
            .collect();
    if steps.is_empty() {
        return Err(EstimateError::Shape(
            "give at least one margin (ik, jk or ij)".into(),
        ));
    }
    let mut mu = seed.to_owned();
    let mut iterations = 0;
    let mut deviation;
    loop {
        deviation = 0.0f64;
        for (axis, target) in &steps {
            deviation = deviation.max(fit_margin(&mut mu, *axis, *target));
        }
        iterations += 1;
        if deviation <= options.tol || iterations >= options.max_iter {
            break;
        }
    }
    Ok(IpfResult {
        fitted: mu,
        iterations,
        deviation,
        converged: deviation <= options.tol,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn three_by_three_migest_example_meets_margins() {
        // migest ipf2 documentation, "with bigger matrix" (R fills column-major).
        let m = array![
            [50.0, 120.0, 545.0],
            [10.0, 120.0, 0.0],
            [220.0, 30.0, 10.0]
        ];
        let r = ipf2(
            m.view(),
            Some(&[170.0, 120.0, 410.0]),
            Some(&[500.0, 140.0, 60.0]),
            &IpfOptions::default(),
        )
        .unwrap();
        assert!(r.converged, "{r:?}");
        assert_eq!(r.fitted[[1, 2]], 0.0);
        for (i, t) in [170.0, 120.0, 410.0].iter().enumerate() {
            assert!((r.fitted.row(i).sum() - t).abs() < 1e-9);
        }
    }

    #[test]
    fn one_margin_only_is_a_single_scaling() {
        let m = array![[5.0, 2.0], [1.0, 7.0]];
        let r = ipf2(m.view(), Some(&[18.0, 20.0]), None, &IpfOptions::default()).unwrap();
        assert!((r.fitted[[0, 0]] - 5.0 * 18.0 / 7.0).abs() < 1e-12);
        assert!(r.iterations <= 2);
    }

    #[test]
    fn zero_seed_row_cannot_converge() {
        let m = array![[0.0, 0.0], [1.0, 1.0]];
        let opts = IpfOptions {
            max_iter: 20,
            ..IpfOptions::default()
        };
        let r = ipf2(m.view(), Some(&[5.0, 5.0]), Some(&[5.0, 5.0]), &opts).unwrap();
        assert!(!r.converged);
        assert_eq!(r.iterations, 20);
    }

    #[test]
    fn bad_inputs_are_named() {
        let m = array![[1.0, 1.0], [1.0, 1.0]];
        let o = IpfOptions::default();
        let e = ipf2(m.view(), Some(&[1.0, 2.0]), Some(&[1.0, 1.0]), &o).unwrap_err();
        assert!(matches!(e, EstimateError::MarginsDisagree { .. }), "{e}");
        assert!(e.to_string().contains("3 vs 2"), "{e}");
        let e = ipf2(m.view(), Some(&[1.0, 2.0, 3.0]), None, &o).unwrap_err();
        assert!(e.to_string().contains("3 row totals"), "{e}");
        let e = ipf2(m.view(), Some(&[-1.0, 2.0]), None, &o).unwrap_err();
        assert!(e.to_string().contains("row totals"), "{e}");
        let bad = array![[1.0, f64::NAN], [1.0, 1.0]];
        let e = ipf2(bad.view(), Some(&[1.0, 2.0]), None, &o).unwrap_err();
        assert!(e.to_string().contains("seed"), "{e}");
        assert!(ipf2(m.view(), None, None, &o).is_err());
        let seed = Array3::<f64>::ones((2, 2, 2));
        let ik = array![[1.0, 1.0], [1.0, 1.0]];
        let jk = array![[1.0, 1.0], [1.0, 2.0]];
        let e = ipf3(
            seed.view(),
            Margins3 {
                ik: Some(ik.view()),
                jk: Some(jk.view()),
                ij: None,
            },
            &o,
        )
        .unwrap_err();
        assert!(e.to_string().contains("layer k"), "{e}");
    }

    #[test]
    fn three_margins_in_three_dimensions() {
        let seed = Array3::from_shape_fn((2, 3, 2), |(i, j, k)| 1.0 + (i + 2 * j + 3 * k) as f64);
        let truth = Array3::from_shape_fn((2, 3, 2), |(i, j, k)| {
            2.0 + ((i * 7 + j * 3 + k * 5) % 4) as f64
        });
        let ik = truth.sum_axis(Axis(1));
        let jk = truth.sum_axis(Axis(0));
        let ij = truth.sum_axis(Axis(2));
        let m = Margins3 {
            ik: Some(ik.view()),
            jk: Some(jk.view()),
            ij: Some(ij.view()),
        };
        let r = ipf3(seed.view(), m, &IpfOptions::default()).unwrap();
        assert!(r.converged, "{r:?}");
        let fitted_ij = r.fitted.sum_axis(Axis(2));
        for (a, b) in fitted_ij.iter().zip(ij.iter()) {
            assert!((a - b).abs() < 1e-8);
        }
    }
}
