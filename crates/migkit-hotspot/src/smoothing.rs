//! Rate smoothing for event/base pairs (e.g. people on asylum support / population), with the
//! semantics of `esda.smoothing` 2.9: excess risk ([`excess_risk`], esda `Excess_Risk`), global
//! empirical Bayes ([`empirical_bayes`], esda `Empirical_Bayes`, Marshall 1991) and spatial
//! empirical Bayes ([`spatial_empirical_bayes`], esda `Spatial_Empirical_Bayes`).
//!
//! Raw rates `e_i / b_i` are unstable where the base is small; empirical Bayes shrinks each raw
//! rate towards a reference rate (the global rate, or the rate of the area and its neighbours)
//! in proportion to how unreliable it is.
//!
//! # Example (hand-worked, four areas)
//!
//! Events 1, 2, 3, 12 on bases 100, 100, 200, 100: the global rate is 18 / 500 = 0.036 and the
//! raw rates are 0.01, 0.02, 0.015, 0.12.
//!
//! * Excess risk is `e_i / (b_i × 0.036)`: for area 4, 12 / 3.6 = 3.333….
//! * Empirical Bayes: the between-area variance is
//!   `Σ b_i (r_i − 0.036)² / Σ b_i − 0.036 / mean(b)`
//!   = (0.0676 + 0.0256 + 0.0882 + 0.7056) / 500 − 0.036 / 125 = 0.001774 − 0.000288 = 0.001486;
//!   area 4 (b = 100) keeps the share 0.001486 / (0.001486 + 0.036 / 100) = 1486 / 1846 of its
//!   deviation from 0.036, so its smoothed rate is 0.036 + 0.084 × 1486 / 1846 ≈ 0.1036.
//!
//! ```
//! use migkit_hotspot::smoothing::{empirical_bayes, excess_risk};
//! let (e, b) = ([1.0, 2.0, 3.0, 12.0], [100.0, 100.0, 200.0, 100.0]);
//! let er = excess_risk(&e, &b)?;
//! assert!((er[3] - 12.0 / 3.6).abs() < 1e-12);
//! let eb = empirical_bayes(&e, &b)?;
//! assert!((eb[3] - (0.036 + 0.084 * 1486.0 / 1846.0)).abs() < 1e-12);
//! // area 3 (b = 200) keeps the share 1486 / (1486 + 180) of its deviation -0.021
//! assert!((eb[2] - (0.036 - 0.021 * 1486.0 / 1666.0)).abs() < 1e-12);
//! # Ok::<(), migkit_hotspot::HotspotError>(())
//! ```

use crate::error::{HotspotError, Result};
use crate::weights::Weights;

/// Which smoother [`smooth`] applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SmoothingMethod {
    /// Excess risk, `e_i / (b_i × Σe / Σb)` (esda `Excess_Risk`); a ratio, not a rate.
    ExcessRisk,
    /// Global empirical Bayes (esda `Empirical_Bayes`).
    Global,
    /// Spatial empirical Bayes (esda `Spatial_Empirical_Bayes`); needs weights.
    Spatial,
}

impl SmoothingMethod {
    /// Parse `"excess_risk"`, `"global"` or `"spatial"` (case-insensitive; `-` or `_`).
    ///
    /// # Errors
    /// [`HotspotError::Parameter`] naming the valid methods.
    pub fn parse(name: &str) -> Result<Self> {
        match name.to_ascii_lowercase().replace('-', "_").as_str() {
            "excess_risk" => Ok(Self::ExcessRisk),
            "global" => Ok(Self::Global),
            "spatial" => Ok(Self::Spatial),
            _ => Err(HotspotError::Parameter {
                name: "method",
                rule: format!("{name:?} is not one of \"global\", \"spatial\", \"excess_risk\""),
            }),
        }
    }
}

/// Name of the area at position `i`: its id, or `#i` where there are no ids.
fn area_name(ids: Option<&[String]>, i: usize) -> String {
    match ids {
        Some(ids) => ids[i].clone(),
        None => format!("#{i}"),
    }
}

