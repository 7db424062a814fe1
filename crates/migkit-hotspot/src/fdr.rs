//! Multiple-testing corrections for local statistics, and the cluster labels people read.
//!
//! Benjamini, Y. and Hochberg, Y. (1995), "Controlling the false discovery rate", *Journal of the
//! Royal Statistical Society B* 57(1), 289–300; the threshold is computed as `esda.fdr` (v2.9.0)
//! does (Castro and Singer 2006, *Geographical Analysis* 38(2)). Bonferroni: α / m.

use crate::error::{HotspotError, Result};
use crate::local_moran::Quadrant;

/// How to correct the significance level for testing every area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Correction {
    /// No correction: significant if p ≤ α.
    #[default]
    None,
    /// Bonferroni: significant if p ≤ α / m.
    Bonferroni,
    /// Benjamini–Hochberg false discovery rate: significant if p < [`fdr`]`(p, α)`.
    BenjaminiHochberg,
}

impl Correction {
    /// Parse `"none"`, `"bonferroni"` or `"fdr"` / `"bh"` (case-insensitive).
    ///
    /// # Errors
    /// [`HotspotError::Parameter`] listing the valid names.
    pub fn parse(name: &str) -> Result<Self> {
        match name.to_ascii_lowercase().as_str() {
            "none" => Ok(Self::None),
            "bonferroni" => Ok(Self::Bonferroni),
            "fdr" | "bh" | "benjamini-hochberg" => Ok(Self::BenjaminiHochberg),
            _ => Err(HotspotError::Parameter {
                name: "correction",
                rule: format!("{name:?} is not one of \"none\", \"bonferroni\", \"fdr\""),
            }),
        }
    }
}

fn check_alpha(alpha: f64) -> Result<()> {
    if !(alpha > 0.0 && alpha < 1.0) {
        return Err(HotspotError::Parameter {
            name: "alpha",
            rule: format!("must be between 0 and 1 (exclusive), got {alpha}"),
        });
    }
    Ok(())
}

/// The Benjamini–Hochberg threshold as `esda.fdr`: with the m non-NaN p-values sorted, the
/// largest `i·α/m` such that `p_(i) < i·α/m`, or `α/m` (Bonferroni) if there is none.
///
/// # Errors
/// `alpha` outside (0, 1).
///
/// # Notes
/// O(m log m). NaN p-values (islands) are left out of m.
pub fn fdr(p: &[f64], alpha: f64) -> Result<f64> {
    check_alpha(alpha)?;
    let mut sorted: Vec<f64> = p.iter().copied().filter(|v| !v.is_nan()).collect();
    sorted.sort_by(f64::total_cmp);
    let m = sorted.len() as f64;
    if sorted.is_empty() {
        return Ok(alpha);
    }
    let threshold = sorted
        .iter()
        .enumerate()
        .rev()
        .find(|(i, v)| **v < (*i as f64 + 1.0) * alpha / m)
        .map_or(alpha / m, |(i, _)| (i as f64 + 1.0) * alpha / m);
    Ok(threshold)
}

/// Which p-values are significant at `alpha` after `correction`; NaN is never significant.
///
/// # Errors
/// `alpha` outside (0, 1).
///
/// # Notes
/// O(m log m).
pub fn significant(p: &[f64], alpha: f64, correction: Correction) -> Result<Vec<bool>> {
    check_alpha(alpha)?;
    let m = p.iter().filter(|v| !v.is_nan()).count().max(1) as f64;
    Ok(match correction {
        Correction::None => p.iter().map(|&v| v <= alpha).collect(),
        Correction::Bonferroni => p.iter().map(|&v| v <= alpha / m).collect(),
        Correction::BenjaminiHochberg => {
            let t = fdr(p, alpha)?;
            p.iter().map(|&v| v < t).collect()
        }
    })
}

/// Label of each area: its quadrant's label ("High-High", "Low-High", "Low-Low", "High-Low")
/// where significant, otherwise "Not significant".
///
/// # Errors
/// Lengths that differ, `alpha` outside (0, 1).
///
/// # Examples
/// ```
/// use migkit_hotspot::{cluster_labels, Correction, Quadrant};
/// let q = [Quadrant::HighHigh, Quadrant::LowLow, Quadrant::HighLow];
/// let labels = cluster_labels(&q, &[0.001, 0.2, 0.01], 0.05, Correction::None)?;
/// assert_eq!(labels, ["High-High", "Not significant", "High-Low"]);
/// # Ok::<(), migkit_hotspot::HotspotError>(())
/// ```
pub fn cluster_labels(
    q: &[Quadrant],
    p: &[f64],
    alpha: f64,
    correction: Correction,
) -> Result<Vec<&'static str>> {
    if q.len() != p.len() {
        return Err(HotspotError::Length {
            field: "p".into(),
            expected: q.len(),
            found: p.len(),
        });
    }
    let sig = significant(p, alpha, correction)?;
    Ok(q.iter()
        .zip(sig)
        .map(|(q, s)| if s { q.label() } else { "Not significant" })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bh_threshold_by_hand() {
        // m = 5, α = 0.05: critical values 0.01, 0.02, 0.03, 0.04, 0.05.
        let p = [0.001, 0.015, 0.035, 0.2, 0.5];
        // p_(2) = 0.015 < 0.02, p_(3) = 0.035 ≥ 0.03: threshold 0.02.
        assert_eq!(fdr(&p, 0.05).unwrap(), 2.0 * 0.05 / 5.0);
        let sig = significant(&p, 0.05, Correction::BenjaminiHochberg).unwrap();
        assert_eq!(sig, [true, true, false, false, false]);
        let sig = significant(&p, 0.05, Correction::Bonferroni).unwrap();
        assert_eq!(sig, [true, false, false, false, false]);
        // None pass: Bonferroni bound, as esda.
        assert_eq!(fdr(&[0.5, 0.6], 0.05).unwrap(), 0.025);
        assert!(fdr(&p, 1.5).is_err());
    }
}
