//! Pace of change between two periods: absolute and fold change, compound annual growth, share of
//! a total and rank of growth among areas — each an interval when its inputs are intervals.
//!
//! Inputs are [`Interval`]s (use [`Interval::exact`] for exact figures): published counts rounded
//! to 10 or suppressed give ranges, and every result here is the range of the statistic over all
//! values the inputs allow (interval arithmetic; each statistic is monotone in each input). A
//! claim such as "registrations rose seven-fold" is consistent with the published figures when 7
//! lies in [`Change::fold`], and certain only when the whole interval is at or above 7.

use migkit_core::Interval;

use crate::error::{EstimateError, Result, non_negative};

/// The change of a quantity between two periods.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The value in the first period.
    pub start: Interval,
    /// The value in the second period.
    pub end: Interval,
    /// `end − start` (range over the inputs).
    pub absolute: Interval,
    /// `end / start`; the upper bound is `+∞` when `start` can be 0.
    pub fold: Interval,
    /// `(end / start)^(1/years) − 1`, the compound annual growth rate as a fraction (0.05 = 5 %
    /// a year); `None` unless `years` was given.
    pub annual_growth: Option<Interval>,
    /// Years between the two periods, if given.
    pub years: Option<f64>,
}

fn check_interval(name: &str, i: Interval) -> Result<Interval> {
    non_negative(&format!("{name} (lower bound)"), i.lower)?;
    non_negative(&format!("{name} (upper bound)"), i.upper)?;
    if i.lower > i.upper {
        return Err(EstimateError::input(
            name,
            format!(
                "interval lower bound {} exceeds its upper bound {}",
                i.lower, i.upper
            ),
        ));
    }
    Ok(i)
}

/// Absolute change, fold change and (with `years`) compound annual growth between two values.
///
/// # Parameters
/// - `start`, `end`: non-negative quantities (counts, stocks), intervals when rounded/suppressed.
/// - `years`: the time between them (e.g. 4 for 2002/03 → 2006/07), > 0, or `None`.
///
/// # Errors
/// [`EstimateError::InvalidInput`] if a bound is negative or NaN, an interval is inverted,
/// `start` is exactly 0 (fold change undefined) or `years` is not > 0.
///
/// # Examples
/// Registrations published rounded to 10: 110 in 2002/03 and 770 in 2006/07.
/// ```
/// use migkit_core::Interval;
/// use migkit_estimate::change::change;
/// let c = change(Interval::rounded(110.0, 10.0), Interval::rounded(770.0, 10.0), Some(4.0)).unwrap();
/// assert_eq!((c.absolute.lower, c.absolute.upper), (651.0, 669.0));
/// // 765/114 = 6.71 .. 774/105 = 7.37: "seven-fold" is within the range
/// assert!(c.fold.contains(7.0));
/// assert!((c.fold.lower - 765.0 / 114.0).abs() < 1e-12);
/// let g = c.annual_growth.unwrap();
/// assert!((g.upper - (774.0f64 / 105.0).powf(0.25) + 1.0).abs() < 1e-12);
/// ```
pub fn change(start: Interval, end: Interval, years: Option<f64>) -> Result<Change> {
    let start = check_interval("start", start)?;
    let end = check_interval("end", end)?;
    if start.upper == 0.0 {
        return Err(EstimateError::input(
            "start",
            "is 0, so the fold change is undefined; report the absolute change instead",
        ));
    }
    if let Some(y) = years {
        if !(y.is_finite() && y > 0.0) {
            return Err(EstimateError::input(
                "years",
                format!("must be > 0, got {y}"),
            ));
        }
    }
    let fold = fold_range(start, end);
    let annual_growth = years.map(|y| Interval {
        lower: fold.lower.powf(1.0 / y) - 1.0,
        upper: fold.upper.powf(1.0 / y) - 1.0,
    });
    Ok(Change {
        start,
        end,
        absolute: Interval {
            lower: end.lower - start.upper,
            upper: end.upper - start.lower,
        },
        fold,
        annual_growth,
        years,
    })
}

