//! The CSV exports of the workbook's sheets: cross-checked cell by cell, never emitted.

use std::path::{Path, PathBuf};

use migkit_core::{Error, Location, Result};

use super::areas::AreaColumns;
use super::components::{COMPONENTS, Kind};
use super::grid::{Col, parse_grid};
use super::mye2::parse_mye2;
use super::table::{Table, Value, normalise};
use super::workbook::workbook;
use super::{MYE3, MYE4, mid_year_release, uk_release_date, workbook_name};
use crate::audit::{FileAudit, TotalCheck};
use crate::source::{ReadContext, ReadOutput, Reader, ReleaseMeta, SourceFile};
use crate::table::CsvTable;

/// The sheet a CSV export holds, from its file name, and the release year.
pub(crate) fn export_sheet(file_name: &str) -> Option<(&'static str, i32)> {
    let year_after = |marker: &str| -> Option<i32> {
        let i = file_name.find(marker)? + marker.len();
        file_name.get(i..i + 4)?.parse().ok()
    };
    if !file_name.to_ascii_lowercase().ends_with(".csv") {
        return None;
    }
    let mye2 = |sex: &str| format!("MYE2_{sex}_single_year_of_age_mid");
    if file_name.starts_with(&mye2("persons")) {
        Some(("MYE2 - Persons", year_after("_mid")?))
    } else if file_name.starts_with(&mye2("males")) {
        Some(("MYE2 - Males", year_after("_mid")?))
    } else if file_name.starts_with(&mye2("females")) {
        Some(("MYE2 - Females", year_after("_mid")?))
    } else if file_name.starts_with("MYE3_components_of_change_mid") {
        Some((MYE3, year_after("_to_mid")?))
    } else if file_name.starts_with("MYE4_population_time_series_") {
        let stem = file_name.strip_suffix(".csv")?;
        Some((MYE4, stem.rsplit('_').next()?.parse().ok()?))
    } else {
        None
    }
}

/// The workbook beside a CSV export for the same year.
fn workbook_beside(csv: &Path, year: i32) -> Result<PathBuf> {
    let dir = csv.parent().unwrap_or(Path::new("."));
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .and_then(workbook_name)
                .is_some_and(|(y, _)| y == year)
        })
        .collect();
    found.sort();
    found.into_iter().next().ok_or_else(|| {
        Error::input(
            Location::file(csv),
            format!(
                "no workbook ukpopestimatesmid{year}on{{YYYY}}geography.xls beside this CSV export to cross-check it against; \
                 the exports are never read as data (they would double-count the workbook)"
            ),
        )
    })
}

/// Accounts for the CSV exports of the mid-year estimates workbook (`MYE2_persons_...`,
/// `MYE3_...`, `MYE4_...`): every cell is checked identical to the workbook sheet it was exported
/// from, every row is audited as used for that check, and nothing is emitted (the workbook
/// reader emits these figures). Source id `ons_mye2020_csv`.
#[derive(Debug, Clone, Copy, Default)]
pub struct MidYearCsvExportReader;

