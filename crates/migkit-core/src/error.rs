//! The core error type, which every migkit crate converts its own errors into at its edge.

use std::fmt;
use std::path::PathBuf;

/// Where in an input something went wrong: file, sheet, row, column, area code.
///
/// Rows are 1-based and count the header as row 1, so they match what a spreadsheet shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// The input file.
    pub file: Option<PathBuf>,
    /// The sheet of a workbook.
    pub sheet: Option<String>,
    /// The 1-based line or spreadsheet row (the header is row 1).
    pub row: Option<u64>,
    /// The column header.
    pub column: Option<String>,
    /// The area code the row is about.
    pub area: Option<String>,
}

impl Location {
    /// A location in a file.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Self {
            file: Some(path.into()),
            ..Self::default()
        }
    }

    /// The same location at a row.
    pub fn row(mut self, row: u64) -> Self {
        self.row = Some(row);
        self
    }

    /// The same location at a column.
    pub fn column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }

    /// The same location in a sheet.
    pub fn sheet(mut self, sheet: impl Into<String>) -> Self {
        self.sheet = Some(sheet.into());
        self
    }

    /// The same location for an area code.
    pub fn area(mut self, area: impl Into<String>) -> Self {
        self.area = Some(area.into());
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(file) = &self.file {
            parts.push(file.display().to_string());
        }
        if let Some(sheet) = &self.sheet {
            parts.push(format!("sheet {sheet:?}"));
        }
        if let Some(row) = self.row {
            parts.push(format!("row {row}"));
        }
        if let Some(column) = &self.column {
            parts.push(format!("column {column:?}"));
        }
        if let Some(area) = &self.area {
            parts.push(format!("area {area}"));
        }
        if parts.is_empty() {
            f.write_str("<unknown location>")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

/// Errors shared by all migkit crates.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Text that is not a valid GSS or legacy area code.
    #[error("invalid area code {code:?}: {reason}")]
    InvalidAreaCode {
        /// The text as given.
        code: String,
        /// Which rule it broke.
        reason: String,
    },
    /// Text that is not a period migkit understands.
    #[error("invalid period {text:?}: {reason}")]
    InvalidPeriod {
        /// The text as given.
        text: String,
        /// What was expected.
        reason: String,
    },
    /// A parameter outside its allowed range.
    #[error("invalid parameter {name}: {reason}")]
    InvalidParameter {
        /// The parameter name.
        name: String,
        /// The rule, e.g. "must be ≥ 1".
        reason: String,
    },
    /// A published table that does not have the shape or content its reader expects.
    #[error("{location}: {message}")]
    Input {
        /// Where the problem is.
        location: Location,
        /// What is wrong and, where possible, how to fix it.
        message: String,
    },
    /// A column that the reader needs is not in the file.
    #[error("{location}: column {column:?} is missing (columns found: {found})")]
    MissingColumn {
        /// The file (and sheet).
        location: Location,
        /// The column expected.
        column: String,
        /// The columns that were there, comma-separated.
        found: String,
    },
    /// An area code that the geography bridge cannot place.
    #[error(
        "unknown area {code:?}{context}: it is in none of the geography lookups; check the code or add a lookup that lists it"
    )]
    UnknownArea {
        /// The code or name.
        code: String,
        /// Where it came from, e.g. " (asy_d11.csv, row 12)".
        context: String,
    },
    /// A file that could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },
    /// An error from Arrow.
    #[error(transparent)]
    Arrow(#[from] arrow_schema::ArrowError),
}

impl Error {
    /// An [`Error::Input`] at a location.
    pub fn input(location: Location, message: impl Into<String>) -> Self {
        Self::Input {
            location,
            message: message.into(),
        }
    }

    /// An [`Error::InvalidParameter`].
    pub fn parameter(name: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidParameter {
            name: name.into(),
            reason: reason.into(),
        }
    }

    /// An [`Error::Io`] for a path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}

/// `Result` with the core [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_names_every_part() {
        let loc = Location::file("data/asy.csv")
            .sheet("Data")
            .row(12)
            .column("People")
            .area("E08000025");
        assert_eq!(
            loc.to_string(),
            r#"data/asy.csv, sheet "Data", row 12, column "People", area E08000025"#
        );
        let err = Error::input(loc, "count is not a number: \"abc\"");
        assert!(err.to_string().starts_with("data/asy.csv, sheet"));
    }
}
