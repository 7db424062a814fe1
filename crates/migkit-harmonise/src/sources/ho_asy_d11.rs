//! Home Office table **Asy_D11**: asylum seekers in receipt of support, by local authority.
//!
//! - **Publisher:** Home Office, Immigration System Statistics, dataset "Asylum seekers in
//!   receipt of support by local authority" (sheet `Data - Asy_D11`). The September 2024
//!   vintage was published on 28 November 2024. Open Government Licence v3.0.
//! - **File:** `asy_d11_asylum_support_by_la_<first>_<last>.csv`, e.g.
//!   `..._2014q1_2024q3.csv`, the long-format sheet as copied by `humaniverse/asylum`
//!   (which added the derived `Year` and `Quarter` columns and dropped rows with empty cells).
//!   The release id is `asy_d11_<last>` (`asy_d11_2024q3`); the table id `ho_asy_d11` is the
//!   same for every vintage, so a later file is a revision of an earlier one.
//! - **Periods:** quarter-end snapshots (stock "as at" the date), 2014 Q1 to 2024 Q3.
//! - **Columns read:** `Date`, `Support Type`, `UK Region`, `Local Authority`, `LAD Code`,
//!   `Accommodation Type`, `People` (people, not households). `Year`/`Quarter` are ignored.
//!
//! # Tidy representation
//!
//! One observation per row: measure `people_on_asylum_support` (stock, persons),
//! `Period::Snapshot(quarter end)`, and `group = "<support>/<accommodation>"`, two
//! snake_case slugs joined by [`GROUP_SEPARATOR`] (`/`):
//!
//! | support (`Support Type`) | accommodation (`Accommodation Type`) |
//! |---|---|
//! | `section_95` (Section 95) | `dispersal` (Dispersal Accommodation) |
//! | `section_4` (Section 4) | `initial` (Initial Accommodation) |
//! | `section_98` (Section 98) | `contingency_hotel` (Contingency Accommodation - Hotel) |
//! | | `contingency_other` (Contingency Accommodation - Other) |
//! | | `other` (Other Accommodation) |
//! | | `subsistence_only` (Subsistence Only, also published as "Subsistence only") |
//! | | `not_recorded` ("N/A - Section 98 (pre-2023)": no accommodation breakdown) |
//!
//! so `section_95/contingency_hotel` is people on Section 95 support in hotels. Filter on the
//! part after the separator for an accommodation type across support types (see
//! [`split_group`]); `crate::groups::client_groups` classifies these groups.
//!
//! # Areas
//!
//! - `LAD Code` is kept as published in `area_code_published` (older quarters use the codes in
//!   force then; the pipeline recodes). `geography_vintage` is the year of the ONS code vintage
//!   in force on the quarter end (codes change on 1 April: 31 March 2023 → `"2022"`,
//!   30 June 2023 → `"2023"`).
//! - Rows with no local authority (`LAD Code` `N/A`, or the `N/A - Section 4 (pre-2018)`,
//!   `N/A - Section 98 (pre-Dec 2022)` and `N/A - Subsistence Only (Dec 2023 - Sep 2024)` rows)
//!   are national figures the Home Office did not allocate: they are emitted with
//!   `GeographyLevel::Unallocated`, area code `K02000001` (United Kingdom) and the published
//!   text in `area_code_published`, so they count in national totals and in no LA sum.
//! - **Mis-coded rows.** In the first quarter of Section 98 figures by LA (31 Dec 2022), the
//!   published `LAD Code` was filled down: Barnsley, Bradford, Leeds, Newcastle and 18 other
//!   northern LAs carry Hull's `E06000010`, Scottish councils Aberdeen's `S12000033` (and
//!   Falkirk Glasgow's `S12000049`), Northern Irish districts Belfast's `N09000003`. A row is
//!   treated as mis-coded when its code is published for more than one LA name on the same date
//!   and support type and the file codes that LA name differently elsewhere (the same date
//!   first, otherwise its most frequent code). Its `area_code` is then the LA's own code, the
//!   published code stays in `area_code_published`, and the audit notes how many rows were
//!   recoded.
//!
//! # Values and totals
//!
//! Counts are unrounded and unsuppressed (`Status::Published`, exact intervals); the table has
//! no zero rows (an absent combination was not published). The total check compares the sum
//! of `People` over the rows read with the sum emitted.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use migkit_core::{
    AreaCode, Error, GeographyLevel, Interval, MeasureKind, Observation, ObservationSet, Period,
    Result, Status,
};

