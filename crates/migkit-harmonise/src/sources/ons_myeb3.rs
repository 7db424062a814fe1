//! ONS MYEB3: summary components of population change for UK local authorities, mid-2001 to
//! mid-2020.
//!
//! - Publisher: Office for National Statistics (ONS). Licence: Open Government Licence v3.0.
//! - Title: "MYEB3: Summary components of population change for local authorities in the UK,
//!   mid-2001 to mid-2020", file `MYEB3_summary_components_of_change_series_UK_(2020_geog21).csv`
//!   (part of the mid-2020 detailed time series, released 25 June 2021; 2021 local authority
//!   boundaries, geography vintage `"2021"` from the `ladcode21` column).
//! - One row per local authority (374: `Lad`); columns `ladcode21`, `laname21`, `country`
//!   (E/W/S/N), `population_2001`, then for each year Y: `births_Y`, `deaths_Y`, `natchange_Y`,
//!   `internal_in_Y`, `internal_out_Y`, `internal_net_Y`, `international_in_Y`,
//!   `international_out_Y`, `international_net_Y`, `other_change_Y`, `population_Y`.
//! - Emitted: `population` (stock at `Snapshot(30 June Y)`) and the components of change as
//!   flows over `MidYear(Y)` (the 12 months to 30 June Y), named as in
//!   [`super::ons_mye2020::COMPONENTS`]: `births`, `deaths`, `natural_change`,
//!   `internal_migration_in/out/net`, `international_migration_in/out/net`, `other_change`.
//!   `international_migration_out` is the official local-authority emigration estimate.
//! - Units: persons, unrounded as ONS publishes them, except that NRS rounds Scottish council-area
//!   migration flows in some years (2018–2020 here): a year's migration column whose Scottish
//!   values are all multiples of 10 is emitted with `Status::Rounded` intervals for Scotland.
//! - Checks: per year, population_{Y-1} + natural_change + internal_migration_net +
//!   international_migration_net + other_change = population_Y, and net = in − out. As published
//!   these fail by up to 10 (identity) or 20 (in − out) persons in some Scottish rows in 2011 and
//!   2018–2020 (NRS rounding); they are reported as total checks with a note, not errors.
//! - The same figures for mid-2020 are in the MYE3/MYE4 sheets read by
//!   [`ons_mye2020`](super::ons_mye2020) (a different source id, so nothing is duplicated
//!   within a source).

use std::collections::BTreeMap;

use migkit_core::{
    AreaCode, Error, GeographyLevel, Location, MeasureKind, Observation, ObservationSet, Period,
    Result,
};

use super::ons_mye2020::{
    COMPONENTS, INTERNAL_NET, INTERNATIONAL_NET, Kind, NATURAL, OTHER, RELATIONS,
    SCOTTISH_ROUNDING, Table, Value, finish_check, june_30, measure_checks, mid_year_release,
    rounded, scottish_flows_rounded, uk_release_date,
};
use crate::audit::FileAudit;
use crate::source::{ReadContext, ReadOutput, Reader, ReleaseMeta, SourceFile};
use crate::table::CsvTable;

/// The readers of this module.
pub fn readers() -> Vec<Box<dyn Reader>> {
    vec![Box::new(Myeb3Reader)]
}

/// The end year and boundary vintage in a file name such as
/// `MYEB3_summary_components_of_change_series_UK_(2020_geog21).csv` → `(2020, "2021")`.
pub fn myeb3_name(file_name: &str) -> Option<(i32, String)> {
    let rest = file_name.strip_prefix("MYEB3_summary_components_of_change_series_")?;
    let inner = rest.strip_suffix(").csv")?.rsplit_once('(')?.1;
    let (year, geog) = inner.split_once("_geog")?;
    let year: i32 = year.parse().ok()?;
    let geog: u32 = geog.parse().ok()?;
    (geog < 100).then(|| (year, format!("20{geog:02}")))
}

