//! Reference periods: calendar, financial and mid-years, quarters and snapshot dates.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The kind of a [`Period`], as written in the tidy table's `period_kind` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    /// January to December.
    CalendarYear,
    /// April to March (UK government financial year).
    FinancialYear,
    /// 1 July to 30 June: the year of change in ONS mid-year estimates.
    MidYear,
    /// A calendar quarter.
    Quarter,
    /// A single day: the date a stock is counted (census day, quarter end, 30 June).
    Snapshot,
}

impl PeriodKind {
    /// The snake-case name used in tables and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CalendarYear => "calendar_year",
            Self::FinancialYear => "financial_year",
            Self::MidYear => "mid_year",
            Self::Quarter => "quarter",
            Self::Snapshot => "snapshot",
        }
    }
}

impl FromStr for PeriodKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Ok(match s {
            "calendar_year" => Self::CalendarYear,
            "financial_year" => Self::FinancialYear,
            "mid_year" => Self::MidYear,
            "quarter" => Self::Quarter,
            "snapshot" => Self::Snapshot,
            _ => {
                return Err(Error::InvalidPeriod {
                    text: s.to_string(),
                    reason: "period kinds are calendar_year, financial_year, mid_year, quarter, snapshot".into(),
                });
            }
        })
    }
}

/// A reference period.
///
/// Flows (registrations, arrivals, transfers) refer to an interval of days; stocks (residents,
/// people on support) to a [`Period::Snapshot`]. Every period has an inclusive first and last day.
///
/// | variant | text | days |
/// |---|---|---|
/// | `CalendarYear(2020)` | `2020` | 2020-01-01 ..= 2020-12-31 |
/// | `FinancialYear(2020)` | `2020/21` | 2020-04-01 ..= 2021-03-31 |
/// | `MidYear(2020)` | `mid-2020` (year to mid-2020) | 2019-07-01 ..= 2020-06-30 |
/// | `Quarter(2024, 3)` | `2024 Q3` | 2024-07-01 ..= 2024-09-30 |
/// | `Snapshot(d)` | `2021-03-21` | d ..= d |
///
/// ```
/// use migkit_core::Period;
/// let q: Period = "2024 Q3".parse().unwrap();
/// assert_eq!(q.end().to_string(), "2024-09-30");
/// // Three quarters of financial year 2020/21 fall in calendar year 2020.
/// let fy: Period = "2020/21".parse().unwrap();
/// let share = fy.share_in(&Period::CalendarYear(2020));
/// assert!((share - 275.0 / 365.0).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Period {
    /// January to December of the year.
    CalendarYear(i32),
    /// April of the year to March of the next.
    FinancialYear(i32),
    /// The twelve months ending 30 June of the year.
    MidYear(i32),
    /// A calendar quarter (year, 1..=4).
    Quarter(i32, u8),
    /// A single day.
    Snapshot(NaiveDate),
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    // Callers only pass valid calendar dates for years chrono supports.
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

impl Period {
    /// A quarter, checking that `quarter` is 1 to 4.
    pub fn quarter(year: i32, quarter: u8) -> Result<Self> {
        if !(1..=4).contains(&quarter) {
            return Err(Error::InvalidPeriod {
                text: format!("{year} Q{quarter}"),
                reason: "quarters are numbered 1 to 4".into(),
            });
        }
        Ok(Self::Quarter(year, quarter))
    }

    /// The quarter that ends on `date`, if it is a quarter end (31 Mar, 30 Jun, 30 Sep, 31 Dec).
    pub fn quarter_ending(date: NaiveDate) -> Option<Self> {
        let q = match (date.month(), date.day()) {
            (3, 31) => 1,
            (6, 30) => 2,
            (9, 30) => 3,
            (12, 31) => 4,
            _ => return None,
        };
        Some(Self::Quarter(date.year(), q))
    }

    /// The period of `kind` that contains `date`: e.g. the financial year a registration date
    /// falls in (`Snapshot` gives the date itself).
    ///
    /// ```
    /// use migkit_core::{Period, PeriodKind};
    /// let day: Period = "2021-03-21".parse().unwrap();
    /// let census_day = day.start();
    /// assert_eq!(Period::containing(PeriodKind::FinancialYear, census_day), Period::FinancialYear(2020));
    /// assert_eq!(Period::containing(PeriodKind::MidYear, census_day), Period::MidYear(2021));
    /// assert_eq!(Period::containing(PeriodKind::Quarter, census_day), Period::Quarter(2021, 1));
    /// ```
    pub fn containing(kind: PeriodKind, date: NaiveDate) -> Period {
        let (y, m) = (date.year(), date.month());
        match kind {
            PeriodKind::CalendarYear => Self::CalendarYear(y),
            PeriodKind::FinancialYear => Self::FinancialYear(if m >= 4 { y } else { y - 1 }),
            PeriodKind::MidYear => Self::MidYear(if m >= 7 { y + 1 } else { y }),
            PeriodKind::Quarter => Self::Quarter(y, ((m - 1) / 3 + 1) as u8),
            PeriodKind::Snapshot => Self::Snapshot(date),
        }
    }

