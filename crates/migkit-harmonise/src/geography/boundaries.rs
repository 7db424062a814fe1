//! Boundary files (GeoJSON) into one Arrow geometry table, for maps and spatial weights.
//!
//! Reads the ONS Open Geography Portal boundaries in the data folder, as GeoJSON
//! FeatureCollections in WGS 84 longitude/latitude (EPSG:4326 / OGC:CRS84):
//!
//! | file | level | vintage | resolution | code, name properties |
//! |---|---|---|---|---|
//! | `lad-boundaries-2008/lad_dec2008_england_bgc.geojson` | lad | 2008 | bgc | `AREACD` (legacy codes such as `00CN`, `39UB`), `AREANM` |
//! | `lad-boundaries-2021/lad_dec2021_uk_buc.geojson`, `..._bgc_west_midlands_and_neighbours.geojson` | lad | 2021 | buc, bgc | `AREACD`, `AREANM` |
//! | `lad-boundaries-2024/lad_dec2024_uk_buc.geojson` | lad | 2024 | buc | `AREACD`, `AREANM` |
//! | `region-boundaries-2021/rgn_dec2021_en_buc.geojson` | region | 2021 | buc | `AREACD`, `AREANM` |
//! | `msoa-boundaries-2011-west-midlands/wm_msoa11_bgc.geojson` | msoa | 2011 | bgc | `MSOA11CD`, `MSOA11NM` |
//! | `msoa-boundaries-2021-west-midlands/wm_msoa21_bgc.geojson` | msoa | 2021 | bgc | `MSOA21CD`, `MSOA21NM` |
//!
//! Level, vintage and resolution come from the file name ([`BoundaryLayout::from_file_name`]:
//! `lad`/`rgn`/`msoaYY` or `lsoaYY`, `decYYYY` or the `YY` of `msoaYY`, and one of
//! `bfc bfe bgc bsc buc`); the code property is `AREACD` or `<LEVEL><YY>CD` (e.g. `LAD21CD`,
//! `MSOA21CD`), the name property `AREANM` or `<LEVEL><YY>NM`.
//!
//! The table ([`geometry_schema`]) has one row per feature: `area_code`, `area_name`,
//! `geography_level` (`lad`, `region`, `msoa`), `geography_vintage`, `resolution`, `file` and
//! `geometry`: the polygon or multipolygon as little-endian WKB (written with the `wkb` crate from
//! `geo-types` geometries converted by the `geojson` crate), lon/lat order. The geometry field
//! carries the GeoArrow extension metadata (`geoarrow.wkb`, CRS `OGC:CRS84`) so GeoArrow-aware
//! tools (geopandas via pyarrow, lonboard, DuckDB spatial) recognise it.
//!
//! Every feature is one audit row (row = 1-based feature number). A feature is used if it has a
//! valid area code of the file's level, a name, and a Polygon or MultiPolygon whose rings are
//! closed, have at least four positions and lie within lon/lat bounds; anything else is an error
//! naming the file, the feature and the property (`AREACD`, `geometry`). Rings are not repaired:
//! some generalised boundaries self-touch (see each folder's PROVENANCE.md); make them valid before
//! polygon overlay.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, LazyLock};

