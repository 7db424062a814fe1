//! Errors of the hotspot stage, converted into [`migkit_core::Error`] at the crate edge.

use migkit_core::{Error as CoreError, Location};

/// What can go wrong when building weights or computing a statistic.
///
/// Every variant names the offending area id or field, so that a message reaching a notebook
/// says what to fix.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum HotspotError {
    /// An id in the values that the weights do not know.
    #[error(
        "area {id:?} is in the values but not in the weights; build the weights from the same areas"
    )]
    UnknownId {
        /// The id as given.
        id: String,
    },
    /// An id of the weights that the values do not cover.
    #[error("area {id:?} is in the weights but has no value; give a value for every area")]
    MissingValue {
        /// The id of the weights.
        id: String,
    },
    /// The same id twice.
    #[error("area {id:?} appears more than once in {field}")]
    DuplicateId {
        /// The id.
        id: String,
        /// Where (e.g. "ids", "y").
        field: String,
    },
    /// A value that is NaN or infinite.
    #[error("{field} of area {id:?} is {value}; values must be finite numbers")]
    NonFinite {
        /// The id of the area.
        id: String,
        /// The field (e.g. "y", "x coordinate").
        field: String,
        /// The value.
        value: f64,
    },
    /// A variable that is the same in every area.
    #[error(
        "{field} has zero variance (every area has the same value); the statistic is undefined"
    )]
    ZeroVariance {
        /// The field.
        field: String,
    },
    /// Too few areas for the statistic.
    #[error("{statistic} needs at least {needed} areas, got {found}")]
    TooFew {
        /// The statistic.
        statistic: &'static str,
        /// The minimum.
        needed: usize,
        /// The number given.
        found: usize,
    },
    /// Weights in which no area has a neighbour.
    #[error(
        "every area is an island (no area has a neighbour); check the geometry or the tolerance"
    )]
    AllIslands,
    /// Lengths that do not match.
    #[error("{field} has {found} values but {expected} were expected")]
    Length {
        /// The field.
        field: String,
        /// Expected length.
        expected: usize,
        /// Found length.
        found: usize,
    },
    /// Geometry that cannot be used.
    #[error("geometry of area {id:?}: {message}")]
    Geometry {
        /// The id of the area.
        id: String,
        /// What is wrong.
        message: String,
    },
    /// GeoJSON that cannot be read.
    #[error("GeoJSON: {message}")]
    GeoJson {
        /// What is wrong (with the feature number where there is one).
        message: String,
    },
    /// A neighbour or weight that is invalid.
    #[error("weights of area {id:?}: {message}")]
    Weights {
        /// The id of the area.
        id: String,
        /// What is wrong.
        message: String,
    },
    /// A negative count or denominator (events, base, population).
    #[error("{field} of area {id:?} is {value}; it must not be negative")]
    Negative {
        /// The area id, or `"#i"` (0-based position) where no ids were given.
        id: String,
        /// The field (e.g. "events", "base").
        field: String,
        /// The value.
        value: f64,
    },
    /// A zero denominator, which makes a rate undefined.
    #[error("{field} of area {id:?} is zero; a rate needs a positive denominator")]
    ZeroBase {
        /// The area id, or `"#i"` (0-based position) where no ids were given.
        id: String,
        /// The field (e.g. "base", "population").
        field: String,
    },
    /// A parameter outside its range.
    #[error("invalid parameter {name}: {rule}")]
    Parameter {
        /// The parameter name.
        name: &'static str,
        /// The rule it broke, e.g. "must be ≥ 1".
        rule: String,
    },
}

impl From<HotspotError> for CoreError {
    fn from(e: HotspotError) -> Self {
        let message = e.to_string();
        match e {
            HotspotError::Parameter { name, rule } => CoreError::parameter(name, rule),
            HotspotError::UnknownId { id }
            | HotspotError::MissingValue { id }
            | HotspotError::DuplicateId { id, .. }
            | HotspotError::NonFinite { id, .. }
            | HotspotError::Negative { id, .. }
            | HotspotError::ZeroBase { id, .. }
            | HotspotError::Geometry { id, .. }
            | HotspotError::Weights { id, .. } => {
                CoreError::input(Location::default().area(id), message)
            }
            HotspotError::ZeroVariance { field } | HotspotError::Length { field, .. } => {
                CoreError::input(Location::default().column(field), message)
            }
            HotspotError::AllIslands
            | HotspotError::TooFew { .. }
            | HotspotError::GeoJson { .. } => CoreError::input(Location::default(), message),
        }
    }
}

/// `Result` with [`HotspotError`].
pub type Result<T, E = HotspotError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_naming_the_area() {
        let e: CoreError = HotspotError::NonFinite {
            id: "E08000025".into(),
            field: "y".into(),
            value: f64::NAN,
        }
        .into();
        let text = e.to_string();
        assert!(text.contains("area E08000025"), "{text}");
        assert!(text.contains("NaN"), "{text}");
    }
}
