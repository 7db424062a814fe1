//! DfE children looked after at 31 March, all and unaccompanied asylum-seeking children (UASC),
//! by local authority, England, 2011–2017 (Statistical First Release underlying data).
//!
//! - **Publisher**: Department for Education, "Children looked after in England (including
//!   adoption and care leavers)", one SFR a year; **licence** Open Government Licence v3.0.
//!   Files taken byte for byte from `BenGoodair/childrens_social_care_data` (see the folder's
//!   `PROVENANCE.md`).
//! - **Releases** (one file each in `raw/`, release id = `sfr<nn>_<yyyy>`, table `dfe_cla`):
//!   SFR 21/2011 (`SFR21_CLA.csv`, 28 Sep 2011), SFR 20/2012, SFR 36/2013, SFR 36/2014,
//!   SFR 34/2015 (1 Oct 2015), SFR 41/2016, SFR 50/2017 (28 Sep 2017). PROVENANCE gives
//!   "Sep 2011" and 28 Sep 2017; the 2011 day and the 2015 date are from the SFR front pages;
//!   for the others PROVENANCE says only "late September/October", so their release date is the
//!   year alone.
//! - **Periods**: a stock at 31 March of each year, [`Period::Snapshot`].
//! - **Measures**: `children_looked_after` (column `CLA_Mar<yyyy>`: all children looked after at
//!   31 March) and `uasc_looked_after` (column `CLA_UASC`: children looked after at 31 March who
//!   were unaccompanied asylum seekers during the year). **Only these two columns are read**; the
//!   files' other 40–60 columns (age, sex, ethnicity, placement, legal status, ...; `..` and
//!   `#VALUE!` appear in some of them) are not used. The audit counts rows, not columns.
//! - **Columns used**: `New_geog_code`, `geog_l` (NATIONAL / REGION / LA), `geog_n`, and the two
//!   measures. `geog_c` (DfE's 3-digit LA number) and, in 2017, `LA_order` are not used.
//! - **Geography**: NATIONAL → [`GeographyLevel::Country`] (E92000001); REGION →
//!   [`GeographyLevel::Region`]; LA → [`GeographyLevel::Utla`] (children's services authorities
//!   as they were in that year, 2011-era GSS codes, `geography_vintage` = the year). The Inner
//!   London and Outer London rows are published with the London code E12000007; to keep them
//!   apart from the London row they get the ONS codes of the same areas, E13000001 (Inner London)
//!   and E13000002 (Outer London), level Region, with `area_code_published` = E12000007 and the
//!   published name. DfE's Inner London is the statistical one (with Haringey and Newham, without
//!   Greenwich), which is what E13000001 stands for. The 2017 Isles of Scilly row has a blank
//!   `geog_l`; it is read as an LA (its code is an upper-tier E06 code) and noted in the audit.
//!
//! # Suppression and rounding
//!
//! LA values are as returned by each LA; 1 to 5 are shown as `x`, and other values are also
//! hidden (`x`) where a suppressed one could be worked out ("secondary suppression"). `0` is a
//! true zero. A suppressed LA cell is emitted with `value: None`, [`Status::Suppressed`] and the
//! interval `[0, upper]`:
//! - lower 0: a secondary suppression is not known to be at least 1, and the file does not say
//!   which suppressions are primary;
//! - upper = the smallest, over the published totals that contain the LA (its region, and for
//!   London boroughs also Inner or Outer London), of (the total's rounded upper bound − the sum
//!   of the published LA values in it), never below 5 (a primary suppression can be 5). Where a
//!   total is below the sum of its published LA values (2015 UASC) the bound falls back to 5.
//!   Region membership is the table [`REGION_MEMBERS`], which follows the 2017 file's `LA_order`
//!   (each LA listed under its region row).
//!
//! National and regional figures are rounded: DfE's metadata says to the nearest 10 (2017), or
//! in 2016 national figures over 1,000 to the nearest 100 — but the 2016 CSV's national values
//! (70,440; 4,210) are not multiples of 100, and every national and regional value in all seven
//! files is a multiple of 10, so all are read as rounded to the nearest 10
//! ([`Status::Rounded`], [`Interval::rounded`]`(v, 10)`). The two metadata documents are read by
//! [`DfeClaMetadataReader`] as documentation (quoted in the audit), not parsed for rules.
//!
//! # Total checks
//!
//! For each measure and each published total (England, each region, Inner and Outer London) the
//! sum of the published LA values in it is checked against the range the total allows: the
//! total's rounding interval minus the suppressed cells' intervals. Known exceptions carry a note:
//! the 2015 UASC totals are inconsistent with the LA rows (PROVENANCE: national 2,030 while the
//! unsuppressed LA values alone sum to 2,515), and in 2011–2012 a few regional totals of all
//! children looked after differ by 1 or 2 from the range their LA rows allow.
//!
//! The extract `cla_uasc_31march_by_la_2011_2017.csv` repeats values of the raw files: it is read
//! by [`DfeClaExtractCheckReader`], which checks every row against them and emits nothing.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use migkit_core::{
    AreaCode, Error, GeographyLevel, Interval, Location, MeasureKind, Observation, Period, Result,
    Status,
};

use crate::audit::{FileAudit, TotalCheck, read_bytes};
use crate::cell::{Cell, parse_count};
use crate::source::{ReadContext, ReadOutput, Reader, ReleaseMeta, SourceFile};
use crate::table::{CsvTable, decode, is_blank};

const FOLDER: &str = "dfe-cla-uasc-by-la-2011-2017";
const EXTRACT_FILE: &str = "cla_uasc_31march_by_la_2011_2017.csv";
const PUBLISHER: &str = "Department for Education";
const LICENCE: &str = "Open Government Licence v3.0";
const TABLE: &str = "dfe_cla";

/// The measure read from `CLA_Mar<yyyy>`: all children looked after at 31 March.
pub const CLA_MEASURE: &str = "children_looked_after";
/// The measure read from `CLA_UASC`: children looked after at 31 March who were unaccompanied
/// asylum seekers during the year.
pub const UASC_MEASURE: &str = "uasc_looked_after";
const MEASURES: [&str; 2] = [CLA_MEASURE, UASC_MEASURE];

/// The base to which DfE rounds national and regional figures in these files.
pub const ROUNDING_BASE: f64 = 10.0;

/// Known releases: SFR number, year (31 March), release date as far as it is known.
const RELEASES: &[(u32, i32, &str)] = &[
    (21, 2011, "2011-09-28"),
    (20, 2012, "2012"),
    (36, 2013, "2013"),
    (36, 2014, "2014"),
    (34, 2015, "2015-10-01"),
    (41, 2016, "2016"),
    (50, 2017, "2017-09-28"),
];