use arrow_array::builder::{BinaryBuilder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use geojson::{FeatureCollection, GeometryValue, JsonObject, JsonValue};
use migkit_core::{AreaCode, Error, GeographyLevel, Location, Result};
use rayon::prelude::*;

use crate::audit::{FileAudit, read_bytes};

/// The reader id written in the audit of boundary files.
pub const READER_ID: &str = "boundaries";

/// The columns of the geometry table, in order.
pub const GEOMETRY_COLUMNS: &[&str] = &[
    "area_code",
    "area_name",
    "geography_level",
    "geography_vintage",
    "resolution",
    "file",
    "geometry",
];

/// The CRS of every geometry: WGS 84 longitude/latitude.
pub const CRS: &str = "OGC:CRS84";

/// Boundary resolutions of the ONS Open Geography Portal: full extent, full clipped, generalised
/// (20 m), super generalised (200 m), ultra generalised (500 m) clipped.
pub const RESOLUTIONS: &[&str] = &["bfe", "bfc", "bgc", "bsc", "buc"];

static SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    let utf8 = |name: &str| Field::new(name, DataType::Utf8, false);
    let geometry = Field::new("geometry", DataType::Binary, false).with_metadata(HashMap::from([
        (
            "ARROW:extension:name".to_string(),
            "geoarrow.wkb".to_string(),
        ),
        (
            "ARROW:extension:metadata".to_string(),
            format!(r#"{{"crs":"{CRS}","crs_type":"authority_code"}}"#),
        ),
    ]));
    Arc::new(Schema::new(vec![
        utf8("area_code"),
        utf8("area_name"),
        utf8("geography_level"),
        utf8("geography_vintage"),
        utf8("resolution"),
        utf8("file"),
        geometry,
    ]))
});

/// The Arrow schema of the geometry table (see the module docs).
///
/// ```
/// let schema = migkit_harmonise::geography::boundaries::geometry_schema();
/// assert_eq!(schema.field(0).name(), "area_code");
/// assert_eq!(schema.field_with_name("geometry").unwrap().metadata()["ARROW:extension:name"], "geoarrow.wkb");
/// ```
pub fn geometry_schema() -> SchemaRef {
    SCHEMA.clone()
}

/// What a boundary file holds, as told by its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundaryLayout {
    /// Level of geography.
    pub level: GeographyLevel,
    /// Boundary vintage (year), e.g. `"2021"`.
    pub vintage: String,
    /// Resolution, e.g. `"bgc"`.
    pub resolution: String,
    /// Property names that may hold the area code, in order of preference.
    pub code_properties: Vec<String>,
    /// Property names that may hold the area name.
    pub name_properties: Vec<String>,
}

impl BoundaryLayout {
    /// Reads level, vintage and resolution from a file name such as `lad_dec2021_uk_buc.geojson`
    /// or `wm_msoa21_bgc.geojson`.
    ///
    /// ```
    /// use migkit_harmonise::geography::boundaries::BoundaryLayout;
    /// let l = BoundaryLayout::from_file_name("wm_msoa11_bgc.geojson").unwrap();
    /// assert_eq!((l.level.as_str(), l.vintage.as_str(), l.resolution.as_str()), ("msoa", "2011", "bgc"));
    /// assert_eq!(l.code_properties, ["AREACD", "MSOA11CD"]);
    /// assert!(BoundaryLayout::from_file_name("boundaries.geojson").is_err());
    /// ```
    pub fn from_file_name(file_name: &str) -> Result<Self> {
        let stem = file_name.rsplit('/').next().unwrap_or(file_name);
        let stem = stem.split('.').next().unwrap_or(stem).to_ascii_lowercase();
        let (mut level, mut vintage, mut resolution) = (None, None, None);
        for token in stem.split(['_', '-']) {
            let digits = |s: &str| s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit());
            match token {
                "lad" => level = Some(GeographyLevel::Lad),
                "rgn" | "region" => level = Some(GeographyLevel::Region),
                t if RESOLUTIONS.contains(&t) => resolution = Some(t.to_string()),
                t if (t.starts_with("msoa") || t.starts_with("lsoa")) && t.len() <= 6 => {
                    level = Some(if t.starts_with('m') {
                        GeographyLevel::Msoa
                    } else {
                        GeographyLevel::Lsoa
                    });
                    let yy = &t[4..];
                    if yy.len() == 2 && yy.bytes().all(|b| b.is_ascii_digit()) {
                        vintage = Some(format!("20{yy}"));
                    }
                }
                t if t.len() == 7
                    && digits(&t[3..])
                    && t[..3].bytes().all(|b| b.is_ascii_alphabetic()) =>
                {
                    vintage = Some(t[3..].to_string());
                }
                t if digits(t) => vintage = Some(t.to_string()),
                _ => {}
            }
        }
        let missing = |what: &str| {
            Error::input(
                Location::file(file_name),
                format!(
                    "cannot tell the {what} of the boundaries from the file name; name boundary files like \
                     lad_dec2021_uk_buc.geojson, rgn_dec2021_en_buc.geojson or wm_msoa21_bgc.geojson \
                     (level lad/rgn/msoaYY/lsoaYY, vintage decYYYY, resolution {})",
                    RESOLUTIONS.join("/")
                ),
            )
        };
        let level = level.ok_or_else(|| missing("level"))?;
        let vintage = vintage.ok_or_else(|| missing("vintage"))?;
        let resolution = resolution.ok_or_else(|| missing("resolution"))?;
        let prefix = match level {
            GeographyLevel::Lad => "LAD",
            GeographyLevel::Region => "RGN",
            GeographyLevel::Msoa => "MSOA",
            _ => "LSOA",
        };
        let yy = &vintage[2..];
        Ok(Self {
            level,
            code_properties: vec!["AREACD".into(), format!("{prefix}{yy}CD")],
            name_properties: vec!["AREANM".into(), format!("{prefix}{yy}NM")],
            vintage,
            resolution,
        })
    }

    /// True if `code` is a code of this layout's level.
    fn fits(&self, code: &AreaCode) -> bool {
        match self.level {
            GeographyLevel::Lad => code.is_lower_tier(),
            GeographyLevel::Region => code.entity() == "E12",
            GeographyLevel::Msoa => matches!(code.entity(), "E02" | "W02"),
            GeographyLevel::Lsoa => matches!(code.entity(), "E01" | "W01"),
            _ => true,
        }
    }
}

