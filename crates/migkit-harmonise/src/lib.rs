#![doc = include_str!("../README.md")]

pub mod audit;
pub mod cell;
pub mod geography;
pub mod source;
pub mod sources;
pub mod table;

/// The audit of a run and of each file.
pub use audit::{Audit, FileAudit, Rejection, TotalCheck};
/// The geography bridge.
pub use geography::{Bridge, Recode, Vintage};
/// The reader interface.
pub use source::{ReadContext, ReadOptions, ReadOutput, Reader, ReleaseMeta, SourceFile};
