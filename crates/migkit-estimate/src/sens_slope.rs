//! Sen's slope (Theil–Sen estimator) of a series with its confidence interval.

use statrs::distribution::{ContinuousCDF, Normal};

use crate::error::{EstimateError, Result, alpha as check_alpha, finite};

/// Sen's slope of an equally spaced series, its intercept and confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SensSlope {
    /// The median of the pairwise slopes `(y_j − y_i) / (j − i)`, per time step.
    pub slope: f64,
    /// `median(y) − median(0..n) × slope` (Conover 1980), with time counted from 0.
    pub intercept: f64,
    /// Lower confidence limit of the slope.
    pub lower: f64,
    /// Upper confidence limit of the slope.
    pub upper: f64,
    /// The confidence level, `1 − alpha`.
    pub confidence: f64,
}

/// Median of a slice of finite numbers (sorts it).
pub(crate) fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        values[n / 2]
    } else {
        0.5 * (values[n / 2 - 1] + values[n / 2])
    }
}

/// Sizes of the groups of equal values (ties) in a series.
pub(crate) fn tie_groups(y: &[f64]) -> Vec<f64> {
    let mut sorted = y.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut groups = Vec::new();
    let mut run = 1usize;
    for w in sorted.windows(2) {
        if w[0] == w[1] {
            run += 1;
        } else {
            groups.push(run as f64);
            run = 1;
        }
    }
    if !sorted.is_empty() {
        groups.push(run as f64);
    }
    groups
}

/// The variance of the Mann–Kendall statistic S under no trend, with the tie correction:
/// `(n(n−1)(2n+5) − Σ t(t−1)(2t+5)) / 18`.
pub(crate) fn variance_s(y: &[f64]) -> f64 {
    let n = y.len() as f64;
    let ties: f64 = tie_groups(y)
        .iter()
        .map(|t| t * (t - 1.0) * (2.0 * t + 5.0))
        .sum();
    (n * (n - 1.0) * (2.0 * n + 5.0) - ties) / 18.0
}

pub(crate) fn check_series(statistic: &'static str, y: &[f64], needed: usize) -> Result<()> {
    if y.len() < needed {
        return Err(EstimateError::TooShort {
            statistic,
            needed,
            got: y.len(),
        });
    }
    for (i, v) in y.iter().enumerate() {
        finite(&format!("y at position {i}"), *v).map_err(|_| {
            EstimateError::input(
                "y",
                format!(
                    "value at position {i} is {v}; remove missing values (NaN) before testing, or fill them"
                ),
            )
        })?;
    }
    Ok(())
}