/// Check an event/base pair: equal lengths, finite, non-negative, positive base, some events.
///
/// Returns `(Σ e, Σ b)`.
fn check_pairs(events: &[f64], base: &[f64], ids: Option<&[String]>) -> Result<(f64, f64)> {
    if events.len() != base.len() {
        return Err(HotspotError::Length {
            field: "base".into(),
            expected: events.len(),
            found: base.len(),
        });
    }
    if let Some(ids) = ids
        && ids.len() != events.len()
    {
        return Err(HotspotError::Length {
            field: "events".into(),
            expected: ids.len(),
            found: events.len(),
        });
    }
    if events.is_empty() {
        return Err(HotspotError::TooFew {
            statistic: "rate smoothing",
            needed: 1,
            found: 0,
        });
    }
    for (i, (&e, &b)) in events.iter().zip(base).enumerate() {
        for (field, v) in [("events", e), ("base", b)] {
            if !v.is_finite() {
                return Err(HotspotError::NonFinite {
                    id: area_name(ids, i),
                    field: field.into(),
                    value: v,
                });
            }
            if v < 0.0 {
                return Err(HotspotError::Negative {
                    id: area_name(ids, i),
                    field: field.into(),
                    value: v,
                });
            }
        }
        if b == 0.0 {
            return Err(HotspotError::ZeroBase {
                id: area_name(ids, i),
                field: "base".into(),
            });
        }
    }
    let e_sum: f64 = events.iter().sum();
    let b_sum: f64 = base.iter().sum();
    Ok((e_sum, b_sum))
}

/// Excess risk: each area's events over those expected at the global rate,
/// `e_i / (b_i × Σe / Σb)` (esda `Excess_Risk`).
///
/// # Errors
/// Lengths that differ ([`HotspotError::Length`]); a NaN or infinite value
/// ([`HotspotError::NonFinite`]), a negative event or base ([`HotspotError::Negative`]) or a
/// zero base ([`HotspotError::ZeroBase`]), each naming the position `#i`; no events at all
/// ([`HotspotError::Parameter`]: the expected counts would be zero).
///
/// # Notes
/// O(n).
pub fn excess_risk(events: &[f64], base: &[f64]) -> Result<Vec<f64>> {
    excess_risk_named(events, base, None)
}

fn excess_risk_named(events: &[f64], base: &[f64], ids: Option<&[String]>) -> Result<Vec<f64>> {
    let (e_sum, b_sum) = check_pairs(events, base, ids)?;
    if e_sum == 0.0 {
        return Err(HotspotError::Parameter {
            name: "events",
            rule: "are all zero, so the expected counts are zero and excess risk is undefined"
                .into(),
        });
    }
    let r_mean = e_sum / b_sum;
    Ok(events
        .iter()
        .zip(base)
        .map(|(&e, &b)| e / (b * r_mean))
        .collect())
}

/// Global empirical Bayes smoothed rates (Marshall 1991; esda `Empirical_Bayes`).
///
/// With `m = Σe / Σb`, raw rates `r_i = e_i / b_i` and the method-of-moments between-area variance
/// `s² = Σ b_i (r_i − m)² / Σb − m / mean(b)`, the smoothed rate is
/// `w_i r_i + (1 − w_i) m` with `w_i = s² / (s² + m / b_i)`.
///
/// As in esda, a negative `s²` is not truncated at zero (Marshall's suggestion); then the
/// weights fall outside [0, 1]. Where every event is zero the result is the global rate, 0
/// (esda gives NaN).
///
/// # Errors
/// As [`excess_risk`], except that all-zero events are allowed.
///
/// # Notes
/// O(n).
pub fn empirical_bayes(events: &[f64], base: &[f64]) -> Result<Vec<f64>> {
    empirical_bayes_named(events, base, None)
}

fn empirical_bayes_named(events: &[f64], base: &[f64], ids: Option<&[String]>) -> Result<Vec<f64>> {
    let (e_sum, b_sum) = check_pairs(events, base, ids)?;
    let n = events.len() as f64;
    let r_mean = e_sum / b_sum;
    let left: f64 = events
        .iter()
        .zip(base)
        .map(|(&e, &b)| {
            let d = e / b - r_mean;
            b * d * d
        })
        .sum::<f64>()
        / b_sum;
    let r_var = left - r_mean / (b_sum / n);
    Ok(events
        .iter()
        .zip(base)
        .map(|(&e, &b)| {
            let denom = r_var + r_mean / b;
            if denom == 0.0 {
                return r_mean;
            }
            let weight = r_var / denom;
            weight * (e / b) + (1.0 - weight) * r_mean
        })
        .collect())
}

