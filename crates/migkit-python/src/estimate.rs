//! `migkit._migkit.estimate_*`: rates, change, trend tests and IPF, for `migkit.estimate`.
//!
//! Each function extracts its inputs, runs the Rust statistic with the GIL released and returns
//! plain values or NumPy arrays; the result objects are built in `python/migkit/estimate.py`.

use migkit::core::{Error, Interval};
use migkit::estimate::{
    EstimateError, GrowthMeasure, IpfOptions, LocalLevelParams, Margins3, MkMethod, Population,
    RateMethod, ReconcileOptions, change, ipf2, ipf3, local_level_fit, local_level_smooth,
    mann_kendall, rank_growth, rates, reconcile, sens_slope, share,
};
use migkit::estimate::{exponential_retention, stock_flow};
use numpy::ndarray::{ArrayD, Ix2, Ix3};
use numpy::{
    IntoPyArray, PyArray1, PyArrayDyn, PyReadonlyArray1, PyReadonlyArray2, PyReadonlyArrayDyn,
};
use pyo3::prelude::*;

use crate::error::{PyMigkitError, PyMigkitResult};

fn err(e: EstimateError) -> PyMigkitError {
    PyMigkitError(Error::from(e))
}

type Arr<'py> = Bound<'py, PyArray1<f64>>;
/// `(rate, range_lower, range_upper, lower, upper, count_lower, count_upper)`.
type RateArrays<'py> = (
    Arr<'py>,
    Arr<'py>,
    Arr<'py>,
    Arr<'py>,
    Arr<'py>,
    Arr<'py>,
    Arr<'py>,
);

#[pyfunction]
#[pyo3(signature = (count_lower, count_upper, population, per, method, alpha, rounding=None))]
#[allow(clippy::too_many_arguments)]
fn estimate_rate<'py>(
    py: Python<'py>,
    count_lower: PyReadonlyArray1<'py, f64>,
    count_upper: PyReadonlyArray1<'py, f64>,
    population: PyReadonlyArray1<'py, f64>,
    per: f64,
    method: &str,
    alpha: f64,
    rounding: Option<f64>,
) -> PyResult<RateArrays<'py>> {
    let method = RateMethod::parse(method).map_err(err)?;
    let lo = count_lower.as_array().to_vec();
    let hi = count_upper.as_array().to_vec();
    let pop = population.as_array().to_vec();
    let out = py.detach(|| -> PyMigkitResult<_> {
        if lo.len() != hi.len() {
            return Err(err(EstimateError::Shape(format!(
                "{} count lower bounds but {} upper bounds",
                lo.len(),
                hi.len()
            ))));
        }
        let counts: Vec<Interval> = match rounding {
            Some(base) if !(base.is_finite() && base > 0.0) => {
                return Err(err(EstimateError::input(
                    "rounding",
                    format!("must be a base > 0 (e.g. 10), got {base}"),
                )));
            }
            Some(base) => lo.iter().map(|v| Interval::rounded(*v, base)).collect(),
            None => lo
                .iter()
                .zip(&hi)
                .map(|(a, b)| Interval::suppressed(*a, *b))
                .collect(),
        };
        let pops: Vec<Population> = pop.iter().map(|p| Population::unlabelled(*p)).collect();
        rates(&counts, &pops, per, method, alpha).map_err(err)
    })?;
    let col = |f: &dyn Fn(&migkit::estimate::Rate) -> f64| {
        out.iter().map(f).collect::<Vec<f64>>().into_pyarray(py)
    };
    Ok((
        col(&|r| r.rate),
        col(&|r| r.rate_range.lower),
        col(&|r| r.rate_range.upper),
        col(&|r| r.lower),
        col(&|r| r.upper),
        col(&|r| r.count.lower),
        col(&|r| r.count.upper),
    ))
}

/// `(absolute_lo, absolute_hi, fold_lo, fold_hi, growth_lo, growth_hi)`.
type ChangeTuple = (f64, f64, f64, f64, Option<f64>, Option<f64>);

