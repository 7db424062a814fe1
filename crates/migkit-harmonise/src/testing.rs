//! Helpers for the crate's own tests: the shared data folder and a checked read of one file.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::audit::emitted_by_measure;
use crate::geography::Bridge;
use crate::source::{ReadContext, ReadOptions, ReadOutput, Reader, SourceFile};

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
    let _ = emitted_by_measure(&out.observations);
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
