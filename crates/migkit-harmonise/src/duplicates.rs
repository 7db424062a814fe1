//! Two observations with the same area, period, measure and breakdown in one file.
//!
//! A row repeated with the same value is an error (summing it would double-count). Publishers do
//! sometimes label two different cells the same way (a filled-down name or code); a reader that
//! knows its table does this can merge such pairs with [`merge_mislabelled`], which keeps both
//! counts and says so in the audit.

use migkit_core::{AreaCode, Error, Location, Observation, ObservationSet, Period, Result, Unit};
use rustc_hash::FxHashMap;

use crate::audit::FileAudit;

/// An observation's identity within a file, borrowed (no allocation per row).
type BorrowedKey<'a> = (
    &'a AreaCode,
    &'a str,
    Period,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Unit,
);

fn key_of(o: &Observation) -> BorrowedKey<'_> {
    (
        &o.area_code,
        &o.area_code_published,
        o.period,
        &o.measure,
        o.group.as_deref(),
        o.age.as_deref(),
        o.sex.as_deref(),
        o.unit,
    )
}

/// Fails on the first observation whose key was already given by an earlier row of the file.
pub fn check_duplicates(set: &ObservationSet) -> Result<()> {
    let mut seen: FxHashMap<BorrowedKey<'_>, u64> = FxHashMap::default();
    seen.reserve(set.observations.len());
    for o in &set.observations {
        if let Some(first) = seen.insert(key_of(o), o.source_row) {
            return Err(Error::input(
                Location::file(&set.file)
                    .row(o.source_row)
                    .area(&o.area_code_published),
                format!(
                    "duplicated row: the same {} for {} ({}) was already given at row {first}; remove one of them",
                    o.measure, o.area_code_published, o.period
                ),
            ));
        }
    }
    Ok(())
}

/// Sums pairs of observations that share a key but carry different values, noting each in the
/// audit; pairs with equal values are left for [`check_duplicates`] to reject.
///
/// Returns the number of observations merged away.
pub fn merge_mislabelled(set: &mut ObservationSet, audit: &mut FileAudit, why: &str) -> usize {
    let observations = std::mem::take(&mut set.observations);
    // The first observation of each key.
    let mut first: FxHashMap<BorrowedKey<'_>, usize> = FxHashMap::default();
    first.reserve(observations.len());
    let owner: Vec<usize> = observations
        .iter()
        .enumerate()
        .map(|(i, o)| *first.entry(key_of(o)).or_insert(i))
        .collect();
    drop(first);
    // Where the first observation of each key went in `kept`.
    let mut position: Vec<Option<usize>> = vec![None; observations.len()];
    let mut kept: Vec<Observation> = Vec::with_capacity(observations.len());
    let mut merged = 0;
    for (i, o) in observations.into_iter().enumerate() {
        match position[owner[i]] {
            Some(at) if kept[at].value != o.value => {
                let k = &mut kept[at];
                audit.note(format!(
                    "rows {} and {} both give {} for {} ({}, {}): {} and {}; {why}; summed",
                    k.source_row,
                    o.source_row,
                    o.measure,
                    o.area_code_published,
                    o.period,
                    o.group.as_deref().unwrap_or("-"),
                    k.value.map_or("suppressed".into(), |v| v.to_string()),
                    o.value.map_or("suppressed".into(), |v| v.to_string()),
                ));
                k.add_count(&o);
                merged += 1;
            }
            // Equal values: a repeated row, left for check_duplicates to reject.
            Some(_) => kept.push(o),
            None => {
                position[owner[i]] = Some(kept.len());
                kept.push(o);
            }
        }
    }
    set.observations = kept;
    merged
}
