//! `migkit._migkit.Bridge`: the geography bridge, for `migkit.geography`.

use std::collections::HashMap;
use std::path::PathBuf;

use migkit::core::{AreaCode, GeographyLevel, Period};
use migkit::harmonise::{Bridge, Recode, Vintage, default_data_dir};
use pyo3::prelude::*;

use crate::error::{PyMigkitError, PyMigkitResult};

/// Parses `None`, `"newest"` or an ISO date into a vintage.
pub(crate) fn parse_vintage(text: Option<&str>) -> PyMigkitResult<Vintage> {
    match text {
        None | Some("newest") => Ok(Vintage::Newest),
        Some(t) => match t.parse::<Period>()? {
            Period::Snapshot(date) => Ok(Vintage::AsAt(date)),
            other => Err(migkit::core::Error::parameter(
                "vintage",
                format!("must be \"newest\" or a date YYYY-MM-DD, got the period {other}"),
            )
            .into()),
        },
    }
}

fn parse_code(text: &str) -> PyMigkitResult<AreaCode> {
    Ok(text.parse::<AreaCode>()?)
}

fn date(text: &str) -> PyMigkitResult<migkit::core::NaiveDate> {
    match text.parse::<Period>()? {
        Period::Snapshot(d) => Ok(d),
        other => Ok(other.end()),
    }
}

#[pyclass(name = "Bridge", module = "migkit._migkit", frozen)]
struct PyBridge(Bridge);

#[pymethods]
impl PyBridge {
    #[staticmethod]
    #[pyo3(signature = (data_dir=None))]
    fn from_data_dir(py: Python<'_>, data_dir: Option<PathBuf>) -> PyResult<Self> {
        let dir = data_dir.unwrap_or_else(default_data_dir);
        let bridge = py
            .detach(|| Bridge::from_data_dir(&dir))
            .map_err(PyMigkitError)?;
        Ok(Self(bridge.0))
    }

    #[pyo3(signature = (code, vintage=None))]
    fn recode(&self, code: &str, vintage: Option<&str>) -> PyResult<Vec<(String, f64)>> {
        let result = self
            .0
            .recode(&parse_code(code)?, parse_vintage(vintage)?)
            .map_err(PyMigkitError)?;
        Ok(match result {
            Recode::Same(c) | Recode::Replaced(c) => vec![(c.to_string(), 1.0)],
            Recode::Split(parts) => parts.into_iter().map(|(c, w)| (c.to_string(), w)).collect(),
        })
    }

    #[pyo3(signature = (code, weights, vintage=None))]
    fn split(
        &self,
        code: &str,
        weights: HashMap<String, f64>,
        vintage: Option<&str>,
    ) -> PyResult<Vec<(String, f64)>> {
        let weights = weights
            .into_iter()
            .map(|(k, v)| Ok((parse_code(&k)?, v)))
            .collect::<PyMigkitResult<HashMap<_, _>>>()?;
        let parts = self
            .0
            .split(&parse_code(code)?, parse_vintage(vintage)?, &weights)
            .map_err(PyMigkitError)?;
        Ok(parts.into_iter().map(|(c, w)| (c.to_string(), w)).collect())
    }

    fn code_for_name(&self, name: &str, on: &str) -> PyResult<String> {
        Ok(self
            .0
            .code_for_name(name, date(on)?)
            .map_err(PyMigkitError)?
            .to_string())
    }

    fn name(&self, code: &str) -> PyResult<Option<String>> {
        Ok(self.0.name(&parse_code(code)?).map(str::to_string))
    }

    fn region_of(&self, code: &str) -> PyResult<Option<String>> {
        Ok(self.0.region_of(&parse_code(code)?).map(|c| c.to_string()))
    }

    fn upper_tier_of(&self, code: &str) -> PyResult<Option<String>> {
        Ok(self
            .0
            .upper_tier_of(&parse_code(code)?)
            .map(|c| c.to_string()))
    }

    fn lad_of(&self, code: &str) -> PyResult<Option<String>> {
        Ok(self.0.lad_of(&parse_code(code)?).map(|c| c.to_string()))
    }

    #[pyo3(signature = (parent, level="lad", vintage=None))]
    fn members(&self, parent: &str, level: &str, vintage: Option<&str>) -> PyResult<Vec<String>> {
        let level: GeographyLevel = level.parse().map_err(PyMigkitError)?;
        let members = self
            .0
            .members(&parse_code(parent)?, level, parse_vintage(vintage)?);
        Ok(members.into_iter().map(|c| c.to_string()).collect())
    }

    fn __len__(&self) -> usize {
        self.0.len()
    }

    fn __contains__(&self, code: &str) -> bool {
        code.parse::<AreaCode>()
            .is_ok_and(|c| self.0.area(&c).is_some())
    }

    fn __repr__(&self) -> String {
        format!("Bridge({} areas)", self.0.len())
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyBridge>()?;
    Ok(())
}
