//! The local-level model (a random walk observed with noise): Kalman filter, Rauch–Tung–Striebel
//! smoother and maximum-likelihood variances — the building block of the reconciliation of
//! sources (issue 4, item 5), usable on its own to smooth one noisy series with intervals.
//!
//! Model: `y_t = μ_t + ε_t`, `μ_t = μ_{t−1} + η_t`, `ε_t ~ N(0, σ²_ε)`, `η_t ~ N(0, σ²_η)`,
//! with a diffuse prior on the first level (Durbin, J. & Koopman, S. J. (2012) *Time Series
//! Analysis by State Space Methods*, 2nd ed., §2.2–2.4 and §5.2). Missing periods (NaN) are
//! skipped by the update step. Parity: `statsmodels.tsa.statespace.structural.
//! UnobservedComponents(y, "llevel", use_exact_diffuse=True)` (statsmodels 0.15) — `smooth(params)`
//! gives the same filtered and smoothed levels, variances and log-likelihood, and `fit()` the same
//! variances up to its optimiser's tolerance.

use crate::error::{EstimateError, Result, non_negative};

/// The two variances of the local-level model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalLevelParams {
    /// `σ²_ε`, the observation noise (statsmodels' `sigma2.irregular`).
    pub sigma2_irregular: f64,
    /// `σ²_η`, the variance of the level's steps (statsmodels' `sigma2.level`).
    pub sigma2_level: f64,
}

/// Filtered and smoothed levels with their variances.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalLevel {
    /// The variances used (given, or estimated by [`local_level_fit`]).
    pub params: LocalLevelParams,
    /// `E[μ_t | y_1..y_t]` (NaN before the first observation).
    pub filtered: Vec<f64>,
    /// `Var[μ_t | y_1..y_t]` (`+∞` before the first observation).
    pub filtered_var: Vec<f64>,
    /// `E[μ_t | all y]`.
    pub smoothed: Vec<f64>,
    /// `Var[μ_t | all y]`.
    pub smoothed_var: Vec<f64>,
    /// The exact diffuse log-likelihood (statsmodels' `llf`).
    pub llf: f64,
    /// Number of observed (non-NaN) values.
    pub nobs: usize,
}

fn check_y(y: &[f64]) -> Result<usize> {
    let mut observed = 0;
    for (i, v) in y.iter().enumerate() {
        if v.is_infinite() {
            return Err(EstimateError::input(
                "y",
                format!("value at position {i} is infinite; use NaN for a missing period"),
            ));
        }
        if !v.is_nan() {
            observed += 1;
        }
    }
    if observed < 2 {
        return Err(EstimateError::TooShort {
            statistic: "local-level model (observed values)",
            needed: 2,
            got: observed,
        });
    }
    Ok(observed)
}

/// One pass of the filter: filtered moments, and the sums that make the log-likelihood.
struct Pass {
    filtered: Vec<f64>,
    filtered_var: Vec<f64>,
    /// Σ (ln F_t + v_t² / F_t) over observations after the first.
    sum_log_f: f64,
    sum_v2_f: f64,
    nobs: usize,
}

fn filter(y: &[f64], p: LocalLevelParams) -> Pass {
    let n = y.len();
    let mut filtered = vec![f64::NAN; n];
    let mut filtered_var = vec![f64::INFINITY; n];
    let (mut a, mut var) = (f64::NAN, f64::INFINITY);
    let (mut sum_log_f, mut sum_v2_f, mut nobs) = (0.0, 0.0, 0);
    for t in 0..n {
        // predict (the first level is diffuse until an observation arrives)
        if t > 0 && var.is_finite() {
            var += p.sigma2_level;
        }
        if !y[t].is_nan() {
            if var.is_infinite() {
                // exact diffuse update: the level is the first observation
                a = y[t];
                var = p.sigma2_irregular;
            } else {
                let f = var + p.sigma2_irregular;
                let v = y[t] - a;
                sum_log_f += f.ln();
                sum_v2_f += v * v / f;
                let k = if f > 0.0 { var / f } else { 1.0 };
                a += k * v;
                var *= 1.0 - k;
            }
            nobs += 1;
        }
        filtered[t] = a;
        filtered_var[t] = var;
    }
    Pass {
        filtered,
        filtered_var,
        sum_log_f,
        sum_v2_f,
        nobs,
    }
}

