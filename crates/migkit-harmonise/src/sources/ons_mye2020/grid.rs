//! Tables parsed into areas and numbers, and the total checks run on them.

use std::collections::{BTreeMap, HashMap};

use migkit_core::{AreaCode, MeasureKind, Observation, ObservationSet, Period, Result};

use super::areas::{Area, AreaColumns, aggregates};
use super::components::Kind;
use super::table::{Table, Value};
use crate::audit::{FileAudit, TotalCheck, emitted_by_measure};

/// A column to parse as numbers.
#[derive(Debug, Clone)]
pub(crate) struct Col {
    pub(crate) index: usize,
    pub(crate) kind: Kind,
    /// True if `"No data"` is allowed (it becomes `None`).
    pub(crate) no_data: bool,
}

/// One parsed row.
#[derive(Debug, Clone)]
pub(crate) struct GridRow {
    pub(crate) row: u64,
    pub(crate) area: Area,
    /// One value per [`Col`], `None` for "No data".
    pub(crate) values: Vec<Option<f64>>,
}

impl GridRow {
    /// An observation of this row's area.
    pub(crate) fn observation(
        &self,
        vintage: &str,
        period: Period,
        measure: &str,
        kind: MeasureKind,
        value: f64,
    ) -> Option<Observation> {
        let level = self.area.level?;
        let mut o = Observation::count(
            self.row,
            self.area.code,
            &self.area.name,
            level,
            vintage,
            period,
            measure,
            kind,
            value,
        );
        o.area_code_published.clone_from(&self.area.published);
        Some(o)
    }
}

/// A table parsed into rows of numbers.
#[derive(Debug, Clone)]
pub(crate) struct Grid {
    pub(crate) rows: Vec<GridRow>,
    /// Where the table came from, for labels (`sheet "MYE4"` or the file name).
    pub(crate) label: String,
}

impl Grid {
    /// The rows by area code.
    pub(crate) fn by_code(&self) -> HashMap<AreaCode, &GridRow> {
        self.rows.iter().map(|r| (r.area.code, r)).collect()
    }

    /// The aggregate rows and the rows they sum.
    pub(crate) fn aggregates(&self) -> Vec<(usize, Vec<usize>)> {
        let codes: Vec<&AreaCode> = self.rows.iter().map(|r| &r.area.code).collect();
        aggregates(&codes)
    }

    /// Checks that every aggregate row equals the sum of its local authorities in the given
    /// columns; `explain` returns a note for a difference that is expected.
    pub(crate) fn aggregate_check(
        &self,
        audit: &mut FileAudit,
        label: &str,
        columns: &[usize],
        aggregates: &[(usize, Vec<usize>)],
        explain: &dyn Fn(&AreaCode, f64) -> Option<&'static str>,
    ) {
        let (mut published, mut emitted) = (0.0, 0.0);
        let mut mismatches = Vec::new();
        let mut explanation = None;
        let mut all_explained = true;
        for (agg, members) in aggregates {
            let agg = &self.rows[*agg];
            for &c in columns {
                let Some(value) = agg.values[c] else { continue };
                let Some(sum) = members
                    .iter()
                    .map(|&m| self.rows[m].values[c])
                    .sum::<Option<f64>>()
                else {
                    continue;
                };
                published += value;
                emitted += sum;
                if value != sum {
                    mismatches.push(format!(
                        "{} {value} vs {sum} (row {})",
                        agg.area.code, agg.row
                    ));
                    match explain(&agg.area.code, value - sum) {
                        Some(e) => explanation = Some(e),
                        None => all_explained = false,
                    }
                }
            }
        }
        let label = format!(
            "{label}: {} aggregate rows equal the sum of their local authorities",
            aggregates.len()
        );
        let explanation = if all_explained { explanation } else { None };
        finish_check(audit, &label, published, emitted, &mismatches, explanation);
    }
}

/// Adds a total check that holds only if there are no mismatches; an explained set of
/// mismatches gets a note, an unexplained one is listed in the audit's notes and left unbalanced.
pub(crate) fn finish_check(
    audit: &mut FileAudit,
    label: &str,
    published: f64,
    emitted: f64,
    mismatches: &[String],
    explanation: Option<&str>,
) {
    let mut check = TotalCheck::exact(label, published, emitted);
    check.balanced = mismatches.is_empty();
    if !mismatches.is_empty() {
        const SHOWN: usize = 12;
        let mut list = mismatches
            .iter()
            .take(SHOWN)
            .cloned()
            .collect::<Vec<_>>()
            .join("; ");
        if mismatches.len() > SHOWN {
            list.push_str(&format!("; and {} more", mismatches.len() - SHOWN));
        }
        let text = format!("{} differences: {list}", mismatches.len());
        match explanation {
            Some(e) => check = check.with_note(format!("{e}. {text}")),
            None => audit.note(format!("{label} does NOT hold: {text}")),
        }
    }
    audit.total(check);
}

/// Adds one check per measure: the cells read for it against the observations emitted.
pub(crate) fn measure_checks(
    audit: &mut FileAudit,
    read: &BTreeMap<&str, f64>,
    set: &ObservationSet,
) {
    let emitted = emitted_by_measure(set);
    for (measure, published) in read {
        let label = format!("{measure}: sum of the cells read");
        audit.total(TotalCheck::exact(
            label,
            *published,
            emitted.get(measure).copied().unwrap_or(0.0),
        ));
    }
}

/// Parses a table's rows into a grid: area columns plus `columns`, every other header column is
/// an error. Blank rows and footnotes are rejected; metropolitan counties are rejected (they are
/// kept in the grid for aggregate checks); bad cells fail (strict) or reject the row.
pub(crate) fn parse_grid(
    table: &Table,
    area_columns: AreaColumns,
    columns: &[Col],
    expected: &str,
    strict: bool,
    audit: &mut FileAudit,
) -> Result<Grid> {
    for i in 0..table.header.len() {
        if !area_columns.contains(i) && !columns.iter().any(|c| c.index == i) {
            return Err(table.unexpected(i, expected));
        }
    }
    let prefix = table.prefix();
    let mut rows = Vec::with_capacity(table.rows.len());
    for (row, cells) in &table.rows {
        let row = *row;
        if cells.iter().all(Value::is_empty) {
            audit.reject(row, format!("{prefix}blank row"));
            continue;
        }
        if cells.iter().skip(1).all(Value::is_empty) {
            audit.reject(row, format!("{prefix}footnote: {}", cells[0].text()));
            continue;
        }
        let parsed = area_columns.area(table, row, cells).and_then(|area| {
            let values = columns
                .iter()
                .map(|c| table.number(row, cells, c.index, c.kind, c.no_data))
                .collect::<Result<Vec<_>>>()?;
            Ok(GridRow { row, area, values })
        });
        match parsed {
            Ok(r) => {
                if r.area.level.is_none() {
                    audit.reject(
                        row,
                        format!(
                            "{prefix}{} {}: a metropolitan county is a statistical aggregate of its metropolitan \
                             districts, not a local authority, so it is not emitted (its districts are); \
                             checked against the sum of its districts",
                            r.area.code, r.area.name
                        ),
                    );
                } else {
                    audit.used();
                }
                rows.push(r);
            }
            Err(e) => audit.reject_or_fail(strict, row, e)?,
        }
    }
    let label = match &table.sheet {
        Some(s) => format!("sheet {s:?}"),
        None => table
            .path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    Ok(Grid { rows, label })
}
