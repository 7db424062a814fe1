//! Errors of the estimate stage, converted into [`migkit_core::Error`] at the crate edge.

/// What can go wrong when estimating: bad inputs, named with the rule they break.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum EstimateError {
    /// An input value that breaks a rule (negative count, zero denominator, NaN, ...).
    #[error("invalid {name}: {reason}")]
    InvalidInput {
        /// The argument, e.g. `"count"` or `"population"`.
        name: String,
        /// The rule it breaks and the offending value.
        reason: String,
    },
    /// A series too short for the statistic.
    #[error("{statistic} needs at least {needed} values, got {got}")]
    TooShort {
        /// The statistic, e.g. `"Mann-Kendall test"`.
        statistic: &'static str,
        /// The minimum number of values.
        needed: usize,
        /// The number given.
        got: usize,
    },
    /// Margins whose totals disagree, so that no table can match them all.
    #[error(
        "margins disagree: {what} ({first} vs {second}); rescale one margin so that the totals match"
    )]
    MarginsDisagree {
        /// Which totals, e.g. `"sum of row totals vs sum of column totals"`.
        what: String,
        /// The first total.
        first: f64,
        /// The second total.
        second: f64,
    },
    /// Arrays whose shapes do not fit together.
    #[error("shape mismatch: {0}")]
    Shape(String),
}

impl EstimateError {
    /// An [`EstimateError::InvalidInput`].
    pub fn input(name: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidInput {
            name: name.into(),
            reason: reason.into(),
        }
    }
}

impl From<EstimateError> for migkit_core::Error {
    fn from(e: EstimateError) -> Self {
        match &e {
            EstimateError::InvalidInput { name, reason } => {
                migkit_core::Error::parameter(name.clone(), reason.clone())
            }
            EstimateError::TooShort { .. } => {
                migkit_core::Error::parameter("series", e.to_string())
            }
            EstimateError::MarginsDisagree { .. } => {
                migkit_core::Error::parameter("margins", e.to_string())
            }
            EstimateError::Shape(_) => migkit_core::Error::parameter("shape", e.to_string()),
        }
    }
}

/// `Result` with [`EstimateError`].
pub type Result<T, E = EstimateError> = std::result::Result<T, E>;

/// Checks that a value is a finite number.
pub(crate) fn finite(name: &str, value: f64) -> Result<f64> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(EstimateError::input(
            name,
            format!("must be a finite number, got {value}"),
        ))
    }
}

/// Checks that a value is a finite number ≥ 0.
pub(crate) fn non_negative(name: &str, value: f64) -> Result<f64> {
    finite(name, value)?;
    if value < 0.0 {
        return Err(EstimateError::input(
            name,
            format!("must be ≥ 0, got {value}"),
        ));
    }
    Ok(value)
}

/// Checks a significance level.
pub(crate) fn alpha(value: f64) -> Result<f64> {
    if value.is_finite() && value > 0.0 && value < 1.0 {
        Ok(value)
    } else {
        Err(EstimateError::input(
            "alpha",
            format!("must lie strictly between 0 and 1, got {value}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_into_core_parameter_error() {
        let e: migkit_core::Error = EstimateError::input("count", "must be ≥ 0, got -1").into();
        assert_eq!(
            e.to_string(),
            "invalid parameter count: must be ≥ 0, got -1"
        );
        assert!(finite("y", f64::NAN).is_err());
        assert!(non_negative("count", -1.0).is_err());
        assert!(alpha(1.0).is_err());
    }
}
