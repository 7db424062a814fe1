//! drkane/geo-lookups (David Kane, from ONS Open Geography Portal files; OGL v3.0), current as of
//! the 2025 code changes: `la_all_codes.csv` (every LTLA code since 2011 → the current LA covering
//! it, with the current LA's upper tier, combined authority, region and country),
//! `utla_all_codes.csv` (UTLA → combined authority, region, country) and `rgn_all_codes.csv`
//! (region → country and the UK aggregates).
//!
//! Quirk: the parent columns of a former code are those of its *active* LA. Its `CAUTHCD`
//! predates the 2024–2025 combined-authority changes (see [`super::changes`]).

use migkit_core::{AreaCode, Error, Result};

use super::Lookup;
use crate::audit::FileAudit;

/// A code and a name from a pair of columns.
pub(crate) type Named = (AreaCode, String);

/// One row of `la_all_codes.csv`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LaRow {
    pub(crate) row: u64,
    pub(crate) code: AreaCode,
    pub(crate) name: String,
    pub(crate) active: Named,
    pub(crate) utla: Option<Named>,
    pub(crate) ca: Option<Named>,
    pub(crate) region: Option<Named>,
    pub(crate) country: Option<Named>,
    /// England and Wales, Great Britain, United Kingdom.
    pub(crate) aggregates: Vec<Named>,
    pub(crate) current: bool,
}

/// One row of `utla_all_codes.csv`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct UtlaRow {
    pub(crate) row: u64,
    pub(crate) code: AreaCode,
    pub(crate) name: String,
    pub(crate) ca: Option<Named>,
    pub(crate) region: Option<Named>,
    pub(crate) country: Option<Named>,
}

/// One row of `rgn_all_codes.csv`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RgnRow {
    pub(crate) row: u64,
    pub(crate) code: AreaCode,
    pub(crate) name: String,
    pub(crate) country: Named,
    pub(crate) aggregates: Vec<Named>,
}

fn named(
    l: &Lookup,
    row: u64,
    f: &[String],
    code_col: usize,
    name_col: usize,
) -> Result<Option<Named>> {
    Ok(l.opt_code(row, f, code_col)?
        .map(|c| (c, l.text(f, name_col).to_string())))
}

fn aggregates(l: &Lookup, row: u64, f: &[String], cols: &[(usize, usize)]) -> Result<Vec<Named>> {
    let mut out = Vec::new();
    for (c, n) in cols {
        out.extend(named(l, row, f, *c, *n)?);
    }
    Ok(out)
}

/// Reads `la_all_codes.csv`.
pub(crate) fn read_la(l: &Lookup) -> Result<(Vec<LaRow>, FileAudit)> {
    let t = &l.table;
    let [cd, nm, acd, anm, ucd, unm, ccd, cnm, rcd, rnm, ycd, ynm] = t.columns([
        "LADCD",
        "LADNM",
        "LADCD_ACTIVE",
        "LADNM_ACTIVE",
        "UTLACD",
        "UTLANM",
        "CAUTHCD",
        "CAUTHNM",
        "RGNCD",
        "RGNNM",
        "CTRYCD",
        "CTRYNM",
    ])?;
    let [ewcd, ewnm, gbcd, gbnm, ukcd, uknm, cur] =
        t.columns(["EWCD", "EWNM", "GBCD", "GBNM", "UKCD", "UKNM", "Current"])?;
    let mut audit = l.audit();
    let mut out = Vec::new();
    for (row, f) in l.rows(&mut audit) {
        let current = match l.text(f, cur) {
            "TRUE" | "True" | "true" => true,
            "FALSE" | "False" | "false" => false,
            other => {
                return Err(Error::input(
                    t.at(row, cur),
                    format!("{other:?} is not TRUE or FALSE"),
                ));
            }
        };
        out.push(LaRow {
            row,
            code: l.code(row, f, cd)?,
            name: l.text(f, nm).to_string(),
            active: (l.code(row, f, acd)?, l.text(f, anm).to_string()),
            utla: named(l, row, f, ucd, unm)?,
            ca: named(l, row, f, ccd, cnm)?,
            region: named(l, row, f, rcd, rnm)?,
            country: named(l, row, f, ycd, ynm)?,
            aggregates: aggregates(l, row, f, &[(ewcd, ewnm), (gbcd, gbnm), (ukcd, uknm)])?,
            current,
        });
        audit.used();
    }
    Ok((out, audit))
}

