//! `migkit._migkit.harmonise_load`: the harmonisation run, for `migkit.harmonise.load`.

use std::path::PathBuf;

use migkit::harmonise::default_data_dir;
use migkit::harmonise::pipeline::{HarmoniseOptions, harmonise};
use pyo3::prelude::*;
use pyo3_arrow::PyTable;

use crate::error::PyMigkitResult;
use crate::geography::parse_vintage;

/// Everything a run produces, converted for Python: (observations, geometry, audit JSON,
/// releases JSON, revisions JSON).
type LoadResult<'py> = (Bound<'py, PyAny>, Bound<'py, PyAny>, String, String, String);

#[pyfunction]
#[pyo3(signature = (data_dir=None, *, vintage=None, lenient=false, all_releases=false))]
fn harmonise_load<'py>(
    py: Python<'py>,
    data_dir: Option<PathBuf>,
    vintage: Option<String>,
    lenient: bool,
    all_releases: bool,
) -> PyResult<LoadResult<'py>> {
    let options = HarmoniseOptions {
        vintage: parse_vintage(vintage.as_deref())?,
        lenient,
        all_releases,
    };
    let data_dir = data_dir.unwrap_or_else(default_data_dir);
    let run = py.detach(|| -> PyMigkitResult<_> {
        let run = harmonise(&data_dir, &options)?;
        let table = run.table()?;
        Ok((run, table))
    });
    let (run, table) = run?;
    let revisions = serde_json::to_string(&run.revisions).unwrap_or_default();
    let releases = serde_json::to_string(&run.releases).unwrap_or_default();
    let audit = run.audit.to_json();
    let schema = table.schema();
    let observations = PyTable::try_new(vec![table], schema)?.into_pyarrow(py)?;
    let geometry =
        PyTable::try_new(vec![run.geometry.clone()], run.geometry.schema())?.into_pyarrow(py)?;
    Ok((observations, geometry, audit, releases, revisions))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(harmonise_load, m)?)?;
    Ok(())
}
