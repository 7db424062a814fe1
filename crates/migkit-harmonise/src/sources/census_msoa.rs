//! Census 2021 West Midlands MSOA extracts: TS019 migrant indicator, TS029 proficiency in
//! English, TS022 ethnic group (broad).
//!
//! - **Publisher:** Office for National Statistics, Census 2021 Nomis bulk files (MSOA 2021
//!   geography): TS019 "Migrant indicator" (released 2 November 2022), TS029 "Proficiency in
//!   English language" and TS022 "Ethnic group (detailed)" (29 November 2022). Open Government
//!   Licence v3.0. Extracted for the 736 MSOAs of the 30 West Midlands LADs by the
//!   `humaniverse/demographr` project and filtered here (see the folder's PROVENANCE.md).
//! - **Period:** census day, 21 March 2021 (stocks). Geography: MSOA 2021 codes (`E02…`),
//!   [`GeographyLevel::Msoa`], vintage `"2021"`.
//! - **Files and output** (all counts [`Status::Perturbed`](migkit_core::Status::Perturbed)):
//!   - `census2021_ts019_migrant_indicator_wm_msoa21.csv`, wide: measure
//!     `usual_residents_aged_1_plus` (the universe is residents aged 1 and over), `group` = `None`
//!     for `all_usual_residents` and the column name for the four categories
//!     (`address_one_year_ago_is_the_same`, `address_one_year_ago_is_student_or_boarding`,
//!     `migrant_from_within_uk`, `migrant_from_outside_uk`), which partition the total.
//!   - `census2021_ts029_proficiency_in_english_wm_msoa21.csv`, wide: measure
//!     `usual_residents_aged_3_plus` (residents aged 3 and over) by `group`: `main_language_english`,
//!     `main_language_not_english`, and its four parts `main_language_not_english_can_speak_english_very_well`,
//!     `..._can_speak_english_well`, `..._cannot_speak_english_well`, `..._cannot_speak_english`
//!     (a child's label starts with its parent's, as in TS012: do not sum a parent with its
//!     children). **No total column** (dropped upstream); `main_language_english` +
//!     `main_language_not_english` partition the universe. No total is emitted.
//!   - `census2021_ts022_ethnic_group_broad_wm_msoa21_long.csv`, long: measure `usual_residents`
//!     by the six broad groups (published labels, e.g. `"White"`), and `group` = `None` for
//!     `total_residents`, taken once per MSOA from its first row.
//! - **Quirks:** the `ltla21_code` column was added by the extract (from MSOA names); it is checked
//!   to be an LTLA code but is not emitted: MSOA → LAD comes from the geography bridge. The lookup
//!   `wm_msoa21_to_ltla21_from_msoa_names.csv` in the same folder belongs to the bridge and is not
//!   read here. The audit checks, for every MSOA, that categories add up to their total or parent
//!   (exact in these files; perturbation could break it, and differences are listed with a note).

use std::collections::{BTreeMap, HashMap, HashSet};

use migkit_core::{AreaCode, Error, GeographyLevel, Location, Observation, Result};

use crate::audit::{FileAudit, TotalCheck};
use crate::source::{ReadContext, ReadOutput, Reader, ReleaseMeta, SourceFile};
use crate::sources::census2021::{
    add_perturbed_sum_checks, census_count, census_observation, census_release, ltla_code,
};
use crate::table::{CsvTable, is_blank};

/// TS019 measure: usual residents aged 1 and over.
pub const TS019_MEASURE: &str = "usual_residents_aged_1_plus";
/// TS029 measure: usual residents aged 3 and over.
pub const TS029_MEASURE: &str = "usual_residents_aged_3_plus";
/// TS022 measure: usual residents.
pub const TS022_MEASURE: &str = "usual_residents";

/// The six broad ethnic groups of TS022, as published.
pub const TS022_GROUPS: [&str; 6] = [
    "Asian, Asian British or Asian Welsh",
    "Black, Black British, Black Welsh of African background",
    "Black, Black British, Black Welsh or Caribbean background",
    "Mixed or Multiple ethnic groups",
    "White",
    "Other ethnic group",
];

