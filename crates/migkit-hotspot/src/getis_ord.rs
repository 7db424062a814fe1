//! Local Getis–Ord G and G* with analytical and conditional-randomisation inference.
//!
//! Getis, A. and Ord, J. K. (1992), "The analysis of spatial association by use of distance
//! statistics", *Geographical Analysis* 24(3), 189–206; Ord, J. K. and Getis, A. (1995), "Local
//! spatial autocorrelation statistics", *Geographical Analysis* 27(4), 286–306.
//! Matches `esda.G_Local` (v2.9.0) for `Gs`, `EGs`, `VGs`, `Zs`, `p_norm`; the conditional
//! randomisation follows esda's `crand` (one table of random neighbour sets shared by all
//! areas) with migkit's seeded streams, so `p_sim` and `z_sim` agree with esda's in distribution.
//! Deviation: areas without neighbours get `p_sim` NaN (esda: `1 / (permutations + 1)`).

use crate::error::{HotspotError, Result};
use crate::permutation::{self, normal_sf};
use crate::weights::{Transform, Weights};

/// Options of [`local_g`], with esda's defaults.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalGOptions {
    /// `Binary` or `Row` (default), applied after the self-weight is added for G*.
    pub transform: Transform,
    /// G* (include the area itself) rather than G.
    pub star: bool,
    /// Self-weight for G* before the transformation; `None` uses the largest original weight of
    /// the row (1 for contiguity weights), as esda does for `star=True`.
    pub self_weight: Option<f64>,
    /// Number of conditional permutations per area (0: none; default 999).
    pub permutations: usize,
    /// Seed (`None`: from the clock).
    pub seed: Option<u64>,
}

impl Default for LocalGOptions {
    fn default() -> Self {
        Self {
            transform: Transform::Row,
            star: false,
            self_weight: None,
            permutations: 999,
            seed: None,
        }
    }
}

/// Local G or G* of every area; vectors in the row order of the weights.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalG {
    /// Whether this is G*.
    pub star: bool,
    /// The statistic (esda `Gs`).
    pub gs: Vec<f64>,
    /// Its expectation under the null (esda `EGs`).
    pub egs: Vec<f64>,
    /// Its variance under the null (esda `VGs`).
    pub vgs: Vec<f64>,
    /// z-values (esda `Zs`): positive for hot spots, negative for cold spots.
    pub zs: Vec<f64>,
    /// `1 − Φ(|Zs|)` (esda `p_norm`).
    pub p_norm: Vec<f64>,
    /// Number of permutations per area.
    pub permutations: usize,
    /// The seed used.
    pub seed: u64,
    /// Folded pseudo p-values (esda `p_sim`); NaN for islands or without permutations.
    pub p_sim: Vec<f64>,
    /// Mean of the draws (esda `EG_sim`).
    pub eg_sim: Vec<f64>,
    /// Standard deviation of the draws (esda `seG_sim`).
    pub se_g_sim: Vec<f64>,
    /// `(Gs − EG_sim) / seG_sim` (esda `z_sim`).
    pub z_sim: Vec<f64>,
    /// `1 − Φ(|z_sim|)` (esda `p_z_sim`).
    pub p_z_sim: Vec<f64>,
}

