//! Two observations with the same area, period, measure and breakdown in one file.
//!
//! A row repeated with the same value is an error (summing it would double-count). Publishers do
//! sometimes label two different cells the same way (a filled-down name or code); a reader that
//! knows its table does this can merge such pairs with [`merge_mislabelled`], which keeps both
//! counts and says so in the audit.

use std::collections::HashMap;

use migkit_core::{Error, Location, ObservationSet, Result, Status};

use crate::audit::FileAudit;
use crate::revisions::ValueKey;

fn key_of(o: &migkit_core::Observation) -> (ValueKey, &'static str) {
    (ValueKey::of(o), o.unit.as_str())
}

/// Fails on the first observation whose key was already given by an earlier row of the file.
pub fn check_duplicates(set: &ObservationSet) -> Result<()> {
    let mut seen: HashMap<(ValueKey, &str), u64> = HashMap::with_capacity(set.observations.len());
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
    let mut index: HashMap<(ValueKey, &str), usize> =
        HashMap::with_capacity(set.observations.len());
    let mut kept: Vec<migkit_core::Observation> = Vec::with_capacity(set.observations.len());
    let mut merged = 0;
    for o in std::mem::take(&mut set.observations) {
        let key = key_of(&o);
        match index.get(&key) {
            Some(&i) if kept[i].value != o.value => {
                let k = &mut kept[i];
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
                k.value = k.value.zip(o.value).map(|(a, b)| a + b);
                k.interval = k.interval + o.interval;
                k.status = if k.value.is_some() {
                    Status::Derived
                } else {
                    Status::Suppressed
                };
                merged += 1;
            }
            _ => {
                index.entry(key).or_insert(kept.len());
                kept.push(o);
            }
        }
    }
    set.observations = kept;
    merged
}
