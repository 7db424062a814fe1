//! Home Office table **Reg_02**: immigration groups by local authority, as extracted by a third party.
//!
//! - **Publisher:** Home Office, "Regional and local authority data on immigration groups"
//!   (sheet `Reg_02`, "Immigration groups, by Local Authority, as at 31 December 2025"),
//!   published with "Immigration system statistics, year ending December 2025" on
//!   26 February 2026. Open Government Licence v3.0.
//! - **File:** `reg02_immigration_groups_by_la_<YYYY-MM-DD>_extracted.csv`: the straight copies
//!   of Reg_02 columns from the JSON mart of `tompickup23/asylumstats`, one row per LTLA
//!   (361: England 296 on post-2023 boundaries, Scotland 32, Wales 22, Northern Ireland 11).
//!   Release id `reg02_<quarter>` (`reg02_2025q4`), table id `ho_reg02`.
//! - **Period:** a stock as at the `snapshotDate` (31 December 2025): `Period::Snapshot`.
//! - **Columns read:** `areaCode`, `areaName`, `regionName`, `snapshotDate` and the counts below.
//!
//! # Tidy representation
//!
//! Each row gives 14 observations (stocks; a `group` of `None` is the published total of the
//! measure, the rows with a group are its parts):
//!
//! | column | measure | group |
//! |---|---|---|
//! | `population` | `population` (the Home Office's denominator) | – |
//! | `homesForUkraineArrivals` | `homes_for_ukraine_arrivals` | – |
//! | `afghanProgrammePopulation` | `afghan_programme_population` | – |
//! | `afghanProgrammeTransitional` / `LaHousing` / `PrsHousing` | `afghan_programme_population` | `transitional` / `la_housing` / `prs_housing` |
//! | `supportedAsylum` | `people_on_asylum_support` | – |
//! | `initialAccommodation` / `dispersalAccommodation` / `contingencyAccommodation` / `otherAccommodation` / `subsistenceOnly` | `people_on_asylum_support` | `initial` / `dispersal` / `contingency` / `other` / `subsistence_only` |
//! | `allThreePathwaysTotal` | `all_three_pathways_total` | – |
//! | `shareOfPopulationPct` | `share_of_population` (unit percent) | – |
//!
//! `homes_for_ukraine_arrivals` is **cumulative** arrivals since the scheme opened (not people
//! still living there): it is emitted as a stock at the snapshot date because that is what the
//! figure is, a running count on that date. Reg_02's accommodation groups have no support type
//! and do not split contingency into hotel/other (Asy_D11's `section_95/contingency_hotel`
//! style groups do); `contingency` is both.
//!
//! # Zeros, suppression and rounding
//!
//! Reg_02 suppresses counts under 5 as `*`, and the upstream extract turned every `*` into 0,
//! so **a 0 here may be a true 0 or a suppressed 1 to 4**. Every 0 in a count column
//! (`population` aside) is therefore emitted with `value: None` (not a known zero),
//! `Status::Suppressed` and `Interval::suppressed(0.0, 4.0)`; non-zero counts are published
//! exactly. `share_of_population` is published to two decimals: `Status::Rounded` with the
//! interval `value ± 0.005`.
//!
//! # Total checks
//!
//! For each measure and group, the sum of the cells read against the sum emitted; and, with the
//! intervals above (a 0 can be up to 4), in every row: the five accommodation types against
//! `supportedAsylum`, the three Afghan housing types against `afghanProgrammePopulation`, and
//! Homes for Ukraine + Afghan programme + supported asylum against `allThreePathwaysTotal`. A row
//! where an identity cannot hold gets its own unbalanced check naming the area.

use chrono::{Datelike, NaiveDate};
use migkit_core::{
    Error, GeographyLevel, Interval, MeasureKind, Observation, Period, Result, Status, Unit,
};

use crate::audit::{FileAudit, TotalCheck};
use crate::cell::{Cell, parse_cell};
use crate::source::{ReadContext, ReadOutput, Reader, ReleaseMeta, SourceFile};
use crate::sources::home_office::{
    HomeOfficeTable, IMMIGRATION_SYSTEM_STATISTICS, lower_tier_code, unmarked_count, vintage_on,
};
use crate::table::{CsvTable, is_blank};

