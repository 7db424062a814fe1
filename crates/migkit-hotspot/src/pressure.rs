//! Pressure and saturation: a count and its denominator (people on asylum support per resident,
//! unaccompanied asylum-seeking children (UASC) looked after per child aged 0–17) compared with a
//! policy threshold.
//!
//! The policy thresholds live in one table, [`THRESHOLDS`], each with its value, unit, source and
//! the dates it is in force; [`Threshold::lookup`] finds the one in force on a date and
//! [`Threshold::custom`] makes a user-defined one. [`pressure`] reports for each area the rate,
//! a [`PressureStatus`], the headroom and, where the count is an [`Interval`] (rounded or
//! suppressed in the published table), the interval of the rate and whether the threshold lies
//! inside it.
//!
//! Thresholds are held as "`numerator` per `per`" (1 per 200, 7 per 10,000) so that comparisons
//! of whole-number counts and populations are exact.
//!
//! # Example (hand-worked)
//!
//! 480 people on asylum support in an area of 100,000 residents, against the dispersal cluster
//! limit of 1 per 200: the limit is 500 people, the rate 0.48 % is within 10 % of the limit
//! (≥ 450), and 20 more people would reach it.
//!
//! ```
//! use migkit_hotspot::pressure::{PressureStatus, Threshold, pressure};
//! let t = Threshold::lookup("asylum_dispersal", None)?;
//! let p = pressure(&["E1"], &[480.0], None, &[100_000.0], t, 0.1)?;
//! assert_eq!(p[0].rate, 0.0048);
//! assert_eq!(p[0].status, PressureStatus::Approaching);
//! assert_eq!(p[0].headroom, 20.0);
//! # Ok::<(), migkit_hotspot::HotspotError>(())
//! ```

use std::borrow::Cow;

use migkit_core::{Interval, NaiveDate};

use crate::error::{HotspotError, Result};

/// A threshold on a rate: `numerator` per `per` of the denominator, in force between two dates.
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    /// Key used to look it up (several rows may share a key with different dates in force).
    pub key: Cow<'static, str>,
    /// A short description.
    pub label: Cow<'static, str>,
    /// Count side of the threshold (e.g. 1 asylum seeker).
    pub numerator: f64,
    /// Denominator side (e.g. per 200 residents).
    pub per: f64,
    /// The unit in words, e.g. "people on asylum support per resident".
    pub unit: Cow<'static, str>,
    /// What the denominator must be, e.g. "total resident population".
    pub denominator: Cow<'static, str>,
    /// Where the threshold comes from.
    pub source: Cow<'static, str>,
    /// First day in force (inclusive), if known.
    pub from: Option<NaiveDate>,
    /// Day it stopped being in force (exclusive: the first day of its successor), if any.
    pub until: Option<NaiveDate>,
}

const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(d) => d,
        None => panic!("invalid date in THRESHOLDS"),
    }
}

