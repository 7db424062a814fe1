//! What the Home Office readers share: release metadata taken from the quarter in a file's name,
//! the ONS code vintage in force on a date, and the parsing of quarter-end dates, local authority
//! codes and counts.
//!
//! Home Office tables are released quarterly, and the copies in the data folder carry the
//! release's quarter in their names (`asy_d11_..._2014q1_2024q3.csv` → quarter tag `2024q3`), so
//! that two releases of the same table can sit side by side. The release id is the file-name
//! prefix followed by that tag (`asy_d11_2024q3`); the table id is the same for every release.

use chrono::{Datelike, NaiveDate};
use migkit_core::{AreaCode, Error, Period, Result};

use crate::cell::{Cell, parse_count};
use crate::source::ReleaseMeta;
use crate::table::CsvTable;

/// The publisher of the Immigration System Statistics tables.
pub(crate) const IMMIGRATION_SYSTEM_STATISTICS: &str =
    "Home Office (Immigration System Statistics)";

/// The licence of every Home Office table.
const LICENCE: &str = "Open Government Licence v3.0";

/// One Home Office table: how its files and releases are named, and what is known of them.
pub(crate) struct HomeOfficeTable {
    /// The start of its file names and of its release ids, e.g. `"asy_d11_"`.
    pub(crate) prefix: &'static str,
    /// The table id shared by every release, e.g. `"ho_asy_d11"`.
    pub(crate) table: &'static str,
    /// Who published it.
    pub(crate) publisher: &'static str,
    /// The table's title as published.
    pub(crate) title: &'static str,
    /// Release dates (ISO, as PROVENANCE.md gives them) by quarter tag, e.g. `("2024q3", "2024-11-28")`.
    pub(crate) release_dates: &'static [(&'static str, &'static str)],
}

impl HomeOfficeTable {
    /// True for a file named `<prefix>..._<last quarter>.csv`.
    pub(crate) fn accepts_quarterly(&self, file_name: &str) -> bool {
        file_name.starts_with(self.prefix) && last_quarter_tag(file_name).is_some()
    }

    /// The release of a file named by its last quarter, covering `"<first> to <last> (<what>)"`,
    /// e.g. `quarterly_release(name, "2014 Q1", "quarter-end snapshots")`.
    pub(crate) fn quarterly_release(
        &self,
        file_name: &str,
        first: &str,
        what: &str,
    ) -> ReleaseMeta {
        let tag = last_quarter_tag(file_name).unwrap_or("unknown");
        let periods = format!("{first} to {} ({what})", tag.replace('q', " Q"));
        self.release(tag, periods)
    }

    /// The release of quarter `tag` (e.g. `"2024q3"`) covering `periods`; the release date is
    /// empty for a quarter not in [`HomeOfficeTable::release_dates`].
    pub(crate) fn release(&self, tag: &str, periods: String) -> ReleaseMeta {
        let release_date = self
            .release_dates
            .iter()
            .find(|(t, _)| *t == tag)
            .map_or("", |(_, d)| d);
        ReleaseMeta {
            id: format!("{}{tag}", self.prefix),
            table: self.table.to_string(),
            publisher: self.publisher.to_string(),
            title: self.title.to_string(),
            release_date: release_date.to_string(),
            periods,
            licence: LICENCE.to_string(),
        }
    }
}

/// The period tag (`"2024q3"`) at the end of a file stem such as `..._2014q1_2024q3`.
pub(crate) fn last_quarter_tag(file_name: &str) -> Option<&str> {
    let stem = file_name.strip_suffix(".csv")?;
    let tag = stem.rsplit('_').next()?;
    let (year, quarter) = tag.split_once('q')?;
    let ok = year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && matches!(quarter, "1" | "2" | "3" | "4");
    ok.then_some(tag)
}

/// The ONS code vintage in force on a date: codes change on 1 April, so a date in January to
/// March belongs to the previous year's vintage.
pub(crate) fn vintage_on(date: NaiveDate) -> String {
    let year = if date.month() >= 4 {
        date.year()
    } else {
        date.year() - 1
    };
    year.to_string()
}

/// Parses a `Date` cell that must be a quarter end (`YYYY-MM-DD`); the error names the cell and
/// gives `example` as a valid date.
pub(crate) fn quarter_end(
    table: &CsvTable,
    row: u64,
    column: usize,
    text: &str,
    example: &str,
) -> Result<(NaiveDate, Period)> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| Period::quarter_ending(d).map(|p| (d, p)))
        .ok_or_else(|| {
            Error::input(
                table.at(row, column),
                format!("{text:?} is not a quarter-end date (YYYY-MM-DD, e.g. {example})"),
            )
        })
}

/// Parses a published code that must be a lower-tier local authority's.
pub(crate) fn lower_tier_code(
    table: &CsvTable,
    row: u64,
    column: usize,
    text: &str,
) -> Result<AreaCode> {
    let code: AreaCode = text
        .parse()
        .map_err(|e: Error| Error::input(table.at(row, column), e.to_string()))?;
    if !code.is_lower_tier() {
        return Err(Error::input(
            table.at(row, column),
            format!("{code} is not a lower-tier local authority code (E06-E09, W06, S12, N09)"),
        ));
    }
    Ok(code)
}

/// Parses a count cell of a table without disclosure markers: a blank cell or a marker is an
/// error naming the cell, the latter saying `no_markers` (e.g. `"Asy_D11 publishes no
/// disclosure markers"`).
pub(crate) fn unmarked_count(
    table: &CsvTable,
    row: u64,
    column: usize,
    text: &str,
    no_markers: &str,
) -> Result<f64> {
    match parse_count(text, || table.at(row, column))? {
        Cell::Number(v) => Ok(v),
        Cell::Blank => Err(Error::input(table.at(row, column), "the count is empty")),
        Cell::Marker(m) => Err(Error::input(
            table.at(row, column),
            format!("{no_markers}, found {m:?}"),
        )),
    }
}
