//! Published cells: numbers, disclosure markers and blanks.

use migkit_core::{Error, Location, Result};

/// What a published cell holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    /// A number (thousands separators and surrounding spaces removed).
    Number(f64),
    /// A disclosure or "not available" marker such as `x`, `..`, `*`, `c`, `-`, `z`, `[x]`.
    Marker(&'a str),
    /// An empty cell.
    Blank,
}

/// Markers that publishers use for suppressed, unavailable or not-applicable cells.
///
/// `x` and `c` (DfE, ONS: confidential), `*` (Home Office: fewer than 5), `..` and `:` (not
/// available), `-` and `z` (not applicable / nil), and the bracketed forms of the 2022
/// Government Statistical Service style (`[x]`, `[c]`, `[z]`, `[low]`).
pub const MARKERS: &[&str] = &[
    "x", "c", "*", "..", ":", "-", "z", "[x]", "[c]", "[z]", "[low]", "[u]",
];

/// Classifies a cell's text.
///
/// ```
/// use migkit_harmonise::cell::{parse_cell, Cell};
/// assert_eq!(parse_cell(" 1,234 "), Ok(Cell::Number(1234.0)));
/// assert_eq!(parse_cell("x"), Ok(Cell::Marker("x")));
/// assert_eq!(parse_cell(""), Ok(Cell::Blank));
/// assert!(parse_cell("twelve").is_err());
/// ```
pub fn parse_cell(text: &str) -> std::result::Result<Cell<'_>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(Cell::Blank);
    }
    if let Some(m) = MARKERS.iter().find(|m| m.eq_ignore_ascii_case(t)) {
        return Ok(Cell::Marker(m));
    }
    let cleaned: String = t.chars().filter(|c| *c != ',').collect();
    match cleaned.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Cell::Number(v)),
        _ => Err(format!(
            "{t:?} is not a number or a known disclosure marker ({})",
            MARKERS.join(" ")
        )),
    }
}

/// Parses a cell that must be a non-negative count, naming the location if it is not.
pub fn parse_count(text: &str, location: impl FnOnce() -> Location) -> Result<Cell<'_>> {
    match parse_cell(text) {
        Ok(Cell::Number(v)) if v < 0.0 => {
            Err(Error::input(location(), format!("count {v} is negative")))
        }
        Ok(Cell::Number(v)) if v.fract() != 0.0 => Err(Error::input(
            location(),
            format!("count {v} is not a whole number"),
        )),
        Ok(cell) => Ok(cell),
        Err(msg) => Err(Error::input(location(), msg)),
    }
}

/// Parses a cell that must hold a number (blank and markers are errors).
pub fn parse_number(text: &str, location: impl FnOnce() -> Location) -> Result<f64> {
    match parse_cell(text) {
        Ok(Cell::Number(v)) => Ok(v),
        Ok(Cell::Blank) => Err(Error::input(
            location(),
            "the cell is empty; a number is required",
        )),
        Ok(Cell::Marker(m)) => Err(Error::input(
            location(),
            format!("the cell holds the marker {m:?}; a number is required here"),
        )),
        Err(msg) => Err(Error::input(location(), msg)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn markers_and_numbers() {
        assert_eq!(parse_cell("[c]"), Ok(Cell::Marker("[c]")));
        assert_eq!(parse_cell("X"), Ok(Cell::Marker("x")));
        assert_eq!(parse_cell("278.0"), Ok(Cell::Number(278.0)));
        assert_eq!(parse_cell("-460"), Ok(Cell::Number(-460.0)));
        assert!(parse_cell("#VALUE!").is_err());
        assert!(parse_cell("NaN").is_err());
        assert!(parse_cell("inf").is_err());
    }

    #[test]
    fn counts_must_be_whole_and_non_negative() {
        let loc = || Location::file("f.csv").row(7).column("People");
        assert!(
            parse_count("-3", loc)
                .unwrap_err()
                .to_string()
                .contains("row 7, column \"People\"")
        );
        assert!(parse_count("2.5", loc).is_err());
        assert_eq!(parse_count("12", loc).unwrap(), Cell::Number(12.0));
        assert!(
            parse_number("", loc)
                .unwrap_err()
                .to_string()
                .contains("empty")
        );
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,16}") {
            let _ = parse_cell(&s);
        }

        #[test]
        fn integers_with_separators_round_trip(n in 0u64..10_000_000_000) {
            let s = n.to_string();
            let mut grouped = String::new();
            for (i, ch) in s.chars().enumerate() {
                if i > 0 && (s.len() - i) % 3 == 0 { grouped.push(','); }
                grouped.push(ch);
            }
            prop_assert_eq!(parse_cell(&grouped), Ok(Cell::Number(n as f64)));
        }
    }
}