/// Spatial empirical Bayes smoothed rates (esda `Spatial_Empirical_Bayes`): each raw rate is
/// shrunk towards the rate of its neighbourhood (the area and its neighbours).
///
/// For area `i` with neighbours `N(i)` and neighbourhood `N⁺(i) = N(i) ∪ {i}`:
/// the reference rate is esda's `Spatial_Rate` with binary weights,
/// `m_i = Σ_{N⁺(i)} e / Σ_{N⁺(i)} b`; with `B_i = b_i + Σ_{j∈N(i)} w_ij b_j` (the weights as
/// built, which esda restores before this step; 1 for contiguity) and `k_i = |N(i)| + 1`,
/// `s²_i = max(0, Σ_{N⁺(i)} b_j (r_j − m_i)² / B_i − m_i / (B_i / k_i))` and the smoothed rate is
/// `m_i + (r_i − m_i) s²_i / (s²_i + m_i / b_i)`.
///
/// The current transform of `w` is ignored (esda sets it to `"b"` and then `"o"`). An island
/// keeps its raw rate. Where a neighbourhood has no events the result is 0 (esda gives NaN).
///
/// # Errors
/// As [`empirical_bayes`], naming the area id of the weights; lengths that differ from the
/// number of areas of `w`.
///
/// # Notes
/// O(n + nnz).
pub fn spatial_empirical_bayes(events: &[f64], base: &[f64], w: &Weights) -> Result<Vec<f64>> {
    if events.len() != w.n() {
        return Err(HotspotError::Length {
            field: "events".into(),
            expected: w.n(),
            found: events.len(),
        });
    }
    check_pairs(events, base, Some(w.ids()))?;
    let out = (0..w.n())
        .map(|i| {
            let (nb, _) = w.row(i);
            let original = w.original_row(i);
            let (mut e_n, mut b_n, mut b_w) = (events[i], base[i], base[i]);
            for (&j, &wo) in nb.iter().zip(original) {
                e_n += events[j];
                b_n += base[j];
                b_w += wo * base[j];
            }
            let m = e_n / b_n;
            let rate = |j: usize| events[j] / base[j];
            let sq = |j: usize| {
                let d = rate(j) - m;
                d * d * base[j]
            };
            let left = (sq(i) + nb.iter().map(|&j| sq(j)).sum::<f64>()) / b_w;
            let k = (nb.len() + 1) as f64;
            let r_var = (left - m / (b_w / k)).max(0.0);
            let denom = r_var + m / base[i];
            if denom == 0.0 {
                return m;
            }
            m + (rate(i) - m) * (r_var / denom)
        })
        .collect();
    Ok(out)
}

