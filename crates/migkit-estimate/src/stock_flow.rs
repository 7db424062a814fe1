//! Stock–flow accounts for areas whose inflows are recorded but whose outflows are not
//! (first slice of issue 4, item 4: the accounting identity with intervals, the
//! "unrecorded outflow likely" flag with its evidence, and an exponential retention rate).
//!
//! `stock(t1) = stock(t0) + inflows − outflows ± net internal moves`, so the implied outflow is
//! `stock(t0) + Σ inflows + net internal − stock(t1)`. Arrivals-only sources (National Insurance
//! number registrations, GP "flag 4" registrations) count people once, on arrival; where the
//! registrations alone exceed every resident stock the publications allow, people must have left
//! without being recorded. All inputs are [`Interval`]s; an unknown starting stock is
//! `Interval::suppressed(0.0, f64::INFINITY)`.

use migkit_core::Interval;

use crate::error::{EstimateError, Result};

/// The account of one area between two stock dates.
#[derive(Debug, Clone, PartialEq)]
pub struct StockFlow {
    /// Σ inflows over the period.
    pub inflow_total: Interval,
    /// `stock(t0) + Σ inflows + net internal − stock(t1)`: people who left (or died) unrecorded.
    pub implied_outflow: Interval,
    /// `stock(t1) / (stock(t0) + Σ inflows + net internal)`: the share still resident (upper
    /// bound `+∞` when the denominator can be 0).
    pub retention: Interval,
    /// True when the implied outflow is certainly positive (its lower bound > 0).
    pub unrecorded_outflow_likely: bool,
    /// The figures behind the flag, in words.
    pub evidence: String,
}

fn check(name: &str, i: Interval) -> Result<Interval> {
    if !i.lower.is_finite() || i.lower < 0.0 {
        return Err(EstimateError::input(
            name,
            format!("lower bound must be a finite number ≥ 0, got {}", i.lower),
        ));
    }
    if i.upper.is_nan() || i.upper < i.lower {
        return Err(EstimateError::input(
            name,
            format!(
                "upper bound {} must be ≥ the lower bound {}",
                i.upper, i.lower
            ),
        ));
    }
    Ok(i)
}

/// The stock–flow account of one area: implied outflow, retention and the flag.
///
/// # Parameters
/// - `stock_start`, `stock_end`: resident stocks at the two dates (e.g. the non-UK-born usual
///   residents of two censuses); `Interval::suppressed(0.0, f64::INFINITY)` if unknown.
/// - `inflows`: arrivals recorded in each period between them (e.g. yearly NINo registrations).
/// - `net_internal`: net moves from other areas of the same population (may be negative;
///   `Interval::exact(0.0)` if ignored).
///
/// # Errors
/// [`EstimateError::InvalidInput`] for a negative, NaN or inverted stock or inflow (naming the
/// period), or a NaN or inverted `net_internal`.
///
/// # Examples
/// Herefordshire: 38,658 NINo registrations 2002–2020 against 16,076 residents born outside
/// the UK at Census 2021 (however many lived there before 2002):
/// ```
/// use migkit_core::Interval;
/// use migkit_estimate::stock_flow::stock_flow;
/// let unknown = Interval::suppressed(0.0, f64::INFINITY);
/// let r = stock_flow(unknown, Interval::exact(16_076.0), &[Interval::exact(38_658.0)],
///                    Interval::exact(0.0)).unwrap();
/// assert!(r.unrecorded_outflow_likely);
/// assert_eq!(r.implied_outflow.lower, 22_582.0);
/// assert!(r.retention.upper < 0.42); // at most 42 % of the registrants (and earlier residents) stayed
/// ```
pub fn stock_flow(
    stock_start: Interval,
    stock_end: Interval,
    inflows: &[Interval],
    net_internal: Interval,
) -> Result<StockFlow> {
    let s0 = check("stock_start", stock_start)?;
    let s1 = check("stock_end", stock_end)?;
    if net_internal.lower.is_nan()
        || net_internal.upper.is_nan()
        || net_internal.lower > net_internal.upper
    {
        return Err(EstimateError::input(
            "net_internal",
            format!(
                "must be an interval of numbers, got {}..{}",
                net_internal.lower, net_internal.upper
            ),
        ));
    }
    let mut total = Interval::exact(0.0);
    for (i, f) in inflows.iter().enumerate() {
        total = total + check(&format!("inflow at period {i}"), *f)?;
    }
    let available = Interval {
        lower: (s0.lower + total.lower + net_internal.lower).max(0.0),
        upper: s0.upper + total.upper + net_internal.upper,
    };
    let implied_outflow = Interval {
        lower: s0.lower + total.lower + net_internal.lower - s1.upper,
        upper: s0.upper + total.upper + net_internal.upper - s1.lower,
    };
    let retention = Interval {
        lower: if available.upper.is_infinite() {
            0.0
        } else {
            s1.lower / available.upper
        },
        upper: if available.lower > 0.0 {
            s1.upper / available.lower
        } else {
            f64::INFINITY
        },
    };
    let likely = implied_outflow.lower > 0.0;
    let evidence = if likely {
        format!(
            "recorded inflows ({}..{}) plus the smallest starting stock ({}) and net internal moves \
             ({}..{}) exceed the largest end stock ({}) by at least {}",
            total.lower,
            total.upper,
            s0.lower,
            net_internal.lower,
            net_internal.upper,
            s1.upper,
            implied_outflow.lower
        )
    } else {
        format!(
            "the end stock ({}..{}) can hold the starting stock and recorded inflows ({}..{}); \
             no outflow is required by the figures",
            s1.lower, s1.upper, total.lower, total.upper
        )
    };
    Ok(StockFlow {
        inflow_total: total,
        implied_outflow,
        retention,
        unrecorded_outflow_likely: likely,
        evidence,
    })
}