/// Totals known to be inconsistent with their LA rows: year, measure, explanation.
const KNOWN_ISSUES: &[(i32, &str, &str)] = &[(
    2015,
    UASC_MEASURE,
    "known inconsistency, PROVENANCE.md: \"the national row in SFR34_CLA2015.csv reads 2,030, but the \
     unsuppressed LA values alone sum to 2,515 (45 LAs suppressed). The 2015 national figure in this file is \
     inconsistent. Use LA rows, or a later DfE time series, for 2015.\" Several 2015 regional UASC totals are \
     below their LA sums in the same way",
)];

/// The 2011–2017 children's services authorities of each region (space-separated codes), keyed
/// by region code, with London split into Inner (E13000001) and Outer (E13000002) London as DfE
/// publishes it.
///
/// Taken from `SFR50_CLA2017.csv`, which lists each LA under its region row (`LA_order`); every
/// LA code of the 2011–2016 files is in it. Isles of Scilly (E06000053) appears only in 2017.
pub const REGION_MEMBERS: &[(&str, &str)] = &[
    (
        "E12000001",
        "E06000001 E06000002 E06000003 E06000004 E06000005 E06000047 E06000048 \
         E08000020 E08000021 E08000022 E08000023 E08000024",
    ),
    (
        "E12000002",
        "E06000006 E06000007 E06000008 E06000009 E06000049 E06000050 E08000001 \
         E08000002 E08000003 E08000004 E08000005 E08000006 E08000007 E08000008 \
         E08000009 E08000010 E08000011 E08000012 E08000013 E08000014 E08000015 \
         E10000006 E10000017",
    ),
    (
        "E12000003",
        "E06000010 E06000011 E06000012 E06000013 E06000014 E08000016 E08000017 \
         E08000018 E08000019 E08000032 E08000033 E08000034 E08000035 E08000036 \
         E10000023",
    ),
    (
        "E12000004",
        "E06000015 E06000016 E06000017 E06000018 E10000007 E10000018 E10000019 \
         E10000021 E10000024",
    ),
    (
        "E12000005",
        "E06000019 E06000020 E06000021 E06000051 E08000025 E08000026 E08000027 \
         E08000028 E08000029 E08000030 E08000031 E10000028 E10000031 E10000034",
    ),
    (
        "E12000006",
        "E06000031 E06000032 E06000033 E06000034 E06000055 E06000056 E10000003 \
         E10000012 E10000015 E10000020 E10000029",
    ),
    (
        "E13000001",
        "E09000001 E09000007 E09000012 E09000013 E09000014 E09000019 E09000020 \
         E09000022 E09000023 E09000025 E09000028 E09000030 E09000032 E09000033",
    ),
    (
        "E13000002",
        "E09000002 E09000003 E09000004 E09000005 E09000006 E09000008 E09000009 \
         E09000010 E09000011 E09000015 E09000016 E09000017 E09000018 E09000021 \
         E09000024 E09000026 E09000027 E09000029 E09000031",
    ),
    (
        "E12000008",
        "E06000035 E06000036 E06000037 E06000038 E06000039 E06000040 E06000041 \
         E06000042 E06000043 E06000044 E06000045 E06000046 E10000002 E10000011 \
         E10000014 E10000016 E10000025 E10000030 E10000032",
    ),
    (
        "E12000009",
        "E06000022 E06000023 E06000024 E06000025 E06000026 E06000027 E06000028 \
         E06000029 E06000030 E06000052 E06000053 E06000054 E10000008 E10000009 \
         E10000013 E10000027",
    ),
];

const ENGLAND: &str = "E92000001";
const LONDON: &str = "E12000007";
const INNER_LONDON: &str = "E13000001";
const OUTER_LONDON: &str = "E13000002";

/// The published totals that contain an LA, smallest first (sub-region, region); empty if the
/// LA is not in [`REGION_MEMBERS`]. England is not included.
pub fn containing_totals(la: &str) -> Vec<&'static str> {
    for (key, members) in REGION_MEMBERS {
        if members.split_whitespace().any(|m| m == la) {
            return if key.starts_with("E13") {
                vec![key, LONDON]
            } else {
                vec![key]
            };
        }
    }
    Vec::new()
}

/// The readers of this module.
pub fn readers() -> Vec<Box<dyn Reader>> {
    vec![
        Box::new(DfeClaReader),
        Box::new(DfeClaExtractCheckReader),
        Box::new(DfeClaMetadataReader),
    ]
}

/// `SFR<nn>_CLA[<yyyy>].csv` → (SFR number, year if the name or the release list gives it).
fn raw_name(file_name: &str) -> Option<(u32, Option<i32>)> {
    let rest = file_name.strip_prefix("SFR")?.strip_suffix(".csv")?;
    let (num, tail) = rest.split_once("_CLA")?;
    let sfr: u32 = num.parse().ok()?;
    let year = if tail.is_empty() {
        let mut known = RELEASES.iter().filter(|(n, _, _)| *n == sfr);
        match (known.next(), known.next()) {
            (Some((_, y, _)), None) => Some(*y),
            _ => None,
        }
    } else {
        Some(tail.parse().ok().filter(|y| tail.len() == 4 && *y > 1990)?)
    };
    Some((sfr, year))
}

/// `SFR<nn>_<yyyy>_MetaData.txt` → (SFR number, year).
fn metadata_name(file_name: &str) -> Option<(u32, i32)> {
    let rest = file_name
        .strip_prefix("SFR")?
        .strip_suffix("_MetaData.txt")?;
    let (num, year) = rest.split_once('_')?;
    Some((num.parse().ok()?, year.parse().ok()?))
}

fn release_meta(sfr: u32, year: Option<i32>) -> ReleaseMeta {
    let (id, title, periods, date) = match year {
        Some(y) => (
            format!("sfr{sfr}_{y}"),
            format!(
                "Children looked after in England (including adoption and care leavers), year ending 31 March {y}: \
                 underlying data (SFR {sfr}/{y})"
            ),
            format!("31 March {y} (snapshot)"),
            RELEASES
                .iter()
                .find(|(n, ry, _)| *n == sfr && *ry == y)
                .map(|(_, _, d)| d.to_string())
                .unwrap_or_else(|| y.to_string()),
        ),
        None => (
            format!("sfr{sfr}"),
            format!("Children looked after in England: underlying data (SFR {sfr})"),
            "31 March (snapshot)".to_string(),
            String::new(),
        ),
    };
    ReleaseMeta {
        id,
        table: TABLE.to_string(),
        publisher: PUBLISHER.to_string(),
        title,
        release_date: date,
        periods,
        licence: LICENCE.to_string(),
    }
}

