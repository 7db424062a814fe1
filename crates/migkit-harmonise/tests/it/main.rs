//! Integration tests: the whole data folder harmonised, and the pipeline's own rules.

mod pipeline;
mod rollups;
