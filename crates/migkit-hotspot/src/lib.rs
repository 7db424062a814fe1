#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod error;
pub mod fdr;
pub mod getis_ord;
pub mod local_moran;
pub mod moran;
mod normal;
pub mod permutation;
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
/// Spatial weights.
pub use weights::{Transform, Weights};