    /// The kind of period.
    pub fn kind(&self) -> PeriodKind {
        match self {
            Self::CalendarYear(_) => PeriodKind::CalendarYear,
            Self::FinancialYear(_) => PeriodKind::FinancialYear,
            Self::MidYear(_) => PeriodKind::MidYear,
            Self::Quarter(..) => PeriodKind::Quarter,
            Self::Snapshot(_) => PeriodKind::Snapshot,
        }
    }

    /// The first day of the period.
    pub fn start(&self) -> NaiveDate {
        match *self {
            Self::CalendarYear(y) => ymd(y, 1, 1),
            Self::FinancialYear(y) => ymd(y, 4, 1),
            Self::MidYear(y) => ymd(y - 1, 7, 1),
            Self::Quarter(y, q) => ymd(y, 3 * u32::from(q) - 2, 1),
            Self::Snapshot(d) => d,
        }
    }

    /// The last day of the period.
    pub fn end(&self) -> NaiveDate {
        match *self {
            Self::CalendarYear(y) => ymd(y, 12, 31),
            Self::FinancialYear(y) => ymd(y + 1, 3, 31),
            Self::MidYear(y) => ymd(y, 6, 30),
            Self::Quarter(y, q) => match q {
                1 => ymd(y, 3, 31),
                2 => ymd(y, 6, 30),
                3 => ymd(y, 9, 30),
                _ => ymd(y, 12, 31),
            },
            Self::Snapshot(d) => d,
        }
    }

    /// Number of days in the period (1 for a snapshot).
    pub fn days(&self) -> i64 {
        (self.end() - self.start()).num_days() + 1
    }

    /// True if `date` falls within the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start() <= date && date <= self.end()
    }

    /// The share of this period's days that fall within `other` (0 to 1).
    ///
    /// Used to apportion a flow counted over one period to another on the assumption that
    /// events are spread evenly over days; see `migkit_harmonise::periods` for the interval
    /// that goes with that assumption.
    pub fn share_in(&self, other: &Period) -> f64 {
        let start = self.start().max(other.start());
        let end = self.end().min(other.end());
        if end < start {
            return 0.0;
        }
        ((end - start).num_days() + 1) as f64 / self.days() as f64
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CalendarYear(y) => write!(f, "{y}"),
            Self::FinancialYear(y) => write!(f, "{y}/{:02}", (y + 1).rem_euclid(100)),
            Self::MidYear(y) => write!(f, "mid-{y}"),
            Self::Quarter(y, q) => write!(f, "{y} Q{q}"),
            Self::Snapshot(d) => write!(f, "{d}"),
        }
    }
}

impl FromStr for Period {
    type Err = Error;

