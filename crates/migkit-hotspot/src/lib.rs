#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod error;
pub mod fdr;
pub mod getis_ord;
pub mod local_moran;
pub mod moran;
mod normal;
pub mod permutation;
pub mod pressure;
pub mod smoothing;
pub mod weights;

/// The crate's error and `Result`.
pub use error::{HotspotError, Result};
/// FDR, Bonferroni and cluster labels.
pub use fdr::{Correction, cluster_labels, fdr, significant};
/// Local Getis–Ord G and G*.
pub use getis_ord::{LocalG, LocalGOptions, local_g};
/// Local Moran's I.
pub use local_moran::{LocalMoran, LocalMoranOptions, Quadrant, local_moran};
/// Global Moran's I.
pub use moran::{Moran, MoranOptions, moran};
/// Pressure and saturation against policy thresholds.
pub use pressure::{AreaPressure, PressureStatus, THRESHOLDS, Threshold, pressure};
/// Rate smoothing: excess risk, global and spatial empirical Bayes.
pub use smoothing::{
    SmoothingMethod, empirical_bayes, excess_risk, smooth, spatial_empirical_bayes,
};
/// Spatial weights.
pub use weights::{Transform, Weights};