/// TS029 column headers and the groups they become; the first two partition the universe, the
/// last four partition `main_language_not_english`.
pub const TS029_GROUPS: [(&str, &str); 6] = [
    (
        "Main language is English (English or Welsh in Wales)",
        "main_language_english",
    ),
    (
        "Main language is not English (English or Welsh in Wales)",
        "main_language_not_english",
    ),
    (
        "Main language is not English (English or Welsh in Wales): Can speak English very well",
        "main_language_not_english_can_speak_english_very_well",
    ),
    (
        "Main language is not English (English or Welsh in Wales): Can speak English well",
        "main_language_not_english_can_speak_english_well",
    ),
    (
        "Main language is not English (English or Welsh in Wales): Cannot speak English well",
        "main_language_not_english_cannot_speak_english_well",
    ),
    (
        "Main language is not English (English or Welsh in Wales): Cannot speak English",
        "main_language_not_english_cannot_speak_english",
    ),
];

/// TS019 columns; their groups are the column names. They partition `all_usual_residents`.
pub const TS019_GROUPS: [(&str, &str); 4] = [
    (
        "address_one_year_ago_is_the_same",
        "address_one_year_ago_is_the_same",
    ),
    (
        "address_one_year_ago_is_student_or_boarding",
        "address_one_year_ago_is_student_or_boarding",
    ),
    ("migrant_from_within_uk", "migrant_from_within_uk"),
    ("migrant_from_outside_uk", "migrant_from_outside_uk"),
];

/// The readers of this module: TS019, TS029 and TS022.
pub fn readers() -> Vec<Box<dyn Reader>> {
    vec![Box::new(ts019()), Box::new(ts029()), Box::new(Ts022)]
}

/// The TS019 (migrant indicator) reader.
pub fn ts019() -> WideMsoa {
    WideMsoa {
        id: "ons_census2021_ts019",
        prefix: "census2021_ts019_",
        release_date: "2022-11-02",
        title: "Census 2021 TS019: Migrant indicator, MSOA 2021 (West Midlands extract)",
        measure: TS019_MEASURE,
        total: Some("all_usual_residents"),
        columns: &TS019_GROUPS,
        // The four categories partition the total.
        partition: (None, &[0, 1, 2, 3]),
    }
}

/// The TS029 (proficiency in English) reader.
pub fn ts029() -> WideMsoa {
    WideMsoa {
        id: "ons_census2021_ts029",
        prefix: "census2021_ts029_",
        release_date: "2022-11-29",
        title: "Census 2021 TS029: Proficiency in English language, MSOA 2021 (West Midlands extract)",
        measure: TS029_MEASURE,
        total: None,
        columns: &TS029_GROUPS,
        // The four levels of English partition "main language is not English".
        partition: (Some(1), &[2, 3, 4, 5]),
    }
}