fn smooth(pass: &Pass, p: LocalLevelParams) -> (Vec<f64>, Vec<f64>) {
    let n = pass.filtered.len();
    let mut a_s = pass.filtered.clone();
    let mut p_s = pass.filtered_var.clone();
    for t in (0..n.saturating_sub(1)).rev() {
        let (a_f, p_f) = (pass.filtered[t], pass.filtered_var[t]);
        if p_f.is_infinite() {
            // before the first observation: the random walk run backwards from t + 1
            a_s[t] = a_s[t + 1];
            p_s[t] = p_s[t + 1] + p.sigma2_level;
            continue;
        }
        let p_pred = p_f + p.sigma2_level;
        let j = if p_pred > 0.0 { p_f / p_pred } else { 1.0 };
        a_s[t] = a_f + j * (a_s[t + 1] - a_f);
        p_s[t] = p_f + j * j * (p_s[t + 1] - p_pred);
    }
    (a_s, p_s)
}

const LN_2PI: f64 = 1.837_877_066_409_345_5;

/// Filters and smooths a series with given variances.
///
/// # Errors
/// [`EstimateError::TooShort`] with fewer than 2 observed values; [`EstimateError::InvalidInput`]
/// for infinite values (use NaN for missing periods) or negative/NaN variances, or both variances 0.
///
/// # Notes
/// O(n). The log-likelihood is the exact diffuse one of Durbin & Koopman (2012, §7.2.2) as
/// statsmodels computes it: `−n/2 ln 2π − ½ Σ_{t>first} (ln F_t + v_t²/F_t)` over observed t.
///
/// # Examples
/// ```
/// use migkit_estimate::local_level::{local_level_smooth, LocalLevelParams};
/// let p = LocalLevelParams { sigma2_irregular: 1.0, sigma2_level: 1.0 };
/// let r = local_level_smooth(&[1.0, f64::NAN, 3.0], p).unwrap();
/// assert_eq!(r.filtered[0], 1.0);
/// assert_eq!(r.filtered_var[1], 2.0); // one step of the walk, no update
/// assert!((r.smoothed[1] - 2.0).abs() < 1e-12); // halfway, by symmetry
/// ```
pub fn local_level_smooth(y: &[f64], params: LocalLevelParams) -> Result<LocalLevel> {
    check_y(y)?;
    non_negative("sigma2_irregular", params.sigma2_irregular)?;
    non_negative("sigma2_level", params.sigma2_level)?;
    if params.sigma2_irregular == 0.0 && params.sigma2_level == 0.0 {
        return Err(EstimateError::input(
            "params",
            "both variances are 0; at least one must be > 0",
        ));
    }
    let pass = filter(y, params);
    let (smoothed, smoothed_var) = smooth(&pass, params);
    let llf = -0.5 * pass.nobs as f64 * LN_2PI - 0.5 * (pass.sum_log_f + pass.sum_v2_f);
    Ok(LocalLevel {
        params,
        nobs: pass.nobs,
        filtered: pass.filtered,
        filtered_var: pass.filtered_var,
        smoothed,
        smoothed_var,
        llf,
    })
}

/// Concentrated log-likelihood at weight `w` (σ²_ε = s·w, σ²_η = s·(1 − w)) and the scale ŝ.
fn concentrated(y: &[f64], w: f64) -> (f64, f64) {
    let pass = filter(
        y,
        LocalLevelParams {
            sigma2_irregular: w,
            sigma2_level: 1.0 - w,
        },
    );
    let m = (pass.nobs - 1) as f64;
    let s = pass.sum_v2_f / m;
    if s.is_nan() || s <= 0.0 {
        return (f64::NEG_INFINITY, s);
    }
    let llf = -0.5 * pass.nobs as f64 * LN_2PI - 0.5 * (m * s.ln() + pass.sum_log_f + m);
    (llf, s)
}

