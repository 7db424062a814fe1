//! Census 2021 TS012, country of birth (detailed), by lower-tier local authority.
//!
//! - **Publisher:** Office for National Statistics, Census 2021 table TS012 "Country of birth
//!   (detailed)", Nomis bulk file `census2021-ts012-ltla.csv`, first released 2 November 2022
//!   ("International migration, England and Wales: Census 2021"). Open Government Licence v3.0.
//! - **Period:** census day, 21 March 2021 (a stock,
//!   [`Period::Snapshot`](migkit_core::Period::Snapshot)).
//! - **File:** `census2021_ts012_country_of_birth_ltla21_long.csv` (the long form made by the
//!   `humaniverse/demographr` project), columns `ltla21_code, ltla21_name,
//!   total_all_usual_residents, country_of_birth, value`: 331 LTLAs (2021 codes, England and
//!   Wales) × 82 categories.
//! - **Output:** measure `usual_residents` (persons,
//!   [`Status::Perturbed`](migkit_core::Status::Perturbed)) with `group` = the category label as
//!   published (e.g. `middle_east_and_asia_southern_asia_pakistan`), and one
//!   observation per LTLA with `group` = `None` for all usual residents (the
//!   `total_all_usual_residents` column, taken from the LTLA's first row).
//!
//! # Quirk: the categories are a hierarchy
//!
//! A parent's label is the prefix of its children's (`europe` ⊃ `europe_united_kingdom` ⊃
//! `europe_united_kingdom_england`), so summing every group double-counts. Sum over one partition:
//! the six [`top_level_groups`], or the [`leaves`] (each leaf has exactly one country group, see
//! [`crate::groups::countries`]). [`parent_of`], [`children_of`], [`depth`] and [`is_leaf`] walk the
//! hierarchy. Born outside the UK = total − `europe_united_kingdom`.
//!
//! The audit checks, for every LTLA, that the six top-level categories sum to the total and that
//! every parent equals the sum of its children (true in this release; cell-key perturbation could
//! make them differ, and such differences are listed with a note rather than failing).
//!
//! ```
//! use migkit_harmonise::sources::census_ts012::{is_leaf, parent_of, top_level_groups};
//! assert_eq!(top_level_groups().len(), 6);
//! assert_eq!(parent_of("europe_united_kingdom_england"), Some("europe_united_kingdom"));
//! assert!(is_leaf("africa_south_and_eastern_africa_somalia") && !is_leaf("africa"));
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::LazyLock;

use migkit_core::{AreaCode, Error, GeographyLevel, Result};

use crate::audit::{FileAudit, TotalCheck};
use crate::source::{ReadContext, ReadOutput, Reader, ReleaseMeta, SourceFile};
use crate::sources::census2021::{
    add_perturbed_sum_checks, census_count, census_observation, census_release, ltla_code,
};
use crate::table::{CsvTable, is_blank};

/// The measure this reader emits.
pub const MEASURE: &str = "usual_residents";

