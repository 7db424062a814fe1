//! Small areas of the West Midlands (region E12000005): MSOAs and LSOAs of the 2011 and 2021
//! Census geographies → current local authority.
//!
//! - `wm_msoa_la.csv` (drkane/geo-lookups `msoa_la.csv`, rows with `RGNCD` = E12000005; ONS codes,
//!   House of Commons Library names; OGL v3.0): `MSOACD, MSOANM, MSOAHCLNM, LADCD_ACTIVE, UTLACD,
//!   CAUTHCD, RGNCD, CTRYCD, MSOA11CD, MSOA21CD, MSOA11NM, …`; `MSOA11CD`/`MSOA21CD` are filled when
//!   the code belongs to that census geography (746 codes: 735 in 2011, 736 in 2021).
//! - `wm_lsoa21_lad.csv`, `wm_lsoa11_lad.csv` (attributes of drkane's per-LAD LSOA boundaries):
//!   `LSOA21CD|LSOA11CD, LSOA21NM|LSOA11NM, LADCD_ACTIVE, UTLACD, CAUTHCD, RGNCD`.
//! - `wm_msoa21_to_ltla21_from_msoa_names.csv` (Census 2021 West Midlands extract): MSOA 2021 →
//!   LTLA 2021 derived from the MSOA name prefix. Read only to cross-check `wm_msoa_la.csv`, which
//!   wins where they disagree (it is compiled from ONS lookups; the other is derived from names).

use std::collections::HashMap;

use migkit_core::{AreaCode, Error, Result};

use super::Lookup;
use crate::audit::FileAudit;

/// One row of `wm_msoa_la.csv`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MsoaRow {
    pub(crate) row: u64,
    pub(crate) code: AreaCode,
    pub(crate) name: String,
    /// The 2011 name (differs from `name` only where a code was renamed).
    pub(crate) name11: String,
    pub(crate) hcl_name: String,
    pub(crate) lad: AreaCode,
    pub(crate) utla: Option<AreaCode>,
    pub(crate) ca: Option<AreaCode>,
    pub(crate) region: Option<AreaCode>,
    pub(crate) country: Option<AreaCode>,
    pub(crate) in2011: bool,
    pub(crate) in2021: bool,
}

/// One row of an LSOA file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LsoaRow {
    pub(crate) row: u64,
    pub(crate) code: AreaCode,
    pub(crate) name: String,
    pub(crate) lad: AreaCode,
    pub(crate) utla: Option<AreaCode>,
    pub(crate) ca: Option<AreaCode>,
    pub(crate) region: Option<AreaCode>,
}

/// Reads `wm_msoa_la.csv`.
pub(crate) fn read_msoa(l: &Lookup) -> Result<(Vec<MsoaRow>, FileAudit)> {
    let t = &l.table;
    let [cd, nm, hcl, lad, utla, ca, rgn, ctry, cd11, cd21, nm11] = t.columns([
        "MSOACD",
        "MSOANM",
        "MSOAHCLNM",
        "LADCD_ACTIVE",
        "UTLACD",
        "CAUTHCD",
        "RGNCD",
        "CTRYCD",
        "MSOA11CD",
        "MSOA21CD",
        "MSOA11NM",
    ])?;
    let mut audit = l.audit();
    let mut out = Vec::new();
    for (row, f) in l.rows(&mut audit) {
        let code = l.code(row, f, cd)?;
        let in2011 = l.opt_code(row, f, cd11)?;
        let in2021 = l.opt_code(row, f, cd21)?;
        for (col, other) in [(cd11, in2011), (cd21, in2021)] {
            if other.is_some_and(|o| o != code) {
                return Err(Error::input(
                    t.at(row, col),
                    format!("differs from MSOACD {code}; expected the same code or blank"),
                ));
            }
        }
        if in2011.is_none() && in2021.is_none() {
            return Err(Error::input(
                t.at(row, cd21),
                format!("{code} is in neither the 2011 nor the 2021 geography"),
            ));
        }
        let name = l.text(f, nm).to_string();
        let name11 = match l.text(f, nm11) {
            "" => name.clone(),
            n => n.to_string(),
        };
        out.push(MsoaRow {
            row,
            code,
            name,
            name11,
            hcl_name: l.text(f, hcl).to_string(),
            lad: l.code(row, f, lad)?,
            utla: l.opt_code(row, f, utla)?,
            ca: l.opt_code(row, f, ca)?,
            region: l.opt_code(row, f, rgn)?,
            country: l.opt_code(row, f, ctry)?,
            in2011: in2011.is_some(),
            in2021: in2021.is_some(),
        });
        audit.used();
    }
    Ok((out, audit))
}