/// Maximum-likelihood variances of the local-level model, then [`local_level_smooth`] with them.
///
/// # Algorithm
/// The scale is concentrated out: with `σ²_ε = s·w`, `σ²_η = s·(1 − w)`, the likelihood is
/// maximised in `s` analytically and in `w ∈ [0, 1]` by a grid of 201 points followed by a
/// golden-section search (to 1e-12) around the best; either variance can be estimated as 0
/// (a boundary optimum, which statsmodels approaches numerically as ~1e-11).
///
/// # Errors
/// As [`local_level_smooth`]; and [`EstimateError::InvalidInput`] for a series without
/// variation after its first observation.
///
/// # Notes
/// O(n) per likelihood evaluation, about 300 evaluations.
///
/// # Examples
/// ```
/// use migkit_estimate::local_level::local_level_fit;
/// let y = [10.0, 10.4, 9.9, 10.8, 11.5, 11.1, 12.0, 12.6, 12.2, 13.1];
/// let r = local_level_fit(&y).unwrap();
/// assert!(r.params.sigma2_level > 0.0);
/// assert!(r.smoothed_var.iter().all(|v| *v >= 0.0));
/// ```
pub fn local_level_fit(y: &[f64]) -> Result<LocalLevel> {
    check_y(y)?;
    const GRID: usize = 200;
    let mut best = (f64::NEG_INFINITY, 0usize);
    for i in 0..=GRID {
        let (llf, _) = concentrated(y, i as f64 / GRID as f64);
        if llf > best.0 {
            best = (llf, i);
        }
    }
    if !best.0.is_finite() {
        return Err(EstimateError::input(
            "y",
            "the observed values do not vary, so the variances cannot be estimated",
        ));
    }
    let step = 1.0 / GRID as f64;
    let (mut lo, mut hi) = (
        (best.1 as f64 * step - step).max(0.0),
        (best.1 as f64 * step + step).min(1.0),
    );
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let mut x1 = hi - g * (hi - lo);
    let mut x2 = lo + g * (hi - lo);
    let (mut f1, mut f2) = (concentrated(y, x1).0, concentrated(y, x2).0);
    while hi - lo > 1e-12 {
        if f1 >= f2 {
            hi = x2;
            x2 = x1;
            f2 = f1;
            x1 = hi - g * (hi - lo);
            f1 = concentrated(y, x1).0;
        } else {
            lo = x1;
            x1 = x2;
            f1 = f2;
            x2 = lo + g * (hi - lo);
            f2 = concentrated(y, x2).0;
        }
    }
    // compare the interior optimum with the grid point and the two ends
    let mut w = 0.5 * (lo + hi);
    let mut best_llf = concentrated(y, w).0;
    for cand in [best.1 as f64 * step, 0.0, 1.0] {
        let l = concentrated(y, cand).0;
        if l > best_llf {
            best_llf = l;
            w = cand;
        }
    }
    let (_, s) = concentrated(y, w);
    local_level_smooth(
        y,
        LocalLevelParams {
            sigma2_irregular: s * w,
            sigma2_level: s * (1.0 - w),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_level_noise_gives_the_running_mean() {
        let p = LocalLevelParams {
            sigma2_irregular: 1.0,
            sigma2_level: 0.0,
        };
        let r = local_level_smooth(&[1.0, 2.0, 3.0, 6.0], p).unwrap();
        assert!((r.filtered[1] - 1.5).abs() < 1e-12);
        assert!((r.filtered[3] - 3.0).abs() < 1e-12);
        for s in &r.smoothed {
            assert!((s - 3.0).abs() < 1e-12);
        }
        assert!((r.smoothed_var[0] - 0.25).abs() < 1e-12);
    }

    #[test]
    fn leading_missing_values_extrapolate_backwards() {
        let p = LocalLevelParams {
            sigma2_irregular: 1.0,
            sigma2_level: 0.5,
        };
        let r = local_level_smooth(&[f64::NAN, 4.0, 5.0], p).unwrap();
        assert!(r.filtered[0].is_nan());
        assert_eq!(r.smoothed[0], r.smoothed[1]);
        assert!((r.smoothed_var[0] - r.smoothed_var[1] - 0.5).abs() < 1e-12);
        assert_eq!(r.nobs, 2);
    }

    #[test]
    fn fit_beats_neighbouring_parameters() {
        let y = [3.1, 3.4, 2.9, 3.8, 4.6, 4.1, 5.0, 5.6, 5.2, 6.1, 6.0, 7.2];
        let fit = local_level_fit(&y).unwrap();
        for (de, dl) in [(1.1, 1.0), (0.9, 1.0), (1.0, 1.1), (1.0, 0.9)] {
            let p = LocalLevelParams {
                sigma2_irregular: fit.params.sigma2_irregular * de,
                sigma2_level: fit.params.sigma2_level * dl,
            };
            assert!(local_level_smooth(&y, p).unwrap().llf <= fit.llf + 1e-12);
        }
    }

    #[test]
    fn bad_inputs_are_named() {
        let p = LocalLevelParams {
            sigma2_irregular: 1.0,
            sigma2_level: 1.0,
        };
        let e = local_level_smooth(&[1.0, f64::NAN], p).unwrap_err();
        assert!(matches!(e, EstimateError::TooShort { got: 1, .. }), "{e}");
        let e = local_level_smooth(&[1.0, f64::INFINITY, 2.0], p).unwrap_err();
        assert!(e.to_string().contains("position 1"), "{e}");
        let bad = LocalLevelParams {
            sigma2_irregular: -1.0,
            sigma2_level: 1.0,
        };
        assert!(local_level_smooth(&[1.0, 2.0], bad).is_err());
        let e = local_level_fit(&[2.0, 2.0, 2.0]).unwrap_err();
        assert!(e.to_string().contains("do not vary"), "{e}");
    }
}
