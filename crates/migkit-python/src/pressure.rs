//! `hotspot_eb_smooth`, `hotspot_pressure` and `hotspot_thresholds`, for `migkit.hotspot`:
//! extraction, a call into `migkit::hotspot::{smoothing, pressure}` without the GIL, and
//! conversion.

use migkit::core::{Interval, NaiveDate};
use migkit::hotspot::pressure::{THRESHOLDS, Threshold};
use migkit::hotspot::{HotspotError, SmoothingMethod, Weights};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::error::PyMigkitError;

fn err(e: HotspotError) -> PyErr {
    PyMigkitError(e.into()).into()
}

#[pyfunction]
#[pyo3(signature = (events, base, method="global", ids=None, neighbours=None, weights=None))]
fn hotspot_eb_smooth(
    py: Python<'_>,
    events: Vec<f64>,
    base: Vec<f64>,
    method: &str,
    ids: Option<Vec<String>>,
    neighbours: Option<Vec<Vec<String>>>,
    weights: Option<Vec<Vec<f64>>>,
) -> PyResult<Vec<f64>> {
    let method = SmoothingMethod::parse(method).map_err(err)?;
    py.detach(|| {
        let w = match (ids, neighbours) {
            (Some(ids), Some(nb)) => Some(Weights::from_neighbours(ids, &nb, weights.as_deref())?),
            _ => None,
        };
        migkit::hotspot::smooth(&events, &base, w.as_ref(), method)
    })
    .map_err(err)
}

fn threshold_dict<'py>(py: Python<'py>, t: &Threshold) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("key", t.key.as_ref())?;
    d.set_item("label", t.label.as_ref())?;
    d.set_item("numerator", t.numerator)?;
    d.set_item("per", t.per)?;
    d.set_item("rate", t.rate())?;
    d.set_item("unit", t.unit.as_ref())?;
    d.set_item("denominator", t.denominator.as_ref())?;
    d.set_item("source", t.source.as_ref())?;
    d.set_item("from", t.from.map(|d| d.to_string()))?;
    d.set_item("until", t.until.map(|d| d.to_string()))?;
    Ok(d)
}

#[pyfunction]
fn hotspot_thresholds(py: Python<'_>) -> PyResult<Vec<Bound<'_, PyDict>>> {
    THRESHOLDS.iter().map(|t| threshold_dict(py, t)).collect()
}

#[pyfunction]
#[pyo3(signature = (
    ids, count, population, *, threshold="asylum_dispersal", value=None, date=None, margin=0.1,
    count_lower=None, count_upper=None,
))]
#[allow(clippy::too_many_arguments)]
fn hotspot_pressure<'py>(
    py: Python<'py>,
    ids: Vec<String>,
    count: Vec<f64>,
    population: Vec<f64>,
    threshold: &str,
    value: Option<f64>,
    date: Option<&str>,
    margin: f64,
    count_lower: Option<Vec<f64>>,
    count_upper: Option<Vec<f64>>,
) -> PyResult<Bound<'py, PyDict>> {
    let day = date
        .map(|s| {
            s.parse::<NaiveDate>().map_err(|_| {
                err(HotspotError::Parameter {
                    name: "date",
                    rule: format!("{s:?} is not an ISO date (YYYY-MM-DD)"),
                })
            })
        })
        .transpose()?;
    let t = match value {
        Some(v) => Threshold::custom(threshold, v, 1.0).map_err(err)?,
        None => Threshold::lookup(threshold, day).map_err(err)?.clone(),
    };
    let intervals = if count_lower.is_some() || count_upper.is_some() {
        let n = count.len();
        let lo = count_lower.unwrap_or_else(|| count.clone());
        let hi = count_upper.unwrap_or_else(|| count.clone());
        if lo.len() != n || hi.len() != n {
            return Err(err(HotspotError::Length {
                field: "count_lower/count_upper".into(),
                expected: n,
                found: if lo.len() != n { lo.len() } else { hi.len() },
            }));
        }
        Some(
            lo.iter()
                .zip(&hi)
                .map(|(&l, &h)| Interval::suppressed(l, h))
                .collect::<Vec<_>>(),
        )
    } else {
        None
    };
    let areas = py
        .detach(|| {
            migkit::hotspot::pressure(&ids, &count, intervals.as_deref(), &population, &t, margin)
        })
        .map_err(err)?;
    let d = PyDict::new(py);
    let col = |f: fn(&migkit::hotspot::AreaPressure) -> f64| -> Vec<f64> {
        areas.iter().map(f).collect()
    };
    d.set_item("rate", col(|a| a.rate))?;
    d.set_item("ratio", col(|a| a.ratio))?;
    d.set_item("limit", col(|a| a.limit))?;
    d.set_item("headroom", col(|a| a.headroom))?;
    d.set_item("rate_lower", col(|a| a.rate_lower))?;
    d.set_item("rate_upper", col(|a| a.rate_upper))?;
    d.set_item("headroom_lower", col(|a| a.headroom_lower))?;
    d.set_item(
        "status",
        areas.iter().map(|a| a.status.as_str()).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "threshold_in_interval",
        areas
            .iter()
            .map(|a| a.threshold_in_interval)
            .collect::<Vec<_>>(),
    )?;
    d.set_item("threshold", threshold_dict(py, &t)?)?;
    Ok(d)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(hotspot_eb_smooth, m)?)?;
    m.add_function(wrap_pyfunction!(hotspot_pressure, m)?)?;
    m.add_function(wrap_pyfunction!(hotspot_thresholds, m)?)?;
    Ok(())
}
