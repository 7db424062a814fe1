#![doc = include_str!("../README.md")]

pub use migkit_core as core;
pub use migkit_estimate as estimate;
pub use migkit_harmonise as harmonise;
pub use migkit_hotspot as hotspot;
