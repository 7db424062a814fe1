//! Readers of the geography lookup files: one function per file, each returning the parsed rows
//! and the file's [`FileAudit`].
//!
//! The readers only parse and validate (every row used or rejected with a reason; an invalid
//! code or date is an error naming file, row and column). How the lookups are combined, and which
//! one wins where they disagree, is in [`super::build`].

pub mod changes;
pub mod chd;
pub mod drkane;
pub mod lad18;
pub mod legacy;
pub mod small_areas;

use std::path::Path;

use chrono::NaiveDate;
use migkit_core::{AreaCode, Error, Result};

use crate::audit::FileAudit;
use crate::table::{CsvTable, is_blank};

/// One lookup file the bridge reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LookupFile {
    /// Reader id written in the audit, e.g. `"lookup_la_all_codes"`.
    pub reader: &'static str,
    /// Release id written in the audit.
    pub release: &'static str,
    /// Path relative to the data folder.
    pub path: &'static str,
}

/// drkane/geo-lookups `la_all_codes.csv`: every LTLA code since 2011 → current LA and parents.
pub const LA_ALL_CODES: LookupFile = LookupFile {
    reader: "lookup_la_all_codes",
    release: "drkane_geo_lookups_2025",
    path: "lookups-la-all-codes-drkane/la_all_codes.csv",
};
/// drkane/geo-lookups `utla_all_codes.csv`: upper-tier LAs → combined authority, region, country.
pub const UTLA_ALL_CODES: LookupFile = LookupFile {
    reader: "lookup_utla_all_codes",
    release: "drkane_geo_lookups_2025",
    path: "lookups-la-all-codes-drkane/utla_all_codes.csv",
};
/// drkane/geo-lookups `rgn_all_codes.csv`: English regions → country.
pub const RGN_ALL_CODES: LookupFile = LookupFile {
    reader: "lookup_rgn_all_codes",
    release: "drkane_geo_lookups_2022",
    path: "lookups-la-all-codes-drkane/rgn_all_codes.csv",
};
/// ONSvisual `changes.csv`: LAD, county and combined-authority changes 2018–2025.
pub const LAD_CHANGES: LookupFile = LookupFile {
    reader: "lookup_lad_changes",
    release: "onsvisual_changes_2025",
    path: "lookups-lad-changes-2018-2025-onsvisual/changes.csv",
};
/// ONS Code History Database (July 2024), ChangeHistory for LADs, counties and regions.
pub const CHD_HISTORY: LookupFile = LookupFile {
    reader: "lookup_chd_history",
    release: "chd_jul2024",
    path: "lookups-lad-code-history-chd-jul2024/chd_jul2024_lad_county_region_history.csv",
};
/// ONS LAD (December 2011) attributes: GSS code ↔ old-style code.
pub const LAD11_OLD_CODES: LookupFile = LookupFile {
    reader: "lookup_lad11_old_codes",
    release: "lad11_dec2011",
    path: "lookups-lad11-old-new-codes/lad11_gss_to_old_codes.csv",
};
/// Derived crosswalk of the December 2008 districts to GSS codes and LAD 2021 (max overlap).
pub const LAD08_DERIVED: LookupFile = LookupFile {
    reader: "lookup_lad08_derived",
    release: "lad08_dec2008_derived",
    path: "lad-boundaries-2008/lad08_to_gss_and_lad21_DERIVED.csv",
};
/// ONS LAD (December 2018) to region lookup, England.
pub const LAD18_RGN18: LookupFile = LookupFile {
    reader: "lookup_lad18_rgn18",
    release: "lad18_rgn18_dec2018",
    path: "lookups-lad18-to-rgn18/LAD18_RGN18_EN_LU.csv",
};
/// drkane/geo-lookups MSOA (2011 and 2021) → LA, West Midlands rows.
pub const WM_MSOA_LA: LookupFile = LookupFile {
    reader: "lookup_wm_msoa_la",
    release: "drkane_geo_lookups_2025_wm",
    path: "lookups-msoa-lsoa-to-lad-west-midlands/wm_msoa_la.csv",
};
/// drkane/geo-lookups LSOA 2021 → LA, West Midlands.
pub const WM_LSOA21_LAD: LookupFile = LookupFile {
    reader: "lookup_wm_lsoa21_lad",
    release: "drkane_geo_lookups_2025_wm",
    path: "lookups-msoa-lsoa-to-lad-west-midlands/wm_lsoa21_lad.csv",
};
/// drkane/geo-lookups LSOA 2011 → LA, West Midlands.
pub const WM_LSOA11_LAD: LookupFile = LookupFile {
    reader: "lookup_wm_lsoa11_lad",
    release: "drkane_geo_lookups_2025_wm",
    path: "lookups-msoa-lsoa-to-lad-west-midlands/wm_lsoa11_lad.csv",
};
/// MSOA 2021 → LTLA 2021 derived from MSOA names (Census 2021 West Midlands extract).
pub const WM_MSOA21_NAMES: LookupFile = LookupFile {
    reader: "lookup_wm_msoa21_names",
    release: "census2021_wm_msoa21",
    path: "census2021-west-midlands-msoa/wm_msoa21_to_ltla21_from_msoa_names.csv",
};

