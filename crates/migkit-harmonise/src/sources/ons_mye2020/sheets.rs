//! The checks across the MYE2 sheets and the reading of MYE3 (components) and MYE4 (time series).

use std::collections::{BTreeMap, HashMap};

use migkit_core::{AreaCode, Error, Location, MeasureKind, Observation, Period, Result};

use super::MYE4;
use super::areas::AreaColumns;
use super::components::{
    COMPONENTS, INTERNAL_IN, INTERNAL_NET, INTERNAL_OUT, INTERNATIONAL_NET, Kind, NATURAL, OTHER,
    RELATIONS, SCOTTISH_ROUNDING, june_30, rounded, scottish_flows_rounded,
};
use super::grid::{Col, Grid, GridRow, finish_check, parse_grid};
use super::table::{Table, normalise};
use crate::audit::FileAudit;

/// Checks males + females = persons in every cell of MYE2.
pub(crate) fn check_sexes(mye2: &[Grid], audit: &mut FileAudit) {
    let (males, females) = (mye2[1].by_code(), mye2[2].by_code());
    let (mut published, mut emitted) = (0.0, 0.0);
    let mut mismatches = Vec::new();
    for p in &mye2[0].rows {
        let (Some(m), Some(f)) = (males.get(&p.area.code), females.get(&p.area.code)) else {
            mismatches.push(format!(
                "{} (row {}) is missing from the males or females sheet",
                p.area.code, p.row
            ));
            continue;
        };
        for (i, v) in p.values.iter().enumerate() {
            let (v, sum) = (
                v.unwrap_or(0.0),
                m.values[i].unwrap_or(0.0) + f.values[i].unwrap_or(0.0),
            );
            published += v;
            emitted += sum;
            if v != sum {
                mismatches.push(format!(
                    "{} row {} column {}: persons {v}, males + females {sum}",
                    p.area.code, p.row, i
                ));
            }
        }
    }
    if mye2[1].rows.len() != mye2[0].rows.len() || mye2[2].rows.len() != mye2[0].rows.len() {
        mismatches.push(format!(
            "the sheets have {} (persons), {} (males) and {} (females) rows",
            mye2[0].rows.len(),
            mye2[1].rows.len(),
            mye2[2].rows.len()
        ));
    }
    finish_check(
        audit,
        "population: males + females = persons in every cell of MYE2",
        published,
        emitted,
        &mismatches,
        None,
    );
}

/// Checks that `rows`' column `column` equals `other`'s value for the same area, row by row.
pub(crate) fn same_values(
    audit: &mut FileAudit,
    label: &str,
    rows: &[GridRow],
    column: usize,
    other: &HashMap<AreaCode, &GridRow>,
    other_column: usize,
) {
    let (mut published, mut emitted) = (0.0, 0.0);
    let mut mismatches = Vec::new();
    for r in rows {
        let v = r.values[column].unwrap_or(0.0);
        let w = other.get(&r.area.code).and_then(|o| o.values[other_column]);
        published += v;
        emitted += w.unwrap_or(0.0);
        if w != Some(v) {
            mismatches.push(format!("{} row {}: {v} vs {w:?}", r.area.code, r.row));
        }
    }
    finish_check(audit, label, published, emitted, &mismatches, None);
}

/// Reads MYE4 (population at 30 June of each year); the release year's column is checked
/// against MYE2 All ages instead of being emitted again.
#[allow(clippy::too_many_arguments)]
pub(crate) fn read_mye4(
    table: &Table,
    year: i32,
    vintage: &str,
    strict: bool,
    persons: &HashMap<AreaCode, &GridRow>,
    audit: &mut FileAudit,
    out: &mut Vec<Observation>,
    read_sums: &mut BTreeMap<&str, f64>,
) -> Result<(Grid, Vec<i32>)> {
    let areas = AreaColumns::find(table)?;
    let mut columns = Vec::new();
    let mut years = Vec::new();
    for (i, h) in table.header.iter().enumerate() {
        if areas.contains(i) {
            continue;
        }
        let y = normalise(h)
            .strip_prefix("mid-")
            .and_then(|y| y.parse::<i32>().ok())
            .ok_or_else(|| table.unexpected(i, "Mid-YYYY"))?;
        columns.push(Col {
            index: i,
            kind: Kind::Count,
            no_data: false,
        });
        years.push(y);
    }
    let current = years
        .iter()
        .position(|&y| y == year)
        .ok_or_else(|| Error::MissingColumn {
            location: table.location(),
            column: format!("Mid-{year}"),
            found: table.header.join(", "),
        })?;
    let grid = parse_grid(
        table,
        areas,
        &columns,
        "Code, Name, Geography, Mid-YYYY, ...",
        strict,
        audit,
    )?;
    for row in &grid.rows {
        for (i, (&y, value)) in years.iter().zip(&row.values).enumerate() {
            let Some(value) = *value else { continue };
            if i == current {
                continue;
            }
            let date = june_30(y, || table.at(row.row, columns[i].index))?;
            if let Some(o) = row.observation(
                vintage,
                Period::Snapshot(date),
                "population",
                MeasureKind::Stock,
                value,
            ) {
                *read_sums.entry("population").or_default() += value;
                out.push(o);
            }
        }
    }
    let all: Vec<usize> = (0..columns.len()).collect();
    grid.aggregate_check(
        audit,
        "population (sheet \"MYE4\", every year)",
        &all,
        &grid.aggregates(),
        &|_, _| None,
    );
    same_values(
        audit,
        &format!("population mid-{year}: MYE4 equals MYE2 - Persons All ages (not emitted twice)"),
        &grid.rows,
        current,
        persons,
        0,
    );
    audit.note(format!(
        "sheet \"MYE4\": the Mid-{year} column is not emitted (it repeats MYE2 - Persons All ages); checked identical"
    ));
    Ok((grid, years))
}

