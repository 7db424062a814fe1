//! DWP National Insurance number (NINo) registrations to adult overseas nationals, by local
//! authority and calendar year, 2002–2025 (Stat-Xplore extract, third-party aggregation).
//!
//! - **Publisher** of the underlying statistic: Department for Work and Pensions, Stat-Xplore
//!   database "Ninos"; **licence** Open Government Licence v3.0. The files are *not* an official
//!   DWP table: the `tompickup23/ukdemographics` project queried the LA × nationality × quarter
//!   cube and added up the four quarters of each calendar year (file `nino-historical.json`,
//!   `lastUpdated` 2026-04-29, used here as the release date). See the two folders'
//!   `PROVENANCE.md`.
//! - **Periods**: calendar years 2002–2025 (January–December registration year, not DWP's
//!   financial years). Registrations are a flow: [`Period::CalendarYear`], [`MeasureKind::Flow`].
//! - **Disclosure control**: Stat-Xplore perturbs small cells; the yearly values are sums of many
//!   nationality × quarter cells, so small area values (0s, single digits) are approximate. They
//!   are not rounded, so they are emitted as [`Status::Published`] with exact intervals; every
//!   file's audit carries a note saying so.
//!
//! Files and readers:
//!
//! | file | reader | emits |
//! |---|---|---|
//! | `nino-registrations-statxplore-uk-la-calendar-year/nino_registrations_uk_la_calendar_year_<first>_<last>.csv` | [`NinoLaReader`] | `nino_registrations` per area and year |
//! | `.../national_top_nationalities_by_year.csv` | [`NinoNationalityReader`] | `nino_registrations` and `nino_registrations_share` (%) at K02000001 by nationality |
//! | `nino-registrations-statxplore-wm-calendar-year/nino_registrations_wm_la_calendar_year_<first>_<last>.csv` | [`NinoWmCheckReader`] | nothing: a subset of the UK file, every row cross-checked against it |
//! | `.../nino_registrations_uk_totals_calendar_year_<first>_<last>.csv` | [`NinoTotalsCheckReader`] | nothing: published totals, checked against the UK file per year |
//!
//! Columns of the LA files: `la_code` (2023 LAD codes as returned by Stat-Xplore, including the
//! pseudo-areas `ZZXXXXXXX` "Unknown" address and `XXZZZZZZZ` "Abroad", which become
//! [`GeographyLevel::Pseudo`]), `la_name` (as given; Welsh areas carry bilingual names such as
//! "Isle of Anglesey / Ynys Môn"), `calendar_year`, `nino_registrations`. The nationality file has
//! `calendar_year, rank, nationality, count, share_pct`; `rank` is validated but not emitted, the
//! nationality is kept as published in `group` (classification into country groups happens later,
//! not here), and `share_pct` (rounded to 1 decimal place by the source) becomes a
//! [`Status::Rounded`] percentage with the interval ±0.05.
//!
//! The West Midlands folder holds a transcription made before the whole file was available: its
//! 720 LA rows are identical to rows of the UK file, and its totals file carries the UK file's
//! per-year sum and its two pseudo-area series. Emitting either would double count, so both are
//! read only to check the UK file (their rows are audited as used for the check, with no
//! observations); a mismatch is an error naming the file, row, column and area.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use migkit_core::{
    AreaCode, AreaCodeKind, Error, GeographyLevel, Interval, Location, MeasureKind, Observation,
    Period, Result, Status, Unit,
};

use crate::audit::{FileAudit, TotalCheck};
use crate::cell::{Cell, parse_count, parse_number};
use crate::source::{ReadContext, ReadOutput, Reader, ReleaseMeta, SourceFile};
use crate::table::{CsvTable, is_blank};

/// Folder of the whole-UK extract.
const UK_FOLDER: &str = "nino-registrations-statxplore-uk-la-calendar-year";
/// Folder of the earlier West Midlands transcription.
const WM_FOLDER: &str = "nino-registrations-statxplore-wm-calendar-year";
const UK_LA_PREFIX: &str = "nino_registrations_uk_la_calendar_year_";
const WM_LA_PREFIX: &str = "nino_registrations_wm_la_calendar_year_";
const UK_TOTALS_PREFIX: &str = "nino_registrations_uk_totals_calendar_year_";
const NATIONALITY_FILE: &str = "national_top_nationalities_by_year.csv";

/// The measure of every count in these files.
pub const MEASURE: &str = "nino_registrations";
/// The measure of the nationality shares (percent of the UK total for the year).
pub const SHARE_MEASURE: &str = "nino_registrations_share";
/// Geography vintage of the codes Stat-Xplore returns.
pub const VINTAGE: &str = "2023";

const PUBLISHER: &str = "Department for Work and Pensions (Stat-Xplore), calendar-year aggregation by tompickup23/ukdemographics";
const LICENCE: &str = "Open Government Licence v3.0";
const RELEASE_DATE: &str = "2026-04-29";
const DISCLOSURE_NOTE: &str = "Stat-Xplore applies DWP statistical disclosure control to its cells and these yearly values are sums of nationality x quarter cells: small values (0s, single digits) are approximate; values are not rounded, so they are kept as published";

/// The readers of this module.
pub fn readers() -> Vec<Box<dyn Reader>> {
    vec![
        Box::new(NinoLaReader),
        Box::new(NinoNationalityReader),
        Box::new(NinoWmCheckReader),
        Box::new(NinoTotalsCheckReader),
    ]
}

/// `<prefix><first>_<last>.csv` → `(first, last)`.
fn year_range(file_name: &str, prefix: &str) -> Option<(i32, i32)> {
    let rest = file_name.strip_prefix(prefix)?.strip_suffix(".csv")?;
    let (a, b) = rest.split_once('_')?;
    let (a, b) = (a.parse().ok()?, b.parse().ok()?);
    (a <= b).then_some((a, b))
}

