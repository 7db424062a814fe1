//! Local Moran's I (LISA) with conditional-randomisation inference.
//!
//! Anselin, L. (1995), "Local indicators of spatial association — LISA", *Geographical Analysis*
//! 27(2), 93–115; analytical moments under total randomisation from Sokal, Oden and Thomson
//! (1998), *Geographical Analysis* 30(4), eqs. A3–A4*. Matches `esda.Moran_Local` (v2.9.0) for
//! `Is`, `q`, `EI`, `VI`; the conditional randomisation follows esda's `crand` (one table of
//! random neighbour sets shared by all areas, [`crate::permutation::DrawTable`]) but draws it
//! from migkit's seeded streams, not NumPy's, so `p_sim` and `z_sim` agree with esda's in
//! distribution. Deviation: areas without neighbours get `p_sim`
//! and `z_sim` NaN (esda reports them as maximally significant, `1 / (permutations + 1)`).

use crate::error::{HotspotError, Result};
use crate::permutation::{self, normal_sf};
use crate::weights::{Transform, Weights};

/// Options of [`local_moran`], with esda's defaults.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalMoranOptions {
    /// Transformation applied to the weights first (default row).
    pub transform: Transform,
    /// Number of conditional permutations per area (0: none; default 999).
    pub permutations: usize,
    /// Seed (`None`: from the clock).
    pub seed: Option<u64>,
}

impl Default for LocalMoranOptions {
    fn default() -> Self {
        Self {
            transform: Transform::Row,
            permutations: 999,
            seed: None,
        }
    }
}

/// The Moran scatter-plot quadrant of an area, coded as esda: 1 HH, 2 LH, 3 LL, 4 HL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Quadrant {
    /// High value, high neighbours (esda 1).
    HighHigh = 1,
    /// Low value, high neighbours (esda 2).
    LowHigh = 2,
    /// Low value, low neighbours (esda 3).
    LowLow = 3,
    /// High value, low neighbours (esda 4).
    HighLow = 4,
}

impl Quadrant {
    /// The quadrant of a standardised value and its lag; zero counts as low, as in esda.
    pub fn of(z: f64, lag: f64) -> Self {
        match (z > 0.0, lag > 0.0) {
            (true, true) => Self::HighHigh,
            (false, true) => Self::LowHigh,
            (false, false) => Self::LowLow,
            (true, false) => Self::HighLow,
        }
    }

    /// The label people read ("High-High", ...).
    pub fn label(self) -> &'static str {
        match self {
            Self::HighHigh => "High-High",
            Self::LowHigh => "Low-High",
            Self::LowLow => "Low-Low",
            Self::HighLow => "High-Low",
        }
    }
}

/// Local Moran's I of every area; vectors in the row order of the weights.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalMoran {
    /// Local I of each area (esda `Is`).
    pub is: Vec<f64>,
    /// Quadrant of each area (esda `q`).
    pub q: Vec<Quadrant>,
    /// Expected local I under total randomisation, −w_i·/(n−1) (esda `EI`).
    pub ei: Vec<f64>,
    /// Variance of local I under total randomisation (esda `VI`).
    pub vi: Vec<f64>,
    /// Number of permutations per area.
    pub permutations: usize,
    /// The seed used.
    pub seed: u64,
    /// Folded pseudo p-values (esda `p_sim`); NaN for islands or without permutations.
    pub p_sim: Vec<f64>,
    /// Mean of the conditional draws (esda `EI_sim`).
    pub ei_sim: Vec<f64>,
    /// Standard deviation of the draws (esda `seI_sim`).
    pub se_i_sim: Vec<f64>,
    /// `(Is − EI_sim) / seI_sim` (esda `z_sim`).
    pub z_sim: Vec<f64>,
    /// `1 − Φ(|z_sim|)` (esda `p_z_sim`).
    pub p_z_sim: Vec<f64>,
}