/// The 82 TS012 category labels, in published order (parents before their children).
pub const CATEGORIES: [&str; 82] = [
    "europe",
    "europe_united_kingdom",
    "europe_united_kingdom_england",
    "europe_united_kingdom_northern_ireland",
    "europe_united_kingdom_scotland",
    "europe_united_kingdom_wales",
    "europe_united_kingdom_great_britain_not_otherwise_specified",
    "europe_united_kingdom_united_kingdom_not_otherwise_specified",
    "europe_other_europe",
    "europe_other_europe_eu_countries",
    "europe_other_europe_eu_countries_member_countries_in_march_2001",
    "europe_other_europe_eu_countries_member_countries_in_march_2001_ireland",
    "europe_other_europe_eu_countries_member_countries_in_march_2001_france",
    "europe_other_europe_eu_countries_member_countries_in_march_2001_germany",
    "europe_other_europe_eu_countries_member_countries_in_march_2001_italy",
    "europe_other_europe_eu_countries_member_countries_in_march_2001_portugal_including_madeira_and_the_azores",
    "europe_other_europe_eu_countries_member_countries_in_march_2001_spain_including_canary_islands",
    "europe_other_europe_eu_countries_member_countries_in_march_2001_other_member_countries_in_march_2001",
    "europe_other_europe_eu_countries_countries_that_joined_the_eu_between_april_2001_and_march_2011",
    "europe_other_europe_eu_countries_countries_that_joined_the_eu_between_april_2001_and_march_2011_lithuania",
    "europe_other_europe_eu_countries_countries_that_joined_the_eu_between_april_2001_and_march_2011_poland",
    "europe_other_europe_eu_countries_countries_that_joined_the_eu_between_april_2001_and_march_2011_romania",
    "europe_other_europe_eu_countries_countries_that_joined_the_eu_between_april_2001_and_march_2011_other_eu_countries",
    "europe_other_europe_eu_countries_countries_that_joined_the_eu_between_april_2011_and_march_2021",
    "europe_other_europe_eu_countries_countries_that_joined_the_eu_between_april_2011_and_march_2021_croatia",
    "europe_other_europe_rest_of_europe",
    "europe_other_europe_rest_of_europe_turkey",
    "europe_other_europe_rest_of_europe_other_europe",
    "africa",
    "africa_north_africa",
    "africa_central_and_western_africa",
    "africa_central_and_western_africa_ghana",
    "africa_central_and_western_africa_nigeria",
    "africa_central_and_western_africa_other_central_and_western_africa",
    "africa_south_and_eastern_africa",
    "africa_south_and_eastern_africa_kenya",
    "africa_south_and_eastern_africa_somalia",
    "africa_south_and_eastern_africa_south_africa",
    "africa_south_and_eastern_africa_zimbabwe",
    "africa_south_and_eastern_africa_other_south_and_eastern_africa",
    "africa_africa_not_otherwise_specified",
    "middle_east_and_asia",
    "middle_east_and_asia_middle_east",
    "middle_east_and_asia_middle_east_iran",
    "middle_east_and_asia_middle_east_iraq",
    "middle_east_and_asia_middle_east_other_middle_east",
    "middle_east_and_asia_eastern_asia",
    "middle_east_and_asia_eastern_asia_china",
    "middle_east_and_asia_eastern_asia_hong_kong_special_administrative_region_of_china",
    "middle_east_and_asia_eastern_asia_other_eastern_asia",
    "middle_east_and_asia_southern_asia",
    "middle_east_and_asia_southern_asia_afghanistan",
    "middle_east_and_asia_southern_asia_india",
    "middle_east_and_asia_southern_asia_pakistan",
    "middle_east_and_asia_southern_asia_bangladesh",
    "middle_east_and_asia_southern_asia_sri_lanka",
    "middle_east_and_asia_southern_asia_other_southern_asia",
    "middle_east_and_asia_south_east_asia",
    "middle_east_and_asia_south_east_asia_philippines",
    "middle_east_and_asia_south_east_asia_malaysia",
    "middle_east_and_asia_south_east_asia_singapore",
    "middle_east_and_asia_south_east_asia_other_south_east_asia",
    "middle_east_and_asia_central_asia",
    "the_americas_and_the_caribbean",
    "the_americas_and_the_caribbean_north_america",
    "the_americas_and_the_caribbean_north_america_united_states",
    "the_americas_and_the_caribbean_north_america_canada",
    "the_americas_and_the_caribbean_north_america_other_north_america",
    "the_americas_and_the_caribbean_central_america",
    "the_americas_and_the_caribbean_central_america_all_central_american_countries",
    "the_americas_and_the_caribbean_south_america",
    "the_americas_and_the_caribbean_south_america_all_south_american_countries",
    "the_americas_and_the_caribbean_the_caribbean",
    "the_americas_and_the_caribbean_the_caribbean_jamaica",
    "the_americas_and_the_caribbean_the_caribbean_other_caribbean",
    "antarctica_and_oceania",
    "antarctica_and_oceania_australasia",
    "antarctica_and_oceania_australasia_australia",
    "antarctica_and_oceania_australasia_new_zealand",
    "antarctica_and_oceania_australasia_other_australasia",
    "antarctica_and_oceania_other_oceania_and_antarctica",
    "other",
];

