//! Rates (count per population) with exact Poisson, Wilson and Clopper–Pearson intervals, aware
//! of counts published rounded or suppressed.
//!
//! A published count rounded to the nearest 10 (40 means 35..=44) or suppressed below a threshold
//! is an [`Interval`]; the rate's interval is then the union of the confidence intervals at the
//! two bounds of the count — its lower end is the lower confidence limit at the smallest count the
//! publication allows, its upper end the upper confidence limit at the largest (every interval
//! here grows with the count, so the union is one interval). The denominator carries its vintage
//! (e.g. "ONS mid-2024 estimate") so that a rate never loses track of which population it used.

use migkit_core::Interval;
use statrs::distribution::{Beta, ContinuousCDF, Gamma, Normal};

use crate::error::{EstimateError, Result, alpha as check_alpha, finite};

/// Per cent (`per = 100`).
pub const PERCENT: f64 = 100.0;
/// Per 200 (the scale of some Home Office dispersal ratios: one asylum seeker per 200 residents).
pub const PER_200: f64 = 200.0;
/// Per 1,000.
pub const PER_1000: f64 = 1_000.0;
/// Per 10,000.
pub const PER_10000: f64 = 10_000.0;

/// How the confidence interval of a rate is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RateMethod {
    /// Exact Poisson interval of the count (Garwood 1936): `χ²(α/2; 2x)/2 .. χ²(1−α/2; 2x+2)/2`,
    /// computed as gamma quantiles. The default for counts of events in a population.
    Garwood,
    /// Wilson (1927) score interval of a binomial proportion `x / n`.
    Wilson,
    /// Clopper–Pearson (1934) exact binomial interval: beta quantiles.
    ClopperPearson,
}

impl RateMethod {
    /// The name used in results and in Python (`"garwood"`, `"wilson"`, `"clopper_pearson"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Garwood => "garwood",
            Self::Wilson => "wilson",
            Self::ClopperPearson => "clopper_pearson",
        }
    }

    /// Parses [`RateMethod::as_str`] names (also `"poisson"`, `"exact"` for Garwood and `"beta"` for
    /// Clopper–Pearson, the statsmodels name).
    ///
    /// # Errors
    /// [`EstimateError::InvalidInput`] listing the valid names.
    pub fn parse(name: &str) -> Result<Self> {
        match name.to_ascii_lowercase().as_str() {
            "garwood" | "poisson" | "exact" => Ok(Self::Garwood),
            "wilson" => Ok(Self::Wilson),
            "clopper_pearson" | "clopper-pearson" | "beta" => Ok(Self::ClopperPearson),
            _ => Err(EstimateError::input(
                "method",
                format!(
                    "unknown method {name:?}; use \"garwood\", \"wilson\" or \"clopper_pearson\""
                ),
            )),
        }
    }
}

/// A denominator: the population value and the release it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Population {
    /// The population (persons), > 0.
    pub value: f64,
    /// Its vintage or source, e.g. `"ONS mid-2024 estimate"`; `None` if not stated.
    pub vintage: Option<String>,
}

impl Population {
    /// A population with its vintage.
    pub fn new(value: f64, vintage: impl Into<String>) -> Self {
        Self {
            value,
            vintage: Some(vintage.into()),
        }
    }

    /// A population whose vintage is not stated.
    pub fn unlabelled(value: f64) -> Self {
        Self {
            value,
            vintage: None,
        }
    }
}

/// A rate with its confidence interval.
#[derive(Debug, Clone, PartialEq)]
pub struct Rate {
    /// The rate at the middle of the count's interval (the count itself when exact), per `per`.
    pub rate: f64,
    /// The rates at the two bounds of the count, before any sampling error (equal when exact).
    pub rate_range: Interval,
    /// Lower confidence limit, per `per` (at the count's lower bound).
    pub lower: f64,
    /// Upper confidence limit, per `per` (at the count's upper bound).
    pub upper: f64,
    /// The count, as published (an interval when rounded or suppressed).
    pub count: Interval,
    /// The denominator and its vintage.
    pub population: Population,
    /// The multiplier: 100 for per cent, 1,000, 10,000 or 200.
    pub per: f64,
    /// The interval method.
    pub method: RateMethod,
    /// The confidence level, `1 − alpha`.
    pub confidence: f64,
}

