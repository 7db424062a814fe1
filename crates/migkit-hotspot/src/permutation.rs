//! Seeded, parallel permutation inference.
//!
//! Determinism: every unit of work (an area for conditional randomisation, a permutation for
//! total randomisation) draws from its own Xoshiro256++ generator (Blackman and Vigna 2021,
//! "Scrambled linear pseudorandom number generators", *ACM TOMS* 47(4)), seeded from `seed` and
//! the unit's index through SplitMix64. Results are therefore identical for a given seed whatever
//! the number of rayon threads, and on every platform. Memory is O(n + threads × k) for local statistics (no n × permutations matrix,
//! unlike esda's `keep_simulations`) and O(threads × n + permutations) for global ones.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

use crate::error::{HotspotError, Result};
use crate::weights::Weights;

/// The generator of one unit of work (an area or a permutation).
pub type StreamRng = Xoshiro256PlusPlus;

/// SplitMix64 finaliser (Steele, Lea and Flood 2014), a bijective 64-bit mixer.
fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The generator of unit `stream` under `seed`: Xoshiro256++ seeded (via SplitMix64) from a mix
/// of both, so that neighbouring seeds and streams give unrelated sequences.
pub fn stream_rng(seed: u64, stream: u64) -> StreamRng {
    Xoshiro256PlusPlus::seed_from_u64(splitmix64(splitmix64(seed) ^ stream))
}

/// The seed to use: the one given, or one from the clock when `None` (results then differ from
/// run to run, as esda's with `seed=None`).
pub fn resolve_seed(seed: Option<u64>) -> u64 {
    seed.unwrap_or_else(|| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        // Fold the 128-bit nanosecond count and the process id into 64 bits.
        (nanos as u64) ^ ((nanos >> 64) as u64) ^ (u64::from(std::process::id()) << 32)
    })
}

/// Check `permutations` (0 turns permutation inference off).
pub(crate) fn check_permutations(permutations: usize) -> Result<()> {
    if permutations > 1_000_000 {
        return Err(HotspotError::Parameter {
            name: "permutations",
            rule: format!("must be ≤ 1,000,000, got {permutations}"),
        });
    }
    Ok(())
}

/// The simulated distribution of one statistic, summarised without keeping the draws.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Simulated {
    /// Draws greater than or equal to the observed value.
    pub larger: usize,
    /// Mean of the draws (esda `EI_sim` / `EG_sim`).
    pub mean: f64,
    /// Standard deviation of the draws, ddof 0 (esda `seI_sim`).
    pub sd: f64,
}

impl Simulated {
    /// Summary for an area without neighbours: no inference (NaN).
    pub const NONE: Self = Self {
        larger: 0,
        mean: f64::NAN,
        sd: f64::NAN,
    };

    /// The pseudo p-value folded as esda does: with `larger` draws ≥ observed,
    /// `(min(larger, permutations − larger) + 1) / (permutations + 1)`; NaN without draws.
    pub fn p_sim(&self, permutations: usize) -> f64 {
        if self.mean.is_nan() || permutations == 0 {
            return f64::NAN;
        }
        let larger = self.larger.min(permutations - self.larger);
        (larger as f64 + 1.0) / (permutations as f64 + 1.0)
    }

    /// `(observed − mean) / sd` (esda `z_sim`).
    pub fn z_sim(&self, observed: f64) -> f64 {
        (observed - self.mean) / self.sd
    }
}

/// Running mean and variance (Welford), plus the count of draws ≥ observed.
struct Accumulator {
    observed: f64,
    count: usize,
    mean: f64,
    m2: f64,
    larger: usize,
}

impl Accumulator {
    fn new(observed: f64) -> Self {
        Self {
            observed,
            count: 0,
            mean: 0.0,
            m2: 0.0,
            larger: 0,
        }
    }

    fn push(&mut self, v: f64) {
        self.count += 1;
        let delta = v - self.mean;
        self.mean += delta / self.count as f64;
        self.m2 += delta * (v - self.mean);
        if v >= self.observed {
            self.larger += 1;
        }
    }

    fn finish(self) -> Simulated {
        Simulated {
            larger: self.larger,
            mean: self.mean,
            sd: (self.m2 / self.count as f64).sqrt(),
        }
    }
}

/// Conditional randomisation (Anselin 1995, §4; esda `crand`): for each area `i` with `k_i`
/// neighbours, `permutations` times draw `k_i` distinct other areas (never `i`) at random and
/// evaluate `stat(i, drawn)`, where `drawn[m]` takes the place of the `m`-th neighbour of `i`.
///
/// Areas without neighbours get [`Simulated::NONE`].
///
/// # Notes
/// O(permutations × nnz) time, parallel over areas; O(n + threads × k) memory.
pub fn conditional<F>(
    w: &Weights,
    observed: &[f64],
    permutations: usize,
    seed: u64,
    stat: F,
) -> Vec<Simulated>
where
    F: Fn(usize, &[usize]) -> f64 + Sync,
{
    let n = w.n();
    (0..n)
        .into_par_iter()
        .map_init(Vec::new, |drawn: &mut Vec<usize>, i| {
            let k = w.row(i).0.len();
            if k == 0 || permutations == 0 || n < 2 {
                return Simulated::NONE;
            }
            let mut rng = stream_rng(seed, i as u64);
            let mut acc = Accumulator::new(observed[i]);
            for _ in 0..permutations {
                draw_distinct(&mut rng, n - 1, k, drawn);
                for j in drawn.iter_mut() {
                    if *j >= i {
                        *j += 1;
                    }
                }
                acc.push(stat(i, drawn));
            }
            acc.finish()
        })
        .collect()
}

