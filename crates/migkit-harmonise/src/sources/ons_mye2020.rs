//! ONS mid-year population estimates for the UK by local authority, mid-2020, read from the
//! published workbook.
//!
//! - Publisher: Office for National Statistics (ONS). Licence: Open Government Licence v3.0.
//! - Title: "Population estimates for the UK, England and Wales, Scotland and Northern Ireland:
//!   mid-2020" (released 25 June 2021), workbook `ukpopestimatesmid2020on2021geography.xls`, on
//!   April-2021 local authority boundaries (geography vintage `"2021"`, from the file name).
//! - Read directly with `calamine`: sheets "MYE2 - Persons", "MYE2 - Males", "MYE2 - Females"
//!   (Code, Name, Geography, All ages, 0..89, 90+: measure `population` at
//!   `Snapshot(30 June 2020)`, `sex` `"male"`/`"female"` or none, `age` `"0"`..`"89"`/`"90+"` or
//!   none for All ages), "MYE3" (components mid-2019 to mid-2020: flows over `MidYear(2020)`, see
//!   [`COMPONENTS`] for the measure names) and "MYE4" (`population` at 30 June of each year
//!   2001..2020). The table header is found by looking for the row whose first cells are
//!   `Code, Name, Geography` (row 8 as published); the seven rows above it are the title and
//!   feedback links, not data, and are not counted. Units: persons, unrounded.
//! - Not read: "Cover sheet", "Contents", "Notes", "Geography guide", "Related publications",
//!   "MYE1" (UK by age and sex, no local authorities), "MYE 5" (density), "MYE 6" (median age).
//! - Rows: UK, GB, England and Wales and the four countries (`Country`), English regions
//!   (`Region`), counties (`Utla`: they are upper-tier local authorities) and every local
//!   authority (`Lad`: unitary authorities, metropolitan and non-metropolitan districts, London
//!   boroughs, Scottish council areas, Northern Ireland districts). **Metropolitan counties** are
//!   statistical aggregates of their districts, not local authorities (the districts are the upper
//!   tier), so emitting them as `Utla` would double-count; their rows are rejected in the audit
//!   and used only to check that they equal the sum of their districts.
//! - No duplicates within the source: MYE4's Mid-2020 column repeats MYE2 "All ages" and MYE3's
//!   two population columns repeat MYE4 Mid-2019 and MYE2 "All ages"; those columns are not
//!   emitted, only checked to be identical.
//! - MYE3 "No data" cells (UK and GB internal migration in/out: moves within the UK are not
//!   migration into or out of it) are skipped, not zeros, and listed in an audit note.
//! - Scottish figures come from NRS: for MYE3 the council-area migration flows are rounded to the
//!   nearest 10 and Scotland's to the nearest 100. A migration column whose Scottish council-area
//!   values are all multiples of 10 (see [`scottish_flows_rounded`]) is emitted with
//!   `Status::Rounded` intervals for the Scottish rows; the accounting identities that fail by
//!   a few persons in those rows are reported as total checks with a note.
//! - Quirks: two codes and names in MYE4 (and names in other sheets) end with a non-breaking
//!   space (`E06000061\u{a0}`); the published code is kept in `area_code_published`, the parsed
//!   code and the trimmed name are used. MYE4's header " Mid-2006" has a leading space and MYE3's
//!   population headers a double space; headers are compared with whitespace collapsed.
//! - The five CSV files beside the workbook are verbatim exports of these sheets.
//!   [`MidYearCsvExportReader`] does not emit them (that would double-count); it checks every
//!   cell against the workbook and accounts for their rows.
//!
//! The parsed workbook is cached for the life of the process, keyed by path, size and
//! modification time, so the workbook reader and the five CSV checks parse it once however the
//! files are scheduled (parsing takes 5–20 ms in release mode with the file in the page cache,
//! about 0.1 s from a cold disk; the whole workbook read, 126,266 observations, about 0.1 s).

mod areas;
mod components;
mod exports;
mod grid;
mod mye2;
mod sheets;
mod table;
mod workbook;

