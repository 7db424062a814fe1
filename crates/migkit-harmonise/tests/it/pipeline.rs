//! The harmonisation run on ../shared/data: every file accounted for, recoding, duplicates.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use migkit_core::{AreaCode, GeographyLevel};
use migkit_harmonise::pipeline::{HarmoniseOptions, Harmonised, harmonise};
use migkit_harmonise::{Recode, Vintage, default_data_dir};

pub(crate) fn run() -> &'static Harmonised {
    static RUN: OnceLock<Harmonised> = OnceLock::new();
    RUN.get_or_init(|| {
        harmonise(&default_data_dir(), &HarmoniseOptions::default())
            .expect("harmonise ../shared/data")
    })
}

fn files_under(dir: &Path, root: &Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, root, out);
        } else {
            out.insert(
                path.strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
            );
        }
    }
}

#[test]
fn every_file_is_audited_and_balances() {
    let run = run();
    let root = default_data_dir();
    let mut on_disk = BTreeSet::new();
    files_under(&root, &root, &mut on_disk);
    let audited: BTreeSet<String> = run.audit.files.iter().map(|f| f.path.clone()).collect();
    assert_eq!(on_disk, audited);
    for f in &run.audit.files {
        f.check_rows().unwrap();
        for t in &f.totals {
            assert!(t.balanced || t.note.is_some(), "{}: {t:?}", f.path);
        }
    }
    assert!(run.audit.unbalanced().is_empty());
    // Data files (not lookups, boundaries or documentation) produce observations.
    let data_files = run
        .audit
        .files
        .iter()
        .filter(|f| f.observations > 0)
        .count();
    assert!(data_files >= 12, "{data_files}");
}

#[test]
fn table_has_one_schema_and_no_zero_for_a_suppressed_cell() {
    let run = run();
    let table = run.table().unwrap();
    assert_eq!(table.schema(), migkit_core::observation_schema());
    assert_eq!(table.num_rows(), run.len());
    for o in run.observations() {
        assert!(o.interval.lower <= o.interval.upper, "{o:?}");
        if let Some(v) = o.value {
            assert!(
                o.interval.contains(v) || o.unit == migkit_core::Unit::Percent,
                "{o:?}"
            );
        }
    }
}

#[test]
fn codes_are_recoded_to_the_newest_vintage() {
    let run = run();
    // Barnsley was re-coded in 2025; no observation keeps the old code as its area_code.
    let old: AreaCode = "E08000016".parse().unwrap();
    assert!(run.observations().all(|o| o.area_code != old));
    let recoded = run
        .observations()
        .find(|o| o.area_code_published == "E08000016")
        .expect("some release publishes Barnsley's old code");
    assert_eq!(recoded.area_code.as_str(), "E08000038");
}

#[test]
fn the_bridge_places_shropshire_and_rejects_unknown_codes() {
    let bridge = &run().bridge;
    for code in [
        "39UB",
        "39UC",
        "39UD",
        "39UE",
        "39UF",
        "E07000182",
        "E07000183",
        "E07000184",
        "E07000185",
        "E07000186",
    ] {
        let code: AreaCode = code.parse().unwrap();
        assert_eq!(
            bridge.recode(&code, Vintage::Newest).unwrap(),
            Recode::Replaced("E06000051".parse().unwrap()),
            "{code}"
        );
    }
    let err = bridge
        .recode(&"E07999999".parse().unwrap(), Vintage::Newest)
        .unwrap_err()
        .to_string();
    assert!(err.contains("E07999999"), "{err}");
    let wm = bridge.members(
        &"E12000005".parse().unwrap(),
        GeographyLevel::Lad,
        Vintage::Newest,
    );
    assert_eq!(wm.len(), 30);
}

fn scratch_with(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let root = std::env::temp_dir().join(format!("migkit-it-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let shared = default_data_dir();
    for folder in [
        "lookups-la-all-codes-drkane",
        "lookups-lad-changes-2018-2025-onsvisual",
        "lookups-lad-code-history-chd-jul2024",
        "lookups-lad11-old-new-codes",
        "lookups-lad18-to-rgn18",
        "lookups-msoa-lsoa-to-lad-west-midlands",
        "lad-boundaries-2008",
    ] {
        std::fs::create_dir_all(root.join(folder)).unwrap();
        for entry in std::fs::read_dir(shared.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, root.join(folder).join(path.file_name().unwrap())).unwrap();
        }
    }
    let lookup = "census2021-west-midlands-msoa/wm_msoa21_to_ltla21_from_msoa_names.csv";
    std::fs::create_dir_all(root.join(lookup).parent().unwrap()).unwrap();
    std::fs::copy(shared.join(lookup), root.join(lookup)).unwrap();
    for (relative, text) in files {
        let path = root.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    root
}

const ASY: &str = "ho-asylum-support-by-la-asy-d11/asy_d11_asylum_support_by_la_2024q3_2024q3.csv";
const HEADER: &str =
    "Date,Year,Quarter,Support Type,UK Region,Local Authority,LAD Code,Accommodation Type,People\n";
const ROW: &str = "2024-09-30,2024,3,Section 95,West Midlands,Birmingham,E08000025,Dispersal Accommodation,1202\n";

#[test]
fn a_duplicated_row_is_an_error_naming_both_rows() {
    let root = scratch_with("duplicate", &[(ASY, &format!("{HEADER}{ROW}{ROW}"))]);
    let err = harmonise(&root, &HarmoniseOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("row 3") && err.contains("row 2") && err.contains("duplicated"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn an_unknown_area_code_is_an_error_naming_it_and_the_row() {
    let root = scratch_with(
        "unknown",
        &[(
            ASY,
            &format!("{HEADER}{}", ROW.replace("E08000025", "E08999999")),
        )],
    );
    let err = harmonise(&root, &HarmoniseOptions::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("E08999999") && err.contains("row 2"), "{err}");
    // Lenient: the row stays (under its published code) and the audit says why.
    let run = harmonise(
        &root,
        &HarmoniseOptions {
            lenient: true,
            ..Default::default()
        },
    )
    .unwrap();
    let audit = run.audit.files.iter().find(|f| f.path == ASY).unwrap();
    assert!(
        audit.notes.iter().any(|n| n.contains("E08999999")),
        "{:?}",
        audit.notes
    );
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn one_thread_and_two_threads_give_identical_outputs() {
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| harmonise(&default_data_dir(), &HarmoniseOptions::default()).unwrap());
    let two = run();
    assert_eq!(one.table().unwrap(), two.table().unwrap());
    assert_eq!(one.geometry, two.geometry);
    assert_eq!(one.audit.to_json(), two.audit.to_json());
}
