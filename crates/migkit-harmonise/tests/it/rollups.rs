//! Rollups from districts to regions, checked against published regional figures.

use migkit_core::{GeographyLevel, Observation, Period};
use migkit_harmonise::rollup::rollup;

use crate::pipeline::run;

fn lads(source_prefix: &str, measure: &str) -> Vec<Observation> {
    let run = run();
    run.sets
        .iter()
        .filter(|s| s.source.starts_with(source_prefix))
        .flat_map(|s| s.observations.iter())
        .filter(|o| {
            o.geography_level == GeographyLevel::Lad
                && o.measure == measure
                && o.age.is_none()
                && o.sex.is_none()
        })
        .cloned()
        .collect()
}

#[test]
fn west_midlands_mid_2020_population_is_the_sum_of_its_districts() {
    let run = run();
    let districts: Vec<Observation> = lads("ons_mye2020", "population")
        .into_iter()
        .filter(|o| {
            o.period == Period::Snapshot("2020-06-30".parse::<Period>().map(|p| p.start()).unwrap())
        })
        .collect();
    let regions = rollup(
        &districts,
        &run.bridge,
        GeographyLevel::Lad,
        GeographyLevel::Region,
    )
    .unwrap();
    let wm = regions
        .iter()
        .find(|o| o.area_code.as_str() == "E12000005")
        .unwrap();
    // ONS mid-2020 region row (MYE2): 5,961,929.
    assert_eq!(wm.value, Some(5_961_929.0));
}

#[test]
fn west_midlands_nino_registrations_roll_up_to_the_published_sums() {
    let run = run();
    let regions = rollup(
        &lads("dwp_nino", "nino_registrations"),
        &run.bridge,
        GeographyLevel::Lad,
        GeographyLevel::Region,
    )
    .unwrap();
    let wm = |year| {
        regions
            .iter()
            .find(|o| o.area_code.as_str() == "E12000005" && o.period == Period::CalendarYear(year))
            .and_then(|o| o.value)
    };
    // PROVENANCE.md: West Midlands 30 LAs 2002 16,677; 2007 47,384; 2023 103,964; 2025 54,602.
    assert_eq!(wm(2002), Some(16_677.0));
    assert_eq!(wm(2007), Some(47_384.0));
    assert_eq!(wm(2023), Some(103_964.0));
    assert_eq!(wm(2025), Some(54_602.0));
}
