//! ONSvisual `changes.csv` (ONS Data Visualisation team, repo `ONSvisual/uk-topojson`,
//! `input/changes.csv`, 2025-06-06; OGL v3.0): local authority, county and combined authority
//! code changes 2018–2025, one row per old code, with the year the change took effect.
//!
//! Columns `oldcd, oldnm, newcd, newnm, type, start`; `type` is `merger`, `new_code`, `new_geo`
//! or `termination`. Quirks: the file starts with a UTF-8 byte-order mark; `start` is a year and
//! changes take effect on 1 April of it; `new_geo` rows whose `newcd` is an E47 combined
//! authority record CA membership, not LAD successors.

use chrono::NaiveDate;
use migkit_core::{AreaCode, Error, Result};

use super::Lookup;
use crate::audit::FileAudit;

/// The `type` of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChangeType {
    /// The old area was absorbed into the new one.
    Merger,
    /// Same area, new code.
    NewCode,
    /// Joined a combined authority, or a boundary change with a new code.
    NewGeo,
    /// Abolished (counties).
    Termination,
}

/// One row of `changes.csv`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ChangeRow {
    pub(crate) row: u64,
    pub(crate) old: AreaCode,
    pub(crate) old_name: String,
    pub(crate) new: Option<(AreaCode, String)>,
    pub(crate) kind: ChangeType,
    /// 1 April of the `start` year.
    pub(crate) date: NaiveDate,
}

/// Reads `changes.csv`.
pub(crate) fn read(l: &Lookup) -> Result<(Vec<ChangeRow>, FileAudit)> {
    let t = &l.table;
    let [oldcd, oldnm, newcd, newnm, kind, start] =
        t.columns(["oldcd", "oldnm", "newcd", "newnm", "type", "start"])?;
    let mut audit = l.audit();
    let mut out = Vec::new();
    for (row, f) in l.rows(&mut audit) {
        let kind = match l.text(f, kind) {
            "merger" => ChangeType::Merger,
            "new_code" => ChangeType::NewCode,
            "new_geo" => ChangeType::NewGeo,
            "termination" => ChangeType::Termination,
            other => {
                audit.reject(row, format!("change type {other:?} is not one migkit knows (merger, new_code, new_geo, termination)"));
                continue;
            }
        };
        let year_text = l.text(f, start);
        let date = year_text
            .parse::<i32>()
            .ok()
            .and_then(|y| NaiveDate::from_ymd_opt(y, 4, 1))
            .ok_or_else(|| {
                Error::input(t.at(row, start), format!("{year_text:?} is not a year"))
            })?;
        let new = l
            .opt_code(row, f, newcd)?
            .map(|c| (c, l.text(f, newnm).to_string()));
        if new.is_none() && kind != ChangeType::Termination {
            return Err(Error::input(
                t.at(row, newcd),
                "a merger, new_code or new_geo row needs the new code",
            ));
        }
        out.push(ChangeRow {
            row,
            old: l.code(row, f, oldcd)?,
            old_name: l.text(f, oldnm).to_string(),
            new,
            kind,
            date,
        });
        audit.used();
    }
    Ok((out, audit))
}

#[cfg(test)]
mod tests {
    use super::super::{LAD_CHANGES, open};
    use super::*;
    use crate::table::CsvTable;

    #[test]
    fn reads_the_real_file_with_its_bom() {
        let (rows, audit) = read(&open(&crate::default_data_dir(), LAD_CHANGES).unwrap()).unwrap();
        assert_eq!(rows.len(), 79);
        assert_eq!(audit.rows_used, 79);
        let count = |k| rows.iter().filter(|r| r.kind == k).count();
        assert_eq!(
            (
                count(ChangeType::Merger),
                count(ChangeType::NewGeo),
                count(ChangeType::Termination),
                count(ChangeType::NewCode)
            ),
            (44, 25, 6, 4)
        );
        let sheffield = rows.iter().find(|r| r.old.as_str() == "E08000019").unwrap();
        assert_eq!(sheffield.date, NaiveDate::from_ymd_opt(2025, 4, 1).unwrap());
        assert_eq!(sheffield.new.as_ref().unwrap().0.as_str(), "E08000039");
    }

    #[test]
    fn bad_rows_are_named() {
        let lookup = |text: &str| Lookup {
            file: LAD_CHANGES,
            table: CsvTable::from_bytes(
                std::path::Path::new("changes.csv"),
                text.as_bytes().to_vec(),
            )
            .unwrap(),
        };
        let head = "\u{feff}oldcd,oldnm,newcd,newnm,type,start\n";
        let (rows, audit) = read(&lookup(&format!(
            "{head}E07000163,Craven,E06000065,North Yorkshire,abolished,2023\n"
        )))
        .unwrap();
        assert!(rows.is_empty());
        assert!(audit.rejected[0].reason.contains("\"abolished\""));
        let err = read(&lookup(&format!(
            "{head}E07000163,Craven,E06000065,North Yorkshire,merger,April\n"
        )))
        .unwrap_err();
        assert!(err.to_string().contains("row 2, column \"start\""), "{err}");
        let err = read(&lookup(&format!("{head}E07000163,Craven,,,merger,2023\n"))).unwrap_err();
        assert!(err.to_string().contains("row 2, column \"newcd\""), "{err}");
    }
}
