//! The harmonisation run: find every file in a data folder, read each with its reader, recode
//! areas to one vintage, let the newest release win, and account for every row.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use arrow_array::RecordBatch;
use migkit_core::{
    AreaCode, Error, GeographyLevel, Location, Observation, ObservationSet, Result, to_record_batch,
};
use rayon::prelude::*;

use crate::audit::{Audit, FileAudit};
use crate::duplicates::check_duplicates;
use crate::geography::{Bridge, Recode, Vintage, boundaries};
use crate::revisions::{Revision, newest_wins};
use crate::source::{ReadContext, ReadOptions, Reader, ReleaseMeta, SourceFile};
use crate::sources::all_readers;

/// Options of a harmonisation run.
#[derive(Debug, Clone, Copy, Default)]
pub struct HarmoniseOptions {
    /// The geography vintage to recode local authority codes to (default: the newest).
    pub vintage: Vintage,
    /// Stop at the first bad row (default) or list bad rows in the audit and go on.
    pub lenient: bool,
    /// Keep every release's values instead of letting the newest release of a table win.
    pub all_releases: bool,
}

/// The result of a harmonisation run.
#[derive(Debug, Clone)]
pub struct Harmonised {
    /// The observations kept, one set per file (see [`Harmonised::table`] for the Arrow table).
    pub sets: Vec<ObservationSet>,
    /// Boundaries as WKB (see [`boundaries::geometry_schema`]).
    pub geometry: RecordBatch,
    /// Every input file accounted for.
    pub audit: Audit,
    /// The releases read, one entry per release.
    pub releases: Vec<ReleaseMeta>,
    /// Values that a later release of a table changed.
    pub revisions: Vec<Revision>,
    /// The bridge built from the lookups.
    pub bridge: Bridge,
}

/// Files that are documentation, not data: listed in the audit with no rows.
fn is_documentation(relative: &str) -> bool {
    let name = relative.rsplit('/').next().unwrap_or(relative);
    name.ends_with(".md")
}

/// Every file under `dir`, as paths relative to it with `/` separators, sorted.
fn list_files(dir: &Path) -> Result<Vec<SourceFile>> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<SourceFile>) -> Result<()> {
        let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(dir, e))?;
            let path = entry.path();
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            if path.is_dir() {
                walk(&path, root, out)?;
            } else {
                let relative = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push(SourceFile { path, relative });
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort_by(|a, b| a.relative.cmp(&b.relative));
    Ok(out)
}

