//! Helpers for the crate's own tests: the shared data folder and a checked read of one file.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::NaiveDate;
use migkit_core::AreaCode;

use crate::geography::Bridge;
use crate::source::{ReadContext, ReadOptions, ReadOutput, Reader, SourceFile};

/// An area code written by a test (panics if it is not one).
pub(crate) fn code(text: &str) -> AreaCode {
    text.parse().unwrap()
}

/// A date written by a test as `YYYY-MM-DD` (panics if it is not one).
pub(crate) fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// The shared data folder (`MIGKIT_DATA` or `../shared/data` beside the repository).
pub(crate) fn data_dir() -> PathBuf {
    crate::default_data_dir()
}

/// The bridge built from the shared data folder, once per test binary.
pub(crate) fn bridge() -> &'static Bridge {
    static BRIDGE: OnceLock<Bridge> = OnceLock::new();
    BRIDGE.get_or_init(|| {
        Bridge::from_data_dir(&data_dir())
            .expect("lookups in the shared data folder")
            .0
    })
}

/// A source file by its path relative to the data folder.
pub(crate) fn source_file(relative: &str) -> SourceFile {
    SourceFile {
        path: data_dir().join(relative),
        relative: relative.to_string(),
    }
}

/// Reads one file of the shared data with `reader`, checking that it accepts the file, that its
/// audit rows balance, that the observation count matches, and that every total balances.
pub(crate) fn read_checked(reader: &dyn Reader, relative: &str) -> ReadOutput {
    let file = source_file(relative);
    assert!(
        reader.accepts(&file),
        "{} does not accept {relative}",
        reader.id()
    );
    let ctx = ReadContext {
        bridge: bridge(),
        options: ReadOptions::default(),
        data_dir: &data_dir(),
    };
    let out = reader
        .read(&file, &ctx)
        .unwrap_or_else(|e| panic!("{relative}: {e}"));
    out.audit.check_rows().unwrap();
    assert_eq!(
        out.audit.observations as usize,
        out.observations.observations.len()
    );
    for t in &out.audit.totals {
        assert!(
            t.balanced || t.note.is_some(),
            "{relative}: total {t:?} does not balance"
        );
    }
    out
}

/// Reads bytes written by a test (bad-input cases) as if they were `relative` in the data folder.
pub(crate) fn read_bytes_as(
    reader: &dyn Reader,
    relative: &str,
    bytes: &[u8],
) -> migkit_core::Result<ReadOutput> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(relative);
    std::fs::create_dir_all(path.parent().unwrap_or(Path::new("."))).expect("mkdir");
    std::fs::write(&path, bytes).expect("write");
    let file = SourceFile {
        path,
        relative: relative.to_string(),
    };
    let ctx = ReadContext {
        bridge: bridge(),
        options: ReadOptions::default(),
        data_dir: dir.path(),
    };
    reader.read(&file, &ctx)
}

/// The error message of reading `bytes` as `relative` (a bad-input case, which must fail).
pub(crate) fn read_error(reader: &dyn Reader, relative: &str, bytes: &[u8]) -> String {
    match read_bytes_as(reader, relative, bytes) {
        Ok(_) => panic!("{relative}: the bad input was read without an error"),
        Err(err) => err.to_string(),
    }
}

/// Asserts that an error message names a file (or a part of its name), a row and a column.
pub(crate) fn assert_names_place(err: &str, file: &str, row: u64, column: &str) {
    assert!(err.contains(file), "no file {file} in: {err}");
    assert!(
        err.contains(&format!("row {row},")),
        "no row {row} in: {err}"
    );
    assert!(
        err.contains(&format!("column \"{column}\"")),
        "no column {column} in: {err}"
    );
}

/// The 30 West Midlands lower-tier local authorities (E12000005) on 2021 codes, as listed in
/// lad-boundaries-2021/PROVENANCE.md.
pub(crate) const WEST_MIDLANDS_LADS: [&str; 30] = [
    "E06000019",
    "E06000020",
    "E06000021",
    "E06000051",
    "E07000192",
    "E07000193",
    "E07000194",
    "E07000195",
    "E07000196",
    "E07000197",
    "E07000198",
    "E07000199",
    "E07000218",
    "E07000219",
    "E07000220",
    "E07000221",
    "E07000222",
    "E07000234",
    "E07000235",
    "E07000236",
    "E07000237",
    "E07000238",
    "E07000239",
    "E08000025",
    "E08000026",
    "E08000027",
    "E08000028",
    "E08000029",
    "E08000030",
    "E08000031",
];

/// The header of an ONS MYE2 single-year-of-age sheet (`Code, Name, Geography, All ages, 0 ..
/// 89, 90+`), for tests to edit.
pub(crate) fn mye2_header() -> Vec<String> {
    let mut header = vec![
        "Code".to_string(),
        "Name".into(),
        "Geography".into(),
        "All ages".into(),
    ];
    header.extend((0..90).map(|a| a.to_string()));
    header.push("90+".into());
    header
}

/// A Birmingham row of an MYE2 sheet: 10 people at every age but 17, which holds `cell17`.
pub(crate) fn mye2_birmingham_row(cell17: &str) -> String {
    let ages: Vec<String> = (0..91)
        .map(|a| {
            if a == 17 {
                cell17.to_string()
            } else {
                "10".to_string()
            }
        })
        .collect();
    format!(
        "E08000025,Birmingham,Metropolitan District,910,{}",
        ages.join(",")
    )
}
