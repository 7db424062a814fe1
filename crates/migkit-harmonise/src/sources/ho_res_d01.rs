//! Home Office table **Res_D01**: refugees resettled, by local authority and scheme.
//!
//! - **Publisher:** Home Office, Immigration System Statistics, dataset "Resettlement by local
//!   authority" (sheet `Data - Res_D01`), published with "Immigration system statistics, year
//!   ending September 2024" on 28 November 2024. Open Government Licence v3.0.
//! - **File:** `res_d01_resettlement_by_la_<first>_<last>.csv` (e.g. `..._2014q1_2024q3.csv`),
//!   as copied by `humaniverse/asylum`, which derived `Date` (quarter end) from the published
//!   quarter, overwrote `Quarter` with its number and dropped rows with empty cells. Release id
//!   `res_d01_<last>` (`res_d01_2024q3`), table id `ho_res_d01`.
//! - **Periods:** arrivals in each quarter (a flow), 2014 Q1 to 2024 Q3.
//! - **Columns read:** `Date` (quarter end → `Period::Quarter`), `UK Region`, `LAD Code`,
//!   `Local Authority`, `Resettlement Scheme`, `Persons`.
//!
//! # Tidy representation
//!
//! One observation per row: measure `resettled_refugees` (flow, persons),
//! `Period::Quarter`, `group` = the scheme exactly as published ("Vulnerable Persons
//! Resettlement Scheme", "UK Resettlement Scheme - Community Sponsorship Scheme",
//! "Resettlement - ACRS Pathway 1", "Relocation - ARAP", ...); the Home Office names are already
//! consistent across quarters, and `crate::groups::client_groups` maps them to client groups.
//!
//! Rows with `LAD Code` "Unknown" (most Afghan ARAP/ACRS arrivals, which Res_D01 does not break
//! down by LA) are emitted as `GeographyLevel::Unallocated` under `K02000001` (United Kingdom)
//! with the published text in `area_code_published`: they count in national totals and in no
//! LA sum. Other codes are kept as published (`geography_vintage` = the ONS vintage in force at
//! the quarter end).
//!
//! Counts are published unrounded and unsuppressed; a quarter, LA or scheme absent from the
//! table had no published resettlement. The total check compares the sum of `Persons` read with
//! the sum emitted.

use migkit_core::{AreaCode, Error, GeographyLevel, MeasureKind, Observation, Result};

use crate::audit::{FileAudit, TotalCheck};
use crate::cell::{Cell, parse_cell};
use crate::source::{ReadContext, ReadOutput, Reader, ReleaseMeta, SourceFile};
use crate::sources::ho_asy_d11::UNALLOCATED_CODE;
use crate::sources::home_office::{
    HomeOfficeTable, IMMIGRATION_SYSTEM_STATISTICS, lower_tier_code, quarter_end, unmarked_count,
    vintage_on,
};
use crate::table::{CsvTable, is_blank};

/// The reader's source id.
pub const SOURCE: &str = "ho_res_d01";
/// The table id shared by every vintage of Res_D01.
pub const TABLE: &str = "ho_res_d01";
/// The measure emitted.
pub const MEASURE: &str = "resettled_refugees";

/// How Res_D01 files and releases are named, and the release dates known, by last quarter.
const RES_D01: HomeOfficeTable = HomeOfficeTable {
    prefix: "res_d01_",
    table: TABLE,
    publisher: IMMIGRATION_SYSTEM_STATISTICS,
    title: "Resettlement by local authority (Res_D01)",
    release_dates: &[("2024q3", "2024-11-28")],
};

/// Reads Res_D01 long-format CSV files.
#[derive(Debug, Clone, Copy, Default)]
pub struct ResD01Reader;

/// The readers of this module.
pub fn readers() -> Vec<Box<dyn Reader>> {
    vec![Box::new(ResD01Reader)]
}

