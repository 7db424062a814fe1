//! Global Moran's I with normality, randomisation and permutation inference.
//!
//! Moran, P. A. P. (1950), "Notes on continuous stochastic phenomena", *Biometrika* 37, 17–23;
//! moments from Cliff, A. D. and Ord, J. K. (1981), *Spatial Processes*, Pion, §2.3.
//! Matches `esda.Moran` (v2.9.0) attribute for attribute; deviation: the permutation draws use
//! migkit's seeded streams ([`crate::permutation`]), not NumPy's global RNG, so `p_sim` and
//! `z_sim` agree with esda's in distribution, not draw for draw.

use crate::error::{HotspotError, Result};
use crate::permutation::{self, normal_cdf, normal_sf};
use crate::weights::{Transform, Weights};

/// Options of [`moran`], with esda's defaults.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MoranOptions {
    /// Transformation applied to the weights first (esda `transformation`, default row).
    pub transform: Transform,
    /// Number of random permutations (0: none; default 999).
    pub permutations: usize,
    /// Seed of the permutations (`None`: from the clock).
    pub seed: Option<u64>,
    /// Double the analytical p-values (esda `two_tailed`, default true).
    pub two_tailed: bool,
}

impl Default for MoranOptions {
    fn default() -> Self {
        Self {
            transform: Transform::Row,
            permutations: 999,
            seed: None,
            two_tailed: true,
        }
    }
}

/// Global Moran's I and its inference; field names follow esda (`I` → `i`, `EI` → `ei`, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct Moran {
    /// Number of areas.
    pub n: usize,
    /// Moran's I.
    pub i: f64,
    /// Expected I under the null, −1/(n−1).
    pub ei: f64,
    /// Variance of I under normality.
    pub vi_norm: f64,
    /// Standard error of I under normality.
    pub se_i_norm: f64,
    /// z-value under normality.
    pub z_norm: f64,
    /// p-value under normality (two-tailed unless `two_tailed` was false).
    pub p_norm: f64,
    /// Variance of I under randomisation.
    pub vi_rand: f64,
    /// Standard error of I under randomisation.
    pub se_i_rand: f64,
    /// z-value under randomisation.
    pub z_rand: f64,
    /// p-value under randomisation.
    pub p_rand: f64,
    /// Number of permutations run.
    pub permutations: usize,
    /// The seed used.
    pub seed: u64,
    /// Pseudo p-value from the permutations, folded as esda (NaN without permutations).
    pub p_sim: f64,
    /// Mean of the permuted I.
    pub ei_sim: f64,
    /// Standard deviation of the permuted I (ddof 0).
    pub se_i_sim: f64,
    /// `(I − EI_sim) / seI_sim`.
    pub z_sim: f64,
    /// One-tailed normal p-value of `z_sim` (esda `p_z_sim`).
    pub p_z_sim: f64,
}