/// Local Moran's I of `y` (aligned with `w.ids()`).
///
/// # Errors
/// `y` of the wrong length or not finite (naming the area), constant `y`, every area an island,
/// fewer than 3 areas.
///
/// # Algorithm
/// `z = (y − ȳ) / sd(y)` (ddof 0), `I_i = (n − 1) z_i (Wz)_i / Σ z²`. Conditional randomisation:
/// for area i with k_i neighbours, each permutation draws k_i distinct areas other than i and
/// recomputes I_i with their values in place of the neighbours' (Anselin 1995, §4).
///
/// # Notes
/// O(nnz) for the statistic; O(permutations × nnz) for inference, parallel over areas with one
/// table of draws shared by all areas; O(n + threads × permutations × max k) memory.
///
/// # Examples
/// ```
/// use migkit_hotspot::{local_moran, LocalMoranOptions, Quadrant, Weights};
/// let ids = ["a", "b", "c", "d"].map(String::from).to_vec();
/// let nb = [vec!["b"], vec!["a", "c"], vec!["b", "d"], vec!["c"]]
///     .map(|v| v.into_iter().map(String::from).collect::<Vec<_>>());
/// let w = Weights::from_neighbours(ids, &nb, None)?;
/// let lm = local_moran(&[1.0, 2.0, 3.0, 4.0], &w, &LocalMoranOptions { seed: Some(1), ..Default::default() })?;
/// // z = (−1.5, −0.5, 0.5, 1.5)/sd, Σz² = n = 4, lag of a = z_b: I_a = 3 · 1.5 · 0.5 / 1.25 / 4.
/// assert!((lm.is[0] - 3.0 * 0.75 / 1.25 / 4.0).abs() < 1e-12);
/// assert_eq!(lm.q[0], Quadrant::LowLow);
/// assert_eq!(lm.q[3], Quadrant::HighHigh);
/// # Ok::<(), migkit_hotspot::HotspotError>(())
/// ```
pub fn local_moran(y: &[f64], w: &Weights, options: &LocalMoranOptions) -> Result<LocalMoran> {
    w.check_values(y, "y")?;
    w.check_not_all_islands()?;
    permutation::check_permutations(options.permutations)?;
    let n = y.len();
    if n < 3 {
        return Err(HotspotError::TooFew {
            statistic: "local Moran's I",
            needed: 3,
            found: n,
        });
    }
    if y.iter().all(|&v| v == y[0]) {
        return Err(HotspotError::ZeroVariance { field: "y".into() });
    }
    let w = w.transformed(options.transform);
    let nf = n as f64;
    let n_1 = nf - 1.0;
    let mean = y.iter().sum::<f64>() / nf;
    let sd = (y.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / nf).sqrt();
    let z: Vec<f64> = y.iter().map(|v| (v - mean) / sd).collect();
    let den: f64 = z.iter().map(|v| v * v).sum();
    let zl = w.lag_unchecked(&z);
    let is: Vec<f64> = z
        .iter()
        .zip(&zl)
        .map(|(zi, li)| n_1 * zi * li / den)
        .collect();
    let q = z
        .iter()
        .zip(&zl)
        .map(|(&a, &b)| Quadrant::of(a, b))
        .collect();

    let m2 = den / nf;
    let m4 = z.iter().map(|v| v.powi(4)).sum::<f64>() / nf;
    let b2 = m4 / (m2 * m2);
    let (ei, vi) = (0..n)
        .map(|i| {
            let wt = w.row(i).1;
            let wi: f64 = wt.iter().sum();
            let wi2: f64 = wt.iter().map(|v| v * v).sum();
            let ei = -wi / n_1;
            let mut vi = wi2 * (nf - b2) / n_1;
            vi += (wi * wi - wi2) * (2.0 * b2 - nf) / (n_1 * (nf - 2.0));
            vi -= (-wi / n_1).powi(2);
            (ei, vi)
        })
        .unzip();

    let seed = permutation::resolve_seed(options.seed);
    let sims = permutation::conditional(
        |i| w.row(i).1,
        &z,
        &is,
        options.permutations,
        seed,
        |i| permutation::Affine {
            scale: n_1 * z[i],
            shift: 0.0,
            divisor: den,
        },
    );
    let p_sim = sims.iter().map(|s| s.p_sim(options.permutations)).collect();
    let z_sim: Vec<f64> = sims.iter().zip(&is).map(|(s, &v)| s.z_sim(v)).collect();
    let p_z_sim = z_sim.iter().map(|v| normal_sf(v.abs())).collect();
    Ok(LocalMoran {
        is,
        q,
        ei,
        vi,
        permutations: options.permutations,
        seed,
        p_sim,
        ei_sim: sims.iter().map(|s| s.mean).collect(),
        se_i_sim: sims.iter().map(|s| s.sd).collect(),
        z_sim,
        p_z_sim,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 10×10 rook lattice with a smooth gradient: strong positive association.
    fn lattice(side: usize) -> Weights {
        let id = |r: usize, c: usize| format!("{r}-{c}");
        let mut ids = Vec::new();
        let mut nb = Vec::new();
        for r in 0..side {
            for c in 0..side {
                ids.push(id(r, c));
                let mut list = Vec::new();
                if r > 0 {
                    list.push(id(r - 1, c));
                }
                if r + 1 < side {
                    list.push(id(r + 1, c));
                }
                if c > 0 {
                    list.push(id(r, c - 1));
                }
                if c + 1 < side {
                    list.push(id(r, c + 1));
                }
                nb.push(list);
            }
        }
        Weights::from_neighbours(ids, &nb, None).unwrap()
    }

    #[test]
    fn gradient_corners_are_significant_and_sum_matches_global() {
        let w = lattice(10);
        let y: Vec<f64> = (0..100).map(|k| (k / 10 + k % 10) as f64).collect();
        let opts = LocalMoranOptions {
            seed: Some(42),
            permutations: 499,
            ..Default::default()
        };
        let lm = local_moran(&y, &w, &opts).unwrap();
        // Σ I_i / (n − 1) = global I with row-standardised weights (S0 = n).
        let global = crate::moran::moran(
            &y,
            &w,
            &crate::moran::MoranOptions {
                permutations: 0,
                ..Default::default()
            },
        )
        .unwrap();
        let sum: f64 = lm.is.iter().sum::<f64>() / 99.0;
        approx::assert_relative_eq!(sum, global.i, max_relative = 1e-12);
        assert_eq!(lm.q[0], Quadrant::LowLow);
        assert_eq!(lm.q[99], Quadrant::HighHigh);
        assert!(lm.p_sim[0] < 0.01 && lm.p_sim[99] < 0.01);
        assert!(lm.z_sim[99] > 2.0);
    }

    #[test]
    fn islands_get_no_inference() {
        let w = Weights::from_neighbours(
            ["a", "b", "c", "d"].map(String::from).to_vec(),
            &[vec!["b".into()], vec!["a".into()], vec!["d".into()], vec![]],
            None,
        );
        // "d" lists no neighbour although "c" lists "d": asymmetric, allowed.
        let w = w.unwrap();
        let lm = local_moran(&[1.0, 2.0, 3.0, 5.0], &w, &LocalMoranOptions::default()).unwrap();
        assert_eq!(lm.is[3], 0.0);
        assert!(lm.p_sim[3].is_nan());
        assert!(lm.p_sim[0].is_finite());
    }
}
