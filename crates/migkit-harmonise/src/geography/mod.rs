//! Geography: area codes of every vintage, the bridge between vintages, names, rollups and boundaries.
//!
//! The [`Bridge`] is built from the lookup files in the data folder ([`lookups::LOOKUP_FILES`]):
//! every local authority code since 2009 (and the old-style `00CN`/`39UB` codes before), with its
//! dates, names and parents; the successions between codes (2009 unitary reorganisation, the
//! 2012–2013 re-codes, the 2019–2023 mergers, the 2025 Barnsley/Sheffield re-codes); combined
//! authorities; and the West Midlands MSOAs and LSOAs. It recodes any code to the newest codes or
//! to those in force on a date ([`Vintage`]), splits areas with stated weights, matches
//! publishers' names to codes on a date, and rolls areas up (LSOA → MSOA → LAD → upper tier →
//! region → country).
//!
//! - [`lookups`]: one reader per lookup file (parse, validate, audit).
//! - [`build`]: how the lookups are combined and which wins where they disagree.
//! - [`history`]: successions between codes and walking them.
//! - [`names`]: name normalisation, the alias table and the dated name index.
//! - [`bridge`]: the bridge and its queries.

pub mod boundaries;
pub mod bridge;
pub mod build;
pub mod history;
pub mod lookups;
pub mod names;

/// The bridge between code vintages, names and higher geographies.
pub use bridge::{AreaRecord, Bridge, Parents, Recode, Vintage, level_of_code, levels_of_code};
/// Successions between codes.
pub use history::{ChangeKind, Succession};
/// Name matching.
pub use names::{DEFAULT_NAME_PREFERENCE, NameKind, NameMatch};