/// Reads MYE3 (components of change over the year to 30 June of the release year).
#[allow(clippy::too_many_arguments)]
pub(crate) fn read_mye3(
    table: &Table,
    year: i32,
    vintage: &str,
    strict: bool,
    persons: &HashMap<AreaCode, &GridRow>,
    mye4: &(Grid, Vec<i32>),
    audit: &mut FileAudit,
    out: &mut Vec<Observation>,
    read_sums: &mut BTreeMap<&'static str, f64>,
) -> Result<()> {
    let areas = AreaColumns::find(table)?;
    let start = table.column(&format!("Estimated Population mid-{}", year - 1))?;
    let end = table.column(&format!("Estimated Population mid-{year}"))?;
    let mut columns = vec![
        Col {
            index: start,
            kind: Kind::Count,
            no_data: false,
        },
        Col {
            index: end,
            kind: Kind::Count,
            no_data: false,
        },
    ];
    for c in &COMPONENTS {
        columns.push(Col {
            index: table.column(c.mye3_header)?,
            kind: c.kind,
            no_data: true,
        });
    }
    let expected = format!(
        "Code, Name, Geography, Estimated Population mid-{}, {}, Estimated Population mid-{year}",
        year - 1,
        COMPONENTS
            .iter()
            .map(|c| c.mye3_header)
            .collect::<Vec<_>>()
            .join(", ")
    );
    let grid = parse_grid(table, areas, &columns, &expected, strict, audit)?;
    let value = |r: &GridRow, c: usize| r.values[2 + c];

    // Which Scottish migration columns are rounded.
    let rounded_columns: Vec<bool> = (0..COMPONENTS.len())
        .map(|c| {
            COMPONENTS[c].migration
                && scottish_flows_rounded(
                    grid.rows
                        .iter()
                        .filter_map(|r| value(r, c).map(|v| (r.area.code, v))),
                )
        })
        .collect();
    let period = Period::MidYear(year);
    let mut no_data = Vec::new();
    for row in &grid.rows {
        for (c, component) in COMPONENTS.iter().enumerate() {
            let Some(v) = value(row, c) else {
                if row.area.level.is_some() {
                    no_data.push(format!("{} {}", row.area.code, component.measure));
                }
                continue;
            };
            let Some(mut o) =
                row.observation(vintage, period, component.measure, MeasureKind::Flow, v)
            else {
                continue;
            };
            let base = match row.area.code.entity() {
                "S12" => 10.0,
                "S92" => 100.0,
                _ => 0.0,
            };
            if rounded_columns[c] && base > 0.0 && v % base == 0.0 {
                (o.status, o.interval) = rounded(v, base, component.kind);
            }
            *read_sums.entry(component.measure).or_default() += v;
            out.push(o);
        }
    }
    if !no_data.is_empty() {
        audit.note(format!(
            "sheet \"MYE3\": {} cells say \"No data\" and are skipped, not zeros (ONS has no internal migration \
             inflow/outflow for the UK and GB: moves within the UK are not migration into or out of them): {}",
            no_data.len(),
            no_data.join(", ")
        ));
    }
    let flagged: Vec<&str> = COMPONENTS
        .iter()
        .zip(&rounded_columns)
        .filter(|(_, r)| **r)
        .map(|(c, _)| c.measure)
        .collect();
    if !flagged.is_empty() {
        audit.note(format!(
            "sheet \"MYE3\": Scottish migration flows are rounded by NRS (every council-area value a multiple of 10), \
             emitted as rounded intervals (council areas to 10, Scotland to 100): {}",
            flagged.join(", ")
        ));
    }
    audit.note(format!(
        "sheet \"MYE3\": the two population columns are not emitted (they repeat MYE4 Mid-{} and MYE2 All ages); checked identical",
        year - 1
    ));

    // The two population columns repeat MYE4 and MYE2.
    let (mye4, mye4_years) = mye4;
    let previous = mye4_years
        .iter()
        .position(|&y| y == year - 1)
        .ok_or_else(|| Error::MissingColumn {
            location: Location::file(&table.path).sheet(MYE4),
            column: format!("Mid-{}", year - 1),
            found: mye4_years
                .iter()
                .map(|y| format!("Mid-{y}"))
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    let mye4_by_code = mye4.by_code();
    same_values(
        audit,
        &format!("population mid-{}: MYE3 equals MYE4", year - 1),
        &grid.rows,
        0,
        &mye4_by_code,
        previous,
    );
    same_values(
        audit,
        &format!("population mid-{year}: MYE3 equals MYE2 - Persons All ages"),
        &grid.rows,
        1,
        persons,
        0,
    );

    // The accounting identities.
    let scottish = |d: &[(AreaCode, f64)]| {
        d.iter()
            .all(|(c, d)| c.as_str().starts_with('S') && d.abs() <= 20.0)
    };
    let mut identity = Vec::new();
    let (mut published, mut emitted) = (0.0, 0.0);
    for r in &grid.rows {
        let parts = [
            r.values[0],
            value(r, NATURAL),
            value(r, INTERNAL_NET),
            value(r, INTERNATIONAL_NET),
            value(r, OTHER),
        ];
        let (Some(end), Some(sum)) = (r.values[1], parts.into_iter().sum::<Option<f64>>()) else {
            continue;
        };
        published += end;
        emitted += sum;
        if end != sum {
            identity.push((r.area.code, sum - end, r.row));
        }
    }
    let diffs: Vec<(AreaCode, f64)> = identity.iter().map(|(c, d, _)| (*c, *d)).collect();
    let list: Vec<String> = identity
        .iter()
        .map(|(c, d, row)| format!("{c} row {row}: {d:+}"))
        .collect();
    finish_check(
        audit,
        &format!(
            "population mid-{year} = mid-{} + natural_change + internal_migration_net + international_migration_net + other_change (MYE3, every row)",
            year - 1
        ),
        published,
        emitted,
        &list,
        scottish(&diffs).then_some(SCOTTISH_ROUNDING),
    );
    for (label, result, plus, minus) in RELATIONS {
        let (mut published, mut emitted) = (0.0, 0.0);
        let mut diffs = Vec::new();
        for r in &grid.rows {
            let (Some(res), Some(p), Some(m)) = (value(r, result), value(r, plus), value(r, minus))
            else {
                continue;
            };
            published += res;
            emitted += p - m;
            if res != p - m {
                diffs.push((r.area.code, p - m - res, r.row));
            }
        }
        let d: Vec<(AreaCode, f64)> = diffs.iter().map(|(c, d, _)| (*c, *d)).collect();
        let list: Vec<String> = diffs
            .iter()
            .map(|(c, d, row)| format!("{c} row {row}: {d:+}"))
            .collect();
        finish_check(
            audit,
            &format!("{label} (MYE3, every row)"),
            published,
            emitted,
            &list,
            scottish(&d).then_some(SCOTTISH_ROUNDING),
        );
    }

    // Aggregates: additive columns only (an area's internal inflow excludes moves within it).
    let aggregates = grid.aggregates();
    let scotland = |code: &AreaCode, diff: f64| {
        (matches!(code.entity(), "S92" | "K03" | "K02") && diff.abs() <= 50.0).then_some(
            "as published: NRS rounds Scotland's migration totals to the nearest 100 (other_change absorbs the \
             difference), so Scotland, Great Britain and the UK differ from the sum of council areas by a few tens",
        )
    };
    grid.aggregate_check(
        audit,
        "population (sheet \"MYE3\", both years)",
        &[0, 1],
        &aggregates,
        &|_, _| None,
    );
    for (c, component) in COMPONENTS.iter().enumerate() {
        if matches!(c, INTERNAL_IN | INTERNAL_OUT) {
            continue;
        }
        let explain: &dyn Fn(&AreaCode, f64) -> Option<&'static str> =
            if component.migration || c == OTHER {
                &scotland
            } else {
                &|_, _| None
            };
        grid.aggregate_check(
            audit,
            &format!("{} (sheet \"MYE3\")", component.measure),
            &[2 + c],
            &aggregates,
            explain,
        );
    }
    audit.note(
        "sheet \"MYE3\": internal migration inflow and outflow are not additive (an area's inflow excludes moves within it), \
         so aggregate rows are not checked against their local authorities for them",
    );
    Ok(())
}
