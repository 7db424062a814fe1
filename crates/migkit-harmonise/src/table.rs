//! A published CSV table: decoded, header checked, rows numbered as a spreadsheet numbers them.

use std::path::{Path, PathBuf};

use migkit_core::{Error, Location, Result};

/// A CSV file read whole, with its header and rows.
///
/// Handles what publishers put out: a UTF-8 byte-order mark, Windows-1252 (Latin-1) text, a
/// missing final newline, header names with stray spaces. A row whose number of fields differs
/// from the header's is an error naming the row (a truncated or mangled file).
#[derive(Debug, Clone)]
pub struct CsvTable {
    /// The file as given.
    pub path: PathBuf,
    /// The file's raw bytes (for hashing).
    pub bytes: Vec<u8>,
    /// Header names, trimmed.
    pub header: Vec<String>,
    /// Data rows: (1-based row number counting the header as row 1, fields).
    pub rows: Vec<(u64, Vec<String>)>,
}

impl CsvTable {
    /// Reads and parses a CSV file.
    pub fn open(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Self::from_bytes(path, bytes)
    }

    /// Parses CSV bytes that came from `path`.
    pub fn from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Self> {
        let text = decode(&bytes);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut records = reader.records();
        let header: Vec<String> = match records.next() {
            Some(Ok(rec)) => rec.iter().map(|h| h.trim().to_string()).collect(),
            Some(Err(e)) => {
                return Err(Error::input(
                    Location::file(path).row(1),
                    format!("cannot read the header: {e}"),
                ));
            }
            None => {
                return Err(Error::input(
                    Location::file(path),
                    "the file is empty; expected a header row",
                ));
            }
        };
        if header.iter().all(String::is_empty) {
            return Err(Error::input(
                Location::file(path).row(1),
                "the header row is blank",
            ));
        }
        // Line numbers from byte offsets, so that CRLF files and blank lines count as an editor counts them.
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(
                text.bytes()
                    .enumerate()
                    .filter(|(_, b)| *b == b'\n')
                    .map(|(i, _)| i + 1),
            )
            .collect();
        // The csv crate may report a record as starting on the line break before it (CRLF).
        let raw = text.as_bytes();
        let line_of = |byte: u64| {
            let mut at = byte as usize;
            while at < raw.len() && (raw[at] == b'\n' || raw[at] == b'\r') {
                at += 1;
            }
            line_starts.partition_point(|&start| start <= at) as u64
        };
        let mut rows = Vec::new();
        for rec in records {
            let rec = rec.map_err(|e| {
                let row = e.position().map(|p| line_of(p.byte())).unwrap_or(0);
                Error::input(Location::file(path).row(row), format!("malformed CSV: {e}"))
            })?;
            let row = rec.position().map(|p| line_of(p.byte())).unwrap_or(0);
            if rec.len() != header.len() {
                // A fully blank line of commas is harmless; anything else means a mangled file.
                if rec.iter().all(|f| f.trim().is_empty()) {
                    rows.push((row, vec![String::new(); header.len()]));
                    continue;
                }
                return Err(field_count_error(path, row, &header, rec.len()));
            }
            rows.push((row, rec.iter().map(str::to_string).collect()));
        }
        Ok(Self {
            path: path.to_path_buf(),
            bytes,
            header,
            rows,
        })
    }

    /// The index of a required column, or an error listing the columns found.
    pub fn column(&self, name: &str) -> Result<usize> {
        self.header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| Error::MissingColumn {
                location: Location::file(&self.path),
                column: name.to_string(),
                found: self.header.join(", "),
            })
    }

    /// Indices of several required columns, in order.
    pub fn columns<const N: usize>(&self, names: [&str; N]) -> Result<[usize; N]> {
        let mut out = [0; N];
        for (slot, name) in out.iter_mut().zip(names) {
            *slot = self.column(name)?;
        }
        Ok(out)
    }

    /// A location in this file.
    pub fn at(&self, row: u64, column: usize) -> Location {
        Location::file(&self.path)
            .row(row)
            .column(self.header.get(column).cloned().unwrap_or_default())
    }
}

/// The error for a data row with `fields` fields where the header has more or fewer. It names
/// the first missing column of a short row (a truncated file), or the last column of a long one.
fn field_count_error(path: &Path, row: u64, header: &[String], fields: usize) -> Error {
    let (column, detail) = match header.get(fields) {
        Some(column) => (
            column.clone(),
            format!("; the row stops before column {column:?}"),
        ),
        None => (header.last().cloned().unwrap_or_default(), String::new()),
    };
    Error::input(
        Location::file(path).row(row).column(column),
        format!(
            "row has {fields} fields but the header has {}; the file may be truncated or have an unquoted comma{detail}",
            header.len()
        ),
    )
}

/// True if every field of a row is blank.
pub fn is_blank(fields: &[String]) -> bool {
    fields.iter().all(|f| f.trim().is_empty())
}

/// Decodes bytes as UTF-8 (dropping a byte-order mark) or, failing that, Windows-1252.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &[u8]) -> Result<CsvTable> {
        CsvTable::from_bytes(Path::new("t.csv"), text.to_vec())
    }

    #[test]
    fn bom_latin1_and_row_numbers() {
        let t = table(b"\xEF\xBB\xBFcode,name\nE1,a\n\nE2,Ynys M\xf4n\n").unwrap();
        assert_eq!(t.header, ["code", "name"]);
        assert_eq!(t.rows[0].0, 2);
        // The blank line is skipped but counted, so row numbers match the file's lines.
        assert_eq!(t.rows[1].0, 4);
        assert_eq!(t.rows[1].1[1], "Ynys Môn");
    }

    #[test]
    fn crlf_rows_are_numbered_like_lines() {
        let t = table(b"a,b\r\n1,2\r\n\r\n3,4\r\n").unwrap();
        assert_eq!(t.rows.iter().map(|r| r.0).collect::<Vec<_>>(), [2, 4]);
        assert_eq!(t.rows[1].1, ["3", "4"]);
    }

    #[test]
    fn errors_name_the_place() {
        let err = table(b"a,b\n1,2\n3\n").unwrap_err().to_string();
        assert!(
            err.contains("t.csv, row 3, column \"b\"")
                && err.contains("truncated")
                && err.contains("stops before column \"b\""),
            "{err}"
        );
        let err = table(b"a,b\n1,2,3\n").unwrap_err().to_string();
        assert!(
            err.contains("row 2, column \"b\"") && err.contains("3 fields"),
            "{err}"
        );
        let err = table(b"").unwrap_err().to_string();
        assert!(err.contains("empty"), "{err}");
        let t = table(b"a,b\n1,2\n").unwrap();
        let err = t.column("People").unwrap_err().to_string();
        assert!(
            err.contains("\"People\" is missing") && err.contains("a, b"),
            "{err}"
        );
    }
}