#[pyfunction]
#[pyo3(signature = (start, end, years=None))]
fn estimate_change(
    py: Python<'_>,
    start: (f64, f64),
    end: (f64, f64),
    years: Option<f64>,
) -> PyResult<ChangeTuple> {
    let c = py
        .detach(|| {
            change(
                Interval::suppressed(start.0, start.1),
                Interval::suppressed(end.0, end.1),
                years,
            )
        })
        .map_err(err)?;
    Ok((
        c.absolute.lower,
        c.absolute.upper,
        c.fold.lower,
        c.fold.upper,
        c.annual_growth.map(|g| g.lower),
        c.annual_growth.map(|g| g.upper),
    ))
}

#[pyfunction]
fn estimate_share(part: (f64, f64), total: (f64, f64)) -> PyResult<(f64, f64)> {
    let s = share(
        Interval::suppressed(part.0, part.1),
        Interval::suppressed(total.0, total.1),
    )
    .map_err(err)?;
    Ok((s.lower, s.upper))
}

/// `(growth_lower, growth_upper, rank, best, worst)`.
type RankArrays<'py> = (
    Arr<'py>,
    Arr<'py>,
    Bound<'py, PyArray1<u64>>,
    Bound<'py, PyArray1<u64>>,
    Bound<'py, PyArray1<u64>>,
);

#[pyfunction]
fn estimate_rank_growth<'py>(
    py: Python<'py>,
    start_lower: PyReadonlyArray1<'py, f64>,
    start_upper: PyReadonlyArray1<'py, f64>,
    end_lower: PyReadonlyArray1<'py, f64>,
    end_upper: PyReadonlyArray1<'py, f64>,
    measure: &str,
) -> PyResult<RankArrays<'py>> {
    let measure = match measure {
        "fold" => GrowthMeasure::Fold,
        "absolute" => GrowthMeasure::Absolute,
        other => {
            return Err(err(EstimateError::input(
                "measure",
                format!("unknown measure {other:?}; use \"fold\" or \"absolute\""),
            ))
            .into());
        }
    };
    let cols = [&start_lower, &start_upper, &end_lower, &end_upper].map(|a| a.as_array().to_vec());
    let n = cols[0].len();
    if cols.iter().any(|c| c.len() != n) {
        return Err(err(EstimateError::Shape(
            "start and end bounds must all have the same length".into(),
        ))
        .into());
    }
    let ranks = py
        .detach(|| {
            let pairs: Vec<(Interval, Interval)> = (0..n)
                .map(|i| {
                    (
                        Interval::suppressed(cols[0][i], cols[1][i]),
                        Interval::suppressed(cols[2][i], cols[3][i]),
                    )
                })
                .collect();
            rank_growth(&pairs, measure)
        })
        .map_err(err)?;
    let u = |f: &dyn Fn(&migkit::estimate::GrowthRank) -> usize| {
        ranks
            .iter()
            .map(|r| f(r) as u64)
            .collect::<Vec<u64>>()
            .into_pyarray(py)
    };
    Ok((
        ranks
            .iter()
            .map(|r| r.growth.lower)
            .collect::<Vec<_>>()
            .into_pyarray(py),
        ranks
            .iter()
            .map(|r| r.growth.upper)
            .collect::<Vec<_>>()
            .into_pyarray(py),
        u(&|r| r.rank),
        u(&|r| r.best),
        u(&|r| r.worst),
    ))
}

