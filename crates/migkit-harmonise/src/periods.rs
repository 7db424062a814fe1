//! Aligning periods: flows re-expressed between calendar, financial and mid-years by stated
//! apportioning, stocks taken at a snapshot (never summed across periods).
//!
//! # Apportioning rule
//! A flow counted over period `P` is apportioned to period `T` by the share `w` of `P`'s days that
//! fall in `T`, on the assumption that events are spread evenly over days. Real flows are seasonal,
//! so the interval allows the daily rate in any part of `P` to differ from the average by a
//! factor between `1 - s` and `1 + s` (the `seasonality` `s`, default 0.5): the share then lies
//! between `w(1-s) / (w(1-s) + (1-w)(1+s))` and `w(1+s) / (w(1+s) + (1-w)(1-s))`. Whole periods
//! (`w` = 0 or 1) are exact.

use chrono::NaiveDate;
use migkit_core::{Error, Interval, MeasureKind, Period, Result};

/// The default seasonality allowance: the daily rate within a year is within ±50% of its mean.
pub const DEFAULT_SEASONALITY: f64 = 0.5;

/// The bounds of the share of a flow that falls in a fraction `w` of its days.
///
/// ```
/// use migkit_harmonise::periods::share_bounds;
/// let (lo, hi) = share_bounds(0.75, 0.5);
/// assert!((lo - 0.5).abs() < 1e-12 && (hi - 0.9).abs() < 1e-12);
/// assert_eq!(share_bounds(1.0, 0.5), (1.0, 1.0));
/// ```
pub fn share_bounds(w: f64, seasonality: f64) -> (f64, f64) {
    if w <= 0.0 {
        return (0.0, 0.0);
    }
    if w >= 1.0 {
        return (1.0, 1.0);
    }
    let (lo, hi) = (1.0 - seasonality, 1.0 + seasonality);
    (
        w * lo / (w * lo + (1.0 - w) * hi),
        w * hi / (w * hi + (1.0 - w) * lo),
    )
}

fn check_seasonality(seasonality: f64) -> Result<()> {
    if !(0.0..1.0).contains(&seasonality) {
        return Err(Error::parameter(
            "seasonality",
            format!("must be in [0, 1), got {seasonality}"),
        ));
    }
    Ok(())
}

/// The part of a flow counted over `from` that falls in `to`, with its point estimate
/// (even spread over days) and an interval that allows for seasonality.
///
/// Returns `(estimate, interval)`.
pub fn apportion(
    value: Interval,
    from: Period,
    to: Period,
    seasonality: f64,
) -> Result<(f64, Interval)> {
    check_seasonality(seasonality)?;
    let w = from.share_in(&to);
    let (lo, hi) = share_bounds(w, seasonality);
    Ok((
        value.midpoint() * w,
        Interval {
            lower: value.lower * lo,
            upper: value.upper * hi,
        },
    ))
}

/// A flow re-expressed over a target period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Realigned {
    /// The target period.
    pub period: Period,
    /// The point estimate (even spread over days).
    pub estimate: f64,
    /// The bounds allowing for rounding of the inputs and seasonality.
    pub interval: Interval,
    /// True if the target lies wholly in the source periods' days.
    pub complete: bool,
}

/// Re-expresses a flow series (e.g. calendar years) over target periods (e.g. financial years).
///
/// Each target sums the apportioned parts of every source period that overlaps it. A target not
/// wholly covered by the source periods is returned with `complete = false` (its figure is a
/// lower bound of the flow over the target).
///
/// # Errors
/// If `kind` is [`MeasureKind::Stock`]: stocks are counts at a moment and are never summed
/// across periods; use [`stock_at`].
///
/// ```
/// use migkit_core::{Interval, MeasureKind, Period};
/// use migkit_harmonise::periods::realign_flows;
/// // Birmingham NINo registrations, calendar 2022 and 2023 (DWP Stat-Xplore).
/// let cy = [(Period::CalendarYear(2022), Interval::exact(30_888.0)), (Period::CalendarYear(2023), Interval::exact(35_112.0))];
/// let fy = realign_flows(&cy, &[Period::FinancialYear(2022)], MeasureKind::Flow, 0.5).unwrap();
/// // 275 of 365 days of FY 2022/23 fall in 2022, 90 in 2023.
/// let expected = 30_888.0 * 275.0 / 365.0 + 35_112.0 * 90.0 / 365.0;
/// assert!((fy[0].estimate - expected).abs() < 1e-6);
/// assert!(fy[0].interval.contains(fy[0].estimate) && fy[0].complete);
/// ```
pub fn realign_flows(
    series: &[(Period, Interval)],
    targets: &[Period],
    kind: MeasureKind,
    seasonality: f64,
) -> Result<Vec<Realigned>> {
    if kind == MeasureKind::Stock {
        return Err(Error::parameter(
            "kind",
            "stocks are never summed across periods; take a snapshot with periods::stock_at",
        ));
    }
    check_seasonality(seasonality)?;
    targets
        .iter()
        .map(|&target| {
            let mut estimate = 0.0;
            let mut interval = Interval::exact(0.0);
            let mut covered_days = 0i64;
            for &(period, value) in series {
                let w = period.share_in(&target);
                if w == 0.0 {
                    continue;
                }
                let (e, i) = apportion(value, period, target, seasonality)?;
                estimate += e;
                interval = interval + i;
                covered_days += (w * period.days() as f64).round() as i64;
            }
            Ok(Realigned {
                period: target,
                estimate,
                interval,
                complete: covered_days >= target.days(),
            })
        })
        .collect()
}