/// The exact Poisson (Garwood 1936) confidence interval of a count.
///
/// `lower = Γ⁻¹(α/2; x, 1)` (0 when `x = 0`) and `upper = Γ⁻¹(1 − α/2; x + 1, 1)`, which equal
/// `χ²(α/2; 2x)/2` and `χ²(1 − α/2; 2x + 2)/2` (Garwood, F. (1936) Fiducial limits for the
/// Poisson distribution. *Biometrika* 28, 437–442). Matches `scipy.stats.chi2.ppf` to 1e-9
/// relative.
///
/// # Errors
/// [`EstimateError::InvalidInput`] if `count` is negative or not finite, or `alpha` is not in
/// (0, 1).
///
/// # Examples
/// ```
/// use migkit_estimate::rate::garwood;
/// let ci = garwood(10.0, 0.05).unwrap();
/// assert!((ci.lower - 4.795).abs() < 1e-3 && (ci.upper - 18.390).abs() < 1e-3);
/// ```
pub fn garwood(count: f64, alpha: f64) -> Result<Interval> {
    let count = non_negative_count("count", count)?;
    let alpha = check_alpha(alpha)?;
    Ok(Interval {
        lower: garwood_lower(count, alpha),
        upper: garwood_upper(count, alpha),
    })
}

fn garwood_lower(count: f64, alpha: f64) -> f64 {
    if count == 0.0 {
        return 0.0;
    }
    Gamma::new(count, 1.0).map_or(f64::NAN, |g| g.inverse_cdf(alpha / 2.0))
}

fn garwood_upper(count: f64, alpha: f64) -> f64 {
    Gamma::new(count + 1.0, 1.0).map_or(f64::NAN, |g| g.inverse_cdf(1.0 - alpha / 2.0))
}

/// The Wilson (1927) score interval of a proportion `count / n`.
///
/// Matches `statsmodels.stats.proportion.proportion_confint(count, n, alpha, method="wilson")`.
///
/// # Errors
/// [`EstimateError::InvalidInput`] if `count` is negative or above `n`, `n` is not > 0, or
/// `alpha` is not in (0, 1).
///
/// # Examples
/// ```
/// use migkit_estimate::rate::wilson;
/// let ci = wilson(10.0, 100.0, 0.05).unwrap();
/// assert!((ci.lower - 0.05523).abs() < 1e-5 && (ci.upper - 0.17437).abs() < 1e-5);
/// ```
pub fn wilson(count: f64, n: f64, alpha: f64) -> Result<Interval> {
    check_proportion(count, n)?;
    let alpha = check_alpha(alpha)?;
    Ok(Interval {
        lower: wilson_bounds(count, n, alpha).0,
        upper: wilson_bounds(count, n, alpha).1,
    })
}

fn normal_quantile(p: f64) -> f64 {
    Normal::standard().inverse_cdf(p)
}