/// `(trend, h, p, z, tau, s, var_s, slope, intercept)`.
type MkTuple = (&'static str, bool, f64, f64, f64, f64, f64, f64, f64);

#[pyfunction]
#[pyo3(signature = (y, method="original", alpha=0.05, lag=None))]
fn estimate_mann_kendall(
    py: Python<'_>,
    y: PyReadonlyArray1<'_, f64>,
    method: &str,
    alpha: f64,
    lag: Option<usize>,
) -> PyResult<MkTuple> {
    let method = MkMethod::parse(method, lag).map_err(err)?;
    let y = y.as_array().to_vec();
    let r = py.detach(|| mann_kendall(&y, method, alpha)).map_err(err)?;
    Ok((
        r.trend.as_str(),
        r.h,
        r.p,
        r.z,
        r.tau,
        r.s,
        r.var_s,
        r.slope,
        r.intercept,
    ))
}

#[pyfunction]
#[pyo3(signature = (y, alpha=0.05))]
fn estimate_sens_slope(
    py: Python<'_>,
    y: PyReadonlyArray1<'_, f64>,
    alpha: f64,
) -> PyResult<(f64, f64, f64, f64)> {
    let y = y.as_array().to_vec();
    let r = py.detach(|| sens_slope(&y, alpha)).map_err(err)?;
    Ok((r.slope, r.intercept, r.lower, r.upper))
}

fn owned(a: Option<PyReadonlyArrayDyn<'_, f64>>) -> Option<ArrayD<f64>> {
    a.map(|a| a.as_array().to_owned())
}

#[pyfunction]
#[pyo3(signature = (seed, margins, tol=1e-10, max_iter=1000, margin_tol=1e-8))]
fn estimate_ipf<'py>(
    py: Python<'py>,
    seed: PyReadonlyArrayDyn<'py, f64>,
    margins: Vec<Option<PyReadonlyArrayDyn<'py, f64>>>,
    tol: f64,
    max_iter: usize,
    margin_tol: f64,
) -> PyResult<(Bound<'py, PyArrayDyn<f64>>, usize, f64, bool)> {
    let options = IpfOptions {
        tol,
        max_iter,
        margin_tol,
    };
    let seed = seed.as_array().to_owned();
    let margins: Vec<Option<ArrayD<f64>>> = margins.into_iter().map(owned).collect();
    let out = py.detach(|| -> Result<_, EstimateError> {
        let shape_err = |what: &str| EstimateError::Shape(what.to_string());
        match seed.ndim() {
            2 => {
                if margins.len() != 2 {
                    return Err(shape_err(
                        "a 2-D seed needs margins (row_totals, col_totals); either may be None",
                    ));
                }
                let vec1 = |m: &Option<ArrayD<f64>>, name: &str| -> Result<Option<Vec<f64>>, _> {
                    match m {
                        None => Ok(None),
                        Some(a) if a.ndim() == 1 => Ok(Some(a.iter().copied().collect())),
                        Some(a) => Err(EstimateError::Shape(format!(
                            "{name} must be 1-D, got {} dimensions",
                            a.ndim()
                        ))),
                    }
                };
                let rows = vec1(&margins[0], "row totals")?;
                let cols = vec1(&margins[1], "column totals")?;
                let seed = seed
                    .into_dimensionality::<Ix2>()
                    .map_err(|e| shape_err(&e.to_string()))?;
                let r = ipf2(seed.view(), rows.as_deref(), cols.as_deref(), &options)?;
                Ok((r.fitted.into_dyn(), r.iterations, r.deviation, r.converged))
            }
            3 => {
                if !(2..=3).contains(&margins.len()) {
                    return Err(shape_err(
                        "a 3-D seed needs margins (ik, jk) or (ik, jk, ij); any may be None",
                    ));
                }
                let mut two = Vec::new();
                for (m, name) in margins.iter().zip(["ik", "jk", "ij"]) {
                    two.push(match m {
                        None => None,
                        Some(a) => Some(a.clone().into_dimensionality::<Ix2>().map_err(|_| {
                            EstimateError::Shape(format!(
                                "margin {name} must be 2-D, got {} dimensions",
                                a.ndim()
                            ))
                        })?),
                    });
                }
                let seed = seed
                    .into_dimensionality::<Ix3>()
                    .map_err(|e| shape_err(&e.to_string()))?;
                let get = |i: usize| two.get(i).and_then(|m| m.as_ref()).map(|a| a.view());
                let m = Margins3 {
                    ik: get(0),
                    jk: get(1),
                    ij: get(2),
                };
                let r = ipf3(seed.view(), m, &options)?;
                Ok((r.fitted.into_dyn(), r.iterations, r.deviation, r.converged))
            }
            d => Err(EstimateError::Shape(format!(
                "the seed must be a 2-D or 3-D array, got {d} dimensions"
            ))),
        }
    });
    let (fitted, iterations, deviation, converged) = out.map_err(err)?;
    Ok((fitted.into_pyarray(py), iterations, deviation, converged))
}