/// Every lookup file, in the order they are read (and their audits listed).
pub const LOOKUP_FILES: &[LookupFile] = &[
    LA_ALL_CODES,
    UTLA_ALL_CODES,
    RGN_ALL_CODES,
    LAD_CHANGES,
    CHD_HISTORY,
    LAD11_OLD_CODES,
    LAD08_DERIVED,
    LAD18_RGN18,
    WM_MSOA_LA,
    WM_LSOA21_LAD,
    WM_LSOA11_LAD,
    WM_MSOA21_NAMES,
];

/// Every lookup parsed, before the lookups are combined.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lookups {
    pub(crate) la: Vec<drkane::LaRow>,
    pub(crate) utla: Vec<drkane::UtlaRow>,
    pub(crate) rgn: Vec<drkane::RgnRow>,
    pub(crate) changes: Vec<changes::ChangeRow>,
    pub(crate) chd: Vec<chd::ChdRow>,
    pub(crate) lad11: Vec<legacy::Lad11Row>,
    pub(crate) lad08: Vec<legacy::Lad08Row>,
    pub(crate) lad18: Vec<lad18::Lad18Row>,
    pub(crate) msoa: Vec<small_areas::MsoaRow>,
    pub(crate) lsoa21: Vec<small_areas::LsoaRow>,
    pub(crate) lsoa11: Vec<small_areas::LsoaRow>,
}

/// The audits of the lookup files, addressed by reader id.
#[derive(Debug, Clone, Default)]
pub(crate) struct AuditSet(pub(crate) Vec<FileAudit>);

impl AuditSet {
    /// Adds a note to the audit of `file` (ignored if that file was not read).
    pub(crate) fn note(&mut self, file: LookupFile, note: impl Into<String>) {
        if let Some(a) = self.0.iter_mut().find(|a| a.reader == file.reader) {
            a.note(note);
        }
    }
}

/// Reads every lookup file in `dir`.
///
/// # Errors
/// A missing file ([`Error::Io`] naming it), a missing column, an invalid code or date.
pub(crate) fn read_all(dir: &Path) -> Result<(Lookups, AuditSet)> {
    let mut audits = Vec::with_capacity(LOOKUP_FILES.len());
    let mut l = Lookups::default();
    let mut keep = |a: FileAudit| audits.push(a);
    let (rows, a) = drkane::read_la(&open(dir, LA_ALL_CODES)?)?;
    l.la = rows;
    keep(a);
    let (rows, a) = drkane::read_utla(&open(dir, UTLA_ALL_CODES)?)?;
    l.utla = rows;
    keep(a);
    let (rows, a) = drkane::read_rgn(&open(dir, RGN_ALL_CODES)?)?;
    l.rgn = rows;
    keep(a);
    let (rows, a) = changes::read(&open(dir, LAD_CHANGES)?)?;
    l.changes = rows;
    keep(a);
    let (rows, a) = chd::read(&open(dir, CHD_HISTORY)?)?;
    l.chd = rows;
    keep(a);
    let (rows, a) = legacy::read_lad11(&open(dir, LAD11_OLD_CODES)?)?;
    l.lad11 = rows;
    keep(a);
    let (rows, a) = legacy::read_lad08(&open(dir, LAD08_DERIVED)?)?;
    l.lad08 = rows;
    keep(a);
    let (rows, a) = lad18::read(&open(dir, LAD18_RGN18)?)?;
    l.lad18 = rows;
    keep(a);
    let (rows, a) = small_areas::read_msoa(&open(dir, WM_MSOA_LA)?)?;
    l.msoa = rows;
    keep(a);
    let (rows, a) = small_areas::read_lsoa(&open(dir, WM_LSOA21_LAD)?, "LSOA21CD", "LSOA21NM")?;
    l.lsoa21 = rows;
    keep(a);
    let (rows, a) = small_areas::read_lsoa(&open(dir, WM_LSOA11_LAD)?, "LSOA11CD", "LSOA11NM")?;
    l.lsoa11 = rows;
    keep(a);
    keep(small_areas::read_msoa21_names(
        &open(dir, WM_MSOA21_NAMES)?,
        &l.msoa,
    )?);
    Ok((l, AuditSet(audits)))
}