impl Reader for MidYearCsvExportReader {
    fn id(&self) -> &'static str {
        "ons_mye2020_csv"
    }

    fn accepts(&self, file: &SourceFile) -> bool {
        export_sheet(file.file_name()).is_some()
    }

    fn release(&self, file: &SourceFile) -> ReleaseMeta {
        let (sheet, year) = export_sheet(file.file_name()).unwrap_or(("MYE2 - Persons", 2020));
        mid_year_release(
            format!("mye_uk_mid{year}_csv_exports"),
            "ons_mye_uk_la_csv_exports",
            format!(
                "CSV export of sheet {sheet:?} of the ONS mid-{year} UK population estimates workbook (cross-checked, not emitted)"
            ),
            uk_release_date(year),
            format!("as sheet {sheet:?} (mid-{year})"),
        )
    }

    fn read(&self, file: &SourceFile, ctx: &ReadContext<'_>) -> Result<ReadOutput> {
        let path = &file.path;
        let (sheet, year) = export_sheet(file.file_name()).ok_or_else(|| {
            Error::input(
                Location::file(path),
                "not a CSV export of an MYE2, MYE3 or MYE4 sheet",
            )
        })?;
        let csv = CsvTable::open(path)?;
        let release = self.release(file);
        let mut audit = FileAudit::new(&file.relative, &csv.bytes, self.id(), &release.id);
        let table = Table::from_csv(&csv);
        drop(csv);

        // Validate the CSV on its own first (columns, numbers, codes), as the workbook is.
        let mut scratch = FileAudit::new(&file.relative, b"", self.id(), &release.id);
        let strict = ctx.options.strict;
        match sheet {
            MYE3 => {
                let areas = AreaColumns::find(&table)?;
                let mut columns = vec![
                    Col {
                        index: table.column(&format!("Estimated Population mid-{}", year - 1))?,
                        kind: Kind::Count,
                        no_data: false,
                    },
                    Col {
                        index: table.column(&format!("Estimated Population mid-{year}"))?,
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
                parse_grid(
                    &table,
                    areas,
                    &columns,
                    "the MYE3 columns",
                    strict,
                    &mut scratch,
                )?;
            }
            MYE4 => {
                let areas = AreaColumns::find(&table)?;
                let mut columns = Vec::new();
                for (i, h) in table.header.iter().enumerate() {
                    if !areas.contains(i) {
                        normalise(h)
                            .strip_prefix("mid-")
                            .and_then(|y| y.parse::<i32>().ok())
                            .ok_or_else(|| table.unexpected(i, "Mid-YYYY"))?;
                        columns.push(Col {
                            index: i,
                            kind: Kind::Count,
                            no_data: false,
                        });
                    }
                }
                parse_grid(
                    &table,
                    areas,
                    &columns,
                    "Code, Name, Geography, Mid-YYYY, ...",
                    strict,
                    &mut scratch,
                )?;
            }
            _ => {
                parse_mye2(&table, strict, &mut scratch)?;
            }
        }

        // Then compare every cell with the workbook.
        let book_path = workbook_beside(path, year)?;
        let book = workbook(&book_path)?;
        let book_name = book_path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let sheet_table = book.table(&book_path, sheet)?;
        for (i, (h, s)) in table.header.iter().zip(&sheet_table.header).enumerate() {
            if normalise(h) != normalise(s) {
                return Err(Error::input(
                    table.at(1, i),
                    format!("header {h:?} differs from {s:?} in sheet {sheet:?} of {book_name}"),
                ));
            }
        }
        if table.header.len() != sheet_table.header.len() {
            return Err(Error::input(
                table.at(1, 0),
                format!(
                    "{} columns, but sheet {sheet:?} of {book_name} has {}",
                    table.header.len(),
                    sheet_table.header.len()
                ),
            ));
        }
        let sheet_rows: Vec<&(u64, Vec<Value>)> = sheet_table
            .rows
            .iter()
            .filter(|(_, c)| !c.iter().all(Value::is_empty))
            .collect();
        let mut identical = 0u64;
        let mut compared = 0u64;
        let mut n = 0;
        for (row, cells) in &table.rows {
            if cells.iter().all(Value::is_empty) {
                audit.reject(*row, "blank row (the export skips the sheet's blank rows)");
                continue;
            }
            let Some((sheet_row, sheet_cells)) = sheet_rows.get(n) else {
                let e = Error::input(
                    table.at(*row, 0),
                    format!(
                        "row beyond the {} data rows of sheet {sheet:?} of {book_name}",
                        sheet_rows.len()
                    ),
                );
                audit.reject_or_fail(strict, *row, e)?;
                continue;
            };
            n += 1;
            let differs = cells.iter().zip(sheet_cells).position(|(a, b)| a != b);
            compared += cells.len() as u64;
            match differs {
                None => {
                    identical += cells.len() as u64;
                    audit.used();
                }
                Some(c) => {
                    let e = Error::input(
                        table.at(*row, c),
                        format!(
                            "{:?} differs from {:?} in sheet {sheet:?} row {sheet_row} of {book_name}",
                            cells[c].text(),
                            sheet_cells[c].text()
                        ),
                    );
                    identical += cells
                        .iter()
                        .zip(sheet_cells.iter())
                        .filter(|(a, b)| a == b)
                        .count() as u64;
                    audit.reject_or_fail(strict, *row, e)?;
                }
            }
        }
        if n < sheet_rows.len() {
            let e = Error::input(
                Location::file(path),
                format!(
                    "{n} data rows, but sheet {sheet:?} of {book_name} has {}; the export is truncated",
                    sheet_rows.len()
                ),
            );
            if strict {
                return Err(e);
            }
            audit.note(e.to_string());
        }
        audit.note(format!(
            "cross-checked against the .xls (sheet {sheet:?} of {book_name}): {identical} cells identical; not emitted, \
             because reader ons_mye2020 emits these figures from the workbook"
        ));
        audit.total(TotalCheck::exact(
            format!("cells identical to sheet {sheet:?} of {book_name}"),
            compared as f64,
            identical as f64,
        ));
        Ok(ReadOutput::new(
            self.id(),
            release.id,
            file,
            Vec::new(),
            audit,
        ))
    }
}
