//! GSS area codes and the legacy ONS district codes that preceded them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Entity prefixes migkit knows by name, with what they are.
///
/// The GSS scheme has many more entities; any `[A-Z]NN` prefix followed by six digits is
/// accepted, but these are the ones that appear in migration releases.
pub const KNOWN_ENTITIES: &[(&str, &str)] = &[
    ("E00", "output area (England)"),
    ("E01", "lower layer super output area (England)"),
    ("E02", "middle layer super output area (England)"),
    ("E06", "unitary authority (England)"),
    ("E07", "non-metropolitan district (England)"),
    ("E08", "metropolitan district (England)"),
    ("E09", "London borough"),
    ("E10", "county (England)"),
    ("E11", "metropolitan county (England)"),
    ("E12", "region (England)"),
    ("E13", "inner and outer London"),
    ("E47", "combined authority (England)"),
    ("E92", "country: England"),
    ("W01", "lower layer super output area (Wales)"),
    ("W02", "middle layer super output area (Wales)"),
    ("W06", "unitary authority (Wales)"),
    ("W92", "country: Wales"),
    ("S12", "council area (Scotland)"),
    ("S92", "country: Scotland"),
    ("N09", "local government district (Northern Ireland)"),
    ("N92", "country: Northern Ireland"),
    ("K02", "United Kingdom"),
    ("K03", "Great Britain"),
    ("K04", "England and Wales"),
];

/// Pseudo-area codes that some releases use for people with no usable address.
///
/// DWP Stat-Xplore uses `ZZXXXXXXX` for "address unknown" and `XXZZZZZZZ` for "abroad".
pub const PSEUDO_CODES: &[(&str, &str)] =
    &[("ZZXXXXXXX", "unknown address"), ("XXZZZZZZZ", "abroad")];

/// The first letters GSS codes use: E, W, S, N (the four nations), K (UK, GB, England and Wales),
/// L and M (Channel Islands, Isle of Man), J (non-geographic groupings).
pub const GSS_COUNTRY_LETTERS: &[u8] = b"EWSNKLMJ";

/// What kind of code an [`AreaCode`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AreaCodeKind {
    /// A nine-character Government Statistical Service code such as `E08000025`.
    Gss,
    /// A pre-2009 ONS district code: `00CN` (unitary, metropolitan, London) or `39UB` (shire district).
    Legacy,
    /// A pseudo-area from [`PSEUDO_CODES`].
    Pseudo,
}

/// A validated area code: GSS (`E08000025`), legacy ONS (`39UB`) or a listed pseudo-area.
///
/// Codes are stored inline (no allocation) and compare byte-wise. Parsing trims surrounding
/// whitespace and upper-cases letters, because published tables are not always tidy.
///
/// ```
/// use migkit_core::{AreaCode, AreaCodeKind};
/// let code: AreaCode = " e06000051".parse().unwrap();
/// assert_eq!(code.as_str(), "E06000051");
/// assert_eq!(code.kind(), AreaCodeKind::Gss);
/// assert_eq!("39UB".parse::<AreaCode>().unwrap().kind(), AreaCodeKind::Legacy);
/// assert!("E0800002".parse::<AreaCode>().is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AreaCode {
    bytes: [u8; 9],
    len: u8,
}

impl AreaCode {
    /// Parses and validates a code, naming the offending text in the error.
    pub fn new(text: &str) -> Result<Self> {
        let trimmed = text.trim();
        let upper = trimmed.to_ascii_uppercase();
        let b = upper.as_bytes();
        let invalid = |why: &str| Error::InvalidAreaCode {
            code: text.to_string(),
            reason: why.to_string(),
        };
        if !b.is_ascii() {
            return Err(invalid("contains non-ASCII characters"));
        }
        match b.len() {
            9 => {
                if PSEUDO_CODES.iter().any(|(p, _)| p.as_bytes() == b) {
                    return Ok(Self::from_bytes(b));
                }
                if !GSS_COUNTRY_LETTERS.contains(&b[0]) {
                    return Err(invalid(
                        "a GSS code starts with a country letter: E, W, S, N (nations), K (UK, GB, England and Wales), L, M (Channel Islands, Isle of Man) or J",
                    ));
                }
                if !b[1..].iter().all(u8::is_ascii_digit) {
                    return Err(invalid("a GSS code is a letter followed by eight digits"));
                }
                Ok(Self::from_bytes(b))
            }
            4 => {
                let ok = b[0].is_ascii_digit()
                    && b[1].is_ascii_digit()
                    && b[2].is_ascii_uppercase()
                    && b[3].is_ascii_uppercase();
                if ok {
                    Ok(Self::from_bytes(b))
                } else {
                    Err(invalid(
                        "a legacy ONS district code is two digits and two letters, e.g. 00CN or 39UB",
                    ))
                }
            }
            0 => Err(invalid("the code is empty")),
            n => Err(invalid(&format!(
                "has {n} characters; GSS codes have 9 (e.g. E08000025), legacy district codes 4 (e.g. 39UB)"
            ))),
        }
    }

