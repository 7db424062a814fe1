//! Home Office table **NTS_01**: National Transfer Scheme transfers of unaccompanied
//! asylum-seeking children (UASC), by local authority, quarterly, UK.
//!
//! - **Publisher:** Home Office (UK Visas and Immigration), migration transparency data,
//!   "Resettlement, Asylum Support and Integration" (RASI), sheet `NTS_01`; the Q3 2023 file
//!   `UKVI_RASI_Q3_2023_Background_Published.ods`, published November 2023. Open Government
//!   Licence v3.0.
//! - **File:** `nts01_uasc_transfers_by_la_<first>_<last>.csv` (e.g. `..._2016q3_2023q3.csv`),
//!   as copied by `humaniverse/asylum` (which added `Date`, `Year`, `Quarter` and dropped rows
//!   with empty cells). Release id `nts01_<last>` (`nts01_2023q3`), table id `ho_nts01`.
//! - **Periods:** transfers during each quarter (flows), 2016 Q3 to 2023 Q3: `Period::Quarter`.
//! - **Columns read:** `Date`, `Region`, `Local Authority or HSCT (NI)`,
//!   `Transfers out of Local Authority`, `Transfers into Local Authority`,
//!   `Transfers into LA from port/intake unit`. `Able to participate in the NTS?` is not used:
//!   lower-tier districts marked "No" are real rows (mostly zeros) and are kept.
//!
//! # Tidy representation
//!
//! Each row gives three flows (persons, no group): `uasc_transfers_out`, `uasc_transfers_in`
//! and `uasc_transfers_in_from_port` (into the LA from a port or intake unit; non-zero from
//! 2020).
//!
//! # Areas
//!
//! The table has **names only**. The code is `ctx.bridge.code_for_name(name, quarter end)`, which
//! matches county, unitary and district names as in force on the date (the nearest in time where
//! the Home Office's list lags, e.g. "Scarborough" after April 2023), so the list mixes counties
//! (`GeographyLevel::Utla`, E10) with districts and unitaries (`GeographyLevel::Lad`); the
//! published name is kept in `area_code_published` and `area_name`. `geography_vintage` is the
//! ONS vintage in force at the quarter end. The Home Office lists Dorset twice ("Dorset" and
//! "Dorset (U)"); from April 2019 both are Dorset Council, so an area may have two rows in a
//! quarter (add them).
//!
//! Northern Ireland's five Health and Social Care Trusts ("Belfast HSCT", ...) run children's
//! services there but have no GSS local-authority code: their rows are emitted as
//! `GeographyLevel::Unallocated` under `N92000002` (Northern Ireland), with the trust's name in
//! `area_code_published` and `area_name`, so they count in Northern Ireland and UK totals and in
//! no district's. The Northern Ireland district councils also listed are matched by name.
//!
//! # Published subtotals
//!
//! Rows whose `Region` starts with `*Total` are the Home Office's subtotals for a region or
//! nation (`*Total West Midlands`) and the UK (`*Total`). They are used for total checks (for each
//! measure and region: the sum of the LA and HSCT rows equals `*Total`, summed over quarters, and
//! each quarter that does not match gets its own unbalanced check) **and** emitted as
//! region-level observations: region and nation codes are fixed GSS codes (E12000001–9,
//! W92000004, S92000003, N92000002, K02000001 for the UK) held in [`REGION_CODES`], not looked up
//! by name. They have `GeographyLevel::Region` (English regions) or `GeographyLevel::Country`,
//! so filter on the level before adding areas. A `*Total` row for a region not in the table is
//! rejected with the reason "published subtotal, used for total checks".
//!
//! Counts are unrounded and unsuppressed (`Status::Published`).

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use chrono::NaiveDate;
use migkit_core::{AreaCode, Error, GeographyLevel, MeasureKind, Observation, Result};

