#![doc = include_str!("../README.md")]
#![cfg_attr(not(test), deny(unused_crate_dependencies))]

pub mod change;
pub mod error;
pub mod ipf;
pub mod local_level;
pub mod mann_kendall;
pub mod rate;
pub mod reconcile;
pub mod sens_slope;
pub mod stock_flow;

/// Change between periods, shares and growth ranks.
pub use change::{Change, GrowthMeasure, GrowthRank, change, rank_growth, share};
/// The estimate error and its `Result`.
pub use error::{EstimateError, Result};
/// Raking: 2-D and 3-D iterative proportional fitting.
pub use ipf::{IpfOptions, IpfResult, Margins3, ipf2, ipf3};
/// The local-level model: Kalman filter, smoother, maximum likelihood.
pub use local_level::{LocalLevel, LocalLevelParams, local_level_fit, local_level_smooth};
/// Trend tests.
pub use mann_kendall::{MannKendall, MkMethod, Trend, mann_kendall};
/// Rates with intervals.
pub use rate::{Population, Rate, RateMethod, clopper_pearson, garwood, rate, rates, wilson};
/// Reconciliation of several sources into one series.
pub use reconcile::{AreaSeries, Flag, ReconcileOptions, Reconciled, SourceFit, reconcile};
/// Sen's slope with its interval.
pub use sens_slope::{SensSlope, sens_slope};
/// Stock–flow accounts and retention for arrivals-only sources.
pub use stock_flow::{StockFlow, exponential_retention, stock_flow};