/// The year range of a file named `<prefix><first>_<last>.csv`, or an error naming the file.
fn file_year_range(file: &SourceFile, prefix: &str) -> Result<(i32, i32)> {
    year_range(file.file_name(), prefix).ok_or_else(|| {
        Error::input(
            Location::file(&file.path),
            format!("file name does not end in {prefix}<first>_<last>.csv"),
        )
    })
}

fn range_or_default(file: &SourceFile, prefix: &str) -> (i32, i32) {
    year_range(file.file_name(), prefix).unwrap_or((0, 0))
}

fn release_meta(id: String, table: &str, title: &str, periods: String) -> ReleaseMeta {
    ReleaseMeta {
        id,
        table: table.to_string(),
        publisher: PUBLISHER.to_string(),
        title: title.to_string(),
        release_date: RELEASE_DATE.to_string(),
        periods,
        licence: LICENCE.to_string(),
    }
}

/// One validated row of an LA × calendar-year file.
#[derive(Debug, Clone)]
struct LaRow {
    row: u64,
    code: AreaCode,
    published_code: String,
    name: String,
    level: GeographyLevel,
    year: i32,
    value: f64,
}

/// The level of an LA-file code: pseudo-area or lower-tier LA; anything else is an error.
fn la_level(code: &AreaCode) -> Option<GeographyLevel> {
    if code.kind() == AreaCodeKind::Pseudo {
        Some(GeographyLevel::Pseudo)
    } else if code.is_lower_tier() {
        Some(GeographyLevel::Lad)
    } else {
        None
    }
}

/// Parses a year cell that must fall within the file's range.
fn parse_year(
    table: &CsvTable,
    row: u64,
    col: usize,
    text: &str,
    range: (i32, i32),
) -> Result<i32> {
    let year: i32 = text.trim().parse().map_err(|_| {
        Error::input(
            table.at(row, col),
            format!("{:?} is not a calendar year", text.trim()),
        )
    })?;
    if year < range.0 || year > range.1 {
        return Err(Error::input(
            table.at(row, col),
            format!(
                "year {year} is outside the years {}–{} that the file name gives",
                range.0, range.1
            ),
        ));
    }
    Ok(year)
}

/// Parses a count cell that must hold a whole non-negative number (these extracts have no markers).
fn parse_plain_count(
    table: &CsvTable,
    row: u64,
    col: usize,
    text: &str,
    area: &str,
) -> Result<f64> {
    let at = || table.at(row, col).area(area);
    match parse_count(text, at)? {
        Cell::Number(v) => Ok(v),
        Cell::Blank => Err(Error::input(
            at(),
            "the count is empty; this extract has no missing cells",
        )),
        Cell::Marker(m) => Err(Error::input(
            at(),
            format!(
                "the count holds the marker {m:?}; this Stat-Xplore extract has no suppressed cells"
            ),
        )),
    }
}

/// Reads and validates every row of an LA × calendar-year file (UK or West Midlands).
///
/// Blank rows are rejected; bad rows are errors in strict mode, rejections otherwise. Returns the
/// valid rows in file order.
fn read_la_rows(
    table: &CsvTable,
    range: (i32, i32),
    audit: &mut FileAudit,
    strict: bool,
) -> Result<Vec<LaRow>> {
    let [c_code, c_name, c_year, c_value] =
        table.columns(["la_code", "la_name", "calendar_year", "nino_registrations"])?;
    let mut rows = Vec::with_capacity(table.rows.len());
    let mut seen: HashMap<(AreaCode, i32), u64> = HashMap::with_capacity(table.rows.len());
    for (row, fields) in &table.rows {
        let row = *row;
        if is_blank(fields) {
            audit.reject(row, "blank row");
            continue;
        }
        let parsed = (|| -> Result<LaRow> {
            let published_code = fields[c_code].trim().to_string();
            let code = AreaCode::new(&published_code)
                .map_err(|e| Error::input(table.at(row, c_code), e.to_string()))?;
            let level = la_level(&code).ok_or_else(|| {
                Error::input(
                    table.at(row, c_code).area(code.as_str()),
                    format!(
                        "{code} is not a local authority district or a Stat-Xplore pseudo-area (ZZXXXXXXX, XXZZZZZZZ)"
                    ),
                )
            })?;
            let name = fields[c_name].trim().to_string();
            if name.is_empty() {
                return Err(Error::input(
                    table.at(row, c_name).area(code.as_str()),
                    "the area name is empty",
                ));
            }
            let year = parse_year(table, row, c_year, &fields[c_year], range)?;
            let value = parse_plain_count(table, row, c_value, &fields[c_value], code.as_str())?;
            if let Some(first) = seen.insert((code, year), row) {
                return Err(Error::input(
                    table.at(row, c_code).area(code.as_str()),
                    format!(
                        "a second row for {code} in {year} (the first is row {first}); it would be counted twice"
                    ),
                ));
            }
            Ok(LaRow {
                row,
                code,
                published_code,
                name,
                level,
                year,
                value,
            })
        })();
        match parsed {
            Ok(r) => rows.push(r),
            Err(e) => audit.reject_or_fail(strict, row, e)?,
        }
    }
    Ok(rows)
}

/// The UK LA file's rows by (code, year), for the cross-check readers.
struct UkIndex {
    path: PathBuf,
    rows: HashMap<(AreaCode, i32), LaRow>,
    sum_by_year: BTreeMap<i32, f64>,
}