/// Label of UK-born residents; born outside the UK = total − this.
pub const UK_BORN: &str = "europe_united_kingdom";

/// The hierarchy: index of each label's parent, derived from the label prefixes.
struct Hierarchy {
    index: HashMap<&'static str, usize>,
    parent: [Option<usize>; 82],
    children: Vec<Vec<usize>>,
    top: Vec<&'static str>,
}

static HIERARCHY: LazyLock<Hierarchy> = LazyLock::new(|| {
    let index: HashMap<&'static str, usize> = CATEGORIES
        .iter()
        .enumerate()
        .map(|(i, l)| (*l, i))
        .collect();
    let mut parent = [None; 82];
    let mut children = vec![Vec::new(); 82];
    for (i, label) in CATEGORIES.iter().enumerate() {
        // The longest other label that is a prefix followed by "_".
        let p = label
            .rmatch_indices('_')
            .find_map(|(cut, _)| index.get(&label[..cut]).copied());
        parent[i] = p;
        if let Some(p) = p {
            children[p].push(i);
        }
    }
    let top = CATEGORIES
        .iter()
        .enumerate()
        .filter(|(i, _)| parent[*i].is_none())
        .map(|(_, l)| *l)
        .collect();
    Hierarchy {
        index,
        parent,
        children,
        top,
    }
});

/// True if `label` is one of the 82 TS012 categories.
pub fn is_category(label: &str) -> bool {
    HIERARCHY.index.contains_key(label)
}

/// The six top-level categories, which partition all usual residents: `europe`, `africa`,
/// `middle_east_and_asia`, `the_americas_and_the_caribbean`, `antarctica_and_oceania`, `other`.
pub fn top_level_groups() -> &'static [&'static str] {
    &HIERARCHY.top
}

/// The parent category of a label (`None` for a top-level or unknown label).
pub fn parent_of(label: &str) -> Option<&'static str> {
    let h = &*HIERARCHY;
    h.parent[*h.index.get(label)?].map(|p| CATEGORIES[p])
}

/// The direct sub-categories of a label (empty for a leaf or unknown label).
pub fn children_of(label: &str) -> Vec<&'static str> {
    let h = &*HIERARCHY;
    h.index
        .get(label)
        .map(|i| h.children[*i].iter().map(|c| CATEGORIES[*c]).collect())
        .unwrap_or_default()
}

/// True if the label is a category with no sub-categories. The 59 leaves partition all usual
/// residents.
pub fn is_leaf(label: &str) -> bool {
    HIERARCHY
        .index
        .get(label)
        .is_some_and(|i| HIERARCHY.children[*i].is_empty())
}

/// Depth in the hierarchy: 0 for the six top-level categories; `None` for an unknown label.
pub fn depth(label: &str) -> Option<usize> {
    let h = &*HIERARCHY;
    let mut i = *h.index.get(label)?;
    let mut d = 0;
    while let Some(p) = h.parent[i] {
        i = p;
        d += 1;
    }
    Some(d)
}

/// The leaf categories, in published order.
pub fn leaves() -> impl Iterator<Item = &'static str> {
    CATEGORIES.iter().copied().filter(|l| is_leaf(l))
}

/// The TS012 reader.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ts012;

/// The readers of this module.
pub fn readers() -> Vec<Box<dyn Reader>> {
    vec![Box::new(Ts012)]
}