/// One feature of one file, ready for the table.
struct BoundaryRow {
    code: String,
    name: String,
    wkb: Vec<u8>,
}

/// The features of one file.
struct BoundaryFile {
    relative: String,
    layout: BoundaryLayout,
    rows: Vec<BoundaryRow>,
}

/// Reads one boundary file into a geometry table with its audit.
///
/// `relative` is the path relative to the data folder (written in the `file` column and the audit).
///
/// # Errors
///
/// The file cannot be read; its name does not tell level, vintage and resolution; it is not a
/// GeoJSON FeatureCollection (e.g. truncated: the error names the first feature that does not
/// parse); a feature lacks its code or name property, has an invalid code or one of another level,
/// repeats a code, or has no Polygon/MultiPolygon geometry (the error names the feature and the
/// property).
pub fn read_boundary_file(path: &Path, relative: &str) -> Result<(RecordBatch, FileAudit)> {
    let (file, audit) = read_file(path, relative)?;
    Ok((to_batch(std::slice::from_ref(&file))?, audit))
}

/// Reads every `*.geojson` file in the folders of the data folder into one geometry table, with
/// one audit per file (sorted by path). Files are read in parallel.
///
/// # Errors
///
/// As [`read_boundary_file`], for the first file (in path order) that fails; or the data folder
/// cannot be listed.
pub fn read_boundaries(data_dir: &Path) -> Result<(RecordBatch, Vec<FileAudit>)> {
    let mut files = Vec::new();
    let list = |dir: &Path| -> Result<Vec<std::path::PathBuf>> {
        let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        let mut paths = Vec::new();
        for entry in entries {
            paths.push(entry.map_err(|e| Error::io(dir, e))?.path());
        }
        Ok(paths)
    };
    for folder in list(data_dir)?.into_iter().filter(|p| p.is_dir()) {
        for path in list(&folder)? {
            if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("geojson"))
                && path.is_file()
            {
                let relative = path
                    .strip_prefix(data_dir)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push((path, relative));
            }
        }
    }
    files.sort_by(|a, b| a.1.cmp(&b.1));
    let read: Vec<(BoundaryFile, FileAudit)> = files
        .par_iter()
        .map(|(path, relative)| read_file(path, relative))
        .collect::<Result<_>>()?;
    let (files, audits): (Vec<BoundaryFile>, Vec<FileAudit>) = read.into_iter().unzip();
    Ok((to_batch(&files)?, audits))
}