/// Sen's slope of an equally spaced series `y` (time steps 0, 1, ..., n − 1) with a `1 − alpha`
/// confidence interval.
///
/// Sen, P. K. (1968) Estimates of the regression coefficient based on Kendall's tau. *JASA* 63,
/// 1379–1389; Gilbert, R. O. (1987) *Statistical Methods for Environmental Pollution
/// Monitoring*, §16.5.
///
/// # Algorithm
/// The `N = n(n−1)/2` pairwise slopes are sorted; the slope is their median and the intercept
/// `median(y) − (n−1)/2 × slope`, exactly as pymannkendall 1.4.3 `sens_slope` (which returns no
/// interval). The interval follows Sen (1968, eq. 2.6) as `scipy.stats.theilslopes` (v1.17)
/// computes it: with `σ² = Var(S)` including the tie correction and `z = Φ⁻¹(1 − α/2)`, the
/// limits are the sorted slopes at 0-based positions `max(round((N − zσ)/2) − 1, 0)` and
/// `min(round((N + zσ)/2), N − 1)`, rounding half to even as numpy does. (Gilbert's M₁-th and
/// (M₂+1)-th largest slopes are the same positions up to this rounding.)
///
/// # Errors
/// [`EstimateError::TooShort`] for fewer than 2 values; [`EstimateError::InvalidInput`] for NaN
/// or infinite values (pymannkendall drops NaN; migkit asks you to decide) or `alpha` outside
/// (0, 1).
///
/// # Notes
/// O(n² log n) time and O(n²) memory: for annual or quarterly series.
///
/// # Examples
/// ```
/// use migkit_estimate::sens_slope::sens_slope;
/// let s = sens_slope(&[1.0, 3.0, 2.0, 5.0, 4.0, 6.0], 0.05).unwrap();
/// assert_eq!(s.slope, 1.0);
/// assert_eq!(s.intercept, 3.5 - 2.5 * 1.0);
/// assert!(s.lower <= s.slope && s.slope <= s.upper);
/// ```
pub fn sens_slope(y: &[f64], alpha: f64) -> Result<SensSlope> {
    check_series("Sen's slope", y, 2)?;
    let alpha = check_alpha(alpha)?;
    let n = y.len();
    let mut slopes = Vec::with_capacity(n * (n - 1) / 2);
    for i in 0..n - 1 {
        for j in i + 1..n {
            slopes.push((y[j] - y[i]) / (j - i) as f64);
        }
    }
    let slope = median(&mut slopes); // sorts `slopes`
    let mut ys = y.to_vec();
    let intercept = median(&mut ys) - (n as f64 - 1.0) / 2.0 * slope;

    let nt = slopes.len() as f64;
    let sigma = variance_s(y).sqrt();
    let z = Normal::standard().inverse_cdf(1.0 - alpha / 2.0);
    let last = nt - 1.0;
    let upper_pos = ((nt + z * sigma) / 2.0).round_ties_even().min(last);
    let lower_pos = (((nt - z * sigma) / 2.0).round_ties_even() - 1.0).max(0.0);
    let at = |pos: f64| {
        if pos.is_finite() && pos >= 0.0 {
            slopes[(pos as usize).min(slopes.len() - 1)]
        } else {
            f64::NAN
        }
    };
    Ok(SensSlope {
        slope,
        intercept,
        lower: at(lower_pos),
        upper: at(upper_pos),
        confidence: 1.0 - alpha,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_series_has_exact_slope_and_narrow_interval() {
        let y: Vec<f64> = (0..20).map(|t| 3.0 + 2.0 * f64::from(t)).collect();
        let s = sens_slope(&y, 0.05).unwrap();
        assert_eq!(
            (s.slope, s.intercept, s.lower, s.upper),
            (2.0, 3.0, 2.0, 2.0)
        );
    }

    // Reference: scipy 1.17 `theilslopes([1, 3, 2, 5, 4, 6, 8, 7], alpha=0.95)`
    // -> slope 1.0, low 0.5, high 1.5; pymannkendall intercept 1.0.
    #[test]
    fn matches_scipy_theilslopes() {
        let s = sens_slope(&[1.0, 3.0, 2.0, 5.0, 4.0, 6.0, 8.0, 7.0], 0.05).unwrap();
        assert_eq!(s.slope, 1.0);
        assert_eq!(s.intercept, 1.0);
        assert_eq!(s.lower, 0.5, "{s:?}");
        assert_eq!(s.upper, 1.5);
    }

    #[test]
    fn bad_inputs_are_named() {
        assert!(matches!(
            sens_slope(&[1.0], 0.05),
            Err(EstimateError::TooShort { got: 1, .. })
        ));
        let e = sens_slope(&[1.0, f64::NAN, 2.0], 0.05).unwrap_err();
        assert!(e.to_string().contains("position 1"), "{e}");
        assert!(sens_slope(&[1.0, 2.0], 0.0).is_err());
    }

    #[test]
    fn ties_reduce_the_variance() {
        assert_eq!(variance_s(&[1.0, 2.0, 3.0]), 3.0 * 2.0 * 11.0 / 18.0);
        assert_eq!(variance_s(&[1.0, 1.0, 3.0]), (66.0 - 2.0 * 9.0) / 18.0);
        assert_eq!(tie_groups(&[2.0, 1.0, 2.0]), vec![1.0, 2.0]);
    }
}