impl Reader for Ts012 {
    fn id(&self) -> &'static str {
        "ons_census2021_ts012"
    }

    fn accepts(&self, file: &SourceFile) -> bool {
        let name = file.file_name();
        name.starts_with("census2021_ts012_") && name.ends_with(".csv")
    }

    fn release(&self, _file: &SourceFile) -> ReleaseMeta {
        census_release(
            "census2021_ts012".into(),
            "ons_census2021_ts012".into(),
            "Census 2021 TS012: Country of birth (detailed), lower-tier local authorities",
            "2022-11-02",
        )
    }

    fn read(&self, file: &SourceFile, ctx: &ReadContext<'_>) -> Result<ReadOutput> {
        let table = CsvTable::open(&file.path)?;
        let release = self.release(file);
        let mut audit = FileAudit::new(&file.relative, &table.bytes, self.id(), &release.id);
        let [code_col, name_col, total_col, label_col, value_col] = table.columns([
            "ltla21_code",
            "ltla21_name",
            "total_all_usual_residents",
            "country_of_birth",
            "value",
        ])?;
        let strict = ctx.options.strict;
        let mut observations = Vec::with_capacity(table.rows.len() + 400);
        // Per LTLA: its total (from its first row) and its values by category index.
        let mut areas: BTreeMap<AreaCode, (u64, f64, [Option<f64>; 82])> = BTreeMap::new();
        let mut seen: HashSet<(AreaCode, usize)> = HashSet::new();
        let (mut cells, mut totals) = (0.0, 0.0);

        for (row, fields) in &table.rows {
            let row = *row;
            if is_blank(fields) {
                audit.reject(row, "blank row");
                continue;
            }
            let code = match ltla_code(&fields[code_col], || table.at(row, code_col)) {
                Ok(c) => c,
                Err(e) => {
                    audit.reject_or_fail(strict, row, e)?;
                    continue;
                }
            };
            let label = fields[label_col].trim();
            let Some(&index) = HIERARCHY.index.get(label) else {
                let err = Error::input(
                    table.at(row, label_col),
                    format!(
                        "{label:?} is not one of the 82 TS012 categories (e.g. \"europe_united_kingdom\")"
                    ),
                );
                audit.reject_or_fail(strict, row, err)?;
                continue;
            };
            let parsed =
                census_count(&fields[value_col], || table.at(row, value_col)).and_then(|v| {
                    Ok((
                        v,
                        census_count(&fields[total_col], || table.at(row, total_col))?,
                    ))
                });
            let (value, total) = match parsed {
                Ok(p) => p,
                Err(e) => {
                    audit.reject_or_fail(strict, row, e)?;
                    continue;
                }
            };
            if !seen.insert((code, index)) {
                let err = Error::input(
                    table.at(row, label_col),
                    format!(
                        "{code} has category {label:?} twice; each LTLA has each category once"
                    ),
                );
                audit.reject_or_fail(strict, row, err)?;
                continue;
            }
            let name = fields[name_col].trim();
            let base = |value: f64| {
                census_observation(
                    row,
                    code,
                    &fields[code_col],
                    name,
                    GeographyLevel::Lad,
                    MEASURE,
                    value,
                )
            };
            match areas.get_mut(&code) {
                Some((first, published, values)) => {
                    if *published != total {
                        let err = Error::input(
                            table.at(row, total_col),
                            format!(
                                "{code}: total {total} differs from {published} on row {first} of the same LTLA"
                            ),
                        );
                        audit.reject_or_fail(strict, row, err)?;
                        seen.remove(&(code, index));
                        continue;
                    }
                    values[index] = Some(value);
                }
                None => {
                    let mut values = [None; 82];
                    values[index] = Some(value);
                    areas.insert(code, (row, total, values));
                    observations.push(base(total));
                    totals += total;
                }
            }
            observations.push(base(value).with_group(label));
            cells += value;
            audit.used();
        }

        let emitted_totals: f64 = observations
            .iter()
            .filter(|o| o.group.is_none())
            .filter_map(|o| o.value)
            .sum();
        let emitted_cells: f64 = observations
            .iter()
            .filter(|o| o.group.is_some())
            .filter_map(|o| o.value)
            .sum();
        audit.total(TotalCheck::exact(
            "usual_residents: all usual residents (total_all_usual_residents, once per LTLA)",
            totals,
            emitted_totals,
        ));
        audit.total(TotalCheck::exact(
            "usual_residents: every category cell read (all levels)",
            cells,
            emitted_cells,
        ));
        check_hierarchy(&mut audit, &areas);
        audit.note(format!(
            "{} LTLAs × {} categories; group = TS012 label (hierarchical: sum one partition, see census_ts012::top_level_groups)",
            areas.len(),
            CATEGORIES.len()
        ));
        Ok(ReadOutput::new(
            self.id(),
            release.id,
            file,
            observations,
            audit,
        ))
    }
}

