//! `migkit._migkit.Weights` and the `hotspot_*` functions, for `migkit.weights` and
//! `migkit.hotspot`: extraction, a call into `migkit::hotspot` without the GIL, and conversion.

use migkit::hotspot::weights::{contiguity, distance};
use migkit::hotspot::{
    Correction, HotspotError, LocalGOptions, LocalMoranOptions, MoranOptions, Quadrant, Transform,
    Weights,
};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use crate::error::PyMigkitError;

fn err(e: HotspotError) -> PyErr {
    PyMigkitError(e.into()).into()
}

/// Spatial weights (CSR with ids).
#[pyclass(name = "Weights", module = "migkit._migkit", frozen)]
pub(crate) struct PyWeights(Weights);

#[pymethods]
impl PyWeights {
    #[staticmethod]
    #[pyo3(signature = (ids, neighbours, weights=None))]
    fn from_neighbours(
        py: Python<'_>,
        ids: Vec<String>,
        neighbours: Vec<Vec<String>>,
        weights: Option<Vec<Vec<f64>>>,
    ) -> PyResult<Self> {
        py.detach(|| Weights::from_neighbours(ids, &neighbours, weights.as_deref()))
            .map(Self)
            .map_err(err)
    }

    #[staticmethod]
    #[pyo3(signature = (ids, wkb, *, rook=false, tolerance=0.0))]
    fn from_wkb(
        py: Python<'_>,
        ids: Vec<String>,
        wkb: Vec<Bound<'_, PyBytes>>,
        rook: bool,
        tolerance: f64,
    ) -> PyResult<Self> {
        let bytes: Vec<Vec<u8>> = wkb.iter().map(|b| b.as_bytes().to_vec()).collect();
        py.detach(|| {
            let polygons = contiguity::polygons_from_wkb(&ids, &bytes)?;
            if rook {
                contiguity::rook(ids, &polygons, tolerance)
            } else {
                contiguity::queen(ids, &polygons, tolerance)
            }
        })
        .map(Self)
        .map_err(err)
    }

    #[staticmethod]
    #[pyo3(signature = (text, id_field, *, rook=false, tolerance=0.0))]
    fn from_geojson(
        py: Python<'_>,
        text: String,
        id_field: String,
        rook: bool,
        tolerance: f64,
    ) -> PyResult<Self> {
        py.detach(|| {
            let (ids, polygons) = contiguity::polygons_from_geojson(&text, &id_field)?;
            if rook {
                contiguity::rook(ids, &polygons, tolerance)
            } else {
                contiguity::queen(ids, &polygons, tolerance)
            }
        })
        .map(Self)
        .map_err(err)
    }

    #[staticmethod]
    fn knn(py: Python<'_>, ids: Vec<String>, points: Vec<(f64, f64)>, k: usize) -> PyResult<Self> {
        py.detach(|| distance::knn(ids, &points, k))
            .map(Self)
            .map_err(err)
    }

    #[staticmethod]
    #[pyo3(signature = (ids, points, threshold, *, binary=true, alpha=-1.0))]
    fn distance_band(
        py: Python<'_>,
        ids: Vec<String>,
        points: Vec<(f64, f64)>,
        threshold: f64,
        binary: bool,
        alpha: f64,
    ) -> PyResult<Self> {
        py.detach(|| distance::distance_band(ids, &points, threshold, binary, alpha))
            .map(Self)
            .map_err(err)
    }

    fn transformed(&self, transform: &str) -> PyResult<Self> {
        let t = Transform::parse(transform).map_err(err)?;
        Ok(Self(self.0.transformed(t)))
    }

    #[getter]
    fn ids(&self) -> Vec<String> {
        self.0.ids().to_vec()
    }

    #[getter]
    fn n(&self) -> usize {
        self.0.n()
    }

    #[getter]
    fn transform(&self) -> &'static str {
        self.0.transformation().code()
    }

    #[getter]
    fn islands(&self) -> Vec<String> {
        self.0.islands().into_iter().map(String::from).collect()
    }

    #[getter]
    fn cardinalities(&self) -> Vec<usize> {
        self.0.cardinalities()
    }

    #[getter]
    fn s0_s1_s2(&self) -> (f64, f64, f64) {
        self.0.moments()
    }

    fn neighbours(&self) -> Vec<(String, Vec<(String, f64)>)> {
        self.0.to_neighbours()
    }

    fn lag(&self, py: Python<'_>, y: Vec<f64>) -> PyResult<Vec<f64>> {
        py.detach(|| self.0.lag(&y)).map_err(err)
    }

    fn align(&self, ids: Vec<String>, values: Vec<f64>) -> PyResult<Vec<f64>> {
        self.0.align(&ids, &values).map_err(err)
    }
}