fn read_file(path: &Path, relative: &str) -> Result<(BoundaryFile, FileAudit)> {
    let layout = BoundaryLayout::from_file_name(relative).map_err(|e| match e {
        Error::Input { message, .. } => Error::input(Location::file(path), message),
        e => e,
    })?;
    let bytes = read_bytes(path)?;
    let release = relative
        .rsplit('/')
        .next()
        .unwrap_or(relative)
        .trim_end_matches(".geojson")
        .to_string();
    let mut audit = FileAudit::new(relative, &bytes, READER_ID, &release);
    let collection: FeatureCollection =
        serde_json::from_slice(&bytes).map_err(|e| parse_error(path, &bytes, &e))?;
    let n = collection.features.len();
    let mut rows = Vec::with_capacity(n);
    let mut first_seen: HashMap<String, usize> = HashMap::with_capacity(n);
    for (i, feature) in collection.features.iter().enumerate() {
        let at = |property: &str, message: String| {
            Error::input(
                Location::file(path).column(property),
                format!(
                    "feature {} of {n} (index {i}), property {property:?}: {message}",
                    i + 1
                ),
            )
        };
        let props = feature.properties.as_ref();
        let code_text = property(props, &layout.code_properties)
            .map_err(|m| at(&layout.code_properties[0], m))?;
        let code = AreaCode::new(&code_text.1).map_err(|e| at(&code_text.0, e.to_string()))?;
        if !layout.fits(&code) {
            return Err(at(
                &code_text.0,
                format!("{code} is not a {} code", layout.level),
            ));
        }
        if let Some(first) = first_seen.insert(code.to_string(), i) {
            return Err(at(
                &code_text.0,
                format!(
                    "{code} is also the code of feature {} (index {first})",
                    first + 1
                ),
            ));
        }
        let name = property(props, &layout.name_properties)
            .map_err(|m| at(&layout.name_properties[0], m))?
            .1;
        let Some(geometry) = &feature.geometry else {
            return Err(at(
                "geometry",
                format!("{code} has no geometry (null); a Polygon or MultiPolygon is required"),
            ));
        };
        let wkb = to_wkb(&geometry.value).map_err(|m| at("geometry", format!("{code}: {m}")))?;
        rows.push(BoundaryRow {
            code: code.to_string(),
            name,
            wkb,
        });
        audit.used();
    }
    audit.note(format!(
        "{n} features → geometry table (level {}, vintage {}, resolution {})",
        layout.level, layout.vintage, layout.resolution
    ));
    Ok((
        BoundaryFile {
            relative: relative.to_string(),
            layout,
            rows,
        },
        audit,
    ))
}

/// The first of `keys` present in the properties, as (key, text).
fn property(
    props: Option<&JsonObject>,
    keys: &[String],
) -> std::result::Result<(String, String), String> {
    let Some(props) = props else {
        return Err("the feature has no properties".into());
    };
    for key in keys {
        match props.get(key) {
            None | Some(JsonValue::Null) => continue,
            Some(JsonValue::String(s)) if !s.trim().is_empty() => {
                return Ok((key.clone(), s.trim().to_string()));
            }
            Some(other) => {
                return Err(format!(
                    "property {key:?} must be a non-empty string, found {other}"
                ));
            }
        }
    }
    let found: Vec<&str> = props.keys().map(String::as_str).collect();
    Err(format!(
        "is missing (also looked for {}; properties found: {})",
        keys[1..].join(", "),
        found.join(", ")
    ))
}