    fn from_bytes(b: &[u8]) -> Self {
        let mut bytes = [0u8; 9];
        bytes[..b.len()].copy_from_slice(b);
        Self {
            bytes,
            len: b.len() as u8,
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        // Only ASCII bytes are ever stored.
        std::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or_default()
    }

    /// Which scheme the code belongs to.
    pub fn kind(&self) -> AreaCodeKind {
        if self.len == 4 {
            AreaCodeKind::Legacy
        } else if PSEUDO_CODES.iter().any(|(p, _)| *p == self.as_str()) {
            AreaCodeKind::Pseudo
        } else {
            AreaCodeKind::Gss
        }
    }

    /// The GSS entity prefix (`"E08"`), or the whole code for legacy and pseudo codes.
    pub fn entity(&self) -> &str {
        match self.kind() {
            AreaCodeKind::Gss => &self.as_str()[..3],
            _ => self.as_str(),
        }
    }

    /// A description of the entity if migkit knows it, e.g. `"metropolitan district (England)"`.
    pub fn entity_description(&self) -> Option<&'static str> {
        let entity = self.entity();
        KNOWN_ENTITIES
            .iter()
            .chain(PSEUDO_CODES)
            .find(|(e, _)| *e == entity)
            .map(|(_, d)| *d)
    }

    /// True for lower-tier local authorities: E06, E07, E08, E09, W06, S12, N09 and legacy districts.
    pub fn is_lower_tier(&self) -> bool {
        self.kind() == AreaCodeKind::Legacy
            || matches!(
                self.entity(),
                "E06" | "E07" | "E08" | "E09" | "W06" | "S12" | "N09"
            )
    }
}

impl FromStr for AreaCode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::new(s)
    }
}

impl fmt::Display for AreaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for AreaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AreaCode({})", self.as_str())
    }
}

impl Serialize for AreaCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for AreaCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_real_codes() {
        for code in [
            "E06000051",
            "E07000192",
            "E08000025",
            "E09000001",
            "E10000028",
            "E12000005",
            "E02001827",
            "E01013986",
            "W06000015",
            "S12000049",
            "N09000003",
            "E47000007",
            "K02000001",
        ] {
            assert_eq!(AreaCode::new(code).unwrap().as_str(), code);
        }
        assert!(AreaCode::new("E08000025").unwrap().is_lower_tier());
        assert!(!AreaCode::new("E12000005").unwrap().is_lower_tier());
        assert_eq!(
            AreaCode::new("E12000005").unwrap().entity_description(),
            Some("region (England)")
        );
    }

    #[test]
    fn accepts_legacy_and_pseudo_codes() {
        for code in ["39UB", "39UF", "00CN", "47UG"] {
            let c = AreaCode::new(code).unwrap();
            assert_eq!(c.kind(), AreaCodeKind::Legacy);
            assert!(c.is_lower_tier());
        }
        assert_eq!(
            AreaCode::new("ZZXXXXXXX").unwrap().kind(),
            AreaCodeKind::Pseudo
        );
        assert_eq!(
            AreaCode::new("XXZZZZZZZ").unwrap().entity_description(),
            Some("abroad")
        );
    }

    #[test]
    fn rejects_malformed_codes_and_names_them() {
        for bad in [
            "",
            "E0800002",
            "E080000255",
            "EX8000025",
            "3UB",
            "39U1",
            "E08-00025",
            "Birmingham",
            "É08000025",
        ] {
            let err = AreaCode::new(bad).unwrap_err().to_string();
            assert!(err.contains(&format!("{bad:?}")), "{err}");
        }
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_round_trips(s in "\\PC{0,12}") {
            if let Ok(code) = AreaCode::new(&s) {
                prop_assert_eq!(AreaCode::new(code.as_str()).unwrap(), code);
                prop_assert_eq!(code.as_str(), s.trim().to_ascii_uppercase());
            }
        }

        #[test]
        fn every_gss_shaped_code_parses(letter in "[EWSNK]", digits in "[0-9]{8}") {
            let text = format!("{letter}{digits}");
            prop_assert_eq!(AreaCode::new(&text).unwrap().kind(), AreaCodeKind::Gss);
        }
    }
}