/// The reader's source id.
pub const SOURCE: &str = "ho_reg02";
/// The table id shared by every vintage of Reg_02.
pub const TABLE: &str = "ho_reg02";

/// Count columns: (column, measure, group). `None` is the measure's published total.
pub const COUNT_COLUMNS: &[(&str, &str, Option<&str>)] = &[
    ("population", "population", None),
    (
        "homesForUkraineArrivals",
        "homes_for_ukraine_arrivals",
        None,
    ),
    (
        "afghanProgrammePopulation",
        "afghan_programme_population",
        None,
    ),
    (
        "afghanProgrammeTransitional",
        "afghan_programme_population",
        Some("transitional"),
    ),
    (
        "afghanProgrammeLaHousing",
        "afghan_programme_population",
        Some("la_housing"),
    ),
    (
        "afghanProgrammePrsHousing",
        "afghan_programme_population",
        Some("prs_housing"),
    ),
    ("supportedAsylum", "people_on_asylum_support", None),
    (
        "initialAccommodation",
        "people_on_asylum_support",
        Some("initial"),
    ),
    (
        "dispersalAccommodation",
        "people_on_asylum_support",
        Some("dispersal"),
    ),
    (
        "contingencyAccommodation",
        "people_on_asylum_support",
        Some("contingency"),
    ),
    (
        "otherAccommodation",
        "people_on_asylum_support",
        Some("other"),
    ),
    (
        "subsistenceOnly",
        "people_on_asylum_support",
        Some("subsistence_only"),
    ),
    ("allThreePathwaysTotal", "all_three_pathways_total", None),
];
/// The published percentage column and its measure.
pub const SHARE_COLUMN: (&str, &str) = ("shareOfPopulationPct", "share_of_population");

/// Identities checked in every row: (label, total column index, part column indices) into
/// [`COUNT_COLUMNS`].
const IDENTITIES: &[(&str, usize, &[usize])] = &[
    (
        "people_on_asylum_support: accommodation types vs supportedAsylum",
        6,
        &[7, 8, 9, 10, 11],
    ),
    (
        "afghan_programme_population: housing types vs afghanProgrammePopulation",
        2,
        &[3, 4, 5],
    ),
    (
        "all_three_pathways_total: Homes for Ukraine + Afghan programme + supported asylum",
        12,
        &[1, 2, 6],
    ),
];

/// The largest count that Reg_02 suppresses (fewer than 5 is shown as `*`, extracted as 0).
pub const SUPPRESSED_MAX: f64 = 4.0;

/// How Reg_02 files and releases are named, and the release dates known, by quarter.
const REG02: HomeOfficeTable = HomeOfficeTable {
    prefix: "reg02_",
    table: TABLE,
    publisher: IMMIGRATION_SYSTEM_STATISTICS,
    title: "Immigration groups, by Local Authority (Reg_02), third-party extract",
    release_dates: &[("2025q4", "2026-02-26")],
};

/// One row's observations and its count values with their intervals (in [`COUNT_COLUMNS`] order).
type ParsedRow = (Vec<Observation>, Vec<(f64, Interval)>);

/// Reads the Reg_02 extract.
#[derive(Debug, Clone, Copy, Default)]
pub struct Reg02Reader;

/// The readers of this module.
pub fn readers() -> Vec<Box<dyn Reader>> {
    vec![Box::new(Reg02Reader)]
}

/// The snapshot date in a file name such as `reg02_..._2025-12-31_extracted.csv`.
fn file_date(file_name: &str) -> Option<NaiveDate> {
    file_name
        .strip_suffix(".csv")?
        .split('_')
        .find_map(|part| NaiveDate::parse_from_str(part, "%Y-%m-%d").ok())
}

/// The interval and status of a count as extracted (0 may be a suppressed 1 to 4).
fn count_status(column: &str, value: f64) -> (Status, Interval) {
    if value == 0.0 && column != "population" {
        (
            Status::Suppressed,
            Interval::suppressed(0.0, SUPPRESSED_MAX),
        )
    } else {
        (Status::Published, Interval::exact(value))
    }
}