/// Checks a polygonal geometry and writes it as WKB.
fn to_wkb(value: &GeometryValue) -> std::result::Result<Vec<u8>, String> {
    let polygons: Vec<&Vec<Vec<geojson::Position>>> = match value {
        GeometryValue::Polygon { coordinates } => vec![coordinates],
        GeometryValue::MultiPolygon { coordinates } => coordinates.iter().collect(),
        other => {
            return Err(format!(
                "the geometry is a {}; boundaries must be Polygon or MultiPolygon",
                other.type_name()
            ));
        }
    };
    if polygons.is_empty() {
        return Err("the MultiPolygon is empty".into());
    }
    for (p, rings) in polygons.iter().enumerate() {
        if rings.is_empty() {
            return Err(format!("polygon {p} has no rings"));
        }
        for (r, ring) in rings.iter().enumerate() {
            if ring.len() < 4 {
                return Err(format!(
                    "polygon {p}, ring {r} has {} positions; a ring needs at least 4",
                    ring.len()
                ));
            }
            if ring.first() != ring.last() {
                return Err(format!(
                    "polygon {p}, ring {r} is not closed (first and last positions differ)"
                ));
            }
            if let Some(pos) = ring.iter().find(|pos| {
                let (x, y) = (pos[0], pos[1]);
                !((-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y))
            }) {
                return Err(format!(
                    "polygon {p}, ring {r} has position {:?} outside longitude/latitude bounds; boundaries must be in \
                     WGS 84 lon/lat (EPSG:4326), not e.g. British National Grid",
                    pos.as_slice()
                ));
            }
        }
    }
    let geometry = geo_types::Geometry::<f64>::try_from(value).map_err(|e| e.to_string())?;
    let mut out = Vec::with_capacity(wkb::writer::geometry_wkb_size(&geometry));
    wkb::writer::write_geometry(
        &mut out,
        &geometry,
        &wkb::writer::WriteOptions {
            endianness: wkb::Endianness::LittleEndian,
        },
    )
    .map_err(|e| e.to_string())?;
    Ok(out)
}

/// An error for a file that is not a GeoJSON FeatureCollection, naming the first feature that
/// does not parse.
fn parse_error(path: &Path, bytes: &[u8], err: &serde_json::Error) -> Error {
    let mut parsed = 0usize;
    let mut feature_error = None;
    for feature in geojson::FeatureReader::from_reader(bytes).features() {
        match feature {
            Ok(_) => parsed += 1,
            Err(e) => {
                feature_error = Some(e);
                break;
            }
        }
    }
    let truncated = if err.is_eof() {
        " (the file ends early: truncated?)"
    } else {
        ""
    };
    let which = match feature_error {
        Some(e) => format!(
            "; features 1 to {parsed} parse, feature {} (index {parsed}) does not: {e}",
            parsed + 1
        ),
        None => format!("; all {parsed} features parse, the error is outside them"),
    };
    Error::input(
        Location::file(path),
        format!("not a valid GeoJSON FeatureCollection: {err}{truncated}{which}"),
    )
}