    /// Parses `2020`, `2020/21` (or `2020-21`), `mid-2020`, `2024 Q3` (or `2024Q3`, `2024-Q3`)
    /// and ISO dates `2021-03-21`.
    fn from_str(text: &str) -> Result<Self> {
        let s = text.trim();
        let bad = |reason: &str| Error::InvalidPeriod {
            text: text.to_string(),
            reason: reason.to_string(),
        };
        let year = |t: &str| -> Result<i32> {
            if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
                t.parse().map_err(|_| bad("expected a four-digit year"))
            } else {
                Err(bad("expected a four-digit year"))
            }
        };
        if let Some(rest) = s.strip_prefix("mid-").or_else(|| s.strip_prefix("Mid-")) {
            return Ok(Self::MidYear(year(rest.trim())?));
        }
        if let Some(pos) = s.find(['Q', 'q']) {
            let y = year(s[..pos].trim_end_matches(['-', ' ']))?;
            let q: u8 = s[pos + 1..]
                .parse()
                .map_err(|_| bad("expected a quarter such as 2024 Q3"))?;
            return Self::quarter(y, q);
        }
        if s.len() == 10 {
            return NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Self::Snapshot)
                .map_err(|_| bad("expected an ISO date YYYY-MM-DD"));
        }
        if s.len() == 7 && (s.as_bytes()[4] == b'/' || s.as_bytes()[4] == b'-') {
            let y = year(&s[..4])?;
            let next: i32 = s[5..]
                .parse()
                .map_err(|_| bad("expected a financial year such as 2020/21"))?;
            if next != (y + 1).rem_euclid(100) {
                return Err(bad(
                    "the two years of a financial year must be consecutive, e.g. 2020/21",
                ));
            }
            return Ok(Self::FinancialYear(y));
        }
        Ok(Self::CalendarYear(year(s).map_err(|_| {
            bad("expected 2020, 2020/21, mid-2020, 2024 Q3 or an ISO date")
        })?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn bounds_of_each_kind() {
        let cases = [
            ("2020", "2020-01-01", "2020-12-31", PeriodKind::CalendarYear),
            (
                "2002/03",
                "2002-04-01",
                "2003-03-31",
                PeriodKind::FinancialYear,
            ),
            (
                "1999/00",
                "1999-04-01",
                "2000-03-31",
                PeriodKind::FinancialYear,
            ),
            ("mid-2020", "2019-07-01", "2020-06-30", PeriodKind::MidYear),
            ("2014 Q1", "2014-01-01", "2014-03-31", PeriodKind::Quarter),
            ("2024Q3", "2024-07-01", "2024-09-30", PeriodKind::Quarter),
            (
                "2021-03-21",
                "2021-03-21",
                "2021-03-21",
                PeriodKind::Snapshot,
            ),
        ];
        for (text, start, end, kind) in cases {
            let p: Period = text.parse().unwrap();
            assert_eq!(p.start().to_string(), start, "{text}");
            assert_eq!(p.end().to_string(), end, "{text}");
            assert_eq!(p.kind(), kind);
            assert_eq!(p.to_string().parse::<Period>().unwrap(), p);
        }
    }

    #[test]
    fn quarter_ending_matches_quarter_end() {
        let d = NaiveDate::from_ymd_opt(2024, 9, 30).unwrap();
        assert_eq!(Period::quarter_ending(d), Some(Period::Quarter(2024, 3)));
        assert_eq!(
            Period::quarter_ending(NaiveDate::from_ymd_opt(2024, 9, 29).unwrap()),
            None
        );
    }

    #[test]
    fn shares_between_years() {
        // 2020 is a leap year: FY 2019/20 has 366 days, 91 of them in January to March 2020.
        let fy = Period::FinancialYear(2019);
        assert_eq!(fy.days(), 366);
        assert!((fy.share_in(&Period::CalendarYear(2020)) - 91.0 / 366.0).abs() < 1e-12);
        // A calendar year is split between two mid-years at 30 June.
        let cy = Period::CalendarYear(2021);
        let total = cy.share_in(&Period::MidYear(2021)) + cy.share_in(&Period::MidYear(2022));
        assert!((total - 1.0).abs() < 1e-12);
        assert_eq!(
            Period::Quarter(2020, 1).share_in(&Period::CalendarYear(2021)),
            0.0
        );
    }

    #[test]
    fn rejects_nonsense_with_the_text() {
        for bad in [
            "",
            "20",
            "2020/22",
            "2024 Q5",
            "mid-20",
            "2021-02-30",
            "twenty",
        ] {
            let err = bad.parse::<Period>().unwrap_err().to_string();
            assert!(err.contains(&format!("{bad:?}")), "{err}");
        }
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC{0,12}") {
            let _ = s.parse::<Period>();
        }

        #[test]
        fn containing_period_contains_the_date(days in 0i64..60_000, k in 0usize..5) {
            let date = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap() + chrono::Duration::days(days);
            let kinds = [PeriodKind::CalendarYear, PeriodKind::FinancialYear, PeriodKind::MidYear, PeriodKind::Quarter, PeriodKind::Snapshot];
            let p = Period::containing(kinds[k], date);
            prop_assert!(p.contains(date));
            prop_assert_eq!(p.kind(), kinds[k]);
        }

        #[test]
        fn quarters_tile_their_year(y in 1900i32..2100) {
            let total: f64 = (1..=4).map(|q| Period::CalendarYear(y).share_in(&Period::Quarter(y, q))).sum();
            prop_assert!((total - 1.0).abs() < 1e-12);
            let days: i64 = (1..=4).map(|q| Period::Quarter(y, q).days()).sum();
            prop_assert_eq!(days, Period::CalendarYear(y).days());
        }
    }
}