/// A lookup file read whole, with its audit started.
#[derive(Debug, Clone)]
pub(crate) struct Lookup {
    pub(crate) file: LookupFile,
    pub(crate) table: CsvTable,
}

/// Opens one lookup file of the data folder.
pub(crate) fn open(dir: &Path, file: LookupFile) -> Result<Lookup> {
    let path = dir.join(file.path);
    let table = CsvTable::open(&path).map_err(|e| match e {
        Error::Io { path, source } => Error::Io {
            path,
            source: std::io::Error::new(
                source.kind(),
                format!(
                    "{source}; the geography bridge needs this lookup: copy its folder from the shared data \
                     or point MIGKIT_DATA at a data folder that has it"
                ),
            ),
        },
        other => other,
    })?;
    Ok(Lookup { file, table })
}

impl Lookup {
    /// A fresh audit for this file.
    pub(crate) fn audit(&self) -> FileAudit {
        FileAudit::new(
            self.file.path,
            &self.table.bytes,
            self.file.reader,
            self.file.release,
        )
    }

    /// Data rows, with blank rows rejected in `audit`.
    pub(crate) fn rows<'a>(&'a self, audit: &mut FileAudit) -> Vec<(u64, &'a [String])> {
        let mut out = Vec::with_capacity(self.table.rows.len());
        for (row, fields) in &self.table.rows {
            if is_blank(fields) {
                audit.reject(*row, "blank row");
            } else {
                out.push((*row, fields.as_slice()));
            }
        }
        out
    }

    /// The trimmed text of a cell.
    pub(crate) fn text<'a>(&self, fields: &'a [String], col: usize) -> &'a str {
        fields.get(col).map(|s| s.trim()).unwrap_or("")
    }

    /// A required area code.
    pub(crate) fn code(&self, row: u64, fields: &[String], col: usize) -> Result<AreaCode> {
        let text = self.text(fields, col);
        AreaCode::new(text).map_err(|e| Error::input(self.table.at(row, col), e.to_string()))
    }

    /// An area code that may be blank.
    pub(crate) fn opt_code(
        &self,
        row: u64,
        fields: &[String],
        col: usize,
    ) -> Result<Option<AreaCode>> {
        if self.text(fields, col).is_empty() {
            Ok(None)
        } else {
            self.code(row, fields, col).map(Some)
        }
    }

    /// A date `YYYY-MM-DD` that may be blank.
    pub(crate) fn opt_date(
        &self,
        row: u64,
        fields: &[String],
        col: usize,
    ) -> Result<Option<NaiveDate>> {
        let text = self.text(fields, col);
        if text.is_empty() {
            return Ok(None);
        }
        text.parse::<NaiveDate>().map(Some).map_err(|e| {
            Error::input(
                self.table.at(row, col),
                format!("{text:?} is not a date YYYY-MM-DD: {e}"),
            )
        })
    }

    /// A number.
    pub(crate) fn number(&self, row: u64, fields: &[String], col: usize) -> Result<f64> {
        let text = self.text(fields, col);
        text.parse::<f64>()
            .map_err(|_| Error::input(self.table.at(row, col), format!("{text:?} is not a number")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lookup_file_is_read_and_balances() {
        let (l, audits) = read_all(&crate::default_data_dir()).unwrap();
        assert_eq!(audits.0.len(), LOOKUP_FILES.len());
        for a in &audits.0 {
            a.check_rows().unwrap();
            assert_eq!(a.observations, 0);
            assert!(a.rows_read > 0, "{}", a.path);
        }
        assert_eq!(l.la.len(), 415);
        assert_eq!(l.chd.len(), 452);
        assert_eq!(l.lad08.len(), 354);
        assert_eq!(l.lad11.len(), 380);
    }

    #[test]
    fn a_missing_lookup_names_the_file_and_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_all(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("la_all_codes.csv") && err.contains("MIGKIT_DATA"),
            "{err}"
        );
    }
}
