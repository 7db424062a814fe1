//! One row of the tidy table, and the table's Arrow schema.

use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, LazyLock};

use arrow_array::builder::{Date32Builder, Float64Builder, StringBuilder, UInt64Builder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::area::AreaCode;
use crate::error::{Error, Result};
use crate::interval::Interval;
use crate::period::Period;

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name written in the tidy table.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(Error::parameter(
                        stringify!($name),
                        format!("{s:?} is not one of: {}", [$($text),+].join(", ")),
                    )),
                }
            }
        }
    };
}

string_enum! {
    /// Whether a measure counts people present at a moment or events over a period.
    ///
    /// Stocks are never summed across periods; flows may be.
    MeasureKind {
        /// People present on a date (residents, people on support).
        Stock => "stock",
        /// Events during a period (registrations, arrivals, transfers).
        Flow => "flow",
    }
}

string_enum! {
    /// How a published value relates to the truth.
    Status {
        /// Published as an exact count.
        Published => "published",
        /// Published rounded; `lower`/`upper` give the range of counts it can stand for.
        Rounded => "rounded",
        /// Withheld by the publisher; `value` is null and `lower`/`upper` bound it.
        Suppressed => "suppressed",
        /// Published after statistical disclosure control that alters small counts (census cell key perturbation).
        Perturbed => "perturbed",
        /// Computed by migkit from published values (recoding, apportioning, differences).
        Derived => "derived",
    }
}

string_enum! {
    /// The level of geography an area code belongs to.
    GeographyLevel {
        /// Lower layer super output area.
        Lsoa => "lsoa",
        /// Middle layer super output area.
        Msoa => "msoa",
        /// Lower-tier local authority (district, unitary, metropolitan district, London borough).
        Lad => "lad",
        /// Upper-tier local authority (county or unitary).
        Utla => "utla",
        /// Combined authority.
        CombinedAuthority => "combined_authority",
        /// English region.
        Region => "region",
        /// Country, Great Britain, United Kingdom, England and Wales.
        Country => "country",
        /// Counts that the publisher did not allocate to any local area (kept for national totals).
        Unallocated => "unallocated",
        /// A pseudo-area such as "address unknown" or "abroad".
        Pseudo => "pseudo",
    }
}

string_enum! {
    /// What a value counts.
    Unit {
        /// Number of people.
        Persons => "persons",
        /// Percentage (0 to 100).
        Percent => "percent",
    }
}

/// One observation of the tidy table: a value for an area, period, measure and breakdown.
///
/// Fields that are the same for every row of a file (source, release, file) live on
/// [`ObservationSet`].
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// The 1-based row (or line) of the input the value came from; the header is row 1.
    pub source_row: u64,
    /// The area code after recoding to the target geography vintage.
    pub area_code: AreaCode,
    /// The area code (or, for tables without codes, the name) exactly as published.
    pub area_code_published: String,
    /// The area's name.
    pub area_name: String,
    /// The level of geography.
    pub geography_level: GeographyLevel,
    /// The boundary vintage the code refers to, e.g. `"2021"`.
    pub geography_vintage: String,
    /// The reference period.
    pub period: Period,
    /// What is counted, e.g. `"people_on_asylum_support"`.
    pub measure: String,
    /// Stock or flow.
    pub measure_kind: MeasureKind,
    /// Persons or percent.
    pub unit: Unit,
    /// The category within the measure (country of birth, scheme, accommodation type), if any.
    pub group: Option<String>,
    /// Age or age band, if any (`"0"`, `"90+"`, `"0-17"`).
    pub age: Option<String>,
    /// Sex, if any (`"male"`, `"female"`).
    pub sex: Option<String>,
    /// The value as published, or null where suppressed.
    pub value: Option<f64>,
    /// The bounds of the true value.
    pub interval: Interval,
    /// How the value relates to the truth.
    pub status: Status,
}

impl Observation {
    /// A published count with no breakdown; set the optional fields with struct update syntax.
    #[allow(clippy::too_many_arguments)]
    pub fn count(
        source_row: u64,
        area_code: AreaCode,
        area_name: impl Into<String>,
        geography_level: GeographyLevel,
        geography_vintage: impl Into<String>,
        period: Period,
        measure: impl Into<String>,
        measure_kind: MeasureKind,
        value: f64,
    ) -> Self {
        Self {
            source_row,
            area_code,
            area_code_published: area_code.to_string(),
            area_name: area_name.into(),
            geography_level,
            geography_vintage: geography_vintage.into(),
            period,
            measure: measure.into(),
            measure_kind,
            unit: Unit::Persons,
            group: None,
            age: None,
            sex: None,
            value: Some(value),
            interval: Interval::exact(value),
            status: Status::Published,
        }
    }