/// Per LTLA: the six top-level categories against the total, and each parent against its children.
/// One check over all LTLAs, plus one per LTLA (or parent) that differs, with a note.
fn check_hierarchy(
    audit: &mut FileAudit,
    areas: &BTreeMap<AreaCode, (u64, f64, [Option<f64>; 82])>,
) {
    let h = &*HIERARCHY;
    let top: Vec<usize> = h.top.iter().map(|l| h.index[l]).collect();
    let (mut total_sum, mut top_sum, mut differing) = (0.0, 0.0, Vec::new());
    let (mut parents_sum, mut children_sum, mut parent_differing) = (0.0, 0.0, Vec::new());
    for (code, (_, total, values)) in areas {
        let complete = values.iter().all(Option::is_some);
        if !complete {
            let missing = values.iter().filter(|v| v.is_none()).count();
            audit.total(
                TotalCheck::exact(
                    format!("usual_residents: {code} categories present"),
                    82.0,
                    82.0 - missing as f64,
                )
                .with_note(format!(
                    "{code} lacks {missing} of the 82 categories; its hierarchy is not checked"
                )),
            );
            continue;
        }
        let v = |i: usize| values[i].unwrap_or(0.0);
        let tops: f64 = top.iter().map(|i| v(*i)).sum();
        total_sum += total;
        top_sum += tops;
        if tops != *total {
            differing.push(TotalCheck::exact(
                format!("usual_residents: {code} six top-level categories"),
                *total,
                tops,
            ));
        }
        for (p, kids) in h.children.iter().enumerate().filter(|(_, k)| !k.is_empty()) {
            let below: f64 = kids.iter().map(|c| v(*c)).sum();
            parents_sum += v(p);
            children_sum += below;
            if below != v(p) {
                parent_differing.push(TotalCheck::exact(
                    format!("usual_residents: {code} children of {}", CATEGORIES[p]),
                    v(p),
                    below,
                ));
            }
        }
    }
    add_perturbed_sum_checks(
        audit,
        TotalCheck::exact(
            "usual_residents: six top-level categories = total, every LTLA",
            total_sum,
            top_sum,
        ),
        differing,
        "LTLAs",
    );
    add_perturbed_sum_checks(
        audit,
        TotalCheck::exact(
            "usual_residents: every parent = sum of its children, every LTLA",
            parents_sum,
            children_sum,
        ),
        parent_differing,
        "parent cells",
    );
}

#[cfg(test)]
mod tests {
    use migkit_core::{ObservationSet, Status};

    use super::*;
    use crate::sources::census2021::census_day;
    use crate::testing::{WEST_MIDLANDS_LADS, read_bytes_as, read_checked, read_error};

    const FILE: &str =
        "census2021-country-of-birth-ts012-ltla/census2021_ts012_country_of_birth_ltla21_long.csv";

    fn value(set: &ObservationSet, code: &str, group: Option<&str>) -> f64 {
        let found: Vec<f64> = set
            .observations
            .iter()
            .filter(|o| o.area_code.as_str() == code && o.group.as_deref() == group)
            .filter_map(|o| o.value)
            .collect();
        assert_eq!(found.len(), 1, "{code} {group:?}");
        found[0]
    }