/// A wide MSOA table: one row per MSOA, one column per category.
#[derive(Debug, Clone, Copy)]
pub struct WideMsoa {
    id: &'static str,
    prefix: &'static str,
    release_date: &'static str,
    title: &'static str,
    measure: &'static str,
    total: Option<&'static str>,
    columns: &'static [(&'static str, &'static str)],
    /// (parent column index, or None for the total column; the column indices that partition it).
    partition: (Option<usize>, &'static [usize]),
}

fn release_meta(id: &str, title: &str, release_date: &str) -> ReleaseMeta {
    let table = id.trim_start_matches("ons_");
    census_release(
        format!("{table}_wm_msoa21"),
        format!("{id}_msoa"),
        title,
        release_date,
    )
}

fn accepts(file: &SourceFile, prefix: &str) -> bool {
    let name = file.file_name();
    name.starts_with(prefix) && name.ends_with(".csv")
}

/// Parses a published MSOA code (`E02…` or `W02…`).
fn msoa_code(text: &str, location: impl FnOnce() -> Location) -> Result<AreaCode> {
    match AreaCode::new(text) {
        Ok(code) if matches!(code.entity(), "E02" | "W02") => Ok(code),
        Ok(code) => Err(Error::input(
            location(),
            format!("{code} is not an MSOA code (E02…, W02…)"),
        )),
        Err(e) => Err(Error::input(location(), e.to_string())),
    }
}

/// A census count observation for an MSOA.
fn msoa_observation(
    row: u64,
    code: AreaCode,
    published: &str,
    name: &str,
    measure: &str,
    value: f64,
) -> Observation {
    census_observation(
        row,
        code,
        published,
        name,
        GeographyLevel::Msoa,
        measure,
        value,
    )
}

/// Adds one check over all MSOAs that `parts` add up to `whole`, plus one per MSOA that differs.
fn partition_checks(audit: &mut FileAudit, label: &str, sums: &BTreeMap<AreaCode, (f64, f64)>) {
    let whole: f64 = sums.values().map(|s| s.0).sum();
    let parts: f64 = sums.values().map(|s| s.1).sum();
    let differing: Vec<TotalCheck> = sums
        .iter()
        .filter(|(_, (w, p))| w != p)
        .map(|(code, (w, p))| TotalCheck::exact(format!("{label}, {code}"), *w, *p))
        .collect();
    let overall = TotalCheck::exact(format!("{label}, all {} MSOAs", sums.len()), whole, parts);
    add_perturbed_sum_checks(audit, overall, differing, "MSOAs");
}

/// Parses one row of a wide table: (MSOA, total if any, category values).
fn parse_wide_row(
    table: &CsvTable,
    row: u64,
    fields: &[String],
    [code_col, ltla_col]: [usize; 2],
    total_col: Option<usize>,
    cols: &[usize],
    seen: &mut HashMap<AreaCode, u64>,
) -> Result<(AreaCode, Option<f64>, Vec<f64>)> {
    let code = msoa_code(&fields[code_col], || table.at(row, code_col))?;
    ltla_code(&fields[ltla_col], || table.at(row, ltla_col))?;
    let total = total_col
        .map(|c| census_count(&fields[c], || table.at(row, c)))
        .transpose()?;
    let values = cols
        .iter()
        .map(|c| census_count(&fields[*c], || table.at(row, *c)))
        .collect::<Result<Vec<f64>>>()?;
    if let Some(first) = seen.get(&code) {
        return Err(Error::input(
            table.at(row, code_col),
            format!("{code} appears again (first on row {first})"),
        ));
    }
    seen.insert(code, row);
    Ok((code, total, values))
}

/// Parses one row of TS022: (MSOA, group index, total, n).
fn parse_ts022_row(
    table: &CsvTable,
    row: u64,
    fields: &[String],
    [code_col, ltla_col, total_col, group_col, n_col]: [usize; 5],
    areas: &BTreeMap<AreaCode, (u64, f64, f64)>,
    seen: &mut HashSet<(AreaCode, usize)>,
) -> Result<(AreaCode, usize, f64, f64)> {
    let code = msoa_code(&fields[code_col], || table.at(row, code_col))?;
    ltla_code(&fields[ltla_col], || table.at(row, ltla_col))?;
    let label = fields[group_col].trim();
    let g = TS022_GROUPS
        .iter()
        .position(|x| *x == label)
        .ok_or_else(|| {
            Error::input(
                table.at(row, group_col),
                format!("{label:?} is not one of the six broad TS022 ethnic groups"),
            )
        })?;
    let total = census_count(&fields[total_col], || table.at(row, total_col))?;
    let n = census_count(&fields[n_col], || table.at(row, n_col))?;
    if let Some((first, published, _)) = areas.get(&code) {
        if *published != total {
            return Err(Error::input(
                table.at(row, total_col),
                format!(
                    "{code}: total {total} differs from {published} on row {first} of the same MSOA"
                ),
            ));
        }
    }
    if !seen.insert((code, g)) {
        return Err(Error::input(
            table.at(row, group_col),
            format!("{code} has {label:?} twice"),
        ));
    }
    Ok((code, g, total, n))
}

const LTLA_NOTE: &str = "ltla21_code (added by the extract) checked to be an LTLA code, not emitted: MSOA → LAD comes from the geography bridge";

impl Reader for WideMsoa {
    fn id(&self) -> &'static str {
        self.id
    }

    fn accepts(&self, file: &SourceFile) -> bool {
        accepts(file, self.prefix)
    }

    fn release(&self, _file: &SourceFile) -> ReleaseMeta {
        release_meta(self.id, self.title, self.release_date)
    }

