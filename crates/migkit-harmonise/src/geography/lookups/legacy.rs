//! Old-style ONS district codes (`00CN`, `39UB`) and the 2009 reorganisation.
//!
//! - `lad11_gss_to_old_codes.csv` (ONS, LAD December 2011 boundary attributes; OGL v3.0):
//!   `LAD11CD` (GSS), `LAD11CDO` (old-style code), `LAD11NM`, for Great Britain's 380 districts.
//! - `lad08_to_gss_and_lad21_DERIVED.csv` (derived in the shared data folder from the ONS
//!   December 2008 boundaries, the CHD and LAD 2021 boundaries; not an ONS product):
//!   `LAD08CD_OLD`, `LAD08NM`, `GSS_CODE_CHD` (the GSS code of the same district),
//!   `LAD11CD_IF_SAME_OLD_CODE`, `LAD21CD_MAX_OVERLAP`, `LAD21NM_MAX_OVERLAP`,
//!   `SHARE_OF_LAD08_AREA_IN_LAD21`, for England's 354 pre-April-2009 districts. A district
//!   terminated on 31 March 2009 whose max-overlap LAD 2021 is another code was merged into that
//!   area on 1 April 2009 (every share is at least 0.978).

use migkit_core::{AreaCode, AreaCodeKind, Error, Result};

use super::Lookup;
use crate::audit::FileAudit;

/// One row of the LAD 2011 old-code table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Lad11Row {
    pub(crate) row: u64,
    pub(crate) gss: AreaCode,
    pub(crate) old: AreaCode,
    pub(crate) name: String,
}

/// One row of the derived 2008 crosswalk.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Lad08Row {
    pub(crate) row: u64,
    pub(crate) old: AreaCode,
    pub(crate) name: String,
    pub(crate) gss: AreaCode,
    pub(crate) lad11: Option<AreaCode>,
    pub(crate) lad21: AreaCode,
    pub(crate) share: f64,
}

fn legacy_code(l: &Lookup, row: u64, f: &[String], col: usize) -> Result<AreaCode> {
    let code = l.code(row, f, col)?;
    if code.kind() != AreaCodeKind::Legacy {
        return Err(Error::input(
            l.table.at(row, col),
            format!("{code} is not an old-style ONS code such as 00CN or 39UB"),
        ));
    }
    Ok(code)
}

/// Reads the LAD 2011 old-code table.
pub(crate) fn read_lad11(l: &Lookup) -> Result<(Vec<Lad11Row>, FileAudit)> {
    let [cd, cdo, nm] = l.table.columns(["LAD11CD", "LAD11CDO", "LAD11NM"])?;
    let mut audit = l.audit();
    let mut out = Vec::new();
    for (row, f) in l.rows(&mut audit) {
        out.push(Lad11Row {
            row,
            gss: l.code(row, f, cd)?,
            old: legacy_code(l, row, f, cdo)?,
            name: l.text(f, nm).to_string(),
        });
        audit.used();
    }
    Ok((out, audit))
}

/// Reads the derived 2008 crosswalk.
pub(crate) fn read_lad08(l: &Lookup) -> Result<(Vec<Lad08Row>, FileAudit)> {
    let [old, nm, gss, lad11, lad21, share] = l.table.columns([
        "LAD08CD_OLD",
        "LAD08NM",
        "GSS_CODE_CHD",
        "LAD11CD_IF_SAME_OLD_CODE",
        "LAD21CD_MAX_OVERLAP",
        "SHARE_OF_LAD08_AREA_IN_LAD21",
    ])?;
    let mut audit = l.audit();
    let mut out = Vec::new();
    for (row, f) in l.rows(&mut audit) {
        let share_value = l.number(row, f, share)?;
        if !(0.0..=1.0).contains(&share_value) {
            return Err(Error::input(
                l.table.at(row, share),
                format!("share {share_value} is not between 0 and 1"),
            ));
        }
        out.push(Lad08Row {
            row,
            old: legacy_code(l, row, f, old)?,
            name: l.text(f, nm).to_string(),
            gss: l.code(row, f, gss)?,
            lad11: l.opt_code(row, f, lad11)?,
            lad21: l.code(row, f, lad21)?,
            share: share_value,
        });
        audit.used();
    }
    Ok((out, audit))
}

#[cfg(test)]
mod tests {
    use super::super::{LAD08_DERIVED, LAD11_OLD_CODES, open};
    use super::*;
    use crate::table::CsvTable;

    #[test]
    fn reads_the_real_files() {
        let dir = crate::default_data_dir();
        let (rows, _) = read_lad11(&open(&dir, LAD11_OLD_CODES).unwrap()).unwrap();
        assert_eq!(rows.len(), 380);
        let bham = rows.iter().find(|r| r.old.as_str() == "00CN").unwrap();
        assert_eq!(bham.gss.as_str(), "E08000025");
        let (rows, audit) = read_lad08(&open(&dir, LAD08_DERIVED).unwrap()).unwrap();
        assert_eq!((rows.len(), audit.rows_used), (354, 354));
        let bridgnorth = rows.iter().find(|r| r.old.as_str() == "39UB").unwrap();
        assert_eq!(
            (bridgnorth.gss.as_str(), bridgnorth.lad21.as_str()),
            ("E07000182", "E06000051")
        );
        assert!(rows.iter().all(|r| r.share >= 0.97));
    }

    #[test]
    fn a_gss_code_in_the_old_code_column_is_an_error() {
        let table = CsvTable::from_bytes(
            std::path::Path::new("lad11.csv"),
            b"LAD11CD,LAD11CDO,LAD11NM\nE08000025,E08000025,Birmingham\n".to_vec(),
        )
        .unwrap();
        let err = read_lad11(&Lookup {
            file: LAD11_OLD_CODES,
            table,
        })
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("row 2, column \"LAD11CDO\"") && err.contains("old-style"),
            "{err}"
        );
    }
}
