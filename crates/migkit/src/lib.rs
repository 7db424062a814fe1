#![doc = include_str!("../README.md")]

/// Shared vocabulary: area codes, periods, intervals, the observation schema, errors.
pub use migkit_core as core;
/// Rates, change, outflows and reconciliation.
pub use migkit_estimate as estimate;
/// Readers, the geography bridge, period alignment, groups and the audit.
pub use migkit_harmonise as harmonise;
/// Spatial weights and statistics.
pub use migkit_hotspot as hotspot;