use crate::audit::{FileAudit, TotalCheck};
use crate::cell::{Cell, parse_cell};
use crate::source::{ReadContext, ReadOutput, Reader, ReleaseMeta, SourceFile};
use crate::sources::home_office::{HomeOfficeTable, quarter_end, unmarked_count, vintage_on};
use crate::table::{CsvTable, is_blank};

/// The reader's source id.
pub const SOURCE: &str = "ho_nts01";
/// The table id shared by every vintage of NTS_01.
pub const TABLE: &str = "ho_nts01";

/// The count columns and the measure each becomes.
pub const MEASURES: [(&str, &str); 3] = [
    ("Transfers out of Local Authority", "uasc_transfers_out"),
    ("Transfers into Local Authority", "uasc_transfers_in"),
    (
        "Transfers into LA from port/intake unit",
        "uasc_transfers_in_from_port",
    ),
];

/// Region and nation names as `*Total <name>` rows give them → (GSS code, level, official name).
/// The empty name is the UK (`*Total`).
pub const REGION_CODES: &[(&str, &str, GeographyLevel, &str)] = &[
    (
        "North East",
        "E12000001",
        GeographyLevel::Region,
        "North East",
    ),
    (
        "North West",
        "E12000002",
        GeographyLevel::Region,
        "North West",
    ),
    (
        "Yorkshire and The Humber",
        "E12000003",
        GeographyLevel::Region,
        "Yorkshire and The Humber",
    ),
    (
        "East Midlands",
        "E12000004",
        GeographyLevel::Region,
        "East Midlands",
    ),
    (
        "West Midlands",
        "E12000005",
        GeographyLevel::Region,
        "West Midlands",
    ),
    (
        "East of England",
        "E12000006",
        GeographyLevel::Region,
        "East of England",
    ),
    ("London", "E12000007", GeographyLevel::Region, "London"),
    (
        "South East",
        "E12000008",
        GeographyLevel::Region,
        "South East",
    ),
    (
        "South West",
        "E12000009",
        GeographyLevel::Region,
        "South West",
    ),
    ("Wales", "W92000004", GeographyLevel::Country, "Wales"),
    ("Scotland", "S92000003", GeographyLevel::Country, "Scotland"),
    (
        "Northern Ireland",
        "N92000002",
        GeographyLevel::Country,
        "Northern Ireland",
    ),
    ("", "K02000001", GeographyLevel::Country, "United Kingdom"),
];

/// The code under which Northern Ireland's Health and Social Care Trusts are emitted.
pub const HSCT_CODE: &str = "N92000002";

/// The prefix of published subtotal rows in `Region`.
const TOTAL_PREFIX: &str = "*Total";

/// How NTS_01 files and releases are named, and the release dates known, by last quarter
/// (November 2023: no day given).
const NTS01: HomeOfficeTable = HomeOfficeTable {
    prefix: "nts01_",
    table: TABLE,
    publisher: "Home Office (UK Visas and Immigration), migration transparency data",
    title: "National Transfer Scheme transfers of unaccompanied asylum-seeking children, by local authority (NTS_01)",
    release_dates: &[("2023q3", "2023-11")],
};

/// True for a Northern Ireland Health and Social Care Trust name ("Belfast HSCT").
pub fn is_hsct(name: &str) -> bool {
    let upper = name.trim().to_ascii_uppercase();
    upper.ends_with(" HSCT") || upper.contains("HEALTH AND SOCIAL CARE TRUST")
}

/// The region entry of a `*Total ...` row's `Region` text, if it is one.
fn region_of_total(
    region: &str,
) -> Option<&'static (&'static str, &'static str, GeographyLevel, &'static str)> {
    let rest = region.trim().strip_prefix(TOTAL_PREFIX)?.trim();
    REGION_CODES
        .iter()
        .find(|(name, ..)| name.eq_ignore_ascii_case(rest))
}

/// The level of a code that the bridge gave for an LA name.
fn level_of(code: &AreaCode) -> Option<GeographyLevel> {
    if code.is_lower_tier() {
        Some(GeographyLevel::Lad)
    } else if matches!(code.entity(), "E10" | "E11") {
        Some(GeographyLevel::Utla)
    } else {
        None
    }
}