/// The policy thresholds, one row per value and period in force.
///
/// | key | value | in force |
/// |---|---|---|
/// | `asylum_dispersal` | 1 per 200 residents (0.5 %, 50 per 10,000) | no end date |
/// | `uasc_nts` | 0.07 % of the child population | from 1 July 2016 to 23 August 2022 |
/// | `uasc_nts` | 0.1 % of the child population | from 24 August 2022 |
pub const THRESHOLDS: &[Threshold] = &[
    Threshold {
        key: Cow::Borrowed("asylum_dispersal"),
        label: Cow::Borrowed("asylum dispersal cluster limit"),
        numerator: 1.0,
        per: 200.0,
        unit: Cow::Borrowed("people on asylum support (dispersed) per resident"),
        denominator: Cow::Borrowed("total resident population"),
        source: Cow::Borrowed(
            "Home Office / Local Government Association asylum dispersal guidance: a cluster \
             limit of 1 asylum seeker per 200 of the settled population (0.5 %, 50 per 10,000); \
             start date not recorded here",
        ),
        from: None,
        until: None,
    },
    Threshold {
        key: Cow::Borrowed("uasc_nts"),
        label: Cow::Borrowed("UASC National Transfer Scheme threshold (0.07 %)"),
        numerator: 7.0,
        per: 10_000.0,
        unit: Cow::Borrowed("UASC looked after per child"),
        denominator: Cow::Borrowed("population aged 0–17"),
        source: Cow::Borrowed(
            "Home Office / DfE / DLUHC National Transfer Protocol for UASC: 0.07 % of the child \
             population, from the scheme's start on 1 July 2016 until 23 August 2022",
        ),
        from: Some(date(2016, 7, 1)),
        until: Some(date(2022, 8, 24)),
    },
    Threshold {
        key: Cow::Borrowed("uasc_nts"),
        label: Cow::Borrowed("UASC National Transfer Scheme threshold (0.1 %)"),
        numerator: 1.0,
        per: 1_000.0,
        unit: Cow::Borrowed("UASC looked after per child"),
        denominator: Cow::Borrowed("population aged 0–17"),
        source: Cow::Borrowed(
            "Home Office / DfE / DLUHC National Transfer Protocol for UASC: threshold raised to \
             0.1 % of the child population from 24 August 2022",
        ),
        from: Some(date(2022, 8, 24)),
        until: None,
    },
];

impl Threshold {
    /// The threshold as a proportion of the denominator (`numerator / per`, e.g. 0.005).
    pub fn rate(&self) -> f64 {
        self.numerator / self.per
    }

    /// True if in force on `day`.
    pub fn in_force_on(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= day) && self.until.is_none_or(|u| day < u)
    }

    /// The threshold `key` in force on `day`, or the current one (no end date) if `day` is
    /// `None`.
    ///
    /// # Errors
    /// [`HotspotError::Parameter`] naming the known keys if `key` is unknown, or the dates in
    /// force if none covers `day`.
    pub fn lookup(key: &str, day: Option<NaiveDate>) -> Result<&'static Threshold> {
        let rows: Vec<&Threshold> = THRESHOLDS.iter().filter(|t| t.key == key).collect();
        if rows.is_empty() {
            let mut keys: Vec<&str> = THRESHOLDS.iter().map(|t| t.key.as_ref()).collect();
            keys.dedup();
            return Err(HotspotError::Parameter {
                name: "threshold",
                rule: format!("{key:?} is not one of {keys:?} (or give a number)"),
            });
        }
        let found = match day {
            Some(d) => rows.iter().find(|t| t.in_force_on(d)),
            None => rows.iter().find(|t| t.until.is_none()),
        };
        found.copied().ok_or_else(|| {
            let spans: Vec<String> = rows
                .iter()
                .map(|t| {
                    let f = t.from.map_or("…".to_string(), |d| d.to_string());
                    let u = t.until.map_or("…".to_string(), |d| d.to_string());
                    format!("{f} to before {u}")
                })
                .collect();
            HotspotError::Parameter {
                name: "date",
                rule: format!(
                    "no {key:?} threshold is in force on {}; in force: {}",
                    day.map_or("today".to_string(), |d| d.to_string()),
                    spans.join(", ")
                ),
            }
        })
    }

    /// A user-defined threshold of `numerator` per `per` (e.g. `custom("my_limit", 1.0, 100.0)`),
    /// with no dates.
    ///
    /// # Errors
    /// [`HotspotError::Parameter`] unless `numerator > 0` and `per > 0` are finite.
    pub fn custom(key: impl Into<String>, numerator: f64, per: f64) -> Result<Threshold> {
        if !(numerator.is_finite() && per.is_finite() && numerator > 0.0 && per > 0.0) {
            return Err(HotspotError::Parameter {
                name: "threshold",
                rule: format!("must be a positive finite rate, got {numerator} per {per}"),
            });
        }
        Ok(Threshold {
            key: Cow::Owned(key.into()),
            label: Cow::Borrowed("user-defined threshold"),
            numerator,
            per,
            unit: Cow::Borrowed("count per unit of the denominator"),
            denominator: Cow::Borrowed("as given"),
            source: Cow::Borrowed("user-defined"),
            from: None,
            until: None,
        })
    }
}

