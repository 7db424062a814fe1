//! `migkit._migkit.country_group` / `client_group`: the classifications, for `migkit.groups`.

use migkit::harmonise::groups::{
    ClientGroup, client_group as classify_client, country_group as classify_country,
};
use pyo3::prelude::*;

#[pyfunction]
fn country_group(name: &str) -> Option<&'static str> {
    classify_country(name).map(|g| g.as_str())
}

#[pyfunction]
#[pyo3(signature = (source, measure, group=None))]
fn client_group(source: &str, measure: &str, group: Option<&str>) -> Option<&'static str> {
    classify_client(source, measure, group).map(ClientGroup::as_str)
}

#[pyfunction]
fn client_groups() -> Vec<(&'static str, Option<&'static str>, &'static str)> {
    ClientGroup::ALL
        .iter()
        .map(|g| (g.as_str(), g.parent().map(ClientGroup::as_str), g.label()))
        .collect()
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(country_group, m)?)?;
    m.add_function(wrap_pyfunction!(client_group, m)?)?;
    m.add_function(wrap_pyfunction!(client_groups, m)?)?;
    Ok(())
}
