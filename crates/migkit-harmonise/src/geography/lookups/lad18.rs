//! ONS "Local Authority District to Region (December 2018) Lookup in England" (OGL v3.0), as
//! mirrored in `jtrim-ons/ons-lookups`: `LAD18CD, LAD18NM, RGN18CD, RGN18NM, FID`, 326 English
//! LADs. Used to cross-check (and, where missing, fill) the region of 2018 codes.

use migkit_core::{AreaCode, Result};

use super::Lookup;
use crate::audit::FileAudit;

/// One row of the LAD 2018 → region lookup.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Lad18Row {
    pub(crate) row: u64,
    pub(crate) code: AreaCode,
    pub(crate) name: String,
    pub(crate) region: AreaCode,
}

/// Reads the lookup.
pub(crate) fn read(l: &Lookup) -> Result<(Vec<Lad18Row>, FileAudit)> {
    let [cd, nm, rgn] = l.table.columns(["LAD18CD", "LAD18NM", "RGN18CD"])?;
    let mut audit = l.audit();
    let mut out = Vec::new();
    for (row, f) in l.rows(&mut audit) {
        out.push(Lad18Row {
            row,
            code: l.code(row, f, cd)?,
            name: l.text(f, nm).to_string(),
            region: l.code(row, f, rgn)?,
        });
        audit.used();
    }
    Ok((out, audit))
}

#[cfg(test)]
mod tests {
    use super::super::{LAD18_RGN18, open};
    use super::*;

    #[test]
    fn reads_the_real_file() {
        let (rows, audit) = read(&open(&crate::default_data_dir(), LAD18_RGN18).unwrap()).unwrap();
        assert_eq!((rows.len(), audit.rows_used), (326, 326));
        assert_eq!(
            rows.iter()
                .filter(|r| r.region.as_str() == "E12000005")
                .count(),
            30
        );
    }
}