/// Global Moran's I of `y` (one value per area, in the row order of `w`).
///
/// # Parameters
/// - `y`: the variable, aligned with `w.ids()` (use [`Weights::align`] for values keyed by id).
/// - `w`: the weights; they are transformed with `options.transform` first.
/// - `options`: transformation, permutations, seed, tails.
///
/// # Returns
/// [`Moran`]: I, EI, the normality and randomisation moments, z- and p-values, and permutation
/// inference when `permutations > 0`.
///
/// # Errors
/// `y` of the wrong length or with a NaN/infinite value (naming the area), a constant `y`
/// ([`HotspotError::ZeroVariance`]), weights in which every area is an island, fewer than 4
/// areas (the randomisation variance divides by (n−1)(n−2)(n−3)).
///
/// # Algorithm
/// `z = y − ȳ`; `I = n / S0 · Σ_i z_i (Wz)_i / Σ z_i²`; VI_norm and VI_rand from S0, S1, S2 and
/// the kurtosis of z (Cliff and Ord 1981, eqs. 2.37–2.39); permutations shuffle z.
///
/// # Notes
/// O(nnz + permutations × (n + nnz)) time, permutations in parallel; O(threads × n) memory.
///
/// # Examples
/// Four areas on a line, `a – b – c – d`, with y = 1, 2, 3, 4 and row-standardised weights:
/// z = (−1.5, −0.5, 0.5, 1.5), Σz² = 5, spatial lag Wz = (−0.5, −0.5, 0.5, 0.5), so
/// Σ z·Wz = 0.75 + 0.25 + 0.25 + 0.75 = 2 and, with S0 = n = 4, I = 4/4 · 2/5 = 0.4;
/// EI = −1/3.
/// ```
/// use migkit_hotspot::{moran, MoranOptions, Weights};
/// let ids = ["a", "b", "c", "d"].map(String::from).to_vec();
/// let nb = [vec!["b"], vec!["a", "c"], vec!["b", "d"], vec!["c"]]
///     .map(|v| v.into_iter().map(String::from).collect::<Vec<_>>());
/// let w = Weights::from_neighbours(ids, &nb, None)?;
/// let m = moran(&[1.0, 2.0, 3.0, 4.0], &w, &MoranOptions { seed: Some(1), ..Default::default() })?;
/// assert!((m.i - 0.4).abs() < 1e-12);
/// assert!((m.ei + 1.0 / 3.0).abs() < 1e-12);
/// # Ok::<(), migkit_hotspot::HotspotError>(())
/// ```
pub fn moran(y: &[f64], w: &Weights, options: &MoranOptions) -> Result<Moran> {
    w.check_values(y, "y")?;
    w.check_not_all_islands()?;
    permutation::check_permutations(options.permutations)?;
    let n = y.len();
    if n < 4 {
        return Err(HotspotError::TooFew {
            statistic: "Moran's I",
            needed: 4,
            found: n,
        });
    }
    if y.iter().all(|&v| v == y[0]) {
        return Err(HotspotError::ZeroVariance { field: "y".into() });
    }
    let w = w.transformed(options.transform);
    let nf = n as f64;
    let mean = y.iter().sum::<f64>() / nf;
    let z: Vec<f64> = y.iter().map(|v| v - mean).collect();
    let z2ss: f64 = z.iter().map(|v| v * v).sum();
    let (s0, s1, s2) = w.moments();
    // Σ_i z_i (Wz)_i without allocating the lag (it runs once per permutation).
    let calc = |z: &[f64]| -> f64 {
        let inum: f64 = z
            .iter()
            .enumerate()
            .map(|(i, zi)| {
                let (nb, wt) = w.row(i);
                zi * nb.iter().zip(wt).map(|(&j, &wij)| wij * z[j]).sum::<f64>()
            })
            .sum();
        nf / s0 * inum / z2ss
    };
    let i = calc(&z);

    let ei = -1.0 / (nf - 1.0);
    let n2 = nf * nf;
    let s02 = s0 * s0;
    let v_num = n2 * s1 - nf * s2 + 3.0 * s02;
    let v_den = (nf - 1.0) * (nf + 1.0) * s02;
    let vi_norm = v_num / v_den - (1.0 / (nf - 1.0)).powi(2);
    let se_i_norm = vi_norm.sqrt();
    let k_num = z.iter().map(|v| v.powi(4)).sum::<f64>() / nf;
    let k_den = (z.iter().map(|v| v * v).sum::<f64>() / nf).powi(2);
    let k = k_num / k_den;
    let a = nf * ((n2 - 3.0 * nf + 3.0) * s1 - nf * s2 + 3.0 * s02);
    let b = k * ((n2 - nf) * s1 - 2.0 * nf * s2 + 6.0 * s02);
    let vi_rand = (a - b) / ((nf - 1.0) * (nf - 2.0) * (nf - 3.0) * s02) - ei * ei;
    let se_i_rand = vi_rand.sqrt();
    let z_norm = (i - ei) / se_i_norm;
    let z_rand = (i - ei) / se_i_rand;
    let tails = if options.two_tailed { 2.0 } else { 1.0 };
    let (p_norm, p_rand) = if z_norm > 0.0 {
        (normal_sf(z_norm), normal_sf(z_rand))
    } else {
        (normal_cdf(z_norm), normal_cdf(z_rand))
    };

    let seed = permutation::resolve_seed(options.seed);
    let draws = permutation::total(&z, options.permutations, seed, calc);
    let sim = permutation::summarise(i, &draws);
    let z_sim = sim.z_sim(i);
    let p_z_sim = if z_sim > 0.0 {
        normal_sf(z_sim)
    } else {
        normal_cdf(z_sim)
    };
    Ok(Moran {
        n,
        i,
        ei,
        vi_norm,
        se_i_norm,
        z_norm,
        p_norm: p_norm * tails,
        vi_rand,
        se_i_rand,
        z_rand,
        p_rand: p_rand * tails,
        permutations: options.permutations,
        seed,
        p_sim: sim.p_sim(options.permutations),
        ei_sim: sim.mean,
        se_i_sim: sim.sd,
        z_sim,
        p_z_sim,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    fn path4() -> Weights {
        let ids = ["a", "b", "c", "d"].map(String::from).to_vec();
        let nb = [vec!["b"], vec!["a", "c"], vec!["b", "d"], vec!["c"]]
            .map(|v| v.into_iter().map(String::from).collect::<Vec<_>>());
        Weights::from_neighbours(ids, &nb, None).unwrap()
    }

    #[test]
    fn hand_worked_path() {
        let opts = MoranOptions {
            seed: Some(3),
            permutations: 99,
            ..Default::default()
        };
        let m = moran(&[1.0, 2.0, 3.0, 4.0], &path4(), &opts).unwrap();
        assert_relative_eq!(m.i, 0.4, max_relative = 1e-14);
        // Row-standardised path: S0 = 4, S1 = ½Σ(w_ij + w_ji)² = ½(2·1.5² + 2·1² + 2·1.5²) = 5.5,
        // row sums 1, column sums (0.5, 1.5, 1.5, 0.5) → S2 = 2.25 + 6.25 + 6.25 + 2.25 = 17.
        let (s0, s1, s2) = path4().transformed(Transform::Row).moments();
        assert_eq!((s0, s1, s2), (4.0, 5.5, 17.0));
        // VI_norm = (16·5.5 − 4·17 + 3·16) / (3·5·16) − 1/9 = 68/240 − 1/9.
        assert_relative_eq!(m.vi_norm, 68.0 / 240.0 - 1.0 / 9.0, max_relative = 1e-14);
        // Deterministic for a seed.
        let again = moran(&[1.0, 2.0, 3.0, 4.0], &path4(), &opts).unwrap();
        assert_eq!(m, again);
        assert!(m.p_sim > 0.0 && m.p_sim <= 0.5);
    }

    #[test]
    fn bad_input_names_the_problem() {
        let w = path4();
        let opts = MoranOptions::default();
        let e = moran(&[1.0, f64::NAN, 3.0, 4.0], &w, &opts).unwrap_err();
        assert!(e.to_string().contains("\"b\""), "{e}");
        let e = moran(&[2.0; 4], &w, &opts).unwrap_err();
        assert!(matches!(e, HotspotError::ZeroVariance { .. }));
        let e = moran(&[1.0, 2.0, 3.0], &w, &opts).unwrap_err();
        assert!(matches!(e, HotspotError::Length { .. }));
        let islands = Weights::from_neighbours(
            ["a", "b", "c", "d"].map(String::from).to_vec(),
            &[vec![], vec![], vec![], vec![]],
            None,
        )
        .unwrap();
        let e = moran(&[1.0, 2.0, 3.0, 4.0], &islands, &opts).unwrap_err();
        assert_eq!(e, HotspotError::AllIslands);
    }
}