/// The reader that accepts a file: exactly one must.
fn reader_for<'r>(readers: &'r [Box<dyn Reader>], file: &SourceFile) -> Result<&'r dyn Reader> {
    let found: Vec<&dyn Reader> = readers
        .iter()
        .filter(|r| r.accepts(file))
        .map(|r| r.as_ref())
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(Error::input(
            Location::file(&file.relative),
            "no reader accepts this file; if it is a new release, add a reader module in migkit-harmonise/src/sources",
        )),
        many => Err(Error::input(
            Location::file(&file.relative),
            format!(
                "several readers accept this file: {}",
                many.iter().map(|r| r.id()).collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}

/// Levels whose codes change with local government reorganisation and so are recoded.
fn is_recoded(level: GeographyLevel) -> bool {
    matches!(level, GeographyLevel::Lad | GeographyLevel::Utla)
}

/// What recoding did to one code.
#[derive(Debug, Clone, Copy)]
enum Outcome {
    /// The code is in force in the target vintage.
    Current,
    /// The code was replaced by this one.
    Replaced(AreaCode),
    /// The code was split (weights needed) or is unknown (lenient run): kept as published.
    Kept,
}

/// The label written in `geography_vintage` for recoded codes: the date asked for, or the year
/// of the newest change in the lookups.
fn vintage_label(bridge: &Bridge, vintage: Vintage) -> String {
    match vintage {
        Vintage::AsAt(date) => date.to_string(),
        Vintage::Newest => bridge
            .iter()
            .filter_map(|a| bridge.succession(&a.code))
            .map(|s| s.date)
            .max()
            .map_or_else(
                || "newest".to_string(),
                |d| chrono::Datelike::year(&d).to_string(),
            ),
    }
}

/// Recodes local authority codes to `vintage`, summing areas that merged.
///
/// Codes that were split need weights and are left as published, with a note in the audit.
fn recode_set(
    set: &mut ObservationSet,
    audit: &mut FileAudit,
    bridge: &Bridge,
    vintage: Vintage,
    label: &str,
    lenient: bool,
) -> Result<()> {
    let mut cache: HashMap<AreaCode, Outcome> = HashMap::new();
    let mut split_codes: BTreeSet<String> = BTreeSet::new();
    let mut changed = false;
    for o in &mut set.observations {
        if !is_recoded(o.geography_level) {
            continue;
        }
        let outcome = match cache.get(&o.area_code) {
            Some(t) => *t,
            None => {
                let t = match bridge.recode(&o.area_code, vintage) {
                    Ok(Recode::Same(_)) => Outcome::Current,
                    Ok(Recode::Replaced(new)) => Outcome::Replaced(new),
                    Ok(Recode::Split(_)) => {
                        split_codes.insert(o.area_code.to_string());
                        Outcome::Kept
                    }
                    // A split area has several successors; recode() refuses it without weights.
                    Err(_)
                        if bridge
                            .successors(&o.area_code, vintage)
                            .is_ok_and(|s| s.len() > 1) =>
                    {
                        split_codes.insert(o.area_code.to_string());
                        Outcome::Kept
                    }
                    Err(Error::UnknownArea { code, .. }) => {
                        let err = Error::UnknownArea {
                            code,
                            context: format!(" ({}, row {})", set.file, o.source_row),
                        };
                        if lenient {
                            audit.note(err.to_string());
                            Outcome::Kept
                        } else {
                            return Err(err);
                        }
                    }
                    Err(e) => return Err(e),
                };
                cache.insert(o.area_code, t);
                t
            }
        };
        match outcome {
            Outcome::Current => o.geography_vintage = label.to_string(),
            Outcome::Replaced(new) => {
                o.area_code = new;
                if let Some(name) = bridge.name(&new) {
                    o.area_name = name.to_string();
                }
                o.geography_vintage = label.to_string();
                changed = true;
            }
            Outcome::Kept => {}
        }
    }
    for code in &split_codes {
        audit.note(format!(
            "{code} was split between several successors; its values are kept under the published code (apportion them with Bridge::split and stated weights)"
        ));
    }
    if changed {
        merge_recoded(set);
    }
    Ok(())
}

/// Sums observations that recoding gave the same area, period, measure and breakdown.
fn merge_recoded(set: &mut ObservationSet) {
    type Key = (
        AreaCode,
        migkit_core::Period,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        &'static str,
    );
    let mut index: HashMap<Key, usize> = HashMap::with_capacity(set.observations.len());
    let mut merged: Vec<Observation> = Vec::with_capacity(set.observations.len());
    for o in set.observations.drain(..) {
        let key = (
            o.area_code,
            o.period,
            o.measure.clone(),
            o.group.clone(),
            o.age.clone(),
            o.sex.clone(),
            o.unit.as_str(),
        );
        match index.get(&key) {
            Some(&i) if o.unit == migkit_core::Unit::Persons => {
                let m = &mut merged[i];
                m.add_count(&o);
                m.area_code_published =
                    format!("{}+{}", m.area_code_published, o.area_code_published);
            }
            Some(_) => {
                // Percentages cannot be summed across merged areas: keep them under their own code.
                merged.push(o);
            }
            None => {
                index.insert(key, merged.len());
                merged.push(o);
            }
        }
    }
    set.observations = merged;
}

/// Harmonises every release in `data_dir`.
///
/// # Errors
/// A file no reader accepts, a bad row (unless `lenient`), a duplicated row, an area code that
/// none of the lookups knows, or an audit that does not balance.
pub fn harmonise(data_dir: &Path, options: &HarmoniseOptions) -> Result<Harmonised> {
    if !data_dir.is_dir() {
        return Err(Error::Io {
            path: data_dir.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "the data folder does not exist; pass --data DIR or set MIGKIT_DATA",
            ),
        });
    }
    let (bridge, lookup_audits) = Bridge::from_data_dir(data_dir)?;
    let (geometry, boundary_audits) = boundaries::read_boundaries(data_dir)?;
    let handled: std::collections::HashSet<String> = lookup_audits
        .iter()
        .chain(&boundary_audits)
        .map(|a| a.path.clone())
        .collect();

    let readers = all_readers();
    let files = list_files(data_dir)?;
    let mut documentation = Vec::new();
    let mut work = Vec::new();
    for file in files {
        if handled.contains(&file.relative) {
            continue;
        }
        if is_documentation(&file.relative) {
            documentation.push(file);
            continue;
        }
        let reader = reader_for(&readers, &file)?;
        work.push((file, reader));
    }

    let label = vintage_label(&bridge, options.vintage);
    let ctx = ReadContext {
        bridge: &bridge,
        options: ReadOptions {
            strict: !options.lenient,
        },
        data_dir,
    };
    let outputs: Vec<Result<(ReleaseMeta, ObservationSet, FileAudit)>> = work
        .par_iter()
        .map(|(file, reader)| {
            let meta = reader.release(file);
            let mut out = reader.read(file, &ctx)?;
            out.audit.check_rows()?;
            check_duplicates(&out.observations)?;
            out.audit.observations = out.observations.observations.len() as u64;
            recode_set(
                &mut out.observations,
                &mut out.audit,
                &bridge,
                options.vintage,
                &label,
                options.lenient,
            )?;
            Ok((meta, out.observations, out.audit))
        })
        .collect();

    let mut audits: Vec<FileAudit> = lookup_audits;
    audits.extend(boundary_audits);
    let mut sets = Vec::new();
    for out in outputs {
        let (meta, set, audit) = out?;
        audits.push(audit);
        sets.push((meta, set));
    }
    for file in documentation {
        let bytes = std::fs::read(&file.path).map_err(|e| Error::io(&file.path, e))?;
        let mut audit = FileAudit::new(&file.relative, &bytes, "documentation", "");
        audit.note("documentation (provenance), read by people; no data rows");
        audits.push(audit);
    }
    audits.sort_by(|a, b| a.path.cmp(&b.path));

    let mut releases: Vec<ReleaseMeta> = sets.iter().map(|(m, _)| m.clone()).collect();
    releases.sort_by(|a, b| a.id.cmp(&b.id));
    releases.dedup_by(|a, b| a.id == b.id);

    let (kept, revisions) = if options.all_releases {
        (sets, Vec::new())
    } else {
        newest_wins(sets)
    };
    let mut kept: Vec<ObservationSet> = kept.into_iter().map(|(_, s)| s).collect();
    kept.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(Harmonised {
        sets: kept,
        geometry,
        audit: Audit { files: audits },
        releases,
        revisions,
        bridge,
    })
}

impl Harmonised {
    /// The tidy table as one Arrow record batch (see [`migkit_core::observation_schema`]).
    pub fn table(&self) -> Result<RecordBatch> {
        to_record_batch(&self.sets)
    }

    /// Every observation kept, across files.
    pub fn observations(&self) -> impl Iterator<Item = &Observation> {
        self.sets.iter().flat_map(|s| s.observations.iter())
    }

    /// Number of observations kept.
    pub fn len(&self) -> usize {
        self.sets.iter().map(|s| s.observations.len()).sum()
    }

    /// True if no observation was kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Per-source summary lines: files, rows read / used / rejected, observations, totals balanced.
pub fn summary(audit: &Audit) -> Vec<SourceSummary> {
    let mut by_reader: BTreeMap<&str, SourceSummary> = BTreeMap::new();
    for f in &audit.files {
        let s = by_reader.entry(&f.reader).or_insert_with(|| SourceSummary {
            reader: f.reader.clone(),
            ..SourceSummary::default()
        });
        s.files += 1;
        s.rows_read += f.rows_read;
        s.rows_used += f.rows_used;
        s.rows_rejected += f.rows_rejected;
        s.observations += f.observations;
        s.totals_checked += f.totals.len() as u64;
        s.totals_unbalanced += f.totals.iter().filter(|t| !t.balanced).count() as u64;
    }
    by_reader.into_values().collect()
}

/// One line of [`summary`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceSummary {
    /// Reader id.
    pub reader: String,
    /// Files read.
    pub files: u64,
    /// Rows read.
    pub rows_read: u64,
    /// Rows used.
    pub rows_used: u64,
    /// Rows rejected (each listed in the audit).
    pub rows_rejected: u64,
    /// Observations emitted.
    pub observations: u64,
    /// Totals checked.
    pub totals_checked: u64,
    /// Totals that do not balance (each carries a note saying why).
    pub totals_unbalanced: u64,
}