impl Reader for Reg02Reader {
    fn id(&self) -> &'static str {
        SOURCE
    }

    fn accepts(&self, file: &SourceFile) -> bool {
        let name = file.file_name();
        name.starts_with(REG02.prefix) && file_date(name).is_some()
    }

    fn release(&self, file: &SourceFile) -> ReleaseMeta {
        let date = file_date(file.file_name());
        let tag = date
            .map(|d| format!("{}q{}", d.year(), d.month0() / 3 + 1))
            .unwrap_or_else(|| "unknown".to_string());
        let as_at = date.map_or_else(String::new, |d| d.to_string());
        REG02.release(&tag, format!("snapshot as at {as_at}"))
    }

    fn read(&self, file: &SourceFile, ctx: &ReadContext<'_>) -> Result<ReadOutput> {
        let release = self.release(file);
        let table = CsvTable::open(&file.path)?;
        let mut audit = FileAudit::new(&file.relative, &table.bytes, SOURCE, &release.id);
        let [c_code, c_name, c_date, c_share] =
            table.columns(["areaCode", "areaName", "snapshotDate", SHARE_COLUMN.0])?;
        table.column("regionName")?;
        let count_cols = COUNT_COLUMNS
            .iter()
            .map(|(c, _, _)| table.column(c))
            .collect::<Result<Vec<usize>>>()?;

        let n = COUNT_COLUMNS.len();
        let mut published = vec![0.0; n + 1];
        let mut emitted = vec![0.0; n + 1];
        let mut rejected = vec![0.0; n + 1];
        // Per identity: (published total, emitted parts, lower, upper).
        let mut identity_sums = vec![(0.0, 0.0, 0.0, 0.0); IDENTITIES.len()];
        let mut observations = Vec::with_capacity(table.rows.len() * (n + 1));

        for (row, fields) in &table.rows {
            let row = *row;
            if is_blank(fields) {
                audit.reject(row, "blank row");
                continue;
            }
            let cells: Vec<f64> = count_cols
                .iter()
                .chain([&c_share])
                .map(|&c| match parse_cell(&fields[c]) {
                    Ok(Cell::Number(v)) => v,
                    _ => 0.0,
                })
                .collect();
            for (p, v) in published.iter_mut().zip(&cells) {
                *p += v;
            }
            let parsed = (|| -> Result<ParsedRow> {
                let code_text = fields[c_code].trim();
                let code = lower_tier_code(&table, row, c_code, code_text)?;
                let date_text = fields[c_date].trim();
                let date = NaiveDate::parse_from_str(date_text, "%Y-%m-%d").map_err(|_| {
                    Error::input(
                        table.at(row, c_date),
                        format!("{date_text:?} is not a date (YYYY-MM-DD)"),
                    )
                })?;
                let name = fields[c_name].trim();
                let vintage = vintage_on(date);
                let mut obs = Vec::with_capacity(n + 1);
                let mut values = Vec::with_capacity(n);
                for (i, &(column, measure, group)) in COUNT_COLUMNS.iter().enumerate() {
                    let c = count_cols[i];
                    let value = unmarked_count(
                        &table,
                        row,
                        c,
                        &fields[c],
                        "the extract has no disclosure markers (suppressed cells are 0)",
                    )?;
                    let (status, interval) = count_status(column, value);
                    values.push((value, interval));
                    let mut o = Observation::count(
                        row,
                        code,
                        name,
                        GeographyLevel::Lad,
                        vintage.clone(),
                        Period::Snapshot(date),
                        measure,
                        MeasureKind::Stock,
                        value,
                    )
                    .with_status(status, interval);
                    if status == Status::Suppressed {
                        // A 0 that may stand for a suppressed 1 to 4 is not a known zero.
                        o.value = None;
                    }
                    o.area_code_published = code_text.to_string();
                    o.group = group.map(str::to_string);
                    obs.push(o);
                }
                let share = parse_number_cell(&table, row, c_share, &fields[c_share])?;
                let mut o = Observation::count(
                    row,
                    code,
                    name,
                    GeographyLevel::Lad,
                    vintage,
                    Period::Snapshot(date),
                    SHARE_COLUMN.1,
                    MeasureKind::Stock,
                    share,
                )
                .with_status(
                    Status::Rounded,
                    Interval {
                        lower: (share - 0.005).max(0.0),
                        upper: share + 0.005,
                    },
                );
                o.unit = Unit::Percent;
                o.area_code_published = code_text.to_string();
                obs.push(o);
                Ok((obs, values))
            })();
            match parsed {
                Ok((obs, values)) => {
                    for (i, o) in obs.iter().enumerate() {
                        emitted[i] += o.value.unwrap_or(0.0);
                    }
                    for (k, &(label, total, parts)) in IDENTITIES.iter().enumerate() {
                        let (t_value, t) = values[total];
                        let p_value: f64 = parts.iter().map(|&j| values[j].0).sum();
                        let p: Interval = parts.iter().map(|&j| values[j].1).sum();
                        // The intervals overlap iff p.lower <= t.upper and t.lower <= p.upper;
                        // p_value = p.lower, so: t.lower - p.width() <= p_value <= t.upper.
                        let (lower, upper) = (t.lower - p.width(), t.upper);
                        let s = &mut identity_sums[k];
                        *s = (s.0 + t_value, s.1 + p_value, s.2 + lower, s.3 + upper);
                        let check = TotalCheck::within(label, t_value, p_value, 0.0, lower, upper);
                        if !check.balanced {
                            audit.total(TotalCheck {
                                measure: format!("{label} ({})", obs[0].area_code),
                                ..check
                            });
                        }
                    }
                    observations.extend(obs);
                    audit.used();
                }
                Err(err) => {
                    audit.reject_or_fail(ctx.options.strict, row, err)?;
                    for (r, v) in rejected.iter_mut().zip(&cells) {
                        *r += v;
                    }
                }
            }
        }

        for (i, &(column, measure, group)) in COUNT_COLUMNS
            .iter()
            .chain([&(SHARE_COLUMN.0, SHARE_COLUMN.1, None)])
            .enumerate()
        {
            let label = match group {
                Some(g) => format!("{measure} ({g}): sum of {column} over the rows read"),
                None => format!("{measure}: sum of {column} over the rows read"),
            };
            audit.total(TotalCheck::within(
                label,
                published[i],
                emitted[i],
                rejected[i],
                published[i],
                published[i],
            ));
        }
        for (&(label, _, _), &(t, p, lower, upper)) in IDENTITIES.iter().zip(&identity_sums) {
            audit.total(TotalCheck::within(
                format!("{label}, all rows"),
                t,
                p,
                0.0,
                lower,
                upper,
            ));
        }
        Ok(ReadOutput::new(
            SOURCE,
            release.id,
            file,
            observations,
            audit,
        ))
    }
}