/// Where an area stands against the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PressureStatus {
    /// Below the threshold by more than the margin.
    Below,
    /// Below the threshold but within the margin of it (rate ≥ threshold × (1 − margin)).
    Approaching,
    /// At or above the threshold: saturated.
    AtOrAbove,
    /// The count is an interval whose rates lie on both sides of the threshold.
    Uncertain,
}

impl PressureStatus {
    /// `"below"`, `"approaching"`, `"at_or_above"` or `"uncertain"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Below => "below",
            Self::Approaching => "approaching",
            Self::AtOrAbove => "at_or_above",
            Self::Uncertain => "uncertain",
        }
    }
}

/// One area's pressure against a threshold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AreaPressure {
    /// `count / population` (NaN where the count is suppressed and only its interval is known).
    pub rate: f64,
    /// `rate / threshold`: 1 at the threshold.
    pub ratio: f64,
    /// The status.
    pub status: PressureStatus,
    /// The count at the threshold, `threshold × population`.
    pub limit: f64,
    /// The largest whole number `k` with `count + k ≤ limit`, i.e. `floor(limit − count)`; negative
    /// when above the threshold (then `−headroom` people over, rounded up). NaN where the count
    /// is unknown.
    pub headroom: f64,
    /// Lowest rate the count interval allows (equals `rate` for an exact count).
    pub rate_lower: f64,
    /// Highest rate the count interval allows.
    pub rate_upper: f64,
    /// Headroom at the upper end of the count interval (the cautious figure).
    pub headroom_lower: f64,
    /// True if the threshold lies inside the rate interval, so the published figures cannot
    /// say whether the area is at or above it (status [`PressureStatus::Uncertain`]).
    pub threshold_in_interval: bool,
}

