//! Census 2021 ethnic group (19 categories), counts and percentages, by lower-tier local authority.
//!
//! - **Publisher:** Office for National Statistics, the data behind the map in the bulletin
//!   "Ethnic group, England and Wales: Census 2021" (29 November 2022), sheet "Figure 3"
//!   (equivalent to table TS021 at LTLA level). Open Government Licence v3.0.
//! - **Period:** census day, 21 March 2021 (a stock).
//! - **File:** `census2021_ethnic_group_ltla21_long.csv` (long form by `humaniverse/demographr`),
//!   columns `ltla21_code, ltla21_name, ethnic_group, value`: 331 LTLAs (2021 codes) × 38 rows,
//!   19 headers ending "(number)" and 19 ending "(percent)".
//! - **Output:** counts as measure `usual_residents` (persons, [`Status::Perturbed`]); percentages
//!   as `usual_residents_share` ([`Unit::Percent`], published to 1 d.p., so [`Status::Rounded`]
//!   with the interval ±0.05). `group` is the published header without its "(number)" /
//!   "(percent)" suffix and with runs of spaces collapsed (one header has a double space), e.g.
//!   `"Asian, Asian British or Asian Welsh: Pakistani"`; see [`CATEGORIES`].
//! - **Quirks:** there is no total column. The 19 counts are perturbed independently, so they need
//!   not add up to the TS001 population (Birmingham: 1,144,922 against 1,144,919). The audit checks
//!   that each LTLA's 19 percentages add up to 100 within their rounding (±0.95), and that every
//!   percentage is within ±0.05 of 100 × count / (sum of the 19 counts).

use std::collections::{BTreeMap, HashSet};

use migkit_core::{AreaCode, Error, GeographyLevel, Interval, Result, Status, Unit};

use crate::audit::{FileAudit, TotalCheck};
use crate::cell::parse_number;
use crate::source::{ReadContext, ReadOutput, Reader, ReleaseMeta, SourceFile};
use crate::sources::census2021::{census_count, census_observation, census_release, ltla_code};
use crate::table::{CsvTable, is_blank};

/// Measure of the counts.
pub const COUNT_MEASURE: &str = "usual_residents";
/// Measure of the percentages (of the LTLA's usual residents).
pub const SHARE_MEASURE: &str = "usual_residents_share";

/// The 19 ethnic groups (the `group` labels), in the order of the 2021 classification.
pub const CATEGORIES: [&str; 19] = [
    "Asian, Asian British or Asian Welsh: Bangladeshi",
    "Asian, Asian British or Asian Welsh: Chinese",
    "Asian, Asian British or Asian Welsh: Indian",
    "Asian, Asian British or Asian Welsh: Pakistani",
    "Asian, Asian British or Asian Welsh: Other Asian",
    "Black, Black British, Black Welsh, Caribbean or African: African",
    "Black, Black British, Black Welsh, Caribbean or African: Caribbean",
    "Black, Black British, Black Welsh, Caribbean or African: Other Black",
    "Mixed or Multiple ethnic groups: White and Asian",
    "Mixed or Multiple ethnic groups: White and Black African",
    "Mixed or Multiple ethnic groups: White and Black Caribbean",
    "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups",
    "White: English, Welsh, Scottish, Northern Irish or British",
    "White: Irish",
    "White: Gypsy or Irish Traveller",
    "White: Roma",
    "White: Other White",
    "Other ethnic group: Arab",
    "Other ethnic group: Any other ethnic group",
];

/// Half the rounding unit of the published percentages (1 d.p.).
const HALF_UNIT: f64 = 0.05;

/// Whether a header is a count or a percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Kind {
    Count,
    Share,
}

/// Splits a published header into its clean label and kind.
fn split_header(header: &str) -> Option<(String, Kind)> {
    let h = header.trim();
    let (stem, kind) = if let Some(s) = h.strip_suffix("(number)") {
        (s, Kind::Count)
    } else {
        (h.strip_suffix("(percent)")?, Kind::Share)
    };
    Some((stem.split_whitespace().collect::<Vec<_>>().join(" "), kind))
}

/// The reader of the ethnic group file.
#[derive(Debug, Clone, Copy, Default)]
pub struct EthnicGroup;

/// The readers of this module.
pub fn readers() -> Vec<Box<dyn Reader>> {
    vec![Box::new(EthnicGroup)]
}