/// Fill `out` with `k` distinct indices from `0..m`, in uniformly random order (each position
/// uniform over the indices not yet drawn), without allocating once `out` has grown to `k`.
///
/// Small `k` (the usual case: contiguity has k ≈ 5) uses rejection with a linear scan, expected
/// O(k²) and no extra memory, drawing each index exactly uniformly with Lemire's multiply-shift
/// method (Lemire 2019, "Fast random integer generation in an interval", *ACM TOMACS* 29(1)) on
/// the two 32-bit halves of each 64-bit output; large `k` falls back to
/// `rand::seq::index::sample` (O(k) memory).
fn draw_distinct(rng: &mut StreamRng, m: usize, k: usize, out: &mut Vec<usize>) {
    use rand::RngCore;
    out.clear();
    if k <= 64 && 2 * k <= m && m <= u32::MAX as usize {
        let m64 = m as u64;
        // 2^32 mod m: products whose low half falls below it are rejected, which makes the
        // high half exactly uniform on 0..m.
        let threshold = (1u64 << 32) % m64;
        while out.len() < k {
            let r = rng.next_u64();
            for half in [r & 0xFFFF_FFFF, r >> 32] {
                let product = half * m64;
                if (product & 0xFFFF_FFFF) < threshold {
                    continue;
                }
                let j = (product >> 32) as usize;
                if out.len() < k && !out.contains(&j) {
                    out.push(j);
                }
            }
        }
    } else {
        out.extend(rand::seq::index::sample(rng, m, k).iter());
    }
}

/// Total randomisation for a global statistic: `permutations` random permutations of `z`, the
/// `p`-th drawn from stream `p`; returns `stat` of each (in permutation order).
///
/// # Notes
/// O(permutations × cost of `stat`) time, parallel over permutations; O(threads × n) scratch.
pub fn total<F>(z: &[f64], permutations: usize, seed: u64, stat: F) -> Vec<f64>
where
    F: Fn(&[f64]) -> f64 + Sync,
{
    (0..permutations)
        .into_par_iter()
        .map_init(
            || z.to_vec(),
            |scratch, p| {
                scratch.copy_from_slice(z);
                let mut rng = stream_rng(seed, p as u64);
                scratch.shuffle(&mut rng);
                stat(scratch)
            },
        )
        .collect()
}

/// Summarise global draws as [`Simulated`].
pub(crate) fn summarise(observed: f64, draws: &[f64]) -> Simulated {
    if draws.is_empty() {
        return Simulated::NONE;
    }
    let mut acc = Accumulator::new(observed);
    draws.iter().for_each(|&v| acc.push(v));
    acc.finish()
}

/// Upper tail of the standard normal, `1 − Φ(z)` (scipy `norm.sf`).
pub(crate) fn normal_sf(z: f64) -> f64 {
    crate::normal::ndtr(-z)
}

/// Lower tail of the standard normal, `Φ(z)` (scipy `norm.cdf`).
pub(crate) fn normal_cdf(z: f64) -> f64 {
    crate::normal::ndtr(z)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_p_as_esda() {
        let s = Simulated {
            larger: 990,
            mean: 0.0,
            sd: 1.0,
        };
        assert_eq!(s.p_sim(999), 10.0 / 1000.0);
        let s = Simulated { larger: 3, ..s };
        assert_eq!(s.p_sim(999), 4.0 / 1000.0);
    }

    #[test]
    fn same_draws_on_one_thread_and_many() {
        let ids: Vec<String> = (0..50).map(|i| i.to_string()).collect();
        let nb: Vec<Vec<String>> = (0..50)
            .map(|i| vec![((i + 1) % 50).to_string(), ((i + 49) % 50).to_string()])
            .collect();
        let w = Weights::from_neighbours(ids, &nb, None).unwrap();
        let z: Vec<f64> = (0..50).map(|i| (i as f64).sin()).collect();
        let stat = |_i: usize, d: &[usize]| d.iter().map(|&j| z[j]).sum::<f64>();
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| conditional(&w, &z, 99, 7, stat));
        let four = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap()
            .install(|| conditional(&w, &z, 99, 7, stat));
        assert_eq!(one, four);
        let other = conditional(&w, &z, 99, 8, stat);
        assert_ne!(one, other);
    }

    #[test]
    fn draws_are_distinct_and_uniform() {
        let mut rng = stream_rng(1, 2);
        let mut out = Vec::new();
        let mut first = [0usize; 10];
        for _ in 0..20_000 {
            draw_distinct(&mut rng, 10, 3, &mut out);
            assert_eq!(out.len(), 3);
            assert!(out[0] != out[1] && out[0] != out[2] && out[1] != out[2]);
            assert!(out.iter().all(|&j| j < 10));
            first[out[0]] += 1;
        }
        // Each index comes first about 2,000 times (binomial sd ≈ 42).
        assert!(
            first.iter().all(|&c| (1_800..2_200).contains(&c)),
            "{first:?}"
        );
        draw_distinct(&mut rng, 10, 9, &mut out);
        let mut sorted = out.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 9);
    }

    #[test]
    fn normal_tails() {
        approx::assert_relative_eq!(normal_sf(1.959963984540054), 0.025, max_relative = 1e-12);
        approx::assert_relative_eq!(normal_cdf(-1.0), 0.15865525393145707, max_relative = 1e-12);
    }
}