/// The share of a total that a part makes up, as a fraction in [0, 1].
///
/// The range is `part.lower / total.upper ..= min(1, part.upper / total.lower)`. Pass the total
/// the part belongs to (e.g. an area's count and the regional total that includes it).
///
/// # Errors
/// [`EstimateError::InvalidInput`] for negative or NaN bounds, inverted intervals, a total whose
/// upper bound is 0, or a part whose lower bound exceeds the total's upper bound.
///
/// # Examples
/// ```
/// use migkit_core::Interval;
/// use migkit_estimate::change::share;
/// let s = share(Interval::exact(35_112.0), Interval::exact(100_000.0)).unwrap();
/// assert!((s.lower - 0.35112).abs() < 1e-12 && s.is_exact());
/// ```
pub fn share(part: Interval, total: Interval) -> Result<Interval> {
    let part = check_interval("part", part)?;
    let total = check_interval("total", total)?;
    if total.upper == 0.0 {
        return Err(EstimateError::input(
            "total",
            "is 0, so no share can be formed",
        ));
    }
    if part.lower > total.upper {
        return Err(EstimateError::input(
            "part",
            format!(
                "is larger than the total it belongs to ({} > {})",
                part.lower, total.upper
            ),
        ));
    }
    let upper = if total.lower == 0.0 {
        1.0
    } else {
        (part.upper / total.lower).min(1.0)
    };
    Ok(Interval {
        lower: part.lower / total.upper,
        upper,
    })
}

/// `end / start` over the inputs' ranges; a start of 0 gives `+∞` (from 0 to some) or the whole
/// half-line `[0, +∞]` (from 0 to 0, undefined).
fn fold_range(s: Interval, e: Interval) -> Interval {
    let lower = if s.upper > 0.0 {
        e.lower / s.upper
    } else if e.lower > 0.0 {
        f64::INFINITY
    } else {
        0.0
    };
    let upper = if s.lower > 0.0 {
        e.upper / s.lower
    } else {
        f64::INFINITY
    };
    Interval { lower, upper }
}

/// Which growth measure [`rank_growth`] ranks by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum GrowthMeasure {
    /// `end − start`.
    Absolute,
    /// `end / start`.
    Fold,
}

/// The rank of one area's growth among all areas (1 = fastest growth).
#[derive(Debug, Clone, PartialEq)]
pub struct GrowthRank {
    /// Position of the area in the input.
    pub index: usize,
    /// The area's growth (fold or absolute change) as an interval.
    pub growth: Interval,
    /// Rank at the midpoints of the growth intervals (at the lower bound of an unbounded one;
    /// ties share the best rank).
    pub rank: usize,
    /// The best rank the area can have: 1 + the number of areas whose growth is certainly higher.
    pub best: usize,
    /// The worst rank: 1 + the number of other areas whose growth can be higher.
    pub worst: usize,
}