/// `(filtered, filtered_var, smoothed, smoothed_var, llf, sigma2_irregular, sigma2_level, nobs)`.
type LocalLevelTuple<'py> = (Arr<'py>, Arr<'py>, Arr<'py>, Arr<'py>, f64, f64, f64, usize);

#[pyfunction]
#[pyo3(signature = (y, sigma2_irregular=None, sigma2_level=None))]
fn estimate_local_level<'py>(
    py: Python<'py>,
    y: PyReadonlyArray1<'py, f64>,
    sigma2_irregular: Option<f64>,
    sigma2_level: Option<f64>,
) -> PyResult<LocalLevelTuple<'py>> {
    let y = y.as_array().to_vec();
    let r = py
        .detach(|| match (sigma2_irregular, sigma2_level) {
            (Some(e), Some(l)) => local_level_smooth(
                &y,
                LocalLevelParams {
                    sigma2_irregular: e,
                    sigma2_level: l,
                },
            ),
            (None, None) => local_level_fit(&y),
            _ => Err(EstimateError::input(
                "params",
                "give both sigma2_irregular and sigma2_level, or neither to estimate them",
            )),
        })
        .map_err(err)?;
    Ok((
        r.filtered.into_pyarray(py),
        r.filtered_var.into_pyarray(py),
        r.smoothed.into_pyarray(py),
        r.smoothed_var.into_pyarray(py),
        r.llf,
        r.params.sigma2_irregular,
        r.params.sigma2_level,
        r.nobs,
    ))
}

/// One area's `(value, lower, upper, level, level_var)`.
type AreaArrays<'py> = (Arr<'py>, Arr<'py>, Arr<'py>, Arr<'py>, Arr<'py>);
/// `(areas, bias, sigma2, nobs, sigma2_level, llf, iterations, converged, flags)`;
/// flags are `(area, source, period, z)`.
type ReconcileTuple<'py> = (
    Vec<AreaArrays<'py>>,
    Vec<f64>,
    Vec<f64>,
    Vec<usize>,
    f64,
    f64,
    usize,
    bool,
    Vec<(usize, usize, usize, f64)>,
);

#[pyfunction]
#[pyo3(signature = (areas, benchmark=0, max_iter=1000, tol=1e-9, flag_z=3.0, alpha=0.05))]
fn estimate_reconcile<'py>(
    py: Python<'py>,
    areas: Vec<PyReadonlyArray2<'py, f64>>,
    benchmark: usize,
    max_iter: usize,
    tol: f64,
    flag_z: f64,
    alpha: f64,
) -> PyResult<ReconcileTuple<'py>> {
    let data: Vec<Vec<Vec<f64>>> = areas
        .iter()
        .map(|a| {
            a.as_array()
                .rows()
                .into_iter()
                .map(|r| r.to_vec())
                .collect()
        })
        .collect();
    let options = ReconcileOptions {
        benchmark,
        max_iter,
        tol,
        flag_z,
        alpha,
    };
    let r = py.detach(|| reconcile(&data, &options)).map_err(err)?;
    let series = r
        .areas
        .into_iter()
        .map(|a| {
            (
                a.value.into_pyarray(py),
                a.lower.into_pyarray(py),
                a.upper.into_pyarray(py),
                a.level.into_pyarray(py),
                a.level_var.into_pyarray(py),
            )
        })
        .collect();
    Ok((
        series,
        r.sources.iter().map(|s| s.bias).collect(),
        r.sources.iter().map(|s| s.sigma2).collect(),
        r.sources.iter().map(|s| s.nobs).collect(),
        r.sigma2_level,
        r.llf,
        r.iterations,
        r.converged,
        r.flags
            .iter()
            .map(|f| (f.area, f.source, f.period, f.z))
            .collect(),
    ))
}