/// The year's `CLA_Mar<yyyy>` column: by the year the file name gives, else the one in the header.
fn cla_column(table: &CsvTable, year: Option<i32>) -> Result<(usize, i32)> {
    if let Some(y) = year {
        return Ok((table.column(&format!("CLA_Mar{y}"))?, y));
    }
    for (i, h) in table.header.iter().enumerate() {
        if let Some(y) = h
            .strip_prefix("CLA_Mar")
            .filter(|t| t.len() == 4)
            .and_then(|t| t.parse().ok())
        {
            return Ok((i, y));
        }
    }
    Err(Error::MissingColumn {
        location: Location::file(&table.path),
        column: "CLA_Mar<yyyy>".to_string(),
        found: table.header.join(", "),
    })
}

/// The level of a row, as published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    National,
    Region,
    La,
}

/// A measure cell.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Value {
    Count(f64),
    Suppressed,
}

#[derive(Debug, Clone)]
struct RawRow {
    row: u64,
    code: AreaCode,
    published_code: String,
    name: String,
    level: Level,
    blank_level: bool,
    values: [Value; 2],
}

fn is_utla_code(code: &AreaCode) -> bool {
    matches!(code.entity(), "E06" | "E08" | "E09" | "E10")
}

/// Validates one raw row; `Ok(None)` for a footer row without a code or values.
fn parse_raw_row(
    table: &CsvTable,
    row: u64,
    fields: &[String],
    cols: &RawColumns,
) -> Result<Option<RawRow>> {
    let published_code = fields[cols.code].trim().to_string();
    let name = fields[cols.name].trim().to_string();
    if published_code.is_empty() {
        if cols.values.iter().all(|&c| fields[c].trim().is_empty()) {
            return Ok(None);
        }
        return Err(Error::input(
            table.at(row, cols.code),
            "the area code is empty but the row has values",
        ));
    }
    let parsed = AreaCode::new(&published_code)
        .map_err(|e| Error::input(table.at(row, cols.code), e.to_string()))?;
    let level_text = fields[cols.level].trim();
    let wrong = |expected: &str| {
        Error::input(
            table.at(row, cols.code).area(parsed.as_str()),
            format!("{parsed} is not {expected}, but geog_l is {level_text:?}"),
        )
    };
    let (level, code, blank_level) = match level_text.to_ascii_uppercase().as_str() {
        "NATIONAL" if parsed.as_str() == ENGLAND => (Level::National, parsed, false),
        "NATIONAL" => return Err(wrong("England's code E92000001")),
        "REGION" => match name.to_ascii_uppercase().as_str() {
            "INNER LONDON" => (Level::Region, AreaCode::new(INNER_LONDON)?, false),
            "OUTER LONDON" => (Level::Region, AreaCode::new(OUTER_LONDON)?, false),
            _ if parsed.entity() == "E12" => (Level::Region, parsed, false),
            _ => return Err(wrong("a region code (E12)")),
        },
        "LA" if is_utla_code(&parsed) => (Level::La, parsed, false),
        "LA" => {
            return Err(wrong(
                "an upper-tier local authority code (E06, E08, E09, E10)",
            ));
        }
        "" if is_utla_code(&parsed) => (Level::La, parsed, true),
        _ => {
            return Err(Error::input(
                table.at(row, cols.level).area(parsed.as_str()),
                format!("unknown level {level_text:?}; expected NATIONAL, REGION or LA"),
            ));
        }
    };
    let mut values = [Value::Count(0.0); 2];
    for (slot, &col) in values.iter_mut().zip(&cols.values) {
        let at = || table.at(row, col).area(parsed.as_str());
        *slot = match parse_count(&fields[col], at)? {
            Cell::Number(v) => Value::Count(v),
            Cell::Marker("x") if level == Level::La => Value::Suppressed,
            Cell::Marker(m) => {
                return Err(Error::input(
                    at(),
                    format!(
                        "the marker {m:?} is not expected here; DfE suppresses LA cells only, as \"x\""
                    ),
                ));
            }
            Cell::Blank => {
                return Err(Error::input(
                    at(),
                    "the count is empty; a number or x is required",
                ));
            }
        };
    }
    Ok(Some(RawRow {
        row,
        code,
        published_code,
        name,
        level,
        blank_level,
        values,
    }))
}

struct RawColumns {
    code: usize,
    level: usize,
    name: usize,
    values: [usize; 2],
}

/// Sums over the LA rows inside one published total, for one measure.
#[derive(Debug, Clone, Copy, Default)]
struct Inside {
    published_sum: f64,
    suppressed: u32,
    suppressed_upper: f64,
}

/// Reads the raw `SFR<nn>_CLA<yyyy>.csv` files: `children_looked_after` and `uasc_looked_after` at
/// 31 March for England, regions (with Inner and Outer London) and upper-tier LAs.
#[derive(Debug, Clone, Copy, Default)]
pub struct DfeClaReader;

