//! The audit: every input row accounted for, every published total checked.
//!
//! For each input file: `rows_read = rows_used + rows_rejected`, each rejected row listed with its
//! reason, and for each measure the total read from the file checked against the total emitted.
//! Written as `audit.json`:
//!
//! ```json
//! {"files": [{"path", "sha256", "reader", "rows_read", "rows_used", "rows_rejected",
//!             "observations", "rejected": [{"row", "reason"}],
//!             "totals": [{"measure", "published", "emitted", ...}]}]}
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use migkit_core::{Error, Location, ObservationSet, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A row that was read but not mapped into any observation, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rejection {
    /// 1-based row (the header is row 1; for workbooks, the sheet row).
    pub row: u64,
    /// Why it was not used.
    pub reason: String,
}

/// A total checked for one measure of one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TotalCheck {
    /// The measure (or a label such as `"usual_residents: sum of top-level countries of birth"`).
    pub measure: String,
    /// The total as published: the publisher's own total cell, or the sum of the cells read.
    pub published: f64,
    /// The total of the observations emitted for the measure.
    pub emitted: f64,
    /// The total of values in rejected rows (0 when none were rejected).
    #[serde(default)]
    pub rejected: f64,
    /// The smallest total the published figures allow (differs from `published` when cells are rounded or suppressed).
    pub lower: f64,
    /// The largest total the published figures allow.
    pub upper: f64,
    /// True if `emitted + rejected` lies within `[lower, upper]` (allowing floating-point noise).
    pub balanced: bool,
    /// Why an unbalanced check is expected, if it is (e.g. census perturbation).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub note: Option<String>,
}

impl TotalCheck {
    /// A check that the emitted total equals a published one exactly.
    pub fn exact(measure: impl Into<String>, published: f64, emitted: f64) -> Self {
        Self::within(measure, published, emitted, 0.0, published, published)
    }

    /// A check that `emitted + rejected` falls within `[lower, upper]`.
    pub fn within(
        measure: impl Into<String>,
        published: f64,
        emitted: f64,
        rejected: f64,
        lower: f64,
        upper: f64,
    ) -> Self {
        let total = emitted + rejected;
        let tol = 1e-9 * published.abs().max(1.0);
        Self {
            measure: measure.into(),
            published,
            emitted,
            rejected,
            lower,
            upper,
            balanced: total >= lower - tol && total <= upper + tol,
            note: None,
        }
    }

    /// The same check with a note explaining an expected difference.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }
}

/// The audit of one input file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileAudit {
    /// The file, relative to the data folder.
    pub path: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
    /// The reader that handled it.
    pub reader: String,
    /// The release it belongs to.
    pub release: String,
    /// Data rows read (header and blank lines excluded).
    pub rows_read: u64,
    /// Rows mapped into at least one observation (or, for lookups and boundaries, into the bridge or geometry table).
    pub rows_used: u64,
    /// Rows not used.
    pub rows_rejected: u64,
    /// Observations emitted.
    pub observations: u64,
    /// Every rejected row with its reason.
    pub rejected: Vec<Rejection>,
    /// Totals checked.
    pub totals: Vec<TotalCheck>,
    /// Remarks on how the file was used (e.g. "cross-checked against ...").
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub notes: Vec<String>,
}

impl FileAudit {
    /// An empty audit for a file; the hash is computed from its bytes.
    pub fn new(path: impl Into<String>, bytes: &[u8], reader: &str, release: &str) -> Self {
        Self {
            path: path.into(),
            sha256: sha256_hex(bytes),
            reader: reader.to_string(),
            release: release.to_string(),
            rows_read: 0,
            rows_used: 0,
            rows_rejected: 0,
            observations: 0,
            rejected: Vec::new(),
            totals: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Counts a row as read and used.
    pub fn used(&mut self) {
        self.rows_read += 1;
        self.rows_used += 1;
    }

    /// Counts a row as read and rejected, with its reason.
    pub fn reject(&mut self, row: u64, reason: impl Into<String>) {
        self.rows_read += 1;
        self.rows_rejected += 1;
        self.rejected.push(Rejection {
            row,
            reason: reason.into(),
        });
    }

    /// In strict mode returns `err`; otherwise rejects the row with the error's message.
    pub fn reject_or_fail(&mut self, strict: bool, row: u64, err: Error) -> Result<()> {
        if strict {
            Err(err)
        } else {
            self.reject(row, err.to_string());
            Ok(())
        }
    }

    /// Adds a total check.
    pub fn total(&mut self, check: TotalCheck) {
        self.totals.push(check);
    }

    /// Adds a note.
    pub fn note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }

    /// Checks `rows_read = rows_used + rows_rejected` and that the rejection list is complete.
    pub fn check_rows(&self) -> Result<()> {
        if self.rows_read != self.rows_used + self.rows_rejected
            || self.rejected.len() as u64 != self.rows_rejected
        {
            return Err(Error::input(
                Location::file(&self.path),
                format!(
                    "audit does not balance: {} rows read, {} used, {} rejected ({} listed); this is a bug in reader {}",
                    self.rows_read,
                    self.rows_used,
                    self.rows_rejected,
                    self.rejected.len(),
                    self.reader
                ),
            ));
        }
        Ok(())
    }

    /// True if the rows balance and every total check balances or carries a note explaining why not.
    pub fn balances(&self) -> bool {
        self.check_rows().is_ok() && self.totals.iter().all(|t| t.balanced || t.note.is_some())
    }
}

/// Sums of emitted values per measure, for total checks.
pub fn emitted_by_measure(set: &ObservationSet) -> BTreeMap<&str, f64> {
    let mut sums = BTreeMap::new();
    for o in &set.observations {
        *sums.entry(o.measure.as_str()).or_insert(0.0) += o.value.unwrap_or(0.0);
    }
    sums
}

/// The audit of a whole harmonisation run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Audit {
    /// One entry per input file, sorted by path.
    pub files: Vec<FileAudit>,
}

impl Audit {
    /// The audit as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads an audit back from JSON.
    pub fn from_json(text: &str) -> Result<Self> {
        serde_json::from_str(text)
            .map_err(|e| Error::input(Location::default(), format!("audit.json is not valid: {e}")))
    }

    /// The audit of one file, by path relative to the data folder.
    pub fn file(&self, path: &str) -> Option<&FileAudit> {
        self.files.iter().find(|f| f.path == path)
    }

    /// Files whose rows or totals do not balance.
    pub fn unbalanced(&self) -> Vec<&FileAudit> {
        self.files.iter().filter(|f| !f.balances()).collect()
    }
}

/// SHA-256 of bytes as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads a file, naming it in the error.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_balance_and_rejections_are_listed() {
        let mut a = FileAudit::new("x.csv", b"abc", "r", "rel");
        assert_eq!(
            a.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        a.used();
        a.reject(3, "blank");
        assert!(a.check_rows().is_ok());
        a.rows_read += 1;
        assert!(
            a.check_rows()
                .unwrap_err()
                .to_string()
                .contains("does not balance")
        );
    }

    #[test]
    fn totals_within_interval() {
        assert!(TotalCheck::exact("m", 10.0, 10.0).balanced);
        assert!(!TotalCheck::exact("m", 10.0, 9.0).balanced);
        assert!(!TotalCheck::within("m", 4560.0, 4540.0, 0.0, 4555.0, 4564.0).balanced);
        assert!(TotalCheck::within("m", 4560.0, 4500.0, 60.0, 4555.0, 4564.0).balanced);
    }
}
