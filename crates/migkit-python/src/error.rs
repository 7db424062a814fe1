//! The one place where Rust errors become Python exceptions.

use migkit::core::Error;
use pyo3::PyErr;

use crate::exceptions::{
    AreaCodeError, DataFileError, HarmoniseError, InputError, ParameterError, PeriodError,
    SchemaError,
};

/// A migkit error on its way to Python.
pub(crate) struct PyMigkitError(pub(crate) Error);

impl From<Error> for PyMigkitError {
    fn from(e: Error) -> Self {
        Self(e)
    }
}

impl From<PyMigkitError> for PyErr {
    fn from(e: PyMigkitError) -> PyErr {
        let message = e.0.to_string();
        match e.0 {
            Error::InvalidAreaCode { .. } | Error::UnknownArea { .. } => {
                AreaCodeError::new_err(message)
            }
            Error::InvalidPeriod { .. } => PeriodError::new_err(message),
            Error::InvalidParameter { .. } => ParameterError::new_err(message),
            Error::MissingColumn { .. } => SchemaError::new_err(message),
            Error::Input { .. } => InputError::new_err(message),
            Error::Io { .. } => DataFileError::new_err(message),
            _ => HarmoniseError::new_err(message),
        }
    }
}

/// `Result` whose error converts into a Python exception.
pub(crate) type PyMigkitResult<T> = Result<T, PyMigkitError>;