impl Reader for DfeClaReader {
    fn id(&self) -> &'static str {
        "dfe_cla_uasc"
    }

    fn accepts(&self, file: &SourceFile) -> bool {
        file.folder() == FOLDER && raw_name(file.file_name()).is_some()
    }

    fn release(&self, file: &SourceFile) -> ReleaseMeta {
        let (sfr, year) = raw_name(file.file_name()).unwrap_or((0, None));
        release_meta(sfr, year)
    }

    fn read(&self, file: &SourceFile, ctx: &ReadContext<'_>) -> Result<ReadOutput> {
        let (sfr, name_year) = raw_name(file.file_name()).ok_or_else(|| {
            Error::input(
                Location::file(&file.path),
                "file name is not SFR<nn>_CLA[<yyyy>].csv",
            )
        })?;
        let table = CsvTable::open(&file.path)?;
        let (cla_col, year) = cla_column(&table, name_year)?;
        let release = release_meta(sfr, Some(year)).id;
        let mut audit = FileAudit::new(&file.relative, &table.bytes, self.id(), &release);
        let [code, level, name, uasc] =
            table.columns(["New_geog_code", "geog_l", "geog_n", "CLA_UASC"])?;
        let cols = RawColumns {
            code,
            level,
            name,
            values: [cla_col, uasc],
        };
        let date = NaiveDate::from_ymd_opt(year, 3, 31).ok_or_else(|| {
            Error::input(table.at(1, cla_col), format!("year {year} is out of range"))
        })?;
        let period = Period::Snapshot(date);
        let vintage = year.to_string();

        // Pass 1: validate rows.
        let mut rows: Vec<RawRow> = Vec::with_capacity(table.rows.len());
        for (row, fields) in &table.rows {
            let row = *row;
            if is_blank(fields) {
                audit.reject(row, "blank row");
                continue;
            }
            match parse_raw_row(&table, row, fields, &cols) {
                Ok(Some(r)) => rows.push(r),
                Ok(None) => audit.reject(row, "footer row without an area code or values"),
                Err(e) => audit.reject_or_fail(ctx.options.strict, row, e)?,
            }
        }

        // Published totals by code, and what their LA rows add up to, per measure.
        let mut totals: HashMap<AreaCode, (u64, [Value; 2])> = HashMap::new();
        for r in rows.iter().filter(|r| r.level != Level::La) {
            if let Some((first, _)) = totals.insert(r.code, (r.row, r.values)) {
                return Err(Error::input(
                    table.at(r.row, cols.code).area(r.code.as_str()),
                    format!(
                        "a second total row for {} (the first is row {first})",
                        r.name
                    ),
                ));
            }
        }
        let england = AreaCode::new(ENGLAND)?;
        let containing: Vec<Vec<AreaCode>> = rows
            .iter()
            .map(|r| {
                if r.level != Level::La {
                    return Vec::new();
                }
                containing_totals(r.code.as_str())
                    .into_iter()
                    .filter_map(|c| AreaCode::new(c).ok())
                    .collect()
            })
            .collect();
        let mut inside: [HashMap<AreaCode, Inside>; 2] = [HashMap::new(), HashMap::new()];
        for (r, within) in rows.iter().zip(&containing) {
            if r.level != Level::La {
                continue;
            }
            for (m, value) in r.values.iter().enumerate() {
                for key in within.iter().chain([&england]) {
                    let e = inside[m].entry(*key).or_default();
                    match value {
                        Value::Count(v) => e.published_sum += v,
                        Value::Suppressed => e.suppressed += 1,
                    }
                }
            }
        }
        // Room left in each published total for its suppressed LA cells: rounded upper bound minus
        // the published LA values inside it.
        let room: [HashMap<AreaCode, f64>; 2] = [0, 1].map(|m| {
            totals
                .iter()
                .filter_map(|(key, (_, values))| match values[m] {
                    Value::Count(v) => Some((
                        *key,
                        Interval::rounded(v, ROUNDING_BASE).upper
                            - inside[m].get(key).map_or(0.0, |i| i.published_sum),
                    )),
                    Value::Suppressed => None,
                })
                .collect()
        });
        let slack = |m: usize, key: &AreaCode| room[m].get(key).copied();

        // Pass 2: emit, bounding suppressed LA cells.
        let mut observations = Vec::with_capacity(2 * rows.len());
        let mut unplaced = Vec::new();
        let mut not_multiple = Vec::new();
        for (r, within) in rows.iter().zip(&containing) {
            if r.level == Level::La && within.is_empty() {
                unplaced.push(r.code.to_string());
            }
            if r.blank_level {
                audit.note(format!(
                    "row {}: {} ({}) has a blank geog_l; read as an LA because its code is an upper-tier authority code",
                    r.row, r.name, r.published_code
                ));
            }
            let mut row_obs: Vec<(usize, Observation)> = Vec::with_capacity(2);
            let mut failed = None;
            for (m, value) in r.values.iter().enumerate() {
                let (geography_level, status, interval, v) = match (r.level, *value) {
                    (Level::La, Value::Count(v)) => (
                        GeographyLevel::Utla,
                        Status::Published,
                        Interval::exact(v),
                        Some(v),
                    ),
                    (Level::La, Value::Suppressed) => {
                        let regional: Vec<f64> =
                            within.iter().filter_map(|k| slack(m, k)).collect();
                        let candidates = if regional.is_empty() {
                            slack(m, &england).into_iter().collect()
                        } else {
                            regional
                        };
                        let Some(space) = candidates.into_iter().reduce(f64::min) else {
                            failed = Some(Error::input(
                                table.at(r.row, cols.values[m]).area(r.code.as_str()),
                                "cannot bound a suppressed cell: the file publishes no regional or national total for it",
                            ));
                            break;
                        };
                        let upper = space.max(5.0);
                        (
                            GeographyLevel::Utla,
                            Status::Suppressed,
                            Interval::suppressed(0.0, upper),
                            None,
                        )
                    }
                    (level, Value::Count(v)) => {
                        if v % ROUNDING_BASE != 0.0 {
                            not_multiple.push(format!("{} {} {v}", r.name, MEASURES[m]));
                        }
                        let gl = if level == Level::National {
                            GeographyLevel::Country
                        } else {
                            GeographyLevel::Region
                        };
                        (
                            gl,
                            Status::Rounded,
                            Interval::rounded(v, ROUNDING_BASE),
                            Some(v),
                        )
                    }
                    // parse_raw_row accepts markers in LA rows only.
                    (_, Value::Suppressed) => continue,
                };
                let mut o = Observation::count(
                    r.row,
                    r.code,
                    r.name.clone(),
                    geography_level,
                    vintage.clone(),
                    period,
                    MEASURES[m],
                    MeasureKind::Stock,
                    v.unwrap_or(0.0),
                )
                .with_status(status, interval);
                o.value = v;
                o.area_code_published = r.published_code.clone();
                row_obs.push((m, o));
            }
            if let Some(err) = failed {
                audit.reject_or_fail(ctx.options.strict, r.row, err)?;
                continue;
            }
            for (m, o) in row_obs {
                if o.status == Status::Suppressed {
                    for key in within.iter().chain([&england]) {
                        if let Some(i) = inside[m].get_mut(key) {
                            i.suppressed_upper += o.interval.upper;
                        }
                    }
                }
                observations.push(o);
            }
            audit.used();
        }

        // Total checks: LA rows against each published total.
        for r in rows.iter().filter(|r| r.level != Level::La) {
            for m in 0..2 {
                let Value::Count(published) = r.values[m] else {
                    continue;
                };
                let i = inside[m].get(&r.code).copied().unwrap_or_default();
                let rounded = Interval::rounded(published, ROUNDING_BASE);
                let check = TotalCheck::within(
                    format!(
                        "{}: LA rows in {} ({}), against the total published rounded to 10 ({} suppressed LA cells bounded [0, upper])",
                        MEASURES[m], r.name, r.code, i.suppressed
                    ),
                    published,
                    i.published_sum,
                    0.0,
                    rounded.lower - i.suppressed_upper,
                    rounded.upper,
                );
                let check = if check.balanced {
                    check
                } else if let Some((_, _, note)) = KNOWN_ISSUES
                    .iter()
                    .find(|(y, ms, _)| *y == year && *ms == MEASURES[m])
                {
                    check.with_note(*note)
                } else {
                    let gap = (check.lower - check.emitted).max(check.emitted - check.upper);
                    if gap <= ROUNDING_BASE {
                        let note = format!(
                            "the LA rows sum to {}, {gap} outside the range that rounding to the nearest 10 allows for \
                             the published {published}: DfE's totals differ from the sums of the LA rows as published \
                             by a few children (in 2011 each such sum ends in 5 and was rounded down); not a reading error",
                            check.emitted
                        );
                        check.with_note(note)
                    } else {
                        check
                    }
                };
                audit.total(check);
            }
        }

        audit.note(format!(
            "only the columns {} and CLA_UASC are read (with New_geog_code, geog_l, geog_n); the file's other {} columns are not used",
            table.header[cla_col],
            table.header.len().saturating_sub(5)
        ));
        audit.note(
            "national and regional figures are read as rounded to the nearest 10; suppressed LA cells (x: 1 to 5, or \
             secondary suppression) are bounded [0, smallest of (rounded upper bound of a containing regional total - \
             its published LA values), at least 5]",
        );
        if !not_multiple.is_empty() {
            audit.note(format!(
                "totals that are not multiples of 10, read as rounded to 10 nonetheless: {}",
                not_multiple.join("; ")
            ));
        }
        if !unplaced.is_empty() {
            audit.note(format!(
                "LAs not in the region table, bounded against England only: {}",
                unplaced.join(", ")
            ));
        }
        Ok(ReadOutput::new(
            self.id(),
            release,
            file,
            observations,
            audit,
        ))
    }
}

