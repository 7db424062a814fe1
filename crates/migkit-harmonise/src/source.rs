//! What every release reader provides: identity, release metadata and a `read` method.

use std::path::{Path, PathBuf};

use migkit_core::{Observation, ObservationSet, Result};
use serde::{Deserialize, Serialize};

use crate::audit::FileAudit;
use crate::geography::Bridge;

/// Metadata of a published release.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleaseMeta {
    /// Release id, unique per release of a table, e.g. `"asy_d11_2024q3"`.
    pub id: String,
    /// The table this is a release of; two releases of the same table are revisions of each other.
    pub table: String,
    /// Who published it.
    pub publisher: String,
    /// The table's title as published.
    pub title: String,
    /// Publication date (ISO), as PROVENANCE.md gives it.
    pub release_date: String,
    /// The periods covered, e.g. `"2014 Q1 to 2024 Q3 (quarter-end snapshots)"`.
    pub periods: String,
    /// Licence.
    pub licence: String,
}

/// A file to read, as found in the data folder.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Full path.
    pub path: PathBuf,
    /// Path relative to the data folder, with `/` separators (e.g. `ho-asylum-support-by-la-asy-d11/asy_d11....csv`).
    pub relative: String,
}

impl SourceFile {
    /// The release folder name (first path component).
    pub fn folder(&self) -> &str {
        self.relative.split('/').next().unwrap_or("")
    }

    /// The file name (last path component).
    pub fn file_name(&self) -> &str {
        self.relative.rsplit('/').next().unwrap_or("")
    }
}

/// Options that every reader honours.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    /// Stop at the first bad row (true, the default) or list bad rows in the audit and go on.
    pub strict: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self { strict: true }
    }
}

/// What a reader has to work with besides the file.
pub struct ReadContext<'a> {
    /// The geography bridge built from the lookups in the data folder (names → codes, code history).
    pub bridge: &'a Bridge,
    /// Options.
    pub options: ReadOptions,
    /// The data folder (for readers that cross-check a file against another).
    pub data_dir: &'a Path,
}

/// What a reader returns for one file.
#[derive(Debug, Clone)]
pub struct ReadOutput {
    /// The observations.
    pub observations: ObservationSet,
    /// The file's audit.
    pub audit: FileAudit,
}

impl ReadOutput {
    /// The output of reading `file`: its observations under `source` and `release`, and its
    /// audit with the observation count filled in.
    pub fn new(
        source: &str,
        release: impl Into<String>,
        file: &SourceFile,
        observations: Vec<Observation>,
        audit: FileAudit,
    ) -> Self {
        let set = ObservationSet {
            source: source.to_string(),
            release: release.into(),
            file: file.relative.clone(),
            observations,
        };
        Self::from_set(set, audit)
    }

    /// The output of a set built already, with the audit's observation count filled in.
    pub fn from_set(observations: ObservationSet, mut audit: FileAudit) -> Self {
        audit.observations = observations.observations.len() as u64;
        Self {
            observations,
            audit,
        }
    }
}

/// A reader for one published table.
///
/// Readers are chosen by folder and file name ([`Reader::accepts`]); each maps every row it reads
/// into observations or into its audit's rejections.
pub trait Reader: Sync + Send {
    /// Stable id, also the `source` column of the tidy table, e.g. `"ho_asy_d11"`.
    fn id(&self) -> &'static str;

    /// True if this reader handles the file.
    fn accepts(&self, file: &SourceFile) -> bool;

    /// Release metadata for the file.
    fn release(&self, file: &SourceFile) -> ReleaseMeta;

    /// Reads the file.
    fn read(&self, file: &SourceFile, ctx: &ReadContext<'_>) -> Result<ReadOutput>;
}
