//! Releases and revisions: when two releases of one table sit side by side, the newest wins and
//! every value it changed is listed.

use std::collections::HashMap;

use migkit_core::{AreaCode, Observation, ObservationSet, Period};
use serde::{Deserialize, Serialize};

use crate::source::ReleaseMeta;

/// The identity of a value within a table: the same key in two releases is the same figure.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct ValueKey {
    /// The reader's code and the code (or name) as published: some releases publish one code for
    /// two areas (Inner and Outer London under London's) or two names for one code.
    pub(crate) area: (AreaCode, String),
    pub(crate) period: Period,
    pub(crate) measure: String,
    pub(crate) group: Option<String>,
    pub(crate) age: Option<String>,
    pub(crate) sex: Option<String>,
}

impl ValueKey {
    pub(crate) fn of(o: &Observation) -> Self {
        Self {
            area: (o.area_code, o.area_code_published.clone()),
            period: o.period,
            measure: o.measure.clone(),
            group: o.group.clone(),
            age: o.age.clone(),
            sex: o.sex.clone(),
        }
    }
}

/// One value that a later release of a table changed (or added, or dropped).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revision {
    /// The table, e.g. `"ho_asy_d11"`.
    pub table: String,
    /// Area code as published.
    pub area_code: String,
    /// Period, as text (`"2024-09-30"`, `"2024 Q3"`).
    pub period: String,
    /// Measure.
    pub measure: String,
    /// Group, if any.
    pub group: Option<String>,
    /// Age, if any.
    pub age: Option<String>,
    /// Sex, if any.
    pub sex: Option<String>,
    /// The earlier release.
    pub old_release: String,
    /// The value in the earlier release (None if it was suppressed or absent).
    pub old_value: Option<f64>,
    /// The later release.
    pub new_release: String,
    /// The value in the later release (None if suppressed or no longer published).
    pub new_value: Option<f64>,
}

/// Keeps, for each table, the newest release's value of every key (older releases fill keys the
/// newest does not publish), and lists every value a later release changed.
///
/// `sets` are paired with the metadata of their release. Releases of one table are ordered by
/// the last day their data cover, then release date, then id. Returns the kept sets (older releases reduced to the keys no newer
/// release has) and the revisions.
pub(crate) fn newest_wins(
    sets: Vec<(ReleaseMeta, ObservationSet)>,
) -> (Vec<(ReleaseMeta, ObservationSet)>, Vec<Revision>) {
    let mut by_table: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, (meta, _)) in sets.iter().enumerate() {
        by_table.entry(meta.table.clone()).or_default().push(i);
    }
    let mut sets: Vec<Option<(ReleaseMeta, ObservationSet)>> = sets.into_iter().map(Some).collect();
    let mut kept = Vec::new();
    let mut revisions = Vec::new();
    let mut tables: Vec<_> = by_table.into_iter().collect();
    tables.sort();
    for (table, mut idx) in tables {
        if idx.len() == 1 {
            // One release of the table: nothing to compare.
            if let Some(set) = sets[idx[0]].take() {
                kept.push(set);
            }
            continue;
        }
        // Newest first: the release whose data reach the latest date, then the later release
        // date, then the later id (a release whose date is not known is not thereby older).
        let order_key = |i: usize| {
            sets[i].as_ref().map(|(meta, set)| {
                let last = set.observations.iter().map(|o| o.period.end()).max();
                (last, meta.release_date.clone(), meta.id.clone())
            })
        };
        idx.sort_by_key(|&i| std::cmp::Reverse(order_key(i)));
        // Values already claimed by a newer release, with the release id and value.
        let mut claimed: HashMap<ValueKey, (String, Option<f64>)> = HashMap::new();
        for i in idx {
            let Some((meta, mut set)) = sets[i].take() else {
                continue;
            };
            let mut mine: HashMap<ValueKey, Option<f64>> = HashMap::new();
            set.observations.retain(|o| {
                let key = ValueKey::of(o);
                match claimed.get(&key) {
                    Some((newer, new_value)) => {
                        if *new_value != o.value {
                            revisions.push(Revision {
                                table: table.clone(),
                                area_code: key.area.0.to_string(),
                                period: key.period.to_string(),
                                measure: key.measure.clone(),
                                group: key.group.clone(),
                                age: key.age.clone(),
                                sex: key.sex.clone(),
                                old_release: meta.id.clone(),
                                old_value: o.value,
                                new_release: newer.clone(),
                                new_value: *new_value,
                            });
                        }
                        false
                    }
                    None => {
                        mine.insert(key, o.value);
                        true
                    }
                }
            });
            for (key, value) in mine {
                claimed.insert(key, (meta.id.clone(), value));
            }
            kept.push((meta, set));
        }
    }
    revisions.sort_by(|a, b| {
        (&a.table, &a.area_code, &a.period, &a.measure, &a.group).cmp(&(
            &b.table,
            &b.area_code,
            &b.period,
            &b.measure,
            &b.group,
        ))
    });
    (kept, revisions)
}
