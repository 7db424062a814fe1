//! ONS Code History Database (July 2024), table ChangeHistory, for E06, E07, E08, E09, E10, E12
//! and W06 codes (as republished by Open Innovations, `geography-code-adder`; OGL v3.0).
//!
//! Columns `GEOGCD, ENTITYCD, ENTITY_DESCRIPTION, GEOGNM, OPER_DATE, TERM_DATE, PARENTCD, STATUS,
//! NM_ALT_SUPPLEMENTAL`; one record per code and name (a renamed code has several records,
//! newest first). Quirks: `OPER_DATE` 2009-01-01 is the start of the GSS coding system, not the
//! creation of the area; `PARENTCD` is the county for E07 districts and the region for unitary,
//! metropolitan and London codes and counties; `NM_ALT_SUPPLEMENTAL` (`|`-separated) was added by
//! the republisher; changes after July 2024 (the 2025 Barnsley/Sheffield re-codes) are missing.

use chrono::NaiveDate;
use migkit_core::{AreaCode, Error, Result};

use super::Lookup;
use crate::audit::FileAudit;

/// The day the GSS coding system started; CHD gives it as the operative date of every code
/// that already existed.
pub(crate) const GSS_START: NaiveDate = match NaiveDate::from_ymd_opt(2009, 1, 1) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// One record of the ChangeHistory table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ChdRow {
    pub(crate) row: u64,
    pub(crate) code: AreaCode,
    pub(crate) name: String,
    pub(crate) from: NaiveDate,
    pub(crate) to: Option<NaiveDate>,
    pub(crate) parent: Option<AreaCode>,
    pub(crate) live: bool,
    pub(crate) alt_names: Vec<String>,
}

/// Reads the CHD extract.
pub(crate) fn read(l: &Lookup) -> Result<(Vec<ChdRow>, FileAudit)> {
    let t = &l.table;
    let [cd, nm, oper, term, parent, status, alt] = t.columns([
        "GEOGCD",
        "GEOGNM",
        "OPER_DATE",
        "TERM_DATE",
        "PARENTCD",
        "STATUS",
        "NM_ALT_SUPPLEMENTAL",
    ])?;
    let mut audit = l.audit();
    let mut out = Vec::new();
    for (row, f) in l.rows(&mut audit) {
        let live = match l.text(f, status) {
            "live" => true,
            "terminated" => false,
            other => {
                return Err(Error::input(
                    t.at(row, status),
                    format!("{other:?} is not live or terminated"),
                ));
            }
        };
        let from = l
            .opt_date(row, f, oper)?
            .ok_or_else(|| Error::input(t.at(row, oper), "the operative date is blank"))?;
        let to = l.opt_date(row, f, term)?;
        if live == to.is_some() {
            return Err(Error::input(
                t.at(row, term),
                "a live record has no termination date and a terminated one has one",
            ));
        }
        let alt_names = l
            .text(f, alt)
            .split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        out.push(ChdRow {
            row,
            code: l.code(row, f, cd)?,
            name: l.text(f, nm).to_string(),
            from,
            to,
            parent: l.opt_code(row, f, parent)?,
            live,
            alt_names,
        });
        audit.used();
    }
    Ok((out, audit))
}

#[cfg(test)]
mod tests {
    use super::super::{CHD_HISTORY, open};
    use super::*;
    use crate::table::CsvTable;

    #[test]
    fn reads_the_real_file() {
        let (rows, audit) = read(&open(&crate::default_data_dir(), CHD_HISTORY).unwrap()).unwrap();
        assert_eq!((rows.len(), audit.rows_used), (452, 452));
        let mut codes: Vec<_> = rows.iter().map(|r| r.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), 449);
        let bridgnorth = rows
            .iter()
            .find(|r| r.code.as_str() == "E07000182")
            .unwrap();
        assert_eq!(
            (bridgnorth.name.as_str(), bridgnorth.to),
            ("Bridgnorth", NaiveDate::from_ymd_opt(2009, 3, 31))
        );
        assert_eq!(bridgnorth.parent.unwrap().as_str(), "E10000026");
        let anglesey = rows
            .iter()
            .find(|r| r.code.as_str() == "W06000001")
            .unwrap();
        assert!(anglesey.alt_names.iter().any(|n| n == "Ynys Môn"));
    }

    #[test]
    fn inconsistent_dates_are_errors() {
        let lookup = |text: &str| Lookup {
            file: CHD_HISTORY,
            table: CsvTable::from_bytes(std::path::Path::new("chd.csv"), text.as_bytes().to_vec())
                .unwrap(),
        };
        let head = "GEOGCD,ENTITYCD,ENTITY_DESCRIPTION,GEOGNM,OPER_DATE,TERM_DATE,PARENTCD,STATUS,NM_ALT_SUPPLEMENTAL\n";
        let err = read(&lookup(&format!(
            "{head}E07000182,E07,d,Bridgnorth,2009-01-01,,E10000026,terminated,\n"
        )))
        .unwrap_err();
        assert!(
            err.to_string().contains("row 2, column \"TERM_DATE\""),
            "{err}"
        );
        let err = read(&lookup(&format!(
            "{head}E07000182,E07,d,Bridgnorth,1/1/2009,,E10000026,live,\n"
        )))
        .unwrap_err();
        assert!(
            err.to_string().contains("row 2, column \"OPER_DATE\""),
            "{err}"
        );
    }
}