#[pyfunction]
#[pyo3(signature = (y, w, *, transformation="r", permutations=999, seed=None, two_tailed=true))]
fn hotspot_moran<'py>(
    py: Python<'py>,
    y: Vec<f64>,
    w: &PyWeights,
    transformation: &str,
    permutations: usize,
    seed: Option<u64>,
    two_tailed: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let options = MoranOptions {
        transform: Transform::parse(transformation).map_err(err)?,
        permutations,
        seed,
        two_tailed,
    };
    let m = py
        .detach(|| migkit::hotspot::moran(&y, &w.0, &options))
        .map_err(err)?;
    let d = PyDict::new(py);
    for (k, v) in [
        ("I", m.i),
        ("EI", m.ei),
        ("VI_norm", m.vi_norm),
        ("seI_norm", m.se_i_norm),
        ("z_norm", m.z_norm),
        ("p_norm", m.p_norm),
        ("VI_rand", m.vi_rand),
        ("seI_rand", m.se_i_rand),
        ("z_rand", m.z_rand),
        ("p_rand", m.p_rand),
        ("p_sim", m.p_sim),
        ("EI_sim", m.ei_sim),
        ("seI_sim", m.se_i_sim),
        ("z_sim", m.z_sim),
        ("p_z_sim", m.p_z_sim),
    ] {
        d.set_item(k, v)?;
    }
    d.set_item("n", m.n)?;
    d.set_item("permutations", m.permutations)?;
    d.set_item("seed", m.seed)?;
    Ok(d)
}

#[pyfunction]
#[pyo3(signature = (y, w, *, transformation="r", permutations=999, seed=None))]
fn hotspot_local_moran<'py>(
    py: Python<'py>,
    y: Vec<f64>,
    w: &PyWeights,
    transformation: &str,
    permutations: usize,
    seed: Option<u64>,
) -> PyResult<Bound<'py, PyDict>> {
    let options = LocalMoranOptions {
        transform: Transform::parse(transformation).map_err(err)?,
        permutations,
        seed,
    };
    let m = py
        .detach(|| migkit::hotspot::local_moran(&y, &w.0, &options))
        .map_err(err)?;
    let d = PyDict::new(py);
    d.set_item("q", m.q.iter().map(|q| *q as u32).collect::<Vec<u32>>())?;
    for (k, v) in [
        ("Is", m.is),
        ("EI", m.ei),
        ("VI", m.vi),
        ("p_sim", m.p_sim),
        ("EI_sim", m.ei_sim),
        ("seI_sim", m.se_i_sim),
        ("z_sim", m.z_sim),
        ("p_z_sim", m.p_z_sim),
    ] {
        d.set_item(k, v)?;
    }
    d.set_item("permutations", m.permutations)?;
    d.set_item("seed", m.seed)?;
    Ok(d)
}

#[pyfunction]
#[pyo3(signature = (y, w, *, star=false, self_weight=None, transform="r", permutations=999, seed=None))]
#[allow(clippy::too_many_arguments)]
fn hotspot_local_g<'py>(
    py: Python<'py>,
    y: Vec<f64>,
    w: &PyWeights,
    star: bool,
    self_weight: Option<f64>,
    transform: &str,
    permutations: usize,
    seed: Option<u64>,
) -> PyResult<Bound<'py, PyDict>> {
    let options = LocalGOptions {
        transform: Transform::parse(transform).map_err(err)?,
        star,
        self_weight,
        permutations,
        seed,
    };
    let g = py
        .detach(|| migkit::hotspot::local_g(&y, &w.0, &options))
        .map_err(err)?;
    let d = PyDict::new(py);
    for (k, v) in [
        ("Gs", g.gs),
        ("EGs", g.egs),
        ("VGs", g.vgs),
        ("Zs", g.zs),
        ("p_norm", g.p_norm),
        ("p_sim", g.p_sim),
        ("EG_sim", g.eg_sim),
        ("seG_sim", g.se_g_sim),
        ("z_sim", g.z_sim),
        ("p_z_sim", g.p_z_sim),
    ] {
        d.set_item(k, v)?;
    }
    d.set_item("star", g.star)?;
    d.set_item("permutations", g.permutations)?;
    d.set_item("seed", g.seed)?;
    Ok(d)
}

#[pyfunction]
#[pyo3(signature = (p, alpha=0.05))]
fn hotspot_fdr(p: Vec<f64>, alpha: f64) -> PyResult<f64> {
    migkit::hotspot::fdr(&p, alpha).map_err(err)
}

#[pyfunction]
#[pyo3(signature = (q, p, alpha=0.05, correction="none"))]
fn hotspot_cluster_labels(
    q: Vec<u8>,
    p: Vec<f64>,
    alpha: f64,
    correction: &str,
) -> PyResult<Vec<&'static str>> {
    let correction = Correction::parse(correction).map_err(err)?;
    let q = q
        .iter()
        .enumerate()
        .map(|(i, &code)| match code {
            1 => Ok(Quadrant::HighHigh),
            2 => Ok(Quadrant::LowHigh),
            3 => Ok(Quadrant::LowLow),
            4 => Ok(Quadrant::HighLow),
            _ => Err(err(HotspotError::Parameter {
                name: "q",
                rule: format!("quadrant codes are 1–4, got {code} at position {i}"),
            })),
        })
        .collect::<PyResult<Vec<_>>>()?;
    migkit::hotspot::cluster_labels(&q, &p, alpha, correction).map_err(err)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyWeights>()?;
    m.add_function(wrap_pyfunction!(hotspot_moran, m)?)?;
    m.add_function(wrap_pyfunction!(hotspot_local_moran, m)?)?;
    m.add_function(wrap_pyfunction!(hotspot_local_g, m)?)?;
    m.add_function(wrap_pyfunction!(hotspot_fdr, m)?)?;
    m.add_function(wrap_pyfunction!(hotspot_cluster_labels, m)?)?;
    Ok(())
}