    fn read(&self, file: &SourceFile, ctx: &ReadContext<'_>) -> Result<ReadOutput> {
        let table = CsvTable::open(&file.path)?;
        let release = self.release(file);
        let mut audit = FileAudit::new(&file.relative, &table.bytes, self.id, &release.id);
        let [code_col, name_col, ltla_col] =
            table.columns(["msoa21_code", "msoa21_name", "ltla21_code"])?;
        let total_col = self.total.map(|t| table.column(t)).transpose()?;
        let cols: Vec<usize> = self
            .columns
            .iter()
            .map(|(h, _)| table.column(h))
            .collect::<Result<_>>()?;
        let strict = ctx.options.strict;
        let mut observations = Vec::with_capacity(table.rows.len() * (cols.len() + 1));
        let mut seen: HashMap<AreaCode, u64> = HashMap::new();
        let mut read_sums = vec![0.0; cols.len() + 1];
        // Per MSOA: (whole, sum of its parts).
        let mut sums: BTreeMap<AreaCode, (f64, f64)> = BTreeMap::new();

        for (row, fields) in &table.rows {
            let row = *row;
            if is_blank(fields) {
                audit.reject(row, "blank row");
                continue;
            }
            let parsed = parse_wide_row(
                &table,
                row,
                fields,
                [code_col, ltla_col],
                total_col,
                &cols,
                &mut seen,
            );
            let (code, total, values) = match parsed {
                Ok(p) => p,
                Err(e) => {
                    audit.reject_or_fail(strict, row, e)?;
                    continue;
                }
            };
            let name = fields[name_col].trim();
            let published = &fields[code_col];
            if let Some(total) = total {
                observations.push(msoa_observation(
                    row,
                    code,
                    published,
                    name,
                    self.measure,
                    total,
                ));
                read_sums[0] += total;
            }
            for (i, v) in values.iter().enumerate() {
                observations.push(
                    msoa_observation(row, code, published, name, self.measure, *v)
                        .with_group(self.columns[i].1),
                );
                read_sums[i + 1] += v;
            }
            let (parent, parts) = self.partition;
            let whole = match parent {
                Some(p) => values[p],
                None => total.unwrap_or_default(),
            };
            sums.insert(code, (whole, parts.iter().map(|i| values[*i]).sum()));
            audit.used();
        }

        let emitted = |group: Option<&str>| {
            observations
                .iter()
                .filter(|o| o.group.as_deref() == group)
                .filter_map(|o| o.value)
                .sum::<f64>()
        };
        if let Some(t) = self.total {
            audit.total(TotalCheck::exact(
                format!("{}: {t} (total column)", self.measure),
                read_sums[0],
                emitted(None),
            ));
        }
        for (i, (header, group)) in self.columns.iter().enumerate() {
            audit.total(TotalCheck::exact(
                format!("{}: {group} (column {header:?})", self.measure),
                read_sums[i + 1],
                emitted(Some(group)),
            ));
        }
        let (parent, parts) = self.partition;
        let whole = parent.map_or_else(|| self.total.unwrap_or_default(), |p| self.columns[p].1);
        let names: Vec<&str> = parts.iter().map(|i| self.columns[*i].1).collect();
        partition_checks(
            &mut audit,
            &format!("{}: {} = {}", self.measure, whole, names.join(" + ")),
            &sums,
        );
        audit.note(LTLA_NOTE);
        Ok(ReadOutput::new(
            self.id,
            release.id,
            file,
            observations,
            audit,
        ))
    }
}

/// The TS022 (broad ethnic group, long) reader.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ts022;