/// Per LTLA and category: (count, share).
type Cells = BTreeMap<AreaCode, BTreeMap<usize, (Option<f64>, Option<f64>)>>;

impl Reader for EthnicGroup {
    fn id(&self) -> &'static str {
        "ons_census2021_ethnic_group"
    }

    fn accepts(&self, file: &SourceFile) -> bool {
        let name = file.file_name();
        name.starts_with("census2021_ethnic_group_ltla") && name.ends_with(".csv")
    }

    fn release(&self, _file: &SourceFile) -> ReleaseMeta {
        census_release(
            "census2021_ethnic_group_ltla".into(),
            "ons_census2021_ethnic_group_ltla".into(),
            "Ethnic group, England and Wales: Census 2021 (Figure 3 data, equivalent to TS021), lower-tier local authorities",
            "2022-11-29",
        )
    }

    fn read(&self, file: &SourceFile, ctx: &ReadContext<'_>) -> Result<ReadOutput> {
        let table = CsvTable::open(&file.path)?;
        let release = self.release(file);
        let mut audit = FileAudit::new(&file.relative, &table.bytes, self.id(), &release.id);
        let [code_col, name_col, group_col, value_col] =
            table.columns(["ltla21_code", "ltla21_name", "ethnic_group", "value"])?;
        let strict = ctx.options.strict;
        let mut observations = Vec::with_capacity(table.rows.len());
        let mut cells: Cells = BTreeMap::new();
        let mut seen: HashSet<(AreaCode, usize, Kind)> = HashSet::new();
        let mut counts_read = 0.0;

        for (row, fields) in &table.rows {
            let row = *row;
            if is_blank(fields) {
                audit.reject(row, "blank row");
                continue;
            }
            let parsed = parse_row(
                &table,
                row,
                fields,
                [code_col, group_col, value_col],
                &mut seen,
            );
            let (code, index, kind, value) = match parsed {
                Ok(p) => p,
                Err(e) => {
                    audit.reject_or_fail(strict, row, e)?;
                    continue;
                }
            };
            let mut o = census_observation(
                row,
                code,
                &fields[code_col],
                fields[name_col].trim(),
                GeographyLevel::Lad,
                COUNT_MEASURE,
                value,
            )
            .with_group(CATEGORIES[index]);
            let cell = cells.entry(code).or_default().entry(index).or_default();
            match kind {
                Kind::Count => {
                    cell.0 = Some(value);
                    counts_read += value;
                }
                Kind::Share => {
                    let interval = Interval {
                        lower: (value - HALF_UNIT).max(0.0),
                        upper: (value + HALF_UNIT).min(100.0),
                    };
                    o = o.with_status(Status::Rounded, interval);
                    o.measure = SHARE_MEASURE.into();
                    o.unit = Unit::Percent;
                    cell.1 = Some(value);
                }
            }
            observations.push(o);
            audit.used();
        }

        let emitted = |m: &str| {
            observations
                .iter()
                .filter(|o| o.measure == m)
                .filter_map(|o| o.value)
                .sum::<f64>()
        };
        audit.total(TotalCheck::exact(
            "usual_residents: sum of the count cells read (no published total)",
            counts_read,
            emitted(COUNT_MEASURE),
        ));
        check_shares(&mut audit, &cells);
        Ok(ReadOutput::new(
            self.id(),
            release.id,
            file,
            observations,
            audit,
        ))
    }
}

/// Parses one row: (area, category index, kind, value).
fn parse_row(
    table: &CsvTable,
    row: u64,
    fields: &[String],
    [code_col, group_col, value_col]: [usize; 3],
    seen: &mut HashSet<(AreaCode, usize, Kind)>,
) -> Result<(AreaCode, usize, Kind, f64)> {
    let code = ltla_code(&fields[code_col], || table.at(row, code_col))?;
    let header = &fields[group_col];
    let (label, kind) = split_header(header).ok_or_else(|| {
        Error::input(
            table.at(row, group_col),
            format!("{header:?} ends neither in \"(number)\" nor in \"(percent)\""),
        )
    })?;
    let index = CATEGORIES.iter().position(|c| *c == label).ok_or_else(|| {
        Error::input(
            table.at(row, group_col),
            format!("{label:?} is not one of the 19 Census 2021 ethnic groups"),
        )
    })?;
    let value = match kind {
        Kind::Count => census_count(&fields[value_col], || table.at(row, value_col))?,
        Kind::Share => {
            let v = parse_number(&fields[value_col], || table.at(row, value_col))?;
            if !(0.0..=100.0).contains(&v) {
                return Err(Error::input(
                    table.at(row, value_col),
                    format!("percentage {v} is outside 0 to 100"),
                ));
            }
            v
        }
    };
    if !seen.insert((code, index, kind)) {
        return Err(Error::input(
            table.at(row, group_col),
            format!("{code} has {header:?} twice; each LTLA has each column once"),
        ));
    }
    Ok((code, index, kind, value))
}