fn wilson_bounds(count: f64, n: f64, alpha: f64) -> (f64, f64) {
    let z = normal_quantile(1.0 - alpha / 2.0);
    let z2 = z * z;
    let p = count / n;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// The Clopper–Pearson (1934) exact interval of a proportion `count / n` (beta quantiles).
///
/// `lower = B⁻¹(α/2; x, n − x + 1)` (0 when `x = 0`), `upper = B⁻¹(1 − α/2; x + 1, n − x)` (1 when
/// `x = n`). Matches `proportion_confint(..., method="beta")` of statsmodels.
///
/// # Errors
/// [`EstimateError::InvalidInput`] if `count` is negative or above `n`, `n` is not > 0, or
/// `alpha` is not in (0, 1).
///
/// # Examples
/// ```
/// use migkit_estimate::rate::clopper_pearson;
/// let ci = clopper_pearson(10.0, 100.0, 0.05).unwrap();
/// assert!((ci.lower - 0.04900).abs() < 1e-5 && (ci.upper - 0.17622).abs() < 1e-5);
/// ```
pub fn clopper_pearson(count: f64, n: f64, alpha: f64) -> Result<Interval> {
    check_proportion(count, n)?;
    let alpha = check_alpha(alpha)?;
    Ok(Interval {
        lower: cp_lower(count, n, alpha),
        upper: cp_upper(count, n, alpha),
    })
}

fn cp_lower(count: f64, n: f64, alpha: f64) -> f64 {
    if count == 0.0 {
        return 0.0;
    }
    Beta::new(count, n - count + 1.0).map_or(f64::NAN, |b| b.inverse_cdf(alpha / 2.0))
}

fn cp_upper(count: f64, n: f64, alpha: f64) -> f64 {
    if count >= n {
        return 1.0;
    }
    Beta::new(count + 1.0, n - count).map_or(f64::NAN, |b| b.inverse_cdf(1.0 - alpha / 2.0))
}

fn non_negative_count(name: &str, count: f64) -> Result<f64> {
    finite(name, count)?;
    if count < 0.0 {
        return Err(EstimateError::input(
            name,
            format!("counts cannot be negative, got {count}"),
        ));
    }
    Ok(count)
}

fn check_population(n: f64) -> Result<f64> {
    finite("population", n)?;
    if n <= 0.0 {
        return Err(EstimateError::input(
            "population",
            format!("the denominator must be > 0, got {n}"),
        ));
    }
    Ok(n)
}

fn check_proportion(count: f64, n: f64) -> Result<()> {
    non_negative_count("count", count)?;
    check_population(n)?;
    if count > n {
        return Err(EstimateError::input(
            "count",
            format!(
                "a proportion needs count ≤ population, got {count} > {n}; use method \"garwood\" for event rates"
            ),
        ));
    }
    Ok(())
}

/// A rate per `per` people with its confidence interval, for a count that may be an interval.
///
/// The point `rate` is taken at the midpoint of the count's interval; `lower` is the lower
/// confidence limit at `count.lower` and `upper` the upper limit at `count.upper`, so a rounded or
/// suppressed count widens the interval (the union of the intervals over every count the
/// publication allows). With [`RateMethod::Garwood`] the count is Poisson; with
/// [`RateMethod::Wilson`] or [`RateMethod::ClopperPearson`] it is binomial out of the population.
///
/// # Parameters
/// - `count`: the events, e.g. `Interval::exact(120.0)` or `Interval::rounded(40.0, 10.0)`.
/// - `population`: the denominator with its vintage.
/// - `per`: 100 (per cent), 1,000, 10,000, 200, ... ([`PERCENT`], [`PER_1000`], ...).
/// - `alpha`: 1 − confidence level (0.05 for 95 %).
///
/// # Errors
/// [`EstimateError::InvalidInput`] for a negative, NaN or inverted count interval, a population
/// that is not > 0, `per` not > 0, `alpha` not in (0, 1), or (binomial methods) a count above the
/// population.
///
/// # Examples
/// A count published as 40, rounded to the nearest 10, in a population of 10,000:
/// ```
/// use migkit_core::Interval;
/// use migkit_estimate::rate::{rate, garwood, Population, RateMethod, PER_1000};
/// let pop = Population::new(10_000.0, "ONS mid-2024 estimate");
/// let r = rate(Interval::rounded(40.0, 10.0), &pop, PER_1000, RateMethod::Garwood, 0.05).unwrap();
/// assert_eq!((r.count.lower, r.count.upper), (35.0, 44.0));
/// assert!((r.rate - 3.95).abs() < 1e-12);
/// // lower limit at 35 events, upper limit at 44
/// assert!((r.lower - garwood(35.0, 0.05).unwrap().lower / 10.0).abs() < 1e-12);
/// assert!((r.upper - garwood(44.0, 0.05).unwrap().upper / 10.0).abs() < 1e-12);
/// ```
pub fn rate(
    count: Interval,
    population: &Population,
    per: f64,
    method: RateMethod,
    alpha: f64,
) -> Result<Rate> {
    let lo = non_negative_count("count (lower bound)", count.lower)?;
    let hi = non_negative_count("count (upper bound)", count.upper)?;
    if lo > hi {
        return Err(EstimateError::input(
            "count",
            format!("interval lower bound {lo} exceeds its upper bound {hi}"),
        ));
    }
    let n = check_population(population.value)?;
    finite("per", per)?;
    if per <= 0.0 {
        return Err(EstimateError::input(
            "per",
            format!("must be > 0, got {per}"),
        ));
    }
    let alpha = check_alpha(alpha)?;
    let (lower, upper) = match method {
        RateMethod::Garwood => (
            garwood_lower(lo, alpha) / n * per,
            garwood_upper(hi, alpha) / n * per,
        ),
        RateMethod::Wilson => {
            check_proportion(hi, n)?;
            (
                wilson_bounds(lo, n, alpha).0 * per,
                wilson_bounds(hi, n, alpha).1 * per,
            )
        }
        RateMethod::ClopperPearson => {
            check_proportion(hi, n)?;
            (cp_lower(lo, n, alpha) * per, cp_upper(hi, n, alpha) * per)
        }
    };
    Ok(Rate {
        rate: count.midpoint() / n * per,
        rate_range: Interval {
            lower: lo / n * per,
            upper: hi / n * per,
        },
        lower,
        upper,
        count,
        population: population.clone(),
        per,
        method,
        confidence: 1.0 - alpha,
    })
}

/// [`rate`] for many areas at once; an error names the position (0-based) of the bad input.
///
/// # Errors
/// As [`rate`], plus [`EstimateError::Shape`] if `counts` and `populations` differ in length.
///
/// # Examples
/// ```
/// use migkit_core::Interval;
/// use migkit_estimate::rate::{rates, Population, RateMethod, PERCENT};
/// let counts = [Interval::exact(5.0), Interval::exact(50.0)];
/// let pops = [Population::unlabelled(100.0), Population::unlabelled(1_000.0)];
/// let r = rates(&counts, &pops, PERCENT, RateMethod::Wilson, 0.05).unwrap();
/// assert_eq!(r[0].rate, 5.0);
/// assert!(r[1].upper - r[1].lower < r[0].upper - r[0].lower);
/// ```
pub fn rates(
    counts: &[Interval],
    populations: &[Population],
    per: f64,
    method: RateMethod,
    alpha: f64,
) -> Result<Vec<Rate>> {
    if counts.len() != populations.len() {
        return Err(EstimateError::Shape(format!(
            "{} counts but {} populations",
            counts.len(),
            populations.len()
        )));
    }
    counts
        .iter()
        .zip(populations)
        .enumerate()
        .map(|(i, (c, p))| {
            rate(*c, p, per, method, alpha).map_err(|e| match e {
                EstimateError::InvalidInput { name, reason } => EstimateError::InvalidInput {
                    name: format!("{name} at position {i}"),
                    reason,
                },
                other => other,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    // Reference values: scipy 1.17 `chi2.ppf(0.025, 2x)/2`, `chi2.ppf(0.975, 2x+2)/2`.
    #[test]
    fn garwood_matches_chi_square_quantiles() {
        let ci = garwood(0.0, 0.05).unwrap();
        assert_eq!(ci.lower, 0.0);
        assert_relative_eq!(ci.upper, 3.688_879_454_113_935, max_relative = 1e-9);
        let ci = garwood(10.0, 0.05).unwrap();
        assert_relative_eq!(ci.lower, 4.795_388_696_132_434, max_relative = 1e-9);
        assert_relative_eq!(ci.upper, 18.390_356_042_017_78, max_relative = 1e-9);
    }

    #[test]
    fn rounded_count_widens_the_interval() {
        let pop = Population::new(10_000.0, "mid-2024");
        let exact = rate(
            Interval::exact(40.0),
            &pop,
            PER_1000,
            RateMethod::Garwood,
            0.05,
        )
        .unwrap();
        let rounded = rate(
            Interval::rounded(40.0, 10.0),
            &pop,
            PER_1000,
            RateMethod::Garwood,
            0.05,
        )
        .unwrap();
        assert!(rounded.lower < exact.lower && rounded.upper > exact.upper);
        assert_eq!(rounded.population.vintage.as_deref(), Some("mid-2024"));
        let suppressed = rate(
            Interval::suppressed(0.0, 4.0),
            &pop,
            PER_1000,
            RateMethod::ClopperPearson,
            0.05,
        )
        .unwrap();
        assert_eq!(suppressed.lower, 0.0);
        assert_relative_eq!(suppressed.rate, 0.2);
    }

    #[test]
    fn bad_inputs_are_named() {
        let pop = Population::unlabelled(100.0);
        let e = rate(
            Interval::exact(-1.0),
            &pop,
            100.0,
            RateMethod::Garwood,
            0.05,
        )
        .unwrap_err();
        assert!(e.to_string().contains("negative"), "{e}");
        let e = rate(
            Interval::exact(1.0),
            &Population::unlabelled(0.0),
            100.0,
            RateMethod::Garwood,
            0.05,
        )
        .unwrap_err();
        assert!(e.to_string().contains("population"), "{e}");
        let e = rate(
            Interval::exact(f64::NAN),
            &pop,
            100.0,
            RateMethod::Garwood,
            0.05,
        )
        .unwrap_err();
        assert!(e.to_string().contains("finite"), "{e}");
        let e = rate(
            Interval::exact(200.0),
            &pop,
            100.0,
            RateMethod::Wilson,
            0.05,
        )
        .unwrap_err();
        assert!(e.to_string().contains("count ≤ population"), "{e}");
        let e = rates(
            &[Interval::exact(1.0)],
            &[],
            100.0,
            RateMethod::Wilson,
            0.05,
        )
        .unwrap_err();
        assert!(matches!(e, EstimateError::Shape(_)));
        assert!(RateMethod::parse("bogus").is_err());
        assert_eq!(
            RateMethod::parse("beta").unwrap(),
            RateMethod::ClopperPearson
        );
    }
}