impl Reader for ResD01Reader {
    fn id(&self) -> &'static str {
        SOURCE
    }

    fn accepts(&self, file: &SourceFile) -> bool {
        RES_D01.accepts_quarterly(file.file_name())
    }

    fn release(&self, file: &SourceFile) -> ReleaseMeta {
        RES_D01.quarterly_release(file.file_name(), "2014 Q1", "arrivals per quarter")
    }

    fn read(&self, file: &SourceFile, ctx: &ReadContext<'_>) -> Result<ReadOutput> {
        let release = self.release(file);
        let table = CsvTable::open(&file.path)?;
        let mut audit = FileAudit::new(&file.relative, &table.bytes, SOURCE, &release.id);
        let [c_date, c_code, c_la, c_scheme, c_persons] = table.columns([
            "Date",
            "LAD Code",
            "Local Authority",
            "Resettlement Scheme",
            "Persons",
        ])?;
        table.column("UK Region")?;
        let uk: AreaCode = UNALLOCATED_CODE.parse()?;
        let mut observations = Vec::with_capacity(table.rows.len());
        let (mut published, mut emitted, mut rejected) = (0.0, 0.0, 0.0);
        for (row, fields) in &table.rows {
            let row = *row;
            if is_blank(fields) {
                audit.reject(row, "blank row");
                continue;
            }
            // The published total is the sum of every readable count, whether or not its row is used.
            let cell = match parse_cell(&fields[c_persons]) {
                Ok(Cell::Number(v)) => v,
                _ => 0.0,
            };
            published += cell;
            let parsed = (|| -> Result<Observation> {
                let (date, period) =
                    quarter_end(&table, row, c_date, &fields[c_date], "2024-09-30")?;
                let scheme = fields[c_scheme].trim();
                if scheme.is_empty() {
                    return Err(Error::input(table.at(row, c_scheme), "the scheme is empty"));
                }
                let published_code = fields[c_code].trim();
                let (code, level) = if published_code.eq_ignore_ascii_case("unknown")
                    || published_code.to_ascii_uppercase().starts_with("N/A")
                {
                    (uk, GeographyLevel::Unallocated)
                } else {
                    let code = lower_tier_code(&table, row, c_code, published_code)?;
                    (code, GeographyLevel::Lad)
                };
                let persons = unmarked_count(
                    &table,
                    row,
                    c_persons,
                    &fields[c_persons],
                    "Res_D01 publishes no disclosure markers",
                )?;
                let mut obs = Observation::count(
                    row,
                    code,
                    fields[c_la].trim(),
                    level,
                    vintage_on(date),
                    period,
                    MEASURE,
                    MeasureKind::Flow,
                    persons,
                )
                .with_group(scheme);
                obs.area_code_published = published_code.to_string();
                Ok(obs)
            })();
            match parsed {
                Ok(obs) => {
                    emitted += obs.value.unwrap_or(0.0);
                    observations.push(obs);
                    audit.used();
                }
                Err(err) => {
                    audit.reject_or_fail(ctx.options.strict, row, err)?;
                    rejected += cell;
                }
            }
        }
        audit.total(TotalCheck::within(
            format!("{MEASURE}: sum of Persons over the rows read"),
            published,
            emitted,
            rejected,
            published,
            published,
        ));
        Ok(ReadOutput::new(
            SOURCE,
            release.id,
            file,
            observations,
            audit,
        ))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashSet};

    use migkit_core::Period;

    use super::*;
    use crate::testing::{read_bytes_as, read_checked, read_error, source_file};

    const FILE: &str = "ho-resettlement-by-la-res-d01/res_d01_resettlement_by_la_2014q1_2024q3.csv";
    const HEADER: &str =
        "Date,Year,Quarter,UK Region,LAD Code,Local Authority,Resettlement Scheme,Persons\n";

    #[test]
    fn real_file_matches_provenance() {
        let out = read_checked(&ResD01Reader, FILE);
        let obs = &out.observations.observations;
        assert_eq!((out.audit.rows_read, obs.len()), (2_790, 2_790));
        assert_eq!(obs.iter().map(|o| o.value.unwrap()).sum::<f64>(), 56_009.0);
        assert!(obs.iter().all(
            |o| o.measure_kind == MeasureKind::Flow && matches!(o.period, Period::Quarter(..))
        ));

        let mut brum: BTreeMap<&str, f64> = BTreeMap::new();
        for o in obs.iter().filter(|o| o.area_code.as_str() == "E08000025") {
            *brum.entry(o.group.as_deref().unwrap()).or_default() += o.value.unwrap();
        }
        assert_eq!(brum["Vulnerable Persons Resettlement Scheme"], 518.0);
        assert_eq!(brum["UK Resettlement Scheme"], 110.0);
        assert_eq!(
            brum["UK Resettlement Scheme - Community Sponsorship Scheme"],
            22.0
        );
        assert_eq!(brum["Vulnerable Children Resettlement Scheme"], 6.0);
        assert_eq!(brum["Mandate Scheme"], 1.0);

        let coventry: f64 = obs
            .iter()
            .filter(|o| {
                o.area_code.as_str() == "E08000026"
                    && o.period == Period::Quarter(2014, 3)
                    && o.group.as_deref() == Some("Vulnerable Persons Resettlement Scheme")
            })
            .map(|o| o.value.unwrap())
            .sum();
        assert_eq!(coventry, 35.0);

        let table = CsvTable::open(&source_file(FILE).path).unwrap();
        let region = table.column("UK Region").unwrap();
        let wm_rows: HashSet<u64> = table
            .rows
            .iter()
            .filter(|(_, f)| f[region] == "West Midlands")
            .map(|(r, _)| *r)
            .collect();
        let wm: f64 = obs
            .iter()
            .filter(|o| wm_rows.contains(&o.source_row))
            .map(|o| o.value.unwrap())
            .sum();
        assert_eq!(wm, 2_387.0);

        let unknown: Vec<&Observation> = obs
            .iter()
            .filter(|o| o.geography_level == GeographyLevel::Unallocated)
            .collect();
        assert_eq!(unknown.len(), 56);
        assert!(unknown.iter().all(
            |o| o.area_code.as_str() == UNALLOCATED_CODE && o.area_code_published == "Unknown"
        ));
        assert_eq!(out.observations.release, "res_d01_2024q3");
    }

    fn bad(body: &str) -> String {
        let text = format!("{HEADER}{body}");
        read_error(
            &ResD01Reader,
            "res/res_d01_x_2014q1_2024q3.csv",
            text.as_bytes(),
        )
    }

    #[test]
    fn bad_input_names_file_row_and_column() {
        let ok = "2014-09-30,2014,3,West Midlands,E08000026,Coventry,Vulnerable Persons Resettlement Scheme,35\n";
        let err = bad(&format!(
            "{ok}2014-09-30,2014,3,West Midlands,E08000026,Coventry,VPRS,3x\n"
        ));
        assert!(
            err.contains("res_d01_x_2014q1_2024q3.csv")
                && err.contains("row 3")
                && err.contains("column \"Persons\""),
            "{err}"
        );
        let err = bad("2014-09-30,2014,3,West Midlands,E080000,Coventry,VPRS,3\n");
        assert!(
            err.contains("row 2") && err.contains("column \"LAD Code\""),
            "{err}"
        );
        let err = bad("2014-09-29,2014,3,West Midlands,E08000026,Coventry,VPRS,3\n");
        assert!(
            err.contains("row 2") && err.contains("column \"Date\""),
            "{err}"
        );
        let err = bad("2014-09-30,2014,3,West Midlands,E08000026\n");
        assert!(err.contains("row 2") && err.contains("truncated"), "{err}");
        let err = read_error(
            &ResD01Reader,
            "res/res_d01_x_2014q1_2024q3.csv",
            b"Date,LAD Code,Persons\n",
        );
        assert!(
            err.contains("\"Local Authority\" is missing") && err.contains("res_d01_x"),
            "{err}"
        );
    }

    #[test]
    fn bom_and_blank_rows() {
        let text = format!(
            "\u{feff}{HEADER}2014-09-30,2014,3,West Midlands,E08000026,Coventry,Vulnerable Persons Resettlement Scheme,35\n,,,,,,,\n"
        );
        let out = read_bytes_as(
            &ResD01Reader,
            "res/res_d01_x_2014q1_2024q3.csv",
            text.as_bytes(),
        )
        .unwrap();
        assert_eq!(out.observations.observations.len(), 1);
        assert_eq!(
            out.observations.observations[0].period,
            Period::Quarter(2014, 3)
        );
        assert_eq!((out.audit.rows_used, out.audit.rows_rejected), (1, 1));
        assert!(out.audit.balances());
    }
}