    /// The same observation with a group.
    pub fn with_group(mut self, group: impl Into<String>) -> Self {
        self.group = Some(group.into());
        self
    }

    /// The same observation with an age.
    pub fn with_age(mut self, age: impl Into<String>) -> Self {
        self.age = Some(age.into());
        self
    }

    /// The same observation with a sex.
    pub fn with_sex(mut self, sex: impl Into<String>) -> Self {
        self.sex = Some(sex.into());
        self
    }

    /// Adds another count of the same measure and breakdown to this one (two areas that merged,
    /// or two cells that carry the same labels): values and intervals are summed, the value is
    /// null if either is suppressed, and the status becomes [`Status::Derived`] (or
    /// [`Status::Suppressed`] when the value is null). The earlier source row is kept.
    pub fn add_count(&mut self, other: &Observation) {
        self.value = self.value.zip(other.value).map(|(a, b)| a + b);
        self.interval = self.interval + other.interval;
        self.status = if self.value.is_some() {
            Status::Derived
        } else {
            Status::Suppressed
        };
        self.source_row = self.source_row.min(other.source_row);
    }

    /// The same observation with a status and interval (value unchanged).
    pub fn with_status(mut self, status: Status, interval: Interval) -> Self {
        self.status = status;
        self.interval = interval;
        self
    }
}

/// The observations read from one file of one release.
#[derive(Debug, Clone, PartialEq)]
pub struct ObservationSet {
    /// The reader's source id, e.g. `"ho_asy_d11"`.
    pub source: String,
    /// The release id, e.g. `"asy_d11_2024-11-28"`.
    pub release: String,
    /// The file, relative to the data folder.
    pub file: String,
    /// The rows.
    pub observations: Vec<Observation>,
}

/// The columns of the tidy table, in order.
pub const OBSERVATION_COLUMNS: &[&str] = &[
    "source",
    "release",
    "file",
    "source_row",
    "area_code",
    "area_code_published",
    "area_name",
    "geography_level",
    "geography_vintage",
    "period_kind",
    "period_start",
    "period_end",
    "measure",
    "measure_kind",
    "unit",
    "group",
    "age",
    "sex",
    "value",
    "lower",
    "upper",
    "status",
];

static SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    let utf8 = |name: &str, nullable: bool| Field::new(name, DataType::Utf8, nullable);
    Arc::new(Schema::new(vec![
        utf8("source", false),
        utf8("release", false),
        utf8("file", false),
        Field::new("source_row", DataType::UInt64, false),
        utf8("area_code", false),
        utf8("area_code_published", false),
        utf8("area_name", false),
        utf8("geography_level", false),
        utf8("geography_vintage", false),
        utf8("period_kind", false),
        Field::new("period_start", DataType::Date32, false),
        Field::new("period_end", DataType::Date32, false),
        utf8("measure", false),
        utf8("measure_kind", false),
        utf8("unit", false),
        utf8("group", true),
        utf8("age", true),
        utf8("sex", true),
        Field::new("value", DataType::Float64, true),
        Field::new("lower", DataType::Float64, false),
        Field::new("upper", DataType::Float64, false),
        utf8("status", false),
    ]))
});

/// The Arrow schema of the tidy table.
///
/// ```
/// let schema = migkit_core::observation_schema();
/// assert_eq!(schema.fields().len(), migkit_core::OBSERVATION_COLUMNS.len());
/// assert!(schema.field_with_name("lower").is_ok());
/// ```
pub fn observation_schema() -> SchemaRef {
    SCHEMA.clone()
}

fn days_since_epoch(date: NaiveDate) -> i32 {
    const EPOCH: NaiveDate = match NaiveDate::from_ymd_opt(1970, 1, 1) {
        Some(d) => d,
        None => NaiveDate::MIN,
    };
    (date - EPOCH).num_days() as i32
}

