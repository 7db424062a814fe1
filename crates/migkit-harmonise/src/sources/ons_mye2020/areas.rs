//! Areas of ONS tables: Geography labels to levels, and which local authorities each
//! aggregate row (country, region, county, metropolitan county) is the sum of.

use migkit_core::{AreaCode, Error, GeographyLevel, Result};

use super::table::{Table, Value};

/// The area of a row.
#[derive(Debug, Clone)]
pub(crate) struct Area {
    pub(crate) code: AreaCode,
    pub(crate) published: String,
    pub(crate) name: String,
    /// `None` for metropolitan counties (not emitted).
    pub(crate) level: Option<GeographyLevel>,
}

/// The Geography labels ONS uses: level (None: not emitted) and the GSS entities each may have.
const GEOGRAPHIES: &[(&str, Option<GeographyLevel>, &[&str])] = &[
    (
        "Country",
        Some(GeographyLevel::Country),
        &["K02", "K03", "K04", "E92", "W92", "S92", "N92"],
    ),
    ("Region", Some(GeographyLevel::Region), &["E12"]),
    ("County", Some(GeographyLevel::Utla), &["E10"]),
    ("Metropolitan County", None, &["E11"]),
    (
        "Unitary Authority",
        Some(GeographyLevel::Lad),
        &["E06", "W06"],
    ),
    ("Metropolitan District", Some(GeographyLevel::Lad), &["E08"]),
    (
        "Non-metropolitan District",
        Some(GeographyLevel::Lad),
        &["E07"],
    ),
    ("London Borough", Some(GeographyLevel::Lad), &["E09"]),
    ("Council Area", Some(GeographyLevel::Lad), &["S12"]),
    (
        "Local Government District",
        Some(GeographyLevel::Lad),
        &["N09"],
    ),
];

/// The geography level for an ONS Geography label: `Ok(None)` for metropolitan counties,
/// `Err` for a label migkit does not know.
///
/// Country → `Country`; Region → `Region`; County → `Utla`; Unitary Authority, Metropolitan
/// District, Non-metropolitan District, London Borough, Council Area (Scotland) and Local
/// Government District (Northern Ireland) → `Lad`; Metropolitan County → not emitted.
pub fn geography_level(label: &str) -> std::result::Result<Option<GeographyLevel>, String> {
    GEOGRAPHIES
        .iter()
        .find(|(l, _, _)| l.eq_ignore_ascii_case(label.trim()))
        .map(|(_, level, _)| *level)
        .ok_or_else(|| {
            format!(
                "{:?} is not a geography migkit knows; expected one of: {}",
                label.trim(),
                GEOGRAPHIES
                    .iter()
                    .map(|g| g.0)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
}

/// The Code, Name and Geography columns of a table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AreaColumns {
    code: usize,
    name: usize,
    geography: usize,
}

impl AreaColumns {
    pub(crate) fn find(table: &Table) -> Result<Self> {
        Ok(Self {
            code: table.column("Code")?,
            name: table.column("Name")?,
            geography: table.column("Geography")?,
        })
    }

    pub(crate) fn contains(&self, column: usize) -> bool {
        column == self.code || column == self.name || column == self.geography
    }

    /// The area of a row, checking that the code is of the kind the Geography column says.
    pub(crate) fn area(&self, table: &Table, row: u64, cells: &[Value]) -> Result<Area> {
        let published = cells.get(self.code).map(Value::text).unwrap_or_default();
        let code = AreaCode::new(&published)
            .map_err(|e| Error::input(table.at(row, self.code), e.to_string()))?;
        let label = cells
            .get(self.geography)
            .map(Value::text)
            .unwrap_or_default();
        let entry = GEOGRAPHIES
            .iter()
            .find(|(l, _, _)| l.eq_ignore_ascii_case(label.trim()));
        let Some((label, level, entities)) = entry else {
            let message = geography_level(&label).err().unwrap_or_default();
            return Err(Error::input(table.at(row, self.geography), message));
        };
        if !entities.contains(&code.entity()) {
            return Err(Error::input(
                table.at(row, self.code),
                format!(
                    "code {code} is a {} but the Geography column says {label:?} (codes {})",
                    code.entity_description()
                        .unwrap_or("different kind of area"),
                    entities.join(", ")
                ),
            ));
        }
        let name = cells
            .get(self.name)
            .map(Value::text)
            .unwrap_or_default()
            .trim()
            .to_string();
        Ok(Area {
            code,
            published,
            name,
            level: *level,
        })
    }
}

/// True for the codes of countries, Great Britain, England and Wales and the UK.
fn is_country(code: &AreaCode) -> bool {
    matches!(
        code.entity(),
        "K02" | "K03" | "K04" | "E92" | "W92" | "S92" | "N92"
    )
}

/// For each aggregate row (country, region, county, metropolitan county), the indices of the
/// local authorities it is the sum of.
///
/// Countries by the codes' first letter; regions by row order (the local authorities that
/// follow a region row up to the next region or country row); counties and metropolitan counties
/// by the non-metropolitan (`E07`) or metropolitan (`E08`) districts that directly follow them,
/// as ONS lays its tables out.
pub(crate) fn aggregates(areas: &[&AreaCode]) -> Vec<(usize, Vec<usize>)> {
    let lads: Vec<usize> = (0..areas.len())
        .filter(|&i| areas[i].is_lower_tier())
        .collect();
    let letter = |i: usize| areas[i].as_str().as_bytes()[0];
    let following = |start: usize, keep: &dyn Fn(&AreaCode) -> bool| -> Vec<usize> {
        (start + 1..areas.len())
            .take_while(|&j| keep(areas[j]))
            .collect()
    };
    let mut out = Vec::new();
    for (i, code) in areas.iter().enumerate() {
        let members: Vec<usize> = match code.entity() {
            "K02" => lads.clone(),
            "K03" => lads
                .iter()
                .copied()
                .filter(|&j| matches!(letter(j), b'E' | b'W' | b'S'))
                .collect(),
            "K04" => lads
                .iter()
                .copied()
                .filter(|&j| matches!(letter(j), b'E' | b'W'))
                .collect(),
            "E92" | "W92" | "S92" | "N92" => lads
                .iter()
                .copied()
                .filter(|&j| letter(j) == letter(i))
                .collect(),
            "E12" => following(i, &|c| !(c.entity() == "E12" || is_country(c)))
                .into_iter()
                .filter(|&j| areas[j].is_lower_tier())
                .collect(),
            "E10" => following(i, &|c| c.entity() == "E07"),
            "E11" => following(i, &|c| c.entity() == "E08"),
            _ => continue,
        };
        out.push((i, members));
    }
    out
}