/// Shares add to 100 within their rounding, and agree with the counts.
fn check_shares(audit: &mut FileAudit, cells: &Cells) {
    let (mut n_areas, mut shares_sum, mut n_shares) = (0.0, 0.0, 0.0);
    let mut failures = Vec::new();
    let (mut consistent, mut compared) = (0usize, 0usize);
    let mut incomplete = Vec::new();
    for (code, by_cat) in cells {
        let shares: Vec<f64> = by_cat.values().filter_map(|c| c.1).collect();
        let counts_sum: f64 = by_cat.values().filter_map(|c| c.0).sum();
        if by_cat.len() != CATEGORIES.len()
            || by_cat.values().any(|c| c.0.is_none() || c.1.is_none())
        {
            incomplete.push(code.to_string());
        }
        if !shares.is_empty() {
            let sum: f64 = shares.iter().sum();
            let slack = HALF_UNIT * shares.len() as f64;
            let check = TotalCheck::within(
                format!("usual_residents_share: {code} shares sum to 100"),
                100.0,
                sum,
                0.0,
                100.0 - slack,
                100.0 + slack,
            );
            n_areas += 1.0;
            shares_sum += sum;
            n_shares += shares.len() as f64;
            if !check.balanced {
                failures.push(check);
            }
        }
        for (count, share) in by_cat.values() {
            if let (Some(count), Some(share), true) = (count, share, counts_sum > 0.0) {
                compared += 1;
                if (share - 100.0 * count / counts_sum).abs() <= HALF_UNIT + 1e-9 {
                    consistent += 1;
                }
            }
        }
    }
    let slack = HALF_UNIT * n_shares;
    audit.total(TotalCheck::within(
        "usual_residents_share: each LTLA's shares sum to 100 (±0.05 per share), all LTLAs",
        100.0 * n_areas,
        shares_sum,
        0.0,
        100.0 * n_areas - slack,
        100.0 * n_areas + slack,
    ));
    audit.totals.extend(failures);
    audit.note(format!(
        "{consistent} of {compared} published shares are within ±0.05 of 100 × count / (sum of the LTLA's 19 counts)"
    ));
    if !incomplete.is_empty() {
        audit.note(format!(
            "LTLAs without all 19 counts and percentages: {}",
            incomplete.join(", ")
        ));
    }
}

#[cfg(test)]
mod tests {
    use migkit_core::{Observation, ObservationSet};

    use super::*;
    use crate::testing::{read_bytes_as, read_checked, read_error};

    const FILE: &str = "census2021-ethnic-group-ltla/census2021_ethnic_group_ltla21_long.csv";