/// Smooth with the chosen method; `w` is needed for [`SmoothingMethod::Spatial`] and, when
/// given, names areas in errors.
///
/// # Errors
/// As the method's function; [`HotspotError::Parameter`] if the spatial method has no weights.
pub fn smooth(
    events: &[f64],
    base: &[f64],
    w: Option<&Weights>,
    method: SmoothingMethod,
) -> Result<Vec<f64>> {
    let ids = w.map(Weights::ids);
    match method {
        SmoothingMethod::ExcessRisk => excess_risk_named(events, base, ids),
        SmoothingMethod::Global => empirical_bayes_named(events, base, ids),
        SmoothingMethod::Spatial => match w {
            Some(w) => spatial_empirical_bayes(events, base, w),
            None => Err(HotspotError::Parameter {
                name: "w",
                rule: "spatial empirical Bayes needs spatial weights".into(),
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain() -> Weights {
        let ids: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
        let nb: Vec<Vec<String>> = vec![
            vec!["b".into()],
            vec!["a".into(), "c".into()],
            vec!["b".into(), "d".into()],
            vec!["c".into()],
        ];
        Weights::from_neighbours(ids, &nb, None).unwrap()
    }

    const E: [f64; 4] = [1.0, 2.0, 3.0, 12.0];
    const B: [f64; 4] = [100.0, 100.0, 200.0, 100.0];

    #[test]
    fn excess_risk_sums_to_expected() {
        let er = excess_risk(&E, &B).unwrap();
        // Σ b_i × er_i × m = Σ e_i
        let total: f64 = er.iter().zip(&B).map(|(r, b)| r * b * 0.036).sum();
        assert!((total - 18.0).abs() < 1e-12);
        assert!((er[0] - 1.0 / 3.6).abs() < 1e-12);
    }

    #[test]
    fn empirical_bayes_shrinks_towards_global_rate() {
        let eb = empirical_bayes(&E, &B).unwrap();
        for (i, r) in eb.iter().enumerate() {
            let raw = E[i] / B[i];
            assert!((r - 0.036).abs() <= (raw - 0.036).abs() + 1e-15, "{i}");
        }
        let w1 = 0.001486 / (0.001486 + 0.036 / 100.0);
        assert!((eb[0] - (w1 * 0.01 + (1.0 - w1) * 0.036)).abs() < 1e-12);
    }

    #[test]
    fn spatial_empirical_bayes_by_hand() {
        let w = chain();
        let r = spatial_empirical_bayes(&E, &B, &w).unwrap();
        // area d: neighbourhood {c, d}: m = 15 / 300 = 0.05, B = 300, k = 2
        // left = (200 × (0.015 − 0.05)² + 100 × (0.12 − 0.05)²) / 300 = (0.245 + 0.49) / 300
        let m = 0.05;
        let s2 = (0.245 + 0.49) / 300.0 - m / 150.0;
        let expected = m + (0.12 - m) * s2 / (s2 + m / 100.0);
        assert!((r[3] - expected).abs() < 1e-12, "{} vs {expected}", r[3]);
        // area a: neighbourhood {a, b}: m = 0.015, left = (100×0.005²×2)/200, s² < 0 → m
        assert!((r[0] - 0.015).abs() < 1e-15);
        // the transform does not matter
        let rw = spatial_empirical_bayes(&E, &B, &w.transformed(crate::Transform::Row)).unwrap();
        assert_eq!(r, rw);
    }

    #[test]
    fn smooth_dispatches() {
        let w = chain();
        assert_eq!(
            smooth(&E, &B, None, SmoothingMethod::Global).unwrap(),
            empirical_bayes(&E, &B).unwrap()
        );
        assert!(smooth(&E, &B, None, SmoothingMethod::Spatial).is_err());
        assert_eq!(
            smooth(&E, &B, Some(&w), SmoothingMethod::parse("Spatial").unwrap()).unwrap(),
            spatial_empirical_bayes(&E, &B, &w).unwrap()
        );
        assert!(SmoothingMethod::parse("kernel").is_err());
    }

    #[test]
    fn all_zero_events() {
        let e = [0.0; 4];
        assert_eq!(empirical_bayes(&e, &B).unwrap(), vec![0.0; 4]);
        assert_eq!(
            spatial_empirical_bayes(&e, &B, &chain()).unwrap(),
            vec![0.0; 4]
        );
        assert!(excess_risk(&e, &B).is_err());
    }

    #[test]
    fn bad_input_names_the_area() {
        let w = chain();
        let text = |r: Result<Vec<f64>>| r.unwrap_err().to_string();
        let t = text(spatial_empirical_bayes(&E, &[100.0, -1.0, 1.0, 1.0], &w));
        assert!(
            t.contains("\"b\"") && t.contains("negative") && t.contains("base"),
            "{t}"
        );
        let t = text(spatial_empirical_bayes(&[1.0, 2.0, f64::NAN, 1.0], &B, &w));
        assert!(
            t.contains("\"c\"") && t.contains("NaN") && t.contains("events"),
            "{t}"
        );
        let t = text(empirical_bayes(&E, &[1.0, 1.0, 1.0, 0.0]));
        assert!(t.contains("#3") && t.contains("zero"), "{t}");
        let t = text(excess_risk(&[-1.0, 1.0, 1.0, 1.0], &B));
        assert!(t.contains("#0") && t.contains("events"), "{t}");
        let t = text(excess_risk(&E, &B[..3]));
        assert!(t.contains("base has 3 values but 4"), "{t}");
        let t = text(smooth(&E, &B[..3], Some(&w), SmoothingMethod::Spatial));
        assert!(t.contains("base has 3"), "{t}");
        let t = text(smooth(
            &[1.0, 1.0],
            &[1.0, 1.0],
            Some(&w),
            SmoothingMethod::Global,
        ));
        assert!(t.contains("events has 2 values but 4"), "{t}");
    }
}
