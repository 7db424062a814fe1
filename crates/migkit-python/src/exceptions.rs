//! The Python exception hierarchy: every migkit error is a `migkit.MigkitError` (a `ValueError`).

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

create_exception!(
    migkit.exceptions,
    MigkitError,
    PyValueError,
    "Base class of every error migkit raises."
);
create_exception!(
    migkit.exceptions,
    InputError,
    MigkitError,
    "A published file that cannot be read as expected (names file, row, column)."
);
create_exception!(
    migkit.exceptions,
    SchemaError,
    InputError,
    "A column that a reader needs is missing from a file."
);
create_exception!(
    migkit.exceptions,
    AreaCodeError,
    MigkitError,
    "An area code that is malformed or in none of the geography lookups."
);
create_exception!(
    migkit.exceptions,
    PeriodError,
    MigkitError,
    "A period that migkit cannot parse."
);
create_exception!(
    migkit.exceptions,
    ParameterError,
    MigkitError,
    "A parameter outside its allowed range."
);
create_exception!(
    migkit.exceptions,
    DataFileError,
    MigkitError,
    "A file or folder that cannot be opened or written."
);
create_exception!(
    migkit.exceptions,
    HarmoniseError,
    MigkitError,
    "Any other failure while harmonising releases."
);

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("MigkitError", py.get_type::<MigkitError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("SchemaError", py.get_type::<SchemaError>())?;
    m.add("AreaCodeError", py.get_type::<AreaCodeError>())?;
    m.add("PeriodError", py.get_type::<PeriodError>())?;
    m.add("ParameterError", py.get_type::<ParameterError>())?;
    m.add("DataFileError", py.get_type::<DataFileError>())?;
    m.add("HarmoniseError", py.get_type::<HarmoniseError>())?;
    Ok(())
}
