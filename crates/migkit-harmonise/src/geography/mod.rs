//! Geography: area codes of every vintage, the bridge between vintages, names, rollups and boundaries.

pub mod bridge;

/// The bridge between code vintages, names and higher geographies.
pub use bridge::{AreaRecord, Bridge, Recode, Vintage};