/// Reads NTS_01 CSV files.
#[derive(Debug, Clone, Copy, Default)]
pub struct Nts01Reader;

/// The readers of this module.
pub fn readers() -> Vec<Box<dyn Reader>> {
    vec![Box::new(Nts01Reader)]
}

/// Sums of the three measures.
type Sums = [f64; 3];

fn add(into: &mut Sums, values: &Sums) {
    for (a, b) in into.iter_mut().zip(values) {
        *a += b;
    }
}

impl Reader for Nts01Reader {
    fn id(&self) -> &'static str {
        SOURCE
    }

    fn accepts(&self, file: &SourceFile) -> bool {
        NTS01.accepts_quarterly(file.file_name())
    }

    fn release(&self, file: &SourceFile) -> ReleaseMeta {
        NTS01.quarterly_release(file.file_name(), "2016 Q3", "transfers per quarter")
    }

    fn read(&self, file: &SourceFile, ctx: &ReadContext<'_>) -> Result<ReadOutput> {
        let release = self.release(file);
        let table = CsvTable::open(&file.path)?;
        let mut audit = FileAudit::new(&file.relative, &table.bytes, SOURCE, &release.id);
        let [c_date, c_region, c_name] =
            table.columns(["Date", "Region", "Local Authority or HSCT (NI)"])?;
        let c_counts = table.columns(MEASURES.map(|(column, _)| column))?;
        let hsct_code: AreaCode = HSCT_CODE.parse()?;

        // LA/HSCT sums and published subtotals, by (region name as published, quarter end).
        let mut la_sums: BTreeMap<(String, NaiveDate), Sums> = BTreeMap::new();
        let mut subtotals: BTreeMap<(String, NaiveDate), (u64, Sums)> = BTreeMap::new();
        let (mut la_rejected, mut la_emitted): (Sums, Sums) = ([0.0; 3], [0.0; 3]);
        let mut observations = Vec::with_capacity(table.rows.len() * 3);

        for (row, fields) in &table.rows {
            let row = *row;
            if is_blank(fields) {
                audit.reject(row, "blank row");
                continue;
            }
            let cells: Sums = c_counts.map(|c| match parse_cell(&fields[c]) {
                Ok(Cell::Number(v)) => v,
                _ => 0.0,
            });
            let region_text = fields[c_region].trim();
            let is_total = region_text.starts_with(TOTAL_PREFIX);
            let parsed = (|| -> Result<(NaiveDate, Vec<Observation>)> {
                let (date, period) =
                    quarter_end(&table, row, c_date, &fields[c_date], "2023-09-30")?;
                let mut values = [0.0; 3];
                for (k, &c) in c_counts.iter().enumerate() {
                    values[k] = unmarked_count(
                        &table,
                        row,
                        c,
                        &fields[c],
                        "NTS_01 publishes no disclosure markers",
                    )?;
                }
                let name = fields[c_name].trim();
                let (code, level, area_name) = if is_total {
                    match region_of_total(region_text) {
                        Some((_, code, level, official)) => {
                            (code.parse()?, *level, official.to_string())
                        }
                        None => return Ok((date, Vec::new())),
                    }
                } else if is_hsct(name) {
                    (hsct_code, GeographyLevel::Unallocated, name.to_string())
                } else {
                    let code = ctx
                        .bridge
                        .code_for_name(name, date)
                        .map_err(|e| Error::input(table.at(row, c_name), e.to_string()))?;
                    let level = level_of(&code).ok_or_else(|| {
                        Error::input(
                            table.at(row, c_name),
                            format!("{name:?} matched {code}, which is not a local authority code"),
                        )
                    })?;
                    (code, level, name.to_string())
                };
                let published = if is_total { region_text } else { name };
                let obs = MEASURES
                    .iter()
                    .zip(values)
                    .map(|(&(_, measure), value)| {
                        let mut o = Observation::count(
                            row,
                            code,
                            area_name.clone(),
                            level,
                            vintage_on(date),
                            period,
                            measure,
                            MeasureKind::Flow,
                            value,
                        );
                        o.area_code_published = published.to_string();
                        o
                    })
                    .collect();
                Ok((date, obs))
            })();
            match parsed {
                Ok((date, obs)) if is_total => {
                    let key = (region_text.to_string(), date);
                    match subtotals.entry(key) {
                        Entry::Occupied(_) => {
                            let err = Error::input(
                                table.at(row, c_region),
                                format!("a second {region_text:?} row for {date}"),
                            );
                            audit.reject_or_fail(ctx.options.strict, row, err)?;
                            continue;
                        }
                        Entry::Vacant(slot) => {
                            slot.insert((row, cells));
                        }
                    }
                    if obs.is_empty() {
                        audit.reject(row, "published subtotal, used for total checks");
                    } else {
                        observations.extend(obs);
                        audit.used();
                    }
                }
                Ok((date, obs)) => {
                    add(
                        la_sums.entry((region_text.to_string(), date)).or_default(),
                        &cells,
                    );
                    add(la_sums.entry((String::new(), date)).or_default(), &cells);
                    add(&mut la_emitted, &cells);
                    observations.extend(obs);
                    audit.used();
                }
                Err(err) => {
                    audit.reject_or_fail(ctx.options.strict, row, err)?;
                    if !is_total {
                        add(&mut la_rejected, &cells);
                        // Rejected LA rows still count towards their region's published total.
                        if let Ok(d) = NaiveDate::parse_from_str(fields[c_date].trim(), "%Y-%m-%d")
                        {
                            add(
                                la_sums.entry((region_text.to_string(), d)).or_default(),
                                &cells,
                            );
                            add(la_sums.entry((String::new(), d)).or_default(), &cells);
                        }
                    }
                }
            }
        }

        check_totals(&mut audit, &la_sums, &subtotals, la_emitted, la_rejected);
        Ok(ReadOutput::new(
            SOURCE,
            release.id,
            file,
            observations,
            audit,
        ))
    }
}

