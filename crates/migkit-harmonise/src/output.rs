//! Writing a run's outputs: `observations.parquet`, `geometry.parquet`, `audit.json`,
//! `releases.json` and `revisions.csv`, each written to a temporary file and renamed into place so
//! that an interrupted run never leaves a half-written output.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use arrow_array::RecordBatch;
use migkit_core::{Error, Location, Result};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use crate::pipeline::Harmonised;
use crate::revisions::Revision;

/// Writes `contents` to `path` through a temporary file in the same folder and a rename.
pub fn write_atomic(path: &Path, contents: impl FnOnce(&mut File) -> Result<()>) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        contents(&mut file)?;
        file.sync_all().map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Writes a record batch as a Parquet file (Snappy-compressed).
pub fn write_parquet(path: &Path, batch: &RecordBatch) -> Result<()> {
    write_atomic(path, |file| {
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build();
        let mut writer = ArrowWriter::try_new(file, batch.schema(), Some(props)).map_err(|e| {
            Error::input(Location::file(path), format!("cannot write Parquet: {e}"))
        })?;
        writer
            .write(batch)
            .and_then(|_| writer.close().map(|_| ()))
            .map_err(|e| Error::input(Location::file(path), format!("cannot write Parquet: {e}")))
    })
}

/// Reads a Parquet file written by [`write_parquet`] back into one record batch.
pub fn read_parquet(path: &Path) -> Result<RecordBatch> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let parquet_err = |e: parquet::errors::ParquetError| {
        Error::input(Location::file(path), format!("cannot read Parquet: {e}"))
    };
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(parquet_err)?;
    let schema = builder.schema().clone();
    let reader = builder.build().map_err(parquet_err)?;
    let batches = reader.collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(arrow_select::concat::concat_batches(&schema, &batches)?)
}

fn write_text(path: &Path, text: &str) -> Result<()> {
    write_atomic(path, |f| {
        f.write_all(text.as_bytes()).map_err(|e| Error::io(path, e))
    })
}

/// Revisions as CSV text.
pub fn revisions_csv(revisions: &[Revision]) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in revisions {
        w.serialize(r).map_err(|e| {
            Error::input(Location::default(), format!("cannot write revisions: {e}"))
        })?;
    }
    if revisions.is_empty() {
        w.write_record([
            "table",
            "area_code",
            "period",
            "measure",
            "group",
            "age",
            "sex",
            "old_release",
            "old_value",
            "new_release",
            "new_value",
        ])
        .map_err(|e| Error::input(Location::default(), e.to_string()))?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Error::input(Location::default(), e.to_string()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The files a run writes, by name.
pub const OUTPUT_FILES: &[&str] = &[
    "observations.parquet",
    "geometry.parquet",
    "audit.json",
    "releases.json",
    "revisions.csv",
];

/// Writes every output of a run into `out_dir`, returning the paths written.
pub fn write_outputs(out_dir: &Path, run: &Harmonised) -> Result<Vec<PathBuf>> {
    let path = |name: &str| out_dir.join(name);
    write_parquet(&path("observations.parquet"), &run.table()?)?;
    write_parquet(&path("geometry.parquet"), &run.geometry)?;
    write_text(&path("audit.json"), &run.audit.to_json())?;
    let releases = serde_json::to_string_pretty(&run.releases).unwrap_or_default();
    write_text(&path("releases.json"), &releases)?;
    write_text(&path("revisions.csv"), &revisions_csv(&run.revisions)?)?;
    Ok(OUTPUT_FILES.iter().map(|n| path(n)).collect())
}