/// Reads the UK LA file covering `range` from the data folder.
fn load_uk_index(data_dir: &Path, range: (i32, i32), for_file: &str) -> Result<UkIndex> {
    let path = data_dir
        .join(UK_FOLDER)
        .join(format!("{UK_LA_PREFIX}{}_{}.csv", range.0, range.1));
    if !path.is_file() {
        return Err(Error::input(
            Location::file(&path),
            format!(
                "{for_file} is checked against this file (it repeats part of it), but the file is not in the data folder; \
                 add the UK LA extract or remove {for_file}"
            ),
        ));
    }
    let table = CsvTable::open(&path)?;
    let mut scratch = FileAudit::new(path.display().to_string(), b"", NinoLaReader.id(), "");
    let rows = read_la_rows(&table, range, &mut scratch, true)?;
    let mut sum_by_year = BTreeMap::new();
    for r in &rows {
        *sum_by_year.entry(r.year).or_insert(0.0) += r.value;
    }
    Ok(UkIndex {
        path,
        rows: rows.into_iter().map(|r| ((r.code, r.year), r)).collect(),
        sum_by_year,
    })
}

/// Reads `nino_registrations_uk_la_calendar_year_<first>_<last>.csv`: every UK LAD and the two
/// pseudo-areas, one row per area and calendar year, into `nino_registrations` observations.
#[derive(Debug, Clone, Copy, Default)]
pub struct NinoLaReader;

impl Reader for NinoLaReader {
    fn id(&self) -> &'static str {
        "dwp_nino"
    }

    fn accepts(&self, file: &SourceFile) -> bool {
        file.folder() == UK_FOLDER && year_range(file.file_name(), UK_LA_PREFIX).is_some()
    }

    fn release(&self, file: &SourceFile) -> ReleaseMeta {
        let (a, b) = range_or_default(file, UK_LA_PREFIX);
        release_meta(
            format!("nino_la_cy_{a}_{b}"),
            "dwp_nino_la_calendar_year",
            "NINo registrations to adult overseas nationals entering the UK, by local authority, calendar years (Stat-Xplore extract)",
            format!("calendar years {a} to {b}"),
        )
    }

    fn read(&self, file: &SourceFile, ctx: &ReadContext<'_>) -> Result<ReadOutput> {
        let range = file_year_range(file, UK_LA_PREFIX)?;
        let release = self.release(file).id;
        let table = CsvTable::open(&file.path)?;
        let mut audit = FileAudit::new(&file.relative, &table.bytes, self.id(), &release);
        let rows = read_la_rows(&table, range, &mut audit, ctx.options.strict)?;
        let mut observations = Vec::with_capacity(rows.len());
        let mut read_total = 0.0;
        for r in rows {
            read_total += r.value;
            let mut o = Observation::count(
                r.row,
                r.code,
                r.name,
                r.level,
                VINTAGE,
                Period::CalendarYear(r.year),
                MEASURE,
                MeasureKind::Flow,
                r.value,
            );
            o.area_code_published = r.published_code;
            observations.push(o);
            audit.used();
        }
        let emitted: f64 = observations.iter().filter_map(|o| o.value).sum();
        audit.total(TotalCheck::exact(MEASURE, read_total, emitted));
        audit.note(DISCLOSURE_NOTE);
        audit.note(
            "the file has no total rows of its own; its per-year sums are checked against the published totals file \
             in nino-registrations-statxplore-wm-calendar-year by reader dwp_nino_totals_check",
        );
        Ok(ReadOutput::new(
            self.id(),
            release,
            file,
            observations,
            audit,
        ))
    }
}

/// Reads `national_top_nationalities_by_year.csv`: the top nationalities of UK registrations
/// (2025 only, ranks 1–15) at K02000001, as `nino_registrations` and `nino_registrations_share`.
#[derive(Debug, Clone, Copy, Default)]
pub struct NinoNationalityReader;

/// The UK, where the nationality breakdown is published.
const UK_CODE: &str = "K02000001";