use std::collections::BTreeMap;

use migkit_core::{Error, Location, ObservationSet, Result};

pub use areas::geography_level;
pub use components::{COMPONENTS, Component, scottish_flows_rounded};
pub(crate) use components::{
    INTERNAL_NET, INTERNATIONAL_NET, Kind, NATURAL, OTHER, RELATIONS, SCOTTISH_ROUNDING, june_30,
    rounded,
};
pub use exports::MidYearCsvExportReader;
pub(crate) use grid::{finish_check, measure_checks};
pub(crate) use mye2::{check_mye2, emit_mye2, parse_mye2};
use sheets::{check_sexes, read_mye3, read_mye4};
pub(crate) use table::{Table, Value};
use workbook::workbook;

use crate::audit::{FileAudit, read_bytes};
use crate::source::{ReadContext, ReadOutput, Reader, ReleaseMeta, SourceFile};

/// The readers of this module: the workbook and the cross-check of its CSV exports.
pub fn readers() -> Vec<Box<dyn Reader>> {
    vec![
        Box::new(MidYearWorkbookReader),
        Box::new(MidYearCsvExportReader),
    ]
}

/// The publisher, as written in release metadata.
const ONS: &str = "Office for National Statistics (ONS)";
/// The licence of every ONS release read here.
const OGL: &str = "Open Government Licence v3.0";

/// The metadata of an ONS mid-year estimates release (publisher [`ONS`], licence [`OGL`]).
pub(crate) fn mid_year_release(
    id: String,
    table: &str,
    title: String,
    release_date: String,
    periods: String,
) -> ReleaseMeta {
    ReleaseMeta {
        id,
        table: table.into(),
        publisher: ONS.into(),
        title,
        release_date,
        periods,
        licence: OGL.into(),
    }
}

/// When the UK estimates for mid-`year` were published: 25 June 2021 for mid-2020, otherwise
/// (not known exactly) the following year.
pub(crate) fn uk_release_date(year: i32) -> String {
    if year == 2020 {
        "2021-06-25".into()
    } else {
        format!("{}", year + 1)
    }
}

/// The MYE2 sheets and the sex each holds.
const MYE2_SHEETS: [(&str, Option<&str>); 3] = [
    ("MYE2 - Persons", None),
    ("MYE2 - Males", Some("male")),
    ("MYE2 - Females", Some("female")),
];
/// The components sheet.
const MYE3: &str = "MYE3";
/// The time-series sheet.
const MYE4: &str = "MYE4";
/// Sheets of the workbook that this reader does not read.
const SHEETS_NOT_READ: &str = "Cover sheet, Contents, Notes, Geography guide, Related publications (documentation), \
     MYE1 (UK by age and sex, no local authorities), MYE 5 (population density), MYE 6 (median age)";

// ---------------------------------------------------------------------------------------------
// The workbook reader.

/// The year and boundary vintage in a workbook name such as
/// `ukpopestimatesmid2020on2021geography.xls` → `(2020, "2021")`.
pub fn workbook_name(file_name: &str) -> Option<(i32, String)> {
    let lower = file_name.to_ascii_lowercase();
    let rest = lower.strip_prefix("ukpopestimatesmid")?;
    let year: i32 = rest.get(..4)?.parse().ok()?;
    let rest = rest[4..].strip_prefix("on")?;
    let vintage = rest.get(..4)?;
    vintage.parse::<i32>().ok()?;
    let rest = rest[4..].strip_prefix("geography")?;
    (rest.ends_with(".xls") || rest.ends_with(".xlsx")).then(|| (year, vintage.to_string()))
}

/// Reads the ONS UK mid-year estimates workbook `ukpopestimatesmid{YYYY}on{YYYY}geography.xls`:
/// sheets MYE2 (persons, males, females by single year of age), MYE3 (components of change)
/// and MYE4 (population mid-2001 onwards). Source id `ons_mye2020`.
#[derive(Debug, Clone, Copy, Default)]
pub struct MidYearWorkbookReader;

