//! The MYE2 layout (population by single year of age), shared with the mid-2024 reader.

use chrono::NaiveDate;
use migkit_core::{MeasureKind, Observation, Period, Result};

use super::areas::AreaColumns;
use super::components::Kind;
use super::grid::{Col, Grid, finish_check, parse_grid};
use super::table::Table;
use crate::audit::FileAudit;

/// The MYE2 layout: Code, Name, Geography, All ages, 0..89, 90+. Returns the columns (All ages
/// first) and the age label of each (None for All ages).
pub(crate) fn mye2_columns(table: &Table) -> Result<(AreaColumns, Vec<Col>, Vec<Option<String>>)> {
    let areas = AreaColumns::find(table)?;
    let mut columns = vec![Col {
        index: table.column("All ages")?,
        kind: Kind::Count,
        no_data: false,
    }];
    let mut ages = vec![None];
    for age in (0..90).map(|a| a.to_string()).chain(["90+".to_string()]) {
        columns.push(Col {
            index: table.column(&age)?,
            kind: Kind::Count,
            no_data: false,
        });
        ages.push(Some(age));
    }
    Ok((areas, columns, ages))
}

/// Expected MYE2 columns, for errors.
const MYE2_EXPECTED: &str = "Code, Name, Geography, All ages, 0, 1, ..., 89, 90+";

/// Parses an MYE2 table (persons, males or females).
pub(crate) fn parse_mye2(
    table: &Table,
    strict: bool,
    audit: &mut FileAudit,
) -> Result<(Grid, Vec<Option<String>>)> {
    let (areas, columns, ages) = mye2_columns(table)?;
    Ok((
        parse_grid(table, areas, &columns, MYE2_EXPECTED, strict, audit)?,
        ages,
    ))
}

/// Emits the population by age (and All ages) of an MYE2 grid; returns the sum of the values.
pub(crate) fn emit_mye2(
    grid: &Grid,
    ages: &[Option<String>],
    sex: Option<&str>,
    date: NaiveDate,
    vintage: &str,
    out: &mut Vec<Observation>,
) -> f64 {
    let mut sum = 0.0;
    for row in &grid.rows {
        for (value, age) in row.values.iter().zip(ages) {
            let Some(value) = *value else { continue };
            let Some(mut o) = row.observation(
                vintage,
                Period::Snapshot(date),
                "population",
                MeasureKind::Stock,
                value,
            ) else {
                continue;
            };
            o.age.clone_from(age);
            o.sex = sex.map(str::to_string);
            sum += value;
            out.push(o);
        }
    }
    sum
}

/// Checks an MYE2 grid: ages sum to All ages in every row; aggregates equal their local authorities.
pub(crate) fn check_mye2(grid: &Grid, what: &str, audit: &mut FileAudit) {
    let (mut published, mut emitted) = (0.0, 0.0);
    let mut mismatches = Vec::new();
    for row in &grid.rows {
        let all = row.values[0].unwrap_or(0.0);
        let ages: f64 = row.values[1..].iter().map(|v| v.unwrap_or(0.0)).sum();
        published += all;
        emitted += ages;
        if all != ages {
            mismatches.push(format!(
                "{} row {}: All ages {all}, ages sum to {ages}",
                row.area.code, row.row
            ));
        }
    }
    let label = format!(
        "population ({what}, {}): ages 0 to 90+ sum to All ages in every row",
        grid.label
    );
    finish_check(audit, &label, published, emitted, &mismatches, None);
    let columns: Vec<usize> = (0..grid.rows.first().map_or(0, |r| r.values.len())).collect();
    grid.aggregate_check(
        audit,
        &format!("population ({what}, {}, every age)", grid.label),
        &columns,
        &grid.aggregates(),
        &|_, _| None,
    );
}
