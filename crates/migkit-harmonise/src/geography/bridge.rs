//! The geography bridge (skeleton: the lookup loaders are being written).

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use migkit_core::{AreaCode, Error, GeographyLevel, Result};

use crate::audit::FileAudit;

/// The vintage to recode to: the codes in force on a date, or the newest known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Vintage {
    /// The newest codes in the lookups.
    #[default]
    Newest,
    /// The codes in force on a date.
    AsAt(NaiveDate),
}

/// What is known of one area code.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaRecord {
    /// The code.
    pub code: AreaCode,
    /// Official name.
    pub name: String,
    /// Level.
    pub level: GeographyLevel,
}

/// The result of recoding one code to a vintage.
#[derive(Debug, Clone, PartialEq)]
pub enum Recode {
    /// The code is current in the target vintage.
    Same(AreaCode),
    /// The code was replaced (merged or re-coded) by one code.
    Replaced(AreaCode),
    /// The code was split; the shares are the stated weights and sum to 1.
    Split(Vec<(AreaCode, f64)>),
}

/// Recodes area codes of any vintage to a chosen one, matches names to codes, and rolls areas up.
#[derive(Debug, Clone, Default)]
pub struct Bridge {
    areas: HashMap<AreaCode, AreaRecord>,
}

impl Bridge {
    /// A bridge that knows no areas.
    pub fn empty() -> Self {
        Self::default()
    }

    /// Builds the bridge from the lookups in a data folder, with the audit of each lookup file.
    pub fn from_data_dir(_dir: &Path) -> Result<(Self, Vec<FileAudit>)> {
        Ok((Self::empty(), Vec::new()))
    }

    /// What is known of a code.
    pub fn area(&self, code: &AreaCode) -> Option<&AreaRecord> {
        self.areas.get(code)
    }

    /// Recodes a code to a vintage.
    pub fn recode(&self, code: &AreaCode, _vintage: Vintage) -> Result<Recode> {
        Err(Error::UnknownArea { code: code.to_string(), context: String::new() })
    }

    /// The code of an area named as a publisher names it, in force on `on`.
    pub fn code_for_name(&self, name: &str, _on: NaiveDate) -> Result<AreaCode> {
        Err(Error::UnknownArea { code: name.to_string(), context: String::new() })
    }
}