/// Reads an LSOA file whose code and name columns are `code_col` and `name_col`.
pub(crate) fn read_lsoa(
    l: &Lookup,
    code_col: &str,
    name_col: &str,
) -> Result<(Vec<LsoaRow>, FileAudit)> {
    let [cd, nm, lad, utla, ca, rgn] = l.table.columns([
        code_col,
        name_col,
        "LADCD_ACTIVE",
        "UTLACD",
        "CAUTHCD",
        "RGNCD",
    ])?;
    let mut audit = l.audit();
    let mut out = Vec::new();
    for (row, f) in l.rows(&mut audit) {
        out.push(LsoaRow {
            row,
            code: l.code(row, f, cd)?,
            name: l.text(f, nm).to_string(),
            lad: l.code(row, f, lad)?,
            utla: l.opt_code(row, f, utla)?,
            ca: l.opt_code(row, f, ca)?,
            region: l.opt_code(row, f, rgn)?,
        });
        audit.used();
    }
    Ok((out, audit))
}

/// Reads the name-derived MSOA 2021 → LTLA 2021 file and checks it against `wm_msoa_la.csv`.
///
/// A row is used if `wm_msoa_la.csv` has the same MSOA 2021 code in the same LAD; otherwise it is
/// rejected with the disagreement (and `wm_msoa_la.csv` wins).
pub(crate) fn read_msoa21_names(l: &Lookup, msoa: &[MsoaRow]) -> Result<FileAudit> {
    let [cd, nm, lad] = l
        .table
        .columns(["msoa21_code", "msoa21_name", "ltla21_code"])?;
    let known: HashMap<AreaCode, &MsoaRow> = msoa
        .iter()
        .filter(|m| m.in2021)
        .map(|m| (m.code, m))
        .collect();
    let mut audit = l.audit();
    let mut names_differ = 0;
    for (row, f) in l.rows(&mut audit) {
        let code = l.code(row, f, cd)?;
        let ltla = l.code(row, f, lad)?;
        match known.get(&code) {
            None => audit.reject(
                row,
                format!("{code} is not a 2021 MSOA in wm_msoa_la.csv; wm_msoa_la.csv wins"),
            ),
            Some(m) if m.lad != ltla => audit.reject(
                row,
                format!(
                    "{code} is in {ltla} here but in {} in wm_msoa_la.csv; wm_msoa_la.csv wins",
                    m.lad
                ),
            ),
            Some(m) => {
                if m.name != l.text(f, nm) {
                    names_differ += 1;
                }
                audit.used();
            }
        }
    }
    let agree = audit.rows_used;
    let in2021 = known.len() as u64;
    audit.note(format!(
        "cross-check with lookups-msoa-lsoa-to-lad-west-midlands/wm_msoa_la.csv: {agree} of {} rows give the same \
         LAD as wm_msoa_la.csv ({in2021} 2021 MSOAs there); {} disagree (rejected; wm_msoa_la.csv, compiled from ONS \
         lookups, wins over this name-derived file); {names_differ} MSOA names differ",
        audit.rows_read, audit.rows_rejected
    ));
    Ok(audit)
}

#[cfg(test)]
mod tests {
    use super::super::{WM_LSOA11_LAD, WM_LSOA21_LAD, WM_MSOA_LA, WM_MSOA21_NAMES, open};
    use super::*;
    use crate::table::CsvTable;

    #[test]
    fn reads_the_real_files_and_the_name_lookup_agrees() {
        let dir = crate::default_data_dir();
        let (msoa, _) = read_msoa(&open(&dir, WM_MSOA_LA).unwrap()).unwrap();
        assert_eq!(msoa.len(), 746);
        assert_eq!(msoa.iter().filter(|m| m.in2011).count(), 735);
        assert_eq!(msoa.iter().filter(|m| m.in2021).count(), 736);
        let (l21, _) =
            read_lsoa(&open(&dir, WM_LSOA21_LAD).unwrap(), "LSOA21CD", "LSOA21NM").unwrap();
        let (l11, _) =
            read_lsoa(&open(&dir, WM_LSOA11_LAD).unwrap(), "LSOA11CD", "LSOA11NM").unwrap();
        assert_eq!((l21.len(), l11.len()), (3574, 3487));
        let audit = read_msoa21_names(&open(&dir, WM_MSOA21_NAMES).unwrap(), &msoa).unwrap();
        assert_eq!(
            (audit.rows_read, audit.rows_used, audit.rows_rejected),
            (736, 736, 0)
        );
        assert!(
            audit.notes[0].contains("736 of 736 rows give the same LAD"),
            "{:?}",
            audit.notes
        );
    }

    #[test]
    fn a_disagreeing_msoa_is_rejected_with_the_rule() {
        let dir = crate::default_data_dir();
        let (msoa, _) = read_msoa(&open(&dir, WM_MSOA_LA).unwrap()).unwrap();
        let text = "msoa21_code,msoa21_name,ltla21_name,ltla21_code\nE02001827,Birmingham 001,Coventry,E08000026\n";
        let table =
            CsvTable::from_bytes(std::path::Path::new("names.csv"), text.as_bytes().to_vec())
                .unwrap();
        let audit = read_msoa21_names(
            &Lookup {
                file: WM_MSOA21_NAMES,
                table,
            },
            &msoa,
        )
        .unwrap();
        assert_eq!(audit.rows_rejected, 1);
        assert!(
            audit.rejected[0]
                .reason
                .contains("E08000025 in wm_msoa_la.csv; wm_msoa_la.csv wins")
        );
    }
}
