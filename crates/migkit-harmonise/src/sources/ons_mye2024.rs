//! ONS mid-2024 population estimates for England and Wales by local authority and single year of
//! age (persons).
//!
//! - Publisher: Office for National Statistics (ONS). Licence: Open Government Licence v3.0.
//! - Title: "Estimates of the population for England and Wales: mid-2024 (2023 local authority
//!   boundaries)", released July 2025; sheet "MYE2 - Persons" of `mye24tablesew.xlsx`, as a CSV
//!   export made by the LibrariesHacked project (`mye24tablesew_MYE2_persons.csv`: UTF-8 BOM,
//!   no final newline). Geography vintage `"2023"` (the table's boundaries; see
//!   [`BOUNDARY_VINTAGES`]).
//! - Columns: Code, Name, Geography, All ages, 0..89, 90+. Rows: England and Wales, England and
//!   Wales (`Country`), regions (`Region`), counties (`Utla`), local authorities (`Lad`);
//!   metropolitan counties are aggregates of their districts and are rejected in the audit, used
//!   only to check totals (as in [`ons_mye2020`](super::ons_mye2020)).
//! - Emitted: `population` at `Snapshot(30 June 2024)`, `age` `"0"`..`"89"`/`"90+"` or none for All
//!   ages, no sex (persons). Units: persons, unrounded.
//! - Post-Census-2021 basis: not directly comparable with the mid-2020 series without noting
//!   the rebasing.
//! - Checks: ages sum to All ages in every row; every aggregate row equals the sum of its local
//!   authorities.

use std::collections::BTreeMap;

use migkit_core::{Error, Location, ObservationSet, Result};

use super::ons_mye2020::{
    Table, check_mye2, emit_mye2, june_30, measure_checks, mid_year_release, parse_mye2,
};
use crate::audit::FileAudit;
use crate::source::{ReadContext, ReadOutput, Reader, ReleaseMeta, SourceFile};
use crate::table::CsvTable;

/// The readers of this module.
pub fn readers() -> Vec<Box<dyn Reader>> {
    vec![Box::new(EnglandWalesMye2Reader)]
}

/// The local authority boundaries (geography vintage) of each England and Wales MYE2 release
/// migkit knows, by the year of the estimates. ONS states them in the table title; add a row when
/// a new release arrives.
pub const BOUNDARY_VINTAGES: &[(i32, &str)] = &[(2024, "2023")];

/// The year of a file name such as `mye24tablesew_MYE2_persons.csv` → 2024.
pub fn mye2_ew_name(file_name: &str) -> Option<i32> {
    let rest = file_name.strip_prefix("mye")?;
    let yy: i32 = rest.get(..2)?.parse().ok()?;
    (rest.get(2..)? == "tablesew_MYE2_persons.csv").then_some(2000 + yy)
}

/// Reads the England and Wales MYE2 persons table (`mye{YY}tablesew_MYE2_persons.csv`).
/// Source id `ons_mye2024`.
#[derive(Debug, Clone, Copy, Default)]
pub struct EnglandWalesMye2Reader;