impl Reader for NinoNationalityReader {
    fn id(&self) -> &'static str {
        "dwp_nino_nationality"
    }

    fn accepts(&self, file: &SourceFile) -> bool {
        file.folder() == UK_FOLDER && file.file_name() == NATIONALITY_FILE
    }

    fn release(&self, _file: &SourceFile) -> ReleaseMeta {
        release_meta(
            "nino_top_nationalities_cy".to_string(),
            "dwp_nino_top_nationalities",
            "NINo registrations to adult overseas nationals entering the UK: top nationalities, UK, calendar year (Stat-Xplore extract)",
            "calendar year 2025".to_string(),
        )
    }

    fn read(&self, file: &SourceFile, ctx: &ReadContext<'_>) -> Result<ReadOutput> {
        let release = self.release(file).id;
        let table = CsvTable::open(&file.path)?;
        let mut audit = FileAudit::new(&file.relative, &table.bytes, self.id(), &release);
        let [c_year, c_rank, c_nat, c_count, c_share] =
            table.columns(["calendar_year", "rank", "nationality", "count", "share_pct"])?;
        let uk = AreaCode::new(UK_CODE)?;
        let mut observations = Vec::with_capacity(2 * table.rows.len());
        let mut seen: HashMap<(i32, String), u64> = HashMap::new();
        // Per year: the all-nationality total implied by count ÷ share (an interval, from the rounding).
        let mut implied: BTreeMap<i32, (f64, f64)> = BTreeMap::new();
        let (mut count_total, mut share_total, mut shares) = (0.0, 0.0, 0u32);
        for (row, fields) in &table.rows {
            let row = *row;
            if is_blank(fields) {
                audit.reject(row, "blank row");
                continue;
            }
            let parsed = (|| -> Result<(i32, String, f64, f64)> {
                let year = parse_year(&table, row, c_year, &fields[c_year], (1990, 2100))?;
                let rank = fields[c_rank].trim();
                if !rank.parse::<u32>().is_ok_and(|r| r >= 1) {
                    return Err(Error::input(
                        table.at(row, c_rank),
                        format!("rank {rank:?} is not a whole number ≥ 1"),
                    ));
                }
                let nationality = fields[c_nat].trim().to_string();
                if nationality.is_empty() {
                    return Err(Error::input(
                        table.at(row, c_nat),
                        "the nationality is empty",
                    ));
                }
                let count = parse_plain_count(&table, row, c_count, &fields[c_count], UK_CODE)?;
                let share = parse_number(&fields[c_share], || table.at(row, c_share))?;
                if !(0.0..=100.0).contains(&share) {
                    return Err(Error::input(
                        table.at(row, c_share),
                        format!("share {share} is not a percentage (0 to 100)"),
                    ));
                }
                if let Some(first) = seen.insert((year, nationality.clone()), row) {
                    return Err(Error::input(
                        table.at(row, c_nat),
                        format!("{nationality:?} appears twice for {year} (first at row {first})"),
                    ));
                }
                Ok((year, nationality, count, share))
            })();
            let (year, nationality, count, share) = match parsed {
                Ok(p) => p,
                Err(e) => {
                    audit.reject_or_fail(ctx.options.strict, row, e)?;
                    continue;
                }
            };
            let base = Observation::count(
                row,
                uk,
                "United Kingdom",
                GeographyLevel::Country,
                VINTAGE,
                Period::CalendarYear(year),
                MEASURE,
                MeasureKind::Flow,
                count,
            )
            .with_group(nationality);
            let mut pct = base.clone();
            pct.measure = SHARE_MEASURE.to_string();
            pct.unit = Unit::Percent;
            pct.value = Some(share);
            pct.status = Status::Rounded;
            pct.interval = Interval {
                lower: (share - 0.05).max(0.0),
                upper: (share + 0.05).min(100.0),
            };
            observations.push(base);
            observations.push(pct);
            audit.used();
            count_total += count;
            share_total += share;
            shares += 1;
            if share > 0.05 {
                let (lo, hi) = (
                    count * 100.0 / (share + 0.05),
                    count * 100.0 / (share - 0.05),
                );
                let e = implied.entry(year).or_insert((f64::MIN, f64::MAX));
                *e = (e.0.max(lo), e.1.min(hi));
            }
        }
        let emitted = |m: &str| {
            observations
                .iter()
                .filter(|o| o.measure == m)
                .filter_map(|o| o.value)
                .sum::<f64>()
        };
        audit.total(TotalCheck::exact(MEASURE, count_total, emitted(MEASURE)));
        let half = 0.05 * f64::from(shares);
        audit.total(TotalCheck::within(
            SHARE_MEASURE,
            share_total,
            emitted(SHARE_MEASURE),
            0.0,
            share_total - half,
            share_total + half,
        ));
        for (year, (lo, hi)) in implied {
            if lo <= hi {
                audit.note(format!(
                    "{year}: count ÷ share_pct implies an all-nationality UK total between {} and {} \
                     (the shares are consistent with one total)",
                    lo.ceil(),
                    hi.floor()
                ));
            } else {
                audit.note(format!(
                    "{year}: the published shares are not consistent with a single UK total (count ÷ share_pct ranges do not overlap)"
                ));
            }
        }
        audit.note(
            "nationalities are kept as published in `group`; only the top 15 are published, so they do not add up to the UK total",
        );
        audit.note(DISCLOSURE_NOTE);
        Ok(ReadOutput::new(
            self.id(),
            release,
            file,
            observations,
            audit,
        ))
    }
}

/// Accepts `nino_registrations_wm_la_calendar_year_<first>_<last>.csv`, a subset of the UK LA file,
/// and checks every row against the UK file in the data folder. Emits nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NinoWmCheckReader;

impl Reader for NinoWmCheckReader {
    fn id(&self) -> &'static str {
        "dwp_nino_wm_check"
    }

    fn accepts(&self, file: &SourceFile) -> bool {
        file.folder() == WM_FOLDER && year_range(file.file_name(), WM_LA_PREFIX).is_some()
    }

    fn release(&self, file: &SourceFile) -> ReleaseMeta {
        let (a, b) = range_or_default(file, WM_LA_PREFIX);
        release_meta(
            format!("nino_wm_la_cy_{a}_{b}"),
            "dwp_nino_wm_la_calendar_year",
            "NINo registrations to adult overseas nationals, West Midlands local authorities, calendar years (transcribed subset of the Stat-Xplore extract)",
            format!("calendar years {a} to {b}"),
        )
    }

    fn read(&self, file: &SourceFile, ctx: &ReadContext<'_>) -> Result<ReadOutput> {
        let range = file_year_range(file, WM_LA_PREFIX)?;
        let release = self.release(file).id;
        let table = CsvTable::open(&file.path)?;
        let mut audit = FileAudit::new(&file.relative, &table.bytes, self.id(), &release);
        // Validate this file first, so that its own errors are reported even without the UK file.
        let rows = read_la_rows(&table, range, &mut audit, ctx.options.strict)?;
        let uk = load_uk_index(ctx.data_dir, range, file.file_name())?;
        let [c_code, c_name, _, c_value] =
            table.columns(["la_code", "la_name", "calendar_year", "nino_registrations"])?;
        let uk_name = uk
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for r in rows {
            let mismatch = |col: usize, what: String| {
                Error::input(
                    table.at(r.row, col).area(r.code.as_str()),
                    format!("{what}; this file should repeat {uk_name} exactly"),
                )
            };
            let checked = match uk.rows.get(&(r.code, r.year)) {
                None => Err(mismatch(
                    c_code,
                    format!("{} {} is not in {uk_name}", r.code, r.year),
                )),
                Some(u) if u.name != r.name => Err(mismatch(
                    c_name,
                    format!(
                        "name {:?} differs from {:?} in {uk_name} row {}",
                        r.name, u.name, u.row
                    ),
                )),
                Some(u) if u.value != r.value => Err(mismatch(
                    c_value,
                    format!(
                        "{} in {} is {} here but {} in {uk_name} row {}",
                        r.code, r.year, r.value, u.value, u.row
                    ),
                )),
                Some(_) => Ok(()),
            };
            match checked {
                Ok(()) => audit.used(),
                Err(e) => audit.reject_or_fail(ctx.options.strict, r.row, e)?,
            }
        }
        audit.note(format!(
            "subset of {UK_FOLDER}/{uk_name}: every row was cross-checked against it (code, name, year, value) and \
             is counted as used for the check; no observations are emitted, so nothing is counted twice"
        ));
        Ok(ReadOutput::new(self.id(), release, file, Vec::new(), audit))
    }
}