/// Reads `utla_all_codes.csv`.
pub(crate) fn read_utla(l: &Lookup) -> Result<(Vec<UtlaRow>, FileAudit)> {
    let [cd, nm, ccd, cnm, rcd, rnm, ycd, ynm] = l.table.columns([
        "UTLACD", "UTLANM", "CAUTHCD", "CAUTHNM", "RGNCD", "RGNNM", "CTRYCD", "CTRYNM",
    ])?;
    let mut audit = l.audit();
    let mut out = Vec::new();
    for (row, f) in l.rows(&mut audit) {
        out.push(UtlaRow {
            row,
            code: l.code(row, f, cd)?,
            name: l.text(f, nm).to_string(),
            ca: named(l, row, f, ccd, cnm)?,
            region: named(l, row, f, rcd, rnm)?,
            country: named(l, row, f, ycd, ynm)?,
        });
        audit.used();
    }
    Ok((out, audit))
}

/// Reads `rgn_all_codes.csv`.
pub(crate) fn read_rgn(l: &Lookup) -> Result<(Vec<RgnRow>, FileAudit)> {
    let [cd, nm, ycd, ynm, ewcd, ewnm, gbcd, gbnm, ukcd, uknm] = l.table.columns([
        "RGNCD", "RGNNM", "CTRYCD", "CTRYNM", "EWCD", "EWNM", "GBCD", "GBNM", "UKCD", "UKNM",
    ])?;
    let mut audit = l.audit();
    let mut out = Vec::new();
    for (row, f) in l.rows(&mut audit) {
        out.push(RgnRow {
            row,
            code: l.code(row, f, cd)?,
            name: l.text(f, nm).to_string(),
            country: (l.code(row, f, ycd)?, l.text(f, ynm).to_string()),
            aggregates: aggregates(l, row, f, &[(ewcd, ewnm), (gbcd, gbnm), (ukcd, uknm)])?,
        });
        audit.used();
    }
    Ok((out, audit))
}

#[cfg(test)]
mod tests {
    use super::super::{LA_ALL_CODES, open};
    use super::*;
    use crate::table::CsvTable;

    fn lookup(bytes: &[u8]) -> Lookup {
        let table =
            CsvTable::from_bytes(std::path::Path::new("la_all_codes.csv"), bytes.to_vec()).unwrap();
        Lookup {
            file: LA_ALL_CODES,
            table,
        }
    }

    #[test]
    fn reads_the_real_file() {
        let (rows, audit) =
            read_la(&open(&crate::default_data_dir(), LA_ALL_CODES).unwrap()).unwrap();
        assert_eq!(rows.len(), 415);
        assert_eq!(rows.iter().filter(|r| r.current).count(), 361);
        let wm = rows
            .iter()
            .filter(|r| {
                r.region
                    .as_ref()
                    .is_some_and(|(c, _)| c.as_str() == "E12000005")
            })
            .count();
        assert_eq!(wm, 30);
        assert_eq!((audit.rows_read, audit.rows_used), (415, 415));
        let barnsley = rows
            .iter()
            .find(|r| r.code.as_str() == "E08000016")
            .unwrap();
        assert_eq!(barnsley.active.0.as_str(), "E08000038");
        assert!(!barnsley.current);
    }

    #[test]
    fn bad_cells_name_row_and_column() {
        let header = "LADCD,LADNM,LADCD_ACTIVE,LADNM_ACTIVE,UTLACD,UTLANM,CAUTHCD,CAUTHNM,RGNCD,RGNNM,CTRYCD,CTRYNM,EWCD,EWNM,GBCD,GBNM,UKCD,UKNM,Current\n";
        let good = "E08000025,Birmingham,E08000025,Birmingham,E08000025,Birmingham,E47000007,West Midlands,E12000005,West Midlands,E92000001,England,K04000001,England and Wales,K03000001,Great Britain,K02000001,United Kingdom,TRUE\n";
        let blank = ",".repeat(18);
        let (rows, audit) = read_la(&lookup(
            format!("\u{feff}{header}{good}{blank}\n").as_bytes(),
        ))
        .unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!((audit.rows_used, audit.rows_rejected), (1, 1));
        let bad = good.replace(
            "E08000025,Birmingham,E08000025",
            "E0800025,Birmingham,E08000025",
        );
        let err = read_la(&lookup(format!("{header}{bad}").as_bytes()))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("la_all_codes.csv, row 2, column \"LADCD\""),
            "{err}"
        );
        let bad = good.replace("TRUE", "yes");
        let err = read_la(&lookup(format!("{header}{bad}").as_bytes()))
            .unwrap_err()
            .to_string();
        assert!(err.contains("row 2, column \"Current\""), "{err}");
        let err = read_la(&lookup(b"LADCD,LADNM\nE08000025,Birmingham\n"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("\"LADCD_ACTIVE\" is missing"), "{err}");
    }
}