impl Reader for Ts022 {
    fn id(&self) -> &'static str {
        "ons_census2021_ts022"
    }

    fn accepts(&self, file: &SourceFile) -> bool {
        accepts(file, "census2021_ts022_")
    }

    fn release(&self, _file: &SourceFile) -> ReleaseMeta {
        release_meta(
            self.id(),
            "Census 2021 TS022: Ethnic group (detailed), six broad groups, MSOA 2021 (West Midlands extract)",
            "2022-11-29",
        )
    }

    fn read(&self, file: &SourceFile, ctx: &ReadContext<'_>) -> Result<ReadOutput> {
        let table = CsvTable::open(&file.path)?;
        let release = self.release(file);
        let mut audit = FileAudit::new(&file.relative, &table.bytes, self.id(), &release.id);
        let [code_col, ltla_col, total_col, group_col, n_col] = table.columns([
            "msoa21_code",
            "ltla21_code",
            "total_residents",
            "ethnic_group",
            "n",
        ])?;
        let strict = ctx.options.strict;
        let mut observations = Vec::with_capacity(table.rows.len() + table.rows.len() / 6);
        // Per MSOA: (first row, total, sum of groups).
        let mut areas: BTreeMap<AreaCode, (u64, f64, f64)> = BTreeMap::new();
        let mut seen: HashSet<(AreaCode, usize)> = HashSet::new();
        let (mut totals_read, mut cells_read) = (0.0, 0.0);

        for (row, fields) in &table.rows {
            let row = *row;
            if is_blank(fields) {
                audit.reject(row, "blank row");
                continue;
            }
            let parsed = parse_ts022_row(
                &table,
                row,
                fields,
                [code_col, ltla_col, total_col, group_col, n_col],
                &areas,
                &mut seen,
            );
            let (code, g, total, n) = match parsed {
                Ok(p) => p,
                Err(e) => {
                    audit.reject_or_fail(strict, row, e)?;
                    continue;
                }
            };
            let published = &fields[code_col];
            let name = ctx
                .bridge
                .area(&code)
                .map(|a| a.name.clone())
                .unwrap_or_default();
            let entry = areas.entry(code).or_insert_with(|| {
                observations.push(msoa_observation(
                    row,
                    code,
                    published,
                    &name,
                    TS022_MEASURE,
                    total,
                ));
                totals_read += total;
                (row, total, 0.0)
            });
            entry.2 += n;
            cells_read += n;
            observations.push(
                msoa_observation(row, code, published, &name, TS022_MEASURE, n)
                    .with_group(TS022_GROUPS[g]),
            );
            audit.used();
        }

        let emitted = |total: bool| {
            observations
                .iter()
                .filter(|o| o.group.is_none() == total)
                .filter_map(|o| o.value)
                .sum::<f64>()
        };
        audit.total(TotalCheck::exact(
            "usual_residents: total_residents (once per MSOA)",
            totals_read,
            emitted(true),
        ));
        audit.total(TotalCheck::exact(
            "usual_residents: n (six broad groups)",
            cells_read,
            emitted(false),
        ));
        let sums: BTreeMap<AreaCode, (f64, f64)> =
            areas.iter().map(|(c, (_, t, s))| (*c, (*t, *s))).collect();
        partition_checks(
            &mut audit,
            "usual_residents: total_residents = sum of the six broad groups",
            &sums,
        );
        audit.note(LTLA_NOTE);
        Ok(ReadOutput::new(
            self.id(),
            release.id,
            file,
            observations,
            audit,
        ))
    }
}

#[cfg(test)]
mod tests {
    use migkit_core::{ObservationSet, Status};

    use super::*;
    use crate::testing::{read_bytes_as, read_checked, read_error};

    const DIR: &str = "census2021-west-midlands-msoa/";
    const TS019: &str =
        "census2021-west-midlands-msoa/census2021_ts019_migrant_indicator_wm_msoa21.csv";
    const TS029: &str =
        "census2021-west-midlands-msoa/census2021_ts029_proficiency_in_english_wm_msoa21.csv";
    const TS022: &str =
        "census2021-west-midlands-msoa/census2021_ts022_ethnic_group_broad_wm_msoa21_long.csv";
    const BIRMINGHAM_NAME: &str = "Birmingham ";

    /// Sum over Birmingham MSOAs (by name, "Birmingham NNN") of one group.
    fn birmingham(set: &ObservationSet, group: Option<&str>) -> f64 {
        set.observations
            .iter()
            .filter(|o| o.area_name.starts_with(BIRMINGHAM_NAME) && o.group.as_deref() == group)
            .filter_map(|o| o.value)
            .sum()
    }

    fn msoas(set: &ObservationSet) -> usize {
        set.observations
            .iter()
            .map(|o| o.area_code)
            .collect::<HashSet<_>>()
            .len()
    }