/// Reads MYEB3 (`MYEB3_summary_components_of_change_series_UK_({YYYY}_geog{YY}).csv`): the
/// population at each 30 June and the components of change in the year to it, for every UK
/// local authority. Source id `ons_myeb3`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Myeb3Reader;

/// A parsed row: area, published code, name, values per column.
struct Row {
    row: u64,
    code: AreaCode,
    published: String,
    name: String,
    /// population by year index (0 = first year).
    population: Vec<f64>,
    /// components by year index - 1 (year index ≥ 1), then component.
    components: Vec<[f64; 10]>,
}

impl Reader for Myeb3Reader {
    fn id(&self) -> &'static str {
        "ons_myeb3"
    }

    fn accepts(&self, file: &SourceFile) -> bool {
        myeb3_name(file.file_name()).is_some()
    }

    fn release(&self, file: &SourceFile) -> ReleaseMeta {
        let (year, vintage) = myeb3_name(file.file_name()).unwrap_or((2020, "2021".into()));
        mid_year_release(
            format!("myeb3_mid{year}_geog{vintage}"),
            "ons_myeb3",
            format!(
                "MYEB3: Summary components of population change for local authorities in the UK, mid-2001 to mid-{year} \
                 ({vintage} boundaries)"
            ),
            uk_release_date(year),
            format!(
                "population at 30 June 2001 to {year}; components over the years to mid-2002 .. mid-{year}"
            ),
        )
    }

    fn read(&self, file: &SourceFile, ctx: &ReadContext<'_>) -> Result<ReadOutput> {
        let csv = CsvTable::open(&file.path)?;
        let release = self.release(file);
        let mut audit = FileAudit::new(&file.relative, &csv.bytes, self.id(), &release.id);
        let table = Table::from_csv(&csv);

        // Columns: ladcodeYY, lanameYY, country, population_Y and the components per year.
        let prefixed = |prefix: &str| {
            csv.header
                .iter()
                .position(|h| h.starts_with(prefix))
                .ok_or_else(|| Error::MissingColumn {
                    location: Location::file(&file.path),
                    column: format!("{prefix}YY"),
                    found: csv.header.join(", "),
                })
        };
        let code_col = prefixed("ladcode")?;
        let name_col = prefixed("laname")?;
        let country_col = csv.column("country")?;
        let vintage = match csv.header[code_col]
            .strip_prefix("ladcode")
            .and_then(|y| y.parse::<u32>().ok())
        {
            Some(yy) if yy < 100 => format!("20{yy:02}"),
            _ => myeb3_name(file.file_name())
                .map(|n| n.1)
                .unwrap_or_else(|| "2021".into()),
        };
        let mut years: Vec<i32> = csv
            .header
            .iter()
            .filter_map(|h| h.strip_prefix("population_").and_then(|y| y.parse().ok()))
            .collect();
        years.sort_unstable();
        if years.is_empty() {
            return Err(csv.column("population_2001").err().unwrap_or_else(|| {
                Error::input(Location::file(&file.path), "no population_YYYY columns")
            }));
        }
        if years.windows(2).any(|w| w[1] != w[0] + 1) {
            return Err(Error::input(
                Location::file(&file.path).row(1),
                format!("population years are not consecutive: {years:?}"),
            ));
        }
        let population_cols: Vec<usize> = years
            .iter()
            .map(|y| csv.column(&format!("population_{y}")))
            .collect::<Result<_>>()?;
        let mut component_cols: Vec<[usize; 10]> = Vec::new();
        for y in &years[1..] {
            let mut cols = [0; 10];
            for (slot, c) in cols.iter_mut().zip(&COMPONENTS) {
                *slot = csv.column(&format!("{}_{y}", c.myeb3_prefix))?;
            }
            component_cols.push(cols);
        }
        let known = 3 + population_cols.len() + 10 * component_cols.len();
        if csv.header.len() != known {
            let used: Vec<usize> = [code_col, name_col, country_col]
                .into_iter()
                .chain(population_cols.iter().copied())
                .chain(component_cols.iter().flatten().copied())
                .collect();
            if let Some(i) = (0..csv.header.len()).find(|i| !used.contains(i)) {
                return Err(table.unexpected(
                    i,
                    "ladcodeYY, lanameYY, country, population_YYYY and births/deaths/natchange/internal_in/internal_out/\
                     internal_net/international_in/international_out/international_net/other_change_YYYY",
                ));
            }
        }

        // Rows.
        let strict = ctx.options.strict;
        let mut rows = Vec::with_capacity(csv.rows.len());
        for (row, fields) in &table.rows {
            let row = *row;
            if fields.iter().all(Value::is_empty) {
                audit.reject(row, "blank row");
                continue;
            }
            match parse_row(
                &table,
                row,
                fields,
                [code_col, name_col, country_col],
                &population_cols,
                &component_cols,
            ) {
                Ok(r) => {
                    audit.used();
                    rows.push(r);
                }
                Err(e) => audit.reject_or_fail(strict, row, e)?,
            }
        }

        // Which (component, year) migration columns are rounded for Scotland.
        let rounded_columns: Vec<[bool; 10]> = (0..component_cols.len())
            .map(|k| {
                let mut flags = [false; 10];
                for (c, flag) in flags.iter_mut().enumerate() {
                    *flag = COMPONENTS[c].migration
                        && scottish_flows_rounded(
                            rows.iter().map(|r| (r.code, r.components[k][c])),
                        );
                }
                flags
            })
            .collect();

        // Observations.
        let mut out = Vec::with_capacity(rows.len() * (years.len() + 10 * component_cols.len()));
        let mut read_sums: BTreeMap<&str, f64> = BTreeMap::new();
        let dates = years
            .iter()
            .map(|&y| june_30(y, || Location::file(&file.path)))
            .collect::<Result<Vec<_>>>()?;
        for r in &rows {
            let obs = |period, measure: &str, kind, value| {
                let mut o = Observation::count(
                    r.row,
                    r.code,
                    &r.name,
                    GeographyLevel::Lad,
                    &vintage,
                    period,
                    measure,
                    kind,
                    value,
                );
                o.area_code_published.clone_from(&r.published);
                o
            };
            for (i, &v) in r.population.iter().enumerate() {
                out.push(obs(
                    Period::Snapshot(dates[i]),
                    "population",
                    MeasureKind::Stock,
                    v,
                ));
                *read_sums.entry("population").or_default() += v;
            }
            for (k, values) in r.components.iter().enumerate() {
                for (c, component) in COMPONENTS.iter().enumerate() {
                    let v = values[c];
                    let mut o = obs(
                        Period::MidYear(years[k + 1]),
                        component.measure,
                        MeasureKind::Flow,
                        v,
                    );
                    if rounded_columns[k][c] && r.code.entity() == "S12" && v % 10.0 == 0.0 {
                        (o.status, o.interval) = rounded(v, 10.0, component.kind);
                    }
                    out.push(o);
                    *read_sums.entry(component.measure).or_default() += v;
                }
            }
        }
        let flagged: Vec<String> = rounded_columns
            .iter()
            .enumerate()
            .flat_map(|(k, flags)| {
                let year = years[k + 1];
                COMPONENTS
                    .iter()
                    .zip(flags)
                    .filter(|(_, f)| **f)
                    .map(move |(c, _)| format!("{}_{year}", c.myeb3_prefix))
            })
            .collect();
        if !flagged.is_empty() {
            audit.note(format!(
                "Scottish council-area migration flows rounded by NRS (every value a multiple of 10) are emitted as rounded \
                 intervals: {}",
                flagged.join(", ")
            ));
        }

        // Checks.
        let scottish = |d: &[(AreaCode, f64, u64)]| {
            d.iter()
                .all(|(c, d, _)| c.entity() == "S12" && d.abs() <= 20.0)
        };
        let list = |d: &[(AreaCode, f64, u64)]| {
            d.iter()
                .map(|(c, d, row)| format!("{c} row {row}: {d:+}"))
                .collect::<Vec<_>>()
        };
        for k in 0..component_cols.len() {
            let (y0, y) = (years[k], years[k + 1]);
            let (mut published, mut emitted) = (0.0, 0.0);
            let mut diffs = Vec::new();
            for r in &rows {
                let c = &r.components[k];
                let sum = r.population[k]
                    + c[NATURAL]
                    + c[INTERNAL_NET]
                    + c[INTERNATIONAL_NET]
                    + c[OTHER];
                published += r.population[k + 1];
                emitted += sum;
                if sum != r.population[k + 1] {
                    diffs.push((r.code, sum - r.population[k + 1], r.row));
                }
            }
            finish_check(
                &mut audit,
                &format!(
                    "population_{y} = population_{y0} + natural_change + internal_migration_net + international_migration_net + \
                     other_change (every row)"
                ),
                published,
                emitted,
                &list(&diffs),
                scottish(&diffs).then_some(SCOTTISH_ROUNDING),
            );
        }
        for (label, result, plus, minus) in RELATIONS {
            let (mut published, mut emitted) = (0.0, 0.0);
            let mut diffs = Vec::new();
            for r in &rows {
                for c in &r.components {
                    published += c[result];
                    emitted += c[plus] - c[minus];
                    if c[result] != c[plus] - c[minus] {
                        diffs.push((r.code, c[plus] - c[minus] - c[result], r.row));
                    }
                }
            }
            let detail: Vec<String> = list(&diffs);
            finish_check(
                &mut audit,
                &format!("{label} (every row and year)"),
                published,
                emitted,
                &detail,
                scottish(&diffs).then_some(SCOTTISH_ROUNDING),
            );
        }
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

/// Parses one row: a lower-tier local authority code, its country letter and every number.
fn parse_row(
    table: &Table,
    row: u64,
    fields: &[Value],
    [code_col, name_col, country_col]: [usize; 3],
    population_cols: &[usize],
    component_cols: &[[usize; 10]],
) -> Result<Row> {
    let published = fields[code_col].text();
    let code = AreaCode::new(&published)
        .map_err(|e| Error::input(table.at(row, code_col), e.to_string()))?;
    if !code.is_lower_tier() {
        return Err(Error::input(
            table.at(row, code_col),
            format!(
                "{code} is not a local authority code (expected E06, E07, E08, E09, W06, S12 or N09)"
            ),
        ));
    }
    let country = fields[country_col].text();
    let country = country.trim();
    if country != &code.as_str()[..1] {
        return Err(Error::input(
            table.at(row, country_col),
            format!(
                "country {country:?} does not match code {code} (expected {:?})",
                &code.as_str()[..1]
            ),
        ));
    }
    let number = |col: usize, kind: Kind| -> Result<f64> {
        Ok(table.number(row, fields, col, kind, false)?.unwrap_or(0.0))
    };
    let population = population_cols
        .iter()
        .map(|&c| number(c, Kind::Count))
        .collect::<Result<Vec<_>>>()?;
    let mut components = Vec::with_capacity(component_cols.len());
    for cols in component_cols {
        let mut values = [0.0; 10];
        for ((slot, &col), component) in values.iter_mut().zip(cols).zip(&COMPONENTS) {
            *slot = number(col, component.kind)?;
        }
        components.push(values);
    }
    Ok(Row {
        row,
        code,
        published,
        name: fields[name_col].text().trim().to_string(),
        population,
        components,
    })
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use chrono::NaiveDate;
    use migkit_core::Status;

    use super::*;
    use crate::testing::{WEST_MIDLANDS_LADS, read_bytes_as, read_checked, read_error};

    const FILE: &str = "ons-mye-components-of-change-2001-2020/MYEB3_summary_components_of_change_series_UK_(2020_geog21).csv";

    fn output() -> &'static ReadOutput {
        static OUT: OnceLock<ReadOutput> = OnceLock::new();
        OUT.get_or_init(|| read_checked(&Myeb3Reader, FILE))
    }

    fn mid(y: i32) -> Period {
        Period::Snapshot(NaiveDate::from_ymd_opt(y, 6, 30).unwrap())
    }

    /// The sum of a measure in a period over the areas `keep` accepts.
    fn sum(measure: &str, period: Period, keep: impl Fn(&str) -> bool) -> f64 {
        output()
            .observations
            .observations
            .iter()
            .filter(|o| o.measure == measure && o.period == period && keep(o.area_code.as_str()))
            .map(|o| o.value.unwrap())
            .sum()
    }

    #[test]
    fn published_figures() {
        let brum = |measure: &str, period| sum(measure, period, |c| c == "E08000025");
        assert_eq!(brum("population", mid(2001)), 984_642.0);
        assert_eq!(brum("population", mid(2020)), 1_140_525.0);
        assert_eq!(
            brum("international_migration_in", Period::MidYear(2020)),
            17_494.0
        );
        assert_eq!(
            brum("international_migration_out", Period::MidYear(2020)),
            10_625.0
        );
        assert_eq!(
            brum("internal_migration_in", Period::MidYear(2020)),
            46_113.0
        );
        assert_eq!(
            brum("internal_migration_out", Period::MidYear(2020)),
            59_469.0
        );
        assert_eq!(
            sum("population", mid(2020), |c| c.starts_with('E')),
            56_550_138.0
        );
        assert_eq!(sum("population", mid(2020), |_| true), 67_081_234.0);
        let wm = |measure: &str, period| sum(measure, period, |c| WEST_MIDLANDS_LADS.contains(&c));
        assert_eq!(wm("population", mid(2001)), 5_280_727.0);
        assert_eq!(wm("population", mid(2020)), 5_961_929.0);
        assert_eq!(
            wm("international_migration_in", Period::MidYear(2020)),
            50_814.0
        );
        assert_eq!(
            wm("international_migration_out", Period::MidYear(2020)),
            22_367.0
        );
    }

    #[test]
    fn every_row_and_column_is_emitted() {
        let out = output();
        assert_eq!((out.audit.rows_read, out.audit.rows_used), (374, 374));
        let obs = &out.observations.observations;
        assert_eq!(obs.len(), 374 * (20 + 19 * 10));
        assert!(
            obs.iter()
                .all(|o| o.geography_level == GeographyLevel::Lad && o.geography_vintage == "2021")
        );
        let kinds = |m: &str| {
            obs.iter()
                .filter(|o| o.measure == m)
                .map(|o| o.measure_kind)
                .collect::<std::collections::HashSet<_>>()
        };
        assert_eq!(kinds("population"), [MeasureKind::Stock].into());
        assert_eq!(kinds("other_change"), [MeasureKind::Flow].into());
        assert_eq!(out.observations.source, "ons_myeb3");
        assert_eq!(out.observations.release, "myeb3_mid2020_geog2021");
    }

    #[test]
    fn identity_discrepancies_are_noted_and_scottish_rounding_flagged() {
        let audit = &output().audit;
        for y in 2002..=2020 {
            let check = audit
                .totals
                .iter()
                .find(|t| t.measure.starts_with(&format!("population_{y} = ")))
                .unwrap();
            if [2011, 2018, 2019, 2020].contains(&y) {
                assert!(!check.balanced, "{y}");
                assert!(check.note.as_deref().unwrap().contains("Scottish"), "{y}");
            } else {
                assert!(check.balanced && check.note.is_none(), "{y}: {check:?}");
            }
        }
        let natural = audit
            .totals
            .iter()
            .find(|t| t.measure.starts_with("natural_change = "))
            .unwrap();
        assert!(natural.balanced);
        let note = audit
            .notes
            .iter()
            .find(|n| n.contains("rounded intervals"))
            .unwrap();
        assert!(
            note.contains("internal_in_2018")
                && note.contains("international_net_2020")
                && !note.contains("2017"),
            "{note}"
        );
        let obs = &output().observations.observations;
        let glasgow = |y| {
            obs.iter()
                .find(|o| {
                    o.area_code.as_str() == "S12000049"
                        && o.measure == "international_migration_in"
                        && o.period == Period::MidYear(y)
                })
                .unwrap()
                .status
        };
        assert_eq!(
            (glasgow(2017), glasgow(2018)),
            (Status::Published, Status::Rounded)
        );
    }

    fn mini(bom: bool, row: &str) -> Vec<u8> {
        let mut header = vec![
            "ladcode21".to_string(),
            "laname21".into(),
            "country".into(),
            "population_2001".into(),
        ];
        header.extend(
            COMPONENTS
                .iter()
                .map(|c| format!("{}_2002", c.myeb3_prefix)),
        );
        header.push("population_2002".into());
        let mut bytes = if bom {
            b"\xEF\xBB\xBF".to_vec()
        } else {
            Vec::new()
        };
        bytes.extend(format!("{}\n{row}", header.join(",")).into_bytes());
        bytes
    }

    const ROW: &str = "E08000025,Birmingham,E,100,10,5,5,20,30,-10,7,2,5,1,101";
    const AS: &str = "ons-mye-components-of-change-2001-2020/MYEB3_summary_components_of_change_series_UK_(2020_geog21).csv";

    #[test]
    fn bom_header_parses_and_bad_input_names_file_row_and_column() {
        let out = read_bytes_as(&Myeb3Reader, AS, &mini(true, ROW)).unwrap();
        assert_eq!(out.observations.observations.len(), 12);
        assert!(
            out.audit.totals.iter().all(|t| t.balanced),
            "{:?}",
            out.audit.totals
        );
        let err = |bytes: Vec<u8>| read_error(&Myeb3Reader, AS, &bytes);
        let e = err(mini(false, &ROW.replace(",7,2,", ",7,n/a,")));
        assert!(
            e.contains("MYEB3_summary")
                && e.contains("row 2, column \"international_out_2002\"")
                && e.contains("n/a"),
            "{e}"
        );
        let e = err(mini(false, "E08000025,Birmingham,E,100,10,5"));
        assert!(e.contains("row 2") && e.contains("truncated"), "{e}");
        let e = err(mini(false, &ROW.replace(",E,", ",W,")));
        assert!(e.contains("column \"country\""), "{e}");
        let e = err(mini(false, &ROW.replace("E08000025", "E12000005")));
        assert!(
            e.contains("column \"ladcode21\"") && e.contains("not a local authority"),
            "{e}"
        );
        let e = err(mini(false, &ROW.replace(",20,30,", ",-20,30,")));
        assert!(
            e.contains("column \"internal_in_2002\"") && e.contains("negative"),
            "{e}"
        );
        let missing = String::from_utf8(mini(false, ROW))
            .unwrap()
            .replace("international_out_2002,", "")
            .replace(",7,2,", ",7,");
        let e = err(missing.into_bytes());
        assert!(e.contains("\"international_out_2002\" is missing"), "{e}");
    }

    #[test]
    fn file_names() {
        assert_eq!(
            myeb3_name("MYEB3_summary_components_of_change_series_UK_(2020_geog21).csv"),
            Some((2020, "2021".into()))
        );
        assert_eq!(
            myeb3_name("MYEB3_summary_components_of_change_series_UK_(2019_geog20).csv"),
            Some((2019, "2020".into()))
        );
        assert_eq!(
            myeb3_name("MYEB2_detailed_components_of_change_series_EW_(2020_geog21).csv"),
            None
        );
    }
}