impl Reader for EnglandWalesMye2Reader {
    fn id(&self) -> &'static str {
        "ons_mye2024"
    }

    fn accepts(&self, file: &SourceFile) -> bool {
        mye2_ew_name(file.file_name()).is_some()
    }

    fn release(&self, file: &SourceFile) -> ReleaseMeta {
        let year = mye2_ew_name(file.file_name()).unwrap_or(2024);
        let vintage = BOUNDARY_VINTAGES
            .iter()
            .find(|(y, _)| *y == year)
            .map_or("unknown", |(_, v)| *v);
        mid_year_release(
            format!("mye_ew_mid{year}_mye2_persons"),
            "ons_mye_ew_mye2_persons",
            format!(
                "Estimates of the population for England and Wales: mid-{year} ({vintage} local authority boundaries), \
                 MYE2 - Persons"
            ),
            if year == 2024 {
                "2025-07".into()
            } else {
                format!("{}", year + 1)
            },
            format!("30 June {year}, by single year of age"),
        )
    }

    fn read(&self, file: &SourceFile, ctx: &ReadContext<'_>) -> Result<ReadOutput> {
        let path = &file.path;
        let year = mye2_ew_name(file.file_name()).ok_or_else(|| {
            Error::input(
                Location::file(path),
                "the file name is not mye{YY}tablesew_MYE2_persons.csv",
            )
        })?;
        let vintage = BOUNDARY_VINTAGES.iter().find(|(y, _)| *y == year).map(|(_, v)| *v).ok_or_else(|| {
            Error::input(
                Location::file(path),
                format!(
                    "the boundary vintage of the mid-{year} release is not known; add it (from the table title) to \
                     BOUNDARY_VINTAGES in ons_mye2024.rs"
                ),
            )
        })?;
        let csv = CsvTable::open(path)?;
        let release = self.release(file);
        let mut audit = FileAudit::new(&file.relative, &csv.bytes, self.id(), &release.id);
        let table = Table::from_csv(&csv);
        drop(csv);
        let (grid, ages) = parse_mye2(&table, ctx.options.strict, &mut audit)?;
        let date = june_30(year, || Location::file(path))?;
        let mut out = Vec::with_capacity(grid.rows.len() * ages.len());
        let sum = emit_mye2(&grid, &ages, None, date, vintage, &mut out);
        check_mye2(&grid, "persons", &mut audit);
        let set = ObservationSet {
            source: self.id().into(),
            release: release.id,
            file: file.relative.clone(),
            observations: out,
        };
        measure_checks(&mut audit, &BTreeMap::from([("population", sum)]), &set);
        Ok(ReadOutput::from_set(set, audit))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use migkit_core::GeographyLevel;

    use super::*;
    use crate::testing::{
        mye2_birmingham_row, mye2_header, read_bytes_as, read_checked, read_error,
    };

    const FILE: &str = "ons-mye-mid2024-la-age/mye24tablesew_MYE2_persons.csv";

    fn output() -> &'static ReadOutput {
        static OUT: OnceLock<ReadOutput> = OnceLock::new();
        OUT.get_or_init(|| read_checked(&EnglandWalesMye2Reader, FILE))
    }

    /// Population of an area summed over ages `from..=to` (None: All ages).
    fn population(code: &str, ages: Option<(u32, u32)>) -> f64 {
        output()
            .observations
            .observations
            .iter()
            .filter(|o| o.area_code.as_str() == code)
            .filter(|o| match (&o.age, ages) {
                (None, None) => true,
                (Some(age), Some((from, to))) => {
                    (from..=to).contains(&age.trim_end_matches('+').parse::<u32>().unwrap())
                }
                _ => false,
            })
            .map(|o| o.value.unwrap())
            .sum()
    }

    #[test]
    fn published_figures() {
        assert_eq!(population("K04000001", None), 61_806_682.0);
        assert_eq!(population("E12000005", None), 6_187_204.0);
        assert_eq!(population("E08000025", None), 1_183_618.0);
        assert_eq!(population("E08000025", Some((0, 17))), 292_859.0);
        assert_eq!(population("E08000025", Some((16, 90))), 924_423.0);
        assert_eq!(population("E08000026", None), 369_026.0);
        assert_eq!(population("E08000028", None), 353_860.0);
        assert_eq!(population("E08000031", None), 281_251.0);
        assert_eq!(population("E06000021", None), 270_425.0);
    }

    #[test]
    fn rows_levels_and_checks() {
        let out = output();
        assert_eq!((out.audit.rows_read, out.audit.rows_rejected), (357, 6));
        let obs = &out.observations.observations;
        assert_eq!(obs.len(), 351 * 92);
        assert!(
            obs.iter()
                .all(|o| o.geography_vintage == "2023" && o.sex.is_none())
        );
        let date = chrono::NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
        assert!(
            obs.iter()
                .all(|o| o.period == migkit_core::Period::Snapshot(date))
        );
        let level = |code: &str| {
            obs.iter()
                .find(|o| o.area_code.as_str() == code)
                .map(|o| o.geography_level)
        };
        assert_eq!(level("E10000028"), Some(GeographyLevel::Utla));
        assert_eq!(level("E11000005"), None);
        assert_eq!(level("E92000001"), Some(GeographyLevel::Country));
        let ages = out
            .audit
            .totals
            .iter()
            .find(|t| t.measure.contains("sum to All ages in every row"))
            .unwrap();
        assert!(ages.balanced && ages.note.is_none() && ages.published == ages.emitted);
        let aggregates = out
            .audit
            .totals
            .iter()
            .find(|t| t.measure.contains("aggregate rows"))
            .unwrap();
        assert!(
            aggregates.balanced && aggregates.measure.contains("39 aggregate rows"),
            "{aggregates:?}"
        );
    }

    fn csv(bom: bool, header_edit: impl Fn(Vec<String>) -> Vec<String>, row: &str) -> Vec<u8> {
        let mut bytes = if bom {
            b"\xEF\xBB\xBF".to_vec()
        } else {
            Vec::new()
        };
        // No final newline, as published; LF rather than the published CRLF because `CsvTable`
        // numbers the rows of CRLF files one too low (see the report on table.rs).
        bytes.extend(format!("{}\n{row}", header_edit(mye2_header()).join(",")).into_bytes());
        bytes
    }

    #[test]
    fn bom_header_parses_and_bad_input_names_file_row_and_column() {
        let r = &EnglandWalesMye2Reader;
        let out = read_bytes_as(r, FILE, &csv(true, |h| h, &mye2_birmingham_row("10"))).unwrap();
        assert_eq!(out.observations.observations.len(), 92);
        assert!(out.audit.totals.iter().all(|t| t.balanced));
        let e = read_error(
            r,
            FILE,
            &csv(
                true,
                |h| h.into_iter().filter(|c| c != "All ages").collect(),
                &mye2_birmingham_row("10").replace(",910,", ","),
            ),
        );
        assert!(
            e.contains("mye24tablesew_MYE2_persons.csv") && e.contains("\"All ages\" is missing"),
            "{e}"
        );
        let e = read_error(r, FILE, &csv(false, |h| h, &mye2_birmingham_row("1O")));
        assert!(
            e.contains("mye24tablesew_MYE2_persons.csv, row 2, column \"17\"")
                && e.contains("\"1O\""),
            "{e}"
        );
        let e = read_error(
            r,
            FILE,
            &csv(
                false,
                |h| h,
                "E08000025,Birmingham,Metropolitan District,910,10",
            ),
        );
        assert!(e.contains("row 2") && e.contains("truncated"), "{e}");
        let e = read_error(
            r,
            FILE,
            &csv(
                false,
                |h| h,
                &mye2_birmingham_row("10").replace("E08000025", "E0800002"),
            ),
        );
        assert!(
            e.contains("row 2, column \"Code\"") && e.contains("E0800002"),
            "{e}"
        );
        let e = read_error(
            r,
            FILE,
            &csv(
                false,
                |h| [h, vec!["91".into()]].concat(),
                &(mye2_birmingham_row("10") + ",1"),
            ),
        );
        assert!(e.contains("unexpected column \"91\""), "{e}");
        // Ages that do not sum to All ages leave the check unbalanced (the read does not hide it).
        let out = read_bytes_as(r, FILE, &csv(false, |h| h, &mye2_birmingham_row("11"))).unwrap();
        assert!(!out.audit.balances());
        let e = read_error(
            r,
            "ons-mye-mid2024-la-age/mye30tablesew_MYE2_persons.csv",
            &csv(false, |h| h, &mye2_birmingham_row("10")),
        );
        assert!(e.contains("BOUNDARY_VINTAGES"), "{e}");
    }
}
