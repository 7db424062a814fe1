#![doc = include_str!("../README.md")]

pub use migkit_core::{Error, Result};
