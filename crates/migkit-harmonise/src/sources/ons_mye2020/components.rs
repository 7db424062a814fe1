//! Components of population change: measure names, accounting relations and NRS rounding
//! (shared with the MYEB3 reader).

use chrono::NaiveDate;
use migkit_core::{AreaCode, Error, Interval, Location, Result, Status};

/// How a published count may be signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A whole number ≥ 0 (population, births, inflows).
    Count,
    /// A whole number of either sign (net flows, natural change, other changes).
    Signed,
}

/// One component of population change: its measure name and its columns in MYE3 and MYEB3.
#[derive(Debug, Clone, Copy)]
pub struct Component {
    /// The measure written to the tidy table.
    pub measure: &'static str,
    /// The MYE3 column header (compared case-insensitively, whitespace collapsed).
    pub mye3_header: &'static str,
    /// The MYEB3 column prefix (the column is `{prefix}_{year}`).
    pub myeb3_prefix: &'static str,
    /// True for migration flows (the ones NRS rounds for Scotland).
    pub migration: bool,
    pub(crate) kind: Kind,
}

/// The components of change of the mid-year estimates, flows over the twelve months to 30 June.
///
/// `international_migration_out` is the official local-authority **emigration** estimate
/// (long-term international migration, UN 12-month definition); `internal_migration_*` are moves
/// between UK local authorities, including moves between the four nations; `other_change` is
/// armed forces, special population adjustments and (2002–2011) unattributable population change.
pub const COMPONENTS: [Component; 10] = [
    comp("births", "Births", "births", false, Kind::Count),
    comp("deaths", "Deaths", "deaths", false, Kind::Count),
    comp(
        "natural_change",
        "Births minus Deaths",
        "natchange",
        false,
        Kind::Signed,
    ),
    comp(
        "internal_migration_in",
        "Internal Migration Inflow",
        "internal_in",
        true,
        Kind::Count,
    ),
    comp(
        "internal_migration_out",
        "Internal Migration Outflow",
        "internal_out",
        true,
        Kind::Count,
    ),
    comp(
        "internal_migration_net",
        "Internal Migration Net",
        "internal_net",
        true,
        Kind::Signed,
    ),
    comp(
        "international_migration_in",
        "International Migration Inflow",
        "international_in",
        true,
        Kind::Count,
    ),
    comp(
        "international_migration_out",
        "International Migration Outflow",
        "international_out",
        true,
        Kind::Count,
    ),
    comp(
        "international_migration_net",
        "International Migration Net",
        "international_net",
        true,
        Kind::Signed,
    ),
    comp("other_change", "Other", "other_change", false, Kind::Signed),
];

const fn comp(
    measure: &'static str,
    mye3: &'static str,
    myeb3: &'static str,
    migration: bool,
    kind: Kind,
) -> Component {
    Component {
        measure,
        mye3_header: mye3,
        myeb3_prefix: myeb3,
        migration,
        kind,
    }
}

/// Index in [`COMPONENTS`] of each component used by the accounting identities.
pub(crate) const BIRTHS: usize = 0;
pub(crate) const DEATHS: usize = 1;
pub(crate) const NATURAL: usize = 2;
pub(crate) const INTERNAL_IN: usize = 3;
pub(crate) const INTERNAL_OUT: usize = 4;
pub(crate) const INTERNAL_NET: usize = 5;
pub(crate) const INTERNATIONAL_IN: usize = 6;
pub(crate) const INTERNATIONAL_OUT: usize = 7;
pub(crate) const INTERNATIONAL_NET: usize = 8;
pub(crate) const OTHER: usize = 9;

/// The accounting relations between components: (label, result, plus, minus).
pub(crate) const RELATIONS: [(&str, usize, usize, usize); 3] = [
    ("natural_change = births - deaths", NATURAL, BIRTHS, DEATHS),
    (
        "internal_migration_net = internal_migration_in - internal_migration_out",
        INTERNAL_NET,
        INTERNAL_IN,
        INTERNAL_OUT,
    ),
    (
        "international_migration_net = international_migration_in - international_migration_out",
        INTERNATIONAL_NET,
        INTERNATIONAL_IN,
        INTERNATIONAL_OUT,
    ),
];

/// Explains identity failures that are all in Scottish rows and small (NRS rounding).
pub(crate) const SCOTTISH_ROUNDING: &str = "as published: every row that differs is a Scottish council area \
     (NRS figures: council-area populations are multiples of 10 and, where flagged rounded, migration flows are \
     rounded to the nearest 10 independently of each other), by at most 20 persons";

/// True if the Scottish council-area values of a migration column are rounded to the nearest 10.
///
/// NRS rounds some council-area migration flows to the nearest 10 without flagging them. A
/// column is taken as rounded when it has at least 10 Scottish council-area (`S12`) values and
/// every one is a multiple of 10 (by chance that has probability 10⁻¹⁰ or less).
pub fn scottish_flows_rounded(values: impl IntoIterator<Item = (AreaCode, f64)>) -> bool {
    let mut n = 0;
    for (code, v) in values {
        if code.entity() == "S12" {
            if v % 10.0 != 0.0 {
                return false;
            }
            n += 1;
        }
    }
    n >= 10
}

/// The status and interval of a value rounded to `base` (signed values get a symmetric interval).
pub(crate) fn rounded(value: f64, base: f64, kind: Kind) -> (Status, Interval) {
    let interval = match kind {
        Kind::Count => Interval::rounded(value, base),
        Kind::Signed => {
            Interval::new(value - base / 2.0, value + base / 2.0).unwrap_or(Interval::exact(value))
        }
    };
    (Status::Rounded, interval)
}

/// 30 June of a year.
pub(crate) fn june_30(year: i32, location: impl FnOnce() -> Location) -> Result<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 6, 30)
        .ok_or_else(|| Error::input(location(), format!("year {year} is out of range")))
}