/// The extract's columns and the raw columns they were copied from.
const EXTRACT_COLUMNS: [(&str, &str); 6] = [
    ("new_geog_code", "New_geog_code"),
    ("geog_level", "geog_l"),
    ("old_la_code", "geog_c"),
    ("geog_name", "geog_n"),
    ("cla_31_march_total", "CLA_Mar<yyyy>"),
    ("cla_uasc_31_march", "CLA_UASC"),
];

/// The raw files' rows as strings: (year, code, name) → (file name, row, values in [`EXTRACT_COLUMNS`] order).
type RawIndex = HashMap<(i32, String, String), (String, u64, [String; 6])>;

/// Per year: the raw file and its number of rows with an area code.
type RowsPerYear = HashMap<i32, (String, u64)>;

/// Reads every raw file of the folder as strings, for the extract check.
fn load_raw_index(data_dir: &Path) -> Result<(RawIndex, RowsPerYear)> {
    let dir = data_dir.join(FOLDER).join("raw");
    let entries = std::fs::read_dir(&dir).map_err(|e| {
        Error::input(
            Location::file(&dir),
            format!("the extract is checked against the raw SFR files in this folder, which cannot be read: {e}"),
        )
    })?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| raw_name(n).is_some())
        .collect();
    names.sort();
    let mut index = RawIndex::new();
    let mut rows_per_year: HashMap<i32, (String, u64)> = HashMap::new();
    for name in names {
        let (_, name_year) = raw_name(&name).unwrap_or((0, None));
        let table = CsvTable::open(&dir.join(&name))?;
        let (cla, year) = cla_column(&table, name_year)?;
        let [code, level, old, geog_n, uasc] =
            table.columns(["New_geog_code", "geog_l", "geog_c", "geog_n", "CLA_UASC"])?;
        for (row, fields) in &table.rows {
            let values =
                [code, level, old, geog_n, cla, uasc].map(|c| fields[c].trim().to_string());
            if values[0].is_empty() {
                continue;
            }
            index.insert(
                (year, values[0].clone(), values[3].clone()),
                (name.clone(), *row, values),
            );
            let e = rows_per_year
                .entry(year)
                .or_insert_with(|| (name.clone(), 0));
            e.1 += 1;
        }
    }
    if index.is_empty() {
        return Err(Error::input(
            Location::file(&dir),
            "no raw SFR<nn>_CLA<yyyy>.csv files found to check the extract against",
        ));
    }
    Ok((index, rows_per_year))
}

/// Accepts `cla_uasc_31march_by_la_2011_2017.csv`, an extract of the raw files, and checks every
/// row against them (all six copied columns). Emits nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct DfeClaExtractCheckReader;

impl Reader for DfeClaExtractCheckReader {
    fn id(&self) -> &'static str {
        "dfe_cla_uasc_extract_check"
    }

    fn accepts(&self, file: &SourceFile) -> bool {
        file.folder() == FOLDER && file.file_name() == EXTRACT_FILE
    }

    fn release(&self, _file: &SourceFile) -> ReleaseMeta {
        ReleaseMeta {
            id: "cla_uasc_extract_2011_2017".to_string(),
            table: "dfe_cla_uasc_extract".to_string(),
            publisher: format!("{PUBLISHER} (extract of the SFR underlying data made for migkit's shared data)"),
            title: "Children looked after and UASC looked after at 31 March, by LA, 2011–2017 (extract)".to_string(),
            release_date: String::new(),
            periods: "31 March 2011 to 31 March 2017 (snapshots)".to_string(),
            licence: LICENCE.to_string(),
        }
    }

    fn read(&self, file: &SourceFile, ctx: &ReadContext<'_>) -> Result<ReadOutput> {
        let release = self.release(file).id;
        let table = CsvTable::open(&file.path)?;
        let mut audit = FileAudit::new(&file.relative, &table.bytes, self.id(), &release);
        let c_year = table.column("year_31_march")?;
        let cols = EXTRACT_COLUMNS.map(|(c, _)| table.column(c));
        let mut idx = [0usize; 6];
        for (slot, c) in idx.iter_mut().zip(cols) {
            *slot = c?;
        }
        // Validate the extract's own cells first, so its errors are reported even without raw/.
        let mut rows: Vec<(u64, i32, &Vec<String>)> = Vec::with_capacity(table.rows.len());
        for (row, fields) in &table.rows {
            let row = *row;
            if is_blank(fields) {
                audit.reject(row, "blank row");
                continue;
            }
            let parsed = (|| -> Result<i32> {
                let year: i32 = fields[c_year].trim().parse().map_err(|_| {
                    Error::input(
                        table.at(row, c_year),
                        format!("{:?} is not a year", fields[c_year].trim()),
                    )
                })?;
                let code = AreaCode::new(&fields[idx[0]])
                    .map_err(|e| Error::input(table.at(row, idx[0]), e.to_string()))?;
                for &c in &idx[4..] {
                    let at = || table.at(row, c).area(code.as_str());
                    if parse_count(&fields[c], at)? == Cell::Blank {
                        return Err(Error::input(
                            at(),
                            "the count is empty; a number or x is required",
                        ));
                    }
                }
                Ok(year)
            })();
            match parsed {
                Ok(year) => rows.push((row, year, fields)),
                Err(e) => audit.reject_or_fail(ctx.options.strict, row, e)?,
            }
        }
        let (raw, raw_rows) = load_raw_index(ctx.data_dir)?;
        let mut matched: HashMap<i32, u64> = HashMap::new();
        for (row, year, fields) in rows {
            let values = idx.map(|c| fields[c].trim().to_string());
            let key = (year, values[0].clone(), values[3].clone());
            let checked = match raw.get(&key) {
                None => Err(Error::input(
                    table.at(row, idx[0]).area(&values[0]),
                    format!(
                        "{} {:?} for 31 March {year} is in none of the raw files{}",
                        values[0],
                        values[3],
                        if raw_rows.contains_key(&year) {
                            ""
                        } else {
                            " (there is no raw file for that year)"
                        }
                    ),
                )),
                Some((raw_file, raw_row, raw_values)) => {
                    match (0..6).find(|&k| values[k] != raw_values[k]) {
                        None => Ok(()),
                        Some(k) => Err(Error::input(
                            table.at(row, idx[k]).area(&values[0]),
                            format!(
                                "{:?} differs from {:?} in raw/{raw_file} row {raw_row}, column {}; the extract should copy it unchanged",
                                values[k], raw_values[k], EXTRACT_COLUMNS[k].1
                            ),
                        )),
                    }
                }
            };
            match checked {
                Ok(()) => {
                    *matched.entry(year).or_insert(0) += 1;
                    audit.used();
                }
                Err(e) => audit.reject_or_fail(ctx.options.strict, row, e)?,
            }
        }
        let mut years: Vec<_> = raw_rows.iter().collect();
        years.sort();
        for (year, (raw_file, count)) in years {
            audit.total(TotalCheck::exact(
                format!("rows for 31 March {year}: extract rows matched vs rows with an area code in raw/{raw_file}"),
                *count as f64,
                matched.get(year).copied().unwrap_or(0) as f64,
            ));
        }
        audit.note(format!(
            "extract of the raw SFR files in {FOLDER}/raw: every row was checked against them (all six copied columns) \
             and is counted as used for the check; no observations are emitted, so nothing is counted twice"
        ));
        Ok(ReadOutput::new(self.id(), release, file, Vec::new(), audit))
    }
}