    fn find<'a>(
        set: &'a ObservationSet,
        code: &str,
        measure: &str,
        group: &str,
    ) -> &'a Observation {
        let mut it = set.observations.iter().filter(|o| {
            o.area_code.as_str() == code
                && o.measure == measure
                && o.group.as_deref() == Some(group)
        });
        let o = it
            .next()
            .unwrap_or_else(|| panic!("{code} {measure} {group}"));
        assert!(it.next().is_none());
        o
    }

    #[test]
    fn birmingham() {
        let out = read_checked(&EthnicGroup, FILE);
        let set = &out.observations;
        assert_eq!((out.audit.rows_read, out.audit.rows_used), (12_578, 12_578));
        let b = "E08000025";
        let pakistani = "Asian, Asian British or Asian Welsh: Pakistani";
        let white_british = "White: English, Welsh, Scottish, Northern Irish or British";
        assert_eq!(
            find(set, b, COUNT_MEASURE, pakistani).value,
            Some(195_102.0)
        );
        assert_eq!(
            find(
                set,
                b,
                COUNT_MEASURE,
                "Black, Black British, Black Welsh, Caribbean or African: African"
            )
            .value,
            Some(66_822.0)
        );
        assert_eq!(
            find(set, b, COUNT_MEASURE, white_british).value,
            Some(491_211.0)
        );
        let share = find(set, b, SHARE_MEASURE, pakistani);
        assert_eq!(
            (share.value, share.unit, share.status),
            (Some(17.0), Unit::Percent, Status::Rounded)
        );
        assert!(
            (share.interval.lower - 16.95).abs() < 1e-9
                && (share.interval.upper - 17.05).abs() < 1e-9
        );
        assert_eq!(find(set, b, SHARE_MEASURE, white_british).value, Some(42.9));
        // The double-spaced header is cleaned to the same label as its count.
        let wba = "Mixed or Multiple ethnic groups: White and Black African";
        assert_eq!(find(set, b, SHARE_MEASURE, wba).value, Some(0.4));
        assert_eq!(find(set, b, COUNT_MEASURE, wba).status, Status::Perturbed);
        let sum: f64 = set
            .observations
            .iter()
            .filter(|o| o.area_code.as_str() == b && o.measure == COUNT_MEASURE)
            .filter_map(|o| o.value)
            .sum();
        assert_eq!(sum, 1_144_922.0);
        assert!(
            out.audit.totals.iter().all(|t| t.balanced),
            "{:?}",
            out.audit.totals
        );
        assert!(
            out.audit
                .notes
                .iter()
                .any(|n| n.starts_with("6289 of 6289")),
            "{:?}",
            out.audit.notes
        );
        assert_eq!(
            set.observations
                .iter()
                .filter(|o| o.measure == SHARE_MEASURE)
                .count(),
            331 * 19
        );
    }

    fn bad(body: &str) -> String {
        let text = format!("ltla21_code,ltla21_name,ethnic_group,value\n{body}");
        read_error(
            &EthnicGroup,
            "e/census2021_ethnic_group_ltla21_x.csv",
            text.as_bytes(),
        )
    }

    #[test]
    fn bad_input_names_file_row_and_column() {
        let err = bad("E08000025,Birmingham,White: Irish (number),lots\n");
        assert!(
            err.contains("census2021_ethnic_group_ltla21_x.csv, row 2, column \"value\"")
                && err.contains("lots"),
            "{err}"
        );
        let err = bad(
            "E08000025,Birmingham,White: Irish (number),1\nE08000025,Birmingham,White: Irish (ratio),1\n",
        );
        assert!(
            err.contains("row 3, column \"ethnic_group\"") && err.contains("(percent)"),
            "{err}"
        );
        let err = bad("E08000025,Birmingham,White: Welsh (number),1\n");
        assert!(
            err.contains("row 2, column \"ethnic_group\"") && err.contains("19"),
            "{err}"
        );
        let err = bad("E08000025,Birmingham,White: Irish (percent),101\n");
        assert!(
            err.contains("row 2, column \"value\"") && err.contains("0 to 100"),
            "{err}"
        );
        let err = bad("X08000025,Birmingham,White: Irish (percent),1\n");
        assert!(err.contains("row 2, column \"ltla21_code\""), "{err}");
        let err = bad("E08000025,Birmingham,White: Irish (percent)\n");
        assert!(err.contains("row 2") && err.contains("truncated"), "{err}");
        let err = bad("E08000025,Birmingham,White: Irish (number),2.5\n");
        assert!(
            err.contains("row 2, column \"value\"") && err.contains("whole"),
            "{err}"
        );
    }

    #[test]
    fn bom_and_shares_that_do_not_add_up() {
        let mut text = String::from("\u{feff}ltla21_code,ltla21_name,ethnic_group,value\n");
        for c in CATEGORIES {
            text.push_str(&format!(
                "\"E08000025\",Birmingham,\"{c}  (percent)\",1.0\n"
            ));
        }
        let out = read_bytes_as(
            &EthnicGroup,
            "e/census2021_ethnic_group_ltla21_x.csv",
            text.as_bytes(),
        )
        .unwrap();
        assert_eq!(out.observations.observations.len(), 19);
        let failing: Vec<_> = out.audit.totals.iter().filter(|t| !t.balanced).collect();
        assert_eq!(failing.len(), 2, "{failing:?}");
        assert!(failing.iter().any(|t| t.measure.contains("E08000025")));
        assert!(out.audit.notes.iter().any(|n| n.contains("without all 19")));
    }
}