fn to_batch(files: &[BoundaryFile]) -> Result<RecordBatch> {
    let n: usize = files.iter().map(|f| f.rows.len()).sum();
    let bytes: usize = files
        .iter()
        .flat_map(|f| &f.rows)
        .map(|r| r.wkb.len())
        .sum();
    let mut strings: Vec<StringBuilder> = (0..6)
        .map(|_| StringBuilder::with_capacity(n, n * 12))
        .collect();
    let mut geometry = BinaryBuilder::with_capacity(n, bytes);
    for file in files {
        for row in &file.rows {
            strings[0].append_value(&row.code);
            strings[1].append_value(&row.name);
            strings[2].append_value(file.layout.level.as_str());
            strings[3].append_value(&file.layout.vintage);
            strings[4].append_value(&file.layout.resolution);
            strings[5].append_value(&file.relative);
            geometry.append_value(&row.wkb);
        }
    }
    let mut columns: Vec<ArrayRef> = strings
        .iter_mut()
        .map(|b| Arc::new(b.finish()) as ArrayRef)
        .collect();
    columns.push(Arc::new(geometry.finish()));
    Ok(RecordBatch::try_new(geometry_schema(), columns)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::data_dir;
    use arrow_array::{Array, BinaryArray, StringArray};
    use std::collections::{BTreeMap, HashSet};

    fn strings<'a>(batch: &'a RecordBatch, column: &str) -> &'a StringArray {
        batch
            .column_by_name(column)
            .unwrap()
            .as_any()
            .downcast_ref::<StringArray>()
            .unwrap()
    }

    /// Bounding box of a little-endian WKB Polygon or MultiPolygon, decoded by hand (an
    /// independent check of the writer and of the lon/lat order).
    fn bbox(wkb: &[u8]) -> [f64; 4] {
        fn u32_at(b: &[u8], at: &mut usize) -> u32 {
            let v = u32::from_le_bytes(b[*at..*at + 4].try_into().unwrap());
            *at += 4;
            v
        }
        fn polygon(b: &[u8], at: &mut usize, bb: &mut [f64; 4]) {
            assert_eq!(b[*at], 1);
            *at += 1;
            assert_eq!(u32_at(b, at), 3);
            for _ in 0..u32_at(b, at) {
                for _ in 0..u32_at(b, at) {
                    let x = f64::from_le_bytes(b[*at..*at + 8].try_into().unwrap());
                    let y = f64::from_le_bytes(b[*at + 8..*at + 16].try_into().unwrap());
                    *at += 16;
                    *bb = [bb[0].min(x), bb[1].min(y), bb[2].max(x), bb[3].max(y)];
                }
            }
        }
        let mut bb = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        let mut at = 0;
        match u32::from_le_bytes(wkb[1..5].try_into().unwrap()) {
            3 => polygon(wkb, &mut at, &mut bb),
            6 => {
                at = 5;
                for _ in 0..u32_at(wkb, &mut at) {
                    polygon(wkb, &mut at, &mut bb);
                }
            }
            t => panic!("WKB type {t}"),
        }
        assert_eq!(at, wkb.len(), "trailing bytes");
        bb
    }

    #[test]
    fn every_boundary_file() {
        let started = std::time::Instant::now();
        let (batch, audits) = read_boundaries(&data_dir()).unwrap();
        let elapsed = started.elapsed();
        assert_eq!(batch.schema(), geometry_schema());
        let counts: BTreeMap<&str, u64> = audits
            .iter()
            .map(|a| (a.path.as_str(), a.rows_used))
            .collect();
        let expected = [
            ("lad-boundaries-2008/lad_dec2008_england_bgc.geojson", 354),
            ("lad-boundaries-2021/lad_dec2021_uk_buc.geojson", 374),
            (
                "lad-boundaries-2021/lad_dec2021_bgc_west_midlands_and_neighbours.geojson",
                48,
            ),
            ("lad-boundaries-2024/lad_dec2024_uk_buc.geojson", 361),
            ("region-boundaries-2021/rgn_dec2021_en_buc.geojson", 9),
            (
                "msoa-boundaries-2011-west-midlands/wm_msoa11_bgc.geojson",
                735,
            ),
            (
                "msoa-boundaries-2021-west-midlands/wm_msoa21_bgc.geojson",
                736,
            ),
        ];
        assert_eq!(counts, BTreeMap::from(expected), "files read");
        for a in &audits {
            assert!(
                a.balances() && a.rows_read == a.rows_used && a.reader == READER_ID,
                "{a:?}"
            );
        }
        assert_eq!(batch.num_rows(), 354 + 374 + 48 + 361 + 9 + 735 + 736);

        let (code, name, level, vintage, resolution, file) = (
            strings(&batch, "area_code"),
            strings(&batch, "area_name"),
            strings(&batch, "geography_level"),
            strings(&batch, "geography_vintage"),
            strings(&batch, "resolution"),
            strings(&batch, "file"),
        );
        let geometry = batch
            .column_by_name("geometry")
            .unwrap()
            .as_any()
            .downcast_ref::<BinaryArray>()
            .unwrap();
        assert_eq!(geometry.null_count(), 0);
        let rows = |f: &str| -> Vec<usize> {
            (0..batch.num_rows())
                .filter(|i| file.value(*i).ends_with(f))
                .collect()
        };
        // 2008: the five Shropshire districts abolished in 2009, with legacy codes.
        let lad08: HashSet<&str> = rows("lad_dec2008_england_bgc.geojson")
            .into_iter()
            .map(|i| code.value(i))
            .collect();
        for c in ["39UB", "39UC", "39UD", "39UE", "39UF", "00CN"] {
            assert!(lad08.contains(c), "{c}");
        }
        let i = rows("lad_dec2008_england_bgc.geojson")
            .into_iter()
            .find(|i| code.value(*i) == "39UB")
            .unwrap();
        assert_eq!(
            (
                name.value(i),
                level.value(i),
                vintage.value(i),
                resolution.value(i)
            ),
            ("Bridgnorth", "lad", "2008", "bgc")
        );
        // MSOA 2021: 736 unique West Midlands codes.
        let msoa21: HashSet<&str> = rows("wm_msoa21_bgc.geojson")
            .into_iter()
            .map(|i| code.value(i))
            .collect();
        assert_eq!(msoa21.len(), 736);
        assert!(msoa21.iter().all(|c| c.starts_with("E02")));
        let i = rows("wm_msoa11_bgc.geojson").into_iter().next().unwrap();
        assert_eq!(
            (level.value(i), vintage.value(i), name.value(i)),
            ("msoa", "2011", "Herefordshire 001")
        );
        let i = rows("rgn_dec2021_en_buc.geojson")
            .into_iter()
            .find(|i| code.value(*i) == "E12000005")
            .unwrap();
        assert_eq!(
            (name.value(i), level.value(i), resolution.value(i)),
            ("West Midlands", "region", "buc")
        );
        // Birmingham's polygon is where Birmingham is, in lon/lat order.
        let i = rows("lad_dec2021_uk_buc.geojson")
            .into_iter()
            .find(|i| code.value(*i) == "E08000025")
            .unwrap();
        let [x0, y0, x1, y1] = bbox(geometry.value(i));
        assert!(
            x0 > -2.1 && x1 < -1.7 && y0 > 52.3 && y1 < 52.7,
            "{:?}",
            [x0, y0, x1, y1]
        );
        for i in 0..batch.num_rows() {
            let [x0, y0, x1, y1] = bbox(geometry.value(i));
            assert!(
                x0 > -9.0 && x1 < 2.0 && y0 > 49.0 && y1 < 61.0,
                "{} {}",
                file.value(i),
                code.value(i)
            );
            wkb::reader::read_wkb(geometry.value(i)).unwrap();
        }
        // Timing in a debug build is only a loose bound; release mode reads everything in well under a second.
        assert!(elapsed.as_secs() < 30, "{elapsed:?}");
    }

    fn write(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    const RINGS: &str = "[[[-1.9,52.4],[-1.8,52.4],[-1.8,52.5],[-1.9,52.4]]]";
    const SQUARE: &str =
        r#"{"type":"Polygon","coordinates":[[[-1.9,52.4],[-1.8,52.4],[-1.8,52.5],[-1.9,52.4]]]}"#;

    fn feature(props: &str, geometry: &str) -> String {
        format!(r#"{{"type":"Feature","properties":{props},"geometry":{geometry}}}"#)
    }

    fn collection(features: &[String]) -> String {
        format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        )
    }

    fn error(name: &str, text: &str) -> String {
        let (_dir, path) = write(name, text);
        read_boundary_file(&path, &format!("x/{name}"))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn one_good_file() {
        let good = feature(r#"{"AREACD":"E08000025","AREANM":"Birmingham"}"#, SQUARE);
        let multi = feature(
            r#"{"AREACD":"E08000026","AREANM":"Coventry"}"#,
            &format!(r#"{{"type":"MultiPolygon","coordinates":[{RINGS},{RINGS}]}}"#),
        );
        let (_dir, path) = write("lad_dec2021_uk_buc.geojson", &collection(&[good, multi]));
        let (batch, audit) =
            read_boundary_file(&path, "lad-boundaries-2021/lad_dec2021_uk_buc.geojson").unwrap();
        assert_eq!(
            (batch.num_rows(), audit.rows_read, audit.rows_used),
            (2, 2, 2)
        );
        assert_eq!(audit.release, "lad_dec2021_uk_buc");
        let geometry = batch
            .column_by_name("geometry")
            .unwrap()
            .as_any()
            .downcast_ref::<BinaryArray>()
            .unwrap();
        assert_eq!(bbox(geometry.value(0)), [-1.9, 52.4, -1.8, 52.5]);
        assert_eq!(geometry.value(1)[1], 6);
        assert_eq!(
            strings(&batch, "file").value(0),
            "lad-boundaries-2021/lad_dec2021_uk_buc.geojson"
        );
    }

    #[test]
    fn bad_files_name_file_feature_and_property() {
        let good = feature(r#"{"AREACD":"E08000025","AREANM":"Birmingham"}"#, SQUARE);
        let name = "lad_dec2021_uk_buc.geojson";
        let err = error(
            name,
            &collection(&[good.clone(), feature(r#"{"AREANM":"Coventry"}"#, SQUARE)]),
        );
        assert!(
            err.contains(name)
                && err.contains("feature 2 of 2 (index 1)")
                && err.contains("\"AREACD\"")
                && err.contains("missing"),
            "{err}"
        );
        let point = feature(
            r#"{"AREACD":"E08000026","AREANM":"Coventry"}"#,
            r#"{"type":"Point","coordinates":[-1.5,52.4]}"#,
        );
        let err = error(name, &collection(&[good.clone(), point]));
        assert!(
            err.contains(name)
                && err.contains("feature 2")
                && err.contains("\"geometry\"")
                && err.contains("Point"),
            "{err}"
        );
        let null = feature(r#"{"AREACD":"E08000026","AREANM":"Coventry"}"#, "null");
        assert!(error(name, &collection(&[null])).contains("no geometry"));
        let bad_code = feature(r#"{"AREACD":"E0800002X","AREANM":"Coventry"}"#, SQUARE);
        let err = error(name, &collection(&[bad_code]));
        assert!(
            err.contains("feature 1") && err.contains("E0800002X"),
            "{err}"
        );
        let region = feature(r#"{"AREACD":"E12000005","AREANM":"West Midlands"}"#, SQUARE);
        assert!(error(name, &collection(&[region])).contains("E12000005 is not a lad code"));
        let err = error(name, &collection(&[good.clone(), good.clone()]));
        assert!(
            err.contains("feature 2") && err.contains("also the code of feature 1"),
            "{err}"
        );
        let number = feature(r#"{"AREACD":25,"AREANM":"Birmingham"}"#, SQUARE);
        assert!(error(name, &collection(&[number])).contains("must be a non-empty string"));
        let open = feature(
            r#"{"AREACD":"E08000025","AREANM":"B"}"#,
            r#"{"type":"Polygon","coordinates":[[[0,52],[1,52],[1,53],[0,53]]]}"#,
        );
        assert!(error(name, &collection(&[open])).contains("not closed"));
        let bng = feature(
            r#"{"AREACD":"E08000025","AREANM":"B"}"#,
            r#"{"type":"Polygon","coordinates":[[[406000,286000],[407000,286000],[407000,287000],[406000,286000]]]}"#,
        );
        assert!(error(name, &collection(&[bng])).contains("British National Grid"));
        // MSOA files use MSOA21CD.
        let msoa = feature(r#"{"MSOA21NM":"Birmingham 001"}"#, SQUARE);
        let err = error("wm_msoa21_bgc.geojson", &collection(&[msoa]));
        assert!(
            err.contains("\"AREACD\"") && err.contains("MSOA21CD") && err.contains("MSOA21NM"),
            "{err}"
        );
        // Truncated: the real region file cut short.
        let text = std::fs::read_to_string(
            data_dir().join("region-boundaries-2021/rgn_dec2021_en_buc.geojson"),
        )
        .unwrap();
        let cut = &text[..text.len() * 2 / 3];
        let err = error("rgn_dec2021_en_buc.geojson", cut);
        assert!(
            err.contains("rgn_dec2021_en_buc.geojson")
                && err.contains("truncated")
                && err.contains("(index "),
            "{err}"
        );
        let idx: usize = err
            .split("feature ")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!((2..=9).contains(&idx), "{err}");
        assert!(error(name, "[]").contains("not a valid GeoJSON FeatureCollection"));
        assert!(
            error("boundaries.geojson", &collection(&[good])).contains("cannot tell the level")
        );
    }
}