/// Accepts the DfE metadata documents `SFR<nn>_<yyyy>_MetaData.txt` and audits them as
/// documentation: no rows, no observations, and notes quoting the `CLA_UASC` definition and the
/// rounding and suppression rules (which [`DfeClaReader`] applies as its module docs describe).
#[derive(Debug, Clone, Copy, Default)]
pub struct DfeClaMetadataReader;

impl Reader for DfeClaMetadataReader {
    fn id(&self) -> &'static str {
        "dfe_cla_metadata"
    }

    fn accepts(&self, file: &SourceFile) -> bool {
        file.folder() == FOLDER && metadata_name(file.file_name()).is_some()
    }

    fn release(&self, file: &SourceFile) -> ReleaseMeta {
        let (sfr, year) = metadata_name(file.file_name()).unwrap_or((0, 0));
        release_meta(sfr, Some(year))
    }

    fn read(&self, file: &SourceFile, _ctx: &ReadContext<'_>) -> Result<ReadOutput> {
        let release = self.release(file).id;
        let bytes = read_bytes(&file.path)?;
        let text = decode(&bytes);
        let mut audit = FileAudit::new(&file.relative, &bytes, self.id(), &release);
        audit.note(
            "documentation (DfE metadata document of the release): no data rows; the rules it states are applied by \
             dfe_cla_uasc as its module documentation describes",
        );
        let quote = |prefix: &str| {
            text.lines()
                .map(str::trim)
                .find(|l| l.starts_with(prefix))
                .map(str::to_string)
        };
        for prefix in ["CLA_UASC:", "Rounding and suppression:"] {
            match quote(prefix) {
                Some(line) => audit.note(format!("quoted: {line}")),
                None => audit.note(format!("no line starting {prefix:?} in this document")),
            }
        }
        Ok(ReadOutput::new(self.id(), release, file, Vec::new(), audit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::ReadOptions;
    use crate::testing::{
        assert_names_place, bridge, data_dir, read_bytes_as, read_checked, read_error, source_file,
    };

    const RAW: [(i32, &str); 7] = [
        (2011, "SFR21_CLA.csv"),
        (2012, "SFR20_CLA2012.csv"),
        (2013, "SFR36_CLA2013.csv"),
        (2014, "SFR36_CLA2014.csv"),
        (2015, "SFR34_CLA2015.csv"),
        (2016, "SFR41_CLA2016.csv"),
        (2017, "SFR50_CLA2017.csv"),
    ];

    fn raw_rel(file: &str) -> String {
        format!("{FOLDER}/raw/{file}")
    }

    fn read_year(year: i32) -> ReadOutput {
        let (_, file) = RAW.iter().find(|(y, _)| *y == year).unwrap();
        read_checked(&DfeClaReader, &raw_rel(file))
    }

    fn find<'a>(out: &'a ReadOutput, code: &str, measure: &str) -> &'a Observation {
        let found: Vec<_> = out
            .observations
            .observations
            .iter()
            .filter(|o| o.area_code.as_str() == code && o.measure == measure)
            .collect();
        assert_eq!(found.len(), 1, "{code} {measure}");
        found[0]
    }

    fn uasc(out: &ReadOutput, code: &str) -> f64 {
        find(out, code, UASC_MEASURE).value.unwrap()
    }

    #[test]
    fn real_figures_from_every_release() {
        let england = [
            (2011, 2670.0),
            (2012, 2150.0),
            (2013, 1860.0),
            (2014, 1970.0),
            (2015, 2030.0),
            (2016, 4210.0),
            (2017, 4560.0),
        ];
        let west_midlands = [
            (2011, 340.0),
            (2013, 180.0),
            (2015, 130.0),
            (2016, 370.0),
            (2017, 490.0),
        ];
        let birmingham = [
            (2011, 34.0),
            (2012, 31.0),
            (2013, 20.0),
            (2014, 13.0),
            (2015, 9.0),
            (2016, 72.0),
            (2017, 119.0),
        ];
        for (year, file) in RAW {
            let out = read_year(year);
            let set = &out.observations;
            assert_eq!(set.release, format!("sfr{}_{year}", &file[3..5]));
            assert_eq!(
                DfeClaReader.release(&source_file(&raw_rel(file))).table,
                "dfe_cla"
            );
            let las = set
                .observations
                .iter()
                .filter(|o| o.geography_level == GeographyLevel::Utla && o.measure == UASC_MEASURE)
                .count();
            assert_eq!(las, if year == 2017 { 152 } else { 151 }, "{year}");
            assert_eq!(out.audit.rows_used, las as u64 + 12);
            assert_eq!(set.observations.len(), 2 * (las + 12));
            let snapshot = Period::Snapshot(NaiveDate::from_ymd_opt(year, 3, 31).unwrap());
            assert!(set.observations.iter().all(|o| o.period == snapshot
                && o.measure_kind == MeasureKind::Stock
                && o.geography_vintage == year.to_string()));
            let expected = england.iter().find(|(y, _)| *y == year).unwrap().1;
            let e = find(&out, "E92000001", UASC_MEASURE);
            assert_eq!(
                (e.value, e.status, e.geography_level),
                (Some(expected), Status::Rounded, GeographyLevel::Country)
            );
            assert_eq!(
                (e.interval.lower, e.interval.upper),
                (expected - 5.0, expected + 4.0)
            );
            if let Some((_, v)) = west_midlands.iter().find(|(y, _)| *y == year) {
                assert_eq!(uasc(&out, "E12000005"), *v, "West Midlands {year}");
            }
            let (_, b) = birmingham.iter().find(|(y, _)| *y == year).unwrap();
            let brum = find(&out, "E08000025", UASC_MEASURE);
            assert_eq!(
                (brum.value, brum.status, brum.geography_level),
                (Some(*b), Status::Published, GeographyLevel::Utla)
            );
            // Inner and Outer London do not collide with London.
            for (code, name) in [
                ("E12000007", "LONDON"),
                ("E13000001", "INNER LONDON"),
                ("E13000002", "OUTER LONDON"),
            ] {
                let o = find(&out, code, CLA_MEASURE);
                assert_eq!(
                    (o.area_name.as_str(), o.area_code_published.as_str()),
                    (name, "E12000007")
                );
                assert_eq!(o.geography_level, GeographyLevel::Region);
            }
            // Suppressed cells are intervals, never zeros.
            for o in set
                .observations
                .iter()
                .filter(|o| o.status == Status::Suppressed)
            {
                assert!(
                    o.value.is_none() && o.interval.lower == 0.0 && o.interval.upper >= 5.0,
                    "{o:?}"
                );
            }
            // England's total of all children looked after balances against its LA rows.
            let national_cla = out
                .audit
                .totals
                .iter()
                .find(|t| {
                    t.measure
                        .starts_with("children_looked_after: LA rows in ENGLAND")
                })
                .unwrap();
            assert!(
                national_cla.balanced && national_cla.note.is_none(),
                "{national_cla:?}"
            );
            let national_uasc = out
                .audit
                .totals
                .iter()
                .find(|t| {
                    t.measure
                        .starts_with("uasc_looked_after: LA rows in ENGLAND")
                })
                .unwrap();
            assert_eq!(national_uasc.balanced, year != 2015, "{national_uasc:?}");
            if year == 2015 {
                assert!(national_uasc.note.as_deref().unwrap().contains("2,515"));
                assert_eq!(national_uasc.emitted, 2515.0);
            }
        }
        assert_eq!(uasc(&read_year(2011), "E08000029"), 124.0);
        assert_eq!(uasc(&read_year(2017), "E10000031"), 78.0);
    }

    #[test]
    fn unsuppressed_la_sums_and_suppression_bounds() {
        for (year, sum, suppressed) in [(2011, 2548.0, 48), (2014, 1845.0, 47), (2017, 4466.0, 28)]
        {
            let out = read_year(year);
            let las: Vec<_> = out
                .observations
                .observations
                .iter()
                .filter(|o| o.geography_level == GeographyLevel::Utla && o.measure == UASC_MEASURE)
                .collect();
            assert_eq!(
                las.iter().filter_map(|o| o.value).sum::<f64>(),
                sum,
                "{year}"
            );
            assert_eq!(
                las.iter()
                    .filter(|o| o.status == Status::Suppressed)
                    .count(),
                suppressed,
                "{year}"
            );
        }
        // 2011 North West: total 120 (at most 124), published LA values 87, 12 suppressed: each [0, 37].
        let out = read_year(2011);
        let supp: Vec<_> = out
            .observations
            .observations
            .iter()
            .filter(|o| {
                o.measure == UASC_MEASURE
                    && o.status == Status::Suppressed
                    && containing_totals(o.area_code.as_str()) == ["E12000002"]
            })
            .collect();
        assert_eq!(supp.len(), 12);
        assert!(
            supp.iter()
                .all(|o| (o.interval.lower, o.interval.upper) == (0.0, 37.0))
        );
        // Inner London boroughs: Inner London leaves 224 - 213 = 11, London 1034 - 1017 = 17; the smaller wins.
        let supp: Vec<_> = out
            .observations
            .observations
            .iter()
            .filter(|o| {
                o.measure == UASC_MEASURE
                    && o.status == Status::Suppressed
                    && containing_totals(o.area_code.as_str()) == [INNER_LONDON, LONDON]
            })
            .collect();
        assert_eq!(supp.len(), 2);
        assert!(supp.iter().all(|o| o.interval.upper == 11.0));
        // The national check allows for the suppressed cells: 2,548 published + up to the bounds.
        let t = out
            .audit
            .totals
            .iter()
            .find(|t| {
                t.measure
                    .starts_with("uasc_looked_after: LA rows in ENGLAND")
            })
            .unwrap();
        assert!(t.balanced && t.lower < 2548.0 && t.upper == 2674.0, "{t:?}");
        // Regional totals of all children that disagree by a child or two carry a note.
        let nw_cla = out
            .audit
            .totals
            .iter()
            .find(|t| {
                t.measure
                    .starts_with("children_looked_after: LA rows in NORTH WEST")
            })
            .unwrap();
        assert!(
            !nw_cla.balanced && nw_cla.note.is_some() && nw_cla.emitted == 11355.0,
            "{nw_cla:?}"
        );
    }

    #[test]
    fn isles_of_scilly_2017_is_an_la_with_a_note() {
        let out = read_year(2017);
        let o = find(&out, "E06000053", UASC_MEASURE);
        assert_eq!(
            (o.value, o.geography_level),
            (Some(0.0), GeographyLevel::Utla)
        );
        assert!(
            out.audit
                .notes
                .iter()
                .any(|n| n.contains("Isles of Scilly") && n.contains("blank geog_l"))
        );
    }

    /// The region table is the 2017 file's grouping: each LA follows its region row in `LA_order`.
    #[test]
    fn region_table_follows_the_2017_la_order() {
        let table = CsvTable::open(&data_dir().join(raw_rel("SFR50_CLA2017.csv"))).unwrap();
        let [order, code, level, name] = table
            .columns(["LA_order", "New_geog_code", "geog_l", "geog_n"])
            .unwrap();
        let mut rows: Vec<_> = table.rows.iter().map(|(_, f)| f).collect();
        rows.sort_by_key(|f| f[order].parse::<u32>().unwrap());
        let mut current = String::new();
        let mut seen = 0;
        for f in rows {
            match (f[level].as_str(), f[name].as_str()) {
                ("REGION", "INNER LONDON") => current = INNER_LONDON.into(),
                ("REGION", "OUTER LONDON") => current = OUTER_LONDON.into(),
                ("REGION", _) => current = f[code].clone(),
                ("LA", _) | ("", _) => {
                    let within = containing_totals(&f[code]);
                    assert_eq!(
                        within.first().copied(),
                        Some(current.as_str()),
                        "{}",
                        f[name]
                    );
                    seen += 1;
                }
                _ => {}
            }
        }
        assert_eq!(
            seen,
            REGION_MEMBERS
                .iter()
                .map(|(_, m)| m.split_whitespace().count())
                .sum::<usize>()
        );
        assert_eq!(containing_totals("E09000025"), [INNER_LONDON, LONDON]);
    }

    #[test]
    fn extract_is_checked_against_raw_not_emitted() {
        let out = read_checked(
            &DfeClaExtractCheckReader,
            &format!("{FOLDER}/{EXTRACT_FILE}"),
        );
        assert!(out.observations.observations.is_empty());
        assert_eq!(
            (
                out.audit.rows_read,
                out.audit.rows_used,
                out.audit.observations
            ),
            (1142, 1142, 0)
        );
        assert_eq!(out.audit.totals.len(), 7);
        assert!(out.audit.totals.iter().all(|t| t.balanced));
    }

    #[test]
    fn extract_mismatch_names_row_column_and_area() {
        let rel = format!("{FOLDER}/{EXTRACT_FILE}");
        let text = std::fs::read_to_string(data_dir().join(&rel))
            .unwrap()
            .replace("\r\n", "\n");
        let text = text.replacen(
            "2011,E08000025,LA,330,Birmingham,1901,34",
            "2011,E08000025,LA,330,Birmingham,1901,35",
            1,
        );
        let line = text
            .lines()
            .position(|l| l.starts_with("2011,E08000025,"))
            .unwrap()
            + 1;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(EXTRACT_FILE);
        std::fs::write(&path, &text).unwrap();
        let file = SourceFile {
            path,
            relative: rel.clone(),
        };
        let data = data_dir();
        let ctx = ReadContext {
            bridge: bridge(),
            options: ReadOptions::default(),
            data_dir: &data,
        };
        let err = DfeClaExtractCheckReader
            .read(&file, &ctx)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(EXTRACT_FILE) && err.contains(&format!("row {line},")),
            "{err}"
        );
        assert!(
            err.contains("column \"cla_uasc_31_march\"") && err.contains("E08000025"),
            "{err}"
        );
        // Without the raw files the check cannot run, and says so.
        let err = read_error(&DfeClaExtractCheckReader, &rel, text.as_bytes());
        assert!(err.contains("raw"), "{err}");
    }

    #[test]
    fn metadata_is_documentation() {
        for (file, release) in [
            ("SFR41_2016_MetaData.txt", "sfr41_2016"),
            ("SFR50_2017_MetaData.txt", "sfr50_2017"),
        ] {
            let out = read_checked(&DfeClaMetadataReader, &raw_rel(file));
            assert_eq!((out.audit.rows_read, out.audit.observations), (0, 0));
            assert_eq!(out.audit.release, release);
            assert!(
                out.audit
                    .notes
                    .iter()
                    .any(|n| n.starts_with("quoted: CLA_UASC:")),
                "{:?}",
                out.audit.notes
            );
            assert!(
                out.audit
                    .notes
                    .iter()
                    .any(|n| n.contains("Rounding and suppression:"))
            );
            assert!(!DfeClaReader.accepts(&source_file(&raw_rel(file))));
        }
    }

    const HEADER: &str = "New_geog_code,geog_l,geog_c,geog_n,CLA_Mar2017,CLA_UASC\n";
    const GOOD: &str =
        "E92000001,NATIONAL,999,ENGLAND,72670,4560\nE12000005,REGION,E,WEST MIDLANDS,9500,490\n";

    fn bad(rows: &str) -> String {
        let text = format!("{HEADER}{GOOD}{rows}");
        read_error(
            &DfeClaReader,
            &raw_rel("SFR50_CLA2017.csv"),
            text.as_bytes(),
        )
    }

    fn assert_names(err: &str, row: u64, column: &str) {
        assert_names_place(err, "SFR50_CLA2017.csv", row, column);
    }

    #[test]
    fn bad_input_names_file_row_and_column() {
        assert_names(
            &bad("E08000025,LA,330,Birmingham,1900,many\n"),
            4,
            "CLA_UASC",
        );
        assert_names(
            &bad("E08000025,LA,330,Birmingham,#VALUE!,119\n"),
            4,
            "CLA_Mar2017",
        );
        assert_names(
            &bad("E0800002,LA,330,Birmingham,1900,119\n"),
            4,
            "New_geog_code",
        );
        assert_names(&bad("E08000025,LA,330,Birmingham,1900\n"), 4, "CLA_UASC");
        assert_names(&bad("E08000025,LA,330,Birmingham,1900,\n"), 4, "CLA_UASC");
        assert_names(
            &bad("E08000025,LA,330,Birmingham,-3,119\n"),
            4,
            "CLA_Mar2017",
        );
        assert_names(&bad("E08000025,LA,330,Birmingham,1900,..\n"), 4, "CLA_UASC");
        assert_names(
            &bad("E08000025,DISTRICT,330,Birmingham,1900,119\n"),
            4,
            "geog_l",
        );
        assert_names(
            &bad("E12000005,LA,330,Birmingham,1900,119\n"),
            4,
            "New_geog_code",
        );
        let text = format!("{HEADER}E92000001,NATIONAL,999,ENGLAND,72670,x\n");
        let err = read_error(
            &DfeClaReader,
            &raw_rel("SFR50_CLA2017.csv"),
            text.as_bytes(),
        );
        assert_names(&err, 2, "CLA_UASC");
        let text = "New_geog_code,geog_l,geog_c,geog_n,CLA_Mar2017\nE92000001,NATIONAL,999,ENGLAND,72670\n";
        let err = read_error(
            &DfeClaReader,
            &raw_rel("SFR50_CLA2017.csv"),
            text.as_bytes(),
        );
        assert!(
            err.contains("SFR50_CLA2017.csv") && err.contains("\"CLA_UASC\" is missing"),
            "{err}"
        );
        // The year comes from the file name: a 2016 column in a 2017 file is missing.
        let err = read_error(
            &DfeClaReader,
            &raw_rel("SFR50_CLA2017.csv"),
            HEADER.replace("2017", "2016").as_bytes(),
        );
        assert!(err.contains("\"CLA_Mar2017\" is missing"), "{err}");
    }

    #[test]
    fn bom_blank_and_footer_rows_and_bounds_on_small_input() {
        let text = format!(
            "\u{feff}{HEADER}{GOOD}E08000025,LA,330,Birmingham,1900,119\nE08000029,LA,334,Solihull,500,x\n,,,,,\n,,,Source: SSDA903,,\n"
        );
        let out = read_bytes_as(
            &DfeClaReader,
            &raw_rel("SFR50_CLA2017.csv"),
            text.as_bytes(),
        )
        .unwrap();
        out.audit.check_rows().unwrap();
        assert_eq!(
            (
                out.audit.rows_read,
                out.audit.rows_used,
                out.audit.rows_rejected
            ),
            (6, 4, 2)
        );
        let solihull = out
            .observations
            .observations
            .iter()
            .find(|o| o.area_code.as_str() == "E08000029" && o.measure == UASC_MEASURE)
            .unwrap();
        // West Midlands 490 allows at most 494; Birmingham's 119 leaves 375.
        assert_eq!((solihull.value, solihull.interval.upper), (None, 375.0));
        assert_eq!(
            out.observations.observations[0].area_code.as_str(),
            "E92000001"
        );
    }
}