use crate::audit::{FileAudit, TotalCheck};
use crate::cell::{Cell, parse_cell};
use crate::source::{ReadContext, ReadOutput, Reader, ReleaseMeta, SourceFile};
use crate::sources::home_office::{
    HomeOfficeTable, IMMIGRATION_SYSTEM_STATISTICS, lower_tier_code, quarter_end, unmarked_count,
    vintage_on,
};
use crate::table::{CsvTable, is_blank};

/// The reader's source id.
pub const SOURCE: &str = "ho_asy_d11";
/// The table id shared by every vintage of Asy_D11.
pub const TABLE: &str = "ho_asy_d11";
/// The measure emitted.
pub const MEASURE: &str = "people_on_asylum_support";
/// The separator between support type and accommodation type in `group`.
pub const GROUP_SEPARATOR: char = '/';
/// The area code given to rows that the Home Office did not allocate to a local authority.
pub const UNALLOCATED_CODE: &str = "K02000001";

/// Support types: published label (lower case) → slug.
const SUPPORT_TYPES: &[(&str, &str)] = &[
    ("section 95", "section_95"),
    ("section 4", "section_4"),
    ("section 98", "section_98"),
];

/// Accommodation types: published label (lower case) → slug.
const ACCOMMODATION_TYPES: &[(&str, &str)] = &[
    ("dispersal accommodation", "dispersal"),
    ("initial accommodation", "initial"),
    ("contingency accommodation - hotel", "contingency_hotel"),
    ("contingency accommodation - other", "contingency_other"),
    ("other accommodation", "other"),
    ("subsistence only", "subsistence_only"),
    ("n/a - section 98 (pre-2023)", "not_recorded"),
];

/// How Asy_D11 files and releases are named, and the release dates known, by last quarter.
const ASY_D11: HomeOfficeTable = HomeOfficeTable {
    prefix: "asy_d11_",
    table: TABLE,
    publisher: IMMIGRATION_SYSTEM_STATISTICS,
    title: "Asylum seekers in receipt of support by local authority (Asy_D11)",
    release_dates: &[("2024q3", "2024-11-28")],
};

/// The support-type and accommodation slugs of an Asy_D11 `group`
/// (`"section_95/dispersal"` → `("section_95", "dispersal")`).
///
/// ```
/// use migkit_harmonise::sources::ho_asy_d11::split_group;
/// assert_eq!(split_group("section_4/contingency_hotel"), Some(("section_4", "contingency_hotel")));
/// assert_eq!(split_group("dispersal"), None);
/// ```
pub fn split_group(group: &str) -> Option<(&str, &str)> {
    group.split_once(GROUP_SEPARATOR)
}

/// The slug of a published support type (`"Section 95"` → `"section_95"`).
pub fn support_slug(published: &str) -> Option<&'static str> {
    lookup(SUPPORT_TYPES, published)
}

/// The slug of a published accommodation type (`"Subsistence only"` → `"subsistence_only"`).
pub fn accommodation_slug(published: &str) -> Option<&'static str> {
    lookup(ACCOMMODATION_TYPES, published)
}

