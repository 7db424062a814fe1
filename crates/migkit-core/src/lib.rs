#![doc = include_str!("../README.md")]
#![cfg_attr(not(test), deny(unused_crate_dependencies))]

pub mod area;
pub mod error;
pub mod interval;
pub mod observation;
pub mod period;

/// Validated area codes.
pub use area::{AreaCode, AreaCodeKind};
/// The calendar date type periods are built on (re-exported so users need not depend on chrono).
pub use chrono::NaiveDate;
/// The core error and where it happened.
pub use error::{Error, Location, Result};
/// Values known within bounds.
pub use interval::Interval;
/// The tidy table: rows, sets of rows and the Arrow schema.
pub use observation::{
    GeographyLevel, MeasureKind, OBSERVATION_COLUMNS, Observation, ObservationSet, Status, Unit,
    observation_schema, to_record_batch,
};
/// Reference periods.
pub use period::{Period, PeriodKind};