impl Reader for MidYearWorkbookReader {
    fn id(&self) -> &'static str {
        "ons_mye2020"
    }

    fn accepts(&self, file: &SourceFile) -> bool {
        workbook_name(file.file_name()).is_some()
    }

    fn release(&self, file: &SourceFile) -> ReleaseMeta {
        let (year, vintage) = workbook_name(file.file_name()).unwrap_or((2020, "2021".into()));
        mid_year_release(
            format!("mye_uk_mid{year}_geog{vintage}"),
            "ons_mye_uk_la",
            format!(
                "Population estimates for the UK, England and Wales, Scotland and Northern Ireland: mid-{year} \
                 ({vintage} local authority boundaries)"
            ),
            uk_release_date(year),
            format!(
                "30 June {year} by single year of age and sex; components mid-{} to mid-{year}; population mid-2001 to mid-{year}",
                year - 1
            ),
        )
    }

    fn read(&self, file: &SourceFile, ctx: &ReadContext<'_>) -> Result<ReadOutput> {
        let path = &file.path;
        let (year, vintage) = workbook_name(file.file_name()).ok_or_else(|| {
            Error::input(
                Location::file(path),
                "the file name is not ukpopestimatesmid{YYYY}on{YYYY}geography.xls",
            )
        })?;
        let bytes = read_bytes(path)?;
        let release = self.release(file);
        let mut audit = FileAudit::new(&file.relative, &bytes, self.id(), &release.id);
        drop(bytes);
        let book = workbook(path)?;
        let strict = ctx.options.strict;
        let date = june_30(year, || Location::file(path))?;
        let mut out = Vec::new();
        let mut read_sums: BTreeMap<&str, f64> = BTreeMap::new();

        // MYE2: persons, males, females.
        let mut mye2 = Vec::new();
        for (sheet, sex) in MYE2_SHEETS {
            let table = book.table(path, sheet)?;
            let (grid, ages) = parse_mye2(&table, strict, &mut audit)?;
            *read_sums.entry("population").or_default() +=
                emit_mye2(&grid, &ages, sex, date, &vintage, &mut out);
            check_mye2(&grid, sex.unwrap_or("persons"), &mut audit);
            mye2.push(grid);
        }
        check_sexes(&mye2, &mut audit);
        let persons = mye2[0].by_code();

        // MYE4 before MYE3, whose mid-(Y-1) population is checked against it.
        let table = book.table(path, MYE4)?;
        let mye4 = read_mye4(
            &table,
            year,
            &vintage,
            strict,
            &persons,
            &mut audit,
            &mut out,
            &mut read_sums,
        )?;

        let table = book.table(path, MYE3)?;
        read_mye3(
            &table,
            year,
            &vintage,
            strict,
            &persons,
            &mye4,
            &mut audit,
            &mut out,
            &mut read_sums,
        )?;

        audit.note(format!("sheets not read: {SHEETS_NOT_READ}"));
        audit.note(
            "source_row is the sheet row; the sheet is told by the observation: sex male/female → MYE2 - Males/Females, \
             other population at 30 June of the release year → MYE2 - Persons, earlier years → MYE4, flows → MYE3",
        );
        let set = ObservationSet {
            source: self.id().into(),
            release: release.id,
            file: file.relative.clone(),
            observations: out,
        };
        measure_checks(&mut audit, &read_sums, &set);
        Ok(ReadOutput::from_set(set, audit))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};
    use std::path::Path;
    use std::sync::OnceLock;

    use calamine::{Data, Range};
    use chrono::NaiveDate;
    use migkit_core::{AreaCode, GeographyLevel, Period, Status};

    use super::areas::aggregates;
    use super::exports::export_sheet;
    use super::*;
    use crate::source::ReadOptions;
    use crate::testing::{
        WEST_MIDLANDS_LADS, bridge, mye2_birmingham_row, mye2_header, read_checked, read_error,
        source_file,
    };

    const DIR: &str = "ons-mye-mid2020-la-age";
    const XLS: &str = "ons-mye-mid2020-la-age/ukpopestimatesmid2020on2021geography.xls";
    const CSVS: [&str; 5] = [
        "MYE2_persons_single_year_of_age_mid2020.csv",
        "MYE2_males_single_year_of_age_mid2020.csv",
        "MYE2_females_single_year_of_age_mid2020.csv",
        "MYE3_components_of_change_mid2019_to_mid2020.csv",
        "MYE4_population_time_series_2001_2020.csv",
    ];

    fn workbook_output() -> &'static ReadOutput {
        static OUT: OnceLock<ReadOutput> = OnceLock::new();
        OUT.get_or_init(|| read_checked(&MidYearWorkbookReader, XLS))
    }

    fn snapshot(y: i32) -> Period {
        Period::Snapshot(NaiveDate::from_ymd_opt(y, 6, 30).unwrap())
    }

    /// The values of one area, measure and period with the given sex, by age (None = all ages).
    fn ages(
        out: &ReadOutput,
        code: &str,
        measure: &str,
        period: Period,
        sex: Option<&str>,
    ) -> HashMap<Option<String>, f64> {
        out.observations
            .observations
            .iter()
            .filter(|o| {
                o.area_code.as_str() == code
                    && o.measure == measure
                    && o.period == period
                    && o.sex.as_deref() == sex
            })
            .map(|o| (o.age.clone(), o.value.unwrap()))
            .collect()
    }

    fn band(values: &HashMap<Option<String>, f64>, from: u32, to: Option<u32>) -> f64 {
        values
            .iter()
            .filter_map(|(age, v)| {
                let age = age.as_deref()?;
                let a: u32 = age.trim_end_matches('+').parse().unwrap();
                (a >= from && to.is_none_or(|t| a <= t)).then_some(*v)
            })
            .sum()
    }

    fn one(out: &ReadOutput, code: &str, measure: &str, period: Period) -> f64 {
        let found: Vec<f64> = out
            .observations
            .observations
            .iter()
            .filter(|o| {
                o.area_code.as_str() == code
                    && o.measure == measure
                    && o.period == period
                    && o.age.is_none()
                    && o.sex.is_none()
            })
            .map(|o| o.value.unwrap())
            .collect();
        assert_eq!(found.len(), 1, "{code} {measure} {period:?}: {found:?}");
        found[0]
    }

    #[test]
    fn workbook_mid_2020_figures() {
        let out = workbook_output();
        let mid2020 = snapshot(2020);
        let brum = ages(out, "E08000025", "population", mid2020, None);
        assert_eq!(brum.len(), 92);
        assert_eq!(brum[&None], 1_140_525.0);
        assert_eq!(band(&brum, 0, Some(17)), 286_509.0);
        assert_eq!(band(&brum, 16, None), 883_407.0);
        let wm = ages(out, "E12000005", "population", mid2020, None);
        assert_eq!(wm[&None], 5_961_929.0);
        assert_eq!(band(&wm, 0, Some(17)), 1_306_330.0);
        assert_eq!(band(&wm, 16, None), 4_791_343.0);
        assert_eq!(one(out, "E92000001", "population", mid2020), 56_550_138.0);
        // MYE3 and MYE4.
        assert_eq!(
            one(
                out,
                "E08000025",
                "international_migration_in",
                Period::MidYear(2020)
            ),
            17_494.0
        );
        assert_eq!(
            one(
                out,
                "E08000025",
                "international_migration_out",
                Period::MidYear(2020)
            ),
            10_625.0
        );
        assert_eq!(
            one(
                out,
                "E08000025",
                "internal_migration_in",
                Period::MidYear(2020)
            ),
            46_113.0
        );
        assert_eq!(
            one(
                out,
                "E08000025",
                "internal_migration_out",
                Period::MidYear(2020)
            ),
            59_469.0
        );
        assert_eq!(
            one(out, "E12000005", "population", snapshot(2001)),
            5_280_727.0
        );
        // Males + females = persons for Birmingham at every age.
        let (m, f) = (
            ages(out, "E08000025", "population", mid2020, Some("male")),
            ages(out, "E08000025", "population", mid2020, Some("female")),
        );
        assert_eq!(m.len(), 92);
        for (age, p) in &brum {
            assert_eq!(m[age] + f[age], *p, "{age:?}");
        }
    }

    #[test]
    fn workbook_rows_levels_and_checks() {
        let out = workbook_output();
        let audit = &out.audit;
        // 420 rows in each of the five sheets; the 6 metropolitan counties of each are rejected.
        assert_eq!(audit.rows_read, 5 * 420);
        assert_eq!(audit.rows_rejected, 5 * 6);
        assert!(
            audit
                .rejected
                .iter()
                .all(|r| r.reason.contains("metropolitan county"))
        );
        let obs = &out.observations.observations;
        // 414 emitted rows × 92 values × 3 sheets, 414 × 19 earlier years, 414 × 10 components − 4 "No data".
        assert_eq!(obs.len(), 414 * 92 * 3 + 414 * 19 + 414 * 10 - 4);
        let level = |code: &str| {
            obs.iter()
                .find(|o| o.area_code.as_str() == code)
                .map(|o| o.geography_level)
        };
        assert_eq!(level("E10000028"), Some(GeographyLevel::Utla)); // Staffordshire
        assert_eq!(level("E11000005"), None); // West Midlands (Met County)
        assert_eq!(level("E12000005"), Some(GeographyLevel::Region));
        assert_eq!(level("K02000001"), Some(GeographyLevel::Country));
        assert_eq!(level("S12000033"), Some(GeographyLevel::Lad));
        assert_eq!(level("N09000010"), Some(GeographyLevel::Lad));
        // No key twice (MYE4 Mid-2020 and MYE3's populations are not emitted again).
        let mut keys = HashSet::new();
        for o in obs {
            assert!(
                keys.insert((o.area_code, o.period, &o.measure, &o.age, &o.sex)),
                "{o:?} twice"
            );
        }
        // The 30 West Midlands districts sum to the region at mid-2020.
        let wm: f64 = obs
            .iter()
            .filter(|o| {
                WEST_MIDLANDS_LADS.contains(&o.area_code.as_str()) && o.measure == "population"
            })
            .filter(|o| o.period == snapshot(2020) && o.age.is_none() && o.sex.is_none())
            .map(|o| o.value.unwrap())
            .sum();
        assert_eq!(wm, 5_961_929.0);
        // The checks ran and hold (Scottish rounding explained by a note).
        let check = |text: &str| {
            audit
                .totals
                .iter()
                .filter(|t| t.measure.contains(text))
                .collect::<Vec<_>>()
        };
        assert_eq!(check("sum to All ages in every row").len(), 3);
        assert!(
            check("sum to All ages in every row")
                .iter()
                .all(|t| t.balanced && t.note.is_none())
        );
        let sexes = check("males + females = persons");
        assert!(
            sexes.len() == 1 && sexes[0].balanced && sexes[0].note.is_none(),
            "{sexes:?}"
        );
        assert!(check("aggregate rows equal").len() >= 10);
        let identity = check("other_change (MYE3, every row)");
        assert!(
            identity.len() == 1
                && !identity[0].balanced
                && identity[0].note.as_deref().unwrap().contains("S12")
        );
        assert!(check("MYE4 equals MYE2").iter().all(|t| t.balanced));
        assert!(check("MYE3 equals").iter().all(|t| t.balanced));
        // "No data" cells skipped, not zero; Scottish flows rounded.
        assert!(
            !obs.iter().any(
                |o| o.area_code.as_str() == "K02000001" && o.measure == "internal_migration_in"
            )
        );
        assert!(
            audit
                .notes
                .iter()
                .any(|n| n.contains("No data") && n.contains("K03000001 internal_migration_out"))
        );
        let aberdeen = obs
            .iter()
            .find(|o| {
                o.area_code.as_str() == "S12000033" && o.measure == "international_migration_in"
            })
            .unwrap();
        assert_eq!(
            (
                aberdeen.status,
                aberdeen.interval.lower,
                aberdeen.interval.upper
            ),
            (Status::Rounded, 3775.0, 3784.0)
        );
        let birmingham = obs
            .iter()
            .find(|o| o.area_code.as_str() == "E08000025" && o.measure == "births")
            .unwrap();
        assert_eq!(birmingham.status, Status::Published);
        // The published code keeps its non-breaking space in MYE4.
        assert!(
            obs.iter()
                .any(|o| o.area_code_published == "E06000061\u{a0}"
                    && o.area_code.as_str() == "E06000061")
        );
    }

    #[test]
    fn csv_exports_are_cross_checked_not_emitted() {
        for name in &CSVS {
            let relative = format!("{DIR}/{name}");
            assert!(!MidYearWorkbookReader.accepts(&source_file(&relative)));
            let out = read_checked(&MidYearCsvExportReader, &relative);
            assert!(out.observations.observations.is_empty());
            assert_eq!(
                (out.audit.rows_read, out.audit.rows_used),
                (420, 420),
                "{name}"
            );
            let note = out
                .audit
                .notes
                .iter()
                .find(|n| n.starts_with("cross-checked against the .xls"))
                .unwrap();
            let cells = if name.starts_with("MYE2") {
                420 * 95
            } else if name.starts_with("MYE3") {
                420 * 15
            } else {
                420 * 23
            };
            assert!(note.contains(&format!("{cells} cells identical")), "{note}");
        }
        assert!(!MidYearCsvExportReader.accepts(&source_file(XLS)));
    }

    /// A copy of the data folder's workbook and one CSV export (edited) in a scratch folder.
    fn read_edited_export(name: &str, edit: impl FnOnce(String) -> String) -> Result<ReadOutput> {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join(DIR);
        std::fs::create_dir_all(&folder).unwrap();
        let data = crate::testing::data_dir().join(DIR);
        std::fs::copy(
            data.join("ukpopestimatesmid2020on2021geography.xls"),
            folder.join("ukpopestimatesmid2020on2021geography.xls"),
        )
        .unwrap();
        let text = std::fs::read_to_string(data.join(name)).unwrap();
        std::fs::write(folder.join(name), edit(text)).unwrap();
        let file = SourceFile {
            path: folder.join(name),
            relative: format!("{DIR}/{name}"),
        };
        let ctx = ReadContext {
            bridge: bridge(),
            options: ReadOptions::default(),
            data_dir: dir.path(),
        };
        MidYearCsvExportReader.read(&file, &ctx)
    }

    #[test]
    fn an_export_that_differs_from_the_workbook_is_an_error_naming_file_row_and_column() {
        let name = "MYE2_persons_single_year_of_age_mid2020.csv";
        // Birmingham's All ages, one person more. LF line ends: `CsvTable` numbers the rows of
        // CRLF files (as this one is published) one too low; see the report on table.rs.
        let edit = |t: String| {
            t.replace("\r\n", "\n").replacen(
                ",Metropolitan District,1140525,",
                ",Metropolitan District,1140526,",
                1,
            )
        };
        let err = read_edited_export(name, edit).unwrap_err().to_string();
        assert!(
            err.contains(name) && err.contains("row 150") && err.contains("column \"All ages\""),
            "{err}"
        );
        assert!(err.contains("sheet \"MYE2 - Persons\" row 157"), "{err}");
        // A dropped row is a truncated export.
        let err = read_edited_export(name, |t| t.lines().take(400).collect::<Vec<_>>().join("\n"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("truncated"), "{err}");
        // Unchanged, it passes.
        assert!(read_edited_export(name, |t| t).is_ok());
    }

    fn mye2_csv(header_edit: impl Fn(Vec<String>) -> Vec<String>, row: &str) -> Vec<u8> {
        format!("{}\n{row}\n", header_edit(mye2_header()).join(",")).into_bytes()
    }

    #[test]
    fn bad_exports_are_errors_naming_file_row_and_column() {
        let relative = "ons-mye-mid2020-la-age/MYE2_persons_single_year_of_age_mid2020.csv";
        let r = &MidYearCsvExportReader;
        let missing = mye2_csv(
            |h| h.into_iter().filter(|c| c != "All ages").collect(),
            &mye2_birmingham_row("10").replace(",910,", ","),
        );
        let err = read_error(r, relative, &missing);
        assert!(
            err.contains("MYE2_persons") && err.contains("\"All ages\" is missing"),
            "{err}"
        );
        let err = read_error(r, relative, &mye2_csv(|h| h, &mye2_birmingham_row("ten")));
        assert!(
            err.contains("MYE2_persons")
                && err.contains("row 2, column \"17\"")
                && err.contains("\"ten\""),
            "{err}"
        );
        let truncated = mye2_csv(
            |h| h,
            "E08000025,Birmingham,Metropolitan District,910,10,10",
        );
        let err = read_error(r, relative, &truncated);
        assert!(err.contains("row 2") && err.contains("truncated"), "{err}");
        // With a BOM the header still parses; with no workbook beside it there is nothing to check against.
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend(mye2_csv(|h| h, &mye2_birmingham_row("10")));
        let err = read_error(r, relative, &bom);
        assert!(err.contains("no workbook ukpopestimatesmid2020on"), "{err}");
    }

    #[test]
    fn a_file_that_is_not_a_workbook_is_an_error_naming_it() {
        let err = read_error(&MidYearWorkbookReader, XLS, b"Code,Name\n");
        assert!(
            err.contains("ukpopestimatesmid2020on2021geography.xls")
                && err.contains("cannot read the workbook"),
            "{err}"
        );
    }

    /// A sheet with two title rows, the header on row 3 and the given data rows.
    fn sheet(rows: &[Vec<Data>]) -> Range<Data> {
        let width = rows.iter().map(Vec::len).max().unwrap_or(0).max(4) as u32;
        let mut range = Range::new((0, 0), (rows.len() as u32 + 2, width - 1));
        range.set_value(
            (0, 0),
            Data::String("MYE2: Persons by single year of age".into()),
        );
        let mut header = vec!["Code", "Name", "Geography", "All ages"]
            .into_iter()
            .map(|h| Data::String(h.into()))
            .collect::<Vec<_>>();
        header.extend((0..90).map(|a| Data::String(a.to_string())));
        header.push(Data::String("90+".into()));
        for (c, h) in header.into_iter().enumerate() {
            range.set_value((2, c as u32), h);
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                range.set_value((r as u32 + 3, c as u32), v.clone());
            }
        }
        range
    }

    fn sheet_row(code: &str, geography: &str, cell17: Data) -> Vec<Data> {
        let mut row = vec![
            Data::String(code.into()),
            Data::String("Somewhere".into()),
            Data::String(geography.into()),
            Data::Float(910.0),
        ];
        row.extend((0..91).map(|a| {
            if a == 17 {
                cell17.clone()
            } else {
                Data::Int(10)
            }
        }));
        row
    }

    #[test]
    fn sheets_find_their_header_and_name_bad_cells() {
        let path = Path::new("book.xls");
        let mut audit = FileAudit::new("book.xls", b"", "t", "t");
        let good = sheet(&[
            sheet_row("E08000025", "Metropolitan District", Data::Float(10.0)),
            vec![],
        ]);
        let table = Table::from_sheet(path, "MYE2 - Persons", &good).unwrap();
        assert_eq!(table.header_row, 3);
        let (grid, ages) = parse_mye2(&table, true, &mut audit).unwrap();
        assert_eq!((grid.rows.len(), grid.rows[0].row, ages.len()), (1, 4, 92));
        assert_eq!((audit.rows_used, audit.rows_rejected), (1, 1)); // the blank row 5
        let bad = sheet(&[sheet_row(
            "E08000025",
            "Metropolitan District",
            Data::String("x".into()),
        )]);
        let table = Table::from_sheet(path, "MYE2 - Persons", &bad).unwrap();
        let err = parse_mye2(&table, true, &mut audit)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("book.xls, sheet \"MYE2 - Persons\", row 4, column \"17\""),
            "{err}"
        );
        // Lenient: the row is rejected with the reason.
        let mut lenient = FileAudit::new("book.xls", b"", "t", "t");
        parse_mye2(&table, false, &mut lenient).unwrap();
        assert!(lenient.rejected[0].reason.contains("column \"17\""));
        let wrong = sheet(&[sheet_row("E08000025", "Region", Data::Int(10))]);
        let err = parse_mye2(
            &Table::from_sheet(path, "S", &wrong).unwrap(),
            true,
            &mut audit,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("column \"Code\"") && err.contains("metropolitan district"),
            "{err}"
        );
        let unknown = sheet(&[sheet_row("E08000025", "Borough", Data::Int(10))]);
        let err = parse_mye2(
            &Table::from_sheet(path, "S", &unknown).unwrap(),
            true,
            &mut audit,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("column \"Geography\"") && err.contains("\"Borough\""),
            "{err}"
        );
        let mut headless = Range::new((0, 0), (3, 3));
        headless.set_value((0, 0), Data::String("Title".into()));
        assert!(
            Table::from_sheet(path, "S", &headless)
                .unwrap_err()
                .to_string()
                .contains("no header row")
        );
    }

    #[test]
    fn aggregates_follow_codes_and_row_order() {
        let codes: Vec<AreaCode> = [
            "K04000001",
            "E92000001",
            "E12000005",
            "E06000019",
            "E10000028",
            "E07000192",
            "E07000193",
            "E11000005",
            "E08000025",
            "E08000026",
            "W92000004",
            "W06000001",
        ]
        .iter()
        .map(|c| c.parse().unwrap())
        .collect();
        let refs: Vec<&AreaCode> = codes.iter().collect();
        let agg: HashMap<usize, Vec<usize>> = aggregates(&refs).into_iter().collect();
        assert_eq!(agg[&0], vec![3, 5, 6, 8, 9, 11]);
        assert_eq!(agg[&1], vec![3, 5, 6, 8, 9]);
        assert_eq!(agg[&2], vec![3, 5, 6, 8, 9]);
        assert_eq!(agg[&4], vec![5, 6]);
        assert_eq!(agg[&7], vec![8, 9]);
        assert_eq!(agg[&10], vec![11]);
        assert_eq!(geography_level("Metropolitan County"), Ok(None));
        assert_eq!(
            geography_level("Council Area"),
            Ok(Some(GeographyLevel::Lad))
        );
        assert_eq!(geography_level("County"), Ok(Some(GeographyLevel::Utla)));
    }

    #[test]
    fn names() {
        assert_eq!(
            workbook_name("ukpopestimatesmid2020on2021geography.xls"),
            Some((2020, "2021".into()))
        );
        assert_eq!(
            workbook_name("ukpopestimatesmid2021on2021geographyfinal.xls"),
            Some((2021, "2021".into()))
        );
        assert_eq!(
            workbook_name("MYE2_persons_single_year_of_age_mid2020.csv"),
            None
        );
        assert_eq!(
            export_sheet("MYE3_components_of_change_mid2019_to_mid2020.csv"),
            Some((MYE3, 2020))
        );
        assert_eq!(
            export_sheet("MYE4_population_time_series_2001_2020.csv"),
            Some((MYE4, 2020))
        );
        assert_eq!(
            export_sheet("MYE2_females_single_year_of_age_mid2020.csv"),
            Some(("MYE2 - Females", 2020))
        );
        assert!(scottish_flows_rounded((0..10).map(|i| (
            AreaCode::new(&format!("S120000{:02}", 10 + i)).unwrap(),
            20.0
        ))));
        assert!(!scottish_flows_rounded((0..10).map(|i| (
            AreaCode::new(&format!("S120000{:02}", 10 + i)).unwrap(),
            21.0
        ))));
    }
}