fn lookup(table: &[(&str, &'static str)], published: &str) -> Option<&'static str> {
    let key = published.trim().to_lowercase();
    table
        .iter()
        .find(|(label, _)| *label == key)
        .map(|(_, slug)| *slug)
}

/// Reads Asy_D11 long-format CSV files.
#[derive(Debug, Clone, Copy, Default)]
pub struct AsyD11Reader;

/// The readers of this module.
pub fn readers() -> Vec<Box<dyn Reader>> {
    vec![Box::new(AsyD11Reader)]
}

/// One data row after parsing, before its area is settled.
struct Row {
    row: u64,
    date: NaiveDate,
    support: &'static str,
    group: String,
    name: String,
    published_code: String,
    code: Option<AreaCode>,
    people: f64,
}

impl Reader for AsyD11Reader {
    fn id(&self) -> &'static str {
        SOURCE
    }

    fn accepts(&self, file: &SourceFile) -> bool {
        ASY_D11.accepts_quarterly(file.file_name())
    }

    fn release(&self, file: &SourceFile) -> ReleaseMeta {
        ASY_D11.quarterly_release(file.file_name(), "2014 Q1", "quarter-end snapshots")
    }

    fn read(&self, file: &SourceFile, ctx: &ReadContext<'_>) -> Result<ReadOutput> {
        let release = self.release(file);
        let table = CsvTable::open(&file.path)?;
        let mut audit = FileAudit::new(&file.relative, &table.bytes, SOURCE, &release.id);
        let [c_date, c_support, c_la, c_code, c_accommodation, c_people] = table.columns([
            "Date",
            "Support Type",
            "Local Authority",
            "LAD Code",
            "Accommodation Type",
            "People",
        ])?;
        table.column("UK Region")?;
        let strict = ctx.options.strict;

        let mut rows = Vec::with_capacity(table.rows.len());
        let (mut published_total, mut rejected_total) = (0.0, 0.0);
        for (row, fields) in &table.rows {
            let row = *row;
            if is_blank(fields) {
                audit.reject(row, "blank row");
                continue;
            }
            // The published total is the sum of every readable count, whether or not its row is used.
            let cell = match parse_cell(&fields[c_people]) {
                Ok(Cell::Number(v)) => v,
                _ => 0.0,
            };
            published_total += cell;
            match parse_row(
                &table,
                row,
                fields,
                [c_date, c_support, c_la, c_code, c_accommodation, c_people],
            ) {
                Ok(parsed) => rows.push(parsed),
                Err(err) => {
                    audit.reject_or_fail(strict, row, err)?;
                    rejected_total += cell;
                }
            }
        }

        let recoded = fix_filled_down_codes(&mut rows);
        if recoded > 0 {
            audit.note(format!(
                "{recoded} rows carry another LA's LAD Code (filled down in the published sheet); \
                 area_code is the code the file uses for the LA's name elsewhere, \
                 area_code_published the code as published"
            ));
        }

        let uk: AreaCode = UNALLOCATED_CODE.parse()?;
        let mut observations = Vec::with_capacity(rows.len());
        let mut emitted = 0.0;
        for r in rows {
            let (area_code, level) = match r.code {
                Some(code) => (code, GeographyLevel::Lad),
                None => (uk, GeographyLevel::Unallocated),
            };
            let mut obs = Observation::count(
                r.row,
                area_code,
                r.name,
                level,
                vintage_on(r.date),
                Period::Snapshot(r.date),
                MEASURE,
                MeasureKind::Stock,
                r.people,
            )
            .with_group(r.group)
            .with_status(Status::Published, Interval::exact(r.people));
            obs.area_code_published = r.published_code;
            emitted += r.people;
            observations.push(obs);
            audit.used();
        }
        audit.total(TotalCheck::within(
            format!("{MEASURE}: sum of People over the rows read"),
            published_total,
            emitted,
            rejected_total,
            published_total,
            published_total,
        ));
        let mut observations = ObservationSet {
            source: SOURCE.to_string(),
            release: release.id,
            file: file.relative.clone(),
            observations,
        };
        // The September 2024 sheet labels two pairs of different Section 98 cells identically.
        crate::duplicates::merge_mislabelled(
            &mut observations,
            &mut audit,
            "two published cells carry the same labels (filled down in the sheet)",
        );
        Ok(ReadOutput::from_set(observations, audit))
    }
}

fn parse_row(table: &CsvTable, row: u64, fields: &[String], cols: [usize; 6]) -> Result<Row> {
    let [c_date, c_support, c_la, c_code, c_accommodation, c_people] = cols;
    let (date, _) = quarter_end(table, row, c_date, &fields[c_date], "2024-09-30")?;
    let support_text = fields[c_support].trim();
    let support = support_slug(support_text).ok_or_else(|| {
        Error::input(
            table.at(row, c_support),
            format!(
                "unknown support type {support_text:?}; expected one of Section 95, Section 4, Section 98"
            ),
        )
    })?;
    let accommodation_text = fields[c_accommodation].trim();
    let accommodation = accommodation_slug(accommodation_text).ok_or_else(|| {
        Error::input(
            table.at(row, c_accommodation),
            format!(
                "unknown accommodation type {accommodation_text:?}; expected one of {}",
                ACCOMMODATION_TYPES
                    .iter()
                    .map(|(l, _)| *l)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    })?;
    let published_code = fields[c_code].trim().to_string();
    let code = if published_code.to_ascii_uppercase().starts_with("N/A") {
        None
    } else {
        Some(lower_tier_code(table, row, c_code, &published_code)?)
    };
    let people = unmarked_count(
        table,
        row,
        c_people,
        &fields[c_people],
        "Asy_D11 publishes no disclosure markers",
    )?;
    Ok(Row {
        row,
        date,
        support,
        group: format!("{support}{GROUP_SEPARATOR}{accommodation}"),
        name: fields[c_la].trim().to_string(),
        published_code,
        code,
        people,
    })
}

/// Recodes rows whose published code was filled down from another LA (see the module docs);
/// returns how many rows were recoded.
fn fix_filled_down_codes(rows: &mut [Row]) -> usize {
    // Names published under each (date, support type, code).
    let mut names: HashMap<(NaiveDate, &str, AreaCode), HashSet<&str>> = HashMap::new();
    for r in rows.iter() {
        if let Some(code) = r.code {
            names
                .entry((r.date, r.support, code))
                .or_default()
                .insert(r.name.as_str());
        }
    }
    let conflicted: HashSet<(NaiveDate, &str, AreaCode)> = names
        .into_iter()
        .filter(|(_, n)| n.len() > 1)
        .map(|(k, _)| k)
        .collect();
    if conflicted.is_empty() {
        return 0;
    }
    let is_conflicted = |r: &Row| {
        r.code
            .is_some_and(|c| conflicted.contains(&(r.date, r.support, c)))
    };
    // How the file codes each name: on each date, and overall, from unconflicted rows.
    let mut on_date: HashMap<(&str, NaiveDate), AreaCode> = HashMap::new();
    let mut counts: HashMap<&str, HashMap<AreaCode, usize>> = HashMap::new();
    for r in rows.iter().filter(|r| !is_conflicted(r)) {
        if let Some(code) = r.code {
            on_date.entry((r.name.as_str(), r.date)).or_insert(code);
            *counts
                .entry(r.name.as_str())
                .or_default()
                .entry(code)
                .or_default() += 1;
        }
    }
    let modal = |name: &str| -> Option<AreaCode> {
        counts
            .get(name)?
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(c, _)| *c)
    };
    let mut fixes = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if !is_conflicted(r) {
            continue;
        }
        let own = on_date
            .get(&(r.name.as_str(), r.date))
            .copied()
            .or_else(|| modal(&r.name));
        if let (Some(own), Some(published)) = (own, r.code) {
            if own != published {
                fixes.push((i, own));
            }
        }
    }
    for &(i, code) in &fixes {
        rows[i].code = Some(code);
    }
    fixes.len()
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::testing::{read_bytes_as, read_checked, read_error};

    const FILE: &str =
        "ho-asylum-support-by-la-asy-d11/asy_d11_asylum_support_by_la_2014q1_2024q3.csv";
    const HEADER: &str = "Date,Year,Quarter,Support Type,UK Region,Local Authority,LAD Code,Accommodation Type,People\n";

    fn date(y: i32, m: u32, d: u32) -> Period {
        Period::Snapshot(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    fn accommodation(o: &Observation) -> &str {
        split_group(o.group.as_deref().unwrap()).unwrap().1
    }

    #[test]
    fn real_file_matches_provenance() {
        let out = read_checked(&AsyD11Reader, FILE);
        let obs = &out.observations.observations;
        assert_eq!(out.audit.rows_read, 21_743);
        assert_eq!(out.audit.rows_used, 21_743);
        // Two pairs of Section 98 cells carry identical labels (Edinburgh 31 Dec 2022, Wolverhampton
        // 31 Mar 2023); each pair is summed into one observation and noted in the audit.
        assert_eq!(obs.len(), 21_741);
        assert_eq!(
            out.audit
                .notes
                .iter()
                .filter(|n| n.contains("summed"))
                .count(),
            2
        );
        assert_eq!(out.observations.release, "asy_d11_2024q3");
        let by_support = |s: &str| {
            obs.iter()
                .filter(|o| o.group.as_deref().unwrap().starts_with(s))
                .count()
        };
        assert_eq!(by_support("section_95/"), 16_440);
        assert_eq!(by_support("section_4/"), 4_089);
        assert_eq!(by_support("section_98/"), 1_214 - 2);
        let dates: BTreeSet<Period> = obs.iter().map(|o| o.period).collect();
        assert_eq!(dates.len(), 43);

        let sep24 = date(2024, 9, 30);
        let uk: f64 = obs
            .iter()
            .filter(|o| o.period == sep24)
            .map(|o| o.value.unwrap())
            .sum();
        assert_eq!(uk, 109_024.0);
        let mut by_acc: BTreeMap<&str, f64> = BTreeMap::new();
        for o in obs.iter().filter(|o| o.period == sep24) {
            *by_acc.entry(accommodation(o)).or_default() += o.value.unwrap();
        }
        assert_eq!(by_acc["contingency_hotel"], 35_651.0);
        assert_eq!(by_acc["dispersal"], 65_311.0);
        assert_eq!(by_acc["initial"], 1_705.0);
        assert_eq!(by_acc["contingency_other"], 2_729.0);
        assert_eq!(by_acc["other"], 785.0);
        assert_eq!(by_acc["subsistence_only"], 2_843.0);

        let dec23 = date(2023, 12, 31);
        let total: f64 = obs
            .iter()
            .filter(|o| o.period == dec23)
            .map(|o| o.value.unwrap())
            .sum();
        let hotels: f64 = obs
            .iter()
            .filter(|o| o.period == dec23 && accommodation(o) == "contingency_hotel")
            .map(|o| o.value.unwrap())
            .sum();
        assert_eq!((total, hotels), (111_132.0, 45_768.0));
    }

    #[test]
    fn west_midlands_and_birmingham() {
        let out = read_checked(&AsyD11Reader, FILE);
        let obs = &out.observations.observations;
        // West Midlands = rows whose `UK Region` is "West Midlands"; read the column back from the file.
        let table = CsvTable::open(&crate::testing::source_file(FILE).path).unwrap();
        let region = table.column("UK Region").unwrap();
        let wm_rows: HashSet<u64> = table
            .rows
            .iter()
            .filter(|(_, f)| f[region] == "West Midlands")
            .map(|(r, _)| *r)
            .collect();
        let sep24 = date(2024, 9, 30);
        let wm: Vec<&Observation> = obs
            .iter()
            .filter(|o| o.period == sep24 && wm_rows.contains(&o.source_row))
            .collect();
        assert_eq!(wm.iter().map(|o| o.value.unwrap()).sum::<f64>(), 11_934.0);
        assert_eq!(
            wm.iter()
                .map(|o| o.area_code)
                .collect::<BTreeSet<_>>()
                .len(),
            26
        );
        assert!(
            wm.iter()
                .all(|o| o.geography_level == GeographyLevel::Lad && o.geography_vintage == "2024")
        );

        let brum: BTreeMap<&str, f64> = obs
            .iter()
            .filter(|o| o.period == sep24 && o.area_code.as_str() == "E08000025")
            .map(|o| (o.group.as_deref().unwrap(), o.value.unwrap()))
            .collect();
        let expected = [
            ("section_95/dispersal", 1_202.0),
            ("section_95/contingency_hotel", 1_114.0),
            ("section_95/contingency_other", 2.0),
            ("section_4/dispersal", 92.0),
            ("section_4/contingency_hotel", 12.0),
            ("section_98/contingency_hotel", 54.0),
        ];
        for (group, value) in expected {
            assert_eq!(brum.get(group), Some(&value), "{group}");
        }
    }

    #[test]
    fn unallocated_rows_and_filled_down_codes() {
        let out = read_checked(&AsyD11Reader, FILE);
        let obs = &out.observations.observations;
        let unallocated: Vec<&Observation> = obs
            .iter()
            .filter(|o| o.geography_level == GeographyLevel::Unallocated)
            .collect();
        assert_eq!(unallocated.len(), 147);
        assert!(
            unallocated
                .iter()
                .all(|o| o.area_code.as_str() == UNALLOCATED_CODE)
        );
        assert!(unallocated.iter().any(|o| o.area_code_published
            == "N/A - Section 98 (pre-Dec 2022)"
            && o.group.as_deref() == Some("section_98/not_recorded")));
        // Barnsley's Section 98 row of Dec 2022 was published under Hull's code.
        let barnsley: Vec<&Observation> = obs
            .iter()
            .filter(|o| {
                o.area_name == "Barnsley"
                    && o.period == date(2022, 12, 31)
                    && o.area_code_published == "E06000010"
            })
            .collect();
        assert_eq!(barnsley.len(), 1);
        assert_eq!(barnsley[0].area_code.as_str(), "E08000016");
        // Hull itself keeps its code; every name now has one code per date.
        let mut codes: HashMap<(&str, Period), BTreeSet<AreaCode>> = HashMap::new();
        for o in obs
            .iter()
            .filter(|o| o.geography_level == GeographyLevel::Lad)
        {
            codes
                .entry((o.area_name.as_str(), o.period))
                .or_default()
                .insert(o.area_code);
        }
        assert!(codes.values().all(|c| c.len() == 1));
        assert!(
            out.audit
                .notes
                .iter()
                .any(|n| n.starts_with("46 rows carry")),
            "{:?}",
            out.audit.notes
        );
    }

    #[test]
    fn release_and_accepts() {
        let file = crate::testing::source_file(FILE);
        let meta = AsyD11Reader.release(&file);
        assert_eq!(
            (
                meta.id.as_str(),
                meta.table.as_str(),
                meta.release_date.as_str()
            ),
            ("asy_d11_2024q3", TABLE, "2024-11-28")
        );
        let later = crate::testing::source_file(
            "ho-asylum-support-by-la-asy-d11/asy_d11_asylum_support_by_la_2014q1_2024q4.csv",
        );
        assert!(AsyD11Reader.accepts(&later));
        assert_eq!(AsyD11Reader.release(&later).id, "asy_d11_2024q4");
        assert!(!AsyD11Reader.accepts(&crate::testing::source_file("x/asy_d11_notes.csv")));
        assert_eq!(
            vintage_on(NaiveDate::from_ymd_opt(2023, 3, 31).unwrap()),
            "2022"
        );
    }

    fn bad(body: &str) -> String {
        let text = format!("{HEADER}{body}");
        read_error(
            &AsyD11Reader,
            "asy/asy_d11_x_2014q1_2024q3.csv",
            text.as_bytes(),
        )
    }

    #[test]
    fn bad_input_names_file_row_and_column() {
        let ok = "2024-09-30,2024,3,Section 95,West Midlands,Birmingham,E08000025,Dispersal Accommodation,5\n";
        let err = bad(&format!(
            "{ok}2024-09-30,2024,3,Section 95,West Midlands,Birmingham,E08000025,Dispersal Accommodation,many\n"
        ));
        assert!(
            err.contains("asy_d11_x_2014q1_2024q3.csv")
                && err.contains("row 3")
                && err.contains("column \"People\""),
            "{err}"
        );
        let err = bad(
            "2024-09-30,2024,3,Section 95,West Midlands,Birmingham,E0800002X,Dispersal Accommodation,5\n",
        );
        assert!(
            err.contains("row 2") && err.contains("column \"LAD Code\""),
            "{err}"
        );
        let err = bad(
            "2024-09-31,2024,3,Section 95,West Midlands,Birmingham,E08000025,Dispersal Accommodation,5\n",
        );
        assert!(
            err.contains("row 2") && err.contains("column \"Date\""),
            "{err}"
        );
        let err =
            bad("2024-09-30,2024,3,Section 95,West Midlands,Birmingham,E08000025,Caravan,5\n");
        assert!(
            err.contains("column \"Accommodation Type\"") && err.contains("Caravan"),
            "{err}"
        );
        let err = bad(
            "2024-09-30,2024,3,Section 95,West Midlands,Birmingham,E08000025,Dispersal Accommodation,-5\n",
        );
        assert!(err.contains("negative"), "{err}");
        let err = bad("2024-09-30,2024,3,Section 95,West Midlands\n");
        assert!(err.contains("row 2") && err.contains("truncated"), "{err}");
        let err = read_error(
            &AsyD11Reader,
            "asy/asy_d11_x_2014q1_2024q3.csv",
            b"Date,Support Type,People\n2024-09-30,Section 95,1\n",
        );
        assert!(
            err.contains("\"Local Authority\" is missing") && err.contains("asy_d11_x"),
            "{err}"
        );
    }

    #[test]
    fn bom_and_blank_rows() {
        let text = format!(
            "\u{feff}{HEADER}2024-09-30,2024,3,Section 95,West Midlands,Birmingham,E08000025,Subsistence only,5\n,,,,,,,,\n"
        );
        let out = read_bytes_as(
            &AsyD11Reader,
            "asy/asy_d11_x_2014q1_2024q3.csv",
            text.as_bytes(),
        )
        .unwrap();
        assert_eq!(out.observations.observations.len(), 1);
        assert_eq!(
            out.observations.observations[0].group.as_deref(),
            Some("section_95/subsistence_only")
        );
        assert_eq!(out.audit.rows_rejected, 1);
        assert!(out.audit.balances());
    }

    #[test]
    fn lenient_mode_rejects_bad_rows_and_totals_still_balance() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("asy_d11_x_2014q1_2024q3.csv");
        let text = format!(
            "{HEADER}2024-09-30,2024,3,Section 95,West Midlands,Birmingham,E08000025,Dispersal Accommodation,5\n\
             2024-09-30,2024,3,Section 95,West Midlands,Birmingham,BAD,Initial Accommodation,7\n"
        );
        std::fs::write(&path, text).unwrap();
        let file = SourceFile {
            path,
            relative: "asy/asy_d11_x_2014q1_2024q3.csv".into(),
        };
        let ctx = ReadContext {
            bridge: crate::testing::bridge(),
            options: crate::source::ReadOptions { strict: false },
            data_dir: dir.path(),
        };
        let out = AsyD11Reader.read(&file, &ctx).unwrap();
        assert_eq!((out.audit.rows_used, out.audit.rows_rejected), (1, 1));
        assert!(
            out.audit.rejected[0].reason.contains("column \"LAD Code\""),
            "{:?}",
            out.audit.rejected
        );
        let t = &out.audit.totals[0];
        assert_eq!((t.published, t.emitted, t.rejected), (12.0, 5.0, 7.0));
        assert!(out.audit.balances());
    }
}