    #[test]
    fn hierarchy() {
        assert_eq!(
            top_level_groups(),
            [
                "europe",
                "africa",
                "middle_east_and_asia",
                "the_americas_and_the_caribbean",
                "antarctica_and_oceania",
                "other"
            ]
        );
        assert_eq!(leaves().count(), 59);
        assert_eq!(
            parent_of("europe_other_europe_rest_of_europe_other_europe"),
            Some("europe_other_europe_rest_of_europe")
        );
        assert_eq!(
            parent_of("africa_africa_not_otherwise_specified"),
            Some("africa")
        );
        assert_eq!(parent_of("europe"), None);
        assert_eq!(parent_of("nowhere"), None);
        assert_eq!(depth("europe_united_kingdom_england"), Some(2));
        assert_eq!(depth(CATEGORIES[22]), Some(4));
        assert_eq!(children_of("europe_united_kingdom").len(), 6);
        assert!(
            is_leaf("other")
                && is_leaf("middle_east_and_asia_central_asia")
                && !is_leaf("europe_other_europe")
        );
    }

    #[test]
    fn birmingham_coventry_and_west_midlands() {
        let out = read_checked(&Ts012, FILE);
        let set = &out.observations;
        assert_eq!(out.audit.rows_read, 27_142);
        assert_eq!(out.audit.rows_used, 27_142);
        assert_eq!(set.observations.len(), 27_142 + 331);
        let b = "E08000025";
        assert_eq!(value(set, b, None), 1_144_919.0);
        assert_eq!(value(set, b, Some(UK_BORN)), 838_959.0);
        assert_eq!(
            value(set, b, None) - value(set, b, Some(UK_BORN)),
            305_960.0
        );
        for (label, expected) in [
            ("middle_east_and_asia_southern_asia_pakistan", 67_449.0),
            ("middle_east_and_asia_southern_asia_india", 27_704.0),
            ("middle_east_and_asia_southern_asia_afghanistan", 4_628.0),
            ("africa_south_and_eastern_africa_somalia", 10_812.0),
            (
                "europe_other_europe_eu_countries_countries_that_joined_the_eu_between_april_2001_and_march_2011_romania",
                12_238.0,
            ),
            (
                "europe_other_europe_eu_countries_countries_that_joined_the_eu_between_april_2001_and_march_2011_poland",
                9_965.0,
            ),
            (
                "the_americas_and_the_caribbean_the_caribbean_jamaica",
                12_093.0,
            ),
        ] {
            assert_eq!(value(set, b, Some(label)), expected, "{label}");
        }
        assert_eq!(value(set, "E08000026", None), 345_323.0);
        assert_eq!(value(set, "E08000026", Some(UK_BORN)), 248_990.0);
        let wm = |group: Option<&str>| {
            WEST_MIDLANDS_LADS
                .iter()
                .map(|c| value(set, c, group))
                .sum::<f64>()
        };
        assert_eq!(wm(None), 5_950_762.0);
        assert_eq!(wm(Some(UK_BORN)), 5_048_321.0);
        // Leaves partition the total; the six top levels too.
        let leaves_sum: f64 = leaves().map(|l| value(set, b, Some(l))).sum();
        assert_eq!(leaves_sum, 1_144_919.0);
        let o = set
            .observations
            .iter()
            .find(|o| o.area_code.as_str() == b)
            .unwrap();
        assert_eq!(
            (o.status, o.period, o.geography_level),
            (Status::Perturbed, census_day(), GeographyLevel::Lad)
        );
        assert_eq!(
            (o.geography_vintage.as_str(), o.area_name.as_str()),
            ("2021", "Birmingham")
        );
        assert!(
            out.audit
                .totals
                .iter()
                .all(|t| t.balanced && t.note.is_none()),
            "{:?}",
            out.audit.totals
        );
        assert_eq!(out.audit.totals.len(), 4);
    }

    const HEADER: &str =
        "ltla21_code,ltla21_name,total_all_usual_residents,country_of_birth,value\n";