    #[test]
    fn ts019_birmingham() {
        let out = read_checked(&ts019(), TS019);
        let set = &out.observations;
        assert_eq!((out.audit.rows_read, out.audit.rows_used), (736, 736));
        assert_eq!(msoas(set), 736);
        assert_eq!(set.observations.len(), 736 * 5);
        assert_eq!(
            set.observations
                .iter()
                .filter(|o| o.area_name.starts_with(BIRMINGHAM_NAME) && o.group.is_none())
                .count(),
            132
        );
        assert_eq!(birmingham(set, Some("migrant_from_outside_uk")), 13_637.0);
        assert_eq!(birmingham(set, Some("migrant_from_within_uk")), 97_470.0);
        assert_eq!(birmingham(set, None), 1_130_635.0);
        let o = &set.observations[0];
        assert_eq!(
            (
                o.geography_level,
                o.geography_vintage.as_str(),
                o.measure.as_str()
            ),
            (GeographyLevel::Msoa, "2021", TS019_MEASURE)
        );
        assert_eq!(
            (o.area_code.as_str(), o.area_name.as_str(), o.status),
            ("E02002905", "Herefordshire 001", Status::Perturbed)
        );
        assert!(
            out.audit
                .totals
                .iter()
                .all(|t| t.balanced && t.note.is_none())
        );
        assert!(
            out.audit
                .totals
                .iter()
                .any(|t| t.measure.contains("all 736 MSOAs"))
        );
    }

    #[test]
    fn ts029_birmingham() {
        let out = read_checked(&ts029(), TS029);
        let set = &out.observations;
        assert_eq!(msoas(set), 736);
        assert_eq!(set.observations.len(), 736 * 6);
        assert!(
            set.observations.iter().all(|o| o.group.is_some()),
            "TS029 has no total column"
        );
        assert_eq!(
            birmingham(set, Some("main_language_not_english")),
            171_450.0
        );
        assert_eq!(
            birmingham(
                set,
                Some("main_language_not_english_cannot_speak_english_well")
            ),
            42_142.0
        );
        assert_eq!(
            birmingham(set, Some("main_language_not_english_cannot_speak_english")),
            8_858.0
        );
        assert!(
            out.audit
                .totals
                .iter()
                .all(|t| t.balanced && t.note.is_none())
        );
    }

    #[test]
    fn ts022_groups_sum_to_total_in_every_msoa() {
        let out = read_checked(&Ts022, TS022);
        let set = &out.observations;
        assert_eq!((out.audit.rows_read, out.audit.rows_used), (4_416, 4_416));
        assert_eq!(msoas(set), 736);
        assert_eq!(set.observations.len(), 4_416 + 736);
        // TS022 has no names: they come from the bridge where it knows the MSOA.
        for o in &set.observations {
            let name = crate::testing::bridge()
                .area(&o.area_code)
                .map(|a| a.name.as_str());
            assert_eq!(o.area_name, name.unwrap_or(""));
        }
        let check = out
            .audit
            .totals
            .iter()
            .find(|t| t.measure.contains("sum of the six broad groups"))
            .unwrap();
        assert!(
            check.balanced && check.note.is_none() && check.measure.contains("736 MSOAs"),
            "{check:?}"
        );
        assert_eq!(out.audit.totals.len(), 3);
    }

    #[test]
    fn only_the_three_tables_are_accepted() {
        let f = |name: &str| SourceFile {
            path: name.into(),
            relative: format!("{DIR}{name}"),
        };
        let all = readers();
        let accepting = |name: &str| {
            all.iter()
                .filter(|r| r.accepts(&f(name)))
                .map(|r| r.id())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            accepting("census2021_ts019_migrant_indicator_wm_msoa21.csv"),
            ["ons_census2021_ts019"]
        );
        assert_eq!(
            accepting("census2021_ts029_proficiency_in_english_wm_msoa21.csv"),
            ["ons_census2021_ts029"]
        );
        assert_eq!(
            accepting("census2021_ts022_ethnic_group_broad_wm_msoa21_long.csv"),
            ["ons_census2021_ts022"]
        );
        assert!(accepting("wm_msoa21_to_ltla21_from_msoa_names.csv").is_empty());
        assert!(accepting("PROVENANCE.md").is_empty());
        let ids: HashSet<String> = all.iter().map(|r| r.release(&f("x.csv")).id).collect();
        assert_eq!(ids.len(), 3);
    }

    const TS019_HEADER: &str = "msoa21_code,ltla21_code,msoa21_name,all_usual_residents,address_one_year_ago_is_the_same,address_one_year_ago_is_student_or_boarding,migrant_from_within_uk,migrant_from_outside_uk\n";