/// Local G (`star = false`) or G* of `y` (aligned with `w.ids()`, non-negative).
///
/// # Errors
/// `y` of the wrong length, not finite or negative (naming the area), constant `y`, every area
/// an island, a transform other than binary or row, fewer than 3 areas.
///
/// # Algorithm
/// `G_i = Σ_j w_ij y_j / (Σ_k y_k − y_i)` (G) or `Σ_j w_ij y_j / Σ_k y_k` with `w_ii > 0` (G*);
/// `E[G_i] = W_i / N`, `V[G_i] = W_i (N − W_i) / (N − 1) · s² / (N² ȳ²)` with N = n − 1 (G) or n
/// (G*) and ȳ, s² the mean and variance of the other values (G) or all values (G*).
///
/// # Notes
/// O(nnz) for the statistic; O(permutations × nnz) for inference, parallel over areas.
///
/// # Examples
/// ```
/// use migkit_hotspot::{local_g, LocalGOptions, Transform, Weights};
/// let ids = ["a", "b", "c", "d"].map(String::from).to_vec();
/// let nb = [vec!["b"], vec!["a", "c"], vec!["b", "d"], vec!["c"]]
///     .map(|v| v.into_iter().map(String::from).collect::<Vec<_>>());
/// let w = Weights::from_neighbours(ids, &nb, None)?;
/// let opts = LocalGOptions { transform: Transform::Binary, permutations: 0, ..Default::default() };
/// let g = local_g(&[1.0, 2.0, 3.0, 4.0], &w, &opts)?;
/// // G_b = (1 + 3) / (10 − 2) = 0.5
/// assert!((g.gs[1] - 0.5).abs() < 1e-12);
/// # Ok::<(), migkit_hotspot::HotspotError>(())
/// ```
pub fn local_g(y: &[f64], w: &Weights, options: &LocalGOptions) -> Result<LocalG> {
    w.check_values(y, "y")?;
    w.check_not_all_islands()?;
    permutation::check_permutations(options.permutations)?;
    if !matches!(options.transform, Transform::Binary | Transform::Row) {
        return Err(HotspotError::Parameter {
            name: "transform",
            rule: format!(
                "local G takes \"B\" or \"R\", got {:?}",
                options.transform.code()
            ),
        });
    }
    if let Some(i) = y.iter().position(|&v| v < 0.0) {
        return Err(HotspotError::Weights {
            id: w.ids()[i].clone(),
            message: format!("y is {} but Getis–Ord G needs values ≥ 0", y[i]),
        });
    }
    if let Some(s) = options.self_weight {
        if !(s.is_finite() && s > 0.0) {
            return Err(HotspotError::Parameter {
                name: "star",
                rule: format!("the self-weight must be a finite number > 0, got {s}"),
            });
        }
    }
    let n = y.len();
    if n < 3 {
        return Err(HotspotError::TooFew {
            statistic: "local G",
            needed: 3,
            found: n,
        });
    }
    if y.iter().all(|&v| v == y[0]) {
        return Err(HotspotError::ZeroVariance { field: "y".into() });
    }
    let star = options.star;
    // Transformed neighbour weights and self-weights (zero for G).
    let mut nbw: Vec<Vec<f64>> = Vec::with_capacity(n);
    let mut selfw = vec![0.0; n];
    for (i, sw) in selfw.iter_mut().enumerate() {
        let orig = w.original_row(i);
        let s = if star {
            options.self_weight.unwrap_or_else(|| {
                let max = orig.iter().copied().fold(0.0, f64::max);
                if max > 0.0 { max } else { 1.0 }
            })
        } else {
            0.0
        };
        let (row, s) = match options.transform {
            Transform::Binary => (vec![1.0; orig.len()], if star { 1.0 } else { 0.0 }),
            _ => {
                let total: f64 = orig.iter().sum::<f64>() + s;
                if total == 0.0 {
                    (vec![0.0; orig.len()], 0.0)
                } else {
                    (orig.iter().map(|v| v / total).collect(), s / total)
                }
            }
        };
        nbw.push(row);
        *sw = s;
    }

    let remove_self = if star { 0.0 } else { 1.0 };
    let nn = n as f64 - remove_self;
    let y_sum: f64 = y.iter().sum();
    let y2_sum: f64 = y.iter().map(|v| v * v).sum();
    let mut gs = Vec::with_capacity(n);
    let mut egs = Vec::with_capacity(n);
    let mut vgs = Vec::with_capacity(n);
    let mut zs = Vec::with_capacity(n);
    for i in 0..n {
        let nb = w.row(i).0;
        let lag: f64 = nb
            .iter()
            .zip(&nbw[i])
            .map(|(&j, &wij)| wij * y[j])
            .sum::<f64>()
            + selfw[i] * y[i];
        let statistic = lag / (y_sum - y[i] * remove_self);
        let empirical_mean = (y_sum - y[i] * remove_self) / nn;
        let mean_of_squares = (y2_sum - y[i] * y[i] * remove_self) / nn;
        let empirical_variance = mean_of_squares - empirical_mean * empirical_mean;
        let cardinality: f64 = nbw[i].iter().sum::<f64>() + selfw[i];
        let expected_value = cardinality / nn;
        let expected_variance = cardinality * (nn - cardinality) / (nn - 1.0)
            * (1.0 / (nn * nn))
            * (empirical_variance / (empirical_mean * empirical_mean));
        gs.push(statistic);
        egs.push(expected_value);
        vgs.push(expected_variance);
        zs.push((statistic - expected_value) / expected_variance.sqrt());
    }
    let p_norm = zs.iter().map(|z: &f64| normal_sf(z.abs())).collect();

    let seed = permutation::resolve_seed(options.seed);
    let sims = permutation::conditional(
        |i| nbw[i].as_slice(),
        y,
        &gs,
        options.permutations,
        seed,
        |i| permutation::Affine {
            scale: 1.0,
            shift: selfw[i] * y[i],
            divisor: y_sum - y[i] * remove_self,
        },
    );
    let p_sim = sims.iter().map(|s| s.p_sim(options.permutations)).collect();
    let z_sim: Vec<f64> = sims.iter().zip(&gs).map(|(s, &v)| s.z_sim(v)).collect();
    let p_z_sim = z_sim.iter().map(|v| normal_sf(v.abs())).collect();
    Ok(LocalG {
        star,
        gs,
        egs,
        vgs,
        zs,
        p_norm,
        permutations: options.permutations,
        seed,
        p_sim,
        eg_sim: sims.iter().map(|s| s.mean).collect(),
        se_g_sim: sims.iter().map(|s| s.sd).collect(),
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
    fn hand_worked_g_star_row() {
        let opts = LocalGOptions {
            star: true,
            permutations: 0,
            ..Default::default()
        };
        let g = local_g(&[1.0, 2.0, 3.0, 4.0], &path4(), &opts).unwrap();
        // Row-standardised with self-weight 1: b has weights 1/3 on a, b, c → (1 + 2 + 3)/3/10.
        assert_relative_eq!(g.gs[1], 0.2, max_relative = 1e-14);
        // a: weights 1/2 on a and b → 1.5/10.
        assert_relative_eq!(g.gs[0], 0.15, max_relative = 1e-14);
        // W_i = 1, N = 4: E = 0.25; s² = 7.5 − 6.25 = 1.25, ȳ = 2.5: V = 1·3/3/16·0.2 = 0.0125.
        assert_relative_eq!(g.egs[0], 0.25);
        assert_relative_eq!(g.vgs[0], 0.0125, max_relative = 1e-14);
        assert!(g.p_sim.iter().all(|p| p.is_nan()));
    }

    #[test]
    fn negative_values_name_the_area() {
        let e = local_g(&[1.0, -2.0, 3.0, 4.0], &path4(), &LocalGOptions::default()).unwrap_err();
        assert!(e.to_string().contains("\"b\""), "{e}");
        let e = local_g(
            &[1.0, 2.0, 3.0, 4.0],
            &path4(),
            &LocalGOptions {
                transform: Transform::Double,
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("transform"), "{e}");
    }
}