/// Ranks areas by growth between two periods, with the range of ranks the intervals allow.
///
/// `pairs[i] = (start_i, end_i)`. The best rank of area *i* counts the areas whose growth interval
/// lies wholly above *i*'s; the worst counts those whose interval reaches above *i*'s lower bound.
/// An area whose `start` can be 0 has an unbounded fold change (upper bound `+∞`); one that
/// starts at exactly 0 and ends above 0 ranks with growth `+∞` (first), and one that stays at 0
/// gets the range `[0, +∞]` (its rank is unknown: best 1, worst n).
///
/// # Errors
/// [`EstimateError::InvalidInput`] for negative or NaN bounds or inverted intervals (naming the
/// position), or an empty `pairs`.
///
/// # Notes
/// O(n²) comparisons for the rank ranges; fine for the few hundred local authorities of the UK.
///
/// # Examples
/// ```
/// use migkit_core::Interval;
/// use migkit_estimate::change::{rank_growth, GrowthMeasure};
/// let e = Interval::exact;
/// let r = rank_growth(&[(e(10.0), e(70.0)), (e(100.0), e(200.0)), (Interval::rounded(10.0, 10.0), e(50.0))],
///                     GrowthMeasure::Fold).unwrap();
/// assert_eq!(r[0].rank, 1);
/// assert_eq!((r[2].best, r[2].worst), (1, 2)); // 50/14 .. 50/5: may beat 7-fold
/// assert_eq!((r[1].rank, r[1].best, r[1].worst), (3, 3, 3));
/// ```
pub fn rank_growth(
    pairs: &[(Interval, Interval)],
    measure: GrowthMeasure,
) -> Result<Vec<GrowthRank>> {
    if pairs.is_empty() {
        return Err(EstimateError::input("pairs", "no areas to rank"));
    }
    let growth: Vec<Interval> = pairs
        .iter()
        .enumerate()
        .map(|(i, (s, e))| {
            let named = |err: EstimateError| match err {
                EstimateError::InvalidInput { name, reason } => EstimateError::InvalidInput {
                    name: format!("{name} at position {i}"),
                    reason,
                },
                other => other,
            };
            let s = check_interval("start", *s).map_err(named)?;
            let e = check_interval("end", *e).map_err(named)?;
            Ok(match measure {
                GrowthMeasure::Absolute => Interval {
                    lower: e.lower - s.upper,
                    upper: e.upper - s.lower,
                },
                GrowthMeasure::Fold => fold_range(s, e),
            })
        })
        .collect::<Result<_>>()?;
    let point = |g: &Interval| {
        if g.upper.is_infinite() && g.lower.is_finite() {
            // a finite lower bound and no upper one: rank by the lower bound
            g.lower
        } else if g.upper.is_infinite() {
            f64::INFINITY
        } else {
            g.midpoint()
        }
    };
    Ok(growth
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let p = point(g);
            let mut above_point = 0;
            let mut certainly_above = 0;
            let mut possibly_above = 0;
            for (j, h) in growth.iter().enumerate() {
                if j == i {
                    continue;
                }
                if point(h) > p {
                    above_point += 1;
                }
                if h.lower > g.upper {
                    certainly_above += 1;
                }
                if h.upper > g.lower {
                    possibly_above += 1;
                }
            }
            GrowthRank {
                index: i,
                growth: *g,
                rank: 1 + above_point,
                best: 1 + certainly_above,
                worst: 1 + possibly_above,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_inputs_give_point_results() {
        let c = change(Interval::exact(100.0), Interval::exact(700.0), Some(4.0)).unwrap();
        assert_eq!(c.fold, Interval::exact(7.0));
        assert_eq!(c.absolute, Interval::exact(600.0));
        let g = c.annual_growth.unwrap();
        assert!((g.lower - (7f64.powf(0.25) - 1.0)).abs() < 1e-15);
    }

    #[test]
    fn suppressed_start_gives_unbounded_fold() {
        let c = change(Interval::suppressed(0.0, 4.0), Interval::exact(20.0), None).unwrap();
        assert_eq!(c.fold.lower, 5.0);
        assert!(c.fold.upper.is_infinite());
    }

    #[test]
    fn bad_inputs_are_named() {
        let e = change(Interval::exact(0.0), Interval::exact(5.0), None).unwrap_err();
        assert!(e.to_string().contains("start"), "{e}");
        let e = change(Interval::exact(-1.0), Interval::exact(5.0), None).unwrap_err();
        assert!(e.to_string().contains("≥ 0"), "{e}");
        let e = change(Interval::exact(1.0), Interval::exact(5.0), Some(0.0)).unwrap_err();
        assert!(e.to_string().contains("years"), "{e}");
        let e = share(Interval::exact(10.0), Interval::exact(5.0)).unwrap_err();
        assert!(e.to_string().contains("larger than the total"), "{e}");
        let e = rank_growth(
            &[
                (Interval::exact(1.0), Interval::exact(2.0)),
                (Interval::exact(f64::NAN), Interval::exact(1.0)),
            ],
            GrowthMeasure::Absolute,
        )
        .unwrap_err();
        assert!(e.to_string().contains("position 1"), "{e}");
    }

    #[test]
    fn zero_start_ranks_first_or_anywhere() {
        let e = Interval::exact;
        let r = rank_growth(
            &[(e(0.0), e(11.0)), (e(10.0), e(70.0)), (e(0.0), e(0.0))],
            GrowthMeasure::Fold,
        )
        .unwrap();
        assert_eq!((r[0].rank, r[0].best, r[0].worst), (1, 1, 1));
        assert_eq!((r[2].best, r[2].worst), (1, 3));
        assert!(r[0].growth.lower.is_infinite());
    }

    #[test]
    fn rank_ranges_bracket_the_point_rank() {
        let e = Interval::exact;
        let pairs = [
            (e(10.0), e(30.0)),
            (Interval::rounded(20.0, 10.0), Interval::rounded(60.0, 10.0)),
            (e(5.0), e(5.0)),
        ];
        for r in rank_growth(&pairs, GrowthMeasure::Absolute).unwrap() {
            assert!(r.best <= r.rank && r.rank <= r.worst, "{r:?}");
        }
    }
}