/// Accepts `nino_registrations_uk_totals_calendar_year_<first>_<last>.csv` (the per-year sum over
/// all areas and the two pseudo-area series) and checks the UK LA file against it. Emits nothing.
///
/// The sum series becomes one [`TotalCheck`] per year (published sum vs the UK LA file's sum of
/// that year); the `unknown_address` and `abroad_address` rows must equal the UK file's pseudo-area
/// rows. The totals are not emitted as observations: the UK file already carries every area, so a
/// UK total would be counted twice by anyone who adds areas up.
#[derive(Debug, Clone, Copy, Default)]
pub struct NinoTotalsCheckReader;

const SUM_SERIES: &str = "sum_of_all_areas_in_source_file";
const SERIES: &[(&str, &str)] = &[
    (SUM_SERIES, ""),
    ("unknown_address", "ZZXXXXXXX"),
    ("abroad_address", "XXZZZZZZZ"),
];

impl Reader for NinoTotalsCheckReader {
    fn id(&self) -> &'static str {
        "dwp_nino_totals_check"
    }

    fn accepts(&self, file: &SourceFile) -> bool {
        file.folder() == WM_FOLDER && year_range(file.file_name(), UK_TOTALS_PREFIX).is_some()
    }

    fn release(&self, file: &SourceFile) -> ReleaseMeta {
        let (a, b) = range_or_default(file, UK_TOTALS_PREFIX);
        release_meta(
            format!("nino_uk_totals_cy_{a}_{b}"),
            "dwp_nino_uk_totals_calendar_year",
            "NINo registrations to adult overseas nationals: sum of all areas, unknown and abroad addresses, calendar years (Stat-Xplore extract)",
            format!("calendar years {a} to {b}"),
        )
    }

    fn read(&self, file: &SourceFile, ctx: &ReadContext<'_>) -> Result<ReadOutput> {
        let range = file_year_range(file, UK_TOTALS_PREFIX)?;
        let release = self.release(file).id;
        let table = CsvTable::open(&file.path)?;
        let mut audit = FileAudit::new(&file.relative, &table.bytes, self.id(), &release);
        let [c_series, c_code, c_year, c_value] =
            table.columns(["series", "code", "calendar_year", "nino_registrations"])?;
        struct TotalRow {
            row: u64,
            series: &'static str,
            code: Option<AreaCode>,
            year: i32,
            value: f64,
        }
        let mut parsed_rows = Vec::with_capacity(table.rows.len());
        let mut seen: HashMap<(&str, i32), u64> = HashMap::new();
        for (row, fields) in &table.rows {
            let row = *row;
            if is_blank(fields) {
                audit.reject(row, "blank row");
                continue;
            }
            let parsed = (|| -> Result<TotalRow> {
                let text = fields[c_series].trim();
                let &(series, expected) =
                    SERIES.iter().find(|(s, _)| *s == text).ok_or_else(|| {
                        Error::input(
                            table.at(row, c_series),
                            format!(
                                "unknown series {text:?}; expected one of {}",
                                SERIES
                                    .iter()
                                    .map(|(s, _)| *s)
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        )
                    })?;
                let code_text = fields[c_code].trim();
                let code = if code_text.is_empty() {
                    None
                } else {
                    Some(
                        AreaCode::new(code_text)
                            .map_err(|e| Error::input(table.at(row, c_code), e.to_string()))?,
                    )
                };
                if code.map(|c| c.to_string()).unwrap_or_default() != expected {
                    return Err(Error::input(
                        table.at(row, c_code),
                        format!(
                            "series {series} should have code {expected:?}, found {code_text:?}"
                        ),
                    ));
                }
                let year = parse_year(&table, row, c_year, &fields[c_year], range)?;
                let value = parse_plain_count(&table, row, c_value, &fields[c_value], code_text)?;
                if let Some(first) = seen.insert((series, year), row) {
                    return Err(Error::input(
                        table.at(row, c_year),
                        format!("a second {series} row for {year} (the first is row {first})"),
                    ));
                }
                Ok(TotalRow {
                    row,
                    series,
                    code,
                    year,
                    value,
                })
            })();
            match parsed {
                Ok(t) => parsed_rows.push(t),
                Err(e) => audit.reject_or_fail(ctx.options.strict, row, e)?,
            }
        }
        let uk = load_uk_index(ctx.data_dir, range, file.file_name())?;
        let uk_name = uk
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for t in parsed_rows {
            let checked = match t.code {
                None => {
                    let sum = uk.sum_by_year.get(&t.year).copied().unwrap_or(0.0);
                    audit.total(TotalCheck::exact(
                        format!(
                            "{MEASURE} {}: sum of all areas in {uk_name} vs published {SUM_SERIES}",
                            t.year
                        ),
                        t.value,
                        sum,
                    ));
                    Ok(())
                }
                Some(code) => match uk.rows.get(&(code, t.year)) {
                    Some(u) if u.value == t.value => Ok(()),
                    found => Err(Error::input(
                        table.at(t.row, c_value).area(code.as_str()),
                        match found {
                            Some(u) => format!(
                                "{} {} for {} is {} here but {} in {uk_name} row {}",
                                t.series, t.year, code, t.value, u.value, u.row
                            ),
                            None => format!("{code} {} is not in {uk_name}", t.year),
                        },
                    )),
                },
            };
            match checked {
                Ok(()) => audit.used(),
                Err(e) => audit.reject_or_fail(ctx.options.strict, t.row, e)?,
            }
        }
        audit.note(format!(
            "published totals used only to check {UK_FOLDER}/{uk_name}: the {SUM_SERIES} series against that file's \
             sum per year (one total check per year), the unknown_address and abroad_address series against its \
             ZZXXXXXXX and XXZZZZZZZ rows; every row is counted as used for the checks and no observations are \
             emitted, so nothing is counted twice"
        ));
        Ok(ReadOutput::new(self.id(), release, file, Vec::new(), audit))
    }
}