    fn bad_ts019(body: &str) -> String {
        read_error(
            &ts019(),
            "m/census2021_ts019_x.csv",
            format!("{TS019_HEADER}{body}").as_bytes(),
        )
    }

    #[test]
    fn bad_input_names_file_row_and_column() {
        let err = bad_ts019("E02002905,E06000019,Herefordshire 001,10,5,1,x4,0\n");
        assert!(
            err.contains("census2021_ts019_x.csv, row 2, column \"migrant_from_within_uk\"")
                && err.contains("x4"),
            "{err}"
        );
        let err = bad_ts019("E06000019,E06000019,Herefordshire 001,10,5,1,4,0\n");
        assert!(
            err.contains("row 2, column \"msoa21_code\"") && err.contains("not an MSOA"),
            "{err}"
        );
        let err = bad_ts019("E02002905,E0600001,Herefordshire 001,10,5,1,4,0\n");
        assert!(err.contains("row 2, column \"ltla21_code\""), "{err}");
        let err = bad_ts019(
            "E02002905,E06000019,Herefordshire 001,10,5,1,4,0\nE02002905,E06000019,Herefordshire 001,10,5,1,4,0\n",
        );
        assert!(
            err.contains("row 3") && err.contains("first on row 2"),
            "{err}"
        );
        let err = bad_ts019("E02002905,E06000019,Herefordshire 001,10,5,1\n");
        assert!(err.contains("row 2") && err.contains("truncated"), "{err}");
        let err = read_error(&ts029(), "m/census2021_ts029_x.csv", b"msoa21_code,msoa21_name,ltla21_code,Main language is English (English or Welsh in Wales)\nE02002905,H,E06000019,1\n");
        assert!(
            err.contains("\"Main language is not English (English or Welsh in Wales)\" is missing"),
            "{err}"
        );
        let head = "msoa21_code,ltla21_code,total_residents,ethnic_group,n\n";
        let err = read_error(
            &Ts022,
            "m/census2021_ts022_x.csv",
            format!("{head}E02002905,E06000019,10,Purple,3\n").as_bytes(),
        );
        assert!(
            err.contains("row 2, column \"ethnic_group\"") && err.contains("Purple"),
            "{err}"
        );
        let err = read_error(&Ts022, "m/census2021_ts022_x.csv", format!("{head}E02002905,E06000019,10,White,3\nE02002905,E06000019,11,Mixed or Multiple ethnic groups,3\n").as_bytes());
        assert!(
            err.contains("row 3, column \"total_residents\"") && err.contains("row 2"),
            "{err}"
        );
    }

    #[test]
    fn bom_blank_rows_and_perturbed_partitions() {
        let text = format!(
            "\u{feff}{TS019_HEADER},,,,,,,\nE02002905,E06000019,Herefordshire 001,10,5,1,4,1\n"
        );
        let out = read_bytes_as(&ts019(), "m/census2021_ts019_x.csv", text.as_bytes()).unwrap();
        assert_eq!(
            (
                out.audit.rows_read,
                out.audit.rows_used,
                out.audit.rejected[0].row
            ),
            (2, 1, 2)
        );
        let differing = out
            .audit
            .totals
            .iter()
            .find(|t| t.measure.ends_with(", E02002905"))
            .unwrap();
        assert_eq!(
            (differing.published, differing.emitted, differing.balanced),
            (10.0, 11.0, false)
        );
        assert!(out.audit.balances());
        let mut lenient = ReadContext {
            bridge: crate::testing::bridge(),
            options: Default::default(),
            data_dir: std::path::Path::new("."),
        };
        lenient.options.strict = false;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("census2021_ts022_x.csv");
        std::fs::write(&path, "msoa21_code,ltla21_code,total_residents,ethnic_group,n\nE02002905,E06000019,3,White,3\nE02002905,E06000019,3,Blue,3\n").unwrap();
        let out = Ts022
            .read(
                &SourceFile {
                    path,
                    relative: "m/census2021_ts022_x.csv".into(),
                },
                &lenient,
            )
            .unwrap();
        assert_eq!((out.audit.rows_used, out.audit.rows_rejected), (1, 1));
        assert!(out.audit.rejected[0].reason.contains("Blue"));
        assert!(out.audit.balances());
    }
}
