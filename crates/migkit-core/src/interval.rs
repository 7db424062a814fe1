//! Values known only within bounds.

use std::ops::Add;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A closed interval `[lower, upper]` in which a value is known to lie.
///
/// Published counts that were rounded or suppressed are intervals, not points: a count published
/// as 40 after rounding to the nearest 10 is one of 35..=44; a cell suppressed because it was
/// below 5 is one of 0..=4 (or 1..=4 where the publisher says zeros are shown).
///
/// ```
/// use migkit_core::Interval;
/// let a = Interval::rounded(40.0, 10.0);
/// let b = Interval::suppressed(0.0, 4.0);
/// let total = a + b;
/// assert_eq!((total.lower, total.upper), (35.0, 48.0));
/// assert!(total.contains(40.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// The smallest value the quantity can take.
    pub lower: f64,
    /// The largest value the quantity can take.
    pub upper: f64,
}

impl Interval {
    /// An interval, checking that both bounds are numbers and `lower <= upper`.
    pub fn new(lower: f64, upper: f64) -> Result<Self> {
        if lower.is_nan() || upper.is_nan() || lower > upper {
            return Err(Error::parameter(
                "interval",
                format!("lower ({lower}) must be a number no greater than upper ({upper})"),
            ));
        }
        Ok(Self { lower, upper })
    }

    /// A value known exactly.
    pub fn exact(value: f64) -> Self {
        Self {
            lower: value,
            upper: value,
        }
    }

    /// A non-negative integer count published rounded to the nearest `base`.
    ///
    /// The true count `c` satisfies `value - base/2 <= c < value + base/2`; for integers that
    /// is `ceil(value - base/2) ..= ceil(value + base/2) - 1` (40 to the nearest 10 is 35..=44,
    /// 10 to the nearest 5 is 8..=12), and never
    /// below zero.
    pub fn rounded(value: f64, base: f64) -> Self {
        let half = base / 2.0;
        Self {
            lower: (value - half).ceil().max(0.0),
            upper: ((value + half).ceil() - 1.0).max(0.0),
        }
    }

    /// A suppressed cell known to lie between `lower` and `upper` inclusive.
    pub fn suppressed(lower: f64, upper: f64) -> Self {
        Self { lower, upper }
    }

    /// `upper - lower`.
    pub fn width(&self) -> f64 {
        self.upper - self.lower
    }

    /// The middle of the interval.
    pub fn midpoint(&self) -> f64 {
        0.5 * (self.lower + self.upper)
    }

    /// True if `value` lies within the interval.
    pub fn contains(&self, value: f64) -> bool {
        self.lower <= value && value <= self.upper
    }

    /// True for a point interval.
    pub fn is_exact(&self) -> bool {
        self.lower == self.upper
    }

    /// The interval scaled by a non-negative factor.
    pub fn scale(&self, factor: f64) -> Self {
        let (a, b) = (self.lower * factor, self.upper * factor);
        Self {
            lower: a.min(b),
            upper: a.max(b),
        }
    }
}

impl Add for Interval {
    type Output = Interval;
    fn add(self, rhs: Interval) -> Interval {
        Interval {
            lower: self.lower + rhs.lower,
            upper: self.upper + rhs.upper,
        }
    }
}

impl std::iter::Sum for Interval {
    fn sum<I: Iterator<Item = Interval>>(iter: I) -> Interval {
        iter.fold(Interval::exact(0.0), |a, b| a + b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rounding_to_ten_and_hundred() {
        let i = Interval::rounded(40.0, 10.0);
        assert_eq!((i.lower, i.upper), (35.0, 44.0));
        let i = Interval::rounded(4200.0, 100.0);
        assert_eq!((i.lower, i.upper), (4150.0, 4249.0));
        let i = Interval::rounded(0.0, 10.0);
        assert_eq!((i.lower, i.upper), (0.0, 4.0));
        // Rounding to 5 (an odd half): 10 means 8..=12.
        let i = Interval::rounded(10.0, 5.0);
        assert_eq!((i.lower, i.upper), (8.0, 12.0));
    }

    #[test]
    fn new_rejects_inverted_and_nan() {
        assert!(Interval::new(2.0, 1.0).is_err());
        assert!(Interval::new(f64::NAN, 1.0).is_err());
        assert!(Interval::new(1.0, 1.0).unwrap().is_exact());
    }

    proptest! {
        #[test]
        fn rounded_interval_contains_every_count_that_rounds_to_the_value(count in 0u32..100_000, base in prop::sample::select(vec![5.0, 10.0, 100.0])) {
            let published = (f64::from(count) / base).round() * base;
            let i = Interval::rounded(published, base);
            prop_assert!(i.contains(f64::from(count)), "{count} -> {published} not in {i:?}");
        }

        #[test]
        fn sums_add_bounds(a in 0.0f64..1e6, w1 in 0.0f64..100.0, b in 0.0f64..1e6, w2 in 0.0f64..100.0) {
            let s = Interval::suppressed(a, a + w1) + Interval::suppressed(b, b + w2);
            prop_assert!((s.width() - (w1 + w2)).abs() < 1e-6);
            prop_assert!(s.contains(a + b));
        }
    }
}
