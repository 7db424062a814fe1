#![doc = include_str!("../README.md")]

pub mod audit;
pub mod cell;
pub mod duplicates;
pub mod geography;
pub mod groups;
pub mod output;
pub mod periods;
pub mod pipeline;
pub mod revisions;
pub mod rollup;
pub mod source;
pub mod sources;
pub mod table;

#[cfg(test)]
mod testing;

use std::path::PathBuf;

/// The audit of a run and of each file.
pub use audit::{Audit, FileAudit, Rejection, TotalCheck};
/// The geography bridge.
pub use geography::{Bridge, Recode, Vintage};
/// The reader interface.
pub use source::{ReadContext, ReadOptions, ReadOutput, Reader, ReleaseMeta, SourceFile};

/// The data folder used when none is given: `$MIGKIT_DATA` if set, else `../shared/data`
/// relative to the working directory, else the `shared/data` beside this source tree.
pub fn default_data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("MIGKIT_DATA") {
        return PathBuf::from(dir);
    }
    let relative = PathBuf::from("../shared/data");
    if relative.is_dir() {
        return relative;
    }
    // crates/migkit-harmonise -> repository root -> ../shared/data
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}
