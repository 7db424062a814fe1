//! What the Census 2021 readers share: census day, release metadata, the parsing of area codes
//! and counts, and the checks that perturbed parts add up to their whole.
//!
//! Census 2021 counts are perturbed by cell key perturbation: each cell independently of the
//! totals, so parts need not add up to their published whole. Such differences are listed as
//! total checks with a note saying so, rather than failing.

use chrono::NaiveDate;
use migkit_core::{
    AreaCode, Error, GeographyLevel, Interval, Location, MeasureKind, Observation, Period, Result,
    Status,
};

use crate::audit::{FileAudit, TotalCheck};
use crate::cell::{Cell, parse_count};
use crate::source::ReleaseMeta;

/// Why a Census 2021 part may differ from its whole.
pub(crate) const PERTURBATION: &str =
    "Census 2021 cell key perturbation: categories are perturbed independently of totals";

/// Census day, 21 March 2021.
pub(crate) fn census_day() -> Period {
    Period::Snapshot(NaiveDate::from_ymd_opt(2021, 3, 21).unwrap_or_default())
}

/// The metadata of an ONS Census 2021 release (a snapshot on census day).
pub(crate) fn census_release(id: String, table: String, title: &str, date: &str) -> ReleaseMeta {
    ReleaseMeta {
        id,
        table,
        publisher: "Office for National Statistics".into(),
        title: title.into(),
        release_date: date.into(),
        periods: "Census day 2021-03-21 (snapshot)".into(),
        licence: "Open Government Licence v3.0".into(),
    }
}

/// A Census 2021 count of `measure`: a stock on census day on 2021 codes, perturbed (an exact
/// interval), with the area code as `published`.
pub(crate) fn census_observation(
    row: u64,
    code: AreaCode,
    published: &str,
    name: &str,
    level: GeographyLevel,
    measure: &str,
    value: f64,
) -> Observation {
    let mut o = Observation::count(
        row,
        code,
        name,
        level,
        "2021",
        census_day(),
        measure,
        MeasureKind::Stock,
        value,
    )
    .with_status(Status::Perturbed, Interval::exact(value));
    o.area_code_published = published.to_string();
    o
}

/// Parses a published area code that must be a lower-tier local authority.
pub(crate) fn ltla_code(text: &str, location: impl FnOnce() -> Location) -> Result<AreaCode> {
    match AreaCode::new(text) {
        Ok(code) if code.is_lower_tier() => Ok(code),
        Ok(code) => Err(Error::input(
            location(),
            format!("{code} is not a lower-tier local authority code (E06, E07, E08, E09, W06)"),
        )),
        Err(e) => Err(Error::input(location(), e.to_string())),
    }
}

/// Parses a count cell that must hold a number (census tables have no suppression).
pub(crate) fn census_count(text: &str, location: impl Fn() -> Location) -> Result<f64> {
    match parse_count(text, &location)? {
        Cell::Number(v) => Ok(v),
        Cell::Blank => Err(Error::input(
            location(),
            "the cell is empty; Census 2021 counts are never blank",
        )),
        Cell::Marker(m) => Err(Error::input(
            location(),
            format!("the cell holds the marker {m:?}; Census 2021 counts are never suppressed"),
        )),
    }
}

/// Adds `overall`, a check that parts add up to their whole summed over every area, followed
/// by `differing`, one check per area (or cell) whose parts do not add up. When some differ,
/// every check gets a note blaming [`PERTURBATION`], the overall one saying how many `what`
/// (e.g. `"LTLAs"`) differ.
pub(crate) fn add_perturbed_sum_checks(
    audit: &mut FileAudit,
    overall: TotalCheck,
    differing: Vec<TotalCheck>,
    what: &str,
) {
    let overall = if differing.is_empty() {
        overall
    } else {
        overall.with_note(format!(
            "{} {what} differ (listed below); {PERTURBATION}",
            differing.len()
        ))
    };
    audit.total(overall);
    audit
        .totals
        .extend(differing.into_iter().map(|c| c.with_note(PERTURBATION)));
}
