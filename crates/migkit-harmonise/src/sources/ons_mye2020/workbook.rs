//! The workbook, parsed once per process and file version.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::SystemTime;

use calamine::{Data, Range, Reader as _};
use migkit_core::{Error, Location, Result};

use super::table::Table;
use super::{MYE2_SHEETS, MYE3, MYE4};

/// The sheets of a workbook that the readers use.
pub(crate) struct Workbook {
    names: Vec<String>,
    sheets: HashMap<String, Range<Data>>,
}

impl Workbook {
    pub(crate) fn open(path: &Path) -> Result<Self> {
        let mut book = calamine::open_workbook_auto(path).map_err(|e| {
            Error::input(
                Location::file(path),
                format!("cannot read the workbook: {e}"),
            )
        })?;
        let names = book.sheet_names();
        let mut sheets = HashMap::new();
        for name in MYE2_SHEETS.iter().map(|s| s.0).chain([MYE3, MYE4]) {
            if names.iter().any(|n| n == name) {
                let range = book.worksheet_range(name).map_err(|e| {
                    Error::input(
                        Location::file(path).sheet(name),
                        format!("cannot read the sheet: {e}"),
                    )
                })?;
                sheets.insert(name.to_string(), range);
            }
        }
        Ok(Self { names, sheets })
    }

    pub(crate) fn table(&self, path: &Path, sheet: &str) -> Result<Table> {
        let range = self.sheets.get(sheet).ok_or_else(|| {
            Error::input(
                Location::file(path).sheet(sheet),
                format!(
                    "the sheet is missing; the workbook has: {}",
                    self.names.join(", ")
                ),
            )
        })?;
        Table::from_sheet(path, sheet, range)
    }
}

type WorkbookKey = (PathBuf, u64, Option<SystemTime>);
type WorkbookSlot = Arc<Mutex<Option<Arc<Workbook>>>>;

/// The parsed workbook at `path`, parsed once per process and file version (path, size,
/// modification time) however many readers ask for it, in whatever threads.
pub(crate) fn workbook(path: &Path) -> Result<Arc<Workbook>> {
    static CACHE: OnceLock<Mutex<HashMap<WorkbookKey, WorkbookSlot>>> = OnceLock::new();
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    let key = (
        path.canonicalize().unwrap_or_else(|_| path.to_path_buf()),
        meta.len(),
        meta.modified().ok(),
    );
    let slot = {
        let mut cache = CACHE
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        // A few workbooks at most are read in a run; drop old versions rather than grow.
        if cache.len() >= 8 && !cache.contains_key(&key) {
            cache.clear();
        }
        cache.entry(key).or_default().clone()
    };
    let mut parsed = slot.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(book) = parsed.as_ref() {
        return Ok(book.clone());
    }
    let book = Arc::new(Workbook::open(path)?);
    *parsed = Some(book.clone());
    Ok(book)
}
