//! Rollups: local authority counts summed to upper tier, region and country.

use std::collections::BTreeMap;

use migkit_core::{
    AreaCode, Error, GeographyLevel, Interval, MeasureKind, Observation, Period, Result, Status,
    Unit,
};

use crate::geography::Bridge;

type Key = (
    AreaCode,
    Period,
    String,
    MeasureKind,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Sums counts of areas at `from` level to their parents at `to` level.
///
/// Only counts (unit persons) are summed; percentages are skipped. Values are summed within the
/// same period, measure and breakdown, so stocks are never added across periods. A parent's
/// value is null (suppressed) if any child's is, and its interval is the sum of the children's.
/// Every rolled-up observation has status [`Status::Derived`].
///
/// # Errors
/// An area whose parent at `to` the bridge does not know, naming the code.
pub fn rollup(
    observations: &[Observation],
    bridge: &Bridge,
    from: GeographyLevel,
    to: GeographyLevel,
) -> Result<Vec<Observation>> {
    let mut sums: BTreeMap<Key, (Option<f64>, Interval, String)> = BTreeMap::new();
    let mut parents: BTreeMap<AreaCode, AreaCode> = BTreeMap::new();
    for o in observations
        .iter()
        .filter(|o| o.geography_level == from && o.unit == Unit::Persons)
    {
        let parent = match parents.get(&o.area_code) {
            Some(p) => *p,
            None => {
                let p = bridge
                    .parent(&o.area_code, to)
                    .ok_or_else(|| Error::UnknownArea {
                        code: o.area_code.to_string(),
                        context: format!(" (no {to} parent in the lookups)"),
                    })?;
                parents.insert(o.area_code, p);
                p
            }
        };
        let key = (
            parent,
            o.period,
            o.measure.clone(),
            o.measure_kind,
            o.group.clone(),
            o.age.clone(),
            o.sex.clone(),
        );
        let entry = sums
            .entry(key)
            .or_insert_with(|| (Some(0.0), Interval::exact(0.0), o.geography_vintage.clone()));
        entry.0 = entry.0.zip(o.value).map(|(a, b)| a + b);
        entry.1 = entry.1 + o.interval;
    }
    Ok(sums
        .into_iter()
        .map(
            |((area, period, measure, kind, group, age, sex), (value, interval, vintage))| {
                Observation {
                    source_row: 0,
                    area_code: area,
                    area_code_published: area.to_string(),
                    area_name: bridge.name(&area).unwrap_or_default().to_string(),
                    geography_level: to,
                    geography_vintage: vintage,
                    period,
                    measure,
                    measure_kind: kind,
                    unit: Unit::Persons,
                    group,
                    age,
                    sex,
                    value,
                    interval,
                    status: if value.is_some() {
                        Status::Derived
                    } else {
                        Status::Suppressed
                    },
                }
            },
        )
        .collect())
}