    fn bad(body: &str) -> String {
        read_error(
            &Ts012,
            "census2021-country-of-birth-ts012-ltla/census2021_ts012_x.csv",
            format!("{HEADER}{body}").as_bytes(),
        )
    }

    #[test]
    fn bad_input_names_file_row_and_column() {
        let err = bad("E08000025,Birmingham,10,europe,abc\n");
        assert!(
            err.contains("census2021_ts012_x.csv, row 2, column \"value\"")
                && err.contains("\"abc\""),
            "{err}"
        );
        let err = bad("E08000025,Birmingham,10,europe,4\nE0800002,Birmingham,10,africa,3\n");
        assert!(
            err.contains("row 3, column \"ltla21_code\"") && err.contains("E0800002"),
            "{err}"
        );
        let err = bad("E12000005,West Midlands,10,europe,4\n");
        assert!(
            err.contains("row 2, column \"ltla21_code\"") && err.contains("lower-tier"),
            "{err}"
        );
        let err = bad("E08000025,Birmingham,10,atlantis,4\n");
        assert!(
            err.contains("row 2, column \"country_of_birth\"") && err.contains("atlantis"),
            "{err}"
        );
        let err = bad("E08000025,Birmingham,10,europe,-4\n");
        assert!(
            err.contains("row 2, column \"value\"") && err.contains("negative"),
            "{err}"
        );
        let err = bad("E08000025,Birmingham,10,europe,4\nE08000025,Birmingham,11,africa,3\n");
        assert!(
            err.contains("row 3, column \"total_all_usual_residents\"") && err.contains("row 2"),
            "{err}"
        );
        let err = bad("E08000025,Birmingham,10,europe,4\nE08000025,Birmingham,10,europe,4\n");
        assert!(err.contains("row 3") && err.contains("twice"), "{err}");
        let err = bad("E08000025,Birmingham,10,europe\n");
        assert!(err.contains("row 2") && err.contains("truncated"), "{err}");
        let missing = read_bytes_as(
            &Ts012,
            "f/census2021_ts012_x.csv",
            b"ltla21_code,value\nE08000025,4\n",
        )
        .unwrap_err();
        assert!(
            missing.to_string().contains("\"ltla21_name\" is missing"),
            "{missing}"
        );
    }

    #[test]
    fn bom_blank_rows_and_perturbed_sums() {
        // A BOM, a blank line of commas, and top levels that do not add up to the total.
        let mut text = String::from("\u{feff}");
        text.push_str(HEADER);
        for (i, label) in CATEGORIES.iter().enumerate() {
            let v = if top_level_groups().contains(label) {
                1
            } else {
                0
            };
            text.push_str(&format!("E08000025,Birmingham,7,{label},{v}\n"));
            if i == 3 {
                text.push_str(",,,,\n");
            }
        }
        let out = read_bytes_as(
            &Ts012,
            "census2021-country-of-birth-ts012-ltla/census2021_ts012_x.csv",
            text.as_bytes(),
        )
        .unwrap();
        assert_eq!((out.audit.rows_read, out.audit.rows_rejected), (83, 1));
        assert_eq!(out.audit.rejected[0].row, 6);
        let check = out
            .audit
            .totals
            .iter()
            .find(|t| t.measure.contains("E08000025 six top-level"))
            .unwrap();
        assert_eq!((check.published, check.emitted), (7.0, 6.0));
        assert!(!check.balanced && check.note.as_deref().unwrap().contains("perturbation"));
        assert!(out.audit.balances());
    }

    #[test]
    fn accepts_only_ts012() {
        let f = |rel: &str| SourceFile {
            path: rel.into(),
            relative: rel.into(),
        };
        assert!(Ts012.accepts(&f(FILE)));
        assert!(!Ts012.accepts(&f(
            "census2021-ethnic-group-ltla/census2021_ethnic_group_ltla21_long.csv"
        )));
        assert!(!Ts012.accepts(&f("census2021-country-of-birth-ts012-ltla/PROVENANCE.md")));
    }
}