/// How [`stock_at`] picks a snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnapshotRule {
    /// Only a snapshot on the date itself.
    Exact,
    /// The latest snapshot on or before the date.
    LatestOnOrBefore,
}

/// A stock series' value at a date: the snapshot on that date, or the latest before it.
///
/// Returns the snapshot date used and its value, or `None` if there is none.
pub fn stock_at(
    series: &[(Period, Interval)],
    date: NaiveDate,
    rule: SnapshotRule,
) -> Option<(NaiveDate, Interval)> {
    series
        .iter()
        .filter_map(|(p, v)| match p {
            Period::Snapshot(d) => Some((*d, *v)),
            _ => None,
        })
        .filter(|(d, _)| match rule {
            SnapshotRule::Exact => *d == date,
            SnapshotRule::LatestOnOrBefore => *d <= date,
        })
        .max_by_key(|(d, _)| *d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn stocks_are_never_summed() {
        let s = [(
            Period::Snapshot(NaiveDate::from_ymd_opt(2024, 9, 30).unwrap()),
            Interval::exact(1.0),
        )];
        let err =
            realign_flows(&s, &[Period::CalendarYear(2024)], MeasureKind::Stock, 0.5).unwrap_err();
        assert!(err.to_string().contains("never summed"));
    }

    #[test]
    fn quarter_snapshot_is_picked() {
        let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
        let s = [
            (Period::Snapshot(d(6, 30)), Interval::exact(10.0)),
            (Period::Snapshot(d(9, 30)), Interval::exact(12.0)),
        ];
        assert_eq!(
            stock_at(&s, d(8, 1), SnapshotRule::LatestOnOrBefore),
            Some((d(6, 30), Interval::exact(10.0)))
        );
        assert_eq!(stock_at(&s, d(8, 1), SnapshotRule::Exact), None);
    }

    #[test]
    fn partial_cover_is_flagged() {
        let cy = [(Period::CalendarYear(2023), Interval::exact(100.0))];
        let out =
            realign_flows(&cy, &[Period::FinancialYear(2023)], MeasureKind::Flow, 0.5).unwrap();
        assert!(!out[0].complete);
        assert!(
            realign_flows(&cy, &[Period::Quarter(2023, 2)], MeasureKind::Flow, 0.5).unwrap()[0]
                .complete
        );
    }

    proptest! {
        #[test]
        fn shares_bracket_even_spread(w in 0.0f64..=1.0, s in 0.0f64..0.99) {
            let (lo, hi) = share_bounds(w, s);
            prop_assert!(lo <= w + 1e-12 && w <= hi + 1e-12 && lo >= 0.0 && hi <= 1.0);
        }

        #[test]
        fn quarters_of_a_year_add_back_to_it(v in 0.0f64..1e6, y in 2000i32..2030) {
            let cy = [(Period::CalendarYear(y), Interval::exact(v))];
            let qs: Vec<Period> = (1..=4).map(|q| Period::Quarter(y, q)).collect();
            let out = realign_flows(&cy, &qs, MeasureKind::Flow, 0.5).unwrap();
            let total: f64 = out.iter().map(|r| r.estimate).sum();
            prop_assert!((total - v).abs() < 1e-6 * v.max(1.0));
            for r in &out { prop_assert!(r.interval.contains(r.estimate)); }
        }
    }
}