#[cfg(test)]
mod tests {
    use migkit_core::ObservationSet;

    use super::*;
    use crate::source::ReadOptions;
    use crate::testing::{
        WEST_MIDLANDS_LADS, assert_names_place, bridge, data_dir, read_bytes_as, read_checked,
        read_error,
    };

    const UK_FILE: &str = "nino-registrations-statxplore-uk-la-calendar-year/nino_registrations_uk_la_calendar_year_2002_2025.csv";
    const NAT_FILE: &str =
        "nino-registrations-statxplore-uk-la-calendar-year/national_top_nationalities_by_year.csv";
    const WM_FILE: &str = "nino-registrations-statxplore-wm-calendar-year/nino_registrations_wm_la_calendar_year_2002_2025.csv";
    const TOTALS_FILE: &str = "nino-registrations-statxplore-wm-calendar-year/nino_registrations_uk_totals_calendar_year_2002_2025.csv";

    fn value(set: &ObservationSet, code: &str, year: i32) -> f64 {
        let found: Vec<_> = set
            .observations
            .iter()
            .filter(|o| o.area_code.as_str() == code && o.period == Period::CalendarYear(year))
            .collect();
        assert_eq!(found.len(), 1, "{code} {year}");
        found[0].value.unwrap()
    }

    fn sum_where(set: &ObservationSet, year: Option<i32>, keep: impl Fn(&str) -> bool) -> f64 {
        set.observations
            .iter()
            .filter(|o| {
                year.is_none_or(|y| o.period == Period::CalendarYear(y))
                    && keep(o.area_code.as_str())
            })
            .map(|o| o.value.unwrap())
            .sum()
    }

    #[test]
    fn uk_file_reads_whole_with_real_figures() {
        let out = read_checked(&NinoLaReader, UK_FILE);
        let set = &out.observations;
        assert_eq!(set.observations.len(), 363 * 24);
        assert_eq!(out.audit.rows_read, 8712);
        assert_eq!(out.audit.rows_used, 8712);
        assert_eq!(set.release, "nino_la_cy_2002_2025");
        for (year, v) in [
            (2002, 7306.0),
            (2005, 10155.0),
            (2007, 14404.0),
            (2015, 18077.0),
            (2022, 30888.0),
            (2023, 35112.0),
            (2025, 20232.0),
        ] {
            assert_eq!(value(set, "E08000025", year), v, "Birmingham {year}");
        }
        assert_eq!(sum_where(set, None, |c| c == "E08000025"), 365_005.0);
        assert_eq!(value(set, "E08000026", 2023), 16_680.0);
        let coventry_peak = (2002..=2025)
            .map(|y| (value(set, "E08000026", y) as i64, y))
            .max()
            .unwrap();
        assert_eq!(coventry_peak, (16_932, 2022));
        for (year, v) in [
            (2002, 277_911.0),
            (2007, 761_232.0),
            (2020, 293_368.0),
            (2023, 1_073_103.0),
            (2025, 569_659.0),
        ] {
            assert_eq!(sum_where(set, Some(year), |_| true), v, "all areas {year}");
        }
        assert_eq!(sum_where(set, None, |_| true), 14_942_983.0);
        let by_nation = |p: &str| sum_where(set, Some(2007), |c| c.starts_with(p));
        assert_eq!(by_nation("E"), 615_443.0);
        assert_eq!(by_nation("W"), 16_054.0);
        assert_eq!(by_nation("S"), 49_931.0);
        assert_eq!(by_nation("N"), 16_337.0);
        assert_eq!(by_nation("ZZXXXXXXX"), 54_871.0);
        assert_eq!(by_nation("XXZZZZZZZ"), 8_596.0);
        for (year, v) in [
            (2002, 16_677.0),
            (2007, 47_384.0),
            (2023, 103_964.0),
            (2025, 54_602.0),
        ] {
            assert_eq!(
                sum_where(set, Some(year), |c| WEST_MIDLANDS_LADS.contains(&c)),
                v,
                "West Midlands {year}"
            );
        }
        // Levels, vintage, names and kinds.
        let abroad = set
            .observations
            .iter()
            .find(|o| o.area_code.as_str() == "XXZZZZZZZ")
            .unwrap();
        assert_eq!(abroad.geography_level, GeographyLevel::Pseudo);
        assert_eq!(abroad.area_name, "Abroad");
        let anglesey = set
            .observations
            .iter()
            .find(|o| o.area_code.as_str() == "W06000001")
            .unwrap();
        assert_eq!(anglesey.area_name, "Isle of Anglesey / Ynys Môn");
        assert!(
            set.observations
                .iter()
                .all(|o| o.geography_vintage == "2023"
                    && o.measure == MEASURE
                    && o.measure_kind == MeasureKind::Flow
                    && o.status == Status::Published
                    && o.interval.is_exact())
        );
        assert_eq!(
            set.observations
                .iter()
                .filter(|o| o.geography_level == GeographyLevel::Lad)
                .count(),
            361 * 24
        );
        assert!(
            out.audit
                .notes
                .iter()
                .any(|n| n.contains("disclosure control"))
        );
    }

