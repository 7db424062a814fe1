//! Python bindings of migkit: conversion, GIL release and error mapping only; every statistic
//! and reader lives in the Rust crates.

mod error;
mod estimate;
mod exceptions;
mod geography;
mod groups;
mod harmonise;
mod hotspot;
mod pressure;

use pyo3::prelude::*;

#[pyfunction]
fn ___version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// Warns notebook users who built the extension without optimisations (it is much slower).
fn check_debug_build(py: Python<'_>) -> PyResult<()> {
    if cfg!(debug_assertions) {
        let warnings = py.import("warnings")?;
        warnings.call_method1(
            "warn",
            ("migkit was built in debug mode and will be slow; build with `maturin develop --release`",),
        )?;
    }
    Ok(())
}

#[pymodule(gil_used = false)]
fn _migkit(py: Python<'_>, m: &Bound<'_, PyModule>) -> PyResult<()> {
    if std::env::var_os("MIGKIT_QUIET_DEBUG").is_none() {
        check_debug_build(py)?;
    }
    m.add_function(wrap_pyfunction!(___version, m)?)?;
    exceptions::register(m)?;
    harmonise::register(m)?;
    hotspot::register(m)?;
    pressure::register(m)?;
    geography::register(m)?;
    groups::register(m)?;
    estimate::register(m)?;
    Ok(())
}