/// Exponential retention: the yearly rate λ at which arrivals leave, such that
/// `stock_start · e^{−λT} + Σ_c inflow_c · e^{−λ(T − t_c)} = stock_end`.
///
/// Each cohort `c` arrives at time `t_c` (years after the start, `0 ≤ t_c ≤ T`) and survives
/// with probability `e^{−λ(T − t_c)}` at the end date `T`. Returns the interval of λ over the
/// inputs' intervals (its lower end uses the largest end stock and the smallest inflows); the
/// yearly retention is `e^{−λ}`. λ is 0 when the end stock can hold everyone (no outflow needed)
/// and `+∞` when the end stock can be 0.
///
/// # Errors
/// [`EstimateError::InvalidInput`] for negative, NaN or inverted intervals, an infinite starting
/// stock, cohort times outside `[0, T]`, or `T` not > 0.
///
/// # Examples
/// ```
/// use migkit_core::Interval;
/// use migkit_estimate::stock_flow::exponential_retention;
/// let e = Interval::exact;
/// // 100 arrivals a year for 10 years; 500 still there at the end
/// let cohorts: Vec<(f64, Interval)> = (0..10).map(|c| (c as f64 + 0.5, e(100.0))).collect();
/// let lambda = exponential_retention(e(0.0), e(500.0), &cohorts, 10.0).unwrap();
/// let survivors: f64 = (0..10).map(|c| 100.0 * (-lambda.lower * (9.5 - c as f64)).exp()).sum();
/// assert!((survivors - 500.0).abs() < 1e-6);
/// ```
pub fn exponential_retention(
    stock_start: Interval,
    stock_end: Interval,
    cohorts: &[(f64, Interval)],
    horizon: f64,
) -> Result<Interval> {
    let s0 = check("stock_start", stock_start)?;
    let s1 = check("stock_end", stock_end)?;
    if s0.upper.is_infinite() {
        return Err(EstimateError::input(
            "stock_start",
            "must be bounded for a retention rate; give the stock at the start",
        ));
    }
    if !(horizon.is_finite() && horizon > 0.0) {
        return Err(EstimateError::input(
            "horizon",
            format!("must be > 0 years, got {horizon}"),
        ));
    }
    for (i, (t, f)) in cohorts.iter().enumerate() {
        check(&format!("inflow of cohort {i}"), *f)?;
        if !(t.is_finite() && *t >= 0.0 && *t <= horizon) {
            return Err(EstimateError::input(
                format!("time of cohort {i}"),
                format!("must lie in [0, {horizon}], got {t}"),
            ));
        }
    }
    let survivors = |lambda: f64, high: bool| -> f64 {
        let pick = |i: Interval| if high { i.upper } else { i.lower };
        pick(s0) * (-lambda * horizon).exp()
            + cohorts
                .iter()
                .map(|(t, f)| pick(*f) * (-lambda * (horizon - t)).exp())
                .sum::<f64>()
    };
    // Solve survivors(λ) = target, decreasing in λ, by bisection on [0, λ_max].
    let solve = |target: f64, high: bool| -> f64 {
        if survivors(0.0, high) <= target {
            return 0.0;
        }
        if target <= 0.0 {
            return f64::INFINITY;
        }
        let mut hi = 1.0;
        while survivors(hi, high) > target {
            hi *= 2.0;
            if hi > 1e6 {
                return f64::INFINITY;
            }
        }
        let mut lo = 0.0;
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if survivors(mid, high) > target {
                lo = mid;
            } else {
                hi = mid;
            }
            if hi - lo <= 1e-15 * hi {
                break;
            }
        }
        0.5 * (lo + hi)
    };
    Ok(Interval {
        lower: solve(s1.upper, false),
        upper: solve(s1.lower, true),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_with_intervals() {
        let r = stock_flow(
            Interval::exact(1_000.0),
            Interval::rounded(1_200.0, 10.0),
            &[Interval::exact(300.0), Interval::rounded(100.0, 10.0)],
            Interval::new(-20.0, 20.0).unwrap(),
        )
        .unwrap();
        assert_eq!(r.inflow_total, Interval::suppressed(395.0, 404.0));
        // 1000 + 395 − 20 − 1204 = 171 .. 1000 + 404 + 20 − 1195 = 229
        assert_eq!(r.implied_outflow, Interval::suppressed(171.0, 229.0));
        assert!(r.unrecorded_outflow_likely);
        assert!(r.evidence.contains("at least 171"), "{}", r.evidence);
    }

    #[test]
    fn no_flag_when_the_stock_can_hold_everyone() {
        let r = stock_flow(
            Interval::suppressed(0.0, f64::INFINITY),
            Interval::exact(5_000.0),
            &[Interval::exact(3_000.0)],
            Interval::exact(0.0),
        )
        .unwrap();
        assert!(!r.unrecorded_outflow_likely);
        assert!(r.implied_outflow.upper.is_infinite());
        assert_eq!(r.retention.lower, 0.0);
    }

    #[test]
    fn retention_interval_brackets_and_limits() {
        let e = Interval::exact;
        let cohorts = [(1.0, e(200.0)), (2.0, Interval::rounded(200.0, 10.0))];
        let l =
            exponential_retention(e(100.0), Interval::rounded(300.0, 10.0), &cohorts, 3.0).unwrap();
        assert!(0.0 < l.lower && l.lower < l.upper, "{l:?}");
        let none = exponential_retention(e(100.0), e(1_000.0), &cohorts, 3.0).unwrap();
        assert_eq!(none, Interval::exact(0.0));
        let all = exponential_retention(e(100.0), e(0.0), &cohorts, 3.0).unwrap();
        assert!(all.upper.is_infinite());
    }

    #[test]
    fn bad_inputs_are_named() {
        let e = Interval::exact;
        let err = stock_flow(e(1.0), e(1.0), &[e(1.0), e(-2.0)], e(0.0)).unwrap_err();
        assert!(err.to_string().contains("inflow at period 1"), "{err}");
        let err = stock_flow(e(f64::NAN), e(1.0), &[], e(0.0)).unwrap_err();
        assert!(err.to_string().contains("stock_start"), "{err}");
        let err = exponential_retention(e(1.0), e(1.0), &[(5.0, e(1.0))], 3.0).unwrap_err();
        assert!(err.to_string().contains("time of cohort 0"), "{err}");
        let unknown = Interval::suppressed(0.0, f64::INFINITY);
        assert!(exponential_retention(unknown, e(1.0), &[], 3.0).is_err());
    }
}