    #[test]
    fn nationalities_are_emitted_with_rounded_shares() {
        let out = read_checked(&NinoNationalityReader, NAT_FILE);
        let set = &out.observations;
        assert_eq!(set.observations.len(), 30);
        assert_eq!(out.audit.rows_used, 15);
        let india: Vec<_> = set
            .observations
            .iter()
            .filter(|o| o.group.as_deref() == Some("India"))
            .collect();
        assert_eq!(india.len(), 2);
        let count = india.iter().find(|o| o.measure == MEASURE).unwrap();
        assert_eq!(count.value, Some(129_772.0));
        assert_eq!(count.area_code.as_str(), "K02000001");
        assert_eq!(count.geography_level, GeographyLevel::Country);
        assert_eq!(count.period, Period::CalendarYear(2025));
        let share = india.iter().find(|o| o.measure == SHARE_MEASURE).unwrap();
        assert_eq!(
            (share.value, share.unit, share.status),
            (Some(22.8), Unit::Percent, Status::Rounded)
        );
        assert!(
            (share.interval.lower - 22.75).abs() < 1e-9
                && (share.interval.upper - 22.85).abs() < 1e-9
        );
        assert!(share.interval.contains(100.0 * 129_772.0 / 569_659.0));
        // The implied UK total agrees with the LA file's 2025 sum.
        let uk = read_checked(&NinoLaReader, UK_FILE);
        let total_2025 = sum_where(&uk.observations, Some(2025), |_| true);
        let note = out
            .audit
            .notes
            .iter()
            .find(|n| n.starts_with("2025: count"))
            .unwrap();
        let nums: Vec<f64> = note
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| s.len() > 4)
            .map(|s| s.parse().unwrap())
            .collect();
        assert!(
            nums[0] <= total_2025 && total_2025 <= nums[1],
            "{note} vs {total_2025}"
        );
    }

    #[test]
    fn wm_file_is_checked_not_emitted() {
        let out = read_checked(&NinoWmCheckReader, WM_FILE);
        assert!(out.observations.observations.is_empty());
        assert_eq!(
            (
                out.audit.rows_read,
                out.audit.rows_used,
                out.audit.observations
            ),
            (720, 720, 0)
        );
        assert!(out.audit.notes.iter().any(|n| n.contains("cross-checked")));
    }

    #[test]
    fn totals_file_checks_every_year() {
        let out = read_checked(&NinoTotalsCheckReader, TOTALS_FILE);
        assert!(out.observations.observations.is_empty());
        assert_eq!((out.audit.rows_read, out.audit.rows_used), (72, 72));
        assert_eq!(out.audit.totals.len(), 24);
        assert!(
            out.audit
                .totals
                .iter()
                .all(|t| t.balanced && t.note.is_none())
        );
        let t2023 = out
            .audit
            .totals
            .iter()
            .find(|t| t.measure.contains(" 2023:"))
            .unwrap();
        assert_eq!((t2023.published, t2023.emitted), (1_073_103.0, 1_073_103.0));
    }

    /// Reads `bytes` as `relative` but with the real data folder, so cross-checks find the UK file.
    fn read_against_shared(
        reader: &dyn Reader,
        relative: &str,
        bytes: &[u8],
    ) -> Result<ReadOutput> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(relative.rsplit('/').next().unwrap());
        std::fs::write(&path, bytes).unwrap();
        let file = SourceFile {
            path,
            relative: relative.to_string(),
        };
        let data = data_dir();
        let ctx = ReadContext {
            bridge: bridge(),
            options: ReadOptions::default(),
            data_dir: &data,
        };
        reader.read(&file, &ctx)
    }

    /// A shared file's text with LF line ends (row numbers in these tests do not depend on how
    /// the CSV parser counts CRLF lines).
    fn shared_text(relative: &str) -> String {
        std::fs::read_to_string(data_dir().join(relative))
            .unwrap()
            .replace("\r\n", "\n")
    }

    #[test]
    fn wm_mismatch_names_file_row_column_and_area() {
        let text = shared_text(WM_FILE).replacen(
            "E08000025,Birmingham,2023,35112",
            "E08000025,Birmingham,2023,35113",
            1,
        );
        let err = read_against_shared(&NinoWmCheckReader, WM_FILE, text.as_bytes())
            .unwrap_err()
            .to_string();
        assert_names_place(&err, ".csv", 23, "nino_registrations");
        assert!(err.contains("E08000025") && err.contains("35112"), "{err}");
        let text =
            shared_text(WM_FILE).replacen("E08000025,Birmingham,2002", "E08000025,Brum,2002", 1);
        let err = read_against_shared(&NinoWmCheckReader, WM_FILE, text.as_bytes())
            .unwrap_err()
            .to_string();
        assert_names_place(&err, ".csv", 2, "la_name");
        // Without the UK file the cross-check cannot run: the error says which file is missing.
        let err = read_error(&NinoWmCheckReader, WM_FILE, shared_text(WM_FILE).as_bytes());
        assert!(
            err.contains(UK_LA_PREFIX) && err.contains("not in the data folder"),
            "{err}"
        );
    }

    #[test]
    fn totals_mismatch_is_unbalanced_or_an_error() {
        let text = shared_text(TOTALS_FILE).replacen(
            "sum_of_all_areas_in_source_file,,2002,277911",
            "sum_of_all_areas_in_source_file,,2002,277912",
            1,
        );
        let out =
            read_against_shared(&NinoTotalsCheckReader, TOTALS_FILE, text.as_bytes()).unwrap();
        let bad: Vec<_> = out.audit.totals.iter().filter(|t| !t.balanced).collect();
        assert_eq!(bad.len(), 1);
        assert!(bad[0].measure.contains("2002") && !out.audit.balances());
        let text =
            shared_text(TOTALS_FILE).replacen("ZZXXXXXXX,2023,8370", "ZZXXXXXXX,2023,8371", 1);
        let err = read_against_shared(&NinoTotalsCheckReader, TOTALS_FILE, text.as_bytes())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("ZZXXXXXXX") && err.contains("column \"nino_registrations\""),
            "{err}"
        );
    }

    const HEADER: &str = "la_code,la_name,calendar_year,nino_registrations\n";

    fn bad(body: &str) -> String {
        let text = format!("{HEADER}E08000025,Birmingham,2002,7306\n{body}");
        read_error(&NinoLaReader, UK_FILE, text.as_bytes())
    }

    #[test]
    fn bad_input_names_file_row_and_column() {
        let err = bad("E08000026,Coventry,2002,lots\n");
        assert_names_place(&err, ".csv", 3, "nino_registrations");
        let err = bad("E0800002X,Coventry,2002,12\n");
        assert_names_place(&err, ".csv", 3, "la_code");
        assert!(err.contains("E0800002X"), "{err}");
        let err = bad("E08000026,Coventry,2002\n");
        assert_names_place(&err, ".csv", 3, "nino_registrations");
        let err = bad("E08000026,Coventry,1999,12\n");
        assert_names_place(&err, ".csv", 3, "calendar_year");
        let err = bad("E12000005,West Midlands,2002,12\n");
        assert_names_place(&err, ".csv", 3, "la_code");
        let err = bad("E08000026,Coventry,2002,-4\n");
        assert_names_place(&err, ".csv", 3, "nino_registrations");
        let err = bad("E08000026,Coventry,2002,x\n");
        assert_names_place(&err, ".csv", 3, "nino_registrations");
        let err = bad("E08000025,Birmingham,2002,7306\n");
        assert!(
            err.contains("row 3") && err.contains("row 2") && err.contains("twice"),
            "{err}"
        );
        let text = "la_code,la_name,calendar_year,registrations\nE08000025,Birmingham,2002,7306\n";
        let err = read_error(&NinoLaReader, UK_FILE, text.as_bytes());
        assert!(
            err.contains(".csv") && err.contains("\"nino_registrations\" is missing"),
            "{err}"
        );
    }

    #[test]
    fn bom_and_lenient_mode() {
        let text = format!(
            "\u{feff}{HEADER}E08000025,Birmingham,2002,7306\n,,,\nE08000026,Coventry,2002,x\n"
        );
        let out = read_bytes_as(&NinoLaReader, UK_FILE, text.as_bytes())
            .map(|o| o.observations.observations.len());
        assert!(out.unwrap_err().to_string().contains("row 4"));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.csv");
        std::fs::write(&path, text.as_bytes()).unwrap();
        let file = SourceFile {
            path,
            relative: UK_FILE.to_string(),
        };
        let ctx = ReadContext {
            bridge: bridge(),
            options: ReadOptions { strict: false },
            data_dir: dir.path(),
        };
        let out = NinoLaReader.read(&file, &ctx).unwrap();
        assert_eq!(
            (
                out.audit.rows_read,
                out.audit.rows_used,
                out.audit.rows_rejected
            ),
            (3, 1, 2)
        );
        assert_eq!(
            out.observations.observations[0].area_code.as_str(),
            "E08000025"
        );
        assert!(
            out.audit.rejected[1]
                .reason
                .contains("column \"nino_registrations\"")
        );
    }

    #[test]
    fn nationality_bad_input() {
        let text = "calendar_year,rank,nationality,count,share_pct\n2025,1,India,129772,22.8\n2025,2,Pakistan,56201,nine\n";
        let err = read_error(&NinoNationalityReader, NAT_FILE, text.as_bytes());
        assert_names_place(&err, ".csv", 3, "share_pct");
        let text = "calendar_year,rank,nationality,count\n2025,1,India,129772\n";
        let err = read_error(&NinoNationalityReader, NAT_FILE, text.as_bytes());
        assert!(err.contains("\"share_pct\" is missing"), "{err}");
    }

    #[test]
    fn accepts_and_releases() {
        let f = |rel: &str| crate::testing::source_file(rel);
        assert!(NinoLaReader.accepts(&f(UK_FILE)) && !NinoLaReader.accepts(&f(WM_FILE)));
        assert!(
            NinoWmCheckReader.accepts(&f(WM_FILE)) && !NinoWmCheckReader.accepts(&f(TOTALS_FILE))
        );
        assert!(
            NinoTotalsCheckReader.accepts(&f(TOTALS_FILE))
                && NinoNationalityReader.accepts(&f(NAT_FILE))
        );
        let later = f(
            "nino-registrations-statxplore-uk-la-calendar-year/nino_registrations_uk_la_calendar_year_2002_2026.csv",
        );
        let (a, b) = (
            NinoLaReader.release(&f(UK_FILE)),
            NinoLaReader.release(&later),
        );
        assert_eq!(
            (a.table.as_str(), a.id.as_str()),
            (b.table.as_str(), "nino_la_cy_2002_2025")
        );
        assert_eq!(b.id, "nino_la_cy_2002_2026");
    }
}