fn intervals(lower: &[f64], upper: &[f64]) -> Result<Vec<Interval>, EstimateError> {
    if lower.len() != upper.len() {
        return Err(EstimateError::Shape(format!(
            "{} lower bounds but {} upper bounds",
            lower.len(),
            upper.len()
        )));
    }
    Ok(lower
        .iter()
        .zip(upper)
        .map(|(a, b)| Interval::suppressed(*a, *b))
        .collect())
}

/// `(inflow_lo, inflow_hi, outflow_lo, outflow_hi, retention_lo, retention_hi, flag, evidence)`.
type StockFlowTuple = (f64, f64, f64, f64, f64, f64, bool, String);

#[pyfunction]
fn estimate_stock_flow(
    py: Python<'_>,
    stock_start: (f64, f64),
    stock_end: (f64, f64),
    inflows_lower: PyReadonlyArray1<'_, f64>,
    inflows_upper: PyReadonlyArray1<'_, f64>,
    net_internal: (f64, f64),
) -> PyResult<StockFlowTuple> {
    let lo = inflows_lower.as_array().to_vec();
    let hi = inflows_upper.as_array().to_vec();
    let r = py
        .detach(|| {
            stock_flow(
                Interval::suppressed(stock_start.0, stock_start.1),
                Interval::suppressed(stock_end.0, stock_end.1),
                &intervals(&lo, &hi)?,
                Interval::suppressed(net_internal.0, net_internal.1),
            )
        })
        .map_err(err)?;
    Ok((
        r.inflow_total.lower,
        r.inflow_total.upper,
        r.implied_outflow.lower,
        r.implied_outflow.upper,
        r.retention.lower,
        r.retention.upper,
        r.unrecorded_outflow_likely,
        r.evidence,
    ))
}

#[pyfunction]
fn estimate_exponential_retention(
    py: Python<'_>,
    stock_start: (f64, f64),
    stock_end: (f64, f64),
    times: PyReadonlyArray1<'_, f64>,
    inflows_lower: PyReadonlyArray1<'_, f64>,
    inflows_upper: PyReadonlyArray1<'_, f64>,
    horizon: f64,
) -> PyResult<(f64, f64)> {
    let t = times.as_array().to_vec();
    let lo = inflows_lower.as_array().to_vec();
    let hi = inflows_upper.as_array().to_vec();
    let r = py
        .detach(|| {
            let flows = intervals(&lo, &hi)?;
            if flows.len() != t.len() {
                return Err(EstimateError::Shape(format!(
                    "{} cohort times but {} inflows",
                    t.len(),
                    flows.len()
                )));
            }
            let cohorts: Vec<(f64, Interval)> = t.iter().copied().zip(flows).collect();
            exponential_retention(
                Interval::suppressed(stock_start.0, stock_start.1),
                Interval::suppressed(stock_end.0, stock_end.1),
                &cohorts,
                horizon,
            )
        })
        .map_err(err)?;
    Ok((r.lower, r.upper))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(estimate_rate, m)?)?;
    m.add_function(wrap_pyfunction!(estimate_change, m)?)?;
    m.add_function(wrap_pyfunction!(estimate_share, m)?)?;
    m.add_function(wrap_pyfunction!(estimate_rank_growth, m)?)?;
    m.add_function(wrap_pyfunction!(estimate_mann_kendall, m)?)?;
    m.add_function(wrap_pyfunction!(estimate_sens_slope, m)?)?;
    m.add_function(wrap_pyfunction!(estimate_ipf, m)?)?;
    m.add_function(wrap_pyfunction!(estimate_local_level, m)?)?;
    m.add_function(wrap_pyfunction!(estimate_reconcile, m)?)?;
    m.add_function(wrap_pyfunction!(estimate_stock_flow, m)?)?;
    m.add_function(wrap_pyfunction!(estimate_exponential_retention, m)?)?;
    Ok(())
}
