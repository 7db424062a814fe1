//! Published tables (a CSV file or a workbook sheet) as numbered rows of cells.

use std::path::{Path, PathBuf};

use calamine::{Data, Range};
use migkit_core::{Error, Location, Result};

use super::components::Kind;
use crate::cell::{Cell, parse_cell};
use crate::table::CsvTable;

/// The text ONS writes where it has no estimate.
const NO_DATA: &str = "No data";

/// A cell of a published table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// A number.
    Number(f64),
    /// Text, as published.
    Text(String),
    /// Nothing.
    Empty,
}

impl Value {
    pub(crate) fn from_csv(field: &str) -> Self {
        match parse_cell(field) {
            Ok(Cell::Blank) => Value::Empty,
            Ok(Cell::Number(v)) => Value::Number(v),
            _ => Value::Text(field.to_string()),
        }
    }

    pub(crate) fn from_data(data: &Data) -> Self {
        match data {
            Data::Int(i) => Value::Number(*i as f64),
            Data::Float(f) => Value::Number(*f),
            Data::String(s) if s.trim().is_empty() => Value::Empty,
            Data::String(s) => Value::Text(s.clone()),
            Data::Empty => Value::Empty,
            other => Value::Text(other.to_string()),
        }
    }

    pub(crate) fn text(&self) -> String {
        match self {
            Value::Number(v) => v.to_string(),
            Value::Text(t) => t.clone(),
            Value::Empty => String::new(),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        *self == Value::Empty
    }
}

/// A published table (a CSV file or a workbook sheet): header and numbered rows of cells.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub(crate) path: PathBuf,
    pub(crate) sheet: Option<String>,
    pub(crate) header_row: u64,
    /// Header names, trimmed.
    pub(crate) header: Vec<String>,
    /// Data rows: (1-based file line or sheet row, cells).
    pub(crate) rows: Vec<(u64, Vec<Value>)>,
}

/// Lower case with whitespace collapsed, for comparing headers.
pub(crate) fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Table {
    /// A CSV file's table (the header is row 1).
    pub(crate) fn from_csv(csv: &CsvTable) -> Self {
        Self {
            path: csv.path.clone(),
            sheet: None,
            header_row: 1,
            header: csv.header.clone(),
            rows: csv
                .rows
                .iter()
                .map(|(row, fields)| (*row, fields.iter().map(|f| Value::from_csv(f)).collect()))
                .collect(),
        }
    }

    /// A sheet's table, starting at the row whose first cells are `Code, Name, Geography`.
    pub(crate) fn from_sheet(path: &Path, sheet: &str, range: &Range<Data>) -> Result<Self> {
        let (first_row, _) = range.start().unwrap_or((0, 0));
        let text = |row: &[Data], i: usize| {
            row.get(i)
                .map(|d| normalise(&d.to_string()))
                .unwrap_or_default()
        };
        let found = range.rows().enumerate().find(|(_, row)| {
            text(row, 0) == "code" && text(row, 1) == "name" && text(row, 2) == "geography"
        });
        let Some((header_index, header_cells)) = found else {
            return Err(Error::input(
                Location::file(path).sheet(sheet),
                "no header row whose first cells are \"Code\", \"Name\", \"Geography\"; the sheet's layout has changed",
            ));
        };
        let mut header: Vec<String> = header_cells
            .iter()
            .map(|d| d.to_string().trim().to_string())
            .collect();
        while header.last().is_some_and(String::is_empty) {
            header.pop();
        }
        let sheet_row = |index: usize| u64::from(first_row) + index as u64 + 1;
        let mut rows = Vec::new();
        for (index, cells) in range.rows().enumerate().skip(header_index + 1) {
            let row = sheet_row(index);
            if let Some((col, extra)) = cells
                .iter()
                .enumerate()
                .skip(header.len())
                .find(|(_, d)| !Value::from_data(d).is_empty())
            {
                return Err(Error::input(
                    Location::file(path).sheet(sheet).row(row),
                    format!(
                        "cell {extra:?} in column {} lies beyond the table's last header column",
                        col + 1
                    ),
                ));
            }
            rows.push((
                row,
                cells
                    .iter()
                    .take(header.len())
                    .map(Value::from_data)
                    .collect(),
            ));
        }
        Ok(Self {
            path: path.to_path_buf(),
            sheet: Some(sheet.to_string()),
            header_row: sheet_row(header_index),
            header,
            rows,
        })
    }

    /// A location in the table's file (and sheet).
    pub(crate) fn location(&self) -> Location {
        let location = Location::file(&self.path);
        match &self.sheet {
            Some(sheet) => location.sheet(sheet),
            None => location,
        }
    }

    /// The location of a cell.
    pub(crate) fn at(&self, row: u64, column: usize) -> Location {
        self.location()
            .row(row)
            .column(self.header.get(column).cloned().unwrap_or_default())
    }

    /// The index of a required column (compared case-insensitively, whitespace collapsed).
    pub(crate) fn column(&self, name: &str) -> Result<usize> {
        let wanted = normalise(name);
        self.header
            .iter()
            .position(|h| normalise(h) == wanted)
            .ok_or_else(|| Error::MissingColumn {
                location: self.location(),
                column: name.to_string(),
                found: self.header.join(", "),
            })
    }

    /// An error for a header column the reader does not know.
    pub(crate) fn unexpected(&self, column: usize, expected: &str) -> Error {
        Error::input(
            self.at(self.header_row, column),
            format!(
                "unexpected column {:?}; expected {expected}",
                self.header[column]
            ),
        )
    }

    /// A "sheet ...: " prefix for audit reasons (empty for CSV files).
    pub(crate) fn prefix(&self) -> String {
        self.sheet
            .as_ref()
            .map(|s| format!("sheet {s:?}: "))
            .unwrap_or_default()
    }

    /// A cell as a whole number of the given kind; `None` for `"No data"` where `no_data` allows it.
    pub(crate) fn number(
        &self,
        row: u64,
        cells: &[Value],
        column: usize,
        kind: Kind,
        no_data: bool,
    ) -> Result<Option<f64>> {
        let at = || self.at(row, column);
        let v = match cells.get(column).unwrap_or(&Value::Empty) {
            Value::Number(v) => *v,
            Value::Text(t) if no_data && t.trim().eq_ignore_ascii_case(NO_DATA) => return Ok(None),
            Value::Text(t) => {
                return Err(Error::input(
                    at(),
                    format!("{t:?} is not a number; a count of persons is required"),
                ));
            }
            Value::Empty => {
                return Err(Error::input(
                    at(),
                    "the cell is empty; a count of persons is required",
                ));
            }
        };
        if v.fract() != 0.0 {
            return Err(Error::input(
                at(),
                format!("count {v} is not a whole number"),
            ));
        }
        if kind == Kind::Count && v < 0.0 {
            return Err(Error::input(at(), format!("count {v} is negative")));
        }
        Ok(Some(v))
    }
}