/// Compare counts with `threshold` area by area.
///
/// `counts[i]` is the published count (NaN allowed where `intervals` is given: a suppressed
/// cell); `intervals`, if given, the interval each count lies in (use [`Interval::exact`] for
/// exact counts); `population[i]` the denominator. `margin` (0 ≤ margin < 1) sets
/// [`PressureStatus::Approaching`]. The status of an area whose count interval straddles the
/// limit (`lower < limit ≤ upper`) is [`PressureStatus::Uncertain`]; otherwise the status is
/// that of the count (or, if suppressed, of the interval's upper end).
///
/// # Errors
/// Lengths that differ ([`HotspotError::Length`]); a NaN/infinite count without an interval,
/// a non-finite or negative population or count ([`HotspotError::NonFinite`],
/// [`HotspotError::Negative`]) or a zero population ([`HotspotError::ZeroBase`]), naming the
/// area id; a count outside its interval or a margin outside [0, 1)
/// ([`HotspotError::Parameter`]).
///
/// # Notes
/// O(n).
pub fn pressure<S: AsRef<str>>(
    ids: &[S],
    counts: &[f64],
    intervals: Option<&[Interval]>,
    population: &[f64],
    threshold: &Threshold,
    margin: f64,
) -> Result<Vec<AreaPressure>> {
    let n = ids.len();
    for (field, len) in [
        ("count", counts.len()),
        ("population", population.len()),
        ("count interval", intervals.map_or(n, <[Interval]>::len)),
    ] {
        if len != n {
            return Err(HotspotError::Length {
                field: field.into(),
                expected: n,
                found: len,
            });
        }
    }
    if !(0.0..1.0).contains(&margin) {
        return Err(HotspotError::Parameter {
            name: "margin",
            rule: format!("must be at least 0 and below 1, got {margin}"),
        });
    }
    let (num, per) = (threshold.numerator, threshold.per);
    let t_rate = threshold.rate();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let id = || ids[i].as_ref().to_string();
        let pop = population[i];
        if !pop.is_finite() {
            return Err(HotspotError::NonFinite {
                id: id(),
                field: "population".into(),
                value: pop,
            });
        }
        if pop < 0.0 {
            return Err(HotspotError::Negative {
                id: id(),
                field: "population".into(),
                value: pop,
            });
        }
        if pop == 0.0 {
            return Err(HotspotError::ZeroBase {
                id: id(),
                field: "population".into(),
            });
        }
        let count = counts[i];
        let interval = match intervals {
            Some(iv) => iv[i],
            None => Interval::exact(count),
        };
        for (field, v) in [
            ("count lower", interval.lower),
            ("count upper", interval.upper),
        ] {
            if !v.is_finite() {
                return Err(HotspotError::NonFinite {
                    id: id(),
                    field: if intervals.is_some() { field } else { "count" }.into(),
                    value: v,
                });
            }
            if v < 0.0 {
                return Err(HotspotError::Negative {
                    id: id(),
                    field: if intervals.is_some() { field } else { "count" }.into(),
                    value: v,
                });
            }
        }
        if interval.lower > interval.upper
            || (!count.is_nan() && !interval.contains(count))
            || count.is_infinite()
        {
            return Err(HotspotError::Parameter {
                name: "count",
                rule: format!(
                    "area {:?}: count {count} is not within its interval [{}, {}]",
                    id(),
                    interval.lower,
                    interval.upper
                ),
            });
        }
        // exact comparisons: count × per against numerator × population
        let cap = num * pop;
        let at_or_above = |c: f64| c * per >= cap;
        let approaching = |c: f64| c * per >= cap * (1.0 - margin);
        let limit = cap / per;
        let straddles = !at_or_above(interval.lower) && at_or_above(interval.upper);
        let reference = if count.is_nan() {
            interval.upper
        } else {
            count
        };
        let status = if straddles {
            PressureStatus::Uncertain
        } else if at_or_above(reference) {
            PressureStatus::AtOrAbove
        } else if approaching(reference) {
            PressureStatus::Approaching
        } else {
            PressureStatus::Below
        };
        let headroom_of = |c: f64| ((cap - c * per) / per).floor();
        let rate = count / pop;
        out.push(AreaPressure {
            rate,
            ratio: rate / t_rate,
            status,
            limit,
            headroom: if count.is_nan() {
                f64::NAN
            } else {
                headroom_of(count)
            },
            rate_lower: interval.lower / pop,
            rate_upper: interval.upper / pop,
            headroom_lower: headroom_of(interval.upper),
            threshold_in_interval: straddles,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn lookup_by_date() {
        let t = Threshold::lookup("uasc_nts", Some(d("2022-08-23"))).unwrap();
        assert_eq!(t.rate(), 0.0007);
        let t = Threshold::lookup("uasc_nts", Some(d("2022-08-24"))).unwrap();
        assert_eq!(t.rate(), 0.001);
        assert_eq!(Threshold::lookup("uasc_nts", None).unwrap().rate(), 0.001);
        let t = Threshold::lookup("asylum_dispersal", Some(d("2010-01-01"))).unwrap();
        assert_eq!((t.numerator, t.per), (1.0, 200.0));
        assert_eq!(t.rate() * 10_000.0, 50.0);
        let e = Threshold::lookup("uasc_nts", Some(d("2015-01-01")))
            .unwrap_err()
            .to_string();
        assert!(e.contains("2016-07-01"), "{e}");
        let e = Threshold::lookup("nope", None).unwrap_err().to_string();
        assert!(
            e.contains("asylum_dispersal") && e.contains("uasc_nts"),
            "{e}"
        );
    }

    #[test]
    fn one_row_in_force_per_key_and_day() {
        for day in [
            "2016-07-01",
            "2020-01-01",
            "2022-08-23",
            "2022-08-24",
            "2026-01-01",
        ] {
            let n = THRESHOLDS
                .iter()
                .filter(|t| t.key == "uasc_nts" && t.in_force_on(d(day)))
                .count();
            assert_eq!(n, 1, "{day}");
        }
    }

    #[test]
    fn statuses_and_headroom() {
        let t = Threshold::lookup("asylum_dispersal", None).unwrap();
        let ids = ["below", "approach", "at", "above"];
        let p = pressure(&ids, &[100.0, 450.0, 500.0, 501.0], None, &[1e5; 4], t, 0.1).unwrap();
        let s: Vec<_> = p.iter().map(|a| a.status).collect();
        use PressureStatus::*;
        assert_eq!(s, vec![Below, Approaching, AtOrAbove, AtOrAbove]);
        let h: Vec<_> = p.iter().map(|a| a.headroom).collect();
        assert_eq!(h, vec![400.0, 50.0, 0.0, -1.0]);
        assert_eq!(p[2].ratio, 1.0);
        assert_eq!(p[0].limit, 500.0);
        // a limit that is not whole: 1/200 of 99,999 = 499.995
        let p = pressure(&["x"], &[499.0], None, &[99_999.0], t, 0.0).unwrap();
        assert_eq!(p[0].headroom, 0.0);
        assert_eq!(p[0].status, Below);
    }

    #[test]
    fn intervals() {
        let t = Threshold::custom("mine", 1.0, 100.0).unwrap();
        let iv = [
            Interval::rounded(10.0, 5.0), // 8..=12 of 1000: limit 10 inside
            Interval::suppressed(0.0, 7.0),
            Interval::exact(11.0),
        ];
        let p = pressure(
            &["a", "b", "c"],
            &[10.0, f64::NAN, 11.0],
            Some(&iv),
            &[1000.0; 3],
            &t,
            0.1,
        )
        .unwrap();
        assert_eq!(p[0].status, PressureStatus::Uncertain);
        assert!(p[0].threshold_in_interval);
        assert_eq!((p[0].rate_lower, p[0].rate_upper), (0.008, 0.012));
        assert_eq!(p[0].headroom, 0.0);
        assert_eq!(p[0].headroom_lower, -2.0);
        assert!(p[1].rate.is_nan() && p[1].headroom.is_nan());
        assert_eq!(p[1].status, PressureStatus::Below);
        assert_eq!(p[1].headroom_lower, 3.0);
        assert_eq!(p[2].status, PressureStatus::AtOrAbove);
        assert!(!p[2].threshold_in_interval);
    }

    #[test]
    fn bad_input_names_the_area() {
        let t = Threshold::lookup("asylum_dispersal", None).unwrap();
        let e = |r: Result<Vec<AreaPressure>>| r.unwrap_err().to_string();
        let s = e(pressure(
            &["a", "b"],
            &[1.0, 2.0],
            None,
            &[10.0, 0.0],
            t,
            0.1,
        ));
        assert!(s.contains("\"b\"") && s.contains("zero"), "{s}");
        let s = e(pressure(
            &["a", "b"],
            &[1.0, -2.0],
            None,
            &[10.0, 5.0],
            t,
            0.1,
        ));
        assert!(s.contains("\"b\"") && s.contains("negative"), "{s}");
        let s = e(pressure(
            &["a", "b"],
            &[f64::NAN, 1.0],
            None,
            &[10.0, 5.0],
            t,
            0.1,
        ));
        assert!(s.contains("\"a\"") && s.contains("NaN"), "{s}");
        let s = e(pressure(&["a"], &[1.0, 2.0], None, &[10.0], t, 0.1));
        assert!(s.contains("count has 2 values but 1"), "{s}");
        let s = e(pressure(&["a"], &[1.0], None, &[10.0], t, 1.0));
        assert!(s.contains("margin"), "{s}");
        let iv = [Interval::suppressed(0.0, 7.0)];
        let s = e(pressure(&["a"], &[9.0], Some(&iv), &[10.0], t, 0.1));
        assert!(s.contains("\"a\"") && s.contains("not within"), "{s}");
        assert!(Threshold::custom("x", 0.0, 1.0).is_err());
    }
}