/// A percentage cell: a non-negative number.
fn parse_number_cell(table: &CsvTable, row: u64, column: usize, text: &str) -> Result<f64> {
    let v = crate::cell::parse_number(text, || table.at(row, column))?;
    if v < 0.0 {
        return Err(Error::input(
            table.at(row, column),
            format!("percentage {v} is negative"),
        ));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use migkit_core::AreaCode;

    use super::*;
    use crate::testing::{read_bytes_as, read_checked, read_error};

    const FILE: &str = "ho-immigration-groups-by-la-reg02-dec2025/reg02_immigration_groups_by_la_2025-12-31_extracted.csv";
    const HEADER: &str = "areaCode,areaName,regionName,population,homesForUkraineArrivals,afghanProgrammePopulation,afghanProgrammeTransitional,afghanProgrammeLaHousing,afghanProgrammePrsHousing,supportedAsylum,initialAccommodation,dispersalAccommodation,contingencyAccommodation,otherAccommodation,subsistenceOnly,allThreePathwaysTotal,shareOfPopulationPct,snapshotDate\n";
    const BIRMINGHAM: &str = "E08000025,Birmingham,West Midlands,1183618,1346,625,0,382,243,2637,0,1387,1087,0,163,4608,0.39,2025-12-31\n";

    fn value(obs: &[Observation], code: &str, measure: &str, group: Option<&str>) -> f64 {
        let found: Vec<&Observation> = obs
            .iter()
            .filter(|o| {
                o.area_code.as_str() == code && o.measure == measure && o.group.as_deref() == group
            })
            .collect();
        assert_eq!(found.len(), 1, "{code} {measure} {group:?}");
        found[0].value.unwrap()
    }

    #[test]
    fn real_file_matches_provenance() {
        let out = read_checked(&Reg02Reader, FILE);
        let obs = &out.observations.observations;
        assert_eq!((out.audit.rows_read, out.audit.rows_used), (361, 361));
        assert_eq!(obs.len(), 361 * 14);
        assert_eq!(out.observations.release, "reg02_2025q4");
        let b = "E08000025";
        assert_eq!(value(obs, b, "homes_for_ukraine_arrivals", None), 1_346.0);
        assert_eq!(value(obs, b, "afghan_programme_population", None), 625.0);
        assert_eq!(
            value(obs, b, "afghan_programme_population", Some("la_housing")),
            382.0
        );
        assert_eq!(
            value(obs, b, "afghan_programme_population", Some("prs_housing")),
            243.0
        );
        assert_eq!(value(obs, b, "people_on_asylum_support", None), 2_637.0);
        assert_eq!(
            value(obs, b, "people_on_asylum_support", Some("dispersal")),
            1_387.0
        );
        assert_eq!(
            value(obs, b, "people_on_asylum_support", Some("contingency")),
            1_087.0
        );
        assert_eq!(
            value(obs, b, "people_on_asylum_support", Some("subsistence_only")),
            163.0
        );
        assert_eq!(value(obs, b, "population", None), 1_183_618.0);
        assert_eq!(
            value(obs, "E08000026", "people_on_asylum_support", None),
            1_719.0
        );

        let mut england: BTreeMap<&str, f64> = BTreeMap::new();
        for o in obs
            .iter()
            .filter(|o| o.area_code.as_str().starts_with('E') && o.group.is_none())
        {
            // Suppressed cells (extracted as 0) count 0 towards the published sums.
            *england.entry(o.measure.as_str()).or_default() += o.value.unwrap_or(0.0);
        }
        assert_eq!(england["homes_for_ukraine_arrivals"], 134_700.0);
        assert_eq!(england["afghan_programme_population"], 27_619.0);
        assert_eq!(england["people_on_asylum_support"], 94_354.0);
        // Every identity holds in every row, and no row got a check of its own.
        assert_eq!(out.audit.totals.len(), 14 + 3);
        assert!(out.audit.totals.iter().all(|t| t.balanced));
    }

    #[test]
    fn zeros_are_suppressed_and_shares_rounded() {
        let out = read_checked(&Reg02Reader, FILE);
        let obs = &out.observations.observations;
        let zeros: Vec<&Observation> = obs
            .iter()
            .filter(|o| o.status == Status::Suppressed && o.unit == Unit::Persons)
            .collect();
        assert!(!zeros.is_empty());
        assert!(
            zeros
                .iter()
                .all(|o| o.value.is_none() && o.interval == Interval::suppressed(0.0, 4.0))
        );
        let contingency_zeros = zeros
            .iter()
            .filter(|o| {
                o.measure == "people_on_asylum_support" && o.group.as_deref() == Some("contingency")
            })
            .count();
        assert_eq!(contingency_zeros, 236);
        assert!(
            obs.iter()
                .filter(|o| o.value.is_some() && o.unit == Unit::Persons)
                .all(|o| o.status == Status::Published && o.value != Some(0.0))
        );
        // The published share is all three pathways over population, to two decimals.
        let mut by_area: BTreeMap<AreaCode, BTreeMap<&str, &Observation>> = BTreeMap::new();
        for o in obs.iter().filter(|o| o.group.is_none()) {
            by_area
                .entry(o.area_code)
                .or_default()
                .insert(o.measure.as_str(), o);
        }
        for (code, m) in &by_area {
            let share = m["share_of_population"];
            assert_eq!((share.unit, share.status), (Unit::Percent, Status::Rounded));
            // A total extracted as 0 (suppressed, so None) has a published share of 0.
            let ratio = 100.0 * m["all_three_pathways_total"].value.unwrap_or(0.0)
                / m["population"].value.unwrap();
            assert!(
                (ratio - share.value.unwrap()).abs() <= 0.005 + 1e-9,
                "{code}: {ratio}"
            );
        }
    }

    #[test]
    fn inconsistent_row_gets_its_own_unbalanced_check() {
        // Birmingham with supportedAsylum raised by 10: the parts can no longer reach it.
        let row = BIRMINGHAM.replace(",2637,", ",2647,");
        let out = read_bytes_as(
            &Reg02Reader,
            "reg/reg02_x_2025-12-31_extracted.csv",
            format!("{HEADER}{row}").as_bytes(),
        )
        .unwrap();
        let bad: Vec<&TotalCheck> = out.audit.totals.iter().filter(|t| !t.balanced).collect();
        assert!(
            bad.iter()
                .any(|t| t.measure.contains("accommodation types")
                    && t.measure.contains("E08000025")),
            "{bad:?}"
        );
        // Raised by 3 only, the suppressed initial/other zeros (up to 4 each) can explain it.
        let row = BIRMINGHAM
            .replace(",2637,", ",2640,")
            .replace(",4608,", ",4611,");
        let out = read_bytes_as(
            &Reg02Reader,
            "reg/reg02_x_2025-12-31_extracted.csv",
            format!("{HEADER}{row}").as_bytes(),
        )
        .unwrap();
        assert!(
            out.audit
                .totals
                .iter()
                .filter(|t| t.measure.contains("vs supportedAsylum"))
                .all(|t| t.balanced),
            "{:?}",
            out.audit.totals
        );
    }

    #[test]
    fn bad_input_names_file_row_and_column() {
        let rel = "reg/reg02_x_2025-12-31_extracted.csv";
        let row = BIRMINGHAM.replace(",1346,", ",lots,");
        let err = read_error(
            &Reg02Reader,
            rel,
            format!("{HEADER}{BIRMINGHAM}{row}").as_bytes(),
        );
        assert!(
            err.contains("reg02_x_2025-12-31_extracted.csv")
                && err.contains("row 3")
                && err.contains("column \"homesForUkraineArrivals\""),
            "{err}"
        );
        let row = BIRMINGHAM.replace("E08000025", "E0800002");
        let err = read_error(&Reg02Reader, rel, format!("{HEADER}{row}").as_bytes());
        assert!(
            err.contains("row 2") && err.contains("column \"areaCode\""),
            "{err}"
        );
        let row = BIRMINGHAM.replace("E08000025", "E12000005");
        let err = read_error(&Reg02Reader, rel, format!("{HEADER}{row}").as_bytes());
        assert!(err.contains("lower-tier"), "{err}");
        let err = read_error(
            &Reg02Reader,
            rel,
            format!("{HEADER}E08000025,Birmingham\n").as_bytes(),
        );
        assert!(err.contains("row 2") && err.contains("truncated"), "{err}");
        let header = HEADER.replace("supportedAsylum,", "");
        let row = BIRMINGHAM.replace(",2637,", ",");
        let err = read_error(&Reg02Reader, rel, format!("{header}{row}").as_bytes());
        assert!(err.contains("\"supportedAsylum\" is missing"), "{err}");
    }

    #[test]
    fn bom_and_blank_rows() {
        let text = format!("\u{feff}{HEADER}{BIRMINGHAM},,,,,,,,,,,,,,,,,\n");
        let out = read_bytes_as(
            &Reg02Reader,
            "reg/reg02_x_2025-12-31_extracted.csv",
            text.as_bytes(),
        )
        .unwrap();
        assert_eq!(out.observations.observations.len(), 14);
        assert_eq!((out.audit.rows_used, out.audit.rows_rejected), (1, 1));
        assert!(out.audit.balances());
    }
}