/// The total checks described in the module docs.
fn check_totals(
    audit: &mut FileAudit,
    la_sums: &BTreeMap<(String, NaiveDate), Sums>,
    subtotals: &BTreeMap<(String, NaiveDate), (u64, Sums)>,
    la_emitted: Sums,
    la_rejected: Sums,
) {
    // Per region (and the UK, keyed ""), over all quarters with a published subtotal.
    let mut regions: BTreeMap<&str, (Sums, Sums)> = BTreeMap::new();
    let mut missing = 0usize;
    for ((region, date), (row, published)) in subtotals {
        let key = region.strip_prefix(TOTAL_PREFIX).unwrap_or(region).trim();
        let la = la_sums
            .get(&(key.to_string(), *date))
            .copied()
            .unwrap_or_default();
        let entry = regions.entry(key).or_default();
        add(&mut entry.0, published);
        add(&mut entry.1, &la);
        for (k, (_, measure)) in MEASURES.iter().enumerate() {
            if la[k] != published[k] {
                audit.total(TotalCheck::exact(
                    format!("{measure}: LA and HSCT rows vs {region:?} of {date} (row {row})"),
                    published[k],
                    la[k],
                ));
            }
        }
    }
    for (region, date) in la_sums.keys() {
        let total = if region.is_empty() {
            TOTAL_PREFIX.to_string()
        } else {
            format!("{TOTAL_PREFIX} {region}")
        };
        if !subtotals.contains_key(&(total, *date)) {
            missing += 1;
        }
    }
    if missing > 0 {
        audit.note(format!("{missing} region-quarters have LA rows but no published *Total row to check them against"));
    }
    for (region, (published, la)) in &regions {
        let name = if region.is_empty() { "UK" } else { region };
        for (k, (_, measure)) in MEASURES.iter().enumerate() {
            let check = if region.is_empty() {
                // The UK check splits the LA sum into emitted and rejected rows.
                TotalCheck::within(
                    format!("{measure}: LA and HSCT rows vs *Total (UK), all quarters"),
                    published[k],
                    la_emitted[k],
                    la_rejected[k],
                    published[k],
                    published[k],
                )
            } else {
                TotalCheck::exact(
                    format!("{measure}: LA and HSCT rows vs *Total {name}, all quarters"),
                    published[k],
                    la[k],
                )
            };
            audit.total(check);
        }
    }
    // Every transfer out of one LA is a transfer into another.
    if let Some((published, _)) = regions.get("") {
        audit.total(TotalCheck::exact(
            "uasc_transfers_out vs uasc_transfers_in: *Total (UK), all quarters",
            published[1],
            published[0],
        ));
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use migkit_core::Period;

    use super::*;
    use crate::testing::{read_bytes_as, read_checked, read_error};

    const FILE: &str =
        "ho-uasc-national-transfer-scheme-by-la-nts01/nts01_uasc_transfers_by_la_2016q3_2023q3.csv";
    const HEADER: &str = "Date,Year,Quarter,Region,Local Authority or HSCT (NI),Able to participate in the NTS?,Transfers out of Local Authority,Transfers into Local Authority,Transfers into LA from port/intake unit\n";
    const REL: &str = "nts/nts01_x_2016q3_2023q3.csv";

    /// Sums of a measure over observations at a level, by calendar year.
    fn by_year(obs: &[Observation], code: &str, measure: &str) -> BTreeMap<i32, f64> {
        let mut out = BTreeMap::new();
        for o in obs
            .iter()
            .filter(|o| o.area_code.as_str() == code && o.measure == measure)
        {
            if let Period::Quarter(y, _) = o.period {
                *out.entry(y).or_default() += o.value.unwrap();
            }
        }
        out
    }

    #[test]
    fn real_file_matches_provenance() {
        let out = read_checked(&Nts01Reader, FILE);
        let obs = &out.observations.observations;
        assert_eq!(
            (
                out.audit.rows_read,
                out.audit.rows_used,
                out.audit.rows_rejected
            ),
            (12_538, 12_538, 0)
        );
        assert_eq!(obs.len(), 12_538 * 3);
        let region_level = |o: &&Observation| {
            matches!(
                o.geography_level,
                GeographyLevel::Region | GeographyLevel::Country
            )
        };
        assert_eq!(obs.iter().filter(region_level).count(), 377 * 3);
        assert_eq!(obs.iter().filter(|o| !region_level(o)).count(), 12_161 * 3);
        // All subtotal checks balance: sum of LA rows = *Total for every region and quarter.
        assert!(
            out.audit.totals.iter().all(|t| t.balanced),
            "{:?}",
            out.audit
                .totals
                .iter()
                .filter(|t| !t.balanced)
                .collect::<Vec<_>>()
        );
        assert_eq!(out.audit.totals.len(), 13 * 3 + 1);

        let uk_out = by_year(obs, "K02000001", "uasc_transfers_out");
        let uk_in = by_year(obs, "K02000001", "uasc_transfers_in");
        let uk_port = by_year(obs, "K02000001", "uasc_transfers_in_from_port");
        let expected = [
            (2016, 231.0, 0.0),
            (2017, 403.0, 0.0),
            (2018, 251.0, 0.0),
            (2019, 100.0, 0.0),
            (2020, 294.0, 237.0),
            (2021, 541.0, 735.0),
            (2022, 1_099.0, 2_066.0),
            (2023, 1_454.0, 923.0),
        ];
        for (y, transfers, port) in expected {
            assert_eq!(
                (uk_out[&y], uk_in[&y], uk_port[&y]),
                (transfers, transfers, port),
                "{y}"
            );
        }
        // The same from the LA and HSCT rows.
        let la_in_2022: f64 = obs
            .iter()
            .filter(|o| {
                !region_level(o)
                    && o.measure == "uasc_transfers_in"
                    && matches!(o.period, Period::Quarter(2022, _))
            })
            .map(|o| o.value.unwrap())
            .sum();
        assert_eq!(la_in_2022, 1_099.0);
        let q = |code: &str, measure: &str, p: Period| -> f64 {
            obs.iter()
                .filter(|o| o.area_code.as_str() == code && o.measure == measure && o.period == p)
                .map(|o| o.value.unwrap())
                .sum()
        };
        assert_eq!(
            q("K02000001", "uasc_transfers_in", Period::Quarter(2023, 3)),
            881.0
        );
        assert_eq!(
            q(
                "K02000001",
                "uasc_transfers_in_from_port",
                Period::Quarter(2023, 3)
            ),
            359.0
        );

        let wm_in = by_year(obs, "E12000005", "uasc_transfers_in");
        let wm_port = by_year(obs, "E12000005", "uasc_transfers_in_from_port");
        assert_eq!((wm_in[&2021], wm_port[&2021]), (79.0, 73.0));
        assert_eq!((wm_in[&2022], wm_port[&2022]), (75.0, 174.0));
        assert_eq!((wm_in[&2023], wm_port[&2023]), (120.0, 86.0));

        assert_eq!(
            q("E08000025", "uasc_transfers_in", Period::Quarter(2023, 3)),
            9.0
        );
        assert_eq!(
            q(
                "E08000025",
                "uasc_transfers_in_from_port",
                Period::Quarter(2023, 3)
            ),
            4.0
        );
        assert_eq!(
            q("E08000025", "uasc_transfers_in", Period::Quarter(2022, 4)),
            0.0
        );
        assert_eq!(
            q(
                "E08000025",
                "uasc_transfers_in_from_port",
                Period::Quarter(2022, 4)
            ),
            10.0
        );
    }

    #[test]
    fn names_become_codes_and_hscts_are_unallocated() {
        let out = read_checked(&Nts01Reader, FILE);
        let obs = &out.observations.observations;
        let code_of = |name: &str, p: Period| -> AreaCode {
            obs.iter()
                .find(|o| o.area_code_published == name && o.period == p)
                .unwrap()
                .area_code
        };
        let q3 = Period::Quarter(2023, 3);
        assert_eq!(code_of("Birmingham", q3).as_str(), "E08000025");
        assert_eq!(code_of("Staffordshire", q3).as_str(), "E10000028");
        assert_eq!(code_of("Stafford", q3).as_str(), "E07000197");
        let hscts: Vec<&Observation> = obs
            .iter()
            .filter(|o| o.geography_level == GeographyLevel::Unallocated)
            .collect();
        assert_eq!(hscts.len(), 5 * 29 * 3);
        assert!(
            hscts
                .iter()
                .all(|o| o.area_code.as_str() == HSCT_CODE && o.area_name.ends_with("HSCT"))
        );
        // 33 distinct West Midlands names, counties and districts.
        let table = CsvTable::open(&crate::testing::source_file(FILE).path).unwrap();
        let region = table.column("Region").unwrap();
        let wm_rows: std::collections::HashSet<u64> = table
            .rows
            .iter()
            .filter(|(_, f)| f[region] == "West Midlands")
            .map(|(r, _)| *r)
            .collect();
        let wm: std::collections::BTreeSet<&str> = obs
            .iter()
            .filter(|o| wm_rows.contains(&o.source_row))
            .map(|o| o.area_code_published.as_str())
            .collect();
        assert_eq!(wm.len(), 33);
        assert!(
            obs.iter()
                .filter(|o| wm_rows.contains(&o.source_row))
                .all(|o| o.area_code.as_str().starts_with('E'))
        );
    }

    #[test]
    fn subtotal_mismatch_gets_its_own_check() {
        let body = "2023-09-30,2023,3,West Midlands,Birmingham,Yes,0,9,4\n\
                    2023-09-30,2023,3,*Total West Midlands,*Total,-,0,10,4\n\
                    2023-09-30,2023,3,*Total,*Total,-,0,9,4\n";
        let out = read_bytes_as(&Nts01Reader, REL, format!("{HEADER}{body}").as_bytes()).unwrap();
        let bad: Vec<&TotalCheck> = out.audit.totals.iter().filter(|t| !t.balanced).collect();
        assert!(
            bad.iter()
                .any(|t| t.measure.contains("*Total West Midlands\" of 2023-09-30")),
            "{bad:?}"
        );
        assert!(out.audit.totals.iter().any(|t| {
            t.measure
                .starts_with("uasc_transfers_in: LA and HSCT rows vs *Total (UK)")
                && t.balanced
        }));
        // A region's subtotal published twice for one quarter is an error.
        let body =
            "2023-09-30,2023,3,*Total,*Total,-,0,9,4\n2023-09-30,2023,3,*Total,*Total,-,0,9,4\n";
        let err = read_error(&Nts01Reader, REL, format!("{HEADER}{body}").as_bytes());
        assert!(
            err.contains("row 3") && err.contains("column \"Region\"") && err.contains("second"),
            "{err}"
        );
        // Totals for an unknown region are rejected, not emitted.
        let body = "2023-09-30,2023,3,*Total Atlantis,*Total,-,0,0,0\n";
        let out = read_bytes_as(&Nts01Reader, REL, format!("{HEADER}{body}").as_bytes()).unwrap();
        assert_eq!(
            out.audit.rejected[0].reason,
            "published subtotal, used for total checks"
        );
        assert!(out.observations.observations.is_empty());
    }

    #[test]
    fn bad_input_names_file_row_and_column() {
        let ok = "2023-09-30,2023,3,West Midlands,Birmingham,Yes,0,9,4\n";
        let err = read_error(
            &Nts01Reader,
            REL,
            format!("{HEADER}{ok}2023-09-30,2023,3,West Midlands,Coventry,Yes,0,two,4\n")
                .as_bytes(),
        );
        assert!(
            err.contains("nts01_x_2016q3_2023q3.csv")
                && err.contains("row 3")
                && err.contains("column \"Transfers into Local Authority\""),
            "{err}"
        );
        let err = read_error(
            &Nts01Reader,
            REL,
            format!("{HEADER}2023-09-30,2023,3,West Midlands,Narnia,Yes,0,1,4\n").as_bytes(),
        );
        assert!(
            err.contains("row 2")
                && err.contains("column \"Local Authority or HSCT (NI)\"")
                && err.contains("Narnia"),
            "{err}"
        );
        let err = read_error(
            &Nts01Reader,
            REL,
            format!("{HEADER}2023-09-31,2023,3,West Midlands,Birmingham,Yes,0,1,4\n").as_bytes(),
        );
        assert!(
            err.contains("row 2") && err.contains("column \"Date\""),
            "{err}"
        );
        let err = read_error(
            &Nts01Reader,
            REL,
            format!("{HEADER}2023-09-30,2023,3,West Midlands\n").as_bytes(),
        );
        assert!(err.contains("row 2") && err.contains("truncated"), "{err}");
        let err = read_error(
            &Nts01Reader,
            REL,
            b"Date,Region,Local Authority or HSCT (NI)\n",
        );
        assert!(
            err.contains("\"Transfers out of Local Authority\" is missing"),
            "{err}"
        );
    }

    #[test]
    fn bom_and_blank_rows() {
        let text = format!(
            "\u{feff}{HEADER}2023-09-30,2023,3,Northern Ireland,Belfast HSCT,Yes,1,2,3\n,,,,,,,,\n"
        );
        let out = read_bytes_as(&Nts01Reader, REL, text.as_bytes()).unwrap();
        assert_eq!(out.observations.observations.len(), 3);
        assert_eq!(
            out.observations.observations[0].geography_level,
            GeographyLevel::Unallocated
        );
        assert_eq!((out.audit.rows_used, out.audit.rows_rejected), (1, 1));
        assert!(out.audit.balances());
        assert_eq!(
            Nts01Reader.release(&crate::testing::source_file(FILE)).id,
            "nts01_2023q3"
        );
    }
}