/// Builds one Arrow record batch, in [`observation_schema`], from observation sets.
pub fn to_record_batch<'a>(
    sets: impl IntoIterator<Item = &'a ObservationSet>,
) -> Result<RecordBatch> {
    let sets: Vec<&ObservationSet> = sets.into_iter().collect();
    let n: usize = sets.iter().map(|s| s.observations.len()).sum();
    let mut strings: Vec<StringBuilder> = (0..OBSERVATION_COLUMNS.len())
        .map(|_| StringBuilder::with_capacity(n, n * 8))
        .collect();
    let mut source_row = UInt64Builder::with_capacity(n);
    let mut start = Date32Builder::with_capacity(n);
    let mut end = Date32Builder::with_capacity(n);
    let mut value = Float64Builder::with_capacity(n);
    let mut lower = Float64Builder::with_capacity(n);
    let mut upper = Float64Builder::with_capacity(n);
    // Indices into `strings` by column position in OBSERVATION_COLUMNS.
    const SOURCE: usize = 0;
    const RELEASE: usize = 1;
    const FILE: usize = 2;
    const CODE: usize = 4;
    const PUBLISHED: usize = 5;
    const NAME: usize = 6;
    const LEVEL: usize = 7;
    const VINTAGE: usize = 8;
    const KIND: usize = 9;
    const MEASURE: usize = 12;
    const MEASURE_KIND: usize = 13;
    const UNIT: usize = 14;
    const GROUP: usize = 15;
    const AGE: usize = 16;
    const SEX: usize = 17;
    const STATUS: usize = 21;
    for set in sets {
        for o in &set.observations {
            strings[SOURCE].append_value(&set.source);
            strings[RELEASE].append_value(&set.release);
            strings[FILE].append_value(&set.file);
            source_row.append_value(o.source_row);
            strings[CODE].append_value(o.area_code.as_str());
            strings[PUBLISHED].append_value(&o.area_code_published);
            strings[NAME].append_value(&o.area_name);
            strings[LEVEL].append_value(o.geography_level.as_str());
            strings[VINTAGE].append_value(&o.geography_vintage);
            strings[KIND].append_value(o.period.kind().as_str());
            start.append_value(days_since_epoch(o.period.start()));
            end.append_value(days_since_epoch(o.period.end()));
            strings[MEASURE].append_value(&o.measure);
            strings[MEASURE_KIND].append_value(o.measure_kind.as_str());
            strings[UNIT].append_value(o.unit.as_str());
            strings[GROUP].append_option(o.group.as_deref());
            strings[AGE].append_option(o.age.as_deref());
            strings[SEX].append_option(o.sex.as_deref());
            value.append_option(o.value);
            lower.append_value(o.interval.lower);
            upper.append_value(o.interval.upper);
            strings[STATUS].append_value(o.status.as_str());
        }
    }
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(OBSERVATION_COLUMNS.len());
    for (i, name) in OBSERVATION_COLUMNS.iter().enumerate() {
        let array: ArrayRef = match *name {
            "source_row" => Arc::new(source_row.finish()),
            "period_start" => Arc::new(start.finish()),
            "period_end" => Arc::new(end.finish()),
            "value" => Arc::new(value.finish()),
            "lower" => Arc::new(lower.finish()),
            "upper" => Arc::new(upper.finish()),
            _ => Arc::new(strings[i].finish()),
        };
        columns.push(array);
    }
    Ok(RecordBatch::try_new(observation_schema(), columns)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Array, Date32Array, StringArray};

    #[test]
    fn batch_has_schema_and_values() {
        let code: AreaCode = "E08000025".parse().unwrap();
        let obs = Observation::count(
            2,
            code,
            "Birmingham",
            GeographyLevel::Lad,
            "2021",
            Period::Snapshot(NaiveDate::from_ymd_opt(2021, 3, 21).unwrap()),
            "usual_residents",
            MeasureKind::Stock,
            1_144_919.0,
        )
        .with_status(Status::Perturbed, Interval::exact(1_144_919.0));
        let set = ObservationSet {
            source: "ons_census2021_ts012".into(),
            release: "ts012".into(),
            file: "x.csv".into(),
            observations: vec![obs],
        };
        let batch = to_record_batch([&set]).unwrap();
        assert_eq!(batch.num_rows(), 1);
        assert_eq!(batch.schema(), observation_schema());
        let status = batch
            .column_by_name("status")
            .unwrap()
            .as_any()
            .downcast_ref::<StringArray>()
            .unwrap();
        assert_eq!(status.value(0), "perturbed");
        let start = batch
            .column_by_name("period_start")
            .unwrap()
            .as_any()
            .downcast_ref::<Date32Array>()
            .unwrap();
        assert_eq!(start.value(0), 18707); // 2021-03-21
        assert!(batch.column_by_name("group").unwrap().is_null(0));
    }

    #[test]
    fn enums_round_trip_and_reject_unknown() {
        for s in Status::ALL {
            assert_eq!(s.as_str().parse::<Status>().unwrap(), *s);
        }
        let err = "zeroed".parse::<Status>().unwrap_err().to_string();
        assert!(
            err.contains("published, rounded, suppressed, perturbed, derived"),
            "{err}"
        );
    }
}
